// Entities (registered clients) and their next hops. An entity is identified in its table by
// (protocol id, instance id); its live next hops are indexed by (address, interface) in nhindex.ts: a
// hash for find-or-create (O(1) expected), put in order only when enumerated.
// Reference counting: next hops carry internal refs (routes using them) and client refs (handles
// handed out); a deleted next hop is freed when both reach zero. Entities carry client refs and are
// freed at deregistration once unreferenced. Allocation: one record per entity / next hop, and one
// hash block per entity with two or more live next hops (nhIndexReserve).
import {
  NIL, GEN_MASK, SLAB_ENTITY, SLAB_NEXTHOP, ENTITY_WORDS, ENTITY_TABLE, ENTITY_PROTO, ENTITY_INSTANCE,
  ENTITY_NEXTHOPS, ENTITY_ROUTES, ENTITY_NEXT, ENTITY_FLAGS, ENTITY_F_DEREGISTERED, ENTITY_REFS_SHIFT,
  NEXTHOP_WORDS, NEXTHOP_OWNER, NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_LEN_MASK, NEXTHOP_IFINDEX, NEXTHOP_FLAGS, NEXTHOP_REMOTE,
  NEXTHOP_IREFS, NEXTHOP_REFS, NEXTHOP_NEXT, NEXTHOP_STATE_DELETED, NEXTHOP_STATE_SHIFT, TABLE_ENTITIES,
  TABLE_NEXTHOPS, TABLE_ZNEXTHOPS, NEXTHOP_ZPREV, NEXTHOP_LOCK, LOCK_NONE, NEXTHOP_TABLE, ENTITY_OWNED,
  NO_RANGE, LOCK_K_NEXTHOP,
} from './layout';
import { lockAgainst, lockForget } from './locks';
import { slabAlloc, slabFree, recPtr, slabIsAlive, slabReserve } from './slab';
import { tableGet, tableSet } from './tables';
import { copyMasked, prefixCompare, prefixEq } from './addr';
import { nhIndexFind, nhIndexReserve, nhIndexInsert, nhIndexRemove, nhIndexAny, nhOrderSeek, nhOrderNext } from './nhindex';

