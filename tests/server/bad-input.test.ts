// Malformed and hostile input against our server and real redis-server 7.0: the same bytes go to
// both, and what comes back (bytes, and whether the connection was closed) must be the same.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exchange, exchange, type ServerProcess, startLab, startRedis } from './servers';

const KB = 1024;

/** The same exchange with both servers. */
async function both(pair: [ServerProcess, ServerProcess], chunks: (string | Uint8Array)[], quietMs?: number) {
  const [ours, real] = await Promise.all([
    exchange(pair[0].port, chunks, quietMs),
    exchange(pair[1].port, chunks, quietMs),
  ]);
  expect([ours.connected, real.connected]).toEqual([true, true]);
  return { ours, real };
}

const show = (e: Exchange) => ({ reply: JSON.stringify(e.reply), closed: e.closed });

describe('protocol errors, byte for byte as redis-server', () => {
  let pair: [ServerProcess, ServerProcess];
  beforeAll(async () => {
    pair = await Promise.all([startLab(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  const cases: [string, string][] = [
    ['a non-numeric multibulk count', '*abc\r\n'],
    ['a multibulk count over INT_MAX', '*3000000000\r\n'],
    ['a multibulk count with a leading zero', '*01\r\n$4\r\nPING\r\n'],
    ['a multibulk count of -0', '*-0\r\n'],
    ['a multibulk count with a plus sign', '*+1\r\n'],
    ['an empty multibulk count', '*\r\n'],
    ['a negative multibulk count (skipped)', '*-5\r\nPING\r\n'],
    ['a zero multibulk count (skipped)', '*0\r\nPING\r\n'],
    ['a negative bulk length', '*1\r\n$-5\r\n'],
    ['a bulk length of -0', '*1\r\n$-0\r\n'],
    ['a non-numeric bulk length', '*1\r\n$abc\r\n'],
    ['a bulk length with trailing garbage', '*1\r\n$4x\r\n'],
    ['a bulk length with a leading zero', '*1\r\n$04\r\nPING\r\n'],
    ['a declared 1 GB bulk (over proto-max-bulk-len)', '*1\r\n$1073741824\r\n'],
    ["a bulk that doesn't start with $", '*1\r\nx3\r\n'],
    ['an empty line where a bulk header should be', '*1\r\n\r\n'],
    ['a newline where a bulk header should be', '*1\r\n\n3\r\n'],
    ['bytes after a bulk instead of CRLF (not checked)', '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n'],
    ['a lone CR ending a count (the next byte is not checked)', '*1\rX$4\r\nPING\r\n'],
    ['unbalanced double quotes in an inline command', 'PING "a\r\n'],
    ['a closing quote followed by a letter', "PING 'a'b\r\n"],
    ['empty inline lines', '\r\n\r\nPING\r\n'],
    ['inline commands ending in LF only', '\nPING\nPING\n'],
    ['good commands before the bad one are answered first', 'PING\r\n*1\r\n$4\r\nPING\r\n*abc\r\nPING\r\n'],
    // C's strchr stops at a NUL byte: Redis then waits for more input.
    ['a NUL byte in an inline command', 'PING\x00\r\n'],
    ['a NUL byte in a bulk header', '*1\r\n$\x004\r\nPING\r\n'],
    ['an unterminated bulk header', '*1\r\nx'],
    ['an unterminated frame', '*2\r\n$3\r\nGET\r\n$3\r\nke'],
    ['a frame missing its last bulk', '*2\r\n$3\r\nGET\r\n'],
  ];
  it.each(cases)('%s', async (_name, wire) => {
    const { ours, real } = await both(pair, [wire]);
    expect(show(ours)).toEqual(show(real));
  });

  it('refuses an inline request over 64 KiB without a newline, and closes', async () => {
    const { ours, real } = await both(pair, ['x'.repeat(70 * KB)]);
    expect(real.reply).toBe('-ERR Protocol error: too big inline request\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('refuses a multibulk count line over 64 KiB', async () => {
    const { ours, real } = await both(pair, [`*${'1'.repeat(70 * KB)}`]);
    expect(real.reply).toBe('-ERR Protocol error: too big mbulk count string\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('refuses a bulk length line over 64 KiB', async () => {
    const { ours, real } = await both(pair, [`*1\r\n$${'1'.repeat(70 * KB)}`]);
    expect(real.reply).toBe('-ERR Protocol error: too big bulk count string\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('waits on an inline line with a NUL byte until it passes 64 KiB', async () => {
    const { ours, real } = await both(pair, [`PING\x00${'x'.repeat(70 * KB)}\r\n`]);
    expect(real.reply).toBe('-ERR Protocol error: too big inline request\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('parses a frame sent one byte at a time', async () => {
    const wire = '*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$2\r\nok\r\n*2\r\n$3\r\nGET\r\n$5\r\nsplit\r\n';
    const { ours, real } = await both(pair, wire.split(''), 600);
    expect(real.reply).toBe('+OK\r\n$2\r\nok\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('applies CONFIG SET proto-max-bulk-len to connections already open', async () => {
    const wire = ['CONFIG SET proto-max-bulk-len 1mb\r\n', `*2\r\n$4\r\nECHO\r\n$${2 * KB * KB}\r\n`];
    const { ours, real } = await both(pair, wire);
    expect(real.reply).toBe('+OK\r\n-ERR Protocol error: invalid bulk length\r\n');
    expect(show(ours)).toEqual(show(real));
    await both(pair, ['CONFIG SET proto-max-bulk-len 512mb\r\n']);
  });

  it('counts a protocol error in errorstats, as an ERR reply', async () => {
    await both(pair, ['CONFIG RESETSTAT\r\n']);
    await both(pair, ['*1\r\n$abc\r\n']);
    const { ours, real } = await both(pair, ['INFO errorstats\r\n']);
    expect(real.reply).toContain('errorstat_ERR:count=1\r\n');
    expect(show(ours)).toEqual(show(real));
  });

  it('round-trips keys and values with NUL, CR/LF and invalid UTF-8 exactly', async () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const samples = ['\x00', 'a\x00b', '\r\n', '\xff\xfe', '\xc3\x28', '\xe2\x82', 'é', all];
    let wire = '';
    for (let i = 0; i < samples.length; i++) {
      const k = `bin:${samples[i]}`;
      wire += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${samples[i].length}\r\n${samples[i]}\r\n`;
      wire += `*2\r\n$3\r\nGET\r\n$${k.length}\r\n${k}\r\n`;
    }
    wire += '*2\r\n$4\r\nKEYS\r\n$5\r\nbin:*\r\n';
    const { ours, real } = await both(pair, [wire]);
    for (const v of samples) expect(real.reply).toContain(`$${v.length}\r\n${v}\r\n`);
    // KEYS order is the dict's: compare the key sets, and everything else byte for byte.
    const keysAt = (r: string) => r.lastIndexOf('*8\r\n');
    expect(ours.reply.slice(0, keysAt(ours.reply))).toBe(real.reply.slice(0, keysAt(real.reply)));
    const keyList = (r: string) =>
      r
        .slice(keysAt(r))
        .split(/\$\d+\r\n/)
        .slice(1)
        .sort();
    expect(keyList(ours.reply)).toEqual(keyList(real.reply));
    expect(ours.closed).toBe(false);
  });
});

describe('limits for clients that have not authenticated', () => {
  let pair: [ServerProcess, ServerProcess];
  beforeAll(async () => {
    pair = await Promise.all([startLab(['--requirepass', 'secret']), startRedis(['--requirepass', 'secret'])]);
  });
  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  it.each([
    ['more than 10 arguments', '*11\r\n'],
    ['a bulk over 16 KiB', '*1\r\n$16385\r\n'],
    ['a bulk of exactly 16 KiB (accepted, waits)', '*1\r\n$16384\r\n'],
    ['10 arguments (accepted)', `*10\r\n${'$4\r\nPING\r\n'.repeat(10)}`],
    ['a command before AUTH', 'GET k\r\n'],
  ])('%s', async (_name, wire) => {
    const { ours, real } = await both(pair, [wire]);
    expect(show(ours)).toEqual(show(real));
  });

  it('lifts them after AUTH', async () => {
    const wire = `AUTH secret\r\n*11\r\n$4\r\nMSET\r\n${'$1\r\nk\r\n'.repeat(10)}`;
    const { ours, real } = await both(pair, [wire]);
    expect(real.reply).toBe('+OK\r\n+OK\r\n');
    expect(show(ours)).toEqual(show(real));
  });
});

describe('client-query-buffer-limit', () => {
  let pair: [ServerProcess, ServerProcess];
  beforeAll(async () => {
    const limit = ['--client-query-buffer-limit', '1mb'];
    pair = await Promise.all([startLab(limit), startRedis(limit)]);
  });
  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  it('closes the connection without a reply when a request outgrows it', async () => {
    const big = 'x'.repeat(256 * KB);
    const chunks = ['PING\r\n', `*2\r\n$4\r\nECHO\r\n$${2 * KB * KB}\r\n`, big, big, big, big, big];
    const { ours, real } = await both(pair, chunks);
    expect(real).toEqual({ reply: '+PONG\r\n', closed: true, connected: true });
    expect(show(ours)).toEqual(show(real));
  });

  it('keeps a connection whose request stays under it', async () => {
    const v = 'y'.repeat(900 * KB);
    const { ours, real } = await both(pair, [`*2\r\n$4\r\nECHO\r\n$${v.length}\r\n${v}\r\n`]);
    expect(real.reply).toBe(`$${v.length}\r\n${v}\r\n`);
    expect(show(ours)).toEqual(show(real));
  });
});
