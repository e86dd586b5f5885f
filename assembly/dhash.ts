// Exact-match index of a table's destinations: (key, len) → dest slot in one or two probes, where the trie
// walks ~20 nodes (one cache miss each) for a prefix of a large table. destFind asks it first; the trie
// stays the structure of record (lpm, walks, ranges). Open addressing, linear probing, backward-shift
// deletion (no tombstones), load ≤ 3/4; capacity a power of two, in a block of blocks.ts.
// Entries are two u32 (8 bytes); w1 = 0 means empty:
//   IPv4: w0 = the key word (bits beyond len zero), w1 = (dest slot + 1) | len << DHASH_LEN_SHIFT — a probe
//         compares in place and a rehash recomputes the hash from the entry, no record is read;
//   IPv6: w0 = the 32-bit hash, w1 = dest slot + 1 — a probe whose hash matches compares the node's key.
// Made when a table reaches DHASH_MIN_DESTS destinations (as fib.ts does), freed below a quarter of that.
// Memory never fails a caller: an index that cannot grow is dropped, and finds walk the trie again
// until the next build point (every 64K destinations). Costs: O(1) expected per find, add and remove;
// a growth re-inserts every entry from the old array (no record reads).
import { NIL, TABLE_DHASH, TABLE_DHASH_CAP, TABLE_DESTS, TABLE_FAMILY, TABLE_ROOT, DEST_NODE } from './layout';
import { tableGet, tableSet } from './tables';
import { nodeKey, nodeLen, nodeDest, nodeChild } from './trie';
import { blockAlloc, blockFree } from './blocks';
import { destGet } from './dests';

/** Destinations at which a table makes its index. */
export const DHASH_MIN_DESTS: u32 = 2048;
let dhashMinDests: u32 = DHASH_MIN_DESTS;
/** Test hook: the threshold for tables that reach it from now on (0 = DHASH_MIN_DESTS). */
export function dhashSetMinDests(n: u32): void { dhashMinDests = n == 0 ? DHASH_MIN_DESTS : n; }

// derivation: dest slots are < 2^25 (handles.ts), so slot + 1 fits 25 bits and lengths ≤ 32 the bits above
const DHASH_LEN_SHIFT: u32 = 25;
const SLOT_MASK: u32 = (1 << DHASH_LEN_SHIFT) - 1;
const MIN_CAP: u32 = 4096;

/** Bytes held by every table's index (for memory accounting). */
export let dhashBytesInUse: f64 = 0;

// @ts-ignore: decorator
@inline function mix(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
  return h;
}

/** Word w of a key of length len with the bits beyond len cleared. */
// @ts-ignore: decorator
@inline function maskedWord(key: usize, w: u32, len: u32): u32 {
  let bits = <i32>len - <i32>(w << 5);
  if (bits <= 0) return 0;
  let v = load<u32>(key + (<usize>w << 2));
  return bits >= 32 ? v : v & (0xffffffff << (32 - bits));
}

// @ts-ignore: decorator
@inline function hash4(k0: u32, len: u32): u32 { return mix(k0 ^ (len * 0x9e3779b9)); }

function hash6(key: usize, len: u32): u32 {
  let h = len * 0x9e3779b9;
  for (let w: u32 = 0; w < 4; w++) h = mix(h ^ maskedWord(key, w, len)) + w;
  return h;
}

// @ts-ignore: decorator
@inline function entry(p: usize, i: u32): usize { return p + (<usize>i << 3); }

/** True if the node of dest slot d holds exactly (key, len) (IPv6 probes whose hash matched). */
function destIs(d: u32, key: usize, len: u32): bool {
  let n = destGet(d, DEST_NODE);
  if (nodeLen(n) != len) return false;
  let nk = nodeKey(n);
  for (let w: u32 = 0; w < 4; w++) if (load<u32>(nk + (<usize>w << 2)) != maskedWord(key, w, len)) return false;
  return true;
}

