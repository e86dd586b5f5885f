// Enumerations (spec §7.14, §8.8): destination, route and next-hop cursors, and the registry of every
// enumeration handle (route-list cursors of the route-list layer register here too, so that
// deleteEnumHandle and deregistration handle every kind). Cursors are live (D-45): they remember the
// last position returned — a destination key, for routes also the route's (preference, metric,
// creation seq) and the routes already returned at that key — and each Get continues strictly after it
// in the current table, through the core's ordered walks. A Get asks for one element more than it
// returns, to report exhaustion with the final batch (D-40). Handles are KIND_ENUM · 2^49 + a counter
// (slot and generation fields of the usual encoding), never reused. Allocates per call (results).
import { RtmError, check } from '../errors.js';
import { handleKind } from '../layout.js';
import * as records from '../port/records.js';
import { type Criteria, criteriaArg, routeMatches } from '../rtmv2/routes.js';
import type { Entity } from '../entity.js';
import type {
  DestEnumOptions, DestInfo, EnumBatch, EnumGetOptions, EnumHandle, NextHopEnumOptions, NextHopHandle,
  RouteEnumOptions, RouteHandle,
} from '../types.js';
import {
  type EnumEntry, type Key, K, countArg, destKey, isNull, keyArg, keyEquals, keyIn, outSlots, tableState, u32Arg,
} from './args.js';

const ENUM_NEXT = 0x1, ENUM_RANGE = 0x2, ENUM_OWN_DESTS = 0x01000000, ENUM_OWN_ROUTES = 0x00010000;
const TWO49 = 2 ** 49;
/** Destinations per core walk while filling a batch. */
const WALK_CHUNK = 256;

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

/**
 * Registers an enumeration of `e` and returns its handle. Route-list cursors use this too (kind 'list');
 * `close()` runs when the handle is deleted or its owner deregisters.
 */
export function registerEnum(e: Entity, cursor: EnumEntry['cursor']): EnumHandle {
  const h = K(e).KIND_ENUM * TWO49 + nextEnumId++;
  tableState(e).enums.set(h, { owner: e, cursor });
  return h as EnumHandle;
}

/** The cursor behind one of `e`'s enumeration handles of `kind` (any kind when undefined). @throws ERROR_INVALID_HANDLE */
export function enumCursor<C extends EnumEntry['cursor']>(e: Entity, h: unknown, kind: string | undefined, op: string): C {
  const entry = typeof h === 'number' && handleKind(h) === K(e).KIND_ENUM ? tableState(e).enums.get(h) : undefined;
  if (!entry || entry.owner !== e || (kind !== undefined && entry.cursor.kind !== kind)) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an enumeration of this kind of the caller\'s');
  }
  return entry.cursor as C;
}

/** True if `h` is a live enumeration handle of this table (any owner). */
export function isEnumHandle(e: Entity, h: number): boolean {
  return tableState(e).enums.has(h);
}

/** RtmDeleteEnumHandle. */
export function deleteEnumHandle(e: Entity, h: unknown): void {
  const op = 'deleteEnumHandle';
  const cursor = enumCursor(e, h, undefined, op);
  tableState(e).enums.delete(h as number);
  cursor.close?.();
}

