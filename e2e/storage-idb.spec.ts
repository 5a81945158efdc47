// The lab's IndexedDB fallback in a real Chromium: each test's browser has no OPFS sync access
// handles (the scripts are served with a line deleting them, as in a browser that lacks them), so
// the worker's own storage choice (lab-storage.ts) picks IndexedDB. A reload or a browser restart
// then loads the AOF or dump.rdb from IndexedDB; the panel's files come from it (dump.rdb downloads
// as a file redis-check-rdb accepts, and uploads); a real quota error (CDP's quota override) gives
// Redis's MISCONF and the same alert as on OPFS.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import type { PersistenceReport } from '../engine/worker/protocol';
import { labReady, openLab, reply, send, text } from './lab';
import { persistentLab, tempProfile } from './pwa';

// The service worker would serve the worker script from its cache, past the route below.
test.use({ serviceWorkers: 'block' });

/**
 * Prepended to every script of the build: in the engine worker it removes OPFS sync access handles
 * before any of the worker's modules runs, whatever their order; in the page (which never has them)
 * it does nothing.
 */
const NO_SYNC_HANDLES =
  "if (typeof FileSystemFileHandle !== 'undefined') delete FileSystemFileHandle.prototype.createSyncAccessHandle;\n";

/** Serve the lab as to a browser without OPFS sync access handles; returns how many scripts were served. */
async function withoutSyncHandles(context: BrowserContext): Promise<() => number> {
  let served = 0;
  await context.route(/\/assets\/[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    served++;
    await route.fulfill({ response, body: NO_SYNC_HANDLES + (await response.text()) });
  });
  return () => served;
}

let scriptsServed: () => number = () => 0;
test.beforeEach(async ({ context }) => {
  scriptsServed = await withoutSyncHandles(context);
});
test.afterEach(async ({ context }) => {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
});

/**
 * The files in the lab's IndexedDB database, read from the page (same origin): path → size, and
 * the bytes of the files named in `read` (rebuilt from their 64 KiB chunks).
 */
