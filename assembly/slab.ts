// Growable slabs of fixed-stride u32 records with free lists; the only user of heap.alloc/realloc.
// A descriptor per kind (base pointer, stride, capacity, high-water mark, free head, live count) lives
// in static memory. Growth doubles the capacity (realloc may move the base and grow linear memory, so
// callers re-read bases after any alloc). Freed slots keep their GEN word (bumped, ALIVE cleared) so
// stale handles are detected; the free link lives in the kind's link word.
import {
  NIL, GEN_MASK, GEN_ALIVE, SLAB_KINDS, SLAB_NODE, TABLE_WORDS, NODE_WORDS, DEST_WORDS, ROUTE_WORDS,
  NEXTHOP_WORDS, ENTITY_WORDS, NODE_C0,
} from './layout';

// descriptor words
const D_BASE: u32 = 0, D_STRIDE: u32 = 1, D_CAP: u32 = 2, D_HW: u32 = 3, D_FREE: u32 = 4, D_LIVE: u32 = 5,
  D_LINK: u32 = 6, D_HASGEN: u32 = 7;
const D_WORDS: u32 = 8;
const SLABS: usize = memory.data(<i32>(SLAB_KINDS * D_WORDS * 4), 16);

/** Largest slab in bytes (TLSF's block limit is 2^30). */
const MAX_SLAB_BYTES: u64 = (<u64>1 << 30) - 64;

// @ts-ignore: decorator
@inline function desc(kind: u32, w: u32): u32 {
  return load<u32>(SLABS + ((<usize>kind * D_WORDS + w) << 2));
}
// @ts-ignore: decorator
@inline function setDesc(kind: u32, w: u32, v: u32): void {
  store<u32>(SLABS + ((<usize>kind * D_WORDS + w) << 2), v);
}

/** Base byte address of a slab (moves on growth). */
// @ts-ignore: decorator
@inline export function slabBase(kind: u32): usize {
  return <usize>load<u32>(SLABS + ((<usize>kind * D_WORDS) << 2));
}
/** Slots ever used (the high-water mark): every valid slot index is below it. */
// @ts-ignore: decorator
@inline export function slabHigh(kind: u32): u32 { return desc(kind, D_HW); }
/** Records currently allocated. */
// @ts-ignore: decorator
@inline export function slabLive(kind: u32): u32 { return desc(kind, D_LIVE); }
/** Capacity in records. */
// @ts-ignore: decorator
@inline export function slabCap(kind: u32): u32 { return desc(kind, D_CAP); }
/** Stride in words. */
// @ts-ignore: decorator
@inline export function slabStride(kind: u32): u32 { return desc(kind, D_STRIDE); }

function initKind(kind: u32, strideWords: u32, linkWord: u32, hasGen: bool): void {
  setDesc(kind, D_BASE, 0);
  setDesc(kind, D_STRIDE, strideWords);
  setDesc(kind, D_CAP, 0);
  setDesc(kind, D_HW, 0);
  setDesc(kind, D_FREE, NIL);
  setDesc(kind, D_LIVE, 0);
  setDesc(kind, D_LINK, linkWord);
  setDesc(kind, D_HASGEN, hasGen ? 1 : 0);
}

/** Sets up every slab descriptor (empty slabs; memory is taken on first use). */
export function slabInit(): void {
  initKind(0, TABLE_WORDS, 1, true);
  initKind(1, NODE_WORDS, NODE_C0, false);
  initKind(2, DEST_WORDS, 1, true);
  initKind(3, ROUTE_WORDS, 1, true);
  initKind(4, NEXTHOP_WORDS, 1, true);
  initKind(5, ENTITY_WORDS, 1, true);
}

/** Grows a slab to hold at least `need` records; false if that would exceed the slab limit. */
function grow(kind: u32, need: u32): bool {
  let cap = desc(kind, D_CAP);
  let stride = desc(kind, D_STRIDE);
  let newCap: u64 = cap < 64 ? 64 : <u64>cap * 2;
  while (newCap < <u64>need) newCap *= 2;
  let bytes: u64 = newCap * <u64>stride * 4;
  if (bytes > MAX_SLAB_BYTES) {
    newCap = MAX_SLAB_BYTES / (<u64>stride * 4);
    if (newCap < <u64>need) return false;
    bytes = newCap * <u64>stride * 4;
  }
  let base = slabBase(kind);
  let nb = base == 0 ? heap.alloc(<usize>bytes) : heap.realloc(base, <usize>bytes);
  setDesc(kind, D_BASE, <u32>nb);
  setDesc(kind, D_CAP, <u32>newCap);
  return true;
}

