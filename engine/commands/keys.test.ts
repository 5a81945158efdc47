import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { parseScanCursor } from './keys';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  // Generic ('g') and expired ('x') events only: new-key and keymiss events come from the lookup layer.
  const notified = () =>
    events.flatMap((e) =>
      e.type === 'notify' && (e.cls === 'g' || e.cls === 'x') ? [`${e.cls}:${e.event}:${e.key}@${e.db}`] : [],
    );
  return { engine, c, clock, events, run, propagated, notified };
}

const OK = { t: 'status', v: 'OK' };
const NIL = { t: 'bulk', v: null };
const int = (v: number) => ({ t: 'int', v });
const bulk = (v: string) => ({ t: 'bulk', v });

/** One SCAN call: the next cursor and the keys. */
function scan(run: (...a: string[]) => Reply, cursor: string, ...opts: string[]): [string, string[]] {
  const r = run('SCAN', cursor, ...opts);
  if (r.t !== 'array' || r.v === null) throw new Error(JSON.stringify(r));
  const [cur, keys] = r.v;
  if (cur.t !== 'bulk' || keys.t !== 'array' || keys.v === null) throw new Error(JSON.stringify(r));
  return [cur.v as string, keys.v.map((k) => (k as { v: string }).v)];
}

describe('SCAN guarantees', () => {
  it('returns every key present for the whole iteration, across adds, deletes and resizes', () => {
    let totalResizes = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.record({ add: fc.integer({ min: 0, max: 700 }), delPct: fc.integer({ min: 0, max: 100 }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 12 }),
        (anchors, steps, count) => {
          const engine = createEngine({ clock: new ManualClock(), seed: anchors });
          const c = engine.createClient();
          const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
          // Anchors stay for the whole iteration; the other keys come and go between SCAN calls.
          for (let i = 0; i < anchors; i++) run('SET', `anchor${i}`, 'v');
          const churn: string[] = [];
          let next = 0;
          const seen = new Set<string>();
          let cursor = '0';
          let calls = 0;
          let resizes = 0;
          let buckets = c.db.dict.buckets;
          do {
            const [cur, keys] = scan(run, cursor, 'COUNT', String(count));
            for (const k of keys) seen.add(k);
            cursor = cur;
            const step = steps[calls++ % steps.length];
            for (let a = 0; a < step.add && churn.length < 2000; a++) {
              const k = `churn${next++}`;
              run('SET', k, 'v');
              churn.push(k);
            }
            const del = Math.floor((churn.length * step.delPct) / 100);
            for (const k of churn.splice(churn.length - del, del)) run('DEL', k);
            if (c.db.dict.buckets !== buckets) {
              resizes++;
              buckets = c.db.dict.buckets;
            }
          } while (cursor !== '0' && calls < 100_000);
          expect(cursor).toBe('0');
          for (let i = 0; i < anchors; i++) expect(seen.has(`anchor${i}`)).toBe(true);
          totalResizes += resizes;
        },
      ),
      { numRuns: 50 },
    );
    // The runs really did grow and shrink the table mid-iteration.
    expect(totalResizes).toBeGreaterThan(30);
  }, 60_000);

  it('never returns expired keys and deletes them as it meets them', () => {
    const { run, clock, c } = setup();
    for (let i = 0; i < 100; i++) run('SET', `k${i}`, 'v', 'PX', i % 2 ? '10' : '100000');
    clock.advance(50);
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [cur, keys] = scan(run, cursor);
      seen.push(...keys);
      cursor = cur;
    } while (cursor !== '0');
    expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `k${i * 2}`).sort());
    expect(c.db.size).toBe(50);
  });

  it('parses cursors like strtoul', () => {
    expect(parseScanCursor('0')).toBe(0);
    expect(parseScanCursor('')).toBe(0);
    expect(parseScanCursor('00012')).toBe(12);
    expect(parseScanCursor('4294967297')).toBe(1);
    expect(parseScanCursor('-1')).toBe(0xffffffff);
    expect(parseScanCursor('+7')).toBe(7);
    for (const bad of ['x', ' 1', '1 ', '+', '-', '18446744073709551616', '1.0']) {
      expect(() => parseScanCursor(bad)).toThrow();
    }
  });
});

