import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
import { persistenceOf } from '../persistence/lifecycle';
import { MemoryStorage } from '../persistence/storage/memory';
import { fromBytes, toBytes } from '../protocol/binary';
import type { Reply } from '../protocol/reply';
import { sha256hex } from './sha256';
import { loadUsersAtStartup, type StartupLine } from './startup';

const DEFAULT = 'user default on nopass ~* &* +@all';
const ROLLBACK = 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';

function setup(config: Record<string, string> = { aclfile: 'users.acl' }, file: string | null = `${DEFAULT}\n`) {
  const clock = new ManualClock();
  const disk = new VirtualDisk(new MemoryStorage(), clock);
  const path = config.dir ? `${config.dir}/${config.aclfile}` : (config.aclfile ?? 'users.acl');
  if (file !== null) disk.write(path, toBytes(file));
  const engine = createEngine({ clock, seed: 1, config, disk });
  const open = () => {
    let closed = false;
    const c = engine.createClient({ close: () => (closed = true) });
    return { c, closed: () => closed, run: (...argv: string[]) => engine.dispatch(c, argv) as Reply };
  };
  const write = (text: string) => disk.write(path, toBytes(text));
  const read = () => {
    const b = disk.read(path);
    return b === null ? null : fromBytes(b);
  };
  const warnings = () =>
    persistenceOf(engine)
      .logLines.filter((l) => l.level === '#')
      .map((l) => l.text);
  return { engine, disk, open, write, read, warnings };
}

const text = (r: Reply): string => {
  if (r.t !== 'bulk' && r.t !== 'status' && r.t !== 'error') throw new Error(`not a string reply: ${r.t}`);
  return r.v ?? '';
};
const list = (run: (...argv: string[]) => Reply): string[] => {
  const r = run('ACL', 'LIST');
  return r.t === 'array' && r.v ? r.v.map(text) : [];
};
const OK: Reply = { t: 'status', v: 'OK' };
const err = (v: string): Reply => ({ t: 'error', v });

