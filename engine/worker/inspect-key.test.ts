// The keyspace panel's queries called on an engine: the value view of each type (bounded, with
// totals, stream groups as XINFO reports them) and the keyspace page's glob filter and memory.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { KEY_STRING_LIMIT } from './inspect-key';
import { inspectKey, inspectKeyspace } from './inspect-panels';

function setup() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1 });
  const c = engine.createClient();
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const view = (key: string, limit = 100) => inspectKey(engine, 0, key, limit);
  return { engine, clock, run, view };
}

const memoryUsage = (r: Reply) => (r.t === 'int' ? Number(r.v) : -1);

describe('inspect key: the value view', () => {
  it('string: the value, cut past the limit with its full length; type, encoding and MEMORY USAGE', () => {
    const { run, view } = setup();
    run('SET', 'n', '42');
    run('SET', 'bin', 'a\x00\xff');
    run('SET', 'long', 'x'.repeat(KEY_STRING_LIMIT + 10));
    expect(view('n')).toMatchObject({
      type: 'string',
      encoding: 'int',
      value: { type: 'string', value: '42', total: 2 },
    });
    expect(view('n').bytes).toBe(memoryUsage(run('MEMORY', 'USAGE', 'n')));
    expect(view('bin').value).toEqual({ type: 'string', value: 'a\x00\xff', total: 3 });
    const long = view('long').value;
    expect(long?.type === 'string' && long.value.length).toBe(KEY_STRING_LIMIT);
    expect(long?.total).toBe(KEY_STRING_LIMIT + 10);
    expect(view('long').encoding).toBe('raw');
  });

  it('list: elements in index order, the first `limit` of them and the length', () => {
    const { run, view } = setup();
    run('RPUSH', 'l', 'a', 'b', 'c', 'd');
    run('LPUSH', 'l', 'z');
    expect(view('l').value).toEqual({ type: 'list', items: ['z', 'a', 'b', 'c', 'd'], total: 5 });
    expect(view('l', 2).value).toEqual({ type: 'list', items: ['z', 'a'], total: 5 });
    expect(view('l', 0).value).toEqual({ type: 'list', items: [], total: 5 });
  });

  it('hash: field/value pairs in both encodings', () => {
    const { run, view } = setup();
    run('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    expect(view('h')).toMatchObject({
      encoding: 'listpack',
      value: {
        type: 'hash',
        items: [
          ['f1', 'v1'],
          ['f2', 'v2'],
        ],
        total: 2,
      },
    });
    run('HSET', 'h', 'big', 'v'.repeat(100));
    const v = view('h', 10).value;
    expect(view('h').encoding).toBe('hashtable');
    expect(v?.type === 'hash' && new Map(v.items).get('big')).toBe('v'.repeat(100));
    expect(v?.total).toBe(3);
    expect(view('h', 1).value).toMatchObject({ total: 3, items: [expect.any(Array)] });
  });

  it('set: members of an intset and of a hashtable set', () => {
    const { run, view } = setup();
    run('SADD', 'ints', '3', '1', '2');
    expect(view('ints').value).toEqual({ type: 'set', items: ['1', '2', '3'], total: 3 });
    run('SADD', 's', 'x', 'y');
    const v = view('s').value;
    expect(v?.type === 'set' && [...v.items].sort()).toEqual(['x', 'y']);
    expect(view('s', 1).value).toMatchObject({ total: 2, items: [expect.any(String)] });
  });

  it('zset: members by rank with scores formatted as Redis replies them', () => {
    const { run, view } = setup();
    run('ZADD', 'z', '2.5', 'b', '1', 'a', 'inf', 'top', '0.1', 'c');
    expect(view('z').value).toEqual({
      type: 'zset',
      items: [
        { member: 'c', score: '0.10000000000000001' },
        { member: 'a', score: '1' },
        { member: 'b', score: '2.5' },
        { member: 'top', score: 'inf' },
      ],
      total: 4,
    });
    const withScores = run('ZRANGE', 'z', '0', '0', 'WITHSCORES');
    expect(withScores).toMatchObject({ t: 'array', v: [{ v: 'c' }, { t: 'double', v: 0.1 }] });
    expect(view('z', 2).value).toMatchObject({ total: 4, items: [{ member: 'c' }, { member: 'a' }] });
  });

  it('stream: entries with fields, groups with last id, entries-read, lag and consumers with pending ids', () => {
    const { run, view } = setup();
    run('XADD', 's', '1-1', 'temp', '20', 'hum', '50');
    run('XADD', 's', '2-0', 'temp', '21');
    run('XADD', 's', '3-0', 'temp', '22', 'hum', '55');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XGROUP', 'CREATE', 's', 'idle', '$');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
    run('XGROUP', 'CREATECONSUMER', 's', 'g', 'bob');
    const v = view('s').value;
    if (v?.type !== 'stream') throw new Error('not a stream view');
    expect(v.total).toBe(3);
    expect(v.items).toEqual([
      {
        id: '1-1',
        fields: [
          ['temp', '20'],
          ['hum', '50'],
        ],
      },
      { id: '2-0', fields: [['temp', '21']] },
      {
        id: '3-0',
        fields: [
          ['temp', '22'],
          ['hum', '55'],
        ],
      },
    ]);
    expect(v.groups).toEqual([
      {
        name: 'g',
        lastDeliveredId: '2-0',
        entriesRead: '2',
        lag: '1',
        pending: 2,
        consumers: [
          {
            name: 'alice',
            pending: [
              { id: '1-1', deliveries: '2' },
              { id: '2-0', deliveries: '2' },
            ],
            pendingTotal: 2,
          },
          { name: 'bob', pending: [], pendingTotal: 0 },
        ],
      },
      { name: 'idle', lastDeliveredId: '3-0', entriesRead: null, lag: '0', pending: 0, consumers: [] },
    ]);
    // The same figures XINFO GROUPS replies.
    const info = run('XINFO', 'GROUPS', 's');
    const plain = (r: Reply): unknown =>
      r.t === 'map'
        ? Object.fromEntries(r.v.map(([k, v]) => [String(plain(k)), plain(v)]))
        : r.t === 'array'
          ? (r.v ?? []).map(plain)
          : 'v' in r
            ? r.v
            : null;
    expect(plain(info)).toEqual(
      v.groups.map((g) => ({
        name: g.name,
        consumers: g.consumers.length,
        pending: g.pending,
        'last-delivered-id': g.lastDeliveredId,
        'entries-read': g.entriesRead === null ? null : Number(g.entriesRead),
        lag: g.lag === null ? null : Number(g.lag),
      })),
    );
    const bounded = view('s', 1).value;
    expect(bounded?.type === 'stream' && [bounded.items.length, bounded.groups[0].consumers[0].pending.length]).toEqual(
      [1, 1],
    );
  });

  it('a missing or expired key has no type and no value', () => {
    const { run, view, clock } = setup();
    expect(view('nope')).toMatchObject({ type: null, value: null });
    run('SET', 't', 'v', 'PX', '100');
    expect(view('t')).toMatchObject({ type: 'string', expireAt: clock.now() + 100 });
    clock.advance(200);
    expect(view('t')).toMatchObject({ type: null, value: null });
  });
});

