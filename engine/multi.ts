// MULTI/EXEC state and WATCH bookkeeping (src/multi.c): the per-client transaction queue, the
// watched keys (each db maps a key to its watchers, each client lists its own), invalidation when a
// watched key is touched, expired, flushed or swapped, and discarding a transaction.
// The commands themselves are in commands/transactions.ts; dispatch (engine.ts) queues into this.

import type { Client } from './client';
import type { Command } from './commands/define';
import type { Engine } from './engine';
import type { Db } from './keyspace/db';

/** c.ext.multi while the client is in a transaction (CLIENT_MULTI + mstate). */
export interface MultiState {
  /** Queued commands with their arguments (mstate.commands). */
  queue: [Command, string[]][];
  /** CLIENT_DIRTY_EXEC: a command was refused while queueing, EXEC will abort. */
  dirty?: boolean;
}

export function multiState(c: Client): MultiState | undefined {
  return c.ext.multi as MultiState | undefined;
}

/** keyIsExpired: the key has a TTL that has passed (whether or not it was deleted yet). */
export function keyIsExpired(engine: Engine, db: Db, key: string): boolean {
  const when = db.getExpire(key);
  return when !== undefined && when <= engine.now();
}

/**
 * One key WATCHed by one client (watchedKey). It is registered in the db's `watched` map, where
 * db.touchWatched sets `dirtyCas` on it whenever the key is modified (touchWatchedKey).
 */
export class WatchedKey {
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly key: string,
    /** The key was already logically expired when WATCHed: its deletion is not a change. */
    public expired: boolean,
  ) {}

  get dirtyCas(): boolean {
    return this.client.dirtyCas;
  }

  set dirtyCas(v: boolean) {
    if (!v) return;
    if (this.expired) {
      // Deleting the already-expired key changes nothing logically; later writes will count.
      this.expired = false;
      return;
    }
    this.client.dirtyCas = true;
    // No point in tracking more changes once the EXEC is bound to fail.
    unwatchAllKeys(this.client);
  }
}

function watchedList(c: Client): WatchedKey[] {
  let list = c.ext.watched as WatchedKey[] | undefined;
  if (list === undefined) {
    list = [];
    c.ext.watched = list;
  }
  return list;
}

/** The keys a client watches, as [db, key] (CLIENT LIST's multi-mem, the lab's panels). */
export function watchedKeys(c: Client): readonly WatchedKey[] {
  return (c.ext.watched as WatchedKey[] | undefined) ?? [];
}

const closeHookInstalled = new WeakSet<Engine>();

/** watchForKey: start watching key in the client's current db (once per db and key). */
export function watchForKey(c: Client, key: string): void {
  const engine = c.engine;
  if (!closeHookInstalled.has(engine)) {
    closeHookInstalled.add(engine);
    engine.clientCloseHooks.push(unwatchAllKeys);
  }
  const list = watchedList(c);
  for (const wk of list) if (wk.db === c.db && wk.key === key) return;
  let watchers = c.db.watched.get(key);
  if (watchers === undefined) {
    watchers = new Set();
    c.db.watched.set(key, watchers);
  }
  const wk = new WatchedKey(c, c.db, key, keyIsExpired(engine, c.db, key));
  list.push(wk);
  watchers.add(wk);
}

/** unwatchAllKeys: forget every key the client watches (the dirty flag is the caller's business). */
export function unwatchAllKeys(c: Client): void {
  const list = c.ext.watched as WatchedKey[] | undefined;
  if (list === undefined || list.length === 0) return;
  for (const wk of list) {
    const watchers = wk.db.watched.get(wk.key);
    if (watchers === undefined) continue;
    watchers.delete(wk);
    if (watchers.size === 0) wk.db.watched.delete(wk.key);
  }
  list.length = 0;
}

/** isWatchedKeyExpired: a watched key (not already expired when WATCHed) has expired since. */
export function isWatchedKeyExpired(c: Client): boolean {
  for (const wk of watchedKeys(c)) {
    if (!wk.expired && keyIsExpired(c.engine, wk.db, wk.key)) return true;
  }
  return false;
}

/** discardTransaction: leave MULTI, clear both dirty flags, unwatch everything (EXEC, DISCARD, RESET). */
export function discardTransaction(c: Client): void {
  delete c.ext.multi;
  c.dirtyCas = false;
  unwatchAllKeys(c);
}

/**
 * touchAllWatchedKeysInDb: `emptied` loses its content (FLUSHDB/FLUSHALL: replacedWith null) or
 * takes another db's (SWAPDB). Watchers of a key that exists on either side are invalidated, except
 * when an expired key merely disappears or is replaced by another expired one.
 */
export function touchAllWatchedKeysInDb(engine: Engine, emptied: Db, replacedWith: Db | null): void {
  for (const [key, watchers] of emptied.watched) {
    const existsInEmptied = emptied.dict.has(key);
    const existsInReplacement = replacedWith?.dict.has(key) === true;
    if (!existsInEmptied && !existsInReplacement) continue;
    for (const w of watchers) {
      if (!(w instanceof WatchedKey)) continue;
      if (w.expired) {
        if (replacedWith === null || !existsInReplacement) {
          w.expired = false;
          continue;
        }
        if (keyIsExpired(engine, replacedWith, key)) continue;
      } else if (!existsInEmptied && replacedWith !== null && keyIsExpired(engine, replacedWith, key)) {
        // A missing key replaced by an already expired one.
        w.expired = true;
        continue;
      }
      // (Redis does not unwatch here: it would free the list being iterated.)
      w.client.dirtyCas = true;
    }
  }
}

/**
 * processCommand's reject_cmd_on_oom: denyoom commands, anything queued inside MULTI (the queue
 * itself uses memory) except EXEC/DISCARD/QUIT/RESET, and EXEC when a queued command is denyoom.
 */
export function rejectOnOom(c: Client, cmd: Command): boolean {
  if (cmd.denyOom) return true;
  const multi = multiState(c);
  if (multi === undefined) return false;
  const name = (cmd.parent ?? cmd).fullname;
  if (name === 'exec') return multi.queue.some(([q]) => q.denyOom);
  return name !== 'discard' && name !== 'quit' && name !== 'reset';
}
