// Crash-point property test (fast-check): random write sequences with engine time passing, a crash
// ('kill' or 'power') at a random point, a restart on the same virtual disk. What comes back must be
// exactly the state after some prefix of the acknowledged writes (replayed on a reference engine at the
// same engine times), never a mix, and the lost suffix must stay within each fsync policy's bound.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Engine } from '../engine';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { canonicalKeyspace } from './canonical';
import { type CrashKind, VirtualDisk, WRITEBACK_MS } from './disk';
import { crashAndRestart, persistenceOf } from './lifecycle';
import { MemoryStorage } from './storage/memory';

const START = 1_750_000_000_000;
/** serverCron's period at the default hz 10: engine time never jumps further between two crons. */
const CRON_MS = 100;

type Policy = 'always' | 'everysec' | 'no' | 'preamble' | 'rdb';

/** One client request: a few commands on a fresh client (a MULTI/EXEC block is one atomic op). */
interface Op {
  gap: number;
  db: number;
  cmds: string[][];
}

const key = fc.constantFrom('a', 'b', 'n', 'l', 'h', 's', 'z', 'x');
const short = fc.string({ minLength: 0, maxLength: 8 });
const value = fc.oneof(
  short,
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.string({ minLength: 45, maxLength: 120 }),
);
const member = fc.constantFrom('m1', 'm2', 'm3', '1', '2', '300');
const ttl = ['EX', '100000'];

const write: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'b'), value, fc.boolean()).map(([k, v, t]) => ['SET', k, v, ...(t ? ttl : [])]),
  fc.tuple(fc.constantFrom('a', 'b'), short).map(([k, v]) => ['APPEND', k, v]),
  fc.integer({ min: -50, max: 50 }).map((n) => ['INCRBY', 'n', String(n)]),
  fc.constant<string[]>(['INCRBYFLOAT', 'n', '1.5']),
  key.map((k) => ['DEL', k]),
  key.map((k) => ['EXPIRE', k, '100000']),
  key.map((k) => ['PERSIST', k]),
  fc
    .tuple(fc.constantFrom('RPUSH', 'LPUSH'), fc.array(value, { minLength: 1, maxLength: 4 }))
    .map(([c, xs]) => [c, 'l', ...xs]),
  fc.constant<string[]>(['LPOP', 'l']),
  fc.constant<string[]>(['LTRIM', 'l', '0', '4']),
  fc.tuple(member, value).map(([f, v]) => ['HSET', 'h', f, v]),
  member.map((f) => ['HDEL', 'h', f]),
  fc.constant<string[]>(['HINCRBY', 'h', 'cnt', '3']),
  fc.array(member, { minLength: 1, maxLength: 3 }).map((ms) => ['SADD', 's', ...ms]),
  member.map((m) => ['SREM', 's', m]),
  fc.tuple(fc.integer({ min: -5, max: 5 }), member).map(([sc, m]) => ['ZADD', 'z', String(sc), m]),
  member.map((m) => ['ZINCRBY', 'z', '2.5', m]),
  member.map((m) => ['ZREM', 'z', m]),
  value.map((v) => ['XADD', 'x', '*', 'f', v]),
  fc.constant<string[]>(['XTRIM', 'x', 'MAXLEN', '2']),
  fc.constant<string[]>(['XGROUP', 'CREATE', 'x', 'g', '$']),
);

const gap = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 400 }) },
  { weight: 3, arbitrary: fc.integer({ min: 400, max: 2500 }) },
  { weight: 1, arbitrary: fc.integer({ min: 25_000, max: 40_000 }) },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ gap, db: fc.constantFrom<number>(0, 0, 1), cmds: write.map((w) => [w]) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      gap,
      db: fc.constant<number>(0),
      cmds: fc.array(write, { minLength: 1, maxLength: 3 }).map((ws) => [['MULTI'], ...ws, ['EXEC']]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      gap,
      db: fc.constant<number>(0),
      cmds: fc.constantFrom<string[][]>([['BGREWRITEAOF']], [['BGSAVE']], [['SAVE']]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ gap, db: fc.constant<number>(0), cmds: fc.constant<string[][]>([['FLUSHALL']]) }),
  },
);

const scenario = fc.record({
  ops: fc.array(op, { minLength: 1, maxLength: 40, size: 'max' }),
  /** How many ops run before the crash (clamped to the length). */
  cut: fc.nat(),
  /** Engine time after the last op before the crash. */
  tail: fc.integer({ min: 0, max: 3000 }),
  kind: fc.constantFrom<CrashKind>('kill', 'power'),
  fsync: fc.constantFrom('always', 'everysec', 'no'),
  save: fc.constantFrom('1 1', '2 3', '5 1 1 10', '3 2'),
});

function configFor(policy: Policy, fsync: string, save: string): Record<string, string> {
  // Small auto-rewrite thresholds, so crashes also land during and after AOF rewrites.
  const aof = { appendonly: 'yes', 'auto-aof-rewrite-min-size': '1024', 'auto-aof-rewrite-percentage': '50' };
  switch (policy) {
    case 'always':
    case 'everysec':
    case 'no':
      return { ...aof, save: '', appendfsync: policy, 'aof-use-rdb-preamble': 'no' };
    case 'preamble':
      return { ...aof, save, appendfsync: fsync, 'aof-use-rdb-preamble': 'yes' };
    case 'rdb':
      return { appendonly: 'no', save };
  }
}

/** The keyspace as a string; encodings left out (a reload may legitimately pick a smaller one). */
function stateOf(e: Engine): string {
  return JSON.stringify(canonicalKeyspace(e).map(({ encoding: _e, ...k }) => k));
}

