// HyperLogLog against real redis-server 7.0, live: the same random elements (arbitrary bytes, sets
// of 1..200,000) are PFADDed to Redis, to our TCP server and to the in-process engine; PFCOUNT, the
// union count, PFMERGE and the stored HLL bytes (GET) must be identical, sparse or dense.

import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Reply } from '../../engine/protocol/reply';
import { type Conn, inProcessTarget, tcpTarget } from './targets';

const targets = [
  tcpTarget('redis', inject('redisPort')),
  tcpTarget('lab-server', inject('labPort')),
  inProcessTarget(),
];
const conns: Conn[] = [];
afterAll(() => {
  for (const c of conns) c.close();
});

async function open(): Promise<Conn[]> {
  const opened = await Promise.all(targets.map((t) => t.open()));
  conns.push(...opened);
  return opened;
}

/** Send one command to every target; the replies, Redis's first. */
async function all(cs: Conn[], argv: string[]): Promise<Reply[]> {
  return Promise.all(cs.map(async (c) => (await c.call(argv, false)) as Reply));
}

/** Elements: random byte strings (binary-safe, one char per byte), made distinct by an index suffix. */
const elements = (n: number, salt: string) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${salt}${String.fromCharCode(i & 0xff, (i >> 8) & 0xff, i >> 16)}`);
  return out;
};
const sizeArb = fc
  .double({ min: 0, max: Math.log(200_000), noNaN: true })
  .map((x) => Math.max(1, Math.round(Math.exp(x))));
const saltArb = fc.uint8Array({ minLength: 0, maxLength: 8 }).map((b) => String.fromCharCode(...b));

async function pfadd(cs: Conn[], key: string, els: string[]): Promise<void> {
  for (let i = 0; i < els.length; i += 2000) {
    const replies = await all(cs, ['PFADD', key, ...els.slice(i, i + 2000)]);
    for (const r of replies.slice(1)) expect(r).toEqual(replies[0]);
  }
}

function same(replies: Reply[]): void {
  for (const r of replies.slice(1)) expect(r).toEqual(replies[0]);
}

describe('HyperLogLog equals real Redis on random inputs', () => {
  it('gives the same PFCOUNT and the same bytes for random sets of 1..200,000 elements', async () => {
    const cs = await open();
    let runs = 0;
    let total = 0;
    const encodings = new Set<string>();
    await fc.assert(
      fc.asyncProperty(sizeArb, saltArb, async (n, salt) => {
        await all(cs, ['DEL', 'h']);
        await pfadd(cs, 'h', elements(n, salt));
        same(await all(cs, ['PFCOUNT', 'h']));
        same(await all(cs, ['GET', 'h']));
        const enc = await all(cs, ['PFDEBUG', 'ENCODING', 'h']);
        same(enc);
        if (enc[0].t === 'status') encodings.add(enc[0].v);
        runs++;
        total += n;
      }),
      { numRuns: 30, seed: 4242 },
    );
    console.info(`HLL live: ${runs} random sets, ${total} elements, PFCOUNT and GET bytes identical`);
    // Both representations were exercised.
    expect([...encodings].sort()).toEqual(['dense', 'sparse']);
  }, 120_000);

  it('gives the same union counts and merged bytes for overlapping random sets', async () => {
    const cs = await open();
    await fc.assert(
      fc.asyncProperty(sizeArb, sizeArb, saltArb, saltArb, async (a, b, s1, s2) => {
        await all(cs, ['DEL', 'x', 'y', 'u']);
        await pfadd(cs, 'x', elements(a, s1));
        await pfadd(cs, 'y', elements(b, s2));
        same(await all(cs, ['PFCOUNT', 'x', 'y']));
        same(await all(cs, ['PFMERGE', 'u', 'x', 'y']));
        same(await all(cs, ['GET', 'u']));
        same(await all(cs, ['PFCOUNT', 'u']));
        // Merging a dense key into a sparse one (or the reverse) in place.
        same(await all(cs, ['PFMERGE', 'x', 'y']));
        same(await all(cs, ['GET', 'x']));
      }),
      { numRuns: 15, seed: 5151 },
    );
  }, 120_000);
});
