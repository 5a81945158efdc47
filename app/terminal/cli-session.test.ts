// Terminal sessions end to end without a browser: the real engine behind the worker host on a
// MessageChannel, the engine client, CliSession, and a headless xterm whose screen is read back.
// Expected texts are redis-cli 7.0's (formatting, prompt, HELP, repeat and error messages).

import { afterEach, describe, expect, it } from 'vitest';
import { buildHelpEntries, type HelpEntry } from '../../engine/protocol/hints';
import { splitArgs } from '../../engine/protocol/split-args';
import { EngineHost } from '../../engine/worker/host';
import type { Endpoint, FromWorker, ToWorker } from '../../engine/worker/protocol';
import { createTestEngine } from '../../engine/worker/test-commands';
import { EngineClient } from '../engine-client/engine-client';
import { createTerminal, flush, type HeadlessTerminal, screenLines } from '../testing/headless';
import { CliSession, type SessionStatus } from './cli-session';
import { HistoryFile } from './history';
import { parseKeys } from './keys';
import { Screen } from './screen';

const P = '127.0.0.1:6379> ';
const UP = '\x1b[A';

interface TestSession {
  session: CliSession;
  term: HeadlessTerminal;
  /** Type (xterm input) and wait until the session is back at its prompt. */
  type(data: string): Promise<void>;
  /** Type a line and Enter, and wait. */
  run(line: string): Promise<void>;
  lines(): Promise<string[]>;
  statuses: SessionStatus[];
  quits: number;
}

async function createLab(crash?: (reason: string) => void) {
  const { engine } = createTestEngine();
  const channel = new MessageChannel();
  const host = new EngineHost(engine, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, {
    cronMs: 0,
    crash,
  });
  const client = new EngineClient(channel.port2 as unknown as Endpoint<FromWorker, ToWorker>, {
    schedule: (f) => setTimeout(f, 0),
  });
  const entries = buildHelpEntries(await client.hello());
  const history = new HistoryFile(null);
  let nextId = 1;
  async function open(
    cols = 100,
    labCommand?: (argv: readonly string[]) => Promise<string | null>,
    help?: { entries(): readonly HelpEntry[]; pending(): Promise<void> | null },
  ): Promise<TestSession> {
    const id = nextId++;
    const term = createTerminal(cols, 30);
    const t: TestSession = {
      session: undefined as unknown as CliSession,
      term,
      statuses: [],
      quits: 0,
      async type(data) {
        t.session.input(parseKeys(data));
        await settle();
        await t.session.idle();
        await settle();
      },
      run: (line) => t.type(`${line}\r`),
      async lines() {
        await settle();
        await flush(term);
        return screenLines(term);
      },
    };
    t.session = new CliSession({
      connection: client.connection(id),
      screen: new Screen(term),
      history,
      helpEntries: help?.entries ?? (() => entries),
      helpPending: help?.pending,
      now: () => performance.now(),
      bell: () => {},
      quit: () => t.quits++,
      status: (s) => t.statuses.push(s),
      labCommand,
    });
    await client.open(id, { push: (m) => m.cli && t.session.push(m.cli), closed: () => {} }, { output: 'cli' });
    t.session.start();
    return t;
  }
  const dispose = () => {
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  };
  return { engine, client, entries, history, open, dispose };
}

