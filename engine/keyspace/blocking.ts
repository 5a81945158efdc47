// Blocking commands on keys (Redis 7.0's src/blocked.c and timeout.c): clients waiting on keys,
// keys signalled as ready by the write path, FIFO serving after each command, timeouts from cron,
// CLIENT UNBLOCK, and commands a blocked client sends meanwhile (kept until it is unblocked).
// Clients held by CLIENT PAUSE (BLOCKED_POSTPONE, see pause.ts) wait here too, with their command.
//
// How a command type uses it (lists here; BZPOPMIN/BZMPOP and XREAD BLOCK the same way):
//
//   const deadline = parseTimeout(c, argv[i]);       // seconds → absolute ms (0 = forever), Redis's errors
//   ... try to serve at once; if nothing to serve:
//   if (!canBlock(c)) return NIL_ARRAY;               // inside MULTI/EXEC or a script: behave as timed out
//   return blockForKeys(c, { type: 'zset', keys, timeout: deadline, onReady: (key) => ... });
//
// `blockForKeys` returns the BLOCKED sentinel: the handler returns it as its reply, dispatch sends
// nothing, and the reply arrives later through `client.deliver`. After each command, for every key
// that was signalled (a list/zset/stream key was added to a db: db.add and setKey call
// `signalKeyAsReady`; streams call it themselves on XADD), the clients blocked on that key are
// tried in the order they blocked: `onReady(key)` runs only while the key holds a value of the
// client's `type`, and returns the reply to send (the client is then unblocked) or undefined to keep
// waiting. It runs outside any command: it must do the pop itself and propagate its non-blocking
// equivalent with `engine.propagate(db, argv)` (BLPOP → LPOP key). `onKeyGone` (optional) is called
// instead when the key is missing or holds another type (XREADGROUP's UNBLOCKED error).
// On timeout (or CLIENT UNBLOCK TIMEOUT) the client gets `onTimeout()`, a null array by default;
// CLIENT UNBLOCK ERROR sends the UNBLOCKED error (`unblockClient`). Timeouts fire from engine.cron();
// `blocking.nextDeadline()` tells a host when the next one is due. A disconnected client is dropped.

import { type Client, NO_REPLY } from '../client';
import { E } from '../errors';
import type { Engine } from '../engine';
import { NIL_ARRAY, type Reply, ReplyError } from '../protocol/reply';
import { parseLongDouble } from '../util/long-double';
import type { CollectionValue, Db } from './db';

/** The reply a handler returns when its client blocked: dispatch sends nothing for it. */
export const BLOCKED: Reply = NO_REPLY;

/** BLOCKED_LIST / BLOCKED_ZSET / BLOCKED_STREAM: which value type can serve the client. */
export type BlockType = 'list' | 'zset' | 'stream';

export interface BlockOptions {
  type: BlockType;
  keys: readonly string[];
  /** Absolute deadline in ms on the engine clock; 0 waits forever. */
  timeout: number;
  /** The key holds a value of `type`: serve the client (reply) or keep it waiting (undefined). */
  onReady: (key: string) => Reply | undefined;
  /** Reply on timeout and CLIENT UNBLOCK TIMEOUT (default: a null array). */
  onTimeout?: () => Reply;
  /** The ready key is missing or holds another type: reply to unblock, undefined to keep waiting. */
  onKeyGone?: (key: string) => Reply | undefined;
}

/** c.ext.blocked while a client is blocked (the CLIENT_BLOCKED flag and c->bpop). */
export interface BlockedState extends BlockOptions {
  readonly db: Db;
  /** The keys without duplicates, in the order given. */
  readonly keys: string[];
}

export function blockedState(c: Client): BlockedState | undefined {
  return c.ext.blocked as BlockedState | undefined;
}

/** Blocking is refused inside MULTI/EXEC and scripts (CLIENT_DENY_BLOCKING). */
export function canBlock(c: Client): boolean {
  return c.ext.denyBlocking !== true && c.ext.multi === undefined;
}

