// Enumerations of the dynamics layer (spec §7.14, §8.8; scenarios 15, 20, 21): canonical order, range
// flags, views, OWN_DESTS / OWN_ROUTES, matching criteria, MaxHandlesInEnum, the final batch (D-40),
// live cursors under inserts and deletes between batches (D-45), next-hop enumerations (D-46), the
// dests()/routes() iterators and every error path. Each test runs on the reference model and on the WASM
// facade (debug core) with the same calls.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import {
  PROTO_IP_OSPF, RTM_ENUM_NEXT as NEXT, RTM_ENUM_OWN_DESTS as OWN_DESTS, RTM_ENUM_OWN_ROUTES as OWN_ROUTES,
  RTM_ENUM_RANGE as RANGE, RTM_ENUM_START as START, RTM_MATCH_INTERFACE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_NEXTHOP,
  RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_THIS_PROTOCOL, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_MCAST as MCAST,
  RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type {
  DestHandle, EntityLike, EnumHandle, NextHopHandle, RouteEnumOptions, RouteHandle,
} from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, party, setup, destPrefixes, drainRoutes, destOf } from '../reference/fixture.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

const IMPLS = DYNAMIC_IMPLEMENTATIONS;

function routesOf(e: EntityLike, o: RouteEnumOptions, count?: number): RouteHandle[] {
  const en = e.createRouteEnum(o);
  const out = drainRoutes(e, en, count);
  e.deleteEnumHandle(en);
  return out;
}

function nextHopNames(e: EntityLike, hs: readonly NextHopHandle[]): string[] {
  return hs.map((n) => { const i = e.getNextHopInfo(n); e.releaseNextHopInfo(i); return `${i.address}%${i.interfaceIndex}`; });
}

