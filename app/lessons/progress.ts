// Lesson progress kept in the browser: which lesson is open, its current step and the steps whose
// checks passed. Pure functions over a KeyValueStorage, so tests use a Map.

import type { KeyValueStorage } from '../terminal/history';

export const PROGRESS_STORAGE_KEY = 'redis-lab:lessons';

export interface LessonProgress {
  readonly step: number;
  readonly passed: readonly number[];
}

export interface Progress {
  readonly current: string | null;
  readonly lessons: Readonly<Record<string, LessonProgress>>;
}

export const emptyProgress: Progress = { current: null, lessons: {} };

export function loadProgress(storage: KeyValueStorage | null): Progress {
  try {
    const raw = storage?.getItem(PROGRESS_STORAGE_KEY);
    if (!raw) return emptyProgress;
    const p = JSON.parse(raw) as Partial<Progress>;
    const lessons: Record<string, LessonProgress> = {};
    for (const [id, v] of Object.entries(p.lessons ?? {})) {
      if (typeof v?.step === 'number' && Array.isArray(v.passed)) {
        lessons[id] = { step: v.step, passed: v.passed.filter((n) => typeof n === 'number') };
      }
    }
    return { current: typeof p.current === 'string' ? p.current : null, lessons };
  } catch {
    return emptyProgress;
  }
}

export function saveProgress(storage: KeyValueStorage | null, p: Progress): void {
  try {
    storage?.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(p));
  } catch {
    // Progress just won't survive a reload.
  }
}

export function withStep(p: Progress, id: string, step: number): Progress {
  const cur = p.lessons[id] ?? { step: 0, passed: [] };
  return { current: id, lessons: { ...p.lessons, [id]: { ...cur, step } } };
}

export function withPassed(p: Progress, id: string, step: number): Progress {
  const cur = p.lessons[id] ?? { step, passed: [] };
  if (cur.passed.includes(step)) return p;
  return { ...p, lessons: { ...p.lessons, [id]: { ...cur, passed: [...cur.passed, step].sort((a, b) => a - b) } } };
}
