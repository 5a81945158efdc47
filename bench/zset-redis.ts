// Part (d) of `npm run bench`, the real redis-server 7.0 beside ours: the same sorted-set operations at
// 1K and 1M members, as the server's own CPU time per command (its main thread, /proc schedstat), so
// what Redis's zskiplist + dict pay as the set grows can be read next to our ratios. Context only:
// the targets stay on our figures.

import { encodeCommand } from '../engine/protocol/resp';
import type { Reply } from '../engine/protocol/reply';
import { TestConnection } from '../tests/conformance/connection';
import { type ServerProcess, startRedis } from '../tests/server/servers';
import { mainThreadCpuNs, runRedisBenchmark } from './server-cpu';

export interface RedisZsetRow {
  op: string;
  /** redis-server main-thread CPU ns per command at the small and the large size (medians of the runs). */
  small: number;
  large: number;
}

export interface RedisZsetResult {
  scale: RedisZsetRow[];
  /** Server CPU ms of `bulkCount` single-member ZADDs into an empty key (pipelined). */
  bulkCpuMs: number;
  bulkCount: number;
}

export interface RedisZsetOptions {
  small: number;
  large: number;
  /** Operations per redis-benchmark run (ZRANK / ZSCORE / ZRANGE) and new-member ZADDs per run. */
  ops: number;
  adds: number;
  runs: number;
  /** Seeded score strings, as ours gets them. */
  score: () => string;
  log: (line: string) => void;
  /** redis-server's port (BENCH_REDIS_PORT), else a free one. */
  port?: number;
}

/** Members as redis-benchmark writes __rand_int__: `m:` and 12 zero-padded digits. */
const member = (prefix: string, i: number): string => `${prefix}:${String(i).padStart(12, '0')}`;
/** Commands per write when feeding the server (its CPU, not ours, is measured). */
const CHUNK = 10_000;
/** New-member ZADDs per pipelined batch; each batch is removed again, untimed. As ours (BATCH). */
const BATCH = 100;
const PIPELINE = 32;
const CLIENTS = 4;

const medianOf = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

/** Send `cmds` in one write and read their replies: all must be integers; returns their sum. */
async function pipelineInts(conn: TestConnection, cmds: string[][], what: string): Promise<number> {
  let raw = '';
  for (const argv of cmds) raw += encodeCommand(argv);
  conn.sendRaw(raw);
  let sum = 0;
  for (let i = 0; i < cmds.length; i++) {
    const r = await conn.read(60_000);
    if (r.t !== 'int') throw new Error(`redis-server: ${what}: unexpected reply ${JSON.stringify(r).slice(0, 120)}`);
    sum += Number(r.v);
  }
  return sum;
}

function serverNs(server: ServerProcess): number {
  const ns = mainThreadCpuNs(server.pid);
  if (ns === null) throw new Error('no /proc/<pid>/schedstat: server CPU time unavailable');
  return ns;
}

async function probe(conn: TestConnection, argv: string[], ok: (r: Reply) => boolean): Promise<void> {
  const r = await conn.call(argv);
  if (!ok(r)) throw new Error(`redis-server: ${argv.join(' ')} → ${JSON.stringify(r).slice(0, 120)}`);
}

