import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { listpackBytes } from './listpack';
import { Quicklist } from './quicklist';

const setup = (config: Record<string, string> = {}) => {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const run = (...argv: string[]): Reply => engine.dispatch(c, argv) as Reply;
  const list = (k: string) => c.db.dict.get(k) as Quicklist;
  return { run, list };
};

/** What redis-server 7.0.15's DEBUG OBJECT prints for a quicklist: ql_nodes and ql_uncompressed_size. */
const layout = (q: Quicklist) => {
  let bytes = 0;
  for (let n = q.head; n !== null; n = n.next) bytes += n.sz;
  return { nodes: q.len, bytes };
};

/** Every node's sz is its real listpack size, the links and counts are consistent. */
function checkInvariants(q: Quicklist): void {
  let count = 0;
  let len = 0;
  let prev = null;
  for (let n = q.head; n !== null; n = n.next) {
    expect(n.prev).toBe(prev);
    expect(n.count).toBeGreaterThan(0);
    expect(n.sz).toBe(listpackBytes(n.entries));
    count += n.count;
    len++;
    prev = n;
  }
  expect(q.tail).toBe(prev);
  expect(q.count).toBe(count);
  expect(q.len).toBe(len);
}

const pad = (prefix: string, width: number) => prefix + '0'.repeat(width - prefix.length);
const seq = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

// Expected layouts below were read from redis-server 7.0.15 (DEBUG OBJECT) after the same commands.
describe('quicklist node fill', () => {
  it('fills count-limited nodes to list-max-listpack-size entries', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '3');
    run('RPUSH', 'l', ...seq(10, String));
    expect(
      list('l')
        .describe()
        .nodes.map((n) => n.count),
    ).toEqual([3, 3, 3, 1]);
    expect(layout(list('l'))).toEqual({ nodes: 4, bytes: 48 });
  });

  it('fills byte-limited nodes up to 8 KiB at the default -2', () => {
    const { run, list } = setup();
    run('RPUSH', 'l', ...seq(1000, (i) => `v${String(i % 1000).padStart(3, '0')}${'0'.repeat(96)}`));
    expect(layout(list('l'))).toEqual({ nodes: 13, bytes: 103091 });
    checkInvariants(list('l'));
  });

  it('fills byte-limited nodes up to 4 KiB at -1', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '-1');
    run('RPUSH', 'l', ...seq(200, (i) => `e${String(i).padStart(5, '0')}-${'0'.repeat(50)}`));
    expect(layout(list('l'))).toEqual({ nodes: 3, bytes: 11821 });
  });

  it('stops count-limited nodes at the 8 KiB safety limit', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '1000');
    run('RPUSH', 'l', ...seq(300, (i) => `c${String(i).padStart(4, '0')}-${'0'.repeat(94)}`));
    expect(layout(list('l'))).toEqual({ nodes: 4, bytes: 30928 });
  });

  it('clamps the fill to [-5, 32767] and the depth to [0, 65535]', () => {
    expect(new Quicklist(-9, -1).fill).toBe(-5);
    expect(new Quicklist(100000, 70000)).toMatchObject({ fill: 32767, compress: 65535 });
  });
});

