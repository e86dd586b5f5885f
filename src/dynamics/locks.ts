// Locks and owner views (spec §7.10, D-20, D-21, D-41, D-42). The facade keeps the holders of every
// destination and next-hop lock (per table, by handle) and mirrors who holds them into the core
// (destSetLock / nexthopSetLock: one entity slot, LOCK_MULTI or LOCK_NONE), which then answers
// ERROR_BUSY to other entities' modifications. A route lock is its destination's lock. Each route and
// next hop has one owner view (cached per owner): reads show the committed state plus staged edits;
// writes are staged only while the owner holds the exclusive lock, and are committed by
// updateAndUnlockRoute / a plain exclusive unlock — for routes through Entity.addRouteToDest by handle,
// for next hops through Entity.addNextHop by handle. Allocates views, stages and results.
import { RtmError, check } from '../errors.js';
import { parsePrefixInto } from '../address.js';
import type { Entity } from '../entity.js';
import { KEEP_TIMER } from '../layout.js';
import * as records from '../port/records.js';
import type {
  AddRouteOptions, DestHandle, EntityHandle, NextHopHandle, NextHopOwnerView, NextHopState, Nullable, RouteHandle, RouteListHandle,
  RouteOwnerView, RouteState,
} from '../types.js';
import { type DynConstants, K, Lock, isNull, tableState, u32Arg } from './args.js';

const CHANGE_BEST = 0x10000;
const ROUTE_STATE_CREATED = 0, NEXTHOP_STATE_CREATED = 0;

/** The per-entity part of the lock layer: owner views and the locks the entity takes part in. */
export interface LockState {
  readonly routeViews: Map<number, RouteView>;
  /** The route views with staged edits. */
  readonly staged: Set<RouteView>;
  readonly nextHopViews: Map<number, NextHopView>;
  readonly destLocks: Set<number>;
  readonly nextHopLocks: Set<number>;
}

export function newLockState(): LockState {
  return { routeViews: new Map(), staged: new Set(), nextHopViews: new Map(), destLocks: new Set(), nextHopLocks: new Set() };
}

// ── lock tables ───────────────────────────────────────────────────────────────────────────────────────

function lockOf(map: Map<number, Lock>, h: number): Lock {
  let l = map.get(h);
  if (!l) { l = new Lock(); map.set(h, l); }
  return l;
}

/** Spec §7.10 rule 2. */
function acquire(l: Lock, e: Entity, exclusive: boolean, op: string): void {
  if (exclusive) {
    if (l.heldByOther(e)) throw new RtmError('ERROR_BUSY', op, 'held by another entity');
    l.excl = e;
    l.exclCount++;
  } else {
    if (l.excl !== null && l.excl !== e) throw new RtmError('ERROR_BUSY', op, 'held exclusively by another entity');
    l.shared.set(e, (l.shared.get(e) ?? 0) + 1);
  }
}

/** Spec §7.10 rule 3. */
function release(l: Lock, e: Entity, exclusive: boolean, op: string): void {
  if (exclusive) {
    if (l.excl !== e) throw new RtmError('ERROR_NOT_LOCKED', op, 'not held exclusively by the caller');
    if (--l.exclCount === 0) l.excl = null;
  } else {
    const c = l.shared.get(e) ?? 0;
    if (c === 0) throw new RtmError('ERROR_NOT_LOCKED', op, 'not held shared by the caller');
    if (c === 1) l.shared.delete(e); else l.shared.set(e, c - 1);
  }
}

/** Mirrors a destination lock into the core (a destination that is gone needs no mirror). */
function mirrorDest(e: Entity, dh: number, l: Lock | undefined, k: DynConstants): void {
  if (e.rtm.isClosed || e.x.destFromHandle(e.table.core.t, dh) !== 0) return;
  check(e.x.destSetLock(e.table.core.t, e.res(0), l ? l.holderWord(k) : k.LOCK_NONE), 'destSetLock');
}

function mirrorNextHop(e: Entity, nh: number, l: Lock | undefined, k: DynConstants): void {
  if (e.rtm.isClosed || e.x.nexthopFromHandle(nh) !== 0) return;
  check(e.x.nexthopSetLock(nh, l ? l.holderWord(k) : k.LOCK_NONE), 'nexthopSetLock');
}

