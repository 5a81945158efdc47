// INFO (src/server.c genRedisInfoString): every section of Redis 7.0.15 with its field names and
// order — server, clients, memory, persistence, stats, replication, cpu, modules, commandstats,
// errorstats, latencystats, cluster, keyspace — and `default`, `all`, `everything` selections.

import { REDIS_VERSION } from '../version';
import type { Engine } from '../engine';
import { bytesToHuman, memoryOverview } from '../keyspace/memory';
import { bulk, type Reply } from '../protocol/reply';
import { defineCommand } from './define';
import { infoFieldProviders } from './info-providers';
import { pubsubTotals } from './pubsub-core';
import { persistenceInfoFields } from '../persistence/info';
import { scriptCachesMemory, scriptingInfo } from '../scripting/context';

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'errorstats',
  'cluster',
  'keyspace',
];

const peaks = new WeakMap<Engine, number>();

/** %.2f as C prints it. */
const f2 = (n: number) => n.toFixed(2);

/** Lines of one section: [field, value] pairs, a provider overriding any field. */
function lines(engine: Engine, fields: [string, string | number][]): string {
  let out = '';
  for (const [k, v] of fields) {
    const p = infoFieldProviders.get(k);
    out += `${k}:${p ? p(engine) : v}\r\n`;
  }
  return out;
}

function serverSection(e: Engine): string {
  const uptime = Math.floor((e.now() - e.stats.startTime) / 1000);
  const hz = e.config.getInt('hz');
  return lines(e, [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', e.runId.slice(0, 15)],
    ['redis_mode', 'standalone'],
    // LAB: the engine runs in a JS runtime (browser worker or Node), not on a kernel of its own.
    ['os', 'RedisLab JS engine'],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', 1],
    ['process_supervised', 'no'],
    ['run_id', e.runId],
    ['tcp_port', e.config.getInt('port')],
    ['server_time_usec', e.clock.nowMicros()],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    ['lru_clock', e.lruClock()],
    ['executable', ''],
    ['config_file', ''],
    ['io_threads_active', 0],
  ]);
}

function clientsSection(e: Engine): string {
  let blocked = 0;
  for (const c of e.clients.values()) if (c.ext.blocked) blocked++;
  // Clients held by CLIENT PAUSE are blocked too (BLOCKED_POSTPONE).
  blocked += e.blocking.postponedCount;
  return lines(e, [
    ['connected_clients', e.clients.size],
    ['cluster_connections', 0],
    ['maxclients', e.config.getInt('maxclients')],
    ['client_recent_max_input_buffer', 20480],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', blocked],
    ['tracking_clients', e.tracking?.clients ?? 0],
    ['clients_in_timeout_table', e.blocking.timedCount],
  ]);
}

/** Peak used_memory (stat_peak_memory), raised whenever memory is looked at. */
export function peakMemory(e: Engine, used: number): number {
  const peak = Math.max(peaks.get(e) ?? 0, used);
  peaks.set(e, peak);
  return peak;
}

