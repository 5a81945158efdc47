// The engine watchdog on a manual clock: a busy engine is waited for (notice after 10 s, gone when
// it answers), a worker that is gone outside any command is restarted after 5 s, a page that
// looked away (throttled timers) does not blame the worker, "Keep waiting" snoozes the notice.

import { describe, expect, it } from 'vitest';
import { DEAD_AFTER_MS, EngineWatchdog, STUCK_AFTER_MS, TICK_MS } from './watchdog';

function harness(shared: boolean) {
  let time = 0;
  let tick: (() => void) | null = null;
  const pings: (() => void)[] = [];
  const pulse = { beat: 0, busy: false };
  const heard: string[] = [];
  const dog = new EngineWatchdog(
    {
      now: () => time,
      setInterval: (fn) => {
        tick = fn;
        return 1;
      },
      clearInterval: () => {
        tick = null;
      },
      ping: () => new Promise<void>((resolve) => pings.push(resolve)),
      pulse: () => (shared ? { ...pulse } : null),
    },
    {
      stuck: (ms) => heard.push(`stuck ${ms}`),
      recovered: () => heard.push('recovered'),
      dead: () => heard.push('dead'),
    },
  );
  const flush = () => new Promise((r) => setTimeout(r, 0));
  /** Let `ms` pass tick by tick; the worker answers pings and beats when `alive`. */
  const pass = async (ms: number, worker: { answers: boolean; beats: boolean }) => {
    for (let t = 0; t < ms; t += TICK_MS) {
      time += TICK_MS;
      if (worker.beats) pulse.beat += 10;
      tick?.();
      if (worker.answers) for (const p of pings.splice(0)) p();
      await flush();
    }
  };
  return { dog, heard, pulse, pings, pass, flush, running: () => tick !== null, advance: (ms: number) => (time += ms) };
}

describe('engine watchdog', () => {
  it('stays quiet while the worker answers pings (no shared memory) or beats (shared memory)', async () => {
    for (const shared of [false, true]) {
      const h = harness(shared);
      h.dog.start();
      await h.pass(60_000, { answers: !shared, beats: shared });
      expect(h.heard).toEqual([]);
    }
  });

  it('asks after 10 s inside a long command, and takes the notice back when the engine answers', async () => {
    const h = harness(true);
    h.dog.start();
    h.pulse.busy = true;
    // The first tick sends a ping that stays unanswered: silence counts from there.
    await h.pass(TICK_MS, { answers: false, beats: false });
    await h.pass(STUCK_AFTER_MS - TICK_MS, { answers: false, beats: false });
    expect(h.heard).toEqual([]);
    await h.pass(TICK_MS, { answers: false, beats: false });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`]);
    // Never taken for dead while inside a command, however long it runs.
    await h.pass(60_000, { answers: false, beats: false });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`]);
    h.pulse.busy = false;
    await h.pass(TICK_MS, { answers: true, beats: true });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`, 'recovered']);
  });

  it('restarts a worker that is gone outside any command after 5 s (shared memory)', async () => {
    const h = harness(true);
    h.dog.start();
    await h.pass(5_000, { answers: false, beats: true });
    await h.pass(DEAD_AFTER_MS - TICK_MS, { answers: false, beats: false });
    expect(h.heard).toEqual([]);
    await h.pass(TICK_MS, { answers: false, beats: false });
    expect(h.heard).toEqual(['dead']);
    expect(h.running()).toBe(false);
    // Watching the new worker starts afresh; the old worker's late answer changes nothing.
    h.dog.start();
    for (const p of h.pings.splice(0)) p();
    await h.pass(20_000, { answers: false, beats: true });
    expect(h.heard).toEqual(['dead']);
  });

  it('without shared memory cannot tell death from a long command: it asks', async () => {
    const h = harness(false);
    h.dog.start();
    await h.pass(TICK_MS + STUCK_AFTER_MS, { answers: false, beats: false });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`]);
    await h.pass(60_000, { answers: false, beats: false });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`]);
  });

  it('does not blame the worker when the page itself was not looking (throttled timers)', async () => {
    const h = harness(false);
    h.dog.start();
    await h.pass(TICK_MS, { answers: true, beats: false });
    // A background tab: the next tick comes a minute later; the worker answers its ping at once.
    h.advance(60_000);
    await h.pass(TICK_MS, { answers: true, beats: false });
    await h.pass(3 * TICK_MS, { answers: true, beats: false });
    expect(h.heard).toEqual([]);
  });

  it('"Keep waiting" hides the notice and asks again after another 10 s of silence', async () => {
    const h = harness(false);
    h.dog.start();
    await h.pass(TICK_MS + STUCK_AFTER_MS, { answers: false, beats: false });
    h.dog.keepWaiting();
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`, 'recovered']);
    await h.pass(STUCK_AFTER_MS - TICK_MS, { answers: false, beats: false });
    expect(h.heard).toHaveLength(2);
    await h.pass(TICK_MS, { answers: false, beats: false });
    expect(h.heard).toEqual([`stuck ${STUCK_AFTER_MS}`, 'recovered', `stuck ${2 * STUCK_AFTER_MS}`]);
  });
});
