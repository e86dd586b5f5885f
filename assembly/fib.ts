// Derived forwarding structure for the unicast view (view 0) of large IPv4 tables: an 18-6-8 multibit trie
// (DESIGN "Scale targets": the RIB trie answers every RTMv2 query; lookups in the unicast view use this).
// Built when a table reaches FIB_MIN_DESTS destinations (and freed when it shrinks below a quarter of
// that), then kept in step incrementally by destSetState whenever a destination starts or stops qualifying
// (a live route in view 0, in the trie) — never rebuilt per change. A lookup is two or three dependent
// loads instead of ~20 trie nodes; a batch (fibBatch) goes level by level so that its misses overlap.
//
// Entries are u32. A leaf is (dest slot + 1) | prefix length << LEAF_LEN_SHIFT (0 = no route): the most
// specific qualifying destination that covers the entry's address range, with its length (so that painting
// and exact finds need not read the destination). CHILD | (chunk address >> 4) points to a chunk one level
// down (/18 → /24 → /32): level 1 is 262,144 entries (1 MiB) by address bits 31..14; a level-2 chunk is 64
// entries (256 B) by bits 13..8; a level-3 chunk 256 entries (1 KiB) by bits 7..0. Why 18-6-8 and not
// 16-8-8 (1 KiB level-2 chunks, one for every /16 holding a longer prefix): on the tier-1 table 20.1 bytes
// per prefix instead of 29.6, and in C (bench/ab/fibstride.c) 0.75-0.80x the lookup time for uniform random
// addresses (more of them end at level 1), even inside announced prefixes by passes, 0.85-0.91x one address
// at a time; the cost is level 1 (1 MiB against 256 KiB) for a table at the threshold.
// Level-2 chunks come four to a 1 KiB quad that belongs to one structure (so that a 1 KiB block of chunk
// memory, the unit of snapshot.ts's dirty marks, holds one table's entries only): the structure's header
// (1 KiB right after level 1, STRUCT_BYTES) holds the next free level-2 chunk of its current quad, and the
// rest of the header's 64 KiB page is the structure's first quads. Memory comes from the slab page reserve
// and goes back to free lists here when a table's structure is freed (never to TLSF).
// If memory runs out while the structure is kept in step, it is dropped and lookups use the trie again.
// Every entry written while kept in step is marked dirty (snapshot.ts) for tables being published.
// View 1 (multicast) has the same structure (TABLE_FIBM), built when FIB_MIN_DESTS destinations qualify
// there (a live route in view 1, counted in TABLE_MDESTS) and freed below a quarter; it serves lookups in
// view 1 only (exact finds and cover proofs use view 0's) and is not published (snapshots are view 0).
import { NIL, TABLE_FIB, TABLE_FIBM, TABLE_MDESTS, TABLE_FAMILY, TABLE_DESTS, TABLE_ROOT, DEST_NODE, DEST_S_DETACHED } from './layout';
import { takePages } from './slab';
import { tableGet, tableSet } from './tables';
import { node4Addr, nodeLen, nodeDest, nodeState, trieLpm4From, triePreStart, triePreNext, trieUpHint, UP_NONE } from './trie';
import { destGet, destLen, destNode } from './dests';
import { snapSelect, snapMark, snapStructure } from './snapshot';

/** Destinations at which an IPv4 table builds its forwarding structure. */
export const FIB_MIN_DESTS: u32 = 16384;
let fibMinDests: u32 = FIB_MIN_DESTS;

/** Test hook: the threshold for tables that reach it from now on (0 = FIB_MIN_DESTS). */
export function fibSetMinDests(n: u32): void { fibMinDests = n == 0 ? FIB_MIN_DESTS : n; }
// Test hook: chunk allocations left before one fails (0 = never fails), to exercise the drop on OOM.
let failAfter: u32 = 0;
/** Test hook: the n-th chunk allocation from now fails (0 = off). */
export function fibSetFailAfter(n: u32): void { failAfter = n; }
const VIEW0: u32 = 1;
/** The table word of view v's structure (v < 2). */
// @ts-ignore: decorator
@inline function fibWord(view: u32): u32 { return view == 0 ? TABLE_FIB : TABLE_FIBM; }
const CHILD: u32 = 0x80000000;
// derivation: dest slots are < 2^25 (handles.ts), so slot + 1 fits 25 bits; lengths ≤ 32 fit the 6 bits
// between it and CHILD
const LEAF_LEN_SHIFT: u32 = 25;
const LEAF_SLOT_MASK: u32 = (1 << LEAF_LEN_SHIFT) - 1;
/** Level 1: address bits 31..14 (L1_SHIFT), 2^18 entries. */
const L1_SHIFT: u32 = 14;
const L1_ENTRIES: u32 = 1 << 18;
const L1_BYTES: usize = 1 << 20;
/** Level 1, then the structure's page: its header (HDR_*) in the first KiB, its first quads in the rest. */
const STRUCT_PAGES: i32 = 17;
const STRUCT_BYTES: usize = (<usize>STRUCT_PAGES) << 16;
/** The header word holding the structure's next free level-2 chunk (0: none, take a quad). */
const HDR_NEXT_L2: usize = 0;
/** The header word holding the next unused KiB of the structure's page (0: used up). */
const HDR_CARVE: usize = 4;
/** Level 2: address bits 13..8, chunks of 64 entries (256 bytes), four to a quad. */
const L2_ENTRIES: u32 = 64;
const L2_MASK: u32 = 63;
const L2_BYTES: usize = 256;
/** Level 3: address bits 7..0, chunks of 256 entries. A quad and a level-3 chunk are CHUNK_BYTES. */
const L3_ENTRIES: u32 = 256;
const CHUNK_BYTES: usize = 1024;

