// Out-parameters are checked before the operation runs: a Win32 call given an out Ref it cannot write
// (frozen, or a setter that throws), a frozen structure to fill or a frozen array to fill returns
// ERROR_INVALID_PARAMETER and changes nothing — no route or next hop added or deleted, no reference
// taken, no enumeration advanced or created, no lock taken or released, no change dequeued, no method
// run, no callback scheduled. Each row compares a picture taken through the public API
// (test/reference/public-snapshot.ts) and, on the model, its own snapshot, object counts and reference
// counts, before and after; rows add a check of the state the picture does not show. RTMv1 likewise.
// Also: RtmInternalError (a core bug) thrown by the idiomatic layer surfaces through every shape of
// Win32 function, RTMv2 and RTMv1, instead of becoming a status.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { RtmInternalError } from '../../src/errors.js';
import type { EntityLike, NotifyHandle, RouteListHandle, RtmLike } from '../../src/types.js';
import * as W from '../../src/win32/index.js';
import { entityOf, resetInstances, setInstanceFactory } from '../../src/win32/instances.js';
import { createModel, RtmModel } from '../reference/model.js';
import { publicSnapshot } from '../reference/public-snapshot.js';
import {
  CORE_IMPLS, addRouteOk, destOf, exactDest, net, nextHop, register, routeInfo, setup, type Impl, type World,
} from './helpers.js';

const UCAST = W.RTM_VIEW_MASK_UCAST;
const P = W.ERROR_INVALID_PARAMETER;

/** Out Refs that cannot take a value: frozen, and one whose setter throws. */
const UNWRITABLE = {
  frozen: <T>(v: T): W.Ref<T> => Object.freeze({ value: v }),
  setter: <T>(v: T): W.Ref<T> => ({ get value() { return v; }, set value(_x: T) { throw new Error('read-only Ref'); } }),
} as const;
type Bad = <T>(v: T) => W.Ref<T>;

interface Rich extends World {
  rAP: number; rBP: number; dP: number;
  list: number; notifyA: number; enumA: number;
  /** How many times A's exported method ran. */
  calls: { n: number };
  handles: number[];
}

function rich(impl: Impl): Rich {
  const calls = { n: 0 };
  const m0: W.RTM_ENTITY_EXPORT_METHOD = () => { calls.n++; };
  const w = setup(impl, { opaqueSlots: 1 }, { a: { reserve: true, methods: [m0] } });
  const rAP = addRouteOk(w.A, w.P, { neighbour: w.nA, pref: 100, metric: 5 }).handle;
  const rBP = addRouteOk(w.B, w.P, { neighbour: w.nB, pref: 110, metric: 1 }).handle;
  addRouteOk(w.B, '10.1.0.0/16', { neighbour: w.nB, wantHandle: false });
  const dP = destOf(w.A, w.P);
  const l = W.ref<number>(null), n = W.ref<number>(null), e = W.ref<number>(null);
  expect(W.RtmCreateRouteList(w.A, l)).toBe(W.NO_ERROR);
  expect(W.RtmInsertInRouteList(w.A, l.value, 1, [rAP])).toBe(W.NO_ERROR);
  expect(W.RtmRegisterForChangeNotification(w.A, UCAST, W.RTM_CHANGE_TYPE_ALL, 'a', n)).toBe(W.NO_ERROR);
  addRouteOk(w.B, '10.2.0.0/16', { neighbour: w.nB, wantHandle: false });            // a pending change for A
  expect(W.RtmCreateDestEnum(w.A, UCAST, W.RTM_ENUM_START, null, 0, e)).toBe(W.NO_ERROR);
  w.rtm.runPending();
  for (const p of [w.pa, w.pb]) p.events.length = 0;
  return {
    ...w, rAP, rBP, dP, list: l.value!, notifyA: n.value!, enumA: e.value!, calls,
    handles: [w.A, w.B, w.nA, w.nB, rAP, rBP, dP],
  };
}

/** Everything a refused call must leave as it was. */
function picture(w: Rich): unknown {
  const [a, b] = [entityOf(w.A)!, entityOf(w.B)!];
  const pub = publicSnapshot({
    entities: [a, b], probes: [w.P, '10.1.0.0/16', '10.2.0.0/16', '10.8.0.0/16'], routes: [w.rAP, w.rBP], nextHops: [w.nA, w.nB],
    dynamics: true, notifies: [[a, w.notifyA as NotifyHandle]], lists: [[a, w.list as RouteListHandle]],
  });
  const m = w.rtm;
  if (!(m instanceof RtmModel)) return { pub, calls: w.calls.n };
  return { pub, calls: w.calls.n, snapshot: m.snapshot(), counts: m.debugCounts(), refs: w.handles.map((h) => m.debugRefs(h)) };
}

