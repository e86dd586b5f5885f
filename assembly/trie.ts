// The path-compressed binary (Patricia) trie of one table over its family's node slab: insert, detach,
// exact, longest-prefix match that skips destinations that do not qualify, covering (less-specific) walk,
// and ordered iteration. Pre-order of the trie is the canonical prefix order of spec §6.2 (a prefix
// before everything it covers; otherwise bitwise), so iteration is a DFS. Costs: O(depth) per
// operation, depth ≤ 33 (IPv4) / 129 (IPv6). Allocation: insert takes ≤ 2 nodes and, IPv6, a key record
// (nodeReserve them first); nothing else allocates but the bulk build's fold, within its reservation
// (static: a 48 KiB table of the parents inserts made, trieUpHint's hints).
// Node accessors live here; no other file reads node records. Six node slabs (layout.ts): for IPv4
// tables 4-word records (SLAB_NODE4) and 3-word ones for branch nodes (SLAB_NODE4B), both with key and
// length in one word (node4Word), and 4-word ones for nodes longer than NODE4_SHORT_MAX bits
// (SLAB_NODE4L); for IPv6 tables 5-word records for nodes of ≤ 64 bits (SLAB_NODE6: the destination in the
// length's word), 4-word ones for branch nodes of ≤ NODE6B_MAX bits (SLAB_NODE6B: the length below the
// key) and 8-word ones for longer nodes (SLAB_NODE6L). No node mirrors its destination's state but a long
// IPv6 one. A node id names its slab (NODE_BR4, NODE_L4, NODE_ID6, NODE_BR6, NODE_ID6L), so the accessors
// need no table; children are words 1 and 2 of an IPv4 node, 2 and 3 of an IPv6 one (childWord). The IPv4
// paths (trieFind4, trieLpm4, trieLpm4From, trieInsertBulk4, trieUpHint) address the IPv4 slabs directly. A
// destination with nothing below it is a leaf without a node record (layout NODE_LEAF): the accessors
// answer for it from the destination's record (key or, IPv6, its key record; length, state: the two words
// trie.ts reads and writes there), and the IPv4 paths test for it where they follow a child. IPv4 shape:
// the canonical one (an insert below a leaf makes it a node first, a removal folds a node left with a
// destination and no child), so an IPv4 insert takes ≤ 1 node. IPv6: leaves as IPv4's (up to /64), but a
// removal folds only when a key record is free without growing memory (a removal must not fail; fold6May),
// so an IPv6 trie may keep, rarely, a node with a destination and no child.
import {
  NIL, SLAB_NODE4, SLAB_NODE6, SLAB_NODE6L, SLAB_KEY6, KEY6_WORDS, KEY6_INLINE_MAX, DEST_S_KEY6, NODE4_WORDS, NODE6_WORDS, NODE6L_WORDS, NODE6_SHORT_MAX, NODE6B_MAX, NODE_ID6, NODE_ID6L, NODE_LEN, NODE_C0, NODE_C1, NODE6L_DEST, NODE_KEY, NODE6_C0, NODE6S_LEN, NODE6S_DEST_SHIFT, NODE6S_LEN_MASK, NODE6B_WORDS, NODE_BR6, SLAB_NODE6B, NODE4_KEYLEN, NODE4_DEST, NODE_BR4, NODE_L4, NODE4_LEN_MASK, NODE4_SHORT_MAX, NODE4_LONG_SHIFT, NODE4_LONG_DEST, SLAB_NODE4B, SLAB_NODE4L, NODE4B_WORDS, NODE6S_KEY,
  TABLE_ROOT, TABLE_NODES, NO_RANGE, NODE_STATE_SHIFT, TABLE_FAMILY, NODE_LEAF, DEST_NODE, DEST_STATE, DEST_S_LEAF,
  DEST_S_LEN_SHIFT, DEST_S_LEN_MASK, DEST_S_BITS, DEST_S_SHAPE,
} from './layout';
import { destGet, destSet, destPtr } from './dests';
import { slabAllocK, slabFree, slabReserve, recPtr, slabHigh, slabCap, slabLive, slabCanTake } from './slab';
import { bitAt, commonLen, copyMasked, prefixEq, wordMask } from './addr';
import { tableGet, tableSet } from './tables';

// ── node accessors ────────────────────────────────────────────────────────────────────────────────
/**
 * Byte address of IPv4 node n: a SLAB_NODE4 slot, a SLAB_NODE4B slot | NODE_BR4 (a branch: words 0..2), or
 * a SLAB_NODE4L slot | NODE_L4 (a long node).
 * A branch, not a select of slab and stride: the select made the directory load wait for the tag test, and
 * trie-only lookups took 1.18-1.26x the time of 16-byte nodes alone, the branch 1.02-1.05x
 * (bench/ab/trielpm.mjs, session 32).
 */
// @ts-ignore: decorator
@inline export function node4Ptr(n: u32): usize {
  if ((n & NODE_BR4) != 0) return recPtr(SLAB_NODE4B, n & ~NODE_BR4, NODE4B_WORDS);
  if ((n & NODE_L4) != 0) return recPtr(SLAB_NODE4L, n & ~NODE_L4, NODE4_WORDS);
  return recPtr(SLAB_NODE4, n, NODE4_WORDS);
}
/**
 * The length of IPv4 node n at p from its key-and-length word w (layout NODE4_KEYLEN: key | len, len ≤
 * NODE4_SHORT_MAX); a NODE_L4 node's is in its destination word (NODE4_LONG_SHIFT), its word 0 its whole key.
 */
// @ts-ignore: decorator
@inline export function node4Len(n: u32, p: usize, w: u32): u32 {
  return (n & NODE_L4) == 0 ? w & NODE4_LEN_MASK : load<u32>(p, NODE4_DEST << 2) >>> NODE4_LONG_SHIFT;
}
/** The destination of IPv4 node n at p (NIL: none), for the walks that have its address. */
// @ts-ignore: decorator
@inline function node4DestAt(n: u32, p: usize): u32 {
  if ((n & NODE_BR4) != 0) return NIL;
  if ((n & NODE_L4) != 0) return nodeDest(n);
  return load<u32>(p, NODE4_DEST << 2);
}
/** The key (masked) of IPv4 node n from its key-and-length word w. */
// @ts-ignore: decorator
@inline function node4KeyOf(n: u32, w: u32): u32 { return (n & NODE_L4) == 0 ? w & ~NODE4_LEN_MASK : w; }
/** The key-and-length word of IPv4 prefix (a, len), a not masked, len ≤ NODE4_SHORT_MAX. */
// @ts-ignore: decorator
@inline function node4Word(a: u32, len: u32): u32 { return (a & wordMask(len)) | len; }
/** The slot of node n (not a leaf) in its slab. */
// @ts-ignore: decorator
@inline function nodeSlot(n: u32): u32 { return n & ~(NODE_ID6 | NODE_ID6L | NODE_BR4 | NODE_L4); }
/**
 * Byte address of IPv6 node n: its SLAB_NODE6 slot | NODE_ID6, its SLAB_NODE6B slot | NODE_ID6 | NODE_BR6 (a
 * branch: words 0..3), or its SLAB_NODE6L slot | NODE_ID6 | NODE_ID6L (a long node).
 */
// @ts-ignore: decorator
@inline export function node6Ptr(n: u32): usize {
  if ((n & NODE_BR6) != 0) return recPtr(SLAB_NODE6B, nodeSlot(n), NODE6B_WORDS);
  return (n & NODE_ID6L) != 0 ? recPtr(SLAB_NODE6L, nodeSlot(n), NODE6L_WORDS) : recPtr(SLAB_NODE6, nodeSlot(n), NODE6_WORDS);
}
// @ts-ignore: decorator
@inline export function nodePtr(n: u32): usize { return (n & NODE_ID6) != 0 ? node6Ptr(n) : node4Ptr(n); }
/**
 * The word of node n's child b (b = 0, 1) in its record: NODE_C0 + b for an IPv4 node, NODE6_C0 + b for an
 * IPv6 one (NODE_ID6 is bit 30: its bit says which, with no branch).
 */
