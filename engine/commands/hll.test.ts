import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { patLen } from '../types/hll';
import { stringEncoding } from '../types/string-encoding';

function setup() {
  const engine = createEngine({ clock: new ManualClock(), seed: 1 });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.cls}:${e.event}:${e.key}`] : []));
  const value = (k: string) => c.db.peekEntry(k)?.val as string;
  return { engine, c, run, notified, value };
}

const int = (v: number) => ({ t: 'int', v });

describe('PFADD', () => {
  it('counts one change for the creation and one per raised register', () => {
    const { run, engine, notified, value, c } = setup();
    expect(run('PFADD', 'h', 'a', 'b')).toEqual(int(1));
    expect(engine.dirty).toBe(3);
    expect(run('PFADD', 'h', 'a')).toEqual(int(0));
    expect(engine.dirty).toBe(3);
    expect(notified()).toEqual(['n:new:h', '$:pfadd:h']);
    const e = c.db.peekEntry('h');
    expect(stringEncoding(value('h'), e?.meta ?? 0)).toBe('raw');
    expect(value('h').slice(0, 4)).toBe('HYLL');
  });

  it('keeps the registers raised before a corrupt opcode stops it, quietly', () => {
    const { run, value, engine } = setup();
    // Sparse opcodes covering only registers 0..4096 (one XZERO of 4097).
    const corrupt = 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x50\x00';
    run('SET', 'h', corrupt);
    const names = Array.from({ length: 200 }, (_, i) => `e${i}`);
    const low = names.find((n) => patLen(n).index < 4097) as string;
    const high = names.find((n) => patLen(n).index >= 4097) as string;
    const before = engine.dirty;
    expect(run('PFADD', 'h', low, high)).toEqual({ t: 'error', v: 'INVALIDOBJ Corrupted HLL object detected' });
    expect(value('h')).not.toBe(corrupt);
    expect(value('h').charCodeAt(15)).toBe(0x80); // hllSparseSet invalidates the cache itself
    expect(engine.dirty).toBe(before);
  });
});

describe('PFCOUNT', () => {
  it('writes the cached cardinality once and counts it as a change', () => {
    const { run, engine, value } = setup();
    run('PFADD', 'h', 'a', 'b', 'c');
    const before = engine.dirty;
    expect(value('h').charCodeAt(15) & 0x80).toBe(0x80);
    expect(run('PFCOUNT', 'h')).toEqual(int(3));
    expect(engine.dirty).toBe(before + 1);
    expect(value('h').slice(8, 16)).toBe('\x03\0\0\0\0\0\0\0');
    expect(run('PFCOUNT', 'h')).toEqual(int(3));
    expect(engine.dirty).toBe(before + 1);
  });
});

describe('PFDEBUG', () => {
  it('converts to dense quietly: a change for propagation but no signal', () => {
    const { run, engine, value } = setup();
    run('PFADD', 'h', 'a');
    const other = engine.createClient();
    engine.dispatch(other, ['WATCH', 'h']);
    const before = engine.dirty;
    expect(run('PFDEBUG', 'TODENSE', 'h')).toEqual(int(1));
    expect(engine.dirty).toBe(before + 1);
    expect(value('h').length).toBe(12304);
    engine.dispatch(other, ['MULTI']);
    engine.dispatch(other, ['PING']);
    expect(engine.dispatch(other, ['EXEC'])).toEqual({ t: 'array', v: [{ t: 'status', v: 'PONG' }] });
  });

  it('PFSELFTEST passes on this implementation', () => {
    const { run } = setup();
    expect(run('PFSELFTEST')).toEqual({ t: 'status', v: 'OK' });
  });
});
