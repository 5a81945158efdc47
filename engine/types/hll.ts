// HyperLogLog as Redis 7.0 stores it in a string (src/hyperloglog.c): the 16-byte "HYLL" header
// (encoding byte, cached cardinality with its "invalid" bit), 16384 registers either dense (6 bits
// each, 12288 bytes) or sparse (ZERO/XZERO/VAL run-length opcodes), sparse→dense promotion, and
// the cardinality estimator of Ertl (hllSigma/hllTau). The hash (MurmurHash64A) is in hll-hash.ts.

import { patLen } from './hll-hash';

export { murmurHash64A, patLen } from './hll-hash';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.7213475204444817; // HLL_ALPHA_INF, 0.5 / ln(2)

// ---- the string representation ----------------------------------------------------------------

/** Is the string a structurally valid HLL (isHLLObjectOrReply)? */
export function isHllString(s: string): boolean {
  if (s.length < HLL_HDR_SIZE) return false;
  if (s.charCodeAt(0) !== 72 || s.charCodeAt(1) !== 89 || s.charCodeAt(2) !== 76 || s.charCodeAt(3) !== 76)
    return false;
  const enc = s.charCodeAt(4);
  if (enc > HLL_MAX_ENCODING) return false;
  return !(enc === HLL_DENSE && s.length !== HLL_DENSE_SIZE);
}

const isZero = (b: number): boolean => (b & 0xc0) === 0;
const isXzero = (b: number): boolean => (b & 0xc0) === 0x40;
const isVal = (b: number): boolean => (b & 0x80) !== 0;
const zeroLen = (b: number): number => (b & 0x3f) + 1;
const valValue = (b: number): number => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number): number => (b & 0x3) + 1;
const valOp = (value: number, len: number): number => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

/** One sparse opcode, decoded (PFDEBUG DECODE, the panels). */
export type SparseOp = { op: 'ZERO' | 'XZERO'; len: number } | { op: 'VAL'; value: number; len: number };

/**
 * An HLL string being read or modified, like the sds Redis edits in place: `p` holds `len` bytes
 * plus room, and p[len] is always 0 (the sds terminator, which the C code may read).
 */
export class Hll {
  p: Uint8Array;
  len: number;

  private constructor(p: Uint8Array, len: number) {
    this.p = p;
    this.len = len;
  }

  /** createHLLObject: a sparse HLL of XZERO opcodes covering every register. */
  static create(): Hll {
    const n = Math.ceil(HLL_REGISTERS / SPARSE_XZERO_MAX_LEN);
    const h = new Hll(new Uint8Array(HLL_HDR_SIZE + n * 2 + 4), HLL_HDR_SIZE + n * 2);
    h.p.set([72, 89, 76, 76, HLL_SPARSE]);
    let aux = HLL_REGISTERS;
    for (let i = HLL_HDR_SIZE; aux > 0; i += 2) {
      const x = Math.min(aux, SPARSE_XZERO_MAX_LEN) - 1;
      h.p[i] = (x >> 8) | 0x40;
      h.p[i + 1] = x & 0xff;
      aux -= x + 1;
    }
    return h;
  }

  static fromString(s: string): Hll {
    const h = new Hll(new Uint8Array(s.length + 4), s.length);
    for (let i = 0; i < s.length; i++) h.p[i] = s.charCodeAt(i);
    return h;
  }

  toString(): string {
    let out = '';
    for (let i = 0; i < this.len; i += 0x2000) {
      out += String.fromCharCode.apply(null, Array.from(this.p.subarray(i, Math.min(i + 0x2000, this.len))));
    }
    return out;
  }

  get encoding(): number {
    return this.p[4];
  }

  /** sdsMakeRoomFor: room for `extra` more bytes (plus the terminator). */
  private ensure(extra: number): void {
    if (this.len + extra + 1 <= this.p.length) return;
    const next = new Uint8Array((this.len + extra + 1) * 2);
    next.set(this.p.subarray(0, this.len));
    this.p = next;
  }

  private setLen(n: number): void {
    this.len = n;
    this.p[n] = 0;
  }

  // ---- cached cardinality ---------------------------------------------------------------------

  get cacheValid(): boolean {
    return (this.p[15] & 0x80) === 0;
  }

  invalidateCache(): void {
    this.p[15] |= 0x80;
  }

  /** The cached cardinality as the uint64 of the header (little endian). */
  get cachedCard(): bigint {
    let v = 0n;
    for (let i = 15; i >= 8; i--) v = (v << 8n) | BigInt(this.p[i]);
    return v;
  }

  set cachedCard(card: bigint) {
    for (let i = 8; i < 16; i++) {
      this.p[i] = Number((card >> BigInt(8 * (i - 8))) & 0xffn);
    }
  }

