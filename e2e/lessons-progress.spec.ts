// Issue 8's student and instructor journeys: the sorted-set and persistence lessons completed by
// clicking Run and typing, with checks turning green, resumed after a reload; progress saved to a
// file and loaded back; a lesson reset to its start and any step set up as if the earlier ones were
// done; an instructor's lesson file presented with the keyboard (timer, paced typing, solutions
// hidden/shown, reset per step); and malformed lesson files refused with line and reason, no script
// run, the lab still working. Screenshots in e2e/screenshots/lesson-progress-*.png.

import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { openLab, PROMPT, run, send, sessions, text } from './lab';

async function openLesson(page: Page, id: string) {
  await page.getByTestId('lessons-toggle').click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.getByTestId('lesson-select').selectOption(id);
}

const checkStates = (page: Page) =>
  page.getByTestId('check').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
const marks = (page: Page) => page.locator('.lesson-steps .mark').allTextContents();
const step = (page: Page) => page.getByTestId('lesson-step');

/** Click every Run of the current step, one after the other, as a student would. */
async function runStep(page: Page) {
  const runs = step(page).getByTestId('run-block');
  const n = await runs.count();
  expect(n, 'the step has a Run button').toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    await expect(runs.nth(i)).toBeEnabled({ timeout: 20_000 });
    await runs.nth(i).click();
  }
  await expect(runs.first()).toBeEnabled({ timeout: 20_000 });
}

/** The step's checks fail, then pass once `act` has run. */
async function passStep(page: Page, act: () => Promise<void>) {
  await expect.poll(() => checkStates(page)).toContain('fail');
  await act();
  await expect.poll(() => checkStates(page), { timeout: 20_000 }).not.toContain('fail');
  await expect.poll(() => checkStates(page)).not.toContain('pending');
  await expect(step(page).getByTestId('lesson-checks')).toContainText('Step complete');
}

/** Type lines into the first terminal with the keyboard. */
async function typeInTerminal(page: Page, lines: readonly string[]) {
  await page.locator('.xterm').first().click();
  for (const line of lines) await run(page, line);
}

test('a student completes the streams lesson with Run and typing, reloads and resumes', async ({ page }) => {
  await openLab(page, { colorScheme: 'dark' });
  await openLesson(page, 'streams');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await expect(step(page)).toContainText('An event log');
  await passStep(page, () => runStep(page));
  await page.getByTestId('lesson-next').click();
  await expect(step(page)).toContainText('A consumer group');
  await passStep(page, () => runStep(page));
  expect(await marks(page)).toEqual(['✓', '✓', '○']);

  // Reload: the lesson opens where the student was, with the passed steps marked.
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.getByTestId('lessons-toggle').click();
  await expect(step(page)).toContainText('A consumer group');
  expect(await marks(page)).toEqual(['✓', '✓', '○']);

  await page.getByTestId('lesson-next').click();
  await expect(step(page)).toContainText('Your turn: a second worker');
  // The reload started a fresh server: put it where this step starts (the earlier steps' solutions).
  await page.getByTestId('step-set-up').click();
  await expect(page.getByText('The server is where step 3 starts: steps 1–2 were run for you.')).toBeVisible();
  // No Run here: the student types the answer.
  await passStep(page, () =>
    typeInTerminal(page, ['XREADGROUP GROUP billing worker-2 COUNT 1 STREAMS orders >', 'XACK orders billing 2-0 3-0']),
  );
  await expect(page.getByText('Lesson complete')).toBeVisible();
  expect(await marks(page)).toEqual(['✓', '✓', '✓']);
  const recap = page.getByTestId('lesson-recap');
  await expect(recap).toContainText('Kafka');
  await recap.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/screenshots/lesson-progress-recap-dark.png' });

  // The recap's quiz link opens the quiz on that topic, in the page (the terminal keeps its text).
  await recap.getByRole('link', { name: 'streams' }).click();
  await expect(page.getByTestId('quiz-panel')).toBeVisible();
  expect(new URL(page.url()).search).toBe('?quiz=stream');
  // (The terminal is narrow with two panels open: its lines wrap.)
  expect((await text(page)).replace(/\n/g, '')).toContain('XACK orders billing 2-0 3-0');
});

