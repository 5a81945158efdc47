import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Engine } from '../engine';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
import { persistenceOf } from '../persistence/lifecycle';
import { MemoryStorage } from '../persistence/storage/memory';
import { EngineHost, LAB_CONFIG } from './host';
import {
  ANOTHER_TAB,
  type BrowserEnv,
  keepLabConfig,
  LAB_CONF,
  openLabStorage,
  readLabConfig,
  writeLabConfig,
} from './lab-storage';
import type { Endpoint, FromWorker, ToWorker } from './protocol';
import type { EngineRest } from './lab-server';
import { labServer } from './lab-server';
import { restartServer, persistenceSettings } from './restart';
import { startWorker, type WorkerSetup } from './start';

/** A worker scope stand-in: what the worker posts is kept, `deliver` plays a page message. */
class FakeScope implements Endpoint<ToWorker, FromWorker> {
  readonly posted: FromWorker[] = [];
  private readonly listeners: ((ev: { data: ToWorker }) => void)[] = [];
  postMessage(message: FromWorker): void {
    this.posted.push(message);
  }
  addEventListener(_type: 'message', listener: (ev: { data: ToWorker }) => void): void {
    this.listeners.push(listener);
  }
  deliver(data: ToWorker): void {
    for (const l of this.listeners.slice()) l({ data });
  }
}

const NOTHING: BrowserEnv = { syncHandles: false };
/** What the server loaded at start, as the worker reads it (worker.ts). */
const REPORT = (engine: Engine) => persistenceOf(engine).lastLoadReport;

describe('redis-lab.conf', () => {
  it('round-trips the kept settings, quoting empty and spaced values, ignoring other names', () => {
    const s = new MemoryStorage();
    writeLabConfig(s, { appendonly: 'yes', save: '', appendfsync: 'always' });
    expect(new TextDecoder().decode(s.read(LAB_CONF) ?? new Uint8Array())).toContain('save ""');
    expect(readLabConfig(s)).toEqual({ appendonly: 'yes', save: '', appendfsync: 'always' });
    s.writeFile(LAB_CONF, new TextEncoder().encode('save "900 1 300 10"\nmaxmemory 10mb\n# comment\n'));
    expect(readLabConfig(s)).toEqual({ save: '900 1 300 10' });
    expect(readLabConfig(new MemoryStorage())).toEqual({});
  });

  it('is rewritten when CONFIG SET changes a kept setting, not for others', () => {
    const s = new MemoryStorage();
    const engine = keepLabConfig(createEngine({ clock: new ManualClock(), seed: 1 }), s, () => {});
    const c = engine.createClient();
    engine.dispatch(c, ['CONFIG', 'SET', 'maxmemory', '10mb']);
    expect(s.exists(LAB_CONF)).toBe(false);
    engine.dispatch(c, ['CONFIG', 'SET', 'appendfsync', 'always']);
    engine.dispatch(c, ['CONFIG', 'SET', 'save', '']);
    expect(readLabConfig(s)).toMatchObject({ appendfsync: 'always', save: '', appendonly: 'no' });
  });
});

