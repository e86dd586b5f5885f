// Table.lookupId and Table.bestRouteInto (API.md §6): lookupId against lookupBatch, lookup and the naive
// trie reference (test/reference/trie-model.ts) on seeded random tables and on subsets of the real tier-1
// tables (both families, both views, with and without the unicast forwarding structure), and against the
// RTMv2 reference model's getMostSpecificDestination on a small table; bestRouteInto against getDestInfo /
// getRouteInfo / getNextHopInfo and the model; bad arguments are RtmError, never TypeError; 10k calls
// leave linear memory flat. The core's BEST_* constants match src/table.ts.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { type Family, formatPrefix, parsePrefixInto } from '../../src/address.js';
import { handleSlotOf } from '../../src/layout.js';
import * as T from '../../src/table.js';
import { RefTrie } from '../reference/trie-model.js';
import { createModel } from '../reference/model.js';
import { mulberry32, probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData } from '../helpers/data.js';
import { expectCode } from '../reference/fixture.js';
import type { EntityLike, NextHopHandle, RouteHandle } from '../../src/types.js';

const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';

/** An Rtm (debug core) whose entity holds one route per prefix of `set`; views chosen per prefix by `views`. */
function loaded(set: PrefixSet, views: (i: number) => number, fibFromFirst = false) {
  const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
  if (fibFromFirst) rtm.core.x.fibThreshold(1);
  const e = rtm.registerEntity({ addressFamily: fam(set.family), protocolId: 8, instanceId: 1 });
  const nh = e.addNextHop({ address: set.family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle!;
  const v = new Uint8Array(set.count), hops = new Float64Array(set.count).fill(nh);
  for (let i = 0; i < set.count; i++) v[i] = views(i);
  e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: hops, views: v });
  if (fibFromFirst) rtm.core.x.fibThreshold(0);
  // the reference: a destination per prefix whose state is the views of its route (the last record wins)
  const ref = new RefTrie(set.family);
  for (let i = 0; i < set.count; i++) ref.insert(set.keys, i * 4, set.lens[i]).state = v[i];
  return { rtm, e, ref };
}

/** lookupId for every probe and view against lookupBatch, the reference trie and (sampled) lookup(). */
function compareLookups(rtm: Rtm, ref: RefTrie, family: Family, addrs: Uint32Array, tag: string): void {
  const t = family === 4 ? rtm.ipv4 : rtm.ipv6;
  const words = family === 4 ? 1 : 4, n = addrs.length / words, max = family === 4 ? 32 : 128;
  const out = new Int32Array(n), k = new Uint32Array(4);
  for (const view of [0, 1]) {
    t.lookupBatch(addrs, out, view);
    for (let i = 0; i < n; i++) {
      const got = family === 4 ? t.lookupId(addrs[i], view) : t.lookupId(addrs, 4 * i, view);
      if (got !== out[i]) expect(got, `${tag}: probe ${i} view ${view}: lookupId vs lookupBatch`).toBe(out[i]);
      for (let w = 0; w < 4; w++) k[w] = w < words ? addrs[i * words + w] : 0;
      const want = ref.lpm(k, 0, max, 1 << view);
      const gotPrefix = got < 0 ? undefined : t.destPrefix(got);
      if (gotPrefix !== want?.prefix) expect(gotPrefix, `${tag}: probe ${i} view ${view}: lookupId vs reference`).toBe(want?.prefix);
      if (i % 97 === 0) {
        const text = formatPrefix(family, k, 0, max).split('/')[0];
        expect(t.lookup(family === 4 ? addrs[i] : text, view)?.destId ?? -1, `${tag}: probe ${i} view ${view}: lookup()`).toBe(got);
      }
    }
  }
}

