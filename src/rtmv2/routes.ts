// Routes (spec §7.2, §8.4.2, §8.5.1–8.5.2, §8.6.4, §8.6.5): adding, updating and deleting an entity's
// routes, route information, and the arguments of the route-matching criteria of §8.8.4 (shared by
// RtmGetExactMatchRoute and route enumerations; the matching itself is the core's). The route records
// live in the core: one routeAddR / routeDeleteR / routeInfoR / routeFindX call does the work and takes
// or consumes the caller's references; this file validates, keeps the routes' EntitySpecificInfo beside
// the core records (Instance.routeEsi) and reads the result records through port/records.ts. Results
// allocate.
import { RtmError, RtmInternalError, STATUS, check, fmt } from '../errors.js';
import {
  INFINITE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_NEXTHOP, RTM_MATCH_OWNER, RTM_MATCH_PREF,
  RTM_VIEW_MASK_UCAST,
} from '../constants.js';
import { KEEP_TIMER } from '../layout.js';
import {
  type AddRecord, type DeleteResult, readAddRecord, readDeleteResult, readResult, readRouteRecord, routeDestSlot, routeStateOf, writeHandles, writeHopPair,
  writePrefixText,
} from '../port/records.js';
import type {
  AddRouteOptions, AddRouteResult, ExactMatchRouteOptions, ExactMatchRouteResult, RouteCriteria, RouteHandle,
  RouteInfo,
} from '../types.js';
import type { Ctx } from './context.js';
import { anyViewsArg, arrayArg, isNull, live, nullable, opts, prefixIn, routeArg, u32, u32Arg, unreadable } from './args.js';
import { dropAll, releaseHandles, take } from './refs.js';

/** Next hops a route may name (the core's MAX_HOPS_LIMIT; the profile's maxNextHopsInRoute is checked by the core). */
const MAX_HOPS = 256;
/** Where addRouteToDest / deleteRouteToDest read their call's results (one object each for every call, copied at once). */
const ADD_RECORD: AddRecord = { slot: 0, changeFlags: 0, ref: 0, route: 0, esiCheck: 0, signals: 0 };
const DELETE_RESULT: DeleteResult = { flags: 0, signals: 0, timers: 0 };
/** The EntitySpecificInfo of an instance that never stored one. */
const NO_ESI: readonly unknown[] = Object.freeze([]);
const MATCH_NEXTHOP = RTM_MATCH_NEXTHOP;
const MATCH_NEEDS_CRITERIA = RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR | RTM_MATCH_PREF | RTM_MATCH_NEXTHOP;

const EXACT_ROUTE_KEYS: readonly (keyof ExactMatchRouteOptions)[] = ['dest', 'views', 'matchFlags', 'criteria', 'interfaceIndex', 'returnHandle'];
const CRITERIA_KEYS: readonly (keyof RouteCriteria)[] = ['owner', 'neighbour', 'preference', 'metric', 'nextHops'];
const ROUTE_INFO_KEYS: readonly (keyof RouteInfo)[] = ['dest', 'owner', 'neighbour', 'nextHops'];

/** Handle of live slot `slot` of kind KIND_* (0 if the slot is free). */
export function handleOf(cx: Ctx, kind: number, slot: number): number {
  return cx.x.handleOfX(kind, slot);
}

/** After a core find: undefined for ERROR_NOT_FOUND, else (status checked) the handle of the slot it found (RES0). */
export function foundHandle(cx: Ctx, s: number, kind: number, op: string): number | undefined {
  if (s === STATUS.ERROR_NOT_FOUND) return undefined;
  check(s, op);
  return handleOf(cx, kind, readResult(cx.core, 0));
}

/** The state of route slot r (RTM_ROUTE_STATE_*). */
export function routeState(cx: Ctx, r: number): number {
  return routeStateOf(cx.core, r);
}

/** The destination handle of route slot r. */
export function routeDestHandle(cx: Ctx, r: number): number {
  return handleOf(cx, cx.L.KIND_DEST, routeDestSlot(cx.core, r));
}

// ── adding and deleting (§8.5.1, §8.5.2) ──────────────────────────────────────────────────────────────

