import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { META_RAW, META_UNSHARED } from '../keyspace/db';

function setup() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1 });
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
  return { engine, c, clock, run, propagated, notified };
}

const bulk = (v: string) => ({ t: 'bulk', v });
const int = (v: number | bigint) => ({ t: 'int', v });
const err = (v: string) => ({ t: 'error', v });
const OVERFLOW = err('ERR increment or decrement would overflow');
const NOT_INT = err('ERR value is not an integer or out of range');

describe('INCR, DECR, INCRBY, DECRBY', () => {
  it('count from a missing key and notify "incrby" every time', () => {
    const { run, notified, engine } = setup();
    expect(run('INCR', 'k')).toEqual(int(1));
    expect(run('INCRBY', 'k', '41')).toEqual(int(42));
    expect(run('DECR', 'k')).toEqual(int(41));
    expect(run('DECRBY', 'k', '-9')).toEqual(int(50));
    expect(run('GET', 'k')).toEqual(bulk('50'));
    expect(notified()).toEqual(['$:incrby:k', '$:incrby:k', '$:incrby:k', '$:incrby:k']);
    expect(engine.dirty).toBe(4);
  });

  it('are exact over the whole signed 64-bit range', () => {
    const { run } = setup();
    run('SET', 'k', '9007199254740993');
    expect(run('INCR', 'k')).toEqual(int(9007199254740994n));
    expect(run('INCRBY', 'k', '9223372036854775800')).toEqual(OVERFLOW);
    expect(run('GET', 'k')).toEqual(bulk('9007199254740994'));
    run('SET', 'k', '9223372036854775806');
    expect(run('INCR', 'k')).toEqual(int(9223372036854775807n));
    expect(run('INCR', 'k')).toEqual(OVERFLOW);
    run('SET', 'k', '-9223372036854775807');
    expect(run('DECR', 'k')).toEqual(int(-9223372036854775808n));
    expect(run('DECR', 'k')).toEqual(OVERFLOW);
    expect(run('INCRBY', 'k', '9223372036854775807')).toEqual(int(-1));
  });

  it('sums two safe integers that leave the safe range without losing precision', () => {
    const { run } = setup();
    run('SET', 'k', '9007199254740991');
    expect(run('INCRBY', 'k', '9007199254740991')).toEqual(int(18014398509481982n));
  });

  it('refuse to negate LLONG_MIN in DECRBY', () => {
    const { run } = setup();
    expect(run('DECRBY', 'k', '-9223372036854775808')).toEqual(err('ERR decrement would overflow'));
  });

  it('reject values and increments that string2ll refuses', () => {
    const { run } = setup();
    for (const v of ['', ' 1', '1 ', '01', '+1', '-0', '1.5', '9223372036854775808', '1\0']) {
      run('SET', 'k', v);
      expect(run('INCR', 'k'), JSON.stringify(v)).toEqual(NOT_INT);
    }
    expect(run('INCRBY', 'x', '1.0')).toEqual(NOT_INT);
  });

  it('keep the TTL and store an int-encoded (not raw) value', () => {
    const { run, c } = setup();
    run('SET', 'k', '1', 'EX', '100');
    run('APPEND', 'k', '0');
    const when = c.db.getExpire('k');
    expect(run('INCR', 'k')).toEqual(int(11));
    expect(c.db.getExpire('k')).toBe(when);
    expect((c.db.peekEntry('k')?.meta ?? 0) & META_RAW).toBe(0);
  });

  it('propagate as received', () => {
    const { run, propagated } = setup();
    run('INCRBY', 'k', '5');
    expect(propagated()).toEqual([['INCRBY', 'k', '5']]);
  });
});

describe('INCRBYFLOAT', () => {
  it('adds in long double precision and replies the stored text', () => {
    const { run } = setup();
    expect(run('INCRBYFLOAT', 'k', '10.5')).toEqual(bulk('10.5'));
    expect(run('INCRBYFLOAT', 'k', '0.1')).toEqual(bulk('10.6'));
    expect(run('INCRBYFLOAT', 'j', '1000.1')).toEqual(bulk('1000.09999999999999998'));
    expect(run('INCRBYFLOAT', 'i', '3.0e3')).toEqual(bulk('3000'));
    expect(run('GET', 'i')).toEqual(bulk('3000'));
  });

  it('propagates SET key <result> KEEPTTL and notifies "incrbyfloat"', () => {
    const { run, propagated, notified } = setup();
    run('SET', 'k', '1', 'PXAT', '9999999999999');
    run('INCRBYFLOAT', 'k', '0.25');
    expect(propagated().at(-1)).toEqual(['SET', 'k', '1.25', 'KEEPTTL']);
    expect(notified().at(-1)).toBe('$:incrbyfloat:k');
  });

  it('keeps the TTL', () => {
    const { run, c } = setup();
    run('SET', 'k', '1', 'EX', '100');
    const when = c.db.getExpire('k');
    run('INCRBYFLOAT', 'k', '1.5');
    expect(c.db.getExpire('k')).toBe(when);
  });

  it('reports invalid floats and infinite results without writing', () => {
    const { run, engine } = setup();
    expect(run('INCRBYFLOAT', 'k', 'abc')).toEqual(err('ERR value is not a valid float'));
    expect(run('INCRBYFLOAT', 'k', 'inf')).toEqual(err('ERR increment would produce NaN or Infinity'));
    run('SET', 'k', 'x');
    expect(run('INCRBYFLOAT', 'k', '1')).toEqual(err('ERR value is not a valid float'));
    run('SET', 'k', '1e4932');
    expect(run('INCRBYFLOAT', 'k', '1e4932')).toEqual(err('ERR increment would produce NaN or Infinity'));
    expect(engine.dirty).toBe(2);
  });
});

describe('shared integers', () => {
  const unshared = (c: ReturnType<typeof setup>['c'], k: string) =>
    ((c.db.peekEntry(k)?.meta ?? 0) & META_UNSHARED) !== 0;

  it('INCR makes a small result the shared integer again, INCRBYFLOAT never does', () => {
    const { run, c } = setup();
    run('SET', 'k', '4');
    const e = c.db.peekEntry('k');
    if (e) e.meta |= META_UNSHARED; // as after COPY
    run('INCR', 'k');
    expect(unshared(c, 'k')).toBe(false);
    run('INCRBYFLOAT', 'f', '1');
    expect(unshared(c, 'f')).toBe(true);
  });

  it('are not used under maxmemory with an LRU policy', () => {
    const engine = createEngine({
      clock: new ManualClock(),
      seed: 1,
      config: { maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru' },
    });
    const c = engine.createClient();
    const run = (...argv: string[]) => engine.dispatch(c, argv);
    run('SET', 'a', '5');
    run('INCR', 'b');
    run('MSET', 'c', '7', 'd', 'x');
    run('APPEND', 'e', '3');
    run('SET', 'g', '10000');
    const flag = (k: string) => ((c.db.peekEntry(k)?.meta ?? 0) & META_UNSHARED) !== 0;
    expect(['a', 'b', 'c', 'd', 'e'].map(flag)).toEqual([true, true, true, false, true]);
    expect(flag('g')).toBe(false);
  });
});
