// Shared pieces of the dynamics layer: argument checks with the defaults of the idiomatic layer
// (src/types.ts conventions 4–6), the core constants the layer reads besides src/layout.ts, prefix keys
// copied out of the I/O area, and the per-table state (locks, enumerations) kept by the facade. The
// state lives in a WeakMap keyed by the facade's Table object, so a closed instance takes it along.
// Nothing here allocates except keys and the per-table maps.
import { RtmError } from '../errors.js';
import type { Core } from '../core.js';
import { readOutSlots } from '../port/records.js';
import type { Entity } from '../entity.js';
import type { Table } from '../rtm.js';

import * as args from '../rtmv2/args.js';
export { U32_MAX, u32Arg, isNull, keyEquals } from '../rtmv2/args.js';
export type { Key } from '../rtmv2/args.js';

export function countArg(e: Entity, c: unknown, op: string): number { return args.countArg(e.cx, c, op); }

/** Core constants the layer needs beyond src/layout.ts. */
export interface DynConstants {
  readonly DEST_BEST: number;
  readonly DEST_HELD: number;
  readonly ROUTE_SEQ: number;
  readonly KIND_ENUM: number;
  readonly KIND_LIST: number;
  readonly KIND_NOTIFY: number;
  readonly LOCK_NONE: number;
  readonly LOCK_MULTI: number;
  readonly VIEW_COUNT: number;
  readonly NO_RANGE: number;
  readonly QUAL_POPULATED: number;
}

const constCache = new WeakMap<Core, DynConstants>();

/** The constants of a core, read once. */
export function K(e: Entity): DynConstants {
  const core = e.rtm.core;
  let k = constCache.get(core);
  if (!k) {
    const c = (n: string): number => core.constant(n) >>> 0;
    k = {
      DEST_BEST: c('DEST_BEST'), DEST_HELD: c('DEST_HELD'), ROUTE_SEQ: c('ROUTE_SEQ'), KIND_ENUM: c('KIND_ENUM'),
      KIND_LIST: c('KIND_LIST'), KIND_NOTIFY: c('KIND_NOTIFY'), LOCK_NONE: c('LOCK_NONE'), LOCK_MULTI: c('LOCK_MULTI'),
      VIEW_COUNT: c('VIEW_COUNT'), NO_RANGE: c('NO_RANGE'), QUAL_POPULATED: c('QUAL_POPULATED'),
    };
    constCache.set(core, k);
  }
  return k;
}

export function keyArg(e: Entity, p: unknown, op: string): args.Key { return args.keyArg(e.cx, p, op); }
export function destKey(e: Entity, d: number): args.Key { return args.destKey(e.cx, d); }
export function keyIn(e: Entity, k: args.Key | undefined, off = 0): number { return args.keyIn(e.cx, k, off); }

/** The IO_OUT slots a core call just wrote (RES0 = count), copied out. */
export function outSlots(e: Entity): number[] {
  return readOutSlots(e.rtm.core, e.rtm.core.res(0));
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
