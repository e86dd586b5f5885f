// Table teardown (assembly/teardown.ts: Rtm.close frees each table's records once, without deleting
// routes one by one) and the bulk build it pairs with (addRoutesBatch into an empty table). A table torn
// down after a mix of operations — bulk and single routes with several next hops, duplicates and nested
// prefixes, held routes, routes and destinations kept only by client references, route lists, opaque
// slots, locks, timers, registrations with pending changes and marks, open enumerations — gives back
// exactly what it held (memoryInUseBytes, the core's own accounting, back to its value before the
// instance), while another instance on the same core, driven in step with the reference model before and
// after (reusing the freed slots), still equals the model. And a bulk build equals the same records added
// one by one (RtmAddRouteToDest semantics) to the model, on random data with duplicates and nesting.
import { describe, expect, it } from 'vitest';
import { createCoreSync, type Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { type Family, parsePrefixInto, formatPrefix } from '../../src/address.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_ANY, RTM_VIEW_MASK_UCAST,
} from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, RtmLike, RtmOptions } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { make, privateCore } from '../helpers/privatecore.js';
import { mulberry32 } from '../helpers/random.js';
import { prefixOrder } from '../../src/rtmv2/bulksort.js';

const fam = (f: Family) => (f === 4 ? 'ipv4' : 'ipv6') as 'ipv4' | 'ipv6';
const inUse = (core: Core) => core.x.memoryInUseBytes();

/** Random nested prefixes (a default route, /8../32 or /16../128 under a few aggregates). */
function prefixes(rnd: () => number, family: Family, n: number): string[] {
  const out: string[] = [family === 4 ? '0.0.0.0/0' : '::/0'];
  for (let i = 1; i < n; i++) {
    const a = rnd() % 12, b = rnd() % 256, c = rnd() % 256, r = rnd() % 10;
    if (family === 4) out.push(r === 0 ? `${10 + a}.0.0.0/8` : r < 3 ? `${10 + a}.${b}.0.0/16` : r < 9 ? `${10 + a}.${b}.${c}.0/24` : `${10 + a}.${b}.${c}.${rnd() % 256}/32`);
    else out.push(r === 0 ? `2001:${a}::/32` : r < 3 ? `2001:${a}:${b}::/48` : r < 9 ? `2001:${a}:${b}:${c}::/64` : `2001:${a}:${b}:${c}::${rnd() % 9999}/128`);
  }
  return out;
}

/** Every destination (enumeration order) with its routes as the public API reports them, without handles. */
function tableView(e: EntityLike, hopName: (h: NextHopHandle | undefined) => string): unknown[] {
  const out: unknown[] = [];
  for (const d of e.dests({ views: RTM_VIEW_MASK_ANY })) {
    const routes = [...e.routes({ dest: d.handle, views: 0 })].map((r) => {
      const i = e.getRouteInfo(r);
      e.releaseRouteInfo(i);
      return [hopName(i.neighbour), i.state, i.preference, i.metric, i.views, i.flags, i.nextHops.map(hopName)];
    });
    out.push([d.prefix, d.views, routes]);
  }
  return out;
}

/** An instance (the facade on `core`, or the model) with an entity per family and two next hops each. */
function kept(rtm: RtmLike) {
  const ents = (['ipv4', 'ipv6'] as const).map((f) => rtm.registerEntity({ addressFamily: f, protocolId: PROTO_IP_OSPF, instanceId: 3 }));
  const hops = ents.map((e, k) => [1, 2].map((j) => e.addNextHop({ address: k === 0 ? `192.0.2.${j}` : `2001:db8:ffff::${j}`, interfaceIndex: j }).handle!));
  const name = (k: number) => (h: NextHopHandle | undefined) => (h === undefined ? '-' : `n${hops[k].indexOf(h)}`);
  return { rtm, ents, hops, view: () => ents.map((e, k) => tableView(e, name(k))) };
}

