// The panels' inspect queries and zset events, served by the worker host over a real MessageChannel.

import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
// The engine's modules first (as host.test.ts does): the command table before the host's imports.
import { createTestEngine } from './test-commands';
import { EngineHost } from './host';
import { HOST_PANELS } from './host-panels';
import type { Answer, Endpoint, FromWorker, InspectQuery, InspectResult, ToWorker } from './protocol';

function setup() {
  const { engine } = createTestEngine();
  const channel = new MessageChannel();
  const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
    cronMs: 0,
    eventBatchMs: 2,
    panels: HOST_PANELS,
  });
  const page = channel.port2;
  const waiters = new Map<number, (m: FromWorker) => void>();
  const events: EngineEvent[] = [];
  page.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
    const m = ev.data;
    if (m.type === 'events') events.push(...m.events);
    else if ('id' in m) waiters.get(m.id)?.(m);
  });
  page.start();
  let nextId = 1;
  type Req = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never;
  const request = <M extends Req>(msg: M): Promise<Answer<M['type']>> => {
    const id = nextId++;
    return new Promise((resolve) => {
      waiters.set(id, resolve as (m: FromWorker) => void);
      page.postMessage({ ...msg, id });
    });
  };
  const run = (...argv: string[]) => request({ type: 'command', session: 1, argv });
  const inspect = async <K extends InspectQuery['kind']>(q: Extract<InspectQuery, { kind: K }>) =>
    (await request({ type: 'inspect', query: q })).result as Extract<InspectResult, { kind: K }>;
  const dispose = () => {
    host.dispose();
    page.close();
    channel.port1.close();
  };
  return { engine, host, request, run, inspect, events, dispose };
}

let current: ReturnType<typeof setup> | null = null;
afterEach(() => {
  current?.dispose();
  current = null;
});
const start = async () => {
  current = setup();
  await current.request({ type: 'open', session: 1 });
  return current;
};

