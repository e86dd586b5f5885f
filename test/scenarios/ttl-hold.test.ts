// Spec §13 scenarios 9–15: route time-to-live and expiry (§7.6, D-38), hold-down (§7.7, D-26, D-27).
// Time moves only through the VirtualClock; nothing here sleeps.
import { describe, expect, it } from 'vitest';
import {
  ERROR_NOT_SUPPORTED, INFINITE, NO_ERROR, RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST,
  RTM_ROUTE_CHANGE_BEST as BEST, RTM_ROUTE_EXPIRED, RTM_ROUTE_STATE_DELETED, RTM_ROUTE_STATE_DELETING,
  RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { DestHandle, EntityLike, NotifyHandle, RouteHandle, RouteOwnerView } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS, implementationsWith } from '../helpers/impls.js';
import { expectCode, setup, destOf, drainChanged } from '../reference/fixture.js';

function viewInfo(e: EntityLike, dest: DestHandle, views = UCAST) {
  const info = e.getDestInfo({ dest, views });
  e.releaseDestInfo(info);
  return info.viewInfo;
}

function routeState(e: EntityLike, h: RouteHandle): number {
  const info = e.getRouteInfo(h);
  e.releaseRouteInfo(info);
  return info.state;
}

describe.each(implementationsWith('ttl'))('$name: time-to-live and expiry', (impl) => {
  it('9. on expiry the owner is called once; ERROR_NOT_SUPPORTED makes the RTM delete the route; B hears about it', () => {
    const { clock, rtm, pa, pb, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST, context: 'X' });
    const times: number[] = [];
    pa.respond = (type) => { times.push(clock.now()); return type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR; };
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], metric: 7, views: UCAST, timeToLive: 1000 }).handle!;
    rtm.runPending();
    expect(drainChanged(B, nb)).toEqual([P]);
    pb.events.length = 0;
    clock.advance(999);
    expect(pa.events).toEqual([]);
    expect(A.isBestRoute(h)).toBe(UCAST);
    clock.advance(1);
    expect(pa.events.length).toBe(1);
    expect(pa.events[0].type).toBe(RTM_ROUTE_EXPIRED);
    expect(pa.events[0].c1).toBe(h);
    const ctx = pa.events[0].c2 as RouteOwnerView;
    expect(ctx).toMatchObject({ handle: h, owner: A.handle, metric: 7, nextHops: [nA], views: UCAST, prefix: P });
    expect(times).toEqual([1000]);
    // Gone from the table; A's own reference from addRouteToDest keeps the object readable.
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
    expect(routeState(A, h)).toBe(RTM_ROUTE_STATE_DELETED);
    A.releaseRoutes([h]);
    expectCode(() => A.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');   // the callback's reference was consumed
    expect(pb.events).toEqual([{ type: RTM_CHANGE_NOTIFICATION, c1: nb, c2: 'X' }]);
    expect(drainChanged(B, nb)).toEqual([P]);
    clock.advance(10_000);
    expect(pa.events.length).toBe(1);
  });

  it('10. the owner handles the expiry in place: metric 16, INFINITE, release; the route stays and never expires again', () => {
    const { clock, rtm, pa, A, nA, P } = setup(impl);
    let viaLock: RouteOwnerView | undefined;
    pa.respond = (type, c1, c2) => {
      if (type !== RTM_ROUTE_EXPIRED) return NO_ERROR;
      const route = c1 as RouteHandle;
      viaLock = A.lockRoute({ route, exclusive: true });
      (c2 as RouteOwnerView).metric = 16;
      A.updateAndUnlockRoute({ route, timeToLive: INFINITE });
      A.releaseRoutes([route]);
      return NO_ERROR;
    };
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 2, timeToLive: 500 }).handle!;
    clock.advance(500);
    expect(pa.events.map((e) => e.type)).toEqual([RTM_ROUTE_EXPIRED]);
    expect(viaLock).toBe(pa.events[0].c2);                          // one owner view per route (D-42)
    expect(A.getRoutePointer(h)).toBe(viaLock);
    const info = A.getRouteInfo(h);
    expect(info.metric).toBe(16);
    A.releaseRouteInfo(info);
    clock.advance(1_000_000);
    expect(rtm.runPending()).toBe(0);
    expect(pa.events.length).toBe(1);
    expect(A.isBestRoute(h)).toBe(UCAST);
  });

  it('10b. a callback that answers NO_ERROR without re-arming leaves the route untimed; no callback at all means automatic deletion (D-38)', () => {
    const { clock, rtm, pa, A, nA, P } = setup(impl);
    pa.respond = (type, c1) => { if (type === RTM_ROUTE_EXPIRED) A.releaseRoutes([c1 as RouteHandle]); return NO_ERROR; };
    const h = A.addRouteToDest({ dest: P, neighbour: nA, timeToLive: 100 }).handle!;
    clock.advance(100);
    clock.advance(100_000);
    expect(pa.events.length).toBe(1);
    expect(A.isBestRoute(h)).toBe(UCAST);
    const silent = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 42 });
    const n = silent.addNextHop({ address: '10.0.0.42', interfaceIndex: 1 }).handle!;
    const s = silent.addRouteToDest({ dest: '10.42.0.0/16', neighbour: n, timeToLive: 100, returnHandle: false });
    expect(s.handle).toBeUndefined();
    clock.advance(99);
    const still = silent.getExactMatchDestination({ dest: '10.42.0.0/16' })!;
    expect(still.viewInfo[0].numRoutes).toBe(1);
    silent.releaseDestInfo(still);
    clock.advance(1);
    expect(silent.getExactMatchDestination({ dest: '10.42.0.0/16', views: ANY })).toBeUndefined();
  });

  it('11. refreshing a route unchanged restarts its TTL and fires no notification of any type (T1, D-28)', () => {
    const { clock, rtm, pa, A, B, nA, P } = setup(impl);
    const all = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    pa.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
    const route = { dest: P, neighbour: nA, nextHops: [nA], metric: 3, views: UCAST, timeToLive: 1000, returnHandle: false } as const;
    A.addRouteToDest(route);
    rtm.runPending();
    expect(drainChanged(B, all)).toEqual([P]);
    const before = A.getExactMatchDestination({ dest: P })!;
    A.releaseDestInfo(before);
    clock.advance(800);
    expect(A.addRouteToDest(route).changeFlags).toBe(0);
    expect(B.getChangeStatus({ notifyHandle: all, dest: before.handle })).toBe(false);
    const after = A.getExactMatchDestination({ dest: P })!;
    A.releaseDestInfo(after);
    expect(after.lastChanged).toBe(before.lastChanged);
    clock.advance(200);                                            // t = 1000: the old deadline passes
    expect(pa.events).toEqual([]);
    clock.advance(799);
    expect(pa.events).toEqual([]);
    clock.advance(1);                                              // t = 1800
    expect(pa.events.map((e) => e.type)).toEqual([RTM_ROUTE_EXPIRED]);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });

  it('expiries fire in deadline order at their own time, each followed by its callbacks; TTL 0 expires at the next run', () => {
    const { clock, rtm, pa, pb, A, B, nA } = setup(impl);
    B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST, context: 'b' });
    rtm.runPending();
    const log: string[] = [];
    pa.respond = (type, c1) => {
      if (type === RTM_ROUTE_EXPIRED) {
        const info = A.getRouteInfo(c1 as RouteHandle);
        A.releaseRouteInfo(info);
        log.push(`expired ${info.prefix} at ${clock.now()}`);
        return ERROR_NOT_SUPPORTED;
      }
      return NO_ERROR;
    };
    pb.respond = (type, c1) => {
      if (type === RTM_CHANGE_NOTIFICATION) {
        const got = B.getChangedDests({ notifyHandle: c1 as NotifyHandle });
        B.releaseChangedDests({ notifyHandle: c1 as NotifyHandle, dests: got.items });
        log.push(`B told ${got.items.map((d) => d.prefix).join()} at ${clock.now()}`);
      }
      return NO_ERROR;
    };
    A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nA, timeToLive: 300, returnHandle: false });
    A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, timeToLive: 200, returnHandle: false });
    rtm.runPending();
    log.length = 0;
    clock.advance(1000);
    expect(log).toEqual([
      'expired 10.2.0.0/16 at 200', 'B told 10.2.0.0/16 at 200',
      'expired 10.3.0.0/16 at 300', 'B told 10.3.0.0/16 at 300',
    ]);
    expect(clock.now()).toBe(1000);
    log.length = 0;
    A.addRouteToDest({ dest: '10.4.0.0/16', neighbour: nA, timeToLive: 0, returnHandle: false });
    expect(log).toEqual([]);
    expect(rtm.runPending()).toBe(3);                             // B hears of the add first (it came first)
    expect(log).toEqual(['B told 10.4.0.0/16 at 1000', 'expired 10.4.0.0/16 at 1000', 'B told 10.4.0.0/16 at 1000']);
  });

  it('a route deleted or re-armed before its deadline does not expire (T4)', () => {
    const { clock, pa, A, nA } = setup(impl);
    const h = A.addRouteToDest({ dest: '10.7.0.0/16', neighbour: nA, timeToLive: 100 }).handle!;
    A.addRouteToDest({ dest: '10.8.0.0/16', neighbour: nA, timeToLive: 100, returnHandle: false });
    A.deleteRouteToDest(h);
    clock.advance(50);
    A.addRouteToDest({ dest: '10.8.0.0/16', neighbour: nA, timeToLive: INFINITE, returnHandle: false });
    clock.advance(10_000);
    expect(pa.events).toEqual([]);
  });

  it('an expiry that hits a locked destination waits for the unlock (§7.10 rule 4)', () => {
    const { clock, rtm, pa, A, B, nA, P } = setup(impl);
    pa.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
    A.addRouteToDest({ dest: P, neighbour: nA, timeToLive: 100, returnHandle: false });
    const d = destOf(A, P);
    B.lockDestination({ dest: d, exclusive: false });
    clock.advance(500);
    expect(pa.events).toEqual([]);
    B.lockDestination({ dest: d, exclusive: false, lock: false });
    expect(pa.events).toEqual([]);                                 // never inside the unlocking call
    rtm.runPending();
    expect(pa.events.map((e) => e.type)).toEqual([RTM_ROUTE_EXPIRED]);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: hold-down', (impl) => {
  it('12. deleting the last route of an armed view holds it: HoldRoute, state DELETING; the hold ends after HoldTime', () => {
    const { clock, rtm, pb, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
    const h = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const d = destOf(A, P);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 30_000 });
    rtm.runPending();
    drainChanged(B, nb);
    pb.events.length = 0;
    clock.advance(5);
    A.referenceHandles([h]);
    expect(A.deleteRouteToDest(h)).toBe(BEST);                     // the held route changed: BEST (D-27)
    expect(viewInfo(A, d)).toEqual([{ viewId: 0, numRoutes: 0, route: undefined, owner: undefined, destFlags: 0, holdRoute: h }]);
    expect(routeState(A, h)).toBe(RTM_ROUTE_STATE_DELETING);
    expectCode(() => A.deleteRouteToDest(h), 'ERROR_NOT_FOUND');
    expect(A.isBestRoute(h)).toBe(0);
    const info = A.getExactMatchDestination({ dest: P, views: ANY })!;   // still present: it has a held route
    A.releaseDestInfo(info);
    expect(info.views).toBe(0);                                     // held routes do not make it belong to a view
    expect(info.lastChanged).toBe(5);
    rtm.runPending();
    expect(drainChanged(B, nb)).toEqual([P]);
    clock.advance(29_999);
    expect(viewInfo(A, d)[0].holdRoute).toBe(h);
    clock.advance(1);                                               // t = 30 005
    expect(drainChanged(B, nb)).toEqual([P]);                              // the hold end is a BEST change too
    expect(routeState(A, h)).toBe(RTM_ROUTE_STATE_DELETED);
    A.releaseRoutes([h]);
    const en = A.createDestEnum({ views: ANY });
    expect(A.getEnumDests({ enumHandle: en }).items).toEqual([]);
    A.deleteEnumHandle(en);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });

  it('13. a newcomer becomes the route while the old one stays HoldRoute until the timer ends (H4)', () => {
    const { clock, A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST, returnHandle: false });
    void a;
    const d = destOf(A, P);
    const held = viewInfo(A, d)[0].route!;
    A.holdDestination({ dest: d, views: UCAST, holdTime: 1000 });
    A.deleteRouteToDest(held);
    clock.advance(400);
    const b = B.addRouteToDest({ dest: P, neighbour: nB, views: UCAST }).handle!;
    expect(viewInfo(B, d)).toEqual([{ viewId: 0, numRoutes: 1, route: b, owner: B.handle, destFlags: 0, holdRoute: held }]);
    expect(B.isBestRoute(b)).toBe(UCAST);
    clock.advance(600);
    expect(viewInfo(B, d)).toEqual([{ viewId: 0, numRoutes: 1, route: b, owner: B.handle, destFlags: 0, holdRoute: undefined }]);
  });

  it('13b. a later last-route deletion in the same view replaces the held route without extending the hold (D-26)', () => {
    const { clock, A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const d = destOf(A, P);
    A.referenceHandles([a]);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 1000 });
    A.deleteRouteToDest(a);
    clock.advance(300);
    const b = B.addRouteToDest({ dest: P, neighbour: nB, views: UCAST }).handle!;
    B.referenceHandles([b]);
    B.deleteRouteToDest(b);
    expect(viewInfo(A, d)[0].holdRoute).toBe(b);
    expect(routeState(A, a)).toBe(RTM_ROUTE_STATE_DELETED);
    clock.advance(699);
    expect(viewInfo(A, d)[0].holdRoute).toBe(b);
    clock.advance(1);
    expect(viewInfo(A, d)[0].holdRoute).toBeUndefined();
    expect(routeState(B, b)).toBe(RTM_ROUTE_STATE_DELETED);
    A.releaseRoutes([a]);
    B.releaseRoutes([b]);
  });

  it('13c. one timer per destination, as long as the longest HoldTime asked for; holds in every armed view (H3)', () => {
    const { clock, A, nA, P } = setup(impl);
    const r = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST | MCAST }).handle!;
    const d = destOf(A, P);
    A.referenceHandles([d, r]);                                     // keep both readable after the hold
    A.holdDestination({ dest: d, views: UCAST, holdTime: 3000 });
    A.holdDestination({ dest: d, views: MCAST, holdTime: 1000 });
    A.deleteRouteToDest(r);
    expect(viewInfo(A, d, UCAST | MCAST).map((v) => v.holdRoute)).toEqual([r, r]);
    clock.advance(2999);
    expect(viewInfo(A, d, UCAST | MCAST).map((v) => v.holdRoute)).toEqual([r, r]);
    clock.advance(1);
    expect(viewInfo(A, d, UCAST | MCAST).map((v) => v.holdRoute)).toEqual([undefined, undefined]);
    expect(routeState(A, r)).toBe(RTM_ROUTE_STATE_DELETED);
    A.releaseRoutes([r]);
    A.releaseDests([{ handle: d, viewInfo: [] } as never]);
    expectCode(() => A.getDestInfo({ dest: d }), 'ERROR_INVALID_HANDLE');
  });

  it('14. no hold-down without arming, nor when the deleted route is not the last one of the view (H2)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.deleteRouteToDest(a);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
    const a2 = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const b = B.addRouteToDest({ dest: P, neighbour: nB, views: UCAST }).handle!;
    const d = destOf(A, P);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 1000 });
    A.deleteRouteToDest(a2);
    expect(viewInfo(A, d)).toEqual([{ viewId: 0, numRoutes: 1, route: b, owner: B.handle, destFlags: 0, holdRoute: undefined }]);
    // The arming persists: deleting the last route now holds it.
    B.referenceHandles([b]);
    B.deleteRouteToDest(b);
    expect(viewInfo(A, d)[0].holdRoute).toBe(b);
    B.releaseRoutes([b]);
  });

  it('15. held routes are visible only to ANY enumerations; a dest with only held routes only to ANY dest enumerations', () => {
    const { A, nA, P } = setup(impl);
    const r = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.addRouteToDest({ dest: '10.0.0.0/8', neighbour: nA, views: UCAST, returnHandle: false });
    const d = destOf(A, P);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 1000 });
    A.referenceHandles([r]);
    A.deleteRouteToDest(r);
    const routes = (views: number) => {
      const en = A.createRouteEnum({ dest: d, views });
      const got = A.getEnumRoutes({ enumHandle: en });
      A.releaseRoutes(got.items);
      A.deleteEnumHandle(en);
      return got.items;
    };
    expect(routes(UCAST)).toEqual([]);
    expect(routes(ANY)).toEqual([r]);
    const dests = (views: number) => {
      const en = A.createDestEnum({ views });
      const got = A.getEnumDests({ enumHandle: en });
      A.releaseDests(got.items);
      A.deleteEnumHandle(en);
      return got.items;
    };
    expect(dests(UCAST).map((x) => x.prefix)).toEqual(['10.0.0.0/8']);
    const any = dests(ANY);
    expect(any.map((x) => x.prefix)).toEqual(['10.0.0.0/8', P]);
    expect(any[1].viewInfo).toEqual([]);
    // And through the iterator convenience.
    expect([...A.routes({ views: ANY, enumFlags: 2, startDest: P })]).toEqual([r]);
    A.releaseRoutes([r]);
  });

  it('holdDestination validates its arguments; TargetViews 0 arms nothing', () => {
    const { A, nA, P } = setup(impl);
    const r = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const d = destOf(A, P);
    expectCode(() => A.holdDestination({ dest: d, views: UCAST, holdTime: 0 }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => A.holdDestination({ dest: d, views: 0x4, holdTime: 10 }), 'ERROR_NOT_SUPPORTED');
    expectCode(() => A.holdDestination({ dest: r as never, views: UCAST, holdTime: 10 }), 'ERROR_INVALID_HANDLE');
    A.holdDestination({ dest: d, views: ANY, holdTime: 10 });
    A.deleteRouteToDest(r);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });
});
