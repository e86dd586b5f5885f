// The RTMv2 functions of rtmv2.h under their C names and parameter order (API.md §4, spec §8), as a
// thin translation over the idiomatic layer (EntityLike). The C shapes repeat, so the work is done once
// in the shapes below (a release of handle arrays, an info object into a structure, a batch into an
// array, one answer into a Ref, a lock that hands out a pointer, an add by handle) and each function is
// a declaration that names its shape, its entity method and its arguments. No RTMv2 rule is
// implemented here; statuses come from the idiomatic layer's RtmError. Allocates the info objects and
// structures it fills, nothing else.
//
// Conventions:
//  - Every function returns the status number and never throws for an API-level error: RtmError → its
//    status; any other exception (a TypeError from an argument of the wrong type, …) →
//    ERROR_INVALID_PARAMETER. RtmInternalError (a core bug) and exceptions thrown by a client's exported
//    method propagate.
//  - Registration handles are the entity handles of the idiomatic layer; the layer maps each to its
//    entity. An unknown or deregistered registration handle → ERROR_INVALID_HANDLE, checked first. Then
//    the C argument shapes (args.ts): a missing required structure or Ref, an argument of the wrong JS
//    type, or an out-parameter that cannot be written → ERROR_INVALID_PARAMETER (before the other
//    handles are looked at — a deviation from D-05 that only concerns calls that would crash in C).
//    Every input is read and every out-parameter probed before the entity method runs, so a call
//    refused for its arguments changes nothing. Everything else is decided by the idiomatic layer.
//  - Out- and in/out-parameters are Ref<T> ({ value }); `null` where C allows NULL = "not wanted" (no
//    reference is taken). A route/next-hop handle Ref holding a handle means "update this one".
//  - Handle inputs are numbers; 0 and null are NULL. BOOL inputs accept booleans and numbers (non-zero =
//    TRUE); BOOL outputs are TRUE (1) / FALSE (0).
//  - Arrays with a C count: the count says how many entries of the array are used; input arrays must
//    have at least that many entries. Output arrays are filled in place and their length is set to the
//    number of entries written; struct entries already in the array are reused.
//  - Structures the RTM fills (RTM_DEST_INFO, RTM_ROUTE_INFO, RTM_NEXTHOP_INFO) are remembered with the
//    info object they were filled from, so the release functions give back exactly the references the
//    structure was filled with; a structure the layer did not fill is released by the handles in its
//    fields.
//  - Pointers (RtmGetRoutePointer, RtmLockRoute, RtmGetNextHopPointer, RtmLockNextHop, RtmFindNextHop,
//    Context2 of RTM_ROUTE_EXPIRED) are live RTM_ROUTE_INFO / RTM_NEXTHOP_INFO-shaped objects over the
//    owner views (convert.ts). RtmGetOpaqueInformationPointer gives the slot object: read and write
//    `Ref.value.value`.
//  - A function the instance does not implement (a partial EntityLike) → ERROR_NOT_SUPPORTED.

import { RtmError } from '../errors.js';
import type {
  DestHandle, DestInfo, EntityHandle, EntityInfo, EntityLike, EntityMethod, EnumBatch, EnumHandle, EventCallback, Handle, MethodResult, NextHopHandle,
  NextHopInfo, NotifyHandle, OpaqueSlot, PrefixInput, ReferenceableHandle, RouteCriteria, RouteHandle, RouteInfo, RouteListHandle,
  RouteOwnerView, RtmEventType, RtmLike,
} from '../types.js';
import {
  bool, count, dword, fillArray, fillStructs, firstN, handleIn, invalidParameter, isObject, optOutArray, optOutStruct, optRef, optStruct,
  outArray, outRef, outStruct, struct,
} from './args.js';
import {
  ERROR_INSUFFICIENT_BUFFER, ERROR_NO_MORE_ITEMS, ERROR_NO_SYSTEM_RESOURCES, ERROR_NOT_FOUND, FALSE, NO_ERROR,
  RTM_ENTITY_DEREGISTERED, RTM_ENTITY_REGISTERED, RTM_ROUTE_EXPIRED, TRUE,
} from './constants.js';
import {
  destInfoOfStruct, destInfos, entityInfoOfStruct, entityInfoStruct, fillDestInfo, fillEntityInfo, fillNextHopInfo, fillRouteInfo,
  liveNextHop, liveRoute, nextHopInfoOfStruct, nextHopInfos, prefixToNetAddress, routeInfoOfStruct, routeInfos,
  type LiveNextHopInfo, type LiveRouteInfo,
} from './convert.js';
import {
  addRegistration, existingInstance, guard, markUserError, need, registrationOf, removeRegistration, rtmInstance,
} from './instances.js';
import {
  RTM_DEST_INFO, RTM_ENTITY_INFO, RTM_ENTITY_METHOD_INPUT, RTM_ENTITY_METHOD_OUTPUT,
  type HANDLE, type PVOID, type Ref, type RTM_DEST_HANDLE, type RTM_ENTITY_EXPORT_METHOD, type RTM_ENTITY_EXPORT_METHODS,
  type RTM_ENTITY_HANDLE, type RTM_ENUM_FLAGS, type RTM_ENUM_HANDLE, type RTM_EVENT_CALLBACK,
  type RTM_MATCH_FLAGS, type RTM_NET_ADDRESS, type RTM_NEXTHOP_HANDLE, type RTM_NEXTHOP_INFO, type RTM_NOTIFY_FLAGS,
  type RTM_NOTIFY_HANDLE, type RTM_REGN_PROFILE, type RTM_ROUTE_HANDLE, type RTM_ROUTE_INFO, type RTM_ROUTE_LIST_HANDLE,
  type RTM_VIEW_SET,
} from './structs.js';

/** A C BOOL argument: a boolean, or a number (non-zero = TRUE, as TRUE/FALSE are 1/0). */
export type BOOL = boolean | number;

/** An opaque entry of RtmGetEntityMethods: the method's bit (use it only with RtmInvokeMethod). */
export type RTM_ENTITY_METHOD_TOKEN = number;

/** Bytes an RTM_ENTITY_METHOD_OUTPUT record takes before its OutputData (MethodType, MethodStatus, OutputSize). */
const RTM_ENTITY_METHOD_OUTPUT_HEADER_SIZE = 12;

// ── The call: registration handle, entity methods ─────────────────────────────────────────────────

/** The entity behind an RTMv2 registration handle, and its instance. */
function reg(h: unknown, op: string): { readonly e: EntityLike; readonly rtm: RtmLike } {
  const r = registrationOf(h, 'v2');
  const rtm = r === undefined ? undefined : existingInstance(r.instanceId);
  if (r === undefined || rtm === undefined) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad registration handle');
  return { e: r.entity, rtm };
}

/**
 * One RTMv2 call: the registration handle is resolved first (ERROR_INVALID_HANDLE), then `body` reads
 * its arguments and calls the entity; a body that returns nothing succeeded (NO_ERROR). Exceptions
 * become statuses (guard); RtmInternalError and a client method's exceptions propagate.
 */
function call(op: string, h: unknown, body: (e: EntityLike, rtm: RtmLike) => number | void): number {
  return guard(() => {
    const { e, rtm } = reg(h, op);
    return body(e, rtm) ?? NO_ERROR;
  });
}

type Method = { [K in keyof EntityLike]-?: EntityLike[K] extends (...a: never[]) => unknown ? K : never }[keyof EntityLike];
type Fn<K extends Method> = EntityLike[K] extends (...a: infer A) => infer R ? (...a: A) => R : never;

