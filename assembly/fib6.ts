// Derived forwarding structures of large IPv6 tables: a 16-bit direct level, then 8-bit nodes compressed as
// runs (256-bit run-start bitmap, per-word popcount bases, packed run values: Poptrie's leaf-vector idea);
// one for the unicast view (from FIB6_MIN_DESTS destinations, freed below a quarter), one for view 1 (the
// same, counting destinations live there). Kept in step by destSetState (fib6StateChanged), never rebuilt:
// the prefix's node has its runs edited (paintSpan, setEntry), nodes below it painted in place. A lookup:
// level 1, then one node per 8 bits (a /48: five dependent loads). Memory: level 1 (256 KiB) + an arena of
// 64 KiB pages per structure (size-class free lists inside); a free or drop returns whole pages to this
// file's free lists (never to TLSF), so an allocation failure mid-update just drops the structure and
// lookups use the trie again.
// Every store into the unicast structure while kept in step is marked dirty (snapshot.ts snapMark, 1 KiB
// blocks) for tables being published, so that a publish copies only those blocks; a build or free flags a
// full copy (snapStructure); fib6PagesX lists the pages for a full copy.
import { NIL, TABLE_FIB6, TABLE_MDESTS, TABLE_FAMILY, TABLE_DESTS, TABLE_ROOT, DEST_S_DETACHED } from './layout';
import { takePages } from './slab';
import { tableGet, tableSet, tableValid } from './tables';
import { IO_OUT, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_FOUND } from './status';
import { nodeKeyWords, nodeLen, nodeDest, nodeState, trieLpm, triePreStart, triePreNext } from './trie';
import { destGet, destNode, destLen } from './dests';
import { snapSelect, snapMark, snapStructure } from './snapshot';

/** Destinations at which an IPv6 table builds its forwarding structure. */
export const FIB6_MIN_DESTS: u32 = 16384;
let fib6MinDests: u32 = FIB6_MIN_DESTS;

/** Test hook: the threshold for tables that reach it from now on (0 = FIB6_MIN_DESTS). */
export function fib6SetMinDests(n: u32): void { fib6MinDests = n == 0 ? FIB6_MIN_DESTS : n; }

// Test hook: node allocations left before one fails (0 = never fails), to exercise the drop on OOM.
let failAfter: u32 = 0;
/** Test hook: the n-th node allocation from now fails (0 = off). */
export function fib6SetFailAfter(n: u32): void { failAfter = n; }

// the view qualifier (1 << view) of the structure being changed; the structure of view v is TABLE_FIB6 + v
let pQual: u32 = 1;
// An entry is 0 (no route), a leaf: destination slot + 1 (< 2^25), or CHILD | node address >> 3 (< 2^29),
// with LIST for a list node (below).
const CHILD: u32 = 0x80000000;
const LIST: u32 = 0x40000000;
// "no memory" result of the update functions (neither a leaf nor a child)
const FAIL: u32 = 0x7fffffff;
// Level 1: 65,536 entries (256 KiB), followed in the same 5-page block by the arena header page.
const L1_BYTES: usize = 262144;
const BLOCK_PAGES: i32 = 5;
// Arena header (at level 1 + L1_BYTES; its page is also the arena's first page): word offsets in bytes
const H_PAGES: usize = 0;      // first extra page (linked through word 0 of each page; 0 = end)
const H_BUMP: usize = 4;
const H_BUMP_END: usize = 8;
const H_NPAGES: usize = 12;    // extra pages held
const H_NODES: usize = 16;     // nodes in use
const H_NODE_BYTES: usize = 20; // bytes of nodes in use (class sizes)
const H_FREE: usize = 32;      // NCLASS + NLCLASS free-list heads (to byte 124)
const H_END: usize = 128;      // bump allocation in the header page starts here
// Two node forms (issue 13, session 34), told apart by the entry that points to the node (LIST):
//  - a bitmap node (more than LIST_MAX runs): 4 × u64 run-start bitmap (bit i of word w: entry 64w + i
//    starts a run), 4 × u8 runs before word w, then the run values (u32);
//  - a list node (2..LIST_MAX runs; 93 % of a full table's nodes, most of 2–4 runs): 16 bytes of run starts,
//    byte j the start of run j + 1 less one (ascending; 255 = no such run: a start is ≤ 255, so a real byte
//    is ≤ 254), then the run values (u32). Entry idx is run k = the bytes below idx, one SIMD compare and a
//    popcount (listRun); 24–80 bytes where the bitmap form takes 48–104.
// Sizes are size classes by run capacity: bitmap classes 0..NCLASS-1, list classes NCLASS.. (LIST_CAP).
const N_COUNTS: usize = 32;
const N_RUNS: usize = 36;
const L_RUNS: usize = 16;
/** The most runs a list node holds (15 start bytes and the 255 that ends them). */
const LIST_MAX: u32 = 16;
const NCLASS: i32 = 15;
const CLASS_CAP: StaticArray<u32> = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
const NLCLASS: i32 = 8;
const LIST_CAP: StaticArray<u32> = [2, 4, 6, 8, 10, 12, 14, 16];
// Nodes sit at depth 0..13 (covering bits 16 + 8 × depth .. +8); one 256-entry scratch array per depth.
const DEPTHS: u32 = 14;
const SCRATCH: usize = memory.data(<i32>(DEPTHS * 1024), 16);
// Test / debug address scratch (first, middle and last address of a prefix)
const ADDR: usize = memory.data(16, 16);

let freeBlocks: usize = 0;   // 5-page blocks (level 1 + header page), link in word 0
let freePages: usize = 0;    // 64 KiB arena pages, link in word 0
/** Level-1 blocks and arena pages in use by all tables (memory accounting). */
export let fib6BlocksInUse: u32 = 0;
export let fib6PagesInUse: u32 = 0;

