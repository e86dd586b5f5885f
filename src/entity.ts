// Entity: one registration (RTM_ENTITY_HANDLE) and the RTMv2 functions that take it — registration
// and entity information, next hops, routes, destination queries, information retrieval and handle
// reference counting (spec §7.1–7.5, §7.9, §7.15–7.17, §8.1, §8.4–8.7, §8.11). Routing facts live in
// the core; this class parses arguments, keeps the entity's own reference counts (spec D-33: per
// entity, so over-release and clean-up at deregistration are exact) and the JS-valued fields
// (EntitySpecificInfo), and turns statuses into RtmError. Results are fresh objects (they allocate).
import { RtmError, check } from './errors.js';
import { Family, AF_INET, AF_INET6, formatPrefix } from './address.js';
import { handleKind, KEEP_TIMER } from './layout.js';
import * as records from './port/records.js';
import * as args from './rtmv2/args.js';
import * as refs from './rtmv2/refs.js';
import * as routes from './rtmv2/routes.js';
import * as dests from './rtmv2/dests.js';
import { u32, nullable } from './rtmv2/args.js';
import type { Ctx, Instance } from './rtmv2/context.js';
import type { Rtm, Table } from './rtm.js';
import type {
  EntityHandle, DestHandle, RouteHandle, NextHopHandle, RegnProfile, EntityInfo, EventCallback, EntityMethod,
  RegisteredEntity, AddRouteOptions, AddRouteResult, RouteInfo, DestInfo, DestViewInfo, DestQueryOptions,
  PrefixInput, ExactMatchRouteOptions, ExactMatchRouteResult, AddNextHopOptions, AddNextHopResult, NextHopIdentity,
  FindNextHopResult, NextHopInfo, NextHopOwnerView, ReferenceableHandle, RouteState, NextHopState, EntityLike,
  NotifyHandle, NotifyOptions, EnumBatch, RouteListHandle, EnumHandle, EnumGetOptions, Nullable,
} from './types.js';
import * as lists from './lists.js';
import { Dynamics, type T } from './dynamics/index.js';
import { nextHopView } from './dynamics/locks.js';

const NOT_FOUND = 1168;
const CHANGE_NEW = 0x2;
const MATCH_OWNER = 0x1, MATCH_NEIGHBOUR = 0x2, MATCH_PREF = 0x4, MATCH_NEXTHOP = 0x8, MATCH_INTERFACE = 0x10;

/** The part of EntityLike the core-semantics layer implements (the dynamics layer adds the rest). */
export type CoreEntityLike = Pick<EntityLike,
  'handle' | 'profile' | 'info' | 'deregister' | 'getRegisteredEntities' | 'releaseEntities' | 'getEntityInfo' |
  'releaseEntityInfo' | 'getDestInfo' | 'getRouteInfo' | 'getNextHopInfo' | 'releaseDestInfo' | 'releaseRouteInfo' |
  'releaseNextHopInfo' | 'addRouteToDest' | 'deleteRouteToDest' | 'getExactMatchDestination' |
  'getMostSpecificDestination' | 'getLessSpecificDestination' | 'getExactMatchRoute' | 'isBestRoute' | 'addNextHop' |
  'findNextHop' | 'deleteNextHop' | 'getNextHopPointer' | 'releaseRoutes' | 'releaseDests' | 'releaseNextHops' |
  'referenceHandles'>;

export class Entity implements CoreEntityLike {
  readonly handle: EntityHandle;
  readonly profile: RegnProfile;
  readonly info: EntityInfo;
  readonly family: Family;
  /** Entity slot in the core. */
  readonly slot: number;
  readonly protocolId: number;
  readonly instanceId: number;
  readonly onEvent: EventCallback | undefined;
  readonly methods: readonly EntityMethod[];
  /** Opaque pointer slot index, or -1. */
  readonly opaqueSlot: number;
  /** @internal */ readonly rtm: Rtm;
  /** @internal */ readonly table: Table;
  /** This entity's references: handle → count (spec D-33). */
  /** @internal */ get registered(): boolean { return this.cx.registered; }
  set registered(v: boolean) { this.cx.registered = v; }
  /** Route lists this entity created (destroyed at deregistration). @internal */
  readonly routeLists = new Set<number>();

