// Spec §13 scenarios 5–7: route identity and RtmAddRouteToDest matching (§7.2), ownership (§8.5),
// next-hop validation (D-55).
import { describe, expect, it } from 'vitest';
import {
  RTM_NEXTHOP_CHANGE_NEW, RTM_ROUTE_CHANGE_BEST as BEST, RTM_ROUTE_CHANGE_FIRST as FIRST, RTM_ROUTE_CHANGE_NEW as NEW,
  RTM_ROUTE_STATE_CREATED, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { NextHopHandle, RouteHandle } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS, IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup } from '../reference/fixture.js';

describe.each(IMPLEMENTATIONS)('$name: route identity', (impl) => {
  it('5. same (dest, owner, neighbour) updates; NEW forces a route; NULL neighbour is another identity; FIRST ignores the neighbour', () => {
    const { A, nA, P } = setup(impl);
    const r1 = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    expect(r1.changeFlags).toBe(NEW | BEST);
    const r1b = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    expect(r1b.changeFlags & NEW).toBe(0);
    expect(r1b.handle).toBe(r1.handle);
    const r2 = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 7, views: UCAST, changeFlags: NEW });
    expect(r2.changeFlags).toBe(NEW);
    expect(r2.handle).not.toBe(r1.handle);
    const r3 = A.addRouteToDest({ dest: P, neighbour: null, nextHops: [nA], preference: 100, metric: 9, views: UCAST });
    expect(r3.changeFlags).toBe(NEW);
    expect(new Set([r1.handle, r2.handle, r3.handle]).size).toBe(3);
    // FIRST with a different neighbour updates A's first route (B6 order: r1, metric 5) and does not echo FIRST.
    const nA2 = A.addNextHop({ address: '10.0.0.3', interfaceIndex: 1 }).handle!;
    const f = A.addRouteToDest({ dest: P, neighbour: nA2, nextHops: [nA2], preference: 100, metric: 4, views: UCAST, changeFlags: FIRST });
    expect(f.handle).toBe(r1.handle);
    expect(f.changeFlags).toBe(BEST);                       // next hops of the best route changed
    const info = A.getRouteInfo(r1.handle!);
    expect(info.neighbour).toBe(nA2);
    expect(info.nextHops).toEqual([nA2]);
    expect(info.metric).toBe(4);
    A.releaseRouteInfo(info);
    // Three routes of A on P, all live.
    const d = A.getExactMatchDestination({ dest: P, views: UCAST })!;
    expect(d.viewInfo[0].numRoutes).toBe(3);
    A.releaseDestInfo(d);
    A.releaseRoutes([r1.handle!, r1b.handle!, r2.handle!, r3.handle!, f.handle!]);
  });

  it('5b. NEW takes precedence over FIRST (D-35); FIRST creates when the caller has no route yet', () => {
    const { A, nA, P } = setup(impl);
    const first = A.addRouteToDest({ dest: P, neighbour: nA, changeFlags: FIRST });
    expect(first.changeFlags & NEW).toBe(NEW);
    const both = A.addRouteToDest({ dest: P, neighbour: nA, changeFlags: NEW | FIRST });
    expect(both.changeFlags & NEW).toBe(NEW);
    expect(both.handle).not.toBe(first.handle);
  });

  it('5c. input change flags are ignored when updating by handle (D-34); returnHandle:false takes no reference', () => {
    const { A, nA, P } = setup(impl);
    const r = A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    expect(r.handle).toBeUndefined();
    expect(r.changeFlags).toBe(NEW | BEST);
    const found = A.getExactMatchRoute({ dest: P })!;
    A.releaseRouteInfo(found.info);
    const u = A.addRouteToDest({ dest: P, route: found.handle, neighbour: nA, metric: 3, changeFlags: NEW });
    expect(u.changeFlags).toBe(BEST);
    expect(u.handle).toBe(found.handle);
    // Only the reference from getExactMatchRoute exists: one release works, the next is an over-release.
    A.releaseRoutes([found.handle!]);
    expectCode(() => A.releaseRoutes([found.handle!]), 'ERROR_INVALID_HANDLE');
    // The route itself is untouched by the releases.
    const again = A.getExactMatchRoute({ dest: P })!;
    expect(again.info.metric).toBe(3);
    expect(again.info.state).toBe(RTM_ROUTE_STATE_CREATED);
    A.releaseRouteInfo(again.info);
    A.releaseRoutes([again.handle!]);
  });

  it('5d. host bits are cleared: 10.10.10.10/24 stores 10.10.10.0/24 (§6.1)', () => {
    const { A, nA } = setup(impl);
    const r = A.addRouteToDest({ dest: '10.10.10.10/24', neighbour: nA });
    const info = A.getRouteInfo(r.handle!);
    expect(info.prefix).toBe('10.10.10.0/24');
    A.releaseRouteInfo(info);
    const same = A.addRouteToDest({ dest: '10.10.10.0/24', neighbour: nA });
    expect(same.handle).toBe(r.handle);
    const na = { AddressFamily: 2, NumBits: 24, AddrBits: new Uint8Array([10, 10, 10, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
    const viaStruct = A.addRouteToDest({ dest: na, neighbour: nA });
    expect(viaStruct.handle).toBe(r.handle);
  });

  it('6. ownership: only the owner updates, deletes or gets a pointer; anyone reads', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST });
    const h = a.handle as RouteHandle;
    expectCode(() => B.addRouteToDest({ dest: P, route: h, neighbour: nB, nextHops: [nB], metric: 1 }), 'ERROR_ACCESS_DENIED');
    expectCode(() => B.deleteRouteToDest(h), 'ERROR_ACCESS_DENIED');
    const info = B.getRouteInfo(h);
    expect(info).toMatchObject({ owner: A.handle, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST, prefix: P });
    B.releaseRouteInfo(info);
    // The failed calls changed nothing.
    expect(A.isBestRoute(h)).toBe(UCAST);
    const again = A.getRouteInfo(h);
    expect(again.metric).toBe(5);
    A.releaseRouteInfo(again);
  });

  it('7. a foreign next hop, or more than MaxNextHopsInRoute, is ERROR_INVALID_PARAMETER (D-55)', () => {
    const { A, nA, nB, P } = setup(impl);
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nB] }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nA] }), 'ERROR_INVALID_PARAMETER');
    const max = A.profile.maxNextHopsInRoute;
    const hops: NextHopHandle[] = [];
    for (let i = 0; i <= max; i++) {
      const r = A.addNextHop({ address: `10.0.1.${i + 1}`, interfaceIndex: 1 });
      expect(r.changeFlags).toBe(RTM_NEXTHOP_CHANGE_NEW);
      hops.push(r.handle!);
    }
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA, nextHops: hops }), 'ERROR_INVALID_PARAMETER');
    // Exactly the maximum is fine.
    const ok = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: hops.slice(0, max) });
    expect(ok.changeFlags & NEW).toBe(NEW);
    // A deleted next hop of the caller's own is invalid too.
    A.deleteNextHop(hops[0]);
    expectCode(() => A.addRouteToDest({ dest: '10.2.0.0/16', nextHops: [hops[0]] }), 'ERROR_INVALID_PARAMETER');
    // A handle that does not resolve (wrong kind) is ERROR_INVALID_HANDLE.
    expectCode(() => A.addRouteToDest({ dest: P, nextHops: [ok.handle as never] }), 'ERROR_INVALID_HANDLE');
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: route identity (owner pointers)', (impl) => {
  it('6b. only the owner gets the route pointer (§8.5.4)', () => {
    const { A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 5 }).handle!;
    expectCode(() => B.getRoutePointer(h), 'ERROR_ACCESS_DENIED');
    expect(A.getRoutePointer(h)).toMatchObject({ handle: h, owner: A.handle, metric: 5, prefix: P });
  });
});
