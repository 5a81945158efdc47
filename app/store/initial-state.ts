// The lab's initial state, in one place (xyflow style): what a fresh page starts from before the
// saved settings are applied.

import type { SessionStatus } from '../terminal/cli-session';

export type ThemeName = 'dark' | 'light';

export interface SessionInfo {
  readonly id: number;
  readonly name: string;
  readonly status: SessionStatus;
}

export interface LabData {
  readonly sessions: readonly SessionInfo[];
  readonly activeSession: number;
  readonly nextSessionId: number;
  /** null: follow the system's prefers-color-scheme. */
  readonly theme: ThemeName | null;
  readonly systemDark: boolean;
  readonly fontSize: number;
  readonly engine: 'starting' | 'ready' | 'failed';
  readonly engineError: string | null;
  /** The worker is inside a long command (DEBUG SLEEP, KEYS over a million keys). */
  readonly busy: boolean;
  /** The engine has not answered for this long (ms): the notice offers to wait or restart it. */
  readonly engineStuck: number | null;
  readonly helpOpen: boolean;
  readonly renamingSession: number | null;
  /** The lesson panel beside the terminals (app/lessons/, loaded when first opened). */
  readonly lessonsOpen: boolean;
  /** The quiz panel (app/quiz/, loaded when first opened). */
  readonly quizOpen: boolean;
}

export const FONT_SIZE_DEFAULT = 15;
export const FONT_SIZE_MIN = 10;
export const FONT_SIZE_MAX = 40;

export const initialData: LabData = {
  sessions: [{ id: 1, name: 'session 1', status: 'ready' }],
  activeSession: 1,
  nextSessionId: 2,
  theme: null,
  systemDark: true,
  fontSize: FONT_SIZE_DEFAULT,
  engine: 'starting',
  engineError: null,
  busy: false,
  engineStuck: null,
  helpOpen: false,
  renamingSession: null,
  lessonsOpen: false,
  quizOpen: false,
};
