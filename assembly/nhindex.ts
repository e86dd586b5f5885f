// Next hops of an entity by index: a hash on (address bits, length, interface) makes find O(1) expected,
// and a treap in (address, interface) order (spec §8.8.8) gives O(log n) insert, delete and seek with an
// in-order successor for enumerations. The treap costs no memory: a live next hop's link words
// (NEXTHOP_LEFT/RIGHT) are its children and its priority is a mix of its slot number. The hash is one
// block per entity with live next hops — a 16-byte header and 8-byte buckets (slot, hash), linear
// probing, load ≤ 3/4, doubled when full, freed with the entity's last next hop. Blocks are 2^k bytes
// from the slab page reserve (takePages), recycled on per-size free lists here (never TLSF), so running
// out of memory is a status (nhIndexReserve → false) before anything changes, never a trap.
import {
  NIL, SLAB_ENTITY, SLAB_NEXTHOP, ENTITY_WORDS, ENTITY_NEXTHOPS, ENTITY_NHINDEX, ENTITY_TABLE, NEXTHOP_WORDS,
  NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_IFINDEX, NEXTHOP_LEFT, NEXTHOP_RIGHT, NEXTHOP_OWNER, NEXTHOP_FLAGS,
  NEXTHOP_STATE_SHIFT, NEXTHOP_STATE_CREATED, NEXTHOP_TABLE,
} from './layout';
import { recPtr, takePages, slabIsAlive, slabHigh } from './slab';
import { prefixCompare, prefixEq, wordMask } from './addr';

// block header words (byte offsets) and the bucket area after it
const H_CAP: usize = 0;      // buckets (2^(class-3) - 2)
const H_COUNT: usize = 4;    // live next hops in the block
const H_CLASS: usize = 8;    // log2 of the block's bytes
const HDR: usize = 16;
const MIN_CLASS: u32 = 6;    // 64 bytes: 6 buckets
const MAX_CLASS: u32 = 30;   // 1 GiB: more buckets than next-hop slots exist
/** Free blocks per size class (link in the block's first word; 0 = none). */
const FREE: usize = memory.data(<i32>((MAX_CLASS + 1) * 4), 16);
/** Test hook: block allocations left before they fail (-1 = no limit). */
let allocBudget: i32 = -1;
/** Bytes of the blocks in use by all entities (for memory accounting). */
let bytesInUse: f64 = 0;

export const NHI_OK: i32 = 0;
export const NHI_TREE: i32 = 1;    // tree node not live / of another owner, order or heap rule broken
export const NHI_HASH: i32 = 2;    // bucket not live / of another owner, wrong hash, or not found by find
export const NHI_COUNT: i32 = 3;   // tree, hash and header counts differ

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
  store<u32>(p + 12, 0);
  memory.fill(p + HDR, 0xff, <usize>cap << 3); // every bucket's slot NIL
  bytesInUse += <f64>(1 << k);
  return p;
}

function freeBlock(p: usize): void {
  let k = load<u32>(p + H_CLASS);
  bytesInUse -= <f64>(1 << k);
  store<u32>(p, <u32>freeHead(k));
  setFreeHead(k, p);
}

// ── records ──────────────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function entityWord(e: u32, w: u32): usize { return recPtr(SLAB_ENTITY, e, ENTITY_WORDS) + (<usize>w << 2); }
// @ts-ignore: decorator
@inline function nhWord(h: u32, w: u32): usize { return recPtr(SLAB_NEXTHOP, h, NEXTHOP_WORDS) + (<usize>w << 2); }
// @ts-ignore: decorator
@inline function nhAddr(h: u32): usize { return nhWord(h, NEXTHOP_ADDR); }
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

