// Bulk route loading: a batch of route records applied with RtmAddRouteToDest semantics (identity =
// destination + owner + neighbour, spec §7.2; the record's next hop is both the neighbour and the only
// next hop), all-or-nothing validation and memory reservation first. This is the path that loads a
// full Internet table in well under a second: no JS object, no handle and no boundary crossing per
// route. A batch larger than LOAD_MAX is validated chunk by chunk (bulk.ts bulkCheck) before any chunk
// is applied. Records at IO_IN by columns (as the update records of layout.ts), LOAD_WORDS words a record:
// ╒═══════════ load records: column c starts at word c × LOAD_MAX; record i's word at c × LOAD_MAX + i ═════╕
// │ 0..3 key (4i..4i+3) │ 4 len | views << 8 │ 5 preference │ 6 metric │ 7 flags │ 8..9 next-hop handle   │
// │ (f64 at word 8 × LOAD_MAX + 2i, 8-byte aligned; 0 = none): the facade fills most columns with one copy │
// └────────────────────────────────────────────────────────────────────────────────────────────────────────┘
import { NIL, KIND_ENTITY, KIND_NEXTHOP, SLAB_ROUTE, SLAB_DEST, SLAB_DESTX, ENTITY_TABLE, NEXTHOP_OWNER,
  TABLE_VIEWS, NEXTHOP_TABLE, ROUTE_ESI_NULL, ROUTE_ESI_UNKNOWN } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_BUSY } from './status';
import { IO_IN, IO_OUT, ioPtr, setRes } from './io';
import { slabReserve } from './slab';
import { tableGet, tableMaxLen } from './tables';
import { handleSlot } from './handles';
import { destFind, destInsert, destLockedAgainst, destsLocked, destXReserveN } from './dests';
import { entityGet, entityActive, nhGet, nhLive } from './entities';
import { routeApply, routeGet, routeSet, routeOfOwner, created, routeEsi, setRouteEsi, routeXReserveN, pmInline } from './routes';
import { timerClear } from './timers';
import { notifyReserve } from './notify';
import { nodeReserve, nodeShortMax } from './trie';

export const LOAD_WORDS: u32 = 10;
/** Records per call: the input region holds IO_BATCH_MAX × 4 words (LOAD_WORDS × LOAD_MAX ≤ that; even). */
export const LOAD_MAX: u32 = 1638;
/** Column word offsets (× LOAD_MAX) of the load-record fields after the key. */
export const LOAD_LENVIEWS: u32 = 4;
export const LOAD_PREF: u32 = 5;
export const LOAD_METRIC: u32 = 6;
export const LOAD_FLAGS: u32 = 7;
export const LOAD_NEXTHOP: u32 = 8;
const SLOTS: usize = memory.data(<i32>(LOAD_MAX * 4), 16);

/** Address of the key of record i of the load records at `inp`. */
// @ts-ignore: decorator
@inline export function loadKey(inp: usize, i: u32): usize { return inp + (<usize>i << 4); }
/** Word of column `col` (LOAD_LENVIEWS..LOAD_FLAGS) of record i. */
// @ts-ignore: decorator
@inline export function loadWord(inp: usize, col: u32, i: u32): u32 { return load<u32>(inp + (<usize>(col * LOAD_MAX + i) << 2)); }
/** Next-hop handle of record i (0 = none). */
// @ts-ignore: decorator
@inline export function loadHop(inp: usize, i: u32): f64 { return load<f64>(inp + (<usize>(LOAD_NEXTHOP * LOAD_MAX) << 2) + (<usize>i << 3)); }

/**
 * Reserves memory for the worst case of n batch records in table t (a route, a destination, two trie
 * nodes and a queue entry per registration each), `mcast` of which put a route into view 1 (an extra
 * record each for its destination's view-1 best route, layout DESTX_BEST1: loadMcast counts them), and
 * `longs` long IPv6 nodes (layout SLAB_NODE6L: batchLongs counts them). n = 0 reserves only the last two
 * (the later chunks of a checked batch, whose first chunk reserved for all records).
 */
