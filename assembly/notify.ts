// Change notification (spec §7.8): registrations per table (at most NOTIFY_MAX, one bit each), each
// with a FIFO of changed destinations holding every destination at most once (its queued bit, queuedHas;
// a queued destination keeps its position and is pinned present until pulled or ignored), marks
// (DESTX_MARKED bit in the destination's extra record, counted in NOTIFY_MARKS) for RTM_NOTIFY_ONLY_MARKED_DESTS, and a signal flag: the first destination queued
// while no callback is pending puts the registration on the signal list, which the facade drains to
// schedule one RTM_CHANGE_NOTIFICATION. Costs: O(registrations of the table) per change. Allocation:
// each queue is a growable block (blocks.ts) of dest slots, grown by notifyReserve before an operation's
// first change, so that queueing never allocates. Also the best-change log of one watched table (the
// RTMv1 layer's, spec §9.5): every change that fires BEST in view 0 appends its prefix, in order, to a
// static buffer of BESTLOG_MAX entries (beyond that the entries are counted as lost).
import {
  NIL, SLAB_NOTIFY, NOTIFY_WORDS, NOTIFY_TABLE, NOTIFY_OWNER, NOTIFY_INDEX, NOTIFY_VIEWS, NOTIFY_FLAGS, NOTIFY_QPTR,
  NOTIFY_QHEAD, NOTIFY_QEND, NOTIFY_QCAP, NOTIFY_SIGNALLED, TABLE_NOTIFY_USED, TABLE_NOTIFY, TABLE_VIEWS, NOTIFY_MAX, NOTIFY_NEXT,
  DEST_TABLE, DEST_QUEUED_SHIFT, DEST_QUEUED_INLINE, DESTX_MARKED, DESTX_DEST, SLAB_DESTX, VIEW_COUNT, CHANGE_TYPE_ALL, CHANGE_TYPE_BEST, CHANGE_TYPE_FORWARDING,
  NOTIFY_ONLY_MARKED, FIRED_ALL, FIRED_BEST, FIRED_FWD, NOTIFY_MARKS, SLAB_DEST, BESTLOG_WORDS, BESTLOG_MAX,
} from './layout';
import { slabAlloc, slabFree, recPtr, slabHigh, slabIsAlive } from './slab';
import { blockAlloc, blockFree } from './blocks';
import { XI_QUEUED, xiGet, xiPut, xiDelete, xiReserve } from './xindex';
import { destPin } from './routes';
import { tableGet, tableSet } from './tables';
import { destTable, destGet, destSet, destKey, destLen, destXGet, destXSet, destXPtr, destXInUse } from './dests';
import { destKeep } from './routes';

