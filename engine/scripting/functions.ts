// Function libraries (src/functions.c): the "#!lua name=mylib" metadata line, creating a library
// in a library context (compile, register, check collisions, link), joining a restored context into
// the current one, and the FUNCTION DUMP payload (RDB_OPCODE_FUNCTION2 + code per library, then
// the RDB version and a CRC-64, like DUMP).

import { verifyDumpPayload } from '../commands/keys-dump';
import { E, scriptErrors } from '../errors';
import { crc64LittleEndian } from '../persistence/rdb/crc64';
import { RDB_OPCODE_FUNCTION2, RDB_VERSION } from '../persistence/rdb/format';
import { RdbFormatError, RdbReader, rdbEncodeString } from '../persistence/rdb/string-value';
import { ReplyError } from '../protocol/reply';
import { splitArgs } from '../protocol/split-args';
import type { FunctionInfo, LibraryInfo, ScriptingState } from './context';

/** FUNCTION LOAD's time limit for running a library's code (LOAD_TIMEOUT_MS). */
export const LOAD_TIMEOUT_MS = 500;

/** A set of libraries and the functions they define (functionsLibCtx). */
export class LibraryContext {
  readonly libraries = new Map<string, LibraryInfo>();
  /** Lower-cased function name -> function (function names are case-insensitive). */
  readonly functions = new Map<string, FunctionInfo>();
  /** dictSlots of Redis's functions dict: it grows as functions are added and never shrinks. */
  functionSlots = 0;
  /** Bumped by every link/unlink (what INFO's memory figures are cached against). */
  version = 0;

  link(lib: LibraryInfo): void {
    this.version++;
    for (const f of lib.functions.values()) {
      const key = f.name.toLowerCase();
      if (!this.functions.has(key)) this.functionSlots = grownSlots(this.functionSlots, this.functions.size);
      this.functions.set(key, f);
    }
    this.libraries.set(lib.name, lib);
  }

  unlink(lib: LibraryInfo): void {
    this.version++;
    for (const f of lib.functions.values()) this.functions.delete(f.name.toLowerCase());
    this.libraries.delete(lib.name);
  }

  functionCount(): number {
    return this.functions.size;
  }
}

/** _dictExpandIfNeeded before an add to a dict of `used` entries: 4 slots, then doubling when full. */
function grownSlots(slots: number, used: number): number {
  if (slots === 0) return 4;
  return used >= slots ? slots * 2 : slots;
}

const VALID_NAME = /^[a-zA-Z0-9_]+$/;

function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** functionExtractLibMetaData: engine, name and the code after the metadata line (from its "\n"). */
function extractMetadata(code: string): { engine: string; name: string; body: string } {
  if (!code.startsWith('#!')) throw new ReplyError(E.LIBRARY_METADATA_MISSING);
  const end = code.indexOf('\n');
  if (end === -1) throw new ReplyError(E.LIBRARY_METADATA_INVALID);
  const parts = splitArgs(cString(code.slice(0, end)));
  if (parts === null || parts.length === 0) throw new ReplyError(E.LIBRARY_METADATA_INVALID);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) throw new ReplyError(E.LIBRARY_NAME_TWICE);
      name = part.slice(5);
      continue;
    }
    throw new ReplyError(scriptErrors.libraryMetadata(part));
  }
  if (name === null) throw new ReplyError(E.LIBRARY_NAME_MISSING);
  return { engine: parts[0].slice(2), name, body: code.slice(end) };
}

/** engineLibraryFree: drop the compiled callbacks of a library that is gone. */
export function freeLibrary(st: ScriptingState, lib: LibraryInfo): void {
  const vm = st.functionVm();
  for (const f of lib.functions.values()) vm.release(f.ref);
}

/**
 * functionsCreateWithLibraryCtx: compile and register a library's functions into `ctx`; returns
 * the library name, throws the error reply.
 */
