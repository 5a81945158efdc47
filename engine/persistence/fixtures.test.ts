// Every RDB fixture written by real redis-server 7.0.15 (../shared/fixtures/persistence) loads into
// the engine with exactly the keyspace of its expected.json, and every broken file fails with the log
// lines the real server printed (bad/outputs.txt).

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { fromBytes } from '../protocol/binary';
import {
  canonicalKeyspace,
  diskWith,
  engineOn,
  expectedKeys,
  fixtureBytes,
  normalise,
  transcriptLines,
} from '../../tests/persistence/support';
import { persistenceOf } from './lifecycle';
import { loadRdb } from './rdb/decode';
import { encodeObject } from './rdb/encode';

function reportLines(engine: ReturnType<typeof engineOn>): string[] {
  const r = persistenceOf(engine).lastLoadReport;
  return (r?.log ?? []).filter((l) => l.level === '#' || l.level === '*').map((l) => normalise(`${l.level} ${l.text}`));
}

const rdbEngine = (fixture: string, clock = new ManualClock(Date.now())) =>
  engineOn(diskWith({ [fixture]: 'dump.rdb' }, clock));

describe('RDB fixtures load with exactly the expected keyspace', () => {
  for (const file of ['rdb/dump.rdb', 'rdb/dump-uncompressed.rdb']) {
    it(`${file}: all 91 keys, values, encodings and TTLs`, () => {
      const engine = rdbEngine(file);
      const report = persistenceOf(engine).lastLoadReport;
      expect(report?.ok).toBe(true);
      expect(report?.source).toBe('rdb');
      expect(report?.keysLoaded).toBe(91);
      expect(canonicalKeyspace(engine)).toEqual(expectedKeys());
    });
  }

  it('empty.rdb loads no key', () => {
    const engine = rdbEngine('rdb/empty.rdb');
    expect(persistenceOf(engine).lastLoadReport?.ok).toBe(true);
    expect(engine.dbs.reduce((n, db) => n + db.size, 0)).toBe(0);
  });

  for (const name of ['list-plain-nodes', 'policy-lru', 'policy-lfu', 'function', 'no-checksum']) {
    it(`extras/${name}.rdb matches its expected.json`, () => {
      const engine = rdbEngine(`extras/${name}.rdb`);
      expect(canonicalKeyspace(engine)).toEqual(expectedKeys(`extras/${name}.expected.json`));
    });
  }

  it('the function library (FUNCTION2 opcode) is created, callable, and saved back', () => {
    const engine = rdbEngine('extras/function.rdb');
    const p = persistenceOf(engine);
    const code =
      "#!lua name=fixturelib\nredis.register_function('echo_first', function(keys, args) return args[1] end)";
    expect(p.functions).toEqual([code]);
    const c = engine.createClient();
    expect(engine.dispatch(c, ['FCALL', 'echo_first', '0', 'hi'])).toEqual({ t: 'bulk', v: 'hi' });
    p.rdbSave();
    const again = engineOn(p.disk);
    expect(persistenceOf(again).functions).toEqual([code]);
    expect(again.dispatch(again.createClient(), ['FCALL', 'echo_first', '0', 'yo'])).toEqual({ t: 'bulk', v: 'yo' });
  });

  it('an already expired key is counted, not loaded', () => {
    const engine = rdbEngine('extras/expired-key.rdb');
    const p = persistenceOf(engine);
    expect(canonicalKeyspace(engine)).toEqual(expectedKeys('extras/expired-key.expected.json'));
    expect(p.rdbLastLoadKeysExpired).toBe(1);
    expect(reportLines(engine)).toContain('* Done loading RDB, keys loaded: 1, keys expired: 1.');
  });

  it('rdbchecksum no: the zero trailer is reported, not checked', () => {
    expect(reportLines(rdbEngine('extras/no-checksum.rdb'))).toContain(
      '# RDB file was saved with checksum disabled: no check performed.',
    );
  });

  it('IDLE and FREQ opcodes set the LRU clock / LFU counter under the matching policy', () => {
    const clock = new ManualClock(Date.now());
    const lfu = engineOn(diskWith({ 'extras/policy-lfu.rdb': 'dump.rdb' }, clock), {
      'maxmemory-policy': 'allkeys-lfu',
    });
    const c = lfu.createClient();
    expect(lfu.dispatch(c, ['OBJECT', 'FREQ', 'k:hot'])).toEqual({ t: 'int', v: 7 });
    expect(lfu.dispatch(c, ['OBJECT', 'FREQ', 'k:cold'])).toEqual({ t: 'int', v: 5 });
    const lru = engineOn(diskWith({ 'extras/policy-lru.rdb': 'dump.rdb' }, clock), {
      'maxmemory-policy': 'allkeys-lru',
    });
    const d = lru.createClient();
    expect(lru.dispatch(d, ['OBJECT', 'IDLETIME', 'k:cold'])).toEqual({ t: 'int', v: 3 });
    expect(lru.dispatch(d, ['OBJECT', 'IDLETIME', 'k:hot'])).toEqual({ t: 'int', v: 0 });
  });
});

