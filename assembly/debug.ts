// checkInvariants(t): walks a table's trie and checks every structural rule the other files assert
// one operation at a time, then the next-hop indexes of its entities (nhindex.ts), the table's
// enumeration cursors (enums.ts), the lock records and the timer entries parked on them (locks.ts,
// timers.ts), the routes' extra records and the zombie list (routes.ts) and the reference entries of its
// entities (refs.ts); returns 0 or a code
// naming the first broken rule (see INV_* below). Costs a full walk (O(nodes + next hops × log + cursors
// + reference table slots)); tests call it after operations, hot paths never do. Allocates
// nothing.
// debugTrap(kind): the debug build's deliberate trap, so tests can see the facade's guard turn a core
// trap into RtmInternalError (src/port/). Release builds (noAssert) compile it to ERROR_NOT_SUPPORTED.
import { NIL, SLAB_DEST, TABLE_ROOT, TABLE_NODES, TABLE_DESTS, TABLE_POPULATED,
  DEST_STATE, DEST_S_POPULATED, TABLE_FIB, TABLE_FIBM, TABLE_MDESTS, DEST_S_DETACHED, TABLE_ENTITIES, ENTITY_NEXT, ENTITY_FLAGS, ENTITY_F_DEREGISTERED,
  ENTITY_REFS_SHIFT, ENTITY_TABLE, ENTITY_ROUTES, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, NEXTHOP_REFS,
  NEXTHOP_TABLE, TABLE_NEXTHOPS, DESTX_MARKED, TABLE_LIVE, DEST_S_LIVE, TABLE_NOTIFY_USED, TABLE_NOTIFY, NOTIFY_MARKS, NOTIFY_MAX,
  SLAB_NOTIFY, NOTIFY_TABLE, NOTIFY_INDEX, NOTIFY_NEXT, SLAB_DESTX, DESTX_HELD, DESTX_HOLD_VIEWS, LOCKREC_KIND, LOCKREC_TARGET, LOCK_K_DEST,
  DEST_ROUTES, ROUTE_NEXT, ROUTE_END, ROUTE_EMARK_BIT, ROUTE_VIEWS, SLAB_ROUTEX, ROUTEX_LIST,
  SLAB_LIST, LIST_TABLE, VIEW_COUNT, SLAB_ROUTE, DESTX_LOCK, LOCK_NONE, ROUTE_NBHOP_BIT, ROUTEX_NEIGHBOUR,
  ROUTE_NH, SLAB_NEXTHOP, TABLE_FAMILY, NODE_ID6, NODE_ID6L, NODE6_SHORT_MAX, NODE6B_MAX, SLAB_NODE4, SLAB_NODE4B, SLAB_NODE4L, NODE_BR4, NODE_L4, NODE4_SHORT_MAX, SLAB_NODE6, SLAB_NODE6L, SLAB_NODE6B, NODE_BR6, NODE_LEAF,
  DEST_S_BITS, DEST_S_LEAF, DEST_S_KEY6, SLAB_KEY6, KEY6_INLINE_MAX, DEST_NODE, DESTX_DEST, ROUTEX_ROUTE, DEST_S_B0X, ROUTE_B0_BIT,
  NOTIFY_QPTR, NOTIFY_QHEAD, NOTIFY_QEND, DEST_QUEUED_INLINE, SLAB_ENTITY, NEXTHOP_OWNER } from './layout';
import { lockCheck, lockFirstRecord, lockNextRecord, lockGet, lockParked } from './locks';
import { timerCheck, timerParkedOf } from './timers';
import { notifyGet, queuedHas, queuedBits } from './notify';
import { nhIndexCheck, nhIndexCount } from './nhindex';
import { fibLookup, fibCheck } from './fib';
import { fib6Agrees } from './fib6';
import { slabIsAlive, slabHigh } from './slab';
import { tableGet, tableMaxLen } from './tables';
import { nodeKey, nodeKeyWords, node4Addr, nodeLen, nodeChild, nodeDest, nodeState, trieLpm4, nodeIsLeaf, nodeIsBranch, destHasKeyRecord } from './trie';
import { bitAt, prefixEq, hasHostBits, wordMask } from './addr';
import { destTable, destGet, destSet, destXGet, destXInUse, destXIsIdle, destsLocked, destLockRec, destNode, destBest, destFirst0,
  destPins, destX, destHasX, destXPtr, chainNext } from './dests';
import { XI_DEST, XI_ROUTE, XI_QUEUED, xiCount, xiValid } from './xindex';
import { slabLive } from './slab';
import { kindSlab } from './handles';
import { entityGet, entitySet, nhGet, nhSet } from './entities';
import { routeOwner, routeHop, routeGet, routeSet, routeLive, routeXGet, routeXValid, routeNeighbour, routeNhCount, routeSelect,
  routeViews, routeX, routeHasX, routeTable, routeXPtr, routeRefs, routeRefsCapNow, destRefs, destRefsCapNow, routeDest } from './routes';
