// The engine client's bookkeeping without a worker: answers matched to requests by id, the busy
// signal while a command runs long (but not while it is blocked), pushes routed to sessions, and
// engine events handed over once per frame.

import { describe, expect, it } from 'vitest';
import { bulk } from '../../engine/protocol/reply';
import type { Endpoint, FromWorker, ToWorker } from '../../engine/worker/protocol';
import { EngineClient } from './engine-client';
import { EventChannel } from './event-channel';

/** A worker stand-in: records requests, answers when told. */
function fakeWorker() {
  const sent: ToWorker[] = [];
  let listener: ((ev: { data: FromWorker }) => void) | null = null;
  const port: Endpoint<FromWorker, ToWorker> = {
    postMessage: (m) => sent.push(m),
    addEventListener: (_t, l) => {
      listener = l;
    },
  };
  return { port, sent, answer: (m: FromWorker) => listener?.({ data: m }) };
}

function manualTimers() {
  const due: (() => void)[] = [];
  return {
    timers: { setTimeout: (fn: () => void) => due.push(fn), clearTimeout: () => {} },
    fire: () => {
      for (const f of due.splice(0)) f();
    },
  };
}

const state = { clientId: 1, db: 0, resp: 2 as const, subscriptions: 0, inMulti: false, monitor: false };
const runFrames = (frames: (() => void)[]) => {
  for (const f of frames.splice(0)) f();
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('engine client', () => {
  it('matches answers to requests by id, whatever their order', async () => {
    const w = fakeWorker();
    const client = new EngineClient(w.port, { busyAfterMs: 0, timers: manualTimers().timers });
    const a = client.command(1, ['GET', 'a']);
    const b = client.command(2, ['GET', 'b']);
    const [ida, idb] = w.sent.map((m) => m.id);
    w.answer({ type: 'reply', id: idb, session: 2, reply: bulk('B'), cli: null, state });
    w.answer({ type: 'reply', id: ida, session: 1, reply: bulk('A'), cli: null, state });
    expect(await a).toEqual({ kind: 'reply', reply: bulk('A'), cli: null, state });
    expect(await b).toEqual({ kind: 'reply', reply: bulk('B'), cli: null, state });
  });

  it('is busy while a command runs past the threshold, and not while it is blocked', async () => {
    const w = fakeWorker();
    const t = manualTimers();
    const client = new EngineClient(w.port, { busyAfterMs: 0, timers: t.timers });
    const changes: boolean[] = [];
    client.onBusy((b) => changes.push(b));
    const slow = client.command(1, ['DEBUG', 'SLEEP', '5']);
    t.fire();
    expect(client.busy).toBe(true);
    w.answer({ type: 'reply', id: w.sent[0].id, session: 1, reply: bulk('OK'), cli: null, state });
    await slow;
    expect(client.busy).toBe(false);
    let blockedSeen = false;
    void client.command(1, ['BLPOP', 'q', '0'], () => {
      blockedSeen = true;
    });
    w.answer({ type: 'blocked', id: w.sent[1].id, session: 1 });
    t.fire();
    expect(blockedSeen).toBe(true);
    expect(client.busy).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('rejects a request the worker could not serve', async () => {
    const w = fakeWorker();
    const client = new EngineClient(w.port, { timers: manualTimers().timers });
    const p = client.inspect({ kind: 'summary' });
    w.answer({ type: 'failed', id: w.sent[0].id, message: 'boom' });
    await expect(p).rejects.toThrow('boom');
  });

  it('routes pushes and closes to their session', async () => {
    const w = fakeWorker();
    const client = new EngineClient(w.port, { timers: manualTimers().timers });
    const got: string[] = [];
    const opened = client.open(7, { push: (m) => got.push(JSON.stringify(m.reply)), closed: () => got.push('closed') });
    w.answer({ type: 'opened', id: w.sent[0].id, session: 7, state });
    await opened;
    w.answer({ type: 'push', session: 7, reply: bulk('m'), cli: null, resp: 2 });
    w.answer({ type: 'push', session: 8, reply: bulk('other'), cli: null, resp: 2 });
    w.answer({ type: 'closed', session: 7 });
    expect(got).toEqual([JSON.stringify(bulk('m')), 'closed']);
  });

  it('watches engine events only while someone listens, and counts drops', async () => {
    const w = fakeWorker();
    const frames: (() => void)[] = [];
    const client = new EngineClient(w.port, { schedule: (f) => frames.push(f), timers: manualTimers().timers });
    const batches: number[] = [];
    const off = client.events.subscribe((b) => batches.push(b.length));
    expect(w.sent.at(-1)).toMatchObject({ type: 'watch-events', on: true });
    const ev = { type: 'flush' as const, db: 0 };
    w.answer({ type: 'events', events: [ev, ev], dropped: 0 });
    w.answer({ type: 'events', events: [ev], dropped: 5 });
    expect(batches).toEqual([]);
    runFrames(frames);
    expect(batches).toEqual([3]);
    expect(client.droppedEvents).toBe(5);
    off();
    expect(w.sent.at(-1)).toMatchObject({ type: 'watch-events', on: false });
    await tick();
  });
});

describe('event channel', () => {
  it('delivers everything pushed within a frame as one batch', () => {
    const frames: (() => void)[] = [];
    const ch = new EventChannel<number>((f) => frames.push(f));
    const got: number[][] = [];
    ch.subscribe((b) => got.push([...b]));
    ch.push([1, 2]);
    ch.push([3]);
    expect(frames.length).toBe(1);
    runFrames(frames);
    ch.push([4]);
    runFrames(frames);
    expect(got).toEqual([[1, 2, 3], [4]]);
  });

  it('keeps nothing when nobody listens', () => {
    const frames: (() => void)[] = [];
    const ch = new EventChannel<number>((f) => frames.push(f));
    ch.push([1]);
    expect(frames.length).toBe(0);
  });

  it('after a worker crash: commands in flight end disconnected, sessions reopen on the new worker, listeners hear why', async () => {
    const old = fakeWorker();
    const client = new EngineClient(old.port, { busyAfterMs: 0, timers: manualTimers().timers });
    const handlers = { push: () => {}, closed: () => {} };
    const opening = client.open(3, handlers, { output: 'cli', name: 'three' });
    old.answer({ type: 'opened', id: old.sent[0].id, session: 3, state });
    await opening;
    const blpop = client.command(3, ['BLPOP', 'q', '0']);
    const docs = client.inspect({ kind: 'summary' });
    const heard: string[] = [];
    client.onRestart((reason) => heard.push(reason));

    const fresh = fakeWorker();
    const replaced = client.replaceWorker(fresh.port, 'DEBUG SEGFAULT');
    expect(await blpop).toEqual({ kind: 'disconnected' });
    await expect(docs).rejects.toThrow('the engine worker crashed (DEBUG SEGFAULT)');
    // The new worker is greeted, then the session opened again as it was.
    expect(fresh.sent.map((m) => m.type)).toEqual(['hello']);
    fresh.answer({ type: 'ready', id: fresh.sent[0].id, docs: [] });
    await tick();
    expect(fresh.sent[1]).toMatchObject({ type: 'open', session: 3, name: 'three', output: 'cli' });
    expect(heard).toEqual([]);
    fresh.answer({ type: 'opened', id: fresh.sent[1].id, session: 3, state });
    await replaced;
    expect(heard).toEqual(['DEBUG SEGFAULT']);
    // The new worker serves the session's commands.
    const get = client.command(3, ['GET', 'k']);
    fresh.answer({ type: 'reply', id: fresh.sent[2].id, session: 3, reply: bulk('v'), cli: null, state });
    expect(await get).toEqual({ kind: 'reply', reply: bulk('v'), cli: null, state });
  });
});
