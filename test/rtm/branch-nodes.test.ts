// Branch nodes (issue 13; assembly/layout.ts "IPv4 branch nodes", session 32, and "IPv6 branch nodes", session
// 33): a trie node that holds no destination lives in a record of its own slab — 12 bytes for IPv4
// (SLAB_NODE4B, up to /26: its length in the low bits of its key word), 16 for IPv6 (SLAB_NODE6B, up to /57:
// its length in the low bits of its second key word); a longer branch is a node of another form (IPv4 /27–/32:
// NODE_L4; IPv6 /58–/64: a 20-byte node; longer: a long node). A prefix inserted exactly at a branch first
// moves the branch into a node that can hold a destination (trie.ts unbranch) — by addRouteToDest, and by both
// bulk paths of addRoutesBatch: the one-pass build of a batch in prefix order, and the trie pass of a batch in
// another order, which makes nodes before their destinations. Checked for both families against the reference
// model (single calls) and against the chunked incremental path (batches), with the debug core's invariants and
// the count of branch records after every step.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { createModel } from '../reference/model.js';
import { formatPrefix, parsePrefixInto } from '../../src/address.js';
import { RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';
import type { EntityLike, RouteHandle, RouteLoadBatch, RtmLike } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { invariants } from '../helpers/extrarecords.js';
import { mulberry32 } from '../helpers/random.js';

/** What the two families' runs differ in. */
interface Family {
  readonly family: 4 | 6;
  /** Branch records of the family in use in a core (shared by the instances of a process: compared as deltas). */
  readonly branches: (rtm: Rtm) => number;
  /** The longest branch that is a branch record (layout NODE4_SHORT_MAX, NODE6B_MAX). */
  readonly shortMax: (rtm: Rtm) => number;
  /** Entity A's prefixes. */
  readonly prefixes: string[];
  /** Checks of the branch points' kinds. */
  readonly kinds: (bps: string[], shortMax: number) => void;
  /** A prefix beside one of A's whose insertion makes one branch record. */
  readonly beside: string;
  readonly hop: (i: number) => string;
  /** More prefixes of the batch (under A's and beside them), the filler's i-th one. */
  readonly more: () => string[];
  readonly filler: (i: number) => string;
  /** Pairs to put first in the unordered batch: the second lands on a branch the first one's path passed. */
  readonly pairs: () => string[][];
}

const FAMILIES: Family[] = [
  {
    family: 4,
    branches: (rtm) => rtm.core.x.trieBranchNodes() as number,
    shortMax: () => 26,   // NODE4_SHORT_MAX (not exported)
    // pairs and runs of /24s, a /25 and two /32s under each of sixteen /16s of 10/8
    prefixes: Array.from({ length: 16 }, (_, x) =>
      [`10.${x}.0.0/24`, `10.${x}.1.0/24`, `10.${x}.2.0/24`, `10.${x}.2.128/25`, `10.${x}.3.7/32`, `10.${x}.3.9/32`]).flat(),
    kinds: (bps, shortMax) => {
      expect(bps.length).toBeGreaterThan(40);   // the /23s, /22s, /15s … between A's prefixes
      expect(bps).toContain('10.0.0.0/23');
      // a longer one, here the /28s between two /32s, is a 16-byte node: its length does not fit below its key
      expect(bps.filter((p) => parse(4, p)[1] > shortMax).length).toBe(16);
    },
    beside: '10.15.4.0/24',
    hop: (i) => `192.0.2.${i}`,
    more: () => Array.from({ length: 16 }, (_, x) => Array.from({ length: 8 }, (_, h) =>
      [`10.${x}.${h & 3}.${16 * h + 1}/32`, `10.${x}.0.${128 + h}/32`]).flat()).flat(),
    filler: (i) => `11.${(i >>> 8) & 255}.${i & 255}.0/24`,
    pairs: () => Array.from({ length: 16 }, (_, x) => [`10.${x}.0.128/32`, `10.${x}.0.0/23`]),
  },
  {
    family: 6,
    branches: (rtm) => rtm.core.x.trieBranchNodes6() as number,
    shortMax: (rtm) => rtm.core.k.NODE6B_MAX as number,
    // under sixteen /32s of 2001:db80::/28: runs of /48s and a /49, /56s, /60s and /64s whose branch points are
    // /54 (short), /58 and /63 (20-byte nodes), and two /128s (a /124 branch: a long node)
    prefixes: Array.from({ length: 16 }, (_, x) => {
      const g = `2001:db8${x.toString(16)}`;
      return [`${g}::/48`, `${g}:1::/48`, `${g}:2::/48`, `${g}:2:8000::/49`, `${g}:3:100::/56`, `${g}:3:200::/56`,
        `${g}:4:10::/60`, `${g}:4:20::/60`, `${g}:5::/64`, `${g}:5:1::/64`, `${g}:6::7/128`, `${g}:6::9/128`];
    }).flat(),
    kinds: (bps, shortMax) => {
      expect(shortMax).toBe(57);
      expect(bps.filter((p) => parse(6, p)[1] <= shortMax).length).toBeGreaterThan(60);
      expect(bps.filter((p) => parse(6, p)[1] > shortMax && parse(6, p)[1] <= 64).length).toBe(32);
      expect(bps.filter((p) => parse(6, p)[1] > 64).length).toBe(16);
      expect(bps).toContain('2001:db80::/47');
    },
    beside: '2001:db8f:7::/48',
    hop: (i) => `2001:db8:ffff::${i}`,
    more: () => Array.from({ length: 16 }, (_, x) => {
      const g = `2001:db8${x.toString(16)}`;
      return Array.from({ length: 8 }, (_, h) => [`${g}:${h & 3}:${(16 * h + 1).toString(16)}::/64`, `${g}:0:8000::${(128 + h).toString(16)}/128`]).flat();
    }).flat(),
    filler: (i) => `2001:db9:${i.toString(16)}::/48`,
    pairs: () => Array.from({ length: 16 }, (_, x) => [`2001:db8${x.toString(16)}:0:8000::80/128`, `2001:db8${x.toString(16)}::/47`]),
  },
];

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);
const maskOf = (family: 4 | 6, l: number): bigint => {
  const all = (1n << BigInt(bitsOf(family))) - 1n;
  return l === 0 ? 0n : (all << BigInt(bitsOf(family) - l)) & all;
};
/** A prefix's (key as an integer of the family's width, length). */
function parse(family: 4 | 6, p: string): [bigint, number] {
  const w = new Uint32Array(4);
  const l = parsePrefixInto(p, family, w, 0);
  let a = 0n;
  for (let i = 0; i < bitsOf(family) / 32; i++) a = (a << 32n) | BigInt(w[i]);
  return [a, l];
}
function text(family: 4 | 6, a: bigint, l: number): string {
  const n = bitsOf(family) / 32, w = new Uint32Array(4);
  for (let i = 0; i < n; i++) w[i] = Number((a >> BigInt(32 * (n - 1 - i))) & 0xffffffffn);
  return formatPrefix(family, w, 0, l);
}
const clz = (family: 4 | 6, x: bigint): number => (x === 0n ? bitsOf(family) : bitsOf(family) - x.toString(2).length);