test('a student completes the persistence lesson, saves progress to a file and loads it back', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page, { colorScheme: 'light' });
  await openLesson(page, 'persistence');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  const titles = await page.locator('.lesson-steps button').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(9);
  for (let i = 0; i < titles.length; i++) {
    await expect(step(page)).toContainText(titles[i].replace(/^[✓○·]/, ''));
    if (titles[i].includes('Choosing')) {
      // The exercise: typed, not Run.
      await passStep(page, () => typeInTerminal(page, ['CONFIG SET appendonly no', 'CONFIG SET save ""']));
    } else {
      await passStep(page, () => runStep(page));
    }
    if (i < titles.length - 1) await page.getByTestId('lesson-next').click();
  }
  await expect(page.getByText('Lesson complete')).toBeVisible();
  const done = titles.map(() => '✓');
  expect(await marks(page)).toEqual(done);

  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.getByTestId('lessons-toggle').click();
  await expect(step(page)).toContainText('Restore a backup');
  expect(await marks(page)).toEqual(done);
  await page.screenshot({ path: 'e2e/screenshots/lesson-progress-tools-light.png' });

  // Save progress as a file, lose the browser's copy, load the file: the same marks come back.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('progress-export').click()]);
  expect(download.suggestedFilename()).toBe('redis-lab-progress.json');
  const file = readFileSync((await download.path()) as string, 'utf8');
  expect(JSON.parse(file)).toMatchObject({
    format: 'redis-lab-lesson-progress',
    current: 'persistence',
    lessons: { persistence: { step: titles.length - 1, passed: titles.map((_, i) => i) } },
  });
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await openLesson(page, 'persistence');
  // (Checks still read the server, which kept its data across the reload: a step may pass again.)
  expect((await marks(page)).filter((m) => m === '✓').length).toBeLessThan(titles.length);
  // A file that is not progress is refused, saying why; nothing changes.
  await page
    .getByTestId('progress-file')
    .setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"lessons":{}}') });
  await expect(page.getByTestId('lesson-errors')).toContainText('not a progress file');
  await page
    .getByTestId('progress-file')
    .setInputFiles({ name: 'redis-lab-progress.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.getByTestId('lesson-notice')).toContainText('Progress loaded for 1 lesson.');
  await expect(step(page)).toContainText('Restore a backup');
  expect(await marks(page)).toEqual(done);
});

test('a lesson resets to its start, and any step is set up as if the earlier steps were done', async ({ page }) => {
  await openLab(page, { colorScheme: 'dark' });
  await send(page, 'SET leftover 1');
  await openLesson(page, 'timelines');
  // Straight to step 3 without doing 1 and 2.
  await page.locator('.lesson-steps button', { hasText: 'Fan-out on write' }).click();
  await expect(step(page)).toContainText('Fan-out on write');
  await expect(step(page).locator('.callout-note')).toContainText('millions of followers');
  await page.getByTestId('step-set-up').click();
  await expect(page.getByTestId('lesson-notice')).toContainText('where step 3 starts: steps 1–2 were run for you');
  await send(page, 'ZRANGE timeline:42 0 -1 REV');
  await send(page, 'EXISTS leftover');
  const screen = await text(page);
  expect(screen).toContain('1) "tweet_9002"\n2) "tweet_9001"');
  expect(screen).toMatch(/EXISTS leftover\n\(integer\) 0/);
  // The set-up step itself is still to do: its checks fail, then pass with its Run.
  await passStep(page, () => runStep(page));
  await page.screenshot({ path: 'e2e/screenshots/lesson-progress-setup-dark.png' });

  await page.getByTestId('lesson-reset').click();
  await expect(page.getByTestId('lesson-notice')).toContainText('back at its start');
  await expect(step(page)).toContainText('A post in a timeline');
  expect(await marks(page)).not.toContain('✓');
  await send(page, 'DBSIZE');
  expect((await text(page)).trimEnd().split('\n').slice(-2)).toEqual(['(integer) 0', PROMPT.trimEnd()]);
});

