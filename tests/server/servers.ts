// Test helpers for the server tests: our server and a real redis-server as child processes whose
// output is kept (a crash or an internal error must be visible), and raw byte exchanges with them.

import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../conformance/redis-process';

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  /** The process has not exited. */
  alive(): boolean;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = new URL('../..', import.meta.url).pathname;

async function start(command: string, args: string[], ready: RegExp, what: string): Promise<ServerProcess> {
  const proc: ChildProcess = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = Number(args[args.indexOf('--port') + 1]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString('latin1');
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${output}`));
    });
  });
  return {
    port,
    pid: proc.pid ?? -1,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Our server, as users start it: `node --import tsx engine/server/main.ts --port N --save '' ...`. */
export async function startLab(extra: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const args = ['--import', 'tsx', 'engine/server/main.ts', '--port', String(port), '--save', '', ...extra];
  return start(process.execPath, args, /Ready to accept connections/, 'lab server');
}

/** Real redis-server 7.0, persistence off; on `port`, else a free one. */
export async function startRedis(extra: string[] = [], port?: number): Promise<ServerProcess> {
  port ??= await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'];
  return start('redis-server', [...args, ...extra], /Ready to accept connections/, 'redis-server');
}

export interface Exchange {
  /** Everything the server sent back, as a binary string. */
  reply: string;
  /** The server closed the connection. */
  closed: boolean;
  /** The connection was established (a refused one is "closed" with no reply, too). */
  connected: boolean;
}

/**
 * Connect, send `chunks` (a short pause between them), and collect the answer until the server
 * closes the connection or stays quiet for `quietMs`.
 */
export function exchange(port: number, chunks: readonly (string | Uint8Array)[], quietMs = 400): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    let reply = '';
    let closed = false;
    let connected = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ reply, closed, connected });
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      quiet();
    });
    sock.on('error', () => {
      closed = true; // ECONNRESET: the server closed with our bytes unread
    });
    sock.on('close', () => {
      closed = true;
      finish();
    });
    sock.once('connect', async () => {
      connected = true;
      try {
        for (let i = 0; i < chunks.length; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 20));
          const c = chunks[i];
          if (typeof c === 'string') sock.write(c, 'latin1');
          else sock.write(c);
        }
        quiet();
      } catch (err) {
        reject(err);
      }
    });
  });
}