/** The same operations on a kept instance: adds over a prefix pool, then deletes of every third one. */
function churn(k: ReturnType<typeof kept>, seed: number): void {
  const rnd = mulberry32(seed);
  k.ents.forEach((e, f) => {
    const pool = prefixes(rnd, f === 0 ? 4 : 6, 150);
    const handles = pool.map((p, i) => e.addRouteToDest({
      dest: p, neighbour: k.hops[f][i & 1], nextHops: i % 5 === 0 ? k.hops[f] : [k.hops[f][i & 1]], metric: i % 7, preference: 10 + (i % 3),
    }).handle!);
    handles.forEach((h, i) => { if (i % 3 === 0) { try { e.deleteRouteToDest(h); } catch { /* a later duplicate replaced it */ } } });
  });
}

/** The torn-down instance: every kind of record a table can hold, in both families. */
function populate(rtm: Rtm, seed: number): void {
  const rnd = mulberry32(seed);
  for (const f of [4, 6] as Family[]) {
    const A = rtm.registerEntity({ addressFamily: fam(f), protocolId: PROTO_IP_BGP, instanceId: 1 }, { reserveOpaquePointer: true });
    const B = rtm.registerEntity({ addressFamily: fam(f), protocolId: PROTO_IP_RIP, instanceId: 1 }, { onEvent: () => 0 });
    const hA = [1, 2, 3].map((j) => A.addNextHop({ address: f === 4 ? `198.51.100.${j}` : `2001:db8:eeee::${j}`, interfaceIndex: j }).handle!);
    const hB = B.addNextHop({ address: f === 4 ? '203.0.113.1' : '2001:db8:dddd::1', interfaceIndex: 7 }).handle!;
    const nf = B.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL, views: RTM_VIEW_MASK_UCAST });
    // a bulk build (more than a chunk, duplicates and nesting, several next hops and none)
    const pool = prefixes(rnd, f, 1_500);
    const n = 2 * 1_638 + 77;
    const b = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), nextHops: new Float64Array(n), preferences: new Uint32Array(n), views: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      b.lens[i] = parsePrefixInto(pool[rnd() % pool.length], f, b.keys, 4 * i);
      b.nextHops[i] = rnd() % 9 === 0 ? 0 : hA[rnd() % 3];
      b.preferences[i] = 5 + (rnd() % 3);
      b.views[i] = 1 + (rnd() % 3);
    }
    A.addRoutesBatch(b);
    // single routes: several next hops (a hop array), a timer, B's routes on A's destinations
    const sing = pool.slice(0, 60).map((p, i) => B.addRouteToDest({
      dest: p, neighbour: hB, nextHops: i % 2 ? [hB] : [hB, hB], preference: 3, timeToLive: i % 4 === 0 ? 60_000 : undefined,
    }).handle!);
    // hold-down: B's route deleted on a held destination (a held route), more pending changes
    const held = B.getExactMatchDestination({ dest: pool[1] })!;
    B.holdDestination({ dest: held.handle, views: RTM_VIEW_MASK_UCAST, holdTime: 30_000 });
    B.deleteRouteToDest(sing[1]);
    // routes kept only by B's references: one on a destination only it keeps (detached), one on a shared one
    const lone = B.addRouteToDest({ dest: f === 4 ? '172.16.9.0/24' : '2001:db8:9999::/48', nextHops: [hB, hB] }).handle!;
    B.referenceHandles([lone, sing[2]]);
    B.deleteRouteToDest(lone);
    B.deleteRouteToDest(sing[2]);
    // references: destination infos and route infos left unreleased, handles referenced
    B.getExactMatchDestination({ dest: pool[3] });
    B.getRouteInfo(sing[4]);
    B.referenceHandles([hA[0], A.handle, held.handle]);
    // a route list, an opaque slot, marks, a lock, open enumerations (one half read)
    const l = B.createRouteList();
    B.insertInRouteList({ routeList: l, routes: sing.slice(5, 15) });
    A.getOpaqueInformationPointer(held.handle)!.value = { x: 1 };
    const marked = B.getExactMatchDestination({ dest: pool[6] })!;
    B.markDestForChangeNotification({ notifyHandle: nf, dest: marked.handle });
    B.lockDestination({ dest: marked.handle, exclusive: true });
    const en = B.createDestEnum({ views: RTM_VIEW_MASK_ANY });
    B.getEnumDests({ enumHandle: en, count: 5 });
    B.createRouteEnum({ views: RTM_VIEW_MASK_ANY });
    B.createNextHopEnum();
    B.createRouteListEnum(l);
    // one registration left with pending changes
    A.addRouteToDest({ dest: pool[7], neighbour: hA[1], nextHops: [hA[1]], preference: 1 });
  }
}

