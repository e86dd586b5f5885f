// The fixed seeds `npm test` fuzzes (test/fuzz/fuzz-*.test.ts): 100,000 operations in all, split into two
// files so that vitest runs them on two workers; two campaigns run with a capped core memory. A failure
// names its seed and operation and replays with `npm run fuzz -- --ops <ops> --seed <seed> [--cap]`.
import { describe, expect, it } from 'vitest';
import { fuzz } from './harness.js';

export interface Campaign { readonly seed: number; readonly ops: number; readonly cap?: boolean }

export const CAMPAIGNS: readonly (readonly Campaign[])[] = [
  [{ seed: 1, ops: 12_000 }, { seed: 2, ops: 12_000 }, { seed: 3, ops: 12_000 }, { seed: 4, ops: 8_000, cap: true }, { seed: 5, ops: 6_000 }],
  [{ seed: 6, ops: 12_000 }, { seed: 7, ops: 12_000 }, { seed: 8, ops: 12_000 }, { seed: 9, ops: 8_000, cap: true }, { seed: 10, ops: 6_000 }],
];

/** The vitest suite of part `part` (0 or 1) of CAMPAIGNS. */
export function fuzzSuite(part: number): void {
  describe(`fuzz: WASM facade against the reference model (part ${part + 1})`, () => {
    it.each(CAMPAIGNS[part].map((c) => [c.seed, c.ops, c.cap ? 'capped memory' : 'uncapped', c] as const))(
      'seed %i, %i ops, %s', (_s, _o, _c, c) => {
        const r = fuzz(c);
        expect(r.ops).toBe(c.ops);
        expect(r.hostile).toBeGreaterThan(0);
        expect(r.rejected).toBeGreaterThan(0);
        if (c.cap) expect(r.outOfMemory, 'the cap made allocations fail').toBeGreaterThan(0);
      }, 300_000);
  });
}
