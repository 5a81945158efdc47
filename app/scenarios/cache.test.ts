import { describe, expect, it } from 'vitest';
import { CacheScenario, DB_QUERY_MS } from './cache';
import { InProcessPort } from './in-process-port';
import { replyInt, replyStr } from './port';

describe('cache scenario', () => {
  it('misses pay the database latency, hits do not, and the hit rate climbs as the cache warms', async () => {
    const port = new InProcessPort();
    const s = new CacheScenario(port);
    for (let i = 0; i < 200; i++) await s.tick();
    expect(s.stats.reads).toBe(200);
    expect(s.stats.misses).toBe(s.db.queries);
    expect(s.stats.missMs).toBe(s.stats.misses * DB_QUERY_MS);
    expect(s.stats.hitMs).toBe(0);
    expect(s.stats.hits).toBeGreaterThan(s.stats.misses);
    // Every product read is now in Redis, with the TTL set on fill.
    expect(replyInt(port.query(['TTL', 'cache:item:1']))).toBeGreaterThan(0);
  });

  it('cache-aside invalidates on write, so the next read loads the new row from the database', async () => {
    const port = new InProcessPort();
    const s = new CacheScenario(port);
    await s.setup();
    await s.read(3);
    await s.write(3);
    expect(replyInt(port.query(['EXISTS', 'cache:item:3']))).toBe(0);
    const v = await s.read(3);
    expect(v).toContain('"v":1');
    expect(s.stats.misses).toBe(2);
  });

  it('write-through updates the cache and the database in the same request', async () => {
    const port = new InProcessPort();
    const s = new CacheScenario(port);
    await s.setup();
    await s.choose('strategy', 'write-through');
    await s.write(4);
    expect(replyStr(port.query(['GET', 'cache:item:4']))).toContain('"v":1');
    expect(s.db.rows.get(4)).toContain('"v":1');
    expect(s.stats.writeMs).toBe(DB_QUERY_MS);
  });

  it('write-behind answers at cache speed and the database catches up from a queue in Redis', async () => {
    const port = new InProcessPort();
    const s = new CacheScenario(port);
    await s.setup();
    await s.choose('strategy', 'write-behind');
    await s.write(5);
    expect(s.stats.writeMs).toBe(0);
    expect(s.db.rows.get(5)).not.toContain('"v"');
    expect(await s.pending()).toBe(1);
    await s.flush();
    expect(await s.pending()).toBe(0);
    expect(s.db.rows.get(5)).toContain('"v":1');
  });

  it('runs under its own named client, as CLIENT LIST shows', async () => {
    const port = new InProcessPort();
    const s = new CacheScenario(port);
    await s.tick();
    expect(replyStr(port.query(['CLIENT', 'LIST']))).toContain('name=cache-app');
    expect(s.trace().some((l) => l.startsWith('app> GET cache:item:'))).toBe(true);
  });
});
