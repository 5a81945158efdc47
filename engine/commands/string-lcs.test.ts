import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  return { engine, run: (...argv: string[]) => engine.dispatch(c, argv) };
}

const int = (v: number): Reply => ({ t: 'int', v });
const range = (a: number, b: number): Reply => ({ t: 'array', v: [int(a), int(b)] });

describe('LCS', () => {
  it('finds the longest common subsequence and its length', () => {
    const { run } = setup();
    run('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    expect(run('LCS', 'a', 'b')).toEqual({ t: 'bulk', v: 'mytext' });
    expect(run('LCS', 'a', 'b', 'LEN')).toEqual(int(6));
    expect(run('LCS', 'a', 'missing')).toEqual({ t: 'bulk', v: '' });
  });

  it('lists the matching ranges newest first, filtered by MINMATCHLEN, with lengths', () => {
    const { run } = setup();
    run('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    expect(run('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toEqual({
      t: 'map',
      v: [
        [
          { t: 'bulk', v: 'matches' },
          { t: 'array', v: [{ t: 'array', v: [range(4, 7), range(5, 8), int(4)] }] },
        ],
        [{ t: 'bulk', v: 'len' }, int(6)],
      ],
    });
    const all = run('LCS', 'a', 'b', 'IDX');
    expect(all?.t === 'map' ? all.v[0][1] : all).toEqual({
      t: 'array',
      v: [
        { t: 'array', v: [range(4, 7), range(5, 8)] },
        { t: 'array', v: [range(2, 3), range(0, 1)] },
      ],
    });
  });

  it('rejects LEN with IDX, bad options and non-string keys', () => {
    const { run } = setup();
    expect(run('LCS', 'a', 'b', 'LEN', 'IDX')).toEqual({
      t: 'error',
      v: 'ERR If you want both the length and indexes, please just use IDX.',
    });
    expect(run('LCS', 'a', 'b', 'MINMATCHLEN')).toEqual({ t: 'error', v: 'ERR syntax error' });
  });

  it('refuses a table larger than proto-max-bulk-len', () => {
    const { run } = setup({ 'proto-max-bulk-len': '1mb' });
    run('MSET', 'a', 'x'.repeat(600), 'b', 'x'.repeat(600));
    expect(run('LCS', 'a', 'b', 'LEN')).toEqual({
      t: 'error',
      v: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
    });
    run('MSET', 'a', 'x'.repeat(500), 'b', 'y'.repeat(250) + 'x'.repeat(250));
    expect(run('LCS', 'a', 'b', 'LEN')).toEqual(int(250));
  });
});
