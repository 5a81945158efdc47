// Puts the browser's server in a lesson's state (its start, or the start of any step) without
// typing into the terminals: the lines of replay.ts run through hidden clients — one per
// ":new-session" of the replayed steps, so per-connection state (MULTI, a blocked BRPOP) stays
// apart as it would have — and lab lines run as the terminal runs them.

import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import type { LabRuntime } from '../runtime';
import { type BrowserLab, CHECK_SESSION } from './browser-lab';
import { isLabLine, runLabLine } from './lab-commands';

/**
 * Hidden replay clients' session numbers, counting up from here: clear of the check client
 * (CHECK_SESSION), the share and persistence panels' (1_000_001, 1_000_077) and the scenarios' (2_000_000+).
 */
export const REPLAY_SESSION = CHECK_SESSION + 100_000;

const openSessions = new WeakMap<LabRuntime, number[]>();

/** Run `lines` (Redis and lab commands) without a terminal; a command that blocks is left waiting. */
export async function runHiddenLines(runtime: LabRuntime, lab: BrowserLab, lines: readonly string[]): Promise<void> {
  const { client } = runtime;
  // The previous replay's clients go (a BRPOP they left waiting with them).
  for (const id of openSessions.get(runtime) ?? []) await client.close(id).catch(() => {});
  const opened: number[] = [];
  openSessions.set(runtime, opened);
  const open = async (): Promise<number> => {
    const id = REPLAY_SESSION + opened.length;
    await client.open(id, { push: () => {}, closed: () => {} }, { name: 'lesson-replay', output: 'reply' });
    opened.push(id);
    return id;
  };
  const byName = new Map<string, number>();
  let session = await open();
  byName.set('', session);
  for (const line of lines) {
    const argv = splitArgs(fromUtf8(line.trim()));
    if (argv === null || argv.length === 0) continue;
    if (isLabLine(line)) {
      if (argv[0].toLowerCase() === ':new-session') {
        const name = argv.slice(1).join(' ');
        session = byName.get(name) ?? (await open());
        byName.set(name, session);
      } else await runLabLine(argv, lab.actions);
      continue;
    }
    let outcome = await send(runtime, session, argv);
    if (outcome === 'disconnected') {
      // The server restarted (":crash"): reconnect, as a client would, and send again.
      await client.close(session).catch(() => {});
      await client.open(session, { push: () => {}, closed: () => {} }, { name: 'lesson-replay', output: 'reply' });
      outcome = await send(runtime, session, argv);
    }
  }
}

/** One command; resolves when it is answered, or as soon as the server says it blocked. */
function send(runtime: LabRuntime, session: number, argv: readonly string[]): Promise<'done' | 'disconnected'> {
  return new Promise((resolve) => {
    runtime.client
      .command(session, argv, () => resolve('done'))
      .then((o) => resolve(o.kind === 'reply' ? 'done' : 'disconnected'))
      .catch(() => resolve('disconnected'));
  });
}
