// Differential tests of the core trie against the naive reference (test/reference/trie-model.ts):
// seeded random prefix sets of both families (realistic length mix, nested chains) and the real
// tier-1 tables. Insert all, compare exact / LPM (batch, 1M+ addresses) / less-specific chains /
// ordered walks (START, NEXT, RANGE) with state qualifiers, delete half, compare again; invariants are
// checked after every phase on the debug core.
import { describe, expect, it, beforeAll } from 'vitest';
import { loadCoreSync, createCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { Family, formatPrefix, parsePrefixInto } from '../../src/address.js';
import { RefTrie, RefDest, compareCanonical } from '../reference/trie-model.js';
import { mulberry32, randomPrefixes, probes, PrefixSet } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData } from '../helpers/data.js';
import { VIEW_U, VIEW_M, LIVE, HELD, churn, liveDefault, shrinkBelow } from '../helpers/fibchurn.js';

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });


/** Loads a prefix set into a core table and the reference; random state bits on each destination. */
function buildBoth(set: PrefixSet, seed: number) {
  const table = new CoreTable(core, set.family);
  const ref = new RefTrie(set.family);
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  const idOf = new Map<RefDest, number>();
  const words = new Uint32Array(4);
  for (let i = 0; i < set.count; i++) {
    const text = formatPrefix(set.family, set.keys, i * 4, set.lens[i]);
    const { destId } = table.ensureDest(text);
    const d = ref.insert(set.keys, i * 4, set.lens[i]);
    idOf.set(d, destId);
    // states: mostly unicast-live, some multicast-only, some held-only, some unpopulated
    const r = rnd() % 10;
    const state = r < 6 ? (VIEW_U | LIVE) : r < 7 ? (VIEW_M | LIVE) : r < 8 ? (VIEW_U | VIEW_M | LIVE) : r < 9 ? HELD : 0;
    d.state = state;
    table.setDestState(destId, state);
  }
  void words;
  return { table, ref, idOf };
}

function prefixOf(table: CoreTable, id: number | undefined): string | undefined {
  return id === undefined || id < 0 ? undefined : table.destPrefix(id);
}

const QUALS = [0, VIEW_U, VIEW_M, LIVE | HELD];

