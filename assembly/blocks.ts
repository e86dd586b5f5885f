// General-purpose blocks for the core's variable-size arrays (route next-hop arrays, timer heaps,
// notification queues): power-of-two sizes from 16 B to 1 GiB, on pages from the slab page reserve
// (slab.ts takePages, which honours the memory cap). Never TLSF: TLSF traps when linear memory cannot
// grow, blockAlloc returns 0 instead, so every caller reserves before its operation's first change
// (blockReserve) and reports ERROR_NOT_ENOUGH_MEMORY.
// Blocks below 64 KiB are buddies inside a "small page": its first 512 bytes hold one bit per buddy pair
// (free(lower) XOR free(upper), Knuth), so a freed block merges with its free buddy, up to 32 KiB, and
// deleting records gives memory back to every size. Blocks of 64 KiB and more are runs of whole pages,
// split when a smaller size needs one and never merged. Free lists are doubly linked (words 0 and 1).
// Costs: O(sizes) per call. The caller gives the size back to blockFree (no header).
// Three pools with free lists and pages of their own: POOL_MAIN (every caller above), POOL_REFS, the
// reference tables of refs.ts (refBlockAlloc / refBlockFree), and POOL_XI, the extra index of xindex.ts
// (xiBlockAlloc / xiBlockFree; hash tables that keep their size too): a page taken for one
// keeps its free buddies for it, so their growth finds room there as the reference slab's chunks did
// (and one pool's growth does not take the room another's relies on), and blockBytes counts POOL_MAIN
// alone (refBlockBytes and xiBlockBytes the others).
import { takePages } from './slab';

const MIN_CLASS: u32 = 4;     // 16 bytes
const PAGE_CLASS: u32 = 16;   // 64 KiB: blocks of this size and larger are whole pages
const MAX_CLASS: u32 = 30;    // 1 GiB
const META_CLASS: u32 = 9;    // a small page's pair bits: 4095 bits in its first 512 bytes
const POOL_MAIN: u32 = 0;
const POOL_REFS: u32 = 1;
const POOL_XI: u32 = 2;
const POOLS: u32 = 3;
/** Free blocks per size class (0 = none), one list head array per pool. */
const FREES: usize = memory.data(<i32>(POOLS * (MAX_CLASS + 1) * 4), 16);
/** The pool the current call serves (POOL_MAIN but inside the refBlock* / xiBlock* functions) and its free lists. */
let pool: u32 = POOL_MAIN;
let FREE: usize = FREES;
/** Bytes of the blocks handed out and not yet freed (classes, not requests): POOL_MAIN's, POOL_REFS's, POOL_XI's. */
let inUse: f64 = 0;
let inUseRefs: f64 = 0;
let inUseXi: f64 = 0;

// @ts-ignore: decorator
@inline function usePool(p: u32): void { pool = p; FREE = FREES + <usize>p * ((MAX_CLASS + 1) * 4); }
/** Adds to the current pool's bytes in use. */
// @ts-ignore: decorator
@inline function count(bytes: f64): void {
  if (pool == POOL_MAIN) inUse += bytes; else if (pool == POOL_REFS) inUseRefs += bytes; else inUseXi += bytes;
}

// ── free lists ──────────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function head(k: u32): usize { return <usize>load<u32>(FREE + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function setHead(k: u32, p: usize): void { store<u32>(FREE + (<usize>k << 2), <u32>p); }

function link(k: u32, p: usize): void {
  let h = head(k);
  store<u32>(p, <u32>h);
  store<u32>(p, 0, 4);
  if (h != 0) store<u32>(h, <u32>p, 4);
  setHead(k, p);
}

function unlink(k: u32, p: usize): void {
  let next = <usize>load<u32>(p), prev = <usize>load<u32>(p, 4);
  if (prev == 0) setHead(k, next); else store<u32>(prev, <u32>next);
  if (next != 0) store<u32>(next, <u32>prev, 4);
}

// ── pair bits of small pages ────────────────────────────────────────────────────────────────────────
/** Flips the pair bit of the class-k block at p (k < PAGE_CLASS); returns the bit's new value. */
function flip(k: u32, p: usize): bool {
  let page = p & ~<usize>0xffff;
  // bits of class k follow those of the smaller classes: 2^(15-j) pairs per class j
  let bit = ((<u32>1 << (PAGE_CLASS - MIN_CLASS)) - (<u32>1 << (PAGE_CLASS - k))) + <u32>((p & 0xffff) >> (k + 1));
  let a = page + <usize>(bit >> 3);
  let m = <u32>1 << (bit & 7);
  let v = <u32>load<u8>(a) ^ m;
  store<u8>(a, <u8>v);
  return (v & m) != 0;
}

/** Puts a free block of class k on its list (small classes: the pair bit says the buddy is not free). */
function putFree(k: u32, p: usize): void {
  if (k < PAGE_CLASS) flip(k, p);
  link(k, p);
}

/** Takes free block p of class k off its list for use. */
function takeFree(k: u32, p: usize): usize {
  unlink(k, p);
  if (k < PAGE_CLASS) flip(k, p);
  return p;
}

