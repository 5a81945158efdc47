// Share links (#share=...): make state, copy the link, open it in a fresh browser context, confirm,
// and find the same keyspace (TTLs included), the lesson and the commands; malformed and oversized
// links are refused with a message; key names and values from a link are shown as text, never run.

import { type Browser, expect, type Page, test } from '@playwright/test';
import { labReady, openLab, PROMPT, reply, send, text } from './lab';

const READS: Record<string, (k: string) => string> = {
  string: (k) => `GET ${k}`,
  list: (k) => `LRANGE ${k} 0 -1`,
  hash: (k) => `HGETALL ${k}`,
  set: (k) => `SORT ${k} ALPHA`,
  zset: (k) => `ZRANGE ${k} 0 -1 WITHSCORES`,
  stream: (k) => `XRANGE ${k} - +`,
};

/** Every key of db 0 and 2 with its type, value and TTL, as the terminal prints them. */
async function listing(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const db of [0, 2]) {
    await send(page, `SELECT ${db}`);
    const keys = (await reply(page, 'KEYS *')).map((l) => l.replace(/^\s*\d+\) /, '').replace(/^"|"$/g, '')).sort();
    for (const k of keys) {
      if (k === '(empty array)') continue;
      const type = (await reply(page, `TYPE ${k}`))[0];
      const read = READS[type];
      const ttl = Number((await reply(page, `TTL ${k}`))[0].replace('(integer) ', ''));
      // TTLs tick while the test runs: compared on their own.
      out.push(`${db} ${k} ${type} ${ttl < 0 ? ttl : 'ttl'} ${(await reply(page, read(k))).join('|')}`);
    }
  }
  await send(page, 'SELECT 0');
  return out;
}

async function freshPage(browser: Browser, baseURL: string, hash = ''): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/${hash}`);
  return page;
}

/** Make the link with the Share dialog; returns it as copied to the clipboard. */
async function makeLink(page: Page, commands = ''): Promise<string> {
  await page.getByTestId('share-button').click();
  const dialog = page.getByTestId('share-create');
  await expect(dialog).toBeVisible();
  if (commands) await page.getByTestId('share-commands').fill(commands);
  await expect(page.getByTestId('share-link')).toHaveValue(/#share=/);
  await expect(page.getByTestId('share-summary')).toContainText('link data');
  // The link is rebuilt after the commands are typed: wait until it carries them before copying.
  const typed = commands.split('\n').filter((l) => l.trim() !== '').length;
  if (typed > 0) await expect(page.getByTestId('share-summary')).toContainText(`${typed} command`);
  await page.getByTestId('share-copy').click();
  await expect(dialog).toContainText('Link copied to the clipboard');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.getByTestId('share-link').inputValue());
  return copied;
}

test('a share link carries the keyspace, TTLs, commands and lesson into a fresh browser', async ({ browser }, info) => {
  const baseURL = info.project.use.baseURL ?? '';
  const context = await browser.newContext({ baseURL, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  // CSP violations and script errors show as console errors.
  const senderErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') senderErrors.push(m.text());
  });
  await openLab(page);
  // The clock an hour ahead (lessons' :advance), a lesson open at its third step.
  await send(page, ':advance 1h');
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-select').selectOption('why-ram');
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-panel')).toContainText('Step 3 of');
  await send(page, 'SET greeting hello');
  await send(page, 'SET session:1 abc EX 600');
  await send(page, 'RPUSH queue a b c');
  await send(page, 'HSET user:1 name Ada lang en');
  await send(page, 'SADD tags red green blue');
  await send(page, 'ZADD board 10 ann 20.5 bob');
  await send(page, 'XADD events 1-1 kind signup');
  await send(page, 'SELECT 2');
  await send(page, 'SET other-db yes');
  await send(page, 'SELECT 0');
  const before = await listing(page);
  expect(before).toHaveLength(8);

  const link = await makeLink(page, 'INCR visits\nGET greeting');
  await expect(page.getByTestId('share-summary')).toContainText('8 keys');
  await expect(page.getByTestId('share-summary')).toContainText('2 commands, lesson why-ram, step 3, clock +3600 s');
  await page.screenshot({ path: 'e2e/screenshots/share-create.png' });
  const data = new URL(link).hash.slice('#share='.length);
  console.log(`share link: 8 keys of 6 types + 2 commands = ${data.length} characters of #share= data`);
  expect(data.length).toBeLessThan(2048);
  expect(senderErrors).toEqual([]);
  await context.close();

  // A fresh context: empty storage, nothing in common with the first but the link.
  const other = await freshPage(browser, baseURL, new URL(link).hash);
  const errors: string[] = [];
  other.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const ask = other.getByTestId('share-open');
  await expect(ask).toContainText('a snapshot of 8 keys in 2 databases (1 with a TTL)');
  await expect(ask).toContainText('then 2 commands typed into the terminal');
  await expect(other.getByTestId('share-command-list')).toHaveText('INCR visits\nGET greeting');
  await expect(other.getByTestId('share-keys')).toContainText(/session:1 \(string, TTL (59\d|600) s\)/);
  await expect(ask).toContainText('lesson why-ram, step 3');
  await expect(ask).toContainText('the clock moved 3600 s ahead');
  await other.screenshot({ path: 'e2e/screenshots/share-open.png' });
  // The hash is read once: it is gone from the address bar before anything loads.
  expect(new URL(other.url()).hash).toBe('');
  await labReady(other);
  await other.getByTestId('share-confirm').click();
  await expect(other.getByTestId('share-result')).toHaveText('Loaded 8 keys from the shared snapshot.');
  await other.getByTestId('share-close').click();
  await expect(other.getByTestId('lesson-panel')).toContainText('Step 3 of');
  await expect(other.getByTestId('lesson-select')).toHaveValue('why-ram');
  const time = Number((await reply(other, 'TIME'))[0].replace(/^1\) "|"$/g, ''));
  expect(Math.abs(time - (Date.now() / 1000 + 3600))).toBeLessThan(30);
  // The commands ran in the terminal, visibly.
  await expect.poll(() => text(other)).toContain(`${PROMPT}GET greeting\n"hello"`);
  expect(await reply(other, 'GET visits')).toEqual(['"1"']);
  await send(other, 'DEL visits');
  expect(await listing(other)).toEqual(before);
  // The TTL it had when shared, less the seconds since it was loaded.
  const ttl = Number((await reply(other, 'TTL session:1'))[0].replace('(integer) ', ''));
  expect(ttl).toBeGreaterThan(570);
  expect(ttl).toBeLessThanOrEqual(600);
  expect(errors).toEqual([]);
  await other.context().close();
});