import { listGet } from './lists';
import { enumCheck } from './enums';
import { NO_ERROR, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED } from './status';
import { refCount, refTableSlots, refSlotTarget, refSlotCount, refHolderEntries, refsHeld, targetKind, targetSlot, REF_SLOT_EMPTY, refDeletedRoute } from './refs';

export const INV_OK: i32 = 0;
export const INV_LEN_ORDER: i32 = 1;      // child len not greater than parent len
export const INV_KEY_PREFIX: i32 = 2;     // child key disagrees with parent on parent's bits
export const INV_CHILD_SLOT: i32 = 3;     // child hangs under the wrong bit
export const INV_HOST_BITS: i32 = 4;      // key has bits beyond len
export const INV_BRANCH: i32 = 5;         // non-root node with no dest and < 2 children
export const INV_DEST_LINK: i32 = 6;      // dest dead, of another table, or not pointing back; a route's link that
                                          // ends its chain, or a held or DELETED route's, names another destination
export const INV_COUNT_NODES: i32 = 7;
export const INV_COUNT_DESTS: i32 = 8;
export const INV_MAX_LEN: i32 = 9;
export const INV_ROOT: i32 = 10;
export const INV_COUNT_POPULATED: i32 = 11;
export const INV_NODE_STATE: i32 = 12;    // node's mirrored state differs from its dest's
export const INV_FIB: i32 = 13;           // the unicast forwarding structure disagrees with the trie
export const INV_ENUM: i32 = 14;          // an enumeration cursor of the table is broken (enums.ts enumCheck)
export const INV_REF_HOLDER: i32 = 15;    // an entity's reference table holds other than the entries its word counts, or is over half full
export const INV_REF_TARGET: i32 = 16;    // an entry's record is dead or of another table, or its count is 0
export const INV_REF_HASH: i32 = 17;      // an entry is not where the probe for its target finds it
export const INV_REF_EXCESS: i32 = 18;    // the entries of a record count more references than the record has
export const INV_REF_RETIRED: i32 = 19;   // a deregistered entity still holds reference entries
// (20: the reference directory's chains, gone with the directory: references are per-entity tables, refs.ts)
export const INV_NH_INDEX: i32 = 21;      // an entity's next-hop index (hash, ordered tree, pending list) is inconsistent
export const INV_COUNT_NEXTHOPS: i32 = 22; // the table's next-hop count differs from its entities' indexes
export const INV_MARKS: i32 = 23;         // a mark of no live registration, or a registration's mark count is wrong
export const INV_COUNT_LIVE: i32 = 24;    // the table's live-destination count differs from its destinations'
export const INV_DEST_EXTRA: i32 = 25;    // a destination's extra record is idle, not linked back, or disagrees with it
export const INV_LOCKS: i32 = 26;         // a lock record is unlinked, free, of a dead target, or its summary/counts are wrong
export const INV_TIMERS: i32 = 27;        // a timer entry's position is wrong, a parked one's destination is unlocked,
                                          // or a destination's parked entries differ from its lock record's count
export const INV_NOTIFY_LIST: i32 = 28;   // the table's registrations list is not one live registration of the table
                                          // per bit of its used mask, in ascending index
export const INV_ROUTE_EXTRA: i32 = 29;   // a route's extra record is idle, not linked back, of a route that is not
                                          // live, or names a list of another table; the records in use differ from
                                          // the slab's count; a route keeps an enumeration mark; a DELETED route
                                          // has no client reference
export const INV_NODE_SLAB: i32 = 30;     // a node id names the other family's node slab (or an IPv6 node the slab of
                                          // the other length class), or a slot never allocated
export const INV_LEAF: i32 = 31;          // a leaf id (layout NODE_LEAF) of the other family or naming no live
                                          // destination, a leaf of length 0, an IPv6 leaf longer than its key record
                                          // holds, a destination in the trie marked detached, or an IPv4
                                          // node other than the root with a destination and no children (a leaf's
                                          // key and length are checked against its place as any node's are)

export const INV_BEST: i32 = 32;          // a view's best route is not what destRecompute would choose (the view's
                                          // first route in chain order, or an incumbent live route of the view tied
                                          // with it): routes.ts routeApply skips the recompute when it would say so;
                                          // or view 0's exception (DEST_S_B0X, ROUTE_B0_BIT) is not one marked route
export const INV_PINS: i32 = 33;          // a destination's pins (state word, layout DEST_PINS_SHIFT) are fewer than
                                          // the registrations that marked it (each mark is a pin), or its view-1 best
                                          // route (an extra word, DESTX_BEST1) is not a live route of it in view 1
export const INV_KEY6: i32 = 34;          // the IPv6 key records in use (SLAB_KEY6) are not one per destination that
                                          // holds its key in one (DEST_S_KEY6: an IPv6 leaf, in a trie or out of it,
                                          // longer than KEY6_INLINE_MAX bits)
