// LOLWUT [VERSION v] [args...] (src/lolwut.c, lolwut5.c, lolwut6.c): a 7.x server answers only its
// version line; VERSION 5 draws Georg Nees's "Schotter" in Braille characters (UTF-8 bytes) and
// VERSION 6 a city skyline in ANSI colours. Both shake the art with random numbers, as Redis's rand().

import { REDIS_VERSION } from '../version';
import type { Client } from '../client';
import { type Reply, bulk } from '../protocol/reply';
import type { Random } from '../random';
import { parseInteger } from './args';
import { defineCommand } from './define';

/** A canvas of `width` × `height` pixels, each a colour number (lwCanvas). */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(bg);
  }
  set(x: number, y: number, color: number): void {
    if (x >= 0 && x < this.width && y >= 0 && y < this.height) this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    return x >= 0 && x < this.width && y >= 0 && y < this.height ? this.pixels[x + y * this.width] : 0;
  }
  /** lwDrawLine: Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) return;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }
  /** lwDrawSquare: a square of side `size` centred on x,y, rotated by `angle` (C floats: fround). */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const f = Math.fround;
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: Redis divides by this literal, not M_SQRT2
    const s = f(Math.round(f(size / 1.4142135623)));
    let k = f(Math.PI / 4 + angle);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      px.push(Math.round(Math.sin(k) * s + x));
      py.push(Math.round(Math.cos(k) * s + y));
      k = f(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
  }
}

/** rand() / RAND_MAX and rand() % n, from the engine's seeded generator. */
const unit = (r: Random): number => r.next();

/** lwDrawSchotter: rows of squares, rotated and shifted more and more towards the bottom. */
function schotter(r: Random, cols: number, perRow: number, perCol: number): Canvas {
  const f = Math.fround;
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f((width - padding * 2) / perRow);
  const height = Math.trunc(f(f(side * perCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f(f(f(unit(r)) / perCol) * y);
        let r2 = f(f(f(unit(r)) / perCol) * y);
        let r3 = f(f(f(unit(r)) / perCol) * y);
        if (r.int(2)) r1 = -r1;
        if (r.int(2)) r2 = -r2;
        if (r.int(2)) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f(sx + f(f(r2 * side) / 3)));
        sy = Math.trunc(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** lolwut5.c renderCanvas: 2×4 pixel cells as Braille characters (U+2800 + dots), in UTF-8 bytes. */
function renderBraille(c: Canvas): string {
  let text = '';
  for (let y = 0; y < c.height; y += 4) {
    for (let x = 0; x < c.width; x += 2) {
      const dots: [number, number][] = [
        [x, y],
        [x, y + 1],
        [x, y + 2],
        [x + 1, y],
        [x + 1, y + 1],
        [x + 1, y + 2],
        [x, y + 3],
        [x + 1, y + 3],
      ];
      let byte = 0;
      dots.forEach(([px, py], bit) => {
        if (c.get(px, py)) byte |= 1 << bit;
      });
      const code = 0x2800 + byte;
      text += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== c.height - 1) text += '\n';
  }
  return text;
}

/** generateSkyscraper: a building from the bottom row up; windows take random greys. */
function skyscraper(
  r: Random,
  c: Canvas,
  s: { xoff: number; width: number; height: number; windows: boolean; color: number },
): void {
  const starty = c.height - 1;
  const endy = starty - s.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = s.xoff; x < s.xoff + s.width; x++) {
      // The roof is four pixels narrower.
      if (y === endy && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2)) continue;
      let color = s.color;
      if (s.windows && x > s.xoff + 1 && x < s.xoff + s.width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (s.xoff + 1);
        const rely = y - (endy + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do color = 1 + r.int(2);
          while (color === s.color);
          // Both pixels of a window get the same colour.
          if (relx % 2) color = c.get(x - 1, y);
        }
      }
      c.set(x, y, color);
    }
  }
}

/** generateSkyline: two grey rows of plain buildings behind a black row with windows. */
function skyline(r: Random, c: Canvas): void {
  const h = c.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < c.width; ) {
      offset += r.int(8);
      const width = 10 + r.int(9);
      const height = Math.trunc(h / 2) + Math.trunc(r.int(h) / (color === 2 ? 2 : 3));
      skyscraper(r, c, { xoff: offset, width, height, windows: false, color });
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < c.width; ) {
    offset += r.int(8);
    let width = 5 + r.int(14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc(r.int(h) / 2);
    skyscraper(r, c, { xoff: offset, width, height, windows: true, color: 0 });
    offset += width + 5;
  }
}

const ANSI = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

/** lolwut6.c renderCanvas: one coloured space per pixel. */
function renderAnsi(c: Canvas): string {
  let text = '';
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) text += `\x1b[${ANSI[c.get(x, y)] ?? ANSI[0]} \x1b[0m`;
    if (y !== c.height - 1) text += '\n';
  }
  return text;
}

/** The optional numeric arguments, each parsed as a long and clamped to [1, max]. */
function numbers(args: string[], defaults: number[], maxes: number[]): number[] {
  return defaults.map((d, i) => {
    if (i >= args.length) return d;
    const n = Number(parseInteger(args[i]));
    return Math.min(maxes[i], Math.max(1, n));
  });
}

/** LOLWUT [VERSION version] [version-specific arguments] */
export const LOLWUT = defineCommand({
  name: 'LOLWUT',
  group: 'server',
  arity: -1,
  flags: ['readonly', 'fast'],
  summary: 'Display some computer art and the Redis version',
  since: '5.0.0',
  args: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }],
  exec(c: Client, argv): Reply {
    let v = REDIS_VERSION;
    let args = argv.slice(1);
    if (argv.length >= 3 && argv[1].toLowerCase() === 'version') {
      // snprintf("%u.0.0", (unsigned int)ver)
      v = `${Number(BigInt.asUintN(32, BigInt(parseInteger(argv[2]))))}.0.0`;
      args = argv.slice(3);
    }
    const r = c.engine.random;
    // LAB: RESP3 clients get a bulk string where Redis sends a verbatim string ("txt").
    if ((v[0] === '5' && v[1] === '.' && v[2] !== '9') || (v[0] === '4' && v[1] === '.' && v[2] === '9')) {
      const [cols, perRow, perCol] = numbers(args, [66, 8, 12], [1000, 200, 200]);
      const art = renderBraille(schotter(r, cols, perRow, perCol));
      return bulk(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`);
    }
    if ((v[0] === '6' && v[1] === '.' && v[2] !== '9') || (v[0] === '5' && v[1] === '.' && v[2] === '9')) {
      const [cols, rows] = numbers(args, [80, 20], [1000, 1000]);
      const canvas = new Canvas(cols, rows, 3);
      skyline(r, canvas);
      return bulk(
        `${renderAnsi(canvas)}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`,
      );
    }
    return bulk(`Redis ver. ${REDIS_VERSION}\n`);
  },
});
