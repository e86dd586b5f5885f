// What a publisher of forwarding snapshots (src/fib/publisher.ts) needs of the core, for view 0:
// 1. dirty marks — for each watched table (≤ SNAP_WATCH_MAX), the 1 KiB blocks of its 18-6-8 structure
//    (fib.ts) written since the last take, so that a publish copies only those; fib.ts calls snapSelect
//    before it paints, snapMark at each entry it stores and snapStructure when it builds or frees;
// 2. the range serialiser — the view-0 longest-prefix answer of a table as ascending segments (first
//    address, destId) from a pre-order walk of the trie, for IPv6 and for IPv4 tables without a structure.
// 3. the IPv6 unicast structure (fib6.ts) — its address (its pages: fib6PagesX), so that the publisher
//    copies it whole, then only the 1 KiB blocks marked dirty (fib6.ts marks them as fib.ts does).
// Costs: a mark is one global test while nothing is watched, else a compare and a store; the serialiser
// is O(destinations), resumable in IO_OUT-sized batches. Allocation: a watch's dirty list is a block
// (blocks.ts) taken at watch time and regrown only at a take, never during an update; a full list flags
// the table for a full copy instead.
import {
  NIL, TABLE_GEN, TABLE_ROOT, TABLE_FIB, TABLE_FIB6, TABLE_FAMILY, DEST_S_DETACHED, SNAP_WATCH_WORDS, SNAP_WATCH_MAX, SNAP_W_TABLE, SNAP_W_GEN,
  SNAP_W_LIST, SNAP_W_LEN, SNAP_W_CAP, SNAP_W_FLAGS, SNAP_W_LAST, SNAP_F_FULL, SNAP_BLOCK_SHIFT, SNAP_LIST_MIN,
  SNAP_LIST_MAX, SNAP_SEG_WORDS, SNAP_SEG_DEST, SNAP_SEG_MAX,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND, ERROR_INVALID_PARAMETER } from './status';
import { tableGet, tableValid, tableMaxLen } from './tables';
import { blockAlloc, blockFree } from './blocks';
import { nodeKey, nodeLen, nodeChild, nodeDest, nodeState } from './trie';
import { IO_OUT, ioPtr, setRes } from './io';

const WATCHES: usize = memory.data(<i32>(SNAP_WATCH_MAX * SNAP_WATCH_WORDS * 4), 16);
/** Watches in use (snapSelect returns at once while 0). */
let watching: u32 = 0;
/** The watch record of the table being painted (0 = none): set by snapSelect, cleared by snapSelect(NIL). */
let cur: usize = 0;

// @ts-ignore: decorator
@inline function wPtr(i: u32): usize { return WATCHES + ((<usize>i * SNAP_WATCH_WORDS) << 2); }
// @ts-ignore: decorator
@inline function wGet(w: usize, f: u32): u32 { return load<u32>(w + (<usize>f << 2)); }
// @ts-ignore: decorator
@inline function wSet(w: usize, f: u32, v: u32): void { store<u32>(w + (<usize>f << 2), v); }

/** The watch record of table t (0 = not watched). */
function watchOf(t: u32): usize {
  for (let i: u32 = 0; i < SNAP_WATCH_MAX; i++) {
    let w = wPtr(i);
    if (wGet(w, SNAP_W_TABLE) == t + 1) return w;
  }
  return 0;
}

/** fib.ts: table t is about to paint its structure (NIL: nothing that follows is marked). */
export function snapSelect(t: u32): void {
  cur = watching == 0 || t == NIL ? 0 : watchOf(t);
}

/** fib.ts: the entry at byte address a of the selected table's structure was written. */
// @ts-ignore: decorator
@inline export function snapMark(a: usize): void { if (cur != 0) markIn(cur, a); }

// A watch's block holds a direct-mapped cache of SNAP_CACHE recently marked blocks (by block & mask; a
// painting recursion returns to the same parent block after each child), then the list of marks.
const SNAP_CACHE: u32 = 256;
const CACHE_BYTES: usize = SNAP_CACHE * 4;

// @ts-ignore: decorator
@inline function listBytes(cap: u32): usize { return CACHE_BYTES + (<usize>cap << 2); }