function compareAll(table: CoreTable, ref: RefTrie, idOf: Map<RefDest, number>, set: PrefixSet, seed: number, nProbes: number) {
  const tag = `family ${set.family}, seed ${seed}`;
  expect(table.checkInvariants(), tag).toBe(0);
  expect(table.destCount, tag).toBe(ref.size());
  const rnd = mulberry32(seed + 7);
  // exact matches (present and a view qualifier) for every inserted prefix, present or not
  for (let i = 0; i < set.count; i += 3) {
    const text = formatPrefix(set.family, set.keys, i * 4, set.lens[i]);
    const r = ref.get(set.keys, i * 4, set.lens[i]);
    const q = QUALS[i % QUALS.length];
    const want = r && RefTrie.qualifies(r, q) ? r : undefined;
    const got = table.findDest(text, q);
    if (got !== (want ? idOf.get(want) : undefined)) {
      expect(prefixOf(table, got), `${tag}: exact ${text} qual ${q}`).toBe(want?.prefix);
    }
  }
  // batch LPM in both views, against the reference
  const addrs = probes(seed, set, nProbes);
  const words = set.family === 4 ? 1 : 4;
  for (const view of [0, 1]) {
    const out = new Int32Array(nProbes);
    const hits = table.lookupBatch(addrs, out, view);
    let refHits = 0;
    const k = new Uint32Array(4);
    for (let i = 0; i < nProbes; i++) {
      for (let w = 0; w < words; w++) k[w] = addrs[i * words + w];
      const r = ref.lpm(k, 0, table.maxLen, 1 << view);
      if (r) refHits++;
      // ids first (cheap); the prefixes only to name a mismatch
      if (out[i] !== (r ? idOf.get(r) : -1)) {
        const got = out[i] < 0 ? undefined : table.destPrefix(out[i]);
        expect(got, `${tag}: lookupBatch view ${view} probe ${i} ${formatPrefix(set.family, k, 0, table.maxLen)}`).toBe(r?.prefix);
      }
    }
    expect(hits, `${tag}: hits view ${view}`).toBe(refHits);
  }
  // less-specific chains from sampled destinations, per qualifier
  const dests = ref.ordered(0);
  for (let s = 0; s < Math.min(300, dests.length); s++) {
    const d = dests[rnd() % dests.length];
    const q = QUALS[s % QUALS.length];
    let id: number | undefined = table.findDest(d.prefix);
    let r: RefDest | undefined = d;
    let steps = 0;
    while (r) {
      r = ref.lessSpecific(r, q);
      id = table.lessSpecific(id!, q);
      expect(prefixOf(table, id), `${tag}: lessSpecific chain from ${d.prefix} qual ${q} step ${steps}`).toBe(r?.prefix);
      steps++;
    }
  }
  // ordered iteration: START over everything, per qualifier
  for (const q of QUALS) {
    const got = table.all(q).map((id) => table.destPrefix(id));
    expect(got, `${tag}: ordered walk qual ${q}`).toEqual(ref.ordered(q).map((d) => d.prefix));
  }
  // RANGE under random prefixes and NEXT from random starts
  for (let s = 0; s < 40; s++) {
    const d = dests.length ? dests[rnd() % dests.length] : undefined;
    if (!d) break;
    const rl = Math.max(0, d.len - (rnd() % 12));
    const rw = Uint32Array.from(d.words);
    const rangeText = formatPrefix(set.family, rw, 0, rl);
    parsePrefixInto(rangeText, set.family, rw, 0);
    const q = QUALS[s % QUALS.length];
    const want = ref.ordered(q, { words: rw, len: rl }).map((x) => x.prefix);
    expect(table.all(q, rangeText).map((id) => table.destPrefix(id)), `${tag}: RANGE ${rangeText} qual ${q}`).toEqual(want);
    // NEXT from d (inclusive / exclusive), first batch of up to 50
    const all = ref.ordered(q);
    const at = all.findIndex((x) => x === d);
    const inclusive = (s & 1) === 0;
    let from = all.findIndex((x) => compareCanonical(x, d) >= (inclusive ? 0 : 1));
    if (from < 0) from = all.length;
    void at;
    const got = table.walk(d.prefix, { inclusive, qual: q, max: 50 }).map((id) => table.destPrefix(id));
    expect(got, `${tag}: NEXT ${d.prefix} inclusive ${inclusive} qual ${q}`).toEqual(all.slice(from, from + 50).map((x) => x.prefix));
  }
}


function deleteHalf(table: CoreTable, ref: RefTrie, seed: number) {
  const rnd = mulberry32(seed * 31 + 1);
  for (const d of ref.ordered(0)) {
    if ((rnd() & 1) === 0) continue;
    const id = table.findDest(d.prefix)!;
    table.removeDest(id);
    ref.remove(d);
  }
}

describe.each([4, 6] as Family[])('trie (IPv%i) against the reference model', (family) => {
  it.each([1, 2, 3])('agrees on random prefixes before and after deleting half (seed %i)', (seed) => {
    const set = randomPrefixes(seed, family, family === 4 ? 12_000 : 6_000);
    const { table, ref, idOf } = buildBoth(set, seed);
    compareAll(table, ref, idOf, set, seed, family === 4 ? 200_000 : 60_000);
    deleteHalf(table, ref, seed);
    compareAll(table, ref, idOf, set, seed + 100, family === 4 ? 200_000 : 60_000);
    table.free();
  });

  it('handles /0 and full-length prefixes', () => {
    const table = new CoreTable(core, family);
    const full = family === 4 ? '10.1.2.3/32' : '2001:db8::1/128';
    const def = family === 4 ? '0.0.0.0/0' : '::/0';
    const a = table.ensureDest(def).destId, b = table.ensureDest(full).destId;
    table.setDestState(a, VIEW_U | LIVE); table.setDestState(b, VIEW_U | LIVE);
    expect(table.destPrefix(table.lpm(full.split('/')[0], VIEW_U)!)).toBe(full);
    expect(table.destPrefix(table.lpm(family === 4 ? '10.1.2.4' : '2001:db8::2', VIEW_U)!)).toBe(def);
    expect(table.lessSpecific(b, VIEW_U)).toBe(a);
    expect(table.lessSpecific(a, VIEW_U)).toBeUndefined();
    expect(table.all().map((d) => table.destPrefix(d))).toEqual([def, full]);
    table.removeDest(a);
    expect(table.lpm(family === 4 ? '10.1.2.4' : '2001:db8::2', VIEW_U)).toBeUndefined();
    expect(table.checkInvariants()).toBe(0);
    table.free();
  });

  it('clears host bits on insert', () => {
    const table = new CoreTable(core, family);
    const { destId } = table.ensureDest(family === 4 ? '10.10.10.10/24' : '2001:db8::ffff/32');
    expect(table.destPrefix(destId)).toBe(family === 4 ? '10.10.10.0/24' : '2001:db8::/32');
    expect(table.ensureDest(family === 4 ? '10.10.10.0/24' : '2001:db8::/32')).toEqual({ destId, created: false });
    table.free();
  });
});