function idbFiles(
  page: Page,
  read: readonly string[] = [],
): Promise<{ sizes: Record<string, number>; bytes: Record<string, number[]> }> {
  return page.evaluate(
    (names) =>
      new Promise<{ sizes: Record<string, number>; bytes: Record<string, number[]> }>((resolve, reject) => {
        const open = indexedDB.open('redis-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('files', 'readonly');
          const store = tx.objectStore('files');
          const keys = store.getAllKeys();
          const values = store.getAll();
          tx.oncomplete = () => {
            db.close();
            const sizes: Record<string, number> = {};
            const chunks = new Map<string, Uint8Array[]>();
            keys.result.forEach((k, i) => {
              const key = String(k);
              const rec = values.result[i] as { t: string; size?: number; data?: Uint8Array };
              if (rec.t === 'file') sizes[key.slice(5)] = rec.size ?? 0;
              const m = /^chunk:(\d+):(.*)$/.exec(key);
              if (m !== null && rec.data !== undefined && names.includes(m[2])) {
                const list = chunks.get(m[2]) ?? [];
                list[Number(m[1])] = rec.data;
                chunks.set(m[2], list);
              }
            });
            const bytes: Record<string, number[]> = {};
            for (const p of names) {
              const out: number[] = [];
              for (const c of chunks.get(p) ?? []) for (const b of c) out.push(b);
              bytes[p] = out.slice(0, sizes[p] ?? 0);
            }
            resolve({ sizes, bytes });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    read,
  );
}

async function persistence(page: Page): Promise<PersistenceReport> {
  return (await page.evaluate(() => window.__lab?.inspect({ kind: 'persistence' }))) as PersistenceReport;
}

/**
 * Wait until IndexedDB holds exactly what the server has made durable (each file's fsynced bytes;
 * `only`: just these files). LAB (idb.ts): fsync queues the change and the transaction commits a
 * few milliseconds later.
 */
async function committed(page: Page, only?: readonly string[]): Promise<void> {
  const pick = (o: Record<string, number>) =>
    JSON.stringify(
      Object.entries(o)
        .filter(([p]) => only === undefined || only.includes(p))
        .sort(),
    );
  const want = async () => {
    const r = await persistence(page);
    const dir = r.dir === '' || r.dir === '.' ? '' : `${r.dir}/`;
    return pick(Object.fromEntries(r.files.map((f) => [`${dir}${f.name}`, f.durable])));
  };
  const have = async () => pick((await idbFiles(page)).sizes);
  await expect
    .poll(async () => {
      const [h, w] = [await have(), await want()];
      return h === w ? 'committed' : `IndexedDB ${h}, durable ${w}`;
    })
    .toBe('committed');
}

/** `n` pseudo-random letters: incompressible enough that IndexedDB stores about 0.6 byte per letter. */
function letters(n: number, seed: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += String.fromCharCode(97 + (x % 26));
  }
  return s;
}
/** A 150 KB value: an AOF and a dump.rdb over several 64 KiB chunks. */
const BIG = letters(150_000, 12345);
const BIG_SHA1 = createHash('sha1').update(BIG, 'latin1').digest('hex');

/** Every type (and the encodings a few hundred elements reach), an expiry and a second database. */
async function writeEveryType(page: Page): Promise<void> {
  const n = (k: number, f: (i: number) => string[]) => Array.from({ length: k }, (_, i) => f(i)).flat();
  await page.evaluate(
    (cmds) => window.__lab?.pipeline(cmds),
    [
      ['SET', 'greeting', 'hello'],
      ['SET', 'hits', '41'],
      ['INCR', 'hits'],
      ['SET', 'big', BIG],
      ['SET', 'session', 'token', 'EX', '100000'],
      ['RPUSH', 'queue', 'a', 'b', 'c'],
      ['RPUSH', 'long', ...n(300, (i) => [`item-${i}-${'.'.repeat(40)}`])],
      ['HSET', 'user:1', 'name', 'Ada', 'lang', 'en'],
      ['HSET', 'wide', ...n(200, (i) => [`f${i}`, `v${i}`]), 'long-value', 'v'.repeat(100)],
      ['SADD', 'nums', '1', '2', '3'],
      ['SADD', 'tags', 'red', 'green'],
      ['ZADD', 'board', '10', 'ann', '20.5', 'bob'],
      ['ZADD', 'ranks', ...n(200, (i) => [String(i / 3), `m${i}`])],
      ['PFADD', 'visitors', 'a', 'b', 'c', 'd'],
      ['XADD', 'events', '1-1', 'type', 'login'],
      ['XADD', 'events', '2-1', 'type', 'logout'],
      ['XGROUP', 'CREATE', 'events', 'workers', '0'],
      ['XREADGROUP', 'GROUP', 'workers', 'w1', 'COUNT', '1', 'STREAMS', 'events', '>'],
      ['SET', 'elsewhere', 'db3'],
      ['MOVE', 'elsewhere', '3'],
    ],
  );
}

/** Keys whose DUMP is deterministic (their encodings keep an order): compared byte for byte. */
const DUMPED = ['greeting', 'hits', 'session', 'queue', 'long', 'user:1', 'board', 'ranks', 'nums', 'visitors'];
/** Every key: those dumped, 'big' (by SHA-1), 'tags' and 'wide' (hash tables), 'events', 'elsewhere' in db 3. */
const ALL_KEYS = DUMPED.length + 5;

/** Lua (loaded lazily: "scripting engine still loading" until then) over a key; polled until it answers. */
async function evalKey(page: Page, body: string, key: string): Promise<string[]> {
  let out: string[] = [];
  await expect
    .poll(async () => {
      out = await reply(page, `EVAL "${body}" 1 ${key}`);
      return out.join('\n');
    })
    .not.toContain('scripting engine still loading');
  return out;
}

/** Lua: the SHA-1 of a hash's sorted field=value pairs, or of a set's sorted members. */
const DIGEST =
  "local t = redis.call(ARGV[1], KEYS[1]) local p = {} if ARGV[1] == 'HGETALL' then " +
  "for i = 1, #t, 2 do p[#p+1] = t[i] .. '=' .. t[i+1] end else p = t end " +
  "table.sort(p) return redis.sha1hex(table.concat(p, ','))";
const sha1 = (s: string) => createHash('sha1').update(s, 'latin1').digest('hex');

/** A hash table's contents, order-free (the script is loaded, and polled until Lua has loaded). */
async function digest(page: Page, key: string, command: 'HGETALL' | 'SMEMBERS'): Promise<string> {
  let out = '';
  await expect
    .poll(async () => {
      await send(page, `SCRIPT LOAD "${DIGEST}"`);
      out = (await reply(page, `EVALSHA ${sha1(DIGEST)} 1 ${key} ${command}`)).join('');
      return out;
    })
    .toMatch(/^"[0-9a-f]{40}"$/);
  return out.slice(1, -1);
}

/** What the data looks like through the terminal: DUMPs, encodings, order-free digests, the stream. */
async function snapshot(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  // A DUMP longer than the terminal is wide wraps: compare the bytes, not the rows.
  for (const k of DUMPED) out[`DUMP ${k}`] = (await reply(page, `DUMP ${k}`)).join('');
  // (Not 'visitors': an HLL read from an RDB file is embstr, as in Redis, where PFADD made it raw.)
  for (const k of [...DUMPED.filter((k) => k !== 'visitors'), 'big', 'tags', 'wide', 'events'])
    out[`OBJECT ENCODING ${k}`] = (await reply(page, `OBJECT ENCODING ${k}`)).join('');
  out.tags = await digest(page, 'tags', 'SMEMBERS');
  out.wide = await digest(page, 'wide', 'HGETALL');
  out.events = (await reply(page, 'XRANGE events - +')).join('\n');
  out.pending = (await reply(page, 'XPENDING events workers')).join('\n');
  return out;
}

async function expectEveryType(page: Page, before: Record<string, string>): Promise<void> {
  expect(await snapshot(page)).toEqual(before);
  expect(await reply(page, 'DBSIZE')).toEqual([`(integer) ${ALL_KEYS - 1}`]);
  expect(await reply(page, 'GET greeting')).toEqual(['"hello"']);
  expect(await reply(page, 'GET hits')).toEqual(['"42"']);
  expect(await reply(page, 'LRANGE long 299 -1')).toEqual([`1) "item-299-${'.'.repeat(40)}"`]);
  const wide = Array.from({ length: 200 }, (_, i) => `f${i}=v${i}`);
  expect(await digest(page, 'wide', 'HGETALL')).toBe(sha1([...wide, `long-value=${'v'.repeat(100)}`].sort().join(',')));
  expect(await digest(page, 'tags', 'SMEMBERS')).toBe(sha1('green,red'));
  expect(await reply(page, 'ZSCORE board bob')).toEqual(['"20.5"']);
  expect(await reply(page, 'PFCOUNT visitors')).toEqual(['(integer) 4']);
  expect(await reply(page, 'XPENDING events workers')).toEqual([
    '1) (integer) 1',
    '2) "1-1"',
    '3) "1-1"',
    '4) 1) 1) "w1"',
    '      2) "1"',
  ]);
  const ttl = Number((await reply(page, 'TTL session'))[0].replace('(integer) ', ''));
  expect(ttl).toBeGreaterThan(99_000);
  // The 150 KB value, byte for byte.
  expect(await evalKey(page, "return redis.sha1hex(redis.call('GET', KEYS[1]))", 'big')).toEqual([`"${BIG_SHA1}"`]);
  await send(page, 'SELECT 3');
  expect(await reply(page, 'GET elsewhere')).toEqual(['"db3"']);
  await send(page, 'SELECT 0');
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

async function expectIndexedDb(page: Page): Promise<void> {
  await expect(page.getByTestId('storage-status')).toHaveText('saved (IndexedDB)');
  await expect(page.getByTestId('storage-status')).toHaveAttribute(
    'title',
    /this browser has no OPFS sync access handles: IndexedDB is used/,
  );
  expect((await persistence(page)).storage).toBe('idb');
  expect(scriptsServed()).toBeGreaterThan(0);
}

test('AOF with appendfsync always on IndexedDB: every type is back after a reload', async ({ page }) => {
  await openLab(page);
  await expectIndexedDb(page);
  await enableAof(page, 'always');
  await writeEveryType(page);
  const before = await snapshot(page);
  await committed(page);
  const files = (await idbFiles(page)).sizes;
  expect(Object.keys(files).sort()).toEqual([
    'appendonlydir/appendonly.aof.1.base.rdb',
    'appendonlydir/appendonly.aof.1.incr.aof',
    'appendonlydir/appendonly.aof.manifest',
    'redis-lab.conf',
  ]);
  expect(files['appendonlydir/appendonly.aof.1.incr.aof']).toBeGreaterThan(150_000);
  await page.reload();
  await labReady(page);
  const t = await text(page);
  expect(t).toContain('(lab) the server started again on the data saved in this browser (IndexedDB).');
  expect(t).toContain('(lab) settings kept in redis-lab.conf: appendonly yes, appendfsync always');
  expect(t).toContain('(server) DB loaded from append only file:');
  expect(t).toMatch(/\(lab\) replayed \d+ commands from the AOF\./);
  await page.screenshot({ path: 'e2e/screenshots/storage-idb-reload-aof.png' });
  await expectIndexedDb(page);
  await expectEveryType(page, before);
});

test('RDB only on IndexedDB: SAVE, then a reload loads dump.rdb; a write after the save is lost', async ({ page }) => {
  await openLab(page);
  await expectIndexedDb(page);
  await writeEveryType(page);
  const before = await snapshot(page);
  expect(await reply(page, 'SAVE')).toEqual(['OK']);
  await send(page, 'SET after-save lost');
  await committed(page);
  await page.reload();
  await labReady(page);
  const t = await text(page);
  expect(t).toContain('(lab) the server started again on the data saved in this browser (IndexedDB).');
  expect(t).toContain(`(server) Done loading RDB, keys loaded: ${ALL_KEYS}, keys expired: 0.`);
  expect(t).toContain('(server) DB loaded from disk:');
  await expectIndexedDb(page);
  expect(await reply(page, 'EXISTS after-save')).toEqual(['(integer) 0']);
  await expectEveryType(page, before);
});

test('a browser restart with the same profile finds the data in IndexedDB', async ({ baseURL }, info) => {
  const profile = tempProfile();
  let before: Record<string, string> = {};
  try {
    for (const round of [1, 2]) {
      const context = await persistentLab(info, profile.dir, { baseURL, serviceWorkers: 'block' });
      scriptsServed = await withoutSyncHandles(context);
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/');
      await labReady(page);
      await expectIndexedDb(page);
      if (round === 1) {
        await enableAof(page, 'always');
        await writeEveryType(page);
        before = await snapshot(page);
        await committed(page);
      } else {
        const t = await text(page);
        expect(t).toContain('(lab) the server started again on the data saved in this browser (IndexedDB).');
        expect(t).toContain('(server) DB loaded from append only file:');
        await expectEveryType(page, before);
      }
      await context.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
    }
  } finally {
    profile.remove();
  }
});

async function openPanel(page: Page) {
  const dock = page.getByTestId('panel-dock');
  if (await dock.isVisible()) await page.getByTestId('tab-persistence').click();
  else await page.getByTestId('open-persistence').click();
  await expect(page.getByTestId('persistence-panel')).toBeVisible();
}

test('the persistence panel lists the IndexedDB files; dump.rdb downloads (redis-check-rdb accepts it) and uploads', async ({
  page,
}) => {
  await openLab(page);
  await expectIndexedDb(page);
  await openPanel(page);
  await page.getByTestId('mode-aof+rdb').check();
  await expect.poll(async () => (await persistence(page)).aofState).toBe('on');
  await writeEveryType(page);
  expect(await reply(page, 'BGSAVE')).toEqual(['Background saving started']);
  const files = page.getByTestId('persist-files');
  await expect(files.locator('tr[data-file="dump.rdb"]')).toContainText('RDB snapshot');
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.manifest"]')).toBeVisible();
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.1.base.rdb"]')).toContainText('AOF base');
  await expect(files.locator('tr[data-file="appendonlydir/appendonly.aof.1.incr.aof"]')).toContainText('AOF incr');
  // Every file the panel lists is in IndexedDB with its durable size, and nothing else is.
  await committed(page);
  await page.getByRole('heading', { name: 'Files' }).evaluate((el) => {
    const body = el.closest('#panel-body');
    if (body instanceof HTMLElement) body.scrollTop = (el as HTMLElement).offsetTop - body.offsetTop - 8;
  });
  await page.screenshot({ path: 'e2e/screenshots/storage-idb-files.png' });

  const row = files.locator('tr[data-file="dump.rdb"]');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button').click()]);
  expect(download.suggestedFilename()).toBe('dump.rdb');
  const bytes = readFileSync(await download.path());
  // The file the panel offers is the one in IndexedDB, byte for byte.
  expect([...bytes]).toEqual((await idbFiles(page, ['dump.rdb'])).bytes['dump.rdb']);
  const dir = mkdtempSync(join(tmpdir(), 'redis-lab-idb-'));
  try {
    writeFileSync(join(dir, 'dump.rdb'), bytes);
    const out = execFileSync('/usr/bin/redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(out).toContain(`[info] ${ALL_KEYS} keys read`);
    expect(out).toContain('RDB looks OK!');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Upload it back into an emptied RDB-only server: a clean restart and then a reload load it.
  await page.getByTestId('mode-rdb').check();
  await expect.poll(async () => (await persistence(page)).mode).toBe('rdb');
  await send(page, 'CONFIG SET save ""');
  await send(page, 'FLUSHALL');
  await page.getByTestId('upload-target').selectOption('dump.rdb');
  await page
    .getByTestId('upload-file')
    .setInputFiles({ name: 'dump.rdb', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('upload-status')).toContainText(`Uploaded ${bytes.length} bytes as dump.rdb`);
  await page.getByTestId('crash-restart').click();
  await expect.poll(async () => (await reply(page, 'DBSIZE')).join('')).toBe(`(integer) ${ALL_KEYS - 1}`);
  await committed(page);
  expect((await idbFiles(page, ['dump.rdb'])).bytes['dump.rdb']).toEqual([...bytes]);
  await page.reload();
  await labReady(page);
  expect(await text(page)).toContain(`(server) Done loading RDB, keys loaded: ${ALL_KEYS}, keys expired: 0.`);
  expect(await reply(page, 'GET greeting')).toEqual(['"hello"']);
});

test('a database opened without the lab’s store (from DevTools, say) is upgraded, not given up for memory', async ({
  page,
}) => {
  // A document of the same origin that is not the lab: create 'redis-lab' at version 1, empty.
  await page.goto('/favicon.svg');
  const made = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('redis-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const what = `version ${db.version}, stores [${[...db.objectStoreNames].join(',')}]`;
          db.close();
          resolve(what);
        };
      }),
  );
  expect(made).toBe('version 1, stores []');
  await openLab(page);
  await expectIndexedDb(page);
  await send(page, 'SET kept yes');
  expect(await reply(page, 'SAVE')).toEqual(['OK']);
  await committed(page);
  await page.reload();
  await labReady(page);
  expect(await reply(page, 'GET kept')).toEqual(['"yes"']);
});

test('a full IndexedDB quota: MISCONF as on a full disk, a clear message, the data and the lab intact', async ({
  page,
  context,
  baseURL,
}) => {
  // A real quota: the browser's own QuotaExceededError from IndexedDB. Set before the lab first
  // writes (Chromium caches the space left for a few seconds): 1 MiB, room for the lab's files.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL ?? '').origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 });
  await openLab(page);
  await expectIndexedDb(page);
  await enableAof(page, 'always');
  await send(page, 'SET kept before');
  await committed(page);
  // A 2 MB value cannot reach the AOF (IndexedDB compresses values: random letters, not 'xxx...').
  await page.evaluate((v) => window.__lab?.pipeline([['SET', 'big', v]]), letters(2_000_000, 7));
  await expect(page.getByTestId('storage-alert')).toContainText("this browser's storage quota is full");
  await expect(page.getByTestId('storage-status')).toHaveText('storage full');
  // LAB (idb.ts): the commit fails after the reply, so the next fsync reports it and writes are refused.
  await expect
    .poll(() => reply(page, 'SET more data'))
    .toEqual(['(error) MISCONF Errors writing to the AOF file: No space left on device']);
  expect(await reply(page, 'GET kept')).toEqual(['"before"']);
  expect(await reply(page, 'STRLEN big')).toEqual(['(integer) 2000000']);
  expect((await reply(page, 'INFO persistence')).filter((l) => l.startsWith('aof_last_write_status'))).toEqual([
    'aof_last_write_status:err',
  ]);
  await page.screenshot({ path: 'e2e/screenshots/storage-idb-quota.png' });
  // Turning the AOF off lifts the refusal, as in Redis: the lab keeps working in memory.
  expect(await reply(page, 'CONFIG SET appendonly no')).toEqual(['OK']);
  expect(await reply(page, 'SET more data')).toEqual(['OK']);
  // With room again, a save succeeds and the storage error clears.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  expect(await reply(page, 'SAVE')).toEqual(['OK']);
  await expect(page.getByTestId('storage-status')).toHaveText('saved (IndexedDB)');
  // (The AOF's failed tail reached IndexedDB with the retried commit, though the server never saw
  // its fsync succeed: compare the files the reload needs.)
  await committed(page, ['dump.rdb', 'redis-lab.conf']);
  await page.reload();
  await labReady(page);
  expect(await reply(page, 'MGET kept more')).toEqual(['1) "before"', '2) "data"']);
});
