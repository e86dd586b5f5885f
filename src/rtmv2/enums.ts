// Enumerations (spec §7.14, §8.8): destination, route and next-hop cursors, the registry of every
// enumeration handle (route-list cursors of lists.ts register here too, so that deleteEnumHandle and
// deregistration handle every kind), and the dests()/routes() iterators. Cursors are live (D-45): they
// remember the last position returned — a destination key, for routes also the route's (preference,
// metric, creation seq) and the routes already returned at that key — and each Get continues strictly
// after it in the current table, through the core's ordered walks. A Get asks for one element more than
// it returns, to report exhaustion with the final batch (D-40). Handles are KIND_ENUM · 2^49 + a
// counter (slot and generation fields of the usual encoding), never reused. Allocates per call (results).
import { RtmError, check } from '../errors.js';
import { RTM_ENUM_NEXT, RTM_ENUM_OWN_DESTS, RTM_ENUM_OWN_ROUTES, RTM_ENUM_RANGE } from '../constants.js';
import type { CoreTable } from '../coretable.js';
import { handleKind } from '../layout.js';
import { destBest, destHeld, nextHopKeyInto, nextHopWord, readOutSlots, readResult, routeSeq, routeWord } from '../port/records.js';
import type {
  DestEnumOptions, DestInfo, EnumBatch, EnumGetOptions, EnumHandle, IterateOptions, NextHopEnumOptions, NextHopHandle,
  RouteEnumOptions, RouteHandle,
} from '../types.js';
import type { Ctx } from './context.js';
import {
  type Key, anyViewsArg, countArg, destArg, destKey, isNull, keyArg, keyEquals, keyIn, live, u32Arg,
} from './args.js';
import { takeSlots } from './refs.js';
import { type Criteria, criteriaArg, handleOf, releaseRoutes, routeMatches } from './routes.js';
import { destInfoOf, releaseDests } from './dests.js';

const ENUM_NEXT = RTM_ENUM_NEXT, ENUM_RANGE = RTM_ENUM_RANGE;
const TWO49 = 2 ** 49;
/** Destinations per core walk while filling a batch. */
const WALK_CHUNK = 256;

/** A cursor of any kind; `close()` runs when its handle is deleted or its owner deregisters. */
export interface Cursor { readonly kind: string; close?(): void }

/** A registered enumeration: its owner and its cursor. */
interface EnumEntry { readonly owner: Ctx; readonly cursor: Cursor }

/** The enumerations of each table, by handle. */
const perTable = new WeakMap<CoreTable, Map<number, EnumEntry>>();

function enumsOf(cx: Ctx): Map<number, EnumEntry> {
  let m = perTable.get(cx.table);
  if (!m) { m = new Map(); perTable.set(cx.table, m); }
  return m;
}

/** Range of a cursor: the start (NEXT, RANGE) and whether the range restricts to the start's sub-tree. */
interface Range {
  readonly range: number;
  readonly start: Key | undefined;
}

interface DestCursor extends Range {
  readonly kind: 'dest';
  readonly views: number;
  readonly own: boolean;
  readonly protocolId: number;
  last: Key | undefined;
}

/** A route's position in the enumeration order: destination key, then (preference, metric, seq). */
interface RoutePos {
  readonly key: Key;
  readonly pref: number;
  readonly metric: number;
  readonly seq: number;
}

interface RouteCursor extends Range {
  readonly kind: 'route';
  /** Only this destination (handle), or 0. */
  readonly dest: number;
  readonly views: number;
  readonly own: boolean;
  readonly criteria: Criteria;
  last: RoutePos | undefined;
  /** Route handles already returned at `last.key` (a route whose sort key moved is not returned twice). */
  returned: Set<number>;
}

interface NextHopCursor extends Range {
  readonly kind: 'nextHop';
  last: { key: Key; interfaceIndex: number } | undefined;
}

let nextEnumId = 1;

/** Registers an enumeration of the caller and returns its handle. */
export function registerEnum(cx: Ctx, cursor: Cursor): EnumHandle {
  const h = cx.L.KIND_ENUM * TWO49 + nextEnumId++;
  enumsOf(cx).set(h, { owner: cx, cursor });
  return h as EnumHandle;
}

/** The cursor behind one of the caller's enumeration handles of `kind` (any kind when undefined). @throws ERROR_INVALID_HANDLE */
export function enumCursor<C extends Cursor>(cx: Ctx, h: unknown, kind: string | undefined, op: string): C {
  const entry = typeof h === 'number' && handleKind(h) === cx.L.KIND_ENUM ? enumsOf(cx).get(h) : undefined;
  if (!entry || entry.owner !== cx || (kind !== undefined && entry.cursor.kind !== kind)) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an enumeration of this kind of the caller\'s');
  }
  return entry.cursor as C;
}