interface Row {
  readonly name: string;
  /** Brings the world to the state the call needs (before the picture). */
  readonly prep?: (w: Rich) => void;
  readonly call: (w: Rich, bad: Bad) => number;
  /** Checks of what the picture does not show (after the picture). */
  readonly after?: (w: Rich) => void;
}

const nhInfo = (address: string, ifIndex: number): W.RTM_NEXTHOP_INFO => {
  const info = new W.RTM_NEXTHOP_INFO();
  W.RTM_IPV4_MAKE_NET_ADDRESS(info.NextHopAddress, address, 32);
  info.InterfaceIndex = ifIndex;
  return info;
};

/** The destinations A's enumeration still has to give (its cursor did not move). */
function enumStillAtStart(w: Rich): void {
  const n = W.ref(100), infos: W.RTM_DEST_INFO[] = [];
  expect(W.RtmGetEnumDests(w.A, w.enumA, n, infos)).toBe(W.ERROR_NO_MORE_ITEMS);
  expect(infos.length).toBe(3);
  expect(W.RtmReleaseDests(w.A, infos.length, infos)).toBe(W.NO_ERROR);
}

const ROWS: Row[] = [
  // 8.1
  { name: 'RtmRegisterEntity: RtmRegHandle', call: (_w, bad) => {
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    info.EntityId.EntityProtocolId = W.PROTO_IP_BGP;
    return W.RtmRegisterEntity(info, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), bad(null));
  } },
  { name: 'RtmRegisterEntity: RtmRegProfile frozen', call: () => {
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    info.EntityId.EntityProtocolId = W.PROTO_IP_BGP;
    return W.RtmRegisterEntity(info, null, null, W.FALSE, Object.freeze(new W.RTM_REGN_PROFILE()), W.ref(null));
  } },
  { name: 'RtmGetRegisteredEntities: NumEntities', call: (w, bad) => W.RtmGetRegisteredEntities(w.A, bad(10), [], null) },
  { name: 'RtmGetRegisteredEntities: EntityHandles frozen', call: (w) => W.RtmGetRegisteredEntities(w.A, W.ref(10), Object.freeze([]) as never, null) },
  { name: 'RtmGetEntityInfo: EntityInfo frozen', call: (w) => W.RtmGetEntityInfo(w.A, w.B, Object.freeze(new W.RTM_ENTITY_INFO())) },
  // 8.2, 8.3
  { name: 'RtmGetOpaqueInformationPointer: OpaqueInfoPointer', call: (w, bad) => W.RtmGetOpaqueInformationPointer(w.A, w.dP, bad(null)) },
  { name: 'RtmGetEntityMethods: NumMethods', call: (w, bad) => W.RtmGetEntityMethods(w.B, w.A, bad(1), []) },
  { name: 'RtmInvokeMethod: OutputSize (the method does not run)', call: (w, bad) => {
    const input = Object.assign(new W.RTM_ENTITY_METHOD_INPUT(), { MethodType: 1 });
    return W.RtmInvokeMethod(w.B, w.A, input, bad(100), []);
  }, after: (w) => expect(w.calls.n).toBe(0) },
  { name: 'RtmInvokeMethod: Output frozen', call: (w) => {
    const input = Object.assign(new W.RTM_ENTITY_METHOD_INPUT(), { MethodType: 1 });
    return W.RtmInvokeMethod(w.B, w.A, input, W.ref(100), Object.freeze([]) as never);
  } },
  // 8.4
  { name: 'RtmGetDestInfo: DestInfo frozen', call: (w) => W.RtmGetDestInfo(w.A, w.dP, 0, UCAST, Object.freeze(new W.RTM_DEST_INFO())) },
  { name: 'RtmGetRouteInfo: RouteInfo frozen', call: (w) => W.RtmGetRouteInfo(w.A, w.rBP, Object.freeze(new W.RTM_ROUTE_INFO()), null) },
  { name: 'RtmGetRouteInfo: DestAddress frozen', call: (w) => W.RtmGetRouteInfo(w.A, w.rBP, new W.RTM_ROUTE_INFO(), Object.freeze(new W.RTM_NET_ADDRESS())) },
  { name: 'RtmGetNextHopInfo: NextHopInfo frozen', call: (w) => W.RtmGetNextHopInfo(w.A, w.nB, Object.freeze(new W.RTM_NEXTHOP_INFO())) },
  // 8.5
  { name: 'RtmAddRouteToDest: ChangeFlags', call: (w, bad) => W.RtmAddRouteToDest(w.A, null, net('10.8.0.0/16'), routeInfo({ neighbour: w.nA }), W.INFINITE, null, 0, null, bad(0)) },
  { name: 'RtmAddRouteToDest: RouteHandle', call: (w, bad) => W.RtmAddRouteToDest(w.A, bad(null), net('10.8.0.0/16'), routeInfo({ neighbour: w.nA }), W.INFINITE, null, 0, null, W.ref(0)) },
  { name: 'RtmAddRouteToDest: RouteHandle of an update', call: (w, bad) => W.RtmAddRouteToDest(w.A, bad(w.rAP), net(w.P), routeInfo({ neighbour: w.nA, metric: 1 }), W.INFINITE, null, 0, null, W.ref(0)) },
  { name: 'RtmDeleteRouteToDest: ChangeFlags (the route stays)', call: (w, bad) => W.RtmDeleteRouteToDest(w.A, w.rAP, bad(0)) },
  { name: 'RtmGetRoutePointer: RoutePointer', call: (w, bad) => W.RtmGetRoutePointer(w.A, w.rAP, bad(null)) },
  { name: 'RtmLockRoute: RoutePointer (nothing locked)', call: (w, bad) => W.RtmLockRoute(w.A, w.rAP, W.TRUE, W.TRUE, bad(null)), after: (w) => {
    expect(W.RtmLockDestination(w.B, w.dP, W.FALSE, W.TRUE)).toBe(W.NO_ERROR);
    expect(W.RtmLockDestination(w.B, w.dP, W.FALSE, W.FALSE)).toBe(W.NO_ERROR);
  } },
  { name: 'RtmUpdateAndUnlockRoute: ChangeFlags (the route stays locked)', prep: (w) => {
    expect(W.RtmLockRoute(w.A, w.rAP, W.TRUE, W.TRUE, null)).toBe(W.NO_ERROR);
  }, call: (w, bad) => W.RtmUpdateAndUnlockRoute(w.A, w.rAP, W.INFINITE, null, 0, null, bad(0)), after: (w) => {
    expect(W.RtmLockDestination(w.B, w.dP, W.FALSE, W.TRUE)).toBe(W.ERROR_BUSY);
    expect(W.RtmLockRoute(w.A, w.rAP, W.TRUE, W.FALSE, null)).toBe(W.NO_ERROR);
  } },
  // 8.6
  { name: 'RtmGetExactMatchDestination: DestInfo frozen', call: (w) => W.RtmGetExactMatchDestination(w.A, net(w.P), 0, UCAST, Object.freeze(new W.RTM_DEST_INFO())) },
  { name: 'RtmGetExactMatchRoute: RouteHandle', call: (w, bad) => W.RtmGetExactMatchRoute(w.A, net(w.P), W.RTM_MATCH_NONE, new W.RTM_ROUTE_INFO(), 0, UCAST, bad(null)) },
  { name: 'RtmGetExactMatchRoute: RouteInfo frozen', call: (w) => W.RtmGetExactMatchRoute(w.A, net(w.P), W.RTM_MATCH_NONE, Object.freeze(new W.RTM_ROUTE_INFO()), 0, UCAST, null) },
  { name: 'RtmIsBestRoute: BestInViews', call: (w, bad) => W.RtmIsBestRoute(w.A, w.rAP, bad(0)) },
  // 8.7
  { name: 'RtmAddNextHop: ChangeFlags', call: (w, bad) => W.RtmAddNextHop(w.A, nhInfo('10.0.0.9', 9), null, bad(0)) },
  { name: 'RtmAddNextHop: NextHopHandle', call: (w, bad) => W.RtmAddNextHop(w.A, nhInfo('10.0.0.9', 9), bad(null), W.ref(0)) },
  { name: 'RtmFindNextHop: NextHopHandle', call: (w, bad) => W.RtmFindNextHop(w.A, nhInfo('10.0.0.1', 1), bad(null), null) },
  { name: 'RtmFindNextHop: NextHopPointer', call: (w, bad) => W.RtmFindNextHop(w.A, nhInfo('10.0.0.1', 1), W.ref(null), bad(null)) },
  { name: 'RtmGetNextHopPointer: NextHopPointer', call: (w, bad) => W.RtmGetNextHopPointer(w.A, w.nA, bad(null)) },
  { name: 'RtmLockNextHop: NextHopPointer (nothing locked)', call: (w, bad) => W.RtmLockNextHop(w.A, w.nA, W.TRUE, W.TRUE, bad(null)), after: (w) => {
    expect(W.RtmLockNextHop(w.A, w.nA, W.TRUE, W.FALSE, null)).toBe(W.ERROR_NOT_LOCKED);
  } },
  // 8.8
  { name: 'RtmCreateDestEnum: RtmEnumHandle', call: (w, bad) => W.RtmCreateDestEnum(w.A, UCAST, W.RTM_ENUM_START, null, 0, bad(null)) },
  { name: 'RtmGetEnumDests: NumDests (the cursor stays)', call: (w, bad) => W.RtmGetEnumDests(w.A, w.enumA, bad(1), []), after: enumStillAtStart },
  { name: 'RtmGetEnumDests: DestInfos frozen (the cursor stays)', call: (w) => W.RtmGetEnumDests(w.A, w.enumA, W.ref(1), Object.freeze([]) as never), after: enumStillAtStart },
  { name: 'RtmCreateRouteEnum: RtmEnumHandle', call: (w, bad) => W.RtmCreateRouteEnum(w.A, null, UCAST, 0, null, W.RTM_MATCH_NONE, null, 0, bad(null)) },
  { name: 'RtmCreateNextHopEnum: RtmEnumHandle', call: (w, bad) => W.RtmCreateNextHopEnum(w.A, W.RTM_ENUM_START, null, bad(null)) },
  // 8.9
  { name: 'RtmRegisterForChangeNotification: NotifyHandle', call: (w, bad) => W.RtmRegisterForChangeNotification(w.A, UCAST, W.RTM_CHANGE_TYPE_BEST, null, bad(null)) },
  { name: 'RtmGetChangedDests: NumDests (nothing dequeued)', call: (w, bad) => W.RtmGetChangedDests(w.A, w.notifyA, bad(10), []) },
  { name: 'RtmGetChangedDests: ChangedDests frozen (nothing dequeued)', call: (w) => W.RtmGetChangedDests(w.A, w.notifyA, W.ref(10), Object.freeze([]) as never) },
  { name: 'RtmGetChangeStatus: ChangeStatus', call: (w, bad) => W.RtmGetChangeStatus(w.A, w.notifyA, destOf(w.A, '10.2.0.0/16'), bad(W.FALSE)) },
  { name: 'RtmIsMarkedForChangeNotification: DestMarked', call: (w, bad) => W.RtmIsMarkedForChangeNotification(w.A, w.notifyA, w.dP, bad(W.FALSE)) },
  // 8.10
  { name: 'RtmCreateRouteList: RouteListHandle', call: (w, bad) => W.RtmCreateRouteList(w.A, bad(null)) },
  { name: 'RtmCreateRouteListEnum: RtmEnumHandle', call: (w, bad) => W.RtmCreateRouteListEnum(w.A, w.list, bad(null)) },
  { name: 'RtmGetListEnumRoutes: NumRoutes (the cursor stays)', prep: (w) => {
    const en = W.ref<number>(null);
    expect(W.RtmCreateRouteListEnum(w.A, w.list, en)).toBe(W.NO_ERROR);
    (w as { listEnum?: number }).listEnum = en.value!;
  }, call: (w, bad) => W.RtmGetListEnumRoutes(w.A, (w as { listEnum?: number }).listEnum!, bad(10), []), after: (w) => {
    const n = W.ref(10), hs: number[] = [];
    expect(W.RtmGetListEnumRoutes(w.A, (w as { listEnum?: number }).listEnum!, n, hs)).toBe(W.NO_ERROR);
    expect(hs).toEqual([w.rAP]);
    expect(W.RtmReleaseRoutes(w.A, 1, hs)).toBe(W.NO_ERROR);
  } },
];

