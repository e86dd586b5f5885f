// The RTMv2 functions of rtmv2.h under their C names and parameter order (API.md §4, spec §8), as a
// thin translation over the idiomatic layer (EntityLike): each function checks the shape of its C
// arguments, calls the one matching entity method, and writes the out-parameters. No RTMv2 rule is
// implemented here; statuses come from the idiomatic layer's RtmError.
//
// Conventions:
//  - Every function returns the status number and never throws for an API-level error: RtmError → its
//    status; any other exception (a TypeError from an argument of the wrong type, …) →
//    ERROR_INVALID_PARAMETER. RtmInternalError (a core bug) and exceptions thrown by a client's exported
//    method propagate.
//  - Registration handles are the entity handles of the idiomatic layer; the layer maps each to its
//    entity. An unknown or deregistered registration handle → ERROR_INVALID_HANDLE, checked first. Then
//    the C argument shapes: a missing required structure or Ref, or an argument of the wrong JS type →
//    ERROR_INVALID_PARAMETER (before the other handles are looked at — a deviation from D-05 that only
//    concerns calls that would crash in C). Everything else is decided by the idiomatic layer.
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
  DestHandle, DestInfo, EntityHandle, EntityLike, EntityMethod, EnumHandle, EventCallback, NextHopHandle, NotifyHandle,
  OpaqueSlot, PrefixInput, ReferenceableHandle, RouteCriteria, RouteHandle, RouteListHandle, RouteOwnerView, RtmEventType,
  RtmLike,
} from '../types.js';
import {
  ERROR_INSUFFICIENT_BUFFER, ERROR_NO_MORE_ITEMS, ERROR_NO_SYSTEM_RESOURCES, ERROR_NOT_FOUND, FALSE, NO_ERROR,
  RTM_ENTITY_DEREGISTERED, RTM_ENTITY_REGISTERED, RTM_ROUTE_EXPIRED, TRUE,
} from './constants.js';
import {
  destInfos, entityInfoOfStruct, entityInfoStruct, fillDestInfo, fillEntityInfo, fillNextHopInfo, fillRouteInfo,
  handleIn, isObject, liveNextHop, liveRoute, nextHopInfoOfStruct, nextHopInfos, prefixToNetAddress, recordedDestInfo,
  routeInfoOfStruct, routeInfos, type LiveNextHopInfo, type LiveRouteInfo,
} from './convert.js';
import {
  addRegistration, existingInstance, guard, invalidParameter, markUserError, registrationOf, removeRegistration,
  rtmInstance, need,
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

// ── Argument checks (each throws RtmError → the status) ───────────────────────────────────────────

interface Reg {
  readonly e: EntityLike;
  readonly rtm: RtmLike;
}

/** The entity behind an RTMv2 registration handle. */
function reg(h: unknown, op: string): Reg {
  const r = registrationOf(h, 'v2');
  const rtm = r === undefined ? undefined : existingInstance(r.instanceId);
  if (r === undefined || rtm === undefined) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad registration handle');
  return { e: r.entity, rtm };
}

function struct<T>(x: T | null | undefined, op: string, name: string): T {
  if (!isObject(x)) invalidParameter(op, `${name} is required`);
  return x;
}

function optStruct<T>(x: T | null | undefined, op: string, name: string): T | undefined {
  if (x === null || x === undefined) return undefined;
  return struct(x, op, name);
}

function outRef<T>(x: Ref<T> | null | undefined, op: string, name: string): Ref<T> {
  if (!isObject(x) || !('value' in x)) invalidParameter(op, `${name} must be a Ref`);
  return x;
}

function optRef<T>(x: Ref<T> | null | undefined, op: string, name: string): Ref<T> | undefined {
  if (x === null || x === undefined) return undefined;
  return outRef(x, op, name);
}

/** A DWORD/ULONG/UINT argument: a number (ranges are the idiomatic layer's to check). */
function dword(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number') invalidParameter(op, `${name} must be a number`);
  return x;
}

function bool(x: unknown, op: string, name: string): boolean {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number' && !Number.isNaN(x)) return x !== 0;
  return invalidParameter(op, `${name} must be a BOOL`);
}

/** A count: an integer in 0..2^32-1. */
function count(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) invalidParameter(op, `${name} must be a count`);
  return x;
}

function isArrayLike(a: unknown): a is ArrayLike<unknown> {
  return Array.isArray(a) || ArrayBuffer.isView(a);
}

/** The first `n` entries of an input array (which must have that many). */
function firstN<T>(a: ArrayLike<T> | null | undefined, n: unknown, op: string, name: string): T[] {
  const k = count(n, op, 'count');
  if (k === 0 && (a === null || a === undefined)) return [];
  if (!isArrayLike(a) || a.length < k) invalidParameter(op, `${name} must be an array of at least ${k} entries`);
  return Array.prototype.slice.call(a, 0, k) as T[];
}

function outArray<T>(a: T[] | null | undefined, op: string, name: string): T[] {
  if (!Array.isArray(a)) invalidParameter(op, `${name} must be an array`);
  return a;
}

/** Writes `items` into `a` in place and sets its length. */
function fillArray<T>(a: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) a[i] = items[i];
  a.length = items.length;
}

