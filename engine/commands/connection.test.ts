import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import type { Client } from '../client';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const open = (addr = '127.0.0.1:5000') => {
    const pushed: Reply[] = [];
    let closed = false;
    const c = engine.createClient({ addr, deliver: (r) => pushed.push(r), close: () => (closed = true) });
    return { c, pushed, closed: () => closed, run: (...argv: string[]) => engine.dispatch(c, argv) };
  };
  return { engine, open };
}

const err = (v: string): Reply => ({ t: 'error', v });
const OK: Reply = { t: 'status', v: 'OK' };

describe('AUTH and requirepass', () => {
  it('refuses AUTH <password> while no password is configured, but accepts any password for "default"', () => {
    const { open } = setup();
    const a = open();
    expect(a.run('AUTH', 'x')).toEqual(
      err(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      ),
    );
    expect(a.run('AUTH', 'default', 'whatever')).toEqual(OK);
    expect(a.run('AUTH', 'bob', 'whatever')).toEqual(
      err('WRONGPASS invalid username-password pair or user is disabled.'),
    );
    expect(a.run('AUTH', 'a', 'b', 'c')).toEqual(err('ERR syntax error'));
  });

  it('makes new connections authenticate once requirepass is set, while existing ones keep working', () => {
    const { open } = setup();
    const admin = open();
    expect(admin.run('CONFIG', 'SET', 'requirepass', 'secret')).toEqual(OK);
    expect(admin.run('PING')).toEqual({ t: 'status', v: 'PONG' });
    const b = open();
    expect(b.run('GET', 'k')).toEqual(err('NOAUTH Authentication required.'));
    expect(b.run('AUTH', 'wrong')).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(b.run('HELLO', '3')).toEqual(
      expect.objectContaining({ t: 'error', v: expect.stringMatching(/^NOAUTH HELLO/) }),
    );
    expect(b.run('AUTH', 'secret')).toEqual(OK);
    expect(b.run('GET', 'k')).toEqual({ t: 'bulk', v: null });
    const c = open();
    const hello = c.run('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'n1');
    expect(hello?.t).toBe('map');
    expect(c.c.resp).toBe(3);
    expect(c.c.name).toBe('n1');
    // Clearing the password lets clients that never authenticated in again, as Redis's nopass user does.
    const d = open();
    expect(admin.run('CONFIG', 'SET', 'requirepass', '')).toEqual(OK);
    expect(d.run('PING')).toEqual({ t: 'status', v: 'PONG' });
  });

  it('redacts credentials before MONITOR sees them', () => {
    const { open } = setup();
    const mon = open();
    const a = open();
    mon.run('MONITOR');
    a.run('AUTH', 'default', 'topsecret');
    const line = mon.pushed.at(-1) as { v: string };
    expect(line.v).toMatch(/"AUTH" "\(redacted\)" "\(redacted\)"$/);
    expect(line.v).not.toContain('topsecret');
  });
});

describe('HELLO', () => {
  it('reports the server map and switches the protocol', () => {
    const { open } = setup();
    const a = open();
    const r = a.run('HELLO', '3') as { t: 'map'; v: [Reply, Reply][] };
    expect(r.t).toBe('map');
    const fields = Object.fromEntries(r.v.map(([k, v]) => [(k as { v: string }).v, (v as { v: unknown }).v]));
    expect(fields).toMatchObject({
      server: 'redis',
      version: '7.0.15',
      proto: 3,
      id: a.c.id,
      mode: 'standalone',
      role: 'master',
    });
    expect(a.run('HELLO', '4')).toEqual(err('NOPROTO unsupported protocol version'));
    expect(a.run('HELLO', '3', 'AUTH', 'default')).toEqual(err("ERR Syntax error in HELLO option 'AUTH'"));
  });
});

describe('CLIENT', () => {
  it('KILL by id frees another client and reports how many were killed', () => {
    const { engine, open } = setup();
    const a = open('127.0.0.1:1111');
    const b = open('127.0.0.1:2222');
    expect(a.run('CLIENT', 'KILL', 'ID', String(b.c.id))).toEqual({ t: 'int', v: 1 });
    expect(b.closed()).toBe(true);
    expect(engine.clients.has(b.c.id)).toBe(false);
    expect(a.run('CLIENT', 'KILL', 'ID', String(b.c.id))).toEqual({ t: 'int', v: 0 });
  });

  it('KILL with the old address form can kill the caller itself, after its reply', () => {
    const { open } = setup();
    const a = open('127.0.0.1:1111');
    expect(a.run('CLIENT', 'KILL', '127.0.0.1:1111')).toEqual(OK);
    expect(a.c.closeAsap).toBe(true);
    expect(a.run('CLIENT', 'KILL', '9.9.9.9:1')).toEqual(err('ERR No such client'));
  });

  it('KILL with filters skips the caller unless SKIPME no', () => {
    const { engine, open } = setup();
    const a = open('127.0.0.1:1111');
    open('127.0.0.1:2222');
    open('127.0.0.1:3333');
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'normal')).toEqual({ t: 'int', v: 2 });
    expect([...engine.clients.keys()]).toEqual([a.c.id]);
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no')).toEqual({ t: 'int', v: 1 });
    expect(a.c.closeAsap).toBe(true);
  });

  it('LIST prints one line per client in Redis 7.0 field order', () => {
    const { open } = setup();
    const a = open();
    a.run('CLIENT', 'SETNAME', 'me');
    const line = (a.run('CLIENT', 'LIST') as { v: string }).v;
    const fields = line
      .trim()
      .split(' ')
      .map((f) => f.split('=')[0]);
    expect(fields).toEqual([
      'id',
      'addr',
      'laddr',
      'fd',
      'name',
      'age',
      'idle',
      'flags',
      'db',
      'sub',
      'psub',
      'ssub',
      'multi',
      'qbuf',
      'qbuf-free',
      'argv-mem',
      'multi-mem',
      'rbs',
      'rbp',
      'obl',
      'oll',
      'omem',
      'tot-mem',
      'events',
      'cmd',
      'user',
      'redir',
      'resp',
    ]);
    expect(line).toContain('name=me ');
    expect(line).toContain('cmd=client|list ');
  });

  it('REPLY OFF silences replies until ON; SKIP drops only the next reply', () => {
    const { open } = setup();
    const a = open();
    expect(a.run('CLIENT', 'REPLY', 'OFF')).toBeUndefined();
    expect(a.run('SET', 'k', 'v')).toBeUndefined();
    expect(a.run('CLIENT', 'REPLY', 'ON')).toEqual(OK);
    expect(a.run('CLIENT', 'REPLY', 'SKIP')).toBeUndefined();
    expect(a.run('GET', 'k')).toBeUndefined();
    expect(a.run('GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
  });

  it('SETNAME refuses spaces and control characters; an empty name clears it', () => {
    const { open } = setup();
    const a = open();
    expect(a.run('CLIENT', 'SETNAME', 'a b')).toEqual(
      err('ERR Client names cannot contain spaces, newlines or special characters.'),
    );
    expect(a.run('CLIENT', 'SETNAME', 'ok')).toEqual(OK);
    expect(a.run('CLIENT', 'GETNAME')).toEqual({ t: 'bulk', v: 'ok' });
    expect(a.run('CLIENT', 'SETNAME', '')).toEqual(OK);
    expect(a.run('CLIENT', 'GETNAME')).toEqual({ t: 'bulk', v: null });
  });
});

describe('SELECT, QUIT, RESET', () => {
  it('RESET restores db 0, RESP2, no name and stops MONITOR', () => {
    const { engine, open } = setup();
    const a = open();
    a.run('SELECT', '3');
    a.run('HELLO', '3', 'SETNAME', 'x');
    a.run('MONITOR');
    expect(a.run('RESET')).toEqual({ t: 'status', v: 'RESET' });
    const c: Client = a.c;
    expect([c.db.id, c.resp, c.name, c.monitor, engine.monitors.has(c)]).toEqual([0, 2, '', false, false]);
  });

  it('QUIT replies OK and asks for the connection to close', () => {
    const { open } = setup();
    const a = open();
    expect(a.run('QUIT')).toEqual(OK);
    expect(a.c.closeAsap).toBe(true);
  });

  it('SELECT checks the index range', () => {
    const { open } = setup();
    const a = open();
    expect(a.run('SELECT', '16')).toEqual(err('ERR DB index is out of range'));
    expect(a.run('SELECT', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(a.run('SELECT', '15')).toEqual(OK);
    expect(a.c.db.id).toBe(15);
  });
});
