// Hints, HELP and completion against the real redis-cli 7.0.15. testdata/ holds redis-server
// 7.0.15's COMMAND DOCS (every command) and what redis-cli printed for the same inputs; the
// capture script is scripts/capture-redis-cli.ts.

import { describe, expect, it } from 'vitest';
import { commandTable } from '../commands';
import { commandDoc } from '../worker/host';
import { completeLine, completeToken, helpOutput } from './cli-help';
import { type CommandDoc, buildHelpEntries, hintFor, renderArg } from './hints';
import { splitArgs } from './split-args';
import docs from './testdata/redis-7.0-command-docs.json';
import helpCases from './testdata/redis-cli-7.0-help.json';
import hintCases from './testdata/redis-cli-7.0-hints.json';

const entries = buildHelpEntries(docs as CommandDoc[]);
const hint = (buf: string) => hintFor(entries, buf, splitArgs(buf));

describe('hints match redis-cli 7.0 for every command of Redis 7.0', () => {
  it.each(hintCases as [string, string][])('%j', (input, expected) => {
    // The captured text is what the terminal showed: an empty hint and no hint look the same.
    expect(hint(input) ?? '').toBe(expected);
  });
});

describe("the lab's command table", () => {
  // Same docs as Redis 7.0 → same hints, completion and HELP as redis-cli 7.0 for the same input.
  const ours = new Map(buildHelpEntries(commandTable.commands.map((c) => commandDoc(c.spec))).map((e) => [e.full, e]));
  const shared = entries.filter((e) => e.kind === 'command' && ours.has(e.full));
  it('documents at least some commands', () => {
    expect(shared.length).toBeGreaterThan(0);
  });
  it.each(shared.map((e) => [e.full, e] as const))(
    '%s has Redis 7.0 params, summary, since and group',
    (full, real) => {
      const mine = ours.get(full);
      expect({ params: mine?.params, summary: mine?.summary, since: mine?.since, group: mine?.group }).toEqual({
        params: real.params,
        summary: real.summary,
        since: real.since,
        group: real.group,
      });
    },
  );
});

describe('hints', () => {
  const cases: [string, string | null][] = [
    [
      'SET',
      ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    ],
    [
      'SET k v ',
      '[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    ],
    ['get a b c', ' '],
    ['get a b c ', ''],
    ['FOO bar', null],
    ['SET "unbalanced', null],
    ['   ', null],
    ['CONFIG GET ', 'parameter [parameter ...]'],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(hint(input)).toBe(expected);
  });
});

describe('parameter lines', () => {
  it('renders an empty token or name as ""', () => {
    expect(
      renderArg({
        name: 'key',
        type: 'oneof',
        args: [
          { name: 'key', type: 'key' },
          { name: 'empty', type: 'pure-token', token: '' },
        ],
      }),
    ).toBe('key|""');
  });
  it('repeats the token of a multiple_token argument', () => {
    expect(
      renderArg({
        name: 'pattern',
        type: 'pattern',
        token: 'GET',
        optional: true,
        multiple: true,
        multipleToken: true,
      }),
    ).toBe('[GET pattern [GET pattern ...]]');
  });
});

describe('HELP output matches redis-cli 7.0', () => {
  it.each(helpCases as [string[], string][])('help %j', (args, expected) => {
    expect(helpOutput(entries, args)).toBe(expected);
  });
});

describe('Tab completion', () => {
  it('offers command names in table order', () => {
    // redis-cli: "ge" + Tab shows GEOADD, a second Tab GEODIST.
    expect(completeLine(entries, 'ge').slice(0, 2)).toEqual(['GEOADD', 'GEODIST']);
    expect(completeLine(entries, 'zrangeb')).toEqual(['ZRANGEBYLEX', 'ZRANGEBYSCORE']);
    expect(completeLine(entries, 'zzz')).toEqual([]);
  });
  it('completes subcommands as whole lines', () => {
    expect(completeLine(entries, 'config g')).toEqual(['CONFIG GET']);
  });
  it('offers help topics, groups first, after "help "', () => {
    expect(completeLine(entries, 'help @s').slice(0, 2)).toEqual(['help @scripting', 'help @server']);
    expect(completeLine(entries, 'help  set').slice(0, 2)).toEqual(['help  SET', 'help  SETBIT']);
    // Groups are help topics only.
    expect(completeLine(entries, '@s')).toEqual([]);
  });
  it('LAB: completes argument tokens of the command being typed', () => {
    const line = 'ZADD k N';
    expect(completeLine(entries, line)).toEqual([]);
    expect(completeToken(entries, line, splitArgs(line))).toEqual(['ZADD k NX']);
    expect(completeToken(entries, 'set k v e', splitArgs('set k v e'))).toEqual(['set k v EX', 'set k v EXAT']);
    expect(completeToken(entries, 'set k v ', splitArgs('set k v '))).toEqual([]);
    expect(completeToken(entries, 'nosuch x', splitArgs('nosuch x'))).toEqual([]);
  });
});
