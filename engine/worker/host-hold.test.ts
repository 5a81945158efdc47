// The host serving from the worker's first chunk (core command groups only) over a real
// MessageChannel: what needs the rest of the engine is held with every later message, in order,
// until complete() — then served as if it had never waited (lab-server.ts, core-gate.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { CORE_COMMANDS } from '../commands/core';
import { ALL_COMMANDS } from '../commands/index';
import { REST_COMMANDS } from '../commands/rest';
import { CommandTable } from '../commands/table';
import { Engine } from '../engine';
import { createRandom } from '../random';
import { needsRest } from './core-gate';
import { EngineHost, LAB_CONFIG } from './host';
import { HOST_PANELS } from './host-panels';
import type { Endpoint, FromWorker, ToWorker } from './protocol';

type Req = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never;

function setup() {
  const table = new CommandTable(CORE_COMMANDS);
  const engine = new Engine({ clock: new ManualClock(), random: createRandom(1), table, config: { ...LAB_CONFIG } });
  const channel = new MessageChannel();
  const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, { cronMs: 0 });
  let wanted = 0;
  host.holdUntilComplete(
    (msg) => needsRest(table, msg),
    () => wanted++,
  );
  const page = channel.port2;
  /** Every answer, in arrival order. */
  const answers: FromWorker[] = [];
  page.addEventListener('message', (ev: MessageEvent<FromWorker>) => answers.push(ev.data));
  page.start();
  let nextId = 1;
  const send = (msg: Req): number => {
    const id = nextId++;
    page.postMessage({ ...msg, id });
    return id;
  };
  const command = (...argv: string[]) => send({ type: 'command', session: 1, argv });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  const answer = (id: number) => answers.find((m) => 'id' in m && m.id === id);
  const reply = (id: number) => {
    const m = answer(id);
    return m?.type === 'reply' ? m.reply : m?.type;
  };
  const order = () => answers.flatMap((m) => ('id' in m ? [m.id] : []));
  const complete = () => {
    table.add(REST_COMMANDS);
    host.complete(HOST_PANELS);
  };
  const dispose = () => {
    host.dispose();
    page.close();
    channel.port1.close();
  };
  return { engine, host, table, send, command, settle, answer, reply, order, complete, wanted: () => wanted, dispose };
}

let current: ReturnType<typeof setup> | null = null;
afterEach(() => {
  current?.dispose();
  current = null;
});
const start = () => {
  current = setup();
  return current;
};