/** Let queued messages and promise continuations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
}

let current: Awaited<ReturnType<typeof createLab>> | null = null;
afterEach(() => {
  current?.dispose();
  current = null;
});
async function lab() {
  current = await createLab();
  return current;
}

describe('a session prints replies as redis-cli 7.0 does', () => {
  it('SET, GET, errors and nested arrays', async () => {
    const a = await (await lab()).open();
    await a.run('SET k v');
    await a.run('GET k');
    await a.run('GET');
    await a.run('NOSUCH x');
    await a.run('SET n 1');
    await a.run('ZADD z 1 a 2 b');
    await a.run('ZRANGE z 0 -1 WITHSCORES');
    expect(await a.lines()).toEqual([
      `${P}SET k v`,
      'OK',
      `${P}GET k`,
      '"v"',
      `${P}GET`,
      "(error) ERR wrong number of arguments for 'get' command",
      `${P}NOSUCH x`,
      "(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' ",
      `${P}SET n 1`,
      'OK',
      `${P}ZADD z 1 a 2 b`,
      '(integer) 2',
      `${P}ZRANGE z 0 -1 WITHSCORES`,
      '1) "a"',
      '2) "1"',
      '3) "b"',
      '4) "2"',
      P,
    ]);
  });

  it('splits with redis-cli quoting, sends UTF-8 bytes and shows them escaped', async () => {
    const a = await (await lab()).open();
    await a.run('SET "my key" "h\u00e9 \\x00"');
    await a.run("GET 'my key'");
    await a.run('GET "unbalanced');
    expect((await a.lines()).slice(2)).toEqual([
      `${P}GET 'my key'`,
      '"h\\xc3\\xa9 \\x00"',
      `${P}GET "unbalanced`,
      'Invalid argument(s)',
      P,
    ]);
  });

  it('repeats a command with a count prefix, and refuses a bad count', async () => {
    const a = await (await lab()).open();
    await a.run('3 INCR c');
    await a.run('0 INCR c');
    await a.run('-2 INCR c');
    expect(await a.lines()).toEqual([
      `${P}3 INCR c`,
      '(integer) 1',
      '(integer) 2',
      '(integer) 3',
      `${P}0 INCR c`,
      'Invalid redis-cli repeat command option value.',
      `${P}-2 INCR c`,
      'Invalid redis-cli repeat command option value.',
      P,
    ]);
  });

  it('prints INFO raw, as redis-cli does', async () => {
    const a = await (await lab()).open();
    await a.run('INFO keyspace');
    const lines = await a.lines();
    expect(lines[1]).toBe('# Keyspace');
  });

  it('answers HELP from the command table, in redis-cli layout', async () => {
    const { entries, ...rest } = await lab();
    const a = await rest.open();
    await a.run('HELP GET');
    const get = entries.find((e) => e.full === 'GET');
    expect(await a.lines()).toEqual([
      `${P}HELP GET`,
      '',
      '  GET key',
      `  summary: ${get?.summary}`,
      `  since: ${get?.since}`,
      '  group: string',
      '',
      P,
    ]);
  });

  it('times commands that take 500 ms or more', async () => {
    const a = await (await lab()).open();
    await a.run('DEBUG SLEEP 0.6');
    const lines = await a.lines();
    expect(lines[1]).toBe('OK');
    expect(lines[2]).toMatch(/^\(0\.6\ds\)$/);
  });
});

describe('the prompt follows SELECT and MULTI as redis-cli tracks them', () => {
  it('shows [db] after SELECT and (TX) inside MULTI, restored by DISCARD', async () => {
    const a = await (await lab()).open();
    await a.run('SELECT 2');
    await a.run('MULTI');
    await a.run('SELECT 3');
    await a.run('DISCARD');
    await a.run('SELECT 0');
    expect(await a.lines()).toEqual([
      `${P}SELECT 2`,
      'OK',
      '127.0.0.1:6379[2]> MULTI',
      'OK',
      '127.0.0.1:6379[2](TX)> SELECT 3',
      'QUEUED',
      '127.0.0.1:6379[3](TX)> DISCARD',
      'OK',
      '127.0.0.1:6379[2]> SELECT 0',
      'OK',
      P,
    ]);
  });

  it('leaves (TX) after EXEC and keeps the database selected inside it', async () => {
    const a = await (await lab()).open();
    await a.run('MULTI');
    await a.run('SELECT 1');
    await a.run('EXEC');
    expect((await a.lines()).slice(-3)).toEqual(['127.0.0.1:6379[1](TX)> EXEC', '1) OK', '127.0.0.1:6379[1]> ']);
  });
});

describe('editing', () => {
  it('shows the hint redis-cli shows for the typed words, and :set nohints hides it', async () => {
    const { entries, ...rest } = await lab();
    const a = await rest.open(200);
    await a.type('SET k v ');
    const set = entries.find((e) => e.full === 'SET');
    const expected = set ? set.params.split(' ').slice(2).join(' ') : '';
    expect(await a.lines()).toEqual([`${P}SET k v ${expected}`]);
    await a.type('\x15:set nohints\rSET k v ');
    expect((await a.lines()).slice(-1)).toEqual([`${P}SET k v `]);
  });

  it('completes command names with Tab and cycles through them', async () => {
    const a = await (await lab()).open();
    await a.type('zrangeb\t');
    expect(a.session.line).toBe('zrangeb'); // shown, not yet accepted
    await a.type('\t k');
    expect(a.session.line).toBe('ZRANGEBYSCORE k');
  });

  it('a Tab typed before all the command docs are in waits for them, and the keys after it too', async () => {
    const l = await lab();
    // As right after start: the first docs cover the core groups only (no sorted-set commands).
    let entries = l.entries.filter((e) => !e.full.startsWith('ZRANGE'));
    let arrive = () => {};
    let pending: Promise<void> | null = new Promise<void>((r) => {
      arrive = r;
    });
    const a = await l.open(100, undefined, { entries: () => entries, pending: () => pending });
    a.session.input(parseKeys('zrangeb\t\t k'));
    await settle();
    expect(a.session.line).toBe('zrangeb');
    let idle = false;
    void a.session.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false); // the keys after the Tab are still queued
    entries = l.entries;
    pending = null;
    arrive();
    await a.session.idle();
    expect(a.session.line).toBe('ZRANGEBYSCORE k');
  });

  it('recalls history with Up, shared by every session', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    await a.run('SET shared 1');
    await b.type(`${UP}`);
    expect(b.session.line).toBe('SET shared 1');
    await b.type('\r');
    expect((await b.lines()).slice(-2)).toEqual(['OK', P]);
  });

  it('finds an older command with Ctrl-R', async () => {
    const a = await (await lab()).open();
    await a.run('SET visits 10');
    await a.run('GET other');
    await a.type('\x12visi');
    expect((await a.lines()).slice(-1)).toEqual(["(reverse-i-search)`visi': SET visits 10"]);
    await a.type('\r');
    expect((await a.lines()).slice(-3)).toEqual([`${P}SET visits 10`, 'OK', P]);
  });

  it('runs each line of a multi-line paste, keeping the unfinished last line', async () => {
    const a = await (await lab()).open();
    await a.type('\x1b[200~SET a 1\nINCR a\nGET a\nGET\x1b[201~');
    expect(await a.lines()).toEqual([
      `${P}SET a 1`,
      'OK',
      `${P}INCR a`,
      '(integer) 2',
      `${P}GET a`,
      '"2"',
      `${P}GET key`,
    ]);
  });

  it('Ctrl-C abandons the line; clear and Ctrl-L clear the screen', async () => {
    const a = await (await lab()).open();
    await a.type('GET half\x03');
    expect(await a.lines()).toEqual([`${P}GET half^C`, P]);
    await a.run('clear');
    const lines = await a.lines();
    expect(lines.slice(a.term.buffer.active.baseY)).toEqual([P]);
  });

  it('quit closes the session (LAB), and is not sent to the server', async () => {
    const a = await (await lab()).open();
    await a.run('quit');
    expect(a.quits).toBe(1);
  });
});

describe('sessions side by side', () => {
  it('SUBSCRIBE in one session receives PUBLISH from another, above what is being typed', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    await a.run('SUBSCRIBE news');
    await a.type('PIN');
    await b.run('PUBLISH news hello');
    expect(await a.lines()).toEqual([
      `${P}SUBSCRIBE news`,
      'Reading messages... (press Ctrl-C to quit)',
      '1) "subscribe"',
      '2) "news"',
      '3) (integer) 1',
      '1) "message"',
      '2) "news"',
      '3) "hello"',
      '127.0.0.1:6379(subscribed mode)> PIN',
    ]);
    expect((await b.lines()).slice(-2)).toEqual(['(integer) 1', P]);
    // Ctrl-C leaves: a new connection without subscriptions.
    await a.type('\x03');
    await b.run('PUBLISH news again');
    expect((await b.lines()).slice(-2)).toEqual(['(integer) 0', P]);
    expect((await a.lines()).slice(-1)).toEqual([P]);
  });

  it('MONITOR shows the other sessions commands until Ctrl-C', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    await a.run('MONITOR');
    await b.run('SET k "a b"');
    const monitored = await a.lines();
    expect(monitored.slice(0, 2)).toEqual([`${P}MONITOR`, 'OK']);
    expect(monitored[2]).toMatch(/^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "a b"$/);
    expect(a.statuses).toContain('monitor');
    await a.type('\x03');
    expect((await a.lines()).slice(-2)).toEqual(['^C', P]);
    await b.run('GET k');
    expect((await a.lines()).slice(-2)).toEqual(['^C', P]);
  });

  it('a blocked command waits (typing queues) until another session serves it', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    a.session.input(parseKeys('TESTBLOCK\rGET after\r'));
    await settle();
    expect(a.session.busy).toBe(true);
    expect(a.statuses).toContain('blocked');
    await b.run('TESTWAKE');
    await a.session.idle();
    expect(await a.lines()).toEqual([`${P}TESTBLOCK`, '"woken"', `${P}GET after`, '(nil)', P]);
  });

  it('Ctrl-C stops waiting: the client is unblocked and stays on its database', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    await a.run('SELECT 3');
    a.session.input(parseKeys('TESTBLOCK\r'));
    await settle();
    await a.type('\x03');
    expect((await a.lines()).slice(-3)).toEqual(['127.0.0.1:6379[3]> TESTBLOCK', '^C', '127.0.0.1:6379[3]> ']);
    await b.run('TESTWAKE');
    expect((await b.lines()).slice(-2)).toEqual(['(integer) 0', P]);
    // Still the same connection, on the same database.
    await a.run('SET here 1');
    const summary = await l.client.inspect({ kind: 'summary' });
    expect(summary.kind === 'summary' && summary.summary.dbs).toEqual([{ db: 3, keys: 1, expires: 0 }]);
  });

  it('reports a connection closed by the server, then reconnects', async () => {
    const l = await lab();
    const a = await l.open();
    const b = await l.open();
    await a.run('CLIENT ID');
    const id = (await a.lines())[1].replace('(integer) ', '');
    await b.run(`TESTKILL ${id}`);
    await a.run('PING');
    await a.run('PING');
    expect((await a.lines()).slice(2)).toEqual([
      `${P}PING`,
      'Error: Server closed the connection',
      'not connected> PING',
      'PONG',
      P,
    ]);
  });
});

describe('hints and completion come from the engine command table', () => {
  it('the docs the worker sends give the same hints as the table itself', async () => {
    const { entries } = await lab();
    expect(entries.some((e) => e.full === 'CONFIG GET')).toBe(true);
    expect(splitArgs('SET k v ')).toEqual(['SET', 'k', 'v']);
  });
});

describe("the lab's ':' commands", () => {
  it('runs them through the lab, prints their output and keeps them in history', async () => {
    const l = await lab();
    const seen: string[][] = [];
    const a = await l.open(100, async (argv) => {
      seen.push([...argv]);
      return argv[0] === ':advance' ? '(lab) the clock moved 10s forward\n' : null;
    });
    await a.run(':advance 10s');
    await a.run(':set nohints');
    await a.run(':nosuch');
    expect(seen).toEqual([[':advance', '10s'], [':nosuch']]);
    const out = await a.lines();
    expect(out).toContain('(lab) the clock moved 10s forward');
    expect(out).toContain("unknown redis-cli internal command ':nosuch'");
    expect(l.history.all).toContain(':advance 10s');
  });
});

describe('the engine worker crashing', () => {
  it('DEBUG SEGFAULT never answers; after the new worker starts, sessions print why and reconnect', async () => {
    const crashes: string[] = [];
    const l = await createLab((reason) => crashes.push(reason));
    current = l;
    const a = await l.open();
    const b = await l.open();
    await a.run('SELECT 2');
    b.session.input(parseKeys('BLPOP q 0\r'));
    await settle();
    a.session.input(parseKeys('DEBUG SEGFAULT\r'));
    await settle();
    expect(crashes).toEqual(['DEBUG SEGFAULT']);
    expect(a.session.busy).toBe(true);

    // What runtime.ts does on the worker's error event: a new worker (here a new host) takes over.
    const { engine: fresh } = createTestEngine();
    const channel = new MessageChannel();
    const host = new EngineHost(fresh, channel.port1 as unknown as Endpoint<ToWorker, FromWorker>, { cronMs: 0 });
    await l.client.replaceWorker(channel.port2 as unknown as Endpoint<FromWorker, ToWorker>, 'DEBUG SEGFAULT');
    for (const t of [a, b]) t.session.reconnected('(lab) the engine worker crashed (DEBUG SEGFAULT).\n');
    const notice = '(lab) the engine worker crashed (DEBUG SEGFAULT).';
    expect(await a.lines()).toEqual([
      `${P}SELECT 2`,
      'OK',
      '127.0.0.1:6379[2]> DEBUG SEGFAULT',
      'Error: Server closed the connection',
      notice,
      '127.0.0.1:6379[2]> ',
    ]);
    expect(await b.lines()).toEqual([`${P}BLPOP q 0`, 'Error: Server closed the connection', notice, P]);
    // The reconnected session is on database 2 again, as redis-cli reselects it.
    await a.run('SET k v');
    expect(fresh.dbs[2].dict.size).toBe(1);
    await b.run('PING');
    expect((await b.lines()).slice(-2)).toEqual(['PONG', P]);
    host.dispose();
    channel.port1.close();
    channel.port2.close();
  });
});
