// Hot paths of API.md §6 for simulators: a destination's best route as one record of numbers
// (bestRouteX), changed destinations pulled and released as ids (changedIdsX), batches of route updates
// with RtmAddRouteToDest (CHANGE_FIRST) / delete semantics (updatesCheck, updatesApply); addRoutesBatch's
// validate-only pass is bulk.ts bulkCheck. Every rule is the one of the single calls (routes.ts,
// notify.ts, load.ts); this file only sequences them. Costs: one
// crossing per call, O(routes of the destination) per update. Allocates nothing beyond the records the
// updates create and the hold timers their deletes may start (reserved for the whole batch by the check
// calls).
import {
  NIL, KIND_ROUTE, KIND_ENTITY, KIND_NEXTHOP, SLAB_ROUTE, SLAB_DEST, ENTITY_TABLE, ENTITY_PROTO, NEXTHOP_OWNER, NEXTHOP_TABLE,
  NEXTHOP_IFINDEX, NEXTHOP_ADDR, ROUTE_NEXT, ROUTE_NH,
  ROUTE_ESI_NULL, ROUTE_ESI_SET, ROUTE_ESI_UNKNOWN, TABLE_VIEWS, TABLE_FAMILY, VIEW_COUNT, CHANGE_NEW, CHANGE_BEST, UPD_LENKIND,
  UPD_PREF, UPD_METRIC, UPD_VIEWS, UPD_NEXTHOP, UPD_ADD, UPD_DELETE, UPD_MAX, CHANGED_IDS_MAX, BEST_ROUTE, BEST_OWNER,
  BEST_PROTOCOL, BEST_PREFERENCE, BEST_METRIC, BEST_FLAGS, BEST_NEXTHOP_COUNT, BEST_NEXTHOP, BEST_NEIGHBOUR,
  BEST_INTERFACE, BEST_VIEWS, BEST_NEXTHOP_IPV4, TABLE_FIB, DEST_ROUTES, DEST_NODE, SLAB_NODE4,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND,
  ERROR_BUSY } from './status';
import { IO_IN, IO_OUT, ioPtr, setRes } from './io';
import { slabIsAlive, slabHigh } from './slab';
import { tableValid, tableGet, tableMaxLen } from './tables';
import { handleOf, handleSlot } from './handles';
import { destFind, destInsert, destGet, destValid, destLockedAgainst, destsLocked, destsHoldArmed, destFindHint, destNode,
  destBest, chainNext } from './dests';
import { entityGet, nhGet, nhLive } from './entities';
import { routeApply, routeDelete, routeGet, routeSet, routeHop, routeFlags16, routeLive, routeOfOwner, destKeep, routePref, routeMetric, pmInline,
  created, routeNhCount, routeViews, routeEsi, setRouteEsi, routeNeighbour, routeOwner } from './routes';
import { timerClear, timerReserve } from './timers';
import { holdMayStart } from './reserve';
import { notifyPull, notifyPending } from './notify';
import { entityOf, notifyOf } from './notifyapi';
import { bestFired } from './rtmapi';
import { batchReserve, batchLongs } from './load';
import { debugTrapPoint } from './debug';
import { fibEntry1, fibIndex2, fibIsChild, fibEntryBelow, fibLeafExact, fibLeafCover } from './fib';
import { nodeChild } from './trie';

// ── Table.bestRouteInto ──────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function putF64(i: u32, v: f64): void { store<f64>(ioPtr(IO_OUT) + (<usize>i << 3), v); }

/**
 * The best route of destination d of table t in view `view` → BEST_FIELDS f64s at IO_OUT (layout.ts
 * "Best-route record"; handles without a reference). ERROR_NOT_FOUND when d is not a live destination of
 * t or has no live route in the view.
 */
