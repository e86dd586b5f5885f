// Destination and next-hop locks (spec §7.10 rules 1–3, 6; D-20, D-21): who holds each lock — one
// exclusive holder with a recursion count, or shared holders with counts — in a lock record (a 32-byte
// block, layout.ts LOCKREC_*) that exists only while the lock is held; DESTX_LOCK / NEXTHOP_LOCK point to
// it (LOCK_NONE = free) and its holder summary answers every change's busy check. Shared holders are a
// chain of (entity, count) cells. Every record is on one list, walked at deregistration (drop all of an
// entity) and by the debug invariants. Freeing a destination's record releases the timer entries parked
// on it (timers.ts, rule 4). Costs O(holders) per call; allocates one record and one cell at most, both
// reserved before the first change (a full memory is ERROR_NOT_ENOUGH_MEMORY with nothing changed).
import {
  NIL, KIND_DEST, KIND_NEXTHOP, NEXTHOP_LOCK, NEXTHOP_TABLE, ENTITY_TABLE, LOCK_NONE,
  LOCK_MULTI, LOCKREC_BYTES, LOCKREC_TARGET, LOCKREC_KIND, LOCKREC_HOLDER, LOCKREC_EXCL, LOCKREC_EXCL_COUNT,
  LOCKREC_SHARED, LOCKREC_NEXT, LOCKREC_PREV, LOCKREC_PARKED_SHIFT, LOCKCELL_BYTES, LOCKCELL_ENTITY,
  LOCKCELL_COUNT, LOCKCELL_NEXT, LOCK_K_DEST, LOCK_K_NEXTHOP, SLAB_DEST, SLAB_NEXTHOP,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY,
  ERROR_NOT_LOCKED } from './status';
import { setRes } from './io';
import { blockAlloc, blockFree, blockReserve } from './blocks';
import { handleSlot } from './handles';
import { slabIsAlive } from './slab';
import { destTable, destGet, destSetLockHolder, destLockRec, destXReserve } from './dests';
import { entityGet, entityActive, nhGet, nhSet } from './entities';
import { entityOf } from './rtmapi';
import { timerUnparkDest } from './timers';

/** First lock record (0 = none): every held lock of every table. */
let lockHead: usize = 0;
let recordsLive: u32 = 0;
let cellsLive: u32 = 0;