describe('expire commands', () => {
  it('propagate relative times as PEXPIREAT with the options kept', () => {
    const { run, clock, propagated } = setup();
    const now = clock.now();
    run('SET', 'k', 'v');
    run('EXPIRE', 'k', '100', 'gt');
    run('EXPIRE', 'k', '100');
    run('PEXPIRE', 'k', '5000', 'XX');
    run('EXPIREAT', 'k', String(Math.floor(now / 1000) + 60));
    run('pexpireat', 'k', String(now + 9000));
    expect(propagated()).toEqual([
      'SET k v',
      `PEXPIREAT k ${now + 100000}`,
      `PEXPIREAT k ${now + 5000} XX`,
      `PEXPIREAT k ${(Math.floor(now / 1000) + 60) * 1000}`,
      `pexpireat k ${now + 9000}`,
    ]);
  });

  it('delete on a past time, propagating DEL (UNLINK when lazy) and notifying "del"', () => {
    const { run, propagated, notified, engine } = setup();
    run('SET', 'a', '1');
    run('SET', 'b', '1');
    const dirty = engine.dirty;
    expect(run('EXPIRE', 'a', '-5')).toEqual(int(1));
    expect(engine.dirty).toBe(dirty + 1);
    engine.config.set('lazyfree-lazy-expire', 'yes');
    expect(run('PEXPIREAT', 'b', '1')).toEqual(int(1));
    expect(propagated().slice(2)).toEqual(['DEL a', 'UNLINK b']);
    expect(notified().slice(-2)).toEqual(['g:del:a@0', 'g:del:b@0']);
  });

  it('notify "expire" and "persist", and count dirty only on changes', () => {
    const { run, notified, engine } = setup();
    run('SET', 'k', 'v');
    const d0 = engine.dirty;
    run('EXPIRE', 'k', '10');
    run('EXPIRE', 'k', '10', 'NX');
    run('PERSIST', 'k');
    run('PERSIST', 'k');
    expect(engine.dirty).toBe(d0 + 2);
    expect(notified().slice(-2)).toEqual(['g:expire:k@0', 'g:persist:k@0']);
  });

  it('round TTL half up from milliseconds', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v', 'PX', '1500');
    expect(run('TTL', 'k')).toEqual(int(2));
    clock.advance(1);
    expect(run('TTL', 'k')).toEqual(int(1));
    expect(run('PTTL', 'k')).toEqual(int(1499));
    clock.advance(1499);
    expect(run('PTTL', 'k')).toEqual(int(0));
    clock.advance(1);
    expect(run('PTTL', 'k')).toEqual(int(-2));
  });

  it('count expired keys in stats and propagate their DEL on lazy access', () => {
    const { run, clock, engine, propagated, notified } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    clock.advance(11);
    expect(run('GET', 'k')).toEqual(NIL);
    expect(engine.stats.expiredKeys).toBe(1);
    expect(propagated().at(-1)).toBe('DEL k');
    expect(notified().at(-1)).toBe('x:expired:k@0');
  });

  it('leave logically expired keys in place for KEYS, as Redis does', () => {
    const { run, clock, c } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    clock.advance(11);
    expect(run('KEYS', '*')).toEqual({ t: 'array', v: [] });
    expect(c.db.size).toBe(1);
    expect(run('EXISTS', 'k')).toEqual(int(0));
    expect(c.db.size).toBe(0);
  });
});