afterEach(() => {
  setInstanceFactory();
  resetInstances({ close: false });
});

describe.each(CORE_IMPLS)('$name: an out-parameter the call cannot write is refused before anything changes', (impl) => {
  // A row whose call takes `bad` runs once per kind of unwritable Ref; the others (frozen structures and arrays) once.
  const kinds = Object.keys(UNWRITABLE) as (keyof typeof UNWRITABLE)[];
  const cases = ROWS.flatMap((r) => (r.call.length < 2 ? [{ ...r, kind: 'frozen' as const }] : kinds.map((kind) => ({ ...r, kind }))));
  it.each(cases)('$name ($kind) → ERROR_INVALID_PARAMETER', ({ prep, call, after, kind }) => {
    const w = rich(impl);
    prep?.(w);
    const before = picture(w);
    let got: number | undefined;
    expect(() => { got = call(w, UNWRITABLE[kind]); }).not.toThrow();
    expect(got).toBe(P);
    expect(picture(w)).toEqual(before);
    expect(w.rtm.runPending()).toBe(0);
    for (const p of [w.pa, w.pb]) expect(p.events).toEqual([]);
    after?.(w);
  });

  it('the rich world is what the rows expect: the same calls with writable outputs do change it', () => {
    const w = rich(impl);
    const before = picture(w);
    const flags = W.ref(0);
    expect(W.RtmDeleteRouteToDest(w.A, w.rAP, flags)).toBe(W.NO_ERROR);
    expect(picture(w)).not.toEqual(before);
    expect(exactDest(w.A, w.P, UCAST).info.ViewInfo[0].Route).toBe(w.rBP);
    enumStillAtStart(w);
  });
});

