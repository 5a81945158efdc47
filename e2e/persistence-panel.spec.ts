// The persistence panel: modes and fsync policies set from the panel (real CONFIG SETs) or the
// terminal, the crash buttons losing exactly what each policy predicts — the keyspace after the
// restart and the panel's account both checked — download and upload of dump.rdb (a corrupt upload
// gives Redis's own error and the lab keeps running), screenshots in both themes and an axe scan.

import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { PersistenceReport } from '../engine/worker/protocol';
import { openLab, send, text } from './lab';

async function openPanel(page: Page) {
  const dock = page.getByTestId('panel-dock');
  if (await dock.isVisible()) await page.getByTestId('tab-persistence').click();
  else await page.getByTestId('open-persistence').click();
  await expect(page.getByTestId('tab-persistence')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('persistence-panel')).toBeVisible();
}

async function persistence(page: Page): Promise<PersistenceReport> {
  return (await page.evaluate(() => window.__lab?.inspect({ kind: 'persistence' }))) as PersistenceReport;
}

async function keys(page: Page): Promise<string[]> {
  const r = await page.evaluate(() => window.__lab?.inspect({ kind: 'keys', db: 0, limit: 1000 }));
  return r?.kind === 'keys' ? [...r.keys].sort() : [];
}

/** Pick a mode in the panel and wait until the server runs it (the AOF's first rewrite done). */
async function chooseMode(page: Page, mode: 'none' | 'rdb' | 'aof' | 'aof+rdb') {
  await page.getByTestId(`mode-${mode}`).check();
  await expect.poll(async () => (await persistence(page)).mode).toBe(mode);
  await expect.poll(async () => (await persistence(page)).child).toBe(null);
  if (mode.startsWith('aof')) await expect.poll(async () => (await persistence(page)).aofState).toBe('on');
}

async function chooseFsync(page: Page, policy: 'always' | 'everysec' | 'no') {
  await page.getByTestId(`fsync-${policy}`).check();
  await expect.poll(async () => (await persistence(page)).appendfsync).toBe(policy);
}

/** Alt+T toggles the theme. */
async function setTheme(page: Page, theme: 'dark' | 'light') {
  const now = () => page.evaluate(() => document.documentElement.dataset.theme);
  if ((await now()) !== theme) await page.keyboard.press('Alt+T');
  await expect.poll(now).toBe(theme);
  await page.waitForTimeout(200);
}

/** axe-core over the panel dock: no serious or critical violation. */
async function expectNoSeriousAxe(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="panel-dock"]').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const lostTexts = (page: Page) => page.getByTestId('account-lost').locator('li code').allTextContents();

test('AOF always: pulling the power loses nothing acknowledged', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  await chooseMode(page, 'aof');
  await expect(page.getByTestId('mode-config')).toContainText('appendonly yes');
  await chooseFsync(page, 'always');
  for (const k of ['a', 'b', 'c']) await send(page, `SET ${k} ${k}1`);
  const timeline = page.getByTestId('persist-timeline');
  await expect(timeline.locator('li[data-kind="append"]').first()).toContainText(
    'SET c c1 → appendonly.aof.1.incr.aof',
  );
  await expect(timeline.locator('li[data-kind="fsync"]').first()).toBeVisible();
  // An AOF rewrite: a fork, the new base, a new incr file, the manifest swapped.
  await send(page, 'BGREWRITEAOF');
  await expect(timeline.locator('li[data-kind="fork"]').first()).toContainText('AOF rewrite forked child');
  await expect(timeline.locator('li[data-kind="snapshot"]').first()).toContainText(
    'new AOF base in place: appendonly.aof.2.base.aof',
  );
  await expect(timeline.locator('li[data-kind="manifest"]').first()).toContainText(
    'manifest now: base appendonly.aof.2.base.aof, incr appendonly.aof.2.incr.aof',
  );
  const files = page.getByTestId('persist-files');
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.2.base.aof"]')).toContainText('AOF base');
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.2.incr.aof"]')).toContainText('AOF incr');
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.1.incr.aof"]')).toHaveCount(0);
  await send(page, 'SET d d1');
  await page.getByTestId('crash-power').click();
  await expect(page.getByTestId('account-summary')).toHaveText('4 of 4 acknowledged writes survived, 0 lost');
  await expect(page.getByTestId('account-reason')).toContainText(
    'AOF always: every write was fsynced before Redis replied',
  );
  expect(await keys(page)).toEqual(['a', 'b', 'c', 'd']);
  await send(page, 'GET c');
  await expect.poll(() => text(page)).toContain('"c1"');
});

