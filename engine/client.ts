// A connected client (Redis's client struct in src/server.h): identity, selected db, auth, RESP
// version, reply mode and flags. Terminal sessions, TCP connections and tests are all Clients;
// replies that arrive outside a request (pub/sub, MONITOR, unblocked commands) go through `deliver`.

import type { User } from './acl/user';
import type { Db } from './keyspace/db';
import type { Engine } from './engine';
import type { Reply } from './protocol/reply';

/**
 * Returned by a handler that already sent its replies through client.deliver (SUBSCRIBE and
 * friends reply once per channel): dispatch then has nothing more to send.
 */
export const NO_REPLY: Reply = Object.freeze({ t: 'push', v: Object.freeze([]) as readonly Reply[] });

/** CLIENT REPLY: 'skip-next' is set by CLIENT REPLY SKIP and becomes 'skip' for the next command. */
export type ReplyMode = 'on' | 'off' | 'skip' | 'skip-next';

export interface ClientOptions {
  addr?: string;
  laddr?: string;
  fd?: number;
  name?: string;
  /** Called for replies sent outside a request/response cycle (pushes, MONITOR lines). */
  deliver?: (reply: Reply) => void;
  /** Called when the engine wants this connection closed (QUIT, CLIENT KILL, protocol errors). */
  close?: () => void;
}

export class Client {
  readonly id: number;
  name = '';
  db: Db;
  authenticated: boolean;
  /** The ACL user the connection runs as (c->user): "default" until AUTH/HELLO AUTH. */
  user: User;
  resp: 2 | 3 = 2;
  replyMode: ReplyMode = 'on';
  noEvict = false;
  /** Set when a WATCHed key changes (CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  /** Set when this client should close after its pending replies are written. */
  closeAsap = false;
  monitor = false;
  /** Channels + patterns + shard channels subscribed (subscribe mode when > 0 under RESP2). */
  subscriptionCount = 0;
  lastCommand = 'NULL';
  readonly createdAt: number;
  lastInteraction: number;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  libName = '';
  libVer = '';
  /** Bytes currently buffered from this client (query buffer), reported by CLIENT LIST. */
  queryBufferLength = 0;
  deliver: (reply: Reply) => void;
  close: () => void;
  /** Extension state owned by other command groups (MULTI queue, subscriptions, blocking). */
  readonly ext: Record<string, unknown> = {};

  constructor(
    readonly engine: Engine,
    id: number,
    opts: ClientOptions = {},
  ) {
    this.id = id;
    this.db = engine.dbs[0];
    // createClient: authenticated at once while the default user is on and nopass.
    this.user = engine.acl.defaultUser;
    this.authenticated = !engine.authRequired;
    this.createdAt = engine.now();
    this.lastInteraction = this.createdAt;
    this.addr = opts.addr ?? '127.0.0.1:0';
    this.laddr = opts.laddr ?? '127.0.0.1:6379';
    this.fd = opts.fd ?? -1;
    if (opts.name) this.name = opts.name;
    this.deliver = opts.deliver ?? (() => {});
    this.close = opts.close ?? (() => {});
  }

  /** Flags letters as CLIENT LIST prints them, in catClientInfoString's order ("N" when none). */
  flagString(): string {
    let f = '';
    if (this.monitor) f += 'O';
    if (this.subscriptionCount > 0) f += 'P';
    if (this.ext.multi) f += 'x';
    if (this.ext.blocked || this.engine.blocking.isPostponed(this)) f += 'b';
    const tracking = this.ext.tracking as { brokenRedirect: boolean; bcast: boolean } | undefined;
    if (tracking !== undefined) {
      f += 't';
      if (tracking.brokenRedirect) f += 'R';
      if (tracking.bcast) f += 'B';
    }
    if (this.dirtyCas) f += 'd';
    if (this.closeAsap) f += 'c';
    if (this.noEvict) f += 'e';
    return f === '' ? 'N' : f;
  }
}
