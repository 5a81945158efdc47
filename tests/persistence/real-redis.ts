// Real redis-server 7.0 processes for the persistence interop tests: started on a directory of our
// choosing (to load our files, or to produce its own), queried over RESP, and its log captured.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../engine/protocol/reply';
import { TestConnection } from '../conformance/connection';
import { freePort } from '../conformance/redis-process';

export interface RealRedis {
  port: number;
  conn: TestConnection;
  call(argv: string[]): Promise<Reply>;
  /** Log lines so far, without the "pid:role date time " prefix. */
  log(): string[];
  stop(): Promise<void>;
}

export function tempDir(tag: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `redis-lab-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function strip(line: string): string {
  return line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, '');
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function collect(proc: ChildProcess): string[] {
  const lines: string[] = [];
  let buf = '';
  const take = (d: Buffer) => {
    buf += d.toString('latin1');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const p of parts) lines.push(strip(p));
  };
  proc.stdout?.on('data', take);
  proc.stderr?.on('data', take);
  return lines;
}

/** Start redis-server on `dir` (with `args`); resolves once it accepts connections. */
export async function startRedis(dir: string, args: string[] = []): Promise<RealRedis> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      '--enable-debug-command',
      'yes',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = collect(proc);
  const deadline = Date.now() + 15_000;
  while (!(await portOpen(port))) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited: ${lines.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not start: ${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const conn = await TestConnection.open(port);
  return {
    port,
    conn,
    call: (argv) => conn.call(argv, 20_000),
    log: () => lines.slice(),
    stop: () =>
      new Promise((resolve) => {
        conn.close();
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/**
 * Start redis-server on `dir` and see whether it starts or exits (a load that fails), with its log
 * lines; `started` is null when it did neither within `timeoutMs` (a load that never ends).
 */
export async function failedStart(
  dir: string,
  args: string[] = [],
  timeoutMs = 5000,
): Promise<{ started: boolean | null; lines: string[] }> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines = collect(proc);
  const deadline = Date.now() + timeoutMs;
  // An assertion or a crash ends the process by a signal: exitCode stays null, signalCode is set
  // (and its 'exit' event is gone by then: waiting for it would never end).
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const kill = async () => {
    if (exited()) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  };
  for (;;) {
    if (exited()) break;
    if (lines.some((l) => l.includes('Ready to accept connections'))) {
      await kill();
      return { started: true, lines };
    }
    if (Date.now() > deadline) {
      await kill();
      return { started: null, lines };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 20));
  return { started: false, lines };
}