export function batchReserve(t: u32, n: u32, mcast: u32, longs: u32, flagged: u32): bool {
  return slabReserve(SLAB_ROUTE, n) && slabReserve(SLAB_DEST, n) && nodeReserve(t, 2 * n, longs) && notifyReserve(t, n) &&
    destXReserveN(t, mcast) && (flagged == 0 || routeXReserveN(t, flagged));
}

/**
 * Load records from..n-1 at `inp` with route flags or a preference-and-metric pair without a packed form
 * (batchReserve's `flagged`: those live in the route's extra record, layout ROUTEX_FLAGS, ROUTE_PM).
 */
export function loadFlagged(inp: usize, n: u32, from: u32): u32 {
  let k: u32 = 0;
  for (let i = from; i < n; i++) {
    if ((loadWord(inp, LOAD_FLAGS, i) & 0xffff) != 0 || !pmInline(loadWord(inp, LOAD_PREF, i), loadWord(inp, LOAD_METRIC, i))) k++;
  }
  return k;
}

/**
 * The long nodes (layout SLAB_NODE6L, SLAB_NODE4L) that records from..n-1 at `inp` for table t may make —
 * two for each prefix of more than NODE6_SHORT_MAX bits (IPv6), NODE4_SHORT_MAX bits (IPv4) (trie.ts
 * nodeLongs) — for batchReserve. Record i's length
 * is the low byte of its word in column `col`, columns of `rows` words (load and update records alike:
 * loadWord's layout with LOAD_MAX rows, updGet's with UPD_MAX).
 */
export function batchLongs(t: u32, inp: usize, col: u32, rows: u32, n: u32, from: u32): u32 {
  let k: u32 = 0;
  let short = nodeShortMax(t);   // nodeLongs' limit, read once
  for (let i = from; i < n; i++) if ((load<u32>(inp + (<usize>(col * rows + i) << 2)) & 0xff) > short) k += 2;
  return k;
}

/** Load records from..n-1 at `inp` that put a route into view 1 of table t (batchReserve's `mcast`). */
export function loadMcast(t: u32, inp: usize, n: u32, from: u32): u32 {
  if ((tableGet(t, TABLE_VIEWS) & 2) == 0) return 0;
  let k: u32 = 0;
  for (let i = from; i < n; i++) if (((loadWord(inp, LOAD_LENVIEWS, i) >>> 8) & 2) != 0) k++;
  return k;
}

/**
 * Validates n load records at IO_IN for entity e of table t, changing nothing: handles, then parameters
 * (spec D-05), then locks (a destination locked by another entity: ERROR_BUSY; probed only while some
 * destination is locked). Resolved next-hop slots go to SLOTS. RES2 = index of the first bad record.
 */
export function loadValidate(e: u32, t: u32, n: u32): i32 {
  if (n > LOAD_MAX) return ERROR_INVALID_PARAMETER;
  let maxLen = tableMaxLen(t);
  let inp = ioPtr(IO_IN);
  // a batch usually repeats one next hop: each run of equal handles is resolved and checked once
  let lastH: f64 = 0, lastNh = NIL;
  for (let i: u32 = 0; i < n; i++) {
    let h = loadHop(inp, i);
    let nh = NIL;
    if (h != 0) {
      if (h == lastH) nh = lastNh;
      else {
        nh = handleSlot(h, KIND_NEXTHOP);
        if (nh == NIL || nhGet(nh, NEXTHOP_TABLE) != t) { setRes(2, i); return ERROR_INVALID_HANDLE; }
        lastH = h; lastNh = nh;
      }
    }
    store<u32>(SLOTS + (<usize>i << 2), nh);
  }
  let lastOk = NIL;   // the last next hop found owned by e and live
  for (let i: u32 = 0; i < n; i++) {
    let nh = load<u32>(SLOTS + (<usize>i << 2));
    if ((loadWord(inp, LOAD_LENVIEWS, i) & 0xff) > maxLen || loadWord(inp, LOAD_FLAGS, i) > 0xffff) { setRes(2, i); return ERROR_INVALID_PARAMETER; }
    if (nh != NIL && nh != lastOk) {
      if (nhGet(nh, NEXTHOP_OWNER) != e || !nhLive(nh)) { setRes(2, i); return ERROR_INVALID_PARAMETER; }
      lastOk = nh;
    }
  }
  if (destsLocked != 0) {
    for (let i: u32 = 0; i < n; i++) {
      let d = destFind(t, loadKey(inp, i), loadWord(inp, LOAD_LENVIEWS, i) & 0xff);
      if (d != NIL && destLockedAgainst(d, e)) { setRes(2, i); return ERROR_BUSY; }
    }
  }
  return NO_ERROR;
}

