// The facade side of addRoutesBatch's bulk build (assembly/bulk.ts): the order of a batch's prefixes by
// (masked key, length) — the trie's pre-order — by a stable LSD radix sort (11-bit digits, a pass skipped
// when every record has the same digit; the I/O-area writes are src/port/batchio.ts's). Allocates per call
// two digit and two order arrays of count u32 each and a 2K-entry count array; nothing for a batch
// already in that order.

/** Word w (0 = most significant) of a key of length len with the bits beyond len cleared. */
function masked(word: number, w: number, len: number): number {
  const rest = len - 32 * w;
  return rest >= 32 ? word >>> 0 : rest <= 0 ? 0 : (word & ~(0xffffffff >>> rest)) >>> 0;
}

const BITS = 11, BUCKETS = 1 << BITS, DMASK = BUCKETS - 1;

/**
 * One stable counting pass on the digit (d >>> shift) & DMASK of the pairs (da[j], ia[j]) into (db, ib);
 * false when every digit is equal (nothing moved).
 */
function pass(da: Uint32Array, ia: Uint32Array, db: Uint32Array, ib: Uint32Array, shift: number, cnt: Uint32Array, n: number): boolean {
  cnt.fill(0);
  for (let j = 0; j < n; j++) cnt[(da[j] >>> shift) & DMASK]++;
  if (cnt[(da[0] >>> shift) & DMASK] === n) return false;
  let sum = 0;
  for (let k = 0; k < BUCKETS; k++) { const c = cnt[k]; cnt[k] = sum; sum += c; }
  for (let j = 0; j < n; j++) { const v = da[j], p = cnt[(v >>> shift) & DMASK]++; db[p] = v; ib[p] = ia[j]; }
  return true;
}

/** True if records 0..n-1 are already in (masked key, length) order (a sorted table dump: no sort needed). */
function inOrder(keys: Uint32Array, lens: ArrayLike<number>, n: number, words: number): boolean {
  for (let i = 1; i < n; i++) {
    const la = lens[i - 1], lb = lens[i];
    let c = 0;
    for (let w = 0; w < words && c === 0; w++) {
      const x = masked(keys[4 * (i - 1) + w], w, la), y = masked(keys[4 * i + w], w, lb);
      c = x < y ? -1 : x > y ? 1 : 0;
    }
    if (c > 0 || (c === 0 && la > lb)) return false;
  }
  return true;
}

/**
 * Record indices 0..n-1 ordered by (key with host bits cleared, length), equal prefixes in their batch
 * order; `words` key words count (1 for IPv4, 4 for IPv6).
 */
export function prefixOrder(keys: Uint32Array, lens: ArrayLike<number>, n: number, words: number): Uint32Array {
  let ia = new Uint32Array(n);
  for (let i = 0; i < n; i++) ia[i] = i;
  if (n < 2 || inOrder(keys, lens, n, words)) return ia;
  let ib = new Uint32Array(n), da = new Uint32Array(n), db = new Uint32Array(n);
  const cnt = new Uint32Array(BUCKETS);
  // least significant first: the length, then each key word's digits, low to high, last word first
  for (let i = 0; i < n; i++) da[i] = lens[i];
  const step = (shift: number): void => {
    if (!pass(da, ia, db, ib, shift, cnt, n)) return;
    let t = da; da = db; db = t;
    t = ia; ia = ib; ib = t;
  };
  step(0);
  for (let w = words - 1; w >= 0; w--) {
    for (let j = 0; j < n; j++) { const i = ia[j]; da[j] = masked(keys[4 * i + w], w, lens[i]); }
    for (let shift = 0; shift < 32; shift += BITS) step(shift);
  }
  return ia;
}
