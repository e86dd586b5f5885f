// IPv6 branch nodes (issue 13, session 33; assembly/layout.ts "IPv6 branch nodes"): a trie node of at most
// NODE6B_MAX (57) bits that holds no destination lives in a 16-byte record (SLAB_NODE6B), its length in the
// low bits of its second key word; a longer branch is a 20-byte SLAB_NODE6 node (up to /64) or a long one.
// A prefix inserted exactly at a branch first moves the branch into a 20-byte node (trie.ts unbranch) — by
// addRouteToDest, and by both bulk paths of addRoutesBatch (the one-pass build of a batch in prefix order,
// the trie pass of a batch in another order, which makes nodes before their destinations). Checked against
// the reference model (single calls) and against the chunked incremental path (batches), with the debug
// core's invariants and the count of branch records after every step.
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

/** IPv6 branch records in use in a core (shared by the instances of a process: compared as deltas). */
const branches6 = (rtm: Rtm): number => rtm.core.x.trieBranchNodes6() as number;

const ALL = (1n << 128n) - 1n;
const maskOf = (l: number): bigint => (l === 0 ? 0n : (ALL << BigInt(128 - l)) & ALL);
/** A prefix's (key as a 128-bit integer, length). */
function parse(p: string): [bigint, number] {
  const w = new Uint32Array(4);
  const l = parsePrefixInto(p, 6, w, 0);
  return [(BigInt(w[0]) << 96n) | (BigInt(w[1]) << 64n) | (BigInt(w[2]) << 32n) | BigInt(w[3]), l];
}
function text(a: bigint, l: number): string {
  const w = [Number((a >> 96n) & 0xffffffffn), Number((a >> 64n) & 0xffffffffn), Number((a >> 32n) & 0xffffffffn), Number(a & 0xffffffffn)];
  return formatPrefix(6, w, 0, l);
}
const clz128 = (x: bigint): number => (x === 0n ? 128 : 128 - x.toString(2).length);

/**
 * Entity A's prefixes under sixteen /32s of 2001:db8::/28: runs of /48s and a /49, /56s, /60s and /64s whose
 * branch points are /54, /58-/59 and /63 (short and long branches), and two /128s (a /124 branch, long).
 */
const A_PREFIXES: string[] = [];
for (let x = 0; x < 16; x++) {
  const g = `2001:db8${x.toString(16)}`;
  A_PREFIXES.push(`${g}::/48`, `${g}:1::/48`, `${g}:2::/48`, `${g}:2:8000::/49`, `${g}:3:100::/56`, `${g}:3:200::/56`,
    `${g}:4:10::/60`, `${g}:4:20::/60`, `${g}:5::/64`, `${g}:5:1::/64`, `${g}:6::7/128`, `${g}:6::9/128`);
}

/**
 * The branch points of a set of prefixes — the path-compressed trie's nodes that hold none of them: every
 * common prefix of two of them that is not one of them.
 */
function branchPoints(prefixes: readonly string[]): string[] {
  const set = new Set(prefixes.map((p) => text(...parse(p)))), out = new Set<string>();
  const ps = prefixes.map(parse);
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const [a, la] = ps[i], [b, lb] = ps[j];
      const l = Math.min(la, lb, clz128(a ^ b));
      if (l === la || l === lb) continue;   // nested: no branch between them
      const p = text(a & maskOf(l), l);
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
function probesOf(prefixes: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of prefixes) {
    const [a, l] = parse(p);
    const last = a | (~maskOf(l) & ALL);
    out.push(text(a, 128), text(last, 128), text((last + 1n) & ALL, 128));
  }
  return out;
}

