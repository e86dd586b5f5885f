// The IPv4 forwarding structure of the multicast view (assembly/fib.ts, TABLE_FIBM): built when the
// threshold of view-1 destinations is reached (TABLE_MDESTS, test hook fibThreshold), freed below a
// quarter, built again, kept in step under churn (state flips, removals, new destinations), dropped alone
// when a chunk allocation fails (test hook fibFailAfter), freed with the table. Core level against the
// naive reference trie (test/reference/trie-model.ts); public API (lookupId, lookupBatch, lookup in view 1)
// against the RTMv2 reference model (test/reference/model.ts) while routes move between views, are
// deleted and re-added, and held down. The debug invariants compare both views' structures with the trie
// walk of their view at the first, middle and last address of every prefix, and recount TABLE_MDESTS.
import { describe, expect, it, beforeAll, afterEach } from 'vitest';
import { loadCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix } from '../../src/address.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { createModel } from '../reference/model.js';
import { mulberry32, randomPrefixes, probes, PrefixSet } from '../helpers/random.js';
import { VIEW_U, VIEW_M, LIVE, HELD, churn, shrinkBelow } from '../helpers/fibchurn.js';
import { make, privateCore } from '../helpers/privatecore.js';
import type { EntityLike, RouteHandle } from '../../src/types.js';
import { RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });
afterEach(() => { core.x.fibThreshold(0); core.x.fibFailAfter(0); });

/** Loads a prefix set into a core IPv4 table and the reference; ~40 % of the destinations qualify in view 1. */
function buildBoth(set: PrefixSet, seed: number) {
  const table = new CoreTable(core, 4);
  const ref = new RefTrie(4);
  const rnd = mulberry32(seed ^ 0x2545f491);
  const idOf = new Map<RefDest, number>();
  for (let i = 0; i < set.count; i++) {
    const { destId } = table.ensureDest(formatPrefix(4, set.keys, i * 4, set.lens[i]));
    const d = ref.insert(set.keys, i * 4, set.lens[i]);
    idOf.set(d, destId);
    const r = rnd() % 10;
    const state = r < 4 ? (VIEW_U | LIVE) : r < 6 ? (VIEW_M | LIVE) : r < 8 ? (VIEW_U | VIEW_M | LIVE) : r < 9 ? HELD : 0;
    d.state = state;
    table.setDestState(destId, state);
  }
  return { table, ref, idOf };
}

/** Batch and single lookups in both views agree with the reference; the invariants hold. */
function agree(table: CoreTable, ref: RefTrie, idOf: Map<RefDest, number>, set: PrefixSet, seed: number, n: number) {
  expect(table.checkInvariants(), `seed ${seed}: invariants`).toBe(0);
  expect(core.x.tableMulticastDests(table.t), `seed ${seed}: view-1 count`).toBe(ref.ordered(VIEW_M).length);
  const addrs = probes(seed, set, n), k = new Uint32Array(4);
  for (const view of [0, 1]) {
    const out = new Int32Array(n);
    table.lookupBatch(addrs, out, view);
    for (let i = 0; i < n; i++) {
      k[0] = addrs[i];
      const r = ref.lpm(k, 0, 32, 1 << view);
      const want = r ? idOf.get(r)! : -1;
      const single = table.lookup4(addrs[i], view);
      if (out[i] !== want || single !== want) {
        expect([out[i], single], `seed ${seed} view ${view}: ${formatPrefix(4, k, 0, 32)} → ${r?.prefix}`).toEqual([want, want]);
      }
    }
  }
}

