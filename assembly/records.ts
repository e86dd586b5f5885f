// One crossing per RTMv2 operation (issue 9): routeAddR, routeDeleteR, routeInfoR, destInfoR /
// destInfoAtR and notifyGetChangedR each do the whole operation in one call — validation first (spec D-05
// order; a rejected call changes nothing and takes no reference), the work, the calling entity's
// references (refs.ts) — and write the whole result record (layout.ts REC_*) as f64 words at IO_OUT. Also
// the exports of per-entity references (refTakeX, refDropX, refCountX, refDropManyX, refTakeManyX).
// Costs: the operation's own, plus O(1) expected per reference. Allocation: reference entries only,
// reserved before any change (ERROR_NOT_ENOUGH_MEMORY leaves everything as it was).
import {
  NIL, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY, ENTITY_TABLE, ENTITY_PROTO, ROUTE_NH,
  ROUTE_VIEWS,
  ROUTE_ESI_NULL, ROUTE_ESI_SET, ROUTE_ESI_UNKNOWN, ROUTE_FLAGS1_SHIFT, DEST_ROUTES,
  DESTX_HELD, DEST_STATE, DEST_S_VIEWS, DEST_CHANGED, VIEW_COUNT, TABLE_VIEWS, NOTIFY_VIEWS, NOTIFY_QHEAD,
  NOTIFY_QEND, REF_KIND_SHIFT, TABLE_HEAP_LEN,
  REC_ADD_ROUTE, REC_ADD_CHANGE, REC_ADD_ROUTE_SLOT, REC_ADD_REF, REC_ADD_ESI_CHECK, ESI_IN_NULL, ESI_IN_CHANGED, ESI_IN_SAME,
  REC_ROUTE_DEST, REC_ROUTE_OWNER, REC_ROUTE_NEIGHBOUR, REC_ROUTE_STATE, REC_ROUTE_FLAGS1, REC_ROUTE_FLAGS,
  REC_ROUTE_METRIC, REC_ROUTE_PREF, REC_ROUTE_VIEWS, REC_ROUTE_SLOT, REC_ROUTE_ESI, REC_ROUTE_DEST_SLOT,
  REC_ROUTE_KEY, REC_ROUTE_LEN, REC_ROUTE_NHOPS, REC_ROUTE_HOPS,
  REC_DEST_HANDLE, REC_DEST_SLOT, REC_DEST_KEY, REC_DEST_LEN, REC_DEST_CHANGED, REC_DEST_VIEWS, REC_DEST_NVIEWS,
  REC_DEST_VIEW, REC_DVIEW_ID, REC_DVIEW_ROUTES, REC_DVIEW_ROUTE, REC_DVIEW_OWNER, REC_DVIEW_FLAGS, REC_DVIEW_HOLD,
  REC_DVIEW_WORDS, REC_DEST_WORDS, REC_SUM_ROUTE, REC_SUM_OWNER, REC_SUM_PROTOCOL, REC_SUM_PREF, REC_SUM_METRIC,
  REC_SUM_SLOT, REC_SUM_NHOPS, REC_SUM_HOPS, REC_SUM_HOP_WORDS, NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_LEN_MASK,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_SUPPORTED } from './status';
import { IO_IN, IO_OUT, IO_RES, IO_BATCH_MAX, ioPtr, ioGet, setRes } from './io';
import { slabLive, slabHigh, slabRec } from './slab';
import { debugTrapPoint } from './debug';
import { tableGet, tableValid } from './tables';
import { handleOf, handleSlot, handleKind, kindSlab } from './handles';
import { destTable, destGet, destPtr, destKey, destLen, destValid, destXGet, destBest, chainNext } from './dests';
import { entityGet, nhGet, nhPtr } from './entities';
import { setNowMs, routeGet, routeSet, routeHop, routeFlags16, routeFlagsWord, routeState, routeSelect, routesInViews, destKeep, routeNhCount, routeViews, routeEsi, setRouteEsi, routeNeighbour, routeOwner, routeDest, routePref, routeMetric } from './routes';
import { notifyGet, notifyPull, notifyPending, signalCount } from './notify';
import { notifyOf } from './notifyapi';
import { entityOf, routeIn, routeAddCheck, routeAddApply, routeAddTarget, routeAddEntity, routeDeleteCheck,
  routeDeleteApply, routeDeleteEntity, routeDeleteTarget } from './rtmapi';
