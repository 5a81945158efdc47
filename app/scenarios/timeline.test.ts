import { describe, expect, it } from 'vitest';
import { InProcessPort } from './in-process-port';
import { replyArr, replyInt } from './port';
import { TimelineScenario } from './timeline';

const strings = (r: ReturnType<InProcessPort['query']>) => replyArr(r).map((x) => (x.t === 'bulk' ? x.v : null));

describe('timeline scenario', () => {
  it('a post writes one ZADD per follower and a read is one ZRANGE REV, newest first', async () => {
    const port = new InProcessPort();
    const s = new TimelineScenario(port);
    await s.choose('followers', '10');
    const first = await s.post();
    const second = await s.post();
    expect(s.stats.fanoutWrites).toBe(20);
    for (let u = 100; u < 110; u++) expect(replyInt(port.query(['ZCARD', `timeline:${u}`]))).toBe(2);
    expect(await s.read(105)).toEqual([`tweet:${second}`, `tweet:${first}`]);
    expect(s.stats.reads).toBe(1);
  });

  it('trims every timeline to the newest tweets it keeps', async () => {
    const port = new InProcessPort();
    const s = new TimelineScenario(port);
    await s.choose('followers', '10');
    await s.choose('keep', '5');
    for (let i = 0; i < 8; i++) await s.post();
    expect(replyInt(port.query(['ZCARD', 'timeline:100']))).toBe(5);
    expect(strings(port.query(['ZRANGE', 'timeline:100', '0', '-1', 'REV']))).toEqual(
      [8, 7, 6, 5, 4].map((i) => `tweet:${i}`),
    );
    // Posts 6, 7 and 8 each removed the oldest tweet from all 10 timelines.
    expect(s.stats.trims).toBe(30);
  });

  it('the generator mixes reads and posts in the ratio asked for', async () => {
    const port = new InProcessPort();
    const s = new TimelineScenario(port);
    await s.choose('followers', '100');
    await s.choose('reads', '20');
    for (let i = 0; i < 420; i++) await s.tick();
    expect(s.stats.posts + s.stats.reads).toBe(420);
    expect(s.stats.posts).toBeGreaterThan(5);
    expect(s.stats.posts).toBeLessThan(45);
    expect(s.stats.fanoutWrites).toBe(100 * s.stats.posts);
  });
});
