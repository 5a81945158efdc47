import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { CATEGORIES, describeEvent, EventLog, type LogCategory } from './event-log-model';

const all = new Set<LogCategory>(CATEGORIES.map((c) => c.id));
const cmd = (...argv: string[]): EngineEvent => ({ type: 'command', db: 0, client: 'c1', argv, more: 0, at: 5 });

describe('event log lines', () => {
  it('writes commands as MONITOR does, quoting what is not a plain word', () => {
    expect(describeEvent(cmd('SET', 'k', 'hello world'))).toEqual({
      cat: 'command',
      text: '[0 c1] SET k "hello world"',
      at: 5,
    });
    const cut: EngineEvent = { type: 'command', db: 2, client: 'c1', argv: ['ZADD', 'z'], more: 40, at: 1 };
    expect(describeEvent(cut)?.text).toBe('[2 c1] ZADD z … (40 more)');
  });

  it('sorts expiries, evictions and disk operations into their own categories', () => {
    expect(describeEvent({ type: 'key', db: 0, key: 'a', op: 'expired' })?.cat).toBe('expired');
    expect(describeEvent({ type: 'key', db: 0, key: 'a', op: 'evicted' })?.cat).toBe('evicted');
    expect(describeEvent({ type: 'key', db: 0, key: 'a', op: 'set' })?.cat).toBe('keys');
    expect(
      describeEvent({ type: 'disk', op: 'fsync', path: 'appendonly.aof', bytes: 10, size: 20, durable: 20, at: 9 }),
    ).toEqual({ cat: 'disk', text: 'fsync appendonly.aof: 10 B, size 20 B, durable 20 B', at: 9 });
    expect(describeEvent({ type: 'shutdown' })).toBeNull();
  });
});

describe('EventLog', () => {
  it('keeps the newest entries up to its capacity', () => {
    const log = new EventLog(3);
    log.add([cmd('GET', 'a'), cmd('GET', 'b'), cmd('GET', 'c'), cmd('GET', 'd')], 0);
    expect(log.length).toBe(3);
    expect(log.overwritten).toBe(1);
    expect(log.select(all, '', 10).map((e) => e.text)).toEqual(['[0 c1] GET b', '[0 c1] GET c', '[0 c1] GET d']);
  });

  it('filters by category and by text, newest `limit` lines oldest first', () => {
    const log = new EventLog();
    log.add(
      [
        cmd('SET', 'user:1', 'x'),
        { type: 'notify', db: 0, event: 'set', key: 'user:1', cls: '$' },
        cmd('SET', 'other', 'y'),
        { type: 'key', db: 0, key: 'user:1', op: 'expired' },
      ],
      7,
    );
    expect(log.select(new Set(['command']), '', 10).map((e) => e.text)).toEqual([
      '[0 c1] SET user:1 x',
      '[0 c1] SET other y',
    ]);
    expect(log.select(all, 'USER:1', 2).map((e) => e.cat)).toEqual(['keyspace', 'expired']);
    expect(log.select(all, '', 10)[1].at).toBe(7);
    const v = log.version;
    log.clear();
    expect(log.version).toBeGreaterThan(v);
    expect(log.select(all, '', 10)).toEqual([]);
  });
});
