// A quiz run, as pure functions: seeded shuffling of questions and options, the order of a run
// (questions missed last time come first: spaced repetition in Leitner boxes), scoring, and the
// progress kept in localStorage (a KeyValueStorage, so tests use a Map).

import type { KeyValueStorage } from '../terminal/history';
import type { Question } from './format';

export const QUIZ_STORAGE_KEY = 'redis-lab:quiz';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Per question: its Leitner box (0 = missed last time … 4 = known) and when it was last asked. */
export interface QuestionRecord {
  readonly box: number;
  readonly seen: number;
}

export interface QuizProgress {
  /** Runs finished so far; also the clock of `seen`. */
  readonly runs: number;
  readonly records: Readonly<Record<string, QuestionRecord>>;
  readonly best: Readonly<Record<string, number>>;
}

export const emptyQuizProgress: QuizProgress = { runs: 0, records: {}, best: {} };

export function loadQuizProgress(storage: KeyValueStorage | null): QuizProgress {
  try {
    const raw = storage?.getItem(QUIZ_STORAGE_KEY);
    if (!raw) return emptyQuizProgress;
    const p = JSON.parse(raw) as Partial<QuizProgress>;
    const records: Record<string, QuestionRecord> = {};
    for (const [id, r] of Object.entries(p.records ?? {})) {
      if (typeof r?.box === 'number' && typeof r.seen === 'number') records[id] = { box: r.box, seen: r.seen };
    }
    const best: Record<string, number> = {};
    for (const [k, v] of Object.entries(p.best ?? {})) if (typeof v === 'number') best[k] = v;
    return { runs: typeof p.runs === 'number' ? p.runs : 0, records, best };
  } catch {
    return emptyQuizProgress;
  }
}

export function saveQuizProgress(storage: KeyValueStorage | null, p: QuizProgress): void {
  try {
    storage?.setItem(QUIZ_STORAGE_KEY, JSON.stringify(p));
  } catch {
    // Progress just won't survive a reload.
  }
}

/** Questions of a topic ('all' for every one). */
export const inTopic = (qs: readonly Question[], topic: string): Question[] =>
  topic === 'all' ? [...qs] : qs.filter((q) => q.topics.includes(topic));

/**
 * The questions of one run, `count` at most: missed ones first (lowest box), then never-seen, then
 * the rest by box and by how long ago they were asked; ties broken by the seeded shuffle.
 */
export function planRun(qs: readonly Question[], progress: QuizProgress, seed: number, count: number): Question[] {
  const shuffled = shuffle(qs, rng(seed));
  const rank = (q: Question): [number, number] => {
    const r = progress.records[q.id];
    if (!r) return [1, 0];
    return r.box === 0 ? [0, r.seen] : [1 + r.box, r.seen];
  };
  const order = new Map(shuffled.map((q, i) => [q.id, i]));
  return shuffled
    .sort((a, b) => {
      const [ba, sa] = rank(a);
      const [bb, sb] = rank(b);
      return ba - bb || sa - sb || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
    })
    .slice(0, count);
}

/** A question's options in this run's order (seeded by the run seed and the question id). */
export function choiceOrder(q: Question, seed: number): number[] {
  let h = seed >>> 0;
  for (let i = 0; i < q.id.length; i++) h = Math.imul(h ^ q.id.charCodeAt(i), 16777619) >>> 0;
  return shuffle(
    q.choices.map((_, i) => i),
    rng(h),
  );
}

export interface Answer {
  readonly id: string;
  readonly correct: boolean;
  /** Index into the question's choices (original order), or -1 for prove / timed-out. */
  readonly picked: number;
}

/** Record a finished run: right answers move up a box, wrong ones drop to box 0. */
export function recordRun(p: QuizProgress, answers: readonly Answer[], topic: string): QuizProgress {
  const runs = p.runs + 1;
  const records = { ...p.records };
  for (const a of answers) {
    const box = records[a.id]?.box ?? 0;
    records[a.id] = { box: a.correct ? Math.min(4, box + 1) : 0, seen: runs };
  }
  const score = answers.length === 0 ? 0 : Math.round((100 * answers.filter((a) => a.correct).length) / answers.length);
  const best = { ...p.best, [topic]: Math.max(p.best[topic] ?? 0, score) };
  return { runs, records, best };
}

/** Questions due again: missed in their last run. */
export const missed = (p: QuizProgress): string[] =>
  Object.entries(p.records)
    .filter(([, r]) => r.box === 0)
    .map(([id]) => id);

/** The run in progress, kept so a reload resumes it (question ids, not questions: files may change). */
export const QUIZ_RUN_KEY = 'redis-lab:quiz-run';

export interface SavedRun {
  readonly topic: string;
  readonly seed: number;
  readonly ids: readonly string[];
  readonly index: number;
  readonly answers: readonly Answer[];
  readonly timed: boolean;
  /** The whole quiz's deadline (epoch ms), or null without a time limit. */
  readonly endsAt: number | null;
}

export function saveRun(storage: KeyValueStorage | null, run: SavedRun | null): void {
  try {
    storage?.setItem(QUIZ_RUN_KEY, run === null ? '' : JSON.stringify(run));
  } catch {
    // The run just won't survive a reload.
  }
}

/** The saved run with its questions found again in `all`; null if none, or one no longer exists. */
export function loadRun(
  storage: KeyValueStorage | null,
  all: readonly Question[],
): (SavedRun & { questions: Question[] }) | null {
  try {
    const raw = storage?.getItem(QUIZ_RUN_KEY);
    if (!raw) return null;
    const r = JSON.parse(raw) as Partial<SavedRun>;
    if (typeof r.topic !== 'string' || typeof r.seed !== 'number' || !Array.isArray(r.ids)) return null;
    const questions = r.ids.map((id) => all.find((q) => q.id === id));
    if (questions.length === 0 || questions.some((q) => q === undefined)) return null;
    const answers = (Array.isArray(r.answers) ? r.answers : []).filter(
      (a): a is Answer => typeof a?.id === 'string' && typeof a.correct === 'boolean' && typeof a.picked === 'number',
    );
    const index = typeof r.index === 'number' ? Math.max(0, Math.min(r.index, questions.length)) : 0;
    return {
      topic: r.topic,
      seed: r.seed,
      ids: r.ids,
      index,
      answers,
      timed: r.timed === true,
      endsAt: typeof r.endsAt === 'number' ? r.endsAt : null,
      questions: questions as Question[],
    };
  } catch {
    return null;
  }
}

/** When the whole quiz's time runs out: every question not answered yet counts as missed. */
export function closeRun(questions: readonly Question[], answers: readonly Answer[]): Answer[] {
  const out = [...answers];
  for (const q of questions) if (!out.some((a) => a.id === q.id)) out.push({ id: q.id, correct: false, picked: -1 });
  return out;
}

/** "m:ss" for a countdown. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
