import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { formatDouble } from '../util/format-double';
import type { ZSet } from '../types/zset';
import { checkZSet } from '../types/zset-invariants';

const setup = (config: Record<string, string> = {}) => {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const run = (...argv: string[]): Reply => engine.dispatch(c, argv) as Reply;
  return { engine, c, run };
};

/** A reply as plain data: bulk/double → string, int → number, arrays recursively. */
function plain(r: Reply): unknown {
  switch (r.t) {
    case 'bulk':
      return r.v;
    case 'double':
      return formatDouble(r.v);
    case 'int':
      return Number(r.v);
    case 'array':
      return r.v === null ? null : r.v.map(plain);
    case 'error':
      return { error: r.v };
    default:
      return r.v;
  }
}

// ---- a naive sorted-array model of one sorted set ----------------------------------------------

type Entry = [member: string, score: number];
const cmpEntry = (a: Entry, b: Entry) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const sorted = (m: Map<string, number>): Entry[] => [...m].sort(cmpEntry);

interface Bound {
  v: number;
  ex: boolean;
}
const parseBound = (s: string): Bound =>
  s.startsWith('(')
    ? { v: Number(s.slice(1).replace('inf', 'Infinity')), ex: true }
    : { v: Number(s.replace('inf', 'Infinity')), ex: false };
const inScore = (x: number, lo: Bound, hi: Bound) => (lo.ex ? x > lo.v : x >= lo.v) && (hi.ex ? x < hi.v : x <= hi.v);

/** Lex bounds: -1 stands for "-", 1 for "+". */
type LexB = { s: string; inf: -1 | 0 | 1; ex: boolean };
const parseLex = (s: string): LexB =>
  s === '-'
    ? { s: '', inf: -1, ex: true }
    : s === '+'
      ? { s: '', inf: 1, ex: true }
      : { s: s.slice(1), inf: 0, ex: s[0] === '(' };
function cmpToBound(v: string, b: LexB): number {
  if (b.inf !== 0) return -b.inf;
  return v < b.s ? -1 : v > b.s ? 1 : 0;
}
const lexGte = (v: string, b: LexB) => (b.ex ? cmpToBound(v, b) > 0 : cmpToBound(v, b) >= 0);
const lexLte = (v: string, b: LexB) => (b.ex ? cmpToBound(v, b) < 0 : cmpToBound(v, b) <= 0);
function lexEmpty(lo: LexB, hi: LexB): boolean {
  const c =
    lo.inf !== 0 || hi.inf !== 0
      ? lo.inf === hi.inf
        ? 0
        : lo.inf > hi.inf || (lo.inf === 0 && hi.inf === -1) || (lo.inf === 1 && hi.inf === 0)
          ? 1
          : -1
      : lo.s < hi.s
        ? -1
        : lo.s > hi.s
          ? 1
          : 0;
  return c > 0 || (c === 0 && (lo.ex || hi.ex));
}

/** ZREMRANGEBYLEX's walk (Redis's, also meaningful when scores differ): from the first member ≥ min, while ≤ max. */
function lexRemoveModel(list: Entry[], lo: LexB, hi: LexB): Entry[] {
  if (list.length === 0 || lexEmpty(lo, hi)) return [];
  if (!lexGte(list[list.length - 1][0], lo) || !lexLte(list[0][0], hi)) return [];
  let i = 0;
  while (i < list.length && !lexGte(list[i][0], lo)) i++;
  const out: Entry[] = [];
  while (i < list.length && lexLte(list[i][0], hi)) out.push(list[i++]);
  return out;
}

// 'longmember' fits inline in a skiplist zset's dict slot (≤ 15 bytes), 'longmember-of-20-bytes' does not.
const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'longmember', 'longmember-of-20-bytes'];
const SCORES = ['-inf', '-2', '-1', '0', '0.5', '1', '1.5', '2', '3', 'inf', '1e18', '0.1'];
const SCORE_BOUNDS = ['-inf', '+inf', '0', '1', '(1', '2', '(2', '-1', '(0.5', '3'];
const LEX_BOUNDS = ['-', '+', '[a', '(b', '[c', '(d', '[longmember', '[', '(', '[g'];

