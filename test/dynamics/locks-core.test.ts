// What became observable when lock holders, route lists and waiting expiries moved into the core (issue 9
// item 3) and bestRouteSummary became one crossing (item 4). On both implementations: an expiry that
// fell due under a lock waits with its deadline, which a re-arm under the lock replaces (it does not fire
// at the unlock), and waiting expiries of several destinations run in deadline order once free. On the
// WASM facade, through the core's own counters (no JS mirror can answer): deregistration drops the
// entity's lock records and destroys its lists; a lock under a memory cap with no block left is
// ERROR_NOT_ENOUGH_MEMORY with nothing changed, and works once memory is back; bestRouteSummary equals
// the record-by-record reading (routeSummaryOf) for IPv4 and IPv6 routes with several and prefix next hops.
import { describe, expect, it } from 'vitest';
import { createCoreSync, type Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock.js';
import { routeSummaryOf } from '../../src/table.js';
import type { Entity } from '../../src/entity.js';
import type { RouteHandle, RtmOptions } from '../../src/types.js';
import { ERROR_NOT_SUPPORTED, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_EXPIRED } from '../../src/win32/constants.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup, destOf } from '../reference/fixture.js';

type Fn = (...a: number[]) => number;
const expired = (evs: { type: number; c1: unknown }[]) => evs.filter((e) => e.type === RTM_ROUTE_EXPIRED).map((e) => e.c1);

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: expiries waiting on a lock', (impl) => {
  it('an expiry due under the owner\'s lock waits; a TTL given at updateAndUnlockRoute replaces its deadline', () => {
    const { clock, rtm, pa, A, nA, P } = setup(impl);
    pa.respond = () => ERROR_NOT_SUPPORTED;
    const r = A.addRouteToDest({ dest: P, neighbour: nA, timeToLive: 10 }).handle!;
    A.lockRoute({ route: r, exclusive: true });
    clock.advance(20);
    rtm.runPending();
    expect(expired(pa.events)).toEqual([]);
    A.updateAndUnlockRoute({ route: r, timeToLive: 100 });
    rtm.runPending();
    expect(expired(pa.events)).toEqual([]);                  // not at the unlock: the deadline moved to 120
    clock.advance(99);
    expect(expired(pa.events)).toEqual([]);
    clock.advance(1);
    expect(expired(pa.events)).toEqual([r]);
    rtm.close();
  });

  it('expiries of several locked destinations run in deadline order once the locks go', () => {
    const { clock, rtm, pa, A, B, nA } = setup(impl);
    pa.respond = () => ERROR_NOT_SUPPORTED;
    const rs: RouteHandle[] = [];
    // created in the order 0, 1, 2 with deadlines 30, 10, 20 on three destinations; B locks all three
    for (const [i, ttl] of [30, 10, 20].entries()) rs.push(A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nA, timeToLive: ttl }).handle!);
    const ds = [0, 1, 2].map((i) => destOf(A, `10.${i}.0.0/16`));
    for (const d of ds) B.lockDestination({ dest: d });
    B.lockDestination({ dest: ds[2], exclusive: false });   // twice: one unlock leaves it locked
    clock.advance(40);
    expect(expired(pa.events)).toEqual([]);
    for (const d of ds) B.lockDestination({ dest: d, lock: false });
    clock.advance(0);
    rtm.runPending();
    expect(expired(pa.events)).toEqual([rs[1], rs[0]]);    // 10, 30; 20 is still locked
    B.lockDestination({ dest: ds[2], lock: false });
    rtm.runPending();
    expect(expired(pa.events)).toEqual([rs[1], rs[0], rs[2]]);
    rtm.close();
  });
});

/** An Rtm on a private core. */
function rtmOn(core: Core, options: RtmOptions): Rtm {
  return new (Rtm as unknown as new (c: Core, o: RtmOptions) => Rtm)(core, options);
}

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); return undefined; } catch (e) { if (e instanceof RtmError) return e.code; throw e; }
}