describe('trie on nested chains', () => {
  it('walks every length of one address in order and finds each by LPM', () => {
    for (const family of [4, 6] as Family[]) {
      const table = new CoreTable(core, family);
      const ref = new RefTrie(family);
      const max = family === 4 ? 32 : 128;
      const addr = family === 4 ? '203.0.113.77' : '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff';
      const w = new Uint32Array(4);
      for (let len = 0; len <= max; len++) {
        const text = `${addr}/${len}`;
        const id = table.ensureDest(text).destId;
        table.setDestState(id, VIEW_U | LIVE);
        parsePrefixInto(text, family, w, 0);
        ref.insert(w, 0, len).state = VIEW_U | LIVE;
      }
      expect(table.checkInvariants()).toBe(0);
      expect(table.all().map((d) => table.destPrefix(d))).toEqual(ref.ordered(0).map((d) => d.prefix));
      expect(table.destPrefix(table.lpm(addr, VIEW_U)!)).toBe(`${addr}/${max}`);
      // remove the odd lengths, then check LPM lands on the next even length below
      for (let len = 1; len <= max; len += 2) table.removeDest(table.findDest(`${addr}/${len}`)!);
      expect(table.checkInvariants()).toBe(0);
      expect(table.destCount).toBe(max / 2 + 1);
      expect(table.destPrefix(table.lpm(addr, VIEW_U)!)).toBe(`${addr}/${max}`);
      table.free();
    }
  });
});

