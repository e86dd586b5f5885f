// The route record without an owner word and without a destination word (issue 13: 6 words, 24 bytes; its
// flags: route-flags.test.ts; its preference and metric word: route-prefmetric.test.ts).
// Owner: a route uses only its owner's next hops (spec §1.3), so the core reads the owner from word
// ROUTE_NH: the owner of the next hop there (the one next hop, or the neighbour alone), of the hop array's
// first, or — a route with no next hop and no neighbour — the owner's slot itself (assembly/routes.ts
// routeOwner). Destination: the last route of a chain links to ROUTE_END | its destination, and a route in
// no chain (held down, or DELETED and kept by references) to that alone (routes.ts routeDest). Every form
// is gone through here: owners with another entity's routes on the same destination, updates that move
// between the forms, chains whose first, middle and last routes come and go or move, held routes,
// deletion with references kept (a zombie reads its owner and destination until it is freed), teardown
// (which finds zombies through the references), and the debug checks of both rules (INV_OWNER,
// INV_DEST_LINK).
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
import type { NextHopHandle, RouteHandle } from '../../src/types.js';
import { BEST_FIELDS, BEST_OWNER, BEST_ROUTE } from '../../src/table.js';
import { RTM_MATCH_OWNER, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_STATE_DELETED } from '../../src/win32/constants.js';
import { expectCode } from '../reference/fixture.js';

