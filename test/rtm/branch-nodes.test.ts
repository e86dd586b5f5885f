// IPv4 branch nodes (issue 13, session 32; assembly/layout.ts "IPv4 branch nodes"): a trie node that holds
// no destination lives in a 12-byte record (SLAB_NODE4B), its length in the low bits of its key word; a
// prefix inserted exactly at a branch first moves the branch into a 16-byte node (trie.ts unbranch) — by
// addRouteToDest, and by both bulk paths of addRoutesBatch: the one-pass build of a batch in prefix order,
// and the trie pass of a batch in another order, which makes nodes (/32 ones too: NODE_L4, longer than a
// length below the key allows) before their destinations. Checked against the reference model (single calls) and against the chunked incremental
// path (batches), with the debug core's invariants and the count of branch records after every step.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { createModel } from '../reference/model.js';
import { parsePrefixInto } from '../../src/address.js';
import { RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';
import type { EntityLike, RouteHandle, RouteLoadBatch, RtmLike } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { invariants } from '../helpers/extrarecords.js';
import { mulberry32 } from '../helpers/random.js';

/** IPv4 branch records in use in a core (shared by the instances of a process: compared as deltas). */
const branches = (rtm: Rtm): number => rtm.core.x.trieBranchNodes() as number;

/** A prefix's (address as u32, length). */
function parse(p: string): [number, number] {
  const [a, l] = p.split('/');
  const o = a.split('.').map(Number);
  return [(((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0), Number(l)];
}
const text = (a: number, l: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${l}`;
const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

/** Entity A's prefixes: pairs and runs of /24s, a /25 and two /32s under each of sixteen /16s of 10/8. */
const A_PREFIXES: string[] = [];
for (let x = 0; x < 16; x++) {
  A_PREFIXES.push(`10.${x}.0.0/24`, `10.${x}.1.0/24`, `10.${x}.2.0/24`, `10.${x}.2.128/25`, `10.${x}.3.7/32`, `10.${x}.3.9/32`);
}

/**
 * The branch points of a set of prefixes — the path-compressed trie's nodes that hold none of them: every
 * common prefix of two of them that is not one of them.
 */
function branchPoints(prefixes: readonly string[]): string[] {
  const set = new Set(prefixes), out = new Set<string>();
  const ps = prefixes.map(parse);
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const [a, la] = ps[i], [b, lb] = ps[j];
      const x = (a ^ b) >>> 0;
      const l = Math.min(la, lb, x === 0 ? 32 : Math.clz32(x));
      if (l === la || l === lb) continue;   // nested: no branch between them
      const p = text((a & mask(l)) >>> 0, l);
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
    const last = (a | (~mask(l) >>> 0)) >>> 0;
    out.push(text(a, 32), text(last, 32), text((last + 1) >>> 0, 32));
  }
  return out;
}

describe('IPv4 branch nodes: 12-byte records, moved into a 16-byte node when a prefix lands on them', () => {
  it('addRouteToDest at every branch point, deletes back, against the reference model', () => {
    const bps = branchPoints(A_PREFIXES);
    expect(bps.length).toBeGreaterThan(40);   // the /23s, /22s, /15s … between A's prefixes
    expect(bps).toContain('10.0.0.0/23');
    const probes = probesOf([...A_PREFIXES, ...bps]);
    const worlds = [createModel({ clock: new VirtualClock() }), Rtm.createSync({ build: 'debug', clock: new VirtualClock() }) as unknown as RtmLike]
      .map((rtm) => {
        const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
        const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 1 });
        const na = A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
        const nb = B.addNextHop({ address: '192.0.2.2', interfaceIndex: 2 }).handle!;
        return { rtm, A, B, na, nb, ra: [] as RouteHandle[], rab: [] as RouteHandle[], rb: [] as RouteHandle[] };
      });
    const wasm = worlds[1].rtm as unknown as Rtm;
    const base = branches(wasm);
    const step = (what: string, expectBranches: number) => {
      const [m, w] = worlds.map((x) => observe(x.A, probes));
      expect(w, what).toEqual(m);
      invariants(wasm, what);
      expect(branches(wasm) - base, `${what}: branch records`).toBe(expectBranches);
    };
    for (const x of worlds) for (const p of A_PREFIXES) x.ra.push(x.A.addRouteToDest({ dest: p, neighbour: x.na, nextHops: [x.na], preference: 20 }).handle!);
    // the trie's one shape: a branch record for each branch point of at most 26 bits (a longer one, here the
    // /28s between two /32s, is a 16-byte node: its length does not fit below its key), none for A's prefixes
    const short = bps.filter((p) => parse(p)[1] <= 26).length;
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
    // and in again: the existing 16-byte nodes hold them
    for (const x of worlds) for (const p of bps) x.B.addRouteToDest({ dest: p, neighbour: x.nb, nextHops: [x.nb], preference: 10, returnHandle: false });
    step('B again', 0);
    // A's prefixes gone, one half and then the rest: a removal makes no node (those left without a
    // destination and with two children are the 16-byte ones of B's prefixes, or A's)
    for (const x of worlds) for (let i = 0; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('half of A withdrawn', 0);
    for (const x of worlds) for (let i = 1; i < x.ra.length; i += 2) x.A.deleteRouteToDest(x.ra[i]);
    step('A withdrawn', 0);
    for (const x of worlds) x.rtm.close();
    expect(branches(wasm)).toBe(base);
  });

  for (const [order, register] of [['in prefix order (one pass)', false], ['in another order (trie pass)', true]] as const) {
    it(`addRoutesBatch ${order} onto a table whose branches its prefixes land on, /32s included, as the chunked path`, () => {
      const bps = branchPoints(A_PREFIXES);
      const make = () => {
        const rtm = Rtm.createSync({ build: 'debug', clock: new VirtualClock(), families: ['ipv4'] });
        const O = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
        const L = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 }) as Entity;
        const no = O.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
        const nl = L.addNextHop({ address: '192.0.2.2', interfaceIndex: 2 }).handle!;
        for (const p of A_PREFIXES) O.addRouteToDest({ dest: p, neighbour: no, nextHops: [no], preference: 20, returnHandle: false });
        // a registration keeps the batch off the one-pass build (the order of its changes is recorded)
        if (register) O.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
        return { rtm, O, L, nl };
      };
      const bulk = make(), chunked = make();
      const n = bulk.rtm.core.k.LOAD_MAX + 500;
      // the branch points, /32s under A's /24s and beside them, /24s of 11/8 to fill the batch
      const prefixes = [...bps];
      for (let x = 0; x < 16; x++) for (let h = 0; h < 8; h++) prefixes.push(`10.${x}.${h & 3}.${16 * h + 1}/32`, `10.${x}.0.${128 + h}/32`);
      for (let i = 0; prefixes.length < n; i++) prefixes.push(`11.${(i >>> 8) & 255}.${i & 255}.0/24`);
      const rnd = mulberry32(register ? 7 : 5);
      if (register) {
        for (let i = prefixes.length - 1; i > 0; i--) { const j = rnd() % (i + 1); [prefixes[i], prefixes[j]] = [prefixes[j], prefixes[i]]; }
        // and in front, sixteen pairs whose second lands on a branch the first one's path passed (the facade
        // sorts the trie pass's prefixes, so no insertion starts at such a branch: bulk.ts topIsBranchAt)
        for (let x = 0; x < 16; x++) {
          for (const p of [`10.${x}.0.128/32`, `10.${x}.0.0/23`]) prefixes.splice(prefixes.indexOf(p), 1);
          prefixes.unshift(`10.${x}.0.128/32`, `10.${x}.0.0/23`);
        }
      } else prefixes.sort((p, q) => { const [a, la] = parse(p), [b, lb] = parse(q); return a !== b ? a - b : la - lb; });
      const keys = new Uint32Array(4 * n), lens = new Uint8Array(n);
      for (let i = 0; i < n; i++) lens[i] = parsePrefixInto(prefixes[i], 4, keys, 4 * i);
      const batch = (nl: number): RouteLoadBatch => ({ count: n, keys, lens, nextHops: new Float64Array(n).fill(nl), preferences: new Uint32Array(n).fill(10) });
      const x = bulk.rtm.core.x as unknown as { bulkBuilds: WebAssembly.Global; bulkOnePass: WebAssembly.Global };
      const builds = x.bulkBuilds.value as number, onePass = x.bulkOnePass.value as number;
      // (the two instances share the debug core: branch records counted as each load's change)
      const b0 = branches(bulk.rtm);
      bulk.L.addRoutesBatch(batch(bulk.nl));
      const b1 = branches(bulk.rtm);
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
      expect(b1 - b0).toBe(branches(chunked.rtm) - b1);
      expect(b1 - b0).toBeLessThan(n);
      const probes = probesOf([...A_PREFIXES, ...bps, ...prefixes.slice(bps.length, bps.length + 200)]);
      expect(observe(bulk.O, probes)).toEqual(observe(chunked.O, probes));
      expect(bulk.rtm.ipv4.core.nodeCount).toBe(chunked.rtm.ipv4.core.nodeCount);
      bulk.rtm.close();
      chunked.rtm.close();
    });
  }
});