// @ts-ignore: decorator
@inline function childWord(n: u32, b: u32): u32 { return NODE_C0 + b + ((n & NODE_ID6) >>> 30); }
/** The slab of node n (its slot there: nodeSlot). */
// @ts-ignore: decorator
@inline function nodeSlab(n: u32): u32 {
  if ((n & NODE_ID6) == 0) return (n & NODE_BR4) != 0 ? SLAB_NODE4B : (n & NODE_L4) != 0 ? SLAB_NODE4L : SLAB_NODE4;
  return (n & NODE_BR6) != 0 ? SLAB_NODE6B : (n & NODE_ID6L) != 0 ? SLAB_NODE6L : SLAB_NODE6;
}
/** True if node n (not a leaf) is a branch node of either family (SLAB_NODE4B, SLAB_NODE6B): it holds no destination. */
// @ts-ignore: decorator
@inline export function nodeIsBranch(n: u32): bool { return (n & NODE_BR4) != 0; }
/** The node slab of a table of `family` (4 or 6) for its nodes of at most NODE6_SHORT_MAX bits (the root's). */
// @ts-ignore: decorator
@inline export function nodeSlabOf(family: u32): u32 { return family == 4 ? SLAB_NODE4 : SLAB_NODE6; }
/** slabReserve(kind, k), its common case without a call: room below the capacity (slabReserve's own first test). */
// @ts-ignore: decorator
@inline function reserveIn(kind: u32, k: u32): bool { return <u64>slabHigh(kind) + <u64>k <= <u64>slabCap(kind) || slabReserve(kind, k); }
/**
 * Makes sure `k` more nodes of table t can be made in its node slab, `longs` of them long ones — IPv6 nodes
 * longer than NODE6_SHORT_MAX bits (SLAB_NODE6L), IPv4 ones longer than NODE4_SHORT_MAX (SLAB_NODE4L) —:
 * what k tombstones take (dests.ts destDetach), a tombstone being neither a branch record nor a leaf.
 * nodeLongs says how many long ones a tombstone or an insertion of a prefix needs.
 */
// @ts-ignore: decorator
@inline export function tombstoneReserve(t: u32, k: u32, longs: u32): bool {
  let family = tableGet(t, TABLE_FAMILY);
  return reserveIn(nodeSlabOf(family), k) && (longs == 0 || reserveIn(family == 4 ? SLAB_NODE4L : SLAB_NODE6L, longs));
}
/**
 * Makes sure insertions of table t can make `k` more nodes, `longs` of them long ones (tombstoneReserve),
 * with room for k branch records (SLAB_NODE4B, SLAB_NODE6B; a longer branch is a node of another slab,
 * counted in k or `longs`) and, IPv6, k key records (SLAB_KEY6: an insertion makes at most one leaf, the bulk
 * build's fold one a record).
 */
// @ts-ignore: decorator
@inline export function nodeReserve(t: u32, k: u32, longs: u32 = 0): bool {
  let v4 = tableGet(t, TABLE_FAMILY) == 4;
  return tombstoneReserve(t, k, longs) && reserveIn(v4 ? SLAB_NODE4B : SLAB_NODE6B, k) && (v4 || reserveIn(SLAB_KEY6, k));
}
/**
 * The long nodes (SLAB_NODE6L, SLAB_NODE4L) `k` nodes made for a prefix of `len` bits in table t may take,
 * for nodeReserve: an insertion makes the prefix's node and a branch shorter than it (k = 2), a detach a
 * tombstone (k = 1); the nodes an insertion makes are at most as long as the prefix, so a prefix of at most
 * NODE6_SHORT_MAX bits (IPv6), NODE4_SHORT_MAX bits (IPv4) makes none.
 */
// @ts-ignore: decorator
@inline export function nodeLongs(t: u32, len: u32, k: u32): u32 { return len > nodeShortMax(t) ? k : 0; }
/** The longest node of table t's short slabs (NODE4_SHORT_MAX, NODE6_SHORT_MAX): longer ones are long (nodeLongs). */
// @ts-ignore: decorator
@inline export function nodeShortMax(t: u32): u32 { return tableGet(t, TABLE_FAMILY) == 4 ? NODE4_SHORT_MAX : NODE6_SHORT_MAX; }

// ── leaves (layout NODE_LEAF): a destination's own record answers for its node ──────────────────────
/** True if node id n (not NIL) is a leaf destination's: NODE_LEAF | its slot (| NODE_ID6 in an IPv6 table). */
// @ts-ignore: decorator
@inline export function nodeIsLeaf(n: u32): bool { return (n & NODE_LEAF) != 0; }
/** The destination of leaf id n. */
// @ts-ignore: decorator
@inline function leafDest(n: u32): u32 { return n & ~(NODE_LEAF | NODE_ID6); }
/** Byte address of key record k (SLAB_KEY6: an IPv6 leaf's two key words). */
// @ts-ignore: decorator
@inline function key6Ptr(k: u32): usize { return recPtr(SLAB_KEY6, k, KEY6_WORDS); }
/** True if an IPv6 leaf may be made for a prefix of `len` bits: its key fits a key record (NODE6_SHORT_MAX); the root (len 0) stays a node. */
// @ts-ignore: decorator
@inline function leaf6Fits(len: u32): bool { return len - 1 < NODE6_SHORT_MAX; }
/** The prefix length in the state word of a leaf destination. */
// @ts-ignore: decorator
@inline function leafLen(state: u32): u32 { return (state >>> DEST_S_LEN_SHIFT) & DEST_S_LEN_MASK; }
/** True if an IPv6 leaf of `len` bits keeps its key in DEST_NODE (layout KEY6_INLINE_MAX), without a key record. */
// @ts-ignore: decorator
@inline function leaf6Inline(len: u32): bool { return len <= KEY6_INLINE_MAX; }

/**
 * Makes destination d of an IPv4 table hold its own key — (a, len), a not masked — and returns its leaf
 * id; its state bits stay. For a new leaf (trieInsert, trieInsertBulk4), a node folded into its
 * destination (fold): len ≥ 1, the root (0/0) being a node for the table's whole life; and for a
 * destination leaving the trie (trieKeepKey), the root's too.
 */
// @ts-ignore: decorator
@inline function leafOf(d: u32, a: u32, len: u32): u32 {
  destSet(d, DEST_NODE, a & wordMask(len));
  destSet(d, DEST_STATE, (destGet(d, DEST_STATE) & ~DEST_S_SHAPE) | DEST_S_LEAF | (len << DEST_S_LEN_SHIFT));
  return NODE_LEAF | d;
}

/**
 * Makes destination d of an IPv6 table hold its own key — (key, len), 1 ≤ len ≤ NODE6_SHORT_MAX, key not
 * masked — and returns its leaf id; its state bits stay: up to KEY6_INLINE_MAX bits its first key word in
 * DEST_NODE, longer in a new key record. For a new leaf (trieInsert) and a node folded into its destination
 * (fold: the bulk build's, or a removal's). The key record was reserved (nodeReserve) or is free without
 * growing the slab (fold6May).
 */
function leafOf6(d: u32, key: usize, len: u32): u32 {
  if (leaf6Inline(len)) destSet(d, DEST_NODE, load<u32>(key) & wordMask(len));
  else {
    let k = slabAllocK(SLAB_KEY6, KEY6_WORDS);
    assert(k != NIL); // caller reserved key records
    copyMasked(key6Ptr(k), key, len, KEY6_WORDS);
    destSet(d, DEST_NODE, k);
  }
  destSet(d, DEST_STATE, (destGet(d, DEST_STATE) & ~DEST_S_SHAPE) | DEST_S_LEAF | DEST_S_KEY6 | (len << DEST_S_LEN_SHIFT));
  return NODE_LEAF | NODE_ID6 | d;
}

/** A new leaf made of destination d for (key, len): IPv4 (one key word) or, v6, IPv6 (a key record). */
// @ts-ignore: decorator
@inline function leafMake(v6: bool, d: u32, key: usize, len: u32): u32 {
  return v6 ? leafOf6(d, key, len) : leafOf(d, load<u32>(key), len);
}

/**
 * True if a destination whose state word is `state` holds a key record (SLAB_KEY6, named by its DEST_NODE):
 * an IPv6 leaf (DEST_S_KEY6), in the trie or out of it, longer than KEY6_INLINE_MAX bits.
 */
// @ts-ignore: decorator
@inline export function destHasKeyRecord(state: u32): bool { return (state & DEST_S_KEY6) != 0 && !leaf6Inline(leafLen(state)); }

/**
 * Frees the key record of destination d when it has one (destHasKeyRecord: dests.ts calls this as the record
 * goes, or when the leaf becomes a node).
 */
export function trieDropKey(d: u32): void {
  if (destHasKeyRecord(destGet(d, DEST_STATE))) slabFree(SLAB_KEY6, destGet(d, DEST_NODE));
}

/** IPv6 key records in use, of all tables (SLAB_KEY6 records: KEY6_WORDS each), for memory accounting. */
export function trieKeyRecords(): u32 { return slabLive(SLAB_KEY6); }

