// The terminal behaves like redis-cli 7.0, typed into with the real keyboard.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, run, send, text } from './lab';

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('SET and GET, and an error', async ({ page }) => {
  await run(page, 'SET greeting "hello world"');
  await run(page, 'GET greeting');
  await run(page, 'INCR greeting');
  expect(await lines(page)).toEqual([
    `${PROMPT}SET greeting "hello world"`,
    'OK',
    `${PROMPT}GET greeting`,
    '"hello world"',
    `${PROMPT}INCR greeting`,
    '(error) ERR value is not an integer or out of range',
    PROMPT,
  ]);
});

test('nested arrays are numbered and indented as redis-cli does', async ({ page }) => {
  await send(page, 'ZADD board 1 ann 2 bob');
  await run(page, 'ZSCAN board 0');
  const out = await lines(page);
  expect(out.slice(-6)).toEqual(['1) "0"', '2) 1) "ann"', '   2) "1"', '   3) "bob"', '   4) "2"', PROMPT]);
});

test('hints show the arguments still to type', async ({ page }) => {
  await page.keyboard.type('SET k v ');
  await expect.poll(() => text(page)).toContain(`${PROMPT}SET k v [NX|XX] [GET] [EX seconds|PX milliseconds`);
  await page.screenshot({ path: 'e2e/screenshots/hints.png' });
});

test('Tab completes command names and cycles', async ({ page }) => {
  await page.keyboard.type('zrangeb');
  await page.keyboard.press('Tab');
  await expect.poll(() => text(page)).toContain(`${PROMPT}ZRANGEBYLEX`);
  await page.keyboard.press('Tab');
  await expect.poll(() => text(page)).toContain(`${PROMPT}ZRANGEBYSCORE`);
  await page.keyboard.type(' z 0 10');
  await page.keyboard.press('Enter');
  await expect.poll(() => lines(page)).toEqual([`${PROMPT}ZRANGEBYSCORE z 0 10`, '(empty array)', PROMPT]);
});

test('Up recalls the previous command; Ctrl+R searches history', async ({ page }) => {
  await run(page, 'INCR visits');
  await run(page, 'GET other');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('GET other');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('INCR visits');
  await page.keyboard.press('Control+U');
  await page.keyboard.press('Control+R');
  await page.keyboard.type('visi');
  await expect.poll(() => text(page)).toContain("(reverse-i-search)`visi': INCR visits");
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.__lab?.idle());
  expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}INCR visits`, '(integer) 2', PROMPT]);
});

test('history survives a reload, as ~/.rediscli_history does', async ({ page }) => {
  await run(page, 'SET remembered 1');
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate(() => window.__lab?.ready());
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('SET remembered 1');
});

test('SELECT and MULTI change the prompt', async ({ page }) => {
  await run(page, 'SELECT 2');
  await run(page, 'MULTI');
  await run(page, 'INCR n');
  await run(page, 'EXEC');
  expect(await lines(page)).toEqual([
    `${PROMPT}SELECT 2`,
    'OK',
    '127.0.0.1:6379[2]> MULTI',
    'OK',
    '127.0.0.1:6379[2](TX)> INCR n',
    'QUEUED',
    '127.0.0.1:6379[2](TX)> EXEC',
    '1) (integer) 1',
    '127.0.0.1:6379[2]> ',
  ]);
});

test('HELP prints the command docs; clear empties the screen', async ({ page }) => {
  await run(page, 'HELP GET');
  const out = await lines(page);
  expect(out.slice(1, 3)).toEqual(['', '  GET key']);
  expect(out[3]).toMatch(/^ {2}summary: /);
  await run(page, 'clear');
  await expect.poll(async () => (await lines(page)).filter((l) => l !== '').slice(-1)).toEqual([PROMPT]);
});

test('a multi-line paste runs line by line', async ({ page }) => {
  await page.evaluate(() => window.__lab?.type('\x1b[200~SET a 1\nINCR a\nGET a\n\x1b[201~'));
  await expect
    .poll(() => lines(page))
    .toEqual([`${PROMPT}SET a 1`, 'OK', `${PROMPT}INCR a`, '(integer) 2', `${PROMPT}GET a`, '"2"', PROMPT]);
});
