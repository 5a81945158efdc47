import { describe, expect, it } from 'vitest';
import { type KeyLike, SHORTCUTS, shortcutFor } from './shortcuts';

const key = (code: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  code,
  key: '',
  altKey: true,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcuts', () => {
  it('maps Alt+keys by physical key, so macOS Option characters do not matter', () => {
    expect(shortcutFor({ ...key('KeyN'), key: '˜' })).toEqual({ kind: 'new-session' });
    expect(shortcutFor(key('Digit3'))).toEqual({ kind: 'focus-session', index: 2 });
    expect(shortcutFor(key('Equal'))).toEqual({ kind: 'font-size', delta: 1 });
    expect(shortcutFor(key('BracketLeft'))).toEqual({ kind: 'cycle-session', delta: -1 });
    expect(shortcutFor({ ...key('KeyQ'), key: 'œ' })).toEqual({ kind: 'quiz' });
    expect(shortcutFor({ ...key('KeyS'), key: 'ß' })).toEqual({ kind: 'share' });
    expect(SHORTCUTS.find(([keys]) => keys === 'Alt+S')?.[1]).toMatch(/Share/);
  });

  it('leaves the line editor its keys: plain, Ctrl and Alt+B/F/D', () => {
    expect(shortcutFor(key('KeyN', { altKey: false }))).toBeNull();
    expect(shortcutFor(key('KeyR', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('KeyB'))).toBeNull();
    expect(shortcutFor(key('KeyF'))).toBeNull();
    expect(shortcutFor(key('KeyD'))).toBeNull();
  });

  it('lists Alt+V in the help and leaves the key to the panel dock, which toggles itself', () => {
    expect(SHORTCUTS.find(([keys]) => keys === 'Alt+V')?.[1]).toMatch(/panels/);
    expect(shortcutFor(key('KeyV'))).toBeNull();
  });

  it('opens help with F1', () => {
    expect(shortcutFor({ ...key('F1', { altKey: false }), key: 'F1' })).toEqual({ kind: 'help' });
  });
});