/**
 * Byte address of node n's key words in its record: one word (IPv4, every length ≤ 32), two (IPv6 of at
 * most NODE6_SHORT_MAX bits) or four (longer); a leaf's one word is its destination's DEST_NODE (IPv4, or
 * IPv6 of at most KEY6_INLINE_MAX bits; a longer IPv6 leaf's two words are its key record). The addr.ts
 * helpers read only the words a length needs, so they take it for either family; a caller that reads four
 * words whatever the length takes nodeKey.
 */
// @ts-ignore: decorator
@inline export function nodeKeyWords(n: u32): usize {
  // a short node's key words hold its length too, in their low bits: beyond the bits its length needs
  if (!nodeIsLeaf(n)) return nodePtr(n) + ((<usize>((n & NODE_ID6L) != 0 ? NODE_KEY : (n & NODE_ID6) != 0 ? NODE6S_KEY : NODE4_KEYLEN)) << 2);
  let d = leafDest(n);
  if ((n & NODE_ID6) != 0 && !leaf6Inline(leafLen(destGet(d, DEST_STATE)))) return key6Ptr(destGet(d, DEST_NODE));
  return destPtr(d) + (DEST_NODE << 2);
}
/** The key (address, masked) of IPv4 node n. */
// @ts-ignore: decorator
@inline export function node4Addr(n: u32): u32 {
  return nodeIsLeaf(n) ? destGet(leafDest(n), DEST_NODE) : node4KeyOf(n, load<u32>(node4Ptr(n), NODE4_KEYLEN << 2));
}

// four 4-word keys that nodeKey hands out in turn for IPv4 nodes and short IPv6 ones
const KEY_RING: usize = memory.data(64, 16);
let keyRing: u32 = 0;

/**
 * Byte address of node n's key as 4 words (MS word first, zero beyond the length), for readers of whole
 * keys (destKey: copies to the I/O area and cursors, the range serialiser). A long IPv6 node's own words;
 * for an IPv4 node or a short IPv6 one a copy in a ring of four, valid until the fourth nodeKey call after
 * this one. Nothing in this file calls it (a key from it may be the argument of any walk here).
 */
// @ts-ignore: decorator
@inline export function nodeKey(n: u32): usize {
  // a leaf id (a destination's slot | NODE_LEAF, | NODE_ID6 for IPv6) has no NODE_ID6L
  if ((n & NODE_ID6L) != 0) return node6Ptr(n) + (NODE_KEY << 2);
  let k = KEY_RING + (<usize>(keyRing++ & 3) << 4);
  // two words: a short node's (a branch's length, its second word's low bits, cleared), a key record's, or
  // a leaf's DEST_NODE of at most KEY6_INLINE_MAX bits (the word after it, DEST_STATE, is not key: cleared)
  if ((n & NODE_ID6) != 0) {
    let mask = (n & NODE_BR6) != 0 ? ~(<u64>NODE6S_LEN_MASK << 32) : nodeIsLeaf(n) && leaf6Inline(nodeLen(n)) ? <u64>0xffffffff : <u64>-1;
    store<u64>(k, load<u64>(nodeKeyWords(n)) & mask);
  }
  else { store<u32>(k, node4Addr(n)); store<u32>(k, 0, 4); }
  store<u64>(k, 0, 8);
  return k;
}
// @ts-ignore: decorator
@inline export function nodeLen(n: u32): u32 {
  if (nodeIsLeaf(n)) return leafLen(destGet(leafDest(n), DEST_STATE));
  if ((n & NODE_ID6) == 0) { let p = node4Ptr(n); return node4Len(n, p, load<u32>(p, NODE4_KEYLEN << 2)); }
  // an IPv6 branch node's length: the low bits of its second key word (layout NODE6S_LEN_MASK); a short
  // node's: the bits below its destination + 1 (NODE6S_DEST_SHIFT); a long one's: 8 bits, then its state mirror
  let p = node6Ptr(n);
  if ((n & NODE_BR6) != 0) return load<u32>(p, (NODE6S_KEY + 1) << 2) & NODE6S_LEN_MASK;
  return (n & NODE_ID6L) != 0 ? load<u32>(p, NODE_LEN << 2) & 0xff : load<u32>(p, NODE6S_LEN << 2) & ((1 << NODE6S_DEST_SHIFT) - 1);
}
/** Child b of node n (NIL: none; a leaf has none). */
// @ts-ignore: decorator
@inline export function nodeChild(n: u32, b: u32): u32 {
  return nodeIsLeaf(n) ? NIL : load<u32>(nodePtr(n) + (childWord(n, b) << 2));
}
// @ts-ignore: decorator
@inline function setChild(n: u32, b: u32, c: u32): void {
  assert(!nodeIsLeaf(n)); // a leaf becomes a node (realise4) before anything hangs below it
  trieEpoch++;
  store<u32>(nodePtr(n) + (childWord(n, b) << 2), c);
}
// @ts-ignore: decorator
@inline export function nodeDest(n: u32): u32 {
  if (nodeIsLeaf(n)) return leafDest(n);
  if ((n & NODE_ID6) == 0) {
    if ((n & NODE_BR4) != 0) return NIL;
    let w = load<u32>(node4Ptr(n), NODE4_DEST << 2);
    return (n & NODE_L4) == 0 ? w : (w & NODE4_LONG_DEST) - 1;   // a long node's: dest + 1 below its length
  }
  if ((n & NODE_BR6) != 0) return NIL;
  if ((n & NODE_ID6L) != 0) return load<u32>(node6Ptr(n), NODE6L_DEST << 2);
  // a short IPv6 node's length word holds dest + 1 above the length (NODE6S_DEST_SHIFT): 0 - 1 is NIL
  return (load<u32>(node6Ptr(n), NODE6S_LEN << 2) >>> NODE6S_DEST_SHIFT) - 1;
}
/**
 * Sets the destination of node n (not a leaf: a leaf's destination is itself); NIL for none. A branch node
 * (NODE_BR4, NODE_BR6) has none and takes none: trieInsert gives a prefix a SLAB_NODE4 / SLAB_NODE6 node
 * (unbranch).
 */
// @ts-ignore: decorator
@inline export function setNodeDest(n: u32, d: u32): void {
  assert(!nodeIsLeaf(n)); // a leaf is its destination
  if ((n & NODE_ID6) == 0) {
    assert((n & NODE_BR4) == 0 || d == NIL); // a branch node holds no destination
    if ((n & NODE_BR4) != 0) return;
    let p = node4Ptr(n);
    store<u32>(p, (n & NODE_L4) == 0 ? d : (load<u32>(p, NODE4_DEST << 2) & ~NODE4_LONG_DEST) | (d + 1), NODE4_DEST << 2);
    return;
  }
  assert((n & NODE_BR6) == 0 || d == NIL); // a branch node holds no destination
  if ((n & NODE_BR6) != 0) return;
  let p = node6Ptr(n);
  if ((n & NODE_ID6L) != 0) { store<u32>(p, d, NODE6L_DEST << 2); return; }
  let w = load<u32>(p, NODE6S_LEN << 2);
  store<u32>(p, (w & ((1 << NODE6S_DEST_SHIFT) - 1)) | ((d + 1) << NODE6S_DEST_SHIFT), NODE6S_LEN << 2);
}

/** The dest state of node n (0 without a dest): a long IPv6 node's mirror (layout NODE_STATE_SHIFT), else its dest's own. */
// @ts-ignore: decorator
@inline export function nodeState(n: u32): u32 {
  // (a leaf id has no NODE_ID6L)
  if ((n & NODE_ID6L) != 0) return load<u32>(nodePtr(n) + (NODE_LEN << 2)) >>> NODE_STATE_SHIFT;
  let d = nodeDest(n);
  return d == NIL ? 0 : destGet(d, DEST_STATE) & DEST_S_BITS;
}
/** Mirrors the state bits of a dest state word into its node: a long IPv6 node (leaves and compact nodes have no mirror). */
// @ts-ignore: decorator
@inline export function setNodeState(n: u32, state: u32): void {
  assert(!nodeIsLeaf(n)); // a leaf's state is its destination's own
  if ((n & NODE_ID6L) == 0) return;
  store<u32>(nodePtr(n) + (NODE_LEN << 2), nodeLen(n) | ((state & DEST_S_BITS) << NODE_STATE_SHIFT));
}
/** Node n's destination qualifies when qual == 0 (present) or its state has a bit of qual. */
// @ts-ignore: decorator
@inline export function nodeQualifies(n: u32, qual: u32): bool { return qual == 0 || (nodeState(n) & qual) != 0; }

