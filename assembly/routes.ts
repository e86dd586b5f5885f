// Routes and the per-destination best-route machinery. Each destination keeps its live routes in a
// chain sorted by (preference, metric, creation seq) — spec §7.1 B6; the best route of view v is the
// first live route in v, except that a tied incumbent stays best (B4). Every add/update/delete
// classifies what changed per view (spec §7.8.2: ALL / BEST / FORWARDING) into `fired` (3 bits per
// view), which drives RTM_ROUTE_CHANGE_BEST. Presence (spec §7.4, D-24): a destination lives while
// route records, marks, opaque slots or queued changes pin it, or clients reference it.
// Costs: O(routes of the destination) per change. Allocation: a route record; a hop array (a block,
// routeHopsReserve) beyond one next hop; an extra record (ROUTEX_*, routeXReserve) while in a list or timed,
// or with a neighbour other than its next hop, flags, or a preference-and-metric pair without a packed form.
import {
  NIL, SLAB_ROUTE, SLAB_DEST, ROUTE_WORDS, ROUTE_END, NEXTHOP_OWNER, ROUTE_PM, ROUTE_PM_X, ROUTE_PM_PREF_SHIFT, ROUTE_PM_PREF_LIMIT, ROUTE_PM_METRIC_MASK, ROUTE_PM_B, ROUTE_PM_B_PREF_MIN, ROUTE_PM_B_HI_SHIFT,
  ROUTE_PM_B_LO_SHIFT, ROUTE_PM_B_LO_MASK, ROUTE_PM_B_METRIC_MASK, ROUTEX_PREF, ROUTEX_METRIC, ROUTE_NBHOP_BIT, ROUTEX_NEIGHBOUR,
  ROUTE_GEN, ROUTE_VIEWS, ROUTE_STATE, ROUTE_STATE_MASK, ROUTEX_FLAGS, ROUTE_NEXT, ROUTE_SEQ, ROUTE_NHCOUNT, ROUTE_NH, ROUTE_X_BIT,
  ROUTE_VIEWS_MASK, ROUTE_NHCOUNT_SHIFT, ROUTE_NHCOUNT_MASK, ROUTE_ESI, ROUTE_ESI_SHIFT, ROUTE_ESI_MASK, SLAB_ROUTEX, ROUTEX_WORDS, ROUTEX_ROUTE, ROUTEX_LIST, ROUTEX_LSEQ,
  ROUTE_REFS_SHIFT, ROUTE_REFS_MAX, ROUTE_STATE_CREATED, ROUTE_STATE_DELETED, ROUTE_STATE_SHIFT, ROUTE_FLAGS1_SHIFT,
  DEST_ROUTES, DESTX_HELD, DEST_STATE, DEST_KEEPS_MASK, DEST_REFS_SHIFT, DEST_REFS_MAX, DEST_PINS_SHIFT, DEST_PINS_BITS, DEST_CHANGED, TABLE_VIEWS, SLAB_DESTX,
  DEST_S_LIVE, DEST_S_HELD, VIEW_COUNT, TABLE_ROUTES, TABLE_SEQ, ENTITY_ROUTES, ROUTE_FLAGS_FORWARDING,
  FIRED_ALL, FIRED_BEST, FIRED_FWD, ROUTE_STATE_DELETING, DESTX_HOLD_VIEWS, DESTX_HOLD_MS,
  DESTX_HEAPPOS, DEST_KEEPS, ENTITY_PROTO, ENTITY_TABLE, ROUTEX_HEAPPOS, KIND_DEST, KIND_ROUTE,
} from './layout';
import { slabAlloc, slabAllocK, slabFree, recPtr, slabIsAlive, slabReserve, slabLive } from './slab';
import { tableGet, tableSet } from './tables';
import { destTable, destGet, destSet, destSetState, destRemove, destDetach, destPtr, destXGet, destXSet, destBest, destSetBest, destSetBest0, destPins,
  destXReserve, destXReserveN, destHasX, chainNext } from './dests';
import { XI_ROUTE, xiGet, xiPut, xiDelete, xiReserve, xiRoom } from './xindex';
import { entityGet, entitySet, nhGet, nhIref, entityOwned } from './entities';
import { notifyChange } from './notify';
import { timerClear, timerReserve, timerSet, TIMER_HOLD } from './timers';
import { listUnlink } from './lists';
import { blockAlloc, blockFree, blockReserve } from './blocks';
import { refsHeld } from './refs';

