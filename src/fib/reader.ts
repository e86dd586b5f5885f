// FibReader: longest-prefix lookups (view 0, destIds) from a forwarding snapshot (layout.ts) in any thread.
// The class is made by defineReader, a function that references nothing outside itself, so that the pool
// (src/pool/) runs the very same code in its workers from defineReader's source text. A lookup reads
// VERSION, answers from that generation with plain loads, then checks WRITING (seqlock): if the writer
// has begun rewriting that generation meanwhile, it answers again. Costs: IPv4 18-6-8 two or three
// dependent loads; IPv6 (fib6 copy) level 1, then per address byte a page-table load, two popcounts (a
// list node: a scan of at most 15 start bytes) and a run load (a /48: four nodes); ranges one index load
// and a binary search in one bucket; two Atomics loads per single lookup or per PASS addresses of a batch.
// Allocates only when the snapshot grows (a new view) or on attach.
import { RtmError, type StatusName } from '../errors.js';
import { SNAPSHOT_LAYOUT, type SnapshotLayout } from './layout.js';

/** Throws an error with an RTMv2 status name (RtmError on the main thread, a plain Error in workers). */
export type Fail = (code: string, op: string, detail: string) => never;

/** What a reader class offers (the public FibReader below, or the same class inside a worker). */
export interface SnapshotReader {
  /** The snapshot it reads. */
  readonly buffer: SharedArrayBuffer;
  /** The snapshot's family: 4 or 6. */
  readonly family: 4 | 6;
  /** The version the last lookup answered from (Atomics-read VERSION when it started). */
  readonly version: number;
  /** The destId of the most specific destination covering an address (IPv4: a host-order u32; IPv6: four words at `offset`), or -1. */
  lookupId(address: number | Uint32Array, offset?: number): number;
  /** Batch lookupId: IPv4 one u32 per address, IPv6 four words; writes each destId or -1 into `out`; returns the hits. */
  lookupBatch(keys: Uint32Array, out: Int32Array): number;
  /** Addresses [from, to) of keys (1 or 4 words each) → out[from..to); returns the hits. */
  lookupRange(keys: Uint32Array, out: Int32Array, from: number, to: number): number;
}
export interface SnapshotReaderClass { new (buffer: SharedArrayBuffer): SnapshotReader }

/**
 * Makes the reader class over layout `L`. Self-contained: it may be turned into source text with
 * `String(defineReader)` and evaluated in a worker (pool/worker.ts).
 */
