import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { checkConfiguredUsers, loadUsersAtStartup, type StartupLine } from './startup';
import { sha256hex } from './sha256';

function setup() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1 });
  const open = () => {
    let closed = false;
    const c = engine.createClient({ close: () => (closed = true) });
    return { c, closed: () => closed, run: (...argv: string[]) => engine.dispatch(c, argv) as Reply };
  };
  return { engine, clock, open };
}

const text = (r: Reply): string => {
  if (r.t !== 'bulk' && r.t !== 'status' && r.t !== 'error') throw new Error(`not a string reply: ${r.t}`);
  return r.v ?? '';
};
const items = (r: Reply): Reply[] => (r.t === 'array' && r.v ? [...r.v] : []);
/** A field of a map reply (ACL LOG entries). */
const field = (r: Reply, name: string): Reply | undefined =>
  r.t === 'map' ? r.v.find(([k]) => k.t === 'bulk' && k.v === name)?.[1] : undefined;

describe('sha256hex', () => {
  it('matches the FIPS 180-4 test vectors, including a multi-block message', () => {
    expect(sha256hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });
});

describe('ACL GENPASS', () => {
  it('returns ceil(bits/4) lower-case hex characters, 64 by default', () => {
    const { open } = setup();
    const a = open();
    for (const [bits, len] of [
      [undefined, 64],
      [1, 1],
      [5, 2],
      [8, 2],
      [4096, 1024],
    ] as const) {
      const pass = text(bits === undefined ? a.run('ACL', 'GENPASS') : a.run('ACL', 'GENPASS', String(bits)));
      expect(pass).toMatch(/^[0-9a-f]+$/);
      expect(pass.length).toBe(len);
    }
    expect(text(a.run('ACL', 'GENPASS'))).not.toBe(text(a.run('ACL', 'GENPASS')));
  });
});

describe('users and the dispatch fast path', () => {
  it('lets the default user skip the permission check until its rules restrict it', () => {
    const { engine, open } = setup();
    const a = open();
    expect(engine.acl.defaultUser.unrestricted).toBe(true);
    a.run('ACL', 'SETUSER', 'default', '-get');
    expect(engine.acl.defaultUser.unrestricted).toBe(false);
    expect(a.run('GET', 'k')).toEqual({
      t: 'error',
      v: "NOPERM this user has no permissions to run the 'get' command",
    });
    a.run('ACL', 'SETUSER', 'default', '+@all');
    expect(engine.acl.defaultUser.unrestricted).toBe(true);
    expect(a.run('GET', 'k')).toEqual({ t: 'bulk', v: null });
  });

  it('shows the user of each connection in CLIENT LIST and CLIENT INFO', () => {
    const { open } = setup();
    const a = open();
    const b = open();
    a.run('ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*');
    expect(b.run('AUTH', 'bob', 'pw')).toEqual({ t: 'status', v: 'OK' });
    expect(text(b.run('CLIENT', 'INFO'))).toContain(' user=bob ');
    const list = text(a.run('CLIENT', 'LIST')).split('\n');
    expect(list.filter((l) => l.includes(' user=bob '))).toHaveLength(1);
    expect(list.filter((l) => l.includes(' user=default '))).toHaveLength(1);
  });

  it('describes several single-command rules so that applying them again gives the same user', () => {
    const { open } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'u', '-@all', '+get', '+hset', '+client|list', '+config', '-config|set', '+select|0');
    const rules = text(items(a.run('ACL', 'LIST'))[1])
      .split(' ')
      .slice(2);
    expect(rules).toEqual(
      expect.arrayContaining(['+get', '+hset', '+client|list', '+config', '-config|set', '+select|0']),
    );
    a.run('ACL', 'SETUSER', 'v', ...rules);
    const again = text(items(a.run('ACL', 'LIST'))[2])
      .split(' ')
      .slice(2);
    expect(again).toEqual(rules);
  });

  it('gives commands registered later to users whose rules started from +@all', () => {
    const { engine, open } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'all', 'on', 'nopass', '+@all', '-get', '~*');
    a.run('ACL', 'SETUSER', 'some', 'on', 'nopass', '-@all', '+set', '~*');
    engine.table.add([
      {
        name: 'LABTESTCMD',
        group: 'server',
        arity: 1,
        flags: ['fast'],
        summary: 'test',
        since: '7.0.0',
        exec: () => ({ t: 'status', v: 'OK' }),
      },
    ]);
    const b = open();
    b.run('AUTH', 'all', 'x');
    expect(b.run('LABTESTCMD')).toEqual({ t: 'status', v: 'OK' });
    b.run('AUTH', 'some', 'x');
    expect(b.run('LABTESTCMD')).toEqual({
      t: 'error',
      v: "NOPERM this user has no permissions to run the 'labtestcmd' command",
    });
    const users = text(items(a.run('ACL', 'LIST'))[0]) + text(items(a.run('ACL', 'LIST'))[2]);
    expect(users).not.toContain('labtestcmd');
    expect(a.run('ACL', 'DRYRUN', 'all', 'labtestcmd')).toEqual({ t: 'status', v: 'OK' });
    expect(text(a.run('ACL', 'DRYRUN', 'some', 'labtestcmd'))).toBe(
      "This user has no permissions to run the 'labtestcmd' command",
    );
  });
});