/**
 * `e[m](...args)` when the instance implements `m`, else ERROR_NOT_SUPPORTED. The arguments are
 * evaluated (and so checked) before, as the convention wants.
 */
function invoke<K extends Method>(e: EntityLike, m: K, ...args: Parameters<Fn<K>>): ReturnType<Fn<K>> {
  need(e, m);
  return (e[m] as unknown as (...a: Parameters<Fn<K>>) => ReturnType<Fn<K>>).apply(e, args);
}

// ── Argument conversions of the RTMv2 structures ─────────────────────────────────────────────────

/** The address argument as the idiomatic layer takes it (the struct itself). */
function address(na: RTM_NET_ADDRESS | null | undefined, op: string, name: string): PrefixInput {
  return struct(na, op, name) as PrefixInput;
}

/** `ProtocolId` and `TargetViews` of a destination query or enumeration. */
function query(op: string, ProtocolId: unknown, TargetViews: unknown): { protocolId: number; views: number } {
  return { protocolId: dword(ProtocolId, op, 'ProtocolId'), views: dword(TargetViews, op, 'TargetViews') };
}

/** The owner-writable fields of an RTM_ROUTE_INFO argument. */
function routeFields(ri: RTM_ROUTE_INFO, op: string) {
  const pref = struct(ri.PrefInfo, op, 'RouteInfo.PrefInfo');
  const list = struct(ri.NextHopsList, op, 'RouteInfo.NextHopsList');
  const nextHops = firstN<RTM_NEXTHOP_HANDLE>(list.NextHops, list.NumNextHops, op, 'RouteInfo.NextHopsList.NextHops') as NextHopHandle[];
  return {
    neighbour: handleIn<NextHopHandle>(ri.Neighbour) ?? null, nextHops, metric: pref.Metric, preference: pref.Preference,
    views: ri.BelongsToViews, flags: ri.Flags, flags1: ri.Flags1, entitySpecificInfo: ri.EntitySpecificInfo,
  };
}

/** Matching criteria from an RTM_ROUTE_INFO (RtmGetExactMatchRoute, RtmCreateRouteEnum). */
function criteriaOf(ri: RTM_ROUTE_INFO): RouteCriteria {
  const r = routeInfoOfStruct(ri);
  return { owner: r.owner || null, neighbour: r.neighbour ?? null, preference: r.preference, metric: r.metric, nextHops: r.nextHops };
}

/** Converts a callback's Context2 to its C shape. */
function context2(type: RtmEventType, c2: unknown): unknown {
  if ((type === RTM_ENTITY_REGISTERED || type === RTM_ENTITY_DEREGISTERED) && isObject(c2)) {
    return entityInfoStruct(c2 as never);
  }
  if (type === RTM_ROUTE_EXPIRED && isObject(c2)) return liveRoute(c2 as unknown as RouteOwnerView);
  return c2;
}

/** An RTM_ENTITY_EXPORT_METHOD as an idiomatic EntityMethod: C structures in, results copied back. */
function wrapMethod(m: RTM_ENTITY_EXPORT_METHOD): EntityMethod {
  return (caller, callee, input, output) => {
    const I = new RTM_ENTITY_METHOD_INPUT();
    I.MethodType = input.methodType;
    I.InputSize = input.inputData.length;
    I.InputData = input.inputData;
    const O = new RTM_ENTITY_METHOD_OUTPUT();
    O.MethodType = output.methodType;
    O.MethodStatus = output.methodStatus;
    O.OutputSize = output.outputSize;
    O.OutputData = output.outputData;
    try {
      m(caller, callee, I, O);
    } catch (err) {
      throw markUserError(err);
    }
    output.methodStatus = O.MethodStatus;
    if (O.OutputData instanceof Uint8Array) output.outputData = O.OutputData;
    output.outputSize = O.OutputSize;
  };
}

// ── The structures the RTM fills: how each is filled, remembered, re-derived and released ────────

interface Kind<S extends object, I> {
  fill(s: S, info: I, rtm: RtmLike): void;
  /** The info object carrying the handles in the fields of a structure the layer did not fill. */
  derive(s: S): I;
  release(e: EntityLike, info: I): void;
  /** The info object each filled structure was filled from (absent: nothing to remember). */
  readonly filled?: WeakMap<object, I>;
}

const DEST: Kind<RTM_DEST_INFO, DestInfo> = {
  fill: (s, i, rtm) => fillDestInfo(s, i, rtm.clock), derive: destInfoOfStruct, release: (e, i) => e.releaseDestInfo(i), filled: destInfos,
};
const ROUTE: Kind<RTM_ROUTE_INFO, RouteInfo> = {
  fill: (s, i) => fillRouteInfo(s, i), derive: routeInfoOfStruct, release: (e, i) => e.releaseRouteInfo(i), filled: routeInfos,
};
const NEXTHOP: Kind<RTM_NEXTHOP_INFO, NextHopInfo> = {
  fill: (s, i) => fillNextHopInfo(s, i), derive: nextHopInfoOfStruct, release: (e, i) => e.releaseNextHopInfo(i), filled: nextHopInfos,
};
const ENTITY: Kind<RTM_ENTITY_INFO, EntityInfo> = {
  fill: (s, i) => fillEntityInfo(s, i), derive: entityInfoOfStruct, release: (e, i) => e.releaseEntityInfo(i),
};

/** Fills `s` from `info` and remembers the pair for the release. */
function fillKept<S extends object, I>(k: Kind<S, I>, s: S, info: I, rtm: RtmLike): void {
  k.fill(s, info, rtm);
  k.filled?.set(s, info);
}

/** Gives back what the structures hold through `release`, then forgets them (also when `release` threw after releasing the valid handles). */
function releaseKept<S extends object, I>(k: Kind<S, I>, structs: readonly S[], release: (infos: I[]) => void): void {
  const infos = structs.map((s) => k.filled?.get(s) ?? k.derive(s));
  try {
    release(infos);
  } finally {
    structs.forEach((s, i) => { if (k.filled?.get(s) === infos[i]) k.filled.delete(s); });
  }
}

/** Fills an array of RTM_DEST_INFO in place (entries reused), remembering each. */
function fillDests(a: RTM_DEST_INFO[], items: readonly DestInfo[], rtm: RtmLike): void {
  fillStructs(a, items, () => new RTM_DEST_INFO(), (s, info) => fillKept(DEST, s, info, rtm));
}

// ── Shapes: the C signatures that repeat ──────────────────────────────────────────────────────────

/** RtmGetRegisteredEntities / RtmGetEntityMethods: `*Num` (required) is read as the capacity, then `body` gives the status. */
function withCapacity(op: string, h: unknown, num: Ref<number> | null, name: string, body: (e: EntityLike, cap: number, num: Ref<number>) => number): number {
  return call(op, h, (e) => {
    const n = outRef(num, op, name);
    return body(e, count(n.value, op, name), n);
  });
}

/** Release/reference/insert/ignore: the first `num` entries of a handle array, given to the entity. */
function withHandles<H>(op: string, h: unknown, num: unknown, handles: ArrayLike<unknown> | null, name: string, f: (e: EntityLike, hs: H[]) => void): number {
  return call(op, h, (e) => { f(e, firstN(handles, num, op, name) as H[]); });
}

/** RtmRelease{Entity,Dest,Route,NextHop}Info: gives back what one structure holds. */
function releaseOne<S extends object, I>(op: string, h: unknown, s: S | null, name: string, k: Kind<S, I>): number {
  return call(op, h, (e) => releaseKept(k, [struct(s, op, name)], ([info]) => k.release(e, info)));
}

