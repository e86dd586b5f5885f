// Entity.applyUpdates and the atomic Entity.addRoutesBatch (API.md §6). applyUpdates against the
// reference model making the same single calls (addRouteToDest with RTM_ROUTE_CHANGE_FIRST, or a delete of
// the caller's first route) on seeded streams in both families, interleaved with single calls that set
// EntitySpecificInfo and TTLs: change flags, every destination and route, notification queues and
// callbacks agree. Multi-chunk batches against the same single calls on a second WASM instance. A bad
// record in the last chunk of a batch larger than a chunk leaves the table exactly as it was, for both
// batch methods and every kind of error; EntitySpecificInfo of a reused route slot never survives.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { type Family, parsePrefixInto } from '../../src/address.js';
import { handleSlotOf } from '../../src/layout.js';
import {
  NO_ERROR, PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST,
  RTM_CHANGE_TYPE_FORWARDING, RTM_CHANGE_NOTIFICATION, RTM_ROUTE_EXPIRED,
} from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, NotifyHandle, RouteHandle, RtmLike, RtmOptions, RouteUpdates } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { createModel } from '../reference/model.js';
import { publicSnapshot } from '../reference/public-snapshot.js';
import { mulberry32 } from '../helpers/random.js';
import { expectCode } from '../reference/fixture.js';

const CHANGE_FIRST = 1, MATCH_OWNER = 1;
const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';
const REGS: [number, number, number][] = [[0, 1, RTM_CHANGE_TYPE_BEST], [1, 0, RTM_CHANGE_TYPE_ALL], [2, 3, RTM_CHANGE_TYPE_FORWARDING]];

interface Side {
  clock: VirtualClock;
  rtm: RtmLike;
  entities: EntityLike[];
  hops: NextHopHandle[][];
  notifies: NotifyHandle[];
  events: string[];
}

function makeSide(family: Family, create: (o: RtmOptions) => RtmLike): Side {
  const clock = new VirtualClock();
  const side: Side = { clock, rtm: create({ clock, defaultPreferences: { [PROTO_IP_OSPF]: 5 } }), entities: [], hops: [], notifies: [], events: [] };
  [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP].forEach((protocolId, ei) => {
    side.entities.push(side.rtm.registerEntity({ addressFamily: fam(family), protocolId, instanceId: 1 }, {
      onEvent: (type, c1) => {
        side.events.push(`${ei}:${type}${type === RTM_CHANGE_NOTIFICATION ? `:n${side.notifies.indexOf(c1 as NotifyHandle)}` : ''}`);
        return type === RTM_ROUTE_EXPIRED ? 50 : NO_ERROR;   // ERROR_NOT_SUPPORTED: the RTM deletes expired routes
      },
    }));
  });
  side.entities.forEach((e, ei) => side.hops.push([1, 2].map((k) => e.addNextHop({
    address: family === 4 ? `192.0.2.${10 * ei + k}` : `2001:db8:ffff::${10 * ei + k}`, interfaceIndex: k,
  }).handle!)));
  for (const [owner, views, notifyFlags] of REGS) side.notifies.push(side.entities[owner].registerForChangeNotification({ views, notifyFlags }));
  side.rtm.runPending();
  side.events.length = 0;
  return side;
}

/** One destination through the public API, with handles replaced by entity / next-hop indices. */
function destState(s: Side, prefix: string): unknown {
  const e = s.entities[0];
  const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
  if (!d) return undefined;
  e.releaseDestInfo(d);
  const hopIdx = (h: NextHopHandle | undefined) => (h === undefined ? -1 : s.hops.flat().indexOf(h));
  const route = (r: RouteHandle | undefined) => {
    if (r === undefined) return undefined;
    const i = e.getRouteInfo(r);
    e.releaseRouteInfo(i);
    return { owner: s.entities.findIndex((x) => x.handle === i.owner), neighbour: hopIdx(i.neighbour), state: i.state,
      preference: i.preference, metric: i.metric, views: i.views, flags: i.flags, flags1: i.flags1,
      esi: i.entitySpecificInfo, nextHops: i.nextHops.map(hopIdx) };
  };
  const full = e.getDestInfo({ dest: d.handle, views: 3 });
  const out = {
    prefix: full.prefix, lastChanged: full.lastChanged, views: full.views,
    viewInfo: full.viewInfo.map((v) => ({ viewId: v.viewId, numRoutes: v.numRoutes, best: route(v.route), hold: route(v.holdRoute), destFlags: v.destFlags })),
    routes: [...e.routes({ dest: d.handle, views: 0 })].map(route),
  };
  e.releaseDestInfo(full);
  return out;
}

