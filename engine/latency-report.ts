// LATENCY DOCTOR's report and LATENCY GRAPH's sparkline (src/latency.c createLatencyReport,
// latencyCommandGenSparkeline; src/sparkline.c) over the latency monitor's series (latency.ts).

import type { LatencyMonitor, LatencySeries } from './latency';

/** analyzeLatencyForEvent: samples, average, mean deviation, period (s) of one series. */
function analyze(ts: LatencySeries, now: number): { samples: number; avg: number; mad: number; period: number } {
  const used = ts.inOrder();
  if (used.length === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0;
  let oldest = 0;
  for (const s of used) {
    sum += s.latency;
    if (oldest === 0 || s.time < oldest) oldest = s.time;
  }
  const avg = Math.floor(sum / used.length);
  let period = now - oldest;
  if (period === 0) period = 1;
  let dev = 0;
  for (const s of used) dev += Math.abs(avg - s.latency);
  return { samples: used.length, avg, mad: Math.floor(dev / used.length), period };
}

/** The advice texts of createLatencyReport, in the order it prints them. */
const ADVICE = {
  slowlogEnabled: (t: number) =>
    `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${t * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`,
  slowlogTuning: (t: number) =>
    `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${t * 1000}'.\n`,
  slowlogInspect:
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler:
    '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  hz: "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  largeObjects:
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
  massEviction:
    "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n",
};

export interface DoctorSettings {
  /** latency-monitor-threshold (ms). */
  threshold: number;
  /** slowlog-log-slower-than (µs, negative = disabled). */
  slowlogSlowerThan: number;
  hz: number;
}

/**
 * createLatencyReport: the LATENCY DOCTOR text for the events the engine records (command,
 * fast-command, expire-cycle, eviction-*...).
 * LAB: the fork, AOF/disk and transparent-huge-pages advice never applies (no fork, no THP here).
 */
export function latencyReport(m: LatencyMonitor, cfg: DoctorSettings, now: number): string {
  if (m.events.size === 0 && cfg.threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  let report = '';
  let n = 0;
  let advices = 0;
  const advise = new Set<keyof typeof ADVICE>();
  const add = (...keys: (keyof typeof ADVICE)[]) => {
    for (const k of keys) advise.add(k);
    advices += keys.length;
  };
  for (const [event, ts] of m.events) {
    n++;
    if (n === 1) {
      report +=
        "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    }
    const ls = analyze(ts, now);
    report += `${n}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${(ls.period / ls.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    const e = event.toLowerCase();
    if (e === 'command') {
      if (cfg.slowlogSlowerThan < 0) add('slowlogEnabled');
      else if (Math.trunc(cfg.slowlogSlowerThan / 1000) > cfg.threshold) add('slowlogTuning');
      add('slowlogInspect', 'largeObjects');
    } else if (e === 'fast-command') add('scheduler');
    else if (e === 'expire-cycle') add('hz', 'largeObjects');
    else if (e === 'eviction-del') add('largeObjects');
    else if (e === 'eviction-cycle') add('massEviction');
    report += '\n';
  }
  if (n === 0 && advices === 0) {
    return `${report}Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n`;
  }
  if (advices === 0) {
    return `${report}\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n`;
  }
  report += '\nI have a few advices for you:\n\n';
  if (advise.has('slowlogEnabled')) report += ADVICE.slowlogEnabled(cfg.threshold);
  if (advise.has('slowlogTuning')) report += ADVICE.slowlogTuning(cfg.threshold);
  if (advise.has('slowlogInspect')) report += ADVICE.slowlogInspect;
  if (advise.has('scheduler')) report += ADVICE.scheduler;
  if (advise.has('hz') && cfg.hz < 100) report += ADVICE.hz;
  if (advise.has('largeObjects')) report += ADVICE.largeObjects;
  if (advise.has('massEviction')) report += ADVICE.massEviction;
  return report;
}

const GRAPH_COLS = 80;
const GRAPH_ROWS = 4;
const FILL = '_o#';

/** "12s", "3m", "2h", "1d": how long ago a sample was, as the graph labels it. */
function ago(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.trunc(elapsed / 3600)}h`;
  return `${Math.trunc(elapsed / 86400)}d`;
}

/** sparklineRenderRange with SPARKLINE_FILL: bars of `rows` lines, then the labels written downwards. */
function renderRange(values: number[], labels: string[], min: number, max: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = FILL.length * GRAPH_ROWS;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars: string[] = new Array(values.length).fill(' ');
    for (let j = 0; j < values.length; j++) {
      let step = Math.trunc(Math.trunc((values[j] - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < GRAPH_ROWS) {
        loop = true;
        const idx = step - (GRAPH_ROWS - row - 1) * FILL.length;
        if (idx >= 0 && idx < FILL.length) chars[j] = FILL[idx];
        else if (idx >= FILL.length) chars[j] = '|';
      } else if (row - GRAPH_ROWS < 1) {
        // (one blank line between the bars and the labels)
        loop = true;
        break;
      } else {
        const c = row - GRAPH_ROWS - 1;
        if (labels[j].length > c) {
          loop = true;
          chars[j] = labels[j][c];
        }
      }
    }
    if (!loop) return out;
    out += `${chars.join('')}\n`;
  }
}

/** latencyCommandGenSparkeline: the LATENCY GRAPH text of one event. */
export function latencyGraph(event: string, ts: LatencySeries, now: number): string {
  const used = ts.inOrder();
  let min = 0;
  let max = 0;
  used.forEach((s, i) => {
    if (i === 0 || s.latency > max) max = s.latency;
    if (i === 0 || s.latency < min) min = s.latency;
  });
  let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${'-'.repeat(GRAPH_COLS)}\n`;
  const values = used.map((s) => s.latency);
  const labels = used.map((s) => ago(now - s.time));
  for (let j = 0; j < values.length; j += GRAPH_COLS) {
    if (j !== 0) graph += '\n';
    graph += renderRange(values.slice(j, j + GRAPH_COLS), labels.slice(j, j + GRAPH_COLS), min, max);
  }
  return graph;
}