// @ts-ignore: decorator
@inline export function notifyPtr(n: u32): usize { return recPtr(SLAB_NOTIFY, n, NOTIFY_WORDS); }
// @ts-ignore: decorator
@inline export function notifyGet(n: u32, w: u32): u32 { return load<u32>(notifyPtr(n) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function notifySet(n: u32, w: u32, v: u32): void { store<u32>(notifyPtr(n) + (<usize>w << 2), v); }

// registrations whose callback became due, drained by the facade
const SIGNAL_MAX: u32 = 4096;
const SIGNALS: usize = memory.data(<i32>(SIGNAL_MAX * 4), 16);
export let signalCount: u32 = 0;
/** Signals that did not fit the list (never expected: each registration signals at most once). */
export let signalOverflow: u32 = 0;

// ── queued bits (layout DEST_QUEUED_SHIFT): indexes below DEST_QUEUED_INLINE in the destination's table
// word, the others in the table's XI_QUEUED map (an entry while one of them is set) ──────────────────────
/** Whether destination d of table t is queued in t's registration of index `index`. */
export function queuedHas(t: u32, d: u32, index: u32): bool {
  if (index < DEST_QUEUED_INLINE) return (destGet(d, DEST_TABLE) & (1 << (index + DEST_QUEUED_SHIFT))) != 0;
  let bits = xiGet(t, XI_QUEUED, d);
  return bits != NIL && (bits & (1 << (index - DEST_QUEUED_INLINE))) != 0;
}

/**
 * Sets (on) or clears destination d's queued bit of index `index` in table t. Setting a higher index's
 * first bit puts an XI_QUEUED entry, for which notifyReserve made room; clearing never needs memory.
 */
function queuedSet(t: u32, d: u32, index: u32, on: bool): void {
  if (index < DEST_QUEUED_INLINE) {
    let w = destGet(d, DEST_TABLE), bit: u32 = 1 << (index + DEST_QUEUED_SHIFT);
    destSet(d, DEST_TABLE, on ? w | bit : w & ~bit);
    return;
  }
  let bits = xiGet(t, XI_QUEUED, d);
  if (bits == NIL) bits = 0;
  let bit: u32 = 1 << (index - DEST_QUEUED_INLINE);
  bits = on ? bits | bit : bits & ~bit;
  if (bits != 0) xiPut(t, XI_QUEUED, d, bits); else xiDelete(t, XI_QUEUED, d);
}

/** Destination d's queued bits in table t (bit i: queued in the registration of index i). */
export function queuedBits(t: u32, d: u32): u32 {
  let bits = destGet(d, DEST_TABLE) >>> DEST_QUEUED_SHIFT;
  if ((tableGet(t, TABLE_NOTIFY_USED) >>> DEST_QUEUED_INLINE) != 0) {
    let high = xiGet(t, XI_QUEUED, d);
    if (high != NIL) bits |= high << DEST_QUEUED_INLINE;
  }
  return bits;
}

/** Creates a registration of entity e in table t; NIL when the table has NOTIFY_MAX of them. */
export function notifyCreate(t: u32, e: u32, views: u32, flags: u32): u32 {
  let used = tableGet(t, TABLE_NOTIFY_USED);
  if (used == 0xffffffff) return NIL;
  let index = <u32>ctz(~used);
  if (index >= NOTIFY_MAX) return NIL;
  let n = slabAlloc(SLAB_NOTIFY);
  if (n == NIL) return NIL;
  notifySet(n, NOTIFY_TABLE, t);
  notifySet(n, NOTIFY_OWNER, e);
  notifySet(n, NOTIFY_INDEX, index);
  notifySet(n, NOTIFY_VIEWS, views);
  notifySet(n, NOTIFY_FLAGS, flags);
  notifySet(n, NOTIFY_QPTR, 0);
  notifySet(n, NOTIFY_MARKS, 0);
  tableSet(t, TABLE_NOTIFY_USED, used | (1 << index));
  // linked in ascending index (the order the loops over a table's registrations keep)
  let prev = NIL, next = tableGet(t, TABLE_NOTIFY);
  while (next != NIL && notifyGet(next, NOTIFY_INDEX) < index) { prev = next; next = notifyGet(next, NOTIFY_NEXT); }
  notifySet(n, NOTIFY_NEXT, next);
  if (prev == NIL) tableSet(t, TABLE_NOTIFY, n); else notifySet(prev, NOTIFY_NEXT, n);
  return n;
}

/**
 * Ends a registration: drops its queue (unpinning), its marks (unpinning; spec §8.9.8, D-24) and its
 * bit. Marks are found by a scan of the destinations' extra records (marks live there) that stops at the
 * last one (NOTIFY_MARKS): O(extra-record slots) when the registration marked any, nothing otherwise.
 */
export function notifyDestroy(n: u32): void {
  let t = notifyGet(n, NOTIFY_TABLE), index = notifyGet(n, NOTIFY_INDEX);
  let bit: u32 = 1 << index;
  let marks = notifyGet(n, NOTIFY_MARKS);
  for (let x: u32 = 0, high = slabHigh(SLAB_DESTX); marks > 0 && x < high; x++) {
    // an extra record is in use iff its back link names a live destination that links to it
    if (!destXInUse(x)) continue;
    let d = load<u32>(destXPtr(x) + (<usize>DESTX_DEST << 2));
    let marked = destXGet(d, DESTX_MARKED);
    if (destTable(d) != t || (marked & bit) == 0) continue;
    destXSet(d, DESTX_MARKED, marked & ~bit);
    marks--;
    destPin(d, -1);   // may remove the destination (its slot is not visited again)
  }
  notifySet(n, NOTIFY_MARKS, 0);
  let q = <usize>notifyGet(n, NOTIFY_QPTR);
  for (let i = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND); i < end; i++) {
    let d = load<u32>(q + (<usize>i << 2));
    if (d == NIL) continue;
    queuedSet(t, d, index, false);
    destKeep(d, -1);
  }
  if (q != 0) blockFree(q, <usize>notifyGet(n, NOTIFY_QCAP) << 2);
  notifySet(n, NOTIFY_QPTR, 0);
  tableSet(t, TABLE_NOTIFY_USED, tableGet(t, TABLE_NOTIFY_USED) & ~bit);
  let prev = NIL, at = tableGet(t, TABLE_NOTIFY);
  while (at != n) { prev = at; at = notifyGet(at, NOTIFY_NEXT); }
  if (prev == NIL) tableSet(t, TABLE_NOTIFY, notifyGet(n, NOTIFY_NEXT)); else notifySet(prev, NOTIFY_NEXT, notifyGet(n, NOTIFY_NEXT));
  slabFree(SLAB_NOTIFY, n);
}

/**
 * Makes room for k more destinations in every registration of table t (an operation changes each
 * destination once, and a destination is queued at most once per registration); with d (k = 1) only in
 * the registrations that would queue d: not those where it is queued already or that take only marked
 * destinations it is not marked for. False if memory is exhausted — queues that grew keep their
 * entries, nothing observable changed.
 */
export function notifyReserve(t: u32, k: u32, d: u32 = NIL): bool {
  // a destination queued anew in registrations of index ≥ DEST_QUEUED_INLINE takes one XI_QUEUED entry
  // (fewer than 2^25: destination slots), however many of them queue it
  if ((tableGet(t, TABLE_NOTIFY_USED) >>> DEST_QUEUED_INLINE) != 0 && !xiReserve(t, XI_QUEUED, k < (1 << 25) ? k : 1 << 25)) return false;
  for (let n = tableGet(t, TABLE_NOTIFY); n != NIL; n = notifyGet(n, NOTIFY_NEXT)) {
    let index = notifyGet(n, NOTIFY_INDEX);
    if (d != NIL && (queuedHas(t, d, index) ||
      ((notifyGet(n, NOTIFY_FLAGS) & NOTIFY_ONLY_MARKED) != 0 && (destXGet(d, DESTX_MARKED) & (1 << index)) == 0))) continue;
    let head = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND), cap = notifyGet(n, NOTIFY_QCAP);
    let live = end - head;
    if (<u64>live + <u64>k <= <u64>cap) continue;   // enqueue compacts the consumed front
    let ncap: u64 = cap < 16 ? 16 : <u64>cap * 2;
    if (ncap < <u64>live + <u64>k) ncap = <u64>live + <u64>k;
    if (ncap > (<u64>1 << 28)) return false;
    let nq = blockAlloc(<usize>ncap << 2);
    if (nq == 0) return false;
    let q = <usize>notifyGet(n, NOTIFY_QPTR);
    if (q != 0) { memory.copy(nq, q + (<usize>head << 2), <usize>live << 2); blockFree(q, <usize>cap << 2); }
    notifySet(n, NOTIFY_QPTR, <u32>nq);
    notifySet(n, NOTIFY_QCAP, <u32>ncap);
    notifySet(n, NOTIFY_QHEAD, 0);
    notifySet(n, NOTIFY_QEND, live);
  }
  return true;
}

