// Bad input and bad luck: values full of terminal escapes are shown escaped as redis-cli shows them
// and never drive the terminal; a 10 MB value prints without freezing the page, cut with a marker
// that states the limit; the engine worker crashing (DEBUG SEGFAULT) is reported, a new worker
// starts from what was saved, and every session reconnects.

import { expect, type Page, test } from '@playwright/test';
import { lines, openLab, PROMPT, run, send, sessions, text } from './lab';
import { type RealRedis, redisCliSession, startRealRedis } from './oracle';

let real: RealRedis;

test.beforeAll(async () => {
  real = await startRealRedis();
});

test.afterAll(async () => {
  await real?.stop();
});

declare global {
  interface Window {
    __tasks?: { start(): void; stop(): { longestTask: number; longestFrame: number } };
  }
}

/** In the page: the longest task (PerformanceObserver 'longtask') and the longest gap between frames. */
function installFrameProbe(): void {
  let tasks: number[] = [];
  let running = false;
  let last = 0;
  let longestFrame = 0;
  new PerformanceObserver((list) => {
    if (running) for (const e of list.getEntries()) tasks.push(e.duration);
  }).observe({ type: 'longtask' });
  const tick = (t: number) => {
    if (!running) return;
    if (last > 0) longestFrame = Math.max(longestFrame, t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  window.__tasks = {
    start() {
      tasks = [];
      running = true;
      last = 0;
      longestFrame = 0;
      requestAnimationFrame(tick);
    },
    stop() {
      running = false;
      return { longestTask: Math.max(0, ...tasks), longestFrame };
    },
  };
}

const geometry = (page: Page, session?: number) => page.evaluate((s) => window.__lab?.geometry(s), session);

test('a value full of ANSI escapes and control bytes is shown escaped, as redis-cli shows it, and moves nothing', async ({
  page,
}) => {
  const value =
    '"\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r\\bgone\\x1b[5A\\x1b[10;10Hmoved\\x1b[?25l\\x1b[31mred\\x00\\x7f"';
  const session = [
    'ECHO before',
    `SET evil ${value}`,
    'GET evil',
    'MGET evil missing',
    'HSET h f ' + value,
    'HGETALL h',
  ];
  const expected = redisCliSession(real.port, session);
  await openLab(page);
  const title = await page.title();
  for (const line of session) await run(page, line);
  const want = [PROMPT + session[0], ...expected[0]];
  for (let i = 1; i < session.length; i++) want.push(PROMPT + session[i], ...expected[i]);
  want.push(PROMPT);
  expect(await lines(page)).toEqual(want);
  expect(await text(page)).toContain('"\\x1b[2J\\x1b[H\\x1b]0;pwned\\a\\r\\bgone\\x1b[5A');
  // The cursor sits on the last prompt, right after it: nothing moved it or cleared the screen.
  const g = await geometry(page);
  expect((g?.baseY ?? 0) + (g?.cursorY ?? 0)).toBe(want.length - 1);
  expect(await page.title()).toBe(title);

  // Redis echoes the raw bytes of an unknown command's arguments in its error, which redis-cli
  // writes to the tty as they are. LAB: the lab escapes them too.
  await run(page, 'NOSUCHCMD "\\x1b[2J\\x1b[1;1Hx"');
  expect((await lines(page)).slice(-2)).toEqual([
    "(error) ERR unknown command 'NOSUCHCMD', with args beginning with: '\\x1b[2J\\x1b[1;1Hx' ",
    PROMPT,
  ]);
  expect((await lines(page))[0]).toBe(`${PROMPT}ECHO before`);
  await page.screenshot({ path: 'e2e/screenshots/terminal-escapes.png' });
});

test('a 10 MB value prints without freezing the page, cut at 64 KiB with a marker saying so', async ({ page }) => {
  await openLab(page);
  await page.evaluate(installFrameProbe);
  const size = 10 * 1024 * 1024;
  await page.evaluate((n) => window.__lab?.pipeline([['SET', 'big', `${'x'.repeat(n - 3)}END`]]), size);
  await page.evaluate(() => window.__tasks?.start());
  const started = Date.now();
  await run(page, 'GET big');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe(PROMPT);
  const elapsed = Date.now() - started;
  const frames = await page.evaluate(() => window.__tasks?.stop());
  console.log(`GET of a 10 MB value: prompt back in ${elapsed} ms, ${JSON.stringify(frames)}`);
  const out = await lines(page);
  expect(out[0]).toBe(`${PROMPT}GET big`);
  // The wrapped rows of the cut line hold exactly the first 64 KiB of redis-cli's text.
  const printed = out.slice(1, -1).join('');
  const marker = `[lab: output line truncated: printed 65536 of its ${size + 2} bytes; the lab's terminal prints at most 64 KiB per line (GETRANGE / STRLEN read the rest)]`;
  // (Compared as booleans and lengths: a failure must not print megabytes.)
  expect(printed.length).toBe(65536 + marker.length);
  expect(printed === `"${'x'.repeat(65535)}${marker}`).toBe(true);
  expect(frames?.longestTask).toBeLessThanOrEqual(200);
  expect(frames?.longestFrame).toBeLessThanOrEqual(250);
  await run(page, 'STRLEN big');
  expect((await lines(page)).slice(-2)).toEqual([`(integer) ${size}`, PROMPT]);
  await page.screenshot({ path: 'e2e/screenshots/terminal-10mb.png' });
});

test('the worker crashing is reported, a new engine starts from what was saved, and sessions reconnect', async ({
  page,
}) => {
  await openLab(page);
  await page.keyboard.press('Alt+N');
  await expect.poll(() => sessions(page)).toEqual([1, 2]);
  await page.evaluate(() => window.__lab?.type('BLPOP jobs 0\r', 2));
  await expect(page.locator('[data-session="2"] .pane-status')).toContainText('blocked');
  await send(page, 'SET saved "before the crash"', 1);
  await send(page, 'SAVE', 1);
  await send(page, 'SELECT 2', 1);
  await send(page, 'SET unsaved 1', 1);
  const workers = page.workers().length;
  await send(page, 'DEBUG SEGFAULT', 1);
  const notice =
    /^\(lab\) the engine worker crashed \(DEBUG SEGFAULT\); a new engine started from what was saved, and this session reconnected\.$/;
  const joined = async (s: number) => (await lines(page, s)).join('\n');
  // The session that crashed it, as redis-cli: the connection is gone; then the lab's notice and a
  // prompt on the same database again.
  await expect.poll(async () => (await lines(page, 1)).at(-1)).toBe('127.0.0.1:6379[2]> ');
  const one = await lines(page, 1);
  const at = one.indexOf('127.0.0.1:6379[2]> DEBUG SEGFAULT');
  expect(one[at + 1]).toBe('Error: Server closed the connection');
  expect(one.slice(at + 2, -1).join('')).toMatch(notice);
  // The blocked BLPOP in the other session ends disconnected, and that session reconnects too.
  await expect.poll(async () => (await lines(page, 2)).at(-1)).toBe(PROMPT);
  const two = await lines(page, 2);
  expect(two.slice(0, 2)).toEqual([`${PROMPT}BLPOP jobs 0`, 'Error: Server closed the connection']);
  // (A wait of half a second or more ends with redis-cli's elapsed time, even when it failed.)
  const rest = two.slice(2, -1);
  if (/^\(\d+\.\d\ds\)$/.test(rest[0])) rest.shift();
  expect(rest.join('')).toMatch(notice);
  expect(await joined(2)).not.toContain('not connected>');
  // One engine worker again, serving both sessions from the saved data.
  await expect.poll(() => page.workers().length).toBe(workers);
  await send(page, 'GET unsaved', 1);
  await send(page, 'SELECT 0', 1);
  await send(page, 'GET saved', 1);
  expect((await lines(page, 1)).slice(-7, -1)).toEqual([
    '127.0.0.1:6379[2]> GET unsaved',
    '(nil)',
    '127.0.0.1:6379[2]> SELECT 0',
    'OK',
    `${PROMPT}GET saved`,
    '"before the crash"',
  ]);
  await send(page, 'LPUSH jobs one', 2);
  expect((await lines(page, 2)).slice(-2)).toEqual(['(integer) 1', PROMPT]);
  await expect(page.locator('[data-session="2"] .pane-status')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/terminal-crash.png' });
});
