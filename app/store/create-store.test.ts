import { describe, expect, it } from 'vitest';
import { SETTINGS_STORAGE_KEY, createLabStore } from './create-store';
import { FONT_SIZE_DEFAULT, FONT_SIZE_MAX } from './initial-state';
import { effectiveTheme } from './settings-slice';

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

describe('sessions', () => {
  it('opens sessions with fresh ids and focuses the new one', () => {
    const store = createLabStore();
    const id = store.getState().addSession();
    expect(id).toBe(2);
    expect(store.getState().activeSession).toBe(2);
    expect(store.getState().sessions.map((s) => s.name)).toEqual(['session 1', 'session 2']);
  });

  it('closing the focused session focuses its neighbour; closing the last opens a new one', () => {
    const store = createLabStore();
    const s = store.getState();
    s.addSession();
    s.addSession();
    s.focusSession(2);
    s.closeSession(2);
    expect(store.getState().sessions.map((x) => x.id)).toEqual([1, 3]);
    expect(store.getState().activeSession).toBe(3);
    s.closeSession(1);
    s.closeSession(3);
    expect(store.getState().sessions).toEqual([{ id: 4, name: 'session 4', status: 'ready' }]);
    expect(store.getState().activeSession).toBe(4);
  });

  it('renames (ignoring blank names) and cycles focus with wrap-around', () => {
    const store = createLabStore();
    const s = store.getState();
    s.addSession('publisher');
    s.renameSession(1, '  subscriber ');
    s.renameSession(2, '   ');
    expect(store.getState().sessions.map((x) => x.name)).toEqual(['subscriber', 'publisher']);
    s.cycleSession(1);
    expect(store.getState().activeSession).toBe(1);
    s.cycleSession(-1);
    expect(store.getState().activeSession).toBe(2);
  });
});

describe('settings', () => {
  it('follows the system theme until the user picks one', () => {
    const store = createLabStore({ systemDark: false });
    expect(effectiveTheme(store.getState())).toBe('light');
    store.getState().setSystemDark(true);
    expect(effectiveTheme(store.getState())).toBe('dark');
    store.getState().toggleTheme();
    expect(effectiveTheme(store.getState())).toBe('light');
    store.getState().setSystemDark(false);
    store.getState().setSystemDark(true);
    expect(effectiveTheme(store.getState())).toBe('light');
  });

  it('keeps the font size within bounds, and 0 resets it', () => {
    const store = createLabStore();
    store.getState().bumpFontSize(100);
    expect(store.getState().fontSize).toBe(FONT_SIZE_MAX);
    store.getState().bumpFontSize(0);
    expect(store.getState().fontSize).toBe(FONT_SIZE_DEFAULT);
  });

  it('saves theme and font size, and the next page starts with them', () => {
    const storage = new MemoryStorage();
    const a = createLabStore({ storage, systemDark: true });
    a.getState().toggleTheme();
    a.getState().bumpFontSize(5);
    expect(JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY) ?? '{}')).toEqual({
      theme: 'light',
      fontSize: FONT_SIZE_DEFAULT + 5,
    });
    const b = createLabStore({ storage, systemDark: true });
    expect(effectiveTheme(b.getState())).toBe('light');
    expect(b.getState().fontSize).toBe(FONT_SIZE_DEFAULT + 5);
  });

  it('ignores saved settings it cannot read', () => {
    const storage = new MemoryStorage();
    storage.setItem(SETTINGS_STORAGE_KEY, '{"theme":"purple","fontSize":"big"}');
    const store = createLabStore({ storage, systemDark: true });
    expect(store.getState().theme).toBeNull();
    expect(store.getState().fontSize).toBe(FONT_SIZE_DEFAULT);
  });
});
