// scanGenericCommand (src/db.c) as HSCAN and SSCAN use it: MATCH/COUNT parsed once the key is
// known to hold the right type, a hashtable walked with dictScan's reverse-binary cursor (at most
// COUNT×10 buckets per call), a listpack/intset returned whole with cursor 0, then MATCH filtering.

import { E } from '../errors';
import { array, bulk, bulks, type Reply } from '../protocol/reply';
import { globMatch } from '../util/glob';
import { fail, isCToken, parseInt64 } from './args';

export interface ScanOptions {
  count: number;
  /** null when absent or "*" (which matches everything). */
  pattern: string | null;
}

/** The reply for a missing key (shared.emptyscan). */
export const EMPTY_SCAN: Reply = array([bulk('0'), array([])]);

/** Step 1 of scanGenericCommand: options after the cursor (TYPE is SCAN's alone). */
export function parseScanOptions(argv: readonly string[], start: number): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  for (let i = start; i < argv.length; i += 2) {
    const hasValue = argv.length - i >= 2;
    if (isCToken(argv[i], 'COUNT') && hasValue) {
      count = parseInt64(argv[i + 1]);
      if (count < 1) fail(E.SYNTAX);
    } else if (isCToken(argv[i], 'MATCH') && hasValue) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else {
      fail(E.SYNTAX);
    }
  }
  return { count, pattern };
}

/**
 * Steps 2-4: `step` walks one bucket from a cursor (undefined when the value is not a hashtable, in
 * which case `all` lists it whole). `width` is 2 for field/value pairs, 1 for members.
 */
export function scanCollection(
  cursor: number,
  opts: ScanOptions,
  width: 1 | 2,
  step: (cursor: number, out: string[]) => number | undefined,
  all: (out: string[]) => void,
): Reply {
  const found: string[] = [];
  const count = opts.count * width;
  const first = step(cursor, found);
  if (first === undefined) {
    all(found);
    cursor = 0;
  } else {
    cursor = first;
    // dictScan until COUNT elements, a full cycle, or COUNT×10 buckets for a sparse table.
    let maxIterations = count * 10;
    while (cursor !== 0 && maxIterations-- !== 0 && found.length < count) {
      cursor = step(cursor, found) as number;
    }
  }
  let items = found;
  if (opts.pattern !== null) {
    const pat = opts.pattern;
    items = [];
    for (let i = 0; i < found.length; i += width) {
      if (!globMatch(pat, found[i])) continue;
      for (let j = 0; j < width; j++) items.push(found[i + j]);
    }
  }
  return array([bulk(String(cursor)), bulks(items)]);
}