/** The address argument as the idiomatic layer takes it (the struct itself). */
function address(na: RTM_NET_ADDRESS | null | undefined, op: string, name: string): PrefixInput {
  return struct(na, op, name) as PrefixInput;
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

/** Fills an array of RTM_DEST_INFO in place from infos, remembering each. */
function fillDestArray(a: RTM_DEST_INFO[], items: readonly DestInfo[], rtm: RtmLike): void {
  for (let i = 0; i < items.length; i++) {
    const s = isObject(a[i]) ? a[i] : (a[i] = new RTM_DEST_INFO());
    fillDestInfo(s, items[i], rtm.clock);
    destInfos.set(s, items[i]);
  }
  a.length = items.length;
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
    const profile = struct(RtmRegProfile, op, 'RtmRegProfile');
    const out = outRef(RtmRegHandle, op, 'RtmRegHandle');
    const reserve = bool(ReserveOpaquePointer, op, 'ReserveOpaquePointer');
    if (EventCallback !== null && EventCallback !== undefined && typeof EventCallback !== 'function') {
      invalidParameter(op, 'EventCallback must be a function or NULL');
    }
    let methods: RTM_ENTITY_EXPORT_METHOD[] = [];
    const em = optStruct(ExportMethods, op, 'ExportMethods');
    if (em !== undefined) methods = firstN(em.Methods, em.NumMethods, op, 'ExportMethods.Methods');
    if (methods.some((m) => typeof m !== 'function')) invalidParameter(op, 'ExportMethods.Methods entries must be functions');
    const family = dword(info.AddressFamily, op, 'RtmEntityInfo.AddressFamily');
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
    const entity = rtm.registerEntity(
      { addressFamily: family, protocolId: dword(id.EntityProtocolId, op, 'EntityProtocolId'), instanceId: dword(id.EntityInstanceId, op, 'EntityInstanceId') },
      { onEvent, reserveOpaquePointer: reserve, exportMethods: methods.map(wrapMethod) },
    );
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
  const op = 'RtmDeregisterEntity';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.deregister();
    removeRegistration(RtmRegHandle as number);
    return NO_ERROR;
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const num = outRef(NumEntities, op, 'NumEntities');
    const cap = count(num.value, op, 'NumEntities');
    const handles = EntityHandles === null || EntityHandles === undefined ? undefined : outArray(EntityHandles, op, 'EntityHandles');
    const infos = EntityInfos === null || EntityInfos === undefined ? undefined : outArray(EntityInfos, op, 'EntityInfos');
    const all = e.getRegisteredEntities();
    const n = Math.min(cap, all.length);
    const unwritten = (handles ? all.slice(n) : all).map((x) => x.handle);
    if (unwritten.length > 0) e.releaseEntities(unwritten);
    if (handles) fillArray(handles, all.slice(0, n).map((x) => x.handle));
    if (infos) {
      for (let i = 0; i < n; i++) {
        const s = isObject(infos[i]) ? infos[i] : (infos[i] = new RTM_ENTITY_INFO());
        fillEntityInfo(s, all[i].info);
      }
      infos.length = n;
    }
    num.value = all.length;
    return all.length > cap ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
  });
}

/** Releases one reference on each of the first `NumEntities` entity handles. */
export function RtmReleaseEntities(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumEntities: number, EntityHandles: ArrayLike<RTM_ENTITY_HANDLE | null>): number {
  const op = 'RtmReleaseEntities';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.releaseEntities(firstN(EntityHandles, NumEntities, op, 'EntityHandles') as EntityHandle[]);
    return NO_ERROR;
  });
}

/** Fills `*EntityInfo` with the identity of `EntityHandle`. */
export function RtmGetEntityInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityHandle: RTM_ENTITY_HANDLE | null, EntityInfo: RTM_ENTITY_INFO): number {
  const op = 'RtmGetEntityInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = struct(EntityInfo, op, 'EntityInfo');
    fillEntityInfo(out, e.getEntityInfo(EntityHandle as EntityHandle));
    return NO_ERROR;
  });
}

/** Counterpart of RtmGetEntityInfo (the structure holds no handles). */
export function RtmReleaseEntityInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, EntityInfo: RTM_ENTITY_INFO): number {
  const op = 'RtmReleaseEntityInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.releaseEntityInfo(entityInfoOfStruct(struct(EntityInfo, op, 'EntityInfo')));
    return NO_ERROR;
  });
}

// ── 8.2 Destination locking and opaque pointers ──────────────────────────────────────────────────

/** Locks (LockDest TRUE) or unlocks a destination, shared or exclusive. */
export function RtmLockDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, Exclusive: BOOL, LockDest: BOOL): number {
  const op = 'RtmLockDestination';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const exclusive = bool(Exclusive, op, 'Exclusive'), lock = bool(LockDest, op, 'LockDest');
    need(e, 'lockDestination');
    e.lockDestination({ dest: DestHandle as DestHandle, exclusive, lock });
    return NO_ERROR;
  });
}

/**
 * `*OpaqueInfoPointer` = the caller's opaque slot in the destination (the `PVOID*`): read and write
 * `OpaqueInfoPointer.value.value`. ERROR_NOT_FOUND (output untouched) if the caller reserved no slot.
 */
