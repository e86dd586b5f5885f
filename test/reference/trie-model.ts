// The naive reference for the trie layer: a Map per prefix length keyed by the masked address, linear
// scans and sorting. Obviously correct and slow; every trie answer is compared with it.
import { Family, formatPrefix, maskWords, maxLen } from '../../src/address.js';

// `words` is a plain array: a typed array per destination costs an ArrayBuffer each, which makes V8's
// garbage collector crawl on a 900k-prefix table.
export interface RefDest { prefix: string; len: number; words: readonly number[]; state: number }

/** Canonical order of spec §6.2: the first min(len) bits as unsigned strings, then shorter first. */
export function compareCanonical(a: RefDest, b: RefDest): number {
  const m = Math.min(a.len, b.len);
  for (let w = 0; 32 * w < m; w++) {
    const keep = Math.min(32, m - 32 * w);
    const mask = keep === 32 ? 0xffffffff : (0xffffffff << (32 - keep)) >>> 0;
    const x = (a.words[w] & mask) >>> 0, y = (b.words[w] & mask) >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.len - b.len;
}

const coverA = new Uint32Array(4), coverB = new Uint32Array(4);

/** True if `outer` covers (words, len). */
export function covers(outer: { words: ArrayLike<number>; len: number }, words: ArrayLike<number>, len: number): boolean {
  if (outer.len > len) return false;
  const m = coverA, o = coverB;
  for (let w = 0; w < 4; w++) { m[w] = words[w]; o[w] = outer.words[w]; }
  maskWords(m, 0, outer.len);
  maskWords(o, 0, outer.len);
  for (let w = 0; w < 4; w++) if (m[w] !== o[w]) return false;
  return true;
}

const scratch = new Uint32Array(4);

export class RefTrie {
  readonly family: Family;
  readonly byLen: Map<number | string, RefDest>[] = [];
  private sorted: RefDest[] | undefined;
  constructor(family: Family) {
    this.family = family;
    for (let l = 0; l <= maxLen(family); l++) this.byLen.push(new Map());
  }
  /**
   * Map key of (words masked to len), unique within one length's map: the prefix bits as a small integer
   * up to /30 (no allocation), the masked word for longer IPv4, otherwise the masked words as UTF-16.
   */
  private mapKey(words: ArrayLike<number>, off: number, len: number): number | string {
    for (let i = 0; i < 4; i++) scratch[i] = words[off + i];
    maskWords(scratch, 0, len);
    if (len <= 30) return len === 0 ? 0 : scratch[0] >>> (32 - len);
    if (this.family === 4) return scratch[0];
    let k = '';
    for (let w = 0; 32 * w < len; w++) k += String.fromCharCode(scratch[w] >>> 16, scratch[w] & 0xffff);
    return k;
  }
  insert(words: ArrayLike<number>, off: number, len: number): RefDest {
    const k = this.mapKey(words, off, len);
    let d = this.byLen[len].get(k);
    if (!d) {
      d = { prefix: formatPrefix(this.family, scratch, 0, len), len, words: Array.from(scratch), state: 0 };
      this.byLen[len].set(k, d);
      this.sorted = undefined;
    }
    return d;
  }
  remove(d: RefDest): boolean {
    this.sorted = undefined;
    return this.byLen[d.len].delete(this.mapKey(d.words, 0, d.len));
  }
  get(words: ArrayLike<number>, off: number, len: number): RefDest | undefined {
    return this.byLen[len].get(this.mapKey(words, off, len));
  }
  size(): number { return this.byLen.reduce((s, m) => s + m.size, 0); }
  static qualifies(d: RefDest, qual: number): boolean { return qual === 0 || (d.state & qual) !== 0; }
  /** Longest qualifying prefix covering (words, ≤ limit). */
  lpm(words: ArrayLike<number>, off: number, limit: number, qual: number): RefDest | undefined {
    for (let l = limit; l >= 0; l--) {
      if (this.byLen[l].size === 0) continue;
      const d = this.byLen[l].get(this.mapKey(words, off, l));
      if (d && RefTrie.qualifies(d, qual)) return d;
    }
    return undefined;
  }
  lessSpecific(d: RefDest, qual: number): RefDest | undefined {
    return d.len === 0 ? undefined : this.lpm(d.words, 0, d.len - 1, qual);
  }
  /** All qualifying destinations in canonical order, optionally only those covered by a range. */
  ordered(qual: number, range?: { words: ArrayLike<number>; len: number }): RefDest[] {
    if (!this.sorted) {
      this.sorted = [];
      for (const m of this.byLen) for (const d of m.values()) this.sorted.push(d);
      this.sorted.sort(compareCanonical);
    }
    return this.sorted.filter((d) => RefTrie.qualifies(d, qual) && (!range || covers(range, d.words, d.len)));
  }
}
