// Enumeration cursors (spec §7.14, §8.8, §8.10.3–4) and route-criteria matching (§8.8.4), in the core:
// destination, route, next-hop and route-list cursors are records of the enum slab (layout ENUM_*) named
// by KIND_ENUM handles and owned by the entity that created them. Cursors are live (D-45): each keeps
// the last position it returned, and every Get continues strictly after it in the current table and
// looks one item ahead to report exhaustion with the final batch (D-40). A route cursor also keeps the
// routes it returned at its last destination, so a returned route whose preference rose is not returned
// again. Costs: a Get visits the destinations / routes it returns or skips, O(1) each. Allocation: slab
// records only (a cursor, chunk records for its criteria and returned routes); none → a status.
import {
  NIL, SLAB_ENUM, SLAB_ENUMX, SLAB_ROUTE, ENUM_WORDS, ENUMX_WORDS, ENUM_TABLE, ENUM_OWNER,
  ENUM_KF, ENUM_VIEWS, ENUM_SEL, ENUM_START_LEN, ENUM_LAST_LEN, ENUM_START_KEY, ENUM_LAST_KEY, ENUM_LAST_A,
  ENUM_LAST_METRIC, ENUM_LAST_SEQ, ENUM_CRIT_IF, ENUM_TARGET, ENUM_CRIT_OWNER, ENUM_CRIT_NB, ENUM_CRIT_PREF,
  ENUM_CRIT_METRIC, ENUM_CRIT_HOPS, ENUM_CRIT_NHOPS, ENUM_RET, ENUM_RET_COUNT, ENUM_K_DEST, ENUM_K_ROUTE,
  ENUM_K_NEXTHOP, ENUM_K_LIST, ENUM_K_MASK, ENUM_F_OWN, ENUM_F_RANGE, ENUM_F_ONE_DEST, ENUM_F_HAS_LAST,
  ENUMX_NEXT, ENUMX_USED, ENUMX_DATA, ENUMX_CAP, KIND_ENTITY, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_LIST,
  KIND_ENUM, ENTITY_TABLE, ENTITY_PROTO, NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_LEN_MASK, NEXTHOP_IFINDEX,
  ROUTE_VIEWS, ROUTE_SEQ,
  ROUTEX_LSEQ, ROUTE_EMARK_BIT, DEST_ROUTES, DESTX_HELD, VIEW_COUNT, TABLE_VIEWS, NO_RANGE,
  QUAL_POPULATED, LIST_OWNER, ENUM_NEXT, ENUM_RANGE, ENUM_OWN_DESTS, ENUM_OWN_ROUTES, MATCH_OWNER,
  MATCH_NEIGHBOUR, MATCH_PREF, MATCH_NEXTHOP, MATCH_INTERFACE, MATCH_ALL, THIS_PROTOCOL,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND,
  ERROR_NOT_SUPPORTED } from './status';
