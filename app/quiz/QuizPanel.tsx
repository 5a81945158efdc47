// Quiz mode beside the terminals: pick a topic (or all, or an instructor's file), answer shuffled
// questions with the number keys, get feedback at once, prove answers in the terminal (graded by
// ```check blocks against the engine), review mistakes, and come back to missed ones next run.
// Loaded lazily; reuses the lesson system's parts renderer, safe Markdown and check runner.
// A question may prepare the server first (```setup); a classroom can give the whole quiz a time
// limit; a run in progress survives a reload; ?quiz=<topic>[&seed=N][&minutes=M] starts one directly.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import { useRuntime } from '../runtime-context';
import { effectiveTheme } from '../store/settings-slice';
import { useLab } from '../store/useLab';
import { terminalBridge } from '../terminal/terminal-bridge';
import { browserLab } from '../lessons/browser-lab';
import type { CheckResult } from '../lessons/checks';
import { isLabLine, runLabLine } from '../lessons/lab-commands';
import { LessonPart } from '../lessons/LessonStepView';
import { renderMarkdown } from '../lessons/markdown';
import { loadProgress, saveProgress, withStep } from '../lessons/progress';
import type { ParseError } from '../lessons/parse';
import { builtInLessons } from '../lessons/catalog';
import { builtInQuizzes, loadQuizFile } from './bank';
import { type Question, type QuizFile, stepSlug } from './format';
import {
  type Answer,
  choiceOrder,
  clockText,
  closeRun,
  inTopic,
  loadQuizProgress,
  loadRun,
  missed,
  planRun,
  type QuizProgress,
  recordRun,
  saveQuizProgress,
  saveRun,
} from './session';
import './quiz.css';