// ── route accessors ─────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline export function routePtr(r: u32): usize { return recPtr(SLAB_ROUTE, r, ROUTE_WORDS); }
// @ts-ignore: decorator
@inline export function routeGet(r: u32, w: u32): u32 { return load<u32>(routePtr(r) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function routeSet(r: u32, w: u32, v: u32): void { store<u32>(routePtr(r) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function routeState(r: u32): u32 { return (routeGet(r, ROUTE_STATE) >>> ROUTE_STATE_SHIFT) & ROUTE_STATE_MASK; }
// @ts-ignore: decorator
@inline export function routeLive(r: u32): bool { return routeState(r) == ROUTE_STATE_CREATED; }
// @ts-ignore: decorator
@inline function setRouteState(r: u32, s: u32): void {
  routeSet(r, ROUTE_STATE, (routeGet(r, ROUTE_STATE) & ~(ROUTE_STATE_MASK << ROUTE_STATE_SHIFT)) | (s << ROUTE_STATE_SHIFT));
}
/**
 * The slot of route r's extra record found through the owner's table (routeTableByOwner, O(1); routeX
 * walks to the chain's end). r must have one (ROUTE_X_BIT), and its word ROUTE_NH must be as its record
 * says: every reader reads before or after a change of r's next hops, never between (routeApply reads the
 * old flags and preference first).
 */
// @ts-ignore: decorator
@inline function routeXByOwner(r: u32): u32 {
  let x = xiGet(routeTableByOwner(r), XI_ROUTE, r);
  assert(x != NIL); // ROUTE_X_BIT: the owner's table indexes r's extra record
  return x;
}
/**
 * Route r's Flags | Flags1 << ROUTE_FLAGS1_SHIFT (layout: no flags word; an extra word, 0 without an
 * extra record: one bit test for the routes of the batch paths and real tables, which have none).
 */
// @ts-ignore: decorator
@inline export function routeFlagsWord(r: u32): u32 {
  if (!routeHasX(r)) return 0;
  return load<u32>(routeXPtr(routeXByOwner(r)) + (<usize>ROUTEX_FLAGS << 2));
}
/**
 * The packed word of (pref, metric) (layout ROUTE_PM: the first form, else the second), or ROUTE_PM_X when
 * the pair has neither. The one home of the encoding: a pair that has a packed form is always stored so.
 */
// @ts-ignore: decorator
@inline export function pmPack(pref: u32, metric: u32): u32 {
  if (pref < ROUTE_PM_PREF_LIMIT && metric <= ROUTE_PM_METRIC_MASK) return (pref << ROUTE_PM_PREF_SHIFT) | metric;
  if (pref >= ROUTE_PM_B_PREF_MIN && (pref & 0xffff) <= ROUTE_PM_B_LO_MASK && metric <= ROUTE_PM_B_METRIC_MASK) {
    return ROUTE_PM_B | (((pref >>> 16) & 0xfff) << ROUTE_PM_B_HI_SHIFT) | ((pref & 0xffff) << ROUTE_PM_B_LO_SHIFT) | metric;
  }
  return ROUTE_PM_X;
}
/** True if (pref, metric) has a packed form (no extra record for it). */
// @ts-ignore: decorator
@inline export function pmInline(pref: u32, metric: u32): bool { return pmPack(pref, metric) != ROUTE_PM_X; }
/** The preference of packed word w (not ROUTE_PM_X). */
// @ts-ignore: decorator
@inline function pmPref(w: u32): u32 {
  if ((w & ROUTE_PM_B) == 0) return w >>> ROUTE_PM_PREF_SHIFT;
  return ROUTE_PM_B_PREF_MIN | (((w >>> ROUTE_PM_B_HI_SHIFT) & 0xfff) << 16) | ((w >>> ROUTE_PM_B_LO_SHIFT) & ROUTE_PM_B_LO_MASK);
}
/** The metric of packed word w (not ROUTE_PM_X). */
// @ts-ignore: decorator
@inline function pmMetric(w: u32): u32 { return w & ((w & ROUTE_PM_B) == 0 ? ROUTE_PM_METRIC_MASK : ROUTE_PM_B_METRIC_MASK); }
/** RTM_PREF_INFO Preference of route r (word ROUTE_PM, or its extra word with ROUTE_PM_X). */
// @ts-ignore: decorator
@inline export function routePref(r: u32): u32 {
  let w = routeGet(r, ROUTE_PM);
  return (w & ROUTE_PM_X) == 0 ? pmPref(w) : load<u32>(routeXPtr(routeXByOwner(r)) + (<usize>ROUTEX_PREF << 2));
}
/** RTM_PREF_INFO Metric of route r (word ROUTE_PM, or its extra word with ROUTE_PM_X). */
// @ts-ignore: decorator
@inline export function routeMetric(r: u32): u32 {
  let w = routeGet(r, ROUTE_PM);
  return (w & ROUTE_PM_X) == 0 ? pmMetric(w) : load<u32>(routeXPtr(routeXByOwner(r)) + (<usize>ROUTEX_METRIC << 2));
}
/** True if route r's preference and metric are (pref, metric). */
// @ts-ignore: decorator
@inline export function routePMIs(r: u32, pref: u32, metric: u32): bool {
  let w = routeGet(r, ROUTE_PM);
  if ((w & ROUTE_PM_X) == 0) return w == pmPack(pref, metric);   // (a pair with a packed form is stored so)
  return routePref(r) == pref && routeMetric(r) == metric;
}
/** True if routes a and b have the same preference and metric. */
// @ts-ignore: decorator
@inline export function routePMSame(a: u32, b: u32): bool {
  let wa = routeGet(a, ROUTE_PM), wb = routeGet(b, ROUTE_PM);
  if (((wa | wb) & ROUTE_PM_X) == 0) return wa == wb;
  return routePref(a) == routePref(b) && routeMetric(a) == routeMetric(b);
}
/**
 * Sets route r's preference and metric: word ROUTE_PM, or for a pair without a packed form ROUTE_PM_X and
 * the extra words (the extra record allocated for them: the caller reserved it, routeXReserve /
 * routeXReserveN; freed when a packed pair comes back and nothing else is in it). r's link must name its
 * destination's chain or destination (routeXSet finds the table through it); r is in no chain (its
 * place depends on the pair).
 */
// @ts-ignore: decorator
@inline export function setRoutePM(r: u32, pref: u32, metric: u32): void {
  let w = pmPack(pref, metric);
  if (w != ROUTE_PM_X && (routeGet(r, ROUTE_PM) & ROUTE_PM_X) == 0) routeSet(r, ROUTE_PM, w);
  else setRoutePMSlow(r, pref, metric, w);
}
/** setRoutePM when the pair (packed: w) or the one it replaces needs the extra record. */
function setRoutePMSlow(r: u32, pref: u32, metric: u32, w: u32): void {
  routeSet(r, ROUTE_PM, w);
  if (w == ROUTE_PM_X) {
    // both words at once: an escaped pair is never (0, 0), so the record is never idle in between
    let p = routeXEnsure(r);
    store<u32>(p + (<usize>ROUTEX_PREF << 2), pref);
    store<u32>(p + (<usize>ROUTEX_METRIC << 2), metric);
  } else if (routeHasX(r)) {
    let p = routeXPtr(routeX(r));
    store<u32>(p + (<usize>ROUTEX_PREF << 2), 0);
    store<u32>(p + (<usize>ROUTEX_METRIC << 2), 0);
    routeXTidy(r);
  }
}
/** routePref / routeMetric for the facade (port records.ts routePrefOf / routeMetricOf: the second form and ROUTE_PM_X). */
export function routePrefOf(r: u32): u32 { return routePref(r); }
export function routeMetricOf(r: u32): u32 { return routeMetric(r); }
/** RTM_ROUTE_INFO Flags of route r. */
// @ts-ignore: decorator
@inline export function routeFlags16(r: u32): u32 { return routeFlagsWord(r) & 0xffff; }
/**
 * Sets route r's Flags (flags16 ≤ 0xffff) and Flags1 (≤ 0xff): its extra record is allocated for the first
 * non-zero value (the caller reserved it: routeXReserve, routeXReserveN) and freed when nothing else is in it.
 * r's link must name its destination's chain or destination (routeXSet finds the table through it).
 */
export function setRouteFlags(r: u32, flags16: u32, flags1: u32): void {
  routeXSet(r, ROUTEX_FLAGS, (flags16 & 0xffff) | ((flags1 & 0xff) << ROUTE_FLAGS1_SHIFT));
}
/** routeFlagsWord for the facade (port records.ts routeFlagsOf: the committed fields of a locked route). */
export function routeFlagsOf(r: u32): u32 { return routeFlagsWord(r); }

// @ts-ignore: decorator
@inline export function routeViews(r: u32): u32 { return routeGet(r, ROUTE_VIEWS) & ROUTE_VIEWS_MASK; }
/** Sets route r's views, keeping the other fields of the views word. */
// @ts-ignore: decorator
@inline function setRouteViews(r: u32, views: u32): void {
  routeSet(r, ROUTE_VIEWS, (routeGet(r, ROUTE_VIEWS) & ~ROUTE_VIEWS_MASK) | (views & ROUTE_VIEWS_MASK));
}
/** Route r's next-hop count (layout ROUTE_NHCOUNT). */
// @ts-ignore: decorator
@inline export function routeNhCount(r: u32): u32 { return (routeGet(r, ROUTE_NHCOUNT) >>> ROUTE_NHCOUNT_SHIFT) & ROUTE_NHCOUNT_MASK; }
// @ts-ignore: decorator
@inline function setRouteNhCount(r: u32, n: u32): void {
  routeSet(r, ROUTE_NHCOUNT, (routeGet(r, ROUTE_NHCOUNT) & ~(ROUTE_NHCOUNT_MASK << ROUTE_NHCOUNT_SHIFT)) | (n << ROUTE_NHCOUNT_SHIFT));
}
/**
 * Route r's owner entity (layout: no owner word). Word ROUTE_NH names it: the owner of the next hop
 * there (the one next hop, or the neighbour alone) or of the hop array's first, else — no next hop and
 * no neighbour in the word — the owner's slot itself.
 */
// @ts-ignore: decorator
@inline export function routeOwner(r: u32): u32 {
  let w = routeGet(r, ROUTE_VIEWS), x = routeGet(r, ROUTE_NH);
  let n = (w >>> ROUTE_NHCOUNT_SHIFT) & ROUTE_NHCOUNT_MASK;
  if (n > 1) x = load<u32>(<usize>x);
  else if (n == 0 && (w & ROUTE_NBHOP_BIT) == 0) return x;
  return nhGet(x, NEXTHOP_OWNER);
}
/** Route r's EntitySpecificInfo state (ROUTE_ESI_*; layout ROUTE_ESI). */
// @ts-ignore: decorator
@inline export function routeEsi(r: u32): u32 { return (routeGet(r, ROUTE_ESI) >>> ROUTE_ESI_SHIFT) & ROUTE_ESI_MASK; }
// @ts-ignore: decorator
@inline export function setRouteEsi(r: u32, esi: u32): void {
  routeSet(r, ROUTE_ESI, (routeGet(r, ROUTE_ESI) & ~(ROUTE_ESI_MASK << ROUTE_ESI_SHIFT)) | ((esi & ROUTE_ESI_MASK) << ROUTE_ESI_SHIFT));
}

// ── the extra record (layout ROUTEX_*) ────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline export function routeXPtr(x: u32): usize { return recPtr(SLAB_ROUTEX, x, ROUTEX_WORDS); }
/** Default of extra word w: what a route without an extra record reads. */
// @ts-ignore: decorator
@inline export function routeXDefault(w: u32): u32 { return w == ROUTEX_LSEQ || w >= ROUTEX_FLAGS ? 0 : NIL; }

/** True if route r has an extra record (layout ROUTE_X_BIT). */
// @ts-ignore: decorator
@inline export function routeHasX(r: u32): bool { return (routeGet(r, ROUTE_VIEWS) & ROUTE_X_BIT) != 0; }

/** The slot of r's extra record (SLAB_ROUTEX), NIL for none: the extra index answers when r's bit says it has one. */
// @ts-ignore: decorator
@inline export function routeX(r: u32): u32 { return routeHasX(r) ? xiGet(routeTable(r), XI_ROUTE, r) : NIL; }

/** Extra word w of route r (ROUTEX_*), or its default when r has no extra record. */
// @ts-ignore: decorator
@inline export function routeXGet(r: u32, w: u32): u32 {
  let x = routeX(r);
  return x == NIL ? routeXDefault(w) : load<u32>(routeXPtr(x) + (<usize>w << 2));
}

/** Extra word w of route r (ROUTEX_*), or its default: routeXGet for the facade (port records.ts). */
export function routeXWord(r: u32, w: u32): u32 { return routeXGet(r, w); }

/** Route r's owner entity slot: routeOwner for the facade (table.ts routeSummaryOf). */
export function routeOwnerOf(r: u32): u32 { return routeOwner(r); }

/**
 * Route r's destination (layout: no destination word): the end of its links — ROUTE_END | the
 * destination on the chain's last route, and on a route in no chain (held, DELETED). O(the routes after
 * r in the chain).
 */
// @ts-ignore: decorator
@inline export function routeDest(r: u32): u32 {
  let x = routeGet(r, ROUTE_NEXT);
  for (let k: u32 = 0; (x & ROUTE_END) == 0; k++) {
    if (k == DEST_HINT_AFTER) return routeDestFar(r, x);   // a long chain: the hints first
    x = routeGet(x, ROUTE_NEXT);
  }
  return x & ~ROUTE_END;
}

// Destination hints for routes far from their chain's end (a destination with many routes: a route
// server's): direct-mapped by route slot, an entry (route slot, the route's generation word when
// remembered, destination slot; 12 bytes) is used only while the slot holds the same record — a route's
// destination never changes, and every free bumps the slot's generation (slab.ts) — so it is never wrong,
// only missing. routeDest asks them after DEST_HINT_AFTER links.
const DEST_HINT_AFTER: u32 = 16;
const DEST_HINT_BITS: u32 = 12;
const DEST_HINTS: usize = memory.data(<i32>((1 << DEST_HINT_BITS) * 12), 16);

/** routeDest of route r whose walk has reached link x (not its end) after DEST_HINT_AFTER links. */
function routeDestFar(r: u32, x: u32): u32 {
  let p = DEST_HINTS + <usize>((r * 0x9e3779b1) >>> (32 - DEST_HINT_BITS)) * 12;
  let gen = routeGet(r, ROUTE_GEN);
  if (load<u32>(p) == r && load<u32>(p, 4) == gen) return load<u32>(p, 8);
  while ((x & ROUTE_END) == 0) x = routeGet(x, ROUTE_NEXT);
  let d = x & ~ROUTE_END;
  store<u32>(p, r); store<u32>(p, gen, 4); store<u32>(p, d, 8);
  return d;
}

/** Route r's destination slot: routeDest for the facade (port records.ts routeDestSlot). */
export function routeDestOf(r: u32): u32 { return routeDest(r); }

/** The table of route r (through its destination). */
// @ts-ignore: decorator
@inline export function routeTable(r: u32): u32 { return destTable(routeDest(r)); }

/**
 * The table of route r through its owner: O(1), where routeTable walks to the chain's end (a handle's
 * check, a reference taken or dropped). Only for a route whose word ROUTE_NH is as its record says — not
 * between a change's drop of its old next hops and setHops.
 */
// @ts-ignore: decorator
@inline export function routeTableByOwner(r: u32): u32 { return entityGet(routeOwner(r), ENTITY_TABLE); }

/**
 * Makes sure n routes of table t without an extra record can be given one: a free record and a place in
 * t's extra index each.
 */
export function routeXReserveN(t: u32, n: u32): bool { return slabReserve(SLAB_ROUTEX, n) && xiReserve(t, XI_ROUTE, n); }

/** Makes sure the next routeXSet of route r cannot fail: true if r has its extra record or one can be given. */
export function routeXReserve(r: u32): bool { return routeHasX(r) || routeXReserveN(routeTable(r), 1); }

/**
 * Makes sure a change that may put a route of table t into view 1 (`views`, masked by the table's) of
 * destination d (NIL: one the change creates) can give d the extra record its view-1 best route lives in
 * (layout DESTX_BEST1): true when view 1 is not asked for, d has the record, or one can be given.
 */
// @ts-ignore: decorator
@inline export function routeViewsReserve(t: u32, d: u32, views: u32): bool {
  if ((views & tableGet(t, TABLE_VIEWS) & 2) == 0) return true;
  return d == NIL ? destXReserveN(t, 1) : destXReserve(d);
}

/** True if extra record x has every extra word at its default. */
function routeXIdle(x: u32): bool {
  let p = routeXPtr(x);
  for (let w: u32 = 1; w < ROUTEX_WORDS; w++) if (load<u32>(p + (<usize>w << 2)) != routeXDefault(w)) return false;
  return true;
}

/**
 * Sets extra word w of live route r: allocates the extra record on the first non-default value (the
 * caller reserved it, routeXReserve) and frees it when every word is back at its default.
 */
// @ts-ignore: decorator
@inline export function routeXSet(r: u32, w: u32, v: u32): void {
  let x = routeX(r);
  if (x != NIL && v != routeXDefault(w)) store<u32>(routeXPtr(x) + (<usize>w << 2), v);   // the common case
  else routeXSetSlow(r, w, v);
}

/** routeXSet when r has no extra record or v is w's default (an allocation or a free may follow). */
function routeXSetSlow(r: u32, w: u32, v: u32): void {
  if (!routeHasX(r) && v == routeXDefault(w)) return;
  store<u32>(routeXEnsure(r) + (<usize>w << 2), v);
  if (v == routeXDefault(w)) routeXTidy(r);
}

/** Byte address of route r's extra record, allocated if it has none (caller: routeXReserve). */
export function routeXEnsure(r: u32): usize {
  let x = routeX(r);
  if (x == NIL) {
    let t = routeTable(r);
    // routeXReserve came before the operation's first change: a free record, and room in the index
    if (!xiRoom(t, XI_ROUTE)) unreachable();
    x = slabAlloc(SLAB_ROUTEX);
    if (x == NIL) unreachable();
    let p = routeXPtr(x);
    for (let k: u32 = 1; k < ROUTEX_WORDS; k++) store<u32>(p + (<usize>k << 2), routeXDefault(k));
    store<u32>(p + (<usize>ROUTEX_ROUTE << 2), r);
    xiPut(t, XI_ROUTE, r, x);
    routeSet(r, ROUTE_VIEWS, routeGet(r, ROUTE_VIEWS) | ROUTE_X_BIT);
  }
  return routeXPtr(x);
}

/** Frees route r's extra record if every extra word is back at its default. */
export function routeXTidy(r: u32): void {
  let x = routeX(r);
  if (x != NIL && routeXIdle(x)) routeXDrop(r);
}

/** Frees route r's extra record whatever its words (route free, teardown): out of the extra index, ROUTE_X_BIT clear. */
export function routeXDrop(r: u32): void {
  let x = routeX(r);
  if (x == NIL) return;
  slabFree(SLAB_ROUTEX, x);
  xiDelete(routeTable(r), XI_ROUTE, r);
  routeSet(r, ROUTE_VIEWS, routeGet(r, ROUTE_VIEWS) & ~ROUTE_X_BIT);
}

/**
 * Debug: extra record x is one a route links to (back link and forward link agree), not idle; it holds
 * a preference and metric exactly when the route's word ROUTE_PM says so (ROUTE_PM_X), and then a pair
 * without a packed form; a route that is not live holds only its neighbour, flags, preference and
 * metric there (no list, no timer).
 */
export function routeXValid(x: u32): bool {
  let r = load<u32>(routeXPtr(x) + (<usize>ROUTEX_ROUTE << 2));
  if (!slabIsAlive(SLAB_ROUTE, r) || routeX(r) != x || routeXIdle(x)) return false;
  let p = routeXPtr(x);
  let xp = load<u32>(p + (<usize>ROUTEX_PREF << 2)), xm = load<u32>(p + (<usize>ROUTEX_METRIC << 2));
  if ((routeGet(r, ROUTE_PM) & ROUTE_PM_X) != 0 ? pmPack(xp, xm) != ROUTE_PM_X : (xp | xm) != 0) return false;
  return routeLive(r) || (load<u32>(p + (<usize>ROUTEX_LIST << 2)) == NIL && load<u32>(p + (<usize>ROUTEX_HEAPPOS << 2)) == NIL);
}

// ── the neighbour (layout ROUTE_NBHOP_BIT) ───────────────────────────────────────────────────────────

/** Route r's neighbour (a next-hop slot) or NIL: word ROUTE_NH (ROUTE_NBHOP_BIT), else its extra word. */
// @ts-ignore: decorator
@inline export function routeNeighbour(r: u32): u32 {
  if ((routeGet(r, ROUTE_VIEWS) & ROUTE_NBHOP_BIT) != 0) return routeGet(r, ROUTE_NH);
  return routeXGet(r, ROUTEX_NEIGHBOUR);
}

/** True if neighbour nb of a route whose next hops are (n at `hops`) needs the extra record. */
// @ts-ignore: decorator
@inline export function neighbourNeedsX(nb: u32, hops: usize, n: u32): bool {
  return nb != NIL && (n > 1 || (n == 1 && load<u32>(hops) != nb));
}

/**
 * Sets live route r's neighbour after its next hops are set (setHops, which left the owner e in word
 * ROUTE_NH when there are none): in word ROUTE_NH (the bit) when nb is its one next hop or it has none,
 * else the extra word (allocated for a neighbour other than NIL: the caller reserved it, routeXReserve).
 */
// @ts-ignore: decorator
@inline function setRouteNeighbour(r: u32, nb: u32): void {
  let w = routeGet(r, ROUTE_VIEWS), n = (w >>> ROUTE_NHCOUNT_SHIFT) & ROUTE_NHCOUNT_MASK;   // the count shares the views word
  let hasX = (w & ROUTE_X_BIT) != 0;
  // (with one next hop, word ROUTE_NH holds it: the "array" neighbourNeedsX reads is that word)
  if (nb != NIL && !neighbourNeedsX(nb, routePtr(r) + (<usize>ROUTE_NH << 2), n)) {
    if (n == 0) routeSet(r, ROUTE_NH, nb);
    routeSet(r, ROUTE_VIEWS, w | ROUTE_NBHOP_BIT);
    if (hasX) routeXSet(r, ROUTEX_NEIGHBOUR, NIL);
  } else {
    routeSet(r, ROUTE_VIEWS, w & ~ROUTE_NBHOP_BIT);
    if (hasX || nb != NIL) routeXSet(r, ROUTEX_NEIGHBOUR, nb);
  }
}

/** Route extra records in use, every table. */
export function routeExtraCount(): u32 { return slabLive(SLAB_ROUTEX); }

/** Next hop i of route r (i < count). */
export function routeHop(r: u32, i: u32): u32 {
  let n = routeNhCount(r);
  assert(i < n); // caller iterates below the count
  return n == 1 ? routeGet(r, ROUTE_NH) : load<u32>(<usize>routeGet(r, ROUTE_NH) + (<usize>i << 2));
}

/** The clock, in ms, for LastChanged (set by the facade before mutating calls). */
export let nowMs: f64 = 0;
export function setNowMs(ms: f64): void { nowMs = ms; }

/** Change types fired by the last operation: FIRED_* << (3 × view id). */
export let fired: u32 = 0;

/**
 * Route order (spec §7.1 B6), the one definition: lower preference first, then lower metric, then the
 * older route (lower creation seq; unique per table, so two routes never tie). Compares positions
 * (preference, metric, seq) a and b as a comparator: < 0 when a comes first, 0 only for equal positions.
 * A destination's chain is kept in this order (chainInsert); enumerations return routes in it (enums.ts).
 */
export function routeOrderCompare(pa: u32, ma: u32, sa: u32, pb: u32, mb: u32, sb: u32): i32 {
  if (pa != pb) return pa < pb ? -1 : 1;
  if (ma != mb) return ma < mb ? -1 : 1;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Route order of route a against the position (pref, metric, seq): < 0 before, 0 at, > 0 after it. */
// @ts-ignore: decorator
@inline export function routeComparePos(a: u32, pref: u32, metric: u32, seq: u32): i32 {
  return routeOrderCompare(routePref(a), routeMetric(a), routeGet(a, ROUTE_SEQ), pref, metric, seq);
}

/** True if route a comes before route b in route order. */
// @ts-ignore: decorator
@inline export function routeBefore(a: u32, b: u32): bool {
  let wa = routeGet(a, ROUTE_PM), wb = routeGet(b, ROUTE_PM);
  // two packed words compare as their (preference, metric) pairs do (layout ROUTE_PM, both forms); equal
  // ones tie, and the older route (lower seq, routeOrderCompare) comes first
  if (((wa | wb) & ROUTE_PM_X) == 0) return wa != wb ? wa < wb : routeGet(a, ROUTE_SEQ) < routeGet(b, ROUTE_SEQ);
  return routeComparePos(a, routePref(b), routeMetric(b), routeGet(b, ROUTE_SEQ)) < 0;
}

/** Puts route r (in no chain) into d's chain at its place in route order. */
// @ts-ignore: decorator
@inline function chainInsert(d: u32, r: u32): void {
  let prev = NIL, cur = destGet(d, DEST_ROUTES);
  while (cur != NIL && routeBefore(cur, r)) { prev = cur; cur = chainNext(cur); }
  routeSet(r, ROUTE_NEXT, cur == NIL ? ROUTE_END | d : cur);   // the last: the destination (layout ROUTE_NEXT)
  if (prev == NIL) destSet(d, DEST_ROUTES, r); else routeSet(prev, ROUTE_NEXT, r);
}

/** Takes route r out of d's chain; its link then names d alone (a route in no chain, layout ROUTE_NEXT). */
function chainRemove(d: u32, r: u32): void {
  let cur = destGet(d, DEST_ROUTES), next = routeGet(r, ROUTE_NEXT);
  if (cur == r) destSet(d, DEST_ROUTES, (next & ROUTE_END) != 0 ? NIL : next);
  else {
    while (cur != NIL && routeGet(cur, ROUTE_NEXT) != r) cur = chainNext(cur);
    assert(cur != NIL); // r is in d's chain
    routeSet(cur, ROUTE_NEXT, next);   // (the end's link moves to the new last route)
  }
  routeSet(r, ROUTE_NEXT, ROUTE_END | d);
}

/** Routes of destination d (any state in the chain) that belong to the views in mask vb (RTM_DEST_INFO NumberOfRoutes). */
export function routesInViews(d: u32, vb: u32): u32 {
  let num: u32 = 0;
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) if ((routeViews(r) & vb) != 0) num++;
  return num;
}

/**
 * The route reported for view v of destination d among the live routes in v owned by protocol `proto`
 * (0 = any protocol) — the one home of the incumbent rule (spec §7.1 B4, §7.15). Cases: 1. no candidate
 * → NIL; 2. the incumbent `inc` (the view's best route so far, NIL for none) is still a candidate and
 * ties the first candidate in chain order on (preference, metric) → the incumbent; 3. otherwise the
 * first candidate. Best-route selection passes proto 0; per-protocol queries pass the protocol and the
 * current best route, so a tied overall best of that protocol is reported as it is best.
 */
export function routeSelect(d: u32, v: u32, proto: u32, inc: u32): u32 {
  let vb: u32 = 1 << v;
  let first = NIL;
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    if ((routeViews(r) & vb) != 0 && (proto == 0 || entityGet(routeOwner(r), ENTITY_PROTO) == proto)) {
      first = r;
      break;
    }
  }
  return selectOf(d, vb, proto, inc, first);
}

/** routeSelect's cases given `first`, the first candidate in chain order (NIL for none). */
// @ts-ignore: decorator
@inline function selectOf(d: u32, vb: u32, proto: u32, inc: u32, first: u32): u32 {
  if (first == NIL) return NIL;                                                      // 1.
  if (inc != NIL && inc != first && routeLive(inc) && (routeViews(inc) & vb) != 0 &&
    routeDest(inc) == d && (proto == 0 || entityGet(routeOwner(inc), ENTITY_PROTO) == proto) &&
    routePMSame(inc, first)) {
    return inc;                                                                      // 2.
  }
  return first;                                                                      // 3.
}

// the first route of each view in chain order, for destRecompute
const FIRST: usize = memory.data(<i32>(VIEW_COUNT * 4), 16);
// best routes before the operation, per view (saveBest): the incumbents of destRecompute
const BEFORE: usize = memory.data(<i32>(VIEW_COUNT * 4), 16);
// best routes destRecompute chose, per view (what destBest reads back now, without walking the chain)
const AFTER: usize = memory.data(<i32>(VIEW_COUNT * 4), 16);

/**
 * Recomputes the best route of every view (routeSelect with the view's incumbent, proto 0: the first
 * route of every view found in one pass over the chain) and the state word. The incumbents are the best
 * routes saveBest saved before the change (view 0's cannot be read once the chain changed: dests.ts
 * destBest).
 */
// @ts-ignore: decorator
@inline export function destRecompute(d: u32): void {
  let viewsMask: u32 = 0, found: u32 = 0;
  const all: u32 = (1 << VIEW_COUNT) - 1;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) store<u32>(FIRST + (<usize>v << 2), NIL);
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    let vw = routeViews(r);
    viewsMask |= vw;
    let fresh = vw & all & ~found;
    found |= fresh;
    for (; fresh != 0; fresh &= fresh - 1) store<u32>(FIRST + (<usize>ctz(fresh) << 2), r);
  }
  let first0 = load<u32>(FIRST);
  let b0 = selectOf(d, 1, 0, load<u32>(BEFORE), first0);
  destSetBest0(d, b0, first0);
  store<u32>(AFTER, b0);
  for (let v: u32 = 1; v < VIEW_COUNT; v++) {
    let b = selectOf(d, 1 << v, 0, load<u32>(BEFORE + (<usize>v << 2)), load<u32>(FIRST + (<usize>v << 2)));
    destSetBest(d, v, b);
    store<u32>(AFTER + (<usize>v << 2), b);
  }
  let held = false;
  if (destHasX(d)) for (let v: u32 = 0; v < VIEW_COUNT; v++) if (destXGet(d, DESTX_HELD + v) != NIL) held = true;
  let state = (viewsMask & 0xff) | (destGet(d, DEST_ROUTES) != NIL ? DEST_S_LIVE : 0) | (held ? DEST_S_HELD : 0);
  destSetState(d, state);
}

/**
 * Applies the presence rules (spec §7.4, D-24; layout DEST_KEEPS): a destination with no live or held
 * route, no pins and no references leaves the trie; its record goes too once nothing keeps it.
 */
// @ts-ignore: decorator
@inline export function destMaybeRemove(d: u32): void {
  if (destGet(d, DEST_ROUTES) != NIL || (destGet(d, DEST_STATE) & DEST_S_HELD) != 0 ||
    destPins(d) != 0 || destRefs(d) != 0) return;
  if (destKeeps(d) == 0) destRemove(d);
  else destDetach(d);
}

/** Destination d's keeps (layout DEST_KEEPS: the word's low bits). */
// @ts-ignore: decorator
@inline export function destKeeps(d: u32): u32 { return destGet(d, DEST_KEEPS) & DEST_KEEPS_MASK; }

/**
 * Destination d's client references as its record keeps them (layout DEST_REFS_SHIFT): the count below
 * the cap, the cap when there are at least that many. 0 is exact: no references.
 */
// @ts-ignore: decorator
@inline export function destRefs(d: u32): u32 { return destGet(d, DEST_KEEPS) >>> DEST_REFS_SHIFT; }

/** Adds delta to a destination's keeps (route records, queued changes). Inlined: delta is a constant at every call. */
// @ts-ignore: decorator
@inline export function destKeep(d: u32, delta: i32): void {
  let w = destGet(d, DEST_KEEPS);
  let k = <i32>(w & DEST_KEEPS_MASK) + delta;
  assert(k >= 0 && k <= <i32>DEST_KEEPS_MASK); // keeps are released exactly once; fewer than 2^26 (layout)
  destSet(d, DEST_KEEPS, (w & ~DEST_KEEPS_MASK) | <u32>k);
  // the released keep may have been what made the destination present (a route record): re-check
  if (delta < 0) destMaybeRemove(d);
}

/** Adds delta to a destination's pins (marks, opaque slots). */
export function destPin(d: u32, delta: i32): void {
  let p = <i32>destPins(d) + delta;
  assert(p >= 0 && p < (1 << DEST_PINS_BITS)); // pins are released exactly once; at most one per slot and mark
  destSet(d, DEST_STATE, (destGet(d, DEST_STATE) & ((1 << DEST_PINS_SHIFT) - 1)) | (<u32>p << DEST_PINS_SHIFT));
  if (p == 0) destMaybeRemove(d);
}

/**
 * Adds delta to a destination's client refs (refs.ts, after the holder's own entry changed); false if
 * that would go below zero. At the cap a take changes nothing, and a drop counts the references again
 * from the holders' tables (satCount), as routeRef does.
 */
export function destRef(d: u32, delta: i32): bool {
  let w = destGet(d, DEST_KEEPS);
  let c = satCount(w >>> DEST_REFS_SHIFT, delta, refsCapD, KIND_DEST, d);
  if (c < 0) return c == SAT_SAME;
  destSet(d, DEST_KEEPS, (w & DEST_KEEPS_MASK) | (<u32>c << DEST_REFS_SHIFT));
  if (c == 0) destMaybeRemove(d);
  return true;
}

/** Destination d's exact client references: its record's count, or at the cap the holders' (refs.ts refsHeld). */
export function destRefsExact(d: u32): u32 { let c = destRefs(d); return c >= refsCapD ? refsHeld(KIND_DEST, d) : c; }

// what satCount returns besides a count
const SAT_NEG: i32 = -1, SAT_SAME: i32 = -2;
/**
 * A saturating client count (layout ROUTE_REFS_SHIFT, DEST_REFS_SHIFT) after adding delta, the holder's
 * own entry already changed: `old` is the field, `cap` its cap. Below the cap it is the count (SAT_NEG if
 * that would go below zero), up to the cap; at the cap a take leaves the field (SAT_SAME), and a drop counts
 * the holders' references on record (kind, s) again (refs.ts refsHeld).
 */
// @ts-ignore: decorator
@inline function satCount(old: u32, delta: i32, cap: u32, kind: u32, s: u32): i32 {
  if (old >= cap) return delta >= 0 ? SAT_SAME : <i32>min(refsHeld(kind, s), cap);
  let c = <i32>old + delta;
  return c < 0 ? SAT_NEG : <i32>min(<u32>c, cap);
}

/**
 * Reserves the hop array of a route with n next hops (a block, blocks.ts); false if memory is exhausted.
 * Call it after every other reservation of the operation: it holds until the next block allocation.
 */
export function routeHopsReserve(n: u32): bool { return n <= 1 || blockReserve(<usize>n << 2); }

// @ts-ignore: decorator
@inline function setHops(r: u32, e: u32, hops: usize, n: u32): void {
  let old = routeNhCount(r);
  if (old > 1) blockFree(<usize>routeGet(r, ROUTE_NH), <usize>old << 2);
  setRouteNhCount(r, n);
  if (n == 0) routeSet(r, ROUTE_NH, e);   // the owner, until setRouteNeighbour puts a neighbour there
  else if (n == 1) routeSet(r, ROUTE_NH, load<u32>(hops));
  else {
    let p = blockAlloc(<usize>n << 2);
    if (p == 0) unreachable(); // routeHopsReserve comes before the operation's first change
    memory.copy(p, hops, <usize>n << 2);
    routeSet(r, ROUTE_NH, <u32>p);
  }
}

// @ts-ignore: decorator
@inline function hopsIref(r: u32, delta: i32): void {
  let n = routeNhCount(r);
  for (let i: u32 = 0; i < n; i++) nhIref(routeHop(r, i), delta);
  let nb = routeNeighbour(r);
  if (nb != NIL) nhIref(nb, delta);
}

function hopsEqual(r: u32, hops: usize, n: u32): bool {
  if (routeNhCount(r) != n) return false;
  for (let i: u32 = 0; i < n; i++) if (routeHop(r, i) != load<u32>(hops + (<usize>i << 2))) return false;
  return true;
}

/**
 * Creation order of routes (ROUTE_SEQ), one counter for the whole core: orders routes within a
 * destination (rule B4) and expiries at the same instant across the tables of an instance (rule T4).
 */
let routeSeqNext: u32 = 0;
// @ts-ignore: decorator
@inline function saveBest(d: u32): void {
  for (let v: u32 = 0; v < VIEW_COUNT; v++) store<u32>(BEFORE + (<usize>v << 2), destBest(d, v));
}
/** ORs into `fired` BEST/FORWARDING for every view whose best route became another route (after destRecompute). */
// @ts-ignore: decorator
@inline function fireBestChanges(d: u32): void {
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    if (load<u32>(BEFORE + (<usize>v << 2)) != load<u32>(AFTER + (<usize>v << 2))) fired |= (FIRED_BEST | FIRED_FWD) << (3 * v);
  }
}

