// Helpers shared by the geo command files (src/geo.c): coordinate and unit arguments, and the
// reply texts of distances ("%.4f" fixed point) and coordinates ("%.17Lf" without trailing zeros).

import type { Client } from '../client';
import { E, geoInvalidLonLat } from '../errors';
import { bulk, double, type Reply } from '../protocol/reply';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from '../types/geohash';
import { formatDouble } from '../util/format-double';
import { fixedPoint, formatFixed, formatHumanLongDouble } from '../util/format-fixed';
import { fail, isCToken, parseScore } from './args';
import { oneof, tok } from './define';

/** extractLongLatOrReply: two doubles within the WGS84 limits. */
export function parseLonLat(lonArg: string, latArg: string): [number, number] {
  const lon = parseScore(lonArg);
  const lat = parseScore(latArg);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    fail(geoInvalidLonLat(formatFixed(lon, 6), formatFixed(lat, 6)));
  }
  return [lon, lat];
}

/** extractUnitOrReply: meters per unit. */
export function parseUnit(arg: string): number {
  if (isCToken(arg, 'M')) return 1;
  if (isCToken(arg, 'KM')) return 1000;
  if (isCToken(arg, 'FT')) return 0.3048;
  if (isCToken(arg, 'MI')) return 1609.34;
  return fail(E.GEO_UNIT);
}

/** addReplyDoubleDistance: "%.4f"-style fixed point. */
export const distanceReply = (d: number): Reply => bulk(fixedPoint(d, 4));

/** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3. */
export function coordReply(c: Client, v: number): Reply {
  const text = formatHumanLongDouble(v);
  if (c.resp === 2) return bulk(text);
  // RESP3 sends ld2string's "%.17Lf" digits after the "," type byte, not %.17g.
  return text === formatDouble(v) ? double(v) : { t: 'double', v, text };
}

/** The M|KM|FT|MI argument of the search commands (required there). */
export const UNIT = oneof('unit', [tok('M'), tok('KM'), tok('FT'), tok('MI')], { optional: false });