// @ts-ignore: decorator
@inline function childPtr(e: u32): usize { return <usize>(e & ~(CHILD | LIST)) << 3; }
// @ts-ignore: decorator
@inline function isChild(e: u32): bool { return (e & CHILD) != 0; }
/** True if child entry e points to a list node. */
// @ts-ignore: decorator
@inline function isList(e: u32): bool { return (e & LIST) != 0; }
// @ts-ignore: decorator
@inline function hdr(fib: usize): usize { return fib + L1_BYTES; }
// @ts-ignore: decorator
@inline function scr(depth: u32): usize { return SCRATCH + (<usize>depth << 10); }
// @ts-ignore: decorator
@inline function classBytes(c: i32): usize {
  // (a list node's sizes are 8-byte multiples already)
  return c < NCLASS ? (N_RUNS + (<usize>unchecked(CLASS_CAP[c]) << 2) + 7) & ~7
    : L_RUNS + (<usize>unchecked(LIST_CAP[c - NCLASS]) << 2);
}

// size class of each run count 0..256 (filled at start)
const CLASS_OF: usize = memory.data(260, 16);
for (let n: u32 = 0, c = 0; n <= 256; n++) {
  while (CLASS_CAP[c] < n) c++;
  store<u8>(CLASS_OF + <usize>n, <u8>c);
}
// @ts-ignore: decorator
@inline function classOf(runs: u32): i32 {
  return runs <= LIST_MAX ? NCLASS + <i32>((runs - 1) >> 1) : <i32>load<u8>(CLASS_OF + <usize>runs);
}

/** The run of a list node (header at p) that holds entry idx: its start bytes (start - 1) below idx. */
// @ts-ignore: decorator
@inline function listRun(p: usize, idx: u32): u32 {
  return <u32>popcnt(i8x16.bitmask(i8x16.lt_u(v128.load(p), i8x16.splat(<i8>idx))));
}

/** Runs of the node child entry e points to. */
// @ts-ignore: decorator
@inline function runsOf(e: u32): u32 {
  let p = childPtr(e);
  // the starts are the bytes other than 255 (byte 15 always is), and run 0 has none
  if (isList(e)) return 17 - <u32>popcnt(i8x16.bitmask(i8x16.eq(v128.load(p), i8x16.splat(-1))));
  return <u32>(popcnt(load<u64>(p)) + popcnt(load<u64>(p, 8)) + popcnt(load<u64>(p, 16)) + popcnt(load<u64>(p, 24)));
}

/** The address of the first run value of the node child entry e points to. */
// @ts-ignore: decorator
@inline function runsAt(e: u32): usize { return childPtr(e) + (isList(e) ? L_RUNS : N_RUNS); }

/** A node block of class c from the arena of the structure at fib; 0 = no memory. */
function allocNode(fib: usize, c: i32): usize {
  if (failAfter != 0 && --failAfter == 0) return 0;
  let h = hdr(fib);
  let fl = h + H_FREE + (<usize>c << 2);
  let p = <usize>load<u32>(fl);
  let size = classBytes(c);
  if (p != 0) store<u32>(fl, load<u32>(p));
  else {
    p = <usize>load<u32>(h + H_BUMP);
    if (p + size > <usize>load<u32>(h + H_BUMP_END)) {
      let page = freePages;
      if (page != 0) freePages = <usize>load<u32>(page);
      else {
        page = takePages(1);
        if (page == 0) return 0;
      }
      fib6PagesInUse++;
      store<u32>(page, load<u32>(h + H_PAGES));
      store<u32>(h + H_PAGES, <u32>page);
      store<u32>(h + H_NPAGES, load<u32>(h + H_NPAGES) + 1);
      p = page + 8;
      store<u32>(h + H_BUMP_END, <u32>(page + 65536));
    }
    store<u32>(h + H_BUMP, <u32>(p + size));
  }
  store<u32>(h + H_NODES, load<u32>(h + H_NODES) + 1);
  store<u32>(h + H_NODE_BYTES, load<u32>(h + H_NODE_BYTES) + <u32>size);
  return p;
}

/** Frees the node child entry e points to. */
function freeNode(fib: usize, e: u32): void {
  let h = hdr(fib);
  let p = childPtr(e);
  let c = classOf(runsOf(e));
  let fl = h + H_FREE + (<usize>c << 2);
  store<u32>(p, load<u32>(fl));
  store<u32>(fl, <u32>p);
  store<u32>(h + H_NODES, load<u32>(h + H_NODES) - 1);
  store<u32>(h + H_NODE_BYTES, load<u32>(h + H_NODE_BYTES) - <u32>classBytes(c));
}

/** Frees table t's IPv6 forwarding structures of both views (table teardown). */
export function fib6Free(t: u32): void { fib6FreeView(t, 0); fib6FreeView(t, 1); }

/** Frees table t's structure of `view` (lookups use the trie again): its pages go to the free lists. */
function fib6FreeView(t: u32, view: u32): void {
  let fib = <usize>tableGet(t, TABLE_FIB6 + view);
  if (fib == 0) return;
  if (view == 0) snapStructure(t);
  let page = <usize>load<u32>(hdr(fib) + H_PAGES);
  while (page != 0) {
    let next = <usize>load<u32>(page);
    store<u32>(page, <u32>freePages);
    freePages = page;
    fib6PagesInUse--;
    page = next;
  }
  store<u32>(fib, <u32>freeBlocks);
  freeBlocks = fib;
  fib6BlocksInUse--;
  tableSet(t, TABLE_FIB6 + view, 0);
}

/** A zeroed level 1 with an empty arena header; 0 = no memory. */
function allocFib(): usize {
  let p = freeBlocks;
  if (p != 0) freeBlocks = <usize>load<u32>(p);
  else {
    p = takePages(BLOCK_PAGES);
    if (p == 0) return 0;
  }
  memory.fill(p, 0, L1_BYTES + H_END);
  let h = hdr(p);
  store<u32>(h + H_BUMP, <u32>(h + H_END));
  store<u32>(h + H_BUMP_END, <u32>(h + 65536));
  fib6BlocksInUse++;
  return p;
}

// ── nodes as 256-entry arrays ───────────────────────────────────────────────────────────────────────

/** Fills entries [from, to) of the scratch array at s with v. */
// @ts-ignore: decorator
@inline function fill(s: usize, from: u32, to: u32, v: u32): void {
  for (let i = from; i < to; i++) store<u32>(s + (<usize>i << 2), v);
}

// run values and run-start bitmap (256 bits) of the node being written (writeNode)
const RUNBUF: usize = memory.data(1024, 16);
const BITS: usize = memory.data(32, 16);

