// Every error text the engine can reply with, verbatim from Redis 7.0 (src/server.c shared objects,
// t_string.c, db.c, networking.c, config.c ...). One place, so a wording fix happens once.
// Texts include the error code prefix (ERR, WRONGTYPE, ...) exactly as sent on the wire.

export const E = {
  SYNTAX: 'ERR syntax error',
  // persistence (rdb.c, aof.c, db.c, debug.c)
  ERR: 'ERR',
  BGSAVE_IN_PROGRESS: 'ERR Background save already in progress',
  /** shared.bgsaveerr: writes refused after a failed BGSAVE (stop-writes-on-bgsave-error yes). */
  MISCONF_RDB:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  BGSAVE_CHILD_ACTIVE:
    "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  BGREWRITEAOF_IN_PROGRESS: 'ERR Background append only file rewriting already in progress',
  BGREWRITEAOF_FAILED:
    "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  NO_SHUTDOWN_IN_PROGRESS: 'ERR No shutdown in progress.',
  SHUTDOWN_FAILED: 'ERR Errors trying to SHUTDOWN. Check logs.',
  DEBUG_RELOAD_OPTIONS: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
  DEBUG_RELOAD_FAILED: 'ERR Error trying to load the RDB dump',
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
  LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
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
  CLIENT_CACHING_YES_NOT_OPTIN: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
  CLIENT_CACHING_NO_NOT_OPTOUT: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
  TRACKING_ONE_REDIRECT: 'ERR A client can only redirect to a single other client',
  TRACKING_REDIRECT_UNKNOWN: 'ERR The client ID you want redirect to does not exist',
  TRACKING_PREFIX_NEEDS_BCAST: 'ERR PREFIX option requires BCAST mode to be enabled',
  TRACKING_BCAST_SWITCH:
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  TRACKING_OPT_WITH_BCAST: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
  TRACKING_OPTIN_AND_OPTOUT: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  TRACKING_OPT_SWITCH:
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  CLIENT_PAUSE_MODE: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  CLIENT_UNBLOCK_REASON: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  NO_CONFIG_FILE: 'ERR The server is running without a config file',
  SLOWLOG_COUNT: 'ERR count should be greater than or equal to -1',
  INVALID_COMMAND_SPECIFIED: 'ERR Invalid command specified',
  COMMAND_NO_KEYS: 'ERR The command has no key arguments',
  INVALID_NUM_ARGS_SPECIFIED: 'ERR Invalid number of arguments specified for command',
  INVALID_ARGS_SPECIFIED: 'ERR Invalid arguments specified for command',
  INVALID_FIRST_DB: 'ERR invalid first DB index',
  INVALID_SECOND_DB: 'ERR invalid second DB index',
  // cluster.c, module.c, replication.c (FAILOVER) on a standalone server with no modules or replicas
  CLUSTER_DISABLED: 'ERR This instance has cluster support disabled',
  MODULE_NOT_ALLOWED:
    'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  MODULE_LOAD_FAILED: 'ERR Error loading the extension. Please check the server logs.',
  MODULE_UNLOAD_NO_SUCH: 'ERR Error unloading module: no such module with that name',
  FAILOVER_NO_REPLICAS: 'ERR FAILOVER requires connected replicas.',
  FAILOVER_NONE_IN_PROGRESS: 'ERR No failover in progress.',
  FAILOVER_TIMEOUT: 'ERR FAILOVER timeout must be greater than 0',
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
  NUMKEYS_GT_ARGS: "ERR Number of keys can't be greater than number of args",
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
  COUNT_MUST_BE_POSITIVE: 'ERR COUNT must be > 0',
  GEO_MEMBER: 'ERR could not decode requested zset member',
  GEO_ANY_WITHOUT_COUNT: 'ERR the ANY argument requires COUNT argument',
  // streams (t_stream.c, blocked.c)
  STREAM_INVALID_ID: 'ERR Invalid stream ID specified as stream command argument',
  XADD_ID_TOO_SMALL: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  XADD_ID_ZERO: 'ERR The ID specified in XADD must be greater than 0-0',
  XADD_EXHAUSTED: 'ERR The stream has exhausted the last possible ID, unable to add more items',
  XADD_TOO_LARGE: 'ERR Elements are too large to be stored',
  STREAM_MAXLEN_MINID: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  STREAM_MAXLEN_NEGATIVE: 'ERR The MAXLEN argument must be >= 0.',
  STREAM_LIMIT_NEGATIVE: 'ERR The LIMIT argument must be >= 0.',
  STREAM_LIMIT_NO_STRATEGY: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  STREAM_LIMIT_NO_APPROX: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  XTRIM_NO_STRATEGY: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  STREAM_INVALID_START: 'ERR invalid start ID for the interval',
  STREAM_INVALID_END: 'ERR invalid end ID for the interval',
  XREAD_UNBALANCED: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  XREAD_GROUP_OPTION: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  XREAD_NOACK_OPTION: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  XREADGROUP_NO_GROUP_OPTION: 'ERR Missing GROUP option for XREADGROUP',
  XREADGROUP_DOLLAR:
    'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  XREAD_GT_ID: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  XREADGROUP_GROUP_GONE: 'NOGROUP the consumer group this client was blocked on no longer exists',
  XREADGROUP_KEY_GONE: 'UNBLOCKED the stream key no longer exists',
  BUSYGROUP: 'BUSYGROUP Consumer Group name already exists',
  XGROUP_KEY_REQUIRED:
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  XGROUP_ENTRIESREAD: 'ERR value for ENTRIESREAD must be positive or -1',
  XSETID_ENTRIES_ADDED_NEGATIVE: 'ERR entries_added must be positive',
  XSETID_BELOW_MAX_DELETED: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
  XSETID_BELOW_TOP: 'ERR The ID specified in XSETID is smaller than the target stream top item',
  XSETID_ENTRIES_ADDED_SMALL: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
  XCLAIM_MIN_IDLE: 'ERR Invalid min-idle-time argument for XCLAIM',
  XCLAIM_IDLE: 'ERR Invalid IDLE option argument for XCLAIM',
  XCLAIM_TIME: 'ERR Invalid TIME option argument for XCLAIM',
  XCLAIM_RETRYCOUNT: 'ERR Invalid RETRYCOUNT option argument for XCLAIM',
  XAUTOCLAIM_MIN_IDLE: 'ERR Invalid min-idle-time argument for XAUTOCLAIM',
  XAUTOCLAIM_NOMEM: 'ERR Insufficient memory, failed allocating transient memory, COUNT too high.',
  // scripting and functions (eval.c, script.c, functions.c)
  NOSCRIPT: 'NOSCRIPT No matching script. Please use EVAL.',
  SHEBANG_INVALID: 'ERR Invalid script shebang',
  SHEBANG_NO_ENGINE: 'ERR Invalid engine in script shebang',
  NUMKEYS_NEGATIVE: "ERR Number of keys can't be negative",
  NOTBUSY: 'NOTBUSY No scripts in execution right now.',
  /** shared.slowevalerr / shared.slowscripterr: an EVAL / a function runs past busy-reply-threshold. */
  BUSY_EVAL: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  BUSY_FUNCTION: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  UNKILLABLE:
    'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
  SCRIPT_FLUSH_OPTION: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
  SCRIPT_DEBUG_OPTION: 'ERR Use SCRIPT DEBUG YES/SYNC/NO',
  // LAB: the Lua debugger (LDB) needs a debugging session protocol the lab does not have.
  LAB_SCRIPT_DEBUG: 'ERR SCRIPT DEBUG is not supported in Redis Lab',
  // LAB: the Lua VM loads on demand in the browser; a script sent before it arrived is refused.
  LAB_SCRIPTING_LOADING: 'ERR scripting engine still loading, retry',
  SCRIPT_RO_WRITE_FLAG: 'ERR Can not execute a script with write flag using *_ro command.',
  SCRIPT_ALLOW_OOM: "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
  SCRIPT_UNKNOWN_COMMAND: 'ERR Unknown Redis command called from script',
  SCRIPT_WRONG_ARITY: 'ERR Wrong number of args calling Redis command from script',
  SCRIPT_NOT_ALLOWED: 'ERR This Redis command is not allowed from script',
  SCRIPT_READONLY_WRITE: 'ERR Write commands are not allowed from read-only scripts.',
  FUNCTION_NOT_FOUND: 'ERR Function not found',
  FUNCTION_BAD_NUMKEYS: 'ERR Bad number of keys provided',
  LIBRARY_NOT_FOUND: 'ERR Library not found',
  FUNCTION_FLUSH_OPTION: 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option',
  FUNCTION_RESTORE_POLICY: 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
  FUNCTION_CODE_MISSING: 'ERR Function code is missing',
  FUNCTION_LIST_NO_LIBNAME: 'ERR library name argument was not given',
  LIBRARY_NAME_INVALID:
    'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
  LIBRARY_METADATA_MISSING: 'ERR Missing library metadata',
  LIBRARY_METADATA_INVALID: 'ERR Invalid library metadata',
  LIBRARY_NAME_MISSING: 'ERR Library name was not given',
  LIBRARY_NAME_TWICE: 'ERR Invalid metadata value, name argument was given multiple times',
  NO_FUNCTIONS_REGISTERED: 'ERR No functions registered',
  FUNCTION_RESTORE_NOT_FUNCTION: 'ERR given type is not a function',
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
/** writeCommandsGetDiskErrorMessage(DISK_ERROR_TYPE_AOF): `reason` is strerror(aof_last_write_errno). */
export function misconfAof(reason: string): string {
  return `MISCONF Errors writing to the AOF file: ${reason}`;
}

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

/** PFSELFTEST's failure report: `ERR TESTFAILED <what>`. */
export function hllSelfTestFailed(what: string): string {
  return `ERR TESTFAILED ${what}`;
}

/** A %s argument of addReplyErrorFormat: a C string (cut at NUL), CR/LF trimmed at the ends and blanked inside. */
function cFormatArg(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}
function cFormatted(msg: string): string {
  return msg.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' ');
}