/** Makes sure `n` more records can be allocated without failing; false = not enough memory. */
export function slabReserve(kind: u32, n: u32): bool {
  // free-list slots are usable too, but counting them costs a walk; capacity above the mark suffices
  let hw = desc(kind, D_HW);
  if (<u64>hw + <u64>n <= <u64>desc(kind, D_CAP)) return true;
  let freeCount: u32 = 0;
  let link = desc(kind, D_LINK);
  let base = slabBase(kind), stride = desc(kind, D_STRIDE);
  for (let f = desc(kind, D_FREE); f != NIL && freeCount < n; freeCount++) {
    f = load<u32>(base + ((<usize>f * stride + link) << 2));
  }
  if (freeCount >= n) return true;
  if (<u64>hw + <u64>(n - freeCount) > 0xfffffff) return false;
  return grow(kind, hw + (n - freeCount));
}

/** Allocates a zeroed record (GEN kept, ALIVE set); NIL if out of memory. */
export function slabAlloc(kind: u32): u32 {
  let idx = desc(kind, D_FREE);
  let stride = desc(kind, D_STRIDE);
  if (idx != NIL) {
    let base = slabBase(kind);
    setDesc(kind, D_FREE, load<u32>(base + ((<usize>idx * stride + desc(kind, D_LINK)) << 2)));
  } else {
    idx = desc(kind, D_HW);
    if (idx >= desc(kind, D_CAP)) {
      if (idx >= 0x1ffffff) return NIL; // slot numbers are 25 bits in a handle
      if (!grow(kind, idx + 1)) return NIL;
    }
    setDesc(kind, D_HW, idx + 1);
    // a never-used slot starts at generation 1
    if (desc(kind, D_HASGEN)) store<u32>(slabBase(kind) + ((<usize>idx * stride) << 2), 1);
  }
  let p = slabBase(kind) + ((<usize>idx * stride) << 2);
  let hasGen = desc(kind, D_HASGEN) != 0;
  let gen = hasGen ? load<u32>(p) & GEN_MASK : 0;
  memory.fill(p, 0, <usize>stride << 2);
  if (hasGen) store<u32>(p, gen | GEN_ALIVE);
  setDesc(kind, D_LIVE, desc(kind, D_LIVE) + 1);
  return idx;
}

/** Frees a record: bumps its generation (so handles to it go stale) and links it into the free list. */
export function slabFree(kind: u32, idx: u32): void {
  let stride = desc(kind, D_STRIDE);
  let p = slabBase(kind) + ((<usize>idx * stride) << 2);
  if (desc(kind, D_HASGEN)) {
    assert((load<u32>(p) & GEN_ALIVE) != 0); // freeing a live record only
    let gen = ((load<u32>(p) & GEN_MASK) + 1) & GEN_MASK;
    store<u32>(p, gen == 0 ? 1 : gen);
  }
  store<u32>(p + (<usize>desc(kind, D_LINK) << 2), desc(kind, D_FREE));
  setDesc(kind, D_FREE, idx);
  setDesc(kind, D_LIVE, desc(kind, D_LIVE) - 1);
}

/** True if slot `idx` of a generation-bearing kind is allocated. */
// @ts-ignore: decorator
@inline export function slabIsAlive(kind: u32, idx: u32): bool {
  return idx < desc(kind, D_HW) &&
    (load<u32>(slabBase(kind) + ((<usize>idx * desc(kind, D_STRIDE)) << 2)) & GEN_ALIVE) != 0;
}

/** Bytes of linear memory held by all slabs (capacity, not use). */
export function slabBytes(): f64 {
  let total: f64 = 0;
  for (let k: u32 = 0; k < SLAB_KINDS; k++) total += <f64>desc(k, D_CAP) * <f64>desc(k, D_STRIDE) * 4;
  return total;
}

// Node slab is the hottest; expose its base for the trie's inner loops.
// @ts-ignore: decorator
@inline export function nodeBase(): usize { return slabBase(SLAB_NODE); }
