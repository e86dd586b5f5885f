// The fixed seeds `npm test` fuzzes (test/fuzz/fuzz-*.test.ts): 120,000 operations in all, split into two
// files so that vitest runs them on two workers; four campaigns run with a capped core memory, two with the
// forwarding structures built from every table's first destination (`fib`), two with the campaign's
// registrations at indexes 8 and up (`high`). A failure names its seed and operation and replays with
// `npm run fuzz -- --ops <ops> --seed <seed> [--cap] [--fib] [--high]`.
import { describe, expect, it } from 'vitest';
import { fuzz } from './harness.js';

export interface Campaign { readonly seed: number; readonly ops: number; readonly cap?: boolean; readonly fib?: boolean; readonly high?: boolean }

export const CAMPAIGNS: readonly (readonly Campaign[])[] = [
  [{ seed: 1, ops: 12_000 }, { seed: 2, ops: 12_000 }, { seed: 3, ops: 12_000 }, { seed: 4, ops: 8_000, cap: true }, { seed: 5, ops: 6_000 },
    { seed: 11, ops: 6_000, fib: true }, { seed: 12, ops: 4_000, high: true }],
  [{ seed: 6, ops: 12_000 }, { seed: 7, ops: 12_000 }, { seed: 8, ops: 12_000 }, { seed: 9, ops: 8_000, cap: true }, { seed: 10, ops: 6_000 },
    { seed: 15, ops: 6_000, cap: true, fib: true }, { seed: 13, ops: 4_000, cap: true, high: true }],
];

/** The vitest suite of part `part` (0 or 1) of CAMPAIGNS. */
export function fuzzSuite(part: number): void {
  describe(`fuzz: WASM facade against the reference model (part ${part + 1})`, () => {
    it.each(CAMPAIGNS[part].map((c) => [c.seed, c.ops, `${c.cap ? 'capped memory' : 'uncapped'}${c.fib ? ', forwarding structures' : ''}${c.high ? ', registrations from index 8' : ''}`, c] as const))(
      'seed %i, %i ops, %s', (_s, _o, _c, c) => {
        const r = fuzz(c);
        expect(r.ops).toBe(c.ops);
        expect(r.hostile).toBeGreaterThan(0);
        expect(r.rejected).toBeGreaterThan(0);
        if (c.cap) expect(r.outOfMemory, 'the cap made allocations fail').toBeGreaterThan(0);
      }, 300_000);
  });
}
