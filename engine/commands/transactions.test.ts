import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { Engine } from '../engine';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { touchAllWatchedKeysInDb, watchedKeys } from '../multi';
import { OK, type Reply } from '../protocol/reply';
import { createRandom } from '../random';
import { defineCommand } from './define';
import { commandTable } from './index';
import { CommandTable } from './table';

function setup() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 3 });
  const a = engine.createClient();
  const b = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(a, argv) as Reply;
  const other = (...argv: string[]) => engine.dispatch(b, argv) as Reply;
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  return { engine, clock, a, b, run, other, events, propagated };
}

const NIL_ARRAY = { t: 'array', v: null };

describe('EXEC propagation', () => {
  it('wraps several writes in MULTI/EXEC, leaves reads out', () => {
    const { run, propagated } = setup();
    run('MULTI');
    run('SET', 'a', '1');
    run('GET', 'a');
    run('INCR', 'a');
    run('SADD', 's', 'x');
    run('EXEC');
    expect(propagated()).toEqual(['MULTI', 'SET a 1', 'INCR a', 'SADD s x', 'EXEC']);
  });

  it('propagates a single write bare and a read-only transaction not at all', () => {
    const { run, propagated } = setup();
    run('MULTI');
    run('SET', 'a', '1');
    run('GET', 'a');
    run('EXEC');
    run('MULTI');
    run('GET', 'a');
    run('EXEC');
    expect(propagated()).toEqual(['SET a 1']);
  });

  it('wraps a lazy expiry and the write that caused it, like any multi-op command', () => {
    const { run, clock, propagated } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    clock.advance(20);
    run('SADD', 'k', 'm');
    expect(propagated().slice(1)).toEqual(['MULTI', 'DEL k', 'SADD k m', 'EXEC']);
  });

  it('counts every queued command in commandstats, and EXEC once', () => {
    const { run, engine } = setup();
    run('MULTI');
    run('SET', 'a', '1');
    run('SET', 'b', '1');
    run('EXEC');
    expect(engine.stats.commands.get('set')?.calls).toBe(2);
    expect(engine.stats.commands.get('exec')?.calls).toBe(1);
    expect(engine.stats.commands.get('multi')?.calls).toBe(1);
  });
});

