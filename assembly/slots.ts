// Hash tables of 2^log2 8-byte slots (a u32 key, a u32 value), open addressing with linear probing from a
// home slot in a bucket of 8 that a multiplicative hash places (slotOf), never full (a probe ends at an empty
// slot, key SLOT_EMPTY), an entry deleted by shifting the entries after it back (no tombstones). The slot
// primitives of the per-holder reference tables (refs.ts) and the tables' extra indexes (xindex.ts); each
// caller keeps its own block, size and count, and its own rule for when to grow (both: at most half full
// where memory allows).
/** An empty slot's key (no key is all ones: reference targets and record slots are below it). */
export const SLOT_EMPTY: u32 = 0xffffffff;

/**
 * The home slot of `key` in table t of 2^log2 slots (log2 ≥ 3; t 64-byte aligned, as blocks are). Keys
 * that differ only in their low 3 bits share a bucket of 8 slots, one cache line, each at a slot of its
 * own there; a multiplicative hash of the rest of the key places the bucket. Record slots are mostly handed
 * out in order, so a holder referencing records made one after another (a table built route by route,
 * each route's handle returned) touches a line per 8 references instead of one per reference, and its
 * table's growth rehashes them line by line (bench/RESULTS.md, session 26).
 */
// @ts-ignore: decorator
@inline export function slotOf(t: usize, log2: u32, key: u32): usize {
  // the top log2 - 3 bits of the product (none for a one-bucket table: a shift by 32 would be one by 0)
  let bucket = <u32>((<u64>((key >>> 3) * 0x9e3779b1) << (log2 - 3)) >>> 32);
  return t + (<usize>((bucket << 3) | (key & 7)) << 3);
}

/** The slot after slot q of table t of 2^log2 slots (the last one's is the first). */
// @ts-ignore: decorator
@inline export function nextSlot(t: usize, log2: u32, q: usize): usize {
  return t + ((q - t + 8) & (((<usize>8 << log2) - 1) & ~<usize>7));
}

/**
 * The slot of table t (2^log2 slots, never full) that holds `key`, or where its probe meets an empty
 * slot: where it would go.
 */
// @ts-ignore: decorator
@inline export function probe(t: usize, log2: u32, key: u32): usize {
  let q = slotOf(t, log2, key);
  while (true) {
    let v = load<u32>(q);
    if (v == key || v == SLOT_EMPTY) return q;
    q = nextSlot(t, log2, q);
  }
  return q;
}

/**
 * Empties slot q of a table of 2^log2 slots and shifts back the entries after it that may move (each
 * entry's probe from its home slot must not pass an empty slot): no tombstones.
 */
export function deleteAt(t: usize, log2: u32, q: usize): void {
  let mask: usize = ((<usize>8 << log2) - 1) & ~<usize>7;   // byte distances between slots, modulo the table
  let hole = q;
  let p = nextSlot(t, log2, q);
  while (true) {
    let v = load<u32>(p);
    if (v == SLOT_EMPTY) break;
    // the entry at p may fill the hole when its home lies cyclically outside (hole, p]
    let home = slotOf(t, log2, v);
    let fromHome = (p - home) & mask, fromHole = (p - hole) & mask;
    if (fromHome >= fromHole) {
      store<u32>(hole, v); store<u32>(hole, load<u32>(p, 4), 4);
      hole = p;
    }
    p = nextSlot(t, log2, p);
  }
  store<u32>(hole, SLOT_EMPTY);
}

/** Fills block t, a fresh table of 2^log2 slots, with the entries of table `old` of 2^oldLog2 slots (0: none). */
export function slotsRehash(old: usize, oldLog2: u32, t: usize, log2: u32): void {
  memory.fill(t, 0xff, <usize>8 << log2);   // every slot SLOT_EMPTY
  if (old == 0) return;
  for (let p = old, end = old + (<usize>8 << oldLog2); p < end; p += 8) {
    let key = load<u32>(p);
    if (key == SLOT_EMPTY) continue;
    let q = probe(t, log2, key);   // an empty slot: each key is in the old table once
    store<u32>(q, key);
    store<u32>(q, load<u32>(p, 4), 4);
  }
}
