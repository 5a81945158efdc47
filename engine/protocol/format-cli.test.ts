// redis-cli 7.0's TTY and raw reply formatting. Every expected text below was printed by the real
// redis-cli 7.0.15 (in a pty, against redis-server 7.0.15) for a reply of the same shape.

import { describe, expect, it } from 'vitest';
import {
  type CliReply,
  formatPushForCli,
  formatRaw,
  formatReplyForCli,
  formatTTY,
  printsRaw,
  terminalLines,
  toCliReply,
} from './format-cli';
import { type Reply, array, bulk, bulks, double, error, int, map, NIL, NIL_ARRAY, status } from './reply';

const set = (v: Reply[]): Reply => ({ t: 'set', v });
const push = (v: Reply[]): Reply => ({ t: 'push', v });
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('redis-cli TTY formatting of engine replies', () => {
  const cases: [string, Reply, 2 | 3, string][] = [
    ['integer', int(1), 2, '(integer) 1\n'],
    ['negative integer', int(-7), 2, '(integer) -7\n'],
    ['64-bit integer', int(9223372036854775807n), 2, '(integer) 9223372036854775807\n'],
    ['missing key', NIL, 2, '(nil)\n'],
    ['nil array (BLPOP timeout)', NIL_ARRAY, 2, '(nil)\n'],
    ['RESP3 null', NIL, 3, '(nil)\n'],
    ['error', error('ERR boom'), 2, '(error) ERR boom\n'],
    ['status', status('OK'), 2, 'OK\n'],
    ['bulk string with escapes', bulk('a"b\\c\n\t\x01\xc3\xa9 \x7f'), 2, '"a\\"b\\\\c\\n\\t\\x01\\xc3\\xa9 \\x7f"\n'],
    ['empty bulk string', bulk(''), 2, '""\n'],
    ['empty array', array([]), 2, '(empty array)\n'],
    [
      'nested arrays indent under the parent element',
      array([int(1), array([int(2), array([int(3), bulk('a')])]), array([]), bulk('x\n')]),
      2,
      '1) (integer) 1\n2) 1) (integer) 2\n   2) 1) (integer) 3\n      2) "a"\n3) (empty array)\n4) "x\\n"\n',
    ],
    [
      'indexes are right-aligned and nested levels follow the widest index',
      array(range(12).map((i) => array([int(i), bulks(['a', 'b'])]))),
      2,
      range(12)
        .map((i) => {
          const idx = String(i).padStart(2);
          return `${idx}) 1) (integer) ${i}\n    2) 1) "a"\n       2) "b"\n`;
        })
        .join(''),
    ],
    [
      'three-digit indexes',
      array([...range(100).map((i) => int(i)), array([bulk('x'), bulks(['y', 'z'])])]),
      2,
      `${range(100)
        .map((i) => `${String(i).padStart(3)}) (integer) ${i}\n`)
        .join('')}101) 1) "x"\n     2) 1) "y"\n        2) "z"\n`,
    ],
    ['RESP3 double', double(0.1), 3, '(double) 0.10000000000000001\n'],
    ['RESP3 double in exponent form', double(1e20), 3, '(double) 1e+20\n'],
    ['RESP3 infinite double', double(Number.POSITIVE_INFINITY), 3, '(double) inf\n'],
    ['RESP2 double is a bulk string', double(1.5), 2, '"1.5"\n'],
    [
      'RESP2 map is a flat array',
      map([
        [bulk('a'), int(1)],
        [bulk('b'), int(2)],
      ]),
      2,
      '1) "a"\n2) (integer) 1\n3) "b"\n4) (integer) 2\n',
    ],
    ['RESP3 empty map', map([]), 3, '(empty hash)\n'],
    ['RESP3 empty set', set([]), 3, '(empty set)\n'],
    ['RESP3 set', set([bulk('a'), bulk('b'), bulk('c')]), 3, '1~ "a"\n2~ "b"\n3~ "c"\n'],
    ['RESP2 set is an array', set([bulk('a')]), 2, '1) "a"\n'],
    [
      'map values that span lines start on the next line',
      map([
        [
          bulk('k'),
          map([
            [bulk('a'), int(1)],
            [bulk('b'), array([int(1), int(2)])],
          ]),
        ],
      ]),
      3,
      '1# "k" => \n   1# "a" => (integer) 1\n   2# "b" => \n      1) (integer) 1\n      2) (integer) 2\n',
    ],
    [
      'a one-element array value stays on the key line',
      map([[bulk('k'), array([bulk('x')])]]),
      3,
      '1# "k" => 1) "x"\n',
    ],
    [
      'HELLO 3',
      map([
        [bulk('server'), bulk('redis')],
        [bulk('version'), bulk('7.0.15')],
        [bulk('proto'), int(3)],
        [bulk('id'), int(11)],
        [bulk('mode'), bulk('standalone')],
        [bulk('role'), bulk('master')],
        [bulk('modules'), array([])],
      ]),
      3,
      '1# "server" => "redis"\n2# "version" => "7.0.15"\n3# "proto" => (integer) 3\n4# "id" => (integer) 11\n' +
        '5# "mode" => "standalone"\n6# "role" => "master"\n7# "modules" => (empty array)\n',
    ],
    ['empty aggregates inside an array', array([map([]), set([])]), 3, '1) (empty hash)\n2) (empty set)\n'],
    [
      'RESP3 ZRANGE WITHSCORES',
      array([array([bulk('a'), double(0.1)]), array([bulk('b'), double(1e20)])]),
      3,
      '1) 1) "a"\n   2) (double) 0.10000000000000001\n2) 1) "b"\n   2) (double) 1e+20\n',
    ],
  ];
  it.each(cases)('%s', (_name, reply, resp, expected) => {
    expect(formatTTY(toCliReply(reply, resp))).toBe(expected);
  });
});