/**
 * Structural changes of any trie (a child link set, a node freed), counted: a walk's memo (LPM_MEMO below,
 * the insertion start of dests.ts) is only used while this is what it was when the walk recorded it.
 */
export let trieEpoch: u32 = 0;

/**
 * A new IPv4 node for (a, len) (a not masked), not counted in any table, with no children and no
 * destination: a branch (SLAB_NODE4B: it never holds a destination) when `branch` and it is at most
 * NODE4_SHORT_MAX bits long, else a SLAB_NODE4 node, or a SLAB_NODE4L one (id | NODE_L4) when it is longer.
 * Caller reserved the slot.
 */
// @ts-ignore: decorator
@inline function allocNode4(a: u32, len: u32, branch: bool = false): u32 {
  let long = len > NODE4_SHORT_MAX;
  branch = branch && !long;
  let n = branch ? slabAllocK(SLAB_NODE4B, NODE4B_WORDS) : long ? slabAllocK(SLAB_NODE4L, NODE4_WORDS) : slabAllocK(SLAB_NODE4, NODE4_WORDS);
  assert(n != NIL); // caller reserved nodes
  n |= branch ? NODE_BR4 : long ? NODE_L4 : 0;
  let p = node4Ptr(n);
  store<u32>(p, long ? a & wordMask(len) : node4Word(a, len), NODE4_KEYLEN << 2);
  store<u32>(p, NIL, NODE_C0 << 2);
  store<u32>(p, NIL, NODE_C1 << 2);
  if (!branch) store<u32>(p, long ? len << NODE4_LONG_SHIFT : NIL, NODE4_DEST << 2);
  return n;
}

/**
 * A new IPv6 node for (key, len) (key not masked), not counted in any table, with no children and no
 * destination: a branch (SLAB_NODE6B: it never holds a destination) when `branch` and it is at most
 * NODE6B_MAX bits long, else a SLAB_NODE6 node, or a SLAB_NODE6L one (id | NODE_ID6L) when it is longer than
 * NODE6_SHORT_MAX bits. Caller reserved the slot.
 */
function allocNode6(key: usize, len: u32, branch: bool): u32 {
  let long = len > NODE6_SHORT_MAX;
  branch = branch && len <= NODE6B_MAX;
  let s = branch ? slabAllocK(SLAB_NODE6B, NODE6B_WORDS) : long ? slabAllocK(SLAB_NODE6L, NODE6L_WORDS) : slabAllocK(SLAB_NODE6, NODE6_WORDS);
  assert(s != NIL); // caller reserved nodes
  let n = s | NODE_ID6 | (branch ? NODE_BR6 : long ? NODE_ID6L : 0);
  let p = node6Ptr(n);
  store<u32>(p, NIL, NODE6_C0 << 2);
  store<u32>(p, NIL, (NODE6_C0 + 1) << 2);
  if (long) {
    store<u32>(p, len, NODE_LEN << 2);
    store<u32>(p, NIL, NODE6L_DEST << 2);
    copyMasked(p + (NODE_KEY << 2), key, len, 4);
  } else {
    copyMasked(p + (NODE6S_KEY << 2), key, len, 2);
    // a branch's length below its key's last bit (len ≤ NODE6B_MAX: the second word's low bits are free);
    // a short node's in its own word, no destination ((dest + 1) = 0 above it)
    if (branch) store<u32>(p, load<u32>(p, (NODE6S_KEY + 1) << 2) | len, (NODE6S_KEY + 1) << 2);
    else store<u32>(p, len, NODE6S_LEN << 2);
  }
  return n;
}

/**
 * Allocates a node of table t for (key, len) with no children and no dest; `branch`: a node that will only
 * ever branch (a short one is then a SLAB_NODE4B / SLAB_NODE6B node). Caller reserved the slot (a long one
 * for a node longer than NODE6_SHORT_MAX bits, IPv6, or NODE4_SHORT_MAX bits, IPv4: nodeLongs).
 */
function newNode(t: u32, key: usize, len: u32, branch: bool = false): u32 {
  let n: u32;
  if (tableGet(t, TABLE_FAMILY) == 4) n = allocNode4(load<u32>(key), len, branch);   // len ≤ 32
  else n = allocNode6(key, len, branch);
  tableSet(t, TABLE_NODES, tableGet(t, TABLE_NODES) + 1);
  return n;
}

/** Long IPv6 nodes in use, of all tables (SLAB_NODE6L records: NODE6L_WORDS each), for memory accounting. */
export function trieLongNodes(): u32 { return slabLive(SLAB_NODE6L); }
/** IPv4 branch nodes in use, of all tables (SLAB_NODE4B records: NODE4B_WORDS each), for memory accounting. */
export function trieBranchNodes(): u32 { return slabLive(SLAB_NODE4B); }
/** IPv6 branch nodes in use, of all tables (SLAB_NODE6B records: NODE6B_WORDS each), for memory accounting. */
export function trieBranchNodes6(): u32 { return slabLive(SLAB_NODE6B); }

/** Gives node n's slot back to its slab. */
// @ts-ignore: decorator
@inline function nodeSlotFree(n: u32): void { slabFree(nodeSlab(n), nodeSlot(n)); }

function freeNode(t: u32, n: u32): void {
  freeRecord(n);
  tableSet(t, TABLE_NODES, tableGet(t, TABLE_NODES) - 1);
}

/** Frees node n's record (no table count). */
function freeRecord(n: u32): void {
  trieEpoch++;
  // no free node links to a node (trieUpHint's test): child 1 here, child 0 by the slab's free-list link —
  // but for an IPv4 branch node, whose slab links word 0, here
  let p = nodePtr(n);
  store<u32>(p + (childWord(n, 1) << 2), NIL);
  if ((n & (NODE_ID6 | NODE_BR4)) == NODE_BR4) store<u32>(p + (NODE_C0 << 2), NIL);
  nodeSlotFree(n);
}

/**
 * Branch node n (NODE_BR4, NODE_BR6) of table t as a node that can hold a destination (SLAB_NODE4,
 * SLAB_NODE6), for an insertion of exactly its prefix (layout, IPv4 / IPv6 branch nodes): a new node with n's key,
 * length and children takes n's place below its parent — `up` when it links to n, else the parent a walk
 * from the root finds — and n is freed. Returns the new node. Caller reserved a node (nodeReserve).
 */
function unbranch(t: u32, n: u32, up: u32): u32 {
  let key = nodeKeyWords(n), len = nodeLen(n);   // a branch node: a short one, its length below its key
  if (up == NIL || nodeIsLeaf(up) || nodeLen(up) >= len || nodeChild(up, bitAt(key, nodeLen(up))) != n) up = parentOf(t, n);
  assert(up != NIL); // a branch node is not the root: it has a parent
  let m = (n & NODE_ID6) == 0 ? allocNode4(load<u32>(key), len) : allocNode6(key, len, false);
  let p = nodePtr(n), q = nodePtr(m);
  store<u32>(q + (childWord(m, 0) << 2), load<u32>(p + (childWord(n, 0) << 2)));
  store<u32>(q + (childWord(m, 1) << 2), load<u32>(p + (childWord(n, 1) << 2)));
  replaceChild(up, n, m);
  freeRecord(n);
  return m;
}

/**
 * Makes leaf c, child of node `parent`, a node of its own (not counted in any table: the caller counts
 * it), for an insertion below it: key, length and destination from the destination, which
 * then names the node (DEST_NODE, no DEST_S_LEAF). Caller reserved the slot.
 */
function realise4(parent: u32, c: u32): u32 {
  let d = leafDest(c);
  let st = destGet(d, DEST_STATE);
  return leafBecomes(parent, c, d, st, allocNode4(destGet(d, DEST_NODE), leafLen(st)));
}

/**
 * Makes leaf c of table t, child of node `parent`, a node of its own, counted in t: realise4 for an IPv4
 * leaf; an IPv6 leaf's node takes the key from its key record, which is freed. Caller reserved the node.
 */
function realise(t: u32, parent: u32, c: u32): u32 {
  if ((c & NODE_ID6) == 0) {
    tableSet(t, TABLE_NODES, tableGet(t, TABLE_NODES) + 1);
    return realise4(parent, c);
  }
  let d = leafDest(c);
  let st = destGet(d, DEST_STATE);
  let m = newNode(t, nodeKeyWords(c), leafLen(st));   // len ≤ NODE6_SHORT_MAX: a short node (copies the words it needs)
  trieDropKey(d);
  return leafBecomes(parent, c, d, st, m);
}

