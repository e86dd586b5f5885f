// Spec §13 scenario 8 and the reference-counting rules around it (§7.9, D-33, D-37, D-24).
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  RTM_NEXTHOP_STATE_CREATED, RTM_NEXTHOP_STATE_DELETED, RTM_ROUTE_STATE_DELETED, RTM_VIEW_MASK_ANY as ANY,
  RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { DestHandle, EnumHandle, NotifyHandle, RouteHandle } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS, IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup } from '../reference/fixture.js';

describe('handle brands', () => {
  it('kinds are distinct types that erase to number', () => {
    expectTypeOf<RouteHandle>().toMatchTypeOf<number>();
    expectTypeOf<RouteHandle>().not.toEqualTypeOf<DestHandle>();
    expectTypeOf<EnumHandle>().not.toEqualTypeOf<NotifyHandle>();
    const checks = (d: DestHandle, r: RouteHandle) => {
      // @ts-expect-error a route handle is not a destination handle
      const x: DestHandle = r;
      // @ts-expect-error a plain number is not a handle
      const y: RouteHandle = 5;
      return [d, x, y];
    };
    expect(typeof checks).toBe('function');
  });
});

describe.each(IMPLEMENTATIONS)('$name: handles and references', (impl) => {
  it('8. delete consumes the handle; a second reference keeps the deleted route readable; deleting again is ERROR_NOT_FOUND', () => {
    const { A, nA, P } = setup(impl);
    const h1 = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.deleteRouteToDest(h1);
    expectCode(() => A.releaseRoutes([h1]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getRouteInfo(h1), 'ERROR_INVALID_HANDLE');

    const h2 = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.referenceHandles([h2]);
    A.deleteRouteToDest(h2);
    expectCode(() => A.deleteRouteToDest(h2), 'ERROR_NOT_FOUND');
    const info = A.getRouteInfo(h2);
    expect(info.state).toBe(RTM_ROUTE_STATE_DELETED);
    A.releaseRouteInfo(info);
    expect(A.isBestRoute(h2)).toBe(0);
    expectCode(() => A.addRouteToDest({ dest: P, route: h2, neighbour: nA }), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([h2]);
    expectCode(() => A.releaseRoutes([h2]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getRouteInfo(h2), 'ERROR_INVALID_HANDLE');
  });

  it('a failed delete consumes nothing', () => {
    const { A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    expectCode(() => B.deleteRouteToDest(h), 'ERROR_ACCESS_DENIED');
    A.releaseRoutes([h]);                                       // A's reference is still there
    expectCode(() => A.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');
  });

  it('references are per entity: B cannot release what A holds (D-33)', () => {
    const { A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    expectCode(() => B.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');
    B.referenceHandles([h]);
    B.releaseRoutes([h]);
    A.releaseRoutes([h]);
  });

  it('deleting a route the caller holds no reference to still works; other holders keep it readable (D-33)', () => {
    const { A, B, nA, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const seen = B.getExactMatchDestination({ dest: P, views: UCAST })!;
    const h = seen.viewInfo[0].route!;
    expect(A.deleteRouteToDest(h) !== undefined).toBe(true);
    const info = B.getRouteInfo(h);
    expect(info.state).toBe(RTM_ROUTE_STATE_DELETED);
    B.releaseRouteInfo(info);
    B.releaseDestInfo(seen);
    expectCode(() => B.getRouteInfo(h), 'ERROR_INVALID_HANDLE');
  });

  it('array releases release every valid entry, then report ERROR_INVALID_HANDLE', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = A.getExactMatchDestination({ dest: P, views: ANY })!;        // no per-view data: no route reference
    expectCode(() => A.releaseRoutes([h, d.handle as unknown as RouteHandle]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');   // h was released by the failing call
    A.releaseDestInfo(d);
  });

  it('release functions accept only their own kind; wrong-kind handles are ERROR_INVALID_HANDLE', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    expectCode(() => A.releaseNextHops([h as never]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.releaseEntities([h as never]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getRouteInfo(nA as never), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getDestInfo({ dest: h as never }), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getRouteInfo(0 as RouteHandle), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([h]);
  });

  it('referenceHandles is all-or-nothing', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    expectCode(() => A.referenceHandles([h, 987654321 as never]), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([h]);
    expectCode(() => A.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');   // no reference was taken by the failed call
  });

  it('a destination stays present while referenced, then disappears (D-24)', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const info = A.getExactMatchDestination({ dest: P, views: UCAST })!;
    const dest: DestHandle = info.handle;
    A.deleteRouteToDest(h);
    expect(A.getExactMatchDestination({ dest: P, views: UCAST })).toBeUndefined();
    expect(A.getMostSpecificDestination({ dest: P, views: ANY })).toBeUndefined();   // not populated
    const any = A.getExactMatchDestination({ dest: P, views: ANY })!;          // present: still referenced
    expect(any.handle).toBe(dest);
    A.releaseDestInfo(any);
    const now = A.getDestInfo({ dest, views: UCAST });
    expect(now.viewInfo).toEqual([{ viewId: 0, numRoutes: 0, route: undefined, owner: undefined, destFlags: 0, holdRoute: undefined }]);
    A.releaseDestInfo(now);
    A.releaseDestInfo(info);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
    expectCode(() => A.getDestInfo({ dest }), 'ERROR_INVALID_HANDLE');
    // A new route for the prefix creates a new destination.
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const fresh = A.getExactMatchDestination({ dest: P })!;
    expect(fresh.handle).not.toBe(dest);
    A.releaseDestInfo(fresh);
  });

  it('next hops: find/add return referenced handles; delete consumes; routes keep a deleted next hop alive (D-59)', () => {
    const { A, nA, P } = setup(impl);
    const again = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 });
    expect(again).toEqual({ handle: nA, changeFlags: 0 });
    const found = A.findNextHop({ address: '10.0.0.1', interfaceIndex: 1 })!;
    expect(found.handle).toBe(nA);
    expect(A.findNextHop({ address: '10.0.0.1', interfaceIndex: 9 })).toBeUndefined();
    const r = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA] }).handle!;
    // fixture ref + addNextHop ref + findNextHop ref = 3 of A's references.
    A.deleteNextHop(nA);                                          // consumes one
    A.releaseNextHops([nA, nA]);
    expectCode(() => A.releaseNextHops([nA]), 'ERROR_INVALID_HANDLE');
    // The route still uses it: readable, state DELETED, gone from find.
    const info = A.getNextHopInfo(nA);
    expect(info).toMatchObject({ address: '10.0.0.1', interfaceIndex: 1, owner: A.handle, state: RTM_NEXTHOP_STATE_DELETED });
    A.releaseNextHopInfo(info);
    expect(A.findNextHop({ address: '10.0.0.1', interfaceIndex: 1 })).toBeUndefined();
    expectCode(() => A.deleteNextHop(nA), 'ERROR_NOT_FOUND');
    // The route keeps working; once it is gone the next hop is freed.
    expect(A.isBestRoute(r)).toBe(UCAST);
    A.deleteRouteToDest(r);
    expectCode(() => A.getNextHopInfo(nA), 'ERROR_INVALID_HANDLE');
    // A new next hop with the same identity is a new object.
    const n2 = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 });
    expect(n2.changeFlags).toBe(1);
    expect(n2.handle).not.toBe(nA);
    const i2 = A.getNextHopInfo(n2.handle!);
    expect(i2.state).toBe(RTM_NEXTHOP_STATE_CREATED);
    A.releaseNextHopInfo(i2);
  });

  it('entity handles from getRegisteredEntities are referenced; info objects hold references until released', () => {
    const { A, B } = setup(impl);
    const list = A.getRegisteredEntities();
    expect(list.map((x) => x.handle)).toEqual([A.handle, B.handle]);
    A.releaseEntities(list.map((x) => x.handle));
    expectCode(() => A.releaseEntities([B.handle]), 'ERROR_INVALID_HANDLE');
    expect(A.getEntityInfo(B.handle)).toEqual(B.info);
  });

  it('getExactMatchRoute returns a referenced handle and a referenced info', () => {
    const { A, nA, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], returnHandle: false });
    const m = A.getExactMatchRoute({ dest: P })!;
    A.releaseRouteInfo(m.info);
    expectCode(() => A.releaseRouteInfo(m.info), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([m.handle!]);
    expectCode(() => A.releaseRoutes([m.handle!]), 'ERROR_INVALID_HANDLE');
    const noHandle = A.getExactMatchRoute({ dest: P, returnHandle: false })!;
    expect(noHandle.handle).toBeUndefined();
    A.releaseRouteInfo(noHandle.info);
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: handles and references (dynamics)', (impl) => {
  it('referenceHandles refuses enumeration handles; a deleted route cannot be locked (D-37)', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const en: EnumHandle = A.createDestEnum();
    expectCode(() => A.referenceHandles([h, en as never]), 'ERROR_INVALID_HANDLE');
    A.referenceHandles([h]);
    A.deleteRouteToDest(h);
    expectCode(() => A.lockRoute({ route: h, exclusive: true }), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([h]);
    expectCode(() => A.releaseRoutes([h]), 'ERROR_INVALID_HANDLE');
    A.deleteEnumHandle(en);
  });
});
