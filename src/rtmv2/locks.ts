// Destination and route locks and route owner views (spec §7.10, §8.2, §8.5.4–8.5.6, D-41, D-42). A route
// lock is its destination's lock (the core keeps the holders; holders.ts calls it). Each route of an
// entity has one owner view (cached per owner, swept once its handle no longer resolves): reads show the
// committed record plus staged edits; writes are staged only while the owner holds the destination
// exclusively, and are committed by updateAndUnlockRoute or a plain exclusive unlock — as one update by
// handle through routes.addRouteToDest. Allocates views, stages and results.
import { RtmError } from '../errors.js';
import { INFINITE, RTM_ROUTE_CHANGE_BEST, RTM_ROUTE_STATE_CREATED } from '../constants.js';
import { KEEP_TIMER } from '../layout.js';
import { readResult, routeHopSlots, routeNeighbourSlot, routeOwnerSlot, routeDestSlot, routeFlagsOf, routeMetricOf, routePrefOf, routeWord } from '../port/records.js';
import type {
  AddRouteOptions, DestHandle, EntityHandle, NextHopHandle, Nullable, RouteHandle, RouteListHandle, RouteOwnerView,
  RouteState,
} from '../types.js';
import type { Ctx } from './context.js';
import { destArg, isNull, live, opts, routeArg, u32Arg } from './args.js';
import { acquire, holdsExclusive, release } from './holders.js';
import { addRouteToDest, handleOf, handlesResolve, routeDestHandle, routeState } from './routes.js';

const ROUTE_STATE_CREATED = RTM_ROUTE_STATE_CREATED;

/** The owner-writable fields of a route. */
type RouteField = 'neighbour' | 'nextHops' | 'metric' | 'preference' | 'views' | 'flags' | 'flags1' | 'entitySpecificInfo';
type RouteStage = Partial<Record<RouteField, unknown>>;

/** One entity's route owner views, and those with staged edits. */
interface Views {
  readonly byHandle: Map<number, RouteView>;
  readonly staged: Set<RouteView>;
  /** Views left after the last sweep. */
  afterSweep: number;
}
const perEntity = new WeakMap<Ctx, Views>();

function viewsOf(cx: Ctx): Views {
  let v = perEntity.get(cx);
  if (!v) { v = { byHandle: new Map(), staged: new Set(), afterSweep: 32 }; perEntity.set(cx, v); }
  return v;
}

// ── destination and route locks ───────────────────────────────────────────────────────────────────────