export function RtmGetOpaqueInformationPointer(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, OpaqueInfoPointer: Ref<OpaqueSlot | null>,
): number {
  const op = 'RtmGetOpaqueInformationPointer';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(OpaqueInfoPointer, op, 'OpaqueInfoPointer');
    need(e, 'getOpaqueInformationPointer');
    const slot = e.getOpaqueInformationPointer(DestHandle as DestHandle);
    if (slot === undefined) return ERROR_NOT_FOUND;
    out.value = slot;
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const num = outRef(NumMethods, op, 'NumMethods');
    const cap = count(num.value, op, 'NumMethods');
    const out = cap === 0 ? undefined : outArray(ExptMethods, op, 'ExptMethods');
    need(e, 'getEntityMethods');
    const bits = e.getEntityMethods(EntityHandle as EntityHandle);
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const input = struct(Input, op, 'Input');
    const size = outRef(OutputSize, op, 'OutputSize');
    const out = outArray(Output, op, 'Output');
    const avail = count(size.value, op, 'OutputSize');
    if (avail < HEADER) invalidParameter(op, 'OutputSize is below one record header');
    const inSize = count(input.InputSize, op, 'Input.InputSize');
    if (!(input.InputData instanceof Uint8Array) || input.InputData.length < inSize) invalidParameter(op, 'Input.InputData');
    need(e, 'invokeMethod');
    const results = e.invokeMethod({
      entity: EntityHandle as EntityHandle, methodType: dword(input.MethodType, op, 'Input.MethodType'),
      inputData: input.InputData.subarray(0, inSize), outputCapacity: avail - HEADER,
    });
    let used = 0, k = 0;
    for (const r of results) {
      if (avail - used < HEADER) break;
      const n = Math.min(r.outputData.length, avail - used - HEADER);
      const rec = isObject(out[k]) ? out[k] : (out[k] = new RTM_ENTITY_METHOD_OUTPUT());
      rec.MethodType = r.methodType;
      rec.MethodStatus = r.methodStatus;
      rec.OutputSize = n;
      rec.OutputData = r.outputData.slice(0, n);
      k++;
      used += HEADER + n;
    }
    out.length = k;
    size.value = used;
    return NO_ERROR;
  });
}

/** Blocks (RTM_BLOCK_METHODS) or resumes (RTM_RESUME_METHODS) the caller's methods. */
export function RtmBlockMethods(RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetHandle: HANDLE | null, TargetType: number | null, BlockingFlag: number): number {
  const op = 'RtmBlockMethods';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const targetType = TargetType === null || TargetType === undefined ? 0 : dword(TargetType, op, 'TargetType');
    need(e, 'blockMethods');
    e.blockMethods({ blockingFlag: dword(BlockingFlag, op, 'BlockingFlag'), targetHandle: handleIn(TargetHandle) ?? null, targetType });
    return NO_ERROR;
  });
}

// ── 8.4 Information retrieval and release ────────────────────────────────────────────────────────

/** Fills `*DestInfo` (one ViewInfo entry per requested supported view). Release with RtmReleaseDestInfo. */
export function RtmGetDestInfo(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ProtocolId: number, TargetViews: RTM_VIEW_SET,
  DestInfo: RTM_DEST_INFO,
): number {
  const op = 'RtmGetDestInfo';
  return guard(() => {
    const { e, rtm } = reg(RtmRegHandle, op);
    const out = struct(DestInfo, op, 'DestInfo');
    const info = e.getDestInfo({ dest: DestHandle as DestHandle, protocolId: dword(ProtocolId, op, 'ProtocolId'), views: dword(TargetViews, op, 'TargetViews') });
    fillDestInfo(out, info, rtm.clock);
    destInfos.set(out, info);
    return NO_ERROR;
  });
}

/** Fills `*RouteInfo` (handles referenced: RtmReleaseRouteInfo) and/or `*DestAddress`; either may be NULL. */
export function RtmGetRouteInfo(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, RouteInfo: RTM_ROUTE_INFO | null,
  DestAddress: RTM_NET_ADDRESS | null,
): number {
  const op = 'RtmGetRouteInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = optStruct(RouteInfo, op, 'RouteInfo');
    const addr = optStruct(DestAddress, op, 'DestAddress');
    const info = e.getRouteInfo(RouteHandle as RouteHandle);
    if (out !== undefined) {
      fillRouteInfo(out, info);
      routeInfos.set(out, info);
    } else {
      e.releaseRouteInfo(info);                                   // not wanted: no references kept
    }
    if (addr !== undefined) prefixToNetAddress(info.prefix, addr);
    return NO_ERROR;
  });
}

/** Fills `*NextHopInfo` (NextHopOwner and RemoteNextHop referenced: RtmReleaseNextHopInfo). */
export function RtmGetNextHopInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO): number {
  const op = 'RtmGetNextHopInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = struct(NextHopInfo, op, 'NextHopInfo');
    const info = e.getNextHopInfo(NextHopHandle as NextHopHandle);
    fillNextHopInfo(out, info);
    nextHopInfos.set(out, info);
    return NO_ERROR;
  });
}

/** Gives back the references an RTM_DEST_INFO holds. */
export function RtmReleaseDestInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestInfo: RTM_DEST_INFO): number {
  const op = 'RtmReleaseDestInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const s = struct(DestInfo, op, 'DestInfo');
    const info = recordedDestInfo(s);
    try {
      e.releaseDestInfo(info);
    } finally {
      if (destInfos.get(s) === info) destInfos.delete(s);
    }
    return NO_ERROR;
  });
}

/** Gives back the references an RTM_ROUTE_INFO holds. */
export function RtmReleaseRouteInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteInfo: RTM_ROUTE_INFO): number {
  const op = 'RtmReleaseRouteInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const s = struct(RouteInfo, op, 'RouteInfo');
    const info = routeInfos.get(s) ?? routeInfoOfStruct(s);
    try {
      e.releaseRouteInfo(info);
    } finally {
      if (routeInfos.get(s) === info) routeInfos.delete(s);
    }
    return NO_ERROR;
  });
}

