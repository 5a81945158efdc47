// The lab's zustand store, built by a factory (one per page, fresh ones in tests): initial state,
// slices, and the saved settings (theme, font size) loaded from and written back to storage.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KeyValueStorage } from '../terminal/history';
import { createEngineSlice } from './engine-slice';
import { FONT_SIZE_DEFAULT, initialData, type LabData, type ThemeName } from './initial-state';
import { createSessionsSlice } from './sessions-slice';
import { createSettingsSlice } from './settings-slice';
import type { LabState } from './types';
import { createUiSlice } from './ui-slice';

export type LabStore = StoreApi<LabState>;

export const SETTINGS_STORAGE_KEY = 'redis-lab:settings';

interface SavedSettings {
  theme: ThemeName | null;
  fontSize: number;
}

function loadSettings(storage: KeyValueStorage | null): Partial<LabData> {
  try {
    const raw = storage?.getItem(SETTINGS_STORAGE_KEY);
    if (!raw) return {};
    const saved = JSON.parse(raw) as Partial<SavedSettings>;
    const out: { theme?: ThemeName | null; fontSize?: number } = {};
    if (saved.theme === 'dark' || saved.theme === 'light') out.theme = saved.theme;
    if (typeof saved.fontSize === 'number' && Number.isFinite(saved.fontSize)) out.fontSize = saved.fontSize;
    return out;
  } catch {
    return {};
  }
}

export interface LabStoreOptions {
  storage?: KeyValueStorage | null;
  systemDark?: boolean;
  initial?: Partial<LabData>;
}

export function createLabStore(opts: LabStoreOptions = {}): LabStore {
  const storage = opts.storage ?? null;
  const store = createStore<LabState>()((set, get) => ({
    ...initialData,
    fontSize: FONT_SIZE_DEFAULT,
    ...loadSettings(storage),
    systemDark: opts.systemDark ?? initialData.systemDark,
    ...opts.initial,
    ...createSessionsSlice(set, get),
    ...createSettingsSlice(set, get),
    ...createEngineSlice(set, get),
    ...createUiSlice(set, get),
  }));
  store.subscribe((s, prev) => {
    if (s.theme === prev.theme && s.fontSize === prev.fontSize) return;
    try {
      const saved: SavedSettings = { theme: s.theme, fontSize: s.fontSize };
      storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(saved));
    } catch {
      // Settings just won't survive a reload.
    }
  });
  return store;
}