export function bestRouteX(t: u32, d: u32, view: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (view >= VIEW_COUNT) return ERROR_INVALID_PARAMETER;
  if (!destValid(t, d)) return ERROR_NOT_FOUND;
  debugTrapPoint();
  let r = destBest(d, view);
  if (r == NIL) return ERROR_NOT_FOUND;
  let e = routeOwner(r);
  let n = routeNhCount(r);
  let nb = routeNeighbour(r);
  putF64(BEST_ROUTE, handleOf(KIND_ROUTE, r));
  putF64(BEST_OWNER, handleOf(KIND_ENTITY, e));
  putF64(BEST_PROTOCOL, <f64>entityGet(e, ENTITY_PROTO));
  putF64(BEST_PREFERENCE, <f64>routePref(r));
  putF64(BEST_METRIC, <f64>routeMetric(r));
  putF64(BEST_FLAGS, <f64>routeFlags16(r));
  putF64(BEST_NEXTHOP_COUNT, <f64>n);
  putF64(BEST_NEIGHBOUR, nb == NIL ? 0 : handleOf(KIND_NEXTHOP, nb));
  putF64(BEST_VIEWS, <f64>routeViews(r));
  if (n == 0) {
    putF64(BEST_NEXTHOP, 0); putF64(BEST_INTERFACE, 0); putF64(BEST_NEXTHOP_IPV4, 0);
  } else {
    let h = routeHop(r, 0);
    putF64(BEST_NEXTHOP, handleOf(KIND_NEXTHOP, h));
    putF64(BEST_INTERFACE, <f64>nhGet(h, NEXTHOP_IFINDEX));
    putF64(BEST_NEXTHOP_IPV4, tableGet(t, TABLE_FAMILY) == 4 ? <f64>nhGet(h, NEXTHOP_ADDR) : 0);
  }
  return NO_ERROR;
}

// ── Entity.getChangedDestIds ─────────────────────────────────────────────────────────────────────────

/**
 * RtmGetChangedDests + RtmReleaseChangedDests without records: pops up to max destinations of
 * registration nh (owned by eh) → IO_OUT dest slots, and gives back the queue's keep on each at once
 * (a destination that has left the table is freed then: its id is reported but no longer resolves).
 * RES0 = count, RES1 = 1 if the queue is empty now.
 */
export function changedIdsX(eh: f64, nh: f64, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let n = notifyOf(e, nh);
  if (n == NIL) return ERROR_INVALID_HANDLE;
  if (max > CHANGED_IDS_MAX) return ERROR_INVALID_PARAMETER;
  debugTrapPoint();
  let out = ioPtr(IO_OUT);
  let k = notifyPull(n, max, out);
  for (let i: u32 = 0; i < k; i++) destKeep(load<u32>(out + (<usize>i << 2)), -1);
  setRes(0, k);
  setRes(1, notifyPending(n) ? 0 : 1);
  return NO_ERROR;
}

// ── Entity.applyUpdates ──────────────────────────────────────────────────────────────────────────────

const SLOTS: usize = memory.data(<i32>(UPD_MAX * 4), 16);

// The update records at IO_IN by columns (layout.ts "Update records"): record i's key, and its word of column c.
// @ts-ignore: decorator
@inline function updKey(i: u32): usize { return ioPtr(IO_IN) + (<usize>i << 4); }
// @ts-ignore: decorator
@inline function updGet(c: u32, i: u32): u32 { return load<u32>(ioPtr(IO_IN) + (<usize>(c * UPD_MAX + i) << 2)); }
// @ts-ignore: decorator
@inline function updHop(i: u32): f64 { return load<f64>(ioPtr(IO_IN) + (<usize>(UPD_NEXTHOP * UPD_MAX) << 2) + (<usize>i << 3)); }

/**
 * Validates n update records at IO_IN (layout.ts "Update records") for entity e of table t, changing
 * nothing: next-hop handles of adds, then parameters (length, kind, the next hop is the caller's and
 * live; spec D-05), then locks (ERROR_BUSY for a destination locked by another entity; probed only while
 * some destination is locked). Resolved next-hop slots go to SLOTS. RES2 = index of the first bad record.
 */
function updatesValidate(e: u32, t: u32, n: u32): i32 {
  if (n > UPD_MAX) return ERROR_INVALID_PARAMETER;
  let maxLen = tableMaxLen(t);
  for (let i: u32 = 0; i < n; i++) {
    let nh = NIL;
    let h = updHop(i);
    if (h != 0 && (updGet(UPD_LENKIND, i) >>> 8) != UPD_DELETE) {
      nh = handleSlot(h, KIND_NEXTHOP);
      if (nh == NIL || nhGet(nh, NEXTHOP_TABLE) != t) { setRes(2, i); return ERROR_INVALID_HANDLE; }
    }
    store<u32>(SLOTS + (<usize>i << 2), nh);
  }
  for (let i: u32 = 0; i < n; i++) {
    let lk = updGet(UPD_LENKIND, i);
    let nh = load<u32>(SLOTS + (<usize>i << 2));
    if ((lk & 0xff) > maxLen || (lk >>> 8) > UPD_DELETE ||
      (nh != NIL && (nhGet(nh, NEXTHOP_OWNER) != e || !nhLive(nh)))) { setRes(2, i); return ERROR_INVALID_PARAMETER; }
  }
  if (destsLocked != 0) {
    for (let i: u32 = 0; i < n; i++) {
      let d = destFind(t, updKey(i), updGet(UPD_LENKIND, i) & 0xff);
      if (d != NIL && destLockedAgainst(d, e)) { setRes(2, i); return ERROR_BUSY; }
    }
  }
  return NO_ERROR;
}

