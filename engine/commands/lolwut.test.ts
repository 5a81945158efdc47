import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';

function setup(seed = 1) {
  const engine = createEngine({ clock: new ManualClock(), seed });
  const c = engine.createClient();
  return (...argv: string[]) => {
    const r = engine.dispatch(c, argv);
    if (r?.t !== 'bulk' || r.v === null) throw new Error(`not a bulk reply: ${JSON.stringify(r)}`);
    return r.v;
  };
}

/** The art lines before the credits (the blank line separates them). */
const artLines = (text: string): string[] => text.slice(0, text.indexOf('\n\n')).split('\n');
/** One Braille cell: U+2800..U+28FF as its three UTF-8 bytes (binary string). */
const BRAILLE = /^(?:\xe2[\xa0-\xa3][\x80-\xbf])+$/;
const CELL = /\x1b\[(0;30;40|0;90;100|0;37;47|0;97;107)m \x1b\[0m/g;

describe('LOLWUT', () => {
  it('answers with the version line unless VERSION picks 5 or 6', () => {
    const run = setup();
    expect(run('LOLWUT')).toBe('Redis ver. 7.0.15\n');
    expect(run('LOLWUT', 'VERSION', '7')).toBe('Redis ver. 7.0.15\n');
    expect(run('LOLWUT', 'VERSION', '59', '1')).toBe('Redis ver. 7.0.15\n');
  });

  it('VERSION 5 draws 66 Braille cells per line over 49 lines, then the credits', () => {
    const text = setup()('LOLWUT', 'VERSION', '5');
    const lines = artLines(text);
    expect(lines).toHaveLength(49);
    for (const l of lines) {
      expect(l).toMatch(BRAILLE);
      expect(l.length).toBe(66 * 3);
    }
    expect(text.endsWith('\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n')).toBe(true);
  });

  it('VERSION 5 leaves the first two rows of squares straight and shakes the rest at random', () => {
    const a = setup(1)('LOLWUT', 'VERSION', '5', '20', '4', '6');
    const b = setup(2)('LOLWUT', 'VERSION', '5', '20', '4', '6');
    // side 9 px → rows of squares every 9 pixel rows: the first two rows fill the first 5 text lines.
    expect(artLines(a).slice(0, 4)).toEqual(artLines(b).slice(0, 4));
    expect(artLines(a).slice(5)).not.toEqual(artLines(b).slice(5));
    expect(setup(1)('LOLWUT', 'VERSION', '5', '20', '4', '6')).toBe(a);
  });

  it('VERSION 5 clamps its sizes and reports bad numbers', () => {
    const run = setup();
    // (a 2×1 canvas: redis-server 7.0.15 answers the same cell, as the conformance cases check)
    expect(artLines(run('LOLWUT', 'VERSION', '5', '0', '0', '0'))).toEqual(['\xe2\xa0\x8b']);
    expect(() => run('LOLWUT', 'VERSION', '5', '10', 'x')).toThrow(/not a bulk reply.*not an integer/);
  });

  it('VERSION 6 paints rows × columns coloured cells, then the dedication', () => {
    const text = setup()('LOLWUT', 'VERSION', '6', '30', '8');
    const lines = text.slice(0, text.indexOf('\nDedicated')).split('\n');
    expect(lines).toHaveLength(8);
    for (const l of lines) {
      expect(l.match(CELL)).toHaveLength(30);
      expect(l.replace(CELL, '')).toBe('');
    }
    // The foreground buildings (black) stand on the bottom row somewhere.
    expect(lines[7]).toContain('\x1b[0;30;40m');
    expect(text).toContain(
      '\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n',
    );
  });
});
