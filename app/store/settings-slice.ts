// Display settings: theme (dark / light / follow the system) and font size, for projector use.
// Saved to localStorage by the store factory.

import { FONT_SIZE_DEFAULT, FONT_SIZE_MAX, FONT_SIZE_MIN, type ThemeName } from './initial-state';
import type { SliceCreator } from './types';

export interface SettingsSlice {
  /** Switch to the other theme than the one shown (this pins the choice). */
  toggleTheme(): void;
  setSystemDark(dark: boolean): void;
  setFontSize(size: number): void;
  /** Grow or shrink the font by `delta` px; 0 resets it. */
  bumpFontSize(delta: number): void;
}

export const effectiveTheme = (s: { theme: ThemeName | null; systemDark: boolean }): ThemeName =>
  s.theme ?? (s.systemDark ? 'dark' : 'light');

const clampFont = (n: number) => Math.min(FONT_SIZE_MAX, Math.max(FONT_SIZE_MIN, Math.round(n)));

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  toggleTheme() {
    set({ theme: effectiveTheme(get()) === 'dark' ? 'light' : 'dark' });
  },
  setSystemDark(dark) {
    set({ systemDark: dark });
  },
  setFontSize(size) {
    set({ fontSize: clampFont(size) });
  },
  bumpFontSize(delta) {
    set({ fontSize: delta === 0 ? FONT_SIZE_DEFAULT : clampFont(get().fontSize + delta) });
  },
});