describe('ACL LOG', () => {
  it('groups a repeated denial within a minute and starts a new entry after it', () => {
    const { clock, open } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '-get', '~*');
    const b = open();
    b.run('AUTH', 'u', 'x');
    b.run('GET', 'k');
    clock.advance(30_000);
    b.run('GET', 'k');
    expect(items(a.run('ACL', 'LOG'))).toHaveLength(1);
    expect(field(items(a.run('ACL', 'LOG'))[0], 'count')).toEqual({ t: 'int', v: 2 });
    clock.advance(61_000);
    b.run('GET', 'k');
    expect(items(a.run('ACL', 'LOG'))).toHaveLength(2);
  });

  it('keeps at most acllog-max-len entries, newest first', () => {
    const { open } = setup();
    const a = open();
    a.run('CONFIG', 'SET', 'acllog-max-len', '2');
    for (const name of ['u1', 'u2', 'u3']) a.run('AUTH', name, 'wrong');
    const log = items(a.run('ACL', 'LOG'));
    expect(log.map((e) => field(e, 'username'))).toEqual([
      { t: 'bulk', v: 'u3' },
      { t: 'bulk', v: 'u2' },
    ]);
  });
});

describe('users from the config file', () => {
  it('creates them in order and lets "default" be redefined from a reset state', () => {
    const { engine, open } = setup();
    const directives = [
      ['bob', 'on', '>pw', '~k*', '+@all'],
      ['default', 'on', '>secret', '~*', '&*', '+@all', '-flushall'],
    ];
    expect(checkConfiguredUsers(engine, directives)).toBeNull();
    const log: StartupLine[] = [];
    expect(loadUsersAtStartup(engine, directives, log)).toBe(true);
    expect(log).toEqual([]);
    const a = open();
    expect(a.run('PING')).toEqual({ t: 'error', v: 'NOAUTH Authentication required.' });
    expect(a.run('AUTH', 'bob', 'pw')).toEqual({ t: 'status', v: 'OK' });
    expect(items(a.run('ACL', 'LIST')).map(text)).toEqual([
      `user bob on #${sha256hex('pw')} ~k* resetchannels +@all`,
      // (as redis-server 7.0.15 prints it: the reset leaves sanitize-payload)
      `user default on sanitize-payload #${sha256hex('secret')} ~* &* +@all -flushall`,
    ]);
  });

  it('refuses a duplicate user and an invalid rule while the config is read, naming the argument as Redis does', () => {
    const { engine } = setup();
    expect(checkConfiguredUsers(engine, [['a'], ['a', 'on']])).toBe(
      "Error in user declaration 'a': Duplicate user found. A user can only be defined once in config files",
    );
    // (7.0.15 reads the argument at the rule's index in the whole directive: 'on', not '~x')
    expect(checkConfiguredUsers(engine, [['b', 'on', '~*', '~x']])).toBe(
      "Error in user declaration 'on': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
    );
    expect(checkConfiguredUsers(engine, [['b', 'on', '(+get']])).toBe(
      "Error in user declaration 'b': Unknown command or category name in ACL",
    );
    expect(checkConfiguredUsers(engine, [[]])).toBe('Bad directive or wrong number of arguments');
  });

  it('stops the start on a username with spaces or an unknown command, logging what redis-server logs', () => {
    const { engine } = setup();
    expect(checkConfiguredUsers(engine, [['b c'], ['d', 'on', '+nosuch']])).toBeNull();
    let log: StartupLine[] = [];
    expect(loadUsersAtStartup(engine, [['b c']], log)).toBe(false);
    expect(log).toEqual([
      { level: '#', text: 'Spaces not allowed in ACL usernames' },
      { level: '#', text: 'Critical error while loading ACLs. Exiting.' },
    ]);
    log = [];
    expect(loadUsersAtStartup(engine, [['d', 'on', '+nosuch']], log)).toBe(false);
    expect(log).toEqual([
      {
        level: '#',
        text: "Error loading ACL rule '+nosuch' for the user named 'd': Unknown command or category name in ACL",
      },
      { level: '#', text: 'Critical error while loading ACLs. Exiting.' },
    ]);
  });

  it('notes a user left disabled', () => {
    const { engine } = setup();
    const log: StartupLine[] = [];
    expect(loadUsersAtStartup(engine, [['e', '+get']], log)).toBe(true);
    expect(log).toEqual([
      {
        level: '*',
        text: "The user 'e' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.",
      },
    ]);
  });
});