/** Gives back the references an RTM_NEXTHOP_INFO holds. */
export function RtmReleaseNextHopInfo(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO): number {
  const op = 'RtmReleaseNextHopInfo';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const s = struct(NextHopInfo, op, 'NextHopInfo');
    const info = nextHopInfos.get(s) ?? nextHopInfoOfStruct(s);
    try {
      e.releaseNextHopInfo(info);
    } finally {
      if (nextHopInfos.get(s) === info) nextHopInfos.delete(s);
    }
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const handleRef = optRef(RouteHandle, op, 'RouteHandle');
    const dest = address(DestAddress, op, 'DestAddress');
    const fields = routeFields(struct(RouteInfo, op, 'RouteInfo'), op);
    const flags = outRef(ChangeFlags, op, 'ChangeFlags');
    const given = handleRef === undefined ? undefined : handleIn<RouteHandle>(handleRef.value);
    const res = e.addRouteToDest({
      ...fields, dest, route: given ?? null, timeToLive: dword(TimeToLive, op, 'TimeToLive'),
      routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null, changeFlags: dword(flags.value, op, 'ChangeFlags'),
      returnHandle: handleRef !== undefined,
    });
    if (handleRef !== undefined && given === undefined) handleRef.value = res.handle ?? null;
    flags.value = res.changeFlags;
    return NO_ERROR;
  });
}

/** Deletes one of the caller's routes, consuming the caller's reference; `*ChangeFlags` = RTM_ROUTE_CHANGE_BEST or 0. */
export function RtmDeleteRouteToDest(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, ChangeFlags: Ref<number>): number {
  const op = 'RtmDeleteRouteToDest';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const flags = outRef(ChangeFlags, op, 'ChangeFlags');
    flags.value = e.deleteRouteToDest(RouteHandle as RouteHandle);
    return NO_ERROR;
  });
}

/** Arms hold-down on the destination for `TargetViews` (`HoldTime` ms, INFINITE = longest). */
export function RtmHoldDestination(RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, TargetViews: RTM_VIEW_SET, HoldTime: number): number {
  const op = 'RtmHoldDestination';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const views = dword(TargetViews, op, 'TargetViews'), holdTime = dword(HoldTime, op, 'HoldTime');
    need(e, 'holdDestination');
    e.holdDestination({ dest: DestHandle as DestHandle, views, holdTime });
    return NO_ERROR;
  });
}

/** `*RoutePointer` = the owner's live RTM_ROUTE_INFO of its route (no reference). */
export function RtmGetRoutePointer(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, RoutePointer: Ref<RTM_ROUTE_INFO | LiveRouteInfo | null>): number {
  const op = 'RtmGetRoutePointer';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(RoutePointer, op, 'RoutePointer');
    need(e, 'getRoutePointer');
    out.value = liveRoute(e.getRoutePointer(RouteHandle as RouteHandle));
    return NO_ERROR;
  });
}

/**
 * Locks (LockRoute TRUE) or unlocks a route (its destination). When locking, `*RoutePointer` (if given)
 * receives the live RTM_ROUTE_INFO for the owner, NULL for anyone else. An exclusive unlock by the owner
 * commits edits made through the pointer.
 */
export function RtmLockRoute(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, Exclusive: BOOL, LockRoute: BOOL,
  RoutePointer: Ref<RTM_ROUTE_INFO | LiveRouteInfo | null> | null,
): number {
  const op = 'RtmLockRoute';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const exclusive = bool(Exclusive, op, 'Exclusive'), lock = bool(LockRoute, op, 'LockRoute');
    const out = optRef(RoutePointer, op, 'RoutePointer');
    need(e, 'lockRoute');
    const view = e.lockRoute({ route: RouteHandle as RouteHandle, exclusive, lock });
    if (lock && out !== undefined) out.value = view === undefined ? null : liveRoute(view);
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const flags = outRef(ChangeFlags, op, 'ChangeFlags');
    const ttl = dword(TimeToLive, op, 'TimeToLive');
    need(e, 'updateAndUnlockRoute');
    flags.value = e.updateAndUnlockRoute({ route: RouteHandle as RouteHandle, timeToLive: ttl, routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null });
    return NO_ERROR;
  });
}

// ── 8.6 Table queries ────────────────────────────────────────────────────────────────────────────

type DestQuery = 'getExactMatchDestination' | 'getMostSpecificDestination';

function destByAddress(
  op: string, method: DestQuery, RtmRegHandle: unknown, DestAddress: RTM_NET_ADDRESS | null, ProtocolId: unknown,
  TargetViews: unknown, DestInfo: RTM_DEST_INFO | null,
): number {
  return guard(() => {
    const { e, rtm } = reg(RtmRegHandle, op);
    const dest = address(DestAddress, op, 'DestAddress');
    const out = struct(DestInfo, op, 'DestInfo');
    const info = e[method]({ dest, protocolId: dword(ProtocolId, op, 'ProtocolId'), views: dword(TargetViews, op, 'TargetViews') });
    if (info === undefined) return ERROR_NOT_FOUND;
    fillDestInfo(out, info, rtm.clock);
    destInfos.set(out, info);
    return NO_ERROR;
  });
}

/** The destination exactly equal to `DestAddress` (in one of `TargetViews`; any present one with 0). */
export function RtmGetExactMatchDestination(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestAddress: RTM_NET_ADDRESS, ProtocolId: number, TargetViews: RTM_VIEW_SET,
  DestInfo: RTM_DEST_INFO,
): number {
  return destByAddress('RtmGetExactMatchDestination', 'getExactMatchDestination', RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo);
}