/** Appends destination d to registration n's queue (caller checked it is not queued there, and reserved room). */
function enqueue(n: u32, d: u32): void {
  let head = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND), cap = notifyGet(n, NOTIFY_QCAP);
  let q = <usize>notifyGet(n, NOTIFY_QPTR);
  if (end == cap) {
    // compact the consumed front (notifyReserve left room)
    let live = end - head;
    if (live == cap) unreachable(); // notifyReserve comes before the operation's first change
    memory.copy(q, q + (<usize>head << 2), <usize>live << 2);
    end = live;
    notifySet(n, NOTIFY_QHEAD, 0);
  }
  store<u32>(q + (<usize>end << 2), d);
  notifySet(n, NOTIFY_QEND, end + 1);
  queuedSet(notifyGet(n, NOTIFY_TABLE), d, notifyGet(n, NOTIFY_INDEX), true);
  destKeep(d, 1);
  if (notifyGet(n, NOTIFY_SIGNALLED) == 0) {
    notifySet(n, NOTIFY_SIGNALLED, 1);
    if (signalCount < SIGNAL_MAX) store<u32>(SIGNALS + (<usize>(signalCount++) << 2), n);
    else signalOverflow++;
  }
}

/**
 * Queues destination d of table t in every registration whose change types fired in one of its
 * views (spec §7.8.3): `f` holds FIRED_* bits per view (3 per view). Registrations restricted to marked
 * destinations only queue marked ones; a destination already queued keeps its position.
 */
