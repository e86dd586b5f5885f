// RTMv1 (rtm.h, spec §9) on the RTMv2 layer, by the mapping of spec §9.5 (D-66):
//  - RtmRegisterClient registers an RTMv2 entity in instance 0, AF_INET, with EntityProtocolId =
//    RoutingProtocol and EntityInstanceId = 0; the client handle is that entity's handle (it is not an
//    RTMv2 registration handle: the RTMv2 functions refuse it). Only RTM_PROTOCOL_FAMILY_IP is
//    supported; RTM_PROTOCOL_FAMILY_IPX gives ERROR_INVALID_PARAMETER ("family not supported").
//  - An RTMv1 IP route is an RTMv2 route in the unicast view of destination (N_NetNumber, length of
//    N_NetMask) with one next hop (RR_NextHopAddress.N_NetNumber, RR_InterfaceID) of the client, which is
//    also the route's Neighbour — so the identity is (network, protocol, interface, next hop);
//    Preference = FSD_Priority, Metric = FSD_Metric; RTM_PROTOCOL_SINGLE_ROUTE adds with
//    RTM_ROUTE_CHANGE_FIRST. The rest of the RTMv1 route (the other IP_SPECIFIC_DATA fields,
//    PROTOCOL_SPECIFIC_DATA, the next hop's mask) rides in the route's EntitySpecificInfo; RR_TimeStamp is
//    kept by this layer per route. The RTMv1 table is the unicast view of instance 0's IPv4 table: the
//    best route of a network is its RTMv2 best route there (lower FSD_Priority, then lower FSD_Metric,
//    D-64), whoever added it.
//  - TimeToLive is in seconds (INFINITE, or at most 2,147,483); a route that ages out is deleted by the
//    layer from its entity's RTM_ROUTE_EXPIRED callback, and the change is reported to every client.
//  - Change messages (D-65, and the decision of 2026-12-01 in §9.5): every change of the best route of a
//    network in instance 0 queues one message per client with a change event, in order, uncoalesced,
//    whatever caused it. An RTMv1 call reports its own changes — RtmAddRoute, RtmDeleteRoute and
//    RtmDeregisterClient to the other clients, RtmBlockDeleteRoutes and the ageing out of its routes to
//    all. Every other change — an RTMv2 entity's call, deregistration or batch in instance 0, an RTMv2
//    route's expiry, a hold-down end — goes to all clients: the layer watches instance 0's best-route
//    transitions where they happen (RtmLike.watchBestRoutes: one report per change that fires BEST in the
//    unicast view, after the operation) and compares the network's best route with the one it last
//    reported (a cache of one RTMv1 route per network, kept while a client is registered; RTM_NO_CHANGE
//    sends nothing). The RTMv1 best route is the RTMv2 best route of the unicast view, so a hold-down end,
//    which destroys held routes only (§7.7 H4/H5), sends a message only if that best route differs from the
//    last one reported; the deletion that started the hold-down was reported as it happened. Several
//    changes of one network inside one RTMv2 operation (a deregistration, a batch) are one message, and
//    when an operation changes more networks than the core logs (BESTLOG_MAX) every network is compared
//    with the cache, in table order. The event is set when a client's queue becomes non-empty and reset
//    when RtmDequeueRouteChangeMessage empties it.
//  - Table-wide reads (RtmIsRoute, RtmGetNetworkCount, enumerations, RtmLookupIPDestination) go through
//    the entity of a registered client (or an RTMv2 registration of instance 0, AF_INET); with none, the
//    table is seen as empty (every route belongs to a registered entity). RtmCreateEnumerationHandle
//    takes a snapshot of the matching routes.
//  - IPv4 numbers (N_NetNumber, N_NetMask, dwDestAddr) are host order, as everywhere in this port. BOOL
//    results are TRUE/FALSE. Functions returning a HANDLE, BOOL or ULONG set GetLastError on every call.
//  - Arguments are checked with the shared helpers of args.ts (out Refs probed before the table changes);
//    RtmInternalError (a core bug) always propagates, from the calls and from the ageing callback.

import { formatIPv4, parsePrefixInto } from '../address.js';
import { RtmError, RtmInternalError } from '../errors.js';
import type { EntityLike, RouteHandle, RouteOwnerView, RtmEventType, RtmLike } from '../types.js';
import {
  AF_INET, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_MORE_MESSAGES, ERROR_NO_MESSAGES, ERROR_NO_MORE_ROUTES,
  ERROR_NO_ROUTES, ERROR_NO_SUCH_ROUTE, ERROR_NOT_SUPPORTED, FALSE, INFINITE, NO_ERROR, RTM_CURRENT_BEST_ROUTE,
  RTM_MATCH_NEIGHBOUR, RTM_MATCH_OWNER, RTM_NEXTHOP_CHANGE_NEW, RTM_NO_CHANGE, RTM_ONLY_BEST_ROUTES, RTM_ONLY_THIS_INTERFACE,
  RTM_ONLY_THIS_NETWORK, RTM_ONLY_THIS_PROTOCOL, RTM_PREVIOUS_BEST_ROUTE, RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_SINGLE_ROUTE,
  RTM_ROUTE_ADDED, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGED, RTM_ROUTE_DELETED, RTM_ROUTE_EXPIRED, RTM_ROUTE_STATE_CREATED,
  RTM_VIEW_MASK_UCAST, TRUE,
} from './constants.js';
import { invalidParameter, isObject, optStruct, outRef, struct, u32 } from './args.js';
import { filetimeOf } from './convert.js';
import {
  SetLastError, addRegistration, existingInstance, guard, need, onReset, registrationsOf,
  removeRegistration, rtmInstance, statusOf,
} from './instances.js';
import { ipv4LenFromMask, ipv4MaskFromLen } from './macros.js';
import { IP_NETWORK, IP_SPECIFIC_DATA, RTM_IP_ROUTE, type HANDLE, type Ref } from './structs.js';

