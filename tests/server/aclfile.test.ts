// The ACL file against real redis-server 7.0: both servers started with `--aclfile` on their own
// directory answer ACL LOAD the same way for the same file contents (users, error texts, closed
// connections), ACL SAVE writes byte-identical files after the same ACL SETUSER commands, and a bad
// aclfile (or users declared both ways) stops both at start with the same log lines.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/protocol/reply';
import { TestConnection } from '../conformance/connection';
import { freePort } from '../conformance/redis-process';
import { tempDir } from '../persistence/real-redis';

const ROOT = new URL('../..', import.meta.url).pathname;
const running: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const f of cleanups) f();
});

type Kind = 'real' | 'lab';

interface Started {
  /** false: the process exited before accepting connections. */
  started: boolean;
  /** Its log lines as "<level> <text>" (the pid and time stripped); other output as printed. */
  lines: string[];
  /** The log lines so far (later ones included). */
  log(): string[];
  port: number;
}

function newDir(tag: string): string {
  const t = tempDir(tag);
  cleanups.push(t.remove);
  return t.dir;
}

/** "1234:M 26 Nov 2026 14:58:10.949 # text" (redis-server) or "1234:M <ISO time> # text" (ours). */
const stripLog = (l: string) => l.replace(/^\d+:[A-Z] .*? ([#*.-]) /, '$1 ');

/** Start a server on `dir`; resolves when it accepts connections or has exited. */
async function launch(kind: Kind, dir: string, args: string[]): Promise<Started> {
  const port = await freePort();
  const common = ['--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', ...args];
  const proc =
    kind === 'real'
      ? spawn('redis-server', ['--bind', '127.0.0.1', ...common], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['--import', 'tsx', 'engine/server/main.ts', ...common], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  running.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l !== '')
      .map(stripLog);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (/Ready to accept connections/.test(out)) return { started: true, lines: lines(), log: lines, port };
    if (proc.exitCode !== null || proc.signalCode !== null) return { started: false, lines: lines(), log: lines, port };
    if (Date.now() > deadline) throw new Error(`${kind} server neither started nor exited: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The lines that say why a start failed: warnings without redis-server's start-up banner. */
function failureLines(lines: string[]): string[] {
  const boiler = /oO0OoO0OoO0Oo|Redis version=|Configuration loaded|Server initialized|^# WARNING /;
  return lines.filter((l) => l.startsWith('# ') && !boiler.test(l));
}

/** The same commands on both; each step's replies must match. */
async function both(a: TestConnection, b: TestConnection, argv: string[]): Promise<Reply> {
  const [ra, rb] = await Promise.all([a.call(argv), b.call(argv)]);
  expect(rb, argv.join(' ')).toEqual(ra);
  return ra;
}

const DEFAULT = 'user default on nopass ~* &* +@all\n';

async function pair(files: string, args: string[] = ['--aclfile', 'users.acl']) {
  const dirs = { real: newDir('acl-real'), lab: newDir('acl-lab') };
  for (const d of Object.values(dirs)) writeFileSync(join(d, 'users.acl'), files);
  const [real, lab] = await Promise.all([launch('real', dirs.real, args), launch('lab', dirs.lab, args)]);
  expect(real.started, real.lines.join('\n')).toBe(true);
  expect(lab.started, lab.lines.join('\n')).toBe(true);
  const [r, l] = await Promise.all([TestConnection.open(real.port), TestConnection.open(lab.port)]);
  cleanups.push(() => {
    r.close();
    l.close();
  });
  const write = (text: string | Uint8Array) => {
    for (const d of Object.values(dirs)) writeFileSync(join(d, 'users.acl'), text);
  };
  return { dirs, real, lab, r, l, write };
}

describe('ACL LOAD: the same file gives the same users or the same error on both', () => {
  it('loads, refuses and reports each kind of problem identically', async () => {
    const s = await pair(`${DEFAULT}user start on\n`);
    const files: (string | Uint8Array)[] = [
      `user bob on >pw ~k* +get\n${DEFAULT}user alice (~x +set) (%R~y)\n`,
      'user bob on\n',
      '',
      `\n  \r\n\tuser bob on  \r\nuser carl on\r\n${DEFAULT}`,
      'user default on >secret ~* &* +@all -flushall\nuser w on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 resetchannels &news:* %W~w* +@write\n',
      `user reader on nopass ~* &* +@read -keys allchannels\n${DEFAULT}`,
      `user bob on\n# comment\n${DEFAULT}`,
      'user\n',
      'User bob on\n',
      'user b\tb on\n',
      'user bob on\nuser bob off\n',
      'user bob (+get\n',
      'user bob nosuch +foo ~a ~* ~b <y -bar\n',
      'user bob ~* ~b <y\n',
      'user bob <nope\n',
      'user bob #notahash\n',
      'user bob &* &x\n',
      'user bob +config|get|x\n',
      'user bob "on"\n',
      'user  bob\n',
      'user bob (+get ~x)  (%R~y +set)\n',
      Buffer.from('user bob on\0 off\nuser carl on\n', 'latin1'),
      'user a on\nnope\nuser a\n',
      `user x on +@nosuch\n${DEFAULT}`,
      `user default off\nuser admin on >pw +@all ~*\n`,
    ];
    let compared = 0;
    for (const file of files) {
      s.write(file);
      await both(s.r, s.l, ['ACL', 'LOAD']);
      // (a file that disables "default" logs this connection out: authenticate as admin then)
      const [wr, wl] = await Promise.all([s.r.call(['ACL', 'WHOAMI']), s.l.call(['ACL', 'WHOAMI'])]);
      expect(wl).toEqual(wr);
      if (wr.t === 'error') {
        await both(s.r, s.l, ['AUTH', 'admin', 'pw']);
        await both(s.r, s.l, ['ACL', 'LIST']);
        await both(s.r, s.l, ['ACL', 'SETUSER', 'default', 'on']);
      } else await both(s.r, s.l, ['ACL', 'LIST']);
      compared++;
    }
    expect(compared).toBe(files.length);
  }, 60_000);

  it('closes the connections of the users it replaces, the caller after its reply', async () => {
    const s = await pair(`${DEFAULT}user bob on nopass +@all ~*\n`);
    const open = () => Promise.all([TestConnection.open(s.real.port), TestConnection.open(s.lab.port)]);
    const [bobR, bobL] = await open();
    const [bob2R, bob2L] = await open();
    await both(bobR, bobL, ['AUTH', 'bob', 'x']);
    await both(bob2R, bob2L, ['AUTH', 'bob', 'x']);
    // The same file again: bob is a new user, its connections go.
    await both(bob2R, bob2L, ['ACL', 'LOAD']);
    await both(bob2R, bob2L, ['PING']);
    await both(bobR, bobL, ['PING']);
    expect([bobR.closed, bobL.closed, bob2R.closed, bob2L.closed]).toEqual([true, true, true, true]);
    // default's connection stays.
    await both(s.r, s.l, ['PING']);
  }, 60_000);
});

