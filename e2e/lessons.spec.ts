// Guided lessons: the panel opens beside the terminal, Run types a step's commands visibly into the
// active terminal, checks turn green from the engine's state, lab commands move the clock, mermaid
// diagrams render, presenter mode pages with the keyboard, and instructors' files are validated and
// never inject markup. Screenshots in e2e/screenshots/ are for a human to look at.

import { expect, type Page, test } from '@playwright/test';
import { openLab, text } from './lab';

async function openLesson(page: Page, id: string) {
  await page.getByTestId('lessons-toggle').click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.getByTestId('lesson-select').selectOption(id);
}

const checkStates = (page: Page) =>
  page.getByTestId('check').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

test('Run types a step into the terminal and its check turns green; :advance expires a key', async ({ page }) => {
  await openLab(page, { colorScheme: 'dark' });
  await openLesson(page, 'why-ram');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await expect(page.getByTestId('lesson-step')).toContainText('A first key');
  await expect.poll(() => checkStates(page)).toEqual(['fail']);

  await page.getByTestId('run-block').first().click();
  await expect.poll(() => text(page)).toContain('127.0.0.1:6379> SET product:7:name "Blue mug"');
  await expect.poll(() => text(page)).toContain('"Blue mug"');
  await expect.poll(() => checkStates(page)).toEqual(['pass']);
  await expect(page.getByTestId('lesson-checks')).toContainText('Step complete');

  // Step 2 (a miss, with :sleep 50), then step 4 (:advance 61s) through the keyboard shortcut.
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass', 'pass']);
  await page.screenshot({ path: 'e2e/screenshots/lesson-dark.png' });
  await page.keyboard.press('Alt+PageDown');
  await page.keyboard.press('Alt+PageDown');
  await expect(page.getByTestId('lesson-step')).toContainText('The copy expires');
  await expect.poll(() => checkStates(page)).toEqual(['fail']);
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => text(page)).toContain('(lab) the clock moved 61s forward');
  await expect.poll(() => checkStates(page)).toEqual(['pass']);

  // Typing a check's answer by hand works as well as Run: the checks read the engine, not the text.
  await page.keyboard.press('Alt+PageDown');
  await expect.poll(() => checkStates(page)).toEqual(['fail', 'fail']);
  await page.getByTestId('show-hint').click();
  await page.getByTestId('show-solution').click();
  await page.getByRole('button', { name: /Run solution/ }).click();
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass']);
  await expect(page.getByText('Lesson complete')).toBeVisible();

  // Progress survives a reload.
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.getByTestId('lessons-toggle').click();
  await expect(page.getByTestId('lesson-step')).toContainText('Your turn: warm it again');
  await expect(page.locator('.lesson-steps .mark').first()).toHaveText('✓');
});

test(':crash and :restart in the persistence lesson restart the server in the worker', async ({ page }) => {
  await openLab(page);
  await openLesson(page, 'persistence');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => text(page)).toContain('(lab) the server shut down cleanly and started again.');
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass']);
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => text(page)).toContain('(lab) loaded 1 keys from the RDB snapshot.');
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass']);
  await page.screenshot({ path: 'e2e/screenshots/lesson-crash-dark.png' });
});

test('the AOF everysec step runs in the browser: the clock paused for its writes and resumed after, the unsynced write lost', async ({
  page,
}) => {
  await openLab(page);
  await openLesson(page, 'persistence');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await page.locator('.lesson-steps button', { hasText: 'AOF, fsync every second' }).click();
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => text(page)).toContain('(lab) the clock runs again');
  const out = await text(page);
  expect(out).toContain('(lab) the clock is paused: time moves only with :advance (or :clock resume)');
  await expect(page.getByTestId('clock-pause')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass']);
  await page.screenshot({ path: 'e2e/screenshots/lesson-everysec-dark.png' });
});

