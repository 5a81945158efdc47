// A long command blocks the engine's worker, never the page.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, send } from './lab';

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

/** How long the page takes to paint a frame (the main thread is free if this is short). */
function frameDelay(page: import('@playwright/test').Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }),
  );
}

test('the page stays responsive during DEBUG SLEEP 2 and shows the engine busy', async ({ page }) => {
  await page.evaluate(() => window.__lab?.type('DEBUG SLEEP 2\r'));
  await expect(page.getByTestId('busy')).toBeVisible({ timeout: 1500 });
  // While the worker sleeps: frames keep coming and the UI reacts.
  expect(await frameDelay(page)).toBeLessThan(250);
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByTestId('theme-toggle').click({ timeout: 1000 });
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: 1000 })
    .not.toBe(before);
  await page.screenshot({ path: 'e2e/screenshots/busy.png' });
  await expect(page.getByTestId('busy')).toBeHidden({ timeout: 5000 });
  await expect
    .poll(() => lines(page))
    .toEqual([`${PROMPT}DEBUG SLEEP 2`, 'OK', expect.stringMatching(/^\(2\.\d\ds\)$/), PROMPT]);
});

test('KEYS * over 300k keys runs in the worker while the page keeps painting', async ({ page }) => {
  const batch = 50_000;
  for (let start = 0; start < 300_000; start += batch) {
    await page.evaluate(
      ([s, n]) => window.__lab?.pipeline(Array.from({ length: n }, (_, i) => ['SET', `key:${s + i}`, String(i)])),
      [start, batch],
    );
  }
  expect((await page.evaluate(() => window.__lab?.summary()))?.dbs).toEqual([{ db: 0, keys: 300_000, expires: 0 }]);
  await send(page, 'DBSIZE');
  expect((await lines(page)).slice(-2)).toEqual(['(integer) 300000', PROMPT]);
  const started = Date.now();
  await page.evaluate(() => window.__lab?.type('KEYS *\r'));
  const delays: number[] = [];
  while (Date.now() - started < 1500) delays.push(await frameDelay(page));
  expect(Math.max(...delays)).toBeLessThan(250);
  await page.evaluate(() => window.__lab?.idle());
  // Every key printed (the scrollback keeps the last 5000 lines), maybe the elapsed time, the prompt.
  await expect.poll(async () => (await lines(page)).at(-1), { timeout: 20_000 }).toBe(PROMPT);
  const out = await lines(page);
  expect(out.filter((l) => /^\d+\) /.test(l)).at(-1)).toMatch(/^300000\) "key:\d+"$/);
});