// ── The change event ─────────────────────────────────────────────────────────────────────────────

/** What RtmRegisterClient accepts as the change "event": anything with set() and reset(). */
export interface ChangeEventLike {
  /** Signals the event (RTMv1: a change message is queued). */
  set(): void;
  /** Clears the signal. */
  reset(): void;
}

/**
 * A signal object for RtmRegisterClient (the Win32 event object): `set()` signals it (and calls
 * `onSet`, if given), `reset()` clears it, `isSet` tells which.
 */
export class ChangeEvent implements ChangeEventLike {
  private signalled = false;
  constructor(private readonly onSet?: () => void) {}
  /** True while signalled. */
  get isSet(): boolean {
    return this.signalled;
  }
  /** Signals the event and calls `onSet`, if given. */
  set(): void {
    this.signalled = true;
    this.onSet?.();
  }
  /** Clears the signal. */
  reset(): void {
    this.signalled = false;
  }
}

// ── State ────────────────────────────────────────────────────────────────────────────────────────

interface Message {
  readonly flags: number;
  readonly cur: RTM_IP_ROUTE | null;
  readonly prev: RTM_IP_ROUTE | null;
}

interface Client {
  readonly handle: number;
  readonly entity: EntityLike;
  readonly rtm: RtmLike;
  readonly protocol: number;
  readonly single: boolean;
  readonly event: ChangeEventLike | null;
  readonly queue: Message[];
  /** The client's routes (as far as this layer knows) and their RR_TimeStamp. */
  readonly routes: Map<number, bigint>;
}

interface Enumeration {
  readonly routes: RTM_IP_ROUTE[];
  next: number;
}

const clients = new Map<number, Client>();
const enums = new Map<number, Enumeration>();
let nextEnumHandle = 0x40000001;
/** The best route last reported per network (RTMv1 view), while instance 0 is watched. */
const reported = new Map<string, V1View>();
/** Stops the watch of instance 0's best-route changes (undefined: not watching). */
let stopWatch: (() => void) | undefined;
/** > 0 while an RTMv1 call changes the table: it reports its own changes. */
let ownCall = 0;
onReset(() => { unwatch(); clients.clear(); enums.clear(); });

const FSD_FIELDS = [
  'FSD_Type', 'FSD_Policy', 'FSD_NextHopAS', 'FSD_Priority', 'FSD_Metric', 'FSD_Metric1', 'FSD_Metric2', 'FSD_Metric3',
  'FSD_Metric4', 'FSD_Metric5', 'FSD_Flags',
] as const;
type FsdField = typeof FSD_FIELDS[number];

/** The part of an RTMv1 route the RTMv2 route does not hold: its EntitySpecificInfo (immutable). */
class V1RouteData {
  constructor(
    readonly fsd: Readonly<Record<FsdField, number>>,
    readonly psd: readonly number[],
    readonly nextHopMask: number,
  ) {
    Object.freeze(this);
  }
  equals(o: V1RouteData): boolean {
    return this.nextHopMask === o.nextHopMask && FSD_FIELDS.every((f) => this.fsd[f] === o.fsd[f])
      && this.psd.every((x, i) => x === o.psd[i]);
  }
}

// ── Argument checks and conversions ──────────────────────────────────────────────────────────────

/** 'a.b.c.d/len' of an IP_NETWORK; the mask must be contiguous. */
function networkOf(net: IP_NETWORK | null | undefined, op: string, name: string): string {
  const n = struct(net, op, name);
  const num = u32(n.N_NetNumber, op, `${name}.N_NetNumber`), mask = u32(n.N_NetMask, op, `${name}.N_NetMask`);
  const len = ipv4LenFromMask(mask);
  if (ipv4MaskFromLen(len) !== mask) invalidParameter(op, `${name}.N_NetMask is not contiguous`);
  return `${formatIPv4(num)}/${len}`;
}

function client(h: unknown, op: string): Client {
  const c = typeof h === 'number' ? clients.get(h) : undefined;
  if (c === undefined) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad client handle');
  return c;
}

const scratch = new Uint32Array(4);

/** Host-order number and length of 'a.b.c.d[/len]'. */
function ipv4Of(text: string): { num: number; len: number } {
  const len = parsePrefixInto(text, 4, scratch, 0);
  return { num: len < 0 ? 0 : scratch[0], len: len < 0 ? 0 : len };
}

/** Copies an RTMv1 IP route into `dst` (in place; nested objects reused). */
export function copyIpRoute(dst: RTM_IP_ROUTE, src: RTM_IP_ROUTE): RTM_IP_ROUTE {
  dst.RR_TimeStamp = src.RR_TimeStamp;
  dst.RR_RoutingProtocol = src.RR_RoutingProtocol;
  dst.RR_InterfaceID = src.RR_InterfaceID;
  if (!isObject(dst.RR_ProtocolSpecificData) || !(dst.RR_ProtocolSpecificData.PSD_Data instanceof Uint32Array)) {
    dst.RR_ProtocolSpecificData = { PSD_Data: new Uint32Array(4) };
  }
  dst.RR_ProtocolSpecificData.PSD_Data.set(Array.from(src.RR_ProtocolSpecificData.PSD_Data).slice(0, 4));
  if (!isObject(dst.RR_Network)) dst.RR_Network = new IP_NETWORK();
  dst.RR_Network.N_NetNumber = src.RR_Network.N_NetNumber;
  dst.RR_Network.N_NetMask = src.RR_Network.N_NetMask;
  if (!isObject(dst.RR_NextHopAddress)) dst.RR_NextHopAddress = new IP_NETWORK();
  dst.RR_NextHopAddress.N_NetNumber = src.RR_NextHopAddress.N_NetNumber;
  dst.RR_NextHopAddress.N_NetMask = src.RR_NextHopAddress.N_NetMask;
  if (!isObject(dst.RR_FamilySpecificData)) dst.RR_FamilySpecificData = new IP_SPECIFIC_DATA();
  for (const f of FSD_FIELDS) dst.RR_FamilySpecificData[f] = src.RR_FamilySpecificData[f];
  return dst;
}