/** True if `h` is a live enumeration handle of the caller's table (any owner). */
export function isEnumHandle(cx: Ctx, h: number): boolean {
  return enumsOf(cx).has(h);
}

/** RtmDeleteEnumHandle. */
export function deleteEnumHandle(cx: Ctx, h: unknown): void {
  const op = 'deleteEnumHandle';
  live(cx, op);
  const cursor = enumCursor(cx, h, undefined, op);
  enumsOf(cx).delete(h as number);
  cursor.close?.();
}

/** Deletes every enumeration of the caller (deregistration). */
export function deleteEnumsOf(cx: Ctx): void {
  const enums = enumsOf(cx);
  for (const [h, entry] of [...enums]) {
    if (entry.owner !== cx) continue;
    enums.delete(h);
    entry.cursor.close?.();
  }
}

// ── arguments ─────────────────────────────────────────────────────────────────────────────────────────

/** Enumeration flags: one range flag plus the owner bit `ownBit` (0 = none allowed). */
function flagsArg(v: unknown, ownBit: number, op: string): { range: number; own: boolean } {
  const flags = u32Arg(v, 0, 'enumFlags', op);
  if ((flags & ~(ENUM_NEXT | ENUM_RANGE | ownBit)) !== 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, `unknown enumFlags 0x${flags.toString(16)}`);
  const range = flags & (ENUM_NEXT | ENUM_RANGE);
  if (range === (ENUM_NEXT | ENUM_RANGE)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'more than one range flag');
  return { range, own: ownBit !== 0 && (flags & ownBit) !== 0 };
}

function rangeOf(cx: Ctx, range: number, start: unknown, op: string): Range {
  return { range, start: range === 0 ? undefined : keyArg(cx, start, op) };
}

// ── destinations ──────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateDestEnum. */
export function createDestEnum(cx: Ctx, o: DestEnumOptions = {}): EnumHandle {
  const op = 'createDestEnum';
  live(cx, op);
  const views = anyViewsArg(cx, o.views, op);
  const { range, own } = flagsArg(o.enumFlags, RTM_ENUM_OWN_DESTS, op);
  const r = rangeOf(cx, range, o.startDest, op);
  const protocolId = u32Arg(o.protocolId, 0, 'protocolId', op);
  const cursor: DestCursor = { kind: 'dest', ...r, views, own, protocolId, last: undefined };
  return registerEnum(cx, cursor);
}

/**
 * Walks the qualifying destinations after the cursor position (`from` inclusive or strictly after),
 * calling `visit` with each slot and key until it returns false or the walk ends.
 */
function walkDests(cx: Ctx, c: Range, from: Key | undefined, inclusive: boolean, qual: number,
  visit: (d: number, key: Key) => boolean): void {
  let pos = from, incl = inclusive;
  for (;;) {
    const klen = keyIn(cx, pos, 0);
    const rlen = c.range === ENUM_RANGE ? keyIn(cx, c.start, 4) : cx.table.NO_RANGE;
    check(cx.x.walk(cx.t, klen, incl ? 1 : 0, qual, rlen, WALK_CHUNK), 'walk');
    const ds = readOutSlots(cx.core, readResult(cx.core, 0));
    let key: Key | undefined;
    for (const d of ds) {
      key = destKey(cx, d);
      if (!visit(d, key)) return;
    }
    if (ds.length < WALK_CHUNK) return;
    pos = key;
    incl = false;
  }
}

/** True if the caller owns the best route of d in one of `views` (0 = any supported view). */
function ownsBest(cx: Ctx, d: number, views: number): boolean {
  const c = cx.core, NIL = c.NIL;
  const vs = views === 0 ? cx.profile.viewsSupported : views;
  for (let v = 0; v < cx.L.VIEW_COUNT; v++) {
    if (((vs >>> v) & 1) === 0) continue;
    const best = destBest(c, d, v);
    if (best !== NIL && routeWord(c, best, cx.L.ROUTE_OWNER) === cx.slot) return true;
  }
  return false;
}

