// Workloads and the naive baseline for `rtm bench` and `rtm demo`, following ../shared/data/README.md
// "Workload conventions": uniform random addresses from mulberry32 seed 1; addresses inside announced
// prefixes from mulberry32 seed 2 (one draw picks prefix rnd() % n in file order, then one draw per
// address word fills its host bits). NaiveLpm is the baseline every rate is compared with: a JS Map per
// prefix length, probed from the longest present length down. measure() times a task run in chunks, pausing between them so
// that Ctrl-C is handled.
// Generators fill caller-owned arrays; NaiveLpm allocates a Map entry per prefix (and a string per
// IPv6 probe of a length over 32).
import { maskWords, type Family } from '../address.js';
import { breathe } from './interrupt.js';

/** mulberry32: a small, fast, seeded PRNG returning u32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Seeds of the workload conventions. */
export const SEED_RANDOM = 1;
export const SEED_IN_PREFIX = 2;

/** Prefixes in file order: keys (4 words each, MS first, host bits clear) and lengths. */
export interface PrefixList {
  readonly family: Family;
  readonly keys: Uint32Array;
  readonly lens: Uint8Array;
  readonly count: number;
}

/** A stream of probe addresses (1 word per IPv4 address, 4 per IPv6 address); fill() continues it. */
export class AddressStream {
  private readonly rnd: () => number;
  readonly words: number;

  /** `inside` undefined: uniform random (seed 1); else addresses inside its prefixes (seed 2). */
  constructor(readonly family: Family, readonly inside?: PrefixList, seed = inside ? SEED_IN_PREFIX : SEED_RANDOM) {
    this.rnd = mulberry32(seed);
    this.words = family === 4 ? 1 : 4;
    if (inside && inside.count === 0) throw new RangeError('no prefixes to draw addresses from');
  }

  /** Writes the next n addresses into out[0 .. n × words). */
  fill(out: Uint32Array, n: number): Uint32Array {
    const rnd = this.rnd, words = this.words, set = this.inside;
    if (set === undefined) {
      for (let i = 0; i < n * words; i++) out[i] = rnd();
      return out;
    }
    for (let i = 0; i < n; i++) {
      const p = rnd() % set.count;
      for (let w = 0; w < words; w++) {
        const keep = set.lens[p] - 32 * w, h = rnd();
        const m = keep >= 32 ? 0xffffffff : keep <= 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
        out[i * words + w] = ((set.keys[p * 4 + w] & m) | (h & ~m)) >>> 0;
      }
    }
    return out;
  }

  /** The next n addresses in a new array. */
  take(n: number): Uint32Array {
    return this.fill(new Uint32Array(n * this.words), n);
  }

  /** take(n) in chunks, letting Ctrl-C in between them (breathe()). */
  async takeAsync(n: number, chunk = 1 << 18): Promise<Uint32Array> {
    const out = new Uint32Array(n * this.words);
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      this.fill(out.subarray(i * this.words, (i + m) * this.words), m);
      await breathe();
    }
    return out;
  }
}

/**
 * The naive baseline: one Map per prefix length from masked address to the index of the prefix's first
 * record; a lookup probes the present lengths from the longest down. Keys are the masked address: a
 * number for IPv4 and IPv6 up to /32, else the text of the IPv6 words the length covers.
 */
export class NaiveLpm {
  private readonly maps: Map<number | string, number>[] = [];
  /** Lengths that hold prefixes, longest first. */
  private lengths: number[] = [];
  private readonly masks4: number[] = [];
  private readonly scratch = new Uint32Array(4);
  size = 0;

  constructor(readonly family: Family) {
    const max = family === 4 ? 32 : 128;
    for (let l = 0; l <= max; l++) {
      this.maps.push(new Map());
      this.masks4.push(l === 0 ? 0 : l >= 32 ? 0xffffffff : (0xffffffff << (32 - l)) >>> 0);
    }
  }

  /** Adds prefixes [from, to) of a list (default all) (value = record index; the first record of a prefix wins). */
  addAll(list: PrefixList, from = 0, to = list.count): this {
    for (let i = from; i < to; i++) {
      const len = list.lens[i];
      const k = this.family === 4 ? list.keys[4 * i] : this.key6(list.keys, 4 * i, len);
      const m = this.maps[len];
      if (!m.has(k)) { m.set(k, i); this.size++; }
    }
    this.lengths = [];
    for (let l = this.maps.length - 1; l >= 0; l--) if (this.maps[l].size > 0) this.lengths.push(l);
    return this;
  }