describe('hiredis-only reply types', () => {
  const cases: [string, CliReply, string][] = [
    ['true', { type: 'bool', value: true }, '(true)\n'],
    ['false', { type: 'bool', value: false }, '(false)\n'],
    ['verbatim strings print unquoted', { type: 'verb', str: 'a "b"' }, 'a "b"\n'],
    [
      'booleans inside an array',
      {
        type: 'array',
        elements: [
          { type: 'bool', value: true },
          { type: 'bool', value: false },
        ],
      },
      '1) (true)\n2) (false)\n',
    ],
    ['empty push', { type: 'push', elements: [] }, '(empty push)\n'],
  ];
  it.each(cases)('%s', (_name, reply, expected) => {
    expect(formatTTY(reply)).toBe(expected);
  });
});

describe('raw output (INFO, CLIENT LIST... in interactive mode)', () => {
  it('knows which commands redis-cli prints raw', () => {
    expect(printsRaw(['INFO'])).toBe(true);
    expect(printsRaw(['info', 'server'])).toBe(true);
    expect(printsRaw(['CLIENT', 'LIST'])).toBe(true);
    expect(printsRaw(['client', 'info'])).toBe(true);
    expect(printsRaw(['CLIENT', 'ID'])).toBe(false);
    expect(printsRaw(['LATENCY', 'DOCTOR'])).toBe(true);
    expect(printsRaw(['LATENCY', 'GRAPH', 'command'])).toBe(true);
    expect(printsRaw(['LATENCY', 'GRAPH'])).toBe(false);
    expect(printsRaw(['MEMORY', 'DOCTOR'])).toBe(true);
    expect(printsRaw(['MEMORY', 'USAGE', 'k'])).toBe(false);
    expect(printsRaw(['DEBUG', 'HTSTATS', '0'])).toBe(true);
    expect(printsRaw(['GET', 'info'])).toBe(false);
  });

  it('prints INFO text as it is, without quotes or a trailing newline', () => {
    expect(formatReplyForCli(bulk('# Server\r\nredis_version:7.0.15\r\n'), 2, ['INFO', 'server'])).toBe(
      '# Server\r\nredis_version:7.0.15\r\n',
    );
  });

  it('prints a raw error without the (error) tag', () => {
    expect(formatReplyForCli(error('ERR syntax error'), 2, ['CLIENT', 'LIST', 'x'])).toBe('ERR syntax error\n');
  });

  it('joins aggregates with newlines and map pairs with a space (redis-cli --raw)', () => {
    expect(formatRaw(toCliReply(array([bulk('a'), int(2), NIL, array([bulk('x'), bulk('y')])]), 2))).toBe(
      'a\n2\n\nx\ny',
    );
    expect(formatRaw(toCliReply(map([[bulk('k'), bulk('v')]]), 3))).toBe('k v');
  });

  it('formats other commands as TTY output', () => {
    expect(formatReplyForCli(bulk('v'), 2, ['GET', 'k'])).toBe('"v"\n');
  });
});

describe('terminal text', () => {
  it("turns \\n into \\r\\n and ends on a fresh line, keeping INFO's \\r\\n", () => {
    expect(terminalLines('1) "a"\n2) "b"\n')).toBe('1) "a"\r\n2) "b"\r\n');
    expect(terminalLines('# Server\r\nredis_version:7.0.15\r\n')).toBe('# Server\r\nredis_version:7.0.15\r\n');
    expect(terminalLines('no newline')).toBe('no newline\r\n');
    expect(terminalLines('')).toBe('');
  });
});

describe('pushes', () => {
  it('prints a pub/sub message like any array', () => {
    expect(formatPushForCli(push([bulk('message'), bulk('ch'), bulk('hi')]), 3)).toBe(
      '1) "message"\n2) "ch"\n3) "hi"\n',
    );
  });

  it('prints client-side caching invalidations on one line', () => {
    expect(formatPushForCli(push([bulk('invalidate'), bulks(['a', 'b'])]), 3)).toBe("-> invalidate: 'a', 'b'\n");
  });
});
