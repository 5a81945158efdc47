// CLIENT (src/networking.c clientCommand): ID, INFO, LIST, KILL, SETNAME, GETNAME, REPLY, NO-EVICT,
// UNBLOCK, HELP; TRACKING, CACHING, GETREDIR, TRACKINGINFO, PAUSE, UNPAUSE are in
// connection-tracking.ts. The CLIENT LIST line follows catClientInfoString's field order; buffer
// sizes are modelled on a fresh 7.0 connection.

import type { User } from '../acl/user';
import type { Client } from '../client';
import { E, subcommandSyntaxError } from '../errors';
import { type Reply, bulk, int, NIL, OK, ZERO } from '../protocol/reply';
import { fail, parseLongLong } from './args';
import { setClientName } from './connection-name';
import { type ArgSpec, type CommandSpec, defineCommand } from './define';
import { TRACKING_SUBCOMMANDS } from './connection-tracking';
import { helpSubcommand } from './help';
import { clientInfoLine, killClient } from '../client-line';

const FLAGS = ['noscript', 'loading', 'stale'] as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

function clientTypeByName(name: string): ClientType | null {
  const n = name.toLowerCase();
  if (n === 'normal' || n === 'pubsub' || n === 'master') return n;
  if (n === 'slave' || n === 'replica') return 'slave';
  return null;
}

/** getClientType: MONITOR clients count as normal. */
function clientType(c: Client): ClientType {
  return c.subscriptionCount > 0 ? 'pubsub' : 'normal';
}

const typeToken = (name: string): ArgSpec => ({ name, type: 'pure-token', token: name.toUpperCase() });

const HELP_LINES = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

/** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID client-id ...] */
function clientList(c: Client, argv: string[]): Reply {
  let list: Client[];
  if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
    const type = clientTypeByName(argv[3]);
    if (type === null) fail(`ERR Unknown client type '${argv[3]}'`);
    list = [...c.engine.clients.values()].filter((cl) => clientType(cl) === type);
  } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
    list = [];
    for (let j = 3; j < argv.length; j++) {
      const id = parseLongLong(argv[j]);
      if (id === null) fail(E.INVALID_CLIENT_ID);
      const cl = c.engine.clients.get(Number(id));
      if (cl) list.push(cl);
    }
  } else if (argv.length !== 2) {
    return fail(E.SYNTAX);
  } else {
    list = [...c.engine.clients.values()];
  }
  let out = '';
  for (const cl of list) out += `${clientInfoLine(cl, c, argv, 'client|list')}\n`;
  return bulk(out);
}

/** CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER name] [ADDR a] [LADDR a] [SKIPME yes|no] */
function clientKill(c: Client, argv: string[]): Reply {
  let addr: string | null = null;
  let laddr: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  let user: User | null = null;
  if (argv.length === 3) {
    addr = argv[2];
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      if (i + 1 >= argv.length) fail(E.SYNTAX);
      const val = argv[i + 1];
      if (opt === 'id') {
        const n = parseLongLong(val);
        if (n === null || n < 1) fail(E.CLIENT_ID_POSITIVE);
        id = Number(n);
      } else if (opt === 'type') {
        type = clientTypeByName(val);
        if (type === null) fail(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr') addr = val;
      else if (opt === 'laddr') laddr = val;
      else if (opt === 'user') {
        user = c.engine.acl.users.get(val) ?? null;
        if (user === null) fail(`ERR No such user '${val}'`);
      } else if (opt === 'skipme') {
        const v = val.toLowerCase();
        if (v !== 'yes' && v !== 'no') fail(E.SYNTAX);
        skipme = v === 'yes';
      } else fail(E.SYNTAX);
    }
  }
  let killed = 0;
  for (const cl of [...c.engine.clients.values()]) {
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (type !== null && clientType(cl) !== type) continue;
    if (id !== 0 && cl.id !== id) continue;
    if (user !== null && cl.user !== user) continue;
    if (cl === c && skipme) continue;
    killClient(cl, c);
    killed++;
  }
  if (argv.length === 3) return killed === 0 ? fail(E.NO_SUCH_CLIENT) : OK;
  return int(killed);
}

const SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'GETNAME',
    group: 'connection',
    arity: 2,
    flags: FLAGS,
    summary: 'Get the current connection name',
    complexity: 'O(1)',
    since: '2.6.9',
    exec: (c) => (c.name === '' ? NIL : bulk(c.name)),
  }),
  helpSubcommand('CLIENT', { group: 'connection', since: '5.0.0', lines: HELP_LINES }),
  defineCommand({
    name: 'ID',
    group: 'connection',
    arity: 2,
    flags: FLAGS,
    summary: 'Returns the client ID for the current connection',
    complexity: 'O(1)',
    since: '5.0.0',
    exec: (c) => int(c.id),
  }),
  defineCommand({
    name: 'INFO',
    group: 'connection',
    arity: 2,
    flags: FLAGS,
    summary: 'Returns information about the current client connection.',
    complexity: 'O(1)',
    since: '6.2.0',
    tips: ['nondeterministic_output'],
    exec: (c, argv) => bulk(`${clientInfoLine(c, c, argv, 'client|info')}\n`),
  }),
  defineCommand({
    name: 'KILL',
    group: 'connection',
    arity: -3,
    flags: ADMIN_FLAGS,
    summary: 'Kill the connection of a client',
    complexity: 'O(N) where N is the number of client connections',
    since: '2.4.0',
    history: [
      ['2.8.12', 'Added new filter format.'],
      ['2.8.12', '`ID` option.'],
      ['3.2.0', 'Added `master` type in for `TYPE` option.'],
      ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
      ['6.2.0', '`LADDR` option.'],
    ],
    args: [
      {
        name: 'filter',
        type: 'oneof',
        args: [
          { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
          {
            name: 'new-format',
            type: 'oneof',
            multiple: true,
            args: [
              { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
              {
                name: 'normal_master_slave_pubsub',
                type: 'oneof',
                token: 'TYPE',
                optional: true,
                since: '2.8.12',
                args: [
                  typeToken('normal'),
                  { ...typeToken('master'), since: '3.2.0' },
                  typeToken('slave'),
                  { ...typeToken('replica'), since: '5.0.0' },
                  typeToken('pubsub'),
                ],
              },
              { name: 'username', type: 'string', token: 'USER', optional: true },
              { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
              { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
              { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
            ],
          },
        ],
      },
    ],
    exec: clientKill,
  }),
  defineCommand({
    name: 'LIST',
    group: 'connection',
    arity: -2,
    flags: ADMIN_FLAGS,
    summary: 'Get the list of client connections',
    complexity: 'O(N) where N is the number of client connections',
    since: '2.4.0',
    history: [
      ['2.8.12', 'Added unique client `id` field.'],
      ['5.0.0', 'Added optional `TYPE` filter.'],
      ['6.0.0', 'Added `user` field.'],
      ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
      ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
      ['7.0.3', 'Added `ssub` field.'],
    ],
    tips: ['nondeterministic_output'],
    args: [
      {
        name: 'normal_master_replica_pubsub',
        type: 'oneof',
        token: 'TYPE',
        optional: true,
        since: '5.0.0',
        args: [typeToken('normal'), typeToken('master'), typeToken('replica'), typeToken('pubsub')],
      },
      {
        name: 'id',
        type: 'block',
        token: 'ID',
        optional: true,
        since: '6.2.0',
        args: [{ name: 'client-id', type: 'integer', multiple: true }],
      },
    ],
    exec: clientList,
  }),
  defineCommand({
    name: 'NO-EVICT',
    group: 'connection',
    arity: 3,
    flags: ADMIN_FLAGS,
    summary: 'Set client eviction mode for the current connection',
    complexity: 'O(1)',
    since: '7.0.0',
    args: [{ name: 'enabled', type: 'oneof', args: [typeToken('on'), typeToken('off')] }],
    exec(c, argv): Reply {
      const v = argv[2].toLowerCase();
      if (v !== 'on' && v !== 'off') fail(E.SYNTAX);
      c.noEvict = v === 'on';
      return OK;
    },
  }),
  defineCommand({
    name: 'REPLY',
    group: 'connection',
    arity: 3,
    flags: FLAGS,
    summary: 'Instruct the server whether to reply to commands',
    complexity: 'O(1)',
    since: '3.2.0',
    args: [{ name: 'on_off_skip', type: 'oneof', args: [typeToken('on'), typeToken('off'), typeToken('skip')] }],
    exec(c, argv): Reply {
      const v = argv[2].toLowerCase();
      if (v === 'on') c.replyMode = 'on';
      else if (v === 'off') c.replyMode = 'off';
      else if (v === 'skip') {
        if (c.replyMode !== 'off') c.replyMode = 'skip-next';
      } else fail(E.SYNTAX);
      return OK;
    },
  }),
  defineCommand({
    name: 'SETNAME',
    group: 'connection',
    arity: 3,
    flags: FLAGS,
    summary: 'Set the current connection name',
    complexity: 'O(1)',
    since: '2.6.9',
    args: [{ name: 'connection-name', type: 'string' }],
    exec(c, argv): Reply {
      setClientName(c, argv[2]);
      return OK;
    },
  }),
  defineCommand({
    name: 'UNBLOCK',
    group: 'connection',
    arity: -3,
    flags: ADMIN_FLAGS,
    summary: 'Unblock a client blocked in a blocking command from a different connection',
    complexity: 'O(log N) where N is the number of client connections',
    since: '5.0.0',
    args: [
      { name: 'client-id', type: 'integer' },
      { name: 'timeout_error', type: 'oneof', optional: true, args: [typeToken('timeout'), typeToken('error')] },
    ],
    exec(c, argv): Reply {
      if (argv.length > 4) fail(subcommandSyntaxError(argv[1], 'client'));
      let asError = false;
      if (argv.length === 4) {
        const r = argv[3].toLowerCase();
        if (r !== 'timeout' && r !== 'error') fail(E.CLIENT_UNBLOCK_REASON);
        asError = r === 'error';
      }
      const id = parseLongLong(argv[2]);
      if (id === null) fail(E.NOT_INTEGER);
      const target = c.engine.clients.get(Number(id));
      // The blocking layer keeps an `unblock(asError)` function in ext while a client is blocked.
      const unblock = target?.ext.unblock as ((asError: boolean) => void) | undefined;
      // LAB: a client held by CLIENT PAUSE is not unblocked (7.0 panics on UNBLOCK TIMEOUT of one).
      if (target === undefined || !target.ext.blocked || unblock === undefined) return ZERO;
      unblock(asError);
      return int(1);
    },
  }),
];

/** CLIENT <subcommand> */
export const CLIENT = defineCommand({
  name: 'CLIENT',
  group: 'connection',
  arity: -2,
  flags: [],
  summary: 'A container for client connection commands',
  complexity: 'Depends on subcommand.',
  since: '2.4.0',
  subcommands: [...SUBCOMMANDS, ...TRACKING_SUBCOMMANDS].sort((a, b) => (a.name < b.name ? -1 : 1)),
});