describe('keyspace events and dirty', () => {
  it('RENAME, MOVE and COPY notify as db.c does', () => {
    const { run, notified, engine } = setup();
    run('SET', 'a', '1');
    const d0 = engine.dirty;
    run('RENAME', 'a', 'b');
    run('MOVE', 'b', '3');
    run('SELECT', '3');
    run('COPY', 'b', 'c', 'DB', '5');
    run('COPY', 'b', 'c', 'DB', '5', 'REPLACE');
    run('DEL', 'b', 'missing');
    expect(notified().slice(-7)).toEqual([
      'g:rename_from:a@0',
      'g:rename_to:b@0',
      'g:move_from:b@0',
      'g:move_to:b@3',
      'g:copy_to:c@5',
      'g:copy_to:c@5',
      'g:del:b@3',
    ]);
    expect(engine.dirty).toBe(d0 + 5);
    expect(engine.dbs[5].dict.get('c')).toBe('1');
  });

  it('RESTORE propagates a relative TTL as an absolute one with ABSTTL', () => {
    const { run, clock, propagated, notified } = setup();
    const payload = '\x00\x05hello\x0a\x00cr\xdfve4 \x0a';
    expect(run('RESTORE', 'k', '1000', payload)).toEqual(OK);
    expect(run('RESTORE', 'j', '0', payload)).toEqual(OK);
    expect(propagated()).toEqual([`RESTORE k ${clock.now() + 1000} ${payload} ABSTTL`, `RESTORE j 0 ${payload}`]);
    expect(notified()).toEqual(['g:restore:k@0', 'g:restore:j@0']);
    expect(run('GET', 'k')).toEqual(bulk('hello'));
  });

  it('RESTORE REPLACE with an expired TTL deletes the old key and propagates DEL', () => {
    const { run, propagated } = setup();
    run('SET', 'k', 'old');
    expect(run('RESTORE', 'k', '1', '\x00\x05hello\x0a\x00cr\xdfve4 \x0a', 'REPLACE', 'ABSTTL')).toEqual(OK);
    expect(run('EXISTS', 'k')).toEqual(int(0));
    expect(propagated().at(-1)).toBe('DEL k');
  });
});

