// RTMv1 (spec §9) on the RTMv2 layer (§9.5): scenario 32 and every rtm.h function. Adding, deleting,
// change messages and deregistration need only core functions and run on every implementation; ageing
// (RTMv2 TTLs) and table listings (RTMv2 enumerations) run where those exist (the model today).
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import type { Rtm } from '../../src/rtm.js';
import { CORE_IMPLS, addRouteOk, drain, exactDest, implsWith, nextHop, register, useImpl } from './helpers.js';

/** Host-order number of dotted text. */
function ip(text: string): number {
  return text.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** An RTM_IP_ROUTE for network/len via next hop on an interface. */
function ipRoute(network: string, nextHopAddr: string, ifIndex: number, priority = 0, metric = 1): W.RTM_IP_ROUTE {
  const [addr, len] = network.split('/');
  const r = new W.RTM_IP_ROUTE();
  r.RR_Network.N_NetNumber = ip(addr);
  r.RR_Network.N_NetMask = W.ipv4MaskFromLen(Number(len));
  r.RR_NextHopAddress.N_NetNumber = ip(nextHopAddr);
  r.RR_NextHopAddress.N_NetMask = 0xffffffff;
  r.RR_InterfaceID = ifIndex;
  r.RR_FamilySpecificData.FSD_Priority = priority;
  r.RR_FamilySpecificData.FSD_Metric = metric;
  return r;
}

function client(protocol: number, flags = 0, event: W.ChangeEventLike | null = new W.ChangeEvent()): { h: number; event: W.ChangeEvent } {
  const h = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, protocol, event, flags);
  expect(h).not.toBeNull();
  expect(W.GetLastError()).toBe(W.NO_ERROR);
  return { h: h!, event: event as W.ChangeEvent };
}

interface Msg { status: number; flags: number; cur: W.RTM_IP_ROUTE; prev: W.RTM_IP_ROUTE }

function dequeue(h: number): Msg {
  const flags = W.ref(-1), cur = new W.RTM_IP_ROUTE(), prev = new W.RTM_IP_ROUTE();
  return { status: W.RtmDequeueRouteChangeMessage(h, flags, cur, prev), flags: flags.value, cur, prev };
}

function add(h: number, r: W.RTM_IP_ROUTE, ttl: number = W.INFINITE): { status: number; flags: number; cur: W.RTM_IP_ROUTE; prev: W.RTM_IP_ROUTE } {
  const flags = W.ref(-1), cur = new W.RTM_IP_ROUTE(), prev = new W.RTM_IP_ROUTE();
  return { status: W.RtmAddRoute(h, r, ttl, flags, cur, prev), flags: flags.value, cur, prev };
}

function remove(h: number, r: W.RTM_IP_ROUTE): { status: number; flags: number; cur: W.RTM_IP_ROUTE } {
  const flags = W.ref(-1), cur = new W.RTM_IP_ROUTE();
  return { status: W.RtmDeleteRoute(h, r, flags, cur), flags: flags.value, cur };
}

describe.each(CORE_IMPLS)('$name: RTMv1 without enumerations', (impl) => {
  it('32 (core part): one route per network for a single-route protocol; ADDED, CHANGED, DELETED in order; deregistration cleans up', () => {
    useImpl(impl);
    const ospf = client(W.PROTO_IP_OSPF, W.RTM_PROTOCOL_SINGLE_ROUTE);
    const rip = client(W.PROTO_IP_RIP);
    expect(add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1, 10, 5)).flags).toBe(W.RTM_ROUTE_ADDED);
    expect(add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2, 10, 5)).flags).toBe(W.RTM_ROUTE_CHANGED);
    expect(remove(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1)).status).toBe(W.ERROR_NO_SUCH_ROUTE);
    expect(remove(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2)).flags).toBe(W.RTM_ROUTE_DELETED);
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, ipRoute('10.1.0.0/16', '0.0.0.0', 0).RR_Network, null)).toBe(W.FALSE);
    const got = [dequeue(rip.h), dequeue(rip.h), dequeue(rip.h)];
    expect(got.map((m) => [m.status, m.flags])).toEqual([
      [W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED], [W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_CHANGED], [W.NO_ERROR, W.RTM_ROUTE_DELETED],
    ]);
    expect(rip.event.isSet).toBe(false);
    add(ospf.h, ipRoute('10.2.0.0/16', '10.0.0.1', 1));
    const hit = new W.RTM_IP_ROUTE();
    expect(W.RtmLookupIPDestination(ip('10.2.3.4'), hit)).toBe(W.TRUE);
    expect(hit.RR_RoutingProtocol).toBe(W.PROTO_IP_OSPF);
    expect(W.RtmDeregisterClient(ospf.h)).toBe(W.NO_ERROR);
    expect(W.RtmLookupIPDestination(ip('10.2.3.4'), hit)).toBe(W.FALSE);
    expect([dequeue(rip.h), dequeue(rip.h)].map((m) => [m.status, m.flags])).toEqual([
      [W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED], [W.NO_ERROR, W.RTM_ROUTE_DELETED],
    ]);
  });
});

