// fast-check arbitraries for random datasets over every Redis 7.0 type and encoding: int/embstr/raw
// strings (compressible or not, binary), small and multi-node quicklists, intset 16/32/64 and hashtable
// sets, listpack and hashtable hashes, listpack and skiplist zsets, streams with a consumer group, TTLs
// and several dbs. Each dataset is a list of commands that all succeed on a fresh server.

import fc from 'fast-check';

/** A binary string (one char per byte). */
const bytes = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => String.fromCharCode(...a));

const int64 = fc
  .oneof(
    fc.integer({ min: -200, max: 200 }),
    fc.integer({ min: -40_000, max: 40_000 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  )
  .map(String);
const bigInt64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);

/** A string value of one of the encodings (and LZF-compressible or not when raw). */
const stringValue = fc.oneof(
  int64,
  bigInt64,
  bytes(0, 44),
  bytes(45, 300),
  fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 20, max: 400 })).map(([s, n]) => s.repeat(n)),
);

const element = fc.oneof(int64, bytes(0, 20), bytes(60, 70));
const uniq = <T>(arb: fc.Arbitrary<T>, min: number, max: number) =>
  fc.uniqueArray(arb, { minLength: min, maxLength: max, selector: (x) => String(x) });

const score = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? '0' : String(d))),
  fc.constantFrom('inf', '-inf', '1e300', '5e-324'),
);

type Spec = (key: string) => fc.Arbitrary<string[][]>;

const specs: Spec[] = [
  (k) => stringValue.map((v) => [['SET', k, v]]),
  // Lists: one listpack node, or several nodes (128 entries or 8 KB per node by default).
  (k) => fc.array(element, { minLength: 1, maxLength: 12 }).map((xs) => [['RPUSH', k, ...xs]]),
  (k) => fc.array(element, { minLength: 130, maxLength: 400 }).map((xs) => [['LPUSH', k, ...xs]]),
  // Sets: intsets of each width, hashtable by strings or by size.
  (k) => uniq(fc.integer({ min: -32768, max: 32767 }), 1, 20).map((xs) => [['SADD', k, ...xs.map(String)]]),
  (k) => uniq(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), 1, 20).map((xs) => [['SADD', k, ...xs.map(String)]]),
  (k) => uniq(bigInt64, 1, 20).map((xs) => [['SADD', k, ...xs]]),
  (k) => uniq(bytes(0, 30), 1, 30).map((xs) => [['SADD', k, ...xs]]),
  (k) => uniq(fc.integer({ min: 0, max: 1e6 }), 513, 700).map((xs) => [['SADD', k, ...xs.map(String)]]),
  // Hashes: listpack, hashtable by size or by a long value.
  (k) => uniq(bytes(0, 12), 1, 20).map((fs) => [['HSET', k, ...fs.flatMap((f, i) => [f, String(i * 7)])]]),
  (k) => uniq(bytes(1, 12), 129, 250).map((fs) => [['HSET', k, ...fs.flatMap((f) => [f, `v${f}`])]]),
  (k) => bytes(65, 200).map((v) => [['HSET', k, 'short', 'x', 'long', v]]),
  // Sorted sets: listpack, skiplist by size or by a long member.
  (k) =>
    fc.array(fc.tuple(score, bytes(0, 16)), { minLength: 1, maxLength: 20 }).map((ps) => [['ZADD', k, ...ps.flat()]]),
  (k) =>
    fc
      .array(fc.tuple(score, bytes(1, 16)), { minLength: 130, maxLength: 250 })
      .map((ps) => [['ZADD', k, ...ps.flat()]]),
  (k) => fc.tuple(score, bytes(65, 120)).map(([s, m]) => [['ZADD', k, '1', 'a', s, m]]),
  // Streams, some with a consumer group and pending entries.
  (k) =>
    fc
      .tuple(fc.array(fc.tuple(bytes(1, 8), stringValue), { minLength: 1, maxLength: 30 }), fc.boolean())
      .map(([es, g]) => {
        const cmds = es.map(([f, v], i) => ['XADD', k, `${i + 1}-${i % 3}`, f, v]);
        if (g)
          cmds.push(
            ['XGROUP', 'CREATE', k, 'g', '0'],
            ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '3', 'STREAMS', k, '>'],
          );
        return cmds;
      }),
];

/** One key: db, type/encoding spec, optional far-future PEXPIREAT. */
const keyCommands = (i: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: specs.length - 1 }), fc.boolean())
    .chain(([db, s, ttl]) =>
      specs[s](`k${i}`).map((cmds) => {
        const out = [['SELECT', String(db)], ...cmds];
        if (ttl) out.push(['PEXPIREAT', `k${i}`, String(4_102_444_800_000 + i)]);
        return out;
      }),
    );

/** A dataset: 1..n keys, each built by its own commands. */
export function randomDataset(maxKeys = 25): fc.Arbitrary<string[][]> {
  return fc
    .integer({ min: 1, max: maxKeys })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => keyCommands(i))))
    .map((perKey) => perKey.flat());
}