describe('ACL SAVE: the file written is byte-identical', () => {
  it('after the same ACL SETUSER commands', async () => {
    const s = await pair(DEFAULT);
    const commands = [
      ['ACL', 'SETUSER', 'zoe', 'on', '>pw', '%R~r*', '~w', '&ch', '+@read', '(+set ~s)'],
      ['ACL', 'SETUSER', 'adam', 'off', 'nopass', 'allkeys', '+@all', '-flushall'],
      ['ACL', 'SETUSER', 'default', '>secret', 'skip-sanitize-payload'],
      ['ACL', 'SETUSER', 'a', 'on', 'resetchannels', '&x:*', '+@all', '-@dangerous', '(~k* %W~w +@write)'],
      ['ACL', 'SETUSER', 'ab', 'on', '#5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', '+client|id'],
      ['ACL', 'SAVE'],
    ];
    for (const c of commands) await both(s.r, s.l, c);
    const real = readFileSync(join(s.dirs.real, 'users.acl'));
    const lab = readFileSync(join(s.dirs.lab, 'users.acl'));
    expect(lab.toString('latin1')).toBe(real.toString('latin1'));
    // and it reads back the same
    await both(s.r, s.l, ['ACL', 'DELUSER', 'zoe']);
    await both(s.r, s.l, ['ACL', 'LOAD']);
    await both(s.r, s.l, ['ACL', 'LIST']);
  }, 60_000);

  it('fails the same way when the aclfile is a directory (loaded at start as an empty file)', async () => {
    const dirs = { real: newDir('acl-real'), lab: newDir('acl-lab') };
    for (const d of Object.values(dirs)) mkdirSync(join(d, 'adir'));
    const args = ['--aclfile', 'adir'];
    const [real, lab] = await Promise.all([launch('real', dirs.real, args), launch('lab', dirs.lab, args)]);
    expect([real.started, lab.started]).toEqual([true, true]);
    const [r, l] = await Promise.all([TestConnection.open(real.port), TestConnection.open(lab.port)]);
    cleanups.push(() => {
      r.close();
      l.close();
    });
    await both(r, l, ['ACL', 'LIST']);
    await both(r, l, ['ACL', 'SETUSER', 'x', 'on']);
    const reply = await both(r, l, ['ACL', 'SAVE']);
    expect(reply.t).toBe('error');
    await new Promise((res) => setTimeout(res, 100));
    const why = (lines: string[]) => lines.filter((x) => x.includes('ACL SAVE'));
    expect(why(real.log())).toEqual(['# Renaming ACL file for ACL SAVE: Is a directory']);
    expect(why(lab.log())).toEqual(why(real.log()));
    await both(r, l, ['ACL', 'LOAD']);
    await both(r, l, ['ACL', 'LIST']);
  }, 60_000);
});

