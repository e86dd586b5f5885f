// Enumerations (spec §7.14, §8.8, D-40, D-45, D-46): destination, route and next-hop enumerations, and
// the dests()/routes() iterators. The cursors live in the core (assembly/enums.ts: live cursors, the
// route order and the criteria matching, each written once there); this file validates arguments in the
// order RTMv2 reports errors (D-05), writes start prefixes and criteria into the I/O area, pulls batches
// (in core calls of at most IO_BATCH_MAX items, so MaxHandlesInEnum may be larger) and takes the
// references of the handles it returns. Route-list enumerations (lists.ts) use the same Get.
// Allocates per call (results).
import { RtmError, STATUS, check } from '../errors.js';
import { RTM_ENUM_NEXT, RTM_ENUM_OWN_DESTS, RTM_ENUM_OWN_ROUTES, RTM_ENUM_RANGE } from '../constants.js';
import { readOutHandles, readOutSlots, readResult } from '../port/records.js';
import type {
  DestEnumOptions, DestInfo, EnumBatch, EnumGetOptions, EnumHandle, IterateOptions, NextHopEnumOptions, NextHopHandle,
  RouteEnumOptions, RouteHandle,
} from '../types.js';
import type { Ctx } from './context.js';
import { anyViewsArg, countArg, destArg, isNull, live, opts, prefixIn, u32, u32Arg } from './args.js';
import { take } from './refs.js';
import { criteriaArg, criteriaIn, releaseRoutes } from './routes.js';
import { destInfoAt, releaseDests } from './dests.js';



const GET_KEYS: readonly (keyof EnumGetOptions)[] = ['enumHandle', 'count'];
const DEST_ENUM_KEYS: readonly (keyof DestEnumOptions)[] = ['views', 'enumFlags', 'startDest', 'protocolId'];
const ROUTE_ENUM_KEYS: readonly (keyof RouteEnumOptions)[] = [
  'dest', 'views', 'enumFlags', 'startDest', 'matchFlags', 'criteria', 'interfaceIndex',
];
const NEXTHOP_ENUM_KEYS: readonly (keyof NextHopEnumOptions)[] = ['enumFlags', 'address'];

/** The handle of the cursor a create call just made. */
function created(cx: Ctx, status: number, op: string): EnumHandle {
  check(status, op);
  return readOutHandles(cx.core, 1)[0] as EnumHandle;
}

/**
 * Checks that `h` is one of the caller's cursors of `kind` (before any other argument, D-05) and returns
 * its target views (RES2) and selector (RES3: protocol id of a destination cursor). @throws ERROR_INVALID_HANDLE
 */
export function cursorArg(cx: Ctx, h: unknown, kind: number, op: string): { views: number; selector: number } {
  if (typeof h !== 'number' || cx.x.enumInfoX(cx.handle, h) !== 0 || readResult(cx.core, 0) !== kind || readResult(cx.core, 1) !== cx.slot) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an enumeration of this kind of the caller\'s');
  }
  return { views: readResult(cx.core, 2), selector: readResult(cx.core, 3) };
}

/**
 * The next `count` items of cursor h (checked by cursorArg), in core calls of at most IO_BATCH_MAX:
 * their slots and handles (no references taken), and whether the enumeration is done (D-40).
 */
export function nextBatch(cx: Ctx, h: number, kind: number, count: number, op: string): { slots: number[]; handles: number[]; done: boolean } {
  const c = cx.core, slots: number[] = [], handles: number[] = [];
  let done = false;
  do {
    const m = Math.min(count - slots.length, c.IO_BATCH_MAX);
    const s = cx.x.enumNextX(cx.handle, h, kind, m);
    if (s === STATUS.ERROR_INVALID_HANDLE) throw new RtmError('ERROR_INVALID_HANDLE', op, 'the enumeration is gone');
    check(s, op);
    const n = readResult(c, 0);
    done = readResult(c, 1) === 1;
    slots.push(...readOutSlots(c, n));
    handles.push(...readOutHandles(c, n));
    if (done) break;
  } while (slots.length < count);
  return { slots, handles, done };
}

/**
 * A Get of route, next-hop or route-list handles (RtmGetEnumRoutes, RtmGetEnumNextHops,
 * RtmGetListEnumRoutes): the cursor is checked first, then the count; the handles come referenced.
 */
export function getHandles<H extends number>(cx: Ctx, options: EnumGetOptions, kind: number, op: string): EnumBatch<H> {
  live(cx, op);
  const o = opts<EnumGetOptions>(options, GET_KEYS, op);
  cursorArg(cx, o.enumHandle, kind, op);
  const count = countArg(cx, o.count, op);
  const { handles, done } = nextBatch(cx, o.enumHandle!, kind, count, op);
  for (const h of handles) take(cx, h);
  return { items: handles as H[], done };
}

