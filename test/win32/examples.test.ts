// examples/add-route.ts: the seed sample "Add and Update Routes Using RtmAddRouteToDest" as written, and
// one example per procedure of that document. The sample puts its route into a route list, so it runs on
// the implementations with route lists (the model today; the WASM facade once it has them); the two
// procedures need only core functions and run on every implementation.
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import { addRoute, addRouteSample, events, register, run, updateRoute } from '../../examples/add-route.js';
import { CORE_IMPLS, bestIn, exactDest, implsWith, routeOf, text, useImpl } from './helpers.js';
import type { RtmModel } from '../reference/model.js';

const BOTH = W.RTM_VIEW_MASK_UCAST | W.RTM_VIEW_MASK_MCAST;

/** The route list's routes, through a list enumeration. */
function listRoutes(h: number, list: number): number[] {
  const en = W.ref<W.RTM_ENUM_HANDLE>(null);
  expect(W.RtmCreateRouteListEnum(h, list, en)).toBe(W.NO_ERROR);
  const n = W.ref(10), hs: number[] = [];
  expect(W.RtmGetListEnumRoutes(h, en.value, n, hs)).toBe(W.NO_ERROR);
  expect(W.RtmReleaseRoutes(h, hs.length, hs)).toBe(W.NO_ERROR);
  expect(W.RtmDeleteEnumHandle(h, en.value)).toBe(W.NO_ERROR);
  return hs;
}