function cloneIpRoute(src: RTM_IP_ROUTE): RTM_IP_ROUTE {
  return copyIpRoute(new RTM_IP_ROUTE(), src);
}

/** A route of the table as an RTMv1 IP route (any owner), with its prefix. Takes no references. */
interface V1View {
  readonly handle: RouteHandle;
  readonly prefix: string;
  readonly route: RTM_IP_ROUTE;
}

function v1View(obs: EntityLike, h: RouteHandle): V1View {
  const info = obs.getRouteInfo(h);
  try {
    const out = new RTM_IP_ROUTE();
    out.RR_RoutingProtocol = obs.getEntityInfo(info.owner).protocolId;
    const net = ipv4Of(info.prefix);
    out.RR_Network.N_NetNumber = net.num;
    out.RR_Network.N_NetMask = ipv4MaskFromLen(net.len);
    const nh = info.nextHops[0] ?? info.neighbour;
    if (nh !== undefined) {
      const ni = obs.getNextHopInfo(nh);
      try {
        const a = ipv4Of(ni.address);
        out.RR_InterfaceID = ni.interfaceIndex;
        out.RR_NextHopAddress.N_NetNumber = a.num;
        out.RR_NextHopAddress.N_NetMask = ipv4MaskFromLen(a.len);
      } finally {
        obs.releaseNextHopInfo(ni);
      }
    }
    const esi = info.entitySpecificInfo;
    if (esi instanceof V1RouteData) {
      for (const f of FSD_FIELDS) out.RR_FamilySpecificData[f] = esi.fsd[f];
      out.RR_ProtocolSpecificData.PSD_Data.set(esi.psd);
      out.RR_NextHopAddress.N_NetMask = esi.nextHopMask;
    }
    out.RR_FamilySpecificData.FSD_Priority = info.preference;
    out.RR_FamilySpecificData.FSD_Metric = info.metric;
    for (const c of clients.values()) {
      if (c.entity.handle === info.owner) { out.RR_TimeStamp = c.routes.get(h) ?? 0n; break; }
    }
    return { handle: h, prefix: info.prefix, route: out };
  } finally {
    obs.releaseRouteInfo(info);
  }
}

/** The best route of a network in the unicast view, or null. */
function bestOf(obs: EntityLike, prefix: string): V1View | null {
  const d = obs.getExactMatchDestination({ dest: prefix, views: RTM_VIEW_MASK_UCAST, protocolId: 0 });
  if (d === undefined) return null;
  try {
    const r = d.viewInfo[0]?.route;
    return r === undefined ? null : v1View(obs, r);
  } finally {
    obs.releaseDestInfo(d);
  }
}

/** A change of protocol, interface, next hop or family-specific data (metric included) is significant. */
function significant(a: RTM_IP_ROUTE, b: RTM_IP_ROUTE): boolean {
  return a.RR_RoutingProtocol !== b.RR_RoutingProtocol || a.RR_InterfaceID !== b.RR_InterfaceID
    || a.RR_NextHopAddress.N_NetNumber !== b.RR_NextHopAddress.N_NetNumber
    || a.RR_NextHopAddress.N_NetMask !== b.RR_NextHopAddress.N_NetMask
    || FSD_FIELDS.some((f) => a.RR_FamilySpecificData[f] !== b.RR_FamilySpecificData[f]);
}

/** RTM_NO_CHANGE / RTM_ROUTE_ADDED / RTM_ROUTE_DELETED / RTM_ROUTE_CHANGED from the best route before and after. */
function classify(before: V1View | null, after: V1View | null): number {
  if (before === null) return after === null ? RTM_NO_CHANGE : RTM_ROUTE_ADDED;
  if (after === null) return RTM_ROUTE_DELETED;
  return significant(before.route, after.route) ? RTM_ROUTE_CHANGED : RTM_NO_CHANGE;
}

/** Queues a message for every client with an event except `except` (null: all). */
function broadcast(except: Client | null, flags: number, before: V1View | null, after: V1View | null): void {
  if (flags === RTM_NO_CHANGE) return;
  for (const c of clients.values()) {
    if (c === except || c.event === null) continue;
    c.queue.push({
      flags,
      cur: flags & RTM_CURRENT_BEST_ROUTE && after ? cloneIpRoute(after.route) : null,
      prev: flags & RTM_PREVIOUS_BEST_ROUTE && before ? cloneIpRoute(before.route) : null,
    });
    if (c.queue.length === 1) c.event.set();
  }
}

/** Records the best route just reported for a network (null: none). */
function remember(prefix: string, after: V1View | null): void {
  if (stopWatch === undefined) return;
  if (after === null) reported.delete(prefix);
  else reported.set(prefix, { handle: after.handle, prefix, route: cloneIpRoute(after.route) });
}

/** Compares a network's best route with the one last reported; a change is a message to every client. */
function reportChange(obs: EntityLike, prefix: string): void {
  const before = reported.get(prefix) ?? null;
  const after = bestOf(obs, prefix);
  broadcast(null, classify(before, after), before, after);
  remember(prefix, after);
}

/**
 * The watch of instance 0 (RtmLike.watchBestRoutes): a best-route change that no RTMv1 call is reporting
 * itself — made by an RTMv2 entity, an expiry or a hold-down end. `undefined`: some changes were not
 * logged; every network is compared.
 */
