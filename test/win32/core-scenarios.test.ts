// Spec §13 scenarios 1–8, 22, 23, 27 (core semantics) through the Win32 layer, on every implementation
// (the model and the WASM facade), plus scenario 31 (address helpers) and the instance selection of
// RtmRegisterEntity. Everything is called the C way: structs, Refs, statuses.
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import {
  CORE_IMPLS, addRoute, addRouteOk, bestIn, destInfo, destOf, exactDest, net, nextHop, register, routeOf, routeInfo, setup, text,
  useImpl,
} from './helpers.js';

const { RTM_ROUTE_CHANGE_NEW: NEW, RTM_ROUTE_CHANGE_BEST: BEST, RTM_ROUTE_CHANGE_FIRST: FIRST } = W;
const UCAST = W.RTM_VIEW_MASK_UCAST, MCAST = W.RTM_VIEW_MASK_MCAST;

describe.each(CORE_IMPLS)('$name: best-route selection (scenarios 1–4)', (impl) => {
  it('1. lower preference wins over lower metric', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 120, metric: 1 });
    expect(a.changeFlags).toBe(NEW | BEST);
    const b = addRouteOk(B, P, { neighbour: nB, pref: 110, metric: 20 });
    expect(b.changeFlags).toBe(NEW | BEST);
    expect(bestIn(A, a.handle)).toBe(0);
    expect(bestIn(B, b.handle)).toBe(UCAST);
    const d = exactDest(A, P, UCAST);
    expect(d.status).toBe(W.NO_ERROR);
    expect(text(d.info.DestAddress)).toBe(P);
    expect(d.info.BelongsToViews).toBe(UCAST);
    expect(d.info.NumberOfViews).toBe(1);
    expect(d.info.ViewInfo).toEqual([{ ViewId: 0, NumRoutes: 2, Route: b.handle, Owner: B, DestFlags: 0, HoldRoute: 0 }]);
    expect(typeof d.info.LastChanged).toBe('bigint');
  });

  it('2. the metric breaks preference ties; the update that makes a route best reports BEST', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 });
    const b = addRouteOk(B, P, { neighbour: nB, pref: 100, metric: 3 });
    expect(b.changeFlags).toBe(NEW | BEST);
    expect(bestIn(B, b.handle)).toBe(UCAST);
    const up = addRoute(A, P, { route: a.handle, neighbour: nA, pref: 100, metric: 2 });
    expect(up).toEqual({ status: W.NO_ERROR, handle: a.handle, changeFlags: BEST });
    expect(bestIn(A, a.handle)).toBe(UCAST);
    expect(bestIn(A, b.handle)).toBe(0);
    expect(routeOf(A, a.handle).PrefInfo.Metric).toBe(2);
  });

  it('3. exact ties keep the incumbent; deleting it promotes the other', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 });
    const b = addRouteOk(B, P, { neighbour: nB, pref: 100, metric: 5 });
    expect(b.changeFlags).toBe(NEW);
    expect(bestIn(A, a.handle)).toBe(UCAST);
    const flags = W.ref(-1);
    expect(W.RtmDeleteRouteToDest(A, a.handle, flags)).toBe(W.NO_ERROR);
    expect(flags.value).toBe(BEST);
    expect(bestIn(B, b.handle)).toBe(UCAST);
  });

  it('4. views are independent; ViewInfo comes in ascending view-id order', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5, views: UCAST });
    const b = addRouteOk(B, P, { neighbour: nB, pref: 200, metric: 50, views: MCAST });
    expect(b.changeFlags).toBe(NEW | BEST);
    const d = exactDest(A, P, UCAST | MCAST);
    expect(d.info.NumberOfViews).toBe(2);
    expect(d.info.ViewInfo.map((v) => [v.ViewId, v.Route, v.Owner, v.NumRoutes])).toEqual([[0, a.handle, A, 1], [1, b.handle, B, 1]]);
    expect(d.info.BelongsToViews).toBe(UCAST | MCAST);
    // A pre-sized struct keeps its entry objects; ViewInfo's length follows NumberOfViews.
    const s = new W.RTM_DEST_INFO(2);
    const first = s.ViewInfo[0];
    expect(W.RtmGetExactMatchDestination(A, net(P), W.RTM_BEST_PROTOCOL, MCAST, s)).toBe(W.NO_ERROR);
    expect(s.ViewInfo.length).toBe(1);
    expect(s.ViewInfo[0]).toBe(first);
    expect(s.ViewInfo[0]).toMatchObject({ ViewId: 1, Route: b.handle });
    expect(W.RtmReleaseDestInfo(A, s)).toBe(W.NO_ERROR);
    // TargetViews 0: no per-view data.
    const any = exactDest(A, P, W.RTM_VIEW_MASK_ANY);
    expect(any.info.NumberOfViews).toBe(0);
    expect(any.info.ViewInfo).toEqual([]);
  });
});

