// Helpers shared by the string command files (src/t_string.c, object.c): typed lookups that raise
// WRONGTYPE as checkType does, checkStringLength's proto-max-bulk-len guard, and the C-string view
// of option arguments (Redis matches options with strcasecmp, which stops at a NUL byte).

import { E } from '../errors';
import type { Client } from '../client';
import { META_UNSHARED } from '../keyspace/db';
import { fail } from './args';
import { isSmallSharedInt, sharedIntegersAllowed } from './keys-shared';
import type { KeySpec, KeySpecFlag } from './define';

/** lookupKeyRead + checkType: the string value at key (hit/miss counted), undefined when missing. */
export function getString(c: Client, k: string): string | undefined {
  const v = c.db.lookupRead(k);
  if (v === undefined || typeof v === 'string') return v;
  return fail(E.WRONGTYPE);
}

/** lookupKeyWrite + checkType: as getString, without keyspace hit/miss statistics. */
export function getStringForWrite(c: Client, k: string): string | undefined {
  const v = c.db.lookupWrite(k);
  if (v === undefined || typeof v === 'string') return v;
  return fail(E.WRONGTYPE);
}

/** checkStringLength: a string of size + append bytes must fit proto-max-bulk-len. */
export function checkStringLength(c: Client, size: number, append: number): void {
  if (size + append > c.engine.config.getInt('proto-max-bulk-len')) fail(E.STRING_TOO_LONG);
}

/**
 * After storing `v` at `k` as tryObjectEncoding would (SET, MSET, GETSET, APPEND to a new key...):
 * a value 0..9999 is the shared integer object unless maxmemory with an LRU/LFU policy forbids
 * sharing, in which case it is a private int (META_UNSHARED, seen by OBJECT REFCOUNT).
 */
export function markSharedInt(c: Client, k: string, v: string): void {
  if (!isSmallSharedInt(v) || sharedIntegersAllowed(c)) return;
  const e = c.db.dict.getEntry(k);
  if (e !== undefined) e.meta |= META_UNSHARED;
}

/** The argument as C sees it: everything before the first NUL byte. */
export function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** A key spec starting at argument 1 (src/commands/*.json key_specs), for exact COMMAND INFO. */
export function keySpec(flags: readonly KeySpecFlag[], lastKey = 0, step = 1, notes?: string): readonly KeySpec[] {
  return [{ flags, begin: { index: 1 }, find: { lastKey, step, limit: 0 }, ...(notes ? { notes } : {}) }];
}
