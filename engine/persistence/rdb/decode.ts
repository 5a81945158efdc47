// Reading a whole RDB file as Redis 7.0's rdbLoadRio does (src/rdb.c): the REDIS0010 header, opcodes
// (AUX, SELECTDB, RESIZEDB, EXPIRETIME[_MS], IDLE, FREQ, FUNCTION[2], MODULE_AUX, EOF), every key with
// its value (values.ts), the CRC-64 trailer, and the log lines the real server prints on success and
// on every kind of failure (RdbLoadError.lines).

import { crc64 } from './crc64';
import * as F from './format';
import { DeepCorruption, RdbLoadError, eofError, formatError, valueError } from './format';
import { RdbFormatError, RdbReader, RdbShortReadError, latin1 } from './string-value';
import {
  type DeepCheck,
  type LoadEnv,
  type LoadedValue,
  loadThresholds,
  loadValue,
  moduleIdFrom,
  moduleTypeName,
} from './values';

/** One key as read: db, name, value, absolute expiry (-1 none), IDLE seconds and FREQ (-1 when absent). */
export interface RdbEntry {
  db: number;
  key: string;
  value: Exclude<LoadedValue, 'empty'>;
  expire: number;
  idle: number;
  freq: number;
  /** Offsets in the file: the type byte, the value's first byte, and just past the value. */
  at: { type: number; value: number; end: number };
}

export interface RdbLoadOptions {
  env: LoadEnv;
  /** server.dbnum */
  databases: number;
  /** Wall-clock ms, for the already-expired check. */
  now: number;
  /** RDBFLAGS_AOF_PREAMBLE: keys are loaded even if expired. */
  aofPreamble?: boolean;
  /** rdbchecksum: verify the trailer. */
  verifyChecksum?: boolean;
  /** RESIZEDB: the db's key and expire counts, to size its tables before the keys come (dictExpand). */
  resize?(db: number, size: number, expires: number): void;
  /** A function library was read: create it; a returned error fails the load ("Failed loading library"). */
  onFunction?(code: string): string | null;
  /**
   * Add a key; return false when it already exists (then the load fails, or with MERGE replaces it:
   * the callback decides). The entry object is reused for the next key: copy what you keep.
   */
  add(entry: RdbEntry): boolean;
  /**
   * For an `add` that queues keys: commit them. Called before the checksum and before any failure is
   * reported; throws duplicateKeyError when a queued key was already present (that failure came first).
   */
  flush?(): void;
}

/** rdbLoadRio's duplicated-key panic (no redis-check-rdb run after it). */
export function duplicateKeyError(key: string, db: number): RdbLoadError {
  const e = new RdbLoadError([
    `RDB has duplicated key '${key}' in DB ${db}`,
    'Guru Meditation: Duplicated key found in RDB file #rdb.c:3183',
  ]);
  e.checked = false;
  return e;
}

export interface LogLine {
  /** Redis's log level marks: '#' warning, '*' notice, '-' verbose, '.' debug. */
  level: '#' | '*' | '-' | '.';
  text: string;
}

export interface RdbLoadResult {
  version: number;
  aux: Map<string, string>;
  /** Function library payloads (FUNCTION/FUNCTION2 opcodes), in file order. */
  functions: string[];
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** Offset just past the checksum: where an old-style AOF's RESP tail starts. */
  end: number;
  log: LogLine[];
}

function le32(s: string): number {
  return s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
}

