import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { RedisHash } from '../types/hash';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv] : []));
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.cls}:${e.event}:${e.key}`] : []));
  const strings = (r: Reply): string[] => {
    if (r.t !== 'array' || r.v === null) throw new Error(`not an array: ${JSON.stringify(r)}`);
    return r.v.map((x) => (x.t === 'bulk' ? (x.v as string) : JSON.stringify(x)));
  };
  return { engine, c, run, events, propagated, notified, strings };
}

describe('hash writes', () => {
  it('notify hset/hdel/del, count dirty per pair and per deleted field', () => {
    const { run, notified, engine } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2', 'a', '3');
    expect(engine.dirty).toBe(3);
    run('HSETNX', 'h', 'a', 'x');
    expect(engine.dirty).toBe(3);
    run('HSETNX', 'h', 'c', 'x');
    run('HDEL', 'h', 'zz');
    run('HDEL', 'h', 'a', 'b', 'c');
    expect(engine.dirty).toBe(7);
    expect(notified()).toEqual(['n:new:h', 'h:hset:h', 'h:hset:h', 'h:hdel:h', 'g:del:h']);
    expect(run('EXISTS', 'h')).toEqual({ t: 'int', v: 0 });
  });

  it('propagate HINCRBYFLOAT as an HSET of the final value', () => {
    const { run, propagated, notified } = setup();
    run('HINCRBYFLOAT', 'h', 'f', '10.5');
    run('HINCRBYFLOAT', 'h', 'f', '0.1');
    expect(propagated()).toEqual([
      ['HSET', 'h', 'f', '10.5'],
      ['HSET', 'h', 'f', '10.6'],
    ]);
    expect(notified()).toEqual(['n:new:h', 'h:hincrbyfloat:h', 'h:hincrbyfloat:h']);
  });

  it('HINCRBY handles the full int64 range and refuses overflow without writing', () => {
    const { run, engine } = setup();
    expect(run('HINCRBY', 'h', 'n', '9223372036854775806')).toEqual({ t: 'int', v: 9223372036854775806n });
    expect(run('HINCRBY', 'h', 'n', '1')).toEqual({ t: 'int', v: 9223372036854775807n });
    expect(run('HINCRBY', 'h', 'n', '1')).toEqual({ t: 'error', v: 'ERR increment or decrement would overflow' });
    expect(run('HINCRBY', 'h', 'n', '-9223372036854775807')).toEqual({ t: 'int', v: 0 });
    expect(engine.dirty).toBe(3);
  });

  it('keep the value object in place while converting the encoding', () => {
    const { run, c } = setup({ 'hash-max-listpack-entries': '2' });
    run('HSET', 'h', 'a', '1', 'b', '2');
    const before = c.db.peekEntry('h')?.val;
    expect(before).toBeInstanceOf(RedisHash);
    expect((before as RedisHash).encoding()).toBe('listpack');
    run('HSET', 'h', 'c', '3');
    expect(c.db.peekEntry('h')?.val).toBe(before);
    expect((before as RedisHash).encoding()).toBe('hashtable');
  });

  it('HSET on an expired key replaces it with a fresh hash', () => {
    const clock = new ManualClock();
    const engine = createEngine({ clock, seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['HSET', 'h', 'old', '1']);
    engine.dispatch(c, ['PEXPIRE', 'h', '10']);
    clock.advance(20);
    expect(engine.dispatch(c, ['HSET', 'h', 'new', '1'])).toEqual({ t: 'int', v: 1 });
    expect(engine.dispatch(c, ['HKEYS', 'h'])).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'new' }] });
  });
});

describe('hash replies', () => {
  it('HGETALL is a map under RESP3 and a flat array under RESP2', () => {
    const { run, c } = setup();
    run('HSET', 'h', 'a', '1');
    expect(run('HGETALL', 'h')).toEqual({
      t: 'map',
      v: [
        [
          { t: 'bulk', v: 'a' },
          { t: 'bulk', v: '1' },
        ],
      ],
    });
    c.resp = 3;
    expect(run('HRANDFIELD', 'h', '1', 'WITHVALUES')).toEqual({
      t: 'array',
      v: [
        {
          t: 'array',
          v: [
            { t: 'bulk', v: 'a' },
            { t: 'bulk', v: '1' },
          ],
        },
      ],
    });
  });

  it('HRANDFIELD returns distinct fields for every strategy and both encodings', () => {
    for (const entries of ['512', '0']) {
      const { run, strings } = setup({ 'hash-max-listpack-entries': entries });
      const fields: string[] = [];
      for (let i = 0; i < 30; i++) fields.push(`f${i}`, `v${i}`);
      run('HSET', 'h', ...fields);
      for (const count of [2, 5, 9, 11, 20, 29]) {
        const got = strings(run('HRANDFIELD', 'h', String(count)));
        expect(got).toHaveLength(count);
        expect(new Set(got).size).toBe(count);
        for (const f of got) expect(f).toMatch(/^f\d+$/);
      }
      const pairs = strings(run('HRANDFIELD', 'h', '7', 'WITHVALUES'));
      for (let i = 0; i < pairs.length; i += 2) expect(pairs[i + 1]).toBe(`v${pairs[i].slice(1)}`);
      const repeats = strings(run('HRANDFIELD', 'h', '-100'));
      expect(repeats).toHaveLength(100);
      expect(new Set(repeats).size).toBeLessThan(31);
    }
  });

  it('HRANDFIELD (LAB) refuses absurd negative counts instead of building the reply', () => {
    const { run } = setup();
    run('HSET', 'h', 'a', '1');
    expect(run('HRANDFIELD', 'h', '-100000000')).toMatchObject({ t: 'error' });
  });

  it('HSCAN walks a hashtable with a cursor and visits every field once', () => {
    const { run, strings } = setup({ 'hash-max-listpack-entries': '0' });
    const args: string[] = [];
    for (let i = 0; i < 100; i++) args.push(`f${i}`, String(i));
    run('HSET', 'h', ...args);
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = run('HSCAN', 'h', cursor, 'COUNT', '5');
      if (r.t !== 'array' || r.v === null) throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      const items = strings(r.v[1]);
      for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(100);
    expect(seen.get('f42')).toBe('42');
    expect(calls).toBeGreaterThan(1);
  });
});
