// Entity.applyUpdates on an IPv4 table whose forwarding structure (assembly/fib.ts) is built from its first
// destination, over deeply nested prefixes (a default route, chains /8 … /32 and siblings that hide an
// aggregate's other entries): the paths that use the structure — destFind's walk from a covering leaf's
// destination, destInsert from where that walk began, the repaint walk of a removal from a cover found
// beside the range (fibCover) and trieDetach from its memo, and the batch look-ahead — against the
// reference model making the same single calls. Change flags and every destination agree, and the debug
// invariants (the structure against the trie at three addresses of every prefix) hold after each batch.
// lookupBatch after such churn equals the model's most specific unicast destination at every prefix's ends.
// Also: a batch that needs free-list slots beyond a slab's capacity (the free-list length kept in the
// slab descriptor, checked against a walk of the list by the debug build's assertion).
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { parsePrefixInto } from '../../src/address.js';
import { PROTO_IP_BGP, PROTO_IP_OSPF } from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, RtmLike, RouteUpdates } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';

const CHANGE_FIRST = 1, MATCH_OWNER = 1;

interface Side { rtm: RtmLike; entities: EntityLike[]; hops: NextHopHandle[][] }

function makeSide(create: (clock: VirtualClock) => RtmLike): Side {
  const side: Side = { rtm: create(new VirtualClock()), entities: [], hops: [] };
  [PROTO_IP_OSPF, PROTO_IP_BGP].forEach((protocolId) => side.entities.push(side.rtm.registerEntity({ addressFamily: 'ipv4', protocolId, instanceId: 1 })));
  side.entities.forEach((e, ei) => side.hops.push([1, 2].map((k) => e.addNextHop({ address: `192.0.2.${10 * ei + k}`, interfaceIndex: k }).handle!)));
  return side;
}

/** Nested IPv4 prefixes: 0/0, chains down from a few /8s (every length on one path), and their siblings. */
function nestedPool(rnd: () => number, n: number): string[] {
  const out = new Set<string>(['0.0.0.0/0']);
  const fmt = (w: number, len: number) => `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}/${len}`;
  const mask = (len: number) => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
  while (out.size < n) {
    const top = [10, 11, 172, 192][rnd() % 4];
    const v = ((top << 24) | (rnd() & 0xffffff)) >>> 0;
    const len = [8, 12, 16, 18, 19, 20, 21, 22, 23, 24, 24, 24, 25, 28, 31, 32][rnd() % 16];
    const w = (v & mask(len)) >>> 0;
    out.add(fmt(w, len));
    // the sibling half and the first more specific: neighbours of the range that are not its covers
    if (len < 32 && rnd() % 2 === 0) out.add(fmt((w ^ (1 << (32 - len))) >>> 0 & mask(len) >>> 0, len));
    if (len < 32 && rnd() % 2 === 0) out.add(fmt(w, len + 1));
  }
  return [...out];
}

/** The model's way to do record i of a batch: the single calls. Returns the change flags. */
function singleCall(e: EntityLike, hops: NextHopHandle[], b: { kinds: Uint8Array; nextHops: Float64Array; preferences: Uint32Array; metrics: Uint32Array }, i: number, prefix: string): number {
  if (b.kinds[i] === 1) {
    const m = e.getExactMatchRoute({ dest: prefix, matchFlags: MATCH_OWNER, criteria: { owner: e.handle }, views: 0 });
    if (!m) return 0;
    e.releaseRouteInfo(m.info);
    return e.deleteRouteToDest(m.handle!);
  }
  const h = hops[b.nextHops[i] - 1];
  return e.addRouteToDest({
    dest: prefix, neighbour: h, nextHops: [h], preference: b.preferences[i], metric: b.metrics[i], views: 1,
    changeFlags: CHANGE_FIRST, returnHandle: false,
  }).changeFlags;
}

function randomBatch(rnd: () => number, pool: string[], n: number, deletes: number) {
  const b = {
    count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n), nextHops: new Float64Array(n),
    preferences: new Uint32Array(n), metrics: new Uint32Array(n),
  };
  const prefixes: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = pool[rnd() % pool.length];
    prefixes.push(p);
    b.lens[i] = parsePrefixInto(p, 4, b.keys, 4 * i);
    b.kinds[i] = rnd() % 100 < deletes ? 1 : 0;
    b.nextHops[i] = 1 + (rnd() % 2);
    b.preferences[i] = 10 * (rnd() % 3);
    b.metrics[i] = rnd() % 3;
  }
  return { b, prefixes };
}

