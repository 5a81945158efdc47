import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock, type Reply } from '../../engine/index';
import { loadRdbIntoEngine, snapshotRdb } from '../../engine/persistence/rdb/engine-io';
import {
  decodeShare,
  encodeShare,
  frame,
  MAX_DECODED_BYTES,
  MAX_ENCODED_CHARS,
  ShareError,
  type ShareState,
  shareDataOf,
  shareLink,
  shareProblem,
  toBase64Url,
  unframe,
} from './share-codec';
import { inspectSnapshot, shiftExpiries } from './share-rdb';

const empty: ShareState = { rdb: null, savedAt: 0, commands: [], lesson: null, clockOffsetMs: 0 };
type Lab = ReturnType<typeof createEngine>;

function run(engine: Lab, c: ReturnType<Lab['createClient']>, argv: string[]): Reply {
  const r = engine.dispatch(c, argv);
  if (r === undefined) throw new Error(`no reply to ${argv[0]}`);
  return r;
}

/** An engine after `commands`, and its keyspace as dump.rdb (what SAVE writes). */
function labWith(commands: string[][], clock = new ManualClock()) {
  const engine = createEngine({ clock, seed: 1 });
  const c = engine.createClient();
  for (const argv of commands) run(engine, c, argv);
  const rdb = Uint8Array.from(snapshotRdb(engine, []), (ch) => ch.charCodeAt(0));
  return { engine, c, rdb, savedAt: clock.now() };
}

const reason = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ShareError);
    return (err as Error).message;
  }
  throw new Error('expected the link to be refused');
};

