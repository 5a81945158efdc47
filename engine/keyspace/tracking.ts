// Server-assisted client-side caching (Redis 7.0's src/tracking.c): the tracking table (key name →
// ids of the clients that read it, for every db at once), BCAST prefixes with the keys modified in
// this event-loop turn, and the invalidation messages: RESP3 pushes, or `message`s on the
// __redis__:invalidate channel for a RESP2 client that REDIRECTs to a subscribed connection.

import type { Client } from '../client';
import { trackingState } from '../client-line';
import type { Command } from '../commands/define';
import { keysFromSpecs } from '../commands/command-docs';
import { GETKEYS_PROCS } from '../commands/getkeys-procs';
import type { Engine } from '../engine';
import { trackingPrefixOverlap } from '../errors';
import { type Reply, array, bulk, int, NIL } from '../protocol/reply';

/** A client's CLIENT TRACKING state (the CLIENT_TRACKING_* flags, redirection and BCAST prefixes). */
export interface TrackingState {
  /** client_tracking_redirection: 0 when invalidations go to the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT_TRACKING_CACHING: CLIENT CACHING yes|no was given for the next command. */
  caching: boolean;
  /** CLIENT_TRACKING_BROKEN_REDIR: the redirection client was found gone. */
  brokenRedirect: boolean;
  /** client_tracking_prefixes, kept in byte order as the rax iterates them. */
  prefixes: string[];
}

export interface TrackingOptions {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
}

/** bcastState: the keys modified this turn (→ the client that modified each last) and the subscribers. */
interface BcastState {
  keys: Map<string, Client | null>;
  readonly clients: Set<Client>;
}

const CHANNEL = '__redis__:invalidate';
/** Commands that are read-only but whose keys are remembered from the commands their script runs. */
const SCRIPT_RO = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

