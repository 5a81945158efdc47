// The toolbar: new session, text size, theme, the engine clock, help, and the engine's state (busy
// while the worker is inside a long command — the page itself stays responsive).

import { useRuntime } from '../runtime-context';
import { SHARE_EVENT } from '../shortcuts';
import { effectiveTheme } from '../store/settings-slice';
import { useLab } from '../store/useLab';
import { ClockControl } from './ClockControl';
import { StorageBadge } from './StorageBadge';

export function Toolbar() {
  const { store } = useRuntime();
  const theme = useLab(effectiveTheme);
  const fontSize = useLab((s) => s.fontSize);
  const engine = useLab((s) => s.engine);
  const engineError = useLab((s) => s.engineError);
  const busy = useLab((s) => s.busy);
  const lessonsOpen = useLab((s) => s.lessonsOpen);
  const quizOpen = useLab((s) => s.quizOpen);
  const act = store.getState;

  return (
    <header className="toolbar">
      <h1 className="brand">
        Redis <span>Lab</span>
      </h1>
      <button type="button" onClick={() => act().addSession()} title="New terminal session (Alt+N)">
        + Session
      </button>
      <fieldset className="group">
        <legend className="visually-hidden">Text size</legend>
        <button
          type="button"
          onClick={() => act().bumpFontSize(-1)}
          title="Smaller text (Alt+-)"
          aria-label="A− smaller text"
        >
          A−
        </button>
        <span className="font-size" aria-live="polite">
          {fontSize}px
        </span>
        <button
          type="button"
          onClick={() => act().bumpFontSize(1)}
          title="Larger text (Alt+=)"
          aria-label="A+ larger text"
        >
          A+
        </button>
      </fieldset>
      <button
        type="button"
        onClick={() => act().toggleTheme()}
        title="Dark / light theme (Alt+T)"
        aria-label={`${theme === 'dark' ? 'Dark' : 'Light'} theme: switch to ${theme === 'dark' ? 'light' : 'dark'}`}
        data-testid="theme-toggle"
      >
        {theme === 'dark' ? '☾ Dark' : '☀ Light'}
      </button>
      <button
        type="button"
        onClick={() => act().setLessonsOpen(!lessonsOpen)}
        aria-pressed={lessonsOpen}
        title="Guided lessons (Alt+L)"
        data-testid="lessons-toggle"
      >
        Lessons
      </button>
      <button
        type="button"
        onClick={() => act().setQuizOpen(!quizOpen)}
        aria-pressed={quizOpen}
        title="Quiz: choosing the right data type"
        data-testid="quiz-toggle"
      >
        Quiz
      </button>
      <ClockControl />
      <button
        type="button"
        onClick={() => window.dispatchEvent(new CustomEvent(SHARE_EVENT))}
        title="Share a link to this lab's state (Alt+S)"
        data-testid="share-button"
      >
        Share
      </button>
      <button type="button" onClick={() => act().setHelpOpen(true)} title="Keyboard shortcuts (F1)" aria-label="Help">
        ?
      </button>
      <div className="engine-status" role="status" aria-live="polite" data-testid="engine-status">
        <StorageBadge />
        {engine === 'starting' && <span className="pill">starting engine…</span>}
        {engine === 'failed' && <span className="pill error">engine failed: {engineError}</span>}
        {engine === 'ready' && busy && (
          <span className="pill busy" data-testid="busy">
            <span className="spinner" aria-hidden="true" /> engine busy
          </span>
        )}
        {engine === 'ready' && !busy && <span className="pill ok">engine ready</span>}
      </div>
    </header>
  );
}