function memorySection(e: Engine): string {
  const m = memoryOverview(e);
  const peak = peakMemory(e, m.total);
  // LAB: RSS and allocator figures are modelled from used_memory (no process to measure).
  const rss = Math.round(m.total * 1.5);
  const maxmemory = Number(e.config.get('maxmemory'));
  const totalSystem = 25276510208;
  const caches = scriptCachesMemory(e);
  const counts = scriptingInfo(e);
  return lines(e, [
    ['used_memory', m.total],
    ['used_memory_human', bytesToHuman(m.total)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${f2((m.total * 100) / peak)}%`],
    ['used_memory_overhead', m.overhead],
    ['used_memory_startup', m.startup],
    ['used_memory_dataset', m.dataset],
    ['used_memory_dataset_perc', `${f2(m.total - m.startup > 0 ? (m.dataset * 100) / (m.total - m.startup) : 0)}%`],
    ['allocator_allocated', m.total],
    ['allocator_active', m.total],
    ['allocator_resident', rss],
    ['total_system_memory', totalSystem],
    ['total_system_memory_human', bytesToHuman(totalSystem)],
    // LAB: the Lua VMs' own heaps (lua_gc COUNT) are those of fresh interpreters.
    ['used_memory_lua', 32768],
    ['used_memory_vm_eval', 32768],
    ['used_memory_lua_human', '32.00K'],
    ['used_memory_scripts_eval', caches.eval],
    ['number_of_cached_scripts', counts.cachedScripts],
    ['number_of_functions', counts.functions],
    ['number_of_libraries', counts.libraries],
    ['used_memory_vm_functions', 33792],
    ['used_memory_vm_total', 66560],
    ['used_memory_vm_total_human', '65.00K'],
    ['used_memory_functions', caches.functions],
    ['used_memory_scripts', caches.eval + caches.functions],
    ['used_memory_scripts_human', bytesToHuman(caches.eval + caches.functions)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', e.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', f2(rss / m.total)],
    ['allocator_rss_bytes', rss - m.total],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', f2(rss / m.total)],
    ['mem_fragmentation_bytes', rss - m.total],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', m.clients],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'jemalloc-5.3.0'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ]);
}

function persistenceSection(e: Engine): string {
  return lines(e, persistenceInfoFields(e));
}

function statsSection(e: Engine): string {
  const s = e.stats;
  const ps = pubsubTotals(e);
  return lines(e, [
    ['total_connections_received', s.totalConnections],
    ['total_commands_processed', s.totalCommands],
    ['instantaneous_ops_per_sec', 0],
    ['total_net_input_bytes', s.totalNetInputBytes],
    ['total_net_output_bytes', s.totalNetOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', s.expiredKeys],
    ['expired_stale_perc', f2(s.expiredStalePerc * 100)],
    ['expired_time_cap_reached_count', s.expiredTimeCapReached],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', s.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', ps.channels],
    ['pubsub_patterns', ps.patterns],
    ['pubsubshard_channels', ps.shardChannels],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', e.tracking?.totalKeys ?? 0],
    ['tracking_total_items', e.tracking?.totalItems ?? 0],
    ['tracking_total_prefixes', e.tracking?.totalPrefixes ?? 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', s.totalCommands],
    ['total_writes_processed', s.totalCommands],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ]);
}

function replicationSection(e: Engine): string {
  const replid = e.runId.split('').reverse().join('');
  const fields: [string, string | number][] = [
    ['role', 'master'],
    ['connected_slaves', 0],
  ];
  const minSlaves = e.config.getInt('min-replicas-to-write');
  if (minSlaves && e.config.getInt('min-replicas-max-lag')) fields.push(['min_slaves_good_slaves', 0]);
  fields.push(
    ['master_failover_state', 'no-failover'],
    ['master_replid', replid],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', e.config.getInt('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  );
  return lines(e, fields);
}

function cpuSection(e: Engine): string {
  // LAB: CPU time is the time spent executing commands (no rusage in a JS runtime).
  let usec = 0;
  for (const s of e.stats.commands.values()) usec += s.usec;
  const t = (us: number) => `${Math.floor(us / 1e6)}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`;
  return lines(e, [
    ['used_cpu_sys', t(0)],
    ['used_cpu_user', t(usec)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', t(0)],
    ['used_cpu_user_main_thread', t(usec)],
  ]);
}

function commandstatsSection(e: Engine): string {
  let out = '';
  for (const [name, s] of e.stats.commands) {
    if (!s.calls && !s.failedCalls && !s.rejectedCalls) continue;
    const per = s.calls === 0 ? 0 : s.usec / s.calls;
    out += `cmdstat_${name}:calls=${s.calls},usec=${s.usec},usec_per_call=${f2(per)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}\r\n`;
  }
  return out;
}

function errorstatsSection(e: Engine): string {
  const codes = [...e.stats.errors.keys()].sort();
  let out = '';
  for (const code of codes) out += `errorstat_${code.replace(/[#:\n\r]/g, '_')}:count=${e.stats.errors.get(code)}\r\n`;
  return out;
}

/** fillPercentileDistributionLatencies over the power-of-two buckets the engine records. */
function latencystatsSection(e: Engine): string {
  if (!e.latencyTracking) return '';
  const percentiles = e.config
    .get('latency-tracking-info-percentiles')
    .split(' ')
    .filter((p) => p !== '');
  let out = '';
  for (const [name, s] of e.stats.commands) {
    const h = s.latency;
    if (!h) continue;
    const total = h.reduce((a, b) => a + b, 0);
    const parts = percentiles.map((p) => {
      const want = Math.max(1, Math.ceil((Number(p) / 100) * total));
      let seen = 0;
      let b = 0;
      for (; b < h.length; b++) {
        seen += h[b];
        if (seen >= want) break;
      }
      // LAB: the value is the bucket's upper bound (Redis reports hdr_histogram's finer estimate).
      return `p${p}=${(b === 0 ? 1 : 2 ** b).toFixed(3)}`;
    });
    out += `latency_percentiles_usec_${name}:${parts.join(',')}\r\n`;
  }
  return out;
}

function keyspaceSection(e: Engine): string {
  let out = '';
  for (const db of e.dbs) {
    if (db.size === 0 && db.expires.size === 0) continue;
    out += `db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.floor(db.avgTtl)}\r\n`;
  }
  return out;
}

const SECTIONS: [string, string, (e: Engine) => string][] = [
  ['server', 'Server', serverSection],
  ['clients', 'Clients', clientsSection],
  ['memory', 'Memory', memorySection],
  ['persistence', 'Persistence', persistenceSection],
  ['stats', 'Stats', statsSection],
  ['replication', 'Replication', replicationSection],
  ['cpu', 'CPU', cpuSection],
  ['module_list', 'Modules', () => ''],
  ['commandstats', 'Commandstats', commandstatsSection],
  ['errorstats', 'Errorstats', errorstatsSection],
  ['latencystats', 'Latencystats', latencystatsSection],
  ['cluster', 'Cluster', () => 'cluster_enabled:0\r\n'],
  ['keyspace', 'Keyspace', keyspaceSection],
];

/** genInfoSectionDict + genRedisInfoString. */
export function infoString(e: Engine, args: readonly string[]): string {
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) for (const s of DEFAULT_SECTIONS) wanted.add(s);
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
    else if (l === 'all' || l === 'everything') all = true;
    else wanted.add(l);
  }
  let out = '';
  let n = 0;
  for (const [key, title, gen] of SECTIONS) {
    if (!all && !wanted.has(key) && !(key === 'module_list' && wanted.has('modules'))) continue;
    if (n++) out += '\r\n';
    out += `# ${title}\r\n${gen(e)}`;
  }
  return out;
}

/** INFO [section ...] */
export const INFO = defineCommand({
  name: 'INFO',
  group: 'server',
  arity: -1,
  flags: ['loading', 'stale'],
  summary: 'Get information and statistics about the server',
  complexity: 'O(1)',
  since: '1.0.0',
  acl: ['dangerous'],
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  history: [['7.0.0', 'Added support for taking multiple section arguments.']],
  args: [{ name: 'section', type: 'string', optional: true, multiple: true }],
  // LAB: RESP3 clients get a plain bulk string where Redis sends a verbatim string ("txt").
  exec: (c, argv): Reply => bulk(infoString(c.engine, argv.slice(1))),
});
