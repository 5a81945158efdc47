// String length and byte-range commands (src/t_string.c): APPEND, STRLEN, SETRANGE, GETRANGE and
// its deprecated alias SUBSTR. APPEND to an existing key and SETRANGE always leave a "raw" string,
// as Redis's dbUnshareStringValue does; both keep the key's TTL.

import { E } from '../errors';
import { type Reply, bulk, int, ZERO } from '../protocol/reply';
import { type CommandSpec, defineCommand, integer, key, str } from './define';
import { fail, parseInteger } from './args';
import type { Client } from '../client';
import { checkStringLength, getString, getStringForWrite, keySpec, markSharedInt } from './string-value';

const EMPTY_BULK = bulk('');

/** APPEND key value */
export const APPEND = defineCommand({
  name: 'APPEND',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'INSERT']),
  args: [key(), str('value')],
  summary: 'Append a value to a key',
  complexity:
    'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  since: '2.0.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const add = argv[2];
    const old = getStringForWrite(c, k);
    let total: number;
    if (old === undefined) {
      // A new key gets the argument's own encoding (int/embstr/raw), as after SET.
      c.db.add(k, add);
      markSharedInt(c, k, add);
      total = add.length;
    } else {
      checkStringLength(c, old.length, add.length);
      const next = old + add;
      c.db.overwrite(k, next, true);
      total = next.length;
    }
    c.engine.notify('$', 'append', k, c.db.id);
    c.engine.dirty++;
    return int(total);
  },
});

/** STRLEN key */
export const STRLEN = defineCommand({
  name: 'STRLEN',
  group: 'string',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RO']),
  args: [key()],
  summary: 'Get the length of the value stored in a key',
  complexity: 'O(1)',
  since: '2.2.0',
  exec(c, argv): Reply {
    const v = getString(c, argv[1]);
    return v === undefined ? ZERO : int(v.length);
  },
});

/** SETRANGE key offset value — zero-pads up to offset; returns the new length */
export const SETRANGE = defineCommand({
  name: 'SETRANGE',
  group: 'string',
  arity: 4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), integer('offset'), str('value')],
  summary: 'Overwrite part of a string at key starting at the specified offset',
  complexity:
    'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  since: '2.2.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const parsed = parseInteger(argv[2]);
    if (parsed < 0) fail(E.OFFSET_OUT_OF_RANGE);
    const offset = Number(parsed);
    const value = argv[3];
    const old = getStringForWrite(c, k);
    let next: string;
    if (old === undefined) {
      if (value.length === 0) return ZERO;
      checkStringLength(c, offset, value.length);
      next = '\0'.repeat(offset) + value;
      c.db.add(k, next, true);
    } else {
      if (value.length === 0) return int(old.length);
      checkStringLength(c, offset, value.length);
      next =
        old.length >= offset
          ? old.slice(0, offset) + value + old.slice(offset + value.length)
          : old + '\0'.repeat(offset - old.length) + value;
      c.db.overwrite(k, next, true);
    }
    c.engine.notify('$', 'setrange', k, c.db.id);
    c.engine.dirty++;
    return int(next.length);
  },
});

/** getrangeCommand: GETRANGE/SUBSTR key start end, inclusive, negative indexes from the end. */
function getRange(c: Client, argv: string[]): Reply {
  const start = parseInteger(argv[2]);
  const end = parseInteger(argv[3]);
  const v = getString(c, argv[1]);
  if (v === undefined) return EMPTY_BULK;
  // Compared before any conversion: two huge negative bigints must keep their order.
  if (start < 0 && end < 0 && start > end) return EMPTY_BULK;
  const len = v.length;
  let s = Number(start);
  let e = Number(end);
  if (s < 0) s += len;
  if (e < 0) e += len;
  if (s < 0) s = 0;
  if (e < 0) e = 0;
  if (e >= len) e = len - 1;
  if (s > e || len === 0) return EMPTY_BULK;
  return bulk(v.slice(s, e + 1));
}

const RANGE_ARGS = [key(), integer('start'), integer('end')];
const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

/** GETRANGE key start end */
export const GETRANGE = defineCommand({
  name: 'GETRANGE',
  group: 'string',
  arity: 4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: RANGE_ARGS,
  summary: 'Get a substring of the string stored at a key',
  complexity: RANGE_COMPLEXITY,
  since: '2.4.0',
  exec: getRange,
});

/** SUBSTR key start end (deprecated alias of GETRANGE) */
export const SUBSTR = defineCommand({
  name: 'SUBSTR',
  group: 'string',
  arity: 4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RO', 'ACCESS']),
  docFlags: ['deprecated'],
  deprecatedSince: '2.0.0',
  replacedBy: '`GETRANGE`',
  args: RANGE_ARGS,
  summary: 'Get a substring of the string stored at a key',
  complexity: RANGE_COMPLEXITY,
  since: '1.0.0',
  exec: getRange,
});

export const STRING_RANGE_COMMANDS: readonly CommandSpec[] = [APPEND, STRLEN, SETRANGE, GETRANGE, SUBSTR];
