// The AOF fixtures written by real redis-server 7.0.15 — multi-part (RDB preamble and RESP base),
// legacy single files (migrated into appenddirname), truncated tails, a corrupt middle, #TS:
// annotations — load as Redis loads them, with its messages (bad/outputs.txt, extras/outputs.txt).

import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from '../../protocol/binary';
import {
  canonicalKeyspace,
  diskWith,
  engineOn,
  expectedKeys,
  fixtureDir,
  fixtureText,
  transcriptLines,
} from '../../../tests/persistence/support';
import type { VirtualDisk } from '../disk';
import { persistenceOf } from '../lifecycle';
import { readAofCommands } from './resp';

const AOF = { appendonly: 'yes', save: '' };

function lines(engine: ReturnType<typeof engineOn>): string[] {
  const r = persistenceOf(engine).lastLoadReport;
  return (r?.log ?? [])
    .filter((l) => l.level === '#' || l.level === '*')
    .map((l) =>
      `${l.level} ${l.text}`
        .replace(/RDB age \d+ seconds/, 'RDB age N seconds')
        .replace(/: \d+\.\d{3} seconds$/, ': T seconds'),
    );
}

/** The file without its stream commands (X...), other commands byte for byte; an RDB preamble is kept. */
function withoutStreamCommands(data: string, rdbEnd = 0): string {
  let out = data.slice(0, rdbEnd);
  let prev = rdbEnd;
  readAofCommands(data, rdbEnd, (argv, end) => {
    if (!argv[0].toUpperCase().startsWith('X')) out += data.slice(prev, end);
    prev = end;
  });
  return out + data.slice(prev);
}

function stripStreams(disk: VirtualDisk, path: string, rdbEnd = 0): number {
  const before = fromBytes(disk.read(path) as Uint8Array);
  const after = withoutStreamCommands(before, rdbEnd);
  disk.write(path, toBytes(after));
  disk.syncAll();
  return before.length - after.length;
}

const hasStreams = (engine: ReturnType<typeof engineOn>) => engine.table.lookup('XADD') !== undefined;
const nonStream = (keys: ReturnType<typeof expectedKeys>) => keys.filter((k) => k.type !== 'stream');

describe('multi-part AOF fixtures', () => {
  for (const [dir, incr] of [
    ['aof-multipart-preamble', 'appendonly.aof.1.incr.aof'],
    ['aof-multipart-resp', 'appendonly.aof.2.incr.aof'],
  ] as const) {
    it(`${dir}: the whole dataset, or Redis's refusal of a command the engine lacks`, () => {
      const engine = engineOn(diskWith(fixtureDir(`${dir}/appendonlydir`, 'appendonlydir/')), AOF);
      const report = persistenceOf(engine).lastLoadReport;
      if (hasStreams(engine)) {
        expect(report?.ok).toBe(true);
        const want = expectedKeys();
        const got = canonicalKeyspace(engine);
        if (dir === 'aof-multipart-preamble') expect(got).toEqual(want);
        else {
          // A RESP base replays XCLAIM / XGROUP CREATECONSUMER "now" (seen times) and turns -0 into 0.
          const norm = (ks: typeof got) =>
            ks.map((k) => {
              if (k.key === 'zset:big') return { ...k, value: 'replayed' };
              if (k.type !== 'stream' || typeof k.value !== 'object' || Array.isArray(k.value)) return k;
              const groups = k.value.groups.map((g) => ({
                ...g,
                consumers: g.consumers.map((c) => ({ ...c, seen_time_ms: 0 })),
              }));
              return { ...k, value: { ...k.value, groups } };
            });
          expect(norm(got)).toEqual(norm(want));
        }
      } else {
        expect(report?.ok).toBe(false);
        const file = dir === 'aof-multipart-preamble' ? incr : 'appendonly.aof.2.base.aof';
        expect(lines(engine)).toContain(`# Unknown command 'XADD' reading the append only file ${file}`);
      }
    });

    it(`${dir} without its stream commands: every other key as expected`, () => {
      const disk = diskWith(fixtureDir(`${dir}/appendonlydir`, 'appendonlydir/'));
      const base = dir === 'aof-multipart-preamble' ? 'appendonly.aof.1.base.rdb' : 'appendonly.aof.2.base.aof';
      if (dir === 'aof-multipart-resp') stripStreams(disk, `appendonlydir/${base}`);
      stripStreams(disk, `appendonlydir/${incr}`);
      const engine = engineOn(disk, AOF);
      const report = persistenceOf(engine).lastLoadReport;
      expect(report?.ok).toBe(true);
      expect(report?.source).toBe('aof');
      const got = nonStream(canonicalKeyspace(engine));
      const want = nonStream(expectedKeys());
      if (dir === 'aof-multipart-preamble') {
        expect(got).toEqual(want);
        // The base's streams are whole; only stream:main changed in the incr file.
        const streams = canonicalKeyspace(engine).filter((k) => k.type === 'stream' && k.key !== 'stream:main');
        expect(streams).toEqual(expectedKeys().filter((k) => k.type === 'stream' && k.key !== 'stream:main'));
      } else {
        // ZADD of a listpack turns -0 into 0 on replay (README, Surprises #6).
        const fix = (ks: typeof got) => ks.map((k) => (k.key === 'zset:big' ? { ...k, value: 'replayed' } : k));
        expect(fix(got)).toEqual(fix(want));
        const zbig = got.find((k) => k.key === 'zset:big')?.value as [string, string][];
        expect(zbig.find(([m]) => m === 'special:-0')?.[1]).toBe('0');
      }
      expect(report?.log.map((l) => l.text)).toContain(`Opening AOF incr file ${incr} on server start`);
    });
  }
});

