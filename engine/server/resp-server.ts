// The engine behind a RESP2 TCP server (Node only), as redis-server's networking.c: one Client per
// connection, pipelined requests answered in one write, protocol errors answered then the connection
// closed, query-buffer limit, protected mode. Real clients (redis-cli, ioredis, redis-benchmark) work.
// Hot path: bytes are parsed in place, replies are encoded into one reusable byte buffer per connection.

import net from 'node:net';
import type { Client } from '../client';
import type { Engine } from '../engine';
import type { Reply } from '../protocol/reply';
import { ReplyWriter } from '../protocol/reply-writer';
import { RequestDecoder } from '../protocol/request-decoder';

type BufferInternals = {
  latin1Slice(this: Uint8Array, start: number, end: number): string;
  latin1Write(this: Uint8Array, s: string, offset: number): number;
};
const { latin1Slice, latin1Write } = Buffer.prototype as unknown as BufferInternals;
const slice = (buf: Uint8Array, start: number, end: number): string => latin1Slice.call(buf, start, end);
const write = (buf: Uint8Array, s: string, offset: number): void => {
  latin1Write.call(buf, s, offset);
};
const alloc = (size: number): Uint8Array => Buffer.allocUnsafe(size);
/** The smallest client-query-buffer-limit CONFIG accepts: below it the limit needs no look-up. */
const MIN_QUERY_BUFFER_LIMIT = 1024 * 1024;

const PROTECTED_MODE_MESSAGE =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export interface RespServerOptions {
  port: number;
  host: string;
  log?: (line: string) => void;
  /**
   * beforeSleep (the AOF flush and fsync). When `deferReplies()` is true, replies are written once per
   * event-loop turn after calling it, so writes are on disk before any reply acknowledges them.
   */
  beforeSleep?: () => void;
  deferReplies?: () => boolean;
}

/**
 * Redis's event loop turn: every connection read in this turn runs its commands, then beforeSleep
 * flushes the AOF once (one fsync under appendfsync always, for all clients), then the replies go out.
 */
export class WriteGroup {
  private pending: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly beforeSleep: () => void,
    readonly active: () => boolean,
  ) {}

  /** Write with this turn's replies (after beforeSleep). */
  add(write: () => void): void {
    this.pending.push(write);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  /** beforeSleep now, for a reply that cannot wait (a connection about to close). */
  flushNow(): void {
    this.beforeSleep();
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const writes = this.pending;
    this.pending = [];
    this.beforeSleep();
    for (const w of writes) w();
  };
}

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

export class RespServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private fdCounter = 8;
  private readonly group: WriteGroup | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly opts: RespServerOptions,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.opts.log?.(`# Server error: ${err.message}`));
    const { beforeSleep, deferReplies } = opts;
    if (beforeSleep && deferReplies) this.group = new WriteGroup(beforeSleep, deferReplies);
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.opts.port);
      });
    });
  }

  /** Stop accepting, close every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    socket.setNoDelay(true);
    if (
      engine.config.getBool('protected-mode') &&
      engine.config.get('requirepass') === '' &&
      !isLoopback(socket.remoteAddress)
    ) {
      socket.end(PROTECTED_MODE_MESSAGE, 'latin1');
      return;
    }
    if (engine.clients.size >= engine.config.getInt('maxclients')) {
      engine.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n', 'latin1');
      return;
    }
    this.sockets.add(socket);
    new RespConnection(engine, socket, this.fdCounter++, this.opts.log, () => this.sockets.delete(socket), this.group);
  }
}

/** What a connection needs from its socket (a net.Socket; the bench drives it with a fake one). */
export interface ConnectionSocket {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  write(bytes: Uint8Array): boolean;
  readonly writableLength: number;
  end(): unknown;
  destroy(): unknown;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;
}

/** One client connection: reads requests, runs them, writes the replies of each read in one write. */
export class RespConnection {
  private readonly client: Client;
  private readonly decoder: RequestDecoder;
  private readonly out = new ReplyWriter(alloc, write);
  private readonly remote: string;
  private closed = false;
  /** Inside a read's processing loop: replies accumulate and are written when it ends. */
  private inBatch = false;
  /** Replies delivered outside a read (pushes, MONITOR lines) are written together at the end of the task. */
  private flushQueued = false;
  private readonly flushLater = (): void => {
    this.flushQueued = false;
    if (!this.closed && this.out.length > 0) this.flush();
  };
  /** This turn's replies are queued in the write group. */
  private writeQueued = false;
  private readonly writeLater = (): void => {
    this.writeQueued = false;
    this.flushQueued = false;
    if (!this.closed && this.out.length > 0) this.flush();
  };