import { refReserve, refTouch, refTake, refTakeDest, refTakeRoute, refTakeEntity, refDrop, refDropHandle, refCount,
  refTarget, refTargetOf, targetKind, refSetLimit, refEntries, refSlots } from './refs';

/** Handles refDropManyX / refTakeManyX read: f64s from IO_IN (the input region, IO_BATCH_MAX × 4 words). */
export const REF_MANY_MAX: u32 = IO_BATCH_MAX * 2;
/** Handles from which refDropManyX reads every reference table slot and record ahead of the releases (a large, likely cold batch). */
const READ_AHEAD_MIN: u32 = 1024;
/** Destination records one notifyGetChangedR call writes at most (IO_OUT holds IO_BATCH_MAX × 2 f64s). */
export const REC_CHANGED_MAX: u32 = IO_BATCH_MAX * 2 / REC_DEST_WORDS;
/**
 * The result register where routeAddR and routeDeleteR leave the change-notification signals pending
 * (notify.ts signalCount), so that the facade need not read the exported global after the call.
 */
export const RES_SIGNALS: u32 = 5;
/**
 * The result register where routeDeleteR says whether the table's timer heap may have changed: 1 when it
 * held an entry before or after the call (a hold-down the deletion started, the route's own expiry it
 * cleared), 0 when it was empty throughout, so that the facade need not re-arm its real-clock timer.
 */
export const RES_TIMERS: u32 = 6;
/** RTM_VIEW_MASK_ALL and RTM_THIS_PROTOCOL as the facade passes them. */
const VIEW_MASK_ALL: u32 = 0xffffffff;
const THIS_PROTOCOL: u32 = 0xffffffff;

// @ts-ignore: decorator
@inline function outPtr(word: u32): usize { return ioPtr(IO_OUT) + (<usize>word << 3); }
// @ts-ignore: decorator
@inline function put(word: u32, v: f64): void { store<f64>(outPtr(word), v); }
// @ts-ignore: decorator
@inline function handleOrZero(kind: u32, slot: u32): f64 { return slot == NIL ? 0 : handleOf(kind, slot); }
// @ts-ignore: decorator
@inline function viewCount(views: u32): u32 { return <u32>popcnt(views & ((1 << VIEW_COUNT) - 1)); }

/** Takes a reference for entity e on record (kind, slot) unless slot is NIL (caller reserved). */
// @ts-ignore: decorator
@inline function takeIf(e: u32, kind: u32, slot: u32): void { if (slot != NIL) refTake(e, refTarget(kind, slot)); }

// ── routes ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * RtmAddRouteToDest in one call: routeAdd (same arguments and statuses, IO_IN key, next hops at IO_HOPS;
 * RES0..RES4 as routeAdd) and then, when `wantRef` != 0 and no route handle was passed, one reference
 * for the caller on the route (the handle RtmAddRouteToDest returns). `esi` (ESI_IN_*) says what the
 * facade knows of the new EntitySpecificInfo, so that the core decides whether it changed before the
 * update is classified: NULL → changed iff the route had one; CHANGED / SAME as said; SET → changed iff
 * the route had none. When the core cannot tell (SET over SET, or a route last written by routeAdd),
 * REC_ADD_ESI_CHECK = 1: the facade compares the values itself and calls routeTouch if they differ —
 * the only case needing a second call. Record: REC_ADD_* at IO_OUT; RES_SIGNALS = signals pending.
 * `now` is the caller's clock (ms), set first as setNow would: the time is part of the one call (with a
 * real clock, whose time moves between any two calls, each add made a setNow call before this one).
 */
