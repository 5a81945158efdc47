// The worker host served over a real MessageChannel, as the page talks to it. Test-only commands
// (test-commands.ts) stand in for blocking, pushes to one client and CLIENT KILL, so the host's
// handling of each is checked independently of those command groups.

import { afterEach, describe, expect, it } from 'vitest';
import { array, bulk, OK } from '../protocol/reply';
import type { Engine } from '../engine';
import { createEngine } from '../index';
import type { VirtualDisk } from '../persistence/disk';
import { EngineHost, MemoryFileStore } from './host';
import { persistenceSettings, restartServer } from './restart';
import type { Answer, Endpoint, FromWorker, ToWorker } from './protocol';
import { SYNC_BUFFER_BYTES, SyncReader } from './sync-reply';
import { createTestEngine } from './test-commands';
import { ManualClock } from '../clock';

function setup(opts: { maxEventsPerBatch?: number } = {}) {
  const { engine } = createTestEngine();
  const channel = new MessageChannel();
  const files = new MemoryFileStore();
  const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
    files,
    cronMs: 0,
    eventBatchMs: 5,
    maxEventsPerBatch: opts.maxEventsPerBatch,
  });
  const page = channel.port2;
  const unsolicited: FromWorker[] = [];
  const waiters = new Map<number, (m: FromWorker) => void>();
  const interim: FromWorker[] = [];
  page.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
    const m = ev.data;
    if (m.type === 'blocked') interim.push(m);
    else if ('id' in m && waiters.has(m.id)) {
      waiters.get(m.id)?.(m);
      waiters.delete(m.id);
    } else unsolicited.push(m);
  });
  page.start();
  let nextId = 1;
  type Req = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never;
  function request<M extends Req>(msg: M, transfer?: Transferable[]): Promise<Answer<M['type']>> {
    const id = nextId++;
    return new Promise((resolve) => {
      waiters.set(id, resolve as (m: FromWorker) => void);
      page.postMessage({ ...msg, id }, transfer ?? []);
    });
  }
  const run = async (session: number, ...argv: string[]) => {
    const m = await request({ type: 'command', session, argv });
    return m.type === 'reply' ? m.reply : m.type;
  };
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 2));
  };
  const dispose = () => {
    host.dispose();
    page.close();
    channel.port1.close();
  };
  return { engine, host, files, request, run, unsolicited, interim, until, dispose };
}

let current: ReturnType<typeof setup> | null = null;
afterEach(() => {
  current?.dispose();
  current = null;
});
const start = (opts?: { maxEventsPerBatch?: number }) => {
  current = setup(opts);
  return current;
};

