// Connection commands (src/networking.c, acl.c, server.c, db.c): AUTH, ECHO, HELLO, PING, QUIT,
// RESET, SELECT. CLIENT lives in connection-client.ts (in the second chunk: commands/rest.ts). AUTH
// and HELLO AUTH authenticate against the ACL users (engine/acl): requirepass is the default user's
// password.

import { REDIS_VERSION } from '../version';
import { E, valueOutOfRangeBetween, wrongArity } from '../errors';
import { discardTransaction } from '../multi';
import { type Reply, array, bulk, int, map, OK, PONG, status } from '../protocol/reply';
import { fail, parseLongLong } from './args';
import { setClientName } from './connection-name';
import { resetPubSub } from './pubsub';
import { type CommandSpec, defineCommand } from './define';

/** AUTH [username] password */
export const AUTH = defineCommand({
  name: 'AUTH',
  group: 'connection',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  summary: 'Authenticate to the server',
  complexity: 'O(N) where N is the number of passwords defined for the user',
  since: '1.0.0',
  history: [['6.0.0', 'Added ACL style (username and password).']],
  args: [
    { name: 'username', type: 'string', optional: true, since: '6.0.0' },
    { name: 'password', type: 'string' },
  ],
  exec(c, argv): Reply {
    if (argv.length > 3) fail(E.SYNTAX);
    const user = argv.length === 2 ? 'default' : argv[1];
    const pass = argv[argv.length - 1];
    const acl = c.engine.acl;
    if (argv.length === 2 && acl.defaultUser.nopass) fail(E.AUTH_NOT_CONFIGURED);
    const ok = acl.authenticate(c, user, pass, argv);
    // redactClientCommandArgument: MONITOR and SLOWLOG never see the credentials.
    for (let i = 1; i < argv.length; i++) argv[i] = '(redacted)';
    if (!ok) fail(E.WRONGPASS);
    return OK;
  },
});

/** ECHO message */
export const ECHO = defineCommand({
  name: 'ECHO',
  group: 'connection',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  summary: 'Echo the given string',
  complexity: 'O(1)',
  since: '1.0.0',
  args: [{ name: 'message', type: 'string' }],
  exec: (_c, argv) => bulk(argv[1]),
});

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
export const HELLO = defineCommand({
  name: 'HELLO',
  group: 'connection',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  summary: 'Handshake with Redis',
  complexity: 'O(1)',
  since: '6.0.0',
  history: [
    [
      '6.2.0',
      "`protover` made optional; when called without arguments the command reports the current connection's context.",
    ],
  ],
  args: [
    {
      name: 'arguments',
      type: 'block',
      optional: true,
      args: [
        { name: 'protover', type: 'integer' },
        {
          name: 'username_password',
          type: 'block',
          token: 'AUTH',
          optional: true,
          args: [
            { name: 'username', type: 'string' },
            { name: 'password', type: 'string' },
          ],
        },
        { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
      ],
    },
  ],
  exec(c, argv): Reply {
    let ver = 0;
    if (argv.length >= 2) {
      const n = parseLongLong(argv[1]);
      if (n === null) fail(E.PROTOCOL_VERSION_NOT_INT);
      if (n < 2 || n > 3) fail(E.NOPROTO);
      ver = Number(n);
    }
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j].toUpperCase();
      if (opt === 'AUTH' && more >= 2) {
        const user = argv[j + 1];
        const pass = argv[j + 2];
        const ok = c.engine.acl.authenticate(c, user, pass, argv);
        argv[j + 1] = '(redacted)';
        argv[j + 2] = '(redacted)';
        if (!ok) fail(E.WRONGPASS);
        j += 2;
      } else if (opt === 'SETNAME' && more >= 1) {
        setClientName(c, argv[j + 1]);
        j++;
      } else {
        fail(`ERR Syntax error in HELLO option '${argv[j]}'`);
      }
    }
    if (!c.authenticated) fail(E.HELLO_NOAUTH);
    if (ver) c.resp = ver as 2 | 3;
    return map([
      [bulk('server'), bulk('redis')],
      [bulk('version'), bulk(REDIS_VERSION)],
      [bulk('proto'), int(c.resp)],
      [bulk('id'), int(c.id)],
      [bulk('mode'), bulk('standalone')],
      [bulk('role'), bulk('master')],
      [bulk('modules'), array([])],
    ]);
  },
});

/** PING [message] — in RESP2 subscribe mode the reply is ["pong", message]. */
export const PING = defineCommand({
  name: 'PING',
  group: 'connection',
  arity: -1,
  flags: ['fast'],
  summary: 'Ping the server',
  complexity: 'O(1)',
  since: '1.0.0',
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  args: [{ name: 'message', type: 'string', optional: true }],
  exec(c, argv): Reply {
    if (argv.length > 2) fail(wrongArity('ping'));
    if (c.subscriptionCount > 0 && c.resp === 2) return array([bulk('pong'), bulk(argv.length === 1 ? '' : argv[1])]);
    return argv.length === 1 ? PONG : bulk(argv[1]);
  },
});

/** QUIT — replies OK, then the connection is closed. */
export const QUIT = defineCommand({
  name: 'QUIT',
  group: 'connection',
  arity: -1,
  flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
  summary: 'Close the connection',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c): Reply {
    c.closeAsap = true;
    return OK;
  },
});

/** RESET — clearClientConnectionState: back to a freshly connected client. */
export const RESET = defineCommand({
  name: 'RESET',
  group: 'connection',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  summary: 'Reset the connection',
  complexity: 'O(1)',
  since: '6.2.0',
  exec(c): Reply {
    const engine = c.engine;
    if (c.monitor) {
      c.monitor = false;
      engine.monitors.delete(c);
    }
    c.db = engine.dbs[0];
    c.resp = 2;
    // clientSetDefaultAuth: back to the default user, authenticated only if it needs no password.
    c.user = engine.acl.defaultUser;
    c.authenticated = !engine.authRequired;
    discardTransaction(c);
    resetPubSub(c);
    engine.tracking?.disable(c);
    c.name = '';
    c.replyMode = 'on';
    return status('RESET');
  },
});

/** SELECT index */
export const SELECT = defineCommand({
  name: 'SELECT',
  group: 'connection',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  summary: 'Change the selected database for the current connection',
  complexity: 'O(1)',
  since: '1.0.0',
  args: [{ name: 'index', type: 'integer' }],
  exec(c, argv): Reply {
    const n = parseLongLong(argv[1]);
    if (n === null) fail(E.NOT_INTEGER);
    if (n < -2147483648 || n > 2147483647) fail(valueOutOfRangeBetween('-2147483648', '2147483647'));
    const db = c.engine.dbs[Number(n)];
    if (n < 0 || db === undefined) fail(E.DB_OUT_OF_RANGE);
    c.db = db;
    return OK;
  },
});

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [AUTH, ECHO, HELLO, PING, QUIT, RESET, SELECT];
