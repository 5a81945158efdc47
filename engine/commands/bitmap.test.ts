import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { stringEncoding } from '../types/string-encoding';

function setup() {
  const engine = createEngine({ clock: new ManualClock(), seed: 1 });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.cls}:${e.event}:${e.key}`] : []));
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  const encoding = (k: string) => {
    const e = c.db.peekEntry(k);
    return e === undefined || typeof e.val !== 'string' ? undefined : stringEncoding(e.val, e.meta);
  };
  return { engine, c, run, notified, propagated, encoding };
}

const int = (v: number | bigint) => ({ t: 'int', v });

describe('SETBIT', () => {
  it('counts a change only when the bit flips or the string grows', () => {
    const { run, engine, notified } = setup();
    run('SETBIT', 'k', '3', '0');
    expect(engine.dirty).toBe(1);
    run('SETBIT', 'k', '3', '0');
    run('SETBIT', 'k', '2', '0');
    expect(engine.dirty).toBe(1);
    run('SETBIT', 'k', '3', '1');
    run('SETBIT', 'k', '20', '0');
    expect(engine.dirty).toBe(3);
    expect(notified()).toEqual(['n:new:k', '$:setbit:k', '$:setbit:k', '$:setbit:k']);
  });

  it('leaves a raw string even when nothing changes, without touching WATCH', () => {
    const { run, engine, c, encoding } = setup();
    run('SET', 'k', '1');
    expect(encoding('k')).toBe('int');
    const other = engine.createClient();
    engine.dispatch(other, ['WATCH', 'k']);
    expect(run('SETBIT', 'k', '0', '0')).toEqual(int(0));
    expect(encoding('k')).toBe('raw');
    engine.dispatch(other, ['MULTI']);
    engine.dispatch(other, ['PING']);
    expect(engine.dispatch(other, ['EXEC'])).toEqual({ t: 'array', v: [{ t: 'status', v: 'PONG' }] });
    expect(c.db.peekEntry('k')?.val).toBe('1');
  });
});

describe('BITFIELD', () => {
  it('counts every successful write on a new or grown string, and notifies setbit once', () => {
    const { run, engine, notified } = setup();
    run('BITFIELD', 'k', 'SET', 'u8', '0', '0', 'SET', 'u8', '8', '0', 'GET', 'u8', '0');
    expect(engine.dirty).toBe(2);
    run('BITFIELD', 'k', 'SET', 'u8', '0', '0', 'INCRBY', 'u8', '8', '1');
    expect(engine.dirty).toBe(3);
    expect(notified()).toEqual(['n:new:k', '$:setbit:k', '$:setbit:k']);
  });

  it('creates the zero-padded key even when OVERFLOW FAIL refuses every write', () => {
    const { run, engine, notified, c } = setup();
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u2', '10', '9')).toEqual({
      t: 'array',
      v: [{ t: 'bulk', v: null }],
    });
    expect(c.db.peekEntry('k')?.val).toBe('\0\0');
    expect(engine.dirty).toBe(0);
    expect(notified()).toEqual(['n:new:k']);
  });

  it('propagates as itself only when something changed', () => {
    const { run, propagated } = setup();
    run('BITFIELD', 'k', 'SET', 'i8', '0', '-1');
    run('BITFIELD', 'k', 'GET', 'i8', '0');
    run('BITFIELD', 'k', 'SET', 'i8', '0', '-1');
    expect(propagated()).toEqual(['BITFIELD k SET i8 0 -1']);
  });
});

describe('BITOP', () => {
  it('stores a raw string and drops the TTL of the destination', () => {
    const { run, encoding } = setup();
    run('SET', 'a', '1');
    run('SET', 'd', 'x', 'EX', '100');
    expect(run('BITOP', 'OR', 'd', 'a')).toEqual(int(1));
    expect(encoding('d')).toBe('raw');
    expect(run('TTL', 'd')).toEqual(int(-1));
  });
});
