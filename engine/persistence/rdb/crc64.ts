// CRC-64/Jones as Redis computes it (src/crc64.c): reflected polynomial 0xad93d23594c935a9, initial
// value 0, no final xor. It checksums DUMP payloads and RDB files. Works on binary strings (one char
// per byte), one table lookup per byte with the 64-bit state kept as two 32-bit halves.

// The reflected form of 0xad93d23594c935a9 is 0x95ac9329ac4bc9b5.
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);

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

/** The running CRC as two unsigned 32-bit halves. */
export interface Crc64 {
  hi: number;
  lo: number;
}

/** Continue a CRC over `data[start, end)` (crc64(crc, s, l)); start from {hi: 0, lo: 0}. */
export function crc64Update(crc: Crc64, data: string | Uint8Array, start = 0, end = data.length): Crc64 {
  let hi = crc.hi;
  let lo = crc.lo;
  if (typeof data === 'string') {
    for (let i = start; i < end; i++) {
      const idx = (lo ^ data.charCodeAt(i)) & 0xff;
      lo = (TABLE_LO[idx] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (TABLE_HI[idx] ^ (hi >>> 8)) >>> 0;
    }
  } else {
    for (let i = start; i < end; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = (TABLE_LO[idx] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (TABLE_HI[idx] ^ (hi >>> 8)) >>> 0;
    }
  }
  return { hi, lo };
}

/** CRC-64 of a whole binary string, as a bigint. */
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
