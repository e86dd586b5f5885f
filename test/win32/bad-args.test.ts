// Table-driven bad arguments through the Win32 layer: wrong handle kinds, NULL where a pointer is
// required, out-of-range counts, unknown flags, malformed addresses and wrong JS types. Each row asserts
// the documented status, that nothing threw, and that the table is exactly as before — the model's
// snapshot() plus the reference counts on every known handle (model), or a picture taken through the
// Win32 functions themselves (WASM, core rows) — and that no callback was scheduled.
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import type { RtmModel } from '../reference/model.js';
import {
  CORE_IMPLS, addRouteOk, destOf, exactDest, modelOf, net, nextHop, register, routeInfo, setup, type Impl, type World,
} from './helpers.js';

const UCAST = W.RTM_VIEW_MASK_UCAST, MCAST = W.RTM_VIEW_MASK_MCAST;

interface Rich extends World {
  C: number;
  rAP: number; rBP: number; rAQ: number; rDead: number;
  dP: number;
  nADead: number;
  /** Dynamics only (0 otherwise). */
  list: number; notifyA: number; enumA: number; dL: number;
  handles: number[];
  probes: string[];
}

function rich(impl: Impl): Rich {
  const m0: W.RTM_ENTITY_EXPORT_METHOD = () => undefined;
  const w = setup(impl, { opaqueSlots: 1 }, { a: { reserve: true, methods: [m0] } });
  const { A, B, nA, nB, P } = w;
  const Q = '10.1.0.0/16';
  const rAP = addRouteOk(A, P, { neighbour: nA, pref: 100, metric: 5 }).handle;
  const rBP = addRouteOk(B, P, { neighbour: nB, pref: 110, metric: 1, views: UCAST | MCAST }).handle;
  const rAQ = addRouteOk(A, Q, { neighbour: nA, views: UCAST | MCAST, esi: { q: 1 } }).handle;
  const rDead = addRouteOk(A, Q, { changeFlags: W.RTM_ROUTE_CHANGE_NEW, metric: 9 }).handle;
  expect(W.RtmReferenceHandles(A, 1, [rDead])).toBe(W.NO_ERROR);
  expect(W.RtmDeleteRouteToDest(A, rDead, W.ref(0))).toBe(W.NO_ERROR);
  const nADead = nextHop(A, '10.0.0.99', 9);
  expect(W.RtmReferenceHandles(A, 1, [nADead])).toBe(W.NO_ERROR);
  expect(W.RtmDeleteNextHop(A, nADead, null)).toBe(W.NO_ERROR);
  const dP = destOf(A, P);
  const c = register(W.PROTO_IP_BGP, 3);
  expect(W.RtmDeregisterEntity(c.h)).toBe(W.NO_ERROR);
  const dyn = { list: 0, notifyA: 0, enumA: 0, dL: 0 };
  if (impl.dynamics) {
    const l = W.ref<number>(null), n = W.ref<number>(null), e = W.ref<number>(null);
    expect(W.RtmCreateRouteList(A, l)).toBe(W.NO_ERROR);
    expect(W.RtmInsertInRouteList(A, l.value, 1, [rAP])).toBe(W.NO_ERROR);
    expect(W.RtmRegisterForChangeNotification(A, UCAST, W.RTM_CHANGE_TYPE_BEST, 'a', n)).toBe(W.NO_ERROR);
    expect(W.RtmCreateDestEnum(A, UCAST, W.RTM_ENUM_START, null, 0, e)).toBe(W.NO_ERROR);
    addRouteOk(B, '10.3.0.0/16', { neighbour: nB, wantHandle: false });
    dyn.dL = destOf(B, '10.3.0.0/16');
    expect(W.RtmLockDestination(B, dyn.dL, W.TRUE, W.TRUE)).toBe(W.NO_ERROR);
    const slot = W.ref<{ value: unknown } | null>(null);
    expect(W.RtmGetOpaqueInformationPointer(A, dP, slot)).toBe(W.NO_ERROR);
    slot.value!.value = 'slot';
    Object.assign(dyn, { list: l.value!, notifyA: n.value!, enumA: e.value! });
    w.clock.advance(1000);
  }
  w.rtm.runPending();
  for (const p of [w.pa, w.pb]) p.events.length = 0;
  return {
    ...w, C: c.h, rAP, rBP, rAQ, rDead, dP, nADead, ...dyn,
    handles: [A, B, c.h, nA, nB, nADead, rAP, rBP, rAQ, rDead, dP, dyn.dL].filter((h) => h !== 0),
    probes: [P, Q, '10.3.0.0/16', '10.9.0.0/16'],
  };
}

