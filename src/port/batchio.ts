// The I/O-area side of the batch paths (src/rtmv2/batch.ts): writes load and update records into the
// core's input region and reads the per-record results of a chunk call from its output region. The
// record layouts are the core's (assembly/load.ts LOAD_*, assembly/layout.ts UPD_*). Allocates nothing.
import type { Core } from './core.js';
import type { RouteLoadBatch, RouteUpdates } from '../types.js';

/** Writes load records i0..i0+m-1 of `b` into the I/O area (layout: assembly/load.ts). */
export function fillLoad(c: Core, b: RouteLoadBatch, i0: number, m: number, W: number): void {
  const u = c.u32(), f = c.f64(), base = c.io + c.IO_IN;
  const { keys, lens, nextHops: H, preferences: P, metrics: M, views: V, flags: F } = b;
  for (let j = 0; j < m; j++) {
    const i = i0 + j, r = base + j * W, len = lens[i], k = 4 * i;
    u[r] = keys[k]; u[r + 1] = keys[k + 1]; u[r + 2] = keys[k + 2]; u[r + 3] = keys[k + 3];
    u[r + 4] = (len > 255 ? 255 : len) | (((V ? V[i] : 1) & 0xffffff) << 8);
    u[r + 5] = P ? P[i] : 0;
    u[r + 6] = M ? M[i] : 0;
    u[r + 7] = F ? F[i] : 0;
    f[(r + 8) / 2] = H ? H[i] : 0;
  }
}

/** Writes update records i0..i0+m-1 of `b` into the I/O area (layout: assembly/layout.ts UPD_*). */
export function fillUpdates(c: Core, b: RouteUpdates, i0: number, m: number, W: number, defPref: number): void {
  const u = c.u32(), f = c.f64(), base = c.io + c.IO_IN;
  const { keys, lens, kinds, nextHops: H, preferences: P, metrics: M, views: V } = b;
  for (let j = 0; j < m; j++) {
    const i = i0 + j, r = base + j * W, len = lens[i], k = 4 * i;
    u[r] = keys[k]; u[r + 1] = keys[k + 1]; u[r + 2] = keys[k + 2]; u[r + 3] = keys[k + 3];
    u[r + 4] = (len > 255 ? 255 : len) | (kinds[i] << 8);
    const p = P ? P[i] : 0;
    u[r + 5] = p === 0 ? defPref : p;
    u[r + 6] = M ? M[i] : 0;
    u[r + 7] = V ? V[i] : 1;
    f[(r + 8) >> 1] = H ? H[i] : 0;   // r is even (W and base are): an integer index, not a division
  }
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

/** Copies m u32 words from IO_OUT + at into out[to..]. */
export function copyOutU32(c: Core, at: number, out: Uint32Array, to: number, m: number): void {
  const u = c.u32(), base = c.io + c.IO_OUT + at;
  for (let j = 0; j < m; j++) out[to + j] = u[base + j];
}

/** Copies m i32 words from IO_OUT + at into out[to..]. */
export function copyOutI32(c: Core, at: number, out: Int32Array, to: number, m: number): void {
  const i = c.i32(), base = c.io + c.IO_OUT + at;
  for (let j = 0; j < m; j++) out[to + j] = i[base + j];
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
