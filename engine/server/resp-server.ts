// The engine behind a RESP2 TCP server (Node only), as redis-server's networking.c: one Client per
// connection, pipelined requests answered in one write, protocol errors answered then the connection
// closed, query-buffer limit, protected mode. Real clients (redis-cli, ioredis, redis-benchmark) work.

import net from 'node:net';
import type { Client } from '../client';
import type { Engine } from '../engine';
import { encodeReply, RequestDecoder } from '../protocol/resp';
import type { Reply } from '../protocol/reply';

const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;
const slice = (buf: Uint8Array, start: number, end: number): string => latin1Slice.call(buf, start, end);

const PROTECTED_MODE_MESSAGE =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export interface RespServerOptions {
  port: number;
  host: string;
  log?: (line: string) => void;
}

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

export class RespServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private fdCounter = 8;

  constructor(
    private readonly engine: Engine,
    private readonly opts: RespServerOptions,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.opts.log?.(`# Server error: ${err.message}`));
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
    const remote = `${socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?'}:${socket.remotePort ?? 0}`;
    const local = `${socket.localAddress?.replace(/^::ffff:/, '') ?? '?'}:${socket.localPort ?? 0}`;
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
    let closed = false;
    const client: Client = engine.createClient({
      addr: remote,
      laddr: local,
      fd: this.fdCounter++,
      deliver: (reply: Reply) => {
        if (!closed) {
          const out = encodeReply(reply, client.resp);
          engine.stats.totalNetOutputBytes += out.length;
          socket.write(out, 'latin1');
        }
      },
      close: () => {
        if (!closed) socket.end();
      },
    });
    const decoder = new RequestDecoder(
      {
        maxBulkLen: engine.config.getInt('proto-max-bulk-len'),
        authenticated: () => client.authenticated,
      },
      slice,
    );
    const finish = () => {
      if (closed) return;
      closed = true;
      this.sockets.delete(socket);
      engine.removeClient(client);
    };
    socket.on('close', finish);
    socket.on('error', () => {
      finish();
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      if (closed || client.closeAsap) return;
      engine.stats.totalNetInputBytes += chunk.length;
      decoder.push(chunk);
      let out = '';
      while (true) {
        const r = decoder.next();
        if (r.kind === 'need-more') break;
        if (r.kind === 'error') {
          out += encodeReply({ t: 'error', v: r.message }, client.resp);
          client.closeAsap = true;
          break;
        }
        const reply = engine.dispatch(client, r.argv);
        if (reply !== undefined) out += encodeReply(reply, client.resp);
        if (client.closeAsap) break;
      }
      client.queryBufferLength = decoder.pending;
      if (!client.closeAsap && decoder.pending > engine.config.getInt('client-query-buffer-limit')) {
        // Redis closes such a client without a reply (freeClientAsync + a log line).
        this.opts.log?.(`# Closing client that reached max query buffer length: id=${client.id} addr=${remote}`);
        finish();
        socket.destroy();
        return;
      }
      if (out.length > 0) {
        engine.stats.totalNetOutputBytes += out.length;
        socket.write(out, 'latin1');
      }
      if (client.closeAsap) {
        finish();
        socket.end();
      }
    });
  }
}
