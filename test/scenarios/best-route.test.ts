// Spec §13 scenarios 1–4: best-route selection per destination and view (§7.1 B1–B6).
import { describe, expect, it } from 'vitest';
import {
  PROTO_IP_RIP, RTM_ROUTE_CHANGE_BEST as BEST, RTM_ROUTE_CHANGE_NEW as NEW, RTM_VIEW_ID_MCAST, RTM_VIEW_ID_UCAST,
  RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { setup } from '../reference/fixture.js';

describe.each(IMPLEMENTATIONS)('$name: best-route selection', (impl) => {
  it('1. lower preference wins over lower metric (B3)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 120, metric: 1, views: UCAST });
    expect(a.changeFlags).toBe(NEW | BEST);
    const b = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 110, metric: 20, views: UCAST });
    expect(b.changeFlags).toBe(NEW | BEST);
    expect(A.isBestRoute(a.handle!)).toBe(0);
    expect(B.isBestRoute(b.handle!)).toBe(UCAST);
    expect(A.isBestRoute(b.handle!)).toBe(UCAST);
    const info = A.getExactMatchDestination({ dest: P, views: UCAST })!;
    expect(info.prefix).toBe(P);
    expect(info.views).toBe(UCAST);
    expect(info.viewInfo).toEqual([{ viewId: RTM_VIEW_ID_UCAST, numRoutes: 2, route: b.handle, owner: B.handle, destFlags: 0, holdRoute: undefined }]);
    A.releaseDestInfo(info);
  });

  it('2. the metric breaks preference ties; the update that makes a route best reports BEST (B3, §7.8.4)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 100, metric: 3, views: UCAST });
    expect(b.changeFlags).toBe(NEW | BEST);
    expect(B.isBestRoute(b.handle!)).toBe(UCAST);
    const up = A.addRouteToDest({ dest: P, route: a.handle, neighbour: nA, nextHops: [nA], preference: 100, metric: 2, views: UCAST });
    expect(up.changeFlags).toBe(BEST);
    expect(up.handle).toBe(a.handle);
    expect(A.isBestRoute(a.handle!)).toBe(UCAST);
    expect(A.isBestRoute(b.handle!)).toBe(0);
    const info = A.getRouteInfo(a.handle!);
    expect(info.metric).toBe(2);
    A.releaseRouteInfo(info);
  });

  it('3. exact ties keep the incumbent; deleting it promotes the other (B4)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 100, metric: 5, views: UCAST });
    expect(b.changeFlags).toBe(NEW);                          // A stays best: B's add does not touch the best route
    expect(A.isBestRoute(a.handle!)).toBe(UCAST);
    expect(A.isBestRoute(b.handle!)).toBe(0);
    expect(A.deleteRouteToDest(a.handle!)).toBe(BEST);
    expect(B.isBestRoute(b.handle!)).toBe(UCAST);
  });

  it('3b. a route that ties the best one later does not take over, even if it is older (B4 incumbent rule)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 6, views: UCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 100, metric: 5, views: UCAST });
    expect(B.isBestRoute(b.handle!)).toBe(UCAST);
    const up = A.addRouteToDest({ dest: P, route: a.handle, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    expect(up.changeFlags).toBe(0);                           // ALL fired, BEST did not
    expect(B.isBestRoute(b.handle!)).toBe(UCAST);
    expect(A.isBestRoute(a.handle!)).toBe(0);
    // Once the incumbent loses the tie, the oldest of the leaders wins.
    B.addRouteToDest({ dest: P, route: b.handle, neighbour: nB, nextHops: [nB], preference: 100, metric: 7, views: UCAST });
    expect(A.isBestRoute(a.handle!)).toBe(UCAST);
  });

  it('3c. preference and metric compare as unsigned 32-bit values (B3)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, preference: 0x80000000, metric: 0, views: UCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, preference: 0x7fffffff, metric: 0xffffffff, views: UCAST });
    expect(A.isBestRoute(b.handle!)).toBe(UCAST);
    expect(A.isBestRoute(a.handle!)).toBe(0);
  });

  it('4. views are independent; per-view info comes in ascending view-id order (B1, §5.4)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 200, metric: 50, views: MCAST });
    expect(b.changeFlags).toBe(NEW | BEST);                   // best of the MCAST view: none → B
    expect(A.isBestRoute(a.handle!)).toBe(UCAST);
    expect(A.isBestRoute(b.handle!)).toBe(MCAST);
    const d = A.getExactMatchDestination({ dest: P, views: UCAST | MCAST })!;
    expect(d.views).toBe(UCAST | MCAST);
    expect(d.viewInfo).toEqual([
      { viewId: RTM_VIEW_ID_UCAST, numRoutes: 1, route: a.handle, owner: A.handle, destFlags: 0, holdRoute: undefined },
      { viewId: RTM_VIEW_ID_MCAST, numRoutes: 1, route: b.handle, owner: B.handle, destFlags: 0, holdRoute: undefined },
    ]);
    A.releaseDestInfo(d);
    // Asking for MCAST only gives one entry, for view 1.
    const m = A.getDestInfo({ dest: d.handle, views: MCAST });
    expect(m.viewInfo.map((v) => v.viewId)).toEqual([RTM_VIEW_ID_MCAST]);
    A.releaseDestInfo(m);
  });

  it('4b. a route in both views can be best in one and not the other; a route in no view is never best (B2)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, preference: 10, metric: 1, views: UCAST | MCAST });
    const b = B.addRouteToDest({ dest: P, neighbour: nB, preference: 5, metric: 1, views: MCAST });
    const z = B.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nB, preference: 1, metric: 1, views: 0 });
    expect(z.changeFlags).toBe(NEW);
    expect(A.isBestRoute(a.handle!)).toBe(UCAST);
    expect(A.isBestRoute(b.handle!)).toBe(MCAST);
    expect(A.isBestRoute(z.handle!)).toBe(0);
    // The destination of a route in no view belongs to no view: only an ANY lookup finds it.
    expect(A.getExactMatchDestination({ dest: '10.9.0.0/16', views: UCAST | MCAST })).toBeUndefined();
    const any = A.getExactMatchDestination({ dest: '10.9.0.0/16', views: 0 })!;
    expect(any.views).toBe(0);
    expect(any.viewInfo).toEqual([]);
    A.releaseDestInfo(any);
  });

  it('3d. a configured default preference replaces Preference 0 for that protocol only (B7, D-19)', () => {
    const { A, B, nA, nB, P } = setup(impl, { defaultPreferences: { [PROTO_IP_RIP]: 120 } });
    const a = A.addRouteToDest({ dest: P, neighbour: nA, preference: 0, metric: 1 }).handle!;
    const b = B.addRouteToDest({ dest: P, neighbour: nB, preference: 0, metric: 50 }).handle!;
    const ia = A.getRouteInfo(a);
    const ib = A.getRouteInfo(b);
    expect([ia.preference, ib.preference]).toEqual([120, 0]);
    A.releaseRouteInfo(ia);
    A.releaseRouteInfo(ib);
    expect(A.isBestRoute(b)).toBe(UCAST);
    const explicit = A.addRouteToDest({ dest: P, route: a, neighbour: nA, preference: 7, metric: 1 });
    expect(explicit.changeFlags).toBe(0);                     // 7 still loses to 0
  });

  it('4c. bits of unsupported views are dropped from BelongsToViews (D-36)', () => {
    const { A, nA, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, views: 0xff });
    const info = A.getRouteInfo(a.handle!);
    expect(info.views).toBe(A.profile.viewsSupported);
    A.releaseRouteInfo(info);
  });
});
