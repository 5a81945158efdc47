// Transient UI state: the help overlay, the session being renamed, the lesson panel.

import type { SliceCreator } from './types';

export interface UiSlice {
  setHelpOpen(open: boolean): void;
  /** Start (id) or finish (null) renaming a session in its pane header. */
  setRenaming(id: number | null): void;
  setLessonsOpen(open: boolean): void;
  setQuizOpen(open: boolean): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  setHelpOpen(open) {
    set({ helpOpen: open });
  },
  setRenaming(id) {
    set({ renamingSession: id });
  },
  setLessonsOpen(open) {
    set({ lessonsOpen: open });
  },
  setQuizOpen(open) {
    set({ quizOpen: open });
  },
});
