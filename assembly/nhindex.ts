// Next hops of an entity by index: a hash on (address bits, length, interface) makes find-or-create O(1)
// expected; the (address, interface) order of enumerations (spec §8.8.8) is kept only when enumerating.
// A new next hop joins a pending list (O(1)); the first enumeration after changes moves the pending ones
// into a treap, which then gives seek and in-order successor: one by one (O(log n) each) when they are
// few, else by sorting all the entity's next hops (radix on address word 0) and building the treap in
// one pass (O(n); 16 bytes per next hop of scratch, from and back to the block free lists). Deleting is
// O(1) expected, in the treap too: a treap node keeps its parent in the upper 24 bits of its NEXTHOP_LEN
// word (layout NEXTHOP_PARENT_*; a parent slot too large for them is UNKNOWN, and that node's deletion
// seeks from the root, O(log n)). A live next hop's link words (NEXTHOP_LEFT/RIGHT) are its treap
// children or its pending-list neighbours, its treap priority is a mix of its slot number, and its
// bucket's PENDING bit says which.
// The hash is one block per entity with two or more live next hops — a 16-byte header and 8-byte buckets
// (slot, PENDING | 31-bit hash), linear probing, load ≤ 3/4, doubled when full, freed with the entity's
// last next hop. An entity's first next hop needs no block (issue 13: many small tables, an entity with
// one next hop each): while the entity has no block, its only next hop (if any) is its treap's root,
// found by comparing that one record; the second next hop makes the block (64 bytes), both in it. Blocks are 2^k bytes from the slab page reserve (takePages), recycled on per-size free lists
// here (never TLSF), so running out of memory is a status (nhIndexReserve → false) before anything
// changes, never a trap.
// Memory per find: two dependent reads, the bucket (its slot) and then the record (the key compared;
// the caller's reference and handle need it anyway). The hash spreads addresses as uniform keys would
// (the bench's random 10.x.y.z: 0.31 extra probes per find at load 0.38, the bucket in the home bucket's
// cache line 96% of the time). With 100,000 next hops both reads miss the caches (bucket block 2 MiB,
// records 6.4 MiB; issue 13: 0.1-0.2 µs each on the bench host), which is what a find there costs
// beyond one in 1,000; a delete adds the treap parent and the children merged (O(1) expected, misses too).
import {
  NIL, SLAB_ENTITY, SLAB_NEXTHOP, ENTITY_WORDS, ENTITY_NEXTHOPS, ENTITY_NHINDEX, ENTITY_TABLE, NEXTHOP_WORDS,
  NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_LEN_MASK, NEXTHOP_PARENT_SHIFT, NEXTHOP_PARENT_ROOT, NEXTHOP_PARENT_UNKNOWN,
  NEXTHOP_IFINDEX, NEXTHOP_LEFT, NEXTHOP_RIGHT, NEXTHOP_OWNER, NEXTHOP_FLAGS,
  NEXTHOP_STATE_SHIFT, NEXTHOP_STATE_CREATED, NEXTHOP_TABLE,
} from './layout';
import { recPtr, takePages, slabIsAlive, slabHigh } from './slab';
import { prefixCompare, prefixEq, wordMask } from './addr';

// block header words (byte offsets) and the bucket area after it
const H_CAP: usize = 0;      // buckets (2^(class-3) - 2)
const H_COUNT: usize = 4;    // live next hops in the block
const H_CLASS: usize = 8;    // log2 of the block's bytes (low CLASS_BITS), pending next hops (above)
const H_PENDING: usize = 12; // first next hop not yet in the treap (NIL = none)
const HDR: usize = 16;
/** Bucket word 1: the 31-bit hash, and this bit while the next hop waits on the pending list. */
const PENDING: u32 = 0x80000000;
const HASH_MASK: u32 = 0x7fffffff;
/** H_CLASS word: the class in the low 5 bits, the pending list's length above them (slots have 25 bits). */
const CLASS_BITS: u32 = 5;
const CLASS_MASK: u32 = (1 << CLASS_BITS) - 1;
/** Pending next hops from which a flush sorts and rebuilds the whole treap (if also ≥ 1/16 of them all). */
const BULK_MIN: u32 = 64;
const MIN_CLASS: u32 = 5;    // 32 bytes: the smallest block (sort scratch; an index of 2 next hops needs FIRST_CLASS)
const FIRST_CLASS: u32 = 6;  // 64 bytes: 6 buckets, the block made for an entity's second next hop
const MAX_CLASS: u32 = 30;   // 1 GiB: more buckets than next-hop slots exist
/** Free blocks per size class (link in the block's first word; 0 = none). */
const FREE: usize = memory.data(<i32>((MAX_CLASS + 1) * 4), 16);
/** Test hook: block allocations left before they fail (-1 = no limit). */
let allocBudget: i32 = -1;
/** Bytes of the blocks in use by all entities (for memory accounting). */
let bytesInUse: f64 = 0;