// ── RTMv1 ────────────────────────────────────────────────────────────────────────────────────────

function ipRoute(network: number, len: number, nextHopAddr: number, ifIndex: number): W.RTM_IP_ROUTE {
  const r = new W.RTM_IP_ROUTE();
  r.RR_Network.N_NetNumber = network;
  r.RR_Network.N_NetMask = W.ipv4MaskFromLen(len);
  r.RR_NextHopAddress.N_NetNumber = nextHopAddr;
  r.RR_NextHopAddress.N_NetMask = 0xffffffff;
  r.RR_InterfaceID = ifIndex;
  return r;
}

const NET_A = 0x0a010000, NET_B = 0x0a020000, HOP = 0x0a000001;

describe.each(CORE_IMPLS)('$name: RTMv1 refuses an unwritable Flags before it changes the table', (impl) => {
  function world(): { rip: number; ospf: number; rtm: RtmLike } {
    const env = { rtm: undefined as RtmLike | undefined };
    setInstanceFactory((id, o) => (env.rtm = impl.create({ clock: new VirtualClock(), ...o })));
    resetInstances({ close: false });
    const rip = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_RIP, new W.ChangeEvent(), 0)!;
    const ospf = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_OSPF, new W.ChangeEvent(), 0)!;
    expect(W.RtmAddRoute(ospf, ipRoute(NET_A, 16, HOP, 1), W.INFINITE, W.ref(0), null, null)).toBe(W.NO_ERROR);
    return { rip, ospf, rtm: env.rtm! };
  }
  const isRoute = (net: number): number => W.RtmIsRoute(W.RTM_PROTOCOL_FAMILY_IP, ipRoute(net, 16, 0, 0).RR_Network, null);

  it.each(Object.keys(UNWRITABLE) as (keyof typeof UNWRITABLE)[])('RtmAddRoute, RtmDeleteRoute, RtmDequeueRouteChangeMessage (%s)', (kind) => {
    const bad = UNWRITABLE[kind];
    const { rip, ospf } = world();
    expect(W.RtmAddRoute(ospf, ipRoute(NET_B, 16, HOP, 1), W.INFINITE, bad(0), null, null)).toBe(P);
    expect(isRoute(NET_B)).toBe(W.FALSE);
    expect(W.RtmDeleteRoute(ospf, ipRoute(NET_A, 16, HOP, 1), bad(0), null)).toBe(P);
    expect(isRoute(NET_A)).toBe(W.TRUE);
    expect(W.RtmDequeueRouteChangeMessage(rip, bad(0), null, null)).toBe(P);
    const flags = W.ref(-1);
    expect(W.RtmDequeueRouteChangeMessage(rip, flags, null, null)).toBe(W.NO_ERROR);     // the one message is still there
    expect(flags.value).toBe(W.RTM_ROUTE_ADDED);
  });
});