/** The destination (key, len) of table t by its index, or NIL; call only when tableGet(t, TABLE_DHASH) != 0. */
export function dhashFind(t: u32, key: usize, len: u32): u32 {
  let p = <usize>tableGet(t, TABLE_DHASH);
  let mask = tableGet(t, TABLE_DHASH_CAP) - 1;
  if (tableGet(t, TABLE_FAMILY) == 4) {
    let k0 = maskedWord(key, 0, len);
    let want = len << DHASH_LEN_SHIFT;
    for (let i = hash4(k0, len) & mask; ; i = (i + 1) & mask) {
      let e = entry(p, i);
      let w1 = load<u32>(e, 4);
      if (w1 == 0) return NIL;
      if ((w1 & ~SLOT_MASK) == want && load<u32>(e) == k0) return (w1 & SLOT_MASK) - 1;
    }
    return NIL;   // not reached (as below)
  }
  let h = hash6(key, len);
  for (let i = h & mask; ; i = (i + 1) & mask) {
    let e = entry(p, i);
    let w1 = load<u32>(e, 4);
    if (w1 == 0) return NIL;
    if (load<u32>(e) == h && destIs(w1 - 1, key, len)) return w1 - 1;
  }
  return NIL;   // not reached: the array always has an empty entry (load ≤ 3/4)
}

/** Home index of an entry (from the entry alone). */
// @ts-ignore: decorator
@inline function homeOf(v4: bool, w0: u32, w1: u32, mask: u32): u32 {
  return (v4 ? hash4(w0, w1 >>> DHASH_LEN_SHIFT) : w0) & mask;
}

/** Puts an entry into the first free slot of its probe sequence (the array has room). */
function place(p: usize, mask: u32, home: u32, w0: u32, w1: u32): void {
  let i = home;
  while (load<u32>(entry(p, i), 4) != 0) i = (i + 1) & mask;
  store<u32>(entry(p, i), w0);
  store<u32>(entry(p, i), w1, 4);
}

// the entry of a destination, made by entryFor (AssemblyScript returns one value)
let entryW0: u32 = 0;
let entryW1: u32 = 0;
/** Sets entryW0/entryW1 for dest slot d of a table of family `v4 ? 4 : 6`. */
function entryFor(v4: bool, d: u32): void {
  let n = destGet(d, DEST_NODE), len = nodeLen(n), key = nodeKey(n);
  if (v4) { entryW0 = load<u32>(key); entryW1 = (d + 1) | (len << DHASH_LEN_SHIFT); }
  else { entryW0 = hash6(key, len); entryW1 = d + 1; }
}

/** A fresh zeroed array of cap entries; 0 when memory is short. */
function allocArray(cap: u32): usize {
  let bytes = <usize>cap << 3;
  let p = blockAlloc(bytes);
  if (p == 0) return 0;
  memory.fill(p, 0, bytes);
  dhashBytesInUse += <f64>bytes;
  return p;
}

/** Frees table t's index (tables being freed, tables that shrank, an index that could not grow). */
export function dhashFree(t: u32): void {
  let p = <usize>tableGet(t, TABLE_DHASH);
  if (p == 0) return;
  let bytes = <usize>tableGet(t, TABLE_DHASH_CAP) << 3;
  blockFree(p, bytes);
  dhashBytesInUse -= <f64>bytes;
  tableSet(t, TABLE_DHASH, 0);
  tableSet(t, TABLE_DHASH_CAP, 0);
}

/** Capacity for n entries at load ≤ 1/2 (a power of two ≥ MIN_CAP). */
function capFor(n: u32): u32 {
  let cap = MIN_CAP;
  while (cap < (n << 1) && cap < 0x40000000) cap <<= 1;
  return cap;
}

/** Moves table t's index into an array of cap entries; false (index unchanged) when memory is short. */
function regrow(t: u32, cap: u32): bool {
  let v4 = tableGet(t, TABLE_FAMILY) == 4;
  let q = allocArray(cap);
  if (q == 0) return false;
  let p = <usize>tableGet(t, TABLE_DHASH), old = tableGet(t, TABLE_DHASH_CAP), mask = cap - 1;
  for (let i: u32 = 0; i < old; i++) {
    let e = entry(p, i), w1 = load<u32>(e, 4);
    if (w1 == 0) continue;
    let w0 = load<u32>(e);
    place(q, mask, homeOf(v4, w0, w1, mask), w0, w1);
  }
  if (p != 0) { blockFree(p, <usize>old << 3); dhashBytesInUse -= <f64>(<usize>old << 3); }
  tableSet(t, TABLE_DHASH, <u32>q);
  tableSet(t, TABLE_DHASH_CAP, cap);
  return true;
}

/** Enters every destination below node n (pre-order). */
function fillBelow(v4: bool, p: usize, mask: u32, n: u32): void {
  if (n == NIL) return;
  let d = nodeDest(n);
  if (d != NIL) { entryFor(v4, d); place(p, mask, homeOf(v4, entryW0, entryW1, mask), entryW0, entryW1); }
  fillBelow(v4, p, mask, nodeChild(n, 0));
  fillBelow(v4, p, mask, nodeChild(n, 1));
}