/** The model's way to do record i of a batch: the single calls. Returns the change flags. */
function singleCall(e: EntityLike, hops: NextHopHandle[], b: Required<Omit<RouteUpdates, 'changeFlags'>>, i: number, prefix: string): number {
  if (b.kinds[i] === 1) {
    const m = e.getExactMatchRoute({ dest: prefix, matchFlags: MATCH_OWNER, criteria: { owner: e.handle }, views: 0 });
    if (!m) return 0;
    e.releaseRouteInfo(m.info);
    return e.deleteRouteToDest(m.handle!);
  }
  const h = b.nextHops[i] === 0 ? undefined : hops[b.nextHops[i] - 1];
  return e.addRouteToDest({
    dest: prefix, neighbour: h, nextHops: h === undefined ? [] : [h], preference: b.preferences[i], metric: b.metrics[i],
    views: b.views[i], changeFlags: CHANGE_FIRST, returnHandle: false,
  }).changeFlags;
}

/** A random batch over `pool`; nextHops hold hop index + 1 (0 = none) until mapped to a side's handles. */
function randomBatch(rnd: () => number, family: Family, pool: string[], n: number) {
  const b = {
    count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n), nextHops: new Float64Array(n),
    preferences: new Uint32Array(n), metrics: new Uint32Array(n), views: new Uint8Array(n),
  };
  const prefixes: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = pool[rnd() % pool.length];
    prefixes.push(p);
    b.lens[i] = parsePrefixInto(p, family, b.keys, 4 * i);
    b.kinds[i] = rnd() % 10 < 3 ? 1 : 0;
    b.nextHops[i] = rnd() % 10 === 0 ? 0 : 1 + (rnd() % 2);
    b.preferences[i] = 10 * (rnd() % 3);
    b.metrics[i] = rnd() % 4;
    b.views[i] = [1, 1, 1, 2, 3, 0][rnd() % 6];
  }
  return { b, prefixes };
}

/** The batch with next-hop indices turned into entity ei's handles on side s. */
function withHandles(b: ReturnType<typeof randomBatch>['b'], s: Side, ei: number): RouteUpdates & { nextHops: Float64Array } {
  const nextHops = b.nextHops.map((k) => (k === 0 ? 0 : s.hops[ei][k - 1]));
  return { ...b, nextHops };
}

function pool(family: Family, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (family === 4
    ? (i < 8 ? `10.${i}.0.0/16` : `${10 + (i >> 8)}.${i % 8}.${i & 255}.0/24`)
    : (i < 8 ? `2001:db8:${i}::/48` : `2001:db8:${i % 8}:${i}::/64`)));
}

