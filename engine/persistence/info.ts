// INFO's "# Persistence" section as Redis 7.0.15 prints it (genRedisInfoString), from the engine's
// persistence state, plus the fork statistics of "# Stats" (latest_fork_usec, total_forks).

import { infoFieldProviders } from '../commands/info-providers';
import type { Engine } from '../engine';
import { persistenceOf } from './lifecycle';

/** The persistence section's fields, in order (the aof_* extras only when appendonly is yes). */
export function persistenceInfoFields(engine: Engine): [string, string | number][] {
  const p = persistenceOf(engine);
  const aof = p.aof;
  const unix = p.unixtime();
  const child = p.childKind();
  const fields: [string, string | number][] = [
    ['loading', engine.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', engine.dirty],
    ['rdb_bgsave_in_progress', child === 'rdb' ? 1 : 0],
    ['rdb_last_save_time', p.lastsave],
    ['rdb_last_bgsave_status', p.lastbgsaveStatus],
    ['rdb_last_bgsave_time_sec', p.rdbSaveTimeLast],
    ['rdb_current_bgsave_time_sec', child === 'rdb' ? unix - p.rdbSaveTimeStart : -1],
    ['rdb_saves', p.rdbSaves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', p.rdbLastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', p.rdbLastLoadKeysLoaded],
    ['aof_enabled', aof.state !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', child === 'aof' ? 1 : 0],
    ['aof_rewrite_scheduled', aof.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', aof.rewriteTimeLast],
    ['aof_current_rewrite_time_sec', child === 'aof' ? unix - aof.rewriteTimeStart : -1],
    ['aof_last_bgrewrite_status', aof.lastBgrewriteStatus],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', aof.consecutiveFailures],
    ['aof_last_write_status', aof.lastWriteStatus === 'ok' && aof.fsyncStatus === 'ok' ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (engine.config.getBool('appendonly')) {
    fields.push(
      ['aof_current_size', aof.currentSize],
      ['aof_base_size', aof.rewriteBaseSize],
      ['aof_pending_rewrite', aof.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', aof.bufferLength],
      ['aof_pending_bio_fsync', 0],
      ['aof_delayed_fsync', aof.delayedFsync],
    );
  }
  return fields;
}

/** INFO stats/memory fields owned by persistence (registered when persistence is installed). */
export function registerInfoProviders(): void {
  infoFieldProviders.set('latest_fork_usec', (e) => persistenceOf(e).latestForkUsec);
  infoFieldProviders.set('total_forks', (e) => persistenceOf(e).totalForks);
  infoFieldProviders.set('mem_aof_buffer', (e) => persistenceOf(e).aof.bufferLength);
}