function onBestChange(prefix: string | undefined): void {
  if (ownCall > 0) return;
  if (prefix === undefined) rescanAll = true;
  else retry.add(prefix);
  catchUp();
}

/** Changes the watch was told of and has not reported yet (a read failed, e.g. at full memory). */
const retry = new Set<string>();
let rescanAll = false;

/**
 * Reports what the watch was told of. A read that fails (ERROR_NOT_ENOUGH_MEMORY while taking a
 * reference) never fails the RTMv2 call that made the change: the network waits here and is reported at
 * the next change or the next RtmDequeueRouteChangeMessage.
 */
function catchUp(): void {
  const obs = observer();
  if (obs === undefined || stopWatch === undefined) { retry.clear(); rescanAll = false; return; }
  try {
    if (rescanAll) {
      const seen = new Set<string>();
      for (const d of obs.dests({ views: RTM_VIEW_MASK_UCAST })) seen.add(d.prefix);
      for (const p of reported.keys()) seen.add(p);
      for (const p of seen) retry.add(p);
      rescanAll = false;
    }
    for (const p of retry) {
      reportChange(obs, p);
      retry.delete(p);
    }
  } catch (err) {
    if (err instanceof RtmInternalError || !(err instanceof RtmError)) throw err;
  }
}

/** Starts watching instance 0 (first client): the cache starts as the table's current best routes. */
function watch(rtm: RtmLike, obs: EntityLike): void {
  if (stopWatch !== undefined || typeof rtm.watchBestRoutes !== 'function') return;
  need(obs, 'dests');
  reported.clear();
  for (const d of obs.dests({ views: RTM_VIEW_MASK_UCAST })) {
    const r = d.viewInfo[0]?.route;
    if (r !== undefined) reported.set(d.prefix, v1View(obs, r));
  }
  stopWatch = rtm.watchBestRoutes(onBestChange);
}

function unwatch(): void {
  const stop = stopWatch;
  stopWatch = undefined;
  reported.clear();
  retry.clear();
  rescanAll = false;
  try {
    stop?.();
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;              // a closed instance: nothing to stop
  }
}

/** Runs an RTMv1 call's change of the table (it reports its own changes; the watch stays quiet). */
function own<T>(fn: () => T): T {
  ownCall++;
  try {
    return fn();
  } finally {
    ownCall--;
  }
}

/** Deletes one of the client's routes (the caller holds one reference on it, which is consumed) and reports. */
function deleteAndReport(c: Client, h: RouteHandle, prefix: string, except: Client | null): { flags: number; after: V1View | null } {
  const before = bestOf(c.entity, prefix);
  own(() => c.entity.deleteRouteToDest(h));
  c.routes.delete(h);
  const after = bestOf(c.entity, prefix);
  const flags = classify(before, after);
  broadcast(except, flags, before, after);
  remember(prefix, after);
  return { flags, after };
}

/**
 * The client's routes this layer still knows to be live, each with one new reference of the client's
 * (give it back or consume it). Forgets routes that are gone.
 */
function liveRoutesOf(c: Client): V1View[] {
  const out: V1View[] = [];
  for (const h of [...c.routes.keys()]) {
    try {
      c.entity.referenceHandles([h as RouteHandle]);
    } catch (err) {
      if (err instanceof RtmInternalError) throw err;
      c.routes.delete(h);                                          // freed
      continue;
    }
    const info = c.entity.getRouteInfo(h as RouteHandle);
    c.entity.releaseRouteInfo(info);
    if (info.state !== RTM_ROUTE_STATE_CREATED) {
      c.routes.delete(h);
      c.entity.releaseRoutes([h as RouteHandle]);
      continue;
    }
    out.push(v1View(c.entity, h as RouteHandle));
  }
  return out;
}

/** The entity through which table-wide reads are made, or undefined when nothing is registered. */
function observer(): EntityLike | undefined {
  for (const c of clients.values()) return c.entity;
  for (const r of registrationsOf(0)) if (r.entity.info.addressFamily === 'ipv4') return r.entity;
  return undefined;
}

function now(rtm: RtmLike): bigint {
  return filetimeOf(rtm.clock, rtm.clock.now());
}

/** Ends a HANDLE/BOOL/ULONG-returning function: records the status for GetLastError. */
function lastError<T>(status: number, value: T): T {
  SetLastError(status);
  return value;
}

/** The entity callback of a client: ages routes out (deletes and reports to every client). */
function onClientEvent(c: Client, type: RtmEventType, c1: unknown, c2: unknown): number {
  if (type !== RTM_ROUTE_EXPIRED) return NO_ERROR;
  const h = c1 as RouteHandle;
  const prefix = isObject(c2) ? (c2 as unknown as RouteOwnerView).prefix : '';
  let before: V1View | null;
  try {
    before = bestOf(c.entity, prefix);
    own(() => c.entity.deleteRouteToDest(h));                      // consumes the callback's reference
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;               // a core bug is never an answer
    c.routes.delete(h);
    return ERROR_NOT_SUPPORTED;                                    // let the RTM delete it (the watch reports it)
  }
  c.routes.delete(h);
  const after = bestOf(c.entity, prefix);
  broadcast(null, classify(before, after), before, after);
  remember(prefix, after);
  return NO_ERROR;
}

// ── Functions ────────────────────────────────────────────────────────────────────────────────────

/**
 * Registers the caller as the handler of `RoutingProtocol` in `ProtocolFamily` (RTM_PROTOCOL_FAMILY_IP).
 * `ChangeEvent`: an object with set()/reset() (e.g. `new ChangeEvent()`) signalled when change messages
 * are queued, or NULL for no messages. `Flags`: 0 or RTM_PROTOCOL_SINGLE_ROUTE. Returns the client handle,
 * or null with GetLastError() = ERROR_CLIENT_ALREADY_EXISTS, ERROR_INVALID_PARAMETER, …
 */