test('AOF everysec: pulling the power right after writes loses the last ones, named', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  await chooseMode(page, 'aof+rdb');
  await chooseFsync(page, 'everysec');
  await send(page, 'SET kept yes');
  // Writes inside one second of engine time, after that second's fsync has run (serverCron fsyncs
  // the previous second's writes soon after the boundary), then the power cut before the next one.
  // Everysec loses a suffix of the writes: those after the last fsync. LAB: a loaded machine can run
  // serverCron late (its fsync then covers the first writes too) or miss the window entirely (nothing
  // lost); the test then tries again in the next second.
  let lost: string[] = [];
  let expected: string[] = [];
  for (let attempt = 0; attempt < 5 && lost.length === 0; attempt++) {
    const at = (await persistence(page)).at;
    await page.waitForTimeout(1000 - (at % 1000) + 250);
    const batch = [`SET late${attempt}a 1`, `SET late${attempt}b 2`, `INCR late${attempt}c`];
    for (const line of batch) await send(page, line);
    await page.getByTestId('crash-power').click();
    await expect(page.getByTestId('account-summary')).toBeVisible();
    await expect.poll(async () => (await persistence(page)).lastRestart?.how).toBe('power');
    await expect.poll(async () => (await persistence(page)).lastRestart?.at).toBeGreaterThan(at);
    const account = (await persistence(page)).lastRestart;
    lost = account?.lost.map((w) => w.argv.join(' ')) ?? [];
    if (lost.length === 0) continue;
    // The account names exactly the writes the keyspace lacks: a suffix of this second's writes.
    expected = batch.slice(batch.length - lost.length);
    expect(lost).toEqual(expected);
    const n = lost.length;
    await expect(page.getByTestId('account-reason')).toContainText(
      `s of writes were in the page cache, not yet fsynced (fsync runs once a second); the power cut lost ${n} write${n === 1 ? '' : 's'}.`,
    );
    await expect(page.getByTestId('account-reason')).toContainText(/AOF everysec: the last (\d+ ms|0\.\d s) of writes/);
    await expect.poll(() => lostTexts(page)).toEqual(expected);
    await expect(page.getByTestId('account-summary')).toContainText(`, ${n} lost`);
    const now = await keys(page);
    expect(now).toContain('kept');
    for (const line of batch) {
      const key = line.split(' ')[1];
      if (lost.includes(line)) expect(now).not.toContain(key);
      else expect(now).toContain(key);
    }
  }
  expect(lost.length).toBeGreaterThan(0);

  // appendfsync no: new writes stay in the page cache (the OS writes back after 30 s), which the
  // file list shows as the part of the incr file that is not durable.
  await chooseFsync(page, 'no');
  for (const k of ['p1', 'p2', 'p3']) await send(page, `SET ${k} ${'v'.repeat(30)}`);
  const incr = page.getByTestId('persist-files').locator('tr', { hasText: '.incr.aof' });
  await expect(incr.getByTestId('file-sizes')).toContainText('page cache only');
  const pending = await persistence(page);
  const file = pending.files.find((f) => f.role === 'incr');
  expect(file && file.size > file.durable).toBe(true);
  await page.waitForTimeout(300);
  const body = page.locator('#panel-body');
  for (const scheme of ['dark', 'light'] as const) {
    await setTheme(page, scheme);
    await body.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.screenshot({ path: `e2e/screenshots/panel-persistence-${scheme}.png` });
    await page.getByRole('heading', { name: 'Files' }).evaluate((el) => {
      const body = el.closest('#panel-body');
      if (body instanceof HTMLElement) body.scrollTop = (el as HTMLElement).offsetTop - body.offsetTop - 8;
    });
    await page.screenshot({ path: `e2e/screenshots/panel-persistence-files-${scheme}.png` });
    await expectNoSeriousAxe(page);
  }
});

test('RDB only: a power cut loses what came after the last save; dump.rdb downloads and uploads', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  await chooseMode(page, 'rdb');
  await send(page, 'SET r1 one');
  await send(page, 'SET r2 two');
  await send(page, 'BGSAVE');
  const timeline = page.getByTestId('persist-timeline');
  await expect(timeline.locator('li[data-kind="fork"]').first()).toContainText('BGSAVE forked child');
  await expect(timeline.locator('li[data-kind="snapshot"]').first()).toContainText('snapshot written: dump.rdb');
  await expect(page.getByTestId('persist-files').locator('tr[data-file="dump.rdb"]')).toContainText('RDB snapshot');
  await send(page, 'SET r3 three');
  await send(page, 'DEL r1');
  await page.getByTestId('crash-power').click();
  await expect(page.getByTestId('account-summary')).toHaveText('2 of 4 acknowledged writes survived, 2 lost');
  await expect.poll(() => lostTexts(page)).toEqual(['SET r3 three', 'DEL r1']);
  await expect(page.getByTestId('account-reason')).toContainText('RDB only: the last snapshot (dump.rdb) was taken');
  expect(await keys(page)).toEqual(['r1', 'r2']);

  // Download dump.rdb: a real RDB file.
  const row = page.getByTestId('persist-files').locator('tr[data-file="dump.rdb"]');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button').click()]);
  expect(download.suggestedFilename()).toBe('dump.rdb');
  const path = await download.path();
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 9).toString('latin1')).toBe('REDIS0010');

  // Empty the server without saving, upload the file back, restart cleanly: the keys return.
  await send(page, 'CONFIG SET save ""');
  await send(page, 'FLUSHALL');
  expect(await keys(page)).toEqual([]);
  await page.getByTestId('upload-target').selectOption('dump.rdb');
  await page
    .getByTestId('upload-file')
    .setInputFiles({ name: 'dump.rdb', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('upload-status')).toContainText(`Uploaded ${bytes.length} bytes as dump.rdb`);
  await page.getByTestId('crash-restart').click();
  await expect.poll(() => keys(page)).toEqual(['r1', 'r2']);

  // A corrupt upload: the restart reports Redis's own error text and the lab keeps running.
  await page.getByTestId('upload-file').setInputFiles({
    name: 'dump.rdb',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('REDIS0010garbage', 'latin1'),
  });
  await expect(page.getByTestId('upload-status')).toContainText('Uploaded 16 bytes as dump.rdb');
  await page.getByTestId('crash-restart').click();
  await expect(page.getByTestId('account-errors')).toContainText(
    'Short read or OOM loading DB. Unrecoverable error, aborting now.',
  );
  await expect(page.getByTestId('account-reason')).toContainText('could not load its files');
  await send(page, 'PING');
  await expect.poll(() => text(page)).toContain('PONG');
});

