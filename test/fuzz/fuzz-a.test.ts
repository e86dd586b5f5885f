// The stateful fuzz harness (test/fuzz/harness.ts) on fixed seeds, part 1 of 2 (test/fuzz/seeds.ts):
// the WASM facade against the reference model over both layers and both families, hostile and forged
// input, re-entrant callbacks, capped memory. Deterministic: a failure replays with the printed command.
import { describe, expect, it } from 'vitest';
import { fuzz } from './harness.js';
import { CAMPAIGNS } from './seeds.js';

describe('fuzz: WASM facade against the reference model (part 1)', () => {
  it.each(CAMPAIGNS[0].map((c) => [c.seed, c.ops, c.cap ? 'capped memory' : 'uncapped', c] as const))(
    'seed %i, %i ops, %s', (_s, _o, _c, c) => {
      const r = fuzz(c);
      expect(r.ops).toBe(c.ops);
      expect(r.hostile).toBeGreaterThan(0);
      expect(r.rejected).toBeGreaterThan(0);
      if (c.cap) expect(r.outOfMemory, 'the cap made allocations fail').toBeGreaterThan(0);
    }, 300_000);
});
