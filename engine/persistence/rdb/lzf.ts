// LZF, the compression RDB files and DUMP payloads use for long strings (liblzf 3.6: lzf_c.c and
// lzf_d.c as built into Redis: HLOG 16, VERY_FAST on, ULTRA_FAST off). The compressor reproduces
// liblzf's output byte for byte — same hash, same match search, same "does it fit in out_len" checks —
// so DUMP payloads are identical to real Redis's. Input/output are byte arrays.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** liblzf's IDX() for VERY_FAST: only the low 24 bits of the rolling 3-byte hash matter. */
function idx(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

// One table reused by every call (compression is synchronous). liblzf leaves its table
// uninitialised (INIT_HTAB 0) but never trusts a slot that doesn't match the input, so a cleared
// table gives the same output whenever the stale slot would not have produced a valid match. Slots
// hold position + `base`, and each call moves `base` past the previous input, so every slot of an
// earlier call reads as a negative position (empty) without clearing 256 KB per call.
let htab: Int32Array | null = null;
let base = 0;

/**
 * lzf_compress: compress `input` into at most `outLen` bytes. Returns the compressed bytes, or null
 * when the output would not fit (liblzf returns 0), exactly where liblzf gives up.
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  if (input.length === 0 || outLen <= 0) return null;
  // A little slack: liblzf may write a run header one byte past the last data byte before its checks.
  const out = new Uint8Array(outLen + 4);
  const n = lzfCompressInto(input, outLen, out);
  return n === 0 ? null : out.subarray(0, n);
}

/**
 * lzf_compress of input[0, inLen) (all of it by default) into `out` (at least outLen + 4 bytes long):
 * the compressed length, 0 if it doesn't fit.
 */
export function lzfCompressInto(input: Uint8Array, outLen: number, out: Uint8Array, inLen = input.length): number {
  if (inLen === 0 || outLen <= 0) return 0;
  if (htab === null) htab = new Int32Array(HSIZE);
  const tab = htab;
  if (base + inLen + 1 >= 0x7fffffff) {
    tab.fill(0);
    base = 1;
  }
  const b = base;
  base += inLen + 1;
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 1; // start run
  let lit = 0;
  let hval = (input[0] << 8) | (inLen > 1 ? input[1] : 0);
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = tab[slot] - b;
    tab[slot] = ip + b;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      // Match found at ref.
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = (lit - 1) & 0xff; // stop run
      if (lit === 0) op--; // undo run if length is zero
      let done = false;
      if (maxlen > 16) {
        // liblzf's unrolled first 16 comparisons (they may run len one past maxlen, as in C).
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the last two positions of the match.
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      tab[idx(hval)] = ip + b;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      tab[idx(hval)] = ip + b;
      ip++;
    } else {
      // One more literal byte.
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return 0; // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = (lit - 1) & 0xff; // end run
  if (lit === 0) op--; // undo run if length is zero
  return op;
}

/**
 * lzf_decompress: expand input[from, to) (all of it by default) into `out`. Returns the number of bytes
 * written, or 0 on error (output too small, or a corrupt stream reading past the input or before the
 * output's start).
 */
export function lzfDecompress(input: Uint8Array, out: Uint8Array, from = 0, to = input.length): number {
  const inEnd = to;
  const outEnd = out.length;
  let ip = from;
  let op = 0;
  while (ip < inEnd) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      // Literal run of ctrl+1 bytes.
      ctrl++;
      if (op + ctrl > outEnd) return 0;
      if (ip + ctrl > inEnd) return 0;
      // At most 32 bytes: a loop, not a subarray view per run.
      for (let k = 0; k < ctrl; k++) out[op + k] = input[ip + k];
      op += ctrl;
      ip += ctrl;
    } else {
      // Back reference.
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return 0;
      if (len === 7) {
        len += input[ip++];
        if (ip >= inEnd) return 0;
      }
      ref -= input[ip++];
      if (op + len + 2 > outEnd) return 0;
      if (ref < 0) return 0;
      // Byte by byte: the source may overlap the bytes being written (run-length style).
      for (let k = len + 2; k > 0; k--) out[op++] = out[ref++];
    }
  }
  return op;
}
