// Per-entity client references (spec §7.9, D-33): how many references each entity holds on each
// destination, route, next-hop and entity record, so that over-release is detected and deregistration
// gives back exactly what the entity still holds. Each holder entity has a table of its own (a block,
// blocks.ts; ENTITY_REFS its address, ENTITY_REFS_N its entries and size): 2^k slots of (target, count),
// open addressing with linear probing, at most half full, an entry deleted by shifting the entries after
// it back (no tombstones; the slot primitives are slots.ts's). Costs: O(1) expected per take/drop/count, one cache line mostly (no entry
// records, no lists: a drain that takes and gives back references on hundreds of records touches its
// holder's table and the records, nothing else); release-all is O(the holder's slots). Allocation: the
// tables are blocks of a pool of their own (blocks.ts POOL_REFS, whose pages keep room for them); a table
// grows (doubles, rehashed) only in refReserve, which callers run before their first change (a failed
// reservation is ERROR_NOT_ENOUGH_MEMORY with nothing changed); an emptied table stays until the
// holder's release-all or teardown.
import {
  NIL, REF_KIND_SHIFT, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY, ENTITY_REFS, ENTITY_REFS_N, ENTITY_TABLE,
  NEXTHOP_TABLE, TABLE_ENTITIES, ENTITY_NEXT, SLAB_ROUTE, ROUTE_STATE_DELETED,
} from './layout';
import { refBlockAlloc, refBlockFree } from './blocks';
import { SLOT_EMPTY, slotOf, probe, deleteAt, slotsRehash } from './slots';
import { slabIsAlive } from './slab';
import { handleKind, handleSlot } from './handles';
import { entityGet, entitySet, entityRef, nhGet, nhRef } from './entities';
import { destTable } from './dests';
import { tableGet } from './tables';
import { routeGet, routeRef, destRef, routeDest, routeTableByOwner, routeState } from './routes';

/** The target word of (kind, record slot): what a reference table keys on. */
// @ts-ignore: decorator
@inline export function refTarget(kind: u32, slot: u32): u32 { return (kind << REF_KIND_SHIFT) | slot; }
// @ts-ignore: decorator
@inline export function targetKind(target: u32): u32 { return target >>> REF_KIND_SHIFT; }
// @ts-ignore: decorator
@inline export function targetSlot(target: u32): u32 { return target & ((1 << REF_KIND_SHIFT) - 1); }

// ENTITY_REFS_N: the holder's entries (low REFS_N_SHIFT bits: ≤ 2^25, the slots a kind can have, times
// the kinds) and log2 of its table's slots above them (0 with no table)
const REFS_N_SHIFT: u32 = 26;
const REFS_N_MASK: u32 = (1 << REFS_N_SHIFT) - 1;
/** Slots of a holder's first table (8 bytes each: a 64-byte block). */
const FIRST_LOG2: u32 = 3;
/** Largest table: 2^27 slots (1 GiB, blocks.ts's largest block). */
const MAX_LOG2: u32 = 27;
/** An empty slot's target word (slots.ts SLOT_EMPTY: no target is all ones, kinds are below 2^(32 - REF_KIND_SHIFT) - 1). */
export const REF_SLOT_EMPTY: u32 = SLOT_EMPTY;
const EMPTY: u32 = REF_SLOT_EMPTY;

/** Entries held by all holders (refStat, the test limit below). */
let entries: u32 = 0;
/** Slots of all holders' tables (refStat; 8 bytes each, blocks of POOL_REFS: refBlockBytes). */
let slots: f64 = 0;
/** Test hook: entries beyond this many are refused as if memory were exhausted. */
let entryLimit: u32 = 0xffffffff;

export function refSetLimit(n: u32): void { entryLimit = n; }
/** Entries held by all holders. */
export function refEntries(): u32 { return entries; }
/** Slots of all holders' tables. */
export function refSlots(): f64 { return slots; }

/**
 * The byte address of holder's table, its log2 of slots (refsLog2) and its entries (refsCount): read
 * once per call by the functions below.
 */
let refsLog2: u32 = 0, refsCount: u32 = 0;
// @ts-ignore: decorator
@inline function tableOf(holder: u32): usize {
  let n = entityGet(holder, ENTITY_REFS_N);
  refsLog2 = n >>> REFS_N_SHIFT;
  refsCount = n & REFS_N_MASK;
  return <usize>entityGet(holder, ENTITY_REFS);
}

