// Several sessions side by side, each its own client; keyboard control of the lab.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, run, send, sessions, text } from './lab';

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('BLPOP in one session is released by LPUSH in another', async ({ page }) => {
  await page.keyboard.press('Alt+N');
  await expect.poll(() => sessions(page)).toEqual([1, 2]);
  await page.evaluate(() => window.__lab?.type('BLPOP jobs 0\r', 1));
  await expect(page.locator('[data-session="1"] .pane-status')).toContainText('blocked');
  await page.waitForTimeout(600);
  await run(page, 'LPUSH jobs build');
  // Waits of half a second or more end with redis-cli's elapsed time.
  await expect
    .poll(() => lines(page, 1))
    .toEqual([`${PROMPT}BLPOP jobs 0`, '1) "jobs"', '2) "build"', expect.stringMatching(/^\(\d+\.\d\ds\)$/), PROMPT]);
  expect((await lines(page, 2)).slice(-2)).toEqual(['(integer) 1', PROMPT]);
  await page.screenshot({ path: 'e2e/screenshots/blpop.png' });
});

test('Ctrl+C stops a blocked BLPOP (the lab unblocks the client)', async ({ page }) => {
  await page.evaluate(() => window.__lab?.type('BLPOP never 0\r'));
  await expect(page.locator('[data-session="1"] .pane-status')).toContainText('blocked');
  await page.keyboard.press('Control+C');
  await expect.poll(() => lines(page)).toEqual([`${PROMPT}BLPOP never 0`, '^C', PROMPT]);
  await run(page, 'PING');
  expect((await lines(page)).slice(-2)).toEqual(['PONG', PROMPT]);
});

test('SUBSCRIBE in one session receives PUBLISH from another', async ({ page }) => {
  await page.keyboard.press('Alt+N');
  await send(page, 'SUBSCRIBE news', 1);
  await run(page, 'PUBLISH news "hello there"');
  await expect
    .poll(() => lines(page, 1))
    .toEqual([
      `${PROMPT}SUBSCRIBE news`,
      'Reading messages... (press Ctrl-C to quit)',
      '1) "subscribe"',
      '2) "news"',
      '3) (integer) 1',
      '1) "message"',
      '2) "news"',
      '3) "hello there"',
      '127.0.0.1:6379(subscribed mode)> ',
    ]);
  expect((await lines(page, 2)).slice(-2)).toEqual(['(integer) 1', PROMPT]);
});

test('WATCH conflict: a write from another session makes EXEC return nil', async ({ page }) => {
  await page.keyboard.press('Alt+N');
  await expect.poll(() => sessions(page)).toEqual([1, 2]);
  await send(page, 'WATCH k', 1);
  await send(page, 'MULTI', 1);
  await send(page, 'SET k a', 1);
  await send(page, 'SET k b', 2);
  // The prompt shows (TX) while the transaction is open, as redis-cli does.
  expect((await lines(page, 1)).at(-1)).toBe('127.0.0.1:6379(TX)> ');
  await send(page, 'EXEC', 1);
  await send(page, 'GET k', 1);
  expect(await lines(page, 1)).toEqual([
    `${PROMPT}WATCH k`,
    'OK',
    `${PROMPT}MULTI`,
    'OK',
    '127.0.0.1:6379(TX)> SET k a',
    'QUEUED',
    '127.0.0.1:6379(TX)> EXEC',
    '(nil)',
    `${PROMPT}GET k`,
    '"b"',
    PROMPT,
  ]);
  expect(await lines(page, 2)).toEqual([`${PROMPT}SET k b`, 'OK', PROMPT]);
  await page.screenshot({ path: 'e2e/screenshots/watch-conflict.png' });
});

test('MONITOR shows what other sessions run', async ({ page }) => {
  await page.keyboard.press('Alt+N');
  await page.evaluate(() => window.__lab?.type('MONITOR\r', 1));
  await expect.poll(() => text(page, 1)).toContain('OK');
  await run(page, 'SET watched 1');
  await expect.poll(() => text(page, 1)).toMatch(/\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "watched" "1"/);
});

test('sessions open, rename, focus and close from the keyboard', async ({ page }) => {
  await page.keyboard.press('Alt+N');
  await page.keyboard.press('Alt+N');
  await expect(page.locator('.pane')).toHaveCount(3);
  await expect.poll(() => page.evaluate(() => window.__lab?.active())).toBe(3);
  await page.keyboard.press('Alt+R');
  const field = page.getByLabel('Session name');
  await expect(field).toBeFocused();
  await field.fill('publisher');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-session="3"] .pane-name')).toHaveText('publisher');
  await page.keyboard.press('Alt+1');
  await expect.poll(() => page.evaluate(() => window.__lab?.active())).toBe(1);
  // Typing goes to the focused session.
  await run(page, 'ECHO one');
  expect((await lines(page, 1)).slice(-2)).toEqual(['"one"', PROMPT]);
  await page.keyboard.press('Alt+W');
  await expect(page.locator('.pane')).toHaveCount(2);
  await expect.poll(() => sessions(page)).toEqual([2, 3]);
  await page.screenshot({ path: 'e2e/screenshots/sessions.png' });
});

test('the help overlay lists the shortcuts and gives focus back', async ({ page }) => {
  await page.keyboard.press('F1');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Alt+N');
  await expect(dialog).toContainText('Ctrl+R');
  await page.screenshot({ path: 'e2e/screenshots/help.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await run(page, 'PING');
  expect((await lines(page)).slice(-2)).toEqual(['PONG', PROMPT]);
});