function markIn(w: usize, a: usize): void {
  let b = <u32>(a >>> SNAP_BLOCK_SHIFT);
  if (b == wGet(w, SNAP_W_LAST)) return;          // consecutive stores mostly hit one block
  wSet(w, SNAP_W_LAST, b);
  let blk = <usize>wGet(w, SNAP_W_LIST);
  let c = blk + ((<usize>(b & (SNAP_CACHE - 1))) << 2);
  if (load<u32>(c) == b) return;                   // marked since the last take
  store<u32>(c, b);
  if ((wGet(w, SNAP_W_FLAGS) & SNAP_F_FULL) != 0) return;
  let n = wGet(w, SNAP_W_LEN);
  if (n == wGet(w, SNAP_W_CAP)) { wSet(w, SNAP_W_FLAGS, wGet(w, SNAP_W_FLAGS) | SNAP_F_FULL); return; }
  store<u32>(blk + CACHE_BYTES + (<usize>n << 2), b);
  wSet(w, SNAP_W_LEN, n + 1);
}

/** fib.ts: table t's structure was built or freed: its next publish copies everything. */
export function snapStructure(t: u32): void {
  cur = 0;
  if (watching == 0) return;
  let w = watchOf(t);
  if (w != 0) { wSet(w, SNAP_W_FLAGS, wGet(w, SNAP_W_FLAGS) | SNAP_F_FULL); wSet(w, SNAP_W_LEN, 0); }
}

function unwatch(w: usize): void {
  blockFree(<usize>wGet(w, SNAP_W_LIST), listBytes(wGet(w, SNAP_W_CAP)));
  wSet(w, SNAP_W_TABLE, 0);
  watching--;
}

/**
 * Starts dirty marks for table t (idempotent). The first take reports SNAP_F_FULL. Watches of freed
 * tables (their slot reused or dead) are recycled here. ERROR_NOT_ENOUGH_MEMORY when every watch is in
 * use or no block is left (the publisher then copies everything at each publish).
 */
export function snapWatchX(t: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  let free: usize = 0;
  for (let i: u32 = 0; i < SNAP_WATCH_MAX; i++) {
    let w = wPtr(i);
    let wt = wGet(w, SNAP_W_TABLE);
    if (wt != 0 && (!tableValid(wt - 1) || tableGet(wt - 1, TABLE_GEN) != wGet(w, SNAP_W_GEN))) unwatch(w);
    if (wGet(w, SNAP_W_TABLE) == t + 1) return NO_ERROR;
    if (free == 0 && wGet(w, SNAP_W_TABLE) == 0) free = w;
  }
  if (free == 0) return ERROR_NOT_ENOUGH_MEMORY;
  let list = blockAlloc(listBytes(SNAP_LIST_MIN));
  if (list == 0) return ERROR_NOT_ENOUGH_MEMORY;
  memory.fill(list, 0xff, CACHE_BYTES);
  wSet(free, SNAP_W_TABLE, t + 1);
  wSet(free, SNAP_W_GEN, tableGet(t, TABLE_GEN));
  wSet(free, SNAP_W_LIST, <u32>list);
  wSet(free, SNAP_W_LEN, 0);
  wSet(free, SNAP_W_CAP, SNAP_LIST_MIN);
  wSet(free, SNAP_W_FLAGS, SNAP_F_FULL);
  wSet(free, SNAP_W_LAST, NIL);
  watching++;
  return NO_ERROR;
}

/** Byte address of table t's 18-6-8 structure (level 1; its chunks hang below), 0 = none or not a table. */
export function snapFibX(t: u32): u32 { return tableValid(t) ? tableGet(t, TABLE_FIB) : 0; }

/** Byte address of IPv6 table t's unicast structure (fib6.ts: level 1, 64 KiB aligned), 0 = none or not such a table. */
export function snapFib6X(t: u32): u32 {
  return tableValid(t) && tableGet(t, TABLE_FAMILY) == 6 ? tableGet(t, TABLE_FIB6) : 0;
}

/**
 * Takes up to `max` (≤ IO_BATCH_MAX × 4) dirty marks of table t into IO_OUT (block numbers, newest
 * first). RES0 = marks written, RES1 = 1 if the whole structure must be copied instead (the marks are
 * then dropped; a list that overflowed is regrown for next time), RES2 = marks left.
 * ERROR_NOT_FOUND if t is not watched.
 */