/**
 * Node m (new, with leaf c's key and length) takes leaf c's place below `parent`: it gets c's destination d
 * and mirrors its state st, and d names m (no shape bits). Returns m.
 */
// @ts-ignore: decorator
@inline function leafBecomes(parent: u32, c: u32, d: u32, st: u32, m: u32): u32 {
  setNodeDest(m, d);
  setNodeState(m, st);
  destSet(d, DEST_NODE, m);
  destSet(d, DEST_STATE, st & ~DEST_S_SHAPE);
  replaceChild(parent, c, m);
  return m;
}

/** realise for bulk.ts's trie steps on a leaf at the top of their path (trieInsert's `from` is a node). */
export function trieRealise(t: u32, parent: u32, c: u32): u32 { return realise(t, parent, c); }

/** trieRealise for the IPv4 bulk build: counted with trieInsertBulk4's nodes (trieBulkCount). */
export function trieRealiseBulk4(parent: u32, c: u32): u32 { bulkMade++; return realise4(parent, c); }

/**
 * Folds node n of table t — not the root, with a destination and no children; an IPv6 one of at most
 * NODE6_SHORT_MAX bits, whose key record can be taken (reserved, or fold6May) — into its destination, which
 * becomes the leaf `parent` links to; n is freed. Returns the leaf id.
 */
function fold(t: u32, parent: u32, n: u32): u32 {
  assert(nodeDest(n) != NIL); // a node without a destination has two children, or is the root
  let leaf = (n & NODE_ID6) == 0 ? leafOf(nodeDest(n), node4Addr(n), nodeLen(n)) : leafOf6(nodeDest(n), nodeKeyWords(n), nodeLen(n));
  replaceChild(parent, n, leaf);
  freeNode(t, n);
  return leaf;
}

/**
 * True if IPv6 node n, left by a removal with its destination and no child, may fold into a leaf: its key
 * fits a key record, and one can be taken without growing the slab. A removal reserves none (it must not
 * fail for memory, and an opaque slot's setter or a release cannot reserve at all), so the fold takes one
 * only from what is there. Reservations stay whole: an operation that reserved key records for insertions
 * reserved two a record (nodeReserve), and a record takes at most one, for its leaf or for its fold.
 */
// @ts-ignore: decorator
@inline function fold6May(n: u32): bool {
  let len = nodeLen(n);
  return leaf6Fits(len) && (leaf6Inline(len) || slabCanTake(SLAB_KEY6));
}

/** Creates the root node (0/0, no dest) of a new table. Caller reserved one node. */
export function trieCreateRoot(t: u32, zeroKey: usize): u32 {
  return newNode(t, zeroKey, 0);
}

/**
 * The node holding exactly (addr, len) of an IPv4 trie, or NIL (trieFind6's descent on one key word), from node `start`:
 * the root, or any node of the trie whose prefix covers (addr, len) — in a path-compressed trie every such
 * node lies on the path to (addr, len), so the descent from it is the root's descent below it.
 */
export function trieFind4(start: u32, addr: u32, len: u32): u32 {
  let n = start;
  find4Cover = nodeIsLeaf(start) ? NIL : start;   // a leaf has nothing below it: no insertion starts there
  find4CoverUp = NIL;
  while (n != NIL) {
    if (nodeIsLeaf(n)) {
      // a leaf holds the prefix, or nothing below it does; it is no insertion start (the one before it is)
      let d = leafDest(n), nl = leafLen(destGet(d, DEST_STATE));
      return nl == len && ((destGet(d, DEST_NODE) ^ addr) >>> (32 - len)) == 0 ? n : NIL;   // len = nl ≥ 1
    }
    let p = node4Ptr(n);
    let w = load<u32>(p, NODE4_KEYLEN << 2);   // the key, and the length below it (the shifts drop it)
    let nl = node4Len(n, p, w);
    if (nl >= len) {
      // derivation: the first len bits agree iff (k ^ addr) >> (32 - len) == 0; len 0 always agrees
      return nl == len && (len == 0 || ((w ^ addr) >>> (32 - len)) == 0) ? n : NIL;
    }
    // the same test on nl bits (nl < len): n holds a prefix of (addr, len)
    if (nl == 0 || ((w ^ addr) >>> (32 - nl)) == 0) { if (n != start) find4CoverUp = find4Cover; find4Cover = n; }
    n = load<u32>(p + ((NODE_C0 + ((addr >>> (31 - nl)) & 1)) << 2));   // nl < len ≤ 32
  }
  return NIL;
}

// the nodes the last trieFind6 passed below its length (its path), top first
const PATH6: usize = memory.data(4 * 129, 16);

/**
 * The node holding exactly (key, len) of an IPv6 trie, or NIL, from node `start` (the root, or a node, not a
 * leaf, whose prefix covers (key, len)); it also leaves where an insertion of (key, len) may start
 * (find6Cover, with find6CoverUp and find6CoverUp2). Derivation: if the node exists, every node above it
 * holds a prefix of (key, len), so descending by the key's bit at each node's length alone reaches it; one
 * key compare where the descent stops (`last`) then decides (a key that left the path at a skipped bit
 * fails it): one cache line per level, no per-level key compare. The nodes passed are ancestors of last, so
 * one of them covers the key exactly when its length is at most the common length of the key and last's key.
 */
export function trieFind6(start: u32, key: usize, len: u32): u32 {
  let n = start, last = start, depth: u32 = 0;
  while (n != NIL) {
    last = n;
    let nl = nodeLen(n);
    if (nl >= len) break;
    store<u32>(PATH6 + (<usize>depth << 2), n);
    depth++;
    n = nodeChild(n, bitAt(key, nl));
  }
  let ll = nodeLen(last);
  let cl = commonLen(key, nodeKeyWords(last), ll < len ? ll : len);
  find6Cover = NIL; find6CoverUp = NIL; find6CoverUp2 = NIL;
  if (ll == len && cl == len) return last;
  // the deepest passed node, not a leaf (nothing hangs below a leaf), that covers the key
  let i = depth;
  while (i > 0) {
    i--;
    let c = load<u32>(PATH6 + (<usize>i << 2));
    if (!nodeIsLeaf(c) && nodeLen(c) <= cl) {
      find6Cover = c;
      if (i > 0) find6CoverUp = load<u32>(PATH6 + (<usize>(i - 1) << 2));
      if (i > 1) find6CoverUp2 = load<u32>(PATH6 + (<usize>(i - 2) << 2));
      break;
    }
  }
  return NIL;
}

/**
 * Where the last trieFind6 that found nothing says an insertion of its prefix may start (trieInsert's
 * `from`: the deepest node it passed that covers the prefix; NIL when none), valid while the trie's
 * structure is unchanged (trieEpoch); with that node's parent and grandparent when the walk passed them.
 */
export let find6Cover: u32 = NIL;
export let find6CoverUp: u32 = NIL;
export let find6CoverUp2: u32 = NIL;

/**
 * The deepest node the last trieFind4 passed whose prefix covers the one it looked for (shorter, and
 * agreeing on its bits; its start when no other): where an insertion of that prefix may start, while
 * the trie's structure is unchanged (trieEpoch).
 */
export let find4Cover: u32 = NIL;
/** The parent of find4Cover when the walk passed it (every node the walk passes covers the prefix), else NIL. */
export let find4CoverUp: u32 = NIL;

/**
 * The node for (key, len), created if absent (it then has no dest). Never fails: the caller has
 * reserved two node slots and, IPv6, a key record (an insertion with a destination takes at most one node
 * besides a realised leaf's, and at most one key record). Cases: 1. the node
 * exists; 2. an empty child slot takes a new leaf; 3. the new prefix sits between a node and its child;
 * 4. a branch node splits a child's edge; 5. a leaf covering the key becomes a node before the descent
 * goes below it. `from` (default: the root) is a node whose prefix covers (key, len), where the descent
 * starts (a leaf only when it holds the prefix); `fromUp` and `fromUp2` its parent and grandparent, if
 * known (NIL), recorded for trieUpHint only. `d`: a destination not yet in the trie (dests.ts destMake) that a
 * new leaf of the prefix is made of — the answer is then its leaf id (layout NODE_LEAF); NIL, or an IPv6
 * prefix longer than NODE6_SHORT_MAX bits: a new leaf is a node without a destination.
 */