export function RtmRegisterClient(ProtocolFamily: number, RoutingProtocol: number, ChangeEvent: ChangeEventLike | null, Flags: number): HANDLE | null {
  const op = 'RtmRegisterClient';
  try {
    if (ProtocolFamily !== RTM_PROTOCOL_FAMILY_IP) invalidParameter(op, 'only RTM_PROTOCOL_FAMILY_IP is supported');
    if (Flags !== 0 && Flags !== RTM_PROTOCOL_SINGLE_ROUTE) invalidParameter(op, 'Flags');
    const ev = ChangeEvent ?? null;
    if (ev !== null && (!isObject(ev) || typeof ev.set !== 'function' || typeof ev.reset !== 'function')) {
      invalidParameter(op, 'ChangeEvent needs set() and reset()');
    }
    const protocol = u32(RoutingProtocol, op, 'RoutingProtocol');
    const rtm = rtmInstance(0) as unknown as RtmLike;
    const holder: { c?: Client } = {};
    const entity = rtm.registerEntity(
      { addressFamily: AF_INET, protocolId: protocol, instanceId: 0 },
      { onEvent: (type, c1, c2) => (holder.c ? onClientEvent(holder.c, type, c1, c2) : NO_ERROR) },
    );
    const c: Client = {
      handle: entity.handle, entity, rtm, protocol, single: Flags === RTM_PROTOCOL_SINGLE_ROUTE, event: ev, queue: [], routes: new Map(),
    };
    if (!addRegistration(c.handle, { entity, instanceId: 0, api: 'v1' })) {
      entity.deregister();
      throw new RtmError('ERROR_NO_SYSTEM_RESOURCES', op, 'handle collision');
    }
    holder.c = c;
    clients.set(c.handle, c);
    try {
      watch(rtm, entity);
    } catch (err) {
      clients.delete(c.handle);
      removeRegistration(c.handle);
      entity.deregister();
      throw err;
    }
    return lastError(NO_ERROR, c.handle);
  } catch (err) {
    return lastError(statusOf(err), null);
  }
}

/** Deregisters a client; its routes are deleted first, with messages to the other clients. */
export function RtmDeregisterClient(ClientHandle: HANDLE | null): number {
  const op = 'RtmDeregisterClient';
  return guard(() => {
    const c = client(ClientHandle, op);
    for (const v of liveRoutesOf(c)) deleteAndReport(c, v.handle, v.prefix, c);
    own(() => c.entity.deregister());
    clients.delete(c.handle);
    removeRegistration(c.handle);
    c.queue.length = 0;
    if (clients.size === 0) unwatch();
    return NO_ERROR;
  });
}

/**
 * Takes the next change message: `*Flags` = RTM_ROUTE_ADDED / _DELETED / _CHANGED, the current best route
 * in `CurBestRoute` and/or the previous one in `PrevBestRoute` (either may be NULL). Returns NO_ERROR for
 * the last message (the event is reset), ERROR_MORE_MESSAGES while more are queued, ERROR_NO_MESSAGES
 * (event reset) when none was; ERROR_INVALID_HANDLE for a client registered without an event.
 */
export function RtmDequeueRouteChangeMessage(
  ClientHandle: HANDLE | null, Flags: Ref<number>, CurBestRoute: RTM_IP_ROUTE | null, PrevBestRoute: RTM_IP_ROUTE | null,
): number {
  const op = 'RtmDequeueRouteChangeMessage';
  return guard(() => {
    const c = client(ClientHandle, op);
    if (c.event === null) return ERROR_INVALID_HANDLE;
    const flags = outRef(Flags, op, 'Flags');
    if (retry.size > 0 || rescanAll) catchUp();
    const cur = optStruct(CurBestRoute, op, 'CurBestRoute'), prev = optStruct(PrevBestRoute, op, 'PrevBestRoute');
    const m = c.queue.shift();
    if (m === undefined) {
      c.event.reset();
      return ERROR_NO_MESSAGES;
    }
    flags.value = m.flags;
    if (m.cur && cur) copyIpRoute(cur, m.cur);
    if (m.prev && prev) copyIpRoute(prev, m.prev);
    if (c.queue.length > 0) return ERROR_MORE_MESSAGES;
    c.event.reset();
    return NO_ERROR;
  });
}

/** The fields of an RTMv1 route argument, validated. */
function routeArgs(Route: RTM_IP_ROUTE | null | undefined, op: string) {
  const r = struct(Route, op, 'Route');
  const prefix = networkOf(r.RR_Network, op, 'Route.RR_Network');
  const nh = struct(r.RR_NextHopAddress, op, 'Route.RR_NextHopAddress');
  const nextHop = formatIPv4(u32(nh.N_NetNumber, op, 'RR_NextHopAddress.N_NetNumber'));
  const nextHopMask = u32(nh.N_NetMask, op, 'RR_NextHopAddress.N_NetMask');
  const interfaceIndex = u32(r.RR_InterfaceID, op, 'Route.RR_InterfaceID');
  const f = struct(r.RR_FamilySpecificData, op, 'Route.RR_FamilySpecificData');
  const fsd = {} as Record<FsdField, number>;
  for (const k of FSD_FIELDS) fsd[k] = u32(f[k], op, k);
  const psdIn = struct(r.RR_ProtocolSpecificData, op, 'Route.RR_ProtocolSpecificData').PSD_Data;
  if (!psdIn || typeof psdIn !== 'object' || !(psdIn.length >= 4)) invalidParameter(op, 'PSD_Data');
  const psd = [0, 1, 2, 3].map((i) => u32(psdIn[i], op, 'PSD_Data'));
  return { prefix, nextHop, nextHopMask, interfaceIndex, fsd, psd };
}

