// HyperLogLog commands (src/hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST. An HLL
// is a raw-encoded string in Redis's exact byte format (types/hll.ts), so GET/SET/DUMP see the
// same bytes as on a real server; PFCOUNT caches the cardinality in the header.

import type { Client } from '../client';
import { E, hllSelfTestFailed, pfdebugUnknown } from '../errors';
import { META_RAW } from '../keyspace/db';
import { array, bulk, int, OK, ONE, type Reply, status, ZERO } from '../protocol/reply';
import {
  estimate,
  estimateRaw,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTER_MAX,
  HLL_REGISTERS,
  HLL_SPARSE,
  Hll,
  isHllString,
} from '../types/hll';
import { fail, isCToken } from './args';
import { type CommandSpec, defineCommand, key, str } from './define';
import { markRaw } from './bitmap-common';

/** isHLLObjectOrReply on a looked-up value: the parsed HLL, WRONGTYPE for anything else. */
function asHll(v: unknown): Hll {
  if (typeof v !== 'string') return fail(E.WRONGTYPE);
  if (!isHllString(v)) fail(E.HLL_WRONGTYPE);
  return Hll.fromString(v);
}

const maxSparse = (c: Client): number => c.engine.config.getInt('hll-sparse-max-bytes');

/** An in-place change Redis makes without signalling the key (a representation change, a failed add). */
function storeQuietly(c: Client, k: string, h: Hll): void {
  const e = c.db.dict.getEntry(k);
  if (e === undefined) return;
  e.val = h.toString();
  e.meta |= META_RAW;
}

/** PFADD key [element [element ...]] */
export const PFADD = defineCommand({
  name: 'PFADD',
  group: 'hyperloglog',
  arity: -2,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [{ flags: ['RW', 'INSERT'], begin: { index: 1 }, find: { lastKey: 0, step: 1, limit: 0 } }],
  args: [key(), str('element', { optional: true, multiple: true })],
  summary: 'Adds the specified elements to the specified HyperLogLog.',
  complexity: 'O(1) to add every element.',
  since: '2.8.9',
  exec(c, argv): Reply {
    const k = argv[1];
    const v = c.db.lookupWrite(k);
    let updated = 0;
    const h = v === undefined ? Hll.create() : asHll(v);
    if (v === undefined) updated++;
    const max = maxSparse(c);
    for (let j = 2; j < argv.length; j++) {
      const r = h.add(argv[j], max);
      if (r === 1) updated++;
      else if (r === -1) {
        // The registers already raised stay raised, without a cache invalidation or a signal.
        storeQuietly(c, k, h);
        fail(E.HLL_INVALID);
      }
    }
    if (updated === 0) {
      markRaw(c, k);
      return ZERO;
    }
    h.invalidateCache();
    if (v === undefined) c.db.add(k, h.toString(), true);
    else c.db.overwrite(k, h.toString(), true);
    c.engine.notify('$', 'pfadd', k, c.db.id);
    c.engine.dirty += updated;
    return ONE;
  },
});

/** PFCOUNT key [key ...] — one key: the cached or recomputed estimate; several: the union's */
export const PFCOUNT = defineCommand({
  name: 'PFCOUNT',
  group: 'hyperloglog',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [
    {
      notes: 'RW because it may change the internal representation of the key, and propagate to replicas',
      flags: ['RW', 'ACCESS'],
      begin: { index: 1 },
      find: { lastKey: -1, step: 1, limit: 0 },
    },
  ],
  args: [key('key', { multiple: true })],
  summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
  complexity:
    'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
  since: '2.8.9',
  exec(c, argv): Reply {
    if (argv.length > 2) {
      const max = new Uint8Array(HLL_REGISTERS);
      for (let j = 1; j < argv.length; j++) {
        const v = c.db.lookupRead(argv[j]);
        if (v === undefined) continue;
        if (!asHll(v).mergeInto(max)) fail(E.HLL_INVALID);
      }
      return int(estimateRaw(max));
    }
    const k = argv[1];
    const v = c.db.lookupRead(k);
    if (v === undefined) return ZERO;
    const h = asHll(v);
    markRaw(c, k);
    if (h.cacheValid) {
      const card = BigInt.asIntN(64, h.cachedCard);
      return int(card <= BigInt(Number.MAX_SAFE_INTEGER) && card >= 0n ? Number(card) : card);
    }
    const { histo, invalid } = h.histogram();
    if (invalid) fail(E.HLL_INVALID);
    const card = estimate(histo);
    h.cachedCard = BigInt(card);
    // A read-only command that rewrites the cached value: signalled and propagated.
    c.db.overwrite(k, h.toString(), true);
    c.engine.dirty++;
    return int(card);
  },
});

