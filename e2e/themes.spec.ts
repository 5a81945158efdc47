// Dark and light themes: follow the system until toggled, persist, and are readable (screenshots
// in e2e/screenshots/ are for a human to look at).

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, run, send } from './lab';

async function fillDemo(page: import('@playwright/test').Page) {
  await page.keyboard.press('Alt+N');
  await send(page, 'SUBSCRIBE news', 1);
  await send(page, 'ZADD board 10 ann 20 bob');
  await send(page, 'ZRANGE board 0 -1 WITHSCORES');
  await send(page, 'PUBLISH news "hello"');
  await send(page, 'GET');
  await send(page, 'HELP ZADD');
  await page.keyboard.type('SET k v ');
}

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.querySelector('.xterm-scrollable-element') as Element).backgroundColor);

test('dark theme follows prefers-color-scheme: dark', async ({ page }) => {
  await openLab(page, { colorScheme: 'dark' });
  await fillDemo(page);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await background(page)).toBe('rgb(20, 22, 27)');
  await page.screenshot({ path: 'e2e/screenshots/dark.png' });
});

test('light theme follows prefers-color-scheme: light, toggles and persists', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  await fillDemo(page);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  expect(await background(page)).toBe('rgb(252, 252, 250)');
  await page.screenshot({ path: 'e2e/screenshots/light.png' });
  await page.keyboard.press('Alt+T');
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
});

test('font size grows for a projector and the terminal refits', async ({ page }) => {
  await openLab(page);
  await run(page, 'ECHO "big text"');
  const cols = () => page.evaluate(() => document.querySelector('.xterm-rows')?.getBoundingClientRect().width ?? 0);
  const fontPx = () =>
    page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('.xterm-rows') as Element).fontSize));
  const before = await fontPx();
  for (let i = 0; i < 10; i++) await page.keyboard.press('Alt+Equal');
  await expect.poll(fontPx).toBe(before + 10);
  expect(await cols()).toBeGreaterThan(0);
  await page.screenshot({ path: 'e2e/screenshots/projector.png' });
});

test('the terminal refits when the window resizes, keeping the line being typed', async ({ page }) => {
  await openLab(page);
  await run(page, 'ECHO before');
  const typed = 'SET user:1000:profile "a value long enough to wrap on a narrow window"';
  await page.keyboard.type(typed);
  await page.setViewportSize({ width: 520, height: 700 });
  // The input re-wraps: its rows joined give back exactly the prompt and the line, once.
  await expect
    .poll(async () => {
      const out = await lines(page);
      const start = out.map((l) => l.startsWith(PROMPT)).lastIndexOf(true);
      return out.slice(start).join('');
    })
    .toBe(`${PROMPT}${typed}`);
  await page.screenshot({ path: 'e2e/screenshots/narrow.png' });
  await page.setViewportSize({ width: 1400, height: 860 });
  // One row again, now with room for the hint.
  await expect.poll(async () => (await lines(page)).at(-1)).toMatch(`${PROMPT}${typed} [NX|XX]`);
  expect((await lines(page)).filter((l) => l.startsWith(PROMPT))).toHaveLength(2);
});