describe('IPv6 branch nodes: 16-byte records up to /57, moved into a 20-byte node when a prefix lands on them', () => {
  it('addRouteToDest at every branch point, deletes back, against the reference model', () => {
    const bps = branchPoints(A_PREFIXES);
    const rtm0 = Rtm.createSync({ build: 'debug', clock: new VirtualClock() });
    const MAXB = rtm0.core.k.NODE6B_MAX as number;
    rtm0.close();
    expect(MAXB).toBe(57);
    // branch points of every kind: short ones (16-byte records), /58-/64 ones (20-byte nodes), long ones
    const short = bps.filter((p) => parse(p)[1] <= MAXB).length;
    expect(short).toBeGreaterThan(60);
    expect(bps.filter((p) => parse(p)[1] > MAXB && parse(p)[1] <= 64).length).toBeGreaterThanOrEqual(32);
    expect(bps.filter((p) => parse(p)[1] > 64).length).toBe(16);
    expect(bps).toContain('2001:db80::/47');
    const probes = probesOf([...A_PREFIXES, ...bps]);
    const worlds = [createModel({ clock: new VirtualClock() }), Rtm.createSync({ build: 'debug', clock: new VirtualClock() }) as unknown as RtmLike]
      .map((rtm) => {
        const A = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 1 });
        const B = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 13, instanceId: 1 });
        const na = A.addNextHop({ address: '2001:db8:ffff::1', interfaceIndex: 1 }).handle!;
        const nb = B.addNextHop({ address: '2001:db8:ffff::2', interfaceIndex: 2 }).handle!;
        return { rtm, A, B, na, nb, ra: [] as RouteHandle[], rab: [] as RouteHandle[], rb: [] as RouteHandle[] };
      });
    const wasm = worlds[1].rtm as unknown as Rtm;
    const base = branches6(wasm);
    const step = (what: string, expectBranches: number) => {
      const [m, w] = worlds.map((x) => observe(x.A, probes));
      expect(w, what).toEqual(m);
      invariants(wasm, what);
      expect(branches6(wasm) - base, `${what}: branch records`).toBe(expectBranches);
    };
    for (const x of worlds) for (const p of A_PREFIXES) x.ra.push(x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 20 }).handle!);
    // the trie's one shape: a branch record for each branch point of at most NODE6B_MAX bits, none for A's prefixes
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
    // and in again: the existing 20-byte nodes hold them
    for (const x of worlds) for (const p of bps) x.B.addRouteToDest({ dest: p, neighbour: x.nb, nextHops: [x.nb], preference: 10, returnHandle: false });
    step('B again', 0);
    // A's prefixes gone, one half and then the rest: a removal makes no branch record
    for (const x of worlds) for (let i = 0; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('half of A withdrawn', 0);
    for (const x of worlds) for (let i = 1; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('A withdrawn', 0);
    // a prefix between A's leaves splits an edge with a new branch record again
    for (const x of worlds) for (const p of A_PREFIXES) x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 20, returnHandle: false });
    step('A again', 0);
    for (const x of worlds) x.A.addRouteToDest({ dest: '2001:db8f:7::/48', neighbour: x.na, nextHops: [x.na], preference: 20, returnHandle: false });
    step('a /48 beside a /48 of A', 1);
    for (const x of worlds) x.rtm.close();
    expect(branches6(wasm)).toBe(base);
  });

  for (const [order, register] of [['in prefix order (one pass)', false], ['in another order (trie pass)', true]] as const) {
    it(`addRoutesBatch ${order} onto a table whose branches its prefixes land on, as the chunked path`, () => {
      const bps = branchPoints(A_PREFIXES);
      const make = () => {
        const rtm = Rtm.createSync({ build: 'debug', clock: new VirtualClock(), families: ['ipv6'] });
        const O = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 1 });
        const L = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 14, instanceId: 1 }) as Entity;
        const no = O.addNextHop({ address: '2001:db8:ffff::1', interfaceIndex: 1 }).handle!;
        const nl = L.addNextHop({ address: '2001:db8:ffff::2', interfaceIndex: 2 }).handle!;
        for (const p of A_PREFIXES) O.addRouteToDest({ dest: p, neighbour: no, nextHops: [no], preference: 20, returnHandle: false });
        // a registration keeps the batch off the one-pass build (the order of its changes is recorded)
        if (register) O.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
        return { rtm, O, L, nl };
      };
      const bulk = make(), chunked = make();
      const n = bulk.rtm.core.k.LOAD_MAX + 500;
      // the branch points, /64s and /128s under A's /48s and beside them, /48s of 2001:db9::/32 to fill the batch
      const prefixes = [...bps];
      for (let x = 0; x < 16; x++) {
        const g = `2001:db8${x.toString(16)}`;
        for (let h = 0; h < 8; h++) prefixes.push(`${g}:${h & 3}:${(16 * h + 1).toString(16)}::/64`, `${g}:0:8000::${(128 + h).toString(16)}/128`);
      }
      for (let i = 0; prefixes.length < n; i++) prefixes.push(`2001:db9:${i.toString(16)}::/48`);
      const rnd = mulberry32(register ? 7 : 5);
      const cmp = (p: string, q: string) => { const [a, la] = parse(p), [b, lb] = parse(q); return a !== b ? (a < b ? -1 : 1) : la - lb; };
      if (register) {
        for (let i = prefixes.length - 1; i > 0; i--) { const j = rnd() % (i + 1); [prefixes[i], prefixes[j]] = [prefixes[j], prefixes[i]]; }
        // and in front, sixteen pairs whose second lands on a branch the first one's path passed (the facade
        // sorts the trie pass's prefixes, so no insertion starts at such a branch: bulk.ts topIsBranchAt)
        for (let x = 0; x < 16; x++) {
          const g = `2001:db8${x.toString(16)}`;
          const pair = [`${g}:0:8000::80/128`, text(parse(`${g}::/47`)[0], 47)];
          for (const p of pair) prefixes.splice(prefixes.indexOf(p), 1);
          prefixes.unshift(...pair);
        }
      } else prefixes.sort(cmp);
      const keys = new Uint32Array(4 * n), lens = new Uint8Array(n);
      for (let i = 0; i < n; i++) lens[i] = parsePrefixInto(prefixes[i], 6, keys, 4 * i);
      const batch = (nl: number): RouteLoadBatch => ({ count: n, keys, lens, nextHops: new Float64Array(n).fill(nl), preferences: new Uint32Array(n).fill(10) });
      const x = bulk.rtm.core.x as unknown as { bulkBuilds: WebAssembly.Global; bulkOnePass: WebAssembly.Global };
      const builds = x.bulkBuilds.value as number, onePass = x.bulkOnePass.value as number;
      // (the two instances share the debug core: branch records counted as each load's change)
      const b0 = branches6(bulk.rtm);
      bulk.L.addRoutesBatch(batch(bulk.nl));
      const b1 = branches6(bulk.rtm);
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
      expect(b1 - b0).toBe(branches6(chunked.rtm) - b1);
      expect(b1 - b0).toBeLessThan(n);
      const probes = probesOf([...A_PREFIXES, ...bps, ...prefixes.slice(bps.length, bps.length + 200)]);
      expect(observe(bulk.O, probes)).toEqual(observe(chunked.O, probes));
      expect(bulk.rtm.ipv6.core.nodeCount).toBe(chunked.rtm.ipv6.core.nodeCount);
      bulk.rtm.close();
      chunked.rtm.close();
    });
  }
});