/** Deletes every enumeration of `e` (deregistration). */
export function deleteEnumsOf(e: Entity): void {
  const enums = tableState(e).enums;
  for (const [h, entry] of [...enums]) {
    if (entry.owner !== e) continue;
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

/** TargetViews of an enumeration: 0 = any; undefined / RTM_VIEW_MASK_ALL = every supported view. */
function viewsArg(e: Entity, v: unknown, op: string): number {
  return v === 0 ? 0 : e.viewsArg(v as number | undefined, op);
}

function rangeOf(e: Entity, range: number, start: unknown, op: string): Range {
  return { range, start: range === 0 ? undefined : keyArg(e, start, op) };
}

// ── destinations ──────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateDestEnum. */
export function createDestEnum(e: Entity, o: DestEnumOptions = {}): EnumHandle {
  const op = 'createDestEnum';
  const views = viewsArg(e, o.views, op);
  const { range, own } = flagsArg(o.enumFlags, ENUM_OWN_DESTS, op);
  const r = rangeOf(e, range, o.startDest, op);
  const protocolId = u32Arg(o.protocolId, 0, 'protocolId', op);
  const cursor: DestCursor = { kind: 'dest', ...r, views, own, protocolId, last: undefined };
  return registerEnum(e, cursor);
}

/**
 * Walks the qualifying destinations after the cursor position (`from` inclusive or strictly after),
 * calling `visit` with each slot and key until it returns false or the walk ends.
 */
function walkDests(e: Entity, c: Range, from: Key | undefined, inclusive: boolean, qual: number,
  visit: (d: number, key: Key) => boolean): void {
  const x = e.x, t = e.table.core.t, k = K(e);
  let pos = from, incl = inclusive;
  for (;;) {
    const klen = keyIn(e, pos, 0);
    const rlen = c.range === ENUM_RANGE ? keyIn(e, c.start, 4) : k.NO_RANGE;
    check(x.walk(t, klen, incl ? 1 : 0, qual, rlen, WALK_CHUNK), 'walk');
    const ds = outSlots(e);
    let key: Key | undefined;
    for (const d of ds) {
      key = destKey(e, d);
      if (!visit(d, key)) return;
    }
    if (ds.length < WALK_CHUNK) return;
    pos = key;
    incl = false;
  }
}

/** Where a cursor starts: after its last position, else at its start (NEXT/RANGE) or the top (START). */
function startOf(c: Range, last: Key | undefined): { from: Key | undefined; inclusive: boolean } {
  if (last) return { from: last, inclusive: false };
  return { from: c.start, inclusive: true };
}

/** True if the caller owns the best route of d in one of `views` (0 = any supported view). */
function ownsBest(e: Entity, d: number, views: number): boolean {
  const k = K(e), NIL = e.rtm.core.NIL;
  const vs = views === 0 ? e.profile.viewsSupported : views;
  for (let v = 0; v < k.VIEW_COUNT; v++) {
    if (((vs >>> v) & 1) === 0) continue;
    const best = records.destBest(e.rtm.core, d, v);
    if (best !== NIL && e.routeWord(best, e.L.ROUTE_OWNER) === e.slot) return true;
  }
  return false;
}

/** RtmGetEnumDests. */
export function getEnumDests(e: Entity, o: EnumGetOptions): EnumBatch<DestInfo> {
  const op = 'getEnumDests';
  const c = enumCursor<DestCursor>(e, o?.enumHandle, 'dest', op);
  const count = countArg(e, o.count, op);
  const k = K(e);
  const found: { d: number; key: Key }[] = [];
  const { from, inclusive } = startOf(c, c.last);
  walkDests(e, c, from, inclusive, c.views === 0 ? k.QUAL_POPULATED : c.views, (d, key) => {
    if (c.own && !ownsBest(e, d, c.views)) return true;
    found.push({ d, key });
    return found.length <= count;
  });
  const items = found.slice(0, count).map((f) => e.destInfoOf(f.d, { views: c.views, protocolId: c.protocolId }, op));
  if (items.length > 0) c.last = found[items.length - 1].key;
  return { items, done: found.length <= count };
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateRouteEnum. */
export function createRouteEnum(e: Entity, o: RouteEnumOptions = {}): EnumHandle {
  const op = 'createRouteEnum';
  const dest = isNull(o.dest) ? 0 : o.dest as number;
  if (dest !== 0) e.destSlot(dest, op);
  const views = viewsArg(e, o.views, op);
  const { range, own } = flagsArg(o.enumFlags, ENUM_OWN_ROUTES, op);
  const r = dest !== 0 ? { range: 0, start: undefined } : rangeOf(e, range, o.startDest, op);
  const criteria = criteriaArg(o, op);
  const cursor: RouteCursor = { kind: 'route', ...r, dest, views, own, criteria, last: undefined, returned: new Set() };
  return registerEnum(e, cursor);
}

/** Sort key order of routes within a destination (§7.1 B6): preference, metric, creation seq. */
function routeOrder(e: Entity, a: number, b: number): number {
  const L = e.L, seq = K(e).ROUTE_SEQ;
  return (e.routeWord(a, L.ROUTE_PREF) - e.routeWord(b, L.ROUTE_PREF)) ||
    (e.routeWord(a, L.ROUTE_METRIC) - e.routeWord(b, L.ROUTE_METRIC)) || (e.routeWord(a, seq) - e.routeWord(b, seq));
}

function posOf(e: Entity, r: number, key: Key): RoutePos {
  const L = e.L;
  return { key, pref: e.routeWord(r, L.ROUTE_PREF), metric: e.routeWord(r, L.ROUTE_METRIC), seq: e.routeWord(r, K(e).ROUTE_SEQ) };
}

function afterPos(e: Entity, r: number, p: RoutePos): boolean {
  const L = e.L;
  const pref = e.routeWord(r, L.ROUTE_PREF);
  if (pref !== p.pref) return pref > p.pref;
  const metric = e.routeWord(r, L.ROUTE_METRIC);
  if (metric !== p.metric) return metric > p.metric;
  return e.routeWord(r, K(e).ROUTE_SEQ) > p.seq;
}

/**
 * The routes of destination d an enumeration over `views` sees, in route order: the live routes in
 * those views, or with views 0 every live route and every held route (§7.7 H4).
 */
export function enumRoutesOf(e: Entity, d: number, views: number): number[] {
  const t = e.table.core.t;
  const live = e.rtm.core.slotPages('destRoutes', (after) => e.x.destRoutes(t, d, after));
  if (views !== 0) return live.filter((r) => (e.routeWord(r, e.L.ROUTE_VIEWS) & views) !== 0);
  const k = K(e), NIL = e.rtm.core.NIL;
  let all = live;
  for (let v = 0; v < k.VIEW_COUNT; v++) {
    const held = records.destHeld(e.rtm.core, d, v);
    if (held !== NIL && !all.includes(held)) {
      if (all === live) all = [...live];
      all.push(held);
    }
  }
  if (all !== live) all.sort((a, c) => routeOrder(e, a, c));
  return all;
}

/** RtmGetEnumRoutes. */
export function getEnumRoutes(e: Entity, o: EnumGetOptions): EnumBatch<RouteHandle> {
  const op = 'getEnumRoutes';
  const c = enumCursor<RouteCursor>(e, o?.enumHandle, 'route', op);
  const count = countArg(e, o.count, op);
  const L = e.L, k = K(e);
  const found: { r: number; key: Key }[] = [];
  const visit = (d: number, key: Key): boolean => {
    const atLast = c.last !== undefined && keyEquals(key, c.last.key);
    for (const r of enumRoutesOf(e, d, c.views)) {
      if (c.own && e.routeWord(r, L.ROUTE_OWNER) !== e.slot) continue;
      if (!routeMatches(e.cx, r, c.criteria)) continue;
      if (atLast && (c.returned.has(e.handleOf(L.KIND_ROUTE, r)) || !afterPos(e, r, c.last!))) continue;
      found.push({ r, key });
      if (found.length > count) return false;
    }
    return true;
  };
  if (c.dest !== 0) {
    if (e.x.destFromHandle(e.table.core.t, c.dest) === 0) {
      const d = e.res(0);
      visit(d, destKey(e, d));
    }
  } else {
    // resume at the last destination itself: it may have routes after the last one returned
    const from = c.last ? c.last.key : c.start;
    walkDests(e, c, from, true, c.views === 0 ? k.QUAL_POPULATED : c.views, visit);
  }
  const picked = found.slice(0, count);
  const items = picked.map((f) => {
    const h = e.handleOf(L.KIND_ROUTE, f.r) as RouteHandle;
    e.take(h);
    return h;
  });
  if (picked.length > 0) {
    const lastF = picked[picked.length - 1];
    if (!c.last || !keyEquals(c.last.key, lastF.key)) c.returned = new Set();
    for (let i = 0; i < picked.length; i++) if (keyEquals(picked[i].key, lastF.key)) c.returned.add(items[i]);
    c.last = posOf(e, lastF.r, lastF.key);
  }
  return { items, done: found.length <= count };
}

// ── next hops ─────────────────────────────────────────────────────────────────────────────────────────

/** RtmCreateNextHopEnum (the caller's own next hops, D-46). */
export function createNextHopEnum(e: Entity, o: NextHopEnumOptions = {}): EnumHandle {
  const op = 'createNextHopEnum';
  const { range } = flagsArg(o.enumFlags, 0, op);
  const r = rangeOf(e, range, o.address, op);
  const cursor: NextHopCursor = { kind: 'nextHop', ...r, last: undefined };
  return registerEnum(e, cursor);
}

/** RtmGetEnumNextHops: by (address, interface), strictly after the last one returned. */
export function getEnumNextHops(e: Entity, o: EnumGetOptions): EnumBatch<NextHopHandle> {
  const op = 'getEnumNextHops';
  const c = enumCursor<NextHopCursor>(e, o?.enumHandle, 'nextHop', op);
  const count = countArg(e, o.count, op);
  const L = e.L, k = K(e), want = count + 1;
  const slots: number[] = [];
  let pos = c.last;
  for (;;) {
    const max = Math.min(want - slots.length, e.rtm.core.IO_BATCH_MAX);
    const len = keyIn(e, pos ? pos.key : c.start, 0);
    const rlen = c.range === ENUM_RANGE ? keyIn(e, c.start, 4) : k.NO_RANGE;
    check(e.x.nexthopListFrom(e.handle, len, pos ? pos.interfaceIndex : 0, pos ? 0 : 1, rlen, max), op);
    const got = outSlots(e);
    slots.push(...got);
    if (got.length < max || slots.length >= want) break;
    pos = nextHopPos(e, got[got.length - 1]);
  }
  const picked = slots.slice(0, count);
  const items = picked.map((s) => {
    const h = e.handleOf(L.KIND_NEXTHOP, s) as NextHopHandle;
    e.take(h);
    return h;
  });
  if (picked.length > 0) c.last = nextHopPos(e, picked[picked.length - 1]);
  return { items, done: slots.length <= count };
}

/** The (address, interface) position of next-hop slot s. */
function nextHopPos(e: Entity, s: number): { key: Key; interfaceIndex: number } {
  const words = new Uint32Array(4);
  const len = records.nextHopKeyInto(e.rtm.core, s, words);
  return { key: { words, len }, interfaceIndex: e.nhWord(s, e.L.NEXTHOP_IFINDEX) };
}
