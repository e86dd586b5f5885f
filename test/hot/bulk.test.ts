// The bulk build of addRoutesBatch (issue 13, assembly/bulk.ts): a batch larger than a chunk loaded by an
// entity without routes into a table no larger than the batch is sorted, built into the trie in prefix
// order and applied in its own order; it must give exactly the table that the chunked incremental path
// gives (the same records as consecutive one-chunk batches on a second instance): counts, destinations
// and their routes in enumeration order, best routes, lookups on random and in-prefix addresses, queued
// changes (in order) and callbacks, structural invariants (ids through their prefixes: both instances
// share one core). Random data with duplicates, nesting and host bits in both families, with another
// entity's routes (and a forwarding structure) already there; the real tables when ../shared/data has
// them; a batch with a bad record in its last chunk leaves the table as it was. Batches already in
// (masked key, length) order take the one-pass build (bulkSorted): the same comparisons on sorted random
// data (duplicates adjacent), a bad last record, and the real tables as they come.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { type Family, formatPrefix, parsePrefixInto } from '../../src/address.js';
import { PROTO_IP_BGP, PROTO_IP_OSPF, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';
import type { NextHopHandle, NotifyHandle, RouteLoadBatch } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { AddressStream } from '../../src/cli/workload.js';
import { mulberry32 } from '../helpers/random.js';
import { dataFile, missingData } from '../helpers/data.js';
import { readPrefixFile } from '../helpers/prefixfile.js';

const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';

/** Bulk builds the core of side s has completed (assembly/bulk.ts bulkBuilds). */
function bulkBuilds(s: Side, family: Family): number {
  return (s.rtm[fam(family)].core.core.x as unknown as { bulkBuilds: WebAssembly.Global }).bulkBuilds.value as number;
}
/** Bulk builds made in one pass (a batch in prefix order: assembly/bulk.ts bulkOnePass). */
function onePass(s: Side, family: Family): number {
  return (s.rtm[fam(family)].core.core.x as unknown as { bulkOnePass: WebAssembly.Global }).bulkOnePass.value as number;
}

interface Side {
  rtm: Rtm;
  loader: Entity;
  other: Entity;
  hops: NextHopHandle[];
  notifies: NotifyHandle[];
  events: string[];
}

/** An instance with a loading entity (three next hops), another entity with `seedRoutes` routes, two registrations. */
function makeSide(family: Family, build: 'debug' | 'release', seedRoutes: string[], register = true): Side {
  const events: string[] = [];
  const rtm = Rtm.createSync({ clock: new VirtualClock(), build, families: [fam(family)] });
  const loader = rtm.registerEntity({ addressFamily: fam(family), protocolId: PROTO_IP_BGP, instanceId: 1 }) as Entity;
  const other = rtm.registerEntity({ addressFamily: fam(family), protocolId: PROTO_IP_OSPF, instanceId: 1 }, {
    onEvent: (type) => { events.push(`other:${type}`); return 0; },
  }) as Entity;
  const hops = [1, 2, 3].map((k) => loader.addNextHop({
    address: family === 4 ? `192.0.2.${k}` : `2001:db8:ffff::${k}`, interfaceIndex: k,
  }).handle!);
  const oh = other.addNextHop({ address: family === 4 ? '198.51.100.1' : '2001:db8:eeee::1', interfaceIndex: 9 }).handle!;
  for (const p of seedRoutes) other.addRouteToDest({ dest: p, neighbour: oh, nextHops: [oh], preference: 15, returnHandle: false });
  const notifies = register ? [
    other.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_BEST }),
    other.registerForChangeNotification({ views: 0, notifyFlags: RTM_CHANGE_TYPE_ALL }),
  ] : [];
  rtm.runPending();
  events.length = 0;
  return { rtm, loader, other, hops, notifies, events };
}

/** The batch with next-hop indices (1-based, 0 = none) turned into side s's handles. */
function withHops(b: RouteLoadBatch & { nextHops: Float64Array }, s: Side): RouteLoadBatch {
  return { ...b, nextHops: b.nextHops.map((k) => (k === 0 ? 0 : s.hops[k - 1])) };
}

/** Records [i0, i0 + m) of a batch. */
function slice(b: RouteLoadBatch, i0: number, m: number): RouteLoadBatch {
  const cut = <T extends { subarray(a: number, b: number): T }>(a: T | undefined, per = 1) => a?.subarray(per * i0, per * (i0 + m));
  return {
    count: m, keys: cut(b.keys, 4)!, lens: cut(b.lens)!, nextHops: cut(b.nextHops), preferences: cut(b.preferences),
    metrics: cut(b.metrics), views: cut(b.views), flags: cut(b.flags),
  };
}