// ── entity accessors ─────────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline export function entityPtr(e: u32): usize { return recPtr(SLAB_ENTITY, e, ENTITY_WORDS); }
// @ts-ignore: decorator
@inline export function entityGet(e: u32, w: u32): u32 { return load<u32>(entityPtr(e) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function entitySet(e: u32, w: u32, v: u32): void { store<u32>(entityPtr(e) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function entityRefs(e: u32): u32 { return entityGet(e, ENTITY_FLAGS) >>> ENTITY_REFS_SHIFT; }
// @ts-ignore: decorator
@inline export function entityActive(e: u32): bool {
  return slabIsAlive(SLAB_ENTITY, e) && (entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) == 0;
}

/** The registered entity (proto, instance) of table t, or NIL. */
export function entityFind(t: u32, proto: u32, instance: u32): u32 {
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    if (entityGet(e, ENTITY_PROTO) == proto && entityGet(e, ENTITY_INSTANCE) == instance &&
      (entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) == 0) return e;
  }
  return NIL;
}

/** Creates an entity (caller checked uniqueness and reserved a slot). Appended to the table's list. */
export function entityCreate(t: u32, proto: u32, instance: u32): u32 {
  let e = slabAlloc(SLAB_ENTITY);
  if (e == NIL) return NIL;
  entitySet(e, ENTITY_TABLE, t);
  entitySet(e, ENTITY_PROTO, proto);
  entitySet(e, ENTITY_INSTANCE, instance);
  entitySet(e, ENTITY_NEXTHOPS, NIL);
  entitySet(e, ENTITY_NEXT, NIL);
  // append: registration order is the order RtmGetRegisteredEntities reports
  let last = tableGet(t, TABLE_ENTITIES);
  if (last == NIL) tableSet(t, TABLE_ENTITIES, e);
  else {
    while (entityGet(last, ENTITY_NEXT) != NIL) last = entityGet(last, ENTITY_NEXT);
    entitySet(last, ENTITY_NEXT, e);
  }
  return e;
}

/** Marks an entity deregistered; it is unlinked and freed once nothing references it. */
export function entityRetire(e: u32): void {
  entitySet(e, ENTITY_FLAGS, entityGet(e, ENTITY_FLAGS) | ENTITY_F_DEREGISTERED);
  entityMaybeFree(e);
}

/** Frees a deregistered entity that no client reference and no owned record keeps. */
function entityMaybeFree(e: u32): void {
  if ((entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) != 0 && entityRefs(e) == 0 && entityGet(e, ENTITY_OWNED) == 0) {
    entityFree(e);
  }
}

/** A route or next-hop record of entity e was created (+1) or freed (−1). */
export function entityOwned(e: u32, delta: i32): void {
  let n = <i32>entityGet(e, ENTITY_OWNED) + delta;
  assert(n >= 0); // owned records are counted exactly once each
  entitySet(e, ENTITY_OWNED, <u32>n);
  if (n == 0) entityMaybeFree(e);
}

/** Unlinks an entity from its table's list and frees it. */
export function entityFree(e: u32): void {
  let t = entityGet(e, ENTITY_TABLE);
  let p = tableGet(t, TABLE_ENTITIES);
  if (p == e) tableSet(t, TABLE_ENTITIES, entityGet(e, ENTITY_NEXT));
  else {
    while (p != NIL && entityGet(p, ENTITY_NEXT) != e) p = entityGet(p, ENTITY_NEXT);
    if (p != NIL) entitySet(p, ENTITY_NEXT, entityGet(e, ENTITY_NEXT));
  }
  slabFree(SLAB_ENTITY, e);
}

/** Adjusts an entity's client refs; false if that would go below zero. Frees a retired, unreferenced entity. */
export function entityRef(e: u32, delta: i32): bool {
  let f = entityGet(e, ENTITY_FLAGS);
  let refs = <i32>(f >>> ENTITY_REFS_SHIFT) + delta;
  if (refs < 0) return false;
  entitySet(e, ENTITY_FLAGS, (f & ((1 << ENTITY_REFS_SHIFT) - 1)) | (<u32>refs << ENTITY_REFS_SHIFT));
  if (refs == 0) entityMaybeFree(e);
  return true;
}

// ── next-hop accessors ───────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline export function nhPtr(h: u32): usize { return recPtr(SLAB_NEXTHOP, h, NEXTHOP_WORDS); }
// @ts-ignore: decorator
@inline export function nhGet(h: u32, w: u32): u32 { return load<u32>(nhPtr(h) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function nhSet(h: u32, w: u32, v: u32): void { store<u32>(nhPtr(h) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function nhState(h: u32): u32 { return nhGet(h, NEXTHOP_FLAGS) >>> NEXTHOP_STATE_SHIFT; }
// @ts-ignore: decorator
@inline export function nhLive(h: u32): bool { return slabIsAlive(SLAB_NEXTHOP, h) && nhState(h) != NEXTHOP_STATE_DELETED; }

/** The live next hop of entity e with (address key, len, interface), or NIL. O(1) expected. */
export function nhFind(e: u32, key: usize, len: u32, ifIndex: u32): u32 {
  return nhIndexFind(e, key, len, ifIndex);
}

/** Reserves a record and index room for one more next hop of entity e; false = not enough memory. */
export function nhReserve(e: u32): bool {
  return slabReserve(SLAB_NEXTHOP, 1) && nhIndexReserve(e);
}

/**
 * Creates a next hop of entity e and indexes it (the hash; the (address, interface) order follows at the
 * next enumeration). Caller ran nhReserve; NIL only if allocation failed.
 */
export function nhCreate(e: u32, key: usize, len: u32, ifIndex: u32): u32 {
  let h = slabAlloc(SLAB_NEXTHOP);
  if (h == NIL) return NIL;
  nhSet(h, NEXTHOP_OWNER, e);
  copyMasked(nhPtr(h) + (NEXTHOP_ADDR << 2), key, len);
  nhSet(h, NEXTHOP_LEN, len);
  nhSet(h, NEXTHOP_IFINDEX, ifIndex);
  nhSet(h, NEXTHOP_REMOTE, NIL);
  nhSet(h, NEXTHOP_LOCK, LOCK_NONE);
  nhSet(h, NEXTHOP_TABLE, entityGet(e, ENTITY_TABLE));
  entityOwned(e, 1);
  nhIndexInsert(e, h);
  let t = entityGet(e, ENTITY_TABLE);
  tableSet(t, TABLE_NEXTHOPS, tableGet(t, TABLE_NEXTHOPS) + 1);
  return h;
}

/** True if a lock on next hop h is held by an entity other than e. */
export function nhLockedAgainst(h: u32, e: u32): bool {
  return lockAgainst(nhGet(h, NEXTHOP_LOCK), e);
}

/** Order of next hops: address in canonical prefix order, then interface index. */
export function nhCompare(a: u32, b: u32): i32 {
  return nhComparePos(a, nhPtr(b) + (NEXTHOP_ADDR << 2), nhGet(b, NEXTHOP_LEN) & NEXTHOP_LEN_MASK, nhGet(b, NEXTHOP_IFINDEX));
}

/** Next hop a against the position (address key, len, interface) in next-hop order: -1, 0 or 1. */
export function nhComparePos(a: u32, key: usize, len: u32, ifIndex: u32): i32 {
  let c = prefixCompare(nhPtr(a) + (NEXTHOP_ADDR << 2), nhGet(a, NEXTHOP_LEN) & NEXTHOP_LEN_MASK, key, len);
  if (c != 0) return c;
  let ia = nhGet(a, NEXTHOP_IFINDEX);
  return ia < ifIndex ? -1 : ia > ifIndex ? 1 : 0;
}

/** True if next hop h's address is covered by the prefix (rkey, rlen) (an RTM_ENUM_RANGE bound). */
export function nhInRange(h: u32, rkey: usize, rlen: u32): bool {
  return (nhGet(h, NEXTHOP_LEN) & NEXTHOP_LEN_MASK) >= rlen && prefixEq(nhPtr(h) + (NEXTHOP_ADDR << 2), rkey, rlen);
}

/**
 * Entity e's next hops in (address, interface) order from the position (key, len, ifIndex) — after it,
 * or at it if inclusive — and, unless rlen is NO_RANGE, only those covered by (rkey, rlen): the first, or
 * NIL. O(log n) (nhindex.ts orders pending next hops first). The range's members are one run of the
 * order, so the walk starts at the later of the position and (range prefix, interface 0) and ends at the
 * first next hop outside the range.
 */
export function nhWalkFirst(e: u32, key: usize, len: u32, ifIndex: u32, inclusive: bool, rkey: usize, rlen: u32): u32 {
  let h = nhOrderSeek(e, key, len, ifIndex, inclusive);
  if (rlen != NO_RANGE && h != NIL) {
    let r = nhOrderSeek(e, rkey, rlen, 0, true);
    if (r == NIL || nhCompare(r, h) > 0) h = r;
  }
  return h == NIL || rlen == NO_RANGE || nhInRange(h, rkey, rlen) ? h : NIL;
}

/** The next hop after h in a walk begun by nhWalkFirst with the same range, or NIL. */
export function nhWalkNext(e: u32, h: u32, rkey: usize, rlen: u32): u32 {
  h = nhOrderNext(e, h);
  return h == NIL || rlen == NO_RANGE || nhInRange(h, rkey, rlen) ? h : NIL;
}

/** Marks a next hop deleted and takes it out of its owner's index; freed once unreferenced. */
export function nhDelete(h: u32): void {
  let e = nhGet(h, NEXTHOP_OWNER);
  nhIndexRemove(e, h);
  nhSet(h, NEXTHOP_FLAGS, (nhGet(h, NEXTHOP_FLAGS) & 0xffff) | (NEXTHOP_STATE_DELETED << NEXTHOP_STATE_SHIFT));
  let t = entityGet(e, ENTITY_TABLE);
  tableSet(t, TABLE_NEXTHOPS, tableGet(t, TABLE_NEXTHOPS) - 1);
  // link into the table's zombie list until unreferenced
  let z = tableGet(t, TABLE_ZNEXTHOPS);
  nhSet(h, NEXTHOP_NEXT, z);
  nhSet(h, NEXTHOP_ZPREV, NIL);
  if (z != NIL) nhSet(z, NEXTHOP_ZPREV, h);
  tableSet(t, TABLE_ZNEXTHOPS, h);
  nhMaybeFree(h);
}

/** Deletes every live next hop of entity e (deregistration, table teardown). */
export function nhDeleteAll(e: u32): void {
  for (let h = nhIndexAny(e); h != NIL; h = nhIndexAny(e)) nhDelete(h);
}

/** Frees a deleted next hop that nothing references (unlinking it from the zombie list). */
export function nhMaybeFree(h: u32): void {
  if (nhState(h) == NEXTHOP_STATE_DELETED && nhGet(h, NEXTHOP_IREFS) == 0 && nhGet(h, NEXTHOP_REFS) == 0) {
    nhFreeDeleted(h);
  }
}

/** Unlinks a deleted next hop from its table's zombie list and frees it. */
export function nhFreeDeleted(h: u32): void {
  let t = nhGet(h, NEXTHOP_TABLE);
  let e = nhGet(h, NEXTHOP_OWNER);
  let prev = nhGet(h, NEXTHOP_ZPREV), next = nhGet(h, NEXTHOP_NEXT);
  if (prev == NIL) tableSet(t, TABLE_ZNEXTHOPS, next); else nhSet(prev, NEXTHOP_NEXT, next);
  if (next != NIL) nhSet(next, NEXTHOP_ZPREV, prev);
  lockForget(LOCK_K_NEXTHOP, h);   // a lock a holder kept on the deleted next hop goes with it
  slabFree(SLAB_NEXTHOP, h);
  entityOwned(e, -1);
}

/** Adds delta to a next hop's internal (route) references. */
export function nhIref(h: u32, delta: i32): void {
  let r = <i32>nhGet(h, NEXTHOP_IREFS) + delta;
  assert(r >= 0); // routes release exactly what they took
  nhSet(h, NEXTHOP_IREFS, <u32>r);
  if (r == 0) nhMaybeFree(h);
}

/** Adds delta to a next hop's client references; false if that would go below zero. */
export function nhRef(h: u32, delta: i32): bool {
  let r = <i32>nhGet(h, NEXTHOP_REFS) + delta;
  if (r < 0) return false;
  nhSet(h, NEXTHOP_REFS, <u32>r);
  if (r == 0) nhMaybeFree(h);
  return true;
}

