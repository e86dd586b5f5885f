// The live (registered) entities of an instance by core slot, in registration order (Instance.liveEntities):
// the only entity itself while an instance never had two (issue 13: no registry object for the common
// instance), else an EntityRegistry. A module of its own so that every capability module can find an
// entity by slot (notify, methods, timers) without importing entities.ts (which imports them).
import type { Ctx, Entities, Instance } from './context.js';

const NO_ENTITIES: readonly Ctx[] = Object.freeze([]);

/** Live entities kept in a plain array up to this many; beyond, in a Map by slot. */
const SMALL_REGISTRY = 8;

/**
 * An instance's live entities by core slot, in registration order, once it had two (Instance.liveEntities
 * holds the first alone until then): a few in a plain array (a linear search of a few entries), past
 * SMALL_REGISTRY entities in a Map by slot for good.
 */
export class EntityRegistry implements Entities {
  /** A plain array, past SMALL_REGISTRY a Map by slot (one field for either, issue 13). */
  private many: Ctx[] | Map<number, Ctx>;

  constructor(first: Ctx, second: Ctx) { this.many = [first, second]; }

  get size(): number {
    const m = this.many;
    return Array.isArray(m) ? m.length : m.size;
  }

  get(slot: number): Ctx | undefined {
    const l = this.many;
    if (!Array.isArray(l)) return l.get(slot);
    for (let i = 0; i < l.length; i++) if (l[i].slot === slot) return l[i];
    return undefined;
  }

  set(slot: number, cx: Ctx): void {
    const l = this.many;
    if (!Array.isArray(l)) { l.set(slot, cx); return; }
    for (let i = 0; i < l.length; i++) if (l[i].slot === slot) { l[i] = cx; return; }
    if (l.length < SMALL_REGISTRY) { l.push(cx); return; }
    const m = new Map<number, Ctx>();
    for (const c of l) m.set(c.slot, c);
    m.set(slot, cx);
    this.many = m;
  }

  delete(slot: number): boolean {
    const l = this.many;
    if (!Array.isArray(l)) return l.delete(slot);
    for (let i = 0; i < l.length; i++) if (l[i].slot === slot) { l.splice(i, 1); return true; }
    return false;
  }

  values(): IterableIterator<Ctx> { return this.many.values(); }

  clear(): void { this.many = []; }
}

/** The live entity of an instance at core slot `slot`, if any. */
export function entityBySlot(inst: Instance, slot: number): Ctx | undefined {
  const l = inst.liveEntities;
  return l === undefined ? undefined : l instanceof EntityRegistry ? l.get(slot) : (l as Ctx).slot === slot ? l as Ctx : undefined;
}

/** The live entities of an instance, in registration order. */
export function liveEntities(inst: Instance): IterableIterator<Ctx> {
  const l = inst.liveEntities;
  return l === undefined ? NO_ENTITIES.values() : l instanceof EntityRegistry ? l.values() : [l as Ctx].values();
}

/** A newly registered entity joins the live entities of its instance. */
export function addLive(inst: Instance, slot: number, cx: Ctx): void {
  const l = inst.liveEntities;
  if (l === undefined || (!(l instanceof EntityRegistry) && (l as Ctx).slot === slot)) inst.liveEntities = cx;
  else if (l instanceof EntityRegistry) l.set(slot, cx);
  else inst.liveEntities = new EntityRegistry(l as Ctx, cx);
}

/** A deregistered entity leaves them. */
export function removeLive(inst: Instance, slot: number): void {
  const l = inst.liveEntities;
  if (l instanceof EntityRegistry) l.delete(slot);
  else if (l !== undefined && (l as Ctx).slot === slot) inst.liveEntities = undefined;
}

