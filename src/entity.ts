// Entity: one registration (RTM_ENTITY_HANDLE) and the RTMv2 functions that take it, as one-line
// delegations to the capability modules of src/rtmv2/ (one per spec chapter), each working on this
// entity's narrow context (Ctx: the core, its table, its slot and handle, its JS-valued state). Routing
// facts live in the core; what is JavaScript by nature (the event callback, exported methods,
// EntitySpecificInfo, owner views, notification contexts) lives in the modules. Results are fresh objects
// (they allocate) unless a method says otherwise.
import { RtmError } from './errors.js';
import type { Family } from './address.js';
import type {
  EntityHandle, DestHandle, RouteHandle, NextHopHandle, RegnProfile, EntityInfo, EventCallback, EntityMethod,
  RegisteredEntity, AddRouteOptions, AddRouteResult, RouteInfo, DestInfo, DestQueryOptions, PrefixInput,
  ExactMatchRouteOptions, ExactMatchRouteResult, AddNextHopOptions, AddNextHopResult, NextHopIdentity,
  FindNextHopResult, NextHopInfo, NextHopOwnerView, ReferenceableHandle, EntityLike, NotifyHandle, NotifyOptions,
  EnumBatch, RouteListHandle, EnumHandle, EnumGetOptions, Nullable, OpaqueSlot, MethodResult, Handle, RouteOwnerView,
  DestEnumOptions, RouteEnumOptions, NextHopEnumOptions, IterateOptions, RouteLoadBatch, RouteLoadResult, RouteUpdates,
  ChangedDestIdsOptions,
} from './types.js';
import type { CoreExports } from './port/core.js';
import type { Ctx, Instance } from './rtmv2/context.js';
import { live, u32 } from './rtmv2/args.js';
import * as refs from './rtmv2/refs.js';
import * as entities from './rtmv2/entities.js';
import * as routes from './rtmv2/routes.js';
import * as dests from './rtmv2/dests.js';
import * as nexthops from './rtmv2/nexthops.js';
import * as locks from './rtmv2/locks.js';
import * as opaque from './rtmv2/opaque.js';
import * as methods from './rtmv2/methods.js';
import * as enums from './rtmv2/enums.js';
import * as notify from './rtmv2/notify.js';
import * as lists from './rtmv2/lists.js';
import * as batch from './rtmv2/batch.js';

/** @internal */
export { entityInfoOf } from './rtmv2/entities.js';

/** The part of EntityLike the core-semantics layer implements (the dynamics layer adds the rest). */
export type CoreEntityLike = Pick<EntityLike,
  'handle' | 'profile' | 'info' | 'deregister' | 'getRegisteredEntities' | 'releaseEntities' | 'getEntityInfo' |
  'releaseEntityInfo' | 'getDestInfo' | 'getRouteInfo' | 'getNextHopInfo' | 'releaseDestInfo' | 'releaseRouteInfo' |
  'releaseNextHopInfo' | 'addRouteToDest' | 'deleteRouteToDest' | 'getExactMatchDestination' |
  'getMostSpecificDestination' | 'getLessSpecificDestination' | 'getExactMatchRoute' | 'isBestRoute' | 'addNextHop' |
  'findNextHop' | 'deleteNextHop' | 'getNextHopPointer' | 'releaseRoutes' | 'releaseDests' | 'releaseNextHops' |
  'referenceHandles'>;

/**
 * One registration with an RTM instance (RTM_ENTITY_HANDLE), made by {@link Rtm.registerEntity}. Every
 * RTMv2 function whose first parameter is the registration handle is a method here, named without `Rtm`
 * in camelCase; C parameter lists are one options object and out-parameters the returned value. Lookups
 * that find nothing return `undefined`; any other failure throws {@link RtmError} with the RTMv2 error
 * name and leaves the table as it was. Every handle returned carries one reference for this entity,
 * released with the matching `release*` method.
 */
