// An engine worker that stops answering (app/engine-client/watchdog.ts): ended silently — no error
// event, as when the browser ends a worker that ran out of memory — it is found dead through the
// shared heartbeat and restarted from what was saved; a long command is waited for, with a notice
// after 10 s that goes away when the reply comes; a page without shared memory (no COOP/COEP)
// cannot tell the two apart and asks, and "Restart engine" restarts it.

import { expect, type Page, test } from '@playwright/test';
import { lines, openLab, PROMPT, send } from './lab';
import { withoutIsolation } from './terminal-perf';

const notice =
  /\(lab\) the engine worker crashed \(it stopped (without an error, as when the browser ends it for using too much memory|answering and was restarted on request)\); a new engine started from what was saved, and this session reconnected\./;
const joined = async (page: Page) => (await lines(page)).join('');

test('a worker ended silently is noticed through its heartbeat and restarted from what was saved', async ({ page }) => {
  await openLab(page);
  expect(await page.evaluate(() => window.__lab?.replyPath().shared)).toBe(true);
  await send(page, 'SET kept "saved before"');
  await send(page, 'SAVE');
  const workers = page.workers().length;
  const ended = Date.now();
  await page.evaluate(() => window.__lab?.terminateWorker());
  await expect.poll(() => joined(page), { timeout: 15_000 }).toMatch(notice);
  const tookMs = Date.now() - ended;
  console.log(`silent worker death noticed and restarted after ${tookMs} ms`);
  // Outside any command: no question asked (that would take 10 s), a restart after 5 s of silence.
  expect(tookMs).toBeLessThan(10_000);
  await expect(page.getByTestId('engine-stuck')).toHaveCount(0);
  await expect.poll(() => page.workers().length).toBe(workers);
  await send(page, 'GET kept');
  expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}GET kept`, '"saved before"', PROMPT]);
});

for (const colorScheme of ['dark', 'light'] as const) {
  test(`a long command is waited for: after 10 s a notice offers to wait or restart (${colorScheme})`, async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await openLab(page, { colorScheme });
    const sent = Date.now();
    await page.evaluate(() => window.__lab?.type('DEBUG SLEEP 13\r'));
    const banner = page.getByTestId('engine-stuck');
    await expect(banner).toBeVisible({ timeout: 14_000 });
    // The notice counts the silence in whole seconds: 10 when it appears, never more than the time
    // since the command went (a slow test run may read it a second later).
    const text = (await banner.textContent()) ?? '';
    const silent = Number(/The engine has not answered for (\d+) s: a long command, or it stopped\./.exec(text)?.[1]);
    expect(silent).toBeGreaterThanOrEqual(10);
    expect(silent).toBeLessThanOrEqual(Math.floor((Date.now() - sent) / 1000));
    await page.screenshot({ path: `e2e/screenshots/terminal-engine-stuck-${colorScheme}.png` });
    // The engine was busy, not gone: the reply comes, the notice goes, nothing restarted.
    await expect(banner).toHaveCount(0, { timeout: 10_000 });
    await page.evaluate(() => window.__lab?.idle());
    const out = await lines(page);
    expect(out.slice(-3)).toEqual(['OK', expect.stringMatching(/^\(13\.\d\ds\)$/), PROMPT]);
    expect(out.join('')).not.toMatch(notice);
  });
}

test('without shared memory a silent worker gets the notice, and "Restart engine" restarts it', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  await withoutIsolation(page);
  await openLab(page);
  expect(await page.evaluate(() => window.__lab?.replyPath().shared)).toBe(false);
  await page.evaluate(() => window.__lab?.terminateWorker());
  const banner = page.getByTestId('engine-stuck');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  // "Keep waiting" hides it; it comes back after another 10 s of silence.
  await page.getByTestId('engine-keep-waiting').click();
  await expect(banner).toHaveCount(0);
  await expect(banner).toBeVisible({ timeout: 15_000 });
  // (Silence counted since the first unanswered ping: 10 s, then 10 s after the click.)
  await expect(banner).toContainText(/has not answered for 2\d s/);
  await page.getByTestId('engine-restart').click();
  await expect(banner).toHaveCount(0);
  await expect.poll(() => joined(page), { timeout: 10_000 }).toMatch(notice);
  await send(page, 'PING');
  expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}PING`, 'PONG', PROMPT]);
  await context.close();
});
