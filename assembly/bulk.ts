// Bulk build for addRoutesBatch (issue 13): when an entity without routes loads a batch at least as large
// as its table, after the all-chunk validation and whole-batch reservation (bulkCheck, which also notes
// whether the batch came in (masked key, length) order) the records are applied without a prefix search.
// A batch in that order (a table dump) goes in once: each record's node is found or made by a descent
// from the deepest covering node on the path to the previous prefix, its destination and route are
// written next to it (bulkSorted). Any other batch hands its prefixes once in that order (the facade's
// sort, bulksort.ts) to build the trie (bulkTrie), then the records in their own order, each applied with
// routeApply against its known node (bulkApply). Either way slots, creation order and queued changes are
// those of the incremental path. An IPv4 prefix with nothing below it is a leaf made of its destination
// (layout NODE_LEAF): the one pass makes each new prefix's destination record before its trie step (the
// spare); the trie pass, whose destinations come later, makes nodes and folds them into leaves at
// bulkEnd (trie.ts trieFoldLeaves: one walk). Forwarding structures: IPv4 made first and painted as
// states are set; IPv6 built in one pass at the end. Costs: O(depth change) per prefix, O(routes of the
// destination) per record. Allocates the reserved records.
import { NIL, KIND_NEXTHOP, ENTITY_TABLE, ENTITY_ROUTES, TABLE_VIEWS, TABLE_DESTS, TABLE_ROOT, TABLE_SEQ, TABLE_ROUTES,
  TABLE_NOTIFY_USED,
  SLAB_ROUTE, ROUTE_WORDS, ROUTE_END, ROUTE_VIEWS, ROUTE_NEXT,
  ROUTE_SEQ, ROUTE_NHCOUNT_SHIFT, ROUTE_NH, ROUTE_NBHOP_BIT,
  DEST_ROUTES, DEST_KEEPS, DEST_CHANGED, DEST_S_LIVE, VIEW_COUNT, FIRED_ALL,
  FIRED_BEST, FIRED_FWD } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY } from './status';
