// Helpers for the end-to-end specs: open the lab, read terminals through window.__lab, type with
// the real keyboard.

import { expect, type Page } from '@playwright/test';

export const PROMPT = '127.0.0.1:6379> ';

/** Open the lab on a clean slate (no saved history or settings) and wait for the first prompt. */
export async function openLab(page: Page, opts: { colorScheme?: 'dark' | 'light' } = {}): Promise<void> {
  await page.emulateMedia({ colorScheme: opts.colorScheme ?? 'dark' });
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await labReady(page);
}

/** Wait until the lab on an already open page (after a reload, in a new context) shows its prompt. */
export async function labReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate(() => window.__lab?.ready());
  await expect.poll(() => text(page)).toContain(PROMPT);
}

/** Send `command` and return its reply lines (what the terminal printed between its line and the next prompt). */
export async function reply(page: Page, command: string, session?: number): Promise<string[]> {
  await send(page, command, session);
  const all = await lines(page, session);
  // The prompt names the database after SELECT (127.0.0.1:6379[2]>).
  let at = all.length - 1;
  while (at >= 0 && !/^127\.0\.0\.1:6379(\[\d+\])?> /.test(all[at])) at--;
  at--;
  while (at >= 0 && !all[at].endsWith(`> ${command}`)) at--;
  return all.slice(at + 1, all.length - 1);
}

export function text(page: Page, session?: number): Promise<string> {
  return page.evaluate((s) => window.__lab?.text(s) ?? '', session);
}

export function lines(page: Page, session?: number): Promise<string[]> {
  return text(page, session).then((t) => t.split('\n'));
}

/** Type a line with the keyboard into the focused terminal, press Enter, wait for the answer. */
export async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.__lab?.idle());
}

/** Send a line to a session through the test hook (no keyboard, no focus needed). */
export async function send(page: Page, line: string, session?: number): Promise<void> {
  await page.evaluate(([l, s]) => window.__lab?.send(l as string, s as number | undefined), [line, session] as const);
}

export function sessions(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__lab?.sessions() ?? []);
}