export function routeAddR(eh: f64, len: u32, routeH: f64, neighbourH: f64, nHops: u32, pref: u32, metric: u32,
  views: u32, flags16: u32, flags1: u32, changeIn: u32, esi: u32, deadline: f64, listH: f64, wantRef: u32, now: f64): i32 {
  setNowMs(now);
  let take = wantRef != 0 && routeH == 0;
  let s = routeAddCheck(eh, len, routeH, neighbourH, nHops, pref, metric, views, flags16, flags1, changeIn, deadline, listH, take ? 1 : 0);
  if (s != NO_ERROR) return s;
  if (esi > ESI_IN_SAME) return ERROR_INVALID_PARAMETER;
  let e = routeAddEntity(), old = routeAddTarget();
  let esiChanged = false, esiCheck = false;
  if (old != NIL) {
    let was = routeEsi(old);
    if (esi == ESI_IN_CHANGED) esiChanged = true;
    else if (esi == ESI_IN_SAME) esiChanged = false;
    else if (was == ROUTE_ESI_UNKNOWN) esiCheck = true;
    else if (esi == ESI_IN_NULL) esiChanged = was != ROUTE_ESI_NULL;
    else if (was == ROUTE_ESI_NULL) esiChanged = true;
    else esiCheck = true;
  }
  let r = routeAddApply(len, pref, metric, views, flags16, flags1, esiChanged, deadline);
  setRouteEsi(r, esi == ESI_IN_NULL ? ROUTE_ESI_NULL : ROUTE_ESI_SET);
  if (take) refTake(e, refTarget(KIND_ROUTE, r));
  // only the words the facade reads: the handle only when it is returned or the facade may routeTouch
  put(REC_ADD_ROUTE, take || esiCheck ? handleOf(KIND_ROUTE, r) : 0);
  put(REC_ADD_CHANGE, <f64>ioGet(IO_RES + 1));
  put(REC_ADD_ROUTE_SLOT, <f64>r);
  put(REC_ADD_REF, take ? 1 : 0);
  put(REC_ADD_ESI_CHECK, esiCheck ? 1 : 0);
  setRes(RES_SIGNALS, signalCount);
  return NO_ERROR;
}

/**
 * RtmDeleteRouteToDest in one call: routeDeleteX (same statuses; RES0..RES3 as there), then the
 * caller's reference on the route is consumed if it holds one (spec §7.9: the deletion consumes it;
 * holding none is not an error). RES4 = 1 if a reference was consumed, RES_SIGNALS = signals pending,
 * RES_TIMERS = 1 if the table's timer heap was or is non-empty.
 * On error nothing is consumed. `now`: the caller's clock (ms), set first, as routeAddR's.
 */
export function routeDeleteR(eh: f64, routeH: f64, now: f64): i32 {
  setNowMs(now);
  let s = routeDeleteCheck(eh, routeH);
  if (s != NO_ERROR) return s;
  let target = refTarget(KIND_ROUTE, routeDeleteTarget());
  let e = routeDeleteEntity();
  let t = entityGet(e, ENTITY_TABLE), timers = tableGet(t, TABLE_HEAP_LEN);
  // the caller's reference goes first, while the route is live (its count only drops: nothing is freed,
  // and routeDeleteCheck resolved everything the deletion reads): a route that no other holder references
  // is then freed by the deletion itself, not put on the zombie list and taken off it again by the drop
  // (the same frees in the same order: the reference entry, then the route; paired instruction counts,
  // bench/ab/replaycg.mjs)
  let held = refDrop(e, target);
  routeDeleteApply();
  setRes(4, held ? 1 : 0);
  setRes(RES_SIGNALS, signalCount);
  setRes(RES_TIMERS, (timers | tableGet(t, TABLE_HEAP_LEN)) != 0 ? 1 : 0);
  return NO_ERROR;
}

/**
 * RtmGetRouteInfo in one call: the route (any state) of the caller's table as REC_ROUTE_* with its next
 * hops, with references taken for the caller on the destination, the owner, the neighbour (if any) and
 * each next hop. ERROR_INVALID_HANDLE (caller or route), ERROR_NOT_ENOUGH_MEMORY.
 */