/** Moves holder's entries into block t, a fresh table of 2^log2 slots. */
function rehash(holder: u32, t: usize, log2: u32): void {
  let old = tableOf(holder), oldLog2 = refsLog2, count = refsCount;
  slotsRehash(old, oldLog2, t, log2);
  if (old != 0) freeTable(old, oldLog2);
  slots += <f64>(<u32>1 << log2);
  entitySet(holder, ENTITY_REFS, <u32>t);
  entitySet(holder, ENTITY_REFS_N, count | (log2 << REFS_N_SHIFT));
}

/**
 * Makes sure entity `holder` can take `n` more references, each on a target it holds none on, without
 * failing (the resources step of an export, before any change); false = ERROR_NOT_ENOUGH_MEMORY. Grows
 * the holder's table when n more entries would fill more than half of it.
 */
export function refReserve(holder: u32, n: u32): bool {
  if (<u64>entries + <u64>n > <u64>entryLimit) return false;
  tableOf(holder);
  let need = <u64>refsCount + <u64>n;
  if (refsLog2 != 0 && need <= (<u64>1 << (refsLog2 - 1))) return true;
  if (need > <u64>REFS_N_MASK) return false;   // more entries than ENTITY_REFS_N counts
  let log2 = max(refsLog2, FIRST_LOG2);
  while ((<u64>1 << (log2 - 1)) < need) log2++;
  if (log2 > MAX_LOG2) return false;
  let t = refBlockAlloc(<usize>8 << log2);
  if (t == 0) return false;
  rehash(holder, t, log2);
  return true;
}

/**
 * Reads the slot where (holder, target) would start its probe, without using it (batch writers call it
 * for the records they will reference next, so that these cache misses overlap); returns a word of it.
 */
export function refTouch(holder: u32, target: u32): u32 {
  let t = tableOf(holder);
  return t == 0 ? 0 : load<u32>(slotOf(t, refsLog2, target), 4);
}

/** References entity `holder` holds on `target`. */
export function refCount(holder: u32, target: u32): u32 {
  let t = tableOf(holder);
  if (t == 0) return 0;
  let q = probe(t, refsLog2, target);
  return load<u32>(q) == target ? load<u32>(q, 4) : 0;
}

/**
 * The references all holders hold on record (kind, s), a route or a destination: the entries of the
 * entities of its table. References on these are taken only through entries, so this is their exact count,
 * which the record keeps only below a cap (routes.ts satCount). O(entities of the table).
 */
export function refsHeld(kind: u32, s: u32): u32 {
  let target = refTarget(kind, s), n: u32 = 0;
  let t = destTable(kind == KIND_ROUTE ? routeDest(s) : s);
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) n += refCount(e, target);
  return n;
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
    return s != NIL && destTable(s) == t ? refTarget(KIND_DEST, s) : NIL;
  }
  if (kind == KIND_ROUTE) {
    let s = handleSlot(h, KIND_ROUTE);
    return s != NIL && routeTableByOwner(s) == t ? refTarget(KIND_ROUTE, s) : NIL;
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
 * Entity `holder` takes one reference on `target` (caller validated both and reserved room: refReserve).
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
  let t = tableOf(holder);
  assert(t != 0); // made by the caller's refReserve, with room for an entry (a table is at most half full)
  let target = refTarget(kind, s);
  let q = probe(t, refsLog2, target);
  if (load<u32>(q) == target) store<u32>(q, load<u32>(q, 4) + 1, 4);
  else {
    store<u32>(q, target); store<u32>(q, 1, 4);
    entitySet(holder, ENTITY_REFS_N, entityGet(holder, ENTITY_REFS_N) + 1);
    entries++;
  }
  recordRefOf(kind, s, 1);
}

/**
 * Entity `holder` gives back one reference on `target`; false (nothing changed) if it holds none.
 */
export function refDrop(holder: u32, target: u32): bool {
  return refDropOf(holder, targetKind(target), targetSlot(target));
}