/** Longest-prefix match of `DestAddress` among destinations in `TargetViews` (populated ones with 0). */
export function RtmGetMostSpecificDestination(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestAddress: RTM_NET_ADDRESS, ProtocolId: number, TargetViews: RTM_VIEW_SET,
  DestInfo: RTM_DEST_INFO,
): number {
  return destByAddress('RtmGetMostSpecificDestination', 'getMostSpecificDestination', RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo);
}

/** The next shorter prefix covering `DestHandle`'s destination; ERROR_NOT_FOUND above 0/0. */
export function RtmGetLessSpecificDestination(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ProtocolId: number, TargetViews: RTM_VIEW_SET,
  DestInfo: RTM_DEST_INFO,
): number {
  const op = 'RtmGetLessSpecificDestination';
  return guard(() => {
    const { e, rtm } = reg(RtmRegHandle, op);
    const out = struct(DestInfo, op, 'DestInfo');
    const info = e.getLessSpecificDestination({
      dest: DestHandle as DestHandle, protocolId: dword(ProtocolId, op, 'ProtocolId'), views: dword(TargetViews, op, 'TargetViews'),
    });
    if (info === undefined) return ERROR_NOT_FOUND;
    fillDestInfo(out, info, rtm.clock);
    destInfos.set(out, info);
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const dest = address(DestAddress, op, 'DestAddress');
    const ri = struct(RouteInfo, op, 'RouteInfo');
    const handleRef = optRef(RouteHandle, op, 'RouteHandle');
    const r = e.getExactMatchRoute({
      dest, matchFlags: dword(MatchingFlags, op, 'MatchingFlags'), criteria: criteriaOf(ri),
      interfaceIndex: dword(InterfaceIndex, op, 'InterfaceIndex'), views: dword(TargetViews, op, 'TargetViews'),
      returnHandle: handleRef !== undefined,
    });
    if (r === undefined) return ERROR_NOT_FOUND;
    fillRouteInfo(ri, r.info);
    routeInfos.set(ri, r.info);
    if (handleRef !== undefined) handleRef.value = r.handle ?? null;
    return NO_ERROR;
  });
}

/** `*BestInViews` = the views in which the route is the best route (0 if none). */
export function RtmIsBestRoute(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteHandle: RTM_ROUTE_HANDLE | null, BestInViews: Ref<RTM_VIEW_SET>): number {
  const op = 'RtmIsBestRoute';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(BestInViews, op, 'BestInViews');
    out.value = e.isBestRoute(RouteHandle as RouteHandle);
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const info = struct(NextHopInfo, op, 'NextHopInfo');
    const addr = address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress');
    const handleRef = optRef(NextHopHandle, op, 'NextHopHandle');
    const flags = outRef(ChangeFlags, op, 'ChangeFlags');
    const given = handleRef === undefined ? undefined : handleIn<NextHopHandle>(handleRef.value);
    const res = e.addNextHop({
      address: addr, interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex'), flags: dword(info.Flags, op, 'Flags'),
      entitySpecificInfo: info.EntitySpecificInfo, remoteNextHop: handleIn<DestHandle>(info.RemoteNextHop) ?? null,
      nextHop: given ?? null, returnHandle: handleRef !== undefined,
    });
    if (handleRef !== undefined && given === undefined) handleRef.value = res.handle ?? null;
    flags.value = res.changeFlags;
    return NO_ERROR;
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const info = struct(NextHopInfo, op, 'NextHopInfo');
    const addr = address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress');
    const out = outRef(NextHopHandle, op, 'NextHopHandle');
    const ptr = optRef(NextHopPointer, op, 'NextHopPointer');
    const r = e.findNextHop({ address: addr, interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex') });
    if (r === undefined) return ERROR_NOT_FOUND;
    out.value = r.handle;
    if (ptr !== undefined) ptr.value = liveNextHop(r.pointer);
    return NO_ERROR;
  });
}

/**
 * Deletes one of the caller's next hops, by handle (consuming the caller's reference) or, with a NULL
 * handle, by (NextHopAddress, InterfaceIndex) of `NextHopInfo`; both NULL → ERROR_INVALID_PARAMETER.
 */
export function RtmDeleteNextHop(RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopInfo: RTM_NEXTHOP_INFO | null): number {
  const op = 'RtmDeleteNextHop';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const h = handleIn<NextHopHandle>(NextHopHandle);
    if (h !== undefined) {
      e.deleteNextHop(h);
    } else {
      const info = struct(NextHopInfo, op, 'NextHopInfo (with a NULL handle)');
      e.deleteNextHop({ address: address(info.NextHopAddress, op, 'NextHopInfo.NextHopAddress'), interfaceIndex: dword(info.InterfaceIndex, op, 'InterfaceIndex') });
    }
    return NO_ERROR;
  });
}

/** `*NextHopPointer` = the owner's live RTM_NEXTHOP_INFO of its next hop (no reference). */
export function RtmGetNextHopPointer(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, NextHopPointer: Ref<RTM_NEXTHOP_INFO | LiveNextHopInfo | null>,
): number {
  const op = 'RtmGetNextHopPointer';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(NextHopPointer, op, 'NextHopPointer');
    out.value = liveNextHop(e.getNextHopPointer(NextHopHandle as NextHopHandle));
    return NO_ERROR;
  });
}

/**
 * Locks or unlocks a next hop; when locking, `*NextHopPointer` (if given) receives the live
 * RTM_NEXTHOP_INFO for the owner, NULL for anyone else. The exclusive unlock commits Flags,
 * EntitySpecificInfo and RemoteNextHop edits (identity edits: reverted, ERROR_INVALID_PARAMETER).
 */