describe.each(CORE_IMPLS)('$name: route identity, ownership, references (scenarios 5–8)', (impl) => {
  it('5. same (dest, owner, neighbour) updates; NEW forces a route; NULL neighbour is another; FIRST ignores the neighbour', () => {
    const { A, nA, P } = setup(impl);
    const r1 = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 });
    expect(r1.changeFlags).toBe(NEW | BEST);
    const r1b = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 });
    expect(r1b.changeFlags & NEW).toBe(0);
    expect(r1b.handle).toBe(r1.handle);
    const r2 = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 7, changeFlags: NEW });
    expect(r2.changeFlags).toBe(NEW);
    expect(r2.handle).not.toBe(r1.handle);
    const r3 = addRouteOk(A, P, { nextHops: [nA], pref: 100, metric: 9 });
    expect(r3.changeFlags).toBe(NEW);
    expect(new Set([r1.handle, r2.handle, r3.handle]).size).toBe(3);
    const nA2 = nextHop(A, '10.0.0.3', 1);
    const f = addRouteOk(A, P, { neighbour: nA2, pref: 100, metric: 4, changeFlags: FIRST });
    expect(f.handle).toBe(r1.handle);
    expect(f.changeFlags).toBe(BEST);
    const info = routeOf(A, r1.handle);
    expect(info.Neighbour).toBe(nA2);
    expect(info.NextHopsList.NextHops).toEqual([nA2]);
    expect(info.NextHopsList.NumNextHops).toBe(1);
    expect(info.PrefInfo.Metric).toBe(4);
    expect(exactDest(A, P, UCAST).info.ViewInfo[0].NumRoutes).toBe(3);
    expect(W.RtmReleaseRoutes(A, 5, [r1.handle, r1b.handle, r2.handle, r3.handle, f.handle])).toBe(W.NO_ERROR);
  });

  it('5b. a NULL RouteHandle pointer takes no reference; a Ref holding a handle is left unchanged', () => {
    const { A, nA, P } = setup(impl);
    const none = addRoute(A, P, { neighbour: nA, wantHandle: false });
    expect(none).toEqual({ status: W.NO_ERROR, handle: null, changeFlags: NEW | BEST });
    const found = W.ref<number>(null), ri = new W.RTM_ROUTE_INFO();
    expect(W.RtmGetExactMatchRoute(A, net(P), W.RTM_MATCH_NONE, ri, 0, UCAST, found)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRouteInfo(A, ri)).toBe(W.NO_ERROR);
    const byHandle = W.ref(found.value);
    const flags = W.ref(NEW);                                        // input flags are ignored with a handle (D-34)
    expect(W.RtmAddRouteToDest(A, byHandle, net(P), routeInfo({ neighbour: nA, metric: 3 }), W.INFINITE, null, 0, null, flags)).toBe(W.NO_ERROR);
    expect(byHandle.value).toBe(found.value);
    expect(flags.value).toBe(BEST);
    expect(W.RtmReleaseRoutes(A, 1, [found.value])).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(A, 1, [found.value])).toBe(W.ERROR_INVALID_HANDLE);
  });

  it('5c. host bits are cleared: 10.10.10.10/24 stores 10.10.10.0/24 (scenario 31 end to end)', () => {
    const { A, nA } = setup(impl);
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_MAKE_NET_ADDRESS(na, '10.10.10.10', 24);
    const h = W.ref<number>(null), flags = W.ref(0);
    expect(W.RtmAddRouteToDest(A, h, na, routeInfo({ neighbour: nA }), W.INFINITE, null, 0, null, flags)).toBe(W.NO_ERROR);
    expect(routeOf(A, h.value!).prefix).toBe('10.10.10.0/24');
    const d = exactDest(A, '10.10.10.0/24');
    expect(Array.from(d.info.DestAddress.AddrBits.slice(0, 4))).toEqual([10, 10, 10, 0]);
    expect(d.info.DestAddress).toMatchObject({ AddressFamily: W.AF_INET, NumBits: 24 });
  });

  it('6. ownership: only the owner updates or deletes; anyone reads', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 });
    expect(addRoute(B, P, { route: a.handle, neighbour: nB, metric: 1 }).status).toBe(W.ERROR_ACCESS_DENIED);
    expect(W.RtmDeleteRouteToDest(B, a.handle, W.ref(0))).toBe(W.ERROR_ACCESS_DENIED);
    const info = routeOf(B, a.handle);
    expect(info).toMatchObject({ RouteOwner: A, Neighbour: nA, PrefInfo: { Preference: 100, Metric: 5 }, BelongsToViews: UCAST, prefix: P });
    expect(bestIn(A, a.handle)).toBe(UCAST);
    expect(routeOf(A, a.handle).PrefInfo.Metric).toBe(5);
    // The pointer: only for the owner.
    const ptr = W.ref<W.RTM_ROUTE_INFO | null>(null);
    const st = W.RtmGetRoutePointer(B, a.handle, ptr);
    expect([W.ERROR_ACCESS_DENIED, W.ERROR_NOT_SUPPORTED]).toContain(st);     // ERROR_NOT_SUPPORTED: not implemented yet (WASM)
    expect(ptr.value).toBeNull();
  });

  it('7. a foreign next hop, or more than MaxNextHopsInRoute, is ERROR_INVALID_PARAMETER', () => {
    const { pa, A, nA, nB, P } = setup(impl);
    expect(addRoute(A, P, { neighbour: nA, nextHops: [nB] }).status).toBe(W.ERROR_INVALID_PARAMETER);
    expect(addRoute(A, P, { neighbour: nB, nextHops: [nA] }).status).toBe(W.ERROR_INVALID_PARAMETER);
    const max = pa.profile.MaxNextHopsInRoute;
    const hops: number[] = [];
    for (let i = 0; i <= max; i++) hops.push(nextHop(A, `10.0.1.${i + 1}`, 1));
    expect(addRoute(A, P, { neighbour: nA, nextHops: hops }).status).toBe(W.ERROR_INVALID_PARAMETER);
    expect(addRoute(A, P, { neighbour: nA, nextHops: hops.slice(0, max) }).status).toBe(W.NO_ERROR);
    // NumNextHops counts, not the array: a longer array with the right count is fine.
    const ri = routeInfo({ neighbour: nA, nextHops: hops });
    ri.NextHopsList.NumNextHops = 1;
    expect(W.RtmAddRouteToDest(A, null, net('10.7.0.0/16'), ri, W.INFINITE, null, 0, null, W.ref(0))).toBe(W.NO_ERROR);
    expect(routeOf(A, exactDest(A, '10.7.0.0/16').info.ViewInfo[0].Route).NextHopsList.NextHops).toEqual([hops[0]]);
  });

  it('8. delete consumes the handle; a second reference keeps the deleted route readable; deleting again is ERROR_NOT_FOUND', () => {
    const { A, nA, P } = setup(impl);
    const h1 = addRouteOk(A, P, { neighbour: nA }).handle;
    expect(W.RtmDeleteRouteToDest(A, h1, W.ref(0))).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(A, 1, [h1])).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmGetRouteInfo(A, h1, new W.RTM_ROUTE_INFO(), null)).toBe(W.ERROR_INVALID_HANDLE);
    const h2 = addRouteOk(A, P, { neighbour: nA }).handle;
    expect(W.RtmReferenceHandles(A, 1, [h2])).toBe(W.NO_ERROR);
    expect(W.RtmDeleteRouteToDest(A, h2, W.ref(0))).toBe(W.NO_ERROR);
    expect(W.RtmDeleteRouteToDest(A, h2, W.ref(0))).toBe(W.ERROR_NOT_FOUND);
    expect(routeOf(A, h2).State).toBe(W.RTM_ROUTE_STATE_DELETED);
    expect(bestIn(A, h2)).toBe(0);
    expect(addRoute(A, P, { route: h2, neighbour: nA }).status).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmReleaseRoutes(A, 1, [h2])).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(A, 1, [h2])).toBe(W.ERROR_INVALID_HANDLE);
  });

  it('8b. release functions give back exactly what the struct was filled with, even after the caller edited it', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA });
    const ri = new W.RTM_ROUTE_INFO();
    expect(W.RtmGetRouteInfo(B, a.handle, ri, null)).toBe(W.NO_ERROR);
    ri.NextHopsList.NextHops[0] = nB;                               // edited (the update procedure does this)
    ri.Neighbour = 0;
    expect(W.RtmReleaseRouteInfo(B, ri)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRouteInfo(B, ri)).toBe(W.ERROR_INVALID_HANDLE);   // released already: re-derived from the fields
    // A struct the layer did not fill is released by the handles in its fields.
    const d = new W.RTM_DEST_INFO();
    expect(W.RtmGetExactMatchDestination(B, net(P), 0, UCAST, d)).toBe(W.NO_ERROR);
    const copy = new W.RTM_DEST_INFO(1);
    copy.DestHandle = d.DestHandle;
    copy.NumberOfViews = 1;
    Object.assign(copy.ViewInfo[0], d.ViewInfo[0]);
    expect(W.RtmReleaseDestInfo(B, copy)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseDestInfo(B, d)).toBe(W.ERROR_INVALID_HANDLE);
    // Next hops: owner (and no remote destination) referenced.
    const ni = new W.RTM_NEXTHOP_INFO();
    expect(W.RtmGetNextHopInfo(B, nA, ni)).toBe(W.NO_ERROR);
    expect(ni).toMatchObject({ NextHopOwner: A, InterfaceIndex: 1, State: W.RTM_NEXTHOP_STATE_CREATED, RemoteNextHop: 0 });
    expect(text(ni.NextHopAddress)).toBe('10.0.0.1/32');
    expect(W.RtmReleaseNextHopInfo(B, ni)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseNextHopInfo(B, ni)).toBe(W.ERROR_INVALID_HANDLE);
  });

  it('8c. next hops: add finds the existing one, find returns a referenced handle, delete by identity', () => {
    const { A, nA } = setup(impl);
    const info = new W.RTM_NEXTHOP_INFO();
    W.RTM_IPV4_MAKE_NET_ADDRESS(info.NextHopAddress, 0x0a000001, 32);
    info.InterfaceIndex = 1;
    const h = W.ref<number>(null), flags = W.ref(-1);
    expect(W.RtmAddNextHop(A, info, h, flags)).toBe(W.NO_ERROR);
    expect([h.value, flags.value]).toEqual([nA, 0]);
    expect(W.RtmAddNextHop(A, info, null, flags)).toBe(W.NO_ERROR);
    const found = W.ref<number>(null);
    expect(W.RtmFindNextHop(A, info, found, null)).toBe(W.NO_ERROR);
    expect(found.value).toBe(nA);
    expect(W.RtmReleaseNextHops(A, 2, [h.value, found.value])).toBe(W.NO_ERROR);
    const other = new W.RTM_NEXTHOP_INFO();
    W.RTM_IPV4_MAKE_NET_ADDRESS(other.NextHopAddress, '10.9.9.9', 32);
    expect(W.RtmFindNextHop(A, other, found, null)).toBe(W.ERROR_NOT_FOUND);
    expect(W.RtmDeleteNextHop(A, null, info)).toBe(W.NO_ERROR);
    expect(W.RtmFindNextHop(A, info, found, null)).toBe(W.ERROR_NOT_FOUND);
    expect(W.RtmDeleteNextHop(A, null, info)).toBe(W.ERROR_NOT_FOUND);
  });
});