describe('the route record: no owner word, no destination word (issue 13)', () => {
  it('the record has six words, neither an owner, a destination nor a flags word, one word for preference and metric', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const k = rtm.core.k as unknown as Record<string, number | undefined>;
    expect(k.ROUTE_WORDS).toBe(6);
    expect(k.ROUTE_OWNER).toBeUndefined();
    expect(k.ROUTE_DEST).toBeUndefined();
    expect(k.ROUTE_FLAGS).toBeUndefined();
    expect(k.ROUTE_PREF).toBeUndefined();
    expect(k.ROUTE_METRIC).toBeUndefined();
    expect(k.ROUTE_PM).toBeTypeOf('number');
    rtm.close();
  });

  it('every form of the word names the owner, through updates from one form to another', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const table = rtm.ipv4, core = table.core;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: 2 });
    const a1 = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const a2 = A.addNextHop({ address: '10.0.0.2', interfaceIndex: 2 }).handle!;
    const b1 = B.addNextHop({ address: '10.0.0.9', interfaceIndex: 9 }).handle!;
    const dest = '10.1.0.0/16';
    // B's route first, so that A's routes are found past another owner's
    const rb = B.addRouteToDest({ dest, metric: 1 }).handle!;
    const out = new Float64Array(BEST_FIELDS);
    const check = (e: Entity, r: RouteHandle, what: string): void => {
      const info = e.getRouteInfo(r);
      expect(info.owner, `${what}: RTM_ROUTE_INFO Owner`).toBe(e.handle);
      e.releaseRouteInfo(info);
      expect(core.checkInvariants(), `${what}: invariants`).toBe(0);
    };
    const bestOwner = (): number => {
      expect(table.bestRouteInto(table.lookupId(0x0a010203), 0, out)).toBe(true);
      return out[BEST_OWNER];
    };
    check(B, rb, 'B, no next hop');
    const forms: { what: string; nextHops: NextHopHandle[]; neighbour: NextHopHandle | null }[] = [
      { what: 'no next hop, no neighbour', nextHops: [], neighbour: null },
      { what: 'the neighbour alone', nextHops: [], neighbour: a1 },
      { what: 'one next hop, the neighbour', nextHops: [a1], neighbour: a1 },
      { what: 'one next hop, another neighbour', nextHops: [a2], neighbour: a1 },
      { what: 'one next hop, no neighbour', nextHops: [a2], neighbour: null },
      { what: 'two next hops', nextHops: [a2, a1], neighbour: null },
      { what: 'two next hops and a neighbour', nextHops: [a1, a2], neighbour: a2 },
      { what: 'back to none', nextHops: [], neighbour: null },
      { what: 'the neighbour alone again', nextHops: [], neighbour: a2 },
      { what: 'two next hops from the neighbour alone', nextHops: [a1, a2], neighbour: null },
      { what: 'none from two next hops', nextHops: [], neighbour: null },
    ];
    // A's route is the better one (metric 0), so the best route's owner is A
    const ra = A.addRouteToDest({ dest, metric: 0 }).handle!;
    for (const f of forms) {
      A.addRouteToDest({ dest, route: ra, metric: 0, nextHops: f.nextHops, neighbour: f.neighbour });
      check(A, ra, f.what);
      check(B, rb, `B beside A's ${f.what}`);
      expect(bestOwner(), f.what).toBe(A.handle);
      expect(out[BEST_ROUTE]).toBe(ra);
      // only the owner changes it; the other entity's next hops are refused
      expectCode(() => B.addRouteToDest({ dest, route: ra, metric: 5 }), 'ERROR_ACCESS_DENIED');
      expectCode(() => A.addRouteToDest({ dest, route: ra, metric: 0, nextHops: [b1] }), 'ERROR_INVALID_PARAMETER');
      expectCode(() => B.deleteRouteToDest(ra), 'ERROR_ACCESS_DENIED');
      // CHANGE_FIRST without a handle finds each entity's own route (routeOfOwner compares the owners)
      const again = A.addRouteToDest({ dest, metric: 0, nextHops: f.nextHops, neighbour: f.neighbour, changeFlags: RTM_ROUTE_CHANGE_FIRST });
      expect(again.handle, f.what).toBe(ra);
      A.releaseRoutes([again.handle!]);
      const bAgain = B.addRouteToDest({ dest, metric: 1, changeFlags: RTM_ROUTE_CHANGE_FIRST });
      expect(bAgain.handle, f.what).toBe(rb);
      B.releaseRoutes([bAgain.handle!]);
    }
    // B's route becomes the better one: the best route's owner follows
    B.addRouteToDest({ dest, route: rb, metric: 0, preference: 0, nextHops: [b1] });
    A.addRouteToDest({ dest, route: ra, metric: 7, nextHops: [a1, a2] });
    expect(bestOwner()).toBe(B.handle);
    // each entity's route found by its owner (RTM_MATCH_OWNER), which takes a second reference; deleted
    // (which consumes one), the zombie reads its owner (its next hops stay until it is freed)
    for (const [e, r] of [[A, ra], [B, rb]] as const) {
      const m = e.getExactMatchRoute({ dest, matchFlags: RTM_MATCH_OWNER, criteria: { owner: e.handle }, views: 0 })!;
      expect(m.handle).toBe(r);
      e.releaseRouteInfo(m.info);
      expect(e.deleteRouteToDest(r)).toBeGreaterThanOrEqual(0);
      expect(core.checkInvariants(), 'a zombie').toBe(0);
      const z = e.getRouteInfo(r);
      expect(z.owner).toBe(e.handle);
      expect(z.state).toBe(RTM_ROUTE_STATE_DELETED);
      expect(z.nextHops).toEqual(e === A ? [a1, a2] : [b1]);
      e.releaseRouteInfo(z);
      e.releaseRoutes([r]);
      expect(core.checkInvariants()).toBe(0);
      expectCode(() => e.getRouteInfo(r), 'ERROR_INVALID_HANDLE');   // freed with its last reference
    }
    // the entities own nothing now: each deregisters and its record goes
    A.deregister();
    B.deregister();
    expect(core.checkInvariants()).toBe(0);
    rtm.close();
  });

  it("a route's destination is at the end of its links, through chain changes, hold-down and zombies (INV_DEST_LINK)", () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const table = rtm.ipv4, core = table.core, k = rtm.core.k, u = rtm.core.u32();
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: 2 });
    const a1 = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const destOf = (prefix: string): number => {
      const info = A.getExactMatchDestination({ dest: prefix })!;
      A.releaseDestInfo(info);
      return info.handle;
    };
    const routeDest = (e: Entity, r: RouteHandle): number => {
      const info = e.getRouteInfo(r);
      e.releaseRouteInfo(info);
      return info.dest;
    };
    const D1 = '10.4.0.0/16', D2 = '10.5.0.0/16', D3 = '10.6.0.0/16';
    // a neighbour prefix first, so that D1's slot is not the first
    A.addRouteToDest({ dest: D3, nextHops: [a1], returnHandle: false });
    const chain: [Entity, RouteHandle][] = [];
    for (const m of [3, 1, 4, 1, 5]) chain.push([A, A.addRouteToDest({ dest: D1, metric: m, nextHops: [a1], changeFlags: RTM_ROUTE_CHANGE_NEW }).handle!]);
    chain.push([B, B.addRouteToDest({ dest: D1, metric: 2 }).handle!]);
    const d1 = destOf(D1), d3 = destOf(D3);
    const all = (what: string): void => {
      for (const [e, r] of chain) expect(routeDest(e, r), `${what}: the destination of ${r}`).toBe(d1);
      expect(core.checkInvariants(), what).toBe(0);
    };
    all('six routes');
    // the last route of the chain (metric 5) moves to the front; the first (a metric 1) to the end
    A.addRouteToDest({ dest: D1, route: chain[4][1], metric: 0, nextHops: [a1] });
    all('the last made first');
    A.addRouteToDest({ dest: D1, route: chain[1][1], metric: 9, nextHops: [a1] });
    all('the first made last');
    // the chain's last link names D1: pointing it at another destination is caught
    const slot = (h: number): number => h % 2 ** 25;
    const link = (r: RouteHandle): number => (rtm.core.x.recordPtr(k.SLAB_ROUTE, slot(r)) >>> 2) + k.ROUTE_NEXT;
    const last = chain[1][1], w = u[link(last)];
    expect(w).toBe((k.ROUTE_END | slot(d1)) >>> 0);
    u[link(last)] = (k.ROUTE_END | slot(d3)) >>> 0;
    expect(routeDest(A, chain[0][1]), 'the link names the destination').toBe(d3);
    expect(core.checkInvariants(), 'INV_DEST_LINK: the last link names another destination').toBe(6);
    u[link(last)] = w;
    expect(core.checkInvariants()).toBe(0);
    // deleting the last, the first, then one in the middle
    for (const i of [1, 4, 3]) {
      const [e, r] = chain[i];
      expect(e.deleteRouteToDest(r)).toBeGreaterThanOrEqual(0);
      chain.splice(i, 1);
      all(`route ${i} deleted`);
    }
    // held down: the last route of D2 deleted becomes its held route, in no chain, naming D2
    const r2 = A.addRouteToDest({ dest: D2, nextHops: [a1] }).handle!;
    const d2 = destOf(D2);
    A.holdDestination({ dest: d2, holdTime: 1000 });
    const m = A.getExactMatchRoute({ dest: D2, views: 0 })!;   // a second reference: the delete consumes one
    A.releaseRouteInfo(m.info);
    expect(A.deleteRouteToDest(r2)).toBeGreaterThanOrEqual(0);
    const held = A.getDestInfo({ dest: d2 });
    A.releaseDestInfo(held);
    expect(held.viewInfo[0].holdRoute).toBe(r2);
    expect(routeDest(A, r2)).toBe(d2);
    expect(u[link(r2)]).toBe((k.ROUTE_END | slot(d2)) >>> 0);
    expect(core.checkInvariants()).toBe(0);
    // the hold ends: r2 is DELETED, kept by the reference left, and still names D2
    (rtm.clock as VirtualClock).advance(1001);
    rtm.runPending();
    const z = A.getRouteInfo(r2);
    A.releaseRouteInfo(z);
    expect(z.dest).toBe(d2);
    expect(z.state).toBe(RTM_ROUTE_STATE_DELETED);
    expect(core.checkInvariants(), 'a zombie').toBe(0);
    u[link(r2)] = slot(chain[0][1]);
    expect(core.checkInvariants(), 'INV_DEST_LINK: a zombie linked to a route, as if in a chain').toBe(6);
    u[link(r2)] = (k.ROUTE_END | (2 ** 25 - 1)) >>> 0;
    expect(core.checkInvariants(), 'INV_DEST_LINK: a zombie naming no destination').toBe(6);
    u[link(r2)] = (k.ROUTE_END | slot(d2)) >>> 0;
    expect(core.checkInvariants()).toBe(0);
    // closed with the zombie and the remaining chain: teardown finds the zombie through its reference (the
    // debug core asserts that nothing of the table is left; test/rtm/teardown.test.ts counts the bytes)
    expect(chain.length).toBe(3);
    rtm.close();
  });

  it('the debug check sees a word that names another entity (INV_OWNER)', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const table = rtm.ipv4, core = table.core, k = rtm.core.k;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: 2 });
    const a1 = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const b1 = B.addNextHop({ address: '10.0.0.9', interfaceIndex: 9 }).handle!;
    const slot = (h: number): number => h % 2 ** 25;
    const word = (r: RouteHandle): number => (rtm.core.x.recordPtr(k.SLAB_ROUTE, slot(r)) >>> 2) + k.ROUTE_NH;
    const u = rtm.core.u32();
    // no next hop: the word is the owner's slot; B's slot there makes B the owner
    const r0 = A.addRouteToDest({ dest: '10.2.0.0/16' }).handle!;
    expect(u[word(r0)]).toBe(slot(A.handle));
    expect(core.checkInvariants()).toBe(0);
    u[word(r0)] = slot(B.handle);
    const info = A.getRouteInfo(r0);
    expect(info.owner, 'the word names the owner').toBe(B.handle);
    A.releaseRouteInfo(info);
    expect(core.checkInvariants(), 'INV_OWNER: an entity of the table, but not the one the route counts for').toBe(36);
    u[word(r0)] = 0xfffffff;
    expect(core.checkInvariants(), 'INV_OWNER: no entity').toBe(36);
    u[word(r0)] = slot(A.handle);
    expect(core.checkInvariants()).toBe(0);
    // one next hop: a next hop of another entity in the word breaks the rule
    const r1 = A.addRouteToDest({ dest: '10.3.0.0/16', nextHops: [a1] }).handle!;
    expect(u[word(r1)]).toBe(slot(a1));
    u[word(r1)] = slot(b1);
    expect(core.checkInvariants(), 'INV_OWNER: a next hop of another entity').toBe(36);
    u[word(r1)] = slot(a1);
    expect(core.checkInvariants()).toBe(0);
    A.releaseRoutes([r0, r1]);
    rtm.close();
  });
  it('far from its chain\'s end, a route\'s destination comes from the hints, which a reused slot never fools', () => {
    // routes.ts routeDestFar: after 16 links routeDest asks a direct-mapped hint by route slot and generation
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const core = rtm.ipv4.core;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const a1 = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const destOf = (r: RouteHandle): string => {
      const info = A.getRouteInfo(r);
      const d = A.getDestInfo({ dest: info.dest });
      A.releaseDestInfo(d);
      A.releaseRouteInfo(info);
      return d.prefix;
    };
    for (const [round, dest] of ['10.1.0.0/16', '10.2.0.0/16', '10.1.0.0/16'].entries()) {
      // 40 routes of one entity on one destination, in creation order: the first is 39 links from the end
      const rs: RouteHandle[] = [];
      for (let i = 0; i < 40; i++) rs.push(A.addRouteToDest({ dest, metric: 7, nextHops: [a1], changeFlags: RTM_ROUTE_CHANGE_NEW }).handle!);
      for (let pass = 0; pass < 2; pass++) {   // the second pass reads the hints the first one left
        for (const r of rs) expect(destOf(r), `round ${round} pass ${pass}`).toBe(dest);
        // an update by handle finds the same destination (a metric change re-sorts the chain)
        A.addRouteToDest({ dest, route: rs[0], metric: 7 + pass, nextHops: [a1] });
      }
      expect(core.checkInvariants()).toBe(0);
      // every route deleted: the next round's routes take the same slots (a free list), with new generations
      for (const r of rs) A.deleteRouteToDest(r);
    }
    rtm.close();
  });
});
