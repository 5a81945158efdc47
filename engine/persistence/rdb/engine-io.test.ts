import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { createEngine } from '../../index';
import { crc64LittleEndian } from './crc64';
import * as F from './format';
import { RdbLoadError } from './format';
import { loadRdbIntoEngine } from './engine-io';
import { rdbEncodeLength, rdbEncodeString } from './string-value';

const FUTURE = 4_000_000_000_000;

/** A string key, with an absolute expiry (ms) when given. */
function stringKey(key: string, value: string, expireMs?: number): string {
  let out = '';
  if (expireMs !== undefined) {
    out += String.fromCharCode(F.RDB_OPCODE_EXPIRETIME_MS);
    for (let i = 0; i < 8; i++) out += String.fromCharCode(Math.floor(expireMs / 2 ** (8 * i)) & 0xff);
  }
  return out + String.fromCharCode(F.RDB_TYPE_STRING) + rdbEncodeString(key, false) + rdbEncodeString(value, false);
}

/** An RDB v10 file: SELECTDB/RESIZEDB per db (as sized), the records, EOF and a real checksum. */
function rdbFile(dbs: { db: number; size: number; records: string[] }[], tail = ''): string {
  let s = 'REDIS0010';
  for (const d of dbs) {
    s += String.fromCharCode(F.RDB_OPCODE_SELECTDB) + rdbEncodeLength(d.db);
    s += String.fromCharCode(F.RDB_OPCODE_RESIZEDB) + rdbEncodeLength(d.size) + rdbEncodeLength(0);
    s += d.records.join('');
  }
  s += tail + String.fromCharCode(F.RDB_OPCODE_EOF);
  return s + crc64LittleEndian(s);
}

const engine = () => createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 1 });

function loadError(data: string): { lines: string[]; checked: boolean } {
  try {
    loadRdbIntoEngine(engine(), data);
  } catch (err) {
    if (err instanceof RdbLoadError) return { lines: err.lines, checked: err.checked };
    throw err;
  }
  throw new Error('the load did not fail');
}

describe('loadRdbIntoEngine', () => {
  it('takes a corrupt, huge RESIZEDB count as a hint no bigger than the file could fill (no giant tables)', () => {
    // (a flipped length byte gave 2^32 - 1: the tables were allocated at that size and the process ran out of memory)
    for (const size of [0xffffffff, 2 ** 40]) {
      const e = engine();
      const res = loadRdbIntoEngine(e, rdbFile([{ db: 0, size, records: [stringKey('a', '1'), stringKey('b', '2')] }]));
      expect(res.keysLoaded).toBe(2);
      expect(e.dbs[0].dict.buckets).toBeLessThanOrEqual(64);
    }
  });

  it('loads keys and their expiry into every db, RESIZEDB smaller than the key count included', () => {
    const e = engine();
    const many = Array.from({ length: 300 }, (_, i) =>
      stringKey(`k${i}`, `v${i}`, i % 3 === 0 ? FUTURE + i : undefined),
    );
    const res = loadRdbIntoEngine(
      e,
      rdbFile([
        { db: 0, size: 4, records: many },
        { db: 2, size: 1, records: [stringKey('other', 'x', FUTURE)] },
      ]),
    );
    expect(res.keysLoaded).toBe(301);
    expect(e.dbs[0].dict.size).toBe(300);
    expect(e.dbs[0].dict.get('k299')).toBe('v299');
    expect(e.dbs[0].expires.size).toBe(100);
    expect(e.dbs[0].expires.get('k3')).toBe(FUTURE + 3);
    expect(e.dbs[0].expires.get('k4')).toBeUndefined();
    expect(e.dbs[2].dict.get('other')).toBe('x');
    expect(e.dbs[2].expires.get('other')).toBe(FUTURE);
  });

  it('fails on a duplicated key as Redis panics, keeping only what came before it', () => {
    const data = rdbFile([
      {
        db: 0,
        size: 8,
        records: [
          stringKey('a', '1', FUTURE),
          stringKey('b', '2'),
          stringKey('a', '3', FUTURE + 1),
          stringKey('c', '4'),
        ],
      },
    ]);
    expect(loadError(data)).toEqual({
      lines: ["RDB has duplicated key 'a' in DB 0", 'Guru Meditation: Duplicated key found in RDB file #rdb.c:3183'],
      checked: false,
    });
    const e = engine();
    expect(() => loadRdbIntoEngine(e, data)).toThrow(RdbLoadError);
    expect([...e.dbs[0].dict.keys()].sort()).toEqual(['a', 'b']);
    expect(e.dbs[0].dict.get('a')).toBe('1');
    expect(e.dbs[0].expires.get('a')).toBe(FUTURE);
  });

  it('reports the duplicated key of an earlier db, and a duplicate before a later corrupt record', () => {
    const dupInDb1 = rdbFile([
      { db: 1, size: 4, records: [stringKey('x', '1'), stringKey('x', '2')] },
      { db: 3, size: 4, records: [stringKey('y', '1'), stringKey('y', '2')] },
    ]);
    expect(loadError(dupInDb1).lines[0]).toBe("RDB has duplicated key 'x' in DB 1");
    // An unknown value type after the duplicate: the duplicate came first in the file.
    const thenCorrupt = rdbFile([
      { db: 0, size: 4, records: [stringKey('x', '1'), stringKey('x', '2'), `${String.fromCharCode(99)}\x01k`] },
    ]);
    expect(loadError(thenCorrupt).lines[0]).toBe("RDB has duplicated key 'x' in DB 0");
  });

  it('replaces a present key under allowDup (DEBUG RELOAD MERGE)', () => {
    const e = engine();
    loadRdbIntoEngine(e, rdbFile([{ db: 0, size: 1, records: [stringKey('a', 'old')] }]));
    loadRdbIntoEngine(e, rdbFile([{ db: 0, size: 2, records: [stringKey('a', 'new', FUTURE), stringKey('b', 'x')] }]), {
      allowDup: true,
    });
    expect(e.dbs[0].dict.get('a')).toBe('new');
    expect(e.dbs[0].expires.get('a')).toBe(FUTURE);
    expect(e.dbs[0].dict.size).toBe(2);
  });
});
