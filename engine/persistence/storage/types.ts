// The durable layer under the virtual disk (engine/persistence/disk.ts): what survives a power cut.
// Implementations: memory.ts (tests and the default engine), fs.ts (Node, real files under --dir);
// the browser issue adds OPFS (sync access handles in the worker) and IndexedDB, behind this interface.

/**
 * A flat file store addressed by '/'-separated paths ("dump.rdb", "appendonlydir/x.aof"). Every call is
 * synchronous, as Redis's own file calls are: an asynchronous backend (IndexedDB) keeps an in-memory image,
 * persists in the background and reports completion through `flush()`.
 */
export interface Storage {
  /** 'memory', 'fs', 'opfs', 'idb': shown by the persistence panel. */
  readonly kind: string;
  /**
   * True when writes go to a real OS page cache (Node's fs): the virtual disk then writes through at once
   * and fsync calls the OS; the page-cache model (and crash('power')) only exists for the other backends.
   */
  readonly writeThrough: boolean;
  /** The whole file, or null when absent. */
  read(path: string): Uint8Array | null;
  /** The size in bytes, or null when absent. */
  size(path: string): number | null;
  exists(path: string): boolean;
  /** Names (not paths) of the files directly inside `dir` ('' = the root). */
  list(dir: string): string[];
  isDir(path: string): boolean;
  mkdir(dir: string): void;
  /** Create or replace the file with exactly these bytes. */
  writeFile(path: string, data: Uint8Array): void;
  /** Append to the file (created when absent). */
  append(path: string, data: Uint8Array): void;
  truncate(path: string, length: number): void;
  /** Atomic rename, replacing `to` if present. */
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** Make what was written durable (fsync(2)); a no-op where every write already is. */
  fsync(path: string): void;
  /** Asynchronous backends: resolves once everything handed over is durable. */
  flush?(): Promise<void>;
}

/** Paths that need work: "." or ".." segments, doubled or trailing slashes. */
const NEEDS_NORMALIZING = /(^|\/)\.\.?(\/|$)|\/\/|.\/$/;

/** Normalise a path: no "./" segments, no doubled or trailing slashes. */
export function normalizePath(path: string): string {
  if (!NEEDS_NORMALIZING.test(path)) return path;
  const abs = path.startsWith('/');
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  const joined = parts.join('/');
  return abs ? `/${joined}` : joined;
}

/** `dir` joined with `name` (Redis chdir()s into `dir`; here every path carries it). */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizePath(name);
  return normalizePath(dir === '' || dir === '.' ? name : `${dir}/${name}`);
}

/** The directory part of a path ('' for a bare name). */
export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

/** The last segment of a path. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Storage.list for a backend holding flat file paths and directory paths: the names directly in `dir`, sorted. */
export function listDirectory(files: Iterable<string>, dirs: Iterable<string>, dir: string): string[] {
  const d = normalizePath(dir);
  const out: string[] = [];
  for (const p of files) if (dirName(p) === d) out.push(baseName(p));
  for (const p of dirs) if (p !== '' && p !== d && dirName(p) === d) out.push(baseName(p));
  return out.sort();
}
