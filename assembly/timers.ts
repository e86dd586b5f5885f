// Deadlines of one table: a binary min-heap over (deadline ms, kind, creation order) of route expiries
// (spec §7.6) and hold-down ends (§7.7), so that a million routes with TTLs cost no JS objects or JS
// timers. Entries: 16 bytes (f64 deadline, u32 item = slot | TIMER_HOLD for a destination's hold end,
// u32 order); records keep their heap position (ROUTEX_HEAPPOS / DESTX_HEAPPOS, in the extra records:
// arming a route's timer allocates its extra record, which its caller reserved; a route's entry names its
// extra record, so a sift touches one record per entry) for O(log n) re-arm and removal. Ties: earlier
// deadline, then route expiries before hold ends, then creation order. The heap is one block (blocks.ts),
// doubled by timerReserve before the operation's first change.
// An entry of a locked destination waits (spec §7.10 rule 4, D-20): when it reaches the head it is
// parked (TIMER_PARKED: it sorts after every unparked entry, keeping its deadline), counted on the
// destination's lock record, and released when the last lock goes (locks.ts → timerUnparkDest), so the
// head, the next deadline and the due entries never show a locked destination's entry.
import { NIL, TABLE_HEAP, TABLE_HEAP_LEN, TABLE_HEAP_CAP, ROUTEX_HEAPPOS, ROUTEX_ROUTE, ROUTE_SEQ,
  DEST_ROUTES, DESTX_HEAPPOS, LOCK_NONE } from './layout';
import { tableGet, tableSet } from './tables';
import { routeGet, routeX, routeXGet, routeXSet, routeXPtr, routeXEnsure, routeDest } from './routes';
import { destTable, destGet, destXGet, destXSet, destLockRec, chainNext } from './dests';
import { blockAlloc, blockFree } from './blocks';
import { lockParkedAdd } from './locks';

/** Marks a heap item as a destination's hold-down end (else it is a route expiry). */
export const TIMER_HOLD: u32 = 0x80000000;
/** Marks a parked entry (its destination is locked): set only in the heap's item word. */
export const TIMER_PARKED: u32 = 0x40000000;
const ITEM_SLOT: u32 = 0x3fffffff;
const ENTRY: usize = 16;

// @ts-ignore: decorator
@inline function entryPtr(t: u32, i: u32): usize { return <usize>tableGet(t, TABLE_HEAP) + (<usize>i << 4); }

// Items: outside this file a route's item is its slot; in an entry it is the slot of the route's extra
// record (stable while the entry exists: a record with a heap position is never idle).

/** Sets the heap position of an entry's item (pos ≠ NIL: the record exists). */
function setPos(item: u32, pos: u32): void {
  if ((item & TIMER_HOLD) != 0) destXSet(item & ITEM_SLOT, DESTX_HEAPPOS, pos);
  else store<u32>(routeXPtr(item & ITEM_SLOT) + (<usize>ROUTEX_HEAPPOS << 2), pos);
}

/** The item callers know (a route's slot) for an entry's item (flags other than TIMER_HOLD dropped). */
function outerItem(item: u32): u32 {
  if ((item & TIMER_HOLD) != 0) return item & (ITEM_SLOT | TIMER_HOLD);
  return load<u32>(routeXPtr(item & ITEM_SLOT) + (<usize>ROUTEX_ROUTE << 2));
}

/** The destination an entry's item belongs to. */
function itemDest(item: u32): u32 {
  return (item & TIMER_HOLD) != 0 ? item & ITEM_SLOT : routeDest(outerItem(item));
}

// @ts-ignore: decorator
@inline function less(a: usize, b: usize): bool {
  let pa = load<u32>(a, 8) & TIMER_PARKED, pb = load<u32>(b, 8) & TIMER_PARKED;
  if (pa != pb) return pa < pb;
  let da = load<f64>(a), db = load<f64>(b);
  if (da != db) return da < db;
  let ka = load<u32>(a, 8) >>> 31, kb = load<u32>(b, 8) >>> 31;
  if (ka != kb) return ka < kb;
  return load<u32>(a, 12) < load<u32>(b, 12);
}

function swap(t: u32, i: u32, j: u32): void {
  let a = entryPtr(t, i), b = entryPtr(t, j);
  let d = load<f64>(a), it = load<u32>(a, 8), o = load<u32>(a, 12);
  store<f64>(a, load<f64>(b)); store<u32>(a, load<u32>(b, 8), 8); store<u32>(a, load<u32>(b, 12), 12);
  store<f64>(b, d); store<u32>(b, it, 8); store<u32>(b, o, 12);
  setPos(load<u32>(a, 8), i);
  setPos(it, j);
}

function up(t: u32, i: u32): void {
  while (i > 0) {
    let p = (i - 1) >> 1;
    if (!less(entryPtr(t, i), entryPtr(t, p))) break;
    swap(t, i, p);
    i = p;
  }
}

