// The lab commands and the checks in the browser: lab commands go to the worker (the clock) or the
// store (sessions); checks run through a hidden engine client whose replies are formatted exactly
// as redis-cli formats them. One instance per page runtime.

import { toUtf8 } from '../../engine/protocol/binary';
import { formatReplyForCli } from '../../engine/protocol/format-cli';
import type { Reply } from '../../engine/protocol/reply';
import type { LabRuntime } from '../runtime';
import type { CheckItem, CheckResult } from './checks';
import { evaluateChecks } from './checks';
import { formatMs, type LabActions, LAB_RESET_COMMANDS, runLabLine } from './lab-commands';
import { fetchRdbFixture } from './fixtures';
import { describeLoadRdb, describeRestart } from './restart-report';

/** The hidden client's session number, far above any terminal's. */
export const CHECK_SESSION = 1_000_000;

export interface BrowserLab {
  readonly actions: LabActions;
  /** A terminal's ':' line: the text to print, or null if not a lab command (":set hints"). */
  labCommand(argv: readonly string[]): Promise<string | null>;
  evaluate(items: readonly CheckItem[]): Promise<CheckResult[]>;
  /** One command through the hidden client: its reply (null if none), and redis-cli's text for it. */
  query(argv: readonly string[]): Promise<{ reply: Reply | null; text: string }>;
  /** Run lines without a terminal (a lesson's setup): Redis commands through the hidden client. */
  runHidden(lines: readonly (readonly string[])[]): Promise<void>;
}

const labs = new WeakMap<LabRuntime, BrowserLab>();

export function browserLab(runtime: LabRuntime): BrowserLab {
  let lab = labs.get(runtime);
  if (!lab) {
    lab = createBrowserLab(runtime);
    labs.set(runtime, lab);
  }
  return lab;
}

function createBrowserLab(runtime: LabRuntime): BrowserLab {
  const { client, store } = runtime;
  let opened: Promise<unknown> | null = null;
  const checker = () => {
    opened ??= client.open(
      CHECK_SESSION,
      { push: () => {}, closed: () => {} },
      { name: 'lesson-checks', output: 'reply' },
    );
    return opened;
  };
  const exec = async (argv: readonly string[]): Promise<string> => {
    await checker();
    const o = await client.command(CHECK_SESSION, argv);
    if (o.kind !== 'reply') {
      opened = null;
      return '(lab) the check client was disconnected';
    }
    return o.reply ? toUtf8(formatReplyForCli(o.reply, o.state.resp, argv)) : '';
  };
  const actions: LabActions = {
    async advance(ms) {
      await client.advanceClock(ms);
      return `(lab) the clock moved ${formatMs(ms)} forward\n`;
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    async clock(action) {
      await client.clockControl(action);
    },
    async newSession(name) {
      const id = store.getState().addSession(name || undefined);
      const session = store.getState().sessions.find((s) => s.id === id);
      return `(lab) opened '${session?.name ?? name}': the next lines run there\n`;
    },
    async reset() {
      await checker();
      await client.pipeline(CHECK_SESSION, LAB_RESET_COMMANDS);
      return '(lab) the server is empty, with the lab default configuration\n';
    },
    crash: async (how) => describeRestart(how, await client.restart(how)),
    restart: async () => describeRestart('restart', await client.restart('restart')),
    async loadRdb(name) {
      const bytes = await fetchRdbFixture(name);
      if (typeof bytes === 'string') return `(lab) ${bytes}\n`;
      await checker();
      const o = await client.command(CHECK_SESSION, ['CONFIG', 'GET', 'dbfilename']);
      const r = o.kind === 'reply' ? o.reply : null;
      const file = r?.t === 'array' && r.v?.[1]?.t === 'bulk' ? r.v[1].v : null;
      // As an admin would: copy the file over dump.rdb, then kill the server (a clean shutdown
      // could save over it) and start it again.
      await client.writeFile(file ?? 'dump.rdb', bytes);
      return describeLoadRdb(name, await client.restart('kill'));
    },
  };
  return {
    actions,
    labCommand: async (argv) => runLabLine(argv, actions),
    evaluate: (items) => evaluateChecks(items, exec),
    async query(argv) {
      await checker();
      const o = await client.command(CHECK_SESSION, argv);
      if (o.kind !== 'reply') return { reply: null, text: '' };
      return { reply: o.reply, text: o.reply ? toUtf8(formatReplyForCli(o.reply, o.state.resp, argv)) : '' };
    },
    async runHidden(lines) {
      await checker();
      await client.pipeline(CHECK_SESSION, lines);
    },
  };
}
