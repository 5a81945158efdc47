import { describe, expect, it } from 'vitest';
import { InProcessPort } from './in-process-port';
import { replyInt } from './port';
import { type Limiter, RateLimitScenario } from './rate-limit';

/** `perSecond` requests a second for `seconds`, on the scenario's clock. */
async function load(s: RateLimitScenario, port: InProcessPort, perSecond: number, seconds: number) {
  for (let i = 0; i < perSecond * seconds; i++) {
    await s.request();
    await port.timing.sleep(1000 / perSecond);
  }
}

describe('rate limit scenario', () => {
  for (const limiter of ['fixed', 'sliding', 'bucket'] as Limiter[]) {
    it(`${limiter}: under the limit everything passes, over it about the limit a second passes`, async () => {
      const port = new InProcessPort();
      const s = new RateLimitScenario(port);
      await s.choose('limiter', limiter);
      await load(s, port, 5, 3);
      expect(s.stats).toEqual({ sent: 15, allowed: 15, refused: 0 });
      await port.timing.sleep(2000);
      await load(s, port, 40, 5);
      expect(s.stats.refused).toBeGreaterThan(100);
      // 10 a second, give or take a window edge (the fixed window) or a full bucket at the start.
      const allowedOver = s.stats.allowed - 15;
      expect(allowedOver).toBeGreaterThanOrEqual(45);
      expect(allowedOver).toBeLessThanOrEqual(65);
    });
  }

  it('the fixed window counter expires with its window', async () => {
    const port = new InProcessPort();
    const s = new RateLimitScenario(port);
    await s.request();
    expect(replyInt(port.query(['PTTL', 'rl:fixed:user:42']))).toBeGreaterThan(0);
    await port.timing.sleep(1001);
    expect(replyInt(port.query(['EXISTS', 'rl:fixed:user:42']))).toBe(0);
  });

  it('a burst against the token bucket gets exactly the bucket capacity through', async () => {
    const port = new InProcessPort();
    const s = new RateLimitScenario(port);
    await s.choose('limiter', 'bucket');
    await s.act('burst');
    expect(s.stats).toEqual({ sent: 20, allowed: 10, refused: 10 });
    expect(s.allowedLastSecond()).toBe(10);
  });
});
