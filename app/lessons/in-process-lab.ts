// The lab in one process, for tests and tools: an engine on a manual clock, named client sessions
// and the lab commands (":advance", ":crash power"...), so a lesson's solution runs exactly as the
// browser runs it, and its checks read the engine through their own hidden client.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '../../engine/client';
import { ManualClock } from '../../engine/clock';
import type { Engine } from '../../engine/engine';
import { type CreateEngineOptions, createEngine } from '../../engine/index';
import { fromUtf8, toUtf8 } from '../../engine/protocol/binary';
import { formatReplyForCli } from '../../engine/protocol/format-cli';
import type { Reply } from '../../engine/protocol/reply';
import { splitArgs } from '../../engine/protocol/split-args';
import { LAB_CONFIG } from '../../engine/worker/host';
import { persistenceSettings, restartServer } from '../../engine/worker/restart';
import { evaluateChecks, type CheckItem, type CheckResult } from './checks';
import { formatMs, type LabActions, LAB_RESET_COMMANDS, runLabLine } from './lab-commands';
import { persistenceOf } from '../../engine/persistence/lifecycle';
import { joinPath } from '../../engine/persistence/storage/types';
import { describeLoadRdb, describeRestart } from './restart-report';

/** lessons/fixtures/<name>.rdb, the snapshots ":load-rdb" copies in. */
export const FIXTURE_DIR = join(import.meta.dirname, '../../lessons/fixtures');

export class InProcessLab {
  readonly clock = new ManualClock();
  engine: Engine;
  private readonly sessions = new Map<string, Client>();
  private active = 'main';
  private checker: Client;

  constructor(private readonly seed = 1) {
    this.engine = this.make();
    this.sessions.set('main', this.engine.createClient());
    this.checker = this.engine.createClient();
  }

  private make(disk?: CreateEngineOptions['disk'], from?: Engine): Engine {
    const kept = from ? persistenceSettings(from) : {};
    return createEngine({
      clock: this.clock,
      seed: this.seed,
      journal: true,
      config: { ...LAB_CONFIG, ...kept },
      disk,
    });
  }

  /** New clients on the new engine for every session, as a restarted server's clients reconnect. */
  private reconnectAll(): void {
    for (const name of [...this.sessions.keys()]) this.sessions.set(name, this.engine.createClient());
    this.checker = this.engine.createClient();
  }

  readonly actions: LabActions = {
    advance: async (ms) => {
      this.clock.advance(ms);
      this.engine.cron();
      return `(lab) the clock moved ${formatMs(ms)} forward\n`;
    },
    sleep: async (ms) => {
      // In-process time is the manual clock's: a sleep moves it as real time would.
      this.clock.advance(ms);
      this.engine.cron();
    },
    // The manual clock moves only by :advance and :sleep: paused already, and it stays so.
    clock: async () => {},
    newSession: async (name) => {
      const n = name || `session ${this.sessions.size + 1}`;
      if (!this.sessions.has(n)) this.sessions.set(n, this.engine.createClient());
      this.active = n;
      return `(lab) now in session '${n}'\n`;
    },
    reset: async () => {
      for (const argv of LAB_RESET_COMMANDS) this.engine.dispatch(this.checker, [...argv]);
      return '(lab) the server is empty, with the lab default configuration\n';
    },
    crash: async (how) => this.restartAs(how),
    restart: async () => this.restartAs('restart'),
    loadRdb: async (name) => {
      const path = join(FIXTURE_DIR, `${name}.rdb`);
      if (!existsSync(path)) return `(lab) no snapshot named '${name}'\n`;
      // Copied in and fsynced, as `cp` then a kill leaves it on the disk.
      const p = persistenceOf(this.engine);
      const file = joinPath(p.dir(), this.engine.config.get('dbfilename') ?? 'dump.rdb');
      p.disk.write(file, readFileSync(path));
      p.disk.fsync(file);
      const old = this.engine;
      const { engine, report } = restartServer(old, 'kill', (disk) => this.make(disk, old));
      this.engine = engine;
      this.reconnectAll();
      return describeLoadRdb(name, report);
    },
  };

  private restartAs(how: 'kill' | 'power' | 'restart'): string {
    const old = this.engine;
    const { engine, report } = restartServer(old, how, (disk) => this.make(disk, old));
    this.engine = engine;
    this.reconnectAll();
    return describeRestart(how, report);
  }

  /** Switch the session later lines run in (":new-session" does it too). */
  use(name: string): void {
    if (!this.sessions.has(name)) this.sessions.set(name, this.engine.createClient());
    this.active = name;
  }

  /** One line as the terminal runs it: redis-cli's output text (a blocked command prints nothing yet). */
  async run(line: string): Promise<string> {
    const argv = splitArgs(fromUtf8(line.trim()));
    if (argv === null) return 'Invalid argument(s)\n';
    if (argv.length === 0) return '';
    if (argv[0].startsWith(':')) return runLabLine(argv, this.actions);
    const client = this.sessions.get(this.active) as Client;
    const reply = this.engine.dispatch(client, argv);
    return reply === undefined ? '' : toUtf8(formatReplyForCli(reply, client.resp, argv));
  }

  /** Run a check command through the hidden client: redis-cli's text for its reply. */
  async check(argv: readonly string[]): Promise<string> {
    const reply = this.engine.dispatch(this.checker, [...argv]);
    return reply === undefined ? '' : toUtf8(formatReplyForCli(reply, this.checker.resp, argv));
  }

  /** A command through the hidden client: its reply and redis-cli's text (the builder's StateReader). */
  async query(argv: readonly string[]): Promise<{ reply: Reply | null; text: string }> {
    const reply = this.engine.dispatch(this.checker, [...argv]) ?? null;
    return { reply, text: reply === null ? '' : toUtf8(formatReplyForCli(reply, this.checker.resp, argv)) };
  }

  evaluate(items: readonly CheckItem[]): Promise<CheckResult[]> {
    return evaluateChecks(items, (argv) => this.check(argv));
  }
}
