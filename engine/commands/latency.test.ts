import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { commandCdf } from './latency';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock(1_795_695_925_000);
  const engine = createEngine({ clock, seed: 1, config: { 'enable-debug-command': 'yes', ...config } });
  const c = engine.createClient();
  return { engine, clock, run: (...argv: string[]) => engine.dispatch(c, argv) };
}

/** A reply as plain JS: arrays and maps as arrays, numbers, strings. */
function plain(r: Reply | undefined): unknown {
  if (r === undefined) return undefined;
  if (r.t === 'array') return r.v?.map(plain) ?? null;
  if (r.t === 'map') return r.v.map(([k, v]) => [plain(k), plain(v)]);
  if (r.t === 'int') return Number(r.v);
  return r.v;
}

const SEC = 1_795_695_925;

describe('latency monitor fed by command durations', () => {
  it('records nothing while latency-monitor-threshold is 0', () => {
    const { run } = setup();
    run('DEBUG', 'SLEEP', '0.02');
    expect(plain(run('LATENCY', 'LATEST'))).toEqual([]);
    expect(plain(run('LATENCY', 'HISTORY', 'command'))).toEqual([]);
  });

  it('records a command at or above the threshold as a "command" spike, in whole ms, at the engine second', () => {
    const { run, clock } = setup();
    run('CONFIG', 'SET', 'latency-monitor-threshold', '10');
    run('SET', 'k', 'v');
    expect(plain(run('LATENCY', 'LATEST'))).toEqual([]);
    run('DEBUG', 'SLEEP', '0.015');
    clock.advance(2000);
    run('DEBUG', 'SLEEP', '0.03');
    const latest = plain(run('LATENCY', 'LATEST')) as [string, number, number, number][];
    expect(latest).toHaveLength(1);
    const [event, time, last, max] = latest[0];
    expect([event, time]).toEqual(['command', SEC + 2]);
    expect(last).toBeGreaterThanOrEqual(30);
    expect(max).toBe(last);
    const history = plain(run('LATENCY', 'HISTORY', 'command')) as [number, number][];
    expect(history.map(([t]) => t)).toEqual([SEC, SEC + 2]);
    expect(history[0][1]).toBeGreaterThanOrEqual(15);
    expect(history[0][1]).toBeLessThan(last);
    expect(run('LATENCY', 'HISTORY', 'fast-command')).toEqual({ t: 'array', v: [] });
  });

  it('serves GRAPH, DOCTOR and RESET from the recorded events', () => {
    const { run, clock } = setup();
    run('CONFIG', 'SET', 'latency-monitor-threshold', '5');
    run('DEBUG', 'SLEEP', '0.01');
    clock.advance(3000);
    const graph = plain(run('LATENCY', 'GRAPH', 'command')) as string;
    expect(graph).toMatch(/^command - high \d+ ms, low \d+ ms \(all time high \d+ ms\)\n-{80}\n \n \n \n_\n \n3\ns\n$/);
    expect(run('LATENCY', 'GRAPH', 'fast-command')).toEqual({
      t: 'error',
      v: "ERR No samples available for event 'fast-command'",
    });
    const doctor = plain(run('LATENCY', 'DOCTOR')) as string;
    expect(doctor).toMatch(/^Dave, I have observed latency spikes/);
    expect(doctor).toContain('1. command: 1 latency spikes');
    // slowlog-log-slower-than (10 ms) is above the 5 ms threshold: the doctor suggests lowering it.
    expect(doctor).toContain("Please use 'CONFIG SET slowlog-log-slower-than 5000'.");
    expect(plain(run('LATENCY', 'RESET', 'nosuch', 'COMMAND'))).toBe(1);
    expect(plain(run('LATENCY', 'LATEST'))).toEqual([]);
    expect(plain(run('LATENCY', 'DOCTOR'))).toMatch(/^Dave, no latency spike was observed/);
  });
});

