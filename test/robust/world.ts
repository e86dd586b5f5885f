// A small populated RTM instance for the robustness tests, and a full picture of it: three entities
// (A and B on IPv4, C on IPv6) with next hops, routes (one held by a reference, one in a route list),
// an enumeration, a notification registration with a pending change, an opaque slot value and a lock;
// the picture is the public snapshot (test/reference/public-snapshot.ts) of both tables plus every
// entity's references on every known handle, the core's reference/cursor counts, the table record words,
// the destination lock words and the queued callbacks. Equal pictures = nothing changed, nothing taken.
import { expect } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
import { destLockWord, readResult } from '../../src/port/records.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_ANY, RTM_VIEW_MASK_UCAST,
  RTM_VIEW_MASK_MCAST,
} from '../../src/win32/constants.js';
import type {
  DestHandle, EntityLike, EnumHandle, NextHopHandle, NotifyHandle, RouteHandle, RouteListHandle,
} from '../../src/types.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

export interface World {
  rtm: Rtm;
  clock: VirtualClock;
  A: Entity; B: Entity; C: Entity;
  nA: NextHopHandle; nB: NextHopHandle; nC: NextHopHandle;
  rA: RouteHandle; rB: RouteHandle; rA2: RouteHandle; rC: RouteHandle;
  dP: DestHandle; dQ: DestHandle; dC: DestHandle;
  eA: EnumHandle; eR: EnumHandle; eN: EnumHandle; eL: EnumHandle; lA: RouteListHandle; nfA: NotifyHandle;
  /** A deleted route A still references, and a handle of no kind. */
  rDead: RouteHandle;
  /** Every handle above (for the reference counts). */
  handles: number[];
  probes4: string[]; probes6: string[];
  /** Callbacks delivered so far. */
  events: number;
}

export const P = '10.0.0.0/8', Q = '10.1.0.0/16', P6 = '2001:db8::/32';

export function world(options: { maxMemoryBytes?: number } = {}): World {
  const clock = new VirtualClock();
  const rtm = Rtm.createSync({ clock, opaqueSlots: 2, build: 'debug', ...options });
  const counter = { events: 0 };
  const onEvent = (): undefined => { counter.events++; return undefined; };
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP }, {
    onEvent, reserveOpaquePointer: true, exportMethods: [() => undefined],
  });
  const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF }, { onEvent });
  const C = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: PROTO_IP_BGP }, { onEvent });
  const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
  const nB = B.addNextHop({ address: '10.0.0.2', interfaceIndex: 2 }).handle!;
  const nC = C.addNextHop({ address: '2001:db8::1', interfaceIndex: 3 }).handle!;
  const nfA = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL, views: RTM_VIEW_MASK_UCAST, context: 'a' });
  const rA = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 10, metric: 5, entitySpecificInfo: { a: 1 } }).handle!;
  const rB = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 20, metric: 1, views: RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST }).handle!;
  const rA2 = A.addRouteToDest({ dest: Q, neighbour: nA, nextHops: [nA], timeToLive: 60_000 }).handle!;
  const rDead = A.addRouteToDest({ dest: '10.2.0.0/16', nextHops: [nA] }).handle!;
  A.referenceHandles([rDead]);
  A.deleteRouteToDest(rDead);
  const rC = C.addRouteToDest({ dest: P6, neighbour: nC, nextHops: [nC] }).handle!;
  const dP = A.getExactMatchDestination({ dest: P })!;
  A.releaseDestInfo(dP);
  const dQ = A.getExactMatchDestination({ dest: Q })!;
  A.releaseDestInfo(dQ);
  const dC = C.getExactMatchDestination({ dest: P6 })!;
  C.releaseDestInfo(dC);
  const lA = A.createRouteList();
  A.insertInRouteList({ routeList: lA, routes: [rA] });
  const eA = A.createDestEnum({ views: RTM_VIEW_MASK_ANY });
  const eR = A.createRouteEnum({ views: RTM_VIEW_MASK_ANY });
  const eN = A.createNextHopEnum();
  const eL = A.createRouteListEnum(lA);
  A.referenceHandles([B.handle, dP.handle, A.handle, nA]);   // for the release rows
  A.getOpaqueInformationPointer(dP.handle)!.value = 'slot';
  B.lockDestination({ dest: dQ.handle, exclusive: false });
  rtm.runPending();
  B.addRouteToDest({ dest: '10.3.0.0/16', nextHops: [nB] });   // a pending change for nfA, a queued callback
  const w: World = {
    rtm, clock, A, B, C, nA, nB, nC, rA, rB, rA2, rC, rDead, dP: dP.handle, dQ: dQ.handle, dC: dC.handle, eA, eR, eN, eL, lA, nfA,
    handles: [], probes4: [P, Q, '10.2.0.0/16', '10.3.0.0/16', '10.9.0.0/16'], probes6: [P6, '2001:db9::/32'],
    get events() { return counter.events; },
  };
  w.handles = [A.handle, B.handle, C.handle, nA, nB, nC, rA, rB, rA2, rC, rDead, w.dP, w.dQ, w.dC];
  return w;
}

/** Everything a rejected call must leave as it was. */
export function picture(w: World, full = true): unknown {
  const { rtm, A, B, C } = w;
  const x = rtm.core.x, core = rtm.core;
  const words = (t: typeof rtm.ipv4): number[] => Array.from({ length: (rtm.layout as unknown as { TABLE_HEAP: number }).TABLE_HEAP }, (_, i) => t.core.stat(i));
  const locks = [w.dP, w.dQ].map((d) => (x.destFromHandle(rtm.ipv4.core.t, d) === 0 ? destLockWord(core, readResult(core, 0)) : -1));
  const scheduler = rtm.scheduler as unknown as { pending: unknown[] };
  return {
    v4: !full ? undefined : publicSnapshot({
      entities: [A, B] as unknown as EntityLike[], probes: w.probes4, routes: [w.rA, w.rB, w.rA2, w.rDead],
      nextHops: [w.nA, w.nB], dynamics: true, notifies: [[A as unknown as EntityLike, w.nfA]], lists: [[A as unknown as EntityLike, w.lA]],
    }),
    v6: !full ? undefined : publicSnapshot({ entities: [C] as unknown as EntityLike[], probes: w.probes6, routes: [w.rC], nextHops: [w.nC], dynamics: true }),
    refs: [A, B, C].map((e) => w.handles.map((h) => e.refCount(h))),
    core: { refs: x.refStat(0), cursors: x.enumStat(0), chunks: x.enumStat(1), v4: words(rtm.ipv4), v6: words(rtm.ipv6) },
    locks,
    pending: scheduler.pending.length,
    events: w.events,
    registered: [A, B, C].map((e) => e.isRegistered),
  };
}

/** The part of picture() that costs no enumeration: table words, references, counts, locks, queued callbacks. */
export function quickPicture(w: World): unknown {
  const { v4: _v4, v6: _v6, ...rest } = picture(w, false) as Record<string, unknown>;
  return rest;
}

/** Asserts that `f` throws an RtmError (never another error) and returns its code. */
export function rtmErrorOf(f: () => unknown, label: string): string {
  try {
    f();
  } catch (err) {
    expect((err as Error)?.name, `${label}: ${String((err as Error)?.stack ?? err)}`).toBe('RtmError');
    return (err as { code: string }).code;
  }
  return 'ok';
}