/** A copy of an array's first n elements (arrayArg's loop: n as the array reported it). */
function copyHops(a: readonly unknown[], n: number): unknown[] {
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = a[i];
  return out;
}

/**
 * RtmAddRouteToDest (spec §8.5.1, §7.2), the hottest single call. Every option is read once, into
 * locals (named loads, cached per call site; no copy object), before anything acts; a getter that throws,
 * or a hostile Proxy, is ERROR_INVALID_PARAMETER with nothing changed. Up to two next hops are held in
 * locals and written straight into the I/O area (writeHopPair) (more are copied once, as arrayArg does); the input is
 * still read completely, and every check made, before the one core call changes anything.
 */
export function addRouteToDest(cx: Ctx, options: AddRouteOptions): AddRouteResult {
  const op = 'addRouteToDest';
  live(cx, op);
  if (!options || typeof options !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
  let dest: unknown, oRoute: unknown, oNeighbour: unknown, nextHops: unknown, oList: unknown, oPref: unknown,
    oMetric: unknown, oViews: unknown, oFlags: unknown, oFlags1: unknown, oChange: unknown, oTtl: unknown,
    oEsi: unknown, returnHandle: unknown, oKeep: unknown;
  try {
    const o = options;
    dest = o.dest; oRoute = o.route; oNeighbour = o.neighbour; nextHops = o.nextHops; oList = o.routeList;
    oPref = o.preference; oMetric = o.metric; oViews = o.views; oFlags = o.flags; oFlags1 = o.flags1;
    oChange = o.changeFlags; oTtl = o.timeToLive; oEsi = o.entitySpecificInfo; returnHandle = o.returnHandle;
    oKeep = (o as unknown as Record<symbol, unknown>)[KEEP_TIMER];
  } catch (err) {
    unreadable(err, op, 'an option');
  }
  // (route and routeList are usually absent: nullable is called only for a value, so that TurboFan's
  // inlining budget for this function goes to the calls every update makes: bench/ab/replayfcg.mjs)
  const route = oRoute === undefined ? 0 : nullable(oRoute, op), neighbour = nullable(oNeighbour, op);
  // next hops (arrayArg's rules): n ≤ 2 in h0 / h1, more copied into `more`
  let n = 0, h0: unknown, h1: unknown, more: unknown[] | undefined;
  if (nextHops !== undefined) {
    try {
      if (!Array.isArray(nextHops)) throw new RtmError('ERROR_INVALID_PARAMETER', op, `nextHops must be an array, got ${fmt(nextHops)}`);
      const a = nextHops as readonly unknown[], len = a.length;
      if (len === 1) { h0 = a[0]; n = 1; }
      else if (len === 2) { h0 = a[0]; h1 = a[1]; n = 2; }
      else if (len !== 0) { more = copyHops(a, len); n = more.length; }
    } catch (err) {
      unreadable(err, op, 'nextHops');
    }
  }
  const routeList = oList === undefined ? 0 : nullable(oList, op);
  const inst = cx.inst;
  let pref: number, metric: number, views: number, flags: number, flags1: number, changeIn: number, len: number, ttl: number;
  try {
    if (n > MAX_HOPS) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'too many next hops');
    // the u32 options checked in one expression (no call: the optimiser's inlining budget goes further);
    // when one fails, u32() on each in order throws the error of the first bad one
    // (undefined is the default; null is not a number: README "API at a glance" 5)
    const vPref = oPref === undefined ? 0 : oPref, vMetric = oMetric === undefined ? 0 : oMetric,
      vViews = oViews === undefined ? RTM_VIEW_MASK_UCAST : oViews, vFlags = oFlags === undefined ? 0 : oFlags,
      vFlags1 = oFlags1 === undefined ? 0 : oFlags1, vChange = oChange === undefined ? 0 : oChange,
      vTtl = oTtl === undefined ? INFINITE : oTtl;
    if (!(typeof vPref === 'number' && (vPref >>> 0) === vPref && typeof vMetric === 'number' && (vMetric >>> 0) === vMetric &&
      typeof vViews === 'number' && (vViews >>> 0) === vViews && typeof vFlags === 'number' && (vFlags >>> 0) === vFlags &&
      vFlags <= 0xffff && typeof vFlags1 === 'number' && (vFlags1 >>> 0) === vFlags1 && vFlags1 <= 0xff &&
      typeof vChange === 'number' && (vChange >>> 0) === vChange && typeof vTtl === 'number' && (vTtl >>> 0) === vTtl)) {
      badAddOptions(op, vPref, vMetric, vViews, vFlags, vFlags1, vChange, vTtl);
    }
    pref = vPref as number; metric = vMetric as number; views = vViews as number; flags = vFlags as number;
    flags1 = vFlags1 as number; changeIn = vChange as number; ttl = vTtl as number;
    if (pref === 0 && inst.options.defaultPreferences) {
      const d = inst.options.defaultPreferences[cx.protocolId];
      if (d !== undefined) pref = u32(d, 'defaultPreferences', op);
    }
    // prefix text straight into the I/O area (what prefixIn does; prefixIn itself for an RTM_NET_ADDRESS or a bad prefix)
    len = typeof dest === 'string' ? writePrefixText(cx.core, cx.family, dest) : -1;
    if (len < 0) len = prefixIn(cx, dest, op);
  } catch (e) {
    // spec D-05: an unresolvable handle is reported before a bad parameter
    const hops = more ?? (n === 0 ? [] : n === 1 ? [h0] : [h0, h1]);
    if (!handlesResolve(cx, route, neighbour, hops)) throw new RtmError('ERROR_INVALID_HANDLE', op, 'a handle does not resolve');
    throw e;
  }
  const c = cx.core, L = cx.L;
  if (more === undefined) {
    if (n !== 0) {
      if (typeof h0 !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'nextHops[0] is not a handle');
      if (n === 2 && typeof h1 !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'nextHops[1] is not a handle');
      writeHopPair(c, n, h0 as number, n === 2 ? h1 as number : 0);
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (typeof more[i] !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, `nextHops[${i}] is not a handle`);
    }
    writeHandles(c, more as number[]);
  }
  const now = inst.clock.now();   // given to the core by routeAddR itself (no setNow crossing)
  // deadline: ms; -1 = INFINITE (disarm); -2 = keep the current timer (internal, plain-unlock commits)
  const keep = oKeep === true;
  const deadline = keep ? -2 : ttl === INFINITE ? -1 : now + ttl;
  const esi = oEsi ?? null;
  // one crossing (records contract): the core decides "ESI changed" unless it asks us (REC_ADD_ESI_CHECK)
  const s = cx.x.routeAddR(cx.handle, len, route, neighbour, n, pref, metric, views, flags, flags1,
    changeIn, esi === null ? L.ESI_IN_NULL : L.ESI_IN_SET, deadline, routeList, returnHandle !== false ? 1 : 0, now);
  c.sentNow(now);
  if (s !== 0) check(s, op);
  // the record (REC_ADD_*): the route slot always; the handle only when one is returned (read in one
  // call, then copied: ADD_RECORD is shared by every call)
  readAddRecord(c, ADD_RECORD);
  const r = ADD_RECORD.slot, changeFlags = ADD_RECORD.changeFlags, signals = ADD_RECORD.signals, routeH = ADD_RECORD.route;
  let handle: RouteHandle | undefined;
  if (route) handle = route as RouteHandle;
  else if (ADD_RECORD.ref === 1) handle = routeH as RouteHandle;
  const esiList = inst.routeEsiIfAny;
  let touched = false;
  if (ADD_RECORD.esiCheck === 1 && !Object.is(esiList?.[r] ?? null, esi)) {
    cx.x.routeTouch(routeH);
    touched = true;
  }
  // only a value to keep, or one to clear, is written: routeEsi is indexed by route slot, and writing NULL
  // far past its end (a table loaded in a batch leaves the low slots unwritten) turns it into a slow
  // dictionary-mode array for every later access; reads treat a missing entry as NULL
  if (esi !== null || esiList?.[r] != null) inst.routeEsi[r] = esi;   // (the array is made by the first value kept)
  // RES_SIGNALS is routeAddR's: after a routeTouch (which may signal) the exported count is read instead
  if (touched) inst.afterChange(); else inst.afterChangeWith(signals);
  if (deadline >= 0) inst.armTimers();
  return { handle, changeFlags };
}

