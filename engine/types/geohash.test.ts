import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import {
  align52,
  decodeArea,
  decodeScore,
  distance,
  distanceIfWithin,
  encodeWGS84,
  estimateStepsByRadius,
  type GeoShape,
  geohashString,
  interleave64,
  latDistance,
  neighbors,
  scoreRangeOf,
  scoreToUint64,
  searchAreas,
} from './geohash';

const score = (lon: number, lat: number): number => {
  const h = encodeWGS84(lon, lat);
  if (h === null) throw new Error('out of range');
  return Number(align52(h));
};

describe('geohash encode', () => {
  it('produces the 52-bit scores Redis stores', () => {
    // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania on redis-server 7.0.
    expect(score(13.361389, 38.115556)).toBe(3479099956230698);
    expect(score(15.087269, 37.502669)).toBe(3479447370796909);
    expect(score(-180, -85.05112878)).toBe(0);
    // The north-east corner sets bits 52 and 53: the offsets reach 2^26.
    expect(score(180, 85.05112878)).toBe(13510798882111488);
  });

  it('interleaves latitude in the even bits and longitude in the odd bits', () => {
    expect(interleave64(1, 0)).toBe(1n);
    expect(interleave64(0, 1)).toBe(2n);
    expect(interleave64(0xffffffff, 0)).toBe(0x5555555555555555n);
    expect(interleave64(0, 0xffffffff)).toBe(0xaaaaaaaaaaaaaaaan);
    // Against a bit-by-bit interleave.
    const slow = (x: number, y: number): bigint => {
      let r = 0n;
      for (let i = 0; i < 32; i++) {
        r |= BigInt((x >>> i) & 1) << BigInt(2 * i);
        r |= BigInt((y >>> i) & 1) << BigInt(2 * i + 1);
      }
      return r;
    };
    for (const [x, y] of [
      [0x12345, 0x6789a],
      [0x3ffffff, 0x1],
      [0xdeadbeef, 0xcafebabe],
    ]) {
      expect(interleave64(x, y)).toBe(slow(x, y));
    }
  });

  it('refuses coordinates outside the WGS84 limits', () => {
    expect(encodeWGS84(180.0001, 0)).toBeNull();
    expect(encodeWGS84(0, 85.06)).toBeNull();
    expect(encodeWGS84(0, 0, 0)).toBeNull();
  });
});

describe('geohash decode', () => {
  it('returns the centre of the cell, as GEOPOS prints it', () => {
    const [lon, lat] = decodeScore(3479099956230698);
    expect(lon).toBe(13.361389338970184);
    expect(lat).toBe(38.1155563954963);
    expect(decodeScore(13510798882111488)).toEqual([180, 85.05112878]);
  });

  it('round-trips coordinates to within half a cell', () => {
    for (let i = 0; i < 200; i++) {
      const lon = -180 + ((i * 97.31) % 360);
      const lat = -85 + ((i * 13.7) % 170);
      const [dlon, dlat] = decodeScore(score(lon, lat));
      expect(Math.abs(dlon - lon)).toBeLessThan(360 / 2 ** 26);
      expect(Math.abs(dlat - lat)).toBeLessThan(170.2 / 2 ** 26);
    }
  });

  it('converts scores to uint64 as gcc does on x86-64', () => {
    expect(scoreToUint64(1.5)).toEqual([0, 1]);
    expect(scoreToUint64(-1)).toEqual([0xffffffff, 0xffffffff]);
    expect(scoreToUint64(2 ** 63)).toEqual([0x80000000, 0]);
    expect(scoreToUint64(Infinity)).toEqual([0, 0]);
    expect(scoreToUint64(-Infinity)).toEqual([0x80000000, 0]);
  });

  it('decodes a hash of any step to its area', () => {
    const h = encodeWGS84(0, 0, 1);
    expect(h).not.toBeNull();
    const area = decodeArea(h as NonNullable<typeof h>);
    expect(area).toMatchObject({ lonMin: 0, lonMax: 180, latMin: 0, latMax: 85.05112878 });
    expect(decodeArea({ bits: 0n, step: 0 })).toBeNull();
  });
});

describe('GEOHASH strings', () => {
  it('re-encodes with the standard latitude range', () => {
    expect(geohashString(3479099956230698)).toBe('sqc8b49rny0');
    expect(geohashString(3479447370796909)).toBe('sqdtr74hyu0');
    expect(geohashString(13510798882111488)).toBe('bp05b5048p0');
    expect(geohashString(0)).toBe('00bh0hbj200');
  });
});

