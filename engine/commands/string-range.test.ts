import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { stringEncoding } from '../types/string-encoding';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv);
  // (dbAdd's "new" and lookupKey's "keymiss" events are left out: these tests follow the commands' own)
  const notified = () =>
    events.flatMap((e) =>
      e.type === 'notify' && e.cls !== 'n' && e.cls !== 'm' ? [`${e.cls}:${e.event}:${e.key}`] : [],
    );
  const encoding = (k: string) => {
    const e = c.db.peekEntry(k);
    if (e === undefined || typeof e.val !== 'string') return undefined;
    return stringEncoding(e.val, e.meta);
  };
  return { engine, c, clock, run, notified, encoding };
}

const bulk = (v: string) => ({ t: 'bulk', v });
const int = (v: number) => ({ t: 'int', v });
const err = (v: string) => ({ t: 'error', v });
const TOO_BIG = err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');

describe('APPEND', () => {
  it('creates the key with its natural encoding, then makes it raw', () => {
    const { run, encoding, notified } = setup();
    expect(run('APPEND', 'k', '12')).toEqual(int(2));
    expect(encoding('k')).toBe('int');
    expect(run('APPEND', 'k', '3')).toEqual(int(3));
    expect(encoding('k')).toBe('raw');
    expect(run('GET', 'k')).toEqual(bulk('123'));
    expect(notified()).toEqual(['$:append:k', '$:append:k']);
  });

  it('keeps the TTL', () => {
    const { run, c } = setup();
    run('SET', 'k', 'a', 'PX', '100');
    const when = c.db.getExpire('k');
    run('APPEND', 'k', 'b');
    expect(c.db.getExpire('k')).toBe(when);
  });

  it('refuses to grow a string past proto-max-bulk-len', () => {
    const { run, engine } = setup({ 'proto-max-bulk-len': '1mb' });
    run('SETRANGE', 'k', String(1024 * 1024 - 2), 'ab');
    const dirty = engine.dirty;
    expect(run('APPEND', 'k', 'c')).toEqual(TOO_BIG);
    expect(engine.dirty).toBe(dirty);
    expect(run('STRLEN', 'k')).toEqual(int(1024 * 1024));
  });
});

describe('SETRANGE', () => {
  it('zero-pads, overwrites in place and always leaves a raw string', () => {
    const { run, encoding } = setup();
    expect(run('SETRANGE', 'k', '2', 'ab')).toEqual(int(4));
    expect(run('GET', 'k')).toEqual(bulk('\0\0ab'));
    expect(encoding('k')).toBe('raw');
    run('SET', 'n', '12345');
    expect(encoding('n')).toBe('int');
    expect(run('SETRANGE', 'n', '1', '9')).toEqual(int(5));
    expect(run('GET', 'n')).toEqual(bulk('19345'));
    expect(encoding('n')).toBe('raw');
    expect(run('INCR', 'n')).toEqual(int(19346));
    expect(encoding('n')).toBe('int');
  });

  it('with an empty value changes nothing and replies the current length', () => {
    const { run, engine, notified } = setup();
    expect(run('SETRANGE', 'missing', '99999999999', '')).toEqual(int(0));
    expect(run('GET', 'missing')).toEqual({ t: 'bulk', v: null });
    run('SET', 'k', 'abc');
    expect(run('SETRANGE', 'k', '99999999999', '')).toEqual(int(3));
    expect(engine.dirty).toBe(1);
    expect(notified()).toEqual(['$:set:k']);
  });

  it('rejects negative offsets and results past proto-max-bulk-len', () => {
    const { run } = setup({ 'proto-max-bulk-len': '1mb' });
    expect(run('SETRANGE', 'k', '-1', 'x')).toEqual(err('ERR offset is out of range'));
    expect(run('SETRANGE', 'k', String(1024 * 1024), 'x')).toEqual(TOO_BIG);
    expect(run('SETRANGE', 'k', '9223372036854775807', 'x')).toEqual(TOO_BIG);
    expect(run('SETRANGE', 'k', String(1024 * 1024 - 1), 'x')).toEqual(int(1024 * 1024));
  });

  it('keeps the TTL and notifies "setrange"', () => {
    const { run, c, notified } = setup();
    run('SET', 'k', 'abc', 'EX', '100');
    const when = c.db.getExpire('k');
    run('SETRANGE', 'k', '1', 'X');
    expect(c.db.getExpire('k')).toBe(when);
    expect(notified().at(-1)).toBe('$:setrange:k');
  });
});

describe('GETRANGE and STRLEN', () => {
  it('clamps indexes as Redis does', () => {
    const { run } = setup();
    run('SET', 'k', 'This is a string');
    expect(run('GETRANGE', 'k', '0', '3')).toEqual(bulk('This'));
    expect(run('GETRANGE', 'k', '-3', '-1')).toEqual(bulk('ing'));
    expect(run('GETRANGE', 'k', '-100', '-50')).toEqual(bulk('T'));
    expect(run('GETRANGE', 'k', '-1', '-5')).toEqual(bulk(''));
    expect(run('SUBSTR', 'k', '10', '100')).toEqual(bulk('string'));
    expect(run('GETRANGE', 'missing', '0', '-1')).toEqual(bulk(''));
  });

  it('keeps the order of huge negative indexes that a double could not tell apart', () => {
    const { run } = setup();
    run('SET', 'k', 'abc');
    expect(run('GETRANGE', 'k', '-9007199254740993', '-9007199254740994')).toEqual(bulk(''));
    expect(run('GETRANGE', 'k', '-9007199254740994', '-9007199254740993')).toEqual(bulk('a'));
  });

  it('STRLEN counts bytes', () => {
    const { run } = setup();
    run('SET', 'k', '\0\xff\x80');
    expect(run('STRLEN', 'k')).toEqual(int(3));
    expect(run('STRLEN', 'missing')).toEqual(int(0));
  });
});
