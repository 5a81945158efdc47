import { describe, expect, it } from 'vitest';
import type { Client } from '../client';
import { createEngine, type Engine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { isInSubscribeMode, pubsubCounts, pubsubTotals, resetPubSub } from './pubsub';

/** A client whose out-of-band replies are collected, with a `run` helper. */
function connect(engine: Engine) {
  const pushed: Reply[] = [];
  const client: Client = engine.createClient({ deliver: (r) => pushed.push(r) });
  const run = (...argv: string[]) => engine.dispatch(client, argv);
  /** The collected pushes as plain values, then forget them. */
  const take = () => pushed.splice(0).map(plain);
  return { client, run, take, pushed };
}

function plain(r: Reply): unknown {
  switch (r.t) {
    case 'array':
    case 'push':
    case 'set':
      return r.v === null ? null : r.v.map(plain);
    case 'map':
      return r.v.map(([k, v]) => [plain(k), plain(v)]);
    default:
      return r.v;
  }
}

const fresh = () => createEngine({ clock: new ManualClock(), seed: 1 });

describe('SUBSCRIBE and UNSUBSCRIBE', () => {
  it('send one confirmation per channel through deliver, with the running count', () => {
    const e = fresh();
    const a = connect(e);
    expect(a.run('SUBSCRIBE', 'x', 'y', 'x')).toBeUndefined();
    expect(a.take()).toEqual([
      ['subscribe', 'x', 1],
      ['subscribe', 'y', 2],
      ['subscribe', 'x', 2],
    ]);
    expect(a.client.subscriptionCount).toBe(2);
    a.run('UNSUBSCRIBE', 'y', 'nope');
    expect(a.take()).toEqual([
      ['unsubscribe', 'y', 1],
      ['unsubscribe', 'nope', 1],
    ]);
  });

  it('with no argument unsubscribe from everything in subscription order, or reply a nil channel', () => {
    const e = fresh();
    const a = connect(e);
    a.run('UNSUBSCRIBE');
    expect(a.take()).toEqual([['unsubscribe', null, 0]]);
    a.run('SUBSCRIBE', 'b', 'a');
    a.take();
    a.run('UNSUBSCRIBE');
    expect(a.take()).toEqual([
      ['unsubscribe', 'b', 1],
      ['unsubscribe', 'a', 0],
    ]);
    expect(isInSubscribeMode(a.client)).toBe(false);
  });

  it('count patterns with channels, and shard channels on their own', () => {
    const e = fresh();
    const a = connect(e);
    a.run('SUBSCRIBE', 'c');
    a.run('PSUBSCRIBE', 'p*');
    a.run('SSUBSCRIBE', 's1', 's2');
    expect(a.take()).toEqual([
      ['subscribe', 'c', 1],
      ['psubscribe', 'p*', 2],
      ['ssubscribe', 's1', 1],
      ['ssubscribe', 's2', 2],
    ]);
    expect(a.client.subscriptionCount).toBe(4);
    expect(pubsubCounts(a.client)).toEqual({ sub: 1, psub: 1, ssub: 2 });
    expect(a.client.flagString()).toBe('P');
  });

  it('are pushes for a RESP3 client', () => {
    const e = fresh();
    const a = connect(e);
    a.run('HELLO', '3');
    a.run('SUBSCRIBE', 'x');
    expect(a.pushed[0].t).toBe('push');
    a.run('UNSUBSCRIBE');
    expect(a.pushed[1].t).toBe('push');
  });
});

describe('inside a transaction', () => {
  it('SUBSCRIBE is let through but SSUBSCRIBE is refused as for a deny-blocking client', () => {
    const e = fresh();
    const a = connect(e);
    a.run('MULTI');
    a.run('SUBSCRIBE', 'x');
    a.run('SSUBSCRIBE', 's');
    const exec = a.run('EXEC') as { v: readonly Reply[] };
    expect(exec.v[1]).toEqual({ t: 'error', v: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client" });
    expect(a.take()).toEqual([['subscribe', 'x', 1]]);
    expect(pubsubCounts(a.client)).toEqual({ sub: 1, psub: 0, ssub: 0 });
  });
});

describe('PUBLISH', () => {
  it('delivers to channel subscribers in subscription order, then to matching patterns', () => {
    const e = fresh();
    const s1 = connect(e);
    const s2 = connect(e);
    const p = connect(e);
    const pub = connect(e);
    s2.run('SUBSCRIBE', 'news');
    s1.run('SUBSCRIBE', 'news');
    p.run('PSUBSCRIBE', 'n*', 'x*');
    for (const c of [s1, s2, p]) c.take();
    const order: string[] = [];
    for (const [name, c] of [
      ['s1', s1],
      ['s2', s2],
      ['p', p],
    ] as const)
      c.client.deliver = () => order.push(name);
    expect(pub.run('PUBLISH', 'news', 'hi')).toEqual({ t: 'int', v: 3 });
    expect(order).toEqual(['s2', 's1', 'p']);
  });

  it('formats message and pmessage, and counts each pattern of a client', () => {
    const e = fresh();
    const a = connect(e);
    const pub = connect(e);
    a.run('SUBSCRIBE', 'ch');
    a.run('PSUBSCRIBE', 'c*', '*h');
    a.take();
    expect(pub.run('PUBLISH', 'ch', 'm')).toEqual({ t: 'int', v: 3 });
    expect(a.take()).toEqual([
      ['message', 'ch', 'm'],
      ['pmessage', 'c*', 'ch', 'm'],
      ['pmessage', '*h', 'ch', 'm'],
    ]);
  });

  it('SPUBLISH reaches shard subscribers only, and patterns ignore it', () => {
    const e = fresh();
    const a = connect(e);
    const pub = connect(e);
    a.run('SSUBSCRIBE', 'ch');
    a.run('PSUBSCRIBE', '*');
    a.take();
    expect(pub.run('SPUBLISH', 'ch', 'm')).toEqual({ t: 'int', v: 1 });
    expect(a.take()).toEqual([['smessage', 'ch', 'm']]);
    expect(pub.run('PUBLISH', 'ch', 'm')).toEqual({ t: 'int', v: 1 });
    expect(a.take()).toEqual([['pmessage', '*', 'ch', 'm']]);
  });

  it('keeps binary payloads byte for byte', () => {
    const e = fresh();
    const a = connect(e);
    const pub = connect(e);
    a.run('SUBSCRIBE', 'b\xff');
    a.take();
    pub.run('PUBLISH', 'b\xff', '\x00\x80\xff');
    expect(a.take()).toEqual([['message', 'b\xff', '\x00\x80\xff']]);
  });
});

describe('subscribe mode', () => {
  it('refuses other commands under RESP2 and answers PING with ["pong", msg]', () => {
    const e = fresh();
    const a = connect(e);
    a.run('SUBSCRIBE', 'x');
    expect(a.run('GET', 'k')).toEqual({
      t: 'error',
      v: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
    expect(plain(a.run('PING') as Reply)).toEqual(['pong', '']);
    expect(plain(a.run('PING', 'hi') as Reply)).toEqual(['pong', 'hi']);
  });

  it('lets a RESP3 client run anything', () => {
    const e = fresh();
    const a = connect(e);
    a.run('HELLO', '3');
    a.run('SUBSCRIBE', 'x');
    expect(a.run('SET', 'k', 'v')).toEqual({ t: 'status', v: 'OK' });
    expect(a.run('PING')).toEqual({ t: 'status', v: 'PONG' });
  });
});

describe('cleanup', () => {
  it('a closed client leaves every channel and pattern', () => {
    const e = fresh();
    const a = connect(e);
    const b = connect(e);
    a.run('SUBSCRIBE', 'x', 'y');
    a.run('PSUBSCRIBE', 'p*');
    a.run('SSUBSCRIBE', 's');
    b.run('SUBSCRIBE', 'x');
    expect(pubsubTotals(e)).toEqual({ channels: 2, patterns: 1, shardChannels: 1 });
    e.removeClient(a.client);
    expect(pubsubTotals(e)).toEqual({ channels: 1, patterns: 0, shardChannels: 0 });
    expect(connect(e).run('PUBLISH', 'x', 'm')).toEqual({ t: 'int', v: 1 });
    expect(b.take().at(-1)).toEqual(['message', 'x', 'm']);
  });

  it('RESET unsubscribes silently and leaves subscribe mode', () => {
    const e = fresh();
    const a = connect(e);
    a.run('SUBSCRIBE', 'x');
    a.run('PSUBSCRIBE', 'p*');
    a.take();
    expect(a.run('RESET')).toEqual({ t: 'status', v: 'RESET' });
    expect(a.take()).toEqual([]);
    expect(a.client.subscriptionCount).toBe(0);
    expect(pubsubTotals(e)).toEqual({ channels: 0, patterns: 0, shardChannels: 0 });
    expect(a.run('GET', 'k')).toEqual({ t: 'bulk', v: null });
  });

  it('resetPubSub is a no-op for a client that never subscribed', () => {
    const e = fresh();
    const a = connect(e);
    resetPubSub(a.client);
    expect(a.client.subscriptionCount).toBe(0);
    expect(a.client.ext.pubsub).toBeUndefined();
  });
});

describe('PUBSUB and INFO', () => {
  it('report distinct channels and patterns', () => {
    const e = fresh();
    const a = connect(e);
    const b = connect(e);
    a.run('SUBSCRIBE', 'x', 'y');
    b.run('SUBSCRIBE', 'x');
    a.run('PSUBSCRIBE', 'p*');
    b.run('PSUBSCRIBE', 'p*', 'q*');
    const m = connect(e);
    expect(plain(m.run('PUBSUB', 'NUMSUB', 'x', 'y', 'z') as Reply)).toEqual(['x', 2, 'y', 1, 'z', 0]);
    expect(m.run('PUBSUB', 'NUMPAT')).toEqual({ t: 'int', v: 2 });
    expect(plain(m.run('PUBSUB', 'CHANNELS') as Reply)).toEqual(['x', 'y']);
    expect(plain(m.run('PUBSUB', 'CHANNELS', 'y*') as Reply)).toEqual(['y']);
    const info = (m.run('INFO', 'stats') as { v: string }).v;
    expect(info).toContain('pubsub_channels:2\r\n');
    expect(info).toContain('pubsub_patterns:2\r\n');
    expect(info).toContain('pubsubshard_channels:0\r\n');
  });
});