describe('legacy single-file AOFs are migrated into appenddirname', () => {
  for (const dir of ['aof-legacy-preamble', 'aof-legacy-resp']) {
    it(dir, () => {
      const disk = diskWith({ [`${dir}/appendonly.aof`]: 'appendonly.aof' });
      const preamble = dir === 'aof-legacy-preamble';
      stripStreams(disk, 'appendonly.aof', preamble ? 60733 : 0);
      const engine = engineOn(disk, AOF);
      const report = persistenceOf(engine).lastLoadReport;
      expect(report?.ok).toBe(true);
      expect(lines(engine)[0]).toBe(
        '* Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).',
      );
      if (preamble) expect(lines(engine)).toContain('* Reading RDB preamble from AOF file...');
      expect(disk.list('appendonlydir')).toEqual([
        'appendonly.aof',
        'appendonly.aof.1.incr.aof',
        'appendonly.aof.manifest',
      ]);
      expect(fromBytes(disk.read('appendonlydir/appendonly.aof.manifest') as Uint8Array)).toBe(
        'file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
      );
      const fix = (ks: ReturnType<typeof canonicalKeyspace>) =>
        nonStream(ks).map((k) => (k.key === 'zset:big' && !preamble ? { ...k, value: 'replayed' } : k));
      expect(fix(canonicalKeyspace(engine))).toEqual(fix(expectedKeys()));
    });
  }
});

