// checkInvariants(t): walks a table's trie and its entities' next-hop indexes and checks every structural
// rule the other files assert one operation at a time; returns 0 or a code naming the first broken rule
// (see INV_* below). Costs a full walk (O(nodes + next hops × log)); tests call it after operations, hot
// paths never do. Allocates nothing.
import { NIL, SLAB_DEST, TABLE_ROOT, TABLE_NODES, TABLE_DESTS, TABLE_POPULATED, DEST_NODE, DEST_TABLE,
  DEST_STATE, DEST_S_POPULATED, TABLE_FIB, TABLE_ENTITIES, TABLE_NEXTHOPS, ENTITY_NEXT } from './layout';
import { nhIndexCheck, nhIndexCount } from './nhindex';
import { entityGet } from './entities';
import { fibLookup } from './fib';
import { slabIsAlive } from './slab';
import { tableGet, tableMaxLen } from './tables';
import { nodeKey, nodeLen, nodeChild, nodeDest, nodeState, trieLpm4 } from './trie';
import { bitAt, prefixEq, hasHostBits } from './addr';
import { destGet } from './dests';

export const INV_OK: i32 = 0;
export const INV_LEN_ORDER: i32 = 1;      // child len not greater than parent len
export const INV_KEY_PREFIX: i32 = 2;     // child key disagrees with parent on parent's bits
export const INV_CHILD_SLOT: i32 = 3;     // child hangs under the wrong bit
export const INV_HOST_BITS: i32 = 4;      // key has bits beyond len
export const INV_BRANCH: i32 = 5;         // non-root node with no dest and < 2 children
export const INV_DEST_LINK: i32 = 6;      // dest dead, of another table, or not pointing back
export const INV_COUNT_NODES: i32 = 7;
export const INV_COUNT_DESTS: i32 = 8;
export const INV_MAX_LEN: i32 = 9;
export const INV_ROOT: i32 = 10;
export const INV_COUNT_POPULATED: i32 = 11;
export const INV_NODE_STATE: i32 = 12;    // node's mirrored state differs from its dest's
export const INV_FIB: i32 = 13;           // the unicast forwarding structure disagrees with the trie
export const INV_NH_INDEX: i32 = 14;      // an entity's next-hop index (hash, ordered tree) is inconsistent
export const INV_COUNT_NEXTHOPS: i32 = 15; // the table's next-hop count differs from its entities' indexes

const MAXN: u32 = 1024;
const STK: usize = memory.data(<i32>(MAXN * 8), 16); // (node, parent) pairs

export function checkInvariants(t: u32): i32 {
  let root = tableGet(t, TABLE_ROOT);
  if (root == NIL || nodeLen(root) != 0) return INV_ROOT;
  let maxLen = tableMaxLen(t);
  let fib = <usize>tableGet(t, TABLE_FIB);
  let nodes: u32 = 0, dests: u32 = 0, populated: u32 = 0;
  let sp: u32 = 0;
  store<u32>(STK, root); store<u32>(STK + 4, NIL); sp = 1;
  while (sp > 0) {
    sp--;
    let n = load<u32>(STK + (<usize>sp << 3));
    let p = load<u32>(STK + (<usize>sp << 3) + 4);
    nodes++;
    let nl = nodeLen(n);
    if (nl > maxLen) return INV_MAX_LEN;
    if (hasHostBits(nodeKey(n), nl)) return INV_HOST_BITS;
    if (p != NIL) {
      let pl = nodeLen(p);
      if (nl <= pl) return INV_LEN_ORDER;
      if (!prefixEq(nodeKey(n), nodeKey(p), pl)) return INV_KEY_PREFIX;
      if (nodeChild(p, bitAt(nodeKey(n), pl)) != n) return INV_CHILD_SLOT;
    }
    let d = nodeDest(n);
    let c0 = nodeChild(n, 0), c1 = nodeChild(n, 1);
    if (d == NIL) {
      if (n != root && (c0 == NIL || c1 == NIL)) return INV_BRANCH;
    } else {
      if (!slabIsAlive(SLAB_DEST, d) || destGet(d, DEST_TABLE) != t || destGet(d, DEST_NODE) != n) return INV_DEST_LINK;
      if (nodeState(n) != destGet(d, DEST_STATE)) return INV_NODE_STATE;
      if (fib != 0) {
        // first, middle and last address of the prefix answer as the view-0 trie walk does
        let k = load<u32>(nodeKey(n));
        let span: u32 = nl == 0 ? 0xffffffff : nl == 32 ? 0 : 0xffffffff >>> nl;
        for (let i: u32 = 0; i < 3; i++) {
          let a = k + (i == 0 ? 0 : i == 1 ? span >>> 1 : span);
          if (fibLookup(fib, a) != trieLpm4(root, a, 1)) return INV_FIB;
        }
      }
      dests++;
      if ((destGet(d, DEST_STATE) & DEST_S_POPULATED) != 0) populated++;
    }
    if (sp + 2 >= MAXN) return INV_LEN_ORDER; // deeper than any valid trie
    if (c0 != NIL) { store<u32>(STK + (<usize>sp << 3), c0); store<u32>(STK + (<usize>sp << 3) + 4, n); sp++; }
    if (c1 != NIL) { store<u32>(STK + (<usize>sp << 3), c1); store<u32>(STK + (<usize>sp << 3) + 4, n); sp++; }
  }
  if (nodes != tableGet(t, TABLE_NODES)) return INV_COUNT_NODES;
  if (dests != tableGet(t, TABLE_DESTS)) return INV_COUNT_DESTS;
  if (populated != tableGet(t, TABLE_POPULATED)) return INV_COUNT_POPULATED;
  // every entity's next-hop index against its tree; their counts against the table's
  let nexthops: u32 = 0;
  for (let e = tableGet(t, TABLE_ENTITIES); e != NIL; e = entityGet(e, ENTITY_NEXT)) {
    if (nhIndexCheck(e) != 0) return INV_NH_INDEX;
    nexthops += nhIndexCount(e);
  }
  if (nexthops != tableGet(t, TABLE_NEXTHOPS)) return INV_COUNT_NEXTHOPS;
  return INV_OK;
}
