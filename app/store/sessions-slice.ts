// Terminal sessions: open, close, rename, focus. Each session is one engine client; the terminals
// themselves live outside the store (terminal/session-registry.ts) so scrollback survives renders.

import type { SessionStatus } from '../terminal/cli-session';
import type { LabData, SessionInfo } from './initial-state';
import type { SliceCreator } from './types';

export interface SessionsSlice {
  /** Open a session and focus it; returns its id. */
  addSession(name?: string): number;
  /** Close a session; closing the last one opens a fresh one, so there is always a terminal. */
  closeSession(id: number): void;
  renameSession(id: number, name: string): void;
  focusSession(id: number): void;
  /** Focus the session `delta` places after the active one (wrapping). */
  cycleSession(delta: number): void;
  setSessionStatus(id: number, status: SessionStatus): void;
}

export const createSessionsSlice: SliceCreator<SessionsSlice> = (set, get) => ({
  addSession(name) {
    const id = get().nextSessionId;
    const session: SessionInfo = { id, name: name?.trim() || `session ${id}`, status: 'ready' };
    set((s) => ({ sessions: [...s.sessions, session], activeSession: id, nextSessionId: id + 1 }));
    return id;
  },
  closeSession(id) {
    const s = get();
    const index = s.sessions.findIndex((x) => x.id === id);
    if (index < 0) return;
    const rest = s.sessions.filter((x) => x.id !== id);
    if (rest.length === 0) {
      const fresh = s.nextSessionId;
      set({
        sessions: [{ id: fresh, name: `session ${fresh}`, status: 'ready' }],
        activeSession: fresh,
        nextSessionId: fresh + 1,
      });
      return;
    }
    const active = s.activeSession === id ? rest[Math.min(index, rest.length - 1)].id : s.activeSession;
    set({ sessions: rest, activeSession: active });
  },
  renameSession(id, name) {
    const trimmed = name.trim();
    if (trimmed === '') return;
    set((s) => ({ sessions: s.sessions.map((x) => (x.id === id ? { ...x, name: trimmed } : x)) }));
  },
  focusSession(id) {
    if (get().sessions.some((x) => x.id === id)) set({ activeSession: id });
  },
  cycleSession(delta) {
    const { sessions, activeSession } = get();
    const i = sessions.findIndex((x) => x.id === activeSession);
    const next = sessions[(i + delta + sessions.length) % sessions.length];
    if (next) set({ activeSession: next.id });
  },
  setSessionStatus(id, status) {
    // Unchanged: no new sessions array, so nothing re-renders (this runs around every command).
    if (!get().sessions.some((x) => x.id === id && x.status !== status)) return;
    set((s: LabData) => ({
      sessions: s.sessions.map((x) => (x.id === id && x.status !== status ? { ...x, status } : x)),
    }));
  },
});