describe.each(IMPLS)('$name: destination enumerations', (impl) => {
  it('20. canonical order; RANGE is the sub-tree; NEXT starts at a prefix (present or not); batches are capped', () => {
    const { A, nA } = setup(impl);
    for (const dest of ['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/16', '11.0.0.0/8', '0.0.0.0/0', '10.1.2.0/24', '9.0.0.0/8']) {
      A.addRouteToDest({ dest, neighbour: nA, returnHandle: false });
    }
    const all = ['0.0.0.0/0', '9.0.0.0/8', '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '10.1.2.0/24', '11.0.0.0/8'];
    expect(destPrefixes(A, { views: UCAST, enumFlags: START })).toEqual(all);
    expect(destPrefixes(A, {})).toEqual(all);
    for (const count of [1, 2, 3, 7]) expect(destPrefixes(A, {}, count)).toEqual(all);
    expect(destPrefixes(A, { enumFlags: RANGE, startDest: '10.0.0.0/8' })).toEqual(['10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '10.1.2.0/24']);
    expect(destPrefixes(A, { enumFlags: RANGE, startDest: '10.1.0.0/16' }, 1)).toEqual(['10.1.0.0/16', '10.1.2.0/24']);
    expect(destPrefixes(A, { enumFlags: RANGE, startDest: '10.1.128.0/17' })).toEqual([]);
    expect(destPrefixes(A, { enumFlags: RANGE, startDest: '0.0.0.0/0' }, 2)).toEqual(all);
    expect(destPrefixes(A, { enumFlags: NEXT, startDest: '10.1.0.0/16' })).toEqual(['10.1.0.0/16', '10.1.2.0/24', '11.0.0.0/8']);
    expect(destPrefixes(A, { enumFlags: NEXT, startDest: '10.0.128.0/17' })).toEqual(['10.1.0.0/16', '10.1.2.0/24', '11.0.0.0/8']);
    expect(destPrefixes(A, { enumFlags: NEXT, startDest: '12.0.0.0/8' })).toEqual([]);
    expect(destPrefixes(A, { enumFlags: START, startDest: '10.1.0.0/16' })).toEqual(all);   // address ignored with START
    const en = A.createDestEnum({ views: UCAST });
    expectCode(() => A.getEnumDests({ enumHandle: en, count: A.profile.maxHandlesInEnum + 1 }), 'ERROR_INVALID_PARAMETER');
    const three = A.getEnumDests({ enumHandle: en, count: 3 });
    expect([three.items.map((d) => d.prefix), three.done]).toEqual([all.slice(0, 3), false]);
    A.releaseDests(three.items);
    const zero = A.getEnumDests({ enumHandle: en, count: 0 });
    expect(zero).toEqual({ items: [], done: false });
    const four = A.getEnumDests({ enumHandle: en, count: 4 });
    expect([four.items.map((d) => d.prefix), four.done]).toEqual([all.slice(3), true]);   // the final batch (D-40)
    A.releaseDests(four.items);
    expect(A.getEnumDests({ enumHandle: en })).toEqual({ items: [], done: true });
    A.deleteEnumHandle(en);
    expectCode(() => A.getEnumDests({ enumHandle: en }), 'ERROR_INVALID_HANDLE');
  });

  it('views select destinations and per-view infos; ANY has no per-view data; the protocol selector picks the route', () => {
    const { A, B, nA, nB } = setup(impl);
    const a1 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, views: UCAST, preference: 50 }).handle!;
    A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, views: MCAST, returnHandle: false });
    const b1 = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, views: UCAST | MCAST, preference: 10 }).handle!;
    expect(destPrefixes(A, { views: UCAST })).toEqual(['10.1.0.0/16']);
    expect(destPrefixes(A, { views: MCAST })).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(destPrefixes(A, { views: ANY })).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    const en = A.createDestEnum({ views: UCAST | MCAST, protocolId: RTM_THIS_PROTOCOL });
    const { items, done } = A.getEnumDests({ enumHandle: en });
    expect(done).toBe(true);
    expect(items[0].viewInfo.map((v) => [v.viewId, v.numRoutes, v.route, v.owner])).toEqual([[0, 2, a1, A.handle], [1, 1, undefined, undefined]]);
    expect(items[0].views).toBe(UCAST | MCAST);
    A.releaseDests(items);
    A.deleteEnumHandle(en);
    const best = A.createDestEnum({ views: UCAST });
    const got = A.getEnumDests({ enumHandle: best });
    expect(got.items[0].viewInfo.map((v) => [v.viewId, v.route])).toEqual([[0, b1]]);
    A.releaseDests(got.items);
    A.deleteEnumHandle(best);
    const any = A.createDestEnum({ views: ANY, protocolId: PROTO_IP_OSPF });
    const anyGot = A.getEnumDests({ enumHandle: any });
    expect(anyGot.items.map((d) => d.viewInfo)).toEqual([[], []]);
    A.releaseDests(anyGot.items);
    A.deleteEnumHandle(any);
  });

  it('21. OWN_DESTS: destinations whose best route in a target view is the caller\'s', () => {
    const { A, B, nA, nB } = setup(impl);
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, preference: 10, returnHandle: false });
    A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, preference: 30, returnHandle: false });
    B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, preference: 20, returnHandle: false });
    B.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nB, preference: 20, returnHandle: false });
    A.addRouteToDest({ dest: '10.4.0.0/16', neighbour: nA, preference: 30, views: MCAST, returnHandle: false });
    B.addRouteToDest({ dest: '10.4.0.0/16', neighbour: nB, preference: 20, views: UCAST, returnHandle: false });
    expect(destPrefixes(A, { views: UCAST, enumFlags: OWN_DESTS })).toEqual(['10.1.0.0/16']);
    expect(destPrefixes(A, { views: MCAST, enumFlags: OWN_DESTS })).toEqual(['10.4.0.0/16']);
    expect(destPrefixes(A, { views: ANY, enumFlags: OWN_DESTS }, 1)).toEqual(['10.1.0.0/16', '10.4.0.0/16']);
    expect(destPrefixes(B, { views: UCAST, enumFlags: OWN_DESTS }, 1)).toEqual(['10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']);
    expect(destPrefixes(B, { views: UCAST, enumFlags: OWN_DESTS | RANGE, startDest: '10.3.0.0/16' })).toEqual(['10.3.0.0/16']);
  });

  it('D-45: cursors are live — additions behind are skipped, additions ahead returned, deletions ahead not returned, nothing twice', () => {
    const { A, B, nA, nB } = setup(impl);
    const h: Record<string, RouteHandle> = {};
    for (const dest of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16', '10.6.0.0/16']) h[dest] = A.addRouteToDest({ dest, neighbour: nA }).handle!;
    const en = A.createDestEnum({ views: UCAST });
    const first = A.getEnumDests({ enumHandle: en, count: 2 });
    expect(first.items.map((d) => d.prefix)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    A.releaseDests(first.items);
    A.addRouteToDest({ dest: '10.0.0.0/16', neighbour: nA, returnHandle: false });     // behind
    A.addRouteToDest({ dest: '10.1.128.0/17', neighbour: nA, returnHandle: false });   // behind (inside a returned one)
    A.addRouteToDest({ dest: '10.2.1.0/24', neighbour: nA, returnHandle: false });     // ahead (below the cursor's prefix)
    A.addRouteToDest({ dest: '10.5.0.0/16', neighbour: nA, returnHandle: false });     // ahead
    A.deleteRouteToDest(h['10.3.0.0/16']);                                              // ahead, deleted
    B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, returnHandle: false });     // the cursor's own destination changes
    const second = A.getEnumDests({ enumHandle: en, count: 2 });
    expect(second.items.map((d) => d.prefix)).toEqual(['10.2.1.0/24', '10.4.0.0/16']);
    A.releaseDests(second.items);
    A.deleteRouteToDest(h['10.4.0.0/16']);                                              // the cursor's destination disappears
    A.addRouteToDest({ dest: '10.4.0.0/16', neighbour: nA, returnHandle: false });     // … and comes back (new handle)
    const rest = A.getEnumDests({ enumHandle: en, count: 5 });
    expect([rest.items.map((d) => d.prefix), rest.done]).toEqual([['10.5.0.0/16', '10.6.0.0/16'], true]);
    A.releaseDests(rest.items);
    A.deleteEnumHandle(en);
  });

  it('destinations kept only by references or opaque values are not populated and not enumerated', () => {
    const { A, nA } = setup(impl, {}, { a: { reserveOpaquePointer: true } });
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA }).handle!;
    A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, returnHandle: false });
    const d = destOf(A, '10.1.0.0/16');
    A.referenceHandles([d]);
    A.getOpaqueInformationPointer(d)!.value = 1;
    A.deleteRouteToDest(r);
    expect(destPrefixes(A, { views: ANY })).toEqual(['10.2.0.0/16']);
    expect(destPrefixes(A, { views: UCAST })).toEqual(['10.2.0.0/16']);
    A.getOpaqueInformationPointer(d)!.value = null;
    A.releaseDestInfo({ handle: d, viewInfo: [] } as never);
    expect(A.getExactMatchDestination({ dest: '10.1.0.0/16', views: ANY })).toBeUndefined();
  });

  it('IPv6 destinations come in canonical order too', () => {
    const rtm = impl.create({});
    const e = party(rtm, 99, 1, {}, 'ipv6').entity;
    const n = e.addNextHop({ address: 'fe80::1', interfaceIndex: 3 }).handle!;
    const ps = ['2001:db8::/32', '::/0', '2001:db8:1::/48', '2001:db8::/48', 'fe80::/10', '2001:db8:0:1::/64'];
    for (const dest of ps) e.addRouteToDest({ dest, neighbour: n, returnHandle: false });
    expect(destPrefixes(e, {}, 2)).toEqual(['::/0', '2001:db8::/32', '2001:db8::/48', '2001:db8:0:1::/64', '2001:db8:1::/48', 'fe80::/10']);
    expect(destPrefixes(e, { enumFlags: RANGE, startDest: '2001:db8::/47' })).toEqual(['2001:db8::/48', '2001:db8:0:1::/64', '2001:db8:1::/48']);
    expect(destPrefixes(e, { enumFlags: NEXT, startDest: '2001:db8:0:2::/64' }, 1)).toEqual(['2001:db8:1::/48', 'fe80::/10']);
  });

  it('MaxHandlesInEnum comes from the options', () => {
    const { A, nA } = setup(impl, { maxHandlesInEnum: 3 });
    for (let i = 0; i < 8; i++) A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nA, returnHandle: false });
    const en = A.createDestEnum();
    const b = A.getEnumDests({ enumHandle: en });
    expect(b.items.length).toBe(3);
    A.releaseDests(b.items);
    expectCode(() => A.getEnumDests({ enumHandle: en, count: 4 }), 'ERROR_INVALID_PARAMETER');
    expect(destPrefixes(A, {}).length).toBe(8);
    expect([...A.dests()].length).toBe(8);
    expectCode(() => [...A.dests({ batch: 4 })], 'ERROR_INVALID_PARAMETER');
  });
});

