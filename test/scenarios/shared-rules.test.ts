// Rules the facade writes once (src/rtmv2/args.ts, refs.ts, routes.ts) and that every implementation must
// apply alike wherever RTMv2 uses them: which handles RtmReferenceHandles accepts (of the caller's table
// only), the matching criteria shared by RtmGetExactMatchRoute and route enumerations (§8.6.5, §8.8.4),
// and the `count` of every Get call (default and maximum MaxHandlesInEnum; anything else
// ERROR_INVALID_PARAMETER).
import { describe, expect, it } from 'vitest';
import {
  RTM_CHANGE_TYPE_ALL, RTM_MATCH_INTERFACE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_NEXTHOP, RTM_MATCH_NONE, RTM_MATCH_OWNER,
  RTM_MATCH_PREF, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/constants.js';
import type { EntityLike, RouteCriteria, RouteHandle } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup } from '../reference/fixture.js';

/** Every route of the caller's table a route enumeration with these criteria returns, in order. */
function enumerated(e: EntityLike, o: { matchFlags: number; criteria?: RouteCriteria; interfaceIndex?: number }): RouteHandle[] {
  const h = e.createRouteEnum(o);
  const out: RouteHandle[] = [];
  for (;;) {
    const { items, done } = e.getEnumRoutes({ enumHandle: h });
    out.push(...items);
    if (done) break;
  }
  e.deleteEnumHandle(h);
  return out;
}

describe.each(IMPLEMENTATIONS)('$name: rules written once', (impl) => {
  it('referenceHandles takes only handles of the caller\'s table, all or nothing', () => {
    const { rtm, A, nA, P } = setup(impl);
    const six = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 99 });
    const n6 = six.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
    const r = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    expectCode(() => A.referenceHandles([r, n6 as never]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.referenceHandles([six.handle]), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.referenceHandles('not an array' as never), 'ERROR_INVALID_PARAMETER');
    // nothing was taken: the route's one reference (from addRouteToDest) is released once, then no more
    A.releaseRoutes([r]);
    expectCode(() => A.releaseRoutes([r]), 'ERROR_INVALID_HANDLE');
    A.referenceHandles([nA, A.handle]);
    A.releaseNextHops([nA, nA]);
    A.releaseEntities([A.handle]);
    expectCode(() => A.releaseEntities([A.handle]), 'ERROR_INVALID_HANDLE');
  });

  it('getExactMatchRoute finds the first route a route enumeration with the same criteria returns', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const rA = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 10, metric: 1, views: UCAST }).handle!;
    const rB = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 20, metric: 2, views: UCAST }).handle!;
    const cases: [string, number, RouteCriteria | undefined, number, RouteHandle[]][] = [
      ['none', RTM_MATCH_NONE, undefined, 0, [rA, rB]],
      ['owner', RTM_MATCH_OWNER, { owner: B.handle }, 0, [rB]],
      ['neighbour', RTM_MATCH_NEIGHBOUR, { neighbour: nA }, 0, [rA]],
      ['preference and metric', RTM_MATCH_PREF, { preference: 20, metric: 2 }, 0, [rB]],
      ['preference, wrong metric', RTM_MATCH_PREF, { preference: 20, metric: 1 }, 0, []],
      ['next hop', RTM_MATCH_NEXTHOP, { nextHops: [nB] }, 0, [rB]],
      ['interface', RTM_MATCH_INTERFACE, undefined, 1, [rA]],
      ['owner and interface', RTM_MATCH_OWNER | RTM_MATCH_INTERFACE, { owner: A.handle }, 2, []],
      ['an owner that is no handle', RTM_MATCH_OWNER, { owner: 'x' as never }, 0, []],
    ];
    for (const [what, matchFlags, criteria, interfaceIndex, want] of cases) {
      expect(enumerated(A, { matchFlags, criteria, interfaceIndex }), what).toEqual(want);
      const exact = A.getExactMatchRoute({ dest: P, matchFlags, criteria, interfaceIndex });
      expect(exact?.handle, what).toBe(want[0]);
    }
    for (const [what, matchFlags] of [['owner', RTM_MATCH_OWNER], ['next hop', RTM_MATCH_NEXTHOP]] as const) {
      expectCode(() => A.getExactMatchRoute({ dest: P, matchFlags }), 'ERROR_INVALID_PARAMETER');
      expectCode(() => A.createRouteEnum({ matchFlags }), 'ERROR_INVALID_PARAMETER');
      void what;
    }
  });

  it('every Get call takes count up to MaxHandlesInEnum and refuses anything else', () => {
    const { A, nA, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST });
    const notify = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
    const list = A.createRouteList();
    const enums = {
      dests: A.createDestEnum(), routes: A.createRouteEnum(), nextHops: A.createNextHopEnum(), list: A.createRouteListEnum(list),
    };
    const max = A.profile.maxHandlesInEnum;
    const gets: [string, (count: unknown) => unknown][] = [
      ['getEnumDests', (count) => A.getEnumDests({ enumHandle: enums.dests, count: count as number })],
      ['getEnumRoutes', (count) => A.getEnumRoutes({ enumHandle: enums.routes, count: count as number })],
      ['getEnumNextHops', (count) => A.getEnumNextHops({ enumHandle: enums.nextHops, count: count as number })],
      ['getListEnumRoutes', (count) => A.getListEnumRoutes({ enumHandle: enums.list, count: count as number })],
      ['getChangedDests', (count) => A.getChangedDests({ notifyHandle: notify, count: count as number })],
    ];
    for (const [name, get] of gets) {
      for (const bad of [max + 1, -1, 1.5, null, '3']) expectCode(() => get(bad), 'ERROR_INVALID_PARAMETER');
      expect(() => get(max), name).not.toThrow();
      expect(() => get(undefined), name).not.toThrow();
    }
  });
});
