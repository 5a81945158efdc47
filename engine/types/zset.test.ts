import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import {
  listpackScoreString,
  ZADD_GT,
  ZADD_OUT_ADDED,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZSet,
  type ZSetEnv,
} from './zset';
import { checkZSet } from './zset-invariants';

const env = (entries = 128, value = 64): ZSetEnv => ({
  random: createRandom(1),
  hashSeed: 42,
  config: { getInt: (name: string) => (name === 'zset-max-listpack-entries' ? entries : value) },
});

describe('ZSet', () => {
  it('stays a listpack up to the entry limit, then converts for good', () => {
    const z = new ZSet(env(3));
    for (const [s, m] of [
      [3, 'c'],
      [1, 'a'],
      [2, 'b'],
    ] as const) {
      expect(z.add(s, m, 0)).toBe(ZADD_OUT_ADDED);
    }
    expect(z.encoding()).toBe('listpack');
    z.add(4, 'd', 0);
    expect(z.encoding()).toBe('skiplist');
    z.delete('d');
    z.delete('c');
    expect(z.encoding()).toBe('skiplist');
    checkZSet(z, 3, 64);
  });

  it('converts when a member is longer than zset-max-listpack-value', () => {
    const z = new ZSet(env(128, 4));
    z.add(1, 'abcd', 0);
    expect(z.encoding()).toBe('listpack');
    z.add(1, 'abcde', 0);
    expect(z.encoding()).toBe('skiplist');
    expect(ZSet.forNewKey(env(128, 4), 5).encoding()).toBe('skiplist');
    expect(ZSet.forNewKey(env(0, 64), 1).encoding()).toBe('skiplist');
    expect(ZSet.forNewKey(env(1, 64), 1).encoding()).toBe('listpack');
  });

  it('stores -0 as 0 in a listpack but keeps it in a skip list', () => {
    const lp = new ZSet(env());
    lp.add(-0, 'a', 0);
    expect(Object.is(lp.score('a'), 0)).toBe(true);
    const sl = new ZSet(env(), true);
    sl.add(-0, 'a', 0);
    expect(Object.is(sl.score('a'), -0)).toBe(true);
  });

  it('prints listpack scores as the listpack stores them (integers when integral)', () => {
    expect(listpackScoreString(1e18)).toBe('1000000000000000000');
    expect(listpackScoreString(5e18)).toBe('5e+18');
    expect(listpackScoreString(0.1)).toBe('0.10000000000000001');
    expect(listpackScoreString(-Infinity)).toBe('-inf');
    expect(listpackScoreString(-3)).toBe('-3');
  });

  it('applies GT without touching equal or lower scores', () => {
    for (const skiplist of [false, true]) {
      const z = new ZSet(env(), skiplist);
      z.add(5, 'a', 0);
      expect(z.add(5, 'a', ZADD_GT)).toBe(ZADD_OUT_NOP);
      expect(z.add(4, 'a', ZADD_GT)).toBe(ZADD_OUT_NOP);
      expect(z.add(6, 'a', ZADD_GT)).toBe(ZADD_OUT_UPDATED);
      expect(z.score('a')).toBe(6);
    }
  });

  it('shrinks a small skiplist result back to a listpack on request', () => {
    const z = new ZSet(env(2), true);
    z.insertNew('a', 1);
    z.insertNew('b', -0);
    z.convertToListpackIfNeeded(1);
    expect(z.encoding()).toBe('listpack');
    expect(z.describe()).toEqual({
      encoding: 'listpack',
      entries: [
        { member: 'b', score: 0 },
        { member: 'a', score: 1 },
      ],
    });
    const big = new ZSet(env(1), true);
    big.insertNew('a', 1);
    big.insertNew('b', 2);
    big.convertToListpackIfNeeded(1);
    expect(big.encoding()).toBe('skiplist');
  });

  it('duplicates with the same encoding and independent contents', () => {
    for (const skiplist of [false, true]) {
      const z = new ZSet(env(), skiplist);
      z.add(1, 'a', 0);
      z.add(2, 'b', 0);
      const copy = z.dup();
      expect(copy.encoding()).toBe(z.encoding());
      copy.add(3, 'a', 0);
      expect(z.score('a')).toBe(1);
      checkZSet(copy, 128, 64);
    }
  });

  it('keeps dict and skip list agreeing through relayouts, score changes and deletes of a big set', () => {
    const z = new ZSet(env(), true);
    const model = new Map<string, number>();
    const random = createRandom(3);
    for (let i = 0; i < 20000; i++) {
      const m = `member:${random.int(15000)}${i % 3 === 0 ? ':with a name longer than fifteen bytes' : ''}`;
      const r = random.int(10);
      if (r === 0 && model.has(m)) {
        expect(z.delete(m)).toBe(true);
        model.delete(m);
      } else {
        // New members, and score changes that move nodes (the skip list keeps the member's id).
        z.add(random.int(5000) / 4, m, 0);
        model.set(m, z.newScore);
      }
    }
    checkZSet(z, 128, 64);
    const list = [...model].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    list.forEach(([m, sc], i) => {
      expect(z.score(m)).toBe(sc);
      if (i % 7 === 0) expect(z.rank(m, false)).toBe(i);
    });
    expect(z.rank('absent', false)).toBe(-1);
  });

  it('picks distinct random members from a listpack in listpack order', () => {
    const z = new ZSet(env());
    for (let i = 0; i < 20; i++) z.add(i, `m${String(i).padStart(2, '0')}`, 0);
    const got: string[] = [];
    z.randomUniqueListpack(7, (m) => got.push(m));
    expect(got.length).toBe(7);
    expect(new Set(got).size).toBe(7);
    expect([...got].sort()).toEqual(got);
  });
});
