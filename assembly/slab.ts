// Growable slabs of fixed-stride u32 records with free lists; the only caller of memory.grow (takePages).
// A slab is a directory of fixed chunks of CHUNK records (16K): slot i lives in chunk i >> CHUNK_SHIFT,
// so growth allocates one more chunk and never copies or moves a record (no realloc, no fragmentation;
// chunks come from a geometric reserve of pages under the memory cap, see takePages). Record address =
// directory load + offset (recPtr).
// A descriptor per kind (stride, capacity, high-water mark, free head and length, live count) lives in static
// memory. Freed slots keep their GEN word (bumped, ALIVE cleared) so stale handles are detected; a slot
// at the last generation is retired, not freed (slabFree); the free link lives in the kind's link word.
import {
  NIL, GEN_MASK, GEN_ALIVE, SLAB_KINDS, SLAB_NODE4, SLAB_NODE4B, SLAB_NODE4L, NODE4B_WORDS, NODE4_KEYLEN, SLAB_NODE6, SLAB_NODE6L, SLAB_NODE6B, NODE6B_WORDS, NODE6_C0, SLAB_KEY6, KEY6_WORDS, TABLE_WORDS, NODE4_WORDS, NODE6_WORDS, NODE6L_WORDS, DEST_WORDS, ROUTE_WORDS, ROUTE_NEXT,
  NEXTHOP_WORDS, ENTITY_WORDS, NODE_C0, NOTIFY_WORDS, LIST_WORDS, ENUM_WORDS, ENUMX_WORDS, ENUMX_NEXT,
  SLAB_DESTX, DESTX_WORDS, DESTX_DEST, SLAB_ROUTEX, ROUTEX_WORDS, ROUTEX_ROUTE,
} from './layout';

/** Records per chunk (2^CHUNK_SHIFT). */
export const CHUNK_SHIFT: u32 = 14;
export const CHUNK_MASK: u32 = (1 << CHUNK_SHIFT) - 1;
/** Directory entries per kind: slot numbers are 25 bits (handles.ts). */
const DIR_ENTRIES: u32 = (1 << 25) >> CHUNK_SHIFT;
const DIR: usize = memory.data(<i32>(SLAB_KINDS * DIR_ENTRIES * 4), 16);

// descriptor words
const D_NFREE: u32 = 0, D_STRIDE: u32 = 1, D_CAP: u32 = 2, D_HW: u32 = 3, D_FREE: u32 = 4, D_LIVE: u32 = 5,
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

/** Byte address of record `idx` of `kind`, whose stride is `strideWords` (a constant at every call site). */
// @ts-ignore: decorator
@inline export function recPtr(kind: u32, idx: u32, strideWords: u32): usize {
  return <usize>load<u32>(DIR + ((<usize>kind * DIR_ENTRIES + (idx >> CHUNK_SHIFT)) << 2)) +
    ((<usize>(idx & CHUNK_MASK) * strideWords) << 2);
}
/** Byte address of record `idx` of `kind` (stride read from the descriptor). */
// @ts-ignore: decorator
@inline export function slabRec(kind: u32, idx: u32): usize { return recPtr(kind, idx, desc(kind, D_STRIDE)); }
/** Byte address of the directory of a kind (the facade's typed readers resolve records through it). */
export function slabDir(kind: u32): usize { return DIR + ((<usize>kind * DIR_ENTRIES) << 2); }
/** Slots ever used (the high-water mark): every valid slot index is below it. */
// @ts-ignore: decorator
@inline export function slabHigh(kind: u32): u32 { return desc(kind, D_HW); }
/** Records currently allocated. */
// @ts-ignore: decorator
@inline export function slabLive(kind: u32): u32 { return desc(kind, D_LIVE); }
/** Capacity in records. */
// @ts-ignore: decorator
@inline export function slabCap(kind: u32): u32 { return desc(kind, D_CAP); }
/** True if a record of `kind` can be allocated without growing the slab (a free slot, or room below the capacity). */
// @ts-ignore: decorator
@inline export function slabCanTake(kind: u32): bool { return desc(kind, D_NFREE) != 0 || desc(kind, D_HW) < desc(kind, D_CAP); }
/** True if a freed slot of `kind` waits for reuse (an allocation then takes no new slot number). */
// @ts-ignore: decorator
@inline export function slabHasFree(kind: u32): bool { return desc(kind, D_NFREE) != 0; }
/** Stride in words. */
// @ts-ignore: decorator
@inline export function slabStride(kind: u32): u32 { return desc(kind, D_STRIDE); }