/** The incremental path: the batch as consecutive batches of at most one chunk each. */
function loadChunked(e: Entity, b: RouteLoadBatch, chunk: number): { routesCreated: number; destsCreated: number } {
  let routesCreated = 0, destsCreated = 0;
  for (let i0 = 0; i0 < b.count; i0 += chunk) {
    const r = e.addRoutesBatch(slice(b, i0, Math.min(chunk, b.count - i0)));
    routesCreated += r.routesCreated; destsCreated += r.destsCreated;
  }
  return { routesCreated, destsCreated };
}

/** Everything observable that the comparison covers, without handles (ids are slots: they must agree too). */
function observe(s: Side, family: Family, probes: { random: Uint32Array; inside: Uint32Array }, detail: boolean): unknown {
  const t = s.rtm[fam(family)];
  const words = family === 4 ? 1 : 4;
  const look = (keys: Uint32Array) => { const out = new Int32Array(keys.length / words); t.lookupBatch(keys, out, 0); return out; };
  // destination ids are slots of the one core the two instances share: compared through their prefixes
  const names = new Map<number, string>();
  const name = (id: number) => {
    if (id < 0) return '-';
    let p = names.get(id);
    if (p === undefined) names.set(id, p = t.destPrefix(id));
    return p;
  };
  const random = Array.from(look(probes.random), name), inside = Array.from(look(probes.inside), name);
  const ids = [...new Set(look(probes.inside))].filter((x) => x >= 0).sort((a, b) => (name(a) < name(b) ? -1 : 1));
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 2_000)) === 0);
  const summary = (id: number, v: number) => {
    const r = t.bestRouteSummary(id, v) as Record<string, unknown> | undefined;
    if (!r) return r;
    const { handle: _h, owner, ...rest } = r;
    return { ...rest, owner: owner === s.loader.handle ? 'L' : 'O' };
  };
  const best = sample.map((id) => [name(id), summary(id, 0), summary(id, 1)]);
  const queues = s.notifies.map((nh) => {
    const out: string[] = [], buf = new Int32Array(50_000);
    for (;;) {
      const k = s.other.getChangedDestIds({ notifyHandle: nh, out: buf });
      for (let j = 0; j < k; j++) out.push(t.destPrefix(buf[j]));
      if (k < buf.length) return out;
    }
  });
  s.rtm.runPending();
  const obs: Record<string, unknown> = {
    counts: [t.routeCount, t.destCount, t.core.destCount, t.core.nodeCount, t.core.populatedCount],
    random, inside, best, queues, events: s.events.slice(),
  };
  s.events.length = 0;
  if (detail) {
    // enumeration order, every destination's routes as the public API reports them
    const dests: unknown[] = [];
    for (const d of s.other.dests({ views: RTM_VIEW_MASK_ANY })) {
      const routes = [...s.other.routes({ dest: d.handle, views: 0 })].map((r) => {
        const i = s.other.getRouteInfo(r);
        s.other.releaseRouteInfo(i);
        const hop = (h: NextHopHandle | undefined) => (h === undefined ? -1 : s.hops.indexOf(h));
        return [i.owner === s.loader.handle ? 'L' : 'O', hop(i.neighbour), i.preference, i.metric, i.views, i.flags, i.nextHops.map(hop)];
      });
      dests.push([d.prefix, d.views, routes]);
    }
    obs.dests = dests;
  }
  expect(t.core.checkInvariants()).toBe(0);
  return obs;
}