describe('neighbours and search areas', () => {
  it('moves one cell in each direction and wraps around', () => {
    const h = { bits: 0b0110n, step: 2 }; // lat 0b10, lon 0b01
    const n = neighbors(h);
    const coords = (b: bigint) => {
      let lat = 0;
      let lon = 0;
      for (let i = 0; i < 2; i++) {
        lat |= Number((b >> BigInt(2 * i)) & 1n) << i;
        lon |= Number((b >> BigInt(2 * i + 1)) & 1n) << i;
      }
      return [lon, lat];
    };
    expect(coords(n.east.bits)).toEqual([2, 2]);
    expect(coords(n.west.bits)).toEqual([0, 2]);
    expect(coords(n.north.bits)).toEqual([1, 3]);
    expect(coords(n.south.bits)).toEqual([1, 1]);
    expect(coords(n.northWest.bits)).toEqual([0, 3]);
    expect(coords(neighbors({ bits: 0n, step: 2 }).west.bits)).toEqual([3, 0]);
  });

  it('estimates the search step from the radius and latitude', () => {
    // Values from geohash_helper.c's geohashEstimateStepsByRadius compiled with gcc.
    expect(estimateStepsByRadius(0, 0)).toBe(26);
    expect(estimateStepsByRadius(200000, 0)).toBe(6);
    expect(estimateStepsByRadius(200000, 70)).toBe(5);
    expect(estimateStepsByRadius(200000, 85)).toBe(4);
    expect(estimateStepsByRadius(1, 0)).toBe(24);
    expect(estimateStepsByRadius(1e9, 0)).toBe(1);
  });

  it('covers the centre cell plus neighbours with [min, max) score ranges', () => {
    const cells = searchAreas({ type: 'circle', lon: 15, lat: 37, radius: 200, conversion: 1000 });
    expect(cells).toHaveLength(9);
    const [min, max] = scoreRangeOf(cells[0]);
    const s = score(15, 37);
    expect(s >= min && s < max).toBe(true);
  });
});

describe('distances', () => {
  it('computes the haversine distance on the Redis earth radius', () => {
    const [lon1, lat1] = decodeScore(3479099956230698);
    const [lon2, lat2] = decodeScore(3479447370796909);
    expect(distance(lon1, lat1, lon2, lat2).toFixed(4)).toBe('166274.1516');
    // Same longitude: the meridian shortcut.
    expect(distance(10, 10, 10, -10)).toBeCloseTo(6372797.560856 * ((20 * Math.PI) / 180), 6);
  });

  it('matches the last bit of the distance Redis stores with STOREDIST (libm sin/cos/asin)', () => {
    // redis-server 7.0.15: GEOADD g 35.021932 -42.656622 m13, then GEORADIUS g 34.99846 -42.64225
    // 13320 m STOREDIST d gives m13 the score 2498.4909672769577 (Math.sin/cos/asin: …958).
    const [lon, lat] = decodeScore(2389649066297879);
    expect(distance(34.99846, -42.64225, lon, lat)).toBe(2498.4909672769577);
  });

  it('tests shapes with the same distances as geohashGetDistance, whatever the order of calls', () => {
    const rnd = createRandom(99);
    const shapes: GeoShape[] = [
      { type: 'circle', lon: 2.35, lat: 48.85, conversion: 1000, radius: 300 },
      { type: 'circle', lon: -70.1, lat: -33.4, conversion: 1, radius: 2e6 },
      { type: 'box', lon: 2.35, lat: 48.85, conversion: 1000, width: 500, height: 300 },
      { type: 'box', lon: 139.7, lat: 35.7, conversion: 1609.34, width: 900, height: 1200 },
    ];
    let inside = 0;
    for (let i = 0; i < 4000; i++) {
      const s = shapes[i % shapes.length];
      const lon = s.lon + (rnd.next() - 0.5) * 20;
      const lat = Math.max(-85, Math.min(85, s.lat + (rnd.next() - 0.5) * 20));
      let want: number | null;
      if (s.type === 'circle') {
        const d = distance(s.lon, s.lat, lon, lat);
        want = d > s.radius * s.conversion ? null : d;
      } else {
        const tooFar =
          latDistance(lat, s.lat) > (s.height * s.conversion) / 2 ||
          distance(lon, lat, s.lon, lat) > (s.width * s.conversion) / 2;
        want = tooFar ? null : distance(s.lon, s.lat, lon, lat);
      }
      if (want !== null) inside++;
      expect(distanceIfWithin(s, lon, lat)).toBe(want);
    }
    expect(inside).toBeGreaterThan(200);
  });
});