const opArb = fc.oneof(
  fc.record({
    kind: fc.constant('zadd' as const),
    flags: fc.constantFrom<string[]>(
      [],
      ['NX'],
      ['XX'],
      ['GT'],
      ['LT'],
      ['XX', 'GT'],
      ['XX', 'LT'],
      ['CH'],
      ['GT', 'CH'],
    ),
    pairs: fc.array(fc.tuple(fc.constantFrom(...SCORES), fc.constantFrom(...MEMBERS)), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('zincrby' as const),
    inc: fc.constantFrom(...SCORES),
    member: fc.constantFrom(...MEMBERS),
  }),
  fc.record({
    kind: fc.constant('zrem' as const),
    members: fc.array(fc.constantFrom(...MEMBERS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('zremrangebyscore' as const),
    min: fc.constantFrom(...SCORE_BOUNDS),
    max: fc.constantFrom(...SCORE_BOUNDS),
  }),
  fc.record({
    kind: fc.constant('zremrangebyrank' as const),
    start: fc.integer({ min: -6, max: 6 }),
    stop: fc.integer({ min: -6, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('zremrangebylex' as const),
    min: fc.constantFrom(...LEX_BOUNDS),
    max: fc.constantFrom(...LEX_BOUNDS),
  }),
);

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** Run ops against the engine and the model; compare replies, contents, ranks and invariants. */
function runModel(ops: Op[], entries: number, value: number): void {
  const { run, c } = setup({ 'zset-max-listpack-entries': String(entries), 'zset-max-listpack-value': String(value) });
  const model = new Map<string, number>();
  let enc: 'listpack' | 'skiplist' | null = null;
  const addMember = (m: string, s: number) => {
    if (enc === null) enc = entries === 0 || m.length > value ? 'skiplist' : 'listpack';
    else if (enc === 'listpack' && (model.size + 1 > entries || m.length > value)) enc = 'skiplist';
    model.set(m, s);
  };
  for (const op of ops) {
    let reply: Reply;
    let expected: unknown;
    if (op.kind === 'zadd') {
      const nx = op.flags.includes('NX');
      const xx = op.flags.includes('XX');
      const gt = op.flags.includes('GT');
      const lt = op.flags.includes('LT');
      const ch = op.flags.includes('CH');
      let added = 0;
      let updated = 0;
      if (!(xx && model.size === 0)) {
        // The key's encoding is chosen from the first member, before any pair is applied.
        if (enc === null) enc = entries === 0 || op.pairs[0][1].length > value ? 'skiplist' : 'listpack';
        for (const [s, m] of op.pairs) {
          const score = Number(s.replace('inf', 'Infinity'));
          const cur = model.get(m);
          if (cur !== undefined) {
            if (nx || (lt && score >= cur) || (gt && score <= cur)) continue;
            if (score !== cur) {
              model.set(m, score);
              updated++;
            }
          } else if (!xx) {
            addMember(m, score);
            added++;
          }
        }
      }
      reply = run('ZADD', 'z', ...op.flags, ...op.pairs.flat());
      expected = ch ? added + updated : added;
    } else if (op.kind === 'zincrby') {
      const inc = Number(op.inc.replace('inf', 'Infinity'));
      const cur = model.get(op.member);
      reply = run('ZINCRBY', 'z', op.inc, op.member);
      if (cur === undefined) {
        addMember(op.member, inc);
        expected = formatDouble(inc);
      } else if (Number.isNaN(cur + inc)) {
        expected = { error: 'ERR resulting score is not a number (NaN)' };
      } else {
        model.set(op.member, cur + inc);
        expected = formatDouble(cur + inc);
      }
    } else if (op.kind === 'zrem') {
      let n = 0;
      for (const m of op.members) if (model.delete(m)) n++;
      reply = run('ZREM', 'z', ...op.members);
      expected = n;
    } else if (op.kind === 'zremrangebyscore') {
      const lo = parseBound(op.min);
      const hi = parseBound(op.max);
      let n = 0;
      for (const [m, s] of model) {
        if (inScore(s, lo, hi)) {
          model.delete(m);
          n++;
        }
      }
      reply = run('ZREMRANGEBYSCORE', 'z', op.min, op.max);
      expected = n;
    } else if (op.kind === 'zremrangebyrank') {
      const list = sorted(model);
      let { start, stop } = op;
      if (start < 0) start += list.length;
      if (stop < 0) stop += list.length;
      if (start < 0) start = 0;
      let n = 0;
      if (!(start > stop || start >= list.length)) {
        for (const [m] of list.slice(start, stop + 1)) model.delete(m);
        n = Math.min(stop, list.length - 1) - start + 1;
      }
      reply = run('ZREMRANGEBYRANK', 'z', String(op.start), String(op.stop));
      expected = n;
    } else {
      reply = run('ZREMRANGEBYLEX', 'z', op.min, op.max);
      const scores = new Set(model.values());
      if (scores.size <= 1) {
        const gone = lexRemoveModel(sorted(model), parseLex(op.min), parseLex(op.max));
        for (const [m] of gone) model.delete(m);
        expected = gone.length;
      } else {
        // Lex ranges are only defined when every score is equal (on a skip list the result even
        // depends on the node levels); take what was removed and check the structure stays sound.
        const left = new Set(plain(run('ZRANGE', 'z', '0', '-1')) as string[]);
        let n = 0;
        for (const m of [...model.keys()]) {
          if (!left.has(m)) {
            model.delete(m);
            n++;
          }
        }
        expected = n;
      }
    }
    expect(plain(reply)).toEqual(expected);
    if (model.size === 0) enc = null;

    const list = sorted(model);
    expect(plain(run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'))).toEqual(list.flatMap(([m, s]) => [m, formatDouble(s)]));
    expect(plain(run('ZCARD', 'z'))).toBe(list.length);
    const z = c.db.lookupRead('z') as ZSet | undefined;
    if (list.length === 0) {
      expect(z).toBeUndefined();
      continue;
    }
    expect(z?.encoding()).toBe(enc);
    checkZSet(z as ZSet, entries, value);
    list.forEach(([m], i) => {
      expect(plain(run('ZRANK', 'z', m))).toBe(i);
      expect(plain(run('ZREVRANK', 'z', m))).toBe(list.length - 1 - i);
    });
    for (const [lo, hi] of [
      ['-inf', '+inf'],
      ['(0.5', '2'],
      ['1', '(3'],
    ]) {
      const want = list.filter(([, s]) => inScore(s, parseBound(lo), parseBound(hi)));
      expect(plain(run('ZCOUNT', 'z', lo, hi))).toBe(want.length);
      expect(plain(run('ZRANGEBYSCORE', 'z', lo, hi))).toEqual(want.map(([m]) => m));
      expect(plain(run('ZREVRANGEBYSCORE', 'z', hi, lo, 'LIMIT', '1', '2'))).toEqual(
        want
          .reverse()
          .slice(1, 3)
          .map(([m]) => m),
      );
    }
  }
}

describe('sorted sets against a sorted-array model', () => {
  const ops = fc.array(opArb, { maxLength: 40 });
  it('listpack encoding (default thresholds)', () => {
    fc.assert(
      fc.property(ops, (o) => runModel(o, 128, 64)),
      { numRuns: 300 },
    );
  });
  it('conversions at small thresholds', () => {
    fc.assert(
      fc.property(ops, (o) => runModel(o, 3, 5)),
      { numRuns: 300 },
    );
  });
  it('skiplist from the start (zset-max-listpack-entries 0)', () => {
    fc.assert(
      fc.property(ops, (o) => runModel(o, 0, 64)),
      { numRuns: 300 },
    );
  });
});

describe('sorted set commands', () => {
  it('ZRANK visits O(log N) skip-list nodes on a 100k set', () => {
    const { run, c, engine } = setup();
    const argv = ['ZADD', 'big'];
    for (let i = 0; i < 100_000; i++) argv.push(String(i), `member:${i}`);
    expect(plain(engine.dispatch(c, argv) as Reply)).toBe(100_000);
    const z = c.db.lookupRead('big') as ZSet;
    expect(z.encoding()).toBe('skiplist');
    let visits = 0;
    (z.zsl as NonNullable<ZSet['zsl']>).trace = () => {
      visits++;
    };
    for (const i of [0, 1, 49_999, 77_777, 99_999]) {
      visits = 0;
      expect(plain(run('ZRANK', 'big', `member:${i}`))).toBe(i);
      expect(visits).toBeGreaterThan(0);
      expect(visits).toBeLessThan(200);
    }
    visits = 0;
    expect(plain(run('ZRANGE', 'big', '77777', '77778'))).toEqual(['member:77777', 'member:77778']);
    expect(visits).toBeLessThan(200);
  });

  it('ZADD INCR on a new member replies the score, a NaN increment changes nothing', () => {
    const { run, engine } = setup();
    expect(plain(run('ZADD', 'z', 'INCR', '2.5', 'm'))).toBe('2.5');
    expect(plain(run('ZADD', 'z', 'inf', 'm'))).toBe(0);
    const dirty = engine.dirty;
    expect(plain(run('ZINCRBY', 'z', '-inf', 'm'))).toEqual({ error: 'ERR resulting score is not a number (NaN)' });
    expect(engine.dirty).toBe(dirty);
    expect(plain(run('ZSCORE', 'z', 'm'))).toBe('inf');
  });

  it('ZADD parses every score before it changes anything, with few pairs or many', () => {
    for (const pairs of [1, 3, 64, 65, 200]) {
      const { run } = setup();
      const argv = ['ZADD', `z${pairs}`];
      for (let i = 0; i < pairs; i++) argv.push(i === pairs - 1 ? 'x1' : `${i}.5`, `m${i}`);
      expect(plain(run(...argv))).toEqual({ error: 'ERR value is not a valid float' });
      expect(plain(run('EXISTS', `z${pairs}`))).toBe(0);
      argv[argv.length - 2] = '-1e3';
      expect(plain(run(...argv))).toBe(pairs);
      expect(plain(run('ZSCORE', `z${pairs}`, `m${pairs - 1}`))).toBe('-1000');
      if (pairs > 1) expect(plain(run('ZSCORE', `z${pairs}`, `m${pairs - 2}`))).toBe(`${pairs - 2}.5`);
      // A short ZADD after a long one reads its own scores only.
      expect(plain(run('ZADD', `z${pairs}`, 'CH', '7', 'm0'))).toBe(1);
      expect(plain(run('ZSCORE', `z${pairs}`, 'm0'))).toBe('7');
    }
  });

  it('counts dirty and sends notifications as t_zset.c does', () => {
    const { run, engine } = setup();
    const events: string[] = [];
    engine.notifyHook = (cls, event, key) => {
      if (cls === 'z' || cls === 'g') events.push(`${cls}:${event}:${key}`);
    };
    run('ZADD', 'z', '1', 'a', '2', 'b');
    run('ZADD', 'z', '1', 'a');
    run('ZINCRBY', 'z', '1', 'a');
    run('ZREM', 'z', 'a', 'b');
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    run('ZPOPMIN', 'z', '2');
    run('ZREMRANGEBYSCORE', 'z', '-inf', '+inf');
    run('ZADD', 's', '1', 'x');
    run('ZUNIONSTORE', 'd', '1', 's');
    run('ZRANGESTORE', 'd', 'nokey', '0', '-1');
    expect(events).toEqual([
      'z:zadd:z',
      'z:zincr:z',
      'z:zrem:z',
      'g:del:z',
      'z:zadd:z',
      'z:zpopmin:z',
      'z:zremrangebyscore:z',
      'g:del:z',
      'z:zadd:s',
      'z:zunionstore:d',
      'g:del:d',
    ]);
    expect(engine.dirty).toBe(2 + 1 + 2 + 3 + 2 + 1 + 1 + 1 + 1);
  });

  it('replicates ZMPOP as ZPOPMIN/ZPOPMAX with the effective count', () => {
    const { run, engine } = setup();
    const propagated: string[][] = [];
    engine.on((e) => {
      if (e.type === 'propagate') propagated.push([...e.argv]);
    });
    run('ZADD', 'z', '1', 'a', '2', 'b');
    run('ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '10');
    expect(propagated).toEqual([
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZPOPMAX', 'z', '2'],
    ]);
  });

  it('serves a blocked BZPOPMIN when a ZADD arrives and replicates it as ZPOPMIN', () => {
    const { engine, run } = setup();
    const got: Reply[] = [];
    const waiter = engine.createClient({ deliver: (r) => got.push(r) });
    const propagated: string[][] = [];
    engine.on((e) => {
      if (e.type === 'propagate') propagated.push([...e.argv]);
    });
    expect(engine.dispatch(waiter, ['BZPOPMIN', 'z', 'other', '0'])).toBeUndefined();
    expect(got).toEqual([]);
    run('ZADD', 'other', '2', 'b', '1', 'a');
    expect(got.map(plain)).toEqual([['other', 'a', '1']]);
    expect(propagated).toEqual([
      ['ZADD', 'other', '2', 'b', '1', 'a'],
      ['ZPOPMIN', 'other'],
    ]);
    expect(engine.dispatch(waiter, ['BZMPOP', '0', '1', 'other', 'MAX', 'COUNT', '5'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'other' },
        {
          t: 'array',
          v: [
            {
              t: 'array',
              v: [
                { t: 'bulk', v: 'b' },
                { t: 'double', v: 2 },
              ],
            },
          ],
        },
      ],
    });
    expect(propagated[propagated.length - 1]).toEqual(['ZPOPMAX', 'other', '1']);
  });

  it('replies pairs for WITHSCORES and counted pops under RESP3', () => {
    const { run, c } = setup();
    c.resp = 3;
    run('ZADD', 'z', '1', 'a', '2', 'b');
    const r = run('ZRANGE', 'z', '0', '-1', 'WITHSCORES');
    expect(r).toEqual({
      t: 'array',
      v: [
        {
          t: 'array',
          v: [
            { t: 'bulk', v: 'a' },
            { t: 'double', v: 1 },
          ],
        },
        {
          t: 'array',
          v: [
            { t: 'bulk', v: 'b' },
            { t: 'double', v: 2 },
          ],
        },
      ],
    });
    expect(plain(run('ZPOPMIN', 'z', '1'))).toEqual([['a', '1']]);
    expect(plain(run('ZPOPMIN', 'z'))).toEqual(['b', '2']);
  });

  it('describes both encodings for the panels', () => {
    const { run, c } = setup({ 'zset-max-listpack-entries': '2' });
    run('ZADD', 'z', '1', 'a', '2', 'b');
    const z = c.db.lookupRead('z') as ZSet;
    expect(z.describe()).toEqual({
      encoding: 'listpack',
      entries: [
        { member: 'a', score: 1 },
        { member: 'b', score: 2 },
      ],
    });
    run('ZADD', 'z', '3', 'c');
    const snap = z.describe();
    expect(snap.encoding).toBe('skiplist');
    if (snap.encoding === 'skiplist') {
      expect(snap.skiplist.nodes.map((n) => n.member)).toEqual(['a', 'b', 'c']);
      expect(snap.dict.size).toBe(3);
    }
  });
});