/** Hash of (the first len bits of key, len, interface); bits beyond len do not count. */
function hashKey(key: usize, len: u32, ifIndex: u32): u32 {
  let h: u32 = len * 0x9e3779b1 ^ ifIndex * 0x85ebca77;
  for (let w: u32 = 0; w * 32 < len; w++) {
    let keep = len - w * 32;
    let v = load<u32>(key + (<usize>w << 2)) & (keep >= 32 ? 0xffffffff : wordMask(keep));
    h = rotl<u32>(h ^ (v * 0xcc9e2d51), 13) * 5 + 0xe6546b64;
  }
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline function hashOf(h: u32): u32 {
  return hashKey(nhAddr(h), load<u32>(nhWord(h, NEXTHOP_LEN)), load<u32>(nhWord(h, NEXTHOP_IFINDEX)));
}

/** Home bucket of a hash in `cap` buckets (multiply-shift: cap need not be a power of two). */
// @ts-ignore: decorator
@inline function home(hash: u32, cap: u32): u32 { return <u32>((<u64>hash * <u64>cap) >> 32); }

/** Order of next hop h against the position (key, len, ifIndex): address in canonical order, then interface. */
function compareAt(h: u32, key: usize, len: u32, ifIndex: u32): i32 {
  let a = nhAddr(h), hl = load<u32>(nhWord(h, NEXTHOP_LEN));
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
  return compareAt(a, nhAddr(b), load<u32>(nhWord(b, NEXTHOP_LEN)), load<u32>(nhWord(b, NEXTHOP_IFINDEX)));
}

// ── hash ─────────────────────────────────────────────────────────────────────────────────────────────

/** The live next hop of entity e with (address key, len, interface), or NIL. O(1) expected. */
export function nhIndexFind(e: u32, key: usize, len: u32, ifIndex: u32): u32 {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) return NIL;
  let hash = hashKey(key, len, ifIndex);
  let cap = load<u32>(p + H_CAP);
  let i = home(hash, cap);
  while (true) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s == NIL) return NIL;
    if (load<u32>(b, 4) == hash && load<u32>(nhWord(s, NEXTHOP_IFINDEX)) == ifIndex &&
      load<u32>(nhWord(s, NEXTHOP_LEN)) == len && prefixEq(nhAddr(s), key, len)) return s;
    if (++i == cap) i = 0;
  }
  return NIL;
}

/** Places (slot, hash) in the first empty bucket of its probe run (caller ensured room). */
function place(p: usize, s: u32, hash: u32): void {
  let cap = load<u32>(p + H_CAP);
  let i = home(hash, cap);
  while (load<u32>(p + HDR + (<usize>i << 3)) != NIL) { if (++i == cap) i = 0; }
  let b = p + HDR + (<usize>i << 3);
  store<u32>(b, s);
  store<u32>(b, hash, 4);
}

/**
 * Makes room for one more next hop of entity e (a block for its first, a doubled block when the load
 * would pass 3/4); false if memory is exhausted, and then nothing has changed.
 */
export function nhIndexReserve(e: u32): bool {
  let w = entityWord(e, ENTITY_NHINDEX);
  let p = <usize>load<u32>(w);
  if (p == 0) {
    p = allocBlock(MIN_CLASS);
    if (p == 0) return false;
    store<u32>(entityWord(e, ENTITY_NHINDEX), <u32>p);
    return true;
  }
  let cap = load<u32>(p + H_CAP), count = load<u32>(p + H_COUNT);
  if (<u64>(count + 1) * 4 <= <u64>cap * 3) return true;
  let q = allocBlock(load<u32>(p + H_CLASS) + 1);
  if (q == 0) return false;
  for (let i: u32 = 0; i < cap; i++) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s != NIL) place(q, s, load<u32>(b, 4));
  }
  store<u32>(q + H_COUNT, count);
  freeBlock(p);
  store<u32>(entityWord(e, ENTITY_NHINDEX), <u32>q);
  return true;
}