describe('IPv4 multicast-view forwarding structure (fib.ts TABLE_FIBM) against the reference trie', () => {
  it('is built at the threshold of view-1 destinations, follows churn, is freed below a quarter and built again', () => {
    core.x.fibThreshold(2_000);
    const set = randomPrefixes(211, 4, 9_000);
    const { table, ref, idOf } = buildBoth(set, 211);
    expect(core.x.tableHasFib4(table.t, 0)).toBe(1);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    agree(table, ref, idOf, set, 1, 10_000);
    const rnd = mulberry32(212);
    const dests = ref.ordered(0);
    for (let round = 0; round < 6; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 2_000, 400);
      agree(table, ref, idOf, set, 10 + round, 4_000);
    }
    // take view 1 away from all but a few hundred destinations: only the multicast structure is freed
    let kept = 0;
    for (const d of ref.ordered(VIEW_M)) {
      if (kept++ < 300) continue;
      d.state &= ~VIEW_M;
      table.setDestState(idOf.get(d)!, d.state);
    }
    expect(core.x.tableHasFib4(table.t, 1)).toBe(0);
    expect(core.x.tableHasFib4(table.t, 0)).toBe(1);
    agree(table, ref, idOf, set, 20, 5_000);
    // and give it back: built again when the count reaches the threshold
    for (const d of ref.ordered(0)) {
      if ((d.state & VIEW_M) !== 0 || rnd() % 3 === 0) continue;
      d.state |= VIEW_M | LIVE;
      table.setDestState(idOf.get(d)!, d.state);
    }
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    agree(table, ref, idOf, set, 21, 5_000);
    // a table shrinking below a quarter frees both; growing back builds both
    const addBack = shrinkBelow({ table, ref, idOf }, 400);
    expect(core.x.tableHasFib4(table.t, 0)).toBe(0);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(0);
    agree(table, ref, idOf, set, 22, 5_000);
    addBack();   // every prefix back, live in the unicast view
    expect(core.x.tableHasFib4(table.t, 0)).toBe(1);
    for (const d of ref.ordered(0)) {
      if (rnd() % 2 === 0) continue;
      d.state |= VIEW_M | LIVE;
      table.setDestState(idOf.get(d)!, d.state);
    }
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    agree(table, ref, idOf, set, 23, 5_000);
    table.free();
  });

  it('follows nested chains and a live multicast default route from the first destination (threshold 1)', () => {
    core.x.fibThreshold(1);
    const set = randomPrefixes(221, 4, 3_000);
    const { table, ref, idOf } = buildBoth(set, 221);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    agree(table, ref, idOf, set, 30, 5_000);
    const def = table.ensureDest('0.0.0.0/0').destId;
    const d0 = ref.insert([0, 0, 0, 0], 0, 0);
    idOf.set(d0, def);
    d0.state = VIEW_M | LIVE;
    table.setDestState(def, d0.state);
    agree(table, ref, idOf, set, 31, 5_000);
    const rnd = mulberry32(222);
    const dests = ref.ordered(0);
    for (let round = 0; round < 4; round++) {
      churn({ table, ref, idOf }, dests, rnd, round, 1_000, 300);
      agree(table, ref, idOf, set, 32 + round, 3_000);
    }
    d0.state = 0;
    table.setDestState(def, 0);
    agree(table, ref, idOf, set, 36, 3_000);
    table.free();
  });

  it('is dropped alone when a chunk allocation fails while only it changes; lookups stay exact', () => {
    core.x.fibThreshold(2_000);
    const set = randomPrefixes(231, 4, 9_000);
    const { table, ref, idOf } = buildBoth(set, 231);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    core.x.fibFailAfter(1);
    // new /32s in view 1 only need new chunks in the multicast structure
    const rnd = mulberry32(232);
    for (let i = 0; i < 2_000 && core.x.tableHasFib4(table.t, 1) === 1; i++) {
      const words = [(0xc0000000 | (rnd() & 0x3fffffff)) >>> 0, 0, 0, 0];
      if (ref.get(words, 0, 32)) continue;
      const d = ref.insert(words, 0, 32);
      const { destId } = table.ensureDest(formatPrefix(4, words, 0, 32));
      idOf.set(d, destId);
      d.state = VIEW_M | LIVE;
      table.setDestState(destId, d.state);
    }
    expect(core.x.tableHasFib4(table.t, 1), 'dropped after the failed allocation').toBe(0);
    expect(core.x.tableHasFib4(table.t, 0)).toBe(1);
    core.x.fibFailAfter(0);
    agree(table, ref, idOf, set, 40, 8_000);
    table.free();
  });

  it('stays out of tables with few view-1 destinations and of IPv6 tables; freeing a table gives its bytes back', () => {
    core.x.fibThreshold(2_000);
    const set = randomPrefixes(241, 4, 6_000);
    const table = new CoreTable(core, 4);
    const ids = new Set<number>();
    for (let i = 0; i < set.count; i++) {
      const { destId } = table.ensureDest(formatPrefix(4, set.keys, i * 4, set.lens[i]));
      table.setDestState(destId, VIEW_U | LIVE);
      ids.add(destId);
    }
    const distinct = [...ids];
    // one short of the threshold in view 1 (some of them flipped twice on the way)
    for (let i = 0; i < 1_999; i++) table.setDestState(distinct[i], VIEW_U | VIEW_M | LIVE);
    for (let i = 0; i < 500; i++) table.setDestState(distinct[i], VIEW_U | LIVE);
    for (let i = 0; i < 500; i++) table.setDestState(distinct[i], VIEW_M | LIVE);
    expect(core.x.tableHasFib4(table.t, 0)).toBe(1);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(0);
    expect(core.x.tableMulticastDests(table.t)).toBe(1_999);
    const unicastOnly = core.x.fibMemoryBytes() as number;
    table.setDestState(distinct[1_999], VIEW_U | VIEW_M | LIVE);
    expect(core.x.tableHasFib4(table.t, 1)).toBe(1);
    expect(core.x.fibMemoryBytes()).toBeGreaterThanOrEqual(unicastOnly + 256 * 1024);   // counted (level 1 at least)
    expect(table.checkInvariants()).toBe(0);
    const v6 = new CoreTable(core, 6);
    const s6 = randomPrefixes(242, 6, 3_000);
    for (let i = 0; i < s6.count; i++) v6.setDestState(v6.ensureDest(formatPrefix(6, s6.keys, i * 4, s6.lens[i])).destId, VIEW_M | LIVE);
    expect(core.x.tableHasFib4(v6.t, 1)).toBe(0);
    v6.free();
    table.free();
    expect(core.x.fibMemoryBytes()).toBeLessThan(unicastOnly);
  });
});

