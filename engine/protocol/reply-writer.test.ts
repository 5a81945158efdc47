import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBytes } from './binary';
import type { Reply } from './reply';
import { ReplyWriter } from './reply-writer';
import { encodeReply } from './resp';

const byteString = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

const replyArb: fc.Arbitrary<Reply> = fc.letrec<{ reply: Reply }>((tie) => ({
  reply: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    byteString.map((v): Reply => ({ t: 'bulk', v })),
    fc.constant<Reply>({ t: 'bulk', v: null }),
    fc.stringMatching(/^[ -~]{0,20}$/).map((v): Reply => ({ t: 'status', v })),
    fc.stringMatching(/^ERR [ -~]{0,20}$/).map((v): Reply => ({ t: 'error', v })),
    fc
      .oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-0), fc.constant(2 ** 60), fc.constant(1e21))
      .map((v): Reply => ({ t: 'int', v })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v): Reply => ({ t: 'int', v })),
    fc.double().map((v): Reply => ({ t: 'double', v })),
    fc.double({ noNaN: true }).map((v): Reply => ({ t: 'double', v, text: v.toFixed(3) })),
    fc.constant<Reply>({ t: 'array', v: null }),
    fc.array(tie('reply'), { maxLength: 4 }).map((v): Reply => ({ t: 'array', v })),
    fc.array(tie('reply'), { maxLength: 3 }).map((v): Reply => ({ t: 'set', v })),
    fc.array(tie('reply'), { maxLength: 3 }).map((v): Reply => ({ t: 'push', v })),
    fc.array(fc.tuple(tie('reply'), tie('reply')), { maxLength: 3 }).map((v): Reply => ({ t: 'map', v })),
  ),
})).reply;

/** A host's native copy, as the Node server injects Buffer.prototype.latin1Write. */
const nativeCopy = (buf: Uint8Array, s: string, offset: number) => {
  for (let i = 0; i < s.length; i++) buf[offset + i] = s.charCodeAt(i);
};

describe('ReplyWriter', () => {
  it('writes the same bytes as encodeReply, in RESP2 and RESP3', () => {
    fc.assert(
      fc.property(fc.array(replyArb, { minLength: 1, maxLength: 5 }), fc.constantFrom<2 | 3>(2, 3), (replies, resp) => {
        // A tiny initial buffer makes every reply go through the growth path too.
        const w = new ReplyWriter(undefined, nativeCopy, 8);
        for (const r of replies) w.write(r, resp);
        expect(fromBytes(w.take())).toBe(replies.map((r) => encodeReply(r, resp)).join(''));
      }),
    );
  });

  it('writes integers at every digit-count boundary', () => {
    const w = new ReplyWriter();
    const values: number[] = [0, -0, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1)];
    for (let p = 1; p <= 1e15; p *= 10) values.push(p - 1, p, p + 1, -p);
    for (const v of values) w.write({ t: 'int', v }, 2);
    expect(fromBytes(w.take())).toBe(values.map((v) => encodeReply({ t: 'int', v }, 2)).join(''));
  });

  it('starts over after take, and leaves a detached view alone', () => {
    const w = new ReplyWriter();
    w.write({ t: 'status', v: 'OK' }, 2);
    const first = w.take();
    w.detach();
    w.write({ t: 'int', v: 42 }, 2);
    expect(fromBytes(first)).toBe('+OK\r\n');
    expect(fromBytes(w.take())).toBe(':42\r\n');
    expect(w.length).toBe(0);
  });

  it('writes protocol errors as error lines', () => {
    const w = new ReplyWriter();
    w.writeError('ERR Protocol error: invalid bulk length');
    expect(fromBytes(w.take())).toBe('-ERR Protocol error: invalid bulk length\r\n');
  });
});
