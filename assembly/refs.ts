// Per-entity client references (spec §7.9, D-33): how many references each entity holds on each
// destination, route, next-hop and entity record, so that over-release is detected and deregistration
// gives back exactly what the entity still holds. One entry (layout REF_*) per (holder, target) in the
// ref slab, found through a chained hash directory of u32 bucket heads and linked into its holder's list
// (ENTITY_REFS_HEAD). Costs: O(1) expected per take/drop/count (the directory doubles when entries
// outnumber buckets); release-all is O(entries of the entity). Allocation: entries come from the ref
// slab (callers reserve first: a failed reservation is ERROR_NOT_ENOUGH_MEMORY with nothing changed);
// directories are whole pages from the slab reserve, and a directory outgrown is not reused.
import {
  NIL, SLAB_REF, REF_WORDS, REF_HOLDER, REF_TARGET, REF_COUNT, REF_BUCKET_NEXT, REF_PREV, REF_NEXT,
  REF_KIND_SHIFT, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY, ENTITY_REFS_HEAD, ENTITY_TABLE, ROUTE_DEST,
  DEST_TABLE, NEXTHOP_TABLE,
} from './layout';
import { slabAllocK, slabFree, slabReserve, slabLive, recPtr, takePages } from './slab';
import { handleKind, handleSlot } from './handles';
import { entityGet, entitySet, entityRef, nhGet, nhRef } from './entities';
import { destGet } from './dests';
import { routeGet, routeRef, destRef } from './routes';