test(':load-rdb restores a snapshot Redis 7.0 wrote, from the lab bundle, in the worker', async ({ page }) => {
  await openLab(page);
  await openLesson(page, 'persistence');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await page.locator('.lesson-steps button', { hasText: 'Restore a backup' }).click();
  await expect.poll(() => checkStates(page)).toEqual(['fail', 'fail', 'fail', 'fail']);
  await page.getByTestId('lesson-step').getByTestId('run-block').click();
  await expect.poll(() => text(page)).toContain("(lab) 'shop' copied in as the RDB file; the server restarted.");
  await expect.poll(() => text(page)).toContain('(lab) loaded 5 keys from the RDB snapshot.');
  await expect.poll(() => checkStates(page)).toEqual(['pass', 'pass', 'pass', 'pass']);
  await page.screenshot({ path: 'e2e/screenshots/lesson-load-rdb-dark.png' });
});

test('a mermaid diagram renders lazily, in both themes', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(before.some((n) => /mermaid|LessonPanel/i.test(n))).toBe(false);
  await openLesson(page, 'hot-and-cold-path');
  await expect(page.getByTestId('lesson-diagram').locator('svg')).toBeVisible();
  await expect(page.getByTestId('lesson-diagram')).toContainText('Redis in RAM');
  await page.screenshot({ path: 'e2e/screenshots/lesson-diagram-light.png' });
  await page.getByTestId('theme-toggle').click();
  await expect(page.getByTestId('lesson-diagram').locator('svg')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/lesson-diagram-dark.png' });
});

test('presenter mode: large text, one step, arrow keys and Esc', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  await openLesson(page, 'timelines');
  await page.getByTestId('presenter-on').click();
  const panel = page.getByTestId('lesson-panel');
  await expect(panel).toHaveClass(/presenter/);
  await expect(page.locator('.lesson-steps')).toHaveCount(0);
  expect(Number.parseFloat(await panel.evaluate((e) => getComputedStyle(e).fontSize))).toBeGreaterThan(20);
  await expect(page.getByTestId('lesson-step')).toContainText('A post in a timeline');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('lesson-step')).toContainText('Newest first');
  await page.screenshot({ path: 'e2e/screenshots/lesson-presenter-light.png' });
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('lesson-step')).toContainText('A post in a timeline');
  await page.keyboard.press('Escape');
  await expect(panel).not.toHaveClass(/presenter/);
});

test("an instructor's pasted lesson runs, and cannot inject markup", async ({ page }) => {
  await openLab(page);
  await page.getByTestId('lessons-toggle').click();
  await page.getByRole('button', { name: 'Paste' }).click();
  const evil = [
    '---',
    'id: custom',
    'title: Custom <img src=x onerror="window.__xss=1">',
    'order: 99',
    '---',
    '## Step <script>window.__xss=2</script>',
    '<img src=x onerror="window.__xss=3"> [x](javascript:window.__xss=4)',
    '```redis',
    'SET custom 1',
    '```',
    '```check',
    'GET custom',
    '"1"',
    '```',
  ].join('\n');
  await page.locator('#lesson-paste-text').fill(evil);
  await page.getByRole('button', { name: 'Open pasted lesson' }).click();
  await expect(page.getByTestId('lesson-step')).toContainText('<img src=x onerror="window.__xss=3">');
  expect(await page.locator('.lesson-panel img, .lesson-panel script').count()).toBe(0);
  expect(await page.locator('.lesson-panel a[href^="javascript"]').count()).toBe(0);
  await page.getByTestId('run-block').click();
  await expect.poll(() => checkStates(page)).toEqual(['pass']);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

  // A broken file gets clear errors with line numbers.
  await page
    .locator('#lesson-paste-text')
    .fill('---\nid: broken\ntitle: t\norder: x\n---\n## s\n```redis\n:warp 3\n```\n');
  await page.getByRole('button', { name: 'Open pasted lesson' }).click();
  await expect(page.getByTestId('lesson-errors')).toContainText('order must be a number');
  await expect(page.getByTestId('lesson-errors')).toContainText("line 8: redis: unknown lab command ':warp'");
});

test('?lesson= loads only same-origin lessons', async ({ page }) => {
  await page.goto('/?lesson=https://example.com/evil.md');
  await expect(page.getByTestId('lesson-errors')).toContainText('only lessons from this site open by URL');
});