/** True if `h` is a live enumeration handle of the caller's table (any owner). */
export function isEnumHandle(cx: Ctx, h: number): boolean {
  return cx.x.enumInfoX(cx.handle, h) === 0;
}

/** RtmDeleteEnumHandle (any kind of the caller's enumerations). */
export function deleteEnumHandle(cx: Ctx, h: unknown): void {
  const op = 'deleteEnumHandle';
  live(cx, op);
  if (typeof h !== 'number' || cx.x.enumDeleteX(cx.handle, h) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an enumeration of the caller\'s');
  }
}

/** Deletes every enumeration of the caller (deregistration). */
export function deleteEnumsOf(cx: Ctx): void {
  cx.x.enumDeleteAllX(cx.handle);
}

// ── arguments ─────────────────────────────────────────────────────────────────────────────────────────

/** Enumeration flags: one range flag plus the owner bit `ownBit` (0 = none allowed). */
function flagsArg(v: unknown, ownBit: number, op: string): { flags: number; range: number } {
  const flags = u32Arg(v, 0, 'enumFlags', op);
  if ((flags & ~(RTM_ENUM_NEXT | RTM_ENUM_RANGE | ownBit)) !== 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, `unknown enumFlags 0x${flags.toString(16)}`);
  const range = flags & (RTM_ENUM_NEXT | RTM_ENUM_RANGE);
  if (range === (RTM_ENUM_NEXT | RTM_ENUM_RANGE)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'more than one range flag');
  return { flags, range };
}

// ── destinations ──────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateDestEnum. */
export function createDestEnum(cx: Ctx, options?: DestEnumOptions): EnumHandle {
  const op = 'createDestEnum';
  live(cx, op);
  const a = validateDestEnum(cx, opts<DestEnumOptions>(options, DEST_ENUM_KEYS, op, true), op);
  return created(cx, cx.x.enumCreateDestsX(cx.handle, a.views, a.flags, a.len, a.protocolId), op);
}

/** The checked arguments of a destination enumeration (the start prefix written into the I/O area). */
function validateDestEnum(cx: Ctx, o: DestEnumOptions, op: string): { views: number; flags: number; len: number; protocolId: number } {
  const views = anyViewsArg(cx, o.views, op);
  const { flags, range } = flagsArg(o.enumFlags, RTM_ENUM_OWN_DESTS, op);
  const len = range === 0 ? 0 : prefixIn(cx, o.startDest, op);
  const protocolId = u32Arg(o.protocolId, 0, 'protocolId', op);
  return { views, flags, len, protocolId };
}

