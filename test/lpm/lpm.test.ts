// Issue 10 item 8, longest-prefix-match helpers for plain LPM users: Table.supernets / Table.subnets and
// Rtm.lookup / supernets / subnets (family picked from the text; IPv4-mapped IPv6 looked up in the IPv4
// table by Rtm, kept IPv6 by Table), and the best route's EntitySpecificInfo in lookup results. Checked
// against the RTMv2 reference model (test/reference/model.ts: getMostSpecific/LessSpecificDestination
// chains, RTM_ENUM_RANGE destination enumerations, getRouteInfo) on seeded random tables with several
// entities, views, deletions and EntitySpecificInfo values, and against the naive trie reference on the
// real tier-1 tables (../shared/data; skipped with a message when absent). Bad input is RtmError.
import { describe, expect, it } from 'vitest';
import { Rtm, type PrefixMatch } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { type Family, formatIPv4, formatPrefix } from '../../src/address.js';
import { RTM_ENUM_RANGE } from '../../src/constants.js';
import { createModel } from '../reference/model.js';
import { RefTrie, compareCanonical, covers } from '../reference/trie-model.js';
import { expectCode } from '../reference/fixture.js';
import { mulberry32, probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData } from '../helpers/data.js';
import type { EntityHandle, EntityLike, RouteHandle } from '../../src/types.js';

const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';
const maxLen = (f: Family) => (f === 4 ? 32 : 128);

/** What both sides report of a match: prefix, and of the best route its owner (by index), preference, metric, ESI. */
interface Row { prefix: string; owner: number; preference: number; metric: number; esi: unknown }

/** The same seeded routes in the model and in an Rtm: 3 entities, random views, preferences, metrics, ESI; ~15% deleted. */
function twins(family: Family, seed: number, n: number) {
  const model = createModel({ clock: new VirtualClock() });
  const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
  const set = randomPrefixes(seed, family, n);
  const sides = [model, rtm].map((r) => {
    const ents = [8, 13, 14].map((protocolId, k) => {
      const e = r.registerEntity({ addressFamily: fam(family), protocolId, instanceId: k + 1 }) as EntityLike;
      const nh = e.addNextHop({ address: family === 4 ? `192.0.2.${k + 1}` : `2001:db8::${k + 1}`, interfaceIndex: k + 1 }).handle!;
      return { e, nh };
    });
    return { ents, owners: new Map<EntityHandle, number>(ents.map((x, k) => [x.e.handle, k])), routes: [] as { k: number; h: RouteHandle }[] };
  });
  const rnd = mulberry32(seed * 31 + 7);
  const esiOf = (i: number): unknown => [null, `esi-${i}`, { i }, i][i % 4];
  for (let i = 0; i < set.count; i++) {
    const dest = formatPrefix(family, set.keys, 4 * i, set.lens[i]);
    const k = rnd() % 3, views = [1, 1, 2, 3][rnd() % 4], preference = rnd() % 4, metric = rnd() % 5, entitySpecificInfo = esiOf(i);
    for (const s of sides) {
      const { e, nh } = s.ents[k];
      const r = e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], views, preference, metric, entitySpecificInfo, returnHandle: true });
      s.routes.push({ k, h: r.handle! });
    }
  }
  for (let i = 0; i < set.count; i++) {
    if (rnd() % 7 !== 0) continue;
    for (const s of sides) s.ents[s.routes[i].k].e.deleteRouteToDest(s.routes[i].h);
  }
  return { model, rtm, set, sides };
}

