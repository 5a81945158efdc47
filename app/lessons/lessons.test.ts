// Every lesson in lessons/ is tested like code: it parses, each step's solution (run as the browser
// runs it, lab commands included) makes every one of its checks pass on a fresh in-process engine,
// and just before that solution ran the same checks did not all pass — so no check is vacuous.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessLab } from './in-process-lab';
import { parseLessonFile } from './parse';

const DIR = join(import.meta.dirname, '../../lessons');
const LESSON_FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.md') && f !== 'README.md' && f !== 'COVERAGE.md')
  .sort();

const load = (file: string) => {
  const parsed = parseLessonFile(readFileSync(join(DIR, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  return parsed.lesson;
};

describe('lesson files', () => {
  it('are there, with unique ids and orders', () => {
    const lessons = LESSON_FILES.map(load);
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    expect(new Set(lessons.map((l) => l.order)).size).toBe(lessons.length);
  });

  it('are numbered in the order the lab shows them (NN- is the lesson order), so a file list reads as the course', () => {
    const numbered = LESSON_FILES.map((f) => [Number(f.slice(0, 2)), load(f).order]);
    expect(numbered.map(([n]) => n)).toEqual(numbered.map(([, order]) => order));
  });

  for (const file of LESSON_FILES) {
    it(`${file}: every step's solution passes its checks, which fail before it`, async () => {
      const lesson = load(file);
      const lab = new InProcessLab();
      for (const line of lesson.setup) await lab.run(line);
      let checked = 0;
      for (const [i, step] of lesson.steps.entries()) {
        const where = `${file} step ${i + 1} "${step.title}"`;
        if (step.checks.length > 0) {
          const before = await lab.evaluate(step.checks);
          expect(
            before.every((r) => r.pass),
            `${where}: checks already pass before its solution`,
          ).toBe(false);
        }
        for (const line of step.solution) await lab.run(line);
        const after = await lab.evaluate(step.checks);
        for (const r of after) {
          // The diff shows what redis-cli printed; the range form ("(integer) 1..60") only via pass.
          if (!r.pass) expect(r.actual.trimEnd(), `${where}: ${r.item.command}`).toBe(r.item.expected.join('\n'));
          expect(r.pass, `${where}: ${r.item.command}`).toBe(true);
        }
        checked += step.checks.length;
      }
      expect(checked, `${file} has checks`).toBeGreaterThan(0);
    });
  }
});