describe('broken RDB files fail with the real server’s messages', () => {
  for (const name of ['rdb-bitflip-middle', 'rdb-bad-type-byte', 'rdb-crc-mismatch', 'rdb-truncated-half']) {
    it(`bad/${name}.rdb`, () => {
      const engine = rdbEngine(`bad/${name}.rdb`);
      expect(persistenceOf(engine).lastLoadReport?.ok).toBe(false);
      const expected = transcriptLines('bad/outputs.txt', `### redis-server loading ${name}.rdb as dump.rdb`);
      expect(reportLines(engine)).toEqual(expected);
    });
  }
});

describe('re-encoding loaded values gives Redis’s bytes', () => {
  it('every key of dump.rdb whose encoding survived the load re-encodes to its stored bytes', () => {
    const data = fromBytes(fixtureBytes('rdb/dump.rdb'));
    const engine = rdbEngine('rdb/empty.rdb');
    let compared = 0;
    const skipped: string[] = [];
    loadRdb(data, {
      env: engine,
      databases: 16,
      now: Date.now(),
      add(e) {
        const stored = data.charAt(e.at.type) + data.slice(e.at.value, e.at.end);
        const again = encodeObject(e.value, true);
        // Hashtable sets and hashes are stored in dict order; a shrunk hash/zset/set changes type on load.
        if (again.charCodeAt(0) !== stored.charCodeAt(0) || [2, 4].includes(stored.charCodeAt(0))) skipped.push(e.key);
        else {
          expect(again, e.key).toBe(stored);
          compared++;
        }
        return true;
      },
    });
    // README "Encoding after load": the hashtable sets/hashes, and zset:shrunk (type 5 → listpack).
    expect(skipped.sort()).toEqual(
      [
        'db3:set',
        'hash:big',
        'hash:longvalue',
        'hash:shrunk',
        'set:big-ints',
        'set:big-strings',
        'set:binary',
        'set:shrunk',
        'set:strings',
        'zset:shrunk',
      ].sort(),
    );
    expect(compared).toBe(91 - skipped.length);
  });
});

describe('load keeps what the stored blob says', () => {
  it('an intset stored 32 bits wide stays 32 bits wide (and re-saves the same bytes)', () => {
    const src = engineOn(diskWith({ 'rdb/empty.rdb': 'dump.rdb' }));
    const c = src.createClient();
    src.dispatch(c, ['SADD', 's', '1', '2', '100000']);
    src.dispatch(c, ['SREM', 's', '100000']);
    const p = persistenceOf(src);
    p.rdbSave();
    const dst = engineOn(p.disk);
    const a = src.dbs[0].dict.get('s');
    const b = dst.dbs[0].dict.get('s');
    expect(b && typeof b !== 'string' && encodeObject(b, true)).toBe(
      a && typeof a !== 'string' && encodeObject(a, true),
    );
  });
});
