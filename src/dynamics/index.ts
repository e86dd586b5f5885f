// The dynamics layer of the WASM facade, per entity: enumerations (enums.ts), locks and owner views
// (locks.ts), opaque pointer slots (opaque.ts) and entity methods (methods.ts). Entity delegates the
// EntityLike methods of these areas to its Dynamics object (one per entity, created with it); every
// public method checks the registration first (ERROR_INVALID_HANDLE once deregistered or closed).
// Change notification, TTL, hold-down and route lists live elsewhere; route-list enumerations register
// their cursors here (registerEnum / enumCursor) so that deleteEnumHandle covers every kind.
import { RtmError } from '../errors.js';
import type { Entity } from '../entity.js';
import type * as T from '../types.js';
import * as enums from './enums.js';
import * as locks from './locks.js';
import * as methods from './methods.js';
import * as opaque from './opaque.js';

export type * as T from '../types.js';
export { registerEnum, enumCursor, enumRoutesOf } from './enums.js';
export { routeMatches, criteriaArg } from '../rtmv2/routes.js';
export type { Criteria } from '../rtmv2/routes.js';
export { RouteView, NextHopView } from './locks.js';

/** Per-entity state of the dynamics layer. */
export class Dynamics {
  /** @internal */ readonly entity: Entity;
  /** @internal */ readonly locks = locks.newLockState();
  /** @internal */ readonly opaque = opaque.newOpaqueState();
  /** RtmBlockMethods state (not counted, D-22). */
  /** @internal */ blocked = false;
  private cleaned = false;

  constructor(entity: Entity) { this.entity = entity; }

  private live(op: string): Entity {
    this.entity.live(op);
    return this.entity;
  }