import { IO_IN, IO_OUT, IO_OUT_HANDLES, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { slabAlloc, slabFree, slabReserve, slabIsAlive, slabHigh, slabLive, recPtr } from './slab';
import { handleOf, handleSlot } from './handles';
import { tableGet, tableMaxLen } from './tables';
import { entityGet, entityActive, nhGet, nhPtr, nhWalkFirst, nhWalkNext } from './entities';
import { destTable, destGet, destFind, destKey, destLen, destXGet, destBest, chainNext } from './dests';
import { routeGet, routeSet, routeHop, routeComparePos, routeBefore, routePref, routeMetric, routeNhCount, routeViews, routeXGet, routeNeighbour, routeOwner } from './routes';
import { listGet, listWalk } from './lists';
import { trieWalk } from './trie';
import { copyMasked, prefixEq } from './addr';

/** Word offset (from the I/O base) of criterion next-hop handles: f64s after the 4 key words (= IO_HOPS). */
const IO_CRIT_HOPS: u32 = IO_IN + 8;
/** Most criterion next hops one call takes (f64s at IO_CRIT_HOPS). */
export const CRIT_HOPS_MAX: u32 = 2048;
/** A criterion slot that equals no record: a criterion handle that does not resolve matches no route. */
const CRIT_NONE: u32 = 0xfffffffe;

// ── record accessors ────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function enumPtr(c: u32): usize { return recPtr(SLAB_ENUM, c, ENUM_WORDS); }
// @ts-ignore: decorator
@inline function enumGet(c: u32, w: u32): u32 { return load<u32>(enumPtr(c) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function enumSet(c: u32, w: u32, v: u32): void { store<u32>(enumPtr(c) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline function enumGetF(c: u32, w: u32): f64 { return load<f64>(enumPtr(c) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function enumSetF(c: u32, w: u32, v: f64): void { store<f64>(enumPtr(c) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline function enumKind(c: u32): u32 { return enumGet(c, ENUM_KF) & ENUM_K_MASK; }
// @ts-ignore: decorator
@inline function enumHas(c: u32, flag: u32): bool { return (enumGet(c, ENUM_KF) & flag) != 0; }
// @ts-ignore: decorator
@inline function xPtr(x: u32): usize { return recPtr(SLAB_ENUMX, x, ENUMX_WORDS); }
// @ts-ignore: decorator
@inline function xGet(x: u32, w: u32): u32 { return load<u32>(xPtr(x) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function xSet(x: u32, w: u32, v: u32): void { store<u32>(xPtr(x) + (<usize>w << 2), v); }
/** Byte address of entry i (2 words) of chunk x. */
// @ts-ignore: decorator
@inline function xEntry(x: u32, i: u32): usize { return xPtr(x) + ((<usize>ENUMX_DATA + (<usize>i << 1)) << 2); }

// ── chunk chains (criterion next hops, returned routes) ────────────────────────────────────────────────

/** Chunk records needed to add `n` entries to a chain whose head chunk is `head` (NIL = empty chain). */
function chunksFor(head: u32, n: u32): u32 {
  let room: u32 = head == NIL ? 0 : ENUMX_CAP - xGet(head, ENUMX_USED);
  return n <= room ? 0 : (n - room + ENUMX_CAP - 1) / ENUMX_CAP;
}

/** Adds entry (a, b) to the chain at word `w` of cursor c; the caller reserved the chunk records. */
function chainPush(c: u32, w: u32, a: u32, b: u32): void {
  let head = enumGet(c, w);
  if (head == NIL || xGet(head, ENUMX_USED) == ENUMX_CAP) {
    let x = slabAlloc(SLAB_ENUMX);
    assert(x != NIL); // reserved by the caller
    xSet(x, ENUMX_NEXT, head);
    xSet(x, ENUMX_USED, 0);
    enumSet(c, w, x);
    head = x;
  }
  let i = xGet(head, ENUMX_USED);
  let p = xEntry(head, i);
  store<u32>(p, a);
  store<u32>(p + 4, b);
  xSet(head, ENUMX_USED, i + 1);
}

/** Frees the chain at word `w` of cursor c (and sets it empty). */
function chainFree(c: u32, w: u32): void {
  let x = enumGet(c, w);
  while (x != NIL) {
    let next = xGet(x, ENUMX_NEXT);
    slabFree(SLAB_ENUMX, x);
    x = next;
  }
  enumSet(c, w, NIL);
}

// ── route criteria (spec §8.8.4, D-14, D-15) ─────────────────────────────────────────────────────────

/**
 * True if route r passes every test `flags` selects (RTM_MATCH_*; 0 = no test). Criteria are slots:
 * `owner` an entity, `neighbour` a next hop or NIL for NULL, `hops` nHops next-hop slots; CRIT_NONE (or
 * NIL for the owner) stands for a criterion handle that does not resolve and matches nothing. Preference
 * and metric compare by value (D-14: both), `hops` must all be among r's next hops (D-15), and with
 * RTM_MATCH_INTERFACE some next hop of r must be on interface `ifIndex`. The one home of the rule:
 * RtmGetExactMatchRoute (routeFindX) and route enumerations use it.
 */
export function routeMatchesCriteria(r: u32, flags: u32, owner: u32, neighbour: u32, pref: f64, metric: f64,
  hops: usize, nHops: u32, ifIndex: u32): bool {
  if (flags == 0) return true;
  if ((flags & MATCH_OWNER) != 0 && routeOwner(r) != owner) return false;
  if ((flags & MATCH_NEIGHBOUR) != 0 && routeNeighbour(r) != neighbour) return false;
  if ((flags & MATCH_PREF) != 0 &&
    (<f64>routePref(r) != pref || <f64>routeMetric(r) != metric)) return false;
  let m = routeNhCount(r);
  if ((flags & MATCH_NEXTHOP) != 0) {
    for (let i: u32 = 0; i < nHops; i++) {
      let h = load<u32>(hops + (<usize>i << 2));
      let found = false;
      for (let j: u32 = 0; j < m && !found; j++) found = routeHop(r, j) == h;
      if (!found) return false;
    }
  }
  if ((flags & MATCH_INTERFACE) != 0) {
    let found = false;
    for (let j: u32 = 0; j < m && !found; j++) found = nhGet(routeHop(r, j), NEXTHOP_IFINDEX) == ifIndex;
    if (!found) return false;
  }
  return true;
}

// the criteria of the current call, decoded from handles (valid from decode… to the end of the call)
let critOwner: u32 = NIL;
let critNeighbour: u32 = NIL;
let critN: u32 = 0;
const CRIT_HOPS: usize = memory.data(<i32>(CRIT_HOPS_MAX * 4), 16);

// @ts-ignore: decorator
@inline function ownerSlot(h: f64): u32 { return handleSlot(h, KIND_ENTITY); }
// @ts-ignore: decorator
@inline function hopSlot(h: f64): u32 { let s = handleSlot(h, KIND_NEXTHOP); return s == NIL ? CRIT_NONE : s; }
// @ts-ignore: decorator
@inline function neighbourSlot(h: f64): u32 { return h == 0 ? NIL : hopSlot(h); }

/** Decodes the n criterion next-hop handles (f64) at IO_CRIT_HOPS into CRIT_HOPS. */
function decodeIoHops(n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    store<u32>(CRIT_HOPS + (<usize>i << 2), hopSlot(load<f64>(ioPtr(IO_CRIT_HOPS) + (<usize>i << 3))));
  }
  critN = n;
}

/** Decodes the criteria of route cursor c (handles are resolved at every Get, as handles compare). */
function decodeCursorCriteria(c: u32): void {
  critOwner = ownerSlot(enumGetF(c, ENUM_CRIT_OWNER));
  critNeighbour = neighbourSlot(enumGetF(c, ENUM_CRIT_NB));
  let n: u32 = 0;
  for (let x = enumGet(c, ENUM_CRIT_HOPS); x != NIL; x = xGet(x, ENUMX_NEXT)) {
    let used = xGet(x, ENUMX_USED);
    for (let i: u32 = 0; i < used; i++) store<u32>(CRIT_HOPS + (<usize>(n++) << 2), hopSlot(load<f64>(xEntry(x, i))));
  }
  critN = n;
}

// ── arguments ─────────────────────────────────────────────────────────────────────────────────────────

/** The active entity a registration handle names, or NIL. */
function entityOf(h: f64): u32 {
  let e = handleSlot(h, KIND_ENTITY);
  return e != NIL && entityActive(e) ? e : NIL;
}

/** TargetViews of table t: 0 = any (0), RTM_VIEW_MASK_ALL = every supported view, else a subset; -1 if not. */
function viewsOf(t: u32, views: u32): i64 {
  if (views == 0xffffffff) return <i64>tableGet(t, TABLE_VIEWS);
  return (views & ~tableGet(t, TABLE_VIEWS)) != 0 ? -1 : <i64>views;
}

/** Status of enumeration flags: only range bits and `ownBit`, at most one range bit. */
function flagsStatus(flags: u32, ownBit: u32): i32 {
  if ((flags & ~(ENUM_NEXT | ENUM_RANGE | ownBit)) != 0) return ERROR_INVALID_PARAMETER;
  if ((flags & (ENUM_NEXT | ENUM_RANGE)) == (ENUM_NEXT | ENUM_RANGE)) return ERROR_INVALID_PARAMETER;
  return NO_ERROR;
}

/** The cursor an enumeration handle names if entity e owns it and it is of `kind` (0 = any), else NIL. */
function cursorOf(e: u32, h: f64, kind: u32): u32 {
  let c = handleSlot(h, KIND_ENUM);
  if (c == NIL || enumGet(c, ENUM_OWNER) != e) return NIL;
  return kind == 0 || enumKind(c) == kind ? c : NIL;
}

/**
 * A new cursor of entity e (the caller reserved the record): kind and flags, views, the start prefix
 * (IO_IN key, len) when `range` is NEXT or RANGE (canonicalised: host bits cleared), no position yet.
 */
function cursorNew(e: u32, kind: u32, range: u32, own: bool, views: u32, len: u32): u32 {
  let c = slabAlloc(SLAB_ENUM);
  assert(c != NIL); // reserved by the caller
  let flags = kind | (own ? ENUM_F_OWN : 0) | (range == ENUM_RANGE ? ENUM_F_RANGE : 0);
  enumSet(c, ENUM_TABLE, entityGet(e, ENTITY_TABLE));
  enumSet(c, ENUM_OWNER, e);
  enumSet(c, ENUM_KF, flags);
  enumSet(c, ENUM_VIEWS, views);
  if (range != 0) {
    copyMasked(enumPtr(c) + (ENUM_START_KEY << 2), ioPtr(IO_IN), len);
    enumSet(c, ENUM_START_LEN, len);
  }
  enumSet(c, ENUM_CRIT_HOPS, NIL);
  enumSet(c, ENUM_RET, NIL);
  return c;
}

/** Writes the handle of the new cursor c to IO_OUT_HANDLES and its slot to RES0. */
function created(c: u32): i32 {
  store<f64>(ioPtr(IO_OUT_HANDLES), handleOf(KIND_ENUM, c));
  setRes(0, c);
  return NO_ERROR;
}

// ── create ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * RtmCreateDestEnum. views: TargetViews (0 = any, RTM_VIEW_MASK_ALL = all supported); flags: one range
 * flag | RTM_ENUM_OWN_DESTS; start prefix (IO_IN key, len) read with NEXT/RANGE; protocolId: the
 * selector of the DestInfos (RTM_THIS_PROTOCOL is resolved to the caller's protocol id).
 * Statuses: ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED (views), ERROR_INVALID_PARAMETER (flags, len),
 * ERROR_NOT_ENOUGH_MEMORY. RES0 = cursor slot; its handle (f64) at IO_OUT_HANDLES.
 */
export function enumCreateDestsX(eh: f64, views: u32, flags: u32, len: u32, protocolId: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let v = viewsOf(t, views);
  if (v < 0) return ERROR_NOT_SUPPORTED;
  let s = flagsStatus(flags, ENUM_OWN_DESTS);
  if (s != NO_ERROR) return s;
  let range = flags & (ENUM_NEXT | ENUM_RANGE);
  if (range != 0 && len > tableMaxLen(t)) return ERROR_INVALID_PARAMETER;
  if (!slabReserve(SLAB_ENUM, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  let c = cursorNew(e, ENUM_K_DEST, range, (flags & ENUM_OWN_DESTS) != 0, <u32>v, len);
  enumSet(c, ENUM_SEL, protocolId == THIS_PROTOCOL ? entityGet(e, ENTITY_PROTO) : protocolId);
  return created(c);
}

/**
 * RtmCreateRouteEnum. destH: only this destination of the caller's table (0 = range of destinations;
 * with a destination, flags' range bits and the prefix are ignored); views as enumCreateDestsX (0 also
 * returns held routes); flags: one range flag | RTM_ENUM_OWN_ROUTES; start prefix (IO_IN key, len) with
 * NEXT/RANGE. Criteria (§8.8.4): matchFlags (bits outside 0x1f ignored), owner (entity handle),
 * neighbour (next-hop handle, 0 = NULL), pref and metric (compared by value: NaN matches nothing),
 * nHops next-hop handles (f64 at IO_IN + 8, read with RTM_MATCH_NEXTHOP only), ifIndex. Criterion
 * handles are kept and resolved at every Get; one that does not resolve matches no route.
 * Statuses: ERROR_INVALID_HANDLE (entity, destH), ERROR_NOT_SUPPORTED (views), ERROR_INVALID_PARAMETER
 * (flags, len, nHops > CRIT_HOPS_MAX), ERROR_NOT_ENOUGH_MEMORY. RES0 = slot; handle at IO_OUT_HANDLES.
 */
export function enumCreateRoutesX(eh: f64, destH: f64, views: u32, flags: u32, len: u32, matchFlags: u32,
  owner: f64, neighbour: f64, pref: f64, metric: f64, nHops: u32, ifIndex: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  if (destH != 0) {
    let d = handleSlot(destH, KIND_DEST);
    if (d == NIL || destTable(d) != t) return ERROR_INVALID_HANDLE;
  }
  let v = viewsOf(t, views);
  if (v < 0) return ERROR_NOT_SUPPORTED;
  let s = flagsStatus(flags, ENUM_OWN_ROUTES);
  if (s != NO_ERROR) return s;
  let range = destH != 0 ? 0 : flags & (ENUM_NEXT | ENUM_RANGE);
  if (range != 0 && len > tableMaxLen(t)) return ERROR_INVALID_PARAMETER;
  let mf = matchFlags & MATCH_ALL;
  let n: u32 = (mf & MATCH_NEXTHOP) != 0 ? nHops : 0;
  if (n > CRIT_HOPS_MAX) return ERROR_INVALID_PARAMETER;
  if (!slabReserve(SLAB_ENUM, 1) || !slabReserve(SLAB_ENUMX, chunksFor(NIL, n))) return ERROR_NOT_ENOUGH_MEMORY;
  let c = cursorNew(e, ENUM_K_ROUTE, range, (flags & ENUM_OWN_ROUTES) != 0, <u32>v, len);
  if (destH != 0) {
    enumSet(c, ENUM_KF, enumGet(c, ENUM_KF) | ENUM_F_ONE_DEST);
    enumSetF(c, ENUM_TARGET, destH);
  }
  enumSet(c, ENUM_SEL, mf);
  enumSetF(c, ENUM_CRIT_OWNER, owner);
  enumSetF(c, ENUM_CRIT_NB, neighbour);
  enumSetF(c, ENUM_CRIT_PREF, pref);
  enumSetF(c, ENUM_CRIT_METRIC, metric);
  enumSet(c, ENUM_CRIT_IF, ifIndex);
  for (let i: u32 = 0; i < n; i++) {
    let p = ioPtr(IO_CRIT_HOPS) + (<usize>i << 3);
    chainPush(c, ENUM_CRIT_HOPS, load<u32>(p), load<u32>(p + 4));   // the f64's two words
  }
  enumSet(c, ENUM_CRIT_NHOPS, n);
  return created(c);
}

/**
 * RtmCreateNextHopEnum over the caller's own next hops (D-46). flags: one range flag (no owner bit);
 * address prefix (IO_IN key, len) with NEXT/RANGE. Statuses: ERROR_INVALID_HANDLE,
 * ERROR_INVALID_PARAMETER (flags, len), ERROR_NOT_ENOUGH_MEMORY. RES0 = slot; handle at IO_OUT_HANDLES.
 */
export function enumCreateNextHopsX(eh: f64, flags: u32, len: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let s = flagsStatus(flags, 0);
  if (s != NO_ERROR) return s;
  let range = flags & (ENUM_NEXT | ENUM_RANGE);
  if (range != 0 && len > tableMaxLen(entityGet(e, ENTITY_TABLE))) return ERROR_INVALID_PARAMETER;
  if (!slabReserve(SLAB_ENUM, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  return created(cursorNew(e, ENUM_K_NEXTHOP, range, false, 0, len));
}

/**
 * RtmCreateRouteListEnum over the caller's route list listH (routes in list order, D-45).
 * Statuses: ERROR_INVALID_HANDLE (entity; not a list of the caller's), ERROR_NOT_ENOUGH_MEMORY.
 * RES0 = slot; handle at IO_OUT_HANDLES.
 */
export function enumCreateListX(eh: f64, listH: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let l = handleSlot(listH, KIND_LIST);
  if (l == NIL || listGet(l, LIST_OWNER) != e) return ERROR_INVALID_HANDLE;
  if (!slabReserve(SLAB_ENUM, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  let c = cursorNew(e, ENUM_K_LIST, 0, false, 0, 0);
  enumSetF(c, ENUM_TARGET, listH);
  return created(c);
}

// ── get ───────────────────────────────────────────────────────────────────────────────────────────────

// state of the current Get: items written, the limit, whether an item beyond it exists
let outN: u32 = 0;
let outMax: u32 = 0;
let outMore = false;
/** Destinations per trie walk while filling a batch. */
const WALK_CHUNK: u32 = 256;
const WALK_BUF: usize = memory.data(<i32>(WALK_CHUNK * 4), 16);
/** Walk position (key words) between chunks. */
const POS: usize = memory.data(16, 16);

/** Emits item slot s; false (and outMore) when the batch is already full: s is the look-ahead item. */
// @ts-ignore: decorator
@inline function emit(s: u32): bool {
  if (outN == outMax) { outMore = true; return false; }
  store<u32>(ioPtr(IO_OUT) + (<usize>(outN++) << 2), s);
  return true;
}

/**
 * Walks the destinations of cursor c's table that qualify (qual), in canonical order from (posKey, posLen)
 * — inclusive or strictly after — within the cursor's RANGE sub-tree if any, calling visit(c, d) until
 * it returns false.
 */
function walkDests(c: u32, posKey: usize, posLen: u32, inclusive: bool, qual: u32, visit: (c: u32, d: u32) => bool): void {
  let t = enumGet(c, ENUM_TABLE);
  let rkey = enumPtr(c) + (ENUM_START_KEY << 2);
  let rlen = enumHas(c, ENUM_F_RANGE) ? enumGet(c, ENUM_START_LEN) : NO_RANGE;
  memory.copy(POS, posKey, 16);
  let len = posLen, incl = inclusive;
  // the first chunk holds what the batch needs if nothing is filtered out (a walk visits every
  // destination it returns: over-walking costs as much as the items); later chunks are full
  let chunk = outMax - outN < WALK_CHUNK ? outMax - outN + 1 : WALK_CHUNK;
  while (true) {
    let k = trieWalk(t, POS, len, incl, qual, rkey, rlen, chunk, WALK_BUF);
    for (let i: u32 = 0; i < k; i++) if (!visit(c, load<u32>(WALK_BUF + (<usize>i << 2)))) return;
    if (k < chunk) return;
    chunk = WALK_CHUNK;
    let last = load<u32>(WALK_BUF + (<usize>(k - 1) << 2));
    memory.copy(POS, destKey(last), 16);
    len = destLen(last);
    incl = false;
  }
}

/** Qualifier of the destinations a cursor over `views` walks: populated with 0 (any), else those views. */
// @ts-ignore: decorator
@inline function qualOf(views: u32): u32 { return views == 0 ? QUAL_POPULATED : views; }

/** True if entity e owns the best route of d in one of `views` (0 = every supported view). */
function ownsBest(e: u32, d: u32, views: u32): bool {
  let vs = views == 0 ? tableGet(destTable(d), TABLE_VIEWS) : views;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    if (((vs >>> v) & 1) == 0) continue;
    let best = destBest(d, v);
    if (best != NIL && routeOwner(best) == e) return true;
  }
  return false;
}

function visitDest(c: u32, d: u32): bool {
  if (enumHas(c, ENUM_F_OWN) && !ownsBest(enumGet(c, ENUM_OWNER), d, enumGet(c, ENUM_VIEWS))) return true;
  return emit(d);
}

/** Destination cursor: qualifying destinations strictly after the last one returned (or from the start). */
function nextDests(c: u32): void {
  let p = enumPtr(c);
  let qual = qualOf(enumGet(c, ENUM_VIEWS));
  if (enumHas(c, ENUM_F_HAS_LAST)) walkDests(c, p + (ENUM_LAST_KEY << 2), enumGet(c, ENUM_LAST_LEN), false, qual, visitDest);
  else walkDests(c, p + (ENUM_START_KEY << 2), enumGet(c, ENUM_START_LEN), true, qual, visitDest);
  if (outN > 0) setLastKey(c, load<u32>(ioPtr(IO_OUT) + (<usize>(outN - 1) << 2)));
}

/** Sets cursor c's last key to destination d's. */
function setLastKey(c: u32, d: u32): void {
  memory.copy(enumPtr(c) + (ENUM_LAST_KEY << 2), destKey(d), 16);
  enumSet(c, ENUM_LAST_LEN, destLen(d));
  enumSet(c, ENUM_KF, enumGet(c, ENUM_KF) | ENUM_F_HAS_LAST);
}

// route cursor: the destination of the items being emitted and the first item index at it
let routeDest: u32 = NIL;
let routeDestFirst: u32 = 0;
/**
 * Sets (on) or clears the enumeration mark (ROUTE_EMARK_BIT) of every route cursor c returned at its
 * last key that is still the same record (alive, same creation seq): set before one Get's walk and
 * cleared right after it, so a mark is never seen outside that call and no stamp can wrap.
 */
function markReturned(c: u32, on: bool): void {
  for (let x = enumGet(c, ENUM_RET); x != NIL; x = xGet(x, ENUMX_NEXT)) {
    let used = xGet(x, ENUMX_USED);
    for (let i: u32 = 0; i < used; i++) {
      let p = xEntry(x, i);
      let r = load<u32>(p);
      if (!slabIsAlive(SLAB_ROUTE, r) || routeGet(r, ROUTE_SEQ) != load<u32>(p + 4)) continue;
      let w = routeGet(r, ROUTE_VIEWS);
      routeSet(r, ROUTE_VIEWS, on ? w | ROUTE_EMARK_BIT : w & ~ROUTE_EMARK_BIT);
    }
  }
}

/** True if destination d's key is cursor c's last key. */
function atLastKey(c: u32, d: u32): bool {
  let len = destLen(d);
  return enumHas(c, ENUM_F_HAS_LAST) && enumGet(c, ENUM_LAST_LEN) == len &&
    prefixEq(destKey(d), enumPtr(c) + (ENUM_LAST_KEY << 2), len);
}

/**
 * Visits the routes of destination d an enumeration over the cursor's views sees, in route order: the
 * live routes in those views, or with views 0 every live route and every held route (§7.7 H4). Filters
 * (ownership, criteria, and at the last key: after the last position and not returned before), emits.
 */
function visitRoutes(c: u32, d: u32): bool {
  let views = enumGet(c, ENUM_VIEWS);
  let own = enumHas(c, ENUM_F_OWN) ? enumGet(c, ENUM_OWNER) : NIL;
  let flags = enumGet(c, ENUM_SEL);
  let pref = enumGetF(c, ENUM_CRIT_PREF), metric = enumGetF(c, ENUM_CRIT_METRIC);
  let ifIndex = enumGet(c, ENUM_CRIT_IF);
  let atLast = atLastKey(c, d);
  let lp = enumGet(c, ENUM_LAST_A), lm = enumGet(c, ENUM_LAST_METRIC), ls = enumGet(c, ENUM_LAST_SEQ);
  // held routes (views 0 only): at most two distinct, taken in route order and merged with the chain
  let h0 = NIL, h1 = NIL;
  if (views == 0) {
    h0 = destXGet(d, DESTX_HELD);
    h1 = destXGet(d, DESTX_HELD + 1);
    if (h1 == h0) h1 = NIL;
    if (h0 == NIL) { h0 = h1; h1 = NIL; }
    if (h1 != NIL && routeBefore(h1, h0)) { let x = h0; h0 = h1; h1 = x; }
  }
  let ch = destGet(d, DEST_ROUTES);
  while (true) {
    let r: u32 = NIL;
    if (ch != NIL && (h0 == NIL || routeBefore(ch, h0))) { r = ch; ch = chainNext(ch); }
    else if (h0 != NIL) { r = h0; h0 = h1; h1 = NIL; }
    else break;
    if (views != 0 && (routeViews(r) & views) == 0) continue;
    if (own != NIL && routeOwner(r) != own) continue;
    if (!routeMatchesCriteria(r, flags, critOwner, critNeighbour, pref, metric, CRIT_HOPS, critN, ifIndex)) continue;
    if (atLast && ((routeGet(r, ROUTE_VIEWS) & ROUTE_EMARK_BIT) != 0 || routeComparePos(r, lp, lm, ls) <= 0)) continue;
    if (outN == outMax) { outMore = true; return false; }                // r is the look-ahead item
    if (routeDest != d) { routeDest = d; routeDestFirst = outN; }
    emit(r);
  }
  return true;
}

/**
 * Route cursor: routes after the last position (its destination key, the route's position in route
 * order, and the routes already returned at that key), over one destination or a walk of destinations
 * resumed at the last key itself. Then the new position: the set of routes returned at the last key is
 * kept when the key stays, else started afresh. ERROR_NOT_ENOUGH_MEMORY leaves the cursor as it was.
 */
function nextRoutes(c: u32): i32 {
  let t = enumGet(c, ENUM_TABLE);
  decodeCursorCriteria(c);
  markReturned(c, true);
  routeDest = NIL;
  routeDestFirst = 0;
  if (enumHas(c, ENUM_F_ONE_DEST)) {
    let d = handleSlot(enumGetF(c, ENUM_TARGET), KIND_DEST);
    if (d != NIL && destTable(d) == t) visitRoutes(c, d);
  } else {
    let p = enumPtr(c);
    let qual = qualOf(enumGet(c, ENUM_VIEWS));
    if (enumHas(c, ENUM_F_HAS_LAST)) walkDests(c, p + (ENUM_LAST_KEY << 2), enumGet(c, ENUM_LAST_LEN), true, qual, visitRoutes);
    else walkDests(c, p + (ENUM_START_KEY << 2), enumGet(c, ENUM_START_LEN), true, qual, visitRoutes);
  }
  markReturned(c, false);
  if (outN == 0) return NO_ERROR;
  let sameKey = atLastKey(c, routeDest);
  let m = outN - routeDestFirst;
  if (!slabReserve(SLAB_ENUMX, chunksFor(sameKey ? enumGet(c, ENUM_RET) : NIL, m))) return ERROR_NOT_ENOUGH_MEMORY;
  if (!sameKey) { chainFree(c, ENUM_RET); enumSet(c, ENUM_RET_COUNT, 0); }
  for (let i = routeDestFirst; i < outN; i++) {
    let r = load<u32>(ioPtr(IO_OUT) + (<usize>i << 2));
    chainPush(c, ENUM_RET, r, routeGet(r, ROUTE_SEQ));
  }
  enumSet(c, ENUM_RET_COUNT, enumGet(c, ENUM_RET_COUNT) + m);
  let last = load<u32>(ioPtr(IO_OUT) + (<usize>(outN - 1) << 2));
  setLastKey(c, routeDest);
  enumSet(c, ENUM_LAST_A, routePref(last));
  enumSet(c, ENUM_LAST_METRIC, routeMetric(last));
  enumSet(c, ENUM_LAST_SEQ, routeGet(last, ROUTE_SEQ));
  return NO_ERROR;
}

/** Next-hop cursor: the owner's next hops after the last (address, interface) returned, within the range. */
function nextNextHops(c: u32): void {
  let p = enumPtr(c);
  let hasLast = enumHas(c, ENUM_F_HAS_LAST);
  let key = p + ((hasLast ? ENUM_LAST_KEY : ENUM_START_KEY) << 2);
  let len = enumGet(c, hasLast ? ENUM_LAST_LEN : ENUM_START_LEN);
  let ifIndex: u32 = hasLast ? enumGet(c, ENUM_LAST_A) : 0;
  let ranged = enumHas(c, ENUM_F_RANGE);
  let rkey = p + (ENUM_START_KEY << 2), rlen = enumGet(c, ENUM_START_LEN);
  if (!ranged) rlen = NO_RANGE;
  let e = enumGet(c, ENUM_OWNER);
  for (let h = nhWalkFirst(e, key, len, ifIndex, !hasLast, rkey, rlen); h != NIL; h = nhWalkNext(e, h, rkey, rlen)) {
    if (!emit(h)) break;
  }
  if (outN == 0) return;
  let last = load<u32>(ioPtr(IO_OUT) + (<usize>(outN - 1) << 2));
  memory.copy(p + (ENUM_LAST_KEY << 2), nhPtr(last) + (NEXTHOP_ADDR << 2), 16);
  enumSet(c, ENUM_LAST_LEN, nhGet(last, NEXTHOP_LEN) & NEXTHOP_LEN_MASK);
  enumSet(c, ENUM_LAST_A, nhGet(last, NEXTHOP_IFINDEX));
  enumSet(c, ENUM_KF, enumGet(c, ENUM_KF) | ENUM_F_HAS_LAST);
}

/**
 * Route-list cursor: routes of the list with an insertion number above the last one returned. False if
 * the list is gone (deleted): nothing comes back, and the cursor is done whatever max was.
 */
function nextListRoutes(c: u32): bool {
  let l = handleSlot(enumGetF(c, ENUM_TARGET), KIND_LIST);
  if (l == NIL || listGet(l, LIST_OWNER) != enumGet(c, ENUM_OWNER)) return false;
  let after = enumGet(c, ENUM_LAST_A);
  outN = listWalk(l, after, outMax, ioPtr(IO_OUT));
  if (outN > 0) enumSet(c, ENUM_LAST_A, routeXGet(load<u32>(ioPtr(IO_OUT) + (<usize>(outN - 1) << 2)), ROUTEX_LSEQ));
  return true;
}

/**
 * RtmGetEnumDests / RtmGetEnumRoutes / RtmGetEnumNextHops / RtmGetListEnumRoutes: the next batch of
 * cursor enumH (of the caller, of kind `kind`: ENUM_K_*, 0 = any) — up to max items (≤ IO_BATCH_MAX)
 * strictly after its last position; the cursor moves to the last item returned. Items: slots at IO_OUT
 * (destinations, routes, next hops, routes), their handles (f64) at IO_OUT_HANDLES; no references taken.
 * RES0 = items, RES1 = 1 when done: nothing qualifies after the last item (look-ahead, D-40), or for a
 * list cursor fewer than max items came back (§8.10.4). RES2 = the cursor's kind. Statuses:
 * ERROR_INVALID_HANDLE (entity; not a cursor of the caller's of that kind), ERROR_INVALID_PARAMETER
 * (max), ERROR_NOT_ENOUGH_MEMORY (route cursors; nothing changed).
 */
export function enumNextX(eh: f64, enumH: f64, kind: u32, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let c = cursorOf(e, enumH, kind);
  if (c == NIL) return ERROR_INVALID_HANDLE;
  if (max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  outN = 0; outMax = max; outMore = false;
  let k = enumKind(c);
  let done: u32;
  if (k == ENUM_K_DEST) nextDests(c);
  else if (k == ENUM_K_ROUTE) { let s = nextRoutes(c); if (s != NO_ERROR) return s; }
  else if (k == ENUM_K_NEXTHOP) nextNextHops(c);
  if (k == ENUM_K_LIST) done = !nextListRoutes(c) || outN < max ? 1 : 0;
  else done = outMore ? 0 : 1;
  let kindOfItems = k == ENUM_K_DEST ? KIND_DEST : k == ENUM_K_NEXTHOP ? KIND_NEXTHOP : KIND_ROUTE;
  let out = ioPtr(IO_OUT), handles = ioPtr(IO_OUT_HANDLES);
  for (let i: u32 = 0; i < outN; i++) store<f64>(handles + (<usize>i << 3), handleOf(kindOfItems, load<u32>(out + (<usize>i << 2))));
  setRes(0, outN);
  setRes(1, done);
  setRes(2, k);
  return NO_ERROR;
}

// ── delete, information ───────────────────────────────────────────────────────────────────────────────

/** Frees cursor c and its chunk chains (its handle goes stale). */
function cursorFree(c: u32): void {
  chainFree(c, ENUM_CRIT_HOPS);
  chainFree(c, ENUM_RET);
  slabFree(SLAB_ENUM, c);
}

/** RtmDeleteEnumHandle: any kind of the caller's cursors. Statuses: ERROR_INVALID_HANDLE. */
export function enumDeleteX(eh: f64, enumH: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let c = cursorOf(e, enumH, 0);
  if (c == NIL) return ERROR_INVALID_HANDLE;
  cursorFree(c);
  return NO_ERROR;
}

/** Frees every cursor of entity e (owner != NIL) or of table t (owner NIL). Returns how many. */
export function enumFreeAll(t: u32, owner: u32): u32 {
  let n: u32 = 0;
  for (let c: u32 = 0; c < slabHigh(SLAB_ENUM); c++) {
    if (!slabIsAlive(SLAB_ENUM, c)) continue;
    if (owner != NIL ? enumGet(c, ENUM_OWNER) != owner : enumGet(c, ENUM_TABLE) != t) continue;
    cursorFree(c);
    n++;
  }
  return n;
}

/** Deletes every cursor of the caller (deregistration does this too). RES0 = cursors deleted. */
export function enumDeleteAllX(eh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, enumFreeAll(NIL, e));
  return NO_ERROR;
}

/**
 * A cursor of the caller's table (any owner): RES0 = kind (ENUM_K_*), RES1 = owner entity slot,
 * RES2 = target views (0 = any), RES3 = protocol selector (destinations; resolved) or match flags
 * (routes), RES4 = flags (ENUM_F_*). Statuses: ERROR_INVALID_HANDLE.
 */
export function enumInfoX(eh: f64, enumH: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let c = handleSlot(enumH, KIND_ENUM);
  if (c == NIL || enumGet(c, ENUM_TABLE) != entityGet(e, ENTITY_TABLE)) return ERROR_INVALID_HANDLE;
  setRes(0, enumKind(c));
  setRes(1, enumGet(c, ENUM_OWNER));
  setRes(2, enumGet(c, ENUM_VIEWS));
  setRes(3, enumGet(c, ENUM_SEL));
  setRes(4, enumGet(c, ENUM_KF) & ~ENUM_K_MASK);
  return NO_ERROR;
}

/** Entries in the chunk chain at word `w` of cursor c, or -1 if a chunk is over-full. */
function chainCount(c: u32, w: u32): i64 {
  let n: i64 = 0;
  for (let x = enumGet(c, w); x != NIL; x = xGet(x, ENUMX_NEXT)) {
    let used = xGet(x, ENUMX_USED);
    if (used == 0 || used > ENUMX_CAP) return -1;
    n += used;
  }
  return n;
}

/**
 * Invariants of the cursors of table t (debug.ts): the owner is a registered entity of t (cursors go at
 * deregistration), the kind is known, chain counts match. True if all hold.
 */
export function enumCheck(t: u32): bool {
  for (let c: u32 = 0; c < slabHigh(SLAB_ENUM); c++) {
    if (!slabIsAlive(SLAB_ENUM, c) || enumGet(c, ENUM_TABLE) != t) continue;
    let e = enumGet(c, ENUM_OWNER);
    if (!entityActive(e) || entityGet(e, ENTITY_TABLE) != t) return false;
    let k = enumKind(c);
    if (k < ENUM_K_DEST || k > ENUM_K_LIST) return false;
    if (chainCount(c, ENUM_CRIT_HOPS) != <i64>enumGet(c, ENUM_CRIT_NHOPS)) return false;
    if (chainCount(c, ENUM_RET) != <i64>enumGet(c, ENUM_RET_COUNT)) return false;
  }
  return true;
}

/** Counters (tests): 0 = live cursors, 1 = live chunk records. */
export function enumStat(which: u32): u32 {
  return which == 0 ? slabLive(SLAB_ENUM) : which == 1 ? slabLive(SLAB_ENUMX) : 0;
}

// ── RtmGetExactMatchRoute ─────────────────────────────────────────────────────────────────────────────

/**
 * RtmGetExactMatchRoute (spec §8.6.4): the destination exactly (IO_IN key, len) — present in the table —
 * then its first route in route order that is live, in one of `views` (0 = any view) and matches the
 * criteria (as enumCreateRoutesX: matchFlags, owner, neighbour 0 = NULL, pref, metric, nHops next-hop
 * handles at IO_IN + 8, ifIndex). Statuses: ERROR_INVALID_HANDLE (entity), ERROR_NOT_SUPPORTED (views),
 * ERROR_INVALID_PARAMETER (len, nHops > CRIT_HOPS_MAX), ERROR_NOT_FOUND (no such destination or route).
 * RES0 = route slot, RES1 = dest slot; the route's handle (f64) at IO_OUT_HANDLES. No reference taken.
 */
export function routeFindX(eh: f64, len: u32, views: u32, matchFlags: u32, owner: f64, neighbour: f64, pref: f64,
  metric: f64, nHops: u32, ifIndex: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let v: i64 = 0;
  if (views != 0) { v = viewsOf(t, views); if (v < 0) return ERROR_NOT_SUPPORTED; }
  if (len > tableMaxLen(t)) return ERROR_INVALID_PARAMETER;
  let mf = matchFlags & MATCH_ALL;
  let n: u32 = (mf & MATCH_NEXTHOP) != 0 ? nHops : 0;
  if (n > CRIT_HOPS_MAX) return ERROR_INVALID_PARAMETER;
  let d = destFind(t, ioPtr(IO_IN), len);
  if (d == NIL) return ERROR_NOT_FOUND;
  decodeIoHops(n);
  let o = ownerSlot(owner), nb = neighbourSlot(neighbour);
  let vs = <u32>v;
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    if (vs != 0 && (routeViews(r) & vs) == 0) continue;
    if (!routeMatchesCriteria(r, mf, o, nb, pref, metric, CRIT_HOPS, n, ifIndex)) continue;
    setRes(0, r);
    setRes(1, d);
    store<f64>(ioPtr(IO_OUT_HANDLES), handleOf(KIND_ROUTE, r));
    return NO_ERROR;
  }
  return ERROR_NOT_FOUND;
}