export async function runZsetRedis(o: RedisZsetOptions): Promise<RedisZsetResult> {
  const server = await startRedis([], o.port);
  const conn = await TestConnection.open(server.port);
  try {
    const key = (size: number) => (size === o.small ? 'zs:small' : 'zs:large');
    // 1. `large` single-member ZADDs into an empty key, CHUNK per write; this is then the large set.
    let bulkNs = 0;
    let added = 0;
    for (let b = 0; b < o.large; b += CHUNK) {
      const chunk: string[][] = [];
      for (let i = b; i < Math.min(o.large, b + CHUNK); i++)
        chunk.push(['ZADD', key(o.large), o.score(), member('m', i)]);
      const t0 = serverNs(server);
      added += await pipelineInts(conn, chunk, 'bulk ZADD');
      bulkNs += serverNs(server) - t0;
    }
    if (added !== o.large) throw new Error(`redis-server: the bulk ZADDs added ${added} members, not ${o.large}`);
    o.log(`  redis-server: ${o.large.toLocaleString('en-US')} ZADDs: server CPU ${(bulkNs / 1e9).toFixed(2)} s`);
    const small: string[] = ['ZADD', key(o.small)];
    for (let i = 0; i < o.small; i++) small.push(o.score(), member('m', i));
    await pipelineInts(conn, [small], 'fill');

    const sizes = [o.small, o.large];
    const last = (size: number) => member('m', size - 1);
    for (const size of sizes) {
      await probe(conn, ['ZCARD', key(size)], (r) => r.t === 'int' && r.v === size);
      await probe(conn, ['ZRANK', key(size), last(size)], (r) => r.t === 'int');
      await probe(conn, ['ZSCORE', key(size), last(size)], (r) => r.t === 'bulk' && r.v !== null);
      await probe(conn, ['ZRANGE', key(size), '0', '49'], (r) => r.t === 'array' && r.v?.length === 50);
    }

    // 2. Lookups: redis-benchmark with random existing members (-r size → m:000000000000 .. size-1).
    const benchmark = async (size: number, args: string[]): Promise<number> => {
      const t0 = serverNs(server);
      const cli = ['-h', '127.0.0.1', '-p', String(server.port), '-c', String(CLIENTS), '-P', String(PIPELINE)];
      cli.push('-n', String(o.ops), '-r', String(size), '-q', ...args);
      await runRedisBenchmark(cli, args[0]);
      if (!server.alive()) throw new Error(`redis-server died during ${args.join(' ')}`);
      return (serverNs(server) - t0) / o.ops;
    };
    // 3. New-member ZADDs: BATCH per write (members x:N never used before), each reply must be 1;
    // then the batch is removed again (untimed) so that the set keeps its size.
    let fresh = 0;
    const adds = async (size: number): Promise<number> => {
      let ns = 0;
      for (let b = 0; b < o.adds; b += BATCH) {
        const batch: string[][] = [];
        for (let i = 0; i < BATCH; i++) batch.push(['ZADD', key(size), o.score(), member('x', fresh++)]);
        const t0 = serverNs(server);
        const n = await pipelineInts(conn, batch, 'new-member ZADD');
        ns += serverNs(server) - t0;
        if (n !== BATCH) throw new Error(`redis-server: ${BATCH - n} of the new-member ZADDs were not new`);
        const removed = await pipelineInts(conn, [['ZREM', key(size), ...batch.map((a) => a[3])]], 'ZREM');
        if (removed !== BATCH) throw new Error('redis-server: ZREM did not remove the added batch');
      }
      return ns / o.adds;
    };
    const shapes: { op: string; measure: (size: number) => Promise<number> }[] = [
      { op: 'ZADD (new member)', measure: adds },
      { op: 'ZRANK', measure: (size) => benchmark(size, ['ZRANK', key(size), 'm:__rand_int__']) },
      { op: 'ZSCORE', measure: (size) => benchmark(size, ['ZSCORE', key(size), 'm:__rand_int__']) },
      { op: 'ZRANGE key 0 49', measure: (size) => benchmark(size, ['ZRANGE', key(size), '0', '49']) },
    ];
    const scale: RedisZsetRow[] = [];
    for (const shape of shapes) {
      const ns: number[][] = [[], []];
      for (let run = 0; run < o.runs; run++) {
        // Alternate which size goes first.
        const order = run % 2 === 0 ? [0, 1] : [1, 0];
        for (const s of order) ns[s].push(await shape.measure(sizes[s]));
      }
      const row = { op: shape.op, small: medianOf(ns[0]), large: medianOf(ns[1]) };
      scale.push(row);
      o.log(`  redis-server ${shape.op}: ${row.small.toFixed(0)} ns vs ${row.large.toFixed(0)} ns`);
    }
    for (const size of sizes) await probe(conn, ['ZCARD', key(size)], (r) => r.t === 'int' && r.v === size);
    return { scale, bulkCpuMs: bulkNs / 1e6, bulkCount: o.large };
  } finally {
    conn.close();
    await server.stop();
  }
}
