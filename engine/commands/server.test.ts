import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1, config });
  const open = (addr = '127.0.0.1:5000') => {
    const pushed: Reply[] = [];
    const c = engine.createClient({ addr, deliver: (r) => pushed.push(r) });
    return { c, pushed, run: (...argv: string[]) => engine.dispatch(c, argv) };
  };
  return { engine, clock, open };
}

const OK: Reply = { t: 'status', v: 'OK' };
const text = (r: Reply | undefined): string => (r as { v: string }).v;
/** The items of an array reply. */
const items = (r: Reply | undefined): readonly Reply[] => (r as { v: readonly Reply[] }).v;
/** SLOWLOG GET entries as [id, time, duration, args, peer, name]. */
const slowlog = (r: Reply | undefined) => items(r).map(items);

describe('MONITOR', () => {
  it('streams every other client command with its db and address, but not admin commands', () => {
    const { open } = setup();
    const mon = open('127.0.0.1:9000');
    const a = open('127.0.0.1:1234');
    expect(mon.run('MONITOR')).toEqual(OK);
    a.run('SET', 'k', 'v');
    a.run('SELECT', '2');
    a.run('GET', 'k');
    a.run('CONFIG', 'GET', 'maxmemory');
    expect(mon.pushed.map((r) => text(r).replace(/^\d+\.\d{6} /, ''))).toEqual([
      '[0 127.0.0.1:1234] "SET" "k" "v"',
      '[2 127.0.0.1:1234] "SELECT" "2"',
      '[2 127.0.0.1:1234] "GET" "k"',
    ]);
  });

  it('redacts CONFIG SET of sensitive parameters in the slow log', () => {
    const { open } = setup({ 'slowlog-log-slower-than': '0' });
    const a = open();
    a.run('CONFIG', 'SET', 'requirepass', 'hunter2');
    a.run('CONFIG', 'SET', 'requirepass', '');
    const args = slowlog(a.run('SLOWLOG', 'GET', '-1')).map((e) => items(e[3]).map(text));
    expect(args).toContainEqual(['CONFIG', 'SET', 'requirepass', '(redacted)']);
    expect(JSON.stringify(args)).not.toContain('hunter2');
  });
});

