// Error paths of the core-semantics functions: each bad input gives the documented RtmError code (spec
// §4, §8, D-05 precedence) and leaves the instance exactly as before — compared through a full snapshot
// taken with the public API — and schedules no callback.
import { describe, expect, it } from 'vitest';
import {
  AF_INET6, PROTO_IP_BGP, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST, RTM_ENUM_NEXT, RTM_ENUM_RANGE,
  RTM_MATCH_NEIGHBOUR, RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type {
  DestHandle, EntityHandle, EntityLike, EnumHandle, NextHopHandle, NotifyHandle, RouteHandle, RouteListHandle, RtmLike,
} from '../../src/types.js';
import { IMPLEMENTATIONS, type Implementation } from '../helpers/impls.js';
import { type Party, expectCode, party, setup } from '../reference/fixture.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

/** A populated instance with one of everything an error path could disturb. */
interface Rich {
  rtm: RtmLike; A: EntityLike; B: EntityLike; C: EntityLike; parties: Party[];
  nA: NextHopHandle; nB: NextHopHandle; nADead: NextHopHandle;
  P: string; Q: string; R: string; L: string;
  rAP: RouteHandle; rAL: RouteHandle; rBP: RouteHandle; rAQ: RouteHandle; rDead: RouteHandle; rStale: RouteHandle; rBL: RouteHandle;
  dP: DestHandle; dL: DestHandle; dStale: DestHandle;
  /** Dynamics part only (undefined otherwise). */
  rHeld: RouteHandle; dR: DestHandle; listA: RouteListHandle; listB: RouteListHandle; enumB: EnumHandle;
  notifyA: NotifyHandle; notifyB: NotifyHandle;
  snapshot(): unknown;
}

/**
 * The core part uses only core-semantics calls: live, deleted-but-referenced and freed routes; a freed
 * destination; a deleted-but-referenced next hop; a deregistered entity; a reserved opaque slot. The
 * dynamics part adds route lists, a held route, a destination locked by B, an opaque slot value,
 * notification registrations with a mark and queued changes, an enumeration, and elapsed time.
 */
function rich(impl: Implementation, dynamics: boolean): Rich {
  const w = setup(impl, { opaqueSlots: 1 }, { a: { reserveOpaquePointer: true } });
  const { rtm, A, B, nA, nB, P, clock } = w;
  const Q = '10.1.0.0/16', R = '10.2.0.0/16', L = '10.3.0.0/16';
  const rAP = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST }).handle!;
  const rBP = B.addRouteToDest({ dest: P, neighbour: nB, nextHops: [nB], preference: 110, metric: 1, views: UCAST | MCAST }).handle!;
  const rAQ = A.addRouteToDest({ dest: Q, neighbour: nA, nextHops: [nA], views: UCAST | MCAST, entitySpecificInfo: { q: 1 } }).handle!;
  B.addRouteToDest({ dest: '10.1.2.0/24', neighbour: nB, views: MCAST, flags: 0x10, returnHandle: false });
  const rDead = A.addRouteToDest({ dest: Q, neighbour: null, changeFlags: 2, metric: 9 }).handle!;
  A.referenceHandles([rDead]);
  A.deleteRouteToDest(rDead);                                    // deleted, still referenced
  const rStale = A.addRouteToDest({ dest: Q, neighbour: null, changeFlags: 2 }).handle!;
  A.deleteRouteToDest(rStale);                                   // freed
  const rBL = B.addRouteToDest({ dest: L, neighbour: nB }).handle!;
  const rAL = A.addRouteToDest({ dest: L, neighbour: nA, preference: 200 }).handle!;
  const lInfo = B.getExactMatchDestination({ dest: L })!;
  const dL = lInfo.handle;
  B.releaseDestInfo(lInfo);
  const pInfo = A.getExactMatchDestination({ dest: P })!;
  const dP = pInfo.handle;
  A.releaseDestInfo(pInfo);
  const gone = A.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nA }).handle!;
  const gInfo = A.getExactMatchDestination({ dest: '10.9.0.0/16' })!;
  const dStale = gInfo.handle;
  A.releaseDestInfo(gInfo);
  A.deleteRouteToDest(gone);                                     // its destination is freed
  const nADead = A.addNextHop({ address: '10.0.0.99', interfaceIndex: 9 }).handle!;
  A.referenceHandles([nADead]);
  A.deleteNextHop(nADead);                                       // deleted, still referenced
  const pc = party(rtm, PROTO_IP_BGP, 3);
  const C = pc.entity;
  C.deregister();
  const dyn = {} as Pick<Rich, 'rHeld' | 'dR' | 'listA' | 'listB' | 'enumB' | 'notifyA' | 'notifyB'>;
  if (dynamics) {
    dyn.listA = A.createRouteList();
    dyn.listB = B.createRouteList();
    A.insertInRouteList({ routeList: dyn.listA, routes: [rAP] });
    B.insertInRouteList({ routeList: dyn.listB, routes: [rBP] });
    A.addRouteToDest({ dest: P, route: rAP, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST, timeToLive: 60_000 });
    dyn.rHeld = A.addRouteToDest({ dest: R, neighbour: nA, views: UCAST }).handle!;
    const rInfo = A.getRouteInfo(dyn.rHeld);
    dyn.dR = rInfo.dest;
    A.releaseRouteInfo(rInfo);
    A.holdDestination({ dest: dyn.dR, views: UCAST, holdTime: 50_000 });
    A.referenceHandles([dyn.rHeld]);
    A.deleteRouteToDest(dyn.rHeld);                              // held
    B.lockDestination({ dest: dL, exclusive: true });            // B holds L locked
    A.getOpaqueInformationPointer(dP)!.value = 'slot-value';
    dyn.notifyA = A.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
    dyn.notifyB = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL, context: 'b' });
    B.markDestForChangeNotification({ notifyHandle: dyn.notifyB, dest: dP });
    A.addRouteToDest({ dest: Q, route: rAQ, neighbour: nA, nextHops: [nA], views: UCAST | MCAST, metric: 2 });   // queued for both
    dyn.enumB = B.createDestEnum();
    clock.advance(1000);
  }
  rtm.runPending();
  const parties = [w.pa, w.pb, pc];
  for (const p of parties) p.events.length = 0;
  const scope = {
    entities: [A, B], probes: [P, Q, R, L, '10.9.0.0/16', '10.1.2.0/24'],
    routes: [rAP, rBP, rAQ, rDead, rStale, rBL, rAL, ...(dynamics ? [dyn.rHeld] : [])],
    nextHops: [w.nA, w.nB, nADead], dynamics,
    notifies: dynamics ? [[A, dyn.notifyA], [B, dyn.notifyB]] as const : [],
    lists: dynamics ? [[A, dyn.listA], [B, dyn.listB]] as const : [],
  };
  return {
    rtm, A, B, C, parties, nA, nB, nADead, P, Q, R, L, rAP, rAL, rBP, rAQ, rDead, rStale, rBL, dP, dL, dStale, ...dyn,
    snapshot: () => publicSnapshot(scope),
  };
}