/**
 * Forgets a free lock and mirrors the holders. A destination that became free may have expiries waiting
 * for it (spec §7.10 rule 4): the scheduler is re-armed.
 */
function settleDest(e: Entity, dh: number, l: Lock): void {
  const locks = tableState(e).destLocks;
  mirrorDest(e, dh, l, K(e));
  if (l.isFree() && locks.delete(dh)) (e.rtm as unknown as { timers?: { arm(): void } }).timers?.arm();
}

function settleNextHop(e: Entity, nh: number, l: Lock): void {
  const locks = tableState(e).nextHopLocks;
  if (l.isFree()) locks.delete(nh);
  mirrorNextHop(e, nh, l, K(e));
}

/** The destination handle of route slot r. */
function routeDestHandle(e: Entity, r: number): number {
  return e.handleOf(e.L.KIND_DEST, e.routeWord(r, e.L.ROUTE_DEST));
}

/** True if `e` holds the destination's lock exclusively. */
function holdsExclusive(e: Entity, dh: number): boolean {
  return tableState(e).destLocks.get(dh)?.excl === e;
}

// ── destination and route locks ───────────────────────────────────────────────────────────────────────

/** RtmLockDestination. */
export function lockDestination(e: Entity, s: LockState, o: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void {
  const op = 'lockDestination';
  e.destSlot(o?.dest, op);
  const dh = o.dest as number, exclusive = !!o.exclusive;
  if (o.lock ?? true) lockDest(e, s, dh, exclusive, op);
  else unlockDest(e, s, dh, exclusive, op, undefined);
}

function lockDest(e: Entity, s: LockState, dh: number, exclusive: boolean, op: string): void {
  const l = lockOf(tableState(e).destLocks, dh);
  try {
    acquire(l, e, exclusive, op);
  } finally {
    settleDest(e, dh, l);
  }
  s.destLocks.add(dh);
}

/**
 * Releases a destination (route) lock. An exclusive release commits staged owner-view edits (D-42):
 * those of `route` at once (invalid ones are reverted, the lock is released anyway, then
 * ERROR_INVALID_PARAMETER), and, once the caller no longer holds the lock exclusively, those of its
 * other routes on the destination (invalid leftovers are dropped).
 */
function unlockDest(e: Entity, s: LockState, dh: number, exclusive: boolean, op: string, route: RouteView | undefined): void {
  const l = tableState(e).destLocks.get(dh);
  if (!l) throw new RtmError('ERROR_NOT_LOCKED', op, 'not locked');
  release(l, e, exclusive, op);
  settleDest(e, dh, l);
  if (l.excl !== e && !l.shared.has(e)) s.destLocks.delete(dh);
  if (!exclusive) return;
  let bad = false;
  if (route && route.staged !== null) bad = !commitRoute(e, route, false, undefined).ok;
  if (l.excl !== e) {
    for (const v of [...s.staged]) {
      if (v === route) continue;
      const r = v.slotOrNil();
      if (r === undefined) { v.staged = null; continue; }
      if (routeDestHandle(e, r) === dh) commitRoute(e, v, false, undefined);
    }
  }
  if (bad) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid staged route edits (reverted)');
}

/** The owner view of route handle h (owner `e`), created on first use. */
export function routeView(e: Entity, s: LockState, h: RouteHandle): RouteView {
  let v = s.routeViews.get(h);
  if (!v) {
    if (s.routeViews.size >= 64 && s.routeViews.size >= 2 * (routeViewsAfterSweep.get(s) ?? 32)) sweepRouteViews(e, s);
    v = new RouteView(e, h, s.staged);
    s.routeViews.set(h, v);
  }
  return v;
}

const routeViewsAfterSweep = new WeakMap<LockState, number>();

/** Drops the views of routes that are gone (their handles no longer resolve) and have nothing staged. */
function sweepRouteViews(e: Entity, s: LockState): void {
  for (const [h, v] of s.routeViews) if (v.slotOrNil() === undefined) { v.staged = null; s.routeViews.delete(h); }
  for (const [h] of s.nextHopViews) if (e.x.nexthopFromHandle(h) !== 0) s.nextHopViews.delete(h);
  routeViewsAfterSweep.set(s, s.routeViews.size);
}

/** RtmGetRoutePointer (also the RTM_ROUTE_EXPIRED Context2). */
export function getRoutePointer(e: Entity, s: LockState, route: RouteHandle, op = 'getRoutePointer'): RouteOwnerView {
  const r = e.routeSlot(route, op);
  if (e.routeWord(r, e.L.ROUTE_OWNER) !== e.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
  return routeView(e, s, route);
}

/** RtmLockRoute: locks the route's destination; the owner gets its owner view. */
export function lockRoute(e: Entity, s: LockState, o: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined {
  const op = 'lockRoute';
  const r = e.routeSlot(o?.route, op);
  const lock = o.lock ?? true, exclusive = !!o.exclusive;
  const owner = e.routeWord(r, e.L.ROUTE_OWNER) === e.slot;
  if (lock && routeState(e, r) !== ROUTE_STATE_CREATED) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
  if (exclusive && !owner) throw new RtmError('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
  const dh = routeDestHandle(e, r);
  if (lock) {
    lockDest(e, s, dh, exclusive, op);
    return owner ? routeView(e, s, o.route) : undefined;
  }
  unlockDest(e, s, dh, exclusive, op, owner ? s.routeViews.get(o.route) : undefined);
  return undefined;
}

/** RtmUpdateAndUnlockRoute: commits the staged edits (TTL and list as given), then releases the exclusive lock. */
export function updateAndUnlockRoute(e: Entity, s: LockState,
  o: { route: RouteHandle; timeToLive?: number; routeList?: Nullable<RouteListHandle> }): number {
  const op = 'updateAndUnlockRoute';
  const r = e.routeSlot(o?.route, op);
  if (routeState(e, r) !== ROUTE_STATE_CREATED) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
  if (!isNull(o.routeList) && typeof o.routeList !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route-list handle');
  // a list that is not the caller's is a handle error, reported before parameters, ownership and locks (D-05)
  if (!isNull(o.routeList) && e.x.listWalkX(e.handle, o.routeList as number, 0, 0) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route list of the caller');
  }
  u32Arg(o.timeToLive, 0xffffffff, 'timeToLive', op);
  if (e.routeWord(r, e.L.ROUTE_OWNER) !== e.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
  const dh = routeDestHandle(e, r);
  if (!holdsExclusive(e, dh)) throw new RtmError('ERROR_NOT_LOCKED', op, 'the route is not locked exclusively by the caller');
  const v = routeView(e, s, o.route);
  const res = commitRoute(e, v, true, { timeToLive: o.timeToLive, routeList: o.routeList });
  if (!res.ok) throw res.error ?? new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid staged route edits (the route stays locked)');
  unlockDest(e, s, dh, true, op, v);
  return res.flags & CHANGE_BEST;
}

function routeState(e: Entity, r: number): number {
  return e.routeWord(r, e.L.ROUTE_FLAGS) >>> e.L.ROUTE_STATE_SHIFT;
}

/** The owner-writable fields of a route. */
type RouteField = 'neighbour' | 'nextHops' | 'metric' | 'preference' | 'views' | 'flags' | 'flags1' | 'entitySpecificInfo';
type RouteStage = Partial<Record<RouteField, unknown>>;

/**
 * Validates and applies a route's staged edits (and, for updateAndUnlockRoute, the TTL and list) by an
 * update by handle. Invalid edits: nothing changes; the stage is dropped unless `keepOnError`. An error
 * that is not about the edits (a bad route list) is returned as `error`, with the stage kept.
 */
function commitRoute(e: Entity, v: RouteView, keepOnError: boolean,
  extra: { timeToLive?: number; routeList?: Nullable<RouteListHandle> } | undefined): { ok: boolean; flags: number; error?: RtmError } {
  const r = v.slotOrNil();
  if (r === undefined || routeState(e, r) !== ROUTE_STATE_CREATED) { v.staged = null; return { ok: extra === undefined, flags: 0 }; }
  const st = v.staged ?? {};
  if (v.staged === null && extra === undefined) return { ok: true, flags: 0 };
  if (v.staged === null && extra !== undefined) {
    // nothing staged: only the TTL restarts and the list changes (the route's fields, even a next hop
    // deleted meanwhile, are not re-validated)
    const ttl = extra.timeToLive ?? 0xffffffff;
    const deadline = ttl === 0xffffffff ? -1 : e.rtm.clock.now() + ttl;
    const list = isNull(extra.routeList) ? 0 : extra.routeList as number;
    const status = e.x.routeRearm(e.handle, v.handle, deadline, list);
    if (status !== 0) return { ok: false, flags: 0, error: new RtmError(status, 'updateAndUnlockRoute') };
    e.rtm.timers.arm();
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
    const res = e.addRouteToDest({
      dest: e.table.core.destPrefix(e.routeWord(r, e.L.ROUTE_DEST)), route: v.handle, ...fields,
      ...(extra ? { timeToLive: extra.timeToLive, routeList: extra.routeList } : { [KEEP_TIMER]: true }),
    } as AddRouteOptions);
    v.staged = null;
    return { ok: true, flags: res.changeFlags };
  } catch (err) {
    if (!(err instanceof RtmError)) throw err;
    // a bad route list (the edits' own handles resolve) is not an edit error: report it as such
    if (extra && !isNull(extra.routeList) && err.code === 'ERROR_INVALID_HANDLE' && handlesResolve(e, fields.neighbour, fields.nextHops)) {
      return { ok: false, flags: 0, error: err };
    }
    if (!keepOnError) v.staged = null;
    return { ok: false, flags: 0 };
  }
}

function handlesResolve(e: Entity, neighbour: unknown, hops: unknown): boolean {
  const ok = (h: unknown): boolean => typeof h === 'number' && e.x.nexthopFromHandle(h) === 0;
  return (isNull(neighbour) || ok(neighbour)) && Array.isArray(hops) && hops.every(ok);
}

/** A route's owner view (D-42). */
export class RouteView implements RouteOwnerView {
  readonly handle: RouteHandle;
  readonly #e: Entity;
  readonly #stagedSet: Set<RouteView>;
  #staged: RouteStage | null = null;
  constructor(e: Entity, handle: RouteHandle, stagedSet: Set<RouteView>) { this.#e = e; this.handle = handle; this.#stagedSet = stagedSet; }
  /** Staged edits (null = none); the owner's set of views with edits follows. */
  /** @internal */ get staged(): RouteStage | null { return this.#staged; }
  /** @internal */ set staged(v: RouteStage | null) {
    this.#staged = v;
    if (v === null) this.#stagedSet.delete(this); else this.#stagedSet.add(this);
  }
  private get e(): Entity { return this.#e; }

  /** The route's slot, or undefined once the handle no longer resolves. */
  /** @internal */ slotOrNil(): number | undefined {
    if (this.e.rtm.isClosed || this.e.x.routeFromHandle(this.handle) !== 0) return undefined;
    return this.e.res(0);
  }
  private slot(): number {
    const r = this.slotOrNil();
    if (r === undefined) throw new RtmError('ERROR_INVALID_HANDLE', 'routeOwnerView', 'the route is gone');
    return r;
  }
  /** @internal */ committed(r: number) {
    const e = this.e, L = e.L, NIL = e.rtm.core.NIL, fw = e.routeWord(r, L.ROUTE_FLAGS);
    const nb = e.routeWord(r, L.ROUTE_NEIGHBOUR);
    return {
      neighbour: nb === NIL ? undefined : e.handleOf(L.KIND_NEXTHOP, nb) as NextHopHandle,
      nextHops: e.routeHops(r).map((s) => e.handleOf(L.KIND_NEXTHOP, s) as NextHopHandle),
      metric: e.routeWord(r, L.ROUTE_METRIC), preference: e.routeWord(r, L.ROUTE_PREF), views: e.routeWord(r, L.ROUTE_VIEWS),
      flags: fw & 0xffff, flags1: (fw >>> L.ROUTE_FLAGS1_SHIFT) & 0xff, entitySpecificInfo: e.rtm.routeEsi[r] ?? null,
    };
  }
  /** Staged edits win over the committed state; a deleted route has none (they died with it). */
  private get(f: RouteField): unknown {
    const r = this.slot();
    if (this.staged !== null && routeState(this.e, r) !== ROUTE_STATE_CREATED) this.staged = null;
    const st = this.staged;
    if (st !== null && f in st) return st[f];
    return this.committed(r)[f];
  }
  /** Writes are staged only while the owner holds the route's destination exclusively (else ignored). */
  private put(f: RouteField, value: unknown): void {
    const r = this.slotOrNil();
    if (r === undefined || routeState(this.e, r) !== ROUTE_STATE_CREATED) return;
    if (!holdsExclusive(this.e, routeDestHandle(this.e, r))) return;
    (this.staged ??= {})[f] = value;
  }
  get dest(): DestHandle { return routeDestHandle(this.e, this.slot()) as DestHandle; }
  get owner(): EntityHandle { return this.e.handleOf(this.e.L.KIND_ENTITY, this.e.routeWord(this.slot(), this.e.L.ROUTE_OWNER)) as EntityHandle; }
  get state(): RouteState { return routeState(this.e, this.slot()) as RouteState; }
  get prefix(): string { return this.e.table.core.destPrefix(this.e.routeWord(this.slot(), this.e.L.ROUTE_DEST)); }
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

// ── next-hop locks ────────────────────────────────────────────────────────────────────────────────────

type NextHopField = 'address' | 'interfaceIndex' | 'flags' | 'entitySpecificInfo' | 'remoteNextHop';

/** The owner view of next hop h (owner `e`), created on first use; also for findNextHop / getNextHopPointer. */
export function nextHopView(e: Entity, s: LockState, h: NextHopHandle): NextHopView {
  let v = s.nextHopViews.get(h);
  if (!v) { v = new NextHopView(e, h); s.nextHopViews.set(h, v); }
  return v;
}

/** RtmLockNextHop: the owner gets its owner view; an exclusive unlock commits Flags, EntitySpecificInfo, RemoteNextHop. */
export function lockNextHop(e: Entity, s: LockState, o: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined {
  const op = 'lockNextHop';
  const slot = e.nextHopSlot(o?.nextHop, op);
  const nh = o.nextHop as number;
  const lock = o.lock ?? true, exclusive = !!o.exclusive;
  const owner = e.nhWord(slot, e.L.NEXTHOP_OWNER) === e.slot;
  if (exclusive && !owner) throw new RtmError('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
  const locks = tableState(e).nextHopLocks;
  if (lock) {
    if (nextHopState(e, slot) !== NEXTHOP_STATE_CREATED) throw new RtmError('ERROR_NOT_FOUND', op, 'next hop deleted');
    const l = lockOf(locks, nh);
    try {
      acquire(l, e, exclusive, op);
    } finally {
      settleNextHop(e, nh, l);
    }
    s.nextHopLocks.add(nh);
    return owner ? nextHopView(e, s, o.nextHop) : undefined;
  }
  const l = locks.get(nh);
  if (!l) throw new RtmError('ERROR_NOT_LOCKED', op, 'not locked');
  release(l, e, exclusive, op);
  settleNextHop(e, nh, l);
  if (l.excl !== e && !l.shared.has(e)) s.nextHopLocks.delete(nh);
  const v = s.nextHopViews.get(nh);
  if (!exclusive || !owner || !v || v.staged === null) return undefined;
  commitNextHop(e, v, slot, op);
  return undefined;
}

function nextHopState(e: Entity, slot: number): number {
  return e.nhWord(slot, e.L.NEXTHOP_FLAGS) >>> e.L.NEXTHOP_STATE_SHIFT;
}

/** Applies staged next-hop edits; identity edits or invalid values revert them all (ERROR_INVALID_PARAMETER). */
function commitNextHop(e: Entity, v: NextHopView, slot: number, op: string): void {
  const st = v.staged!;
  v.staged = null;
  if (nextHopState(e, slot) !== NEXTHOP_STATE_CREATED) return;
  const info = e.nextHopInfoOf(slot);
  if ('address' in st && !sameAddress(e, st.address, slot)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'next-hop address edited (reverted)');
  if ('interfaceIndex' in st && st.interfaceIndex !== info.interfaceIndex) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'next-hop interface edited (reverted)');
  }
  const flags = 'flags' in st ? st.flags : info.flags;
  const remote = 'remoteNextHop' in st ? st.remoteNextHop : info.remoteNextHop;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffff ||
    (!isNull(remote) && (typeof remote !== 'number' || e.x.destFromHandle(e.table.core.t, remote) !== 0))) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid next-hop edits (reverted)');
  }
  e.addNextHop({
    nextHop: v.handle, address: info.address, interfaceIndex: info.interfaceIndex, flags,
    entitySpecificInfo: 'entitySpecificInfo' in st ? st.entitySpecificInfo : info.entitySpecificInfo,
    remoteNextHop: isNull(remote) ? undefined : remote as DestHandle,
  });
}

const scratch = new Uint32Array(4), own = new Uint32Array(4);

/** True if `address` (text) names the next hop's own address. */
function sameAddress(e: Entity, address: unknown, slot: number): boolean {
  if (typeof address !== 'string') return false;
  const len = parsePrefixInto(address, e.family, scratch, 0);
  if (len < 0 || len !== records.nextHopKeyInto(e.rtm.core, slot, own)) return false;
  for (let w = 0; w < 4; w++) if (scratch[w] !== own[w]) return false;
  return true;
}

/** A next hop's owner view (D-42). */
export class NextHopView implements NextHopOwnerView {
  /** @internal */ staged: Partial<Record<NextHopField, unknown>> | null = null;
  readonly handle: NextHopHandle;
  readonly #e: Entity;
  constructor(e: Entity, handle: NextHopHandle) { this.#e = e; this.handle = handle; }
  private get e(): Entity { return this.#e; }

  private slot(): number {
    if (this.e.rtm.isClosed || this.e.x.nexthopFromHandle(this.handle) !== 0) {
      throw new RtmError('ERROR_INVALID_HANDLE', 'nextHopOwnerView', 'the next hop is gone');
    }
    return this.e.res(0);
  }
  /** Staged edits win over the committed state; a deleted next hop has none. */
  private get(f: NextHopField): unknown {
    const s = this.slot();
    if (this.staged !== null && nextHopState(this.e, s) !== NEXTHOP_STATE_CREATED) this.staged = null;
    const st = this.staged;
    if (st !== null && f in st) return st[f];
    return this.e.nextHopInfoOf(s)[f];
  }
  /** Writes are staged only while the owner holds the next hop's lock exclusively (else ignored). */
  private put(f: NextHopField, value: unknown): void {
    if (this.e.rtm.isClosed || tableState(this.e).nextHopLocks.get(this.handle)?.excl !== this.e) return;
    (this.staged ??= {})[f] = value;
  }
  get owner(): EntityHandle { return this.e.nextHopInfoOf(this.slot()).owner; }
  get state(): NextHopState { return this.e.nextHopInfoOf(this.slot()).state; }
  get address(): string { return this.get('address') as string; }
  set address(v: string) { this.put('address', v); }
  get interfaceIndex(): number { return this.get('interfaceIndex') as number; }
  set interfaceIndex(v: number) { this.put('interfaceIndex', v); }
  get flags(): number { return this.get('flags') as number; }
  set flags(v: number) { this.put('flags', v); }
  get entitySpecificInfo(): unknown { return this.get('entitySpecificInfo'); }
  set entitySpecificInfo(v: unknown) { this.put('entitySpecificInfo', v); }
  get remoteNextHop(): DestHandle | undefined { const v = this.get('remoteNextHop'); return isNull(v) ? undefined : v as DestHandle; }
  set remoteNextHop(v: DestHandle | undefined) { this.put('remoteNextHop', v); }
}

// ── deregistration ────────────────────────────────────────────────────────────────────────────────────

/** Releases every lock `e` holds (spec §7.10 rule 6) and drops its staged edits. */
export function releaseLocksOf(e: Entity, s: LockState): void {
  const ts = tableState(e);
  for (const dh of s.destLocks) {
    const l = ts.destLocks.get(dh);
    if (!l) continue;
    l.dropAll(e);
    settleDest(e, dh, l);
  }
  for (const nh of s.nextHopLocks) {
    const l = ts.nextHopLocks.get(nh);
    if (!l) continue;
    l.dropAll(e);
    settleNextHop(e, nh, l);
  }
  s.destLocks.clear();
  s.nextHopLocks.clear();
  for (const v of [...s.staged]) v.staged = null;
  for (const v of s.nextHopViews.values()) v.staged = null;
}