// free lists (link in the first word) and the page chunks are carved from
let freeL1: usize = 0;
let freeChunks: usize = 0;
let chunkPage: usize = 0;
let chunkPageEnd: usize = 0;
const FIB_LAST_NONE: u64 = 0xffffffffffffffff;
/**
 * The (table, view) whose structure the last per-address lookup (api.ts lookup4) used — fibLastKeyOf, FIB_LAST_NONE
 * for none — and that structure: the next lookup of the same table and view goes straight to it
 * without reading the table record (the checks and loads it saves are a third of a single lookup that
 * misses the cache, because fewer instructions between lookups let the CPU overlap their misses).
 * Cleared whenever any table's structure is made or freed (build, fibFreeView: the only writers of
 * TABLE_FIB / TABLE_FIBM; a table is freed only after its structures), so it never names a structure
 * that is gone or a table that is closed.
 */
export let fibLastKey: u64 = FIB_LAST_NONE;
export let fibLastPtr: usize = 0;
/** fibLastKey of (table t, view): view << 32 | t, one key per pair (FIB_LAST_NONE: view 0xffffffff, not a view). */
// @ts-ignore: decorator
@inline export function fibLastKeyOf(t: u32, view: u32): u64 { return (<u64>view << 32) | <u64>t; }
/** Records that the per-address lookup of (t, view) uses structure fib. */
export function fibLastSet(t: u32, view: u32, fib: usize): void { fibLastKey = fibLastKeyOf(t, view); fibLastPtr = fib; }
/** Forgets the last (table, view): the next per-address lookup checks and reads its table (api.ts lookupStop). */
export function fibLastClear(): void { fibLastKey = FIB_LAST_NONE; }

/** Chunks in use by all tables (for memory accounting). */
export let fibChunksInUse: u32 = 0;
export let fibL1InUse: u32 = 0;

/** A structure's level 1 and page (STRUCT_BYTES): level 1 cleared, the header set; 0 = no memory. */
function allocL1(): usize {
  let p = freeL1;
  if (p != 0) freeL1 = <usize>load<u32>(p);
  else {
    p = takePages(STRUCT_PAGES);
    if (p == 0) return 0;
  }
  memory.fill(p, 0, L1_BYTES);
  let h = p + L1_BYTES;
  store<u32>(h + HDR_NEXT_L2, 0);
  store<u32>(h + HDR_CARVE, <u32>(h + CHUNK_BYTES));
  fibL1InUse++;
  return p;
}

/** The test hook's count of chunk allocations (fibSetFailAfter): false when this one is to fail. */
// @ts-ignore: decorator
@inline function chunkAllowed(): bool { return !(failAfter != 0 && --failAfter == 0); }

/** A level-2 chunk of the structure at fib (from its current quad, or a new quad), not filled; 0 = no memory. */
function allocL2(fib: usize): usize {
  let h = fib + L1_BYTES;
  let c = <usize>load<u32>(h + HDR_NEXT_L2);
  if (c == 0 || (c & (CHUNK_BYTES - 1)) == 0) {
    // a new quad: from the structure's page while it lasts, then from the shared chunks
    let carve = <usize>load<u32>(h + HDR_CARVE);
    if (carve != 0) {
      if (!chunkAllowed()) return 0;
      c = carve;
      carve += CHUNK_BYTES;
      store<u32>(h + HDR_CARVE, carve == fib + STRUCT_BYTES ? 0 : <u32>carve);
    } else {
      c = allocChunk();
      if (c == 0) return 0;
    }
    memory.fill(c, 0, CHUNK_BYTES);   // its unused chunks read as no route (a snapshot copies whole quads)
  }
  store<u32>(h + HDR_NEXT_L2, <u32>(c + L2_BYTES));
  return c;
}

/** A shared 1 KiB chunk (a level-3 chunk or a quad), not filled; 0 = no memory. */
function allocChunk(): usize {
  if (!chunkAllowed()) return 0;
  let p = freeChunks;
  if (p != 0) freeChunks = <usize>load<u32>(p);
  else {
    if (chunkPage == chunkPageEnd) {
      let page = takePages(1);
      if (page == 0) return 0;
      chunkPage = page;
      chunkPageEnd = page + 65536;
    }
    p = chunkPage;
    chunkPage += CHUNK_BYTES;
  }
  fibChunksInUse++;
  return p;
}

// @ts-ignore: decorator
@inline function childPtr(e: u32): usize { return <usize>(e & ~CHILD) << 4; }

