// The lab's data in the browser's storage (OPFS): a reload or a browser restart is a server restart
// that loads the AOF or dump.rdb as Redis 7.0 does; the persistence settings are kept; a full quota
// gives Redis's MISCONF behaviour and a clear message while the lab keeps working; a second tab runs
// in memory and leaves the first tab's files alone. Every test runs in a fresh context, so its
// storage starts empty and other specs never see these files.

import { expect, type Page, test } from '@playwright/test';
import { labReady, openLab, reply, send, text } from './lab';
import { persistentLab, tempProfile } from './pwa';

async function writeSampleData(page: Page): Promise<void> {
  await send(page, 'SET greeting hello');
  await send(page, 'RPUSH queue a b c');
  await send(page, 'HSET user:1 name Ada lang en');
  await send(page, 'SADD tags red green');
  await send(page, 'ZADD board 10 ann 20 bob');
  await send(page, 'INCRBY hits 41');
}

async function expectSampleData(page: Page): Promise<void> {
  expect(await reply(page, 'GET greeting')).toEqual(['"hello"']);
  expect(await reply(page, 'LRANGE queue 0 -1')).toEqual(['1) "a"', '2) "b"', '3) "c"']);
  expect(await reply(page, 'HGET user:1 lang')).toEqual(['"en"']);
  expect(await reply(page, 'SISMEMBER tags green')).toEqual(['(integer) 1']);
  expect(await reply(page, 'ZRANGE board 0 -1 WITHSCORES')).toEqual(['1) "ann"', '2) "10"', '3) "bob"', '4) "20"']);
  expect(await reply(page, 'GET hits')).toEqual(['"41"']);
}

/** CONFIG SET appendonly yes starts a rewrite (as Redis does): wait until the AOF is on. */
async function enableAof(page: Page, fsync: string): Promise<void> {
  await send(page, 'CONFIG SET appendonly yes');
  await send(page, `CONFIG SET appendfsync ${fsync}`);
  await expect
    .poll(async () =>
      (await reply(page, 'INFO persistence')).filter((l) => /^aof_(enabled|rewrite_in_progress):/.test(l)),
    )
    .toEqual(['aof_enabled:1', 'aof_rewrite_in_progress:0']);
}

test('AOF with appendfsync always: every type is back after a reload, with the start-up report', async ({ page }) => {
  await openLab(page);
  await expect(page.getByTestId('storage-status')).toHaveText('saved (OPFS)');
  await enableAof(page, 'always');
  await writeSampleData(page);
  await page.reload();
  await labReady(page);
  const t = await text(page);
  expect(t).toContain('(lab) the server started again on the data saved in this browser (OPFS).');
  expect(t).toContain('(lab) a reload or a closed tab is a power cut for the server: only what was fsynced survives.');
  expect(t).toContain('(lab) settings kept in redis-lab.conf: appendonly yes, appendfsync always');
  expect(t).toContain('(server) DB loaded from append only file:');
  expect(t).toMatch(/\(lab\) replayed \d+ commands from the AOF\./);
  await page.screenshot({ path: 'e2e/screenshots/storage-reload-aof.png' });
  await expectSampleData(page);
  expect(await reply(page, 'CONFIG GET appendfsync')).toEqual(['1) "appendfsync"', '2) "always"']);
  expect(await reply(page, 'DBSIZE')).toEqual(['(integer) 6']);
});

test('RDB only: SAVE, then a reload loads dump.rdb; a write after the save is lost', async ({ page }) => {
  await openLab(page);
  await writeSampleData(page);
  expect(await reply(page, 'SAVE')).toEqual(['OK']);
  await send(page, 'SET after-save lost');
  await page.reload();
  await labReady(page);
  const t = await text(page);
  expect(t).toContain('(server) Done loading RDB, keys loaded: 6, keys expired: 0.');
  expect(t).toContain('(server) DB loaded from disk:');
  expect(t).toContain('(lab) loaded 6 keys from the RDB snapshot.');
  await expectSampleData(page);
  expect(await reply(page, 'EXISTS after-save')).toEqual(['(integer) 0']);
  expect(await reply(page, 'CONFIG GET appendonly')).toEqual(['1) "appendonly"', '2) "no"']);
});

