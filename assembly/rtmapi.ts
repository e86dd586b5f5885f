// Exports of the RTMv2 layer: entities, next hops, routes, reference counts, destination info. Each
// validates in the order of spec D-05 — registration handle, other handles (ERROR_INVALID_HANDLE),
// parameters (ERROR_INVALID_PARAMETER / ERROR_NOT_SUPPORTED), ownership (ERROR_ACCESS_DENIED), lookup
// (ERROR_NOT_FOUND), resources (ERROR_NOT_ENOUGH_MEMORY, memory reserved before any change) — so a
// failing call changes nothing. Handles come in as f64 (0 = NULL); results are slots in RES registers,
// turned into handles by the facade. Next-hop handle lists are f64s at IO_HOPS. routeAdd and
// routeDeleteX are split into a check step and an apply step, which records.ts reuses for its one-crossing
// forms (routeAddR, routeDeleteR).
import {
  NIL, SLAB_ROUTE, SLAB_DEST, SLAB_ENTITY, SLAB_NEXTHOP, KIND_ENTITY, KIND_ROUTE, KIND_NEXTHOP, KIND_DEST,
  ENTITY_TABLE, ENTITY_PROTO, ENTITY_INSTANCE, ENTITY_FLAGS, ENTITY_NEXT, ENTITY_F_DEREGISTERED,
  NEXTHOP_OWNER, NEXTHOP_LEN, NEXTHOP_LEN_MASK, NEXTHOP_ADDR, NEXTHOP_IFINDEX, NEXTHOP_FLAGS, NEXTHOP_REMOTE,
  ROUTE_VIEWS,
  DEST_ROUTES, DESTX_HELD, DEST_NODE, DEST_STATE, DEST_S_POPULATED, VIEW_COUNT,
  TABLE_VIEWS, TABLE_MAXHOPS, TABLE_ENTITIES, TABLE_DESTS, CHANGE_NEW, CHANGE_FIRST, CHANGE_BEST, FIRED_BEST,
  NO_RANGE, SLAB_DESTX, DEST_PINS_BITS, NEXTHOP_LOCK, NEXTHOP_TABLE, TABLE_NOTIFY_USED, TABLE_NOTIFY, NOTIFY_NEXT, NOTIFY_OWNER, KIND_LIST, SLAB_LIST,
  ROUTEX_LSEQ, ROUTEX_HEAPPOS, SLAB_ROUTEX, DESTX_HOLD_MS, DEST_KEEPS, ROUTE_ESI_UNKNOWN,
} from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND,
  ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS, ERROR_NOT_SUPPORTED, ERROR_BUSY, ERROR_NO_MORE_ITEMS,
  ERROR_NO_SYSTEM_RESOURCES } from './status';