export function RtmLockNextHop(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NextHopHandle: RTM_NEXTHOP_HANDLE | null, Exclusive: BOOL, LockNextHop: BOOL,
  NextHopPointer: Ref<RTM_NEXTHOP_INFO | LiveNextHopInfo | null> | null,
): number {
  const op = 'RtmLockNextHop';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const exclusive = bool(Exclusive, op, 'Exclusive'), lock = bool(LockNextHop, op, 'LockNextHop');
    const out = optRef(NextHopPointer, op, 'NextHopPointer');
    need(e, 'lockNextHop');
    const view = e.lockNextHop({ nextHop: NextHopHandle as NextHopHandle, exclusive, lock });
    if (lock && out !== undefined) out.value = view === undefined ? null : liveNextHop(view);
    return NO_ERROR;
  });
}

// ── 8.8 Enumerations ─────────────────────────────────────────────────────────────────────────────

/** Creates a destination enumeration (`NetAddress` may be NULL with RTM_ENUM_START). */
export function RtmCreateDestEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetViews: RTM_VIEW_SET, EnumFlags: RTM_ENUM_FLAGS, NetAddress: RTM_NET_ADDRESS | null,
  ProtocolId: number, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateDestEnum';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const start = optStruct(NetAddress, op, 'NetAddress') as PrefixInput | undefined;
    const out = outRef(RtmEnumHandle, op, 'RtmEnumHandle');
    const views = dword(TargetViews, op, 'TargetViews'), enumFlags = dword(EnumFlags, op, 'EnumFlags');
    const protocolId = dword(ProtocolId, op, 'ProtocolId');
    need(e, 'createDestEnum');
    out.value = e.createDestEnum({ views, enumFlags, startDest: start, protocolId });
    return NO_ERROR;
  });
}

/**
 * The next batch of destinations: `*NumDests` in: at most this many (≤ MaxHandlesInEnum); out: how many
 * were written to `DestInfos` (in place; release with RtmReleaseDests). ERROR_NO_MORE_ITEMS once the
 * enumeration is exhausted after this call (the batch may still hold destinations).
 */
export function RtmGetEnumDests(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumDests: Ref<number>, DestInfos: RTM_DEST_INFO[]): number {
  const op = 'RtmGetEnumDests';
  return guard(() => {
    const { e, rtm } = reg(RtmRegHandle, op);
    const num = outRef(NumDests, op, 'NumDests');
    const out = outArray(DestInfos, op, 'DestInfos');
    const n = count(num.value, op, 'NumDests');
    need(e, 'getEnumDests');
    const b = e.getEnumDests({ enumHandle: EnumHandle as EnumHandle, count: n });
    fillDestArray(out, b.items, rtm);
    num.value = b.items.length;
    return b.done ? ERROR_NO_MORE_ITEMS : NO_ERROR;
  });
}

/** Releases the references of the first `NumDests` records from RtmGetEnumDests. */
export function RtmReleaseDests(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumDests: number, DestInfos: ArrayLike<RTM_DEST_INFO>): number {
  const op = 'RtmReleaseDests';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const structs = firstN(DestInfos, NumDests, op, 'DestInfos').map((s) => struct(s, op, 'DestInfos[i]'));
    const infos = structs.map(recordedDestInfo);
    try {
      e.releaseDests(infos);
    } finally {
      structs.forEach((s, i) => { if (destInfos.get(s) === infos[i]) destInfos.delete(s); });
    }
    return NO_ERROR;
  });
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
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const start = optStruct(StartDest, op, 'StartDest') as PrefixInput | undefined;
    const crit = optStruct(CriteriaRoute, op, 'CriteriaRoute');
    const out = outRef(RtmEnumHandle, op, 'RtmEnumHandle');
    const options = {
      dest: handleIn<DestHandle>(DestHandle) ?? null, views: dword(TargetViews, op, 'TargetViews'), enumFlags: dword(EnumFlags, op, 'EnumFlags'),
      startDest: start, matchFlags: dword(MatchingFlags, op, 'MatchingFlags'), criteria: crit === undefined ? undefined : criteriaOf(crit),
      interfaceIndex: dword(CriteriaInterface, op, 'CriteriaInterface'),
    };
    need(e, 'createRouteEnum');
    out.value = e.createRouteEnum(options);
    return NO_ERROR;
  });
}

/** The next batch of route handles (referenced: RtmReleaseRoutes); ERROR_NO_MORE_ITEMS as RtmGetEnumDests. */
export function RtmGetEnumRoutes(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumRoutes: Ref<number>, RouteHandles: RTM_ROUTE_HANDLE[]): number {
  const op = 'RtmGetEnumRoutes';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const num = outRef(NumRoutes, op, 'NumRoutes');
    const out = outArray(RouteHandles, op, 'RouteHandles');
    const n = count(num.value, op, 'NumRoutes');
    need(e, 'getEnumRoutes');
    const b = e.getEnumRoutes({ enumHandle: EnumHandle as EnumHandle, count: n });
    fillArray(out, b.items);
    num.value = b.items.length;
    return b.done ? ERROR_NO_MORE_ITEMS : NO_ERROR;
  });
}

/** Releases one reference on each of the first `NumRoutes` route handles. */
export function RtmReleaseRoutes(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumRoutes: number, RouteHandles: ArrayLike<RTM_ROUTE_HANDLE | null>): number {
  const op = 'RtmReleaseRoutes';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.releaseRoutes(firstN(RouteHandles, NumRoutes, op, 'RouteHandles') as RouteHandle[]);
    return NO_ERROR;
  });
}