export function routeInfoR(eh: f64, routeH: f64): i32 {
  debugTrapPoint();
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let r = routeIn(entityGet(e, ENTITY_TABLE), routeH);
  if (r == NIL) return ERROR_INVALID_HANDLE;
  let n = routeNhCount(r), nb = routeNeighbour(r);
  if (!refReserve(e, 2 + (nb != NIL ? 1 : 0) + n)) return ERROR_NOT_ENOUGH_MEMORY;
  let d = routeDest(r), owner = routeOwner(r), fw = routeFlagsWord(r);
  put(REC_ROUTE_DEST, handleOf(KIND_DEST, d));
  put(REC_ROUTE_OWNER, handleOf(KIND_ENTITY, owner));
  put(REC_ROUTE_NEIGHBOUR, handleOrZero(KIND_NEXTHOP, nb));
  put(REC_ROUTE_STATE, <f64>routeState(r));
  put(REC_ROUTE_FLAGS1, <f64>((fw >>> ROUTE_FLAGS1_SHIFT) & 0xff));
  put(REC_ROUTE_FLAGS, <f64>(fw & 0xffff));
  put(REC_ROUTE_METRIC, <f64>routeMetric(r));
  put(REC_ROUTE_PREF, <f64>routePref(r));
  put(REC_ROUTE_VIEWS, <f64>routeViews(r));
  put(REC_ROUTE_SLOT, <f64>r);
  put(REC_ROUTE_ESI, <f64>routeEsi(r));
  put(REC_ROUTE_DEST_SLOT, <f64>d);
  memory.copy(outPtr(REC_ROUTE_KEY), destKey(d), 16);
  put(REC_ROUTE_LEN, <f64>destLen(d));
  put(REC_ROUTE_NHOPS, <f64>n);
  refTake(e, refTarget(KIND_DEST, d));
  refTake(e, refTarget(KIND_ENTITY, owner));
  takeIf(e, KIND_NEXTHOP, nb);
  for (let i: u32 = 0; i < n; i++) {
    let h = routeHop(r, i);
    put(REC_ROUTE_HOPS + i, handleOf(KIND_NEXTHOP, h));
    refTake(e, refTarget(KIND_NEXTHOP, h));
  }
  return NO_ERROR;
}

/**
 * Table.bestRouteSummary in one call: the best route of destination d of table t in view `view` as
 * REC_SUM_* (handles without a reference), with each next hop's address key and length; REC_SUM_ROUTE = 0
 * when the view has no best route. ERROR_INVALID_HANDLE (table, destination), ERROR_INVALID_PARAMETER.
 */
export function bestSummaryR(t: u32, d: u32, view: u32): i32 {
  debugTrapPoint();
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  if (view >= VIEW_COUNT) return ERROR_INVALID_PARAMETER;
  let r = destBest(d, view);
  if (r == NIL) { put(REC_SUM_ROUTE, 0); return NO_ERROR; }
  let owner = routeOwner(r), n = routeNhCount(r);
  put(REC_SUM_ROUTE, handleOf(KIND_ROUTE, r));
  put(REC_SUM_OWNER, handleOf(KIND_ENTITY, owner));
  put(REC_SUM_PROTOCOL, <f64>entityGet(owner, ENTITY_PROTO));
  put(REC_SUM_PREF, <f64>routePref(r));
  put(REC_SUM_METRIC, <f64>routeMetric(r));
  put(REC_SUM_SLOT, <f64>r);
  put(REC_SUM_NHOPS, <f64>n);
  for (let i: u32 = 0; i < n; i++) {
    let h = routeHop(r, i), w = REC_SUM_HOPS + i * REC_SUM_HOP_WORDS;
    memory.copy(outPtr(w), nhPtr(h) + (<usize>NEXTHOP_ADDR << 2), 16);
    put(w + 2, <f64>(nhGet(h, NEXTHOP_LEN) & NEXTHOP_LEN_MASK));
  }
  return NO_ERROR;
}

// ── destinations ─────────────────────────────────────────────────────────────────────────────────────

/** References a destination record takes at most: its handle, and per view a route, its owner, a hold route. */
// @ts-ignore: decorator
@inline function destRecordRefs(views: u32): u32 { return 1 + 3 * viewCount(views); }

/**
 * Writes the REC_DEST_* record of destination d at f64 word `at` of IO_OUT for the views in `views`
 * (ascending view id; the route chosen by protocol selector `proto`, 0 = best, spec §7.15 through
 * routeSelect) and takes entity e's references on the handle, each route, owner and hold route
 * (caller validated and reserved destRecordRefs(views)).
 */