/** The model's own picture plus every known handle's references. */
function modelPicture(w: Rich): unknown {
  const m: RtmModel = modelOf(w);
  return { snapshot: m.snapshot(), counts: m.debugCounts(), refs: w.handles.map((h) => m.debugRefs(h)) };
}

/** A picture through the Win32 functions (for implementations without snapshot()). */
function win32Picture(w: Rich): unknown {
  const dests = w.probes.map((p) => {
    const d = exactDest(w.B, p, W.RTM_VIEW_MASK_ANY);
    if (d.status !== W.NO_ERROR) return d.status;
    const full = exactDest(w.B, p, UCAST | MCAST);
    return { handle: d.info.DestHandle, views: d.info.BelongsToViews, changed: d.info.LastChanged, viewInfo: full.info.ViewInfo };
  });
  const routes = [w.rAP, w.rBP, w.rAQ, w.rDead].map((r) => {
    const ri = new W.RTM_ROUTE_INFO();
    const st = W.RtmGetRouteInfo(w.B, r, ri, null);
    if (st === W.NO_ERROR) expect(W.RtmReleaseRouteInfo(w.B, ri)).toBe(W.NO_ERROR);
    return st === W.NO_ERROR ? { ...ri } : st;
  });
  const n = W.ref(10), hs: number[] = [];
  expect(W.RtmGetRegisteredEntities(w.B, n, hs, null)).toBe(W.NO_ERROR);
  expect(W.RtmReleaseEntities(w.B, hs.length, hs)).toBe(W.NO_ERROR);
  return { dests, routes, entities: hs };
}

type Row = readonly [name: string, status: number, call: (w: Rich) => number, dyn?: 'dyn'];

const I = W.ERROR_INVALID_HANDLE, P = W.ERROR_INVALID_PARAMETER;

function badAddress(patch: Partial<W.RTM_NET_ADDRESS> | Record<string, unknown>): W.RTM_NET_ADDRESS {
  return Object.assign(net('10.8.0.0/16'), patch) as W.RTM_NET_ADDRESS;
}

function add(w: Rich, o: { h?: number; dest?: unknown; info?: unknown; ttl?: unknown; list?: unknown; flags?: unknown; handle?: unknown }): number {
  return W.RtmAddRouteToDest(('h' in o ? o.h : w.A) as number, (o.handle ?? null) as never, ('dest' in o ? o.dest : net('10.8.0.0/16')) as never,
    ('info' in o ? o.info : routeInfo({ neighbour: w.nA })) as never, (o.ttl ?? W.INFINITE) as never, (o.list ?? null) as never, 0, null,
    ('flags' in o ? o.flags : W.ref(0)) as never);
}