/** Creates an enumeration of the caller's next hops by address range. */
export function RtmCreateNextHopEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumFlags: RTM_ENUM_FLAGS, NetAddress: RTM_NET_ADDRESS | null, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateNextHopEnum';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const addr = optStruct(NetAddress, op, 'NetAddress') as PrefixInput | undefined;
    const out = outRef(RtmEnumHandle, op, 'RtmEnumHandle');
    const enumFlags = dword(EnumFlags, op, 'EnumFlags');
    need(e, 'createNextHopEnum');
    out.value = e.createNextHopEnum({ enumFlags, address: addr });
    return NO_ERROR;
  });
}

/** The next batch of next-hop handles (referenced: RtmReleaseNextHops); ERROR_NO_MORE_ITEMS at the end. */
export function RtmGetEnumNextHops(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumNextHops: Ref<number>, NextHopHandles: RTM_NEXTHOP_HANDLE[],
): number {
  const op = 'RtmGetEnumNextHops';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const num = outRef(NumNextHops, op, 'NumNextHops');
    const out = outArray(NextHopHandles, op, 'NextHopHandles');
    const n = count(num.value, op, 'NumNextHops');
    need(e, 'getEnumNextHops');
    const b = e.getEnumNextHops({ enumHandle: EnumHandle as EnumHandle, count: n });
    fillArray(out, b.items);
    num.value = b.items.length;
    return b.done ? ERROR_NO_MORE_ITEMS : NO_ERROR;
  });
}

/** Releases one reference on each of the first `NumNextHops` next-hop handles. */
export function RtmReleaseNextHops(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumNextHops: number, NextHopHandles: ArrayLike<RTM_NEXTHOP_HANDLE | null>): number {
  const op = 'RtmReleaseNextHops';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.releaseNextHops(firstN(NextHopHandles, NumNextHops, op, 'NextHopHandles') as NextHopHandle[]);
    return NO_ERROR;
  });
}

/** Destroys an enumeration of any kind. */
export function RtmDeleteEnumHandle(RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null): number {
  const op = 'RtmDeleteEnumHandle';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    need(e, 'deleteEnumHandle');
    e.deleteEnumHandle(EnumHandle as EnumHandle);
    return NO_ERROR;
  });
}

// ── 8.9 Change notification ──────────────────────────────────────────────────────────────────────

/** Registers for change notification; `NotifyContext` comes back as Context2 of RTM_CHANGE_NOTIFICATION. */
export function RtmRegisterForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, TargetViews: RTM_VIEW_SET, NotifyFlags: RTM_NOTIFY_FLAGS, NotifyContext: PVOID,
  NotifyHandle: Ref<RTM_NOTIFY_HANDLE | null>,
): number {
  const op = 'RtmRegisterForChangeNotification';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(NotifyHandle, op, 'NotifyHandle');
    const views = dword(TargetViews, op, 'TargetViews'), notifyFlags = dword(NotifyFlags, op, 'NotifyFlags');
    need(e, 'registerForChangeNotification');
    out.value = e.registerForChangeNotification({ views, notifyFlags, context: NotifyContext });
    return NO_ERROR;
  });
}

/**
 * Pulls up to `*NumDests` changed destinations into `ChangedDests` (in place; release with
 * RtmReleaseChangedDests); `*NumDests` = how many. ERROR_NO_MORE_ITEMS once the queue is empty.
 */
export function RtmGetChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: Ref<number>, ChangedDests: RTM_DEST_INFO[],
): number {
  const op = 'RtmGetChangedDests';
  return guard(() => {
    const { e, rtm } = reg(RtmRegHandle, op);
    const num = outRef(NumDests, op, 'NumDests');
    const out = outArray(ChangedDests, op, 'ChangedDests');
    const n = count(num.value, op, 'NumDests');
    need(e, 'getChangedDests');
    const b = e.getChangedDests({ notifyHandle: NotifyHandle as NotifyHandle, count: n });
    fillDestArray(out, b.items, rtm);
    num.value = b.items.length;
    return b.done ? ERROR_NO_MORE_ITEMS : NO_ERROR;
  });
}

/** Releases the first `NumDests` records from RtmGetChangedDests of this registration. */
export function RtmReleaseChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: number, ChangedDests: ArrayLike<RTM_DEST_INFO>,
): number {
  const op = 'RtmReleaseChangedDests';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const structs = firstN(ChangedDests, NumDests, op, 'ChangedDests').map((s) => struct(s, op, 'ChangedDests[i]'));
    const infos = structs.map(recordedDestInfo);
    need(e, 'releaseChangedDests');
    try {
      e.releaseChangedDests({ notifyHandle: NotifyHandle as NotifyHandle, dests: infos });
    } finally {
      structs.forEach((s, i) => { if (destInfos.get(s) === infos[i]) destInfos.delete(s); });
    }
    return NO_ERROR;
  });
}

/** Drops the pending changes of the first `NumDests` destination handles (no references involved). */
export function RtmIgnoreChangedDests(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, NumDests: number, ChangedDests: ArrayLike<RTM_DEST_HANDLE | null>,
): number {
  const op = 'RtmIgnoreChangedDests';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const dests = firstN(ChangedDests, NumDests, op, 'ChangedDests') as DestHandle[];
    need(e, 'ignoreChangedDests');
    e.ignoreChangedDests({ notifyHandle: NotifyHandle as NotifyHandle, dests });
    return NO_ERROR;
  });
}