/** Block p of class j cut down to class k: the upper halves become free blocks of j-1 … k. */
function split(p: usize, j: u32, k: u32): usize {
  while (j > k) { j--; putFree(j, p + (<usize>1 << j)); }
  return p;
}

/** A free block of class k cut from the first non-empty list in (k, to]; 0 if none. */
function splitFrom(k: u32, to: u32): usize {
  for (let j = k + 1; j <= to; j++) {
    let p = head(j);
    if (p != 0) return split(takeFree(j, p), j, k);
  }
  return 0;
}

/** A page for blocks below PAGE_CLASS: pair bits cleared, its first 512 bytes kept for them. */
function smallPage(): bool {
  let p = head(PAGE_CLASS);
  if (p != 0) takeFree(PAGE_CLASS, p);
  else {
    p = takePages(1);
    if (p == 0) p = splitFrom(PAGE_CLASS, MAX_CLASS);
    if (p == 0) return false;
  }
  memory.fill(p, 0, <usize>1 << META_CLASS);
  split(p, PAGE_CLASS, META_CLASS);
  return true;
}

function take(k: u32): usize {
  let p = head(k);
  if (p != 0) return takeFree(k, p);
  if (k < PAGE_CLASS) {
    p = splitFrom(k, PAGE_CLASS - 1);
    if (p != 0) return p;
    if (!smallPage()) return 0;
    // the new page has a free block of every class from 9 to 15
    p = head(k);
    return p != 0 ? takeFree(k, p) : splitFrom(k, PAGE_CLASS - 1);
  }
  // whole pages, else a larger free run
  p = takePages(<i32>(1 << (k - PAGE_CLASS)));
  if (p != 0) return p;
  return splitFrom(k, MAX_CLASS);
}

/** log2 of the block size that holds `bytes` (MAX_CLASS + 1 when no block does). */
export function blockClass(bytes: usize): u32 {
  if (bytes <= (<usize>1 << MIN_CLASS)) return MIN_CLASS;
  if (<u64>bytes > (<u64>1 << MAX_CLASS)) return MAX_CLASS + 1;
  return 32 - <u32>clz(<u32>(bytes - 1));
}

/** A block of at least `bytes` bytes (aligned to its size below 64 KiB, else to a page); 0 if out of memory. */
export function blockAlloc(bytes: usize): usize {
  let k = blockClass(bytes);
  if (k > MAX_CLASS) return 0;
  let p = take(k);
  if (p != 0) count(<f64>(<u64>1 << k));
  return p;
}

/** Gives back block p, allocated for `bytes` bytes; a small block merges with its free buddy. */
export function blockFree(p: usize, bytes: usize): void {
  let k = blockClass(bytes);
  count(-<f64>(<u64>1 << k));
  while (k < PAGE_CLASS - 1) {
    if (flip(k, p)) { link(k, p); return; }   // the buddy is not free
    // both free: the buddy leaves its list (its pair bit is 0 again) and the pair is one block of k+1
    let buddy = p ^ (<usize>1 << k);
    unlink(k, buddy);
    p &= ~(<usize>1 << k);
    k++;
  }
  putFree(k, p);
}

/**
 * Makes sure the next blockAlloc of `bytes` succeeds without taking memory: the block is allocated and
 * freed again. Holds until another block is allocated, so call it after every other reservation of the
 * operation (nothing between it and the allocation may allocate a block).
 */
export function blockReserve(bytes: usize): bool {
  let p = blockAlloc(bytes);
  if (p == 0) return false;
  blockFree(p, bytes);
  return true;
}

/** Bytes of POOL_MAIN's blocks in use (for memory accounting and leak checks). */
export function blockBytes(): f64 { return inUse; }

/** blockAlloc from pool `pl` (POOL_REFS, POOL_XI). */
function poolAlloc(pl: u32, bytes: usize): usize {
  usePool(pl);
  let p = blockAlloc(bytes);
  usePool(POOL_MAIN);
  return p;
}

/** blockFree to pool `pl`. */
function poolFree(pl: u32, p: usize, bytes: usize): void {
  usePool(pl);
  blockFree(p, bytes);
  usePool(POOL_MAIN);
}

/** blockAlloc from POOL_REFS (refs.ts's tables). */
export function refBlockAlloc(bytes: usize): usize { return poolAlloc(POOL_REFS, bytes); }
/** blockFree to POOL_REFS. */
export function refBlockFree(p: usize, bytes: usize): void { poolFree(POOL_REFS, p, bytes); }
/** Bytes of POOL_REFS's blocks in use. */
export function refBlockBytes(): f64 { return inUseRefs; }

/** blockAlloc from POOL_XI (xindex.ts's maps). */
export function xiBlockAlloc(bytes: usize): usize { return poolAlloc(POOL_XI, bytes); }
/** blockFree to POOL_XI. */
export function xiBlockFree(p: usize, bytes: usize): void { poolFree(POOL_XI, p, bytes); }
/** Bytes of POOL_XI's blocks in use. */
export function xiBlockBytes(): f64 { return inUseXi; }