function storage() {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function Md({ text }: { text: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown never passes HTML through (app/lessons/markdown.test.ts)
  return <div className="md" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

const SECONDS = { choice: 30, scenario: 45, prove: 180 } as const;

interface Run {
  readonly topic: string;
  readonly seed: number;
  readonly questions: readonly Question[];
  readonly timed: boolean;
  /** The whole quiz's deadline (epoch ms) for a classroom, or null. */
  readonly endsAt: number | null;
}

/** Whole-quiz time limits offered, in minutes (0: none). */
const LIMITS = [0, 2, 5, 10, 15, 20, 30];

export default function QuizPanel() {
  const runtime = useRuntime();
  const theme = useLab(effectiveTheme);
  const lab = useMemo(() => browserLab(runtime), [runtime]);
  const builtIn = useMemo(() => builtInQuizzes(), []);
  const lessons = useMemo(() => builtInLessons(), []);
  /** "lesson-id#step-slug" → its lesson and step index, and a label to show. */
  const stepOf = (link: string) => {
    const [lessonId, slug] = link.split('#');
    const lesson = lessons.find((l) => l.id === lessonId);
    const step = lesson ? lesson.steps.findIndex((s) => stepSlug(s.title) === slug) : -1;
    const label = lesson && step >= 0 ? `${lesson.title} › ${lesson.steps[step].title}` : link;
    return { lessonId, step, label };
  };
  const [custom, setCustom] = useState<QuizFile | null>(null);
  const [errors, setErrors] = useState<readonly ParseError[] | null>(null);
  const [progress, setProgress] = useState<QuizProgress>(() => loadQuizProgress(storage()));
  const [topic, setTopic] = useState('all');
  const [count, setCount] = useState(10);
  const [timed, setTimed] = useState(false);
  const [seedText, setSeedText] = useState('');
  const [minutes, setMinutes] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [timeUp, setTimeUp] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [checks, setChecks] = useState<CheckResult[] | null>(null);
  const [showSolution, setShowSolution] = useState(false);
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);

  const all = useMemo(() => [...(custom ? [custom] : []), ...builtIn].flatMap((f) => f.questions), [builtIn, custom]);
  const topics = useMemo(
    () => [...new Set(builtIn.flatMap((f) => f.questions.flatMap((q) => q.topics)))].sort(),
    [builtIn],
  );
  const pool = (t: string) => (t.startsWith('file:') ? (custom?.questions ?? []) : inTopic(all, t));
  const done = run !== null && index >= run.questions.length;
  const question = run && !done ? run.questions[index] : null;
  const answer = question ? answers.find((a) => a.id === question.id) : undefined;
  const score = answers.filter((a) => a.correct).length;
  const dueCount = missed(progress).filter((id) => pool(topic).some((q) => q.id === id)).length;

  /** A question's ```setup: the server emptied, then its lines run hidden (a dataset to query). */
  const prepare = async (q: Question | undefined) => {
    if (!q || q.setup.length === 0) return;
    setPreparing(true);
    try {
      await lab.actions.reset();
      for (const line of q.setup) {
        const argv = splitArgs(fromUtf8(line)) ?? [];
        if (isLabLine(line)) await runLabLine(argv, lab.actions);
        else await lab.runHidden([argv]);
      }
    } finally {
      setPreparing(false);
    }
  };

  const start = (opts: { topic?: string; seed?: number; minutes?: number } = {}) => {
    const t = opts.topic ?? topic;
    const seed = opts.seed ?? (/^\d+$/.test(seedText) ? Number(seedText) : Math.floor(Math.random() * 1e6));
    const limit = opts.minutes ?? minutes;
    const questions = planRun(pool(t), progress, seed, count);
    setRun({ topic: t, seed, questions, timed, endsAt: limit > 0 ? Date.now() + limit * 60_000 : null });
    setNow(Date.now());
    setTimeUp(false);
    setIndex(0);
    setAnswers([]);
    setChecks(null);
    setShowSolution(false);
    setLeft(questions[0] ? SECONDS[questions[0].kind] : 0);
    void prepare(questions[0]);
    panel.current?.focus();
  };

  /** The run is over (last question, or the quiz's time ran out): record it for spaced repetition. */
  const finish = (r: Run, final: readonly Answer[]) => {
    setIndex(r.questions.length);
    setProgress((p) => {
      const n = recordRun(p, final, r.topic);
      saveQuizProgress(storage(), n);
      return n;
    });
  };

  const answerWith = useCallback(
    (a: Answer) => setAnswers((as) => (as.some((x) => x.id === a.id) ? as : [...as, a])),
    [],
  );

  const next = () => {
    if (!run) return;
    const i = index + 1;
    setIndex(i);
    setChecks(null);
    setShowSolution(false);
    const q = run.questions[i];
    if (q) {
      setLeft(SECONDS[q.kind]);
      void prepare(q);
    } else finish(run, answers);
    panel.current?.focus();
  };

  const pick = (original: number) => {
    if (!question || answer) return;
    answerWith({ id: question.id, correct: question.choices[original]?.correct === true, picked: original });
  };

  const check = async () => {
    if (!question) return;
    setBusy(true);
    try {
      const r = await lab.evaluate(question.checks);
      setChecks(r);
      if (r.every((x) => x.pass) && !showSolution) answerWith({ id: question.id, correct: true, picked: -1 });
    } finally {
      setBusy(false);
    }
  };

  const giveUp = () => {
    if (!question) return;
    setShowSolution(true);
    answerWith({ id: question.id, correct: false, picked: -1 });
  };

  const typeLines = useCallback(
    async (lines: readonly string[]) => {
      setBusy(true);
      try {
        await (await terminalBridge(runtime)).typeLines(lines);
      } finally {
        setBusy(false);
      }
    },
    [runtime],
  );

  // Timed mode: the clock runs while a question is unanswered; at zero it counts as missed.
  useEffect(() => {
    if (!run?.timed || !question || answer) return;
    if (left <= 0) {
      answerWith({ id: question.id, correct: false, picked: -1 });
      if (question.kind === 'prove') setShowSolution(true);
      return;
    }
    const t = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(t);
  }, [run, question, answer, left, answerWith]);

  // The whole quiz's time limit: a countdown; at zero the quiz ends and the review shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: finish only reads its arguments
  useEffect(() => {
    if (!run || run.endsAt === null || done) return;
    if (now >= run.endsAt) {
      const final = closeRun(run.questions, answers);
      setAnswers(final);
      setTimeUp(true);
      finish(run, final);
      return;
    }
    const t = setTimeout(() => setNow(Date.now()), Math.min(1000, run.endsAt - now));
    return () => clearTimeout(t);
  }, [run, done, now, answers]);

  // A run in progress survives a reload; a finished one is forgotten (its progress is recorded).
  useEffect(() => {
    if (!run) return;
    saveRun(
      storage(),
      done
        ? null
        : {
            topic: run.topic,
            seed: run.seed,
            ids: run.questions.map((q) => q.id),
            index,
            answers,
            timed: run.timed,
            endsAt: run.endsAt,
          },
    );
  }, [run, done, index, answers]);

  // On opening: resume the saved run, or start the one a ?quiz=<topic> link asks for.
  const opened = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel opens
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    panel.current?.focus();
    const params = new URLSearchParams(location.search);
    const wanted = params.get('quiz');
    const saved = loadRun(storage(), all);
    if (saved && saved.index < saved.questions.length && (wanted === null || wanted === saved.topic)) {
      setTopic(saved.topic);
      setRun({
        topic: saved.topic,
        seed: saved.seed,
        questions: saved.questions,
        timed: saved.timed,
        endsAt: saved.endsAt,
      });
      setIndex(saved.index);
      setAnswers([...saved.answers]);
      setLeft(SECONDS[saved.questions[saved.index].kind]);
      setTimeout(() => panel.current?.focus(), 0);
      return;
    }
    if (wanted !== null && (wanted === 'all' || topics.includes(wanted))) {
      const seed = params.get('seed');
      const limit = Number(params.get('minutes') ?? '0');
      setTopic(wanted);
      if (seed && /^\d+$/.test(seed)) setSeedText(seed);
      if (LIMITS.includes(limit)) setMinutes(limit);
      start({
        topic: wanted,
        seed: seed && /^\d+$/.test(seed) ? Number(seed) : undefined,
        minutes: LIMITS.includes(limit) ? limit : 0,
      });
    } else if (wanted !== null) {
      setLinkError(`The link asks for the quiz topic '${wanted}', which does not exist: pick a topic below.`);
    }
  }, []);

  const learn = (link: string) => {
    const { lessonId, step } = stepOf(link);
    saveProgress(storage(), withStep(loadProgress(storage()), lessonId, Math.max(0, step)));
    const s = runtime.store.getState();
    s.setLessonsOpen(false);
    setTimeout(() => runtime.store.getState().setLessonsOpen(true), 0);
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const r = await loadQuizFile(file);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors(null);
    setCustom(r.quiz);
    setTopic(`file:${r.quiz.id}`);
    setRun(null);
  };

  const order = question ? choiceOrder(question, run?.seed ?? 0) : [];
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('input, select, textarea')) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    // Enter on a focused button is that button's.
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'BUTTON') return;
    const n = /^[1-9]$/.test(e.key) ? Number(e.key) : 0;
    if (question && !answer && n > 0 && n <= order.length) pick(order[n - 1]);
    else if (question && answer && (e.key === 'Enter' || e.key === 'n')) next();
    else if (question?.kind === 'prove' && !answer && e.key === 'Enter' && !busy) void check();
    else if (!run && e.key === 'Enter') start();
    else return;
    e.preventDefault();
  };

  return (
    <aside
      className="quiz-panel"
      aria-label="Quiz"
      data-testid="quiz-panel"
      tabIndex={-1}
      ref={panel}
      onKeyDown={onKeyDown}
    >
      <header className="quiz-header">
        <strong>Quiz</strong>
        {run && !done && (
          <span data-testid="quiz-status">
            Question {index + 1} / {run.questions.length} · score {score}
            {run.timed && !answer && (
              <span className={`quiz-timer${left <= 5 ? ' low' : ''}`} data-testid="quiz-timer">
                {' '}
                · {left}s
              </span>
            )}
          </span>
        )}
        {run && !done && run.endsAt !== null && (
          <span
            className={`quiz-clock${run.endsAt - now <= 60_000 ? ' low' : ''}`}
            role="timer"
            aria-label={`Time left for the whole quiz: ${clockText(run.endsAt - now)}`}
            data-testid="quiz-clock"
          >
            Time left {clockText(run.endsAt - now)}
          </span>
        )}
        <span className="spacer" />
        {run && (
          <button type="button" onClick={() => setRun(null)} data-testid="quiz-menu">
            Topics
          </button>
        )}
        <button type="button" aria-label="Close the quiz" onClick={() => runtime.store.getState().setQuizOpen(false)}>
          ×
        </button>
      </header>

      <div className="quiz-body">
        {!run && (
          <section className="quiz-menu">
            <label>
              Topic{' '}
              <select value={topic} onChange={(e) => setTopic(e.target.value)} data-testid="quiz-topic">
                <option value="all">All topics ({all.length})</option>
                {custom && (
                  <option value={`file:${custom.id}`}>
                    {custom.title} ({custom.questions.length})
                  </option>
                )}
                {topics.map((t) => (
                  <option key={t} value={t}>
                    {t} ({inTopic(all, t).length})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Questions{' '}
              <select value={count} onChange={(e) => setCount(Number(e.target.value))} data-testid="quiz-count">
                {[5, 10, 20, 1000].map((n) => (
                  <option key={n} value={n}>
                    {n === 1000 ? 'all' : n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={timed} onChange={(e) => setTimed(e.target.checked)} /> Timed (classroom)
            </label>
            <label>
              Time limit{' '}
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="quiz-minutes">
                {LIMITS.map((m) => (
                  <option key={m} value={m}>
                    {m === 0 ? 'none' : `${m} min for the quiz`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Seed{' '}
              <input
                value={seedText}
                onChange={(e) => setSeedText(e.target.value.trim())}
                placeholder="random"
                size={8}
                inputMode="numeric"
                data-testid="quiz-seed"
                title="The same seed gives everyone the same order"
              />
            </label>
            <p className="muted">
              {dueCount > 0 ? `${dueCount} question(s) you missed last time come first. ` : ''}
              {progress.best[topic] !== undefined ? `Best score: ${progress.best[topic]}%.` : ''}
            </p>
            <div className="quiz-actions">
              <button type="button" className="primary" onClick={() => start()} data-testid="quiz-start">
                Start
              </button>
              <button type="button" onClick={() => fileInput.current?.click()}>
                Open question file…
              </button>
              <input
                ref={fileInput}
                type="file"
                accept=".md,text/markdown,text/plain"
                hidden
                data-testid="quiz-file"
                onChange={(e) => void onFile(e.target.files?.[0])}
              />
            </div>
            {linkError && (
              <p className="quiz-errors" role="alert" data-testid="quiz-link-error">
                {linkError}
              </p>
            )}
            {errors && (
              <div className="quiz-errors" role="alert" data-testid="quiz-errors">
                <strong>That question file has problems:</strong>
                <ul>
                  {errors.map((e) => (
                    <li key={`${e.line}:${e.message}`}>
                      {e.line > 0 ? `line ${e.line}: ` : ''}
                      {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <p className="muted">
              Keys: 1–9 choose an option, Enter checks a "prove it" and goes on; Alt+1 goes to the terminal, Alt+Q comes
              back here.
            </p>
          </section>
        )}

        {question && (
          <section className="quiz-question" data-testid="quiz-question" data-kind={question.kind}>
            <h2>
              <span className="quiz-kind">{question.kind === 'prove' ? 'Prove it' : question.kind}</span>{' '}
              {question.title}
            </h2>
            {question.setup.length > 0 && (
              <details className="quiz-setup" data-testid="quiz-setup">
                <summary>
                  {preparing ? 'Preparing the server…' : `The server was emptied and prepared for this question`}
                </summary>
                <pre>
                  <code>{question.setup.join('\n')}</code>
                </pre>
              </details>
            )}
            {question.prompt.map((part, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
              <LessonPart key={i} part={part} theme={theme} run={typeLines} running={busy} />
            ))}
            {question.kind !== 'prove' && (
              <ol className="quiz-choices">
                {order.map((orig, n) => {
                  const c = question.choices[orig];
                  const state = !answer ? '' : c.correct ? 'right' : answer.picked === orig ? 'wrong' : 'other';
                  return (
                    <li key={orig}>
                      <button
                        type="button"
                        className={`quiz-choice ${state}`}
                        disabled={answer !== undefined}
                        onClick={() => pick(orig)}
                        data-testid="quiz-choice"
                        data-correct={answer ? String(c.correct) : undefined}
                      >
                        <kbd>{n + 1}</kbd> {c.text}
                      </button>
                      {answer && (state === 'right' || state === 'wrong' || answer.picked === -1) && (
                        <div className="quiz-choice-why">
                          <Md text={c.why} />
                        </div>
                      )}
                      {answer && state === 'other' && answer.picked !== -1 && (
                        <details className="quiz-choice-why">
                          <summary>Why not this one?</summary>
                          <Md text={c.why} />
                        </details>
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
            {question.kind === 'prove' && (
              <div className="quiz-prove">
                <p className="muted">
                  Solve it in the terminal, then check: the engine's state is graded, not your text.
                </p>
                <div className="quiz-actions">
                  <button
                    type="button"
                    className="primary"
                    onClick={() => void check()}
                    disabled={busy}
                    data-testid="quiz-check"
                  >
                    Check
                  </button>
                  {!answer && (
                    <button type="button" onClick={giveUp} data-testid="quiz-giveup">
                      Show the solution
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => void lab.actions.reset()}
                    title="FLUSHALL: starts from an empty server"
                  >
                    Empty the server
                  </button>
                </div>
                {checks && (
                  <ul className="quiz-checks" data-testid="quiz-checks">
                    {checks.map((r) => (
                      <li key={r.item.line} data-state={r.pass ? 'pass' : 'fail'}>
                        {r.pass ? '✓' : '✗'} <code>{r.item.command}</code>
                        {!r.pass && (
                          <pre>
                            expected: {r.item.expected.join('\n')}
                            {'\n'}got: {r.actual.trimEnd() || '(nothing)'}
                          </pre>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {showSolution && (
                  <div className="quiz-solution">
                    <pre>
                      <code>{question.solution.join('\n')}</code>
                    </pre>
                    <button type="button" onClick={() => void typeLines(question.solution)} disabled={busy}>
                      Run the solution
                    </button>
                  </div>
                )}
              </div>
            )}
            {answer && (
              <div
                className={`quiz-feedback ${answer.correct ? 'right' : 'wrong'}`}
                role="status"
                data-testid="quiz-feedback"
              >
                <strong>
                  {answer.correct
                    ? 'Right!'
                    : answer.picked === -1 && run?.timed && left <= 0
                      ? "Time's up."
                      : 'Not quite.'}
                </strong>
                <Md text={question.why} />
                <div className="quiz-actions">
                  <button type="button" onClick={() => learn(question.learn)} data-testid="quiz-learn">
                    Learn it: {stepOf(question.learn).label}
                  </button>
                  <button type="button" className="primary" onClick={next} data-testid="quiz-next">
                    {index + 1 < (run?.questions.length ?? 0) ? 'Next (Enter)' : 'Finish (Enter)'}
                  </button>
                </div>
              </div>
            )}
          </section>
        )}

        {run && done && (
          <section className="quiz-done" data-testid="quiz-done">
            <h2>
              Score: {score} / {run.questions.length}
            </h2>
            {timeUp && (
              <p className="quiz-timeup" data-testid="quiz-timeup">
                Time's up: the questions you had not answered count as missed.
              </p>
            )}
            {answers.some((a) => !a.correct) ? <h3>Review your mistakes</h3> : <p>No mistakes. Well done.</p>}
            <ul className="quiz-review">
              {run.questions
                .filter((q) => answers.find((a) => a.id === q.id)?.correct !== true)
                .map((q) => {
                  const a = answers.find((x) => x.id === q.id);
                  const right = q.choices.find((c) => c.correct);
                  const picked = a && a.picked >= 0 ? q.choices[a.picked] : undefined;
                  return (
                    <li key={q.id} data-testid="quiz-mistake">
                      <strong>{q.title}</strong>
                      {picked && <p>You chose: {picked.text}</p>}
                      {a?.picked === -1 && q.kind !== 'prove' && <p>Not answered.</p>}
                      {picked && <Md text={picked.why} />}
                      {right && <p>Right answer: {right.text}</p>}
                      {q.kind === 'prove' && <pre>{q.solution.join('\n')}</pre>}
                      <Md text={q.why} />
                      <button type="button" onClick={() => learn(q.learn)} data-testid="quiz-review-learn">
                        Learn it: {stepOf(q.learn).label}
                      </button>
                    </li>
                  );
                })}
            </ul>
            <div className="quiz-actions">
              <button type="button" className="primary" onClick={() => start()} data-testid="quiz-again">
                Run again (missed first)
              </button>
            </div>
          </section>
        )}
      </div>
    </aside>
  );
}