describe('share link codec', () => {
  it('round-trips the snapshot, commands, the lesson and the clock', async () => {
    const { rdb, savedAt } = labWith([
      ['SET', 'greeting', 'hello'],
      ['RPUSH', 'queue', 'a', 'b', 'c'],
    ]);
    const state: ShareState = {
      rdb,
      savedAt,
      commands: ['INCR visits', 'GET "héllo wörld"'],
      lesson: { id: 'strings-101', step: 4 },
      clockOffsetMs: 86_400_000,
    };
    const data = await encodeShare(state);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeShare(data)).toEqual(state);
    expect(await decodeShare(await encodeShare(empty))).toEqual(empty);
  });

  it('keeps typical states short', async () => {
    const { rdb, savedAt } = labWith([
      ...Array.from({ length: 20 }, (_, i) => ['SET', `user:${i}:name`, `User number ${i}`]),
      ['HSET', 'user:1', 'name', 'Ada', 'lang', 'en', 'visits', '12'],
      ['RPUSH', 'jobs', 'build', 'test', 'deploy'],
      ['ZADD', 'board', '10', 'ada', '20', 'bob'],
    ]);
    const data = await encodeShare({ ...empty, rdb, savedAt });
    // 23 keys of several types in well under 1 KB of link.
    expect(data.length).toBeLessThan(1024);
    expect((await encodeShare({ ...empty, commands: ['SET a 1'] })).length).toBeLessThan(40);
  });

  it('lists the snapshot keys and moves their expiry so each keeps its TTL when loaded later', async () => {
    const clock = new ManualClock();
    const { rdb, savedAt } = labWith(
      [
        ['HSET', 'h', 'f', 'v', 'g', 'w'],
        ['SADD', 's', 'm1', 'm2'],
        ['SET', 'bin\x00\xff', '\x01\x02\x80', 'PX', '90000'],
        ['SELECT', '3'],
        ['ZADD', 'z', '1', 'x'],
        ['EXPIRE', 'z', '600'],
      ],
      clock,
    );
    const info = inspectSnapshot(rdb, savedAt);
    expect(info.keys.map((k) => [k.db, k.key, k.type, k.ttl]).sort()).toEqual(
      [
        [0, 'bin\x00\xff', 'string', 90000],
        [0, 'h', 'hash', -1],
        [0, 's', 'set', -1],
        [3, 'z', 'zset', 600000],
      ].sort(),
    );
    // Opened a day later: loaded as is, both keys would be gone; shifted, their TTLs are intact.
    const later = new ManualClock(clock.now() + 86_400_000);
    const fresh = createEngine({ clock: later, seed: 2 });
    const data = shiftExpiries(rdb, info, later.now() - savedAt);
    const result = loadRdbIntoEngine(fresh, String.fromCharCode(...data));
    expect(result.keysLoaded).toBe(4);
    const c = fresh.createClient();
    expect(run(fresh, c, ['PTTL', 'bin\x00\xff'])).toEqual({ t: 'int', v: 90000 });
    expect(run(fresh, c, ['HGET', 'h', 'g'])).toEqual({ t: 'bulk', v: 'w' });
    expect(run(fresh, c, ['GET', 'bin\x00\xff'])).toEqual({ t: 'bulk', v: '\x01\x02\x80' });
    run(fresh, c, ['SELECT', '3']);
    expect(run(fresh, c, ['TTL', 'z'])).toEqual({ t: 'int', v: 600 });
    // Unshifted, the server (checksum and all) drops the expired ones.
    const stale = createEngine({ clock: new ManualClock(later.now()), seed: 3 });
    expect(loadRdbIntoEngine(stale, String.fromCharCode(...rdb)).keysLoaded).toBe(2);
  });

  it('refuses malformed links with a reason', async () => {
    expect(await reason(decodeShare(''))).toMatch(/no data/);
    expect(await reason(decodeShare('abc$%'))).toMatch(/not valid base64url/);
    expect(await reason(decodeShare('AAAAAAAA'))).toMatch(/damaged|not a Redis Lab/);
    expect(await reason(decodeShare(toBase64Url(deflateRawSync(Buffer.from('{"x":1}')))))).toMatch(
      /not a Redis Lab share link/,
    );
    const { rdb, savedAt } = labWith([['SET', 'k', 'v']]);
    const good = frame({ ...empty, rdb, savedAt });
    // Cut short, extra bytes, another version, not an RDB file.
    expect(() => unframe(good.subarray(0, good.length - 3))).toThrow(/ends too early/);
    expect(() => unframe(Uint8Array.from([...good, 0]))).toThrow(/extra data/);
    expect(() => unframe(Uint8Array.from([0x52, 0x4c, 0x53, 9]))).toThrow(/another version/);
    expect(() => unframe(frame({ ...empty, rdb: new TextEncoder().encode('<script>alert(1)</script>') }))).toThrow(
      /not an RDB file/,
    );
    expect(() => unframe(frame({ ...empty, commands: ['SET a 1\nFLUSHALL'] }))).toThrow(/malformed command/);
    expect(() => unframe(frame({ ...empty, lesson: { id: '<script>', step: 0 } }))).toThrow(/lesson/);
    // An RDB the server would refuse (a flipped byte breaks the checksum; a cut file ends early).
    const flipped = rdb.slice();
    flipped[flipped.length - 12] ^= 0xff;
    expect(() => inspectSnapshot(flipped, savedAt)).toThrow(ShareError);
    expect(() => inspectSnapshot(rdb.subarray(0, rdb.length - 12), savedAt)).toThrow(/not a valid RDB file/);
  });

  it('refuses oversized links and payloads that inflate too far', async () => {
    expect(await reason(decodeShare('A'.repeat(MAX_ENCODED_CHARS + 4)))).toMatch(/too long .* limited to 64 KB/);
    // A few KB of link that would inflate to far more than the cap (a "zip bomb").
    const bomb = toBase64Url(deflateRawSync(Buffer.alloc(MAX_DECODED_BYTES * 4)));
    expect(bomb.length).toBeLessThan(MAX_ENCODED_CHARS);
    expect(await reason(decodeShare(bomb))).toMatch(/too large once unpacked/);
    expect(shareProblem(MAX_ENCODED_CHARS + 1)).toMatch(/too large for a link/);
    expect(shareProblem(100)).toBeNull();
  });

  it('finds the data in a #share= hash and builds links on the page URL', () => {
    expect(shareDataOf('#share=abc')).toBe('abc');
    expect(shareDataOf('#other')).toBeNull();
    expect(shareLink('http://localhost:4173/?x=1#old', 'abc')).toBe('http://localhost:4173/?x=1#share=abc');
  });
});
