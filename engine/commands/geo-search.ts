// Geo searches (src/geo.c georadiusGeneric): GEORADIUS, GEORADIUSBYMEMBER and their _RO variants,
// GEOSEARCH and GEOSEARCHSTORE. The 9 geohash cells around the centre are scanned as score ranges
// of the sorted set, each point is checked against the circle or box, then sorted (qsort, or
// pqsort when COUNT keeps fewer) and replied or stored.

import type { Client } from '../client';
import { E, geoByRequired, geoFromRequired, geoStoreIncompatible } from '../errors';
import { array, bulk, EMPTY_ARRAY, int, type Reply, ZERO } from '../protocol/reply';
import {
  decodeScore,
  distanceIfWithin,
  type GeoHashBits,
  type GeoShape,
  scoreRangeOf,
  searchAreas,
} from '../types/geohash';
import { NIL, type ScoreRange } from '../types/skiplist';
import type { ZSet } from '../types/zset';
import { pqsort } from '../util/pqsort';
import { fail, isCToken, parseInteger, parseScore } from './args';
import {
  type ArgSpec,
  block,
  type CommandSpec,
  dbl,
  defineCommand,
  integer,
  type KeySpec,
  key,
  oneof,
  str,
  tok,
} from './define';
import { coordReply, distanceReply, parseLonLat, parseUnit, UNIT } from './geo-common';
import { newZSet, readZSet } from './zset-common';

// georadiusGeneric's flags.
const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

/** One match (geoPoint). */
interface GeoPoint {
  lon: number;
  lat: number;
  dist: number;
  score: number;
  member: string;
}

/** extractDistanceOrReply: a non-negative radius and its unit. */
function parseDistance(radiusArg: string, unitArg: string): { radius: number; conversion: number } {
  const radius = parseScore(radiusArg, E.GEO_RADIUS_NOT_NUMERIC);
  if (radius < 0) fail(E.GEO_RADIUS_NEGATIVE);
  return { radius, conversion: parseUnit(unitArg) };
}

/** extractBoxOrReply: a non-negative width and height and their unit. */
function parseBox(wArg: string, hArg: string, unitArg: string): { width: number; height: number; conversion: number } {
  const width = parseScore(wArg, E.GEO_WIDTH_NOT_NUMERIC);
  const height = parseScore(hArg, E.GEO_HEIGHT_NOT_NUMERIC);
  if (height < 0 || width < 0) fail(E.GEO_BOX_NEGATIVE);
  return { width, height, conversion: parseUnit(unitArg) };
}

/** longLatFromMember: the member's decoded position, or "could not decode requested zset member". */
function memberPosition(z: ZSet, member: string): [number, number] {
  const score = z.score(member);
  if (score === undefined) fail(E.GEO_MEMBER);
  return decodeScore(score);
}

/**
 * geoGetPointsInRange: the members with min <= score < max that lie in the shape, appended to `out`;
 * with a `limit` (COUNT ANY) the walk stops once `out` holds that many.
 */
function pointsInRange(z: ZSet, min: number, max: number, shape: GeoShape, out: GeoPoint[], limit: number): void {
  const range: ScoreRange = { min, max, minex: false, maxex: true };
  const visit = (member: string, score: number): boolean => {
    const [lon, lat] = decodeScore(score);
    const dist = distanceIfWithin(shape, lon, lat);
    if (dist !== null) out.push({ lon, lat, dist, score, member });
    return !(out.length > 0 && limit > 0 && out.length >= limit);
  };
  const zsl = z.zsl;
  if (zsl !== null) {
    for (let ln = zsl.firstInRange(range); ln !== NIL && zsl.score(ln) < max; ln = zsl.next(ln)) {
      if (!visit(zsl.member(ln), zsl.score(ln))) break;
    }
    return;
  }
  // A listpack is walked whole by Redis too (zzlFirstInRange is linear); stop adding at the limit.
  let going = true;
  z.rangeByScore(range, 0, -1, false, (member, score) => {
    if (going) going = visit(member, score);
  });
}

/** membersOfAllNeighbors: scan the 9 cells, skipping zeroed ones and a repeat of the previous one. */
function membersOfAllNeighbors(z: ZSet, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = searchAreas(shape);
  const out: GeoPoint[] = [];
  let last: GeoHashBits | null = null;
  for (const cell of cells) {
    if (cell.bits === 0n && cell.step === 0) continue;
    if (last !== null && cell.bits === last.bits && cell.step === last.step) continue;
    if (out.length > 0 && limit > 0 && out.length >= limit) break;
    const [min, max] = scoreRangeOf(cell);
    pointsInRange(z, min, max, shape, out, limit);
    last = cell;
  }
  return out;
}

