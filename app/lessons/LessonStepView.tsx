// One lesson step: its prose (safe Markdown), runnable ```redis blocks with a Run button, diagrams,
// callouts, the live status of its checks, and the hint / solution reveal.

import { lazy, Suspense } from 'react';
import type { ThemeName } from '../store/initial-state';
import type { CheckResult } from './checks';
import { renderMarkdown } from './markdown';
import { MermaidDiagram } from './MermaidDiagram';
import { type LessonPart as Part, type LessonStep, runnableLines } from './parse';

type Run = (lines: readonly string[]) => Promise<void>;

/** The scenario widgets (app/scenarios), loaded with the first step that embeds one. */
const ScenarioWidget = lazy(() => import('../scenarios/ScenarioWidget'));

/** Markdown already made safe by renderMarkdown (micromark, raw HTML escaped). */
function Markdown({ text, className }: { text: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown never passes HTML through (markdown.test.ts)
  return <div className={className ?? 'md'} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

function RedisBlock({
  lines,
  run,
  running,
  label,
}: {
  lines: readonly string[];
  run: Run;
  running: boolean;
  label?: string;
}) {
  const runnable = runnableLines(lines);
  return (
    <div className="redis-block">
      <pre>
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines never reorder
          <div key={i} className={l.trim().startsWith('#') ? 'comment' : l.trim().startsWith(':') ? 'lab' : ''}>
            {l || ' '}
          </div>
        ))}
      </pre>
      {runnable.length > 0 && (
        <button
          type="button"
          className="run"
          onClick={() => void run(runnable)}
          disabled={running}
          title="Type these lines into the active terminal"
          data-testid="run-block"
        >
          ▶ {label ?? 'Run'}
        </button>
      )}
    </div>
  );
}

export function LessonPart({
  part,
  theme,
  run,
  running,
}: {
  part: Part;
  theme: ThemeName;
  run: Run;
  running: boolean;
}) {
  switch (part.kind) {
    case 'markdown':
      return <Markdown text={part.text} />;
    case 'redis':
      return <RedisBlock lines={part.lines} run={run} running={running} />;
    case 'mermaid':
      return <MermaidDiagram source={part.source} theme={theme} />;
    case 'callout':
      return (
        <aside className={`callout callout-${part.callout}`}>
          <strong className="callout-title">{part.callout}</strong>
          <Markdown text={part.text} />
        </aside>
      );
    case 'scenario':
      return (
        <Suspense fallback={<div className="scenario">Loading the {part.name} scenario…</div>}>
          <ScenarioWidget key={part.name} name={part.name} />
        </Suspense>
      );
    case 'code':
      return (
        <pre className="code">
          <code>{part.text}</code>
        </pre>
      );
  }
}

interface StepProps {
  step: LessonStep;
  index: number;
  total: number;
  results: CheckResult[] | null;
  allPass: boolean;
  hints: number;
  showSolution: boolean;
  onHint(): void;
  onSolution(): void;
  run: Run;
  running: boolean;
  theme: ThemeName;
  /** Exercises' solutions: revealed on request (default), or, presenting, kept hidden or shown. */
  solutions?: 'ask' | 'hidden' | 'shown';
  /** The lesson's recap (Markdown, quiz links), shown under its last step. */
  recap?: string;
}

export function LessonStepView(p: StepProps) {
  const { step } = p;
  const solutions = p.solutions ?? 'ask';
  const showSolution = solutions === 'shown' || (solutions === 'ask' && p.showSolution);
  return (
    <section className="lesson-step" aria-labelledby="lesson-step-title" data-testid="lesson-step">
      <h2 id="lesson-step-title">
        <span className="step-number">{p.index + 1}.</span> {step.title}
      </h2>
      {step.parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
        <LessonPart key={i} part={part} theme={p.theme} run={p.run} running={p.running} />
      ))}
      {step.checks.length > 0 && (
        <div className={`lesson-checks${p.allPass ? ' pass' : ''}`} data-testid="lesson-checks" aria-live="polite">
          <h3>{p.allPass ? '✓ Step complete' : 'To pass this step'}</h3>
          <ul>
            {step.checks.map((c, i) => {
              const r = p.results?.[i];
              const state = r === undefined ? 'pending' : r.pass ? 'pass' : 'fail';
              return (
                <li key={`${c.line}:${c.command}`} className={`check ${state}`} data-testid="check" data-state={state}>
                  <span className="mark" aria-hidden="true">
                    {state === 'pass' ? '✓' : state === 'fail' ? '✗' : '…'}
                  </span>
                  <span className="visually-hidden">
                    {state === 'pass' ? 'passes: ' : state === 'fail' ? 'fails: ' : 'checking: '}
                  </span>
                  <code>{c.command}</code>
                  <span className="arrow"> → </span>
                  <code className="expected">{c.expected.join('\n')}</code>
                  {r && !r.pass && (
                    <div className="actual">
                      now: <code>{r.actual.trimEnd() || '(nothing)'}</code>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {(step.hints.length > 0 || (step.exercise && solutions !== 'hidden')) && (
        <div className="lesson-help">
          {step.hints.slice(0, p.hints).map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: hints never reorder
            <Markdown key={i} text={h} className="md hint" />
          ))}
          {p.hints < step.hints.length && (
            <button type="button" onClick={p.onHint} data-testid="show-hint">
              {p.hints === 0 ? 'Show a hint' : 'Another hint'}
            </button>
          )}
          {step.exercise &&
            solutions !== 'hidden' &&
            (showSolution ? (
              <RedisBlock lines={step.solution} run={p.run} running={p.running} label="Run solution" />
            ) : (
              <button type="button" onClick={p.onSolution} data-testid="show-solution">
                Show the solution
              </button>
            ))}
        </div>
      )}
      {p.index === p.total - 1 && p.allPass && <p className="lesson-done">Lesson complete — well done.</p>}
      {p.index === p.total - 1 && p.recap && (
        <aside className="lesson-recap" aria-label="Recap" data-testid="lesson-recap">
          <h3>Recap</h3>
          <Markdown text={p.recap} />
        </aside>
      )}
    </section>
  );
}
