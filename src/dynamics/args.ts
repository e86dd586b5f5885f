// Shared pieces of the dynamics layer: argument checks with the defaults of the idiomatic layer
// (src/types.ts conventions 4–6), the core constants (the port's table), prefix keys
// copied out of the I/O area, and the per-table state (locks, enumerations) kept by the facade. The
// state lives in a WeakMap keyed by the facade's Table object, so a closed instance takes it along.
// Nothing here allocates except keys and the per-table maps.
import { RtmError } from '../errors.js';
import type { CoreConstants } from '../port/core.js';
import type { Entity } from '../entity.js';
import type { Table } from '../rtm.js';

export const U32_MAX = 0xffffffff;

/** A u32 option: `undefined` → `dflt`; anything but an integer in 0..max → ERROR_INVALID_PARAMETER. */
export function u32Arg(v: unknown, dflt: number, name: string, op: string, max = U32_MAX): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be an integer in 0..${max}, got ${String(v)}`);
  }
  return v;
}

/** NULL in a handle option: undefined, null or 0. */
export function isNull(h: unknown): h is null | undefined | 0 {
  return h === undefined || h === null || h === 0;
}

/** A Get call's count: default and maximum profile.maxHandlesInEnum (above it: ERROR_INVALID_PARAMETER). */
export function countArg(e: Entity, c: unknown, op: string): number {
  const max = e.profile.maxHandlesInEnum;
  return u32Arg(c, max, 'count', op, max);
}

/** Core constants the layer needs (all of them: the port's constants table). */
export type DynConstants = CoreConstants;

/** The constants of a core (read once, when the core was created). */
export function K(e: Entity): DynConstants {
  return e.rtm.core.k;
}

/** A prefix key: 4 words (MS first, host bits clear) and a length. */
export interface Key {
  readonly words: Uint32Array;
  readonly len: number;
}

/** Parses a prefix option into a key (ERROR_INVALID_PARAMETER if malformed or missing). Allocates the key. */
export function keyArg(e: Entity, p: unknown, op: string): Key {
  const len = e.prefixIn(p as Parameters<Entity['prefixIn']>[0], op);
  const c = e.rtm.core, base = c.io + c.IO_IN;
  return { words: c.u32().slice(base, base + 4), len };
}

/** The key of destination slot d. Allocates the key. */
export function destKey(e: Entity, d: number): Key {
  const words = new Uint32Array(4);
  const len = e.table.core.destKeyInto(d, words);
  return { words, len };
}

export function keyEquals(a: Key, b: Key): boolean {
  return a.len === b.len && a.words[0] === b.words[0] && a.words[1] === b.words[1] && a.words[2] === b.words[2] &&
    a.words[3] === b.words[3];
}

/** Writes a key into the I/O area at IO_IN + off (words). */
export function keyIn(e: Entity, k: Key | undefined, off = 0): number {
  const c = e.rtm.core, u = c.u32(), base = c.io + c.IO_IN + off;
  for (let w = 0; w < 4; w++) u[base + w] = k ? k.words[w] : 0;
  return k ? k.len : 0;
}

/** The IO_OUT slots a core call just wrote (RES0 = count), copied out. */
export function outSlots(e: Entity): number[] {
  const c = e.rtm.core, n = c.res(0);
  return Array.from(c.u32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + n));
}

/** One lock (spec §7.10 rule 1): an exclusive holder with a recursion count, or shared holders with counts. */
export class Lock {
  excl: Entity | null = null;
  exclCount = 0;
  readonly shared = new Map<Entity, number>();
  isFree(): boolean { return this.excl === null && this.shared.size === 0; }
  heldByOther(e: Entity): boolean {
    if (this.excl !== null && this.excl !== e) return true;
    for (const k of this.shared.keys()) if (k !== e) return true;
    return false;
  }
  /** Who holds it, as the core mirrors it: one entity slot, LOCK_MULTI or LOCK_NONE. */
  holderWord(k: DynConstants): number {
    let one: Entity | null = this.excl;
    for (const s of this.shared.keys()) {
      if (one === null) one = s;
      else if (one !== s) return k.LOCK_MULTI;
    }
    return one === null ? k.LOCK_NONE : one.slot;
  }
  dropAll(e: Entity): void {
    if (this.excl === e) { this.excl = null; this.exclCount = 0; }
    this.shared.delete(e);
  }
}

/** A registered enumeration: its owner and its cursor (the dynamics layer's own or a route-list cursor). */
export interface EnumEntry {
  readonly owner: Entity;
  readonly cursor: { readonly kind: string; close?(): void };
}

/** Facade state of one table: locks by destination / next-hop handle, enumerations by handle. */
export interface TableState {
  readonly destLocks: Map<number, Lock>;
  readonly nextHopLocks: Map<number, Lock>;
  readonly enums: Map<number, EnumEntry>;
}

const tableStates = new WeakMap<Table, TableState>();

export function tableState(e: Entity): TableState {
  let s = tableStates.get(e.table);
  if (!s) {
    s = { destLocks: new Map(), nextHopLocks: new Map(), enums: new Map() };
    tableStates.set(e.table, s);
  }
  return s;
}
