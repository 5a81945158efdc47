// Expiry commands (src/expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX|XX|GT|LT, TTL, PTTL,
// EXPIRETIME, PEXPIRETIME and PERSIST. Relative expiries propagate as PEXPIREAT with an absolute
// millisecond time; a time already in the past deletes the key and propagates DEL (or UNLINK).

import type { Client } from '../client';
import { E, invalidExpire, unsupportedOption } from '../errors';
import { int, ONE, type Reply, ZERO } from '../protocol/reply';
import { fail, isCToken, parseInteger } from './args';
import { type ArgSpec, type CommandSpec, defineCommand, integer, key, oneof, tok, unixTime } from './define';
import { rangeSpec } from './keys-shared';

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** parseExtendedExpireArgumentsOrReply: NX/XX/GT/LT from argv[3] on, with the incompatibility errors. */
function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    if (isCToken(opt, 'NX')) flags |= EXPIRE_NX;
    else if (isCToken(opt, 'XX')) flags |= EXPIRE_XX;
    else if (isCToken(opt, 'GT')) flags |= EXPIRE_GT;
    else if (isCToken(opt, 'LT')) flags |= EXPIRE_LT;
    else fail(unsupportedOption(opt));
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) fail(E.EXPIRE_NX_XX_GT_LT);
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) fail(E.EXPIRE_GT_LT);
  return flags;
}

/**
 * The absolute expire time in ms: argv[2] in the given unit plus `basetime`, refusing a product or
 * a sum that would overflow a signed 64-bit integer.
 */
function absoluteWhen(arg: string, basetime: number, seconds: boolean, fullname: string): number {
  const v = parseInteger(arg);
  // Fast path: nowhere near an overflow.
  if (typeof v === 'number' && Math.abs(v) < 9007199254740) return (seconds ? v * 1000 : v) + basetime;
  let when = BigInt(v);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) fail(invalidExpire(fullname));
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(basetime)) fail(invalidExpire(fullname));
  // LAB: expire times are kept as JS numbers, exact up to 2^53 ms (the year 287396).
  return Number(when + BigInt(basetime));
}

/** expireGenericCommand: `relative` adds the current time; `seconds` scales argv[2] by 1000. */
function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean, fullname: string): Reply {
  const k = argv[1];
  const flags = parseExpireFlags(argv);
  const when = absoluteWhen(argv[2], relative ? c.engine.now() : 0, seconds, fullname);
  const db = c.db;
  if (db.lookupWrite(k) === undefined) return ZERO;
  if (flags) {
    const current = db.getExpire(k) ?? -1;
    if (flags & EXPIRE_NX && current !== -1) return ZERO;
    if (flags & EXPIRE_XX && current === -1) return ZERO;
    // No TTL counts as infinite: GT never passes, LT always does.
    if (flags & EXPIRE_GT && (when <= current || current === -1)) return ZERO;
    if (flags & EXPIRE_LT && current !== -1 && when >= current) return ZERO;
  }
  if (when <= c.engine.now()) {
    // checkAlreadyExpired: the key goes now, replicated as an explicit DEL (UNLINK when lazy).
    const lazy = c.engine.config.getBool('lazyfree-lazy-expire');
    db.delete(k);
    c.engine.dirty++;
    c.engine.rewritePropagation([lazy ? 'UNLINK' : 'DEL', k]);
    c.engine.notify('g', 'del', k, db.id);
    return ONE;
  }
  db.setExpire(k, when);
  // Propagated as PEXPIREAT <absolute ms>; any NX/XX/GT/LT options stay.
  const prop = argv.slice();
  if (fullname !== 'pexpireat') prop[0] = 'PEXPIREAT';
  if (relative || seconds) prop[2] = String(when);
  c.engine.rewritePropagation(prop);
  db.signalModified(k);
  c.engine.notify('g', 'expire', k, db.id);
  c.engine.dirty++;
  return ONE;
}

const condition = oneof('condition', [tok('NX'), tok('XX'), tok('GT'), tok('LT')], { since: '7.0.0' });