const ROWS: Row[] = [
  // Registration handles
  ['unknown registration handle', I, (w) => add(w, { h: 987654 })],
  ['NULL registration handle', I, (w) => add(w, { h: null as never })],
  ['a route handle as registration handle', I, (w) => add(w, { h: w.rAP })],
  ['a next-hop handle as registration handle', I, (w) => add(w, { h: w.nA })],
  ['a deregistered registration handle', I, (w) => add(w, { h: w.C })],
  ['a registration handle of the wrong JS type', I, (w) => add(w, { h: '1' as never })],
  ['RtmDeregisterEntity of a next-hop handle', I, (w) => W.RtmDeregisterEntity(w.nA)],
  // Wrong handle kinds
  ['RtmGetRouteInfo with a next-hop handle', I, (w) => W.RtmGetRouteInfo(w.A, w.nA, new W.RTM_ROUTE_INFO(), null)],
  ['RtmGetDestInfo with a route handle', I, (w) => W.RtmGetDestInfo(w.A, w.rAP, 0, UCAST, new W.RTM_DEST_INFO())],
  ['RtmGetNextHopInfo with a route handle', I, (w) => W.RtmGetNextHopInfo(w.A, w.rAP, new W.RTM_NEXTHOP_INFO())],
  ['RtmDeleteRouteToDest with a next-hop handle', I, (w) => W.RtmDeleteRouteToDest(w.A, w.nA, W.ref(0))],
  ['RtmReleaseRoutes with a destination handle', I, (w) => W.RtmReleaseRoutes(w.A, 1, [w.dP])],
  ['RtmReleaseNextHops with a route handle', I, (w) => W.RtmReleaseNextHops(w.A, 1, [w.rAP])],
  ['RtmReleaseEntities with a next-hop handle', I, (w) => W.RtmReleaseEntities(w.A, 1, [w.nA])],
  ['RtmGetEntityInfo with a route handle', I, (w) => W.RtmGetEntityInfo(w.A, w.rAP, new W.RTM_ENTITY_INFO())],
  ['RtmAddRouteToDest by a next-hop handle', I, (w) => add(w, { handle: W.ref(w.nA) })],
  ['RtmAddRouteToDest with a route handle as neighbour', I, (w) => add(w, { info: routeInfo({ neighbour: w.rAP }) })],
  ['RtmIsBestRoute with a destination handle', I, (w) => W.RtmIsBestRoute(w.A, w.dP, W.ref(0))],
  ['RtmGetLessSpecificDestination with a route handle', I, (w) => W.RtmGetLessSpecificDestination(w.A, w.rAP, 0, UCAST, new W.RTM_DEST_INFO())],
  ['RtmReferenceHandles with an unknown handle', I, (w) => W.RtmReferenceHandles(w.A, 2, [w.rAP, 424242])],
  ['RtmAddRouteToDest with a route list of a notify handle', I, (w) => add(w, { list: w.notifyA }), 'dyn'],
  ['RtmGetEnumDests with a notify handle', I, (w) => W.RtmGetEnumDests(w.A, w.notifyA, W.ref(1), []), 'dyn'],
  ['RtmGetChangedDests with an enumeration handle', I, (w) => W.RtmGetChangedDests(w.A, w.enumA, W.ref(1), []), 'dyn'],
  ['RtmGetChangedDests with another entity\'s notify handle', I, (w) => W.RtmGetChangedDests(w.B, w.notifyA, W.ref(1), []), 'dyn'],
  ['RtmInsertInRouteList with a notify handle as list', I, (w) => W.RtmInsertInRouteList(w.A, w.notifyA, 1, [w.rAP]), 'dyn'],
  ['RtmDeleteRouteList of another entity', I, (w) => W.RtmDeleteRouteList(w.B, w.list), 'dyn'],
  ['RtmReferenceHandles with an enumeration handle', I, (w) => W.RtmReferenceHandles(w.A, 1, [w.enumA]), 'dyn'],
  ['RtmLockDestination with a route handle', I, (w) => W.RtmLockDestination(w.A, w.rAP, W.TRUE, W.TRUE), 'dyn'],
  ['RtmDeleteEnumHandle of another entity', I, (w) => W.RtmDeleteEnumHandle(w.B, w.enumA), 'dyn'],
  // NULL where a pointer is required
  ['RtmAddRouteToDest: DestAddress NULL', P, (w) => add(w, { dest: null })],
  ['RtmAddRouteToDest: RouteInfo NULL', P, (w) => add(w, { info: null })],
  ['RtmAddRouteToDest: ChangeFlags NULL', P, (w) => add(w, { flags: null })],
  ['RtmAddRouteToDest: RouteInfo.PrefInfo NULL', P, (w) => add(w, { info: Object.assign(routeInfo({ neighbour: w.nA }), { PrefInfo: null }) })],
  ['RtmDeleteRouteToDest: ChangeFlags NULL', P, (w) => W.RtmDeleteRouteToDest(w.A, w.rAP, null as never)],
  ['RtmGetDestInfo: DestInfo NULL', P, (w) => W.RtmGetDestInfo(w.A, w.dP, 0, UCAST, null as never)],
  ['RtmGetExactMatchDestination: DestAddress NULL', P, (w) => W.RtmGetExactMatchDestination(w.A, null as never, 0, UCAST, new W.RTM_DEST_INFO())],
  ['RtmGetExactMatchRoute: RouteInfo NULL', P, (w) => W.RtmGetExactMatchRoute(w.A, net(w.P), 0, null as never, 0, UCAST, null)],
  ['RtmIsBestRoute: BestInViews NULL', P, (w) => W.RtmIsBestRoute(w.A, w.rAP, null as never)],
  ['RtmAddNextHop: NextHopInfo NULL', P, (w) => W.RtmAddNextHop(w.A, null as never, null, W.ref(0))],
  ['RtmAddNextHop: ChangeFlags NULL', P, (w) => W.RtmAddNextHop(w.A, new W.RTM_NEXTHOP_INFO(), null, null as never)],
  ['RtmFindNextHop: NextHopHandle NULL', P, (w) => W.RtmFindNextHop(w.A, new W.RTM_NEXTHOP_INFO(), null as never, null)],
  ['RtmDeleteNextHop: handle and info NULL', P, (w) => W.RtmDeleteNextHop(w.A, null, null)],
  ['RtmGetEntityInfo: EntityInfo NULL', P, (w) => W.RtmGetEntityInfo(w.A, w.B, null as never)],
  ['RtmGetRegisteredEntities: NumEntities NULL', P, (w) => W.RtmGetRegisteredEntities(w.A, null as never, [], null)],
  ['RtmReleaseDestInfo: DestInfo NULL', P, (w) => W.RtmReleaseDestInfo(w.A, null as never)],
  ['RtmRegisterEntity: RtmEntityInfo NULL', P, () => W.RtmRegisterEntity(null as never, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: RtmRegProfile NULL', P, () => W.RtmRegisterEntity(entityInfo(77), null, null, W.FALSE, null as never, W.ref(null))],
  ['RtmRegisterEntity: RtmRegHandle NULL', P, () => W.RtmRegisterEntity(entityInfo(77), null, null, W.FALSE, new W.RTM_REGN_PROFILE(), null as never)],
  ['RtmCreateDestEnum: RtmEnumHandle NULL', P, (w) => W.RtmCreateDestEnum(w.A, UCAST, 0, null, 0, null as never), 'dyn'],
  ['RtmGetEnumDests: NumDests NULL', P, (w) => W.RtmGetEnumDests(w.A, w.enumA, null as never, []), 'dyn'],
  ['RtmGetEnumDests: DestInfos not an array', P, (w) => W.RtmGetEnumDests(w.A, w.enumA, W.ref(1), null as never), 'dyn'],
  ['RtmGetOpaqueInformationPointer: pointer NULL', P, (w) => W.RtmGetOpaqueInformationPointer(w.A, w.dP, null as never), 'dyn'],
  ['RtmGetEntityMethods: count 1 and no array', P, (w) => W.RtmGetEntityMethods(w.B, w.A, W.ref(1), null), 'dyn'],
  ['RtmCreateRouteList: RouteListHandle NULL', P, (w) => W.RtmCreateRouteList(w.A, null as never), 'dyn'],
  ['RtmCreateRouteEnum: OWNER criterion without CriteriaRoute', P, (w) => W.RtmCreateRouteEnum(w.A, null, UCAST, 0, null, W.RTM_MATCH_OWNER, null, 0, W.ref(null)), 'dyn'],
  // Counts
  ['RtmReleaseRoutes: count above the array', P, (w) => W.RtmReleaseRoutes(w.A, 3, [w.rAP])],
  ['RtmReleaseRoutes: negative count', P, (w) => W.RtmReleaseRoutes(w.A, -1, [w.rAP])],
  ['RtmReleaseRoutes: fractional count', P, (w) => W.RtmReleaseRoutes(w.A, 0.5, [w.rAP])],
  ['RtmReferenceHandles: count above the array', P, (w) => W.RtmReferenceHandles(w.A, 2, [w.rAP])],
  ['RtmGetRegisteredEntities: negative capacity', P, (w) => W.RtmGetRegisteredEntities(w.A, W.ref(-1), [], null)],
  ['RtmAddRouteToDest: NumNextHops above the array', P, (w) => add(w, { info: Object.assign(routeInfo({ neighbour: w.nA }), { NextHopsList: { NumNextHops: 2, NextHops: [w.nA] } }) })],
  ['RtmAddRouteToDest: more than MaxNextHopsInRoute', P, (w) => add(w, { info: routeInfo({ neighbour: w.nA, nextHops: Array(w.pa.profile.MaxNextHopsInRoute + 1).fill(w.nA) }) })],
  ['RtmGetEnumDests: above MaxHandlesInEnum', P, (w) => W.RtmGetEnumDests(w.A, w.enumA, W.ref(w.pa.profile.MaxHandlesInEnum + 1), []), 'dyn'],
  ['RtmGetChangedDests: above MaxHandlesInEnum', P, (w) => W.RtmGetChangedDests(w.A, w.notifyA, W.ref(w.pa.profile.MaxHandlesInEnum + 1), []), 'dyn'],
  ['RtmInvokeMethod: OutputSize below one record header', P, (w) => W.RtmInvokeMethod(w.B, w.A, new W.RTM_ENTITY_METHOD_INPUT(), W.ref(4), []), 'dyn'],
  ['RtmInvokeMethod: InputSize above InputData', P, (w) => W.RtmInvokeMethod(w.B, w.A, Object.assign(new W.RTM_ENTITY_METHOD_INPUT(1), { InputSize: 2, MethodType: 1 }), W.ref(100), []), 'dyn'],
  ['RtmRegisterEntity: NumMethods above the Methods array', P, () => W.RtmRegisterEntity(entityInfo(77), Object.assign(new W.RTM_ENTITY_EXPORT_METHODS(), { NumMethods: 2, Methods: [() => undefined] }), null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: 33 methods', P, () => W.RtmRegisterEntity(entityInfo(77), Object.assign(new W.RTM_ENTITY_EXPORT_METHODS(), { NumMethods: 33, Methods: Array(33).fill(() => undefined) }), null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  // Flags and views
  ['RtmAddRouteToDest: Flags beyond a USHORT', P, (w) => add(w, { info: routeInfo({ neighbour: w.nA, flags: 0x10000 }) })],
  ['RtmGetDestInfo: unsupported view', W.ERROR_NOT_SUPPORTED, (w) => W.RtmGetDestInfo(w.A, w.dP, 0, 0x4, new W.RTM_DEST_INFO())],
  ['RtmGetExactMatchRoute: unsupported view', W.ERROR_NOT_SUPPORTED, (w) => W.RtmGetExactMatchRoute(w.A, net(w.P), 0, new W.RTM_ROUTE_INFO(), 0, 0x8, null)],
  ['RtmGetExactMatchRoute: PREF criterion', P, (w) => W.RtmGetExactMatchRoute(w.A, net(w.P), W.RTM_MATCH_PREF, null as never, 0, UCAST, null)],
  ['RtmCreateDestEnum: two range flags', P, (w) => W.RtmCreateDestEnum(w.A, UCAST, W.RTM_ENUM_NEXT | W.RTM_ENUM_RANGE, net('10.0.0.0/8'), 0, W.ref(null)), 'dyn'],
  ['RtmCreateDestEnum: unknown flag bit', P, (w) => W.RtmCreateDestEnum(w.A, UCAST, 0x4, null, 0, W.ref(null)), 'dyn'],
  ['RtmCreateDestEnum: RANGE without an address', P, (w) => W.RtmCreateDestEnum(w.A, UCAST, W.RTM_ENUM_RANGE, null, 0, W.ref(null)), 'dyn'],
  ['RtmCreateDestEnum: unsupported view', W.ERROR_NOT_SUPPORTED, (w) => W.RtmCreateDestEnum(w.A, 0x10, 0, null, 0, W.ref(null)), 'dyn'],
  ['RtmRegisterForChangeNotification: no change type', P, (w) => W.RtmRegisterForChangeNotification(w.A, UCAST, W.RTM_NOTIFY_ONLY_MARKED_DESTS, null, W.ref(null)), 'dyn'],
  ['RtmRegisterForChangeNotification: unknown bit', P, (w) => W.RtmRegisterForChangeNotification(w.A, UCAST, W.RTM_CHANGE_TYPE_ALL | 0x8, null, W.ref(null)), 'dyn'],
  ['RtmBlockMethods: BlockingFlag 2', P, (w) => W.RtmBlockMethods(w.A, null, 0, 2), 'dyn'],
  ['RtmHoldDestination: HoldTime 0', P, (w) => W.RtmHoldDestination(w.A, w.dP, UCAST, 0), 'dyn'],
  ['RtmHoldDestination: unsupported view', W.ERROR_NOT_SUPPORTED, (w) => W.RtmHoldDestination(w.A, w.dP, 0x4, 10), 'dyn'],
  // Malformed addresses
  ['RtmAddRouteToDest: NumBits 33', P, (w) => add(w, { dest: badAddress({ NumBits: 33 }) })],
  ['RtmAddRouteToDest: NumBits -1', P, (w) => add(w, { dest: badAddress({ NumBits: -1 }) })],
  ['RtmAddRouteToDest: NumBits 8.5', P, (w) => add(w, { dest: badAddress({ NumBits: 8.5 }) })],
  ['RtmAddRouteToDest: AF_INET6 for an IPv4 entity', P, (w) => add(w, { dest: badAddress({ AddressFamily: W.AF_INET6 }) })],
  ['RtmAddRouteToDest: unknown family', P, (w) => add(w, { dest: badAddress({ AddressFamily: 99 }) })],
  ['RtmAddRouteToDest: AddrBits missing', P, (w) => add(w, { dest: badAddress({ AddrBits: undefined }) })],
  ['RtmAddRouteToDest: AddrBits too short', P, (w) => add(w, { dest: badAddress({ AddrBits: new Uint8Array(2) }) })],
  ['RtmAddRouteToDest: prefix text instead of a struct', P, (w) => add(w, { dest: '10.8.0.0/16' })],
  ['RtmGetMostSpecificDestination: NumBits 40', P, (w) => W.RtmGetMostSpecificDestination(w.A, badAddress({ NumBits: 40 }), 0, UCAST, new W.RTM_DEST_INFO())],
  ['RtmAddNextHop: malformed NextHopAddress', P, (w) => W.RtmAddNextHop(w.A, Object.assign(new W.RTM_NEXTHOP_INFO(), { NextHopAddress: badAddress({ AddressFamily: 7 }) }), null, W.ref(0))],
  ['RtmCreateDestEnum: malformed start address', P, (w) => W.RtmCreateDestEnum(w.A, UCAST, W.RTM_ENUM_NEXT, badAddress({ NumBits: 99 }), 0, W.ref(null)), 'dyn'],
  // Wrong JS types
  ['RtmAddRouteToDest: TimeToLive as text', P, (w) => add(w, { ttl: '1000' })],
  ['RtmAddRouteToDest: ChangeFlags value as text', P, (w) => add(w, { flags: W.ref('0') })],
  ['RtmAddRouteToDest: metric as text', P, (w) => add(w, { info: Object.assign(routeInfo({ neighbour: w.nA }), { PrefInfo: { Metric: 'x', Preference: 0 } }) })],
  ['RtmAddRouteToDest: RouteHandle not a Ref', P, (w) => add(w, { handle: 5 })],
  ['RtmGetDestInfo: ProtocolId undefined', P, (w) => W.RtmGetDestInfo(w.A, w.dP, undefined as never, UCAST, new W.RTM_DEST_INFO())],
  ['RtmLockRoute: Exclusive as text', P, (w) => W.RtmLockRoute(w.A, w.rAP, 'yes' as never, W.TRUE, null)],
  ['RtmRegisterEntity: EventCallback not a function', P, () => W.RtmRegisterEntity(entityInfo(77), null, 42 as never, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: a method that is not a function', P, () => W.RtmRegisterEntity(entityInfo(77), Object.assign(new W.RTM_ENTITY_EXPORT_METHODS(), { NumMethods: 1, Methods: [42] }), null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: RtmInstanceId beyond a USHORT', P, () => W.RtmRegisterEntity(Object.assign(entityInfo(77), { RtmInstanceId: 70000 }), null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: ReserveOpaquePointer as text', P, () => W.RtmRegisterEntity(entityInfo(77), null, null, 'no' as never, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmReleaseRoutes: handles not an array', P, (w) => W.RtmReleaseRoutes(w.A, 1, 42 as never)],
  // Ownership, state, configuration (nothing changes either)
  ['RtmAddRouteToDest: another entity\'s route', W.ERROR_ACCESS_DENIED, (w) => add(w, { h: w.B, dest: net(w.P), handle: W.ref(w.rAP), info: routeInfo({ neighbour: w.nB }) })],
  ['RtmAddRouteToDest: another entity\'s next hop', P, (w) => add(w, { info: routeInfo({ neighbour: w.nB }) })],
  ['RtmAddRouteToDest: a deleted next hop', P, (w) => add(w, { info: routeInfo({ neighbour: w.nA, nextHops: [w.nADead] }) })],
  ['RtmAddRouteToDest: by a deleted route\'s handle', I, (w) => add(w, { dest: net('10.1.0.0/16'), handle: W.ref(w.rDead) })],
  ['RtmAddRouteToDest: by handle with another prefix', P, (w) => add(w, { dest: net('10.99.0.0/16'), handle: W.ref(w.rAP) })],
  ['RtmDeleteRouteToDest: another entity\'s route', W.ERROR_ACCESS_DENIED, (w) => W.RtmDeleteRouteToDest(w.B, w.rAP, W.ref(0))],
  ['RtmDeleteRouteToDest: a deleted route', W.ERROR_NOT_FOUND, (w) => W.RtmDeleteRouteToDest(w.A, w.rDead, W.ref(0))],
  ['RtmRegisterEntity: duplicate id', W.ERROR_ALREADY_EXISTS, () => W.RtmRegisterEntity(Object.assign(entityInfo(W.PROTO_IP_RIP), {}), null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: unknown family', W.ERROR_FILE_NOT_FOUND, () => W.RtmRegisterEntity(Object.assign(entityInfo(77), { AddressFamily: 6 }), null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))],
  ['RtmRegisterEntity: no opaque slot left', W.ERROR_NO_SYSTEM_RESOURCES, () => W.RtmRegisterEntity(entityInfo(77), null, null, W.TRUE, new W.RTM_REGN_PROFILE(), W.ref(null)), 'dyn'],
  ['RtmAddRouteToDest: destination locked by another entity', W.ERROR_BUSY, (w) => add(w, { dest: net('10.3.0.0/16') }), 'dyn'],
  ['RtmGetOpaqueInformationPointer: no slot reserved', W.ERROR_NOT_FOUND, (w) => W.RtmGetOpaqueInformationPointer(w.B, w.dP, W.ref(null)), 'dyn'],
];

/** RTM_ENTITY_INFO for instance 0, IPv4, (protocolId, 1). */
function entityInfo(protocolId: number): W.RTM_ENTITY_INFO {
  const e = new W.RTM_ENTITY_INFO();
  e.AddressFamily = W.AF_INET;
  e.EntityId.EntityProtocolId = protocolId;
  e.EntityId.EntityInstanceId = 1;
  return e;
}

describe.each(CORE_IMPLS)('$name: bad arguments leave everything unchanged', (impl) => {
  const rows = ROWS.filter((r) => impl.dynamics || r[3] !== 'dyn');
  const picture = impl.name === 'model' ? modelPicture : win32Picture;

  it.each(rows.map(([name, status, call]) => ({ name, status, call })))('$name → $status', ({ status, call }) => {
    const w = rich(impl);
    const before = picture(w);
    let got: number | undefined;
    expect(() => { got = call(w); }).not.toThrow();
    expect(got).toBe(status);
    expect(picture(w)).toEqual(before);
    expect(w.rtm.runPending()).toBe(0);
    for (const p of [w.pa, w.pb]) expect(p.events).toEqual([]);
  });

  it('the rich world is what the rows expect', () => {
    const w = rich(impl);
    expect(exactDest(w.A, w.P, UCAST).info.ViewInfo[0]).toMatchObject({ Route: w.rAP, NumRoutes: 2 });
    const ri = new W.RTM_ROUTE_INFO();
    expect(W.RtmGetRouteInfo(w.A, w.rDead, ri, null)).toBe(W.NO_ERROR);
    expect(ri.State).toBe(W.RTM_ROUTE_STATE_DELETED);
    expect(W.RtmReleaseRouteInfo(w.A, ri)).toBe(W.NO_ERROR);
    expect(W.RtmDeregisterEntity(w.C)).toBe(W.ERROR_INVALID_HANDLE);
  });
});
