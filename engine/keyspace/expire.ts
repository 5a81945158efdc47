// The active expire cycle (activeExpireCycle in src/expire.c, "slow" mode): each cron tick samples
// keys with a TTL through a bucket cursor and deletes the expired ones, repeating while more than
// 10% of the sample was stale, within a time budget of 25% of the tick.

import type { Engine } from '../engine';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 10;
const SLOW_TIME_PERC = 25;

let currentDb = 0;

export function activeExpireCycle(engine: Engine): void {
  const effort = engine.config.getInt('active-expire-effort') - 1;
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const hz = Math.max(1, engine.config.getInt('hz'));
  const budgetMs = (1000 * (SLOW_TIME_PERC + 2 * effort)) / hz / 100;
  const start = performance.now();
  const now = engine.now();
  const dbs = engine.dbs;
  let timedOut = false;
  for (let j = 0; j < dbs.length && !timedOut; j++) {
    const db = dbs[currentDb % dbs.length];
    currentDb++;
    let iteration = 0;
    while (true) {
      if (db.expires.size === 0) {
        db.avgTtl = 0;
        break;
      }
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      const maxBuckets = keysPerLoop * 20;
      let buckets = 0;
      const stale: string[] = [];
      while (sampled < keysPerLoop && buckets < maxBuckets) {
        db.expiresCursor = db.expires.scan(db.expiresCursor, (e) => {
          sampled++;
          if (e.val <= now) stale.push(e.key);
          else {
            ttlSum += e.val - now;
            ttlSamples++;
          }
        });
        buckets++;
        if (db.expiresCursor === 0) break;
      }
      for (const key of stale) {
        if (db.expireIfNeeded(key)) expired++;
      }
      if (ttlSamples > 0) {
        const avg = ttlSum / ttlSamples;
        db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
      }
      iteration++;
      if ((iteration & 0xf) === 0 && performance.now() - start > budgetMs) {
        timedOut = true;
        engine.stats.expiredTimeCapReached++;
        break;
      }
      if (sampled === 0 || (expired * 100) / sampled <= acceptableStale) break;
    }
  }
}