/** `NOGROUP No such key 'k' or consumer group 'g'` (XPENDING, XCLAIM, XAUTOCLAIM; XREADGROUP adds its suffix). */
export function noSuchKeyOrGroup(key: string, group: string, xreadgroup = false): string {
  const tail = xreadgroup ? ' in XREADGROUP with GROUP option' : '';
  return cFormatted(`NOGROUP No such key '${cFormatArg(key)}' or consumer group '${cFormatArg(group)}'${tail}`);
}

/** `NOGROUP No such consumer group 'g' for key name 'k'` (XGROUP, XINFO CONSUMERS). */
export function noSuchGroupForKey(group: string, key: string): string {
  return cFormatted(`NOGROUP No such consumer group '${cFormatArg(group)}' for key name '${cFormatArg(key)}'`);
}

/** `ERR Unrecognized XCLAIM option 'x'` */
export function xclaimUnrecognized(opt: string): string {
  return cFormatted(`ERR Unrecognized XCLAIM option '${cFormatArg(opt)}'`);
}

/** Script and function errors with a variable part (eval.c evalExtractShebangFlags, functions.c). */
export const scriptErrors = {
  shebangEngine: (engine: string) => `ERR Unexpected engine in script shebang: ${engine}`,
  shebangFlag: (flag: string) => `ERR Unexpected flag in script shebang: ${flag}`,
  shebangOption: (option: string) => `ERR Unknown lua shebang option: ${option}`,
  compile: (luaMessage: string) => `ERR Error compiling script (new function): ${luaMessage}`,
  libraryMetadata: (part: string) => `ERR Invalid metadata value given: ${part}`,
  engineNotFound: (engine: string) => `ERR Engine '${engine}' not found`,
  libraryExists: (name: string) => `ERR Library '${name}' already exists`,
  /** libraryJoin (FUNCTION RESTORE): the name without quotes. */
  libraryExistsRestore: (name: string) => `ERR Library ${name} already exists`,
  functionExists: (name: string) => `ERR Function ${name} already exists`,
  loadOption: (option: string) => `ERR Unknown option given: ${option}`,
  listArgument: (arg: string) => `ERR Unknown argument ${arg}`,
};

