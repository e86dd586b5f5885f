// Differential tests of the IPv6 structure's batch lookup (assembly/fib6.ts fib6Batch: eight lanes in
// lockstep, branch-free, a lane at its leaf stepping through an empty node) against the naive reference
// trie: lanes that end at different depths in one group (level-1 misses, /0, /1, short prefixes, /127,
// /128 host routes fourteen nodes down), every group mask of deep lanes, batch lengths 0..17 at every
// offset (the tail after the last full group), both views, after churn, and after the structure is
// dropped for lack of memory (fib6FailAfter): every answer equals the reference and the single lookup.
import { describe, expect, it, beforeAll, afterEach } from 'vitest';
import { loadCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix } from '../../src/address.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { mulberry32, randomPrefixes, PrefixSet } from '../helpers/random.js';
import { VIEW_U, VIEW_M, LIVE, churn, Both } from '../helpers/fibchurn.js';

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });
afterEach(() => { core.x.fib6Threshold(0); core.x.fib6FailAfter(0); });

// the deep address: a chain of prefixes of it at every length 0..128 (host route /128 included)
const DEEP = [0x20010db8, 0x12345678, 0x9abcdef0, 0x0fedcba9];

/** Prefixes of DEEP at every length, then `extra` random ones; states cycle over the views. */
function buildChain(extra: number, seed: number): Both & { set: PrefixSet } {
  const rand = randomPrefixes(seed, 6, extra);
  const count = 129 + extra;
  const keys = new Uint32Array(count * 4), lens = new Uint8Array(count);
  for (let len = 0; len <= 128; len++) {
    for (let w = 0; w < 4; w++) {
      const keep = len - 32 * w;
      keys[len * 4 + w] = keep >= 32 ? DEEP[w] : keep <= 0 ? 0 : (DEEP[w] & (0xffffffff << (32 - keep))) >>> 0;
    }
    lens[len] = len;
  }
  keys.set(rand.keys, 129 * 4);
  lens.set(rand.lens, 129);
  const set: PrefixSet = { family: 6, keys, lens, count };
  const table = new CoreTable(core, 6);
  const ref = new RefTrie(6);
  const idOf = new Map<RefDest, number>();
  const states = [VIEW_U | LIVE, VIEW_U | VIEW_M | LIVE, VIEW_M | LIVE, VIEW_U | LIVE, 0];
  for (let i = 0; i < count; i++) {
    if (ref.get(keys, i * 4, lens[i])) continue;   // a random prefix may repeat one
    const { destId } = table.ensureDest(formatPrefix(6, keys, i * 4, lens[i]));
    const d = ref.insert(keys, i * 4, lens[i]);
    d.state = states[i % states.length];
    table.setDestState(destId, d.state);
    idOf.set(d, destId);
  }
  return { table, ref, idOf, set };
}

/**
 * Probe groups of eight for every mask of "deep" lanes (256 groups): a deep lane is DEEP itself or DEEP
 * with one low bit flipped (ends at /127, /128 or a shorter chain prefix); a shallow lane is a random
 * address (mostly a level-1 miss, or the /0 and /1), or one inside a random prefix of the set.
 */
function laneProbes(set: PrefixSet, seed: number): Uint32Array {
  const rnd = mulberry32(seed);
  const out = new Uint32Array(256 * 8 * 4);
  for (let g = 0; g < 256; g++) {
    for (let l = 0; l < 8; l++) {
      const o = (g * 8 + l) * 4;
      if ((g >> l) & 1) {
        out.set(DEEP, o);
        const bit = rnd() % 24;   // flip one of the last 24 bits (or none): ends at /104 .. /128
        if (bit < 23) out[o + 3] = (out[o + 3] ^ (1 << bit)) >>> 0;
      } else if (rnd() % 2 === 0) {
        for (let w = 0; w < 4; w++) out[o + w] = rnd() >>> 0;
      } else {
        const p = 129 + rnd() % (set.count - 129);
        for (let w = 0; w < 4; w++) {
          const keep = set.lens[p] - 32 * w, k = set.keys[p * 4 + w], v = rnd();
          out[o + w] = keep >= 32 ? k : keep <= 0 ? v >>> 0 : ((k & (0xffffffff << (32 - keep))) | (v & ~(0xffffffff << (32 - keep)))) >>> 0;
        }
      }
    }
  }
  return out;
}

