// Redis's geohash (src/geohash.c, geohash_helper.c): 26-step interleaved cells over longitude
// -180..180 and latitude -85.05112878..85.05112878 (the 52-bit sorted-set score), decoding to the
// cell centre, the 8 neighbours, the search step estimate, the bounding box of a radius or box
// search, and the haversine distances on a sphere of radius 6372797.560856 m. sin/cos/asin are
// the correctly rounded ones of util/libm (as glibc's libm, which Redis uses), not Math.*.

import { asin, cos, sin } from '../util/libm';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const TWO32 = 2 ** 32;

export interface GeoRange {
  readonly min: number;
  readonly max: number;
}

/** The WGS84 ranges Redis encodes with. */
export const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A cell: `step` bits per coordinate interleaved in `bits` (latitude in the even bits). */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

export interface GeoArea {
  readonly hash: GeoHashBits;
  readonly lonMin: number;
  readonly lonMax: number;
  readonly latMin: number;
  readonly latMax: number;
}

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

// ---- bit interleaving on 32-bit halves --------------------------------------------------------

/** The 16 bits of v spread to the even bit positions of a 32-bit word. */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** The even bits of a 32-bit word packed into 16 bits. */
function compact32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64: x (latitude) in the even bits, y (longitude) in the odd bits. */
export function interleave64(x: number, y: number): bigint {
  const lo = (spread16(x & 0xffff) | (spread16(y & 0xffff) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** deinterleave64 of hi:lo: [x (even bits), y (odd bits)] as uint32s. */
function deinterleave(hi: number, lo: number): [number, number] {
  const x = (compact32(lo) | (compact32(hi) << 16)) >>> 0;
  const y = (compact32(lo >>> 1) | (compact32(hi >>> 1) << 16)) >>> 0;
  return [x, y];
}

// ---- encode / decode --------------------------------------------------------------------------

/** geohashEncode: null outside the WGS84 limits or the given ranges (C's return 0). */
export function geohashEncode(
  lonRange: GeoRange,
  latRange: GeoRange,
  longitude: number,
  latitude: number,
  step: number,
): GeoHashBits | null {
  if (step > 32 || step === 0) return null;
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN)
    return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < lonRange.min || longitude > lonRange.max)
    return null;
  const scale = 2 ** step;
  const latOffset = ((latitude - latRange.min) / (latRange.max - latRange.min)) * scale;
  const lonOffset = ((longitude - lonRange.min) / (lonRange.max - lonRange.min)) * scale;
  // The offsets reach the uint32 parameters of interleave64 truncated.
  return { bits: interleave64(Math.trunc(latOffset) >>> 0, Math.trunc(lonOffset) >>> 0), step };
}

/** geohashEncodeWGS84 at full precision. */
export function encodeWGS84(longitude: number, latitude: number, step = GEO_STEP_MAX): GeoHashBits | null {
  return geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, step);
}

/** geohashAlign52Bits: the cell's bits shifted to a 52-bit score. */
export function align52(h: GeoHashBits): bigint {
  return BigInt.asUintN(64, h.bits << BigInt(52 - h.step * 2));
}

/** The area of a cell given its deinterleaved coordinates (ilato + 1 wraps as a uint32 does in C). */
function areaOf(hash: GeoHashBits, ilato: number, ilono: number, lonRange: GeoRange, latRange: GeoRange): GeoArea {
  const scale = 2 ** hash.step;
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  return {
    hash,
    latMin: latRange.min + (ilato / scale) * latScale,
    latMax: latRange.min + (((ilato + 1) >>> 0) / scale) * latScale,
    lonMin: lonRange.min + (ilono / scale) * lonScale,
    lonMax: lonRange.min + (((ilono + 1) >>> 0) / scale) * lonScale,
  };
}

/** geohashDecode over the WGS84 ranges; null for the zero hash (HASHISZERO). */
export function decodeArea(hash: GeoHashBits): GeoArea | null {
  if (hash.bits === 0n && hash.step === 0) return null;
  const u = BigInt.asUintN(64, hash.bits);
  const [x, y] = deinterleave(Number(u >> 32n), Number(u & 0xffffffffn));
  return areaOf(hash, x, y, LONG_RANGE, LAT_RANGE);
}