export function snapDirtyX(t: u32, max: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (max > (SNAP_SEG_MAX * SNAP_SEG_WORDS)) return ERROR_INVALID_PARAMETER;
  let w = watchOf(t);
  if (w == 0) return ERROR_NOT_FOUND;
  wSet(w, SNAP_W_LAST, NIL);
  memory.fill(<usize>wGet(w, SNAP_W_LIST), 0xff, CACHE_BYTES);
  let flags = wGet(w, SNAP_W_FLAGS);
  if ((flags & SNAP_F_FULL) != 0) {
    let cap = wGet(w, SNAP_W_CAP);
    // a list that filled up is doubled (when memory allows); one emptied by a build or free is not
    if (wGet(w, SNAP_W_LEN) == cap && cap < SNAP_LIST_MAX) {
      let bigger = blockAlloc(listBytes(cap << 1));
      if (bigger != 0) {
        memory.fill(bigger, 0xff, CACHE_BYTES);
        blockFree(<usize>wGet(w, SNAP_W_LIST), listBytes(cap));
        wSet(w, SNAP_W_LIST, <u32>bigger);
        wSet(w, SNAP_W_CAP, cap << 1);
      }
    }
    wSet(w, SNAP_W_FLAGS, flags & ~SNAP_F_FULL);
    wSet(w, SNAP_W_LEN, 0);
    setRes(0, 0); setRes(1, 1); setRes(2, 0);
    return NO_ERROR;
  }
  let n = wGet(w, SNAP_W_LEN);
  let k = n < max ? n : max;
  let list = <usize>wGet(w, SNAP_W_LIST) + CACHE_BYTES;
  let out = ioPtr(IO_OUT);
  for (let i: u32 = 0; i < k; i++) store<u32>(out + (<usize>i << 2), load<u32>(list + (<usize>(n - 1 - i) << 2)));
  wSet(w, SNAP_W_LEN, n - k);
  setRes(0, k); setRes(1, 0); setRes(2, n - k);
  return NO_ERROR;
}

// ── the range serialiser ─────────────────────────────────────────────────────────────────────────────
// A pre-order walk yields qualifying destinations by (first address, length): a prefix before those it
// covers. An "active" stack holds the covering destinations (their last address and destId); a
// destination's segment starts at its first address, and when the walk passes the last address of the
// top of the stack, the segment of the one below it (or none) resumes one address later. The newest
// segment is held back (pending): a later one at the same address replaces it, and one with the same
// destId as the segment before it is dropped, so no two neighbours answer alike.
const NSTACK_MAX: u32 = 512;                       // as trie.ts: ≤ 2 × 130 pending nodes
const NSTACK: usize = memory.data(<i32>(NSTACK_MAX * 4), 16);
const ACT_MAX: u32 = 132;                          // covering chain: ≤ 129 destinations
const ACT: usize = memory.data(<i32>(ACT_MAX * 5 * 4), 16);   // last address (4 words), destId
const PEND: usize = memory.data(16, 16);           // first address of the pending segment
const POS: usize = memory.data(16, 16);            // scratch address
let rT: u32 = NIL;
let rBits: u32 = 32;
let rSp: u32 = 0;
let rAct: u32 = 0;
let rPending: bool = false;
let rPendDest: u32 = NIL;
let rPrevDest: u32 = 0xfffffffe;                   // destId of the last segment written (none yet)
let rDone: bool = true;

/** Starts serialising table t's view-0 answer (one serialisation at a time; the table must not change). */
export function snapRangesBeginX(t: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  rT = t; rBits = tableMaxLen(t);
  rSp = 0; rAct = 0; rPending = false; rPendDest = NIL; rPrevDest = 0xfffffffe; rDone = false;
  let root = tableGet(t, TABLE_ROOT);
  if (root != NIL) { store<u32>(NSTACK, root); rSp = 1; }
  memory.fill(POS, 0, 16);
  emit(POS, NIL, 0);                               // the space starts unanswered
  return NO_ERROR;
}

/** Writes word w of the last address of (key, len) within rBits into dst. */
function lastAddress(dst: usize, key: usize, len: u32): void {
  for (let w: u32 = 0; w < 4; w++) {
    let lo = w << 5;                                // first bit of word w
    let k = load<u32>(key + (<usize>w << 2));
    let v: u32;
    if (lo >= rBits) v = 0;                         // beyond the family's width (IPv4 words 1..3)
    else if (len <= lo) v = 0xffffffff;
    else if (len >= lo + 32) v = k;
    else v = k | (0xffffffff >>> (len - lo));
    store<u32>(dst + (<usize>w << 2), v);
  }
}