function runOp(e: Engine, o: Op): Reply[] {
  const c = e.createClient();
  if (o.db !== 0) e.dispatch(c, ['SELECT', String(o.db)]);
  return o.cmds.map((argv) => e.dispatch(c, argv) as Reply);
}

/** Let engine time pass with a serverCron at least every CRON_MS. */
function pass(e: Engine, clock: ManualClock, ms: number): void {
  for (let left = ms; left > 0; left -= CRON_MS) {
    clock.advance(Math.min(CRON_MS, left));
    e.cron();
  }
}

const stats = { runs: 0, ops: 0, commands: 0, lostWrites: 0, powerCuts: 0 };

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function check(policy: Policy, s: Scenario): void {
  const ops = s.ops.slice(0, Math.min(s.cut % (s.ops.length + 1), s.ops.length));
  const config = configFor(policy, s.fsync, s.save);
  const fsync = policy === 'preamble' ? s.fsync : policy;
  const clock = new ManualClock(START);
  const make = (disk: VirtualDisk) => createEngine({ clock, seed: 1, config, disk });
  const engine = make(new VirtualDisk(new MemoryStorage(), clock));
  // The RDB a restart must find: the state index of the last save that completed (fork time for BGSAVE).
  let inOp: number | null = null;
  let done = 0;
  let forkedAt = 0;
  let savedAt = 0;
  engine.on(
    (e) => {
      if (e.type !== 'log') return;
      const at = inOp !== null ? inOp + 1 : done;
      if (e.text.startsWith('Background saving started')) forkedAt = at;
      else if (e.text === 'Background saving terminated with success') savedAt = forkedAt;
      else if (e.text === 'DB saved on disk' && persistenceOf(engine).child === null && inOp !== null) savedAt = at;
    },
    ['log'],
  );
  const times: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    pass(engine, clock, ops[i].gap);
    times.push(clock.now());
    inOp = i;
    runOp(engine, ops[i]);
    inOp = null;
    done = i + 1;
    stats.commands += ops[i].cmds.length;
  }
  pass(engine, clock, s.tail);
  const crashAt = clock.now();
  const { engine: after, report } = crashAndRestart(engine, s.kind, make);
  expect(report.ok, report.log.map((l) => l.text).join('\n')).toBe(true);
  const recovered = stateOf(after);
  persistenceOf(after).detach();

  // Reference: the prefix states, each op replayed at its own engine time.
  const refClock = new ManualClock(START);
  const ref = createEngine({ clock: refClock, seed: 1, config: { save: '' } });
  const states = [stateOf(ref)];
  for (let i = 0; i < ops.length; i++) {
    refClock.set(times[i]);
    runOp(ref, ops[i]);
    states.push(stateOf(ref));
  }
  refClock.set(crashAt);
  const n = ops.length;
  const where = `${policy} ${s.kind} after ${n} ops`;
  stats.runs++;
  stats.ops += n;
  if (s.kind === 'power') stats.powerCuts++;

  if (policy === 'rdb') {
    // RDB only: exactly the last completed save, whatever the crash.
    expect(recovered, where).toBe(states[savedAt]);
    return;
  }
  const matches = states.flatMap((st, k) => (st === recovered ? [k] : []));
  expect(matches.length, `${where}: not the state after any prefix`).toBeGreaterThan(0);
  const k = matches[matches.length - 1];
  // Writes after the recovered prefix that changed the state: the ones the crash lost.
  const lost: number[] = [];
  for (let j = k; j < n; j++) if (states[j + 1] !== states[j]) lost.push(j);
  stats.lostWrites += lost.length;
  if (s.kind === 'kill' || fsync === 'always') {
    expect(lost, `${where}: acknowledged writes lost`).toEqual([]);
  } else if (fsync === 'everysec') {
    // Our fsync completes at once: the lost writes were all made in the second of the last fsync, and the
    // crash came before the next write or serverCron of a later second, so under 1 s + one cron period.
    for (const j of lost) expect(crashAt - times[j], `${where}: op ${j}`).toBeLessThan(1000 + CRON_MS);
    if (lost.length > 0) expect(new Set(lost.map((j) => Math.floor(times[j] / 1000))).size).toBe(1);
  } else {
    // appendfsync no: only what the OS had not yet written back (dirty pages live 30 s).
    for (const j of lost) expect(crashAt - times[j], `${where}: op ${j}`).toBeLessThan(WRITEBACK_MS + CRON_MS);
  }
}

const RUNS = 1000;

describe('crash at a random point, restart: an exact prefix of the acknowledged writes survives', () => {
  for (const policy of ['always', 'everysec', 'no', 'preamble', 'rdb'] as Policy[]) {
    it(`${policy === 'rdb' ? 'RDB only with save points' : policy === 'preamble' ? 'AOF with an RDB preamble' : `appendfsync ${policy}`}`, () => {
      const before = stats.runs;
      fc.assert(
        fc.property(scenario, (s) => check(policy, s)),
        { numRuns: RUNS, seed: 7 + policy.length },
      );
      expect(stats.runs - before).toBe(RUNS);
    }, 60_000);
  }

  it('the runs above crashed often, lost writes where a policy allows it, and ran thousands of commands', () => {
    console.log(`crash property: ${JSON.stringify(stats)}`);
    expect(stats.runs).toBe(5 * RUNS);
    expect(stats.powerCuts).toBeGreaterThan(stats.runs / 4);
    expect(stats.lostWrites).toBeGreaterThan(0);
    expect(stats.commands).toBeGreaterThan(40_000);
  });
});
