// The extra index (issue 13): which extra record a destination or a route has, and (XI_QUEUED) the queued
// bits of a destination in its table's registrations beyond the first eight. Extra records (layout
// DESTX_*, ROUTEX_*) hold what only hold-down, locks, marks, the multicast view, route lists, expiry
// timers and unusual neighbours use, so few records have one; naming it in a word of every destination
// and every route cost 4 bytes each. Instead a bit of the record says that it has one (layout DEST_S_X,
// ROUTE_X_BIT) and this index says which: per table, one hash map per kind (XI_DEST, XI_ROUTE) from record
// slot to extra slot, and XI_QUEUED from destination slot to queued bits (layout TABLE_XI), open
// addressing with linear probing, at most half full, an entry deleted by shifting the entries after it
// back (no tombstones; the slot primitives are slots.ts's, as the reference tables' are). Each map is one
// block of a pool of its own (blocks.ts POOL_XI: its growth never takes the room the reference tables'
// pool keeps for them), 8 bytes an entry (record slot, value; an empty entry's key is SLOT_EMPTY).
// Allocation: a map grows (doubles, rehashed) in xiReserve, which the extra records' reservations call
// (dests.ts destXReserveN, routes.ts routeXReserveN) with the slab's, and notify.ts notifyReserve with
// the queues', and in xiRoom before a put when it can; xiPut never needs memory. A map is kept at most
// half full where memory allows, and never full.
// A removal frees nothing (a reservation made earlier in the same operation stays good): a map keeps its
// size while its table lives, as a holder's reference table does (refs.ts), and the table's teardown
// frees it (xiFree). Costs: O(1) expected per get / put / delete, one cache line mostly; only records
// whose bit is set are looked up (their table's record first).
import { NIL, TABLE_XI } from './layout';
import { xiBlockAlloc, xiBlockFree } from './blocks';
import { tablePtr } from './tables';
import { SLOT_EMPTY, probe, deleteAt, slotsRehash } from './slots';

/** The map of destinations (SLAB_DEST slot → SLAB_DESTX slot). */
export const XI_DEST: u32 = 0;
/** The map of routes (SLAB_ROUTE slot → SLAB_ROUTEX slot). */
export const XI_ROUTE: u32 = 1;
/**
 * The map of queued bits (SLAB_DEST slot → bit i - DEST_QUEUED_INLINE set while the destination is queued
 * in the table's registration of index i ≥ DEST_QUEUED_INLINE; notify.ts): an entry only while a bit is set.
 */
export const XI_QUEUED: u32 = 2;
/** The maps of a table. */
const MAPS: u32 = 3;

/** A map's two words in its table's record: its block's address (0 = none), then entries << COUNT_SHIFT | log2. */
const M_TABLE: usize = 0;
const M_META: usize = 4;
const COUNT_SHIFT: u32 = 5;
const LOG2_MASK: u32 = (1 << COUNT_SHIFT) - 1;
/** Entries of a map's first block (8 bytes each: a 64-byte block). */
const FIRST_LOG2: u32 = 3;
/** Record slots have 25 bits: a map at most half full never needs more than 2^26 entries. */
const MAX_LOG2: u32 = 26;

/** The address of map m's words in table t's record. */
// @ts-ignore: decorator
@inline function mapOf(t: u32, m: u32): usize { return tablePtr(t) + ((<usize>TABLE_XI + (<usize>m << 1)) << 2); }
// @ts-ignore: decorator
@inline function log2Of(mp: usize): u32 { return load<u32>(mp, M_META) & LOG2_MASK; }
// @ts-ignore: decorator
@inline function countOf(mp: usize): u32 { return load<u32>(mp, M_META) >>> COUNT_SHIFT; }
// @ts-ignore: decorator
@inline function setMeta(mp: usize, count: u32, log2: u32): void { store<u32>(mp, (count << COUNT_SHIFT) | log2, M_META); }
/** The extra slot of record `key` in map m of table t, or NIL for none (asked only when the record's bit says it has one). */
export function xiGet(t: u32, m: u32, key: u32): u32 {
  let mp = mapOf(t, m), table = <usize>load<u32>(mp, M_TABLE);
  if (table == 0) return NIL;
  let q = probe(table, log2Of(mp), key);
  return load<u32>(q) == key ? load<u32>(q, 4) : NIL;
}

/** Entries in use in map m of table t. */
export function xiCount(t: u32, m: u32): u32 { return countOf(mapOf(t, m)); }