/** Puts shared chunk c back on the free list. */
function freeChunk(c: usize): void {
  store<u32>(c, <u32>freeChunks);
  freeChunks = c;
  fibChunksInUse--;
}

/**
 * Frees the shared chunks of the structure at fib: its level-3 chunks, and each quad when its first
 * level-2 chunk is met (a quad's chunks are handed out from its first; a quad on the free list keeps its
 * other chunks' entries, read after it). Quads in the structure's own page go with it.
 */
function freeBelow(fib: usize): void {
  let own = fib + L1_BYTES;
  for (let i: u32 = 0; i < L1_ENTRIES; i++) {
    let e = load<u32>(fib + (<usize>i << 2));
    if ((e & CHILD) == 0) continue;
    let c2 = childPtr(e);
    for (let j: u32 = 0; j < L2_ENTRIES; j++) {
      let e2 = load<u32>(c2 + (<usize>j << 2));
      if ((e2 & CHILD) != 0) freeChunk(childPtr(e2));
    }
    if ((c2 & (CHUNK_BYTES - 1)) == 0 && (c2 < own || c2 >= fib + STRUCT_BYTES)) freeChunk(c2);
  }
}

/** Frees table t's forwarding structures of both views (table teardown). */
export function fibFree(t: u32): void { fibFreeView(t, 0); fibFreeView(t, 1); }

/** Frees table t's structure of `view` (lookups in that view use the trie again). */
function fibFreeView(t: u32, view: u32): void {
  let w = fibWord(view);
  let fib = <usize>tableGet(t, w);
  if (fib == 0) return;
  if (view == 0) snapStructure(t);
  freeBelow(fib);
  store<u32>(fib, <u32>freeL1);
  freeL1 = fib;
  fibL1InUse--;
  tableSet(t, w, 0);
  fibLastKey = FIB_LAST_NONE;
}

/** Prefix length of a leaf's destination (-1 for no route). */
// @ts-ignore: decorator
@inline function leafLen(e: u32): i32 { return e == 0 ? -1 : <i32>(e >>> LEAF_LEN_SHIFT); }
/** The leaf of destination d of length len. */
// @ts-ignore: decorator
@inline function leafOf(d: u32, len: u32): u32 { return (d + 1) | (len << LEAF_LEN_SHIFT); }

/**
 * The chunk under entry pointer `slot` (a level-2 chunk of the structure at fib under a level-1 entry when
 * `level2`, else a level-3 chunk), made from the entry's leaf if absent; 0 = no memory.
 */
function childOf(slot: usize, fib: usize, level2: bool): usize {
  let e = load<u32>(slot);
  if ((e & CHILD) != 0) return childPtr(e);
  let c = level2 ? allocL2(fib) : allocChunk();
  if (c == 0) return 0;
  let n: usize = level2 ? L2_ENTRIES : L3_ENTRIES;
  for (let i: usize = 0; i < n; i++) store<u32>(c + (i << 2), e);
  snapMark(c);
  store<u32>(slot, CHILD | <u32>(c >> 4));
  snapMark(slot);
  return c;
}

/**
 * Paints `leaf` (a destination of length len) over entries [from, from+count) where it is more specific;
 * `below`: the entries of the chunks those entries point to (L2_ENTRIES under level 1, L3_ENTRIES under
 * level 2; level-3 entries point nowhere).
 */
function paintIn(p: usize, from: u32, count: u32, leaf: u32, len: i32, below: u32): void {
  for (let i = from; i < from + count; i++) {
    let a = p + (<usize>i << 2);
    let e = load<u32>(a);
    if ((e & CHILD) != 0) paintIn(childPtr(e), 0, below, leaf, len, L3_ENTRIES);
    else if (e != leaf && leafLen(e) <= len) { store<u32>(a, leaf); snapMark(a); }
  }
}

/** Replaces `old` by `repl` over entries [from, from+count) and below (`below` as paintIn's). */
function paintOut(p: usize, from: u32, count: u32, old: u32, repl: u32, below: u32): void {
  for (let i = from; i < from + count; i++) {
    let a = p + (<usize>i << 2);
    let e = load<u32>(a);
    if ((e & CHILD) != 0) paintOut(childPtr(e), 0, below, old, repl, L3_ENTRIES);
    else if (e == old) { store<u32>(a, repl); snapMark(a); }
  }
}

/** True if destination d counts for the structure (live route in view 0, in the trie). */
// @ts-ignore: decorator
@inline export function fibQualifies(state: u32): bool { return (state & VIEW0) != 0 && (state & DEST_S_DETACHED) == 0; }
/** True if a destination state counts for the structure of qualifier qual (1 << view). */
// @ts-ignore: decorator
@inline function qualifiesIn(state: u32, qual: u32): bool { return (state & qual) != 0 && (state & DEST_S_DETACHED) == 0; }

/** Destination d of table t started qualifying; false if memory ran out (the structure is then dropped). */
function fibAdd(t: u32, fib: usize, d: u32): bool {
  let n = destNode(d);
  let len = nodeLen(n);
  return fibPaint(fib, node4Addr(n), len, leafOf(d, len));
}

