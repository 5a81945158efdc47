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
  DECR_OVERFLOW: 'ERR decrement would overflow',
  LCS_NOT_STRINGS: 'ERR The specified keys must contain string values',
  LCS_LEN_AND_IDX: 'ERR If you want both the length and indexes, please just use IDX.',
  LCS_TOO_BIG: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  LCS_ALLOC_FAILED: 'ERR Insufficient memory, failed allocating transient memory for LCS',
  // sorted sets (t_zset.c)
  ZSET_NAN: 'ERR resulting score is not a number (NaN)',
  ZSET_INCR_PAIR: 'ERR INCR option supports a single increment-element pair',
  ZSET_RANGE_NOT_FLOAT: 'ERR min or max is not a float',
  ZSET_LEX_RANGE: 'ERR min or max not valid string range item',
  ZSET_WEIGHT_NOT_FLOAT: 'ERR weight value is not a float',
  ZSET_LIMIT_BYSCORE_BYLEX: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  ZSET_WITHSCORES_BYLEX: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  ZSET_LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  ZSET_NUMKEYS_GT0: 'ERR numkeys should be greater than 0',
  ZSET_COUNT_GT0: 'ERR count should be greater than 0',
  // generic keyspace commands (db.c, expire.c, object.c, cluster.c DUMP/RESTORE, replication.c WAIT)
  INVALID_CURSOR: 'ERR invalid cursor',
  UNKNOWN_TYPE_OBJECT: 'ERR unknown type object',
  EXPIRE_NX_XX_GT_LT: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  EXPIRE_GT_LT: 'ERR GT and LT options at the same time are not compatible',
  BAD_DATA_FORMAT: 'ERR Bad data format',
  BAD_IDLETIME: 'ERR Invalid IDLETIME value, must be >= 0',
  BAD_FREQ: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
  TIMEOUT_NOT_INTEGER: 'ERR timeout is not an integer or out of range',
  OBJECT_FREQ_NO_LFU:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  OBJECT_IDLETIME_LFU:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  // LAB: only strings can be serialized until the collection types bring their RDB encodings.
  DUMP_TYPE_UNSUPPORTED: 'ERR DUMP of this value type is not supported yet in Redis Lab',
  // connection and server commands (networking.c, acl.c, server.c, config.c, debug.c, object.c)
  CLIENT_NAME_INVALID: 'ERR Client names cannot contain spaces, newlines or special characters.',
  NO_SUCH_CLIENT: 'ERR No such client',
  CLIENT_ID_POSITIVE: 'ERR client-id should be greater than 0',
  INVALID_CLIENT_ID: 'ERR Invalid client ID',
  PROTOCOL_VERSION_NOT_INT: 'ERR Protocol version is not an integer or out of range',
  NOPROTO: 'NOPROTO unsupported protocol version',
  HELLO_NOAUTH:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  RESET_NOT_NORMAL: 'ERR can only reset normal client connections',
  CLIENT_CACHING_NO_TRACKING:
    'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  CLIENT_UNBLOCK_REASON: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  NO_CONFIG_FILE: 'ERR The server is running without a config file',
  SLOWLOG_COUNT: 'ERR count should be greater than or equal to -1',
  INVALID_COMMAND_SPECIFIED: 'ERR Invalid command specified',
  COMMAND_NO_KEYS: 'ERR The command has no key arguments',
  INVALID_NUM_ARGS_SPECIFIED: 'ERR Invalid number of arguments specified for command',
  INVALID_ARGS_SPECIFIED: 'ERR Invalid arguments specified for command',
  INVALID_FIRST_DB: 'ERR invalid first DB index',
  INVALID_SECOND_DB: 'ERR invalid second DB index',
  DEBUG_NOT_ALLOWED:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  MONITOR_DENY_BLOCKING: "ERR MONITOR isn't allowed for DENY BLOCKING client",
  // pub/sub (pubsub.c): inside EXEC only SSUBSCRIBE is refused (SUBSCRIBE/PSUBSCRIBE are let through there)
  SUBSCRIBE_DENY_BLOCKING: "ERR SUBSCRIBE isn't allowed for a DENY BLOCKING client",
  PSUBSCRIBE_DENY_BLOCKING: "ERR PSUBSCRIBE isn't allowed for a DENY BLOCKING client",
  SSUBSCRIBE_DENY_BLOCKING: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
  // hashes, sets and transactions (t_hash.c, t_set.c, multi.c, object.c, db.c)
  HASH_NOT_INTEGER: 'ERR hash value is not an integer',
  HASH_NOT_FLOAT: 'ERR hash value is not a float',
  INCR_NAN_OR_INF: 'ERR value is NaN or Infinity',
  OUT_OF_RANGE: 'ERR value is out of range',
  SET_NUMKEYS_GT0: 'ERR numkeys should be greater than 0',
  NUMKEYS_GT_ARGS: "ERR Number of keys can't be greater than number of args",
  SET_LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  NOT_ALLOWED_IN_MULTI: 'ERR Command not allowed inside a transaction',
  // LAB: Redis would try to build any reply (and run out of memory); the lab refuses absurd counts.
  LAB_COUNT_TOO_LARGE: 'ERR count is too large for the lab (at most 10000000 random elements)',
  // lists, blocking, SORT (t_list.c, timeout.c, blocked.c, sort.c)
  TIMEOUT_NOT_FLOAT: 'ERR timeout is not a float or out of range',
  INDEX_OUT_OF_RANGE: 'ERR index out of range',
  LPOS_RANK_ZERO:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  LPOS_COUNT_NEGATIVE: "ERR COUNT can't be negative",
  LPOS_MAXLEN_NEGATIVE: "ERR MAXLEN can't be negative",
  NUMKEYS_GT0: 'ERR numkeys should be greater than 0',
  COUNT_GT0: 'ERR count should be greater than 0',
  UNBLOCKED_BY_CLIENT: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
  SORT_SCORE_NOT_DOUBLE: "ERR One or more scores can't be converted into double",
  // bitmaps, HyperLogLog and geo (bitops.c, hyperloglog.c, geo.c)
  BIT_OFFSET: 'ERR bit offset is not an integer or out of range',
  BIT_VALUE: 'ERR bit is not an integer or out of range',
  BITFIELD_TYPE: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  BITFIELD_OVERFLOW_TYPE: 'ERR Invalid OVERFLOW type specified',
  BITFIELD_RO_GET_ONLY: 'ERR BITFIELD_RO only supports the GET subcommand',
  BITOP_NOT_SINGLE: 'ERR BITOP NOT must be called with a single source key.',
  BITPOS_BIT: 'ERR The bit argument must be 1 or 0.',
  HLL_WRONGTYPE: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  HLL_INVALID: 'INVALIDOBJ Corrupted HLL object detected',
  PFDEBUG_NO_KEY: 'ERR The specified key does not exist',
  PFDEBUG_NOT_SPARSE: 'ERR HLL encoding is not sparse',
  GEO_UNIT: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  GEO_RADIUS_NOT_NUMERIC: 'ERR need numeric radius',
  GEO_RADIUS_NEGATIVE: 'ERR radius cannot be negative',
  GEO_WIDTH_NOT_NUMERIC: 'ERR need numeric width',
  GEO_HEIGHT_NOT_NUMERIC: 'ERR need numeric height',
  GEO_BOX_NEGATIVE: 'ERR height or width cannot be negative',
  GEO_COUNT: 'ERR COUNT must be > 0',
  GEO_MEMBER: 'ERR could not decode requested zset member',
  GEO_ANY_WITHOUT_COUNT: 'ERR the ANY argument requires COUNT argument',
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