export function notifyChange(t: u32, d: u32, f: u32): void {
  if (f == 0) return;
  if (t == bestLogTable && (f & FIRED_BEST) != 0) bestLogAppend(d);
  let supported = tableGet(t, TABLE_VIEWS);
  for (let n = tableGet(t, TABLE_NOTIFY), next = NIL; n != NIL; n = next) {
    next = notifyGet(n, NOTIFY_NEXT);
    let index = notifyGet(n, NOTIFY_INDEX), bit: u32 = 1 << index;
    if (queuedHas(t, d, index)) continue;
    let flags = notifyGet(n, NOTIFY_FLAGS);
    if ((flags & NOTIFY_ONLY_MARKED) != 0 && (destXGet(d, DESTX_MARKED) & bit) == 0) continue;
    let views = notifyGet(n, NOTIFY_VIEWS);
    if (views == 0) views = supported;
    let want: u32 = 0;
    if ((flags & CHANGE_TYPE_ALL) != 0) want |= FIRED_ALL;
    if ((flags & CHANGE_TYPE_BEST) != 0) want |= FIRED_BEST;
    if ((flags & CHANGE_TYPE_FORWARDING) != 0) want |= FIRED_FWD;
    let hit = false;
    for (let v: u32 = 0; v < VIEW_COUNT; v++) {
      if ((views & (1 << v)) != 0 && ((f >>> (3 * v)) & want) != 0) { hit = true; break; }
    }
    if (hit) enqueue(n, d);
  }
}

/** Pops up to max queued destinations of n into out (each still kept: the caller releases with destKeep). Returns the count. */
export function notifyPull(n: u32, max: u32, out: usize): u32 {
  let q = <usize>notifyGet(n, NOTIFY_QPTR);
  let head = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND);
  let t = notifyGet(n, NOTIFY_TABLE), index = notifyGet(n, NOTIFY_INDEX);
  let k: u32 = 0;
  while (head < end && k < max) {
    let d = load<u32>(q + (<usize>(head++) << 2));
    if (d == NIL) continue;
    queuedSet(t, d, index, false);
    store<u32>(out + (<usize>(k++) << 2), d);
  }
  // skip ignored holes so that "empty after the call" is exact
  while (head < end && load<u32>(q + (<usize>head << 2)) == NIL) head++;
  notifySet(n, NOTIFY_QHEAD, head);
  return k;
}