describe('SLOWLOG', () => {
  it('records only commands at or over slowlog-log-slower-than, newest first, capped at slowlog-max-len', () => {
    const { open } = setup({ 'enable-debug-command': 'yes' });
    const a = open();
    a.run('CONFIG', 'SET', 'slowlog-log-slower-than', '20000');
    a.run('SLOWLOG', 'RESET');
    a.run('SET', 'fast', '1');
    expect(a.run('DEBUG', 'SLEEP', '0.03')).toEqual(OK);
    expect(a.run('SLOWLOG', 'LEN')).toEqual({ t: 'int', v: 1 });
    const [entry] = slowlog(a.run('SLOWLOG', 'GET'));
    expect((entry[2] as { v: number }).v).toBeGreaterThanOrEqual(20000);
    expect(items(entry[3]).map(text)).toEqual(['DEBUG', 'SLEEP', '0.03']);
    expect(text(entry[4])).toBe('127.0.0.1:5000');
    a.run('CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '2');
    a.run('PING');
    a.run('ECHO', 'x');
    expect(a.run('SLOWLOG', 'LEN')).toEqual({ t: 'int', v: 2 });
    a.run('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    a.run('SLOWLOG', 'RESET');
    a.run('PING');
    expect(a.run('SLOWLOG', 'LEN')).toEqual({ t: 'int', v: 0 });
  });

  it('trims long argument lists and long arguments as Redis does', () => {
    const { open } = setup({ 'slowlog-log-slower-than': '0' });
    const a = open();
    a.run('ECHO', 'y'.repeat(200));
    const args = Array.from({ length: 40 }, (_, i) => `a${i}`);
    a.run('PING', ...args);
    const [ping, echo] = slowlog(a.run('SLOWLOG', 'GET', '2')).map((e) => items(e[3]).map(text));
    expect(ping).toHaveLength(32);
    expect(ping[31]).toBe('... (10 more arguments)');
    expect(echo[1]).toBe(`${'y'.repeat(128)}... (72 more bytes)`);
  });
});

describe('SWAPDB', () => {
  it('swaps contents while clients keep their db index, and invalidates WATCHes on both sides', () => {
    const { open } = setup();
    const a = open();
    a.run('SET', 'k', 'zero');
    a.run('SELECT', '1');
    a.run('SET', 'k', 'one');
    a.run('SET', 'only1', 'x');
    // w0 watches a key db 0 lacks but db 1 has; w1 watches a key db 1 has; w2 a key neither has.
    const w0 = open();
    const w1 = open();
    const w2 = open();
    w0.run('WATCH', 'only1');
    w1.run('SELECT', '1');
    w1.run('WATCH', 'k');
    w2.run('WATCH', 'nowhere');
    expect(a.run('SWAPDB', '0', '1')).toEqual(OK);
    expect(a.run('GET', 'k')).toEqual({ t: 'bulk', v: 'zero' });
    a.run('SELECT', '0');
    expect(a.run('GET', 'only1')).toEqual({ t: 'bulk', v: 'x' });
    const exec = (w: ReturnType<typeof open>) => {
      w.run('MULTI');
      w.run('PING');
      return w.run('EXEC');
    };
    expect(exec(w0)).toEqual({ t: 'array', v: null });
    expect(exec(w1)).toEqual({ t: 'array', v: null });
    expect(exec(w2)).toEqual({ t: 'array', v: [{ t: 'status', v: 'PONG' }] });
    expect(a.run('SWAPDB', '0', '16')).toEqual({ t: 'error', v: 'ERR DB index is out of range' });
    expect(a.run('SWAPDB', 'x', '1')).toEqual({ t: 'error', v: 'ERR invalid first DB index' });
  });
});

describe('CONFIG', () => {
  it('SET is all or nothing: a bad value leaves every parameter untouched', () => {
    const { engine, open } = setup();
    const a = open();
    expect(a.run('CONFIG', 'SET', 'maxmemory-samples', '7', 'hz', 'abc')).toEqual({
      t: 'error',
      v: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
    });
    expect(engine.config.get('maxmemory-samples')).toBe('5');
    expect(a.run('CONFIG', 'SET', 'maxmemory-samples', '7', 'maxmemory', '2mb')).toEqual(OK);
    expect([engine.config.get('maxmemory-samples'), engine.config.get('maxmemory')]).toEqual(['7', '2097152']);
    expect(a.run('CONFIG', 'SET', 'port', '1', 'port', '2')).toEqual({
      t: 'error',
      v: "ERR CONFIG SET failed (possibly related to argument 'port') - duplicate parameter",
    });
  });

  it('GET matches globs against names and aliases, exact names as typed', () => {
    const { open } = setup();
    const a = open();
    const pairs = (r: Reply | undefined) =>
      (r as { v: readonly (readonly [Reply, Reply])[] }).v.map(([k, v]) => [text(k), text(v)]);
    expect(pairs(a.run('CONFIG', 'GET', 'MAXMEMORY'))).toEqual([['MAXMEMORY', '0']]);
    expect(pairs(a.run('CONFIG', 'GET', '*ziplist-entries')).sort()).toEqual([
      ['hash-max-ziplist-entries', '512'],
      ['zset-max-ziplist-entries', '128'],
    ]);
    expect(pairs(a.run('CONFIG', 'GET', 'key-load*'))).toEqual([]);
    expect(pairs(a.run('CONFIG', 'GET', 'key-load-delay'))).toEqual([['key-load-delay', '0']]);
  });

  it('emits a config event per changed parameter', () => {
    const { engine, open } = setup();
    const seen: string[] = [];
    engine.on((e) => {
      if (e.type === 'config') seen.push(`${e.name}=${e.value}`);
    });
    open().run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru', 'hz', '1000');
    expect(seen).toEqual(['maxmemory-policy=allkeys-lru', 'hz=500']);
  });
});

describe('INFO', () => {
  it('prints the default sections in order, each with its 7.0 fields', () => {
    const { open } = setup();
    const a = open();
    const info = text(a.run('INFO'));
    const titles = info.split('\r\n').filter((l) => l.startsWith('# '));
    expect(titles).toEqual([
      '# Server',
      '# Clients',
      '# Memory',
      '# Persistence',
      '# Stats',
      '# Replication',
      '# CPU',
      '# Modules',
      '# Errorstats',
      '# Cluster',
      '# Keyspace',
    ]);
    for (const field of [
      'redis_version:7.0.15',
      'connected_clients:1',
      'maxmemory_policy:noeviction',
      'role:master',
      'cluster_enabled:0',
    ])
      expect(info).toContain(`\r\n${field}\r\n`);
    const all = text(a.run('INFO', 'all'));
    expect(all).toContain('# Commandstats\r\ncmdstat_info:calls=1,');
    expect(all).toContain('# Latencystats\r\nlatency_percentiles_usec_info:p50=');
    expect(text(a.run('INFO', 'nosuch'))).toBe('');
  });

  it('reports keyspace and error statistics', () => {
    const { open } = setup();
    const a = open();
    a.run('SET', 'a', '1');
    a.run('GET');
    a.run('HELLO', '9');
    expect(text(a.run('INFO', 'keyspace', 'errorstats'))).toBe(
      '# Errorstats\r\nerrorstat_ERR:count=1\r\nerrorstat_NOPROTO:count=1\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n',
    );
    a.run('CONFIG', 'RESETSTAT');
    expect(text(a.run('INFO', 'errorstats'))).toBe('# Errorstats\r\n');
  });

  it('reports used_memory from the memory model, growing with the dataset', () => {
    const { open } = setup();
    const a = open();
    const used = () => Number(/used_memory:(\d+)/.exec(text(a.run('INFO', 'memory')))?.[1]);
    const before = used();
    a.run('SET', 'key', 'x'.repeat(1000));
    expect(used() - before).toBeGreaterThanOrEqual(1040);
  });
});

describe('COMMAND', () => {
  it('describes commands from the table and extracts keys with their flags', () => {
    const { open } = setup();
    const a = open();
    const info = items(a.run('COMMAND', 'INFO', 'memory|usage')).map(items);
    expect(info[0].slice(0, 6)).toEqual([
      { t: 'bulk', v: 'memory|usage' },
      { t: 'int', v: -3 },
      { t: 'set', v: [{ t: 'status', v: 'readonly' }] },
      { t: 'int', v: 2 },
      { t: 'int', v: 2 },
      { t: 'int', v: 1 },
    ]);
    expect(a.run('COMMAND', 'GETKEYS', 'MEMORY', 'USAGE', 'k')).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'k' }] });
    expect(a.run('COMMAND', 'GETKEYS', 'PING', 'x')).toEqual({ t: 'error', v: 'ERR The command has no key arguments' });
    expect(a.run('COMMAND', 'COUNT')).toEqual({ t: 'int', v: a.c.engine.table.commands.length });
  });
});
