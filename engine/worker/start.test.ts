import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
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
import { startWorker } from './start';

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