/** `*ChangeStatus` = TRUE while a change of `DestHandle` is pending in this registration. */
export function RtmGetChangeStatus(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, ChangeStatus: Ref<BOOL>,
): number {
  const op = 'RtmGetChangeStatus';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(ChangeStatus, op, 'ChangeStatus');
    need(e, 'getChangeStatus');
    out.value = e.getChangeStatus({ notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle }) ? TRUE : FALSE;
    return NO_ERROR;
  });
}

/** Marks (MarkDest TRUE) or unmarks a destination for this registration. */
export function RtmMarkDestForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, MarkDest: BOOL,
): number {
  const op = 'RtmMarkDestForChangeNotification';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const mark = bool(MarkDest, op, 'MarkDest');
    need(e, 'markDestForChangeNotification');
    e.markDestForChangeNotification({ notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle, mark });
    return NO_ERROR;
  });
}

/** `*DestMarked` = TRUE if the destination is marked in this registration. */
export function RtmIsMarkedForChangeNotification(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null, DestHandle: RTM_DEST_HANDLE | null, DestMarked: Ref<BOOL>,
): number {
  const op = 'RtmIsMarkedForChangeNotification';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(DestMarked, op, 'DestMarked');
    need(e, 'isMarkedForChangeNotification');
    out.value = e.isMarkedForChangeNotification({ notifyHandle: NotifyHandle as NotifyHandle, dest: DestHandle as DestHandle }) ? TRUE : FALSE;
    return NO_ERROR;
  });
}

/** Ends a notification registration (pending changes discarded, unreleased records released). */
export function RtmDeregisterFromChangeNotification(RtmRegHandle: RTM_ENTITY_HANDLE | null, NotifyHandle: RTM_NOTIFY_HANDLE | null): number {
  const op = 'RtmDeregisterFromChangeNotification';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    need(e, 'deregisterFromChangeNotification');
    e.deregisterFromChangeNotification(NotifyHandle as NotifyHandle);
    return NO_ERROR;
  });
}

// ── 8.10 Route lists ─────────────────────────────────────────────────────────────────────────────

/** Creates an empty route list private to the caller. */
export function RtmCreateRouteList(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: Ref<RTM_ROUTE_LIST_HANDLE | null>): number {
  const op = 'RtmCreateRouteList';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(RouteListHandle, op, 'RouteListHandle');
    need(e, 'createRouteList');
    out.value = e.createRouteList();
    return NO_ERROR;
  });
}

/** Moves the first `NumRoutes` routes to the tail of the list (NULL list: out of any list). */
export function RtmInsertInRouteList(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, NumRoutes: number, RouteHandles: ArrayLike<RTM_ROUTE_HANDLE | null>,
): number {
  const op = 'RtmInsertInRouteList';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const routes = firstN(RouteHandles, NumRoutes, op, 'RouteHandles') as RouteHandle[];
    need(e, 'insertInRouteList');
    e.insertInRouteList({ routeList: handleIn<RouteListHandle>(RouteListHandle) ?? null, routes });
    return NO_ERROR;
  });
}

/** Creates an enumeration over a route list. */
export function RtmCreateRouteListEnum(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null, RtmEnumHandle: Ref<RTM_ENUM_HANDLE | null>,
): number {
  const op = 'RtmCreateRouteListEnum';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const out = outRef(RtmEnumHandle, op, 'RtmEnumHandle');
    need(e, 'createRouteListEnum');
    out.value = e.createRouteListEnum(RouteListHandle as RouteListHandle);
    return NO_ERROR;
  });
}

/**
 * The next batch of route handles of a list enumeration (referenced: RtmReleaseRoutes). Always NO_ERROR
 * on a valid call: the list is exhausted when fewer than `*NumRoutes` come back.
 */
export function RtmGetListEnumRoutes(
  RtmRegHandle: RTM_ENTITY_HANDLE | null, EnumHandle: RTM_ENUM_HANDLE | null, NumRoutes: Ref<number>, RouteHandles: RTM_ROUTE_HANDLE[],
): number {
  const op = 'RtmGetListEnumRoutes';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    const num = outRef(NumRoutes, op, 'NumRoutes');
    const out = outArray(RouteHandles, op, 'RouteHandles');
    const n = count(num.value, op, 'NumRoutes');
    need(e, 'getListEnumRoutes');
    const b = e.getListEnumRoutes({ enumHandle: EnumHandle as EnumHandle, count: n });
    fillArray(out, b.items);
    num.value = b.items.length;
    return NO_ERROR;
  });
}

/** Empties and destroys a route list (the routes stay in the table). */
export function RtmDeleteRouteList(RtmRegHandle: RTM_ENTITY_HANDLE | null, RouteListHandle: RTM_ROUTE_LIST_HANDLE | null): number {
  const op = 'RtmDeleteRouteList';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    need(e, 'deleteRouteList');
    e.deleteRouteList(RouteListHandle as RouteListHandle);
    return NO_ERROR;
  });
}

// ── 8.11 Handle management ───────────────────────────────────────────────────────────────────────

/** Adds one reference to each of the first `NumHandles` destination, route, next-hop or entity handles (all or nothing). */
export function RtmReferenceHandles(RtmRegHandle: RTM_ENTITY_HANDLE | null, NumHandles: number, RtmHandles: ArrayLike<HANDLE | null>): number {
  const op = 'RtmReferenceHandles';
  return guard(() => {
    const { e } = reg(RtmRegHandle, op);
    e.referenceHandles(firstN(RtmHandles, NumHandles, op, 'RtmHandles') as ReferenceableHandle[]);
    return NO_ERROR;
  });
}