describe.each([4, 6] as Family[])('Table.lookupId (IPv%i)', (family) => {
  it.each([1, 2, 3])('agrees with lookupBatch, lookup and the reference trie on random tables (seed %i)', (seed) => {
    const set = randomPrefixes(seed, family, family === 4 ? 6_000 : 3_000);
    const rnd = mulberry32(seed * 13);
    // seed 1 builds the IPv4 forwarding structure from the first destination; the others use the trie
    const { rtm, ref } = loaded(set, () => [1, 1, 1, 2, 3][rnd() % 5], seed === 1);
    if (family === 4) expect(rtm.core.x.tableHasFib(rtm.ipv4.core.t)).toBe(seed === 1 ? 1 : 0);
    compareLookups(rtm, ref, family, probes(seed, set, 20_000), `IPv${family} seed ${seed}`);
    rtm.close();
  });

  it('agrees with the RTMv2 reference model (getMostSpecificDestination) on a small table', () => {
    const set = randomPrefixes(9, family, 300);
    const clock = new VirtualClock();
    const model = createModel({ clock });
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const rnd = mulberry32(99);
    const sides = [model, rtm].map((r) => {
      const e = r.registerEntity({ addressFamily: fam(family), protocolId: 8, instanceId: 1 }) as EntityLike;
      const nh = e.addNextHop({ address: family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle!;
      return { e, nh };
    });
    for (let i = 0; i < set.count; i++) {
      const dest = formatPrefix(family, set.keys, 4 * i, set.lens[i]);
      const views = [1, 2, 3][rnd() % 3];
      for (const s of sides) s.e.addRouteToDest({ dest, neighbour: s.nh, nextHops: [s.nh], views, returnHandle: false });
    }
    const addrs = probes(4, set, 2_000), words = family === 4 ? 1 : 4, k = new Uint32Array(4);
    const t = family === 4 ? rtm.ipv4 : rtm.ipv6;
    for (let i = 0; i < addrs.length / words; i++) {
      for (let w = 0; w < 4; w++) k[w] = w < words ? addrs[i * words + w] : 0;
      const text = formatPrefix(family, k, 0, family === 4 ? 32 : 128);
      for (const view of [0, 1]) {
        const info = sides[0].e.getMostSpecificDestination({ dest: text, views: 1 << view });
        if (info) sides[0].e.releaseDestInfo(info);
        const id = family === 4 ? t.lookupId(addrs[i], view) : t.lookupId(addrs, 4 * i, view);
        expect(id < 0 ? undefined : t.destPrefix(id), `probe ${text} view ${view}`).toBe(info?.prefix);
      }
    }
    rtm.close();
    model.close();
  });

  it('agrees with the reference trie on a subset of the real tier-1 table', async (ctx) => {
    const name = family === 4 ? 'tier1-ipv4.txt.gz' : 'tier1-ipv6.txt.gz';
    const file = dataFile(name);
    if (!file) { console.warn(missingData(name)); ctx.skip(); return; }
    const all = await readPrefixFile(file, family);
    // every 9th (IPv4) / 3rd (IPv6) prefix: the real length mix over the whole address space
    const step = family === 4 ? 9 : 3, count = Math.floor(all.count / step);
    const set: PrefixSet = { family, keys: new Uint32Array(4 * count), lens: new Uint8Array(count), count };
    for (let i = 0; i < count; i++) {
      set.keys.set(all.keys.subarray(4 * i * step, 4 * i * step + 4), 4 * i);
      set.lens[i] = all.lens[i * step];
    }
    const { rtm, ref } = loaded(set, (i) => (i % 5 === 0 ? 3 : 1));
    if (family === 4) expect(rtm.core.x.tableHasFib(rtm.ipv4.core.t), 'the IPv4 subset is large enough for the forwarding structure').toBe(1);
    compareLookups(rtm, ref, family, probes(11, set, family === 4 ? 60_000 : 20_000), `${name} 1/${step}`);
    rtm.close();
  });
});

describe('Table.lookupId repeat path (the core remembers the last table and view that used a forwarding structure)', () => {
  /** An IPv4 Rtm on the process-wide debug core with `n` routes (views 1 or 3) from seed `seed`; handles kept. */
  function world(seed: number, n: number) {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const set = randomPrefixes(seed, 4, n);
    const routes: RouteHandle[] = [];
    for (let i = 0; i < n; i++) {
      routes.push(e.addRouteToDest({ dest: formatPrefix(4, set.keys, 4 * i, set.lens[i]), nextHops: [nh], views: i % 2 ? 3 : 1 }).handle);
    }
    return { rtm, e, nh, set, routes };
  }
  /** Every probe in both views, the tables interleaved call by call, against each table's lookupBatch. */
  function agree(tables: Rtm[], addrs: Uint32Array, tag: string): void {
    const want = tables.map((r) => [0, 1].map((v) => { const o = new Int32Array(addrs.length); r.ipv4.lookupBatch(addrs, o, v); return o; }));
    for (let i = 0; i < addrs.length; i++) {
      for (const view of [0, 1]) {
        for (let k = 0; k < tables.length; k++) {
          const got = tables[k].ipv4.lookupId(addrs[i], view);
          if (got !== want[k][view][i]) expect(got, `${tag}: table ${k} probe ${i} view ${view}`).toBe(want[k][view][i]);
        }
      }
    }
  }

  it('answers right across tables, views, structures made, freed, dropped and tables closed', () => {
    const x = Rtm.createSync({ build: 'debug' }).core.x;   // the process-wide debug core, shared by the worlds below
    x.fibThreshold(8);                                      // structures from 8 destinations, freed below 2
    try {
      const a = world(21, 12), b = world(22, 12);
      const hasFib = (r: Rtm, v: number) => x.tableHasFib4(r.ipv4.core.t, v);
      expect([hasFib(a.rtm, 0), hasFib(b.rtm, 0)]).toEqual([1, 1]);
      const addrs = new Uint32Array([...probes(21, a.set, 300), ...probes(22, b.set, 300), ...probes(23, a.set, 50)]);
      agree([a.rtm, b.rtm], addrs, 'two tables');
      // a's structure freed (below a quarter of the threshold) right after a lookup used it; then a default
      // route, which the trie sees and a structure remembered past its free would not
      a.rtm.ipv4.lookupId(addrs[0], 0);
      for (let i = 0; i < 11; i++) a.e.deleteRouteToDest(a.routes[i]);
      expect(hasFib(a.rtm, 0)).toBe(0);
      a.e.addRouteToDest({ dest: '0.0.0.0/0', nextHops: [a.nh], returnHandle: false });
      const uncovered = addrs.filter((p) => a.rtm.ipv4.lookupId(p, 0) < 0).length;
      expect(uncovered, 'addresses the default route does not answer').toBe(0);
      agree([b.rtm, a.rtm], addrs, 'a on its trie');
      // made again (8 destinations), then dropped when a chunk allocation fails while kept in step
      const more = randomPrefixes(24, 4, 7);
      for (let i = 0; i < 7; i++) a.e.addRouteToDest({ dest: formatPrefix(4, more.keys, 4 * i, 24), nextHops: [a.nh], returnHandle: false });
      expect(hasFib(a.rtm, 0)).toBe(1);
      agree([a.rtm, b.rtm], addrs, 'a made again');
      b.rtm.ipv4.lookupId(addrs[0], 0);
      x.fibFailAfter(1);
      b.e.addRouteToDest({ dest: '203.0.113.0/24', nextHops: [b.nh], returnHandle: false });
      b.e.addRouteToDest({ dest: '198.51.100.128/25', nextHops: [b.nh], returnHandle: false });
      x.fibFailAfter(0);
      expect(hasFib(b.rtm, 0)).toBe(0);
      expect(b.rtm.ipv4.lookupId(0xcb007101), 'a route added as the structure was dropped').toBeGreaterThanOrEqual(0);
      expect(b.rtm.ipv4.lookupId(0xc6336481)).toBeGreaterThanOrEqual(0);
      agree([a.rtm, b.rtm], new Uint32Array([...addrs, 0xcb007101, 0xc6336481]), 'b dropped');
      // a closed: its Table refuses; a new instance may take its table slot and structure memory
      const probe = addrs[0];
      a.rtm.ipv4.lookupId(probe);
      a.rtm.close();
      expectCode(() => a.rtm.ipv4.lookupId(probe), 'ERROR_INVALID_HANDLE');
      const c = world(25, 10);
      expect(hasFib(c.rtm, 0)).toBe(1);
      agree([c.rtm, b.rtm], new Uint32Array([...addrs, ...probes(25, c.set, 300)]), 'c after a closed');
      b.rtm.close();
      c.rtm.close();
    } finally {
      x.fibThreshold(0);
      x.fibFailAfter(0);
    }
  });
});

describe('Table.bestRouteInto', () => {
  it.each([4, 6] as Family[])('matches getDestInfo / getRouteInfo / getNextHopInfo and the reference model (IPv%i)', (family) => {
    const rnd = mulberry32(family * 101);
    const model = createModel({ clock: new VirtualClock() });
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const protos = [8, 13, 14];
    const sides = [rtm, model].map((r) => {
      const es = protos.map((p) => r.registerEntity({ addressFamily: fam(family), protocolId: p, instanceId: 1 }) as EntityLike);
      const hops = es.map((e, ei) => [1, 2].map((k) => e.addNextHop({
        address: family === 4 ? `192.0.2.${10 * ei + k}` : `2001:db8::${10 * ei + k}`, interfaceIndex: 10 * ei + k,
      }).handle!));
      return { es, hops };
    });
    const prefixes = Array.from({ length: 40 }, (_, i) => (family === 4 ? `10.${i % 8}.${i}.0/24` : `2001:db8:${i % 8}:${i}::/64`));
    const handles: RouteHandle[][] = [[], []];
    for (let op = 0; op < 300; op++) {
      const ei = rnd() % 3, dest = prefixes[rnd() % prefixes.length];
      const h0 = rnd() % 2, multi = rnd() % 4 === 0;
      const o = { dest, preference: 10 * (rnd() % 3), metric: rnd() % 4, views: [1, 2, 3, 0][rnd() % 4], flags: [0, 0, 0x8, 0x100][rnd() % 4] };
      if (rnd() % 6 === 0) {
        // delete this entity's route there, if any
        sides.forEach((s, si) => {
          const m = s.es[ei].getExactMatchRoute({ dest, matchFlags: 1, criteria: { owner: s.es[ei].handle }, views: 0 });
          if (!m) return;
          s.es[ei].releaseRouteInfo(m.info);
          s.es[ei].deleteRouteToDest(m.handle!);
          void si;
        });
        continue;
      }
      sides.forEach((s, si) => {
        const hops: NextHopHandle[] = multi ? [s.hops[ei][h0], s.hops[ei][1 - h0]] : [s.hops[ei][h0]];
        const r = s.es[ei].addRouteToDest({ ...o, neighbour: s.hops[ei][h0], nextHops: hops, changeFlags: 1 });
        handles[si].push(r.handle!);
      });
    }
    const t = family === 4 ? rtm.ipv4 : rtm.ipv6;
    const out = new Float64Array(T.BEST_FIELDS);
    const [w, m] = sides;
    let found = 0;
    for (const dest of prefixes) {
      const wd = w.es[0].getExactMatchDestination({ dest, views: 0 });
      const md = m.es[0].getExactMatchDestination({ dest, views: 0 });
      expect(wd?.prefix, dest).toBe(md?.prefix);
      if (!wd) {
        // a prefix never added or whose routes all went: no destination, nothing to report
        continue;
      }
      w.es[0].releaseDestInfo(wd); m.es[0].releaseDestInfo(md!);
      const destId = handleSlotOf(wd.handle);
      for (const view of [0, 1]) {
        const wi = w.es[0].getDestInfo({ dest: wd.handle, views: 1 << view });
        const mi = m.es[0].getDestInfo({ dest: md!.handle, views: 1 << view });
        const wr = wi.viewInfo[0].route, mr = mi.viewInfo[0].route;
        const got = t.bestRouteInto(destId, view, out);
        expect(got, `${dest} view ${view}: has a best route`).toBe(wr !== undefined);
        expect(wr === undefined, `${dest} view ${view}: model agrees`).toBe(mr === undefined);
        if (wr && mr) {
          found++;
          const ri = w.es[0].getRouteInfo(wr), mri = m.es[0].getRouteInfo(mr);
          const nh = ri.nextHops[0] ? w.es[0].getNextHopInfo(ri.nextHops[0]) : undefined;
          const tag = `${dest} view ${view}`;
          expect(out[T.BEST_ROUTE], tag).toBe(wr);
          expect(out[T.BEST_OWNER], tag).toBe(ri.owner);
          expect(out[T.BEST_PROTOCOL], tag).toBe(w.es[0].getEntityInfo(ri.owner).protocolId);
          expect(out[T.BEST_PREFERENCE], tag).toBe(ri.preference);
          expect(out[T.BEST_METRIC], tag).toBe(ri.metric);
          expect(out[T.BEST_FLAGS], tag).toBe(ri.flags);
          expect(out[T.BEST_NEXTHOP_COUNT], tag).toBe(ri.nextHops.length);
          expect(out[T.BEST_NEXTHOP], tag).toBe(ri.nextHops[0] ?? 0);
          expect(out[T.BEST_NEIGHBOUR], tag).toBe(ri.neighbour ?? 0);
          expect(out[T.BEST_INTERFACE], tag).toBe(nh?.interfaceIndex ?? 0);
          expect(out[T.BEST_VIEWS], tag).toBe(ri.views);
          const v4 = new Uint32Array(4);
          expect(out[T.BEST_NEXTHOP_IPV4], tag).toBe(family === 4 && nh ? (parsePrefixInto(nh.address, 4, v4, 0), v4[0]) : 0);
          // the model's best route: same owner (by protocol), preference, metric, flags, next hops
          expect([m.es[0].getEntityInfo(mri.owner).protocolId, mri.preference, mri.metric, mri.flags, mri.nextHops.length, mri.views], tag)
            .toEqual([out[T.BEST_PROTOCOL], out[T.BEST_PREFERENCE], out[T.BEST_METRIC], out[T.BEST_FLAGS], out[T.BEST_NEXTHOP_COUNT], out[T.BEST_VIEWS]]);
          w.es[0].releaseRouteInfo(ri); m.es[0].releaseRouteInfo(mri);
          if (nh) w.es[0].releaseNextHopInfo(nh);
        }
        w.es[0].releaseDestInfo(wi); m.es[0].releaseDestInfo(mi);
      }
    }
    expect(found).toBeGreaterThan(20);
    // a destination that left the table, -1 and out-of-range ids: false
    const gone = w.es[0].getExactMatchDestination({ dest: prefixes[0], views: 0 });
    const goneId = gone ? handleSlotOf(gone.handle) : -1;
    if (gone) {
      w.es[0].releaseDestInfo(gone);
      for (const e of w.es) {
        for (;;) {
          const r = e.getExactMatchRoute({ dest: prefixes[0], matchFlags: 1, criteria: { owner: e.handle }, views: 0 });
          if (!r) break;
          e.releaseRouteInfo(r.info);
          e.deleteRouteToDest(r.handle!);
        }
      }
    }
    expect(t.bestRouteInto(goneId, 0, out)).toBe(false);
    expect(t.bestRouteInto(-1, 0, out)).toBe(false);
    expect(t.bestRouteInto(2 ** 31, 1, out)).toBe(false);
    expect(t.bestRouteInto(2 ** 40, 0, out)).toBe(false);
    rtm.close();
    model.close();
  });

  it('reports no route for a destination whose routes are in the other view only', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    e.addRouteToDest({ dest: '10.9.0.0/16', views: 2, returnHandle: false });
    const id = rtm.ipv4.lookupId(0x0a090001, 1);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(rtm.ipv4.lookupId(0x0a090001, 0)).toBe(-1);
    const out = new Float64Array(T.BEST_FIELDS).fill(7);
    expect(rtm.ipv4.bestRouteInto(id, 0, out)).toBe(false);
    expect(out[0]).toBe(7);                       // untouched
    expect(rtm.ipv4.bestRouteInto(id, 1, out)).toBe(true);
    expect([out[T.BEST_NEXTHOP_COUNT], out[T.BEST_NEXTHOP], out[T.BEST_INTERFACE], out[T.BEST_NEXTHOP_IPV4]]).toEqual([0, 0, 0, 0]);
    rtm.close();
  });
});

describe('hot-path arguments', () => {
  it('turns wrong argument types into ERROR_INVALID_PARAMETER, never a TypeError', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    const v4 = rtm.ipv4 as unknown as { lookupId(...a: unknown[]): number; bestRouteInto(...a: unknown[]): boolean };
    const v6 = rtm.ipv6 as unknown as typeof v4;
    const out = new Float64Array(T.BEST_FIELDS);
    const bad4: unknown[][] = [['1.2.3.4'], [-1], [2 ** 32], [1.5], [NaN], [undefined], [{}], [null], [1n], [1, 2], [1, -1], [1, '0'],
      [new Uint32Array(4)]];
    for (const args of bad4) expectCode(() => v4.lookupId(...args), 'ERROR_INVALID_PARAMETER');
    const w = new Uint32Array(8);
    const bad6: unknown[][] = [[1], ['::1'], [[0, 0, 0, 1]], [new Uint32Array(3)], [w, 5], [w, -1], [w, 1.5], [w, '0'], [w, 0, 2],
      [new Int32Array(4)], [w, 0, -1]];
    for (const args of bad6) expectCode(() => v6.lookupId(...args), 'ERROR_INVALID_PARAMETER');
    expect(v6.lookupId(w, 4)).toBe(-1);
    const badBest: unknown[][] = [['0', 0, out], [0.5, 0, out], [NaN, 0, out], [0, 2, out], [0, -1, out], [0, undefined, out],
      [0, 0, new Float64Array(T.BEST_FIELDS - 1)], [0, 0, []], [0, 0, new Float32Array(T.BEST_FIELDS)], [0, 0, undefined]];
    for (const args of badBest) expectCode(() => v4.bestRouteInto(...args), 'ERROR_INVALID_PARAMETER');
    rtm.close();
    expectCode(() => rtm.ipv4.lookupId(1), 'ERROR_INVALID_HANDLE');
    expectCode(() => rtm.ipv6.lookupId(w), 'ERROR_INVALID_HANDLE');
    expectCode(() => rtm.ipv4.bestRouteInto(0, 0, out), 'ERROR_INVALID_HANDLE');
    // a closed instance's table slot reused by another instance is never read through the old Table
    const other = Rtm.createSync({ build: 'debug' });
    other.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 }).addRouteToDest({ dest: '0.0.0.0/0', returnHandle: false });
    expect(other.ipv4.lookupId(1)).toBeGreaterThanOrEqual(0);
    expectCode(() => rtm.ipv4.lookupId(1), 'ERROR_INVALID_HANDLE');
    other.close();
  });

  it('keeps linear memory flat over 10k lookupId and bestRouteInto calls', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    const set = randomPrefixes(5, 4, 2_000);
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh) });
    const v6 = randomPrefixes(6, 6, 500);
    const e6 = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 1 });
    e6.addRoutesBatch({ count: v6.count, keys: v6.keys, lens: v6.lens });
    const addrs = probes(5, set, 10_000), addrs6 = probes(6, v6, 10_000);
    const out = new Float64Array(T.BEST_FIELDS);
    const mem = rtm.core.x.memory;
    const bytes0 = mem.buffer.byteLength, buf0 = mem.buffer, slab0 = rtm.core.x.slabMemoryBytes();
    let hits = 0;
    for (let i = 0; i < 10_000; i++) {
      const id = rtm.ipv4.lookupId(addrs[i]);
      if (id >= 0 && rtm.ipv4.bestRouteInto(id, 0, out)) hits++;
      if (rtm.ipv6.lookupId(addrs6, 4 * i) >= 0) hits++;
    }
    expect(hits).toBeGreaterThan(5_000);
    expect(mem.buffer.byteLength).toBe(bytes0);
    expect(mem.buffer).toBe(buf0);
    expect(rtm.core.x.slabMemoryBytes()).toBe(slab0);
    rtm.close();
  });
});

describe('contract', () => {
  it('src/table.ts BEST_* indices are the core layout constants', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    for (const name of ['BEST_ROUTE', 'BEST_OWNER', 'BEST_PROTOCOL', 'BEST_PREFERENCE', 'BEST_METRIC', 'BEST_FLAGS',
      'BEST_NEXTHOP_COUNT', 'BEST_NEXTHOP', 'BEST_NEIGHBOUR', 'BEST_INTERFACE', 'BEST_VIEWS', 'BEST_NEXTHOP_IPV4', 'BEST_FIELDS'] as const) {
      expect(T[name], name).toBe(rtm.core.constant(name));
    }
    expect(new Set(Object.entries(T).filter(([k]) => k.startsWith('BEST_') && k !== 'BEST_FIELDS').map(([, v]) => v)).size).toBe(T.BEST_FIELDS);
    rtm.close();
  });

  it('RtmError is what a bad call throws (not a TypeError)', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    let err: unknown;
    try { (rtm.ipv4.lookupId as (a: unknown) => number)('x'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RtmError);
    rtm.close();
  });
});