describe('ACL LOAD', () => {
  it('replaces every user with the ones of the file', () => {
    const { open, write } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'old', 'on');
    write(`user bob on >pw ~k* +get\n${DEFAULT}\nuser alice (~x +set) (%R~y)\n`);
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual([
      'user alice off resetchannels -@all (~x resetchannels -@all +set) (%R~y resetchannels -@all)',
      `user bob on #${sha256hex('pw')} ~k* resetchannels -@all +get`,
      DEFAULT,
    ]);
  });

  it('gives "default" its built-in rules when the file does not define it', () => {
    const { open, write } = setup({ aclfile: 'users.acl', requirepass: 'secret' });
    const a = open();
    expect(a.run('AUTH', 'secret')).toEqual(OK);
    write('user bob on\n');
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual(['user bob on resetchannels -@all', DEFAULT]);
    // nopass again: a new connection needs no AUTH.
    expect(open().run('PING')).toEqual({ t: 'status', v: 'PONG' });
  });

  it('changes nothing when any line is wrong, and says what is wrong with each', () => {
    const { open, write } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'keep', 'on', '~k');
    const before = list(a.run);
    const cases: [string, string][] = [
      ['user ok on\n# comment\n', 'users.acl:2 should start with user keyword followed by the username. '],
      ['user\n', 'users.acl:1 should start with user keyword followed by the username. '],
      ['User bob on\n', 'users.acl:1 should start with user keyword followed by the username. '],
      ['user b\tb on\n', "'users.acl:1: username 'b\tb' contains invalid characters. "],
      ['user bob on\nuser bob off\n', "WARNING: Duplicate user 'bob' found on line 2. "],
      ['user bob (+get\n', 'users.acl:1: Unmatched parenthesis in selector definition.'],
      // every unknown command is reported, of the other errors only the first
      [
        'user bob nosuch +foo ~a ~* ~b <y -bar\n',
        "users.acl:1: Syntax error. users.acl:1: Error in applying operation '+foo': Unknown command or category name in ACL. users.acl:1: Error in applying operation '-bar': Unknown command or category name in ACL. ",
      ],
      [
        'user bob ~* ~b <y\n',
        "users.acl:1: Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns. ",
      ],
      ['user bob <nope\n', 'users.acl:1: The password you are trying to remove from the user does not exist. '],
      // no quoting, and two spaces make an empty argument: the username is '' and "bob" a rule
      ['user bob "on"\n', 'users.acl:1: Syntax error. '],
      ['user  bob\n', 'users.acl:1: Syntax error. '],
      // fgets() + strlen(): a NUL drops the rest of its line, newline included
      ['user bob on\0 off\nuser carl on\n', 'users.acl:1: Syntax error. '],
      [
        'user a on\nnope\nuser a\n',
        'users.acl:2 should start with user keyword followed by the username. ' +
          "WARNING: Duplicate user 'a' found on line 3. ",
      ],
    ];
    for (const [file, errors] of cases) {
      write(file);
      expect(a.run('ACL', 'LOAD'), JSON.stringify(file)).toEqual(err(`ERR ${errors}${ROLLBACK}`));
      expect(list(a.run)).toEqual(before);
    }
  });

  it('accepts blank lines, surrounding blanks and CRLF line ends', () => {
    const { open, write } = setup();
    const a = open();
    write(`\n  \r\n\tuser bob on  \r\nuser carl on\r\n${DEFAULT}\r\n`);
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual(['user bob on resetchannels -@all', 'user carl on resetchannels -@all', DEFAULT]);
  });

  it('reports a file it cannot open, and reads a directory as an empty file', () => {
    const { open, disk, engine } = setup();
    const a = open();
    disk.unlink('users.acl');
    expect(a.run('ACL', 'LOAD')).toEqual(
      err("ERR Error loading ACLs, opening file 'users.acl': No such file or directory"),
    );
    disk.mkdir('users.acl');
    a.run('ACL', 'SETUSER', 'gone', 'on');
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual([DEFAULT]);
    expect(engine.acl.users.size).toBe(1);
  });

  it('says "Not a directory" when a parent of the file is a file', () => {
    const { open, disk } = setup({ aclfile: 'conf/users.acl' }, null);
    disk.write('conf', toBytes('x'));
    expect(open().run('ACL', 'LOAD')).toEqual(
      err("ERR Error loading ACLs, opening file 'conf/users.acl': Not a directory"),
    );
  });

  it('finds a relative aclfile under dir', () => {
    const { open } = setup({ aclfile: 'users.acl', dir: 'data' }, 'user zed on\n');
    const a = open();
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual([DEFAULT, 'user zed on resetchannels -@all']);
  });

  it('closes the connections of every replaced user, the caller after its reply', () => {
    const { open, write } = setup();
    const admin = open();
    admin.run('ACL', 'SETUSER', 'bob', 'on', 'nopass', '+@all', '~*');
    const bob = open();
    const bob2 = open();
    const plain = open();
    expect(bob.run('AUTH', 'bob', 'x')).toEqual(OK);
    expect(bob2.run('AUTH', 'bob', 'x')).toEqual(OK);
    write(`${DEFAULT}\nuser bob on nopass +@all ~*\n`);
    // Even though the file defines bob the same way.
    expect(bob2.run('ACL', 'LOAD')).toEqual(OK);
    expect(bob.closed()).toBe(true);
    expect(bob2.c.closeAsap).toBe(true);
    expect(bob2.c.user.name).toBe('default');
    expect(plain.closed()).toBe(false);
    expect(admin.closed()).toBe(false);
    expect(plain.run('PING')).toEqual({ t: 'status', v: 'PONG' });
  });

  it('keeps the connections of "default" when its rules change', () => {
    const { open, write } = setup();
    const a = open();
    write('user default on >pw ~* &* +@all\n');
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(a.closed()).toBe(false);
    expect(a.run('PING')).toEqual({ t: 'status', v: 'PONG' });
    expect(open().run('PING')).toEqual(err('NOAUTH Authentication required.'));
  });

  it('answers without an aclfile as redis-server does', () => {
    const { open } = setup({});
    const a = open();
    const noFile =
      'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';
    expect(a.run('ACL', 'LOAD')).toEqual(err(noFile));
    expect(a.run('ACL', 'SAVE')).toEqual(err(noFile));
  });

  it('leaves out the ERR prefix for an aclfile whose name starts with "-"', () => {
    const { open, write } = setup({ aclfile: '-users.acl' });
    write('nope\n');
    // addReplyError takes the leading '-' as the reply's own error code.
    expect(open().run('ACL', 'LOAD')).toEqual(
      err(`users.acl:1 should start with user keyword followed by the username. ${ROLLBACK}`),
    );
  });
});