describe.each(IMPLS)('$name: route enumerations', (impl) => {
  it('order: destinations, then preference, metric, age; one destination; views; OWN_ROUTES (21)', () => {
    const { A, B, nA, nB } = setup(impl);
    const r1 = A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, preference: 20 }).handle!;
    const r2 = B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, preference: 10, metric: 5 }).handle!;
    const r3 = A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: null, preference: 10, metric: 5 }).handle!;
    const r4 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, preference: 99, views: MCAST }).handle!;
    const r5 = B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: null, preference: 10, metric: 1, views: MCAST }).handle!;
    for (const count of [1, 2, 5, undefined]) {
      expect(routesOf(A, {}, count)).toEqual([r4, r5, r2, r3, r1]);
      expect(routesOf(A, { views: UCAST }, count)).toEqual([r2, r3, r1]);
      expect(routesOf(A, { views: MCAST }, count)).toEqual([r4, r5]);
      expect(routesOf(A, { views: ANY }, count)).toEqual([r4, r5, r2, r3, r1]);
    }
    expect(routesOf(A, { dest: destOf(A, '10.2.0.0/16'), enumFlags: RANGE, startDest: '10.1.0.0/16' }, 2)).toEqual([r5, r2, r3, r1]);
    expect(routesOf(A, { enumFlags: OWN_ROUTES }, 1)).toEqual([r4, r3, r1]);
    expect(routesOf(B, { enumFlags: OWN_ROUTES, views: UCAST })).toEqual([r2]);
    expect(routesOf(A, { enumFlags: RANGE, startDest: '10.2.0.0/15' })).toEqual([r5, r2, r3, r1]);
    expect(routesOf(A, { enumFlags: NEXT, startDest: '10.1.0.1/32' }, 3)).toEqual([r5, r2, r3, r1]);
  });

  it('matching criteria (§8.8.4): owner, neighbour, preference and metric, next hops, interface', () => {
    const { A, B, nA, nB } = setup(impl);
    const nA2 = A.addNextHop({ address: '10.0.0.5', interfaceIndex: 7 }).handle!;
    const r1 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, nextHops: [nA, nA2], preference: 5, metric: 1 }).handle!;
    const r2 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA2, nextHops: [nA2], preference: 5, metric: 2 }).handle!;
    const r3 = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, nextHops: [nB], preference: 5, metric: 1 }).handle!;
    const r4 = A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: null, nextHops: [nA], preference: 5, metric: 1 }).handle!;
    const m = (o: RouteEnumOptions): RouteHandle[] => routesOf(A, o, 1);
    expect(m({ matchFlags: RTM_MATCH_OWNER, criteria: { owner: B.handle } })).toEqual([r3]);
    expect(m({ matchFlags: RTM_MATCH_NEIGHBOUR, criteria: { neighbour: nA2 } })).toEqual([r2]);
    expect(m({ matchFlags: RTM_MATCH_NEIGHBOUR, criteria: { neighbour: null } })).toEqual([r4]);
    expect(m({ matchFlags: RTM_MATCH_PREF, criteria: { preference: 5, metric: 1 } })).toEqual([r1, r3, r4]);
    expect(m({ matchFlags: RTM_MATCH_NEXTHOP, criteria: { nextHops: [nA2] } })).toEqual([r1, r2]);
    expect(m({ matchFlags: RTM_MATCH_NEXTHOP, criteria: { nextHops: [nA, nA2] } })).toEqual([r1]);
    expect(m({ matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 7 })).toEqual([r1, r2]);
    expect(m({ matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 2 })).toEqual([r3]);
    expect(m({ matchFlags: RTM_MATCH_OWNER | RTM_MATCH_PREF, criteria: { owner: A.handle, preference: 5, metric: 1 } })).toEqual([r1, r4]);
    expect(m({ matchFlags: 0x100, criteria: undefined })).toEqual([r1, r3, r2, r4]);          // bits above 0x1F are ignored
    expectCode(() => A.createRouteEnum({ matchFlags: RTM_MATCH_NEXTHOP }), 'ERROR_INVALID_PARAMETER');
    expect(m({ matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 1, enumFlags: OWN_ROUTES })).toEqual([r1, r4]);
  });

  it('D-45 within a destination: the cursor is (key, preference, metric, age); moved or new routes behind it are skipped', () => {
    const { A, B, nA, nB } = setup(impl);
    const a10 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, preference: 10 }).handle!;
    const b20 = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, preference: 20 }).handle!;
    const a30 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: null, preference: 30 }).handle!;
    const b40 = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: null, preference: 40 }).handle!;
    const z = A.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nA }).handle!;
    const en = A.createRouteEnum({ views: UCAST });
    const one = A.getEnumRoutes({ enumHandle: en, count: 2 });
    expect(one).toEqual({ items: [a10, b20], done: false });
    A.releaseRoutes(one.items);
    A.addRouteToDest({ dest: '10.1.0.0/16', route: a10, neighbour: nA, preference: 35 });       // returned; moves ahead: not again
    const b15 = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, preference: 15, changeFlags: 2 }).handle!;   // new, behind
    const a25 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: null, preference: 25, changeFlags: 2 }).handle!; // new, ahead
    const b20b = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, preference: 20, changeFlags: 2 }).handle!;  // same pref, younger: ahead
    B.deleteRouteToDest(b40);                                                                    // ahead, deleted
    const two = A.getEnumRoutes({ enumHandle: en, count: 3 });
    expect(two).toEqual({ items: [b20b, a25, a30], done: false });
    A.releaseRoutes(two.items);
    A.addRouteToDest({ dest: '10.1.0.0/16', route: a30, neighbour: null, preference: 50 });     // the cursor route itself moves
    const rest = A.getEnumRoutes({ enumHandle: en });
    expect(rest).toEqual({ items: [z], done: true });
    A.releaseRoutes(rest.items);
    A.deleteEnumHandle(en);
    void b15;
  });

  it('a one-destination enumeration ends when its destination goes; deleted routes are not returned', () => {
    const { A, nA } = setup(impl);
    const r1 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, metric: 1 }).handle!;
    const r2 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: null, metric: 2 }).handle!;
    const d = destOf(A, '10.1.0.0/16');
    const en = A.createRouteEnum({ dest: d });
    const first = A.getEnumRoutes({ enumHandle: en, count: 1 });
    expect(first).toEqual({ items: [r1], done: false });
    A.releaseRoutes(first.items);
    A.deleteRouteToDest(r1);
    A.deleteRouteToDest(r2);
    expect(A.getEnumRoutes({ enumHandle: en })).toEqual({ items: [], done: true });
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, returnHandle: false });   // a new destination object
    expect(A.getEnumRoutes({ enumHandle: en })).toEqual({ items: [], done: true });
    A.deleteEnumHandle(en);
  });

  it('15. held routes only with views ANY (needs hold-down)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    if (typeof (A as Partial<EntityLike>).holdDestination !== 'function') return;   // hold-down not in this build yet
    const r = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const q = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, views: UCAST }).handle!;
    A.holdDestination({ dest: destOf(A, P), views: UCAST, holdTime: 30_000 });
    A.referenceHandles([r]);
    A.deleteRouteToDest(r);
    expect(routesOf(A, { views: UCAST })).toEqual([q]);
    expect(routesOf(A, { views: ANY })).toEqual([q, r]);
    expect(destPrefixes(A, { views: UCAST })).toEqual(['10.1.0.0/16']);
    const en = A.createDestEnum({ views: ANY });
    const got = A.getEnumDests({ enumHandle: en });
    expect(got.items.map((d) => [d.prefix, d.viewInfo.length])).toEqual([['10.1.0.0/16', 0], [P, 0]]);
    A.releaseDests(got.items);
    A.deleteEnumHandle(en);
    const b = B.addRouteToDest({ dest: P, neighbour: nB, views: UCAST, preference: 200 }).handle!;
    expect(routesOf(A, { views: ANY, dest: destOf(A, P) })).toEqual([r, b]);       // by preference: held 0, live 200
    expect(routesOf(A, { views: UCAST, dest: destOf(A, P) })).toEqual([b]);
    A.releaseRoutes([r]);
  });
});

