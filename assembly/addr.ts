// Keys are 4 × u32 at a byte address, most significant word first (IPv4 in word 0). Bit k of a key
// (0 = most significant) is bit 31 - (k & 31) of word k >> 5. These helpers compare, mask and copy
// keys; they touch only the words a length needs, so IPv4 keys cost one word. No allocation.

// @ts-ignore: decorator
@inline export function bitAt(key: usize, pos: u32): u32 {
  return (load<u32>(key + (<usize>(pos >> 5) << 2)) >>> (31 - (pos & 31))) & 1;
}

/** Mask of the first `n` bits of a word, 0 ≤ n ≤ 32. */
// @ts-ignore: decorator
@inline export function wordMask(n: u32): u32 {
  return n == 0 ? 0 : <u32>(0xffffffff << (32 - n));
}

/** True if keys a and b agree on their first `len` bits. */
export function prefixEq(a: usize, b: usize, len: u32): bool {
  let w: u32 = 0;
  while (len >= 32) {
    if (load<u32>(a + (<usize>w << 2)) != load<u32>(b + (<usize>w << 2))) return false;
    len -= 32; w++;
  }
  if (len == 0) return true;
  return ((load<u32>(a + (<usize>w << 2)) ^ load<u32>(b + (<usize>w << 2))) & wordMask(len)) == 0;
}

/** Length of the common prefix of a and b, capped at `limit`. */
export function commonLen(a: usize, b: usize, limit: u32): u32 {
  for (let w: u32 = 0; w * 32 < limit; w++) {
    let x = load<u32>(a + (<usize>w << 2)) ^ load<u32>(b + (<usize>w << 2));
    if (x != 0) {
      let n = w * 32 + <u32>clz(x);
      return n < limit ? n : limit;
    }
  }
  return limit;
}

/** Copies key src to dst, clearing the bits beyond `len`: the first `words` words (4: a whole key). */
export function copyMasked(dst: usize, src: usize, len: u32, words: u32 = 4): void {
  for (let w: u32 = 0; w < words; w++) {
    let keep: i32 = <i32>len - <i32>(w * 32);
    let v = load<u32>(src + (<usize>w << 2));
    store<u32>(dst + (<usize>w << 2), keep <= 0 ? 0 : keep >= 32 ? v : v & wordMask(<u32>keep));
  }
}

/** True if key has any bit set beyond `len`. */
export function hasHostBits(key: usize, len: u32): bool {
  for (let w: u32 = 0; w < 4; w++) {
    let keep: i32 = <i32>len - <i32>(w * 32);
    let v = load<u32>(key + (<usize>w << 2));
    if (keep <= 0) { if (v != 0) return true; }
    else if (keep < 32 && (v & ~wordMask(<u32>keep)) != 0) return true;
  }
  return false;
}

/**
 * Canonical order of prefixes (spec §6.2): compare the first min(la, lb) bits as unsigned big-endian
 * strings; if equal, the shorter prefix comes first. Returns -1, 0 or 1.
 */
export function prefixCompare(a: usize, la: u32, b: usize, lb: u32): i32 {
  let m = la < lb ? la : lb;
  let c = commonLen(a, b, m);
  if (c < m) return bitAt(a, c) < bitAt(b, c) ? -1 : 1;
  return la < lb ? -1 : la > lb ? 1 : 0;
}