/** Destinations still queued in n. */
export function notifyPending(n: u32): bool { return notifyGet(n, NOTIFY_QHEAD) < notifyGet(n, NOTIFY_QEND); }

/** Drops destination d from n's queue if it is there (RtmIgnoreChangedDests); unpins it. */
export function notifyIgnore(n: u32, d: u32): void {
  let t = notifyGet(n, NOTIFY_TABLE), index = notifyGet(n, NOTIFY_INDEX);
  if (!queuedHas(t, d, index)) return;
  let q = <usize>notifyGet(n, NOTIFY_QPTR);
  for (let i = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND); i < end; i++) {
    if (load<u32>(q + (<usize>i << 2)) == d) { store<u32>(q + (<usize>i << 2), NIL); break; }
  }
  let head = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND);
  while (head < end && load<u32>(q + (<usize>head << 2)) == NIL) head++;
  notifySet(n, NOTIFY_QHEAD, head);
  queuedSet(t, d, index, false);
  destKeep(d, -1);
}

/** Marks or unmarks destination d for n (marks pin the destination present, D-24); marking needs d's extra record (destXEnsure). */
export function notifyMark(n: u32, d: u32, mark: bool): void {
  let bit: u32 = 1 << notifyGet(n, NOTIFY_INDEX);
  let marked = destXGet(d, DESTX_MARKED);
  let was = (marked & bit) != 0;
  if (was == mark) return;
  destXSet(d, DESTX_MARKED, mark ? marked | bit : marked & ~bit);
  notifySet(n, NOTIFY_MARKS, notifyGet(n, NOTIFY_MARKS) + (mark ? 1 : -1));
  destPin(d, mark ? 1 : -1);
}

/** Copies the signal list to out (up to max) and clears it; returns the count. */
export function notifyDrainSignals(out: usize, max: u32): u32 {
  let k = signalCount < max ? signalCount : max;
  memory.copy(out, SIGNALS, <usize>k << 2);
  if (k < signalCount) memory.copy(SIGNALS, SIGNALS + (<usize>k << 2), <usize>(signalCount - k) << 2);
  signalCount -= k;
  return k;
}


// ── the best-change log (RTMv1 change messages, spec §9.5) ───────────────────────────────────────────
/** The table whose view-0 BEST changes are logged (NIL: none). */
export let bestLogTable: u32 = NIL;
/** Entries in the log, and entries that did not fit since the last take. */
export let bestLogLen: u32 = 0;
let bestLogLost: u32 = 0;
const BESTLOG: usize = memory.data(<i32>(BESTLOG_MAX * BESTLOG_WORDS * 4), 16);

/** Starts logging table t (NIL stops); the log starts empty. */
export function bestLogWatch(t: u32): void {
  bestLogTable = t;
  bestLogLen = 0;
  bestLogLost = 0;
}

function bestLogAppend(d: u32): void {
  if (bestLogLen >= BESTLOG_MAX) { bestLogLost++; return; }
  let e = BESTLOG + (<usize>(bestLogLen++ * BESTLOG_WORDS) << 2);
  memory.copy(e, destKey(d), 16);
  store<u32>(e, destLen(d), 16);
}

/** Moves up to max entries (oldest first) to out; returns the count. */
export function bestLogTake(out: usize, max: u32): u32 {
  let k = bestLogLen < max ? bestLogLen : max;
  let bytes = <usize>(k * BESTLOG_WORDS) << 2;
  memory.copy(out, BESTLOG, bytes);
  if (k < bestLogLen) memory.copy(BESTLOG, BESTLOG + bytes, <usize>((bestLogLen - k) * BESTLOG_WORDS) << 2);
  bestLogLen -= k;
  return k;
}

/** Entries lost since the last call (the log was full), resetting the count. */
export function bestLogTakeLost(): u32 {
  let n = bestLogLost;
  bestLogLost = 0;
  return n;
}
