// Differential tests of the IPv6 unicast forwarding structure (assembly/fib6.ts) against the naive
// reference trie (test/reference/trie-model.ts): seeded random IPv6 sets (realistic length mix, nested
// chains down to /128) and the real tier-1 IPv6 table. Covers the build at the threshold, churn while
// built (state flips, removals, new destinations, the default route), the free below a quarter of the
// threshold and the build again, the drop when a node allocation fails (test hook fib6FailAfter), exact
// finds, the multicast view's own structure (built from the threshold of view-1 destinations), and the
// memory per prefix. The debug invariants compare the structure with the trie at the first,
// middle and last address of every prefix.
import { describe, expect, it, beforeAll, afterEach } from 'vitest';
import { loadCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix, parsePrefixInto } from '../../src/address.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { mulberry32, randomPrefixes, probes, PrefixSet } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData } from '../helpers/data.js';
import { VIEW_U, VIEW_M, LIVE, HELD, churn, liveDefault, shrinkBelow } from '../helpers/fibchurn.js';

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });
afterEach(() => { core.x.fib6Threshold(0); core.x.fib6FailAfter(0); });


/** Loads a prefix set into a core IPv6 table and the reference; random states (mostly unicast-live). */
function buildBoth(set: PrefixSet, seed: number) {
  const table = new CoreTable(core, 6);
  const ref = new RefTrie(6);
  const rnd = mulberry32(seed ^ 0x5bd1e995);
  const idOf = new Map<RefDest, number>();
  for (let i = 0; i < set.count; i++) {
    const text = formatPrefix(6, set.keys, i * 4, set.lens[i]);
    const { destId } = table.ensureDest(text);
    const d = ref.insert(set.keys, i * 4, set.lens[i]);
    idOf.set(d, destId);
    const r = rnd() % 10;
    const state = r < 6 ? (VIEW_U | LIVE) : r < 7 ? (VIEW_M | LIVE) : r < 8 ? (VIEW_U | VIEW_M | LIVE) : r < 9 ? HELD : 0;
    d.state = state;
    table.setDestState(destId, state);
  }
  return { table, ref, idOf };
}

/** Batch and single view-0 lookups agree with the reference (and view 1 still with the trie walk). */
function agree(table: CoreTable, ref: RefTrie, idOf: Map<RefDest, number>, set: PrefixSet, seed: number, n: number,
  invariants = true) {
  if (invariants) expect(table.checkInvariants(), `seed ${seed}: invariants`).toBe(0);
  const addrs = probes(seed, set, n), out = new Int32Array(n), outM = new Int32Array(n);
  table.lookupBatch(addrs, out, 0);
  table.lookupBatch(addrs, outM, 1);
  for (let i = 0; i < n; i++) {
    const r = ref.lpm(addrs, i * 4, 128, VIEW_U);
    const want = r ? idOf.get(r)! : -1;
    const single = i % 7 === 0 ? table.lookup6(addrs, i * 4) : want;
    const rm = ref.lpm(addrs, i * 4, 128, VIEW_M);
    const wantM = rm ? idOf.get(rm)! : -1;
    if (out[i] !== want || single !== want || outM[i] !== wantM) {
      expect([out[i], single, outM[i]], `seed ${seed}: ${formatPrefix(6, addrs, i * 4, 128)} → ${r?.prefix}`)
        .toEqual([want, want, wantM]);
    }
  }
}

/** Exact finds (destFind asks the structure first) agree with the reference for every prefix of the set. */
function exactAgree(table: CoreTable, ref: RefTrie, idOf: Map<RefDest, number>, set: PrefixSet, step = 1) {
  for (let i = 0; i < set.count; i += step) {
    const text = formatPrefix(6, set.keys, i * 4, set.lens[i]);
    const r = ref.get(set.keys, i * 4, set.lens[i]);
    const got = table.findDest(text);
    if (got !== (r ? idOf.get(r) : undefined)) expect(got, `exact ${text}`).toBe(r ? idOf.get(r) : undefined);
  }
}

