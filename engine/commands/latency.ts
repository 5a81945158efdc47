// LATENCY (src/latency.c latencyCommand): DOCTOR, GRAPH, HISTORY, LATEST, RESET over the latency
// monitor's events (engine/latency.ts, fed by the engine's per-call timing), and HISTOGRAM over the
// per-command latency histograms INFO latencystats reads too.

import type { Client } from '../client';
import type { Engine } from '../engine';
import { latencyNoSamples } from '../errors';
import { latencyGraph, latencyReport } from '../latency-report';
import { type Reply, array, bulk, EMPTY_ARRAY, int, map } from '../protocol/reply';
import { fail } from './args';
import { type CommandSpec, defineCommand } from './define';
import { helpSubcommand } from './help';

const FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];

/** time(NULL) as the monitor stamps samples. */
const nowSec = (e: Engine): number => Math.floor(e.clock.now() / 1000);

/**
 * The histogram_usec key of hdr_histogram's log-2 bucket k (fillCommandCDF: iteration from 1024 ns
 * doubling, reported as the bucket's highest equivalent value in µs: 1, 2, 4, 8, 16, 33, 66, 132...).
 */
function bucketKeyUsec(k: number): number {
  return Math.floor((1024 * 2 ** k + 2 ** (k + 3) - 1) / 1000);
}

/**
 * fillCommandCDF: {calls, histogram_usec: {µs: cumulative count}} from the engine's buckets (bucket 0
 * holds 0 µs, bucket b holds [2^(b-1), 2^b) µs).
 * LAB: a bucket is counted whole under the first Redis key at or above its largest value, so a call
 * of exactly 2^n µs shows one key later than Redis's nanosecond-precise histogram would put it.
 */
export function commandCdf(h: readonly number[]): Reply {
  const calls = h.reduce((a, b) => a + b, 0);
  const pairs: [Reply, Reply][] = [];
  let b = 0;
  let cumulative = 0;
  let previous = 0;
  for (let k = 0; cumulative < calls && k < 64; k++) {
    const limit = bucketKeyUsec(k);
    for (; b < h.length && (b === 0 ? 0 : 2 ** b - 1) <= limit; b++) cumulative += h[b];
    if (cumulative > previous) pairs.push([int(limit), int(cumulative)]);
    previous = cumulative;
  }
  return map([
    [bulk('calls'), int(calls)],
    [bulk('histogram_usec'), map(pairs)],
  ]);
}

/** lookupCommandBySds: "get" or "config|get"; a container brings its subcommands along. */
function histogramsFor(e: Engine, name: string): string[] {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return [];
  const top = e.table.lookup(parts[0]);
  const cmd = parts.length === 2 ? top?.subcommands?.get(parts[1]) : top;
  if (cmd === undefined) return [];
  const names = [cmd.fullname];
  if (cmd.subcommands) for (const sub of cmd.subcommands.values()) names.push(sub.fullname);
  return names;
}

/** LATENCY HISTOGRAM [command ...] */
function histogram(c: Client, argv: string[]): Reply {
  const e = c.engine;
  const names = argv.length === 2 ? [...e.stats.commands.keys()] : argv.slice(2).flatMap((n) => histogramsFor(e, n));
  const pairs: [Reply, Reply][] = [];
  for (const name of names) {
    const h = e.stats.commands.get(name)?.latency;
    if (h) pairs.push([bulk(name), commandCdf(h)]);
  }
  return map(pairs);
}

const SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'DOCTOR',
    group: 'server',
    arity: 2,
    flags: FLAGS,
    summary: 'Return a human readable latency analysis report.',
    complexity: 'O(1)',
    since: '2.8.13',
    tips: TIPS,
    /** LATENCY DOCTOR */
    exec(c): Reply {
      const e = c.engine;
      const cfg = {
        threshold: e.latencyThreshold,
        slowlogSlowerThan: e.config.getInt('slowlog-log-slower-than'),
        hz: e.config.getInt('hz'),
      };
      // LAB: RESP3 clients get a bulk string where Redis sends a verbatim string ("txt").
      return bulk(latencyReport(e.latency, cfg, nowSec(e)));
    },
  }),
  defineCommand({
    name: 'GRAPH',
    group: 'server',
    arity: 3,
    flags: FLAGS,
    summary: 'Return a latency graph for the event.',
    complexity: 'O(1)',
    since: '2.8.13',
    tips: TIPS,
    args: [{ name: 'event', type: 'string' }],
    /** LATENCY GRAPH event */
    exec(c, argv): Reply {
      const ts = c.engine.latency.events.get(argv[2]);
      if (ts === undefined) fail(latencyNoSamples(argv[2]));
      return bulk(latencyGraph(argv[2], ts, nowSec(c.engine)));
    },
  }),
  helpSubcommand('LATENCY', {
    group: 'server',
    since: '2.8.13',
    summary: 'Show helpful text about the different subcommands.',
    lines: [
      'DOCTOR',
      '    Return a human readable latency analysis report.',
      'GRAPH <event>',
      '    Return an ASCII latency graph for the <event> class.',
      'HISTORY <event>',
      '    Return time-latency samples for the <event> class.',
      'LATEST',
      '    Return the latest latency samples for all events.',
      'RESET [<event> ...]',
      '    Reset latency data of one or more <event> classes.',
      '    (default: reset all data for all event classes)',
      'HISTOGRAM [COMMAND ...]',
      '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
      '    If no commands are specified then all histograms are replied.',
    ],
  }),
  defineCommand({
    name: 'HISTOGRAM',
    group: 'server',
    arity: -2,
    flags: FLAGS,
    summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
    since: '7.0.0',
    tips: TIPS,
    args: [{ name: 'command', type: 'string', optional: true, multiple: true }],
    exec: histogram,
  }),
  defineCommand({
    name: 'HISTORY',
    group: 'server',
    arity: 3,
    flags: FLAGS,
    summary: 'Return timestamp-latency samples for the event.',
    complexity: 'O(1)',
    since: '2.8.13',
    tips: TIPS,
    args: [{ name: 'event', type: 'string' }],
    /** LATENCY HISTORY event */
    exec(c, argv): Reply {
      const ts = c.engine.latency.events.get(argv[2]);
      if (ts === undefined) return EMPTY_ARRAY;
      return array(ts.inOrder().map((s) => array([int(s.time), int(s.latency)])));
    },
  }),
  defineCommand({
    name: 'LATEST',
    group: 'server',
    arity: 2,
    flags: FLAGS,
    summary: 'Return the latest latency samples for all events.',
    complexity: 'O(1)',
    since: '2.8.13',
    tips: TIPS,
    /** LATENCY LATEST */
    exec(c): Reply {
      const out: Reply[] = [];
      for (const [event, ts] of c.engine.latency.events) {
        const last = ts.last();
        out.push(array([bulk(event), int(last.time), int(last.latency), int(ts.max)]));
      }
      return array(out);
    },
  }),
  defineCommand({
    name: 'RESET',
    group: 'server',
    arity: -2,
    flags: FLAGS,
    summary: 'Reset latency data for one or more events.',
    complexity: 'O(1)',
    since: '2.8.13',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    args: [{ name: 'event', type: 'string', optional: true, multiple: true }],
    /** LATENCY RESET [event ...] */
    exec(c, argv): Reply {
      const m = c.engine.latency;
      if (argv.length === 2) return int(m.reset(null));
      let n = 0;
      for (const event of argv.slice(2)) n += m.reset(event);
      return int(n);
    },
  }),
];

export const LATENCY = defineCommand({
  name: 'LATENCY',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for latency diagnostics commands',
  complexity: 'Depends on subcommand.',
  since: '2.8.13',
  subcommands: SUBCOMMANDS,
});
