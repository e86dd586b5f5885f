// General-purpose blocks for the core's variable-size arrays (route next-hop arrays, timer heaps,
// notification queues): power-of-two sizes from 16 B to 1 GiB, carved from the slab page reserve
// (slab.ts takePages, which honours the memory cap) and recycled on one free list per size. Never TLSF:
// TLSF traps when linear memory cannot grow, a block allocation returns 0 instead, so every caller can
// reserve before its operation's first change (blockReserve) and report ERROR_NOT_ENOUGH_MEMORY.
// Blocks are never merged. A small block splits a free page-sized one before fresh pages are taken, and a
// larger free block only when memory cannot grow. Costs: O(sizes) worst case per call; the caller gives
// the size back to blockFree (no header).
import { takePages } from './slab';

const MIN_CLASS: u32 = 4;     // 16 bytes
const PAGE_CLASS: u32 = 16;   // 64 KiB: blocks of this size and larger are whole pages
const MAX_CLASS: u32 = 30;    // 1 GiB
/** Free blocks per size class (link in the block's first word; 0 = none). */
const FREE: usize = memory.data(<i32>((MAX_CLASS + 1) * 4), 16);
/** Bytes of the blocks handed out and not yet freed (classes, not requests). */
let inUse: f64 = 0;

// @ts-ignore: decorator
@inline function head(k: u32): usize { return <usize>load<u32>(FREE + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function push(k: u32, p: usize): void {
  store<u32>(p, <u32>head(k));
  store<u32>(FREE + (<usize>k << 2), <u32>p);
}
function pop(k: u32): usize {
  let p = head(k);
  if (p != 0) store<u32>(FREE + (<usize>k << 2), load<u32>(p));
  return p;
}

/** log2 of the block size that holds `bytes` (MAX_CLASS + 1 when no block does). */
export function blockClass(bytes: usize): u32 {
  if (bytes <= (<usize>1 << MIN_CLASS)) return MIN_CLASS;
  if (<u64>bytes > (<u64>1 << MAX_CLASS)) return MAX_CLASS + 1;
  return 32 - <u32>clz(<u32>(bytes - 1));
}

/** Block p of class j cut down to class k: the upper halves go on the free lists of j-1 … k. */
function split(p: usize, j: u32, k: u32): usize {
  while (j > k) { j--; push(j, p + (<usize>1 << j)); }
  return p;
}

/** A free block of class k from the first non-empty list in (k, to], cut down; 0 if none. */
function splitFrom(k: u32, to: u32): usize {
  for (let j = k + 1; j <= to; j++) {
    let p = pop(j);
    if (p != 0) return split(p, j, k);
  }
  return 0;
}

function take(k: u32): usize {
  let p = pop(k);
  if (p != 0) return p;
  if (k < PAGE_CLASS) {
    // 1. a free block up to a page; 2. a fresh page; 3. a larger free block
    p = splitFrom(k, PAGE_CLASS);
    if (p != 0) return p;
    p = takePages(1);
    if (p != 0) return split(p, PAGE_CLASS, k);
    return splitFrom(k, MAX_CLASS);
  }
  // whole pages, else a larger free block
  p = takePages(<i32>(1 << (k - PAGE_CLASS)));
  if (p != 0) return p;
  return splitFrom(k, MAX_CLASS);
}

/** A block of at least `bytes` bytes (aligned to its size up to 64 KiB, else to a page); 0 if out of memory. */
export function blockAlloc(bytes: usize): usize {
  let k = blockClass(bytes);
  if (k > MAX_CLASS) return 0;
  let p = take(k);
  if (p != 0) inUse += <f64>(<u64>1 << k);
  return p;
}

/** Gives back block p, allocated for `bytes` bytes. */
export function blockFree(p: usize, bytes: usize): void {
  let k = blockClass(bytes);
  inUse -= <f64>(<u64>1 << k);
  push(k, p);
}

/**
 * Makes sure the next blockAlloc of `bytes` succeeds without taking memory: the block is allocated and
 * put back at the head of its free list. Holds until another block of that size is allocated, so call
 * it after every other reservation of the operation.
 */
export function blockReserve(bytes: usize): bool {
  let p = blockAlloc(bytes);
  if (p == 0) return false;
  blockFree(p, bytes);
  return true;
}

/** Bytes of blocks in use (for memory accounting and leak checks). */
export function blockBytes(): f64 { return inUse; }