describe.each([4, 6] as Family[])('applyUpdates (IPv%i) against the reference model making the single calls', (family) => {
  it.each([1, 2, 3])('agrees on change flags, destinations, routes, queues and callbacks (seed %i)', (seed) => {
    const rnd = mulberry32(seed * 7919 + family);
    const [model, wasm] = [makeSide(family, (o) => createModel(o)), makeSide(family, (o) => Rtm.createSync({ ...o, build: 'debug' }) as unknown as RtmLike)];
    const sides = [model, wasm];
    const P = pool(family, 50);
    let batches = 0, esiSet = 0;
    for (let op = 0; op < 400; op++) {
      const tag = `IPv${family} seed ${seed}, op ${op}`;
      const r = rnd() % 100;
      if (r < 45) {
        const ei = rnd() % 3;
        const { b, prefixes } = randomBatch(rnd, family, P, 1 + (rnd() % 40));
        const drop = rnd() % 4;   // sometimes leave optional arrays out (defaults: 0, 0, unicast, no next hop)
        const wb: RouteUpdates = withHandles(b, wasm, ei);
        if (drop === 1) { delete wb.metrics; b.metrics.fill(0); }
        if (drop === 2) { delete wb.views; b.views.fill(1); }
        if (drop === 3) { delete wb.nextHops; b.nextHops.fill(0); delete wb.preferences; b.preferences.fill(0); }
        const flags = new Uint32Array(b.count).fill(0xdead);
        expect((wasm.entities[ei] as unknown as Entity).applyUpdates({ ...wb, changeFlags: flags }), tag).toBe(b.count);
        const want = prefixes.map((p, i) => singleCall(model.entities[ei], model.hops[ei], b, i, p));
        expect(Array.from(flags), `${tag}: change flags`).toEqual(want);
        batches++;
      } else if (r < 65) {
        // a single add that may carry EntitySpecificInfo and a TTL (CHANGE_FIRST or neighbour identity)
        const ei = rnd() % 3, hop = rnd() % 2, dest = P[rnd() % P.length];
        const esi = [null, undefined, 'a', 'b'][rnd() % 4];
        if (typeof esi === 'string') esiSet++;
        const o = { dest, preference: 10 * (rnd() % 3), metric: rnd() % 4, views: [1, 2, 3][rnd() % 3], entitySpecificInfo: esi,
          timeToLive: rnd() % 3 === 0 ? 1 + (rnd() % 3000) : undefined, changeFlags: rnd() % 2, returnHandle: false };
        const got = sides.map((s) => s.entities[ei].addRouteToDest({ ...o, neighbour: s.hops[ei][hop], nextHops: [s.hops[ei][hop]] }).changeFlags);
        expect(got[1], `${tag}: addRouteToDest`).toBe(got[0]);
      } else if (r < 75) {
        const ms = rnd() % 1500;
        sides.forEach((s) => s.clock.advance(ms));
      } else {
        const ni = rnd() % REGS.length, count = 1 + (rnd() % 10);
        const got = sides.map((s) => {
          const e = s.entities[REGS[ni][0]];
          const bt = e.getChangedDests({ notifyHandle: s.notifies[ni], count });
          e.releaseChangedDests({ notifyHandle: s.notifies[ni], dests: bt.items });
          return { done: bt.done, prefixes: bt.items.map((i) => i.prefix) };
        });
        expect(got[1], `${tag}: getChangedDests ${ni}`).toEqual(got[0]);
      }
      sides.forEach((s) => s.rtm.runPending());
      expect(wasm.events, `${tag}: callbacks`).toEqual(model.events);
      sides.forEach((s) => { s.events.length = 0; });
      if (op % 40 === 39) {
        for (const p of P) expect(destState(wasm, p), `${tag}: ${p}`).toEqual(destState(model, p));
        const t = (wasm.rtm as unknown as Rtm)[fam(family)];
        expect(t.core.checkInvariants(), tag).toBe(0);
      }
    }
    for (const p of P) expect(destState(wasm, p), `IPv${family} seed ${seed}: final ${p}`).toEqual(destState(model, p));
    expect(batches).toBeGreaterThan(100);
    expect(esiSet).toBeGreaterThan(10);
    wasm.rtm.close();
    model.rtm.close();
  });
});

