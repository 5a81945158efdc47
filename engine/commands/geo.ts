// Geo commands (src/geo.c): GEOADD (a ZADD of 52-bit geohash scores), GEODIST, GEOHASH and GEOPOS.
// A geo index is a plain sorted set; the searches (GEORADIUS*, GEOSEARCH*) live in geo-search.ts.
// Coordinates print as "%.17Lf" without trailing zeros and distances as "%.4f", as Redis does.

import { E } from '../errors';
import { array, bulk, NIL, NIL_ARRAY, type Reply } from '../protocol/reply';
import { align52, decodeScore, distance, encodeWGS84, type GeoHashBits, geohashString } from '../types/geohash';
import { fail, isCToken } from './args';
import { type CommandSpec, defineCommand, dbl, key, oneof, str, tok } from './define';
import { coordReply, distanceReply, parseLonLat, parseUnit } from './geo-common';
import { GEO_SEARCH_COMMANDS } from './geo-search';
import { ZADD } from './zset';
import { readZSet } from './zset-common';

/** GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...] */
export const GEOADD = defineCommand({
  name: 'GEOADD',
  group: 'geo',
  arity: -5,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key(),
    oneof('condition', [tok('NX'), tok('XX')], { since: '6.2.0' }),
    tok('CH', { name: 'change', since: '6.2.0' }),
    {
      name: 'longitude_latitude_member',
      type: 'block',
      multiple: true,
      args: [dbl('longitude'), dbl('latitude'), str('member')],
    },
  ],
  summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  since: '3.2.0',
  history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']],
  exec(c, argv): Reply {
    let nx = false;
    let xx = false;
    let longidx = 2;
    for (; longidx < argv.length; longidx++) {
      const opt = argv[longidx];
      if (isCToken(opt, 'NX')) nx = true;
      else if (isCToken(opt, 'XX')) xx = true;
      else if (!isCToken(opt, 'CH')) break;
    }
    if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) fail(E.SYNTAX);
    // The command becomes ZADD key [options] score member ...: that is what runs and propagates.
    const zargv = ['zadd', ...argv.slice(1, longidx)];
    for (let i = longidx; i < argv.length; i += 3) {
      const [lon, lat] = parseLonLat(argv[i], argv[i + 1]);
      zargv.push(align52(encodeWGS84(lon, lat) as GeoHashBits).toString(), argv[i + 2]);
    }
    const reply = (ZADD.exec as NonNullable<typeof ZADD.exec>)(c, zargv);
    c.engine.rewritePropagation(zargv);
    return reply;
  },
});

/** GEODIST key member1 member2 [M|KM|FT|MI] */
export const GEODIST = defineCommand({
  name: 'GEODIST',
  group: 'geo',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), str('member1'), str('member2'), oneof('unit', [tok('M'), tok('KM'), tok('FT'), tok('MI')])],
  summary: 'Returns the distance between two members of a geospatial index',
  complexity: 'O(log(N))',
  since: '3.2.0',
  exec(c, argv): Reply {
    let toMeter = 1;
    if (argv.length === 5) toMeter = parseUnit(argv[4]);
    else if (argv.length > 5) fail(E.SYNTAX);
    const z = readZSet(c, argv[1]);
    if (z === undefined) return NIL;
    const s1 = z.score(argv[2]);
    const s2 = z.score(argv[3]);
    if (s1 === undefined || s2 === undefined) return NIL;
    const [lon1, lat1] = decodeScore(s1);
    const [lon2, lat2] = decodeScore(s2);
    return distanceReply(distance(lon1, lat1, lon2, lat2) / toMeter);
  },
});

/** GEOHASH key [member [member ...]] */
export const GEOHASH = defineCommand({
  name: 'GEOHASH',
  group: 'geo',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), str('member', { multiple: true })],
  summary: 'Returns members of a geospatial index as standard geohash strings',
  complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
  since: '3.2.0',
  exec(c, argv): Reply {
    const z = readZSet(c, argv[1]);
    const out: Reply[] = [];
    for (let j = 2; j < argv.length; j++) {
      const score = z?.score(argv[j]);
      out.push(score === undefined ? NIL : bulk(geohashString(score)));
    }
    return array(out);
  },
});

/** GEOPOS key [member [member ...]] */
export const GEOPOS = defineCommand({
  name: 'GEOPOS',
  group: 'geo',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), str('member', { multiple: true })],
  summary: 'Returns longitude and latitude of members of a geospatial index',
  complexity: 'O(N) where N is the number of members requested.',
  since: '3.2.0',
  exec(c, argv): Reply {
    const z = readZSet(c, argv[1]);
    const out: Reply[] = [];
    for (let j = 2; j < argv.length; j++) {
      const score = z?.score(argv[j]);
      if (score === undefined) out.push(NIL_ARRAY);
      else {
        const [lon, lat] = decodeScore(score);
        out.push(array([coordReply(c, lon), coordReply(c, lat)]));
      }
    }
    return array(out);
  },
});

export const GEO_COMMANDS: readonly CommandSpec[] = [GEOADD, GEODIST, GEOHASH, GEOPOS, ...GEO_SEARCH_COMMANDS];