function down(t: u32, i: u32): void {
  let n = tableGet(t, TABLE_HEAP_LEN);
  while (true) {
    let l: u32 = 2 * i + 1, r: u32 = l + 1, m: u32 = i;
    if (l < n && less(entryPtr(t, l), entryPtr(t, m))) m = l;
    if (r < n && less(entryPtr(t, r), entryPtr(t, m))) m = r;
    if (m == i) break;
    swap(t, i, m);
    i = m;
  }
}

/** Reserves room for k more entries (default one); false (nothing changed) if memory is exhausted. */
export function timerReserve(t: u32, k: u32 = 1): bool {
  let n = tableGet(t, TABLE_HEAP_LEN), cap = tableGet(t, TABLE_HEAP_CAP);
  if (<u64>n + <u64>k <= <u64>cap) return true;
  let want = <u64>n + <u64>k;
  let ncap: u64 = cap < 64 ? 64 : <u64>cap * 2;
  if (ncap < want) ncap = want;
  if (ncap * <u64>ENTRY > (<u64>1 << 30)) return false;
  let p = blockAlloc(<usize>ncap * ENTRY);
  if (p == 0) return false;
  let old = <usize>tableGet(t, TABLE_HEAP);
  if (old != 0) { memory.copy(p, old, <usize>n * ENTRY); blockFree(old, <usize>cap * ENTRY); }
  tableSet(t, TABLE_HEAP, <u32>p);
  tableSet(t, TABLE_HEAP_CAP, <u32>ncap);
  return true;
}

/** Heap position of a caller's item (a route slot or d | TIMER_HOLD), NIL when it has no entry. */
function posOf(item: u32): u32 {
  return (item & TIMER_HOLD) != 0 ? destXGet(item & ITEM_SLOT, DESTX_HEAPPOS) : routeXGet(item & ITEM_SLOT, ROUTEX_HEAPPOS);
}

/** Heap position an entry's item records. */
function entryPos(item: u32): u32 {
  return (item & TIMER_HOLD) != 0 ? destXGet(item & ITEM_SLOT, DESTX_HEAPPOS) : load<u32>(routeXPtr(item & ITEM_SLOT) + (<usize>ROUTEX_HEAPPOS << 2));
}

/** Parks the head while its destination is locked (rule 4), until the head is free to run or parked. */
function settle(t: u32): void {
  while (tableGet(t, TABLE_HEAP_LEN) != 0) {
    let e = entryPtr(t, 0);
    let item = load<u32>(e, 8);
    if ((item & TIMER_PARKED) != 0) return;
    let l = destLockRec(itemDest(item));
    if (l == LOCK_NONE) return;
    store<u32>(e, item | TIMER_PARKED, 8);
    lockParkedAdd(<usize>l, 1);
    down(t, 0);
  }
}

/** True if the head is an entry that may run (the heap is not empty and its head is not parked). */
function headFree(t: u32): bool {
  settle(t);
  return tableGet(t, TABLE_HEAP_LEN) != 0 && (load<u32>(entryPtr(t, 0), 8) & TIMER_PARKED) == 0;
}

/** Un-parks the entry at heap position pos (NIL: none) if it is parked. */
function unpark(t: u32, pos: u32): void {
  if (pos == NIL) return;
  let e = entryPtr(t, pos);
  let item = load<u32>(e, 8);
  if ((item & TIMER_PARKED) == 0) return;
  store<u32>(e, item & ~TIMER_PARKED, 8);
  up(t, pos);
}

/**
 * The last lock on destination d went (locks.ts, before its record is freed): its parked entries — its
 * routes' expiries and its hold end — take their deadlines back (O(routes of d × log n)).
 */
export function timerUnparkDest(d: u32): void {
  let t = destTable(d);
  let l = destLockRec(d);
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    let pos = routeXGet(r, ROUTEX_HEAPPOS);
    if (pos != NIL && (load<u32>(entryPtr(t, pos), 8) & TIMER_PARKED) != 0) { unpark(t, pos); lockParkedAdd(<usize>l, -1); }
  }
  let pos = destXGet(d, DESTX_HEAPPOS);
  if (pos != NIL && (load<u32>(entryPtr(t, pos), 8) & TIMER_PARKED) != 0) { unpark(t, pos); lockParkedAdd(<usize>l, -1); }
}

/** Parked entries of destination d (debug: they must equal its lock record's count). */
export function timerParkedOf(d: u32): u32 {
  let t = destTable(d), n: u32 = 0;
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    let pos = routeXGet(r, ROUTEX_HEAPPOS);
    if (pos != NIL && (load<u32>(entryPtr(t, pos), 8) & TIMER_PARKED) != 0) n++;
  }
  let pos = destXGet(d, DESTX_HEAPPOS);
  if (pos != NIL && (load<u32>(entryPtr(t, pos), 8) & TIMER_PARKED) != 0) n++;
  return n;
}