describe('core input validation', () => {
  it('rejects bad families, lengths, tables and handles with a status, leaving the trie unchanged', () => {
    const x = core.x;
    expect(x.tableCreate(5, 3)).toBe(87);         // ERROR_INVALID_PARAMETER: unknown family
    expect(x.tableCreate(4, 0x4)).toBe(50);       // ERROR_NOT_SUPPORTED: view 2
    const table = new CoreTable(core, 4);
    for (const p of ['10.0.0.0/8', '10.1.0.0/16', '192.0.2.0/24']) table.setDestState(table.ensureDest(p).destId, VIEW_U | LIVE);
    const before = table.all().map((d) => table.destPrefix(d));
    const t = table.t;
    expect(x.destEnsureX(t, 33)).toBe(87);        // length beyond 32
    expect(x.destFindX(t, 200, 0)).toBe(87);
    expect(x.lpm(t, 33, 0)).toBe(87);
    expect(x.walk(t, 40, 1, 0, 255, 10)).toBe(87);
    expect(x.walk(t, 0, 1, 0, 33, 10)).toBe(87);  // range length beyond 32
    expect(x.walk(t, 0, 1, 0, 255, 1 << 20)).toBe(87);
    expect(x.lookupBatch(t, 1 << 20, 0)).toBe(87);
    expect(x.lookupBatch(t, 1, 7)).toBe(87);      // unknown view
    expect(x.destEnsureX(123456, 8)).toBe(6);     // ERROR_INVALID_HANDLE: no such table
    expect(x.destRemoveX(t, 999999)).toBe(6);     // no such destination
    expect(x.lessSpecific(t, 0xffffffff, 0)).toBe(6);
    // stale, forged and wrong-kind handles
    const id = table.findDest('192.0.2.0/24')!;
    const h = x.destHandle(t, id);
    expect(h).toBeGreaterThan(0);
    expect(x.destFromHandle(t, h)).toBe(0);
    for (const bad of [0, -1, NaN, Infinity, 2 ** 53, 1.5, h + 1, h - 1, h + 2 ** 49, h * 2]) {
      expect(x.destFromHandle(t, bad), `handle ${bad}`).toBe(6);
    }
    const other = new CoreTable(core, 4);
    expect(x.destFromHandle(other.t, h)).toBe(6); // a handle of another table
    expect(table.all().map((d) => table.destPrefix(d))).toEqual(before);
    expect(table.checkInvariants()).toBe(0);
    table.removeDest(id);
    expect(x.destFromHandle(t, h)).toBe(6);       // stale after removal
    const again = table.ensureDest('192.0.2.0/24').destId;
    expect(again).toBe(id);                       // the slot is reused...
    expect(x.destFromHandle(t, h)).toBe(6);       // ...but the old handle stays stale
    expect(x.destFromHandle(t, x.destHandle(t, again))).toBe(0);
    other.free();
    table.free();
    expect(x.destFindX(t, 8, 0)).toBe(6);         // freed table
    expect(() => table.findDest('10.0.0.0/8')).toThrow(/ERROR_INVALID_HANDLE/);
  });

  it('rejects malformed prefix text with ERROR_INVALID_PARAMETER', () => {
    const v4 = new CoreTable(core, 4), v6 = new CoreTable(core, 6);
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', '10.0.0.0/', 'x', '2001:db8::/32', '10.0.0.01/8']) {
      expect(() => v4.ensureDest(bad), bad).toThrow(/ERROR_INVALID_PARAMETER/);
    }
    for (const bad of ['2001:db8::/129', '2001:db8:::/32', '10.0.0.0/8', '1:2:3:4:5:6:7:8:9/64', 'g::/16']) {
      expect(() => v6.ensureDest(bad), bad).toThrow(/ERROR_INVALID_PARAMETER/);
    }
    expect(v4.destCount).toBe(0);
    expect(v6.destCount).toBe(0);
    v4.free(); v6.free();
  });
});

describe('unicast forwarding structure (IPv4 tables from 16,384 destinations)', () => {
  /** Batch LPM in view 0 and single lookups agree with the reference; the debug invariants compare the
   *  structure with the trie at the first, middle and last address of every prefix. */
  function agree(table: CoreTable, ref: RefTrie, idOf: Map<RefDest, number>, set: PrefixSet, seed: number, n: number) {
    expect(table.checkInvariants(), `seed ${seed}`).toBe(0);
    const addrs = probes(seed, set, n), out = new Int32Array(n), k = new Uint32Array(4);
    table.lookupBatch(addrs, out, 0);
    for (let i = 0; i < n; i++) {
      k[0] = addrs[i];
      const r = ref.lpm(k, 0, 32, VIEW_U);
      const want = r ? idOf.get(r)! : -1;
      if (out[i] !== want || table.lookup4(addrs[i]) !== want) {
        expect([out[i], table.lookup4(addrs[i])], `seed ${seed}: ${formatPrefix(4, k, 0, 32)} → ${r?.prefix}`).toEqual([want, want]);
      }
    }
  }

  it('is built at the threshold and follows state changes, removals and new destinations', () => {
    const set = randomPrefixes(91, 4, 40_000);
    const { table, ref, idOf } = buildBoth(set, 91);
    expect(core.x.tableHasFib(table.t)).toBe(1);
    agree(table, ref, idOf, set, 1, 100_000);
    const rnd = mulberry32(92);
    const dests = ref.ordered(0);
    for (let round = 0; round < 12; round++) {
      // flip the state of 3,000 destinations (short prefixes and chains included); remove 500, or add
      // the removed ones back as new destinations, every other round
      churn({ table, ref, idOf }, dests, rnd, round, 3_000, 500);
      agree(table, ref, idOf, set, 10 + round, 20_000);
    }
    // the default route covers every miss once it is live
    const clearDefault = liveDefault({ table, ref, idOf }, '0.0.0.0/0');
    agree(table, ref, idOf, set, 40, 20_000);
    clearDefault();
    agree(table, ref, idOf, set, 41, 20_000);
    const bytes = core.x.fibMemoryBytes() as number;
    expect(bytes).toBeGreaterThanOrEqual(256 * 1024);
    table.free();
    expect(core.x.fibMemoryBytes()).toBeLessThan(bytes);   // the structure went back to the free lists
  });

  it('is freed when the table shrinks below a quarter of the threshold, and built again at it', () => {
    const set = randomPrefixes(95, 4, 20_000);
    const { table, ref, idOf } = buildBoth(set, 95);
    expect(core.x.tableHasFib(table.t)).toBe(1);
    const addBack = shrinkBelow({ table, ref, idOf }, 4_096);
    expect(core.x.tableHasFib(table.t)).toBe(0);
    agree(table, ref, idOf, set, 50, 20_000);
    addBack();
    expect(table.destCount).toBeGreaterThanOrEqual(16_384);
    expect(core.x.tableHasFib(table.t)).toBe(1);
    agree(table, ref, idOf, set, 51, 20_000);
    table.free();
  });

  it('is not built for small or IPv6 tables', () => {
    const small = randomPrefixes(93, 4, 5_000);
    const { table } = buildBoth(small, 93);
    expect(core.x.tableHasFib(table.t)).toBe(0);
    table.free();
    const v6 = randomPrefixes(94, 6, 20_000);
    const b = buildBoth(v6, 94);
    expect(b.table.destCount).toBeGreaterThan(16_384);
    expect(core.x.tableHasFib(b.table.t)).toBe(0);
    b.table.free();
  });
});