export function createLibrary(
  st: ScriptingState,
  ctx: LibraryContext,
  code: string,
  replace: boolean,
  timeoutMs: number,
): string {
  const md = extractMetadata(code);
  if (!VALID_NAME.test(md.name)) throw new ReplyError(E.LIBRARY_NAME_INVALID);
  if (md.engine.toLowerCase() !== 'lua') throw new ReplyError(scriptErrors.engineNotFound(md.engine));
  let old = ctx.libraries.get(md.name);
  if (old !== undefined && !replace) throw new ReplyError(scriptErrors.libraryExists(md.name));
  if (old !== undefined) ctx.unlink(old);
  const vm = st.functionVm();
  const restoreOld = () => {
    if (old !== undefined) ctx.link(old);
    old = undefined;
  };
  const registered = vm.load(md.body, timeoutMs);
  if (typeof registered === 'string') {
    restoreOld();
    throw new ReplyError(`ERR ${registered}`);
  }
  const lib: LibraryInfo = { name: md.name, engine: 'LUA', code, functions: new Map() };
  for (const r of registered) lib.functions.set(r.name, { ...r, library: lib });
  const release = () => {
    for (const r of registered) vm.release(r.ref);
  };
  if (registered.length === 0) {
    release();
    restoreOld();
    throw new ReplyError(E.NO_FUNCTIONS_REGISTERED);
  }
  for (const r of registered) {
    if (ctx.functions.has(r.name.toLowerCase())) {
      release();
      restoreOld();
      throw new ReplyError(scriptErrors.functionExists(r.name));
    }
  }
  ctx.link(lib);
  if (old !== undefined) freeLibrary(st, old);
  return md.name;
}

/**
 * libraryJoin: move every library of `src` into `dst`. On a library name collision, fail unless
 * `replace` (then the old one goes); a function name collision always fails, leaving `dst` as it was.
 */
export function joinLibraries(st: ScriptingState, dst: LibraryContext, src: LibraryContext, replace: boolean): void {
  const replaced: LibraryInfo[] = [];
  const rollback = () => {
    for (const lib of replaced) dst.link(lib);
  };
  for (const lib of src.libraries.values()) {
    const old = dst.libraries.get(lib.name);
    if (old === undefined) continue;
    if (!replace) {
      rollback();
      throw new ReplyError(scriptErrors.libraryExistsRestore(lib.name));
    }
    dst.unlink(old);
    replaced.push(old);
  }
  for (const f of src.functions.values()) {
    if (dst.functions.has(f.name.toLowerCase())) {
      rollback();
      throw new ReplyError(scriptErrors.functionExists(f.name));
    }
  }
  for (const lib of src.libraries.values()) dst.link(lib);
  for (const lib of replaced) freeLibrary(st, lib);
}

/** FUNCTION DUMP: the libraries' code as an RDB fragment with version and CRC-64. */
export function dumpLibraries(ctx: LibraryContext, compress: boolean): string {
  let out = '';
  for (const lib of ctx.libraries.values()) {
    out += String.fromCharCode(RDB_OPCODE_FUNCTION2) + rdbEncodeString(lib.code, compress);
  }
  out += String.fromCharCode(RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff);
  return out + crc64LittleEndian(out);
}

/** FUNCTION RESTORE's payload read into a new context (errors thrown as replies). */
export function restoreLibraries(st: ScriptingState, payload: string): LibraryContext {
  if (!verifyDumpPayload(payload)) throw new ReplyError(E.BAD_DUMP);
  const ctx = new LibraryContext();
  const r = new RdbReader(payload);
  const fail = (msg: string): never => {
    for (const lib of ctx.libraries.values()) freeLibrary(st, lib);
    throw new ReplyError(msg);
  };
  while (payload.length - r.pos > 10) {
    let code: string;
    try {
      const type = r.byte();
      // LAB: RDB_OPCODE_FUNCTION, the 7.0 release candidates' format, is not read.
      if (type !== RDB_OPCODE_FUNCTION2) return fail(E.FUNCTION_RESTORE_NOT_FUNCTION);
      code = r.string();
    } catch (err) {
      if (err instanceof RdbFormatError) return fail('ERR failed loading the given functions payload');
      throw err;
    }
    try {
      createLibrary(st, ctx, code, false, 0);
    } catch (err) {
      if (err instanceof ReplyError) return fail(err.reply);
      throw err;
    }
  }
  return ctx;
}
