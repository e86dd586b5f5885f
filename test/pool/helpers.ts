// Shared by the snapshot tests: an Rtm (debug core) loaded with one route per prefix of a set, seeded
// update rounds through Entity.applyUpdates (adds of new prefixes, deletes, view changes), and the table's
// own view-0 answers to compare a reader with.
import { expect } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import type { FibReader } from '../../src/fib/reader.js';
import { VirtualClock } from '../../src/clock.js';
import type { Family } from '../../src/address.js';
import type { Entity } from '../../src/entity.js';
import { mulberry32, randomPrefixes, type PrefixSet } from '../helpers/random.js';

export const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';

export interface Loaded { rtm: Rtm; e: Entity; nh: number; set: PrefixSet }

/** One route per prefix (views 1, 2 or 3 chosen by seed); `fibFromFirst` builds the IPv4 structure at once. */
export function loaded(set: PrefixSet, seed: number, fibFromFirst = false): Loaded {
  const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
  if (fibFromFirst) rtm.core.x.fibThreshold(1);
  const e = rtm.registerEntity({ addressFamily: fam(set.family), protocolId: 8, instanceId: 1 });
  const nh = e.addNextHop({ address: set.family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle! as number;
  const rnd = mulberry32(seed * 7 + 1);
  const v = new Uint8Array(set.count), hops = new Float64Array(set.count).fill(nh);
  for (let i = 0; i < set.count; i++) v[i] = [1, 1, 1, 2, 3][rnd() % 5];
  for (let i = 0; i < set.count; i += 50_000) {
    const m = Math.min(50_000, set.count - i);
    e.addRoutesBatch({ count: m, keys: set.keys.subarray(i * 4), lens: set.lens.subarray(i), nextHops: hops.subarray(i), views: v.subarray(i) });
  }
  if (fibFromFirst) rtm.core.x.fibThreshold(0);
  return { rtm, e, nh, set };
}

/**
 * One round of `n` updates: new random prefixes announced, existing ones withdrawn, and view changes
 * (a route re-announced in another view set), in seeded order.
 */
export function updateRound(l: Loaded, seed: number, n: number): void {
  const { e, nh, set } = l;
  const rnd = mulberry32(seed);
  const fresh = randomPrefixes(seed * 31 + 5, set.family, n);
  const keys = new Uint32Array(n * 4), lens = new Uint8Array(n), kinds = new Uint8Array(n), views = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pick = rnd() % 3;
    const src = pick === 0 ? fresh : set, j = pick === 0 ? i : rnd() % set.count;
    keys.set(src.keys.subarray(j * 4, j * 4 + 4), i * 4);
    lens[i] = src.lens[j];
    kinds[i] = pick === 1 ? 1 : 0;
    views[i] = [1, 1, 2, 3][rnd() % 4];
  }
  e.applyUpdates({ count: n, keys, lens, kinds, views, nextHops: new Float64Array(n).fill(nh) });
}

/** The table's own view-0 answers for `keys`. */
export function tableAnswers(l: Loaded, keys: Uint32Array): Int32Array {
  const t = l.set.family === 4 ? l.rtm.ipv4 : l.rtm.ipv6;
  const out = new Int32Array(l.set.family === 4 ? keys.length : keys.length / 4);
  t.lookupBatch(keys, out, 0);
  return out;
}

/** Index of the first difference of two answer arrays, or -1. */
export function firstDiff(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : a.length;
}

/**
 * A deterministic churn of a set's own prefixes (flaps): each update withdraws a prefix still announced
 * or re-announces (view 0) one withdrawn earlier, chosen by seed — the shape of real BGP churn, where
 * most updates concern prefixes the table already knows (there is no IPv6 update trace in ../shared/data).
 */
export class Flaps {
  private readonly rnd: () => number;
  private readonly down = new Uint8Array(0);
  private readonly withdrawn: number[] = [];
  constructor(private readonly l: Loaded, seed: number) {
    this.rnd = mulberry32(seed);
    this.down = new Uint8Array(l.set.count);
  }

  /** Applies `n` updates through Entity.applyUpdates. */
  round(n: number): void {
    const { e, nh, set } = this.l;
    const keys = new Uint32Array(n * 4), lens = new Uint8Array(n), kinds = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let j: number;
      if (this.withdrawn.length > 0 && (this.rnd() & 1) === 0) {
        const k = this.rnd() % this.withdrawn.length;
        j = this.withdrawn[k];
        this.withdrawn[k] = this.withdrawn[this.withdrawn.length - 1];
        this.withdrawn.pop();
        this.down[j] = 0;
        kinds[i] = 0;
      } else {
        do j = this.rnd() % set.count; while (this.down[j] === 1);
        this.down[j] = 1;
        this.withdrawn.push(j);
        kinds[i] = 1;
      }
      keys.set(set.keys.subarray(j * 4, j * 4 + 4), i * 4);
      lens[i] = set.lens[j];
    }
    e.applyUpdates({ count: n, keys, lens, kinds, views: new Uint8Array(n).fill(1), nextHops: new Float64Array(n).fill(nh) });
  }
}

/**
 * Expects `reader` to answer `keys` as the table's own lookupBatch (view 0), batch and single lookups on
 * a sample; returns the table's answers.
 */
export function expectAgrees(l: Loaded, reader: FibReader, keys: Uint32Array, tag: string): Int32Array {
  const want = tableAnswers(l, keys);
  const got = new Int32Array(want.length);
  const hits = reader.lookupBatch(keys, got);
  const d = firstDiff(got, want);
  if (d >= 0) expect(got[d], `${tag}: probe ${d}: reader vs Table.lookupBatch`).toBe(want[d]);
  expect(hits).toBe(want.filter((x) => x >= 0).length);
  // single lookups on a sample
  const words = l.set.family === 4 ? 1 : 4;
  for (let i = 0; i < want.length; i += 37) {
    const one = words === 1 ? reader.lookupId(keys[i]) : reader.lookupId(keys, i * 4);
    if (one !== want[i]) expect(one, `${tag}: probe ${i}: lookupId`).toBe(want[i]);
  }
  return want;
}