/** RtmLockDestination. */
export function lockDestination(cx: Ctx, options: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void {
  const op = 'lockDestination';
  live(cx, op);
  const o = opts<{ dest: DestHandle; exclusive?: boolean; lock?: boolean }>(options, ['dest', 'exclusive', 'lock'], op);
  destArg(cx, o.dest, op);
  const dh = o.dest as number, exclusive = !!o.exclusive;
  if (o.lock ?? true) acquire(cx, 'dest', dh, exclusive, op);
  else unlockDest(cx, dh, exclusive, op, undefined);
}

/**
 * Releases a destination (route) lock. An exclusive release commits staged owner-view edits (D-42):
 * those of `route` at once (invalid ones are reverted, the lock is released anyway, then
 * ERROR_INVALID_PARAMETER), and, once the caller no longer holds the lock exclusively, those of its
 * other routes on the destination (invalid leftovers are dropped).
 */
function unlockDest(cx: Ctx, dh: number, exclusive: boolean, op: string, route: RouteView | undefined): void {
  release(cx, 'dest', dh, exclusive, op);
  if (!exclusive) return;
  let bad = false;
  if (route && route.staged !== null) bad = !commitRoute(cx, route, false, undefined).ok;
  if (!holdsExclusive(cx, 'dest', dh)) {
    for (const v of [...viewsOf(cx).staged]) {
      if (v === route) continue;
      const r = v.slotOrNil();
      if (r === undefined) { v.staged = null; continue; }
      if (routeDestHandle(cx, r) === dh) commitRoute(cx, v, false, undefined);
    }
  }
  if (bad) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid staged route edits (reverted)');
}

/** The owner view of route handle h (owner `cx`), created on first use. */
function routeView(cx: Ctx, h: RouteHandle): RouteView {
  const s = viewsOf(cx);
  let v = s.byHandle.get(h);
  if (!v) {
    if (s.byHandle.size >= 64 && s.byHandle.size >= 2 * s.afterSweep) {
      // drop the views of routes that are gone (their handles no longer resolve)
      for (const [k, old] of s.byHandle) if (old.slotOrNil() === undefined) { old.staged = null; s.byHandle.delete(k); }
      s.afterSweep = s.byHandle.size;
    }
    v = new RouteView(cx, h, s.staged);
    s.byHandle.set(h, v);
  }
  return v;
}

/** RtmGetRoutePointer. */
export function getRoutePointer(cx: Ctx, route: RouteHandle): RouteOwnerView {
  live(cx, 'getRoutePointer');
  return ownerViewOfRoute(cx, route, 'getRoutePointer');
}

/** The owner view of one of the caller's routes (also the RTM_ROUTE_EXPIRED Context2). @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
export function ownerViewOfRoute(cx: Ctx, route: RouteHandle, op = 'ownerViewOfRoute'): RouteOwnerView {
  const r = routeArg(cx, route, op);
  if (routeOwnerSlot(cx.core, r) !== cx.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
  return routeView(cx, route);
}

/** RtmLockRoute: locks the route's destination; the owner gets its owner view. */
export function lockRoute(cx: Ctx, options: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined {
  const op = 'lockRoute';
  live(cx, op);
  const o = opts<{ route: RouteHandle; exclusive?: boolean; lock?: boolean }>(options, ['route', 'exclusive', 'lock'], op);
  const r = routeArg(cx, o.route, op);
  const lock = o.lock ?? true, exclusive = !!o.exclusive;
  const owner = routeOwnerSlot(cx.core, r) === cx.slot;
  if (lock && routeState(cx, r) !== ROUTE_STATE_CREATED) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
  if (exclusive && !owner) throw new RtmError('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
  const dh = routeDestHandle(cx, r);
  if (lock) {
    acquire(cx, 'dest', dh, exclusive, op);
    return owner ? routeView(cx, o.route!) : undefined;
  }
  unlockDest(cx, dh, exclusive, op, owner ? viewsOf(cx).byHandle.get(o.route!) : undefined);
  return undefined;
}

/** RtmUpdateAndUnlockRoute: commits the staged edits (TTL and list as given), then releases the exclusive lock. */
export function updateAndUnlockRoute(cx: Ctx,
  options: { route: RouteHandle; timeToLive?: number; routeList?: Nullable<RouteListHandle> }): number {
  const op = 'updateAndUnlockRoute';
  live(cx, op);
  const o = opts<{ route: RouteHandle; timeToLive?: number; routeList?: Nullable<RouteListHandle> }>(options, ['route', 'timeToLive', 'routeList'], op);
  const r = routeArg(cx, o.route, op);
  if (routeState(cx, r) !== ROUTE_STATE_CREATED) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
  if (!isNull(o.routeList) && typeof o.routeList !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route-list handle');
  // a list that is not the caller's is a handle error, reported before parameters, ownership and locks (D-05)
  if (!isNull(o.routeList) && cx.x.listWalkX(cx.handle, o.routeList as number, 0, 0) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route list of the caller');
  }
  u32Arg(o.timeToLive, INFINITE, 'timeToLive', op);
  if (routeOwnerSlot(cx.core, r) !== cx.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
  const dh = routeDestHandle(cx, r);
  if (!holdsExclusive(cx, 'dest', dh)) throw new RtmError('ERROR_NOT_LOCKED', op, 'the route is not locked exclusively by the caller');
  const v = routeView(cx, o.route!);
  const res = commitRoute(cx, v, true, { timeToLive: o.timeToLive, routeList: o.routeList });
  if (!res.ok) throw res.error ?? new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid staged route edits (the route stays locked)');
  unlockDest(cx, dh, true, op, v);
  return res.flags & RTM_ROUTE_CHANGE_BEST;
}

/**
 * Validates and applies a route's staged edits (and, for updateAndUnlockRoute, the TTL and list) by an
 * update by handle. Invalid edits: nothing changes; the stage is dropped unless `keepOnError`. An error
 * that is not about the edits (a bad route list) is returned as `error`, with the stage kept.
 */
function commitRoute(cx: Ctx, v: RouteView, keepOnError: boolean,
  extra: { timeToLive?: number; routeList?: Nullable<RouteListHandle> } | undefined): { ok: boolean; flags: number; error?: RtmError } {
  const r = v.slotOrNil();
  if (r === undefined || routeState(cx, r) !== ROUTE_STATE_CREATED) { v.staged = null; return { ok: extra === undefined, flags: 0 }; }
  const st = v.staged ?? {};
  if (v.staged === null && extra === undefined) return { ok: true, flags: 0 };
  if (v.staged === null && extra !== undefined) {
    // nothing staged: only the TTL restarts and the list changes (the route's fields, even a next hop
    // deleted meanwhile, are not re-validated)
    const ttl = extra.timeToLive ?? INFINITE;
    const deadline = ttl === INFINITE ? -1 : cx.inst.clock.now() + ttl;
    const list = isNull(extra.routeList) ? 0 : extra.routeList as number;
    const status = cx.x.routeRearm(cx.handle, v.handle, deadline, list);
    if (status !== 0) return { ok: false, flags: 0, error: new RtmError(status, 'updateAndUnlockRoute') };
    cx.inst.armTimers();
    return { ok: true, flags: 0 };
  }
  const c = v.committed(r);
  const pick = (f: RouteField, dflt: unknown): unknown => (f in st ? st[f] : dflt);
  const fields = {
    neighbour: pick('neighbour', c.neighbour), nextHops: pick('nextHops', c.nextHops), metric: pick('metric', c.metric),
    preference: pick('preference', c.preference), views: pick('views', c.views), flags: pick('flags', c.flags),
    flags1: pick('flags1', c.flags1), entitySpecificInfo: pick('entitySpecificInfo', c.entitySpecificInfo),
  };
  try {
    const res = addRouteToDest(cx, {
      dest: cx.table.destPrefix(routeDestSlot(cx.core, r)), route: v.handle, ...fields,
      ...(extra ? { timeToLive: extra.timeToLive, routeList: extra.routeList } : { [KEEP_TIMER]: true }),
    } as AddRouteOptions);
    v.staged = null;
    return { ok: true, flags: res.changeFlags };
  } catch (err) {
    if (!(err instanceof RtmError)) throw err;
    // a bad route list (the edits' own handles resolve) is not an edit error: report it as such
    if (extra && !isNull(extra.routeList) && err.code === 'ERROR_INVALID_HANDLE' && handlesResolve(cx, 0, fields.neighbour, fields.nextHops)) {
      return { ok: false, flags: 0, error: err };
    }
    if (!keepOnError) v.staged = null;
    return { ok: false, flags: 0 };
  }
}

/** Deregistration: the entity's staged route edits are dropped. */
export function dropStagedRoutes(cx: Ctx): void {
  const views = perEntity.get(cx);   // an entity that never locked a route has none (none made here)
  if (views !== undefined) for (const v of [...views.staged]) v.staged = null;
}

/** A route's owner view (D-42). */
class RouteView implements RouteOwnerView {
  readonly handle: RouteHandle;
  readonly #cx: Ctx;
  readonly #stagedSet: Set<RouteView>;
  #staged: RouteStage | null = null;
  constructor(cx: Ctx, handle: RouteHandle, stagedSet: Set<RouteView>) { this.#cx = cx; this.handle = handle; this.#stagedSet = stagedSet; }
  /** Staged edits (null = none); the owner's set of views with edits follows. */
  get staged(): RouteStage | null { return this.#staged; }
  set staged(v: RouteStage | null) {
    this.#staged = v;
    if (v === null) this.#stagedSet.delete(this); else this.#stagedSet.add(this);
  }

  /** The route's slot, or undefined once the handle no longer resolves. */
  slotOrNil(): number | undefined {
    const cx = this.#cx;
    if (cx.inst.isClosed || cx.x.routeFromHandle(this.handle) !== 0) return undefined;
    return readResult(cx.core, 0);
  }
  private slot(): number {
    const r = this.slotOrNil();
    if (r === undefined) throw new RtmError('ERROR_INVALID_HANDLE', 'routeOwnerView', 'the route is gone');
    return r;
  }
  /** The committed fields of route slot r. */
  committed(r: number) {
    const cx = this.#cx, L = cx.L, c = cx.core, fw = routeFlagsOf(c, r);
    const nb = routeNeighbourSlot(c, r);
    return {
      neighbour: nb === c.NIL ? undefined : handleOf(cx, L.KIND_NEXTHOP, nb) as NextHopHandle,
      nextHops: routeHopSlots(c, r).map((s) => handleOf(cx, L.KIND_NEXTHOP, s) as NextHopHandle),
      metric: routeMetricOf(c, r), preference: routePrefOf(c, r), views: routeWord(c, r, L.ROUTE_VIEWS) & L.ROUTE_VIEWS_MASK,
      flags: fw & 0xffff, flags1: (fw >>> L.ROUTE_FLAGS1_SHIFT) & 0xff, entitySpecificInfo: cx.inst.routeEsiIfAny?.[r] ?? null,
    };
  }
  /** Staged edits win over the committed state; a deleted route has none (they died with it). */
  private get(f: RouteField): unknown {
    const r = this.slot();
    if (this.staged !== null && routeState(this.#cx, r) !== ROUTE_STATE_CREATED) this.staged = null;
    const st = this.staged;
    if (st !== null && f in st) return st[f];
    return this.committed(r)[f];
  }
  /** Writes are staged only while the owner holds the route's destination exclusively (else ignored). */
  private put(f: RouteField, value: unknown): void {
    const r = this.slotOrNil();
    if (r === undefined || routeState(this.#cx, r) !== ROUTE_STATE_CREATED) return;
    if (!holdsExclusive(this.#cx, 'dest', routeDestHandle(this.#cx, r))) return;
    (this.staged ??= {})[f] = value;
  }
  get dest(): DestHandle { return routeDestHandle(this.#cx, this.slot()) as DestHandle; }
  get owner(): EntityHandle { return handleOf(this.#cx, this.#cx.L.KIND_ENTITY, routeOwnerSlot(this.#cx.core, this.slot())) as EntityHandle; }
  get state(): RouteState { return routeState(this.#cx, this.slot()) as RouteState; }
  get prefix(): string { return this.#cx.table.destPrefix(routeDestSlot(this.#cx.core, this.slot())); }
  get neighbour(): NextHopHandle | undefined { const v = this.get('neighbour'); return isNull(v) ? undefined : v as NextHopHandle; }
  set neighbour(v: NextHopHandle | undefined) { this.put('neighbour', v); }
  get flags1(): number { return this.get('flags1') as number; }
  set flags1(v: number) { this.put('flags1', v); }
  get flags(): number { return this.get('flags') as number; }
  set flags(v: number) { this.put('flags', v); }
  get metric(): number { return this.get('metric') as number; }
  set metric(v: number) { this.put('metric', v); }
  get preference(): number { return this.get('preference') as number; }
  set preference(v: number) { this.put('preference', v); }
  get views(): number { return this.get('views') as number; }
  set views(v: number) { this.put('views', v); }
  get entitySpecificInfo(): unknown { return this.get('entitySpecificInfo'); }
  set entitySpecificInfo(v: unknown) { this.put('entitySpecificInfo', v); }
  get nextHops(): readonly NextHopHandle[] {
    const v = this.get('nextHops');
    return Object.freeze(Array.isArray(v) ? [...v] as NextHopHandle[] : []);
  }
  set nextHops(v: readonly NextHopHandle[]) { this.put('nextHops', Array.isArray(v) ? [...v] : v); }
}