  constructor(rtm: Rtm, table: Table, handle: EntityHandle, slot: number, protocolId: number, instanceId: number,
    onEvent: EventCallback | undefined, methods: readonly EntityMethod[], opaqueSlot: number) {
    this.rtm = rtm;
    this.table = table;
    this.handle = handle;
    this.slot = slot;
    this.family = table.family;
    this.protocolId = protocolId;
    this.instanceId = instanceId;
    this.onEvent = onEvent;
    this.methods = methods;
    this.opaqueSlot = opaqueSlot;
    const views = rtm.options.views;
    this.profile = Object.freeze({
      maxNextHopsInRoute: rtm.options.maxNextHopsInRoute, maxHandlesInEnum: rtm.options.maxHandlesInEnum,
      viewsSupported: views, numberOfViews: (views & 1) + ((views >> 1) & 1),
    });
    this.info = entityInfoOf(rtm.instanceId, this.family, protocolId, instanceId);
    this.cx = {
      inst: rtm as unknown as Instance, core: rtm.core, x: rtm.core.x as unknown as Ctx['x'], L: rtm.layout,
      table: table.core, t: table.core.t, family: this.family, handle, slot, protocolId, instanceId,
      profile: this.profile, info: this.info, onEvent, methods, opaqueSlot, registered: true, cleaned: false,
      blocked: false, refs: new Map(), routeLists: this.routeLists,
    };
  }
  /** @internal */ readonly cx: Ctx;

  get isRegistered(): boolean { return this.registered && !this.rtm.isClosed; }

  /** Called when the instance closes. */
  markGone(): void { this.registered = false; refs.forgetAll(this.cx); }

  /** @internal */ live(op: string): void {
    if (!this.registered) throw new RtmError('ERROR_INVALID_HANDLE', op, 'entity deregistered');
    this.rtm.usable(op);
  }

  /** @internal */ get x() { return this.rtm.core.x as unknown as Record<string, (...a: number[]) => number>; }
  /** @internal */ get L() { return this.rtm.layout; }
  /** @internal */ res(i: number): number { return this.rtm.core.res(i); }
  /** @internal */ call(op: string, f: () => number): number { return this.rtm.core.guard(f); }

  /** Handle of live slot `slot` of kind KIND_*. */
  /** @internal */ handleOf(kind: number, slot: number): number { return this.x.handleOfX(kind, slot); }

  // ── references (spec §7.9, D-33): src/rtmv2/refs.ts ───────────────────────────────────────────────
  /** @internal */ take(h: number): void { refs.take(this.cx, h); }
  /** @internal */ drop(h: number): boolean { return refs.drop(this.cx, h); }
  /** @internal */ dropAll(hs: readonly (number | undefined)[], op: string, kind = 0): void { refs.dropAll(this.cx, hs, op, kind); }
  /** References this entity holds on a handle (tests and diagnostics). */
  refCount(h: number): number { return refs.refCount(this.cx, h); }

  // ── arguments ───────────────────────────────────────────────────────────────────────────────────────
  /** @internal */ prefixIn(p: PrefixInput, op: string): number { return args.prefixIn(this.cx, p, op); }
  /** @internal */ viewsArg(v: number | undefined, op: string): number { return args.viewsArg(this.cx, v, op); }
  /** @internal */ protoArg(p: number | undefined, op: string): number { return args.protoArg(this.cx, p, op); }
  /** @internal */ destSlot(h: unknown, op: string): number { return args.destArg(this.cx, h, op); }
  /** @internal */ routeSlot(h: unknown, op: string): number { return args.routeArg(this.cx, h, op); }
  /** @internal */ nextHopSlot(h: unknown, op: string): number { return args.nextHopArg(this.cx, h, op); }

  // ── record readers ──────────────────────────────────────────────────────────────────────────────────
  /** @internal */ routeWord(r: number, w: number): number { return records.routeWord(this.rtm.core, r, w); }
  /** @internal */ nhWord(h: number, w: number): number { return records.nextHopWord(this.rtm.core, h, w); }
  /** @internal */ routeHops(r: number): number[] { return records.routeHopSlots(this.rtm.core, r); }