/** A destination's routes and best route through the public API (handles as entity / hop indices). */
function destState(s: Side, prefix: string): unknown {
  const e = s.entities[0];
  const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
  if (!d) return undefined;
  const out = {
    prefix: d.prefix, views: d.views,
    routes: [...e.routes({ dest: d.handle, views: 0 })].map((r) => {
      const i = e.getRouteInfo(r);
      e.releaseRouteInfo(i);
      return { owner: s.entities.findIndex((x) => x.handle === i.owner), pref: i.preference, metric: i.metric, hop: s.hops.flat().indexOf(i.nextHops[0]) };
    }),
  };
  e.releaseDestInfo(d);
  return out;
}

describe('applyUpdates over the IPv4 forwarding structure (nested prefixes)', () => {
  it.each([1, 2, 3])('agrees with the single calls of the reference model; the structure agrees with the trie (seed %i)', (seed) => {
    const rnd = mulberry32(seed * 104729);
    const model = makeSide((clock) => createModel({ clock }));
    const wasm = makeSide((clock) => {
      const rtm = Rtm.createSync({ clock, build: 'debug', families: ['ipv4'] });
      rtm.ipv4.core.core.x.fibThreshold(1);   // the structure from the first destination on
      return rtm as unknown as RtmLike;
    });
    const table = (wasm.rtm as unknown as Rtm).ipv4;
    const P = nestedPool(rnd, 400);
    for (let op = 0; op < 160; op++) {
      const tag = `seed ${seed}, batch ${op}`;
      const ei = rnd() % 2;
      // phases of growth and of withdrawal, so that whole chains come and go
      const { b, prefixes } = randomBatch(rnd, P, 1 + (rnd() % 90), (op >> 4) % 2 === 0 ? 25 : 70);
      const flags = new Uint32Array(b.count).fill(0xdead);
      const nextHops = b.nextHops.map((k) => wasm.hops[ei][k - 1]);
      const wb: RouteUpdates = { ...b, nextHops, changeFlags: flags };
      expect((wasm.entities[ei] as unknown as Entity).applyUpdates(wb), tag).toBe(b.count);
      const want = prefixes.map((p, i) => singleCall(model.entities[ei], model.hops[ei], b, i, p));
      expect(Array.from(flags), `${tag}: change flags`).toEqual(want);
      expect(table.core.checkInvariants(), tag).toBe(0);
      if (op % 20 === 19) for (const p of P) expect(destState(wasm, p), `${tag}: ${p}`).toEqual(destState(model, p));
    }
    for (const p of P) expect(destState(wasm, p), `seed ${seed}: final ${p}`).toEqual(destState(model, p));
    table.core.core.x.fibThreshold(0);
    wasm.rtm.close();
    model.rtm.close();
  });
});