/** a < b, addresses as 4 words MS first. */
function addrLess(a: usize, b: usize): bool {
  for (let w: usize = 0; w < 16; w += 4) {
    let x = load<u32>(a + w), y = load<u32>(b + w);
    if (x != y) return x < y;
  }
  return false;
}

function addrEq(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8);
}

/** A segment answering `dest` starts at `pos`; returns the segments written to out (0 or 1). */
function emit(pos: usize, dest: u32, out: usize): u32 {
  if (rPending && addrEq(PEND, pos)) {
    rPendDest = dest;
    if (dest == rPrevDest) rPending = false;
    return 0;
  }
  let n: u32 = 0;
  if (rPending) {
    memory.copy(out, PEND, 16);
    store<u32>(out, rPendDest, SNAP_SEG_DEST << 2);
    rPrevDest = rPendDest;
    n = 1;
  }
  rPending = dest != rPrevDest;
  if (rPending) { memory.copy(PEND, pos, 16); rPendDest = dest; }
  return n;
}

/** The segment after active entry i ends resumes one address later (none when it ends the space). */
function resume(i: u32, out: usize): u32 {
  let last = ACT + (<usize>i * 20);
  memory.copy(POS, last, 16);
  // add one at bit rBits - 1: carry through the family's words
  let w = (rBits >>> 5);
  while (w > 0) {
    w--;
    let p = POS + (<usize>w << 2);
    let v = load<u32>(p) + 1;
    store<u32>(p, v);
    if (v != 0) break;
    if (w == 0) return 0;                           // it ended the space
  }
  let below = i == 0 ? NIL : load<u32>(ACT + (<usize>(i - 1) * 20), 16);
  return emit(POS, below, out);
}

/**
 * Writes up to SNAP_SEG_MAX segments (SNAP_SEG_WORDS each) to IO_OUT. RES0 = segments written,
 * RES1 = 1 when the serialisation is complete. ERROR_INVALID_HANDLE without a begun serialisation.
 */
export function snapRangesNextX(): i32 {
  if (rT == NIL || !tableValid(rT)) return ERROR_INVALID_HANDLE;
  let out = ioPtr(IO_OUT);
  let count: u32 = 0;
  const room: u32 = SNAP_SEG_MAX - ACT_MAX - 2;     // one step writes at most ACT_MAX + 1 segments
  while (!rDone && count <= room) {
    if (rSp == 0) {                                 // the walk is over: close every active segment
      while (rAct > 0) { rAct--; count += resume(rAct, out + (<usize>count * SNAP_SEG_WORDS << 2)); }
      if (rPending) {
        let o = out + (<usize>count * SNAP_SEG_WORDS << 2);
        memory.copy(o, PEND, 16);
        store<u32>(o, rPendDest, SNAP_SEG_DEST << 2);
        count++;
        rPending = false;
      }
      rDone = true;
      break;
    }
    let n = load<u32>(NSTACK + (<usize>(--rSp) << 2));
    let c1 = nodeChild(n, 1), c0 = nodeChild(n, 0);
    if (c1 != NIL) store<u32>(NSTACK + (<usize>(rSp++) << 2), c1);
    if (c0 != NIL) store<u32>(NSTACK + (<usize>(rSp++) << 2), c0);
    assert(rSp < NSTACK_MAX); // bounded by twice the depth
    let d = nodeDest(n);
    let st = nodeState(n);
    if (d == NIL || (st & 1) == 0 || (st & DEST_S_DETACHED) != 0) continue;   // qualifies for view 0
    let key = nodeKey(n);
    // segments of active destinations that end before this one starts resume their cover
    while (rAct > 0 && addrLess(ACT + (<usize>(rAct - 1) * 20), key)) {
      rAct--;
      count += resume(rAct, out + (<usize>count * SNAP_SEG_WORDS << 2));
    }
    count += emit(key, d, out + (<usize>count * SNAP_SEG_WORDS << 2));
    assert(rAct < ACT_MAX); // a covering chain is at most one destination per length
    let a = ACT + (<usize>rAct * 20);
    lastAddress(a, key, nodeLen(n));
    store<u32>(a, d, 16);
    rAct++;
  }
  setRes(0, count);
  setRes(1, rDone ? 1 : 0);
  return NO_ERROR;
}