describe('OBJECT', () => {
  it('reports idle time from the LRU clock without touching it', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v');
    clock.advance(42_000);
    expect(run('OBJECT', 'IDLETIME', 'k')).toEqual(int(42));
    expect(run('TYPE', 'k')).toEqual({ t: 'status', v: 'string' });
    expect(run('EXISTS', 'k')).toEqual(int(1));
    expect(run('TTL', 'k')).toEqual(int(-1));
    expect(run('OBJECT', 'IDLETIME', 'k')).toEqual(int(42));
    run('GET', 'k');
    expect(run('OBJECT', 'IDLETIME', 'k')).toEqual(int(0));
  });

  it('counts keyspace hits and misses like lookupKeyReadWithFlags', () => {
    const { run, engine } = setup();
    run('SET', 'k', 'v');
    run('OBJECT', 'ENCODING', 'k');
    run('EXISTS', 'k', 'nope');
    run('TYPE', 'nope');
    expect(engine.stats.keyspaceHits).toBe(2);
    expect(engine.stats.keyspaceMisses).toBe(2);
  });

  it('RESTORE IDLETIME sets the idle time, FREQ the LFU counter', () => {
    const payload = '\x00\x05hello\x0a\x00cr\xdfve4 \x0a';
    const lru = setup();
    lru.run('RESTORE', 'k', '0', payload, 'IDLETIME', '1000');
    expect(lru.run('OBJECT', 'IDLETIME', 'k')).toEqual(int(1000));
    expect(lru.run('OBJECT', 'FREQ', 'k')).toMatchObject({ t: 'error' });
    const lfu = setup({ 'maxmemory-policy': 'allkeys-lfu' });
    lfu.run('RESTORE', 'k', '0', payload, 'FREQ', '77');
    expect(lfu.run('OBJECT', 'FREQ', 'k')).toEqual(int(77));
    expect(lfu.run('OBJECT', 'IDLETIME', 'k')).toMatchObject({ t: 'error' });
    // The counter decays by one per lfu-decay-time minutes.
    lfu.clock.advance(3 * 60_000);
    expect(lfu.run('OBJECT', 'FREQ', 'k')).toEqual(int(74));
  });

  it('refcount is INT_MAX only for shared integers', () => {
    const { run } = setup();
    run('SET', 'a', '9999');
    run('SET', 'b', '10000');
    run('COPY', 'a', 'c');
    expect(run('OBJECT', 'REFCOUNT', 'a')).toEqual(int(2147483647));
    expect(run('OBJECT', 'REFCOUNT', 'b')).toEqual(int(1));
    expect(run('OBJECT', 'REFCOUNT', 'c')).toEqual(int(1));
    run('RENAME', 'c', 'd');
    expect(run('OBJECT', 'REFCOUNT', 'd')).toEqual(int(1));
    expect(run('OBJECT', 'ENCODING', 'd')).toEqual(bulk('int'));
  });

  it('RESTORE makes private integers when maxmemory with an LRU policy forbids sharing', () => {
    const { run } = setup({ maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru' });
    run('RESTORE', 'k', '0', '\x00\xc0\xfb\x0a\x00I\xc4\xc6\xf4\xd7&?h');
    run('RESTORE', 'j', '0', '\x00\xc1\xe8\x03\x0a\x00\x89\xd1G\x8e\xba\xc4\xb7d');
    expect(run('GET', 'j')).toEqual(bulk('1000'));
    expect(run('OBJECT', 'REFCOUNT', 'j')).toEqual(int(1));
  });
});

describe('DUMP', () => {
  it('skips compression when rdbcompression is off', () => {
    const { run, engine } = setup();
    run('SET', 'k', 'a'.repeat(30));
    const packed = run('DUMP', 'k') as { v: string };
    engine.config.set('rdbcompression', 'no');
    const plain = run('DUMP', 'k') as { v: string };
    expect(packed.v.charCodeAt(1)).toBe(0xc3);
    expect(plain.v.slice(0, 32)).toBe(`\x00\x1e${'a'.repeat(30)}`);
    expect(run('RESTORE', 'j', '0', plain.v)).toEqual(OK);
    expect(run('GET', 'j')).toEqual(bulk('a'.repeat(30)));
  });
});

describe('logically expired keys that were not deleted yet', () => {
  it('are counted by DBSIZE until a lookup or the active cycle deletes them', () => {
    const { run, clock, engine } = setup();
    engine.activeExpireEnabled = false;
    run('SET', 'a', '1', 'PX', '50');
    run('SET', 'b', '1', 'PX', '50');
    run('SET', 'c', '1');
    clock.advance(100);
    engine.cron();
    expect(run('DBSIZE')).toEqual(int(3));
    expect(run('KEYS', '*')).toEqual({ t: 'array', v: [bulk('c')] });
    expect(run('DBSIZE')).toEqual(int(3));
    expect(run('EXISTS', 'a')).toEqual(int(0));
    expect(run('DBSIZE')).toEqual(int(2));
  });

  it('are returned by SCAN TYPE none, as the type lookup deletes them first', () => {
    const { run, clock } = setup();
    run('SET', 'gone', '1', 'PX', '10');
    run('SET', 'stay', '1');
    clock.advance(20);
    expect(scan(run, '0', 'TYPE', 'none')).toEqual(['0', ['gone']]);
    expect(run('EXISTS', 'gone')).toEqual(int(0));
    expect(scan(run, '0', 'TYPE', 'none')).toEqual(['0', []]);
  });
});

describe('WAIT', () => {
  it('answers 0 at once when no acknowledgement is needed, else after the timeout', () => {
    const clock = new ManualClock();
    const engine = createEngine({ clock, seed: 1 });
    const delivered: Reply[] = [];
    const c = engine.createClient({ deliver: (r) => delivered.push(r) });
    expect(engine.dispatch(c, ['WAIT', '0', '1000'])).toEqual(int(0));
    expect(engine.dispatch(c, ['WAIT', '1', '1000'])).toBeUndefined();
    clock.advance(500);
    engine.cron();
    expect(delivered).toEqual([]);
    clock.advance(501);
    engine.cron();
    expect(delivered).toEqual([int(0)]);
    expect(engine.dispatch(c, ['WAIT', '1', '-1'])).toEqual({
      t: 'error',
      v: 'ERR timeout is negative',
    });
  });

  it('does not block inside MULTI', () => {
    const { run } = setup();
    run('MULTI');
    run('WAIT', '5', '0');
    expect(run('EXEC')).toEqual({ t: 'array', v: [int(0)] });
  });
});

describe('RANDOMKEY', () => {
  it('deletes every expired key it draws, down to an empty db', () => {
    const { run, clock, engine, c } = setup();
    engine.activeExpireEnabled = false;
    for (let i = 0; i < 300; i++) run('SET', `k${i}`, 'v', 'PX', '10');
    clock.advance(20);
    expect(run('RANDOMKEY')).toEqual(NIL);
    expect(c.db.size).toBe(0);
    expect(engine.stats.expiredKeys).toBe(300);
  });

  it('returns a live key among expired ones', () => {
    const { run, clock, engine } = setup();
    engine.activeExpireEnabled = false;
    for (let i = 0; i < 200; i++) run('SET', `k${i}`, 'v', 'PX', '10');
    run('SET', 'live', 'v');
    clock.advance(20);
    expect(run('RANDOMKEY')).toEqual(bulk('live'));
  });
});