// @ts-ignore: decorator
@inline export function lockGet(l: usize, w: u32): u32 { return load<u32>(l + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function lockSet(l: usize, w: u32, v: u32): void { store<u32>(l + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function cellGet(c: usize, w: u32): u32 { return load<u32>(c + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function cellSet(c: usize, w: u32, v: u32): void { store<u32>(c + (<usize>w << 2), v); }

/** The lock record of a destination / next hop slot, or 0 while its lock is free. */
export function lockOf(kind: u32, slot: u32): usize {
  let w = kind == LOCK_K_DEST ? destLockRec(slot) : nhGet(slot, NEXTHOP_LOCK);
  return w == LOCK_NONE ? 0 : <usize>w;
}

function setLockWord(kind: u32, slot: u32, l: usize): void {
  let w = l == 0 ? LOCK_NONE : <u32>l;
  if (kind == LOCK_K_DEST) destSetLockHolder(slot, w); else nhSet(slot, NEXTHOP_LOCK, w);
}

/** The first lock record (debug walks), then lockNextRecord. */
export function lockFirstRecord(): usize { return lockHead; }
export function lockNextRecord(l: usize): usize { return <usize>lockGet(l, LOCKREC_NEXT); }

/** Timer entries parked on a destination's lock record (timers.ts keeps the count). */
export function lockParked(l: usize): u32 { return lockGet(l, LOCKREC_KIND) >>> LOCKREC_PARKED_SHIFT; }
export function lockParkedAdd(l: usize, delta: i32): void {
  let n = <i32>lockParked(l) + delta;
  assert(n >= 0); // entries are parked and released exactly once
  lockSet(l, LOCKREC_KIND, (lockGet(l, LOCKREC_KIND) & ((1 << LOCKREC_PARKED_SHIFT) - 1)) | (<u32>n << LOCKREC_PARKED_SHIFT));
}

/** Entity e's shared cell in record l, or 0. */
function cellOf(l: usize, e: u32): usize {
  for (let c = <usize>lockGet(l, LOCKREC_SHARED); c != 0; c = <usize>cellGet(c, LOCKCELL_NEXT)) {
    if (cellGet(c, LOCKCELL_ENTITY) == e) return c;
  }
  return 0;
}

/** The holder summary: the one entity that holds the lock, LOCK_MULTI, or LOCK_NONE when free. */
export function lockSummary(l: usize): u32 {
  let one = lockGet(l, LOCKREC_EXCL);
  for (let c = <usize>lockGet(l, LOCKREC_SHARED); c != 0; c = <usize>cellGet(c, LOCKCELL_NEXT)) {
    let s = cellGet(c, LOCKCELL_ENTITY);
    if (one == NIL) one = s;
    else if (one != s) return LOCK_MULTI;
  }
  return one == NIL ? LOCK_NONE : one;
}

/** A fresh record for (kind, slot), linked and pointed to (caller reserved the block). */
function recordNew(kind: u32, slot: u32): usize {
  let l = blockAlloc(LOCKREC_BYTES);
  assert(l != 0); // reserved before the first change
  lockSet(l, LOCKREC_TARGET, slot);
  lockSet(l, LOCKREC_KIND, kind);
  lockSet(l, LOCKREC_HOLDER, LOCK_NONE);
  lockSet(l, LOCKREC_EXCL, NIL);
  lockSet(l, LOCKREC_EXCL_COUNT, 0);
  lockSet(l, LOCKREC_SHARED, 0);
  lockSet(l, LOCKREC_PREV, 0);
  lockSet(l, LOCKREC_NEXT, <u32>lockHead);
  if (lockHead != 0) lockSet(lockHead, LOCKREC_PREV, <u32>l);
  lockHead = l;
  recordsLive++;
  setLockWord(kind, slot, l);
  return l;
}

/** Frees record l and its cells; the lock is free. A destination's parked timer entries are released. */
function recordFree(l: usize): void {
  let kind = lockGet(l, LOCKREC_KIND) & 0xff, slot = lockGet(l, LOCKREC_TARGET);
  for (let c = <usize>lockGet(l, LOCKREC_SHARED); c != 0;) {
    let next = <usize>cellGet(c, LOCKCELL_NEXT);
    blockFree(c, LOCKCELL_BYTES);
    cellsLive--;
    c = next;
  }
  lockSet(l, LOCKREC_SHARED, 0);
  if (kind == LOCK_K_DEST && lockParked(l) != 0) timerUnparkDest(slot);
  assert(lockParked(l) == 0); // every parked entry of the destination was released
  let prev = <usize>lockGet(l, LOCKREC_PREV), next = <usize>lockGet(l, LOCKREC_NEXT);
  if (prev == 0) lockHead = next; else lockSet(prev, LOCKREC_NEXT, <u32>next);
  if (next != 0) lockSet(next, LOCKREC_PREV, <u32>prev);
  setLockWord(kind, slot, 0);
  blockFree(l, LOCKREC_BYTES);
  recordsLive--;
}

/** Recomputes l's summary, or frees l when nobody holds it any more; true if it was freed. */
function settle(l: usize): bool {
  let s = lockSummary(l);
  if (s == LOCK_NONE) { recordFree(l); return true; }
  lockSet(l, LOCKREC_HOLDER, s);
  return false;
}

/** True if record l (0 = free lock) is held by an entity other than e: e's changes there get ERROR_BUSY. */
// @ts-ignore: decorator
@inline export function lockAgainst(l: u32, e: u32): bool {
  return l != LOCK_NONE && load<u32>(<usize>l + (<usize>LOCKREC_HOLDER << 2)) != e;
}

/**
 * Takes a lock on (kind, slot) for entity e (rule 2): exclusive needs no other holder, shared no other
 * exclusive holder (ERROR_BUSY). Re-taking counts. ERROR_NOT_ENOUGH_MEMORY (nothing changed) when the
 * record or e's shared cell cannot be had.
 */
export function lockAcquire(e: u32, kind: u32, slot: u32, exclusive: bool): i32 {
  let l = lockOf(kind, slot);
  let needCell = false;
  if (l != 0) {
    let x = lockGet(l, LOCKREC_EXCL);
    if (x != NIL && x != e) return ERROR_BUSY;
    if (exclusive) {
      for (let c = <usize>lockGet(l, LOCKREC_SHARED); c != 0; c = <usize>cellGet(c, LOCKCELL_NEXT)) {
        if (cellGet(c, LOCKCELL_ENTITY) != e) return ERROR_BUSY;
      }
    } else needCell = cellOf(l, e) == 0;
  } else needCell = !exclusive;
  // a destination's new record goes into its extra record (layout DESTX_LOCK): reserved first (slabs
  // before blocks: a block reservation holds until the next block allocation)
  if (l == 0 && kind == LOCK_K_DEST && !destXReserve(slot)) return ERROR_NOT_ENOUGH_MEMORY;
  // the record, then the cell: one free block of their sum serves both allocations (blocks.ts buddies)
  let bytes: u32 = (l == 0 ? LOCKREC_BYTES : 0) + (needCell ? LOCKCELL_BYTES : 0);
  if (bytes != 0 && !blockReserve(<usize>(bytes > LOCKREC_BYTES ? LOCKREC_BYTES * 2 : bytes))) return ERROR_NOT_ENOUGH_MEMORY;
  if (l == 0) l = recordNew(kind, slot);
  if (exclusive) {
    lockSet(l, LOCKREC_EXCL, e);
    lockSet(l, LOCKREC_EXCL_COUNT, lockGet(l, LOCKREC_EXCL_COUNT) + 1);
  } else {
    let c = cellOf(l, e);
    if (c == 0) {
      c = blockAlloc(LOCKCELL_BYTES);
      assert(c != 0); // reserved above
      cellSet(c, LOCKCELL_ENTITY, e);
      cellSet(c, LOCKCELL_COUNT, 0);
      cellSet(c, LOCKCELL_NEXT, lockGet(l, LOCKREC_SHARED));
      lockSet(l, LOCKREC_SHARED, <u32>c);
      cellsLive++;
    }
    cellSet(c, LOCKCELL_COUNT, cellGet(c, LOCKCELL_COUNT) + 1);
  }
  settle(l);
  return NO_ERROR;
}

/** Removes cell c (of record l) from l's chain and frees it. */
function cellDrop(l: usize, c: usize): void {
  let p = <usize>lockGet(l, LOCKREC_SHARED);
  if (p == c) lockSet(l, LOCKREC_SHARED, cellGet(c, LOCKCELL_NEXT));
  else {
    while (cellGet(p, LOCKCELL_NEXT) != <u32>c) p = <usize>cellGet(p, LOCKCELL_NEXT);
    cellSet(p, LOCKCELL_NEXT, cellGet(c, LOCKCELL_NEXT));
  }
  blockFree(c, LOCKCELL_BYTES);
  cellsLive--;
}

/**
 * Gives back one of e's holds on (kind, slot) in that mode (rule 3); ERROR_NOT_LOCKED if e holds none.
 * Never allocates. RES0 = e's exclusive holds left, RES1 = 1 if the lock is now free.
 */
export function lockRelease(e: u32, kind: u32, slot: u32, exclusive: bool): i32 {
  let l = lockOf(kind, slot);
  if (l == 0) return ERROR_NOT_LOCKED;
  if (exclusive) {
    if (lockGet(l, LOCKREC_EXCL) != e) return ERROR_NOT_LOCKED;
    let n = lockGet(l, LOCKREC_EXCL_COUNT) - 1;
    lockSet(l, LOCKREC_EXCL_COUNT, n);
    if (n == 0) lockSet(l, LOCKREC_EXCL, NIL);
  } else {
    let c = cellOf(l, e);
    if (c == 0) return ERROR_NOT_LOCKED;
    let n = cellGet(c, LOCKCELL_COUNT) - 1;
    if (n == 0) cellDrop(l, c); else cellSet(c, LOCKCELL_COUNT, n);
  }
  let left = lockGet(l, LOCKREC_EXCL) == e ? lockGet(l, LOCKREC_EXCL_COUNT) : 0;
  setRes(0, left);
  setRes(1, settle(l) ? 1 : 0);
  return NO_ERROR;
}

/** Deregistration (rule 6): every hold of entity e on any lock goes. Returns the destination locks freed. */
export function lockDropAll(e: u32): u32 {
  let freed: u32 = 0;
  for (let l = lockHead; l != 0;) {
    let next = <usize>lockGet(l, LOCKREC_NEXT);
    let mine = false;
    if (lockGet(l, LOCKREC_EXCL) == e) {
      lockSet(l, LOCKREC_EXCL, NIL);
      lockSet(l, LOCKREC_EXCL_COUNT, 0);
      mine = true;
    }
    let c = cellOf(l, e);
    if (c != 0) { cellDrop(l, c); mine = true; }
    let dest = (lockGet(l, LOCKREC_KIND) & 0xff) == LOCK_K_DEST;
    if (mine && settle(l) && dest) freed++;
    l = next;
  }
  return freed;
}

/** The destination or next hop goes away: its lock record (if any) goes with it. */
export function lockForget(kind: u32, slot: u32): void {
  let l = lockOf(kind, slot);
  if (l != 0) recordFree(l);
}

// ── exports ──────────────────────────────────────────────────────────────────────────────────────────

/** The slot of target handle h of `kind` (LOCK_K_*) in entity e's table, or NIL. */
function targetOf(e: u32, kind: u32, h: f64): u32 {
  let t = entityGet(e, ENTITY_TABLE);
  if (kind == LOCK_K_DEST) {
    let d = handleSlot(h, KIND_DEST);
    return d != NIL && destTable(d) == t ? d : NIL;
  }
  let n = handleSlot(h, KIND_NEXTHOP);
  return n != NIL && nhGet(n, NEXTHOP_TABLE) == t ? n : NIL;
}

// the caller and target slot lockArgs resolved
let argE: u32 = NIL, argS: u32 = NIL;

/**
 * Resolves a lock call's arguments — the caller eh, kind LOCK_K_*, the target handle h — into argE / argS:
 * NO_ERROR, or ERROR_INVALID_HANDLE / ERROR_INVALID_PARAMETER (kind), as every lock export answers them.
 */
function lockArgs(eh: f64, kind: u32, h: f64): i32 {
  argE = entityOf(eh);
  if (argE == NIL) return ERROR_INVALID_HANDLE;
  if (kind > LOCK_K_NEXTHOP) return ERROR_INVALID_PARAMETER;
  argS = targetOf(argE, kind, h);
  return argS == NIL ? ERROR_INVALID_HANDLE : NO_ERROR;
}

/**
 * RtmLockDestination / RtmLockRoute / RtmLockNextHop (lock = 1) for the caller eh on the destination or
 * next hop h (kind LOCK_K_*; the facade checked states and ownership): ERROR_INVALID_HANDLE,
 * ERROR_INVALID_PARAMETER (kind), ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY; nothing changes on error.
 */
export function lockX(eh: f64, kind: u32, h: f64, exclusive: u32): i32 {
  let st = lockArgs(eh, kind, h);
  return st != NO_ERROR ? st : lockAcquire(argE, kind, argS, exclusive != 0);
}

/**
 * The unlock form (lock = 0): one hold in that mode goes; ERROR_NOT_LOCKED if the caller holds none.
 * RES0 = the caller's exclusive holds left, RES1 = 1 if the lock is now free (parked expiries and hold
 * ends of a destination are due again).
 */
export function unlockX(eh: f64, kind: u32, h: f64, exclusive: u32): i32 {
  let st = lockArgs(eh, kind, h);
  return st != NO_ERROR ? st : lockRelease(argE, kind, argS, exclusive != 0);
}

/** Who holds the lock on h: RES0 = the caller's exclusive holds, RES1 its shared holds, RES2 the summary. */
export function lockHeldX(eh: f64, kind: u32, h: f64): i32 {
  let st = lockArgs(eh, kind, h);
  if (st != NO_ERROR) return st;
  let e = argE, s = argS;
  let l = lockOf(kind, s);
  let c: usize = l == 0 ? 0 : cellOf(l, e);
  setRes(0, l != 0 && lockGet(l, LOCKREC_EXCL) == e ? lockGet(l, LOCKREC_EXCL_COUNT) : 0);
  setRes(1, c == 0 ? 0 : cellGet(c, LOCKCELL_COUNT));
  setRes(2, l == 0 ? LOCK_NONE : lockGet(l, LOCKREC_HOLDER));
  return NO_ERROR;
}

/** Deregistration clean-up: drops every hold of the caller. RES0 = destination locks that became free. */
export function lockDropAllX(eh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, lockDropAll(e));
  return NO_ERROR;
}

/** Lock records in use (w = 0), shared cells (1), timer entries parked on locks (2), every table. */
export function lockStat(w: u32): u32 {
  if (w == 0) return recordsLive;
  if (w == 1) return cellsLive;
  let n: u32 = 0;
  for (let l = lockHead; l != 0; l = <usize>lockGet(l, LOCKREC_NEXT)) n += lockParked(l);
  return n;
}

/**
 * Debug invariant of every lock record: on the list once (links, counts), its target alive and pointing
 * back, held (an exclusive holder with a count > 0 and/or cells with counts > 0 of distinct active
 * entities, never an exclusive holder beside another entity's cell), its summary exact, no parked
 * entries on a next hop. `destsLocked` is the destinations whose lock word is not LOCK_NONE.
 */
export function lockCheck(destsLocked: u32): bool {
  let recs: u32 = 0, cells: u32 = 0, dests: u32 = 0;
  let prev: usize = 0;
  for (let l = lockHead; l != 0; l = <usize>lockGet(l, LOCKREC_NEXT)) {
    if (++recs > recordsLive) return false;
    if (<usize>lockGet(l, LOCKREC_PREV) != prev) return false;
    prev = l;
    let kind = lockGet(l, LOCKREC_KIND) & 0xff, s = lockGet(l, LOCKREC_TARGET);
    if (kind == LOCK_K_DEST) {
      if (!slabIsAlive(SLAB_DEST, s) || destLockRec(s) != <u32>l) return false;
      dests++;
    } else if (kind == LOCK_K_NEXTHOP) {
      if (!slabIsAlive(SLAB_NEXTHOP, s) || nhGet(s, NEXTHOP_LOCK) != <u32>l || lockParked(l) != 0) return false;
    } else return false;
    let x = lockGet(l, LOCKREC_EXCL), xc = lockGet(l, LOCKREC_EXCL_COUNT);
    if ((x == NIL) != (xc == 0)) return false;
    if (x != NIL && !entityActive(x)) return false;
    for (let c = <usize>lockGet(l, LOCKREC_SHARED); c != 0; c = <usize>cellGet(c, LOCKCELL_NEXT)) {
      if (++cells > cellsLive) return false;
      let ce = cellGet(c, LOCKCELL_ENTITY);
      if (cellGet(c, LOCKCELL_COUNT) == 0 || !entityActive(ce) || (x != NIL && ce != x)) return false;
      for (let o = <usize>cellGet(c, LOCKCELL_NEXT); o != 0; o = <usize>cellGet(o, LOCKCELL_NEXT)) {
        if (cellGet(o, LOCKCELL_ENTITY) == ce) return false;
      }
    }
    let sum = lockSummary(l);
    if (sum == LOCK_NONE || sum != lockGet(l, LOCKREC_HOLDER)) return false;
  }
  return recs == recordsLive && cells == cellsLive && dests == destsLocked;
}