describe.each([4, 6] as Family[])('supernets / subnets / lookup agree with the RTMv2 reference model (IPv%i)', (family) => {
  it.each([1, 2])('on a seeded random table (seed %i)', (seed) => {
    const { model, rtm, set, sides } = twins(family, seed, family === 4 ? 300 : 200);
    const me = sides[0].ents[0].e, owners = sides[0].owners, rOwners = sides[1].owners;
    const table = family === 4 ? rtm.ipv4 : rtm.ipv6;

    const modelRow = (prefix: string, view: number): Row => {
      const info = me.getExactMatchDestination({ dest: prefix, views: 1 << view })!;
      const route = info.viewInfo[0].route!;
      const ri = me.getRouteInfo(route);
      const row = { prefix, owner: owners.get(ri.owner)!, preference: ri.preference, metric: ri.metric, esi: ri.entitySpecificInfo };
      me.releaseRouteInfo(ri);
      me.releaseDestInfo(info);
      return row;
    };
    const rtmRow = (m: PrefixMatch): Row => ({ prefix: m.prefix, owner: rOwners.get(m.route.owner)!, preference: m.route.preference,
      metric: m.route.metric, esi: m.route.entitySpecificInfo });
    const modelSupernets = (q: string, view: number): Row[] => {
      const out: Row[] = [];
      let info = me.getMostSpecificDestination({ dest: q, views: 1 << view });
      while (info) {
        out.push(modelRow(info.prefix, view));
        const next = me.getLessSpecificDestination({ dest: info.handle, views: 1 << view });
        me.releaseDestInfo(info);
        info = next;
      }
      return out;
    };
    const modelSubnets = (q: string, view: number): Row[] => {
      const en = me.createDestEnum({ enumFlags: RTM_ENUM_RANGE, startDest: q, views: 1 << view });
      const prefixes: string[] = [];
      for (;;) {
        const { items, done } = me.getEnumDests({ enumHandle: en });
        prefixes.push(...items.map((d) => d.prefix));
        me.releaseDests(items);
        if (done) break;
      }
      me.deleteEnumHandle(en);
      return prefixes.map((p) => modelRow(p, view));
    };

    // queries: the table's prefixes, shorter and longer ones around them, probe addresses, the default
    const rnd = mulberry32(seed + 100);
    const queries = new Set<string>([family === 4 ? '0.0.0.0/0' : '::/0']);
    for (let i = 0; i < set.count; i += 4) {
      const len = set.lens[i];
      queries.add(formatPrefix(family, set.keys, 4 * i, len));
      queries.add(formatPrefix(family, set.keys, 4 * i, Math.max(0, len - 1 - (rnd() % 8))));
      queries.add(formatPrefix(family, set.keys, 4 * i, Math.min(maxLen(family), len + 1 + (rnd() % 8))));
    }
    const words = family === 4 ? 1 : 4, addrs = probes(seed, set, 80), k = new Uint32Array(4);
    for (let i = 0; i < 80; i++) {
      for (let w = 0; w < 4; w++) k[w] = w < words ? addrs[i * words + w] : 0;
      queries.add(formatPrefix(family, k, 0, maxLen(family)).replace(/\/\d+$/, ''));
    }
    let nonEmpty = 0;
    for (const q of queries) {
      for (const view of [0, 1]) {
        const sup = [...table.supernets(q, view)].map(rtmRow);
        expect(sup, `supernets(${q}, ${view})`).toEqual(modelSupernets(q, view));
        expect([...rtm.supernets(q, view)].map(rtmRow), `rtm.supernets(${q}, ${view})`).toEqual(sup);
        const sub = [...table.subnets(q, view)].map(rtmRow);
        expect(sub, `subnets(${q}, ${view})`).toEqual(modelSubnets(q, view));
        expect([...rtm.subnets(q, view)].map(rtmRow), `rtm.subnets(${q}, ${view})`).toEqual(sub);
        // lookup is the first supernet, with the same best route (and its EntitySpecificInfo)
        const hit = rtm.lookup(q, view);
        expect(hit === undefined ? undefined : rtmRow(hit), `lookup(${q}, ${view})`).toEqual(sup[0]);
        if (sup.length > 1 || sub.length > 1) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20); // the queries exercise nested prefixes
    rtm.close();
    model.close();
  });
});

describe('subnets is lazy and pages through the core walk', () => {
  it('more destinations than one page (IO_BATCH_MAX), in canonical order, resumed after changes', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const page = rtm.core.IO_BATCH_MAX, n = 2 * page + 17;
    const prefixes = Array.from({ length: n }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    for (const dest of prefixes) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh] });
    expect([...rtm.ipv4.subnets('10.0.0.0/8')].map((m) => m.prefix)).toEqual(prefixes);
    // delete the next destination while iterating and add one behind the position: neither is returned
    const it = rtm.ipv4.subnets('10.0.0.0/8');
    const seen: string[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      seen.push(r.value.prefix);
      if (seen.length === page + 5) {
        const nextPage = prefixes[2 * page + 3];
        const rt = e.getExactMatchDestination({ dest: nextPage })!;
        const route = rt.viewInfo[0].route!;
        e.releaseDestInfo(rt);
        e.deleteRouteToDest(route);
        e.addRouteToDest({ dest: '10.0.0.128/25', neighbour: nh, nextHops: [nh] });
      }
    }
    expect(seen).toEqual(prefixes.filter((_, i) => i !== 2 * page + 3));
    rtm.close();
  });
});

