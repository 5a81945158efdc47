// window.__lab: the small hook the end-to-end tests use to read a terminal's text, type a line and
// wait for its answer, and read engine state. Installed with the terminals.

import type { EngineSummary, InspectQuery, InspectResult } from '../engine/worker/protocol';
import type { LabRuntime } from './runtime';
import type { SessionRegistry } from './terminal/session-registry';

export interface LabTestHook {
  /** Resolves when the engine answered and the active session shows its prompt. */
  ready(): Promise<void>;
  sessions(): number[];
  active(): number;
  /** A session's terminal text (the active one by default). */
  text(session?: number): string;
  /**
   * Terminal size and where its cursor is: cursorY on the screen, baseY = rows scrolled off the
   * top, viewportY = the first row shown (below baseY while the user scrolls back).
   */
  geometry(session?: number): { cols: number; rows: number; cursorY: number; baseY: number; viewportY: number };
  /** Type a line + Enter into a session and wait until it is back at its prompt. */
  send(line: string, session?: number): Promise<void>;
  /** Resolves when the session runs no command and has nothing queued. */
  idle(session?: number): Promise<void>;
  /** The line being edited in a session. */
  line(session?: number): string;
  /** Type raw terminal input (keys as xterm sends them), without waiting. */
  type(data: string, session?: number): void;
  summary(): Promise<EngineSummary>;
  /** The engine's inspect API, as the panels query it (e2e compares panel DOM with it). */
  inspect(query: InspectQuery): Promise<InspectResult>;
  /** Run commands in one message through a session's connection (bulk loading). */
  pipeline(commands: string[][], session?: number): Promise<number>;
  busy(): boolean;
  /**
   * Whether the page shares memory with the engine worker (cross-origin isolated) and how many
   * replies were taken synchronously from it (EngineClient.replyWindow).
   */
  replyPath(): { shared: boolean; syncReplies: number };
  /** End the engine worker silently (no error event), as the browser does when it runs out of memory. */
  terminateWorker(): void;
  /** Cap the bytes the engine's browser storage may hold (the quota e2e case); null lifts the cap. */
  storageLimit(bytes: number | null): Promise<void>;
}

declare global {
  interface Window {
    __lab?: LabTestHook;
  }
}

export function installTestHook(runtime: LabRuntime, registry: SessionRegistry): void {
  const { store, client } = runtime;
  const pick = (session?: number) => session ?? store.getState().activeSession;
  const handle = (session?: number) => registry.get(pick(session));
  window.__lab = {
    async ready() {
      await runtime.ready;
      await handle().started;
      // One more frame: the panes have mounted, fitted and focused.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      await handle().session.idle();
    },
    sessions: () => store.getState().sessions.map((s) => s.id),
    active: () => store.getState().activeSession,
    text: (session) => handle(session).text(),
    geometry: (session) => handle(session).geometry(),
    async send(line, session) {
      const h = handle(session);
      h.type(`${line}\r`);
      // Let the line reach the session before asking whether it is idle.
      await new Promise((r) => setTimeout(r, 0));
      await h.session.idle();
    },
    async idle(session) {
      await new Promise((r) => setTimeout(r, 0));
      await handle(session).session.idle();
    },
    line: (session) => handle(session).session.line,
    type: (data, session) => handle(session).type(data),
    async summary() {
      const r = await client.inspect({ kind: 'summary' });
      if (r.kind !== 'summary') throw new Error('unexpected inspect answer');
      return r.summary;
    },
    inspect: (query) => client.inspect(query),
    async pipeline(commands, session) {
      return (await client.pipeline(pick(session), commands)).count;
    },
    busy: () => client.busy,
    replyPath: () => ({ shared: client.sharesMemory, syncReplies: client.syncReplies }),
    terminateWorker: () => runtime.terminateWorkerSilently(),
    storageLimit: (bytes) => client.storageLimit(bytes),
  };
}