describe('a host serving the core while the rest of the engine loads', () => {
  it('answers core commands at once', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const set = t.command('SET', 'a', '1');
    const get = t.command('GET', 'a');
    await t.settle();
    expect(t.reply(set)).toEqual({ t: 'status', v: 'OK' });
    expect(t.reply(get)).toEqual({ t: 'bulk', v: '1' });
    expect(t.wanted()).toBe(0);
  });

  it('holds a command of a group not loaded yet and every later message, then serves them in order', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const first = t.command('SET', 'a', '1');
    const zadd = t.command('ZADD', 'z', '1', 'm');
    // Core commands, but after the held one: they wait too (no reordering).
    const get = t.command('GET', 'a');
    const set = t.command('SET', 'a', '2');
    const zscore = t.command('ZSCORE', 'z', 'm');
    await t.settle();
    expect(t.reply(first)).toEqual({ t: 'status', v: 'OK' });
    expect([zadd, get, set, zscore].map(t.answer)).toEqual([undefined, undefined, undefined, undefined]);
    expect(t.wanted()).toBeGreaterThan(0);
    t.complete();
    await t.settle();
    expect(t.order()).toEqual([1, first, zadd, get, set, zscore]);
    expect([zadd, get, set, zscore].map(t.reply)).toEqual([
      { t: 'int', v: 1 },
      { t: 'bulk', v: '1' },
      { t: 'status', v: 'OK' },
      { t: 'double', v: 1 },
    ]);
  });

  it('answers an unknown name only once every group is loaded, with unknown command', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const bogus = t.command('NOSUCHCMD', 'x');
    await t.settle();
    expect(t.answer(bogus)).toBeUndefined();
    t.complete();
    await t.settle();
    expect(t.reply(bogus)).toEqual({
      t: 'error',
      v: "ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' ",
    });
  });

  it('queues a held command inside MULTI in its place', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const ids = [
      t.command('MULTI'),
      t.command('SET', 'k', 'v'),
      t.command('LPUSH', 'l', 'x'),
      t.command('GET', 'k'),
      t.command('EXEC'),
    ];
    await t.settle();
    expect(ids.map(t.reply)).toEqual([
      { t: 'status', v: 'OK' },
      { t: 'status', v: 'QUEUED' },
      undefined,
      undefined,
      undefined,
    ]);
    t.complete();
    await t.settle();
    expect(ids.slice(2).map(t.reply)).toEqual([
      { t: 'status', v: 'QUEUED' },
      { t: 'status', v: 'QUEUED' },
      {
        t: 'array',
        v: [
          { t: 'status', v: 'OK' },
          { t: 'int', v: 1 },
          { t: 'bulk', v: 'v' },
        ],
      },
    ]);
  });

  it('holds a pipeline with any command of the rest, whole', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const p = t.send({
      type: 'pipeline',
      session: 1,
      commands: [
        ['SET', 'a', '1'],
        ['SADD', 's', 'x'],
      ],
      replies: true,
    });
    await t.settle();
    expect(t.answer(p)).toBeUndefined();
    t.complete();
    await t.settle();
    expect(t.answer(p)).toEqual({
      type: 'pipeline-done',
      id: p,
      count: 2,
      replies: [
        { t: 'status', v: 'OK' },
        { t: 'int', v: 1 },
      ],
    });
  });

  it('holds what reads the whole table or persistence (COMMAND COUNT, INFO, CONFIG, FLUSHALL) and panel queries', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    const count = t.command('COMMAND', 'COUNT');
    await t.settle();
    expect(t.answer(count)).toBeUndefined();
    t.complete();
    await t.settle();
    expect(t.reply(count)).toEqual({ t: 'int', v: ALL_COMMANDS.length });
    for (const argv of [['INFO'], ['CONFIG', 'GET', 'save'], ['FLUSHALL'], ['SHUTDOWN']]) {
      const table = new CommandTable(CORE_COMMANDS);
      expect(needsRest(table, { type: 'command', id: 1, session: 1, argv })).toBe(true);
    }
    const table = new CommandTable(CORE_COMMANDS);
    expect(needsRest(table, { type: 'inspect', id: 1, query: { kind: 'memory', top: 1 } })).toBe(true);
    expect(needsRest(table, { type: 'advance-clock', id: 1, ms: 10 })).toBe(true);
    expect(needsRest(table, { type: 'command', id: 1, session: 1, argv: ['FLUSHDB'] })).toBe(false);
  });

  it('answers hello with the core docs at once, and docs with every command once complete', async () => {
    const t = start();
    const hello = t.send({ type: 'hello' });
    const docs = t.send({ type: 'docs' });
    t.send({ type: 'open', session: 1 });
    const set = t.command('SET', 'a', '1');
    await t.settle();
    const ready = t.answer(hello);
    expect(ready?.type === 'ready' && ready.docs.length).toBe(CORE_COMMANDS.length);
    // The docs request waits, but holds nothing back.
    expect(t.answer(docs)).toBeUndefined();
    expect(t.reply(set)).toEqual({ t: 'status', v: 'OK' });
    expect(t.wanted()).toBe(1);
    t.complete();
    await t.settle();
    const all = t.answer(docs);
    expect(all?.type === 'ready' && all.docs.map((d) => d.name).sort()).toEqual(ALL_COMMANDS.map((c) => c.name).sort());
  });

  it('serves sessions opened meanwhile, and inspect queries once complete', async () => {
    const t = start();
    t.send({ type: 'open', session: 1 });
    t.command('SET', 'a', '1');
    const inspect = t.send({ type: 'inspect', query: { kind: 'key', db: 0, key: 'a', limit: 5 } });
    await t.settle();
    expect(t.answer(inspect)).toBeUndefined();
    t.complete();
    await t.settle();
    expect(t.answer(inspect)).toMatchObject({ type: 'inspected', result: { kind: 'key' } });
  });
});

describe('the two command groups', () => {
  it('split every command between the core and the rest, none in both', () => {
    const core = CORE_COMMANDS.map((c) => c.name);
    const rest = REST_COMMANDS.map((c) => c.name);
    expect(new Set([...core, ...rest]).size).toBe(core.length + rest.length);
    expect([...core, ...rest].sort()).toEqual(ALL_COMMANDS.map((c) => c.name).sort());
    expect(core).toEqual(expect.arrayContaining(['GET', 'SET', 'DEL', 'EXPIRE', 'MULTI', 'PING', 'SELECT', 'PUBLISH']));
    // CLIENT (with client-side caching) and ACL wait for the second chunk.
    expect(rest).toEqual(expect.arrayContaining(['CLIENT', 'ACL', 'ZADD']));
  });

  it('leave out no command a group file gathers', () => {
    const modules = import.meta.glob<Record<string, unknown>>(['../commands/*.ts', '!../commands/*.test.ts'], {
      eager: true,
    });
    const gathered = new Set(ALL_COMMANDS);
    let groups = 0;
    for (const [file, exports] of Object.entries(modules)) {
      for (const [name, value] of Object.entries(exports)) {
        if (!name.endsWith('_COMMANDS') || name === 'ALL_COMMANDS' || !Array.isArray(value)) continue;
        groups++;
        for (const spec of value) expect(gathered.has(spec), `${file} ${name} ${spec.name}`).toBe(true);
      }
    }
    expect(groups).toBeGreaterThan(15);
  });
});
