import { describe, expect, it } from 'vitest';
import type { Reply } from '../protocol/reply';
import { usedMemory } from './memory';
import { setupClients } from './test-clients';

const bulk = (v: string | null): Reply => ({ t: 'bulk', v });
const OK: Reply = { t: 'status', v: 'OK' };

const setup = setupClients;

describe('CLIENT PAUSE', () => {
  it('WRITE holds writers (flag b, cmd= the held command) while readers go on, until UNPAUSE', () => {
    const { engine, client } = setup();
    const admin = client();
    const w = client();
    const r = client();
    r.run('SET', 'k', 'v');
    expect(admin.run('CLIENT', 'PAUSE', '100000', 'WRITE')).toEqual(OK);
    expect(w.run('SET', 'k', 'v2')).toBeUndefined();
    expect(w.run('GET', 'k')).toBeUndefined(); // queued behind the held SET
    expect(r.run('GET', 'k')).toEqual(bulk('v'));
    // Recorded from redis-server 7.0.15: the held client shows "flags=b ... cmd=set".
    const line = (admin.run('CLIENT', 'LIST', 'ID', String(w.c.id)) as { v: string }).v;
    expect(line).toMatch(/ flags=b .* cmd=set /);
    expect(engine.blocking.postponedCount).toBe(1);
    expect(admin.run('CLIENT', 'UNPAUSE')).toEqual(OK);
    expect(w.got).toEqual([OK, bulk('v2')]);
    expect(w.c.flagString()).toBe('N');
  });

  it('ALL holds every client until the engine clock passes the end, then serves them in order', () => {
    const { client, tick } = setup();
    const admin = client();
    const a = client();
    const b = client();
    admin.run('SET', 'k', 'v');
    admin.run('CLIENT', 'PAUSE', '500');
    expect(a.run('GET', 'k')).toBeUndefined();
    expect(b.run('SET', 'k', 'w')).toBeUndefined();
    expect(admin.run('CLIENT', 'UNPAUSE')).toBeUndefined();
    tick(400);
    expect(a.got).toEqual([]);
    tick(200);
    expect(a.got).toEqual([bulk('v')]);
    expect(b.got).toEqual([OK]);
    expect(admin.got).toEqual([OK]);
  });

  it('a WRITE pause ending into nothing releases writers; ALL over WRITE is re-applied by type', () => {
    const { client, tick } = setup();
    const admin = client();
    const w = client();
    admin.run('CLIENT', 'PAUSE', '300', 'WRITE');
    admin.run('CLIENT', 'PAUSE', '100', 'ALL');
    // The stricter type with the longer end: ALL until 300 ms.
    expect(w.run('GET', 'k')).toBeUndefined();
    tick(200);
    expect(w.got).toEqual([]);
    tick(200);
    expect(w.got).toEqual([bulk(null)]);
  });

  it('stops expiry while paused: the key reads as gone but stays until the pause ends', () => {
    const { engine, client, tick } = setup();
    const admin = client();
    admin.run('SET', 'k', 'v', 'PX', '10');
    admin.run('CLIENT', 'PAUSE', '1000', 'WRITE');
    tick(500);
    expect(admin.run('EXISTS', 'k')).toEqual({ t: 'int', v: 0 });
    expect(engine.dbs[0].size).toBe(1);
    expect(engine.stats.expiredKeys).toBe(0);
    tick(600);
    expect(engine.paused).toBe(false);
    tick(200);
    expect(engine.dbs[0].size).toBe(0);
  });

  it('stops eviction while paused', () => {
    const { engine, client } = setup();
    const admin = client();
    admin.run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    for (const k of ['a', 'b', 'c']) admin.run('SET', k, 'v');
    admin.run('CLIENT', 'PAUSE', '100000', 'WRITE');
    engine.config.set('maxmemory', String(usedMemory(engine) - 1));
    admin.run('GET', 'a');
    expect(engine.dbs[0].size).toBe(3);
    admin.run('CLIENT', 'UNPAUSE');
    admin.run('GET', 'a');
    expect(engine.dbs[0].size).toBeLessThan(3);
  });

  it('EVAL with a no-writes shebang and read-only scripts run under WRITE; a plain EVAL waits', () => {
    const { client } = setup();
    const admin = client();
    const e = client();
    admin.run('CLIENT', 'PAUSE', '100000', 'WRITE');
    expect(e.run('EVAL', '#!lua flags=no-writes\nreturn 1', '0')).toEqual({ t: 'int', v: 1 });
    expect(e.run('EVAL_RO', 'return 2', '0')).toEqual({ t: 'int', v: 2 });
    expect(e.run('EVAL', 'return 3', '0')).toBeUndefined();
    admin.run('CLIENT', 'UNPAUSE');
    expect(e.got).toEqual([{ t: 'int', v: 3 }]);
  });
});