/** RtmReleaseDests / RtmReleaseChangedDests: gives back what the first `num` RTM_DEST_INFO records hold. */
function releaseDestRecords(
  op: string, h: unknown, num: unknown, records: ArrayLike<RTM_DEST_INFO> | null, name: string, m: Method,
  release: (e: EntityLike, infos: DestInfo[]) => void,
): number {
  return call(op, h, (e) => {
    const structs = firstN(records, num, op, name).map((s) => struct(s, op, `${name}[i]`));
    need(e, m);
    releaseKept(DEST, structs, (infos) => release(e, infos));
  });
}

/** The get-info functions: one info object into the caller's structure (kept for its release); ERROR_NOT_FOUND when there is none. */
function infoInto<S extends object, I>(op: string, h: unknown, s: S | null, name: string, k: Kind<S, I>, get: (e: EntityLike) => I | undefined): number {
  return call(op, h, (e, rtm) => {
    const out = outStruct(s, op, name);
    const info = get(e);
    if (info === undefined) return ERROR_NOT_FOUND;
    fillKept(k, out, info, rtm);
  });
}

type DestQuery = 'getDestInfo' | 'getExactMatchDestination' | 'getMostSpecificDestination' | 'getLessSpecificDestination';

/**
 * The destination queries, one C shape (RtmRegHandle, destination, ProtocolId, TargetViews, DestInfo):
 * the destination is an RTM_NET_ADDRESS for the exact and most-specific matches, a handle otherwise.
 */
function destQuery(op: string, m: DestQuery, h: unknown, dest: unknown, ProtocolId: unknown, TargetViews: unknown, DestInfo: RTM_DEST_INFO | null): number {
  const byAddress = m === 'getExactMatchDestination' || m === 'getMostSpecificDestination';
  return infoInto(op, h, DestInfo, 'DestInfo', DEST, (e) => {
    const o = { dest: byAddress ? address(dest as RTM_NET_ADDRESS, op, 'DestAddress') : dest as DestHandle, ...query(op, ProtocolId, TargetViews) };
    return (e[m] as (o: object) => DestInfo | undefined).call(e, o);
  });
}

/**
 * The batch functions (RtmGetEnumDests/Routes/NextHops, RtmGetChangedDests, RtmGetListEnumRoutes):
 * `*Num` in = at most this many, out = how many were written into the array (in place); `end` (default
 * ERROR_NO_MORE_ITEMS) once the batch reports the end.
 */
function batchInto<T, A>(
  op: string, h: unknown, num: Ref<number> | null, items: A[] | null, names: readonly [num: string, items: string],
  fill: (a: A[], items: readonly T[], rtm: RtmLike) => void, get: (e: EntityLike, count: number) => EnumBatch<T>, end: number = ERROR_NO_MORE_ITEMS,
): number {
  return call(op, h, (e, rtm) => {
    const n = outRef(num, op, names[0]);
    const out = outArray(items, op, names[1]);
    const b = get(e, count(n.value, op, names[0]));
    fill(out, b.items, rtm);
    n.value = b.items.length;
    return b.done ? end : NO_ERROR;
  });
}

/** One answer into an out Ref (converted by `get`); ERROR_NOT_FOUND, the Ref untouched, when there is none. */
function intoRef<T>(op: string, h: unknown, ref: Ref<T> | null, name: string, get: (e: EntityLike) => T | undefined): number {
  return call(op, h, (e) => {
    const out = outRef(ref, op, name);
    const v = get(e);
    if (v === undefined) return ERROR_NOT_FOUND;
    out.value = v;
  });
}

/** RtmLockRoute / RtmLockNextHop: when locking, the Ref (if given) receives the live pointer for the owner, NULL for anyone else. */
function lockInto<V, P>(
  op: string, h: unknown, Exclusive: BOOL, lock: BOOL, ref: Ref<P | null> | null, names: readonly [lock: string, ref: string],
  f: (e: EntityLike, o: { exclusive: boolean; lock: boolean }) => V | undefined, live: (view: V) => P,
): number {
  return call(op, h, (e) => {
    const o = { exclusive: bool(Exclusive, op, 'Exclusive'), lock: bool(lock, op, names[0]) };
    const out = optRef(ref, op, names[1]);
    const view = f(e, o);
    if (o.lock && out !== undefined) out.value = view === undefined ? null : live(view);
  });
}

/**
 * RtmAddRouteToDest / RtmAddNextHop: `handle` a Ref holding a handle = update that one (the Ref stays
 * as it is); a Ref holding NULL = add and receive a referenced handle; NULL = the same without a handle.
 * `add` gets the given handle, whether one is wanted, and the ChangeFlags value read in.
 */
function addInto<H>(
  op: string, handle: Ref<H | null> | null, handleName: string, ChangeFlags: Ref<number>,
  add: (given: H | undefined, returnHandle: boolean, flagsIn: unknown) => { readonly handle?: H; readonly changeFlags: number },
): void {
  const handleRef = optRef(handle, op, handleName);
  const flags = outRef(ChangeFlags, op, 'ChangeFlags');
  const given = handleRef === undefined ? undefined : handleIn<H>(handleRef.value);
  const res = add(given, handleRef !== undefined, flags.value);
  if (handleRef !== undefined && given === undefined) handleRef.value = res.handle ?? null;
  flags.value = res.changeFlags;
}

// ── 8.1 Registration and entity information ──────────────────────────────────────────────────────

/**
 * Registers an entity with instance `RtmEntityInfo.RtmInstanceId` (created on first use, see
 * rtmInstance) and its table of `RtmEntityInfo.AddressFamily`. `EventCallback` keeps the C order
 * (RtmRegHandle, EventType, Context1, Context2); Context2 is a fresh RTM_ENTITY_INFO for
 * RTM_ENTITY_REGISTERED/DEREGISTERED, the route's live RTM_ROUTE_INFO for RTM_ROUTE_EXPIRED, the
 * NotifyContext for RTM_CHANGE_NOTIFICATION. `ExportMethods.Methods[i]` answers method bit 1 << i.
 * Fills `*RtmRegProfile` and `*RtmRegHandle`.
 */
export function RtmRegisterEntity(
  RtmEntityInfo: RTM_ENTITY_INFO, ExportMethods: RTM_ENTITY_EXPORT_METHODS | null, EventCallback: RTM_EVENT_CALLBACK | null,
  ReserveOpaquePointer: BOOL, RtmRegProfile: RTM_REGN_PROFILE, RtmRegHandle: Ref<RTM_ENTITY_HANDLE | null>,
): number {
  const op = 'RtmRegisterEntity';
  return guard(() => {
    const info = struct(RtmEntityInfo, op, 'RtmEntityInfo');
    const id = struct(info.EntityId, op, 'RtmEntityInfo.EntityId');
    const profile = outStruct(RtmRegProfile, op, 'RtmRegProfile');
    const out = outRef(RtmRegHandle, op, 'RtmRegHandle');
    const reserve = bool(ReserveOpaquePointer, op, 'ReserveOpaquePointer');
    if (EventCallback !== null && EventCallback !== undefined && typeof EventCallback !== 'function') {
      invalidParameter(op, 'EventCallback must be a function or NULL');
    }
    const em = optStruct(ExportMethods, op, 'ExportMethods');
    const methods: RTM_ENTITY_EXPORT_METHOD[] = em === undefined ? [] : firstN(em.Methods, em.NumMethods, op, 'ExportMethods.Methods');
    if (methods.some((m) => typeof m !== 'function')) invalidParameter(op, 'ExportMethods.Methods entries must be functions');
    const identity = {
      addressFamily: dword(info.AddressFamily, op, 'RtmEntityInfo.AddressFamily'),
      protocolId: dword(id.EntityProtocolId, op, 'EntityProtocolId'), instanceId: dword(id.EntityInstanceId, op, 'EntityInstanceId'),
    };
    const instanceId = info.RtmInstanceId;
    if (typeof instanceId !== 'number' || !Number.isInteger(instanceId) || instanceId < 0 || instanceId > 0xffff) {
      invalidParameter(op, 'RtmEntityInfo.RtmInstanceId must be a USHORT');
    }
    let rtm: RtmLike;
    try {
      rtm = rtmInstance(instanceId) as unknown as RtmLike;
    } catch (err) {
      if (err instanceof RtmError) throw err;
      throw markUserError(err);                                   // the environment (core loading), not the caller
    }
    let handle = 0;
    const cb = EventCallback ?? undefined;
    const onEvent: EventCallback | undefined = cb === undefined ? undefined
      : (type, c1, c2) => cb(handle, type, c1, context2(type, c2));
    const entity = rtm.registerEntity(identity, { onEvent, reserveOpaquePointer: reserve, exportMethods: methods.map(wrapMethod) });
    handle = entity.handle;
    if (!addRegistration(handle, { entity, instanceId, api: 'v2' })) {
      entity.deregister();                                        // handle numbers collide across instances
      return ERROR_NO_SYSTEM_RESOURCES;
    }
    profile.MaxNextHopsInRoute = entity.profile.maxNextHopsInRoute;
    profile.MaxHandlesInEnum = entity.profile.maxHandlesInEnum;
    profile.ViewsSupported = entity.profile.viewsSupported;
    profile.NumberOfViews = entity.profile.numberOfViews;
    out.value = handle;
    return NO_ERROR;
  });
}

