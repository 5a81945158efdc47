// Cache invalidation fanned out to app servers, each with a local in-process cache. With pub/sub
// (PUBLISH to a channel every server SUBSCRIBEs to) delivery is fire-and-forget: a server that was
// offline misses the messages and keeps serving stale values. With a stream (XADD; each server
// XREADs from the last id it saw) a server coming back reads what it missed.

import { type Conn, replyArr, replyInt, replyStr, rng, type ScenarioPort } from './port';
import { type Choice, type Figure, type Scenario, Trace, traced } from './scenario';
import type { Reply } from '../../engine/protocol/reply';

export const CHANNEL = 'catalog:updates';
export const INV_STREAM = 'catalog:updates:log';
const PRODUCTS = 10;
const productKey = (n: number) => `catalog:item:${n}`;

export type Transport = 'pubsub' | 'stream';

interface AppServer {
  readonly name: string;
  conn: Conn | null;
  /** A second connection for pub/sub (a subscribed connection runs no other commands). */
  sub: Conn | null;
  online: boolean;
  readonly local: Map<string, string>;
  lastId: string;
  received: number;
}

export class PubSubScenario implements Scenario {
  readonly title = 'Invalidation: pub/sub vs a stream';
  readonly description =
    'Three app servers keep products in a local cache. A writer updates a product in Redis and announces ' +
    'it; each server drops its copy when told. Take server C offline, keep writing, bring it back: with ' +
    'pub/sub it missed the messages and serves stale values; with a stream it catches up.';
  rate = 5;
  readonly rateRange = [1, 20] as const;
  readonly rateLabel = 'updates / s';
  transport: Transport = 'pubsub';
  private writer: Conn | null = null;
  private servers: AppServer[] = [];
  private readonly log = new Trace(8);
  private readonly random: () => number;
  private version = 0;
  /** What each product holds in Redis, as the writer set it. */
  private readonly truth = new Map<string, string>();
  stats = { updates: 0, delivered: 0, missed: 0, lastReach: 0 };

  constructor(
    private readonly port: ScenarioPort,
    seed = 5,
  ) {
    this.random = rng(seed);
  }

  async setup(): Promise<void> {
    if (this.writer) return;
    this.writer = traced(await this.port.open('inv-writer'), 'writer', this.log);
    const init: string[] = [];
    for (let n = 1; n <= PRODUCTS; n++) {
      init.push(productKey(n), 'v0');
      this.truth.set(productKey(n), 'v0');
    }
    await this.writer.call(['MSET', ...init]);
    for (const name of ['A', 'B', 'C']) {
      const s: AppServer = { name, conn: null, sub: null, online: false, local: new Map(), lastId: '$', received: 0 };
      this.servers.push(s);
      await this.goOnline(s);
    }
  }

  server(name: string): AppServer | undefined {
    return this.servers.find((s) => s.name === name);
  }

  private async goOnline(s: AppServer): Promise<void> {
    s.conn = traced(await this.port.open(`app-server-${s.name}`), `server ${s.name}`, this.log);
    s.sub = traced(await this.port.open(`app-server-${s.name}-sub`), `server ${s.name}`, this.log);
    s.sub.onPush((r) => this.onMessage(s, r));
    await s.sub.call(['SUBSCRIBE', CHANNEL]);
    if (s.lastId === '$') {
      // A first start reads the stream from its end, as it is now.
      const last = replyArr(await s.conn.call(['XREVRANGE', INV_STREAM, '+', '-', 'COUNT', '1']));
      s.lastId = last.length > 0 ? (replyStr(replyArr(last[0])[0]) ?? '0-0') : '0-0';
    }
    s.online = true;
  }

  private async goOffline(s: AppServer): Promise<void> {
    await s.sub?.close();
    await s.conn?.close();
    s.sub = null;
    s.conn = null;
    s.online = false;
  }

