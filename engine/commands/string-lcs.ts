// LCS key1 key2 (src/t_string.c lcsCommand): the longest common subsequence of two strings by the
// classic dynamic-programming table, walked back from the end to build the string and, with IDX,
// the matching ranges (newest first) filtered by MINMATCHLEN, optionally WITHMATCHLEN.

import { E } from '../errors';
import { type Reply, array, bulk, int, map } from '../protocol/reply';
import { type CommandSpec, defineCommand, integer, key, tok, tokArg } from './define';
import { fail, parseInteger } from './args';
import { cstr } from './string-value';

const MATCHES = bulk('matches');
const LEN = bulk('len');

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
export const LCS = defineCommand({
  name: 'LCS',
  group: 'string',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 2, step: 1 },
  args: [
    key('key1'),
    key('key2', { keySpecIndex: 0 }),
    tok('LEN'),
    tok('IDX'),
    { ...tokArg('MINMATCHLEN', integer('len')), optional: true },
    tok('WITHMATCHLEN'),
  ],
  summary: 'Find longest common substring',
  complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  since: '7.0.0',
  exec(c, argv): Reply {
    const va = c.db.lookupRead(argv[1]);
    const vb = c.db.lookupRead(argv[2]);
    if ((va !== undefined && typeof va !== 'string') || (vb !== undefined && typeof vb !== 'string')) {
      fail(E.LCS_NOT_STRINGS);
    }
    const a = va ?? '';
    const b = vb ?? '';
    let getLen = false;
    let getIdx = false;
    let withMatchLen = false;
    let minMatchLen = 0;
    for (let j = 3; j < argv.length; j++) {
      const opt = cstr(argv[j]).toUpperCase();
      if (opt === 'IDX') getIdx = true;
      else if (opt === 'LEN') getLen = true;
      else if (opt === 'WITHMATCHLEN') withMatchLen = true;
      else if (opt === 'MINMATCHLEN' && j < argv.length - 1) {
        const n = Number(parseInteger(argv[++j]));
        minMatchLen = Math.max(0, n);
      } else fail(E.SYNTAX);
    }
    if (getLen && getIdx) fail(E.LCS_LEN_AND_IDX);

    const alen = a.length;
    const blen = b.length;
    const w = blen + 1;
    if ((alen + 1) * w * 4 > c.engine.config.getInt('proto-max-bulk-len')) fail(E.LCS_TOO_BIG);
    let lcs: Uint32Array;
    try {
      lcs = new Uint32Array((alen + 1) * w);
    } catch {
      return fail(E.LCS_ALLOC_FAILED);
    }
    // lcs[i*w + j] = LCS length of a[0..i) and b[0..j); row and column 0 stay 0.
    for (let i = 1; i <= alen; i++) {
      const ai = a.charCodeAt(i - 1);
      const row = i * w;
      const prev = row - w;
      for (let j = 1; j <= blen; j++) {
        if (ai === b.charCodeAt(j - 1)) lcs[row + j] = lcs[prev + j - 1] + 1;
        else {
          const up = lcs[prev + j];
          const left = lcs[row + j - 1];
          lcs[row + j] = Math.max(up, left);
        }
      }
    }
    const total = lcs[alen * w + blen];
    if (getLen) return int(total);

    // Walk back from the end, collecting the LCS bytes and the contiguous ranges.
    const result: string[] = new Array(total);
    const matches: Reply[] = [];
    let idx = total;
    let aStart = alen; // alen means "no range open"
    let aEnd = 0;
    let bStart = 0;
    let bEnd = 0;
    let i = alen;
    let j = blen;
    while (i > 0 && j > 0) {
      let emit = false;
      if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
        result[idx - 1] = a[i - 1];
        if (aStart === alen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart === i && bStart === j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart === 0 || bStart === 0) emit = true;
        idx--;
        i--;
        j--;
      } else {
        if (lcs[(i - 1) * w + j] > lcs[i * w + j - 1]) i--;
        else j--;
        if (aStart !== alen) emit = true;
      }
      if (emit) {
        const matchLen = aEnd - aStart + 1;
        if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
          const item = [array([int(aStart), int(aEnd)]), array([int(bStart), int(bEnd)])];
          if (withMatchLen) item.push(int(matchLen));
          matches.push(array(item));
        }
        aStart = alen;
      }
    }
    if (getIdx) {
      return map([
        [MATCHES, array(matches)],
        [LEN, int(total)],
      ]);
    }
    return bulk(result.join(''));
  },
});

export const STRING_LCS_COMMANDS: readonly CommandSpec[] = [LCS];
