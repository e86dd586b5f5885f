// The looking glass's answers computed the slow way, for its tests: every prefix of a list scanned —
// the covering prefixes (longest first), the more-specific ones, and the direct children among them (a
// more-specific prefix inside no other more-specific one). O(list) per query; allocates the results.
import { formatPrefix, parsePrefixInto } from '../../src/address.js';
import type { PrefixSet } from '../helpers/random.js';

/** a/alen contains the key at words[off..off+3] (a's leading alen bits). */
function within(a: Uint32Array, alen: number, words: Uint32Array, off: number): boolean {
  for (let i = 0, left = alen; i < 4 && left > 0; i++, left -= 32) {
    const mask = left >= 32 ? 0xffffffff : (0xffffffff << (32 - left)) >>> 0;
    if (((a[i] ^ words[off + i]) & mask) >>> 0 !== 0) return false;
  }
  return true;
}

/** The naive answer for a prefix: every prefix of the list scanned. */
export function naive(set: PrefixSet, text: string) {
  const q = new Uint32Array(4);
  const len = parsePrefixInto(text, set.family, q);
  const covering: { p: string; len: number }[] = [], inside: number[] = [];
  for (let i = 0; i < set.count; i++) {
    const l = set.lens[i];
    if (l <= len) {
      if (within(set.keys.subarray(4 * i, 4 * i + 4), l, q, 0)) covering.push({ p: formatPrefix(set.family, set.keys, 4 * i, l), len: l });
    } else if (within(q, len, set.keys, 4 * i)) inside.push(i);
  }
  covering.sort((a, b) => b.len - a.len);
  const cmp = (x: number, y: number) => {
    for (let w = 0; w < 4; w++) if (set.keys[4 * x + w] !== set.keys[4 * y + w]) return set.keys[4 * x + w] - set.keys[4 * y + w];
    return set.lens[x] - set.lens[y];
  };
  inside.sort(cmp);
  const children: string[] = [];
  let last = -1;
  for (const i of inside) {
    if (last >= 0 && within(set.keys.subarray(4 * last, 4 * last + 4), set.lens[last], set.keys, 4 * i)) continue;
    last = i;
    children.push(formatPrefix(set.family, set.keys, 4 * i, set.lens[i]));
  }
  return { covering: covering.map((c) => c.p), moreSpecifics: inside.length, children };
}
