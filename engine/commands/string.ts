// String commands (src/t_string.c). Values are binary strings; encodings int/embstr/raw are derived
// as Redis 7.0 would report them (see object encoding in keys.ts).

import { E } from '../errors';
import { type Reply, bulk, NIL, OK } from '../protocol/reply';
import { type CommandSpec, defineCommand, key, str } from './define';
import { fail } from './args';
import type { Client } from '../client';

/** The string value at key, undefined when missing; WRONGTYPE for other types. */
export function getString(c: Client, k: string): string | undefined {
  const v = c.db.lookupRead(k);
  if (v === undefined || typeof v === 'string') return v;
  return fail(E.WRONGTYPE);
}

/** GET key */
export const GET = defineCommand({
  name: 'GET',
  group: 'string',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key()],
  summary: 'Returns the string value of a key.',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const v = getString(c, argv[1]);
    return v === undefined ? NIL : bulk(v);
  },
});

/** SET key value (minimal: the string helper completes the options) */
export const SET = defineCommand({
  name: 'SET',
  group: 'string',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), str('value')],
  summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    c.db.setKey(argv[1], argv[2]);
    c.engine.dirty++;
    return OK;
  },
});

export const STRING_COMMANDS: readonly CommandSpec[] = [GET, SET];
