// The quiz file parser and the run logic: bad files give clear errors with line numbers, and runs
// shuffle deterministically, put missed questions first and score into localStorage-shaped storage.

import { describe, expect, it } from 'vitest';
import { parseQuiz, stepSlug } from './format';
import {
  choiceOrder,
  clockText,
  closeRun,
  emptyQuizProgress,
  loadQuizProgress,
  loadRun,
  planRun,
  recordRun,
  saveQuizProgress,
  saveRun,
} from './session';

const HEAD = '---\nid: mine\ntitle: Mine\norder: 1\n---\n';
const META = '```question\nkind: choice\ntopics: set\nlearn: lists-and-sets#have-we-seen-this\n```\n';
const WHY = '```why\nBecause.\n```\n';
const q = (title: string, choices: string, meta = META, why = WHY) =>
  `## ${title}\n\nPrompt.\n\n${meta}\n\`\`\`choices\n${choices}\n\`\`\`\n\n${why}`;
const GOOD = '[x] A set\n    Unique members.\n[ ] A list\n    Duplicates.';

function errorsOf(text: string): string[] {
  const r = parseQuiz(text);
  return r.ok ? [] : r.errors.map((e) => `${e.line}: ${e.message}`);
}

describe('parseQuiz', () => {
  it('reads a choice question with its options and explanations', () => {
    const r = parseQuiz(HEAD + q('Pick one', GOOD));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [question] = r.quiz.questions;
    expect(question.id).toBe('mine/pick-one');
    expect(question.choices).toEqual([
      { text: 'A set', correct: true, why: 'Unique members.' },
      { text: 'A list', correct: false, why: 'Duplicates.' },
    ]);
    expect(question.prompt).toEqual([{ kind: 'markdown', text: 'Prompt.' }]);
  });

  it('rejects two right answers, naming the question and its line', () => {
    expect(errorsOf(HEAD + q('Two', '[x] a\n  why a\n[x] b\n  why b'))).toEqual([
      '6: question "Two": exactly one option must be marked [x], found 2',
    ]);
  });

  it('rejects an option without an explanation', () => {
    expect(errorsOf(HEAD + q('Bare', '[x] a\n  why a\n[ ] b'))).toEqual([
      '6: question "Bare": option 2 ("b") has no explanation under it',
    ]);
  });

  it('rejects a missing why, a bad kind and a bad link', () => {
    const meta = '```question\nkind: essay\ntopics: set\nlearn: nowhere\n```\n';
    expect(errorsOf(HEAD + q('Odd', GOOD, meta, ''))).toEqual([
      '6: question "Odd": kind must be choice, scenario or prove, got \'essay\'',
      '6: question "Odd": learn: expected "lesson-id#step-slug"',
      '6: question "Odd": needs a ```why block explaining the answer',
    ]);
  });

  it('requires checks and a solution for a prove question', () => {
    const meta = '```question\nkind: prove\ntopics: set\nlearn: a#b\n```\n';
    const errs = errorsOf(`${HEAD}## Do it\n\n${meta}\n${WHY}`);
    expect(errs).toEqual([
      '6: question "Do it": a prove question needs a ```check block',
      '6: question "Do it": a prove question needs a ```solution block',
    ]);
  });

  it('reads a ```setup block: lines run before the question, not shown in its prompt', () => {
    const setup = '```setup\n# a dataset\nZADD board 1 a 2 b\n:advance 1s\n```\n';
    const r = parseQuiz(`${HEAD}## Prepared\n\nPrompt.\n\n${setup}\n${META}\n\`\`\`choices\n${GOOD}\n\`\`\`\n\n${WHY}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.quiz.questions[0].setup).toEqual(['ZADD board 1 a 2 b', ':advance 1s']);
    expect(r.quiz.questions[0].prompt).toEqual([{ kind: 'markdown', text: 'Prompt.' }]);
  });

  it('rejects a setup line that is a bad lab command or does not split', () => {
    const setup = '```setup\n:warp 10s\nSET k "open\n```\n';
    expect(errorsOf(`${HEAD}## Bad setup\n\n${setup}\n${META}\n\`\`\`choices\n${GOOD}\n\`\`\`\n\n${WHY}`)).toEqual([
      '6: question "Bad setup": setup: unknown lab command \':warp\' (try :help)',
      '6: question "Bad setup": setup: cannot split \'SET k "open\' (unbalanced quotes?)',
    ]);
  });

  it('passes on the lesson parser errors (front matter)', () => {
    expect(errorsOf(q('No head', GOOD))[0]).toContain('front matter');
  });

  it('slugs step titles as links name them', () => {
    expect(stepSlug('AOF, fsync every second')).toBe('aof-fsync-every-second');
    expect(stepSlug('…until the power goes')).toBe('until-the-power-goes');
  });
});

describe('quiz runs', () => {
  const parsed = parseQuiz(HEAD + ['A', 'B', 'C', 'D', 'E'].map((t) => q(t, GOOD)).join('\n'));
  const qs = parsed.ok ? parsed.quiz.questions : [];

  it('shuffles questions and options the same way for the same seed', () => {
    expect(planRun(qs, emptyQuizProgress, 7, 5).map((x) => x.id)).toEqual(
      planRun(qs, emptyQuizProgress, 7, 5).map((x) => x.id),
    );
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => planRun(qs, emptyQuizProgress, s, 5)[0].id));
    expect(orders.size).toBeGreaterThan(1);
    expect(choiceOrder(qs[0], 3).sort()).toEqual([0, 1]);
  });

  it('asks the questions missed last run first, and remembers them in storage', () => {
    const missedId = planRun(qs, emptyQuizProgress, 1, 5)[4].id;
    const answers = qs.map((x) => ({ id: x.id, correct: x.id !== missedId, picked: 0 }));
    const p = recordRun(emptyQuizProgress, answers, 'all');
    expect(p.best.all).toBe(80);
    const storage = new Map<string, string>();
    const kv = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) };
    saveQuizProgress(kv, p);
    const back = loadQuizProgress(kv);
    expect(back).toEqual(p);
    for (const seed of [1, 2, 3]) expect(planRun(qs, back, seed, 2)[0].id).toBe(missedId);
  });

  it('keeps a run in progress for a reload, and closes it when the time runs out', () => {
    const storage = new Map<string, string>();
    const kv = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) };
    const ids = qs.slice(0, 3).map((x) => x.id);
    const answers = [{ id: ids[0], correct: true, picked: 0 }];
    saveRun(kv, { topic: 'set', seed: 5, ids, index: 1, answers, timed: false, endsAt: 123 });
    const back = loadRun(kv, qs);
    expect(back?.questions.map((x) => x.id)).toEqual(ids);
    expect(back?.index).toBe(1);
    expect(back?.answers).toEqual(answers);
    expect(back?.endsAt).toBe(123);
    // A question that no longer exists (the file changed): nothing to resume.
    expect(loadRun(kv, qs.slice(1))).toBeNull();
    saveRun(kv, null);
    expect(loadRun(kv, qs)).toBeNull();
    const closed = closeRun(qs.slice(0, 3), answers);
    expect(closed.map((a) => [a.id, a.correct])).toEqual([
      [ids[0], true],
      [ids[1], false],
      [ids[2], false],
    ]);
    expect(clockText(125_001)).toBe('2:06');
    expect(clockText(-5)).toBe('0:00');
  });
});