describe.each(IMPLS)('$name: next-hop enumerations', (impl) => {
  it('the caller\'s own next hops by (address, interface); RANGE and NEXT; live cursor', () => {
    const { A, B } = setup(impl);
    for (const [address, interfaceIndex] of [['10.0.0.9', 1], ['10.0.0.3', 5], ['10.0.0.3', 2], ['192.168.0.1', 1], ['10.0.0.0/30', 4]] as const) {
      A.addNextHop({ address, interfaceIndex, returnHandle: false });
    }
    B.addNextHop({ address: '10.0.0.4', interfaceIndex: 1, returnHandle: false });
    const drain = (o: Parameters<EntityLike['createNextHopEnum']>[0], count?: number): string[] => {
      const en = A.createNextHopEnum(o);
      const out: string[] = [];
      for (;;) {
        const { items, done } = A.getEnumNextHops({ enumHandle: en, count });
        out.push(...nextHopNames(A, items));
        A.releaseNextHops(items);
        if (done) break;
      }
      A.deleteEnumHandle(en);
      return out;
    };
    const all = ['10.0.0.0/30%4', '10.0.0.1%1', '10.0.0.3%2', '10.0.0.3%5', '10.0.0.9%1', '192.168.0.1%1'];
    expect(drain(undefined)).toEqual(all);
    expect(drain({ enumFlags: START }, 1)).toEqual(all);
    expect(drain({ enumFlags: RANGE, address: '10.0.0.0/29' }, 2)).toEqual(all.slice(0, 4));
    expect(drain({ enumFlags: NEXT, address: '10.0.0.3' })).toEqual(all.slice(2));
    expect(drain({ enumFlags: NEXT, address: '10.0.0.2' }, 1)).toEqual(all.slice(2));
    const en = A.createNextHopEnum();
    const first = A.getEnumNextHops({ enumHandle: en, count: 3 });
    expect(nextHopNames(A, first.items)).toEqual(all.slice(0, 3));
    A.releaseNextHops(first.items);
    A.addNextHop({ address: '10.0.0.2', interfaceIndex: 1, returnHandle: false });     // behind
    A.addNextHop({ address: '10.0.0.3', interfaceIndex: 3, returnHandle: false });     // ahead (same address, later interface)
    A.deleteNextHop({ address: '10.0.0.9', interfaceIndex: 1 });                       // ahead, deleted
    const rest = A.getEnumNextHops({ enumHandle: en });
    expect([nextHopNames(A, rest.items), rest.done]).toEqual([['10.0.0.3%3', '10.0.0.3%5', '192.168.0.1%1'], true]);
    A.releaseNextHops(rest.items);
    A.deleteEnumHandle(en);
  });
});

