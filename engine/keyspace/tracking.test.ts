import { describe, expect, it } from 'vitest';
import type { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { usedMemory } from './memory';
import { setupClients } from './test-clients';

const bulk = (v: string | null): Reply => ({ t: 'bulk', v });
const arr = (...v: Reply[]): Reply => ({ t: 'array', v });
const push = (...v: Reply[]): Reply => ({ t: 'push', v });
const int = (v: number): Reply => ({ t: 'int', v });
const OK: Reply = { t: 'status', v: 'OK' };

/** Self-invalidations and BCAST batches go out when the current task ends (a microtask). */
const endOfTurn = () => new Promise<void>((r) => queueMicrotask(r));

const setup = setupClients;

const info = (run: (...a: string[]) => Reply | undefined, section: string, field: string): string => {
  const r = run('INFO', section) as { t: 'bulk'; v: string };
  return (r.v.split('\r\n').find((l) => l.startsWith(`${field}:`)) ?? '').slice(field.length + 1);
};

describe('client-side caching (RESP3 pushes)', () => {
  it('sends invalidate pushes to a RESP3 client after the reply of its own write', async () => {
    const { client } = setup();
    const a = client();
    a.run('HELLO', '3');
    expect(a.run('CLIENT', 'TRACKING', 'on')).toEqual(OK);
    a.run('GET', 'k');
    // Its own write: the reply first, the push when the turn ends (Redis: tracking_pending_keys).
    expect(a.run('SET', 'k', 'v')).toEqual(OK);
    expect(a.got).toEqual([]);
    await endOfTurn();
    expect(a.got).toEqual([push(bulk('invalidate'), arr(bulk('k')))]);
  });

  it('sends another client’s write at once, once, and then forgets the key', () => {
    const { client } = setup();
    const a = client();
    const b = client();
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('MGET', 'x', 'y');
    b.run('SET', 'x', '1');
    b.run('SET', 'x', '2');
    b.run('MSET', 'y', '1', 'x', '3');
    expect(a.got).toEqual([push(bulk('invalidate'), arr(bulk('x'))), push(bulk('invalidate'), arr(bulk('y')))]);
  });

  it('sends a null on FLUSHALL to every tracking client, BCAST ones too', async () => {
    const { client } = setup();
    const a = client();
    const b = client();
    a.run('HELLO', '3');
    b.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    b.run('CLIENT', 'TRACKING', 'on', 'BCAST');
    expect(a.run('FLUSHALL')).toEqual(OK);
    expect(b.got).toEqual([push(bulk('invalidate'), bulk(null))]);
    await endOfTurn();
    expect(a.got).toEqual([push(bulk('invalidate'), bulk(null))]);
  });

  it('batches BCAST keys per prefix until the turn ends, in byte order, skipping NOLOOP’s own', async () => {
    const { client } = setup();
    const a = client();
    const b = client();
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u:', 'PREFIX', 'o:', 'NOLOOP');
    b.run('SET', 'u:2', '1');
    b.run('MSET', 'u:1', '1', 'o:1', '1', 'other', '1');
    a.run('SET', 'u:3', '1');
    expect(a.got).toEqual([]);
    await endOfTurn();
    expect(a.got).toEqual([
      push(bulk('invalidate'), arr(bulk('o:1'))),
      push(bulk('invalidate'), arr(bulk('u:1'), bulk('u:2'))),
    ]);
  });

  it('expires and evicts tracked keys with an invalidation', () => {
    const { engine, client, tick } = setup();
    const a = client();
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('SET', 'k', 'v', 'PX', '50');
    a.run('GET', 'k');
    tick(200);
    expect(a.got).toEqual([push(bulk('invalidate'), arr(bulk('k')))]);
    expect(engine.tracking?.totalKeys).toBe(0);
  });

  it('invalidates on lazy expiry too: the reader’s own lookup replies first, then the push', async () => {
    const { engine, client } = setup();
    const a = client();
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('SET', 'k', 'v', 'PX', '50');
    a.run('GET', 'k');
    (engine.clock as ManualClock).advance(100); // no cron: only a lookup can expire it
    expect(a.run('GET', 'k')).toEqual(bulk(null));
    expect(a.got).toEqual([]);
    await endOfTurn();
    expect(a.got).toEqual([push(bulk('invalidate'), arr(bulk('k')))]);
    // The GET that expired it read it again: tracked anew.
    expect(engine.tracking?.totalKeys).toBe(1);
  });

  it('invalidates a tracked key that maxmemory evicts', () => {
    const { engine, client } = setup();
    const a = client();
    a.run('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    a.run('SET', 'far', 'v', 'EX', '300');
    a.run('SET', 'near', 'v', 'EX', '50');
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('MGET', 'near', 'far');
    engine.config.set('maxmemory', String(usedMemory(engine) - 1));
    expect(engine.dbs[0].dict.has('near')).toBe(false);
    expect(a.got).toEqual([push(bulk('invalidate'), arr(bulk('near')))]);
  });

  it('tells a RESP3 client whose redirection client is gone, and flags it R', () => {
    const { engine, client } = setup();
    const a = client();
    const gone = client();
    const b = client();
    a.run('HELLO', '3');
    a.run('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(gone.c.id));
    a.run('GET', 'k');
    engine.removeClient(gone.c);
    expect(a.c.flagString()).toBe('t');
    b.run('SET', 'k', 'v');
    expect(a.got).toEqual([push(bulk('tracking-redir-broken'), int(gone.c.id))]);
    expect(a.c.flagString()).toBe('tR');
  });
});

describe('client-side caching (RESP2 and bookkeeping)', () => {
  it('shows t, R and B in CLIENT LIST flags and the redirection in redir=, as Redis 7.0', () => {
    // Recorded from redis-server 7.0.15: "flags=tB ... redir=120", then "flags=tRB" once 120 quit
    // and a key under the prefix changed.
    const { client } = setup();
    const a = client();
    const r = client();
    const w = client();
    a.run('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(r.c.id), 'BCAST', 'PREFIX', 'x');
    const line = () => (a.run('CLIENT', 'INFO') as { v: string }).v;
    expect(line()).toMatch(new RegExp(` flags=tB .* redir=${r.c.id} resp=2\\n$`));
    r.c.engine.removeClient(r.c);
    w.run('SET', 'x1', '1');
    engine_flush(a.c.engine);
    expect(line()).toMatch(/ flags=tRB /);
    a.run('CLIENT', 'TRACKING', 'off');
    expect(line()).toMatch(/ flags=N .* redir=-1 resp=2\n$/);
  });

  it('sends nothing to a RESP2 client without a redirection, but still forgets the key', () => {
    const { engine, client } = setup();
    const a = client();
    const b = client();
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('GET', 'k');
    expect(engine.tracking?.totalKeys).toBe(1);
    b.run('SET', 'k', 'v');
    expect(a.got).toEqual([]);
    expect(engine.tracking?.totalKeys).toBe(0);
  });

  it('counts keys, items and prefixes in INFO and forgets a closed client’s prefixes', () => {
    const { engine, client } = setup();
    const a = client();
    const b = client();
    a.run('CLIENT', 'TRACKING', 'on');
    b.run('CLIENT', 'TRACKING', 'on');
    a.run('MGET', 'k1', 'k2');
    b.run('GET', 'k1');
    expect(info(a.run, 'stats', 'tracking_total_keys')).toBe('2');
    expect(info(a.run, 'stats', 'tracking_total_items')).toBe('3');
    expect(info(a.run, 'clients', 'tracking_clients')).toBe('2');
    b.run('CLIENT', 'TRACKING', 'off');
    b.run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q');
    expect(info(a.run, 'stats', 'tracking_total_prefixes')).toBe('2');
    engine.removeClient(b.c);
    expect(info(a.run, 'stats', 'tracking_total_prefixes')).toBe('0');
    expect(info(a.run, 'clients', 'tracking_clients')).toBe('1');
  });

  it('keeps the table within tracking-table-max-keys, invalidating the keys it drops', () => {
    const { engine, client } = setup();
    const a = client();
    const sub = client();
    sub.run('SUBSCRIBE', '__redis__:invalidate');
    sub.got.length = 0;
    a.run('CONFIG', 'SET', 'tracking-table-max-keys', '2');
    a.run('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(sub.c.id));
    a.run('MGET', 'a', 'b', 'c', 'd');
    a.run('PING');
    expect(engine.tracking?.totalKeys).toBe(2);
    expect(sub.got).toHaveLength(2);
    for (const m of sub.got) {
      const v = (m as { v: readonly Reply[] }).v;
      expect(v.slice(0, 2)).toEqual([bulk('message'), bulk('__redis__:invalidate')]);
    }
  });

  it('remembers the keys a script declared when it reads, for EVAL_RO too, not for EVAL_RO itself', () => {
    const { engine, client } = setup();
    const a = client();
    a.run('CLIENT', 'TRACKING', 'on');
    a.run('EVAL', 'return 1', '1', 'nothing-read');
    expect(engine.tracking?.totalKeys).toBe(0);
    a.run('EVAL_RO', "return redis.call('get', KEYS[1])", '2', 'k1', 'k2');
    expect(engine.tracking?.totalKeys).toBe(2);
  });
});

/** Run the end-of-turn work now (BCAST batches), as the event loop would after a command. */
function engine_flush(engine: ReturnType<typeof createEngine>): void {
  engine.tracking?.flush();
}
