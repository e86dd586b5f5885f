// What happens when a deadline of the core's timer heaps falls due (spec §7.6, §7.7, §11.6): a route's
// TTL ran out — RTM_ROUTE_EXPIRED to its owner with a reference and the owner view, and the route is
// deleted when the callback answers ERROR_NOT_SUPPORTED or there is no callback — or a destination's
// hold-down ended. An expiry or hold end of a locked destination waits in the core (its entry is parked
// until the last lock goes, spec §7.10 rule 4, D-20): what the core reports due is never locked.
// Allocates only the callback's view.
import { RtmInternalError, STATUS, check } from '../errors.js';
import { RTM_ROUTE_EXPIRED } from '../constants.js';
import { recordAlive, routeOwnerSlot, routeStateOf } from '../port/records.js';
import type { RouteHandle } from '../types.js';
import type { Ctx, Instance } from './context.js';
import { entityBySlot } from './registry.js';
import { dropQuietly, take } from './refs.js';
import { deleteRouteToDest, isBestRoute } from './routes.js';
import { ownerViewOfRoute } from './locks.js';

/** A route's TTL ran out (spec §7.6 T2/T3). Returns the callbacks run. */
export function expireRoute(inst: Instance, r: number): number {
  const c = inst.core, L = inst.layout;
  if (!recordAlive(c, L.SLAB_ROUTE, r) || routeStateOf(c, r) !== 0) return 0;
  const owner = entityBySlot(inst, routeOwnerSlot(c, r));
  if (!owner) return 0;
  const h = owner.x.handleOfX(L.KIND_ROUTE, r) as RouteHandle;
  if (!owner.onEvent) { deleteExpired(owner, h, false); return 0; }
  take(owner, h);                                     // the reference handed to the owner (§7.9)
  const view = ownerViewOfRoute(owner, h);
  let ret: number | void;
  inst.scheduler.inExpiryCallback++;
  try {
    ret = owner.onEvent(RTM_ROUTE_EXPIRED, h, view);
  } finally {
    inst.scheduler.inExpiryCallback--;
  }
  if (ret === STATUS.ERROR_NOT_SUPPORTED && owner.registered && !inst.isClosed) deleteExpired(owner, h, true);
  return 1;
}

/** The RTM deletes an expired route on the owner's behalf (consuming the owner's reference when asked). */
function deleteExpired(owner: Ctx, h: RouteHandle, consume: boolean): void {
  try {
    isBestRoute(owner, h);                         // throws if the handle died meanwhile
    deleteRouteToDest(owner, h);                   // consumes the owner's reference when it holds one
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;
    if (consume) dropQuietly(owner, [h]);
  }
}

/**
 * A destination's hold-down timer ran out (spec §7.7 H5): the core ends it and clears its entry. A
 * destination that left the table meanwhile has nothing left to end.
 * @throws RtmError ERROR_NOT_ENOUGH_MEMORY (nothing changed; the entry stays armed)
 */
export function holdEnd(inst: Instance, t: number, d: number): void {
  inst.scheduler.syncNow();
  const s = inst.core.x.holdEnd(t, d);
  if (s === STATUS.ERROR_INVALID_HANDLE) return;   // the destination is gone: nothing is held
  check(s, 'hold-down');
  inst.scheduler.afterChange();
}
