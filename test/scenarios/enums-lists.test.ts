// Spec §13 scenarios 20, 21, 24: enumeration order, ranges and ownership (§7.14, §6.2, D-11, D-45, D-46) and
// route lists (§7.13, D-44); plus the dests()/routes() iterator conveniences.
import { describe, expect, it } from 'vitest';
import {
  RTM_ENUM_NEXT as NEXT, RTM_ENUM_OWN_DESTS, RTM_ENUM_OWN_ROUTES, RTM_ENUM_RANGE as RANGE, RTM_ENUM_START as START,
  RTM_MATCH_OWNER, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { RouteHandle } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup, destPrefixes, drainRoutes } from '../reference/fixture.js';

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: enumerations', (impl) => {
  it('20. canonical prefix order; RANGE covers a sub-tree; NEXT starts at a prefix; batches are capped', () => {
    const { A, nA } = setup(impl);
    for (const dest of ['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/16', '11.0.0.0/8', '0.0.0.0/0']) {
      A.addRouteToDest({ dest, neighbour: nA, returnHandle: false });
    }
    expect(destPrefixes(A, { views: UCAST, enumFlags: START })).toEqual(['0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '11.0.0.0/8']);
    expect(destPrefixes(A, { views: UCAST, enumFlags: RANGE, startDest: '10.0.0.0/8' })).toEqual(['10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16']);
    expect(destPrefixes(A, { views: UCAST, enumFlags: NEXT, startDest: '10.1.0.0/16' })).toEqual(['10.1.0.0/16', '11.0.0.0/8']);
    expect(destPrefixes(A, { views: UCAST, enumFlags: NEXT, startDest: '10.0.128.0/17' })).toEqual(['10.1.0.0/16', '11.0.0.0/8']);
    const en = A.createDestEnum({ views: UCAST });
    expectCode(() => A.getEnumDests({ enumHandle: en, count: A.profile.maxHandlesInEnum + 1 }), 'ERROR_INVALID_PARAMETER');
    const two = A.getEnumDests({ enumHandle: en, count: 2 });
    expect(two.items.map((d) => d.prefix)).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(two.done).toBe(false);
    A.releaseDests(two.items);
    const three = A.getEnumDests({ enumHandle: en, count: 3 });
    expect(three.items.map((d) => d.prefix)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '11.0.0.0/8']);
    expect(three.done).toBe(true);                                    // exhausted with the final batch (D-40)
    A.releaseDests(three.items);
    expect(A.getEnumDests({ enumHandle: en })).toEqual({ items: [], done: true });
    A.deleteEnumHandle(en);
    expectCode(() => A.getEnumDests({ enumHandle: en }), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.createDestEnum({ enumFlags: NEXT | RANGE, startDest: '10.0.0.0/8' }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => A.createDestEnum({ enumFlags: RANGE }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => A.createDestEnum({ views: 0x10 }), 'ERROR_NOT_SUPPORTED');
  });

  it('20b. cursors are live: no duplicates, additions behind the cursor are skipped, deletions ahead are not returned (D-45)', () => {
    const { A, nA } = setup(impl);
    const h: Record<string, RouteHandle> = {};
    for (const dest of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']) h[dest] = A.addRouteToDest({ dest, neighbour: nA }).handle!;
    const en = A.createDestEnum({ views: UCAST });
    const first = A.getEnumDests({ enumHandle: en, count: 2 });
    expect(first.items.map((d) => d.prefix)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    A.releaseDests(first.items);
    A.addRouteToDest({ dest: '10.0.0.0/16', neighbour: nA, returnHandle: false });   // behind
    A.addRouteToDest({ dest: '10.5.0.0/16', neighbour: nA, returnHandle: false });   // ahead
    A.deleteRouteToDest(h['10.3.0.0/16']);                                            // ahead, deleted
    const rest = A.getEnumDests({ enumHandle: en });
    expect(rest.items.map((d) => d.prefix)).toEqual(['10.4.0.0/16', '10.5.0.0/16']);
    A.releaseDests(rest.items);
    A.deleteEnumHandle(en);
  });

  it('20c. route enumerations follow destination order, then preference/metric/age; next hops by address then interface', () => {
    const { A, B, nA, nB } = setup(impl);
    const r1 = A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, preference: 20 }).handle!;
    const r2 = B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, preference: 10, metric: 5 }).handle!;
    const r3 = A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: null, preference: 10, metric: 5 }).handle!;
    const r4 = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, preference: 99 }).handle!;
    const en = A.createRouteEnum({ views: UCAST });
    expect(drainRoutes(A, en, 1)).toEqual([r4, r2, r3, r1]);
    A.deleteEnumHandle(en);
    const one = A.createRouteEnum({ dest: (() => { const i = A.getExactMatchDestination({ dest: '10.2.0.0/16' })!; A.releaseDestInfo(i); return i.handle; })() });
    expect(drainRoutes(A, one)).toEqual([r2, r3, r1]);
    A.deleteEnumHandle(one);
    const byOwner = A.createRouteEnum({ matchFlags: RTM_MATCH_OWNER, criteria: { owner: B.handle } });
    expect(drainRoutes(A, byOwner)).toEqual([r2]);
    A.deleteEnumHandle(byOwner);
    expectCode(() => A.createRouteEnum({ matchFlags: RTM_MATCH_OWNER }), 'ERROR_INVALID_PARAMETER');
    // Next hops: only the caller's own (D-46), by address then interface.
    const hops = [['10.0.0.9', 1], ['10.0.0.3', 5], ['10.0.0.3', 2], ['192.168.0.1', 1]] as const;
    for (const [address, interfaceIndex] of hops) A.addNextHop({ address, interfaceIndex, returnHandle: false });
    const ne = A.createNextHopEnum();
    const got = A.getEnumNextHops({ enumHandle: ne });
    expect(got.done).toBe(true);
    const shown = got.items.map((n) => { const i = A.getNextHopInfo(n); A.releaseNextHopInfo(i); return `${i.address}%${i.interfaceIndex}`; });
    expect(shown).toEqual(['10.0.0.1%1', '10.0.0.3%2', '10.0.0.3%5', '10.0.0.9%1', '192.168.0.1%1']);
    A.releaseNextHops(got.items);
    A.deleteEnumHandle(ne);
    const ranged = A.createNextHopEnum({ enumFlags: RANGE, address: '10.0.0.0/29' });
    const inRange = A.getEnumNextHops({ enumHandle: ranged });
    expect(inRange.items.length).toBe(3);
    A.releaseNextHops(inRange.items);
    A.deleteEnumHandle(ranged);
    expectCode(() => B.getEnumNextHops({ enumHandle: ranged }), 'ERROR_INVALID_HANDLE');
  });

  it('20d. enumeration handles are private to their creator and typed by kind', () => {
    const { A, B } = setup(impl);
    const en = A.createDestEnum();
    expectCode(() => B.getEnumDests({ enumHandle: en }), 'ERROR_INVALID_HANDLE');
    expectCode(() => B.deleteEnumHandle(en), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getEnumRoutes({ enumHandle: en }), 'ERROR_INVALID_HANDLE');
    A.deleteEnumHandle(en);
  });

  it('21. OWN_DESTS: destinations whose best route is the caller\'s; OWN_ROUTES: all the caller\'s routes', () => {
    const { A, B, nA, nB } = setup(impl);
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, preference: 10, returnHandle: false });
    A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nA, preference: 30, returnHandle: false });
    B.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nB, preference: 20, returnHandle: false });
    B.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nB, preference: 20, returnHandle: false });
    expect(destPrefixes(A, { views: UCAST, enumFlags: RTM_ENUM_OWN_DESTS })).toEqual(['10.1.0.0/16']);
    expect(destPrefixes(B, { views: UCAST, enumFlags: RTM_ENUM_OWN_DESTS })).toEqual(['10.2.0.0/16', '10.3.0.0/16']);
    expect(destPrefixes(A, { views: ANY, enumFlags: RTM_ENUM_OWN_DESTS })).toEqual(['10.1.0.0/16']);
    const en = A.createRouteEnum({ views: UCAST, enumFlags: RTM_ENUM_OWN_ROUTES });
    const mine = drainRoutes(A, en);
    A.deleteEnumHandle(en);
    const owners = mine.map((h) => { const i = A.getRouteInfo(h); A.releaseRouteInfo(i); return [i.prefix, i.owner]; });
    expect(owners).toEqual([['10.1.0.0/16', A.handle], ['10.2.0.0/16', A.handle]]);
  });

  it('dests() and routes() iterate, release their batches and delete the enumeration', () => {
    const { A, nA } = setup(impl);
    for (let i = 0; i < 7; i++) A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nA, returnHandle: false });
    const seen = [...A.dests({ views: UCAST, batch: 3 })].map((d) => d.prefix);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `10.${i}.0.0/16`));
    let n = 0;
    for (const r of A.routes({ batch: 2 })) { n++; if (n === 3) { A.deleteRouteToDest(r); break; } }
    expect([...A.routes()].length).toBe(6);
    // Nothing leaked: every remaining route can be deleted, leaving an empty table.
    for (const r of [...A.routes()]) { A.referenceHandles([r]); A.deleteRouteToDest(r); }
    expect([...A.dests({ views: ANY })]).toEqual([]);
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: route lists', (impl) => {
  it('24. enumerate L1 while moving each batch to L2; NULL removes; deleting routes and lists', () => {
    const { A, nA } = setup(impl);
    const L1 = A.createRouteList();
    const L2 = A.createRouteList();
    const r = [1, 2, 3].map((i) => A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nA, routeList: L1 }).handle!);
    const e1 = A.createRouteListEnum(L1);
    const moved: RouteHandle[] = [];
    for (;;) {
      const { items, done } = A.getListEnumRoutes({ enumHandle: e1, count: 2 });
      moved.push(...items);
      A.insertInRouteList({ routeList: L2, routes: items });
      A.releaseRoutes(items);
      if (done) break;
    }
    A.deleteEnumHandle(e1);
    expect(moved).toEqual(r);
    const list = (L: typeof L1) => {
      const en = A.createRouteListEnum(L);
      const got = A.getListEnumRoutes({ enumHandle: en });
      A.releaseRoutes(got.items);
      A.deleteEnumHandle(en);
      return got.items;
    };
    expect(list(L1)).toEqual([]);
    expect(list(L2)).toEqual(r);
    A.insertInRouteList({ routeList: null, routes: [r[0]] });
    expect(list(L2)).toEqual([r[1], r[2]]);
    A.deleteRouteToDest(r[1]);
    expect(list(L2)).toEqual([r[2]]);
    A.deleteRouteList(L2);
    expectCode(() => A.createRouteListEnum(L2), 'ERROR_INVALID_HANDLE');
    expect(A.isBestRoute(r[2])).toBe(UCAST);                           // the route stays in the table
    // Re-inserting moves to the tail (D-44); a route is in at most one list.
    A.insertInRouteList({ routeList: L1, routes: [r[0], r[2]] });
    A.insertInRouteList({ routeList: L1, routes: [r[0]] });
    expect(list(L1)).toEqual([r[2], r[0]]);
    // addRouteToDest with a list moves the route; without one leaves membership alone.
    const L3 = A.createRouteList();
    A.addRouteToDest({ dest: '10.3.0.0/16', route: r[2], neighbour: nA, routeList: L3 });
    A.addRouteToDest({ dest: '10.1.0.0/16', route: r[0], neighbour: nA });
    expect(list(L1)).toEqual([r[0]]);
    expect(list(L3)).toEqual([r[2]]);
  });

  it('24b. lists are private, hold only the creator\'s live routes, and insertion is all-or-nothing', () => {
    const { A, B, nA, nB } = setup(impl);
    const L = A.createRouteList();
    const a = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA }).handle!;
    const b = B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB }).handle!;
    expectCode(() => B.insertInRouteList({ routeList: L, routes: [b] }), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.insertInRouteList({ routeList: L, routes: [a, b] }), 'ERROR_ACCESS_DENIED');
    expectCode(() => B.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nB, routeList: L }), 'ERROR_INVALID_HANDLE');
    const en = A.createRouteListEnum(L);
    expect(A.getListEnumRoutes({ enumHandle: en })).toEqual({ items: [], done: true });
    A.referenceHandles([a]);
    A.deleteRouteToDest(a);
    expectCode(() => A.insertInRouteList({ routeList: L, routes: [a] }), 'ERROR_INVALID_HANDLE');
    A.releaseRoutes([a]);
    A.deleteEnumHandle(en);
  });
});