describe('table teardown (Rtm.close)', () => {
  it.each([1, 2])('frees exactly what the tables held; another instance on the core still equals the model (seed %i)', (seed) => {
    const core = privateCore();
    const K = kept(make(core)), M = kept(createModel({ clock: new VirtualClock() } as RtmOptions));
    churn(K, seed); churn(M, seed);
    expect(K.view()).toEqual(M.view());
    const base = inUse(core);
    const X = make(core, { opaqueSlots: 1 });
    populate(X, 7 * seed);
    for (const t of X.coreTables) expect(t.checkInvariants()).toBe(0);
    expect(inUse(core)).toBeGreaterThan(base + 100_000);
    X.close();
    expect(inUse(core), 'every record of the closed instance given back').toBe(base);
    // the kept instance is untouched, and keeps working on the freed slots
    for (const t of (K.rtm as Rtm).coreTables) expect(t.checkInvariants()).toBe(0);
    expect(K.view()).toEqual(M.view());
    churn(K, seed + 100); churn(M, seed + 100);
    expect(K.view()).toEqual(M.view());
    for (const t of (K.rtm as Rtm).coreTables) expect(t.checkInvariants()).toBe(0);
    // a second torn-down instance on the reused slots gives back just as much
    const before = inUse(core);
    const Y = make(core, { opaqueSlots: 1 });
    populate(Y, 7 * seed + 1);
    Y.close();
    expect(inUse(core)).toBe(before);
    (K.rtm as Rtm).close();
  });

  it('closing a bulk-built table gives back every byte (both families, forwarding structures included)', () => {
    const core = privateCore();
    const base = inUse(core);
    const rtm = make(core);
    const rnd = mulberry32(99);
    for (const f of [4, 6] as Family[]) {
      const e = rtm.registerEntity({ addressFamily: fam(f), protocolId: PROTO_IP_BGP, instanceId: 0 });
      const nh = e.addNextHop({ address: f === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle!;
      const n = 40_000;
      const b = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), nextHops: new Float64Array(n).fill(nh) };
      for (let i = 0; i < n; i++) {
        b.keys[4 * i] = (f === 4 ? 0x0a000000 : 0x20010000) | (rnd() & 0xffffff);
        if (f === 6) b.keys[4 * i + 1] = rnd();
        b.lens[i] = f === 4 ? 8 + (rnd() % 25) : 16 + (rnd() % 49);
      }
      e.addRoutesBatch(b);
    }
    expect((rtm.ipv4.core.core.x as unknown as { tableHasFib(t: number): number }).tableHasFib(rtm.ipv4.core.t)).toBe(1);
    rtm.close();
    expect(inUse(core)).toBe(base);
  });
});

