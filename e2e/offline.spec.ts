// The installable lab offline: after a first visit the service worker serves every file, so with
// the network off the page reloads, commands run, a lesson's mermaid diagram renders, and after a
// browser restart (same profile) the terminal history is still there. The engine's own data in the
// browser's storage (OPFS) is covered by storage.spec.ts.

import { expect, type Page, test } from '@playwright/test';
import { labReady, lines, PROMPT, send } from './lab';
import { persistentLab, tempProfile, waitForServiceWorker } from './pwa';

/** Record every response the network (not the service worker) answered, and every failed request. */
function networkResponses(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    if (!r.fromServiceWorker()) seen.push(r.url());
  });
  page.on('requestfailed', (r) => seen.push(`failed: ${r.url()}`));
  return seen;
}

test('offline after one visit: reload, run commands, render a diagram; history survives a restart', async ({
  baseURL,
}, info) => {
  test.setTimeout(120_000);
  const profile = tempProfile();
  try {
    let context = await persistentLab(info, profile.dir, { baseURL });
    let page = context.pages()[0] ?? (await context.newPage());
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    await labReady(page);
    await waitForServiceWorker(page);
    await send(page, 'SET visit online');

    // Network off: the whole app comes out of the precache.
    await context.setOffline(true);
    const fromNetwork = networkResponses(page);
    await page.reload();
    await labReady(page);
    // The precached responses keep COOP/COEP: the page is still isolated and shares memory with
    // its worker (the terminal's one-frame reply path).
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => window.__lab?.replyPath().shared)).toBe(true);
    await send(page, 'SET city Lisbon');
    await send(page, 'GET city');
    expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}GET city`, '"Lisbon"', PROMPT]);

    // A lesson (bundled) with a mermaid diagram (a lazy chunk first fetched now, offline).
    await page.getByTestId('lessons-toggle').click();
    await page.getByTestId('lesson-select').selectOption('hot-and-cold-path');
    await expect(page.getByTestId('lesson-diagram').locator('svg')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('lesson-diagram')).toContainText('Redis in RAM');
    // A lesson file fetched by URL is there too.
    const lessonFile = await page.evaluate(() =>
      fetch('/lessons/03-hot-and-cold-path.md').then(
        (r) => r.text(),
        (e: unknown) => String(e),
      ),
    );
    expect(lessonFile).toContain('```mermaid');
    await page.screenshot({ path: 'e2e/screenshots/offline-lesson.png' });
    expect(fromNetwork).toEqual([]);
    await context.close();

    // Browser restart with the same profile, still offline.
    context = await persistentLab(info, profile.dir, { baseURL, offline: true });
    page = context.pages()[0] ?? (await context.newPage());
    const afterRestart = networkResponses(page);
    await page.goto('/');
    await labReady(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('GET city');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('SET visit online');
    await page.keyboard.press('Control+U');
    await expect.poll(() => page.evaluate(() => window.__lab?.line())).toBe('');
    // The rest of the engine (the worker's second chunk, fetched after start) is precached too:
    // the command groups outside the core run offline.
    const precached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
      return urls;
    });
    expect(precached.filter((u) => /\/assets\/engine-rest-[^/]+\.js/.test(u))).toHaveLength(1);
    await send(page, 'ZADD board 5 ada');
    await send(page, 'ZSCORE board ada');
    expect((await lines(page)).slice(-3)).toEqual([`${PROMPT}ZSCORE board ada`, '"5"', PROMPT]);
    expect(afterRestart).toEqual([]);
    await context.close();
  } finally {
    profile.remove();
  }
});
