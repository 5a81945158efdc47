// The live panels beside the terminals: the sorted set's listpack and skip list with the
// leaderboard, the one-way conversion, a million-member set shown as a window, the memory panel
// and the keyspace TTLs counting down. Screenshots in e2e/screenshots/ are for a human to look at.

import { expect, type Page, test } from '@playwright/test';
import { openLab, send } from './lab';

async function openPanel(page: Page, tab: 'skiplist' | 'memory' | 'keyspace') {
  const dock = page.getByTestId('panel-dock');
  if (await dock.isVisible()) await page.getByTestId(`tab-${tab}`).click();
  else await page.getByTestId(`open-${tab}`).click();
  await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}

for (const scheme of ['dark', 'light'] as const) {
  test(`sorted set panel (${scheme}): listpack row, leaderboard, conversion to a skip list`, async ({ page }) => {
    await openLab(page, { colorScheme: scheme });
    await openPanel(page, 'skiplist');
    await send(page, 'CONFIG SET zset-max-listpack-entries 5');
    await send(page, 'ZADD board 10 ann 30 cat 20 bob');
    await expect(page.getByTestId('zset-encoding')).toHaveText('listpack');
    await expect(page.getByTestId('listpack-view').locator('.lp-m')).toHaveText(['ann', 'bob', 'cat']);
    await expect(page.getByTestId('leaderboard').locator('tbody tr').first()).toContainText('cat');
    await page.waitForTimeout(700);
    await page.screenshot({ path: `e2e/screenshots/panel-listpack-${scheme}.png` });

    await send(page, 'ZADD board 40 dan 50 eve 5 fay');
    await expect(page.getByTestId('zset-encoding')).toHaveText('skiplist');
    await expect(page.getByTestId('convert-banner')).toContainText('5 entries moved');
    const svg = page.getByTestId('skiplist-svg');
    await expect(svg.locator('.sl-node.node')).toHaveCount(6);
    await expect(svg.locator('.sl-node.header')).toHaveCount(1);
    await expect(svg.locator('.sl-node.nil')).toHaveCount(1);
    await expect(page.getByTestId('leaderboard').locator('tbody tr')).toHaveCount(6);
    await expect(page.getByTestId('leaderboard').locator('tbody tr').first()).toContainText('eve');

    await send(page, 'ZADD board 25 gus');
    await expect(page.getByTestId('op-caption')).toContainText('inserted "gus" at rank 3 with level');
    await expect(svg.locator('.sl-node.mark-new')).toHaveAttribute('data-member', 'gus');
    await page.waitForTimeout(1500); // let the path animation finish for the screenshot
    await page.screenshot({ path: `e2e/screenshots/panel-skiplist-${scheme}.png` });

    await send(page, 'ZRANK board dan');
    await expect(page.getByTestId('op-caption')).toContainText('rank of "dan": spans');
    await expect(page.getByTestId('op-caption')).toContainText('→ ZRANK 5');
    await send(page, 'ZINCRBY board 100 ann');
    await expect(page.getByTestId('op-caption')).toContainText('moved "ann" to score 110, now rank 6');
    await expect(page.getByTestId('leaderboard').locator('tbody tr').first()).toContainText('ann');
    await send(page, 'ZREM board bob');
    await expect(page.getByTestId('op-caption')).toContainText('removed "bob" from rank 1');
    await expect(svg.locator('.sl-node.node')).toHaveCount(6);
  });
}

test('a million-member sorted set is drawn as a window around the action', async ({ page }) => {
  await openLab(page);
  await openPanel(page, 'skiplist');
  const loaded = await page.evaluate(async () => {
    const commands: string[][] = [];
    for (let c = 0; c < 1000; c++) {
      const argv = ['ZADD', 'big'];
      for (let i = 0; i < 1000; i++) {
        const n = c * 1000 + i;
        argv.push(String(n), `m${n}`);
      }
      commands.push(argv);
    }
    return window.__lab?.pipeline(commands);
  });
  expect(loaded).toBe(1000);
  await send(page, 'ZCARD big');
  await send(page, 'ZRANK big m654321');
  await expect(page.getByTestId('op-caption')).toContainText('rank of "m654321"');
  await expect(page.getByTestId('op-caption')).toContainText('→ ZRANK 654321');
  const svg = page.getByTestId('skiplist-svg');
  await expect(svg.locator('.sl-node.mark-target')).toHaveAttribute('data-member', 'm654321');
  // Only the window is drawn, never a million nodes.
  expect(await svg.locator('.sl-node').count()).toBeLessThanOrEqual(12);
  await expect(page.locator('.zset-head')).toContainText('1000000 members');
  await page.waitForTimeout(3000); // the path animation lasts at most 2.5 s
  await page.screenshot({ path: 'e2e/screenshots/panel-skiplist-million.png' });
  // The page stayed responsive: the terminal still answers.
  await send(page, 'ZSCORE big m999999');
  await expect.poll(() => page.evaluate(() => window.__lab?.text() ?? '')).toContain('"999999"');
});

test('memory panel follows used memory, the biggest keys and evictions', async ({ page }) => {
  await openLab(page);
  await openPanel(page, 'memory');
  const used = page.getByTestId('used-memory');
  await expect(used).not.toHaveText('');
  const before = await used.textContent();
  await send(page, 'SETRANGE blob 300000 x');
  await send(page, 'RPUSH list a b c');
  await expect(used).not.toHaveText(before ?? '');
  await expect(page.getByTestId('biggest-keys').locator('tbody tr').first()).toContainText('blob');
  await expect(page.getByTestId('biggest-keys')).toContainText('quicklist');
  await expect(page.getByTestId('memory-keys')).toHaveText('2');
  await send(page, 'CONFIG SET maxmemory-policy allkeys-lru');
  await send(page, 'CONFIG SET maxmemory 1200000');
  await send(page, 'SET k1 v');
  await expect(page.locator('.evictions')).toContainText('evicted blob (db 0) by allkeys-lru');
  await page.waitForTimeout(1200);
  await page.screenshot({ path: 'e2e/screenshots/panel-memory.png' });
  await send(page, 'CONFIG SET maxmemory 0');
});

test('keyspace panel lists keys with type and encoding, TTLs counting down', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  await openPanel(page, 'keyspace');
  await send(page, 'SET counter 42');
  await send(page, 'SET session:1 token EX 100');
  await send(page, 'HSET user:1 name ann');
  const table = page.getByTestId('keyspace-table');
  await expect(table.locator('tr[data-key="counter"]')).toContainText('int');
  await expect(table.locator('tr[data-key="user:1"]')).toContainText('listpack');
  const ttl = table.locator('tr[data-key="session:1"] [data-testid="ttl"]');
  await expect(ttl).toHaveText(/^1m 3\ds$|^1m 40s$/);
  const first = await ttl.textContent();
  await expect.poll(() => ttl.textContent(), { timeout: 5000 }).not.toBe(first);
  await send(page, 'SET flash x PX 1500');
  await expect(table.locator('tr[data-key="flash"]')).toBeVisible();
  await expect(table.locator('tr[data-key="flash"]')).toHaveCount(0, { timeout: 5000 });
  await page.screenshot({ path: 'e2e/screenshots/panel-keyspace-light.png' });
});

test('the panels collapse and come back with Alt+V', async ({ page }) => {
  await openLab(page);
  await expect(page.getByTestId('open-skiplist')).toBeVisible();
  await page.keyboard.press('Alt+V');
  await expect(page.getByTestId('panel-dock')).toBeVisible();
  await page.keyboard.press('Alt+V');
  await expect(page.getByTestId('panel-dock')).toHaveCount(0);
});