test('AOF everysec: killing the process loses nothing (the page cache survives)', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  // Set from the terminal this time: the panel follows.
  await send(page, 'CONFIG SET appendonly yes');
  await send(page, 'CONFIG SET appendfsync everysec');
  await expect(page.getByTestId('mode-aof+rdb')).toBeChecked();
  await expect(page.getByTestId('fsync-everysec')).toBeChecked();
  await expect.poll(async () => (await persistence(page)).aofState).toBe('on');
  for (const k of ['k1', 'k2', 'k3']) await send(page, `SET ${k} v`);
  await page.getByTestId('crash-kill').click();
  await expect(page.getByTestId('account-summary')).toHaveText('3 of 3 acknowledged writes survived, 0 lost');
  await expect(page.getByTestId('account-reason')).toContainText('still in the page cache');
  expect(await keys(page)).toEqual(['k1', 'k2', 'k3']);
  // A crash typed in the terminal (the lab's ":crash power") is accounted for in the panel too.
  await send(page, 'SET k4 v');
  await send(page, ':crash power');
  await expect(page.getByTestId('persist-account')).toContainText('Power pulled at');
  // k1..k3 survived the kill only in the page cache: unless an fsync came since, the power cut
  // loses them too, and the account (which carries over the writes a restart found) says so.
  await expect(page.getByTestId('account-summary')).toHaveText(/^\d of 4 acknowledged writes survived, \d lost$/);
  const account = (await persistence(page)).lastRestart;
  const gone = account?.lost.map((w) => w.argv[1]) ?? [];
  expect(await keys(page)).toEqual(['k1', 'k2', 'k3', 'k4'].filter((k) => !gone.includes(k)));
  // Projector size: the dock scales with the lab's text size (Alt+=).
  for (let i = 0; i < 3; i++) await page.keyboard.press('Alt+Equal');
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'e2e/screenshots/panel-persistence-projector.png' });
});

test('AOF everysec with the clock paused (":clock pause"): writes typed seconds apart share one second, and a power cut loses the unsynced one', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openLab(page);
  await send(page, 'CONFIG SET appendonly yes');
  await send(page, ':clock pause');
  await expect(page.getByTestId('clock-pause')).toHaveAttribute('aria-pressed', 'true');
  await send(page, ':advance 2s');
  await send(page, 'SET session:a "alice"');
  // Typed slowly: on a running clock the next write would come a second later and be fsynced.
  await page.waitForTimeout(2_500);
  await send(page, 'SET session:b "bob"');
  await page.waitForTimeout(2_500);
  await send(page, ':crash power');
  expect(await keys(page)).toEqual(['session:a']);
  await send(page, ':clock resume');
  await expect(page.getByTestId('clock-pause')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => text(page)).toContain('(lab) the clock runs again');
});

test('the mode change is a real CONFIG SET, by keyboard too, and the panel passes an axe scan', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  // Keyboard: focus the AOF choice and press Space (arrow keys move between the choices).
  await page.getByTestId('mode-aof').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('mode-aof')).toBeChecked();
  await expect(page.getByTestId('persist-status')).toHaveText(
    'sent: CONFIG SET appendonly yes aof-use-rdb-preamble no save ""',
  );
  await expect.poll(async () => (await persistence(page)).mode).toBe('aof');
  // A real command on its own connection: the server counts it (MONITOR, as in Redis 7.0, does not
  // show admin commands such as CONFIG SET).
  await send(page, 'INFO commandstats');
  await expect.poll(() => text(page)).toMatch(/cmdstat_config\|set:calls=1,/);
  await send(page, 'CONFIG GET appendonly');
  await expect.poll(() => text(page)).toContain('2) "yes"');
  for (const scheme of ['dark', 'light'] as const) {
    await setTheme(page, scheme);
    await expectNoSeriousAxe(page);
  }
});
