// Every error text the engine can reply with, verbatim from Redis 7.0 (src/server.c shared objects,
// t_string.c, db.c, networking.c, config.c ...). One place, so a wording fix happens once.
// Texts include the error code prefix (ERR, WRONGTYPE, ...) exactly as sent on the wire.

export const E = {
  SYNTAX: 'ERR syntax error',
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  NO_SUCH_KEY: 'ERR no such key',
  OVERFLOW: 'ERR increment or decrement would overflow',
  NAN_OR_INF: 'ERR increment would produce NaN or Infinity',
  DB_OUT_OF_RANGE: 'ERR DB index is out of range',
  SAME_OBJECT: 'ERR source and destination objects are the same',
  OFFSET_OUT_OF_RANGE: 'ERR offset is out of range',
  STRING_TOO_LONG: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  NOAUTH: 'NOAUTH Authentication required.',
  WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  AUTH_NOT_CONFIGURED:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  OOM: "OOM command not allowed when used memory > 'maxmemory'.",
  BUSYKEY: 'BUSYKEY Target key name already exists.',
  BAD_DUMP: 'ERR DUMP payload version or checksum are wrong',
  BAD_TTL: 'ERR Invalid TTL value, must be >= 0',
  NOT_POSITIVE: 'ERR value is out of range, must be positive',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',
  NO_MULTI_NESTED: 'ERR MULTI calls can not be nested',
  EXEC_WITHOUT_MULTI: 'ERR EXEC without MULTI',
  DISCARD_WITHOUT_MULTI: 'ERR DISCARD without MULTI',
  EXECABORT: 'EXECABORT Transaction discarded because of previous errors.',
  WATCH_IN_MULTI: 'ERR WATCH inside MULTI is not allowed',
  LOADING: 'LOADING Redis is loading the dataset in memory',
  UNKNOWN_ENCODING_NX_XX: 'ERR XX and NX options at the same time are not compatible',
  GT_LT_NX: 'ERR GT, LT, and/or NX options at the same time are not compatible',
} as const;

/** `ERR unknown command 'x', with args beginning with: 'a' 'b' ` — args echoed until 128 chars. */
export function unknownCommand(name: string, args: readonly string[]): string {
  let echo = '';
  for (let i = 0; i < args.length && echo.length < 128; i++) {
    echo += `'${args[i].slice(0, 128 - echo.length)}' `;
  }
  return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${echo}`;
}

/** `ERR unknown subcommand 'x'. Try CONFIG HELP.` */
export function unknownSubcommand(sub: string, container: string): string {
  return `ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`;
}

/** `ERR wrong number of arguments for 'get' command` (full name: 'config|get' for subcommands). */
export function wrongArity(fullname: string): string {
  return `ERR wrong number of arguments for '${fullname}' command`;
}

/** `ERR invalid expire time in 'set' command` */
export function invalidExpire(fullname: string): string {
  return `ERR invalid expire time in '${fullname}' command`;
}

/** `ERR Protocol error: ...` sent before the connection is closed. */
export function protocolError(what: string): string {
  return `ERR Protocol error: ${what}`;
}
