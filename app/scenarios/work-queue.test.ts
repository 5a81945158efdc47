import { describe, expect, it } from 'vitest';
import { InProcessPort } from './in-process-port';
import { replyInt } from './port';
import { CLAIM_IDLE_MS, JOB_MS, LIST, STREAM, WorkQueueScenario } from './work-queue';

async function steps(s: WorkQueueScenario, port: InProcessPort, n: number) {
  for (let i = 0; i < n; i++) {
    await s.tick();
    await port.timing.sleep(JOB_MS / 2);
  }
}

describe('work queue scenario', () => {
  it('stream: a killed consumer leaves its message pending and XAUTOCLAIM hands it to the other', async () => {
    const port = new InProcessPort();
    const s = new WorkQueueScenario(port);
    await steps(s, port, 10);
    expect(s.stats.done).toBeGreaterThan(4);
    await s.act('kill');
    expect(s.stats.lost).toBe(0);
    expect(await s.pending()).toBeGreaterThanOrEqual(1);
    // Before the idle time nothing is claimed; after it, consumer 2 recovers the job.
    await steps(s, port, (CLAIM_IDLE_MS / JOB_MS) * 2 + 6);
    expect(s.stats.recovered).toBe(1);
    const doneBefore = s.stats.done;
    await steps(s, port, 4);
    expect(s.stats.done).toBeGreaterThan(doneBefore);
    expect(replyInt(port.query(['XLEN', STREAM]))).toBe(s.stats.produced);
  });

  it('list: BRPOP removes the job, so a consumer killed mid-job loses it', async () => {
    const port = new InProcessPort();
    const s = new WorkQueueScenario(port);
    await s.choose('kind', 'list');
    await steps(s, port, 10);
    await s.act('kill');
    expect(s.stats.lost).toBe(1);
    await steps(s, port, 20);
    expect(s.stats.recovered).toBe(0);
    // Everything produced is done, still in the list, in consumer 2's hands, or lost.
    const inHands = s
      .figures()
      .find((f) => f.id === 'consumer-2')
      ?.value.startsWith('working')
      ? 1
      : 0;
    const left = replyInt(port.query(['LLEN', LIST]));
    expect(s.stats.done + left + inHands + s.stats.lost).toBe(s.stats.produced);
  });

  it('a restarted consumer takes work again', async () => {
    const port = new InProcessPort();
    const s = new WorkQueueScenario(port);
    await steps(s, port, 2);
    await s.act('kill');
    expect(s.actions().find((a) => a.id === 'revive')?.disabled).toBe(false);
    await s.act('revive');
    await steps(s, port, 4);
    expect(s.figures().find((f) => f.id === 'consumer-1')?.value).toMatch(/^working on|^waiting/);
  });
});