describe('addRoutesBatch bulk build against the model', () => {
  it.each([[4, 1], [4, 2], [4, 3], [6, 1], [6, 2], [6, 3]] as [Family, number][])('IPv%i: equals the records added one by one (seed %i; 3: a batch in trie order)', (f, seed) => {
    const rnd = mulberry32(31 * seed + f);
    const rtm = make(createCoreSync('debug'), { families: [fam(f)] });
    const model = createModel({ clock: new VirtualClock() } as RtmOptions);
    const sides = [rtm as RtmLike, model as unknown as RtmLike].map((r) => {
      const e = r.registerEntity({ addressFamily: fam(f), protocolId: PROTO_IP_BGP, instanceId: 0 });
      const hops = [1, 2, 3].map((j) => e.addNextHop({ address: f === 4 ? `192.0.2.${j}` : `2001:db8:ffff::${j}`, interfaceIndex: j }).handle!);
      return { e, hops };
    });
    const pool = prefixes(rnd, f, 500);
    const n = 1_638 + 100 + (rnd() % 400);   // two chunks: the bulk path
    const b = {
      count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), nextHops: new Float64Array(n),
      preferences: new Uint32Array(n), metrics: new Uint32Array(n), views: new Uint8Array(n), flags: new Uint16Array(n),
    };
    const hopIx = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      b.lens[i] = parsePrefixInto(pool[rnd() % pool.length], f, b.keys, 4 * i);   // duplicates: ~4 records a prefix
      hopIx[i] = rnd() % 8 === 0 ? 0 : 1 + (rnd() % 3);
      b.preferences[i] = 1 + 10 * (rnd() % 3);
      b.metrics[i] = rnd() % 4;
      b.views[i] = 1 + (rnd() % 3);
      b.flags[i] = rnd() % 3;
    }
    if (seed === 3) {
      // the batch in (masked key, length) order: the apply pass makes the nodes (no trie pass)
      const ord = prefixOrder(b.keys, b.lens, n, f === 4 ? 1 : 4);
      const perm = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T, per = 1): T => {
        const o = a.slice() as T;
        for (let j = 0; j < n; j++) for (let w = 0; w < per; w++) o[per * j + w] = a[per * ord[j] + w];
        return o;
      };
      const hk = perm(hopIx);
      Object.assign(b, { keys: perm(b.keys, 4), lens: perm(b.lens), preferences: perm(b.preferences), metrics: perm(b.metrics), views: perm(b.views), flags: perm(b.flags) });
      hopIx.set(hk);
    }
    const [W, Mo] = sides;
    const k0 = (rtm[fam(f)].core.core.x as unknown as { bulkBuilds: WebAssembly.Global }).bulkBuilds.value as number;
    const r = W.e.addRoutesBatch({ ...b, nextHops: b.nextHops.map((_, i) => (hopIx[i] === 0 ? 0 : W.hops[hopIx[i] - 1])) });
    expect((rtm[fam(f)].core.core.x as unknown as { bulkBuilds: WebAssembly.Global }).bulkBuilds.value, 'the bulk path was taken').toBe(k0 + 1);
    // the model: RtmAddRouteToDest per record (identity destination + owner + neighbour; the next hop is the
    // neighbour and the only next hop)
    const dests = new Set<string>();
    let routes = 0;
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const p = formatPrefix(f, b.keys, 4 * i, b.lens[i]);
      const h = hopIx[i] === 0 ? undefined : Mo.hops[hopIx[i] - 1];
      dests.add(p);
      if (!seen.has(`${p} ${hopIx[i]}`)) { seen.add(`${p} ${hopIx[i]}`); routes++; }
      Mo.e.addRouteToDest({
        dest: p, neighbour: h, nextHops: h === undefined ? [] : [h], preference: b.preferences[i], metric: b.metrics[i],
        views: b.views[i], flags: b.flags[i], returnHandle: false,
      });
    }
    expect(r).toEqual({ routesCreated: routes, destsCreated: dests.size });
    const name = (hops: NextHopHandle[]) => (h: NextHopHandle | undefined) => (h === undefined ? '-' : `n${hops.indexOf(h)}`);
    expect(tableView(W.e, name(W.hops))).toEqual(tableView(Mo.e, name(Mo.hops)));
    // lookups (the forwarding structure in view 0) agree with the model's most specific unicast destination
    for (const p of pool.slice(0, 300)) {
      const a = p.split('/')[0];
      const m = Mo.e.getMostSpecificDestination({ dest: `${a}/${f === 4 ? 32 : 128}`, views: RTM_VIEW_MASK_UCAST });
      if (m) Mo.e.releaseDestInfo(m);
      expect(rtm.lookup(a)?.prefix, a).toBe(m?.prefix);
    }
    for (const t of rtm.coreTables) expect(t.checkInvariants()).toBe(0);
    rtm.close();
  });
});
