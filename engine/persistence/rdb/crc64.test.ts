import { describe, expect, it } from 'vitest';
import { crc64, crc64LittleEndian, crc64Update } from './crc64';

// Check values from Redis's own crc64 test (src/crc64.c).
const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';

describe('crc64 (Jones, as src/crc64.c)', () => {
  it('matches Redis check values', () => {
    expect(crc64('123456789')).toBe(0xe9c6d914c4b8d9can);
    // Redis checksums sizeof(li), which includes the terminating NUL.
    expect(crc64(`${LOREM}\0`)).toBe(0xc7794709e69683b3n);
  });

  it('is 0 for no data and accepts byte arrays', () => {
    expect(crc64('')).toBe(0n);
    expect(crc64(new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]))).toBe(0xe9c6d914c4b8d9can);
  });

  it('gives the same CRC over byte arrays of any length as byte by byte over strings', () => {
    const bytes = Uint8Array.from(`${LOREM}\0`, (ch) => ch.charCodeAt(0));
    expect(crc64(bytes)).toBe(0xc7794709e69683b3n);
    // Every byte value, every alignment and tail length, continued from a non-zero CRC.
    const data = new Uint8Array(300);
    for (let i = 0; i < data.length; i++) data[i] = (i * 167 + 13) & 0xff;
    const text = String.fromCharCode(...data);
    const seed = crc64Update({ hi: 0, lo: 0 }, 'seed');
    for (let start = 0; start < 9; start++) {
      for (const end of [start, start + 1, start + 7, start + 8, start + 9, 290, 300]) {
        expect(crc64Update(seed, data, start, end), `${start}..${end}`).toEqual(crc64Update(seed, text, start, end));
      }
    }
  });

  it('reads long runs of views at any byte offset (32-bit words once aligned) as byte by byte', () => {
    const data = new Uint8Array(4099);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
    const text = String.fromCharCode(...data);
    for (let off = 0; off < 5; off++) {
      const view = data.subarray(off);
      expect(crc64(view), `offset ${off}`).toBe(crc64(text.slice(off)));
      expect(crc64Update({ hi: 1, lo: 2 }, view, 1, 1001)).toEqual(
        crc64Update({ hi: 1, lo: 2 }, text, off + 1, off + 1001),
      );
    }
  });

  it('continues across chunks', () => {
    const part = crc64Update({ hi: 0, lo: 0 }, '12345');
    const whole = crc64Update(part, '123456789', 5);
    expect((BigInt(whole.hi) << 32n) | BigInt(whole.lo)).toBe(0xe9c6d914c4b8d9can);
  });

  it('writes the checksum little endian, as after a DUMP payload', () => {
    // DUMP of "hello" from Redis 7.0: the last 8 bytes are the CRC of what precedes them.
    const payload = '\x00\x05hello\x0a\x00';
    expect(crc64LittleEndian(payload)).toBe('cr\xdfve4 \x0a');
  });
});