export const INV_QUEUED: i32 = 35;        // a destination's queued bits (layout DEST_QUEUED_SHIFT, xindex.ts XI_QUEUED)
                                          // are not exactly the registrations whose queues hold it, or the XI_QUEUED map
                                          // holds other entries than its destinations with a bit of index ≥ 8
export const INV_OWNER: i32 = 36;         // a route's owner (routes.ts routeOwner: named by word ROUTE_NH) is not a
                                          // live entity of its table, or one of its next hops or its neighbour
                                          // belongs to another entity; or the live routes' owners, summed, differ
                                          // from the entities' route counts (ENTITY_ROUTES) weighted by their slots

const MAXN: u32 = 1024;
const STK: usize = memory.data(<i32>(MAXN * 8), 16); // (node, parent) pairs
const MARKS: usize = memory.data(<i32>(NOTIFY_MAX * 4), 16); // marked destinations per registration index
const QUEUED: usize = memory.data(<i32>(NOTIFY_MAX * 4), 16); // queued destinations per registration index

/**
 * True if every view's best route of d is what destRecompute (routes.ts routeSelect, proto 0, the view's
 * incumbent) would choose again, and view 0's exception is recorded as layout DEST_S_B0X says: with the
 * state bit, one route of the chain carries ROUTE_B0_BIT and it is not the chain's first in view 0;
 * without it, none does.
 */
function bestAsRecomputed(d: u32): bool {
  let marked: u32 = 0, m = NIL;
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    if ((routeGet(r, ROUTE_VIEWS) & ROUTE_B0_BIT) != 0) { marked++; m = r; }
  }
  if ((destGet(d, DEST_STATE) & DEST_S_B0X) != 0 ? marked != 1 || m == destFirst0(d) : marked != 0) return false;
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    let b = destBest(d, v);
    if (routeSelect(d, v, 0, b) != b) return false;
  }
  return true;
}