/** addRouteToDest's u32 options when one is bad: throws the error of the first bad one, in option order. */
function badAddOptions(op: string, pref: unknown, metric: unknown, views: unknown, flags: unknown, flags1: unknown,
  change: unknown, ttl: unknown): never {
  u32(pref, 'preference', op);
  u32(metric, 'metric', op);
  u32(views, 'views', op);
  u32(flags, 'flags', op, 0xffff);
  u32(flags1, 'flags1', op, 0xff);
  u32(change, 'changeFlags', op);
  u32(ttl, 'timeToLive', op);
  throw new RtmInternalError('addRouteToDest: an option failed its check but not u32()');
}

/** True if the route and neighbour (each NULL or a handle) and every next-hop handle resolve (D-05). */
export function handlesResolve(cx: Ctx, route: unknown, neighbour: unknown, hops: unknown): boolean {
  const nh = (h: unknown): boolean => typeof h === 'number' && cx.x.nexthopFromHandle(h) === 0;
  if (!isNull(route) && !(typeof route === 'number' && cx.x.routeFromHandle(route) === 0)) return false;
  if (!isNull(neighbour) && !nh(neighbour)) return false;
  return Array.isArray(hops) && hops.every(nh);
}

/** RtmDeleteRouteToDest: consumes one of the caller's references (if any); returns the change flags. */
export function deleteRouteToDest(cx: Ctx, route: RouteHandle): number {
  const op = 'deleteRouteToDest';
  live(cx, op);
  const inst = cx.inst, c = cx.core, now = inst.clock.now();
  // consumes the caller's reference, if any; the time goes with the call (no setNow crossing)
  const s = cx.x.routeDeleteR(cx.handle, nullable(route, op), now);
  c.sentNow(now);
  if (s !== 0) check(s, op);
  // the result registers in one call (a res() per register was a call each), copied: DELETE_RESULT is shared
  readDeleteResult(c, DELETE_RESULT);
  const flags = DELETE_RESULT.flags, timers = DELETE_RESULT.timers;
  inst.afterChangeWith(DELETE_RESULT.signals);
  // the last route of a destination with hold-down starts its hold (real clock): re-armed unless the
  // table had no timer entry before or after the call (RES_TIMERS 0: nothing to arm, nothing moved)
  if (timers !== 0) inst.armTimers();
  return flags;
}