/** geohashDecodeAreaToLongLat: the cell centre, clamped to the WGS84 limits. */
function centre(a: GeoArea): [number, number] {
  let lon = (a.lonMin + a.lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (a.latMin + a.latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

/**
 * (uint64_t)score as gcc compiles it on x86-64: truncation for 0..2^64, two's complement for
 * negative values, 0x8000000000000000 below -2^63 and 0 from 2^64 up (cvttsd2si's overflow value).
 */
export function scoreToUint64(score: number): [hi: number, lo: number] {
  if (score >= 2 ** 63) {
    if (!(score < 2 ** 64)) return [0, 0];
    const hi = Math.floor(score / TWO32);
    return [hi, score - hi * TWO32];
  }
  const t = Math.trunc(score);
  if (Number.isNaN(t) || t < -(2 ** 63)) return [0x80000000, 0];
  if (t >= 0) {
    const hi = Math.floor(t / TWO32);
    return [hi, t - hi * TWO32];
  }
  const u = BigInt.asUintN(64, BigInt(t));
  return [Number(u >> 32n), Number(u & 0xffffffffn)];
}

/** decodeGeohash: a sorted-set score (a step-26 cell) to [longitude, latitude] of the cell centre. */
export function decodeScore(score: number): [number, number] {
  const [hi, lo] = scoreToUint64(score);
  const [x, y] = deinterleave(hi, lo);
  return centre(areaOf({ bits: 0n, step: GEO_STEP_MAX }, x, y, LONG_RANGE, LAT_RANGE));
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH's 11 characters: the decoded position re-encoded over the standard -90..90 latitudes. */
export function geohashString(score: number): string {
  const [lon, lat] = decodeScore(score);
  const h = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, lon, lat, GEO_STEP_MAX);
  const bits = h === null ? 0n : h.bits;
  let out = '';
  for (let i = 0; i < 10; i++) out += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return `${out}0`;
}

// ---- neighbours and search areas ----------------------------------------------------------------

const ODD = 0xaaaaaaaaaaaaaaaan;
const EVEN = 0x5555555555555555n;

/** geohash_move_x: one cell east (+1) or west (-1), wrapping around. */
function moveX(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  let x = h.bits & ODD;
  const y = h.bits & EVEN;
  const shift = BigInt(64 - h.step * 2);
  const zz = EVEN >> shift;
  if (d > 0) x = x + (zz + 1n);
  else {
    x = x | zz;
    x = BigInt.asUintN(64, x - (zz + 1n));
  }
  x &= ODD >> shift;
  return { bits: x | y, step: h.step };
}

/** geohash_move_y: one cell north (+1) or south (-1). */
function moveY(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  const x = h.bits & ODD;
  let y = h.bits & EVEN;
  const shift = BigInt(64 - h.step * 2);
  const zz = ODD >> shift;
  if (d > 0) y = y + (zz + 1n);
  else {
    y = y | zz;
    y = BigInt.asUintN(64, y - (zz + 1n));
  }
  y &= EVEN >> shift;
  return { bits: x | y, step: h.step };
}

export interface GeoNeighbors {
  north: GeoHashBits;
  south: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  northEast: GeoHashBits;
  northWest: GeoHashBits;
  southEast: GeoHashBits;
  southWest: GeoHashBits;
}

/** geohashNeighbors */
export function neighbors(h: GeoHashBits): GeoNeighbors {
  return {
    east: moveX(h, 1),
    west: moveX(h, -1),
    south: moveY(h, -1),
    north: moveY(h, 1),
    northWest: moveY(moveX(h, -1), 1),
    northEast: moveY(moveX(h, 1), 1),
    southEast: moveY(moveX(h, 1), -1),
    southWest: moveY(moveX(h, -1), -1),
  };
}

/** geohashEstimateStepsByRadius: the cell size (1..26) for a search of this radius at this latitude. */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** A search shape (GeoShape): a circle of `radius`, or a `width` x `height` box, in the unit of `conversion`. */
export type GeoShape =
  | { type: 'circle'; lon: number; lat: number; conversion: number; radius: number }
  | { type: 'box'; lon: number; lat: number; conversion: number; width: number; height: number };

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat] around the shape. */
export function boundingBox(s: GeoShape): [number, number, number, number] {
  const height = s.conversion * (s.type === 'circle' ? s.radius : s.height / 2);
  const width = s.conversion * (s.type === 'circle' ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const top = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(s.lat + latDelta)));
  const bottom = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(s.lat - latDelta)));
  const southern = s.lat < 0;
  return [
    southern ? s.lon - bottom : s.lon - top,
    s.lat - latDelta,
    southern ? s.lon + bottom : s.lon + top,
    s.lat + latDelta,
  ];
}