  // ── registration (§8.1) ─────────────────────────────────────────────────────────────────────────────
  /** RtmDeregisterEntity: deletes the entity's routes and next hops, drops its references (§7.16). */
  deregister(): void {
    this.live('deregister');
    if (this.rtm.inRegistrationCallback > 0) throw new RtmError('ERROR_BUSY', 'deregister', 'inside a registration-event callback');
    this.rtm.syncNow();
    this.dynamicsCleanup();
    lists.deleteRouteListsOf(this);
    check(this.call('deregister', () => this.x.entityDeregister(this.handle)), 'deregister');
    this.rtm.notify.entityGone(this);
    this.rtm.afterChange(this);
    refs.dropEverything(this.cx);
    this.registered = false;
    this.rtm.entityGone(this);
  }

  /** RtmGetRegisteredEntities: every entity of this table, in registration order; handles referenced. */
  getRegisteredEntities(): RegisteredEntity[] {
    this.live('getRegisteredEntities');
    if (this.rtm.inRegistrationCallback > 0) throw new RtmError('ERROR_BUSY', 'getRegisteredEntities', 'inside a registration-event callback');
    const t = this.table.core.t;
    const slots = this.rtm.core.slotPages('getRegisteredEntities', (after) => this.x.entityList(t, after));
    return slots.map((s) => {
      const h = this.handleOf(this.L.KIND_ENTITY, s) as EntityHandle;
      this.take(h);
      return { handle: h, info: this.getEntityInfo(h) };
    });
  }

  /** RtmReleaseEntities. */
  releaseEntities(entities: readonly EntityHandle[]): void {
    this.live('releaseEntities');
    this.dropAll(entities, 'releaseEntities', this.L.KIND_ENTITY);
  }

  /** RtmGetEntityInfo: identity of any entity of this table (also deregistered but referenced). */
  getEntityInfo(entity: EntityHandle): EntityInfo {
    this.live('getEntityInfo');
    if (typeof entity !== 'number' || this.x.entityInfo(entity) !== 0 || this.res(1) !== this.table.core.t) {
      throw new RtmError('ERROR_INVALID_HANDLE', 'getEntityInfo', 'bad entity handle');
    }
    return entityInfoOf(this.rtm.instanceId, this.family, this.res(2), this.res(3));
  }

  /** RtmReleaseEntityInfo: there are no handles inside; validates the registration only. */
  releaseEntityInfo(_info: EntityInfo): void { this.live('releaseEntityInfo'); }