function initKind(kind: u32, strideWords: u32, linkWord: u32, hasGen: bool): void {
  setDesc(kind, D_NFREE, 0);
  setDesc(kind, D_STRIDE, strideWords);
  setDesc(kind, D_CAP, 0);
  setDesc(kind, D_HW, 0);
  setDesc(kind, D_FREE, NIL);
  setDesc(kind, D_LIVE, 0);
  setDesc(kind, D_LINK, linkWord);
  setDesc(kind, D_HASGEN, hasGen ? 1 : 0);
}

/**
 * Sets up every slab descriptor (empty slabs; memory is taken on first use). Initialises the TLSF heap
 * first: TLSF claims all of linear memory up to its size when it initialises, so it must do so before
 * any chunk is taken with memory.grow (chunks are never TLSF's).
 */
export function slabInit(): void {
  heap.free(heap.alloc(16));
  initKind(0, TABLE_WORDS, 1, true);
  initKind(SLAB_NODE4, NODE4_WORDS, NODE_C0, false);
  initKind(2, DEST_WORDS, 1, true);
  initKind(3, ROUTE_WORDS, ROUTE_NEXT, true);
  initKind(4, NEXTHOP_WORDS, 1, true);
  initKind(5, ENTITY_WORDS, 1, true);
  initKind(6, NOTIFY_WORDS, 1, true);
  initKind(7, LIST_WORDS, 1, true);
  initKind(8, ENUM_WORDS, 1, true);
  initKind(9, ENUMX_WORDS, ENUMX_NEXT, false);
  initKind(SLAB_DESTX, DESTX_WORDS, DESTX_DEST, false);
  initKind(SLAB_ROUTEX, ROUTEX_WORDS, ROUTEX_ROUTE, false);
  // an IPv6 node links the free list through child 0's word (its key words stay: trie.ts trieDetach)
  initKind(SLAB_NODE6, NODE6_WORDS, NODE6_C0, false);
  initKind(SLAB_NODE6L, NODE6L_WORDS, NODE6_C0, false);
  initKind(SLAB_KEY6, KEY6_WORDS, 0, false);
  // an IPv4 branch node links the free list through its key word: its child words stay NIL (trie.ts freeRecord)
  initKind(SLAB_NODE4B, NODE4B_WORDS, NODE4_KEYLEN, false);
  initKind(SLAB_NODE4L, NODE4_WORDS, NODE_C0, false);
  initKind(SLAB_NODE6B, NODE6B_WORDS, NODE6_C0, false);
}

// Pages taken from memory.grow but not yet handed to a chunk: [spareBase, spareEnd). Growing linear
// memory is costly for the embedder (V8 re-creates the ArrayBuffer and counts the whole memory as new
// external memory, which starts a full GC of the JS heap), so memory grows geometrically, by a quarter
// of its size at least, and chunks are carved from the spare pages. Pages never touched are not
// committed by the OS, so the spare costs address space, not resident memory.
let spareBase: usize = 0;
let spareEnd: usize = 0;

/**
 * The memory cap in pages (memorySetCap): growth beyond it fails as if memory.grow had failed. One core
 * hosts every table of the process, so the cap is the instance's; 65536 pages (4 GiB) = no cap.
 */
let capPages: i32 = 65536;

/** Sets the memory cap in pages (65536 = none); memory already held stays. */
export function slabSetCapPages(pages: i32): void { capPages = pages; }
/** The memory cap in pages. */
export function slabCapPages(): i32 { return capPages; }

/** memory.grow under the cap: the previous size in pages, or -1. */
function growPages(pages: i32): i32 {
  if (<i64>memory.size() + <i64>pages > <i64>capPages) return -1;
  return memory.grow(pages);
}

/** Byte address of `pages` fresh pages for a chunk, or 0 when linear memory cannot grow. */
export function takePages(pages: i32): usize {
  let bytes = <usize>pages << 16;
  if (spareEnd - spareBase < bytes) {
    let current = memory.size();
    let step = max(pages, current >> 2);
    let before = growPages(step);
    if (before < 0) {
      step = pages;
      before = growPages(step);
      if (before < 0) return 0;
    }
    let start = <usize>before << 16;
    // the rest of the old spare is kept only when the new pages extend it (TLSF may have grown between)
    if (start != spareEnd) spareBase = start;
    spareEnd = start + (<usize>step << 16);
  }
  let p = spareBase;
  spareBase += bytes;
  return p;
}

