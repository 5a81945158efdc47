// The active expire cycle (activeExpireCycle in src/expire.c, "slow" mode, run from cron at `hz`):
// for up to 16 dbs per call, sample keys with a TTL bucket by bucket and delete the expired ones,
// repeating on a db while more than 10% of the sample was stale, within 25% of the tick's time.
// LAB: the "fast" cycle Redis runs before sleeping is not modelled; lazy expiry covers the gap.

import type { Engine } from '../engine';

const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;
const CRON_DBS_PER_CALL = 16;
const DICT_HT_INITIAL_SIZE = 4;

/** The cycle's memory between calls (Redis keeps it in function statics), one per engine. */
interface CycleState {
  currentDb: number;
  timelimitExit: boolean;
}

const states = new WeakMap<Engine, CycleState>();

function stateOf(engine: Engine): CycleState {
  let s = states.get(engine);
  if (s === undefined) {
    s = { currentDb: 0, timelimitExit: false };
    states.set(engine, s);
  }
  return s;
}

/** One slow cycle. Time limits use the host's CPU clock; expiry decisions use the engine clock. */
export function activeExpireCycle(engine: Engine): void {
  if (engine.paused && engine.pausedNow()) return;
  const state = stateOf(engine);
  const effort = engine.config.getInt('active-expire-effort') - 1;
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const hz = Math.max(1, engine.config.getInt('hz'));
  const dbs = engine.dbs;
  let dbsPerCall = CRON_DBS_PER_CALL;
  if (dbsPerCall > dbs.length || state.timelimitExit) dbsPerCall = dbs.length;
  // Microseconds of the tick this cycle may use.
  let timelimitUs = Math.floor(((SLOW_TIME_PERC + 2 * effort) * 1000000) / hz / 100);
  if (timelimitUs <= 0) timelimitUs = 1;
  state.timelimitExit = false;
  const start = performance.now();
  let iteration = 0;
  let totalSampled = 0;
  let totalExpired = 0;
  const stale: string[] = [];

  for (let j = 0; j < dbsPerCall && !state.timelimitExit; j++) {
    const db = dbs[state.currentDb % dbs.length];
    // Advance first, so a db that runs out of time doesn't starve the next ones.
    state.currentDb++;
    let sampled = 0;
    let expired = 0;
    do {
      iteration++;
      let num = db.expires.size;
      if (num === 0) {
        db.avgTtl = 0;
        break;
      }
      const slots = db.expires.buckets;
      // Under 1% fill, sampling is too expensive: wait for the table to shrink.
      if (slots > DICT_HT_INITIAL_SIZE && Math.floor((num * 100) / slots) < 1) break;
      const now = engine.now();
      expired = 0;
      sampled = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      if (num > keysPerLoop) num = keysPerLoop;
      const maxBuckets = num * 20;
      let checkedBuckets = 0;
      // LAB: Redis walks buckets linearly (expires_cursor++); the dict's reverse-binary scan cursor
      // visits the same buckets in another order and stays valid across resizes.
      while (sampled < num && checkedBuckets < maxBuckets) {
        stale.length = 0;
        db.expiresCursor = db.expires.scan(db.expiresCursor, (e) => {
          const ttl = e.val - now;
          if (now > e.val) stale.push(e.key);
          else if (ttl > 0) {
            ttlSum += ttl;
            ttlSamples++;
          }
          sampled++;
        });
        checkedBuckets++;
        for (const k of stale) {
          db.deleteExpired(k);
          expired++;
        }
      }
      totalExpired += expired;
      totalSampled += sampled;
      if (ttlSamples > 0) {
        // Running average: 2% weight to this sample.
        const avg = Math.trunc(ttlSum / ttlSamples);
        if (db.avgTtl === 0) db.avgTtl = avg;
        db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
      }
      if ((iteration & 0xf) === 0 && (performance.now() - start) * 1000 > timelimitUs) {
        state.timelimitExit = true;
        engine.stats.expiredTimeCapReached++;
        break;
      }
      // Repeat on this db while the sample was more than acceptably stale.
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale);
  }
  // The whole cycle is one "expire-cycle" sample for the latency monitor (whole ms).
  const ms = Math.floor(performance.now() - start);
  engine.latency.addIfNeeded('expire-cycle', ms, engine.latencyThreshold, Math.floor(engine.clock.now() / 1000));
  const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
  engine.stats.expiredStalePerc = perc * 0.05 + engine.stats.expiredStalePerc * 0.95;
}