/** `ERR xread command is not allowed with BLOCK option from scripts` (the name as the script typed it). */
export function xreadBlockInScript(cmd: string): string {
  return cFormatted(`ERR ${cFormatArg(cmd)} command is not allowed with BLOCK option from scripts`);
}

/** checkPrefixCollisionsOrReply: a BCAST prefix overlaps with the client's own or with another given one. */
export function trackingPrefixOverlap(prefix: string, other: string, existing: boolean): string {
  const with_ = existing ? 'an existing prefix' : 'another provided prefix';
  return cFormatted(
    `ERR Prefix '${cFormatArg(prefix)}' overlaps with ${with_} '${cFormatArg(other)}'. Prefixes for a single client must not overlap.`,
  );
}

/** LATENCY GRAPH for an event with no samples (latency.c nodataerr). */
export function latencyNoSamples(event: string): string {
  return `ERR No samples available for event '${event}'`;
}

/** ACL texts (acl.c, server.c processCommand, multi.c execCommand, script.c scriptVerifyACL). */
export const ACL_ERR = {
  NOPERM_KEY: 'NOPERM this user has no permissions to access one of the keys used as arguments',
  NOPERM_CHANNEL: 'NOPERM this user has no permissions to access one of the channels used as arguments',
  /** getAclErrorMessage, as scripts get it after "The user executing the script ". */
  SCRIPT_CMD: "ERR The user executing the script can't run this command or subcommand",
  SCRIPT_KEY:
    "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments",
  SCRIPT_CHANNEL: "ERR The user executing the script can't publish to the channel mentioned in the command",
  EXEC_CMD: 'no permission to execute the command or subcommand',
  EXEC_KEY: 'no permission to touch the specified keys',
  EXEC_CHANNEL: 'no permission to access one of the channels used as arguments',
  USERNAME_SPACES: "ERR Usernames can't contain spaces or null characters",
  DELETE_DEFAULT: "ERR The 'default' user cannot be removed",
  NO_ACLFILE:
    'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
  GENPASS_BITS:
    'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
  /** ACLSetUserStringError: the reason after "Error in ACL SETUSER modifier '...': ". */
  RULE_UNKNOWN: 'Unknown command or category name in ACL',
  RULE_SYNTAX: 'Syntax error',
  RULE_KEYS_AFTER_ALL:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  RULE_CHANNELS_AFTER_ALL:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  RULE_NO_SUCH_PASSWORD: 'The password you are trying to remove from the user does not exist',
  RULE_BAD_HASH: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  RULE_FIRSTARG_OF_SUB: 'Allowing first-arg of a subcommand is not supported',
  SORT_BY: 'ERR BY option of SORT denied due to insufficient ACL permissions.',
  SORT_GET: 'ERR GET option of SORT denied due to insufficient ACL permissions.',
} as const;