/** Gives map mp a block of 2^log2 entries holding its entries; false (nothing changed) when memory is exhausted. */
function resize(mp: usize, log2: u32): bool {
  let old = <usize>load<u32>(mp, M_TABLE), oldLog2 = log2Of(mp);
  let table = xiBlockAlloc(<usize>8 << log2);
  if (table == 0) return false;
  slotsRehash(old, oldLog2, table, log2);
  if (old != 0) xiBlockFree(old, <usize>8 << oldLog2);
  store<u32>(mp, <u32>table, M_TABLE);
  setMeta(mp, countOf(mp), log2);
  return true;
}

/** Makes sure n more entries fit in map m of table t without memory: false (nothing changed) when memory is exhausted. */
export function xiReserve(t: u32, m: u32, n: u32): bool {
  if (n == 0) return true;
  let mp = mapOf(t, m), need = <u64>countOf(mp) + <u64>n;
  let log2: u32 = load<u32>(mp, M_TABLE) == 0 ? 0 : log2Of(mp);
  if (log2 != 0 && need * 2 <= (<u64>1 << log2)) return true;
  let want = log2 < FIRST_LOG2 ? FIRST_LOG2 : log2;
  while ((<u64>1 << want) < need * 2) want++;
  return want <= MAX_LOG2 && resize(mp, want);
}

/**
 * Makes room in map m of table t for one xiPut: grows the map when the entry would take it past half full
 * (as xiReserve), and when memory refuses, true still while an entry would stay empty (a probe ends at an
 * empty entry). Reservations are made one by one, each for what it needs, so the puts of one operation may
 * outnumber what the map had room for at its last reservation; they never fill it: each reservation left it
 * at most half full, and an operation reserves a map at most a few times.
 */
export function xiRoom(t: u32, m: u32): bool {
  if (xiReserve(t, m, 1)) return true;
  let mp = mapOf(t, m);
  return load<u32>(mp, M_TABLE) != 0 && <u64>countOf(mp) + 2 <= (<u64>1 << log2Of(mp));
}

/** Records that `key` has extra slot x in map m of table t (xiRoom made room; replaces any entry of key). */
export function xiPut(t: u32, m: u32, key: u32, x: u32): void {
  let mp = mapOf(t, m), table = <usize>load<u32>(mp, M_TABLE);
  let log2 = log2Of(mp), count = countOf(mp);
  // room made: the block exists and an entry stays empty after this one
  assert(table != 0 && <u64>count + 2 <= (<u64>1 << log2));
  if (table == 0) return;
  let q = probe(table, log2, key);
  if (load<u32>(q) != key) {
    store<u32>(q, key);
    setMeta(mp, count + 1, log2);
  }
  store<u32>(q, x, 4);
}

/** Removes the entry of `key` from map m of table t, if any; frees nothing. */
export function xiDelete(t: u32, m: u32, key: u32): void {
  let mp = mapOf(t, m), table = <usize>load<u32>(mp, M_TABLE);
  if (table == 0) return;
  let log2 = log2Of(mp), q = probe(table, log2, key);
  if (load<u32>(q) != key) return;
  deleteAt(table, log2, q);
  setMeta(mp, countOf(mp) - 1, log2);
}

/** Frees table t's maps (its teardown, when no record of it is left). */
export function xiFree(t: u32): void {
  for (let m: u32 = 0; m < MAPS; m++) {
    let mp = mapOf(t, m), table = <usize>load<u32>(mp, M_TABLE);
    assert(countOf(mp) == 0);
    if (table != 0) xiBlockFree(table, <usize>8 << log2Of(mp));
    store<u32>(mp, 0, M_TABLE);
    setMeta(mp, 0, 0);
  }
}

/** Debug: every entry of map m of table t is found from its home without crossing an empty entry, and the count is right. */
export function xiValid(t: u32, m: u32): bool {
  let mp = mapOf(t, m), table = <usize>load<u32>(mp, M_TABLE), count = countOf(mp);
  if (table == 0) return count == 0;
  let log2 = log2Of(mp), n: u32 = 0;
  if (<u64>count + 1 > (<u64>1 << log2)) return false;   // an entry stays empty (xiRoom)
  for (let p = table, end = table + (<usize>8 << log2); p < end; p += 8) {
    let k = load<u32>(p);
    if (k == SLOT_EMPTY) continue;
    n++;
    if (probe(table, log2, k) != p) return false;
  }
  return n == count;
}