describe('EXEC aborts', () => {
  it('EXEC refused by arity discards the transaction, counts EXECABORT and shows in MONITOR', () => {
    const { run, other, engine, a, b } = setup();
    other('MONITOR');
    const lines: string[] = [];
    b.deliver = (r) => {
      if (r.t === 'status') lines.push(r.v.replace(/^\S+ \[[^\]]*\] /, ''));
    };
    run('MULTI');
    run('SET', 'a', '1');
    expect(run('EXEC', 'x')).toEqual({
      t: 'error',
      v: "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
    });
    expect(a.ext.multi).toBeUndefined();
    expect(engine.stats.errors.get('EXECABORT')).toBe(1);
    expect(engine.stats.commands.get('exec')?.rejectedCalls).toBe(1);
    expect(lines).toEqual(['"MULTI"', '"EXEC" "x"']);
  });

  it('stops queueing once the transaction is bound to fail', () => {
    const { run, a } = setup();
    run('MULTI');
    run('SET', 'a', '1');
    run('GET');
    expect(run('SET', 'b', '2')).toEqual({ t: 'status', v: 'QUEUED' });
    expect((a.ext.multi as { queue: unknown[] }).queue).toHaveLength(1);
  });

  it('refuses no_multi commands inside MULTI and marks the transaction dirty', () => {
    const save = defineCommand({
      name: 'FAKESAVE',
      group: 'server',
      arity: 1,
      flags: ['admin', 'noscript', 'no_multi'],
      summary: 'test',
      since: '1.0.0',
      exec: () => OK,
    });
    const table = new CommandTable([...commandTable.commands.map((c) => c.spec), save]);
    const engine = new Engine({ clock: new ManualClock(), random: createRandom(1), table });
    const c = engine.createClient();
    const run = (...argv: string[]) => engine.dispatch(c, argv);
    expect(run('FAKESAVE')).toEqual(OK);
    run('MULTI');
    expect(run('FAKESAVE')).toEqual({ t: 'error', v: 'ERR Command not allowed inside a transaction' });
    expect(run('EXEC')).toEqual({ t: 'error', v: 'EXECABORT Transaction discarded because of previous errors.' });
  });

  it('under OOM refuses anything queued but lets EXEC and DISCARD through', () => {
    const { run, engine } = setup();
    let oom = false;
    engine.oomCheck = () => oom;
    run('MULTI');
    run('SET', 'a', '1');
    oom = true;
    expect(run('GET', 'a')).toEqual({ t: 'error', v: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(run('DISCARD')).toEqual(OK);
    oom = false;
    run('MULTI');
    run('SET', 'a', '1');
    oom = true;
    expect(run('EXEC')).toEqual({
      t: 'error',
      v: "EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.",
    });
    run('MULTI');
    oom = false;
    run('GET', 'a');
    oom = true;
    expect(run('EXEC')).toEqual({ t: 'array', v: [{ t: 'bulk', v: null }] });
  });

  it('lets queued commands know they must not block', () => {
    const seen: unknown[] = [];
    const probe = defineCommand({
      name: 'PROBE',
      group: 'server',
      arity: 1,
      flags: ['fast'],
      summary: 'test',
      since: '1.0.0',
      exec: (c) => {
        seen.push(c.ext.denyBlocking);
        return OK;
      },
    });
    const table = new CommandTable([...commandTable.commands.map((c) => c.spec), probe]);
    const engine = new Engine({ clock: new ManualClock(), random: createRandom(1), table });
    const c = engine.createClient();
    engine.dispatch(c, ['PROBE']);
    engine.dispatch(c, ['MULTI']);
    engine.dispatch(c, ['PROBE']);
    engine.dispatch(c, ['EXEC']);
    engine.dispatch(c, ['PROBE']);
    expect(seen).toEqual([undefined, true, undefined]);
  });
});

describe('WATCH', () => {
  it('is forgotten when the client goes away', () => {
    const { run, engine, a } = setup();
    run('WATCH', 'x', 'y', 'x');
    expect(watchedKeys(a)).toHaveLength(2);
    expect(a.db.watched.size).toBe(2);
    engine.removeClient(a);
    expect(a.db.watched.size).toBe(0);
  });

  it('unwatches everything as soon as the client is dirty', () => {
    const { run, other, a } = setup();
    run('WATCH', 'x', 'y');
    other('SET', 'y', '1');
    expect(a.dirtyCas).toBe(true);
    expect(a.db.watched.size).toBe(0);
    expect(a.flagString()).toContain('d');
    run('UNWATCH');
    expect(a.dirtyCas).toBe(false);
  });

  it('a key already expired at WATCH time only counts once it is written again', () => {
    const { run, other, clock } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    clock.advance(20);
    run('WATCH', 'k');
    other('GET', 'k'); // lazily deletes the expired key: no logical change
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toEqual({ t: 'array', v: [{ t: 'status', v: 'PONG' }] });
    run('SET', 'k', 'v', 'PX', '10');
    clock.advance(20);
    run('WATCH', 'k');
    other('SET', 'k', 'new'); // expires the old key (no change), then writes (a change)
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toEqual(NIL_ARRAY);
  });

  it('a watched key that expires before EXEC fails it even if nobody touched it', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    run('WATCH', 'k');
    clock.advance(20);
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toEqual(NIL_ARRAY);
  });

  it('SWAPDB semantics: touchAllWatchedKeysInDb invalidates unless expired keys only trade places', () => {
    const { run, engine, a, clock } = setup();
    const [db0, db1] = engine.dbs;
    run('WATCH', 'present', 'absent');
    run('SELECT', '1');
    run('SET', 'absent', 'x', 'PX', '10');
    clock.advance(20);
    // db0 is emptied and gets db1's content, where "absent" exists but is already expired.
    touchAllWatchedKeysInDb(engine, db0, db1);
    expect(a.dirtyCas).toBe(false);
    expect(watchedKeys(a).find((w) => w.key === 'absent')?.expired).toBe(true);
    run('SELECT', '0');
    run('SET', 'present', '1');
    expect(a.dirtyCas).toBe(true);
    expect(db1.watched.size).toBe(0);
  });
});