/** `NOPERM this user has no permissions to run the 'get' command` */
export function nopermCommand(fullname: string): string {
  return `NOPERM this user has no permissions to run the '${fullname}' command`;
}

/** EXEC found a queued command no longer allowed (the reason is one of ACL_ERR.EXEC_*). */
export function nopermInExec(reason: string): string {
  return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
}

/** ACL CAT of a category that does not exist. */
export function aclUnknownCategory(name: string): string {
  return `ERR Unknown category '${name.slice(0, 128)}'`;
}

/** ACL DRYRUN of a user or command that does not exist. */
export function aclDryrunNotFound(what: 'User' | 'Command', name: string): string {
  return `ERR ${what} '${name}' not found`;
}

/** ACL SETUSER refused one of its rules (`reason` is one of ACL_ERR.RULE_*). */
export function aclSetuserError(op: string, reason: string): string {
  return `ERR Error in ACL SETUSER modifier '${op}': ${reason}`;
}

/** ACL SETUSER with a selector whose parenthesis is never closed. */
export function aclUnmatchedParenthesis(arg: string): string {
  return `ERR Unmatched parenthesis in acl selector starting at '${arg}'.`;
}

/** ACL DRYRUN's answer (a bulk string, not an error) when the user may not run the command. */
export function aclDryrunDenied(what: 'command' | 'key' | 'channel', name: string): string {
  return what === 'command'
    ? `This user has no permissions to run the '${name}' command`
    : `This user has no permissions to access the '${name}' ${what}`;
}

