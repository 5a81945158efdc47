// What the lab prints after ":crash" or ":restart": the server's load report (what it found on the
// disk, what the crash lost) in a few plain lines, as the persistence lessons discuss it.

import type { RestartReport } from '../../engine/worker/protocol';

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