/** Creation seq of the last route made (for the hold/list layers). */
export let created: bool = false;

/**
 * The route of entity e on destination d that RtmAddRouteToDest updates when it gets no route handle
 * (spec §7.2 I2): with `first` (CHANGE_FIRST) the caller's first route in chain order, else the caller's
 * route whose neighbour is nb (NIL matches only NIL). NIL if there is none (a route is then created).
 */
// @ts-ignore: decorator
@inline export function routeOfOwner(d: u32, e: u32, nb: u32, first: bool): u32 {
  for (let c = destGet(d, DEST_ROUTES); c != NIL; c = chainNext(c)) {
    if (routeOwner(c) == e && (first || routeNeighbour(c) == nb)) return c;
  }
  return NIL;
}

/**
 * Creates (r == NIL) or updates route r of entity e on destination d with validated fields; hops
 * (n next-hop slots at `hops`) and the neighbour belong to e. Sets `fired` and `created`; updates
 * LastChanged when anything changed. Caller reserved a route slot. Cases: 1. create; 2. update,
 * where a changed preference or metric re-sorts the chain (best routes are recomputed only after a
 * create, a re-sort or a change of views).
 */
export function routeApply(e: u32, d: u32, r: u32, neighbour: u32, hops: usize, n: u32, pref: u32, metric: u32,
  views: u32, flags16: u32, flags1: u32, esiChanged: bool): u32 {
  fired = 0;
  saveBest(d);
  let t = destTable(d);
  let changed = false;
  let bestRelevant = false, fwdRelevant = false;
  let reorder = true;   // the chain order or the route's views changed (an update may keep both)
  if (r == NIL) {                                                                    // 1.
    r = slabAllocK(SLAB_ROUTE, ROUTE_WORDS);   // (inlined: the stride is a constant)
    assert(r != NIL); // reserved by the caller
    created = true;
    routeSet(r, ROUTE_NEXT, ROUTE_END | d);   // in no chain yet (chainInsert below)
    routeSet(r, ROUTE_VIEWS, views & ROUTE_VIEWS_MASK);   // no mark (and, where they share it: count 0, ESI NULL)
    tableSet(t, TABLE_SEQ, tableGet(t, TABLE_SEQ) + 1);
    routeSet(r, ROUTE_SEQ, routeSeqNext++);
    setRouteNhCount(r, 0);
    setHops(r, e, hops, n);
    setRouteNeighbour(r, neighbour);   // (no extra record yet: the views word above has no ROUTE_X_BIT)
    if ((flags16 | flags1) != 0) setRouteFlags(r, flags16, flags1);   // (the link above names d)
    setRoutePM(r, pref, metric);   // (before chainInsert: the place depends on it)
    hopsIref(r, 1);
    entityOwned(e, 1);
    destKeep(d, 1);
    chainInsert(d, r);
    tableSet(t, TABLE_ROUTES, tableGet(t, TABLE_ROUTES) + 1);
    entitySet(e, ENTITY_ROUTES, entityGet(e, ENTITY_ROUTES) + 1);
    for (let v: u32 = 0; v < VIEW_COUNT; v++) if ((views & (1 << v)) != 0) fired |= FIRED_ALL << (3 * v);
    changed = true;
  } else {                                                                           // 2.
    created = false;
    let oldViews = routeViews(r);
    let oldWord = routeFlagsWord(r), oldFlags = oldWord & 0xffff;
    let prefChanged = !routePMIs(r, pref, metric);
    let hopsChanged = !hopsEqual(r, hops, n);
    let flagsChanged = oldFlags != (flags16 & 0xffff), flags1Changed = (oldWord >>> ROUTE_FLAGS1_SHIFT) != (flags1 & 0xff);
    let oldNb = routeNeighbour(r);
    let otherChanged = oldNb != neighbour || oldViews != views || flags1Changed || esiChanged;
    changed = prefChanged || hopsChanged || flagsChanged || otherChanged;
    bestRelevant = prefChanged || hopsChanged || flagsChanged;
    fwdRelevant = prefChanged || hopsChanged || ((oldFlags ^ flags16) & ROUTE_FLAGS_FORWARDING) != 0;
    reorder = prefChanged || oldViews != views;
    if (hopsChanged || oldNb != neighbour) {
      // take the new references before dropping the old ones, so a shared next hop is never freed
      let oldN = routeNhCount(r);
      for (let i: u32 = 0; i < n; i++) nhIref(load<u32>(hops + (<usize>i << 2)), 1);
      if (neighbour != NIL) nhIref(neighbour, 1);
      for (let i: u32 = 0; i < oldN; i++) nhIref(routeHop(r, i), -1);
      if (oldNb != NIL) nhIref(oldNb, -1);
      setHops(r, e, hops, n);
      setRouteNeighbour(r, neighbour);
    }
    setRouteViews(r, views);
    if (flagsChanged || flags1Changed) setRouteFlags(r, flags16, flags1);
    if (prefChanged) {
      chainRemove(d, r);
      setRoutePM(r, pref, metric);
      chainInsert(d, r);
    }
    if (changed) {
      for (let v: u32 = 0; v < VIEW_COUNT; v++) if (((oldViews | views) & (1 << v)) != 0) fired |= FIRED_ALL << (3 * v);
    }
  }
  // an update that changed nothing leaves every best route and the state word as they are: no recompute
  if (!changed) return r;   // fired is 0
  // nor does one that kept the chain order and the views (only next hops, neighbour, flags, ESI changed):
  // best routes and the state word depend on nothing else, and they were the recompute's result of this
  // chain before (every change of the chain, a view or a held route recomputes), which it would give
  // again (with the incumbent rule too; debug.ts INV_BEST checks it) — no recompute, and no best route
  // became another
  if (reorder) {
    destRecompute(d);
    fireBestChanges(d);
  }
  if (!created && (bestRelevant || fwdRelevant)) {
    // the same route stayed best in a view and its best-relevant data changed (without a recompute the
    // best routes are those before)
    let now = reorder ? AFTER : BEFORE;
    for (let v: u32 = 0; v < VIEW_COUNT; v++) {
      if (load<u32>(now + (<usize>v << 2)) == r && load<u32>(BEFORE + (<usize>v << 2)) == r) {
        if (bestRelevant) fired |= FIRED_BEST << (3 * v);
        if (fwdRelevant) fired |= FIRED_FWD << (3 * v);
      }
    }
  }
  if (changed) store<f64>(destPtr(d) + (DEST_CHANGED << 2), nowMs);
  notifyChange(t, d, fired);
  return r;
}