// @ts-ignore: decorator
@inline export function refPtr(i: u32): usize { return recPtr(SLAB_REF, i, REF_WORDS); }
// @ts-ignore: decorator
@inline export function refGet(i: u32, w: u32): u32 { return load<u32>(refPtr(i) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function refSet(i: u32, w: u32, v: u32): void { store<u32>(refPtr(i) + (<usize>w << 2), v); }
// Word w of the entry at byte address p (= refPtr(i), computed once per entry): the hot paths (take, drop,
// the bucket walks) read and write an entry through its address, since a word read through refGet after
// any store recomputes the address from the slab directory (the compiler cannot know the store left it).
// @ts-ignore: decorator
@inline function refAt(p: usize, w: u32): u32 { return load<u32>(p + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function refSetAt(p: usize, w: u32, v: u32): void { store<u32>(p + (<usize>w << 2), v); }
/** REF_TARGET of (kind, record slot). */
// @ts-ignore: decorator
@inline export function refTarget(kind: u32, slot: u32): u32 { return (kind << REF_KIND_SHIFT) | slot; }
// @ts-ignore: decorator
@inline export function targetKind(target: u32): u32 { return target >>> REF_KIND_SHIFT; }
// @ts-ignore: decorator
@inline export function targetSlot(target: u32): u32 { return target & ((1 << REF_KIND_SHIFT) - 1); }

// the hash directory: dirBuckets u32 heads (a power of two; NIL = empty bucket)
let dirPtr: usize = 0;
let dirBuckets: u32 = 0;
const DIR_FIRST_PAGES: i32 = 1;      // 16,384 buckets
/** Largest directory: 2^26 buckets (256 MiB), twice the 2^25 entries slot numbers allow. */
const DIR_MAX_BUCKETS: u32 = 1 << 26;
/** Test hook: entries beyond this many are refused as if memory were exhausted. */
let entryLimit: u32 = 0xffffffff;

export function refSetLimit(n: u32): void { entryLimit = n; }
/** Buckets in the hash directory (0 before the first reference). */
export function refBuckets(): u32 { return dirBuckets; }
/** Head of bucket b (b < refBuckets()). */
export function refBucketHead(b: u32): u32 { return load<u32>(dirPtr + (<usize>b << 2)); }

// @ts-ignore: decorator
@inline function bucketOf(holder: u32, target: u32): u32 {
  // multiplicative mixing of both words (Fibonacci hashing constants), then a final xor-shift
  let h = holder * 0x9e3779b1 ^ target * 0x85ebca77;
  h ^= h >>> 15;
  return h & (dirBuckets - 1);
}

/** Makes `buckets` the directory size if memory allows; relinks every entry. False if no memory. */
function dirResize(buckets: u32): bool {
  let pages = <i32>(((<usize>buckets << 2) + 0xffff) >> 16);
  let p = takePages(pages);
  if (p == 0) return false;
  memory.fill(p, 0xff, <usize>buckets << 2);
  let old = dirPtr, oldBuckets = dirBuckets;
  dirPtr = p;
  dirBuckets = buckets;
  for (let b: u32 = 0; b < oldBuckets; b++) {
    let i = load<u32>(old + (<usize>b << 2));
    while (i != NIL) {
      let next = refGet(i, REF_BUCKET_NEXT);
      let slot = p + (<usize>bucketOf(refGet(i, REF_HOLDER), refGet(i, REF_TARGET)) << 2);
      refSet(i, REF_BUCKET_NEXT, load<u32>(slot));
      store<u32>(slot, i);
      i = next;
    }
  }
  return true;
}

/**
 * Makes sure `n` more entries can be created without failing (the resources step of an export, before
 * any change); false = ERROR_NOT_ENOUGH_MEMORY. Creates the directory on first use.
 */
export function refReserve(n: u32): bool {
  if (<u64>slabLive(SLAB_REF) + <u64>n > <u64>entryLimit) return false;
  if (dirBuckets == 0 && !dirResize(<u32>(DIR_FIRST_PAGES << 14))) return false;
  return slabReserve(SLAB_REF, n);
}

/**
 * Reads the bucket head of (holder, target) and the first entry it names, without using them (batch
 * writers call it for the records they will reference next, so that these cache misses overlap);
 * returns a word of what was read.
 */
export function refTouch(holder: u32, target: u32): u32 {
  if (dirBuckets == 0) return 0;
  let i = load<u32>(dirPtr + (<usize>bucketOf(holder, target) << 2));
  return i == NIL ? 0 : refGet(i, REF_TARGET);
}

/** The entry of (holder, target), or NIL. */
export function refFind(holder: u32, target: u32): u32 {
  if (dirBuckets == 0) return NIL;
  let i = load<u32>(dirPtr + (<usize>bucketOf(holder, target) << 2));
  while (i != NIL) {
    let p = refPtr(i);
    if (refAt(p, REF_HOLDER) == holder && refAt(p, REF_TARGET) == target) break;
    i = refAt(p, REF_BUCKET_NEXT);
  }
  return i;
}

/**
 * Creates the entry of (holder, target) with count 1 at the head of its bucket, whose head word is at
 * `slot` (caller reserved; it is not there yet).
 */
// @ts-ignore: decorator
@inline function refCreate(holder: u32, target: u32, slot: usize): void {
  let i = slabAllocK(SLAB_REF, REF_WORDS);   // (inlined: the stride is a constant)
  assert(i != NIL); // reserved by the caller (refReserve)
  let p = refPtr(i);
  let head = entityGet(holder, ENTITY_REFS_HEAD);
  refSetAt(p, REF_HOLDER, holder);
  refSetAt(p, REF_TARGET, target);
  refSetAt(p, REF_COUNT, 1);
  refSetAt(p, REF_BUCKET_NEXT, load<u32>(slot));
  refSetAt(p, REF_PREV, NIL);
  refSetAt(p, REF_NEXT, head);
  store<u32>(slot, i);
  if (head != NIL) refSet(head, REF_PREV, i);
  entitySet(holder, ENTITY_REFS_HEAD, i);
  // keep chains short: double the directory when entries outnumber buckets (if memory allows; chains
  // only grow longer when it does not)
  if (slabLive(SLAB_REF) > dirBuckets && dirBuckets < DIR_MAX_BUCKETS) dirResize(dirBuckets << 1);
}

/**
 * Unlinks entry i (at byte address p) from its bucket — whose head word is at `slot`, `beforeP` being
 * the address of the entry before i in its chain or 0 when i is the head — and from its holder's list,
 * and frees it.
 */
// @ts-ignore: decorator
@inline function refUnlink(i: u32, p: usize, slot: usize, beforeP: usize): void {
  let bnext = refAt(p, REF_BUCKET_NEXT);
  if (beforeP == 0) store<u32>(slot, bnext);
  else refSetAt(beforeP, REF_BUCKET_NEXT, bnext);
  let prev = refAt(p, REF_PREV), next = refAt(p, REF_NEXT);
  if (prev == NIL) entitySet(refAt(p, REF_HOLDER), ENTITY_REFS_HEAD, next); else refSet(prev, REF_NEXT, next);
  if (next != NIL) refSet(next, REF_PREV, prev);
  slabFree(SLAB_REF, i);
}

/** Unlinks entry i from its bucket and its holder's list, and frees it. */
function refRemove(i: u32): void {
  let p = refPtr(i);
  let slot = dirPtr + (<usize>bucketOf(refAt(p, REF_HOLDER), refAt(p, REF_TARGET)) << 2);
  let c = load<u32>(slot), beforeP: usize = 0;
  while (c != i) { beforeP = refPtr(c); c = refAt(beforeP, REF_BUCKET_NEXT); }
  refUnlink(i, p, slot, beforeP);
}

/**
 * The target (refTarget) a handle names if it is a destination, route, next hop or entity record of
 * table t, in any state its handle resolves in; else NIL.
 */
export function refTargetOf(t: u32, h: f64): u32 {
  // one branch per kind, each decoding with a constant kind (handleSlot inlined: its slab folds)
  let kind = handleKind(h);
  if (kind == KIND_DEST) {
    let s = handleSlot(h, KIND_DEST);
    return s != NIL && destGet(s, DEST_TABLE) == t ? refTarget(KIND_DEST, s) : NIL;
  }
  if (kind == KIND_ROUTE) {
    let s = handleSlot(h, KIND_ROUTE);
    return s != NIL && destGet(routeGet(s, ROUTE_DEST), DEST_TABLE) == t ? refTarget(KIND_ROUTE, s) : NIL;
  }
  if (kind == KIND_ENTITY) {
    let s = handleSlot(h, KIND_ENTITY);
    return s != NIL && entityGet(s, ENTITY_TABLE) == t ? refTarget(KIND_ENTITY, s) : NIL;
  }
  if (kind == KIND_NEXTHOP) {
    let s = handleSlot(h, KIND_NEXTHOP);
    return s != NIL && nhGet(s, NEXTHOP_TABLE) == t ? refTarget(KIND_NEXTHOP, s) : NIL;
  }
  return NIL;
}

/** Adds delta to the client count of the target record itself (it may be freed when that reaches 0). */
// @ts-ignore: decorator
@inline function recordRef(target: u32, delta: i32): void { recordRefOf(targetKind(target), targetSlot(target), delta); }

/** recordRef of record (kind, s): with a constant kind, only that kind's count function remains. */
// @ts-ignore: decorator
@inline function recordRefOf(kind: u32, s: u32, delta: i32): void {
  let ok: bool;
  if (kind == KIND_DEST) ok = destRef(s, delta);
  else if (kind == KIND_ROUTE) ok = routeRef(s, delta);
  else if (kind == KIND_NEXTHOP) ok = nhRef(s, delta);
  else ok = entityRef(s, delta);
  assert(ok); // the record's count includes every entry's count
}

/**
 * Entity `holder` takes one reference on `target` (caller validated both and reserved one entry): one
 * walk of the bucket finds the entry or where to create it.
 */
export function refTake(holder: u32, target: u32): void {
  refTakeOf(holder, targetKind(target), targetSlot(target));
}

/** refTake of a destination, route or entity record: with its kind a constant (destinations' records take these). */
export function refTakeDest(holder: u32, d: u32): void { refTakeOf(holder, KIND_DEST, d); }
export function refTakeRoute(holder: u32, r: u32): void { refTakeOf(holder, KIND_ROUTE, r); }
export function refTakeEntity(holder: u32, e: u32): void { refTakeOf(holder, KIND_ENTITY, e); }

/** refTake of record (kind, s) (inlined: with a constant kind, recordRefOf keeps only that kind's count). */
// @ts-ignore: decorator
@inline function refTakeOf(holder: u32, kind: u32, s: u32): void {
  assert(dirBuckets != 0); // created by the caller's refReserve
  let target = refTarget(kind, s);
  let slot = dirPtr + (<usize>bucketOf(holder, target) << 2);
  let i = load<u32>(slot);
  while (i != NIL) {
    let p = refPtr(i);
    if (refAt(p, REF_HOLDER) == holder && refAt(p, REF_TARGET) == target) {
      refSetAt(p, REF_COUNT, refAt(p, REF_COUNT) + 1);
      break;
    }
    i = refAt(p, REF_BUCKET_NEXT);
  }
  if (i == NIL) refCreate(holder, target, slot);
  recordRefOf(kind, s, 1);
}

/**
 * Entity `holder` gives back one reference on `target`; false (nothing changed) if it holds none. One
 * walk of the bucket finds the entry and the one before it (to unlink it when its count reaches 0).
 */
export function refDrop(holder: u32, target: u32): bool {
  return refDropOf(holder, targetKind(target), targetSlot(target));
}

/** refDrop of record (kind, s) (inlined: with a constant kind, recordRefOf keeps only that kind's count). */
// @ts-ignore: decorator
@inline function refDropOf(holder: u32, kind: u32, s: u32): bool {
  if (dirBuckets == 0) return false;
  let target = refTarget(kind, s);
  let slot = dirPtr + (<usize>bucketOf(holder, target) << 2);
  let i = load<u32>(slot), beforeP: usize = 0;
  while (i != NIL) {
    let p = refPtr(i);
    if (refAt(p, REF_HOLDER) == holder && refAt(p, REF_TARGET) == target) {
      let n = refAt(p, REF_COUNT) - 1;
      if (n == 0) refUnlink(i, p, slot, beforeP); else refSetAt(p, REF_COUNT, n);
      recordRefOf(kind, s, -1);
      return true;
    }
    beforeP = p;
    i = refAt(p, REF_BUCKET_NEXT);
  }
  return false;
}

/**
 * refDrop(holder, refTargetOf(t, h)) in one step: false (nothing changed) if h names no destination,
 * route, next hop or entity record of table t, or `holder` holds none on it. The handle is decoded once,
 * and each kind's branch changes its record's count directly (refDropManyX's per-handle step).
 */
export function refDropHandle(holder: u32, t: u32, h: f64): bool {
  let kind = handleKind(h);
  if (kind == KIND_DEST) {
    let s = handleSlot(h, KIND_DEST);
    return s != NIL && destGet(s, DEST_TABLE) == t && refDropOf(holder, KIND_DEST, s);
  }
  if (kind == KIND_ROUTE) {
    let s = handleSlot(h, KIND_ROUTE);
    return s != NIL && destGet(routeGet(s, ROUTE_DEST), DEST_TABLE) == t && refDropOf(holder, KIND_ROUTE, s);
  }
  if (kind == KIND_ENTITY) {
    let s = handleSlot(h, KIND_ENTITY);
    return s != NIL && entityGet(s, ENTITY_TABLE) == t && refDropOf(holder, KIND_ENTITY, s);
  }
  if (kind == KIND_NEXTHOP) {
    let s = handleSlot(h, KIND_NEXTHOP);
    return s != NIL && nhGet(s, NEXTHOP_TABLE) == t && refDropOf(holder, KIND_NEXTHOP, s);
  }
  return false;
}

/** References entity `holder` holds on `target`. */
export function refCount(holder: u32, target: u32): u32 {
  let i = refFind(holder, target);
  return i == NIL ? 0 : refGet(i, REF_COUNT);
}

/**
 * Gives back every reference entity `holder` holds (deregistration, spec §7.16); records whose last
 * reference goes are freed as usual. Returns the references released.
 */
export function refReleaseAll(holder: u32): u32 {
  let released: u32 = 0;
  let i = entityGet(holder, ENTITY_REFS_HEAD);
  while (i != NIL) {
    let next = refGet(i, REF_NEXT);
    let target = refGet(i, REF_TARGET), n = refGet(i, REF_COUNT);
    refRemove(i);
    // freeing a record never touches the ref table: the holders of a record's references are counted
    // in it, so a record with entries is not freed, and a freed entity (deregistered) holds no entries
    recordRef(target, -<i32>n);
    released += n;
    i = next;
  }
  return released;
}

/** Forgets every entry of `holder` without touching the records (table teardown frees them anyway). */
export function refForgetAll(holder: u32): void {
  let i = entityGet(holder, ENTITY_REFS_HEAD);
  while (i != NIL) {
    let next = refGet(i, REF_NEXT);
    refRemove(i);
    i = next;
  }
}
