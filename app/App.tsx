// The lab's shell: toolbar, the split view of terminal sessions, the help overlay, the theme and
// the keyboard shortcuts. Terminals and the overlay load lazily.

import { lazy, Suspense, useEffect, useState } from 'react';
import { terminalReady } from './pwa/ready';
import { useRuntime } from './runtime-context';
import type { ShareMode } from './share/ShareDialog';
import { LESSON_EVENT, SHARE_EVENT, type ShortcutAction, shortcutFor } from './shortcuts';
import type { LabStore } from './store/create-store';
import { effectiveTheme } from './store/settings-slice';
import { useLab } from './store/useLab';
import { EngineNotice } from './ui/EngineNotice';
import { Toolbar } from './ui/Toolbar';

const TerminalGrid = lazy(() => import('./terminal/TerminalGrid'));
const HelpOverlay = lazy(() => import('./ui/HelpOverlay'));
// Lessons (Markdown renderer, lesson files; mermaid later still) load only when the panel opens.
const LessonPanel = lazy(() => import('./lessons/LessonPanel'));
const PanelDock = lazy(() => import('./panels/PanelDock'));
// The quiz (question bank, its parser) loads only when opened.
const QuizPanel = lazy(() => import('./quiz/QuizPanel'));
// Share links: the dialog (codec, snapshot) loads on Share or when the page opens a #share= link.
const ShareDialog = lazy(() => import('./share/ShareDialog'));

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
      if (!target) return;
      if (target.id === s.activeSession) {
        // Already the active one (focus is in a panel, say the quiz): put the keyboard back in it.
        document.querySelector<HTMLElement>(`[data-session="${target.id}"] textarea`)?.focus();
      } else s.focusSession(target.id);
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
    case 'quiz': {
      // Open the quiz; when it is open but the focus is elsewhere (a terminal), go back to it.
      const panel = document.querySelector<HTMLElement>('[data-testid="quiz-panel"]');
      if (s.quizOpen && panel && !panel.contains(document.activeElement)) panel.focus();
      else s.setQuizOpen(!s.quizOpen);
      return;
    }
    case 'share':
      window.dispatchEvent(new CustomEvent(SHARE_EVENT));
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
  // A #share= link opens the confirmation at once; Share (toolbar, Alt+S) the link maker.
  const [share, setShare] = useState<ShareMode | null>(() => (location.hash.startsWith('#share=') ? 'open' : null));

  // The panels' chunk loads once the terminal is ready (it is not needed to type the first command).
  const [afterStart, setAfterStart] = useState(false);
  useEffect(() => {
    void terminalReady.then(() => setAfterStart(true));
  }, []);

  useEffect(() => {
    const onShare = () => setShare((m) => m ?? 'create');
    const onHash = () => {
      if (location.hash.startsWith('#share=')) setShare('open');
    };
    window.addEventListener(SHARE_EVENT, onShare);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener(SHARE_EVENT, onShare);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    if (new URLSearchParams(location.search).has('lesson')) store.getState().setLessonsOpen(true);
    // ?quiz=<topic>: a classroom link straight into a quiz (the panel reads the rest).
    if (new URLSearchParams(location.search).has('quiz')) store.getState().setQuizOpen(true);
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
      <EngineNotice />
      <div className="lab-body">
        <main className="workspace" aria-label="Terminal sessions">
          <Suspense fallback={<div className="loading">Starting the terminal…</div>}>
            <TerminalGrid />
          </Suspense>
        </main>
        {afterStart && (
          <Suspense fallback={null}>
            <PanelDock />
          </Suspense>
        )}
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
      {share && (
        <Suspense fallback={null}>
          <ShareDialog key={share} mode={share} onClose={() => setShare(null)} />
        </Suspense>
      )}
    </div>
  );
}