/** Start-up refusals of `user` directives in the config file (ACLAppendUserForLoading, ACLLoadConfiguredUsers). */
export const ACL_CONFIG_ERR = {
  DUPLICATE: 'Duplicate user found. A user can only be defined once in config files',
  SPACES: 'Spaces not allowed in ACL usernames',
  /** A `user` directive without a username. */
  BAD_DIRECTIVE: 'Bad directive or wrong number of arguments',
} as const;

/** A rule of a config-file `user` directive that ACL SETUSER would refuse. */
export function aclConfigRuleError(op: string, name: string, reason: string): string {
  return `Error loading ACL rule '${op}' for the user named '${name}': ${reason}`;
}

/** A `user` directive refused while the config is read (config.c): a FATAL CONFIG FILE ERROR. */
export function aclUserDeclarationError(arg: string, reason: string): string {
  return `Error in user declaration '${arg}': ${reason}`;
}

/** Start-up log lines of ACLLoadUsersAtStartup and ACLLoadConfiguredUsers (acl.c). */
export const ACL_STARTUP = {
  MIXED:
    'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
  CRITICAL: 'Critical error while loading ACLs. Exiting.',
  aborting: (errors: string) => `Aborting Redis startup because of ACL errors: ${errors}`,
  disabled: (name: string) =>
    `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
} as const;

/**
 * ACLLoadFromFile (ACL LOAD and start-up): one fragment per problem found in the file (`file` as
 * configured, lines from 1), concatenated, then ROLLBACK. The reply is that text as an error.
 */
export const ACL_FILE_ERR = {
  open: (file: string, reason: string) => `Error loading ACLs, opening file '${file}': ${reason}`,
  notUser: (file: string, line: number) => `${file}:${line} should start with user keyword followed by the username. `,
  // (the stray quote at the start is Redis's)
  badName: (file: string, line: number, name: string) =>
    `'${file}:${line}: username '${name}' contains invalid characters. `,
  duplicate: (name: string, line: number) => `WARNING: Duplicate user '${name}' found on line ${line}. `,
  parenthesis: (file: string, line: number) => `${file}:${line}: Unmatched parenthesis in selector definition.`,
  unknown: (file: string, line: number, op: string, reason: string) =>
    `${file}:${line}: Error in applying operation '${op}': ${reason}. `,
  rule: (file: string, line: number, reason: string) => `${file}:${line}: ${reason}. `,
  ROLLBACK: 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed',
  SAVE_FAILED: 'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  /** ACLSaveToFile's log lines (`reason` is strerror(errno)). */
  saveOpen: (reason: string) => `Opening temp ACL file for ACL SAVE: ${reason}`,
  saveWrite: (reason: string) => `Writing ACL file for ACL SAVE: ${reason}`,
  saveRename: (reason: string) => `Renaming ACL file for ACL SAVE: ${reason}`,
} as const;

/** addReplyError: "-ERR " is added unless the text already starts with '-' (an aclfile named "-x"). */
export function aclLoadError(errors: string): string {
  return errors.startsWith('-') ? errors.slice(1) : `ERR ${errors}`;
}

/** strerror(errno) of the file errors the engine meets (ACL files, RDB/AOF storage). */
export const STRERROR = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
} as const;