describe('panel inspect queries', () => {
  it('zset: a rank window of the skip list, the leaderboard and the listpack limits', async () => {
    const { run, inspect } = await start();
    await run('CONFIG', 'SET', 'zset-max-listpack-entries', '4');
    await run('ZADD', 'board', '10', 'ann', '30', 'bob', '20', 'cat');
    let r = await inspect({ kind: 'zset', db: 0, key: 'board', start: 0, count: 50, top: 2 });
    expect(r.window).toMatchObject({ encoding: 'listpack', length: 3, top: [{ member: 'bob' }, { member: 'cat' }] });
    expect(r.limits).toEqual({ entries: 4, value: 64 });
    await run('ZADD', 'board', '40', 'dan', '50', 'eve');
    r = await inspect({ kind: 'zset', db: 0, key: 'board', start: 0, count: 50, top: 1 });
    expect(r.window?.encoding).toBe('skiplist');
    expect(r.window?.nodes.map((n) => n.member)).toEqual(['ann', 'cat', 'bob', 'dan', 'eve']);
    expect(r.window?.header?.span[0]).toBe(1);
    await run('SET', 's', 'x');
    expect(await inspect({ kind: 'zset', db: 0, key: 's', start: 0, count: 5, top: 0 })).toMatchObject({
      type: 'string',
      window: null,
    });
    expect(await inspect({ kind: 'zset', db: 0, key: 'none', start: 0, count: 5, top: 0 })).toMatchObject({
      type: null,
    });
  });

  it('memory: used memory, bytes by type and the biggest keys with their encodings', async () => {
    const { run, inspect } = await start();
    await run('SET', 'small', '1');
    await run('SET', 'big', 'x'.repeat(5000));
    await run('RPUSH', 'list', 'a', 'b');
    await run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const r = await inspect({ kind: 'memory', top: 2 });
    expect(r.keys).toBe(3);
    expect(r.policy).toBe('allkeys-lru');
    expect(r.biggest.map((b) => [b.key, b.encoding])).toEqual([
      ['big', 'raw'],
      ['list', 'quicklist'], // Redis 7.0 lists are always quicklists
    ]);
    const usage = await run('MEMORY', 'USAGE', 'big');
    expect(usage.type === 'reply' && usage.reply).toEqual({ t: 'int', v: r.biggest[0].bytes });
    expect(r.byType.find((t) => t.type === 'string')).toMatchObject({ keys: 2 });
    const info = await run('INFO', 'memory');
    const text = info.type === 'reply' && info.reply?.t === 'bulk' ? String(info.reply.v) : '';
    expect(text).toContain(`used_memory:${r.used}\r\n`);
    expect(r.sampled).toBe(false);
  });

  it('keyspace: keys with type, encoding and absolute expiry; expired keys hidden', async () => {
    const { run, inspect, engine } = await start();
    await run('SET', 'n', '42');
    await run('SET', 'tmp', 'v', 'PX', '5000');
    await run('HSET', 'h', 'f', 'v');
    const r = await inspect({ kind: 'keyspace', db: 0, limit: 10 });
    const byKey = new Map(r.keys.map((k) => [k.key, k]));
    expect(byKey.get('n')).toMatchObject({ type: 'string', encoding: 'int', expireAt: null });
    expect(byKey.get('h')).toMatchObject({ type: 'hash', encoding: 'listpack' });
    expect(byKey.get('tmp')?.expireAt).toBe(r.now + 5000);
    expect(r.dbs).toEqual([{ db: 0, keys: 3, expires: 1 }]);
    expect((await inspect({ kind: 'keyspace', db: 0, limit: 1 })).truncated).toBe(true);
    (engine.clock as unknown as { advance(ms: number): void }).advance(6000);
    const later = await inspect({ kind: 'keyspace', db: 0, limit: 10 });
    expect(later.keys.map((k) => k.key).sort()).toEqual(['h', 'n']);
  });

  it('keyspace with a glob pattern and a key query go through the host', async () => {
    const { run, inspect } = await start();
    await run('SET', 'user:1', 'a');
    await run('SET', 'user:2', 'b');
    await run('RPUSH', 'queue', 'x', 'y');
    const r = await inspect({ kind: 'keyspace', db: 0, limit: 10, pattern: 'user:*' });
    expect(r.keys.map((k) => k.key).sort()).toEqual(['user:1', 'user:2']);
    expect(r.matched).toBe(2);
    const usage = await run('MEMORY', 'USAGE', 'user:1');
    expect(usage.type === 'reply' && usage.reply).toEqual({
      t: 'int',
      v: r.keys.find((k) => k.key === 'user:1')?.bytes,
    });
    expect(await inspect({ kind: 'key', db: 0, key: 'queue', limit: 1 })).toMatchObject({
      type: 'list',
      encoding: 'quicklist',
      value: { type: 'list', items: ['x'], total: 2 },
    });
  });

  it('watching events turns zset operation events on, unwatching off', async () => {
    const { run, request, events } = await start();
    await request({ type: 'watch-events', on: true });
    await run('ZADD', 'z', '1', 'a');
    await new Promise((r) => setTimeout(r, 20));
    expect(events.filter((e) => e.type === 'zset')).toEqual([
      expect.objectContaining({ type: 'zset', op: 'insert', key: 'z', member: 'a', encoding: 'listpack' }),
    ]);
    await request({ type: 'watch-events', on: false });
    events.length = 0;
    await request({ type: 'watch-events', on: true });
    await request({ type: 'watch-events', on: false });
    await run('ZADD', 'z', '2', 'b');
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
  });

  it('keeps only the latest zset operation of a batch (a bulk load sends one, not thousands)', async () => {
    const { request, events, host } = await start();
    await request({ type: 'watch-events', on: true });
    const commands = Array.from({ length: 300 }, (_, i) => ['ZADD', 'z', String(i), `m${i}`]);
    await request({ type: 'pipeline', session: 1, commands, replies: false });
    await new Promise((r) => setTimeout(r, 20));
    const zsets = events.filter((e) => e.type === 'zset');
    expect(zsets.filter((e) => e.op === 'convert')).toHaveLength(1);
    expect(zsets.filter((e) => e.op !== 'convert')).toEqual([
      expect.objectContaining({ op: 'insert', member: 'm299' }),
    ]);
    expect(host.coalesced).toBe(299);
    // Plain key writes are not forwarded (the page reads only expiries and evictions from them).
    expect(events.filter((e) => e.type === 'key')).toHaveLength(0);
  });
});
