// The hash side of Redis's HyperLogLog (src/hyperloglog.c): MurmurHash64A, made endian-neutral by
// Redis and computed here on 32-bit halves, and hllPatLen (register index + run of zeros).

const HLL_P = 14;
const HASH_SEED = 0xadc83b19;

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
let mulHi = 0;
let mulLo = 0;

/** (ah:al * bh:bl) mod 2^64 into mulHi:mulLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  mulLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = (mid >>> 16) + (p01 >>> 16) + (p10 >>> 16) + p11;
  mulHi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** MurmurHash64A of a binary string (little-endian blocks, as Redis's endian-neutral version). */
export function murmurHash64A(s: string, seed: number = HASH_SEED): [hi: number, lo: number] {
  const len = s.length;
  mul64(0, len, M_HI, M_LO);
  let hh = mulHi;
  let hl = (mulLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    const kl =
      (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    const kh =
      (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>>
      0;
    mul64(kh, kl, M_HI, M_LO);
    const k1h = mulHi;
    const k1l = (mulLo ^ (mulHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(k1h, k1l, M_HI, M_LO);
    hh = (hh ^ mulHi) >>> 0;
    hl = (hl ^ mulLo) >>> 0;
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  const rem = len & 7;
  if (rem > 0) {
    for (let i = rem - 1; i >= 0; i--) {
      const b = s.charCodeAt(blocks + i);
      if (i >= 4) hh = (hh ^ (b << (8 * (i - 4)))) >>> 0;
      else hl = (hl ^ (b << (8 * i))) >>> 0;
    }
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh, hl, M_HI, M_LO);
  hh = mulHi;
  hl = (mulLo ^ (mulHi >>> 15)) >>> 0;
  return [hh, hl];
}

const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);

/**
 * hllPatLen: the register an element maps to (the hash's low 14 bits) and the length of the
 * "000..1" run in the remaining 50 bits (1..51).
 */
export function patLen(ele: string): { index: number; count: number } {
  const [hh, hl] = murmurHash64A(ele);
  const index = hl & ((1 << HLL_P) - 1);
  const low = (hl >>> HLL_P) | ((hh & 0x3fff) << 18); // hash bits 14..45
  const high = hh >>> 14; // hash bits 46..63
  let count: number;
  if (low !== 0) count = ctz32(low) + 1;
  else if (high !== 0) count = 32 + ctz32(high) + 1;
  else count = 64 - HLL_P + 1;
  return { index, count };
}
