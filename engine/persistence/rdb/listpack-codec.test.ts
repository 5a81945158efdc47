import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../protocol/binary';
import { decodeListpack, encodeListpack } from '../../types/listpack';
import { listpackScoreString } from '../../types/zset-listpack';
import { ListpackBuilder, ListpackError, readListpackText, zsetScoreText } from './listpack-codec';

/** xorshift32, deterministic. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const EDGES = [
  '0',
  '127',
  '128',
  '-1',
  '-4096',
  '4095',
  '-4097',
  '4096',
  '32767',
  '-32768',
  '32768',
  '-32769',
  '8388607',
  '-8388608',
  '8388608',
  '2147483647',
  '-2147483648',
  '2147483648',
  '-2147483649',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '007',
  '-0',
  '+1',
  '',
  ' 1',
  'abc',
  'x'.repeat(63),
  'y'.repeat(64),
  'z'.repeat(4095),
  'w'.repeat(4096),
  '\u0000\u00ff\u0080',
];

function randomEntry(r: () => number): string {
  const k = r();
  if (k < 0.3) return EDGES[Math.floor(r() * EDGES.length)];
  if (k < 0.6) return String(Math.floor((r() - 0.5) * 2 ** (1 + Math.floor(r() * 53))));
  let s = '';
  const len = Math.floor(r() * (r() < 0.9 ? 70 : 5000));
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(r() * 256));
  return s;
}

function build(entries: string[]): Uint8Array {
  const b = new ListpackBuilder();
  b.begin();
  for (const e of entries) b.add(e);
  return b.buf.slice(0, b.end());
}

describe('listpack codec for RDB', () => {
  it('builds the same bytes as encodeListpack, and reads back what decodeListpack reads', () => {
    const r = rng(7);
    for (let round = 0; round < 300; round++) {
      const entries = Array.from({ length: Math.floor(r() * 40) }, () => randomEntry(r));
      const bytes = build(entries);
      expect(bytes).toEqual(encodeListpack(entries));
      // Read in place inside a larger string, as from a file.
      const text = `pre${fromBytes(bytes)}post`;
      expect(readListpackText(text, 3, 3 + bytes.length)).toEqual(decodeListpack(bytes));
    }
  });

  it('writes integers given as numbers like their decimal strings', () => {
    const b = new ListpackBuilder();
    for (const v of [0, 127, -4096, 4095, -32768, 8388607, -2147483648, 2147483648, -(2 ** 53 - 1), 2 ** 53 - 1]) {
      b.begin();
      b.int(v);
      expect(b.buf.slice(0, b.end())).toEqual(encodeListpack([String(v)]));
    }
  });

  it('more than 65535 entries saturate the count field', () => {
    const entries = Array.from({ length: 70000 }, (_, i) => String(i % 300));
    const bytes = build(entries);
    expect(bytes[4] | (bytes[5] << 8)).toBe(65535);
    expect(readListpackText(fromBytes(bytes), 0, bytes.length)).toEqual(entries);
  });

  it('refuses exactly the corrupt listpacks decodeListpack refuses', () => {
    const r = rng(99);
    let refused = 0;
    for (let round = 0; round < 2000; round++) {
      const entries = Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomEntry(r)).map((e) => e.slice(0, 80));
      const bytes = build(entries);
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      let want: string[] | 'error';
      try {
        want = decodeListpack(bytes);
      } catch {
        want = 'error';
      }
      let got: string[] | 'error';
      try {
        got = readListpackText(`${fromBytes(bytes)}\u00ff\u0001`, 0, bytes.length);
      } catch (err) {
        expect(err).toBeInstanceOf(ListpackError);
        got = 'error';
      }
      expect(got).toEqual(want);
      if (got === 'error') refused++;
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('writes zset scores as listpackScoreString does (%.17g), ties and exponents included', () => {
    const r = rng(5);
    const bits = new DataView(new ArrayBuffer(8));
    const scores = [
      0.5,
      1.5,
      2.5,
      0.125,
      1e-4,
      9.999999999999999e-5,
      1e17,
      99999999999999980,
      99999999999999.98,
      0.1,
      1 / 3,
      -2.75,
      5e-324,
    ];
    for (let i = 0; i < 20000; i++) {
      const k = r();
      if (k < 0.4) scores.push(Math.floor(r() * 100000) / 10 ** Math.floor(r() * 6));
      else if (k < 0.6) scores.push((r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
      else if (k < 0.8) scores.push(Math.floor(r() * 2 ** 30) / 2 ** Math.floor(r() * 40));
      else {
        bits.setUint32(0, Math.floor(r() * 2 ** 32));
        bits.setUint32(4, Math.floor(r() * 2 ** 32));
        const d = bits.getFloat64(0);
        if (Number.isFinite(d)) scores.push(d);
      }
    }
    for (const s of scores) expect(zsetScoreText(s)).toBe(listpackScoreString(s));
  });
});