/**
 * Grows a slab by whole chunks to hold at least `need` records; false if slots would exceed 25 bits or
 * linear memory cannot grow. Chunks are never freed, so they come straight from memory.grow (page
 * aligned, outside the TLSF heap, which would otherwise double linear memory on every growth).
 */
function grow(kind: u32, need: u32): bool {
  if (<u64>need > <u64>(DIR_ENTRIES << CHUNK_SHIFT)) return false;
  let cap = desc(kind, D_CAP);
  let chunkBytes = (<usize>desc(kind, D_STRIDE) << 2) << CHUNK_SHIFT;
  let pages = <i32>((chunkBytes + 0xffff) >> 16);
  while (cap < need) {
    let p = takePages(pages);
    if (p == 0) return false;
    store<u32>(DIR + ((<usize>kind * DIR_ENTRIES + (cap >> CHUNK_SHIFT)) << 2), <u32>p);
    cap += 1 << CHUNK_SHIFT;
    setDesc(kind, D_CAP, cap);
  }
  return true;
}

/**
 * Makes sure `n` more records can be allocated without failing; false = not enough memory. O(1): the
 * free list's length is kept in the descriptor (D_NFREE; debug builds check it against a walk of up to n
 * entries, which release builds used to take here).
 */
export function slabReserve(kind: u32, n: u32): bool {
  let hw = desc(kind, D_HW);
  if (<u64>hw + <u64>n <= <u64>desc(kind, D_CAP)) return true;
  let freeCount = desc(kind, D_NFREE);
  if (!ASC_NO_ASSERT) assert(freeWalk(kind, n) == min(n, freeCount));
  if (freeCount >= n) return true;
  if (<u64>hw + <u64>(n - freeCount) > 0xfffffff) return false;
  return grow(kind, hw + (n - freeCount));
}

/** Entries of a kind's free list, counted by walking it up to `max` (the debug check of D_NFREE). */
function freeWalk(kind: u32, max: u32): u32 {
  let k: u32 = 0;
  let link = desc(kind, D_LINK);
  for (let f = desc(kind, D_FREE); f != NIL && k < max; k++) f = load<u32>(slabRec(kind, f) + (<usize>link << 2));
  return k;
}

/** Allocates a zeroed record (GEN kept, ALIVE set); NIL if out of memory. */
export function slabAlloc(kind: u32): u32 {
  let idx = desc(kind, D_FREE);
  let stride = desc(kind, D_STRIDE);
  if (idx != NIL) {
    setDesc(kind, D_FREE, load<u32>(slabRec(kind, idx) + (<usize>desc(kind, D_LINK) << 2)));
    setDesc(kind, D_NFREE, desc(kind, D_NFREE) - 1);
  } else {
    idx = desc(kind, D_HW);
    if (idx >= desc(kind, D_CAP)) {
      if (idx >= 0x1ffffff) return NIL; // slot numbers are 25 bits in a handle
      if (!grow(kind, idx + 1)) return NIL;
    }
    setDesc(kind, D_HW, idx + 1);
    // a never-used slot starts at generation 1
    if (desc(kind, D_HASGEN)) store<u32>(slabRec(kind, idx), 1);
  }
  let p = slabRec(kind, idx);
  let hasGen = desc(kind, D_HASGEN) != 0;
  let gen = hasGen ? load<u32>(p) & GEN_MASK : 0;
  // zeroed by stores (memory.fill is a call out of the engine's code: dearer than a few stores for 32-80 B)
  let end = p + (<usize>stride << 2), q = p;
  for (; q + 8 <= end; q += 8) store<u64>(q, 0);
  if (q < end) store<u32>(q, 0);
  if (hasGen) store<u32>(p, gen | GEN_ALIVE);
  setDesc(kind, D_LIVE, desc(kind, D_LIVE) + 1);
  return idx;
}

/**
 * slabAlloc of a kind whose stride (`strideWords`, ≤ 24) is a constant at the call site: inlined there, so
 * the descriptor addresses fold and the zeroing is a fixed run of stores. A slot off the free list is taken
 * here; the high-water mark and growth go through slabAlloc. The bulk build's records (bulk.ts) and trie nodes.
 */
