// The instructor's strip in presenter mode: a timer for the session (start, pause, reset), the
// solutions shown to the class or hidden, and the step's state reset — the lesson stays in the
// middle in large type, and the arrow keys page through it.

import { useEffect, useState } from 'react';

export const formatClock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
};

interface Props {
  solutionsShown: boolean;
  onSolutions(shown: boolean): void;
  onResetStep(): void;
  running: boolean;
}

export function PresenterBar({ solutionsShown, onSolutions, onResetStep, running }: Props) {
  // The timer runs from when the presenter opens; elapsed time is kept while paused.
  const [since, setSince] = useState<number | null>(() => Date.now());
  const [kept, setKept] = useState(0);
  const [, tick] = useState(0);
  useEffect(() => {
    if (since === null) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [since]);
  const elapsed = kept + (since === null ? 0 : Date.now() - since);
  return (
    <div className="presenter-bar" role="toolbar" aria-label="Presenter">
      <span className="presenter-timer" data-testid="presenter-timer" aria-label="Time presenting" role="timer">
        {formatClock(elapsed)}
      </span>
      <button
        type="button"
        onClick={() => {
          if (since === null) setSince(Date.now());
          else {
            setKept(elapsed);
            setSince(null);
          }
        }}
        data-testid="timer-toggle"
      >
        {since === null ? 'Resume timer' : 'Pause timer'}
      </button>
      <button
        type="button"
        onClick={() => {
          setKept(0);
          setSince(since === null ? null : Date.now());
        }}
        data-testid="timer-reset"
      >
        Reset timer
      </button>
      <button
        type="button"
        aria-pressed={solutionsShown}
        onClick={() => onSolutions(!solutionsShown)}
        data-testid="solutions-toggle"
        title="Show the class the exercises' solutions, or keep them hidden"
      >
        {solutionsShown ? 'Hide solutions' : 'Show solutions'}
      </button>
      <button
        type="button"
        onClick={onResetStep}
        disabled={running}
        data-testid="presenter-reset-step"
        title="Put the server where this step starts"
      >
        ↺ Reset step
      </button>
    </div>
  );
}