/** Removes slot s (with hash) from block p by backward shifting the rest of its probe run. */
function unplace(p: usize, s: u32, hash: u32): void {
  let cap = load<u32>(p + H_CAP);
  let i = home(hash, cap);
  while (load<u32>(p + HDR + (<usize>i << 3)) != s) {
    assert(load<u32>(p + HDR + (<usize>i << 3)) != NIL); // s is in the block
    if (++i == cap) i = 0;
  }
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
}

// ── ordered tree ─────────────────────────────────────────────────────────────────────────────────────

/** Adds the new live next hop h (address, len, interface written; nhIndexReserve done) to e's index. */
export function nhIndexInsert(e: u32, h: u32): void {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  assert(p != 0 && <u64>(load<u32>(p + H_COUNT) + 1) * 4 <= <u64>load<u32>(p + H_CAP) * 3); // reserved
  place(p, h, hashOf(h));
  store<u32>(p + H_COUNT, load<u32>(p + H_COUNT) + 1);
  // treap: descend while the nodes outrank h, then split the subtree there around h's key
  let ph = prio(h);
  let link = entityWord(e, ENTITY_NEXTHOPS);
  let cur = load<u32>(link);
  while (cur != NIL && prio(cur) > ph) {
    link = compareNh(h, cur) < 0 ? nhWord(cur, NEXTHOP_LEFT) : nhWord(cur, NEXTHOP_RIGHT);
    cur = load<u32>(link);
  }
  let lLink = nhWord(h, NEXTHOP_LEFT), rLink = nhWord(h, NEXTHOP_RIGHT);
  while (cur != NIL) {
    if (compareNh(cur, h) < 0) { store<u32>(lLink, cur); lLink = nhWord(cur, NEXTHOP_RIGHT); cur = load<u32>(lLink); }
    else { store<u32>(rLink, cur); rLink = nhWord(cur, NEXTHOP_LEFT); cur = load<u32>(rLink); }
  }
  store<u32>(lLink, NIL);
  store<u32>(rLink, NIL);
  store<u32>(link, h);
}

/** Takes the live next hop h out of e's index (its link words are left for the caller to reuse). */
export function nhIndexRemove(e: u32, h: u32): void {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  assert(p != 0); // h is indexed
  unplace(p, h, hashOf(h));
  let count = load<u32>(p + H_COUNT) - 1;
  store<u32>(p + H_COUNT, count);
  if (count == 0) { freeBlock(p); store<u32>(entityWord(e, ENTITY_NHINDEX), 0); }
  let link = entityWord(e, ENTITY_NEXTHOPS);
  let cur = load<u32>(link);
  while (cur != h) {
    assert(cur != NIL); // h is in the tree
    if (cur == NIL) return;
    link = compareNh(h, cur) < 0 ? nhWord(cur, NEXTHOP_LEFT) : nhWord(cur, NEXTHOP_RIGHT);
    cur = load<u32>(link);
  }
  // merge h's subtrees (every key on the left is below every key on the right) into its place
  let a = left(h), b = right(h);
  while (true) {
    if (a == NIL) { store<u32>(link, b); break; }
    if (b == NIL) { store<u32>(link, a); break; }
    if (prio(a) > prio(b)) { store<u32>(link, a); link = nhWord(a, NEXTHOP_RIGHT); a = load<u32>(link); }
    else { store<u32>(link, b); link = nhWord(b, NEXTHOP_LEFT); b = load<u32>(link); }
  }
  store<u32>(nhWord(h, NEXTHOP_LEFT), NIL);
  store<u32>(nhWord(h, NEXTHOP_RIGHT), NIL);
}

/** Entity e's first next hop in (address, interface) order, or NIL. */
export function nhOrderFirst(e: u32): u32 {
  let cur = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  if (cur == NIL) return NIL;
  while (left(cur) != NIL) cur = left(cur);
  return cur;
}