/**
 * Packs the scratch array of `depth` into a node and returns its entry: the leaf itself when all 256
 * entries are one leaf (the node is then not needed), else CHILD | address. The old node of entry `old`
 * is rewritten in place when its size class fits, else freed after the new one is written; FAIL when no
 * memory (old is then untouched).
 */
function encode(fib: usize, depth: u32, old: u32): u32 {
  let s = scr(depth);
  let first = load<u32>(s);
  store<u32>(RUNBUF, first);
  let r = RUNBUF;
  let prev = first;
  let b0: u64 = 1, b1: u64 = 0, b2: u64 = 0, b3: u64 = 0;
  // derivation: a child entry never equals its neighbour (nodes are distinct), so v != prev marks every
  // run start; branch-free: the run value is always stored and the cursor advances only at a start
  for (let i: u32 = 1; i < 64; i++) {
    let v = load<u32>(s + (<usize>i << 2));
    let st = <u64>(v != prev); b0 |= st << <u64>i; r += <usize>(st << 2); store<u32>(r, v); prev = v;
  }
  for (let i: u32 = 64; i < 128; i++) {
    let v = load<u32>(s + (<usize>i << 2));
    let st = <u64>(v != prev); b1 |= st << <u64>(i & 63); r += <usize>(st << 2); store<u32>(r, v); prev = v;
  }
  for (let i: u32 = 128; i < 192; i++) {
    let v = load<u32>(s + (<usize>i << 2));
    let st = <u64>(v != prev); b2 |= st << <u64>(i & 63); r += <usize>(st << 2); store<u32>(r, v); prev = v;
  }
  for (let i: u32 = 192; i < 256; i++) {
    let v = load<u32>(s + (<usize>i << 2));
    let st = <u64>(v != prev); b3 |= st << <u64>(i & 63); r += <usize>(st << 2); store<u32>(r, v); prev = v;
  }
  let runs = <u32>((r - RUNBUF) >> 2) + 1;
  store<u64>(BITS, b0); store<u64>(BITS, b1, 8); store<u64>(BITS, b2, 16); store<u64>(BITS, b3, 24);
  return writeNode(fib, isChild(old) ? old : 0, runs);
}

/**
 * Writes a node for `runs` run values at RUNBUF and the run-start bitmap at BITS (neighbouring runs may be equal:
 * lookups do not mind) — a list node when they are at most LIST_MAX, else a bitmap node — in place of the node
 * of child entry `old` (0 = none) when its form and size class fit, else in a new block (old's node is then
 * freed); returns its entry, or FAIL when no memory (old untouched). One run that is a leaf needs no node: the
 * leaf is returned (old's node freed).
 */
function writeNode(fib: usize, old: u32, runs: u32): u32 {
  let first = load<u32>(RUNBUF);
  if (runs == 1 && !isChild(first)) {
    if (old != 0) freeNode(fib, old);
    return first;
  }
  let c = classOf(runs);
  let p: usize = 0;
  if (old != 0 && classOf(runsOf(old)) == c) p = childPtr(old);
  else {
    p = allocNode(fib, c);
    if (p == 0) return FAIL;
  }
  let e = CHILD | <u32>(p >> 3);
  let bytes: usize;
  if (runs <= LIST_MAX) {
    // the start bytes: each run start but entry 0's, less one, ascending; 255 after them
    v128.store(p, i8x16.splat(-1));
    let q = p;
    for (let w: u32 = 0; w < 4; w++) {
      let bits = load<u64>(BITS + (<usize>w << 3));
      if (w == 0) bits &= ~(<u64>1);
      while (bits != 0) {
        store<u8>(q, <u8>((w << 6) + <u32>ctz(bits) - 1));
        q++;
        bits &= bits - 1;
      }
    }
    memory.copy(p + L_RUNS, RUNBUF, <usize>runs << 2);
    bytes = L_RUNS + (<usize>runs << 2);
    e |= LIST;
  } else {
    memory.copy(p, BITS, 32);
    let c1 = <u32>popcnt(load<u64>(BITS)), c2 = c1 + <u32>popcnt(load<u64>(BITS, 8)), c3 = c2 + <u32>popcnt(load<u64>(BITS, 16));
    store<u32>(p + N_COUNTS, (c1 << 8) | (c2 << 16) | (c3 << 24));
    memory.copy(p + N_RUNS, RUNBUF, <usize>runs << 2);
    bytes = N_RUNS + (<usize>runs << 2);
  }
  markBytes(p, bytes);
  if (old != 0 && p != childPtr(old)) freeNode(fib, old);
  return e;
}

// the run-start bitmap of a list node being read (nodeBits)
const INB: usize = memory.data(32, 16);

/**
 * The run-start bitmap of the node child entry e points to: a bitmap node's own, or a list node's made in
 * INB from its start bytes (valid until the next call).
 */
function nodeBits(e: u32): usize {
  let p = childPtr(e);
  if (!isList(e)) return p;
  memory.fill(INB, 0, 32);
  store<u8>(INB, 1);   // entry 0 starts run 0
  for (let j: usize = 0; j < <usize>(LIST_MAX - 1); j++) {
    let b = <u32>load<u8>(p + j);
    if (b == 255) break;
    let i = b + 1;
    let a = INB + (<usize>(i >> 6) << 3);
    store<u64>(a, load<u64>(a) | (<u64>1 << <u64>(i & 63)));
  }
  return INB;
}

/** Sets (set) or clears bit i (0..255) of the bitmap at BITS. */
// @ts-ignore: decorator
@inline function bitsPut(i: u32, set: bool): void {
  let a = BITS + (<usize>(i >> 6) << 3);
  let m = <u64>1 << <u64>(i & 63);
  let word = load<u64>(a);
  store<u64>(a, set ? word | m : word & ~m);
}

/**
 * Entry idx of the node of entry e (a child) set to v, all others kept: the node's runs edited (the run
 * holding idx split, v merged into an equal neighbouring run) instead of a re-pack of its
 * 256 entries; returns the node's new entry (a leaf when one run is left), or FAIL (e untouched).
 */
