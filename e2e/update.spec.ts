// A new version of the lab: the page shows "a new version is ready" and keeps running — nothing
// reloads until the user clicks Reload — and the update leaves saved data (localStorage, IndexedDB,
// OPFS) alone. The built files are served by a small server here whose sw.js can change, as after
// a deploy (a changed service worker script is all the browser needs to see an update).

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { send, text } from './lab';
import { DIST, waitForServiceWorker } from './pwa';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.md': 'text/markdown',
};

function serve(version: { sw: string }): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path === '' ? 'index.html' : path;
    try {
      let body: Buffer | string = await readFile(join(DIST, file));
      if (file === 'sw.js') body = `${body}\n${version.sw}\n`;
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('an update waits for the user, who reloads when ready; saved data is untouched', async ({ browser }) => {
  const version = { sw: '// version 1' };
  const server = await serve(version);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(() => window.__lab?.ready());
    await waitForServiceWorker(page);
    // Data the lab (or its engine) keeps in the browser, and a marker that a reload would erase.
    await page.evaluate(async () => {
      localStorage.setItem('update-test', 'kept');
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('update-test', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('kv');
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put('kept', 'dump.rdb');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      });
      const dir = await navigator.storage.getDirectory();
      const w = await (await dir.getFileHandle('appendonly.aof', { create: true })).createWritable();
      await w.write('kept');
      await w.close();
      (window as { __marker?: number }).__marker = 1;
    });

    version.sw = '// version 2';
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const prompt = page.getByRole('status').filter({ hasText: 'A new version of Redis Lab is ready' });
    await expect(prompt).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: 'e2e/screenshots/update-prompt.png' });
    // The user keeps working: same page, the terminal answers, no reload for a while.
    await send(page, 'SET still here');
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as { __marker?: number }).__marker)).toBe(1);
    expect(await text(page)).toContain('SET still here\nOK');

    // The click activates the new service worker and reloads.
    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await page.evaluate(() => window.__lab?.ready());
    expect(await page.evaluate(() => (window as { __marker?: number }).__marker)).toBeUndefined();
    await expect(page.getByText('A new version of Redis Lab is ready')).toHaveCount(0);
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      const idb = await new Promise<unknown>((resolve) => {
        const open = indexedDB.open('update-test', 1);
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('dump.rdb');
          get.onsuccess = () => resolve(get.result);
        };
      });
      const dir = await navigator.storage.getDirectory();
      const opfs = await (await (await dir.getFileHandle('appendonly.aof')).getFile()).text();
      return { waiting: reg?.waiting !== null, local: localStorage.getItem('update-test'), idb, opfs };
    });
    expect(state).toEqual({ waiting: false, local: 'kept', idb: 'kept', opfs: 'kept' });
  } finally {
    await context.close();
    server.close();
  }
});