/**
 * Deletes live route r of destination d (the caller found r there: no walk to its chain's end): it
 * leaves d's chain (and route list). Cases: 1. it was the last live route of a view where hold-down is
 * armed → it becomes that view's held route (state DELETING, spec §7.7 H2), replacing an older held
 * route, and the destination's hold timer starts if it is not running; 2. otherwise state DELETED, freed
 * now if no client references it, else on the last release. Sets `fired` (a held-route change fires ALL
 * and BEST in its view, D-27).
 */
export function routeDelete(r: u32, d: u32): void {
  fired = 0;
  if (!ASC_NO_ASSERT) assert(routeDest(r) == d); // the caller's destination of r (it found r there)
  let t = destTable(d);
  let e = routeOwner(r);
  saveBest(d);
  // a timer entry and a list membership live in the route's extra record: none without one
  if (routeHasX(r)) { timerClear(t, r); listRemove(r); }
  // no list, no timer: what is left of its extra record is its neighbour (layout ROUTEX_*)
  if (!ASC_NO_ASSERT) assert(routeXGet(r, ROUTEX_LIST) == NIL && routeXGet(r, ROUTEX_HEAPPOS) == NIL);
  chainRemove(d, r);
  tableSet(t, TABLE_ROUTES, tableGet(t, TABLE_ROUTES) - 1);
  entitySet(e, ENTITY_ROUTES, entityGet(e, ENTITY_ROUTES) - 1);
  let views = routeViews(r);
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if ((views & (1 << v)) != 0) fired |= FIRED_ALL << (3 * v);
  // 1. hold-down: views of r that are armed and now have no live route (the chain is only walked when
  // one of r's views is armed: a destination without an extra record has none)
  let held = views & destXGet(d, DESTX_HOLD_VIEWS) & ((1 << VIEW_COUNT) - 1);
  if (held != 0) {
    let live: u32 = 0;
    for (let c = destGet(d, DEST_ROUTES); c != NIL; c = chainNext(c)) live |= routeViews(c);
    held &= ~live;
  }
  let replaced0 = NIL, replaced1 = NIL;
  if (held != 0) {
    setRouteState(r, ROUTE_STATE_DELETING);
    for (let v: u32 = 0; v < VIEW_COUNT; v++) {
      if ((held & (1 << v)) == 0) continue;
      let old = destXGet(d, DESTX_HELD + v);
      if (old != NIL && old != r) { if (replaced0 == NIL) replaced0 = old; else replaced1 = old; }
      destXSet(d, DESTX_HELD + v, r);
      fired |= (FIRED_ALL | FIRED_BEST) << (3 * v);
    }
    if (destXGet(d, DESTX_HEAPPOS) == NIL && timerReserve(t)) {
      timerSet(t, d | TIMER_HOLD, nowMs + <f64>destXGet(d, DESTX_HOLD_MS), d);
    }
  } else setRouteState(r, ROUTE_STATE_DELETED);
  destRecompute(d);
  fireBestChanges(d);
  store<f64>(destPtr(d) + (DEST_CHANGED << 2), nowMs);
  notifyChange(t, d, fired);
  // routes the new held route replaced are destroyed unless still held in another view
  if (replaced0 != NIL) heldRelease(d, replaced0);
  if (replaced1 != NIL && replaced1 != replaced0) heldRelease(d, replaced1);
  if (held == 0) routeRetire(r);
}

