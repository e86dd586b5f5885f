// The I/O-area side of the batch paths (src/rtmv2/batch.ts): writes load and update records into the
// core's input region and reads the per-record results of a chunk call from its output region. The
// record layouts are the core's (assembly/load.ts LOAD_*, assembly/layout.ts UPD_*). Allocates nothing.
import type { Core } from './core.js';
import type { RouteLoadBatch, RouteUpdates } from '../types.js';

// The typed arrays' own buffer and byteOffset (the %TypedArray% getters: no subclass getter runs).
const TA_PROTO = Object.getPrototypeOf(Uint8Array.prototype) as object;
const bufferOf = Object.getOwnPropertyDescriptor(TA_PROTO, 'buffer')!.get as (this: ArrayBufferView) => ArrayBufferLike;
const offsetOf = Object.getOwnPropertyDescriptor(TA_PROTO, 'byteOffset')!.get as (this: ArrayBufferView) => number;
type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type ColumnOf = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Column;
/** Elements [from, from + n) of typed array a as a new view of its kind `C` (no species, no user code). */
function part(C: ColumnOf, a: Column, from: number, n: number): Column {
  return new C(bufferOf.call(a), offsetOf.call(a) + from * a.BYTES_PER_ELEMENT, n);
}

/**
 * Writes load records i0..i0+m-1 of `b` into the I/O area, by columns of S = LOAD_MAX records (layout:
 * assembly/load.ts): one typed-array copy a column, except the length-and-views word.
 */
export function fillLoad(c: Core, b: RouteLoadBatch, i0: number, m: number, S: number): void {
  const u = c.u32(), base = c.io + c.IO_IN;
  const { keys, lens, nextHops: H, preferences: P, metrics: M, views: V, flags: F } = b;
  u.set(part(Uint32Array, keys, 4 * i0, 4 * m), base);
  const lv = base + 4 * S;
  if (V) for (let j = 0; j < m; j++) { const len = lens[i0 + j]; u[lv + j] = (len > 255 ? 255 : len) | ((V[i0 + j] & 0xffffff) << 8); }
  else for (let j = 0; j < m; j++) { const len = lens[i0 + j]; u[lv + j] = (len > 255 ? 255 : len) | 0x100; }
  const pc = base + 5 * S;
  if (P) u.set(part(Uint32Array, P, i0, m), pc); else u.fill(0, pc, pc + m);
  const mc = base + 6 * S;
  if (M) u.set(part(Uint32Array, M, i0, m), mc); else u.fill(0, mc, mc + m);
  const fc = base + 7 * S;
  if (F) u.set(part(F instanceof Uint16Array ? Uint16Array : Uint32Array, F, i0, m), fc); else u.fill(0, fc, fc + m);
  const f = c.f64(), hc = (base + 8 * S) >> 1;   // an even word: the f64 index is exact
  if (H) f.set(part(Float64Array, H, i0, m), hc); else f.fill(0, hc, hc + m);
}

/**
 * Writes load records ord[j0..j0+m-1] of `b` into the I/O area in that order (layout as fillLoad's): the
 * bulk build of a batch applied in prefix order (src/rtmv2/batch.ts). A gather, record by record.
 */
export function fillLoadByOrder(c: Core, b: RouteLoadBatch, ord: Uint32Array, j0: number, m: number, S: number): void {
  const u = c.u32(), f = c.f64(), base = c.io + c.IO_IN;
  const { keys, lens, nextHops: H, preferences: P, metrics: M, views: V, flags: F } = b;
  const lv = base + 4 * S, pc = base + 5 * S, mc = base + 6 * S, fc = base + 7 * S, hc = (base + 8 * S) >> 1;
  for (let j = 0; j < m; j++) {
    const i = ord[j0 + j], r = base + 4 * j, k = 4 * i, len = lens[i];
    u[r] = keys[k]; u[r + 1] = keys[k + 1]; u[r + 2] = keys[k + 2]; u[r + 3] = keys[k + 3];
    u[lv + j] = (len > 255 ? 255 : len) | (((V ? V[i] : 1) & 0xffffff) << 8);
    u[pc + j] = P ? P[i] : 0;
    u[mc + j] = M ? M[i] : 0;
    u[fc + j] = F ? F[i] : 0;
    f[hc + j] = H ? H[i] : 0;
  }
}

/**
 * Writes update records i0..i0+m-1 of `b` into the I/O area, by columns of S = UPD_MAX records (layout:
 * assembly/layout.ts "Update records"): one typed-array copy a column, except the length-and-kind word.
 */