// ── RtmInternalError surfaces ────────────────────────────────────────────────────────────────────

/** A model instance whose entities throw RtmInternalError from `method`. */
function trapping(method: string): (id: number) => RtmLike {
  return () => {
    const m = createModel({ clock: new VirtualClock() });
    const registerEntity = m.registerEntity.bind(m);
    m.registerEntity = (identity, options) => new Proxy(registerEntity(identity, options), {
      get(t, k, r) {
        if (k === method) return () => { throw new RtmInternalError(`trap in ${method}`); };
        const v = Reflect.get(t, k, r);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as EntityLike;
    return m;
  };
}

/** One call of each Win32 shape, with the entity method it reaches. */
const TRAPS: readonly (readonly [method: string, call: (a: number, nA: number) => number])[] = [
  ['releaseRoutes', (a) => W.RtmReleaseRoutes(a, 1, [1])],
  ['referenceHandles', (a) => W.RtmReferenceHandles(a, 1, [1])],
  ['getDestInfo', (a) => W.RtmGetDestInfo(a, 1, 0, UCAST, new W.RTM_DEST_INFO())],
  ['getExactMatchDestination', (a) => W.RtmGetExactMatchDestination(a, net('10.1.0.0/16'), 0, UCAST, new W.RTM_DEST_INFO())],
  ['releaseRouteInfo', (a) => W.RtmReleaseRouteInfo(a, new W.RTM_ROUTE_INFO())],
  ['releaseDests', (a) => W.RtmReleaseDests(a, 1, [new W.RTM_DEST_INFO()])],
  ['getEnumDests', (a) => W.RtmGetEnumDests(a, 1, W.ref(1), [])],
  ['deleteRouteToDest', (a) => W.RtmDeleteRouteToDest(a, 1, W.ref(0))],
  ['addRouteToDest', (a, nA) => W.RtmAddRouteToDest(a, null, net('10.1.0.0/16'), routeInfo({ neighbour: nA }), W.INFINITE, null, 0, null, W.ref(0))],
  ['addNextHop', (a) => W.RtmAddNextHop(a, nhInfo('10.0.0.9', 9), null, W.ref(0))],
  ['lockRoute', (a) => W.RtmLockRoute(a, 1, W.TRUE, W.TRUE, null)],
  ['getRegisteredEntities', (a) => W.RtmGetRegisteredEntities(a, W.ref(1), [], null)],
  ['getExactMatchRoute', (a) => W.RtmGetExactMatchRoute(a, net('10.1.0.0/16'), 0, new W.RTM_ROUTE_INFO(), 0, UCAST, null)],
  ['deregister', (a) => W.RtmDeregisterEntity(a)],
];

describe('RtmInternalError through the Win32 layer', () => {
  it.each(TRAPS.map(([method, call]) => ({ method, call })))('RTMv2: $method', ({ method, call }) => {
    resetInstances({ close: false });
    setInstanceFactory(trapping(method));
    const a = register(W.PROTO_IP_RIP, 1);
    const nA = method === 'addNextHop' ? 0 : nextHop(a.h, '10.0.0.1', 1);
    expect(() => call(a.h, nA)).toThrow(RtmInternalError);
  });

  it('RTMv1: RtmAddRoute, RtmDeregisterClient (checking its routes) and the ageing callback rethrow it', () => {
    const clock = new VirtualClock();
    let trap = '';
    setInstanceFactory(() => {
      const m = createModel({ clock });
      const registerEntity = m.registerEntity.bind(m);
      m.registerEntity = (identity, options) => new Proxy(registerEntity(identity, options), {
        get(t, k, r) {
          if (k === trap) return () => { throw new RtmInternalError(`trap in ${trap}`); };
          const v = Reflect.get(t, k, r);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      }) as EntityLike;
      return m;
    });
    resetInstances({ close: false });
    const rip = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_RIP, null, 0)!;
    expect(W.RtmAddRoute(rip, ipRoute(NET_A, 16, HOP, 1), 1, W.ref(0), null, null)).toBe(W.NO_ERROR);   // ages out after 1 s
    trap = 'addRouteToDest';
    expect(() => W.RtmAddRoute(rip, ipRoute(NET_B, 16, HOP, 1), W.INFINITE, W.ref(0), null, null)).toThrow(RtmInternalError);
    trap = 'deleteRouteToDest';
    expect(() => { clock.advance(1000); W.rtmInstance(0).runPending(); }).toThrow(RtmInternalError);
    trap = 'referenceHandles';
    expect(() => W.RtmDeregisterClient(rip)).toThrow(RtmInternalError);
  });
});
