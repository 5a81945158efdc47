import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1, config });
  const c = engine.createClient();
  const run = (...argv: string[]) => engine.dispatch(c, argv);
  return { engine, clock, c, run };
}

describe('active expire cycle', () => {
  it('removes 10,000 expired keys from cron alone, leaving persistent keys', () => {
    const { engine, clock, c, run } = setup();
    for (let i = 0; i < 10000; i++) run('SET', `tmp:${i}`, 'v', 'PX', String(100 + (i % 50)));
    for (let i = 0; i < 500; i++) run('SET', `keep:${i}`, 'v');
    const events: EngineEvent[] = [];
    engine.on((e) => events.push(e));
    clock.advance(1000);
    for (let tick = 0; tick < 200 && c.db.size > 500; tick++) {
      clock.advance(100);
      engine.cron();
    }
    expect(c.db.size).toBe(500);
    expect(c.db.expires.size).toBe(0);
    expect(engine.stats.expiredKeys).toBe(10000);
    // Removed without any command touching them: one DEL propagated and one "expired" event each.
    const dels = events.filter((e) => e.type === 'propagate' && e.argv[0] === 'DEL');
    const expired = events.filter((e) => e.type === 'notify' && e.event === 'expired' && e.cls === 'x');
    expect(dels).toHaveLength(10000);
    expect(expired).toHaveLength(10000);
    for (let i = 0; i < 500; i += 50) expect(c.db.dict.has(`keep:${i}`)).toBe(true);
  });

  it('leaves keys whose time has not come', () => {
    const { engine, clock, c, run } = setup();
    for (let i = 0; i < 1000; i++) run('SET', `k${i}`, 'v', 'PX', i < 500 ? '100' : '100000');
    clock.advance(200);
    for (let tick = 0; tick < 50; tick++) {
      clock.advance(100);
      engine.cron();
    }
    expect(c.db.size).toBe(500);
    expect(c.db.expires.size).toBe(500);
    expect(c.db.dict.has('k999')).toBe(true);
    expect(c.db.avgTtl).toBeGreaterThan(0);
  });

  it('expires keys strictly after their time, like keyIsExpired', () => {
    const { engine, clock, c, run } = setup();
    run('SET', 'k', 'v', 'PX', '100');
    clock.advance(100);
    engine.cron();
    expect(run('EXISTS', 'k')).toEqual({ t: 'int', v: 1 });
    clock.advance(1);
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      engine.cron();
    }
    expect(c.db.dict.has('k')).toBe(false);
  });

  it('covers every database', () => {
    const { engine, clock, run } = setup();
    for (let db = 0; db < 16; db++) {
      run('SELECT', String(db));
      for (let i = 0; i < 50; i++) run('SET', `k${i}`, 'v', 'PX', '10');
    }
    clock.advance(50);
    for (let tick = 0; tick < 20; tick++) {
      clock.advance(100);
      engine.cron();
    }
    for (const db of engine.dbs) expect(db.size).toBe(0);
  });

  it('does nothing while disabled or paused', () => {
    const { engine, clock, c, run } = setup();
    run('SET', 'k', 'v', 'PX', '10');
    engine.activeExpireEnabled = false;
    clock.advance(500);
    engine.cron();
    expect(c.db.dict.has('k')).toBe(true);
    engine.activeExpireEnabled = true;
    engine.paused = true;
    clock.advance(500);
    engine.cron();
    expect(c.db.dict.has('k')).toBe(true);
    engine.paused = false;
    clock.advance(500);
    engine.cron();
    expect(c.db.dict.has('k')).toBe(false);
  });

  it('propagates UNLINK when lazyfree-lazy-expire is on', () => {
    const { engine, clock, run } = setup({ 'lazyfree-lazy-expire': 'yes' });
    run('SET', 'k', 'v', 'PX', '10');
    const props: (readonly string[])[] = [];
    engine.on((e) => {
      if (e.type === 'propagate') props.push(e.argv);
    });
    clock.advance(500);
    engine.cron();
    expect(props).toEqual([['UNLINK', 'k']]);
  });

  it('keeps its cursor per engine', () => {
    const a = setup();
    const b = setup();
    a.run('SET', 'k', 'v', 'PX', '10');
    b.run('SET', 'k', 'v', 'PX', '10');
    a.clock.advance(500);
    a.engine.cron();
    expect(a.c.db.dict.has('k')).toBe(false);
    expect(b.c.db.dict.has('k')).toBe(true);
  });
});
