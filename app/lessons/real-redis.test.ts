// Every lesson and every quiz "prove it" solution, run step by step against real redis-server 7.0
// (the oracle, started here on a private port and directory) AND a fresh in-process lab engine:
// each reply must be equal (only truly random replies normalised) and every check must pass on both.
// Lab-only parts are applied the way a real server would experience them — see RealLab below.

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromUtf8, toUtf8 } from '../../engine/protocol/binary';
import { formatReplyForCli } from '../../engine/protocol/format-cli';
import { splitArgs } from '../../engine/protocol/split-args';
import { TestConnection } from '../../tests/conformance/connection';
import { freePort, redisServerVersion } from '../../tests/conformance/redis-process';
import { parseQuiz } from '../quiz/format';
import { evaluateChecks, type CheckItem, type CheckResult } from './checks';
import { FIXTURE_DIR, InProcessLab } from './in-process-lab';
import { LAB_RESET_COMMANDS, parseLabCommand } from './lab-commands';
import { type Lesson, parseLesson } from './parse';

const ROOT = join(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Longest :advance waited out in real time on real Redis; longer ones are emulated (below). */
const REAL_WAIT_MAX_MS = 2000;
/** Settings a restarted lab server keeps (lessons/README.md): passed to redis-server on restart. */
const KEPT = ['appendonly', 'appendfsync', 'save', 'aof-use-rdb-preamble'];

/**
 * Real redis-server driven like the lab: sessions are connections; ":sleep" and short ":advance"
 * are real waits; a long ":advance" cannot move Redis's clock, so every key's TTL is shortened by
 * that much instead (PEXPIRE, or DEL once it would have expired) — the keyspace then is what it
 * would be after the wait; ":restart" is SHUTDOWN and a start on the same directory; ":crash kill"
 * is SIGKILL and a start; ":crash power" too, but the OS page cache survives a SIGKILL, so the lab's
 * power-cut losses are not reproducible: the caller syncs Redis to the engine's keys and runs the
 * rest of that step on the engine only; ":load-rdb name" copies lessons/fixtures/name.rdb over the
 * directory's dump.rdb, then SIGKILL and a start.
 */
class RealLab {
  private proc: ChildProcess | null = null;
  private readonly sessions = new Map<string, TestConnection>();
  private active = 'main';
  private checker: TestConnection | null = null;
  private readonly kept = new Map<string, string>();
  readonly dir = mkdtempSync(join(tmpdir(), 'redis-lab-lessons-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<RealLab> {
    const lab = new RealLab(await freePort());
    await lab.boot();
    return lab;
  }

  private async boot(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    for (const [k, v] of this.kept) args.push(`--${k}`, v);
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    proc.stdout?.on('data', (d) => {
      log += d;
    });
    this.proc = proc;
    const deadline = Date.now() + 15_000;
    while (!log.includes('Ready to accept connections')) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${log}`);
      await sleep(10);
    }
    for (const name of [...this.sessions.keys(), 'main']) this.sessions.set(name, await TestConnection.open(this.port));
    this.checker = await TestConnection.open(this.port);
  }

  private async exited(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise((r) => p.once('exit', r));
  }

  private closeAll(): void {
    for (const c of this.sessions.values()) c.close();
    this.checker?.close();
  }

  async stop(): Promise<void> {
    this.closeAll();
    this.proc?.kill('SIGKILL');
    await this.exited();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async restart(how: 'shutdown' | 'kill'): Promise<void> {
    if (how === 'shutdown') this.checker?.send(['SHUTDOWN']);
    else this.proc?.kill('SIGKILL');
    await this.exited();
    this.closeAll();
    await this.boot();
  }

  /** A check's command through the hidden connection: redis-cli's text for it. */
  async check(argv: readonly string[]): Promise<string> {
    const reply = await (this.checker as TestConnection).call(argv, 20_000);
    return toUtf8(formatReplyForCli(reply, 2, argv));
  }

  evaluate(items: readonly CheckItem[]): Promise<CheckResult[]> {
    return evaluateChecks(items, (argv) => this.check(argv));
  }

  private remember(argv: readonly string[]): void {
    if (argv.length < 4 || argv[0].toUpperCase() !== 'CONFIG' || argv[1].toUpperCase() !== 'SET') return;
    for (let i = 2; i + 1 < argv.length; i += 2) {
      const k = argv[i].toLowerCase();
      if (KEPT.includes(k)) this.kept.set(k, argv[i + 1]);
    }
  }

  /** Shorten every TTL by `ms`: what the keyspace is after that much time. */
  private async timeTravel(ms: number): Promise<void> {
    const c = this.checker as TestConnection;
    const keys = await c.call(['KEYS', '*']);
    if (keys.t !== 'array' || keys.v === null) throw new Error('KEYS failed');
    for (const k of keys.v) {
      if (k.t !== 'bulk' || k.v === null) continue;
      const pttl = await c.call(['PTTL', k.v]);
      if (pttl.t !== 'int' || pttl.v < 0) continue;
      const left = Number(pttl.v) - ms;
      await c.call(left <= 0 ? ['DEL', k.v] : ['PEXPIRE', k.v, String(left)]);
    }
  }

  /** Delete what the engine no longer has (after a lab power cut). */
  async syncTo(engineKeys: ReadonlySet<string>): Promise<void> {
    const c = this.checker as TestConnection;
    const keys = await c.call(['KEYS', '*']);
    if (keys.t !== 'array' || keys.v === null) return;
    for (const k of keys.v) if (k.t === 'bulk' && k.v !== null && !engineKeys.has(k.v)) await c.call(['DEL', k.v]);
  }

  async run(line: string): Promise<string> {
    const argv = splitArgs(fromUtf8(line.trim())) ?? [];
    if (argv.length === 0) return '';
    if (argv[0].startsWith(':')) {
      const p = parseLabCommand(argv);
      if (!p.ok) throw new Error(p.error);
      const cmd = p.command;
      // (":clock pause|resume" cannot stop Redis's clock: its steps run in well under a second.)
      if (cmd.kind === 'sleep') await sleep(cmd.ms);
      else if (cmd.kind === 'advance') await (cmd.ms <= REAL_WAIT_MAX_MS ? sleep(cmd.ms) : this.timeTravel(cmd.ms));
      else if (cmd.kind === 'new-session') {
        const name = cmd.name || `session ${this.sessions.size + 1}`;
        if (!this.sessions.has(name)) this.sessions.set(name, await TestConnection.open(this.port));
        this.active = name;
      } else if (cmd.kind === 'reset') {
        for (const a of LAB_RESET_COMMANDS) {
          this.remember(a);
          await (this.checker as TestConnection).call(a);
        }
      } else if (cmd.kind === 'restart') await this.restart('shutdown');
      else if (cmd.kind === 'crash') await this.restart('kill');
      else if (cmd.kind === 'load-rdb') {
        copyFileSync(join(FIXTURE_DIR, `${cmd.name}.rdb`), join(this.dir, 'dump.rdb'));
        await this.restart('kill');
      }
      return '';
    }
    this.remember(argv);
    const conn = this.sessions.get(this.active) as TestConnection;
    return toUtf8(formatReplyForCli(await conn.call(argv, 20_000), 2, argv));
  }
}

const UNORDERED = new Set(['KEYS', 'SMEMBERS', 'SUNION', 'SINTER', 'SDIFF', 'SPOP', 'SRANDMEMBER', 'HRANDFIELD']);
const RANDOM = new Set(['LASTSAVE', 'TIME', 'INFO', 'RANDOMKEY', 'CLIENT', 'DEBUG', 'MEMORY']);

/** A reply's text with only truly random parts normalised, so equal servers give equal text. */
function normalise(line: string, out: string): string {
  const argv = splitArgs(fromUtf8(line.trim())) ?? [];
  const cmd = (argv[0] ?? '').toUpperCase();
  if (RANDOM.has(cmd)) return '<random>';
  const lines = out.trimEnd().split('\n');
  if (UNORDERED.has(cmd))
    return lines
      .map((l) => l.replace(/^\s*\d+\)\s*/, ''))
      .sort()
      .join('\n');
  // A stream id chosen by the server ("*") is its clock's milliseconds.
  if (cmd === 'XADD' && argv.includes('*')) return out.replace(/"\d+-\d+"/, '"<id>"').trimEnd();
  // TTLs tick on a real clock while the test runs: a second (or 2500 ms) of slack.
  if (cmd === 'TTL' || cmd === 'PTTL') {
    const m = /^\(integer\) (\d+)$/.exec(out.trim());
    if (m) {
      const slack = cmd === 'TTL' ? 1 : 2500;
      return `(integer) ~${Math.round(Number(m[1]) / (2 * slack + 1))}`;
    }
  }
  return out.trimEnd();
}

/** TTL values equal within the slack (normalise() buckets them; this is the exact comparison). */
function sameReply(line: string, a: string, b: string): boolean {
  const cmd = (splitArgs(fromUtf8(line.trim())) ?? [''])[0].toUpperCase();
  const ia = /^\(integer\) (-?\d+)$/.exec(a.trim());
  const ib = /^\(integer\) (-?\d+)$/.exec(b.trim());
  if ((cmd === 'TTL' || cmd === 'PTTL') && ia && ib)
    return Math.abs(Number(ia[1]) - Number(ib[1])) <= (cmd === 'TTL' ? 1 : 2500);
  return normalise(line, a) === normalise(line, b);
}

interface Comparison {
  /** Redis command lines whose replies were compared (and matched, unless listed in problems). */
  compared: number;
  /** Lines run on the engine only, with why. */
  engineOnly: string[];
  checks: number;
  problems: string[];
}

/** Lines lessons type on purpose to show an error (none yet). */
const DELIBERATE_ERRORS: ReadonlySet<string> = new Set<string>();

interface Script {
  readonly name: string;
  readonly setup: readonly string[];
  readonly steps: readonly { title: string; lines: readonly string[]; checks: readonly CheckItem[] }[];
}

/** Run a lesson (or a quiz solution) on both servers; every difference or failing check is a problem. */
async function compare(script: Script): Promise<Comparison> {
  const engine = new InProcessLab();
  const real = await RealLab.start();
  const out: Comparison = { compared: 0, engineOnly: [], checks: 0, problems: [] };
  try {
    const runBoth = async (where: string, line: string, engineOnly: boolean): Promise<boolean> => {
      const mine = await engine.run(line);
      const theirs = await real.run(line);
      const argv = splitArgs(fromUtf8(line.trim())) ?? [];
      if (argv[0]?.toLowerCase() === ':crash' && argv[1]?.toLowerCase() === 'power') {
        const keys = (await engine.check(['KEYS', '*']))
          .split('\n')
          .map((l) => /^\s*(?:\d+\) )?"(.*)"$/.exec(l)?.[1])
          .filter((k): k is string => k !== undefined);
        await real.syncTo(new Set(keys));
        return true;
      }
      if (argv[0]?.startsWith(':')) return engineOnly;
      if (engineOnly) {
        out.engineOnly.push(`${where}: ${line} (after a lab power cut)`);
        return true;
      }
      out.compared++;
      if (!sameReply(line, mine, theirs))
        out.problems.push(`${where}: ${line}\n  engine: ${mine.trimEnd()}\n  redis:  ${theirs.trimEnd()}`);
      // A lesson that has the student type an error by accident (a BGSAVE while the AOF rewrite
      // still runs...) is broken, even when both servers agree; deliberate ones are listed.
      else if (theirs.startsWith('(error)') && !DELIBERATE_ERRORS.has(line.trim()))
        out.problems.push(`${where}: ${line} fails on real Redis too: ${theirs.trimEnd()}`);
      return false;
    };
    for (const line of script.setup) await runBoth(`${script.name} setup`, line, false);
    for (const [i, step] of script.steps.entries()) {
      const where = `${script.name} step ${i + 1} "${step.title}"`;
      let engineOnly = false;
      for (const line of step.lines) engineOnly = await runBoth(where, line, engineOnly);
      for (const [side, results] of [
        ['engine', await engine.evaluate(step.checks)],
        ['redis', await real.evaluate(step.checks)],
      ] as const) {
        for (const r of results) {
          out.checks++;
          if (!r.pass)
            out.problems.push(
              `${where}: check on ${side} fails: ${r.item.command}\n  expected: ${r.item.expected.join(' / ')}\n  got: ${r.actual.trimEnd()}`,
            );
        }
      }
    }
  } finally {
    await real.stop();
  }
  return out;
}

const lessonScript = (name: string, l: Lesson): Script => ({
  name,
  setup: l.setup,
  steps: l.steps.map((s) => ({ title: s.title, lines: s.solution, checks: s.checks })),
});

const lessonFiles = readdirSync(join(ROOT, 'lessons'))
  .filter((f) => /^\d.*\.md$/.test(f))
  .sort();
const quizFiles = readdirSync(join(ROOT, 'lessons/quiz'))
  .filter((f) => /^\d.*\.md$/.test(f))
  .sort();

const totals = {
  lessons: 0,
  steps: 0,
  compared: 0,
  engineOnly: 0,
  checks: 0,
  prove: 0,
  proveCompared: 0,
  proveChecks: 0,
};
afterAll(() => {
  console.log(
    `real redis-server ${redisServerVersion()}: ${totals.lessons} lessons, ${totals.steps} steps, ${totals.compared} replies compared, ` +
      `${totals.engineOnly} lines engine-only, ${totals.checks} check runs (both servers); ${totals.prove} prove-it solutions, ` +
      `${totals.proveCompared} replies compared, ${totals.proveChecks} check runs`,
  );
});

describe('lessons and quiz solutions on real redis-server 7.0 and on the engine', () => {
  it('a real redis-server is installed (the oracle)', () => {
    expect(redisServerVersion()).toMatch(/^7\.0\./);
  });

  it('a broken check or a differing reply is reported (the comparison can fail)', async () => {
    const broken = parseLesson(
      '---\nid: broken\ntitle: Broken\norder: 1\n---\n## Step\n```redis\nSET k 1\nOBJECT ENCODING k\n```\n```check\nGET k\n"2"\n```\n',
    );
    if (!broken.ok) throw new Error('test lesson does not parse');
    const r = await compare(lessonScript('broken', broken.lesson));
    expect(r.problems.filter((p) => p.includes('check on engine fails: GET k'))).toHaveLength(1);
    expect(r.problems.filter((p) => p.includes('check on redis fails: GET k'))).toHaveLength(1);
    expect(normalise('SMEMBERS s', '1) "b"\n2) "a"')).toBe(normalise('SMEMBERS s', '1) "a"\n2) "b"'));
    expect(sameReply('GET k', '"1"', '"2"')).toBe(false);
    const erring = parseLesson('---\nid: e\ntitle: E\norder: 1\n---\n## S\n```redis\nSET k 1\nLPUSH k x\n```\n');
    if (!erring.ok) throw new Error('test lesson does not parse');
    expect((await compare(lessonScript('erring', erring.lesson))).problems).toEqual([
      'erring step 1 "S": LPUSH k x fails on real Redis too: (error) WRONGTYPE Operation against a key holding the wrong kind of value',
    ]);
  });

  for (const file of lessonFiles) {
    it(`lesson ${file}: same replies, checks pass on both`, async () => {
      const parsed = parseLesson(readFileSync(join(ROOT, 'lessons', file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file} does not parse`);
      const r = await compare(lessonScript(file, parsed.lesson));
      expect(r.problems).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
      totals.lessons++;
      totals.steps += parsed.lesson.steps.length;
      totals.compared += r.compared;
      totals.engineOnly += r.engineOnly.length;
      totals.checks += r.checks;
      // The lines the lab's power-cut model decides: stated, and only in the persistence lesson.
      if (r.engineOnly.length > 0) expect(file).toBe('10-persistence.md');
    });
  }

  for (const file of quizFiles) {
    const parsed = parseQuiz(readFileSync(join(ROOT, 'lessons/quiz', file), 'utf8'));
    if (!parsed.ok) throw new Error(`${file} does not parse`);
    for (const q of parsed.quiz.questions.filter((x) => x.kind === 'prove')) {
      it(`quiz ${q.id}: the reference solution passes on both`, async () => {
        const r = await compare({
          name: q.id,
          setup: [':reset', ...q.setup],
          steps: [{ title: q.title, lines: q.solution, checks: q.checks }],
        });
        expect(r.problems).toEqual([]);
        expect(r.checks).toBe(2 * q.checks.length);
        totals.prove++;
        totals.proveCompared += r.compared;
        totals.proveChecks += r.checks;
      });
    }
  }
});