// ── information (§8.4.2) ──────────────────────────────────────────────────────────────────────────────

/** RtmGetRouteInfo: a copy of the route (any state); handles inside referenced. */
export function getRouteInfo(cx: Ctx, route: RouteHandle): RouteInfo {
  const op = 'getRouteInfo';
  live(cx, op);
  if (typeof route !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route handle');
  return routeInfoOf(cx, route, op);
}

/** The RouteInfo of a route handle of the caller's table (one routeInfoR call), its handles referenced for the caller. */
export function routeInfoOf(cx: Ctx, route: number, op: string): RouteInfo {
  check(cx.x.routeInfoR(cx.handle, route), op);
  return readRouteRecord(cx.core, cx.family, cx.inst.routeEsiIfAny ?? NO_ESI).info;
}

/** RtmReleaseRouteInfo. */
export function releaseRouteInfo(cx: Ctx, info: RouteInfo): void {
  const op = 'releaseRouteInfo';
  live(cx, op);
  if (info === null || typeof info !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'info must be a RouteInfo');
  const i = opts<RouteInfo>(info, ROUTE_INFO_KEYS, op);
  dropAll(cx, [i.dest, i.owner, i.neighbour, ...arrayArg<number>(i.nextHops, 'nextHops', op, 0x7fffffff, [])], op);
}

/** RtmReleaseRoutes. */
export function releaseRoutes(cx: Ctx, routes: readonly RouteHandle[]): void {
  releaseHandles(cx, routes, 'releaseRoutes', cx.L.KIND_ROUTE);
}

/** RtmIsBestRoute: views in which the route is best (0 for deleted or held routes). */
export function isBestRoute(cx: Ctx, route: RouteHandle): number {
  const op = 'isBestRoute';
  live(cx, op);
  routeArg(cx, route, op);
  cx.x.routeFromHandle(route);
  return readResult(cx.core, 2);
}

// ── matching criteria (§8.6.5, §8.8.4): the rule itself is the core's (routeMatchesCriteria) ─────────

/**
 * Matching criteria as the core takes them: handles as numbers (0 = NULL; a value that is no number
 * becomes NaN, which names nothing and so matches nothing), preference and metric compared by value.
 */
export interface Criteria {
  readonly flags: number;
  readonly owner: number;
  readonly neighbour: number;
  readonly preference: number;
  readonly metric: number;
  readonly nextHops: readonly number[];
  readonly interfaceIndex: number;
}

/** A criterion value: undefined / null → 0, a number as it is, anything else NaN. */
function crit(v: unknown): number {
  return v === undefined || v === null ? 0 : typeof v === 'number' ? v : NaN;
}

/** Matching arguments: criteria are required by OWNER, NEIGHBOUR, PREF and NEXTHOP. */
export function criteriaArg(o: { matchFlags?: unknown; criteria?: unknown; interfaceIndex?: unknown }, op: string): Criteria {
  const flags = u32Arg(o.matchFlags, 0, 'matchFlags', op);
  const raw = o.criteria;
  if ((flags & MATCH_NEEDS_CRITERIA) !== 0 && (raw === undefined || raw === null || typeof raw !== 'object')) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'matchFlags need criteria');
  }
  const c = raw !== null && typeof raw === 'object' ? opts<RouteCriteria>(raw, CRITERIA_KEYS, op) : {};
  const interfaceIndex = u32Arg(o.interfaceIndex, 0, 'interfaceIndex', op);
  const hops = c.nextHops === undefined ? [] : arrayArg<unknown>(c.nextHops, 'criteria.nextHops', op).map(crit);
  return {
    flags: flags & 0x1f, owner: crit(c.owner), neighbour: crit(c.neighbour), preference: crit(c.preference),
    metric: crit(c.metric), nextHops: hops, interfaceIndex,
  };
}

