import { describe, expect, it } from 'vitest';
import { InProcessPort } from './in-process-port';
import { PubSubScenario } from './pubsub';

async function ticks(s: PubSubScenario, n: number) {
  for (let i = 0; i < n; i++) await s.tick();
}

const stale = (s: PubSubScenario, name: string) =>
  s.staleCount(s.server(name) as NonNullable<ReturnType<PubSubScenario['server']>>);

describe('pub/sub invalidation scenario', () => {
  it('PUBLISH reaches every online server and their local caches stay fresh', async () => {
    const port = new InProcessPort();
    const s = new PubSubScenario(port);
    await ticks(s, 30);
    expect(s.stats.lastReach).toBe(3);
    for (const n of ['A', 'B', 'C']) {
      expect(s.server(n)?.received).toBe(30);
      expect(stale(s, n)).toBe(0);
    }
  });

  it('a server offline during updates misses them and serves stale values after it returns', async () => {
    const port = new InProcessPort();
    const s = new PubSubScenario(port);
    await ticks(s, 30);
    await s.act('offline');
    await ticks(s, 20);
    expect(s.stats.lastReach).toBe(2);
    expect(s.stats.missed).toBe(20);
    await s.act('online');
    expect(s.server('C')?.received).toBe(30);
    expect(stale(s, 'C')).toBeGreaterThan(0);
    expect(stale(s, 'A')).toBe(0);
  });

  it('with a stream the returning server reads what it missed and has nothing stale', async () => {
    const port = new InProcessPort();
    const s = new PubSubScenario(port);
    await s.choose('transport', 'stream');
    await ticks(s, 30);
    await s.act('offline');
    await ticks(s, 20);
    await s.act('online');
    expect(stale(s, 'C')).toBeGreaterThan(0);
    await s.serve();
    expect(s.server('C')?.received).toBe(50);
    expect(stale(s, 'C')).toBe(0);
    expect(s.stats.missed).toBe(0);
  });
});
