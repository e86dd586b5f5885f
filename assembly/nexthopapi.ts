// Next-hop exports that answer in one call what the facade asked in several (issue 13): find the
// caller's next hop by (address, interface), or give the handle of a next hop just added, each with the
// caller's reference taken and the handle written as f64 at IO_OUT_HANDLES (no handleOfX, no refTakeX
// crossing). O(1) expected (nhindex.ts hash, refs.ts hash); allocates one reference entry at most,
// reserved first, so running out of memory is a status with nothing changed.
import { NIL, KIND_NEXTHOP, ENTITY_TABLE, SLAB_NEXTHOP, NEXTHOP_TABLE } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND } from './status';
import { IO_IN, IO_OUT_HANDLES, ioPtr, setRes } from './io';
import { tableMaxLen } from './tables';
import { handleOf } from './handles';
import { entityGet, nhFind, nhGet } from './entities';
import { slabHigh, slabIsAlive } from './slab';
import { entityOf } from './rtmapi';
import { refReserve, refTake, refTarget } from './refs';

/** Entity e takes one reference on next-hop slot h; its handle goes to IO_OUT_HANDLES, h to RES0. */
function takeOut(e: u32, h: u32): i32 {
  if (!refReserve(e, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  refTake(e, refTarget(KIND_NEXTHOP, h));
  store<f64>(ioPtr(IO_OUT_HANDLES), handleOf(KIND_NEXTHOP, h));
  setRes(0, h);
  return NO_ERROR;
}

/**
 * RtmFindNextHop in the caller's list, referenced: the live next hop of entity eh with (address at
 * IO_IN, len, ifIndex) gets one reference of the caller; its handle is written as f64 at
 * IO_OUT_HANDLES, its slot to RES0. ERROR_NOT_FOUND (absent), ERROR_INVALID_HANDLE (eh),
 * ERROR_INVALID_PARAMETER (len), ERROR_NOT_ENOUGH_MEMORY (no reference entry; nothing taken).
 */
export function nexthopFindRefX(eh: f64, len: u32, ifIndex: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (len > tableMaxLen(entityGet(e, ENTITY_TABLE))) return ERROR_INVALID_PARAMETER;
  let h = nhFind(e, ioPtr(IO_IN), len, ifIndex);
  if (h == NIL) return ERROR_NOT_FOUND;
  return takeOut(e, h);
}

/**
 * The handle of next-hop slot h (a live record of eh's table, in any state), with one reference of
 * entity eh on it (addNextHop's returned handle): written as f64 at IO_OUT_HANDLES. ERROR_INVALID_HANDLE
 * (eh, or h not a next hop of eh's table), ERROR_NOT_ENOUGH_MEMORY (nothing taken).
 */
export function nexthopTakeX(eh: f64, h: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (h >= slabHigh(SLAB_NEXTHOP) || !slabIsAlive(SLAB_NEXTHOP, h) || nhGet(h, NEXTHOP_TABLE) != entityGet(e, ENTITY_TABLE)) {
    return ERROR_INVALID_HANDLE;
  }
  return takeOut(e, h);
}