export const NHI_OK: i32 = 0;
export const NHI_TREE: i32 = 1;    // tree node not live / of another owner / pending, order or heap rule broken
export const NHI_HASH: i32 = 2;    // bucket not live / of another owner, wrong hash, or not found by find
export const NHI_COUNT: i32 = 3;   // tree + pending, hash and header counts differ
export const NHI_PENDING: i32 = 4; // pending list links broken, a member's bucket without PENDING, or its count wrong
export const NHI_PARENT: i32 = 5;  // a treap node's parent field does not name its parent (the root's: not ROOT)

/** Test hook: the next n block allocations succeed, later ones fail (n < 0: no limit). */
export function nhIndexAllocBudget(n: i32): void { allocBudget = n < 0 ? -1 : n; }
/** Bytes of next-hop hash blocks in use. */
export function nhIndexBytes(): f64 { return bytesInUse; }

// ── blocks ───────────────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function freeHead(k: u32): usize { return <usize>load<u32>(FREE + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function setFreeHead(k: u32, p: usize): void { store<u32>(FREE + (<usize>k << 2), <u32>p); }

/** A block of 2^k bytes: from the free list, a split of a larger block, or fresh pages; 0 if out of memory. */
function takeBlock(k: u32): usize {
  let p = freeHead(k);
  if (p != 0) { setFreeHead(k, <usize>load<u32>(p)); return p; }
  if (k >= 16) return takePages(<i32>(1 << (k - 16)));
  p = takeBlock(k + 1);
  if (p == 0) return 0;
  // the upper half goes on the (empty) free list of this class
  let half = p + (<usize>1 << k);
  store<u32>(half, 0);
  setFreeHead(k, half);
  return p;
}

function allocBlock(k: u32): usize {
  if (k > MAX_CLASS || allocBudget == 0) return 0;
  let p = takeBlock(k);
  if (p == 0) return 0;
  if (allocBudget > 0) allocBudget--;
  let cap: u32 = (1 << (k - 3)) - 2;
  store<u32>(p + H_CAP, cap);
  store<u32>(p + H_COUNT, 0);
  store<u32>(p + H_CLASS, k);
  store<u32>(p + H_PENDING, NIL);
  memory.fill(p + HDR, 0xff, <usize>cap << 3); // every bucket's slot NIL
  bytesInUse += <f64>(1 << k);
  return p;
}

function freeBlock(p: usize): void {
  let k = load<u32>(p + H_CLASS) & CLASS_MASK;
  bytesInUse -= <f64>(1 << k);
  store<u32>(p, <u32>freeHead(k));
  setFreeHead(k, p);
}

// @ts-ignore: decorator
@inline function pendingCount(p: usize): u32 { return load<u32>(p + H_CLASS) >>> CLASS_BITS; }
// @ts-ignore: decorator
@inline function setPendingCount(p: usize, n: u32): void {
  store<u32>(p + H_CLASS, (load<u32>(p + H_CLASS) & CLASS_MASK) | (n << CLASS_BITS));
}

// ── records ──────────────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function entityWord(e: u32, w: u32): usize { return recPtr(SLAB_ENTITY, e, ENTITY_WORDS) + (<usize>w << 2); }
// @ts-ignore: decorator
@inline function nhWord(h: u32, w: u32): usize { return recPtr(SLAB_NEXTHOP, h, NEXTHOP_WORDS) + (<usize>w << 2); }
// @ts-ignore: decorator
@inline function nhAddr(h: u32): usize { return nhWord(h, NEXTHOP_ADDR); }
/** Address length of next hop h (the low bits of its NEXTHOP_LEN word). */
// @ts-ignore: decorator
@inline function lenOf(h: u32): u32 { return load<u32>(nhWord(h, NEXTHOP_LEN)) & NEXTHOP_LEN_MASK; }
/** Treap parent field of h: a slot, NEXTHOP_PARENT_ROOT or NEXTHOP_PARENT_UNKNOWN. */
// @ts-ignore: decorator
@inline function parentField(h: u32): u32 { return load<u32>(nhWord(h, NEXTHOP_LEN)) >>> NEXTHOP_PARENT_SHIFT; }
/** The parent field that names slot p (NIL: the root). */
// @ts-ignore: decorator
@inline function parentCode(p: u32): u32 { return p == NIL ? NEXTHOP_PARENT_ROOT : p < NEXTHOP_PARENT_ROOT ? p : NEXTHOP_PARENT_UNKNOWN; }
/** h's treap parent is now p (NIL: h is the root). */
// @ts-ignore: decorator
@inline function setParent(h: u32, p: u32): void {
  let w = nhWord(h, NEXTHOP_LEN);
  store<u32>(w, (load<u32>(w) & NEXTHOP_LEN_MASK) | (parentCode(p) << NEXTHOP_PARENT_SHIFT));
}
// @ts-ignore: decorator
@inline function left(h: u32): u32 { return load<u32>(nhWord(h, NEXTHOP_LEFT)); }
// @ts-ignore: decorator
@inline function right(h: u32): u32 { return load<u32>(nhWord(h, NEXTHOP_RIGHT)); }

