// Set commands (src/t_set.c): SADD, SREM, SMOVE, SISMEMBER, SMISMEMBER, SCARD and SSCAN over
// types/set.ts (intset ↔ hashtable). The set algebra lives in set-ops.ts, SPOP/SRANDMEMBER in
// set-random.ts; SET_COMMANDS gathers them all. Keyspace events use class 's'.

import { array, int, ONE, type Reply, ZERO } from '../protocol/reply';
import type { RedisSet } from '../types/set';
import { type CommandSpec, defineCommand, integer, key, pattern, str, tokArg } from './define';
import { removeElements } from './collection';
import { parseScanCursor } from './keys';
import { EMPTY_SCAN, parseScanOptions, scanCollection } from './scan-collection';
import { SET_OPS_COMMANDS } from './set-ops';
import { SET_RANDOM_COMMANDS } from './set-random';
import { asSet, maxIntset, newSetFor, readSet, setModified, skey, writeSet } from './set-value';

/** SADD key member [member ...] */
export const SADD = defineCommand({
  name: 'SADD',
  group: 'set',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RW', 'INSERT'])],
  args: [key(), str('member', { multiple: true })],
  summary: 'Add one or more members to a set',
  complexity:
    'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  since: '1.0.0',
  history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  exec(c, argv): Reply {
    const k = argv[1];
    let s = writeSet(c, k);
    if (s === undefined) {
      s = newSetFor(c, argv[2]);
      c.db.add(k, s);
    }
    const max = maxIntset(c);
    let added = 0;
    for (let i = 2; i < argv.length; i++) if (s.add(argv[i], max)) added++;
    if (added > 0) setModified(c, k, 'sadd');
    c.engine.dirty += added;
    return int(added);
  },
});

/** SREM key member [member ...] */
export const SREM = defineCommand({
  name: 'SREM',
  group: 'set',
  arity: -3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RW', 'DELETE'])],
  args: [key(), str('member', { multiple: true })],
  summary: 'Remove one or more members from a set',
  complexity: 'O(N) where N is the number of members to be removed.',
  since: '1.0.0',
  history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  exec(c, argv): Reply {
    const k = argv[1];
    const s = writeSet(c, k);
    if (s === undefined) return ZERO;
    return int(
      removeElements(
        c,
        k,
        argv,
        2,
        (m) => s.remove(m),
        () => s.size,
        's',
        'srem',
      ),
    );
  },
});

/** SMOVE source destination member */
export const SMOVE = defineCommand({
  name: 'SMOVE',
  group: 'set',
  arity: 4,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: [skey(['RW', 'ACCESS', 'DELETE']), skey(['RW', 'INSERT'], 2)],
  args: [key('source'), key('destination'), str('member')],
  summary: 'Move a member from one set to another',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const [, src, dst, ele] = argv;
    const srcv = c.db.lookupWrite(src);
    const dstv = c.db.lookupWrite(dst);
    if (srcv === undefined) return ZERO;
    const srcset = asSet(srcv) as RedisSet;
    let dstset = asSet(dstv);
    // The same set on both sides: nothing moves.
    if (srcset === dstset) return srcset.has(ele) ? ONE : ZERO;
    if (!srcset.remove(ele)) return ZERO;
    c.engine.notify('s', 'srem', src, c.db.id);
    const srcRemoved = srcset.size === 0;
    if (srcRemoved) {
      c.db.delete(src);
      c.engine.notify('g', 'del', src, c.db.id);
    }
    if (dstset === undefined) {
      dstset = newSetFor(c, ele);
      c.db.add(dst, dstset);
    }
    if (!srcRemoved) c.db.signalModified(src);
    c.engine.dirty++;
    if (dstset.add(ele, maxIntset(c))) {
      c.engine.dirty++;
      setModified(c, dst, 'sadd');
    }
    return ONE;
  },
});

/** SISMEMBER key member */
export const SISMEMBER = defineCommand({
  name: 'SISMEMBER',
  group: 'set',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO'])],
  args: [key(), str('member')],
  summary: 'Determine if a given value is a member of a set',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return readSet(c, argv[1])?.has(argv[2]) ? ONE : ZERO;
  },
});

/** SMISMEMBER key member [member ...] */
export const SMISMEMBER = defineCommand({
  name: 'SMISMEMBER',
  group: 'set',
  arity: -3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'])],
  args: [key(), str('member', { multiple: true })],
  summary: 'Returns the membership associated with the given elements for a set',
  complexity: 'O(N) where N is the number of elements being checked for membership',
  since: '6.2.0',
  exec(c, argv): Reply {
    const s = readSet(c, argv[1]);
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) out.push(s?.has(argv[i]) ? ONE : ZERO);
    return array(out);
  },
});

/** SCARD key */
export const SCARD = defineCommand({
  name: 'SCARD',
  group: 'set',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO'])],
  args: [key()],
  summary: 'Get the number of members in a set',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return int(readSet(c, argv[1])?.size ?? 0);
  },
});

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
export const SSCAN = defineCommand({
  name: 'SSCAN',
  group: 'set',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'])],
  args: [
    key(),
    integer('cursor'),
    tokArg('MATCH', pattern('pattern', { optional: true })),
    tokArg('COUNT', integer('count', { optional: true })),
  ],
  summary: 'Incrementally iterate Set elements',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  since: '2.8.0',
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const cursor = parseScanCursor(argv[2]);
    const s = readSet(c, argv[1]);
    if (s === undefined) return EMPTY_SCAN;
    const opts = parseScanOptions(argv, 3);
    return scanCollection(
      cursor,
      opts,
      1,
      (cur, out) => s.scanStep(cur, (m) => out.push(m)),
      (out) => {
        for (const m of s.members()) out.push(m);
      },
    );
  },
});

export const SET_COMMANDS: readonly CommandSpec[] = [
  SADD,
  SCARD,
  SISMEMBER,
  SMISMEMBER,
  SMOVE,
  SREM,
  SSCAN,
  ...SET_OPS_COMMANDS,
  ...SET_RANDOM_COMMANDS,
];