function setEntry(fib: usize, e: u32, idx: u32, v: u32): u32 {
  let bm = nodeBits(e);
  let runs = <u32>(popcnt(load<u64>(bm)) + popcnt(load<u64>(bm, 8)) + popcnt(load<u64>(bm, 16)) + popcnt(load<u64>(bm, 24)));
  // run k holds idx: it starts at s (the last run start at or before idx) and ends before t (the next, or 256)
  let w = idx >> 6;
  let bits = load<u64>(bm + (<usize>w << 3));
  let below = bits << <u64>(63 - (idx & 63));
  let k = <u32>popcnt(below) - 1;
  for (let ww: u32 = 0; ww < w; ww++) k += <u32>popcnt(load<u64>(bm + (<usize>ww << 3)));
  let s: u32;
  if (below != 0) s = idx - <u32>clz(below);
  else {
    let ww = w - 1;   // bit 0 of word 0 is always set, so a word below has a start
    let x = load<u64>(bm + (<usize>ww << 3));
    while (x == 0) { ww--; x = load<u64>(bm + (<usize>ww << 3)); }
    s = (ww << 6) + 63 - <u32>clz(x);
  }
  let t: u32 = 256;
  let above = (idx & 63) == 63 ? <u64>0 : bits & (<u64>-1 << <u64>((idx & 63) + 1));
  if (above != 0) t = (w << 6) + <u32>ctz(above);
  else {
    for (let ww = w + 1; ww < 4; ww++) {
      let x = load<u64>(bm + (<usize>ww << 3));
      if (x != 0) { t = (ww << 6) + <u32>ctz(x); break; }
    }
  }
  let r = runsAt(e);
  let old = load<u32>(r + (<usize>k << 2));
  if (old == v) return e;
  let hasA = idx > s, hasC = idx + 1 < t;
  let mergeL = !hasA && k > 0 && load<u32>(r + (<usize>(k - 1) << 2)) == v;
  let mergeR = !hasC && k + 1 < runs && load<u32>(r + (<usize>(k + 1) << 2)) == v;
  // the run values: those before run k, then [s, idx) old, [idx] v, [idx + 1, t) old, then those after
  // run k (the next one left out when v joins it)
  let q = RUNBUF;
  memory.copy(q, r, <usize>k << 2);
  q += <usize>k << 2;
  if (hasA) { store<u32>(q, old); q += 4; }
  if (!mergeL) { store<u32>(q, v); q += 4; }
  if (hasC) { store<u32>(q, old); q += 4; }
  let from = k + 1 + (mergeR ? 1 : 0);
  memory.copy(q, r + (<usize>from << 2), <usize>(runs - from) << 2);
  q += <usize>(runs - from) << 2;
  let n = <u32>((q - RUNBUF) >> 2);
  // the run starts: idx starts a run unless v joined the one before; idx + 1 starts one when the run of old
  // goes on after idx, and no longer when v took over the run that started there
  memory.copy(BITS, bm, 32);
  bitsPut(idx, hasA || !mergeL);
  if (hasC) bitsPut(idx + 1, true);
  else if (mergeR) bitsPut(t, false);
  return writeNode(fib, e, n);
}

/** A node for leaf entry e (all 256 entries e) with entry idx set to v (v != e); its entry, or FAIL. */
function nodeFromLeaf(fib: usize, e: u32, idx: u32, v: u32): u32 {
  let q = RUNBUF;
  memory.fill(BITS, 0, 32);
  bitsPut(0, true);   // entry 0 starts the first run
  if (idx > 0) { store<u32>(q, e); q += 4; }
  store<u32>(q, v); q += 4;
  bitsPut(idx, true);
  if (idx < 255) {
    store<u32>(q, e); q += 4;
    bitsPut(idx + 1, true);
  }
  return writeNode(fib, 0, <u32>((q - RUNBUF) >> 2));
}

/** Marks the snapshot blocks of bytes [p, p + bytes) dirty (a node just written). */
// @ts-ignore: decorator
@inline function markBytes(p: usize, bytes: usize): void {
  for (let a = p & ~(<usize>1023); a < p + bytes; a += 1024) snapMark(a);
}

/** Address of the run value answering byte idx in the node child entry e points to. */
// @ts-ignore: decorator
@inline function entryAt(e: u32, idx: u32): usize {
  let p = childPtr(e);
  if (isList(e)) return p + L_RUNS + (<usize>listRun(p, idx) << 2);
  let w = <usize>(idx >> 6);
  let bits = load<u64>(p + (w << 3));
  let k = <u32>load<u8>(p + N_COUNTS + w) + <u32>popcnt(bits << <u64>(63 - (idx & 63))) - 1;
  return p + N_RUNS + (<usize>k << 2);
}

// ── painting ────────────────────────────────────────────────────────────────────────────────────────

/** Prefix length of the destination of leaf e (-1 for no route). */
function leafLen(e: u32): i32 { return e == 0 ? -1 : <i32>destLen(e - 1); }

// painting parameters of the current operation (add: leaf, len; remove: old → repl)
let pAdd: bool = false;
let pLeaf: u32 = 0;
let pLen: i32 = 0;
let pOld: u32 = 0;
let pRepl: u32 = 0;
let pCacheLeaf: u32 = 0;    // leafLen cache (runs repeat a leaf)
let pCacheLen: i32 = -1;

/** The new value of leaf e under the current paint. */
// @ts-ignore: decorator
@inline function paintLeaf(e: u32): u32 {
  if (pAdd) {
    if (e == pLeaf) return e;
    if (e != pCacheLeaf) { pCacheLeaf = e; pCacheLen = leafLen(e); }
    return pCacheLen <= pLen ? pLeaf : e;
  }
  return e == pOld ? pRepl : e;
}

/**
 * Paints the whole node child entry e points to and every node below it in place, run by run: O(runs), no
 * allocation. Runs may end up equal to their neighbour (lookups do not mind); a paintSpan of the node merges
 * them (setEntry merges only around the entry it sets).
 */
function paintNode(e: u32): void {
  let r = runsAt(e);
  let end = r + (<usize>runsOf(e) << 2);
  for (; r < end; r += 4) {
    let v = load<u32>(r);
    if (isChild(v)) paintNode(v);
    else {
      let n = paintLeaf(v);
      if (n != v) { store<u32>(r, n); snapMark(r); }
    }
  }
}

