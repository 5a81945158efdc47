import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { blockForKeys, parseTimeout, unblockClient } from './blocking';

const bulk = (v: string | null): Reply => ({ t: 'bulk', v });
const arr = (...v: Reply[]): Reply => ({ t: 'array', v });
const NULL_ARRAY: Reply = { t: 'array', v: null };

function setup() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1 });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  /** A client whose out-of-band replies are collected. */
  const client = () => {
    const got: Reply[] = [];
    const c = engine.createClient({ deliver: (r) => got.push(r) });
    const run = (...argv: string[]) => engine.dispatch(c, argv);
    return { c, got, run };
  };
  const main = client();
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.event} ${e.key}`] : []));
  /** Time passes and serverCron runs. */
  const tick = (ms: number) => {
    clock.advance(ms);
    engine.cron();
  };
  return { engine, clock, events, client, run: main.run, propagated, notified, tick };
}

describe('blocking list pops', () => {
  it('blocks with no reply, then delivers when a push makes the key ready', () => {
    const { client, run, engine } = setup();
    const b = client();
    expect(b.run('BLPOP', 'q', '0')).toBeUndefined();
    expect(engine.blocking.blockedCount).toBe(1);
    expect(b.c.flagString()).toBe('b');
    expect(run('LPUSH', 'q', 'x')).toEqual({ t: 'int', v: 1 });
    expect(b.got).toEqual([arr(bulk('q'), bulk('x'))]);
    expect(engine.blocking.blockedCount).toBe(0);
    expect(run('EXISTS', 'q')).toEqual({ t: 'int', v: 0 });
  });

  it('propagates each served pop as its non-blocking equivalent, after the push', () => {
    const { client, run, propagated } = setup();
    const [b1, b2, b3, b4] = [client(), client(), client(), client()];
    b1.run('BLPOP', 'q', '0');
    b2.run('BRPOP', 'q', '0');
    b3.run('BLMPOP', '0', '1', 'q', 'RIGHT', 'COUNT', '5');
    b4.run('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    run('RPUSH', 'q', 'a', 'b', 'c', 'd');
    expect(b1.got).toEqual([arr(bulk('q'), bulk('a'))]);
    expect(b2.got).toEqual([arr(bulk('q'), bulk('d'))]);
    expect(b3.got).toEqual([arr(bulk('q'), arr(bulk('c'), bulk('b')))]);
    run('RPUSH', 'src', 'v');
    expect(b4.got).toEqual([bulk('v')]);
    expect(propagated()).toEqual([
      'RPUSH q a b c d',
      'LPOP q',
      'RPOP q',
      'RPOP q 2',
      'RPUSH src v',
      'LMOVE src dst LEFT RIGHT',
    ]);
  });

  it('rewrites an immediate blocking pop as the plain command', () => {
    const { run, propagated } = setup();
    run('RPUSH', 'q', 'a', 'b', 'c');
    run('RPUSH', 's', 'x', 'y');
    expect(run('BRPOP', 'nokey', 'q', '0')).toEqual(arr(bulk('q'), bulk('c')));
    expect(run('BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '9')).toEqual(arr(bulk('q'), arr(bulk('a'), bulk('b'))));
    expect(run('BRPOPLPUSH', 's', 'd', '0')).toEqual(bulk('y'));
    expect(run('BLMOVE', 's', 'd', 'RIGHT', 'LEFT', '0')).toEqual(bulk('x'));
    expect(propagated().slice(2)).toEqual(['RPOP q', 'LPOP q 2', 'RPOPLPUSH s d', 'LMOVE s d RIGHT LEFT']);
  });

  it('serves the client that blocked first, and BRPOPLPUSH propagates as RPOPLPUSH', () => {
    const { client, run, propagated, notified } = setup();
    const b1 = client();
    const b2 = client();
    b1.run('BRPOPLPUSH', 'src', 'dst', '0');
    b2.run('BLPOP', 'src', '0');
    run('RPUSH', 'src', 'only');
    expect(b1.got).toEqual([bulk('only')]);
    expect(b2.got).toEqual([]);
    expect(propagated()).toEqual(['RPUSH src only', 'RPOPLPUSH src dst']);
    expect(notified()).toEqual(['new src', 'rpush src', 'new dst', 'lpush dst', 'rpop src', 'del src']);
  });

  it('keeps waiting when the ready key is gone or of another type by the time it is served', () => {
    const { client, run } = setup();
    const b = client();
    b.run('BLPOP', 'q', '0');
    run('MULTI');
    run('RPUSH', 'q', 'a');
    run('DEL', 'q');
    run('SET', 'q', 'str');
    run('EXEC');
    expect(b.got).toEqual([]);
    run('DEL', 'q');
    run('RPUSH', 'q', 'b');
    expect(b.got).toEqual([arr(bulk('q'), bulk('b'))]);
  });

  it('fails a BLMOVE whose destination has the wrong type when it is served', () => {
    const { client, run, engine } = setup();
    const b = client();
    b.run('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    run('SET', 'dst', 'str');
    run('RPUSH', 'src', 'a');
    expect(b.got).toEqual([{ t: 'error', v: 'WRONGTYPE Operation against a key holding the wrong kind of value' }]);
    expect(run('LLEN', 'src')).toEqual({ t: 'int', v: 1 });
    expect(engine.stats.errors.get('WRONGTYPE')).toBe(1);
    expect(engine.commandStat('blmove').failedCalls).toBe(1);
  });

  it('does not block inside MULTI', () => {
    const { run } = setup();
    run('MULTI');
    run('BLPOP', 'q', '0');
    run('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0');
    expect(run('EXEC')).toEqual(arr(NULL_ARRAY, bulk(null)));
  });
});

describe('timeouts', () => {
  it('replies with a null array once the deadline has passed, driven by cron', () => {
    const { client, tick, engine } = setup();
    const b = client();
    b.run('BLPOP', 'q', '0.5');
    tick(500);
    expect(b.got).toEqual([]);
    tick(1);
    expect(b.got).toEqual([NULL_ARRAY]);
    expect(engine.blocking.blockedCount).toBe(0);
    const m = client();
    m.run('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.001');
    tick(2);
    expect(m.got).toEqual([NULL_ARRAY]);
  });

  it('never times out with 0, nor with a tiny negative timeout that rounds up to 0', () => {
    const { client, tick, run } = setup();
    const b = client();
    b.run('BLPOP', 'q', '-0.0001');
    tick(10_000_000);
    expect(b.got).toEqual([]);
    run('RPUSH', 'q', 'late');
    expect(b.got).toEqual([arr(bulk('q'), bulk('late'))]);
  });

  it('parses timeouts as seconds rounded up to milliseconds', () => {
    const { client, clock } = setup();
    const { c } = client();
    const now = clock.now();
    expect(parseTimeout(c, '0')).toBe(0);
    expect(parseTimeout(c, '1.5')).toBe(now + 1500);
    expect(parseTimeout(c, '0.0001')).toBe(now + 1);
    expect(parseTimeout(c, '1e-400')).toBe(0);
    expect(() => parseTimeout(c, '-1')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout(c, 'inf')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout(c, '1e20')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout(c, 'x')).toThrow('ERR timeout is not a float or out of range');
  });
});

describe('unblocking', () => {
  it('CLIENT UNBLOCK replies as a timeout or with the UNBLOCKED error', () => {
    const { client, run, engine } = setup();
    const b1 = client();
    const b2 = client();
    b1.run('BLPOP', 'q', '0');
    b2.run('BLMPOP', '0', '1', 'q', 'LEFT');
    expect(run('CLIENT', 'UNBLOCK', String(b1.c.id))).toEqual({ t: 'int', v: 1 });
    expect(run('CLIENT', 'UNBLOCK', String(b2.c.id), 'ERROR')).toEqual({ t: 'int', v: 1 });
    expect(run('CLIENT', 'UNBLOCK', String(b2.c.id))).toEqual({ t: 'int', v: 0 });
    expect(b1.got).toEqual([NULL_ARRAY]);
    expect(b2.got).toEqual([{ t: 'error', v: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' }]);
    expect(engine.blocking.blockedCount).toBe(0);
    expect(unblockClient(b1.c, false)).toBe(false);
  });

  it('runs the commands a blocked client sent, in order, once it is served', () => {
    const { client, run } = setup();
    const b = client();
    b.run('BLPOP', 'q', '0');
    expect(b.run('RPUSH', 'other', '1')).toBeUndefined();
    expect(b.run('BLPOP', 'q2', '0')).toBeUndefined();
    expect(b.run('PING')).toBeUndefined();
    expect(run('LLEN', 'other')).toEqual({ t: 'int', v: 0 });
    run('RPUSH', 'q', 'v');
    // Served, then RPUSH runs, then the second BLPOP blocks again and PING waits behind it.
    expect(b.got).toEqual([arr(bulk('q'), bulk('v')), { t: 'int', v: 1 }]);
    run('RPUSH', 'q2', 'w');
    expect(b.got.slice(2)).toEqual([arr(bulk('q2'), bulk('w')), { t: 'status', v: 'PONG' }]);
  });

  it('forgets a client that disconnects while blocked', () => {
    const { client, run, engine } = setup();
    const b = client();
    const next = client();
    b.run('BLPOP', 'q', '0');
    next.run('BLPOP', 'q', '0');
    engine.removeClient(b.c);
    expect(engine.blocking.blockedCount).toBe(1);
    expect(engine.blocking.blockedKeys).toBe(1);
    run('RPUSH', 'q', 'x');
    expect(b.got).toEqual([]);
    expect(next.got).toEqual([arr(bulk('q'), bulk('x'))]);
    expect(engine.blocking.blockedKeys).toBe(0);
  });

  it('waits per database', () => {
    const { client, run } = setup();
    const b = client();
    b.run('SELECT', '1');
    b.run('BLPOP', 'q', '0');
    run('RPUSH', 'q', 'db0');
    expect(b.got).toEqual([]);
    run('SELECT', '1');
    run('RPUSH', 'q', 'db1');
    expect(b.got).toEqual([arr(bulk('q'), bulk('db1'))]);
  });
});

describe('the blocking API for other types', () => {
  it('reports the next deadline so a host can wake up in time', () => {
    const { client, clock, engine } = setup();
    expect(engine.blocking.nextDeadline()).toBeUndefined();
    client().run('BLPOP', 'a', '2');
    client().run('BLPOP', 'b', '0.5');
    client().run('BLPOP', 'c', '0');
    expect(engine.blocking.nextDeadline()).toBe(clock.now() + 500);
    expect(engine.blocking.timedCount).toBe(2);
  });

  it('serves a sorted-set waiter only when the key holds a sorted set', () => {
    const { client, run, engine } = setup();
    const b = client();
    const seen: string[] = [];
    blockForKeys(b.c, {
      type: 'zset',
      keys: ['k', 'k'],
      timeout: 0,
      onReady: (key) => {
        seen.push(key);
        return bulk(`served ${key}`);
      },
      onTimeout: () => bulk('timed out'),
    });
    expect(engine.blocking.blockedKeys).toBe(1);
    run('RPUSH', 'k', 'list');
    expect(seen).toEqual([]);
    run('DEL', 'k');
    run('ZADD', 'k', '1', 'm');
    expect(seen).toEqual(['k']);
    expect(b.got).toEqual([bulk('served k')]);
    const t = client();
    blockForKeys(t.c, {
      type: 'zset',
      keys: ['z'],
      timeout: 1,
      onReady: () => undefined,
      onTimeout: () => bulk('bye'),
    });
    expect(unblockClient(t.c, false)).toBe(true);
    expect(t.got).toEqual([bulk('bye')]);
  });
});
