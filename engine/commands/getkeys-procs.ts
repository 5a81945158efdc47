// The native getkeys procs of Redis 7.0 (src/db.c sortGetKeys, genericGetKeys, xreadGetKeys...):
// COMMAND GETKEYS falls back to them when a command's key specs are unknown/incomplete or do not fit
// the arguments, and always uses them for commands whose key flags vary (SET, BITFIELD).

import { keySpecs, keysFromSpecs } from './command-docs';
import type { Command, KeySpecFlag } from './define';

export interface KeyRef {
  readonly pos: number;
  readonly flags: readonly KeySpecFlag[];
}

export type GetKeysProc = (argv: readonly string[]) => KeyRef[];

const NONE: readonly KeySpecFlag[] = [];
const RO_ACCESS: readonly KeySpecFlag[] = ['RO', 'ACCESS'];
const RW_ACCESS_UPDATE: readonly KeySpecFlag[] = ['RW', 'ACCESS', 'UPDATE'];

/** C's atoi (strtol clamped to long, then truncated to int): leading spaces, sign, digits. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s) as RegExpExecArray;
  let n = BigInt(m[2] || '0');
  if (m[1] === '-') n = -n;
  const LONG_MAX = (1n << 63n) - 1n;
  if (n > LONG_MAX) n = LONG_MAX;
  if (n < -LONG_MAX - 1n) n = -LONG_MAX - 1n;
  return Number(BigInt.asIntN(32, n));
}

/** genericGetKeys: [destkey] numkeys key... ; the inputs first, then the destination, flags unset. */
function generic(storeOfs: number, countOfs: number, firstOfs: number): GetKeysProc {
  return (argv) => {
    const num = atoi(argv[countOfs]);
    if (num < 1 || num > argv.length - firstOfs) return [];
    const keys: KeyRef[] = [];
    for (let i = 0; i < num; i++) keys.push({ pos: firstOfs + i, flags: NONE });
    if (storeOfs) keys.push({ pos: storeOfs, flags: NONE });
    return keys;
  };
}

const eq = (a: string, b: string) => a.toLowerCase() === b;

/** sortGetKeys: the sorted key, and the destination of the last STORE (LIMIT skips 2, GET/BY 1). */
function sortGetKeys(argv: readonly string[]): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: RO_ACCESS }];
  let store = 0;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    else if (a === 'get' || a === 'by') i += 1;
  }
  if (store) keys.push({ pos: store, flags: ['OW', 'UPDATE'] });
  return keys;
}

/** migrateGetKeys: the key argument, or the keys after KEYS when the key argument is empty. */
function migrateGetKeys(argv: readonly string[]): KeyRef[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const a = argv[i].toLowerCase();
      if (a === 'keys') {
        if (argv[3].length > 0) num = 0;
        else {
          first = i + 1;
          num = argv.length - first;
        }
        break;
      }
      if (a in skip) i += skip[a];
    }
  }
  const keys: KeyRef[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: ['RW', 'ACCESS', 'DELETE'] });
  return keys;
}

/** georadiusGetKeys: the key, and the last STORE/STOREDIST destination. */
function georadiusGetKeys(argv: readonly string[]): KeyRef[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((eq(argv[i], 'store') || eq(argv[i], 'storedist')) && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyRef[] = [{ pos: 1, flags: NONE }];
  if (stored !== -1) keys.push({ pos: stored, flags: NONE });
  return keys;
}

/** xreadGetKeys: the first half of the arguments after STREAMS (options skipped as XREAD parses them). */
function xreadGetKeys(argv: readonly string[]): KeyRef[] {
  let streams = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'block' || a === 'count') i++;
    else if (a === 'group') i += 2;
    else if (a === 'noack') continue;
    else {
      if (a === 'streams') streams = i;
      break;
    }
  }
  const num = streams === -1 ? 0 : argv.length - streams - 1;
  if (num === 0 || num % 2 !== 0) return [];
  const keys: KeyRef[] = [];
  for (let i = 0; i < num / 2; i++) keys.push({ pos: streams + 1 + i, flags: NONE });
  return keys;
}

/** setGetKeys: RW when a GET argument is present, OW otherwise. */
function setGetKeys(argv: readonly string[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (eq(argv[i], 'get')) return [{ pos: 1, flags: RW_ACCESS_UPDATE }];
  }
  return [{ pos: 1, flags: ['OW', 'UPDATE'] }];
}

/** bitfieldGetKeys: read-only while only complete GET/OVERFLOW operations are seen. */
function bitfieldGetKeys(argv: readonly string[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i].toLowerCase();
    if (a === 'get' && rem >= 2) i += 2;
    else if (a === 'overflow' && rem >= 1) i += 1;
    else {
      readonly = false; // SET/INCRBY, or a syntax error: assume a write
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? RO_ACCESS : RW_ACCESS_UPDATE }];
}

const numkeysFirst = generic(0, 1, 2);
const numkeysSecond = generic(0, 2, 3);

/** The commands that have a getkeys_proc in Redis 7.0's command table, by lower-case name. */
export const GETKEYS_PROCS: ReadonlyMap<string, GetKeysProc> = new Map<string, GetKeysProc>([
  ['bitfield', bitfieldGetKeys],
  ['migrate', migrateGetKeys],
  ['sort', sortGetKeys],
  ['sort_ro', () => [{ pos: 1, flags: RO_ACCESS }]],
  ['georadius', georadiusGetKeys],
  ['georadiusbymember', georadiusGetKeys],
  ['blmpop', numkeysSecond],
  ['lmpop', numkeysFirst],
  ['eval', numkeysSecond],
  ['evalsha', numkeysSecond],
  ['evalsha_ro', numkeysSecond],
  ['eval_ro', numkeysSecond],
  ['fcall', numkeysSecond],
  ['fcall_ro', numkeysSecond],
  ['sintercard', numkeysFirst],
  ['bzmpop', numkeysSecond],
  ['zdiff', numkeysFirst],
  ['zdiffstore', generic(1, 2, 3)],
  ['zinter', numkeysFirst],
  ['zintercard', numkeysFirst],
  ['zinterstore', generic(1, 2, 3)],
  ['zmpop', numkeysFirst],
  ['zunion', numkeysFirst],
  ['zunionstore', generic(1, 2, 3)],
  ['xread', xreadGetKeys],
  ['xreadgroup', xreadGetKeys],
  ['set', setGetKeys],
]);

/**
 * getKeysFromCommandWithSpecs: the key specs unless their flags vary or they do not fit, then the
 * command's getkeys proc. (COMMAND GETKEYS and the ACL key checks both use it.)
 */
export function commandKeys(cmd: Command, argv: readonly string[]): readonly KeyRef[] {
  const specs = keySpecs(cmd.spec);
  const hasKeySpec = specs.some((s) => !s.flags.includes('NOT_KEY'));
  const varFlags = specs.some((s) => s.flags.includes('VARIABLE_FLAGS'));
  const keys = hasKeySpec && !varFlags ? keysFromSpecs(cmd.spec, argv) : null;
  if (keys !== null) return keys;
  const proc = GETKEYS_PROCS.get(cmd.fullname);
  return proc ? proc(argv) : [];
}

/** doesCommandHaveKeys: a getkeys proc, or a key spec that is not NOT_KEY. */
export function commandHasKeys(cmd: Command): boolean {
  return GETKEYS_PROCS.has(cmd.fullname) || keySpecs(cmd.spec).some((s) => !s.flags.includes('NOT_KEY'));
}
