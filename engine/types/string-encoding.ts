// Which encoding Redis 7.0 reports for a string value (OBJECT ENCODING, the memory model, RDB):
// "int" when SET-like commands stored a value that string2l accepts, "embstr" up to 44 bytes,
// "raw" beyond, or always "raw" after in-place edits (APPEND, SETRANGE, SETBIT) — the keyspace keeps
// that fact in the entry's META_RAW bit.

import { parseLongLong } from '../commands/args';

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
export const EMBSTR_SIZE_LIMIT = 44;

export type StringEncoding = 'int' | 'embstr' | 'raw';

export function stringEncoding(value: string, raw: boolean): StringEncoding {
  if (raw) return 'raw';
  if (value.length <= 20) {
    const n = parseLongLong(value);
    if (n !== null) return 'int';
  }
  return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}