describe.each(CORE_IMPLS)('$name: queries (scenarios 22–23)', (impl) => {
  it('22. longest-prefix match, then walking up with less-specific lookups to 0/0', () => {
    const { A, nA } = setup(impl);
    for (const p of ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16']) addRouteOk(A, p, { neighbour: nA, wantHandle: false });
    const ms = new W.RTM_DEST_INFO(1);
    expect(W.RtmGetMostSpecificDestination(A, net('10.1.2.3/32'), 0, UCAST, ms)).toBe(W.NO_ERROR);
    expect(text(ms.DestAddress)).toBe('10.1.0.0/16');
    const up1 = new W.RTM_DEST_INFO(1), up2 = new W.RTM_DEST_INFO(1), up3 = new W.RTM_DEST_INFO(1);
    expect(W.RtmGetLessSpecificDestination(A, ms.DestHandle, 0, UCAST, up1)).toBe(W.NO_ERROR);
    expect(text(up1.DestAddress)).toBe('10.0.0.0/8');
    expect(W.RtmGetLessSpecificDestination(A, up1.DestHandle, 0, UCAST, up2)).toBe(W.NO_ERROR);
    expect(text(up2.DestAddress)).toBe('0.0.0.0/0');
    expect(W.RtmGetLessSpecificDestination(A, up2.DestHandle, 0, UCAST, up3)).toBe(W.ERROR_NOT_FOUND);
    for (const d of [ms, up1, up2]) expect(W.RtmReleaseDestInfo(A, d)).toBe(W.NO_ERROR);
    expect(exactDest(A, '10.1.2.0/24', UCAST).status).toBe(W.ERROR_NOT_FOUND);
    // A UCAST lookup skips a more specific prefix that only has MCAST routes.
    addRouteOk(A, '10.1.2.0/24', { neighbour: nA, views: MCAST, wantHandle: false });
    const m = new W.RTM_DEST_INFO();
    expect(W.RtmGetMostSpecificDestination(A, net('10.1.2.3'), 0, UCAST, m)).toBe(W.NO_ERROR);
    expect(text(m.DestAddress)).toBe('10.1.0.0/16');
    expect(W.RtmReleaseDestInfo(A, m)).toBe(W.NO_ERROR);
    expect(W.RtmGetMostSpecificDestination(A, net('10.1.2.3'), 0, MCAST, m)).toBe(W.NO_ERROR);
    expect(text(m.DestAddress)).toBe('10.1.2.0/24');
    expect(W.RtmReleaseDestInfo(A, m)).toBe(W.NO_ERROR);
  });

  it('22b. IPv6 queries with the RTM_IPV6_* helpers', () => {
    setup(impl);
    const six = register(W.PROTO_IP_BGP, 1, { family: W.AF_INET6 });
    const nh = new W.RTM_NEXTHOP_INFO();
    expect(W.RTM_IPV6_MAKE_NET_ADDRESS(nh.NextHopAddress, 'fe80::1', 128)).toBe(W.NO_ERROR);
    nh.InterfaceIndex = 4;
    const nhh = W.ref<number>(null);
    expect(W.RtmAddNextHop(six.h, nh, nhh, W.ref(0))).toBe(W.NO_ERROR);
    for (const [p, len] of [['::', 0], ['2001:db8::', 32], ['2001:db8:1::', 48]] as const) {
      const na = new W.RTM_NET_ADDRESS();
      expect(W.RTM_IPV6_SET_ADDR_AND_LEN(na, p, len)).toBe(W.NO_ERROR);
      expect(W.RtmAddRouteToDest(six.h, null, na, routeInfo({ neighbour: nhh.value! }), W.INFINITE, null, 0, null, W.ref(0))).toBe(W.NO_ERROR);
    }
    const q = new W.RTM_NET_ADDRESS();
    W.RTM_IPV6_MAKE_NET_ADDRESS(q, '2001:db8:1:2::5', 128);
    const d = new W.RTM_DEST_INFO();
    expect(W.RtmGetMostSpecificDestination(six.h, q, 0, UCAST, d)).toBe(W.NO_ERROR);
    expect(d.DestAddress).toMatchObject({ AddressFamily: W.AF_INET6, NumBits: 48 });
    const addr = new Uint8Array(16), len = W.ref(0);
    expect(W.RTM_IPV6_GET_ADDR_AND_LEN(addr, len, d.DestAddress)).toBe(W.NO_ERROR);
    expect(Array.from(addr.slice(0, 6))).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 1]);
    expect(len.value).toBe(48);
    expect(W.RtmReleaseDestInfo(six.h, d)).toBe(W.NO_ERROR);
    // An IPv4 address for the IPv6 registration is a bad parameter.
    expect(W.RtmGetMostSpecificDestination(six.h, net('10.0.0.1'), 0, UCAST, d)).toBe(W.ERROR_INVALID_PARAMETER);
  });

  it('23. the protocol selector picks the reported route, never the destinations; NumRoutes is unaffected', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = addRouteOk(A, P, { neighbour: nA, pref: 120, metric: 1, flags: W.RTM_ROUTE_FLAGS_REMOTE }).handle;
    const b = addRouteOk(B, P, { neighbour: nB, pref: 110, metric: 1, flags: W.RTM_ROUTE_FLAGS_LOCAL }).handle;
    const ask = (who: number, protocolId: number) => exactDest(who, P, UCAST, protocolId).info.ViewInfo[0];
    expect(ask(A, W.PROTO_IP_RIP)).toEqual({ ViewId: 0, NumRoutes: 2, Route: a, Owner: A, DestFlags: W.RTM_ROUTE_FLAGS_REMOTE, HoldRoute: 0 });
    expect(ask(B, W.PROTO_IP_RIP)).toMatchObject({ Route: a, Owner: A });
    expect(ask(A, W.RTM_THIS_PROTOCOL)).toMatchObject({ Route: a, NumRoutes: 2 });
    expect(ask(B, W.RTM_THIS_PROTOCOL)).toMatchObject({ Route: b, NumRoutes: 2 });
    expect(ask(A, W.RTM_BEST_PROTOCOL)).toEqual({ ViewId: 0, NumRoutes: 2, Route: b, Owner: B, DestFlags: W.RTM_ROUTE_FLAGS_LOCAL, HoldRoute: 0 });
    expect(ask(A, W.PROTO_IP_BGP)).toEqual({ ViewId: 0, NumRoutes: 2, Route: 0, Owner: 0, DestFlags: 0, HoldRoute: 0 });
    const dest = destOf(A, P);
    expect(destInfo(A, dest, UCAST, W.RTM_THIS_PROTOCOL).ViewInfo[0].Route).toBe(a);
  });

  it('RtmGetExactMatchRoute: criteria from the RTM_ROUTE_INFO; the struct is overwritten with the match', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const nA3 = nextHop(A, '10.0.0.3', 3);
    const a1 = addRouteOk(A, P, { neighbour: nA, nextHops: [nA], pref: 100, metric: 5 }).handle;
    const a2 = addRouteOk(A, P, { neighbour: nA3, nextHops: [nA, nA3], pref: 100, metric: 7 }).handle;
    const b1 = addRouteOk(B, P, { neighbour: nB, pref: 50, metric: 9 }).handle;
    const match = (flags: number, crit: W.RTM_ROUTE_INFO, ifIndex = 0) => {
      const h = W.ref<number>(null);
      const st = W.RtmGetExactMatchRoute(A, net(P), flags, crit, ifIndex, W.RTM_VIEW_MASK_ANY, h);
      if (st === W.NO_ERROR) {
        expect(crit.RouteOwner).not.toBe(0);
        expect(W.RtmReleaseRouteInfo(A, crit)).toBe(W.NO_ERROR);
        expect(W.RtmReleaseRoutes(A, 1, [h.value])).toBe(W.NO_ERROR);
      }
      return st === W.NO_ERROR ? h.value : st;
    };
    expect(match(W.RTM_MATCH_NONE, new W.RTM_ROUTE_INFO())).toBe(b1);
    const owner = new W.RTM_ROUTE_INFO();
    owner.RouteOwner = A;
    expect(match(W.RTM_MATCH_OWNER, owner)).toBe(a1);
    expect(match(W.RTM_MATCH_NEIGHBOUR, routeInfo({ neighbour: nA3 }))).toBe(a2);
    expect(match(W.RTM_MATCH_PREF, routeInfo({ pref: 100, metric: 7 }))).toBe(a2);
    expect(match(W.RTM_MATCH_NEXTHOP, routeInfo({ nextHops: [nA3] }))).toBe(a2);
    expect(match(W.RTM_MATCH_INTERFACE, new W.RTM_ROUTE_INFO(), 3)).toBe(a2);
    expect(match(W.RTM_MATCH_PREF, routeInfo({ pref: 1, metric: 1 }))).toBe(W.ERROR_NOT_FOUND);
    // The match overwrote the criteria struct.
    const crit = routeInfo({ neighbour: nA3 });
    const h = W.ref<number>(null);
    expect(W.RtmGetExactMatchRoute(A, net(P), W.RTM_MATCH_NEIGHBOUR, crit, 0, 0, h)).toBe(W.NO_ERROR);
    expect(crit).toMatchObject({ RouteOwner: A, Neighbour: nA3, PrefInfo: { Metric: 7, Preference: 100 }, NextHopsList: { NumNextHops: 2, NextHops: [nA, nA3] } });
    expect(W.RtmReleaseRouteInfo(A, crit)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(A, 1, [h.value])).toBe(W.NO_ERROR);
    // NULL RouteHandle: no handle, no reference.
    const c2 = routeInfo({ neighbour: nA3 });
    expect(W.RtmGetExactMatchRoute(A, net(P), W.RTM_MATCH_NEIGHBOUR, c2, 0, 0, null)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRouteInfo(A, c2)).toBe(W.NO_ERROR);
  });
});

