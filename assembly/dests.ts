// Destinations: one record per prefix present in a table, hung off a trie node. This file owns the
// dest record accessors, creation (trie node + record, all-or-nothing) and removal. A destination's
// key is its node's key; an IPv4 destination that is a trie leaf, or out of the trie, holds it itself
// (layout DEST_S_LEAF: destNode gives its leaf id, which the trie.ts accessors answer for). Routes,
// best routes and presence rules (spec §7.4) build on these in the route layer; here a destination is
// present from destCreate until destRemove. It also owns the out-of-line extra record (layout DESTX_*:
// hold-down, marks, locks, the multicast view's best route; state bit DEST_S_X, its slot in the table's
// extra index, xindex.ts), allocated by destXEnsure — which the exports that set an extra word call
// before any change — and freed when its words are all back at their defaults (destXSet) or with the
// destination. Exact finds of IPv4 prefixes the forwarding structure cannot answer go through a
// 4,096-entry cache of hints (64 KiB of static data: 16 bytes × 4,096) before the trie walk.
import {
  NIL, SLAB_DEST, DEST_WORDS, DEST_GEN, DEST_TABLE, DEST_TABLE_MASK, DEST_NODE, DEST_STATE, DEST_ROUTES, DEST_S_B0X,
  SLAB_ROUTE, ROUTE_WORDS, ROUTE_VIEWS, ROUTE_NEXT, ROUTE_END, ROUTE_B0_BIT,
  TABLE_DESTS, TABLE_POPULATED, TABLE_LIVE, TABLE_ROOT, DEST_S_POPULATED, GEN_MASK, DESTX_LOCK, LOCK_NONE, LOCK_K_DEST, DEST_S_DETACHED,
  TABLE_FIB, TABLE_FAMILY, DEST_S_LIVE, DEST_S_X, SLAB_DESTX, DESTX_WORDS, DESTX_DEST, DESTX_HELD, DESTX_HOLD_VIEWS, DESTX_HEAPPOS, TABLE_FIB6,
  DEST_S_LEAF, DEST_S_KEY6, NODE_ID6, DEST_S_BITS, NODE_LEAF, DESTX_BEST1, DEST_PINS_SHIFT,
} from './layout';
import { slabAlloc, slabAllocK, slabFree, recPtr, slabReserve, slabIsAlive, slabLive, slabHigh } from './slab';
import { prefixEq } from './addr';
import { tableGet, tableSet } from './tables';
import { fibStateChanged, fibMaybeBuild, fibMaybeFree, fibExact, fibCover } from './fib';
import { fib6StateChanged, fib6MaybeBuild, fib6MaybeFree, fib6At } from './fib6';
import { trieInsert, trieFind4, trieFind6, find6Cover, find6CoverUp, find6CoverUp2, trieDetach, nodeDest, setNodeDest, setNodeState, nodeKey, node4Addr, nodeLen, trieTombstone,
  nodeReserve, nodeLongs, nodeIsLeaf, trieKeepKey, trieDropKey,
  trieFreeTombstone, nodeChild, trieEpoch, find4Cover, find4CoverUp, trieUpParent, nodeKeyWords, tombstoneReserve } from './trie';
import { lockAgainst, lockForget } from './locks';
import { XI_DEST, xiGet, xiPut, xiDelete, xiReserve, xiRoom } from './xindex';