  /** A pub/sub message: ["message", channel, key]. */
  private onMessage(s: AppServer, r: Reply): void {
    const parts = replyArr(r).map(replyStr);
    if (parts[0] !== 'message' || this.transport !== 'pubsub') return;
    const key = parts[2];
    if (key) {
      s.local.delete(key);
      s.received++;
    }
  }

  /** The writer updates one product and announces it on the current transport. */
  async update(n = 1 + Math.floor(this.random() * PRODUCTS)): Promise<void> {
    await this.setup();
    const w = this.writer as Conn;
    const key = productKey(n);
    const value = `v${++this.version}`;
    await w.call(['SET', key, value]);
    this.truth.set(key, value);
    if (this.transport === 'pubsub') {
      const reached = replyInt(await w.call(['PUBLISH', CHANNEL, key]));
      this.stats.lastReach = reached;
      this.stats.missed += this.servers.filter((s) => !s.online).length;
    } else {
      await w.call(['XADD', INV_STREAM, 'MAXLEN', '~', '1000', '*', 'key', key]);
    }
    this.stats.updates++;
  }

  /** Every online server: catch up on the stream (stream mode), then serve one read. */
  async serve(): Promise<void> {
    for (const s of this.servers) {
      if (!s.online || s.conn === null) continue;
      if (this.transport === 'stream') {
        const r = replyArr(await s.conn.call(['XREAD', 'COUNT', '100', 'STREAMS', INV_STREAM, s.lastId]));
        const entries = r.length > 0 ? replyArr(replyArr(r[0])[1]) : [];
        for (const e of entries) {
          const [id, fields] = replyArr(e);
          s.lastId = replyStr(id) ?? s.lastId;
          const key = replyStr(replyArr(fields)[1]);
          if (key) s.local.delete(key);
          s.received++;
        }
      }
      const key = productKey(1 + Math.floor(this.random() * PRODUCTS));
      if (!s.local.has(key)) s.local.set(key, replyStr(await s.conn.call(['GET', key])) ?? '');
    }
  }

  async tick(): Promise<void> {
    await this.update();
    await this.serve();
  }

  /** Local entries that differ from what the writer last wrote to Redis. */
  staleCount(server: AppServer): number {
    return [...server.local].filter(([k, v]) => this.truth.get(k) !== v).length;
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'transport',
        label: 'Announce with',
        value: this.transport,
        options: [
          { value: 'pubsub', label: 'PUBLISH (pub/sub)' },
          { value: 'stream', label: 'XADD (a stream)' },
        ],
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'transport' && (value === 'pubsub' || value === 'stream')) this.transport = value;
  }

  actions() {
    const c = this.server('C');
    return [
      { id: 'offline', label: 'Take server C offline', disabled: !c?.online },
      { id: 'online', label: 'Bring server C back', disabled: c === undefined || c.online },
    ];
  }

  async act(id: string): Promise<void> {
    await this.setup();
    const c = this.server('C') as AppServer;
    if (id === 'offline' && c.online) await this.goOffline(c);
    if (id === 'online' && !c.online) await this.goOnline(c);
  }

  figures(): readonly Figure[] {
    const s = this.stats;
    return [
      { id: 'updates', label: 'Updates announced', value: String(s.updates) },
      {
        id: 'reach',
        label: 'Last PUBLISH reached',
        value: this.transport === 'pubsub' ? `${s.lastReach} subscribers` : '– (stream)',
      },
      { id: 'missed', label: 'Messages missed while offline', value: String(s.missed), tone: 'bad' },
      ...this.servers.map((x) => ({
        id: `server-${x.name}`,
        label: `Server ${x.name}`,
        value: `${x.online ? 'online' : 'offline'}, ${x.received} received, ${this.staleCount(x)} stale`,
        tone: this.staleCount(x) > 0 ? ('bad' as const) : undefined,
      })),
    ];
  }

  trace(): readonly string[] {
    return this.log.get();
  }

  async dispose(): Promise<void> {
    for (const s of this.servers) await this.goOffline(s);
    await this.writer?.close();
    this.servers = [];
    this.writer = null;
  }
}