export function checkInvariants(t: u32): i32 {
  let root = tableGet(t, TABLE_ROOT);
  if (root == NIL || nodeLen(root) != 0) return INV_ROOT;
  let maxLen = tableMaxLen(t);
  let v6 = tableGet(t, TABLE_FAMILY) != 4;
  let fib = <usize>tableGet(t, TABLE_FIB), fibm = <usize>tableGet(t, TABLE_FIBM);
  if ((fib != 0 && !fibCheck(fib)) || (fibm != 0 && !fibCheck(fibm))) return INV_FIB;
  let nodes: u32 = 0, dests: u32 = 0, populated: u32 = 0, live: u32 = 0, mdests: u32 = 0;
  let owners: u64 = 0, owned: u64 = 0;   // the live routes' owner slots summed, and ENTITY_ROUTES × slot (INV_OWNER)
  let sp: u32 = 0;
  memory.fill(MARKS, 0, <usize>NOTIFY_MAX << 2);
  let used = tableGet(t, TABLE_NOTIFY_USED);
  store<u32>(STK, root); store<u32>(STK + 4, NIL); sp = 1;
  while (sp > 0) {
    sp--;
    let n = load<u32>(STK + (<usize>sp << 3));
    let p = load<u32>(STK + (<usize>sp << 3) + 4);
    if (nodeIsLeaf(n)) {
      // a leaf: a live destination holding its key and a length ≥ 1 (checked below): an IPv4 one in its record,
      // an IPv6 one of at most NODE6_SHORT_MAX bits (DEST_S_KEY6, NODE_ID6 in its id) in its record up to
      // KEY6_INLINE_MAX bits (no bit beyond its length), in a key record (a slot of SLAB_KEY6) when longer
      let ld = n & ~(NODE_LEAF | NODE_ID6);
      if (((n & NODE_ID6) != 0) != v6 || !slabIsAlive(SLAB_DEST, ld) || (destGet(ld, DEST_STATE) & DEST_S_LEAF) == 0 ||
        ((destGet(ld, DEST_STATE) & DEST_S_KEY6) != 0) != v6 || nodeLen(n) == 0) return INV_LEAF;
      if (v6) {
        let ll = nodeLen(n), k = destGet(ld, DEST_NODE);
        if (ll > NODE6_SHORT_MAX || (ll <= KEY6_INLINE_MAX ? (k & ~wordMask(ll)) != 0 : k >= slabHigh(SLAB_KEY6))) return INV_LEAF;
      }
    } else {
      nodes++;
      // an IPv4 table's nodes are SLAB_NODE4 slots (one key word); an IPv6 table's SLAB_NODE6 slots | NODE_ID6
      // when at most NODE6_SHORT_MAX bits long (two key words; a SLAB_NODE6B slot | NODE_ID6 | NODE_BR6 for a
      // branch of at most NODE6B_MAX bits: no destination, below), else SLAB_NODE6L slots | NODE_ID6 | NODE_ID6L
      if (v6) {
        let long = (n & NODE_ID6L) != 0, br = (n & NODE_BR6) != 0;
        if ((n & NODE_ID6) == 0 || (n & NODE_L4) != 0 || (br && long) || long != (nodeLen(n) > NODE6_SHORT_MAX) || (br && nodeLen(n) > NODE6B_MAX) ||
          (n & ~(NODE_ID6 | NODE_ID6L | NODE_BR6)) >= slabHigh(br ? SLAB_NODE6B : long ? SLAB_NODE6L : SLAB_NODE6)) return INV_NODE_SLAB;
      } else {
        // an IPv4 table's: a SLAB_NODE4 slot, a SLAB_NODE4L slot | NODE_L4 when longer than NODE4_SHORT_MAX
        // bits, or a SLAB_NODE4B slot | NODE_BR4 (a short branch: no destination, below)
        let br = (n & NODE_BR4) != 0, long = (n & NODE_L4) != 0, slot = n & ~(NODE_BR4 | NODE_L4);
        if ((n & (NODE_ID6 | NODE_ID6L)) != 0 || (br && long) || slot >= slabHigh(br ? SLAB_NODE4B : long ? SLAB_NODE4L : SLAB_NODE4) ||
          long != (nodeLen(n) > NODE4_SHORT_MAX)) return INV_NODE_SLAB;
      }
    }
    // the root is a node that can hold a destination (0/0's): never a branch record
    if (n == root && nodeIsBranch(n)) return INV_NODE_SLAB;
    let nl = nodeLen(n);
    if (nl > maxLen) return INV_MAX_LEN;
    // nodeKey: four words, those a short IPv6 node lacks read as zero
    if (v6 ? hasHostBits(nodeKey(n), nl) : (node4Addr(n) & ~wordMask(nl)) != 0) return INV_HOST_BITS;
    if (p != NIL) {
      let pl = nodeLen(p);
      if (nl <= pl) return INV_LEN_ORDER;
      // the key words of the record (one for IPv4: pl < nl ≤ 32, so the helpers read word 0 only)
      if (!prefixEq(nodeKeyWords(n), nodeKeyWords(p), pl)) return INV_KEY_PREFIX;
      if (nodeChild(p, bitAt(nodeKeyWords(n), pl)) != n) return INV_CHILD_SLOT;
    }
    let d = nodeDest(n);
    let c0 = nodeChild(n, 0), c1 = nodeChild(n, 1);
    if (d == NIL) {
      if (n != root && (c0 == NIL || c1 == NIL)) return INV_BRANCH;
    } else {
      if (!slabIsAlive(SLAB_DEST, d) || destTable(d) != t || destNode(d) != n) return INV_DEST_LINK;
      if ((destGet(d, DEST_STATE) & DEST_S_DETACHED) != 0) return INV_LEAF;
      // a destination with nothing below it is a leaf (IPv4; the root is a node for the table's whole life)
      if (!v6 && n != root && !nodeIsLeaf(n) && c0 == NIL && c1 == NIL) return INV_LEAF;
      if (nodeState(n) != (destGet(d, DEST_STATE) & DEST_S_BITS)) return INV_NODE_STATE;
      if (fib != 0 || fibm != 0) {
        // first, middle and last address of the prefix answer as the trie walk of each view does (IPv4)
        let k = node4Addr(n);
        let span: u32 = nl == 0 ? 0xffffffff : nl == 32 ? 0 : 0xffffffff >>> nl;
        for (let i: u32 = 0; i < 3; i++) {
          let a = k + (i == 0 ? 0 : i == 1 ? span >>> 1 : span);
          if (fib != 0 && fibLookup(fib, a) != trieLpm4(root, a, 1)) return INV_FIB;
          if (fibm != 0 && fibLookup(fibm, a) != trieLpm4(root, a, 2)) return INV_FIB;
        }
      }
      // destinations qualifying in view 1 (the multicast structures' count, either family)
      let st = destGet(d, DEST_STATE);
      if ((st & 2) != 0 && (st & DEST_S_DETACHED) == 0) mdests++;
      // an IPv6 table's structure (fib6.ts): the same three addresses against the view-0 trie walk
      if (!fib6Agrees(t, nodeKey(n), nl)) return INV_FIB;
      dests++;
      if ((destGet(d, DEST_STATE) & DEST_S_POPULATED) != 0) populated++;
      if ((destGet(d, DEST_STATE) & DEST_S_LIVE) != 0) live++;
      let x = destX(d);
      if (destHasX(d) && x == NIL) return INV_DEST_EXTRA;   // the bit without an index entry
      if (x != NIL) {
        if (x >= slabHigh(SLAB_DESTX) || !destXInUse(x) || destXIsIdle(x)) return INV_DEST_EXTRA;
      }
      // no live-route count: a live route in the chain is LIVE (layout DEST_ROUTES; the low-level table
      // API sets states without routes, so not the converse)
      if (destGet(d, DEST_ROUTES) != NIL && (destGet(d, DEST_STATE) & DEST_S_LIVE) == 0) return INV_COUNT_LIVE;
      if (!bestAsRecomputed(d)) return INV_BEST;
      if (destPins(d) < <u32>popcnt(destXGet(d, DESTX_MARKED))) return INV_PINS;
      let b1 = destBest(d, 1);
      if (b1 != NIL && (!routeLive(b1) || routeDest(b1) != d || (routeViews(b1) & 2) == 0)) return INV_PINS;
      // the lock word (an extra word) names a lock record of d, and destsLocked counts it
      let lw = destXGet(d, DESTX_LOCK);
      if (lw != LOCK_NONE && (destsLocked == 0 || lockGet(<usize>lw, LOCKREC_TARGET) != d ||
        (lockGet(<usize>lw, LOCKREC_KIND) & 0xff) != LOCK_K_DEST || destLockRec(d) != lw)) return INV_LOCKS;
      // held routes only where hold-down is armed (the low-level table API sets states without routes)
      let held = destXGet(d, DESTX_HELD) != NIL || destXGet(d, DESTX_HELD + 1) != NIL;
      if (held && destXGet(d, DESTX_HOLD_VIEWS) == 0) return INV_DEST_EXTRA;
      if (!routesCheck(t, d)) return INV_ROUTE_EXTRA;
      // the chain's last link and a held route's name d (layout ROUTE_NEXT: routes have no destination word)
      for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
        if (!ownerCheck(t, r)) return INV_OWNER;
        owners += routeOwner(r);
        let link = routeGet(r, ROUTE_NEXT);
        if ((link & ROUTE_END) != 0 && link != (ROUTE_END | d)) return INV_DEST_LINK;
      }
      for (let v: u32 = 0; v < VIEW_COUNT; v++) {
        let h = destXGet(d, DESTX_HELD + v);
        if (h == NIL) continue;
        if (!ownerCheck(t, h)) return INV_OWNER;
        if (routeGet(h, ROUTE_NEXT) != (ROUTE_END | d)) return INV_DEST_LINK;
      }
      let marked = destXGet(d, DESTX_MARKED);
      if ((marked & ~used) != 0) return INV_MARKS;
      for (; marked != 0; marked &= marked - 1) {
        let i = <usize>ctz(marked);
        store<u32>(MARKS + (i << 2), load<u32>(MARKS + (i << 2)) + 1);
      }
    }
    if (sp + 2 >= MAXN) return INV_LEN_ORDER; // deeper than any valid trie
    if (c0 != NIL) { store<u32>(STK + (<usize>sp << 3), c0); store<u32>(STK + (<usize>sp << 3) + 4, n); sp++; }
    if (c1 != NIL) { store<u32>(STK + (<usize>sp << 3), c1); store<u32>(STK + (<usize>sp << 3) + 4, n); sp++; }
  }
  if (nodes != tableGet(t, TABLE_NODES)) return INV_COUNT_NODES;
  if (dests != tableGet(t, TABLE_DESTS)) return INV_COUNT_DESTS;
  if (populated != tableGet(t, TABLE_POPULATED)) return INV_COUNT_POPULATED;
  if (live != tableGet(t, TABLE_LIVE)) return INV_COUNT_LIVE;
  if (mdests != tableGet(t, TABLE_MDESTS)) return INV_FIB;
  // every extra record in use is one a destination links to (no leak): count them against the slab
  let extras: u32 = 0, mine: u32 = 0;
  for (let x: u32 = 0, high = slabHigh(SLAB_DESTX); x < high; x++) {
    if (!destXInUse(x)) continue;
    if (destXIsIdle(x)) return INV_DEST_EXTRA;
    extras++;
    if (destTable(load<u32>(destXPtr(x) + (<usize>DESTX_DEST << 2))) == t) mine++;
  }
  if (extras != slabLive(SLAB_DESTX)) return INV_DEST_EXTRA;
  // t's extra index: one entry per extra record of its destinations, each found from its home (xindex.ts)
  if (xiCount(t, XI_DEST) != mine || !xiValid(t, XI_DEST)) return INV_DEST_EXTRA;
  // likewise the IPv6 key records: one per destination (of any table) that holds its key in one
  // (and in the same pass: t's destinations' queued bits, counted per registration index)
  let keys: u32 = 0, highQueued: u32 = 0;
  memory.fill(QUEUED, 0, <usize>NOTIFY_MAX << 2);
  for (let x: u32 = 0, high = slabHigh(SLAB_DEST); x < high; x++) {
    if (!slabIsAlive(SLAB_DEST, x)) continue;
    if (destHasKeyRecord(destGet(x, DEST_STATE))) keys++;
    if (destTable(x) != t) continue;
    let bits = queuedBits(t, x);
    if ((bits & ~used) != 0) return INV_QUEUED;
    if ((bits >>> DEST_QUEUED_INLINE) != 0) highQueued++;
    for (; bits != 0; bits &= bits - 1) {
      let at = QUEUED + (<usize>ctz(bits) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
  }
  if (keys != slabLive(SLAB_KEY6)) return INV_KEY6;
  if (xiCount(t, XI_QUEUED) != highQueued || !xiValid(t, XI_QUEUED)) return INV_QUEUED;
  if (!routeExtrasCheck(t)) return INV_ROUTE_EXTRA;
  let zinv = zombiesCheck(t);
  if (zinv != INV_OK) return zinv;
  // the registrations' list: one per bit of the used mask, in ascending index, each of this table
  let seen: u32 = 0, last: i32 = -1;
  for (let n = tableGet(t, TABLE_NOTIFY), k: u32 = 0; n != NIL; n = notifyGet(n, NOTIFY_NEXT)) {
    if (++k > NOTIFY_MAX || !slabIsAlive(SLAB_NOTIFY, n) || notifyGet(n, NOTIFY_TABLE) != t) return INV_NOTIFY_LIST;
    let i = notifyGet(n, NOTIFY_INDEX);
    if (<i32>i <= last || i >= NOTIFY_MAX) return INV_NOTIFY_LIST;
    last = <i32>i;
    seen |= 1 << i;
    if (notifyGet(n, NOTIFY_MARKS) != load<u32>(MARKS + (<usize>i << 2))) return INV_MARKS;
    // its queue holds each destination whose bit i is set, once, and only those
    let q = <usize>notifyGet(n, NOTIFY_QPTR), queued: u32 = 0;
    for (let j = notifyGet(n, NOTIFY_QHEAD), end = notifyGet(n, NOTIFY_QEND); j < end; j++) {
      let d = load<u32>(q + (<usize>j << 2));
      if (d == NIL) continue;
      if (!slabIsAlive(SLAB_DEST, d) || destTable(d) != t || !queuedHas(t, d, i)) return INV_QUEUED;
      queued++;
    }
    if (queued != load<u32>(QUEUED + (<usize>i << 2))) return INV_QUEUED;
  }
  if (seen != used) return INV_NOTIFY_LIST;
  // every entity's next-hop index against its tree and pending list; their counts against the table's
  let nexthops: u32 = 0;
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    if (nhIndexCheck(e) != 0) return INV_NH_INDEX;
    nexthops += nhIndexCount(e);
    owned += <u64>entityGet(e, ENTITY_ROUTES) * e;
  }
  // a route counted for one entity that names another changes the sum
  if (owners != owned) return INV_OWNER;
  if (nexthops != tableGet(t, TABLE_NEXTHOPS)) return INV_COUNT_NEXTHOPS;
  if (!enumCheck(t)) return INV_ENUM;
  let inv = checkLocks(t);
  if (inv != INV_OK) return inv;
  return checkRefs(t);
}

