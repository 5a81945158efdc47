// The engine client with a real EngineHost sharing a SharedArrayBuffer (cross-origin isolated
// pages): a terminal command's reply taken synchronously within a key press's window, never ahead
// of anything the worker sent earlier about the session, and the plain message path when the page
// is not isolated, the reply is too big, or the command blocks. The page → worker direction is
// synchronous here (as if the worker served the message while the page spins); worker → page
// messages wait in a queue until the test delivers them (as Chromium holds them after a key press).

import { describe, expect, it } from 'vitest';
import type { Client } from '../../engine/client';
import { array, bulk } from '../../engine/protocol/reply';
import { EngineHost } from '../../engine/worker/host';
import type { Endpoint, FromWorker, ToWorker } from '../../engine/worker/protocol';
import { SYNC_MAX_CHARS } from '../../engine/worker/sync-reply';
import { createTestEngine } from '../../engine/worker/test-commands';
import { EngineClient, SYNC_WAIT_MS } from './engine-client';

function linked(sharedMemory: boolean) {
  const { engine } = createTestEngine();
  const queued: FromWorker[] = [];
  const sentToWorker: ToWorker[] = [];
  let toHost: ((ev: { data: ToWorker }) => void) | null = null;
  let toPage: ((ev: { data: FromWorker }) => void) | null = null;
  const hostPort: Endpoint<ToWorker, FromWorker> = {
    postMessage: (m) => queued.push(m),
    addEventListener: (_t, l) => {
      toHost = l;
    },
  };
  const pagePort: Endpoint<FromWorker, ToWorker> = {
    postMessage: (m) => {
      sentToWorker.push(m);
      toHost?.({ data: m });
    },
    addEventListener: (_t, l) => {
      toPage = l;
    },
  };
  const host = new EngineHost(engine, hostPort, { cronMs: 0 });
  let time = 0;
  const client = new EngineClient(pagePort, {
    sharedMemory,
    busyAfterMs: 1e9,
    timers: { setTimeout: () => 0, clearTimeout: () => {} },
    now: () => time,
  });
  /** Hand every queued worker message to the page, in order. */
  const deliver = () => {
    for (const m of queued.splice(0)) toPage?.({ data: m });
  };
  const printed: string[] = [];
  const open = async (session: number) => {
    const opening = client.open(
      session,
      { push: (m) => printed.push(`push ${m.cli?.text}`), closed: () => {} },
      {
        output: 'cli',
      },
    );
    deliver();
    await opening;
  };
  /** The engine client of a session (its address is 127.0.0.1:50000+session). */
  const engineClient = (session: number): Client => {
    for (const c of engine.clients.values()) if (c.addr === `127.0.0.1:${50000 + session}`) return c;
    throw new Error(`no client for session ${session}`);
  };
  /** A terminal command typed with Enter: the window opens, the command goes, its text is printed. */
  const enter = (session: number, ...argv: string[]) => {
    client.replyWindow();
    return client.command(session, argv).then((o) => {
      printed.push(o.kind === 'reply' ? `reply ${o.cli?.text}` : o.kind);
      return o;
    });
  };
  return {
    host,
    client,
    queued,
    sentToWorker,
    deliver,
    open,
    enter,
    printed,
    engineClient,
    setTime: (t: number) => {
      time = t;
    },
  };
}

