// Opaque pointers (spec §7.11, D-24, D-43): an entity that reserved a slot index gets, per destination,
// one slot object `{ value }` (the "pointer to the pointer"; the same object every time). A non-NULL
// value pins the destination in the core (destPinX +1 when it becomes non-NULL, −1 when it becomes NULL
// again), so the destination stays present until the slot is cleared. Values are never interpreted.
// Deregistration clears the entity's slots. Allocates one slot object per (entity, destination) asked.
import type { Entity } from '../entity.js';
import type { DestHandle, OpaqueSlot } from '../types.js';

/** The per-entity part: slot objects by destination handle. */
export interface OpaqueState {
  readonly slots: Map<number, Slot>;
  sweepAt: number;
}

export function newOpaqueState(): OpaqueState {
  return { slots: new Map(), sweepAt: 64 };
}

function isSet(v: unknown): boolean {
  return v !== null && v !== undefined;
}

/** One entity's slot in one destination. */
class Slot implements OpaqueSlot {
  #v: unknown = null;
  #pinned = false;
  readonly #e: Entity;
  readonly #dest: number;
  constructor(e: Entity, dest: number) { this.#e = e; this.#dest = dest; }

  get value(): unknown { return this.#v; }
  set value(v: unknown) {
    this.#v = v;
    this.pin(isSet(v));
  }

  /** Pins (or unpins) the destination so that it stays present while the value is non-NULL. */
  private pin(want: boolean): void {
    if (want === this.#pinned) return;
    const e = this.#e;
    if (!e.rtm.isClosed && e.x.destFromHandle(e.table.core.t, this.#dest) === 0) {
      const d = e.res(0);
      if (e.x.destPinX(e.table.core.t, d, want ? 1 : -1) !== 0) return;
    } else if (want) return;     // the destination is gone: nothing to pin
    this.#pinned = want;
  }

  /** True while the destination handle resolves or the slot still pins it. */
  /** @internal */ isLive(): boolean {
    const e = this.#e;
    return this.#pinned || (!e.rtm.isClosed && e.x.destFromHandle(e.table.core.t, this.#dest) === 0);
  }
}

/** RtmGetOpaqueInformationPointer: the caller's slot, or undefined if it reserved none. @throws ERROR_INVALID_HANDLE */
export function getOpaqueInformationPointer(e: Entity, s: OpaqueState, dest: DestHandle): OpaqueSlot | undefined {
  const op = 'getOpaqueInformationPointer';
  e.destSlot(dest, op);
  if (e.opaqueSlot < 0) return undefined;
  let slot = s.slots.get(dest);
  if (!slot) {
    if (s.slots.size >= s.sweepAt) sweep(s);
    slot = new Slot(e, dest);
    s.slots.set(dest, slot);
  }
  return slot;
}

/** Forgets the slots of destinations that are gone. */
function sweep(s: OpaqueState): void {
  for (const [d, slot] of s.slots) if (!slot.isLive()) s.slots.delete(d);
  s.sweepAt = Math.max(64, 2 * s.slots.size);
}

/** Deregistration: every slot of the entity becomes NULL (unpinning its destination). */
export function clearSlotsOf(s: OpaqueState): void {
  for (const slot of s.slots.values()) slot.value = null;
  s.slots.clear();
}