/** Entity e's first next hop after the position (key, len, ifIndex) — or at it, if inclusive — or NIL. */
export function nhOrderSeek(e: u32, key: usize, len: u32, ifIndex: u32, inclusive: bool): u32 {
  let best = NIL;
  let cur = load<u32>(entityWord(e, ENTITY_NEXTHOPS));
  while (cur != NIL) {
    let c = compareAt(cur, key, len, ifIndex);
    if (c > 0 || (c == 0 && inclusive)) { best = cur; cur = left(cur); } else cur = right(cur);
  }
  return best;
}

/** The next hop after h (a live next hop of e) in e's order, or NIL. */
export function nhOrderNext(e: u32, h: u32): u32 {
  let cur = right(h);
  if (cur != NIL) {
    while (left(cur) != NIL) cur = left(cur);
    return cur;
  }
  return nhOrderSeek(e, nhAddr(h), load<u32>(nhWord(h, NEXTHOP_LEN)), load<u32>(nhWord(h, NEXTHOP_IFINDEX)), false);
}

/** Live next hops of entity e (the hash block's count). */
export function nhIndexCount(e: u32): u32 {
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  return p == 0 ? 0 : load<u32>(p + H_COUNT);
}

// ── invariants (debug.ts) ────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function liveOf(h: u32, e: u32): bool {
  return h < slabHigh(SLAB_NEXTHOP) && slabIsAlive(SLAB_NEXTHOP, h) &&
    (load<u32>(nhWord(h, NEXTHOP_FLAGS)) >>> NEXTHOP_STATE_SHIFT) == NEXTHOP_STATE_CREATED &&
    load<u32>(nhWord(h, NEXTHOP_OWNER)) == e &&
    load<u32>(nhWord(h, NEXTHOP_TABLE)) == load<u32>(entityWord(e, ENTITY_TABLE));
}

/**
 * Checks entity e's index: the tree walks in strictly increasing order over live next hops of e with
 * heap-ordered priorities; every bucket holds a live next hop of e under its own hash that find and
 * the tree both reach; tree, buckets and header count the same. O(n log n); allocates nothing.
 */
export function nhIndexCheck(e: u32): i32 {
  let limit = slabHigh(SLAB_NEXTHOP);
  let n: u32 = 0, prev = NIL;
  for (let h = nhOrderFirst(e); h != NIL; h = nhOrderNext(e, h)) {
    if (!liveOf(h, e) || ++n > limit) return NHI_TREE;
    if (prev != NIL && compareNh(prev, h) >= 0) return NHI_TREE;
    let l = left(h), r = right(h);
    if ((l != NIL && (!liveOf(l, e) || prio(l) > prio(h))) || (r != NIL && (!liveOf(r, e) || prio(r) > prio(h)))) return NHI_TREE;
    let len = load<u32>(nhWord(h, NEXTHOP_LEN)), ifIndex = load<u32>(nhWord(h, NEXTHOP_IFINDEX));
    if (nhIndexFind(e, nhAddr(h), len, ifIndex) != h) return NHI_HASH;
    prev = h;
  }
  let p = <usize>load<u32>(entityWord(e, ENTITY_NHINDEX));
  if (p == 0) return n == 0 ? NHI_OK : NHI_COUNT;
  let cap = load<u32>(p + H_CAP), used: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    let b = p + HDR + (<usize>i << 3);
    let s = load<u32>(b);
    if (s == NIL) continue;
    used++;
    if (!liveOf(s, e) || load<u32>(b, 4) != hashOf(s)) return NHI_HASH;
    let len = load<u32>(nhWord(s, NEXTHOP_LEN)), ifIndex = load<u32>(nhWord(s, NEXTHOP_IFINDEX));
    if (nhIndexFind(e, nhAddr(s), len, ifIndex) != s || nhOrderSeek(e, nhAddr(s), len, ifIndex, true) != s) return NHI_HASH;
  }
  if (used != n || load<u32>(p + H_COUNT) != n || n == 0 || <u64>n * 4 > <u64>cap * 3) return NHI_COUNT;
  return NHI_OK;
}
