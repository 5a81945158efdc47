// Shared by the benchmark parts that drive a real redis-server (b, d): a server's CPU time read from
// Linux /proc, and one redis-benchmark run (bounded in time, its stdout returned).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime + stime of a process (all its threads), in ms, or null (not Linux). 10 ms ticks. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU time of a process's main thread (the one that runs Redis's commands) in ns, from
 * /proc/<pid>/schedstat (nanosecond precision, where /proc/<pid>/stat counts 10 ms ticks), or null.
 */
export function mainThreadCpuNs(pid: number): number | null {
  try {
    const v = Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[0]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** One redis-benchmark run with these arguments: its stdout. Throws if it fails or hangs. */
export function runRedisBenchmark(args: string[], what: string, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.stderr.on('data', (d) => {
      err += d;
    });
    // redis-benchmark spins forever when the server goes away: bound every run.
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`redis-benchmark ${what} failed (${code ?? signal}): ${err.trim()}`));
      resolve(out);
    });
  });
}