/** Paints `leaf` of prefix (addr, len) where it is more specific; false if memory ran out. */
function fibPaint(fib: usize, addr: u32, len: u32, leaf: u32): bool {
  if (len <= 32 - L1_SHIFT) {
    paintIn(fib, addr >>> L1_SHIFT, 1 << (32 - L1_SHIFT - len), leaf, <i32>len, L2_ENTRIES);
    return true;
  }
  let c2 = childOf(fib + (<usize>(addr >>> L1_SHIFT) << 2), fib, true);
  if (c2 == 0) return false;
  if (len <= 24) {
    paintIn(c2, fibIndex2(addr), 1 << (24 - len), leaf, <i32>len, L3_ENTRIES);
    return true;
  }
  let c3 = childOf(c2 + (<usize>fibIndex2(addr) << 2), fib, false);
  if (c3 == 0) return false;
  paintIn(c3, addr & 255, 1 << (32 - len), leaf, <i32>len, 0);
  return true;
}

/**
 * Destination d of table t stopped qualifying: its entries go to the next less specific qualifying one,
 * found by a trie walk in the structure's view (qual) down to d's node — from the root, or from the node
 * of a qualifying cover the structure shows next to d's range (fibCover), which is most of the walk's
 * cache misses saved (a more specific prefix of a real table usually sits beside its aggregate's other
 * entries). The walk leaves d's parent in the trie's memo for the detach that follows a removal (a walk
 * for either view reaches the same node: the memo does not depend on the qualifier).
 */
function fibRemove(t: u32, fib: usize, d: u32, qual: u32): void {
  let n = destNode(d);
  let addr = node4Addr(n);
  let len = nodeLen(n);
  let repl: u32 = 0;
  // a destination inserted not long before: its recorded parent, if it still is, tells the cover and the
  // detach's memo without the walk
  let up = len > 0 ? trieUpHint(t, n, qual) : NIL;
  let proof = up == UP_NONE ? coverProof(fib, addr, len) : UNPROVEN;
  if (up != NIL && up != UP_NONE) repl = leafOf(up, destLen(up));
  else if (proof != UNPROVEN) repl = proof;
  else if (len > 0) {
    let c = fibCover(fib, addr, len);
    let q = c == NIL
      ? trieLpm4From(t, tableGet(t, TABLE_ROOT), addr, len - 1, qual, NIL)
      : trieLpm4From(t, destNode(c), addr, len - 1, qual, c);
    if (q != NIL) repl = leafOf(q, destLen(q));
  }
  let old = leafOf(d, len);
  if (len <= 32 - L1_SHIFT) { paintOut(fib, addr >>> L1_SHIFT, 1 << (32 - L1_SHIFT - len), old, repl, L2_ENTRIES); return; }
  let e1 = load<u32>(fib + (<usize>(addr >>> L1_SHIFT) << 2));
  if ((e1 & CHILD) == 0) return;   // d's entries live in a chunk; none was made, so d was never painted
  let c2 = childPtr(e1);
  if (len <= 24) { paintOut(c2, fibIndex2(addr), 1 << (24 - len), old, repl, L3_ENTRIES); return; }
  let e2 = load<u32>(c2 + (<usize>fibIndex2(addr) << 2));
  if ((e2 & CHILD) == 0) return;
  paintOut(childPtr(e2), addr & 255, 1 << (32 - len), old, repl, 0);
}

/**
 * Keeps the structures in step with a state change of destination d of IPv4 table t (called by
 * destSetState for every IPv4 table: it counts the view-1 destinations even while there is no structure).
 */
export function fibStateChanged(t: u32, d: u32, was: u32, now: u32): void {
  let fib = <usize>tableGet(t, TABLE_FIB);
  if (fib != 0) {
    let a = fibQualifies(was), b = fibQualifies(now);
    if (a != b) {
      snapSelect(t);
      if (b) { if (!fibAdd(t, fib, d)) fibFreeView(t, 0); }
      else fibRemove(t, fib, d, VIEW0);
      snapSelect(NIL);
    }
  }
  // view 1: its structure (its stores are not marked: it is not published), then its count — built at the
  // threshold (d included: its node state is already set), again every 64K after a failed build, freed
  // below a quarter
  let m0 = qualifiesIn(was, 2), m1 = qualifiesIn(now, 2);
  if (m0 == m1) return;
  let fibm = <usize>tableGet(t, TABLE_FIBM);
  snapSelect(NIL);
  if (fibm != 0) {
    if (m1) { if (!fibAdd(t, fibm, d)) fibFreeView(t, 1); }
    else fibRemove(t, fibm, d, 2);
  }
  let m = tableGet(t, TABLE_MDESTS) + (m1 ? 1 : -1);
  tableSet(t, TABLE_MDESTS, m);
  if (m1) { if (m == fibMinDests || (m > fibMinDests && (m & 0xffff) == 0)) build(t, 1); }
  else if (m < (fibMinDests >>> 2)) fibFreeView(t, 1);
}

/**
 * Paints every qualifying destination of the trie under root in one pre-order walk (key, length and
 * destination slot from the nodes, the state from the destination), so a prefix comes after every prefix
 * covering it and paints over their entries alone; false if memory ran out.
 */
