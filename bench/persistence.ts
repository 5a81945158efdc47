// Part (e) of `npm run bench`: persistence against redis-server 7.0. One dataset of 1,000,000 mixed
// keys (every type and encoding) fed to both; SAVE time, dump.rdb size and load-at-start time on each;
// then AOF write throughput (redis-benchmark SET) with appendfsync always / everysec / appendonly no,
// our TCP server (--dir on a temp dir, real files) beside redis-server.
// `npx tsx bench/persistence.ts` runs this part alone and prints its figures as JSON.

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngine } from '../engine/index';
import { VirtualDisk } from '../engine/persistence/disk';
import { persistenceOf } from '../engine/persistence/lifecycle';
import { FsStorage } from '../engine/persistence/storage/fs';
import { encodeCommand } from '../engine/protocol/resp';
import type { Reply } from '../engine/protocol/reply';
import { TestConnection } from '../tests/conformance/connection';
import { median } from './network';

/** This part's private ports (ours and redis-server): free ones the OS picks, set by runPersistence. */
let PORT_REAL = 0;
let PORT_OURS = 0;

/** A TCP port nothing listens on now (the OS's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function pickPorts(): Promise<void> {
  if (PORT_REAL === 0) PORT_REAL = await freePort();
  if (PORT_OURS === 0) PORT_OURS = await freePort();
}

export interface AofRow {
  policy: 'always' | 'everysec' | 'no';
  oursRuns: number[];
  realRuns: number[];
  ours: number | null;
  real: number | null;
  ratio: number | null;
}

export interface PersistenceResult {
  keys: number;
  mix: [string, number][];
  /** Milliseconds. */
  saveOurs: number;
  saveReal: number;
  loadOurs: number;
  loadReal: number;
  sizeOurs: number;
  sizeReal: number;
  loadedOurs: number;
  loadedReal: number;
  aof: AofRow[];
  aofRequests: number;
  aofClients: number;
}

// ---- the dataset -----------------------------------------------------------------------------------

/** A deterministic pseudo-random generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Key kinds and how many keys of each, for a dataset of `n` keys (n ≥ 10,000). */
export function datasetMix(n: number): [string, number][] {
  const big = Math.max(10, Math.round(n / 10_000));
  const mix: [string, number][] = [
    ['string int', 0.3],
    ['string embstr', 0.25],
    ['string raw (120 B)', 0.1],
    ['hash listpack (4 fields)', 0.12],
    ['list quicklist (5 elements)', 0.1],
    ['set intset (5 ints)', 0.06],
    ['set hashtable (4 members)', 0.03],
    ['zset listpack (5 members)', 0.04],
  ].map(([k, f]) => [k as string, Math.floor(n * (f as number))]);
  const bigs: [string, number][] = [
    ['hash hashtable (500 fields)', big],
    ['list quicklist (1000 elements)', big],
    ['set hashtable (600 ints)', big],
    ['zset skiplist (300 members)', big],
    ['stream (100 entries)', Math.max(5, big / 2)],
  ];
  const used = [...mix, ...bigs].reduce((s, [, c]) => s + c, 0);
  mix[0][1] += n - used;
  return [...mix, ...bigs];
}