describe.each(IMPLS)('$name: iterators', (impl) => {
  it('dests() and routes() drain, release their batches and delete the enumeration, also on break', () => {
    const { A, nA } = setup(impl);
    for (let i = 0; i < 7; i++) A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nA, returnHandle: false });
    expect([...A.dests({ views: UCAST, batch: 3 })].map((d) => d.prefix)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `10.${i}.0.0/16`));
    expect([...A.dests({ enumFlags: RANGE, startDest: '10.4.0.0/14', batch: 1 })].map((d) => d.prefix)).toEqual(['10.4.0.0/16', '10.5.0.0/16', '10.6.0.0/16']);
    let n = 0;
    for (const r of A.routes({ batch: 2 })) { n++; if (n === 3) { A.deleteRouteToDest(r); break; } }
    for (const d of A.dests({ batch: 2 })) { if (d.prefix === '10.4.0.0/16') break; }
    expect([...A.routes()].length).toBe(6);
    // Nothing leaked: every remaining route can be deleted, leaving an empty table.
    for (const r of [...A.routes({ batch: 4 })]) { A.referenceHandles([r]); A.deleteRouteToDest(r); }
    expect([...A.dests({ views: ANY })]).toEqual([]);
    expect(A.getExactMatchDestination({ dest: '10.4.0.0/16', views: ANY })).toBeUndefined();
  });
});