/**
 * The routes of destination d's chain and its held routes: a live route's extra record (if any) links
 * back to it, is not idle and names no list of another table; a held route's holds only its neighbour;
 * every neighbour is in its one form (neighbourCheck); no route keeps an enumeration mark (it lives only
 * within one enumeration Get).
 */
function routesCheck(t: u32, d: u32): bool {
  for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
    if (!routeLive(r) || (routeGet(r, ROUTE_VIEWS) & ROUTE_EMARK_BIT) != 0 || !neighbourCheck(r)) return false;
    let x = routeX(r);
    if (x == NIL) { if (routeHasX(r)) return false; continue; }
    if (x >= slabHigh(SLAB_ROUTEX) || !routeXValid(x)) return false;
    let l = routeXGet(r, ROUTEX_LIST);
    if (l != NIL && (!slabIsAlive(SLAB_LIST, l) || listGet(l, LIST_TABLE) != t)) return false;
  }
  for (let v: u32 = 0; v < VIEW_COUNT; v++) {
    let h = destXGet(d, DESTX_HELD + v);
    if (h == NIL) continue;
    if (routeLive(h) || (routeGet(h, ROUTE_VIEWS) & ROUTE_EMARK_BIT) != 0 || !neighbourCheck(h)) return false;
    let x = routeX(h);
    if (x == NIL && routeHasX(h)) return false;
    if (x != NIL && (x >= slabHigh(SLAB_ROUTEX) || !routeXValid(x))) return false;
  }
  return true;
}

