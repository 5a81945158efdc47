// Every case in cases/*.redis, sent to real redis-server 7.0 and to our engine (through our TCP server
// and in-process); every reply must match. Results feed COMPATIBILITY.md.

import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { commandTable } from '../../engine/commands';
import { loadAllCases } from './cases';
import { type CaseResult, runCase } from './runner';
import { inProcessTarget, tcpTarget } from './targets';
import { RESULTS_DIR } from './compat-table';

const oracle = tcpTarget('redis', inject('redisPort'));
const lab = tcpTarget('lab-server', inject('labPort'));
const inproc = inProcessTarget();
const timer = setInterval(() => inproc.engine.cron(), 20);

/** "SET", or "CONFIG GET" for container commands; unknown names upper-cased as typed. */
export function commandName(argv: string[]): string {
  const cmd = commandTable.lookup(argv[0]);
  if (cmd?.subcommands && argv.length > 1) return `${argv[0]} ${argv[1]}`.toUpperCase();
  return argv[0].toUpperCase();
}

const cases = loadAllCases();
const results: CaseResult[] = [];
const byFile = new Map<string, typeof cases>();
for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

for (const [file, fileCases] of byFile) {
  describe(file, () => {
    for (const kase of fileCases) {
      it(`${kase.title} (line ${kase.line})`, async () => {
        const result = await runCase(kase, oracle, [lab, inproc], commandName);
        results.push(result);
        const mismatches = result.steps
          .filter((s) => !s.match)
          .map((s) => ({ line: s.line, command: s.text, redis: s.expected, ours: s.actual }));
        expect(mismatches).toEqual([]);
      });
    }
  });
}

afterAll(() => {
  clearInterval(timer);
  // A filtered run (CASES=...) must not overwrite the full results behind COMPATIBILITY.md.
  if (process.env.CASES) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}/results.json`, JSON.stringify(results, null, 1));
});