describe.each(implsWith('lists', 'ttl'))('$name: examples/add-route.ts, the sample as written', (impl) => {
  it('registers, adds the next hop and the route (NEW | BEST), releases both handles; the route is there with its metric and views', () => {
    const env = useImpl(impl);
    const reg = register();
    expect(reg.Status).toBe(W.NO_ERROR);
    expect(reg.RegnProfile.MaxNextHopsInRoute).toBeGreaterThan(0);
    expect(reg.RouteListHandle1).not.toBe(0);
    const h = reg.RtmRegHandle;
    const r = addRouteSample(h, reg.RouteListHandle1, '10.0.0.1', 1, '10.1.0.0', 16, 5);
    expect(r).toMatchObject({ NextHopStatus: W.NO_ERROR, Status: W.NO_ERROR, NewRoute: true, UpdatedRoute: false, BestChanged: true });
    expect(r.ChangeFlags).toBe(W.RTM_ROUTE_CHANGE_NEW | W.RTM_ROUTE_CHANGE_BEST);
    expect(r.RouteHandle).not.toBeNull();
    expect(r.NextHopHandle).not.toBeNull();
    // Both handles were released by the sample: a second release is an over-release.
    expect(W.RtmReleaseRoutes(h, 1, [r.RouteHandle])).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmReleaseNextHops(h, 1, [r.NextHopHandle])).toBe(W.ERROR_INVALID_HANDLE);
    const model = env.instances.get(0) as RtmModel;
    if (typeof model.debugRefs === 'function') {
      expect(model.debugRefs(r.RouteHandle!)).toEqual({});
      expect(model.debugRefs(r.NextHopHandle!)).toEqual({});
    }
    // The route: 10.1.0.0/16, metric 5, preference 0 (set internally: no default configured), both views, best in both.
    const info = routeOf(h, r.RouteHandle!);
    expect(info.prefix).toBe('10.1.0.0/16');
    expect(info.PrefInfo).toMatchObject({ Metric: 5, Preference: 0 });
    expect(info.BelongsToViews).toBe(BOTH);
    expect(info.Neighbour).toBe(r.NextHopHandle);
    expect(info.NextHopsList.NextHops).toEqual([r.NextHopHandle]);
    expect(info.RouteOwner).toBe(h);
    expect(bestIn(h, r.RouteHandle!)).toBe(BOTH);
    // ...and in RouteListHandle1.
    expect(listRoutes(h, reg.RouteListHandle1)).toEqual([r.RouteHandle]);
    // The next hop is the one asked for.
    const nh = new W.RTM_NEXTHOP_INFO();
    expect(W.RtmGetNextHopInfo(h, r.NextHopHandle, nh)).toBe(W.NO_ERROR);
    expect(text(nh.NextHopAddress)).toBe('10.0.0.1/32');
    expect(nh.InterfaceIndex).toBe(1);
    expect(W.RtmReleaseNextHopInfo(h, nh)).toBe(W.NO_ERROR);
  });

  it('running it again updates the same route (no NEW, no BEST) and finds the existing next hop', () => {
    useImpl(impl);
    const reg = register();
    const first = addRouteSample(reg.RtmRegHandle, reg.RouteListHandle1, 0x0a000001, 1, 0x0a010000, 16, 5);
    const again = addRouteSample(reg.RtmRegHandle, reg.RouteListHandle1, 0x0a000001, 1, 0x0a010000, 16, 5);
    expect(again).toMatchObject({ Status: W.NO_ERROR, NewRoute: false, UpdatedRoute: true, BestChanged: false, ChangeFlags: 0 });
    expect(again.RouteHandle).toBe(first.RouteHandle);
    expect(again.NextHopHandle).toBe(first.NextHopHandle);
    // A worse metric on the only route still is the best route; a metric change of the best route is BEST (D-39).
    const worse = addRouteSample(reg.RtmRegHandle, reg.RouteListHandle1, '10.0.0.1', 1, '10.1.0.0', 16, 9);
    expect(worse).toMatchObject({ UpdatedRoute: true, BestChanged: true });
    expect(routeOf(reg.RtmRegHandle, first.RouteHandle!).PrefInfo.Metric).toBe(9);
  });

  it('the route times out after 1000 ms: the callback answers ERROR_NOT_SUPPORTED and the RTM deletes it', () => {
    const { clock } = useImpl(impl);
    const reg = register();
    events.length = 0;
    const r = addRouteSample(reg.RtmRegHandle, reg.RouteListHandle1, '10.0.0.1', 1, '10.1.0.0', 16, 5);
    clock.advance(999);
    expect(exactDest(reg.RtmRegHandle, '10.1.0.0/16').status).toBe(W.NO_ERROR);
    clock.advance(1);
    const expired = events.filter((e) => e.EventType === W.RTM_ROUTE_EXPIRED);
    expect(expired.length).toBe(1);
    expect(expired[0].Context1).toBe(r.RouteHandle);
    expect(expired[0].Route).toMatchObject({ RouteOwner: reg.RtmRegHandle, Neighbour: r.NextHopHandle, PrefInfo: { Metric: 5 }, BelongsToViews: BOTH });
    expect(exactDest(reg.RtmRegHandle, '10.1.0.0/16', W.RTM_VIEW_MASK_ANY).status).toBe(W.ERROR_NOT_FOUND);
    expect(listRoutes(reg.RtmRegHandle, reg.RouteListHandle1)).toEqual([]);
  });

  it('run(): the sample and both procedures', () => {
    useImpl(impl);
    const out = run();
    expect(out.registration.Status).toBe(W.NO_ERROR);
    expect(out.sample).toMatchObject({ Status: W.NO_ERROR, NewRoute: true, BestChanged: true });
    expect(out.added).toMatchObject({ Status: W.NO_ERROR, CachedNextHop: false, ChangeFlags: W.RTM_ROUTE_CHANGE_NEW | W.RTM_ROUTE_CHANGE_BEST });
    expect(out.addedAgain).toMatchObject({ Status: W.NO_ERROR, CachedNextHop: true, NextHopHandle: out.added.NextHopHandle });
    expect(out.updated).toMatchObject({ GetStatus: W.NO_ERROR, Status: W.NO_ERROR, ReleaseStatus: W.NO_ERROR, RouteHandle: out.added.RouteHandle });
    expect(out.updated.ChangeFlags).toBe(W.RTM_ROUTE_CHANGE_BEST);
    const h = out.registration.RtmRegHandle;
    const info = routeOf(h, out.added.RouteHandle!);
    expect(info).toMatchObject({ prefix: '10.2.0.0/16', PrefInfo: { Metric: 3 }, BelongsToViews: BOTH });
  });
});

