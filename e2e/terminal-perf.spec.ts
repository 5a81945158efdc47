// Responsiveness of the terminal, measured in the page and printed: Enter to the reply painted for
// simple commands, and a page that keeps scrolling and echoing keys while the engine is stuck in
// DEBUG SLEEP 3 (no long task or frame over 50 ms). See terminal-latency-raw.spec.ts for the lab's
// own share of the latency.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, send, sessions } from './lab';
import { installFrameProbe, measureLatency } from './terminal-perf';

/** Two and three frames at 60 Hz. */
const TWO_FRAMES_MS = 34;
const THREE_FRAMES_MS = 50;
/** A gap of three 60 Hz intervals reads 50.0-50.2 ms from rAF time stamps. */
const FRAME_MS = 50;
const FRAME_ROUNDING_MS = 0.5;

// Chromium (since M121) holds back every task that is not input or rendering after a discrete
// input event until the next frame has been produced ("DeferRendererTasksAfterInput"): the worker's
// reply, which comes back in well under a millisecond, waits for that frame, and the reply is
// painted in the frame after it. No page code can get a message from a worker sooner (a timer or a
// MessagePort waits as well), so with the browser as shipped the reply shows in the second frame
// after Enter. LAB: the figures (median ≤ 17 ms, p95 ≤ 34 ms) hold for the lab's own path,
// measured with that deferral off in terminal-latency-raw.spec.ts; here they are one frame more.
test('Enter to reply painted, Chromium as shipped: median within two frames, p95 within three', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const { results, ...figures } = await measureLatency(page);
  console.log(`Enter → reply painted (Chromium as shipped): ${JSON.stringify(figures)}`);
  await info.attach('latency.json', { body: JSON.stringify({ figures, results }), contentType: 'application/json' });
  expect(figures.medianMs).toBeLessThanOrEqual(TWO_FRAMES_MS);
  expect(figures.p95Ms).toBeLessThanOrEqual(THREE_FRAMES_MS);
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
