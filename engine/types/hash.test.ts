import { describe, expect, it } from 'vitest';
import { RedisHash } from './hash';

const LIMITS = { maxEntries: 3, maxValue: 5 };

describe('RedisHash encodings', () => {
  it('keeps listpack insertion order, updates in place', () => {
    const h = new RedisHash(1);
    expect(h.set('b', '1', LIMITS)).toBe(false);
    expect(h.set('a', '2', LIMITS)).toBe(false);
    expect(h.set('b', '3', LIMITS)).toBe(true);
    expect([...h.entries()]).toEqual([
      ['b', '3'],
      ['a', '2'],
    ]);
    expect(h.pairAt(1)).toEqual(['a', '2']);
  });

  it('converts past the entry limit or for a long field or value', () => {
    const h = new RedisHash(1);
    for (const f of ['a', 'b', 'c']) h.set(f, 'v', LIMITS);
    expect(h.encoding()).toBe('listpack');
    h.set('d', 'v', LIMITS);
    expect(h.encoding()).toBe('hashtable');
    expect(h.get('a')).toBe('v');
    const long = new RedisHash(1);
    long.set('f', '123456', LIMITS);
    expect(long.encoding()).toBe('hashtable');
    const pre = new RedisHash(1);
    pre.tryConversion(['HSET', 'k', 'f', 'toolong'], 2, 3, LIMITS.maxValue);
    expect(pre.encoding()).toBe('hashtable');
  });

  it('deletes from either encoding and dups independently', () => {
    const h = new RedisHash(1);
    h.set('a', '1', LIMITS);
    h.set('b', '2', LIMITS);
    const copy = h.dup();
    expect(h.delete('a')).toBe(true);
    expect(h.delete('a')).toBe(false);
    expect(copy.get('a')).toBe('1');
    copy.convertToHashtable();
    expect(copy.delete('b')).toBe(true);
    expect(copy.size).toBe(1);
    expect(copy.describe()).toMatchObject({ encoding: 'hashtable', size: 1, entries: [['a', '1']] });
  });
});
