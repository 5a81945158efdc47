// Part (b) of `npm run bench`: redis-benchmark against our server (started as users start it) and
// against a real redis-server. Each test runs on the two servers one right after the other (so both
// see the same machine load), several times, alternating which goes first; the ratio reported is
// the median of these paired runs. Server CPU time per request is measured too (Linux /proc).

import type { Reply } from '../engine/protocol/reply';
import { TestConnection } from '../tests/conformance/connection';
import { type ServerProcess, startLab, startRedis } from '../tests/server/servers';
import { processCpuMs as cpuMs, runRedisBenchmark } from './server-cpu';

/** redis-benchmark's tests for `-t set,get,incr,mset`, and a request to check each first. */
export const NETWORK_TESTS = [
  { t: 'set', name: 'SET', probe: ['SET', 'bench:probe', 'xxx'] },
  { t: 'get', name: 'GET', probe: ['GET', 'bench:probe'] },
  { t: 'incr', name: 'INCR', probe: ['INCR', 'bench:counter'] },
  {
    t: 'mset',
    name: 'MSET (10 keys)',
    probe: ['MSET', ...Array.from({ length: 10 }, (_, i) => [`bench:k${i}`, 'xxx']).flat()],
  },
] as const;

export interface NetworkRow {
  test: string;
  pipeline: number;
  /** Requests per second of each run, in run order. */
  oursRuns: number[];
  realRuns: number[];
  /** Medians of the runs. */
  ours: number | null;
  real: number | null;
  /** Median of ours/real over runs made back to back. */
  ratio: number | null;
  /** Server CPU time per request (µs), over all runs; null where /proc is not available. */
  oursCpuUs: number | null;
  realCpuUs: number | null;
  /** Set when the check request failed on our server: no speed is reported. */
  error?: string;
}

export interface NetworkOptions {
  requests: number;
  clients: number;
  pipelines: readonly number[];
  runs: number;
  log: (line: string) => void;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One redis-benchmark run of one test: requests/s. Throws if it fails or hangs. */
async function redisBenchmark(port: number, test: string, o: NetworkOptions, pipeline: number): Promise<number> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', test, '-c', String(o.clients)];
  args.push('-n', String(o.requests), '-P', String(pipeline), '-q', '--csv');
  const out = await runRedisBenchmark(args, `-t ${test}`);
  const m = /^"[^"]+","([\d.]+)"/m.exec(out);
  if (!m) throw new Error(`redis-benchmark -t ${test}: no result in ${JSON.stringify(out.slice(0, 200))}`);
  return Number(m[1]);
}

function replyText(r: Reply): string {
  return r.t === 'error' ? r.v : JSON.stringify(r.v);
}

/** Send each test's command once: an error reply (e.g. a command not implemented yet) is reported. */
async function probe(port: number): Promise<Map<string, string>> {
  const conn = await TestConnection.open(port);
  const errors = new Map<string, string>();
  try {
    for (const test of NETWORK_TESTS) {
      const r = await conn.call(test.probe);
      if (r.t === 'error') errors.set(test.name, `${test.probe[0]} → ${replyText(r)}`);
    }
    await conn.call(['DEL', 'bench:probe', 'bench:counter']);
  } finally {
    conn.close();
  }
  return errors;
}

export async function runNetwork(o: NetworkOptions): Promise<NetworkRow[]> {
  let ours: ServerProcess | null = null;
  let real: ServerProcess | null = null;
  try {
    [ours, real] = await Promise.all([startLab(), startRedis()]);
    const errors = await probe(ours.port);
    const realErrors = await probe(real.port);
    if (realErrors.size > 0) throw new Error(`real redis refused the probes: ${[...realErrors.values()].join('; ')}`);
    const servers = { ours, real };
    const rows: NetworkRow[] = [];
    for (const pipeline of o.pipelines) {
      const cpu = new Map<string, { ours: number; real: number; ok: boolean }>();
      const ratios = new Map<string, number[]>();
      const byTest = new Map<string, NetworkRow>();
      for (const t of NETWORK_TESTS) {
        const row: NetworkRow = {
          test: t.name,
          pipeline,
          oursRuns: [],
          realRuns: [],
          ours: null,
          real: null,
          ratio: null,
          oursCpuUs: null,
          realCpuUs: null,
        };
        const error = errors.get(t.name);
        if (error !== undefined) row.error = error;
        byTest.set(t.name, row);
        cpu.set(t.name, { ours: 0, real: 0, ok: true });
        ratios.set(t.name, []);
        rows.push(row);
      }
      for (let run = 0; run < o.runs; run++) {
        o.log(`  -P ${pipeline} run ${run + 1}/${o.runs}`);
        for (const t of NETWORK_TESTS) {
          if (errors.has(t.name)) continue;
          const row = byTest.get(t.name) as NetworkRow;
          const used = cpu.get(t.name) as { ours: number; real: number; ok: boolean };
          // Alternate which server goes first, so neither always runs on a warmer or quieter machine.
          const order: ('ours' | 'real')[] = run % 2 === 0 ? ['ours', 'real'] : ['real', 'ours'];
          const rps = { ours: 0, real: 0 };
          for (const who of order) {
            const server = servers[who];
            const before = cpuMs(server.pid);
            rps[who] = await redisBenchmark(server.port, t.t, o, pipeline);
            const after = cpuMs(server.pid);
            if (!server.alive())
              throw new Error(`${who === 'ours' ? 'our server' : 'redis-server'} died during -t ${t.t}`);
            if (before === null || after === null) used.ok = false;
            else used[who] += after - before;
          }
          row.oursRuns.push(rps.ours);
          row.realRuns.push(rps.real);
          (ratios.get(t.name) as number[]).push(rps.ours / rps.real);
        }
      }
      for (const row of byTest.values()) {
        row.ours = median(row.oursRuns);
        row.real = median(row.realRuns);
        row.ratio = median(ratios.get(row.test) as number[]);
        const used = cpu.get(row.test) as { ours: number; real: number; ok: boolean };
        const requests = row.oursRuns.length * o.requests;
        if (used.ok && requests > 0) {
          row.oursCpuUs = (used.ours * 1000) / requests;
          row.realCpuUs = (used.real * 1000) / requests;
        }
      }
    }
    return rows;
  } finally {
    await Promise.all([ours?.stop(), real?.stop()]);
  }
}