/** [name, expected code, the failing call, needs the dynamics layer]. */
type Row = readonly [string, string, (w: Rich) => unknown, ('dyn' | undefined)?];

const ROWS: Row[] = [
  // addRouteToDest
  ['addRouteToDest: malformed prefix text', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: '10.1.0/16', neighbour: w.nA })],
  ['addRouteToDest: length beyond the family maximum', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: '10.0.0.0/33', neighbour: w.nA })],
  ['addRouteToDest: IPv6 prefix for an IPv4 entity', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: '2001:db8::/32', neighbour: w.nA })],
  ['addRouteToDest: RTM_NET_ADDRESS of another family', 'ERROR_INVALID_PARAMETER',
    (w) => w.A.addRouteToDest({ dest: { AddressFamily: AF_INET6, NumBits: 16, AddrBits: new Uint8Array(16) }, neighbour: w.nA })],
  ['addRouteToDest: more than MaxNextHopsInRoute', 'ERROR_INVALID_PARAMETER',
    (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, nextHops: Array(w.A.profile.maxNextHopsInRoute + 1).fill(w.nA) })],
  ['addRouteToDest: another entity\'s next hop', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, nextHops: [w.nB] })],
  ['addRouteToDest: another entity\'s neighbour', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nB })],
  ['addRouteToDest: a deleted next hop', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, nextHops: [w.nADead] })],
  ['addRouteToDest: a next hop that is a destination handle', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: w.P, nextHops: [w.dP as never] })],
  ['addRouteToDest: bad handle beats bad prefix (D-05)', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: 'junk', neighbour: w.rAP as never })],
  ['addRouteToDest: route of another entity', 'ERROR_ACCESS_DENIED', (w) => w.A.addRouteToDest({ dest: w.P, route: w.rBP, neighbour: w.nA })],
  ['addRouteToDest: bad prefix beats ownership (D-05)', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: 'junk', route: w.rBP, neighbour: w.nA })],
  ['addRouteToDest: prefix differs from the route\'s', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.Q, route: w.rAP, neighbour: w.nA })],
  ['addRouteToDest: a deleted route handle', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: w.Q, route: w.rDead, neighbour: w.nA })],
  ['addRouteToDest: a held route handle', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: w.R, route: w.rHeld, neighbour: w.nA }), 'dyn'],
  ['addRouteToDest: a freed route handle', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: w.Q, route: w.rStale, neighbour: w.nA })],
  ['addRouteToDest: route list of another entity', 'ERROR_INVALID_HANDLE', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, routeList: w.listB }), 'dyn'],
  ['addRouteToDest: destination locked by another entity', 'ERROR_BUSY', (w) => w.A.addRouteToDest({ dest: w.L, neighbour: w.nA }), 'dyn'],
  ['addRouteToDest: metric outside u32', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, metric: -1 })],
  ['addRouteToDest: flags outside u16', 'ERROR_INVALID_PARAMETER', (w) => w.A.addRouteToDest({ dest: w.P, neighbour: w.nA, flags: 0x10000 })],
  ['addRouteToDest: deregistered caller', 'ERROR_INVALID_HANDLE', (w) => w.C.addRouteToDest({ dest: w.P })],
  // deleteRouteToDest
  ['deleteRouteToDest: freed handle', 'ERROR_INVALID_HANDLE', (w) => w.A.deleteRouteToDest(w.rStale)],
  ['deleteRouteToDest: next-hop handle', 'ERROR_INVALID_HANDLE', (w) => w.A.deleteRouteToDest(w.nA as never)],
  ['deleteRouteToDest: route of another entity', 'ERROR_ACCESS_DENIED', (w) => w.A.deleteRouteToDest(w.rBP)],
  ['deleteRouteToDest: already deleted', 'ERROR_NOT_FOUND', (w) => w.A.deleteRouteToDest(w.rDead)],
  ['deleteRouteToDest: held', 'ERROR_NOT_FOUND', (w) => w.A.deleteRouteToDest(w.rHeld), 'dyn'],
  ['deleteRouteToDest: destination locked by another entity', 'ERROR_BUSY', (w) => w.A.deleteRouteToDest(w.rAL), 'dyn'],
  ['updateAndUnlockRoute: deleted route', 'ERROR_INVALID_HANDLE', (w) => w.A.updateAndUnlockRoute({ route: w.rDead }), 'dyn'],
  // information retrieval and release
  ['getRouteInfo: freed handle', 'ERROR_INVALID_HANDLE', (w) => w.A.getRouteInfo(w.rStale)],
  ['getRouteInfo: handle 0', 'ERROR_INVALID_HANDLE', (w) => w.A.getRouteInfo(0 as RouteHandle)],
  ['getDestInfo: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.A.getDestInfo({ dest: w.dStale })],
  ['getDestInfo: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.getDestInfo({ dest: w.dP, views: 0x4 })],
  ['getNextHopInfo: route handle', 'ERROR_INVALID_HANDLE', (w) => w.A.getNextHopInfo(w.rAP as never)],
  ['getEntityInfo: freed entity (deregistered, unreferenced)', 'ERROR_INVALID_HANDLE', (w) => w.A.getEntityInfo(w.C.handle)],
  ['releaseRoutes: over-release', 'ERROR_INVALID_HANDLE', (w) => w.B.releaseRoutes([w.rAQ])],
  ['releaseDests: nothing held', 'ERROR_INVALID_HANDLE', (w) => w.B.releaseDests([{ handle: w.dL, viewInfo: [] } as never])],
  ['releaseNextHops: wrong kind', 'ERROR_INVALID_HANDLE', (w) => w.A.releaseNextHops([w.rAP as never])],
  ['releaseEntities: nothing held', 'ERROR_INVALID_HANDLE', (w) => w.A.releaseEntities([w.B.handle])],
  ['referenceHandles: an unknown handle among them', 'ERROR_INVALID_HANDLE', (w) => w.B.referenceHandles([w.rAP, 987654321 as never])],
  ['referenceHandles: an enumeration handle among them', 'ERROR_INVALID_HANDLE', (w) => w.B.referenceHandles([w.rAP, w.enumB as never]), 'dyn'],
  ['isBestRoute: freed handle', 'ERROR_INVALID_HANDLE', (w) => w.A.isBestRoute(w.rStale)],
  // queries
  ['getExactMatchDestination: malformed prefix', 'ERROR_INVALID_PARAMETER', (w) => w.A.getExactMatchDestination({ dest: '300.0.0.0/8' })],
  ['getExactMatchDestination: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.getExactMatchDestination({ dest: w.P, views: 0x8 })],
  ['getMostSpecificDestination: IPv6 text', 'ERROR_INVALID_PARAMETER', (w) => w.A.getMostSpecificDestination({ dest: '::1' })],
  ['getLessSpecificDestination: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.A.getLessSpecificDestination({ dest: w.dStale })],
  ['getExactMatchRoute: criteria missing', 'ERROR_INVALID_PARAMETER', (w) => w.A.getExactMatchRoute({ dest: w.P, matchFlags: RTM_MATCH_NEIGHBOUR })],
  ['getExactMatchRoute: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.getExactMatchRoute({ dest: w.P, views: 0x4 })],
  // next hops
  ['addNextHop: malformed address', 'ERROR_INVALID_PARAMETER', (w) => w.A.addNextHop({ address: '10.0.0', interfaceIndex: 1 })],
  ['addNextHop: IPv6 address', 'ERROR_INVALID_PARAMETER', (w) => w.A.addNextHop({ address: 'fe80::1', interfaceIndex: 1 })],
  ['addNextHop: update another entity\'s next hop', 'ERROR_ACCESS_DENIED', (w) => w.A.addNextHop({ nextHop: w.nB, address: '10.0.0.2', interfaceIndex: 2, flags: 1 })],
  ['addNextHop: identity differs from the handle\'s', 'ERROR_INVALID_PARAMETER', (w) => w.A.addNextHop({ nextHop: w.nA, address: '10.0.0.1', interfaceIndex: 7 })],
  ['addNextHop: freed remote destination', 'ERROR_INVALID_HANDLE', (w) => w.A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1, remoteNextHop: w.dStale })],
  ['findNextHop: malformed address', 'ERROR_INVALID_PARAMETER', (w) => w.A.findNextHop({ address: 'x' })],
  ['deleteNextHop: another entity\'s', 'ERROR_ACCESS_DENIED', (w) => w.A.deleteNextHop(w.nB)],
  ['deleteNextHop: unknown identity', 'ERROR_NOT_FOUND', (w) => w.A.deleteNextHop({ address: '10.0.0.77', interfaceIndex: 1 })],
  ['deleteNextHop: already deleted', 'ERROR_NOT_FOUND', (w) => w.A.deleteNextHop(w.nADead)],
  ['deleteNextHop: route handle', 'ERROR_INVALID_HANDLE', (w) => w.A.deleteNextHop(w.rAP as never)],
  ['getNextHopPointer: another entity\'s', 'ERROR_ACCESS_DENIED', (w) => w.A.getNextHopPointer(w.nB)],
  // hold-down, locks, pointers
  ['holdDestination: HoldTime 0', 'ERROR_INVALID_PARAMETER', (w) => w.A.holdDestination({ dest: w.dP, views: UCAST, holdTime: 0 }), 'dyn'],
  ['holdDestination: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.holdDestination({ dest: w.dP, views: 0x4, holdTime: 10 }), 'dyn'],
  ['holdDestination: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.A.holdDestination({ dest: w.dStale, views: UCAST, holdTime: 10 }), 'dyn'],
  ['holdDestination: locked by another entity', 'ERROR_BUSY', (w) => w.A.holdDestination({ dest: w.dL, views: UCAST, holdTime: 10 }), 'dyn'],
  ['lockDestination: unlock without lock', 'ERROR_NOT_LOCKED', (w) => w.A.lockDestination({ dest: w.dP, exclusive: true, lock: false }), 'dyn'],
  ['lockDestination: held exclusively by another entity', 'ERROR_BUSY', (w) => w.A.lockDestination({ dest: w.dL, exclusive: false }), 'dyn'],
  ['lockRoute: exclusive by a non-owner', 'ERROR_ACCESS_DENIED', (w) => w.A.lockRoute({ route: w.rBP, exclusive: true }), 'dyn'],
  ['lockRoute: deleted route', 'ERROR_INVALID_HANDLE', (w) => w.A.lockRoute({ route: w.rDead, exclusive: true }), 'dyn'],
  ['lockRoute: destination held exclusively by another entity', 'ERROR_BUSY', (w) => w.A.lockRoute({ route: w.rBL, exclusive: false }), 'dyn'],
  ['updateAndUnlockRoute: not locked', 'ERROR_NOT_LOCKED', (w) => w.A.updateAndUnlockRoute({ route: w.rAP }), 'dyn'],
  ['updateAndUnlockRoute: another entity\'s route', 'ERROR_ACCESS_DENIED', (w) => w.A.updateAndUnlockRoute({ route: w.rBP }), 'dyn'],
  ['getRoutePointer: another entity\'s route', 'ERROR_ACCESS_DENIED', (w) => w.A.getRoutePointer(w.rBP), 'dyn'],
  ['getOpaqueInformationPointer: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.A.getOpaqueInformationPointer(w.dStale), 'dyn'],
  // enumerations
  ['createDestEnum: two range flags', 'ERROR_INVALID_PARAMETER', (w) => w.A.createDestEnum({ enumFlags: RTM_ENUM_NEXT | RTM_ENUM_RANGE, startDest: w.P }), 'dyn'],
  ['createDestEnum: unknown flag bit', 'ERROR_INVALID_PARAMETER', (w) => w.A.createDestEnum({ enumFlags: 0x4 }), 'dyn'],
  ['createDestEnum: RANGE without a prefix', 'ERROR_INVALID_PARAMETER', (w) => w.A.createDestEnum({ enumFlags: RTM_ENUM_RANGE }), 'dyn'],
  ['createDestEnum: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.createDestEnum({ views: 0x4 }), 'dyn'],
  ['createRouteEnum: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.A.createRouteEnum({ dest: w.dStale }), 'dyn'],
  ['createNextHopEnum: NEXT without an address', 'ERROR_INVALID_PARAMETER', (w) => w.A.createNextHopEnum({ enumFlags: RTM_ENUM_NEXT }), 'dyn'],
  ['getEnumDests: another entity\'s enumeration', 'ERROR_INVALID_HANDLE', (w) => w.A.getEnumDests({ enumHandle: w.enumB }), 'dyn'],
  ['getEnumDests: count above MaxHandlesInEnum', 'ERROR_INVALID_PARAMETER', (w) => w.B.getEnumDests({ enumHandle: w.enumB, count: w.B.profile.maxHandlesInEnum + 1 }), 'dyn'],
  ['getEnumRoutes: a destination enumeration', 'ERROR_INVALID_HANDLE', (w) => w.B.getEnumRoutes({ enumHandle: w.enumB }), 'dyn'],
  ['deleteEnumHandle: another entity\'s', 'ERROR_INVALID_HANDLE', (w) => w.A.deleteEnumHandle(w.enumB), 'dyn'],
  // change notification
  ['registerForChangeNotification: no change type', 'ERROR_INVALID_PARAMETER', (w) => w.A.registerForChangeNotification({ notifyFlags: 0 }), 'dyn'],
  ['registerForChangeNotification: unknown bit', 'ERROR_INVALID_PARAMETER', (w) => w.A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL | 0x8 }), 'dyn'],
  ['registerForChangeNotification: unsupported view', 'ERROR_NOT_SUPPORTED', (w) => w.A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL, views: 0x4 }), 'dyn'],
  ['getChangedDests: another entity\'s registration', 'ERROR_INVALID_HANDLE', (w) => w.A.getChangedDests({ notifyHandle: w.notifyB }), 'dyn'],
  ['getChangedDests: count above MaxHandlesInEnum', 'ERROR_INVALID_PARAMETER', (w) => w.B.getChangedDests({ notifyHandle: w.notifyB, count: 1000 }), 'dyn'],
  ['ignoreChangedDests: a freed destination among them', 'ERROR_INVALID_HANDLE', (w) => w.B.ignoreChangedDests({ notifyHandle: w.notifyB, dests: [w.dP, w.dStale] }), 'dyn'],
  ['markDestForChangeNotification: freed destination', 'ERROR_INVALID_HANDLE', (w) => w.B.markDestForChangeNotification({ notifyHandle: w.notifyB, dest: w.dStale }), 'dyn'],
  ['getChangeStatus: route handle as destination', 'ERROR_INVALID_HANDLE', (w) => w.B.getChangeStatus({ notifyHandle: w.notifyB, dest: w.rAP as never }), 'dyn'],
  ['deregisterFromChangeNotification: another entity\'s', 'ERROR_INVALID_HANDLE', (w) => w.A.deregisterFromChangeNotification(w.notifyB), 'dyn'],
  // route lists
  ['insertInRouteList: another entity\'s list', 'ERROR_INVALID_HANDLE', (w) => w.A.insertInRouteList({ routeList: w.listB, routes: [w.rAP] }), 'dyn'],
  ['insertInRouteList: another entity\'s route (all-or-nothing)', 'ERROR_ACCESS_DENIED', (w) => w.A.insertInRouteList({ routeList: null, routes: [w.rAP, w.rBP] }), 'dyn'],
  ['insertInRouteList: a deleted route', 'ERROR_INVALID_HANDLE', (w) => w.A.insertInRouteList({ routeList: w.listA, routes: [w.rAQ, w.rDead] }), 'dyn'],
  ['createRouteListEnum: another entity\'s list', 'ERROR_INVALID_HANDLE', (w) => w.A.createRouteListEnum(w.listB), 'dyn'],
  ['deleteRouteList: another entity\'s list', 'ERROR_INVALID_HANDLE', (w) => w.A.deleteRouteList(w.listB), 'dyn'],
  // methods and registration
  ['invokeMethod: deregistered entity', 'ERROR_INVALID_HANDLE', (w) => w.A.invokeMethod({ entity: w.C.handle, methodType: 1 }), 'dyn'],
  ['invokeMethod: not an entity handle', 'ERROR_INVALID_HANDLE', (w) => w.A.invokeMethod({ entity: w.dP as unknown as EntityHandle, methodType: 1 }), 'dyn'],
  ['blockMethods: bad flag', 'ERROR_INVALID_PARAMETER', (w) => w.A.blockMethods({ blockingFlag: 5 }), 'dyn'],
  ['blockMethods: target of the wrong kind', 'ERROR_INVALID_HANDLE', (w) => w.A.blockMethods({ blockingFlag: 1, targetHandle: w.rAP, targetType: 4 }), 'dyn'],
  ['getRegisteredEntities: deregistered caller', 'ERROR_INVALID_HANDLE', (w) => w.C.getRegisteredEntities()],
  ['registerEntity: duplicate EntityId', 'ERROR_ALREADY_EXISTS', (w) => w.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 })],
  ['registerEntity: no table for the family', 'ERROR_FILE_NOT_FOUND', (w) => w.rtm.registerEntity({ addressFamily: 99, protocolId: 1 })],
  ['registerEntity: 33 methods', 'ERROR_INVALID_PARAMETER', (w) => w.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 1 }, { exportMethods: Array(33).fill(() => undefined) })],
  ['registerEntity: no opaque slot left', 'ERROR_NO_SYSTEM_RESOURCES', (w) => w.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 1 }, { reserveOpaquePointer: true })],
];

describe.each(IMPLEMENTATIONS)('$name: error paths leave the table unchanged', (impl) => {
  const dynamics = impl.dynamics !== false;
  const rows = (dynamics ? ROWS : ROWS.filter((r) => r[3] !== 'dyn')).map(([n, c, f]) => [n, c, f] as const);

  it('the rich world is what the rows expect', () => {
    const w = rich(impl, dynamics);
    const snap = w.snapshot() as { probes: ({ prefix: string } | undefined)[] };
    expect(snap.probes.map((d) => d?.prefix)).toEqual([w.P, w.Q, dynamics ? w.R : undefined, w.L, undefined, '10.1.2.0/24']);
    expect(w.snapshot()).toEqual(snap);                              // taking a snapshot changes nothing
  });

  it.each(rows)('%s → %s', (_name, code, run) => {
    const w = rich(impl, dynamics);
    const before = w.snapshot();
    expectCode(() => run(w), code);
    expect(w.snapshot()).toEqual(before);
    w.rtm.runPending();
    for (const p of w.parties) expect(p.events).toEqual([]);
  });
});