/**
 * getTimeoutFromObjectOrReply(UNIT_SECONDS): a long double number of seconds, rounded up to ms;
 * returns the absolute deadline on the engine clock, or 0 for "forever".
 */
export function parseTimeout(c: Client, arg: string): number {
  const ld = parseLongDouble(arg);
  if (ld === null) throw new ReplyError(E.TIMEOUT_NOT_FLOAT);
  // (long long) ceill(t * 1000.0): out of the int64 range the conversion yields LLONG_MIN, and a
  // tiny negative value rounds up to zero (-0.0001 waits forever).
  const ms = ld.kind === 'finite' ? Math.ceil((ld.neg ? -1 : 1) * Number(ld.mant) * 2 ** ld.exp * 1000) : -Infinity;
  if (!(ms > -(2 ** 63) && ms < 2 ** 63)) throw new ReplyError(E.TIMEOUT_NEGATIVE);
  if (ms < 0) throw new ReplyError(E.TIMEOUT_NEGATIVE);
  if (ms === 0) return 0; // (also -0)
  // LAB: a deadline beyond the int64 range wraps in Redis and never fires; here it is simply far.
  return c.engine.now() + ms;
}

/** blockForKeys: park the client on `keys`; the handler returns the result as its reply. */
export function blockForKeys(c: Client, opts: BlockOptions): Reply {
  c.engine.blocking.block(c, opts);
  return BLOCKED;
}

/**
 * CLIENT UNBLOCK: reply as on timeout, or with the UNBLOCKED error; false if the client was not blocked.
 */
export function unblockClient(c: Client, withError: boolean): boolean {
  const st = blockedState(c);
  if (st === undefined) return false;
  const b = c.engine.blocking;
  b.send(c, withError ? { t: 'error', v: E.UNBLOCKED_BY_CLIENT } : (st.onTimeout?.() ?? NIL_ARRAY));
  // updateStatsOnUnblock(target, 0, 0, 1): counted as a failed call either way.
  c.engine.commandStat(c.lastCommand).failedCalls++;
  b.unblock(c);
  return true;
}

/** The engine's blocking state (server.blocked_clients, db->blocking_keys, server.ready_keys). */
export class Blocking {
  /** Blocked clients (server.blocked_clients). */
  blockedCount = 0;
  private readonly byType: Record<BlockType, number> = { list: 0, zset: 0, stream: 0 };
  /** db id → key → clients in the order they blocked. */
  private readonly waiting = new Map<number, Map<string, Client[]>>();
  /** Keys signalled since the last pass, each once (server.ready_keys + db->ready_keys). */
  private ready: { db: Db; key: string }[] = [];
  private readonly readyIn = new Map<number, Set<string>>();
  /** Clients with a deadline (server.clients_timeout_table). */
  private readonly timed = new Set<Client>();
  /** Commands received from blocked clients, run once they are unblocked (their query buffers). */
  private readonly pending = new Map<Client, string[][]>();
  /** Clients unblocked since the last pass whose pending commands must run (server.unblocked_clients). */
  private unblocked: Client[] = [];
  /** Clients held by CLIENT PAUSE (BLOCKED_POSTPONE), in the order they were held, with their command. */
  private readonly postponed = new Map<Client, string[]>();
  private handling = false;

  constructor(private readonly engine: Engine) {
    engine.clientCloseHooks.push((c) => this.forget(c));
  }

  /** Blocked clients with a deadline (INFO's clients_in_timeout_table: timeout 0 is not in it). */
  get timedCount(): number {
    return this.timed.size;
  }

  /** Keys with at least one blocked client (INFO's blocked keys). */
  get blockedKeys(): number {
    let n = 0;
    for (const m of this.waiting.values()) n += m.size;
    return n;
  }

  block(c: Client, opts: BlockOptions): void {
    const keys: string[] = [];
    for (const k of opts.keys) if (!keys.includes(k)) keys.push(k);
    const st: BlockedState = { ...opts, keys, db: c.db };
    let byKey = this.waiting.get(c.db.id);
    if (byKey === undefined) this.waiting.set(c.db.id, (byKey = new Map()));
    for (const k of keys) {
      const list = byKey.get(k);
      if (list === undefined) byKey.set(k, [c]);
      else list.push(c);
    }
    c.ext.blocked = st;
    c.ext.unblock = (asError: boolean) => unblockClient(c, asError);
    this.blockedCount++;
    this.byType[opts.type]++;
    if (opts.timeout !== 0) this.timed.add(c);
  }