const ascending = (a: GeoPoint, b: GeoPoint): number => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const descending = (a: GeoPoint, b: GeoPoint): number => -ascending(a, b);

interface SearchOptions {
  withdist: boolean;
  withhash: boolean;
  withcoords: boolean;
  sort: 'none' | 'asc' | 'desc';
  any: boolean;
  count: number;
  storeKey: string | null;
  storedist: boolean;
}

/** georadiusGeneric */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): Reply {
  const z = readZSet(c, argv[srcKeyIndex]);
  let baseArgs: number;
  let lon = 0;
  let lat = 0;
  let circle: { radius: number; conversion: number } | null = null;
  let box: { width: number; height: number; conversion: number } | null = null;
  const o: SearchOptions = {
    withdist: false,
    withhash: false,
    withcoords: false,
    sort: 'none',
    any: false,
    count: 0,
    storeKey: null,
    storedist: false,
  };
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    [lon, lat] = parseLonLat(argv[2], argv[3]);
    circle = parseDistance(argv[4], argv[5]);
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    // Without a source key the member and radius are not even looked at.
    if (z !== undefined) {
      [lon, lat] = memberPosition(z, argv[2]);
      circle = parseDistance(argv[3], argv[4]);
    }
  } else {
    baseArgs = flags & GEOSEARCHSTORE ? 3 : 2;
    if (flags & GEOSEARCHSTORE) o.storeKey = argv[1];
  }
  let frommember = false;
  let fromloc = false;
  const geosearch = (flags & GEOSEARCH) !== 0;
  const storeOk = !(flags & RADIUS_NOSTORE) && !geosearch;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i];
    const has = (n: number): boolean => i + n < remaining;
    const next = (n: number): string => argv[baseArgs + i + n];
    if (isCToken(arg, 'WITHDIST')) o.withdist = true;
    else if (isCToken(arg, 'WITHHASH')) o.withhash = true;
    else if (isCToken(arg, 'WITHCOORD')) o.withcoords = true;
    else if (isCToken(arg, 'ANY')) o.any = true;
    else if (isCToken(arg, 'ASC')) o.sort = 'asc';
    else if (isCToken(arg, 'DESC')) o.sort = 'desc';
    else if (isCToken(arg, 'COUNT') && has(1)) {
      const n = parseInteger(next(1));
      if (n <= 0) fail(E.COUNT_MUST_BE_POSITIVE);
      o.count = Number(n);
      i++;
    } else if (isCToken(arg, 'STORE') && has(1) && storeOk) {
      o.storeKey = next(1);
      o.storedist = false;
      i++;
    } else if (isCToken(arg, 'STOREDIST') && has(1) && storeOk) {
      o.storeKey = next(1);
      o.storedist = true;
      i++;
    } else if (isCToken(arg, 'STOREDIST') && geosearch && flags & GEOSEARCHSTORE) o.storedist = true;
    else if (isCToken(arg, 'FROMMEMBER') && has(1) && geosearch && !fromloc) {
      if (z !== undefined) [lon, lat] = memberPosition(z, next(1));
      frommember = true;
      i++;
    } else if (isCToken(arg, 'FROMLONLAT') && has(2) && geosearch && !frommember) {
      [lon, lat] = parseLonLat(next(1), next(2));
      fromloc = true;
      i += 2;
    } else if (isCToken(arg, 'BYRADIUS') && has(2) && geosearch && box === null) {
      circle = parseDistance(next(1), next(2));
      i += 2;
    } else if (isCToken(arg, 'BYBOX') && has(3) && geosearch && circle === null) {
      box = parseBox(next(1), next(2), next(3));
      i += 3;
    } else fail(E.SYNTAX);
  }
  if (o.storeKey !== null && (o.withdist || o.withhash || o.withcoords)) {
    fail(geoStoreIncompatible((flags & GEOSEARCHSTORE) !== 0));
  }
  if (geosearch && !(frommember || fromloc)) fail(geoFromRequired(argv[0]));
  if (geosearch && circle === null && box === null) fail(geoByRequired(argv[0]));
  if (o.any && o.count === 0) fail(E.GEO_ANY_WITHOUT_COUNT);
  if (z === undefined) {
    if (o.storeKey === null) return EMPTY_ARRAY;
    if (c.db.delete(o.storeKey)) {
      c.engine.notify('g', 'del', o.storeKey, c.db.id);
      c.engine.dirty++;
    }
    return ZERO;
  }
  // COUNT without an order means the closest ones (unless ANY).
  if (o.count !== 0 && o.sort === 'none' && !o.any) o.sort = 'asc';
  const shape: GeoShape =
    box !== null
      ? { type: 'box', lon, lat, conversion: box.conversion, width: box.width, height: box.height }
      : { type: 'circle', lon, lat, ...(circle as { radius: number; conversion: number }) };
  const points = membersOfAllNeighbors(z, shape, o.any ? o.count : 0);
  return reply(c, points, shape, o, flags);
}