/** The new value of entry e under the current paint (a node is painted in place and keeps its entry). */
function paintEntry(fib: usize, e: u32, depth: u32): u32 {
  if (isChild(e)) { paintNode(e); return e; }
  return paintLeaf(e);
}

// the runs paintSpan writes to RUNBUF: the next one's address, the last value written; whether a leaf changed
let spanAt: usize = 0;
let spanLast: u32 = 0;
let spanChanged: bool = false;

/** Appends run value v starting at entry `start` (the run before goes on instead when it holds the same leaf). */
// @ts-ignore: decorator
@inline function spanPut(start: u32, v: u32): void {
  if (spanAt == RUNBUF || v != spanLast || isChild(v)) {
    store<u32>(spanAt, v); spanAt += 4;
    bitsPut(start, true);
    spanLast = v;
  }
}

/** The entries [s, t) of one run of value v, painted where they lie in [from, to). */
// @ts-ignore: decorator
@inline function spanRun(fib: usize, s: u32, t: u32, v: u32, from: u32, to: u32): void {
  if (t <= from || s >= to) { spanPut(s, v); return; }
  if (s < from) spanPut(s, v);
  let n = paintEntry(fib, v, 0);   // a node below is painted in place (its entry stays)
  if (n != v) spanChanged = true;
  spanPut(s < from ? from : s, n);
  if (t > to) spanPut(to, v);
}

/**
 * Entries [from, to) of entry e (a node, or a leaf: one run) painted, the others kept: the runs edited one
 * by one (a run across from or to split, equal leaf runs merged) instead of a re-pack of the
 * 256 entries; returns e's new entry (a leaf when one run is left), or FAIL (e untouched).
 */
function paintSpan(fib: usize, e: u32, from: u32, to: u32): u32 {
  spanAt = RUNBUF;
  spanChanged = false;
  memory.fill(BITS, 0, 32);
  if (!isChild(e)) {
    spanRun(fib, 0, 256, e, from, to);
    return spanChanged ? writeNode(fib, 0, <u32>((spanAt - RUNBUF) >> 2)) : e;
  }
  let bm = nodeBits(e);   // (nothing below reads a node's bitmap: paintEntry paints nodes by their runs)
  let r = runsAt(e);
  let s: u32 = 0;
  let v = load<u32>(r);
  for (let w: u32 = 0; w < 4; w++) {
    let bits = load<u64>(bm + (<usize>w << 3));
    if (w == 0) bits &= ~(<u64>1);   // entry 0 starts the first run
    while (bits != 0) {
      let at = (w << 6) + <u32>ctz(bits);
      spanRun(fib, s, at, v, from, to);
      r += 4; v = load<u32>(r); s = at;
      bits &= bits - 1;
    }
  }
  spanRun(fib, s, 256, v, from, to);
  return spanChanged ? writeNode(fib, e, <u32>((spanAt - RUNBUF) >> 2)) : e;
}

/**
 * Applies the current paint for prefix (key, len) below entry e, a node (or leaf) at `depth` covering
 * bits 16 + 8 × depth .. + 8 of the key; returns e's new value, or FAIL.
 */
function apply(fib: usize, e: u32, depth: u32, key: usize, len: u32): u32 {
  let b: u32 = 16 + 8 * depth;
  let j = <usize>(b >> 3);
  let idx = <u32>load<u8>(key + ((j & ~3) | (3 - (j & 3))));
  if (len <= b + 8) {
    if (!pAdd && !isChild(e)) return e == pOld ? pRepl : e;
    if (len == b + 8) {
      // one entry (a prefix ending on this node's bits): its run is edited, the node not re-packed
      if (!isChild(e)) { let v = paintLeaf(e); return v == e ? e : nodeFromLeaf(fib, e, idx, v); }
      let old = load<u32>(entryAt(e, idx));
      if (isChild(old)) { paintNode(old); return e; }
      let v = paintLeaf(old);
      return v == old ? e : setEntry(fib, e, idx, v);
    }
    return paintSpan(fib, e, idx, idx + (1 << (b + 8 - len)));
  }
  if (!isChild(e)) {
    // no node on the path: an add makes one from the leaf; a removed destination was never painted here
    if (!pAdd) return e;
    let n = apply(fib, e, depth + 1, key, len);
    if (n == FAIL || n == e) return n;
    return nodeFromLeaf(fib, e, idx, n);
  }
  let a = entryAt(e, idx);
  let old = load<u32>(a);
  let n = apply(fib, old, depth + 1, key, len);
  if (n == FAIL || n == old) return n == FAIL ? FAIL : e;
  if (isChild(old) && isChild(n)) { store<u32>(a, n); snapMark(a); return e; }   // the child moved: same runs
  return setEntry(fib, e, idx, n);
}

/** Applies the current paint for (key, len) to the structure at fib; false if memory ran out. */
function paint(fib: usize, key: usize, len: u32): bool {
  pCacheLeaf = 0; pCacheLen = -1;
  let hi = load<u32>(key) >>> 16;
  if (len <= 16) {
    let count: u32 = 1 << (16 - len);
    for (let i = hi; i < hi + count; i++) {
      let a = fib + (<usize>i << 2);
      let e = load<u32>(a);
      let n = paintEntry(fib, e, 0);
      if (n == FAIL) return false;
      if (n != e) { store<u32>(a, n); snapMark(a); }
    }
    return true;
  }
  let a = fib + (<usize>hi << 2);
  let e = load<u32>(a);
  let n = apply(fib, e, 0, key, len);
  if (n == FAIL) return false;
  if (n != e) { store<u32>(a, n); snapMark(a); }
  return true;
}

/** True if a destination state counts for the structure of qualifier qual (a live route in its view, in the trie). */
// @ts-ignore: decorator
@inline function qualifies(state: u32, qual: u32): bool { return (state & qual) != 0 && (state & DEST_S_DETACHED) == 0; }

/** Destination d (trie node n) started qualifying; false if memory ran out. */
function fib6Add(fib: usize, d: u32, n: u32): bool {
  pAdd = true; pLeaf = d + 1; pLen = <i32>nodeLen(n);
  return paint(fib, nodeKeyWords(n), nodeLen(n));
}