function destRecord(e: u32, d: u32, proto: u32, views: u32, at: u32): void {
  put(at + REC_DEST_HANDLE, handleOf(KIND_DEST, d));
  put(at + REC_DEST_SLOT, <f64>d);
  memory.copy(outPtr(at + REC_DEST_KEY), destKey(d), 16);
  put(at + REC_DEST_LEN, <f64>destLen(d));
  put(at + REC_DEST_CHANGED, load<f64>(destPtr(d) + (<usize>DEST_CHANGED << 2)));
  put(at + REC_DEST_VIEWS, <f64>(destGet(d, DEST_STATE) & DEST_S_VIEWS));
  refTakeDest(e, d);
  let k: u32 = 0;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    let vb: u32 = 1 << v;
    if ((views & vb) == 0) continue;
    let num = routesInViews(d, vb);
    let best = destBest(d, v);
    let sel = proto == 0 ? best : routeSelect(d, v, proto, best);
    let owner = sel == NIL ? NIL : routeOwner(sel);
    let held = destXGet(d, DESTX_HELD + v);
    let w = at + REC_DEST_VIEW + k * REC_DVIEW_WORDS;
    put(w + REC_DVIEW_ID, <f64>v);
    put(w + REC_DVIEW_ROUTES, <f64>num);
    put(w + REC_DVIEW_ROUTE, handleOrZero(KIND_ROUTE, sel));
    put(w + REC_DVIEW_OWNER, handleOrZero(KIND_ENTITY, owner));
    put(w + REC_DVIEW_FLAGS, sel == NIL ? 0 : <f64>routeFlags16(sel));
    put(w + REC_DVIEW_HOLD, handleOrZero(KIND_ROUTE, held));
    if (sel != NIL) refTakeRoute(e, sel);
    if (owner != NIL) refTakeEntity(e, owner);
    if (held != NIL) refTakeRoute(e, held);
    k++;
  }
  put(at + REC_DEST_NVIEWS, <f64>k);
}