/**
 * Route r's neighbour is in its one form (layout ROUTE_NBHOP_BIT): the bit only with at most one next hop
 * and no extra neighbour word; an extra neighbour word only where word ROUTE_NH cannot hold it (two or
 * more next hops, or one other than the neighbour); a neighbour is a next hop of the route's table.
 */
function neighbourCheck(r: u32): bool {
  let bit = (routeGet(r, ROUTE_VIEWS) & ROUTE_NBHOP_BIT) != 0, xnb = routeXGet(r, ROUTEX_NEIGHBOUR);
  let n = routeNhCount(r);
  if (bit && (n > 1 || xnb != NIL)) return false;
  if (xnb != NIL && (n == 0 || (n == 1 && routeGet(r, ROUTE_NH) == xnb))) return false;
  let nb = routeNeighbour(r);
  return nb == NIL || (slabIsAlive(SLAB_NEXTHOP, nb) && nhGet(nb, NEXTHOP_TABLE) == destTable(routeDest(r)));
}

/**
 * Route r of table t names its owner as layout ROUTE_NH says: the owner (routeOwner) is a live entity of
 * t, and every next hop of r and its neighbour belong to it.
 */
function ownerCheck(t: u32, r: u32): bool {
  let e = routeOwner(r), n = routeNhCount(r);
  if (!slabIsAlive(SLAB_ENTITY, e) || entityGet(e, ENTITY_TABLE) != t) return false;
  for (let i: u32 = 0; i < n; i++) if (nhGet(routeHop(r, i), NEXTHOP_OWNER) != e) return false;
  let nb = routeNeighbour(r);
  return nb == NIL || nhGet(nb, NEXTHOP_OWNER) == e;
}