describe('IPv4 multicast view through the public API against the RTMv2 reference model', () => {
  const UCAST = 1, MCAST = 2;

  it('lookupId / lookupBatch / lookup in view 1 equal getMostSpecificDestination under route churn and hold-down', () => {
    const c = privateCore();
    const base = c.x.memoryInUseBytes() as number;
    c.x.fibThreshold(300);
    const rtmClock = new VirtualClock(), clock = new VirtualClock();
    const rtm = make(c, { clock: rtmClock });
    const model = createModel({ clock });
    const set = randomPrefixes(251, 4, 1_500);
    const rnd = mulberry32(252);
    const sides = [model, rtm].map((r) => {
      const e = r.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 }) as EntityLike;
      const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
      return { e, nh, routes: new Map<string, RouteHandle>() };
    });
    const prefixes: string[] = [];
    for (let i = 0; i < set.count; i++) prefixes.push(formatPrefix(4, set.keys, 4 * i, set.lens[i]));
    const add = (p: string, views: number) => {
      for (const s of sides) {
        const r = s.e.addRouteToDest({ dest: p, neighbour: s.nh, nextHops: [s.nh], views });
        s.routes.set(p, r.handle!);
      }
    };
    const del = (p: string) => {
      for (const s of sides) { s.e.deleteRouteToDest(s.routes.get(p)!); s.routes.delete(p); }
    };
    const t = rtm.ipv4, ct = rtm.ipv4.core;
    const addrs = probes(253, set, 800);
    const compare = (tag: string) => {
      expect(ct.checkInvariants(), tag).toBe(0);
      const out = new Int32Array(addrs.length);
      t.lookupBatch(addrs, out, 1);
      const k = new Uint32Array(1);
      for (let i = 0; i < addrs.length; i++) {
        k[0] = addrs[i];
        const text = formatPrefix(4, k, 0, 32);
        const info = sides[0].e.getMostSpecificDestination({ dest: text, views: MCAST });
        if (info) sides[0].e.releaseDestInfo(info);
        const id = t.lookupId(addrs[i], 1);
        const got = id < 0 ? undefined : t.destPrefix(id);
        if (got !== info?.prefix || out[i] !== id) expect([got, out[i]], `${tag}: ${text} view 1`).toEqual([info?.prefix, id]);
        if (i % 40 === 0) expect(t.lookup(addrs[i], 1)?.destId ?? -1, `${tag}: lookup() ${text}`).toBe(id);
      }
    };
    // a mix of views: half the routes in view 1 (over the threshold of 300)
    for (const p of prefixes) add(p, [UCAST, MCAST, UCAST | MCAST][rnd() % 3]);
    expect(c.x.tableHasFib4(ct.t, 1)).toBe(1);
    compare('loaded');
    for (let round = 0; round < 3; round++) {
      for (let j = 0; j < 300; j++) {
        const p = prefixes[rnd() % prefixes.length];
        const r = rnd() % 4;
        if (r === 0 && sides[0].routes.has(p)) del(p);                             // deleted
        else if (r === 1) add(p, [UCAST, MCAST, UCAST | MCAST][rnd() % 3]);        // moved between views / re-added
        else if (r === 2 && sides[0].routes.has(p)) {                              // held down in view 1, then deleted
          for (const s of sides) {
            const d = s.e.getExactMatchDestination({ dest: p, views: RTM_VIEW_MASK_ANY });
            if (d) { s.e.releaseDestInfo(d); s.e.holdDestination({ dest: d.handle, views: MCAST, holdTime: 1_000 }); }
          }
          del(p);
        }
      }
      expect(c.x.tableHasFib4(ct.t, 1), `round ${round}: the structure serves view 1`).toBe(1);
      compare(`round ${round}`);
      clock.advance(2_000);
      rtmClock.advance(2_000);
      rtm.runPending();
      model.runPending();
      compare(`round ${round} after the holds`);
    }
    // delete most view-1 routes: the count goes below a quarter and the structure is freed
    for (const p of [...sides[0].routes.keys()]) if (rnd() % 25 !== 0) del(p);
    expect(c.x.tableHasFib4(ct.t, 1)).toBe(0);
    compare('shrunk');
    rtm.close();
    model.close();
    c.x.fibThreshold(0);
    expect(c.x.memoryInUseBytes()).toBe(base);
  });
});