describe.each(IMPLS)('$name: enumeration errors', (impl) => {
  it('each error path throws a clear RtmError and leaves the instance unchanged', () => {
    const w = setup(impl);
    const { A, B, nA, nB } = w;
    const rA = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA }).handle!;
    const rB = B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, views: MCAST }).handle!;
    const gone = A.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nA }).handle!;
    const dStale = destOf(A, '10.9.0.0/16');
    A.deleteRouteToDest(gone);
    const enumA = A.createDestEnum();
    const enumR = A.createRouteEnum();
    const enumN = A.createNextHopEnum();
    const deleted = A.createDestEnum();
    A.deleteEnumHandle(deleted);
    const snap = (): unknown => publicSnapshot({
      entities: [A, B], probes: ['10.1.0.0/16', '10.2.0.0/16', '10.9.0.0/16'], routes: [rA, rB, gone], nextHops: [nA, nB], dynamics: true,
    });
    const before = snap();
    const cases: [string, string, () => unknown][] = [
      ['createDestEnum: two range flags', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: NEXT | RANGE, startDest: '10.0.0.0/8' })],
      ['createDestEnum: unknown flag bit', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: 0x4 })],
      ['createDestEnum: OWN_ROUTES is not a destination flag', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: OWN_ROUTES })],
      ['createDestEnum: RANGE without a prefix', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: RANGE })],
      ['createDestEnum: NEXT with a bad prefix', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: NEXT, startDest: '10.0.0.0/33' })],
      ['createDestEnum: IPv6 prefix in an IPv4 table', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ enumFlags: NEXT, startDest: '::/0' })],
      ['createDestEnum: unsupported view', 'ERROR_NOT_SUPPORTED', () => A.createDestEnum({ views: 0x4 })],
      ['createDestEnum: views not a u32', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ views: -1 })],
      ['createDestEnum: protocolId not a u32', 'ERROR_INVALID_PARAMETER', () => A.createDestEnum({ protocolId: 1.5 })],
      ['createRouteEnum: freed destination', 'ERROR_INVALID_HANDLE', () => A.createRouteEnum({ dest: dStale })],
      ['createRouteEnum: not a destination handle', 'ERROR_INVALID_HANDLE', () => A.createRouteEnum({ dest: rA as unknown as DestHandle })],
      ['createRouteEnum: criteria missing', 'ERROR_INVALID_PARAMETER', () => A.createRouteEnum({ matchFlags: RTM_MATCH_PREF })],
      ['createRouteEnum: DEST flag', 'ERROR_INVALID_PARAMETER', () => A.createRouteEnum({ enumFlags: OWN_DESTS })],
      ['createRouteEnum: unsupported view', 'ERROR_NOT_SUPPORTED', () => A.createRouteEnum({ views: 0x8 })],
      ['createRouteEnum: interfaceIndex not a u32', 'ERROR_INVALID_PARAMETER', () => A.createRouteEnum({ interfaceIndex: -2 })],
      ['createNextHopEnum: NEXT without an address', 'ERROR_INVALID_PARAMETER', () => A.createNextHopEnum({ enumFlags: NEXT })],
      ['createNextHopEnum: OWN flag', 'ERROR_INVALID_PARAMETER', () => A.createNextHopEnum({ enumFlags: OWN_ROUTES })],
      ['getEnumDests: another entity\'s enumeration', 'ERROR_INVALID_HANDLE', () => B.getEnumDests({ enumHandle: enumA })],
      ['getEnumDests: a route enumeration', 'ERROR_INVALID_HANDLE', () => A.getEnumDests({ enumHandle: enumR })],
      ['getEnumDests: deleted enumeration', 'ERROR_INVALID_HANDLE', () => A.getEnumDests({ enumHandle: deleted })],
      ['getEnumDests: not a handle', 'ERROR_INVALID_HANDLE', () => A.getEnumDests({ enumHandle: 'x' as never })],
      ['getEnumDests: count above MaxHandlesInEnum', 'ERROR_INVALID_PARAMETER', () => A.getEnumDests({ enumHandle: enumA, count: 101 })],
      ['getEnumDests: count not a u32', 'ERROR_INVALID_PARAMETER', () => A.getEnumDests({ enumHandle: enumA, count: -1 })],
      ['getEnumRoutes: a next-hop enumeration', 'ERROR_INVALID_HANDLE', () => A.getEnumRoutes({ enumHandle: enumN })],
      ['getEnumRoutes: count above MaxHandlesInEnum', 'ERROR_INVALID_PARAMETER', () => A.getEnumRoutes({ enumHandle: enumR, count: 1000 })],
      ['getEnumNextHops: a destination enumeration', 'ERROR_INVALID_HANDLE', () => A.getEnumNextHops({ enumHandle: enumA })],
      ['getEnumNextHops: count above MaxHandlesInEnum', 'ERROR_INVALID_PARAMETER', () => A.getEnumNextHops({ enumHandle: enumN, count: 101 })],
      ['deleteEnumHandle: another entity\'s', 'ERROR_INVALID_HANDLE', () => B.deleteEnumHandle(enumA)],
      ['deleteEnumHandle: deleted', 'ERROR_INVALID_HANDLE', () => A.deleteEnumHandle(deleted)],
      ['deleteEnumHandle: a route handle', 'ERROR_INVALID_HANDLE', () => A.deleteEnumHandle(rA as unknown as EnumHandle)],
      ['referenceHandles: an enumeration handle', 'ERROR_INVALID_HANDLE', () => A.referenceHandles([enumA as never])],
    ];
    for (const [what, code, fn] of cases) {
      let thrown: unknown;
      try { fn(); } catch (err) { thrown = err; }
      expect(thrown, what).toBeInstanceOf(RtmError);
      expect((thrown as RtmError).code, what).toBe(code);
      expect((thrown as RtmError).message, what).toMatch(/^rtm: \w+: ERROR_/);
      expect(snap(), what).toEqual(before);
    }
    // the enumerations hit by failing calls still work from where they were
    const d = A.getEnumDests({ enumHandle: enumA });
    expect(d.items.map((x) => x.prefix)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    A.releaseDests(d.items);
    expect(drainRoutes(A, enumR)).toEqual([rA, rB]);
    for (const en of [enumA, enumR, enumN]) A.deleteEnumHandle(en);
    w.A.deregister();
    expectCode(() => A.createDestEnum(), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getEnumDests({ enumHandle: enumA }), 'ERROR_INVALID_HANDLE');
    expectCode(() => [...A.dests()], 'ERROR_INVALID_HANDLE');
  });
});