export function trieInsert(t: u32, key: usize, len: u32, from: u32 = NIL, fromUp: u32 = NIL, d: u32 = NIL,
  fromUp2: u32 = NIL): u32 {
  let n = from != NIL ? from : tableGet(t, TABLE_ROOT);
  let up = from != NIL ? fromUp : NIL, up2 = from != NIL ? fromUp2 : NIL;   // n's parent and grandparent, when known
  assert(!nodeIsLeaf(n) || nodeLen(n) == len); // a leaf start holds the prefix (bulk.ts realises it otherwise)
  let v6 = (n & NODE_ID6) != 0;
  let leafD = !v6 || leaf6Fits(len) ? d : NIL;    // the destination a new leaf is made of
  while (true) {
    // invariant: n's prefix covers (key, len) and nodeLen(n) ≤ len
    let nl = nodeLen(n);
    if (nl == len) {                                                  // 1.
      // the prefix's node is to hold a destination: a branch node moves into a node that can
      if (nodeIsBranch(n)) n = unbranch(t, n, up);
      if (up != NIL) upRemember(n, up, up2);
      return n;
    }
    let b = bitAt(key, nl);
    let c = nodeChild(n, b);
    if (c == NIL) {                                                   // 2.
      let leaf = leafD != NIL ? leafMake(v6, leafD, key, len) : newNode(t, key, len);
      setChild(n, b, leaf);
      upRemember(leaf, n, up);
      return leaf;
    }
    let cl = nodeLen(c);
    let cpl = commonLen(key, nodeKeyWords(c), len < cl ? len : cl);
    if (cpl == cl) {                                                  // c covers the key: descend
      if (cl < len && nodeIsLeaf(c)) c = realise(t, n, c);            // 5.
      up2 = up; up = n; n = c; continue;
    }
    if (cpl == len) {                                                 // 3. key covers c
      let mid = newNode(t, key, len);
      setChild(mid, bitAt(nodeKeyWords(c), len), c);
      setChild(n, b, mid);
      upRemember(mid, n, up);
      return mid;
    }
    let br = newNode(t, key, cpl, true);                              // 4. split at cpl
    let leaf = leafD != NIL ? leafMake(v6, leafD, key, len) : newNode(t, key, len);
    setChild(br, bitAt(key, cpl), leaf);
    setChild(br, bitAt(nodeKeyWords(c), cpl), c);
    setChild(n, b, br);
    upRemember(leaf, br, n);
    return leaf;
  }
}

/**
 * trieInsert for the bulk build of an IPv4 table (bulk.ts): the same cases on one key word `a` (not masked),
 * from node `from`, which covers (a, len) (a leaf only when it holds the prefix), a new leaf made of
 * destination `d` as trieInsert's (NIL: a node); nodes made here are counted in TABLE_NODES by the caller
 * (trieBulkCount: `made` says how many) and leave no parent hints (trieUpHint's table: hints only).
 */
export function trieInsertBulk4(t: u32, a: u32, len: u32, from: u32, d: u32): u32 {
  let n = from, up = NIL;
  trieEpoch++;
  while (true) {
    // invariant: n's prefix covers (a, len) and its length ≤ len
    if (nodeIsLeaf(n)) { assert(nodeLen(n) == len); return n; }      // 1. (a leaf is descended into only then)
    let p = node4Ptr(n);
    let nl = node4Len(n, p, load<u32>(p, NODE4_KEYLEN << 2));
    // 1. (the prefix's node, to hold a destination: an IPv4 branch node moves into a node that can; at the
    // start, whose parent is not known here, unbranch walks to it: bulk.ts topIsBranchAt)
    if (nl == len) return (n & NODE_BR4) != 0 ? unbranch(t, n, up) : n;
    let cw = p + ((NODE_C0 + ((a >>> (31 - nl)) & 1)) << 2);         // nl < len ≤ 32
    let c = load<u32>(cw);
    if (c == NIL) { let leaf = d != NIL ? leafOf(d, a, len) : newNode4(a, len); store<u32>(cw, leaf); return leaf; }   // 2.
    let cl: u32, ck: u32;
    if (nodeIsLeaf(c)) { cl = leafLen(destGet(leafDest(c), DEST_STATE)); ck = destGet(leafDest(c), DEST_NODE); }
    // (a short node's length sits below bit 32 - NODE4_SHORT_MAX, past every bit compared below)
    else { let q = node4Ptr(c); ck = load<u32>(q, NODE4_KEYLEN << 2); cl = node4Len(c, q, ck); }
    let lim = len < cl ? len : cl;
    let x = a ^ ck;
    let cpl: u32 = x == 0 ? 32 : <u32>clz(x);
    if (cpl > lim) cpl = lim;
    if (cpl == cl) {                                                  // c covers the key: descend
      if (cl < len && nodeIsLeaf(c)) { c = realise4(n, c); bulkMade++; }   // 5.
      up = n; n = c; continue;
    }
    if (cpl == len) {                                                 // 3. key covers c (len < cl ≤ 32)
      let mid = newNode4(a, len);
      store<u32>(node4Ptr(mid) + ((NODE_C0 + ((ck >>> (31 - len)) & 1)) << 2), c);
      store<u32>(cw, mid);
      return mid;
    }
    let br = newNode4(a, cpl, true);                                  // 4. split at cpl < min(len, cl)
    let leaf = d != NIL ? leafOf(d, a, len) : newNode4(a, len);
    let bp = node4Ptr(br);
    store<u32>(bp + ((NODE_C0 + ((a >>> (31 - cpl)) & 1)) << 2), leaf);
    store<u32>(bp + ((NODE_C0 + ((ck >>> (31 - cpl)) & 1)) << 2), c);
    store<u32>(cw, br);
    return leaf;
  }
}

/** Nodes trieInsertBulk4 made since the last trieBulkCount. */
let bulkMade: u32 = 0;

/** Adds the nodes trieInsertBulk4 made to table t's count. */
export function trieBulkCount(t: u32): void {
  tableSet(t, TABLE_NODES, tableGet(t, TABLE_NODES) + bulkMade);
  bulkMade = 0;
}

/** newNode for IPv4 prefix (a, len) (a not masked): no children, no destination, not yet counted. */
// @ts-ignore: decorator
@inline function newNode4(a: u32, len: u32, branch: bool = false): u32 {
  bulkMade++;
  return allocNode4(a, len, branch);
}

// Parents of nodes as trieInsert made them (and of leaves as trieDetach folded them), by a hash of the node
// slot (direct-mapped, 4,096 entries of node, parent, grandparent, 48 KiB of static data): for the removal
// of an IPv4 destination inserted not long before (an update stream's withdrawal), its repaint and detach
// can skip the walk from a cover to its node; an insertion below a leaf can start at the leaf's parent.
// An entry is only a hint: trieUpHint uses a parent only while it still links to the node — a free node
// links to none (freeNode clears C1; C0 holds the free-list link, a free slot), a tombstone has no
// children, and a trie node is the child of its parent alone — so stale entries are harmless.
const UP_BITS: u32 = 12;
const UP: usize = memory.data(<i32>(12 << UP_BITS), 16);

// @ts-ignore: decorator
@inline function upSlot(n: u32): usize { return UP + <usize>(((n * 0x9e3779b9) >>> (32 - UP_BITS)) * 12); }

// @ts-ignore: decorator
@inline function upRemember(n: u32, parent: u32, grand: u32): void {
  let p = upSlot(n);
  store<u32>(p, n); store<u32>(p, parent, 4); store<u32>(p, grand, 8);
}

/** The parent of node n (in table t's trie, not its root) by a walk from the root (debug checks). */
function parentOf(t: u32, n: u32): u32 {
  let key = nodeKeyWords(n), nl = nodeLen(n);
  let p = NIL;
  for (let m = tableGet(t, TABLE_ROOT); m != n; m = nodeChild(m, bitAt(key, nodeLen(m)))) {
    if (m == NIL || nodeLen(m) >= nl) return NIL;
    p = m;
  }
  return p;
}

/** No qualifying destination on the recorded parent or grandparent (trieUpHint). */
export const UP_NONE: u32 = 0xfffffffe;

/** True if slot p is a node whose prefix is shorter than nl bits and whose child link towards IPv4 address addr is c. */
// @ts-ignore: decorator
@inline function linksTo(p: u32, c: u32, addr: u32, nl: u32): bool {
  // an IPv4 node id: a slot below its slab's high-water mark (a leaf id or NIL is none)
  if ((p & ~(NODE_BR4 | NODE_L4)) >= slabHigh((p & NODE_BR4) != 0 ? SLAB_NODE4B : (p & NODE_L4) != 0 ? SLAB_NODE4L : SLAB_NODE4)) return false;
  let pl = nodeLen(p);
  return pl < nl && nodeChild(p, (addr >>> (31 - pl)) & 1) == c;
}