/**
 * Adds or updates a route of the client (identity: network, interface, next hop; one route per network
 * with RTM_PROTOCOL_SINGLE_ROUTE). `TimeToLive` in seconds (INFINITE = until deleted). `*Flags` =
 * RTM_NO_CHANGE, RTM_ROUTE_ADDED (CurBestRoute filled) or RTM_ROUTE_CHANGED (both filled); the same
 * message goes to the other clients.
 */
export function RtmAddRoute(
  ClientHandle: HANDLE | null, Route: RTM_IP_ROUTE, TimeToLive: number, Flags: Ref<number>, CurBestRoute: RTM_IP_ROUTE | null,
  PrevBestRoute: RTM_IP_ROUTE | null,
): number {
  const op = 'RtmAddRoute';
  return guard(() => {
    const c = client(ClientHandle, op);
    const a = routeArgs(Route, op);
    const flagsOut = outRef(Flags, op, 'Flags');
    const cur = optStruct(CurBestRoute, op, 'CurBestRoute'), prev = optStruct(PrevBestRoute, op, 'PrevBestRoute');
    const ttl = u32(TimeToLive, op, 'TimeToLive');
    if (ttl !== INFINITE && ttl > 2_147_483) invalidParameter(op, 'TimeToLive above 2,147,483 s');
    const e = c.entity;
    const before = bestOf(e, a.prefix);
    const nh = e.addNextHop({ address: a.nextHop, interfaceIndex: a.interfaceIndex });
    const nhHandle = nh.handle!;
    let consumed = false;
    try {
      let esi = new V1RouteData(Object.freeze({ ...a.fsd }), Object.freeze([...a.psd]), a.nextHopMask);
      const old = e.getExactMatchRoute({
        dest: a.prefix, matchFlags: c.single ? RTM_MATCH_OWNER : RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR,
        criteria: { owner: e.handle, neighbour: nhHandle }, views: 0, returnHandle: false,
      });
      if (old !== undefined) {
        e.releaseRouteInfo(old.info);
        if (old.info.entitySpecificInfo instanceof V1RouteData && old.info.entitySpecificInfo.equals(esi)) esi = old.info.entitySpecificInfo;
      }
      let res;
      try {
        res = own(() => e.addRouteToDest({
          dest: a.prefix, neighbour: nhHandle, nextHops: [nhHandle], preference: a.fsd.FSD_Priority, metric: a.fsd.FSD_Metric,
          views: RTM_VIEW_MASK_UCAST, timeToLive: ttl === INFINITE ? INFINITE : ttl * 1000,
          changeFlags: c.single ? RTM_ROUTE_CHANGE_FIRST : 0, entitySpecificInfo: esi,
        }));
      } catch (err) {
        if (err instanceof RtmInternalError) throw err;
        if (nh.changeFlags & RTM_NEXTHOP_CHANGE_NEW) { e.deleteNextHop(nhHandle); consumed = true; }   // leave no trace
        throw err;
      }
      const h = res.handle!;
      c.routes.set(h, now(c.rtm));
      e.releaseRoutes([h]);
    } finally {
      if (!consumed) e.releaseNextHops([nhHandle]);
    }
    const after = bestOf(e, a.prefix);
    const flags = classify(before, after);
    flagsOut.value = flags;
    if (flags & RTM_CURRENT_BEST_ROUTE && cur && after) copyIpRoute(cur, after.route);
    if (flags & RTM_PREVIOUS_BEST_ROUTE && prev && before) copyIpRoute(prev, before.route);
    broadcast(c, flags, before, after);
    remember(a.prefix, after);
    return NO_ERROR;
  });
}

/**
 * Deletes the client's route identified by RR_Network, RR_InterfaceID and RR_NextHopAddress. `*Flags` =
 * RTM_NO_CHANGE, RTM_ROUTE_DELETED (it was the only route) or RTM_ROUTE_CHANGED (CurBestRoute filled);
 * the message goes to the other clients. ERROR_NO_SUCH_ROUTE if there is no such route.
 */
export function RtmDeleteRoute(ClientHandle: HANDLE | null, Route: RTM_IP_ROUTE, Flags: Ref<number>, CurBestRoute: RTM_IP_ROUTE | null): number {
  const op = 'RtmDeleteRoute';
  return guard(() => {
    const c = client(ClientHandle, op);
    const a = routeArgs(Route, op);
    const flagsOut = outRef(Flags, op, 'Flags');
    const cur = optStruct(CurBestRoute, op, 'CurBestRoute');
    const e = c.entity;
    const found = e.findNextHop({ address: a.nextHop, interfaceIndex: a.interfaceIndex });
    if (found === undefined) return ERROR_NO_SUCH_ROUTE;
    let match;
    try {
      match = e.getExactMatchRoute({
        dest: a.prefix, matchFlags: RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR, criteria: { owner: e.handle, neighbour: found.handle }, views: 0,
      });
    } finally {
      e.releaseNextHops([found.handle]);
    }
    if (match === undefined) return ERROR_NO_SUCH_ROUTE;
    e.releaseRouteInfo(match.info);
    const { flags, after } = deleteAndReport(c, match.handle!, match.info.prefix, c);
    flagsOut.value = flags;
    if (flags & RTM_CURRENT_BEST_ROUTE && cur && after) copyIpRoute(cur, after.route);
    return NO_ERROR;
  });
}

const ONLY_MASK = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_BEST_ROUTES;