describe('a bad aclfile stops both servers at start with the same log lines', () => {
  const cases: [string, string | null, string[]][] = [
    ['rules it refuses', 'user bob on +nosuch\nuser x y\n', ['--aclfile', 'users.acl']],
    ['a missing file', null, ['--aclfile', 'missing.acl']],
    ['users declared in the config as well', DEFAULT, ['--aclfile', 'users.acl', '--user', 'bob', 'on']],
    ['an unknown command in a declared user', null, ['--user', 'bob', 'on', '+nosuch']],
  ];
  for (const [name, file, args] of cases) {
    it(name, async () => {
      const dirs = { real: newDir('acl-real'), lab: newDir('acl-lab') };
      if (file !== null) for (const d of Object.values(dirs)) writeFileSync(join(d, 'users.acl'), file);
      const [real, lab] = await Promise.all([launch('real', dirs.real, args), launch('lab', dirs.lab, args)]);
      expect([real.started, lab.started]).toEqual([false, false]);
      const theirs = failureLines(real.lines);
      expect(theirs.length).toBeGreaterThan(0);
      expect(failureLines(lab.lines)).toEqual(theirs);
    }, 60_000);
  }

  it('a user declaration refused while the config is read: the same FATAL CONFIG FILE ERROR reason', async () => {
    const args = ['--user', 'bob', 'on', '~*', '~x'];
    const [real, lab] = await Promise.all([
      launch('real', newDir('acl-real'), args),
      launch('lab', newDir('acl-lab'), args),
    ]);
    expect([real.started, lab.started]).toEqual([false, false]);
    const reason = (lines: string[]) => lines.find((l) => l.startsWith('Error in user declaration'));
    expect(reason(real.lines)).toBeDefined();
    expect(reason(lab.lines)).toBe(reason(real.lines));
  }, 60_000);
});
