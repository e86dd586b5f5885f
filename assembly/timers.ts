// Deadlines of one table: a binary min-heap over (deadline ms, kind, creation order) of route expiries
// (spec §7.6) and hold-down ends (§7.7), so that a million routes with TTLs cost no JS objects or JS
// timers. Entries: 16 bytes (f64 deadline, u32 item = slot | TIMER_HOLD for a destination's hold end,
// u32 order); records keep their heap position (ROUTE_HEAPPOS / DESTX_HEAPPOS) for O(log n) re-arm and
// removal. Ties: earlier deadline, then route expiries before hold ends, then creation order. The heap
// is one block (blocks.ts), doubled by timerReserve before the operation's first change.
import { NIL, TABLE_HEAP, TABLE_HEAP_LEN, TABLE_HEAP_CAP, ROUTE_HEAPPOS, ROUTE_SEQ, DESTX_HEAPPOS } from './layout';
import { tableGet, tableSet } from './tables';
import { routeGet, routeSet } from './routes';
import { destXGet, destXSet } from './dests';
import { blockAlloc, blockFree } from './blocks';

/** Marks a heap item as a destination's hold-down end (else it is a route expiry). */
export const TIMER_HOLD: u32 = 0x80000000;
const ENTRY: usize = 16;

// @ts-ignore: decorator
@inline function entryPtr(t: u32, i: u32): usize { return <usize>tableGet(t, TABLE_HEAP) + (<usize>i << 4); }

function setPos(item: u32, pos: u32): void {
  if ((item & TIMER_HOLD) != 0) destXSet(item & ~TIMER_HOLD, DESTX_HEAPPOS, pos);
  else routeSet(item, ROUTE_HEAPPOS, pos);
}

// @ts-ignore: decorator
@inline function less(a: usize, b: usize): bool {
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

function posOf(item: u32): u32 {
  return (item & TIMER_HOLD) != 0 ? destXGet(item & ~TIMER_HOLD, DESTX_HEAPPOS) : routeGet(item, ROUTE_HEAPPOS);
}

/** Arms or re-arms item's deadline (caller reserved room). */
export function timerSet(t: u32, item: u32, deadline: f64, order: u32): void {
  let pos = posOf(item);
  if (pos == NIL) {
    pos = tableGet(t, TABLE_HEAP_LEN);
    if (pos >= tableGet(t, TABLE_HEAP_CAP)) unreachable(); // timerReserve comes before the first change
    tableSet(t, TABLE_HEAP_LEN, pos + 1);
    let n = entryPtr(t, pos);
    store<f64>(n, deadline); store<u32>(n, item, 8); store<u32>(n, order, 12);
    setPos(item, pos);
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
  let last = tableGet(t, TABLE_HEAP_LEN) - 1;
  if (pos != last) swap(t, pos, last);
  tableSet(t, TABLE_HEAP_LEN, last);
  setPos(item, NIL);
  if (pos < last) { down(t, pos); up(t, pos); }
}

/** Deadline of the earliest entry, or +Infinity. */
export function timerNextDeadline(t: u32): f64 {
  return tableGet(t, TABLE_HEAP_LEN) == 0 ? Infinity : load<f64>(entryPtr(t, 0));
}

/** The earliest item (slot | TIMER_HOLD), or NIL when the heap is empty. */
export function timerHead(t: u32): u32 {
  return tableGet(t, TABLE_HEAP_LEN) == 0 ? NIL : load<u32>(entryPtr(t, 0), 8);
}

/** The creation order of the earliest entry (only meaningful when timerHead is not NIL). */
export function timerHeadOrder(t: u32): u32 {
  return load<u32>(entryPtr(t, 0), 12);
}

/** The earliest item if due at `now` (it stays armed), else NIL. */
export function timerPeekDue(t: u32, now: f64): u32 {
  if (tableGet(t, TABLE_HEAP_LEN) == 0 || load<f64>(entryPtr(t, 0)) > now) return NIL;
  return load<u32>(entryPtr(t, 0), 8);
}

/** The earliest item if due at `now` (it is removed), else NIL. */
export function timerPopDue(t: u32, now: f64): u32 {
  if (tableGet(t, TABLE_HEAP_LEN) == 0 || load<f64>(entryPtr(t, 0)) > now) return NIL;
  let item = load<u32>(entryPtr(t, 0), 8);
  timerClear(t, item);
  return item;
}

/** Route r's creation order (the tie-break of equal deadlines). */
export function routeOrder(r: u32): u32 { return routeGet(r, ROUTE_SEQ); }

/** Frees a table's heap (teardown). */
export function timerFreeAll(t: u32): void {
  let p = <usize>tableGet(t, TABLE_HEAP);
  if (p != 0) blockFree(p, <usize>tableGet(t, TABLE_HEAP_CAP) * ENTRY);
  tableSet(t, TABLE_HEAP, 0); tableSet(t, TABLE_HEAP_LEN, 0); tableSet(t, TABLE_HEAP_CAP, 0);
}
