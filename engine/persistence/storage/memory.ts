// An in-memory Storage: the durable layer for tests and for engines created without a real disk.
// Files are growable byte buffers so appending to a large AOF stays amortised O(1).

import { type Storage, dirName, listDirectory, normalizePath } from './types';

/** A growable byte buffer (one file's contents). */
export class ByteBuffer {
  buf: Uint8Array;
  len: number;

  constructor(initial?: Uint8Array) {
    this.buf = initial ? initial.slice() : new Uint8Array(64);
    this.len = initial ? initial.length : 0;
  }

  append(data: Uint8Array): void {
    const need = this.len + data.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(data, this.len);
    this.len = need;
  }

  truncate(len: number): void {
    if (len < this.len) this.len = len;
    else if (len > this.len) this.append(new Uint8Array(len - this.len));
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class MemoryStorage implements Storage {
  readonly kind = 'memory';
  readonly writeThrough = false;
  private readonly files = new Map<string, ByteBuffer>();
  private readonly dirs = new Set<string>(['']);

  read(path: string): Uint8Array | null {
    return this.files.get(normalizePath(path))?.bytes() ?? null;
  }

  size(path: string): number | null {
    return this.files.get(normalizePath(path))?.len ?? null;
  }

  /** The file's bytes without a copy (valid until the next change), or null (storage/idb.ts). */
  view(path: string): Uint8Array | null {
    const f = this.files.get(normalizePath(path));
    return f === undefined ? null : f.buf.subarray(0, f.len);
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  list(dir: string): string[] {
    return listDirectory(this.files.keys(), this.dirs, dir);
  }

  isDir(path: string): boolean {
    return this.dirs.has(normalizePath(path));
  }

  mkdir(dir: string): void {
    let d = normalizePath(dir);
    while (d !== '' && d !== '/' && !this.dirs.has(d)) {
      this.dirs.add(d);
      d = dirName(d);
    }
  }

  writeFile(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    this.mkdir(dirName(p));
    this.files.set(p, new ByteBuffer(data));
  }

  append(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    let f = this.files.get(p);
    if (f === undefined) {
      this.mkdir(dirName(p));
      f = new ByteBuffer();
      this.files.set(p, f);
    }
    f.append(data);
  }

  truncate(path: string, length: number): void {
    const f = this.files.get(normalizePath(path));
    if (f === undefined) throw new Error(`ENOENT: ${path}`);
    f.truncate(length);
  }

  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const f = this.files.get(a);
    if (f === undefined) throw new Error(`ENOENT: ${from}`);
    this.files.delete(a);
    const b = normalizePath(to);
    this.mkdir(dirName(b));
    this.files.set(b, f);
  }

  unlink(path: string): void {
    this.files.delete(normalizePath(path));
  }

  fsync(): void {}
}
