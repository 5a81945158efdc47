// The instructor's lesson builder, inside the lesson panel: Record captures every line typed at any
// terminal prompt into the current step's ```redis block; each step gets a title and prose; "Check
// this state" turns the server's current state into the step's ```check; Export downloads the lesson
// file (validated: it must parse back to what is shown here). Model and tests: builder.ts.

import { useEffect, useMemo, useRef, useState } from 'react';
import { useRuntime } from '../runtime-context';
import { onTypedLine } from '../terminal/terminal-bridge';
import { browserLab } from './browser-lab';
import {
  type BuilderLesson,
  checkFromState,
  exportLesson,
  idOf,
  newBuilder,
  newStep,
  recordLine,
  updateStep,
} from './builder';
import './builder.css';

/** Kept in the browser while the instructor works (a reload keeps the draft). */
const DRAFT_KEY = 'redis-lab:lesson-builder';

function loadDraft(): BuilderLesson {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    if (raw) {
      const d = JSON.parse(raw) as Partial<BuilderLesson>;
      if (typeof d.title === 'string' && typeof d.id === 'string' && Array.isArray(d.steps) && d.steps.length > 0)
        return { ...newBuilder(), ...d, lastSession: null } as BuilderLesson;
    }
  } catch {
    // A broken draft starts a new one.
  }
  return newBuilder();
}

export function LessonBuilder({ onClose }: { onClose(): void }) {
  const runtime = useRuntime();
  const lab = useMemo(() => browserLab(runtime), [runtime]);
  const [model, setModel] = useState<BuilderLesson>(loadDraft);
  const [recording, setRecording] = useState(false);
  const [errors, setErrors] = useState<string[] | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(model));
    } catch {
      // The draft just won't survive a reload.
    }
  }, [model]);

  // The listener stays subscribed; a ref (set in the click itself) decides, so a line typed just
  // after "Stop" is never recorded.
  const recordingNow = useRef(false);
  const toggleRecording = () => {
    recordingNow.current = !recordingNow.current;
    setRecording(recordingNow.current);
  };
  useEffect(
    () =>
      onTypedLine(runtime, (session, line) => {
        if (recordingNow.current) setModel((m) => recordLine(m, session, line));
      }),
    [runtime],
  );

  const current = model.steps.length - 1;

  const checkState = async (index: number) => {
    setBusy(true);
    try {
      const check = await checkFromState(model.steps[index].lines, lab);
      setModel((m) => updateStep(m, index, { check }));
      setStatus(check === '' ? 'No keys touched by this step: nothing to check.' : `Step ${index + 1}: check written.`);
    } finally {
      setBusy(false);
    }
  };

  const exportFile = () => {
    const r = exportLesson(model);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors(null);
    const url = URL.createObjectURL(new Blob([r.text], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${model.id}.md`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setStatus(`Exported ${model.id}.md: open it with Open… to try it.`);
  };

  return (
    <section className="lesson-builder" aria-label="Lesson builder" data-testid="lesson-builder">
      <div className="builder-head">
        <label>
          Title{' '}
          <input
            value={model.title}
            onChange={(e) => setModel((m) => ({ ...m, title: e.target.value, id: idOf(e.target.value) }))}
            data-testid="builder-title"
          />
        </label>
        <span className="muted">
          file: <code>{model.id}.md</code>
        </span>
      </div>
      <div className="builder-actions">
        <button
          type="button"
          aria-pressed={recording}
          className={recording ? 'recording' : ''}
          onClick={toggleRecording}
          data-testid="builder-record"
        >
          {recording ? '■ Stop recording' : '● Record'}
        </button>
        <button
          type="button"
          onClick={() => setModel((m) => ({ ...m, steps: [...m.steps, newStep(m.steps.length + 1)] }))}
          data-testid="builder-add-step"
        >
          New step
        </button>
        <button type="button" className="primary" onClick={exportFile} data-testid="builder-export">
          Export .md
        </button>
        <button
          type="button"
          onClick={() => {
            setModel(newBuilder());
            setErrors(null);
          }}
        >
          Clear
        </button>
        <button type="button" onClick={onClose} data-testid="builder-close">
          Done
        </button>
      </div>
      <p className="muted" role="status" data-testid="builder-status">
        {recording ? `Recording: what you type in a terminal goes into step ${current + 1}. ` : ''}
        {status}
      </p>
      {errors && (
        <div className="lesson-errors" role="alert" data-testid="builder-errors">
          <strong>This lesson cannot be exported yet:</strong>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <ol className="builder-steps">
        {model.steps.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are only appended
          <li key={i} data-testid="builder-step" className={i === current && recording ? 'current' : ''}>
            <label>
              Step {i + 1} title
              <input
                value={s.title}
                onChange={(e) => setModel((m) => updateStep(m, i, { title: e.target.value }))}
                data-testid="builder-step-title"
              />
            </label>
            <label>
              Prose (Markdown)
              <textarea
                rows={3}
                value={s.prose}
                onChange={(e) => setModel((m) => updateStep(m, i, { prose: e.target.value }))}
                data-testid="builder-prose"
              />
            </label>
            <label>
              Commands (one a line)
              <textarea
                rows={Math.max(2, s.lines.length)}
                value={s.lines.join('\n')}
                onChange={(e) =>
                  setModel((m) =>
                    updateStep(m, i, { lines: e.target.value.split('\n').filter((l) => l.trim() !== '') }),
                  )
                }
                className="code"
                data-testid="builder-lines"
              />
            </label>
            <div className="builder-check-head">
              <span>Check</span>
              <button
                type="button"
                onClick={() => void checkState(i)}
                disabled={busy || s.lines.length === 0}
                data-testid="builder-check-state"
              >
                Check this state
              </button>
            </div>
            <textarea
              aria-label={`Step ${i + 1} check`}
              rows={Math.max(2, Math.min(12, s.check.split('\n').length))}
              value={s.check}
              onChange={(e) => setModel((m) => updateStep(m, i, { check: e.target.value }))}
              className="code"
              data-testid="builder-check"
            />
          </li>
        ))}
      </ol>
    </section>
  );
}