describe.each(CORE_IMPLS)('$name: registration (scenario 27)', (impl) => {
  it('27. registering C tells A and B (not C), from the scheduler, in C order; C lists A, B, C; a duplicate id is refused', () => {
    const { rtm, pa, pb, A, B } = setup(impl);
    const pc = register(W.PROTO_IP_BGP, 7);
    const C = pc.h;
    expect(pa.events).toEqual([]);
    expect(rtm.runPending()).toBe(2);
    for (const p of [pa, pb]) {
      expect(p.events.length).toBe(1);
      const ev = p.events[0];
      expect([ev.h, ev.type, ev.c1]).toEqual([p.h, W.RTM_ENTITY_REGISTERED, C]);
      expect(ev.c2).toBeInstanceOf(W.RTM_ENTITY_INFO);
      expect(ev.c2).toMatchObject({ RtmInstanceId: 0, AddressFamily: W.AF_INET, EntityId: { EntityProtocolId: W.PROTO_IP_BGP, EntityInstanceId: 7 } });
      expect((ev.c2 as W.RTM_ENTITY_INFO).EntityId.EntityId).toBe((7n << 32n) | BigInt(W.PROTO_IP_BGP));
    }
    expect(pc.events).toEqual([]);
    // RtmGetRegisteredEntities: count query, then the list.
    const num = W.ref(0);
    expect(W.RtmGetRegisteredEntities(C, num, [], [])).toBe(W.ERROR_INSUFFICIENT_BUFFER);
    expect(num.value).toBe(3);
    const hs: number[] = [], infos: W.RTM_ENTITY_INFO[] = [];
    expect(W.RtmGetRegisteredEntities(C, num, hs, infos)).toBe(W.NO_ERROR);
    expect(hs).toEqual([A, B, C]);
    expect(infos.map((i) => i.EntityId.EntityProtocolId)).toEqual([W.PROTO_IP_RIP, W.PROTO_IP_OSPF, W.PROTO_IP_BGP]);
    expect(W.RtmReleaseEntities(C, 3, hs)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseEntities(C, 1, [A])).toBe(W.ERROR_INVALID_HANDLE);
    // Too small: fills what fits, references only those, reports the total.
    const two = W.ref(2), some: number[] = [];
    expect(W.RtmGetRegisteredEntities(C, two, some, null)).toBe(W.ERROR_INSUFFICIENT_BUFFER);
    expect([two.value, some]).toEqual([3, [A, B]]);
    expect(W.RtmReleaseEntities(C, 2, some)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseEntities(C, 1, [C])).toBe(W.ERROR_INVALID_HANDLE);
    // Duplicate id.
    const dup = new W.RTM_ENTITY_INFO();
    dup.AddressFamily = W.AF_INET;
    dup.EntityId.EntityProtocolId = W.PROTO_IP_RIP;
    dup.EntityId.EntityInstanceId = 1;
    const out = W.ref<number>(null);
    expect(W.RtmRegisterEntity(dup, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), out)).toBe(W.ERROR_ALREADY_EXISTS);
    expect(out.value).toBeNull();
    dup.AddressFamily = 6;
    expect(W.RtmRegisterEntity(dup, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), out)).toBe(W.ERROR_FILE_NOT_FOUND);
    // Entity info of another entity.
    const ei = new W.RTM_ENTITY_INFO();
    expect(W.RtmGetEntityInfo(A, C, ei)).toBe(W.NO_ERROR);
    expect(ei).toMatchObject({ RtmInstanceId: 0, AddressFamily: W.AF_INET, EntityId: { EntityProtocolId: W.PROTO_IP_BGP, EntityInstanceId: 7 } });
    expect(W.RtmReleaseEntityInfo(A, ei)).toBe(W.NO_ERROR);
  });

  it('27b. the profile; deregistration tells the others and invalidates the handle; RTM_ENTITY_DEREGISTERED carries the info', () => {
    const { rtm, pa, pb, A, B, nA, P } = setup(impl);
    expect(pa.profile).toMatchObject({ MaxNextHopsInRoute: 8, MaxHandlesInEnum: 100, ViewsSupported: UCAST | MCAST, NumberOfViews: 2 });
    addRouteOk(A, P, { neighbour: nA, wantHandle: false });
    expect(W.RtmDeregisterEntity(A)).toBe(W.NO_ERROR);
    expect(exactDest(B, P, W.RTM_VIEW_MASK_ANY).status).toBe(W.ERROR_NOT_FOUND);
    rtm.runPending();
    expect(pb.events.map((e) => [e.h, e.type, e.c1])).toEqual([[B, W.RTM_ENTITY_DEREGISTERED, A]]);
    expect(pb.events[0].c2).toMatchObject({ EntityId: { EntityProtocolId: W.PROTO_IP_RIP, EntityInstanceId: 1 } });
    expect(pa.events).toEqual([]);
    expect(W.RtmDeregisterEntity(A)).toBe(W.ERROR_INVALID_HANDLE);
    expect(addRoute(A, P, { neighbour: nA }).status).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmGetEntityInfo(B, A, new W.RTM_ENTITY_INFO())).toBe(W.ERROR_INVALID_HANDLE);
  });

  it('27c. RtmInstanceId picks the instance; each instance is independent and made with its configured options', () => {
    const env = useImpl(impl);
    expect(W.configureInstance(7, { maxNextHopsInRoute: 3, views: UCAST })).toBe(W.NO_ERROR);
    const a = register(W.PROTO_IP_RIP, 1);
    const seven = register(W.PROTO_IP_RIP, 1, { instanceId: 7 });          // same id, other instance: fine
    expect(seven.profile).toMatchObject({ MaxNextHopsInRoute: 3, ViewsSupported: UCAST, NumberOfViews: 1 });
    expect(a.profile.MaxNextHopsInRoute).toBe(8);
    expect(W.configureInstance(7, {})).toBe(W.ERROR_BUSY);
    const n0 = nextHop(a.h, '10.0.0.1', 1), n7 = nextHop(seven.h, '10.0.0.1', 1);
    addRouteOk(a.h, '10.1.0.0/16', { neighbour: n0, wantHandle: false });
    addRouteOk(seven.h, '10.7.0.0/16', { neighbour: n7, wantHandle: false });
    expect(exactDest(a.h, '10.7.0.0/16').status).toBe(W.ERROR_NOT_FOUND);
    expect(exactDest(seven.h, '10.1.0.0/16', UCAST).status).toBe(W.ERROR_NOT_FOUND);
    expect(exactDest(seven.h, '10.7.0.0/16', UCAST).status).toBe(W.NO_ERROR);
    expect(exactDest(seven.h, '10.7.0.0/16', UCAST | MCAST).status).toBe(W.ERROR_NOT_SUPPORTED);
    expect(W.rtmInstance(7)).toBe(env.instances.get(7));
    expect(W.rtmInstance(7).instanceId).toBe(7);
    const ei = new W.RTM_ENTITY_INFO();
    expect(W.RtmGetEntityInfo(seven.h, seven.h, ei)).toBe(W.NO_ERROR);
    expect(ei.RtmInstanceId).toBe(7);
    // A handle of one instance means nothing to another.
    expect(W.RtmGetEntityInfo(a.h, seven.h, ei)).toBe(W.ERROR_INVALID_HANDLE);
  });
});