describe('withdrawn prefixes announced again', () => {
  // A removal and the prefix's return: the next find and insertion may start from what the core remembers
  // (destFind's insertion start, IPv4 and IPv6; the parent hints of a fold: trie.ts trieUpParent), which
  // must hold for the table asked only. Two tables with the same prefixes share the node slab and the
  // caches: each prefix leaves B, then A, and comes back to A first or, every other prefix, to B first.
  // Tables below and above the forwarding structure's threshold (above it, an IPv6 find starts at a cover
  // the structure shows); the debug core asserts every parent hint and insertion start it uses.
  it.each([[4, 2_000], [4, 20_000], [6, 2_000], [6, 20_000]] as Array<[Family, number]>)(
    'comes back to either table first, the same as the reference (IPv%i, %i prefixes)', (family, n) => {
    const set = randomPrefixes(97 + n, family, n);
    const a = buildBoth(set, 97), b = buildBoth(set, 98);
    const rnd = mulberry32(99 + n);
    for (let round = 0; round < 4; round++) {
      const picked = a.ref.ordered(0).filter(() => rnd() % 5 === 0);
      const back: Array<[RefDest, RefDest]> = [];
      for (const d of picked) {
        const db = b.ref.get(d.words, 0, d.len);
        if (!db) continue;
        b.table.removeDest(b.idOf.get(db)!); b.ref.remove(db); b.idOf.delete(db);
        a.table.removeDest(a.idOf.get(d)!); a.ref.remove(d); a.idOf.delete(d);
        back.push([d, db]);
      }
      for (let i = 0; i < back.length; i++) {
        const [d, db] = back[i];
        for (const [side, was] of (i & 1 ? [[b, db], [a, d]] : [[a, d], [b, db]]) as Array<[typeof a, RefDest]>) {
          const again = side.ref.insert(was.words, 0, was.len);
          const { destId, created } = side.table.ensureDest(was.prefix);
          expect(created, was.prefix).toBe(true);
          again.state = was.state;
          side.table.setDestState(destId, again.state);
          side.idOf.set(again, destId);
        }
      }
      compareAll(a.table, a.ref, a.idOf, set, 100 + round, 20_000);
      compareAll(b.table, b.ref, b.idOf, set, 200 + round, 20_000);
    }
    a.table.free(); b.table.free();
  });
});