/** Destination d stopped qualifying: its entries go to the next less specific qualifying one. */
function fib6Remove(t: u32, fib: usize, d: u32): bool {
  let n = destNode(d);
  let key = nodeKeyWords(n);   // a node's key words or a leaf's key record: the words its length needs
  let len = nodeLen(n);
  let repl: u32 = 0;
  if (len > 0) {
    let q = trieLpm(t, key, len - 1, pQual);
    if (q != NIL) repl = q + 1;
  }
  pAdd = false; pOld = d + 1; pRepl = repl;
  return paint(fib, key, len);
}

/** Keeps the structure in step with a state change of destination d (called by destSetState). */
export function fib6StateChanged(t: u32, d: u32, was: u32, now: u32): void {
  for (let v: u32 = 0; v < 2; v++) {
    let fib = <usize>tableGet(t, TABLE_FIB6 + v);
    if (fib == 0) continue;
    let q: u32 = 1 << v;
    let a = qualifies(was, q), b = qualifies(now, q);
    if (a == b) continue;
    pQual = q;
    snapSelect(v == 0 ? t : NIL);                   // the unicast structure's stores are marked for publishing
    let ok = b ? fib6Add(fib, d, destNode(d)) : fib6Remove(t, fib, d);
    snapSelect(NIL);
    if (!ok) fib6FreeView(t, v);
  }
  // the multicast view's structure follows its own count: built at the threshold (d included: its node
  // state is already set), again every 64K after a failed build, freed below a quarter
  let m0 = qualifies(was, 2), m1 = qualifies(now, 2);
  if (m0 == m1) return;
  let m = tableGet(t, TABLE_MDESTS) + (m1 ? 1 : -1);
  tableSet(t, TABLE_MDESTS, m);
  if (m1) { if (m == fib6MinDests || (m > fib6MinDests && (m & 0xffff) == 0)) fib6Build(t, 1); }
  else if (m < (fib6MinDests >>> 2)) fib6FreeView(t, 1);
}

/** Builds table t's structure when it is an IPv6 table with FIB6_MIN_DESTS destinations and none yet. */
export function fib6MaybeBuild(t: u32): void {
  if (tableGet(t, TABLE_FIB6) != 0 || tableGet(t, TABLE_FAMILY) != 6) return;
  let dests = tableGet(t, TABLE_DESTS);
  // at the threshold, and again at every 64K destinations after a build failed for lack of memory
  if (dests != fib6MinDests && (dests < fib6MinDests || (dests & 0xffff) != 0)) return;
  fib6Build(t, 0);
}

/**
 * Builds table t's unicast structure in one pass from the finished trie when it is an IPv6 table with at
 * least FIB6_MIN_DESTS destinations and none yet (after a bulk load, assembly/bulk.ts).
 */
export function fib6BuildNow(t: u32): void {
  if (tableGet(t, TABLE_DESTS) >= fib6MinDests) fib6Build(t, 0);
}

/** Builds table t's structure of `view` from the trie (an IPv6 table without one); dropped if memory runs out. */
function fib6Build(t: u32, view: u32): void {
  if (tableGet(t, TABLE_FIB6 + view) != 0 || tableGet(t, TABLE_FAMILY) != 6) return;
  let fib = allocFib();
  if (fib == 0) return;
  if (view == 0) snapStructure(t);                  // a publish copies it whole (its build is not marked)
  tableSet(t, TABLE_FIB6 + view, <u32>fib);
  pQual = 1 << view;
  if (!buildAll(fib, tableGet(t, TABLE_ROOT))) fib6FreeView(t, view);
}

// ── the one-pass build ──────────────────────────────────────────────────────────────────────────────
// The trie's pre-order gives the qualifying prefixes covering-first, each one after every prefix it
// covers and before every prefix it covers: so the nodes on the path to the last prefix painted are the
// only ones that can still change. They stay open as scratch arrays (one per depth, decoded once from the
// leaf they replace) and are packed (encode) when the walk leaves them — each node written once, where
// painting prefix by prefix (fib6Add) rewrites the node of every prefix it paints.

// the open path: the level-1 index of the node open at depth 0, and per depth k the entry of the open node
// at depth k under which the node at depth k + 1 is open; `open` = nodes open (depths 0 .. open - 1)
let bHi: u32 = 0;
let bOpen: u32 = 0;
const BIDX: usize = memory.data(<i32>(DEPTHS * 4), 16);

/** Byte j (0 = most significant) of the key at `key`. */
// @ts-ignore: decorator
@inline function keyByte(key: usize, j: u32): u32 { return <u32>load<u8>(key + ((j & ~3) | (3 - (j & 3)))); }

/** Packs the open nodes at depths ≥ `keep` (deepest first) into their parents; false if memory ran out. */
function closeTo(fib: usize, keep: u32): bool {
  while (bOpen > keep) {
    let k = --bOpen;
    let e = encode(fib, k, 0);
    if (e == FAIL) return false;
    if (k == 0) store<u32>(fib + (<usize>bHi << 2), e);
    else store<u32>(scr(k - 1) + (<usize>load<u32>(BIDX + (<usize>(k - 1) << 2)) << 2), e);
  }
  return true;
}

/** Paints qualifying prefix (key, len) with leaf `leaf` in pre-order (see above); false if memory ran out. */
function buildPaint(fib: usize, key: usize, len: u32, leaf: u32): bool {
  let hi = load<u32>(key) >>> 16;
  if (len <= 16) {
    // nothing open can lie in its range (it would have come after it): close all, paint level 1
    if (!closeTo(fib, 0)) return false;
    fill(fib, hi, hi + (1 << (16 - len)), leaf);
    return true;
  }
  let depth = (len - 17) >> 3;   // the node whose 8 bits hold the prefix's last bits
  // keep the open nodes on the prefix's path above `depth` + 1; the rest is done with
  let keep: u32 = 0;
  if (bOpen > 0 && bHi == hi) {
    keep = 1;
    while (keep < bOpen && keep <= <u32>depth && load<u32>(BIDX + (<usize>(keep - 1) << 2)) == keyByte(key, 1 + keep)) keep++;
  }
  if (!closeTo(fib, keep)) return false;
  // open the nodes down to `depth`, each from the leaf its entry holds (no node was made there yet)
  if (bOpen == 0) { bHi = hi; fill(scr(0), 0, 256, load<u32>(fib + (<usize>hi << 2))); bOpen = 1; }
  while (bOpen <= <u32>depth) {
    let k = bOpen;
    let idx = keyByte(key, 1 + k);
    store<u32>(BIDX + (<usize>(k - 1) << 2), idx);
    fill(scr(k), 0, 256, load<u32>(scr(k - 1) + (<usize>idx << 2)));
    bOpen = k + 1;
  }
  let b: u32 = 16 + 8 * <u32>depth;
  let idx = keyByte(key, 2 + <u32>depth);
  fill(scr(<u32>depth), idx, idx + (1 << (b + 8 - len)), leaf);
  return true;
}