/** Sort as Redis does, then reply with the results or store them. */
function reply(c: Client, points: GeoPoint[], shape: GeoShape, o: SearchOptions, flags: number): Reply {
  if (points.length === 0 && o.storeKey === null) return EMPTY_ARRAY;
  const returned = o.count === 0 || points.length < o.count ? points.length : o.count;
  if (o.sort !== 'none') {
    const cmp = o.sort === 'asc' ? ascending : descending;
    // glibc's qsort is a stable merge sort here, like Array.prototype.sort.
    if (returned === points.length) points.sort(cmp);
    else pqsort(points, cmp, 0, returned - 1);
  }
  if (o.storeKey === null) {
    const out: Reply[] = [];
    const options = o.withdist || o.withhash || o.withcoords;
    for (let i = 0; i < returned; i++) {
      const gp = points[i];
      const dist = gp.dist / shape.conversion;
      if (!options) {
        out.push(bulk(gp.member));
        continue;
      }
      const item: Reply[] = [bulk(gp.member)];
      if (o.withdist) item.push(distanceReply(dist));
      if (o.withhash) item.push(int(scoreToLongLong(gp.score)));
      if (o.withcoords) item.push(array([coordReply(c, gp.lon), coordReply(c, gp.lat)]));
      out.push(array(item));
    }
    return array(out);
  }
  const storeKey = o.storeKey;
  if (returned === 0) {
    if (c.db.delete(storeKey)) {
      c.engine.notify('g', 'del', storeKey, c.db.id);
      c.engine.dirty++;
    }
    return ZERO;
  }
  const dst = newZSet(c, true);
  let maxlen = 0;
  for (let i = 0; i < returned; i++) {
    const gp = points[i];
    dst.add(o.storedist ? gp.dist / shape.conversion : gp.score, gp.member, 0);
    if (gp.member.length > maxlen) maxlen = gp.member.length;
  }
  dst.convertToListpackIfNeeded(maxlen);
  c.db.setKey(storeKey, dst);
  c.engine.notify('z', flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storeKey, c.db.id);
  c.engine.dirty += returned;
  return int(returned);
}

/** (long long)score as WITHHASH prints it (the cell bits; truncated, as C converts). */
function scoreToLongLong(score: number): number | bigint {
  if (Number.isSafeInteger(Math.trunc(score))) return Math.trunc(score);
  if (!(Math.abs(score) < 2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(score));
}

// ---- declarations ------------------------------------------------------------------------------

const WITH: readonly ArgSpec[] = [tok('WITHCOORD'), tok('WITHDIST'), tok('WITHHASH')];
const COUNT_ANY = (anySince?: string): ArgSpec =>
  block('count', [integer('count', { token: 'COUNT' }), tok('ANY', anySince ? { since: anySince } : {})], {
    optional: true,
  });
const ORDER = oneof('order', [tok('ASC'), tok('DESC')]);
const STORE_ARGS: readonly ArgSpec[] = [
  key('key', { token: 'STORE', optional: true }),
  key('key', { token: 'STOREDIST', optional: true }),
];
const FROM = oneof(
  'from',
  [
    str('member', { token: 'FROMMEMBER' }),
    block('longitude_latitude', [dbl('longitude'), dbl('latitude')], { token: 'FROMLONLAT' }),
  ],
  { optional: false },
);
const BY = oneof(
  'by',
  [
    block('circle', [dbl('radius', { token: 'BYRADIUS' }), UNIT]),
    block('box', [dbl('width', { token: 'BYBOX' }), dbl('height'), UNIT]),
  ],
  { optional: false },
);

const RADIUS_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.';
const SEARCH_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape';

/** GEORADIUS/GEORADIUSBYMEMBER key specs: the source, then STORE and STOREDIST found by keyword. */
function radiusKeySpecs(startFrom: number): KeySpec[] {
  const range = { lastKey: 0, step: 1, limit: 0 };
  return [
    { flags: ['RO', 'ACCESS'], begin: { index: 1 }, find: range },
    { flags: ['OW', 'UPDATE'], begin: { keyword: 'STORE', startFrom }, find: range },
    { flags: ['OW', 'UPDATE'], begin: { keyword: 'STOREDIST', startFrom }, find: range },
  ];
}

const COORD_ARGS: readonly ArgSpec[] = [key(), dbl('longitude'), dbl('latitude'), dbl('radius'), UNIT];
const MEMBER_ARGS: readonly ArgSpec[] = [key(), str('member'), dbl('radius'), UNIT];

/** GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key] */
export const GEORADIUS = defineCommand({
  name: 'GEORADIUS',
  group: 'geo',
  arity: -6,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: radiusKeySpecs(6),
  args: [...COORD_ARGS, ...WITH, COUNT_ANY('6.2.0'), ORDER, ...STORE_ARGS],
  summary:
    'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
  complexity: RADIUS_COMPLEXITY,
  since: '3.2.0',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument',
  history: [
    ['6.2.0', 'Added the `ANY` option for `COUNT`.'],
    ['7.0.0', 'Added support for uppercase unit names.'],
  ],
  exec: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS),
});

/** GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] */
export const GEORADIUS_RO = defineCommand({
  name: 'GEORADIUS_RO',
  group: 'geo',
  arity: -6,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [...COORD_ARGS, ...WITH, COUNT_ANY('6.2.0'), ORDER],
  summary: 'A read-only variant for GEORADIUS',
  complexity: RADIUS_COMPLEXITY,
  since: '3.2.10',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument',
  history: [['6.2.0', 'Added the `ANY` option for `COUNT`.']],
  exec: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
});

/** GEORADIUSBYMEMBER key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key] */
export const GEORADIUSBYMEMBER = defineCommand({
  name: 'GEORADIUSBYMEMBER',
  group: 'geo',
  arity: -5,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: radiusKeySpecs(5),
  args: [...MEMBER_ARGS, ...WITH, COUNT_ANY(), ORDER, ...STORE_ARGS],
  summary:
    'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member',
  complexity: RADIUS_COMPLEXITY,
  since: '3.2.0',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  exec: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER),
});

/** GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] */
export const GEORADIUSBYMEMBER_RO = defineCommand({
  name: 'GEORADIUSBYMEMBER_RO',
  group: 'geo',
  arity: -5,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [...MEMBER_ARGS, ...WITH, COUNT_ANY(), ORDER],
  summary: 'A read-only variant for GEORADIUSBYMEMBER',
  complexity: RADIUS_COMPLEXITY,
  since: '3.2.10',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments',
  exec: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
});

/** GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH] */
export const GEOSEARCH_CMD = defineCommand({
  name: 'GEOSEARCH',
  group: 'geo',
  arity: -7,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), FROM, BY, ORDER, COUNT_ANY(), ...WITH],
  summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.',
  complexity: SEARCH_COMPLEXITY,
  since: '6.2.0',
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  exec: (c, argv) => georadiusGeneric(c, argv, 1, GEOSEARCH),
});

/** GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]] [STOREDIST] */
export const GEOSEARCHSTORE_CMD = defineCommand({
  name: 'GEOSEARCHSTORE',
  group: 'geo',
  arity: -8,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: [
    { flags: ['OW', 'UPDATE'], begin: { index: 1 }, find: { lastKey: 0, step: 1, limit: 0 } },
    { flags: ['RO', 'ACCESS'], begin: { index: 2 }, find: { lastKey: 0, step: 1, limit: 0 } },
  ],
  args: [key('destination'), key('source'), FROM, BY, ORDER, COUNT_ANY(), tok('STOREDIST')],
  summary:
    'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
  complexity: SEARCH_COMPLEXITY,
  since: '6.2.0',
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  exec: (c, argv) => georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
});

export const GEO_SEARCH_COMMANDS: readonly CommandSpec[] = [
  GEORADIUS,
  GEORADIUS_RO,
  GEORADIUSBYMEMBER,
  GEORADIUSBYMEMBER_RO,
  GEOSEARCH_CMD,
  GEOSEARCHSTORE_CMD,
];
