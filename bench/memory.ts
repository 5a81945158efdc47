// Part (c) of `npm run bench`: memory for N × `SET key:<i> value:<i>`. Ours: V8 heap used by the
// engine (a fresh `node --expose-gc` process feeding the requests through the server's connection
// code, heapUsed after GC minus before); Redis: INFO used_memory after the same SETs minus before.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { createEngine } from '../engine/index';
import { encodeCommand } from '../engine/protocol/resp';
import { RespConnection } from '../engine/server/resp-server';
import { TestConnection } from '../tests/conformance/connection';
import { startRealRedis } from '../tests/conformance/redis-process';
import { FakeSocket } from './fake-socket';

export interface MemoryResult {
  keys: number;
  /** Bytes of V8 heap our engine holds for the keys. */
  ours: number;
  /** Bytes of used_memory Redis holds for the keys. */
  real: number;
  oursKeys: number;
  realKeys: number;
}

const BATCH = 1000;

/** The requests for keys [from, to) as one pipelined chunk. */
function setBatch(from: number, to: number): string {
  let wire = '';
  for (let i = from; i < to; i++) wire += encodeCommand(['SET', `key:${i}`, `value:${i}`]);
  return wire;
}

/** Runs in the child process (`--expose-gc`): prints {"bytes","keys"} as JSON. */
function child(n: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const engine = createEngine({ config: { save: '' } });
  const socket = new FakeSocket();
  new RespConnection(engine, socket, 10, undefined, () => {});
  // Warm up every code path first (compiled code would otherwise count), then start from empty.
  socket.emit('data', Buffer.from(setBatch(0, BATCH), 'latin1'));
  socket.emit('data', Buffer.from(encodeCommand(['FLUSHALL']), 'latin1'));
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i += BATCH) socket.emit('data', Buffer.from(setBatch(i, Math.min(n, i + BATCH)), 'latin1'));
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  process.stdout.write(`${JSON.stringify({ bytes: after - before, keys: engine.dbs[0].size })}\n`);
}

function measureOurs(n: number): Promise<{ bytes: number; keys: number }> {
  return new Promise((resolve, reject) => {
    const script = new URL(import.meta.url).pathname;
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, '--child', String(n)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.stderr.on('data', (d) => {
      err += d;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}

async function usedMemory(conn: TestConnection): Promise<{ used: number; keys: number }> {
  const info = await conn.call(['INFO', 'memory']);
  const size = await conn.call(['DBSIZE']);
  const m = info.t === 'bulk' && info.v !== null ? /used_memory:(\d+)/.exec(info.v) : null;
  if (!m || size.t !== 'int') throw new Error('unexpected INFO/DBSIZE reply from redis-server');
  return { used: Number(m[1]), keys: Number(size.v) };
}

/** Pipeline the SETs over a raw socket, BATCH at a time, waiting for each batch's "+OK"s. */
function loadReal(port: number, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let next = 0;
    let expected = 0;
    let received = 0;
    const send = () => {
      if (next >= n) {
        sock.end();
        return resolve();
      }
      const to = Math.min(n, next + BATCH);
      expected += (to - next) * 5; // "+OK\r\n"
      sock.write(setBatch(next, to), 'latin1');
      next = to;
    };
    sock.on('connect', send);
    sock.on('data', (d) => {
      received += d.length;
      if (received === expected) send();
    });
    sock.on('error', reject);
  });
}

async function measureReal(n: number): Promise<{ bytes: number; keys: number }> {
  const real = await startRealRedis(['--save', '']);
  try {
    const conn = await TestConnection.open(real.port);
    try {
      const before = await usedMemory(conn);
      await loadReal(real.port, n);
      // Let an incremental rehash of the main dict finish before reading used_memory.
      await new Promise((r) => setTimeout(r, 1000));
      const after = await usedMemory(conn);
      return { bytes: after.used - before.used, keys: after.keys };
    } finally {
      conn.close();
    }
  } finally {
    await real.stop();
  }
}

export async function runMemory(n: number): Promise<MemoryResult> {
  const ours = await measureOurs(n);
  const real = await measureReal(n);
  return { keys: n, ours: ours.bytes, real: real.bytes, oursKeys: ours.keys, realKeys: real.keys };
}

if (process.argv[2] === '--child') child(Number(process.argv[3]));