  // ---- dense registers --------------------------------------------------------------------------

  /** HLL_DENSE_GET_REGISTER (the byte after the last register is the terminator, 0). */
  getRegister(regnum: number): number {
    const at = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
    const fb = (regnum * HLL_BITS) & 7;
    return ((this.p[at] >> fb) | (this.p[at + 1] << (8 - fb))) & HLL_REGISTER_MAX;
  }

  /** HLL_DENSE_SET_REGISTER */
  setRegister(regnum: number, val: number): void {
    const at = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
    const fb = (regnum * HLL_BITS) & 7;
    const fb8 = 8 - fb;
    const p = this.p;
    p[at] = (p[at] & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
    p[at + 1] = (p[at + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
  }

  /** hllDenseSet: raise a register; 1 when it changed. */
  private denseSet(index: number, count: number): number {
    if (count <= this.getRegister(index)) return 0;
    this.setRegister(index, count);
    return 1;
  }

  // ---- sparse representation -------------------------------------------------------------------

  /** The sparse opcodes in order (the bytes after the header). */
  sparseOps(): SparseOp[] {
    const out: SparseOp[] = [];
    const p = this.p;
    for (let i = HLL_HDR_SIZE; i < this.len; ) {
      const b = p[i];
      if (isZero(b)) {
        out.push({ op: 'ZERO', len: zeroLen(b) });
        i++;
      } else if (isXzero(b)) {
        out.push({ op: 'XZERO', len: (((b & 0x3f) << 8) | p[i + 1]) + 1 });
        i += 2;
      } else {
        out.push({ op: 'VAL', value: valValue(b), len: valLen(b) });
        i++;
      }
    }
    return out;
  }

  /** hllSparseToDense: false (nothing changed) when the opcodes do not cover exactly 16384 registers. */
  toDense(): boolean {
    if (this.encoding === HLL_DENSE) return true;
    const dense = new Hll(new Uint8Array(HLL_DENSE_SIZE + 1), HLL_DENSE_SIZE);
    dense.p.set(this.p.subarray(0, HLL_HDR_SIZE));
    dense.p[4] = HLL_DENSE;
    let idx = 0;
    for (const op of this.sparseOps()) {
      if (op.op !== 'VAL') {
        idx += op.len;
        continue;
      }
      if (op.len + idx > HLL_REGISTERS) break;
      for (let n = 0; n < op.len; n++) dense.setRegister(idx++, op.value);
    }
    if (idx !== HLL_REGISTERS) return false;
    this.p = dense.p;
    this.len = dense.len;
    return true;
  }

  /**
   * hllSparseSet: raise register `index` to `count` in place, splitting the opcode that covers it
   * and merging equal neighbours; promotes to dense when the value exceeds 32 or the string would
   * grow past `maxBytes`. Returns 1 if changed, 0 if not, -1 if the representation is corrupt.
   */
  sparseSet(index: number, count: number, maxBytes: number): number {
    if (count > SPARSE_VAL_MAX_VALUE) return this.promote(index, count);
    this.ensure(3);
    const at = this.locate(index);
    if (at === null) return -1;
    const b = this.p[at.pos];
    const val = !isZero(b) && !isXzero(b);
    if (val && valValue(b) >= count) return 0;
    // A ZERO or VAL opcode of one register is simply replaced; anything else is split.
    if ((val || isZero(b)) && (val ? valLen(b) : zeroLen(b)) === 1) this.p[at.pos] = valOp(count, 1);
    else if (!this.split(at.pos, at.first, at.span, index, count, maxBytes)) return this.promote(index, count);
    this.mergeFrom(at.prev !== -1 ? at.prev : HLL_HDR_SIZE);
    this.invalidateCache();
    return 1;
  }

  /** Step 1 of hllSparseSet: the opcode covering `index`, its first register, span and predecessor. */
  private locate(index: number): { pos: number; first: number; span: number; prev: number } | null {
    const p = this.p;
    const end = this.len;
    let pos = HLL_HDR_SIZE;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (pos < end) {
      const b = p[pos];
      let oplen = 1;
      if (isZero(b)) span = zeroLen(b);
      else if (isVal(b)) span = valLen(b);
      else {
        span = (((b & 0x3f) << 8) | p[pos + 1]) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = pos;
      pos += oplen;
      first += span;
    }
    if (span === 0 || pos >= end) return null;
    return { pos, first, span, prev };
  }

  /**
   * Steps 2-3 of hllSparseSet, the general case: replace the opcode at `pos` by up to 5 bytes
   * (runs before, the new VAL, runs after). False when that would pass `maxBytes` (promote).
   */
  private split(pos: number, first: number, span: number, index: number, count: number, maxBytes: number): boolean {
    const p = this.p;
    const end = this.len;
    const b = p[pos];
    const xzero = isXzero(b);
    let next = xzero ? pos + 2 : pos + 1;
    if (next >= end) next = -1;
    const seq: number[] = [];
    const last = first + span - 1;
    const zeros = (len: number): void => {
      if (len > SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (isZero(b) || xzero) {
      if (index !== first) zeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) zeros(last - index);
    } else {
      const cur = valValue(b);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const delta = seq.length - (xzero ? 2 : 1);
    if (delta > 0 && this.len + delta > maxBytes) return false;
    if (delta !== 0 && next !== -1) p.copyWithin(next + delta, next, end);
    this.setLen(this.len + delta);
    p.set(seq, pos);
    return true;
  }

  /** Step 4 of hllSparseSet: merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes. */
  private mergeFrom(start: number): void {
    const p = this.p;
    let pos = start;
    let scan = 5;
    while (pos < this.len && scan-- > 0) {
      if (isXzero(p[pos])) {
        pos += 2;
        continue;
      }
      if (isZero(p[pos])) {
        pos++;
        continue;
      }
      if (pos + 1 < this.len && isVal(p[pos + 1])) {
        const v1 = valValue(p[pos]);
        if (v1 === valValue(p[pos + 1])) {
          const len = valLen(p[pos]) + valLen(p[pos + 1]);
          if (len <= SPARSE_VAL_MAX_LEN) {
            p[pos + 1] = valOp(v1, len);
            p.copyWithin(pos, pos + 1, this.len);
            this.setLen(this.len - 1);
            continue;
          }
        }
      }
      pos++;
    }
  }

  /** The promote: label of hllSparseSet. */
  private promote(index: number, count: number): number {
    if (!this.toDense()) return -1;
    this.denseSet(index, count);
    return 1;
  }

  /** hllAdd: 1 if a register changed, 0 if not, -1 for a corrupt or unknown representation. */
  add(ele: string, maxBytes: number): number {
    const { index, count } = patLen(ele);
    if (this.encoding === HLL_DENSE) return this.denseSet(index, count);
    if (this.encoding === HLL_SPARSE) return this.sparseSet(index, count, maxBytes);
    return -1;
  }

  /** hllMerge: max[i] = MAX(max[i], register i); false for a corrupt sparse HLL. */
  mergeInto(max: Uint8Array): boolean {
    if (this.encoding === HLL_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const v = this.getRegister(i);
        if (v > max[i]) max[i] = v;
      }
      return true;
    }
    let i = 0;
    for (const op of this.sparseOps()) {
      if (op.op !== 'VAL') {
        i += op.len;
        continue;
      }
      if (op.len + i > HLL_REGISTERS) break;
      for (let n = 0; n < op.len; n++, i++) if (op.value > max[i]) max[i] = op.value;
    }
    return i === HLL_REGISTERS;
  }

  /** The register histogram (hllDenseRegHisto / hllSparseRegHisto); `invalid` for a bad sparse length. */
  histogram(): { histo: Float64Array; invalid: boolean } {
    const histo = new Float64Array(64);
    if (this.encoding === HLL_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) histo[this.getRegister(i)]++;
      return { histo, invalid: false };
    }
    let idx = 0;
    for (const op of this.sparseOps()) {
      idx += op.len;
      histo[op.op === 'VAL' ? op.value : 0] += op.len;
    }
    return { histo, invalid: idx !== HLL_REGISTERS };
  }
}

// ---- the estimator ---------------------------------------------------------------------------

/** hllSigma (Ertl, arXiv:1702.01284). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau (Ertl, arXiv:1702.01284). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** hllCount's estimate from a register histogram. */
export function estimate(histo: ArrayLike<number>): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

/** The estimate for raw 8-bit registers (PFCOUNT of several keys, PFMERGE's max array). */
export function estimateRaw(registers: Uint8Array): number {
  const histo = new Float64Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i]]++;
  return estimate(histo);
}

/** What the lab's panels draw for an HLL string (null when the string is not a valid HLL). */
export type HllSnapshot =
  | { encoding: 'sparse'; bytes: number; cacheValid: boolean; cachedCard: number; ops: SparseOp[] }
  | { encoding: 'dense'; bytes: number; cacheValid: boolean; cachedCard: number; registers: number[] };

export function describeHll(s: string): HllSnapshot | null {
  if (!isHllString(s)) return null;
  const h = Hll.fromString(s);
  const base = { bytes: h.len, cacheValid: h.cacheValid, cachedCard: Number(h.cachedCard & 0x7fffffffffffffffn) };
  if (h.encoding === HLL_SPARSE) return { encoding: 'sparse', ...base, ops: h.sparseOps() };
  const registers = new Array<number>(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) registers[i] = h.getRegister(i);
  return { encoding: 'dense', ...base, registers };
}