/**
 * Hold timers that deleting records from..n-1 (at IO_IN) of table t may start: deletes of a destination
 * whose hold-down is armed and not running (a destination deleted twice counts twice). 0 without a
 * lookup while no destination has hold-down armed.
 */
function updatesHolds(t: u32, n: u32, from: u32): u32 {
  if (destsHoldArmed == 0) return 0;
  let k: u32 = 0;
  for (let i = from; i < n; i++) {
    let lk = updGet(UPD_LENKIND, i);
    if ((lk >>> 8) != UPD_DELETE) continue;
    let d = destFind(t, updKey(i), lk & 0xff);
    if (d != NIL && holdMayStart(d)) k++;
  }
  return k;
}

// hold timers counted by the check calls of one batch so far (reset by its first call, reserve > 0)
let checkHolds: u32 = 0;
// adds into view 1 counted by the check calls of one batch so far (likewise), long IPv6 nodes (load.ts
// batchLongs) and adds with a preference-and-metric pair without a packed form (updatesBigPM)
let checkMcast: u32 = 0, checkLongs: u32 = 0, checkBig: u32 = 0;

/**
 * Add records from..n-1 whose preference-and-metric pair has no packed form (layout ROUTE_PM): their routes
 * need an extra record (load.ts batchReserve's `flagged`).
 */
function updatesBigPM(n: u32, from: u32): u32 {
  let k: u32 = 0;
  for (let i = from; i < n; i++) {
    if ((updGet(UPD_LENKIND, i) >>> 8) == UPD_ADD && !pmInline(updGet(UPD_PREF, i), updGet(UPD_METRIC, i))) k++;
  }
  return k;
}

/** Add records from..n-1 that put a route into view 1 of table t (load.ts batchReserve's `mcast`). */
function updatesMcast(t: u32, n: u32, from: u32): u32 {
  if ((tableGet(t, TABLE_VIEWS) & 2) == 0) return 0;
  let k: u32 = 0;
  for (let i = from; i < n; i++) {
    if ((updGet(UPD_LENKIND, i) >>> 8) == UPD_ADD && (updGet(UPD_VIEWS, i) & 2) != 0) k++;
  }
  return k;
}

/**
 * The validate-only pass of applyUpdates: checks n records (updatesValidate) and, with reserve > 0 (the
 * batch's first chunk), reserves memory for `reserve` records; every call also reserves the hold timers
 * the deletes of the chunks checked so far may start, so that the chunks of a batch validated this way
 * all apply.
 */