function buildAll(fib: usize, root: u32, qual: u32): bool {
  triePreStart(root);
  for (let n = triePreNext(); n != NIL; n = triePreNext()) {
    let d = nodeDest(n);
    if (d != NIL && qualifiesIn(nodeState(n), qual) && !fibPaint(fib, node4Addr(n), nodeLen(n), leafOf(d, nodeLen(n)))) return false;
  }
  return true;
}

/**
 * Makes table t's structure of `view` from the destinations in its trie qualifying there (the caller
 * checked that it is an IPv4 table; none is made when it has one); false, with none made, if memory ran out.
 */
function build(t: u32, view: u32): bool {
  let w = fibWord(view);
  if (tableGet(t, w) != 0) return false;
  let fib = allocL1();
  if (fib == 0) return false;
  if (view == 0) snapStructure(t);                  // a publish copies it whole (its build is not marked)
  tableSet(t, w, <u32>fib);
  fibLastKey = FIB_LAST_NONE;
  if (buildAll(fib, tableGet(t, TABLE_ROOT), 1 << view)) return true;
  fibFreeView(t, view);
  return false;
}

/** Builds table t's structure when it is an IPv4 table with FIB_MIN_DESTS destinations and none yet. */
export function fibMaybeBuild(t: u32): void {
  if (tableGet(t, TABLE_FIB) != 0 || tableGet(t, TABLE_FAMILY) != 4) return;
  let dests = tableGet(t, TABLE_DESTS);
  // at the threshold, and again at every 64K destinations after a build failed for lack of memory
  if (dests != fibMinDests && (dests < fibMinDests || (dests & 0xffff) != 0)) return;
  build(t, 0);
}

/**
 * Builds table t's structure in one pass from the finished trie when it is an IPv4 table with at least
 * FIB_MIN_DESTS destinations and none yet (after a bulk load, assembly/bulk.ts, which adds destinations
 * without fibMaybeBuild).
 */
export function fibBuildNow(t: u32): void {
  if (tableGet(t, TABLE_FIB) != 0 || tableGet(t, TABLE_FAMILY) != 4 || tableGet(t, TABLE_DESTS) < fibMinDests) return;
  build(t, 0);
}

/**
 * Before a bulk load (bulk.ts) of up to n more destinations into table t: when it is an IPv4 table without
 * a structure that may reach FIB_MIN_DESTS, builds it now from the destinations already there, so that the
 * load paints each of its destinations as its state is set (fibStateChanged, the incremental path, while
 * its node is in cache) instead of in a walk over the finished trie. True if it built one (fibBulkEnd).
 */
export function fibBulkStart(t: u32, n: u32): bool {
  if (tableGet(t, TABLE_FIB) != 0 || tableGet(t, TABLE_FAMILY) != 4 || <u64>tableGet(t, TABLE_DESTS) + <u64>n < <u64>fibMinDests) return false;
  return build(t, 0);
}

/**
 * After the bulk load: the structure fibBulkStart built stays only when the table reached FIB_MIN_DESTS
 * (duplicates may have left fewer destinations), as a build after the load would have it; a table without
 * one builds it now (fibBuildNow: memory ran out while painting, or none was started).
 */
export function fibBulkEnd(t: u32, started: bool): void {
  if (started && tableGet(t, TABLE_FIB) != 0 && tableGet(t, TABLE_DESTS) < fibMinDests) fibFreeView(t, 0);
  fibBuildNow(t);
}

/** Frees table t's structure when it has shrunk below a quarter of the threshold (it is built again there). */
export function fibMaybeFree(t: u32): void {
  if (tableGet(t, TABLE_FIB) != 0 && tableGet(t, TABLE_DESTS) < (fibMinDests >>> 2)) fibFreeView(t, 0);
}

/** The leaf for addr in the structure at fib (0 = no route). */
// @ts-ignore: decorator
@inline function fibLeaf(fib: usize, addr: u32): u32 {
  // level 2 without a branch (a leaf reads its own level-1 slot again), as fibBatch's pass 1: the branch
  // on the level-1 entry is a coin toss for uniform random addresses (on the tier-1 table ~25,000 of the
  // 65,536 point down), and a misprediction likely flushed the loads of the calls after it
  // (Table.lookupId 0.93-0.95× the time uniform, even in-prefix: bench/ab/lookupid.mjs, both orders)
  let p = fib + (<usize>(addr >>> L1_SHIFT) << 2);
  let e = load<u32>(level2At(p, load<u32>(p), addr));
  if ((e & CHILD) != 0) e = fibEntryBelow(e, addr & 255);
  return e;
}

/** For addr, whose level-1 entry e is at p: where its level-2 entry is when e points down, else p (e's own slot). */
// @ts-ignore: decorator
@inline function level2At(p: usize, e: u32, addr: u32): usize {
  return select<usize>(childPtr(e) + (<usize>fibIndex2(addr) << 2), p, (e & CHILD) != 0);
}

