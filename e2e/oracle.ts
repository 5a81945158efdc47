// The real redis-server and redis-cli 7.0 as the e2e specs' oracle: a private server on a free port,
// and redis-cli --no-raw (the TTY format without a terminal) run over a scripted session.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealRedis {
  readonly port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Start redis-server on a free port (no persistence, DEBUG allowed) and wait until it listens. */
export async function startRealRedis(): Promise<RealRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lab-oracle-'));
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    port,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SEPARATOR = '--8<-- lab oracle --8<--';

/**
 * Feed `commands` to one `redis-cli -p PORT --no-raw` on stdin (one connection, so SELECT and the
 * like carry over, and lines are split with redis-cli's own rules) and cut its output per command:
 * an `ECHO <separator>` runs between commands. Each command's output lines, in order.
 */
export function redisCliSession(port: number, commands: readonly string[]): string[][] {
  const input = commands.map((c) => `${c}\nECHO "${SEPARATOR}"\n`).join('');
  const out = execFileSync('redis-cli', ['-p', String(port), '--no-raw'], { input, encoding: 'latin1' });
  const chunks = out.split(`"${SEPARATOR}"\n`);
  if (chunks.at(-1) === '') chunks.pop();
  if (chunks.length !== commands.length)
    throw new Error(`redis-cli gave ${chunks.length} outputs for ${commands.length} commands`);
  return chunks.map((c) => c.replace(/\n$/, '').split('\n'));
}

/** redis-cli's version line, e.g. "redis-cli 7.0.15". */
export function redisCliVersion(): string {
  return execFileSync('redis-cli', ['--version'], { encoding: 'utf8' }).trim();
}