/** Validates a destination query's views and protocol for entity e; the status, with the values resolved. */
let qViews: u32 = 0, qProto: u32 = 0;
function destQuery(e: u32, proto: u32, views: u32): i32 {
  let supported = tableGet(entityGet(e, ENTITY_TABLE), TABLE_VIEWS);
  if (views == VIEW_MASK_ALL) views = supported;
  if ((views & ~supported) != 0) return ERROR_NOT_SUPPORTED;
  qViews = views;
  qProto = proto == THIS_PROTOCOL ? entityGet(e, ENTITY_PROTO) : proto;
  return refReserve(e, destRecordRefs(views)) ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

/**
 * RtmGetDestInfo in one call: destination handle dh of the caller's table as a REC_DEST_* record at
 * IO_OUT with the caller's references taken (handle, each route, owner, hold route). `views`: the views
 * to report (RTM_VIEW_MASK_ALL = every supported view; 0 = none; unsupported → ERROR_NOT_SUPPORTED);
 * `proto`: protocol selector (0 = best, RTM_THIS_PROTOCOL = the caller's protocol, else that protocol).
 * ERROR_INVALID_HANDLE (caller, destination), ERROR_NOT_SUPPORTED, ERROR_NOT_ENOUGH_MEMORY.
 */
export function destInfoR(eh: f64, dh: f64, proto: u32, views: u32): i32 {
  debugTrapPoint();
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let d = handleSlot(dh, KIND_DEST);
  if (d == NIL || destTable(d) != entityGet(e, ENTITY_TABLE)) return ERROR_INVALID_HANDLE;
  let s = destQuery(e, proto, views);
  if (s != NO_ERROR) return s;
  destRecord(e, d, qProto, qViews, 0);
  return NO_ERROR;
}

/**
 * destInfoR for destination slot d (as the lookups destFindX / lpm / lessSpecific return it in RES0):
 * the same record, references and statuses; a slot that is not a live destination of the caller's
 * table is ERROR_INVALID_HANDLE.
 */
export function destInfoAtR(eh: f64, d: u32, proto: u32, views: u32): i32 {
  debugTrapPoint();
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (!destValid(entityGet(e, ENTITY_TABLE), d)) return ERROR_INVALID_HANDLE;
  let s = destQuery(e, proto, views);
  if (s != NO_ERROR) return s;
  destRecord(e, d, qProto, qViews, 0);
  return NO_ERROR;
}

const CHANGED: usize = memory.data(<i32>(REC_CHANGED_MAX * 4), 16);

/** Where touchRecords stores the sum of the words it read (a store, so that the loads are kept). */
const TOUCHED: usize = memory.data(4, 4);
/**
 * Reads, for each of the first `got` destinations of CHANGED, one word of each record destRecord will
 * need next (its key, its first route, the best route of each view in `views`, the slots of entity e's
 * reference table where the destination and each best route probe first). notifyPull has just written the destinations; a
 * short loop of independent loads lets the cache misses of a cold batch overlap instead of coming one
 * after another inside destRecord.
 */
function touchRecords(e: u32, got: u32, views: u32): void {
  let sum: u32 = 0;
  for (let i: u32 = 0; i < got; i++) {
    let d = load<u32>(CHANGED + (<usize>i << 2));
    sum += load<u32>(destKey(d)) + refTouch(e, refTarget(KIND_DEST, d));
    let r = destGet(d, DEST_ROUTES);
    if (r != NIL) {
      sum += routeGet(r, ROUTE_VIEWS);
      // the second route too (routesInViews reads the whole chain; a table's routes are most often one or two)
      let r2 = chainNext(r);
      if (r2 != NIL) sum += routeGet(r2, ROUTE_VIEWS);
    }
    for (let v: u32 = 0; v < VIEW_COUNT; v++) {
      if ((views & (1 << v)) == 0) continue;
      let b = destBest(d, v);
      if (b == NIL) continue;
      if (b != r) sum += routeGet(b, ROUTE_NH);   // (the word that names its owner)
      sum += refTouch(e, refTarget(KIND_ROUTE, b));
    }
  }
  store<u32>(TOUCHED, sum);
}

/**
 * RtmGetChangedDests in one call: pops up to min(max, REC_CHANGED_MAX) queued destinations of the
 * caller's registration nh and writes each as a REC_DEST_* record (record i at f64 word
 * i × REC_DEST_WORDS of IO_OUT; views = the registration's views, best routes), taking the caller's
 * references on each and releasing the queue's keep. RES0 = records written, RES1 = 1 if the queue is
 * empty now. ERROR_INVALID_HANDLE (caller, registration), ERROR_NOT_ENOUGH_MEMORY (nothing popped).
 */
export function notifyGetChangedR(eh: f64, nh: f64, max: u32): i32 {
  debugTrapPoint();
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let n = notifyOf(e, nh);
  if (n == NIL) return ERROR_INVALID_HANDLE;
  let views = notifyGet(n, NOTIFY_VIEWS);
  let k = min(max, REC_CHANGED_MAX);
  k = min(k, notifyGet(n, NOTIFY_QEND) - notifyGet(n, NOTIFY_QHEAD));  // queued, ignored holes included
  if (!refReserve(e, k * destRecordRefs(views))) return ERROR_NOT_ENOUGH_MEMORY;
  let got = notifyPull(n, k, CHANGED);
  touchRecords(e, got, views);
  for (let i: u32 = 0; i < got; i++) {
    let d = load<u32>(CHANGED + (<usize>i << 2));
    destRecord(e, d, 0, views, i * REC_DEST_WORDS);
    destKeep(d, -1);   // the queue's keep; the record's references hold the destination now
  }
  setRes(0, got);
  setRes(1, notifyPending(n) ? 0 : 1);
  return NO_ERROR;
}

// ── references (spec §7.9, D-33) ─────────────────────────────────────────────────────────────────────

/**
 * The caller takes one reference on a destination, route, next-hop or entity handle of its table (the
 * record's own count and the caller's count). ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY.
 */
export function refTakeX(eh: f64, h: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let target = refTargetOf(entityGet(e, ENTITY_TABLE), h);
  if (target == NIL) return ERROR_INVALID_HANDLE;
  if (!refReserve(e, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  refTake(e, target);
  return NO_ERROR;
}

/** The caller gives back one reference; ERROR_INVALID_HANDLE if it holds none on h (over-release). */
export function refDropX(eh: f64, h: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let target = refTargetOf(entityGet(e, ENTITY_TABLE), h);
  if (target == NIL || !refDrop(e, target)) return ERROR_INVALID_HANDLE;
  return NO_ERROR;
}

/**
 * References entity eh (registered or deregistered, while its record lives) holds on h: RES0 (0 for a
 * handle it holds none on, or that does not resolve). ERROR_INVALID_HANDLE for eh only.
 */
export function refCountX(eh: f64, h: f64): i32 {
  let e = handleSlot(eh, KIND_ENTITY);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let target = refTargetOf(entityGet(e, ENTITY_TABLE), h);
  setRes(0, target == NIL ? 0 : refCount(e, target));
  return NO_ERROR;
}

/**
 * Array release (RtmRelease*, spec D-33): n handles as f64 at IO_IN (f64 index (ioBase/4 + IO_IN)/2 + i;
 * 0 entries are skipped), of kind `kind` (KIND_* or 0 = any of dest/route/next hop/entity). Every valid
 * held one is released; then, if any was not held or of another kind, ERROR_INVALID_HANDLE with RES0 =
 * how many (the one status that comes with effects, as the spec asks). ERROR_INVALID_PARAMETER for
 * n > REF_MANY_MAX or an unknown kind (nothing released).
 */
export function refDropManyX(eh: f64, n: u32, kind: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (n > REF_MANY_MAX) return ERROR_INVALID_PARAMETER;
  if (kind != 0 && kind != KIND_DEST && kind != KIND_ROUTE && kind != KIND_NEXTHOP && kind != KIND_ENTITY) return ERROR_INVALID_PARAMETER;
  let t = entityGet(e, ENTITY_TABLE);
  let bad: u32 = 0;
  let p = ioPtr(IO_IN);
  // a large batch first reads the reference table slot and the record of every handle (well-formed or not:
  // a slot is only read, a record only below the slab's high-water mark), so that their cache misses
  // overlap; then the releases. A small one goes straight to the releases. Paired A/B: the read-ahead cost
  // ~5% of the drain of bench/hot.ts (100 records per call, their data still cached); without it, the
  // release of 100,000 records pulled long before (bench/ab/drain-cold.mjs) was 7-12% slower.
  if (n >= READ_AHEAD_MIN) {
    let sum: u32 = 0;
    for (let i: u32 = 0; i < n; i++) {
      let h = load<f64>(p + (<usize>i << 3));
      let kind = handleKind(h);
      if (kind == 0) continue;
      let slot = <u32>(<u64>h) & ((1 << REF_KIND_SHIFT) - 1), slab = kindSlab(kind);
      sum += refTouch(e, refTarget(kind, slot));
      if (slab != NIL && slot < slabHigh(slab)) sum += load<u32>(slabRec(slab, slot));   // its generation word
    }
    store<u32>(TOUCHED, sum);
  }
  for (let i: u32 = 0; i < n; i++) {
    let h = load<f64>(p + (<usize>i << 3));
    if (h == 0) continue;
    if (kind == 0) {   // (any kind: the drains' releases) one step
      if (!refDropHandle(e, t, h)) bad++;
      continue;
    }
    let target = refTargetOf(t, h);
    if (target == NIL || targetKind(target) != kind || !refDrop(e, target)) bad++;
  }
  setRes(0, bad);
  return bad == 0 ? NO_ERROR : ERROR_INVALID_HANDLE;
}

/**
 * RtmReferenceHandles: n handles as f64 at IO_IN (as refDropManyX), each a destination, route, next hop
 * or entity of the caller's table; all-or-nothing — one that is not (0 included) is ERROR_INVALID_HANDLE
 * and nothing is taken. ERROR_INVALID_PARAMETER for n > REF_MANY_MAX, ERROR_NOT_ENOUGH_MEMORY.
 */
export function refTakeManyX(eh: f64, n: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (n > REF_MANY_MAX) return ERROR_INVALID_PARAMETER;
  let t = entityGet(e, ENTITY_TABLE);
  let p = ioPtr(IO_IN);
  for (let i: u32 = 0; i < n; i++) if (refTargetOf(t, load<f64>(p + (<usize>i << 3))) == NIL) return ERROR_INVALID_HANDLE;
  if (!refReserve(e, n)) return ERROR_NOT_ENOUGH_MEMORY;
  for (let i: u32 = 0; i < n; i++) refTake(e, refTargetOf(t, load<f64>(p + (<usize>i << 3))));
  return NO_ERROR;
}

/** Reference-table figures: which 0 = entries (holder, record) in use, 1 = slots of all holders' tables. */
export function refStat(which: u32): u32 { return which == 0 ? refEntries() : which == 1 ? <u32>refSlots() : 0; }

/** Test hook: reference entries beyond `n` are refused with ERROR_NOT_ENOUGH_MEMORY (0xffffffff = no limit). */
export function refLimitX(n: u32): void { refSetLimit(n); }