function sortedKeys<V>(m: Map<string, V>): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** stringCheckPrefix: one of the two is a prefix of the other. */
function overlaps(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/** getKeysFromCommand: the positions of the keys in argv (the getkeys proc, else the key specs). */
function keyPositions(cmd: Command, argv: readonly string[]): number[] {
  const proc = GETKEYS_PROCS.get(cmd.fullname);
  const keys = proc ? proc(argv) : (keysFromSpecs(cmd.spec, argv) ?? []);
  return keys.map((k) => k.pos);
}

export class Tracking {
  /** server.tracking_clients */
  clients = 0;
  /** TrackingTable: key → ids of the clients that may have it cached. */
  private readonly table = new Map<string, Set<number>>();
  /** TrackingTableTotalItems: client ids across the whole table. */
  totalItems = 0;
  /** PrefixTable */
  private readonly prefixTable = new Map<string, BcastState>();
  /** server.tracking_pending_keys: invalidations for the running client, sent after its reply (null: flush). */
  private pending: { client: Client; key: string | null }[] = [];
  private flushQueued = false;
  /** trackingLimitUsedSlots's effort counter (its static timeout_counter). */
  private timeoutCounter = 0;

  constructor(private readonly engine: Engine) {
    engine.clientCloseHooks.push((c) => this.disable(c));
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** checkPrefixCollisionsOrReply: the error text, or null when the prefixes don't overlap. */
  prefixCollision(c: Client, prefixes: readonly string[]): string | null {
    const mine = trackingState(c)?.prefixes ?? [];
    for (let i = 0; i < prefixes.length; i++) {
      for (const p of mine) {
        if (overlaps(p, prefixes[i])) {
          return trackingPrefixOverlap(prefixes[i], p, true);
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i], prefixes[j])) {
          // LAB: for a pair found after the first prefix, 7.0 sends this error and then also enables
          // tracking and replies OK (checkPrefixCollisionsOrReply returns i); here the error alone.
          return trackingPrefixOverlap(prefixes[i], prefixes[j], false);
        }
      }
    }
    return null;
  }

  /** enableTracking */
  enable(c: Client, redirect: number, opts: TrackingOptions, prefixes: readonly string[]): void {
    let st = trackingState(c);
    if (st === undefined) {
      this.clients++;
      st = {
        redirect: 0,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        caching: false,
        brokenRedirect: false,
        prefixes: [],
      };
      c.ext.tracking = st;
    }
    st.brokenRedirect = false;
    st.redirect = redirect;
    st.bcast = opts.bcast;
    if (opts.bcast) {
      if (prefixes.length === 0) this.enablePrefix(c, st, '');
      for (const p of prefixes) this.enablePrefix(c, st, p);
    }
    st.optin = opts.optin;
    st.optout = opts.optout;
    st.noloop = opts.noloop;
  }

  /** enableBcastTrackingForPrefix */
  private enablePrefix(c: Client, st: TrackingState, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixTable.set(prefix, bs);
    }
    if (bs.clients.has(c)) return;
    bs.clients.add(c);
    st.prefixes.push(prefix);
    st.prefixes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** disableTracking (CLIENT TRACKING off, RESET, a closed connection). */
  disable(c: Client): void {
    const st = trackingState(c);
    if (st === undefined) return;
    if (st.bcast) {
      for (const p of st.prefixes) {
        const bs = this.prefixTable.get(p);
        if (bs === undefined) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(p);
      }
    }
    delete c.ext.tracking;
    this.clients--;
  }

  /**
   * call()'s tracking step after a read-only command: `tracking` is the client whose cache is
   * concerned, `cmd`/`argv` the command whose keys are remembered. For a command run by a script
   * (`viaScript`), that is the caller and the EVAL/FCALL it sent: the keys the script declared.
   */
  afterRead(tracking: Client, cmd: Command, argv: readonly string[], viaScript: boolean): void {
    const st = trackingState(tracking);
    // EVAL_RO and FCALL_RO count by the commands their script runs (with their own keys).
    if (st === undefined || st.bcast || (!viaScript && SCRIPT_RO.has(cmd.fullname))) return;
    this.rememberKeys(tracking, st, cmd, argv);
  }

  /** trackingRememberKeys */
  private rememberKeys(c: Client, st: TrackingState, cmd: Command, argv: readonly string[]): void {
    if ((st.optin && !st.caching) || (st.optout && st.caching)) return;
    const positions = keyPositions(cmd, argv);
    if (positions.length === 0) return;
    // Shard channels count as keys for cluster routing only: they are not tracked.
    if (cmd.spec.flags.includes('pubsub')) return;
    for (const pos of positions) {
      const key = argv[pos];
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /**
   * trackingInvalidateKey: `key` was modified (by `modifier`, null for expiry and eviction). Every
   * client that read it is told once and forgotten; with `bcast`, the key joins the BCAST batch.
   */
  invalidateKey(key: string, bcast: boolean, modifier: Client | null): void {
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(key, modifier);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const engine = this.engine;
    const current = engine.currentClient;
    for (const id of ids) {
      const target = engine.clients.get(id);
      const st = target === undefined ? undefined : trackingState(target);
      if (target === undefined || st === undefined || st.bcast) continue;
      if (st.noloop && target === current) continue;
      // The running client gets it after its reply, not in the middle of it.
      if (target === current && engine.inCall) this.queuePending(target, key);
      else this.send(target, array([bulk(key)]));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  /** trackingRememberKeyToBroadcast */
  private rememberKeyToBroadcast(key: string, modifier: Client | null): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix.length > key.length || !key.startsWith(prefix)) continue;
      // (re-inserted: the last modifier counts for NOLOOP)
      bs.keys.set(key, modifier);
      this.scheduleFlush();
    }
  }

  /** trackingInvalidateKeysOnFlush: a RESP null to every tracking client, and an empty table. */
  invalidateOnFlush(): void {
    if (this.clients > 0) {
      const current = this.engine.currentClient;
      for (const c of this.engine.clients.values()) {
        if (trackingState(c) === undefined) continue;
        if (c === current) this.queuePending(c, null);
        else this.send(c, NIL);
      }
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /** trackingLimitUsedSlots: over tracking-table-max-keys, forget random keys (invalidating them). */
  limitUsedSlots(): void {
    const max = this.engine.config.getInt('tracking-table-max-keys');
    if (max === 0) return;
    if (this.table.size <= max) {
      this.timeoutCounter = 0;
      return;
    }
    let effort = 100 * (this.timeoutCounter + 1);
    const keys = [...this.table.keys()];
    while (effort > 0 && keys.length > 0) {
      effort--;
      const i = this.engine.random.int(keys.length);
      const key = keys[i];
      keys[i] = keys[keys.length - 1];
      keys.pop();
      this.invalidateKey(key, false, null);
      if (this.table.size <= max) {
        this.timeoutCounter = 0;
        return;
      }
    }
    this.timeoutCounter++;
  }

  private queuePending(c: Client, key: string | null): void {
    this.pending.push({ client: c, key });
    this.scheduleFlush();
  }

  /** Something to send once the current command has replied (and the event loop turn ends). */
  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /**
   * trackingHandlePendingKeyInvalidations: the running client's own invalidations, after its reply.
   * The TCP server calls it after writing each reply; otherwise it runs when the task ends (flush).
   */
  flushPending(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      if (!this.engine.clients.has(p.client.id) || trackingState(p.client) === undefined) continue;
      this.send(p.client, p.key === null ? NIL : array([bulk(p.key)]));
    }
  }

  /**
   * The end of the event loop turn (a microtask): pending invalidations, then beforeSleep's
   * trackingBroadcastInvalidationMessages for the BCAST keys of the whole turn.
   * LAB: in the browser worker and in-process, a pipeline's own invalidations follow the replies of
   * the whole batch rather than each reply (the TCP server sends them after each reply, as Redis).
   */
  flush(): void {
    this.flushQueued = false;
    this.flushPending();
    this.broadcast();
  }

  /** trackingBroadcastInvalidationMessages */
  private broadcast(): void {
    if (this.clients === 0) return;
    for (const prefix of sortedKeys(this.prefixTable)) {
      const bs = this.prefixTable.get(prefix) as BcastState;
      if (bs.keys.size === 0) continue;
      const keys = sortedKeys(bs.keys);
      const all = array(keys.map((k) => bulk(k)));
      for (const c of bs.clients) {
        const st = trackingState(c);
        if (st?.noloop) {
          const own = keys.filter((k) => bs.keys.get(k) !== c);
          if (own.length > 0) this.send(c, array(own.map((k) => bulk(k))));
        } else this.send(c, all);
      }
      bs.keys = new Map();
    }
  }

  /** sendTrackingMessage: `payload` is the array of keys, or a null for "everything" (flush). */
  private send(c: Client, payload: Reply): void {
    const st = trackingState(c);
    let target = c;
    const redirected = st !== undefined && st.redirect !== 0;
    if (redirected) {
      const redir = this.engine.clients.get(st.redirect);
      if (redir === undefined) {
        st.brokenRedirect = true;
        if (c.resp === 3) c.deliver({ t: 'push', v: [bulk('tracking-redir-broken'), int(st.redirect)] });
        return;
      }
      target = redir;
    }
    if (target.resp === 3) target.deliver({ t: 'push', v: [bulk('invalidate'), payload] });
    else if (redirected && target.subscriptionCount > 0) {
      target.deliver(array([bulk('message'), bulk(CHANNEL), payload]));
    }
    // (a RESP2 client without redirection can't receive pushes: nothing is sent)
  }
}

/** The engine's tracking state, created when a client first enables tracking (TrackingTable). */
export function tracking(engine: Engine): Tracking {
  if (engine.tracking === null) engine.tracking = new Tracking(engine);
  return engine.tracking;
}