  // ── routes (§8.5): src/rtmv2/routes.ts ───────────────────────────────────────────────────────────────
  /** RtmAddRouteToDest (spec §8.5.1, §7.2). */
  addRouteToDest(o: AddRouteOptions): AddRouteResult { return routes.addRouteToDest(this.cx, o); }
  /** @internal */ handlesResolve(route: number, neighbour: number, hops: readonly unknown[]): boolean { return routes.handlesResolve(this.cx, route, neighbour, hops); }
  /** RtmDeleteRouteToDest: consumes one of the caller's references (if any); returns the change flags. */
  deleteRouteToDest(route: RouteHandle): number { return routes.deleteRouteToDest(this.cx, route); }
  /** RtmGetRouteInfo: a copy of the route (any state); handles inside referenced. */
  getRouteInfo(route: RouteHandle): RouteInfo { return routes.getRouteInfo(this.cx, route); }
  /** @internal */ routeInfoOf(r: number): RouteInfo { return routes.routeInfoOf(this.cx, r); }
  /** RtmReleaseRouteInfo. */
  releaseRouteInfo(info: RouteInfo): void { routes.releaseRouteInfo(this.cx, info); }
  /** Releases route handles this entity holds, ignoring those it does not (scheduler clean-up). @internal */
  releaseRoutesQuietly(hs: readonly RouteHandle[]): void { refs.dropQuietly(this.cx, hs); }
  /** RtmReleaseRoutes. */
  releaseRoutes(hs: readonly RouteHandle[]): void { routes.releaseRoutes(this.cx, hs); }
  /** RtmIsBestRoute: views in which the route is best (0 for deleted or held routes). */
  isBestRoute(route: RouteHandle): number { return routes.isBestRoute(this.cx, route); }
  /** RtmGetExactMatchRoute: the first route (chain order) in the views matching the criteria. */
  getExactMatchRoute(o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined { return routes.getExactMatchRoute(this.cx, o); }

  // ── destinations (§8.4, §8.6): src/rtmv2/dests.ts ───────────────────────────────────────────────────
  /** @internal */ destInfoOf(d: number, o: DestQueryOptions, op: string): DestInfo { return dests.destInfoOf(this.cx, d, o, op); }
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

  // ── next hops (§8.7) ────────────────────────────────────────────────────────────────────────────────
  /** RtmAddNextHop: find-or-create by (address, interface) in the caller's list, or update by handle. */
  addNextHop(o: AddNextHopOptions): AddNextHopResult {
    const op = 'addNextHop';
    this.live(op);
    if (!o || typeof o !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
    const nh = nullable(o.nextHop, op), remote = nullable(o.remoteNextHop, op);
    const ifIndex = u32(o.interfaceIndex ?? 0, 'interfaceIndex', op);
    const flags = u32(o.flags ?? 0, 'flags', op, 0xffff);
    const len = this.prefixIn(o.address, op);
    check(this.call(op, () => this.x.nexthopAdd(this.handle, len, ifIndex, flags, remote, nh)), op);
    const slot = this.res(0), created = this.res(1);
    this.rtm.nextHopEsi[slot] = o.entitySpecificInfo ?? null;
    let handle: NextHopHandle | undefined;
    if (nh) handle = nh as NextHopHandle;
    else if (o.returnHandle !== false) { handle = this.handleOf(this.L.KIND_NEXTHOP, slot) as NextHopHandle; this.take(handle); }
    return { handle, changeFlags: created ? 1 : 0 };
  }

  /** RtmFindNextHop in the caller's list; undefined if absent. */
  findNextHop(o: NextHopIdentity): FindNextHopResult | undefined {
    const op = 'findNextHop';
    this.live(op);
    const ifIndex = u32(o?.interfaceIndex ?? 0, 'interfaceIndex', op);
    const len = this.prefixIn(o.address, op);
    const s = this.x.nexthopFind(this.handle, len, ifIndex);
    if (s === NOT_FOUND) return undefined;
    check(s, op);
    const handle = this.handleOf(this.L.KIND_NEXTHOP, this.res(0)) as NextHopHandle;
    this.take(handle);
    return { handle, pointer: nextHopView(this, this.dyn.locks, handle) };
  }

  /** RtmDeleteNextHop by handle (consumes one of the caller's references) or by identity. */
  deleteNextHop(target: NextHopHandle | NextHopIdentity): void {
    const op = 'deleteNextHop';
    this.live(op);
    if (typeof target === 'number') {
      check(this.call(op, () => this.x.nexthopDelete(this.handle, target, 0, 0)), op);
      this.drop(target);
    } else if (target && typeof target === 'object') {
      const ifIndex = u32(target.interfaceIndex ?? 0, 'interfaceIndex', op);
      const len = this.prefixIn(target.address, op);
      check(this.call(op, () => this.x.nexthopDelete(this.handle, 0, len, ifIndex)), op);
    } else throw new RtmError('ERROR_INVALID_PARAMETER', op, 'neither a handle nor an identity');
  }

  /** RtmGetNextHopInfo (any next hop of this table); owner and remote destination referenced. */
  getNextHopInfo(nextHop: NextHopHandle): NextHopInfo {
    const op = 'getNextHopInfo';
    this.live(op);
    const s = this.nextHopSlot(nextHop, op);
    const info = this.nextHopInfoOf(s);
    this.take(info.owner);
    if (info.remoteNextHop) this.take(info.remoteNextHop);
    return info;
  }

  /** @internal */ nextHopInfoOf(s: number): NextHopInfo {
    const L = this.L, c = this.rtm.core;
    const remote = this.nhWord(s, L.NEXTHOP_REMOTE), fl = this.nhWord(s, L.NEXTHOP_FLAGS);
    return {
      address: this.rtm.nextHopAddress(this.family, s),
      interfaceIndex: this.nhWord(s, L.NEXTHOP_IFINDEX),
      owner: this.handleOf(L.KIND_ENTITY, this.nhWord(s, L.NEXTHOP_OWNER)) as EntityHandle,
      state: (fl >>> L.NEXTHOP_STATE_SHIFT) as NextHopState,
      flags: fl & 0xffff,
      entitySpecificInfo: this.rtm.nextHopEsi[s] ?? null,
      remoteNextHop: remote === c.NIL ? undefined : (this.handleOf(L.KIND_DEST, remote) || undefined) as DestHandle | undefined,
    };
  }

  /** RtmGetNextHopPointer: the owner's view of its next hop (no reference). */
  getNextHopPointer(nextHop: NextHopHandle): NextHopOwnerView {
    const op = 'getNextHopPointer';
    this.live(op);
    const s = this.nextHopSlot(nextHop, op);
    if (this.nhWord(s, this.L.NEXTHOP_OWNER) !== this.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
    return nextHopView(this, this.dyn.locks, nextHop);
  }

  /** RtmReleaseNextHopInfo. */
  releaseNextHopInfo(info: NextHopInfo): void {
    this.live('releaseNextHopInfo');
    this.dropAll([info.owner, info.remoteNextHop], 'releaseNextHopInfo');
  }

  /** RtmReleaseNextHops. */
  releaseNextHops(nextHops: readonly NextHopHandle[]): void {
    this.live('releaseNextHops');
    this.dropAll(nextHops, 'releaseNextHops', this.L.KIND_NEXTHOP);
  }

  // ── dynamics (facade): delegations to src/dynamics ──
  /** Per-entity state of the dynamics layer (enumerations, locks and owner views, opaque slots, method blocking). */
  /** @internal */ readonly dyn: Dynamics = new Dynamics(this);
  lockDestination(o: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void { this.dyn.lockDestination(o); }
  getOpaqueInformationPointer(dest: DestHandle): T.OpaqueSlot | undefined { return this.dyn.getOpaqueInformationPointer(dest); }
  getEntityMethods(entity: EntityHandle): number[] { return this.dyn.getEntityMethods(entity); }
  invokeMethod(o: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): T.MethodResult[] { return this.dyn.invokeMethod(o); }
  blockMethods(o: { blockingFlag: number; targetHandle?: T.Nullable<T.Handle>; targetType?: number }): void { this.dyn.blockMethods(o); }
  getRoutePointer(route: RouteHandle): T.RouteOwnerView { return this.dyn.getRoutePointer(route); }
  lockRoute(o: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): T.RouteOwnerView | undefined { return this.dyn.lockRoute(o); }
  updateAndUnlockRoute(o: { route: RouteHandle; timeToLive?: number; routeList?: T.Nullable<T.RouteListHandle> }): number { return this.dyn.updateAndUnlockRoute(o); }
  lockNextHop(o: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined { return this.dyn.lockNextHop(o); }
  createDestEnum(o?: T.DestEnumOptions): T.EnumHandle { return this.dyn.createDestEnum(o); }
  getEnumDests(o: T.EnumGetOptions): T.EnumBatch<DestInfo> { return this.dyn.getEnumDests(o); }
  createRouteEnum(o?: T.RouteEnumOptions): T.EnumHandle { return this.dyn.createRouteEnum(o); }
  getEnumRoutes(o: T.EnumGetOptions): T.EnumBatch<RouteHandle> { return this.dyn.getEnumRoutes(o); }
  createNextHopEnum(o?: T.NextHopEnumOptions): T.EnumHandle { return this.dyn.createNextHopEnum(o); }
  getEnumNextHops(o: T.EnumGetOptions): T.EnumBatch<NextHopHandle> { return this.dyn.getEnumNextHops(o); }
  deleteEnumHandle(enumHandle: T.EnumHandle): void { this.dyn.deleteEnumHandle(enumHandle); }
  dests(o?: T.DestEnumOptions & T.IterateOptions): IterableIterator<DestInfo> { return this.dyn.dests(o); }
  routes(o?: T.RouteEnumOptions & T.IterateOptions): IterableIterator<RouteHandle> { return this.dyn.routes(o); }
  /** Releases what this entity holds in the dynamics layer (enumerations, locks, opaque values, blocking); for deregister(). */
  dynamicsCleanup(): void { this.dyn.cleanup(); }
  /** The route's owner view (D-42), e.g. Context2 of RTM_ROUTE_EXPIRED. @throws RtmError ERROR_INVALID_HANDLE */
  ownerViewOfRoute(route: RouteHandle): T.RouteOwnerView { return this.dyn.ownerViewOfRoute(route); }

  // ── bulk loading (not in RTMv2) ─────────────────────────────────────────────────────────────────────
  /**
   * Bulk RtmAddRouteToDest: record i is the prefix (keys[4i..4i+3], lens[i]) with next hop
   * nextHops[i] (a next-hop handle of this entity, used as both neighbour and only next hop; 0 = none),
   * preference, metric, views (default unicast) and flags — the identity rule of spec §7.2 applies, so
   * re-loading a record updates its route. No handles are returned and no references taken; EntitySpecificInfo
   * is NULL and routes never expire. Validation is per chunk of LOAD_MAX records, all-or-nothing per chunk.
   * Allocates nothing per record. Returns the routes and destinations created.
   * @throws RtmError ERROR_INVALID_HANDLE (a bad next-hop handle), ERROR_INVALID_PARAMETER (length, a
   *   foreign or deleted next hop), ERROR_NOT_ENOUGH_MEMORY
   */
  addRoutesBatch(b: {
    count: number; keys: Uint32Array; lens: Uint8Array | Uint32Array; nextHops?: Float64Array;
    preferences?: Uint32Array; metrics?: Uint32Array; views?: Uint8Array | Uint32Array; flags?: Uint16Array | Uint32Array;
  }): { routesCreated: number; destsCreated: number } {
    const op = 'addRoutesBatch';
    this.live(op);
    const n = u32(b?.count, 'count', op);
    if (b.keys.length < 4 * n || b.lens.length < n) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'arrays shorter than count');
    const c = this.rtm.core, x = this.x;
    const W = c.constant('LOAD_WORDS'), MAX = c.constant('LOAD_MAX');
    let routesCreated = 0, destsCreated = 0;
    this.rtm.syncNow();
    for (let i0 = 0; i0 < n; i0 += MAX) {
      const m = Math.min(MAX, n - i0);
      const u = c.u32(), f = c.f64(), base = c.io + c.IO_IN;
      for (let j = 0; j < m; j++) {
        const i = i0 + j, r = base + j * W;
        u[r] = b.keys[4 * i]; u[r + 1] = b.keys[4 * i + 1]; u[r + 2] = b.keys[4 * i + 2]; u[r + 3] = b.keys[4 * i + 3];
        u[r + 4] = b.lens[i] | ((b.views ? b.views[i] : 1) << 8);
        u[r + 5] = b.preferences ? b.preferences[i] : 0;
        u[r + 6] = b.metrics ? b.metrics[i] : 0;
        u[r + 7] = b.flags ? b.flags[i] : 0;
        f[(r + 8) / 2] = b.nextHops ? b.nextHops[i] : 0;
      }
      const s = this.call(op, () => x.routeLoad(this.handle, m));
      if (s !== 0) throw new RtmError(s, op, `record ${i0 + this.res(2)}${i0 > 0 ? ` (records before ${i0} were applied)` : ''}`);
      routesCreated += this.res(0);
      destsCreated += this.res(1);
      this.rtm.afterChange(this);
    }
    return { routesCreated, destsCreated };
  }

  // ── change notification (§8.9; core: assembly/notify.ts, facade: src/notify.ts) ─────────────────────
  /** RtmRegisterForChangeNotification. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY */
  registerForChangeNotification(o: NotifyOptions): NotifyHandle {
    this.live('registerForChangeNotification');
    if (this.rtm.inChangeCallback > 0) throw new RtmError('ERROR_BUSY', 'registerForChangeNotification', 'inside a change-notification callback');
    return this.rtm.notify.register(this, o);
  }
  /** RtmGetChangedDests. */
  getChangedDests(o: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> {
    this.live('getChangedDests');
    return this.rtm.notify.getChanged(this, o);
  }
  /** RtmReleaseChangedDests. */
  releaseChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void {
    this.live('releaseChangedDests');
    this.rtm.notify.releaseChanged(this, o);
  }
  /** RtmIgnoreChangedDests. */
  ignoreChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void {
    this.live('ignoreChangedDests');
    this.rtm.notify.ignore(this, o);
  }
  /** RtmGetChangeStatus. */
  getChangeStatus(o: { notifyHandle: NotifyHandle; dest: DestHandle }): boolean {
    this.live('getChangeStatus');
    return this.rtm.notify.status(this, o, false);
  }
  /** RtmMarkDestForChangeNotification. */
  markDestForChangeNotification(o: { notifyHandle: NotifyHandle; dest: DestHandle; mark?: boolean }): void {
    this.live('markDestForChangeNotification');
    this.rtm.notify.mark(this, o);
  }
  /** RtmIsMarkedForChangeNotification. */
  isMarkedForChangeNotification(o: { notifyHandle: NotifyHandle; dest: DestHandle }): boolean {
    this.live('isMarkedForChangeNotification');
    return this.rtm.notify.status(this, o, true);
  }
  /** RtmDeregisterFromChangeNotification. */
  deregisterFromChangeNotification(notifyHandle: NotifyHandle): void {
    this.live('deregisterFromChangeNotification');
    this.rtm.notify.deregister(this, notifyHandle);
  }
  // ── hold-down (§8.5.3) and route lists (§8.10; core: assembly/lists.ts, facade: src/lists.ts) ─────────
  /** RtmHoldDestination. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER (holdTime 0), ERROR_NOT_SUPPORTED, ERROR_BUSY */
  holdDestination(o: { dest: DestHandle; views?: number; holdTime: number }): void { dests.holdDestination(this.cx, o); }
  /** RtmCreateRouteList. */
  createRouteList(): RouteListHandle { this.live('createRouteList'); return lists.createRouteList(this); }
  /** RtmInsertInRouteList. */
  insertInRouteList(o: { routeList: Nullable<RouteListHandle>; routes: readonly RouteHandle[] }): void {
    this.live('insertInRouteList');
    lists.insertInRouteList(this, o);
  }
  /** RtmCreateRouteListEnum. */
  createRouteListEnum(routeList: RouteListHandle): EnumHandle { this.live('createRouteListEnum'); return lists.createRouteListEnum(this, routeList); }
  /** RtmGetListEnumRoutes. */
  getListEnumRoutes(o: EnumGetOptions): EnumBatch<RouteHandle> { this.live('getListEnumRoutes'); return lists.getListEnumRoutes(this, o); }
  /** RtmDeleteRouteList. */
  deleteRouteList(routeList: RouteListHandle): void { this.live('deleteRouteList'); lists.deleteRouteList(this, routeList); }

  /** Releases the references of a destination record (no D-60 check): for the notification layer. @internal */
  releaseRecord(info: DestInfo): void { dests.releaseRecord(this.cx, info, 'releaseChangedDests'); }

  // ── handles (§8.11) ─────────────────────────────────────────────────────────────────────────────────
  /** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle; all-or-nothing. */
  referenceHandles(handles: readonly ReferenceableHandle[]): void { refs.referenceHandles(this.cx, handles); }

}

/** An EntityInfo value. */
export function entityInfoOf(rtmInstanceId: number, family: Family, protocolId: number, instanceId: number): EntityInfo {
  return Object.freeze({
    rtmInstanceId, addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId, instanceId,
    entityId: BigInt(protocolId >>> 0) | (BigInt(instanceId >>> 0) << 32n),
  } as EntityInfo);
}
