// A lesson's state at any step, rebuilt rather than stored: its start state is ":reset" and its
// setup; step N's is that plus the solutions of steps 1..N-1, as if the student had done them.
// Pure (lines out); the browser runs them through hidden clients (lesson-state.ts), the tests
// through the in-process lab.

import type { Lesson } from './parse';

/** The lines that put the server in the lesson's start state: emptied (":reset"), then its setup. */
export function startLines(lesson: Lesson): string[] {
  const setup = [...lesson.setup];
  return setup[0]?.trim().toLowerCase() === ':reset' ? setup : [':reset', ...setup];
}

/** The lines that put the server where step `index` (0-based) starts: the start state, then earlier solutions. */
export function jumpLines(lesson: Lesson, index: number): string[] {
  const before = lesson.steps.slice(0, Math.max(0, Math.min(index, lesson.steps.length)));
  return [...startLines(lesson), ...before.flatMap((s) => s.solution)];
}