describe('linear memory growth', () => {
  it('keeps facade views valid while slabs grow, and lookups allocate nothing', () => {
    const table = new CoreTable(core, 4);
    const before = core.memoryBytes;
    const oldView = core.u32();
    const set = randomPrefixes(77, 4, 60_000);
    for (let i = 0; i < set.count; i++) table.setDestState(table.ensureDest(formatPrefix(4, set.keys, i * 4, set.lens[i])).destId, VIEW_U | LIVE);
    expect(core.memoryBytes).toBeGreaterThan(before);
    expect(oldView.byteLength).toBe(0);           // growth detached the old buffer...
    expect(core.u32() === oldView).toBe(false);   // ...and the facade rebuilt its view
    expect(table.destCount).toBeGreaterThan(50_000);
    // hot path: 10k lookups leave memory and the slabs flat
    const mem = core.memoryBytes, slabs = core.x.slabMemoryBytes();
    const addrs = probes(5, set, 10_000), out = new Int32Array(10_000);
    for (let i = 0; i < 10_000; i++) table.lookup4(addrs[i]);
    table.lookupBatch(addrs, out, 0);
    expect(core.memoryBytes).toBe(mem);
    expect(core.x.slabMemoryBytes()).toBe(slabs);
    table.free();
  });

  it('grows linear memory geometrically, not once per 16K-record chunk', () => {
    // every memory.grow makes V8 re-create the buffer and run a full GC of the JS heap, so the count of
    // grows while a table is built must stay logarithmic in its size
    const fresh = createCoreSync('debug');   // its own linear memory, in the initial state
    const table = new CoreTable(fresh, 4);
    // 960k: lean destination records (issue 13, 32 bytes), 16-byte IPv4 nodes (12 for a branch) and leaves
    // without a node need more of them than 300k (then 400k, 440k, 560k, 640k, 700k, 800k, 880k) to fill 40 MiB
    const set = randomPrefixes(78, 4, 960_000);
    const ids = new Int32Array(set.count);
    let buffer = fresh.x.memory.buffer, grows = 0;
    for (let i = 0; i < set.count; i += 2048) {
      const m = Math.min(2048, set.count - i);
      table.insertBatch(set.keys.subarray(i * 4), set.lens.subarray(i), m, ids.subarray(i));
      if (fresh.x.memory.buffer !== buffer) { grows++; buffer = fresh.x.memory.buffer; }
    }
    const chunkBytes = (fresh.x.slabMemoryBytes() as number);
    expect(table.destCount).toBeGreaterThan(330_000);
    // ~540k destinations and ~510k trie nodes fill about 65 chunks; the reserve takes a fraction of that
    expect(chunkBytes).toBeGreaterThan(40 * 2 ** 20);
    expect(grows).toBeGreaterThan(0);
    expect(grows).toBeLessThanOrEqual(20);
    // the spare pages stay under a quarter of what the slabs hold (plus the first reserve)
    expect(fresh.memoryBytes).toBeLessThan(chunkBytes * 1.25 + 16 * 2 ** 20);
    expect(table.checkInvariants()).toBe(0);
    table.free();
  });
});

// A whole Internet table against a naive model is minutes of work on a slow 2-core CI machine; the
// limit is there to catch a hang, not to time anything.
const REAL_TABLE_TIMEOUT_MS = 900_000;

describe('real tables', () => {
  const cases: [Family, string][] = [[4, 'tier1-ipv4.txt.gz'], [6, 'tier1-ipv6.txt.gz']];
  for (const [family, name] of cases) {
    const file = dataFile(name);
    it.skipIf(!file)(`${name}: insert all, LPM and walks agree with the reference, delete half ${file ? '' : missingData(name)}`, async () => {
      const set = await readPrefixFile(file!, family);
      const { table, ref, idOf } = buildBoth(set, 11);
      compareAll(table, ref, idOf, set, 11, family === 4 ? 1_000_000 : 200_000);
      deleteHalf(table, ref, 11);
      compareAll(table, ref, idOf, set, 12, family === 4 ? 250_000 : 100_000);
      table.free();
    }, REAL_TABLE_TIMEOUT_MS);
  }
});
