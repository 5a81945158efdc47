// CRC-64/Jones as Redis computes it (src/crc64.c): reflected polynomial 0xad93d23594c935a9, initial
// value 0, no final xor. It checksums DUMP payloads and RDB files. The 64-bit state is kept as two
// 32-bit halves; byte arrays go eight bytes per step through eight 256-entry tables (slicing-by-8,
// as Redis's crcspeed does), binary strings (one char per byte) one table lookup per byte.

// The reflected form of 0xad93d23594c935a9 is 0x95ac9329ac4bc9b5.
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_x[k * 256 + n]: table k of slicing-by-8 (k = 0 is the plain byte-at-a-time table). */
const TABLE_HI = new Uint32Array(8 * 256);
const TABLE_LO = new Uint32Array(8 * 256);

for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (bit) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}
// Table k: the CRC of byte n followed by k zero bytes.
for (let k = 1; k < 8; k++) {
  for (let n = 0; n < 256; n++) {
    const hi = TABLE_HI[(k - 1) * 256 + n];
    const lo = TABLE_LO[(k - 1) * 256 + n];
    const idx = lo & 0xff;
    TABLE_LO[k * 256 + n] = (TABLE_LO[idx] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    TABLE_HI[k * 256 + n] = (TABLE_HI[idx] ^ (hi >>> 8)) >>> 0;
  }
}

/** Int32Array reads bytes in the platform's order: the word path needs little endian (every target). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The running CRC as two unsigned 32-bit halves. */
export interface Crc64 {
  hi: number;
  lo: number;
}

/** Byte-array CRC: slicing-by-8 over the aligned middle of a long run (read as 32-bit words), byte by byte elsewhere. */
function updateBytes(crc: Crc64, data: Uint8Array, start: number, end: number): Crc64 {
  let hi = crc.hi;
  let lo = crc.lo;
  let i = start;
  const T_HI = TABLE_HI;
  const T_LO = TABLE_LO;
  // Long aligned runs are read as 32-bit words (two loads for eight bytes instead of eight).
  if (LITTLE_ENDIAN && end - start >= 256) {
    while (((data.byteOffset + i) & 3) !== 0) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = T_LO[idx] ^ ((lo >>> 8) | (hi << 24));
      hi = T_HI[idx] ^ (hi >>> 8);
      i++;
    }
    const pairs = (end - i) >>> 3;
    const words = new Int32Array(data.buffer, data.byteOffset + i, pairs * 2);
    for (let w = 0; w < words.length; w += 2) {
      const a = lo ^ words[w];
      const b = hi ^ words[w + 1];
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = T_LO[i7] ^ T_LO[i6] ^ T_LO[i5] ^ T_LO[i4] ^ T_LO[i3] ^ T_LO[i2] ^ T_LO[i1] ^ T_LO[i0];
      hi = T_HI[i7] ^ T_HI[i6] ^ T_HI[i5] ^ T_HI[i4] ^ T_HI[i3] ^ T_HI[i2] ^ T_HI[i1] ^ T_HI[i0];
    }
    i += pairs * 8;
  }
  for (; i < end; i++) {
    const idx = (lo ^ data[i]) & 0xff;
    lo = T_LO[idx] ^ ((lo >>> 8) | (hi << 24));
    hi = T_HI[idx] ^ (hi >>> 8);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** Continue a CRC over `data[start, end)` (crc64(crc, s, l)); start from {hi: 0, lo: 0}. */
export function crc64Update(crc: Crc64, data: string | Uint8Array, start = 0, end = data.length): Crc64 {
  if (typeof data !== 'string') return updateBytes(crc, data, start, end);
  let hi = crc.hi;
  let lo = crc.lo;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data.charCodeAt(i)) & 0xff;
    lo = (TABLE_LO[idx] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = (TABLE_HI[idx] ^ (hi >>> 8)) >>> 0;
  }
  return { hi, lo };
}

/** CRC-64 of a whole binary string or byte array, as a bigint. */
export function crc64(data: string | Uint8Array): bigint {
  const c = crc64Update({ hi: 0, lo: 0 }, data);
  return (BigInt(c.hi) << 32n) | BigInt(c.lo);
}

/** The CRC as Redis writes it after a DUMP payload or at the end of an RDB: 8 bytes, little endian. */
export function crc64LittleEndian(data: string): string {
  const { hi, lo } = crc64Update({ hi: 0, lo: 0 }, data);
  return String.fromCharCode(
    lo & 0xff,
    (lo >>> 8) & 0xff,
    (lo >>> 16) & 0xff,
    lo >>> 24,
    hi & 0xff,
    (hi >>> 8) & 0xff,
    (hi >>> 16) & 0xff,
    hi >>> 24,
  );
}
