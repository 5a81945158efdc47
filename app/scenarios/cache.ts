// The hook of the course: an app reads products through a Redis cache in front of a slow primary
// database (about 50 ms a query, as the seed says). Four strategies to switch between: cache-aside,
// read-through, write-through and write-behind; hit rate and hit/miss latency are measured live.

import { type Conn, rng, replyInt, replyStr, type ScenarioPort } from './port';
import { type Choice, type Figure, ms, pct, type Scenario, Trace, traced } from './scenario';

export type CacheStrategy = 'cache-aside' | 'read-through' | 'write-through' | 'write-behind';

/** What one query of the simulated primary database costs. */
export const DB_QUERY_MS = 50;
const PRODUCTS = 50;
const TTL_S = 60;
const QUEUE = 'writebehind:queue';

const cacheKey = (id: number) => `cache:item:${id}`;

/** The primary database: rows in memory, every access costing DB_QUERY_MS of the scenario's time. */
class SlowDatabase {
  readonly rows = new Map<number, string>();
  queries = 0;
  constructor(private readonly port: ScenarioPort) {
    for (let i = 1; i <= PRODUCTS; i++) this.rows.set(i, `{"id":${i},"price":${100 + i}}`);
  }
  async read(id: number): Promise<string> {
    this.queries++;
    await this.port.timing.sleep(DB_QUERY_MS);
    return this.rows.get(id) ?? '';
  }
  async write(id: number, value: string): Promise<void> {
    this.queries++;
    await this.port.timing.sleep(DB_QUERY_MS);
    this.rows.set(id, value);
  }
}

export class CacheScenario implements Scenario {
  readonly title = 'A cache in front of a slow database';
  readonly description =
    'Each request reads (or sometimes updates) a product. A hit is answered by Redis; a miss also pays ' +
    `the database's ${DB_QUERY_MS} ms. Popular products are asked for more often, so the hit rate climbs as ` +
    'the cache warms. Switch strategies and add writes to see where the latency goes.';
  rate = 10;
  readonly rateRange = [1, 40] as const;
  readonly rateLabel = 'requests / s';
  strategy: CacheStrategy = 'cache-aside';
  writeShare = 0;
  readonly db: SlowDatabase;
  private app: Conn | null = null;
  private flusher: Conn | null = null;
  private readonly log = new Trace();
  private readonly random: () => number;
  private version = 0;
  stats = { reads: 0, hits: 0, misses: 0, hitMs: 0, missMs: 0, writes: 0, writeMs: 0, flushed: 0 };

  constructor(
    private readonly port: ScenarioPort,
    seed = 7,
  ) {
    this.db = new SlowDatabase(port);
    this.random = rng(seed);
  }

  async setup(): Promise<void> {
    this.app ??= traced(await this.port.open('cache-app'), 'app', this.log);
    this.flusher ??= traced(await this.port.open('cache-writer'), 'writer', this.log);
  }

  /** A product id, the low ids far more popular (roughly Zipf-like). */
  private pick(): number {
    return 1 + Math.floor(PRODUCTS * this.random() ** 3);
  }

  async tick(): Promise<void> {
    await this.setup();
    if (this.random() < this.writeShare) await this.write(this.pick());
    else await this.read(this.pick());
    if (this.strategy === 'write-behind') await this.flush();
  }

  /** Read product `id` the current strategy's way; returns its value. */
  async read(id: number): Promise<string> {
    const app = this.app as Conn;
    const t0 = this.port.timing.now();
    const cached = replyStr(await app.call(['GET', cacheKey(id)]));
    this.stats.reads++;
    if (cached !== null) {
      this.stats.hits++;
      this.stats.hitMs += this.port.timing.now() - t0;
      return cached;
    }
    // cache-aside: the app loads and fills the cache itself. read-through / write-through /
    // write-behind: the cache layer does it for the app — on the wire, the same GET then SET.
    const value = await this.db.read(id);
    await app.call(['SET', cacheKey(id), value, 'EX', String(TTL_S)]);
    this.stats.misses++;
    this.stats.missMs += this.port.timing.now() - t0;
    return value;
  }