/** Debug: every entry of table t knows its position, and a parked one's destination is locked. */
export function timerCheck(t: u32): bool {
  for (let i: u32 = 0, n = tableGet(t, TABLE_HEAP_LEN); i < n; i++) {
    let item = load<u32>(entryPtr(t, i), 8);
    if (entryPos(item & ~TIMER_PARKED) != i) return false;
    if ((item & TIMER_PARKED) != 0 && destLockRec(itemDest(item)) == LOCK_NONE) return false;
  }
  return true;
}

/** Arms or re-arms item's deadline (caller reserved room, and for a route its extra record: routeXReserve). */
export function timerSet(t: u32, item: u32, deadline: f64, order: u32): void {
  let pos = posOf(item);
  if (pos == NIL) {
    pos = tableGet(t, TABLE_HEAP_LEN);
    if (pos >= tableGet(t, TABLE_HEAP_CAP)) unreachable(); // timerReserve comes before the first change
    tableSet(t, TABLE_HEAP_LEN, pos + 1);
    let inner = item;
    if ((item & TIMER_HOLD) == 0) { routeXEnsure(item); inner = routeX(item); }   // reserved by the caller
    let n = entryPtr(t, pos);
    store<f64>(n, deadline); store<u32>(n, inner, 8); store<u32>(n, order, 12);
    setPos(inner, pos);
    up(t, pos);
    return;
  }
  let e = entryPtr(t, pos);
  let old = load<f64>(e);
  store<f64>(e, deadline);
  if (deadline < old) up(t, pos); else { down(t, pos); up(t, posOf(item)); }
}

/** Disarms item (no-op if not armed). */
export function timerClear(t: u32, item: u32): void {
  let pos = posOf(item);
  if (pos == NIL) return;
  let inner = load<u32>(entryPtr(t, pos), 8);
  if ((inner & TIMER_PARKED) != 0) lockParkedAdd(<usize>destLockRec(itemDest(inner)), -1);
  let last = tableGet(t, TABLE_HEAP_LEN) - 1;
  if (pos != last) swap(t, pos, last);
  tableSet(t, TABLE_HEAP_LEN, last);
  // a route's extra record goes if nothing else needs it
  if ((item & TIMER_HOLD) != 0) destXSet(item & ITEM_SLOT, DESTX_HEAPPOS, NIL);
  else routeXSet(item & ITEM_SLOT, ROUTEX_HEAPPOS, NIL);
  if (pos < last) { down(t, pos); up(t, pos); }
}

/** Deadline of the earliest entry, or +Infinity. */
export function timerNextDeadline(t: u32): f64 {
  return headFree(t) ? load<f64>(entryPtr(t, 0)) : Infinity;
}

/** The earliest item (slot | TIMER_HOLD) not parked, or NIL when there is none. */
export function timerHead(t: u32): u32 {
  return headFree(t) ? outerItem(load<u32>(entryPtr(t, 0), 8)) : NIL;
}

/** The creation order of the earliest entry (only meaningful when timerHead is not NIL). */
export function timerHeadOrder(t: u32): u32 {
  return load<u32>(entryPtr(t, 0), 12);
}

/** The earliest item not parked if due at `now` (it stays armed), else NIL. */
export function timerPeekDue(t: u32, now: f64): u32 {
  if (!headFree(t) || load<f64>(entryPtr(t, 0)) > now) return NIL;
  return outerItem(load<u32>(entryPtr(t, 0), 8));
}

/** The earliest item not parked if due at `now` (it is removed), else NIL. */
export function timerPopDue(t: u32, now: f64): u32 {
  if (!headFree(t) || load<f64>(entryPtr(t, 0)) > now) return NIL;
  let item = outerItem(load<u32>(entryPtr(t, 0), 8));
  timerClear(t, item);
  return item;
}

/** Route r's creation order (the tie-break of equal deadlines). */
export function routeOrder(r: u32): u32 { return routeGet(r, ROUTE_SEQ); }

/**
 * Teardown, before any route is freed: every route entry's position goes back to NIL (so the routes'
 * extra records go back to idle and are freed); the entries stay until timerFreeAll.
 */
export function timerForgetRoutes(t: u32): void {
  for (let i: u32 = 0, n = tableGet(t, TABLE_HEAP_LEN); i < n; i++) {
    let item = load<u32>(entryPtr(t, i), 8) & ~TIMER_PARKED;
    if ((item & TIMER_HOLD) == 0) routeXSet(outerItem(item), ROUTEX_HEAPPOS, NIL);
  }
}

/** Frees a table's heap (teardown). */
export function timerFreeAll(t: u32): void {
  let p = <usize>tableGet(t, TABLE_HEAP);
  if (p != 0) blockFree(p, <usize>tableGet(t, TABLE_HEAP_CAP) * ENTRY);
  tableSet(t, TABLE_HEAP, 0); tableSet(t, TABLE_HEAP_LEN, 0); tableSet(t, TABLE_HEAP_CAP, 0);
}
