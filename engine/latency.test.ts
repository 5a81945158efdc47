import { describe, expect, it } from 'vitest';
import { LatencyMonitor } from './latency';
import { latencyGraph, latencyReport } from './latency-report';

const T0 = 1795695925;
const CFG = { threshold: 10, slowlogSlowerThan: 10000, hz: 10 };

/** Three spikes of the command event as real redis-server 7.0.15 recorded them (DEBUG SLEEP 0.05, 0.12, 0.02). */
function threeSpikes(): LatencyMonitor {
  const m = new LatencyMonitor();
  m.add('command', 50, T0);
  m.add('command', 120, T0 + 1);
  m.add('command', 20, T0 + 3);
  return m;
}

describe('latency monitor series', () => {
  it('keeps one sample per second (the worst) and the all-time maximum', () => {
    const m = new LatencyMonitor();
    m.add('command', 15, T0);
    m.add('command', 40, T0);
    m.add('command', 12, T0);
    m.add('command', 11, T0 + 1);
    const ts = m.events.get('command');
    expect(ts?.inOrder()).toEqual([
      { time: T0, latency: 40 },
      { time: T0 + 1, latency: 11 },
    ]);
    expect(ts?.max).toBe(40);
    expect(ts?.last()).toEqual({ time: T0 + 1, latency: 11 });
  });

  it('keeps the last 160 seconds of samples, oldest first', () => {
    const m = new LatencyMonitor();
    for (let i = 0; i < 200; i++) m.add('fast-command', i + 1, T0 + i);
    const used = m.events.get('fast-command')?.inOrder() ?? [];
    expect(used).toHaveLength(160);
    expect(used[0]).toEqual({ time: T0 + 40, latency: 41 });
    expect(used[159]).toEqual({ time: T0 + 199, latency: 200 });
  });

  it('resets one event case-insensitively, or all, counting what it dropped', () => {
    const m = threeSpikes();
    m.add('fast-command', 12, T0);
    expect(m.reset('COMMAND')).toBe(1);
    expect(m.reset('command')).toBe(0);
    expect([...m.events.keys()]).toEqual(['fast-command']);
    expect(m.reset(null)).toBe(1);
    expect(m.events.size).toBe(0);
  });
});

describe('LATENCY GRAPH text', () => {
  it('draws the samples as redis-server 7.0.15 drew the same three spikes five seconds later', () => {
    const m = threeSpikes();
    const ts = m.events.get('command');
    if (ts === undefined) throw new Error('no series');
    expect(latencyGraph('command', ts, T0 + 5)).toBe(
      [
        'command - high 120 ms, low 20 ms (all time high 120 ms)',
        '-'.repeat(80),
        ' # ',
        ' | ',
        '_| ',
        '||_',
        '   ',
        '542',
        'sss',
        '',
      ].join('\n'),
    );
  });

  it('labels older samples in minutes, hours and days', () => {
    const m = new LatencyMonitor();
    m.add('command', 10, T0);
    m.add('command', 10, T0 + 7200);
    m.add('command', 10, T0 + 90000 - 120);
    const ts = m.events.get('command');
    if (ts === undefined) throw new Error('no series');
    const lines = latencyGraph('command', ts, T0 + 90000).split('\n');
    // Equal samples: one '_' each on the bottom bar row; labels "1d", "23h", "2m" read downwards.
    expect(lines.slice(2, 6)).toEqual(['   ', '   ', '   ', '___']);
    expect(lines.slice(7, 10)).toEqual(['122', 'd3m', ' h ']);
  });
});

describe('LATENCY DOCTOR text', () => {
  it('says monitoring is disabled while the threshold is 0 and nothing was recorded', () => {
    expect(latencyReport(new LatencyMonitor(), { ...CFG, threshold: 0 }, T0)).toMatch(
      /^I'm sorry, Dave, I can't do that\. Latency monitoring is disabled/,
    );
  });

  it('reports no spike while enabled with no events', () => {
    expect(latencyReport(new LatencyMonitor(), CFG, T0)).toMatch(/^Dave, no latency spike was observed/);
  });

  it('reports each event and the advice, as redis-server 7.0.15 did for the same spikes', () => {
    expect(latencyReport(threeSpikes(), CFG, T0 + 5)).toBe(
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
        '1. command: 3 latency spikes (average 63ms, mean deviation 37ms, period 1.67 sec). Worst all time event 120ms.\n' +
        '\nI have a few advices for you:\n\n' +
        '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n' +
        '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
    );
  });

  it('advises enabling or tuning the slow log against the threshold, and on fast-command spikes', () => {
    const m = new LatencyMonitor();
    m.add('command', 12, T0);
    expect(latencyReport(m, { ...CFG, slowlogSlowerThan: -1 }, T0)).toContain(
      "the command 'CONFIG SET slowlog-log-slower-than 10000'",
    );
    expect(latencyReport(m, { ...CFG, threshold: 5 }, T0)).toContain(
      "Please use 'CONFIG SET slowlog-log-slower-than 5000'.",
    );
    m.add('fast-command', 30, T0);
    const report = latencyReport(m, CFG, T0);
    expect(report).toContain('2. fast-command: 1 latency spikes (average 30ms, mean deviation 0ms, period 1.00 sec)');
    expect(report).toContain("  4) Check with 'redis-cli --intrinsic-latency 100'");
  });
});
