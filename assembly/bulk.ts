// Bulk build for addRoutesBatch (issue 13): when an entity without routes loads a batch at least as large
// as its table, after the all-chunk validation and whole-batch reservation (hot.ts routeLoadCheck) the
// facade hands the prefixes once in (key, len) order — the trie is built by descents that start at the
// deepest covering node on the path to the previous prefix — then the records in their own order, each
// applied with routeApply against its known node (no prefix search): slots, creation order and queued
// changes are those of the incremental path. Forwarding structures: IPv4 made first and painted as states
// are set; IPv6 built in one pass at the end. Costs: O(depth change) per prefix, O(routes of the
// destination) per record. Allocates the reserved records; the sort order is the facade's (bulksort.ts).
import { NIL, KIND_NEXTHOP, SLAB_DEST, ENTITY_TABLE, ENTITY_ROUTES, TABLE_VIEWS, TABLE_DESTS, TABLE_ROOT, DEST_TABLE,
  DEST_NODE, DEST_ROUTES, DEST_BEST, DEST_LOCK, DEST_X, LOCK_NONE, VIEW_COUNT, ROUTE_ESI_NULL } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER } from './status';
import { IO_IN, IO_OUT, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { tableGet, tableSet, tableMaxLen } from './tables';
import { handleSlot } from './handles';
import { destOnNode } from './dests';
import { entityGet } from './entities';
import { routeApply, routeGet, routeSet, routeOfOwner, created } from './routes';
import { timerClear } from './timers';
import { trieInsert, nodeDest, setNodeDest, setNodeState, nodeKey, nodeLen, nodeChild } from './trie';
import { prefixEq, bitAt } from './addr';
import { fibBulkStart, fibBulkEnd } from './fib';
import { fib6BuildNow } from './fib6';
import { entityOf } from './notifyapi';
import { LOAD_WORDS, LOAD_MAX, loadApply } from './load';

/** The entity and table of the bulk build under way (NIL = none). */
let bulkE: u32 = NIL;
let bulkT: u32 = NIL;
// the trie pass's stack: the path from the root to the last node inserted (nested prefixes, so ≤ 130 deep)
const STACK_MAX: u32 = 136;
const STACK: usize = memory.data(<i32>(STACK_MAX * 4), 16);
let sp: u32 = 0;
// the IPv4 forwarding structure was made at bulkBegin (fib.ts fibBulkStart)
let bulkFib = false;
const HOP: usize = memory.data(4, 16);
/** Bulk builds completed (tests: the path was taken). */
export let bulkBuilds: u32 = 0;

/**
 * Asks whether addRoutesBatch of n records by entity eh (every chunk already validated and the whole batch
 * reserved by routeLoadCheck) takes the bulk path: n > LOAD_MAX, the entity owns no route (so no record
 * updates a route the facade holds an EntitySpecificInfo for) and the table has at most n destinations.
 * RES0 = 1 when it does (the build is then under way: bulkTrie, bulkApply, bulkEnd), else 0; RES1 = key
 * words to sort on (1 for IPv4, 4 for IPv6).
 */
export function bulkBegin(eh: f64, n: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let ok = n > LOAD_MAX && entityGet(e, ENTITY_ROUTES) == 0 && tableGet(t, TABLE_DESTS) <= n;
  setRes(0, ok ? 1 : 0);
  setRes(1, tableMaxLen(t) == 32 ? 1 : 4);
  if (ok) { bulkE = e; bulkT = t; store<u32>(STACK, tableGet(t, TABLE_ROOT)); sp = 1; bulkFib = fibBulkStart(t, n); }
  return NO_ERROR;
}

/**
 * Trie pass: m prefixes, keys at IO_IN (4 words each) and lengths at IO_OUT (1 word each), given in
 * (masked key, length) order across calls; each gets its node (created without a destination if absent),
 * whose slot overwrites its length at IO_OUT. Never fails: bulkBegin's caller reserved two nodes a record.
 */
export function bulkTrie(m: u32): i32 {
  if (bulkT == NIL || m > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let t = bulkT, maxLen = tableMaxLen(t);
  let inp = ioPtr(IO_IN), out = ioPtr(IO_OUT);
  for (let j: u32 = 0; j < m; j++) {
    let key = inp + (<usize>j << 4);
    let len = load<u32>(out + (<usize>j << 2));
    if (len > maxLen) return ERROR_INVALID_PARAMETER;   // validated already; never changes anything here
    // pop to the nearest node on the stack that covers (key, len); the root covers everything
    let top = load<u32>(STACK + (<usize>(sp - 1) << 2));
    while (sp > 1) {
      let tl = nodeLen(top);
      if (tl <= len && prefixEq(nodeKey(top), key, tl)) break;
      sp--;
      top = load<u32>(STACK + (<usize>(sp - 1) << 2));
    }
    let n = trieInsert(t, key, len, top);
    // the stack becomes the path to n (a branch node made on the way included), so the next prefix in
    // order finds its parent within a step or two of the top
    for (let c = top; c != n;) {
      c = nodeChild(c, bitAt(key, nodeLen(c)));
      if (sp == STACK_MAX) sp = 1;   // cannot happen (nested prefixes); the root alone is still correct
      store<u32>(STACK + (<usize>(sp++) << 2), c);
    }
    store<u32>(out + (<usize>j << 2), n);
  }
  return NO_ERROR;
}

/**
 * Apply pass: m load records at IO_IN (load.ts layout, validated by routeLoadCheck) in the batch's own
 * order, each with its node slot from bulkTrie at IO_OUT; applied as routeLoad applies them (the route of
 * the entity with the record's next hop as neighbour is created or updated; NULL EntitySpecificInfo; no
 * expiry). IO_OUT[i] becomes the route slot of record i; RES0 = routes created, RES1 = destinations created.
 */
export function bulkApply(eh: f64, m: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL || e != bulkE || m > LOAD_MAX) return ERROR_INVALID_PARAMETER;
  let t = bulkT;
  let views = tableGet(t, TABLE_VIEWS);
  let inp = ioPtr(IO_IN), out = ioPtr(IO_OUT);
  let routes: u32 = 0, dests: u32 = 0;
  let lastH: f64 = 0, nh = NIL;   // a load usually repeats one next hop: resolve each handle once per run
  for (let i: u32 = 0; i < m; i++) {
    let rec = inp + (<usize>(i * LOAD_WORDS) << 2);
    let h = load<f64>(rec, 32);
    if (h != lastH) { lastH = h; nh = h == 0 ? NIL : handleSlot(h, KIND_NEXTHOP); }
    store<u32>(HOP, nh);
    let node = load<u32>(out + (<usize>i << 2));
    let d = nodeDest(node);
    if (d == NIL) { d = destOnNode(t, node); dests++; }
    let r = routeOfOwner(d, e, nh, false);
    r = loadApply(e, t, d, r, nh, HOP, rec, views);
    if (created) routes++;
    store<u32>(out + (<usize>i << 2), r);
  }
  setRes(0, routes); setRes(1, dests);
  return NO_ERROR;
}

/**
 * Ends the bulk build: the forwarding structure of a table that reached its threshold — IPv4: painted
 * during the apply pass (fibBulkStart), IPv6: built now in one pass.
 */
export function bulkEnd(): i32 {
  if (bulkT == NIL) return ERROR_INVALID_PARAMETER;
  fibBulkEnd(bulkT, bulkFib);
  fib6BuildNow(bulkT);
  bulkE = NIL; bulkT = NIL; sp = 0; bulkFib = false;
  bulkBuilds++;
  return NO_ERROR;
}
