// The lab's clock control through the worker host: a paused engine clock stands still (no expiry,
// no blocking timeout) until stepped, each step runs what became due, and resuming never moves
// time backwards. Also the event log's command lines the host adds while events are watched.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, OffsetClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { EngineHost, LAB_CONFIG } from './host';
import type { Endpoint, FromWorker, ToWorker } from './protocol';

describe('OffsetClock pause / resume', () => {
  it('stands still while paused, steps when advanced, and resumes from where it stood', () => {
    const base = new ManualClock(1_000);
    const clock = new OffsetClock(base);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.pause();
    base.advance(10_000);
    expect(clock.now()).toBe(1_500);
    expect(clock.nowMicros()).toBe(1_500_000);
    clock.advance(5_000);
    expect(clock.now()).toBe(6_500);
    clock.resume();
    expect(clock.paused).toBe(false);
    expect(clock.now()).toBe(6_500);
    base.advance(250);
    expect(clock.now()).toBe(6_750);
  });
});

function setup() {
  const base = new ManualClock(2_000_000);
  const clock = new OffsetClock(base);
  const engine = createEngine({ clock, config: { ...LAB_CONFIG } });
  const channel = new MessageChannel();
  const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
    cronMs: 0,
    eventBatchMs: 2,
    clock,
  });
  const got: FromWorker[] = [];
  channel.port2.addEventListener('message', (ev: MessageEvent<FromWorker>) => got.push(ev.data));
  channel.port2.start();
  let id = 1;
  const send = (msg: Record<string, unknown>) => {
    const n = id++;
    channel.port2.postMessage({ ...msg, id: n });
    return n;
  };
  const answer = async (n: number) => {
    for (let i = 0; i < 300; i++) {
      const m = got.find((x) => 'id' in x && x.id === n && x.type !== 'blocked');
      if (m) return m;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`no answer to ${n}`);
  };
  const dispose = () => {
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  };
  return { base, clock, engine, host, got, send, answer, dispose };
}

let current: ReturnType<typeof setup> | null = null;
afterEach(() => {
  current?.dispose();
  current = null;
});

describe('clock-control through the host', () => {
  it('pauses time: keys do not expire and BLPOP waits until the clock is stepped past them', async () => {
    const t = setup();
    current = t;
    await t.answer(t.send({ type: 'open', session: 1 }));
    await t.answer(t.send({ type: 'open', session: 2 }));
    await t.answer(t.send({ type: 'command', session: 1, argv: ['SET', 'k', 'v', 'EX', '30'] }));
    const paused = await t.answer(t.send({ type: 'clock-control', action: 'pause' }));
    expect(paused).toEqual({ type: 'clock', id: 4, now: 2_000_000, paused: true });
    const blpop = t.send({ type: 'command', session: 2, argv: ['BLPOP', 'q', '5'] });
    // Real time passes and the cron runs: nothing is due on a paused clock.
    t.base.advance(60_000);
    t.engine.cron();
    const ttl = await t.answer(t.send({ type: 'command', session: 1, argv: ['TTL', 'k'] }));
    expect(ttl).toMatchObject({ reply: { t: 'int', v: 30 } });
    expect(t.got.some((m) => m.type === 'reply' && m.id === blpop)).toBe(false);
    // Stepping 5 s makes the BLPOP's deadline due (Redis times out once it is behind the clock).
    const stepped = await t.answer(t.send({ type: 'advance-clock', ms: 5_001 }));
    expect(stepped).toMatchObject({ now: 2_005_001, paused: true });
    expect(await t.answer(blpop)).toMatchObject({ type: 'reply', reply: { t: 'array', v: null } });
    await t.answer(t.send({ type: 'advance-clock', ms: 25_000 }));
    // Expired by the active cycle the step ran: gone from the dict, not just hidden.
    expect(t.engine.dbs[0].dict.size).toBe(0);
    const resumed = await t.answer(t.send({ type: 'clock-control', action: 'resume' }));
    expect(resumed).toMatchObject({ now: 2_030_001, paused: false });
    t.base.advance(1_000);
    expect(await t.answer(t.send({ type: 'clock-control', action: 'get' }))).toMatchObject({
      now: 2_031_001,
      paused: false,
    });
  });

  it('refuses to pause a clock that cannot be paused', async () => {
    const clock = new ManualClock();
    const engine = createEngine({ clock });
    const channel = new MessageChannel();
    const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
      cronMs: 0,
      clock,
    });
    const got: FromWorker[] = [];
    channel.port2.addEventListener('message', (ev: MessageEvent<FromWorker>) => got.push(ev.data));
    channel.port2.start();
    channel.port2.postMessage({ type: 'clock-control', id: 1, action: 'pause' });
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(got[0]).toEqual({ type: 'failed', id: 1, message: "this engine's clock cannot be paused" });
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  });
});

describe('command lines for the event log', () => {
  it('logs each session command while events are watched, long argv cut short', async () => {
    const t = setup();
    current = t;
    t.send({ type: 'open', session: 1, name: 'one' });
    await t.answer(t.send({ type: 'command', session: 1, argv: ['SET', 'before', 'x'] }));
    await t.answer(t.send({ type: 'watch-events', on: true }));
    await t.answer(t.send({ type: 'command', session: 1, argv: ['SET', 'a', '1'] }));
    const zadd = ['ZADD', 'z'];
    for (let i = 0; i < 20; i++) zadd.push(String(i), `m${i}`);
    await t.answer(t.send({ type: 'pipeline', session: 1, commands: [zadd], replies: false }));
    await new Promise((r) => setTimeout(r, 20));
    const events = t.got.flatMap((m) => (m.type === 'events' ? m.events : [])) as EngineEvent[];
    // Propagation and plain key writes stay in the worker (notifications say the same).
    expect(events.some((e) => e.type === 'propagate' || e.type === 'key')).toBe(false);
    expect(events.some((e) => e.type === 'notify' && e.event === 'set' && e.key === 'a')).toBe(true);
    const commands = events.filter((e) => e.type === 'command');
    expect(commands).toEqual([
      { type: 'command', db: 0, client: 'one', argv: ['SET', 'a', '1'], more: 0, at: 2_000_000 },
      {
        type: 'command',
        db: 0,
        client: 'one',
        argv: ['ZADD', 'z', '0', 'm0', '1', 'm1', '2', 'm2'],
        more: 34,
        at: 2_000_000,
      },
    ]);
  });
});
