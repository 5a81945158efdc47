// Stream commands (src/t_stream.c): XADD, XTRIM, XDEL, XLEN, XRANGE/XREVRANGE and XSETID. Reading
// (XREAD/XREADGROUP) lives in stream-read.ts, consumer groups (XGROUP, XACK, XPENDING, XCLAIM,
// XAUTOCLAIM) in stream-group.ts, XINFO in stream-info.ts; STREAM_COMMANDS gathers them all.

import type { Client } from '../client';
import { E, wrongArity } from '../errors';
import { array, bulk, EMPTY_ARRAY, int, NIL, NIL_ARRAY, OK, type Reply, ZERO } from '../protocol/reply';
import { formatId, ID_MAX, RedisStream } from '../types/stream';
import { fail, isCToken, parseInteger } from './args';
import { type CommandSpec, defineCommand, integer, key, oneof, str, tok } from './define';
import {
  intervalArg,
  nodeLimits,
  parseAddOrTrim,
  rangeReply,
  readStream,
  rewriteApproxTrim,
  strictIdArg,
  writeStream,
  xkeys,
} from './stream-common';
import { STREAM_GROUP_COMMANDS } from './stream-group';
import { STREAM_INFO_COMMANDS } from './stream-info';
import { STREAM_READ_COMMANDS } from './stream-read';

/** The trimming block shared by XADD and XTRIM's argument trees. */
const TRIM_ARGS = [
  oneof('strategy', [tok('MAXLEN'), tok('MINID', { since: '6.2.0' })], { optional: false }),
  oneof('operator', [tok('=', { name: 'equal' }), tok('~', { name: 'approximately' })]),
  str('threshold'),
  integer('count', { token: 'LIMIT', optional: true, since: '6.2.0' }),
];

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
export const XADD = defineCommand({
  name: 'XADD',
  group: 'stream',
  arity: -5,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [
    { ...xkeys(['RW', 'UPDATE']), notes: 'UPDATE instead of INSERT because of the optional trimming feature' },
  ],
  args: [
    key(),
    tok('NOMKSTREAM', { since: '6.2.0' }),
    { name: 'trim', type: 'block', optional: true, args: TRIM_ARGS },
    oneof('id_or_auto', [tok('*', { name: 'auto_id' }), str('id')], { optional: false }),
    { name: 'field_value', type: 'block', multiple: true, args: [str('field'), str('value')] },
  ],
  summary: 'Appends a new entry to a stream',
  complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
  since: '5.0.0',
  history: [
    ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
    ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
  ],
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const a = parseAddOrTrim(c, argv, true);
    const fieldPos = a.idPos + 1;
    const n = argv.length - fieldPos;
    if (n < 2 || n % 2 === 1) fail(wrongArity('xadd'));
    // Refused before the key is created, so a failed XADD never leaves an empty stream behind.
    if (a.idGiven && a.seqGiven && a.id === 0n) fail(E.XADD_ID_ZERO);
    const k = argv[1];
    let s = writeStream(c, k);
    if (s === undefined) {
      if (a.noMkstream) return NIL;
      s = new RedisStream();
      c.db.add(k, s);
    }
    if (s.lastId === ID_MAX) fail(E.XADD_EXHAUSTED);
    const r = s.append(argv.slice(fieldPos), a.idGiven ? a.id : null, a.seqGiven, c.engine.clock.now(), nodeLimits(c));
    if (!r.ok) fail(r.error === 'EDOM' ? E.XADD_ID_TOO_SMALL : E.XADD_TOO_LARGE);
    const id = formatId(r.id);
    const db = c.db;
    db.signalModified(k);
    c.engine.notify('t', 'xadd', k, db.id);
    c.engine.dirty++;
    let prop: string[] | null = null;
    if (a.trim !== null) {
      if (s.trim(a.trim)) c.engine.notify('t', 'xtrim', k, db.id);
      if (a.trim.approx) rewriteApproxTrim((prop = argv.slice()), s, a);
    }
    // The generated ID is what replicas and the AOF get.
    if (!a.idGiven || !a.seqGiven) (prop ??= argv.slice())[a.idPos] = id;
    if (prop !== null) c.engine.rewritePropagation(prop);
    c.engine.blocking.signalKeyAsReady(db, k, 'stream');
    return bulk(id);
  },
});

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
export const XTRIM = defineCommand({
  name: 'XTRIM',
  group: 'stream',
  arity: -4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'DELETE'])],
  args: [key(), { name: 'trim', type: 'block', args: TRIM_ARGS }],
  summary: "Trims the stream to (approximately if '~' is passed) a certain size",
  complexity:
    'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
  since: '5.0.0',
  history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']],
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const a = parseAddOrTrim(c, argv, false);
    const k = argv[1];
    const s = writeStream(c, k);
    if (s === undefined || a.trim === null) return ZERO;
    const deleted = s.trim(a.trim);
    if (deleted) {
      c.engine.notify('t', 'xtrim', k, c.db.id);
      if (a.trim.approx) {
        const prop = argv.slice();
        rewriteApproxTrim(prop, s, a);
        c.engine.rewritePropagation(prop);
      }
      c.db.signalModified(k);
      c.engine.dirty += deleted;
    }
    return int(deleted);
  },
});