describe('latency monitor events beyond commands', () => {
  it('counts a slow command run inside EXEC too', () => {
    const { run } = setup();
    run('CONFIG', 'SET', 'latency-monitor-threshold', '10');
    run('MULTI');
    run('DEBUG', 'SLEEP', '0.012');
    run('EXEC');
    // The DEBUG SLEEP and the EXEC around it land in the same second: one sample, the worst.
    const latest = plain(run('LATENCY', 'LATEST')) as [string, number, number, number][];
    expect(latest.map(([event]) => event)).toEqual(['command']);
    expect(latest[0][2]).toBeGreaterThanOrEqual(12);
  });

  it('records an active expiry cycle that takes at least the threshold as "expire-cycle"', () => {
    const { engine, clock, run } = setup();
    for (let i = 0; i < 30000; i++) run('SET', `k${i}`, 'v', 'PX', '1');
    run('CONFIG', 'SET', 'latency-monitor-threshold', '1');
    clock.advance(1000);
    engine.cron();
    const history = plain(run('LATENCY', 'HISTORY', 'expire-cycle')) as [number, number][];
    expect(history).toHaveLength(1);
    expect(history[0][0]).toBe(SEC + 1);
    expect(history[0][1]).toBeGreaterThanOrEqual(1);
    expect(plain(run('LATENCY', 'DOCTOR'))).toContain("try to set the 'hz' configuration parameter to 100");
  });
});

describe('latency monitor: eviction', () => {
  it('records an eviction pass that takes at least the threshold as "eviction-cycle"', () => {
    const { run } = setup({ 'maxmemory-policy': 'allkeys-random', 'maxmemory-eviction-tenacity': '100' });
    for (let i = 0; i < 30000; i++) run('SET', `k${i}`, 'v');
    run('CONFIG', 'SET', 'latency-monitor-threshold', '1');
    run('CONFIG', 'SET', 'maxmemory', '1');
    expect(run('SET', 'last', 'v')).toEqual({ t: 'error', v: expect.stringMatching(/^OOM/) });
    const history = plain(run('LATENCY', 'HISTORY', 'eviction-cycle')) as [number, number][];
    expect(history).toHaveLength(1);
    expect(history[0][1]).toBeGreaterThanOrEqual(1);
    expect(plain(run('LATENCY', 'DOCTOR'))).toContain("Sudden changes to the 'maxmemory' setting");
  });
});

describe('LATENCY HISTOGRAM', () => {
  it('maps the power-of-two µs buckets onto Redis keys 1, 2, 4, 8, 16, 33, 66... as cumulative counts', () => {
    const h = new Array<number>(41).fill(0);
    h[0] = 2; // 0 µs
    h[1] = 1; // 1 µs
    h[2] = 3; // 2-3 µs
    h[6] = 1; // 32-63 µs
    expect(plain(commandCdf(h))).toEqual([
      ['calls', 7],
      [
        'histogram_usec',
        [
          [1, 3],
          [4, 6],
          [66, 7],
        ],
      ],
    ]);
  });

  it('replies per command (or per subcommand of a container) only for commands that were called', () => {
    const { run } = setup();
    run('CONFIG', 'RESETSTAT');
    run('SET', 'a', '1');
    run('SET', 'b', '2');
    run('CONFIG', 'GET', 'hz');
    const r = plain(run('LATENCY', 'HISTOGRAM', 'set', 'get', 'nosuch', 'config')) as [string, unknown][];
    expect(r.map(([name]) => name).sort()).toEqual(['config|get', 'config|resetstat', 'set']);
    const set = r.find(([name]) => name === 'set')?.[1] as [string, unknown][];
    expect(set[0]).toEqual(['calls', 2]);
    const buckets = set[1][1] as [number, number][];
    expect(buckets.at(-1)?.[1]).toBe(2);
    expect(plain(run('LATENCY', 'HISTOGRAM', 'config|get'))).toHaveLength(1);
    const all = plain(run('LATENCY', 'HISTOGRAM')) as [string, unknown][];
    expect(all.map(([name]) => name)).toEqual(expect.arrayContaining(['set', 'config|get', 'latency|histogram']));
  });
});