describe('31. address helpers', () => {
  it('ipv4LenFromMask / ipv4MaskFromLen; SET then GET round-trips; the IPv6 helpers round-trip', () => {
    expect(W.ipv4LenFromMask(0xffffff00)).toBe(24);
    expect(W.ipv4MaskFromLen(0)).toBe(0);
    expect(W.ipv4MaskFromLen(32)).toBe(0xffffffff);
    expect(W.RTM_IPV4_MASK_FROM_LEN(24)).toBe(0xffffff00);
    const len = W.ref(0);
    expect(W.RTM_IPV4_LEN_FROM_MASK(len, '255.255.255.0')).toBe(true);
    expect(len.value).toBe(24);
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_SET_ADDR_AND_LEN(na, 0x0a0a0a0a, 24);
    const addr = W.ref(0);
    W.RTM_IPV4_GET_ADDR_AND_LEN(addr, len, na);
    expect([addr.value, len.value]).toEqual([0x0a0a0a0a, 24]);
    W.RTM_IPV4_SET_ADDR_AND_MASK(na, '192.168.1.0', 0xfffffc00);
    const mask = W.ref(0);
    W.RTM_IPV4_GET_ADDR_AND_MASK(addr, mask, na);
    expect([addr.value, mask.value, na.NumBits]).toEqual([0xc0a80100, 0xfffffc00, 22]);
    const six = new W.RTM_NET_ADDRESS(), bytes = new Uint8Array(16), l6 = W.ref(0);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(six, '2001:db8::1', 64, 16)).toBe(W.NO_ERROR);
    expect(W.RtmConvertNetAddressToIpv6AddressAndLength(six, bytes, l6, 16)).toBe(W.NO_ERROR);
    expect([bytes[0], bytes[1], bytes[15], l6.value]).toEqual([0x20, 0x01, 1, 64]);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(six, '2001:db8::1', 129, 16)).toBe(W.ERROR_INVALID_PARAMETER);
  });
});
