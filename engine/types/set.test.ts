import { describe, expect, it } from 'vitest';
import { RedisSet } from './set';

describe('RedisSet encodings', () => {
  it('starts as an intset for an integer first member, a hashtable otherwise', () => {
    expect(RedisSet.forFirstMember(1, '42').encoding()).toBe('intset');
    expect(RedisSet.forFirstMember(1, '042').encoding()).toBe('hashtable');
    expect(RedisSet.forFirstMember(1, 'x').encoding()).toBe('hashtable');
  });

  it('converts to a hashtable for a non-integer member, keeping every member', () => {
    const s = new RedisSet(1);
    for (const m of ['3', '1', '2']) s.add(m, 512);
    expect([...s.members()]).toEqual(['1', '2', '3']);
    expect(s.add('x', 512)).toBe(true);
    expect(s.encoding()).toBe('hashtable');
    expect([...s.members()].sort()).toEqual(['1', '2', '3', 'x']);
    expect(s.has('2')).toBe(true);
    expect(s.has('02')).toBe(false);
  });

  it('converts when the intset grows past the entry limit, and stays converted', () => {
    const s = new RedisSet(1);
    s.add('1', 2);
    s.add('2', 2);
    expect(s.encoding()).toBe('intset');
    s.add('3', 2);
    expect(s.encoding()).toBe('hashtable');
    s.remove('1');
    s.remove('2');
    expect(s.encoding()).toBe('hashtable');
    expect(s.size).toBe(1);
  });

  it('a failed intset add (already a member) neither converts nor counts', () => {
    const s = new RedisSet(1);
    s.add('1', 1);
    expect(s.add('1', 1)).toBe(false);
    expect(s.encoding()).toBe('intset');
  });

  it('only scans step by step when it is a hashtable', () => {
    const is = new RedisSet(1);
    is.add('1', 512);
    expect(is.scanStep(0, () => {})).toBeUndefined();
    const ht = RedisSet.forFirstMember(1, 'a');
    for (const m of ['a', 'b', 'c', 'd', 'e']) ht.add(m, 512);
    const seen: string[] = [];
    let cursor = 0;
    do cursor = ht.scanStep(cursor, (m) => seen.push(m)) as number;
    while (cursor !== 0);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('dups with the same encoding and describes itself', () => {
    const s = new RedisSet(1);
    s.add('7', 512);
    expect(s.dup().describe()).toEqual({
      encoding: 'intset',
      intset: { encoding: 'int16', length: 1, bytes: 10, values: ['7'] },
    });
    const h = RedisSet.forFirstMember(1, 'm');
    h.add('m', 512);
    const copy = h.dup();
    copy.add('n', 512);
    expect(h.size).toBe(1);
    expect(copy.encoding()).toBe('hashtable');
  });
});
