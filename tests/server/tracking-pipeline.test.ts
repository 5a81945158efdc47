// Client-side caching on a pipelining RESP3 connection, our server against redis-server 7.0: the
// client's own invalidations follow each reply (afterCommand), BCAST keys go out once per event
// loop turn (beforeSleep); CLIENT PAUSE holds a pipelined write and what follows it, in order.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand } from '../../engine/protocol/resp';
import { exchange, type ServerProcess, startLab, startRedis } from './servers';

let lab: ServerProcess;
let redis: ServerProcess;

beforeAll(async () => {
  [lab, redis] = await Promise.all([startLab(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([lab?.stop(), redis?.stop()]);
});

const wire = (...cmds: string[][]) => cmds.map((c) => encodeCommand(c)).join('');

async function both(chunks: string[]): Promise<[string, string]> {
  const [ours, theirs] = await Promise.all([exchange(lab.port, chunks), exchange(redis.port, chunks)]);
  return [ours.reply, theirs.reply];
}

describe('tracking on a pipelining RESP3 connection', () => {
  it('sends its own invalidations right after each reply, and BCAST keys once per turn', async () => {
    const [ours, theirs] = await both([
      wire(['HELLO', '3']),
      wire(
        ['FLUSHALL'],
        ['CLIENT', 'TRACKING', 'on'],
        ['GET', 'a'],
        ['SET', 'a', '1'],
        ['GET', 'a'],
        ['MSET', 'a', '2', 'b', '3'],
        ['PING'],
        ['CLIENT', 'TRACKING', 'off'],
        ['CLIENT', 'TRACKING', 'on', 'BCAST'],
        ['SET', 'x', '1'],
        ['SET', 'y', '1'],
        ['SET', 'x', '2'],
        ['PING'],
      ),
    ]);
    // HELLO's map differs (id, version of the server): compare from the first command after it.
    const tail = (s: string) => s.slice(s.indexOf('+OK\r\n'));
    expect(tail(ours)).toBe(tail(theirs));
    expect(tail(theirs)).toContain('>2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
  });

  it('holds a pipelined write under its own CLIENT PAUSE WRITE, and what follows it, in order', async () => {
    const chunks = [
      wire(
        ['SET', 'k', 'old'],
        ['CLIENT', 'PAUSE', '300', 'WRITE'],
        ['GET', 'k'],
        ['SET', 'k', 'new'],
        ['GET', 'k'],
        ['CLIENT', 'UNPAUSE'],
      ),
    ];
    const [ours, theirs] = await both(chunks);
    expect(ours).toBe(theirs);
    expect(theirs).toBe('+OK\r\n+OK\r\n$3\r\nold\r\n+OK\r\n$3\r\nnew\r\n+OK\r\n');
  });
});
