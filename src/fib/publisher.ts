// The writer of a table's forwarding snapshot (Table.publish; layout.ts draws the buffer). One publisher
// per table, on the thread that owns the Rtm (RTMv2 stays single-writer). A publish rewrites the
// generation no reader should be in, then flips VERSION with Atomics; it never waits for readers.
//  - IPv4 tables with a forwarding structure (assembly/fib.ts): the generation is brought to the new
//    version by copying the 1 KiB blocks the core marked dirty in the last two publish intervals
//    (assembly/snapshot.ts), child pointers translated to chunk units shared by both generations; a
//    structure built or freed, an overflowing dirty list or a full generation region copies it all.
//  - IPv6 tables with a forwarding structure (assembly/fib6.ts): the same with its 64 KiB pages — the
//    first publish of a generation copies every page, later ones the 1 KiB blocks the core marked dirty;
//    a page table per generation maps the core's page numbers (child pointers stay the core's) to copies.
//  - Tables without a structure (small ones): the core serialises the answer as ranges, rebuilt each time.
// Regions of the buffer are kept by a first-fit free list; the buffer grows (never shrinks) as needed.
// Allocates: the buffer and its growth, a staging array for ranges, the dirty-block set of a publish.
import type { Core } from '../port/core.js';
import { RtmError, check } from '../errors.js';
import * as L from './layout.js';

/** A published forwarding snapshot (API.md §6): later publishes of the same table update it in place. */
export interface FibSnapshot {
  /** The snapshot, for FibReader.attach / LookupPool.attach in any thread. */
  readonly buffer: SharedArrayBuffer;
  /** The family of the published table: 4 or 6. */
  readonly family: 4 | 6;
  /** The version readers now answer from (1 after the first publish). */
  readonly version: number;
  /** What the last publish did (for tuning and benchmarks). */
  readonly lastPublish: PublishInfo;
}

/** How a publish brought its generation up to date. */
export interface PublishInfo {
  /** 'blocks': changed 1 KiB blocks of the structure copied; 'full': the whole structure; 'ranges': rebuilt. */
  mode: 'blocks' | 'full' | 'ranges' | 'none';
  /** Blocks (blocks, full: 1 KiB each) or segments (ranges) written. */
  units: number;
  /** Bytes written into the snapshot's generation (the copy; a page table cleared or ranges index included). */
  bytes: number;
}

/** Most the buffer may grow to (its address space is reserved, not committed, by the runtime). */
const MAX_BYTES = 2 ** 31 - 2 ** 16;
const INITIAL_BYTES = 1 << 16;
const CHILD = 0x80000000 | 0;
/** A growable SharedArrayBuffer (ES2024; Node ≥ 20, evergreen browsers; the ES2022 lib lacks the types). */
interface GrowableShared extends SharedArrayBuffer { grow(bytes: number): void; readonly growable: boolean }
/** A growable SharedArrayBuffer; looked up at publish time (pages that are not cross-origin isolated have none). */
function newGrowableShared(bytes: number, o: { maxByteLength: number }): GrowableShared {
  if (typeof SharedArrayBuffer !== 'function') {
    throw new RtmError('ERROR_NOT_SUPPORTED', 'publish', 'needs SharedArrayBuffer (in browsers: a cross-origin isolated page)');
  }
  return new (SharedArrayBuffer as unknown as new (bytes: number, o: { maxByteLength: number }) => GrowableShared)(bytes, o);
}

class Snapshot implements FibSnapshot {
  lastPublish: PublishInfo = { mode: 'none', units: 0, bytes: 0 };
  constructor(readonly buffer: SharedArrayBuffer, readonly family: 4 | 6, private readonly h: Int32Array) {}
  get version(): number { return Atomics.load(this.h, L.HDR_VERSION); }
}

interface Region { off: number; words: number }

