// Every command the scenario widgets send, checked against real redis-server 7.0 (the oracle): a
// port whose connections send each command to a real server AND to our engine, at the same real
// time, and compare the replies (stream ids, which carry the millisecond, compared by shape).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import type { Reply } from '../../engine/protocol/reply';
import { TestConnection } from '../../tests/conformance/connection';
import { CacheScenario } from './cache';
import { LockScenario } from './lock';
import type { Conn, ScenarioPort } from './port';
import { PubSubScenario } from './pubsub';
import { RateLimitScenario } from './rate-limit';
import type { Scenario } from './scenario';
import { TimelineScenario } from './timeline';
import { WorkQueueScenario } from './work-queue';

const PORT = 7641;
let server: ChildProcess;
let dir: string;

const STREAM_ID = /^\d{13}-\d+$/;

/** Pair the stream ids of our reply with the real server's, walking both in step. */
function pairIds(ours: Reply, theirs: Reply, ids: Map<string, string>): void {
  if ((ours.t === 'bulk' || ours.t === 'status') && (theirs.t === 'bulk' || theirs.t === 'status')) {
    if (ours.v !== null && theirs.v !== null && STREAM_ID.test(ours.v) && STREAM_ID.test(theirs.v))
      ids.set(ours.v, theirs.v);
    return;
  }
  if (
    (ours.t === 'array' || ours.t === 'push') &&
    (theirs.t === 'array' || theirs.t === 'push') &&
    ours.v &&
    theirs.v
  ) {
    ours.v.forEach((o, i) => {
      const t = theirs.v?.[i];
      if (t) pairIds(o, t, ids);
    });
  }
}

/** A reply with stream ids ("1714000000000-0") replaced by "ID", for comparison. */
function normal(r: Reply): unknown {
  switch (r.t) {
    case 'bulk':
    case 'status':
      return r.v !== null && STREAM_ID.test(r.v) ? 'ID' : r.v;
    case 'array':
    case 'set':
    case 'push':
      return r.v === null ? null : r.v.map(normal);
    case 'int':
      return Number(r.v);
    default:
      return r.v;
  }
}

class MirrorPort implements ScenarioPort {
  /** Our engine's stream ids → the real server's for the same entries (made in the same millisecond or not). */
  private readonly ids = new Map<string, string>();
  readonly engine = createEngine({ seed: 1 });
  readonly mismatches: string[] = [];
  compared = 0;
  private readonly real: TestConnection[] = [];
  readonly timing = {
    now: () => performance.now(),
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  };

  async open(name: string): Promise<Conn> {
    const real = await TestConnection.open(PORT);
    this.real.push(real);
    let onPush: (r: Reply) => void = () => {};
    const client = this.engine.createClient({ deliver: (r) => onPush(r) });
    const run = async (argv: readonly string[]): Promise<Reply> => {
      const ours = this.engine.dispatch(client, [...argv]);
      // The scenario acknowledges the ids our engine gave: the real server gets its own for the same entries.
      const theirs = await real.call(argv.map((a) => this.ids.get(a) ?? a));
      if (ours) pairIds(ours, theirs, this.ids);
      if (argv[0].toUpperCase() === 'SUBSCRIBE') return ours ?? { t: 'array', v: null }; // pushed, as in Redis
      this.compared++;
      const a = JSON.stringify(normal(ours ?? { t: 'array', v: null }));
      const b = JSON.stringify(normal(theirs));
      if (a !== b && this.mismatches.length < 10)
        this.mismatches.push(`${argv.join(' ').slice(0, 80)}: ours ${a} real ${b}`);
      return ours ?? { t: 'array', v: null };
    };
    await run(['CLIENT', 'SETNAME', name]);
    return {
      call: run,
      pipeline: async (commands) => {
        const out: Reply[] = [];
        for (const argv of commands) out.push(await run(argv));
        return out;
      },
      onPush: (h) => {
        onPush = h;
      },
      close: async () => {
        this.engine.removeClient(client);
        real.close();
      },
    };
  }