describe('wasm: lock records, lists and memory, through the core', () => {
  it('deregistration drops the entity\'s lock records and destroys its route lists (core counters)', () => {
    const core = createCoreSync('debug');
    const x = core.x as unknown as Record<string, Fn>;
    const rtm = rtmOn(core, { clock: new VirtualClock() });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP }) as Entity;
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF }) as Entity;
    const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const nB = B.addNextHop({ address: '10.0.0.2', interfaceIndex: 1 }).handle!;
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA }).handle!;
    const base = [x.lockStat(0), x.lockStat(1), x.listCount()];
    const d = destOf(A, '10.1.0.0/16');
    B.lockDestination({ dest: d });
    B.lockDestination({ dest: d });
    A.lockRoute({ route: r, exclusive: false });
    B.lockNextHop({ nextHop: nB, exclusive: true });
    B.lockNextHop({ nextHop: nA, exclusive: false });
    const lB = B.createRouteList();
    B.createRouteList();
    A.insertInRouteList({ routeList: A.createRouteList(), routes: [r] });
    expect([x.lockStat(0), x.lockStat(1), x.listCount()]).toEqual([base[0] + 3, base[1] + 3, base[2] + 3]);
    expectCode(() => A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, metric: 9 }), 'ERROR_BUSY');
    B.deregister();
    expect([x.lockStat(0), x.lockStat(1), x.listCount()]).toEqual([base[0] + 1, base[1] + 1, base[2] + 1]);   // A's
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, metric: 9 });   // no longer busy
    expect(() => A.createRouteListEnum(lB)).toThrow(RtmError);
    A.lockRoute({ route: r, exclusive: false, lock: false });
    expect([x.lockStat(0), x.lockStat(1)]).toEqual([base[0], base[1]]);
    A.deregister();
    expect(x.listCount()).toBe(base[2]);
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    // closing the instance frees the lock records and lists of entities still registered
    const C = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 5 }) as Entity;
    const nC = C.addNextHop({ address: '10.0.0.5', interfaceIndex: 1 }).handle!;
    const rC = C.addRouteToDest({ dest: '10.5.0.0/16', neighbour: nC, timeToLive: 5 }).handle!;
    C.lockRoute({ route: rC, exclusive: true });
    C.lockNextHop({ nextHop: nC, exclusive: false });
    C.insertInRouteList({ routeList: C.createRouteList(), routes: [rC] });
    (rtm as unknown as { clock: VirtualClock }).clock.advance(10);
    expect([x.lockStat(0), x.lockStat(2), x.listCount()]).toEqual([base[0] + 2, 1, base[2] + 1]);
    rtm.close();
    expect([x.lockStat(0), x.lockStat(1), x.lockStat(2), x.listCount()]).toEqual([0, 0, 0, 0]);
  });

  it('a lock under a memory cap with no block left is ERROR_NOT_ENOUGH_MEMORY, nothing changed; it works once memory is back', () => {
    const core = createCoreSync('debug');
    const x = core.x as unknown as Record<string, Fn>;
    const clock = new VirtualClock();
    const rtm = rtmOn(core, { clock, maxNextHopsInRoute: 256 });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP }) as Entity;
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF }) as Entity;
    const W = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 99 }) as Entity;
    const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const nB = B.addNextHop({ address: '10.0.0.2', interfaceIndex: 1 }).handle!;
    const nW = Array.from({ length: 256 }, (_, i) => W.addNextHop({ address: `2001:db8:9::${i.toString(16)}`, interfaceIndex: 3 }).handle!);
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, timeToLive: 10 }).handle!;
    const d = destOf(A, '10.1.0.0/16');
    // a destination's lock word lives in its extra record (issue 13): that slab gets its first chunk now,
    // since a chunk needs fresh pages, which freeing ballast below does not give back
    B.lockDestination({ dest: d });
    B.lockDestination({ dest: d, lock: false });
    // so do the slabs of W's table that the ballast's destinations take records of (key records, and branch
    // nodes since session 33: two /48s side by side), for the same reason
    for (const h of ['2001:db8:fffe::/48', '2001:db8:ffff::/48'].map((dest) => W.addRouteToDest({ dest, neighbour: nW[0] }).handle!)) W.deleteRouteToDest(h);
    // every block size is used up by ballast hop arrays (1 KiB down to 16 bytes) under the cap
    expect(x.memorySetCap(core.memoryBytes)).toBe(0);
    const ballast: RouteHandle[] = [];
    let seq = 0;
    for (let hops = 256; hops >= 4; hops >>= 1) {
      for (;;) {
        const i = seq++;
        const code = codeOf(() => ballast.push(W.addRouteToDest({
          dest: `2001:db8:${(i >> 6).toString(16)}::/48`, neighbour: nW[0], nextHops: nW.slice(0, hops), changeFlags: RTM_ROUTE_CHANGE_NEW,
        }).handle!));
        if (code === 'ERROR_NOT_ENOUGH_MEMORY') break;
        expect(code).toBeUndefined();
      }
    }
    const stat = () => [x.lockStat(0), x.lockStat(1), x.lockStat(2), x.blockMemoryBytes()];
    const before = stat();
    expectCode(() => B.lockDestination({ dest: d, exclusive: false }), 'ERROR_NOT_ENOUGH_MEMORY');
    expectCode(() => A.lockRoute({ route: r, exclusive: true }), 'ERROR_NOT_ENOUGH_MEMORY');
    expectCode(() => B.lockNextHop({ nextHop: nB, exclusive: true }), 'ERROR_NOT_ENOUGH_MEMORY');
    expect(stat()).toEqual(before);
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    expectCode(() => B.lockDestination({ dest: d, lock: false }), 'ERROR_NOT_LOCKED');
    // memory back: the same locks succeed, the expiry waits for them
    for (const h of ballast.splice(0, 4)) W.deleteRouteToDest(h);
    rtm.runPending();
    B.lockDestination({ dest: d, exclusive: false });
    expect(x.lockStat(0)).toBe(before[0] + 1);
    clock.advance(20);
    expect(x.lockStat(2)).toBe(1);                          // A's expiry is parked on B's lock
    expect(A.isBestRoute(r)).toBeDefined();
    B.lockDestination({ dest: d, exclusive: false, lock: false });
    expect(x.lockStat(0)).toBe(before[0]);
    rtm.runPending();                                        // no callback for A: the route is deleted
    expectCode(() => A.isBestRoute(r), 'ERROR_INVALID_HANDLE');
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    rtm.close();
  });

  it('bestRouteSummary (one crossing) equals the record-by-record reading, IPv4 and IPv6', () => {
    const rtm = Rtm.createSync({ maxNextHopsInRoute: 8 });
    for (const fam of ['ipv4', 'ipv6'] as const) {
      const v4 = fam === 'ipv4';
      const E = rtm.registerEntity({ addressFamily: fam, protocolId: 7 });
      const hops = [v4 ? '10.0.0.1' : '2001:db8::1', v4 ? '10.9.0.0/16' : '2001:db8:77::/48', v4 ? '10.0.0.3' : 'fe80::3']
        .map((address, i) => E.addNextHop({ address, interfaceIndex: i + 1 }).handle!);
      const dests = v4 ? ['10.1.0.0/16', '10.2.0.0/24', '0.0.0.0/0'] : ['2001:db8:1::/48', '2001:db8:2::/64', '::/0'];
      const routes = dests.map((dest, i) => E.addRouteToDest({
        dest, neighbour: hops[0], nextHops: hops.slice(0, i + 1), metric: i, preference: 10 * i, views: 3,
        entitySpecificInfo: i === 1 ? { tag: i } : undefined,
      }).handle!);
      const table = v4 ? rtm.ipv4 : rtm.ipv6;
      const inst = rtm as unknown as { core: Core; layout: Parameters<typeof routeSummaryOf>[1]; routeEsi: unknown[] };
      const ids = dests.map((dest) => E.getExactMatchDestination({ dest })!).map((info) => { E.releaseDestInfo(info); return info.handle % 2 ** 25; });
      for (const [i, id] of ids.entries()) {
        for (const view of [0, 1]) {
          const got = table.bestRouteSummary(id, view);
          expect(got).toEqual(routeSummaryOf(inst.core, inst.layout, table.family, routes[i] % 2 ** 25, inst.routeEsi));
          expect(got!.nextHops.length).toBe(i + 1);
          expect(got!.handle).toBe(routes[i]);
        }
      }
      // a destination with no route in the view: undefined
      const only = E.addRouteToDest({ dest: v4 ? '10.3.0.0/16' : '2001:db8:3::/48', neighbour: hops[0], views: 1 }).handle!;
      const info = E.getExactMatchDestination({ dest: v4 ? '10.3.0.0/16' : '2001:db8:3::/48' })!;
      E.releaseDestInfo(info);
      expect(table.bestRouteSummary(info.handle % 2 ** 25, 1)).toBeUndefined();
      expect(table.bestRouteSummary(info.handle % 2 ** 25, 0)!.handle).toBe(only);
    }
    expectCode(() => rtm.ipv4.bestRouteSummary(0x1fffff0, 0), 'ERROR_INVALID_HANDLE');
    rtm.close();
  });
});