/** PFMERGE destkey [sourcekey [sourcekey ...]] */
export const PFMERGE = defineCommand({
  name: 'PFMERGE',
  group: 'hyperloglog',
  arity: -2,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [
    { flags: ['RW', 'ACCESS', 'INSERT'], begin: { index: 1 }, find: { lastKey: 0, step: 1, limit: 0 } },
    { flags: ['RO', 'ACCESS'], begin: { index: 2 }, find: { lastKey: -1, step: 1, limit: 0 } },
  ],
  args: [key('destkey'), key('sourcekey', { multiple: true })],
  summary: 'Merge N different HyperLogLogs into a single one.',
  complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
  since: '2.8.9',
  exec(c, argv): Reply {
    const max = new Uint8Array(HLL_REGISTERS);
    let useDense = false;
    // The destination is merged too: it is argv[1].
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.lookupRead(argv[j]);
      if (v === undefined) continue;
      const h = asHll(v);
      if (h.encoding === HLL_DENSE) useDense = true;
      if (!h.mergeInto(max)) fail(E.HLL_INVALID);
    }
    const k = argv[1];
    const cur = c.db.lookupWrite(k);
    const dst = cur === undefined ? Hll.create() : Hll.fromString(cur as string);
    if (useDense && !dst.toDense()) fail(E.HLL_INVALID);
    const maxBytes = maxSparse(c);
    for (let j = 0; j < HLL_REGISTERS; j++) {
      if (max[j] === 0) continue;
      if (dst.encoding === HLL_DENSE) {
        if (max[j] > dst.getRegister(j)) dst.setRegister(j, max[j]);
      } else dst.sparseSet(j, max[j], maxBytes);
    }
    dst.invalidateCache();
    if (cur === undefined) c.db.add(k, dst.toString(), true);
    else c.db.overwrite(k, dst.toString(), true);
    c.engine.notify('$', 'pfadd', k, c.db.id);
    c.engine.dirty++;
    return OK;
  },
});

