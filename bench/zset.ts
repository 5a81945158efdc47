// Part (d) of `npm run bench`: sorted sets in-process (createEngine + dispatch, argv arrays built
// beforehand). How ZADD/ZRANK/ZSCORE/ZRANGE scale from 1K to 1M members (Redis's zskiplist + dict
// make them O(log N)), the time of 1M single-member ZADDs, and ZADD against ioredis-mock at 16K;
// then the same on a real redis-server for context (bench/zset-redis.ts).

import RedisMock from 'ioredis-mock';
import { createEngine } from '../engine/index';
import type { Reply } from '../engine/protocol/reply';
import type { ZSet } from '../engine/types/zset';
import { type ZsetMemorySide, zsetMemorySide } from './zset-memory';
import { type RedisZsetResult, runZsetRedis } from './zset-redis';

export interface ZsetScaleRow {
  op: string;
  /** CPU ns per operation on the small and the large set (median of the rounds). */
  small: number;
  large: number;
}

export interface ZsetResult {
  smallSize: number;
  largeSize: number;
  ops: number;
  scale: ZsetScaleRow[];
  /** `largeSize` single-member ZADDs into an empty key: wall and CPU ms. */
  bulkWallMs: number;
  bulkCpuMs: number;
  mockMembers: number;
  mockOps: number;
  /** ZADD (new member) ops/s at `mockMembers` members. */
  ours: number;
  mock: number;
  /** Why a search costs more at the large size: nodes visited, structure sizes, memory latency. */
  memory: { small: ZsetMemorySide; large: ZsetMemorySide };
  /** Set when a sanity reply was wrong: the figures are then not meaningful. */
  error?: string;
  /** The same operations on redis-server 7.0 (server CPU), or why they could not be measured. */
  redis: RedisZsetResult | { error: string };
}

const ROUNDS = 3;
/** redis-server: runs per operation and size (medians), new-member ZADDs per run. */
export const REDIS_RUNS = 5;
const REDIS_ADDS = 50_000;
/** New-member ZADDs are timed in batches of this size, each batch then removed untimed (the set keeps its size). */
const BATCH = 100;
const KEY = 'zset';
/** The bulk ZADDs' argv arrays are built (untimed) this many at a time. */
const BULK_CHUNK = 10_000;

type Engine = ReturnType<typeof createEngine>;
type Client = ReturnType<Engine['createClient']>;

/** mulberry32: the same members and scores on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const score = (r: () => number): string => (r() * 1e6).toFixed(4);
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

function expect(r: Reply | undefined, what: string, ok: (r: Reply) => boolean): string | null {
  if (r !== undefined && ok(r)) return null;
  return `${what}: unexpected reply ${JSON.stringify(r).slice(0, 120)}`;
}

class Side {
  readonly engine: Engine = createEngine({ config: { save: '' } });
  readonly client: Client = this.engine.createClient();
  run(argv: string[]): Reply | undefined {
    return this.engine.dispatch(this.client, argv);
  }
}

/** CPU ms of `argvs` dispatched back to back. */
function timeAll(side: Side, argvs: string[][]): number {
  const t0 = cpuNow();
  for (let i = 0; i < argvs.length; i++) side.run(argvs[i]);
  return cpuNow() - t0;
}

/** CPU ms of new-member ZADDs `adds`, timed by batch, each batch removed afterwards (untimed). */
function timeAdds(side: Side, adds: string[][]): number {
  let ms = 0;
  for (let b = 0; b < adds.length; b += BATCH) {
    const batch = adds.slice(b, b + BATCH);
    const t0 = cpuNow();
    for (let i = 0; i < batch.length; i++) side.run(batch[i]);
    ms += cpuNow() - t0;
    side.run(['ZREM', KEY, ...batch.map((a) => a[3])]);
  }
  return ms;
}

function newMemberAdds(n: number, r: () => number, tag: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push(['ZADD', KEY, score(r), `${tag}:${i}`]);
  return out;
}

/** Existing members are `m:0` .. `m:size-1`. */
function lookups(cmd: string, n: number, size: number, r: () => number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push([cmd, KEY, `m:${Math.floor(r() * size)}`]);
  return out;
}

