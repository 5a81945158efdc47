import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { META_RAW } from '../keyspace/db';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv);
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv] : []));
  // (dbAdd's "new" and lookupKey's "keymiss" events are left out: these tests follow the commands' own)
  const notified = () =>
    events.flatMap((e) =>
      e.type === 'notify' && e.cls !== 'n' && e.cls !== 'm' ? [`${e.cls}:${e.event}:${e.key}`] : [],
    );
  return { engine, c, clock, events, run, propagated, notified };
}

const OK = { t: 'status', v: 'OK' };
const NIL = { t: 'bulk', v: null };
const bulk = (v: string) => ({ t: 'bulk', v });
const int = (v: number | bigint) => ({ t: 'int', v });
const err = (v: string) => ({ t: 'error', v });

describe('SET', () => {
  it('stores the value, clears an old TTL and notifies "set"', () => {
    const { run, c, clock, notified, engine } = setup();
    run('SET', 'k', 'v', 'PX', '500');
    run('SET', 'k', 'w');
    expect(c.db.getExpire('k')).toBeUndefined();
    clock.advance(1000);
    expect(run('GET', 'k')).toEqual(bulk('w'));
    expect(notified()).toEqual(['$:set:k', 'g:expire:k', '$:set:k']);
    expect(engine.dirty).toBe(2);
  });

  it('turns every relative or absolute expiry into an absolute PXAT when propagating', () => {
    const { run, propagated, clock, c } = setup();
    const now = clock.now();
    run('SET', 'a', '1', 'EX', '10');
    run('SET', 'b', '2', 'px', '250');
    run('SET', 'c', '3', 'EXAT', '2000000000');
    run('SETEX', 'd', '5', '4');
    run('PSETEX', 'e', '7', '5');
    expect(propagated()).toEqual([
      ['SET', 'a', '1', 'PXAT', String(now + 10_000)],
      ['SET', 'b', '2', 'PXAT', String(now + 250)],
      ['SET', 'c', '3', 'PXAT', '2000000000000'],
      ['SET', 'd', '4', 'PXAT', String(now + 5000)],
      ['SET', 'e', '5', 'PXAT', String(now + 7)],
    ]);
    expect(c.db.getExpire('a')).toBe(now + 10_000);
    expect(c.db.getExpire('e')).toBe(now + 7);
  });

  it('propagates huge absolute times exactly, beyond 2^53', () => {
    const { run, propagated } = setup();
    expect(run('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toEqual(OK);
    expect(run('SET', 'k', 'v', 'EXAT', '9223372036854775')).toEqual(OK);
    expect(propagated()).toEqual([
      ['SET', 'k', 'v', 'PXAT', '9223372036854775807'],
      ['SET', 'k', 'v', 'PXAT', '9223372036854775000'],
    ]);
  });

  it('rejects expiries that are not positive or would overflow, naming the command', () => {
    const { run } = setup();
    expect(run('SET', 'k', 'v', 'EX', '0')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET', 'k', 'v', 'EX', '9223372036854776')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET', 'k', 'v', 'EX', '9223372036854775')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET', 'k', 'v', 'PX', '9223372036854775807')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SETEX', 'k', '-1', 'v')).toEqual(err("ERR invalid expire time in 'setex' command"));
    expect(run('PSETEX', 'k', '0', 'v')).toEqual(err("ERR invalid expire time in 'psetex' command"));
    expect(run('SET', 'k', 'v', 'EX', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('GET', 'k')).toEqual(NIL);
  });

  it('rejects conflicting options with a syntax error', () => {
    const { run } = setup();
    for (const opts of [['NX', 'XX'], ['EX', '1', 'PX', '1'], ['KEEPTTL', 'EX', '1'], ['EX'], ['PERSIST'], ['FOO']]) {
      expect(run('SET', 'k', 'v', ...opts), opts.join(' ')).toEqual(err('ERR syntax error'));
    }
  });

  it('matches options up to a NUL byte, as strcasecmp does', () => {
    const { run, c } = setup();
    expect(run('SET', 'k', 'v', 'nx\0junk')).toEqual(OK);
    expect(run('SET', 'k', 'v', 'NX\0')).toEqual(NIL);
    expect(run('SET', 'k', 'v', 'EX\0x', '100')).toEqual(OK);
    expect(c.db.getExpire('k')).toBeDefined();
  });

  it('keeps the TTL with KEEPTTL', () => {
    const { run, c, clock } = setup();
    run('SET', 'k', 'v', 'PX', '100');
    const when = c.db.getExpire('k');
    run('SET', 'k', 'w', 'KEEPTTL');
    expect(c.db.getExpire('k')).toBe(when);
    clock.advance(101);
    expect(run('GET', 'k')).toEqual(NIL);
  });

  it('honours NX and XX, replying nil and changing nothing when the condition fails', () => {
    const { run, engine, propagated } = setup();
    expect(run('SET', 'k', 'v', 'XX')).toEqual(NIL);
    expect(run('SET', 'k', 'v', 'NX')).toEqual(OK);
    expect(run('SET', 'k', 'w', 'NX')).toEqual(NIL);
    expect(run('GET', 'k')).toEqual(bulk('v'));
    expect(engine.dirty).toBe(1);
    expect(propagated()).toEqual([['SET', 'k', 'v', 'NX']]);
  });

  it('with GET replies the old value and propagates without the GET options', () => {
    const { run, propagated } = setup();
    expect(run('SET', 'k', 'v', 'GET')).toEqual(NIL);
    expect(run('SET', 'k', 'w', 'get', 'XX', 'GET')).toEqual(bulk('v'));
    expect(run('SET', 'k', 'x', 'NX', 'GET')).toEqual(bulk('w'));
    expect(run('GET', 'k')).toEqual(bulk('w'));
    expect(propagated()).toEqual([
      ['SET', 'k', 'v'],
      ['SET', 'k', 'w', 'XX'],
    ]);
  });

  it('with an absolute time already past leaves no key behind', () => {
    const { run, c } = setup();
    expect(run('SET', 'k', 'v', 'PXAT', '1')).toEqual(OK);
    expect(run('GET', 'k')).toEqual(NIL);
    expect(c.db.size).toBe(0);
  });

  it('drops the raw flag of an appended string, as a new object would', () => {
    const { run, c } = setup();
    run('SET', 'k', 'x');
    run('APPEND', 'k', 'y');
    expect((c.db.peekEntry('k')?.meta ?? 0) & META_RAW).not.toBe(0);
    run('SET', 'k', '12');
    expect((c.db.peekEntry('k')?.meta ?? 0) & META_RAW).toBe(0);
  });
});

describe('SETNX, GETSET, GETDEL', () => {
  it('SETNX replies 1 or 0', () => {
    const { run } = setup();
    expect(run('SETNX', 'k', 'a')).toEqual(int(1));
    expect(run('SETNX', 'k', 'b')).toEqual(int(0));
    expect(run('GET', 'k')).toEqual(bulk('a'));
  });

  it('GETSET replies the old value, clears the TTL and propagates as SET', () => {
    const { run, c, propagated } = setup();
    run('SET', 'k', 'a', 'EX', '100');
    expect(run('GETSET', 'k', 'b')).toEqual(bulk('a'));
    expect(c.db.getExpire('k')).toBeUndefined();
    expect(propagated().at(-1)).toEqual(['SET', 'k', 'b']);
  });

  it('GETDEL deletes, notifies "del" and propagates DEL (UNLINK under lazyfree-lazy-user-del)', () => {
    const { run, propagated, notified, engine } = setup();
    run('SET', 'k', 'a');
    expect(run('GETDEL', 'k')).toEqual(bulk('a'));
    expect(run('GETDEL', 'k')).toEqual(NIL);
    expect(propagated()).toEqual([
      ['SET', 'k', 'a'],
      ['DEL', 'k'],
    ]);
    expect(notified()).toEqual(['$:set:k', 'g:del:k']);
    expect(engine.dirty).toBe(2);

    const lazy = setup({ 'lazyfree-lazy-user-del': 'yes' });
    lazy.run('SET', 'k', 'a');
    lazy.run('GETDEL', 'k');
    expect(lazy.propagated().at(-1)).toEqual(['UNLINK', 'k']);
  });
});

describe('GETEX', () => {
  it('sets a TTL and propagates PEXPIREAT', () => {
    const { run, c, clock, propagated, notified } = setup();
    run('SET', 'k', 'v');
    expect(run('GETEX', 'k', 'EX', '10')).toEqual(bulk('v'));
    expect(c.db.getExpire('k')).toBe(clock.now() + 10_000);
    expect(propagated().at(-1)).toEqual(['PEXPIREAT', 'k', String(clock.now() + 10_000)]);
    expect(notified().at(-1)).toBe('g:expire:k');
  });

  it('PERSIST removes the TTL, and only then is written and propagated', () => {
    const { run, c, engine, propagated } = setup();
    run('SET', 'k', 'v', 'PX', '1000');
    expect(run('GETEX', 'k', 'PERSIST')).toEqual(bulk('v'));
    expect(c.db.getExpire('k')).toBeUndefined();
    const dirty = engine.dirty;
    expect(run('GETEX', 'k', 'PERSIST')).toEqual(bulk('v'));
    expect(run('GETEX', 'k')).toEqual(bulk('v'));
    expect(engine.dirty).toBe(dirty);
    expect(propagated().map((a) => a[0])).toEqual(['SET', 'PERSIST']);
  });

  it('deletes the key when the absolute time is past, propagating DEL', () => {
    const { run, c, propagated, notified } = setup();
    run('SET', 'k', 'v');
    expect(run('GETEX', 'k', 'PXAT', '1')).toEqual(bulk('v'));
    expect(c.db.size).toBe(0);
    expect(propagated().at(-1)).toEqual(['DEL', 'k']);
    expect(notified().at(-1)).toBe('g:del:k');
  });

  it('validates the expire only when the key holds a value', () => {
    const { run } = setup();
    expect(run('GETEX', 'missing', 'EX', '-1')).toEqual(NIL);
    expect(run('GETEX', 'missing', 'BAD')).toEqual(err('ERR syntax error'));
    run('SET', 'k', 'v');
    expect(run('GETEX', 'k', 'EX', '-1')).toEqual(err("ERR invalid expire time in 'getex' command"));
    expect(run('GETEX', 'k', 'KEEPTTL')).toEqual(err('ERR syntax error'));
  });
});

describe('MGET, MSET, MSETNX', () => {
  it('MSET sets every pair, clears TTLs, counts one change per key', () => {
    const { run, c, engine, notified } = setup();
    run('SET', 'a', 'old', 'EX', '100');
    const before = engine.dirty;
    expect(run('MSET', 'a', '1', 'b', '2', 'c', '3')).toEqual(OK);
    expect(engine.dirty - before).toBe(3);
    expect(c.db.getExpire('a')).toBeUndefined();
    expect(notified().slice(-3)).toEqual(['$:set:a', '$:set:b', '$:set:c']);
    expect(run('MGET', 'a', 'b', 'x')).toEqual({ t: 'array', v: [bulk('1'), bulk('2'), NIL] });
  });

  it('MSET with an odd number of arguments is an arity error', () => {
    const { run } = setup();
    expect(run('MSET', 'a', '1', 'b')).toEqual(err("ERR wrong number of arguments for 'mset' command"));
    expect(run('MSETNX', 'a', '1', 'b')).toEqual(err("ERR wrong number of arguments for 'msetnx' command"));
  });

  it('MSETNX sets nothing when any key exists', () => {
    const { run, engine } = setup();
    expect(run('MSETNX', 'a', '1', 'b', '2')).toEqual(int(1));
    const dirty = engine.dirty;
    expect(run('MSETNX', 'b', '3', 'c', '4')).toEqual(int(0));
    expect(engine.dirty).toBe(dirty);
    expect(run('MGET', 'a', 'b', 'c')).toEqual({ t: 'array', v: [bulk('1'), bulk('2'), NIL] });
  });

  it('GET and MGET count keyspace hits and misses', () => {
    const { run, engine } = setup();
    run('SET', 'a', '1');
    run('GET', 'a');
    run('MGET', 'a', 'b');
    expect(engine.stats.keyspaceHits).toBe(2);
    expect(engine.stats.keyspaceMisses).toBe(1);
  });
});

describe('keys of other types', () => {
  const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
  const fakeList = { type: 'list' as const, encoding: () => 'listpack' };

  it('answer WRONGTYPE to string reads and in-place writes, checked as Redis orders it', () => {
    const { run, c } = setup();
    c.db.add('l', fakeList);
    for (const argv of [
      ['GET', 'l'],
      ['GETSET', 'l', 'v'],
      ['GETEX', 'l', 'EX', '-1'],
      ['GETDEL', 'l'],
      ['SET', 'l', 'v', 'GET'],
      ['SET', 'l', 'v', 'NX', 'GET'],
      ['APPEND', 'l', 'x'],
      ['STRLEN', 'l'],
      ['SETRANGE', 'l', '0', 'x'],
      ['GETRANGE', 'l', '0', '1'],
      ['INCR', 'l'],
      ['DECRBY', 'l', '2'],
      ['INCRBYFLOAT', 'l', '1'],
    ]) {
      expect(run(...argv), argv.join(' ')).toEqual(WRONGTYPE);
    }
    expect(run('SETRANGE', 'l', '-1', 'x')).toEqual(err('ERR offset is out of range'));
    expect(run('SET', 'l', 'v', 'EX', '0', 'GET')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('DECRBY', 'l', '-9223372036854775808')).toEqual(err('ERR decrement would overflow'));
    expect(run('SETRANGE', 'l', '0', '')).toEqual(WRONGTYPE);
    expect(run('LCS', 'l', 'x')).toEqual(err('ERR The specified keys must contain string values'));
    expect(run('MGET', 'l')).toEqual({ t: 'array', v: [NIL] });
    expect(c.db.peekEntry('l')?.val).toBe(fakeList);
  });

  it('are replaced by SET, MSET and refused by SETNX/MSETNX', () => {
    const { run, c } = setup();
    c.db.add('l', fakeList);
    expect(run('SETNX', 'l', 'v')).toEqual(int(0));
    expect(run('MSETNX', 'l', 'v')).toEqual(int(0));
    expect(run('SET', 'l', 'v')).toEqual(OK);
    expect(run('GET', 'l')).toEqual(bulk('v'));
    c.db.setKey('m', fakeList);
    expect(run('MSET', 'm', 'w')).toEqual(OK);
    expect(run('GET', 'm')).toEqual(bulk('w'));
  });
});
