// Trie nodes by family (issue 13): an IPv4 table's nodes are 5-word records (one key word) in their own
// slab; an IPv6 table's are 6-word records (two key words) up to /64 and 8-word ones (four key words)
// beyond, each kind in a slab of its own; a leaf (a destination with nothing below it) has no node, its
// key lives in its record (IPv4) or in a 2-word key record (IPv6 up to /64). Checked on one debug core holding tables of both families at
// once: what memoryInUseBytes counts per node, whole keys read back through the destination (the IPv4
// key's words 1..3 and a short IPv6 node's words 2..3 are zero: nothing of a neighbouring record shows
// through), the less-specific, walk and LPM answers against the reference model while both tables churn,
// and the invariants (checkInvariants: a node of the other family's slab, or of the other IPv6 length
// class, is INV_NODE_SLAB).
import { describe, expect, it } from 'vitest';
import { createCoreSync } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix } from '../../src/address.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { mulberry32, randomPrefixes } from '../helpers/random.js';

const LIVE_U = 0x201;   // view 0 | DEST_S_LIVE

describe('trie nodes: 16 bytes for IPv4 (12 for a branch), 20 for IPv6 up to /64 (16 for a branch up to /57) and 32 beyond, one core', () => {
  it('memoryInUseBytes counts NODE4_WORDS per IPv4 node (NODE4B_WORDS per branch), NODE6_WORDS per short IPv6 node (NODE6B_WORDS per branch), NODE6L_WORDS per long one and KEY6_WORDS per IPv6 leaf longer than /32', () => {
    const core = createCoreSync('debug');
    const k = core.k, inUse = () => core.x.memoryInUseBytes() as number, longs = () => core.x.trieLongNodes() as number;
    const keys = () => core.x.trieKeyRecords() as number, branches = () => core.x.trieBranchNodes() as number;
    const branches6 = () => core.x.trieBranchNodes6() as number;
    expect(k.NODE4_WORDS).toBe(4);
    expect(k.NODE4B_WORDS).toBe(3);
    expect(k.NODE6_WORDS).toBe(5);
    expect(k.NODE6B_WORDS).toBe(4);
    expect(k.NODE6L_WORDS).toBe(8);
    expect(k.NODE6_SHORT_MAX).toBe(64);
    const base = inUse();
    const t4 = new CoreTable(core, 4);
    expect(inUse() - base).toBe((k.TABLE_WORDS + k.NODE4_WORDS) * 4);
    const t6 = new CoreTable(core, 6);
    expect(inUse() - base).toBe(2 * k.TABLE_WORDS * 4 + (k.NODE4_WORDS + k.NODE6_WORDS) * 4);
    // below the forwarding structures' thresholds: nodes and destination records only
    for (const [t, fam, words] of [[t4, 4, k.NODE4_WORDS], [t6, 6, k.NODE6_WORDS]] as const) {
      const before = inUse(), nodesBefore = t.nodeCount;
      const set = randomPrefixes(fam === 4 ? 41 : 42, fam, 3000);
      const ids = new Int32Array(set.count);
      t.insertBatch(set.keys, set.lens, set.count, ids, LIVE_U);
      // a destination with nothing below it is a leaf without a node (layout NODE_LEAF): fewer nodes than
      // destinations; an IPv6 leaf's key is a key record of its own (KEY6_WORDS), one per leaf longer than
      // KEY6_INLINE_MAX (32) bits (a shorter one keeps its key in its destination record)
      expect(t.nodeCount).toBeLessThan(t.destCount);
      // every prefix longer than /64 has a long node of its own; every other one a short node or a key record
      const distinct = new Set<string>();
      for (let i = 0; i < set.count; i++) distinct.add(`${set.keys.subarray(i * 4, i * 4 + 4).join('.')}/${set.lens[i]}`);
      const long = [...distinct].filter((p) => Number(p.split('/')[1]) > k.NODE6_SHORT_MAX).length;
      const made = t.nodeCount - nodesBefore, made6L = fam === 4 ? 0 : longs(), leaves6 = fam === 4 ? 0 : keys();
      // the nodes that hold no destination are branch nodes of NODE4B_WORDS (layout, IPv4 branch nodes) or,
      // IPv6, of NODE6B_WORDS when at most /57 (layout, IPv6 branch nodes)
      const br = fam === 4 ? branches() : branches6(), brWords = fam === 4 ? k.NODE4B_WORDS : k.NODE6B_WORDS;
      if (fam === 6) {
        expect(long).toBeGreaterThan(100);   // the set's nested chains run to /128
        expect(made6L).toBeGreaterThanOrEqual(long);
        // the leaves: prefixes of /1../64 with no other prefix of the set below them (inserts alone leave the
        // trie in its one shape); those longer than /32 have key records, the others none
        const pre = [...distinct].map((p) => { const [w, l] = p.split('/'); return { w: w.split('.').map(Number), len: Number(l) }; });
        const bit = (w: number[], i: number): number => (w[i >>> 5] >>> (31 - (i & 31))) & 1;
        const covers = (a: { w: number[]; len: number }, b: { w: number[]; len: number }): boolean => {
          if (b.len <= a.len) return false;
          for (let i = 0; i < a.len; i++) if (bit(a.w, i) !== bit(b.w, i)) return false;
          return true;
        };
        const leaves = pre.filter((a) => a.len >= 1 && a.len <= k.NODE6_SHORT_MAX && !pre.some((b) => covers(a, b)));
        const inline = leaves.filter((a) => a.len <= k.KEY6_INLINE_MAX).length;
        expect(k.KEY6_INLINE_MAX).toBe(32);
        expect(inline).toBeGreaterThan(50);
        expect(leaves6).toBe(leaves.length - inline);
        expect(leaves6).toBeGreaterThan(distinct.size / 3);
        expect(made - made6L + leaves.length).toBeGreaterThanOrEqual(distinct.size - long);
        // most short nodes branch
        expect(br).toBeGreaterThan((made - made6L) / 2);
        expect(br).toBeLessThan(made - made6L);
      } else {
        expect(longs() + keys() + branches6()).toBe(0);
        // most nodes branch (the others hold a destination with something below it)
        expect(br).toBeGreaterThan(made / 2);
        expect(br).toBeLessThan(made);
      }
      expect(inUse() - before).toBe((made - made6L - br) * words * 4 + br * brWords * 4 + made6L * k.NODE6L_WORDS * 4 +
        leaves6 * k.KEY6_WORDS * 4 + t.destCount * k.DEST_WORDS * 4);
      expect(t.checkInvariants()).toBe(0);
    }
    t4.free();
    t6.free();
    expect(longs() + keys() + branches() + branches6()).toBe(0);
    expect(inUse()).toBe(base);
  });

  it('IPv4 leaves: the trie keeps the one shape of its prefixes, whatever the order of inserts and removals', () => {
    // a destination with nothing below it has no node (layout NODE_LEAF): a node made for an insert below a
    // leaf must go again when that insert is undone, and two orders of the same prefixes give the same count
    const core = createCoreSync('debug');
    const set = randomPrefixes(61, 4, 6000);
    const half = 3000;
    const a = new CoreTable(core, 4), b = new CoreTable(core, 4);
    const ids = new Int32Array(set.count);
    a.insertBatch(set.keys, set.lens, half, ids, LIVE_U);
    const nodesHalf = a.nodeCount, destsHalf = a.destCount;
    expect(nodesHalf).toBeLessThan(destsHalf);
    const more = new Int32Array(set.count - half);
    a.insertBatch(set.keys.subarray(half * 4), set.lens.subarray(half), set.count - half, more, LIVE_U);
    expect(a.checkInvariants()).toBe(0);
    // the second half in reverse, then the first, into the other table: the same prefixes, the same nodes
    const rev = (from: number, to: number) => {
      for (let i = to - 1; i >= from; i--) b.insertBatch(set.keys.subarray(i * 4), set.lens.subarray(i), 1, new Int32Array(1), LIVE_U);
    };
    rev(half, set.count);
    rev(0, half);
    expect(b.destCount).toBe(a.destCount);
    expect(b.nodeCount).toBe(a.nodeCount);
    expect(b.checkInvariants()).toBe(0);
    // undo the second half (the ids of new destinations only: a prefix of both halves stays)
    const firstIds = new Set(ids.subarray(0, half));
    for (const d of new Set(more)) {
      if (firstIds.has(d)) continue;
      a.setDestState(d, 0);
      a.removeDest(d);
    }
    expect(a.destCount).toBe(destsHalf);
    expect(a.nodeCount).toBe(nodesHalf);
    expect(a.checkInvariants()).toBe(0);
    a.free();
    b.free();
  });

  it('whole keys of IPv4 destinations read back with words 1..3 zero; both families churn against the model', () => {
    const core = createCoreSync('debug');
    const rnd = mulberry32(7);
    const tables = [4, 6].map((fam) => {
      const set = randomPrefixes(fam === 4 ? 51 : 52, fam as 4 | 6, 4000);
      return { fam, set, t: new CoreTable(core, fam as 4 | 6), ref: new RefTrie(fam as 4 | 6), ids: new Map<number, number>(), refOf: new Map<number, RefDest>() };
    });
    const out = new Uint32Array(4);
    for (let round = 0; round < 4; round++) {
      // interleaved: the two node slabs grow and free side by side
      for (let i = 0; i < 4000; i++) {
        for (const s of tables) {
          if (rnd() % 4 !== 0 && round % 2 === 0) {
            if (s.ids.has(i)) continue;
            const text = formatPrefix(s.fam as 4 | 6, s.set.keys, i * 4, s.set.lens[i]);
            const { destId, created } = s.t.ensureDest(text);
            if (!created) continue;   // a duplicate prefix of the set
            s.t.setDestState(destId, LIVE_U);
            const d = s.ref.insert(s.set.keys, i * 4, s.set.lens[i]);
            d.state = LIVE_U;
            s.ids.set(i, destId);
            s.refOf.set(destId, d);
          } else if (round % 2 === 1 && s.ids.has(i) && rnd() % 2 === 0) {
            const destId = s.ids.get(i)!;
            s.t.setDestState(destId, 0);
            s.t.removeDest(destId);
            s.ref.remove(s.refOf.get(destId)!);
            s.ids.delete(i);
            s.refOf.delete(destId);
          }
        }
      }
      for (const s of tables) {
        expect(s.t.checkInvariants()).toBe(0);
        expect(s.t.destCount).toBe(s.ref.size());
        for (const [i, destId] of s.ids) {
          s.t.destKeyInto(destId, out);
          const len = s.set.lens[i];
          for (let w = 0; w < 4; w++) {
            const keep = len - 32 * w;
            const v = s.set.keys[i * 4 + w] >>> 0;
            const want = keep <= 0 ? 0 : keep >= 32 ? v : (v & (0xffffffff << (32 - keep))) >>> 0;
            expect(out[w]).toBe(want);
          }
          // the less-specific answer walks from the root with the destination's own key
          const cover = s.t.lessSpecific(destId);
          const refCover = s.ref.lessSpecific(s.refOf.get(destId)!, 0);
          expect(cover === undefined ? undefined : s.refOf.get(cover)).toBe(refCover ?? undefined);
        }
        // the ordered walk names the destinations the model holds, in its order
        const walked = s.t.all().map((id) => s.refOf.get(id));
        expect(walked).toEqual(s.ref.ordered(0));
      }
    }
    for (const s of tables) s.t.free();
  });
});