  /** unblockClient: forget the client's keys and deadline; its pending commands run next pass. */
  unblock(c: Client): void {
    const st = blockedState(c);
    if (st === undefined) return;
    const byKey = this.waiting.get(st.db.id);
    if (byKey !== undefined) {
      for (const k of st.keys) {
        const list = byKey.get(k);
        if (list === undefined) continue;
        const i = list.indexOf(c);
        if (i !== -1) list.splice(i, 1);
        if (list.length === 0) byKey.delete(k);
      }
      if (byKey.size === 0) this.waiting.delete(st.db.id);
    }
    delete c.ext.blocked;
    delete c.ext.unblock;
    this.blockedCount--;
    this.byType[st.type]--;
    this.timed.delete(c);
    if (this.pending.has(c)) this.unblocked.push(c);
  }

  /** Send a reply that arrives outside the request cycle (error replies count in errorstats). */
  send(c: Client, r: Reply): void {
    if (r.t === 'error') this.engine.countError(r.v);
    if (c.replyMode === 'on') c.deliver(r);
  }

  /** signalKeyAsReady: a list/zset/stream value appeared at `key`; cheap when nobody waits on it. */
  signalKeyAsReady(db: Db, key: string, type: CollectionValue['type']): void {
    if (type !== 'list' && type !== 'zset' && type !== 'stream') return;
    if (this.byType[type] === 0) return;
    if (this.waiting.get(db.id)?.has(key) !== true) return;
    let set = this.readyIn.get(db.id);
    if (set === undefined) this.readyIn.set(db.id, (set = new Set()));
    if (set.has(key)) return;
    set.add(key);
    this.ready.push({ db, key });
  }

  /** scanDatabaseForReadyKeys (SWAPDB): signal every waited-on key that now exists in `db`. */
  signalExistingKeys(db: Db): void {
    const byKey = this.waiting.get(db.id);
    if (byKey === undefined) return;
    for (const k of byKey.keys()) {
      const v = db.peekEntry(k)?.val;
      if (v !== undefined && typeof v !== 'string') this.signalKeyAsReady(db, k, v.type);
    }
  }

  /**
   * scanDatabaseForDeletedStreams: `db` is being emptied (FLUSHDB/FLUSHALL) or swapped with
   * `replacedWith` (SWAPDB); every waited-on key holding a stream that won't hold one afterwards is
   * signalled, so clients blocked in XREADGROUP on it are told the key is gone.
   */
  signalDeletedStreams(db: Db, replacedWith?: Db): void {
    if (this.byType.stream === 0) return;
    const byKey = this.waiting.get(db.id);
    if (byKey === undefined) return;
    for (const k of byKey.keys()) {
      const was = db.dict.get(k);
      if (was === undefined || typeof was === 'string' || was.type !== 'stream') continue;
      const now = replacedWith?.dict.get(k);
      if (now !== undefined && typeof now !== 'string' && now.type === 'stream') continue;
      this.signalKeyAsReady(db, k, 'stream');
    }
  }

  // ---- the engine's hooks ------------------------------------------------------------------------

  /** Clients held by CLIENT PAUSE (they count as blocked in INFO and show the `b` flag). */
  get postponedCount(): number {
    return this.postponed.size;
  }

  isPostponed(c: Client): boolean {
    return this.postponed.size > 0 && this.postponed.has(c);
  }

  /** True when dispatch must keep this command for later (the client is blocked or has a backlog). */
  mustDefer(c: Client): boolean {
    return c.ext.blocked !== undefined || (this.pending.size > 0 && this.pending.has(c)) || this.isPostponed(c);
  }

  /** blockClient(BLOCKED_POSTPONE): hold the client and its command until the pause ends. */
  postpone(c: Client, argv: string[]): void {
    this.postponed.set(c, argv);
  }