/**
 * Table t's DELETED routes, found as teardown finds them — through the references that keep them, in the
 * reference tables of t's entities: each is referenced, in no chain (its link names its destination
 * alone, a destination of t: else INV_DEST_LINK), has no mark, its neighbour in its one form and its
 * extra record linked back (else INV_ROUTE_EXTRA), and names its owner as layout ROUTE_NH says (INV_OWNER).
 */
function zombiesCheck(t: u32): i32 {
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    for (let i: u32 = 0, n = refTableSlots(e); i < n; i++) {
      let r = refDeletedRoute(e, i);
      if (r == NIL) continue;
      let link = routeGet(r, ROUTE_NEXT), d = link & ~ROUTE_END;
      if ((link & ROUTE_END) == 0 || link == NIL || !slabIsAlive(SLAB_DEST, d) || destTable(d) != t) return INV_DEST_LINK;
      if (routeRefs(r) == 0 || (routeGet(r, ROUTE_VIEWS) & ROUTE_EMARK_BIT) != 0 || !neighbourCheck(r)) return INV_ROUTE_EXTRA;
      let x = routeX(r);
      if (x == NIL && routeHasX(r)) return INV_ROUTE_EXTRA;
      if (x != NIL && (x >= slabHigh(SLAB_ROUTEX) || !routeXValid(x))) return INV_ROUTE_EXTRA;
      if (!ownerCheck(t, r)) return INV_OWNER;
    }
  }
  return INV_OK;
}

/**
 * Every route extra record in use (every table) is one a route links to: counted against the slab; t's
 * extra index has one entry per extra record of its routes, each found from its home (xindex.ts).
 */
function routeExtrasCheck(t: u32): bool {
  let n: u32 = 0, mine: u32 = 0;
  for (let x: u32 = 0, high = slabHigh(SLAB_ROUTEX); x < high; x++) {
    if (!routeXValid(x)) continue;
    n++;
    if (routeTable(load<u32>(routeXPtr(x) + (<usize>ROUTEX_ROUTE << 2))) == t) mine++;
  }
  return n == slabLive(SLAB_ROUTEX) && xiCount(t, XI_ROUTE) == mine && xiValid(t, XI_ROUTE);
}

/** Lock records (locks.ts lockCheck, every table) and the timer entries parked on them (table t). */
function checkLocks(t: u32): i32 {
  if (!lockCheck(destsLocked)) return INV_LOCKS;
  if (!timerCheck(t)) return INV_TIMERS;
  for (let l = lockFirstRecord(); l != 0; l = lockNextRecord(l)) {
    if ((lockGet(l, LOCKREC_KIND) & 0xff) != LOCK_K_DEST) continue;
    let d = lockGet(l, LOCKREC_TARGET);
    if (destTable(d) == t && lockParked(l) != timerParkedOf(d)) return INV_TIMERS;
  }
  return INV_OK;
}

/** The table of the record a reference entry targets if it is alive, else NIL. */
function targetTable(target: u32): u32 {
  let kind = targetKind(target), s = targetSlot(target);
  let slab = kindSlab(kind);
  if (slab == NIL || !slabIsAlive(slab, s)) return NIL;
  if (kind == KIND_DEST) return destTable(s);
  if (kind == KIND_ROUTE) return destTable(routeDest(s));
  if (kind == KIND_NEXTHOP) return nhGet(s, NEXTHOP_TABLE);
  return entityGet(s, ENTITY_TABLE);
}

/** Adds delta to the client count of a target record; false (unchanged) if it would go below zero. */
function adjustCount(target: u32, delta: i32): bool {
  let kind = targetKind(target), s = targetSlot(target);
  if (kind == KIND_DEST || kind == KIND_ROUTE) return true;   // exactly its entries' sum: checkRefs compares it directly
  let c: i64;
  if (kind == KIND_NEXTHOP) c = <i64>nhGet(s, NEXTHOP_REFS);
  else c = <i64>(entityGet(s, ENTITY_FLAGS) >>> ENTITY_REFS_SHIFT);
  c += delta;
  if (c < 0) return false;
  if (kind == KIND_NEXTHOP) nhSet(s, NEXTHOP_REFS, <u32>c);
  else entitySet(s, ENTITY_FLAGS, (entityGet(s, ENTITY_FLAGS) & ((1 << ENTITY_REFS_SHIFT) - 1)) | (<u32>c << ENTITY_REFS_SHIFT));
  return true;
}