/** A route that left every DESTX_HELD slot of d becomes DELETED and is freed or kept for its references. */
function heldRelease(d: u32, r: u32): void {
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if (destXGet(d, DESTX_HELD + v) == r) return;
  setRouteState(r, ROUTE_STATE_DELETED);
  routeRetire(r);
}

/**
 * A DELETED route (in no chain): freed if unreferenced; else kept for its client references (teardown
 * finds it through them, teardown.ts), and its destination, which the record only keeps (not presence),
 * leaves the table if nothing else holds it there.
 */
// @ts-ignore: decorator
@inline function routeRetire(r: u32): void {
  if (routeRefs(r) == 0) { routeFree(r); return; }
  destMaybeRemove(routeDest(r));
}

/**
 * The hold-down timer of destination d ran out (spec §7.7 H5): every held route is destroyed, HoldRoute
 * becomes NULL in all views, and ALL and BEST fire in each view that had one. Sets `fired`.
 */
export function holdEnd(d: u32): void {
  fired = 0;
  let t = destTable(d);
  saveBest(d);
  let h0 = NIL, h1 = NIL;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    let r = destXGet(d, DESTX_HELD + v);
    if (r == NIL) continue;
    if (h0 == NIL) h0 = r; else if (r != h0) h1 = r;
    destXSet(d, DESTX_HELD + v, NIL);
    fired |= (FIRED_ALL | FIRED_BEST) << (3 * v);
  }
  destRecompute(d);
  store<f64>(destPtr(d) + (DEST_CHANGED << 2), nowMs);
  notifyChange(t, d, fired);
  // a destination with held routes is pinned by them: release them last
  if (h0 != NIL) { setRouteState(h0, ROUTE_STATE_DELETED); routeRetire(h0); }
  if (h1 != NIL) { setRouteState(h1, ROUTE_STATE_DELETED); routeRetire(h1); }
}

