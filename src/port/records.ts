// Record readers and I/O-area access of the facade: the only code above src/port/core.ts, src/coretable.ts and
// the Table fast paths that reads or writes linear memory. Record words are read by slab slot through
// recordPtr (one Wasm call, then one typed-array read; views are re-fetched from Core on every access, so
// memory growth never leaves a stale view). The I/O area is written before a call (prefix keys, handle
// arrays) and read straight after it (result registers, IO_OUT slots). Field offsets are the layout
// constants of src/layout.ts plus the few read here by name (DEST_TABLE, DEST_LOCK, …).
// Allocates only what it returns (copied slot arrays, key words, text).
import type { Core } from './core.js';
import { type Family, parsePrefixInto, netAddressInto, formatPrefix, type NetAddressLike } from '../address.js';

/** Word index of record `slot` of slab `slab` in core.u32() (0 when the slot is out of range). */
function base(core: Core, slab: number, slot: number): number {
  return core.x.recordPtr(slab, slot) >>> 2;
}

// ── record words ──────────────────────────────────────────────────────────────────────────────────────

/** Word `field` (a ROUTE_* offset) of route slot r. */
export function routeWord(core: Core, r: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_ROUTE, r) + field];
}
/** Word `field` (a NEXTHOP_* offset) of next-hop slot h. */
export function nextHopWord(core: Core, h: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_NEXTHOP, h) + field];
}
/** Word `field` (a DEST_* offset) of destination slot d. */
export function destWord(core: Core, d: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_DEST, d) + field];
}
/** Word `field` (an ENTITY_* offset) of entity slot e. */
export function entityWord(core: Core, e: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_ENTITY, e) + field];
}

/** The table slot of route slot r (through its destination). */
export function routeTable(core: Core, r: number): number {
  return destWord(core, routeWord(core, r, core.k.ROUTE_DEST), core.k.DEST_TABLE);
}
/** The table slot of entity slot e. */
export function entityTable(core: Core, e: number): number {
  return entityWord(core, e, core.k.ENTITY_TABLE);
}
/** Who holds locks on destination d as the core knows it: an entity slot, LOCK_MULTI or LOCK_NONE. */
export function destLockWord(core: Core, d: number): number {
  return destWord(core, d, core.k.DEST_LOCK);
}
/** LastChanged of destination d (ms, f64 at DEST_CHANGED). */
export function destLastChanged(core: Core, d: number): number {
  return core.f64()[(base(core, core.k.SLAB_DEST, d) + core.k.DEST_CHANGED) / 2];
}

/** True if slot `slot` of slab `slab` is in range and allocated. */
export function recordAlive(core: Core, slab: number, slot: number): boolean {
  const p = core.x.recordPtr(slab, slot);
  return p !== 0 && (core.u32()[p >>> 2] & core.k.GEN_ALIVE) !== 0;
}

/** The next-hop slots of route slot r, in order. Allocates the array. */
export function routeHopSlots(core: Core, r: number): number[] {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_ROUTE, r);
  const n = u[b + L.ROUTE_NHCOUNT], out: number[] = [];
  for (let i = 0; i < n; i++) out.push(n === 1 ? u[b + L.ROUTE_NH] : u[(u[b + L.ROUTE_NH] >>> 2) + i]);
  return out;
}

/** Copies the address words of next-hop slot h into out[off..off+3]; returns its length. */
export function nextHopKeyInto(core: Core, h: number, out: Uint32Array, off = 0): number {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_NEXTHOP, h);
  for (let w = 0; w < 4; w++) out[off + w] = u[b + L.NEXTHOP_ADDR + w];
  return u[b + L.NEXTHOP_LEN];
}

/** The address of next-hop slot h: '10.0.0.1' for a full-length address, else 'addr/len'. Allocates the text. */
export function nextHopAddress(core: Core, family: Family, h: number): string {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_NEXTHOP, h);
  const len = u[b + L.NEXTHOP_LEN];
  const text = formatPrefix(family, u, b + L.NEXTHOP_ADDR, len);
  return len === (family === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
}

// ── the I/O area ──────────────────────────────────────────────────────────────────────────────────────

/** Result register i of the last call. */
export function readResult(core: Core, i: number): number {
  return core.res(i);
}

/** Word i of IO_OUT. */
export function readOutWord(core: Core, i: number): number {
  return core.u32()[core.io + core.IO_OUT + i];
}

/** The first n words of IO_OUT (slots a call just listed), copied into a plain array. */
export function readOutSlots(core: Core, n: number): number[] {
  const u = core.u32(), b = core.io + core.IO_OUT, out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = u[b + i];
  return out;
}

/** The first n handles (f64) at IO_OUT_HANDLES, where listing calls put the handles of the slots at IO_OUT. */
export function readOutHandles(core: Core, n: number): number[] {
  const f = core.f64(), b = (core.io + core.k.IO_OUT_HANDLES) / 2, out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = f[b + i];
  return out;
}

/** The first n words of IO_OUT, copied into a Uint32Array. */
export function readOutWords(core: Core, n: number): Uint32Array {
  const b = core.io + core.IO_OUT;
  return core.u32().slice(b, b + n);
}

/**
 * Writes a prefix (text or RTM_NET_ADDRESS) of `family` into the key words at IO_IN + off; returns its
 * length, or -1 when it is malformed or of another family.
 */
export function writePrefix(core: Core, family: Family, p: unknown, off = 0): number {
  if (typeof p === 'string') return parsePrefixInto(p, family, core.u32(), core.io + core.IO_IN + off);
  if (p && typeof p === 'object') return netAddressInto(p as NetAddressLike, family, core.u32(), core.io + core.IO_IN + off);
  return -1;
}

/** Writes handles as f64 at IO_HOPS (next hops of a route, routes of a list insert). */
export function writeHandles(core: Core, hs: readonly number[]): void {
  const f = core.f64(), b = (core.io + core.k.IO_HOPS) / 2;
  for (let i = 0; i < hs.length; i++) f[b + i] = hs[i];
}
