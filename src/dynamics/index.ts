// The dynamics layer of the WASM facade (stub while it is being written).
import { RtmError } from '../errors.js';
import type { Entity } from '../entity.js';
import type * as T from '../types.js';

export type * as T from '../types.js';

function todo(op: string): never { throw new RtmError('ERROR_NOT_SUPPORTED', op, 'not implemented yet'); }

/** Per-entity state of the dynamics layer. */
export class Dynamics {
  /** @internal */ readonly entity: Entity;
  constructor(entity: Entity) { this.entity = entity; }
  lockDestination(_o: { dest: T.DestHandle; exclusive?: boolean; lock?: boolean }): void { todo('lockDestination'); }
  getOpaqueInformationPointer(_dest: T.DestHandle): T.OpaqueSlot | undefined { return todo('getOpaqueInformationPointer'); }
  getEntityMethods(_entity: T.EntityHandle): number[] { return todo('getEntityMethods'); }
  invokeMethod(_o: { entity: T.EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): T.MethodResult[] { return todo('invokeMethod'); }
  blockMethods(_o: { blockingFlag: number; targetHandle?: T.Nullable<T.Handle>; targetType?: number }): void { todo('blockMethods'); }
  getRoutePointer(_route: T.RouteHandle): T.RouteOwnerView { return todo('getRoutePointer'); }
  lockRoute(_o: { route: T.RouteHandle; exclusive?: boolean; lock?: boolean }): T.RouteOwnerView | undefined { return todo('lockRoute'); }
  updateAndUnlockRoute(_o: { route: T.RouteHandle; timeToLive?: number; routeList?: T.Nullable<T.RouteListHandle> }): number { return todo('updateAndUnlockRoute'); }
  lockNextHop(_o: { nextHop: T.NextHopHandle; exclusive?: boolean; lock?: boolean }): T.NextHopOwnerView | undefined { return todo('lockNextHop'); }
  createDestEnum(_o?: T.DestEnumOptions): T.EnumHandle { return todo('createDestEnum'); }
  getEnumDests(_o: T.EnumGetOptions): T.EnumBatch<T.DestInfo> { return todo('getEnumDests'); }
  createRouteEnum(_o?: T.RouteEnumOptions): T.EnumHandle { return todo('createRouteEnum'); }
  getEnumRoutes(_o: T.EnumGetOptions): T.EnumBatch<T.RouteHandle> { return todo('getEnumRoutes'); }
  createNextHopEnum(_o?: T.NextHopEnumOptions): T.EnumHandle { return todo('createNextHopEnum'); }
  getEnumNextHops(_o: T.EnumGetOptions): T.EnumBatch<T.NextHopHandle> { return todo('getEnumNextHops'); }
  deleteEnumHandle(_h: T.EnumHandle): void { todo('deleteEnumHandle'); }
  dests(_o?: T.DestEnumOptions & T.IterateOptions): IterableIterator<T.DestInfo> { return todo('dests'); }
  routes(_o?: T.RouteEnumOptions & T.IterateOptions): IterableIterator<T.RouteHandle> { return todo('routes'); }
  cleanup(): void { /* nothing held yet */ }
  ownerViewOfRoute(_route: T.RouteHandle): T.RouteOwnerView { return todo('ownerViewOfRoute'); }
}

/** The next hop's owner view (D-42) for findNextHop / getNextHopPointer. */
export function nextHopOwnerView(entity: Entity, handle: T.NextHopHandle, _slot: number): T.NextHopOwnerView {
  void entity; void handle; return todo('nextHopOwnerView');
}