// @ts-ignore: decorator
@inline export function slabAllocK(kind: u32, strideWords: u32): u32 {
  let idx = desc(kind, D_FREE);
  if (idx == NIL) return slabAlloc(kind);
  assert(strideWords == desc(kind, D_STRIDE) && strideWords <= 24); // the call site's constant is the kind's
  let p = recPtr(kind, idx, strideWords);
  setDesc(kind, D_FREE, load<u32>(p + (<usize>desc(kind, D_LINK) << 2)));
  setDesc(kind, D_NFREE, desc(kind, D_NFREE) - 1);
  let hasGen = desc(kind, D_HASGEN) != 0;
  let gen = hasGen ? load<u32>(p) & GEN_MASK : 0;
  // strideWords is a constant: the tests fold, leaving its stores
  if (strideWords >= 2) store<u64>(p, 0, 0);
  if (strideWords >= 4) store<u64>(p, 0, 8);
  if (strideWords >= 6) store<u64>(p, 0, 16);
  if (strideWords >= 8) store<u64>(p, 0, 24);
  if (strideWords >= 10) store<u64>(p, 0, 32);
  if (strideWords >= 12) store<u64>(p, 0, 40);
  if (strideWords >= 14) store<u64>(p, 0, 48);
  if (strideWords >= 16) store<u64>(p, 0, 56);
  if (strideWords >= 18) store<u64>(p, 0, 64);
  if (strideWords >= 20) store<u64>(p, 0, 72);
  if (strideWords >= 22) store<u64>(p, 0, 80);
  if (strideWords >= 24) store<u64>(p, 0, 88);
  if ((strideWords & 1) != 0) store<u32>(p + (<usize>(strideWords - 1) << 2), 0);
  if (hasGen) store<u32>(p, gen | GEN_ALIVE);
  setDesc(kind, D_LIVE, desc(kind, D_LIVE) + 1);
  return idx;
}

/**
 * Frees a record: bumps its generation (so handles to it go stale) and links it into the free list. A
 * slot whose generation would wrap is retired instead — never reused, so no handle ever aliases a later
 * record (handles.ts). Widening the generation is not possible: kind (4 bits), generation (24) and slot
 * (25) already fill the 53 bits of a safe integer. A retired slot costs one record for good, after 2^24
 * uses of that one slot.
 */
export function slabFree(kind: u32, idx: u32): void {
  let p = slabRec(kind, idx);
  setDesc(kind, D_LIVE, desc(kind, D_LIVE) - 1);
  if (desc(kind, D_HASGEN)) {
    assert((load<u32>(p) & GEN_ALIVE) != 0); // freeing a live record only
    let gen = load<u32>(p) & GEN_MASK;
    if (gen == GEN_MASK) { store<u32>(p, GEN_MASK); return; }   // retired: not alive, not free
    store<u32>(p, gen + 1);
  }
  store<u32>(p + (<usize>desc(kind, D_LINK) << 2), desc(kind, D_FREE));
  setDesc(kind, D_FREE, idx);
  setDesc(kind, D_NFREE, desc(kind, D_NFREE) + 1);
}

/**
 * Test hook: sets the generation of free slot `idx` of a generation-bearing kind, so that a test reaches
 * the last generation without 2^24 reuses. False (nothing changed) for a live, retired or unused slot.
 */
export function slabSetGen(kind: u32, idx: u32, gen: u32): bool {
  if (kind >= SLAB_KINDS || !desc(kind, D_HASGEN) || idx >= desc(kind, D_HW) || gen == 0 || gen > GEN_MASK) return false;
  let p = slabRec(kind, idx);
  let w = load<u32>(p);
  if ((w & GEN_ALIVE) != 0 || w == GEN_MASK) return false;
  store<u32>(p, gen);
  return true;
}

/** True if slot `idx` of a generation-bearing kind is allocated. */
// @ts-ignore: decorator
@inline export function slabIsAlive(kind: u32, idx: u32): bool {
  return idx < desc(kind, D_HW) && (load<u32>(slabRec(kind, idx)) & GEN_ALIVE) != 0;
}

/** Bytes of linear memory held by all slabs (capacity: whole chunks, not use). */
export function slabBytes(): f64 {
  let total: f64 = 0;
  for (let k: u32 = 0; k < SLAB_KINDS; k++) total += <f64>desc(k, D_CAP) * <f64>desc(k, D_STRIDE) * 4;
  return total;
}