/** A filter from RTM_ONLY_* flags and a criteria route. */
function filterOf(flags: unknown, crit: RTM_IP_ROUTE | null | undefined, op: string): (v: V1View, obs: EntityLike) => boolean {
  const f = u32(flags, op, 'EnumerationFlags');
  if ((f & ~ONLY_MASK) !== 0) invalidParameter(op, 'unknown EnumerationFlags');
  const needs = f & (RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE | RTM_ONLY_THIS_PROTOCOL);
  const c = needs ? struct(crit, op, 'CriteriaRoute') : undefined;
  const net = f & RTM_ONLY_THIS_NETWORK ? networkOf(c!.RR_Network, op, 'CriteriaRoute.RR_Network') : '';
  const iface = f & RTM_ONLY_THIS_INTERFACE ? u32(c!.RR_InterfaceID, op, 'CriteriaRoute.RR_InterfaceID') : 0;
  const proto = f & RTM_ONLY_THIS_PROTOCOL ? u32(c!.RR_RoutingProtocol, op, 'CriteriaRoute.RR_RoutingProtocol') : 0;
  return (v, obs) => {
    if (f & RTM_ONLY_THIS_NETWORK && v.prefix !== net) return false;
    if (f & RTM_ONLY_THIS_INTERFACE && v.route.RR_InterfaceID !== iface) return false;
    if (f & RTM_ONLY_THIS_PROTOCOL && v.route.RR_RoutingProtocol !== proto) return false;
    if (f & RTM_ONLY_BEST_ROUTES && (obs.isBestRoute(v.handle) & RTM_VIEW_MASK_UCAST) === 0) return false;
    return true;
  };
}

/**
 * Deletes every route of the client that matches the RTM_ONLY_* filters (RTM_ONLY_BEST_ROUTES is ignored:
 * the whole subset goes). Messages go to every client, the caller included. ERROR_NO_ROUTES if none matched.
 */
export function RtmBlockDeleteRoutes(ClientHandle: HANDLE | null, EnumerationFlags: number, CriteriaRoute: RTM_IP_ROUTE | null): number {
  const op = 'RtmBlockDeleteRoutes';
  return guard(() => {
    const c = client(ClientHandle, op);
    const match = filterOf(u32(EnumerationFlags, op, 'EnumerationFlags') & ~RTM_ONLY_BEST_ROUTES, CriteriaRoute, op);
    const mine = liveRoutesOf(c);
    const chosen = mine.filter((v) => match(v, c.entity));
    for (const v of mine) if (!chosen.includes(v)) c.entity.releaseRoutes([v.handle]);
    if (chosen.length === 0) return ERROR_NO_ROUTES;
    for (const v of chosen) deleteAndReport(c, v.handle, v.prefix, null);
    return NO_ERROR;
  });
}

/** Every route of the RTMv1 table (the unicast view) matching `filter`, in table order. */
function collect(obs: EntityLike | undefined, filter: (v: V1View, obs: EntityLike) => boolean): V1View[] {
  if (obs === undefined) return [];
  need(obs, 'routes');
  const out: V1View[] = [];
  for (const h of obs.routes({ views: RTM_VIEW_MASK_UCAST })) {
    const v = v1View(obs, h);
    if (filter(v, obs)) out.push(v);
  }
  return out;
}

/**
 * TRUE if the network has a route (its best route is copied to `BestRoute`, if given); FALSE with
 * GetLastError() NO_ERROR (no route) or ERROR_INVALID_PARAMETER.
 */
export function RtmIsRoute(ProtocolFamily: number, Network: IP_NETWORK, BestRoute: RTM_IP_ROUTE | null): number {
  const op = 'RtmIsRoute';
  try {
    if (ProtocolFamily !== RTM_PROTOCOL_FAMILY_IP) invalidParameter(op, 'only RTM_PROTOCOL_FAMILY_IP is supported');
    const prefix = networkOf(Network, op, 'Network');
    const out = optStruct(BestRoute, op, 'BestRoute');
    const obs = observer();
    const best = obs === undefined ? null : bestOf(obs, prefix);
    if (best === null) return lastError(NO_ERROR, FALSE);
    if (out) copyIpRoute(out, best.route);
    return lastError(NO_ERROR, TRUE);
  } catch (err) {
    return lastError(statusOf(err), FALSE);
  }
}

/** The number of networks with at least one route; 0 with GetLastError() NO_ERROR or ERROR_INVALID_PARAMETER. */
export function RtmGetNetworkCount(ProtocolFamily: number): number {
  const op = 'RtmGetNetworkCount';
  try {
    if (ProtocolFamily !== RTM_PROTOCOL_FAMILY_IP) invalidParameter(op, 'only RTM_PROTOCOL_FAMILY_IP is supported');
    const obs = observer();
    if (obs === undefined) return lastError(NO_ERROR, 0);
    need(obs, 'dests');
    let n = 0;
    for (const _d of obs.dests({ views: RTM_VIEW_MASK_UCAST })) n++;
    return lastError(NO_ERROR, n);
  } catch (err) {
    return lastError(statusOf(err), 0);
  }
}

/**
 * Seconds since the route (as returned by this layer) was added or last updated, from its RR_TimeStamp
 * and instance 0's clock; INFINITE with GetLastError() ERROR_INVALID_PARAMETER for a structure without a
 * valid time stamp.
 */
export function RtmGetRouteAge(Route: RTM_IP_ROUTE): number {
  const rtm = existingInstance(0);
  let ts: unknown;
  try {
    ts = isObject(Route) ? Route.RR_TimeStamp : undefined;   // a hostile structure: a bad time stamp
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;
  }
  if (rtm === undefined || typeof ts !== 'bigint' || ts <= 0n) return lastError(ERROR_INVALID_PARAMETER, INFINITE);
  const t = now(rtm);
  if (ts > t) return lastError(ERROR_INVALID_PARAMETER, INFINITE);
  return lastError(NO_ERROR, Number((t - ts) / 10_000_000n));
}

/**
 * Snapshot enumeration of the routes matching the RTM_ONLY_* filters (fields of `CriteriaRoute`). Returns
 * its handle, or null with GetLastError() ERROR_NO_ROUTES when no route matches (or another error).
 */