/** The sparse opcodes as PFDEBUG DECODE prints them: "Z:16384", "z:12 v:3,1 ...". */
function decode(h: Hll): string {
  const out: string[] = [];
  for (const op of h.sparseOps()) {
    if (op.op === 'VAL') out.push(`v:${op.value},${op.len}`);
    else out.push(`${op.op === 'ZERO' ? 'z' : 'Z'}:${op.len}`);
  }
  return out.join(' ');
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
export const PFDEBUG = defineCommand({
  name: 'PFDEBUG',
  group: 'hyperloglog',
  arity: 3,
  flags: ['write', 'denyoom', 'admin'],
  keys: { first: 2, last: 2, step: 1 },
  keySpecs: [{ flags: ['RW', 'ACCESS'], begin: { index: 2 }, find: { lastKey: 0, step: 1, limit: 0 } }],
  args: [str('subcommand'), key()],
  summary: 'Internal commands for debugging HyperLogLog values',
  complexity: 'N/A',
  since: '2.8.9',
  docFlags: ['syscmd'],
  exec(c, argv): Reply {
    const sub = argv[1];
    const k = argv[2];
    const v = c.db.lookupWrite(k);
    if (v === undefined) fail(E.PFDEBUG_NO_KEY);
    const h = asHll(v);
    markRaw(c, k);
    if (isCToken(sub, 'GETREG') || isCToken(sub, 'TODENSE')) {
      let converted = false;
      if (h.encoding === HLL_SPARSE) {
        if (!h.toDense()) fail(E.HLL_INVALID);
        storeQuietly(c, k, h);
        c.engine.dirty++; // forces propagation of the encoding change
        converted = true;
      }
      if (isCToken(sub, 'TODENSE')) return converted ? ONE : ZERO;
      const regs: Reply[] = new Array(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) regs[j] = int(h.getRegister(j));
      return array(regs);
    }
    if (isCToken(sub, 'DECODE')) {
      if (h.encoding !== HLL_SPARSE) fail(E.PFDEBUG_NOT_SPARSE);
      return bulk(decode(h));
    }
    if (isCToken(sub, 'ENCODING')) return status(h.encoding === HLL_DENSE ? 'dense' : 'sparse');
    return fail(pfdebugUnknown(sub));
  },
});

/** A deterministic 32-bit generator for the self test (Redis uses rand()). */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

// LAB: Redis runs 1000 register cycles and adds 10 million elements; the lab runs 10 cycles and
// 100 thousand elements so the command answers in well under a second in a browser.
const SELFTEST_CYCLES = 10;
const SELFTEST_ELEMENTS = 100_000;

/** pfselftestCommand: register access, then dense/sparse agreement and error bounds. */
function selfTest(c: Client): Reply {
  const rand = xorshift(c.engine.random.int(0x7fffffff));
  const dense = Hll.fromString(`HYLL${'\0'.repeat(HLL_DENSE_SIZE - 4)}`);
  const bytes = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < SELFTEST_CYCLES; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      bytes[i] = rand() & HLL_REGISTER_MAX;
      dense.setRegister(i, bytes[i]);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = dense.getRegister(i);
      if (val !== bytes[i]) fail(hllSelfTestFailed(`Register ${i} should be ${bytes[i]} but is ${val}`));
    }
  }
  const clean = Hll.fromString(`HYLL${'\0'.repeat(HLL_DENSE_SIZE - 4)}`);
  const sparse = Hll.create();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const maxBytes = maxSparse(c);
  const seedHi = rand();
  const seedLo = rand();
  let checkpoint = 1;
  for (let j = 1; j <= SELFTEST_ELEMENTS; j++) {
    // The element is the 8 bytes of (j ^ seed), little endian, as in Redis.
    const lo = (j ^ seedLo) >>> 0;
    let ele = '';
    for (let b = 0; b < 4; b++) ele += String.fromCharCode((lo >>> (8 * b)) & 0xff);
    for (let b = 0; b < 4; b++) ele += String.fromCharCode((seedHi >>> (8 * b)) & 0xff);
    clean.add(ele, maxBytes);
    sparse.add(ele, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.encoding !== HLL_SPARSE) fail(hllSelfTestFailed('sparse encoding not used'));
    const card = estimate(clean.histogram().histo);
    if (card !== estimate(sparse.histogram().histo)) fail(hllSelfTestFailed('dense/sparse disagree'));
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - card);
    if (abserr > maxerr) fail(hllSelfTestFailed(`Too big error. card:${checkpoint} abserr:${abserr}`));
    checkpoint *= 10;
  }
  return OK;
}

/** PFSELFTEST */
export const PFSELFTEST = defineCommand({
  name: 'PFSELFTEST',
  group: 'hyperloglog',
  arity: 1,
  flags: ['admin'],
  summary: 'An internal command for testing HyperLogLog values',
  complexity: 'N/A',
  since: '2.8.9',
  docFlags: ['syscmd'],
  exec: (c) => selfTest(c),
});

export const HLL_COMMANDS: readonly CommandSpec[] = [PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST];