export class Entity implements CoreEntityLike {
  // The identity fields are read from the Ctx (accessors on the prototype): an entity object holds one
  // field, not a copy of each (issue 13: many small tables, each with an entity or two).
  /** The registration handle (RtmRegHandle), which is also the entity's handle. */
  get handle(): EntityHandle { return this.cx.handle; }
  /** RTM_REGN_PROFILE: what the instance grants this registration. */
  get profile(): RegnProfile { return this.cx.profile; }
  /** RTM_ENTITY_INFO: the identity it registered with. */
  get info(): EntityInfo { return entities.entityInfo(this.cx); }
  /** The address family of its table: 4 or 6. */
  get family(): Family { return this.cx.family; }
  /** @internal Entity slot in the core. */
  get slot(): number { return this.cx.slot; }
  /** EntityProtocolId of its identity (PROTO_IP_*). */
  get protocolId(): number { return this.cx.protocolId; }
  /** EntityInstanceId of its identity. */
  get instanceId(): number { return this.cx.instanceId; }
  /** The event callback given at registration (RTM_EVENT_CALLBACK), if any. */
  get onEvent(): EventCallback | undefined { return this.cx.onEvent; }
  /** The methods it exported at registration (RtmInvokeMethod targets). */
  get methods(): readonly EntityMethod[] { return this.cx.methods; }
  /** Opaque pointer slot index, or -1. */
  get opaqueSlot(): number { return this.cx.opaqueSlot; }
  /** What the capability modules work on. @internal */
  readonly cx: Ctx;

  /** @internal (Rtm.registerEntity creates entities) */
  constructor(cx: Ctx) {
    this.cx = cx;
  }

  /** False once deregistered or once its instance closed. */
  get isRegistered(): boolean { return this.cx.registered && !this.cx.inst.isClosed; }
  /** @internal Called when the instance closes. */
  markGone(): void { entities.markGone(this.cx); }
  /** References this entity holds on a handle (tests and diagnostics). */
  refCount(h: number): number { return refs.refCount(this.cx, h); }

  // ── registration and entity information (§8.1): src/rtmv2/entities.ts ─────────────────────────────────
  /** RtmDeregisterEntity: deletes the entity's routes and next hops, drops its references (§7.16). */
  deregister(): void { entities.deregister(this.cx); }
  /** RtmGetRegisteredEntities: every entity of this table, in registration order; handles referenced. */
  getRegisteredEntities(): RegisteredEntity[] { return entities.getRegisteredEntities(this.cx); }
  /** RtmReleaseEntities. */
  releaseEntities(hs: readonly EntityHandle[]): void { entities.releaseEntities(this.cx, hs); }
  /** RtmGetEntityInfo: identity of any entity of this table (also deregistered but referenced). */
  getEntityInfo(entity: EntityHandle): EntityInfo { return entities.getEntityInfo(this.cx, entity); }
  /** RtmReleaseEntityInfo: there are no handles inside; validates the registration only. */
  releaseEntityInfo(info: EntityInfo): void { entities.releaseEntityInfo(this.cx, info); }
  /** @internal Releases what this entity holds in the JS-side modules (enumerations, locks, opaque values, blocking); for deregister(). */
  dynamicsCleanup(): void { entities.cleanup(this.cx); }