describe('quicklist inserts split and merge nodes as quicklist.c does', () => {
  it('splits a full count-limited node around the pivot', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '3');
    run('RPUSH', 'l', ...seq(10, String));
    run('LINSERT', 'l', 'AFTER', '2', 'A');
    expect(
      list('l')
        .describe()
        .nodes.map((n) => n.entries),
    ).toEqual([['1', '2'], ['A', '3'], ['4', '5', '6'], ['7', '8', '9'], ['10']]);
    expect(layout(list('l'))).toEqual({ nodes: 5, bytes: 58 });
    run('LINSERT', 'l', 'BEFORE', '5', 'B');
    expect(layout(list('l'))).toEqual({ nodes: 6, bytes: 68 });
    run('LINSERT', 'l', 'AFTER', '6', 'C');
    run('LINSERT', 'l', 'BEFORE', '7', 'D');
    expect(layout(list('l'))).toEqual({ nodes: 7, bytes: 81 });
    checkInvariants(list('l'));
  });

  it('uses the neighbour node at a node edge before creating one', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '2');
    run('RPUSH', 'l', ...seq(8, String));
    run('LREM', 'l', '0', '3');
    run('LREM', 'l', '0', '6');
    expect(layout(list('l'))).toEqual({ nodes: 4, bytes: 40 });
    run('LINSERT', 'l', 'AFTER', '1', 'X');
    expect(layout(list('l'))).toEqual({ nodes: 5, bytes: 50 });
    run('LINSERT', 'l', 'BEFORE', '8', 'Y');
    expect(layout(list('l'))).toEqual({ nodes: 6, bytes: 60 });
    run('LINSERT', 'l', 'BEFORE', '4', 'W');
    expect(layout(list('l'))).toEqual({ nodes: 6, bytes: 63 });
    expect(list('l').toArray()).toEqual(['1', 'X', '2', 'W', '4', '5', '7', 'Y', '8']);
    checkInvariants(list('l'));
  });

  it('merges neighbours after splitting a full byte-limited node', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '-1');
    const big = (i: number) => pad(`s${String(i).padStart(2, '0')}`, 1000);
    run('RPUSH', 's', ...seq(12, big));
    expect(layout(list('s'))).toEqual({ nodes: 3, bytes: 12069 });
    run('LINSERT', 's', 'AFTER', big(6), pad('7', 500).split('').reverse().join(''));
    expect(layout(list('s'))).toEqual({ nodes: 4, bytes: 12580 });
    for (const i of [5, 4, 8]) run('LREM', 's', '0', big(i));
    expect(layout(list('s'))).toEqual({ nodes: 4, bytes: 9568 });
    run('LINSERT', 's', 'BEFORE', big(9), '0'.repeat(299) + '9');
    expect(layout(list('s'))).toEqual({ nodes: 4, bytes: 9872 });
    run('LINSERT', 's', 'BEFORE', big(3), '0'.repeat(199) + '3');
    expect(layout(list('s'))).toEqual({ nodes: 4, bytes: 10076 });
    checkInvariants(list('s'));
  });

  it('tracks sizes through LREM, LINSERT, LPUSH, LTRIM, LSET and pops', () => {
    const { run, list } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '5');
    run('RPUSH', 'm', ...seq(15, String));
    for (const v of ['7', '8', '12', '13']) run('LREM', 'm', '0', v);
    expect(layout(list('m'))).toEqual({ nodes: 3, bytes: 43 });
    run('LINSERT', 'm', 'AFTER', '3', 'Z');
    expect(layout(list('m'))).toEqual({ nodes: 4, bytes: 53 });
    run('LPUSH', 'm', 'a', 'b', 'c', 'd', 'e', 'f');
    expect(layout(list('m'))).toEqual({ nodes: 5, bytes: 78 });
    run('LTRIM', 'm', '2', '-3');
    expect(layout(list('m'))).toEqual({ nodes: 5, bytes: 68 });
    run('LSET', 'm', '0', 'x'.repeat(200));
    expect(layout(list('m'))).toEqual({ nodes: 5, bytes: 269 });
    run('LPOP', 'm', '3');
    run('RPOP', 'm', '2');
    expect(layout(list('m'))).toEqual({ nodes: 3, bytes: 41 });
    expect(list('m').toArray()).toEqual(['a', '1', '2', '3', 'Z', '4', '5', '6', '9']);
    checkInvariants(list('m'));
  });
});

