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

/** Back to the start of a lesson: step 1, nothing passed. */
export function withReset(p: Progress, id: string): Progress {
  return { current: id, lessons: { ...p.lessons, [id]: { step: 0, passed: [] } } };
}

/** What a progress file says it is (a student moves their progress between browsers with it). */
export const PROGRESS_FILE_FORMAT = 'redis-lab-lesson-progress';

/** The progress as a file's text (JSON): every lesson's current step and passed steps. */
export function exportProgress(p: Progress, now: Date = new Date()): string {
  return `${JSON.stringify({ format: PROGRESS_FILE_FORMAT, version: 1, exported: now.toISOString(), ...p }, null, 2)}\n`;
}

export type ProgressImport =
  | { readonly ok: true; readonly progress: Progress; readonly lessons: number }
  | { readonly ok: false; readonly error: string };

/**
 * A progress file read back, merged into `base`: the file's lessons replace the same lessons' progress,
 * others are kept. Refused with a reason (never half-applied) when it is not a progress file.
 */
export function importProgress(text: string, base: Progress = emptyProgress): ProgressImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not a progress file: it is not JSON' };
  }
  const d = data as { format?: unknown; version?: unknown; current?: unknown; lessons?: unknown };
  if (typeof d !== 'object' || d === null || d.format !== PROGRESS_FILE_FORMAT)
    return { ok: false, error: `not a progress file: "format" is not "${PROGRESS_FILE_FORMAT}"` };
  if (d.version !== 1) return { ok: false, error: `unsupported progress file version: ${String(d.version)}` };
  if (typeof d.lessons !== 'object' || d.lessons === null || Array.isArray(d.lessons))
    return { ok: false, error: 'progress file: "lessons" must be an object' };
  const lessons: Record<string, LessonProgress> = {};
  for (const [id, v] of Object.entries(d.lessons as Record<string, unknown>)) {
    const lp = v as { step?: unknown; passed?: unknown };
    const okStep = typeof lp?.step === 'number' && Number.isInteger(lp.step) && lp.step >= 0;
    const okPassed =
      Array.isArray(lp?.passed) && lp.passed.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id) || !okStep || !okPassed)
      return { ok: false, error: `progress file: lesson '${id}' has no valid step and passed steps` };
    lessons[id] = { step: lp.step as number, passed: [...new Set(lp.passed as number[])].sort((a, b) => a - b) };
  }
  const current = typeof d.current === 'string' && d.current in lessons ? d.current : base.current;
  return {
    ok: true,
    progress: { current, lessons: { ...base.lessons, ...lessons } },
    lessons: Object.keys(lessons).length,
  };
}
