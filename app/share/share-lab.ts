// What a share link reads from and writes to the running lab: the keyspace as dump.rdb (SAVE through
// a hidden engine session, then the worker's file API; loading copies the file back and restarts the
// server on it), the engine clock's offset and the lesson panel's progress.

import type { Reply } from '../../engine/protocol/reply';
import { loadProgress, saveProgress, withStep } from '../lessons/progress';
import type { LabRuntime } from '../runtime';
import { terminalBridge } from '../terminal/terminal-bridge';
import type { ShareState } from './share-codec';
import { type SnapshotInfo, shiftExpiries } from './share-rdb';

/** The hidden client's session number (the lesson checks use 1_000_000). */
export const SHARE_SESSION = 1_000_001;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const opened = new WeakMap<LabRuntime, Promise<unknown>>();

async function run(runtime: LabRuntime, commands: readonly (readonly string[])[]): Promise<readonly (Reply | null)[]> {
  let o = opened.get(runtime);
  if (!o) {
    o = runtime.client.open(SHARE_SESSION, { push: () => {}, closed: () => {} }, { name: 'share', output: 'reply' });
    opened.set(runtime, o);
  }
  await o;
  const r = await runtime.client.pipeline(SHARE_SESSION, commands, true);
  if (r.replies === null) {
    opened.delete(runtime);
    throw new Error('the share client was disconnected');
  }
  return r.replies;
}

const bulkOf = (r: Reply | null | undefined): string | null => (r?.t === 'bulk' ? r.v : null);

/** CONFIG GET name → its value (null when the reply is not a pair). */
async function configGet(runtime: LabRuntime, name: string): Promise<string | null> {
  const [r] = await run(runtime, [['CONFIG', 'GET', name]]);
  return r?.t === 'array' && r.v?.length === 2 ? bulkOf(r.v[1]) : null;
}

/**
 * The keyspace as the server's own dump.rdb: SAVE, then read the file (as `redis-cli --rdb` or a
 * copy of the file would). Returns the file and the engine's time when it was saved.
 */
export async function snapshotRdb(runtime: LabRuntime): Promise<{ rdb: Uint8Array; savedAt: number }> {
  const [saved] = await run(runtime, [['SAVE']]);
  if (saved?.t === 'error') throw new Error(`SAVE failed: ${saved.v}`);
  const savedAt = (await runtime.client.clockControl('get')).now;
  const file = (await configGet(runtime, 'dbfilename')) ?? 'dump.rdb';
  const rdb = await runtime.client.readFile(file);
  if (rdb === null) throw new Error(`SAVE wrote no ${file}`);
  return { rdb, savedAt };
}

/** The lab's state worth sharing besides the keys: the open lesson and the clock's offset. */
export async function labContext(runtime: LabRuntime): Promise<Pick<ShareState, 'lesson' | 'clockOffsetMs'>> {
  const clock = await runtime.client.clockControl('get');
  const offset = clock.now - Date.now();
  let lesson: ShareState['lesson'] = null;
  if (runtime.store.getState().lessonsOpen) {
    const p = loadProgress(storage());
    if (p.current !== null) lesson = { id: p.current, step: p.lessons[p.current]?.step ?? 0 };
  }
  // Under a second is the worker's own start-up skew, not an :advance.
  return { lesson, clockOffsetMs: offset > 1000 ? offset : 0 };
}

export interface ApplyResult {
  /** Keys the server loaded from the snapshot (null: the link had none, the keyspace was flushed). */
  readonly keysLoaded: number | null;
  /** Why the server could not load it, or null. */
  readonly problem: string | null;
}

/**
 * Load a shared state into this lab: the clock first, then the snapshot — copied over dump.rdb with
 * its expiry times moved to the engine's present, and the server restarted on it (killed, so that no
 * shutdown save writes over the file; the AOF is switched off around it, or the server would load the
 * AOF instead) — or FLUSHALL when the link has none; then the lesson, and last the commands, typed
 * into the terminal so that they show and run as if typed.
 */
export async function applyShare(
  runtime: LabRuntime,
  state: ShareState,
  info: SnapshotInfo | null,
): Promise<ApplyResult> {
  if (state.clockOffsetMs > 0) {
    const clock = await runtime.client.clockControl('get');
    const ahead = clock.now - Date.now();
    if (state.clockOffsetMs > ahead) await runtime.client.advanceClock(Math.round(state.clockOffsetMs - ahead));
  }
  let result: ApplyResult = { keysLoaded: null, problem: null };
  if (state.rdb && info) {
    const aof = (await configGet(runtime, 'appendonly')) === 'yes';
    if (aof) await run(runtime, [['CONFIG', 'SET', 'appendonly', 'no']]);
    const file = (await configGet(runtime, 'dbfilename')) ?? 'dump.rdb';
    const now = (await runtime.client.clockControl('get')).now;
    await runtime.client.writeFile(file, shiftExpiries(state.rdb, info, now - state.savedAt));
    const report = await runtime.client.restart('kill');
    opened.delete(runtime);
    result = report.ok
      ? { keysLoaded: report.keysLoaded, problem: null }
      : { keysLoaded: 0, problem: 'the server refused to load the snapshot (see its log)' };
    // Back on: the server rewrites the AOF from what it loaded.
    if (aof) await run(runtime, [['CONFIG', 'SET', 'appendonly', 'yes']]);
  } else {
    await run(runtime, [['FLUSHALL']]);
  }
  if (state.lesson) {
    const s = storage();
    saveProgress(s, withStep(loadProgress(s), state.lesson.id, state.lesson.step));
    // The panel reads the progress when it mounts: (re)open it.
    const ui = runtime.store.getState();
    if (ui.lessonsOpen) {
      ui.setLessonsOpen(false);
      await new Promise((r) => setTimeout(r, 0));
    }
    runtime.store.getState().setLessonsOpen(true);
  }
  if (state.commands.length > 0) await (await terminalBridge(runtime)).typeLines(state.commands);
  return result;
}
