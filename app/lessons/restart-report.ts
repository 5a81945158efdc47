// What the lab prints after ":crash" or ":restart": the server's load report (what it found on the
// disk, what the crash lost) in a few plain lines, as the persistence lessons discuss it.

import type { RestartReport, StorageStatus } from '../../engine/worker/protocol';

export type RestartKind = 'kill' | 'power' | 'restart';

const WHAT: Readonly<Record<RestartKind, string>> = {
  kill: 'the server process was killed (the OS page cache survived)',
  power: 'the power was cut (only fsynced bytes survived)',
  restart: 'the server shut down cleanly',
};

/** Accepts the engine's LoadReport as well (it has these fields). */
export function describeRestart(kind: RestartKind, report: RestartReport): string {
  const lines = [`(lab) ${WHAT[kind]} and started again.`];
  if (!report.ok) lines.push('(lab) the server refused to start: see its log');
  if (report.source === 'aof') lines.push(`(lab) replayed ${report.commands} commands from the AOF.`);
  else if (report.source === 'rdb') lines.push(`(lab) loaded ${report.keysLoaded} keys from the RDB snapshot.`);
  else lines.push('(lab) found no RDB or AOF file: the server starts empty.');
  const crash = kind === 'restart' ? null : report.crash;
  const lost = crash?.lost.filter((l) => l.bytes > 0) ?? [];
  for (const l of lost) {
    const cmds = l.commands > 0 ? `, ${l.commands} commands` : '';
    lines.push(`(lab) lost ${l.bytes} bytes of ${l.path} that never reached the disk${cmds}.`);
  }
  if (crash && report.source !== 'aof' && crash.changesSinceSave > 0) {
    lines.push(`(lab) ${crash.changesSinceSave} changes since the last snapshot were lost.`);
  }
  if (report.truncatedBytes > 0)
    lines.push(`(lab) a truncated AOF tail of ${report.truncatedBytes} bytes was dropped.`);
  return `${lines.join('\n')}\n`;
}

/** What ":load-rdb <name>" prints: the snapshot copied in, and what the restarted server loaded. */
export function describeLoadRdb(name: string, report: RestartReport): string {
  const lines = [`(lab) '${name}' copied in as the RDB file; the server restarted.`];
  if (!report.ok) lines.push('(lab) the server refused to start: see its log');
  else if (report.source === 'rdb') lines.push(`(lab) loaded ${report.keysLoaded} keys from the RDB snapshot.`);
  else if (report.source === 'aof')
    lines.push('(lab) the AOF is on, so the server loaded the AOF instead (CONFIG SET appendonly no first).');
  else lines.push('(lab) the server found nothing to load.');
  return `${lines.join('\n')}\n`;
}

const WHERE: Readonly<Record<StorageStatus['kind'], string>> = {
  opfs: 'saved in this browser (OPFS)',
  idb: 'saved in this browser (IndexedDB)',
  memory: 'kept in memory only: a reload loses it',
};

const SHORT: Readonly<Record<StorageStatus['kind'], string>> = {
  opfs: 'saved (OPFS)',
  idb: 'saved (IndexedDB)',
  memory: 'memory only',
};

/** Where the lab's data lives: the toolbar's short label and its longer description. */
export function storageLabel(status: StorageStatus, short = false): string {
  return (short ? SHORT : WHERE)[status.kind];
}

/**
 * What the first terminal prints when the page starts on files an earlier page left (a reload or a
 * browser restart), or when the lab cannot save: the server's start-up log, as redis-server prints
 * "DB loaded from disk", and what a reload means. Empty on a first visit with working storage.
 */
export function describeStartup(status: StorageStatus): string {
  const lines: string[] = [];
  if (status.note !== null && status.kind === 'memory') lines.push(`(lab) ${status.note}.`);
  const r = status.startup;
  if (r !== null) {
    lines.push(`(lab) the server started again on the data ${WHERE[status.kind]}.`);
    lines.push('(lab) a reload or a closed tab is a power cut for the server: only what was fsynced survives.');
    const kept = Object.entries(r.settings).map(([k, v]) => `${k} ${v === '' ? '""' : v}`);
    if (kept.length > 0) lines.push(`(lab) settings kept in redis-lab.conf: ${kept.join(', ')}.`);
    for (const l of r.log) lines.push(`(server) ${l}`);
    if (!r.ok) lines.push('(lab) the server refused to start: see its log');
    else if (r.source === 'aof') lines.push(`(lab) replayed ${r.commands} commands from the AOF.`);
    else if (r.source === 'rdb') lines.push(`(lab) loaded ${r.keysLoaded} keys from the RDB snapshot.`);
    else lines.push('(lab) found no RDB or AOF file: the server starts empty.');
    if (r.truncatedBytes > 0) lines.push(`(lab) a truncated AOF tail of ${r.truncatedBytes} bytes was dropped.`);
  }
  if (status.error !== null) lines.push(`(lab) ${status.error}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
