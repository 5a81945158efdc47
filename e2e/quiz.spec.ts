// Quiz mode: the panel loads lazily, a multiple-choice question is answered with a number key and
// explained at once, a "prove it" question is solved by typing commands in the terminal and graded
// from the engine's state, mistakes are reviewed, and a bad custom question file gives clear errors.
// Screenshots in e2e/screenshots/ (both themes) are for a human to look at.

import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { parseQuiz, type Question } from '../app/quiz/format';
import { emptyQuizProgress, planRun } from '../app/quiz/session';
import { expect, type Page, test } from '@playwright/test';
import { openLab, run, text } from './lab';

async function openQuiz(page: Page, topic: string, seed: string) {
  const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(before.some((n) => /QuizPanel/.test(n))).toBe(false);
  await page.getByTestId('quiz-toggle').click();
  await expect(page.getByTestId('quiz-panel')).toBeVisible();
  await page.getByTestId('quiz-topic').selectOption(topic);
  await page.getByTestId('quiz-seed').fill(seed);
  await page.getByTestId('quiz-start').click();
}

for (const scheme of ['dark', 'light'] as const) {
  test(`a leaderboard quiz: choose with a number key, then prove it in the terminal (${scheme})`, async ({ page }) => {
    await openLab(page, { colorScheme: scheme });
    await openQuiz(page, 'leaderboard', '1');
    const q = page.getByTestId('quiz-question');
    // The topic holds one choice and one prove question; the seed decides which comes first.
    for (let i = 0; i < 2; i++) {
      if ((await q.getAttribute('data-kind')) === 'choice') {
        await expect(q).toContainText('The right data type for a leaderboard');
        const choices = page.getByTestId('quiz-choice');
        const texts = await choices.allTextContents();
        const right = texts.findIndex((t) => t.includes('A sorted set'));
        expect(right).toBeGreaterThanOrEqual(0);
        // A wrong answer first? No: the key for the right option, pressed on the focused panel.
        await page.getByTestId('quiz-panel').focus();
        await page.keyboard.press(String(right + 1));
        await expect(page.getByTestId('quiz-feedback')).toContainText('Right!');
        await expect(page.getByTestId('quiz-feedback')).toContainText('skip list');
        await expect(choices.nth(right)).toHaveAttribute('data-correct', 'true');
        await page.screenshot({ path: `e2e/screenshots/quiz-choice-${scheme}.png` });
      } else {
        await expect(q).toContainText('Build a leaderboard');
        await page.getByTestId('quiz-check').click();
        await expect(page.getByTestId('quiz-checks').locator('li[data-state="fail"]').first()).toBeVisible();
        // Typed by hand in the terminal: the checks read the engine, not this text.
        await page.locator('.xterm').first().click();
        await run(page, 'ZADD board 120 alice 95 bob 150 carol 80 dave');
        await run(page, 'ZINCRBY board 40 bob');
        await expect.poll(() => text(page)).toContain('"135"');
        await page.getByTestId('quiz-check').click();
        await expect(page.getByTestId('quiz-checks').locator('li[data-state="pass"]')).toHaveCount(3);
        await expect(page.getByTestId('quiz-feedback')).toContainText('Right!');
        await page.screenshot({ path: `e2e/screenshots/quiz-prove-${scheme}.png` });
      }
      await page.getByTestId('quiz-next').click();
    }
    await expect(page.getByTestId('quiz-done')).toContainText('Score: 2 / 2');
  });
}

test('missed questions are reviewed, then asked first next run; a bad file gives clear errors', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  await openQuiz(page, 'cache', '3');
  // Always pick option 1 (the seed fixes the order, so some answers are wrong).
  const missed: string[] = [];
  while (!(await page.getByTestId('quiz-done').isVisible())) {
    const title = (await page.getByTestId('quiz-question').locator('h2').textContent()) ?? '';
    await page.getByTestId('quiz-panel').focus();
    await page.keyboard.press('1');
    const feedback = page.getByTestId('quiz-feedback');
    await expect(feedback).toBeVisible();
    if ((await feedback.textContent())?.includes('Not quite.')) missed.push(title);
    await page.keyboard.press('Enter');
  }
  expect(missed.length).toBeGreaterThan(0);
  await expect(page.getByTestId('quiz-mistake')).toHaveCount(missed.length);
  await expect(page.getByTestId('quiz-done')).toContainText('Review your mistakes');
  await page.screenshot({ path: 'e2e/screenshots/quiz-review-light.png' });

  // "Learn it" opens the lesson panel at the step that teaches the missed question.
  const learn = page.getByTestId('quiz-review-learn').first();
  const stepTitle = ((await learn.textContent()) ?? '').split('› ')[1];
  await learn.click();
  await expect(page.getByTestId('lesson-step')).toContainText(stepTitle);

  // Progress is in localStorage: after a reload a missed question comes first, whatever the seed.
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.getByTestId('quiz-toggle').click();
  await page.getByTestId('quiz-topic').selectOption('cache');
  await expect(page.getByTestId('quiz-panel')).toContainText(`${missed.length} question(s) you missed last time`);
  await page.getByTestId('quiz-seed').fill('99');
  await page.getByTestId('quiz-start').click();
  expect(missed).toContain(await page.getByTestId('quiz-question').locator('h2').textContent());

  await page.getByTestId('quiz-menu').click();
  await page.getByTestId('quiz-file').setInputFiles({
    name: 'mine.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(
      '---\nid: mine\ntitle: Mine\norder: 1\n---\n## Two right\n\n```question\nkind: choice\ntopics: set\nlearn: a#b\n```\n\n```choices\n[x] a\n  why\n[x] b\n  why\n```\n\n```why\nBecause.\n```\n',
    ),
  });
  await expect(page.getByTestId('quiz-errors')).toContainText(
    'line 6: question "Two right": exactly one option must be marked [x], found 2',
  );
});