// The lookup by levels, for a batch's look-ahead (hot.ts updatesTouch: one level for every record of a
// window before the next level, so that their cache misses overlap).
/** The level-1 entry for addr. */
// @ts-ignore: decorator
@inline export function fibEntry1(fib: usize, addr: u32): u32 { return load<u32>(fib + (<usize>(addr >>> L1_SHIFT) << 2)); }
/** The index in its level-2 chunk of addr's entry (fibEntryBelow of a level-1 CHILD entry; the painters' too). */
// @ts-ignore: decorator
@inline export function fibIndex2(addr: u32): u32 { return (addr >>> 8) & L2_MASK; }
/** True if entry e points to a chunk one level down. */
// @ts-ignore: decorator
@inline export function fibIsChild(e: u32): bool { return (e & CHILD) != 0; }
/** Entry i of the chunk CHILD entry e points to (0..63 of a level-2 chunk, 0..255 of a level-3 one). */
// @ts-ignore: decorator
@inline export function fibEntryBelow(e: u32, i: u32): u32 { return load<u32>(childPtr(e) + (<usize>i << 2)); }
/** The destination of leaf e when its length is len (fibExact's test), else NIL. */
// @ts-ignore: decorator
@inline export function fibLeafExact(e: u32, len: u32): u32 {
  return e != 0 && (e >>> LEAF_LEN_SHIFT) == len ? (e & LEAF_SLOT_MASK) - 1 : NIL;
}

/** The destination of leaf e when it is shorter than len (a cover of a prefix of that length at e's address), else NIL. */
// @ts-ignore: decorator
@inline export function fibLeafCover(e: u32, len: u32): u32 {
  return e != 0 && (e >>> LEAF_LEN_SHIFT) < len ? (e & LEAF_SLOT_MASK) - 1 : NIL;
}

/** Most specific qualifying destination for addr in the structure at fib, or NIL. */
// @ts-ignore: decorator
@inline export function fibLookup(fib: usize, addr: u32): u32 {
  return (fibLeaf(fib, addr) & LEAF_SLOT_MASK) - 1;   // leaf 0 (no route) → NIL
}

/**
 * Batch lookup of n IPv4 addresses (u32 each from inp) → dest slots or NIL at out; returns the hits. By
 * levels rather than address by address: pass 1 reads every address's level-1 entry and writes to out
 * where its level-2 entry is (or, for a leaf, where that leaf is: the level-1 slot itself); pass 2 is
 * nothing but those loads (the cache and TLB misses), each entry written over the address it was read
 * from; pass 3 goes to level 3 where an entry still points down (prefixes longer than /24: a branch that
 * is rarely taken) and writes the answers. Passes 1 and 3 work on four addresses to a 128-bit vector
 * (Wasm SIMD; pass 1 loads the four level-1 entries one by one, Wasm has no gather) and pass 2 is
 * unrolled by eight (V8 checks for interrupts at every loop back edge), so the misses of dozens of
 * addresses are in flight together. Pass 2 does nothing with an entry but store it: the OR of every entry
 * it once made (to skip pass 3's level-3 test) cost about a sixth of the batch (bench/ab/lookup.mjs, both
 * orders, 2026-12-05), likely because each OR waits for a miss in a scheduler slot (this VM has no
 * hardware counters to show it); the vectors of passes 1 and 3 took another 5-15 %.
 */
export function fibBatch(fib: usize, inp: usize, out: usize, n: u32): u32 {
  let end = <usize>n << 2, quads = end & ~<usize>15, octs = end & ~<usize>31;
  // 1. level 1 (1 MiB, mostly cache hits): where each address's entry below is, or its leaf's own slot
  let o: usize = 0;
  let fibv = i32x4.splat(<i32>fib), zero = i32x4.splat(0), low = i32x4.splat(<i32>~CHILD), ff = i32x4.splat(<i32>L2_MASK);
  for (; o < quads; o += 16) {
    let a = v128.load(inp + o);
    let p = i32x4.add(fibv, i32x4.shl(i32x4.shr_u(a, L1_SHIFT), 2));   // the level-1 slots
    let e = i32x4.splat(load<i32>(<usize>i32x4.extract_lane(p, 0)));
    e = i32x4.replace_lane(e, 1, load<i32>(<usize>i32x4.extract_lane(p, 1)));
    e = i32x4.replace_lane(e, 2, load<i32>(<usize>i32x4.extract_lane(p, 2)));
    e = i32x4.replace_lane(e, 3, load<i32>(<usize>i32x4.extract_lane(p, 3)));
    // step1 for four: childPtr(e) + the level-2 index, or the slot itself where e is a leaf (CHILD is the sign bit)
    let below = i32x4.add(i32x4.shl(v128.and(e, low), 4), i32x4.shl(v128.and(i32x4.shr_u(a, 8), ff), 2));
    v128.store(out + o, v128.bitselect(below, p, i32x4.lt_s(e, zero)));
  }
  for (; o < end; o += 4) step1(fib, inp + o, out + o);
  // 2. the level-2 loads (the misses), eight to a loop turn, nothing else in the loop
  for (o = 0; o < octs; o += 32) {
    let e0 = load<u32>(<usize>load<u32>(out + o));
    let e1 = load<u32>(<usize>load<u32>(out + o, 4));
    let e2 = load<u32>(<usize>load<u32>(out + o, 8));
    let e3 = load<u32>(<usize>load<u32>(out + o, 12));
    let e4 = load<u32>(<usize>load<u32>(out + o, 16));
    let e5 = load<u32>(<usize>load<u32>(out + o, 20));
    let e6 = load<u32>(<usize>load<u32>(out + o, 24));
    let e7 = load<u32>(<usize>load<u32>(out + o, 28));
    store<u32>(out + o, e0); store<u32>(out + o, e1, 4); store<u32>(out + o, e2, 8); store<u32>(out + o, e3, 12);
    store<u32>(out + o, e4, 16); store<u32>(out + o, e5, 20); store<u32>(out + o, e6, 24); store<u32>(out + o, e7, 28);
  }
  for (; o < end; o += 4) store<u32>(out + o, load<u32>(<usize>load<u32>(out + o)));
  // 3. the answers, four to a vector, through level 3 where an entry still points down
  let child = i32x4.splat(<i32>CHILD), mask = i32x4.splat(<i32>LEAF_SLOT_MASK), one = i32x4.splat(1), nil = i32x4.splat(-1);
  let found = i32x4.splat(0);   // per lane: minus the hits
  for (o = 0; o < quads; o += 16) {
    let v = v128.load(out + o);
    if (v128.any_true(v128.and(v, child))) {
      down(inp + o, out + o); down(inp + o + 4, out + o + 4); down(inp + o + 8, out + o + 8); down(inp + o + 12, out + o + 12);
      v = v128.load(out + o);
    }
    let d = i32x4.sub(v128.and(v, mask), one);   // answer(): leaf 0 (no route) → NIL
    v128.store(out + o, d);
    found = i32x4.add(found, i32x4.ne(d, nil));   // -1 for a hit
  }
  let hits = <u32>-(i32x4.extract_lane(found, 0) + i32x4.extract_lane(found, 1) + i32x4.extract_lane(found, 2) + i32x4.extract_lane(found, 3));
  for (; o < end; o += 4) hits += step3(inp + o, out + o);
  return hits;
}

