// Handle references (spec §7.9, §8.11, D-33): every reference an entity takes or gives back goes through
// this file. The core counts references per record (destRefX, routeRefX, nexthopRefX, entityRefX); the
// per-entity counts — which make over-release an error and let deregistration give back exactly what the
// entity held — are kept here in Ctx.refs until the core keeps them, so that swapping them to the core
// is a change of this file only. take/drop cost one Wasm call and one Map update; nothing allocates but
// error objects.
import { RtmError } from '../errors.js';
import { handleKind } from '../layout.js';
import type { ReferenceableHandle } from '../types.js';
import type { Ctx } from './context.js';
import { live, resolves } from './args.js';

/** The core export that adds ±1 to a record's references, by handle kind; undefined for other kinds. */
function refFn(cx: Ctx, kind: number): ((h: number, delta: number) => number) | undefined {
  const L = cx.L, x = cx.x;
  return kind === L.KIND_DEST ? x.destRefX : kind === L.KIND_ROUTE ? x.routeRefX : kind === L.KIND_NEXTHOP ? x.nexthopRefX
    : kind === L.KIND_ENTITY ? x.entityRefX : undefined;
}

/** Takes one reference on a handle for the entity (0 and unreferenceable kinds: nothing). */
export function take(cx: Ctx, h: number | undefined): void {
  if (!h) return;
  const fn = refFn(cx, handleKind(h));
  if (!fn || fn(h, 1) !== 0) return;
  cx.refs.set(h, (cx.refs.get(h) ?? 0) + 1);
}

/** Gives back one of the entity's references; false if it holds none on h. */
export function drop(cx: Ctx, h: number): boolean {
  const n = cx.refs.get(h) ?? 0;
  if (n === 0) return false;
  const fn = refFn(cx, handleKind(h));
  if (!fn || fn(h, -1) !== 0) { cx.refs.delete(h); return false; }
  if (n === 1) cx.refs.delete(h); else cx.refs.set(h, n - 1);
  return true;
}

/**
 * Releases every handle (of kind `kind` when given); all valid ones are released, then
 * ERROR_INVALID_HANDLE if any was not held or of another kind.
 */
export function dropAll(cx: Ctx, hs: readonly (number | undefined)[], op: string, kind = 0): void {
  if (!Array.isArray(hs)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not an array of handles');
  let bad = 0;
  for (const h of hs) {
    if (!h) continue;
    if ((kind !== 0 && handleKind(h) !== kind) || !drop(cx, h)) bad++;
  }
  if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} handle(s) not held`);
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

/** References the entity holds on a handle. */
export function refCount(cx: Ctx, h: number): number {
  return cx.refs.get(h) ?? 0;
}

/** Deregistration (spec §7.16): gives back every reference the entity holds. */
export function dropEverything(cx: Ctx): void {
  for (const [h, n] of cx.refs) {
    const fn = refFn(cx, handleKind(h));
    if (fn) for (let i = 0; i < n; i++) fn(h, -1);
  }
  cx.refs.clear();
}

/** The instance closed: the core tables are gone, the counts are forgotten. */
export function forgetAll(cx: Ctx): void {
  cx.refs.clear();
}

/** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle of the caller's table; all-or-nothing. */
export function referenceHandles(cx: Ctx, handles: readonly ReferenceableHandle[]): void {
  const op = 'referenceHandles';
  live(cx, op);
  if (!Array.isArray(handles)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not an array of handles');
  for (const h of handles) {
    if (!resolves(cx, h)) throw new RtmError('ERROR_INVALID_HANDLE', op, `not a destination, route, next-hop or entity handle: ${String(h)}`);
  }
  for (const h of handles) take(cx, h);
}