/** The dataset's commands, in batches (one key per command). */
export function* datasetCommands(n: number): Generator<string[][]> {
  const r = rng(20261126);
  // Flat strings (built in one piece), as a server's parser produces them: not ropes to flatten later.
  const chars: number[] = [];
  const word = (len: number) => {
    chars.length = len;
    for (let i = 0; i < len; i++) chars[i] = ALPHA.charCodeAt(Math.floor(r() * ALPHA.length));
    return String.fromCharCode(...chars);
  };
  let id = 0;
  let batch: string[][] = [];
  for (const [kind, count] of datasetMix(n)) {
    for (let i = 0; i < count; i++) {
      const k = `${kind.split(' ')[0]}:${id++}`;
      let argv: string[];
      if (kind === 'string int') argv = ['SET', k, String(Math.floor(r() * 1e9) - 5e8)];
      else if (kind === 'string embstr') argv = ['SET', k, word(10 + Math.floor(r() * 30))];
      else if (kind.startsWith('string raw')) argv = ['SET', k, word(120)];
      else if (kind.startsWith('hash listpack'))
        argv = ['HSET', k, 'name', word(8), 'city', word(6), 'age', '42', 'n', '7'];
      else if (kind.startsWith('list quicklist (5')) argv = ['RPUSH', k, word(5), word(8), '1', '200', word(12)];
      else if (kind.startsWith('set intset')) argv = ['SADD', k, '1', '2', String(i), String(i * 3 + 7), '70000'];
      else if (kind.startsWith('set hashtable (4')) argv = ['SADD', k, word(6), word(7), word(8), word(5)];
      else if (kind.startsWith('zset listpack')) {
        argv = ['ZADD', k];
        for (let j = 0; j < 5; j++) argv.push(String(Math.floor(r() * 1000) / 10), word(6));
      } else if (kind.startsWith('hash hashtable')) {
        argv = ['HSET', k];
        for (let j = 0; j < 500; j++) argv.push(`f${j}`, word(10));
      } else if (kind.startsWith('list quicklist (1000')) {
        argv = ['RPUSH', k];
        for (let j = 0; j < 1000; j++) argv.push(j % 3 === 0 ? String(j) : word(12));
      } else if (kind.startsWith('set hashtable (600')) {
        argv = ['SADD', k];
        for (let j = 0; j < 600; j++) argv.push(String(j * 7));
      } else if (kind.startsWith('zset skiplist')) {
        argv = ['ZADD', k];
        for (let j = 0; j < 300; j++) argv.push(String(r() * 1e6), `m${j}`);
      } else {
        // A stream: 100 entries in one batch of XADDs (the key counts once).
        for (let j = 1; j <= 100; j++) batch.push(['XADD', k, `${j}-1`, 'sensor', word(4), 'value', String(j)]);
        continue;
      }
      batch.push(argv);
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

// ---- processes -------------------------------------------------------------------------------------

const ROOT = new URL('..', import.meta.url).pathname;

interface Server {
  proc: ChildProcess;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Start a server and wait for `ready` in its output. */
function launch(command: string, args: string[], port: number, ready: RegExp, cwd = ROOT): Promise<Server> {
  const proc = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${out.slice(-500)}`)), 600_000);
    const onData = (d: Buffer) => {
      out += d.toString('latin1');
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({
          proc,
          port,
          output: () => out,
          stop: () =>
            new Promise((done) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill('SIGKILL');
            }),
        });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

const realRedis = (dir: string, args: string[] = []) =>
  launch(
    'redis-server',
    ['--port', String(PORT_REAL), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args],
    PORT_REAL,
    /Ready to accept connections/,
  );

const ourServer = (dir: string, args: string[] = []) =>
  launch(
    process.execPath,
    ['--import', 'tsx', 'engine/server/main.ts', '--port', String(PORT_OURS), '--save', '', '--dir', dir, ...args],
    PORT_OURS,
    /Ready to accept connections/,
  );

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `redis-lab-bench-${tag}-`));
}

/** The dataset as one RESP file, fed to redis-server with `redis-cli --pipe`. */
function writeRespFile(n: number, file: string): number {
  const fd = openSync(file, 'w');
  let commands = 0;
  try {
    for (const batch of datasetCommands(n)) {
      let wire = '';
      for (const argv of batch) wire += encodeCommand(argv);
      writeSync(fd, Buffer.from(wire, 'latin1'));
      commands += batch.length;
    }
  } finally {
    closeSync(fd);
  }
  return commands;
}

function pipeInto(port: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(file, 'r');
    const proc = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: [fd, 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (d) => {
      out += d;
    });
    proc.stderr?.on('data', (d) => {
      out += d;
    });
    proc.on('exit', (code) => {
      closeSync(fd);
      if (code === 0 && /errors: 0,/.test(out)) resolve();
      else reject(new Error(`redis-cli --pipe failed: ${out.trim()}`));
    });
  });
}

async function call(port: number, argv: string[]): Promise<Reply> {
  const conn = await TestConnection.open(port);
  try {
    return await conn.call(argv, 600_000);
  } finally {
    conn.close();
  }
}

// ---- RDB: SAVE, size, load -------------------------------------------------------------------------

/**
 * A full garbage collection before a timing, so it starts with no collection owed by earlier work (the
 * million commands that built the dataset): global.gc, or V8's own exposed at run time.
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
  else {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  }
}

/** Our engine fed the dataset, then SAVE timed (ms); the engine is dropped (a new redis-server starts with nothing but the file). */
function oursSave(n: number, dir: string): number {
  const engine = createEngine({ config: { save: '' }, disk: new VirtualDisk(new FsStorage(dir)) });
  const c = engine.createClient();
  for (const batch of datasetCommands(n)) {
    for (const argv of batch) {
      const r = engine.dispatch(c, argv) as Reply;
      if (r.t === 'error') throw new Error(`ours: ${argv[0]} ${argv[1]}: ${r.v}`);
    }
  }
  collectGarbage();
  const t0 = performance.now();
  const ok = engine.dispatch(c, ['SAVE']) as Reply;
  const ms = performance.now() - t0;
  if (ok.t !== 'status') throw new Error(`our SAVE: ${JSON.stringify(ok)}`);
  persistenceOf(engine).detach();
  return ms;
}

async function rdbPart(n: number, log: (s: string) => void) {
  const realDir = tempDir('rdb-real');
  const oursDir = tempDir('rdb-ours');
  const respFile = join(realDir, 'dataset.resp');
  try {
    const commands = writeRespFile(n, respFile);
    log(`  dataset: ${n.toLocaleString('en-US')} keys, ${commands.toLocaleString('en-US')} commands`);

    // redis-server: feed, SAVE, then a fresh server loads the dump.
    let real = await realRedis(realDir);
    let saveReal: number;
    try {
      await pipeInto(PORT_REAL, respFile);
      const t0 = performance.now();
      const ok = await call(PORT_REAL, ['SAVE']);
      saveReal = performance.now() - t0;
      if (ok.t !== 'status') throw new Error(`redis SAVE: ${JSON.stringify(ok)}`);
    } finally {
      await real.stop();
    }
    rmSync(respFile);
    const sizeReal = statSync(join(realDir, 'dump.rdb')).size;
    real = await realRedis(realDir);
    let loadReal: number;
    let loadedReal: number;
    try {
      const m = /DB loaded from disk: ([\d.]+) seconds/.exec(real.output());
      if (!m) throw new Error(`redis-server did not log its load: ${real.output().slice(-400)}`);
      loadReal = Number(m[1]) * 1000;
      loadedReal = Number((await call(PORT_REAL, ['DBSIZE'])).v);
    } finally {
      await real.stop();
    }
    log(`  redis-server: SAVE ${saveReal.toFixed(0)} ms, ${sizeReal} bytes, load ${loadReal.toFixed(0)} ms`);

    // Ours, in-process over real files: the same commands, SAVE, then a new engine loads the dump.
    const saveOurs = oursSave(n, oursDir);
    // Yield once before the load: until then the SAVE engine stays reachable (measured with --trace-gc:
    // the first mark-compact of the load kept all of it), and the load's collections walked both datasets.
    await new Promise((done) => setImmediate(done));
    const sizeOurs = statSync(join(oursDir, 'dump.rdb')).size;
    collectGarbage();
    const t0 = performance.now();
    const loaded = createEngine({ config: { save: '' }, disk: new VirtualDisk(new FsStorage(oursDir)) });
    const loadOurs = performance.now() - t0;
    const report = persistenceOf(loaded).lastLoadReport;
    if (report?.source !== 'rdb' || !report.ok) throw new Error('our engine did not load its dump.rdb');
    const loadedOurs = loaded.dbs.reduce((s, db) => s + db.dict.size, 0);
    log(`  ours: SAVE ${saveOurs.toFixed(0)} ms, ${sizeOurs} bytes, load ${loadOurs.toFixed(0)} ms`);
    return { saveReal, sizeReal, loadReal, loadedReal, saveOurs, sizeOurs, loadOurs, loadedOurs };
  } finally {
    rmSync(realDir, { recursive: true, force: true });
    rmSync(oursDir, { recursive: true, force: true });
  }
}

// ---- AOF throughput ----------------------------------------------------------------------------------

function benchmarkSet(port: number, requests: number, clients: number): Promise<number> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-n', String(requests)];
  args.push('-c', String(clients), '-q', '--csv');
  return new Promise((resolve, reject) => {
    const proc = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 300_000);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      const m = /^"SET","([\d.]+)"/m.exec(out);
      if (code !== 0 || !m) return reject(new Error(`redis-benchmark failed (${code ?? signal}): ${out.trim()}`));
      resolve(Number(m[1]));
    });
  });
}

export async function aofPart(
  requests: number,
  clients: number,
  runs: number,
  log: (s: string) => void,
): Promise<AofRow[]> {
  await pickPorts();
  const rows: AofRow[] = [];
  for (const policy of ['always', 'everysec', 'no'] as const) {
    const args = policy === 'no' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', policy];
    const row: AofRow = { policy, oursRuns: [], realRuns: [], ours: null, real: null, ratio: null };
    const ratios: number[] = [];
    for (let run = 0; run < runs; run++) {
      const rps = { ours: 0, real: 0 };
      for (const who of run % 2 === 0 ? (['ours', 'real'] as const) : (['real', 'ours'] as const)) {
        const d = tempDir(`aof-${who}`);
        const server = who === 'ours' ? await ourServer(d, args) : await realRedis(d, args);
        try {
          rps[who] = await benchmarkSet(server.port, requests, clients);
          if (server.proc.exitCode !== null) throw new Error(`${who} server died`);
        } finally {
          await server.stop();
          rmSync(d, { recursive: true, force: true });
        }
      }
      row.oursRuns.push(rps.ours);
      row.realRuns.push(rps.real);
      ratios.push(rps.ours / rps.real);
    }
    row.ours = median(row.oursRuns);
    row.real = median(row.realRuns);
    row.ratio = median(ratios);
    log(`  ${policy}: ours ${row.oursRuns.join(' / ')} req/s, redis ${row.realRuns.join(' / ')} req/s`);
    rows.push(row);
  }
  return rows;
}

export interface PersistenceOptions {
  keys: number;
  aofRequests: number;
  aofClients: number;
  aofRuns: number;
  log: (line: string) => void;
}

export async function runPersistence(o: PersistenceOptions): Promise<PersistenceResult> {
  await pickPorts();
  const rdb = await rdbPart(o.keys, o.log);
  const aof = await aofPart(o.aofRequests, o.aofClients, o.aofRuns, o.log);
  return {
    keys: o.keys,
    mix: datasetMix(o.keys),
    ...rdb,
    aof,
    aofRequests: o.aofRequests,
    aofClients: o.aofClients,
  };
}

// ---- the report ----------------------------------------------------------------------------------

/** What `npm run bench` runs, and the targets: ours ≤ 2× Redis's time, dump.rdb ≤ 1.1× its size. */
export const PERSISTENCE = { keys: 1_000_000, aofRequests: 20_000, aofClients: 8, aofRuns: 3 } as const;
export const SAVE_TARGET = 2;
export const LOAD_TARGET = 2;
export const SIZE_TARGET = 1.1;

export interface PersistenceVerdict {
  what: string;
  value: string;
  target: string;
  pass: boolean | null;
}

const num = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));
const times = (r: number | null): string => (r === null ? '—' : `${r.toPrecision(3)}×`);
const passMark = (p: boolean | null): string => (p === null ? 'n/a' : p ? 'PASS' : 'FAIL');

/** Section (e)'s tables; pushes the SAVE / load / size verdicts. */
export function persistenceSection(r: PersistenceResult, verdicts: PersistenceVerdict[]): string {
  const allLoaded = r.loadedOurs === r.keys && r.loadedReal === r.keys;
  const rows: string[][] = [];
  const check = (what: string, ours: number, real: number, unit: string, target: number) => {
    const q = ours / real;
    const pass = allLoaded && q <= target;
    verdicts.push({
      what: `persistence: ${what} (${num(r.keys)} mixed keys)`,
      value: times(q),
      target: `≤ ${target}×`,
      pass,
    });
    rows.push([what, `${num(ours)} ${unit}`, `${num(real)} ${unit}`, times(q), `≤ ${target}× ${passMark(pass)}`]);
  };
  check('SAVE', r.saveOurs, r.saveReal, 'ms', SAVE_TARGET);
  check('load at start', r.loadOurs, r.loadReal, 'ms', LOAD_TARGET);
  check('dump.rdb size', r.sizeOurs, r.sizeReal, 'bytes', SIZE_TARGET);
  rows.push(['keys after load', num(r.loadedOurs), num(r.loadedReal), '', '']);
  const aof = r.aof.map((a) => [
    a.policy === 'no' ? 'appendonly no' : `appendonly yes, appendfsync ${a.policy}`,
    num(a.ours),
    num(a.real),
    times(a.ratio),
    a.oursRuns.map(num).join(' / '),
    a.realRuns.map(num).join(' / '),
  ]);
  const head = (h: string[]) => [`| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  return [
    ...head(['', 'ours', 'redis-server', 'ratio', 'target']),
    ...rows.map((x) => `| ${x.join(' | ')} |`),
    '',
    `Key mix: ${r.mix.map(([k, c]) => `${num(c)} ${k}`).join(', ')}.`,
    '',
    ...head(['AOF policy', 'ours SET req/s', 'redis SET req/s', 'ratio', 'ours runs', 'redis runs']),
    ...aof.map((x) => `| ${x.join(' | ')} |`),
  ].join('\n');
}

/** Section (e)'s description for RESULTS.md. */
export function persistenceDoc(): string {
  const p = PERSISTENCE;
  return [
    `${num(p.keys)} keys of every type and encoding (the mix below; the same commands for both) are fed`,
    'to redis-server (`redis-cli --pipe`) and to our engine (in-process `dispatch`, its disk on real files',
    'in a temp dir). SAVE is timed on each (a reply to `SAVE` over TCP for Redis; our `dispatch(SAVE)`:',
    'snapshot, write, fsync, rename). Load: redis-server started on the dump, the time in its',
    '`DB loaded from disk: N seconds` line; ours, the wall time of `createEngine()` on that directory',
    '(creating the engine, reading the file and loading it). Before each of our two timings a full garbage',
    'collection settles what the million commands left behind, and the SAVE engine is dropped before the',
    'load (a new redis-server starts with nothing but the file). Sizes are the two dump.rdb files.',
    '',
    `AOF write throughput: \`redis-benchmark -t set -n ${p.aofRequests} -c ${p.aofClients} -q --csv\` against a fresh`,
    'redis-server and a fresh our server (`node --import tsx engine/server/main.ts --dir <tmp>`), both on',
    `real files, with the policy on the command line; ${p.aofRuns} runs alternating which goes first, medians.`,
    'The seed\'s persistence table says AOF costs "higher (disk on writes)": these rows measure it. Both',
    'servers write the AOF once per event-loop turn before the replies (beforeSleep), so under `always`',
    'one fsync covers all the commands of a turn; the ratio depends on the disk and the machine.',
  ].join('\n');
}

if (process.argv[1] && /persistence\.ts$/.test(process.argv[1])) {
  const keys = Number(process.env.KEYS ?? PERSISTENCE.keys);
  const aofRuns = Number(process.env.AOF_RUNS ?? PERSISTENCE.aofRuns);
  runPersistence({ ...PERSISTENCE, keys, aofRuns, log: console.log }).then(
    (r) => console.log(JSON.stringify(r, null, 1)),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