/** Builds the structure at fib from the trie under root in one pre-order walk; false if memory ran out. */
function buildAll(fib: usize, root: u32): bool {
  bOpen = 0;
  triePreStart(root);
  for (let n = triePreNext(); n != NIL; n = triePreNext()) {
    let d = nodeDest(n);
    if (d != NIL && qualifies(nodeState(n), pQual) && !buildPaint(fib, nodeKeyWords(n), nodeLen(n), d + 1)) { bOpen = 0; return false; }
  }
  return closeTo(fib, 0);
}

/** Frees table t's structure when it has shrunk below a quarter of the threshold (it is built again there). */
export function fib6MaybeFree(t: u32): void {
  if (tableGet(t, TABLE_FIB6) != 0 && tableGet(t, TABLE_DESTS) < (fib6MinDests >>> 2)) fib6FreeView(t, 0);
}

/**
 * Writes up to `max` (≤ IO_BATCH_MAX × 4) page addresses (64 KiB aligned) of IPv6 table t's unicast
 * structure into IO_OUT for the snapshot publisher (src/fib/publisher.ts), after skipping the first `skip`:
 * first the BLOCK_PAGES pages of its block (level 1 is the first four), then the arena's extra pages.
 * RES0 = pages written, RES1 = 1 when the list is complete. ERROR_NOT_FOUND when t has no such structure.
 */
export function fib6PagesX(t: u32, skip: u32, max: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (max > IO_BATCH_MAX * 4) return ERROR_INVALID_PARAMETER;
  let fib = tableGet(t, TABLE_FAMILY) == 6 ? <usize>tableGet(t, TABLE_FIB6) : 0;
  if (fib == 0) return ERROR_NOT_FOUND;
  let out = ioPtr(IO_OUT);
  let i: u32 = 0, n: u32 = 0;
  let more = false;
  for (let k: i32 = 0; k < BLOCK_PAGES && !more; k++, i++) {
    if (i < skip) continue;
    if (n == max) more = true;
    else { store<u32>(out + (<usize>n << 2), <u32>(fib + (<usize>k << 16))); n++; }
  }
  let page = <usize>load<u32>(hdr(fib) + H_PAGES);
  for (; page != 0 && !more; page = <usize>load<u32>(page), i++) {
    if (i < skip) continue;
    if (n == max) more = true;
    else { store<u32>(out + (<usize>n << 2), <u32>page); n++; }
  }
  setRes(0, n); setRes(1, more ? 0 : 1);
  return NO_ERROR;
}

// ── lookups ─────────────────────────────────────────────────────────────────────────────────────────

/** The leaf for the address at `key` (4 words, MS first) in the structure at fib (0 = no route). */
// @ts-ignore: decorator
@inline function fib6Leaf(fib: usize, key: usize): u32 {
  let w = load<u32>(key);
  let e = load<u32>(fib + (<usize>(w >>> 16) << 2));
  // bytes 2.. of the address, most significant first (each key word is stored little-endian)
  let j: usize = 2;
  while ((e & CHILD) != 0) {
    let p = <usize>(e << 3);   // derivations at step()
    let idx = <u32>load<u8>(key + ((j & ~3) | (3 - (j & 3))));
    if ((e & LIST) != 0) e = load<u32>(p + L_RUNS + (<usize>listRun(p, idx) << 2));
    else {
      let wi = <usize>(idx >> 6);
      let k = <u32>load<u8>(p + N_COUNTS + wi) + <u32>popcnt(load<u64>(p + (wi << 3)) << <u64>(~idx));
      e = load<u32>(p + N_RUNS - 4 + (<usize>k << 2));
    }
    j++;
  }
  return e;
}

// A node with no runs: a lane already at its leaf, and each lane's other form, steps through it (as a bitmap
// node k = 0 reads its zero counts word; as a list node its zero start bytes give k ≤ 16, a run at byte ≤ 80).
const DUMMY: usize = memory.data(96, 16);

/**
 * One step down, branch-free: the entry of node entry e for address byte at byteAt (this step's byte of
 * the lane's address) when e is a child, else e itself. Both forms' runs are found, each from the node or
 * from DUMMY, and select keeps the node's own (a leaf never has LIST: slot + 1 < 2^25) or e (a leaf).
 * Derivations: a child entry is CHILD | LIST? | address >> 3 with address < 2^32, so (e << 3) in u32 drops
 * both tags; wasm's i64 shift counts are taken mod 64, so bits << ~idx shifts by 63 - (idx & 63). (A branch
 * on the form instead: 1.16–1.25× the time of the bitmap-only step inside announced prefixes, this 1.08–1.13×,
 * bench/ab/lookup.mjs A B 6 9, both orders.)
 */
// @ts-ignore: decorator
@inline function step(e: u32, byteAt: usize): u32 {
  let c = (e & CHILD) != 0;
  let p = select<usize>(<usize>(e << 3), DUMMY, c);
  let idx = <u32>load<u8>(byteAt);
  let l = (e & LIST) != 0;
  let pl = select<usize>(p, DUMMY, l), pb = select<usize>(DUMMY, p, l);
  let al = pl + L_RUNS + (<usize>listRun(pl, idx) << 2);
  let wi = <usize>(idx >> 6);
  let k = <u32>load<u8>(pb + N_COUNTS + wi) + <u32>popcnt(load<u64>(pb + (wi << 3)) << <u64>(~idx));
  let ab = pb + N_RUNS - 4 + (<usize>k << 2);
  return select<u32>(load<u32>(select<usize>(al, ab, l)), e, c);
}

