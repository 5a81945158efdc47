// The encodings older RDB files use and Redis 7.0 still loads (src/ziplist.c, src/zipmap.c): ziplist
// nodes and values (list, zset and hash ziplists, quicklist v1 nodes) and zipmap hashes (Redis 2.4).
// They are only read, with the integrity checks rdbLoadObject applies, and converted on load.

/** Bytes → elements of a ziplist (integers as decimal strings), or null when it fails validation. */
export function decodeZiplist(b: string): string[] | null {
  const size = b.length;
  if (size < 11) return null;
  const u32 = (p: number) =>
    (b.charCodeAt(p) | (b.charCodeAt(p + 1) << 8) | (b.charCodeAt(p + 2) << 16)) + b.charCodeAt(p + 3) * 0x1000000;
  if (u32(0) !== size) return null;
  const tail = u32(4);
  const count = b.charCodeAt(8) | (b.charCodeAt(9) << 8);
  if (b.charCodeAt(size - 1) !== 0xff) return null;
  const out: string[] = [];
  let p = 10;
  let prevLen = 0;
  let lastStart = 10;
  while (p < size - 1) {
    const start = p;
    // prevlen: 1 byte, or 0xFE and 4 bytes.
    let prev = b.charCodeAt(p);
    if (prev === 0xfe) {
      if (p + 5 > size - 1) return null;
      prev = u32(p + 1);
      p += 5;
    } else p += 1;
    if (prev !== prevLen) return null;
    if (p >= size - 1) return null;
    const enc = b.charCodeAt(p);
    let value: string;
    if (enc >> 6 === 0) {
      const n = enc & 0x3f;
      p += 1;
      value = b.slice(p, p + n);
      p += n;
    } else if (enc >> 6 === 1) {
      const n = ((enc & 0x3f) << 8) | b.charCodeAt(p + 1);
      p += 2;
      value = b.slice(p, p + n);
      p += n;
    } else if (enc === 0x80) {
      const n =
        b.charCodeAt(p + 1) * 0x1000000 +
        ((b.charCodeAt(p + 2) << 16) | (b.charCodeAt(p + 3) << 8) | b.charCodeAt(p + 4));
      p += 5;
      value = b.slice(p, p + n);
      p += n;
    } else {
      p += 1;
      let width = 0;
      if (enc === 0xc0) width = 2;
      else if (enc === 0xd0) width = 4;
      else if (enc === 0xe0) width = 8;
      else if (enc === 0xf0) width = 3;
      else if (enc === 0xfe) width = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) {
        value = String((enc & 0x0f) - 1);
        width = -1;
      } else return null;
      if (width > 0) {
        let v = 0n;
        for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(b.charCodeAt(p + i));
        const bits = BigInt(width * 8);
        if (v >= 1n << (bits - 1n)) v -= 1n << bits;
        value = String(v);
        p += width;
      }
      value ??= '';
    }
    if (p > size - 1) return null;
    out.push(value);
    prevLen = p - start;
    lastStart = start;
  }
  if (p !== size - 1) return null;
  if (tail !== (out.length === 0 ? 10 : lastStart)) return null;
  if (count !== 0xffff && count !== out.length) return null;
  return out;
}

/** ziplistPairsConvertAndValidateIntegrity: an even number of entries and no duplicate keys. */
export function decodeZiplistPairs(b: string): string[] | null {
  const items = decodeZiplist(b);
  if (items === null || items.length % 2 !== 0) return null;
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i += 2) {
    if (seen.has(items[i])) return null;
    seen.add(items[i]);
  }
  return items;
}

export type ZipmapResult = { ok: true; pairs: string[]; maxLen: number } | { ok: false; dupLen?: number };

/** A zipmap (<zmlen><len>key<len><free>value...<end>) → field/value pairs; duplicates are an error. */
export function decodeZipmap(b: string): ZipmapResult {
  const size = b.length;
  if (size < 2) return { ok: false };
  let p = 1;
  const readLen = (): number | null => {
    if (p >= size) return null;
    const first = b.charCodeAt(p);
    if (first < 254) {
      p += 1;
      return first;
    }
    if (first === 254) {
      if (p + 5 > size) return null;
      const v =
        (b.charCodeAt(p + 1) | (b.charCodeAt(p + 2) << 8) | (b.charCodeAt(p + 3) << 16)) +
        b.charCodeAt(p + 4) * 0x1000000;
      p += 5;
      return v;
    }
    return null;
  };
  const pairs: string[] = [];
  const seen = new Set<string>();
  let maxLen = 0;
  while (p < size && b.charCodeAt(p) !== 0xff) {
    const flen = readLen();
    if (flen === null || p + flen > size) return { ok: false };
    const field = b.slice(p, p + flen);
    p += flen;
    const vlen = readLen();
    if (vlen === null || p >= size) return { ok: false };
    const free = b.charCodeAt(p);
    p += 1;
    if (p + vlen + free > size) return { ok: false };
    const value = b.slice(p, p + vlen);
    p += vlen + free;
    if (seen.has(field)) return { ok: false, dupLen: flen };
    seen.add(field);
    pairs.push(field, value);
    maxLen = Math.max(maxLen, flen, vlen);
  }
  if (p !== size - 1) return { ok: false };
  const zmlen = b.charCodeAt(0);
  if (zmlen < 254 && zmlen !== pairs.length / 2) return { ok: false };
  return { ok: true, pairs, maxLen };
}