describe('wasm: large batches', () => {
  it('a MaxHandlesInEnum above the core\'s I/O batch size still returns whole batches', () => {
    const { A } = setup(IMPLS[1], { maxHandlesInEnum: 5000 });
    const n = 4200;
    for (let i = 0; i < n; i++) {
      const address = `10.${(i >> 8) & 255}.${i & 255}.1`;
      const hop = A.addNextHop({ address, interfaceIndex: 1 }).handle!;
      A.addRouteToDest({ dest: `${address}/32`, neighbour: hop, returnHandle: false });
    }
    const ne = A.createNextHopEnum();
    const hops = A.getEnumNextHops({ enumHandle: ne, count: 5000 });
    expect([hops.items.length, hops.done]).toEqual([n, true]);                 // (10.0.0.1%1 is the fixture's nA)
    A.releaseNextHops(hops.items);
    A.deleteEnumHandle(ne);
    const de = A.createDestEnum();
    const part = A.getEnumDests({ enumHandle: de, count: n - 1 });
    expect([part.items.length, part.done]).toEqual([n - 1, false]);
    A.releaseDests(part.items);
    const last = A.getEnumDests({ enumHandle: de, count: 5000 });
    expect([last.items.map((d) => d.prefix), last.done]).toEqual([['10.16.103.1/32'], true]);
    A.releaseDests(last.items);
    A.deleteEnumHandle(de);
    const re = A.createRouteEnum({ enumFlags: RANGE, startDest: '10.1.0.0/16' });
    const routes = A.getEnumRoutes({ enumHandle: re, count: 5000 });
    expect([routes.items.length, routes.done]).toEqual([256, true]);
    A.releaseRoutes(routes.items);
    A.deleteEnumHandle(re);
  });
});