describe('applyUpdates across chunks', () => {
  it.each([4, 6] as Family[])('a 5,000-record batch equals the same single calls (IPv%i)', (family) => {
    const rnd = mulberry32(77 + family);
    const mk = () => makeSide(family, (o) => Rtm.createSync({ ...o, build: 'debug' }) as unknown as RtmLike);
    const [single, batched] = [mk(), mk()];
    const P = pool(family, 1_500);
    for (let round = 0; round < 2; round++) {
      const { b, prefixes } = randomBatch(rnd, family, P, 5_000);
      const flags = new Uint32Array(b.count);
      (batched.entities[1] as unknown as Entity).applyUpdates({ ...withHandles(b, batched, 1), changeFlags: flags });
      const want = prefixes.map((p, i) => singleCall(single.entities[1], single.hops[1], b, i, p));
      expect(Array.from(flags), `round ${round}: change flags`).toEqual(want);
      for (const s of [single, batched]) s.rtm.runPending();
      expect(batched.events, `round ${round}: callbacks`).toEqual(single.events);
      for (let ni = 0; ni < REGS.length; ni++) {
        const drain = (s: Side) => {
          const out: string[] = [];
          for (;;) {
            const bt = s.entities[REGS[ni][0]].getChangedDests({ notifyHandle: s.notifies[ni] });
            out.push(...bt.items.map((i) => i.prefix));
            s.entities[REGS[ni][0]].releaseChangedDests({ notifyHandle: s.notifies[ni], dests: bt.items });
            if (bt.done) return out;
          }
        };
        expect(drain(batched), `round ${round}: queue ${ni}`).toEqual(drain(single));
      }
      for (let i = 0; i < P.length; i += 7) expect(destState(batched, P[i]), P[i]).toEqual(destState(single, P[i]));
      batched.clock.advance(1000); single.clock.advance(1000);
    }
    single.rtm.close(); batched.rtm.close();
  });
});

describe('applyUpdates columns', () => {
  // the facade copies each column into the core with one typed-array copy (src/port/batchio.ts): views at an
  // offset into larger arrays (junk around them), lengths and views as Uint32Array, preference 0 taking the
  // protocol's default, over two chunks
  it.each([4, 6] as Family[])('views at an offset into larger arrays equal the same single calls (IPv%i)', (family) => {
    const rnd = mulberry32(91 + family);
    const mk = () => makeSide(family, (o) => Rtm.createSync({ ...o, build: 'debug' }) as unknown as RtmLike);
    const [single, batched] = [mk(), mk()];
    const P = pool(family, 600);
    const { b, prefixes } = randomBatch(rnd, family, P, 2_000);
    const wb = withHandles(b, batched, 1);   // OSPF: preference 0 is its default, 5
    function inside<T extends Uint8Array | Uint32Array | Float64Array>(C: new (n: number) => T, src: ArrayLike<number>, pad: number, junk: number): T {
      const a = new C(src.length + 2 * pad);
      a.fill(junk);
      a.set(src, pad);
      return a.subarray(pad, pad + src.length) as T;
    }
    const flags = new Uint32Array(b.count);
    (batched.entities[1] as unknown as Entity).applyUpdates({
      count: b.count, keys: inside(Uint32Array, wb.keys, 12, 0xffffffff), lens: inside(Uint32Array, b.lens, 5, 7),
      kinds: inside(Uint8Array, b.kinds, 3, 1), nextHops: inside(Float64Array, wb.nextHops, 7, 12345),
      preferences: inside(Uint32Array, b.preferences, 9, 3), metrics: inside(Uint32Array, b.metrics, 1, 9),
      views: inside(Uint32Array, b.views, 4, 2), changeFlags: flags,
    });
    const want = prefixes.map((p, i) => singleCall(single.entities[1], single.hops[1], b, i, p));
    expect(Array.from(flags), 'change flags').toEqual(want);
    for (const s of [single, batched]) s.rtm.runPending();
    expect(batched.events, 'callbacks').toEqual(single.events);
    for (const p of P) expect(destState(batched, p), p).toEqual(destState(single, p));
    single.rtm.close(); batched.rtm.close();
  });
});