/** Deregisters the entity (clean-up of spec §7.16); the handle is invalid afterwards. */
export function RtmDeregisterEntity(RtmRegHandle: RTM_ENTITY_HANDLE | null): number {
  return call('RtmDeregisterEntity', RtmRegHandle, (e) => {
    e.deregister();
    removeRegistration(RtmRegHandle as number);
  });
}

/**
 * The entities of the caller's table (caller included, registration order). `*NumEntities` in: capacity;
 * out: the total number registered. Fills up to the capacity (each handle referenced: RtmReleaseEntities;
 * no reference is taken for handles not written, e.g. with `EntityHandles` NULL) and returns
 * ERROR_INSUFFICIENT_BUFFER when the capacity is below the total.
 */
export function RtmGetRegisteredEntities(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NumEntities: Ref<number>, EntityHandles: RTM_ENTITY_HANDLE[] | null,
  EntityInfos: RTM_ENTITY_INFO[] | null,
): number {
  const op = 'RtmGetRegisteredEntities';
  return withCapacity(op, RtmRegHandle, NumEntities, 'NumEntities', (e, cap, num) => {
    const handles = optOutArray(EntityHandles, op, 'EntityHandles');
    const infos = optOutArray(EntityInfos, op, 'EntityInfos');
    const all = e.getRegisteredEntities();
    const n = Math.min(cap, all.length);
    const unwritten = (handles ? all.slice(n) : all).map((x) => x.handle);
    if (unwritten.length > 0) e.releaseEntities(unwritten);
    if (handles) fillArray(handles, all.slice(0, n).map((x) => x.handle));
    if (infos) fillStructs(infos, all.slice(0, n), () => new RTM_ENTITY_INFO(), (s, x) => fillEntityInfo(s, x.info));
    num.value = all.length;
    return all.length > cap ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
  });
}

/** Releases one reference on each of the first `NumEntities` entity handles. */
export function RtmReleaseEntities(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumEntities: number, EntityHandles: ArrayLike<RTM_ENTITY_HANDLE | null>): number {
  return withHandles<EntityHandle>('RtmReleaseEntities', RtmRegHandle, NumEntities, EntityHandles, 'EntityHandles', (e, hs) => e.releaseEntities(hs));
}

/** Fills `*EntityInfo` with the identity of `EntityHandle`. */
export function RtmGetEntityInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityHandle: RTM_ENTITY_HANDLE | null, EntityInfo: RTM_ENTITY_INFO): number {
  return infoInto('RtmGetEntityInfo', RtmRegHandle, EntityInfo, 'EntityInfo', ENTITY, (e) => e.getEntityInfo(EntityHandle as EntityHandle));
}

/** Counterpart of RtmGetEntityInfo (the structure holds no handles). */
export function RtmReleaseEntityInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityInfo: RTM_ENTITY_INFO): number {
  return releaseOne('RtmReleaseEntityInfo', RtmRegHandle, EntityInfo, 'EntityInfo', ENTITY);
}

// ── 8.2 Destination locking and opaque pointers ──────────────────────────────────────────────────

/** Locks (LockDest TRUE) or unlocks a destination, shared or exclusive. */
export function RtmLockDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, Exclusive: BOOL, LockDest: BOOL): number {
  const op = 'RtmLockDestination';
  return call(op, RtmRegHandle, (e) => {
    invoke(e, 'lockDestination', { dest: DestHandle as DestHandle, exclusive: bool(Exclusive, op, 'Exclusive'), lock: bool(LockDest, op, 'LockDest') });
  });
}

/**
 * `*OpaqueInfoPointer` = the caller's opaque slot in the destination (the `PVOID*`): read and write
 * `OpaqueInfoPointer.value.value`. ERROR_NOT_FOUND (output untouched) if the caller reserved no slot.
 */
export function RtmGetOpaqueInformationPointer(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, OpaqueInfoPointer: Ref<OpaqueSlot | null>,
): number {
  return intoRef('RtmGetOpaqueInformationPointer', RtmRegHandle, OpaqueInfoPointer, 'OpaqueInfoPointer',
    (e) => invoke(e, 'getOpaqueInformationPointer', DestHandle as DestHandle));
}

// ── 8.3 Entity methods ───────────────────────────────────────────────────────────────────────────

/**
 * The methods `EntityHandle` exports, as opaque tokens (their method bits). `*NumMethods` 0: sets it to
 * the count (NO_ERROR). Otherwise copies up to `*NumMethods` tokens into `ExptMethods` (required then)
 * and sets `*NumMethods` to the number copied; ERROR_INSUFFICIENT_BUFFER if there are more.
 */
export function RtmGetEntityMethods(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityHandle: RTM_ENTITY_HANDLE | null, NumMethods: Ref<number>,
  ExptMethods: RTM_ENTITY_METHOD_TOKEN[] | null,
): number {
  const op = 'RtmGetEntityMethods';
  return withCapacity(op, RtmRegHandle, NumMethods, 'NumMethods', (e, cap, num) => {
    const out = cap === 0 ? undefined : outArray(ExptMethods, op, 'ExptMethods');
    const bits = invoke(e, 'getEntityMethods', EntityHandle as EntityHandle);
    if (out === undefined) {
      num.value = bits.length;
      return NO_ERROR;
    }
    fillArray(out, bits.slice(0, cap));
    num.value = out.length;
    return bits.length > cap ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
  });
}

/**
 * Invokes the methods of `EntityHandle` selected by `Input.MethodType`, synchronously, with
 * `Input.InputData[0..InputSize)`. `*OutputSize` in: bytes available for the output records; out: bytes
 * used. A record takes 12 bytes (MethodType, MethodStatus, OutputSize) plus its OutputSize; each method
 * may use up to (available − 12) data bytes. `Output` is filled in place with one RTM_ENTITY_METHOD_OUTPUT
 * per invoked method (ascending bit order) while records fit (later ones are dropped; the methods still
 * ran). Fewer than 12 bytes available → ERROR_INVALID_PARAMETER.
 */