function fill(side: Side, size: number, r: () => number): void {
  for (let b = 0; b < size; b += 1000) {
    const argv = ['ZADD', KEY];
    for (let i = b; i < Math.min(size, b + 1000); i++) argv.push(score(r), `m:${i}`);
    side.run(argv);
  }
}

export async function runZset(opts: {
  small: number;
  large: number;
  ops: number;
  mockMembers: number;
  mockOps: number;
  log: (line: string) => void;
}): Promise<ZsetResult> {
  const r = rng(42);
  const errors: string[] = [];
  const check = (e: string | null) => {
    if (e !== null) errors.push(e);
  };

  // 2. `large` single-member ZADDs into an empty key; this set is then the large one of part 1.
  // The argv arrays are built untimed BULK_CHUNK at a time, then that chunk is timed: a server
  // parses each command from its socket and drops its argv, while a table of a million prebuilt
  // argv arrays and score strings, all alive at once, makes every major GC mark them.
  const large = new Side();
  let bulkWallMs = 0;
  let bulkCpuMs = 0;
  for (let b = 0; b < opts.large; b += BULK_CHUNK) {
    const chunk: string[][] = [];
    for (let i = b; i < Math.min(opts.large, b + BULK_CHUNK); i++) chunk.push(['ZADD', KEY, score(r), `m:${i}`]);
    const w0 = performance.now();
    bulkCpuMs += timeAll(large, chunk);
    bulkWallMs += performance.now() - w0;
  }
  check(expect(large.run(['ZCARD', KEY]), 'ZCARD after the bulk ZADDs', (x) => x.t === 'int' && x.v === opts.large));
  opts.log(`  ${opts.large.toLocaleString('en-US')} ZADDs: ${(bulkWallMs / 1000).toFixed(2)} s`);

  // 1. Per-operation cost on `small` vs `large` members.
  const small = new Side();
  for (let i = 0; i < opts.small; i++) small.run(['ZADD', KEY, score(r), `m:${i}`]);
  const shapes: { op: string; argvs: (size: number) => string[][]; adds?: boolean; ok: (x: Reply) => boolean }[] = [
    {
      op: 'ZADD (new member)',
      argvs: () => newMemberAdds(opts.ops, r, 'x'),
      adds: true,
      ok: (x) => x.t === 'int' && x.v === 1,
    },
    { op: 'ZRANK', argvs: (size) => lookups('ZRANK', opts.ops, size, r), ok: (x) => x.t === 'int' },
    {
      op: 'ZSCORE',
      argvs: (size) => lookups('ZSCORE', opts.ops, size, r),
      ok: (x) => x.t === 'double' || (x.t === 'bulk' && x.v !== null),
    },
    {
      op: 'ZRANGE key 0 49',
      argvs: () => Array.from({ length: opts.ops }, () => ['ZRANGE', KEY, '0', '49']),
      ok: (x) => x.t === 'array' && x.v !== null && x.v.length === 50,
    },
  ];
  const scale: ZsetScaleRow[] = [];
  for (const shape of shapes) {
    const sides = [
      { side: small, size: opts.small, argvs: shape.argvs(opts.small), ms: [] as number[] },
      { side: large, size: opts.large, argvs: shape.argvs(opts.large), ms: [] as number[] },
    ];
    for (const s of sides) {
      const first = s.side.run(s.argvs[0]);
      check(expect(first, `${shape.op} on ${s.size} members`, shape.ok));
      if (shape.adds) s.side.run(['ZREM', KEY, s.argvs[0][3]]);
    }
    const time = (s: (typeof sides)[number], argvs: string[][]) =>
      shape.adds ? timeAdds(s.side, argvs) : timeAll(s.side, argvs);
    // Warm-up on a quarter of the operations, then rounds alternating between the two sets.
    for (const s of sides) time(s, s.argvs.slice(0, opts.ops >> 2));
    for (let round = 0; round < ROUNDS; round++) for (const s of sides) s.ms.push(time(s, s.argvs));
    const ns = (ms: number[]) => (median(ms) * 1e6) / opts.ops;
    scale.push({ op: shape.op, small: ns(sides[0].ms), large: ns(sides[1].ms) });
    opts.log(`  ${shape.op}: ${ns(sides[0].ms).toFixed(0)} ns vs ${ns(sides[1].ms).toFixed(0)} ns`);
  }
  check(expect(large.run(['ZCARD', KEY]), 'ZCARD after part 1', (x) => x.t === 'int' && x.v === opts.large));

  // The same searches' node visits and this machine's memory latency at both sizes (own generator:
  // the other parts keep their members and scores).
  const pr = rng(7);
  const probes = (size: number) => Array.from({ length: 10_000 }, () => `m:${Math.floor(pr() * size)}`);
  const zsetOf = (side: Side) => side.engine.dbs[0].dict.get(KEY) as ZSet;
  const memory = {
    small: zsetMemorySide(zsetOf(small), probes(opts.small)),
    large: zsetMemorySide(zsetOf(large), probes(opts.large)),
  };

  // 3. New-member ZADD at `mockMembers` members, ours vs ioredis-mock, the same members and scores.
  const ours = new Side();
  fill(ours, opts.mockMembers, r);
  const mock = new RedisMock({ port: 20100 });
  await mock.flushall();
  for (let b = 0; b < opts.mockMembers; b += 1000) {
    const pairs: string[] = [];
    for (let i = b; i < Math.min(opts.mockMembers, b + 1000); i++) pairs.push(score(r), `m:${i}`);
    await mock.zadd(KEY, ...pairs);
  }
  check(
    expect(
      ours.run(['ZCARD', KEY]),
      'ZCARD before the ioredis-mock test',
      (x) => x.t === 'int' && x.v === opts.mockMembers,
    ),
  );
  if ((await mock.zcard(KEY)) !== opts.mockMembers) errors.push('ioredis-mock: wrong ZCARD after the fill');
  const adds = newMemberAdds(opts.mockOps, r, 'y');
  const mockAdds = async (argvs: string[][]): Promise<number> => {
    let ms = 0;
    for (let b = 0; b < argvs.length; b += BATCH) {
      const batch = argvs.slice(b, b + BATCH);
      const t0 = cpuNow();
      for (let i = 0; i < batch.length; i++) await mock.zadd(KEY, batch[i][2], batch[i][3]);
      ms += cpuNow() - t0;
      await mock.zrem(KEY, ...batch.map((a) => a[3]));
    }
    return ms;
  };
  // Ours is much faster: it repeats the same list of adds (each batch removed again) to last long
  // enough to time.
  const repeat = 50;
  const oursAdds = (): number => {
    let ms = 0;
    for (let k = 0; k < repeat; k++) ms += timeAdds(ours, adds);
    return ms;
  };
  await mockAdds(adds.slice(0, opts.mockOps >> 2));
  oursAdds();
  const oursMs: number[] = [];
  const mockMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursMs.push(oursAdds());
    mockMs.push(await mockAdds(adds));
  }
  mock.disconnect();
  const oursOps = (opts.mockOps * repeat * 1000) / median(oursMs);
  const mockOps = (opts.mockOps * 1000) / median(mockMs);

  // 4. redis-server 7.0, the same sizes and operations (its own scores from the same generator).
  let redis: RedisZsetResult | { error: string };
  try {
    const port = Number(process.env.BENCH_REDIS_PORT) || undefined;
    redis = await runZsetRedis({ ...opts, adds: REDIS_ADDS, runs: REDIS_RUNS, score: () => score(r), port });
  } catch (err) {
    redis = { error: (err as Error).message };
    opts.log(`  redis-server: ${redis.error}`);
  }

  return {
    smallSize: opts.small,
    largeSize: opts.large,
    ops: opts.ops,
    scale,
    bulkWallMs,
    bulkCpuMs,
    mockMembers: opts.mockMembers,
    mockOps: opts.mockOps,
    ours: oursOps,
    mock: mockOps,
    redis,
    memory,
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
  };
}
