// Start-up budgets of the built lab (bench/BUDGETS.md), in Chromium on `vite preview`: the median of
// three loads each. Cold = a fresh profile (empty HTTP cache, no service worker); warm = a page
// controlled by the service worker. The end point is the app's performance mark 'terminal-ready'.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, expect, type Request, test } from '@playwright/test';
import { DIST, INSTRUMENT, median, terminalReadyAt, waitForServiceWorker } from './pwa';

const COLD_READY_MS = 1000;
const WARM_READY_MS = 500;
/**
 * All JavaScript loaded before the terminal is ready (gzipped): the page's scripts and the engine
 * worker's first chunk (its core: the rest of the engine is fetched after it starts serving).
 */
const ALL_JS_GZIP_BYTES = 250 * 1024;
const LONG_TASK_MS = 100;
const LOADS = 3;

interface Script {
  path: string;
  /** Body bytes on the wire (vite preview compresses), from Resource Timing; 0 where not reported. */
  transferred: number;
  /** The built file gzipped (what any gzip-serving host sends). */
  gzip: number;
}

interface ColdLoad {
  readyMs: number;
  /** Scripts of the page's main thread requested before the mark. */
  page: Script[];
  /** The engine worker's scripts requested before the mark. */
  worker: Script[];
  longestTaskMs: number;
}

const total = (xs: Script[], k: 'transferred' | 'gzip') => xs.reduce((n, s) => n + s[k], 0);

/** The built scripts `path` imports statically (`from"./x.js"`), itself included, transitively. */
function staticClosure(path: string, seen = new Set<string>()): Set<string> {
  if (seen.has(path)) return seen;
  seen.add(path);
  const code = readFileSync(join(DIST, path), 'utf8');
  for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) {
    staticClosure(join(dirname(path), m[1]), seen);
  }
  return seen;
}

async function coldLoad(browser: Browser, baseURL: string): Promise<ColdLoad> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  await context.addInitScript(INSTRUMENT);
  const finished: Request[] = [];
  context.on('requestfinished', (r) => finished.push(r));
  const page = await context.newPage();
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
  await page.goto('/');
  const readyMs = await terminalReadyAt(page);
  const { origin, tasks, timing } = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    tasks: window.__longTasks ?? [],
    timing: performance
      .getEntriesByType('resource')
      .map((e) => [new URL(e.name).pathname, (e as PerformanceResourceTiming).encodedBodySize] as const),
  }));
  await context.close();
  const sizes = new Map(timing);
  // The worker's scripts: its entry and the chunks that entry imports (the engine's first chunk).
  const workerScripts = new Set<string>();
  for (const w of workers) for (const p of staticClosure(w)) workerScripts.add(p);
  const result: ColdLoad = { readyMs, page: [], worker: [], longestTaskMs: 0 };
  const counted = new Set<string>();
  for (const r of finished) {
    const url = new URL(r.url());
    if (!/\.m?js$/.test(url.pathname) || url.origin !== new URL(baseURL).origin) continue;
    if (r.timing().startTime > origin + readyMs || counted.has(url.pathname)) continue;
    counted.add(url.pathname);
    const gzip = gzipSync(readFileSync(join(DIST, url.pathname))).length;
    const script = { path: url.pathname, transferred: sizes.get(url.pathname) ?? 0, gzip };
    if (workerScripts.has(url.pathname)) result.worker.push(script);
    else result.page.push(script);
  }
  result.longestTaskMs = Math.max(0, ...tasks.filter((t) => t.start < readyMs).map((t) => t.duration));
  return result;
}

test('cold start: terminal ready within 1 s, JS (page + worker) ≤ 250 KB gzipped, no long task over 100 ms', async ({
  browser,
}, info) => {
  const baseURL = info.project.use.baseURL ?? '';
  const loads: ColdLoad[] = [];
  for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(browser, baseURL));
  const med = (f: (l: ColdLoad) => number) => median(loads.map(f));
  const result = {
    readyMs: Math.round(med((l) => l.readyMs)),
    pageJsGzip: med((l) => total(l.page, 'gzip')),
    pageJsTransferred: med((l) => total(l.page, 'transferred')),
    workerJsGzip: med((l) => total(l.worker, 'gzip')),
    allJsGzip: med((l) => total(l.page, 'gzip') + total(l.worker, 'gzip')),
    longestTaskMs: med((l) => l.longestTaskMs),
    loads: loads.map((l) => ({
      readyMs: Math.round(l.readyMs),
      longestTaskMs: l.longestTaskMs,
      page: l.page.map((s) => `${s.path} ${s.gzip} gz / ${s.transferred} wire`),
      worker: l.worker.map((s) => `${s.path} ${s.gzip} gz / ${s.transferred} wire`),
    })),
  };
  console.log(`cold start budgets: ${JSON.stringify(result, null, 2)}`);
  await info.attach('cold-start.json', { body: JSON.stringify(result, null, 2), contentType: 'application/json' });
  // The engine worker's scripts are counted: the terminal cannot answer without them.
  expect(loads.every((l) => l.worker.length > 0 && l.page.length > 0)).toBe(true);
  // The rest of the engine is fetched only after the mark (its chunk is not among the counted ones).
  expect(loads.every((l) => [...l.page, ...l.worker].every((s) => !s.path.includes('/engine-rest-')))).toBe(true);
  expect(result.readyMs).toBeLessThanOrEqual(COLD_READY_MS);
  expect(result.allJsGzip).toBeLessThanOrEqual(ALL_JS_GZIP_BYTES);
  expect(result.longestTaskMs).toBeLessThanOrEqual(LONG_TASK_MS);
});

test('warm start under the service worker: terminal ready within 0.5 s', async ({ browser }, info) => {
  const context = await browser.newContext({ baseURL: info.project.use.baseURL });
  const first = await context.newPage();
  await first.goto('/');
  await terminalReadyAt(first);
  await waitForServiceWorker(first);
  await first.close();
  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await context.newPage();
    const fromNetwork: string[] = [];
    page.on('response', (r) => {
      if (!r.fromServiceWorker()) fromNetwork.push(r.url());
    });
    await page.goto('/');
    times.push(await terminalReadyAt(page));
    // Everything came out of the service worker's precache.
    expect(fromNetwork).toEqual([]);
    await page.close();
  }
  await context.close();
  const readyMs = median(times);
  console.log(`warm start: ready at ${times.map((t) => t.toFixed(0)).join(', ')} ms (median ${readyMs.toFixed(0)})`);
  await info.attach('warm-start.json', { body: JSON.stringify({ readyMs, times }), contentType: 'application/json' });
  expect(readyMs).toBeLessThanOrEqual(WARM_READY_MS);
});
