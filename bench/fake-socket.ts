// A stand-in for net.Socket that the server's connection code can drive in-process (bench/hotpath.ts,
// bench/memory.ts): requests are emitted as 'data' events, written replies are counted or kept.

import { EventEmitter } from 'node:events';
import type { ConnectionSocket } from '../engine/server/resp-server';

export class FakeSocket extends EventEmitter implements ConnectionSocket {
  written = 0;
  /** The written bytes, when `keep` is set. */
  readonly chunks: Buffer[] = [];
  readonly writableLength = 0;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40000;

  constructor(private readonly keep = false) {
    super();
  }

  write(bytes: Uint8Array): boolean {
    this.written += bytes.length;
    if (this.keep) this.chunks.push(Buffer.from(bytes));
    return true;
  }
  end(): void {}
  destroy(): void {}
}
