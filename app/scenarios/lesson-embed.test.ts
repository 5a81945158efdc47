import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../lessons/parse';
import { SCENARIO_NAMES } from './names';

const LESSONS = join(import.meta.dirname, '../../lessons');
const lesson = (body: string) => `---\nid: t\ntitle: T\norder: 1\n---\n\n## Step\n\n${body}\n`;

describe('scenario blocks in lessons', () => {
  it('a ```scenario block with a known name becomes a widget part of its step', () => {
    const r = parseLesson(lesson('Before.\n\n```scenario\nrate-limit\n```\n\nAfter.'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.steps[0].parts).toEqual([
      { kind: 'markdown', text: 'Before.' },
      { kind: 'scenario', name: 'rate-limit' },
      { kind: 'markdown', text: 'After.' },
    ]);
  });

  it('an unknown or missing name is an error with its line', () => {
    for (const body of ['```scenario\ncahce\n```', '```scenario\n```', '```scenario\ncache lock\n```']) {
      const r = parseLesson(lesson(body));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors[0].line).toBe(9); // the ```scenario line
      expect(r.errors[0].message).toMatch(/^scenario: name one widget of cache, timeline/);
    }
  });

  it('every widget is embedded in a shipped lesson', () => {
    const embedded = new Set<string>();
    for (const f of readdirSync(LESSONS).filter((n) => /^\d\d-.*\.md$/.test(n))) {
      const r = parseLesson(readFileSync(join(LESSONS, f), 'utf8'));
      expect(r.ok, f).toBe(true);
      if (!r.ok) continue;
      for (const s of r.lesson.steps) for (const p of s.parts) if (p.kind === 'scenario') embedded.add(p.name);
    }
    expect([...embedded].sort()).toEqual([...SCENARIO_NAMES].sort());
  });
});
