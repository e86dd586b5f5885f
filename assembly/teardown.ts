// Table teardown (tableFree: Rtm.close, a freed table): gives back exactly what a table holds. Its
// registrations, enumeration cursors and route lists go first (as before), then every record once, with
// no per-route deletion — no change notification, best-route recompute, hold-down or trie rebalancing, since
// nothing of the table survives: routes (live, held, kept by references) with their hop arrays, destinations
// (in the trie or detached) with their extra records and locks, every trie node, next hops, entities and
// their reference entries, the timer heap, the table record. The slabs are shared with the instance's other
// tables, so each record returns to its kind's free list. O(records of the table); allocates nothing.
import { NIL, SLAB_ROUTE, SLAB_TABLE, SLAB_LIST, SLAB_DEST, SLAB_NEXTHOP, SLAB_ENTITY, TABLE_ROOT,
  TABLE_ENTITIES, TABLE_ZNEXTHOPS, TABLE_NOTIFY, TABLE_NOTIFY_USED, ENTITY_NEXT, ENTITY_TABLE,
  NEXTHOP_TABLE, LIST_TABLE, DEST_ROUTES, DEST_KEEPS, DEST_KEEPS_MASK, DEST_STATE, DEST_S_DETACHED,
  DESTX_HELD, VIEW_COUNT, ROUTE_NH, LOCK_K_DEST, LOCKREC_KIND, LOCKREC_TARGET } from './layout';
import { slabFree, slabHigh, slabIsAlive } from './slab';
import { tableGet, tableSet } from './tables';
import { blockFree } from './blocks';
import { routeGet, routeLive, routeNhCount, routeXDrop, routeDest } from './routes';
import { destTable, destGet, destSet, destXGet, destFreeRecord, destNode, destHasX, chainNext } from './dests';
import { xiFree } from './xindex';
import { nodeDest, trieFreeTombstone, trieFreeNode, triePreStart, triePreNext } from './trie';
import { entityGet, entityFree, nhDeleteAll, nhFreeDeleted, nhGet } from './entities';
import { lockForget, lockFirstRecord, lockNextRecord, lockGet } from './locks';
import { listGet, listDestroy } from './lists';
import { notifyDestroy } from './notify';
import { enumFreeAll } from './enums';
import { refForgetAll, refTableSlots, refDeletedRoute } from './refs';
import { timerFreeAll, timerForgetRoutes } from './timers';
import { fibFree } from './fib';
import { fib6Free } from './fib6';

/**
 * Frees route record r, its hop array and its extra record (a timer still armed, a list, a neighbour); its next hops'
 * counts are not kept: they go with the table.
 */
function routeDrop(r: u32): void {
  let n = routeNhCount(r);
  if (n > 1) blockFree(<usize>routeGet(r, ROUTE_NH), <usize>n << 2);
  routeXDrop(r);   // a route that is not live may hold its neighbour there
  slabFree(SLAB_ROUTE, r);
}

/** Frees destination d with its lock, its live routes and its held routes (not its node). */
function destDrop(d: u32): void {
  lockForget(LOCK_K_DEST, d);   // first: it may hand timer entries parked on it back to the heap
  for (let r = destGet(d, DEST_ROUTES); r != NIL;) {
    let next = chainNext(r);
    routeDrop(r);
    r = next;
  }
  if (destHasX(d)) {
    // a held route is off the chain and may be held in several views
    for (let v: u32 = 0; v < VIEW_COUNT; v++) {
      let h = destXGet(d, DESTX_HELD + v);
      let seen = h == NIL;
      for (let u: u32 = 0; u < v && !seen; u++) seen = destXGet(d, DESTX_HELD + u) == h;
      if (!seen) routeDrop(h);
    }
  }
  destFreeRecord(d);
}