  async flush(): Promise<void> {
    const c = await TestConnection.open(PORT);
    await c.call(['FLUSHALL']);
    await c.call(['SCRIPT', 'FLUSH']);
    c.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scen-'));
  server = spawn('redis-server', [
    '--port',
    String(PORT),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  for (let i = 0; i < 50; i++) {
    try {
      (await TestConnection.open(PORT)).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('redis-server did not start');
});

afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function drive(make: (p: MirrorPort) => Scenario, steps: (s: Scenario, p: MirrorPort) => Promise<void>) {
  const port = new MirrorPort();
  await port.flush();
  const s = make(port);
  await s.setup();
  await steps(s, port);
  await s.dispose();
  expect(port.mismatches).toEqual([]);
  return port;
}

const ticks = async (s: Scenario, n: number, gapMs = 0) => {
  for (let i = 0; i < n; i++) {
    await s.tick();
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
};

describe('scenario widgets against real Redis 7.0: every reply the same', () => {
  it('cache, in all four strategies with writes', async () => {
    const p = await drive(
      (port) => new CacheScenario(port),
      async (s) => {
        await s.choose('writes', '0.3');
        for (const strategy of ['cache-aside', 'read-through', 'write-through', 'write-behind']) {
          await s.choose('strategy', strategy);
          await ticks(s, 8);
        }
        await s.act('flush-cache');
      },
    );
    expect(p.compared).toBeGreaterThan(40);
  });

  it('timeline fan-out and trimming', async () => {
    const p = await drive(
      (port) => new TimelineScenario(port),
      async (s) => {
        await s.choose('followers', '10');
        await s.choose('keep', '5');
        for (let i = 0; i < 7; i++) await s.act('post');
        await ticks(s, 20);
      },
    );
    expect(p.compared).toBeGreaterThan(150);
  });

  it('the three rate limiters, under and over the limit', async () => {
    const p = await drive(
      (port) => new RateLimitScenario(port),
      async (s) => {
        for (const limiter of ['fixed', 'sliding', 'bucket']) {
          await s.choose('limiter', limiter);
          await s.act('burst');
        }
      },
    );
    expect(p.compared).toBeGreaterThan(60);
  });

  it('the lock with a worker paused past the TTL, safe and naive release', async () => {
    let lock: LockScenario | null = null;
    const p = await drive(
      (port) => {
        lock = new LockScenario(port);
        return lock;
      },
      async (s) => {
        await s.choose('pauses', 'on');
        await ticks(s, 50, 40);
        await s.choose('release', 'naive');
        await ticks(s, 30, 40);
      },
    );
    expect(p.compared).toBeGreaterThan(30);
    expect((lock as LockScenario | null)?.stats.expiredUnder).toBeGreaterThan(0);
  });

  it('the work queue on a stream (a consumer killed, XAUTOCLAIM) and on a list', async () => {
    let q: WorkQueueScenario | null = null;
    await drive(
      (port) => {
        q = new WorkQueueScenario(port);
        return q;
      },
      async (s) => {
        await ticks(s, 4, 150);
        await s.act('kill');
        await ticks(s, 20, 150);
        await s.act('revive');
        await s.choose('kind', 'list');
        await ticks(s, 6, 150);
      },
    );
    expect((q as WorkQueueScenario | null)?.stats.recovered).toBeGreaterThan(0);
  });

  it('pub/sub invalidation with a server offline, then the stream', async () => {
    await drive(
      (port) => new PubSubScenario(port),
      async (s) => {
        await ticks(s, 10);
        await s.act('offline');
        await ticks(s, 5);
        await s.act('online');
        await s.choose('transport', 'stream');
        await ticks(s, 5);
        await s.act('offline');
        await ticks(s, 5);
        await s.act('online');
        await ticks(s, 2);
      },
    );
  });
});
