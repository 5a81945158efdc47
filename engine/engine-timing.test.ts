import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from './index';
import type { Reply } from './protocol/reply';

const text = (r: Reply | undefined): string => (r?.t === 'bulk' && r.v !== null ? r.v : '');

describe('command timing', () => {
  it('counts every call at once and gives fast commands run back to back whole microseconds', () => {
    const engine = createEngine({ seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['SET', 'k', 'v']);
    for (let i = 0; i < 5; i++) engine.dispatch(c, ['GET', 'k']);
    // INFO is not a fast command: its clock read settles the GETs' time before it runs.
    const info = text(engine.dispatch(c, ['INFO', 'commandstats']));
    expect(info).toMatch(/cmdstat_get:calls=5,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0/);
    expect(info).toMatch(/cmdstat_set:calls=1,usec=\d+,/);
  });

  it('settles the time of the last fast commands when the task ends', async () => {
    const engine = createEngine({ seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['SET', 'k', 'v']);
    const busyUntil = performance.now() + 3;
    for (let i = 0; i < 3; i++) {
      engine.dispatch(c, ['GET', 'k']);
      while (performance.now() < busyUntil) {
        // the host working between commands: counted as the commands' time (see settleTimes)
      }
    }
    await Promise.resolve();
    const get = engine.stats.commands.get('get');
    expect(get?.calls).toBe(3);
    expect(Number.isInteger(get?.usec)).toBe(true);
    expect(get?.usec).toBeGreaterThanOrEqual(2000);
  });

  it('puts fast commands run back to back in the slow log, in order', () => {
    const engine = createEngine({ seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    engine.dispatch(c, ['SET', 'a', '1']);
    engine.dispatch(c, ['GET', 'a']);
    engine.dispatch(c, ['GET', 'b']);
    const log = engine.dispatch(c, ['SLOWLOG', 'GET', '10']);
    const argvs = log?.t === 'array' ? (log.v ?? []).map((e) => (e.t === 'array' ? e.v?.[3] : undefined)) : [];
    expect(argvs.slice(0, 4)).toEqual([
      {
        t: 'array',
        v: [
          { t: 'bulk', v: 'GET' },
          { t: 'bulk', v: 'b' },
        ],
      },
      {
        t: 'array',
        v: [
          { t: 'bulk', v: 'GET' },
          { t: 'bulk', v: 'a' },
        ],
      },
      {
        t: 'array',
        v: [
          { t: 'bulk', v: 'SET' },
          { t: 'bulk', v: 'a' },
          { t: 'bulk', v: '1' },
        ],
      },
      {
        t: 'array',
        v: [
          { t: 'bulk', v: 'CONFIG' },
          { t: 'bulk', v: 'SET' },
          { t: 'bulk', v: 'slowlog-log-slower-than' },
          { t: 'bulk', v: '0' },
        ],
      },
    ]);
  });

  it('times every command on its own under a manual clock, as tests and lessons need', () => {
    const clock = new ManualClock();
    const engine = createEngine({ clock, seed: 1 });
    const c = engine.createClient();
    engine.dispatch(c, ['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    engine.dispatch(c, ['GET', 'a']);
    expect(engine.slowlog.entries[0]?.argv).toEqual(['GET', 'a']);
    clock.advance(5000);
    engine.dispatch(c, ['GET', 'b']);
    expect(engine.slowlog.entries[0]).toMatchObject({ argv: ['GET', 'b'], time: Math.floor(clock.now() / 1000) });
    expect(engine.slowlog.entries[1]).toMatchObject({ argv: ['GET', 'a'], time: Math.floor(clock.now() / 1000) - 5 });
  });
});
