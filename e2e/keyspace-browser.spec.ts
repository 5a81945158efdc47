// The keyspace browser: a glob pattern filters the key list in the worker (with the match count),
// each key shows its MEMORY USAGE, and a row opens the key's value as a table — every type, the
// stream's consumer groups and pending entries — that follows the key live. Keyboard only for one
// open; axe scans of the open value view; screenshots panel-keyspace-value-{dark,light}.png.

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { openLab, send, text } from './lab';

async function openKeyspace(page: Page) {
  const dock = page.getByTestId('panel-dock');
  if (await dock.isVisible()) await page.getByTestId('tab-keyspace').click();
  else await page.getByTestId('open-keyspace').click();
  await expect(page.getByTestId('tab-keyspace')).toHaveAttribute('aria-selected', 'true');
}

/** The open value table's body rows, cell texts. */
async function cells(page: Page, testid = 'value-table'): Promise<string[][]> {
  return page
    .getByTestId('key-value')
    .getByTestId(testid)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

async function seed(page: Page) {
  await send(page, 'SET lab:str "hello\\x00world"');
  await send(page, 'RPUSH lab:list a b c');
  await send(page, 'HSET lab:hash name ann age 41');
  await send(page, 'SADD lab:set 3 1 2');
  await send(page, 'ZADD lab:zset 2.5 bob 1 ann');
  await send(page, 'XADD lab:stream 1-1 temp 20');
  await send(page, 'XADD lab:stream 2-0 temp 21 hum 40');
  await send(page, 'XGROUP CREATE lab:stream readers 0');
  await send(page, 'XREADGROUP GROUP readers alice COUNT 1 STREAMS lab:stream >');
  await send(page, 'SET other 1');
  await expect.poll(() => text(page)).toContain('1) "1-1"');
}

const SERIOUS = new Set(['serious', 'critical']);

test('filter by pattern, memory per key, open every type as a table, live updates, keyboard open', async ({ page }) => {
  await openLab(page);
  await seed(page);
  await openKeyspace(page);
  const table = page.getByTestId('keyspace-table');
  await expect(table.locator('tbody tr')).toHaveCount(7);

  // The glob runs in the worker: only lab:* keys, and the count says so.
  await page.getByTestId('key-pattern').fill('lab:*');
  await expect(page.getByTestId('key-matches')).toHaveText('6 keys match lab:*');
  await expect(table.locator('tbody tr')).toHaveCount(6);
  await expect(table.locator('tr[data-key="other"]')).toHaveCount(0);
  await page.getByTestId('key-pattern').fill('lab:[sl]?st');
  await expect(page.getByTestId('key-matches')).toHaveText('1 key matches lab:[sl]?st');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('key-pattern').fill('lab:*');
  await expect(table.locator('tbody tr')).toHaveCount(6);

  // Memory column: the MEMORY USAGE figure.
  await send(page, 'MEMORY USAGE lab:hash');
  const usageReply = async () => {
    const t = await text(page);
    return /MEMORY USAGE lab:hash\s+\(integer\) (\d+)/.exec(t.slice(t.lastIndexOf('MEMORY USAGE lab:hash')))?.[1];
  };
  await expect.poll(usageReply).toMatch(/^\d+$/);
  await expect(table.locator('tr[data-key="lab:hash"] [data-testid="mem"]')).toHaveText((await usageReply()) ?? '');

  const open = async (key: string) => {
    await table.locator(`tr[data-key="${key}"]`).click();
    await expect(page.getByTestId('key-value').locator('h3')).toHaveText(key);
  };

  await open('lab:str');
  await expect(page.getByTestId('value-meta')).toHaveText('type string · encoding embstr · 72 bytes (MEMORY USAGE)');
  await expect.poll(() => cells(page)).toEqual([['hello\\x00world']]);

  await open('lab:list');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['0', 'a'],
      ['1', 'b'],
      ['2', 'c'],
    ]);
  // Live: a change in the terminal shows in the open table.
  await send(page, 'LPUSH lab:list z');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['0', 'z'],
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);

  await open('lab:hash');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['name', 'ann'],
      ['age', '41'],
    ]);
  await send(page, 'HSET lab:hash age 42');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['name', 'ann'],
      ['age', '42'],
    ]);

  await open('lab:set');
  await expect.poll(() => cells(page)).toEqual([['1'], ['2'], ['3']]);

  await open('lab:zset');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['0', 'ann', '1'],
      ['1', 'bob', '2.5'],
    ]);

  // Keyboard only: Tab to the stream's row and Enter.
  const streamRow = table.locator('tr[data-key="lab:stream"]');
  await page.getByTestId('key-pattern').focus();
  for (let i = 0; i < 40 && !(await streamRow.evaluate((r) => r === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(streamRow).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('key-value').locator('h3')).toHaveText('lab:stream');
  await expect
    .poll(() => cells(page))
    .toEqual([
      ['1-1', 'temp=20'],
      ['2-0', 'temp=21  hum=40'],
    ]);
  await expect.poll(() => cells(page, 'groups-table')).toEqual([['readers', '1-1', '1', '1', '1', '1']]);
  await expect.poll(() => cells(page, 'consumers-table')).toEqual([['readers', 'alice', '1', '1-1 ×1']]);
  // The same figures as XINFO GROUPS; then a second read moves the group on, live.
  await send(page, 'XREADGROUP GROUP readers bob STREAMS lab:stream >');
  await expect.poll(() => cells(page, 'groups-table')).toEqual([['readers', '2-0', '2', '0', '2', '2']]);
  await expect
    .poll(() => cells(page, 'consumers-table'))
    .toEqual([
      ['readers', 'alice', '1', '1-1 ×1'],
      ['readers', 'bob', '1', '2-0 ×1'],
    ]);
  // Escape closes the view.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('key-value')).toHaveCount(0);

  // Screenshots and axe scans of the open value view, both themes.
  await open('lab:stream');
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200);
    const result = await new AxeBuilder({ page }).include('[data-testid="panel-dock"]').analyze();
    const bad = result.violations
      .filter((v) => SERIOUS.has(v.impact ?? ''))
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, scheme).toEqual([]);
    await page.screenshot({ path: `e2e/screenshots/panel-keyspace-value-${scheme}.png` });
  }

  // A deleted key says so.
  await send(page, 'DEL lab:stream');
  await expect(page.getByTestId('value-gone')).toHaveText('The key no longer exists.');
});
