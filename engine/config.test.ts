import { describe, expect, it } from 'vitest';
import { Config, memtoull } from './config';

const failed = (name: string, reason: string) =>
  `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;

describe('Config parameter parsing', () => {
  it('parses memory values with units, wrapping like C on overflow', () => {
    expect(memtoull('1gb')).toBe(1073741824n);
    expect(memtoull('1k')).toBe(1000n);
    expect(memtoull('5MB')).toBe(5242880n);
    expect(memtoull('mb')).toBe(0n);
    expect(memtoull('-1')).toBeNull();
    expect(memtoull('1x')).toBeNull();
    expect(memtoull('99999999999999999999')).toBe(18446744073709551615n);
  });

  it('checks numeric bounds signed or unsigned by storage type, with Redis wording', () => {
    const c = new Config();
    expect(c.setMany([['maxclients', '-1']])).toBe(
      failed('maxclients', 'argument must be between 1 and 4294967295 inclusive'),
    );
    expect(c.setMany([['set-max-intset-entries', '-1']])).toBe(
      failed('set-max-intset-entries', 'argument must be between 0 and 9223372036854775807 inclusive'),
    );
    expect(c.setMany([['active-expire-effort', '11']])).toBe(
      failed('active-expire-effort', 'argument must be between 1 and 10 inclusive'),
    );
    expect(c.setMany([['hz', '1.5']])).toBe(failed('hz', "argument couldn't be parsed into an integer"));
    expect(c.setMany([['maxmemory-clients', '101%']])).toBe(
      failed('maxmemory-clients', 'percentage argument must be less or equal to 100'),
    );
    expect(c.setMany([['maxmemory-clients', '5%']])).toBeNull();
    expect(c.get('maxmemory-clients')).toBe('5%');
  });

  it('lists enum values in Redis order and accepts bit-flag enums', () => {
    const c = new Config();
    expect(c.setMany([['appendfsync', 'sometimes']])).toBe(
      failed('appendfsync', 'argument(s) must be one of the following: everysec, always, no'),
    );
    expect(c.setMany([['shutdown-on-sigterm', 'force now']])).toBeNull();
    expect(c.get('shutdown-on-sigterm')).toBe('now force');
    expect(c.setMany([['oom-score-adj', 'relative']])).toBeNull();
    expect(c.get('oom-score-adj')).toBe('yes');
  });

  it('normalizes special parameters the way CONFIG GET prints them', () => {
    const c = new Config();
    expect(c.setMany([['notify-keyspace-events', 'Exg$lshzetd']])).toBeNull();
    expect(c.getMatching(['notify-keyspace-events'])).toEqual([['notify-keyspace-events', 'AE']]);
    expect(c.setMany([['save', '900 1 60 10000']])).toBeNull();
    expect(c.get('save')).toBe('900 1 60 10000');
    expect(c.setMany([['save', '0 1']])).toBe(failed('save', 'Invalid save parameters'));
    expect(c.setMany([['client-output-buffer-limit', 'pubsub 1mb 0 0']])).toBeNull();
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 0 0');
    expect(c.setMany([['latency-tracking-info-percentiles', '50 99.99']])).toBeNull();
    expect(c.get('latency-tracking-info-percentiles')).toBe('50 99.99');
  });

  it('refuses immutable and protected parameters at run time but takes them at start-up', () => {
    const c = new Config({ databases: '4', 'enable-debug-command': 'local' });
    expect(c.get('databases')).toBe('4');
    expect(c.setMany([['databases', '8']])).toBe(failed('databases', "can't set immutable config"));
    expect(c.setMany([['dir', '/tmp']])).toBe(failed('dir', "can't set protected config"));
    expect(c.setMany([['dir', '/tmp']], true)).toBeNull();
  });

  it('treats an alias as its own entry: both names listed, not a duplicate of each other', () => {
    const c = new Config();
    expect(
      c.setMany([
        ['replica-read-only', 'no'],
        ['slave-read-only', 'yes'],
      ]),
    ).toBeNull();
    expect(c.get('replica-read-only')).toBe('yes');
    expect(
      c.setMany([
        ['slave-read-only', 'no'],
        ['SLAVE-READ-ONLY', 'yes'],
      ]),
    ).toBe(failed('SLAVE-READ-ONLY', 'duplicate parameter'));
    const names = c.entries().map(([n]) => n);
    expect(names).toContain('slave-read-only');
    expect(names).toContain('replica-read-only');
    expect(names).not.toContain('key-load-delay');
  });
});