export function updatesCheck(eh: f64, n: u32, reserve: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let s = updatesValidate(e, t, n);
  if (s != NO_ERROR) return s;
  if (reserve != 0) { checkHolds = 0; checkMcast = 0; checkLongs = 0; checkBig = 0; }
  checkHolds += updatesHolds(t, n, 0);
  checkMcast += updatesMcast(t, n, 0);
  checkLongs += batchLongs(t, ioPtr(IO_IN), UPD_LENKIND, UPD_MAX, n, 0);
  checkBig += updatesBigPM(n, 0);
  // (updates carry no route flags: their routes need an extra record only for a large preference or metric)
  if (!batchReserve(t, reserve, checkMcast, checkLongs, checkBig)) return ERROR_NOT_ENOUGH_MEMORY;
  return timerReserve(t, checkHolds) ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

// Look-ahead of updatesApply for an IPv4 table with a forwarding structure: before a window of TOUCH_W
// records is applied, the records (structure entries, destination — through the find cache for a prefix
// the structure does not name —, the chain's first two routes, both lines of the first (an 80-byte record
// always spans two: its owner word and its last word), the trie node of a destination whose only route
// the record deletes) that their finds, routeOfOwner, the recompute, the timer and EntitySpecificInfo
// words and a detach will read are loaded level by level across the window — independent loads, whose cache
// and TLB misses the CPU overlaps, where the updates one by one would take them one after another. Only
// loads: the values are discarded (summed into TOUCH_SINK so that no optimiser drops them) and nothing
// is decided by them; an update of the window that changes the table only makes a later one's loads
// useless, never wrong (every slot is read while the structure or a live record names it, so it is a
// live record; or the find cache's unchecked hint names it, and then only a slot below its slab's
// high-water mark is read — a record, live or free, whose words guide only loads checked the same way).
const TOUCH_W: u32 = 64;
const TOUCH: usize = memory.data(<i32>(TOUCH_W * 4), 16);
const TOUCH_N: usize = memory.data(<i32>(TOUCH_W * 4), 16);
const TOUCH_SINK: usize = memory.data(16, 16);
// TOUCH_N mark of a found destination's node (node slots are < 2^25, handles.ts)
const NODE_LATER: u32 = 0x80000000;

function updatesTouch(fib: usize, from: u32, to: u32): void {
  let k = to - from;
  let dests = slabHigh(SLAB_DEST);
  for (let i: u32 = 0; i < k; i++) store<u32>(TOUCH + (<usize>i << 2), fibEntry1(fib, load<u32>(updKey(from + i))));
  for (let level: u32 = 0; level < 2; level++) {
    let any = false;
    for (let i: u32 = 0; i < k; i++) {
      let e = load<u32>(TOUCH + (<usize>i << 2));
      if (!fibIsChild(e)) continue;
      let addr = load<u32>(updKey(from + i));
      store<u32>(TOUCH + (<usize>i << 2), fibEntryBelow(e, level == 0 ? fibIndex2(addr) : addr & 255));
      any = true;
    }
    if (!any) break;
  }
  for (let i: u32 = 0; i < k; i++) {
    let e = load<u32>(TOUCH + (<usize>i << 2));
    let len = updGet(UPD_LENKIND, from + i) & 0xff;
    let d = fibLeafExact(e, len);
    let r = NIL, n = NIL;
    // the route chain; the node, for a delete that empties the chain (touched below, once that is known)
    if (d != NIL) { r = destGet(d, DEST_ROUTES); n = NODE_LATER | destNode(d); }
    else {
      // a prefix the structure does not name: its find asks the hint cache (reading the destination and
      // its node) or walks from the node of a covering leaf's destination
      let h = destFindHint(load<u32>(updKey(from + i)), len);
      if (h < dests) { r = destGet(h, DEST_ROUTES); n = destNode(h); }
      else {
        let c = fibLeafCover(e, len);
        if (c != NIL) n = destNode(c);
      }
    }
    store<u32>(TOUCH + (<usize>i << 2), r);
    store<u32>(TOUCH_N + (<usize>i << 2), n);
  }
  let sink: u32 = 0;
  let high = slabHigh(SLAB_ROUTE), nodes = slabHigh(SLAB_NODE4);
  for (let i: u32 = 0; i < k; i++) {
    let r = load<u32>(TOUCH + (<usize>i << 2));
    let next = NIL;
    // words ROUTE_NH and ROUTE_NEXT, 8 bytes apart: one cache line but where a line ends between them
    if (r < high) { sink += routeGet(r, ROUTE_NH); next = chainNext(r); }
    store<u32>(TOUCH + (<usize>i << 2), next);
    let n = load<u32>(TOUCH_N + (<usize>i << 2));
    if (n != NIL && (n & NODE_LATER) != 0) {
      // a found destination's node is read only when the record deletes the chain's only route (a detach)
      n = next == NIL && (updGet(UPD_LENKIND, from + i) >>> 8) == UPD_DELETE ? n & ~NODE_LATER : NIL;
    }
    if (n < nodes) sink += nodeChild(n, 0);
  }
  // the second route of the chain (routeOfOwner past another owner's route, the recompute after a change)
  for (let i: u32 = 0; i < k; i++) {
    let r = load<u32>(TOUCH + (<usize>i << 2));
    if (r < high) sink += routeGet(r, ROUTE_NH) + routeGet(r, ROUTE_NEXT);
  }
  store<u32>(TOUCH_SINK, load<u32>(TOUCH_SINK) + sink);
}

/**
 * Applies update records from..n-1 for entity eh in order; every record 0..n-1 is validated and memory
 * reserved first (hold timers of its deletes too), so a failing call changes nothing. Cases per record: 1. add: the caller's first route
 * on the destination (CHANGE_FIRST, spec §7.2) is updated, or a route created, with the record's next
 * hop as neighbour and only next hop, flags 0, TTL INFINITE and a NULL EntitySpecificInfo (a non-NULL
 * one before counts as a change, as in RtmAddRouteToDest); 2. delete: the caller's first route there is
 * deleted; 3. delete of a route the caller does not have: nothing; 4. an add whose route's
 * EntitySpecificInfo the core does not know (ROUTE_ESI_UNKNOWN): the call stops before it with RES5 =
 * its index and RES6 = the route slot; the facade tells (routeEsiMark) and calls again from there. Each
 * record is classified and queued as the single call would be. IO_OUT[i] = change flags of record i;
 * IO_OUT[UPD_MAX + i] = route slot of an add (NIL for a delete). RES0 = routes created, RES1 = routes
 * deleted (by this call), RES2 = first bad record on a validation error, RES5 = n when every record
 * was applied.
 */
export function updatesApply(eh: f64, n: u32, from: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let s = updatesValidate(e, t, n);
  if (s != NO_ERROR) return s;
  if (from > n) return ERROR_INVALID_PARAMETER;
  if (!batchReserve(t, n - from, updatesMcast(t, n, from), batchLongs(t, ioPtr(IO_IN), UPD_LENKIND, UPD_MAX, n, from), updatesBigPM(n, from)) ||
    !timerReserve(t, updatesHolds(t, n, from))) return ERROR_NOT_ENOUGH_MEMORY;
  debugTrapPoint();
  let views = tableGet(t, TABLE_VIEWS);
  let out = ioPtr(IO_OUT), outRoutes = ioPtr(IO_OUT + UPD_MAX);
  let made: u32 = 0, gone: u32 = 0;
  setRes(5, n);
  for (let i = from; i < n; i++) {
    if ((i - from) % TOUCH_W == 0) {
      // the structure as it is now (an update may have built or freed it)
      let fib = <usize>tableGet(t, TABLE_FIB);
      if (fib != 0) updatesTouch(fib, i, min(n, i + TOUCH_W));
    }
    let rec = updKey(i);
    let lk = updGet(UPD_LENKIND, i);
    let len = lk & 0xff;
    let d = destFind(t, rec, len);
    let r = d == NIL ? NIL : routeOfOwner(d, e, NIL, true);
    let flags: u32 = 0;
    if ((lk >>> 8) == UPD_DELETE) {
      if (r != NIL) {                                                                // 2.
        routeDelete(r, d);
        gone++;
        flags = bestFired() ? CHANGE_BEST : 0;
      }                                                                              // 3.
      r = NIL;
    } else {                                                                         // 1.
      if (r != NIL && routeEsi(r) == ROUTE_ESI_UNKNOWN) { setRes(5, i); setRes(6, r); break; }   // 4.
      if (d == NIL) { d = destInsert(t, rec, len); assert(d != NIL); } // absent (found above); reserved above
      let nh = load<u32>(SLOTS + (<usize>i << 2));
      let esi = r != NIL && routeEsi(r) != ROUTE_ESI_NULL;
      r = routeApply(e, d, r, nh, SLOTS + (<usize>i << 2), nh == NIL ? 0 : 1, updGet(UPD_PREF, i),
        updGet(UPD_METRIC, i), updGet(UPD_VIEWS, i) & views, 0, 0, esi);
      setRouteEsi(r, ROUTE_ESI_NULL);
      timerClear(t, r);
      if (created) made++;
      flags = (created ? CHANGE_NEW : 0) | (bestFired() ? CHANGE_BEST : 0);
    }
    store<u32>(out + (<usize>i << 2), flags);
    store<u32>(outRoutes + (<usize>i << 2), r);
  }
  setRes(0, made); setRes(1, gone);
  return NO_ERROR;
}

/**
 * Tells the core whether the facade holds a non-NULL EntitySpecificInfo for live route slot r (routeEsi
 * becomes NULL or SET), answering a batch that stopped at a route whose value it did not know.
 */
export function routeEsiMark(r: u32, held: u32): i32 {
  if (!slabIsAlive(SLAB_ROUTE, r) || !routeLive(r)) return ERROR_INVALID_HANDLE;
  setRouteEsi(r, held != 0 ? ROUTE_ESI_SET : ROUTE_ESI_NULL);
  return NO_ERROR;
}
