// Quiz mode: the panel loads lazily, a multiple-choice question is answered with a number key and
// explained at once, a "prove it" question is solved by typing commands in the terminal and graded
// from the engine's state, mistakes are reviewed, and a bad custom question file gives clear errors.
// Screenshots in e2e/screenshots/ (both themes) are for a human to look at.

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
