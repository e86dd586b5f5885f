// Listings longer than one core I/O page (4096 slots): a destination with thousands of routes and a
// table with thousands of entities. The core hands them out in pages; nothing may be cut off. Only the
// WASM table pages (the naive model needs minutes for a destination with thousands of routes); every
// expectation follows from how the data was built.
import { describe, expect, it } from 'vitest';
import {
  RTM_MATCH_NEIGHBOUR, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { NextHopHandle, RouteHandle } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { setup, drainRoutes } from '../reference/fixture.js';

const ROUTES = 5_000;
const ENTITIES = 4_300;

describe.each(IMPLEMENTATIONS.filter((i) => i.name === 'wasm'))('$name: listings longer than one core page', (impl) => {
  it(`keeps, finds and enumerates ${ROUTES} routes on one destination`, () => {
    const { A, P } = setup(impl);
    const hops: NextHopHandle[] = [];
    const routes: RouteHandle[] = [];
    for (let i = 0; i < ROUTES; i++) {
      const nh = A.addNextHop({ address: `10.1.${i >> 8}.${i & 255}`, interfaceIndex: 1 }).handle!;
      hops.push(nh);
      // metric i: the chain order is the insertion order, so the last routes sit beyond the first page
      routes.push(A.addRouteToDest({ dest: P, neighbour: nh, nextHops: [nh], metric: i }).handle!);
    }
    const info = A.getExactMatchDestination({ dest: P, views: UCAST })!;
    expect(info.viewInfo[0].numRoutes).toBe(ROUTES);
    expect(info.viewInfo[0].route).toBe(routes[0]);

    // every route, in order, through a one-destination enumeration
    const en = A.createRouteEnum({ dest: info.handle });
    const all = drainRoutes(A, en, A.profile.maxHandlesInEnum);
    A.deleteEnumHandle(en);
    expect(all).toEqual(routes);

    // exact match by neighbour finds a route beyond the first 4096
    const last = A.getExactMatchRoute({ dest: P, matchFlags: RTM_MATCH_NEIGHBOUR, criteria: { neighbour: hops[ROUTES - 1] } })!;
    expect(last.handle).toBe(routes[ROUTES - 1]);
    expect(last.info.metric).toBe(ROUTES - 1);
    A.releaseRoutes([last.handle!]);
    A.releaseRouteInfo(last.info);

    // the best route moves along when the first ones go
    A.deleteRouteToDest(routes[0]);
    A.deleteRouteToDest(routes[1]);
    expect(A.isBestRoute(routes[2])).toBe(UCAST);
    const after = A.getExactMatchDestination({ dest: P, views: UCAST })!;
    expect(after.viewInfo[0].numRoutes).toBe(ROUTES - 2);
    expect(after.viewInfo[0].route).toBe(routes[2]);
    A.releaseDestInfo(after);
    A.releaseDestInfo(info);
  });

  it(`lists ${ENTITIES} registered entities, in registration order, skipping deregistered ones`, () => {
    const { rtm, A, B } = setup(impl);
    const made = [A, B];
    for (let i = 0; i < ENTITIES; i++) made.push(rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 200, instanceId: i }));
    // deregister one on each side of the first page boundary
    made[4095].deregister();
    made[4097].deregister();
    const kept = made.filter((_, i) => i !== 4095 && i !== 4097);
    const listed = A.getRegisteredEntities();
    expect(listed.map((r) => r.info.entityId)).toEqual(kept.map((e) => e.info.entityId));
    A.releaseEntities(listed.map((r) => r.handle));
  });
});