describe('Rtm.lookup picks the family; IPv4-mapped IPv6 goes to the IPv4 table', () => {
  function small() {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const e4 = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    const e6 = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 1 });
    const n4 = e4.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const n6 = e6.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
    for (const [dest, esi] of [['10.0.0.0/8', 'ten'], ['10.1.0.0/16', { sixteen: true }], ['10.1.2.0/24', null]] as const) {
      e4.addRouteToDest({ dest, neighbour: n4, nextHops: [n4], entitySpecificInfo: esi });
    }
    for (const dest of ['2001:db8::/32', '::ffff:0:0/96', '::/0']) e6.addRouteToDest({ dest, neighbour: n6, nextHops: [n6], entitySpecificInfo: dest });
    return rtm;
  }

  it('IPv4 text and numbers, IPv6 text, mapped addresses and prefixes', () => {
    const rtm = small();
    expect(rtm.lookup('10.1.2.3')?.prefix).toBe('10.1.2.0/24');
    expect(rtm.lookup(0x0a010909)).toMatchObject({ prefix: '10.1.0.0/16', route: { entitySpecificInfo: { sixteen: true } } });
    expect(rtm.lookup('10.9.9.9')?.route.entitySpecificInfo).toBe('ten');
    expect(rtm.lookup('10.1.2.3')?.route.entitySpecificInfo).toBeNull();
    expect(rtm.lookup('2001:db8::1')).toMatchObject({ prefix: '2001:db8::/32', route: { entitySpecificInfo: '2001:db8::/32' } });
    expect(rtm.lookup('2002::1')?.prefix).toBe('::/0');
    expect(rtm.lookup('11.0.0.1')).toBeUndefined();
    // IPv4-mapped: dotted and hex forms, addresses and prefixes of length 96 and more
    for (const [mapped, v4] of [['::ffff:10.1.2.3', '10.1.2.3'], ['::FFFF:10.1.2.3', '10.1.2.3'], ['::ffff:a01:203', '10.1.2.3'],
      ['::ffff:10.1.0.0/112', '10.1.0.0/16'], ['::ffff:10.0.0.0/104', '10.0.0.0/8'], ['::ffff:11.0.0.1', '11.0.0.1'], ['::ffff:0.0.0.0/96', '0.0.0.0/0']]) {
      expect(rtm.lookup(mapped), mapped).toEqual(rtm.ipv4.lookup(v4));
      expect([...rtm.supernets(mapped)], mapped).toEqual([...rtm.ipv4.supernets(v4)]);
      expect([...rtm.subnets(mapped)], mapped).toEqual([...rtm.ipv4.subnets(v4)]);
    }
    expect(rtm.lookup('::ffff:10.1.2.3', 1)).toBeUndefined();
    // on the IPv6 table a mapped address stays IPv6; shorter than /96 it is IPv6 for Rtm too
    expect(rtm.ipv6.lookup('::ffff:10.1.2.3')?.prefix).toBe('::ffff:0.0.0.0/96');
    expect(rtm.lookup('::ffff:0:0/95')?.prefix).toBe('::/0');
    expect([...rtm.ipv6.supernets('::ffff:10.1.2.3')].map((m) => m.prefix)).toEqual(['::ffff:0.0.0.0/96', '::/0']);
    expect([...rtm.subnets('::/0')].map((m) => m.prefix)).toEqual(['::/0', '::ffff:0.0.0.0/96', '2001:db8::/32']);
    expect([...rtm.supernets('10.1.2.0/24')].map((m) => m.prefix)).toEqual(['10.1.2.0/24', '10.1.0.0/16', '10.0.0.0/8']);
    expect([...rtm.supernets('10.1.2.0/23')].map((m) => m.prefix)).toEqual(['10.1.0.0/16', '10.0.0.0/8']);
    expect([...rtm.subnets('10.1.0.0/15')].map((m) => m.prefix)).toEqual(['10.1.0.0/16', '10.1.2.0/24']);
    expect([...rtm.subnets('10.1.2.3')]).toEqual([]);
    expect([...rtm.ipv4.subnets('11.0.0.0/8')]).toEqual([]);
    rtm.close();
  });

  it('bad input is RtmError ERROR_INVALID_PARAMETER (never a TypeError), a closed instance ERROR_INVALID_HANDLE', () => {
    const rtm = small();
    for (const bad of ['', 'bogus', '10.0.0.0/33', '1.2.3', '2001:db8::/129', '10.0.0.0//8', ':::', null, undefined, {}, [], 1.5, -1, 2 ** 32, NaN]) {
      expectCode(() => rtm.lookup(bad as string), 'ERROR_INVALID_PARAMETER');
      expectCode(() => rtm.supernets(bad as string), 'ERROR_INVALID_PARAMETER');
      expectCode(() => rtm.subnets(bad as string), 'ERROR_INVALID_PARAMETER');
    }
    for (const t of [rtm.ipv4, rtm.ipv6]) {
      const other = t === rtm.ipv4 ? '2001:db8::/32' : '10.0.0.0/8';
      for (const bad of [other, 'x', 42, null]) {
        expectCode(() => t.supernets(bad as string), 'ERROR_INVALID_PARAMETER');
        expectCode(() => t.subnets(bad as string), 'ERROR_INVALID_PARAMETER');
      }
      for (const view of [2, -1, '0', null, 0.5]) {
        const p = t === rtm.ipv4 ? '10.0.0.0/8' : '::/0';
        expectCode(() => t.supernets(p, view as number), 'ERROR_INVALID_PARAMETER');
        expectCode(() => t.subnets(p, view as number), 'ERROR_INVALID_PARAMETER');
        expectCode(() => rtm.lookup(p, view as number), 'ERROR_INVALID_PARAMETER');
      }
    }
    expectCode(() => rtm.ipv4.lookup('::ffff:10.1.2.3'), 'ERROR_INVALID_PARAMETER'); // Table keeps to its family
    const before = rtm.ipv4.destCount;
    const lazy = rtm.ipv4.subnets('10.0.0.0/8');
    expect(rtm.ipv4.destCount).toBe(before);
    rtm.close();
    expectCode(() => rtm.lookup('10.0.0.1'), 'ERROR_INVALID_HANDLE');
    expectCode(() => rtm.ipv4.supernets('10.0.0.0/8'), 'ERROR_INVALID_HANDLE');
    expectCode(() => rtm.subnets('10.0.0.0/8'), 'ERROR_INVALID_HANDLE');
    expectCode(() => lazy.next(), 'ERROR_INVALID_HANDLE');
    expect(() => rtm.lookup('bogus')).toThrow(RtmError);
  });
});

