// Redis's own file checkers accept our files: redis-check-rdb reads our dump.rdb (the fixture dataset and
// random datasets over every type and encoding) to the end with a good checksum and the same key count,
// and redis-check-aof validates our multi-part AOF directory (through its manifest) and each file alone.
// Corrupted copies are rejected, so these checks can fail.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/clock';
import { createEngine } from '../../engine/index';
import { canonicalKeyspace } from '../../engine/persistence/canonical';
import { VirtualDisk } from '../../engine/persistence/disk';
import { MemoryStorage } from '../../engine/persistence/storage/memory';
import type { Reply } from '../../engine/protocol/reply';
import { dataset } from '../persistence/dataset';
import { randomDataset } from '../persistence/random-dataset';
import { tempDir } from '../persistence/real-redis';
import { fixtureBytes } from '../persistence/support';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const f of cleanups) f();
});

function dir(tag: string): string {
  const t = tempDir(tag);
  cleanups.push(t.remove);
  return t.dir;
}

function tool(name: 'redis-check-rdb' | 'redis-check-aof', args: string[], cwd?: string) {
  const r = spawnSync(name, args, { encoding: 'latin1', cwd, timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function ours(config: Record<string, string> = {}, disk?: VirtualDisk) {
  const clock = new ManualClock(1_750_000_000_000);
  const d = disk ?? new VirtualDisk(new MemoryStorage(), clock);
  const engine = createEngine({ clock, seed: 5, config: { save: '', ...config }, disk: d });
  const c = engine.createClient();
  const run = (argv: string[]): Reply => {
    const reply = engine.dispatch(c, argv) as Reply;
    if (reply.t === 'error') throw new Error(`${argv.join(' ').slice(0, 60)}: ${reply.v}`);
    return reply;
  };
  const cron = (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      engine.cron();
    }
  };
  const keyCount = () => engine.dbs.reduce((n, db) => n + db.dict.size, 0);
  return { engine, disk: d, run, cron, keyCount };
}

/** Copy every file under `path` on our disk into the real directory `to`. */
function exportTree(disk: VirtualDisk, path: string, to: string): void {
  if (disk.isDir(path)) {
    mkdirSync(join(to, path), { recursive: true });
    for (const name of disk.list(path)) exportTree(disk, `${path}/${name}`, to);
  } else writeFileSync(join(to, path), disk.read(path) as Uint8Array);
}

/** redis-check-rdb on `file`: the file must be read to its end with a good checksum and `keys` keys. */
function expectRdbOk(file: string, keys: number): void {
  const r = tool('redis-check-rdb', [file]);
  expect(r.out, r.out).toContain('Checksum OK');
  expect(r.out).toContain('\\o/ RDB looks OK! \\o/');
  expect(r.out).toContain(`[info] ${keys} keys read`);
  expect(r.code).toBe(0);
}

function expectAofOk(path: string): string {
  const r = tool('redis-check-aof', [path]);
  expect(r.code, r.out).toBe(0);
  expect(r.out).not.toContain('not valid');
  return r.out;
}

/** A copy of `file` with one byte changed. */
function corrupt(file: string, at: (len: number) => number, to: string): string {
  const b = new Uint8Array(readFileSync(file));
  const i = at(b.length);
  b[i] = b[i] === 0x2a ? 0x78 : b[i] ^ 0xff;
  writeFileSync(to, b);
  return to;
}

describe('redis-check-rdb accepts our dump.rdb', () => {
  it('the fixture dump.rdb loaded and re-saved by us', () => {
    const disk = new VirtualDisk(new MemoryStorage());
    disk.write('dump.rdb', fixtureBytes('rdb/dump.rdb'));
    const o = ours({}, disk);
    expect(o.keyCount()).toBeGreaterThan(50);
    expect(o.run(['SAVE'])).toEqual({ t: 'status', v: 'OK' });
    const d = dir('check-fixture');
    exportTree(o.disk, 'dump.rdb', d);
    expectRdbOk(join(d, 'dump.rdb'), o.keyCount());
  });

  it('the every-type dataset, with and without compression and checksum', () => {
    for (const [compress, checksum] of [
      ['yes', 'yes'],
      ['no', 'yes'],
      ['yes', 'no'],
    ]) {
      const o = ours({ rdbcompression: compress, rdbchecksum: checksum });
      for (const argv of dataset(true)) o.run(argv);
      o.run(['SAVE']);
      const d = dir('check-dataset');
      exportTree(o.disk, 'dump.rdb', d);
      const r = tool('redis-check-rdb', [join(d, 'dump.rdb')]);
      expect(r.out, r.out).toContain('\\o/ RDB looks OK! \\o/');
      expect(r.out).toContain(checksum === 'yes' ? 'Checksum OK' : 'RDB file was saved with checksum disabled');
      expect(r.out).toContain(`[info] ${o.keyCount()} keys read`);
      expect(r.code).toBe(0);
    }
  });

  it('random datasets over every type and encoding (fast-check)', () => {
    const d = dir('check-random');
    let runs = 0;
    const seen = new Set<string>();
    fc.assert(
      fc.property(randomDataset(), (cmds) => {
        const o = ours();
        for (const argv of cmds) o.run(argv);
        o.run(['SAVE']);
        exportTree(o.disk, 'dump.rdb', d);
        expectRdbOk(join(d, 'dump.rdb'), o.keyCount());
        for (const k of canonicalKeyspace(o.engine)) seen.add(`${k.type}/${k.encoding}`);
        runs++;
      }),
      { numRuns: 40, seed: 20261126 },
    );
    expect(runs).toBe(40);
    expect([...seen].sort()).toEqual(
      [
        'string/int',
        'string/embstr',
        'string/raw',
        'list/quicklist',
        'set/intset',
        'set/hashtable',
        'hash/listpack',
        'hash/hashtable',
        'zset/listpack',
        'zset/skiplist',
        'stream/stream',
      ].sort(),
    );
  }, 120_000);

  it('rejects a corrupted copy (a flipped byte, a truncation)', () => {
    const o = ours();
    for (const argv of dataset(true)) o.run(argv);
    o.run(['SAVE']);
    const d = dir('check-bad-rdb');
    exportTree(o.disk, 'dump.rdb', d);
    const good = join(d, 'dump.rdb');
    expectRdbOk(good, o.keyCount());
    const flipped = corrupt(good, (n) => Math.floor(n / 2), join(d, 'flipped.rdb'));
    const r1 = tool('redis-check-rdb', [flipped]);
    expect(r1.code, r1.out).not.toBe(0);
    expect(r1.out).not.toContain('RDB looks OK');
    const bytes = readFileSync(good);
    writeFileSync(join(d, 'short.rdb'), bytes.subarray(0, bytes.length - 20));
    const r2 = tool('redis-check-rdb', [join(d, 'short.rdb')]);
    expect(r2.code, r2.out).not.toBe(0);
    expect(r2.out).not.toContain('RDB looks OK');
  });
});

describe('redis-check-aof accepts our AOF', () => {
  for (const preamble of ['yes', 'no']) {
    it(`the multi-part directory through its manifest, and each file alone (aof-use-rdb-preamble ${preamble})`, () => {
      const o = ours({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble });
      const cmds = dataset(true);
      const half = Math.floor(cmds.length / 2);
      for (const argv of cmds.slice(0, half)) o.run(argv);
      o.run(['BGREWRITEAOF']);
      o.cron(2000);
      for (const argv of cmds.slice(half)) o.run(argv);
      o.run(['MULTI']);
      o.run(['INCR', 'counter']);
      o.run(['EXEC']);
      const d = dir(`check-aof-${preamble}`);
      exportTree(o.disk, 'appendonlydir', d);
      const base = `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`;
      const out = expectAofOk(join(d, 'appendonlydir', 'appendonly.aof.manifest'));
      expect(out).toContain(`BASE AOF ${base} is valid`);
      expect(out).toContain('INCR AOF appendonly.aof.2.incr.aof is valid');
      expect(out).toContain('All AOF files and manifest are valid');
      // Legacy single-file mode, file by file.
      for (const name of [base, 'appendonly.aof.2.incr.aof']) {
        expect(expectAofOk(join(d, 'appendonlydir', name))).toContain(`${name} is valid`);
      }
    });
  }

  it('random datasets written through the AOF, with a rewrite in the middle (fast-check)', () => {
    let runs = 0;
    fc.assert(
      fc.property(randomDataset(12), fc.boolean(), (cmds, preamble) => {
        const o = ours({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble ? 'yes' : 'no' });
        const half = Math.floor(cmds.length / 2);
        for (const argv of cmds.slice(0, half)) o.run(argv);
        o.run(['BGREWRITEAOF']);
        o.cron(1000);
        for (const argv of cmds.slice(half)) o.run(argv);
        const d = dir('check-aof-random');
        exportTree(o.disk, 'appendonlydir', d);
        expect(expectAofOk(join(d, 'appendonlydir', 'appendonly.aof.manifest'))).toContain(
          'All AOF files and manifest are valid',
        );
        runs++;
      }),
      { numRuns: 25, seed: 20261127 },
    );
    expect(runs).toBe(25);
  }, 120_000);

  it('rejects a corrupted or truncated incr file and a corrupted RESP base', () => {
    const o = ours({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no' });
    const cmds = dataset(true);
    for (const argv of cmds.slice(0, 40)) o.run(argv);
    o.run(['BGREWRITEAOF']);
    o.cron(2000);
    for (const argv of cmds.slice(40)) o.run(argv);
    const d = dir('check-bad-aof');
    exportTree(o.disk, 'appendonlydir', d);
    const dirPath = join(d, 'appendonlydir');
    const manifest = join(dirPath, 'appendonly.aof.manifest');
    expectAofOk(manifest);
    const incr = join(dirPath, 'appendonly.aof.2.incr.aof');
    const base = join(dirPath, 'appendonly.aof.2.base.aof');
    const goodIncr = readFileSync(incr);
    const goodBase = readFileSync(base);
    // A '*' in the middle of the base turned into 'x': a format error.
    const b = Buffer.from(goodBase);
    b[b.indexOf('*', Math.floor(b.length / 2))] = 0x78;
    writeFileSync(base, b);
    let r = tool('redis-check-aof', [manifest]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('AOF appendonly.aof.2.base.aof format error');
    writeFileSync(base, goodBase);
    // The incr file cut inside its last command.
    writeFileSync(incr, goodIncr.subarray(0, goodIncr.length - 7));
    r = tool('redis-check-aof', [manifest]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('AOF appendonly.aof.2.incr.aof is not valid');
    writeFileSync(incr, goodIncr);
    expectAofOk(manifest);
  });
});
