import { describe, expect, it } from 'vitest';
import { Intset, valueEncoding } from './intset';

describe('Intset', () => {
  it('keeps members sorted and distinct whatever the insertion order', () => {
    const is = new Intset();
    for (const v of [5, -3, 12, 0, 5, -3, 7]) is.add(v);
    expect([...is.values()]).toEqual([-3, 0, 5, 7, 12]);
    expect(is.add(7)).toBe(false);
    expect(is.length).toBe(5);
  });

  it('picks the narrowest width for each value', () => {
    expect(valueEncoding(32767)).toBe(2);
    expect(valueEncoding(-32768)).toBe(2);
    expect(valueEncoding(32768)).toBe(4);
    expect(valueEncoding(-2147483648)).toBe(4);
    expect(valueEncoding(2147483648)).toBe(8);
    expect(valueEncoding(9223372036854775807n)).toBe(8);
  });

  it('upgrades the whole set to a wider encoding and never downgrades', () => {
    const is = new Intset();
    is.add(1);
    is.add(2);
    expect(is.encoding).toBe(2);
    is.add(-100000);
    expect(is.encoding).toBe(4);
    expect([...is.values()]).toEqual([-100000, 1, 2]);
    is.add(9223372036854775807n);
    expect(is.encoding).toBe(8);
    expect([...is.values()]).toEqual([-100000, 1, 2, 9223372036854775807n]);
    expect(is.remove(9223372036854775807n)).toBe(true);
    expect(is.remove(-100000)).toBe(true);
    expect(is.encoding).toBe(8);
    expect(is.bytes()).toBe(8 + 2 * 8);
  });

  it('finds members by binary search, and never finds values wider than its encoding', () => {
    const is = new Intset();
    for (let i = 0; i < 100; i += 3) is.add(i);
    expect(is.has(33)).toBe(true);
    expect(is.has(34)).toBe(false);
    expect(is.has(-1)).toBe(false);
    expect(is.has(1000)).toBe(false);
    expect(is.has(70000)).toBe(false);
    expect(is.remove(70000)).toBe(false);
    expect(is.remove(34)).toBe(false);
    expect(is.remove(99)).toBe(true);
    expect(is.get(is.length - 1)).toBe(96);
  });

  it('mixes safe numbers and bigints in one ordering', () => {
    const is = new Intset();
    is.add(-9223372036854775808n);
    is.add(9007199254740991);
    is.add(9007199254740992n);
    is.add(0);
    expect([...is.values()].map(String)).toEqual(['-9223372036854775808', '0', '9007199254740991', '9007199254740992']);
    expect(is.has(9007199254740992n)).toBe(true);
  });

  it('clones independently and describes itself for the panels', () => {
    const is = new Intset();
    is.add(40000);
    is.add(1);
    const copy = is.clone();
    copy.add(2);
    expect(is.length).toBe(2);
    expect(copy.describe()).toEqual({ encoding: 'int32', length: 3, bytes: 8 + 3 * 4, values: ['1', '2', '40000'] });
  });

  it('picks random members with the given generator', () => {
    const is = new Intset();
    for (const v of [10, 20, 30]) is.add(v);
    expect(is.random(() => 2)).toBe(30);
    expect(is.random(() => 0)).toBe(10);
  });
});
