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
import { readResult, writeInHandles } from '../port/records.js';

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
export function dropCounting(cx: Ctx, hs: readonly unknown[], op: string, kind = 0): number {
  const max = cx.core.k.REF_MANY_MAX;
  let bad = 0;
  for (let from = 0; from < hs.length; from += max) {
    const n = Math.min(max, hs.length - from);
    writeInHandles(cx.core, hs, from, n);
    const s = cx.x.refDropManyX(cx.handle, n, kind);
    if (s === ERROR_INVALID_HANDLE) bad += readResult(cx.core, 0);
    else check(s, op);
  }
  return bad;
}

/** Appends the handles a destination record holds references on to `hs`; returns hs. */
export function pushDestInfoHandles(hs: (number | undefined)[], info: DestInfo): (number | undefined)[] {
  hs.push(info.handle);
  for (const v of info.viewInfo) hs.push(v.route, v.owner, v.holdRoute);
  return hs;
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