  /** Update product `id` (a new price) the current strategy's way. */
  async write(id: number): Promise<void> {
    const app = this.app as Conn;
    const value = `{"id":${id},"price":${100 + id},"v":${++this.version}}`;
    const t0 = this.port.timing.now();
    switch (this.strategy) {
      case 'cache-aside':
      case 'read-through':
        // Database first, then invalidate: the next read loads the new row.
        await this.db.write(id, value);
        await app.call(['DEL', cacheKey(id)]);
        break;
      case 'write-through':
        // Both, synchronously: the cache is never stale, each write pays the database.
        await this.db.write(id, value);
        await app.call(['SET', cacheKey(id), value, 'EX', String(TTL_S)]);
        break;
      case 'write-behind':
        // The cache now, the database later: the write is queued in Redis and flushed in the background.
        await app.pipeline([
          ['SET', cacheKey(id), value, 'EX', String(TTL_S)],
          ['RPUSH', QUEUE, `${id}=${value}`],
        ]);
        break;
    }
    this.stats.writes++;
    this.stats.writeMs += this.port.timing.now() - t0;
  }

  /** The write-behind worker: one queued write into the database. */
  async flush(): Promise<void> {
    const w = this.flusher as Conn;
    const item = replyStr(await w.call(['LPOP', QUEUE]));
    if (item === null) return;
    const eq = item.indexOf('=');
    await this.db.write(Number(item.slice(0, eq)), item.slice(eq + 1));
    this.stats.flushed++;
  }

  /** Writes queued for the database (write-behind). */
  async pending(): Promise<number> {
    return replyInt(await (this.flusher as Conn).call(['LLEN', QUEUE]));
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'strategy',
        label: 'Strategy',
        value: this.strategy,
        options: [
          { value: 'cache-aside', label: 'Cache-aside' },
          { value: 'read-through', label: 'Read-through' },
          { value: 'write-through', label: 'Write-through' },
          { value: 'write-behind', label: 'Write-behind' },
        ],
      },
      {
        id: 'writes',
        label: 'Writes',
        value: String(this.writeShare),
        options: [
          { value: '0', label: 'none' },
          { value: '0.1', label: '10 %' },
          { value: '0.3', label: '30 %' },
        ],
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'strategy') this.strategy = value as CacheStrategy;
    if (id === 'writes') this.writeShare = Number(value);
  }

  actions() {
    return [{ id: 'flush-cache', label: 'Empty the cache' }];
  }

  async act(id: string): Promise<void> {
    if (id !== 'flush-cache') return;
    await this.setup();
    const app = this.app as Conn;
    const keys = Array.from({ length: PRODUCTS }, (_, i) => cacheKey(i + 1));
    await app.call(['DEL', ...keys]);
  }

  figures(): readonly Figure[] {
    const s = this.stats;
    return [
      { id: 'requests', label: 'Reads', value: String(s.reads) },
      { id: 'hit-rate', label: 'Hit rate', value: pct(s.hits, s.reads), tone: 'good' },
      { id: 'hit-latency', label: 'Hit latency', value: ms(s.hitMs, s.hits), tone: 'good' },
      { id: 'miss-latency', label: 'Miss latency', value: ms(s.missMs, s.misses), tone: 'bad' },
      { id: 'write-latency', label: 'Write latency', value: ms(s.writeMs, s.writes) },
      { id: 'db-queries', label: 'Database queries', value: String(this.db.queries) },
      { id: 'queued', label: 'Writes flushed later', value: String(s.flushed) },
    ];
  }

  trace(): readonly string[] {
    return this.log.get();
  }

  async dispose(): Promise<void> {
    await this.app?.close();
    await this.flusher?.close();
    this.app = null;
    this.flusher = null;
  }
}
