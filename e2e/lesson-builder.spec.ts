// The instructor's lesson builder: Record captures what is typed in the terminal as a step's
// commands, prose and a check made from the server's state are added, Export downloads a lesson
// file, and that file — opened with the ordinary Open… path — loads back with the same steps,
// blocks and checks, which pass when the lesson is run. Screenshots: e2e/screenshots/lesson-builder-*.

import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parseLesson } from '../app/lessons/parse';
import { openLab, run } from './lab';

const checkStates = (page: Page) =>
  page.getByTestId('check').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

async function typeInTerminal(page: Page, lines: string[]) {
  await page.locator('.xterm').first().click();
  for (const l of lines) await run(page, l);
}

test('record a lesson, add prose and checks, export it, open it again: identical, and its checks pass', async ({
  page,
}) => {
  await openLab(page, { colorScheme: 'dark' });
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('builder-toggle').click();
  const builder = page.getByTestId('lesson-builder');
  await expect(builder).toBeVisible();
  await page.getByTestId('builder-title').fill('Counting visits');

  const step1 = ['SET greeting "hello world"', 'RPUSH tasks write test'];
  const step2 = ['INCR visits', 'INCR visits', 'EXPIRE visits 300'];
  await page.getByTestId('builder-record').click();
  await expect(page.getByTestId('builder-record')).toHaveAttribute('aria-pressed', 'true');
  await typeInTerminal(page, step1);
  await expect(page.getByTestId('builder-lines').first()).toHaveValue(step1.join('\n'));
  await page.getByTestId('builder-step-title').first().fill('Two keys');
  await page.getByTestId('builder-prose').first().fill('A **string** and a list.');
  await page.getByTestId('builder-check-state').first().click();
  await expect(page.getByTestId('builder-check').first()).toHaveValue(/> GET greeting\n"hello world"/);

  await page.getByTestId('builder-add-step').click();
  await typeInTerminal(page, step2);
  await expect(page.getByTestId('builder-lines').nth(1)).toHaveValue(step2.join('\n'));
  await page.getByTestId('builder-step-title').nth(1).fill('A counter that expires');
  await page.getByTestId('builder-prose').nth(1).fill('`INCR` is atomic; `EXPIRE` sets a time to live.');
  await page.getByTestId('builder-check-state').nth(1).click();
  await expect(page.getByTestId('builder-check').nth(1)).toHaveValue(
    /> GET visits\n"2"\n> TTL visits\n\(integer\) \d+\.\.(300|29\d)/,
  );
  await page.getByTestId('builder-record').click();
  await expect(page.getByTestId('builder-record')).toHaveAttribute('aria-pressed', 'false');
  // Typed while not recording: not in the lesson.
  await typeInTerminal(page, ['PING']);
  await expect(page.getByTestId('builder-lines').nth(1)).toHaveValue(step2.join('\n'));
  await page.screenshot({ path: 'e2e/screenshots/lesson-builder-dark.png' });

  const shown = {
    titles: await page
      .getByTestId('builder-step-title')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    prose: await page
      .getByTestId('builder-prose')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)),
    checks: await page
      .getByTestId('builder-check')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)),
  };
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('builder-export').click()]);
  expect(download.suggestedFilename()).toBe('counting-visits.md');
  const text = readFileSync((await download.path()) as string, 'utf8');

  // The file says what the builder showed.
  const parsed = parseLesson(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.message}`).join('; '));
  const lesson = parsed.lesson;
  expect(lesson.title).toBe('Counting visits');
  const prose = lesson.steps.map((s) => (s.parts[0]?.kind === 'markdown' ? s.parts[0].text : ''));
  const checks = lesson.steps.map((s) => s.checks.map((c) => [`> ${c.command}`, ...c.expected].join('\n')).join('\n'));
  expect(
    lesson.steps.map((s) => s.title),
    'titles',
  ).toEqual(shown.titles);
  expect(
    lesson.steps.map((s) => s.solution),
    'commands',
  ).toEqual([step1, step2]);
  expect(prose, 'prose').toEqual(shown.prose);
  expect(checks, 'checks').toEqual(shown.checks);

  // Opened as a custom lesson through the ordinary Open… path, it shows the same steps and blocks.
  await page.getByTestId('lesson-file').setInputFiles({
    name: 'counting-visits.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(text),
  });
  await expect(builder).toHaveCount(0);
  await expect(page.getByTestId('lesson-select').locator('option:checked')).toHaveText('★ Counting visits');
  await expect(page.locator('.lesson-steps button')).toHaveText(shown.titles.map((t) => new RegExp(t)));
  await page.getByRole('button', { name: /Start lesson/ }).click();
  for (const [i, lines] of [step1, step2].entries()) {
    const step = page.getByTestId('lesson-step');
    await expect(step).toContainText(shown.titles[i]);
    await expect(step.locator('.redis-block pre div')).toHaveText(lines);
    await expect(page.getByTestId('check').locator(':scope > code:not(.expected)')).toHaveText(
      lesson.steps[i].checks.map((c) => c.command),
    );
    // After "Start lesson" (:reset) the step's checks fail; Run makes them pass.
    await expect.poll(() => checkStates(page)).toContain('fail');
    await step.getByTestId('run-block').click();
    await expect.poll(() => checkStates(page)).toEqual(lesson.steps[i].checks.map(() => 'pass'));
    if (i === 1) await page.screenshot({ path: 'e2e/screenshots/lesson-builder-loaded-dark.png' });
    else await page.getByTestId('lesson-next').click();
  }
});

test('the builder refuses to export prose that would split a step', async ({ page }) => {
  await openLab(page, { colorScheme: 'light' });
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('builder-toggle').click();
  await page.getByTestId('builder-prose').first().fill('Intro\n## sneaky heading');
  await page.getByTestId('builder-export').click();
  await expect(page.getByTestId('builder-errors')).toContainText('"## " heading');
  await page.screenshot({ path: 'e2e/screenshots/lesson-builder-error-light.png' });
});