describe('atomic batches', () => {
  /** A table with routes of two entities, a registration with a queue, a locked destination and ESI. */
  function world(family: Family) {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: fam(family), protocolId: PROTO_IP_RIP, instanceId: 1 });
    const B = rtm.registerEntity({ addressFamily: fam(family), protocolId: PROTO_IP_OSPF, instanceId: 1 });
    const nA = A.addNextHop({ address: family === 4 ? '192.0.2.1' : '2001:db8:ffff::1', interfaceIndex: 1 }).handle!;
    const nB = B.addNextHop({ address: family === 4 ? '192.0.2.2' : '2001:db8:ffff::2', interfaceIndex: 2 }).handle!;
    const P = pool(family, 4_000);
    const routes: RouteHandle[] = [], mine: RouteHandle[] = [];
    for (let i = 0; i < 30; i++) {
      mine.push(A.addRouteToDest({ dest: P[i], neighbour: nA, nextHops: [nA], metric: i, entitySpecificInfo: i % 3 === 0 ? `esi${i}` : undefined }).handle!);
      routes.push(mine[i]);
      if (i % 2 === 0) routes.push(B.addRouteToDest({ dest: P[i], neighbour: nB, nextHops: [nB], metric: 3 }).handle!);
    }
    const nh = B.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
    A.addRouteToDest({ dest: P[1], route: mine[1], metric: 99 });       // one change queued
    rtm.runPending();
    const snap = () => publicSnapshot({
      entities: [A, B], probes: P.slice(0, 60).concat(P.slice(3_980)), routes, nextHops: [nA, nB], dynamics: true, notifies: [[B, nh]],
    });
    const counts = () => [rtm[fam(family)].routeCount, rtm[fam(family)].destCount, rtm[fam(family)].core.destCount];
    return { rtm, A, B, nA, nB, P, nh, snap, counts };
  }

  function batchOf(family: Family, P: string[], n: number, hop: number) {
    const keys = new Uint32Array(4 * n), lens = new Uint8Array(n);
    for (let i = 0; i < n; i++) lens[i] = parsePrefixInto(P[i % P.length], family, keys, 4 * i);
    return { count: n, keys, lens, kinds: new Uint8Array(n).map((_, i) => (i % 5 === 4 ? 1 : 0)), nextHops: new Float64Array(n).fill(hop),
      metrics: new Uint32Array(n).fill(7), flags: new Uint32Array(n) };
  }

  type Breaker = { name: string; code: string; at: number; apply: (b: ReturnType<typeof batchOf>, w: ReturnType<typeof world>) => void };
  const breakers = (family: Family): Breaker[] => [
    { name: 'a length beyond the family', code: 'ERROR_INVALID_PARAMETER', at: 3_990, apply: (b) => { b.lens[3_990] = family === 4 ? 33 : 129; } },
    { name: 'a next hop of another entity', code: 'ERROR_INVALID_PARAMETER', at: 3_991, apply: (b, w) => { b.kinds[3_991] = 0; b.nextHops[3_991] = w.nB; } },
    { name: 'a handle that is no next hop', code: 'ERROR_INVALID_HANDLE', at: 3_992, apply: (b, w) => { b.kinds[3_992] = 0; b.nextHops[3_992] = w.nA + 2 ** 30; } },
    { name: 'a destination locked by another entity', code: 'ERROR_BUSY', at: 3_999, apply: (b, w) => {
      w.B.addRouteToDest({ dest: w.P[3_999], returnHandle: false });
      const d = w.B.getExactMatchDestination({ dest: w.P[3_999], views: 0 })!;
      w.B.releaseDestInfo(d);
      w.B.lockDestination({ dest: d.handle, exclusive: true });
      void b;
    } },
    { name: 'a bad record in the first chunk', code: 'ERROR_INVALID_PARAMETER', at: 5, apply: (b) => { b.lens[5] = 200; } },
  ];

  describe.each([4, 6] as Family[])('IPv%i', (family) => {
    it.each(breakers(family).map((b) => [b.name, b] as const))('applyUpdates: %s in a 4,000-record batch changes nothing', (_n, br) => {
      const w = world(family);
      const b = batchOf(family, w.P, 4_000, w.nA);
      br.apply(b, w);
      const before = w.snap(), counts = w.counts();
      const flags = new Uint32Array(b.count).fill(0xbeef);
      let err: unknown;
      try { w.A.applyUpdates({ ...b, changeFlags: flags }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(RtmError);
      expect((err as RtmError).code).toBe(br.code);
      expect((err as Error).message).toContain(`record ${br.at}`);
      expect(w.counts()).toEqual(counts);
      expect(w.snap()).toEqual(before);
      expect(w.rtm.runPending()).toBe(0);
      expect(flags.every((f) => f === 0xbeef)).toBe(true);
      expect(w.rtm[fam(family)].core.checkInvariants()).toBe(0);
      // the same batch repaired applies whole
      if (br.code === 'ERROR_BUSY') {
        const d = w.B.getExactMatchDestination({ dest: w.P[3_999], views: 0 })!;
        w.B.releaseDestInfo(d);
        w.B.lockDestination({ dest: d.handle, exclusive: true, lock: false });
      } else {
        const fixed = batchOf(family, w.P, 4_000, w.nA);
        b.lens.set(fixed.lens); b.nextHops.set(fixed.nextHops);
      }
      expect(w.A.applyUpdates({ ...b, changeFlags: flags })).toBe(4_000);
      expect(w.counts()[0]).toBeGreaterThan(counts[0]);
      w.rtm.close();
    });

    it.each(breakers(family).map((b) => [b.name, b] as const))('addRoutesBatch: %s in a 4,000-record batch changes nothing', (_n, br) => {
      const w = world(family);
      const b = batchOf(family, w.P, 4_000, w.nA);
      br.apply(b, w);
      const before = w.snap(), counts = w.counts();
      let err: unknown;
      try { w.A.addRoutesBatch(b); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(RtmError);
      expect((err as RtmError).code).toBe(br.code);
      expect((err as Error).message).toContain(`record ${br.at}`);
      expect(w.counts()).toEqual(counts);
      expect(w.snap()).toEqual(before);
      expect(w.rtm.runPending()).toBe(0);
      expect(w.rtm[fam(family)].core.checkInvariants()).toBe(0);
      w.rtm.close();
    });

    it('addRoutesBatch: flags beyond 16 bits in the last chunk change nothing', () => {
      const w = world(family);
      const b = batchOf(family, w.P, 4_000, w.nA);
      b.flags[3_500] = 0x10000;
      const before = w.snap();
      expectCode(() => w.A.addRoutesBatch(b), 'ERROR_INVALID_PARAMETER');
      expect(w.snap()).toEqual(before);
      w.rtm.close();
    });
  });
});

describe('EntitySpecificInfo through the batch paths', () => {
  it('an update through applyUpdates sets it to NULL and counts as a change (as addRouteToDest does)', () => {
    const sides = [createModel({ clock: new VirtualClock() }), Rtm.createSync({ clock: new VirtualClock(), build: 'debug' }) as unknown as RtmLike].map((rtm) => {
      const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
      const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
      const r = e.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, nextHops: [nh], metric: 3, entitySpecificInfo: { tag: 1 } }).handle!;
      const n = e.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
      return { rtm, e, nh, r, n };
    });
    const [m, w] = sides;
    const keys = new Uint32Array([0x0a010000, 0, 0, 0]);
    const flags = new Uint32Array(1);
    (w.e as unknown as Entity).applyUpdates({ count: 1, keys, lens: new Uint8Array([16]), kinds: new Uint8Array([0]), nextHops: new Float64Array([w.nh]), metrics: new Uint32Array([3]), changeFlags: flags });
    expect(flags[0]).toBe(m.e.addRouteToDest({ dest: '10.1.0.0/16', neighbour: m.nh, nextHops: [m.nh], metric: 3, changeFlags: CHANGE_FIRST }).changeFlags);
    for (const s of sides) {
      expect(s.e.getRouteInfo(s.r).entitySpecificInfo).toBeNull();
      const b = s.e.getChangedDests({ notifyHandle: s.n });
      expect(b.items.map((i) => i.prefix)).toEqual(['10.1.0.0/16']);
      s.e.releaseChangedDests({ notifyHandle: s.n, dests: b.items });
    }
    // once NULL, the same update is no change at all
    (w.e as unknown as Entity).applyUpdates({ count: 1, keys, lens: new Uint8Array([16]), kinds: new Uint8Array([0]), nextHops: new Float64Array([w.nh]), metrics: new Uint32Array([3]), changeFlags: flags });
    expect(flags[0]).toBe(0);
    expect(w.e.getChangedDests({ notifyHandle: w.n }).items).toEqual([]);
    w.rtm.close();
  });

  it('addRoutesBatch over a route with EntitySpecificInfo sets it to NULL and queues the change; without one, nothing', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const withEsi = e.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, nextHops: [nh], entitySpecificInfo: 'x' }).handle!;
    const without = e.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nh, nextHops: [nh] }).handle!;
    const n = e.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
    const b = { count: 2, keys: new Uint32Array([0x0a010000, 0, 0, 0, 0x0a020000, 0, 0, 0]), lens: new Uint8Array([16, 16]),
      nextHops: new Float64Array([nh, nh]) };
    expect(e.addRoutesBatch(b)).toEqual({ routesCreated: 0, destsCreated: 0 });
    expect(e.getRouteInfo(withEsi).entitySpecificInfo).toBeNull();
    expect(e.getRouteInfo(without).entitySpecificInfo).toBeNull();
    const ids = new Int32Array(4);
    expect(Array.from(ids.subarray(0, e.getChangedDestIds({ notifyHandle: n, out: ids })), (id) => rtm.ipv4.destPrefix(id))).toEqual(['10.1.0.0/16']);
    e.addRoutesBatch(b);                                   // now known NULL in the core: no change at all
    expect(e.getChangedDestIds({ notifyHandle: n, out: ids })).toBe(0);
    rtm.close();
  });

  it.each(['applyUpdates', 'addRoutesBatch'])('a route %s creates in a reused slot has no EntitySpecificInfo', (how) => {
    const rtm = Rtm.createSync({ build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    const old = e.addRouteToDest({ dest: '10.1.0.0/16', entitySpecificInfo: 'stale' }).handle!;
    e.deleteRouteToDest(old);
    const keys = new Uint32Array([0x0a020000, 0, 0, 0]), lens = new Uint8Array([16]);
    if (how === 'applyUpdates') e.applyUpdates({ count: 1, keys, lens, kinds: new Uint8Array([0]) });
    else e.addRoutesBatch({ count: 1, keys, lens });
    const m = e.getExactMatchRoute({ dest: '10.2.0.0/16' })!;
    expect(handleSlotOf(m.handle!)).toBe(handleSlotOf(old));       // the slot was reused
    expect(m.info.entitySpecificInfo).toBeNull();
    expect(e.getRouteInfo(m.handle!).entitySpecificInfo).toBeNull();
    rtm.close();
  });
});