export function fillUpdates(c: Core, b: RouteUpdates, i0: number, m: number, S: number, defPref: number): void {
  const u = c.u32(), base = c.io + c.IO_IN;
  const { keys, lens, kinds, nextHops: H, preferences: P, metrics: M, views: V } = b;
  u.set(part(Uint32Array, keys, 4 * i0, 4 * m), base);
  const lk = base + 4 * S;
  for (let j = 0; j < m; j++) { const len = lens[i0 + j]; u[lk + j] = (len > 255 ? 255 : len) | (kinds[i0 + j] << 8); }
  const pc = base + 5 * S;
  if (P) {
    u.set(part(Uint32Array, P, i0, m), pc);
    if (defPref !== 0) for (let j = pc; j < pc + m; j++) if (u[j] === 0) u[j] = defPref;
  } else u.fill(defPref, pc, pc + m);
  const mc = base + 6 * S;
  if (M) u.set(part(Uint32Array, M, i0, m), mc); else u.fill(0, mc, mc + m);
  const vc = base + 7 * S;
  if (V) u.set(part(V instanceof Uint8Array ? Uint8Array : Uint32Array, V, i0, m), vc); else u.fill(1, vc, vc + m);
  const f = c.f64(), hc = (base + 8 * S) >> 1;   // an even word: the f64 index is exact
  if (H) f.set(part(Float64Array, H, i0, m), hc); else f.fill(0, hc, hc + m);
}

/**
 * Clears the JS EntitySpecificInfo of the route slots at IO_OUT + at .. + m - 1 (routes the core just set
 * to NULL, or created in a reused slot); NIL entries are skipped.
 */
export function clearOutEsi(c: Core, esi: unknown[], at: number, m: number): void {
  if (esi.length === 0) return;   // no EntitySpecificInfo held at all: nothing to clear
  const u = c.u32(), base = c.io + c.IO_OUT + at, nil = c.NIL;
  for (let j = 0; j < m; j++) {
    const r = u[base + j];
    if (r !== nil && esi[r] != null) esi[r] = null;
  }
}

// %TypedArray%.prototype.set, called on the caller's array as the intrinsic (a subclass's own `set` never runs)
const taSet = (TA_PROTO as { set(this: ArrayBufferView, src: ArrayLike<number>, offset: number): void }).set;

/** Copies m u32 words from IO_OUT + at into out[to..] (one typed-array copy). */
export function copyOutU32(c: Core, at: number, out: Uint32Array, to: number, m: number): void {
  const base = c.io + c.IO_OUT + at;
  taSet.call(out, c.u32().subarray(base, base + m), to);
}

/** Copies m i32 words from IO_OUT + at into out[to..] (one typed-array copy). */
export function copyOutI32(c: Core, at: number, out: Int32Array, to: number, m: number): void {
  const base = c.io + c.IO_OUT + at;
  taSet.call(out, c.i32().subarray(base, base + m), to);
}

/** Writes the keys (4 words each, at IO_IN) and lengths (at IO_OUT) of records ord[j0..j0+m-1]. */
export function fillPrefixes(c: Core, keys: Uint32Array, lens: ArrayLike<number>, ord: Uint32Array, j0: number, m: number): void {
  const u = c.u32(), ki = c.io + c.IO_IN, lo = c.io + c.IO_OUT;
  for (let j = 0; j < m; j++) {
    const i = ord[j0 + j], r = ki + 4 * j, k = 4 * i;
    u[r] = keys[k]; u[r + 1] = keys[k + 1]; u[r + 2] = keys[k + 2]; u[r + 3] = keys[k + 3];
    u[lo + j] = lens[i];
  }
}

/** Scatters the m u32 results at IO_OUT to out[ord[j0 + j]] (the trie pass of the bulk build). */
export function copyOutByOrder(c: Core, ord: Uint32Array, j0: number, m: number, out: Uint32Array): void {
  const u = c.u32(), base = c.io + c.IO_OUT;
  for (let j = 0; j < m; j++) out[ord[j0 + j]] = u[base + j];
}

/** Writes src[i0 .. i0 + m) to IO_OUT (per-record inputs of the bulk build's apply pass). */
export function fillOutU32(c: Core, src: Uint32Array, i0: number, m: number): void {
  c.u32().set(src.subarray(i0, i0 + m), c.io + c.IO_OUT);
}
