// The lesson panel beside the terminals: pick a lesson (or open an instructor's file, pasted text or
// a same-origin ?lesson= URL), walk its steps, Run blocks into the active terminal, watch the step's
// checks turn green as the engine's state changes, reveal hints and the solution, and present it
// (large text, one step at a time). Loaded lazily; mermaid loads later still, with a diagram.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRuntime } from '../runtime-context';
import { LESSON_EVENT, type ShortcutAction } from '../shortcuts';
import { effectiveTheme } from '../store/settings-slice';
import { useLab } from '../store/useLab';
import { terminalBridge } from '../terminal/terminal-bridge';
import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import { browserLab, CHECK_SESSION } from './browser-lab';
import { FIRST_SCENARIO_SESSION } from '../scenarios/names';
import { builtInLessons, loadLessonFile, loadLessonUrl } from './catalog';
import type { CheckResult } from './checks';
import { isLabLine, runLabLine } from './lab-commands';
import { LessonBuilder } from './LessonBuilder';
import { LessonPart, LessonStepView } from './LessonStepView';
import { checkDiagrams } from './diagram-check';
import { runHiddenLines } from './lesson-state';
import { type Lesson, type LessonParse, type ParseError, parseLessonFile } from './parse';
import { PresenterBar } from './PresenterBar';
import {
  exportProgress,
  importProgress,
  loadProgress,
  type Progress,
  saveProgress,
  withPassed,
  withReset,
  withStep,
} from './progress';
import { jumpLines, startLines } from './replay';
import './lesson-tools.css';

/** Presenting, the terminals' font size (px) at least. */
export const PRESENTER_TERMINAL_FONT = 22;

/** Presenting, Run types this many ms per character (none when reduced motion is asked for). */
export const PRESENTER_TYPE_DELAY_MS = 45;