describe('ACL SAVE', () => {
  it('writes every user as ACL LIST shows it, in name order, and ACL LOAD reads it back', () => {
    const { open, read, disk } = setup();
    const a = open();
    a.run('ACL', 'SETUSER', 'zoe', 'on', '>pw', '%R~r*', '~w', '&ch', '+@read', '(+set ~s)');
    a.run('ACL', 'SETUSER', 'adam', 'off', 'nopass', 'allkeys', '+@all', '-flushall');
    a.run('ACL', 'SETUSER', 'default', '>secret');
    const saved = list(a.run);
    expect(a.run('ACL', 'SAVE')).toEqual(OK);
    expect(read()).toBe(saved.map((l) => `${l}\n`).join(''));
    expect(saved.map((l) => l.split(' ')[1])).toEqual(['adam', 'default', 'zoe']);
    // the temporary file was renamed over the file
    expect(disk.list('')).toEqual(['users.acl']);
    a.run('ACL', 'DELUSER', 'zoe');
    a.run('ACL', 'SETUSER', 'adam', 'on');
    a.run('ACL', 'SETUSER', 'extra');
    expect(a.run('ACL', 'LOAD')).toEqual(OK);
    expect(list(a.run)).toEqual(saved);
  });

  it('fails when the file cannot be written, logging why, and leaves no temporary file', () => {
    const { open, disk, warnings } = setup();
    const a = open();
    const failed = err(
      'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
    );
    disk.unlink('users.acl');
    disk.mkdir('users.acl');
    expect(a.run('ACL', 'SAVE')).toEqual(failed);
    expect(warnings()).toEqual(['Renaming ACL file for ACL SAVE: Is a directory']);
    expect(disk.list('')).toEqual(['users.acl']);
    expect(disk.list('users.acl')).toEqual([]);
  });

  it('fails when the directory of the file is missing or is a file', () => {
    const { open, disk, warnings } = setup({ aclfile: 'conf/users.acl' }, null);
    const a = open();
    expect(a.run('ACL', 'SAVE')).toEqual(
      err('ERR There was an error trying to save the ACLs. Please check the server logs for more information'),
    );
    disk.write('conf', toBytes('x'));
    expect(a.run('ACL', 'SAVE').t).toBe('error');
    expect(warnings()).toEqual([
      'Opening temp ACL file for ACL SAVE: No such file or directory',
      'Opening temp ACL file for ACL SAVE: Not a directory',
    ]);
  });
});

describe('users at startup', () => {
  it('come from the aclfile', () => {
    const { engine, open } = setup({ aclfile: 'users.acl' }, 'user default on >pw ~* &* +@all\nuser bob on\n');
    const log: StartupLine[] = [];
    expect(loadUsersAtStartup(engine, [], log)).toBe(true);
    expect(log).toEqual([]);
    const a = open();
    expect(a.run('PING')).toEqual(err('NOAUTH Authentication required.'));
    expect(a.run('AUTH', 'pw')).toEqual(OK);
    expect(list(a.run)).toEqual(['user bob on resetchannels -@all', `user default on #${sha256hex('pw')} ~* &* +@all`]);
  });

  it('refuse a bad or missing aclfile, and users declared in the config as well as an aclfile', () => {
    let s = setup({ aclfile: 'users.acl' }, 'user bob on +nosuch\nuser x y\n');
    let log: StartupLine[] = [];
    expect(loadUsersAtStartup(s.engine, [], log)).toBe(false);
    expect(log).toEqual([
      {
        level: '#',
        text: `Aborting Redis startup because of ACL errors: users.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. users.acl:2: Syntax error. ${ROLLBACK}`,
      },
    ]);
    s = setup({ aclfile: 'none.acl' }, null);
    log = [];
    expect(loadUsersAtStartup(s.engine, [], log)).toBe(false);
    expect(log[0].text).toBe(
      "Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'none.acl': No such file or directory",
    );
    s = setup();
    log = [];
    expect(loadUsersAtStartup(s.engine, [['bob', 'on']], log)).toBe(false);
    expect(log).toEqual([
      {
        level: '#',
        text: 'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
      },
    ]);
  });
});
