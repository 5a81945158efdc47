// The built lab under its Content Security Policy (app/pwa/csp.ts): no violation anywhere in a tour
// of the app (terminals, panels, help, a mermaid lesson, Lua), and keys, values, errors and replies
// carrying HTML or terminal escapes never become markup or run script.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, send, text } from './lab';
import { INSTRUMENT } from './pwa';

const PAYLOADS = [
  'SET k "<img src=x onerror=alert(1)>"',
  'GET k',
  'SET "<script>window.__xss=1</script>" "<svg onload=alert(2)>"',
  'HSET h "<b>field</b>" "<iframe src=javascript:alert(3)></iframe>"',
  'HGETALL h',
  'SET esc "\\x1b]8;;javascript:alert(4)\\x07click\\x1b]8;;\\x07 \\x1b]0;<img src=x onerror=alert(5)>\\x07"',
  'GET esc',
  'ECHO "<img src=x onerror=window.__xss=6>"',
  '<img src=x onerror=alert(7)> arg',
  'KEYS *',
];

test('no CSP violation in a tour of the app; key and value contents never inject markup', async ({ page }) => {
  const consoleViolations: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) consoleViolations.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(INSTRUMENT);

  const response = await page.goto('/');
  const header = response?.headers()['content-security-policy'] ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
    expect(header).toContain(directive);
  }
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    /script-src 'self'/,
  );
  await openLab(page);

  for (const line of PAYLOADS) await send(page, line);
  const screen = await text(page);
  expect(screen).toContain('"<img src=x onerror=alert(1)>"');
  expect(screen).toContain(
    "(error) ERR unknown command '<img', with args beginning with: 'src=x' 'onerror=alert(7)>' 'arg' ",
  );
  expect(screen).toContain('"\\x1b]8;;javascript:alert(4)\\a');

  // Keys and values on the panels are text too.
  await page.getByTestId('open-keyspace').click();
  await expect(page.getByTestId('keyspace-table')).toContainText('<script>window.__xss=1</script>');
  // Lua (the VM is fetched by the worker) and a mermaid lesson under the policy.
  await expect
    .poll(
      async () => {
        await send(page, 'EVAL "return redis.call(\'GET\', KEYS[1])" 1 k');
        return (await lines(page)).slice(-2);
      },
      { timeout: 15_000 },
    )
    .toEqual(['"<img src=x onerror=alert(1)>"', PROMPT]);
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-select').selectOption('hot-and-cold-path');
  await expect(page.getByTestId('lesson-diagram').locator('svg')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('theme-toggle').click();
  await page.keyboard.press('F1');
  await expect(page.locator('.overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.screenshot({ path: 'e2e/screenshots/hardening.png' });

  // Nothing injected: no element from a payload, no dialog, no script ran.
  expect(await page.locator('img[src="x"], iframe, svg[onload], b:text("field")').count()).toBe(0);
  const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
  expect(scripts.every((src) => src.startsWith(new URL(page.url()).origin))).toBe(true);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => window.__csp ?? [])).toEqual([]);
  expect(consoleViolations).toEqual([]);
});