export function defineReader(L: SnapshotLayout, fail: Fail): SnapshotReaderClass {
  const VERSION = L.HDR_VERSION, WRITING = L.HDR_WRITING, HDR_GEN = L.HDR_GEN, GEN_WORDS = L.GEN_WORDS;
  const STRIDE = L.KIND_STRIDE, RANGES = L.KIND_RANGES, FIB6 = L.KIND_FIB6, MASK = L.LEAF_SLOT_MASK, BIAS = L.KEY_BIAS, PASS = L.PASS;
  const L1_SHIFT = L.L1_SHIFT, L2_MASK = L.L2_MASK, UNIT_SHIFT = L.UNIT_SHIFT, LIST6 = L.NODE6_LIST, NODE6_ADDR = L.NODE6_ADDR;

  /**
   * 18-6-8, for address a (int32 bits) whose level-1 entry e is at s[p]: the index of its level-2 entry when e
   * points down (chunks at cb), else p (e's own slot). No branch: the mask is -1 for a child, else 0.
   */
  function level2At(cb: number, p: number, e: number, a: number): number {
    const m = e >> 31;
    return (m & (cb + ((e & 0x7fffffff) << UNIT_SHIFT) + ((a >>> 8) & L2_MASK))) | (~m & p);
  }

  /** Set bits of a 32-bit word. */
  function pop(x: number): number {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    return Math.imul(x, 0x01010101) >>> 24;
  }

  class Reader implements SnapshotReader {
    readonly buffer: SharedArrayBuffer;
    readonly family: 4 | 6;
    version = -1;
    private readonly h: Int32Array;
    private s: Int32Array;
    // the generation of `version`, cached (refresh)
    private kind = 0;
    private l1 = 0;
    private cb = 0;
    private pt = 0;
    private n = 0;
    private ix = 0;
    private ks = 0;
    private ds = 0;
    private shift = 16;
    private kw = 1;
    private readonly k6 = new Int32Array(4);
    /** Pass scratch of an IPv4 batch (PASS entries: one per address of a pass). */
    private readonly scratch = new Int32Array(PASS);

    constructor(buffer: SharedArrayBuffer) {
      const shared = typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
      if (!shared || buffer.byteLength < L.HDR_WORDS * 4) {
        fail('ERROR_INVALID_PARAMETER', 'FibReader.attach', 'needs the SharedArrayBuffer of a FibSnapshot');
      }
      const h = new Int32Array(buffer, 0, L.HDR_WORDS);
      const fam = Atomics.load(h, L.HDR_FAMILY);
      if (Atomics.load(h, L.HDR_MAGIC) !== L.SNAP_MAGIC || Atomics.load(h, L.HDR_FORMAT) !== L.SNAP_FORMAT ||
        (fam !== 4 && fam !== 6)) {
        fail('ERROR_INVALID_PARAMETER', 'FibReader.attach', 'the buffer does not hold a forwarding snapshot (magic, format or family)');
      }
      this.buffer = buffer;
      this.family = fam as 4 | 6;
      this.h = h;
      this.s = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    }

    /** Loads generation v & 1's descriptor (the seqlock check after the lookup covers a torn read). */
    private refresh(v: number): void {
      const h = this.h, g = HDR_GEN + (v & 1) * GEN_WORDS;
      if (this.s.length * 4 !== this.buffer.byteLength) this.s = new Int32Array(this.buffer, 0, this.buffer.byteLength >>> 2);
      this.version = v;
      this.kind = h[g];
      if (this.kind === STRIDE) {
        this.l1 = h[g + L.G_L1];
        this.cb = h[g + L.G_CHUNKS];
      } else if (this.kind === FIB6) {
        this.l1 = h[g + L.G_L1];
        this.pt = h[g + L.G_PT];
      } else {
        this.n = h[g + L.G_N];
        this.ix = h[g + L.G_INDEX];
        this.ks = h[g + L.G_KEYS];
        this.ds = h[g + L.G_DESTS];
        this.shift = 32 - h[g + L.G_IBITS];
        this.kw = h[g + L.G_KWORDS];
      }
    }

    /** 18-6-8: the destId of IPv4 address a (int32 bits). */
    private stride(a: number): number {
      const s = this.s, cb = this.cb;
      let e = s[this.l1 + (a >>> L1_SHIFT)];
      if (e < 0) {
        e = s[cb + ((e & 0x7fffffff) << UNIT_SHIFT) + ((a >>> 8) & L2_MASK)];
        if (e < 0) e = s[cb + ((e & 0x7fffffff) << UNIT_SHIFT) + (a & 255)];
      }
      return ((e & MASK) - 1) | 0;
    }

    /**
     * fib6 copy: the destId of the IPv6 address a0..a3 (words, most significant first). A bitmap node's
     * entry for address byte idx is its run number popcount(bitmap bits 0..idx) - 1 plus the counts before
     * its u64 (fib6.ts entryAt); a list node's, step6. At most 14 nodes (a torn read may loop: bounded, then answered again).
     */
    private walk6(a0: number, a1: number, a2: number, a3: number): number {
      let e = this.s[this.l1 + (a0 >>> 16)];
      for (let j = 2; e < 0 && j < 16; j++) e = this.step6(e, j < 4 ? a0 : j < 8 ? a1 : j < 12 ? a2 : a3, j);
      return e < 0 ? -1 : (e - 1) | 0;
    }

    /**
     * fib6 copy: the entry below child entry e for byte j of the address (w: the address word holding it).
     * A list node (e has LIST6): run k is the number of its start bytes (ascending, 255 after the last)
     * below idx, its value at word 4 + k.
     */
    private step6(e: number, w: number, j: number): number {
      const s = this.s;
      const idx = (w >>> (24 - ((j & 3) << 3))) & 255;
      const q = e & NODE6_ADDR, nb = s[this.pt + (q >>> 13)] + ((q & 0x1fff) << 1);
      if ((e & LIST6) !== 0) {
        let k = 0;
        while (k < 15 && ((s[nb + (k >>> 2)] >>> ((k & 3) << 3)) & 255) < idx) k++;
        return s[nb + 4 + k];
      }
      const b = idx & 63, wi = idx >>> 6, x = nb + (wi << 1);
      const c = b < 32 ? pop(s[x] << (31 - b)) : pop(s[x]) + pop(s[x + 1] << (63 - b));
      return s[nb + 8 + ((s[nb + 8] >>> (wi << 3)) & 255) + c];
    }

    /** Ranges, one key word (IPv4): the destId of a (int32 bits). */
    private range1(a: number): number {
      const s = this.s, ks = this.ks;
      let lo = s[this.ix + (a >>> this.shift)], hi = s[this.ix + (a >>> this.shift) + 1];
      const b = (a ^ BIAS) | 0;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (s[ks + mid] <= b) lo = mid; else hi = mid - 1;
      }
      return s[this.ds + lo] | 0;
    }

    /** Ranges, four key words (IPv6 address in k6, biased): the destId. */
    private range4(): number {
      const s = this.s, ks = this.ks, k = this.k6;
      const b0 = k[0], b1 = k[1], b2 = k[2], b3 = k[3];
      const top = (b0 ^ BIAS) >>> this.shift;
      let lo = s[this.ix + top], hi = s[this.ix + top + 1];
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1, p = ks + mid * 4;
        let w = s[p], le: boolean;
        if (w !== b0) le = w < b0;
        else if ((w = s[p + 1]) !== b1) le = w < b1;
        else if ((w = s[p + 2]) !== b2) le = w < b2;
        else le = s[p + 3] <= b3;
        if (le) lo = mid; else hi = mid - 1;
      }
      return s[this.ds + lo] | 0;
    }

    private one(a: number | Uint32Array, off: number): number {
      if (this.kind === STRIDE) return this.stride(a as number);
      if (this.kind === FIB6) {
        const w = a as Uint32Array;
        return this.walk6(w[off] | 0, w[off + 1] | 0, w[off + 2] | 0, w[off + 3] | 0);
      }
      if (this.kind !== RANGES) return -1;
      if (this.kw === 1) return this.range1(a as number);
      const k = this.k6, w = a as Uint32Array;
      k[0] = w[off] ^ BIAS; k[1] = w[off + 1] ^ BIAS; k[2] = w[off + 2] ^ BIAS; k[3] = w[off + 3] ^ BIAS;
      return this.range4();
    }

    /**
     * The destId of the most specific destination with a live unicast route covering an address: IPv4
     * a host-order u32, IPv6 four u32 words at words[offset..offset+3] (MS first); -1 when none.
     */
    lookupId(address: number | Uint32Array, offset = 0): number {
      if (this.family === 4) {
        if (typeof address !== 'number' || (address >>> 0) !== address) {
          fail('ERROR_INVALID_PARAMETER', 'lookupId', `needs a u32 IPv4 address, got ${String(address)}`);
        }
      } else if (!(address instanceof Uint32Array) || typeof offset !== 'number' || (offset >>> 0) !== offset ||
        offset + 4 > address.length) {
        fail('ERROR_INVALID_PARAMETER', 'lookupId', 'needs a Uint32Array with four words at offset');
      }
      const h = this.h;
      for (;;) {
        const v = Atomics.load(h, VERSION);
        if (v !== this.version) this.refresh(v);
        const d = this.one(this.family === 4 ? (address as number) | 0 : address, offset);
        if (((Atomics.load(h, WRITING) - v) | 0) < 2) return d;
      }
    }

    /** Batch form (Table.lookupBatch's contract, view 0): returns the hits. */
    lookupBatch(keys: Uint32Array, out: Int32Array): number {
      if (!(keys instanceof Uint32Array) || !(out instanceof Int32Array)) {
        fail('ERROR_INVALID_PARAMETER', 'lookupBatch', 'needs a Uint32Array of keys and an Int32Array out');
      }
      const n = this.family === 4 ? keys.length : keys.length >>> 2;
      if (out.length < n) fail('ERROR_INVALID_PARAMETER', 'lookupBatch', 'out is shorter than the number of keys');
      return this.lookupRange(keys, out, 0, n);
    }

    lookupRange(keys: Uint32Array, out: Int32Array, from: number, to: number): number {
      const h = this.h;
      let hits = 0;
      for (let i = from; i < to;) {
        const end = Math.min(to, i + PASS);
        const v = Atomics.load(h, VERSION);
        if (v !== this.version) this.refresh(v);
        const got = this.pass(keys, out, i, end);
        if (((Atomics.load(h, WRITING) - v) | 0) < 2) { hits += got; i = end; }
      }
      return hits;
    }

    /** Answers [i, end) from the cached generation; returns the hits. */
    private pass(keys: Uint32Array, out: Int32Array, i: number, end: number): number {
      let hits = 0;
      if (this.kind === STRIDE) {
        // by levels, as the core's fibBatch: pass 1 finds where each address's level-2 entry is (for a leaf,
        // its own level-1 slot), pass 2 does nothing but those loads (the cache misses, eight to a loop
        // turn, all in flight together: no branch and no arithmetic waits on them), pass 3 goes to level 3
        // where an entry still points down (rare) and writes the answers. Against four addresses at a time
        // with the answers computed behind the misses: 0.68-0.79× the time (tier-1 table, 2^21 addresses)
        const s = this.s, l1 = this.l1, cb = this.cb, t = this.scratch, n = end - i;
        let k1 = 0;
        for (const e4 = n & ~3; k1 < e4; k1 += 4) {
          const a0 = keys[i + k1] | 0, a1 = keys[i + k1 + 1] | 0, a2 = keys[i + k1 + 2] | 0, a3 = keys[i + k1 + 3] | 0;
          const p0 = l1 + (a0 >>> L1_SHIFT), p1 = l1 + (a1 >>> L1_SHIFT), p2 = l1 + (a2 >>> L1_SHIFT), p3 = l1 + (a3 >>> L1_SHIFT);
          const f0 = s[p0], f1 = s[p1], f2 = s[p2], f3 = s[p3];
          t[k1] = level2At(cb, p0, f0, a0); t[k1 + 1] = level2At(cb, p1, f1, a1);
          t[k1 + 2] = level2At(cb, p2, f2, a2); t[k1 + 3] = level2At(cb, p3, f3, a3);
        }
        for (; k1 < n; k1++) {
          const a = keys[i + k1] | 0, p = l1 + (a >>> L1_SHIFT);
          t[k1] = level2At(cb, p, s[p], a);
        }
        let k8 = 0;
        for (const e8 = n & ~7; k8 < e8; k8 += 8) {
          const x0 = s[t[k8]], x1 = s[t[k8 + 1]], x2 = s[t[k8 + 2]], x3 = s[t[k8 + 3]];
          const x4 = s[t[k8 + 4]], x5 = s[t[k8 + 5]], x6 = s[t[k8 + 6]], x7 = s[t[k8 + 7]];
          t[k8] = x0; t[k8 + 1] = x1; t[k8 + 2] = x2; t[k8 + 3] = x3; t[k8 + 4] = x4; t[k8 + 5] = x5; t[k8 + 6] = x6; t[k8 + 7] = x7;
        }
        for (; k8 < n; k8++) t[k8] = s[t[k8]];
        for (let k = 0; k < n; k++, i++) {
          let e = t[k];
          if (e < 0) e = s[cb + ((e & 0x7fffffff) << UNIT_SHIFT) + (keys[i] & 255)];
          const d = ((e & MASK) - 1) | 0;
          out[i] = d;
          hits += ~d >>> 31;
        }
      } else if (this.kind === FIB6) {
        // four addresses go down in lockstep (as the core's fib6Batch): their node loads overlap
        const s = this.s, l1 = this.l1;
        for (const end4 = i + ((end - i) & ~3); i < end4; i += 4) {
          const p0 = i * 4, p1 = p0 + 4, p2 = p0 + 8, p3 = p0 + 12;
          let e0 = s[l1 + ((keys[p0] | 0) >>> 16)], e1 = s[l1 + ((keys[p1] | 0) >>> 16)];
          let e2 = s[l1 + ((keys[p2] | 0) >>> 16)], e3 = s[l1 + ((keys[p3] | 0) >>> 16)];
          for (let j = 2; (e0 | e1 | e2 | e3) < 0 && j < 16; j++) {
            const o = j >>> 2;
            if (e0 < 0) e0 = this.step6(e0, keys[p0 + o] | 0, j);
            if (e1 < 0) e1 = this.step6(e1, keys[p1 + o] | 0, j);
            if (e2 < 0) e2 = this.step6(e2, keys[p2 + o] | 0, j);
            if (e3 < 0) e3 = this.step6(e3, keys[p3 + o] | 0, j);
          }
          const d0 = e0 < 0 ? -1 : (e0 - 1) | 0, d1 = e1 < 0 ? -1 : (e1 - 1) | 0;
          const d2 = e2 < 0 ? -1 : (e2 - 1) | 0, d3 = e3 < 0 ? -1 : (e3 - 1) | 0;
          out[i] = d0; out[i + 1] = d1; out[i + 2] = d2; out[i + 3] = d3;
          hits += (~d0 >>> 31) + (~d1 >>> 31) + (~d2 >>> 31) + (~d3 >>> 31);
        }
        for (; i < end; i++) {
          const p = i * 4;
          const d = this.walk6(keys[p] | 0, keys[p + 1] | 0, keys[p + 2] | 0, keys[p + 3] | 0);
          out[i] = d;
          if (d >= 0) hits++;
        }
      } else if (this.kind !== RANGES) {
        for (; i < end; i++) out[i] = -1;
      } else if (this.kw === 1) {
        for (; i < end; i++) {
          const d = this.range1(keys[i] | 0);
          out[i] = d;
          if (d >= 0) hits++;
        }
      } else {
        const k = this.k6;
        for (; i < end; i++) {
          const p = i * 4;
          k[0] = keys[p] ^ BIAS; k[1] = keys[p + 1] ^ BIAS; k[2] = keys[p + 2] ^ BIAS; k[3] = keys[p + 3] ^ BIAS;
          const d = this.range4();
          out[i] = d;
          if (d >= 0) hits++;
        }
      }
      return hits;
    }
  }
  return Reader;
}

const failMain: Fail = (code, op, detail) => { throw new RtmError(code as StatusName, op, detail); };
const Base = defineReader(SNAPSHOT_LAYOUT, failMain);

/** Lookups from a forwarding snapshot (API.md §6 "Lookups across cores"), in this thread. */
export class FibReader extends Base {
  /**
   * A reader over the buffer of a FibSnapshot (Table.publish), in any thread: later publishes are seen
   * by later lookups. Allocates the reader.
   * @throws RtmError ERROR_INVALID_PARAMETER (not the SharedArrayBuffer of a snapshot)
   */
  static attach(buffer: SharedArrayBuffer): FibReader { return new FibReader(buffer); }
}