function le64(s: string): number {
  // The signed high half times 2^32 is exact; adding the low half rounds once, as Number(bigint) does.
  const lo = (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
  const hi = s.charCodeAt(4) | (s.charCodeAt(5) << 8) | (s.charCodeAt(6) << 16) | (s.charCodeAt(7) << 24);
  return hi * 0x100000000 + lo;
}

function hex(v: bigint): string {
  return v.toString(16);
}

/**
 * rdbLoadRio over a whole file (bytes, or a binary string). Throws RdbLoadError with the server's log
 * lines. Given bytes, the checksum runs over them eight bytes at a time.
 */
export function loadRdb(file: string | Uint8Array, opts: RdbLoadOptions): RdbLoadResult {
  const bytes = typeof file === 'string' ? null : file;
  const data = typeof file === 'string' ? file : latin1(file);
  const r = new RdbReader(data, bytes);
  const log: LogLine[] = [];
  const result: RdbLoadResult = {
    version: 0,
    aux: new Map(),
    functions: [],
    keysLoaded: 0,
    keysExpired: 0,
    emptyKeysSkipped: 0,
    end: 0,
    log,
  };
  /** A failure that exits without running redis-check-rdb (unless `checked`). */
  const fail = (lines: string[], checked = false): never => {
    const e = new RdbLoadError(lines);
    e.checked = checked;
    throw e;
  };
  if (data.length < 9) throw eofError();
  // rdbLoad fails with EINVAL; loadDataFromDisk then exits with strerror(EINVAL).
  const invalid = 'Fatal error loading the DB: Invalid argument. Exiting.';
  if (data.slice(0, 5) !== 'REDIS') fail(['Wrong signature trying to load DB from file', invalid]);
  const version = Number.parseInt(data.slice(5, 9), 10) || 0;
  if (version < 1 || version > F.RDB_VERSION) fail([`Can't handle RDB format version ${version}`, invalid]);
  result.version = version;
  r.pos = 9;
  let db = 0;
  let deferred: DeepCorruption | null = null;
  const deep: DeepCheck = { issue: false };
  const thresholds = loadThresholds(opts.env);
  let expire = -1;
  let idle = -1;
  let freq = -1;
  const entry: RdbEntry = {
    db: 0,
    key: '',
    value: '',
    expire: -1,
    idle: -1,
    freq: -1,
    at: { type: 0, value: 0, end: 0 },
  };
  try {
    for (;;) {
      const type = r.byte();
      if (type === F.RDB_OPCODE_EXPIRETIME) {
        expire = le32(r.bytes(4)) * 1000;
        continue;
      }
      if (type === F.RDB_OPCODE_EXPIRETIME_MS) {
        expire = le64(r.bytes(8));
        continue;
      }
      if (type === F.RDB_OPCODE_FREQ) {
        freq = r.byte();
        continue;
      }
      if (type === F.RDB_OPCODE_IDLE) {
        idle = r.len();
        continue;
      }
      if (type === F.RDB_OPCODE_EOF) break;
      if (type === F.RDB_OPCODE_SELECTDB) {
        db = r.len();
        if (db >= opts.databases)
          fail([
            `FATAL: Data file was created with a Redis server configured to handle more than ${opts.databases} databases. Exiting`,
          ]);
        continue;
      }
      if (type === F.RDB_OPCODE_RESIZEDB) {
        const size = r.len();
        const expires = r.len();
        // Only a hint: a corrupt count must not make the tables bigger than the rest of the file
        // could fill (a key takes at least 3 bytes: type, key length, value), where Redis's lazy
        // calloc would just reserve address space.
        const room = Math.floor(r.remaining / 3);
        opts.resize?.(db, Math.min(size, room), Math.min(expires, room));
        continue;
      }
      if (type === F.RDB_OPCODE_AUX) {
        readAux(r.string(), r.string(), result, opts.now);
        continue;
      }
      if (type === F.RDB_OPCODE_MODULE_AUX) {
        const id = moduleIdFrom(r);
        const whenOpcode = r.length().len;
        r.length();
        if (whenOpcode !== 2) throw valueError('bad when_opcode');
        fail([`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeName(id)}'`]);
      }
      if (type === F.RDB_OPCODE_FUNCTION || type === F.RDB_OPCODE_FUNCTION2) {
        const code = readFunction(r, type);
        result.functions.push(code);
        const err = opts.onFunction?.(code) ?? null;
        if (err !== null) {
          fail(
            [
              `Failed loading library, ${err}`,
              'Short read or OOM loading DB. Unrecoverable error, aborting now.',
              F.reportLine('Unexpected EOF reading RDB file'),
            ],
            true,
          );
        }
        continue;
      }
      const typeAt = r.pos - 1;
      const key = r.string();
      const valueAt = r.pos;
      let value: LoadedValue;
      try {
        value = loadValue(type, r, opts.env, deep, thresholds);
      } catch (err) {
        if (!(err instanceof DeepCorruption)) throw err;
        // The blob was read whole: carry on, the checksum decides which error is reported.
        deferred ??= err;
        expire = -1;
        idle = -1;
        freq = -1;
        continue;
      }
      if (value === 'empty') {
        if (result.emptyKeysSkipped++ < 10) log.push({ level: '#', text: `rdbLoadObject skipping empty key: ${key}` });
      } else if (!opts.aofPreamble && expire !== -1 && expire < opts.now) {
        result.keysExpired++;
      } else {
        result.keysLoaded++;
        // One entry object for the whole load: a million keys need no million short-lived objects.
        entry.db = db;
        entry.key = key;
        entry.value = value;
        entry.expire = expire;
        entry.idle = idle;
        entry.freq = freq;
        entry.at.type = typeAt;
        entry.at.value = valueAt;
        entry.at.end = r.pos;
        if (!opts.add(entry)) throw duplicateKeyError(key, db);
      }
      expire = -1;
      idle = -1;
      freq = -1;
    }
    opts.flush?.();
    // RDB version >= 5: the CRC-64 trailer.
    if (version >= 5) {
      const expected = bytes !== null ? crc64(bytes.subarray(0, r.pos)) : crc64(data.slice(0, r.pos));
      const stored = r.bytes(8);
      let got = 0n;
      for (let i = 7; i >= 0; i--) got = (got << 8n) | BigInt(stored.charCodeAt(i));
      if (opts.verifyChecksum !== false) {
        if (got === 0n) {
          log.push({ level: '#', text: 'RDB file was saved with checksum disabled: no check performed.' });
        } else if (got !== expected) {
          fail(
            [
              `Wrong RDB checksum expected: (${hex(expected)}) but got (${hex(got)}). Aborting now.`,
              F.reportLine('RDB CRC error'),
            ],
            true,
          );
        }
      }
    }
    // LAB: Redis would have loaded the undecodable listpack as it is; the engine can't represent it.
    if (deferred !== null) throw valueError(deferred.key);
  } catch (thrown) {
    let err = thrown;
    // A queued key found present earlier in the file is the failure Redis would have hit first.
    try {
      opts.flush?.();
    } catch (dup) {
      err = dup;
    }
    let e: RdbLoadError;
    if (err instanceof RdbLoadError) e = err;
    else if (err instanceof RdbShortReadError) e = eofError();
    else if (err instanceof RdbFormatError) {
      e = formatError(err.message);
    } else throw err;
    e.prior = log;
    // The server then runs redis-check-rdb, with deep sanitization: when that check stops at a corrupt
    // value (rdbReportError) it logs this line; the server's own value errors always get it.
    const last = e.lines[e.lines.length - 1];
    const terminating = 'Terminating server after rdb file reading failure.';
    if (last !== terminating && e.checked && (deferred !== null || deep.issue)) e.lines.push(terminating);
    throw e;
  }
  result.end = r.pos;
  const done = `Done loading RDB, keys loaded: ${result.keysLoaded}, keys expired: ${result.keysExpired}`;
  if (result.emptyKeysSkipped > 0)
    log.push({ level: '#', text: `${done}, empty keys skipped: ${result.emptyKeysSkipped}.` });
  else log.push({ level: '*', text: `${done}.` });
  return result;
}

/** The AUX fields Redis logs while loading (rdbLoadRio's RDB_OPCODE_AUX branch). */
function readAux(key: string, value: string, result: RdbLoadResult, now: number): void {
  result.aux.set(key, value);
  const k = key.toLowerCase();
  const log = result.log;
  if (key.startsWith('%')) log.push({ level: '*', text: `RDB '${key}': ${value}` });
  else if (k === 'redis-ver') log.push({ level: '*', text: `Loading RDB produced by version ${value}` });
  else if (k === 'ctime') {
    const age = Math.max(0, Math.floor(now / 1000) - (Number.parseInt(value, 10) || 0));
    log.push({ level: '*', text: `RDB age ${age} seconds` });
  } else if (k === 'used-mem') {
    const mb = (Number.parseInt(value, 10) || 0) / (1024 * 1024);
    log.push({ level: '*', text: `RDB memory usage when created ${mb.toFixed(2)} Mb` });
  } else if (k === 'aof-preamble') {
    if ((Number.parseInt(value, 10) || 0) !== 0) log.push({ level: '*', text: 'RDB has an AOF tail' });
  } else if (k === 'aof-base') {
    if ((Number.parseInt(value, 10) || 0) !== 0) log.push({ level: '*', text: 'RDB is base AOF' });
  }
}

/** rdbFunctionLoad: the library payload (the pre-GA FUNCTION format is translated to it). */
function readFunction(r: RdbReader, type: number): string {
  const failed = (what: string): never => {
    throw new RdbLoadError([
      `Failed loading library, ${what}`,
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      F.reportLine('Unexpected EOF reading RDB file'),
    ]);
  };
  const str = (what: string): string => {
    try {
      return r.string();
    } catch (err) {
      if (err instanceof RdbShortReadError) return failed(what);
      throw err;
    }
  };
  if (type === F.RDB_OPCODE_FUNCTION2) return str('Failed loading library payload');
  const name = str('Failed loading library name');
  const engine = str('Failed loading engine name');
  let hasDesc = 0;
  try {
    hasDesc = r.length().len;
  } catch (err) {
    if (err instanceof RdbShortReadError) failed('Failed loading library description indicator');
    throw err;
  }
  if (hasDesc) str('Failed loading library description');
  const blob = str('Failed loading library blob');
  return `#!${engine} name=${name}\n${blob}`;
}