/** @internal The writer of one table's snapshot (Table.publish makes it on first use). */
export class Publisher {
  readonly snapshot: Snapshot;
  private readonly core: Core;
  private readonly t: number;
  private readonly family: 4 | 6;
  private readonly buf: GrowableShared;
  private readonly h: Int32Array;
  private s: Int32Array;
  /** First word past the last region; free regions below it (sorted by offset). */
  private top = L.HDR_WORDS;
  private free: Region[] = [];
  private readonly region: (Region | undefined)[] = [undefined, undefined];
  // 18-6-8 state: chunk slots by core block (address >> 10), shared by both generations; IPv6 (fib6):
  // page slots by core page (address >> 16), likewise
  private slotOf = new Map<number, number>();
  private slots = 0;
  private readonly needsFull = [true, true];
  private prevDirty = new Set<number>();
  private fibAddr = 0;
  private watched = false;
  private staging = new Int32Array(0);
  /**
   * A child entry of the core (CHILD | chunk byte address >> 4) → its block number (address >>
   * SNAP_BLOCK_SHIFT); (e >>> 4) & 3 is the chunk's quarter of that block (a level-2 chunk of a quad).
   */
  private readonly childShift: number;
  /** Core words in a dirty-mark block (one chunk: 256). */
  private readonly blockWords: number;

  constructor(core: Core, t: number, family: 4 | 6) {
    this.core = core;
    this.t = t;
    this.family = family;
    this.childShift = core.k.SNAP_BLOCK_SHIFT - 4;
    this.blockWords = 2 ** core.k.SNAP_BLOCK_SHIFT / 4;
    this.buf = newGrowableShared(INITIAL_BYTES, { maxByteLength: MAX_BYTES });
    if (this.buf.growable !== true) throw new RtmError('ERROR_NOT_SUPPORTED', 'publish', 'needs growable SharedArrayBuffers (ES2024)');
    this.h = new Int32Array(this.buf, 0, L.HDR_WORDS);
    this.s = new Int32Array(this.buf, 0, this.buf.byteLength >>> 2);
    const h = this.h;
    h[L.HDR_MAGIC] = L.SNAP_MAGIC;
    h[L.HDR_FORMAT] = L.SNAP_FORMAT;
    h[L.HDR_FAMILY] = family;
    Atomics.store(h, L.HDR_VERSION, 0);
    Atomics.store(h, L.HDR_WRITING, 0);
    this.snapshot = new Snapshot(this.buf, family, h);
  }

  /** Bytes of the buffer (both generations, free regions included). */
  get bytes(): number { return this.buf.byteLength; }

  /** Publishes the table's current view-0 answer as the next version; returns the snapshot. */
  publish(): FibSnapshot {
    const h = this.h;
    const v = Atomics.load(h, L.HDR_VERSION);
    const nv = (v + 1) | 0, g = nv & 1;
    Atomics.store(h, L.HDR_WRITING, nv);        // readers of generation g (version v - 1) answer again
    const c = this.core;
    const fib = (this.family === 4 ? c.x.snapFibX(this.t) : c.x.snapFib6X(this.t)) >>> 0;
    try {
      if (fib === 0) this.publishRanges(g);
      else if (this.family === 4) this.publishStride(g, fib);
      else this.publishFib6(g, fib);
    } catch (e) {
      // readers stay on version v (WRITING = v + 1 leaves it alone); the dirty marks taken are lost, so
      // both generations are copied whole next time
      this.needsFull[0] = this.needsFull[1] = true;
      throw e;
    }
    Atomics.store(h, L.HDR_VERSION, nv);
    return this.snapshot;
  }