describe('truncated and corrupt AOFs', () => {
  it('multi-part, truncated last command, aof-load-truncated yes: loads what is whole, truncates the file', () => {
    const disk = diskWith(fixtureDir('bad/aof-multipart-truncated/appendonlydir', 'appendonlydir/'));
    const removed = stripStreams(disk, 'appendonlydir/appendonly.aof.1.incr.aof');
    const engine = engineOn(disk, AOF);
    const report = persistenceOf(engine).lastLoadReport;
    expect(report?.ok).toBe(true);
    // Redis: "Truncating the AOF appendonly.aof.1.incr.aof at offset 1438" (less the stream commands removed here).
    const at = 1438 - removed;
    expect(lines(engine)).toContain(`# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${at} !!!`);
    expect(disk.size('appendonlydir/appendonly.aof.1.incr.aof')).toBe(at);
    expect(report?.truncatedBytes).toBe(32);
    expect(engine.dbs[0].size).toBe(83);
    expect(engine.dbs[0].dict.has('p2:last')).toBe(false);
  });

  it('the same with aof-load-truncated no: refused with Redis’s message', () => {
    const disk = diskWith(fixtureDir('bad/aof-multipart-truncated/appendonlydir', 'appendonlydir/'));
    stripStreams(disk, 'appendonlydir/appendonly.aof.1.incr.aof');
    const engine = engineOn(disk, { ...AOF, 'aof-load-truncated': 'no' });
    expect(persistenceOf(engine).lastLoadReport?.ok).toBe(false);
    const want = transcriptLines(
      'bad/outputs.txt',
      '### redis-server --appendonly yes --aof-load-truncated no (default is yes)',
    );
    expect(lines(engine)).toEqual(want);
  });

  it('the truncated fixture as the real server saw it (with its stream commands)', () => {
    const disk = diskWith(fixtureDir('bad/aof-multipart-truncated/appendonlydir', 'appendonlydir/'));
    const engine = engineOn(disk, AOF);
    if (hasStreams(engine)) {
      const want = transcriptLines(
        'bad/outputs.txt',
        '### redis-server --appendonly yes --aof-load-truncated yes (default is yes)',
      );
      // The transcript ends with the shutdown's fsync line.
      expect(lines(engine)).toEqual(want.slice(0, -1));
      expect(engine.dbs[0].size).toBe(83);
    } else {
      expect(lines(engine)).toContain(
        "# Unknown command 'XADD' reading the append only file appendonly.aof.1.incr.aof",
      );
    }
  });

  it('legacy truncated: migrated, then truncated at its last whole command', () => {
    const disk = diskWith({ 'bad/aof-legacy-truncated/appendonly.aof': 'appendonly.aof' });
    const removed = stripStreams(disk, 'appendonly.aof', 60733);
    const engine = engineOn(disk, AOF);
    expect(persistenceOf(engine).lastLoadReport?.ok).toBe(true);
    expect(lines(engine)).toContain(`# !!! Truncating the AOF appendonly.aof at offset ${62171 - removed} !!!`);
    expect(engine.dbs[0].size).toBe(83);
  });

  for (const truncated of ['yes', 'no']) {
    it(`corruption in the middle is refused even with aof-load-truncated ${truncated}`, () => {
      const disk = diskWith(fixtureDir('extras/aof-bad-format/appendonlydir', 'appendonlydir/'));
      const engine = engineOn(disk, { ...AOF, 'aof-load-truncated': truncated });
      expect(persistenceOf(engine).lastLoadReport?.ok).toBe(false);
      expect(lines(engine)).toEqual(
        transcriptLines('extras/outputs.txt', `redis-server --appendonly yes --aof-load-truncated ${truncated}`),
      );
    });
  }

  it('#TS: annotations are skipped', () => {
    const engine = engineOn(diskWith(fixtureDir('extras/aof-timestamps/appendonlydir', 'appendonlydir/')), AOF);
    expect(canonicalKeyspace(engine)).toEqual(expectedKeys('extras/aof-timestamps.expected.json'));
  });
});

describe('appendonly yes with no AOF ignores dump.rdb (README pitfall)', () => {
  it('starts empty and writes an empty base', () => {
    const disk = diskWith({ 'rdb/dump.rdb': 'dump.rdb' });
    const engine = engineOn(disk, AOF);
    expect(engine.dbs[0].size).toBe(0);
    expect(lines(engine)).toContain('* Creating AOF base file appendonly.aof.1.base.rdb on server start');
    expect(disk.list('appendonlydir')).toEqual([
      'appendonly.aof.1.base.rdb',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.manifest',
    ]);
    expect(fixtureText('aof-multipart-preamble/appendonlydir/appendonly.aof.manifest')).toBe(
      fromBytes(disk.read('appendonlydir/appendonly.aof.manifest') as Uint8Array),
    );
  });
});
