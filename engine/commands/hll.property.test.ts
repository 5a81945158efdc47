// Property test of the HyperLogLog commands (hyperloglog.c): for random sets of distinct elements,
// PFCOUNT stays within Redis's error bound (standard error 1.04/sqrt(16384) = 0.81%), through the
// sparse and the dense representation, for a single key and for the union of several keys.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';

const SIGMA = 1.04 / Math.sqrt(16384);
/** Sizes are drawn log-uniformly in 1..200,000, so small (sparse) and large (dense) sets both occur. */
const sizeArb = fc
  .double({ min: 0, max: Math.log(200_000), noNaN: true })
  .map((x) => Math.max(1, Math.round(Math.exp(x))));

function setup() {
  const engine = createEngine({ clock: new ManualClock(), seed: 7 });
  const c = engine.createClient();
  const run = (argv: string[]) => engine.dispatch(c, argv) as Reply;
  return { run };
}

function count(r: Reply): number {
  if (r.t !== 'int') throw new Error(`PFCOUNT replied ${JSON.stringify(r)}`);
  return Number(r.v);
}

/** PFADD `n` distinct elements `<prefix>:<i>` (i from `from`) in batches of 1000. */
function addRange(run: (argv: string[]) => Reply, key: string, prefix: string, from: number, n: number): void {
  for (let i = 0; i < n; i += 1000) {
    const argv = ['PFADD', key];
    for (let j = i; j < Math.min(n, i + 1000); j++) argv.push(`${prefix}:${from + j}`);
    run(argv);
  }
}

/** |estimate - n| allowed: 5 standard errors, and never less than 1 (small sets count almost exactly). */
const bound = (n: number) => Math.max(1, 5 * SIGMA * n);

describe('PFCOUNT error bound on random sets', () => {
  it('stays within 5 standard errors for 1..200,000 distinct elements, mean error well under one sigma', () => {
    const errors: number[] = [];
    const largeErrors: number[] = [];
    fc.assert(
      fc.property(sizeArb, fc.string({ minLength: 1, maxLength: 12 }), (n, prefix) => {
        const { run } = setup();
        addRange(run, 'h', prefix, 0, n);
        const est = count(run(['PFCOUNT', 'h']));
        errors.push(Math.abs(est - n) / n);
        if (n >= 10_000) largeErrors.push(Math.abs(est - n) / n);
        expect(Math.abs(est - n)).toBeLessThanOrEqual(bound(n));
      }),
      { numRuns: 100, seed: 20240601 },
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
    // Reported for the record (figures in the test output).
    console.info(
      `HLL single-key: ${errors.length} runs, max rel. error ${pct(Math.max(...errors))}, mean ${pct(mean(errors))}; ` +
        `${largeErrors.length} runs of >= 10,000 elements: mean ${pct(mean(largeErrors))}`,
    );
    expect(largeErrors.length).toBeGreaterThan(10);
    // The mean absolute error of a normal estimate is 0.8 sigma; allow up to one sigma.
    expect(mean(largeErrors)).toBeLessThan(SIGMA);
  }, 120_000);

  it('counts the union of overlapping sets (PFCOUNT of several keys and PFMERGE) within the bound', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, overlap) => {
        const { run } = setup();
        // Key x holds elements 0..a-1, key y holds elements start..start+b-1 of the same prefix.
        const start = Math.round(a * (1 - overlap));
        addRange(run, 'x', 'e', 0, a);
        addRange(run, 'y', 'e', start, b);
        const union = Math.max(a, start + b);
        const est = count(run(['PFCOUNT', 'x', 'y']));
        expect(Math.abs(est - union)).toBeLessThanOrEqual(bound(union));
        run(['PFMERGE', 'u', 'x', 'y']);
        expect(count(run(['PFCOUNT', 'u']))).toBe(est);
      }),
      { numRuns: 25, seed: 777 },
    );
  }, 120_000);

  it('does not move when elements already counted are added again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), (n) => {
        const { run } = setup();
        addRange(run, 'h', 'r', 0, n);
        const first = count(run(['PFCOUNT', 'h']));
        addRange(run, 'h', 'r', 0, n);
        expect(count(run(['PFCOUNT', 'h']))).toBe(first);
      }),
      { numRuns: 15, seed: 99 },
    );
  }, 60_000);
});