test('the model lesson: INCR from two terminals, and a DEBUG SLEEP in one makes the other wait', async ({ page }) => {
  await openLab(page, { colorScheme: 'dark' });
  await openLesson(page, 'the-model');
  await page.getByRole('button', { name: /Start lesson/ }).click();
  await page.locator('.lesson-steps button', { hasText: 'One command at a time' }).click();
  // The Run opens a second terminal (":new-session") and increments from both.
  await passStep(page, () => runStep(page));
  const ids = await sessions(page);
  expect(ids.length).toBe(2);
  expect(await text(page, ids[0])).toContain('INCR page:views\n(integer) 1');
  expect(await text(page, ids[1])).toContain('INCR page:views\n(integer) 3');

  await page.getByTestId('lesson-next').click();
  await expect(step(page)).toContainText('A slow command makes everyone wait');
  await expect(step(page).locator('.callout-warning')).toContainText('no KEYS in production');
  // What the step asks: DEBUG SLEEP in the first terminal, PING in the second waits for it.
  const waited = await page.evaluate(async ([a, b]) => {
    const lab = window.__lab;
    if (!lab) return -1;
    const sleeping = lab.send('DEBUG SLEEP 1.5', a);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await lab.send('PING', b);
    const dt = performance.now() - t0;
    await sleeping;
    return dt;
  }, ids);
  expect(waited).toBeGreaterThan(1_000);
  expect(await text(page, ids[1])).toContain('PING\nPONG');
});

const CUSTOM = `---
id: class-demo
title: Class demo
order: 50
summary: Three steps for a class.
setup:
  - :reset
---

Intro for the class.

## Count a visit

\`\`\`redis
INCR visits
\`\`\`

\`\`\`check
GET visits
"1"
\`\`\`

## A name for it

\`\`\`redis
SET site:name "Redis Lab in class"
\`\`\`

\`\`\`check
GET site:name
"Redis Lab in class"
\`\`\`

## Your turn: one more visit

\`\`\`check
GET visits
"2"
\`\`\`

\`\`\`solution
INCR visits
\`\`\`

\`\`\`recap
- INCR counts; SET names.
\`\`\`
`;

