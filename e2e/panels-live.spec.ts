// The live panels, second part: the engine clock (pause, step, TTL countdown, BLPOP timeout), the
// event log, the skip list checked node by node against the engine's inspect API (drawing and
// table), the listpack → skip list flip at the 129th member, axe scans of every panel in both
// themes, and the performance budgets (10,000 commands/s with the panels open; a million-member
// set's first frame). Screenshots in e2e/screenshots/panel-*.png are for a human to look at.

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import type { ZsetReport } from '../engine/worker/protocol';
import { openLab, send, text } from './lab';

type Tab = 'skiplist' | 'memory' | 'keyspace' | 'events';

async function openPanel(page: Page, tab: Tab) {
  const dock = page.getByTestId('panel-dock');
  if (await dock.isVisible()) await page.getByTestId(`tab-${tab}`).click();
  else await page.getByTestId(`open-${tab}`).click();
  await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}

/** Seconds shown in a TTL cell ("28s", "9.4s", "1m 05s"). */
function seconds(ttl: string | null): number {
  const t = ttl ?? '';
  const m = /^(?:(\d+)m )?([\d.]+)s$/.exec(t);
  if (!m) throw new Error(`not a TTL: ${t}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}

test('the clock control pauses and steps engine time: TTLs, expiry and BLPOP timeouts follow', async ({ page }) => {
  await openLab(page);
  await openPanel(page, 'keyspace');
  const time = page.getByTestId('clock-time');
  await expect(time).toHaveText(/\d\d:\d\d:\d\d/);
  await send(page, 'SET k v EX 30');
  const ttl = page.getByTestId('keyspace-table').locator('tr[data-key="k"] [data-testid="ttl"]');
  await expect(ttl).toHaveText(/^(29|30)s$/);
  // Running: the countdown moves on its own.
  await expect.poll(async () => seconds(await ttl.textContent()), { timeout: 4000 }).toBeLessThan(29);

  await page.getByTestId('clock-pause').click();
  await expect(page.getByTestId('clock-pause')).toHaveAttribute('aria-pressed', 'true');
  await expect(time).toContainText('paused');
  const frozen = seconds(await ttl.textContent());
  const frozenAt = Number(await time.getAttribute('data-now'));
  await page.waitForTimeout(1500);
  expect(seconds(await ttl.textContent())).toBe(frozen);
  expect(Number(await time.getAttribute('data-now'))).toBe(frozenAt);

  await page.getByTestId('clock-step-10000').click();
  await expect.poll(async () => seconds(await ttl.textContent())).toBe(frozen - 10);
  expect(Number(await time.getAttribute('data-now'))).toBe(frozenAt + 10_000);
  await page.screenshot({ path: 'e2e/screenshots/panel-clock-paused-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'e2e/screenshots/panel-clock-paused-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  // The terminal runs on the same clock: TTL agrees with the panel.
  await send(page, 'PTTL k');
  const pttl = Number(/PTTL k\s+\(integer\) (\d+)/.exec(await text(page))?.[1]);
  expect(Math.floor(pttl / 1000)).toBe(frozen - 10);

  // Past the 30 s: the key goes, from the panel and for EXISTS.
  await page.getByTestId('clock-step-10000').click();
  await page.getByTestId('clock-step-10000').click();
  await expect(page.getByTestId('keyspace-table').locator('tr[data-key="k"]')).toHaveCount(0);
  await send(page, 'EXISTS k');
  expect(await text(page)).toMatch(/EXISTS k\s+\(integer\) 0/);

  // BLPOP 5 on the paused clock: waits however long real time passes, times out once stepped past.
  await page.evaluate(() => window.__lab?.type('BLPOP q 5\r'));
  await page.waitForTimeout(1200);
  for (let i = 0; i < 5; i++) await page.getByTestId('clock-step-1000').click();
  await page.waitForTimeout(300);
  // Exactly at its deadline: Redis times a client out once the deadline is behind the clock.
  expect(await text(page)).not.toMatch(/BLPOP q 5\s+\(nil\)/);
  await page.getByTestId('clock-step-1000').click();
  await expect.poll(() => text(page)).toMatch(/BLPOP q 5\s+\(nil\)/);

  await page.getByTestId('clock-pause').click();
  await expect(page.getByTestId('clock-pause')).toHaveAttribute('aria-pressed', 'false');
  await expect(time).not.toContainText('paused');
});

test('the event log streams commands, keyspace events and expiries, filterable and pausable', async ({ page }) => {
  await openLab(page);
  await openPanel(page, 'events');
  const list = page.getByTestId('eventlog-list');
  await send(page, 'SET user:1 ann');
  await send(page, 'SET flash x PX 100');
  await send(page, 'CONFIG SET maxmemory-policy allkeys-lru');
  await expect(list).toContainText('cmd [0 127.0.0.1:50001] SET user:1 ann');
  await expect(list).toContainText('event db0 set user:1 (class $)');
  await expect(list).toContainText('config CONFIG maxmemory-policy = allkeys-lru');
  await page.getByTestId('clock-step-1000').click();
  await expect(list).toContainText('expired db0 flash expired');

  // Keyboard: Tab from the search box reaches the filters; Space unticks "Commands".
  await page.getByTestId('eventlog-search').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('eventlog-cat-command')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('eventlog-cat-command')).not.toBeChecked();
  await expect(list.locator('li[data-cat="command"]')).toHaveCount(0);
  await expect(list.locator('li[data-cat="keyspace"]').first()).toBeVisible();
  await page.getByTestId('eventlog-cat-command').check();

  await page.getByTestId('eventlog-search').fill('user:1');
  await expect(list.locator('li')).not.toHaveCount(0);
  for (const line of await list.locator('li').allTextContents()) expect(line).toContain('user:1');
  await page.getByTestId('eventlog-search').fill('');

  // Paused: new events wait until following again.
  await page.getByTestId('eventlog-follow').click();
  await expect(page.getByTestId('eventlog-follow')).toHaveAttribute('aria-pressed', 'false');
  await send(page, 'INCR visits');
  await page.waitForTimeout(400);
  await expect(list).not.toContainText('INCR visits');
  await expect(page.getByTestId('eventlog-status')).toContainText('newer events arrived');
  await page.getByTestId('eventlog-follow').click();
  await expect(list).toContainText('INCR visits');

  // Bounded: thousands of commands keep at most the drawn window.
  await page.evaluate(() => window.__lab?.pipeline(Array.from({ length: 900 }, (_, i) => ['SET', `bulk:${i}`, 'v'])));
  await expect(list).toContainText('SET bulk:899 v');
  expect(await list.locator('li').count()).toBeLessThanOrEqual(60);
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `e2e/screenshots/panel-eventlog-${scheme}.png` });
  }
});

/** The members of the ZADDs below: scores with ties (ordered by member), listpack until 128. */
function zaddScript(n: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const m = `m${String((i * 37) % n).padStart(3, '0')}`;
    out.push(['ZADD', 'ties', String(Math.floor(i / 3) % 7), m]);
  }
  return out;
}

async function inspectWindow(page: Page, start: number, count: number): Promise<ZsetReport> {
  return (await page.evaluate(
    ([s, c]) => window.__lab?.inspect({ kind: 'zset', db: 0, key: 'ties', start: s, count: c, top: 0 }),
    [start, count] as const,
  )) as ZsetReport;
}

/** The drawing's nodes, levels and spans must equal the engine's window at the same ranks. */
async function expectDrawingMatches(page: Page) {
  const svg = page.getByTestId('skiplist-svg');
  const start = Number(await svg.getAttribute('data-start'));
  const nodes = svg.locator('.sl-node.node');
  const count = await nodes.count();
  const report = await inspectWindow(page, start, count);
  const w = report.window;
  if (w === null) throw new Error('no window');
  expect(w.encoding).toBe('skiplist');
  expect(w.start).toBe(start);
  const drawn = await nodes.evaluateAll((gs) =>
    gs.map((g) => ({
      rank: Number(g.getAttribute('data-rank')),
      member: g.getAttribute('data-member'),
      level: Number(g.getAttribute('data-level')),
    })),
  );
  expect(drawn).toEqual(w.nodes.map((n) => ({ rank: n.rank, member: n.member, level: n.forward.length })));
  const links = await svg.locator('.sl-link').evaluateAll((gs) =>
    gs
      .map((g) => ({
        from: Number(g.getAttribute('data-from')),
        level: Number(g.getAttribute('data-link-level')),
        span: Number(g.getAttribute('data-span')),
      }))
      .sort((a, b) => a.from - b.from || a.level - b.level),
  );
  const expected = [
    ...(w.header ? w.header.span.map((span, level) => ({ from: -1, level, span })) : []),
    ...w.nodes.flatMap((n) => n.span.map((span, level) => ({ from: n.rank, level, span }))),
  ];
  expect(links).toEqual(expected);
  // Ties are ordered by member: the window's scores never decrease, equal scores by member.
  for (let i = 1; i < w.nodes.length; i++) {
    const a = w.nodes[i - 1];
    const b = w.nodes[i];
    expect(a.score < b.score || (a.score === b.score && a.member < b.member)).toBe(true);
  }
  return w;
}

test('the skip list panel shows what the engine reports, and the flip at the 129th member', async ({ page }) => {
  await openLab(page);
  await openPanel(page, 'skiplist');
  await send(page, 'CONFIG GET zset-max-listpack-entries');
  expect(await text(page)).toContain('"128"');
  const script = zaddScript(129);
  expect(await page.evaluate((c) => window.__lab?.pipeline(c), script.slice(0, 127))).toBe(127);
  await send(page, script[127].join(' '));
  await expect(page.getByTestId('zset-encoding')).toHaveText('listpack');
  await expect(page.locator('.zset-head')).toContainText('128 members');
  await expect(page.getByTestId('listpack-view')).toBeVisible();
  await expect(page.getByTestId('skiplist-svg')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/panel-listpack-128-dark.png' });

  await send(page, script[128].join(' '));
  await expect(page.getByTestId('zset-encoding')).toHaveText('skiplist');
  await expect(page.getByTestId('convert-banner')).toContainText('128 entries moved');
  await expect(page.locator('.zset-head')).toContainText('129 members');
  await expect(page.getByTestId('listpack-view')).toHaveCount(0);
  await expect(page.getByTestId('skiplist-svg')).toBeVisible();
  await send(page, 'OBJECT ENCODING ties');
  expect(await text(page)).toContain('"skiplist"');
  await expectDrawingMatches(page);

  // The first ranks (header included), zoomed out: more nodes, still equal to the engine's.
  await send(page, 'ZADD ties -1 a-first');
  await expect(page.getByTestId('op-caption')).toContainText('inserted "a-first" at rank 0');
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect(page.getByTestId('skiplist-svg').locator('.sl-node.node')).toHaveCount(16);
  await expect(page.getByTestId('skiplist-svg').locator('.sl-node.header')).toHaveCount(1);
  const w = await expectDrawingMatches(page);
  expect(w.header).not.toBeNull();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'e2e/screenshots/panel-skiplist-129-dark.png' });

  // The table view: the same rows, levels and spans, written out.
  await page.getByTestId('skiplist-as-table').click();
  const table = page.getByTestId('skiplist-table');
  await expect(table).toBeVisible();
  const rows = await table.locator('tbody tr[data-member]').evaluateAll((trs) =>
    trs.map((tr) => ({
      rank: Number(tr.getAttribute('data-rank')),
      member: tr.getAttribute('data-member'),
      level: Number(tr.getAttribute('data-level')),
      spans: [...tr.querySelectorAll('td[data-span]')].map((td) => Number(td.getAttribute('data-span'))),
    })),
  );
  const report = await inspectWindow(page, Number(await table.getAttribute('data-start')), rows.length);
  expect(rows).toEqual(
    report.window?.nodes.map((n) => ({ rank: n.rank, member: n.member, level: n.forward.length, spans: n.span })),
  );
  await expect(table.locator('tr[data-member="a-first"]')).toContainText('inserted / moved here');
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `e2e/screenshots/panel-skiplist-table-${scheme}.png` });
  }
});

const SERIOUS = new Set(['serious', 'critical']);

async function seriousViolations(page: Page, include?: string) {
  let axe = new AxeBuilder({ page });
  if (include) axe = axe.include(include);
  const result = await axe.analyze();
  return result.violations
    .filter((v) => SERIOUS.has(v.impact ?? ''))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['dark', 'light'] as const) {
  test(`axe finds no serious violations in any panel or the page (${scheme})`, async ({ page }) => {
    await openLab(page, { colorScheme: scheme });
    await send(page, 'ZADD board 10 ann 20 bob 30 cat');
    await send(page, 'SET session:1 token EX 100');
    await send(page, 'RPUSH list a b c');
    const found: Record<string, string[]> = {};
    await openPanel(page, 'skiplist');
    await send(page, 'ZADD board 40 dan');
    await expect(page.getByTestId('leaderboard')).toBeVisible();
    await page.waitForTimeout(700); // the new entry's entrance animation (0.5 s) is over
    found.skiplist = await seriousViolations(page, '[data-testid="panel-dock"]');
    await send(page, 'CONFIG SET zset-max-listpack-entries 2');
    await send(page, 'ZADD board 50 eve');
    await expect(page.getByTestId('skiplist-svg')).toBeVisible();
    await page.waitForTimeout(1200); // the conversion banner's entrance animation (0.9 s) is over
    found['skiplist drawing'] = await seriousViolations(page, '[data-testid="panel-dock"]');
    await page.getByTestId('skiplist-as-table').click();
    found['skiplist table'] = await seriousViolations(page, '[data-testid="panel-dock"]');
    await openPanel(page, 'memory');
    await expect(page.getByTestId('used-memory')).toBeVisible();
    await page.locator('.mem-numbers summary').click();
    found.memory = await seriousViolations(page, '[data-testid="panel-dock"]');
    if (scheme === 'light') await page.screenshot({ path: 'e2e/screenshots/panel-memory-light.png' });
    else await page.screenshot({ path: 'e2e/screenshots/panel-memory-dark.png' });
    await openPanel(page, 'keyspace');
    await expect(page.getByTestId('keyspace-table')).toBeVisible();
    found.keyspace = await seriousViolations(page, '[data-testid="panel-dock"]');
    await page.screenshot({ path: `e2e/screenshots/panel-keyspace-${scheme}.png` });
    await openPanel(page, 'events');
    await expect(page.getByTestId('eventlog-list').locator('li').first()).toBeVisible();
    found.events = await seriousViolations(page, '[data-testid="panel-dock"]');
    // The whole page: toolbar (clock control), terminals, dock.
    found.page = await seriousViolations(page);
    const bad = Object.entries(found).filter(([, v]) => v.length > 0);
    console.log(`axe ${scheme}: ${Object.keys(found).length} scans, serious/critical: ${JSON.stringify(bad)}`);
    expect(bad).toEqual([]);
  });
}

interface Meter {
  gaps: number[];
  long: number[];
  at: number[];
  marks: [number, string][];
  stop: boolean;
  t0: number;
}

/** rAF gaps and long tasks from now until stop() (in the page). */
async function startFrameMeter(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __meter: Meter };
    const m: Meter = { gaps: [], long: [], at: [], marks: [], stop: false, t0: performance.now() };
    w.__meter = m;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        m.long.push(e.duration);
        m.at.push(e.startTime);
      }
    }).observe({ type: 'longtask', buffered: false });
    // Which tab was clicked when (to tell a long task's cause).
    document.addEventListener(
      'click',
      (ev) => {
        const tab = (ev.target as Element).closest('[role="tab"]');
        if (tab) m.marks.push([performance.now(), tab.textContent ?? '']);
      },
      true,
    );
    let last = performance.now();
    const frame = (t: number) => {
      m.gaps.push(t - last);
      last = t;
      if (!m.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

async function stopFrameMeter(page: Page) {
  return page.evaluate(() => {
    const m = (window as unknown as { __meter: Meter }).__meter;
    m.stop = true;
    const causes = m.at.map((t, i) => {
      const mark = m.marks.filter(([at]) => at <= t).at(-1);
      const after = mark ? `${(t - mark[0]).toFixed(0)} ms after opening ${mark[1]}` : 'before any tab click';
      return `${m.long[i].toFixed(0)} ms at ${(t - m.t0).toFixed(0)} ms (${after})`;
    });
    const seconds = (performance.now() - m.t0) / 1000;
    const sorted = m.gaps.slice().sort((a, b) => a - b);
    return {
      fps: m.gaps.length / seconds,
      maxGap: sorted[sorted.length - 1] ?? 0,
      p99Gap: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      longTasks: m.long.length,
      longestTask: Math.max(0, ...m.long),
      causes,
    };
  });
}

/** 10,000 commands/s for 10 s, paced in the page: 100 commands every 10 ms, one pipeline message each. */
function startLoad(page: Page) {
  return page.evaluate(async () => {
    const lab = window.__lab;
    if (!lab) throw new Error('no test hook');
    let sent = 0;
    let batch = 0;
    let answered = 0;
    const pending: Promise<unknown>[] = [];
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const h = setInterval(() => {
        const due = Math.min(100_000, Math.floor((performance.now() - t0) / 10) * 100 + 100);
        const cmds: string[][] = [];
        while (sent < due) {
          const i = sent++;
          switch (i % 5) {
            case 0:
              cmds.push(['SET', `k:${i % 5000}`, String(i)]);
              break;
            case 1:
              cmds.push(['ZADD', 'board', String(i % 977), `p${i % 3000}`]);
              break;
            case 2:
              cmds.push(['INCR', 'counter']);
              break;
            case 3:
              cmds.push(['LPUSH', 'q', String(i)]);
              break;
            default:
              cmds.push(['EXPIRE', `k:${(i + 7) % 5000}`, '60']);
          }
        }
        batch++;
        pending.push(lab.pipeline(cmds).then((n) => (answered += n)));
        if (sent >= 100_000) {
          clearInterval(h);
          done();
        }
      }, 10);
    });
    const seconds = (performance.now() - t0) / 1000;
    // The engine answered every batch (it kept up when this is close to `seconds`).
    await Promise.all(pending);
    return { sent, answered, batches: batch, seconds, doneAfter: (performance.now() - t0) / 1000 };
  });
}

test('performance: 10,000 commands/s for 10 s with every panel open keeps the page at 50 fps', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  // Baseline on this machine: the same load with the panels closed (printed, not asserted).
  await startFrameMeter(page);
  const baseLoad = await startLoad(page);
  const base = await stopFrameMeter(page);
  console.log(
    `perf baseline, panels closed: engine done after ${baseLoad.doneAfter.toFixed(1)} s, ${base.fps.toFixed(1)} fps, max rAF gap ${base.maxGap.toFixed(1)} ms, ` +
      `long tasks ${base.longTasks} (longest ${base.longestTask.toFixed(0)} ms)`,
  );
  // Every panel opened once (their code loaded), then the load with the dock open.
  const tabs = ['skiplist', 'memory', 'keyspace', 'events'] as const;
  for (const t of tabs) await openPanel(page, t);
  await openPanel(page, 'skiplist');
  await startFrameMeter(page);
  const run = startLoad(page);
  // Every panel gets its turn while the load runs (all the dock's tabs, whatever they are).
  const all = await page.locator('[role="tab"]').all();
  const end = Date.now() + 10_000;
  for (let i = 0; Date.now() < end; i++) {
    await all[i % all.length].click();
    await page.waitForTimeout(900);
  }
  const load = await run;
  const meter = await stopFrameMeter(page);
  await send(page, 'DBSIZE');
  console.log(
    `perf 10k cmd/s: ${load.sent} commands sent in ${load.seconds.toFixed(1)} s (${Math.round(load.sent / load.seconds)}/s, ${load.batches} batches), engine done after ${load.doneAfter.toFixed(1)} s, ` +
      `${meter.fps.toFixed(1)} fps, max rAF gap ${meter.maxGap.toFixed(1)} ms, p99 ${meter.p99Gap.toFixed(1)} ms, ` +
      `long tasks ${meter.longTasks} (longest ${meter.longestTask.toFixed(0)} ms)`,
  );
  if (meter.causes.length > 0) console.log(`long tasks: ${meter.causes.join('; ')}`);
  expect(load.sent).toBe(100_000);
  expect(load.answered).toBe(100_000);
  expect(load.seconds).toBeLessThan(11.5);
  // The budget: 50 fps and no task over 50 ms. A machine too busy to give the page that even with
  // the panels closed (the baseline's long tasks are the machine's, not the panels') gets the
  // baseline's own figures as its budget, and says so.
  const fpsBudget = Math.min(50, base.fps);
  const taskBudget = Math.max(50, base.longestTask);
  if (fpsBudget < 50 || taskBudget > 50)
    console.log(
      `perf: busy machine, budget relaxed to the baseline: ${fpsBudget.toFixed(1)} fps, ${taskBudget.toFixed(0)} ms`,
    );
  expect(meter.fps).toBeGreaterThanOrEqual(fpsBudget);
  expect(meter.longestTask).toBeLessThanOrEqual(taskBudget);
});

test('performance: the skip list panel of a million-member set draws its first frame within 200 ms', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openLab(page);
  // The dock open on another panel while the set loads (it follows the last sorted set touched).
  await openPanel(page, 'keyspace');
  const loaded = await page.evaluate(async () => {
    const commands: string[][] = [];
    for (let c = 0; c < 1000; c++) {
      const argv = ['ZADD', 'big'];
      for (let i = 0; i < 1000; i++) argv.push(String(c * 1000 + i), `m${c * 1000 + i}`);
      commands.push(argv);
    }
    let n = 0;
    for (let i = 0; i < 1000; i += 50) n += (await window.__lab?.pipeline(commands.slice(i, i + 50))) ?? 0;
    return n;
  });
  expect(loaded).toBe(1000);
  await send(page, 'ZCARD big');
  expect(await text(page)).toContain('(integer) 1000000');
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    await openPanel(page, 'keyspace');
    await page.waitForTimeout(500);
    // From the click to the first frame painted with the drawing in it.
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const tab = document.querySelector<HTMLButtonElement>('[data-testid="tab-skiplist"]');
          if (!tab) throw new Error('no tab');
          const t0 = performance.now();
          const check = () => {
            if (document.querySelector('[data-testid="skiplist-svg"] .sl-node.node'))
              requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(check);
          };
          tab.click();
          requestAnimationFrame(check);
        }),
    );
    times.push(ms);
  }
  console.log(`perf 1M first frame: ${times.map((t) => t.toFixed(0)).join(' ms, ')} ms (first open, then again)`);
  await expect(page.locator('.zset-head')).toContainText('1000000 members');
  expect(Math.max(...times)).toBeLessThanOrEqual(200);
});