import { IO_IN, IO_OUT, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { debugTrapPoint } from './debug';
import { slabReserve, slabIsAlive, slabRec, slabHigh } from './slab';
import { tableValid, tableGet, tableSet, tableMaxLen } from './tables';
import { handleSlot } from './handles';
import { destTable, destFind, destInsert, destGet, destSet, destValid, destLen, destKey, destLockedAgainst, destSetLockHolder, destArmHold, destXGet,
  destXSet, destXEnsure, destXTidy, destPins, chainNext } from './dests';
import { trieWalk, nodeReserve, tombstoneReserve, nodeLongs } from './trie';
import { nhOrderFirst, nhOrderNext } from './nhindex';
import { entityGet, entitySet, entityFind, entityCreate, entityRetire, entityRef, entityActive, nhFind, nhCreate, nhReserve, nhDeleteAll,
  nhDelete, nhGet, nhSet, nhLive, nhRef, nhPtr, nhLockedAgainst, nhCompare, nhWalkFirst, nhWalkNext } from './entities';
import { routeGet, routeSet, routeLive, routeApply, routeDelete, routeRefsExact, routeBestViews, routeState, routeXGet, routeXReserve, routeXReserveN, routeHasX, setRouteEsi, neighbourNeedsX, pmInline,
  destRefsExact, destKeeps, destPin, destKeep, fired, created, setNowMs, routeHop, touchDest, routeOfOwner, routeViewsReserve, routeOwner, routeDest, routeTableByOwner } from './routes';
import { prefixEq, prefixCompare } from './addr';
import { notifyChange, notifyDestroy, notifyGet, notifyReserve } from './notify';
import { timerReserve, timerSet, timerClear, timerNextDeadline, timerPopDue, timerPeekDue, routeOrder, timerHead, timerHeadOrder, TIMER_HOLD } from './timers';
import { listCreate, listAppend, listDestroy, listWalk, listGet, listDestroyAllOf, LIST_OWNER } from './lists';
import { lockDropAll } from './locks';
import { holdEnd as holdEndRun, listRemove } from './routes';
import { refReserve, refReleaseAll } from './refs';
import { enumFreeAll } from './enums';
import { destChangeReserve, purgeReserve, tombstoneLongs } from './reserve';
import { routeHopsReserve } from './routes';

/** Word offset (from the I/O base) where next-hop handle lists start: f64s after the 4 key words. */
export const IO_HOPS: u32 = IO_IN + 8;
/** Largest next-hop list a route may carry (the profile's MaxNextHopsInRoute is capped to it). */
export const MAX_HOPS_LIMIT: u32 = 256;
const HOPS: usize = memory.data(<i32>(MAX_HOPS_LIMIT * 4), 16);

// @ts-ignore: decorator
@inline function hopHandle(i: u32): f64 { return load<f64>(ioPtr(IO_HOPS) + (<usize>i << 3)); }

/** The route a handle names in table t (any state), or NIL: a handle of another table does not resolve. */
// @ts-ignore: decorator
@inline export function routeIn(t: u32, h: f64): u32 {
  let r = handleSlot(h, KIND_ROUTE);
  return r != NIL && routeTableByOwner(r) == t ? r : NIL;
}

/** The next hop a handle names in table t (any state), or NIL. */
// @ts-ignore: decorator
@inline export function nextHopIn(t: u32, h: f64): u32 {
  let n = handleSlot(h, KIND_NEXTHOP);
  return n != NIL && nhGet(n, NEXTHOP_TABLE) == t ? n : NIL;
}

/** The active entity a registration handle names, or NIL. */
// @ts-ignore: decorator
@inline export function entityOf(h: f64): u32 {
  let e = handleSlot(h, KIND_ENTITY);
  return e != NIL && entityActive(e) ? e : NIL;
}

/** Sets the clock used for LastChanged. */
export function setNow(ms: f64): void { setNowMs(ms); }

/** Sets a table's MaxNextHopsInRoute (≤ MAX_HOPS_LIMIT). */
export function tableSetMaxHops(t: u32, n: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (n == 0 || n > MAX_HOPS_LIMIT) return ERROR_INVALID_PARAMETER;
  tableSet(t, TABLE_MAXHOPS, n);
  return NO_ERROR;
}

// ── entities ─────────────────────────────────────────────────────────────────────────────────────────

/** Registers entity (proto, instance) in table t. RES0 = entity slot. */
export function entityRegister(t: u32, proto: u32, instance: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (entityFind(t, proto, instance) != NIL) return ERROR_ALREADY_EXISTS;
  if (!slabReserve(SLAB_ENTITY, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  setRes(0, entityCreate(t, proto, instance));
  return NO_ERROR;
}

/**
 * Deregistration clean-up (spec §7.16 steps 2–3 in the core): deletes every live route of the entity
 * (normal deletion semantics) and every next hop, then retires it (freed once unreferenced); its
 * enumeration cursors, locks and route lists go first. Every reference the entity holds in the core
 * (refs.ts) is given back. RES0 = routes deleted, RES1 = references released.
 */
export function entityDeregister(h: f64): i32 {
  let e = entityOf(h);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  if (!purgeReserve(t, e)) return ERROR_NOT_ENOUGH_MEMORY;
  enumFreeAll(NIL, e);   // its enumeration cursors (spec §7.16)
  lockDropAll(e);        // its locks (rule 6; locks.ts) and its route lists (lists.ts)
  listDestroyAllOf(e);
  let deleted: u32 = purgeRoutes(t, e);
  // its notification registrations go after its routes (spec §7.16 steps 2–3)
  for (let n = tableGet(t, TABLE_NOTIFY), next = NIL; n != NIL; n = next) {
    next = notifyGet(n, NOTIFY_NEXT);
    if (notifyGet(n, NOTIFY_OWNER) == e) notifyDestroy(n);
  }
  nhDeleteAll(e);
  // the references it still holds (refs.ts; spec §7.16 step 4), before it retires
  let released = refReleaseAll(e);
  entityRetire(e);
  setRes(0, deleted);
  setRes(1, released);
  return NO_ERROR;
}

/**
 * Reserves what entityDeregister needs (reserve.ts purgeReserve), so that the facade learns of a full
 * memory before its own clean-up: ERROR_NOT_ENOUGH_MEMORY, or NO_ERROR and the deregistration cannot fail.
 */
export function entityDeregisterReserve(h: f64): i32 {
  let e = entityOf(h);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  return purgeReserve(entityGet(e, ENTITY_TABLE), e) ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

const PURGE_ROUTES: usize = memory.data(<i32>(64 * 4), 16);
/** Deletes every live route of entity e in table t, walking destinations in order. */
export function purgeRoutes(t: u32, e: u32): u32 {
  let out = ioPtr(IO_OUT);
  let deleted: u32 = 0;
  let key = ioPtr(IO_IN);
  memory.fill(key, 0, 16);
  let klen: u32 = 0;
  let inclusive = true;
  while (true) {
    let n = trieWalk(t, key, klen, inclusive, DEST_S_POPULATED, key, NO_RANGE, IO_BATCH_MAX, out);
    if (n == 0) break;
    let last = load<u32>(out + (<usize>(n - 1) << 2));
    // remember the cursor before deletions can free the last destination
    memory.copy(key, destKey(last), 16);
    klen = destLen(last);
    inclusive = false;
    for (let i: u32 = 0; i < n; i++) {
      let d = load<u32>(out + (<usize>i << 2));
      // collect this entity's live routes first: deleting may free the destination
      let m: u32 = 0;
      for (let r = destGet(d, DEST_ROUTES); r != NIL && m < 64; r = chainNext(r)) {
        if (routeOwner(r) == e) store<u32>(PURGE_ROUTES + (<usize>(m++) << 2), r);
      }
      for (let j: u32 = 0; j < m; j++) { routeDelete(load<u32>(PURGE_ROUTES + (<usize>j << 2)), d); deleted++; }
      if (m == 64) { i--; continue; } // more than 64 routes of e on d: go again
    }
    if (n < IO_BATCH_MAX) break;
  }
  return deleted;
}

/** Entity info: RES0 slot, RES1 table, RES2 protocol id, RES3 instance id, RES4 1 if deregistered. */
export function entityInfo(h: f64): i32 {
  let e = handleSlot(h, KIND_ENTITY);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, e); setRes(1, entityGet(e, ENTITY_TABLE)); setRes(2, entityGet(e, ENTITY_PROTO));
  setRes(3, entityGet(e, ENTITY_INSTANCE)); setRes(4, (entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) != 0 ? 1 : 0);
  return NO_ERROR;
}

/**
 * Registered entities of table t in registration order → IO_OUT slots, a page of at most IO_BATCH_MAX
 * starting after entity slot `after` (NIL: from the first); RES0 = count, RES1 = 1 if more follow.
 * `after` must be an entity of t (a slot the caller was given by the previous page).
 */
export function entityList(t: u32, after: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  let e = tableGet(t, TABLE_ENTITIES);
  if (after != NIL) {
    if (after >= slabHigh(SLAB_ENTITY) || !slabIsAlive(SLAB_ENTITY, after) || entityGet(after, ENTITY_TABLE) != t) return ERROR_INVALID_HANDLE;
    e = entityGet(after, ENTITY_NEXT);
  }
  let n: u32 = 0, out = ioPtr(IO_OUT);
  for (; e != NIL && n < IO_BATCH_MAX; e = entityGet(e, ENTITY_NEXT)) {
    if ((entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) == 0) store<u32>(out + (<usize>(n++) << 2), e);
  }
  // a page ends at the last registered entity written; deregistered ones after it are skipped next time
  while (e != NIL && (entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) != 0) e = entityGet(e, ENTITY_NEXT);
  setRes(0, n);
  setRes(1, e != NIL ? 1 : 0);
  return NO_ERROR;
}

/** Adds delta (±1) to an entity's client references. */
export function entityRefX(h: f64, delta: i32): i32 {
  let e = handleSlot(h, KIND_ENTITY);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  return entityRef(e, delta) ? NO_ERROR : ERROR_INVALID_HANDLE;
}

// ── next hops ────────────────────────────────────────────────────────────────────────────────────────

/**
 * RtmAddNextHop: with nh != 0 updates that next hop (owner only; identity must match the key); else
 * finds (address IO_IN, len, ifIndex) in the caller's list or creates it. Updates flags and the remote
 * destination (remoteH, 0 = none). RES0 = next-hop slot, RES1 = 1 if created.
 */
export function nexthopAdd(eh: f64, len: u32, ifIndex: u32, flags: u32, remoteH: f64, nh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let h = NIL;
  if (nh != 0) { h = nextHopIn(t, nh); if (h == NIL || !nhLive(h)) return ERROR_INVALID_HANDLE; }
  let remote = NIL;
  if (remoteH != 0) { remote = handleSlot(remoteH, KIND_DEST); if (remote == NIL) return ERROR_INVALID_HANDLE; }
  if (len > tableMaxLen(t) || flags > 0xffff) return ERROR_INVALID_PARAMETER;
  if (remote != NIL && destTable(remote) != t) return ERROR_INVALID_PARAMETER;
  let key = ioPtr(IO_IN);
  let createdNh: u32 = 0;
  if (h != NIL) {
    if ((nhGet(h, NEXTHOP_LEN) & NEXTHOP_LEN_MASK) != len || nhGet(h, NEXTHOP_IFINDEX) != ifIndex ||
      !prefixEq(nhPtr(h) + (NEXTHOP_ADDR << 2), key, len)) return ERROR_INVALID_PARAMETER;
    if (nhGet(h, NEXTHOP_OWNER) != e) return ERROR_ACCESS_DENIED;
    if (nhLockedAgainst(h, e)) return ERROR_BUSY;
  } else {
    h = nhFind(e, key, len, ifIndex);
    if (h != NIL && nhLockedAgainst(h, e)) return ERROR_BUSY;
    if (h == NIL) {
      if (!nhReserve(e)) return ERROR_NOT_ENOUGH_MEMORY;
      h = nhCreate(e, key, len, ifIndex);
      createdNh = 1;
    }
  }
  nhSet(h, NEXTHOP_FLAGS, (nhGet(h, NEXTHOP_FLAGS) & 0xffff0000) | flags);
  nhSet(h, NEXTHOP_REMOTE, remote);
  setRes(0, h); setRes(1, createdNh);
  return NO_ERROR;
}

/** RtmDeleteNextHop by handle (nh != 0) or by (IO_IN address, len, ifIndex). RES0 = slot deleted. */
export function nexthopDelete(eh: f64, nh: f64, len: u32, ifIndex: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let h = NIL;
  if (nh != 0) {
    h = nextHopIn(entityGet(e, ENTITY_TABLE), nh);
    if (h == NIL) return ERROR_INVALID_HANDLE;
    if (nhGet(h, NEXTHOP_OWNER) != e) return ERROR_ACCESS_DENIED;
    if (!nhLive(h)) return ERROR_NOT_FOUND;
  } else {
    if (len > tableMaxLen(entityGet(e, ENTITY_TABLE))) return ERROR_INVALID_PARAMETER;
    h = nhFind(e, ioPtr(IO_IN), len, ifIndex);
    if (h == NIL) return ERROR_NOT_FOUND;
  }
  if (nhLockedAgainst(h, e)) return ERROR_BUSY;
  setRes(0, h);
  nhDelete(h);
  return NO_ERROR;
}

/** Adds delta (±1) to a next hop's client references (any state while the record lives). */
export function nexthopRefX(nh: f64, delta: i32): i32 {
  let h = handleSlot(nh, KIND_NEXTHOP);
  if (h == NIL) return ERROR_INVALID_HANDLE;
  return nhRef(h, delta) ? NO_ERROR : ERROR_INVALID_HANDLE;
}

/** Resolves a next-hop handle (any state). RES0 = slot. */
export function nexthopFromHandle(nh: f64): i32 {
  let h = handleSlot(nh, KIND_NEXTHOP);
  if (h == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, h);
  return NO_ERROR;
}

/** The caller's next hops in (address, interface) order → IO_OUT slots, starting after `after` (0 = from the first). RES0 = count. */
export function nexthopList(eh: f64, afterSlot: u32, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let h = nhOrderFirst(e);
  if (afterSlot != NIL) {
    // after a slot that is not a live next hop of e, nothing follows
    h = nhLive(afterSlot) && nhGet(afterSlot, NEXTHOP_OWNER) == e ? nhOrderNext(e, afterSlot) : NIL;
  }
  let n: u32 = 0, out = ioPtr(IO_OUT);
  for (; h != NIL && n < max; h = nhOrderNext(e, h)) store<u32>(out + (<usize>(n++) << 2), h);
  setRes(0, n);
  return NO_ERROR;
}

// ── routes ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * RtmAddRouteToDest. Destination (IO_IN key, len); routeH != 0 updates that route; else the route is
 * found per spec §7.2 I2 (changeIn NEW / FIRST / neighbour match) or created. nHops next-hop handles
 * at IO_HOPS; neighbourH 0 = NULL. Views are masked to the table's supported views (D-36).
 * RES0 = route slot, RES1 = change flags out, RES2 = dest slot, RES3 = fired (3 bits per view),
 * RES4 = 1 if the destination was created. `deadline`: ms of expiry, -1 = never (INFINITE),
 * -2 = leave the route's timer as it is. `listH`: move the route to this list (0 = leave it).
 * The route's ESI state (routeEsi) becomes ROUTE_ESI_UNKNOWN (this export is not told about EntitySpecificInfo).
 */
export function routeAdd(eh: f64, len: u32, routeH: f64, neighbourH: f64, nHops: u32, pref: u32, metric: u32,
  views: u32, flags16: u32, flags1: u32, changeIn: u32, esiChanged: u32, deadline: f64, listH: f64): i32 {
  let s = routeAddCheck(eh, len, routeH, neighbourH, nHops, pref, metric, views, flags16, flags1, changeIn, deadline, listH, 0);
  if (s != NO_ERROR) return s;
  let r = routeAddApply(len, pref, metric, views, flags16, flags1, esiChanged != 0, deadline);
  setRouteEsi(r, ROUTE_ESI_UNKNOWN);
  return NO_ERROR;
}

// what routeAddCheck resolved, for routeAddApply (valid when it returned NO_ERROR)
let addE: u32 = NIL, addT: u32 = NIL, addR: u32 = NIL, addNb: u32 = NIL, addD: u32 = NIL, addList: u32 = NIL;
let addHops: u32 = 0;

/**
 * Validation and resource steps of routeAdd / routeAddR (spec D-05 order), changing nothing. Resolves
 * entity, table, route to update (addR, NIL = create), neighbour, destination (addD, NIL = to create),
 * list, and the next hops into HOPS. `refs`: reference entries to reserve for the caller (refs.ts).
 */
export function routeAddCheck(eh: f64, len: u32, routeH: f64, neighbourH: f64, nHops: u32, pref: u32, metric: u32, views: u32,
  flags16: u32, flags1: u32, changeIn: u32, deadline: f64, listH: f64, refs: u32): i32 {
  debugTrapPoint();
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let list = NIL;
  if (listH != 0) { list = listOf(e, listH); if (list == NIL) return ERROR_INVALID_HANDLE; }
  // 2. handles resolve
  let r = NIL;
  if (routeH != 0) { r = routeIn(t, routeH); if (r == NIL || !routeLive(r)) return ERROR_INVALID_HANDLE; }
  let nb = NIL;
  if (neighbourH != 0) { nb = nextHopIn(t, neighbourH); if (nb == NIL) return ERROR_INVALID_HANDLE; }
  if (nHops > MAX_HOPS_LIMIT) return ERROR_INVALID_PARAMETER;
  for (let i: u32 = 0; i < nHops; i++) {
    let hh = hopHandle(i);
    // the neighbour is often the first next hop: resolved once
    let h = hh == neighbourH && nb != NIL ? nb : nextHopIn(t, hh);
    if (h == NIL) return ERROR_INVALID_HANDLE;
    store<u32>(HOPS + (<usize>i << 2), h);
  }
  // 3. parameters
  if (len > tableMaxLen(t) || nHops > tableGet(t, TABLE_MAXHOPS) || flags16 > 0xffff || flags1 > 0xff) return ERROR_INVALID_PARAMETER;
  if (nb != NIL && (nhGet(nb, NEXTHOP_OWNER) != e || !nhLive(nb))) return ERROR_INVALID_PARAMETER;
  for (let i: u32 = 0; i < nHops; i++) {
    let h = load<u32>(HOPS + (<usize>i << 2));
    if (h != nb && (nhGet(h, NEXTHOP_OWNER) != e || !nhLive(h))) return ERROR_INVALID_PARAMETER;
  }
  let key = ioPtr(IO_IN), rd = NIL;
  if (r != NIL) {
    rd = routeDest(r);
    if (destLen(rd) != len || !prefixEq(destKey(rd), key, len)) return ERROR_INVALID_PARAMETER;
    if (routeOwner(r) != e) return ERROR_ACCESS_DENIED;            // 4. ownership
  }
  // find the route to update (spec §7.2 I2)
  let d = r != NIL ? rd : destFind(t, key, len);
  if (r == NIL && d != NIL && (changeIn & CHANGE_NEW) == 0) r = routeOfOwner(d, e, nb, (changeIn & CHANGE_FIRST) != 0);
  // 6. locks and resources, before any change
  if (d != NIL && destLockedAgainst(d, e)) return ERROR_BUSY;
  if (r == NIL && !slabReserve(SLAB_ROUTE, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  if (deadline >= 0 && (r == NIL || routeXGet(r, ROUTEX_HEAPPOS) == NIL) && !timerReserve(t)) return ERROR_NOT_ENOUGH_MEMORY;
  // a timer, a list, a neighbour other than the one next hop, flags, or a preference-and-metric pair
  // without a packed form (layout ROUTE_PM) live in the route's extra record
  if ((deadline >= 0 || list != NIL || neighbourNeedsX(nb, HOPS, nHops) || (flags16 | flags1) != 0 || !pmInline(pref, metric)) &&
    (r == NIL ? !routeXReserveN(t, 1) : !routeXReserve(r))) return ERROR_NOT_ENOUGH_MEMORY;
  if (refs != 0 && !refReserve(e, refs)) return ERROR_NOT_ENOUGH_MEMORY;
  if (d == NIL && (!nodeReserve(t, 2, nodeLongs(t, len, 2)) || !slabReserve(SLAB_DEST, 1))) return ERROR_NOT_ENOUGH_MEMORY;
  if (!routeViewsReserve(t, d, views)) return ERROR_NOT_ENOUGH_MEMORY;
  if (!notifyReserve(t, 1, d) || !routeHopsReserve(nHops)) return ERROR_NOT_ENOUGH_MEMORY;   // hops last
  addE = e; addT = t; addR = r; addNb = nb; addD = d; addList = list; addHops = nHops;
  return NO_ERROR;
}

/** The route routeAddCheck found to update (NIL: one will be created). */
export function routeAddTarget(): u32 { return addR; }
/** The entity of the last successful routeAddCheck. */
export function routeAddEntity(): u32 { return addE; }

/**
 * Applies a checked routeAdd (nothing can fail: routeAddCheck reserved what it needs). Sets RES0..RES4
 * as routeAdd documents; returns the route slot.
 */
export function routeAddApply(len: u32, pref: u32, metric: u32, views: u32, flags16: u32, flags1: u32,
  esiChanged: bool, deadline: f64): u32 {
  let e = addE, t = addT, d = addD, list = addList;
  views &= tableGet(t, TABLE_VIEWS);
  let destCreated: u32 = 0;
  if (d == NIL) {
    d = destInsert(t, ioPtr(IO_IN), len);   // routeAddCheck found it absent just before (no second find)
    assert(d != NIL); // node and dest slots reserved by routeAddCheck
    destCreated = 1;
  }
  let r = routeApply(e, d, addR, addNb, HOPS, addHops, pref, metric, views, flags16, flags1, esiChanged);
  // (re)start the route's timer (spec §7.6 T1); INFINITE (-1) disarms it; -2 keeps it (plain-unlock commit)
  if (deadline >= 0) timerSet(t, r, deadline, routeOrder(r));
  // (a route without an extra record has no timer entry: nothing to clear, no call)
  else if (deadline > -1.5 && routeHasX(r)) timerClear(t, r);
  if (list != NIL) listAppend(list, r);   // NULL leaves list membership alone (D-44)
  let out: u32 = created ? CHANGE_NEW : 0;
  if (bestFired()) out |= CHANGE_BEST;
  setRes(0, r); setRes(1, out); setRes(2, d); setRes(3, fired); setRes(4, destCreated);
  return r;
}

/** True if the last operation fired BEST in some view (RTM_ROUTE_CHANGE_BEST in ChangeFlags, spec §7.8.4). */
export function bestFired(): bool {
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if ((fired & (FIRED_BEST << (3 * v))) != 0) return true;
  return false;
}

/** RtmDeleteRouteToDest. RES0 = route slot, RES1 = change flags (BEST or 0), RES2 = dest, RES3 = fired. */
export function routeDeleteX(eh: f64, routeH: f64): i32 {
  let s = routeDeleteCheck(eh, routeH);
  if (s != NO_ERROR) return s;
  routeDeleteApply();
  return NO_ERROR;
}

// what routeDeleteCheck resolved (valid when it returned NO_ERROR)
let delE: u32 = NIL, delR: u32 = NIL, delD: u32 = NIL;

/** Validation of routeDeleteX / routeDeleteR (changes nothing): the caller's live, unlocked route. */
export function routeDeleteCheck(eh: f64, routeH: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let r = routeIn(entityGet(e, ENTITY_TABLE), routeH);
  if (r == NIL) return ERROR_INVALID_HANDLE;
  if (routeOwner(r) != e) return ERROR_ACCESS_DENIED;
  if (!routeLive(r)) return ERROR_NOT_FOUND;
  let d = routeDest(r);
  if (destLockedAgainst(d, e)) return ERROR_BUSY;
  if (!destChangeReserve(entityGet(e, ENTITY_TABLE), d)) return ERROR_NOT_ENOUGH_MEMORY;
  delE = e; delR = r; delD = d;
  return NO_ERROR;
}

/** Deletes the route routeDeleteCheck resolved; RES0..RES3 as routeDeleteX documents. */
export function routeDeleteApply(): void {
  let r = delR;
  setRes(0, r); setRes(2, delD);
  routeDelete(r, delD);
  setRes(1, bestFired() ? CHANGE_BEST : 0); setRes(3, fired);
}

/** The entity and route of the last successful routeDeleteCheck. */
export function routeDeleteEntity(): u32 { return delE; }
export function routeDeleteTarget(): u32 { return delR; }

/**
 * A route's client references, exact (any state; tests read records' counts so): RES0 = the count. A
 * route's references are taken only through the holders' reference tables (refs.ts): no record-level
 * export changes them.
 */
export function routeRefsX(h: f64): i32 {
  let r = handleSlot(h, KIND_ROUTE);
  if (r == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, routeRefsExact(r));
  return NO_ERROR;
}

/** Resolves a route handle (any state). RES0 = slot, RES1 = state, RES2 = best views. */
export function routeFromHandle(h: f64): i32 {
  let r = handleSlot(h, KIND_ROUTE);
  if (r == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, r); setRes(1, routeState(r)); setRes(2, routeBestViews(r));
  return NO_ERROR;
}

/** A destination's client references, exact (any state; as routeRefsX): RES0 = the count. */
export function destRefsX(h: f64): i32 {
  let d = handleSlot(h, KIND_DEST);
  if (d == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, destRefsExact(d));
  return NO_ERROR;
}

/**
 * Live routes of destination d in chain order → IO_OUT slots, a page of at most IO_BATCH_MAX starting
 * after route slot `after` (NIL: from the first); RES0 = count, RES1 = 1 if more follow.
 */
export function destRoutes(t: u32, d: u32, after: u32): i32 {
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  let r = destGet(d, DEST_ROUTES);
  if (after != NIL) {
    if (after >= slabHigh(SLAB_ROUTE) || !slabIsAlive(SLAB_ROUTE, after) || routeDest(after) != d) return ERROR_INVALID_HANDLE;
    r = chainNext(after);
  }
  let n: u32 = 0, out = ioPtr(IO_OUT);
  for (; r != NIL && n < IO_BATCH_MAX; r = chainNext(r)) store<u32>(out + (<usize>(n++) << 2), r);
  setRes(0, n);
  setRes(1, r != NIL ? 1 : 0);
  return NO_ERROR;
}

/** Checks that `views` only names supported views (RTM_VIEW_MASK_ALL allowed). 0 or ERROR_NOT_SUPPORTED. */
export function viewsCheck(t: u32, views: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (views == 0xffffffff) return NO_ERROR;
  return (views & ~tableGet(t, TABLE_VIEWS)) != 0 ? ERROR_NOT_SUPPORTED : NO_ERROR;
}


/**
 * Records that an updated route's EntitySpecificInfo changed (a JS value the core cannot compare):
 * fires ALL in the route's views and updates LastChanged. RES3 = fired.
 */
export function routeTouch(h: f64): i32 {
  let r = handleSlot(h, KIND_ROUTE);
  if (r == NIL || !routeLive(r)) return ERROR_INVALID_HANDLE;
  let d = routeDest(r);
  if (!notifyReserve(destTable(d), 1, d)) return ERROR_NOT_ENOUGH_MEMORY;
  let views = routeGet(r, ROUTE_VIEWS);
  let f: u32 = 0;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if ((views & (1 << v)) != 0) f |= 1 << (3 * v);
  touchDest(d);
  notifyChange(destTable(d), d, f);
  setRes(3, f);
  return NO_ERROR;
}

/** Byte address of record `slot` of slab `kind`, for the facade's typed readers (0 if out of range). */
export function recordPtr(kind: u32, slot: u32): usize {
  return (kind < 8 || kind == SLAB_DESTX || kind == SLAB_ROUTEX) && slot < slabHigh(kind) ? slabRec(kind, slot) : 0;
}

/**
 * Adds delta (±1) to destination d's pins — what keeps it present besides routes and references:
 * non-NULL opaque slots, notification marks (spec §7.4, D-24). At zero pins and references an
 * unpopulated destination leaves the table.
 */
export function destPinX(t: u32, d: u32, delta: i32): i32 {
  if (!tableValid(t) || !destValid(t, d) || (delta != 1 && delta != -1)) return ERROR_INVALID_PARAMETER;
  if (delta < 0 && destPins(d) == 0) return ERROR_INVALID_PARAMETER;
  // (at most one pin per opaque slot and registration: the facade caps the slots, layout OPAQUE_SLOTS_MAX,
  // so this refuses only a caller that pins past the bits)
  if (delta > 0 && destPins(d) + 1 >= (1 << DEST_PINS_BITS)) return ERROR_NO_SYSTEM_RESOURCES;
  destPin(d, delta);
  return NO_ERROR;
}

/**
 * The caller's next hops in (address, interface) order from the position (IO_IN key, len, ifIndex) —
 * inclusive or strictly after; with rlen != NO_RANGE only those whose address is covered by
 * (IO_IN[4..7], rlen). Up to max slots → IO_OUT; RES0 = count. A cursor resumes from its last key,
 * so next hops deleted meanwhile never break it (spec D-45).
 */
export function nexthopListFrom(eh: f64, len: u32, ifIndex: u32, inclusive: u32, rlen: u32, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let maxLen = tableMaxLen(entityGet(e, ENTITY_TABLE));
  if (len > maxLen || (rlen != NO_RANGE && rlen > maxLen) || max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let key = ioPtr(IO_IN), rkey = ioPtr(IO_IN + 4);
  let n: u32 = 0, out = ioPtr(IO_OUT);
  for (let h = nhWalkFirst(e, key, len, ifIndex, inclusive != 0, rkey, rlen); h != NIL && n < max; h = nhWalkNext(e, h, rkey, rlen)) {
    store<u32>(out + (<usize>(n++) << 2), h);
  }
  setRes(0, n);
  return NO_ERROR;
}

/**
 * The earliest entry of table t's deadlines without taking it: RES0 = 1 for a hold end (0 for a route
 * expiry), RES1 = its creation order (ROUTE_SEQ, one counter for the core, for a route), RES2 = its
 * slot (route or destination; entries of locked destinations are parked, timers.ts). The scheduler
 * breaks a tie between the tables of an instance with it (rule T4). ERROR_NOT_FOUND when t has none.
 */
export function timerHeadX(t: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  let item = timerHead(t);
  if (item == NIL) return ERROR_NOT_FOUND;
  setRes(0, (item & TIMER_HOLD) != 0 ? 1 : 0);
  setRes(1, timerHeadOrder(t));
  setRes(2, item & ~TIMER_HOLD);
  return NO_ERROR;
}

/** Earliest deadline (route expiry or hold end) of table t, or +Infinity. */
export function timerNext(t: u32): f64 {
  return tableValid(t) ? timerNextDeadline(t) : Infinity;
}

/**
 * Takes the earliest entry of table t if due at `now`. RES0 = slot (route, or destination for a hold
 * end), RES1 = 1 for a hold end. ERROR_NO_MORE_ITEMS when nothing is due.
 */
export function timerPop(t: u32, now: f64): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  // the entry stays armed unless what its expiry or hold end needs is reserved (its own heap entry is
  // freed by the pop, so an expiry's hold timer finds room)
  let due = timerPeekDue(t, now);
  let dueDest = due == NIL ? NIL : (due & TIMER_HOLD) != 0 ? due & ~TIMER_HOLD : routeDest(due);
  if (due != NIL && (!notifyReserve(t, 1, dueDest) || !tombstoneReserve(t, 1, tombstoneLongs(t, dueDest)))) return ERROR_NOT_ENOUGH_MEMORY;
  let item = timerPopDue(t, now);
  if (item == NIL) return ERROR_NO_MORE_ITEMS;
  setRes(0, item & ~TIMER_HOLD);
  setRes(1, (item & TIMER_HOLD) != 0 ? 1 : 0);
  return NO_ERROR;
}

/** The route list a handle names if entity e owns it (lists are private, spec §7.13), else NIL. */
function listOf(e: u32, h: f64): u32 {
  let l = handleSlot(h, KIND_LIST);
  return l != NIL && listGet(l, LIST_OWNER) == e ? l : NIL;
}

/** RtmCreateRouteList. RES0 = list slot. */
export function listCreateX(eh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if (!slabReserve(SLAB_LIST, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  setRes(0, listCreate(entityGet(e, ENTITY_TABLE), e));
  return NO_ERROR;
}

/**
 * RtmInsertInRouteList: n route handles (f64 at IO_HOPS) move to the tail of list lh (0 = out of any
 * list), in order. All-or-nothing: every handle must be a live route of the caller.
 */
export function listInsertX(eh: f64, lh: f64, n: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let l = NIL;
  if (lh != 0) { l = listOf(e, lh); if (l == NIL) return ERROR_INVALID_HANDLE; }
  if (n > MAX_HOPS_LIMIT * 8) return ERROR_INVALID_PARAMETER;
  let need: u32 = 0;   // routes without an extra record (one named twice is counted twice)
  for (let i: u32 = 0; i < n; i++) {
    let r = routeIn(t, load<f64>(ioPtr(IO_HOPS) + (<usize>i << 3)));
    if (r == NIL || !routeLive(r)) return ERROR_INVALID_HANDLE;
    if (!routeHasX(r)) need++;
  }
  for (let i: u32 = 0; i < n; i++) {
    if (routeOwner(routeIn(t, load<f64>(ioPtr(IO_HOPS) + (<usize>i << 3)))) != e) return ERROR_ACCESS_DENIED;
  }
  // routes entering the list without an extra record get one
  if (l != NIL && need != 0 && !routeXReserveN(t, need)) return ERROR_NOT_ENOUGH_MEMORY;
  for (let i: u32 = 0; i < n; i++) {
    let r = routeIn(t, load<f64>(ioPtr(IO_HOPS) + (<usize>i << 3)));
    if (l == NIL) listRemove(r); else listAppend(l, r);
  }
  return NO_ERROR;
}

/** RtmDeleteRouteList. */
export function listDeleteX(eh: f64, lh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let l = listOf(e, lh);
  if (l == NIL) return ERROR_INVALID_HANDLE;
  listDestroy(l);
  return NO_ERROR;
}

/**
 * List enumeration step: up to max routes of list lh with insertion number > after → IO_OUT slots.
 * RES0 = count, RES1 = insertion number of the last one returned (the cursor).
 */
export function listWalkX(eh: f64, lh: f64, after: u32, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let l = listOf(e, lh);
  if (l == NIL) return ERROR_INVALID_HANDLE;
  if (max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let out = ioPtr(IO_OUT);
  let n = listWalk(l, after, max, out);
  setRes(0, n);
  setRes(1, n > 0 ? routeXGet(load<u32>(out + (<usize>(n - 1) << 2)), ROUTEX_LSEQ) : after);
  return NO_ERROR;
}

/** RtmHoldDestination (views already checked by the facade; 0 arms nothing). */
export function holdDestinationX(eh: f64, dh: f64, views: u32, holdMs: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let d = handleSlot(dh, KIND_DEST);
  if (d == NIL || destTable(d) != entityGet(e, ENTITY_TABLE)) return ERROR_INVALID_HANDLE;
  if (holdMs == 0) return ERROR_INVALID_PARAMETER;
  if (destLockedAgainst(d, e)) return ERROR_BUSY;
  let capped: u32 = holdMs > 0x7fffffff ? 0x7fffffff : holdMs;   // INFINITE → the longest hold (D-26)
  if (!destXEnsure(d)) return ERROR_NOT_ENOUGH_MEMORY;   // the hold words live in the extra record
  destArmHold(d, views & 0xff);
  if (capped > destXGet(d, DESTX_HOLD_MS)) destXSet(d, DESTX_HOLD_MS, capped);
  destXTidy(d);
  return NO_ERROR;
}

/**
 * The hold-down of destination slot d of table t ended (the scheduler pops it from the heap, or ran it
 * late because a lock deferred it, spec §7.10 rule 4). A hold that started while the end waited ends
 * with it (its timer is cleared); with no held route nothing happens. RES3 = fired.
 */
export function holdEnd(t: u32, d: u32): i32 {
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  let held = false;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) if (destXGet(d, DESTX_HELD + v) != NIL) held = true;
  if (!held) { timerClear(t, d | TIMER_HOLD); setRes(3, 0); return NO_ERROR; }
  if (!destChangeReserve(t, d)) return ERROR_NOT_ENOUGH_MEMORY;
  timerClear(t, d | TIMER_HOLD);
  holdEndRun(d);
  setRes(3, fired);
  return NO_ERROR;
}

/** Releases the keep a pulled changed destination still has (after the facade took its references). */
export function destUnkeepX(t: u32, d: u32): i32 {
  if (!tableValid(t) || !destValid(t, d) || destKeeps(d) == 0) return ERROR_INVALID_PARAMETER;
  destKeep(d, -1);
  return NO_ERROR;
}

/**
 * RtmUpdateAndUnlockRoute with no staged edit: restarts the timer of the caller's live route (deadline as
 * in routeAdd: ms, -1 never, -2 keep) and moves it to list listH (0 = leave it), changing nothing else.
 */
export function routeRearm(eh: f64, routeH: f64, deadline: f64, listH: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let r = routeIn(t, routeH);
  if (r == NIL || !routeLive(r)) return ERROR_INVALID_HANDLE;
  let list = NIL;
  if (listH != 0) { list = listOf(e, listH); if (list == NIL) return ERROR_INVALID_HANDLE; }
  if (routeOwner(r) != e) return ERROR_ACCESS_DENIED;
  if (deadline >= 0 && routeXGet(r, ROUTEX_HEAPPOS) == NIL && !timerReserve(t)) return ERROR_NOT_ENOUGH_MEMORY;
  if ((deadline >= 0 || list != NIL) && !routeXReserve(r)) return ERROR_NOT_ENOUGH_MEMORY;
  if (deadline >= 0) timerSet(t, r, deadline, routeOrder(r));
  // (a route without an extra record has no timer entry: nothing to clear, no call)
  else if (deadline > -1.5 && routeHasX(r)) timerClear(t, r);
  if (list != NIL) listAppend(list, r);
  return NO_ERROR;
}