/**
 * Applies load record i at `inp` (layout above) of entity e to destination d of table t: creates or updates r
 * (e's route there with next hop nh as neighbour; NIL = none yet), whose one next hop is at `hop`. The
 * route's EntitySpecificInfo becomes NULL, and a loaded route never expires. Returns the route slot
 * (routes.ts `created` says whether it is new). Shared by routeLoad and the bulk build (bulk.ts).
 */
export function loadApply(e: u32, t: u32, d: u32, r: u32, nh: u32, hop: usize, inp: usize, i: u32, views: u32): u32 {
  let esi = r != NIL && routeEsi(r) != ROUTE_ESI_NULL;
  r = routeApply(e, d, r, nh, hop, nh == NIL ? 0 : 1, loadWord(inp, LOAD_PREF, i), loadWord(inp, LOAD_METRIC, i),
    (loadWord(inp, LOAD_LENVIEWS, i) >>> 8) & views, loadWord(inp, LOAD_FLAGS, i), 0, esi);
  setRouteEsi(r, ROUTE_ESI_NULL);
  timerClear(t, r); // TTL INFINITE
  return r;
}

/**
 * Applies load records from..n-1 for entity eh; every record 0..n-1 is validated (loadValidate) and
 * memory reserved before the first is applied, so a failing call changes nothing. RES0 = routes
 * created, RES1 = destinations created (by this call), RES2 = index of the first bad record on
 * ERROR_INVALID_HANDLE / ERROR_INVALID_PARAMETER / ERROR_BUSY. IO_OUT[i] = route slot of record i. An
 * updated route whose EntitySpecificInfo was non-NULL becomes NULL-valued (an EntitySpecificInfo change,
 * as RtmAddRouteToDest without one); at a route whose value the core does not know (ROUTE_ESI_UNKNOWN)
 * the call stops before that record with RES5 = its index and RES6 = the route slot (the facade answers
 * with routeEsiMark and calls again from there). RES5 = n when every record was applied.
 */
export function routeLoad(eh: f64, n: u32, from: u32): i32 {
  let e = handleSlot(eh, KIND_ENTITY);
  if (e == NIL || !entityActive(e)) return ERROR_INVALID_HANDLE;
  let t = entityGet(e, ENTITY_TABLE);
  let s = loadValidate(e, t, n);
  if (s != NO_ERROR) return s;
  if (from > n) return ERROR_INVALID_PARAMETER;
  let inp = ioPtr(IO_IN);
  if (!batchReserve(t, n - from, loadMcast(t, inp, n, from), batchLongs(t, inp, LOAD_LENVIEWS, LOAD_MAX, n, from), loadFlagged(inp, n, from))) {
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  let views = tableGet(t, TABLE_VIEWS);
  let routes: u32 = 0, dests: u32 = 0;
  let out = ioPtr(IO_OUT);
  setRes(5, n);
  for (let i = from; i < n; i++) {
    let key = loadKey(inp, i);
    let lv = loadWord(inp, LOAD_LENVIEWS, i);
    let nh = load<u32>(SLOTS + (<usize>i << 2));
    let d = destFind(t, key, lv & 0xff);
    let r = d == NIL ? NIL : routeOfOwner(d, e, nh, false);
    if (r != NIL && routeEsi(r) == ROUTE_ESI_UNKNOWN) { setRes(5, i); setRes(6, r); break; }
    if (d == NIL) { d = destInsert(t, key, lv & 0xff); assert(d != NIL); dests++; } // reserved above
    r = loadApply(e, t, d, r, nh, SLOTS + (<usize>i << 2), inp, i, views);
    if (created) routes++;
    store<u32>(out + (<usize>i << 2), r);
  }
  setRes(0, routes); setRes(1, dests);
  return NO_ERROR;
}
