// Many clients at once, each pipelining its requests in pieces that cut frames anywhere: every
// client gets exactly its own replies, in order.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand } from '../../engine/protocol/resp';
import { type ServerProcess, startLab } from './servers';

const CLIENTS = 200;
const ROUNDS = 50;

/** Send `wire` in `pieces` writes and read until `expectedLength` bytes came back. */
function pipeline(port: number, wire: string, pieces: number, expectedLength: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timed out with ${reply.length}/${expectedLength} bytes`));
    }, 30_000);
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.length >= expectedLength) {
        clearTimeout(timer);
        sock.end();
        resolve(reply);
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.once('connect', () => {
      const step = Math.ceil(wire.length / pieces);
      for (let at = 0; at < wire.length; at += step) sock.write(wire.slice(at, at + step), 'latin1');
    });
  });
}

describe('many pipelining clients', () => {
  let lab: ServerProcess;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab.stop();
  });

  it(`answers ${CLIENTS} concurrent clients in order, each its own replies`, async () => {
    const runs: Promise<void>[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      let wire = '';
      let expected = '';
      for (let j = 0; j < ROUNDS; j++) {
        const key = `mc:${c}:${j}`;
        const value = `value ${c}/${j} ${'x'.repeat((c * 7 + j) % 40)}`;
        wire += encodeCommand(['SET', key, value]);
        expected += '+OK\r\n';
        wire += encodeCommand(['INCR', `mc:${c}:counter`]);
        expected += `:${j + 1}\r\n`;
        wire += encodeCommand(['GET', key]);
        expected += `$${value.length}\r\n${value}\r\n`;
        wire += encodeCommand(['ECHO', `${c}:${j}`]);
        expected += `$${`${c}:${j}`.length}\r\n${c}:${j}\r\n`;
      }
      // Pieces of odd sizes so that frames are cut at every kind of place.
      const pieces = 1 + (c % 13);
      runs.push(
        pipeline(lab.port, wire, pieces, expected.length).then((reply) => {
          expect(reply).toBe(expected);
        }),
      );
    }
    await Promise.all(runs);
    expect(lab.alive()).toBe(true);
  });
});
