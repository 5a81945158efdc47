// Bounded fuzzing of our server: for a few seconds several connections send random bytes and
// mutated valid frames while one healthy connection keeps writing and reading its keys. Afterwards
// the server still answers, the healthy data is intact and nothing threw. Seeded: FUZZ_SEED=n.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand } from '../../engine/protocol/resp';
import { TestConnection } from '../conformance/connection';
import { type ServerProcess, startLab } from './servers';

const SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const FUZZ_MS = 5000;
const FUZZERS = 4;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

// Valid requests to mutate: every type, no command that could allocate without bound from a mutated
// number (SETRANGE, SETBIT, BITFIELD), stop the server (SHUTDOWN, DEBUG) or touch other clients' keys.
const FRAMES: string[][] = [
  ['SET', 'fz:s', 'value'],
  ['GET', 'fz:s'],
  ['INCR', 'fz:n'],
  ['INCRBY', 'fz:n', '-7'],
  ['APPEND', 'fz:s', 'more'],
  ['GETRANGE', 'fz:s', '0', '-1'],
  ['MSET', 'fz:a', '1', 'fz:b', '2'],
  ['MGET', 'fz:a', 'fz:b', 'fz:c'],
  ['EXPIRE', 'fz:a', '100'],
  ['TTL', 'fz:a'],
  ['DEL', 'fz:b'],
  ['LPUSH', 'fz:l', 'a', 'b', 'c'],
  ['LRANGE', 'fz:l', '0', '-1'],
  ['HSET', 'fz:h', 'f', 'v', 'g', 'w'],
  ['HGETALL', 'fz:h'],
  ['SADD', 'fz:set', 'x', 'y'],
  ['SMEMBERS', 'fz:set'],
  ['ZADD', 'fz:z', '1.5', 'm', '2', 'n'],
  ['ZRANGE', 'fz:z', '0', '-1', 'WITHSCORES'],
  ['SCAN', '0', 'MATCH', 'fz:*', 'COUNT', '10'],
  ['TYPE', 'fz:z'],
  ['PING'],
  ['ECHO', 'hello'],
  ['MULTI'],
  ['EXEC'],
];

function mutate(rand: (n: number) => number, wire: Uint8Array): Uint8Array {
  const bytes = Array.from(wire);
  const edits = 1 + rand(3);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = rand(bytes.length);
    switch (rand(6)) {
      case 0: // flip a byte
        bytes[at] = rand(256);
        break;
      case 1: // insert junk
        bytes.splice(at, 0, ...Array.from({ length: 1 + rand(8) }, () => rand(256)));
        break;
      case 2: // drop a range
        bytes.splice(at, 1 + rand(6));
        break;
      case 3: // repeat a range
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + rand(10)));
        break;
      case 4: // a different digit (lengths, counts)
        bytes[at] = 48 + rand(10);
        break;
      default: // cut the frame short
        bytes.length = at;
    }
  }
  return Uint8Array.from(bytes);
}

/** One payload: mutated frames, random bytes, or random inline text. */
function payload(rand: (n: number) => number): Uint8Array {
  const kind = rand(4);
  if (kind === 0) return Uint8Array.from({ length: 1 + rand(2000) }, () => rand(256));
  if (kind === 1) {
    const words = ['GET', 'SET', 'fz:i', '"a b', "'c'", '\\x41', '"\\xzz"', 'PING', '""', 'x'];
    let line = '';
    for (let i = rand(6); i >= 0; i--) line += `${words[rand(words.length)]} `;
    return Buffer.from(`${line}${rand(2) ? '\r\n' : '\n'}`, 'latin1');
  }
  const parts: Uint8Array[] = [];
  for (let i = 1 + rand(5); i > 0; i--) {
    const frame = Buffer.from(encodeCommand(FRAMES[rand(FRAMES.length)]), 'latin1');
    parts.push(kind === 2 && rand(3) > 0 ? mutate(rand, frame) : frame);
  }
  return Buffer.concat(parts);
}

/** A fuzzing connection: sends payloads in random pieces, reconnects when closed, until the deadline. */
async function fuzzer(port: number, seed: number, deadline: number, seen: string[]): Promise<number> {
  const rand = prng(seed);
  let connections = 0;
  while (Date.now() < deadline) {
    connections++;
    await new Promise<void>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      let received = '';
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        seen.push(received);
        sock.destroy();
        resolve();
      };
      sock.on('data', (d) => {
        received += d.toString('latin1');
      });
      sock.on('error', () => {});
      sock.on('close', done);
      sock.once('connect', async () => {
        for (let i = 1 + rand(20); i > 0 && !sock.destroyed && Date.now() < deadline; i--) {
          const bytes = payload(rand);
          let at = 0;
          while (at < bytes.length) {
            const n = 1 + rand(bytes.length - at);
            sock.write(bytes.subarray(at, at + n));
            at += n;
            if (rand(4) === 0) await new Promise((r) => setTimeout(r, rand(5)));
          }
        }
        setTimeout(done, 20);
      });
    });
  }
  return connections;
}

describe('fuzzing the server', () => {
  let lab: ServerProcess;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab.stop();
  });

  it(`survives ${FUZZ_MS / 1000} s of random and mutated input while a healthy client works (seed ${SEED})`, async () => {
    const deadline = Date.now() + FUZZ_MS;
    const seen: string[] = [];
    const fuzzers = Array.from({ length: FUZZERS }, (_, i) => fuzzer(lab.port, SEED + i, deadline, seen));

    const healthy = await TestConnection.open(lab.port);
    const expected = new Map<string, string>();
    let rounds = 0;
    while (Date.now() < deadline) {
      const k = `healthy:${rounds % 200}`;
      const v = `v${rounds}\x00\r\n\xff`;
      expect(await healthy.call(['SET', k, v])).toEqual({ t: 'status', v: 'OK' });
      expect(await healthy.call(['GET', k])).toEqual({ t: 'bulk', v });
      expected.set(k, v);
      rounds++;
    }
    const connections = (await Promise.all(fuzzers)).reduce((a, b) => a + b, 0);

    expect(lab.alive()).toBe(true);
    const fresh = await TestConnection.open(lab.port);
    expect(await fresh.call(['PING'])).toEqual({ t: 'status', v: 'PONG' });
    fresh.close();
    for (const [k, v] of expected) expect(await healthy.call(['GET', k])).toEqual({ t: 'bulk', v });
    healthy.close();
    // A handler that throws is answered "ERR internal error"; the server logs connection-level bugs.
    expect(seen.filter((s) => s.includes('internal error'))).toEqual([]);
    expect(lab.output()).not.toMatch(/Internal error|Uncaught|TypeError|RangeError/);
    expect(rounds).toBeGreaterThan(100);
    expect(connections).toBeGreaterThan(FUZZERS);
  });
});
