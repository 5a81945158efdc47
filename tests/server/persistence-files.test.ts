// Our Node server persists to real files under --dir: keys of every type written by a client survive a
// SIGKILL and a restart (AOF with appendfsync always / everysec, and RDB after SAVE), and a real
// redis-server 7.0 started on the same directory loads the same contents.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CanonicalKey } from '../../engine/persistence/canonical';
import type { Reply } from '../../engine/protocol/reply';
import { TestConnection } from '../conformance/connection';
import { freePort } from '../conformance/redis-process';
import { dataset } from '../persistence/dataset';
import { canonicalOverCommands } from '../persistence/redis-canonical';
import { tempDir } from '../persistence/real-redis';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Proc {
  port: number;
  conn: TestConnection;
  call(argv: string[]): Promise<Reply>;
  output(): string;
  /** SIGKILL: no shutdown, no final save, no last fsync. */
  kill(): Promise<void>;
}

const running: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const f of cleanups) f();
});

async function launch(command: string, args: string[], what: string): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(command, [...args, '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString('latin1');
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${out}`));
    });
  });
  const conn = await TestConnection.open(port);
  return {
    port,
    conn,
    call: (argv) => conn.call(argv, 20_000),
    output: () => out,
    kill: () =>
      new Promise((resolve) => {
        conn.close();
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/** Our server exactly as users start it. */
const lab = (dir: string, args: string[]) =>
  launch(process.execPath, ['--import', 'tsx', 'engine/server/main.ts', '--dir', dir, ...args], 'lab server');
const real = (dir: string, args: string[]) =>
  launch('redis-server', ['--bind', '127.0.0.1', '--dir', dir, ...args], 'redis-server');

function dir(tag: string): string {
  const t = tempDir(tag);
  cleanups.push(t.remove);
  return t.dir;
}

/** Consumers created by replaying XGROUP CREATECONSUMER get the replay time as their seen time. */
function withoutSeenTimes(keys: CanonicalKey[]): CanonicalKey[] {
  return keys.map((k) => {
    if (k.type !== 'stream' || typeof k.value !== 'object' || Array.isArray(k.value)) return k;
    const groups = k.value.groups.map((g) => ({
      ...g,
      consumers: g.consumers.map((c) => ({ ...c, seen_time_ms: 0 })),
    }));
    return { ...k, value: { ...k.value, groups } };
  });
}

/** A reload may pick a different (smaller) encoding than the live value had: APPENDed short strings come back embstr. */
const noEncodings = (keys: CanonicalKey[]) => keys.map(({ encoding: _e, ...k }) => k);

async function fill(p: Proc): Promise<CanonicalKey[]> {
  for (const argv of dataset(true)) {
    const r = await p.call(argv);
    if (r.t === 'error') throw new Error(`${argv.join(' ').slice(0, 60)}: ${r.v}`);
  }
  // One more write of each kind after the bulk, the last thing acknowledged before the kill.
  expect(await p.call(['SET', 'last:write', 'acknowledged'])).toEqual({ t: 'status', v: 'OK' });
  const keys = withoutSeenTimes(await canonicalOverCommands(p.call));
  expect(new Set(keys.map((k) => k.type))).toEqual(new Set(['string', 'list', 'set', 'hash', 'zset', 'stream']));
  expect(keys.length).toBeGreaterThan(50);
  return keys;
}

describe('the Node server persists to real files under --dir', () => {
  for (const fsync of ['always', 'everysec']) {
    it(`AOF (appendfsync ${fsync}): every acknowledged write survives SIGKILL, and redis-server loads the directory`, async () => {
      const d = dir(`server-aof-${fsync}`);
      const args = ['--save', '', '--appendonly', 'yes', '--appendfsync', fsync];
      const first = await lab(d, args);
      const before = await fill(first);
      // everysec: the background fsync runs within the next second.
      if (fsync === 'everysec') await new Promise((r) => setTimeout(r, 1500));
      await first.kill();
      const manifest = join(d, 'appendonlydir', 'appendonly.aof.manifest');
      expect(readFileSync(manifest, 'latin1')).toMatch(/file appendonly\.aof\.1\.incr\.aof seq 1 type i/);

      const second = await lab(d, args);
      expect(second.output()).toContain('DB loaded from append only file');
      expect(noEncodings(withoutSeenTimes(await canonicalOverCommands(second.call)))).toEqual(noEncodings(before));
      // The restarted server keeps appending to the same files.
      expect(await second.call(['SET', 'after:restart', 'yes'])).toEqual({ t: 'status', v: 'OK' });
      const withMore = withoutSeenTimes(await canonicalOverCommands(second.call));
      await second.kill();

      const theirs = await real(d, args);
      expect(theirs.output()).toContain('DB loaded from append only file');
      expect(withoutSeenTimes(await canonicalOverCommands(theirs.call))).toEqual(withMore);
      expect(withMore.length).toBe(before.length + 1);
      await theirs.kill();
    }, 120_000);
  }

  it('with appendonly yes a reply goes out only once its write is in the AOF file, for concurrent clients', async () => {
    const d = dir('server-aof-order');
    const p = await lab(d, ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']);
    const conns = await Promise.all([1, 2, 3, 4].map(() => TestConnection.open(p.port)));
    const incr = join(d, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    let checked = 0;
    for (let round = 0; round < 25; round++) {
      await Promise.all(
        conns.map(async (c, i) => {
          const key = `order:${round}:${i}`;
          const value = `v${'x'.repeat(round)}`;
          expect(await c.call(['SET', key, value])).toEqual({ t: 'status', v: 'OK' });
          // Acknowledged: the command must already be in the file.
          expect(readFileSync(incr, 'latin1')).toContain(
            `$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`,
          );
          checked++;
        }),
      );
    }
    for (const c of conns) c.close();
    expect(checked).toBe(100);
    await p.kill();
  }, 60_000);

  it('RDB (appendonly no): SAVE, SIGKILL, restart: the data is back, and redis-server loads that dump.rdb', async () => {
    const d = dir('server-rdb');
    const args = ['--save', '', '--appendonly', 'no'];
    const first = await lab(d, args);
    const before = await fill(first);
    expect(await first.call(['SAVE'])).toEqual({ t: 'status', v: 'OK' });
    // Written after the save: an RDB-only server loses it in a crash.
    expect(await first.call(['SET', 'after:save', 'lost'])).toEqual({ t: 'status', v: 'OK' });
    await first.kill();
    expect(existsSync(join(d, 'dump.rdb'))).toBe(true);
    expect(existsSync(join(d, 'appendonlydir'))).toBe(false);

    const second = await lab(d, args);
    expect(second.output()).toContain('DB loaded from disk');
    const reloaded = withoutSeenTimes(await canonicalOverCommands(second.call));
    expect(noEncodings(reloaded)).toEqual(noEncodings(before));
    await second.kill();

    // redis-server loading the same file: same values and the same encodings as our reload.
    const theirs = await real(d, args);
    expect(theirs.output()).toContain('DB loaded from disk');
    expect(withoutSeenTimes(await canonicalOverCommands(theirs.call))).toEqual(reloaded);
    await theirs.kill();
  }, 120_000);
});