/**
 * The parent of IPv4 trie node or leaf n (in a trie, not its root) that trieInsert or a fold recorded, when
 * it still links to n, else NIL: a node covering n where an insertion below n may start.
 */
// @ts-ignore: decorator
@inline export function trieUpParent(t: u32, n: u32): u32 {
  let h = upSlot(n);
  if (load<u32>(h) != n) return NIL;
  let p = load<u32>(h, 4);
  if (p == NIL || !linksTo(p, n, node4Addr(n), nodeLen(n))) return NIL;
  // debug builds: the link tells the truth (the walk from the root reaches n through p)
  if (!ASC_NO_ASSERT) assert(parentOf(t, n) == p);
  return p;
}

/**
 * For IPv4 trie node n of table t (in the trie, not the root): when the parent trieInsert recorded for it
 * still links to it, makes that parent (and the grandparent, if it still links to the parent) the memo
 * trieDetach reads, and answers the destination of the nearer of them that qualifies for `qual` (nodeState):
 * the most specific qualifying cover of n, since every cover of n is an ancestor. UP_NONE when neither
 * qualifies (the cover lies above them); NIL when the hint does not hold, or the parent does not qualify and
 * the grandparent is not known: the caller walks (and its walk sets the memo again).
 */
export function trieUpHint(t: u32, n: u32, qual: u32): u32 {
  let p = trieUpParent(t, n);
  if (p == NIL) return NIL;
  let gp = load<u32>(upSlot(n), 8);
  let gpKnown = gp != NIL && linksTo(gp, p, node4Addr(n), nodeLen(p));
  // debug builds: the link tells the truth (the walk from the root reaches p through gp)
  if (!ASC_NO_ASSERT) assert(!gpKnown || parentOf(t, p) == gp);
  memoEpoch = trieEpoch; memoTable = t; memoChild = n; memoParent = p;
  memoGrand = gpKnown ? gp : NIL; memoGrandKnown = gpKnown;
  let d = nodeDest(p);
  if (d != NIL && nodeQualifies(p, qual)) return d;
  if (!gpKnown) return NIL;          // the cover may be the grandparent: not known (the memo stays set)
  d = nodeDest(gp);
  return d != NIL && nodeQualifies(gp, qual) ? d : UP_NONE;
}

function replaceChild(parent: u32, old: u32, neu: u32): void {
  if (nodeChild(parent, 0) == old) setChild(parent, 0, neu);
  else { assert(nodeChild(parent, 1) == old); setChild(parent, 1, neu); }
}

/**
 * Removes the dest from node `n` and compresses the trie: 1. the root stays; 2. a node with two
 * children stays as a branch; 3. a node with one child is replaced by it; 4. a leaf is unlinked (a
 * leaf id: no node to free), and a branch parent left with one child is replaced by that child; 5. a
 * parent left with its destination and no child is folded into a leaf (the trie keeps the one shape its
 * prefixes have: layout NODE_LEAF) — an IPv6 one when its key fits a key record and one is free (fold6May;
 * else it stays a node). The parent (and grandparent) of n come from the memo of the last
 * trieLpm4From walk when it reached n and no structural change came since (the forwarding structure's
 * repaint walked to n just before: fib.ts fibRemove); else from a walk. A leaf's destination record
 * stays as it was (its key: dests.ts keeps or frees it).
 */
export function trieDetach(t: u32, n: u32): void {
  let leaf = nodeIsLeaf(n);
  if (!leaf) { setNodeDest(n, NIL); setNodeState(n, 0); }
  let root = tableGet(t, TABLE_ROOT);
  if (n == root) return;                                              // 1.
  let c0 = nodeChild(n, 0), c1 = nodeChild(n, 1);
  if (c0 != NIL && c1 != NIL) return;                                 // 2.
  // intact after n is freed (the free list links words 1 and 2); a leaf's is its destination's, alive
  let key = nodeKeyWords(n);
  let gp = NIL, p = NIL;
  let gpKnown = true;
  if (memoEpoch == trieEpoch && memoChild == n && memoTable == t) {
    p = memoParent; gp = memoGrand; gpKnown = memoGrandKnown;
    assert(nodeChild(p, bitAt(key, nodeLen(p))) == n); // the memo is exact while the epoch holds
  } else {
    let m = root;
    while (m != n) {
      gp = p; p = m;
      m = nodeChild(m, bitAt(key, nodeLen(m)));
      assert(m != NIL); // n is in the trie
    }
  }
  let only = c0 != NIL ? c0 : c1;
  replaceChild(p, n, only);                                           // 3. / 4.
  if (!leaf) freeNode(t, n);
  if (only != NIL || p == root) return;
  // p lost a child: a branch keeps one (4.); a node with a destination may have none left (5.)
  let pd = nodeDest(p);
  let pc = nodeChild(p, 0) != NIL ? nodeChild(p, 0) : nodeChild(p, 1);
  if (pd != NIL && (pc != NIL || ((p & NODE_ID6) != 0 && !fold6May(p)))) return;
  if (!gpKnown) {                                                     // the memo's walk began at p
    gp = root;
    for (let m = root; m != p; m = nodeChild(m, bitAt(key, nodeLen(m)))) gp = m;
  }
  if (pd != NIL) {                                                    // 5.
    // the leaf's parent, for a later insertion below it (trieUpParent: a withdrawn more specific prefix
    // that comes back realises the leaf again)
    upRemember(fold(t, gp, p), gp, NIL);
    return;
  }
  replaceChild(gp, p, pc);                                            // 4.
  freeNode(t, p);
}

// the memo of the last trieLpm4From walk: the node it reached below its limit (memoChild), that node's
// parent and grandparent (memoGrandKnown false when the walk began at the parent, not at the root)
let memoEpoch: u32 = 0xffffffff;
let memoTable: u32 = NIL;
let memoChild: u32 = NIL;
let memoParent: u32 = NIL;
let memoGrand: u32 = NIL;
let memoGrandKnown: bool = false;

/**
 * IPv4 longest-prefix match of (addr, ≤ limit bits) from node `start` — the root of table t, or a node of
 * its trie covering the address whose destination `best` qualifies (then nothing above it can be more
 * specific): the most specific qualifying dest, or `best`. Remembers where the descent ended (the memo
 * trieDetach reads). limit < 32.
 */
export function trieLpm4From(t: u32, start: u32, addr: u32, limit: u32, qual: u32, best: u32): u32 {
  let n = start, p = NIL, gp = NIL;
  while (n != NIL) {
    if (nodeIsLeaf(n)) {
      // a leaf: its destination's record holds key, length (≥ 1) and state; nothing lies below it
      let d = leafDest(n), st = destGet(d, DEST_STATE), nl = leafLen(st);
      if (nl > limit || ((destGet(d, DEST_NODE) ^ addr) >>> (32 - nl)) != 0) break;
      if (qual == 0 || (st & qual) != 0) best = d;
      gp = p; p = n; n = NIL;
      break;
    }
    let q = node4Ptr(n);
    let w4 = load<u32>(q, NODE4_KEYLEN << 2);
    let nl = node4Len(n, q, w4);
    if (nl > limit || (nl != 0 && ((w4 ^ addr) >>> (32 - nl)) != 0)) break;
    let d = node4DestAt(n, q);
    if (d != NIL && (qual == 0 || (destGet(d, DEST_STATE) & qual) != 0)) best = d;
    gp = p; p = n;
    n = load<u32>(q + ((NODE_C0 + ((addr >>> (31 - nl)) & 1)) << 2));   // nl ≤ limit < 32
  }
  memoEpoch = trieEpoch; memoTable = t; memoChild = n; memoParent = p; memoGrand = gp;
  memoGrandKnown = p != start || start == tableGet(t, TABLE_ROOT);
  if (p == NIL) memoChild = NIL;   // the walk stopped at start: no parent known
  return best;
}

/** Longest-prefix match of (key, ≤ limit bits): the most specific qualifying dest, or NIL. */
export function trieLpm(t: u32, key: usize, limit: u32, qual: u32): u32 {
  let n = tableGet(t, TABLE_ROOT), best = NIL;
  while (n != NIL) {
    let nl = nodeLen(n);
    if (nl > limit || !prefixEq(nodeKeyWords(n), key, nl)) break;
    let d = nodeDest(n);
    if (d != NIL && nodeQualifies(n, qual)) best = d;
    if (nl >= limit) break;
    n = nodeChild(n, bitAt(key, nl));
  }
  return best;
}