/** Frees table t and everything in it (the caller validated t). */
export function tableTeardown(t: u32): void {
  fibFree(t);
  fib6Free(t);
  // notification registrations (their queues keep destinations, their marks pin them), enumeration
  // cursors, route lists: released as usual, so the records below are held by nothing else of the table
  while (tableGet(t, TABLE_NOTIFY) != NIL) notifyDestroy(tableGet(t, TABLE_NOTIFY));
  enumFreeAll(t, NIL);
  for (let l: u32 = 0, high = slabHigh(SLAB_LIST); l < high; l++) {
    if (slabIsAlive(SLAB_LIST, l) && listGet(l, LIST_TABLE) == t) listDestroy(l);
  }
  // locks on its destinations, while every route is alive: unparking their timer entries moves heap
  // entries; then no route's timer position is needed (every route's extra record goes back to idle)
  for (let l = lockFirstRecord(); l != 0;) {
    let next = lockNextRecord(l);
    if ((lockGet(l, LOCKREC_KIND) & 0xff) == LOCK_K_DEST && destTable(lockGet(l, LOCKREC_TARGET)) == t) {
      lockForget(LOCK_K_DEST, lockGet(l, LOCKREC_TARGET));
    }
    l = next;
  }
  timerForgetRoutes(t);
  // routes kept only by client references (DELETED: in no chain), found through those references: each
  // has an entry in the reference table of every entity of t that holds one (refs.ts; a deregistered
  // entity holds none), and is dropped at the first; a destination they alone kept (detached from the
  // trie, on a tombstone node) goes with its last one
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    for (let i: u32 = 0, n = refTableSlots(e); i < n; i++) {
      let r = refDeletedRoute(e, i);
      if (r == NIL) continue;   // (no such route, or dropped already through another holder)
      let d = routeDest(r);
      routeDrop(r);
      let w = destGet(d, DEST_KEEPS) - 1;   // (keeps are the low bits, and this record keeps one)
      destSet(d, DEST_KEEPS, w);
      if ((w & DEST_KEEPS_MASK) == 0 && (destGet(d, DEST_STATE) & DEST_S_DETACHED) != 0) {
        let tomb = destNode(d);   // an IPv4 destination's own leaf id: trieFreeTombstone frees nothing
        destDrop(d);
        trieFreeTombstone(t, tomb);
      }
    }
  }
  // every node of the trie, its destination and that one's routes, in one pre-order walk
  let root = tableGet(t, TABLE_ROOT);
  if (root != NIL) {
    triePreStart(root);
    for (let n = triePreNext(); n != NIL; n = triePreNext()) {   // n's children are read before it is freed
      let d = nodeDest(n);
      if (d != NIL) destDrop(d);
      trieFreeNode(t, n);
    }
    tableSet(t, TABLE_ROOT, NIL);
  }
  // next hops (live ones leave their owner's index), whatever their route and client counts
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) nhDeleteAll(e);
  while (tableGet(t, TABLE_ZNEXTHOPS) != NIL) nhFreeDeleted(tableGet(t, TABLE_ZNEXTHOPS));
  // entities hold references only on records of their own table, all freed here: forget the entries
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) refForgetAll(e);
  while (tableGet(t, TABLE_ENTITIES) != NIL) entityFree(tableGet(t, TABLE_ENTITIES));
  timerFreeAll(t);
  if (!ASC_NO_ASSERT) leftOf(t);
  xiFree(t);   // its extra index (every extra record went with its destination or route)
  slabFree(SLAB_TABLE, t);
}

/** Debug builds: nothing of table t is left (a record the teardown missed would be lost for good). */
function leftOf(t: u32): void {
  for (let d: u32 = 0, high = slabHigh(SLAB_DEST); d < high; d++) {
    assert(!slabIsAlive(SLAB_DEST, d) || destTable(d) != t); // every destination of t freed
  }
  for (let r: u32 = 0, high = slabHigh(SLAB_ROUTE); r < high; r++) {
    assert(!slabIsAlive(SLAB_ROUTE, r) || slabIsAlive(SLAB_DEST, routeDest(r))); // every route of t freed
  }
  for (let h: u32 = 0, high = slabHigh(SLAB_NEXTHOP); h < high; h++) {
    assert(!slabIsAlive(SLAB_NEXTHOP, h) || nhGet(h, NEXTHOP_TABLE) != t); // every next hop of t freed
  }
  for (let e: u32 = 0, high = slabHigh(SLAB_ENTITY); e < high; e++) {
    assert(!slabIsAlive(SLAB_ENTITY, e) || entityGet(e, ENTITY_TABLE) != t); // every entity of t freed
  }
}
