// Part (a) of `npm run bench`: our engine in-process (createEngine + dispatch, argv arrays built
// beforehand) against ioredis-mock's promise API (awaited one by one), same operations, same keys.

import RedisMock from 'ioredis-mock';
import { createEngine } from '../engine/index';
import type { Reply } from '../engine/protocol/reply';

export interface InProcessRow {
  test: string;
  ours: number | null;
  mock: number | null;
  /** Set when a sanity call failed: the bench reports it instead of a speed. */
  error?: string;
}

const KEYS = 10_000;
const ROUNDS = 5;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

interface Shape {
  test: string;
  /** The i-th operation's argv (MSET: 10 keys). */
  argv: (i: number) => string[];
  mock: (r: InstanceType<typeof RedisMock>, argv: string[]) => Promise<unknown>;
  /** Keys to create on both sides first (GET reads existing keys). */
  fill?: boolean;
}

const SHAPES: Shape[] = [
  { test: 'SET', argv: (i) => ['SET', `key:${i % KEYS}`, `value:${i % KEYS}`], mock: (r, a) => r.set(a[1], a[2]) },
  { test: 'GET', argv: (i) => ['GET', `key:${i % KEYS}`], mock: (r, a) => r.get(a[1]), fill: true },
  { test: 'INCR', argv: (i) => ['INCR', `counter:${i % KEYS}`], mock: (r, a) => r.incr(a[1]) },
  {
    test: 'MSET (10 keys)',
    argv: (i) => {
      const a = ['MSET'];
      for (let j = 0; j < 10; j++) a.push(`key:${(i * 10 + j) % KEYS}`, `value:${j}`);
      return a;
    },
    mock: (r, a) => r.mset(...a.slice(1)),
  },
];

function replyError(r: Reply | undefined): string | null {
  if (r === undefined) return 'no reply';
  return r.t === 'error' ? r.v : null;
}

/** ops/s of each side for `ops` operations per test (after a warm-up round of the same size). */
export async function runInProcess(ops: number): Promise<InProcessRow[]> {
  const rows: InProcessRow[] = [];
  for (const shape of SHAPES) {
    const argvs: string[][] = [];
    for (let i = 0; i < ops; i++) argvs.push(shape.argv(i));
    const engine = createEngine({ config: { save: '' } });
    const client = engine.createClient();
    // Sanity: an error reply must be reported, not timed.
    const err = replyError(engine.dispatch(client, argvs[0]));
    // ioredis-mock instances share their data by host and port: give each test its own.
    const mock = new RedisMock({ port: 20000 + rows.length });
    await mock.flushall();
    if (shape.fill) {
      for (let i = 0; i < KEYS; i++) {
        engine.dispatch(client, ['SET', `key:${i}`, `value:${i}`]);
        await mock.set(`key:${i}`, `value:${i}`);
      }
    }
    let mockErr: string | null = null;
    try {
      await shape.mock(mock, argvs[0]);
    } catch (e) {
      mockErr = `ioredis-mock: ${(e as Error).message}`;
    }
    if (err !== null || mockErr !== null) {
      rows.push({ test: shape.test, ours: null, mock: null, error: err ?? mockErr ?? '' });
      continue;
    }
    // Rounds are timed in CPU time of this process, so that other processes on a busy machine
    // count less; both sides run in this one thread.
    const oursRun = (n: number): number => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < n; i++) engine.dispatch(client, argvs[i]);
      return cpuMs(t0);
    };
    const mockRun = async (n: number): Promise<number> => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await shape.mock(mock, argvs[i]);
      return cpuMs(t0);
    };
    oursRun(ops);
    await mockRun(ops);
    // Timed rounds, interleaved; the fastest round of each counts (least disturbed by the machine).
    let oursMs = Number.POSITIVE_INFINITY;
    let mockMs = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      oursMs = Math.min(oursMs, oursRun(ops));
      mockMs = Math.min(mockMs, await mockRun(ops));
    }
    rows.push({ test: shape.test, ours: (ops * 1000) / oursMs, mock: (ops * 1000) / mockMs });
    mock.disconnect();
  }
  return rows;
}