/**
 * Batch lookup of n addresses (4 words each from inp) → dest slots or NIL at out; returns the hits. Eight
 * lookups go down in lockstep, branch-free (a lane at its leaf idles through DUMMY), so that their
 * independent node loads overlap (memory-level parallelism) and no mispredicted branch flushes them
 * (bench/ab/lookup.mjs A B 6: eight branch-free lanes beat four lanes with a branch per lane, in-prefix).
 */
export function fib6Batch(fib: usize, inp: usize, out: usize, n: u32): u32 {
  let hits: u32 = 0;
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) {
    let a0 = inp + (<usize>i << 4);
    let a1 = a0 + 16, a2 = a0 + 32, a3 = a0 + 48, a4 = a0 + 64, a5 = a0 + 80, a6 = a0 + 96, a7 = a0 + 112;
    let e0 = load<u32>(fib + (<usize>(load<u32>(a0) >>> 16) << 2));
    let e1 = load<u32>(fib + (<usize>(load<u32>(a1) >>> 16) << 2));
    let e2 = load<u32>(fib + (<usize>(load<u32>(a2) >>> 16) << 2));
    let e3 = load<u32>(fib + (<usize>(load<u32>(a3) >>> 16) << 2));
    let e4 = load<u32>(fib + (<usize>(load<u32>(a4) >>> 16) << 2));
    let e5 = load<u32>(fib + (<usize>(load<u32>(a5) >>> 16) << 2));
    let e6 = load<u32>(fib + (<usize>(load<u32>(a6) >>> 16) << 2));
    let e7 = load<u32>(fib + (<usize>(load<u32>(a7) >>> 16) << 2));
    // byte j of an address (0 = most significant) is at offset (j & ~3) | (3 - (j & 3)): words are little-endian
    for (let j: usize = 2; ((e0 | e1 | e2 | e3 | e4 | e5 | e6 | e7) & CHILD) != 0; j++) {
      let o = (j & ~3) | (3 - (j & 3));
      e0 = step(e0, a0 + o);
      e1 = step(e1, a1 + o);
      e2 = step(e2, a2 + o);
      e3 = step(e3, a3 + o);
      e4 = step(e4, a4 + o);
      e5 = step(e5, a5 + o);
      e6 = step(e6, a6 + o);
      e7 = step(e7, a7 + o);
    }
    let o = out + (<usize>i << 2);
    store<u32>(o, e0 - 1, 0); hits += <u32>(e0 != 0);
    store<u32>(o, e1 - 1, 4); hits += <u32>(e1 != 0);
    store<u32>(o, e2 - 1, 8); hits += <u32>(e2 != 0);
    store<u32>(o, e3 - 1, 12); hits += <u32>(e3 != 0);
    store<u32>(o, e4 - 1, 16); hits += <u32>(e4 != 0);
    store<u32>(o, e5 - 1, 20); hits += <u32>(e5 != 0);
    store<u32>(o, e6 - 1, 24); hits += <u32>(e6 != 0);
    store<u32>(o, e7 - 1, 28); hits += <u32>(e7 != 0);
  }
  for (; i < n; i++) {
    let d = fib6Leaf(fib, inp + (<usize>i << 4)) - 1;
    store<u32>(out + (<usize>i << 2), d);
    if (d != NIL) hits++;
  }
  return hits;
}

/** Most specific qualifying destination for the address at key in the structure at fib, or NIL. */
// @ts-ignore: decorator
@inline export function fib6Lookup(fib: usize, key: usize): u32 { return fib6Leaf(fib, key) - 1; }

/**
 * The most specific qualifying destination covering the address at `key` in the structure at fib, or NIL:
 * for a prefix (key, len), the prefix itself when that destination has length len (the prefix of length len
 * covering an address is unique; as fibExact), else when shorter a cover of the whole prefix (dests.ts destFind).
 */
export function fib6At(fib: usize, key: usize): u32 {
  let e = fib6Leaf(fib, key);
  return e != 0 ? e - 1 : NIL;
}

/** Bytes held by IPv6 forwarding structures (level-1 blocks and arena pages). */
export function fib6Bytes(): f64 {
  return <f64>fib6BlocksInUse * <f64>(BLOCK_PAGES << 16) + <f64>fib6PagesInUse * 65536.0;
}

/** Bytes of table t's structure of `view`: level 1, header page and node bytes in use (0 = none). */
export function fib6TableBytes(t: u32, view: u32): f64 {
  let fib = <usize>tableGet(t, TABLE_FIB6 + view);
  if (fib == 0) return 0;
  return <f64>(L1_BYTES + 65536) + <f64>load<u32>(hdr(fib) + H_NODE_BYTES);
}

/**
 * Debug check: the structure of table t answers as the view-0 trie walk at the first, middle and last
 * address of prefix (key, len). True when it agrees (or there is no structure).
 */
export function fib6Agrees(t: u32, key: usize, len: u32): bool {
  for (let v: u32 = 0; v < 2; v++) if (!agreesIn(t, v, key, len)) return false;
  return true;
}

function agreesIn(t: u32, view: u32, key: usize, len: u32): bool {
  let fib = <usize>tableGet(t, TABLE_FIB6 + view);
  if (fib == 0) return true;
  for (let k: u32 = 0; k < 3; k++) {
    for (let w: u32 = 0; w < 4; w++) {
      let keep = <i32>len - <i32>(w * 32);
      let host: u32 = keep <= 0 ? 0xffffffff : keep >= 32 ? 0 : 0xffffffff >>> <u32>keep;
      let v = load<u32>(key + (<usize>w << 2)) & ~host;
      if (k == 2) v |= host;                                                    // last address
      else if (k == 1 && len < 128 && (len >> 5) == w) v |= 0x80000000 >>> (len & 31);   // middle
      store<u32>(ADDR + (<usize>w << 2), v);
    }
    if (fib6Lookup(fib, ADDR) != trieLpm(t, ADDR, 128, 1 << view)) return false;
  }
  return true;
}
