// RDB version 10 as Redis 7.0 writes and reads it (src/rdb.h): value type ids, opcodes, and the load
// errors with the exact log lines redis-server 7.0.15 prints (Debian build: its rdb.c line numbers,
// measured against the real server — see fixtures/persistence/bad/outputs.txt).

export const RDB_VERSION = 10;

export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

/** Quicklist node containers (QUICKLIST_NODE_CONTAINER_*). */
export const QUICKLIST_PLAIN = 1;
export const QUICKLIST_PACKED = 2;

/** rdbIsObjectType for RDB version 10. */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

/**
 * The Debian 7.0.15 build's rdb.c line for each rdbReportError message (its security patches shift
 * the upstream numbers). Measured by loading crafted files into the real server.
 */
const REPORT_LINE: Record<string, number> = {
  'Unknown length encoding': 236,
  'Invalid LZF compressed string': 413,
  'Unknown RDB string encoding type': 529,
  'Duplicate set members detected#intset': 1809,
  'Duplicate set members detected': 1829,
  'Zset with NAN score detected': 1882,
  'Duplicate zset fields detected': 1894,
  'Duplicate hash fields detected#listpack': 1969,
  'Duplicate hash fields detected': 2019,
  'Quicklist integrity check failed.': 2048,
  'Listpack integrity check failed.': 2071,
  'Ziplist integrity check failed.': 2081,
  'Zipmap integrity check failed.': 2130,
  'Hash zipmap with dup elements, or big length': 2154,
  'List ziplist integrity check failed.': 2189,
  'Intset integrity check failed.': 2214,
  'Zset ziplist integrity check failed.': 2229,
  'Zset listpack integrity check failed.': 2255,
  'Hash ziplist integrity check failed.': 2275,
  'Hash listpack integrity check failed.': 2301,
  'Stream listpacks len loading failed.': 2327,
  'Stream master ID loading failed: invalid encoding or I/O error.': 2338,
  'Stream node key entry is not the size of a stream ID': 2343,
  'Stream listpacks loading failed.': 2355,
  'Stream listpack integrity check failed.': 2362,
  'Empty listpack inside stream': 2374,
  'Listpack re-added with existing key': 2386,
  'Stream object metadata loading failed.': 2424,
  'Stream length inconsistent with rax entries': 2430,
  'Stream cgroup count loading failed.': 2438,
  'Error reading the consumer group name from Stream': 2449,
  'Stream cgroup ID loading failed.': 2458,
  'Stream cgroup offset loading failed.': 2469,
  'Duplicated consumer group name': 2480,
  'Stream PEL size loading failed.': 2495,
  'Stream PEL ID loading failed.': 2502,
  'Stream PEL NACK loading failed.': 2510,
  'Duplicated global PEL entry loading stream consumer group': 2516,
  'Stream consumers num loading failed.': 2527,
  'Error reading the consumer name from Stream group.': 2534,
  'Duplicate stream consumer detected.': 2543,
  'Stream short read reading seen time.': 2549,
  'Stream consumer PEL num loading failed.': 2558,
  'Stream short read reading PEL streamID.': 2566,
  'Consumer entry not found in group global PEL': 2573,
  'Stream consumer PEL entry already has a consumer assigned': 2583,
  'Short read module id': 2622,
  "The RDB file contains module data I can't load": 2636,
  'Unknown RDB encoding type': 2681,
  'RDB CRC error': 3225,
  'Unexpected EOF reading RDB file': 3249,
};

/** A failed load: the warning lines the real server logs before it exits. */
export class RdbLoadError extends Error {
  /** What the load had logged before failing (the AUX lines...), set by loadRdb. */
  prior: { level: '#' | '*' | '-' | '.'; text: string }[] = [];
  /** The server runs redis-check-rdb after this error (rdbReportError / the CRC and EOF paths). */
  checked = true;
  constructor(readonly lines: string[]) {
    super(lines[lines.length - 1] ?? 'RDB load error');
  }

  /** Every line, in order: what was logged before, then the failure ('#'). */
  allLines(): { level: '#' | '*' | '-' | '.'; text: string }[] {
    return [...this.prior, ...this.lines.map((text) => ({ level: '#' as const, text }))];
  }
}

/**
 * A listpack that passes Redis's shallow check (header, size, end byte) but can't be walked. Redis
 * loads such a blob as it is (sanitize-dump-payload is off) and the CRC check usually fails later; the
 * loader therefore carries on and reports this only if the checksum doesn't catch the file first.
 */
export class DeepCorruption extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** Thrown by the readers on a short read (rioRead failing): the caller decides which message applies. */
export class RdbShortRead extends Error {}

/** rdbReportError's message: "Internal error in RDB reading offset N, function at rdb.c:L -> reason". */
export function reportLine(key: string, detail = '', loadedBytes = 0): string {
  const line = REPORT_LINE[key] ?? 0;
  const reason = key.split('#')[0] + detail;
  return `Internal error in RDB reading offset ${loadedBytes}, function at rdb.c:${line} -> ${reason}`;
}

/**
 * A corruption found while reading a value (rdbReportCorruptRDB / rdbReportReadError inside
 * rdbLoadObject): the server logs it, runs redis-check-rdb, which fails the same way and terminates.
 */
export function valueError(key: string, detail = '', loadedBytes = 0): RdbLoadError {
  return new RdbLoadError([reportLine(key, detail, loadedBytes), 'Terminating server after rdb file reading failure.']);
}

/** A string-level corruption from the readers (RdbFormatError's message) as the server reports it. */
export function formatError(message: string): RdbLoadError {
  for (const key of Object.keys(REPORT_LINE)) {
    if (message.startsWith(key)) return valueError(key, message.slice(key.length));
  }
  return valueError(message);
}

/** The end of rdbLoadRio reached through `goto eoferr`. */
export function eofError(loadedBytes = 0): RdbLoadError {
  return new RdbLoadError([
    'Short read or OOM loading DB. Unrecoverable error, aborting now.',
    reportLine('Unexpected EOF reading RDB file', '', loadedBytes),
  ]);
}