export function RtmCreateEnumerationHandle(ProtocolFamily: number, EnumerationFlags: number, CriteriaRoute: RTM_IP_ROUTE | null): HANDLE | null {
  const op = 'RtmCreateEnumerationHandle';
  try {
    if (ProtocolFamily !== RTM_PROTOCOL_FAMILY_IP) invalidParameter(op, 'only RTM_PROTOCOL_FAMILY_IP is supported');
    const routes = collect(observer(), filterOf(EnumerationFlags, CriteriaRoute, op)).map((v) => v.route);
    if (routes.length === 0) return lastError(ERROR_NO_ROUTES, null);
    const h = nextEnumHandle++;
    enums.set(h, { routes, next: 0 });
    return lastError(NO_ERROR, h);
  } catch (err) {
    return lastError(statusOf(err), null);
  }
}

/** Copies the next route of the enumeration into `Route`; ERROR_NO_MORE_ROUTES at the end. */
export function RtmEnumerateGetNextRoute(EnumerationHandle: HANDLE | null, Route: RTM_IP_ROUTE): number {
  const op = 'RtmEnumerateGetNextRoute';
  return guard(() => {
    const en = typeof EnumerationHandle === 'number' ? enums.get(EnumerationHandle) : undefined;
    if (en === undefined) return ERROR_INVALID_HANDLE;
    const out = struct(Route, op, 'Route');
    if (en.next >= en.routes.length) return ERROR_NO_MORE_ROUTES;
    copyIpRoute(out, en.routes[en.next++]);
    return NO_ERROR;
  });
}

/** Frees an enumeration. */
export function RtmCloseEnumerationHandle(EnumerationHandle: HANDLE | null): number {
  if (typeof EnumerationHandle !== 'number' || !enums.delete(EnumerationHandle)) return ERROR_INVALID_HANDLE;
  return NO_ERROR;
}

/** Order of handle-less iteration: network number, mask, protocol, interface, next-hop address. */
function keyOf(r: RTM_IP_ROUTE): number[] {
  return [r.RR_Network.N_NetNumber >>> 0, r.RR_Network.N_NetMask >>> 0, r.RR_RoutingProtocol >>> 0, r.RR_InterfaceID >>> 0,
    r.RR_NextHopAddress.N_NetNumber >>> 0];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function firstOrNext(op: string, ProtocolFamily: number, EnumerationFlags: number, Route: RTM_IP_ROUTE, after: boolean): number {
  return guard(() => {
    if (ProtocolFamily !== RTM_PROTOCOL_FAMILY_IP) invalidParameter(op, 'only RTM_PROTOCOL_FAMILY_IP is supported');
    const r = struct(Route, op, 'Route');
    const filter = filterOf(EnumerationFlags, r, op);
    const from = after ? keyOf(r) : undefined;
    let best: RTM_IP_ROUTE | undefined;
    for (const v of collect(observer(), filter)) {
      const k = keyOf(v.route);
      if (from && compareKeys(k, from) <= 0) continue;
      if (best === undefined || compareKeys(k, keyOf(best)) < 0) best = v.route;
    }
    if (best === undefined) return ERROR_NO_ROUTES;
    copyIpRoute(r, best);
    return NO_ERROR;
  });
}

/**
 * The first route (order: network number, mask, protocol, interface, next hop) matching the RTM_ONLY_*
 * filters, whose criteria are the fields of `*Route`; copied into `*Route`. ERROR_NO_ROUTES if none.
 */
export function RtmGetFirstRoute(ProtocolFamily: number, EnumerationFlags: number, Route: RTM_IP_ROUTE): number {
  return firstOrNext('RtmGetFirstRoute', ProtocolFamily, EnumerationFlags, Route, false);
}

/** The route following `*Route` in RtmGetFirstRoute's order and filter; ERROR_NO_ROUTES after the last. */
export function RtmGetNextRoute(ProtocolFamily: number, EnumerationFlags: number, Route: RTM_IP_ROUTE): number {
  return firstOrNext('RtmGetNextRoute', ProtocolFamily, EnumerationFlags, Route, true);
}

/** rtm.h `RtmGetSpecificRoute(ProtocolFamily, Route)`: RtmGetFirstRoute with the network, protocol and interface of `*Route`. */
export function RtmGetSpecificRoute(ProtocolFamily: number, Route: RTM_IP_ROUTE): number {
  return RtmGetFirstRoute(ProtocolFamily, RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE, Route);
}

/**
 * Longest-prefix match of the host-order address `dwDestAddr` (or dotted text) in the RTMv1 table: TRUE
 * and the best route copied to `prir`, or FALSE (GetLastError() NO_ERROR when nothing matches).
 */
export function RtmLookupIPDestination(dwDestAddr: number | string, prir: RTM_IP_ROUTE): number {
  const op = 'RtmLookupIPDestination';
  try {
    const out = struct(prir, op, 'prir');
    const addr = typeof dwDestAddr === 'string' ? dwDestAddr : formatIPv4(u32(dwDestAddr, op, 'dwDestAddr'));
    const obs = observer();
    if (obs === undefined) return lastError(NO_ERROR, FALSE);
    const d = obs.getMostSpecificDestination({ dest: addr, views: RTM_VIEW_MASK_UCAST, protocolId: 0 });
    if (d === undefined) return lastError(NO_ERROR, FALSE);
    let v: V1View | null = null;
    try {
      const r = d.viewInfo[0]?.route;
      if (r !== undefined) v = v1View(obs, r);
    } finally {
      obs.releaseDestInfo(d);
    }
    if (v === null) return lastError(NO_ERROR, FALSE);
    copyIpRoute(out, v.route);
    return lastError(NO_ERROR, TRUE);
  } catch (err) {
    return lastError(statusOf(err), FALSE);
  }
}