/** Treap priority of slot h: a bijective mix (murmur3's finaliser), so no two next hops tie. */
// @ts-ignore: decorator
@inline function prio(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
  return h;
}

/** 31-bit hash of (the first len bits of key, len, interface); bits beyond len do not count. */
function hashKey(key: usize, len: u32, ifIndex: u32): u32 {
  let h: u32 = len * 0x9e3779b1 ^ ifIndex * 0x85ebca77;
  for (let w: u32 = 0; w * 32 < len; w++) {
    let keep = len - w * 32;
    let v = load<u32>(key + (<usize>w << 2)) & (keep >= 32 ? 0xffffffff : wordMask(keep));
    h = rotl<u32>(h ^ (v * 0xcc9e2d51), 13) * 5 + 0xe6546b64;
  }
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
  return h & HASH_MASK;
}

// @ts-ignore: decorator
@inline function hashOf(h: u32): u32 {
  return hashKey(nhAddr(h), lenOf(h), load<u32>(nhWord(h, NEXTHOP_IFINDEX)));
}

/** Home bucket of a bucket's hash word in `cap` buckets (multiply-shift: cap need not be a power of two). */
// @ts-ignore: decorator
@inline function home(word: u32, cap: u32): u32 { return <u32>((<u64>(word & HASH_MASK) * <u64>cap) >> 31); }

/** Order of next hop h against the position (key, len, ifIndex): address in canonical order, then interface. */
function compareAt(h: u32, key: usize, len: u32, ifIndex: u32): i32 {
  let a = nhAddr(h), hl = lenOf(h);
  // fast path: both lengths cover word 0 and it differs (full IPv4 addresses, most IPv6 ones)
  if (hl >= 32 && len >= 32) {
    let x = load<u32>(a), y = load<u32>(key);
    if (x != y) return x < y ? -1 : 1;
  }
  let c = prefixCompare(a, hl, key, len);
  if (c != 0) return c;
  let ih = load<u32>(nhWord(h, NEXTHOP_IFINDEX));
  return ih < ifIndex ? -1 : ih > ifIndex ? 1 : 0;
}

// @ts-ignore: decorator
@inline function compareNh(a: u32, b: u32): i32 {
  return compareAt(a, nhAddr(b), lenOf(b), load<u32>(nhWord(b, NEXTHOP_IFINDEX)));
}

// ── hash ─────────────────────────────────────────────────────────────────────────────────────────────

/** The live next hop of entity e with (address key, len, interface), or NIL. O(1) expected. */
export function nhIndexFind(e: u32, key: usize, len: u32, ifIndex: u32): u32 {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) {
    // no block: the only next hop, if any, is the treap's root
    let s = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
    if (s != NIL && load<u32>(nhWord(s, NEXTHOP_IFINDEX)) == ifIndex && lenOf(s) == len && prefixEq(nhAddr(s), key, len)) return s;
    return NIL;
  }
  let hash = hashKey(key, len, ifIndex);
  let cap = load<u32>(p + H_CAP);
  let i = home(hash, cap);
  while (true) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s == NIL) return NIL;
    if ((load<u32>(b, 4) & HASH_MASK) == hash && load<u32>(nhWord(s, NEXTHOP_IFINDEX)) == ifIndex &&
      lenOf(s) == len && prefixEq(nhAddr(s), key, len)) return s;
    if (++i == cap) i = 0;
  }
  return NIL;
}

/** Places (slot, hash word) in the first empty bucket of its probe run (caller ensured room). */
function place(p: usize, s: u32, word: u32): void {
  let cap = load<u32>(p + H_CAP);
  let i = home(word, cap);
  while (load<u32>(p + HDR + (<usize>i << 3)) != NIL) { if (++i == cap) i = 0; }
  let b = p + HDR + (<usize>i << 3);
  store<u32>(b, s);
  store<u32>(b, word, 4);
}

/** Byte address of slot s's bucket in block p (s is in it). */
function bucketOf(p: usize, s: u32): usize {
  let cap = load<u32>(p + H_CAP);
  let i = home(hashOf(s), cap);
  while (load<u32>(p + HDR + (<usize>i << 3)) != s) {
    assert(load<u32>(p + HDR + (<usize>i << 3)) != NIL); // s is in the block
    if (++i == cap) i = 0;
  }
  return p + HDR + (<usize>i << 3);
}

/**
 * Makes room for one more next hop of entity e (nothing for its first; for its second a block, which
 * takes the first in; a doubled block when the load would pass 3/4); false if memory is exhausted, and
 * then nothing has changed.
 */