  // ── regions ─────────────────────────────────────────────────────────────────────────────────────────
  private alloc(words: number): Region {
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.words < words) continue;
      const r = { off: f.off, words };
      if (f.words === words) this.free.splice(i, 1);
      else { f.off += words; f.words -= words; }
      return r;
    }
    const r = { off: this.top, words };
    this.top += words;
    if (this.top * 4 > this.buf.byteLength) {
      const want = Math.min(MAX_BYTES, Math.max(this.top * 4, Math.floor(this.buf.byteLength * 1.5)));
      if (this.top * 4 > MAX_BYTES) {
        this.top -= words;
        throw new RtmError('ERROR_NOT_ENOUGH_MEMORY', 'publish', `a snapshot is limited to ${MAX_BYTES} bytes`);
      }
      this.buf.grow(Math.ceil(want / 65536) * 65536);
      this.s = new Int32Array(this.buf, 0, this.buf.byteLength >>> 2);
    }
    return r;
  }

  private release1(r: Region): void {
    // insert sorted and merge with neighbours; a free region that ends at top gives its words back
    const f = this.free;
    let i = 0;
    while (i < f.length && f[i].off < r.off) i++;
    f.splice(i, 0, { off: r.off, words: r.words });
    if (i + 1 < f.length && f[i].off + f[i].words === f[i + 1].off) { f[i].words += f[i + 1].words; f.splice(i + 1, 1); }
    if (i > 0 && f[i - 1].off + f[i - 1].words === f[i].off) { f[i - 1].words += f[i].words; f.splice(i, 1); i--; }
    if (f[i].off + f[i].words === this.top) { this.top = f[i].off; f.splice(i, 1); }
  }

  /** A region for generation g: its old one when it holds `least` words and at most twice `want`, else a new one of `want`. */
  private regionFor(g: number, least: number, want = least): Region {
    const old = this.region[g];
    if (old !== undefined && old.words >= least && old.words <= want * 2) return old;
    if (old !== undefined) this.release1(old);
    const r = this.alloc(want);
    this.region[g] = r;
    return r;
  }

  /**
   * The core's dirty marks since the last take (block numbers), and whether the whole structure at fib
   * must be copied (not watched, a new structure, or marks lost); a full copy forgets the slots.
   */
  private takeDirty(fib: number): Set<number> {
    const c = this.core, t = this.t;
    if (!this.watched) this.watched = c.x.snapWatchX(t) === 0;
    let full = !this.watched || fib !== this.fibAddr;
    const dirty = new Set<number>();
    if (this.watched) {
      const max = c.k.SNAP_SEG_MAX * c.k.SNAP_SEG_WORDS;
      for (;;) {
        check(c.x.snapDirtyX(t, max), 'publish');
        if (c.res(1) === 1) full = true;
        const n = c.res(0), base = c.io + c.IO_OUT, u = c.i32();
        for (let i = 0; i < n; i++) dirty.add(u[base + i]);
        if (c.res(2) === 0) break;
      }
    }
    if (full) {
      this.slotOf.clear();
      this.slots = 0;
      this.needsFull[0] = this.needsFull[1] = true;
      this.fibAddr = fib;
      this.prevDirty.clear();
    }
    return dirty;
  }

  // ── IPv4: a copy of the core's 18-6-8 structure ────────────────────────────────────────────────────
  private publishStride(g: number, fib: number): void {
    this.publishCopy(g, fib, L.KIND_STRIDE, (blocks) => this.copyBlocks(g, blocks), () => {
      this.copyAll(g);
      const units = this.slots + L.L1_ENTRIES / 256;
      return { mode: 'full', units, bytes: units * 1024 };
    });
  }

  /**
   * Brings generation g up to date with the core's structure at `fib` (IPv4 18-6-8 or IPv6 fib6 pages): the
   * 1 KiB blocks dirtied in the last two publish intervals when g holds a copy of `kind` that needs no full
   * copy and they fit (`copyBlocks`), else the whole structure (`copyAll`, which says what it wrote).
   */
  private publishCopy(g: number, fib: number, kind: number, copyBlocks: (blocks: Set<number>) => boolean,
    copyAll: () => PublishInfo): void {
    const dirty = this.takeDirty(fib);
    const hg = L.HDR_GEN + g * L.GEN_WORDS;
    let done = false;
    if (!this.needsFull[g] && this.h[hg + L.G_KIND] === kind) {
      done = copyBlocks(this.prevDirty) && copyBlocks(dirty);
      const units = this.prevDirty.size + dirty.size;
      this.snapshot.lastPublish = { mode: 'blocks', units, bytes: units * 1024 };
    }
    if (!done) this.snapshot.lastPublish = copyAll();
    this.needsFull[g] = false;
    this.prevDirty = dirty;
  }

  /** Word offsets of generation g's level 1 and chunk base. */
  private strideBases(g: number): [number, number, number] {
    const r = this.region[g]!;
    return [r.off, r.off + L.L1_ENTRIES, Math.floor((r.words - L.L1_ENTRIES) / L.CHUNK_ENTRIES)];
  }

  private slot(block: number): number {
    let s = this.slotOf.get(block);
    if (s === undefined) { s = this.slots++; this.slotOf.set(block, s); }
    return s;
  }

  /**
   * Copies 256 entries (a 1 KiB block) from core word w to snapshot word o, child pointers as units (slot ×
   * 4 + quarter); false if a slot ≥ cap.
   */
  private copyEntries(src: Int32Array, w: number, o: number, cap: number): boolean {
    const s = this.s;
    for (let i = 0; i < 256; i++) {
      const e = src[w + i];
      if (e < 0) {
        const sl = this.slot((e & 0x7fffffff) >>> this.childShift);
        if (sl >= cap) return false;
        s[o + i] = CHILD | (sl << 2) | ((e >>> 4) & 3);
      } else s[o + i] = e;
    }
    return true;
  }

  /** Copies the given core blocks into generation g; false when a new chunk does not fit its region. */
  private copyBlocks(g: number, blocks: Set<number>): boolean {
    const [l1, cb, cap] = this.strideBases(g);
    const src = this.core.i32(), fib = this.fibAddr;
    for (const b of blocks) {
      const addr = b * this.blockWords * 4;
      if (addr >= fib && addr < fib + L.L1_ENTRIES * 4) {
        if (!this.copyEntries(src, addr >>> 2, l1 + ((addr - fib) >>> 2), cap)) return false;
      } else {
        const sl = this.slot(b);
        if (sl >= cap) return false;
        if (!this.copyEntries(src, addr >>> 2, cb + sl * 256, cap)) return false;
      }
    }
    return true;
  }

  /** Copies the whole structure into generation g (a region sized for every chunk, with room to grow). */
  private copyAll(g: number): void {
    const src = this.core.i32(), fib = this.fibAddr >>> 2;
    // assign slots to every block of chunks (a walk of the core's structure: a quad's four level-2 chunks,
    // whose unused ones are zero, and level-3 chunks), then size the region
    const chunks: number[] = [], seen = new Set<number>();
    const see = (e: number): void => {
      const b = (e & 0x7fffffff) >>> this.childShift;
      if (!seen.has(b)) { seen.add(b); chunks.push(b); }
    };
    for (let i = 0; i < L.L1_ENTRIES; i++) {
      const e = src[fib + i];
      if (e < 0) see(e);
    }
    for (let j = 0; j < chunks.length; j++) {
      const w = chunks[j] * this.blockWords;
      for (let i = 0; i < 256; i++) { const e = src[w + i]; if (e < 0) see(e); }
    }
    for (const b of chunks) this.slot(b);
    // room for a quarter more chunks, so that incremental publishes rarely outgrow the region
    const cap = Math.ceil(this.slots * 1.25) + 64;
    const hg = L.HDR_GEN + g * L.GEN_WORDS;
    this.h[hg + L.G_KIND] = L.KIND_NONE;
    this.regionFor(g, L.L1_ENTRIES + (this.slots + 16) * 256, L.L1_ENTRIES + cap * 256);
    const [l1, cb, capNow] = this.strideBases(g);
    for (let p = 0; p < L.L1_ENTRIES; p += 256) this.copyEntries(src, fib + p, l1 + p, capNow);
    for (const b of chunks) this.copyEntries(src, b * this.blockWords, cb + this.slot(b) * 256, capNow);
    const h = this.h;
    h[hg + L.G_KIND] = L.KIND_STRIDE;
    h[hg + L.G_L1] = l1;
    h[hg + L.G_CHUNKS] = cb;
    h[hg + L.G_SLOTS] = capNow;
    h[hg + L.G_REGION] = this.region[g]!.off;
  }

  // ── IPv6: a copy of the core's fib6 pages ──────────────────────────────────────────────────────────
  private publishFib6(g: number, fib: number): void {
    this.publishCopy(g, fib, L.KIND_FIB6, (blocks) => this.copyBlocks6(g, blocks), () => {
      const pages = this.copyAll6(g, fib);
      return { mode: 'full', units: pages * 64, bytes: pages * 65536 + L.PT_ENTRIES * 4 };
    });
  }

  /** Copies the given core blocks (1 KiB) into their pages' slots in generation g; false when a new page does not fit. */
  private copyBlocks6(g: number, blocks: Set<number>): boolean {
    const r = this.region[g]!, pt = r.off, sb = pt + L.PT_ENTRIES;
    const cap = Math.floor((r.words - L.PT_ENTRIES) / L.PAGE_WORDS);
    const bw = this.blockWords, perPage = L.PAGE_WORDS / bw;
    const src = this.core.i32(), s = this.s;
    for (const b of blocks) {
      const page = Math.floor(b / perPage), sl = this.slot(page);
      if (sl >= cap) return false;
      const dst = sb + sl * L.PAGE_WORDS, w = b * bw;
      s[pt + page] = dst;                            // a page new to the structure (idempotent otherwise)
      s.set(src.subarray(w, w + bw), dst + (b % perPage) * bw);
    }
    return true;
  }

  /** Copies every page of the structure at fib into generation g (room for more pages); returns the pages. */
  private copyAll6(g: number, fib: number): number {
    const c = this.core, t = this.t;
    const pages: number[] = [];
    for (;;) {
      check(c.x.fib6PagesX(t, pages.length, c.k.SNAP_SEG_MAX * c.k.SNAP_SEG_WORDS), 'publish');
      const n = c.res(0), base = c.io + c.IO_OUT, u = c.i32();
      for (let i = 0; i < n; i++) pages.push((u[base + i] >>> 0) / 65536);
      if (c.res(1) === 1) break;
    }
    if (pages[0] !== fib / 65536) throw new RtmError('ERROR_INVALID_DATA', 'publish', 'the IPv6 structure\'s pages do not start at its level 1');
    for (const p of pages) this.slot(p);
    const l1Slot = this.slot(pages[0]);
    for (let k = 1; k < 4; k++) {
      if (this.slot(pages[k]) !== l1Slot + k) throw new RtmError('ERROR_INVALID_DATA', 'publish', 'level 1 of the IPv6 structure is not in consecutive slots');
    }
    // room for an eighth more pages (the arena reuses freed nodes first), so that incremental publishes
    // rarely outgrow the region
    const cap = this.slots + Math.ceil(this.slots / 8) + 4;
    const hg = L.HDR_GEN + g * L.GEN_WORDS;
    this.h[hg + L.G_KIND] = L.KIND_NONE;
    const r = this.regionFor(g, L.PT_ENTRIES + (this.slots + 2) * L.PAGE_WORDS, L.PT_ENTRIES + cap * L.PAGE_WORDS);
    const pt = r.off, sb = pt + L.PT_ENTRIES, capNow = Math.floor((r.words - L.PT_ENTRIES) / L.PAGE_WORDS);
    const s = this.s, src = c.i32();
    s.fill(0, pt, sb);
    for (const p of pages) {
      const dst = sb + this.slot(p) * L.PAGE_WORDS, w = p * L.PAGE_WORDS;
      s[pt + p] = dst;
      s.set(src.subarray(w, w + L.PAGE_WORDS), dst);
    }
    const h = this.h;
    h[hg + L.G_L1] = sb + l1Slot * L.PAGE_WORDS;
    h[hg + L.G_PT] = pt;
    h[hg + L.G_SLOTS] = capNow;
    h[hg + L.G_REGION] = r.off;
    h[hg + L.G_KIND] = L.KIND_FIB6;
    return pages.length;
  }

  // ── ranges: tables without a structure (either family) ─────────────────────────────────────────────
  private publishRanges(g: number): void {
    const c = this.core, t = this.t;
    if (this.watched || this.slots !== 0) {    // an IPv4 table whose structure went away
      this.slotOf.clear(); this.slots = 0; this.fibAddr = 0;
      this.needsFull[0] = this.needsFull[1] = true;
    }
    // 1. segments from the core into staging: (4 key words, destId) each
    const SW = c.k.SNAP_SEG_WORDS;
    check(c.x.snapRangesBeginX(t), 'publish');
    let n = 0;
    for (;;) {
      check(c.x.snapRangesNextX(), 'publish');
      const m = c.res(0), doneNow = c.res(1) === 1;
      if ((n + m) * SW > this.staging.length) {
        const bigger = new Int32Array(Math.max((n + m) * SW, this.staging.length * 2, 1024));
        bigger.set(this.staging.subarray(0, n * SW));
        this.staging = bigger;
      }
      const base = c.io + c.IO_OUT;
      this.staging.set(c.i32().subarray(base, base + m * SW), n * SW);
      n += m;
      if (doneNow) break;
    }
    // 2. the region: index, keys, destIds
    const kw = this.family === 4 ? 1 : 4;
    let ibits = 4;
    while (ibits < 16 && (1 << ibits) < n * 2) ibits++;
    if (this.family === 6) ibits = 16;
    const idxWords = (1 << ibits) + 1;
    const words = idxWords + n * kw + n;
    const hg = L.HDR_GEN + g * L.GEN_WORDS;
    this.h[hg + L.G_KIND] = L.KIND_NONE;
    const r = this.regionFor(g, words);
    const ix = r.off, ks = ix + idxWords, ds = ks + n * kw;
    const s = this.s, st = this.staging, bias = L.KEY_BIAS;
    for (let i = 0; i < n; i++) {
      const p = i * SW;
      if (kw === 1) s[ks + i] = st[p] ^ bias;
      else { const q = ks + i * 4; s[q] = st[p] ^ bias; s[q + 1] = st[p + 1] ^ bias; s[q + 2] = st[p + 2] ^ bias; s[q + 3] = st[p + 3] ^ bias; }
      s[ds + i] = st[p + c.k.SNAP_SEG_DEST];       // NIL (0xffffffff) reads as -1
    }
    // index: entry b = the last segment starting at or before bucket b's first address
    const shift = 32 - ibits;
    let j = 0;
    for (let b = 0; b < (1 << ibits); b++) {
      const first = (b << shift) >>> 0;             // bucket's first address, word 0 (the rest 0)
      while (j + 1 < n) {
        const p = (j + 1) * SW, w0 = st[p] >>> 0;
        const le = w0 < first || (w0 === first && (kw === 1 || (st[p + 1] | st[p + 2] | st[p + 3]) === 0));
        if (!le) break;
        j++;
      }
      s[ix + b] = j;
    }
    s[ix + (1 << ibits)] = n - 1;
    const h = this.h;
    h[hg + L.G_N] = n;
    h[hg + L.G_INDEX] = ix;
    h[hg + L.G_KEYS] = ks;
    h[hg + L.G_DESTS] = ds;
    h[hg + L.G_IBITS] = ibits;
    h[hg + L.G_KWORDS] = kw;
    h[hg + L.G_REGION] = r.off;
    h[hg + L.G_KIND] = L.KIND_RANGES;
    this.snapshot.lastPublish = { mode: 'ranges', units: n, bytes: words * 4 };
  }
}
