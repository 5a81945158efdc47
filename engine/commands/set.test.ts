import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 7, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  const notified = () =>
    events.flatMap((e) =>
      e.type === 'notify' && e.cls !== 'n' && e.cls !== 'm' ? [`${e.cls}:${e.event}:${e.key}`] : [],
    );
  const strings = (r: Reply): string[] => {
    if ((r.t !== 'array' && r.t !== 'set') || r.v === null) throw new Error(`not a list: ${JSON.stringify(r)}`);
    return r.v.map((x) => (x.t === 'bulk' ? (x.v as string) : JSON.stringify(x)));
  };
  const members = (k: string) => strings(run('SMEMBERS', k)).sort();
  return { engine, c, run, events, propagated, notified, strings, members };
}

function numbers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i + 1));
}

describe('SPOP', () => {
  it('propagates a single pop as SREM', () => {
    const { run, propagated, strings } = setup();
    run('SADD', 's', 'a', 'b');
    const popped = strings({ t: 'array', v: [run('SPOP', 's')] })[0];
    expect(propagated()).toEqual(['SADD s a b', `SREM s ${popped}`]);
  });

  it('propagates a counted pop as SREMs wrapped in MULTI/EXEC, for both strategies', () => {
    for (const count of ['2', '9']) {
      const { run, propagated, strings, members } = setup();
      run('SADD', 's', ...numbers(10));
      const popped = strings(run('SPOP', 's', count));
      expect(popped).toHaveLength(Number(count));
      const left = members('s');
      expect(left).toHaveLength(10 - Number(count));
      for (const m of popped) expect(left).not.toContain(m);
      expect(propagated()).toEqual([
        `SADD s ${numbers(10).join(' ')}`,
        'MULTI',
        ...popped.map((m) => `SREM s ${m}`),
        'EXEC',
      ]);
    }
  });

  it('pops the whole set as a sorted intset union, deletes the key and propagates DEL', () => {
    const { run, propagated, notified, strings, engine } = setup();
    run('SADD', 's', '3', '1', '2');
    expect(strings(run('SPOP', 's', '10'))).toEqual(['1', '2', '3']);
    expect(run('EXISTS', 's')).toEqual({ t: 'int', v: 0 });
    expect(propagated().slice(1)).toEqual(['DEL s']);
    expect(notified()).toEqual(['s:sadd:s', 's:spop:s', 'g:del:s']);
    expect(engine.dirty).toBe(6);
  });

  it('keeps the TTL when popping most of the set into a new set (CASE 3)', () => {
    const { run, c } = setup();
    run('SADD', 's', ...numbers(10));
    run('EXPIRE', 's', '100');
    run('SPOP', 's', '9');
    expect(run('SCARD', 's')).toEqual({ t: 'int', v: 1 });
    expect(c.db.getExpire('s')).toBeDefined();
  });

  it('answers a RESP3 empty set for a missing key with a count', () => {
    const { run } = setup();
    expect(run('SPOP', 'nokey', '3')).toEqual({ t: 'set', v: [] });
    expect(run('SMEMBERS', 'nokey')).toEqual({ t: 'set', v: [] });
    expect(run('SRANDMEMBER', 'nokey', '3')).toEqual({ t: 'array', v: [] });
  });
});

describe('SRANDMEMBER', () => {
  it('returns distinct members for every strategy and both encodings', () => {
    for (const first of ['0', 'x']) {
      const { run, strings } = setup();
      run('SADD', 's', first, ...numbers(30));
      const size = 31;
      for (const count of [2, 5, 10, 11, 20, 30]) {
        const got = strings(run('SRANDMEMBER', 's', String(count)));
        expect(got).toHaveLength(count);
        expect(new Set(got).size).toBe(count);
      }
      expect(strings(run('SRANDMEMBER', 's', '-50'))).toHaveLength(50);
      expect(run('SCARD', 's')).toEqual({ t: 'int', v: size });
    }
  });
});