/**
 * References of the entities of table t (refs.ts): each holder's table has exactly the entries its word
 * counts, each found by its own probe, at most half of its slots; no entries for deregistered entities;
 * every entry's record alive in t with a count ≥ 1; a route's or a destination's saturating count equal to
 * its entries' sum up to its cap; and for next hops and entities the entries' counts summing to at most the
 * record's count — checked by subtracting every entry's count from its record (a sum above the count goes
 * below zero) and adding them back.
 */
function checkRefs(t: u32): i32 {
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    let n = refTableSlots(e), found: u32 = 0;
    if (n != 0 && (entityGet(e, ENTITY_FLAGS) & ENTITY_F_DEREGISTERED) != 0) return INV_REF_RETIRED;
    for (let i: u32 = 0; i < n; i++) {
      let target = refSlotTarget(e, i);
      if (target == REF_SLOT_EMPTY) continue;
      found++;
      if (refSlotCount(e, i) == 0 || targetTable(target) != t) return INV_REF_TARGET;
      if (refCount(e, target) != refSlotCount(e, i)) return INV_REF_HASH;
      // a route's and a destination's count is their holders' entries, kept in the record up to the cap
      // (routes.ts routeRef, destRef)
      let tk = targetKind(target), ts = targetSlot(target);
      if (tk == KIND_ROUTE && routeRefs(ts) != min(refsHeld(tk, ts), routeRefsCapNow())) return INV_REF_EXCESS;
      if (tk == KIND_DEST && destRefs(ts) != min(refsHeld(tk, ts), destRefsCapNow())) return INV_REF_EXCESS;
    }
    if (found != refHolderEntries(e) || (n != 0 && found > (n >>> 1))) return INV_REF_HOLDER;
  }
  // subtract, counting the entries done, then add back exactly those
  let done: u32 = 0, excess = false;
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL && !excess; e = entityGet(e, ENTITY_NEXT)) {
    for (let i: u32 = 0, n = refTableSlots(e); i < n; i++) {
      let target = refSlotTarget(e, i);
      if (target == REF_SLOT_EMPTY) continue;
      if (!adjustCount(target, -<i32>refSlotCount(e, i))) { excess = true; break; }
      done++;
    }
  }
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL && done > 0; e = entityGet(e, ENTITY_NEXT)) {
    for (let i: u32 = 0, n = refTableSlots(e); i < n && done > 0; i++) {
      let target = refSlotTarget(e, i);
      if (target == REF_SLOT_EMPTY) continue;
      adjustCount(target, <i32>refSlotCount(e, i));
      done--;
    }
  }
  return excess ? INV_REF_EXCESS : INV_OK;
}

// ── debugTrap: a deliberate trap in the debug build (tests of the facade's guard) ─────────────────────
export const DEBUG_TRAP_OFF: u32 = 0;        // disarm
export const DEBUG_TRAP_NOW: u32 = 1;        // `unreachable` now (WebAssembly.RuntimeError)
export const DEBUG_TRAP_ASSERT: u32 = 2;     // a failing assert now (env.abort)
export const DEBUG_TRAP_NEXT: u32 = 3;       // `unreachable` at the next trap point (routeAdd, the record writers of records.ts, hot.ts)
export const DEBUG_TRAP_ASSERT_NEXT: u32 = 4; // a failing assert at the next trap point

let trapArmed: u32 = DEBUG_TRAP_OFF;

/**
 * Traps on purpose (kinds DEBUG_TRAP_*); returns NO_ERROR once armed, ERROR_INVALID_PARAMETER for an
 * unknown kind. Release builds (ASC_NO_ASSERT) never trap here: ERROR_NOT_SUPPORTED.
 */
export function debugTrap(kind: u32): i32 {
  if (ASC_NO_ASSERT) return ERROR_NOT_SUPPORTED;
  if (kind == DEBUG_TRAP_NOW) unreachable();
  if (kind == DEBUG_TRAP_ASSERT) assert(false, 'debugTrap');
  if (kind > DEBUG_TRAP_ASSERT_NEXT) return ERROR_INVALID_PARAMETER;
  trapArmed = kind;
  return NO_ERROR;
}

/** A trap point: fires a trap armed by debugTrap (debug builds only; nothing in release). */
// @ts-ignore: decorator
@inline export function debugTrapPoint(): void {
  if (!ASC_NO_ASSERT && trapArmed != DEBUG_TRAP_OFF) fireTrap();
}

function fireTrap(): void {
  let kind = trapArmed;
  trapArmed = DEBUG_TRAP_OFF;
  if (kind == DEBUG_TRAP_NEXT) unreachable();
  assert(false, 'debugTrap (armed)');
}