describe.each(implsWith('ttl', 'enums', 'notify'))('$name: RTMv1', (impl) => {
  it('32. a single-route protocol keeps one route per network; the other client dequeues ADDED, CHANGED, DELETED', () => {
    useImpl(impl);
    const ospf = client(W.PROTO_IP_OSPF, W.RTM_PROTOCOL_SINGLE_ROUTE);
    const rip = client(W.PROTO_IP_RIP);
    const a = add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1, 10, 5));
    expect(a.status).toBe(W.NO_ERROR);
    expect(a.flags).toBe(W.RTM_ROUTE_ADDED);
    expect(a.cur).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_InterfaceID: 1, RR_Network: { N_NetNumber: ip('10.1.0.0'), N_NetMask: 0xffff0000 } });
    expect(a.cur.RR_TimeStamp).toBeGreaterThan(0n);
    const b = add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2, 10, 5));
    expect(b.flags).toBe(W.RTM_ROUTE_CHANGED);
    expect(b.prev.RR_NextHopAddress.N_NetNumber).toBe(ip('10.0.0.1'));
    expect(b.cur.RR_NextHopAddress.N_NetNumber).toBe(ip('10.0.0.2'));
    // One route left (the first one was replaced).
    const en = W.RtmCreateEnumerationHandle(W.RTM_PROTOCOL_FAMILY_IP, W.RTM_ONLY_THIS_NETWORK, ipRoute('10.1.0.0/16', '0.0.0.0', 0));
    expect(en).not.toBeNull();
    const got = new W.RTM_IP_ROUTE();
    expect(W.RtmEnumerateGetNextRoute(en, got)).toBe(W.NO_ERROR);
    expect(got.RR_InterfaceID).toBe(2);
    expect(W.RtmEnumerateGetNextRoute(en, got)).toBe(W.ERROR_NO_MORE_ROUTES);
    expect(W.RtmCloseEnumerationHandle(en)).toBe(W.NO_ERROR);
    // Deleting by (network, interface, next hop).
    expect(remove(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1)).status).toBe(W.ERROR_NO_SUCH_ROUTE);
    const d = remove(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2));
    expect([d.status, d.flags]).toEqual([W.NO_ERROR, W.RTM_ROUTE_DELETED]);
    // The caller got nothing queued; the other client has the three messages, in order.
    expect(ospf.event.isSet).toBe(false);
    expect(dequeue(ospf.h).status).toBe(W.ERROR_NO_MESSAGES);
    expect(rip.event.isSet).toBe(true);
    const m1 = dequeue(rip.h), m2 = dequeue(rip.h);
    expect([m1.status, m1.flags, m1.cur.RR_InterfaceID]).toEqual([W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED, 1]);
    expect([m2.status, m2.flags, m2.prev.RR_InterfaceID, m2.cur.RR_InterfaceID]).toEqual([W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_CHANGED, 1, 2]);
    expect(rip.event.isSet).toBe(true);
    const m3 = dequeue(rip.h);
    expect([m3.status, m3.flags, m3.prev.RR_InterfaceID]).toEqual([W.NO_ERROR, W.RTM_ROUTE_DELETED, 2]);
    expect(m3.cur.RR_InterfaceID).toBe(0);                        // only PrevBestRoute is filled for DELETED
    expect(rip.event.isSet).toBe(false);
    const none = dequeue(rip.h);
    expect(none.status).toBe(W.ERROR_NO_MESSAGES);
  });

  it('RtmRegisterClient: one client per protocol; families, flags and events are checked; GetLastError tells why', () => {
    useImpl(impl);
    const first = client(W.PROTO_IP_RIP);
    expect(W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_RIP, null, 0)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_CLIENT_ALREADY_EXISTS);
    expect(W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IPX, W.IPX_PROTOCOL_RIP, null, 0)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_BGP, null, 2)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_BGP, {} as W.ChangeEventLike, 0)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
    // Any object with set()/reset() is an event; NULL means no messages (dequeue: ERROR_INVALID_HANDLE).
    const log: string[] = [];
    const custom = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_BGP, { set: () => log.push('set'), reset: () => log.push('reset') }, 0)!;
    const silent = client(W.PROTO_IP_OSPF, 0, null);
    expect(dequeue(silent.h).status).toBe(W.ERROR_INVALID_HANDLE);
    add(first.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1));
    expect(log).toEqual(['set']);
    expect(dequeue(custom).status).toBe(W.NO_ERROR);
    expect(log).toEqual(['set', 'reset']);
    // The client handle is not an RTMv2 registration handle, and vice versa.
    expect(W.RtmDeregisterEntity(first.h)).toBe(W.ERROR_INVALID_HANDLE);
    const v2 = register(W.PROTO_IP_EGP, 1);
    expect(W.RtmDeregisterClient(v2.h)).toBe(W.ERROR_INVALID_HANDLE);
    // A client and an RTMv2 entity with the same (protocol, instance 0) identity collide.
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    info.EntityId.EntityProtocolId = W.PROTO_IP_RIP;
    expect(W.RtmRegisterEntity(info, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))).toBe(W.ERROR_ALREADY_EXISTS);
  });

  it('best routes by FSD_Priority then FSD_Metric; identity is network + protocol + interface + next hop; messages to the others only', () => {
    useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), ospf = client(W.PROTO_IP_OSPF), watcher = client(W.PROTO_IP_BGP);
    expect(add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1, 120, 2)).flags).toBe(W.RTM_ROUTE_ADDED);
    expect(add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.9', 3, 120, 4)).flags).toBe(W.RTM_NO_CHANGE);    // a second RIP route, worse
    const better = add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2, 110, 20));
    expect(better.flags).toBe(W.RTM_ROUTE_CHANGED);
    expect([better.prev.RR_RoutingProtocol, better.cur.RR_RoutingProtocol]).toEqual([W.PROTO_IP_RIP, W.PROTO_IP_OSPF]);
    expect(better.cur.RR_FamilySpecificData).toMatchObject({ FSD_Priority: 110, FSD_Metric: 20 });
    // Re-adding the same route with new data updates it (no new route); a metric change of the best route is significant.
    expect(add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2, 110, 21)).flags).toBe(W.RTM_ROUTE_CHANGED);
    expect(add(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2, 110, 21)).flags).toBe(W.RTM_NO_CHANGE);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(1);
    // Three routes to the network.
    let n = 0;
    const en = W.RtmCreateEnumerationHandle(W.RTM_PROTOCOL_FAMILY_IP, 0, null)!;
    for (const r = new W.RTM_IP_ROUTE(); W.RtmEnumerateGetNextRoute(en, r) === W.NO_ERROR;) n++;
    expect(n).toBe(3);
    W.RtmCloseEnumerationHandle(en);
    // Delete the best: another route takes over.
    const d = remove(ospf.h, ipRoute('10.1.0.0/16', '10.0.0.2', 2));
    expect(d.flags).toBe(W.RTM_ROUTE_CHANGED);
    expect([d.cur.RR_RoutingProtocol, d.cur.RR_InterfaceID]).toEqual([W.PROTO_IP_RIP, 1]);
    // The watcher saw ADDED, CHANGED (ospf), CHANGED (metric), CHANGED (delete); rip saw the last three; ospf its own none but rip's add.
    const flagsOf = (h: number) => { const out: number[] = []; for (;;) { const m = dequeue(h); if (m.status === W.ERROR_NO_MESSAGES) return out; out.push(m.flags); if (m.status === W.NO_ERROR) return out; } };
    expect(flagsOf(watcher.h)).toEqual([W.RTM_ROUTE_ADDED, W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_CHANGED]);
    expect(flagsOf(rip.h)).toEqual([W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_CHANGED]);
    expect(flagsOf(ospf.h)).toEqual([W.RTM_ROUTE_ADDED]);
  });

  it('routes age out by themselves (TTL in seconds); RtmGetRouteAge counts seconds since the last update', () => {
    const { clock } = useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), watcher = client(W.PROTO_IP_BGP);
    const r = ipRoute('10.1.0.0/16', '10.0.0.1', 1);
    expect(add(rip.h, r, 10).status).toBe(W.NO_ERROR);
    clock.advance(4000);
    const best = new W.RTM_IP_ROUTE();
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, r.RR_Network, best)).toBe(W.TRUE);
    expect(W.RtmGetRouteAge(best)).toBe(4);
    expect(W.GetLastError()).toBe(W.NO_ERROR);
    expect(add(rip.h, r, 10).flags).toBe(W.RTM_NO_CHANGE);        // refresh: the TTL restarts
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, r.RR_Network, best)).toBe(W.TRUE);
    expect(W.RtmGetRouteAge(best)).toBe(0);
    clock.advance(9999);
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, r.RR_Network, null)).toBe(W.TRUE);
    clock.advance(1);
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, r.RR_Network, null)).toBe(W.FALSE);
    expect(W.GetLastError()).toBe(W.NO_ERROR);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(0);
    // Ageing out is reported to every client, the owner included.
    expect(dequeue(rip.h)).toMatchObject({ status: W.NO_ERROR, flags: W.RTM_ROUTE_DELETED });
    const w = [dequeue(watcher.h), dequeue(watcher.h)];
    expect(w.map((m) => [m.status, m.flags])).toEqual([[W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED], [W.NO_ERROR, W.RTM_ROUTE_DELETED]]);
    // TTL limits; RtmGetRouteAge of a structure the RTM never stamped.
    expect(add(rip.h, r, 2_147_484).status).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmGetRouteAge(new W.RTM_IP_ROUTE())).toBe(W.INFINITE);
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
  });

  it('RtmBlockDeleteRoutes deletes the matching subset and tells every client, the caller included', () => {
    useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), other = client(W.PROTO_IP_OSPF);
    add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1));
    add(rip.h, ipRoute('10.2.0.0/16', '10.0.0.1', 1));
    add(rip.h, ipRoute('10.3.0.0/16', '10.0.0.5', 5));
    add(other.h, ipRoute('10.2.0.0/16', '10.0.0.2', 2, 50));
    while (dequeue(other.h).status === W.ERROR_MORE_MESSAGES);
    while (dequeue(rip.h).status === W.ERROR_MORE_MESSAGES);
    expect(W.RtmBlockDeleteRoutes(rip.h, W.RTM_ONLY_THIS_INTERFACE, ipRoute('0.0.0.0/0', '0.0.0.0', 1))).toBe(W.NO_ERROR);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(2);
    // 10.1 had only rip's route: DELETED; on 10.2 the other client's route takes over: CHANGED.
    for (const h of [rip.h, other.h]) {
      const got = [dequeue(h), dequeue(h)];
      expect(got.map((m) => [m.status, m.flags])).toEqual([[W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_DELETED], [W.NO_ERROR, W.RTM_ROUTE_CHANGED]]);
      expect(got[1].cur).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_InterfaceID: 2 });
      expect(got[1].prev).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_RIP, RR_InterfaceID: 1 });
    }
    expect(W.RtmBlockDeleteRoutes(rip.h, W.RTM_ONLY_THIS_INTERFACE, ipRoute('0.0.0.0/0', '0.0.0.0', 1))).toBe(W.ERROR_NO_ROUTES);
    expect(W.RtmBlockDeleteRoutes(rip.h, 0x100, null)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmBlockDeleteRoutes(rip.h, W.RTM_ONLY_THIS_NETWORK, null)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmBlockDeleteRoutes(rip.h, 0, null)).toBe(W.NO_ERROR);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(1);
  });

  it('handle-less iteration in (network, protocol, interface, next hop) order; RtmGetSpecificRoute; RtmLookupIPDestination', () => {
    useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), ospf = client(W.PROTO_IP_OSPF);
    const r = new W.RTM_IP_ROUTE();
    expect(W.RtmGetFirstRoute(W.RTM_PROTOCOL_FAMILY_IP, 0, r)).toBe(W.ERROR_NO_ROUTES);
    add(ospf.h, ipRoute('10.2.0.0/16', '10.0.0.2', 2, 10));
    add(rip.h, ipRoute('10.2.0.0/16', '10.0.0.1', 1, 20));
    add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1, 20));
    add(rip.h, ipRoute('10.0.0.0/8', '10.0.0.3', 3, 20));
    const seen: string[] = [];
    let st = W.RtmGetFirstRoute(W.RTM_PROTOCOL_FAMILY_IP, 0, r);
    while (st === W.NO_ERROR) {
      seen.push(`${r.RR_Network.N_NetNumber >>> 24}.${(r.RR_Network.N_NetNumber >>> 16) & 255}/${W.ipv4LenFromMask(r.RR_Network.N_NetMask)} p${r.RR_RoutingProtocol} if${r.RR_InterfaceID}`);
      st = W.RtmGetNextRoute(W.RTM_PROTOCOL_FAMILY_IP, 0, r);
    }
    expect(st).toBe(W.ERROR_NO_ROUTES);
    expect(seen).toEqual(['10.0/8 p8 if3', '10.1/16 p8 if1', '10.2/16 p8 if1', '10.2/16 p13 if2']);
    // Only best routes; only a protocol.
    const best = new W.RTM_IP_ROUTE();
    expect(W.RtmGetFirstRoute(W.RTM_PROTOCOL_FAMILY_IP, W.RTM_ONLY_BEST_ROUTES | W.RTM_ONLY_THIS_NETWORK, Object.assign(best, ipRoute('10.2.0.0/16', '0.0.0.0', 0)))).toBe(W.NO_ERROR);
    expect(best.RR_RoutingProtocol).toBe(W.PROTO_IP_OSPF);
    expect(W.RtmGetNextRoute(W.RTM_PROTOCOL_FAMILY_IP, W.RTM_ONLY_BEST_ROUTES | W.RTM_ONLY_THIS_NETWORK, best)).toBe(W.ERROR_NO_ROUTES);
    const spec = ipRoute('10.2.0.0/16', '0.0.0.0', 1);
    spec.RR_RoutingProtocol = W.PROTO_IP_RIP;
    expect(W.RtmGetSpecificRoute(W.RTM_PROTOCOL_FAMILY_IP, spec)).toBe(W.NO_ERROR);
    expect([spec.RR_NextHopAddress.N_NetNumber, spec.RR_FamilySpecificData.FSD_Priority]).toEqual([ip('10.0.0.1'), 20]);
    // Longest-prefix match of a host address.
    const hit = new W.RTM_IP_ROUTE();
    expect(W.RtmLookupIPDestination(ip('10.1.2.3'), hit)).toBe(W.TRUE);
    expect(W.ipv4LenFromMask(hit.RR_Network.N_NetMask)).toBe(16);
    expect(W.RtmLookupIPDestination(ip('10.9.9.9'), hit)).toBe(W.TRUE);
    expect(W.ipv4LenFromMask(hit.RR_Network.N_NetMask)).toBe(8);
    expect(W.RtmLookupIPDestination(ip('11.0.0.1'), hit)).toBe(W.FALSE);
    expect(W.GetLastError()).toBe(W.NO_ERROR);
    // Enumeration filters; no match → NULL with ERROR_NO_ROUTES.
    const byProto = ipRoute('0.0.0.0/0', '0.0.0.0', 0);
    byProto.RR_RoutingProtocol = W.PROTO_IP_OSPF;
    const en = W.RtmCreateEnumerationHandle(W.RTM_PROTOCOL_FAMILY_IP, W.RTM_ONLY_THIS_PROTOCOL, byProto)!;
    const e1 = new W.RTM_IP_ROUTE();
    expect(W.RtmEnumerateGetNextRoute(en, e1)).toBe(W.NO_ERROR);
    expect(e1.RR_RoutingProtocol).toBe(W.PROTO_IP_OSPF);
    expect(W.RtmEnumerateGetNextRoute(en, e1)).toBe(W.ERROR_NO_MORE_ROUTES);
    expect(W.RtmCloseEnumerationHandle(en)).toBe(W.NO_ERROR);
    expect(W.RtmCloseEnumerationHandle(en)).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmEnumerateGetNextRoute(en, e1)).toBe(W.ERROR_INVALID_HANDLE);
    byProto.RR_RoutingProtocol = W.PROTO_IP_BGP;
    expect(W.RtmCreateEnumerationHandle(W.RTM_PROTOCOL_FAMILY_IP, W.RTM_ONLY_THIS_PROTOCOL, byProto)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_NO_ROUTES);
    expect(W.RtmCreateEnumerationHandle(W.RTM_PROTOCOL_FAMILY_IPX, 0, null)).toBeNull();
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
  });

  it('RtmDeregisterClient removes the client\'s routes with messages to the others; the handle dies', () => {
    useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), watcher = client(W.PROTO_IP_BGP);
    add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1));
    add(rip.h, ipRoute('10.2.0.0/16', '10.0.0.1', 1));
    expect(W.RtmDeregisterClient(rip.h)).toBe(W.NO_ERROR);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(0);
    const flags: number[] = [];
    for (let m = dequeue(watcher.h); ; m = dequeue(watcher.h)) { flags.push(m.flags); if (m.status !== W.ERROR_MORE_MESSAGES) break; }
    expect(flags).toEqual([W.RTM_ROUTE_ADDED, W.RTM_ROUTE_ADDED, W.RTM_ROUTE_DELETED, W.RTM_ROUTE_DELETED]);
    expect(W.RtmDeregisterClient(rip.h)).toBe(W.ERROR_INVALID_HANDLE);
    expect(add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1)).status).toBe(W.ERROR_INVALID_HANDLE);
    // The protocol can register again.
    client(W.PROTO_IP_RIP);
  });

  it('RTMv1 routes live in the RTMv2 table: an RTMv2 entity sees them; a refresh is no RTMv2 change', () => {
    const env = useImpl(impl);
    const rip = client(W.PROTO_IP_RIP);
    const v2 = register(W.PROTO_IP_OSPF, 1);
    const nb = W.ref<number>(null);
    expect(W.RtmRegisterForChangeNotification(v2.h, W.RTM_VIEW_MASK_UCAST, W.RTM_CHANGE_TYPE_ALL, null, nb)).toBe(W.NO_ERROR);
    const r = ipRoute('10.1.0.0/16', '10.0.0.1', 7, 120, 3);
    r.RR_ProtocolSpecificData.PSD_Data[0] = 99;
    add(rip.h, r);
    env.instances.get(0)!.runPending();
    expect(drain(v2.h, nb.value!)).toEqual(['10.1.0.0/16']);
    add(rip.h, r);                                                   // unchanged: no RTMv2 change either
    expect(drain(v2.h, nb.value!)).toEqual([]);
    const d = new W.RTM_DEST_INFO();
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_MAKE_NET_ADDRESS(na, '10.1.0.0', 16);
    expect(W.RtmGetExactMatchDestination(v2.h, na, 0, W.RTM_VIEW_MASK_UCAST, d)).toBe(W.NO_ERROR);
    const ri = new W.RTM_ROUTE_INFO();
    expect(W.RtmGetRouteInfo(v2.h, d.ViewInfo[0].Route, ri, null)).toBe(W.NO_ERROR);
    expect(ri).toMatchObject({ RouteOwner: rip.h, PrefInfo: { Preference: 120, Metric: 3 }, BelongsToViews: W.RTM_VIEW_MASK_UCAST });
    expect(W.RtmReleaseRouteInfo(v2.h, ri)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseDestInfo(v2.h, d)).toBe(W.NO_ERROR);
    // A better RTMv2 route becomes the RTMv1 best route too (seen through RtmIsRoute).
    const n = nextHop(v2.h, '10.0.0.2', 2);
    addRouteOk(v2.h, '10.1.0.0/16', { neighbour: n, pref: 10 });
    const best = new W.RTM_IP_ROUTE();
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, r.RR_Network, best)).toBe(W.TRUE);
    expect(best).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_InterfaceID: 2, RR_FamilySpecificData: { FSD_Priority: 10 } });
    // And the RTMv1 route keeps its own data.
    const mine = Object.assign(new W.RTM_IP_ROUTE(), ipRoute('10.1.0.0/16', '0.0.0.0', 7));
    mine.RR_RoutingProtocol = W.PROTO_IP_RIP;
    expect(W.RtmGetSpecificRoute(W.RTM_PROTOCOL_FAMILY_IP, mine)).toBe(W.NO_ERROR);
    expect(mine.RR_ProtocolSpecificData.PSD_Data[0]).toBe(99);
    expect(mine.RR_FamilySpecificData.FSD_Metric).toBe(3);
  });

  it('§9.5 decision: best-route changes made by an RTMv2 entity of instance 0 are RTMv1 messages to every client, one per change', () => {
    const env = useImpl(impl);
    const rip = client(W.PROTO_IP_RIP), watcher = client(W.PROTO_IP_BGP);
    add(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1, 100, 3));
    while (dequeue(watcher.h).status === W.ERROR_MORE_MESSAGES);
    const v2 = register(W.PROTO_IP_OSPF, 1, { callback: false });
    const n = nextHop(v2.h, '10.0.0.9', 9);
    // a better RTMv2 route: CHANGED (previous: rip's; current: the RTMv2 route as an RTMv1 route)
    const r = addRouteOk(v2.h, '10.1.0.0/16', { neighbour: n, pref: 10, metric: 4 }).handle;
    // a new network: ADDED; its metric changes: CHANGED; a worse RTMv2 route elsewhere: nothing
    const r2 = addRouteOk(v2.h, '10.2.0.0/16', { neighbour: n, pref: 10, metric: 1 }).handle;
    addRouteOk(v2.h, '10.2.0.0/16', { route: r2, neighbour: n, pref: 10, metric: 2 });
    addRouteOk(v2.h, '10.1.0.0/16', { route: r, neighbour: n, pref: 10, metric: 4, flags: W.RTM_ROUTE_FLAGS_MARTIAN });   // not an RTMv1 field
    // the RTMv2 routes go: CHANGED back to rip's route, DELETED
    expect(W.RtmDeleteRouteToDest(v2.h, r, W.ref(0))).toBe(W.NO_ERROR);
    expect(W.RtmDeleteRouteToDest(v2.h, r2, W.ref(0))).toBe(W.NO_ERROR);
    for (const c of [rip, watcher]) {
      const got: Msg[] = [];
      for (let m = dequeue(c.h); ; m = dequeue(c.h)) { got.push(m); if (m.status !== W.ERROR_MORE_MESSAGES) break; }
      expect(got.map((m) => m.flags)).toEqual([W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_ADDED, W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_CHANGED, W.RTM_ROUTE_DELETED]);
      expect(got[0].prev).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_RIP, RR_InterfaceID: 1, RR_FamilySpecificData: { FSD_Priority: 100, FSD_Metric: 3 } });
      expect(got[0].cur).toMatchObject({
        RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_InterfaceID: 9, RR_Network: { N_NetNumber: ip('10.1.0.0'), N_NetMask: 0xffff0000 },
        RR_NextHopAddress: { N_NetNumber: ip('10.0.0.9') }, RR_FamilySpecificData: { FSD_Priority: 10, FSD_Metric: 4 },
      });
      expect(got[1].cur).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_Network: { N_NetNumber: ip('10.2.0.0') } });
      expect([got[2].prev.RR_FamilySpecificData.FSD_Metric, got[2].cur.RR_FamilySpecificData.FSD_Metric]).toEqual([1, 2]);
      expect([got[3].prev.RR_RoutingProtocol, got[3].cur.RR_RoutingProtocol]).toEqual([W.PROTO_IP_OSPF, W.PROTO_IP_RIP]);
      expect(got[4].prev).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_Network: { N_NetNumber: ip('10.2.0.0') } });
      expect(c.event.isSet).toBe(false);
    }
    // an RTMv2 entity of another instance is another table: nothing
    const other = register(W.PROTO_IP_OSPF, 1, { instanceId: 1, callback: false });
    addRouteOk(other.h, '10.3.0.0/16', { neighbour: nextHop(other.h, '10.0.0.7', 7) });
    expect(dequeue(watcher.h).status).toBe(W.ERROR_NO_MESSAGES);
    // deregistering the RTMv2 entity of instance 0 deletes its routes: one message per network
    addRouteOk(v2.h, '10.4.0.0/16', { neighbour: n });
    addRouteOk(v2.h, '10.5.0.0/16', { neighbour: n });
    expect(W.RtmDeregisterEntity(v2.h)).toBe(W.NO_ERROR);
    env.instances.get(0)!.runPending();
    const flags: number[] = [];
    for (let m = dequeue(watcher.h); ; m = dequeue(watcher.h)) { flags.push(m.flags); if (m.status !== W.ERROR_MORE_MESSAGES) break; }
    expect(flags).toEqual([W.RTM_ROUTE_ADDED, W.RTM_ROUTE_ADDED, W.RTM_ROUTE_DELETED, W.RTM_ROUTE_DELETED]);
  });

  it('§9.5 decision: an RTMv2 route\'s expiry and the deletion that starts a hold-down are messages; a hold-down end changes no RTMv1 best route', () => {
    const { clock } = useImpl(impl);
    const rip = client(W.PROTO_IP_RIP);
    const v2 = register(W.PROTO_IP_OSPF, 1, { callback: false });   // no callback: the RTM deletes expired routes
    const n = nextHop(v2.h, '10.0.0.9', 9);
    addRouteOk(v2.h, '10.1.0.0/16', { neighbour: n, metric: 2, ttl: 1000 });
    clock.advance(1000);
    expect([dequeue(rip.h), dequeue(rip.h)].map((m) => [m.status, m.flags])).toEqual([
      [W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED], [W.NO_ERROR, W.RTM_ROUTE_DELETED],
    ]);
    // hold-down: the deletion of the last route is the RTMv1 change; the hold end sends nothing more
    const r = addRouteOk(v2.h, '10.2.0.0/16', { neighbour: n }).handle;
    const d = exactDest(v2.h, '10.2.0.0/16').info.DestHandle;
    expect(W.RtmHoldDestination(v2.h, d, W.RTM_VIEW_MASK_UCAST, 500)).toBe(W.NO_ERROR);
    expect(W.RtmDeleteRouteToDest(v2.h, r, W.ref(0))).toBe(W.NO_ERROR);
    expect([dequeue(rip.h), dequeue(rip.h)].map((m) => [m.status, m.flags])).toEqual([
      [W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_ADDED], [W.NO_ERROR, W.RTM_ROUTE_DELETED],
    ]);
    // a new route during the hold is ADDED; the hold end leaves it the best route: no message
    addRouteOk(v2.h, '10.2.0.0/16', { neighbour: n, metric: 7 });
    expect(dequeue(rip.h)).toMatchObject({ status: W.NO_ERROR, flags: W.RTM_ROUTE_ADDED });
    clock.advance(500);
    expect(exactDest(v2.h, '10.2.0.0/16').info.ViewInfo[0].HoldRoute).toBe(0);
    expect(dequeue(rip.h).status).toBe(W.ERROR_NO_MESSAGES);
    // a RTMv1 client's own route ageing out still goes to every client, the owner included (once)
    add(rip.h, ipRoute('10.3.0.0/16', '10.0.0.1', 1), 1);
    clock.advance(1000);
    expect(dequeue(rip.h)).toMatchObject({ status: W.NO_ERROR, flags: W.RTM_ROUTE_DELETED });
  });

  it('§9.5 decision: the first client starts from the table as it is (RTMv2 routes added before it registered)', () => {
    useImpl(impl);
    const v2 = register(W.PROTO_IP_OSPF, 1, { callback: false });
    const n = nextHop(v2.h, '10.0.0.9', 9);
    const r = addRouteOk(v2.h, '10.1.0.0/16', { neighbour: n, metric: 3 }).handle;
    const rip = client(W.PROTO_IP_RIP);
    expect(dequeue(rip.h).status).toBe(W.ERROR_NO_MESSAGES);
    addRouteOk(v2.h, '10.1.0.0/16', { route: r, neighbour: n, metric: 4 });
    expect(W.RtmDeleteRouteToDest(v2.h, r, W.ref(0))).toBe(W.NO_ERROR);
    const got = [dequeue(rip.h), dequeue(rip.h)];
    expect(got.map((m) => [m.status, m.flags])).toEqual([[W.ERROR_MORE_MESSAGES, W.RTM_ROUTE_CHANGED], [W.NO_ERROR, W.RTM_ROUTE_DELETED]]);
    expect([got[0].prev.RR_FamilySpecificData.FSD_Metric, got[0].cur.RR_FamilySpecificData.FSD_Metric]).toEqual([3, 4]);
    expect(got[1].prev).toMatchObject({ RR_RoutingProtocol: W.PROTO_IP_OSPF, RR_InterfaceID: 9 });
    // the last client gone, the watch stops; a new first client starts again from the table
    expect(W.RtmDeregisterClient(rip.h)).toBe(W.NO_ERROR);
    addRouteOk(v2.h, '10.2.0.0/16', { neighbour: n });
    const bgp = client(W.PROTO_IP_BGP);
    expect(dequeue(bgp.h).status).toBe(W.ERROR_NO_MESSAGES);
    addRouteOk(v2.h, '10.2.0.0/16', { neighbour: n, metric: 9 });
    expect(dequeue(bgp.h)).toMatchObject({ status: W.NO_ERROR, flags: W.RTM_ROUTE_CHANGED });
  });

  it('bad RTMv1 arguments', () => {
    useImpl(impl);
    const rip = client(W.PROTO_IP_RIP);
    const bad = ipRoute('10.1.0.0/16', '10.0.0.1', 1);
    bad.RR_Network.N_NetMask = 0xff00ff00;                          // not contiguous
    expect(add(rip.h, bad).status).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmAddRoute(rip.h, null as never, W.INFINITE, W.ref(0), null, null)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmAddRoute(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1), W.INFINITE, null as never, null, null)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmAddRoute(12345, ipRoute('10.1.0.0/16', '10.0.0.1', 1), W.INFINITE, W.ref(0), null, null)).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmDeleteRoute(rip.h, ipRoute('10.1.0.0/16', '10.0.0.1', 1), W.ref(0), null)).toBe(W.ERROR_NO_SUCH_ROUTE);
    expect(W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, null as never, null)).toBe(W.FALSE);
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IPX)).toBe(0);
    expect(W.GetLastError()).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmDequeueRouteChangeMessage(rip.h, null as never, null, null)).toBe(W.ERROR_INVALID_PARAMETER);
    // Nothing was added by the failed calls.
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(0);
  });
});