  // ── locks, owner views, opaque pointers (§8.2, §8.5.4–8.5.6, §8.7.4–8.7.5) ───────────────────────────
  /** RtmLockDestination. @throws RtmError ERROR_INVALID_HANDLE, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER (staged route edits reverted) */
  lockDestination(o: { dest: T.DestHandle; exclusive?: boolean; lock?: boolean }): void {
    locks.lockDestination(this.live('lockDestination'), this.locks, o);
  }
  /** RtmGetOpaqueInformationPointer: the caller's slot, or undefined if it reserved none. @throws RtmError ERROR_INVALID_HANDLE */
  getOpaqueInformationPointer(dest: T.DestHandle): T.OpaqueSlot | undefined {
    return opaque.getOpaqueInformationPointer(this.live('getOpaqueInformationPointer'), this.opaque, dest);
  }
  /** RtmGetRoutePointer: the owner view. @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  getRoutePointer(route: T.RouteHandle): T.RouteOwnerView {
    return locks.getRoutePointer(this.live('getRoutePointer'), this.locks, route);
  }
  /** RtmLockRoute (locks the route's destination). @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER */
  lockRoute(o: { route: T.RouteHandle; exclusive?: boolean; lock?: boolean }): T.RouteOwnerView | undefined {
    return locks.lockRoute(this.live('lockRoute'), this.locks, o);
  }
  /** RtmUpdateAndUnlockRoute; returns RTM_ROUTE_CHANGE_BEST or 0. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_NOT_LOCKED */
  updateAndUnlockRoute(o: { route: T.RouteHandle; timeToLive?: number; routeList?: T.Nullable<T.RouteListHandle> }): number {
    return locks.updateAndUnlockRoute(this.live('updateAndUnlockRoute'), this.locks, o);
  }
  /** RtmLockNextHop. @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_FOUND, ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER */
  lockNextHop(o: { nextHop: T.NextHopHandle; exclusive?: boolean; lock?: boolean }): T.NextHopOwnerView | undefined {
    return locks.lockNextHop(this.live('lockNextHop'), this.locks, o);
  }
  /** The owner view of one of this entity's next hops (no checks: the caller resolved it). */
  nextHopView(handle: T.NextHopHandle): T.NextHopOwnerView {
    return locks.nextHopView(this.entity, this.locks, handle);
  }
  /** The owner view of one of this entity's routes (RTM_ROUTE_EXPIRED Context2). @throws RtmError ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  ownerViewOfRoute(route: T.RouteHandle): T.RouteOwnerView {
    return locks.getRoutePointer(this.entity, this.locks, route, 'ownerViewOfRoute');
  }

  // ── methods (§8.3) ──────────────────────────────────────────────────────────────────────────────────
  /** RtmGetEntityMethods. @throws RtmError ERROR_INVALID_HANDLE */
  getEntityMethods(entity: T.EntityHandle): number[] {
    return methods.getEntityMethods(this.live('getEntityMethods'), entity);
  }
  /** RtmInvokeMethod. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_BUSY */
  invokeMethod(o: { entity: T.EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): T.MethodResult[] {
    return methods.invokeMethod(this.live('invokeMethod'), o, (callee) => callee.dyn.blocked);
  }
  /** RtmBlockMethods. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  blockMethods(o: { blockingFlag: number; targetHandle?: T.Nullable<T.Handle>; targetType?: number }): void {
    this.blocked = methods.blockMethods(this.live('blockMethods'), o);
  }

  // ── enumerations (§8.8) ─────────────────────────────────────────────────────────────────────────────
  /** RtmCreateDestEnum. @throws RtmError ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createDestEnum(o?: T.DestEnumOptions): T.EnumHandle { return enums.createDestEnum(this.live('createDestEnum'), o); }
  /** RtmGetEnumDests. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumDests(o: T.EnumGetOptions): T.EnumBatch<T.DestInfo> { return enums.getEnumDests(this.live('getEnumDests'), o); }
  /** RtmCreateRouteEnum. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createRouteEnum(o?: T.RouteEnumOptions): T.EnumHandle { return enums.createRouteEnum(this.live('createRouteEnum'), o); }
  /** RtmGetEnumRoutes. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumRoutes(o: T.EnumGetOptions): T.EnumBatch<T.RouteHandle> { return enums.getEnumRoutes(this.live('getEnumRoutes'), o); }
  /** RtmCreateNextHopEnum. @throws RtmError ERROR_INVALID_PARAMETER */
  createNextHopEnum(o?: T.NextHopEnumOptions): T.EnumHandle { return enums.createNextHopEnum(this.live('createNextHopEnum'), o); }
  /** RtmGetEnumNextHops. @throws RtmError ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumNextHops(o: T.EnumGetOptions): T.EnumBatch<T.NextHopHandle> { return enums.getEnumNextHops(this.live('getEnumNextHops'), o); }
  /** RtmDeleteEnumHandle. @throws RtmError ERROR_INVALID_HANDLE */
  deleteEnumHandle(h: T.EnumHandle): void { enums.deleteEnumHandle(this.live('deleteEnumHandle'), h); }

  /** Destinations through an enumeration; a batch's references are released when the iterator moves on. */
  *dests(o: T.DestEnumOptions & T.IterateOptions = {}): IterableIterator<T.DestInfo> {
    const { batch, ...rest } = o;
    const e = this.entity;
    const h = this.createDestEnum(rest);
    let current: readonly T.DestInfo[] = [];
    try {
      for (;;) {
        const { items, done } = this.getEnumDests({ enumHandle: h, count: batch ?? e.profile.maxHandlesInEnum });
        current = items;
        yield* items;
        quiet(() => e.releaseDests(current));
        current = [];
        if (done) break;
      }
    } finally {
      if (current.length > 0) quiet(() => e.releaseDests(current));
      quiet(() => this.deleteEnumHandle(h));
    }
  }

  /** Route handles through an enumeration, with the reference rule of dests(). */
  *routes(o: T.RouteEnumOptions & T.IterateOptions = {}): IterableIterator<T.RouteHandle> {
    const { batch, ...rest } = o;
    const e = this.entity;
    const h = this.createRouteEnum(rest);
    let current: readonly T.RouteHandle[] = [];
    try {
      for (;;) {
        const { items, done } = this.getEnumRoutes({ enumHandle: h, count: batch ?? e.profile.maxHandlesInEnum });
        current = items;
        yield* items;
        quiet(() => e.releaseRoutes(current));
        current = [];
        if (done) break;
      }
    } finally {
      if (current.length > 0) quiet(() => e.releaseRoutes(current));
      quiet(() => this.deleteEnumHandle(h));
    }
  }

  // ── deregistration ──────────────────────────────────────────────────────────────────────────────────
  /**
   * Releases what the entity holds here (spec §7.16 step 3): its enumerations, its locks (mirrors
   * updated, staged edits dropped), its opaque slot values (destinations unpinned) and its blocking.
   * Idempotent; call it from deregister() while the entity's routes still exist.
   */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    const e = this.entity;
    methods.rememberMethods(e);
    enums.deleteEnumsOf(e);
    locks.releaseLocksOf(e, this.locks);
    opaque.clearSlotsOf(this.opaque);
    this.blocked = false;
  }
}

/** Runs a clean-up call, ignoring ERROR_INVALID_HANDLE (the loop body may have released or deleted things). */
function quiet(fn: () => void): void {
  try { fn(); } catch (err) { if (!(err instanceof RtmError) || err.code !== 'ERROR_INVALID_HANDLE') throw err; }
}

/**
 * The next hop's owner view (D-42) for Entity.findNextHop / getNextHopPointer: the one view object of
 * that next hop, writable while its owner `entity` holds the exclusive next-hop lock. No checks: the
 * caller has resolved `handle` (slot `slot`) as one of `entity`'s next hops.
 */
export function nextHopOwnerView(entity: Entity, handle: T.NextHopHandle, _slot: number): T.NextHopOwnerView {
  return entity.dyn.nextHopView(handle);
}
