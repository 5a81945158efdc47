// Starting real redis-server 7.0 (the oracle) and our own server as child processes on free ports.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function redisServerVersion(): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? null;
}

async function waitForPort(port: number, proc: ChildProcess, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let output = '';
  proc.stdout?.on('data', (d) => {
    output += d;
  });
  proc.stderr?.on('data', (d) => {
    output += d;
  });
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}: ${output}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end('PING\r\n');
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start on port ${port}: ${output}`);
}

export interface ServerHandle {
  port: number;
  stop(): Promise<void>;
}

/** A private working directory for a server's persistence files (SAVE, DEBUG RELOAD, AOF cases). */
function serverDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `redis-lab-${tag}-`));
}

function handle(proc: ChildProcess, port: number, dir?: string): ServerHandle {
  const removeDir = () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          removeDir();
          return resolve();
        }
        proc.once('exit', () => {
          removeDir();
          resolve();
        });
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * The persistence options both servers run with: no save points, no AOF, a private throwaway dir (so
 * SAVE / DEBUG RELOAD / AOF cases never share files), DEBUG allowed from loopback.
 */
function persistenceArgs(dir: string): string[] {
  return ['--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'local'];
}

/** Real redis-server with persistence off, in a throwaway dir. */
export async function startRealRedis(extraArgs: string[] = []): Promise<ServerHandle> {
  const version = redisServerVersion();
  if (version === null)
    throw new Error('redis-server not found: run `npm test`, which installs it (apt-get install redis-server)');
  const port = await freePort();
  const dir = serverDir('oracle');
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', ...persistenceArgs(dir), ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await waitForPort(port, proc, 'redis-server');
  return handle(proc, port, dir);
}

/** Our server, started exactly as users start it: `tsx engine/server/main.ts --port N`. */
export async function startLabServer(extraArgs: string[] = []): Promise<ServerHandle> {
  const port = await freePort();
  const dir = serverDir('lab');
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'engine/server/main.ts', '--port', String(port), ...persistenceArgs(dir), ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: new URL('../..', import.meta.url).pathname,
    },
  );
  await waitForPort(port, proc, 'lab server');
  return handle(proc, port, dir);
}