/** RtmGetEnumDests. */
export function getEnumDests(cx: Ctx, options: EnumGetOptions): EnumBatch<DestInfo> {
  const op = 'getEnumDests';
  live(cx, op);
  const o = opts<EnumGetOptions>(options, GET_KEYS, op);
  const kind = cx.L.ENUM_K_DEST;
  const { views, selector } = cursorArg(cx, o.enumHandle, kind, op);
  const count = countArg(cx, o.count, op);
  const { slots, done } = nextBatch(cx, o.enumHandle!, kind, count, op);
  return { items: slots.map((d) => destInfoAt(cx, d, selector, views, op)), done };
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateRouteEnum. */
export function createRouteEnum(cx: Ctx, options?: RouteEnumOptions): EnumHandle {
  const op = 'createRouteEnum';
  live(cx, op);
  const { dest, views, flags, len, m, nHops } = validateRouteEnum(cx, opts<RouteEnumOptions>(options, ROUTE_ENUM_KEYS, op, true), op);
  return created(cx, cx.x.enumCreateRoutesX(cx.handle, dest, views, flags, len, m.flags, m.owner,
    m.neighbour, m.preference, m.metric, nHops, m.interfaceIndex), op);
}

/** The checked arguments of a route enumeration (start prefix and criterion next hops written into the I/O area). */
function validateRouteEnum(cx: Ctx, o: RouteEnumOptions, op: string) {
  const dest = isNull(o.dest) ? 0 : o.dest as number;
  if (dest !== 0) destArg(cx, dest, op);
  const views = anyViewsArg(cx, o.views, op);
  const { flags, range } = flagsArg(o.enumFlags, RTM_ENUM_OWN_ROUTES, op);
  const len = dest !== 0 || range === 0 ? 0 : prefixIn(cx, o.startDest, op);
  const m = criteriaArg(o, op);
  const nHops = criteriaIn(cx, m);
  return { dest, views, flags, len, m, nHops };
}

/** RtmGetEnumRoutes. */
export function getEnumRoutes(cx: Ctx, o: EnumGetOptions): EnumBatch<RouteHandle> {
  return getHandles<RouteHandle>(cx, o, cx.L.ENUM_K_ROUTE, 'getEnumRoutes');
}

// ── next hops ─────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateNextHopEnum (the caller's own next hops, D-46). */
export function createNextHopEnum(cx: Ctx, options?: NextHopEnumOptions): EnumHandle {
  const op = 'createNextHopEnum';
  live(cx, op);
  const o = opts<NextHopEnumOptions>(options, NEXTHOP_ENUM_KEYS, op, true);
  const { flags, range } = flagsArg(o.enumFlags, 0, op);
  const len = range === 0 ? 0 : prefixIn(cx, o.address, op);
  return created(cx, cx.x.enumCreateNextHopsX(cx.handle, flags, len), op);
}

/** RtmGetEnumNextHops: by (address, interface), strictly after the last one returned. */
export function getEnumNextHops(cx: Ctx, o: EnumGetOptions): EnumBatch<NextHopHandle> {
  return getHandles<NextHopHandle>(cx, o, cx.L.ENUM_K_NEXTHOP, 'getEnumNextHops');
}

// ── iterators (not in RTMv2) ──────────────────────────────────────────────────────────────────────────

/** Runs a clean-up call, ignoring ERROR_INVALID_HANDLE (the loop body may have released or deleted things). */
function quiet(fn: () => void): void {
  try { fn(); } catch (err) { if (!(err instanceof RtmError) || err.code !== 'ERROR_INVALID_HANDLE') throw err; }
}

/**
 * The arguments of dests()/routes(), checked when the iterator is made (not at its first step): the
 * options read once, the batch size an integer in 1..maxHandlesInEnum (0 would never move), and the
 * enumeration options validated by a dry run of `create` (which allocates nothing: it is given a probe
 * that stops before the core call).
 */
function iterateArgs<O extends object>(cx: Ctx, options: unknown, keys: readonly (keyof O)[], op: string): { o: O; batch: number } {
  live(cx, op);
  const all = opts<O & IterateOptions>(options, [...keys, 'batch'] as (keyof O | 'batch')[], op, true);
  const max = cx.profile.maxHandlesInEnum;
  const batch = all.batch === undefined ? max : u32(all.batch, 'batch', op, max);
  if (batch === 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'batch must be at least 1');
  const { batch: _b, ...o } = all;
  return { o: o as O, batch };
}

/** Destinations through an enumeration; a batch's references are released when the iterator moves on. */
export function dests(cx: Ctx, options?: DestEnumOptions & IterateOptions): IterableIterator<DestInfo> {
  const { o, batch } = iterateArgs<DestEnumOptions>(cx, options, DEST_ENUM_KEYS, 'dests');
  validateDestEnum(cx, o, 'dests');
  return destsFrom(cx, o, batch);
}

function* destsFrom(cx: Ctx, rest: DestEnumOptions, batch: number): IterableIterator<DestInfo> {
  const h = createDestEnum(cx, rest);
  let current: readonly DestInfo[] = [];
  try {
    for (;;) {
      const { items, done } = getEnumDests(cx, { enumHandle: h, count: batch });
      current = items;
      yield* items;
      quiet(() => releaseDests(cx, current));
      current = [];
      if (done) break;
    }
  } finally {
    if (current.length > 0) quiet(() => releaseDests(cx, current));
    quiet(() => deleteEnumHandle(cx, h));
  }
}

/** Route handles through an enumeration, with the reference rule of dests(). */
export function routes(cx: Ctx, options?: RouteEnumOptions & IterateOptions): IterableIterator<RouteHandle> {
  const { o, batch } = iterateArgs<RouteEnumOptions>(cx, options, ROUTE_ENUM_KEYS, 'routes');
  validateRouteEnum(cx, o, 'routes');
  return routesFrom(cx, o, batch);
}

function* routesFrom(cx: Ctx, rest: RouteEnumOptions, batch: number): IterableIterator<RouteHandle> {
  const h = createRouteEnum(cx, rest);
  let current: readonly RouteHandle[] = [];
  try {
    for (;;) {
      const { items, done } = getEnumRoutes(cx, { enumHandle: h, count: batch });
      current = items;
      yield* items;
      quiet(() => releaseRoutes(cx, current));
      current = [];
      if (done) break;
    }
  } finally {
    if (current.length > 0) quiet(() => releaseRoutes(cx, current));
    quiet(() => deleteEnumHandle(cx, h));
  }
}