describe('inspect keyspace: glob filter and memory', () => {
  it('lists only keys matching the pattern, counts all matches and sizes each key as MEMORY USAGE', () => {
    const { engine, run } = setup();
    for (let i = 0; i < 12; i++) run('SET', `user:${i}`, 'x'.repeat(i * 10));
    run('SET', 'order:1', 'o');
    run('HSET', 'user:h', 'f', 'v');
    const r = inspectKeyspace(engine, 0, 5, 'user:?');
    expect(r.matched).toBe(11); // user:0..user:9 and user:h
    expect(r.keys).toHaveLength(5);
    expect(r.truncated).toBe(true);
    expect(r.partial).toBe(false);
    for (const k of r.keys) {
      expect(k.key).toMatch(/^user:.$/);
      expect(k.bytes).toBe(memoryUsage(run('MEMORY', 'USAGE', k.key)));
    }
    expect(inspectKeyspace(engine, 0, 50, 'order:[0-9]').keys.map((k) => k.key)).toEqual(['order:1']);
    expect(inspectKeyspace(engine, 0, 50, 'nothing*')).toMatchObject({ matched: 0, keys: [], truncated: false });
    expect(inspectKeyspace(engine, 0, 50).matched).toBe(14);
  });

  it('counts neither listed nor matched keys that have logically expired, with or without a pattern', () => {
    const { engine, run, clock } = setup();
    run('SET', 'tmp:1', 'a', 'PX', '100');
    run('SET', 'tmp:2', 'b', 'PX', '5000');
    run('SET', 'keep', 'c');
    expect(inspectKeyspace(engine, 0, 50)).toMatchObject({ matched: 3, truncated: false });
    clock.advance(200);
    const all = inspectKeyspace(engine, 0, 50);
    expect([all.matched, all.keys.map((k) => k.key).sort()]).toEqual([2, ['keep', 'tmp:2']]);
    const some = inspectKeyspace(engine, 0, 50, 'tmp:*');
    expect([some.matched, some.keys.map((k) => k.key)]).toEqual([1, ['tmp:2']]);
    expect(inspectKeyspace(engine, 0, 1)).toMatchObject({ matched: 2, truncated: true });
  });
});