import { IO_IN, IO_OUT, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { tableGet, tableSet, tableMaxLen } from './tables';
import { slabAllocK } from './slab';
import { handleSlot } from './handles';
import { destMake, destPlace, destUnmake, destSet, destSetState, destPtr, destSetBest } from './dests';
import { entityGet, entitySet, entityOwned, nhIref } from './entities';
import { routeOfOwner, created, routeSet, routeSeqTake, nowMs, setRouteFlags, setRoutePM } from './routes';
import { notifyChange, bestLogTable } from './notify';
import { trieInsert, trieInsertBulk4, trieBulkCount, nodeDest, nodeKeyWords, node4Addr, nodeLen, nodeChild, nodeIsLeaf,
  trieRealise, trieRealiseBulk4, trieFoldLeaves, nodeIsBranch } from './trie';
import { prefixEq, bitAt } from './addr';
import { fibBulkStart, fibBulkEnd } from './fib';
import { fib6BuildNow } from './fib6';
import { entityOf } from './notifyapi';
import { LOAD_MAX, LOAD_LENVIEWS, LOAD_PREF, LOAD_METRIC, LOAD_FLAGS, loadApply, loadValidate, batchReserve, loadFlagged, loadKey, loadWord, loadHop,
  loadMcast, batchLongs } from './load';

/** The entity and table of the bulk build under way (NIL = none). */
let bulkE: u32 = NIL;
let bulkT: u32 = NIL;
// the trie pass's stack: the path from the root to the last node inserted (nested prefixes, so ≤ 130 deep)
const STACK_MAX: u32 = 136;
const STACK: usize = memory.data(<i32>(STACK_MAX * 4), 16);
let sp: u32 = 0;
// the IPv4 forwarding structure was made at bulkBegin (fib.ts fibBulkStart)
let bulkFib = false;
// an IPv4 trie pass (bulkTrie) made nodes for new prefixes, leaves among them: folded at bulkEnd
let bulkFold = false;
// A destination record made (dests.ts destMake) for the next new prefix, before its trie step: an IPv4 leaf
// is made of it (layout NODE_LEAF), or it goes on the prefix's node; kept for the next record while the
// prefix has one, freed at the end of a call. Records are made one at a time, in the order new prefixes
// come, as the incremental path makes them (NIL = none).
let spare: u32 = NIL;
const HOP: usize = memory.data(4, 16);
/** Bulk builds completed (tests: the path was taken), and those of them made in one pass (bulkSorted). */
export let bulkBuilds: u32 = 0;
export let bulkOnePass: u32 = 0;
// the build under way went through bulkSorted
let onePass = false;

// What the check pass saw of the batch it validated: its entity, the records checked so far, whether
// they came in (masked key, length) order, and the last one's masked key (words 0..3) and length.
let ordE: u32 = NIL, ordCount: u32 = 0, ordOk = false, ordLen: u32 = 0;
let ord0: u32 = 0, ord1: u32 = 0, ord2: u32 = 0, ord3: u32 = 0;

// records of the chunks bulkCheck checked since the batch's first that put a route into view 1, and the
// long IPv6 nodes they may make (load.ts batchLongs)
let checkMcast: u32 = 0, checkLongs: u32 = 0;
// and those with route flags (their routes' extra records: load.ts loadFlagged)
let checkFlagged: u32 = 0;

/**
 * The check pass of a multi-chunk addRoutesBatch (chunk of m load records at IO_IN; reserve > 0 on the
 * first chunk: memory for the whole batch of that many records): loadValidate, then the reservation;
 * RES2 = index of the first bad record as loadValidate sets it. Also notes whether the records checked
 * since the first chunk are in (masked key, length) order, for bulkBegin.
 */
export function bulkCheck(eh: f64, m: u32, reserve: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let s = loadValidate(e, t, m);
  if (s != NO_ERROR) return s;
  // the view-1 records and long nodes of the chunks checked so far (the first chunk's reservation covers all else)
  if (reserve != 0) { checkMcast = 0; checkLongs = 0; checkFlagged = 0; }
  checkMcast += loadMcast(t, ioPtr(IO_IN), m, 0);
  checkLongs += batchLongs(t, ioPtr(IO_IN), LOAD_LENVIEWS, LOAD_MAX, m, 0);
  checkFlagged += loadFlagged(ioPtr(IO_IN), m, 0);
  if (!batchReserve(t, reserve, checkMcast, checkLongs, checkFlagged)) return ERROR_NOT_ENOUGH_MEMORY;
  if (reserve != 0) { ordE = e; ordCount = 0; ordOk = true; }
  else if (ordE != e) { ordOk = false; }
  if (ordOk) ordOk = tableMaxLen(t) == 32 ? inOrder4(m) : inOrder6(m);
  ordCount += m;
  return NO_ERROR;
}

/** Masked word w of the key at k of length len. */
// @ts-ignore: decorator
@inline function maskedWord(k: usize, w: u32, len: u32): u32 {
  let rest = <i32>len - <i32>(w << 5);
  let v = load<u32>(k + (<usize>w << 2));
  return rest >= 32 ? v : rest <= 0 ? 0 : v & ~(<u32>0xffffffff >>> <u32>rest);
}

/** True if the m IPv4 load records at IO_IN follow the last one noted in order; notes the last. */
function inOrder4(m: u32): bool {
  let inp = ioPtr(IO_IN);
  let pk = ord0, pl = ordLen, any = ordCount > 0;
  for (let i: u32 = 0; i < m; i++) {
    let len = loadWord(inp, LOAD_LENVIEWS, i) & 0xff;
    let k = maskedWord(loadKey(inp, i), 0, len);
    if (any && (k < pk || (k == pk && len < pl))) return false;
    pk = k; pl = len; any = true;
  }
  ord0 = pk; ordLen = pl;
  return true;
}

/** inOrder4 for IPv6 keys (four words). */
function inOrder6(m: u32): bool {
  let inp = ioPtr(IO_IN);
  let p0 = ord0, p1 = ord1, p2 = ord2, p3 = ord3, pl = ordLen, any = ordCount > 0;
  for (let i: u32 = 0; i < m; i++) {
    let key = loadKey(inp, i), len = loadWord(inp, LOAD_LENVIEWS, i) & 0xff;
    let k0 = maskedWord(key, 0, len), k1 = maskedWord(key, 1, len), k2 = maskedWord(key, 2, len), k3 = maskedWord(key, 3, len);
    if (any) {
      let c: i32 = k0 != p0 ? (k0 < p0 ? -1 : 1) : k1 != p1 ? (k1 < p1 ? -1 : 1) : k2 != p2 ? (k2 < p2 ? -1 : 1) :
        k3 != p3 ? (k3 < p3 ? -1 : 1) : 0;
      if (c < 0 || (c == 0 && len < pl)) return false;
    }
    p0 = k0; p1 = k1; p2 = k2; p3 = k3; pl = len; any = true;
  }
  ord0 = p0; ord1 = p1; ord2 = p2; ord3 = p3; ordLen = pl;
  return true;
}

/**
 * Asks whether addRoutesBatch of n records by entity eh (every chunk already validated and the whole batch
 * reserved by bulkCheck) takes the bulk path: n > LOAD_MAX, the entity owns no route (so no record
 * updates a route the facade holds an EntitySpecificInfo for) and the table has at most n destinations.
 * RES0 = 1 when it does (the build is then under way: bulkSorted or bulkTrie + bulkApply, then bulkEnd),
 * else 0; RES1 = key words to sort on (1 for IPv4, 4 for IPv6); RES2 = 1 when bulkCheck saw all n records
 * of this entity's batch in (masked key, length) order (bulkSorted applies them as they come); RES3 = 1 when
 * the table has no change-notification registration and no best-change log (rtmapi.ts watch): nothing then
 * records the order in which destinations change, so a batch in another order may be applied in prefix order
 * (bulkSorted over the records as the facade sorted them: equal prefixes keep their batch order, so each
 * destination's routes are made and updated as the batch order would, with the same creation order).
 */
export function bulkBegin(eh: f64, n: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let ok = n > LOAD_MAX && entityGet(e, ENTITY_ROUTES) == 0 && tableGet(t, TABLE_DESTS) <= n;
  setRes(0, ok ? 1 : 0);
  setRes(1, tableMaxLen(t) == 32 ? 1 : 4);
  setRes(2, ok && ordOk && ordE == e && ordCount == n ? 1 : 0);
  setRes(3, ok && tableGet(t, TABLE_NOTIFY_USED) == 0 && bestLogTable != t ? 1 : 0);
  ordE = NIL;
  if (ok) { bulkE = e; bulkT = t; store<u32>(STACK, tableGet(t, TABLE_ROOT)); sp = 1; bulkFib = fibBulkStart(t, n); bulkFold = false; }
  return NO_ERROR;
}

/**
 * The node of (key, len) in the bulk build's table, made if absent, by a descent from the nearest node on
 * the stack that covers it; the stack becomes the path to it (a branch node made on the way included), so
 * the next prefix in order finds its parent within a step or two of the top. A new prefix is a leaf made
 * of destination d (trie.ts trieInsert) when it has nothing below it; d = NIL, or an IPv6 prefix longer
 * than a key record holds: a node without a destination.
 */
// @ts-ignore: decorator
@inline function trieStep(t: u32, key: usize, len: u32, d: u32): u32 {
  // pop to the nearest node on the stack that covers (key, len); the root covers everything
  let top = load<u32>(STACK + (<usize>(sp - 1) << 2));
  while (sp > 1) {
    let tl = nodeLen(top);
    if (tl <= len && prefixEq(nodeKeyWords(top), key, tl)) break;
    sp--;
    top = load<u32>(STACK + (<usize>(sp - 1) << 2));
  }
  // a leaf covering the prefix becomes a node (its parent is the entry below it: a leaf is never the root)
  if (nodeIsLeaf(top) && nodeLen(top) < len) {
    top = trieRealise(t, load<u32>(STACK + (<usize>(sp - 2) << 2)), top);
    store<u32>(STACK + (<usize>(sp - 1) << 2), top);
  }
  let moved = topIsBranchAt(top, len);
  let n = trieInsert(t, key, len, top, NIL, d);
  if (moved) { top = n; store<u32>(STACK + (<usize>(sp - 1) << 2), n); }
  for (let c = top; c != n;) {
    c = nodeChild(c, bitAt(key, nodeLen(c)));
    if (sp == STACK_MAX) sp = 1;   // cannot happen (nested prefixes); the root alone is still correct
    store<u32>(STACK + (<usize>(sp++) << 2), c);
  }
  return n;
}

/**
 * True if the stack's top `top`, covering a prefix of `len` bits, is a branch node of either family (trie.ts
 * nodeIsBranch) holding that very prefix: the insertion then moves it into a new node (trie.ts unbranch)
 * and frees it, and the stack must name the new node instead (the path loop after the insertion starts at
 * top). Input in (masked key, length) order never does this — the stack holds the paths of earlier prefixes,
 * and a node on it that a prefix covers exactly lies on the path of an earlier prefix inside that one, which
 * sorts after it — but a caller's disorder must not leave the stack naming a freed node.
 */
// @ts-ignore: decorator
@inline function topIsBranchAt(top: u32, len: u32): bool {
  return nodeIsBranch(top) && nodeLen(top) == len;
}

/** trieStep for an IPv4 table: one key word to compare and to branch on. */
// @ts-ignore: decorator
@inline function trieStep4(t: u32, key: usize, len: u32, d: u32): u32 {
  let a = load<u32>(key);
  let top = load<u32>(STACK + (<usize>(sp - 1) << 2));
  while (sp > 1) {
    let tl = nodeLen(top);   // ≥ 1 below the root
    if (tl <= len && ((a ^ node4Addr(top)) >>> (32 - tl)) == 0) break;
    sp--;
    top = load<u32>(STACK + (<usize>(sp - 1) << 2));
  }
  // in a table dump a more specific prefix follows its aggregate: the leaf on top becomes a node
  if (nodeIsLeaf(top) && nodeLen(top) < len) {
    top = trieRealiseBulk4(load<u32>(STACK + (<usize>(sp - 2) << 2)), top);
    store<u32>(STACK + (<usize>(sp - 1) << 2), top);
  }
  let moved = topIsBranchAt(top, len);
  let n = trieInsertBulk4(t, a, len, top, d);
  if (moved) { top = n; store<u32>(STACK + (<usize>(sp - 1) << 2), n); }
  // every node before n on the path is shorter than len ≤ 32: its branch bit is in the word
  for (let c = top; c != n;) {
    c = nodeChild(c, (a >>> (31 - nodeLen(c))) & 1);
    if (sp == STACK_MAX) sp = 1;   // cannot happen (33 lengths); the root alone is still correct
    store<u32>(STACK + (<usize>(sp++) << 2), c);
  }
  return n;
}

/**
 * Trie pass: m prefixes, keys at IO_IN (4 words each) and lengths at IO_OUT (1 word each), given in
 * (masked key, length) order across calls; each gets its node (created without a destination if absent),
 * whose slot (a leaf id for a prefix that is an IPv4 leaf already) overwrites its length at IO_OUT. Never
 * fails: bulkBegin's caller reserved two nodes a record.
 */
export function bulkTrie(m: u32): i32 {
  if (bulkT == NIL || m > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let t = bulkT, maxLen = tableMaxLen(t);
  let inp = ioPtr(IO_IN), out = ioPtr(IO_OUT);
  for (let j: u32 = 0; j < m; j++) {
    let len = load<u32>(out + (<usize>j << 2));
    if (len > maxLen) return ERROR_INVALID_PARAMETER;   // validated already; never changes anything here
    store<u32>(out + (<usize>j << 2), trieStep(t, inp + (<usize>j << 4), len, NIL));
  }
  // its nodes get their destinations in the apply pass, in the batch's order: leaves are folded at the end
  // (IPv6: into key records, a record each within the batch's reservation, trie.ts nodeReserve)
  bulkFold = true;
  return NO_ERROR;
}

// Counts of the routes newRoute made since the last flush (table, entity, next hop nh's route references).
let newCount: u32 = 0, newNh: u32 = NIL, newNhCount: u32 = 0;

/**
 * The first route of a destination this build just made (no route, no best route, no extra record): what
 * routeApply's case 1 followed by loadApply does there, written directly — the record's words (route words
 * only through ROUTE_*), the chain and best routes (the one route is best in each of its views), the state
 * word (destSetState keeps node mirror, counts and forwarding structure), LastChanged and the queued change
 * (notifyChange, with the flags routeApply fires: ALL, BEST and FORWARDING in each of its views). The counts
 * (TABLE_SEQ, TABLE_ROUTES, ENTITY_ROUTES, the entity's owned records, the next hop's route references) are
 * added by flushNew. Returns the route slot.
 */
// @ts-ignore: decorator
@inline function newRoute(e: u32, t: u32, d: u32, nh: u32, inp: usize, i: u32, views: u32): u32 {
  let vw = (loadWord(inp, LOAD_LENVIEWS, i) >>> 8) & views;
  let r = slabAllocK(SLAB_ROUTE, ROUTE_WORDS);   // zeroed: ESI NULL, no client reference
  assert(r != NIL); // reserved by bulkCheck
  // views word: views, ESI NULL (0), no enumeration mark, the neighbour nh as the one next hop (NIL: no
  // neighbour, no extra record), the next-hop count (layout ROUTE_NHCOUNT)
  routeSet(r, ROUTE_VIEWS, vw | (nh == NIL ? 0 : ROUTE_NBHOP_BIT | (1 << ROUTE_NHCOUNT_SHIFT)));
  routeSet(r, ROUTE_SEQ, routeSeqTake());
  routeSet(r, ROUTE_NH, nh == NIL ? e : nh);   // no next hop: the owner (layout ROUTE_NH)
  routeSet(r, ROUTE_NEXT, ROUTE_END | d);   // the chain's only route: its link names d (layout ROUTE_NEXT)
  // flags, and a preference-and-metric pair without a packed form (layout ROUTE_PM), are extra words
  // (bulkCheck reserved a record for each record with either: load.ts loadFlagged)
  let fl = loadWord(inp, LOAD_FLAGS, i) & 0xffff;
  if (fl != 0) setRouteFlags(r, fl, 0);
  setRoutePM(r, loadWord(inp, LOAD_PREF, i), loadWord(inp, LOAD_METRIC, i));
  if (nh != newNh) { flushNew(e, t); newNh = nh; }
  newCount++;
  newNhCount++;
  destSet(d, DEST_ROUTES, r);
  destSet(d, DEST_KEEPS, 1);
  let fired: u32 = 0;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    let inView = (vw & (1 << v)) != 0;
    destSetBest(d, v, inView ? r : NIL);   // (view 1: bulkCheck reserved its extra record)
    if (inView) fired |= (FIRED_ALL | FIRED_BEST | FIRED_FWD) << (3 * v);
  }
  destSetState(d, (vw & 0xff) | DEST_S_LIVE);
  store<f64>(destPtr(d) + (DEST_CHANGED << 2), nowMs);
  notifyChange(t, d, fired);
  return r;
}

/** Adds the counts of the routes newRoute made since the last flush (entity e of table t). */
function flushNew(e: u32, t: u32): void {
  if (newCount != 0) {
    tableSet(t, TABLE_SEQ, tableGet(t, TABLE_SEQ) + newCount);
    tableSet(t, TABLE_ROUTES, tableGet(t, TABLE_ROUTES) + newCount);
    entitySet(e, ENTITY_ROUTES, entityGet(e, ENTITY_ROUTES) + newCount);
    entityOwned(e, <i32>newCount);
    newCount = 0;
  }
  // the route's one next hop and its neighbour (the same next hop): two references each
  if (newNh != NIL && newNhCount != 0) nhIref(newNh, <i32>(2 * newNhCount));
  newNhCount = 0;
}

/**
 * Record i of the load records at inp on node `node` (its destination placed if it has none — the spare,
 * which the trie step may have made its leaf of): applied as routeLoad applies it (the route of entity e
 * with the record's next hop as neighbour is created or updated; NULL EntitySpecificInfo; no expiry). The
 * route slot goes to IO_OUT[i]; counts in RES0/RES1.
 */
// @ts-ignore: decorator
@inline function applyAt(e: u32, t: u32, node: u32, nh: u32, inp: usize, i: u32, views: u32): void {
  let d = nodeDest(node), r: u32;
  if (d == NIL || d == spare) {
    if (spare == NIL) spare = destMake(t);
    d = spare; spare = NIL;
    destPlace(t, d, node); applyDests++;
    r = newRoute(e, t, d, nh, inp, i, views);
    applyRoutes++;
  } else {
    flushNew(e, t);   // the counts in step before routeApply reads or changes them
    r = routeOfOwner(d, e, nh, false);
    store<u32>(HOP, nh);
    r = loadApply(e, t, d, r, nh, HOP, inp, i, views);
    if (created) applyRoutes++;
  }
  store<u32>(ioPtr(IO_OUT) + (<usize>i << 2), r);
}
let applyRoutes: u32 = 0, applyDests: u32 = 0;

/**
 * Apply pass: m load records at IO_IN (load.ts layout, validated by bulkCheck) in the batch's own
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
  applyRoutes = 0; applyDests = 0;
  let lastH: f64 = 0, nh = NIL;   // a load usually repeats one next hop: resolve each handle once per run
  for (let i: u32 = 0; i < m; i++) {
    let h = loadHop(inp, i);
    if (h != lastH) { lastH = h; nh = h == 0 ? NIL : handleSlot(h, KIND_NEXTHOP); }
    applyAt(e, t, load<u32>(out + (<usize>i << 2)), nh, inp, i, views);
  }
  flushNew(e, t);
  setRes(0, applyRoutes); setRes(1, applyDests);
  return NO_ERROR;
}

/**
 * The one pass of a batch in (masked key, length) order (bulkBegin's RES2): m load records at IO_IN
 * (load.ts layout, validated by bulkCheck), each given its node (trieStep), destination and route in turn,
 * as bulkTrie and bulkApply would. IO_OUT[i] = route slot of record i; RES0 = routes created, RES1 =
 * destinations created.
 */
export function bulkSorted(eh: f64, m: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL || e != bulkE || m > LOAD_MAX) return ERROR_INVALID_PARAMETER;
  let t = bulkT, maxLen = tableMaxLen(t);
  let views = tableGet(t, TABLE_VIEWS);
  let inp = ioPtr(IO_IN);
  for (let i: u32 = 0; i < m; i++) {
    if ((loadWord(inp, LOAD_LENVIEWS, i) & 0xff) > maxLen) return ERROR_INVALID_PARAMETER;   // validated already
  }
  applyRoutes = 0; applyDests = 0;
  onePass = true;
  let lastH: f64 = 0, nh = NIL;
  if (maxLen == 32) {
    for (let i: u32 = 0; i < m; i++) {
      let h = loadHop(inp, i);
      if (h != lastH) { lastH = h; nh = h == 0 ? NIL : handleSlot(h, KIND_NEXTHOP); }
      if (spare == NIL) spare = destMake(t);
      applyAt(e, t, trieStep4(t, loadKey(inp, i), loadWord(inp, LOAD_LENVIEWS, i) & 0xff, spare), nh, inp, i, views);
    }
  } else {
    for (let i: u32 = 0; i < m; i++) {
      let h = loadHop(inp, i);
      if (h != lastH) { lastH = h; nh = h == 0 ? NIL : handleSlot(h, KIND_NEXTHOP); }
      if (spare == NIL) spare = destMake(t);
      applyAt(e, t, trieStep(t, loadKey(inp, i), loadWord(inp, LOAD_LENVIEWS, i) & 0xff, spare), nh, inp, i, views);
    }
  }
  if (spare != NIL) { destUnmake(spare); spare = NIL; }
  flushNew(e, t);
  trieBulkCount(t);
  setRes(0, applyRoutes); setRes(1, applyDests);
  return NO_ERROR;
}

/**
 * Ends the bulk build: the forwarding structure of a table that reached its threshold — IPv4: painted
 * during the apply pass (fibBulkStart), IPv6: built now in one pass.
 */
export function bulkEnd(): i32 {
  if (bulkT == NIL) return ERROR_INVALID_PARAMETER;
  if (bulkFold) trieFoldLeaves(bulkT);
  fibBulkEnd(bulkT, bulkFib);
  fib6BuildNow(bulkT);
  bulkE = NIL; bulkT = NIL; sp = 0; bulkFib = false; bulkFold = false;
  bulkBuilds++;
  if (onePass) bulkOnePass++;
  onePass = false;
  return NO_ERROR;
}
