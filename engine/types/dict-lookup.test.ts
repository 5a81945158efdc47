import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dict } from './dict';

describe('Dict lookups', () => {
  it('agree with a Map through any sequence of sets, adds, deletes, clears and lookups', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'key:1', 'key:2', '');
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), key, fc.integer()),
      fc.tuple(fc.constant('add' as const), key, fc.integer()),
      fc.tuple(fc.constant('delete' as const), key, fc.constant(0)),
      fc.tuple(fc.constant('get' as const), key, fc.constant(0)),
      fc.tuple(fc.constant('clear' as const), key, fc.constant(0)),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const d = new Dict<number>(7);
        const m = new Map<string, number>();
        for (const [kind, k, v] of ops) {
          // Lookups go through fresh string objects, as keys parsed from requests do.
          const probe = [...k].join('');
          if (kind === 'set') {
            d.set(k, v);
            m.set(k, v);
          } else if (kind === 'add') {
            if (m.has(k)) continue; // add is for absent keys only
            d.add(k, v);
            m.set(k, v);
          } else if (kind === 'delete') {
            expect(d.delete(probe)?.val).toBe(m.get(k));
            m.delete(k);
          } else if (kind === 'clear') {
            d.clear();
            m.clear();
          }
          expect(d.getEntry(probe)?.val).toBe(m.get(k));
          expect(d.getEntry(probe)?.val).toBe(m.get(k));
          expect(d.size).toBe(m.size);
        }
      }),
    );
  });

  it('finds the same entry object every time while the key is present', () => {
    const d = new Dict<string>(1);
    const e = d.set('k', 'v');
    expect(d.getEntry('k')).toBe(e);
    for (let i = 0; i < 100; i++) d.set(`other:${i}`, 'x'); // resizes the table
    expect(d.getEntry('k')).toBe(e);
    d.delete('k');
    expect(d.getEntry('k')).toBeUndefined();
    const again = d.add('k', 'w');
    expect(d.getEntry('k')).toBe(again);
  });
});
