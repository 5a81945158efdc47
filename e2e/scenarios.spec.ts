// The scenario widgets lessons embed: each one, started, moves its figures and issues real commands
// through its own connections, which MONITOR in another terminal session shows. Mode switches and
// actions are native controls used from the keyboard. Screenshots e2e/screenshots/scenario-*.png
// are for a human to look at; an axe scan checks a lesson step with a widget.

import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { openLab, text } from './lab';

/** Session 1's terminal (MONITOR) with its wrapped lines joined back. */
const monitor = async (page: Page) => (await text(page, 1)).replace(/\n/g, '');

interface Case {
  name: string;
  lesson: string;
  step: string;
  /** A figure that must move once the widget runs. */
  figure: string;
  /** What MONITOR must show of the widget's commands. */
  monitor: RegExp;
  /** The name (or a prefix of it) of one of its connections, as the event log shows it: "[0 name]". */
  client: string;
  /** Exercise its mode switches / actions and assert their effect. */
  more?: (page: Page, widget: Locator) => Promise<void>;
}

const figure = (widget: Locator, id: string) => widget.locator(`[data-figure="${id}"] dd`);
const num = async (l: Locator) => Number((await l.textContent())?.replace(/[^\d.]/g, '') || 'NaN');

const CASES: Case[] = [
  {
    name: 'cache',
    client: 'cache-app',
    lesson: 'caching-and-sessions',
    step: 'Write-behind',
    figure: 'requests',
    monitor: /"GET" "cache:item:\d+"/,
    async more(page, w) {
      await expect.poll(() => figure(w, 'hit-rate').textContent()).toMatch(/%/);
      await expect.poll(() => figure(w, 'miss-latency').textContent()).toMatch(/^\d+\.\d ms$/);
      // A miss pays the database's 50 ms; a hit does not.
      expect(await num(figure(w, 'miss-latency'))).toBeGreaterThanOrEqual(50);
      await w.getByTestId('scenario-choice-strategy').selectOption('write-behind');
      await w.getByTestId('scenario-choice-writes').selectOption('0.3');
      await expect.poll(() => monitor(page)).toMatch(/"RPUSH" "writebehind:queue"/);
      await expect.poll(() => num(figure(w, 'queued'))).toBeGreaterThan(0);
    },
  },
  {
    name: 'timeline',
    client: 'timeline-app',
    lesson: 'timelines',
    step: 'Fan-out on write',
    figure: 'reads',
    monitor: /"ZRANGE" "timeline:\d+" "0" "9" "REV"/,
    async more(page, w) {
      await w.getByTestId('scenario-action-post').click();
      await expect.poll(() => monitor(page)).toMatch(/"ZADD" "timeline:\d+" "\d+" "tweet:\d+"/);
      await expect.poll(() => monitor(page)).toMatch(/"ZREMRANGEBYRANK" "timeline:\d+" "0" "-51"/);
      await expect.poll(() => num(figure(w, 'fanout'))).toBeGreaterThanOrEqual(100);
    },
  },
  {
    name: 'rate-limit',
    client: 'rate-limiter',
    lesson: 'rate-limits-and-locks',
    step: 'A sliding window on a sorted set',
    figure: 'sent',
    monitor: /"INCR" "rl:fixed:user:42"/,
    async more(page, w) {
      // Over the limit (the slider from the keyboard), requests are refused.
      const slider = w.getByRole('slider');
      await slider.focus();
      await page.keyboard.press('End');
      await expect(slider).toHaveValue('50');
      await expect.poll(() => num(figure(w, 'refused'))).toBeGreaterThan(0);
      const select = w.getByTestId('scenario-choice-limiter');
      await select.selectOption('bucket');
      await expect.poll(() => monitor(page)).toMatch(/"EVAL" "local capacity/);
    },
  },
  {
    name: 'lock',
    client: 'lock-worker-',
    lesson: 'rate-limits-and-locks',
    step: 'Release only your own lock',
    figure: 'acquired',
    monitor: /"SET" "lock:invoice-run" "worker-\d:\d+" "NX" "PX" "500"/,
    async more(page, w) {
      await w.getByTestId('scenario-choice-pauses').selectOption('on');
      await expect.poll(() => num(figure(w, 'expired')), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => num(figure(w, 'refused'))).toBeGreaterThan(0);
      await expect.poll(() => monitor(page)).toMatch(/"EVAL" "if redis.call\('GET', KEYS\[1\]\) == ARGV\[1\]/);
    },
  },
  {
    name: 'work-queue',
    client: 'consumer-',
    lesson: 'streams',
    step: 'A consumer group',
    figure: 'done',
    monitor: /"XREADGROUP" "GROUP" "workers" "consumer-\d"/,
    async more(page, w) {
      await w.getByTestId('scenario-action-kill').click();
      await expect(w.locator('[data-figure="consumer-1"] dd')).toHaveText('dead');
      await expect.poll(() => num(figure(w, 'recovered')), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => monitor(page)).toMatch(/"XAUTOCLAIM" "jobs:stream" "workers" "consumer-2" "2000"/);
      // The list: kill consumer 1 while it works, and its job is lost.
      await w.getByTestId('scenario-action-revive').click();
      await w.getByTestId('scenario-choice-kind').selectOption('list');
      await expect.poll(() => monitor(page)).toMatch(/"BRPOP" "jobs:list" "1"/);
      await expect(w.locator('[data-figure="consumer-1"] dd')).toHaveText(/working on/, { timeout: 10_000 });
      await w.getByTestId('scenario-action-kill').click();
      await expect.poll(() => num(figure(w, 'lost'))).toBe(1);
    },
  },
  {
    name: 'pubsub',
    client: 'inv-writer',
    lesson: 'messaging-and-when',
    step: 'Streams keep the message',
    figure: 'updates',
    monitor: /"PUBLISH" "catalog:updates" "catalog:item:\d+"/,
    async more(page, w) {
      await expect(figure(w, 'reach')).toHaveText('3 subscribers');
      // Let server C warm its local cache before it goes away.
      await expect.poll(() => num(figure(w, 'updates'))).toBeGreaterThanOrEqual(25);
      await w.getByTestId('scenario-action-offline').click();
      await expect.poll(() => figure(w, 'reach').textContent()).toBe('2 subscribers');
      // Long enough offline that it misses updates of products it has cached.
      await expect.poll(() => num(figure(w, 'missed'))).toBeGreaterThanOrEqual(15);
      await w.getByTestId('scenario-action-online').click();
      await expect(w.locator('[data-figure="server-C"] dd')).toHaveText(/online, \d+ received, [1-9]\d* stale/);
      await expect.poll(() => monitor(page)).toMatch(/"SUBSCRIBE" "catalog:updates"/);
    },
  },
];

async function openStep(page: Page, lesson: string, step: string): Promise<Locator> {
  if (!(await page.getByTestId('lesson-panel').isVisible())) await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-select').selectOption(lesson);
  // Empty the server and run the lesson's setup (Start lesson, or Reset lesson once under way).
  await page.getByTestId('lesson-reset').click();
  await expect(page.locator('.lesson-steps button').first()).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('lesson-reset')).toBeEnabled();
  await page.locator('.lesson-steps button', { hasText: step }).click();
  await expect(page.getByTestId('lesson-step')).toContainText(step);
  const widget = page.getByTestId('lesson-step').getByTestId('scenario');
  await expect(widget.getByTestId('scenario-start')).toBeVisible();
  return widget;
}

for (const c of CASES) {
  test(`the ${c.name} widget runs real commands that MONITOR shows, and its figures move`, async ({ page }) => {
    await openLab(page, { colorScheme: 'dark' });
    await page.keyboard.press('Alt+N');
    await page.evaluate(() => window.__lab?.type('MONITOR\r', 1));
    await expect.poll(() => text(page, 1)).toContain('OK');

    const w = await openStep(page, c.lesson, c.step);
    const before = await num(figure(w, c.figure));
    // Start from the keyboard: it is a real button.
    await w.getByTestId('scenario-start').focus();
    await page.keyboard.press('Enter');
    await expect(w.getByTestId('scenario-start')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => num(figure(w, c.figure))).toBeGreaterThan(before);
    await expect.poll(() => monitor(page)).toMatch(c.monitor);
    await expect(w.locator('.scenario-trace')).not.toContainText('no commands yet');
    await c.more?.(page, w);
    await w.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `e2e/screenshots/scenario-${c.name}-dark.png` });
    // The event log shows its commands too, under its connection's name.
    await page.getByTestId('open-events').click();
    await expect(page.getByTestId('eventlog-list')).toContainText(new RegExp(`\\[0 ${c.client}[\\w-]*\\] `));
    await w.getByTestId('scenario-start').click();
    await expect(w.getByTestId('scenario-start')).toHaveAttribute('aria-pressed', 'false');
    // Stopped: the figures hold still.
    const held = await figure(w, c.figure).textContent();
    await page.waitForTimeout(600);
    await expect(figure(w, c.figure)).toHaveText(held ?? '');
  });
}

test('the widgets in the light theme', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page, { colorScheme: 'light' });
  for (const c of CASES) {
    const w = await openStep(page, c.lesson, c.step);
    await w.getByTestId('scenario-start').click();
    await expect.poll(() => num(figure(w, c.figure))).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    await w.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `e2e/screenshots/scenario-${c.name}-light.png` });
    await w.getByTestId('scenario-start').click();
  }
});

test('a lesson step with a widget has no serious or critical axe violations', async ({ page }) => {
  for (const scheme of ['dark', 'light'] as const) {
    await openLab(page, { colorScheme: scheme });
    const w = await openStep(page, 'caching-and-sessions', 'Write-behind');
    await w.getByTestId('scenario-start').click();
    await expect.poll(() => num(figure(w, 'requests'))).toBeGreaterThan(0);
    const r = await new AxeBuilder({ page }).include('[data-testid="lesson-step"]').analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await w.getByTestId('scenario-start').click();
  }
});