/** A random batch over a pool of nested prefixes, with repeats (same and other next hop). */
function randomBatch(rnd: () => number, family: Family, n: number) {
  const pool: string[] = [];
  for (let i = 0; i < n / 2; i++) {
    const a = rnd() % 40, b = rnd() % 256, c = rnd() % 256;
    const r = rnd() % 10;
    if (family === 4) pool.push(r === 0 ? `${10 + a}.0.0.0/8` : r < 3 ? `${10 + a}.${b}.0.0/16` : r < 9 ? `${10 + a}.${b}.${c}.0/24` : `${10 + a}.${b}.${c}.${rnd() % 256}/32`);
    else pool.push(r === 0 ? `2001:${a}::/32` : r < 3 ? `2001:${a}:${b}::/48` : r < 9 ? `2001:${a}:${b}:${c}::/64` : `2001:${a}:${b}:${c}::${rnd() % 9999}/128`);
  }
  pool.push(family === 4 ? '0.0.0.0/0' : '::/0');
  const b = {
    count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), nextHops: new Float64Array(n),
    preferences: new Uint32Array(n), metrics: new Uint32Array(n), views: new Uint8Array(n), flags: new Uint16Array(n),
  };
  for (let i = 0; i < n; i++) {
    const p = pool[rnd() % pool.length];
    b.lens[i] = parsePrefixInto(p, family, b.keys, 4 * i);
    if (rnd() % 7 === 0 && b.lens[i] < (family === 4 ? 32 : 128)) b.keys[4 * i + (family === 4 ? 0 : 3)] |= 1;   // host bits
    b.nextHops[i] = rnd() % 8 === 0 ? 0 : 1 + (rnd() % 3);
    b.preferences[i] = 10 * (rnd() % 3);
    b.metrics[i] = rnd() % 4;
    b.views[i] = [1, 1, 1, 2, 3, 0][rnd() % 6];
    b.flags[i] = rnd() % 3;
  }
  return { b, pool };
}

/** Batch b reordered (stably) by (key with host bits cleared, length): what the one-pass build takes. */
function sortedBatch<T extends RouteLoadBatch & { nextHops: Float64Array }>(b: T, family: Family): T {
  const n = b.count, len = (i: number) => b.lens[i];
  const masked = (i: number, w: number) => {
    const rest = len(i) - 32 * w;
    return rest >= 32 ? b.keys[4 * i + w] >>> 0 : rest <= 0 ? 0 : (b.keys[4 * i + w] & ~(0xffffffff >>> rest)) >>> 0;
  };
  const words = family === 4 ? 1 : 4;
  const ord = Array.from({ length: n }, (_, i) => i).sort((x, y) => {
    for (let w = 0; w < words; w++) { const a = masked(x, w), c = masked(y, w); if (a !== c) return a - c; }
    return len(x) - len(y) || x - y;
  });
  const pick = <A extends { length: number; constructor: unknown }>(a: A | undefined, per = 1): A | undefined => {
    if (!a) return a;
    const src = a as unknown as ArrayLike<number>, out = new (a.constructor as new (k: number) => A)(a.length);
    const o = out as unknown as number[];
    ord.forEach((i, j) => { for (let k = 0; k < per; k++) o[per * j + k] = src[per * i + k]; });
    return out;
  };
  return { ...b, keys: pick(b.keys, 4)!, lens: pick(b.lens)!, nextHops: pick(b.nextHops)!, preferences: pick(b.preferences),
    metrics: pick(b.metrics), views: pick(b.views), flags: pick(b.flags) };
}

function probesFor(family: Family, keys: Uint32Array, lens: Uint8Array, count: number, n: number) {
  return { random: new AddressStream(family).take(n), inside: new AddressStream(family, { family, keys, lens, count }).take(n) };
}