describe('IPv6 unicast forwarding structure (fib6.ts) against the reference', () => {
  it('is built at the threshold and follows state changes, removals, new destinations and the default route', () => {
    const set = randomPrefixes(61, 6, 30_000);
    const { table, ref, idOf } = buildBoth(set, 61);
    expect(table.destCount).toBeGreaterThanOrEqual(16_384);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    expect(core.x.tableHasFib(table.t)).toBe(0);   // the IPv4 structure's flag is its own
    agree(table, ref, idOf, set, 1, 20_000);
    exactAgree(table, ref, idOf, set, 3);
    const rnd = mulberry32(62);
    const dests = ref.ordered(0);
    for (let round = 0; round < 8; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 3_000, 500);
      expect(core.x.tableHasFib6(table.t, 0), `round ${round}`).toBe(1);
      agree(table, ref, idOf, set, 10 + round, 4_000, round % 3 === 0);
    }
    exactAgree(table, ref, idOf, set, 2);
    // the default route covers every miss once it is live, and leaves again
    const clearDefault = liveDefault({ table, ref, idOf }, '::/0');
    agree(table, ref, idOf, set, 40, 8_000);
    clearDefault();
    agree(table, ref, idOf, set, 41, 8_000);
    const bytes = core.x.fib6MemoryBytes() as number;
    expect(bytes).toBeGreaterThanOrEqual(5 * 65536);
    table.free();
    expect(core.x.fib6MemoryBytes()).toBeLessThan(bytes);   // the structure went back to the free lists
  });

  it('keeps deep prefixes (to /128) and nested chains exact from the first destination (threshold 1)', () => {
    core.x.fib6Threshold(1);
    const set = randomPrefixes(71, 6, 6_000, 120);   // 120 chains: every length 0..128 in steps of 1..4
    const { table, ref, idOf } = buildBoth(set, 71);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 2, 10_000);
    exactAgree(table, ref, idOf, set);
    const rnd = mulberry32(72);
    const dests = ref.ordered(0);
    for (let round = 0; round < 10; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 1_500, 400);
      agree(table, ref, idOf, set, 20 + round, 3_000);
    }
    exactAgree(table, ref, idOf, set);
    // remove everything: the structure is freed below a quarter of the threshold (1 → 0 destinations)
    for (const d of ref.ordered(0)) { table.removeDest(idOf.get(d)!); ref.remove(d); idOf.delete(d); }
    expect(table.destCount).toBe(0);
    agree(table, ref, idOf, set, 30, 2_000);
    table.free();
  });

  /** An IPv6 table with its structure from the first destination, 2001:db8::/32 in view 0, and its bytes now. */
  function underCover(): { table: CoreTable; bytes: () => number; base: number } {
    core.x.fib6Threshold(1);
    const table = new CoreTable(core, 6);
    const cover = table.ensureDest('2001:db8::/32').destId;
    table.setDestState(cover, VIEW_U | LIVE);
    const bytes = (): number => core.x.fib6TableBytesX(table.t, 0);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    return { table, bytes, base: bytes() };
  }

  it('sets one entry by editing its runs: a prefix added and taken away again leaves the structure as it was', () => {
    // the entries of a node are runs; a prefix ending on a node's bits (/40, /48, /56) changes one entry,
    // edited in place (fib6.ts setEntry / nodeFromLeaf): split from its run, merged into an equal neighbour
    // run, the node given back when one run is left. Entries first, last and inside a node, both levels.
    const { table, bytes, base } = underCover();
    const singles = ['2001:db8::/48', '2001:db8:80::/48', '2001:db8:ff::/48', '2001:db8:ff:ff00::/56',
      '2001:db8:1200::/40', '2001:db8:ff00::/40', '2001:db8:7f::/48'];
    for (const text of singles) {
      const d = table.ensureDest(text).destId;
      table.setDestState(d, VIEW_U | LIVE);
      expect(bytes(), `${text} added`).toBeGreaterThan(base);
      expect(table.checkInvariants(), `${text} added`).toBe(0);
      table.removeDest(d);
      expect(bytes(), `${text} taken away`).toBe(base);
      expect(table.checkInvariants(), `${text} taken away`).toBe(0);
    }
    // neighbours: three entries side by side, taken away middle first, then the others (runs merged both ways)
    const row = ['2001:db8:7f::/48', '2001:db8:80::/48', '2001:db8:81::/48'].map((text) => table.ensureDest(text).destId);
    for (const d of row) table.setDestState(d, VIEW_U | LIVE);
    const full = bytes();
    for (const d of [row[1], row[0], row[2]]) {
      table.removeDest(d);
      expect(table.checkInvariants()).toBe(0);
    }
    expect(bytes()).toBe(base);
    expect(full).toBeGreaterThan(base);
    table.free();
  });

  it('paints a span of entries by editing its runs: prefixes added and taken away again leave the structure as it was', () => {
    // a prefix between a node's bits (/36, /44, /52) paints a span of its entries (fib6.ts paintSpan): the runs
    // across the span's ends split, the nodes below it painted in place, equal leaf runs merged, the node
    // given back when one run is left. Spans at a node's start, end and inside, over a leaf and over nodes.
    const { table, bytes, base } = underCover();
    const key = new Uint32Array(4);
    const at = (addr: string): number => { parsePrefixInto(addr, 6, key); return table.lookup6(key); };
    const add = (text: string): number => {
      const d = table.ensureDest(text).destId;
      table.setDestState(d, VIEW_U | LIVE);
      expect(table.checkInvariants(), `${text} added`).toBe(0);
      return d;
    };
    const spans = ['2001:db8::/44', '2001:db8:f0::/44', '2001:db8:70::/44', '2001:db8:7000::/36', '2001:db8:f000::/36',
      '2001:db8:70:f000::/52', '2001:db8:70:0::/50', '2001:db8:70::/41'];
    for (const text of spans) {
      const d = add(text);
      expect(bytes(), `${text} added`).toBeGreaterThan(base);
      table.removeDest(d);
      expect(table.checkInvariants(), `${text} taken away`).toBe(0);
      expect(bytes(), `${text} taken away`).toBe(base);
    }
    // a span over nodes and runs already there: more specifics first, then the span, taken away in either order
    const inner = ['2001:db8:71::/48', '2001:db8:74::/46', '2001:db8:7f:8000::/49'];
    for (const order of [0, 1]) {
      const ds = inner.map(add);
      const withInner = bytes();
      const span = add('2001:db8:70::/44');
      expect(at('2001:db8:72::1')).toBe(span);
      expect(at('2001:db8:71::1')).toBe(ds[0]);
      if (order === 0) {
        table.removeDest(span);
        expect(bytes()).toBe(withInner);
        for (const d of ds) table.removeDest(d);
      } else {
        for (const d of ds) table.removeDest(d);
        expect(at('2001:db8:71::1')).toBe(span);
        table.removeDest(span);
      }
      expect(table.checkInvariants()).toBe(0);
      expect(bytes(), `order ${order}`).toBe(base);
    }
    table.free();
  });

  it('keeps a node in either form as its runs grow past a list node\'s 16 and shrink back, entry by entry and by spans', () => {
    // the /48s 2001:db8:N::/48 are entries N of one node (address byte 5): every other N makes 2 runs more,
    // so the node goes through every run count from 2 to 41 — list nodes up to 16 runs, bitmap nodes above
    // (fib6.ts writeNode) — then back in another order; /46 spans repaint four entries across the change.
    // At each step every N's address answers the /48, else the /46 over it, else the /32; the debug invariants
    // compare the structure with the trie walk; and the bytes only grow while runs are added.
    const { table, bytes, base } = underCover();
    const key = new Uint32Array(4);
    const at = (n: number, host: number): number => { parsePrefixInto(`2001:db8:${n.toString(16)}::${host.toString(16)}`, 6, key); return table.lookup6(key); };
    const cover = table.lookup6((parsePrefixInto('2001:db8::1', 6, key), key));
    const ids = new Map<number, number>();   // N → its /48; 1000 + N / 4 → the /46 over N
    const want = (n: number): number => ids.get(n) ?? ids.get(1000 + (n >> 2)) ?? cover;
    const check = (what: string): void => {
      expect(table.checkInvariants(), what).toBe(0);
      for (let n = 0; n < 48; n++) expect(at(n, 1 + n), `${what}: 2001:db8:${n.toString(16)}::`).toBe(want(n));
    };
    let last = base;
    for (let n = 0; n < 40; n += 2) {
      const d = table.ensureDest(`2001:db8:${n.toString(16)}::/48`).destId;
      table.setDestState(d, VIEW_U | LIVE);
      ids.set(n, d);
      check(`/48 ${n} added`);
      expect(bytes(), `/48 ${n} added`).toBeGreaterThanOrEqual(last);
      last = bytes();
    }
    // spans over runs of both kinds of node: 2001:db8:8::/46 covers entries 8..11 (two of them /48s)
    const spans = [8, 20, 36].map((n) => {
      const d = table.ensureDest(`2001:db8:${n.toString(16)}::/46`).destId;
      table.setDestState(d, VIEW_U | LIVE);
      ids.set(1000 + (n >> 2), d);
      check(`/46 ${n} added`);
      return d;
    });
    for (const n of [2, 38, 20, 0, 14, 36, 6, 30, 10, 26, 4, 34, 8, 22, 16, 18, 32, 12, 24, 28]) {
      table.removeDest(ids.get(n)!);
      ids.delete(n);
      check(`/48 ${n} taken away`);
    }
    for (const [i, d] of spans.entries()) {
      table.removeDest(d);
      ids.delete(1000 + ([8, 20, 36][i] >> 2));
      check(`/46 ${i} taken away`);
    }
    expect(bytes()).toBe(base);
    table.free();
  });

  it('is freed when the table shrinks below a quarter of the threshold, and built again at it', () => {
    core.x.fib6Threshold(4_000);
    const set = randomPrefixes(81, 6, 6_000);
    const { table, ref, idOf } = buildBoth(set, 81);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    const addBack = shrinkBelow({ table, ref, idOf }, 1_000);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(0);
    agree(table, ref, idOf, set, 50, 10_000);
    addBack();
    expect(table.destCount).toBeGreaterThanOrEqual(4_000);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 51, 10_000);
    table.free();
  });

  it('is dropped when memory runs out while kept in step or while built; lookups stay exact', () => {
    core.x.fib6Threshold(2_000);
    const set = randomPrefixes(91, 6, 5_000);
    const { table, ref, idOf } = buildBoth(set, 91);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    const rnd = mulberry32(92);
    const dests = ref.ordered(0);
    // fail a node allocation a few hundred allocations into the churn
    core.x.fib6FailAfter(300);
    for (let round = 0; round < 6 && core.x.tableHasFib6(table.t, 0) === 1; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 2_000, 300);
    }
    expect(core.x.tableHasFib6(table.t, 0), 'dropped after the failed allocation').toBe(0);
    agree(table, ref, idOf, set, 60, 10_000);
    exactAgree(table, ref, idOf, set, 2);
    table.free();
    // a build that runs out of memory leaves no structure, and the table answers from the trie
    core.x.fib6FailAfter(50);
    const b = buildBoth(set, 93);
    expect(core.x.tableHasFib6(b.table.t, 0)).toBe(0);
    agree(b.table, b.ref, b.idOf, set, 61, 10_000);
    b.table.free();
  });

  it('keeps a structure for the multicast view from the threshold of view-1 destinations, and frees it below', () => {
    core.x.fib6Threshold(2_000);
    const set = randomPrefixes(111, 6, 12_000, 30);
    const { table, ref, idOf } = buildBoth(set, 111);
    // about 20 % of the destinations qualify in view 1 (buildBoth's mix): over the threshold
    expect(core.x.tableHasFib6(table.t, 1)).toBe(1);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 5, 10_000);
    const rnd = mulberry32(112);
    const dests = ref.ordered(0);
    for (let round = 0; round < 6; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 2_000, 400);
      agree(table, ref, idOf, set, 70 + round, 3_000);
    }
    // take view 1 away from all but a few hundred destinations: the multicast structure is freed
    let kept = 0;
    for (const d of ref.ordered(VIEW_M)) {
      if (kept++ < 300) continue;
      d.state &= ~VIEW_M;
      table.setDestState(idOf.get(d)!, d.state);
    }
    expect(core.x.tableHasFib6(table.t, 1)).toBe(0);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 80, 5_000);
    // and give it back: built again at the threshold
    for (const d of ref.ordered(0)) {
      if ((d.state & VIEW_M) !== 0 || rnd() % 3 === 0) continue;
      d.state |= VIEW_M | LIVE;
      table.setDestState(idOf.get(d)!, d.state);
    }
    expect(core.x.tableHasFib6(table.t, 1)).toBe(1);
    agree(table, ref, idOf, set, 81, 5_000);
    // a failed allocation drops only the multicast view's structure when only it changes
    core.x.fib6FailAfter(1);
    for (const d of ref.ordered(VIEW_M)) {
      if ((d.state & VIEW_U) !== 0) continue;
      d.state &= ~VIEW_M;
      table.setDestState(idOf.get(d)!, d.state);
      if (core.x.tableHasFib6(table.t, 1) === 0) break;
    }
    expect(core.x.tableHasFib6(table.t, 1)).toBe(0);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 82, 5_000);
    table.free();
  });

  it('stays out of IPv4 tables and small IPv6 tables', () => {
    const small = randomPrefixes(95, 6, 3_000);
    const a = buildBoth(small, 95);
    expect(core.x.tableHasFib6(a.table.t, 0)).toBe(0);
    a.table.free();
    core.x.fib6Threshold(1);
    const v4 = new CoreTable(core, 4);
    v4.setDestState(v4.ensureDest('10.0.0.0/8').destId, VIEW_U | LIVE);
    expect(core.x.tableHasFib6(v4.t, 0)).toBe(0);
    expect(core.x.tableHasFib6(v4.t, 1)).toBe(0);
    v4.free();
  });

  it('agrees with the trie on the real tier-1 IPv6 table, well under 30 bytes per prefix', async (ctx) => {
    const file = dataFile('tier1-ipv6.txt.gz');
    if (!file) { console.warn(missingData('tier1-ipv6.txt.gz')); ctx.skip(); return; }
    const set = await readPrefixFile(file, 6);
    const { table, ref, idOf } = buildBoth(set, 101);
    expect(core.x.tableHasFib6(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 3, 60_000);
    exactAgree(table, ref, idOf, set, 5);
    const bytes = core.x.fib6TableBytesX(table.t, 0) as number;
    const perPrefix = bytes / table.destCount;
    console.log(`fib6: tier-1 IPv6 ${table.destCount} prefixes, structure ${(bytes / 1048576).toFixed(2)} MiB, ${perPrefix.toFixed(1)} B/prefix`);
    expect(perPrefix).toBeLessThan(30);
    const rnd = mulberry32(102);
    const dests = ref.ordered(0);
    churn({ table, ref, idOf }, dests, rnd, 0, 20_000, 5_000);
    churn({ table, ref, idOf }, dests, rnd, 1, 20_000, 0);
    agree(table, ref, idOf, set, 4, 30_000);
    table.free();
  }, 300_000);
});