  /**
   * unblockPostponedClients: every held client runs its command again (and what it sent meanwhile),
   * in the order they were held; a pause still in force may hold it again.
   */
  releasePostponed(): void {
    if (this.postponed.size === 0) return;
    for (const [c, argv] of this.postponed) {
      const q = this.pending.get(c);
      if (q === undefined) this.pending.set(c, [argv]);
      else q.unshift(argv);
      this.unblocked.push(c);
    }
    this.postponed.clear();
    // (from inside a command, dispatch serves them after it; from cron, now)
    if (!this.engine.inCall) this.afterCommand();
  }

  defer(c: Client, argv: string[]): void {
    const q = this.pending.get(c);
    if (q === undefined) this.pending.set(c, [argv]);
    else q.push(argv);
  }

  /** The client's reason to wait is gone (a busy script ended): run what it sent meanwhile. */
  release(c: Client): void {
    if (this.pending.has(c)) this.unblocked.push(c);
    this.afterCommand();
  }

  /** Anything to do after a command: signalled keys or unblocked clients with a backlog. */
  get hasWork(): boolean {
    return this.ready.length > 0 || this.unblocked.length > 0;
  }

  /** handleClientsBlockedOnKeys + processUnblockedClients, until nothing is left to do. */
  afterCommand(): void {
    if (this.handling) return;
    this.handling = true;
    try {
      while (this.hasWork) {
        while (this.ready.length > 0) {
          const batch = this.ready;
          this.ready = [];
          for (const rl of batch) {
            this.readyIn.get(rl.db.id)?.delete(rl.key);
            this.serveKey(rl.db, rl.key);
          }
        }
        const clients = this.unblocked;
        this.unblocked = [];
        for (const c of clients) this.runPending(c);
      }
    } finally {
      this.handling = false;
    }
  }

  private serveKey(db: Db, key: string): void {
    const list = this.waiting.get(db.id)?.get(key);
    if (list === undefined) return;
    for (const c of list.slice()) {
      const st = blockedState(c);
      if (st === undefined || st.db !== db) continue;
      const v = db.peekEntry(key)?.val;
      const fits = v !== undefined && typeof v !== 'string' && v.type === st.type;
      const r = fits ? st.onReady(key) : st.onKeyGone?.(key);
      if (r === undefined) continue;
      this.send(c, r);
      if (r.t === 'error') this.engine.commandStat(c.lastCommand).failedCalls++;
      this.unblock(c);
    }
  }

  /** Run the commands a client sent while blocked, until it blocks again. */
  private runPending(c: Client): void {
    const q = this.pending.get(c);
    if (q === undefined) return;
    this.pending.delete(c);
    while (q.length > 0) {
      if (c.ext.blocked !== undefined || this.isPostponed(c) || !this.engine.clients.has(c.id)) break;
      const argv = q.shift() as string[];
      const r = this.engine.dispatch(c, argv);
      if (r !== undefined) c.deliver(r);
      if (c.closeAsap) {
        c.close();
        return;
      }
    }
    if (q.length > 0 && this.engine.clients.has(c.id)) {
      const later = this.pending.get(c);
      this.pending.set(c, later ? q.concat(later) : q);
    }
  }

  /** The earliest deadline of a blocked client (ms, engine clock), so a host can run cron on time. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const c of this.timed) {
      const t = blockedState(c)?.timeout;
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  /** Blocked clients whose deadline passed get their timeout reply (handleBlockedClientsTimeout). */
  checkTimeouts(now: number): void {
    if (this.timed.size === 0) return;
    for (const c of this.timed) {
      const st = blockedState(c);
      if (st === undefined || st.timeout >= now) continue;
      this.send(c, st.onTimeout?.() ?? NIL_ARRAY);
      this.unblock(c);
    }
    this.afterCommand();
  }

  /** The connection is gone: drop its wait and its backlog. */
  forget(c: Client): void {
    this.pending.delete(c);
    this.postponed.delete(c);
    this.unblock(c);
  }
}