function expireCommand(
  name: string,
  summary: string,
  since: string,
  timeArg: ArgSpec,
  relative: boolean,
  seconds: boolean,
): CommandSpec {
  const fullname = name.toLowerCase();
  return defineCommand({
    name,
    group: 'generic',
    arity: -3,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [rangeSpec(['RW', 'UPDATE'])],
    args: [key(), timeArg, condition],
    summary,
    complexity: 'O(1)',
    since,
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    exec: (c, argv) => expireGeneric(c, argv, relative, seconds, fullname),
  });
}

/** EXPIRE key seconds [NX|XX|GT|LT] */
export const EXPIRE = expireCommand(
  'EXPIRE',
  "Set a key's time to live in seconds",
  '1.0.0',
  integer('seconds'),
  true,
  true,
);

/** PEXPIRE key milliseconds [NX|XX|GT|LT] */
export const PEXPIRE = expireCommand(
  'PEXPIRE',
  "Set a key's time to live in milliseconds",
  '2.6.0',
  integer('milliseconds'),
  true,
  false,
);

/** EXPIREAT key unix-time-seconds [NX|XX|GT|LT] */
export const EXPIREAT = expireCommand(
  'EXPIREAT',
  'Set the expiration for a key as a UNIX timestamp',
  '1.2.0',
  unixTime('unix-time-seconds'),
  false,
  true,
);

/** PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] */
export const PEXPIREAT = expireCommand(
  'PEXPIREAT',
  'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
  '2.6.0',
  unixTime('unix-time-milliseconds'),
  false,
  false,
);

/** ttlGenericCommand: -2 missing, -1 no TTL, else the remaining (or absolute) time; seconds round half up. */
function ttlGeneric(c: Client, k: string, ms: boolean, abs: boolean): Reply {
  if (c.db.lookupReadNoTouch(k) === undefined) return int(-2);
  const expire = c.db.getExpire(k);
  if (expire === undefined) return int(-1);
  let ttl = abs ? expire : expire - c.engine.now();
  if (ttl < 0) ttl = 0;
  return int(ms ? ttl : Math.trunc((ttl + 500) / 1000));
}

function ttlCommand(
  name: string,
  summary: string,
  since: string,
  ms: boolean,
  abs: boolean,
  extra: Pick<CommandSpec, 'history' | 'tips'>,
): CommandSpec {
  return defineCommand({
    name,
    group: 'generic',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [rangeSpec(['RO', 'ACCESS'])],
    args: [key()],
    summary,
    complexity: 'O(1)',
    since,
    ...extra,
    exec: (c, argv) => ttlGeneric(c, argv[1], ms, abs),
  });
}

const TTL_EXTRA = { history: [['2.8.0', 'Added the -2 reply.']], tips: ['nondeterministic_output'] } as const;

/** TTL key */
export const TTL = ttlCommand('TTL', 'Get the time to live for a key in seconds', '1.0.0', false, false, TTL_EXTRA);

/** PTTL key */
export const PTTL = ttlCommand(
  'PTTL',
  'Get the time to live for a key in milliseconds',
  '2.6.0',
  true,
  false,
  TTL_EXTRA,
);

/** EXPIRETIME key */
export const EXPIRETIME = ttlCommand(
  'EXPIRETIME',
  'Get the expiration Unix timestamp for a key',
  '7.0.0',
  false,
  true,
  {},
);

/** PEXPIRETIME key */
export const PEXPIRETIME = ttlCommand(
  'PEXPIRETIME',
  'Get the expiration Unix timestamp for a key in milliseconds',
  '7.0.0',
  true,
  true,
  {},
);

/** PERSIST key */
export const PERSIST = defineCommand({
  name: 'PERSIST',
  group: 'generic',
  arity: 2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [rangeSpec(['RW', 'UPDATE'])],
  args: [key()],
  summary: 'Remove the expiration from a key',
  complexity: 'O(1)',
  since: '2.2.0',
  exec(c, argv): Reply {
    const k = argv[1];
    if (c.db.lookupWrite(k) === undefined || !c.db.removeExpire(k)) return ZERO;
    c.db.signalModified(k);
    c.engine.notify('g', 'persist', k, c.db.id);
    c.engine.dirty++;
    return ONE;
  },
});

export const EXPIRE_COMMANDS: readonly CommandSpec[] = [
  EXPIRE,
  PEXPIRE,
  EXPIREAT,
  PEXPIREAT,
  TTL,
  PTTL,
  EXPIRETIME,
  PEXPIRETIME,
  PERSIST,
];
