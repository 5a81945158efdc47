// Which encoding Redis 7.0 reports for a string value (OBJECT ENCODING, the memory model, RDB):
// "int" when SET-like commands stored a value that string2l accepts, "embstr" up to 44 bytes,
// "raw" beyond, or always "raw" after in-place edits (APPEND, SETRANGE, SETBIT) — the keyspace keeps
// that fact in the entry's META_RAW bit.

import { parseLongLong } from '../commands/args';
import { META_NOINT, META_RAW } from '../keyspace/db';

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
export const EMBSTR_SIZE_LIMIT = 44;

export type StringEncoding = 'int' | 'embstr' | 'raw';

/** The encoding of a string value given its dict entry's meta bits (META_RAW, META_NOINT). */
export function stringEncoding(value: string, meta: number): StringEncoding {
  if ((meta & META_RAW) !== 0) return 'raw';
  if ((meta & META_NOINT) === 0 && value.length > 0 && value.length <= 20) {
    // Only a digit or '-' can start an integer: most other values skip the parse.
    const c0 = value.charCodeAt(0);
    if (((c0 >= 48 && c0 <= 57) || c0 === 45) && parseLongLong(value) !== null) return 'int';
  }
  return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}
