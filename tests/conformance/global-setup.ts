// Vitest global setup for the conformance project: start real redis-server 7.0 (the oracle) and our
// server on free loopback ports; after every test, build COMPATIBILITY.md from the recorded results.

import type { TestProject } from 'vitest/node';
import { writeCompatibilityTable } from './compat-table';
import { TestConnection } from './connection';
import { redisServerVersion, startLabServer, startRealRedis } from './redis-process';

declare module 'vitest' {
  export interface ProvidedContext {
    redisPort: number;
    labPort: number;
    redisVersion: string;
  }
}

export default async function setup(project: TestProject) {
  const version = redisServerVersion();
  if (version === null) {
    throw new Error(
      'redis-server is not installed: `npm test` installs it with apt-get (Debian package redis-server).',
    );
  }
  const [real, lab] = await Promise.all([startRealRedis(), startLabServer()]);
  project.provide('redisPort', real.port);
  project.provide('labPort', lab.port);
  project.provide('redisVersion', version);
  return async () => {
    const redisCommands = await commandList(real.port);
    await Promise.all([real.stop(), lab.stop()]);
    writeCompatibilityTable(version, redisCommands);
  };
}

/** The real server's COMMAND LIST (what COMPATIBILITY.md checks our table against), or null. */
async function commandList(port: number): Promise<string[] | null> {
  try {
    const conn = await TestConnection.open(port);
    const r = await conn.call(['COMMAND', 'LIST']);
    conn.close();
    return r.t === 'array' && r.v !== null ? r.v.map((x) => (x.t === 'bulk' ? (x.v ?? '') : '')) : null;
  } catch {
    return null;
  }
}
