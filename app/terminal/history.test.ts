import { describe, expect, it } from 'vitest';
import { HISTORY_STORAGE_KEY, HistoryFile, addToHistory, isSensitiveCommand } from './history';

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

describe('history', () => {
  it('skips a line equal to the previous one, keeps at most 100', () => {
    let h: readonly string[] = [];
    h = addToHistory(h, 'GET a');
    h = addToHistory(h, 'GET a');
    h = addToHistory(h, 'GET b');
    h = addToHistory(h, 'GET a');
    expect(h).toEqual(['GET a', 'GET b', 'GET a']);
    for (let i = 0; i < 150; i++) h = addToHistory(h, `INCR ${i}`);
    expect(h.length).toBe(100);
    expect(h[0]).toBe('INCR 50');
    expect(h[99]).toBe('INCR 149');
  });

  it('never stores commands carrying passwords, as redis-cli', () => {
    expect(isSensitiveCommand(['auth', 'pw'])).toBe(true);
    expect(isSensitiveCommand(['ACL', 'SETUSER', 'bob', '>pw'])).toBe(true);
    expect(isSensitiveCommand(['config', 'set', 'requirepass', 'x'])).toBe(true);
    expect(isSensitiveCommand(['CONFIG', 'SET', 'maxmemory', '1mb'])).toBe(false);
    expect(isSensitiveCommand(['HELLO', '3', 'AUTH', 'default', 'pw'])).toBe(true);
    expect(isSensitiveCommand(['HELLO', '3', 'SETNAME', 'x', 'AUTH', 'u', 'p'])).toBe(true);
    expect(isSensitiveCommand(['HELLO', '3', 'SETNAME', 'x'])).toBe(false);
    expect(isSensitiveCommand(['MIGRATE', 'h', '1', 'k', '0', '5', 'AUTH', 'pw'])).toBe(true);
    expect(isSensitiveCommand(['MIGRATE', 'h', '1', '', '0', '5', 'KEYS', 'a', 'AUTH'])).toBe(false);
    expect(isSensitiveCommand(['GET', 'auth'])).toBe(false);
  });

  it('is saved in storage and loaded by the next page', () => {
    const storage = new MemoryStorage();
    const a = new HistoryFile(storage);
    a.add('SET k v');
    a.add('GET k');
    const b = new HistoryFile(storage);
    expect(b.all).toEqual(['SET k v', 'GET k']);
  });

  it('starts empty from a corrupt or foreign entry', () => {
    const storage = new MemoryStorage();
    storage.setItem(HISTORY_STORAGE_KEY, '{nope');
    expect(new HistoryFile(storage).all).toEqual([]);
    storage.setItem(HISTORY_STORAGE_KEY, JSON.stringify(['GET a', 3, null, 'GET b']));
    expect(new HistoryFile(storage).all).toEqual(['GET a', 'GET b']);
  });
});
