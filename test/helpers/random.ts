// Seeded data for tests and benchmarks: mulberry32 PRNG, prefix sets with a realistic length mix
// (IPv4 shaped like the tier-1 table: mostly /24, /22, /23; IPv6 mostly /48, /32, /44), nested
// chains (worst-case nesting), and probe addresses (uniform, and inside chosen prefixes).
import { Family, maskWords } from '../../src/address.js';

/** mulberry32, the seeded PRNG of the workload conventions (one implementation: src/cli/workload.ts). */
export { mulberry32 } from '../../src/cli/workload.js';
import { mulberry32 } from '../../src/cli/workload.js';

const V4_MIX: [number, number][] = [[24, 596], [22, 120], [23, 107], [21, 56], [20, 47], [19, 28], [18, 15],
  [16, 15], [17, 9], [15, 3], [14, 2], [13, 1], [12, 1], [8, 1], [32, 1], [28, 1], [0, 0.05]];
const V6_MIX: [number, number][] = [[48, 471], [32, 141], [44, 90], [40, 84], [36, 37], [29, 27], [47, 20],
  [46, 19], [64, 2], [128, 1], [56, 5], [28, 3], [0, 0.05]];

function pickLen(rnd: () => number, mix: [number, number][]): number {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  let x = (rnd() / 4294967296) * total;
  for (const [len, w] of mix) { if ((x -= w) < 0) return len; }
  return mix[0][0];
}

export interface PrefixSet {
  family: Family;
  /** 4 words per prefix, host bits cleared. */
  keys: Uint32Array;
  lens: Uint8Array;
  count: number;
}

/** `count` distinct-ish random prefixes (duplicates possible, as in real feeds) plus nested chains. */
export function randomPrefixes(seed: number, family: Family, count: number, chains = Math.ceil(count / 200)): PrefixSet {
  const rnd = mulberry32(seed);
  const keys = new Uint32Array(count * 4), lens = new Uint8Array(count);
  const max = family === 4 ? 32 : 128;
  let i = 0;
  // nested chains: one random address, prefixes of it at many lengths
  while (i < count && chains-- > 0) {
    const base = [rnd(), rnd(), rnd(), rnd()];
    if (family === 6) base[0] = (0x20000000 | (base[0] & 0x1fffffff)) >>> 0;
    const step = 1 + (rnd() % 4);
    for (let len = rnd() % 9; len <= max && i < count; len += step) {
      for (let w = 0; w < 4; w++) keys[i * 4 + w] = family === 4 && w > 0 ? 0 : base[w];
      lens[i] = len;
      maskWords(keys, i * 4, len);
      i++;
    }
  }
  for (; i < count; i++) {
    const len = pickLen(rnd, family === 4 ? V4_MIX : V6_MIX);
    for (let w = 0; w < 4; w++) keys[i * 4 + w] = family === 4 && w > 0 ? 0 : rnd();
    if (family === 6) keys[i * 4] = (0x20000000 | (keys[i * 4] & 0x1fffffff)) >>> 0; // 2000::/3 like real tables
    lens[i] = len;
    maskWords(keys, i * 4, len);
  }
  return { family, keys, lens, count };
}

/** Probe addresses: half uniform random, half inside prefixes of `set` (host bits random). */
export function probes(seed: number, set: PrefixSet, n: number): Uint32Array {
  const rnd = mulberry32(seed);
  const words = set.family === 4 ? 1 : 4;
  const out = new Uint32Array(n * words);
  for (let i = 0; i < n; i++) {
    const inside = (i & 1) === 1 && set.count > 0;
    const p = inside ? rnd() % set.count : 0;
    for (let w = 0; w < words; w++) {
      let v = rnd();
      if (set.family === 6 && w === 0 && !inside) v = (0x20000000 | (v & 0x1fffffff)) >>> 0;
      if (inside) {
        const keep = set.lens[p] - 32 * w;
        const k = set.keys[p * 4 + w];
        if (keep >= 32) v = k;
        else if (keep > 0) { const m = (0xffffffff << (32 - keep)) >>> 0; v = ((k & m) | (v & ~m)) >>> 0; }
      }
      out[i * words + w] = v >>> 0;
    }
  }
  return out;
}