/** RtmGetEnumDests. */
export function getEnumDests(cx: Ctx, o: EnumGetOptions): EnumBatch<DestInfo> {
  const op = 'getEnumDests';
  live(cx, op);
  const c = enumCursor<DestCursor>(cx, o?.enumHandle, 'dest', op);
  const count = countArg(cx, o.count, op);
  const found: { d: number; key: Key }[] = [];
  const from = c.last ?? c.start, inclusive = c.last === undefined;
  walkDests(cx, c, from, inclusive, c.views === 0 ? cx.L.QUAL_POPULATED : c.views, (d, key) => {
    if (c.own && !ownsBest(cx, d, c.views)) return true;
    found.push({ d, key });
    return found.length <= count;
  });
  const items = found.slice(0, count).map((f) => destInfoOf(cx, f.d, { views: c.views, protocolId: c.protocolId }, op));
  if (items.length > 0) c.last = found[items.length - 1].key;
  return { items, done: found.length <= count };
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateRouteEnum. */
export function createRouteEnum(cx: Ctx, o: RouteEnumOptions = {}): EnumHandle {
  const op = 'createRouteEnum';
  live(cx, op);
  const dest = isNull(o.dest) ? 0 : o.dest as number;
  if (dest !== 0) destArg(cx, dest, op);
  const views = anyViewsArg(cx, o.views, op);
  const { range, own } = flagsArg(o.enumFlags, RTM_ENUM_OWN_ROUTES, op);
  const r = dest !== 0 ? { range: 0, start: undefined } : rangeOf(cx, range, o.startDest, op);
  const criteria = criteriaArg(o, op);
  const cursor: RouteCursor = { kind: 'route', ...r, dest, views, own, criteria, last: undefined, returned: new Set() };
  return registerEnum(cx, cursor);
}

function posOf(cx: Ctx, r: number, key: Key): RoutePos {
  const c = cx.core, L = cx.L;
  return { key, pref: routeWord(c, r, L.ROUTE_PREF), metric: routeWord(c, r, L.ROUTE_METRIC), seq: routeSeq(c, r) };
}

/**
 * Route order within a destination (spec §7.1 B6): preference, metric, creation seq. The core keeps its
 * live routes in this order; the facade needs it to merge held routes in (§7.7 H4) and to resume after
 * a position, until the core enumerates routes itself.
 */
function comparePos(a: RoutePos, b: RoutePos): number {
  return (a.pref - b.pref) || (a.metric - b.metric) || (a.seq - b.seq);
}

/**
 * The routes of destination d an enumeration over `views` sees, in route order: the live routes in
 * those views, or with views 0 every live route and every held route (§7.7 H4).
 */
function enumRoutesOf(cx: Ctx, d: number, key: Key, views: number): number[] {
  const c = cx.core, NIL = c.NIL;
  const live = c.slotPages('destRoutes', (after) => cx.x.destRoutes(cx.t, d, after));
  if (views !== 0) return live.filter((r) => (routeWord(c, r, cx.L.ROUTE_VIEWS) & views) !== 0);
  let all = live;
  for (let v = 0; v < cx.L.VIEW_COUNT; v++) {
    const held = destHeld(c, d, v);
    if (held !== NIL && !all.includes(held)) {
      if (all === live) all = [...live];
      all.push(held);
    }
  }
  if (all !== live) all.sort((a, b) => comparePos(posOf(cx, a, key), posOf(cx, b, key)));
  return all;
}

/** RtmGetEnumRoutes. */
export function getEnumRoutes(cx: Ctx, o: EnumGetOptions): EnumBatch<RouteHandle> {
  const op = 'getEnumRoutes';
  live(cx, op);
  const c = enumCursor<RouteCursor>(cx, o?.enumHandle, 'route', op);
  const count = countArg(cx, o.count, op);
  const L = cx.L;
  const found: { r: number; key: Key }[] = [];
  const visit = (d: number, key: Key): boolean => {
    const atLast = c.last !== undefined && keyEquals(key, c.last.key);
    for (const r of enumRoutesOf(cx, d, key, c.views)) {
      if (c.own && routeWord(cx.core, r, L.ROUTE_OWNER) !== cx.slot) continue;
      if (!routeMatches(cx, r, c.criteria)) continue;
      if (atLast && (c.returned.has(handleOf(cx, L.KIND_ROUTE, r)) || comparePos(posOf(cx, r, key), c.last!) <= 0)) continue;
      found.push({ r, key });
      if (found.length > count) return false;
    }
    return true;
  };
  if (c.dest !== 0) {
    if (cx.x.destFromHandle(cx.t, c.dest) === 0) {
      const d = readResult(cx.core, 0);
      visit(d, destKey(cx, d));
    }
  } else {
    // resume at the last destination itself: it may have routes after the last one returned
    const from = c.last ? c.last.key : c.start;
    walkDests(cx, c, from, true, c.views === 0 ? L.QUAL_POPULATED : c.views, visit);
  }
  const picked = found.slice(0, count);
  const items = takeSlots<RouteHandle>(cx, L.KIND_ROUTE, picked.map((f) => f.r));
  if (picked.length > 0) {
    const lastF = picked[picked.length - 1];
    if (!c.last || !keyEquals(c.last.key, lastF.key)) c.returned = new Set();
    for (let i = 0; i < picked.length; i++) if (keyEquals(picked[i].key, lastF.key)) c.returned.add(items[i]);
    c.last = posOf(cx, lastF.r, lastF.key);
  }
  return { items, done: found.length <= count };
}

// ── next hops ─────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateNextHopEnum (the caller's own next hops, D-46). */
export function createNextHopEnum(cx: Ctx, o: NextHopEnumOptions = {}): EnumHandle {
  const op = 'createNextHopEnum';
  live(cx, op);
  const { range } = flagsArg(o.enumFlags, 0, op);
  const r = rangeOf(cx, range, o.address, op);
  const cursor: NextHopCursor = { kind: 'nextHop', ...r, last: undefined };
  return registerEnum(cx, cursor);
}

/** RtmGetEnumNextHops: by (address, interface), strictly after the last one returned. */
export function getEnumNextHops(cx: Ctx, o: EnumGetOptions): EnumBatch<NextHopHandle> {
  const op = 'getEnumNextHops';
  live(cx, op);
  const c = enumCursor<NextHopCursor>(cx, o?.enumHandle, 'nextHop', op);
  const count = countArg(cx, o.count, op);
  const want = count + 1;
  const slots: number[] = [];
  let pos = c.last;
  for (;;) {
    const max = Math.min(want - slots.length, cx.core.IO_BATCH_MAX);
    const len = keyIn(cx, pos ? pos.key : c.start, 0);
    const rlen = c.range === ENUM_RANGE ? keyIn(cx, c.start, 4) : cx.table.NO_RANGE;
    check(cx.x.nexthopListFrom(cx.handle, len, pos ? pos.interfaceIndex : 0, pos ? 0 : 1, rlen, max), op);
    const got = readOutSlots(cx.core, readResult(cx.core, 0));
    slots.push(...got);
    if (got.length < max || slots.length >= want) break;
    pos = nextHopPos(cx, got[got.length - 1]);
  }
  const picked = slots.slice(0, count);
  const items = takeSlots<NextHopHandle>(cx, cx.L.KIND_NEXTHOP, picked);
  if (picked.length > 0) c.last = nextHopPos(cx, picked[picked.length - 1]);
  return { items, done: slots.length <= count };
}

/** The (address, interface) position of next-hop slot s. */
function nextHopPos(cx: Ctx, s: number): { key: Key; interfaceIndex: number } {
  const words = new Uint32Array(4);
  const len = nextHopKeyInto(cx.core, s, words);
  return { key: { words, len }, interfaceIndex: nextHopWord(cx.core, s, cx.L.NEXTHOP_IFINDEX) };
}

// ── iterators (not in RTMv2) ──────────────────────────────────────────────────────────────────────────

/** Runs a clean-up call, ignoring ERROR_INVALID_HANDLE (the loop body may have released or deleted things). */
function quiet(fn: () => void): void {
  try { fn(); } catch (err) { if (!(err instanceof RtmError) || err.code !== 'ERROR_INVALID_HANDLE') throw err; }
}

/** Destinations through an enumeration; a batch's references are released when the iterator moves on. */
export function* dests(cx: Ctx, o: DestEnumOptions & IterateOptions = {}): IterableIterator<DestInfo> {
  const { batch, ...rest } = o;
  const h = createDestEnum(cx, rest);
  let current: readonly DestInfo[] = [];
  try {
    for (;;) {
      const { items, done } = getEnumDests(cx, { enumHandle: h, count: batch ?? cx.profile.maxHandlesInEnum });
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
export function* routes(cx: Ctx, o: RouteEnumOptions & IterateOptions = {}): IterableIterator<RouteHandle> {
  const { batch, ...rest } = o;
  const h = createRouteEnum(cx, rest);
  let current: readonly RouteHandle[] = [];
  try {
    for (;;) {
      const { items, done } = getEnumRoutes(cx, { enumHandle: h, count: batch ?? cx.profile.maxHandlesInEnum });
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