// @ts-ignore: decorator
@inline export function destPtr(d: u32): usize { return recPtr(SLAB_DEST, d, DEST_WORDS); }
// @ts-ignore: decorator
@inline export function destGet(d: u32, w: u32): u32 { return load<u32>(destPtr(d) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function destSet(d: u32, w: u32, v: u32): void { store<u32>(destPtr(d) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function destGen(d: u32): u32 { return destGet(d, DEST_GEN) & GEN_MASK; }
/** Destination d's table (its table word also holds queued bits: layout DEST_QUEUED_SHIFT). */
// @ts-ignore: decorator
@inline export function destTable(d: u32): u32 { return destGet(d, DEST_TABLE) & DEST_TABLE_MASK; }
/** DEST_S_KEY6 << KEY6_TO_ID6 == NODE_ID6 (layout.ts: bits 19 and 30). */
const KEY6_TO_ID6: u32 = 11;
/**
 * Destination d's trie node (or tombstone): its own leaf id when it holds its key (DEST_S_LEAF: a leaf of
 * the trie, or a destination out of it; NODE_ID6 with it for an IPv6 one, DEST_S_KEY6), else DEST_NODE.
 */
// @ts-ignore: decorator
@inline export function destNode(d: u32): u32 {
  let st = destGet(d, DEST_STATE);
  // derivation: DEST_S_KEY6 (bit 19) shifted by KEY6_TO_ID6 is NODE_ID6 (bit 30)
  return (st & DEST_S_LEAF) == 0 ? destGet(d, DEST_NODE) : NODE_LEAF | d | ((st & DEST_S_KEY6) << KEY6_TO_ID6);
}
// @ts-ignore: decorator
@inline export function destKey(d: u32): usize { return nodeKey(destNode(d)); }
/** Destination d's pins (non-NULL opaque slots, marks; layout DEST_PINS_SHIFT). */
// @ts-ignore: decorator
@inline export function destPins(d: u32): u32 { return destGet(d, DEST_STATE) >>> DEST_PINS_SHIFT; }
// route words read and written here (routes.ts owns the route layer; these are its layout's words)
// @ts-ignore: decorator
@inline function rWord(r: u32, w: u32): u32 { return load<u32>(recPtr(SLAB_ROUTE, r, ROUTE_WORDS) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function rSetWord(r: u32, w: u32, v: u32): void { store<u32>(recPtr(SLAB_ROUTE, r, ROUTE_WORDS) + (<usize>w << 2), v); }

/**
 * The route after r in its destination's chain, NIL after the last (whose link is ROUTE_END | the
 * destination: layout ROUTE_NEXT) — every walk of a chain steps with it.
 */
// @ts-ignore: decorator
@inline export function chainNext(r: u32): u32 {
  let x = rWord(r, ROUTE_NEXT);
  return (x & ROUTE_END) != 0 ? NIL : x;
}

/** The first route of destination d's chain in view 0, NIL for none (mostly the chain's first route). */
// @ts-ignore: decorator
@inline export function destFirst0(d: u32): u32 {
  let r = destGet(d, DEST_ROUTES);
  while (r != NIL && (rWord(r, ROUTE_VIEWS) & 1) == 0) r = chainNext(r);
  return r;
}

/** The chain route of d that carries ROUTE_B0_BIT (d has DEST_S_B0X: there is one). */
function destB0(d: u32): u32 {
  let r = destGet(d, DEST_ROUTES);
  while (r != NIL && (rWord(r, ROUTE_VIEWS) & ROUTE_B0_BIT) == 0) r = chainNext(r);
  assert(r != NIL); // DEST_S_B0X: a route of the chain carries the bit (destSetBest)
  return r;
}

/**
 * The best route of view v (0 or 1) of destination d, NIL for none. View 0's: the chain's first route in
 * view 0, or with DEST_S_B0X the incumbent that carries ROUTE_B0_BIT (layout DEST_WORDS). View 1's lives
 * in the extra record: destXGet(d, DESTX_BEST1), written out so that the hot paths that read both views
 * inline it. Between a change of the chain and the recompute that follows it (routes.ts destRecompute,
 * which takes the incumbents saved before the change) view 0's may not be read.
 */
// @ts-ignore: decorator
@inline export function destBest(d: u32, v: u32): u32 {
  if (v == 0) return (destGet(d, DEST_STATE) & DEST_S_B0X) == 0 ? destFirst0(d) : destB0(d);
  let x = destX(d);
  return x == NIL ? NIL : load<u32>(destXPtr(x) + (<usize>DESTX_BEST1 << 2));
}
/**
 * Sets the best route of view v of destination d. A view-1 best route needs d's extra record: the change
 * that put a route into view 1 reserved it (routes.ts routeViewsReserve); NIL may free the record. View
 * 0's is destSetBest0 with the chain's first route in view 0 (walked here).
 */
// @ts-ignore: decorator
@inline export function destSetBest(d: u32, v: u32, r: u32): void {
  if (v == 0) destSetBest0(d, r, destFirst0(d));
  else if (r != NIL || destHasX(d)) destXSet(d, DESTX_BEST1, r);   // (NIL without a record: nothing to write)
}
/**
 * Sets the best route of view 0 of destination d to r (NIL, or a live route of d's chain in view 0), given
 * `first`, the chain's first route in view 0: r == first needs nothing, else r carries ROUTE_B0_BIT and d
 * DEST_S_B0X. No allocation: a change can always record it.
 */
export function destSetBest0(d: u32, r: u32, first: u32): void {
  let old = destGet(d, DEST_STATE), st = old;
  if ((st & DEST_S_B0X) != 0) {
    // the exception ends or moves: no route of the chain keeps the bit
    for (let c = destGet(d, DEST_ROUTES); c != NIL; c = chainNext(c)) rSetWord(c, ROUTE_VIEWS, rWord(c, ROUTE_VIEWS) & ~ROUTE_B0_BIT);
    st &= ~DEST_S_B0X;
  }
  if (r != first) {
    assert(r != NIL); // a view with a live route has a best route
    rSetWord(r, ROUTE_VIEWS, rWord(r, ROUTE_VIEWS) | ROUTE_B0_BIT);
    st |= DEST_S_B0X;
  }
  if (st != old) destSet(d, DEST_STATE, st);
}
// @ts-ignore: decorator
@inline export function destLen(d: u32): u32 { return nodeLen(destNode(d)); }

// ── the extra record (layout DESTX_*) ────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function destXPtr(x: u32): usize { return recPtr(SLAB_DESTX, x, DESTX_WORDS); }

/** True if destination d has an extra record (layout DEST_S_X). */
// @ts-ignore: decorator
@inline export function destHasX(d: u32): bool { return (destGet(d, DEST_STATE) & DEST_S_X) != 0; }

/** The slot of d's extra record (SLAB_DESTX), NIL for none: the extra index answers when d's bit says it has one. */
// @ts-ignore: decorator
@inline export function destX(d: u32): u32 { return destHasX(d) ? xiGet(destTable(d), XI_DEST, d) : NIL; }

/** The default of extra word w (the value it has while the destination has no extra record). */
// @ts-ignore: decorator
@inline export function destXDefault(w: u32): u32 {
  return w == DESTX_HELD || w == DESTX_HELD + 1 || w == DESTX_HEAPPOS || w == DESTX_LOCK || w == DESTX_BEST1 ? NIL : 0;
}

/** Extra word w of destination d (DESTX_*), or its default when d has no extra record. */
export function destXGet(d: u32, w: u32): u32 {
  let x = destX(d);
  return x == NIL ? destXDefault(w) : load<u32>(destXPtr(x) + (<usize>w << 2));
}

/**
 * Makes sure n destinations of table t without an extra record can be given one: a free record and a
 * place in t's extra index each.
 */
export function destXReserveN(t: u32, n: u32): bool { return slabReserve(SLAB_DESTX, n) && xiReserve(t, XI_DEST, n); }

/** Makes sure d's next destXEnsure cannot fail: true if d has its extra record or one can be given. */
export function destXReserve(d: u32): bool { return destHasX(d) || destXReserveN(destTable(d), 1); }

/** Gives d an extra record if it has none; false (nothing changed) when memory is exhausted. */
export function destXEnsure(d: u32): bool {
  if (destHasX(d)) return true;
  let t = destTable(d);
  if (!xiRoom(t, XI_DEST)) return false;
  let x = slabAlloc(SLAB_DESTX);
  if (x == NIL) return false;
  let p = destXPtr(x);
  for (let w: u32 = 1; w < DESTX_WORDS; w++) store<u32>(p + (<usize>w << 2), destXDefault(w));
  store<u32>(p + (<usize>DESTX_DEST << 2), d);
  xiPut(t, XI_DEST, d, x);
  destSet(d, DEST_STATE, destGet(d, DEST_STATE) | DEST_S_X);
  return true;
}

/** True if every word of extra record x is at its default. */
function destXIdle(x: u32): bool {
  let p = destXPtr(x);
  for (let w: u32 = 1; w < DESTX_WORDS; w++) if (load<u32>(p + (<usize>w << 2)) != destXDefault(w)) return false;
  return true;
}

/** Frees d's extra record (if any): out of the extra index, DEST_S_X clear. */
function destXDrop(d: u32): void {
  let x = destX(d);
  if (x == NIL) return;
  slabFree(SLAB_DESTX, x);
  xiDelete(destTable(d), XI_DEST, d);
  destSet(d, DEST_STATE, destGet(d, DEST_STATE) & ~DEST_S_X);
}

/** Frees d's extra record if all its words are at their defaults (after an export that ensured one). */
export function destXTidy(d: u32): void {
  let x = destX(d);
  if (x != NIL && destXIdle(x)) destXDrop(d);
}

/** True if extra-record slot x is in use: its back link names a live destination that links to it. */
export function destXInUse(x: u32): bool {
  let d = load<u32>(destXPtr(x) + (<usize>DESTX_DEST << 2));
  return slabIsAlive(SLAB_DEST, d) && destX(d) == x;
}

/** True if every word of extra record x is at its default (exported for the debug checks). */
export function destXIsIdle(x: u32): bool { return destXIdle(x); }

/**
 * Sets extra word w of destination d. A non-default value needs the record: the caller made sure of it
 * with destXEnsure before its first change (a missing one is a bug: asserted, and the write is lost in
 * release builds rather than trapping). A default value frees the record when all its words are idle.
 */
export function destXSet(d: u32, w: u32, v: u32): void {
  let x = destX(d);
  if (x == NIL) {
    if (v == destXDefault(w)) return;
    let ok = destXEnsure(d);
    assert(ok);            // reserved by the caller before any change
    if (!ok) return;
    x = destX(d);
  }
  store<u32>(destXPtr(x) + (<usize>w << 2), v);
  if (v == destXDefault(w) && destXIdle(x)) destXDrop(d);
}

/** Destination extra records in use, every table (tests: plain routes need none). */
export function destExtraCount(): u32 { return slabLive(SLAB_DESTX); }

/** True if d is a live destination of table t. */
export function destValid(t: u32, d: u32): bool {
  return slabIsAlive(SLAB_DEST, d) && destTable(d) == t;
}

/**
 * The destination (key, len) of table t, or NIL. An IPv4 table with a forwarding structure asks it first
 * (fibExact): its answer for the prefix's first address is the prefix itself whenever that destination
 * qualifies and no qualifying more-specific covers that address (most of a real table), in two or three
 * loads instead of a ~20-node trie walk; then the hint cache; then the trie walk, which starts at the
 * node of a qualifying destination covering the prefix when the structure shows one (fibCover: usually
 * the aggregate a more specific prefix sits in), not at the root. A walk that finds nothing leaves its
 * start for destInsert (insertFrom).
 */
export function destFind(t: u32, key: usize, len: u32): u32 {
  if (tableGet(t, TABLE_FAMILY) == 4) return destFind4(t, load<u32>(key), len);
  // an IPv6 table's structure (fib6.ts), the same way: the prefix itself, or a cover to walk from
  let start = tableGet(t, TABLE_ROOT);
  let fib6 = <usize>tableGet(t, TABLE_FIB6);
  if (fib6 != 0) {
    let c = fib6At(fib6, key);
    if (c != NIL) {
      let cn = destNode(c), cl = nodeLen(cn);
      if (cl == len) return c;
      // a leaf cover has nothing below it: the walk from the root passes its parent, the insertion's start
      if (cl < len && !nodeIsLeaf(cn)) start = cn;
    }
  }
  let n = trieFind6(start, key, len);
  if (n == NIL) { insertRemember6(t, key, len, find6Cover, find6CoverUp, find6CoverUp2); return NIL; }
  let d = nodeDest(n);
  // a node without a destination holds the prefix (a branch): the insertion ends there at once
  if (d == NIL) insertRemember6(t, key, len, n, NIL, NIL);
  return d;
}

/** destFind of an IPv4 table: structure, hint cache, then the walk (from a cover the structure shows). */
function destFind4(t: u32, addr: u32, len: u32): u32 {
  let fib = <usize>tableGet(t, TABLE_FIB);
  if (fib != 0) { let d = fibExact(fib, addr, len); if (d != NIL) return d; }
  let d = findCached(t, addr, len);
  if (d != NIL) return d;
  let c = fib == 0 || len == 0 ? NIL : fibCover(fib, maskedAddr(addr, len), len);
  let start = c == NIL ? tableGet(t, TABLE_ROOT) : destNode(c);
  if (nodeIsLeaf(start)) {
    // a leaf covers the prefix: nothing lies below it, so the prefix is absent. The insertion starts at
    // the leaf's parent when the hints know it (trieUpParent: the leaf is in t's trie, so a node that
    // links to it is its parent there), else at the node of the leaf's own cover (a qualifying
    // destination above a leaf is a node: it has a child)
    let from = trieUpParent(t, start);
    if (from == NIL) {
      let c2 = fibCover(fib, destGet(c, DEST_NODE), nodeLen(start));
      from = c2 == NIL ? tableGet(t, TABLE_ROOT) : destNode(c2);
    }
    assert(!nodeIsLeaf(from)); // a cover of a destination in the trie is an ancestor
    insertRemember(t, addr, len, from, NIL, NIL);
    return NIL;
  }
  let n = trieFind4(start, addr, len);
  if (n == NIL) { insertRemember(t, addr, len, find4Cover, find4CoverUp, NIL); return NIL; }
  d = nodeDest(n);
  if (d != NIL) findRemember(addr, len, d);
  // a node without a destination holds the prefix (a branch): the insertion ends there at once; its
  // parent and grandparent are the walk's last two covers (the root, len 0, has none)
  else insertRemember(t, addr, len, n, n != start ? find4Cover : NIL, n != start ? find4CoverUp : NIL);
  return d;
}

// where destInsert's trie insertion may start: the deepest node covering the prefix (IPv4) that destFind's
// walk passed before it found the prefix absent, or the node without a destination that holds it, valid
// while the trie's structure is unchanged (trieEpoch) (and that node's parent and grandparent when the walk
// passed them, else NIL)
let insTable: u32 = NIL, insAddr: u32 = 0, insLen: u32 = 0, insNode: u32 = NIL, insUp: u32 = NIL, insUp2: u32 = NIL;
let insEpoch: u32 = 0;
// an IPv6 memo's key (insAddr is an IPv4 memo's)
const INS_KEY6: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function insertRemember(t: u32, addr: u32, len: u32, n: u32, up: u32, up2: u32): void {
  insTable = t; insAddr = maskedAddr(addr, len); insLen = len; insNode = n; insUp = up; insUp2 = up2; insEpoch = trieEpoch;
}

/** insertRemember for IPv6 table t (key: 4 words at `key`). */
// @ts-ignore: decorator
@inline function insertRemember6(t: u32, key: usize, len: u32, n: u32, up: u32, up2: u32): void {
  insTable = t; memory.copy(INS_KEY6, key, 16); insLen = len; insNode = n; insUp = up; insUp2 = up2; insEpoch = trieEpoch;
}

/** The node destInsert's insertion of (key, len) in table t starts at: destFind's memo, else NIL (the root). */
function insertFrom(t: u32, key: usize, len: u32): u32 {
  if (insTable != t || insEpoch != trieEpoch || insLen != len) return NIL;
  // the memo is of t, so of t's family
  let same = tableGet(t, TABLE_FAMILY) == 4 ? insAddr == maskedAddr(load<u32>(key), len) : prefixEq(INS_KEY6, key, len);
  return same ? insNode : NIL;
}

// IPv4 destinations that destFind found by walking the trie (or destInsert created), by a hash of the
// prefix: a direct-mapped cache for the prefixes the forwarding structure cannot answer (a more specific
// destination covers the prefix's first address — an aggregate and its first /24, common in real tables
// — or a table below FIB_MIN_DESTS). A walk is ~20 nodes, each its own cache line and often its own page;
// a hit reads the dest record only. An entry (masked address, dest slot | length << 25; dest slots are
// < 2^25, handles.ts; the record's generation word when remembered; 16 bytes) is only a hint: it is used
// when its prefix is the one asked for and the slot still holds the same record — its generation word
// unchanged, so the record was not freed since (a slot's generation is bumped by every free, and a slot
// at the last one is retired: slab.ts) and it still is the destination of that prefix (a destination's
// prefix never changes) — of table t, in the trie. Stale entries (freed, reused, other tables) are
// harmless, and an entry for another prefix is told apart without reading any record.
const FIND_CACHE_BITS: u32 = 12;
const FIND_CACHE: usize = memory.data(<i32>(16 << FIND_CACHE_BITS), 16);

// @ts-ignore: decorator
@inline function maskedAddr(addr: u32, len: u32): u32 { return len == 0 ? 0 : addr & (0xffffffff << (32 - len)); }

// @ts-ignore: decorator
@inline function findSlot(a: u32, len: u32): usize {
  let h = (a ^ (len * 0x9e3779b9)) * 0x85ebca6b;
  return FIND_CACHE + (<usize>(h >>> (32 - FIND_CACHE_BITS)) << 4);
}

/** Remembers destination d (live) for (addr, len) of an IPv4 table. */
// @ts-ignore: decorator
@inline function findRemember(addr: u32, len: u32, d: u32): void {
  let a = maskedAddr(addr, len);
  let p = findSlot(a, len);
  store<u32>(p, a);
  store<u32>(p, d | (len << 25), 4);
  store<u32>(p, destGet(d, DEST_GEN), 8);   // its generation word (GEN | ALIVE)
}

/**
 * Drops destination d's entry (IPv4 node n) if the cache holds one, as d leaves the trie: a later find of
 * the prefix then misses at once instead of reading a record that the slot's next owner holds.
 */
function findForget(n: u32, d: u32): void {
  let len = nodeLen(n);
  let a = maskedAddr(node4Addr(n), len);
  let p = findSlot(a, len);
  if (load<u32>(p) == a && load<u32>(p, 4) == (d | (len << 25))) store<u32>(p, 0xffffffff, 4);   // length 127: never asked
}

/**
 * The destination slot the cache holds for the prefix (addr, len), unchecked (it may be stale), or NIL:
 * for look-ahead loads only (hot.ts updatesTouch), never to decide anything.
 */
export function destFindHint(addr: u32, len: u32): u32 {
  let a = maskedAddr(addr, len);
  let p = findSlot(a, len);
  let v = load<u32>(p, 4);
  return load<u32>(p) == a && (v >>> 25) == len ? v & 0x1ffffff : NIL;
}

/** The cached destination (addr, len) of IPv4 table t, or NIL (not cached, or the entry is stale). */
function findCached(t: u32, addr: u32, len: u32): u32 {
  let a = maskedAddr(addr, len);
  let p = findSlot(a, len);
  let v = load<u32>(p, 4);
  if (load<u32>(p) != a || (v >>> 25) != len) return NIL;
  let d = v & 0x1ffffff;
  // the same record as when remembered (a live one: its word has GEN_ALIVE), so the same prefix
  if (d >= slabHigh(SLAB_DEST) || destGet(d, DEST_GEN) != load<u32>(p, 8)) return NIL;
  if (destTable(d) != t || (destGet(d, DEST_STATE) & DEST_S_DETACHED) != 0) return NIL;
  // debug builds: the node holds that prefix (what the generation word stands for)
  if (!ASC_NO_ASSERT) {
    let n = destNode(d);
    assert(nodeLen(n) == len && maskedAddr(node4Addr(n), len) == a);
  }
  return d;
}

/** Created-flag of the last destEnsure / destInsert (1 = new). */
export let destCreated: u32 = 0;

/** The destination (key, len), created if absent; NIL only when memory is exhausted (nothing changed). */
export function destEnsure(t: u32, key: usize, len: u32): u32 {
  let d = destFind(t, key, len);
  if (d != NIL) { destCreated = 0; return d; }
  return destInsert(t, key, len);
}

/**
 * A new destination record of table t, not yet in its trie (destPlace puts it there): no route (so no best
 * route), unlocked, no extra record, state 0 (the caller reserved the record).
 */
export function destMake(t: u32): u32 {
  let d = slabAllocK(SLAB_DEST, DEST_WORDS);
  assert(d != NIL); // reserved by the caller
  destSet(d, DEST_TABLE, t);
  destSet(d, DEST_NODE, NIL);
  destSet(d, DEST_ROUTES, NIL);
  return d;
}

/**
 * Puts new destination d (destMake) of table t on trie node n — a node without a destination, or d's own
 * leaf (trie.ts made it of d) — and counts it in the table.
 */
export function destPlace(t: u32, d: u32, n: u32): void {
  if (!nodeIsLeaf(n)) {
    destSet(d, DEST_NODE, n);
    setNodeDest(n, d);
    setNodeState(n, 0);
  }
  tableSet(t, TABLE_DESTS, tableGet(t, TABLE_DESTS) + 1);
}

/** Frees a record destMake made that was never placed (bulk.ts's spare). */
export function destUnmake(d: u32): void { slabFree(SLAB_DEST, d); }

/** Creates the destination (key, len), which the caller found absent; NIL only when memory is exhausted. */
export function destInsert(t: u32, key: usize, len: u32): u32 {
  if (!nodeReserve(t, 2, nodeLongs(t, len, 2)) || !slabReserve(SLAB_DEST, 1)) return NIL;
  let from = insertFrom(t, key, len);
  // the memo names a node holding a prefix of the key, or the key itself
  assert(from == NIL || (nodeLen(from) <= len && prefixEq(nodeKeyWords(from), key, nodeLen(from)) &&
    (!nodeIsLeaf(from) || nodeLen(from) == len)));
  let d = destMake(t);
  destPlace(t, d, trieInsert(t, key, len, from, from == NIL ? NIL : insUp, d, from == NIL ? NIL : insUp2));
  if (tableGet(t, TABLE_FAMILY) == 4) findRemember(load<u32>(key), len, d);
  fibMaybeBuild(t);
  fib6MaybeBuild(t);
  destCreated = 1;
  return d;
}

/**
 * Destinations of any table with hold-down armed (DESTX_HOLD_VIEWS ≠ 0; set by holdDestinationX). Batch
 * deletions count the hold timers they may start (a destination lookup per delete) only while it is not 0;
 * it never undercounts (a destination leaves it only in destRemove).
 */
export let destsHoldArmed: u32 = 0;

/** Arms hold-down in `views` of destination d (views ≠ 0), keeping destsHoldArmed (caller: destXEnsure). */
export function destArmHold(d: u32, views: u32): void {
  let old = destXGet(d, DESTX_HOLD_VIEWS);
  if (old == 0 && views != 0) destsHoldArmed++;
  destXSet(d, DESTX_HOLD_VIEWS, old | views);
}

/**
 * Destinations of any table whose lock word (DESTX_LOCK) names a lock record. Busy checks and the batch
 * paths' per-record lock probe (a trie walk) skip the extra record while it is 0; it never undercounts,
 * since every lock record is set through destSetLockHolder.
 */
export let destsLocked: u32 = 0;

/** Destination d's lock record (locks.ts; a byte address) or LOCK_NONE (layout DESTX_LOCK). */
// @ts-ignore: decorator
@inline export function destLockRec(d: u32): u32 {
  return destsLocked == 0 ? LOCK_NONE : destXGet(d, DESTX_LOCK);
}

/**
 * Sets destination d's lock word (its lock record, locks.ts, or LOCK_NONE), keeping destsLocked. A lock
 * record needs d's extra record: lockAcquire reserved it (destXReserve) before its first change.
 */
export function destSetLockHolder(d: u32, holder: u32): void {
  let was = destLockRec(d) != LOCK_NONE, now = holder != LOCK_NONE;
  if (was != now) { if (now) destsLocked++; else destsLocked--; }
  destXSet(d, DESTX_LOCK, holder);
}

/** True if a lock on destination d is held by an entity other than e (its changes get ERROR_BUSY). */
// @ts-ignore: decorator
@inline export function destLockedAgainst(d: u32, e: u32): bool {
  return lockAgainst(destLockRec(d), e);
}

/** Sets a destination's state word, keeping the table's populated and live counts in step. */
export function destSetState(d: u32, state: u32): void {
  let old = destGet(d, DEST_STATE);
  // the shape bits above the state bits stay (layout DEST_S_LEAF)
  state = (state & DEST_S_BITS) | (old & ~DEST_S_BITS);
  // the same word: counts, node mirror and forwarding structures are already in step (no node access)
  if (state == old) return;
  let t = destTable(d);
  let was = (old & DEST_S_POPULATED) != 0;
  let now = (state & DEST_S_POPULATED) != 0;
  destSet(d, DEST_STATE, state);
  // a long IPv6 node mirrors it (setNodeState; a compact node reads its destination's); a leaf's state is its own,
  // and a detached destination's node is no trie node
  if ((state & (DEST_S_DETACHED | DEST_S_LEAF)) == 0) setNodeState(destGet(d, DEST_NODE), state);
  if (was != now) tableSet(t, TABLE_POPULATED, tableGet(t, TABLE_POPULATED) + (now ? 1 : -1));
  let liveDiff = (state & DEST_S_LIVE) != 0 ? 1 : 0;
  liveDiff -= (old & DEST_S_LIVE) != 0 ? 1 : 0;
  if (liveDiff != 0) tableSet(t, TABLE_LIVE, tableGet(t, TABLE_LIVE) + liveDiff);
  // the unicast forwarding structure follows (before a detach or removal takes the node away)
  // (for every table: each counts its multicast-view destinations towards that view's structure's
  // threshold even while it has none)
  if (tableGet(t, TABLE_FAMILY) == 4) fibStateChanged(t, d, old, state);
  else fib6StateChanged(t, d, old, state);
}

const DETACH_KEY: usize = memory.data(16, 16);

/**
 * Takes a destination out of the trie (no longer findable by prefix) while keeping its record. An IPv4
 * destination keeps its key in its record (trie.ts trieKeepKey): no node needed; so does an IPv6 leaf (its
 * key record). An IPv6 one on a node moves its key to a tombstone node outside the trie; a node that leaves
 * the trie frees its slot before the tombstone takes one, so only a node that stays (the root, or a branch
 * with two children) needs a free slot: false (nothing changed) if there is none — callers that must not
 * fail reserve one node.
 */
export function destDetach(d: u32): bool {
  if ((destGet(d, DEST_STATE) & DEST_S_DETACHED) != 0) return true;
  let t = destTable(d);
  let n = destNode(d);
  let v4 = tableGet(t, TABLE_FAMILY) == 4;
  let stays = !v4 && (n == tableGet(t, TABLE_ROOT) || (nodeChild(n, 0) != NIL && nodeChild(n, 1) != NIL));
  let len = nodeLen(n);
  if (stays && !tombstoneReserve(t, 1, nodeLongs(t, len, 1))) return false;
  // an IPv6 destination on a node moves its key to a tombstone node; a leaf keeps its key record
  let tomb = !v4 && !nodeIsLeaf(n);
  if (tomb) memory.copy(DETACH_KEY, nodeKey(n), 16);
  if (v4) findForget(n, d);
  destSetState(d, DEST_S_DETACHED);
  if (v4) trieKeepKey(d, n);
  trieDetach(t, n);
  if (tomb) destSet(d, DEST_NODE, trieTombstone(t, DETACH_KEY, len));
  tableSet(t, TABLE_DESTS, tableGet(t, TABLE_DESTS) - 1);
  fibMaybeFree(t);
  fib6MaybeFree(t);
  return true;
}

/** Removes a destination from its table (trie and record); its handles go stale. */
export function destRemove(d: u32): void {
  let t = destTable(d);
  lockForget(LOCK_K_DEST, d);
  if (destXGet(d, DESTX_HOLD_VIEWS) != 0) destsHoldArmed--;
  destXDrop(d);
  if ((destGet(d, DEST_STATE) & DEST_S_DETACHED) != 0) trieFreeTombstone(t, destNode(d));
  else {
    destSetState(d, 0);
    if (tableGet(t, TABLE_FAMILY) == 4) findForget(destNode(d), d);
    trieDetach(t, destNode(d));
    tableSet(t, TABLE_DESTS, tableGet(t, TABLE_DESTS) - 1);
    fibMaybeFree(t);
    fib6MaybeFree(t);
  }
  trieDropKey(d);   // an IPv6 leaf's key record, in the trie or its tombstone
  slabFree(SLAB_DEST, d);
}


/**
 * Table teardown (teardown.ts): frees destination d's record and its extra record (keeping destsHoldArmed),
 * touching neither its node nor the table's counts nor its lock (the caller released that first).
 */
export function destFreeRecord(d: u32): void {
  if (destXGet(d, DESTX_HOLD_VIEWS) != 0) destsHoldArmed--;
  destXDrop(d);
  trieDropKey(d);
  slabFree(SLAB_DEST, d);
}