/** XDEL key id [id ...] */
export const XDEL = defineCommand({
  name: 'XDEL',
  group: 'stream',
  arity: -3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'DELETE'])],
  args: [key(), str('id', { multiple: true })],
  summary:
    'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
  complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  since: '5.0.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const s = writeStream(c, k);
    if (s === undefined) return ZERO;
    // Every ID is checked first: the command is not applied halfway.
    const ids = argv.slice(2).map((a) => strictIdArg(a));
    let deleted = 0;
    let firstEntry = false;
    for (const id of ids) {
      if (!s.delete(id)) continue;
      if (id === s.firstId) firstEntry = true;
      if (id > s.maxDeletedId) s.maxDeletedId = id;
      deleted++;
    }
    if (deleted) {
      if (s.length === 0) s.firstId = 0n;
      else if (firstEntry) s.firstId = s.edgeId(true, true);
      c.db.signalModified(k);
      c.engine.notify('t', 'xdel', k, c.db.id);
      c.engine.dirty += deleted;
    }
    return int(deleted);
  },
});

/** XLEN key */
export const XLEN = defineCommand({
  name: 'XLEN',
  group: 'stream',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RO'])],
  args: [key()],
  summary: 'Return the number of entries in a stream',
  complexity: 'O(1)',
  since: '5.0.0',
  exec: (c, argv) => int(readStream(c, argv[1])?.length ?? 0),
});

/** xrangeGenericCommand: XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n]. */
function xrange(c: Client, argv: string[], rev: boolean): Reply {
  const start = intervalArg(rev ? argv[3] : argv[2], true);
  const end = intervalArg(rev ? argv[2] : argv[3], false);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isCToken(argv[j], 'COUNT') && argv.length - j - 1 >= 1) {
      count = Number(parseInteger(argv[++j]));
      if (count < 0) count = 0;
    } else {
      fail(E.SYNTAX);
    }
  }
  const s = readStream(c, argv[1]);
  if (s === undefined) return EMPTY_ARRAY;
  if (count === 0) return NIL_ARRAY;
  return array(rangeReply(s, start, end, count === -1 ? 0 : count, rev));
}

const RANGE_SPEC = {
  group: 'stream',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RO', 'ACCESS'])],
  since: '5.0.0',
  history: [['6.2.0', 'Added exclusive ranges.']],
} as const;

/** XRANGE key start end [COUNT count] */
export const XRANGE = defineCommand({
  ...RANGE_SPEC,
  name: 'XRANGE',
  args: [key(), str('start'), str('end'), integer('count', { token: 'COUNT', optional: true })],
  summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
  complexity:
    'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  exec: (c, argv) => xrange(c, argv, false),
});

/** XREVRANGE key end start [COUNT count] */
export const XREVRANGE = defineCommand({
  ...RANGE_SPEC,
  name: 'XREVRANGE',
  args: [key(), str('end'), str('start'), integer('count', { token: 'COUNT', optional: true })],
  summary:
    'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
  complexity:
    'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  exec: (c, argv) => xrange(c, argv, true),
});

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
export const XSETID = defineCommand({
  name: 'XSETID',
  group: 'stream',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'UPDATE'])],
  args: [
    key(),
    str('last-id'),
    integer('entries_added', { token: 'ENTRIESADDED', optional: true, since: '7.0.0' }),
    str('max_deleted_entry_id', { token: 'MAXDELETEDID', optional: true, since: '7.0.0' }),
  ],
  summary: 'An internal command for replicating stream values',
  complexity: 'O(1)',
  since: '5.0.0',
  history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
  exec(c, argv): Reply {
    const id = strictIdArg(argv[2]);
    let entriesAdded = -1n;
    let maxDeleted = 0n;
    for (let i = 3; i < argv.length; i += 2) {
      const more = argv.length - 1 - i;
      if (isCToken(argv[i], 'ENTRIESADDED') && more) {
        entriesAdded = BigInt(parseInteger(argv[i + 1]));
        if (entriesAdded < 0n) fail(E.XSETID_ENTRIES_ADDED_NEGATIVE);
      } else if (isCToken(argv[i], 'MAXDELETEDID') && more) {
        maxDeleted = strictIdArg(argv[i + 1]);
        if (id < maxDeleted) fail(E.XSETID_BELOW_MAX_DELETED);
      } else {
        fail(E.SYNTAX);
      }
    }
    const k = argv[1];
    const s = writeStream(c, k) ?? fail(E.NO_SUCH_KEY);
    if (s.length > 0) {
      // The top item is the last live entry, not the recorded last ID.
      if (id < (s.lastValidId() ?? 0n)) fail(E.XSETID_BELOW_TOP);
      if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) fail(E.XSETID_ENTRIES_ADDED_SMALL);
    }
    s.lastId = id;
    if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
    if (maxDeleted !== 0n) s.maxDeletedId = maxDeleted;
    c.engine.dirty++;
    c.engine.notify('t', 'xsetid', k, c.db.id);
    return OK;
  },
});

export const STREAM_COMMANDS: readonly CommandSpec[] = [
  XADD,
  XTRIM,
  XDEL,
  XLEN,
  XRANGE,
  XREVRANGE,
  XSETID,
  ...STREAM_READ_COMMANDS,
  ...STREAM_GROUP_COMMANDS,
  ...STREAM_INFO_COMMANDS,
];