export function nhIndexReserve(e: u32): bool {
  let w = entityWord(e, ENTITY_NHINDEX);
  let p = <usize>load<u32>(w);
  if (p == 0) {
    let only = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
    if (only == NIL) return true;
    p = allocBlock(FIRST_CLASS);
    if (p == 0) return false;
    place(p, only, hashOf(only));   // in the treap already: not PENDING
    store<u32>(p + H_COUNT, 1);
    store<u32>(entityWord(e, ENTITY_NHINDEX), <u32>p);
    return true;
  }
  let cap = load<u32>(p + H_CAP), count = load<u32>(p + H_COUNT);
  if (<u64>(count + 1) * 4 <= <u64>cap * 3) return true;
  let q = allocBlock((load<u32>(p + H_CLASS) & CLASS_MASK) + 1);
  if (q == 0) return false;
  for (let i: u32 = 0; i < cap; i++) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s != NIL) place(q, s, load<u32>(b, 4));
  }
  store<u32>(q + H_COUNT, count);
  store<u32>(q + H_PENDING, load<u32>(p + H_PENDING));
  setPendingCount(q, pendingCount(p));
  freeBlock(p);
  store<u32>(entityWord(e, ENTITY_NHINDEX), <u32>q);
  return true;
}

/** Removes slot s from block p by backward shifting the rest of its probe run; returns its hash word. */
function unplace(p: usize, s: u32): u32 {
  let cap = load<u32>(p + H_CAP);
  let i = <u32>((bucketOf(p, s) - p - HDR) >> 3);
  let word = load<u32>(p + HDR + (<usize>i << 3), 4);
  let j = i;
  while (true) {
    if (++j == cap) j = 0;
    let bj = p + HDR + (<usize>j << 3);
    let sj = load<u32>(bj);
    if (sj == NIL) break;
    let k = home(load<u32>(bj, 4), cap);
    // the entry at j may move back to i unless its home lies cyclically in (i, j]
    if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) continue;
    let bi = p + HDR + (<usize>i << 3);
    store<u32>(bi, sj);
    store<u32>(bi, load<u32>(bj, 4), 4);
    i = j;
  }
  store<u32>(p + HDR + (<usize>i << 3), NIL);
  return word;
}

// ── ordered tree ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Adds the new live next hop h (address, len, interface written; nhIndexReserve done) to e's index: its
 * bucket, and the head of the pending list (it joins the treap at the next enumeration). O(1) expected.
 */
export function nhIndexInsert(e: u32, h: u32): void {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) {
    // the entity's first next hop: the treap's root, no block
    let root = entityWord(e, ENTITY_NEXTHOPS);
    assert(load<u32>(root) == NIL); // reserved: a second next hop makes the block first
    store<u32>(nhWord(h, NEXTHOP_LEFT), NIL);
    store<u32>(nhWord(h, NEXTHOP_RIGHT), NIL);
    setParent(h, NIL);
    store<u32>(root, h);
    treapEpoch++;
    return;
  }
  assert(<u64>(load<u32>(p + H_COUNT) + 1) * 4 <= <u64>load<u32>(p + H_CAP) * 3); // reserved
  place(p, h, hashOf(h) | PENDING);
  store<u32>(p + H_COUNT, load<u32>(p + H_COUNT) + 1);
  let head = load<u32>(p + H_PENDING);
  store<u32>(nhWord(h, NEXTHOP_LEFT), head);     // next pending
  store<u32>(nhWord(h, NEXTHOP_RIGHT), NIL);     // previous pending
  let lw = nhWord(h, NEXTHOP_LEN);               // parent unknown: not in the treap
  store<u32>(lw, (load<u32>(lw) & NEXTHOP_LEN_MASK) | (NEXTHOP_PARENT_UNKNOWN << NEXTHOP_PARENT_SHIFT));
  if (head != NIL) store<u32>(nhWord(head, NEXTHOP_RIGHT), h);
  store<u32>(p + H_PENDING, h);
  setPendingCount(p, pendingCount(p) + 1);
}

/** Puts the live next hop h (links free) into e's treap: descend while nodes outrank it, split there. */
function treapInsert(e: u32, h: u32): void {
  let ph = prio(h);
  let link = entityWord(e, ENTITY_NEXTHOPS), owner = NIL;   // owner: the node whose child link `link` is
  let cur = load<u32>(link);
  while (cur != NIL && prio(cur) > ph) {
    owner = cur;
    link = compareNh(h, cur) < 0 ? nhWord(cur, NEXTHOP_LEFT) : nhWord(cur, NEXTHOP_RIGHT);
    cur = load<u32>(link);
  }
  let lLink = nhWord(h, NEXTHOP_LEFT), rLink = nhWord(h, NEXTHOP_RIGHT), lOwner = h, rOwner = h;
  while (cur != NIL) {
    if (compareNh(cur, h) < 0) {
      store<u32>(lLink, cur); setParent(cur, lOwner); lOwner = cur; lLink = nhWord(cur, NEXTHOP_RIGHT); cur = load<u32>(lLink);
    } else {
      store<u32>(rLink, cur); setParent(cur, rOwner); rOwner = cur; rLink = nhWord(cur, NEXTHOP_LEFT); cur = load<u32>(rLink);
    }
  }
  store<u32>(lLink, NIL);
  store<u32>(rLink, NIL);
  store<u32>(link, h);
  setParent(h, owner);
  treapEpoch++;
}

