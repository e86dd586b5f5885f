// Entity: one registration (RTM_ENTITY_HANDLE) and the RTMv2 functions that take it — registration
// and entity information, next hops, routes, destination queries, information retrieval and handle
// reference counting (spec §7.1–7.5, §7.9, §7.15–7.17, §8.1, §8.4–8.7, §8.11). Routing facts live in
// the core; this class parses arguments, keeps the entity's own reference counts (spec D-33: per
// entity, so over-release and clean-up at deregistration are exact) and the JS-valued fields
// (EntitySpecificInfo), and turns statuses into RtmError. Results are fresh objects (they allocate).
import { RtmError, check } from './errors.js';
import { Family, AF_INET, AF_INET6, NetAddressLike, parsePrefixInto, netAddressInto, formatPrefix } from './address.js';
import { handleKind, KEEP_TIMER } from './layout.js';
import type { Rtm, Table } from './rtm.js';
import type { CoreExports } from './port/core.js';
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
const VIEW_MASK_ALL = 0xffffffff;
const THIS_PROTOCOL = 0xffffffff;
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

function u32(v: unknown, name: string, op: string, max = 0xffffffff): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be an integer in 0..${max}, got ${String(v)}`);
  }
  return v;
}

/** A NULL-able handle option → number (0 = NULL); a non-number is ERROR_INVALID_HANDLE. */
function nullable(v: unknown, op: string): number {
  if (v === undefined || v === null || v === 0) return 0;
  if (typeof v !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, `not a handle: ${String(v)}`);
  return v;
}

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
  /** @internal */ readonly refs = new Map<number, number>();
  /** @internal */ registered = true;
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
  }

  get isRegistered(): boolean { return this.registered && !this.rtm.isClosed; }

  /** Called when the instance closes. */
  markGone(): void { this.registered = false; this.refs.clear(); }

  /** @internal */ live(op: string): void {
    if (!this.registered) throw new RtmError('ERROR_INVALID_HANDLE', op, 'entity deregistered');
    this.rtm.usable(op);
  }

  /** @internal */ get x(): CoreExports { return this.rtm.core.x; }
  /** @internal */ get L() { return this.rtm.layout; }
  /** @internal */ res(i: number): number { return this.rtm.core.res(i); }
  /** @internal */ call(_op: string, f: () => number): number { return f(); }   // every core call is guarded (src/port)

  /** Handle of live slot `slot` of kind KIND_*. */
  /** @internal */ handleOf(kind: number, slot: number): number { return this.x.handleOfX(kind, slot); }

  // ── references (spec §7.9, D-33) ────────────────────────────────────────────────────────────────────
  /** @internal */ refFn(kind: number): ((h: number, delta: number) => number) | undefined {
    const L = this.L, x = this.x;
    return kind === L.KIND_DEST ? x.destRefX : kind === L.KIND_ROUTE ? x.routeRefX : kind === L.KIND_NEXTHOP ? x.nexthopRefX
      : kind === L.KIND_ENTITY ? x.entityRefX : undefined;
  }
  /** Takes one reference on a handle for this entity. */
  /** @internal */ take(h: number): void {
    if (!h) return;
    const fn = this.refFn(handleKind(h));
    if (!fn) return;
    if (fn(h, 1) !== 0) return;
    this.refs.set(h, (this.refs.get(h) ?? 0) + 1);
  }
  /** Gives back one of this entity's references; false if it holds none on h. */
  /** @internal */ drop(h: number): boolean {
    const n = this.refs.get(h) ?? 0;
    if (n === 0) return false;
    const fn = this.refFn(handleKind(h));
    if (!fn || fn(h, -1) !== 0) { this.refs.delete(h); return false; }
    if (n === 1) this.refs.delete(h); else this.refs.set(h, n - 1);
    return true;
  }
  /**
   * Releases every handle (of kind `kind` when given); all valid ones are released, then
   * ERROR_INVALID_HANDLE if any was not held or of another kind.
   */
  /** @internal */ dropAll(hs: readonly (number | undefined)[], op: string, kind = 0): void {
    let bad = 0;
    if (!Array.isArray(hs)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not an array of handles');
    for (const h of hs) {
      if (!h) continue;
      if ((kind !== 0 && handleKind(h) !== kind) || !this.drop(h)) bad++;
    }
    if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} handle(s) not held`);
  }
  /** References this entity holds on a handle (tests and diagnostics). */
  refCount(h: number): number { return this.refs.get(h) ?? 0; }

  // ── arguments ───────────────────────────────────────────────────────────────────────────────────────
  /** Writes a prefix into the I/O area's key words; returns its length. */
  /** @internal */ prefixIn(p: PrefixInput, op: string): number {
    const c = this.rtm.core;
    let len = -1;
    if (typeof p === 'string') len = parsePrefixInto(p, this.family, c.u32(), c.io + c.IO_IN);
    else if (p && typeof p === 'object') len = netAddressInto(p as NetAddressLike, this.family, c.u32(), c.io + c.IO_IN);
    if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, `bad ${this.family === 4 ? 'IPv4' : 'IPv6'} prefix ${JSON.stringify(p)}`);
    return len;
  }
  /** Target views: undefined → all supported; RTM_VIEW_MASK_ALL → all supported; unsupported bits → ERROR_NOT_SUPPORTED. */
  /** @internal */ viewsArg(v: number | undefined, op: string): number {
    if (v === undefined) return this.profile.viewsSupported;
    u32(v, 'views', op);
    if (v === VIEW_MASK_ALL) return this.profile.viewsSupported;
    if ((v & ~this.profile.viewsSupported) !== 0) throw new RtmError('ERROR_NOT_SUPPORTED', op, `views 0x${v.toString(16)}`);
    return v;
  }
  /** @internal */ protoArg(p: number | undefined, op: string): number {
    const v = u32(p ?? 0, 'protocolId', op);
    return v === THIS_PROTOCOL ? this.protocolId : v;
  }
  /** @internal */ destSlot(h: unknown, op: string): number {
    if (typeof h !== 'number' || this.x.destFromHandle(this.table.core.t, h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
    return this.res(0);
  }
  /** @internal */ routeSlot(h: unknown, op: string): number {
    if (typeof h !== 'number' || this.x.routeFromHandle(h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route handle');
    const r = this.res(0);
    if (this.routeTable(r) !== this.table.core.t) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route of another table');
    return r;
  }
  /** @internal */ nextHopSlot(h: unknown, op: string): number {
    if (typeof h !== 'number' || this.x.nexthopFromHandle(h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad next-hop handle');
    const s = this.res(0);
    if (this.entityTableOf(this.nhWord(s, this.L.NEXTHOP_OWNER)) !== this.table.core.t) throw new RtmError('ERROR_INVALID_HANDLE', op, 'next hop of another table');
    return s;
  }

  // ── record readers ──────────────────────────────────────────────────────────────────────────────────
  /** Word index of record `slot` of `slab` in core.u32() (re-read after any call that may allocate). */
  /** @internal */ base(slab: number, slot: number, _words: number): number {
    return this.x.recordPtr(slab, slot) >>> 2;
  }
  /** @internal */ routeWord(r: number, w: number): number { return this.rtm.core.u32()[this.base(this.L.SLAB_ROUTE, r, this.L.ROUTE_WORDS) + w]; }
  /** @internal */ nhWord(h: number, w: number): number { return this.rtm.core.u32()[this.base(this.L.SLAB_NEXTHOP, h, this.L.NEXTHOP_WORDS) + w]; }
  /** @internal */ routeTable(r: number): number {
    const d = this.routeWord(r, this.L.ROUTE_DEST);
    return this.rtm.core.u32()[this.base(this.L.SLAB_DEST, d, this.L.DEST_WORDS) + 1];
  }
  /** @internal */ entityTableOf(e: number): number {
    return this.rtm.core.u32()[this.base(this.L.SLAB_ENTITY, e, this.L.ENTITY_WORDS) + 1];
  }
  /** @internal */ routeHops(r: number): number[] {
    const u = this.rtm.core.u32(), b = this.base(this.L.SLAB_ROUTE, r, this.L.ROUTE_WORDS);
    const n = u[b + this.L.ROUTE_NHCOUNT], out: number[] = [];
    for (let i = 0; i < n; i++) out.push(n === 1 ? u[b + this.L.ROUTE_NH] : u[(u[b + this.L.ROUTE_NH] >>> 2) + i]);
    return out;
  }

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
    for (const [h, n] of this.refs) {
      const fn = this.refFn(handleKind(h));
      if (fn) for (let i = 0; i < n; i++) fn(h, -1);
    }
    this.refs.clear();
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

  // ── routes (§8.5) ───────────────────────────────────────────────────────────────────────────────────
  /** RtmAddRouteToDest (spec §8.5.1, §7.2). */
  addRouteToDest(o: AddRouteOptions): AddRouteResult {
    const op = 'addRouteToDest';
    this.live(op);
    if (!o || typeof o !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
    const route = nullable(o.route, op), neighbour = nullable(o.neighbour, op);
    const hops = o.nextHops ?? [];
    if (!Array.isArray(hops)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'nextHops must be an array');
    const routeList = nullable(o.routeList, op);
    let pref: number, metric: number, views: number, flags: number, flags1: number, changeIn: number, len: number, ttl: number;
    try {
      if (hops.length > 256) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'too many next hops');
      pref = u32(o.preference ?? 0, 'preference', op);
      metric = u32(o.metric ?? 0, 'metric', op);
      views = u32(o.views ?? 1, 'views', op);
      flags = u32(o.flags ?? 0, 'flags', op, 0xffff);
      flags1 = u32(o.flags1 ?? 0, 'flags1', op, 0xff);
      changeIn = u32(o.changeFlags ?? 0, 'changeFlags', op);
      ttl = u32(o.timeToLive ?? 0xffffffff, 'timeToLive', op);
      if (pref === 0 && this.rtm.options.defaultPreferences) {
        const d = this.rtm.options.defaultPreferences[this.protocolId];
        if (d !== undefined) pref = u32(d, 'defaultPreferences', op);
      }
      len = this.prefixIn(o.dest, op);
    } catch (e) {
      // spec D-05: an unresolvable handle is reported before a bad parameter
      if (!this.handlesResolve(route, neighbour, hops)) throw new RtmError('ERROR_INVALID_HANDLE', op, 'a handle does not resolve');
      throw e;
    }
    const c = this.rtm.core;
    const f = c.f64(), hb = (c.io + this.L.IO_HOPS) / 2;
    for (let i = 0; i < hops.length; i++) {
      if (typeof hops[i] !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, `nextHops[${i}] is not a handle`);
      f[hb + i] = hops[i];
    }
    this.rtm.syncNow();
    // deadline: ms; -1 = INFINITE (disarm); -2 = keep the current timer (internal, plain-unlock commits)
    const keep = (o as unknown as Record<symbol, unknown>)[KEEP_TIMER] === true;
    const deadline = keep ? -2 : ttl === 0xffffffff ? -1 : this.rtm.clock.now() + ttl;
    check(this.call(op, () => this.x.routeAdd(this.handle, len, route, neighbour, hops.length, pref, metric, views, flags, flags1, changeIn, 0, deadline, routeList)), op);
    const r = this.res(0), changeFlags = this.res(1);
    const esi = o.entitySpecificInfo ?? null;
    const rh = this.handleOf(this.L.KIND_ROUTE, r) as RouteHandle;
    if ((changeFlags & CHANGE_NEW) !== 0) this.rtm.routeEsi[r] = esi;
    else if (!Object.is(this.rtm.routeEsi[r] ?? null, esi)) {
      this.rtm.routeEsi[r] = esi;
      this.x.routeTouch(rh);
    }
    let handle: RouteHandle | undefined;
    if (route) handle = route as RouteHandle;
    else if (o.returnHandle !== false) { handle = rh; this.take(rh); }
    this.rtm.afterChange(this);
    if (deadline >= 0) this.rtm.timers.arm();
    return { handle, changeFlags };
  }

  /** True if the route (0 = none), neighbour (0 = none) and next-hop handles all resolve. */
  /** @internal */ handlesResolve(route: number, neighbour: number, hops: readonly unknown[]): boolean {
    if (route && this.x.routeFromHandle(route) !== 0) return false;
    if (neighbour && this.x.nexthopFromHandle(neighbour) !== 0) return false;
    return hops.every((h) => typeof h === 'number' && this.x.nexthopFromHandle(h) === 0);
  }

  /** RtmDeleteRouteToDest: consumes one of the caller's references (if any); returns the change flags. */
  deleteRouteToDest(route: RouteHandle): number {
    const op = 'deleteRouteToDest';
    this.live(op);
    this.rtm.syncNow();
    check(this.call(op, () => this.x.routeDeleteX(this.handle, nullable(route, op))), op);
    const flags = this.res(1);
    this.drop(route);
    this.rtm.afterChange(this);
    return flags;
  }

  /** RtmGetRouteInfo: a copy of the route (any state); handles inside referenced. */
  getRouteInfo(route: RouteHandle): RouteInfo {
    const op = 'getRouteInfo';
    this.live(op);
    const r = this.routeSlot(route, op);
    return this.routeInfoOf(r);
  }

  /** @internal */ routeInfoOf(r: number): RouteInfo {
    const L = this.L;
    const d = this.routeWord(r, L.ROUTE_DEST), owner = this.routeWord(r, L.ROUTE_OWNER), nb = this.routeWord(r, L.ROUTE_NEIGHBOUR);
    const fw = this.routeWord(r, L.ROUTE_FLAGS);
    const info: RouteInfo = {
      dest: this.handleOf(L.KIND_DEST, d) as DestHandle,
      owner: this.handleOf(L.KIND_ENTITY, owner) as EntityHandle,
      neighbour: nb === this.rtm.core.NIL ? undefined : this.handleOf(L.KIND_NEXTHOP, nb) as NextHopHandle,
      state: (fw >>> L.ROUTE_STATE_SHIFT) as RouteState,
      flags1: (fw >>> L.ROUTE_FLAGS1_SHIFT) & 0xff,
      flags: fw & 0xffff,
      metric: this.routeWord(r, L.ROUTE_METRIC),
      preference: this.routeWord(r, L.ROUTE_PREF),
      views: this.routeWord(r, L.ROUTE_VIEWS),
      entitySpecificInfo: this.rtm.routeEsi[r] ?? null,
      nextHops: this.routeHops(r).map((h) => this.handleOf(L.KIND_NEXTHOP, h) as NextHopHandle),
      prefix: this.table.core.destPrefix(d),
    };
    this.take(info.dest); this.take(info.owner); if (info.neighbour) this.take(info.neighbour);
    for (const h of info.nextHops) this.take(h);
    return info;
  }

  /** RtmReleaseRouteInfo. */
  releaseRouteInfo(info: RouteInfo): void {
    this.live('releaseRouteInfo');
    this.dropAll([info.dest, info.owner, info.neighbour, ...info.nextHops], 'releaseRouteInfo');
  }

  /** Releases route handles this entity holds, ignoring those it does not (scheduler clean-up). @internal */
  releaseRoutesQuietly(routes: readonly RouteHandle[]): void { for (const h of routes) this.drop(h); }

  /** RtmReleaseRoutes. */
  releaseRoutes(routes: readonly RouteHandle[]): void {
    this.live('releaseRoutes');
    this.dropAll(routes, 'releaseRoutes', this.L.KIND_ROUTE);
  }

  /** RtmIsBestRoute: views in which the route is best (0 for deleted or held routes). */
  isBestRoute(route: RouteHandle): number {
    this.live('isBestRoute');
    this.routeSlot(route, 'isBestRoute');
    this.x.routeFromHandle(route);
    return this.res(2);
  }

  // ── destinations (§8.4, §8.6) ───────────────────────────────────────────────────────────────────────
  /** @internal */ destInfoOf(d: number, o: DestQueryOptions, op: string): DestInfo {
    const views = o.views === 0 ? 0 : this.viewsArg(o.views, op);
    const proto = this.protoArg(o.protocolId, op);
    const c = this.rtm.core, L = this.L;
    check(this.x.destInfoX(this.table.core.t, d, proto, views), op);
    const belongs = this.res(0), k = this.res(1);
    const out = c.u32().slice(c.io + c.IO_OUT, c.io + c.IO_OUT + 5 * k);
    const viewInfo: DestViewInfo[] = [];
    for (let i = 0; i < k; i++) {
      const r = out[5 * i + 2], held = out[5 * i + 3];
      const route = r === c.NIL ? undefined : this.handleOf(L.KIND_ROUTE, r) as RouteHandle;
      const owner = r === c.NIL ? undefined : this.handleOf(L.KIND_ENTITY, this.routeWord(r, L.ROUTE_OWNER)) as EntityHandle;
      const holdRoute = held === c.NIL ? undefined : this.handleOf(L.KIND_ROUTE, held) as RouteHandle;
      viewInfo.push({ viewId: out[5 * i], numRoutes: out[5 * i + 1], route, owner, destFlags: out[5 * i + 4], holdRoute });
    }
    const f = c.f64();
    const lastChanged = f[(this.base(L.SLAB_DEST, d, L.DEST_WORDS) + L.DEST_CHANGED) / 2];
    const handle = this.handleOf(L.KIND_DEST, d) as DestHandle;
    const len = this.table.core.destKeyInto(d, scratchKey);
    const info: DestInfo = {
      handle, prefix: formatPrefix(this.family, scratchKey, 0, len),
      address: { addressFamily: this.family === 4 ? AF_INET : AF_INET6, numBits: len },
      lastChanged, views: belongs, viewInfo,
    };
    this.take(handle);
    for (const v of viewInfo) { if (v.route) this.take(v.route); if (v.owner) this.take(v.owner); if (v.holdRoute) this.take(v.holdRoute); }
    return info;
  }

  /** RtmGetDestInfo. */
  getDestInfo(o: { dest: DestHandle } & DestQueryOptions): DestInfo {
    const op = 'getDestInfo';
    this.live(op);
    const d = this.destSlot(o?.dest, op);
    return this.destInfoOf(d, o, op);
  }

  /** RtmReleaseDestInfo. */
  releaseDestInfo(info: DestInfo): void {
    this.live('releaseDestInfo');
    if (this.rtm.notify.pendingRecords.has(info)) throw new RtmError('ERROR_INVALID_HANDLE', 'releaseDestInfo', 'a changed-destination record: use releaseChangedDests');
    this.dropAll(destInfoHandles(info), 'releaseDestInfo');
  }

  /** RtmReleaseDests. */
  releaseDests(infos: readonly DestInfo[]): void {
    this.live('releaseDests');
    if (Array.isArray(infos) && infos.some((i) => this.rtm.notify.pendingRecords.has(i))) {
      throw new RtmError('ERROR_INVALID_HANDLE', 'releaseDests', 'changed-destination records: use releaseChangedDests');
    }
    this.dropAll(infos.flatMap(destInfoHandles), 'releaseDests');
  }

  /** Qualifier of a destination query: 0 = any present, else views with a live route (or populated). */
  /** @internal */ qual(views: number, populated: boolean): number {
    return views === 0 ? (populated ? this.L.QUAL_POPULATED : 0) : views;
  }

  /** RtmGetExactMatchDestination; undefined if not found. */
  getExactMatchDestination(o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined {
    const op = 'getExactMatchDestination';
    this.live(op);
    const views = o?.views === 0 ? 0 : this.viewsArg(o?.views, op);
    this.protoArg(o.protocolId, op);
    const len = this.prefixIn(o.dest, op);
    const s = this.x.destFindX(this.table.core.t, len, this.qual(views, false));
    if (s === NOT_FOUND) return undefined;
    check(s, op);
    return this.destInfoOf(this.res(0), o, op);
  }

  /** RtmGetMostSpecificDestination; undefined if none. */
  getMostSpecificDestination(o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined {
    const op = 'getMostSpecificDestination';
    this.live(op);
    const views = o?.views === 0 ? 0 : this.viewsArg(o?.views, op);
    this.protoArg(o.protocolId, op);
    const len = this.prefixIn(o.dest, op);
    const s = this.x.lpm(this.table.core.t, len, this.qual(views, true));
    if (s === NOT_FOUND) return undefined;
    check(s, op);
    return this.destInfoOf(this.res(0), o, op);
  }

  /** RtmGetLessSpecificDestination; undefined at the top. */
  getLessSpecificDestination(o: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined {
    const op = 'getLessSpecificDestination';
    this.live(op);
    const d = this.destSlot(o?.dest, op);
    const views = o.views === 0 ? 0 : this.viewsArg(o.views, op);
    this.protoArg(o.protocolId, op);
    const s = this.x.lessSpecific(this.table.core.t, d, this.qual(views, true));
    if (s === NOT_FOUND) return undefined;
    check(s, op);
    return this.destInfoOf(this.res(0), o, op);
  }

  /** RtmGetExactMatchRoute: the first route (chain order) in the views matching the criteria. */
  getExactMatchRoute(o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined {
    const op = 'getExactMatchRoute';
    this.live(op);
    const flags = u32(o?.matchFlags ?? 0, 'matchFlags', op) & 0x1f;
    const views = o.views === 0 ? 0 : this.viewsArg(o.views, op);
    const crit = o.criteria;
    if ((flags & (MATCH_OWNER | MATCH_NEIGHBOUR | MATCH_PREF | MATCH_NEXTHOP)) !== 0 && (!crit || typeof crit !== 'object')) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op, 'matchFlags need criteria');
    }
    const ifIndex = u32(o.interfaceIndex ?? 0, 'interfaceIndex', op);
    const len = this.prefixIn(o.dest, op);
    const s = this.x.destFindX(this.table.core.t, len, 0);
    if (s === NOT_FOUND) return undefined;
    check(s, op);
    const d = this.res(0), c = this.rtm.core, L = this.L;
    const t = this.table.core.t;
    const routes = c.slotPages(op, (after) => this.x.destRoutes(t, d, after));
    for (const r of routes) {
      if (views !== 0 && (this.routeWord(r, L.ROUTE_VIEWS) & views) === 0) continue;
      const hops = this.routeHops(r).map((h) => this.handleOf(L.KIND_NEXTHOP, h));
      if (flags & MATCH_OWNER && this.handleOf(L.KIND_ENTITY, this.routeWord(r, L.ROUTE_OWNER)) !== nullable(crit!.owner, op)) continue;
      if (flags & MATCH_NEIGHBOUR) {
        const nb = this.routeWord(r, L.ROUTE_NEIGHBOUR);
        if ((nb === c.NIL ? 0 : this.handleOf(L.KIND_NEXTHOP, nb)) !== nullable(crit!.neighbour, op)) continue;
      }
      if (flags & MATCH_PREF && (this.routeWord(r, L.ROUTE_PREF) !== (crit!.preference ?? 0) || this.routeWord(r, L.ROUTE_METRIC) !== (crit!.metric ?? 0))) continue;
      if (flags & MATCH_NEXTHOP && !(crit!.nextHops ?? []).every((h) => hops.includes(h))) continue;
      if (flags & MATCH_INTERFACE && !this.routeHops(r).some((h) => this.nhWord(h, L.NEXTHOP_IFINDEX) === ifIndex)) continue;
      const info = this.routeInfoOf(r);
      let handle: RouteHandle | undefined;
      if (o.returnHandle !== false) { handle = this.handleOf(L.KIND_ROUTE, r) as RouteHandle; this.take(handle); }
      return { handle, info };
    }
    return undefined;
  }

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
    const W = c.k.LOAD_WORDS, MAX = c.k.LOAD_MAX;
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
  holdDestination(o: { dest: DestHandle; views?: number; holdTime: number }): void {
    const op = 'holdDestination';
    this.live(op);
    this.destSlot(o?.dest, op);
    const holdTime = u32(o.holdTime, 'holdTime', op);
    const views = o.views === 0 ? 0 : this.viewsArg(o.views, op);
    this.rtm.syncNow();
    check(this.call(op, () => this.x.holdDestinationX(this.handle, o.dest, views, holdTime)), op);
  }
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
  releaseRecord(info: DestInfo): void { this.dropAll(destInfoHandles(info), 'releaseChangedDests'); }

  // ── handles (§8.11) ─────────────────────────────────────────────────────────────────────────────────
  /** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle; all-or-nothing. */
  referenceHandles(handles: readonly ReferenceableHandle[]): void {
    const op = 'referenceHandles';
    this.live(op);
    const L = this.L;
    for (const h of handles) {
      const k = handleKind(h);
      let ok = false;
      if (k === L.KIND_DEST) ok = this.x.destFromHandle(this.table.core.t, h) === 0;
      else if (k === L.KIND_ROUTE) ok = this.x.routeFromHandle(h) === 0 && this.routeTable(this.res(0)) === this.table.core.t;
      else if (k === L.KIND_NEXTHOP) ok = this.x.nexthopFromHandle(h) === 0;
      else if (k === L.KIND_ENTITY) ok = this.x.entityInfo(h) === 0 && this.res(1) === this.table.core.t;
      if (!ok) throw new RtmError('ERROR_INVALID_HANDLE', op, `not a destination, route, next-hop or entity handle: ${String(h)}`);
    }
    for (const h of handles) this.take(h);
  }
}

const scratchKey = new Uint32Array(4);

function destInfoHandles(info: DestInfo): (number | undefined)[] {
  const hs: (number | undefined)[] = [info.handle];
  for (const v of info.viewInfo) hs.push(v.route, v.owner, v.holdRoute);
  return hs;
}

/** An EntityInfo value. */
export function entityInfoOf(rtmInstanceId: number, family: Family, protocolId: number, instanceId: number): EntityInfo {
  return Object.freeze({
    rtmInstanceId, addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId, instanceId,
    entityId: BigInt(protocolId >>> 0) | (BigInt(instanceId >>> 0) << 32n),
  } as EntityInfo);
}
