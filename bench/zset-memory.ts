// Part (d) of `npm run bench`, context for the 1M/1K ratios: why a search costs more at 1M members.
// How many skip-list nodes a ZRANK visits at each size (the engine's own search, counted through its
// trace hook), how big the structures are, and what one dependent random read costs in a buffer of
// that size on this machine (a pointer chase over cache lines: each read waits for the one before, as
// a search's next node waits for the link read from the current one).

import type { SkipList } from '../engine/types/skiplist';
import type { ZSet } from '../engine/types/zset';
import type { ZsetDict } from '../engine/types/zset-dict';

export interface ZsetMemorySide {
  members: number;
  /** Levels of the skip list, and the forward moves of a ZRANK's search on average (each level also reads the node it stops before). */
  levels: number;
  moves: number;
  /** Bytes of the skip list's node pool and of the dict's slot table. */
  poolBytes: number;
  dictBytes: number;
  /** ns per dependent random read in a buffer of poolBytes. */
  readNs: number;
}

/** Slot bytes per dict bucket (two slots of 32 bytes: engine/types/zset-dict.ts). */
const DICT_BYTES_PER_BUCKET = 64;
const LINE_WORDS = 16;

/** ns per read of a random cyclic chain through the cache lines of an `bytes`-byte buffer. */
export function dependentReadNs(bytes: number, reads = 2_000_000): number {
  const words = Math.max(LINE_WORDS * 2, (bytes >> 2) & ~(LINE_WORDS - 1));
  const lines = words / LINE_WORDS;
  const a = new Int32Array(words);
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  let s = 0x9e3779b9;
  for (let i = lines - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (let i = 0; i < lines; i++) a[order[i] * LINE_WORDS] = order[(i + 1) % lines] * LINE_WORDS;
  let p = 0;
  for (let i = 0; i < reads >> 3; i++) p = a[p]; // warm-up (pages mapped, caches filled)
  const t0 = performance.now();
  for (let i = 0; i < reads; i++) p = a[p];
  const ns = ((performance.now() - t0) * 1e6) / reads;
  if (p < 0) throw new Error('unreachable');
  return ns;
}

/** The figures of one sorted set (skiplist-encoded), searching for `probes` of its members. */
export function zsetMemorySide(z: ZSet, probes: string[]): ZsetMemorySide {
  const zsl = z.zsl as SkipList;
  const dict = z.dict as ZsetDict;
  const scores = probes.map((m) => z.score(m) as number);
  let moves = 0;
  zsl.trace = () => {
    moves++;
  };
  try {
    for (let i = 0; i < probes.length; i++) zsl.getRank(scores[i], probes[i]);
  } finally {
    zsl.trace = null;
  }
  return {
    members: zsl.length,
    levels: zsl.level,
    moves: moves / probes.length,
    poolBytes: zsl.poolBytes,
    dictBytes: dict.buckets * DICT_BYTES_PER_BUCKET,
    readNs: dependentReadNs(zsl.poolBytes),
  };
}
