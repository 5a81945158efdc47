// Storage on the real file system (Node only: the TCP server's --dir). Writes go to the OS page cache
// at once (writeThrough) and fsync calls fsync(2), so the files behave as Redis's own would on a crash
// of the process. Appended files keep their descriptor open, as Redis keeps the AOF open.

import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from './types';

export class FsStorage implements Storage {
  readonly kind = 'fs';
  readonly writeThrough = true;
  private readonly fds = new Map<string, number>();

  /** `root` resolves relative paths (the server's working directory). */
  constructor(private readonly root: string = process.cwd()) {}

  private abs(p: string): string {
    return path.resolve(this.root, p === '' ? '.' : p);
  }

  private close(p: string): void {
    const a = this.abs(p);
    const fd = this.fds.get(a);
    if (fd !== undefined) {
      fs.closeSync(fd);
      this.fds.delete(a);
    }
  }

  read(p: string): Uint8Array | null {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.abs(p));
    } catch {
      return null;
    }
    // A file's own buffer is viewed as it is (a 50 MB dump.rdb is not copied); a small one shares
    // Node's pool and is copied, so the caller gets an array that starts its own buffer.
    if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength)
      return new Uint8Array(buf.buffer, 0, buf.byteLength);
    return new Uint8Array(buf);
  }

  size(p: string): number | null {
    try {
      const st = fs.statSync(this.abs(p));
      return st.isFile() ? st.size : null;
    } catch {
      return null;
    }
  }

  exists(p: string): boolean {
    return fs.existsSync(this.abs(p));
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(this.abs(dir)).sort();
    } catch {
      return [];
    }
  }

  isDir(p: string): boolean {
    try {
      return fs.statSync(this.abs(p)).isDirectory();
    } catch {
      return false;
    }
  }

  mkdir(dir: string): void {
    fs.mkdirSync(this.abs(dir), { recursive: true });
  }

  writeFile(p: string, data: Uint8Array): void {
    this.close(p);
    fs.writeFileSync(this.abs(p), data);
  }

  append(p: string, data: Uint8Array): void {
    const a = this.abs(p);
    let fd = this.fds.get(a);
    if (fd === undefined) {
      try {
        fd = fs.openSync(a, 'a');
      } catch {
        fs.mkdirSync(path.dirname(a), { recursive: true });
        fd = fs.openSync(a, 'a');
      }
      this.fds.set(a, fd);
    }
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  }

  truncate(p: string, length: number): void {
    fs.truncateSync(this.abs(p), length);
  }

  rename(from: string, to: string): void {
    this.close(from);
    this.close(to);
    fs.renameSync(this.abs(from), this.abs(to));
  }

  unlink(p: string): void {
    this.close(p);
    try {
      fs.unlinkSync(this.abs(p));
    } catch {
      // bg_unlink ignores a missing file.
    }
  }

  fsync(p: string): void {
    const a = this.abs(p);
    const open = this.fds.get(a);
    if (open !== undefined) {
      fs.fsyncSync(open);
      return;
    }
    let fd: number;
    try {
      fd = fs.openSync(a, 'r');
    } catch {
      return;
    }
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  private readonly syncing = new Set<number>();

  /**
   * fsync(2) off the main thread (Redis's bio thread for appendfsync everysec): the event loop does not
   * wait for the disk. One at a time per open file; a file not held open is fsynced at once.
   */
  fsyncBackground(p: string): void {
    const fd = this.fds.get(this.abs(p));
    if (fd === undefined) {
      this.fsync(p);
      return;
    }
    if (this.syncing.has(fd)) return;
    this.syncing.add(fd);
    fs.fsync(fd, () => this.syncing.delete(fd));
  }

  /** Close every open descriptor (server shutdown). */
  closeAll(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