/** IPv4 hot path of trieLpm for a full 32-bit address; one word per node compare. */
export function trieLpm4(root: u32, addr: u32, qual: u32): u32 {
  let n = root, best = NIL;
  while (n != NIL) {
    if (nodeIsLeaf(n)) {
      // a leaf: one record (the destination) instead of a node and then its destination; length ≥ 1
      let d = leafDest(n), st = destGet(d, DEST_STATE), nl = leafLen(st);
      if (((destGet(d, DEST_NODE) ^ addr) >>> (32 - nl)) == 0 && (qual == 0 || (st & qual) != 0)) best = d;
      break;
    }
    let p = node4Ptr(n);
    let w4 = load<u32>(p, NODE4_KEYLEN << 2);
    let nl = node4Len(n, p, w4);
    // derivation: the first nl bits agree iff (k ^ addr) >> (32 - nl) == 0 (a short node's length is past
    // them; a long node's word is its key); nl == 0 always agrees
    if (nl != 0 && ((w4 ^ addr) >>> (32 - nl)) != 0) break;
    let d = node4DestAt(n, p);
    if (d != NIL && (qual == 0 || (destGet(d, DEST_STATE) & qual) != 0)) best = d;
    if (nl == 32) break;
    n = load<u32>(p + ((NODE_C0 + ((addr >>> (31 - nl)) & 1)) << 2));
  }
  return best;
}

// DFS stack for ordered iteration: the descent pushes ≤ 1 node per level and the DFS keeps ≤ 1 pending
// sibling per level, so 2 × 130 entries always suffice.
const STACK_MAX: u32 = 512;
const STACK: usize = memory.data(<i32>(STACK_MAX * 4), 16);

/**
 * Walks destinations in canonical order, starting at (key, klen) — inclusive or strictly after —
 * keeping those that qualify and, when rlen != NO_RANGE, are covered by (rkey, rlen). Writes up to
 * `max` dest slots to `out` and returns how many. Stateless: a cursor resumes with its last key.
 */
export function trieWalk(t: u32, key: usize, klen: u32, inclusive: bool, qual: u32,
  rkey: usize, rlen: u32, max: u32, out: usize): u32 {
  let sp: u32 = 0;
  let n = tableGet(t, TABLE_ROOT);
  // 1. descend towards the start key, pushing every subtree that lies wholly after it
  while (n != NIL) {
    let nl = nodeLen(n);
    let m = nl < klen ? nl : klen;
    let c = commonLen(nodeKeyWords(n), key, m);
    if (c < m) {                                  // the prefixes diverge at bit c
      if (bitAt(nodeKeyWords(n), c) == 1) store<u32>(STACK + (<usize>(sp++) << 2), n); // subtree after the key
      break;                                      // else the whole subtree is before the key
    }
    if (nl > klen) { store<u32>(STACK + (<usize>(sp++) << 2), n); break; } // key covers n: n is after it
    if (nl == klen) {                             // n is the start prefix itself
      if (inclusive) store<u32>(STACK + (<usize>(sp++) << 2), n);
      else {
        let c1 = nodeChild(n, 1), c0 = nodeChild(n, 0);
        if (c1 != NIL) store<u32>(STACK + (<usize>(sp++) << 2), c1);
        if (c0 != NIL) store<u32>(STACK + (<usize>(sp++) << 2), c0);
      }
      break;
    }
    let b = bitAt(key, nl);                       // n strictly covers the key: go down its side
    if (b == 0) {
      let c1 = nodeChild(n, 1);
      if (c1 != NIL) store<u32>(STACK + (<usize>(sp++) << 2), c1);
    }
    n = nodeChild(n, b);
  }
  // 2. pre-order DFS over the pushed subtrees (top of stack = earliest)
  let count: u32 = 0;
  while (sp > 0 && count < max) {
    n = load<u32>(STACK + (<usize>(--sp) << 2));
    if (rlen != NO_RANGE) {
      let nl = nodeLen(n);
      // everything covered by the range is contiguous in pre-order: the first node outside ends it
      if (nl < rlen || !prefixEq(nodeKeyWords(n), rkey, rlen)) break;
    }
    let d = nodeDest(n);
    if (d != NIL && nodeQualifies(n, qual)) store<u32>(out + (<usize>(count++) << 2), d);
    let c1 = nodeChild(n, 1), c0 = nodeChild(n, 0);
    if (c1 != NIL) store<u32>(STACK + (<usize>(sp++) << 2), c1);
    if (c0 != NIL) store<u32>(STACK + (<usize>(sp++) << 2), c0);
    assert(sp < STACK_MAX); // bounded by twice the depth
  }
  return count;
}

/**
 * A node outside the trie holding (key, len) for a detached destination of an IPv6 table on a node (caller
 * reserved a slot). An IPv4 destination keeps its key itself instead (trieKeepKey), as an IPv6 leaf does.
 */
export function trieTombstone(t: u32, key: usize, len: u32): u32 {
  let n = newNode(t, key, len);
  tableSet(t, TABLE_NODES, tableGet(t, TABLE_NODES) - 1); // not a trie node
  return n;
}

/**
 * Destination d of an IPv4 table, on node n, about to leave the trie (dests.ts destDetach): it takes its
 * key and length into its record (DEST_S_LEAF), its own tombstone; a leaf holds them already.
 */
export function trieKeepKey(d: u32, n: u32): void {
  if (!nodeIsLeaf(n)) leafOf(d, node4Addr(n), nodeLen(n));
}

/** Frees a tombstone node (a leaf id, a destination's own key: nothing to free here; dests.ts drops a key record). */
export function trieFreeTombstone(t: u32, n: u32): void { if (!nodeIsLeaf(n)) nodeSlotFree(n); }

// Pre-order cursor over a whole trie (the forwarding structures' builds, fib.ts / fib6.ts; the table
// teardown, teardown.ts): a node comes before every node below it, so a prefix comes after every prefix
// covering it. One walk at a time (none of its users starts another); the stack holds at most one pending
// sibling per level plus a node's two children (≤ 131 entries: keys are ≤ 128 bits).
const PRE_MAX: u32 = 256;
const PRE: usize = memory.data(<i32>(PRE_MAX * 4), 16);
let preSp: u32 = 0;

/** Starts a pre-order walk of the nodes under root (NIL: an empty walk). */
export function triePreStart(root: u32): void {
  preSp = 0;
  if (root != NIL) { store<u32>(PRE, root); preSp = 1; }
}

/** The walk's next node, NIL at its end. Its children are read first, so the caller may free it. */
// @ts-ignore: decorator
@inline export function triePreNext(): u32 {
  if (preSp == 0) return NIL;
  let n = load<u32>(PRE + (<usize>(--preSp) << 2));
  let c0 = nodeChild(n, 0), c1 = nodeChild(n, 1);
  if (c1 != NIL) store<u32>(PRE + (<usize>(preSp++) << 2), c1);
  if (c0 != NIL) store<u32>(PRE + (<usize>(preSp++) << 2), c0);
  assert(preSp < PRE_MAX); // bounded by the depth
  return n;
}

/** Frees trie node n of table t (the table teardown, teardown.ts: the node's destination went first; a leaf has no node). */
export function trieFreeNode(t: u32, n: u32): void { if (!nodeIsLeaf(n)) freeNode(t, n); }

/**
 * Folds every node of table t that holds a destination and has no children, the root aside, into a leaf
 * (fold; an IPv6 node only when a key record holds its key, within the bulk build's reservation: a key
 * record a record): bulk.ts's trie pass makes nodes for prefixes whose destinations come later. One walk.
 */
export function trieFoldLeaves(t: u32): void {
  let sp: u32 = 1;
  store<u32>(STACK, tableGet(t, TABLE_ROOT));
  while (sp > 0) {
    let n = load<u32>(STACK + (<usize>(--sp) << 2));
    for (let b: u32 = 0; b < 2; b++) {
      let c = nodeChild(n, b);
      if (c == NIL || nodeIsLeaf(c)) continue;
      // not the root: it has a destination; an IPv6 node longer than a key record holds stays a node
      if (nodeChild(c, 0) == NIL && nodeChild(c, 1) == NIL && ((c & NODE_ID6) == 0 || leaf6Fits(nodeLen(c)))) fold(t, n, c);
      else store<u32>(STACK + (<usize>(sp++) << 2), c);
    }
    assert(sp < STACK_MAX); // one pending sibling per level
  }
}
