// The batch lookup of the IPv4 unicast forwarding structure (assembly/fib.ts fibBatch: by levels, unrolled
// by four and eight, level 3 only for the entries that point there) against the naive reference trie and
// the single lookup (lookup4): batch sizes around the unrolling and the IO_BATCH_MAX split (0, 1..17,
// 4095..4097, several batches), batches whose addresses all end at level 1 or 2, batches of misses only,
// mixes of all levels, the other view (trie path), a live default route, and state churn in between.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix } from '../../src/address.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { mulberry32, randomPrefixes, probes, PrefixSet } from '../helpers/random.js';
import { VIEW_U, VIEW_M, LIVE, HELD, churn, liveDefault } from '../helpers/fibchurn.js';

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });
afterEach(() => { core.x.fibThreshold(0); });

/** An IPv4 table with its forwarding structure from the first destination, and the reference. */
function build(set: PrefixSet, seed: number) {
  core.x.fibThreshold(1);
  const table = new CoreTable(core, 4);
  const ref = new RefTrie(4);
  const idOf = new Map<RefDest, number>();
  const rnd = mulberry32(seed);
  for (let i = 0; i < set.count; i++) {
    const { destId } = table.ensureDest(formatPrefix(4, set.keys, i * 4, set.lens[i]));
    const d = ref.insert(set.keys, i * 4, set.lens[i]);
    idOf.set(d, destId);
    const r = rnd() % 10;
    d.state = r < 7 ? VIEW_U | LIVE : r < 8 ? VIEW_M | LIVE : r < 9 ? VIEW_U | VIEW_M | LIVE : HELD;
    table.setDestState(destId, d.state);
  }
  expect(core.x.tableHasFib(table.t)).toBe(1);
  return { table, ref, idOf };
}

/** lookupBatch of addrs in `view` against the reference (answers and hit count) and, in view 0, lookup4. */
function check(b: ReturnType<typeof build>, addrs: Uint32Array, view: number, tag: string): number {
  const n = addrs.length;
  const out = new Int32Array(n + 3).fill(-7);     // the words after n must stay as they were
  const hits = b.table.lookupBatch(addrs, out, view);
  const k = new Uint32Array(4);
  let want = 0;
  for (let i = 0; i < n; i++) {
    k[0] = addrs[i];
    const r = b.ref.lpm(k, 0, 32, 1 << view);
    const id = r ? b.idOf.get(r)! : -1;
    if (r) want++;
    const single = view === 0 ? b.table.lookup4(addrs[i]) : id;
    if (out[i] !== id || single !== id) {
      expect([out[i], single], `${tag}: view ${view} address ${i} of ${n} ${formatPrefix(4, k, 0, 32)} → ${r?.prefix}`).toEqual([id, id]);
    }
  }
  expect(hits, `${tag}: hits`).toBe(want);
  expect([...out.subarray(n)], `${tag}: out beyond n`).toEqual([-7, -7, -7]);
  return want;
}

/** Addresses of `pool` whose /24 holds no prefix longer than /24 of the set (their lookups end at level 1 or 2). */
function shallow(set: PrefixSet, pool: Uint32Array): Uint32Array {
  const deep = new Set<number>();
  for (let i = 0; i < set.count; i++) if (set.lens[i] > 24) deep.add(set.keys[i * 4] >>> 8);
  return pool.filter((a) => !deep.has(a >>> 8));
}

/** The prefixes of set of at least `min` bits. */
function longer(set: PrefixSet, min: number): PrefixSet {
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.lens[i] >= min) keep.push(i);
  const keys = new Uint32Array(keep.length * 4), lens = new Uint8Array(keep.length);
  keep.forEach((j, i) => { keys.set(set.keys.subarray(j * 4, j * 4 + 4), i * 4); lens[i] = set.lens[j]; });
  return { family: 4, keys, lens, count: keep.length };
}

describe('IPv4 forwarding structure: batch lookup (fibBatch)', () => {
  it('agrees with the reference and lookup4 for every batch size around the unrolling and the batch split', () => {
    const set = randomPrefixes(301, 4, 6_000);
    expect(set.lens.some((l) => l > 24)).toBe(true);           // level-3 chunks exist
    const b = build(set, 301);
    const all = probes(302, set, 3 * 4096 + 9);
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 4095, 4096, 4097, 3 * 4096 + 9];
    for (const n of sizes) for (const view of [0, 1]) check(b, all.subarray(0, n), view, `n ${n}`);
    // the same addresses at an odd offset (the batch starts mid-array)
    check(b, all.subarray(5, 5 + 4100), 0, 'offset 5');
    b.table.free();
  });

  it('answers batches that end at levels 1 and 2 only, batches of misses only, and mixes with level 3', () => {
    const set = longer(randomPrefixes(311, 4, 8_000), 12);   // no short covers: most random addresses miss
    const b = build(set, 311);
    const pool = probes(312, set, 60_000);
    const low = shallow(set, pool);
    expect(low.length).toBeGreaterThan(5_000);
    for (const n of [1, 3, 4, 7, 4096, 5_000]) check(b, low.subarray(0, n), 0, `levels 1-2, n ${n}`);
    // misses only (no live default route in this table)
    const k = new Uint32Array(4);
    const misses = pool.filter((a) => { k[0] = a; return b.ref.lpm(k, 0, 32, VIEW_U) === undefined; });
    expect(misses.length).toBeGreaterThan(100);
    for (const n of [1, 5, 100]) expect(check(b, misses.subarray(0, n), 0, `misses, n ${n}`)).toBe(0);
    // addresses inside the prefixes longer than /24 (level 3), alone and interleaved with the others
    const deep: number[] = [];
    const rnd = mulberry32(313);
    for (let i = 0; i < set.count && deep.length < 2_000; i++) {
      if (set.lens[i] <= 24) continue;
      const host = set.lens[i] === 32 ? 0 : rnd() & (0xffffffff >>> set.lens[i]);
      deep.push((set.keys[i * 4] | host) >>> 0);
    }
    expect(deep.length).toBeGreaterThan(10);
    check(b, Uint32Array.from(deep), 0, 'level 3 only');
    const mixed: number[] = [];
    for (let i = 0; i < 4_500; i++) mixed.push(i % 3 === 0 ? deep[i % deep.length] : i % 3 === 1 ? low[i] : misses[i % misses.length]);
    check(b, Uint32Array.from(mixed), 0, 'mixed');
    check(b, Uint32Array.from(mixed.slice(0, 6)), 0, 'mixed, n 6');
    b.table.free();
  });

  it('follows state churn and a live default route', () => {
    const set = randomPrefixes(321, 4, 8_000);
    const b = build(set, 321);
    const addrs = probes(322, set, 5_003);
    const rnd = mulberry32(323);
    const dests = b.ref.ordered(0);
    for (let round = 0; round < 4; round++) {
      churn(b, dests, rnd, round, 800, 200);
      check(b, addrs, 0, `churn round ${round}`);
    }
    const clearDefault = liveDefault(b, '0.0.0.0/0');
    expect(check(b, addrs, 0, 'default route')).toBe(addrs.length);
    clearDefault();
    check(b, addrs, 0, 'default route cleared');
    expect(b.table.checkInvariants()).toBe(0);
    void VIEW_M;
    b.table.free();
  });
});
