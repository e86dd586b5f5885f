// Opaque pointers (spec §7.11, D-24, D-43): an entity that reserved a slot index at registration (first
// come, first served per table) gets, per destination, one slot object `{ value }` (the "pointer to the
// pointer"; the same object every time). A non-NULL value pins the destination in the core (destPinX +1
// when it becomes non-NULL, −1 when it becomes NULL again), so the destination stays present until the
// slot is cleared. Values are JavaScript values, never interpreted. Deregistration clears the entity's
// slots. Allocates one slot object per (entity, destination) asked.
import { RtmError } from '../errors.js';
import type { Family } from '../address.js';
import { readResult } from '../port/records.js';
import type { DestHandle, OpaqueSlot } from '../types.js';
import type { Ctx, Instance } from './context.js';
import { destArg, live } from './args.js';

/** Slot indexes in use, per instance and family. */
const used = new WeakMap<Instance, { 4: boolean[]; 6: boolean[] }>();

function usedOf(inst: Instance, family: Family): boolean[] {
  let u = used.get(inst);
  if (!u) { u = { 4: [], 6: [] }; used.set(inst, u); }
  return u[family];
}

/** Reserves the first free slot index of a family's table (D-43). @throws ERROR_NO_SYSTEM_RESOURCES */
export function reserveSlot(inst: Instance, family: Family, op: string): number {
  const u = usedOf(inst, family);
  for (let i = 0; i < inst.options.opaqueSlots; i++) if (!u[i]) return i;
  throw new RtmError('ERROR_NO_SYSTEM_RESOURCES', op, 'no opaque pointer slot free');
}

/** Marks a slot index taken (after the registration succeeded) or free again (deregistration). */
export function markSlot(inst: Instance, family: Family, slot: number, taken: boolean): void {
  if (slot >= 0) usedOf(inst, family)[slot] = taken;
}

/** One entity's slot objects, by destination handle. */
interface Slots { readonly byDest: Map<number, Slot>; sweepAt: number }
const perEntity = new WeakMap<Ctx, Slots>();

function isSet(v: unknown): boolean {
  return v !== null && v !== undefined;
}

/** One entity's slot in one destination. */
class Slot implements OpaqueSlot {
  #v: unknown = null;
  #pinned = false;
  readonly #cx: Ctx;
  readonly #dest: number;
  constructor(cx: Ctx, dest: number) { this.#cx = cx; this.#dest = dest; }

  get value(): unknown { return this.#v; }
  set value(v: unknown) {
    this.#v = v;
    this.pin(isSet(v));
  }

  /** Pins (or unpins) the destination so that it stays present while the value is non-NULL. */
  private pin(want: boolean): void {
    if (want === this.#pinned) return;
    const cx = this.#cx;
    if (!cx.inst.isClosed && cx.x.destFromHandle(cx.t, this.#dest) === 0) {
      if (cx.x.destPinX(cx.t, readResult(cx.core, 0), want ? 1 : -1) !== 0) return;
    } else if (want) return;     // the destination is gone: nothing to pin
    this.#pinned = want;
  }

  /** True while the destination handle resolves or the slot still pins it. */
  isLive(): boolean {
    const cx = this.#cx;
    return this.#pinned || (!cx.inst.isClosed && cx.x.destFromHandle(cx.t, this.#dest) === 0);
  }
}

/** RtmGetOpaqueInformationPointer: the caller's slot, or undefined if it reserved none. @throws ERROR_INVALID_HANDLE */
export function getOpaqueInformationPointer(cx: Ctx, dest: DestHandle): OpaqueSlot | undefined {
  const op = 'getOpaqueInformationPointer';
  live(cx, op);
  destArg(cx, dest, op);
  if (cx.opaqueSlot < 0) return undefined;
  let s = perEntity.get(cx);
  if (!s) { s = { byDest: new Map(), sweepAt: 64 }; perEntity.set(cx, s); }
  let slot = s.byDest.get(dest);
  if (!slot) {
    if (s.byDest.size >= s.sweepAt) {
      // forget the slots of destinations that are gone
      for (const [d, old] of s.byDest) if (!old.isLive()) s.byDest.delete(d);
      s.sweepAt = Math.max(64, 2 * s.byDest.size);
    }
    slot = new Slot(cx, dest);
    s.byDest.set(dest, slot);
  }
  return slot;
}

/** Deregistration: every slot of the entity becomes NULL (unpinning its destination). */
export function clearSlotsOf(cx: Ctx): void {
  const s = perEntity.get(cx);
  if (!s) return;
  for (const slot of s.byDest.values()) slot.value = null;
  s.byDest.clear();
}
