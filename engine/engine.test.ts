import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { commandTable } from './commands';
import { defineCommand } from './commands/define';
import { CommandTable } from './commands/table';
import { Engine } from './engine';
import type { EngineEvent } from './events';
import { createEngine } from './index';
import { createRandom } from './random';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  return { engine, c, run: (...argv: string[]) => engine.dispatch(c, argv) };
}

describe('dispatch', () => {
  it('answers an unknown command with its arguments echoed, as Redis does', () => {
    const { run } = setup();
    expect(run('NOPE', 'a', 'b')).toEqual({
      t: 'error',
      v: "ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ",
    });
  });

  it('stops echoing arguments once 128 characters are shown', () => {
    const { run } = setup();
    const r = run('NOPE', 'x'.repeat(100), 'y'.repeat(100), 'z');
    expect(r).toEqual({
      t: 'error',
      v: `ERR unknown command 'NOPE', with args beginning with: '${'x'.repeat(100)}' '${'y'.repeat(25)}' `,
    });
  });

  it('looks commands up case-insensitively and checks arity before running them', () => {
    const { run } = setup();
    expect(run('set', 'k', 'v')).toEqual({ t: 'status', v: 'OK' });
    expect(run('GeT', 'k')).toEqual({ t: 'bulk', v: 'v' });
    expect(run('get')).toEqual({ t: 'error', v: "ERR wrong number of arguments for 'get' command" });
    expect(run('SET', 'k')).toEqual({ t: 'error', v: "ERR wrong number of arguments for 'set' command" });
  });

  it('refuses commands before AUTH when requirepass is set', () => {
    const { run } = setup({ requirepass: 'secret' });
    expect(run('GET', 'k')).toEqual({ t: 'error', v: 'NOAUTH Authentication required.' });
  });

  it('counts calls, failures and rejections per command', () => {
    const { engine, run } = setup();
    run('SET', 'k', 'v');
    run('GET', 'k');
    run('GET');
    expect(engine.stats.commands.get('set')?.calls).toBe(1);
    expect(engine.stats.commands.get('get')).toMatchObject({ calls: 1, rejectedCalls: 1 });
    expect(engine.stats.errors.get('ERR')).toBe(1);
  });

  it('propagates writes that changed the dataset, never reads', () => {
    const { engine, run } = setup();
    const events: EngineEvent[] = [];
    engine.on((e) => events.push(e));
    run('GET', 'k');
    run('SET', 'k', 'v');
    expect(events.filter((e) => e.type === 'propagate')).toEqual([
      { type: 'propagate', db: 0, argv: ['SET', 'k', 'v'] },
    ]);
  });

  it('propagates any command that changed the dataset, even a read such as PFCOUNT caching its count', () => {
    const { engine, run } = setup();
    const propagated: (readonly string[])[] = [];
    engine.on((e) => {
      if (e.type === 'propagate') propagated.push(e.argv);
    });
    run('PFADD', 'h', 'a', 'b', 'c');
    run('PFCOUNT', 'h');
    run('PFCOUNT', 'h');
    expect(propagated).toEqual([
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFCOUNT', 'h'],
    ]);
  });

  it('turns a crashing handler into an error reply and keeps serving', () => {
    const BOOM = defineCommand({
      name: 'BOOM',
      group: 'server',
      arity: 1,
      flags: [],
      summary: 'test',
      since: '0',
      exec() {
        throw new TypeError('bad');
      },
    });
    const table = new CommandTable([...commandTable.commands.map((c) => c.spec), BOOM]);
    const engine = new Engine({ clock: new ManualClock(), random: createRandom(1), table });
    const c = engine.createClient();
    expect(engine.dispatch(c, ['BOOM'])).toEqual({ t: 'error', v: 'ERR internal error: bad' });
    expect(engine.dispatch(c, ['SET', 'a', '1'])).toEqual({ t: 'status', v: 'OK' });
  });

  it('queues commands while a MULTI is open and marks the transaction dirty on a rejected one', () => {
    const { c, run } = setup();
    const multi = { queue: [] as unknown[], dirty: false };
    c.ext.multi = multi;
    expect(run('SET', 'k', 'v')).toEqual({ t: 'status', v: 'QUEUED' });
    expect(multi.queue).toHaveLength(1);
    run('GET');
    expect(multi.dirty).toBe(true);
  });
});

describe('expiry', () => {
  it('hides and deletes a key lazily once its time has passed', () => {
    const clock = new ManualClock();
    const engine = createEngine({ clock, seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['SET', 'k', 'v']);
    c.db.setExpire('k', clock.now() + 1000);
    clock.advance(1000);
    // Redis's keyIsExpired is `now > when`: at the exact millisecond the key is still there.
    expect(engine.dispatch(c, ['GET', 'k'])).toEqual({ t: 'bulk', v: 'v' });
    clock.advance(1);
    expect(engine.dispatch(c, ['GET', 'k'])).toEqual({ t: 'bulk', v: null });
    expect(engine.stats.expiredKeys).toBe(1);
    expect(c.db.dict.size).toBe(0);
  });
});
