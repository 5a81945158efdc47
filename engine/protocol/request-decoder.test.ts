import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from './binary';
import { RequestDecoder } from './request-decoder';
import { encodeCommand } from './resp';
import { shortString } from './short-string';

type Out = string[] | string;

/** Decode `chunks`; each result is an argv or the protocol error text. */
function decode(chunks: Uint8Array[], opts: { auth?: boolean; maxBulkLen?: number | (() => number) } = {}) {
  const d = new RequestDecoder({
    maxBulkLen: opts.maxBulkLen ?? 512 * 1024 * 1024,
    authenticated: () => opts.auth ?? true,
  });
  const out: Out[] = [];
  for (const chunk of chunks) {
    d.push(chunk);
    for (let argv = d.nextArgv(); argv !== null; argv = d.nextArgv()) out.push(argv);
    if (d.error !== null) {
      out.push(d.error);
      break;
    }
  }
  return { out, pending: d.pending };
}

const one = (wire: string, opts?: Parameters<typeof decode>[1]) => decode([toBytes(wire)], opts);

describe('RequestDecoder', () => {
  it('gives the same commands however the bytes are split', () => {
    const argvArb = fc.array(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        fc.array(argvArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (argvs, cuts) => {
          const wire = toBytes(argvs.map((a) => encodeCommand(a)).join(''));
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let at = 0;
          for (const p of [...points, wire.length]) {
            chunks.push(wire.slice(at, p));
            at = p;
          }
          expect(decode(chunks).out).toEqual(argvs);
        },
      ),
    );
  });

  it('reads numbers as string2ll does: no leading zeros, no "+", no "-0", no overflow', () => {
    expect(one('*01\r\n').out).toEqual(['ERR Protocol error: invalid multibulk length']);
    expect(one('*+1\r\n').out).toEqual(['ERR Protocol error: invalid multibulk length']);
    expect(one('*-0\r\n').out).toEqual(['ERR Protocol error: invalid multibulk length']);
    expect(one('*1\r\n$04\r\n').out).toEqual(['ERR Protocol error: invalid bulk length']);
    // LLONG_MIN is a valid (skipped) count, one less overflows.
    expect(one('*-9223372036854775808\r\nPING\r\n').out).toEqual([['PING']]);
    expect(one('*-9223372036854775809\r\n').out).toEqual(['ERR Protocol error: invalid multibulk length']);
    expect(one('*1\r\n$0\r\n\r\n').out).toEqual([['']]);
  });

  it('does not look at the byte after a CR, nor at the two bytes after a bulk', () => {
    expect(one('*1\rX$4\rYPINGzz').out).toEqual([['PING']]);
  });

  it('waits when a NUL byte comes before the line end (C strchr), until 64 KiB pass', () => {
    expect(one('PING\x00\r\n')).toEqual({ out: [], pending: 7 });
    expect(one('*1\r\n$\x004\r\nPING\r\n').out).toEqual([]);
    expect(one(`*1\r\n$\x00${'1'.repeat(70 * 1024)}`).out).toEqual(['ERR Protocol error: too big bulk count string']);
  });

  it("names the unexpected byte, CR and LF shown as spaces as Redis's error formatting does", () => {
    expect(one('*1\r\nx3\r\n').out).toEqual(["ERR Protocol error: expected '$', got 'x'"]);
    expect(one('*1\r\n\r\n').out).toEqual(["ERR Protocol error: expected '$', got ' '"]);
    expect(one('*1\r\n\n3\r\n').out).toEqual(["ERR Protocol error: expected '$', got ' '"]);
  });

  it('reads proto-max-bulk-len when a bulk is declared, so CONFIG SET applies at once', () => {
    let max = 512 * 1024 * 1024;
    const d = new RequestDecoder({ maxBulkLen: () => max, authenticated: () => true });
    d.push(toBytes('*1\r\n$2000000\r\n'));
    expect(d.nextArgv()).toBeNull();
    expect(d.error).toBeNull();
    max = 1024 * 1024;
    const d2 = new RequestDecoder({ maxBulkLen: () => max, authenticated: () => true });
    d2.push(toBytes('*1\r\n$2000000\r\n'));
    expect(d2.nextArgv()).toBeNull();
    expect(d2.error).toBe('ERR Protocol error: invalid bulk length');
  });

  it('applies the unauthenticated limits only to larger requests', () => {
    expect(one(`*10\r\n${'$1\r\na\r\n'.repeat(10)}`, { auth: false }).out).toHaveLength(1);
    expect(one('*11\r\n', { auth: false }).out).toEqual(['ERR Protocol error: unauthenticated multibulk length']);
    expect(one('*1\r\n$16384\r\n', { auth: false }).out).toEqual([]);
    expect(one('*1\r\n$16385\r\n', { auth: false }).out).toEqual(['ERR Protocol error: unauthenticated bulk length']);
  });

  it('copies a big bulk arriving in pieces about once, not once per piece', () => {
    let allocated = 0;
    const d = new RequestDecoder({ maxBulkLen: 512 * 1024 * 1024, authenticated: () => true }, fromBytes, (n) => {
      allocated += n;
      return new Uint8Array(n);
    });
    const size = 4 * 1024 * 1024;
    const wire = toBytes(encodeCommand(['SET', 'big', 'v'.repeat(size)]));
    const piece = 64 * 1024;
    let argv: string[] | null = null;
    for (let at = 0; at < wire.length; at += piece) {
      d.push(wire.subarray(at, at + piece));
      argv = argv ?? d.nextArgv();
    }
    expect(argv?.[2].length).toBe(size);
    expect(allocated).toBeLessThan(size * 1.1);
  });

  it('counts as pending (the query buffer) only the bytes not parsed yet, as Redis trims it', () => {
    const d = new RequestDecoder({ maxBulkLen: 1024 * 1024, authenticated: () => true });
    d.push(toBytes('*2\r\n$3\r\nGET\r\n$3\r\nke'));
    expect(d.nextArgv()).toBeNull();
    expect(d.pending).toBe(2);
    d.push(toBytes('y\r\n'));
    expect(d.nextArgv()).toEqual(['GET', 'key']);
    expect(d.pending).toBe(0);
  });
});

describe('shortString', () => {
  it('equals the generic conversion for every length up to 16', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(16), fc.nat(), (bytes, n, start) => {
        const len = Math.min(n, bytes.length);
        const s = bytes.length - len === 0 ? 0 : start % (bytes.length - len + 1);
        expect(shortString(bytes, s, len)).toBe(fromBytes(bytes, s, s + len));
      }),
    );
  });
});
