// Handle references (spec §7.9, §8.11, D-33): every reference an entity takes or gives back goes through
// this file, and the core keeps them all — the record's own count and the entity's count per record
// (assembly/refs.ts: refTakeX, refDropX, refCountX, refDropManyX, refTakeManyX). Nothing is mirrored
// here: over-release is the core's answer, and entityDeregister gives back everything the entity held.
// take/drop cost one Wasm call; array forms one call per REF_MANY_MAX handles (written at IO_IN through
// port/records.ts). Nothing allocates but error objects.
import { RtmError, check } from '../errors.js';
import type { DestInfo, ReferenceableHandle } from '../types.js';
import type { Ctx } from './context.js';
import { arrayArg, live } from './args.js';
import { InHandleWriter, readResult, writeInHandles } from '../port/records.js';

const ERROR_INVALID_HANDLE = 6;

/**
 * Takes one reference on a handle for the entity. 0 and handles that are not a destination, route, next
 * hop or entity of the entity's table: nothing. ERROR_NOT_ENOUGH_MEMORY when the core has no room.
 */
export function take(cx: Ctx, h: number | undefined): void {
  if (!h) return;
  const s = cx.x.refTakeX(cx.handle, h);
  if (s !== 0 && s !== ERROR_INVALID_HANDLE) check(s, 'reference');
}

/** Gives back one of the entity's references; false if it holds none on h. */
export function drop(cx: Ctx, h: number): boolean {
  return cx.x.refDropX(cx.handle, h) === 0;
}

/**
 * Releases every handle (of kind `kind` when given); all valid ones are released, then
 * ERROR_INVALID_HANDLE if any was not held or of another kind.
 */
export function dropAll(cx: Ctx, handles: readonly unknown[], op: string, kind = 0): void {
  const hs = arrayArg(handles, 'handles', op);
  const bad = dropCounting(cx, hs, op, kind);
  if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} handle(s) not held`);
}

/** dropAll() that returns how many handles were not held (or of another kind) instead of throwing. */
function dropCounting(cx: Ctx, hs: readonly unknown[], op: string, kind = 0): number {
  const drops = new Dropper(cx, op, kind);
  for (let i = 0; i < hs.length; i++) drops.put(hs[i]);
  return drops.flush();
}

/**
 * Gives back the entity's references on handles as they come: written straight into IO_IN (port/records.ts
 * InHandleWriter: undefined / null → 0, skipped; a non-number → NaN, not held) and dropped by one
 * refDropManyX per REF_MANY_MAX handles (of kind `kind`, 0 = any); counts the handles not held.
 */
export class Dropper {
  private notHeld = 0;
  private readonly w: InHandleWriter;
  private readonly max: number;
  constructor(private readonly cx: Ctx, private readonly op: string, private readonly kind = 0) {
    this.max = cx.core.k.REF_MANY_MAX;
    this.w = new InHandleWriter(cx.core);
  }
  put(h: unknown): void {
    if (this.w.n === this.max) this.flush();
    this.w.put(h);
  }
  /**
   * The handle, and each view's route, owner and hold route, of a destination record. A record whose
   * viewInfo is an array goes into one refDropManyX call whole (a flush first if its handles do not fit):
   * one room check per record instead of one per handle; the same handles, in the same order.
   */
  destInfo(info: DestInfo): void {
    const h = info.handle, vi = info.viewInfo, w = this.w;
    const nv = Array.isArray(vi) ? vi.length : -1;
    if (nv < 0 || 1 + 3 * nv > this.max) { this.destInfoEach(h, vi); return; }
    if (w.n + 1 + 3 * nv > this.max) this.flush();
    w.put(h);
    // (an absent hold route is NULL, which the core skips: not written)
    for (let j = 0; j < nv; j++) { const v = vi[j]; w.put(v.route); w.put(v.owner); const hold = v.holdRoute; if (hold !== undefined) w.put(hold); }
  }
  /**
   * destInfo for a viewInfo that is not an array, or holds more views than one call takes: its handles
   * one at a time (out of line, so that destInfo stays small enough for its callers to inline).
   */
  private destInfoEach(h: unknown, vi: Iterable<DestInfo['viewInfo'][number]>): void {
    this.put(h);
    for (const v of vi) { this.put(v.route); this.put(v.owner); const hold = v.holdRoute; if (hold !== undefined) this.put(hold); }
  }
  /** Gives back what was written; returns the handles not held so far. */
  flush(): number {
    if (this.w.n > 0) {
      const s = this.cx.x.refDropManyX(this.cx.handle, this.w.n, this.kind);
      this.w.reset();
      if (s === ERROR_INVALID_HANDLE) this.notHeld += readResult(this.cx.core, 0);
      else check(s, this.op);
    }
    return this.notHeld;
  }
}

/** RtmReleaseEntities / RtmReleaseRoutes / RtmReleaseNextHops: dropAll() of handles of one kind, by a live caller. */
export function releaseHandles(cx: Ctx, hs: readonly number[], op: string, kind: number): void {
  live(cx, op);
  dropAll(cx, hs, op, kind);
}

/** Releases the handles the entity holds among `hs`, ignoring the others (scheduler clean-up). */
export function dropQuietly(cx: Ctx, hs: readonly number[]): void {
  for (const h of hs) drop(cx, h);
}

/** References the entity holds on a handle (0 once the instance closed or the entity's record is gone). */
export function refCount(cx: Ctx, h: number): number {
  if (cx.inst.isClosed || typeof h !== 'number') return 0;
  return cx.x.refCountX(cx.handle, h) === 0 ? readResult(cx.core, 0) : 0;
}

/** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle of the caller's table; all-or-nothing. */
export function referenceHandles(cx: Ctx, handles: readonly ReferenceableHandle[]): void {
  const op = 'referenceHandles';
  live(cx, op);
  const hs = arrayArg(handles, 'handles', op);
  const max = cx.core.k.REF_MANY_MAX;
  for (let from = 0; from < hs.length; from += max) {
    const n = Math.min(max, hs.length - from);
    writeInHandles(cx.core, hs, from, n);
    const s = cx.x.refTakeManyX(cx.handle, n);
    if (s === 0) continue;
    // undo the chunks already taken, so that a rejected call takes nothing
    for (let back = 0; back < from; back += max) {
      const m = Math.min(max, from - back);
      writeInHandles(cx.core, hs, back, m);
      check(cx.x.refDropManyX(cx.handle, m, 0), op);
    }
    if (s === ERROR_INVALID_HANDLE) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a destination, route, next-hop or entity handle of this table');
    check(s, op);
  }
}