// ---- A classroom quiz from the real bank, by keyboard only ---------------------------------------

/** The bank as the lab bundles it: files by their order, questions in file order. */
function bank(): Question[] {
  const dir = new URL('../lessons/quiz/', import.meta.url).pathname;
  const files = readdirSync(dir)
    .filter((f) => /^\d.*\.md$/.test(f))
    .map((f) => parseQuiz(readFileSync(dir + f, 'utf8')))
    .flatMap((r) => (r.ok ? [r.quiz] : []))
    .sort((a, b) => a.order - b.order);
  return files.flatMap((f) => f.questions);
}

/** Press Tab until the element with this test id has the focus (keyboard navigation, no clicks). */
async function tabTo(page: Page, testId: string, max = 40) {
  for (let i = 0; i < max; i++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/** Zero serious or critical axe violations in the quiz panel. */
async function axe(page: Page, label: string) {
  const r = await new AxeBuilder({ page }).include('[data-testid="quiz-panel"]').analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  // Minor and moderate findings are reported, not failed on.
  if (r.violations.length > 0)
    console.log(`axe ${label}: ${r.violations.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  return r.violations.length;
}

/** Scan in the current theme, switch theme with Alt+T, scan again, switch back. */
async function axeBothThemes(page: Page, label: string) {
  await axe(page, `${label} (${await page.evaluate(() => document.documentElement.dataset.theme)})`);
  await page.keyboard.press('Alt+t');
  await axe(page, `${label} (${await page.evaluate(() => document.documentElement.dataset.theme)})`);
  await page.keyboard.press('Alt+t');
}

test('a 10-question quiz by keyboard only: right and wrong answers, two proved in the terminal, reload resumes, missed come first, axe-clean', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const all = bank();
  // A seed whose 10 questions hold exactly two "prove it" questions, neither of them first.
  let seed = 1;
  let plan: Question[] = [];
  for (; seed < 500; seed++) {
    plan = planRun(all, emptyQuizProgress, seed, 10);
    const proves = plan.filter((q) => q.kind === 'prove');
    if (proves.length === 2 && plan[0].kind !== 'prove' && plan.filter((q) => q.setup.length > 0).length >= 1) break;
  }
  expect(plan.filter((q) => q.kind === 'prove')).toHaveLength(2);
  const wrongAt = new Set(plan.flatMap((q, i) => (q.kind !== 'prove' && i % 3 === 1 ? [i] : [])));
  expect(wrongAt.size).toBeGreaterThanOrEqual(2);

  await openLab(page, { colorScheme: 'dark' });
  // Alt+Q opens the quiz with the focus in it; Tab reaches the seed field and Start.
  await page.keyboard.press('Alt+q');
  await expect(page.getByTestId('quiz-panel')).toBeFocused();
  await tabTo(page, 'quiz-seed');
  await page.keyboard.type(String(seed));
  await tabTo(page, 'quiz-start');
  await page.keyboard.press('Enter');

  const q = page.getByTestId('quiz-question');
  const missed: string[] = [];
  let right = 0;
  const answer = async (i: number) => {
    const want = plan[i];
    await expect(q.locator('h2')).toContainText(want.title);
    await expect(page.getByTestId('quiz-status')).toContainText(`Question ${i + 1} / 10`);
    if (want.setup.length > 0) await expect(page.getByTestId('quiz-setup')).toContainText(want.setup[0]);
    if (want.kind === 'prove') {
      if (i === plan.findIndex((x) => x.kind === 'prove')) {
        await axeBothThemes(page, 'prove question');
        await page.screenshot({ path: 'e2e/screenshots/quiz-prove-question-dark.png' });
      }
      // Alt+1: into the terminal; type the solution; Alt+Q: back to the quiz; Enter: check.
      await page.keyboard.press('Alt+1');
      for (const line of want.solution) await run(page, line);
      await page.keyboard.press('Alt+q');
      await expect(page.getByTestId('quiz-panel')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('quiz-feedback')).toContainText('Right!');
      right++;
    } else {
      const texts = (await page.getByTestId('quiz-choice').allTextContents()).map((t) => t.replace(/^\d+\s*/, ''));
      const good = texts.indexOf(want.choices.find((c) => c.correct)?.text ?? '');
      expect(good).toBeGreaterThanOrEqual(0);
      if (i === 0) {
        await axeBothThemes(page, 'question');
        await page.screenshot({ path: 'e2e/screenshots/quiz-question-dark.png' });
      }
      const pick = wrongAt.has(i) ? (good + 1) % texts.length : good;
      await page.keyboard.press(String(pick + 1));
      if (wrongAt.has(i)) {
        await expect(page.getByTestId('quiz-feedback')).toContainText('Not quite.');
        missed.push(want.title);
        if (missed.length === 1) {
          await axeBothThemes(page, 'feedback');
          await page.screenshot({ path: 'e2e/screenshots/quiz-feedback-wrong-dark.png' });
        }
      } else {
        await expect(page.getByTestId('quiz-feedback')).toContainText('Right!');
        right++;
      }
    }
    await page.keyboard.press('Enter');
  };

  for (let i = 0; i < 5; i++) await answer(i);
  // A reload resumes at question 6 with the score so far.
  await page.reload();
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate(() => window.__lab?.ready());
  await page.keyboard.press('Alt+q');
  await expect(page.getByTestId('quiz-status')).toContainText(`Question 6 / 10 · score ${right}`);
  await expect(page.getByTestId('quiz-panel')).toBeFocused();
  for (let i = 5; i < 10; i++) await answer(i);

  const done = page.getByTestId('quiz-done');
  await expect(done).toContainText(`Score: ${right} / 10`);
  expect(right).toBe(10 - missed.length);
  await expect(page.getByTestId('quiz-mistake')).toHaveCount(missed.length);
  expect((await page.getByTestId('quiz-mistake').locator('strong').allTextContents()).sort()).toEqual(
    [...missed].sort(),
  );
  await page.screenshot({ path: 'e2e/screenshots/quiz-review-dark.png' });
  await axeBothThemes(page, 'review');
  await page.keyboard.press('Alt+t');
  await page.screenshot({ path: 'e2e/screenshots/quiz-review-keyboard-light.png' });
  await page.keyboard.press('Alt+t');

  // Next run (keyboard: Tab to "Run again"): the missed questions come first.
  await tabTo(page, 'quiz-again');
  await page.keyboard.press('Enter');
  const firsts: string[] = [];
  for (let i = 0; i < missed.length; i++) {
    firsts.push(((await q.locator('h2').textContent()) ?? '').replace(/^(choice|scenario|Prove it)\s*/, ''));
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
  }
  expect(firsts.sort()).toEqual([...missed].sort());
});

test('?quiz=<topic>&minutes= starts a timed quiz; the countdown shows, survives a reload and ends in the review', async ({
  page,
}) => {
  await openLab(page, { colorScheme: 'light' });
  await page.goto('/?quiz=cache&seed=3&minutes=2');
  await page.waitForFunction(() => window.__lab !== undefined);
  await expect(page.getByTestId('quiz-question')).toBeVisible();
  const clock = page.getByTestId('quiz-clock');
  await expect(clock).toHaveText(/Time left [12]:\d\d/);
  await expect(clock).toHaveAttribute('role', 'timer');
  const first = await clock.textContent();
  await expect.poll(() => clock.textContent(), { timeout: 5000 }).not.toBe(first);
  await page.getByTestId('quiz-panel').focus();
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quiz-status')).toContainText('Question 2 /');
  await page.screenshot({ path: 'e2e/screenshots/quiz-timed-light.png' });
  // Three seconds left (as if the class had run on): after a reload the same run resumes, then ends.
  await page.evaluate(() => {
    const run = JSON.parse(localStorage.getItem('redis-lab:quiz-run') ?? '{}');
    run.endsAt = Date.now() + 3000;
    localStorage.setItem('redis-lab:quiz-run', JSON.stringify(run));
  });
  await page.reload();
  await expect(page.getByTestId('quiz-status')).toContainText('Question 2 /');
  await expect(clock).toHaveText(/Time left 0:0\d/);
  await expect(clock).toHaveClass(/low/);
  const done = page.getByTestId('quiz-done');
  await expect(done).toBeVisible({ timeout: 8000 });
  await expect(page.getByTestId('quiz-timeup')).toContainText("Time's up");
  const total = Number(/Score: \d+ \/ (\d+)/.exec((await done.textContent()) ?? '')?.[1]);
  const score = Number(/Score: (\d+)/.exec((await done.textContent()) ?? '')?.[1]);
  await expect(page.getByTestId('quiz-mistake')).toHaveCount(total - score);
  expect(total - score).toBeGreaterThanOrEqual(total - 1);
  await page.screenshot({ path: 'e2e/screenshots/quiz-timeup-light.png' });
  await axe(page, 'time up review (light)');
  // Unanswered questions say so in the review.
  await expect(page.getByTestId('quiz-mistake').filter({ hasText: 'Not answered.' })).toHaveCount(total - 1);
  // A link to a topic that does not exist says so.
  await page.goto('/?quiz=no-such-topic');
  await expect(page.getByTestId('quiz-link-error')).toContainText("'no-such-topic', which does not exist");
  // The help overlay lists the quiz shortcut.
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog')).toContainText('Alt+Q');
});
