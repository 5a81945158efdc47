import { describe, expect, it } from 'vitest';
import { parseServerArgs } from './main';

describe('redis-server style command line', () => {
  it('reads --option value pairs, multi-word values and repeated save points', () => {
    const m = parseServerArgs(
      ['--port', '7000', '--save', '900', '1', '--save', '300', '10', '--appendonly', 'yes'],
      () => '',
    );
    expect(Object.fromEntries(m)).toEqual({ port: '7000', save: '900 1 300 10', appendonly: 'yes' });
  });

  it('lets `--save ""` disable snapshots', () => {
    expect(parseServerArgs(['--save', ''], () => '').get('save')).toBe('');
  });

  it('reads a config file first, then command-line options override it', () => {
    const file = '# comment\nport 6400\nmaxmemory-policy allkeys-lru\nrequirepass "s3cret pass"\n';
    const m = parseServerArgs(['redis.conf', '--port', '6500'], () => file);
    expect(m.get('port')).toBe('6500');
    expect(m.get('maxmemory-policy')).toBe('allkeys-lru');
    expect(m.get('requirepass')).toBe('s3cret pass');
  });

  it('collects `user` directives in order, each with its rules, apart from the CONFIG options', () => {
    const users: string[][] = [];
    const file = 'user bob on >x ~* +@all\nport 6400\nuser "carol" "(+get ~k*)"\n';
    const m = parseServerArgs(['redis.conf', '--user', 'dave', 'on'], () => file, users);
    expect(users).toEqual([
      ['bob', 'on', '>x', '~*', '+@all'],
      ['carol', '(+get ~k*)'],
      ['dave', 'on'],
    ]);
    expect(m.has('user')).toBe(false);
    expect(m.get('port')).toBe('6400');
  });

  it('rejects a bare value without an option name', () => {
    expect(() => parseServerArgs(['--port', '1', 'x'], () => '')).not.toThrow();
    expect(() => parseServerArgs(['conf', 'stray'], () => '')).toThrow(/Invalid argument/);
  });
});