/**
 * Moves e's pending next hops into its treap; enumerations call it first. A few (fewer than BULK_MIN, or
 * under 1/16 of e's next hops) are inserted one by one, O(log n) each; more rebuild the whole treap from
 * the sorted order (flushBulk, O(n)), or one by one if memory for the sort is short.
 */
export function nhIndexFlush(e: u32): void {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) return;
  let pending = pendingCount(p);
  if (pending == 0) return;
  if (pending >= BULK_MIN && <u64>pending * 16 >= <u64>load<u32>(p + H_COUNT) && flushBulk(e, p)) return;
  let h = load<u32>(p + H_PENDING);
  store<u32>(p + H_PENDING, NIL);
  setPendingCount(p, 0);
  while (h != NIL) {
    let next = left(h);
    let b = bucketOf(p, h);
    store<u32>(b, load<u32>(b, 4) & HASH_MASK, 4);
    treapInsert(e, h);
    h = next;
  }
}

/** Radix counts of flushBulk (256 u32). */
const COUNTS: usize = memory.data(1024, 16);

// @ts-ignore: decorator
@inline function sortSlot(a: usize, i: u32): u32 { return <u32>load<u64>(a + (<usize>i << 3)); }

/** Sorts a[lo, hi) (u64 words, slot in the low half) by next-hop order: insertion sort, or heapsort when long. */
function sortRun(a: usize, lo: u32, hi: u32): void {
  let n = hi - lo, base = a + (<usize>lo << 3);
  if (n <= 16) {
    for (let i: u32 = 1; i < n; i++) {
      let v = load<u64>(base + (<usize>i << 3)), j = i;
      while (j > 0 && compareNh(<u32>load<u64>(base + (<usize>(j - 1) << 3)), <u32>v) > 0) {
        store<u64>(base + (<usize>j << 3), load<u64>(base + (<usize>(j - 1) << 3)));
        j--;
      }
      store<u64>(base + (<usize>j << 3), v);
    }
    return;
  }
  // heapsort (a max-heap in next-hop order), no extra memory
  for (let i = n >> 1; i > 0; i--) siftDown(base, i - 1, n);
  for (let end = n - 1; end > 0; end--) {
    let t = load<u64>(base);
    store<u64>(base, load<u64>(base + (<usize>end << 3)));
    store<u64>(base + (<usize>end << 3), t);
    siftDown(base, 0, end);
  }
}

function siftDown(base: usize, i: u32, n: u32): void {
  while (true) {
    let c: u32 = 2 * i + 1;
    if (c >= n) return;
    if (c + 1 < n && compareNh(sortSlot(base, c + 1), sortSlot(base, c)) > 0) c++;
    if (compareNh(sortSlot(base, c), sortSlot(base, i)) <= 0) return;
    let t = load<u64>(base + (<usize>i << 3));
    store<u64>(base + (<usize>i << 3), load<u64>(base + (<usize>c << 3)));
    store<u64>(base + (<usize>c << 3), t);
    i = c;
  }
}

/**
 * Rebuilds e's treap from all its next hops (block p) in one pass: their slots are read from the buckets
 * (PENDING cleared), sorted by address word 0 (radix, 4 byte passes; host bits are clear, so that
 * number order is the canonical prefix order) and then, within runs of an equal word 0, by the full
 * order (compareNh), and the treap of that sequence is built by the Cartesian-tree stack (the treap
 * of given keys and priorities is unique, so it is the one insertions would give). O(n) but for the
 * runs; 16 bytes per next hop of scratch from the block free lists, given back after. False (nothing
 * changed) if there is no memory for the scratch.
 */