  constructor(
    private readonly engine: Engine,
    private readonly socket: ConnectionSocket,
    fd: number,
    private readonly log: ((line: string) => void) | undefined,
    private readonly onFinish: () => void,
    private readonly group?: WriteGroup,
  ) {
    this.remote = `${socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?'}:${socket.remotePort ?? 0}`;
    const local = `${socket.localAddress?.replace(/^::ffff:/, '') ?? '?'}:${socket.localPort ?? 0}`;
    const client = engine.createClient({
      addr: this.remote,
      laddr: local,
      fd,
      deliver: (reply: Reply) => this.deliver(reply),
      close: () => this.closeRequested(),
    });
    this.client = client;
    this.decoder = new RequestDecoder(
      {
        maxBulkLen: () => engine.config.getInt('proto-max-bulk-len'),
        authenticated: () => client.authenticated || !engine.authRequired,
      },
      slice,
      alloc,
    );
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => {
      this.finish();
      socket.destroy();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.client.closeAsap) return;
    this.engine.stats.totalNetInputBytes += chunk.length;
    this.decoder.push(chunk);
    this.processInput();
  }

  /** processInputBuffer: run every complete request, then write all their replies at once. */
  private processInput(): void {
    const { engine, client, decoder, out } = this;
    this.inBatch = true;
    try {
      while (true) {
        const argv = decoder.nextArgv();
        if (argv === null) {
          if (decoder.error !== null) {
            out.writeError(decoder.error);
            engine.countError(decoder.error);
            client.closeAsap = true;
          }
          break;
        }
        // (a blocked client's requests are held by the engine, and answered in order through deliver)
        const reply = engine.dispatch(client, argv);
        if (reply !== undefined) out.write(reply, client.resp);
        // The client's own client-side-caching invalidations follow its reply (afterCommand).
        if (engine.tracking !== null) engine.tracking.flushPending();
        if (client.closeAsap) break;
      }
    } catch (err) {
      // Never let a bug take the server down: report it to this client and drop the connection.
      this.log?.(`# Internal error serving ${this.remote}: ${err instanceof Error ? err.stack : String(err)}`);
      out.writeError('ERR internal error');
      client.closeAsap = true;
    }
    engine.settleTimes(); // before the write, so the syscall isn't counted as command time
    this.inBatch = false;
    const pending = decoder.pending;
    client.queryBufferLength = pending;
    if (
      pending > MIN_QUERY_BUFFER_LIMIT &&
      !client.closeAsap &&
      pending > engine.config.getInt('client-query-buffer-limit')
    ) {
      // Redis closes such a client without a reply (freeClientAsync + a log line).
      this.log?.(`# Closing client that reached max query buffer length: id=${client.id} addr=${this.remote}`);
      this.finish();
      this.socket.destroy();
      return;
    }
    if (out.length > 0) {
      if (this.group?.active() && !client.closeAsap) this.queueWrite();
      else {
        this.group?.flushNow();
        this.flush();
      }
    }
    if (client.closeAsap) {
      this.finish();
      this.socket.end();
    }
  }

  private queueWrite(): void {
    if (this.writeQueued) return;
    this.writeQueued = true;
    (this.group as WriteGroup).add(this.writeLater);
  }

  private flush(): void {
    const bytes = this.out.take();
    this.engine.stats.totalNetOutputBytes += bytes.length;
    this.socket.write(bytes);
    // The socket keeps the bytes until the kernel takes them: the writer must not reuse that memory.
    if (this.socket.writableLength > 0) this.out.detach();
  }

  /**
   * A reply outside the request/response cycle (push, MONITOR line, unblocked command). During this
   * client's own read it goes out with that read's replies, in order; otherwise with whatever else the
   * current task delivers to it (one write per task, as Redis writes each client once per event loop).
   */
  private deliver(reply: Reply): void {
    if (this.closed) return;
    this.out.write(reply, this.client.resp);
    if (this.inBatch || this.flushQueued || this.writeQueued) return;
    if (this.group?.active()) {
      // An unblocked command's reply: after beforeSleep has written what unblocked it.
      this.flushQueued = true;
      this.queueWrite();
      return;
    }
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  /** The engine wants this connection closed (QUIT, CLIENT KILL): after the current replies. */
  private closeRequested(): void {
    if (this.closed) return;
    if (this.inBatch) {
      this.client.closeAsap = true;
      return;
    }
    if (this.out.length > 0) {
      this.group?.flushNow();
      this.flush();
    }
    this.finish();
    this.socket.end();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onFinish();
    this.engine.removeClient(this.client);
  }
}