const reducedMotion = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Save text as a file the browser downloads. */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function storage() {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export default function LessonPanel() {
  const runtime = useRuntime();
  const theme = useLab(effectiveTheme);
  const lab = useMemo(() => browserLab(runtime), [runtime]);
  const builtIn = useMemo(() => builtInLessons(), []);
  const [custom, setCustom] = useState<Lesson | null>(null);
  const [errors, setErrors] = useState<readonly ParseError[] | null>(null);
  const [progress, setProgress] = useState<Progress>(() => loadProgress(storage()));
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [hints, setHints] = useState(0);
  const [solution, setSolution] = useState(false);
  const [presenter, setPresenter] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [building, setBuilding] = useState(false);
  const [running, setRunning] = useState(false);
  const [solutionsShown, setSolutionsShown] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const progressInput = useRef<HTMLInputElement>(null);

  const lessons = custom ? [custom, ...builtIn.filter((l) => l.id !== custom.id)] : builtIn;
  const lesson = lessons.find((l) => l.id === progress.current) ?? lessons[0];
  const lp = lesson ? progress.lessons[lesson.id] : undefined;
  const stepIndex = Math.min(lp?.step ?? 0, Math.max(0, (lesson?.steps.length ?? 1) - 1));
  const step = lesson?.steps[stepIndex];
  const passed = new Set(lp?.passed ?? []);

  const update = useCallback((f: (p: Progress) => Progress) => {
    setProgress((p) => {
      const next = f(p);
      saveProgress(storage(), next);
      return next;
    });
  }, []);

  /** Go to step `index`, or `delta` steps from the current one (read from the latest progress). */
  const goTo = useCallback(
    (index: number | null, delta = 0) => {
      if (!lesson) return;
      const last = lesson.steps.length - 1;
      update((p) => {
        const target = index ?? (p.lessons[lesson.id]?.step ?? 0) + delta;
        return withStep(p, lesson.id, Math.max(0, Math.min(last, target)));
      });
      setHints(0);
      setSolution(false);
      setResults(null);
    },
    [lesson, update],
  );
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (presenter) panelRef.current?.focus();
  }, [presenter]);
  // Presenting, the terminals' type is large too (the class reads them from the back of the room);
  // the student's own size comes back when the presenter closes.
  useEffect(() => {
    if (!presenter) return;
    const store = runtime.store;
    const before = store.getState().fontSize;
    if (before < PRESENTER_TERMINAL_FONT) store.getState().setFontSize(PRESENTER_TERMINAL_FONT);
    return () => store.getState().setFontSize(before);
  }, [presenter, runtime]);

  // Checks: evaluated when the step changes and after every command any session runs.
  const checks = step?.checks;
  const evaluating = useRef(0);
  const evaluate = useCallback(async () => {
    if (!lesson || !checks || checks.length === 0) {
      setResults(null);
      return;
    }
    const ticket = ++evaluating.current;
    const r = await lab.evaluate(checks);
    if (ticket !== evaluating.current) return;
    setResults(r);
    if (r.every((x) => x.pass)) update((p) => withPassed(p, lesson.id, stepIndex));
  }, [lab, lesson, checks, stepIndex, update]);

  useEffect(() => {
    void evaluate();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = runtime.client.onCommand((session) => {
      // Scenario widgets use keys of their own: their commands never change a step's checks.
      if (session === CHECK_SESSION || (session !== null && session >= FIRST_SCENARIO_SESSION)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void evaluate(), 30);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [runtime, evaluate]);

  const openParsed = useCallback(
    async (r: LessonParse) => {
      if (!r.ok) {
        setErrors(r.errors);
        return;
      }
      const bad = await checkDiagrams(r.lesson);
      if (bad.length > 0) {
        setErrors(bad);
        return;
      }
      setErrors(null);
      setBuilding(false);
      setCustom(r.lesson);
      update((p) => ({ ...withStep(p, r.lesson.id, p.lessons[r.lesson.id]?.step ?? 0), current: r.lesson.id }));
    },
    [update],
  );

  // ?lesson=<same-origin url> opens an instructor's lesson.
  useEffect(() => {
    const param = new URLSearchParams(location.search).get('lesson');
    if (param) void loadLessonUrl(param).then(openParsed);
  }, [openParsed]);

  const run = useCallback(
    async (lines: readonly string[]) => {
      setRunning(true);
      try {
        const bridge = await terminalBridge(runtime);
        await bridge.typeLines(lines, {
          charDelayMs: presenter && !reducedMotion() ? PRESENTER_TYPE_DELAY_MS : 0,
        });
      } finally {
        setRunning(false);
      }
    },
    [runtime, presenter],
  );

  /** The server where step `index` starts (its lesson's start state, then the earlier solutions). */
  const setUpStep = useCallback(
    async (index: number) => {
      if (!lesson) return;
      setRunning(true);
      try {
        await runHiddenLines(runtime, lab, index === 0 ? startLines(lesson) : jumpLines(lesson, index));
        if (index === 0) update((p) => withReset(p, lesson.id));
        goTo(index);
        setNotice(
          index === 0
            ? `The lesson is back at its start: the server holds what its setup makes.`
            : `The server is where step ${index + 1} starts: steps 1–${index} were run for you.`,
        );
      } finally {
        setRunning(false);
      }
    },
    [runtime, lab, lesson, update, goTo],
  );

  const onProgressFile = async (file: File | undefined) => {
    if (!file) return;
    const r = importProgress(await file.text(), progress);
    if (!r.ok) {
      setErrors([{ line: 0, message: r.error }]);
      return;
    }
    setErrors(null);
    update(() => r.progress);
    setNotice(`Progress loaded for ${r.lessons} lesson${r.lessons === 1 ? '' : 's'}.`);
  };

  // A recap's quiz link (?quiz=<topic>) opens the quiz on that topic without leaving the page.
  const onClick = (e: React.MouseEvent) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href') ?? '';
    const m = /^\?quiz=([a-z0-9-]+)$/.exec(href);
    if (!m) return;
    e.preventDefault();
    history.replaceState(history.state, '', `${location.pathname}?quiz=${m[1]}`);
    const s = runtime.store.getState();
    s.setQuizOpen(false);
    setTimeout(() => runtime.store.getState().setQuizOpen(true), 0);
  };

  const startLesson = useCallback(async () => {
    if (!lesson) return;
    setRunning(true);
    try {
      for (const line of lesson.setup) {
        const argv = splitArgs(fromUtf8(line)) ?? [];
        if (isLabLine(line)) await runLabLine(argv, lab.actions);
        else await lab.runHidden([argv]);
      }
      goTo(0);
      await evaluate();
    } finally {
      setRunning(false);
    }
  }, [lesson, lab, goTo, evaluate]);

  // Keyboard: Alt+PageDown / Alt+PageUp / Alt+P from anywhere; arrows and Esc inside the panel.
  useEffect(() => {
    const onAction = (e: Event) => {
      const action = (e as CustomEvent<ShortcutAction>).detail;
      if (action.kind === 'lesson-step') goTo(null, action.delta);
      if (action.kind === 'presenter') setPresenter((p) => !p);
    };
    window.addEventListener(LESSON_EVENT, onAction);
    return () => window.removeEventListener(LESSON_EVENT, onAction);
  }, [goTo]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.closest('textarea, input, select')) return;
    if (e.key === 'ArrowRight' || (presenter && (e.key === 'PageDown' || e.key === ' '))) goTo(null, 1);
    else if (e.key === 'ArrowLeft' || (presenter && e.key === 'PageUp')) goTo(null, -1);
    else if (e.key === 'Escape' && presenter) setPresenter(false);
    else return;
    e.preventDefault();
  };

  const allPass = results?.every((r) => r.pass) ?? false;
  const done = lesson ? lesson.steps.filter((_, i) => passed.has(i)).length : 0;
  const withChecks = lesson ? lesson.steps.filter((s) => s.checks.length > 0).length : 0;

  return (
    <aside
      className={`lesson-panel${presenter ? ' presenter' : ''}`}
      aria-label="Lesson"
      data-testid="lesson-panel"
      ref={panelRef}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      {!presenter && (
        <header className="lesson-header">
          <label className="visually-hidden" htmlFor="lesson-select">
            Lesson
          </label>
          <select
            id="lesson-select"
            value={lesson?.id ?? ''}
            onChange={(e) => update((p) => ({ ...p, current: e.target.value }))}
            data-testid="lesson-select"
          >
            {lessons.map((l) => (
              <option key={l.id} value={l.id}>
                {l === custom ? `★ ${l.title}` : `${l.order}. ${l.title}`}
              </option>
            ))}
          </select>
          <div className="lesson-tools">
            <button type="button" onClick={() => fileInput.current?.click()} title="Open a lesson file (.md)">
              Open…
            </button>
            <button type="button" onClick={() => setPasting((x) => !x)} aria-pressed={pasting}>
              Paste
            </button>
            <button
              type="button"
              onClick={() => setBuilding((b) => !b)}
              aria-pressed={building}
              title="Lesson builder: record what you type as steps, add prose and checks, export a lesson file"
              data-testid="builder-toggle"
            >
              Build
            </button>
            <button
              type="button"
              onClick={() => setPresenter(true)}
              title="Presenter mode (Alt+P)"
              data-testid="presenter-on"
            >
              Present
            </button>
            <button
              type="button"
              onClick={() => runtime.store.getState().setLessonsOpen(false)}
              aria-label="Close lessons"
            >
              ×
            </button>
          </div>
          <input
            ref={fileInput}
            type="file"
            accept=".md,.markdown,text/markdown,text/plain"
            hidden
            data-testid="lesson-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void loadLessonFile(f).then(openParsed);
              e.target.value = '';
            }}
          />
          <input
            ref={progressInput}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="progress-file"
            onChange={(e) => {
              void onProgressFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </header>
      )}
      {pasting && !presenter && <PasteBox onOpen={(text) => void openParsed(parseLessonFile(text))} />}
      {errors && (
        <div className="lesson-errors" role="alert" data-testid="lesson-errors">
          <strong>This lesson could not be opened:</strong>
          <ul>
            {errors.map((e) => (
              <li key={`${e.line}:${e.message}`}>{e.line > 0 ? `line ${e.line}: ${e.message}` : e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {notice && !errors && (
        <output className="lesson-notice" data-testid="lesson-notice">
          {notice}
        </output>
      )}
      {presenter && (
        <PresenterBar
          solutionsShown={solutionsShown}
          onSolutions={setSolutionsShown}
          onResetStep={() => void setUpStep(stepIndex)}
          running={running}
        />
      )}
      {building && !presenter && <LessonBuilder onClose={() => setBuilding(false)} />}
      {!building && lesson && step && (
        <div className="lesson-body">
          {!presenter && (
            <>
              <div className="lesson-progress">
                <progress
                  max={Math.max(1, withChecks)}
                  value={done}
                  aria-label={`${done} of ${withChecks} checked steps passed`}
                />
                <span>
                  {done}/{withChecks} steps checked
                </span>
                <span className="lesson-progress-tools">
                  <button
                    type="button"
                    onClick={() => download('redis-lab-progress.json', exportProgress(progress), 'application/json')}
                    title="Download your progress in every lesson as a file"
                    data-testid="progress-export"
                  >
                    Save progress
                  </button>
                  <button
                    type="button"
                    onClick={() => progressInput.current?.click()}
                    title="Load progress saved from this or another browser"
                    data-testid="progress-import"
                  >
                    Load progress
                  </button>
                  <button
                    type="button"
                    onClick={() => void setUpStep(0)}
                    disabled={running}
                    title="Empty the server, run the lesson's setup, and start again at step 1"
                    data-testid="lesson-reset"
                  >
                    Reset lesson
                  </button>
                </span>
              </div>
              <details className="lesson-intro" open={stepIndex === 0}>
                <summary>{lesson.title}</summary>
                {lesson.intro.map((part, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
                  <LessonPart key={`intro-${i}`} part={part} theme={theme} run={run} running={running} />
                ))}
                {lesson.setup.length > 0 && (
                  <button type="button" className="start" onClick={() => void startLesson()} disabled={running}>
                    Start lesson <small>(runs: {lesson.setup.join('; ')})</small>
                  </button>
                )}
              </details>
              <ol className="lesson-steps">
                {lesson.steps.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: steps never reorder; titles may repeat
                  <li key={`${i}:${s.title}`}>
                    <button
                      type="button"
                      className={i === stepIndex ? 'current' : ''}
                      aria-current={i === stepIndex ? 'step' : undefined}
                      onClick={() => goTo(i)}
                    >
                      <span className="mark" aria-hidden="true">
                        {passed.has(i) ? '✓' : s.checks.length > 0 ? '○' : '·'}
                      </span>
                      {s.title}
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
          <LessonStepView
            step={step}
            index={stepIndex}
            total={lesson.steps.length}
            results={results}
            allPass={allPass}
            hints={hints}
            showSolution={solution}
            onHint={() => setHints((h) => Math.min(h + 1, step.hints.length))}
            onSolution={() => setSolution(true)}
            run={run}
            running={running}
            theme={theme}
            solutions={presenter ? (solutionsShown ? 'shown' : 'hidden') : 'ask'}
            recap={lesson.recap}
          />
          <nav className="lesson-nav" aria-label="Steps">
            <button type="button" onClick={() => goTo(null, -1)} disabled={stepIndex === 0}>
              ← Previous
            </button>
            <span>
              Step {stepIndex + 1} of {lesson.steps.length}
            </span>
            {!presenter && stepIndex > 0 && (
              <button
                type="button"
                onClick={() => void setUpStep(stepIndex)}
                disabled={running}
                title="Put the server where this step starts: the lesson's start, then the earlier steps' solutions"
                data-testid="step-set-up"
              >
                ↺ Set up this step
              </button>
            )}
            <button
              type="button"
              onClick={() => goTo(null, 1)}
              disabled={stepIndex === lesson.steps.length - 1}
              className={allPass && stepIndex < lesson.steps.length - 1 ? 'primary' : ''}
              data-testid="lesson-next"
            >
              Next →
            </button>
            {presenter && (
              <button type="button" onClick={() => setPresenter(false)} data-testid="presenter-off">
                Exit presenter
              </button>
            )}
          </nav>
        </div>
      )}
    </aside>
  );
}

function PasteBox({ onOpen }: { onOpen(text: string): void }) {
  const [text, setText] = useState('');
  return (
    <div className="lesson-paste">
      <label htmlFor="lesson-paste-text">Paste a lesson (Markdown with front matter)</label>
      <textarea id="lesson-paste-text" value={text} onChange={(e) => setText(e.target.value)} rows={8} />
      <button type="button" onClick={() => onOpen(text)} disabled={text.trim() === ''}>
        Open pasted lesson
      </button>
    </div>
  );
}