export function RtmInvokeMethod(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityHandle: RTM_ENTITY_HANDLE | null, Input: RTM_ENTITY_METHOD_INPUT,
  OutputSize: Ref<number>, Output: RTM_ENTITY_METHOD_OUTPUT[],
): number {
  const op = 'RtmInvokeMethod';
  const HEADER = RTM_ENTITY_METHOD_OUTPUT_HEADER_SIZE;
  return call(op, RtmRegHandle, (e) => {
    const input = struct(Input, op, 'Input');
    const size = outRef(OutputSize, op, 'OutputSize');
    const out = outArray(Output, op, 'Output');
    const avail = count(size.value, op, 'OutputSize');
    if (avail < HEADER) invalidParameter(op, 'OutputSize is below one record header');
    const inSize = count(input.InputSize, op, 'Input.InputSize');
    if (!(input.InputData instanceof Uint8Array) || input.InputData.length < inSize) invalidParameter(op, 'Input.InputData');
    const results = invoke(e, 'invokeMethod', {
      entity: EntityHandle as EntityHandle, methodType: dword(input.MethodType, op, 'Input.MethodType'),
      inputData: input.InputData.subarray(0, inSize), outputCapacity: avail - HEADER,
    });
    let used = 0;
    const fit: { readonly r: MethodResult; readonly n: number }[] = [];
    for (const r of results) {
      if (avail - used < HEADER) break;
      const n = Math.min(r.outputData.length, avail - used - HEADER);
      fit.push({ r, n });
      used += HEADER + n;
    }
    fillStructs(out, fit, () => new RTM_ENTITY_METHOD_OUTPUT(), (rec, { r, n }) => {
      rec.MethodType = r.methodType;
      rec.MethodStatus = r.methodStatus;
      rec.OutputSize = n;
      rec.OutputData = r.outputData.slice(0, n);
    });
    size.value = used;
  });
}

/** Blocks (RTM_BLOCK_METHODS) or resumes (RTM_RESUME_METHODS) the caller's methods. */
export function RtmBlockMethods(RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetHandle: HANDLE | null, TargetType: number | null, BlockingFlag: number): number {
  const op = 'RtmBlockMethods';
  return call(op, RtmRegHandle, (e) => {
    invoke(e, 'blockMethods', {
      blockingFlag: dword(BlockingFlag, op, 'BlockingFlag'), targetHandle: handleIn<Handle>(TargetHandle) ?? null,
      targetType: TargetType === null || TargetType === undefined ? 0 : dword(TargetType, op, 'TargetType'),
    });
  });
}

// ── 8.4 Information retrieval and release ────────────────────────────────────────────────────────

/** Fills `*DestInfo` (one ViewInfo entry per requested supported view). Release with RtmReleaseDestInfo. */
export function RtmGetDestInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ProtocolId: number, TargetViews: RTM_VIEW_SET, DestInfo: RTM_DEST_INFO): number {
  return destQuery('RtmGetDestInfo', 'getDestInfo', RtmRegHandle, DestHandle, ProtocolId, TargetViews, DestInfo);
}

/** Fills `*RouteInfo` (handles referenced: RtmReleaseRouteInfo) and/or `*DestAddress`; either may be NULL. */
export function RtmGetRouteInfo(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, RouteInfo: RTM_ROUTE_INFO | null,
  DestAddress: RTM_NET_ADDRESS | null,
): number {
  const op = 'RtmGetRouteInfo';
  return call(op, RtmRegHandle, (e, rtm) => {
    const out = optOutStruct(RouteInfo, op, 'RouteInfo');
    const addr = optOutStruct(DestAddress, op, 'DestAddress');
    const info = e.getRouteInfo(RouteHandle as RouteHandle);
    if (out !== undefined) fillKept(ROUTE, out, info, rtm);
    else e.releaseRouteInfo(info);                                // not wanted: no references kept
    if (addr !== undefined) prefixToNetAddress(info.prefix, addr);
  });
}

/** Fills `*NextHopInfo` (NextHopOwner and RemoteNextHop referenced: RtmReleaseNextHopInfo). */
export function RtmGetNextHopInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO): number {
  return infoInto('RtmGetNextHopInfo', RtmRegHandle, NextHopInfo, 'NextHopInfo', NEXTHOP, (e) => e.getNextHopInfo(NextHopHandle as NextHopHandle));
}

/** Gives back the references an RTM_DEST_INFO holds. */
export function RtmReleaseDestInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestInfo: RTM_DEST_INFO): number {
  return releaseOne('RtmReleaseDestInfo', RtmRegHandle, DestInfo, 'DestInfo', DEST);
}

/** Gives back the references an RTM_ROUTE_INFO holds. */
export function RtmReleaseRouteInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteInfo: RTM_ROUTE_INFO): number {
  return releaseOne('RtmReleaseRouteInfo', RtmRegHandle, RouteInfo, 'RouteInfo', ROUTE);
}

/** Gives back the references an RTM_NEXTHOP_INFO holds. */
export function RtmReleaseNextHopInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO): number {
  return releaseOne('RtmReleaseNextHopInfo', RtmRegHandle, NextHopInfo, 'NextHopInfo', NEXTHOP);
}

// ── 8.5 Adding, updating and deleting routes ─────────────────────────────────────────────────────

/**
 * Adds or updates a route. `RouteHandle`: a Ref holding a handle = update that route (unchanged on
 * output); a Ref holding NULL = add or update per §7.2 and receive a referenced handle; NULL = the same
 * without a handle. `*ChangeFlags` in: RTM_ROUTE_CHANGE_NEW / _FIRST; out: NEW and/or BEST.
 * `TimeToLive` in ms (INFINITE = never). `NotifyType`/`NotifyHandle` are reserved and ignored.
 */
export function RtmAddRouteToDest(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: Ref<RTM_ROUTE_HANDLE | null> | null, DestAddress: RTM_NET_ADDRESS,
  RouteInfo: RTM_ROUTE_INFO, TimeToLive: number, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, NotifyType: RTM_NOTIFY_FLAGS,
  NotifyHandle: RTM_NOTIFY_HANDLE | null, ChangeFlags: Ref<number>,
): number {
  const op = 'RtmAddRouteToDest';
  void NotifyType; void NotifyHandle;
  return call(op, RtmRegHandle, (e) => addInto<RouteHandle>(op, RouteHandle as Ref<RouteHandle | null>, 'RouteHandle', ChangeFlags, (route, returnHandle, flags) => e.addRouteToDest({
    ...routeFields(struct(RouteInfo, op, 'RouteInfo'), op), dest: address(DestAddress, op, 'DestAddress'), route: route ?? null,
    timeToLive: dword(TimeToLive, op, 'TimeToLive'), routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null,
    changeFlags: dword(flags, op, 'ChangeFlags'), returnHandle,
  })));
}

/** Deletes one of the caller's routes, consuming the caller's reference; `*ChangeFlags` = RTM_ROUTE_CHANGE_BEST or 0. */
export function RtmDeleteRouteToDest(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, ChangeFlags: Ref<number>): number {
  return intoRef('RtmDeleteRouteToDest', RtmRegHandle, ChangeFlags, 'ChangeFlags', (e) => e.deleteRouteToDest(RouteHandle as RouteHandle));
}

/** Arms hold-down on the destination for `TargetViews` (`HoldTime` ms, INFINITE = longest). */
export function RtmHoldDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, TargetViews: RTM_VIEW_SET, HoldTime: number): number {
  const op = 'RtmHoldDestination';
  return call(op, RtmRegHandle, (e) => {
    invoke(e, 'holdDestination', { dest: DestHandle as DestHandle, views: dword(TargetViews, op, 'TargetViews'), holdTime: dword(HoldTime, op, 'HoldTime') });
  });
}