test('malformed and oversized links are refused with a message; the lab keeps working', async ({ browser }, info) => {
  const baseURL = info.project.use.baseURL ?? '';
  const cases: [string, RegExp][] = [
    ['#share=not*base64', /not valid base64url/],
    ['#share=AAAAAAAAAAAA', /damaged|does not unpack|not a Redis Lab share link/],
    [`#share=${'A'.repeat(70_000)}`, /too long \(69 KB; share links are limited to 64 KB\)/],
    ['#share=', /carries no data/],
  ];
  for (const [hash, why] of cases) {
    const page = await freshPage(browser, baseURL, hash);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await expect(page.getByTestId('share-refused')).toBeVisible();
    await expect(page.getByTestId('share-reason')).toHaveText(why);
    if (hash.length > 1000) await page.screenshot({ path: 'e2e/screenshots/share-refused.png' });
    await page.getByTestId('share-close').click();
    await labReady(page);
    await send(page, 'SET still works');
    expect(await reply(page, 'GET still')).toEqual(['"works"']);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }
});

test('key names, values and commands from a link are shown as text, never run', async ({ browser }, info) => {
  const baseURL = info.project.use.baseURL ?? '';
  const context = await browser.newContext({ baseURL, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await openLab(page);
  // Alt+S opens the dialog too; Esc closes it.
  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('share-create')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-create')).toBeHidden();
  const evil = '<img src=x onerror=alert(1)>';
  await page.evaluate(
    ([k]) =>
      window.__lab?.pipeline([
        ['SET', k as string, '<script>alert(2)</script>'],
        ['HSET', '<b onmouseover=alert(3)>h</b>', '<svg onload=alert(4)>', '"><script>alert(5)</script>'],
      ]),
    [evil],
  );
  const link = await makeLink(page, 'ECHO "<script>alert(6)</script>"');
  await context.close();

  const other = await freshPage(browser, baseURL, new URL(link).hash);
  const dialogs: string[] = [];
  const errors: string[] = [];
  other.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  other.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  other.on('pageerror', (e) => errors.push(e.message));
  const keys = other.getByTestId('share-keys');
  await expect(keys).toContainText(`${evil} (string)`);
  await expect(keys).toContainText('<b onmouseover=alert(3)>h</b> (hash)');
  await expect(other.getByTestId('share-command-list')).toHaveText('ECHO "<script>alert(6)</script>"');
  // Text nodes only: no element came out of the payload.
  expect(
    await other
      .locator(
        '[data-testid="share-open"] img, [data-testid="share-open"] script, [data-testid="share-open"] svg, [data-testid="share-open"] b',
      )
      .count(),
  ).toBe(0);
  await other.screenshot({ path: 'e2e/screenshots/share-xss.png' });
  await labReady(other);
  await other.getByTestId('share-confirm').click();
  await expect(other.getByTestId('share-result')).toHaveText('Loaded 2 keys from the shared snapshot.');
  await other.getByTestId('share-close').click();
  await expect.poll(() => text(other)).toContain('"<script>alert(6)</script>"');
  expect(await reply(other, `GET "${evil}"`)).toEqual(['"<script>alert(2)</script>"']);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await other.context().close();
});