function flushBulk(e: u32, p: usize): bool {
  let n = load<u32>(p + H_COUNT);
  let k = MIN_CLASS;
  while (<u64>1 << k < <u64>n * 16) k++;
  if (k > MAX_CLASS || allocBudget == 0) return false;
  let tmp = takeBlock(k);
  if (tmp == 0) return false;
  let a = tmp, b = tmp + (<usize>n << 3);
  // 1. every next hop of e (treap and pending) from the buckets: (address word 0, slot)
  let cap = load<u32>(p + H_CAP), m: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    let bk = p + HDR + (<usize>i << 3);
    let s = load<u32>(bk);
    if (s == NIL) continue;
    store<u32>(bk, load<u32>(bk, 4) & HASH_MASK, 4);
    store<u64>(a + (<usize>m << 3), (<u64>load<u32>(nhAddr(s)) << 32) | <u64>s);
    m++;
  }
  assert(m == n); // the block holds every next hop of e once
  store<u32>(p + H_PENDING, NIL);
  setPendingCount(p, 0);
  // 2. stable radix sort by word 0, a → b → a → b → a
  for (let shift: u64 = 32; shift < 64; shift += 8) {
    memory.fill(COUNTS, 0, 1024);
    for (let i: u32 = 0; i < n; i++) {
      let c = COUNTS + (<usize>((load<u64>(a + (<usize>i << 3)) >> shift) & 255) << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
    let sum: u32 = 0;
    for (let d: usize = 0; d < 256; d++) { let c = load<u32>(COUNTS + (d << 2)); store<u32>(COUNTS + (d << 2), sum); sum += c; }
    for (let i: u32 = 0; i < n; i++) {
      let v = load<u64>(a + (<usize>i << 3));
      let c = COUNTS + (<usize>((v >> shift) & 255) << 2);
      let at = load<u32>(c);
      store<u32>(c, at + 1);
      store<u64>(b + (<usize>at << 3), v);
    }
    let t = a; a = b; b = t;
  }
  // 3. runs of an equal word 0 (the same IPv4 address on other interfaces, IPv6 addresses): the full order
  for (let i: u32 = 0; i < n;) {
    let w = <u32>(load<u64>(a + (<usize>i << 3)) >> 32), j = i + 1;
    while (j < n && <u32>(load<u64>(a + (<usize>j << 3)) >> 32) == w) j++;
    if (j - i > 1) sortRun(a, i, j);
    i = j;
  }
  // 4. the treap: a stack (in b) of the right spine; a node pops those it outranks as its left subtree
  let top: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let x = sortSlot(a, i), px = prio(x), last = NIL;
    while (top > 0 && prio(load<u32>(b + (<usize>(top - 1) << 2))) < px) last = load<u32>(b + (<usize>(--top) << 2));
    store<u32>(nhWord(x, NEXTHOP_LEFT), last);
    if (last != NIL) setParent(last, x);
    store<u32>(nhWord(x, NEXTHOP_RIGHT), NIL);
    if (top > 0) {
      let up = load<u32>(b + (<usize>(top - 1) << 2));
      store<u32>(nhWord(up, NEXTHOP_RIGHT), x);
      setParent(x, up);
    } else setParent(x, NIL);
    store<u32>(b + (<usize>(top++) << 2), x);
  }
  store<u32>(entityWord(e, ENTITY_NEXTHOPS), top > 0 ? load<u32>(b) : NIL);
  treapEpoch++;
  // the scratch goes back on its free list (it was never counted in bytesInUse)
  store<u32>(tmp, <u32>freeHead(k));
  setFreeHead(k, tmp);
  return true;
}

/** Takes the live next hop h out of e's index (its link words are left for the caller to reuse). */
export function nhIndexRemove(e: u32, h: u32): void {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  // no block: h is the only next hop, the treap's root (taken out below)
  let word: u32 = 0;
  if (p != 0) {
    word = unplace(p, h);
    let count = load<u32>(p + H_COUNT) - 1;
    store<u32>(p + H_COUNT, count);
    if ((word & PENDING) != 0) {
      // unlink from the pending list
      let next = left(h), prev = right(h);
      if (prev == NIL) store<u32>(p + H_PENDING, next); else store<u32>(nhWord(prev, NEXTHOP_LEFT), next);
      if (next != NIL) store<u32>(nhWord(next, NEXTHOP_RIGHT), prev);
      setPendingCount(p, pendingCount(p) - 1);
    }
    if (count == 0) { freeBlock(p); store<u32>(entityWord(e, ENTITY_NHINDEX), 0); }
  } else assert(load<u32>(entityWord(e, ENTITY_NEXTHOPS)) == h && left(h) == NIL && right(h) == NIL); // the only one
  if ((word & PENDING) != 0) {
    store<u32>(nhWord(h, NEXTHOP_LEFT), NIL);
    store<u32>(nhWord(h, NEXTHOP_RIGHT), NIL);
    return;
  }
  // the link that holds h: from its parent (O(1)), or by a seek from the root if its parent is unknown
  let f = parentField(h), owner = NIL;
  let link: usize;
  if (f == NEXTHOP_PARENT_ROOT) link = entityWord(e, ENTITY_NEXTHOPS);
  else if (f != NEXTHOP_PARENT_UNKNOWN) { owner = f; link = left(f) == h ? nhWord(f, NEXTHOP_LEFT) : nhWord(f, NEXTHOP_RIGHT); }
  else {
    link = entityWord(e, ENTITY_NEXTHOPS);
    let cur = load<u32>(link);
    while (cur != h) {
      assert(cur != NIL); // h is in the tree
      if (cur == NIL) return;
      owner = cur;
      link = compareNh(h, cur) < 0 ? nhWord(cur, NEXTHOP_LEFT) : nhWord(cur, NEXTHOP_RIGHT);
      cur = load<u32>(link);
    }
  }
  assert(load<u32>(link) == h); // the parent field names h's parent
  // merge h's subtrees (every key on the left is below every key on the right) into its place
  treapEpoch++;
  let a = left(h), b = right(h);
  while (true) {
    if (a == NIL) { store<u32>(link, b); if (b != NIL) setParent(b, owner); break; }
    if (b == NIL) { store<u32>(link, a); setParent(a, owner); break; }
    if (prio(a) > prio(b)) { store<u32>(link, a); setParent(a, owner); owner = a; link = nhWord(a, NEXTHOP_RIGHT); a = load<u32>(link); }
    else { store<u32>(link, b); setParent(b, owner); owner = b; link = nhWord(b, NEXTHOP_LEFT); b = load<u32>(link); }
  }
  store<u32>(nhWord(h, NEXTHOP_LEFT), NIL);
  store<u32>(nhWord(h, NEXTHOP_RIGHT), NIL);
}