describe.each([4, 6] as Family[])('on the real tier-1 table (IPv%i) against the naive trie reference', (family) => {
  it('supernets of probe addresses and prefixes, subnets of short prefixes and of the whole space', async (ctx) => {
    const name = family === 4 ? 'tier1-ipv4.txt.gz' : 'tier1-ipv6.txt.gz';
    const file = dataFile(name);
    if (!file) { console.warn(missingData(name)); ctx.skip(); return; }
    const set: PrefixSet = await readPrefixFile(file, family);
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: fam(family), protocolId: 8, instanceId: 1 });
    const nh = e.addNextHop({ address: family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle!;
    const rnd = mulberry32(17);
    const views = new Uint8Array(set.count);
    for (let i = 0; i < set.count; i++) views[i] = [1, 1, 1, 2, 3][rnd() % 5];
    e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh), views });
    const ref = new RefTrie(family);
    for (let i = 0; i < set.count; i++) ref.insert(set.keys, 4 * i, set.lens[i]).state = views[i];
    const t = family === 4 ? rtm.ipv4 : rtm.ipv6;
    const words = family === 4 ? 1 : 4, max = maxLen(family), k = new Uint32Array(4);

    // supernets: probe addresses (half inside announced prefixes) and announced prefixes
    const addrs = probes(23, set, 1500);
    const queries: { words: Uint32Array; len: number }[] = [];
    for (let i = 0; i < 1500; i++) {
      for (let w = 0; w < 4; w++) k[w] = w < words ? addrs[i * words + w] : 0;
      queries.push({ words: k.slice(), len: max });
    }
    for (let i = 0; i < 500; i++) {
      const p = rnd() % set.count;
      queries.push({ words: set.keys.slice(4 * p, 4 * p + 4), len: set.lens[p] });
    }
    for (const q of queries) {
      const text = family === 4 && q.len === 32 ? formatIPv4(q.words[0]) : formatPrefix(family, q.words, 0, q.len);
      for (const view of [0, 1]) {
        const want: string[] = [];
        for (let d = ref.lpm(q.words, 0, q.len, 1 << view); d; d = ref.lessSpecific(d, 1 << view)) want.push(d.prefix);
        const got = [...t.supernets(text, view)];
        if (got.length !== want.length || got.some((m, j) => m.prefix !== want[j])) {
          expect(got.map((m) => m.prefix), `supernets(${text}, ${view})`).toEqual(want);
        }
        for (const m of got) if (m.route.protocolId !== 8 || m.route.nextHops.length !== 1) expect(m.route, m.prefix).toMatchObject({ protocolId: 8 });
      }
    }

    // subnets: short announced prefixes, a few covering ranges, and the whole space (view 0)
    const ranges: { words: ArrayLike<number>; len: number }[] = [];
    for (let i = 0; ranges.length < 20 && i < 200_000; i++) {
      const p = rnd() % set.count;
      if (set.lens[p] <= (family === 4 ? 16 : 32)) ranges.push({ words: set.keys.slice(4 * p, 4 * p + 4), len: set.lens[p] });
    }
    for (const len of family === 4 ? [4, 8, 12] : [12, 16, 20]) {
      const p = rnd() % set.count;
      ranges.push({ words: set.keys.slice(4 * p, 4 * p + 4), len });
    }
    // the reference's destinations of each view in canonical order; a range's are the run that starts at
    // the first one not before it (binary search) and continues while the range covers them
    const byView = [ref.ordered(1), ref.ordered(2)];
    const covered = (view: number, r: { words: ArrayLike<number>; len: number }): string[] => {
      const list = byView[view], probe = { prefix: '', len: r.len, words: Array.from(r.words), state: 0 };
      let lo = 0, hi = list.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (compareCanonical(list[mid], probe) < 0) lo = mid + 1; else hi = mid; }
      const out: string[] = [];
      for (let i = lo; i < list.length && covers(r, list[i].words, list[i].len); i++) out.push(list[i].prefix);
      return out;
    };
    for (const r of ranges) {
      const text = formatPrefix(family, r.words, 0, r.len);
      for (const view of [0, 1]) {
        const want = covered(view, r);
        expect([...t.subnets(text, view)].map((m) => m.prefix), `subnets(${text}, ${view})`).toEqual(want);
      }
    }
    const all: string[] = [];
    for (const m of t.subnets(family === 4 ? '0.0.0.0/0' : '::/0', 0)) all.push(m.prefix);
    const want = byView[0].map((d) => d.prefix);
    expect(all.length).toBe(want.length);
    expect(all).toEqual(want);
    rtm.close();
  });
});