/** `ERR at least 1 input key is needed for 'zunion' command` (ZUNION/ZINTER/ZDIFF and their STOREs). */
export function atLeastOneInputKey(fullname: string): string {
  return `ERR at least 1 input key is needed for '${fullname}' command`;
}

/** getRangeLongFromObjectOrReply's default text. */
export function valueOutOfRangeBetween(min: string, max: string): string {
  return `ERR value is out of range, value must between ${min} and ${max}`;
}

/** `ERR Unsupported option nx2` (EXPIRE family; the option is printed as a C string, newlines blanked). */
export function unsupportedOption(opt: string): string {
  const nul = opt.indexOf('\0');
  const text = nul === -1 ? opt : opt.slice(0, nul);
  // addReplyErrorFormat trims CR/LF at the ends and blanks the ones inside.
  return `ERR Unsupported option ${text.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ')}`;
}

/** `ERR unknown subcommand or wrong number of arguments for 'x'. Try DEBUG HELP.` */
export function subcommandSyntaxError(sub: string, container: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`;
}

/** execCommandAbort: EXEC rejected before running (arity, OOM...), the reason without its ERR code. */
export function execAbort(reason: string): string {
  return `EXECABORT Transaction discarded because of: ${reason.startsWith('ERR ') ? reason.slice(4) : reason}`;
}

/** The largest negative SRANDMEMBER/HRANDFIELD count the lab serves (see E.LAB_COUNT_TOO_LARGE). */
export const LAB_RANDOM_COUNT_LIMIT = 10_000_000;

/** `ERR Unknown PFDEBUG subcommand 'x'` (the name as a C string). */
export function pfdebugUnknown(sub: string): string {
  const nul = sub.indexOf('\0');
  return `ERR Unknown PFDEBUG subcommand '${nul === -1 ? sub : sub.slice(0, nul)}'`;
}

/** `ERR invalid longitude,latitude pair 200.000000,100.000000` (both printed with "%f"). */
export function geoInvalidLonLat(lon: string, lat: string): string {
  return `ERR invalid longitude,latitude pair ${lon},${lat}`;
}

/** STORE/STOREDIST (or GEOSEARCHSTORE) combined with WITHDIST/WITHHASH/WITHCOORD. */
export function geoStoreIncompatible(geosearchstore: boolean): string {
  const what = geosearchstore ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
  return `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`;
}

/** GEOSEARCH without FROMMEMBER/FROMLONLAT; `cmd` is the command name as the client typed it. */
export function geoFromRequired(cmd: string): string {
  return `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cmd}`;
}

/** GEOSEARCH without BYRADIUS/BYBOX. */
export function geoByRequired(cmd: string): string {
  return `ERR exactly one of BYRADIUS and BYBOX can be specified for ${cmd}`;
}