describe('openLabStorage', () => {
  it('falls back to memory, saying why, when the browser has neither OPFS nor IndexedDB', async () => {
    const lab = await openLabStorage(NOTHING);
    expect(lab.kind).toBe('memory');
    expect(lab.note).toMatch(/no OPFS or IndexedDB/);
  });

  it('runs in memory when another tab holds the lab’s Web Lock', async () => {
    const locks = {
      request: (_name: string, opts: { signal?: AbortSignal }) =>
        new Promise((_resolve, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    } as unknown as LockManager;
    const lab = await openLabStorage({ ...NOTHING, locks });
    expect(lab).toMatchObject({ kind: 'memory', note: ANOTHER_TAB });
  });
});

describe('startWorker', () => {
  it('serves messages that arrived while the storage opened, after telling where the data lives', async () => {
    const scope = new FakeScope();
    const clock = new ManualClock();
    const started = startWorker(
      scope,
      ({ storage, settings, keep }) =>
        new EngineHost(
          keep(createEngine({ clock, disk: new VirtualDisk(storage, clock), config: { ...LAB_CONFIG, ...settings } })),
          scope,
          { clock, cronMs: 0 },
        ),
      REPORT,
      NOTHING,
    );
    scope.deliver({ type: 'hello', id: 1 });
    scope.deliver({ type: 'open', id: 2, session: 1 });
    scope.deliver({ type: 'command', id: 3, session: 1, argv: ['SET', 'k', 'v'] });
    const host = await started;
    expect(scope.posted.map((m) => m.type)).toEqual(['storage', 'ready', 'opened', 'reply']);
    expect(scope.posted[0]).toMatchObject({ type: 'storage', status: { kind: 'memory', error: null, startup: null } });
    host.dispose();
  });

  it('answers the test-only storage limit, and a write over it fails as a full quota', async () => {
    const scope = new FakeScope();
    const clock = new ManualClock();
    const host = await startWorker(
      scope,
      ({ storage, keep }) =>
        new EngineHost(keep(createEngine({ clock, disk: new VirtualDisk(storage, clock) })), scope, {
          clock,
          cronMs: 0,
        }),
      REPORT,
      NOTHING,
    );
    scope.deliver({ type: 'storage-limit', id: 7, bytes: 10 });
    expect(scope.posted.at(-1)).toEqual({ type: 'ack', id: 7 });
    scope.deliver({ type: 'open', id: 8, session: 1 });
    scope.deliver({ type: 'command', id: 9, session: 1, argv: ['SAVE'] });
    expect(scope.posted.at(-1)).toMatchObject({ type: 'reply', reply: { t: 'error', v: 'ERR' } });
    const status = scope.posted.filter((m) => m.type === 'storage').at(-1);
    expect(status).toMatchObject({ status: { error: expect.stringContaining('storage quota is full') } });
    scope.deliver({ type: 'storage-limit', id: 10, bytes: null });
    scope.deliver({ type: 'command', id: 11, session: 1, argv: ['SAVE'] });
    expect(scope.posted.filter((m) => m.type === 'storage').at(-1)).toMatchObject({ status: { error: null } });
    host.dispose();
  });
});

describe('the two-step server (lab-server.ts)', () => {
  /** A second chunk that arrives when the test says. */
  function deferredRest() {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const loadRest = async (): Promise<EngineRest> => {
      calls++;
      await gate;
      return import('./engine-rest');
    };
    return { loadRest, release, calls: () => calls };
  }
  /** Waits (a few seconds at most) until `done`: the dynamic import of the rest takes a moment. */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  const replyOf = (scope: FakeScope, id: number) => {
    const m = scope.posted.find((p) => 'id' in p && p.id === id);
    return m?.type === 'reply' ? m.reply : m?.type;
  };
  const T0 = 1_700_000_000_000;

  /**
   * Commands on a server started on an empty storage — the two-step lab server, the rest arriving
   * between `early` and `late`, or one built as before the split (createEngine) — then a power cut.
   */
  async function powerCutAfter(twoStep: boolean, early: string[][], late: string[][]) {
    const scope = new FakeScope();
    const clock = new ManualClock(T0);
    const rest = deferredRest();
    const server = labServer(scope, { clock, loadRest: rest.loadRest, cronMs: 0, seed: 1, setTimeout: () => 0 });
    const oneStep = ({ storage, settings, keep }: WorkerSetup) => {
      const make = (disk: VirtualDisk, config: Record<string, string>) =>
        keep(createEngine({ clock, disk, journal: true, seed: 1, config: { ...LAB_CONFIG, ...config } }));
      return new EngineHost(make(new VirtualDisk(storage, clock), settings), scope, {
        clock,
        cronMs: 0,
        restart: (how, previous) => restartServer(previous, how, (d) => make(d, persistenceSettings(previous))),
      });
    };
    const host = await startWorker(scope, twoStep ? server.build : oneStep, REPORT, NOTHING);
    let id = 100;
    scope.deliver({ type: 'open', id: id++, session: 1 });
    for (const argv of early) scope.deliver({ type: 'command', id: id++, session: 1, argv });
    clock.advance(5000);
    const docs = id++;
    scope.deliver({ type: 'docs', id: docs });
    rest.release();
    await until(() => scope.posted.some((m) => m.type === 'ready' && m.id === docs));
    for (const argv of late) scope.deliver({ type: 'command', id: id++, session: 1, argv });
    const info = id++;
    scope.deliver({ type: 'command', id: info, session: 1, argv: ['INFO', 'persistence'] });
    const restart = id++;
    scope.deliver({ type: 'restart', id: restart, how: 'power' });
    const answer = scope.posted.find((m) => m.type === 'restarted' && m.id === restart);
    const text = replyOf(scope, info);
    host.dispose();
    return { answer, info: text, rest };
  }

  it('serves the core on an empty storage before the rest arrives, then installs persistence as at start', async () => {
    const scope = new FakeScope();
    const clock = new ManualClock(T0);
    const rest = deferredRest();
    const timers: (() => void)[] = [];
    const server = labServer(scope, {
      clock,
      loadRest: rest.loadRest,
      cronMs: 0,
      seed: 1,
      setTimeout: (fn) => timers.push(fn),
    });
    const host = await startWorker(scope, server.build, server.startupReport, NOTHING);
    expect(scope.posted[0]).toMatchObject({ type: 'storage', status: { kind: 'memory', startup: null } });
    scope.deliver({ type: 'open', id: 1, session: 1 });
    scope.deliver({ type: 'command', id: 2, session: 1, argv: ['SET', 'a', '1'] });
    expect(replyOf(scope, 2)).toEqual({ t: 'status', v: 'OK' });
    // Nothing asked for the rest yet: only the latest-time timer is armed.
    expect(rest.calls()).toBe(0);
    expect(timers).toHaveLength(1);
    clock.advance(5000);
    scope.deliver({ type: 'command', id: 3, session: 1, argv: ['HSET', 'h', 'f', 'v'] });
    scope.deliver({ type: 'command', id: 4, session: 1, argv: ['LASTSAVE'] });
    expect(rest.calls()).toBe(1);
    expect(replyOf(scope, 3)).toBeUndefined();
    rest.release();
    await until(() => replyOf(scope, 4) !== undefined);
    expect(replyOf(scope, 3)).toEqual({ t: 'int', v: 1 });
    // The save time is the server's start, not the moment persistence arrived.
    expect(replyOf(scope, 4)).toEqual({ t: 'int', v: T0 / 1000 });
    // Writes before the rest arrived are in the journal, in order.
    expect(persistenceOf(host.engine).journal.lastSeq).toBe(2);
    scope.deliver({ type: 'command', id: 5, session: 1, argv: ['SAVE'] });
    expect(replyOf(scope, 5)).toEqual({ t: 'status', v: 'OK' });
    expect(persistenceOf(host.engine).disk.exists('dump.rdb')).toBe(true);
    // The timer finds it loaded: no second fetch.
    for (const f of timers) f();
    expect(rest.calls()).toBe(1);
    host.dispose();
  });

  it('fetches the rest at the latest when its timer fires, with nothing asking', async () => {
    const scope = new FakeScope();
    const rest = deferredRest();
    const timers: { fn: () => void; ms: number }[] = [];
    const server = labServer(scope, {
      clock: new ManualClock(T0),
      loadRest: rest.loadRest,
      cronMs: 0,
      restLatestMs: 1234,
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
    });
    const host = await startWorker(scope, server.build, server.startupReport, NOTHING);
    expect(timers.map((t) => t.ms)).toEqual([1234]);
    expect(rest.calls()).toBe(0);
    timers[0].fn();
    expect(rest.calls()).toBe(1);
    rest.release();
    await until(() => server.table.lookup('XADD') !== undefined);
    expect(server.table.lookup('XADD')).toBeDefined();
    host.dispose();
  });

  it('accounts a power cut exactly as a server that had everything from the start', async () => {
    const early = [
      ['SET', 'a', '1'],
      ['INCR', 'n'],
      ['DEL', 'nothing'],
    ];
    const late = [
      ['SADD', 's', 'x'],
      ['SET', 'b', '2'],
    ];
    const two = await powerCutAfter(true, early, late);
    const one = await powerCutAfter(false, early, late);
    expect(two.rest.calls()).toBe(1);
    expect(two.answer).toBeDefined();
    expect(two.answer).toEqual(one.answer);
    const lost = two.answer?.type === 'restarted' ? two.answer.report.account?.lost.map((w) => w.argv.join(' ')) : [];
    expect(lost).toEqual(['SET a 1', 'INCR n', 'SADD s x', 'SET b 2']);
    expect(two.info).toEqual(one.info);
  });

  it('loads the rest first when the storage holds files, and reports what it loaded', async () => {
    const clock = new ManualClock(T0);
    const storage = new MemoryStorage();
    const before = createEngine({ clock, disk: new VirtualDisk(storage, clock), seed: 1 });
    const c = before.createClient();
    before.dispatch(c, ['ZADD', 'z', '1', 'm']);
    before.dispatch(c, ['SAVE']);
    const scope = new FakeScope();
    const rest = deferredRest();
    rest.release();
    const server = labServer(scope, { clock, loadRest: rest.loadRest, cronMs: 0, setTimeout: () => 0 });
    const host = await server.build({
      lab: { storage, kind: 'opfs', note: null, hadFiles: true },
      storage,
      settings: {},
      keep: (e) => e,
    });
    expect(rest.calls()).toBe(1);
    expect(server.startupReport(host.engine)).toMatchObject({ source: 'rdb', ok: true, keysLoaded: 1 });
    // Nothing is held: every group is there.
    scope.deliver({ type: 'open', id: 1, session: 1 });
    scope.deliver({ type: 'command', id: 2, session: 1, argv: ['ZSCORE', 'z', 'm'] });
    expect(replyOf(scope, 2)).toEqual({ t: 'double', v: 1 });
    scope.deliver({ type: 'docs', id: 3 });
    const docs = scope.posted.find((m) => m.type === 'ready' && m.id === 3);
    expect(docs?.type === 'ready' && docs.docs.length).toBe(server.table.commands.length);
    host.dispose();
  });
});