for (const motion of ['no-preference', 'reduce'] as const) {
  test(`an instructor opens a lesson file and presents it with the keyboard (motion: ${motion})`, async ({ page }) => {
    const theme = motion === 'reduce' ? 'dark' : 'light';
    await openLab(page, { colorScheme: theme });
    await page.emulateMedia({ colorScheme: theme, reducedMotion: motion });
    await page.getByTestId('lessons-toggle').click();
    await page
      .getByTestId('lesson-file')
      .setInputFiles({ name: 'class-demo.md', mimeType: 'text/markdown', buffer: Buffer.from(CUSTOM) });
    await expect(page.getByTestId('lesson-select')).toHaveValue('class-demo');
    await page.getByRole('button', { name: /Start lesson/ }).click();
    await page.keyboard.press('Alt+P');
    const panel = page.getByTestId('lesson-panel');
    await expect(panel).toHaveClass(/presenter/);
    await expect(step(page)).toContainText('Count a visit');
    // Large type in the terminal too, for the class; the student's size comes back afterwards.
    const fontSize = page.locator('.font-size');
    await expect(fontSize).toHaveText('22px');
    expect(
      await page
        .locator('.xterm-rows')
        .first()
        .evaluate((e) => getComputedStyle(e).fontSize),
    ).toBe('22px');

    // The timer runs; it pauses and resets.
    const timer = page.getByTestId('presenter-timer');
    await expect(timer).toHaveText(/^00:0[1-9]$/, { timeout: 5_000 });
    await page.getByTestId('timer-toggle').click();
    const paused = await timer.textContent();
    await page.waitForTimeout(1_200);
    await expect(timer).toHaveText(paused ?? '');
    await page.getByTestId('timer-reset').click();
    await expect(timer).toHaveText('00:00');
    await page.getByTestId('timer-toggle').click();

    // Run, typed at a readable pace for the class (at once when reduced motion is asked for).
    await step(page).getByTestId('run-block').click();
    if (motion === 'no-preference') {
      await expect.poll(() => text(page), { timeout: 3_000 }).toMatch(/127\.0\.0\.1:6379> IN?C?R?\s*$/m);
      expect(await text(page)).not.toContain('INCR visits\n');
    }
    await expect.poll(() => checkStates(page), { timeout: 10_000 }).toEqual(['pass']);

    // Keyboard stepping: back to the panel, → and ←.
    await panel.focus();
    await page.keyboard.press('ArrowRight');
    await expect(step(page)).toContainText('A name for it');
    await step(page).getByTestId('run-block').click();
    await expect.poll(() => checkStates(page), { timeout: 15_000 }).toEqual(['pass']);
    await page.keyboard.press('Alt+PageDown');
    await expect(step(page)).toContainText('Your turn: one more visit');

    // Solutions hidden from the class until the instructor shows them.
    await expect(page.getByTestId('show-solution')).toHaveCount(0);
    await expect(step(page).getByRole('button', { name: /Run solution/ })).toHaveCount(0);
    await page.getByTestId('solutions-toggle').click();
    await step(page)
      .getByRole('button', { name: /Run solution/ })
      .click();
    await expect.poll(() => checkStates(page), { timeout: 10_000 }).toEqual(['pass']);
    await expect(page.getByTestId('lesson-recap')).toContainText('INCR counts');
    await page.screenshot({ path: `e2e/screenshots/lesson-progress-presenter-${theme}.png` });

    // Reset this step: the server is back where it starts (visits = 1), so the check fails again.
    await page.getByTestId('presenter-reset-step').click();
    await expect.poll(() => checkStates(page)).toEqual(['fail']);
    await page.getByTestId('solutions-toggle').click();
    await expect(step(page).getByRole('button', { name: /Run solution/ })).toHaveCount(0);

    await panel.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(step(page)).toContainText('A name for it');
    await page.keyboard.press('Escape');
    await expect(panel).not.toHaveClass(/presenter/);
    await expect(fontSize).toHaveText('15px');
  });
}

const BAD: readonly { name: string; text: string; error: RegExp }[] = [
  {
    name: 'bad front matter',
    text: '---\nid: Not An Id\ntitle: t\norder: soon\n---\n## s\ntext\n',
    error:
      /line 1: front matter: id must be lowercase letters, digits and dashes[\s\S]*line 1: front matter: order must be a number/,
  },
  {
    name: 'unknown block type',
    text: '---\nid: u\ntitle: u\norder: 1\n---\n## s\n\n```chek\nGET a\n"1"\n```\n',
    error: /line 8: unknown block type 'chek'/,
  },
  {
    name: 'check with invalid syntax',
    text: '---\nid: c\ntitle: c\norder: 1\n---\n## s\n```redis\nSET a 1\n```\n```check\nGET "a\n"1"\nGET a\n```\n',
    error:
      /line 11: check: cannot split the command 'GET "a'[\s\S]*line 13: check: 'GET a' has no expected output after it/,
  },
  {
    name: 'a mermaid diagram that does not parse',
    text: '---\nid: m\ntitle: m\norder: 1\n---\n## s\n\n```mermaid\nflowchart LR\n  A -->\n```\n',
    error: /line 8: mermaid diagram does not parse: it ends too early, near 'LR\s+A -->'/,
  },
];