  // ── routes (§8.5, §8.6.4–8.6.5): src/rtmv2/routes.ts ──────────────────────────────────────────────────
  /**
   * RtmAddRouteToDest (spec §8.5.1, §7.2). The result's `handle` is typed as present when a handle is
   * always returned: `returnHandle` omitted or true, or an update by handle (`route`).
   */
  addRouteToDest(o: AddRouteOptions & ({ returnHandle?: true } | { route: RouteHandle })): AddRouteResult & {
    /** The route, referenced (or the given `route`). */
    readonly handle: RouteHandle;
  };
  addRouteToDest(o: AddRouteOptions): AddRouteResult;
  addRouteToDest(o: AddRouteOptions): AddRouteResult { return routes.addRouteToDest(this.cx, o); }
  /** RtmDeleteRouteToDest: consumes one of the caller's references (if any); returns the change flags. */
  deleteRouteToDest(route: RouteHandle): number { return routes.deleteRouteToDest(this.cx, route); }
  /** RtmGetRouteInfo: a copy of the route (any state); handles inside referenced. */
  getRouteInfo(route: RouteHandle): RouteInfo { return routes.getRouteInfo(this.cx, route); }
  /** RtmReleaseRouteInfo. */
  releaseRouteInfo(info: RouteInfo): void { routes.releaseRouteInfo(this.cx, info); }
  /** RtmReleaseRoutes. */
  releaseRoutes(hs: readonly RouteHandle[]): void { routes.releaseRoutes(this.cx, hs); }
  /** RtmIsBestRoute: views in which the route is best (0 for deleted or held routes). */
  isBestRoute(route: RouteHandle): number { return routes.isBestRoute(this.cx, route); }
  /**
   * RtmGetExactMatchRoute: the first route (chain order) in the views matching the criteria; undefined if
   * none. A found route's `handle` is typed as present when `returnHandle` is omitted or true.
   */
  getExactMatchRoute(o: ExactMatchRouteOptions & { returnHandle?: true }): (ExactMatchRouteResult & {
    /** The route, referenced. */
    readonly handle: RouteHandle;
  }) | undefined;
  getExactMatchRoute(o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined;
  getExactMatchRoute(o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined { return routes.getExactMatchRoute(this.cx, o); }

  // ── destinations (§8.4, §8.5.3, §8.6.1–8.6.3): src/rtmv2/dests.ts ────────────────────────────────────
  /** RtmGetDestInfo. */
  getDestInfo(o: { dest: DestHandle } & DestQueryOptions): DestInfo { return dests.getDestInfo(this.cx, o); }
  /** RtmReleaseDestInfo. */
  releaseDestInfo(info: DestInfo): void { dests.releaseDestInfo(this.cx, info); }
  /** RtmReleaseDests. */
  releaseDests(infos: readonly DestInfo[]): void { dests.releaseDests(this.cx, infos); }
  /** RtmGetExactMatchDestination; undefined if not found. */
  getExactMatchDestination(o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined { return dests.getExactMatchDestination(this.cx, o); }
  /** RtmGetMostSpecificDestination; undefined if none. */
  getMostSpecificDestination(o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined { return dests.getMostSpecificDestination(this.cx, o); }
  /** RtmGetLessSpecificDestination; undefined at the top. */
  getLessSpecificDestination(o: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined { return dests.getLessSpecificDestination(this.cx, o); }
  /** RtmHoldDestination. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER (holdTime 0), ERROR_NOT_SUPPORTED, ERROR_BUSY */
  holdDestination(o: { dest: DestHandle; views?: number; holdTime: number }): void { dests.holdDestination(this.cx, o); }

  // ── next hops (§8.7): src/rtmv2/nexthops.ts ────────────────────────────────────────────────────────────
  /**
   * RtmAddNextHop: find-or-create by (address, interface) in the caller's list, or update by handle. The
   * result's `handle` is typed as present when a handle is always returned: `returnHandle` omitted or
   * true, or an update by handle (`nextHop`).
   */
  addNextHop(o: AddNextHopOptions & ({ returnHandle?: true } | { nextHop: NextHopHandle })): AddNextHopResult & {
    /** The next hop, referenced (or the given `nextHop`). */
    readonly handle: NextHopHandle;
  };
  addNextHop(o: AddNextHopOptions): AddNextHopResult;
  addNextHop(o: AddNextHopOptions): AddNextHopResult { return nexthops.addNextHop(this.cx, o); }
  /** RtmFindNextHop in the caller's list; undefined if absent. */
  findNextHop(o: NextHopIdentity): FindNextHopResult | undefined { return nexthops.findNextHop(this.cx, o); }
  /** RtmDeleteNextHop by handle (consumes one of the caller's references) or by identity. */
  deleteNextHop(target: NextHopHandle | NextHopIdentity): void { nexthops.deleteNextHop(this.cx, target); }
  /** RtmGetNextHopInfo (any next hop of this table); owner and remote destination referenced. */
  getNextHopInfo(nextHop: NextHopHandle): NextHopInfo { return nexthops.getNextHopInfo(this.cx, nextHop); }
  /** RtmGetNextHopPointer: the owner's view of its next hop (no reference). */
  getNextHopPointer(nextHop: NextHopHandle): NextHopOwnerView { return nexthops.getNextHopPointer(this.cx, nextHop); }
  /** RtmReleaseNextHopInfo. */
  releaseNextHopInfo(info: NextHopInfo): void { nexthops.releaseNextHopInfo(this.cx, info); }
  /** RtmReleaseNextHops. */
  releaseNextHops(hs: readonly NextHopHandle[]): void { nexthops.releaseNextHops(this.cx, hs); }
  /** RtmLockNextHop. @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_FOUND, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER */
  lockNextHop(o: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined { return nexthops.lockNextHop(this.cx, o); }

  // ── locks and owner views (§8.2, §8.5.4–8.5.6): src/rtmv2/locks.ts ───────────────────────────────────
  /** RtmLockDestination. @throws RtmError ERROR_INVALID_HANDLE, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER (staged route edits reverted) */
  lockDestination(o: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void { locks.lockDestination(this.cx, o); }
  /** RtmGetRoutePointer: the owner view. @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  getRoutePointer(route: RouteHandle): RouteOwnerView { return locks.getRoutePointer(this.cx, route); }
  /** RtmLockRoute (locks the route's destination). @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER */
  lockRoute(o: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined { return locks.lockRoute(this.cx, o); }
  /** RtmUpdateAndUnlockRoute; returns RTM_ROUTE_CHANGE_BEST or 0. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_NOT_LOCKED */
  updateAndUnlockRoute(o: { route: RouteHandle; timeToLive?: number; routeList?: Nullable<RouteListHandle> }): number { return locks.updateAndUnlockRoute(this.cx, o); }
  /** The route's owner view (D-42), e.g. Context2 of RTM_ROUTE_EXPIRED. @throws RtmError ERROR_INVALID_HANDLE */
  ownerViewOfRoute(route: RouteHandle): RouteOwnerView { return locks.ownerViewOfRoute(this.cx, route); }

  // ── opaque pointers (§8.2) and methods (§8.3): src/rtmv2/opaque.ts, methods.ts ─────────────────────────
  /** RtmGetOpaqueInformationPointer: the caller's slot, or undefined if it reserved none. @throws RtmError ERROR_INVALID_HANDLE */
  getOpaqueInformationPointer(dest: DestHandle): OpaqueSlot | undefined { return opaque.getOpaqueInformationPointer(this.cx, dest); }
  /** RtmGetEntityMethods. @throws RtmError ERROR_INVALID_HANDLE */
  getEntityMethods(entity: EntityHandle): number[] { return methods.getEntityMethods(this.cx, entity); }
  /** RtmInvokeMethod. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_BUSY */
  invokeMethod(o: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): MethodResult[] { return methods.invokeMethod(this.cx, o); }
  /** RtmBlockMethods. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  blockMethods(o: { blockingFlag: number; targetHandle?: Nullable<Handle>; targetType?: number }): void { methods.blockMethods(this.cx, o); }

  // ── enumerations (§8.8): src/rtmv2/enums.ts ────────────────────────────────────────────────────────────
  /** RtmCreateDestEnum. @throws RtmError ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createDestEnum(o?: DestEnumOptions): EnumHandle { return enums.createDestEnum(this.cx, o); }
  /** RtmGetEnumDests. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumDests(o: EnumGetOptions): EnumBatch<DestInfo> { return enums.getEnumDests(this.cx, o); }
  /** RtmCreateRouteEnum. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createRouteEnum(o?: RouteEnumOptions): EnumHandle { return enums.createRouteEnum(this.cx, o); }
  /** RtmGetEnumRoutes. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumRoutes(o: EnumGetOptions): EnumBatch<RouteHandle> { return enums.getEnumRoutes(this.cx, o); }
  /** RtmCreateNextHopEnum. @throws RtmError ERROR_INVALID_PARAMETER */
  createNextHopEnum(o?: NextHopEnumOptions): EnumHandle { return enums.createNextHopEnum(this.cx, o); }
  /** RtmGetEnumNextHops. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumNextHops(o: EnumGetOptions): EnumBatch<NextHopHandle> { return enums.getEnumNextHops(this.cx, o); }
  /** RtmDeleteEnumHandle. @throws RtmError ERROR_INVALID_HANDLE */
  deleteEnumHandle(enumHandle: EnumHandle): void { enums.deleteEnumHandle(this.cx, enumHandle); }
  /** Destinations through an enumeration; a batch's references are released when the iterator moves on. */
  dests(o?: DestEnumOptions & IterateOptions): IterableIterator<DestInfo> { return enums.dests(this.cx, o); }
  /** Route handles through an enumeration, with the reference rule of dests(). */
  routes(o?: RouteEnumOptions & IterateOptions): IterableIterator<RouteHandle> { return enums.routes(this.cx, o); }

  // ── bulk loading (not in RTMv2) ─────────────────────────────────────────────────────────────────────
  /**
   * Bulk RtmAddRouteToDest (src/rtmv2/batch.ts): record i is the prefix (keys[4i..4i+3], lens[i]) with
   * next hop nextHops[i] (neighbour and only next hop), preference, metric, views and flags; no handles,
   * no references, NULL EntitySpecificInfo, no expiry. Atomic. Returns the routes and destinations created.
   * @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY
   */
  addRoutesBatch(b: RouteLoadBatch): RouteLoadResult { return batch.addRoutesBatch(this.batchContext(), b); }
  /**
   * A batch of route updates with the semantics of addRouteToDest (CHANGE_FIRST) / a delete of the caller's
   * route per record (API.md §6, src/rtmv2/batch.ts). Atomic. Returns `count`.
   * @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY
   */
  applyUpdates(b: RouteUpdates): number { return batch.applyUpdates(this.batchContext(), b); }
  /**
   * Pulls up to out.length changed destinations of a registration as destIds and releases them (API.md §6).
   * @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER
   */
  getChangedDestIds(o: ChangedDestIdsOptions): number { return batch.getChangedDestIds(this.batchContext(), o); }
  private batchCtx: batch.BatchContext | undefined;
  /** @internal */ batchContext(): batch.BatchContext {
    const cx = this.cx, inst = cx.inst;
    return this.batchCtx ??= {
      core: cx.core, handle: this.handle, routeEsi: inst.routeEsi,
      defaultPreference: () => inst.options.defaultPreferences?.[this.protocolId],
      live: (op) => live(cx, op), syncNow: () => inst.syncNow(), afterChange: () => { inst.afterChange(); inst.armTimers(); },
    };
  }

  // ── change notification (§8.9): src/rtmv2/notify.ts ───────────────────────────────────────────────────
  /** RtmRegisterForChangeNotification. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY */
  registerForChangeNotification(o: NotifyOptions): NotifyHandle { return notify.register(this.cx, o); }
  /** RtmGetChangedDests. */
  getChangedDests(o: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> { return notify.getChanged(this.cx, o); }
  /** RtmReleaseChangedDests. */
  releaseChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void { notify.releaseChanged(this.cx, o); }
  /** RtmIgnoreChangedDests. */
  ignoreChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void { notify.ignore(this.cx, o); }
  /** RtmGetChangeStatus. */
  getChangeStatus(o: { notifyHandle: NotifyHandle; dest: DestHandle }): boolean { return notify.status(this.cx, o, false); }
  /** RtmMarkDestForChangeNotification. */
  markDestForChangeNotification(o: { notifyHandle: NotifyHandle; dest: DestHandle; mark?: boolean }): void { notify.mark(this.cx, o); }
  /** RtmIsMarkedForChangeNotification. */
  isMarkedForChangeNotification(o: { notifyHandle: NotifyHandle; dest: DestHandle }): boolean { return notify.status(this.cx, o, true); }
  /** RtmDeregisterFromChangeNotification. */
  deregisterFromChangeNotification(notifyHandle: NotifyHandle): void { notify.deregister(this.cx, notifyHandle); }

  // ── route lists (§8.10): src/rtmv2/lists.ts ────────────────────────────────────────────────────────────
  /** RtmCreateRouteList. */
  createRouteList(): RouteListHandle { return lists.createRouteList(this.cx); }
  /**
   * RtmInsertInRouteList. All or nothing; besides the documented errors it can fail with
   * ERROR_NOT_ENOUGH_MEMORY (a route's list links are a record made on its first insertion; README).
   */
  insertInRouteList(o: { routeList: Nullable<RouteListHandle>; routes: readonly RouteHandle[] }): void { lists.insertInRouteList(this.cx, o); }
  /** RtmCreateRouteListEnum. */
  createRouteListEnum(routeList: RouteListHandle): EnumHandle { return lists.createRouteListEnum(this.cx, routeList); }
  /** RtmGetListEnumRoutes. */
  getListEnumRoutes(o: EnumGetOptions): EnumBatch<RouteHandle> { return lists.getListEnumRoutes(this.cx, o); }
  /** RtmDeleteRouteList. */
  deleteRouteList(routeList: RouteListHandle): void { lists.deleteRouteList(this.cx, routeList); }

  // ── handles (§8.11): src/rtmv2/refs.ts ─────────────────────────────────────────────────────────────────
  /** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle; all-or-nothing. */
  referenceHandles(handles: readonly ReferenceableHandle[]): void { refs.referenceHandles(this.cx, handles); }
}