describe('set writes', () => {
  it('SMOVE notifies srem on the source, sadd on the destination, and counts two changes', () => {
    const { run, notified, engine } = setup();
    run('SADD', 'a', '1', '2');
    engine.dirty = 0;
    run('SMOVE', 'a', 'b', '1');
    expect(engine.dirty).toBe(2);
    run('SMOVE', 'a', 'b', '2');
    expect(notified()).toEqual(['s:sadd:a', 's:srem:a', 's:sadd:b', 's:srem:a', 'g:del:a', 's:sadd:b']);
  });

  it('SMOVE of a member already in the destination still removes it from the source', () => {
    const { run, engine, members } = setup();
    run('SADD', 'a', '1', '2');
    run('SADD', 'b', '1');
    engine.dirty = 0;
    expect(run('SMOVE', 'a', 'b', '1')).toEqual({ t: 'int', v: 1 });
    expect(engine.dirty).toBe(1);
    expect(members('a')).toEqual(['2']);
  });

  it('stores notify their own event, and an empty result deletes the destination', () => {
    const { run, notified } = setup();
    run('SADD', 'a', '1', '2');
    run('SADD', 'b', '2', '3');
    run('SINTERSTORE', 'i', 'a', 'b');
    run('SUNIONSTORE', 'u', 'a', 'b');
    run('SDIFFSTORE', 'd', 'a', 'b');
    run('SINTERSTORE', 'd', 'a', 'missing');
    run('SDIFFSTORE', 'u', 'a', 'a');
    expect(notified().slice(2)).toEqual(['s:sinterstore:i', 's:sunionstore:u', 's:sdiffstore:d', 'g:del:d', 'g:del:u']);
  });

  it('a store removes the TTL of the destination', () => {
    const { run, c } = setup();
    run('SADD', 'a', '1');
    run('SET', 'dst', 'x', 'EX', '100');
    run('SUNIONSTORE', 'dst', 'a');
    expect(c.db.getExpire('dst')).toBeUndefined();
    expect(run('TYPE', 'dst')).toEqual({ t: 'status', v: 'set' });
  });

  it('SINTER and SDIFF agree with a naive model on random sets', () => {
    const { run, strings } = setup();
    const model: Set<string>[] = [];
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 4; k++) {
      const s = new Set<string>();
      const n = 5 + rnd(40);
      for (let i = 0; i < n; i++) s.add(rnd(3) === 0 ? `m${rnd(50)}` : String(rnd(50)));
      model.push(s);
      run('SADD', `k${k}`, ...s);
    }
    const inter = [...model[0]].filter((m) => model.every((s) => s.has(m))).sort();
    const diff = [...model[0]].filter((m) => !model.slice(1).some((s) => s.has(m))).sort();
    const union = [...new Set(model.flatMap((s) => [...s]))].sort();
    expect(strings(run('SINTER', 'k0', 'k1', 'k2', 'k3')).sort()).toEqual(inter);
    expect(strings(run('SDIFF', 'k0', 'k1', 'k2', 'k3')).sort()).toEqual(diff);
    expect(strings(run('SUNION', 'k0', 'k1', 'k2', 'k3')).sort()).toEqual(union);
    expect(run('SINTERCARD', '4', 'k0', 'k1', 'k2', 'k3')).toEqual({ t: 'int', v: inter.length });
  });

  it('SSCAN walks a hashtable set and visits every member', () => {
    const { run, strings } = setup();
    run('SADD', 's', 'x', ...numbers(200));
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const r = run('SSCAN', 's', cursor);
      if (r.t !== 'array' || r.v === null) throw new Error('bad reply');
      cursor = (r.v[0] as { v: string }).v;
      for (const m of strings(r.v[1])) seen.add(m);
    } while (cursor !== '0');
    expect(seen.size).toBe(201);
  });
});