/** Any live next hop of e (the pending head, else the treap root), or NIL: for deleting them all. */
export function nhIndexAny(e: u32): u32 {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p != 0 && load<u32>(p + H_PENDING) != NIL) return load<u32>(p + H_PENDING);
  return load<u32>(entityWord(e, ENTITY_NEXTHOPS));
}

// ── in-order walks ───────────────────────────────────────────────────────────────────────────────────
// A walk (nhOrderFirst / nhOrderSeek, then nhOrderNext) keeps the path it stands on: the ancestors of the
// current next hop that hold it in their left subtree, nearest last. The successor is then the leftmost
// of the right subtree (pushing the path down to it) or the nearest such ancestor (popped): amortised
// O(1) per step instead of a seek from the root whenever there is no right child. The path is valid for
// one (entity, next hop) until the treap changes (treapEpoch); otherwise, or if it outgrew WALK_MAX, the
// successor is found by a seek, which sets the path again.

const WALK_MAX: u32 = 128;
const WALK: usize = memory.data(<i32>(WALK_MAX * 4), 16);
/** Bumped by every change of any treap's shape (insert, remove, rebuild). */
let treapEpoch: u32 = 0;
let walkEpoch: u32 = 0;
let walkEntity: u32 = NIL;
let walkNode: u32 = NIL;   // the next hop WALK belongs to (NIL = no valid path)
let walkDepth: u32 = 0;    // entries in WALK
let walkOk = true;         // false once a push did not fit

// @ts-ignore: decorator
@inline function walkPush(h: u32): void {
  if (walkDepth < WALK_MAX) { store<u32>(WALK + (<usize>walkDepth << 2), h); walkDepth++; } else walkOk = false;
}

/** The walk now stands on h (NIL: nothing valid). */
// @ts-ignore: decorator
@inline function walkAt(e: u32, h: u32): u32 {
  walkEntity = e;
  walkEpoch = treapEpoch;
  walkNode = walkOk ? h : NIL;
  return h;
}

/** Entity e's first next hop in (address, interface) order, or NIL. Flushes the pending ones. */
export function nhOrderFirst(e: u32): u32 {
  nhIndexFlush(e);
  walkDepth = 0; walkOk = true;
  let cur = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  if (cur == NIL) return walkAt(e, NIL);
  while (left(cur) != NIL) { walkPush(cur); cur = left(cur); }
  return walkAt(e, cur);
}

/**
 * Entity e's first next hop after the position (key, len, ifIndex) — or at it, if inclusive — or NIL.
 * Flushes the pending ones.
 */
export function nhOrderSeek(e: u32, key: usize, len: u32, ifIndex: u32, inclusive: bool): u32 {
  nhIndexFlush(e);
  return treapSeek(e, key, len, ifIndex, inclusive);
}

/** The seek of nhOrderSeek without the flush; the walk stands on its answer. */
function treapSeek(e: u32, key: usize, len: u32, ifIndex: u32, inclusive: bool): u32 {
  let best = NIL;
  walkDepth = 0; walkOk = true;
  let cur = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  while (cur != NIL) {
    let c = compareAt(cur, key, len, ifIndex);
    if (c > 0 || (c == 0 && inclusive)) { best = cur; walkPush(cur); cur = left(cur); } else cur = right(cur);
  }
  // every node pushed holds best in its left subtree, best itself last
  if (best != NIL && walkOk) walkDepth--;
  return walkAt(e, best);
}

/** The next hop after h (a live next hop of e in its treap: nhOrderFirst/Seek ran) in e's order, or NIL. */
export function nhOrderNext(e: u32, h: u32): u32 {
  if (h != walkNode || e != walkEntity || walkEpoch != treapEpoch) {
    return treapSeek(e, nhAddr(h), lenOf(h), load<u32>(nhWord(h, NEXTHOP_IFINDEX)), false);
  }
  let cur = right(h);
  if (cur != NIL) {
    while (left(cur) != NIL) { walkPush(cur); cur = left(cur); }
    return walkAt(e, cur);
  }
  if (walkDepth == 0) return walkAt(e, NIL);
  walkDepth--;
  return walkAt(e, load<u32>(WALK + (<usize>walkDepth << 2)));
}

