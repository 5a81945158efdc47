import { describe, expect, it } from 'vitest';
import { type DecodeResult, encodeCommand, encodeReply, ReplyDecoder, RequestDecoder } from './resp';
import { toBytes } from './binary';
import type { Reply } from './reply';

const limits = { maxBulkLen: 512 * 1024 * 1024, authenticated: () => true };

function decodeAll(chunks: string[], auth = true): DecodeResult[] {
  const d = new RequestDecoder({ ...limits, authenticated: () => auth });
  const out: DecodeResult[] = [];
  for (const chunk of chunks) {
    d.push(toBytes(chunk));
    for (let r = d.next(); r.kind !== 'need-more'; r = d.next()) {
      out.push(r);
      if (r.kind === 'error') return out;
    }
  }
  return out;
}

describe('RequestDecoder', () => {
  it('parses pipelined multibulk and inline commands', () => {
    const wire = `${encodeCommand(['SET', 'k', 'v'])}PING\r\nGET "a b"\n${encodeCommand(['GET', 'k'])}`;
    expect(decodeAll([wire])).toEqual([
      { kind: 'command', argv: ['SET', 'k', 'v'] },
      { kind: 'command', argv: ['PING'] },
      { kind: 'command', argv: ['GET', 'a b'] },
      { kind: 'command', argv: ['GET', 'k'] },
    ]);
  });

  it('gives the same commands when fed one byte at a time', () => {
    const wire = encodeCommand(['SET', 'bin\x00\xff', 'x'.repeat(1000)]) + encodeCommand(['GET', '']);
    expect(decodeAll(wire.split(''))).toEqual(decodeAll([wire]));
    expect(decodeAll([wire])).toHaveLength(2);
  });

  it('skips empty lines and zero-length multibulks', () => {
    expect(decodeAll(['\r\n*0\r\n*-1\r\nPING\r\n'])).toEqual([{ kind: 'command', argv: ['PING'] }]);
  });

  it.each([
    ['*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*3000000000\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*1\r\n$-5\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$abc\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\n$1073741824\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\nx3\r\n', "ERR Protocol error: expected '$', got 'x'"],
    ['GET "a\r\n', 'ERR Protocol error: unbalanced quotes in request'],
  ])('rejects %j', (wire, message) => {
    expect(decodeAll([wire]).at(-1)).toEqual({ kind: 'error', message });
  });

  it('applies the unauthenticated limits', () => {
    expect(decodeAll(['*11\r\n'], false)).toEqual([
      { kind: 'error', message: 'ERR Protocol error: unauthenticated multibulk length' },
    ]);
    expect(decodeAll(['*1\r\n$20000\r\n'], false)).toEqual([
      { kind: 'error', message: 'ERR Protocol error: unauthenticated bulk length' },
    ]);
  });

  it('refuses an inline request over 64 KiB without a newline', () => {
    expect(decodeAll(['x'.repeat(70 * 1024)])).toEqual([
      { kind: 'error', message: 'ERR Protocol error: too big inline request' },
    ]);
  });
});

describe('encodeReply / ReplyDecoder', () => {
  const samples: Reply[] = [
    { t: 'status', v: 'OK' },
    { t: 'error', v: 'ERR x' },
    { t: 'int', v: -42 },
    { t: 'int', v: 9223372036854775807n },
    { t: 'bulk', v: 'a\r\nb\x00' },
    { t: 'bulk', v: null },
    { t: 'array', v: null },
    {
      t: 'array',
      v: [
        { t: 'bulk', v: 'x' },
        { t: 'array', v: [] },
      ],
    },
  ];
  it.each(samples.map((r, i) => [i, r.t, r] as const))('round-trips sample %i (%s) in RESP2', (_i, _t, r) => {
    const d = new ReplyDecoder();
    d.push(toBytes(encodeReply(r, 2)));
    expect(d.next()).toEqual(r);
  });

  it('encodes RESP3 types natively and flattens them in RESP2', () => {
    const m: Reply = {
      t: 'map',
      v: [
        [
          { t: 'bulk', v: 'a' },
          { t: 'double', v: 1.5 },
        ],
      ],
    };
    expect(encodeReply(m, 3)).toBe('%1\r\n$1\r\na\r\n,1.5\r\n');
    expect(encodeReply(m, 2)).toBe('*2\r\n$1\r\na\r\n$3\r\n1.5\r\n');
    expect(encodeReply({ t: 'bulk', v: null }, 3)).toBe('_\r\n');
  });

  it('sends a double with its own text (ld2string digits) instead of %.17g', () => {
    const r: Reply = { t: 'double', v: 10.000002086162567, text: '10.00000208616256714' };
    expect(encodeReply(r, 3)).toBe(',10.00000208616256714\r\n');
    expect(encodeReply(r, 2)).toBe('$20\r\n10.00000208616256714\r\n');
  });

  it('decodes a RESP3 double, keeping its text only when %.17g would not give it back', () => {
    const decode = (wire: string) => {
      const d = new ReplyDecoder();
      d.push(toBytes(wire));
      return d.next();
    };
    expect(decode(',0.10000000000000001\r\n')).toEqual({ t: 'double', v: 0.1 });
    expect(decode(',inf\r\n')).toEqual({ t: 'double', v: Infinity });
    expect(decode(',13.36138933897018433\r\n')).toEqual({
      t: 'double',
      v: 13.361389338970184,
      text: '13.36138933897018433',
    });
    // Re-encoding gives the bytes received, whatever their spelling.
    for (const wire of [',1.5\r\n', ',0.1\r\n', ',1e+21\r\n', ',-0\r\n', ',1E2\r\n']) {
      expect(encodeReply(decode(wire) as Reply, 3)).toBe(wire);
    }
  });
});
