// Probes the terminal's performance specs run in the page: Enter → reply painted (a MutationObserver
// on the terminal's rows), long tasks and the longest gap between animation frames.

import { expect, type Page } from '@playwright/test';
import { lines, openLab, PROMPT, send } from './lab';

declare global {
  interface Window {
    __latency?: { arm(session: number, line: string): void; results: number[] };
    __frames?: { start(): void; stop(): { longestTask: number; longestFrame: number; frames: number } };
  }
}

/**
 * In the page: the Enter keydown's time stamp, then a MutationObserver on the session's terminal
 * rows. xterm's DOM renderer updates the rows in an animation frame's rendering step and the frame
 * is painted right after it, so the first mutation that shows a reply row under the typed line is
 * the frame that paints the reply.
 */
export function installLatencyProbe(): void {
  let armed: { session: number; line: string; t0: number | null } | null = null;
  const results: number[] = [];
  const rowsOf = (session: number) =>
    Array.from(document.querySelectorAll(`[data-session="${session}"] .xterm-rows > div`), (d) =>
      (d.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd(),
    );
  window.addEventListener(
    'keydown',
    (e) => {
      if (armed && e.key === 'Enter' && armed.t0 === null) armed.t0 = e.timeStamp;
    },
    true,
  );
  const observer = new MutationObserver(() => {
    if (!armed || armed.t0 === null) return;
    const rows = rowsOf(armed.session);
    const at = rows.lastIndexOf(armed.line);
    if (at >= 0 && at + 1 < rows.length && rows[at + 1] !== '') {
      results.push(performance.now() - armed.t0);
      armed = null;
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__latency = {
    arm(session, line) {
      armed = { session, line, t0: null };
    },
    results,
  };
}

/**
 * Serve the page as a host without COOP/COEP would (the same build, those two headers dropped): no
 * cross-origin isolation, so no shared memory with the worker. Use in a context that blocks service
 * workers (a worker-served response would bypass the route).
 */
export async function withoutIsolation(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

/** In the page: long tasks (PerformanceObserver) and the longest gap between animation frames. */
export function installFrameProbe(): void {
  let tasks: number[] = [];
  let running = false;
  let last = 0;
  let longestFrame = 0;
  let frames = 0;
  new PerformanceObserver((list) => {
    if (running) for (const e of list.getEntries()) tasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  const tick = (t: number) => {
    if (!running) return;
    if (last > 0) longestFrame = Math.max(longestFrame, t - last);
    last = t;
    frames++;
    requestAnimationFrame(tick);
  };
  window.__frames = {
    start() {
      tasks = [];
      running = true;
      last = 0;
      longestFrame = 0;
      frames = 0;
      requestAnimationFrame(tick);
    },
    stop() {
      running = false;
      return { longestTask: Math.max(0, ...tasks), longestFrame, frames };
    },
  };
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => window.__lab?.idle());
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Type 100 simple commands with the keyboard; Enter → reply painted for each (ms). */
export async function measureLatency(
  page: Page,
): Promise<{ medianMs: number; p95Ms: number; maxMs: number; results: number[] }> {
  await openLab(page);
  await page.evaluate(installLatencyProbe);
  const commands: string[] = [];
  for (let i = 0; i < 100; i++) commands.push([`SET k${i} v${i}`, `GET k${i}`, 'INCR c', `ECHO e${i}`][i % 4]);
  // A few unmeasured commands first: the first replies also load fonts and warm up the JIT.
  for (const c of ['PING', 'SET warm 1', 'GET warm']) await send(page, c);
  for (const [i, command] of commands.entries()) {
    await page.keyboard.type(command);
    await settle(page);
    await page.evaluate((line) => window.__latency?.arm(1, line), `${PROMPT}${command}`);
    await page.keyboard.press('Enter');
    await page.evaluate(() => window.__lab?.idle());
    await expect.poll(() => page.evaluate(() => window.__latency?.results.length)).toBe(i + 1);
  }
  // The replies are the right ones.
  expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}ECHO e99`, '"e99"', PROMPT]);
  const results = await page.evaluate(() => window.__latency?.results ?? []);
  expect(results).toHaveLength(100);
  const round = (x: number) => Number(x.toFixed(1));
  return {
    medianMs: round(quantile(results, 0.5)),
    p95Ms: round(quantile(results, 0.95)),
    maxMs: round(Math.max(...results)),
    results: results.map(round),
  };
}
