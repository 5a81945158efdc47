// The lab's shell: toolbar, the split view of terminal sessions, the help overlay, the theme and
// the keyboard shortcuts. Terminals and the overlay load lazily.

import { lazy, Suspense, useEffect } from 'react';
import { useRuntime } from './runtime-context';
import { LESSON_EVENT, type ShortcutAction, shortcutFor } from './shortcuts';
import type { LabStore } from './store/create-store';
import { effectiveTheme } from './store/settings-slice';
import { useLab } from './store/useLab';
import { Toolbar } from './ui/Toolbar';

const TerminalGrid = lazy(() => import('./terminal/TerminalGrid'));
const HelpOverlay = lazy(() => import('./ui/HelpOverlay'));
// Lessons (Markdown renderer, lesson files; mermaid later still) load only when the panel opens.
const LessonPanel = lazy(() => import('./lessons/LessonPanel'));
const PanelDock = lazy(() => import('./panels/PanelDock'));
// The quiz (question bank, its parser) loads only when opened.
const QuizPanel = lazy(() => import('./quiz/QuizPanel'));

export function runShortcut(store: LabStore, action: ShortcutAction): void {
  const s = store.getState();
  switch (action.kind) {
    case 'new-session':
      s.addSession();
      return;
    case 'close-session':
      s.closeSession(s.activeSession);
      return;
    case 'rename-session':
      s.setRenaming(s.activeSession);
      return;
    case 'cycle-session':
      s.cycleSession(action.delta);
      return;
    case 'focus-session': {
      const target = s.sessions[action.index];
      if (target) s.focusSession(target.id);
      return;
    }
    case 'font-size':
      s.bumpFontSize(action.delta);
      return;
    case 'toggle-theme':
      s.toggleTheme();
      return;
    case 'help':
      s.setHelpOpen(!s.helpOpen);
      return;
    case 'lessons':
      s.setLessonsOpen(!s.lessonsOpen);
      return;
    case 'lesson-step':
    case 'presenter':
      // The lesson panel (a lazy chunk) listens; opening it first if needed.
      s.setLessonsOpen(true);
      window.dispatchEvent(new CustomEvent(LESSON_EVENT, { detail: action }));
      return;
  }
}

export function App() {
  const { store } = useRuntime();
  const theme = useLab(effectiveTheme);
  const helpOpen = useLab((s) => s.helpOpen);
  const lessonsOpen = useLab((s) => s.lessonsOpen);
  const quizOpen = useLab((s) => s.quizOpen);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    if (new URLSearchParams(location.search).has('lesson')) store.getState().setLessonsOpen(true);
  }, [store]);

  useEffect(() => {
    const media = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => store.getState().setSystemDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [store]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      runShortcut(store, action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store]);

  return (
    <div className="app">
      <Toolbar />
      <div className="lab-body">
        <main className="workspace" aria-label="Terminal sessions">
          <Suspense fallback={<div className="loading">Starting the terminal…</div>}>
            <TerminalGrid />
          </Suspense>
        </main>
        <Suspense fallback={null}>
          <PanelDock />
        </Suspense>
        {lessonsOpen && (
          <Suspense fallback={<aside className="lesson-panel loading">Loading lessons…</aside>}>
            <LessonPanel />
          </Suspense>
        )}
        {quizOpen && (
          <Suspense fallback={<aside className="quiz-panel loading">Loading the quiz…</aside>}>
            <QuizPanel />
          </Suspense>
        )}
      </div>
      {helpOpen && (
        <Suspense fallback={null}>
          <HelpOverlay />
        </Suspense>
      )}
    </div>
  );
}