/**
 * Makes table t's index when t has DHASH_MIN_DESTS destinations and none yet (again at every 64K
 * destinations after a build found no memory), sized for `extra` more destinations.
 */
export function dhashMaybeBuild(t: u32, extra: u32): void {
  if (tableGet(t, TABLE_DHASH) != 0) return;
  let dests = tableGet(t, TABLE_DESTS);
  if (dests != dhashMinDests && (dests < dhashMinDests || (dests & 0xffff) != 0)) return;
  let cap = capFor(dests + extra);
  let p = allocArray(cap);
  if (p == 0) return;
  fillBelow(tableGet(t, TABLE_FAMILY) == 4, p, cap - 1, tableGet(t, TABLE_ROOT));
  tableSet(t, TABLE_DHASH, <u32>p);
  tableSet(t, TABLE_DHASH_CAP, cap);
}

/** Makes room in table t's index for n more destinations (batch paths, before their loop); best effort. */
export function dhashReserve(t: u32, n: u32): void {
  if (tableGet(t, TABLE_DHASH) == 0) return;
  let need = tableGet(t, TABLE_DESTS) + n;
  if ((<u64>need << 2) <= (<u64>tableGet(t, TABLE_DHASH_CAP) * 3)) return;
  regrow(t, capFor(need));
}

/** Enters dest slot d, just inserted into table t's trie (TABLE_DESTS counts it already). */
export function dhashAdd(t: u32, d: u32): void {
  let p = <usize>tableGet(t, TABLE_DHASH);
  if (p == 0) { dhashMaybeBuild(t, 0); return; }   // a build enters d with the rest
  let cap = tableGet(t, TABLE_DHASH_CAP);
  if ((<u64>tableGet(t, TABLE_DESTS) << 2) > (<u64>cap * 3)) {
    if (!regrow(t, cap << 1)) { dhashFree(t); return; }   // no memory: finds walk the trie again
    p = <usize>tableGet(t, TABLE_DHASH); cap <<= 1;
  }
  let v4 = tableGet(t, TABLE_FAMILY) == 4, mask = cap - 1;
  entryFor(v4, d);
  place(p, mask, homeOf(v4, entryW0, entryW1, mask), entryW0, entryW1);
}

/**
 * Takes dest slot d out of table t's index, before its node leaves the trie (TABLE_DESTS still counts
 * it). Backward-shift deletion: each later entry of the run whose home is not in (hole, entry] moves
 * into the hole, so every probe sequence stays unbroken.
 */
export function dhashRemove(t: u32, d: u32): void {
  let p = <usize>tableGet(t, TABLE_DHASH);
  if (p == 0) return;
  let v4 = tableGet(t, TABLE_FAMILY) == 4, mask = tableGet(t, TABLE_DHASH_CAP) - 1;
  entryFor(v4, d);
  let i = homeOf(v4, entryW0, entryW1, mask);
  while (load<u32>(entry(p, i), 4) != entryW1) {
    assert(load<u32>(entry(p, i), 4) != 0); // d is in the index
    i = (i + 1) & mask;
  }
  let hole = i;
  for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
    let e = entry(p, j), w1 = load<u32>(e, 4);
    if (w1 == 0) break;
    let w0 = load<u32>(e);
    let home = homeOf(v4, w0, w1, mask);
    // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
    let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (stays) continue;
    store<u32>(entry(p, hole), w0);
    store<u32>(entry(p, hole), w1, 4);
    hole = j;
  }
  store<u32>(entry(p, hole), 0);
  store<u32>(entry(p, hole), 0, 4);
  if (tableGet(t, TABLE_DESTS) - 1 < (dhashMinDests >>> 2)) dhashFree(t);
}

/** Debug: 0 if table t's index holds exactly the destinations in its trie, else an INV_* code's detail. */
export function dhashCheck(t: u32): bool {
  let p = <usize>tableGet(t, TABLE_DHASH);
  if (p == 0) return true;
  let cap = tableGet(t, TABLE_DHASH_CAP), count: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    let w1 = load<u32>(entry(p, i), 4);
    if (w1 == 0) continue;
    count++;
    let d = (w1 & SLOT_MASK) - 1;
    let n = destGet(d, DEST_NODE);
    if (nodeDest(n) != d) return false;
    if (dhashFind(t, nodeKey(n), nodeLen(n)) != d) return false;
  }
  return count == tableGet(t, TABLE_DESTS);
}
