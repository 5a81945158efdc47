// The server's JavaScript cost per request, without the kernel: `npx tsx bench/hotpath.ts [SET|GET|INCR|MSET] [16|1]`
// (profile: `node --cpu-prof --import tsx bench/hotpath.ts GET 16`). Drives RespConnection, the
// server's real connection code, with fake sockets fed pipelines shaped like redis-benchmark's.

import { createEngine } from '../engine/index';
import { encodeCommand } from '../engine/protocol/resp';
import { RespConnection } from '../engine/server/resp-server';
import { FakeSocket } from './fake-socket';

/** ns of CPU per request for `argvs` sent `pipeline` at a time over `clients` connections. */
export function hotPath(argvs: readonly string[][], opts: { clients: number; pipeline: number; requests: number }) {
  const engine = createEngine({ config: { save: '' } });
  const sockets: FakeSocket[] = [];
  for (let i = 0; i < opts.clients; i++) {
    const s = new FakeSocket();
    new RespConnection(engine, s, 10 + i, undefined, () => {});
    sockets.push(s);
  }
  // One chunk per client per round, as redis-benchmark writes its pipeline.
  const chunks: Buffer[] = [];
  for (let i = 0; i < 64; i++) {
    let wire = '';
    for (let j = 0; j < opts.pipeline; j++) wire += encodeCommand(argvs[(i * opts.pipeline + j) % argvs.length]);
    chunks.push(Buffer.from(wire, 'latin1'));
  }
  const rounds = Math.ceil(opts.requests / opts.pipeline);
  const run = (n: number) => {
    for (let r = 0; r < n; r++) sockets[r % sockets.length].emit('data', chunks[r & 63]);
  };
  run(Math.min(rounds, 20000)); // warm up the JIT
  const t0 = process.cpuUsage();
  run(rounds);
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / (rounds * opts.pipeline);
}

if (process.argv[1]?.endsWith('hotpath.ts')) {
  const key = 'key:__rand_int__';
  const shapes: [string, string[][]][] = [
    ['SET', [['SET', key, 'xxx']]],
    ['GET', [['GET', key]]],
    ['INCR', [['INCR', 'counter:__rand_int__']]],
    ['MSET', [['MSET', ...Array.from({ length: 10 }, () => [key, 'xxx']).flat()]]],
  ];
  // Optional filters: `tsx bench/hotpath.ts SET 16`.
  const [onlyName, onlyPipeline] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const pipeline of [16, 1]) {
    if (onlyPipeline && Number(onlyPipeline) !== pipeline) continue;
    for (const [name, argvs] of shapes) {
      if (onlyName && onlyName !== name) continue;
      const ns = hotPath(argvs, {
        clients: 50,
        pipeline,
        requests: Number(process.env.REQUESTS ?? (pipeline === 1 ? 500_000 : 2_000_000)),
      });
      process.stdout.write(`${name.padEnd(4)} -P ${String(pipeline).padEnd(2)} ${ns.toFixed(0)} ns/request\n`);
    }
  }
}