/** fibBatch pass 3 for the address at a whose entry so far is at q: its level-3 entry to q when the entry points down. */
// @ts-ignore: decorator
@inline function down(a: usize, q: usize): void {
  let e = load<u32>(q);
  if ((e & CHILD) != 0) store<u32>(q, fibEntryBelow(e, load<u32>(a) & 255));
}

/** fibBatch step 1 for the address at a: to q, the address of its level-2 entry or of its level-1 leaf. */
// @ts-ignore: decorator
@inline function step1(fib: usize, a: usize, q: usize): void {
  let addr = load<u32>(a);
  let p = fib + (<usize>(addr >>> L1_SHIFT) << 2);
  store<u32>(q, level2At(p, load<u32>(p), addr));
}

/** fibBatch step 3 for the address at a whose entry so far is at q: its answer to q; 1 for a hit. */
// @ts-ignore: decorator
@inline function step3(a: usize, q: usize): u32 {
  down(a, q);
  return answer(q, load<u32>(q));
}

/** Stores the dest slot of leaf e (NIL for 0, no route) to q; 1 for a hit. */
// @ts-ignore: decorator
@inline function answer(q: usize, e: u32): u32 {
  let d = (e & LEAF_SLOT_MASK) - 1;
  store<u32>(q, d);
  return <u32>(d != NIL);
}

/**
 * The qualifying destination (addr, len) when the structure can tell, else NIL (the caller then asks the
 * trie). Derivation: a prefix of length len covering addr is unique, so when the most specific qualifying
 * destination covering addr has length len, it is (addr, len) — no key compare is needed.
 */
// @ts-ignore: decorator
@inline export function fibExact(fib: usize, addr: u32, len: u32): u32 { return fibLeafExact(fibLeaf(fib, addr), len); }

/**
 * A qualifying destination strictly covering the prefix (addr, len) (addr masked, 0 < len ≤ 32) as the
 * structure shows it, or NIL (none, or none shown). Derivations: 1. the leaf at addr is the most specific
 * qualifying destination covering addr; if it is shorter than len, it is the most specific qualifying
 * cover of the prefix (any cover covers addr), and if there is none at all, there is no cover; 2. a leaf
 * of length l at an address b outside the prefix covers the prefix iff l < len and b agrees with addr on
 * the first l bits (nested prefixes) — the addresses just before and after the range are tried (their
 * leaves, in the same chunk or the next, are often the aggregate the prefix sits in).
 */
export function fibCover(fib: usize, addr: u32, len: u32): u32 {
  let e = fibLeaf(fib, addr);
  if (e == 0) return NIL;                                                           // 1.
  let l = e >>> LEAF_LEN_SHIFT;
  if (l < len) return (e & LEAF_SLOT_MASK) - 1;
  let best: u32 = 0;                                                                // 2.
  if (addr != 0) best = coverAt(fib, addr - 1, addr, len, best);
  let end = addr + (0xffffffff >>> len);   // the range's last address
  if (end != 0xffffffff) best = coverAt(fib, end + 1, addr, len, best);
  return (best & LEAF_SLOT_MASK) - 1;      // 0 → NIL
}

