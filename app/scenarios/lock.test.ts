import { describe, expect, it } from 'vitest';
import { InProcessPort } from './in-process-port';
import { LOCK_KEY, LockScenario } from './lock';
import { replyInt, replyStr } from './port';

async function run(s: LockScenario, port: InProcessPort, seconds: number) {
  for (let t = 0; t < seconds * 20; t++) {
    await s.tick();
    await port.timing.sleep(50);
  }
}

describe('lock scenario', () => {
  it('without pauses the workers take turns: never two inside, no release refused', async () => {
    const port = new InProcessPort();
    const s = new LockScenario(port);
    await run(s, port, 10);
    expect(s.stats.acquired).toBeGreaterThan(20);
    expect(s.stats.busy).toBeGreaterThan(0);
    expect(s.stats.overlaps).toBe(0);
    expect(s.stats.expiredUnder).toBe(0);
    expect(s.stats.refusedReleases).toBe(0);
  });

  it('a worker paused past the TTL loses the lock, and the safe release refuses to delete the new holder', async () => {
    const port = new InProcessPort();
    const s = new LockScenario(port);
    await s.choose('pauses', 'on');
    await run(s, port, 10);
    expect(s.stats.expiredUnder).toBeGreaterThan(0);
    expect(s.stats.refusedReleases).toBe(s.stats.expiredUnder);
    expect(s.stats.overlaps).toBeGreaterThan(0);
    expect(s.stats.wrongDeletes).toBe(0);
  });

  it("the naive DEL release deletes another worker's lock", async () => {
    const port = new InProcessPort();
    const s = new LockScenario(port);
    await s.choose('pauses', 'on');
    await s.choose('release', 'naive');
    await run(s, port, 10);
    expect(s.stats.wrongDeletes).toBeGreaterThan(0);
    expect(s.stats.refusedReleases).toBe(0);
  });

  it('the lock key holds the holder token with a TTL', async () => {
    const port = new InProcessPort();
    const s = new LockScenario(port);
    await s.tick();
    expect(replyStr(port.query(['GET', LOCK_KEY]))).toMatch(/^worker-1:\d+$/);
    const pttl = replyInt(port.query(['PTTL', LOCK_KEY]));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(500);
  });
});