describe('applyUpdates details', () => {
  it('a delete of a route the caller does not have is a no-op with change flags 0', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 }, { onEvent: () => NO_ERROR });
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 1 });
    B.addRouteToDest({ dest: '10.1.0.0/16', returnHandle: false });
    const nh = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
    rtm.runPending();
    const before = B.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    B.releaseDestInfo(before);
    (rtm.clock as VirtualClock).advance(500);
    const flags = new Uint32Array(2).fill(9);
    A.applyUpdates({ count: 2, keys: new Uint32Array([0x0a010000, 0, 0, 0, 0x0a030000, 0, 0, 0]), lens: new Uint8Array([16, 16]), kinds: new Uint8Array([1, 1]), changeFlags: flags });
    expect(Array.from(flags)).toEqual([0, 0]);
    const after = B.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    B.releaseDestInfo(after);
    expect(after.lastChanged).toBe(before.lastChanged);
    expect(A.getChangedDestIds({ notifyHandle: nh, out: new Int32Array(4) })).toBe(0);
    expect(rtm.runPending()).toBe(0);
    expect(rtm.ipv4.destCount).toBe(1);
    rtm.close();
  });

  it('takes no references and returns no handles; routes never expire', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', timeToLive: 1_000 }).handle!;
    A.applyUpdates({ count: 1, keys: new Uint32Array([0x0a010000, 0, 0, 0]), lens: new Uint8Array([16]), kinds: new Uint8Array([0]), metrics: new Uint32Array([4]) });
    (rtm.clock as VirtualClock).advance(5_000);          // the TTL was replaced by INFINITE
    expect(A.getRouteInfo(r).state).toBe(0);
    expect((A as Entity).refCount(r)).toBe(1);
    A.applyUpdates({ count: 1, keys: new Uint32Array([0x0a010000, 0, 0, 0]), lens: new Uint8Array([16]), kinds: new Uint8Array([1]) });
    expect(A.getRouteInfo(r).state).toBe(2);             // deleted, kept by the caller's own reference
    A.releaseRoutes([r]);
    expect(rtm.ipv4.routeCount).toBe(0);
    rtm.close();
  });

  it('rejects bad arguments with RtmError ERROR_INVALID_PARAMETER, never a TypeError', () => {
    const rtm = Rtm.createSync({ build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    const a = A as unknown as { applyUpdates(b: unknown): number; addRoutesBatch(b: unknown): unknown };
    const ok = { count: 1, keys: new Uint32Array(4), lens: new Uint8Array(1), kinds: new Uint8Array(1) };
    const bad: unknown[] = [undefined, null, 3, { ...ok, count: -1 }, { ...ok, count: 1.5 }, { ...ok, count: '1' }, { ...ok, count: 2 },
      { ...ok, keys: [0, 0, 0, 0] }, { ...ok, keys: undefined }, { ...ok, lens: [8] }, { ...ok, kinds: undefined }, { ...ok, kinds: new Int8Array(1) },
      { ...ok, nextHops: [0] }, { ...ok, nextHops: new Uint32Array(1) }, { ...ok, preferences: new Int32Array(1) }, { ...ok, metrics: [1] },
      { ...ok, views: new Float64Array(1) }, { ...ok, changeFlags: new Int32Array(1) }, { ...ok, changeFlags: new Uint32Array(0) },
      { ...ok, kinds: new Uint8Array([2]) }, { ...ok, lens: new Uint32Array([300]) }];
    for (const b of bad) expectCode(() => a.applyUpdates(b), 'ERROR_INVALID_PARAMETER');
    const okLoad = { count: 1, keys: new Uint32Array(4), lens: new Uint8Array(1) };
    const badLoad: unknown[] = [undefined, { ...okLoad, keys: undefined }, { ...okLoad, lens: undefined }, { ...okLoad, count: 2 },
      { ...okLoad, nextHops: [1] }, { ...okLoad, flags: [1] }, { ...okLoad, lens: new Uint8Array([40]) }];
    for (const b of badLoad) expectCode(() => a.addRoutesBatch(b), 'ERROR_INVALID_PARAMETER');
    expect(rtm.ipv4.routeCount).toBe(0);
    A.deregister();
    expectCode(() => A.applyUpdates(ok), 'ERROR_INVALID_HANDLE');
    rtm.close();
  });

  it('applies the default preference of the protocol to records with preference 0', () => {
    const rtm = Rtm.createSync({ build: 'debug', defaultPreferences: { [PROTO_IP_RIP]: 120 } });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    A.applyUpdates({ count: 2, keys: new Uint32Array([0x0a010000, 0, 0, 0, 0x0a020000, 0, 0, 0]), lens: new Uint8Array([16, 16]),
      kinds: new Uint8Array([0, 0]), preferences: new Uint32Array([0, 7]) });
    expect(A.getExactMatchRoute({ dest: '10.1.0.0/16' })!.info.preference).toBe(120);
    expect(A.getExactMatchRoute({ dest: '10.2.0.0/16' })!.info.preference).toBe(7);
    rtm.close();
  });
});