describe('quicklist operations against an array model', () => {
  type Op =
    | { op: 'push'; head: boolean; v: string }
    | { op: 'pop'; head: boolean }
    | { op: 'insert'; at: number; after: boolean; v: string }
    | { op: 'delRange'; start: number; count: number }
    | { op: 'remove'; v: string; limit: number; fromTail: boolean }
    | { op: 'replace'; at: number; v: string };
  const value = fc.oneof(
    fc.constantFrom('a', 'b', '1', '-7', '300000'),
    fc.string({ maxLength: 90 }),
    fc.integer({ min: 1, max: 5000 }).map((n) => 'z'.repeat(n)),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('push' as const), head: fc.boolean(), v: value }),
    fc.record({ op: fc.constant('pop' as const), head: fc.boolean() }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), after: fc.boolean(), v: value }),
    fc.record({ op: fc.constant('delRange' as const), start: fc.integer({ min: -30, max: 30 }), count: fc.nat(12) }),
    fc.record({ op: fc.constant('remove' as const), v: value, limit: fc.nat(3), fromTail: fc.boolean() }),
    fc.record({ op: fc.constant('replace' as const), at: fc.integer({ min: -40, max: 40 }), v: value }),
  );

  it('keeps the same elements as a plain array for every fill', () => {
    fc.assert(
      fc.property(fc.constantFrom(-5, -2, -1, 1, 2, 4, 128), fc.array(op, { maxLength: 120 }), (fill, ops) => {
        const q = new Quicklist(fill);
        const model: string[] = [];
        for (const o of ops) {
          if (o.op === 'push') {
            q.push(o.v, o.head);
            if (o.head) model.unshift(o.v);
            else model.push(o.v);
          } else if (o.op === 'pop') {
            expect(q.pop(o.head)).toBe(o.head ? model.shift() : model.pop());
          } else if (o.op === 'insert') {
            if (model.length === 0) continue;
            const at = q.locate(o.at % model.length);
            if (at === null) throw new Error('locate failed');
            q.insertAt(at.node, at.offset, o.v, o.after);
            model.splice((o.at % model.length) + (o.after ? 1 : 0), 0, o.v);
          } else if (o.op === 'delRange') {
            const n = model.length;
            const s = o.start < 0 ? n + o.start : o.start;
            q.delRange(o.start, o.count);
            if (s >= 0 && s < n && o.count > 0) model.splice(s, o.count);
          } else if (o.op === 'remove') {
            let left = o.limit === 0 ? Number.POSITIVE_INFINITY : o.limit;
            const idx = model.map((_, i) => i).filter((i) => model[i] === o.v);
            const gone = new Set((o.fromTail ? idx.reverse() : idx).filter(() => left-- > 0));
            expect(q.removeMatches(o.v, o.limit, o.fromTail)).toBe(gone.size);
            const kept = model.filter((_, i) => !gone.has(i));
            model.length = 0;
            model.push(...kept);
          } else {
            const i = o.at < 0 ? model.length + o.at : o.at;
            const ok = i >= 0 && i < model.length;
            expect(q.replaceAt(o.at, o.v)).toBe(ok);
            if (ok) model[i] = o.v;
          }
          if (q.count > 0) checkInvariants(q);
        }
        expect(q.toArray()).toEqual(model);
        expect(q.count).toBe(model.length);
        if (model.length > 0) {
          expect(q.range(0, model.length - 1, true)).toEqual([...model].reverse());
          expect(q.index(-1)).toBe(model[model.length - 1]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('duplicates with the same node layout', () => {
    const q = new Quicklist(3);
    for (const v of seq(10, String)) q.pushTail(v);
    const d = q.dup();
    expect(d.describe()).toEqual(q.describe());
    d.pushTail('x');
    expect(q.count).toBe(10);
  });
});

describe('DEBUG OBJECT', () => {
  it('prints the quicklist fields as redis-server 7.0.15 does', () => {
    const { run } = setup({ 'enable-debug-command': 'yes' });
    run('CONFIG', 'SET', 'list-max-listpack-size', '3');
    run('RPUSH', 'l', ...seq(10, String));
    const line = (r: Reply) => (r.t === 'status' ? r.v.slice(r.v.indexOf(' ql_')) : r);
    expect(line(run('DEBUG', 'OBJECT', 'l'))).toBe(
      ' ql_nodes:4 ql_avg_node:2.50 ql_listpack_max:3 ql_compressed:0 ql_uncompressed_size:48',
    );
    // 17 elements in 8 nodes: 2.125 prints as 2.12 (printf rounds the tie to even).
    run('CONFIG', 'SET', 'list-compress-depth', '2');
    run('RPUSH', 't8', ...seq(24, String));
    for (const v of ['1', '4', '7', '10', '13', '16', '19']) run('LREM', 't8', '0', v);
    expect(line(run('DEBUG', 'OBJECT', 't8'))).toBe(
      ' ql_nodes:8 ql_avg_node:2.12 ql_listpack_max:3 ql_compressed:1 ql_uncompressed_size:90',
    );
  });
});