  /** addAll in chunks, letting Ctrl-C in between them (breathe()). */
  async addAllAsync(list: PrefixList, chunk = 1 << 16): Promise<this> {
    for (let i = 0; i < list.count; i += chunk) {
      this.addAll(list, i, Math.min(list.count, i + chunk));
      await breathe();
    }
    if (list.count === 0) this.addAll(list);
    return this;
  }

  /** Record index of the longest prefix covering an IPv4 address (host order), or -1. */
  lookup4(addr: number): number {
    for (const l of this.lengths) {
      const v = this.maps[l].get((addr & this.masks4[l]) >>> 0);
      if (v !== undefined) return v;
    }
    return -1;
  }

  /** Record index of the longest prefix covering the IPv6 address at words[off..off+3], or -1. */
  lookup6(words: Uint32Array, off: number): number {
    for (const l of this.lengths) {
      const v = this.maps[l].get(this.key6(words, off, l));
      if (v !== undefined) return v;
    }
    return -1;
  }

  /** Looks up n addresses (1 or 4 words each) into out; returns the hits. */
  lookupMany(addrs: Uint32Array, n: number, out: Int32Array): number {
    let hits = 0;
    if (this.family === 4) {
      for (let i = 0; i < n; i++) { const r = this.lookup4(addrs[i]); out[i] = r; if (r >= 0) hits++; }
    } else {
      for (let i = 0; i < n; i++) { const r = this.lookup6(addrs, 4 * i); out[i] = r; if (r >= 0) hits++; }
    }
    return hits;
  }

  /** Map key of an IPv6 prefix: the masked first word (a number) up to /32, else the words it covers as text. */
  private key6(words: Uint32Array, off: number, len: number): number | string {
    const s = this.scratch;
    s[0] = words[off]; s[1] = words[off + 1]; s[2] = words[off + 2]; s[3] = words[off + 3];
    maskWords(s, 0, len);
    if (len <= 32) return s[0];
    if (len <= 64) return `${s[0]}.${s[1]}`;
    if (len <= 96) return `${s[0]}.${s[1]}.${s[2]}`;
    return `${s[0]}.${s[1]}.${s[2]}.${s[3]}`;
  }
}

/** Timing of a task: median ms per run over `runs` runs (after one warm-up run). */
export interface Timing {
  msPerRun: number;
  runs: number;
}

/**
 * Runs `fn` once to warm up, then until at least `minMs` have passed and at least `minRuns` runs were
 * made (at most `maxRuns`); returns the median run time (robust against GC pauses and a busy machine).
 */
/**
 * Times a task split into chunks: one run calls fn(from, to) for consecutive chunks of [0, total) and
 * sums the chunks' times (the pauses between chunks, where breathe() lets Ctrl-C in, are not timed).
 * Returns the median run and the sum of fn's results in the last run (hits, say).
 */
export async function measure(fn: (from: number, to: number) => number,
  opts: { minMs: number; minRuns?: number; maxRuns?: number; warmup?: boolean; total?: number; chunk?: number }): Promise<Timing & { result: number }> {
  const minRuns = opts.minRuns ?? 3, maxRuns = opts.maxRuns ?? 1000;
  const total = opts.total ?? 1, chunk = Math.max(1, opts.chunk ?? total);
  let result = 0;
  const once = async (): Promise<number> => {
    let ms = 0, sum = 0;
    for (let from = 0; from < total; from += chunk) {
      const to = Math.min(total, from + chunk);
      const t0 = performance.now();
      sum += fn(from, to);
      ms += performance.now() - t0;
      await breathe();
    }
    result = sum;
    return ms;
  };
  if (opts.warmup !== false) await once();
  const times: number[] = [];
  let spent = 0;
  while (times.length < maxRuns && (times.length < minRuns || spent < opts.minMs)) {
    const ms = await once();
    times.push(ms);
    spent += ms;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const msPerRun = times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { msPerRun, runs: times.length, result };
}
