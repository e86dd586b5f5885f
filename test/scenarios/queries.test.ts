// Spec §13 scenarios 22–23: table queries (§8.6) and protocol selectors (§7.15), plus RtmGetExactMatchRoute
// matching criteria (§8.8.4, D-14, D-15).
import { describe, expect, it } from 'vitest';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_BEST_PROTOCOL, RTM_MATCH_INTERFACE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_NEXTHOP,
  RTM_MATCH_NONE, RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_ROUTE_FLAGS_LOCAL, RTM_ROUTE_FLAGS_REMOTE, RTM_THIS_PROTOCOL,
  RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { DestInfo, EntityLike } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { party, setup } from '../reference/fixture.js';

/** The prefix of a query result, releasing it. */
function take(e: EntityLike, info: DestInfo | undefined): string | undefined {
  if (info === undefined) return undefined;
  e.releaseDestInfo(info);
  return info.prefix;
}

describe.each(IMPLEMENTATIONS)('$name: table queries', (impl) => {
  it('22. longest-prefix match, then walking up with less-specific lookups to 0/0', () => {
    const { A, nA } = setup(impl);
    for (const dest of ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16']) A.addRouteToDest({ dest, neighbour: nA, views: UCAST, returnHandle: false });
    const ms = A.getMostSpecificDestination({ dest: '10.1.2.3/32', views: UCAST })!;
    expect(ms.prefix).toBe('10.1.0.0/16');
    const up1 = A.getLessSpecificDestination({ dest: ms.handle, views: UCAST })!;
    expect(up1.prefix).toBe('10.0.0.0/8');
    const up2 = A.getLessSpecificDestination({ dest: up1.handle, views: UCAST })!;
    expect(up2.prefix).toBe('0.0.0.0/0');
    expect(A.getLessSpecificDestination({ dest: up2.handle, views: UCAST })).toBeUndefined();
    for (const d of [ms, up1, up2]) A.releaseDestInfo(d);
    expect(A.getExactMatchDestination({ dest: '10.1.2.0/24', views: UCAST })).toBeUndefined();
    // A bare address is a /32; an exact match needs the same length.
    expect(take(A, A.getMostSpecificDestination({ dest: '10.1.2.3', views: UCAST }))).toBe('10.1.0.0/16');
    expect(take(A, A.getExactMatchDestination({ dest: '10.0.0.0/8', views: UCAST }))).toBe('10.0.0.0/8');
    expect(take(A, A.getMostSpecificDestination({ dest: '11.0.0.0/8', views: UCAST }))).toBe('0.0.0.0/0');
  });

  it('22b. a UCAST lookup skips a more specific prefix that only has MCAST routes (D-25)', () => {
    const { A, nA } = setup(impl);
    for (const dest of ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16']) A.addRouteToDest({ dest, neighbour: nA, views: UCAST, returnHandle: false });
    A.addRouteToDest({ dest: '10.1.2.0/24', neighbour: nA, views: MCAST, returnHandle: false });
    expect(take(A, A.getMostSpecificDestination({ dest: '10.1.2.3', views: UCAST }))).toBe('10.1.0.0/16');
    expect(take(A, A.getMostSpecificDestination({ dest: '10.1.2.3', views: MCAST }))).toBe('10.1.2.0/24');
    expect(take(A, A.getMostSpecificDestination({ dest: '10.1.2.3', views: ANY }))).toBe('10.1.2.0/24');
    expect(A.getMostSpecificDestination({ dest: '11.1.2.3', views: MCAST })).toBeUndefined();
    expect(A.getExactMatchDestination({ dest: '10.1.2.0/24', views: UCAST })).toBeUndefined();
    const mc = A.getExactMatchDestination({ dest: '10.1.2.0/24', views: MCAST })!;
    const up = A.getLessSpecificDestination({ dest: mc.handle, views: MCAST });
    expect(up).toBeUndefined();                                       // no covering MCAST destination
    expect(take(A, A.getLessSpecificDestination({ dest: mc.handle, views: UCAST }))).toBe('10.1.0.0/16');
    A.releaseDestInfo(mc);
  });

  it('22c. the same queries on an IPv6 table', () => {
    const { rtm } = setup(impl);
    const six = party(rtm, PROTO_IP_BGP, 1, {}, 'ipv6').entity;
    const nh = six.addNextHop({ address: 'fe80::1', interfaceIndex: 4 }).handle!;
    for (const dest of ['::/0', '2001:db8::/32', '2001:db8:1::/48']) six.addRouteToDest({ dest, neighbour: nh, returnHandle: false });
    const ms = six.getMostSpecificDestination({ dest: '2001:db8:1:2::5' })!;
    expect(ms.prefix).toBe('2001:db8:1::/48');
    expect(ms.address).toEqual({ addressFamily: 23, numBits: 48 });
    expect(take(six, six.getLessSpecificDestination({ dest: ms.handle }))).toBe('2001:db8::/32');
    six.releaseDestInfo(ms);
    expect(take(six, six.getMostSpecificDestination({ dest: '2001:dead::1' }))).toBe('::/0');
  });

  it('23. the protocol selector picks the reported route, never the destinations; NumRoutes is unaffected', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const a = A.addRouteToDest({ dest: P, neighbour: nA, preference: 120, metric: 1, views: UCAST, flags: RTM_ROUTE_FLAGS_REMOTE }).handle!;
    const b = B.addRouteToDest({ dest: P, neighbour: nB, preference: 110, metric: 1, views: UCAST, flags: RTM_ROUTE_FLAGS_LOCAL }).handle!;
    const ask = (who: EntityLike, protocolId: number) => {
      const d = who.getExactMatchDestination({ dest: P, protocolId, views: UCAST })!;
      who.releaseDestInfo(d);
      return d.viewInfo[0];
    };
    expect(ask(A, PROTO_IP_RIP)).toEqual({ viewId: 0, numRoutes: 2, route: a, owner: A.handle, destFlags: RTM_ROUTE_FLAGS_REMOTE, holdRoute: undefined });
    expect(ask(B, PROTO_IP_RIP)).toMatchObject({ route: a, owner: A.handle });
    expect(ask(A, RTM_THIS_PROTOCOL)).toMatchObject({ route: a, numRoutes: 2 });
    expect(ask(B, RTM_THIS_PROTOCOL)).toMatchObject({ route: b, numRoutes: 2 });
    expect(ask(A, RTM_BEST_PROTOCOL)).toEqual({ viewId: 0, numRoutes: 2, route: b, owner: B.handle, destFlags: RTM_ROUTE_FLAGS_LOCAL, holdRoute: undefined });
    expect(ask(A, PROTO_IP_OSPF)).toMatchObject({ route: b });
    expect(ask(A, PROTO_IP_BGP)).toEqual({ viewId: 0, numRoutes: 2, route: undefined, owner: undefined, destFlags: 0, holdRoute: undefined });
    // The selector applies to lookups and getDestInfo alike.
    const d = A.getMostSpecificDestination({ dest: '192.168.1.77', protocolId: PROTO_IP_RIP, views: UCAST })!;
    expect(d.viewInfo[0].route).toBe(a);
    const g = A.getDestInfo({ dest: d.handle, protocolId: RTM_THIS_PROTOCOL, views: UCAST });
    expect(g.viewInfo[0].route).toBe(a);
    A.releaseDestInfo(d);
    A.releaseDestInfo(g);
  });

  it('23b. the protocol-restricted best follows the usual order among that protocol\'s routes (B8)', () => {
    const { rtm, A, B, nA, nB, P } = setup(impl);
    const A2 = party(rtm, PROTO_IP_RIP, 2).entity;                  // another RIP instance counts as RIP
    const nA2 = A2.addNextHop({ address: '10.0.0.9', interfaceIndex: 1 }).handle!;
    A.addRouteToDest({ dest: P, neighbour: nA, preference: 120, metric: 9 });
    const r2 = A2.addRouteToDest({ dest: P, neighbour: nA2, preference: 120, metric: 3 }).handle!;
    B.addRouteToDest({ dest: P, neighbour: nB, preference: 10, metric: 1 });
    const d = A.getExactMatchDestination({ dest: P, protocolId: RTM_THIS_PROTOCOL, views: UCAST })!;
    expect(d.viewInfo[0]).toMatchObject({ route: r2, owner: A2.handle, numRoutes: 3 });
    A.releaseDestInfo(d);
  });

  it('getExactMatchRoute: first matching route in destination order, by owner, neighbour, preference+metric, next hop, interface', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const nA3 = A.addNextHop({ address: '10.0.0.3', interfaceIndex: 3 }).handle!;
    const a1 = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5 }).handle!;
    const a2 = A.addRouteToDest({ dest: P, neighbour: nA3, nextHops: [nA, nA3], preference: 100, metric: 7 }).handle!;
    const b1 = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 50, metric: 9 }).handle!;
    const find = (o: Parameters<EntityLike['getExactMatchRoute']>[0]) => {
      const m = A.getExactMatchRoute({ returnHandle: false, ...o });
      if (m) A.releaseRouteInfo(m.info);
      return m && (m.info.neighbour === nB ? b1 : m.info.neighbour === nA3 ? a2 : a1);
    };
    expect(find({ dest: P, matchFlags: RTM_MATCH_NONE })).toBe(b1);           // B6 order: b1 (pref 50) first
    expect(find({ dest: P, matchFlags: RTM_MATCH_OWNER, criteria: { owner: A.handle } })).toBe(a1);
    expect(find({ dest: P, matchFlags: RTM_MATCH_NEIGHBOUR, criteria: { neighbour: nA3 } })).toBe(a2);
    expect(find({ dest: P, matchFlags: RTM_MATCH_PREF, criteria: { preference: 100, metric: 7 } })).toBe(a2);
    expect(find({ dest: P, matchFlags: RTM_MATCH_PREF, criteria: { preference: 100, metric: 6 } })).toBeUndefined();
    expect(find({ dest: P, matchFlags: RTM_MATCH_NEXTHOP, criteria: { nextHops: [nA3] } })).toBe(a2);
    expect(find({ dest: P, matchFlags: RTM_MATCH_NEXTHOP, criteria: { nextHops: [nA, nA3] } })).toBe(a2);
    expect(find({ dest: P, matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 1 })).toBe(a1);
    expect(find({ dest: P, matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 3 })).toBe(a2);
    expect(find({ dest: P, matchFlags: RTM_MATCH_INTERFACE, interfaceIndex: 7 })).toBeUndefined();
    expect(find({ dest: P, matchFlags: RTM_MATCH_OWNER | RTM_MATCH_INTERFACE, criteria: { owner: B.handle }, interfaceIndex: 2 })).toBe(b1);
    expect(find({ dest: P, views: MCAST })).toBeUndefined();
    expect(find({ dest: '192.168.2.0/24' })).toBeUndefined();
  });
});
