// Bulk route loading: a batch of route records applied with RtmAddRouteToDest semantics (identity =
// destination + owner + neighbour, spec §7.2; the record's next hop is both the neighbour and the only
// next hop), all-or-nothing validation and memory reservation first. This is the path that loads a
// full Internet table in well under a second: no JS object, no handle and no boundary crossing per
// route. Record layout at IO_IN, LOAD_WORDS words each (the f64 is 8-byte aligned):
// ╒═══════════ load record: LOAD_WORDS = 10 × u32 ═══════════════════════════════════════════════════╕
// │ 0..3 key │ 4 len | views << 8 │ 5 preference │ 6 metric │ 7 flags │ 8..9 next-hop handle (f64, 0) │
// └────────────────────────────────────────────────────────────────────────────────────────────────────┘
import { NIL, KIND_ENTITY, KIND_NEXTHOP, SLAB_ROUTE, SLAB_DEST, SLAB_NODE, ENTITY_TABLE, NEXTHOP_OWNER,
  TABLE_VIEWS, DEST_ROUTES, ROUTE_OWNER, ROUTE_NEIGHBOUR, ROUTE_NEXT, NEXTHOP_TABLE } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_BUSY } from './status';
import { IO_IN, IO_OUT, ioPtr, setRes } from './io';
import { slabReserve } from './slab';
import { tableGet, tableMaxLen } from './tables';
import { handleSlot } from './handles';
import { destEnsure, destFind, destGet, destCreated, destLockedAgainst } from './dests';
import { entityGet, entityActive, nhGet, nhLive } from './entities';
import { routeApply, routeGet, created } from './routes';
import { timerClear } from './timers';
import { notifyReserve } from './notify';

export const LOAD_WORDS: u32 = 10;
/** Records per call: the input region holds IO_BATCH_MAX × 4 words. */
export const LOAD_MAX: u32 = 1638;
const SLOTS: usize = memory.data(<i32>(LOAD_MAX * 4), 16);

/**
 * Applies n load records for entity eh. RES0 = routes created, RES1 = destinations created,
 * RES2 = index of the first bad record on ERROR_INVALID_HANDLE / ERROR_INVALID_PARAMETER.
 * IO_OUT[i] = route slot of record i.
 */
export function routeLoad(eh: f64, n: u32): i32 {
  let e = handleSlot(eh, KIND_ENTITY);
  if (e == NIL || !entityActive(e)) return ERROR_INVALID_HANDLE;
  if (n > LOAD_MAX) return ERROR_INVALID_PARAMETER;
  let t = entityGet(e, ENTITY_TABLE);
  let maxLen = tableMaxLen(t), views = tableGet(t, TABLE_VIEWS);
  let inp = ioPtr(IO_IN);
  // 1. validate every record (handles, then parameters), resolving next hops
  for (let i: u32 = 0; i < n; i++) {
    let rec = inp + (<usize>(i * LOAD_WORDS) << 2);
    let h = load<f64>(rec, 32);
    let nh = NIL;
    if (h != 0) {
      nh = handleSlot(h, KIND_NEXTHOP);
      if (nh == NIL || nhGet(nh, NEXTHOP_TABLE) != t) { setRes(2, i); return ERROR_INVALID_HANDLE; }
    }
    store<u32>(SLOTS + (<usize>i << 2), nh);
  }
  for (let i: u32 = 0; i < n; i++) {
    let rec = inp + (<usize>(i * LOAD_WORDS) << 2);
    let nh = load<u32>(SLOTS + (<usize>i << 2));
    if ((load<u32>(rec, 16) & 0xff) > maxLen || load<u32>(rec, 28) > 0xffff ||
      (nh != NIL && (nhGet(nh, NEXTHOP_OWNER) != e || !nhLive(nh)))) { setRes(2, i); return ERROR_INVALID_PARAMETER; }
  }
  // 2. locks (a destination locked by another entity: ERROR_BUSY), then memory for the worst case
  for (let i: u32 = 0; i < n; i++) {
    let rec = inp + (<usize>(i * LOAD_WORDS) << 2);
    let d = destFind(t, rec, load<u32>(rec, 16) & 0xff);
    if (d != NIL && destLockedAgainst(d, e)) { setRes(2, i); return ERROR_BUSY; }
  }
  if (!slabReserve(SLAB_ROUTE, n) || !slabReserve(SLAB_DEST, n) || !slabReserve(SLAB_NODE, 2 * n) ||
    !notifyReserve(t, n)) return ERROR_NOT_ENOUGH_MEMORY;
  // 3. apply
  let routes: u32 = 0, dests: u32 = 0;
  let out = ioPtr(IO_OUT);
  for (let i: u32 = 0; i < n; i++) {
    let rec = inp + (<usize>(i * LOAD_WORDS) << 2);
    let lv = load<u32>(rec, 16);
    let nh = load<u32>(SLOTS + (<usize>i << 2));
    let d = destEnsure(t, rec, lv & 0xff);
    assert(d != NIL); // reserved above
    if (destCreated) dests++;
    let r = NIL;
    for (let c = destGet(d, DEST_ROUTES); c != NIL; c = routeGet(c, ROUTE_NEXT)) {
      if (routeGet(c, ROUTE_OWNER) == e && routeGet(c, ROUTE_NEIGHBOUR) == nh) { r = c; break; }
    }
    r = routeApply(e, d, r, nh, SLOTS + (<usize>i << 2), nh == NIL ? 0 : 1, load<u32>(rec, 20), load<u32>(rec, 24),
      (lv >>> 8) & views, load<u32>(rec, 28), 0, false);
    if (created) routes++;
    timerClear(t, r); // a loaded route never expires (TTL INFINITE)
    store<u32>(out + (<usize>i << 2), r);
  }
  setRes(0, routes); setRes(1, dests);
  return NO_ERROR;
}
