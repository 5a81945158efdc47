// Helpers for the PWA, budget and hardening specs: a fresh Chromium profile on disk, waiting for the
// service worker to control the page, and collecting CSP violations and long tasks from page start.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, type Page, type TestInfo } from '@playwright/test';

/** The built lab being served (see playwright.config.ts). */
export const DIST = process.env.E2E_DIST ?? 'dist';

/** Page-start instrumentation (addInitScript): long tasks and CSP violations into window globals. */
export const INSTRUMENT = `
  window.__longTasks = [];
  window.__csp = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
`;

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
    __csp?: string[];
  }
}

/** A persistent Chromium profile in a temp dir (same launch options as the config). */
export function persistentLab(
  info: TestInfo,
  dir: string,
  opts: { baseURL?: string; offline?: boolean; serviceWorkers?: 'allow' | 'block' },
): Promise<BrowserContext> {
  const use = info.project.use;
  return chromium.launchPersistentContext(dir, {
    ...use.launchOptions,
    baseURL: opts.baseURL,
    viewport: use.viewport ?? null,
    offline: opts.offline ?? false,
    serviceWorkers: opts.serviceWorkers ?? 'allow',
  });
}

export function tempProfile(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'redis-lab-profile-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Wait until the service worker (activated, so its precache is complete) controls the page. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, {
    timeout: 30_000,
    polling: 200,
  });
}

/** Wait for the app's 'terminal-ready' mark and return its time from navigation start (ms). */
export async function terminalReadyAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => performance.getEntriesByName('terminal-ready')[0]?.startTime, null, {
    timeout: 30_000,
    polling: 'raf',
  });
  const at = (await handle.jsonValue()) as number;
  expect(at).toBeGreaterThan(0);
  return at;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