/** `*RoutePointer` = the owner's live RTM_ROUTE_INFO of its route (no reference). */
export function RtmGetRoutePointer(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, RoutePointer: Ref<RTM_ROUTE_INFO | LiveRouteInfo | null>): number {
  return intoRef('RtmGetRoutePointer', RtmRegHandle, RoutePointer, 'RoutePointer', (e) => liveRoute(invoke(e, 'getRoutePointer', RouteHandle as RouteHandle)));
}

/**
 * Locks (LockRoute TRUE) or unlocks a route (its destination). When locking, `*RoutePointer` (if given)
 * receives the live RTM_ROUTE_INFO for the owner, NULL for anyone else. An exclusive unlock by the owner
 * commits edits made through the pointer.
 */
export function RtmLockRoute(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, Exclusive: BOOL, LockRoute: BOOL, RoutePointer: Ref<RTM_ROUTE_INFO | LiveRouteInfo | null> | null,
): number {
  return lockInto('RtmLockRoute', RtmRegHandle, Exclusive, LockRoute, RoutePointer, ['LockRoute', 'RoutePointer'], (e, o) => invoke(e, 'lockRoute', { route: RouteHandle as RouteHandle, ...o }), liveRoute);
}

/**
 * Commits the edits made through the route pointer, restarts the TTL (ms), optionally moves the route to
 * a list, and unlocks; `*ChangeFlags` = RTM_ROUTE_CHANGE_BEST or 0. On error the route stays locked.
 */
export function RtmUpdateAndUnlockRoute(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, TimeToLive: number,
  RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, NotifyType: RTM_NOTIFY_FLAGS, NotifyHandle: RTM_NOTIFY_HANDLE | null,
  ChangeFlags: Ref<number>,
): number {
  const op = 'RtmUpdateAndUnlockRoute';
  void NotifyType; void NotifyHandle;
  return intoRef(op, RtmRegHandle, ChangeFlags, 'ChangeFlags', (e) => invoke(e, 'updateAndUnlockRoute', {
    route: RouteHandle as RouteHandle, timeToLive: dword(TimeToLive, op, 'TimeToLive'), routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null,
  }));
}

// ── 8.6 Table queries ────────────────────────────────────────────────────────────────────────────

/** The destination exactly equal to `DestAddress` (in one of `TargetViews`; any present one with 0). */
export function RtmGetExactMatchDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestAddress: RTM_NET_ADDRESS, ProtocolId: number, TargetViews: RTM_VIEW_SET, DestInfo: RTM_DEST_INFO): number {
  return destQuery('RtmGetExactMatchDestination', 'getExactMatchDestination', RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo);
}

/** Longest-prefix match of `DestAddress` among destinations in `TargetViews` (populated ones with 0). */
export function RtmGetMostSpecificDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestAddress: RTM_NET_ADDRESS, ProtocolId: number, TargetViews: RTM_VIEW_SET, DestInfo: RTM_DEST_INFO): number {
  return destQuery('RtmGetMostSpecificDestination', 'getMostSpecificDestination', RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo);
}

/** The next shorter prefix covering `DestHandle`'s destination; ERROR_NOT_FOUND above 0/0. */
export function RtmGetLessSpecificDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ProtocolId: number, TargetViews: RTM_VIEW_SET, DestInfo: RTM_DEST_INFO): number {
  return destQuery('RtmGetLessSpecificDestination', 'getLessSpecificDestination', RtmRegHandle, DestHandle, ProtocolId, TargetViews, DestInfo);
}

/**
 * The first route of the destination equal to `DestAddress` that is in `TargetViews` and matches
 * `MatchingFlags` against the criteria in `*RouteInfo` (RouteOwner, Neighbour, PrefInfo, NextHopsList)
 * and `InterfaceIndex`. On success `*RouteInfo` is overwritten (handles referenced) and `*RouteHandle`
 * (if given) receives a referenced handle.
 */
export function RtmGetExactMatchRoute(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestAddress: RTM_NET_ADDRESS, MatchingFlags: RTM_MATCH_FLAGS, RouteInfo: RTM_ROUTE_INFO,
  InterfaceIndex: number, TargetViews: RTM_VIEW_SET, RouteHandle: Ref<RTM_ROUTE_HANDLE | null> | null,
): number {
  const op = 'RtmGetExactMatchRoute';
  return call(op, RtmRegHandle, (e, rtm) => {
    const ri = outStruct(RouteInfo, op, 'RouteInfo');
    const handleRef = optRef(RouteHandle, op, 'RouteHandle');
    const r = e.getExactMatchRoute({
      dest: address(DestAddress, op, 'DestAddress'), matchFlags: dword(MatchingFlags, op, 'MatchingFlags'), criteria: criteriaOf(ri),
      interfaceIndex: dword(InterfaceIndex, op, 'InterfaceIndex'), views: dword(TargetViews, op, 'TargetViews'),
      returnHandle: handleRef !== undefined,
    });
    if (r === undefined) return ERROR_NOT_FOUND;
    fillKept(ROUTE, ri, r.info, rtm);
    if (handleRef !== undefined) handleRef.value = r.handle ?? null;
  });
}

/** `*BestInViews` = the views in which the route is the best route (0 if none). */
export function RtmIsBestRoute(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, BestInViews: Ref<RTM_VIEW_SET>): number {
  return intoRef('RtmIsBestRoute', RtmRegHandle, BestInViews, 'BestInViews', (e) => e.isBestRoute(RouteHandle as RouteHandle));
}

// ── 8.7 Next hops ────────────────────────────────────────────────────────────────────────────────

/**
 * Adds a next hop to the caller's list or updates one. `NextHopHandle`: a Ref holding a handle = update
 * that next hop; a Ref holding NULL = find-or-create by (NextHopAddress, InterfaceIndex) and receive a
 * referenced handle; NULL = the same without a handle. `*ChangeFlags` = RTM_NEXTHOP_CHANGE_NEW or 0.
 */
export function RtmAddNextHop(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO, NextHopHandle: Ref<RTM_NEXTHOP_HANDLE | null> | null,
  ChangeFlags: Ref<number>,
): number {
  const op = 'RtmAddNextHop';
  return call(op, RtmRegHandle, (e) => {
    const info = struct(NextHopInfo, op, 'NextHopInfo');
    addInto<NextHopHandle>(op, NextHopHandle as Ref<NextHopHandle | null>, 'NextHopHandle', ChangeFlags, (nextHop, returnHandle) => e.addNextHop({
      address: address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress'), interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex'),
      flags: dword(info.Flags, op, 'Flags'), entitySpecificInfo: info.EntitySpecificInfo,
      remoteNextHop: handleIn<DestHandle>(info.RemoteNextHop) ?? null, nextHop: nextHop ?? null, returnHandle,
    }));
  });
}

/**
 * Finds the caller's next hop (NextHopAddress, InterfaceIndex): `*NextHopHandle` receives a referenced
 * handle, `*NextHopPointer` (if given) the live RTM_NEXTHOP_INFO, valid while the handle is held.
 */
export function RtmFindNextHop(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO, NextHopHandle: Ref<RTM_NEXTHOP_HANDLE | null>,
  NextHopPointer: Ref<RTM_NEXTHOP_INFO | LiveNextHopInfo | null> | null,
): number {
  const op = 'RtmFindNextHop';
  return call(op, RtmRegHandle, (e) => {
    const info = struct(NextHopInfo, op, 'NextHopInfo');
    const out = outRef(NextHopHandle, op, 'NextHopHandle');
    const ptr = optRef(NextHopPointer, op, 'NextHopPointer');
    const r = e.findNextHop({ address: address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress'), interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex') });
    if (r === undefined) return ERROR_NOT_FOUND;
    out.value = r.handle;
    if (ptr !== undefined) ptr.value = liveNextHop(r.pointer);
  });
}

