// The three places every conformance case runs: real redis-server (the oracle), our engine behind
// our TCP server, and our engine in-process (what the browser worker runs).

import type { Client } from '../../engine/client';
import { createEngine, type Engine } from '../../engine/index';
import type { Reply } from '../../engine/protocol/reply';
import { throughWire } from './compare';
import { TestConnection } from './connection';

export interface Conn {
  /** Send a command; resolve with its reply (unless noreply). */
  call(argv: string[], noreply: boolean): Promise<Reply | undefined>;
  /** Read one asynchronous reply (push, MONITOR line, unblocked command). */
  read(timeoutMs: number): Promise<Reply>;
  close(): void;
}

export interface Target {
  readonly name: string;
  open(): Promise<Conn>;
}

export function tcpTarget(name: string, port: number): Target {
  return {
    name,
    async open() {
      const c = await TestConnection.open(port);
      return {
        async call(argv, noreply) {
          if (noreply) {
            c.send(argv);
            return undefined;
          }
          return c.call(argv, 10_000);
        },
        read: (ms) => c.read(ms),
        close: () => c.close(),
      };
    },
  };
}

/** The in-process engine is configured like both servers (redis-process.ts persistenceArgs), on a memory disk. */
const IN_PROCESS_CONFIG = { save: '', appendonly: 'no', 'enable-debug-command': 'local' };

export function inProcessTarget(
  engine: Engine = createEngine({ config: IN_PROCESS_CONFIG }),
): Target & { engine: Engine } {
  return {
    name: 'in-process',
    engine,
    async open() {
      const queue: Reply[] = [];
      const waiting: ((r: Reply) => void)[] = [];
      let closed = false;
      // Replies go through the client's protocol encoding, as on a socket (RESP3 nulls, maps...).
      const push = (raw: Reply) => {
        const r = throughWire(raw, client.resp);
        const w = waiting.shift();
        if (w) w(r);
        else queue.push(r);
      };
      const client: Client = engine.createClient({
        addr: '127.0.0.1:50000',
        deliver: push,
        close: () => {
          closed = true;
        },
      });
      const read = (ms: number): Promise<Reply> => {
        const q = queue.shift();
        if (q) return Promise.resolve(q);
        if (closed) return Promise.resolve({ t: 'error', v: '(connection closed)' });
        return new Promise((resolve) => {
          const done = (r: Reply) => {
            clearTimeout(timer);
            resolve(r);
          };
          const timer = setTimeout(() => {
            const i = waiting.indexOf(done);
            if (i >= 0) waiting.splice(i, 1);
            resolve({ t: 'error', v: '(timeout)' });
          }, ms);
          waiting.push(done);
        });
      };
      return {
        async call(argv, noreply) {
          if (closed) return { t: 'error', v: '(connection closed)' };
          const r = engine.dispatch(client, argv);
          if (client.closeAsap) {
            closed = true;
            engine.removeClient(client);
          }
          if (noreply) {
            // On a socket the reply would still arrive: keep it for a later :read.
            if (r !== undefined) push(r);
            return undefined;
          }
          if (r !== undefined) return throughWire(r, client.resp);
          return read(10_000);
        },
        read,
        close() {
          if (!closed) engine.removeClient(client);
          closed = true;
        },
      };
    },
  };
}