test('a browser restart with the same profile finds the data', async ({ baseURL }, info) => {
  const profile = tempProfile();
  try {
    let context = await persistentLab(info, profile.dir, { baseURL });
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await labReady(page);
    await enableAof(page, 'always');
    await writeSampleData(page);
    await context.close();

    context = await persistentLab(info, profile.dir, { baseURL });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await labReady(page);
    expect(await text(page)).toContain('(server) DB loaded from append only file:');
    await expectSampleData(page);
    await context.close();
  } finally {
    profile.remove();
  }
});

test('a full storage quota: MISCONF as on a full disk, a clear message, the data and the lab intact', async ({
  page,
}) => {
  await openLab(page);
  await enableAof(page, 'always');
  await send(page, 'SET kept before');
  // Test switch: the worker's storage holds at most 64 KiB more than now (as a nearly full quota).
  await page.evaluate(() => window.__lab?.storageLimit(64 * 1024));
  // A 256 KiB value cannot reach the AOF.
  await page.evaluate(() => window.__lab?.pipeline([['SET', 'big', 'x'.repeat(256 * 1024)]]));
  await expect(page.getByTestId('storage-alert')).toContainText("this browser's storage quota is full");
  await expect(page.getByTestId('storage-status')).toHaveText('storage full');
  expect(await reply(page, 'SET more data')).toEqual([
    '(error) MISCONF Errors writing to the AOF file: No space left on device',
  ]);
  // Reads go on; the value that could not be persisted is still in memory.
  expect(await reply(page, 'GET kept')).toEqual(['"before"']);
  expect(await reply(page, 'STRLEN big')).toEqual(['(integer) 262144']);
  expect((await reply(page, 'INFO persistence')).filter((l) => l.startsWith('aof_last_write_status'))).toEqual([
    'aof_last_write_status:err',
  ]);
  await page.screenshot({ path: 'e2e/screenshots/storage-quota.png' });
  // Turning the AOF off lifts the refusal, as in Redis: the lab keeps working in memory.
  expect(await reply(page, 'CONFIG SET appendonly no')).toEqual(['OK']);
  expect(await reply(page, 'SET more data')).toEqual(['OK']);
  // With room again, a save succeeds and the storage error clears.
  await page.evaluate(() => window.__lab?.storageLimit(null));
  expect(await reply(page, 'SAVE')).toEqual(['OK']);
  await expect(page.getByTestId('storage-status')).toHaveText('saved (OPFS)');
  await page.reload();
  await labReady(page);
  expect(await reply(page, 'MGET kept more')).toEqual(['1) "before"', '2) "data"']);
});

test('a second tab runs in memory and leaves the first tab’s files alone', async ({ page, context }) => {
  await openLab(page);
  await enableAof(page, 'always');
  await send(page, 'SET owner first-tab');
  await send(page, 'RPUSH events one two');

  const second = await context.newPage();
  await second.goto('/');
  await labReady(second);
  await expect(second.getByTestId('storage-status')).toHaveText('memory only');
  expect(await text(second)).toContain("(lab) another tab has the lab open: this tab's data will not be saved.");
  await second.screenshot({ path: 'e2e/screenshots/storage-second-tab.png' });
  await send(second, 'SET owner second-tab');
  await send(second, 'FLUSHALL');
  await send(second, 'SAVE');
  await send(second, 'CONFIG SET appendonly no');
  await second.close();

  // The first tab is unaffected, and after a reload its own files are intact.
  expect(await reply(page, 'GET owner')).toEqual(['"first-tab"']);
  await send(page, 'RPUSH events three');
  await page.reload();
  await labReady(page);
  expect(await reply(page, 'GET owner')).toEqual(['"first-tab"']);
  expect(await reply(page, 'LRANGE events 0 -1')).toEqual(['1) "one"', '2) "two"', '3) "three"']);
  await expect(page.getByTestId('storage-status')).toHaveText('saved (OPFS)');
});