describe('replies awaited on the shared buffer', () => {
  it('takes a terminal reply in the key press task and drops its message copy', async () => {
    const l = linked(true);
    expect(l.sentToWorker[0]).toMatchObject({ type: 'share' });
    l.deliver();
    await l.open(1);
    const set = l.enter(1, 'SET', 'a', '1');
    expect(l.client.syncReplies).toBe(1);
    // Answered while the reply message is still queued: it came from the shared buffer.
    expect(await set).toMatchObject({ kind: 'reply', cli: { text: 'OK\r\n', kind: 'status' } });
    expect(l.queued.map((m) => m.type)).toEqual(['reply']);
    l.deliver();
    // The copy changed nothing, and the next command takes the fast path too.
    const get = l.enter(1, 'GET', 'a');
    expect(await get).toMatchObject({ kind: 'reply', cli: { text: '"1"\r\n' }, state: { db: 0 } });
    expect(l.client.syncReplies).toBe(2);
    l.deliver();
    expect(l.printed).toEqual(['reply OK\r\n', 'reply "1"\r\n']);
  });

  it('several commands in one window (a pasted block) each take the fast path, copies still queued', async () => {
    const l = linked(true);
    l.deliver();
    await l.open(1);
    const a = l.enter(1, 'INCR', 'n');
    await a;
    // The first reply's copy is not delivered yet: it was counted when its reply was taken.
    const b = l.client.command(1, ['INCR', 'n']);
    expect(await b).toMatchObject({ kind: 'reply', cli: { text: '(integer) 2\r\n' } });
    expect(l.client.syncReplies).toBe(2);
    l.deliver();
    expect(l.queued).toEqual([]);
  });

  it('never prints a reply before a push the worker sent earlier about the session', async () => {
    const l = linked(true);
    l.deliver();
    await l.open(1);
    // A message arrives unasked (pub/sub, MONITOR, a keyspace event) and waits in the queue.
    l.engineClient(1).deliver(array([bulk('message'), bulk('early')]));
    const ping = l.enter(1, 'ECHO', 'late');
    expect(l.client.syncReplies).toBe(0);
    l.deliver();
    await ping;
    expect(l.printed).toEqual(['push 1) "message"\r\n2) "early"\r\n', 'reply "late"\r\n']);
  });

  it("keeps a command's own earlier push ahead of its reply", async () => {
    const l = linked(true);
    l.deliver();
    await l.open(1);
    const id = String(l.engineClient(1).id);
    const push = l.enter(1, 'TESTPUSH', id, 'mine');
    expect(l.client.syncReplies).toBe(0);
    l.deliver();
    await push;
    expect(l.printed).toEqual(['push 1) "message"\r\n2) "mine"\r\n', 'reply OK\r\n']);
    // Once everything is handled the fast path is open again.
    await l.enter(1, 'PING');
    expect(l.client.syncReplies).toBe(1);
  });

  it('takes the message path for a blocked command, a reply too big for the buffer, and outside the window', async () => {
    const l = linked(true);
    l.deliver();
    await l.open(1);
    await l.open(2);
    const blocked = l.enter(1, 'TESTBLOCK');
    expect(l.client.syncReplies).toBe(0);
    l.deliver();
    await l.enter(2, 'TESTWAKE');
    l.deliver();
    expect(await blocked).toMatchObject({ kind: 'reply', cli: { text: '"woken"\r\n' } });

    // A list whose redis-cli text is longer than the buffer holds.
    const items = Array.from({ length: SYNC_MAX_CHARS / 1000 + 1 }, (_, i) => `${i}`.padEnd(1000, '.'));
    const loading = l.client.pipeline(1, [['RPUSH', 'big', ...items]]);
    l.deliver();
    await loading;
    const range = l.enter(1, 'LRANGE', 'big', '0', '-1');
    l.deliver();
    const text = (await range).kind === 'reply' ? ((await range) as { cli: { text: string } }).cli.text : '';
    expect(text.length).toBeGreaterThan(SYNC_MAX_CHARS);
    expect(text.endsWith(`${items.length}) "${items.at(-1)}"\r\n`)).toBe(true);

    l.client.replyWindow();
    l.setTime(SYNC_WAIT_MS);
    const late = l.client.command(1, ['PING']);
    expect(l.sentToWorker.at(-1)).not.toHaveProperty('sync');
    l.deliver();
    expect(await late).toMatchObject({ cli: { text: 'PONG\r\n' } });
    // Only TESTWAKE (session 2, nothing pending) was taken synchronously.
    expect(l.client.syncReplies).toBe(1);
  });

  it('without cross-origin isolation shares nothing and answers through messages', async () => {
    const l = linked(false);
    expect(l.sentToWorker).toEqual([]);
    expect(l.client.sharesMemory).toBe(false);
    await l.open(1);
    const set = l.enter(1, 'SET', 'a', '1');
    expect(l.sentToWorker.at(-1)).not.toHaveProperty('sync');
    let done = false;
    void set.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    l.deliver();
    expect(await set).toMatchObject({ cli: { text: 'OK\r\n' } });
    expect(l.client.syncReplies).toBe(0);
  });
});
