// Responsiveness of the terminal, measured in the page and printed: Enter to the reply painted for
// simple commands in Chromium as shipped, and a page that keeps scrolling and echoing keys while the
// engine is stuck in DEBUG SLEEP 3 (no long task or frame over 50 ms). terminal-latency-raw.spec.ts
// measures the message path alone (no shared memory), with Chromium's deferral after input off.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, send, sessions } from './lab';
import { installFrameProbe, measureLatency, withoutIsolation } from './terminal-perf';

/** One and two frames at 60 Hz: the targets for the median and the 95th percentile. */
const ONE_FRAME_MS = 17;
const TWO_FRAMES_MS = 34;
/** A gap of three 60 Hz intervals reads 50.0-50.2 ms from rAF time stamps. */
const FRAME_MS = 50;
const FRAME_ROUNDING_MS = 0.5;

// Chromium (since M121) holds back every task that is not input or rendering after a discrete
// input event until the next frame has been produced ("DeferRendererTasksAfterInput"): a reply
// message from the worker, back in well under a millisecond, would wait for that frame and be
// painted in the one after. The lab is cross-origin isolated (COOP + COEP) and shares memory with
// its worker: in the Enter key's own task the page waits up to 4 ms for the worker to publish the
// reply there, prints it, and xterm paints it in the next frame (engine/worker/sync-reply.ts).
test('Enter to reply painted, Chromium as shipped: median ≤ 17 ms, p95 ≤ 34 ms over 100 simple commands', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const { results, ...figures } = await measureLatency(page);
  const path = await page.evaluate(() => ({ isolated: crossOriginIsolated, ...window.__lab?.replyPath() }));
  console.log(`Enter → reply painted (Chromium as shipped): ${JSON.stringify({ ...figures, ...path })}`);
  await info.attach('latency.json', {
    body: JSON.stringify({ figures, path, results }),
    contentType: 'application/json',
  });
  expect(path).toMatchObject({ isolated: true, shared: true });
  // The shared-memory path served the commands (a worker descheduled for over 4 ms on a loaded
  // machine sends a few through the message path: they count in the figures all the same).
  expect(path.syncReplies).toBeGreaterThanOrEqual(50);
  expect(figures.medianMs).toBeLessThanOrEqual(ONE_FRAME_MS);
  expect(figures.p95Ms).toBeLessThanOrEqual(TWO_FRAMES_MS);
});

test('without cross-origin isolation (a host that sends no COOP/COEP) replies take the message path', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  await withoutIsolation(page);
  await openLab(page);
  for (const c of ['SET k v', 'GET k', 'INCR n']) {
    await page.keyboard.type(c);
    await page.keyboard.press('Enter');
    await page.evaluate(() => window.__lab?.idle());
  }
  expect((await lines(page)).slice(-7)).toEqual([
    `${PROMPT}SET k v`,
    'OK',
    `${PROMPT}GET k`,
    '"v"',
    `${PROMPT}INCR n`,
    '(integer) 1',
    PROMPT,
  ]);
  const path = await page.evaluate(() => ({ isolated: crossOriginIsolated, ...window.__lab?.replyPath() }));
  expect(path).toEqual({ isolated: false, shared: false, syncReplies: 0 });
  await context.close();
});

test('during DEBUG SLEEP 3 the page scrolls and another session echoes, no frame over 50 ms', async ({
  page,
}, info) => {
  await openLab(page);
  await page.evaluate(installFrameProbe);
  await page.keyboard.press('Alt+N');
  await expect.poll(() => sessions(page)).toEqual([1, 2]);
  // Something to scroll back through in session 2.
  await page.evaluate(() =>
    window.__lab?.pipeline([['RPUSH', 'long', ...Array.from({ length: 300 }, (_, i) => `item-${i}`)]], 2),
  );
  await send(page, 'LRANGE long 0 -1', 2);
  const before = await page.evaluate(() => window.__lab?.geometry(2));
  expect(before?.baseY).toBeGreaterThan(100);

  await page.evaluate(() => window.__frames?.start());
  await page.evaluate(() => window.__lab?.type('DEBUG SLEEP 3\r', 1));
  await expect(page.locator('[data-session="1"] .pane-status')).toContainText('running');
  const started = Date.now();
  // Scroll session 2's terminal back with the wheel.
  const pane = page.locator('[data-session="2"] .pane-terminal');
  const box = await pane.boundingBox();
  await page.mouse.move((box?.x ?? 0) + 100, (box?.y ?? 0) + 100);
  for (let i = 0; i < 10; i++) {
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(50);
  }
  const scrolled = await page.evaluate(() => window.__lab?.geometry(2));
  // Typing into session 2 echoes at once, though the engine is asleep.
  await page.locator('[data-session="2"]').click();
  await page.keyboard.type('ECHO still-typing');
  await expect.poll(() => page.evaluate(() => window.__lab?.line(2))).toBe('ECHO still-typing');
  await expect.poll(async () => (await lines(page, 2)).join('\n')).toContain(`${PROMPT}ECHO still-typing`);
  const stillAsleep = Date.now() - started < 2500;
  await page.evaluate(() => window.__lab?.idle(1));
  const frames = await page.evaluate(() => window.__frames?.stop());
  console.log(
    `during DEBUG SLEEP 3: ${JSON.stringify({ ...frames, scrolledFrom: before?.viewportY, scrolledTo: scrolled?.viewportY })}`,
  );
  await info.attach('sleep-frames.json', { body: JSON.stringify(frames), contentType: 'application/json' });

  expect(stillAsleep).toBe(true);
  expect(scrolled?.viewportY).toBeLessThan((before?.viewportY ?? 0) - 20);
  expect((await lines(page, 1)).slice(-3)).toEqual(['OK', expect.stringMatching(/^\(3\.\d\ds\)$/), PROMPT]);
  expect(frames?.frames).toBeGreaterThan(100);
  expect(frames?.longestTask).toBeLessThanOrEqual(FRAME_MS);
  expect(frames?.longestFrame).toBeLessThanOrEqual(FRAME_MS + FRAME_ROUNDING_MS);
});