describe.each([4, 6] as Family[])('addRoutesBatch bulk build (IPv%i)', (family) => {
  it.each([1, 2, 3])('gives the table the chunked path gives, on random data with duplicates (seed %i)', (seed) => {
    const rnd = mulberry32(4_001 * seed + family);
    const n = 3 * 1_638 + (rnd() % 4_000);
    const { b, pool } = randomBatch(rnd, family, n);
    const seedRoutes = seed === 1 ? [] : pool.slice(0, 50);   // seeds 2, 3: a small table already there
    // seed 3: forwarding structures from 40 destinations (test hooks, the whole core): the table has one
    // before the load (kept in step by it), the chunked side builds its own at the threshold
    const probe = Rtm.createSync({ build: 'debug' });
    const x = probe.ipv4.core.core.x as unknown as { fibThreshold(n: number): void; fib6Threshold(n: number): void };
    if (seed === 3) { x.fibThreshold(40); x.fib6Threshold(40); }
    let sides: Side[];
    try { sides = [makeSide(family, 'debug', seedRoutes), makeSide(family, 'debug', seedRoutes)]; } finally {
      x.fibThreshold(0); x.fib6Threshold(0); probe.close();
    }
    const [bulk, inc] = sides;
    if (seed === 3) {
      const t = bulk.rtm[fam(family)].core;
      expect(family === 4 ? t.core.x.tableHasFib(t.t) : t.core.x.tableHasFib6(t.t, 0), 'a structure before the load').toBe(1);
    }
    const probes = probesFor(family, b.keys, b.lens, n, 5_000);
    const k0 = bulkBuilds(bulk, family), p0 = onePass(bulk, family);
    const rb = bulk.loader.addRoutesBatch(withHops(b, bulk));
    expect(bulkBuilds(bulk, family), 'the bulk path was taken').toBe(k0 + 1);
    expect(onePass(bulk, family), 'out of order: sorted, two passes').toBe(p0);
    const ri = loadChunked(inc.loader, withHops(b, inc), 1_638);
    expect(bulkBuilds(bulk, family), 'one-chunk batches take the chunked path').toBe(k0 + 1);
    expect(rb).toEqual(ri);
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    // a second batch over the loaded table (the entity has routes now: the chunked path on both sides)
    const { b: b2 } = randomBatch(rnd, family, 2_500);
    expect(bulk.loader.addRoutesBatch(withHops(b2, bulk))).toEqual(loadChunked(inc.loader, withHops(b2, inc), 1_638));
    expect(bulkBuilds(bulk, family), 'an entity with routes takes the chunked path').toBe(k0 + 1);
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    bulk.rtm.close(); inc.rtm.close();
  }, 120_000);

  it('a bad record in the last chunk leaves the table as it was; repaired, the batch loads as the chunked path does', () => {
    const rnd = mulberry32(77 + family);
    const { b, pool } = randomBatch(rnd, family, 5_000);
    const [bulk, inc] = [makeSide(family, 'debug', pool.slice(0, 20)), makeSide(family, 'debug', pool.slice(0, 20))];
    const probes = probesFor(family, b.keys, b.lens, b.count, 5_000);
    const before = observe(bulk, family, probes, true);
    const good = b.lens[4_990];
    b.lens[4_990] = family === 4 ? 33 : 129;
    let err: unknown;
    try { bulk.loader.addRoutesBatch(withHops(b, bulk)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RtmError);
    expect((err as RtmError).code).toBe('ERROR_INVALID_PARAMETER');
    expect((err as Error).message).toContain('record 4990');
    expect(observe(bulk, family, probes, true)).toEqual(before);
    b.lens[4_990] = good;
    const k0 = bulkBuilds(bulk, family);
    expect(bulk.loader.addRoutesBatch(withHops(b, bulk))).toEqual(loadChunked(inc.loader, withHops(b, inc), 1_000));
    expect(bulkBuilds(bulk, family)).toBe(k0 + 1);
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    bulk.rtm.close(); inc.rtm.close();
  }, 60_000);

  it.each([1, 2, 3])('a batch in prefix order (one pass) gives the table the chunked path gives (seed %i)', (seed) => {
    const rnd = mulberry32(9_001 * seed + family);
    const n = 2 * 1_638 + (rnd() % 3_000);
    const { b: raw, pool } = randomBatch(rnd, family, n);
    const b = sortedBatch(raw, family);
    const seedRoutes = seed === 1 ? [] : pool.slice(0, 40);
    const probe = Rtm.createSync({ build: 'debug' });
    const x = probe.ipv4.core.core.x as unknown as { fibThreshold(n: number): void; fib6Threshold(n: number): void };
    if (seed === 3) { x.fibThreshold(30); x.fib6Threshold(30); }
    let sides: Side[];
    try { sides = [makeSide(family, 'debug', seedRoutes), makeSide(family, 'debug', seedRoutes)]; } finally {
      x.fibThreshold(0); x.fib6Threshold(0); probe.close();
    }
    const [bulk, inc] = sides;
    const probes = probesFor(family, b.keys, b.lens, n, 5_000);
    const k0 = bulkBuilds(bulk, family), p0 = onePass(bulk, family);
    const rb = bulk.loader.addRoutesBatch(withHops(b, bulk));
    expect(bulkBuilds(bulk, family), 'the bulk path was taken').toBe(k0 + 1);
    expect(onePass(bulk, family), 'in one pass').toBe(p0 + 1);
    expect(rb).toEqual(loadChunked(inc.loader, withHops(b, inc), 1_638));
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    // the loaded routes go on as any others: every third record's prefix withdrawn (the loader's first route there)
    const k = Math.ceil(n / 3), del = { count: k, keys: new Uint32Array(4 * k), lens: new Uint8Array(k), kinds: new Uint8Array(k).fill(1) };
    for (let j = 0; j < k; j++) { del.keys.set(b.keys.subarray(12 * j, 12 * j + 4), 4 * j); del.lens[j] = b.lens[3 * j]; }
    expect(bulk.loader.applyUpdates(del)).toBe(inc.loader.applyUpdates(del));
    // queued withdrawn destinations leave the table as they are pulled (their ids no longer name a prefix): counted here
    const drained = (sd: Side) => sd.notifies.map((nh) => {
      let total = 0;
      for (const buf = new Int32Array(50_000); ;) { const got = sd.other.getChangedDestIds({ notifyHandle: nh, out: buf }); total += got; if (got < buf.length) return total; }
    });
    expect(drained(bulk)).toEqual(drained(inc));
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    // and the loader deregisters: its routes, next hops and their references go
    bulk.loader.deregister(); inc.loader.deregister();
    bulk.rtm.runPending(); inc.rtm.runPending();
    expect(drained(bulk)).toEqual(drained(inc));
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    bulk.rtm.close(); inc.rtm.close();
  }, 120_000);

  it.each([1, 2])('a batch out of order in a table nothing watches is sorted and built in one pass as the chunked path builds it (seed %i)', (seed) => {
    const rnd = mulberry32(6_007 * seed + family);
    const n = 2 * 1_638 + (rnd() % 3_000);
    const { b, pool } = randomBatch(rnd, family, n);
    const seedRoutes = seed === 1 ? [] : pool.slice(0, 40);
    const [bulk, inc] = [makeSide(family, 'debug', seedRoutes, false), makeSide(family, 'debug', seedRoutes, false)];
    const probes = probesFor(family, b.keys, b.lens, n, 5_000);
    const k0 = bulkBuilds(bulk, family), p0 = onePass(bulk, family);
    const rb = bulk.loader.addRoutesBatch(withHops(b, bulk));
    expect(bulkBuilds(bulk, family), 'the bulk path was taken').toBe(k0 + 1);
    expect(onePass(bulk, family), 'in one pass').toBe(p0 + 1);
    expect(rb).toEqual(loadChunked(inc.loader, withHops(b, inc), 1_638));
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    // the loaded routes go on as any others (a second batch: the entity has routes, the chunked path)
    const { b: b2 } = randomBatch(rnd, family, 2_000);
    expect(bulk.loader.addRoutesBatch(withHops(b2, bulk))).toEqual(loadChunked(inc.loader, withHops(b2, inc), 1_638));
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    bulk.rtm.close(); inc.rtm.close();
  }, 120_000);

  it.each(['length', 'next hop'])('a batch in prefix order with a bad last record (%s) leaves the table as it was', (what) => {
    const rnd = mulberry32(313 + family);
    const { b: raw, pool } = randomBatch(rnd, family, 4_000);
    const b = sortedBatch(raw, family);
    const [bulk, inc] = [makeSide(family, 'debug', pool.slice(0, 10)), makeSide(family, 'debug', pool.slice(0, 10))];
    const probes = probesFor(family, b.keys, b.lens, b.count, 3_000);
    const before = observe(bulk, family, probes, true);
    const last = b.count - 1, good = b.lens[last], goodHop = b.nextHops[last];
    const bad = withHops(b, bulk) as RouteLoadBatch & { nextHops: Float64Array };
    if (what === 'length') bad.lens[last] = family === 4 ? 33 : 129;
    else bad.nextHops[last] = inc.hops[0] + 12345;   // not a next hop of this instance
    let err: unknown;
    try { bulk.loader.addRoutesBatch(bad); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RtmError);
    expect((err as RtmError).code).toBe(what === 'length' ? 'ERROR_INVALID_PARAMETER' : 'ERROR_INVALID_HANDLE');
    expect((err as Error).message).toContain(`record ${last}`);
    expect(observe(bulk, family, probes, true)).toEqual(before);
    b.lens[last] = good; b.nextHops[last] = goodHop;
    const k0 = bulkBuilds(bulk, family), p0 = onePass(bulk, family);
    expect(bulk.loader.addRoutesBatch(withHops(b, bulk))).toEqual(loadChunked(inc.loader, withHops(b, inc), 1_638));
    expect(bulkBuilds(bulk, family)).toBe(k0 + 1);
    expect(onePass(bulk, family), 'in one pass').toBe(p0 + 1);
    expect(observe(bulk, family, probes, true)).toEqual(observe(inc, family, probes, true));
    bulk.rtm.close(); inc.rtm.close();
  }, 60_000);

  it('gives the table the chunked path gives on the real table', async (ctx) => {
    const name = family === 4 ? 'tier1-ipv4.txt.gz' : 'tier1-ipv6.txt.gz';
    const file = dataFile(name);
    if (!file) { console.warn(missingData(name)); ctx.skip(); return; }
    const set = await readPrefixFile(file, family);
    const n = set.count;
    // every fifth prefix again later with another next hop (a second route), every seventh again with the same (an update)
    const extra: number[] = [];
    for (let i = 0; i < n; i += 5) extra.push(i);
    for (let i = 3; i < n; i += 7) extra.push(-i - 1);
    const m = n + extra.length;
    const b = {
      count: m, keys: new Uint32Array(4 * m), lens: new Uint8Array(m), nextHops: new Float64Array(m).fill(1),
      preferences: new Uint32Array(m).fill(20), metrics: new Uint32Array(m),
    };
    b.keys.set(set.keys.subarray(0, 4 * n)); b.lens.set(set.lens.subarray(0, n));
    extra.forEach((x, j) => {
      const i = x >= 0 ? x : -x - 1, k = n + j;
      b.keys.set(set.keys.subarray(4 * i, 4 * i + 4), 4 * k); b.lens[k] = set.lens[i];
      b.nextHops[k] = x >= 0 ? 2 : 1; b.metrics[k] = 1 + (j % 3);
    });
    const build = family === 4 ? 'release' : 'debug';   // the debug core checks as it goes; IPv4 in it takes minutes
    const [bulk, inc] = [makeSide(family, build, []), makeSide(family, build, [])];
    const probes = probesFor(family, set.keys, set.lens, n, 200_000);
    const k0 = bulkBuilds(bulk, family);
    const rb = bulk.loader.addRoutesBatch(withHops(b, bulk));
    expect(bulkBuilds(bulk, family)).toBe(k0 + 1);
    expect(rb.destsCreated).toBe(new Set(Array.from({ length: n }, (_, i) => formatPrefix(family, set.keys, 4 * i, set.lens[i]))).size);
    expect(loadChunked(inc.loader, withHops(b, inc), 1_638)).toEqual(rb);
    expect(observe(bulk, family, probes, false)).toEqual(observe(inc, family, probes, false));
    bulk.rtm.close(); inc.rtm.close();
  }, 600_000);

  it('a real table in file order (prefix order, repeats next to their first) is built in one pass as the chunked path builds it', async (ctx) => {
    const name = family === 4 ? 'tier1-ipv4.txt.gz' : 'tier1-ipv6.txt.gz';
    const file = dataFile(name);
    if (!file) { console.warn(missingData(name)); ctx.skip(); return; }
    const set = await readPrefixFile(file, family);
    const n = set.count;
    // every fifth prefix twice more right after itself: another next hop (a second route), then the first again (an update)
    const m = n + 2 * Math.ceil(n / 5);
    const b = {
      count: m, keys: new Uint32Array(4 * m), lens: new Uint8Array(m), nextHops: new Float64Array(m),
      preferences: new Uint32Array(m).fill(20), metrics: new Uint32Array(m),
    };
    let k = 0;
    for (let i = 0; i < n; i++) {
      const reps = i % 5 === 0 ? 3 : 1;
      for (let r = 0; r < reps; r++, k++) {
        b.keys.set(set.keys.subarray(4 * i, 4 * i + 4), 4 * k); b.lens[k] = set.lens[i];
        b.nextHops[k] = r === 1 ? 2 : 1; b.metrics[k] = r;
      }
    }
    expect(k).toBe(m);
    const build = family === 4 ? 'release' : 'debug';
    const [bulk, inc] = [makeSide(family, build, []), makeSide(family, build, [])];
    const probes = probesFor(family, set.keys, set.lens, n, 200_000);
    const k0 = bulkBuilds(bulk, family), p0 = onePass(bulk, family);
    const rb = bulk.loader.addRoutesBatch(withHops(b, bulk));
    expect(bulkBuilds(bulk, family)).toBe(k0 + 1);
    expect(onePass(bulk, family), 'in one pass').toBe(p0 + 1);
    expect(loadChunked(inc.loader, withHops(b, inc), 1_638)).toEqual(rb);
    expect(observe(bulk, family, probes, false)).toEqual(observe(inc, family, probes, false));
    bulk.rtm.close(); inc.rtm.close();
  }, 600_000);
});