describe('lookupBatch after applyUpdates churn (nested prefixes, forwarding structure)', () => {
  // announcements, withdrawals, preference and view changes of two entities in batches, with phases of
  // growth and of withdrawal: after every third batch the structure's batch lookup at the first and last address
  // of every prefix and at random addresses equals the model's most specific destination in the unicast
  // view (the repaint of a removal takes its cover from the recorded parent, the structure's proof or a walk)
  it.each([1, 2])('equals the most specific unicast destination of the reference model (seed %i)', (seed) => {
    const rnd = mulberry32(seed * 7_777 + 1);
    const model = makeSide((clock) => createModel({ clock }));
    const wasm = makeSide((clock) => {
      const rtm = Rtm.createSync({ clock, build: 'debug', families: ['ipv4'] });
      rtm.ipv4.core.core.x.fibThreshold(1);
      return rtm as unknown as RtmLike;
    });
    const table = (wasm.rtm as unknown as Rtm).ipv4;
    const P = nestedPool(rnd, 300);
    const word = (p: string) => { const k = new Uint32Array(4); const len = parsePrefixInto(p, 4, k, 0); return [k[0], len]; };
    const probes: number[] = [];
    for (const p of P) { const [w, len] = word(p); probes.push(w, (w + (len === 0 ? 0xffffffff : (0xffffffff >>> len))) >>> 0); }
    for (let i = 0; i < 300; i++) probes.push((([10, 11, 172, 192][rnd() % 4] << 24) | (rnd() & 0xffffff)) >>> 0);
    const addrs = Uint32Array.from(probes), out = new Int32Array(addrs.length);
    const fmt = (a: number) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/32`;
    for (let op = 0; op < 60; op++) {
      const tag = `seed ${seed}, batch ${op}`;
      const ei = rnd() % 2, n = 1 + (rnd() % 120), deletes = (op >> 3) % 2 === 0 ? 25 : 75;
      const b = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n), nextHops: new Float64Array(n),
        preferences: new Uint32Array(n), metrics: new Uint32Array(n), views: new Uint8Array(n) };
      const prefixes: string[] = [], hop: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = P[rnd() % P.length];
        prefixes.push(p);
        b.lens[i] = parsePrefixInto(p, 4, b.keys, 4 * i);
        b.kinds[i] = rnd() % 100 < deletes ? 1 : 0;
        hop.push(rnd() % 2);
        b.nextHops[i] = wasm.hops[ei][hop[i]];
        b.preferences[i] = 10 * (rnd() % 3);
        b.metrics[i] = rnd() % 3;
        b.views[i] = [1, 1, 1, 2, 3][rnd() % 5];
      }
      (wasm.entities[ei] as unknown as Entity).applyUpdates(b);
      const me = model.entities[ei];
      prefixes.forEach((p, i) => {
        if (b.kinds[i] === 1) {
          const m = me.getExactMatchRoute({ dest: p, matchFlags: MATCH_OWNER, criteria: { owner: me.handle }, views: 0 });
          if (m) { me.releaseRouteInfo(m.info); me.deleteRouteToDest(m.handle!); }
        } else {
          const h = model.hops[ei][hop[i]];
          me.addRouteToDest({ dest: p, neighbour: h, nextHops: [h], preference: b.preferences[i], metric: b.metrics[i], views: b.views[i],
            changeFlags: CHANGE_FIRST, returnHandle: false });
        }
      });
      expect(table.core.checkInvariants(), tag).toBe(0);
      if (op % 3 !== 2) continue;
      table.lookupBatch(addrs, out, 0);
      for (let i = 0; i < addrs.length; i++) {
        const d = model.entities[0].getMostSpecificDestination({ dest: fmt(addrs[i]), views: 1 });
        const want = d ? d.prefix : undefined;
        if (d) model.entities[0].releaseDestInfo(d);
        const got = out[i] < 0 ? undefined : table.destPrefix(out[i]);
        if (got !== want) expect(got, `${tag}: ${fmt(addrs[i])}`).toBe(want);
      }
    }
    table.core.core.x.fibThreshold(0);
    wasm.rtm.close();
    model.rtm.close();
  });
});

describe('slab reservations from the free list', () => {
  it('a batch beyond a slab chunk reuses freed slots and grows by the rest (free-list length kept)', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug', families: ['ipv4'] });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 1 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const N = 16_000;   // just under one 16K-record chunk of routes and destinations
    const keys = new Uint32Array(4 * N), lens = new Uint8Array(N).fill(24);
    for (let i = 0; i < N; i++) keys[4 * i] = ((20 << 24) | (i << 8)) >>> 0;
    e.addRoutesBatch({ count: N, keys, lens, nextHops: new Float64Array(N).fill(nh) });
    // free 300 routes, destinations and nodes, then ask for more than the capacity left above the mark
    const del = 300;
    (e as unknown as Entity).applyUpdates({ count: del, keys: keys.subarray(0, 4 * del), lens: lens.subarray(0, del), kinds: new Uint8Array(del).fill(1) });
    const M = 1_000;
    const k2 = new Uint32Array(4 * M), l2 = new Uint8Array(M).fill(24);
    for (let i = 0; i < M; i++) k2[4 * i] = ((30 << 24) | (i << 8)) >>> 0;
    const flags = new Uint32Array(M);
    expect((e as unknown as Entity).applyUpdates({ count: M, keys: k2, lens: l2, kinds: new Uint8Array(M), nextHops: new Float64Array(M).fill(nh), changeFlags: flags })).toBe(M);
    expect(flags.every((f) => f !== 0)).toBe(true);
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    expect(rtm.ipv4.core.destCount).toBe(N - del + M);
    rtm.close();
  });
});
