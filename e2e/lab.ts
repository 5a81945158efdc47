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
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate(() => window.__lab?.ready());
  await expect.poll(() => text(page)).toContain(PROMPT);
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
