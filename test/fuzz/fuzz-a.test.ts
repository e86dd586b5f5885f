// The stateful fuzz harness (test/fuzz/harness.ts) on fixed seeds, part 1 of 2 (test/fuzz/seeds.ts):
// the WASM facade against the reference model over both layers and both families, hostile and forged
// input, re-entrant callbacks, capped memory. Deterministic: a failure replays with the printed command.
import { fuzzSuite } from './seeds.js';

fuzzSuite(0);