/** The leaf at address b when it covers (addr, len) and is longer than `best` (a leaf, 0 = none); else best. */
// @ts-ignore: decorator
@inline function coverAt(fib: usize, b: u32, addr: u32, len: u32, best: u32): u32 {
  let e = fibLeaf(fib, b);
  let l = e >>> LEAF_LEN_SHIFT;
  // l == 0 (a default route) covers everything; else the first l bits of b and addr agree
  let covers = e != 0 && l < len && (l == 0 || ((b ^ addr) >>> (32 - l)) == 0);
  return covers && (best == 0 || l > (best >>> LEAF_LEN_SHIFT)) ? e : best;
}

/** coverProof's answer when the structure does not tell (not a leaf: the CHILD bit is set). */
const UNPROVEN: u32 = 0xffffffff;

/**
 * The most specific qualifying destination strictly covering the prefix (addr, len) (addr masked,
 * 0 < len ≤ 32) as a leaf (0: none covers it) when the structure proves it, else UNPROVEN. Derivations:
 * 1. the leaf at addr, when shorter than len, is it (fibCover 1.), and no leaf there means no cover;
 * 2. a more specific qualifying cover Y than the best cover the leaves just before and after the range
 * show (fibCover 2.) would contain one of those two addresses (Y is longer than the range and aligned, so
 * the range is not at both its ends), and the leaf there, the most specific qualifying destination
 * covering it, would be Y or longer than Y; so a side proves that no such Y contains it when its leaf is
 * none, a cover, no longer than the best, or its address agrees with addr on no more bits than the best
 * has (a Y containing it would be a common prefix of both).
 */
function coverProof(fib: usize, addr: u32, len: u32): u32 {
  let e = fibLeaf(fib, addr);
  if (e == 0) return 0;                                                              // 1.
  if ((e >>> LEAF_LEN_SHIFT) < len) return e;
  let end = addr + (0xffffffff >>> len);                                             // 2.
  let lo: u32 = addr != 0 ? fibLeaf(fib, addr - 1) : 0;
  let hi: u32 = end != 0xffffffff ? fibLeaf(fib, end + 1) : 0;
  let loCovers = coversRange(lo, addr - 1, addr, len), hiCovers = coversRange(hi, end + 1, addr, len);
  let best: u32 = 0;
  if (loCovers) best = lo;
  if (hiCovers && (best == 0 || (hi >>> LEAF_LEN_SHIFT) > (best >>> LEAF_LEN_SHIFT))) best = hi;
  let bestLen: i32 = leafLen(best);
  if (lo != 0 && !loCovers && leafLen(lo) > bestLen && <i32>clz((addr - 1) ^ addr) > bestLen) return UNPROVEN;
  if (hi != 0 && !hiCovers && leafLen(hi) > bestLen && <i32>clz((end + 1) ^ addr) > bestLen) return UNPROVEN;
  return best;
}

/** True if leaf e, found at address b, covers the prefix (addr, len) (coverAt's test). */
// @ts-ignore: decorator
@inline function coversRange(e: u32, b: u32, addr: u32, len: u32): bool {
  let l = e >>> LEAF_LEN_SHIFT;
  return e != 0 && l < len && (l == 0 || ((b ^ addr) >>> (32 - l)) == 0);
}

/**
 * Debug (checkInvariants): the structure at fib is well formed. Its level-2 chunks are 256-byte aligned and
 * lie in its own page past the header or outside its level 1 and page; its level-3 chunks are 1 KiB aligned
 * and outside them; level-3 entries point nowhere; the chunks of its current quad not yet handed out read
 * as no route (a snapshot copies whole quads: a stale child pointer there would be copied too).
 */
export function fibCheck(fib: usize): bool {
  let h = fib + L1_BYTES, end = fib + STRUCT_BYTES;
  for (let i: u32 = 0; i < L1_ENTRIES; i++) {
    let e = load<u32>(fib + (<usize>i << 2));
    if ((e & CHILD) == 0) continue;
    let c2 = childPtr(e);
    if ((c2 & (L2_BYTES - 1)) != 0 || (c2 >= fib && c2 < h + CHUNK_BYTES)) return false;
    for (let j: u32 = 0; j < L2_ENTRIES; j++) {
      let e2 = load<u32>(c2 + (<usize>j << 2));
      if ((e2 & CHILD) == 0) continue;
      let c3 = childPtr(e2);
      if ((c3 & (CHUNK_BYTES - 1)) != 0 || (c3 >= fib && c3 < end)) return false;
      for (let k: u32 = 0; k < L3_ENTRIES; k++) if ((load<u32>(c3 + (<usize>k << 2)) & CHILD) != 0) return false;
    }
  }
  let next = <usize>load<u32>(h + HDR_NEXT_L2);
  if (next != 0) {
    for (let a = next; (a & (CHUNK_BYTES - 1)) != 0; a += 4) if (load<u32>(a) != 0) return false;
  }
  return true;
}

/** Bytes held by forwarding structures (level 1 and page of each, shared chunks in use). */
export function fibBytes(): f64 {
  return <f64>fibL1InUse * <f64>STRUCT_BYTES + <f64>fibChunksInUse * <f64>CHUNK_BYTES;
}