/** refDrop of record (kind, s) (inlined: with a constant kind, recordRefOf keeps only that kind's count). */
// @ts-ignore: decorator
@inline function refDropOf(holder: u32, kind: u32, s: u32): bool {
  let t = tableOf(holder);
  if (t == 0) return false;
  let target = refTarget(kind, s);
  let q = probe(t, refsLog2, target);
  if (load<u32>(q) != target) return false;
  let n = load<u32>(q, 4) - 1;
  if (n != 0) store<u32>(q, n, 4);
  else {
    deleteAt(t, refsLog2, q);
    entitySet(holder, ENTITY_REFS_N, entityGet(holder, ENTITY_REFS_N) - 1);
    entries--;
  }
  recordRefOf(kind, s, -1);
  return true;
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
    return s != NIL && destTable(s) == t && refDropOf(holder, KIND_DEST, s);
  }
  if (kind == KIND_ROUTE) {
    let s = handleSlot(h, KIND_ROUTE);
    return s != NIL && routeTableByOwner(s) == t && refDropOf(holder, KIND_ROUTE, s);
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

/**
 * Gives back every reference entity `holder` holds (deregistration, spec §7.16); records whose last
 * reference goes are freed as usual. Returns the references released. The holder's table goes first (its
 * words cleared): freeing a record never touches a reference table — the holders of a record's references
 * are counted in it, so a record with references is not freed until they go, here.
 */
export function refReleaseAll(holder: u32): u32 {
  let t = detachTable(holder), log2 = refsLog2;
  if (t == 0) return 0;
  let released: u32 = 0;
  for (let p = t, end = t + (<usize>8 << log2); p < end; p += 8) {
    let target = load<u32>(p);
    if (target == EMPTY) continue;
    let n = load<u32>(p, 4);
    recordRef(target, -<i32>n);
    released += n;
  }
  freeTable(t, log2);
  return released;
}

/** Forgets every entry of `holder` without touching the records (table teardown frees them anyway). */
export function refForgetAll(holder: u32): void {
  let t = detachTable(holder);
  if (t != 0) freeTable(t, refsLog2);
}

/**
 * Takes holder's table from it (its words cleared, its entries no longer counted): the table, 0 if none
 * (refsLog2: its size).
 */
function detachTable(holder: u32): usize {
  let t = tableOf(holder);
  if (t == 0) return 0;
  entries -= refsCount;
  entitySet(holder, ENTITY_REFS, 0);
  entitySet(holder, ENTITY_REFS_N, 0);
  return t;
}

/** Gives a detached table of 2^log2 slots back to its pool. */
function freeTable(t: usize, log2: u32): void {
  refBlockFree(t, <usize>8 << log2);
  slots -= <f64>(<u32>1 << log2);
}

/** The slots of holder's table, 0 with none (debug checks read them with refSlotTarget / refSlotCount). */
export function refTableSlots(holder: u32): u32 {
  tableOf(holder);
  return refsLog2 == 0 ? 0 : <u32>1 << refsLog2;
}

/**
 * The route that slot i of holder's table references if that route is DELETED (kept only by client
 * references, in no chain or list of its table), else NIL: how teardown and the debug check find such
 * routes (the table keeps no list of them, layout ROUTE_NEXT). A route several holders reference is
 * named by each.
 */
export function refDeletedRoute(holder: u32, i: u32): u32 {
  let target = refSlotTarget(holder, i);
  if (target == EMPTY || targetKind(target) != KIND_ROUTE) return NIL;
  let r = targetSlot(target);
  return slabIsAlive(SLAB_ROUTE, r) && routeState(r) == ROUTE_STATE_DELETED ? r : NIL;
}

/** The target of slot i of holder's table (REF_SLOT_EMPTY for an empty slot); debug checks. */
export function refSlotTarget(holder: u32, i: u32): u32 { return load<u32>(<usize>entityGet(holder, ENTITY_REFS) + (<usize>i << 3)); }
/** The count of slot i of holder's table; debug checks. */
export function refSlotCount(holder: u32, i: u32): u32 { return load<u32>(<usize>entityGet(holder, ENTITY_REFS) + (<usize>i << 3), 4); }
/** The entries ENTITY_REFS_N says holder has; debug checks. */
export function refHolderEntries(holder: u32): u32 { return entityGet(holder, ENTITY_REFS_N) & REFS_N_MASK; }