/**
 * Writes the criterion next hops (with RTM_MATCH_NEXTHOP) into the I/O area; returns how many.
 * @throws ERROR_INVALID_PARAMETER above the core's CRIT_HOPS_MAX
 */
export function criteriaIn(cx: Ctx, m: Criteria, op = 'criteria'): number {
  if ((m.flags & MATCH_NEXTHOP) === 0) return 0;
  const max = cx.L.CRIT_HOPS_MAX;
  if (m.nextHops.length > max) throw new RtmError('ERROR_INVALID_PARAMETER', op, `at most ${max} criterion next hops`);
  writeHandles(cx.core, m.nextHops);
  return m.nextHops.length;
}

/** RtmGetExactMatchRoute: the first route (route order) of the destination in the views matching the criteria. */
export function getExactMatchRoute(cx: Ctx, options: ExactMatchRouteOptions): ExactMatchRouteResult | undefined {
  const op = 'getExactMatchRoute';
  live(cx, op);
  const o = opts<ExactMatchRouteOptions>(options, EXACT_ROUTE_KEYS, op);
  const matchFlags = u32Arg(o.matchFlags, 0, 'matchFlags', op);
  const views = anyViewsArg(cx, o.views, op);
  const m = criteriaArg({ ...o, matchFlags }, op);
  const len = prefixIn(cx, o.dest, op);
  const nHops = criteriaIn(cx, m, op);
  const s = cx.x.routeFindX(cx.handle, len, views, m.flags, m.owner, m.neighbour, m.preference, m.metric, nHops, m.interfaceIndex);
  const rh = foundHandle(cx, s, cx.L.KIND_ROUTE, op) as RouteHandle | undefined;
  if (rh === undefined) return undefined;
  const info = routeInfoOf(cx, rh, op);
  let handle: RouteHandle | undefined;
  if (o.returnHandle !== false) { handle = rh; take(cx, handle); }
  return { handle, info };
}
