// What a deletion needs before its first change, reserved in one place, so that a full memory is
// ERROR_NOT_ENOUGH_MEMORY with the table as it was — never a trap, a half-done change or a hold-down
// without its timer. A destination that changes may be queued once in every registration of its table
// (notify.ts queues); one whose last live route goes while hold-down is armed starts its hold timer
// (timers.ts heap); one of an IPv6 table that loses its presence may move to a tombstone node (dests.ts
// destDetach needs a free node when its trie node stays; an IPv4 destination keeps its key itself). Additions reserve inline (rtmapi.ts routeAdd, load.ts).
// Costs: O(registrations) per destination; purgeReserve walks the table once. Allocates only capacity.
import { NIL, DEST_ROUTES, DESTX_HOLD_VIEWS, DESTX_HEAPPOS, DEST_S_POPULATED,
  ENTITY_ROUTES, TABLE_ROOT, TABLE_FAMILY, NO_RANGE } from './layout';
import { slabReserve } from './slab';
import { tableGet } from './tables';
import { destGet, destKey, destLen, destXGet, destNode, chainNext } from './dests';
import { routeGet, routeOwner } from './routes';
import { entityGet } from './entities';
import { nodeChild, tombstoneReserve, nodeLongs, trieWalk } from './trie';
import { notifyReserve } from './notify';
import { timerReserve } from './timers';
import { IO_IN, IO_OUT, IO_BATCH_MAX, ioPtr } from './io';

/** True if destination d's hold-down timer would start when its last live route in an armed view goes. */
// @ts-ignore: decorator
@inline export function holdMayStart(d: u32): bool {
  return destXGet(d, DESTX_HOLD_VIEWS) != 0 && destXGet(d, DESTX_HEAPPOS) == NIL;
}

/** The long IPv6 nodes (layout SLAB_NODE6L) a tombstone of destination d of table t takes: 0 or 1 (trie.ts nodeLongs). */
export function tombstoneLongs(t: u32, d: u32): u32 { return tableGet(t, TABLE_FAMILY) == 4 ? 0 : nodeLongs(t, destLen(d), 1); }

/**
 * True if d's trie node stays in the trie when d leaves it (its tombstone then needs a free node); never
 * for an IPv4 table, whose destinations keep their keys themselves (layout DEST_S_LEAF).
 */
function nodeStays(t: u32, d: u32): bool {
  if (tableGet(t, TABLE_FAMILY) == 4) return false;
  let n = destNode(d);
  return n == tableGet(t, TABLE_ROOT) || (nodeChild(n, 0) != NIL && nodeChild(n, 1) != NIL);
}

/**
 * Reserves what one change of destination d of table t that may delete a route or end a hold needs
 * (RtmDeleteRouteToDest, a hold-down end, an expiry); false if memory is exhausted.
 */
export function destChangeReserve(t: u32, d: u32): bool {
  // a node only for the tombstone of a destination whose node stays in the trie (dests.ts destDetach):
  // asked only when the node slab is full
  return notifyReserve(t, 1, d) && (tombstoneReserve(t, 1, tombstoneLongs(t, d)) || !nodeStays(t, d)) &&
    (!holdMayStart(d) || timerReserve(t, 1));
}

/**
 * Reserves what deleting every live route of entity e in table t needs (deregistration): one queue
 * entry per registration and destination it has routes on, a timer entry per such destination whose
 * hold-down would start, a node per such destination whose trie node stays. False if memory is
 * exhausted. Walks the table's populated destinations once (IO_IN / IO_OUT as scratch).
 */
export function purgeReserve(t: u32, e: u32): bool {
  if (entityGet(e, ENTITY_ROUTES) == 0) return true;
  let out = ioPtr(IO_OUT), key = ioPtr(IO_IN);
  memory.fill(key, 0, 16);
  let klen: u32 = 0;
  let inclusive = true;
  let dests: u32 = 0, holds: u32 = 0, stays: u32 = 0, longs: u32 = 0;
  while (true) {
    let n = trieWalk(t, key, klen, inclusive, DEST_S_POPULATED, key, NO_RANGE, IO_BATCH_MAX, out);
    if (n == 0) break;
    for (let i: u32 = 0; i < n; i++) {
      let d = load<u32>(out + (<usize>i << 2));
      let mine = false;
      for (let r = destGet(d, DEST_ROUTES); r != NIL; r = chainNext(r)) {
        if (routeOwner(r) == e) { mine = true; break; }
      }
      if (!mine) continue;
      dests++;
      if (holdMayStart(d)) holds++;
      if (nodeStays(t, d)) { stays++; longs += tombstoneLongs(t, d); }
    }
    let last = load<u32>(out + (<usize>(n - 1) << 2));
    memory.copy(key, destKey(last), 16);
    klen = destLen(last);
    inclusive = false;
    if (n < IO_BATCH_MAX) break;
  }
  return notifyReserve(t, dests) && timerReserve(t, holds) && tombstoneReserve(t, stays, longs);
}