describe.each(CORE_IMPLS)('$name: examples/add-route.ts, the two procedures', (impl) => {
  /** A registration without a route list (the procedures use none). */
  function entity(): number {
    useImpl(impl);
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    info.EntityId.EntityProtocolId = W.PROTO_IP_RIP;
    const h = W.ref<number>(null);
    expect(W.RtmRegisterEntity(info, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), h)).toBe(W.NO_ERROR);
    return h.value!;
  }

  it('to add a route: next hop added once and cached, equal routes updated, NEW forces a second route', () => {
    const h = entity();
    const cache = new Map<string, number>();
    const a = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.2.0.0', masklen: 16, metric: 7 });
    expect(a).toMatchObject({ Status: W.NO_ERROR, CachedNextHop: false, ChangeFlags: W.RTM_ROUTE_CHANGE_NEW | W.RTM_ROUTE_CHANGE_BEST });
    const same = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.2.0.0', masklen: 16, metric: 7 });
    expect(same).toMatchObject({ Status: W.NO_ERROR, CachedNextHop: true, RouteHandle: a.RouteHandle, ChangeFlags: 0 });
    const forced = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.2.0.0', masklen: 16, metric: 8, changeFlags: W.RTM_ROUTE_CHANGE_NEW });
    expect(forced.ChangeFlags).toBe(W.RTM_ROUTE_CHANGE_NEW);
    expect(forced.RouteHandle).not.toBe(a.RouteHandle);
    const d = exactDest(h, '10.2.0.0/16', W.RTM_VIEW_MASK_UCAST);
    expect(d.info.ViewInfo[0]).toMatchObject({ NumRoutes: 2, Route: a.RouteHandle });
    // Each call handed out one reference: three releases work, a fourth does not.
    expect(W.RtmReleaseRoutes(h, 3, [a.RouteHandle, same.RouteHandle, forced.RouteHandle])).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(h, 1, [a.RouteHandle])).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmReleaseNextHops(h, 1, [cache.get('10.0.0.2/2')!])).toBe(W.NO_ERROR);
  });

  it('to update a route: RtmGetRouteInfo, change, RtmAddRouteToDest with the handle; the info is released', () => {
    const h = entity();
    const cache = new Map<string, number>();
    const a = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.2.0.0', masklen: 16, metric: 7 });
    const u = updateRoute(h, a.RouteHandle!, (ri) => { ri.PrefInfo.Metric = 3; ri.Flags = W.RTM_ROUTE_FLAGS_LOCAL; });
    expect(u).toMatchObject({ GetStatus: W.NO_ERROR, Status: W.NO_ERROR, ReleaseStatus: W.NO_ERROR, RouteHandle: a.RouteHandle, ChangeFlags: W.RTM_ROUTE_CHANGE_BEST });
    const info = routeOf(h, a.RouteHandle!);
    expect(info).toMatchObject({ prefix: '10.2.0.0/16', PrefInfo: { Metric: 3, Preference: 0 }, Flags: W.RTM_ROUTE_FLAGS_LOCAL, BelongsToViews: W.RTM_VIEW_MASK_UCAST });
    // An unchanged update is no change at all.
    expect(updateRoute(h, a.RouteHandle!, () => undefined).ChangeFlags).toBe(0);
    // Only the reference from addRoute is left.
    expect(W.RtmReleaseRoutes(h, 1, [a.RouteHandle])).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(h, 1, [a.RouteHandle])).toBe(W.ERROR_INVALID_HANDLE);
    // A handle that no longer resolves: RtmGetRouteInfo fails and nothing else is called.
    expect(updateRoute(h, 987654, () => undefined).GetStatus).toBe(W.ERROR_INVALID_HANDLE);
  });
});