describe('wasm: RTMv1 messages for RTMv2 batches in instance 0 (§9.5 decision)', () => {
  it('a batch of updates is one message per changed network; more than the core logs in one operation is a comparison of every network', () => {
    const wasm = CORE_IMPLS.find((i) => i.name === 'wasm')!;
    const env = useImpl(wasm);
    const rip = client(W.PROTO_IP_RIP);
    W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, ipRoute('10.1.0.0/16', '0.0.0.0', 0).RR_Network, null);   // instance 0 exists
    const rtm = env.instances.get(0) as unknown as Rtm;
    const bgp = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: W.PROTO_IP_BGP, instanceId: 1 });
    const hop = bgp.addNextHop({ address: '10.0.0.3', interfaceIndex: 3 }).handle!;
    const batch = (count: number, kind: number, metric = 1) => {
      const keys = new Uint32Array(4 * count);
      for (let i = 0; i < count; i++) keys[4 * i] = (ip('172.16.0.0') + (i << 8)) >>> 0;
      return { count, keys, lens: new Uint8Array(count).fill(24), kinds: new Uint8Array(count).fill(kind), nextHops: new Float64Array(count).fill(hop),
        metrics: new Uint32Array(count).fill(metric) };
    };
    const drainAll = () => {
      const out: Msg[] = [];
      for (let m = dequeue(rip.h); m.status !== W.ERROR_NO_MESSAGES; m = dequeue(rip.h)) { out.push(m); if (m.status === W.NO_ERROR) break; }
      return out;
    };
    bgp.applyUpdates(batch(3, 0));
    expect(drainAll().map((m) => [m.flags, m.cur.RR_Network.N_NetNumber])).toEqual(
      [0, 1, 2].map((i) => [W.RTM_ROUTE_ADDED, (ip('172.16.0.0') + (i << 8)) >>> 0]));
    const N = rtm.core.k.BESTLOG_MAX + 100;
    bgp.applyUpdates(batch(N, 0, 5));                  // 3 changed, N - 3 added: more than the log holds
    const got = drainAll();
    expect(got.length).toBe(N);
    expect(got.filter((m) => m.flags === W.RTM_ROUTE_CHANGED).map((m) => m.cur.RR_FamilySpecificData.FSD_Metric)).toEqual([5, 5, 5]);
    expect(got.filter((m) => m.flags === W.RTM_ROUTE_ADDED).length).toBe(N - 3);
    bgp.deregister();                                   // N routes in one operation
    const gone = drainAll();
    expect(gone.length).toBe(N);
    expect(gone.every((m) => m.flags === W.RTM_ROUTE_DELETED && m.prev.RR_RoutingProtocol === W.PROTO_IP_BGP)).toBe(true);
    expect(W.RtmGetNetworkCount(W.RTM_PROTOCOL_FAMILY_IP)).toBe(0);
  });
});

