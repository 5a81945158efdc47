// Every point of the seed text is taught somewhere: each entry of SEED_COVERAGE names a lesson step
// that exists and mentions the point's terms, and lessons/COVERAGE.md is the table rendered.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCoverage, SEED_COVERAGE } from './coverage';
import { type LessonPart, parseLesson } from './parse';

const DIR = join(import.meta.dirname, '../../lessons');

const partText = (p: LessonPart): string =>
  p.kind === 'redis'
    ? p.lines.join('\n')
    : p.kind === 'mermaid'
      ? p.source
      : p.kind === 'scenario'
        ? `scenario ${p.name}`
        : p.text;

function stepText(file: string, title: string): string | null {
  const parsed = parseLesson(readFileSync(join(DIR, file), 'utf8'));
  if (!parsed.ok) return null;
  if (title === '') return parsed.lesson.intro.map(partText).join('\n');
  const step = parsed.lesson.steps.find((s) => s.title === title);
  if (!step) return null;
  return [...step.parts.map(partText), ...step.hints, ...step.solution, ...step.checks.map((c) => c.command)].join(
    '\n',
  );
}

describe('seed coverage', () => {
  it('covers every section of the seed', () => {
    const sections = new Set(SEED_COVERAGE.map((x) => x.section));
    for (const s of [
      'The hook',
      'The concept',
      'Diagram',
      'Example',
      'Data types',
      'Persistence',
      'Related',
      'When',
      'Takeaways',
    ]) {
      expect(sections.has(s), s).toBe(true);
    }
  });

  for (const point of SEED_COVERAGE) {
    it(`${point.section}: ${point.point}`, () => {
      const text = stepText(point.lesson, point.step);
      expect(text, `${point.lesson} has no step "${point.step}"`).not.toBeNull();
      for (const term of point.terms)
        expect(text ?? '', `${point.lesson} / ${point.step}`).toMatch(new RegExp(term, 'i'));
    });
  }

  it('lessons/COVERAGE.md is the rendered table', () => {
    expect(readFileSync(join(DIR, 'COVERAGE.md'), 'utf8')).toBe(renderCoverage());
  });
});
