// Destinations (spec §8.4.1, §8.4.4, §8.5.3, §8.6.1–8.6.3): destination information records, the
// exact / most-specific / less-specific queries and RtmHoldDestination. One destInfoR / destInfoAtR call
// writes a destination's whole record into IO_OUT and takes the caller's references on its handles;
// port/records.ts turns it into a DestInfo. RtmReleaseDestInfo / RtmReleaseDests refuse the records that
// RtmGetChangedDests handed out (D-60; notify.ts knows them). Allocates the returned records.
import { RtmError, STATUS, check } from '../errors.js';
import { readDestRecord, readResult } from '../port/records.js';
import type { DestHandle, DestInfo, DestQueryOptions, PrefixInput } from '../types.js';
import type { Ctx } from './context.js';
import { anyViewsArg, arrayArg, destArg, live, opts, prefixIn, protoArg, qual, u32 } from './args.js';
import { dropAll } from './refs.js';
import { isChangeRecord } from './notify.js';

/** The DestInfo of destination slot d for the caller (views and protocol filter of `o`): one destInfoAtR call, handles referenced. */
export function destInfoOf(cx: Ctx, d: number, o: DestQueryOptions, op: string): DestInfo {
  const views = anyViewsArg(cx, o.views, op);
  const proto = protoArg(cx, o.protocolId, op);
  return destInfoAt(cx, d, proto, views, op);
}

/** destInfoOf with the views and protocol already validated (enumerations resolve them once). */
export function destInfoAt(cx: Ctx, d: number, proto: number, views: number, op: string): DestInfo {
  check(cx.x.destInfoAtR(cx.handle, d, proto, views), op);
  return readDestRecord(cx.core, cx.family, 0);
}

type Query = { dest: unknown } & DestQueryOptions;
const QUERY_KEYS: readonly (keyof Query)[] = ['dest', 'views', 'protocolId'];
const HOLD_KEYS = ['dest', 'views', 'holdTime'] as const;

/**
 * The handles a destination record holds references on, read once (a caller's copy may be any shape:
 * not an object, or a viewInfo that is not an array of objects → ERROR_INVALID_PARAMETER).
 */
function destInfoHandles(info: unknown, op: string): unknown[] {
  if (info === null || typeof info !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not a DestInfo');
  const d = opts<DestInfo>(info, ['handle', 'viewInfo'], op);
  const hs: unknown[] = [d.handle];
  for (const v of arrayArg(d.viewInfo, 'viewInfo', op, 0x7fffffff, [])) {
    if (v === null || typeof v !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'viewInfo entries must be objects');
    const vi = opts<DestInfo['viewInfo'][number]>(v, ['route', 'owner', 'holdRoute'], op);
    hs.push(vi.route, vi.owner, vi.holdRoute);
  }
  return hs;
}

/** RtmGetDestInfo. */
export function getDestInfo(cx: Ctx, options: { dest: DestHandle } & DestQueryOptions): DestInfo {
  const op = 'getDestInfo';
  live(cx, op);
  const o = opts<Query>(options, QUERY_KEYS, op);
  const dest = o.dest;
  if (typeof dest !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
  let views: number, proto: number;
  try {
    views = anyViewsArg(cx, o.views, op);
    proto = protoArg(cx, o.protocolId, op);
  } catch (e) {
    destArg(cx, dest, op);   // spec D-05: an unresolvable handle is reported before a bad parameter
    throw e;
  }
  check(cx.x.destInfoR(cx.handle, dest, proto, views), op);
  return readDestRecord(cx.core, cx.family, 0);
}

/** RtmReleaseDestInfo. */
export function releaseDestInfo(cx: Ctx, info: DestInfo): void {
  const op = 'releaseDestInfo';
  live(cx, op);
  const hs = destInfoHandles(info, op);
  if (isChangeRecord(cx, info)) throw new RtmError('ERROR_INVALID_HANDLE', op, 'a changed-destination record: use releaseChangedDests');
  dropAll(cx, hs, op);
}

/** RtmReleaseDests. */
export function releaseDests(cx: Ctx, infos: readonly DestInfo[]): void {
  const op = 'releaseDests';
  live(cx, op);
  const all = arrayArg(infos, 'infos', op);
  const hs = all.flatMap((i) => destInfoHandles(i, op));
  if (all.some((i) => isChangeRecord(cx, i))) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'changed-destination records: use releaseChangedDests');
  }
  dropAll(cx, hs, op);
}

// ── queries (§8.6.1–8.6.3) ────────────────────────────────────────────────────────────────────────────

/** The DestInfo of the destination a finding call left in RES0, or undefined on ERROR_NOT_FOUND. */
function found(cx: Ctx, s: number, o: DestQueryOptions, op: string): DestInfo | undefined {
  if (s === STATUS.ERROR_NOT_FOUND) return undefined;
  check(s, op);
  return destInfoOf(cx, readResult(cx.core, 0), o, op);
}

/** A query by prefix: exact (destFindX over present destinations) or most specific (lpm over populated ones). */
function byPrefix(cx: Ctx, options: { dest: PrefixInput } & DestQueryOptions, exact: boolean, op: string): DestInfo | undefined {
  live(cx, op);
  const o = opts<Query>(options, QUERY_KEYS, op);
  const views = anyViewsArg(cx, o.views, op);
  protoArg(cx, o.protocolId, op);
  const len = prefixIn(cx, o.dest, op);
  return found(cx, exact ? cx.x.destFindX(cx.t, len, qual(cx, views, false)) : cx.x.lpm(cx.t, len, qual(cx, views, true)), o, op);
}

/** RtmGetExactMatchDestination; undefined if not found. */
export function getExactMatchDestination(cx: Ctx, o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined {
  return byPrefix(cx, o, true, 'getExactMatchDestination');
}

/** RtmGetMostSpecificDestination; undefined if none. */
export function getMostSpecificDestination(cx: Ctx, o: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined {
  return byPrefix(cx, o, false, 'getMostSpecificDestination');
}

/** RtmGetLessSpecificDestination; undefined at the top. */
export function getLessSpecificDestination(cx: Ctx, options: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined {
  const op = 'getLessSpecificDestination';
  live(cx, op);
  const o = opts<Query>(options, QUERY_KEYS, op);
  const d = destArg(cx, o.dest, op);
  const views = anyViewsArg(cx, o.views, op);
  protoArg(cx, o.protocolId, op);
  return found(cx, cx.x.lessSpecific(cx.t, d, qual(cx, views, true)), o, op);
}

/** RtmHoldDestination (§7.7). */
export function holdDestination(cx: Ctx, options: { dest: DestHandle; views?: number; holdTime: number }): void {
  const op = 'holdDestination';
  live(cx, op);
  const o = opts<{ dest: DestHandle; views?: number; holdTime: number }>(options, HOLD_KEYS, op);
  destArg(cx, o.dest, op);
  const holdTime = u32(o.holdTime, 'holdTime', op);
  const views = anyViewsArg(cx, o.views, op);
  cx.inst.syncNow();
  check(cx.x.holdDestinationX(cx.handle, o.dest!, views, holdTime), op);
}