/**
 * Deletes one of the caller's next hops, by handle (consuming the caller's reference) or, with a NULL
 * handle, by (NextHopAddress, InterfaceIndex) of `NextHopInfo`; both NULL → ERROR_INVALID_PARAMETER.
 */
export function RtmDeleteNextHop(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO | null): number {
  const op = 'RtmDeleteNextHop';
  return call(op, RtmRegHandle, (e) => {
    const h = handleIn<NextHopHandle>(NextHopHandle);
    const info = h !== undefined ? undefined : struct(NextHopInfo, op, 'NextHopInfo (with a NULL handle)');
    e.deleteNextHop(info === undefined ? h! : {
      address: address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress'), interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex'),
    });
  });
}

/** `*NextHopPointer` = the owner's live RTM_NEXTHOP_INFO of its next hop (no reference). */
export function RtmGetNextHopPointer(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopPointer: Ref<RTM_NEXTHOP_INFO | LiveNextHopInfo | null>,
): number {
  return intoRef('RtmGetNextHopPointer', RtmRegHandle, NextHopPointer, 'NextHopPointer', (e) => liveNextHop(e.getNextHopPointer(NextHopHandle as NextHopHandle)));
}

/**
 * Locks or unlocks a next hop; when locking, `*NextHopPointer` (if given) receives the live
 * RTM_NEXTHOP_INFO for the owner, NULL for anyone else. The exclusive unlock commits Flags,
 * EntitySpecificInfo and RemoteNextHop edits (identity edits: reverted, ERROR_INVALID_PARAMETER).
 */
export function RtmLockNextHop(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, Exclusive: BOOL, LockNextHop: BOOL, NextHopPointer: Ref<RTM_NEXTHOP_INFO | LiveNextHopInfo | null> | null,
): number {
  return lockInto('RtmLockNextHop', RtmRegHandle, Exclusive, LockNextHop, NextHopPointer, ['LockNextHop', 'NextHopPointer'], (e, o) => invoke(e, 'lockNextHop', { nextHop: NextHopHandle as NextHopHandle, ...o }), liveNextHop);
}

// ── 8.8 Enumerations ─────────────────────────────────────────────────────────────────────────────

/** Creates a destination enumeration (`NetAddress` may be NULL with RTM_ENUM_START). */
export function RtmCreateDestEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetViews: RTM_VIEW_SET, EnumFlags: RTM_ENUM_FLAGS, NetAddress: RTM_NET_ADDRESS | null,
  ProtocolId: number, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateDestEnum';
  return intoRef(op, RtmRegHandle, RtmEnumHandle, 'RtmEnumHandle', (e) => invoke(e, 'createDestEnum', {
    startDest: optStruct(NetAddress, op, 'NetAddress') as PrefixInput | undefined, enumFlags: dword(EnumFlags, op, 'EnumFlags'),
    ...query(op, ProtocolId, TargetViews),
  }));
}

/**
 * The next batch of destinations: `*NumDests` in: at most this many (≤ MaxHandlesInEnum); out: how many
 * were written to `DestInfos` (in place; release with RtmReleaseDests). ERROR_NO_MORE_ITEMS once the
 * enumeration is exhausted after this call (the batch may still hold destinations).
 */
export function RtmGetEnumDests(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumDests: Ref<number>, DestInfos: RTM_DEST_INFO[]): number {
  return batchInto('RtmGetEnumDests', RtmRegHandle, NumDests, DestInfos, ['NumDests', 'DestInfos'], fillDests,
    (e, n) => invoke(e, 'getEnumDests', { enumHandle: EnumHandle as EnumHandle, count: n }));
}

/** Releases the references of the first `NumDests` records from RtmGetEnumDests. */
export function RtmReleaseDests(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumDests: number, DestInfos: ArrayLike<RTM_DEST_INFO>): number {
  return releaseDestRecords('RtmReleaseDests', RtmRegHandle, NumDests, DestInfos, 'DestInfos', 'releaseDests', (e, infos) => e.releaseDests(infos));
}

/**
 * Creates a route enumeration: the routes of `DestHandle`, or (NULL) of the destinations chosen by the
 * range flag and `StartDest`; filtered by views, ownership and `MatchingFlags` against `CriteriaRoute`
 * and `CriteriaInterface`.
 */
export function RtmCreateRouteEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, TargetViews: RTM_VIEW_SET, EnumFlags: RTM_ENUM_FLAGS,
  StartDest: RTM_NET_ADDRESS | null, MatchingFlags: RTM_MATCH_FLAGS, CriteriaRoute: RTM_ROUTE_INFO | null, CriteriaInterface: number,
  RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateRouteEnum';
  return intoRef(op, RtmRegHandle, RtmEnumHandle, 'RtmEnumHandle', (e) => {
    const crit = optStruct(CriteriaRoute, op, 'CriteriaRoute');
    return invoke(e, 'createRouteEnum', {
      dest: handleIn<DestHandle>(DestHandle) ?? null, views: dword(TargetViews, op, 'TargetViews'), enumFlags: dword(EnumFlags, op, 'EnumFlags'),
      startDest: optStruct(StartDest, op, 'StartDest') as PrefixInput | undefined, matchFlags: dword(MatchingFlags, op, 'MatchingFlags'),
      criteria: crit === undefined ? undefined : criteriaOf(crit), interfaceIndex: dword(CriteriaInterface, op, 'CriteriaInterface'),
    });
  });
}

/** The next batch of route handles (referenced: RtmReleaseRoutes); ERROR_NO_MORE_ITEMS as RtmGetEnumDests. */
export function RtmGetEnumRoutes(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumRoutes: Ref<number>, RouteHandles: RTM_ROUTE_HANDLE[]): number {
  return batchInto('RtmGetEnumRoutes', RtmRegHandle, NumRoutes, RouteHandles, ['NumRoutes', 'RouteHandles'], fillArray,
    (e, n) => invoke(e, 'getEnumRoutes', { enumHandle: EnumHandle as EnumHandle, count: n }));
}

/** Releases one reference on each of the first `NumRoutes` route handles. */
export function RtmReleaseRoutes(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumRoutes: number, RouteHandles: ArrayLike<RTM_ROUTE_HANDLE | null>): number {
  return withHandles<RouteHandle>('RtmReleaseRoutes', RtmRegHandle, NumRoutes, RouteHandles, 'RouteHandles', (e, hs) => e.releaseRoutes(hs));
}

/** Creates an enumeration of the caller's next hops by address range. */
export function RtmCreateNextHopEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumFlags: RTM_ENUM_FLAGS, NetAddress: RTM_NET_ADDRESS | null, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateNextHopEnum';
  return intoRef(op, RtmRegHandle, RtmEnumHandle, 'RtmEnumHandle', (e) => invoke(e, 'createNextHopEnum', {
    address: optStruct(NetAddress, op, 'NetAddress') as PrefixInput | undefined, enumFlags: dword(EnumFlags, op, 'EnumFlags'),
  }));
}

/** The next batch of next-hop handles (referenced: RtmReleaseNextHops); ERROR_NO_MORE_ITEMS at the end. */
export function RtmGetEnumNextHops(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumNextHops: Ref<number>, NextHopHandles: RTM_NEXTHOP_HANDLE[],
): number {
  return batchInto('RtmGetEnumNextHops', RtmRegHandle, NumNextHops, NextHopHandles, ['NumNextHops', 'NextHopHandles'], fillArray,
    (e, n) => invoke(e, 'getEnumNextHops', { enumHandle: EnumHandle as EnumHandle, count: n }));
}