test('malformed lesson files are refused with line and reason; injected markup never runs; the lab works on', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openLab(page, { colorScheme: 'light' });
  await page.getByTestId('lessons-toggle').click();
  const input = page.getByTestId('lesson-file');
  for (const bad of BAD) {
    await input.setInputFiles({ name: `${bad.name}.md`, mimeType: 'text/markdown', buffer: Buffer.from(bad.text) });
    await expect(page.getByTestId('lesson-errors'), bad.name).toContainText('This lesson could not be opened');
    await expect(page.getByTestId('lesson-errors'), bad.name).toHaveText(bad.error);
    if (bad.name.startsWith('a mermaid'))
      await page.screenshot({ path: 'e2e/screenshots/lesson-progress-errors-light.png' });
  }
  // Still on the built-in lesson, and the terminal answers.
  await expect(page.getByTestId('lesson-select')).toHaveValue('why-ram');

  // HTML and script in prose, a callout, a hint, a diagram label and a recap: shown as text, never run.
  const evil = [
    '---',
    'id: evil',
    'title: Evil <script>window.__xss=1</script>',
    'order: 9',
    '---',
    '## Step <img src=x onerror="window.__xss=2">',
    '<script>window.__xss=3</script><iframe src="javascript:window.__xss=4"></iframe>',
    '> [!WARNING]',
    '> <img src=x onerror="window.__xss=5">',
    '```mermaid',
    'flowchart LR',
    '  A["<img src=x onerror=window.__xss=6>"] --> B["<script>window.__xss=7</script>"]',
    '```',
    '```hint',
    '<svg onload="window.__xss=8"></svg>',
    '```',
    '```redis',
    'SET safe 1',
    '```',
    '```check',
    'GET safe',
    '"1"',
    '```',
    '```recap',
    '[x](javascript:window.__xss=9) <b onmouseover="window.__xss=10">b</b>',
    '```',
  ].join('\n');
  await input.setInputFiles({ name: 'evil.md', mimeType: 'text/markdown', buffer: Buffer.from(evil) });
  await expect(page.getByTestId('lesson-errors')).toHaveCount(0);
  await expect(step(page)).toContainText('<script>window.__xss=3</script>');
  await expect(page.getByTestId('lesson-diagram').locator('svg')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('show-hint').click();
  await step(page).getByTestId('run-block').click();
  await expect.poll(() => checkStates(page)).toEqual(['pass']);
  await expect(page.getByTestId('lesson-recap')).toBeVisible();
  await page.getByTestId('lesson-recap').hover();
  const injected = await page.locator('.lesson-panel').evaluate((el) =>
    [
      // Prose is escaped (no element at all); mermaid's strict level keeps a label's <img> but
      // strips its handlers: no element anywhere carries script.
      ...el.querySelectorAll(
        'script, iframe, object, embed, b, .md img, [onerror], [onload], [onmouseover], a[href^="javascript"]',
      ),
    ].map((e) => e.outerHTML.slice(0, 200)),
  );
  expect(injected).toEqual([]);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // The rest of the lab keeps working: a command, and a built-in lesson.
  await send(page, 'PING');
  expect((await text(page)).trimEnd().split('\n').slice(-2)).toEqual(['PONG', PROMPT.trimEnd()]);
  await page.getByTestId('lesson-select').selectOption('why-ram');
  await expect(step(page)).toContainText('A first key');
});

test.describe('a lesson by URL', () => {
  // The lesson is served by the test (a same-origin path), so the service worker must not answer first.
  test.use({ serviceWorkers: 'block' });

  test('?lesson= opens a same-origin lesson file, or lists its mistakes with lines', async ({ page }) => {
    await page.route(
      (url) => url.pathname.startsWith('/class/'),
      (route) =>
        route.fulfill({
          contentType: 'text/markdown',
          body: route.request().url().endsWith('/broken.md')
            ? CUSTOM.replace('```check\nGET visits\n"1"\n```', '```check\nGET visits\n```').replace(
                '## A name',
                '```nope\nx\n```\n## A name',
              )
            : CUSTOM,
        }),
    );
    await openLab(page, { colorScheme: 'dark' });
    await page.goto('/?lesson=/class/demo.md');
    await expect(page.getByTestId('lesson-select')).toHaveValue('class-demo');
    await expect(step(page)).toContainText('Count a visit');
    await page.goto('/?lesson=/class/broken.md');
    await expect(page.getByTestId('lesson-errors')).toHaveText(
      /line 19: check: 'GET visits' has no expected output after it[\s\S]*line 22: unknown block type 'nope'/,
    );
  });
});