/** Removes route r from its route list, if any (route lists: assembly/lists.ts). */
export function listRemove(r: u32): void {
  let l = routeXGet(r, ROUTEX_LIST);
  if (l == NIL) return;
  listUnlink(l, r);
}

/** Frees a deleted route record: drops its next-hop references and its pin on the destination. */
export function routeFree(r: u32): void {
  let d = routeDest(r), owner = routeOwner(r);   // (before its next hops go)
  hopsIref(r, -1);
  routeXDrop(r);   // its neighbour, if it was there
  if (routeNhCount(r) > 1) blockFree(<usize>routeGet(r, ROUTE_NH), <usize>routeNhCount(r) << 2);
  setRouteNhCount(r, 0);
  slabFree(SLAB_ROUTE, r);
  entityOwned(owner, -1);
  destKeep(d, -1);
}

/**
 * Route r's client references as its record keeps them (layout ROUTE_REFS_SHIFT): the count below the
 * cap, the cap when there are at least that many. 0 is exact: no references.
 */
// @ts-ignore: decorator
@inline export function routeRefs(r: u32): u32 { return routeGet(r, ROUTE_VIEWS) >>> ROUTE_REFS_SHIFT; }

/** Route r's exact client references: its record's count, or at the cap the holders' (refs.ts refsHeld). */
export function routeRefsExact(r: u32): u32 { let c = routeRefs(r); return c >= refsCap ? refsHeld(KIND_ROUTE, r) : c; }

