// A minimal RESP client for tests: send argv, await the structured Reply; read pushed replies.

import net from 'node:net';
import { encodeCommand, ReplyDecoder } from '../../engine/protocol/resp';
import type { Reply } from '../../engine/protocol/reply';

const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;
const latin1 = (buf: Uint8Array, s: number, e: number) => latin1Slice.call(buf, s, e);

export class TestConnection {
  private readonly decoder = new ReplyDecoder(latin1);
  private readonly waiting: ((r: Reply) => void)[] = [];
  private readonly queued: Reply[] = [];
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.decoder.push(chunk);
      for (let r = this.decoder.next(); r !== undefined; r = this.decoder.next()) {
        const w = this.waiting.shift();
        if (w) w(r);
        else this.queued.push(r);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w({ t: 'error', v: '(connection closed)' });
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<TestConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.setNoDelay(true);
      s.once('connect', () => resolve(new TestConnection(s)));
      s.once('error', reject);
    });
  }

  /** Next reply (a response or a push), or a synthetic error after `timeoutMs`. */
  read(timeoutMs = 5000): Promise<Reply> {
    const q = this.queued.shift();
    if (q) return Promise.resolve(q);
    if (this.closed) return Promise.resolve({ t: 'error', v: '(connection closed)' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve({ t: 'error', v: '(timeout)' });
      }, timeoutMs);
      const done = (r: Reply) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiting.push(done);
    });
  }

  sendRaw(data: string | Uint8Array): void {
    if (typeof data === 'string') this.socket.write(data, 'latin1');
    else this.socket.write(data);
  }

  send(argv: readonly string[]): void {
    this.sendRaw(encodeCommand(argv));
  }

  call(argv: readonly string[], timeoutMs = 5000): Promise<Reply> {
    this.send(argv);
    return this.read(timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