const ZERO_HASH: GeoHashBits = { bits: 0n, step: 0 };

/**
 * geohashCalculateAreasByShapeWGS84: the centre cell and its 8 neighbours, in the order the search
 * scans them (centre, N, S, E, W, NE, NW, SE, SW), with useless neighbours zeroed.
 */
export function searchAreas(s: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const radiusMeters =
    (s.type === 'circle' ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))) *
    s.conversion;
  let steps = estimateStepsByRadius(radiusMeters, s.lat);
  let hash = encodeWGS84(s.lon, s.lat, steps) as GeoHashBits;
  let n = neighbors(hash);
  let area = decodeArea(hash) as GeoArea;
  // Near the edge of a cell the estimated step may be too coarse: try one step larger.
  const north = decodeArea(n.north) as GeoArea;
  const south = decodeArea(n.south) as GeoArea;
  const east = decodeArea(n.east) as GeoArea;
  const west = decodeArea(n.west) as GeoArea;
  const decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encodeWGS84(s.lon, s.lat, steps) as GeoHashBits;
    n = neighbors(hash);
    area = decodeArea(hash) as GeoArea;
  }
  if (steps >= 2) {
    if (area.latMin < minLat) n.south = n.southWest = n.southEast = ZERO_HASH;
    if (area.latMax > maxLat) n.north = n.northEast = n.northWest = ZERO_HASH;
    if (area.lonMin < minLon) n.west = n.southWest = n.northWest = ZERO_HASH;
    if (area.lonMax > maxLon) n.east = n.southEast = n.northEast = ZERO_HASH;
  }
  return [hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
}

/** scoresOfGeoHashBox: the [min, max) score range of the points inside a cell. */
export function scoreRangeOf(h: GeoHashBits): [number, number] {
  return [Number(align52(h)), Number(align52({ bits: h.bits + 1n, step: h.step }))];
}

// ---- distances ---------------------------------------------------------------------------------

/** geohashGetLatDistance: along a meridian. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/**
 * geohashGetDistance's haversine, with cos(lat1) and cos(lat2) given: the callers below know them
 * already (libm's cos is a pure function, so where it was computed does not change the result).
 */
function haversine(lon1d: number, lat1d: number, lon2d: number, lat2d: number, cos1: number, cos2: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sin((lon2r - lon1r) / 2);
  if (v === 0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sin((lat2r - lat1r) / 2);
  const a = u * u + cos1 * cos2 * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
}

/** geohashGetDistance: the haversine great-circle distance in meters. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  return haversine(lon1d, lat1d, lon2d, lat2d, cos(degRad(lat1d)), cos(degRad(lat2d)));
}

// The search centre's cos(latitude), kept: a search measures from the same centre to every point.
let centreLat = Number.NaN;
let centreCos = Number.NaN;

function centreCosine(latd: number): number {
  if (latd !== centreLat) {
    centreCos = cos(degRad(latd));
    centreLat = latd;
  }
  return centreCos;
}

/**
 * geoWithinShape for a point: its distance from the shape's centre when inside (radius: the
 * distance; box: the latitude and longitude distances against half the height and width), or null.
 */
export function distanceIfWithin(s: GeoShape, lon: number, lat: number): number | null {
  if (s.type === 'circle') {
    const d = haversine(s.lon, s.lat, lon, lat, centreCosine(s.lat), cos(degRad(lat)));
    return d > s.radius * s.conversion ? null : d;
  }
  const widthM = s.width * s.conversion;
  const heightM = s.height * s.conversion;
  if (latDistance(lat, s.lat) > heightM / 2) return null;
  const c = cos(degRad(lat));
  if (haversine(lon, lat, s.lon, lat, c, c) > widthM / 2) return null;
  return haversine(s.lon, s.lat, lon, lat, centreCosine(s.lat), c);
}