/** The reference answer of address i of addrs in view `view` (core dest id or -1). */
function want(b: Both, addrs: Uint32Array, i: number, view: number): number {
  const r = b.ref.lpm(addrs, i * 4, 128, view === 0 ? VIEW_U : VIEW_M);
  return r ? b.idOf.get(r)! : -1;
}

/** Whole-batch, short-batch (lengths 0..17 at offsets 0..8) and single lookups agree with the reference. */
function agreeLanes(b: Both, addrs: Uint32Array, label: string) {
  const n = addrs.length / 4;
  for (const view of [0, 1]) {
    const out = new Int32Array(n);
    expect(b.table.lookupBatch(addrs, out, view)).toBe(out.filter((x) => x !== -1).length);
    for (let i = 0; i < n; i++) {
      const w = want(b, addrs, i, view);
      if (out[i] !== w) expect(out[i], `${label} view ${view}: ${formatPrefix(6, addrs, i * 4, 128)}`).toBe(w);
      if (view === 0 && i % 5 === 0) expect(b.table.lookup6(addrs, i * 4), `${label} single`).toBe(w);
    }
    for (let off = 0; off <= 8; off++) {
      for (let len = 0; len <= 17; len++) {
        const start = off * 61;   // different groups for each offset
        const sub = addrs.subarray((start + off) * 4, (start + off + len) * 4);
        const o = new Int32Array(len);
        b.table.lookupBatch(sub, o, view);
        for (let i = 0; i < len; i++) {
          if (o[i] !== out[start + off + i]) expect(o[i], `${label} view ${view}: batch of ${len} at ${start + off}, lane ${i}`).toBe(out[start + off + i]);
        }
      }
    }
  }
}

describe('IPv6 structure batch lookups (fib6Batch lanes) against the reference', () => {
  it('answers lanes of every depth mix, short batches and both views, after churn', () => {
    core.x.fib6Threshold(1);
    const b = buildChain(3_000, 131);
    expect(core.x.tableHasFib6(b.table.t, 0)).toBe(1);
    expect(core.x.tableHasFib6(b.table.t, 1)).toBe(1);
    expect(b.table.checkInvariants()).toBe(0);
    const addrs = laneProbes(b.set, 132);
    agreeLanes(b, addrs, 'built');
    // the /0 is live in view 0 (level-1 "misses" answer it), not in view 1 (they answer -1 there)
    const rnd = mulberry32(133);
    const dests = b.ref.ordered(0);
    for (let round = 0; round < 4; round++) {
      churn(b, dests, rnd, round, 800, 200);
      expect(core.x.tableHasFib6(b.table.t, 0), `round ${round}`).toBe(1);
      expect(b.table.checkInvariants(), `round ${round}`).toBe(0);
      agreeLanes(b, addrs, `round ${round}`);
    }
    b.table.free();
  });

  it('answers the same lanes from the trie once the structure is dropped for lack of memory', () => {
    core.x.fib6Threshold(1);
    const b = buildChain(2_000, 141);
    expect(core.x.tableHasFib6(b.table.t, 0)).toBe(1);
    const addrs = laneProbes(b.set, 142);
    agreeLanes(b, addrs, 'built');
    // the next node allocation fails (again after each drop, until the unicast structure went)
    const rnd = mulberry32(143);
    const dests = b.ref.ordered(0);
    for (let round = 0; round < 12 && core.x.tableHasFib6(b.table.t, 0) === 1; round++) {
      core.x.fib6FailAfter(1);
      churn(b, dests, rnd, round, 800, 200);
    }
    expect(core.x.tableHasFib6(b.table.t, 0), 'dropped').toBe(0);
    expect(b.table.checkInvariants()).toBe(0);
    agreeLanes(b, addrs, 'dropped');
    b.table.free();
  });
});