describe('engine host over a MessageChannel', () => {
  it('answers hello with clonable command docs for hints and HELP', async () => {
    const { request } = start();
    const ready = await request({ type: 'hello' });
    const get = ready.docs.find((d) => d.name === 'GET');
    expect(get).toMatchObject({ group: 'string', args: [{ name: 'key', type: 'key' }] });
    expect(ready.docs.some((d) => d.name === 'TESTPUSH')).toBe(true);
  });

  it('runs each session as its own client and reports its state with every reply', async () => {
    const { request, run } = start();
    const a = await request({ type: 'open', session: 1 });
    const b = await request({ type: 'open', session: 2 });
    expect(a.state.clientId).not.toBe(b.state.clientId);
    expect(await run(1, 'SET', 'k', 'v\xff')).toEqual(OK);
    const reply = await request({ type: 'command', session: 2, argv: ['GET', 'k'] });
    expect(reply).toMatchObject({ type: 'reply', reply: bulk('v\xff'), state: { db: 0, resp: 2, inMulti: false } });
    expect(await run(1, 'NOSUCH')).toMatchObject({ t: 'error' });
  });

  it('answers a blocked command when it is served, with the id it was sent with', async () => {
    const { request, run, interim, until } = start();
    await request({ type: 'open', session: 1 });
    await request({ type: 'open', session: 2 });
    const blocked = request({ type: 'command', session: 1, argv: ['TESTBLOCK'] });
    await until(() => interim.length > 0);
    expect(interim[0]).toMatchObject({ type: 'blocked', session: 1 });
    expect(await run(2, 'TESTWAKE')).toEqual({ t: 'int', v: 1 });
    expect(await blocked).toMatchObject({ type: 'reply', session: 1, reply: bulk('woken') });
  });

  it('sends replies outside a request as pushes to the right session', async () => {
    const { request, run, unsolicited, until } = start();
    const a = await request({ type: 'open', session: 1 });
    await request({ type: 'open', session: 2 });
    await run(2, 'TESTPUSH', String(a.state.clientId), 'hi');
    await until(() => unsolicited.length > 0);
    expect(unsolicited).toEqual([
      { type: 'push', session: 1, resp: 2, reply: array([bulk('message'), bulk('hi')]), cli: null },
    ]);
  });

  it('formats replies and pushes as redis-cli text for terminal sessions', async () => {
    const { request, run, unsolicited, interim, until } = start();
    await request({ type: 'open', session: 1, output: 'cli' });
    const b = await request({ type: 'open', session: 2 });
    await run(2, 'SET', 'k', '"v"');
    const get = await request({ type: 'command', session: 1, argv: ['GET', 'k'] });
    expect(get).toMatchObject({ type: 'reply', reply: null, cli: { text: '"\\"v\\""\r\n', kind: 'bulk', nil: false } });
    const info = await request({ type: 'command', session: 1, argv: ['INFO', 'keyspace'] });
    expect(info.type === 'reply' && info.cli?.text.startsWith('# Keyspace\r\n')).toBe(true);
    const nil = await request({ type: 'command', session: 1, argv: ['GET', 'nope'] });
    expect(nil).toMatchObject({ cli: { text: '(nil)\r\n', nil: true } });
    // A blocked command's reply is formatted for its own argv when it arrives.
    const blocked = request({ type: 'command', session: 1, argv: ['TESTBLOCK'] });
    await until(() => interim.length > 0);
    await run(2, 'TESTWAKE');
    expect(await blocked).toMatchObject({ cli: { text: '"woken"\r\n' } });
    const a = (await request({ type: 'command', session: 1, argv: ['CLIENT', 'ID'] })) as {
      state: { clientId: number };
    };
    await run(2, 'TESTPUSH', String(a.state.clientId), 'hi');
    await until(() => unsolicited.length > 0);
    expect(unsolicited[0]).toMatchObject({ type: 'push', reply: null, cli: { text: '1) "message"\r\n2) "hi"\r\n' } });
    expect(b.state.clientId).not.toBe(a.state.clientId);
  });

  it('interrupts a blocked wait by unblocking the client, keeping its connection (LAB)', async () => {
    const { request, run, interim, until } = start();
    const before = await request({ type: 'open', session: 1 });
    await request({ type: 'open', session: 2 });
    const blocked = request({ type: 'command', session: 1, argv: ['BLPOP', 'q', '0'] });
    await until(() => interim.length > 0);
    const after = await request({ type: 'interrupt', session: 1 });
    expect(after.state.clientId).toBe(before.state.clientId);
    // The abandoned request gets the timeout reply; nothing is left waiting.
    expect(await blocked).toMatchObject({ type: 'reply', reply: { t: 'array', v: null } });
    expect(await run(2, 'LPUSH', 'q', 'x')).toEqual({ t: 'int', v: 1 });
    expect(await run(1, 'LLEN', 'q')).toEqual({ t: 'int', v: 1 });
  });

  it('interrupts MONITOR and subscriptions with a new connection, as redis-cli reconnects', async () => {
    const { request, run, engine } = start();
    const first = await request({ type: 'open', session: 1 });
    await run(1, 'SELECT', '2');
    await run(1, 'SUBSCRIBE', 'ch');
    const second = await request({ type: 'interrupt', session: 1 });
    expect(second.state).toMatchObject({ db: 2, subscriptions: 0 });
    expect(engine.clients.has(first.state.clientId)).toBe(false);
    await run(1, 'MONITOR');
    const third = await request({ type: 'interrupt', session: 1 });
    expect(third.state).toMatchObject({ db: 2, monitor: false });
    expect(third.state.clientId).not.toBe(second.state.clientId);
    // Interrupting an idle session changes nothing.
    expect((await request({ type: 'interrupt', session: 1 })).state.clientId).toBe(third.state.clientId);
  });

  it('reports a connection the engine closed on the next command, then reconnects', async () => {
    const { request, run, unsolicited, until } = start();
    const a = await request({ type: 'open', session: 1 });
    await request({ type: 'open', session: 2 });
    await run(2, 'TESTKILL', String(a.state.clientId));
    await until(() => unsolicited.length > 0);
    expect(unsolicited).toEqual([{ type: 'closed', session: 1 }]);
    expect(await run(1, 'GET', 'k')).toBe('disconnected');
    expect(await run(1, 'GET', 'k')).toEqual({ t: 'bulk', v: null });
  });

  it('runs a pipeline in one message, with or without replies', async () => {
    const { request } = start();
    await request({ type: 'open', session: 1 });
    const commands = Array.from({ length: 1000 }, (_, i) => ['SET', `key:${i}`, String(i)]);
    expect(await request({ type: 'pipeline', session: 1, commands, replies: false })).toEqual({
      type: 'pipeline-done',
      id: expect.any(Number),
      count: 1000,
      replies: null,
    });
    const done = await request({
      type: 'pipeline',
      session: 1,
      commands: [
        ['GET', 'key:7'],
        ['GET', 'nope'],
      ],
      replies: true,
    });
    expect(done).toMatchObject({ count: 2, replies: [bulk('7'), bulk(null)] });
    const summary = await request({ type: 'inspect', query: { kind: 'summary' } });
    expect(summary.result).toMatchObject({ kind: 'summary', summary: { dbs: [{ db: 0, keys: 1000, expires: 0 }] } });
    const keys = await request({ type: 'inspect', query: { kind: 'keys', db: 0, limit: 5 } });
    expect(keys.result.kind === 'keys' && keys.result.keys.length).toBe(5);
  });

  it('batches engine events while they are watched, counting what does not fit', async () => {
    const { request, unsolicited, until } = start({ maxEventsPerBatch: 50 });
    await request({ type: 'open', session: 1 });
    await request({ type: 'pipeline', session: 1, commands: [['SET', 'a', '1']], replies: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(unsolicited).toEqual([]); // nobody watching: nothing sent
    await request({ type: 'watch-events', on: true });
    const commands = Array.from({ length: 100 }, (_, i) => ['SET', `k${i}`, 'v']);
    await request({ type: 'pipeline', session: 1, commands, replies: false });
    await until(() => unsolicited.length > 0);
    expect(unsolicited).toHaveLength(1);
    const batch = unsolicited[0];
    expect(batch.type).toBe('events');
    if (batch.type === 'events') {
      expect(batch.events.length).toBe(50);
      expect(batch.events.length + batch.dropped).toBeGreaterThanOrEqual(100);
    }
  });

  it('moves files as transferable ArrayBuffers both ways', async () => {
    const { request, files } = start();
    const bytes = new Uint8Array([0x52, 0x45, 0x44, 0x49, 0x53, 0x00, 0xff]);
    const buffer = bytes.slice().buffer;
    await request({ type: 'file-write', name: 'dump.rdb', data: buffer }, [buffer]);
    expect(buffer.byteLength).toBe(0); // transferred, not copied
    expect(files.read('dump.rdb')).toEqual(bytes);
    const file = await request({ type: 'file-read', name: 'dump.rdb' });
    expect(file.data && new Uint8Array(file.data)).toEqual(bytes);
    expect((await request({ type: 'file-read', name: 'nope.aof' })).data).toBeNull();
  });

  it('runs serverCron on a timer, so a blocking command times out', async () => {
    const channel = new MessageChannel();
    const clock = new ManualClock(Date.now());
    const { engine } = createTestEngine(clock);
    const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, { cronMs: 10 });
    const got: FromWorker[] = [];
    channel.port2.addEventListener('message', (ev: MessageEvent<FromWorker>) => got.push(ev.data));
    channel.port2.start();
    channel.port2.postMessage({ type: 'open', id: 1, session: 1 });
    channel.port2.postMessage({ type: 'command', id: 2, session: 1, argv: ['BLPOP', 'q', '5'] });
    await new Promise((r) => setTimeout(r, 30));
    expect(got.map((m) => m.type)).toEqual(['opened', 'blocked']);
    // Past the deadline (Redis times out once the deadline is behind the clock).
    clock.advance(6000);
    for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(got[2]).toMatchObject({ type: 'reply', id: 2, reply: { t: 'array', v: null } });
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  });

  it('keeps serving other sessions while a script loops: BUSY, then SCRIPT KILL stops it', async () => {
    const { request, run, interim, until } = start();
    await request({ type: 'open', session: 1 });
    await request({ type: 'open', session: 2 });
    expect(await run(2, 'CONFIG', 'SET', 'busy-reply-threshold', '50')).toEqual({ t: 'status', v: 'OK' });
    const looping = request({ type: 'command', session: 1, argv: ['EVAL', 'while true do end', '0'] });
    await until(() => interim.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(await run(2, 'GET', 'k')).toEqual({
      t: 'error',
      v: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
    });
    expect(await run(2, 'SCRIPT', 'KILL')).toEqual({ t: 'status', v: 'OK' });
    const r = await looping;
    expect(r.type === 'reply' && r.reply?.t === 'error' && r.reply.v).toMatch(
      /^ERR Script killed by user with SCRIPT KILL/,
    );
    expect(await run(1, 'PING')).toEqual({ t: 'status', v: 'PONG' });
  });

  it('answers a request it cannot serve with failed, and keeps serving', async () => {
    const { request, run } = start();
    const failed = (await request({ type: 'command', session: 9, argv: ['PING'] })) as FromWorker;
    expect(failed).toMatchObject({ type: 'failed', message: 'no session 9' });
    await request({ type: 'open', session: 9 });
    expect(await run(9, 'GET', 'k')).toEqual({ t: 'bulk', v: null });
  });
  it('moves the clock forward on advance-clock, expiring keys and timing out blocked clients', async () => {
    const clock = new ManualClock(1_000_000);
    const { engine } = createTestEngine(clock);
    const channel = new MessageChannel();
    const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
      cronMs: 0,
      clock,
    });
    const got: FromWorker[] = [];
    channel.port2.addEventListener('message', (ev: MessageEvent<FromWorker>) => got.push(ev.data));
    channel.port2.start();
    const next = async (n: number) => {
      for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setTimeout(r, 2));
      return got[n - 1];
    };
    channel.port2.postMessage({ type: 'open', id: 1, session: 1 });
    channel.port2.postMessage({ type: 'open', id: 2, session: 2 });
    channel.port2.postMessage({ type: 'command', id: 3, session: 1, argv: ['SET', 'k', 'v', 'EX', '10'] });
    channel.port2.postMessage({ type: 'command', id: 4, session: 2, argv: ['BLPOP', 'q', '5'] });
    expect(await next(4)).toMatchObject({ type: 'blocked', id: 4 });
    channel.port2.postMessage({ type: 'advance-clock', id: 5, ms: 6000 });
    // The cron run by the advance times the BLPOP out before the clock answer goes back.
    expect(await next(5)).toMatchObject({ type: 'reply', id: 4, reply: { t: 'array', v: null } });
    expect(await next(6)).toEqual({ type: 'clock', id: 5, now: 1_006_000, paused: false });
    channel.port2.postMessage({ type: 'command', id: 6, session: 1, argv: ['TTL', 'k'] });
    expect(await next(7)).toMatchObject({ type: 'reply', id: 6, reply: { t: 'int', v: 4 } });
    channel.port2.postMessage({ type: 'advance-clock', id: 7, ms: 4001 });
    await next(8);
    channel.port2.postMessage({ type: 'command', id: 8, session: 1, argv: ['EXISTS', 'k'] });
    expect(await next(9)).toMatchObject({ type: 'reply', id: 8, reply: { t: 'int', v: 0 } });
    channel.port2.postMessage({ type: 'advance-clock', id: 9, ms: -5 });
    expect(await next(10)).toEqual({ type: 'failed', id: 9, message: 'the clock only moves forward' });
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  });

  it('refuses advance-clock when the engine was given no movable clock', async () => {
    const { request } = start();
    const failed = (await request({ type: 'advance-clock', ms: 1000 })) as FromWorker;
    expect(failed).toMatchObject({ type: 'failed', message: "this engine's clock cannot be moved" });
  });
  it('restarts the server on its disk after a crash, reconnecting every session', async () => {
    const clock = new ManualClock(1_000_000);
    const make = (disk?: VirtualDisk, previous?: Engine) =>
      createEngine({ clock, seed: 1, disk, config: previous ? persistenceSettings(previous) : {} });
    const first = make();
    const channel = new MessageChannel();
    const host = new EngineHost(first, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
      cronMs: 0,
      restart: (how, previous) => restartServer(previous, how, (disk) => make(disk, previous)),
      clock,
    });
    const got = new Map<number, FromWorker>();
    channel.port2.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
      if ('id' in ev.data) got.set(ev.data.id, ev.data);
    });
    channel.port2.start();
    let id = 0;
    const ask = async (msg: Record<string, unknown>) => {
      const n = ++id;
      channel.port2.postMessage({ ...msg, id: n });
      for (let i = 0; i < 200 && !got.has(n); i++) await new Promise((r) => setTimeout(r, 2));
      return got.get(n);
    };
    const cmd = (...argv: string[]) => ask({ type: 'command', session: 1, argv });
    await ask({ type: 'open', session: 1 });
    await cmd('CONFIG', 'SET', 'appendonly', 'yes');
    // Turning the AOF on rewrites it first (in a child); a moment later the log exists.
    await ask({ type: 'advance-clock', ms: 1000 });
    await cmd('CONFIG', 'SET', 'appendfsync', 'always');
    await cmd('SET', 'kept', '1');
    const crashed = await ask({ type: 'restart', how: 'power' });
    expect(crashed).toMatchObject({ type: 'restarted', report: { source: 'aof', ok: true, crash: { kind: 'power' } } });
    expect(host.engine).not.toBe(first);
    // The same session talks to the new server, which loaded the AOF and kept the settings.
    expect(await cmd('GET', 'kept')).toMatchObject({ type: 'reply', reply: { t: 'bulk', v: '1' } });
    expect(await cmd('CONFIG', 'GET', 'appendfsync')).toMatchObject({
      reply: { v: [[{ v: 'appendfsync' }, { v: 'always' }]] },
    });
    await cmd('CONFIG', 'SET', 'appendonly', 'no');
    await cmd('CONFIG', 'SET', 'save', '');
    const restarted = await ask({ type: 'restart', how: 'restart' });
    expect(restarted).toMatchObject({ type: 'restarted', report: { crash: null } });
    expect(await cmd('EXISTS', 'kept')).toMatchObject({ reply: { t: 'int', v: 0 } });
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  });

  it('publishes a terminal reply awaited on the shared buffer, after the messages that precede it, and beats', async () => {
    const { request, run } = start();
    const reader = new SyncReader(new SharedArrayBuffer(SYNC_BUFFER_BYTES));
    await request({ type: 'share', buffer: reader.buffer });
    const a = await request({ type: 'open', session: 1, output: 'cli' });
    await request({ type: 'open', session: 2 });
    const beat = reader.pulse().beat;
    // Session 1 has had 'opened' and now a push: its reply comes third.
    await run(2, 'TESTPUSH', String(a.state.clientId), 'hi');
    const reply = await request({ type: 'command', session: 1, argv: ['GET', 'nokey'], sync: true });
    const got = reader.wait(reply.id, 0, () => 0);
    expect(got).not.toBeNull();
    expect(got?.before).toBe(2);
    expect(reply.type).toBe('reply');
    const state = reply.type === 'reply' ? reply.state : null;
    expect(JSON.parse(got?.payload ?? '')).toEqual({ cli: { text: '(nil)\r\n', kind: 'bulk', nil: true }, state });
    expect(reader.pulse()).toEqual({ beat: beat + 2, busy: false });
    // A command that blocks publishes "no reply now"; one sent without `sync` publishes nothing.
    const blocked = request({ type: 'command', session: 1, argv: ['TESTBLOCK'], sync: true });
    await run(2, 'TESTWAKE');
    const late = await blocked;
    expect(reader.wait(late.id, 0, () => 0)).toBeNull();
    const plain = await request({ type: 'command', session: 1, argv: ['PING'] });
    expect(reader.wait(plain.id, 0, () => 0)).toBeNull();
  });

  it('refuses restart when it has no way to build a new server', async () => {
    const { request } = start();
    const failed = (await request({ type: 'restart', how: 'kill' })) as FromWorker;
    expect(failed).toMatchObject({ type: 'failed', message: 'this engine cannot crash or restart' });
  });
});
