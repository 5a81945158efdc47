// Every question file in lessons/quiz/ is tested like code: it parses, choice questions have exactly
// one right option and an explanation under every option, every "learn" link names a real lesson
// step, the bank covers the topics the lab promises, and every prove question's reference solution
// passes its checks on a fresh in-process engine while a fresh engine without it fails them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessLab } from '../lessons/in-process-lab';
import { parseLesson } from '../lessons/parse';
import { parseQuiz, type Question, stepSlug } from './format';

const ROOT = join(import.meta.dirname, '../..');
const QUIZ_DIR = join(ROOT, 'lessons/quiz');
const files = readdirSync(QUIZ_DIR)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort();

const questions: Question[] = files.flatMap((f) => {
  const r = parseQuiz(readFileSync(join(QUIZ_DIR, f), 'utf8'));
  if (!r.ok) throw new Error(`${f}: ${r.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  return [...r.quiz.questions];
});

/** "lesson-id#step-slug" for every step of every lesson in lessons/. */
const lessonSteps = new Set(
  readdirSync(join(ROOT, 'lessons'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md' && f !== 'COVERAGE.md')
    .flatMap((f) => {
      const r = parseLesson(readFileSync(join(ROOT, 'lessons', f), 'utf8'));
      return r.ok ? r.lesson.steps.map((s) => `${r.lesson.id}#${stepSlug(s.title)}`) : [];
    }),
);

describe('quiz bank', () => {
  it('has at least 40 questions with unique ids, of every kind', () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    for (const kind of ['choice', 'scenario', 'prove'] as const)
      expect(questions.filter((q) => q.kind === kind).length, kind).toBeGreaterThanOrEqual(5);
  });

  it("includes the seed's three questions", () => {
    const titles = questions.map((q) => q.title);
    expect(titles).toContain('Why single-threaded Redis is fast');
    expect(titles).toContain('The right data type for a leaderboard');
    expect(titles).toContain('The AOF fsync trade-off');
  });

  it('covers every data type and pattern', () => {
    const topics = new Set(questions.flatMap((q) => q.topics));
    const wanted =
      'string list set sorted-set hash stream bitmap hyperloglog geo cache session leaderboard feed counter rate-limiter lock queue pubsub event-log dedup unique-visitors when-not';
    for (const t of wanted.split(' ')) expect(topics.has(t), t).toBe(true);
  });

  for (const q of questions) {
    it(`${q.id}: answers, explanations and link`, () => {
      expect(q.why.length).toBeGreaterThan(20);
      expect(lessonSteps.has(q.learn), `${q.id} links to ${q.learn}, which is not a lesson step`).toBe(true);
      if (q.kind === 'prove') return;
      expect(q.choices.filter((c) => c.correct)).toHaveLength(1);
      for (const c of q.choices) expect(c.why.length, `${q.id}: "${c.text}"`).toBeGreaterThan(10);
    });
  }

  it('has questions that start from a prepared server (```setup)', () => {
    const prepared = questions.filter((q) => q.setup.length > 0);
    expect(prepared.some((q) => q.kind === 'prove')).toBe(true);
    expect(prepared.some((q) => q.kind !== 'prove')).toBe(true);
  });

  for (const q of questions.filter((x) => x.setup.length > 0)) {
    it(`${q.id}: its setup runs without an error`, async () => {
      const lab = new InProcessLab();
      for (const line of q.setup) expect(await lab.run(line), line).not.toMatch(/^\(error\)|^\(lab\) (usage|unknown)/);
    });
  }

  for (const q of questions.filter((x) => x.kind === 'prove')) {
    it(`${q.id}: the reference solution passes the checks, the server as the question starts fails them`, async () => {
      const empty = new InProcessLab();
      for (const line of q.setup) await empty.run(line);
      const before = await empty.evaluate(q.checks);
      expect(before.every((r) => r.pass)).toBe(false);
      const lab = new InProcessLab();
      for (const line of q.setup) await lab.run(line);
      for (const line of q.solution) await lab.run(line);
      for (const r of await lab.evaluate(q.checks)) {
        if (!r.pass) expect(r.actual.trimEnd(), `${q.id}: ${r.item.command}`).toBe(r.item.expected.join('\n'));
        expect(r.pass).toBe(true);
      }
    });
  }
});
