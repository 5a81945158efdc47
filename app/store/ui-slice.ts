// Transient UI state: the help overlay and the session being renamed.

import type { SliceCreator } from './types';

export interface UiSlice {
  setHelpOpen(open: boolean): void;
  /** Start (id) or finish (null) renaming a session in its pane header. */
  setRenaming(id: number | null): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  setHelpOpen(open) {
    set({ helpOpen: open });
  },
  setRenaming(id) {
    set({ renamingSession: id });
  },
});