/** Where route and destination counts saturate: their fields' maximum, lower only through the test hook (refsCapSet). */
let refsCap: u32 = ROUTE_REFS_MAX, refsCapD: u32 = DEST_REFS_MAX;
/** Where route and destination counts saturate now (debug.ts). */
export function routeRefsCapNow(): u32 { return refsCap; }
export function destRefsCapNow(): u32 { return refsCapD; }
/**
 * Test hook: route and destination counts saturate at `cap` (1..DEST_REFS_MAX) from now on; false for
 * another value. For a fresh core: a count already above the cap would break the debug invariant.
 */
export function refsCapSet(cap: u32): bool {
  if (cap < 1 || cap > DEST_REFS_MAX) return false;
  refsCap = cap;
  refsCapD = cap;
  return true;
}

/**
 * Adds delta to a route's client references (refs.ts, after the holder's own entry changed); false if
 * that would go below zero. At the cap a take changes nothing, and a drop counts the references again
 * from the holders' tables (satCount).
 */
// @ts-ignore: decorator
@inline export function routeRef(r: u32, delta: i32): bool {
  let w = routeGet(r, ROUTE_VIEWS);
  let c = satCount(w >>> ROUTE_REFS_SHIFT, delta, refsCap, KIND_ROUTE, r);
  if (c < 0) return c == SAT_SAME;
  if (c == 0 && routeState(r) == ROUTE_STATE_DELETED) { routeFree(r); return true; }
  routeSet(r, ROUTE_VIEWS, (w & ((1 << ROUTE_REFS_SHIFT) - 1)) | (<u32>c << ROUTE_REFS_SHIFT));
  return true;
}

/** Sets a destination's LastChanged to now. */
export function touchDest(d: u32): void { store<f64>(destPtr(d) + (DEST_CHANGED << 2), nowMs); }

/** Views in which route r is the best route of its destination. */
export function routeBestViews(r: u32): u32 {
  if (!routeLive(r)) return 0;
  let d = routeDest(r);
  let m: u32 = 0;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if (destBest(d, v) == r) m |= 1 << v;
  return m;
}


/** Takes the next creation seq (ROUTE_SEQ) for a route made outside routeApply (bulk.ts, a table load). */
export function routeSeqTake(): u32 { return routeSeqNext++; }