/** Live next hops of entity e (the hash block's count; without a block, 1 if its treap has a root). */
export function nhIndexCount(e: u32): u32 {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) return load<u32>(entityWord(e, ENTITY_NEXTHOPS)) != NIL ? 1 : 0;
  return load<u32>(p + H_COUNT);
}

// ── invariants (debug.ts) ────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function liveOf(h: u32, e: u32): bool {
  return h < slabHigh(SLAB_NEXTHOP) && slabIsAlive(SLAB_NEXTHOP, h) &&
    (load<u32>(nhWord(h, NEXTHOP_FLAGS)) >>> NEXTHOP_STATE_SHIFT) == NEXTHOP_STATE_CREATED &&
    load<u32>(nhWord(h, NEXTHOP_OWNER)) == e &&
    load<u32>(nhWord(h, NEXTHOP_TABLE)) == load<u32>(entityWord(e, ENTITY_TABLE));
}

/** In-order first / successor within the treap alone (the check must not flush). */
function treapFirst(e: u32): u32 {
  let cur = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  if (cur == NIL) return NIL;
  while (left(cur) != NIL) cur = left(cur);
  return cur;
}

/**
 * Checks entity e's index without changing it: the treap walks in strictly increasing order over live
 * next hops of e with heap-ordered priorities; the pending list is doubly linked over live next hops of
 * e; every bucket holds a live next hop of e under its own hash, with PENDING exactly for the pending
 * ones, and find reaches it (the treap's seek too, for the others); every treap node's parent field names
 * its parent (ROOT for the root, UNKNOWN only for a parent slot beyond 24 bits); treap + pending, buckets and the
 * header count the same; an entity without a block has at most one next hop, its treap's root alone.
 * O(n log n); allocates nothing.
 */
export function nhIndexCheck(e: u32): i32 {
  let limit = slabHigh(SLAB_NEXTHOP);
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  let n: u32 = 0, prev = NIL;
  let root = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  if (root != NIL && (!liveOf(root, e) || parentField(root) != NEXTHOP_PARENT_ROOT)) return NHI_PARENT;
  for (let h = treapFirst(e); h != NIL; h = nhOrderNext(e, h)) {
    if (!liveOf(h, e) || ++n > limit || (p == 0 && n > 1)) return NHI_TREE;
    if (prev != NIL && compareNh(prev, h) >= 0) return NHI_TREE;
    let l = left(h), r = right(h);
    if ((l != NIL && (!liveOf(l, e) || prio(l) > prio(h))) || (r != NIL && (!liveOf(r, e) || prio(r) > prio(h)))) return NHI_TREE;
    if ((l != NIL && parentField(l) != parentCode(h)) || (r != NIL && parentField(r) != parentCode(h))) return NHI_PARENT;
    let len = lenOf(h), ifIndex = load<u32>(nhWord(h, NEXTHOP_IFINDEX));
    if (nhIndexFind(e, nhAddr(h), len, ifIndex) != h) return NHI_HASH;
    if (p != 0 && (load<u32>(bucketOf(p, h), 4) & PENDING) != 0) return NHI_TREE;
    prev = h;
  }
  if (p == 0) return n <= 1 ? NHI_OK : NHI_COUNT;
  let pending: u32 = 0;
  prev = NIL;
  for (let h = load<u32>(p + H_PENDING); h != NIL; h = left(h)) {
    if (!liveOf(h, e) || ++pending > limit || right(h) != prev) return NHI_PENDING;
    let len = lenOf(h), ifIndex = load<u32>(nhWord(h, NEXTHOP_IFINDEX));
    if (nhIndexFind(e, nhAddr(h), len, ifIndex) != h) return NHI_HASH;
    if ((load<u32>(bucketOf(p, h), 4) & PENDING) == 0) return NHI_PENDING;
    prev = h;
  }
  if (pending != pendingCount(p)) return NHI_PENDING;
  let cap = load<u32>(p + H_CAP), used: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s == NIL) continue;
    used++;
    let word = load<u32>(b, 4);
    if (!liveOf(s, e) || (word & HASH_MASK) != hashOf(s)) return NHI_HASH;
    let len = lenOf(s), ifIndex = load<u32>(nhWord(s, NEXTHOP_IFINDEX));
    if (nhIndexFind(e, nhAddr(s), len, ifIndex) != s) return NHI_HASH;
    if ((word & PENDING) == 0 && treapSeek(e, nhAddr(s), len, ifIndex, true) != s) return NHI_HASH;
  }
  let all = n + pending;
  if (used != all || load<u32>(p + H_COUNT) != all || all == 0 || <u64>all * 4 > <u64>cap * 3) return NHI_COUNT;
  return NHI_OK;
}