/** Releases one reference on each of the first `NumNextHops` next-hop handles. */
export function RtmReleaseNextHops(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumNextHops: number, NextHopHandles: ArrayLike<RTM_NEXTHOP_HANDLE | null>): number {
  return withHandles<NextHopHandle>('RtmReleaseNextHops', RtmRegHandle, NumNextHops, NextHopHandles, 'NextHopHandles', (e, hs) => e.releaseNextHops(hs));
}

/** Destroys an enumeration of any kind. */
export function RtmDeleteEnumHandle(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null): number {
  return call('RtmDeleteEnumHandle', RtmRegHandle, (e) => { invoke(e, 'deleteEnumHandle', EnumHandle as EnumHandle); });
}

// ── 8.9 Change notification ──────────────────────────────────────────────────────────────────────

/** Registers for change notification; `NotifyContext` comes back as Context2 of RTM_CHANGE_NOTIFICATION. */
export function RtmRegisterForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetViews: RTM_VIEW_SET, NotifyFlags: RTM_NOTIFY_FLAGS, NotifyContext: PVOID,
  NotifyHandle: Ref<RTM_NOTIFY_HANDLE | null>,
): number {
  const op = 'RtmRegisterForChangeNotification';
  return intoRef(op, RtmRegHandle, NotifyHandle, 'NotifyHandle', (e) => invoke(e, 'registerForChangeNotification', {
    views: dword(TargetViews, op, 'TargetViews'), notifyFlags: dword(NotifyFlags, op, 'NotifyFlags'), context: NotifyContext,
  }));
}

/**
 * Pulls up to `*NumDests` changed destinations into `ChangedDests` (in place; release with
 * RtmReleaseChangedDests); `*NumDests` = how many. ERROR_NO_MORE_ITEMS once the queue is empty.
 */
export function RtmGetChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: Ref<number>, ChangedDests: RTM_DEST_INFO[],
): number {
  return batchInto('RtmGetChangedDests', RtmRegHandle, NumDests, ChangedDests, ['NumDests', 'ChangedDests'], fillDests,
    (e, n) => invoke(e, 'getChangedDests', { notifyHandle: NotifyHandle as NotifyHandle, count: n }));
}

/** Releases the first `NumDests` records from RtmGetChangedDests of this registration. */
export function RtmReleaseChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: number, ChangedDests: ArrayLike<RTM_DEST_INFO>,
): number {
  return releaseDestRecords('RtmReleaseChangedDests', RtmRegHandle, NumDests, ChangedDests, 'ChangedDests', 'releaseChangedDests',
    (e, dests) => e.releaseChangedDests({ notifyHandle: NotifyHandle as NotifyHandle, dests }));
}

/** Drops the pending changes of the first `NumDests` destination handles (no references involved). */
export function RtmIgnoreChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: number, ChangedDests: ArrayLike<RTM_DEST_HANDLE | null>,
): number {
  return withHandles<DestHandle>('RtmIgnoreChangedDests', RtmRegHandle, NumDests, ChangedDests, 'ChangedDests',
    (e, dests) => invoke(e, 'ignoreChangedDests', { notifyHandle: NotifyHandle as NotifyHandle, dests }));
}

/** `*ChangeStatus` = TRUE while a change of `DestHandle` is pending in this registration. */
export function RtmGetChangeStatus(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ChangeStatus: Ref<BOOL>,
): number {
  return intoRef('RtmGetChangeStatus', RtmRegHandle, ChangeStatus, 'ChangeStatus',
    (e) => (invoke(e, 'getChangeStatus', { notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle }) ? TRUE : FALSE));
}

/** Marks (MarkDest TRUE) or unmarks a destination for this registration. */
export function RtmMarkDestForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, MarkDest: BOOL,
): number {
  const op = 'RtmMarkDestForChangeNotification';
  return call(op, RtmRegHandle, (e) => {
    invoke(e, 'markDestForChangeNotification', { notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle, mark: bool(MarkDest, op, 'MarkDest') });
  });
}

/** `*DestMarked` = TRUE if the destination is marked in this registration. */
export function RtmIsMarkedForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, DestMarked: Ref<BOOL>,
): number {
  return intoRef('RtmIsMarkedForChangeNotification', RtmRegHandle, DestMarked, 'DestMarked',
    (e) => (invoke(e, 'isMarkedForChangeNotification', { notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle }) ? TRUE : FALSE));
}

/** Ends a notification registration (pending changes discarded, unreleased records released). */
export function RtmDeregisterFromChangeNotification(RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null): number {
  return call('RtmDeregisterFromChangeNotification', RtmRegHandle, (e) => { invoke(e, 'deregisterFromChangeNotification', NotifyHandle as NotifyHandle); });
}

// ── 8.10 Route lists ─────────────────────────────────────────────────────────────────────────────

/** Creates an empty route list private to the caller. */
export function RtmCreateRouteList(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: Ref<RTM_ROUTE_LIST_HANDLE | null>): number {
  return intoRef('RtmCreateRouteList', RtmRegHandle, RouteListHandle, 'RouteListHandle', (e) => invoke(e, 'createRouteList'));
}

/** Moves the first `NumRoutes` routes to the tail of the list (NULL list: out of any list). */
export function RtmInsertInRouteList(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, NumRoutes: number, RouteHandles: ArrayLike<RTM_ROUTE_HANDLE | null>,
): number {
  return withHandles<RouteHandle>('RtmInsertInRouteList', RtmRegHandle, NumRoutes, RouteHandles, 'RouteHandles',
    (e, routes) => invoke(e, 'insertInRouteList', { routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null, routes }));
}

/** Creates an enumeration over a route list. */
export function RtmCreateRouteListEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  return intoRef('RtmCreateRouteListEnum', RtmRegHandle, RtmEnumHandle, 'RtmEnumHandle', (e) => invoke(e, 'createRouteListEnum', RouteListHandle as RouteListHandle));
}

/**
 * The next batch of route handles of a list enumeration (referenced: RtmReleaseRoutes). Always NO_ERROR
 * on a valid call: the list is exhausted when fewer than `*NumRoutes` come back.
 */
export function RtmGetListEnumRoutes(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumRoutes: Ref<number>, RouteHandles: RTM_ROUTE_HANDLE[],
): number {
  return batchInto('RtmGetListEnumRoutes', RtmRegHandle, NumRoutes, RouteHandles, ['NumRoutes', 'RouteHandles'], fillArray,
    (e, n) => invoke(e, 'getListEnumRoutes', { enumHandle: EnumHandle as EnumHandle, count: n }), NO_ERROR);
}

/** Empties and destroys a route list (the routes stay in the table). */
export function RtmDeleteRouteList(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null): number {
  return call('RtmDeleteRouteList', RtmRegHandle, (e) => { invoke(e, 'deleteRouteList', RouteListHandle as RouteListHandle); });
}

// ── 8.11 Handle management ───────────────────────────────────────────────────────────────────────

/** Adds one reference to each of the first `NumHandles` destination, route, next-hop or entity handles (all or nothing). */
export function RtmReferenceHandles(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumHandles: number, RtmHandles: ArrayLike<HANDLE | null>): number {
  return withHandles<ReferenceableHandle>('RtmReferenceHandles', RtmRegHandle, NumHandles, RtmHandles, 'RtmHandles', (e, hs) => e.referenceHandles(hs));
}