/**
 * The branch points of a set of prefixes — the path-compressed trie's nodes that hold none of them: every
 * common prefix of two of them that is not one of them.
 */
function branchPoints(family: 4 | 6, prefixes: readonly string[]): string[] {
  const ps = prefixes.map((p) => parse(family, p));
  const set = new Set(ps.map(([a, l]) => text(family, a, l))), out = new Set<string>();
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const [a, la] = ps[i], [b, lb] = ps[j];
      const l = Math.min(la, lb, clz(family, a ^ b));
      if (l === la || l === lb) continue;   // nested: no branch between them
      const p = text(family, a & maskOf(family, l), l);
      if (!set.has(p)) out.add(p);
    }
  }
  return [...out].sort();
}

/** What the public API shows of a table: destinations in enumeration order with their views, and most-specific matches. */
function observe(e: EntityLike, probes: readonly string[]): unknown {
  const dests: unknown[] = [];
  for (const d of e.dests({ views: RTM_VIEW_MASK_ANY })) dests.push([d.prefix, d.views, d.viewInfo.map((v) => v.numRoutes)]);
  const matches = probes.map((p) => {
    const d = e.getMostSpecificDestination({ dest: p });
    if (!d) return '-';
    e.releaseDestInfo(d);
    return d.prefix;
  });
  return { dests, matches };
}

/** Host addresses to probe: the first and last address of each prefix, and one just past it. */
function probesOf(family: 4 | 6, prefixes: readonly string[]): string[] {
  const out: string[] = [], all = maskOf(family, bitsOf(family));
  for (const p of prefixes) {
    const [a, l] = parse(family, p);
    const last = a | (~maskOf(family, l) & all);
    out.push(text(family, a, bitsOf(family)), text(family, last, bitsOf(family)), text(family, (last + 1n) & all, bitsOf(family)));
  }
  return out;
}

