// Route lists (spec §7.13): private, ordered lists of an entity's routes, linked through the routes'
// extra records (ROUTEX_LIST / LPREV / LNEXT). A route is in at most one list; inserting moves it to the tail
// and gives it a new insertion number (ROUTEX_LSEQ, increasing per table), so a list is always sorted by
// insertion number and a list enumeration resumes "after the last number it returned" — routes that
// left meanwhile are skipped, routes appended later are returned, nothing twice (D-45). The lists of an
// entity are found by owner (LIST_OWNER) and destroyed at its deregistration. Allocation: the list
// record, and a route's extra record when it enters a list (the caller reserved it: routeXReserve);
// leaving the list frees it again unless the route's timer still needs it.
import { NIL, SLAB_LIST, LIST_WORDS, LIST_TABLE, LIST_OWNER, LIST_HEAD, LIST_TAIL, LIST_COUNT, ROUTEX_LIST,
  ROUTEX_LPREV, ROUTEX_LNEXT, ROUTEX_LSEQ, TABLE_LIST_SEQ } from './layout';
import { slabAlloc, slabFree, recPtr, slabHigh, slabIsAlive, slabLive } from './slab';
import { tableGet, tableSet } from './tables';
import { routeGet, routeX, routeXGet, routeXPtr, routeXEnsure, routeXTidy } from './routes';

// @ts-ignore: decorator
@inline export function listPtr(l: u32): usize { return recPtr(SLAB_LIST, l, LIST_WORDS); }
// @ts-ignore: decorator
@inline export function listGet(l: u32, w: u32): u32 { return load<u32>(listPtr(l) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function listSet(l: u32, w: u32, v: u32): void { store<u32>(listPtr(l) + (<usize>w << 2), v); }

/** Creates an empty list of entity e in table t (caller reserved a slot). */
export function listCreate(t: u32, e: u32): u32 {
  let l = slabAlloc(SLAB_LIST);
  if (l == NIL) return NIL;
  listSet(l, LIST_TABLE, t);
  listSet(l, LIST_OWNER, e);
  listSet(l, LIST_HEAD, NIL);
  listSet(l, LIST_TAIL, NIL);
  return l;
}

/** Removes route r from list l (r is in l). */
export function listUnlink(l: u32, r: u32): void {
  // r and its neighbours are in l: they have extra records
  let p = routeXPtr(routeX(r));
  let prev = load<u32>(p + (<usize>ROUTEX_LPREV << 2)), next = load<u32>(p + (<usize>ROUTEX_LNEXT << 2));
  if (prev == NIL) listSet(l, LIST_HEAD, next); else store<u32>(routeXPtr(routeX(prev)) + (<usize>ROUTEX_LNEXT << 2), next);
  if (next == NIL) listSet(l, LIST_TAIL, prev); else store<u32>(routeXPtr(routeX(next)) + (<usize>ROUTEX_LPREV << 2), prev);
  store<u32>(p + (<usize>ROUTEX_LIST << 2), NIL);
  store<u32>(p + (<usize>ROUTEX_LPREV << 2), NIL);
  store<u32>(p + (<usize>ROUTEX_LNEXT << 2), NIL);
  store<u32>(p + (<usize>ROUTEX_LSEQ << 2), 0);
  routeXTidy(r);   // freed unless r's timer still needs it
  listSet(l, LIST_COUNT, listGet(l, LIST_COUNT) - 1);
}

/** Moves route r to the tail of list l (out of any list it was in; caller: routeXReserve(r)). */
export function listAppend(l: u32, r: u32): void {
  let cur = routeXGet(r, ROUTEX_LIST);
  if (cur != NIL) listUnlink(cur, r);
  let t = listGet(l, LIST_TABLE);
  let seq = tableGet(t, TABLE_LIST_SEQ) + 1;
  tableSet(t, TABLE_LIST_SEQ, seq);
  let tail = listGet(l, LIST_TAIL);
  // r's extra record, allocated if it has none (leaving cur just freed one if so)
  let p = routeXEnsure(r);
  store<u32>(p + (<usize>ROUTEX_LIST << 2), l);
  store<u32>(p + (<usize>ROUTEX_LPREV << 2), tail);
  store<u32>(p + (<usize>ROUTEX_LNEXT << 2), NIL);
  store<u32>(p + (<usize>ROUTEX_LSEQ << 2), seq);
  if (tail == NIL) listSet(l, LIST_HEAD, r); else store<u32>(routeXPtr(routeX(tail)) + (<usize>ROUTEX_LNEXT << 2), r);
  listSet(l, LIST_TAIL, r);
  listSet(l, LIST_COUNT, listGet(l, LIST_COUNT) + 1);
}

/** Empties and frees list l (its routes stay in the table). */
export function listDestroy(l: u32): void {
  while (listGet(l, LIST_HEAD) != NIL) listUnlink(l, listGet(l, LIST_HEAD));
  slabFree(SLAB_LIST, l);
}

/** Destroys every list entity e owns (deregistration; its routes stay). Returns how many. O(list slots). */
export function listDestroyAllOf(e: u32): u32 {
  let n: u32 = 0;
  for (let l: u32 = 0, high = slabHigh(SLAB_LIST); l < high; l++) {
    if (slabIsAlive(SLAB_LIST, l) && listGet(l, LIST_OWNER) == e) { listDestroy(l); n++; }
  }
  return n;
}

/** Route lists in use, every table (tests: deregistration leaves none of the entity's). */
export function listCount(): u32 { return slabLive(SLAB_LIST); }

/** Up to max routes of l with insertion number > after, in list order → out. Returns the count. */
export function listWalk(l: u32, after: u32, max: u32, out: usize): u32 {
  let n: u32 = 0;
  for (let r = listGet(l, LIST_HEAD); r != NIL && n < max; r = routeXGet(r, ROUTEX_LNEXT)) {
    if (routeXGet(r, ROUTEX_LSEQ) > after) store<u32>(out + (<usize>(n++) << 2), r);
  }
  return n;
}

export { LIST_OWNER };