describe.each(FAMILIES)('IPv$family branch nodes: records of their own, moved into a node when a prefix lands on them', (F) => {
  const af = F.family === 4 ? 'ipv4' : 'ipv6';

  it('addRouteToDest at every branch point, deletes back, against the reference model', () => {
    const bps = branchPoints(F.family, F.prefixes);
    const probes = probesOf(F.family, [...F.prefixes, ...bps]);
    const worlds = [createModel({ clock: new VirtualClock() }), Rtm.createSync({ build: 'debug', clock: new VirtualClock() }) as unknown as RtmLike]
      .map((rtm) => {
        const A = rtm.registerEntity({ addressFamily: af, protocolId: 8, instanceId: 1 });
        const B = rtm.registerEntity({ addressFamily: af, protocolId: 13, instanceId: 1 });
        const na = A.addNextHop({ address: F.hop(1), interfaceIndex: 1 }).handle!;
        const nb = B.addNextHop({ address: F.hop(2), interfaceIndex: 2 }).handle!;
        return { rtm, A, B, na, nb, ra: [] as RouteHandle[], rab: [] as RouteHandle[], rb: [] as RouteHandle[] };
      });
    const wasm = worlds[1].rtm as unknown as Rtm;
    const shortMax = F.shortMax(wasm);
    F.kinds(bps, shortMax);
    const base = F.branches(wasm);
    const step = (what: string, expectBranches: number) => {
      const [m, w] = worlds.map((x) => observe(x.A, probes));
      expect(w, what).toEqual(m);
      invariants(wasm, what);
      expect(F.branches(wasm) - base, `${what}: branch records`).toBe(expectBranches);
    };
    for (const x of worlds) for (const p of F.prefixes) x.ra.push(x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 20 }).handle!);
    // the trie's one shape: a branch record for each branch point of at most shortMax bits, none for A's prefixes
    const short = bps.filter((p) => parse(F.family, p)[1] <= shortMax).length;
    expect(short).toBeLessThan(bps.length);
    step('A', short);
    // B's prefix at a branch: the branch moves into a node that holds a destination
    for (const x of worlds) for (const p of bps) x.rb.push(x.B.addRouteToDest({ dest: p, neighbour: x.nb, nextHops: [x.nb], preference: 10 }).handle!);
    step('B at every branch point', 0);
    // a second route on those destinations changes nothing of the trie
    for (const x of worlds) for (const p of bps) x.rab.push(x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 30 }).handle!);
    step('A too', 0);
    // withdrawn again: the nodes keep their two children and stay (a removal allocates nothing)
    for (const x of worlds) {
      for (const r of x.rb) x.B.deleteRouteToDest(r);
      for (const r of x.rab) x.A.deleteRouteToDest(r);
    }
    step('B and A withdrawn from the branch points', 0);
    // and in again: the existing nodes hold them
    for (const x of worlds) for (const p of bps) x.B.addRouteToDest({ dest: p, neighbour: x.nb, nextHops: [x.nb], preference: 10, returnHandle: false });
    step('B again', 0);
    // A's prefixes gone, one half and then the rest: a removal makes no node (those left without a
    // destination and with two children are the nodes of B's prefixes, or A's)
    for (const x of worlds) for (let i = 0; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('half of A withdrawn', 0);
    for (const x of worlds) for (let i = 1; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('A withdrawn', 0);
    // A again (the branch points still hold B's destinations), then a prefix beside one of A's, which
    // splits an edge with a new branch record
    for (const x of worlds) for (const p of F.prefixes) x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 20, returnHandle: false });
    step('A again', 0);
    for (const x of worlds) x.A.addRouteToDest({ dest: F.beside, neighbour: x.na, nextHops: [x.na], preference: 20, returnHandle: false });
    step('a prefix beside one of A', 1);
    for (const x of worlds) x.rtm.close();
    expect(F.branches(wasm)).toBe(base);
  });

  for (const [order, register] of [['in prefix order (one pass)', false], ['in another order (trie pass)', true]] as const) {
    it(`addRoutesBatch ${order} onto a table whose branches its prefixes land on, as the chunked path`, () => {
      const bps = branchPoints(F.family, F.prefixes);
      const make = () => {
        const rtm = Rtm.createSync({ build: 'debug', clock: new VirtualClock(), families: [af] });
        const O = rtm.registerEntity({ addressFamily: af, protocolId: 8, instanceId: 1 });
        const L = rtm.registerEntity({ addressFamily: af, protocolId: 14, instanceId: 1 }) as Entity;
        const no = O.addNextHop({ address: F.hop(1), interfaceIndex: 1 }).handle!;
        const nl = L.addNextHop({ address: F.hop(2), interfaceIndex: 2 }).handle!;
        for (const p of F.prefixes) O.addRouteToDest({ dest: p, neighbour: no, nextHops: [no], preference: 20, returnHandle: false });
        // a registration keeps the batch off the one-pass build (the order of its changes is recorded)
        if (register) O.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
        return { rtm, O, L, nl };
      };
      const bulk = make(), chunked = make();
      const n = bulk.rtm.core.k.LOAD_MAX + 500;
      // the branch points, prefixes under A's and beside them (the longest of the family too), a filler
      const prefixes = [...bps, ...F.more()];
      for (let i = 0; prefixes.length < n; i++) prefixes.push(F.filler(i));
      const rnd = mulberry32(register ? 7 : 5);
      if (register) {
        for (let i = prefixes.length - 1; i > 0; i--) { const j = rnd() % (i + 1); [prefixes[i], prefixes[j]] = [prefixes[j], prefixes[i]]; }
        // and in front, sixteen pairs whose second lands on a branch the first one's path passed (the facade
        // sorts the trie pass's prefixes, so no insertion starts at such a branch: bulk.ts topIsBranchAt)
        for (const pair of F.pairs()) {
          for (const p of pair) prefixes.splice(prefixes.indexOf(p), 1);
          prefixes.unshift(...pair);
        }
      } else {
        prefixes.sort((p, q) => { const [a, la] = parse(F.family, p), [b, lb] = parse(F.family, q); return a !== b ? (a < b ? -1 : 1) : la - lb; });
      }
      const keys = new Uint32Array(4 * n), lens = new Uint8Array(n);
      for (let i = 0; i < n; i++) lens[i] = parsePrefixInto(prefixes[i], F.family, keys, 4 * i);
      const batch = (nl: number): RouteLoadBatch => ({ count: n, keys, lens, nextHops: new Float64Array(n).fill(nl), preferences: new Uint32Array(n).fill(10) });
      const x = bulk.rtm.core.x as unknown as { bulkBuilds: WebAssembly.Global; bulkOnePass: WebAssembly.Global };
      const builds = x.bulkBuilds.value as number, onePass = x.bulkOnePass.value as number;
      // (the two instances share the debug core: branch records counted as each load's change)
      const b0 = F.branches(bulk.rtm);
      bulk.L.addRoutesBatch(batch(bulk.nl));
      const b1 = F.branches(bulk.rtm);
      expect(x.bulkBuilds.value as number).toBe(builds + 1);
      expect(x.bulkOnePass.value as number).toBe(onePass + (register ? 0 : 1));
      invariants(bulk.rtm, 'bulk');
      // every branch point holds a destination now
      for (const p of bps) {
        const d = bulk.O.getExactMatchDestination({ dest: p });
        expect(d?.prefix, p).toBe(p);
        if (d) bulk.O.releaseDestInfo(d);
      }
      const m = chunked.rtm.core.k.LOAD_MAX;
      for (let i0 = 0; i0 < n; i0 += m) {
        const c = Math.min(m, n - i0);
        chunked.L.addRoutesBatch({ count: c, keys: keys.subarray(4 * i0, 4 * (i0 + c)), lens: lens.subarray(i0, i0 + c),
          nextHops: new Float64Array(c).fill(chunked.nl), preferences: new Uint32Array(c).fill(10) });
      }
      invariants(chunked.rtm, 'chunked');
      // the same shape: as many branch records made (the batch's own branches) and moved (the branch points)
      expect(b1 - b0).toBe(F.branches(chunked.rtm) - b1);
      expect(b1 - b0).toBeLessThan(n);
      const probes = probesOf(F.family, [...F.prefixes, ...bps, ...prefixes.slice(bps.length, bps.length + 200)]);
      expect(observe(bulk.O, probes)).toEqual(observe(chunked.O, probes));
      const core = (rtm: Rtm) => (F.family === 4 ? rtm.ipv4 : rtm.ipv6).core;
      expect(core(bulk.rtm).nodeCount).toBe(core(chunked.rtm).nodeCount);
      bulk.rtm.close();
      chunked.rtm.close();
    });
  }
});
