// Core enumeration cursors (assembly/enums.ts) and route-criteria matching, driven through the raw
// exports of a private core: every status of create / next / delete / info, ownership, deregistration
// and table teardown freeing cursors, and — over seeded random op streams on both families — batch by
// batch agreement with the existing facade on the same core: destination, route, next-hop and
// route-list cursors open side by side, routes added, updated (re-sorted), deleted, held and expired,
// next hops and list members changed between batches; RtmGetExactMatchRoute against routeFindX.
import { describe, expect, it } from 'vitest';
import { createCoreSync, Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import type { Entity } from '../../src/entity.js';
import { VirtualClock } from '../../src/clock.js';
import { Family, formatPrefix, maskWords, parsePrefixInto } from '../../src/address.js';
import {
  PROTO_IP_OSPF, PROTO_IP_RIP, RTM_ENUM_NEXT as NEXT, RTM_ENUM_OWN_DESTS as OWN_DESTS,
  RTM_ENUM_OWN_ROUTES as OWN_ROUTES, RTM_ENUM_RANGE as RANGE, RTM_MATCH_INTERFACE, RTM_MATCH_NEIGHBOUR,
  RTM_MATCH_NEXTHOP, RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGE_NEW, RTM_THIS_PROTOCOL,
} from '../../src/win32/constants.js';
import type {
  DestHandle, EnumHandle, NextHopHandle, RouteCriteria, RouteEnumOptions, RouteHandle, RouteListHandle, RtmOptions,
} from '../../src/types.js';
import { mulberry32 } from '../helpers/random.js';

const OK = 0, INVALID_HANDLE = 6, NOT_SUPPORTED = 50, INVALID_PARAMETER = 87, NOT_FOUND = 1168;

type Fn = (...a: number[]) => number;

/** An Rtm on a given core (the constructor is private to the facade; tests build one on a private core). */
function rtmOn(core: Core, options: RtmOptions): Rtm {
  return new (Rtm as unknown as new (c: Core, o: RtmOptions) => Rtm)(core, options);
}

/** The new exports, called as the rewired facade will: numbers in, I/O area out. */
class Port {
  readonly x: Record<string, Fn>;
  readonly K: Record<string, number>;
  constructor(readonly core: Core, readonly family: Family) {
    this.x = core.x as unknown as Record<string, Fn>;
    const K: Record<string, number> = {};
    for (const n of ['IO_OUT_HANDLES', 'IO_HOPS', 'CRIT_HOPS_MAX', 'ENUM_K_DEST', 'ENUM_K_ROUTE', 'ENUM_K_NEXTHOP',
      'ENUM_K_LIST', 'IO_BATCH_MAX']) K[n] = core.constant(n);
    this.K = K;
  }
  /** Writes a prefix to IO_IN; its length (0 for none). */
  key(p: string | undefined): number {
    if (p === undefined) return 0;
    const len = parsePrefixInto(p, this.family, this.core.u32(), this.core.io + this.core.IO_IN);
    if (len < 0) throw new Error(`bad prefix ${p}`);
    return len;
  }
  /** Writes criterion next-hop handles (f64) at IO_HOPS. */
  hops(hs: readonly number[]): number {
    const f = this.core.f64(), b = (this.core.io + this.K.IO_HOPS) / 2;
    hs.forEach((h, i) => { f[b + i] = h; });
    return hs.length;
  }
  handleAt(i: number): number { return this.core.f64()[(this.core.io + this.K.IO_OUT_HANDLES) / 2 + i]; }
  res(i: number): number { return this.core.res(i); }

  createDests(eh: number, o: { views?: number; enumFlags?: number; startDest?: string; protocolId?: number }): [number, number] {
    const range = (o.enumFlags ?? 0) & (NEXT | RANGE);
    const len = range ? this.key(o.startDest) : 0;
    const s = this.x.enumCreateDestsX(eh, o.views ?? 0xffffffff, o.enumFlags ?? 0, len, o.protocolId ?? 0);
    return [s, s === OK ? this.handleAt(0) : 0];
  }
  createRoutes(eh: number, o: RouteEnumOptions): [number, number] {
    const range = (o.enumFlags ?? 0) & (NEXT | RANGE);
    const len = range && !o.dest ? this.key(o.startDest as string) : 0;
    const c: RouteCriteria = o.criteria ?? {};
    const n = this.hops(c.nextHops ?? []);
    const s = this.x.enumCreateRoutesX(eh, (o.dest ?? 0) as number, o.views ?? 0xffffffff, o.enumFlags ?? 0, len,
      o.matchFlags ?? 0, (c.owner ?? 0) as number, (c.neighbour ?? 0) as number, c.preference ?? 0, c.metric ?? 0, n,
      o.interfaceIndex ?? 0);
    return [s, s === OK ? this.handleAt(0) : 0];
  }
  createNextHops(eh: number, o: { enumFlags?: number; address?: string }): [number, number] {
    const range = (o.enumFlags ?? 0) & (NEXT | RANGE);
    const len = range ? this.key(o.address) : 0;
    const s = this.x.enumCreateNextHopsX(eh, o.enumFlags ?? 0, len);
    return [s, s === OK ? this.handleAt(0) : 0];
  }
  createList(eh: number, list: number): [number, number] {
    const s = this.x.enumCreateListX(eh, list);
    return [s, s === OK ? this.handleAt(0) : 0];
  }
  /** One Get: status, handles, done. */
  next(eh: number, h: number, kind: number, max: number): { s: number; handles: number[]; slots: number[]; done: boolean } {
    const s = this.x.enumNextX(eh, h, kind, max);
    if (s !== OK) return { s, handles: [], slots: [], done: false };
    const n = this.res(0), done = this.res(1) === 1;
    const u = this.core.u32(), base = this.core.io + this.core.IO_OUT;
    const slots = Array.from(u.subarray(base, base + n));
    const handles = slots.map((_, i) => this.handleAt(i));
    return { s, handles, slots, done };
  }
  findRoute(eh: number, o: { dest: string; views?: number; matchFlags?: number; criteria?: RouteCriteria; interfaceIndex?: number }): number | undefined {
    const c = o.criteria ?? {};
    const len = this.key(o.dest);
    const n = this.hops(c.nextHops ?? []);
    const s = this.x.routeFindX(eh, len, o.views === undefined ? 0xffffffff : o.views, o.matchFlags ?? 0,
      (c.owner ?? 0) as number, (c.neighbour ?? 0) as number, c.preference ?? 0, c.metric ?? 0, n, o.interfaceIndex ?? 0);
    if (s === NOT_FOUND) return undefined;
    expect(s).toBe(OK);
    return this.handleAt(0);
  }
  live(): number { return this.x.enumStat(0); }
  chunks(): number { return this.x.enumStat(1); }
}

// ── a world on a private core ───────────────────────────────────────────────────────────────────────

/** Prefixes of a small space (so that they nest and collide), canonical, as strings. */
function prefixPool(rnd: () => number, family: Family, n: number): string[] {
  const out = new Set<string>();
  const lens = family === 4 ? [0, 8, 15, 16, 17, 23, 24, 32] : [0, 16, 32, 33, 47, 48, 64, 128];
  const w = new Uint32Array(4);
  while (out.size < n) {
    if (family === 4) w.set([((10 + (rnd() & 1)) << 24 | (rnd() & 3) << 16 | (rnd() & 3) << 8 | (rnd() & 3)) >>> 0, 0, 0, 0]);
    else w.set([0x20010db8, ((rnd() & 3) << 16) >>> 0, (rnd() & 3) >>> 0, rnd() & 1]);
    const len = lens[rnd() % lens.length];
    maskWords(w, 0, len);
    out.add(formatPrefix(family, w, 0, len));
  }
  return [...out];
}

function nhAddress(family: Family, i: number): string { return family === 4 ? `10.0.${i >> 8}.${i & 255}` : `2001:db8::${(i + 1).toString(16)}`; }

interface RouteRec { owner: Entity; dest: string }

function world(seed: number, family: Family) {
  const core = createCoreSync('debug');
  const clock = new VirtualClock();
  const rtm = rtmOn(core, { clock });
  const fam = family === 4 ? 'ipv4' : 'ipv6';
  const A = rtm.registerEntity({ addressFamily: fam, protocolId: PROTO_IP_RIP, instanceId: 1 }) as Entity;
  const B = rtm.registerEntity({ addressFamily: fam, protocolId: PROTO_IP_OSPF, instanceId: 1 }) as Entity;
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
  const hopsOf = new Map<Entity, NextHopHandle[]>();
  hopsOf.set(A, [1, 2, 3].map((i) => A.addNextHop({ address: nhAddress(family, i), interfaceIndex: i }).handle!));
  hopsOf.set(B, [4, 5].map((i) => B.addNextHop({ address: nhAddress(family, i), interfaceIndex: i - 3 }).handle!));
  const prefixes = prefixPool(rnd, family, 24);
  const hot = prefixes[0];
  const routes = new Map<RouteHandle, RouteRec>();
  const extraHops: NextHopHandle[] = [];          // A's next hops used by no route (next-hop cursors)
  const lists = [A.createRouteList(), A.createRouteList()];
  const port = new Port(core, family);
  const t = rtm.table(family).core.t;

  function addRoute(): void {
    const X = rnd() % 3 === 0 ? B : A;
    const hs = hopsOf.get(X)!;
    const dest = rnd() % 5 === 0 ? hot : pick(prefixes);
    const nHops = rnd() % 3;
    const nextHops = [...new Set(Array.from({ length: nHops }, () => pick(hs)))];
    const change = pick([0, 0, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_CHANGE_FIRST]);
    const r = X.addRouteToDest({
      dest, neighbour: rnd() % 4 === 0 ? undefined : pick(hs), nextHops, preference: rnd() % 4, metric: rnd() % 4,
      views: 1 + (rnd() % 3), changeFlags: change, routeList: X === A && rnd() % 4 === 0 ? pick(lists) : undefined,
    });
    const h = r.handle!;
    if (routes.has(h)) X.releaseRoutes([h]); else routes.set(h, { owner: X, dest });
  }
  function updateRoute(): void {
    const all = [...routes];
    if (all.length === 0) return;
    const [h, rec] = pick(all);
    const hs = hopsOf.get(rec.owner)!;
    rec.owner.addRouteToDest({ route: h, dest: rec.dest, neighbour: pick(hs), nextHops: [pick(hs)], preference: rnd() % 4,
      metric: rnd() % 4, views: 1 + (rnd() % 3) });
  }
  function deleteRoute(): void {
    const all = [...routes];
    if (all.length === 0) return;
    const [h, rec] = pick(all);
    rec.owner.deleteRouteToDest(h);
    routes.delete(h);
  }
  /** Arms hold-down on a destination and sometimes deletes its routes: they become held (§7.7). */
  function hold(): void {
    const dest = pick(prefixes);
    const info = A.getExactMatchDestination({ dest });
    if (!info) return;
    A.holdDestination({ dest: info.handle, views: 1 + (rnd() % 3), holdTime: 1 + (rnd() % 40) });
    A.releaseDestInfo(info);
    if (rnd() % 2 === 0) return;
    for (const [h, rec] of [...routes]) {
      if (rec.dest !== dest) continue;
      rec.owner.deleteRouteToDest(h);
      routes.delete(h);
    }
  }
  function nextHopOp(): void {
    if (extraHops.length > 0 && rnd() % 2 === 0) {
      const i = rnd() % extraHops.length;
      A.deleteNextHop(extraHops[i]);
      extraHops.splice(i, 1);
    } else {
      const r = A.addNextHop({ address: nhAddress(family, 6 + (rnd() % 40)), interfaceIndex: rnd() % 3 });
      if (r.changeFlags) extraHops.push(r.handle!); else A.releaseNextHops([r.handle!]);
    }
  }
  function listOp(): void {
    const mine = [...routes].filter(([, r]) => r.owner === A).map(([h]) => h);
    if (mine.length === 0) return;
    const some = [...new Set(Array.from({ length: 1 + (rnd() % 3) }, () => pick(mine)))];
    A.insertInRouteList({ routeList: rnd() % 5 === 0 ? null : pick(lists), routes: some });
  }
  /** One random change to the table. */
  function op(): void {
    const k = rnd() % 20;
    if (k < 6) addRoute();
    else if (k < 9) deleteRoute();
    else if (k < 11) updateRoute();
    else if (k < 13) hold();
    else if (k < 14) clock.advance(rnd() % 30);
    else if (k < 17) nextHopOp();
    else listOp();
  }
  /** Random criteria (§8.8.4) over the world's handles. */
  function criteria(): { matchFlags: number; criteria: RouteCriteria; interfaceIndex: number } {
    const flags = [RTM_MATCH_OWNER, RTM_MATCH_NEIGHBOUR, RTM_MATCH_PREF, RTM_MATCH_NEXTHOP, RTM_MATCH_INTERFACE];
    let matchFlags = 0;
    if (rnd() % 3 !== 0) for (const f of flags) if (rnd() % 4 === 0) matchFlags |= f;
    if (rnd() % 8 === 0) matchFlags |= 0x100;                                  // ignored bits
    const allHops = [...hopsOf.get(A)!, ...hopsOf.get(B)!];
    return {
      matchFlags, interfaceIndex: rnd() % 4,
      criteria: {
        owner: pick([A.handle, B.handle, undefined]), neighbour: pick([...allHops, undefined]), preference: rnd() % 4,
        metric: rnd() % 4, nextHops: [...new Set(Array.from({ length: rnd() % 3 }, () => pick(allHops)))],
      },
    };
  }
  return { core, rtm, clock, A, B, rnd, pick, prefixes, lists, port, t, op, addRoute, criteria, routes, hopsOf };
}

type World = ReturnType<typeof world>;

/** One cursor opened both ways: the facade's and the core's. */
interface Pair {
  kind: 'dest' | 'route' | 'nextHop' | 'list';
  facade: EnumHandle;
  core: number;
  desc: string;
  done: boolean;
}

function openPairs(w: World): Pair[] {
  const { A, port, rnd, pick, prefixes } = w;
  const eh = A.handle as number;
  const views = (): number | undefined => pick([undefined, 0, 0, 1, 2, 3, 0xffffffff]);
  const range = (): number => pick([0, 0, NEXT, RANGE]);
  const pairs: Pair[] = [];
  // destinations
  {
    const o = { views: views(), enumFlags: range() | (rnd() % 3 === 0 ? OWN_DESTS : 0), startDest: pick(prefixes),
      protocolId: pick([undefined, RTM_THIS_PROTOCOL, PROTO_IP_OSPF, PROTO_IP_RIP]) };
    const [s, h] = port.createDests(eh, o);
    expect(s).toBe(OK);
    pairs.push({ kind: 'dest', facade: A.createDestEnum(o), core: h, desc: JSON.stringify(o), done: false });
  }
  // routes: a range of destinations or one destination
  {
    let dest: DestHandle | undefined;
    if (rnd() % 4 === 0) {
      const info = A.getExactMatchDestination({ dest: pick(prefixes) });
      if (info) { dest = info.handle; A.releaseDestInfo(info); }
    }
    const o: RouteEnumOptions = { dest, views: views(), enumFlags: range() | (rnd() % 3 === 0 ? OWN_ROUTES : 0),
      startDest: pick(prefixes), ...w.criteria() };
    const [s, h] = port.createRoutes(eh, o);
    expect(s).toBe(OK);
    pairs.push({ kind: 'route', facade: A.createRouteEnum(o), core: h, desc: JSON.stringify(o), done: false });
  }
  // next hops
  {
    const o = { enumFlags: range(), address: rnd() % 2 ? pick(prefixes) : nhAddress(w.port.family, 6 + (rnd() % 40)) };
    const [s, h] = port.createNextHops(eh, o);
    expect(s).toBe(OK);
    pairs.push({ kind: 'nextHop', facade: A.createNextHopEnum(o), core: h, desc: JSON.stringify(o), done: false });
  }
  // a route list
  {
    const list = pick(w.lists);
    const [s, h] = port.createList(eh, list as number);
    expect(s).toBe(OK);
    pairs.push({ kind: 'list', facade: A.createRouteListEnum(list), core: h, desc: `list ${list}`, done: false });
  }
  return pairs;
}

/** Gets one batch from both sides of a pair and compares them; the facade's references are given back. */
function step(w: World, p: Pair, count: number, tag: string): void {
  const { A, port } = w;
  const eh = A.handle as number;
  const msg = `${tag}: ${p.kind} ${p.desc}, count ${count}`;
  if (p.kind === 'dest') {
    const f = A.getEnumDests({ enumHandle: p.facade, count });
    const c = port.next(eh, p.core, port.K.ENUM_K_DEST, count);
    expect(c.s, msg).toBe(OK);
    expect([c.handles, c.done], msg).toEqual([f.items.map((d) => d.handle), f.done]);
    // the facade's DestInfo is what getDestInfo gives for the cursor's views and protocol selector
    expect(port.x.enumInfoX(eh, p.core), msg).toBe(OK);
    const views = port.res(2), sel = port.res(3);
    for (const item of f.items.slice(0, 2)) {
      const again = A.getDestInfo({ dest: item.handle, views, protocolId: sel });
      expect(again, msg).toEqual(item);
      A.releaseDestInfo(again);
    }
    A.releaseDests(f.items);
    p.done = f.done;
  } else if (p.kind === 'route' || p.kind === 'list') {
    const f = p.kind === 'route' ? A.getEnumRoutes({ enumHandle: p.facade, count }) : A.getListEnumRoutes({ enumHandle: p.facade, count });
    const c = port.next(eh, p.core, p.kind === 'route' ? port.K.ENUM_K_ROUTE : port.K.ENUM_K_LIST, count);
    expect(c.s, msg).toBe(OK);
    expect([c.handles, c.done], msg).toEqual([f.items, f.done]);
    A.releaseRoutes(f.items);
    p.done = f.done;
  } else {
    const f = A.getEnumNextHops({ enumHandle: p.facade, count });
    const c = port.next(eh, p.core, port.K.ENUM_K_NEXTHOP, count);
    expect(c.s, msg).toBe(OK);
    expect([c.handles, c.done], msg).toEqual([f.items, f.done]);
    A.releaseNextHops(f.items);
    p.done = f.done;
  }
}

describe('core enumeration cursors agree with the facade batch by batch', () => {
  it.each([[4, 1], [4, 2], [4, 3], [4, 4], [6, 1], [6, 2], [6, 3], [6, 4]] as [Family, number][])(
    'IPv%i, seed %i: four cursors side by side over a changing table', (family, seed) => {
      const w = world(seed * 7919 + family, family);
      const { A, port, rnd, core, t } = w;
      for (let i = 0; i < 60; i++) w.addRoute();
      const base = port.live();
      for (let session = 0; session < 30; session++) {
        const pairs = openPairs(w);
        expect(port.live()).toBe(base + 8);   // four cursors of the test, four of the facade (core cursors too)
        for (let s = 0; s < 300 && pairs.some((p) => !p.done); s++) {
          const open = pairs.filter((p) => !p.done);
          const p = open[rnd() % open.length];
          const count = rnd() % 8 === 0 ? A.profile.maxHandlesInEnum : rnd() % 6;
          step(w, p, count, `IPv${family} seed ${seed} session ${session} step ${s}`);
          for (let k = rnd() % 3; k > 0; k--) w.op();
          expect((core.x.checkInvariants as Fn)(t)).toBe(0);
        }
        // then drain what is left, the table standing still
        for (const p of pairs) while (!p.done) step(w, p, A.profile.maxHandlesInEnum, `IPv${family} seed ${seed} session ${session} drain`);
        for (const p of pairs) {
          A.deleteEnumHandle(p.facade);
          expect(port.x.enumDeleteX(A.handle as number, p.core)).toBe(OK);
          expect(port.next(A.handle as number, p.core, 0, 1).s).toBe(INVALID_HANDLE);
        }
        expect(port.live()).toBe(base);
      }
      expect(port.chunks()).toBe(0);
      w.rtm.close();
    });

  it.each([4, 6] as Family[])('IPv%i: the routes returned at the last destination are never returned again, across chunk records', (family) => {
    const w = world(99 + family, family);
    const { A, B, port, rnd, prefixes } = w;
    const dest = prefixes[3];
    const nA = w.hopsOf.get(A)![0], nB = w.hopsOf.get(B)![0];
    const mine: RouteHandle[] = [];
    for (let i = 0; i < 40; i++) {
      const X = i % 3 === 0 ? B : A;
      const h = X.addRouteToDest({ dest, neighbour: X === A ? nA : nB, changeFlags: RTM_ROUTE_CHANGE_NEW,
        preference: rnd() % 5, metric: rnd() % 5 }).handle!;
      if (X === A) mine.push(h);
    }
    const info = A.getExactMatchDestination({ dest })!;
    for (const o of [{ dest: info.handle }, { enumFlags: RANGE, startDest: dest }, {}] as RouteEnumOptions[]) {
      const fe = A.createRouteEnum(o);
      const [s, ce] = port.createRoutes(A.handle as number, o);
      expect(s).toBe(OK);
      const seen = new Set<number>();
      for (let i = 0; ; i++) {
        const f = A.getEnumRoutes({ enumHandle: fe, count: 1 + (i % 2) });
        const c = port.next(A.handle as number, ce, port.K.ENUM_K_ROUTE, 1 + (i % 2));
        expect([c.handles, c.done]).toEqual([f.items, f.done]);
        for (const h of c.handles) { expect(seen.has(h)).toBe(false); seen.add(h); }
        A.releaseRoutes(f.items);
        if (f.done) break;
        // returned routes move behind the cursor; others move anywhere
        const h = mine[rnd() % mine.length];
        A.addRouteToDest({ route: h, dest, neighbour: nA, preference: rnd() % 7, metric: rnd() % 7 });
      }
      expect(port.chunks()).toBeGreaterThan(0);
      A.deleteEnumHandle(fe);
      expect(port.x.enumDeleteX(A.handle as number, ce)).toBe(OK);
      expect(port.chunks()).toBe(0);
    }
    A.releaseDestInfo(info);
    w.rtm.close();
  });
});

describe('route order of held routes', () => {
  it.each([4, 6] as Family[])('IPv%i: with views 0 held routes are merged into route order, one at a time as in batches', (family) => {
    const w = world(21 + family, family);
    const { A, B, port } = w;
    const nA = w.hopsOf.get(A)![0], nB = w.hopsOf.get(B)![0];
    const dest = w.prefixes[5];
    const r1 = A.addRouteToDest({ dest, neighbour: nA, preference: 5, views: 1 }).handle!;
    const r2 = B.addRouteToDest({ dest, neighbour: nB, preference: 20, views: 2 }).handle!;
    const r3 = A.addRouteToDest({ dest, neighbour: nA, changeFlags: RTM_ROUTE_CHANGE_NEW, preference: 30, views: 2 }).handle!;
    const r4 = A.addRouteToDest({ dest, neighbour: nA, changeFlags: RTM_ROUTE_CHANGE_NEW, preference: 10, views: 2 }).handle!;
    const info = A.getExactMatchDestination({ dest })!;
    A.holdDestination({ dest: info.handle, views: 3, holdTime: 100 });
    const both = (o: RouteEnumOptions, count: number): RouteHandle[] => {
      const fe = A.createRouteEnum(o);
      const [, ce] = port.createRoutes(A.handle as number, o);
      const out: RouteHandle[] = [];
      for (;;) {
        const f = A.getEnumRoutes({ enumHandle: fe, count });
        const c = port.next(A.handle as number, ce, port.K.ENUM_K_ROUTE, count);
        expect([c.handles, c.done]).toEqual([f.items, f.done]);
        out.push(...f.items);
        A.releaseRoutes(f.items);
        if (f.done) break;
      }
      A.deleteEnumHandle(fe);
      port.x.enumDeleteX(A.handle as number, ce);
      return out;
    };
    A.deleteRouteToDest(r1);                       // the last live route of view 0: held there
    for (const count of [1, 2, 5]) {
      expect(both({ views: 0 }, count)).toEqual([r1, r4, r2, r3]);
      expect(both({ dest: info.handle, views: 0 }, count)).toEqual([r1, r4, r2, r3]);
      expect(both({ views: 1 }, count)).toEqual([]);
    }
    A.deleteRouteToDest(r3);
    B.deleteRouteToDest(r2);
    A.deleteRouteToDest(r4);                       // the last live route of view 1: held there
    for (const count of [1, 3]) expect(both({ views: 0 }, count)).toEqual([r1, r4]);
    A.releaseDestInfo(info);
    w.clock.advance(100);                          // hold-down ends: the held routes go
    expect(both({ views: 0 }, 2)).toEqual([]);
    w.rtm.close();
  });
});

describe('routeFindX (RtmGetExactMatchRoute in one call)', () => {
  it.each([[4, 11], [4, 12], [6, 11], [6, 12]] as [Family, number][])('IPv%i, seed %i: agrees with getExactMatchRoute', (family, seed) => {
    const w = world(seed, family);
    const { A, port, pick, prefixes } = w;
    for (let i = 0; i < 120; i++) w.addRoute();
    let found = 0;
    for (let i = 0; i < 1500; i++) {
      if (i % 10 === 0) w.op();
      const o = { dest: pick(prefixes), views: pick([undefined, 0, 1, 2, 3]), ...w.criteria() };
      const f = A.getExactMatchRoute(o);
      const c = port.findRoute(A.handle as number, o);
      expect(c, `seed ${seed} probe ${i}: ${JSON.stringify(o)}`).toBe(f?.handle);
      if (f) {
        found++;
        A.releaseRouteInfo(f.info);
        A.releaseRoutes([f.handle!]);
      }
    }
    expect(found).toBeGreaterThan(50);
    w.rtm.close();
  });

  it('statuses: bad entity, views, length, too many criterion next hops, no destination', () => {
    const w = world(5, 4);
    const { A, port } = w;
    const eh = A.handle as number;
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: w.hopsOf.get(A)![0] });
    const find = (e: number, len: number, views: number, flags = 0, n = 0) =>
      port.x.routeFindX(e, len, views, flags, 0, 0, 0, 0, n, 0);
    port.key('10.1.0.0/16');
    expect(find(12345, 16, 0)).toBe(INVALID_HANDLE);
    expect(find(eh, 16, 4)).toBe(NOT_SUPPORTED);
    expect(find(eh, 33, 0)).toBe(INVALID_PARAMETER);
    expect(find(eh, 16, 0, RTM_MATCH_NEXTHOP, port.K.CRIT_HOPS_MAX + 1)).toBe(INVALID_PARAMETER);
    expect(find(eh, 16, 0, 0, port.K.CRIT_HOPS_MAX + 1)).toBe(OK);            // hops are read with NEXTHOP only
    expect(find(eh, 16, 0xffffffff)).toBe(OK);
    const got = port.handleAt(0), slot = port.res(0);
    const f = A.getExactMatchRoute({ dest: '10.1.0.0/16' })!;
    expect(got).toBe(f.handle);
    expect(got % 2 ** 25).toBe(slot);
    A.releaseRouteInfo(f.info);
    A.releaseRoutes([f.handle!]);
    port.key('10.2.0.0/16');
    expect(find(eh, 16, 0)).toBe(NOT_FOUND);
    // a preference that is not a u32 matches nothing (NaN); a criterion handle that does not resolve neither
    port.key('10.1.0.0/16');
    expect(port.x.routeFindX(eh, 16, 0, RTM_MATCH_PREF, 0, 0, NaN, 0, 0, 0)).toBe(NOT_FOUND);
    expect(port.x.routeFindX(eh, 16, 0, RTM_MATCH_OWNER, 77, 0, 0, 0, 0, 0)).toBe(NOT_FOUND);
    expect(port.x.routeFindX(eh, 16, 0, RTM_MATCH_NEIGHBOUR, 0, 77, 0, 0, 0, 0)).toBe(NOT_FOUND);
    expect(port.x.routeFindX(eh, 16, 0, RTM_MATCH_OWNER, eh, 0, 0, 0, 0, 0)).toBe(OK);
    w.rtm.close();
  });
});

describe('cursor statuses, ownership and clean-up', () => {
  it('create validates entity, destination, views, flags, prefix length and criteria size', () => {
    const w = world(7, 4);
    const { A, B, port } = w;
    const eh = A.handle as number;
    const x = port.x;
    expect(x.enumCreateDestsX(999, 0, 0, 0, 0)).toBe(INVALID_HANDLE);
    expect(x.enumCreateDestsX(eh, 4, 0, 0, 0)).toBe(NOT_SUPPORTED);
    expect(x.enumCreateDestsX(eh, 4, 0x80, 0, 0)).toBe(NOT_SUPPORTED);              // views are checked first
    expect(x.enumCreateDestsX(eh, 1, 0x80, 0, 0)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateDestsX(eh, 1, NEXT | RANGE, 0, 0)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateDestsX(eh, 1, OWN_ROUTES, 0, 0)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateDestsX(eh, 1, NEXT, 33, 0)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateDestsX(eh, 1, 0, 33, 0)).toBe(OK);                           // START ignores the prefix
    expect(x.enumCreateDestsX(eh, 1, OWN_DESTS | RANGE, 8, RTM_THIS_PROTOCOL)).toBe(OK);
    const dh = port.handleAt(0);
    expect(x.enumInfoX(eh, dh)).toBe(OK);
    expect([port.res(0), port.res(1), port.res(2), port.res(3)]).toEqual([port.K.ENUM_K_DEST, A.slot, 1, PROTO_IP_RIP]);
    const R = (destH: number, views: number, flags: number, len: number, mf = 0, n = 0) =>
      x.enumCreateRoutesX(eh, destH, views, flags, len, mf, 0, 0, 0, 0, n, 0);
    expect(R(0, 0, 0, 0)).toBe(OK);
    expect(R(12345, 0, 0, 0)).toBe(INVALID_HANDLE);
    expect(R(12345, 4, 0x80, 0)).toBe(INVALID_HANDLE);                              // the destination first
    expect(R(0, 4, 0, 0)).toBe(NOT_SUPPORTED);
    expect(R(0, 0, OWN_DESTS, 0)).toBe(INVALID_PARAMETER);
    expect(R(0, 0, RANGE, 40)).toBe(INVALID_PARAMETER);
    expect(R(0, 0, RTM_MATCH_NEXTHOP, 0, RTM_MATCH_NEXTHOP, port.K.CRIT_HOPS_MAX + 1)).toBe(INVALID_PARAMETER);
    expect(R(0, 0, 0, 0, RTM_MATCH_NEXTHOP, 20)).toBe(OK);
    expect(port.chunks()).toBe(3);                                                  // 20 criterion hops, 7 a chunk
    A.addRouteToDest({ dest: '10.9.0.0/16', neighbour: w.hopsOf.get(A)![0] });
    const info = A.getExactMatchDestination({ dest: '10.9.0.0/16' })!;
    expect(R(info.handle as number, 4, RANGE, 99)).toBe(NOT_SUPPORTED);            // range ignored, views checked
    expect(R(info.handle as number, 1, RANGE, 99)).toBe(OK);
    A.releaseDestInfo(info);
    expect(x.enumCreateNextHopsX(eh, OWN_DESTS, 0)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateNextHopsX(eh, RANGE, 33)).toBe(INVALID_PARAMETER);
    expect(x.enumCreateNextHopsX(0, 0, 0)).toBe(INVALID_HANDLE);
    const listB = B.createRouteList();
    expect(x.enumCreateListX(eh, listB as number)).toBe(INVALID_HANDLE);           // lists are private
    expect(x.enumCreateListX(eh, 0)).toBe(INVALID_HANDLE);
    expect(x.enumCreateListX(eh, w.lists[0] as number)).toBe(OK);
    w.rtm.close();
    expect(port.live()).toBe(0);                                                    // tableFree frees cursors
    expect(port.chunks()).toBe(0);
  });

  it('next and delete: the owner only, of the named kind; max up to IO_BATCH_MAX; deregistration frees', () => {
    const w = world(8, 6);
    const { A, B, port } = w;
    const ea = A.handle as number, eb = B.handle as number;
    for (let i = 0; i < 30; i++) w.addRoute();
    const [, d] = port.createDests(ea, {});
    const [, r] = port.createRoutes(eb, { views: 0 });
    const [, n] = port.createNextHops(ea, {});
    expect(port.next(ea, d, port.K.ENUM_K_ROUTE, 1).s).toBe(INVALID_HANDLE);        // wrong kind
    expect(port.next(ea, r, port.K.ENUM_K_ROUTE, 1).s).toBe(INVALID_HANDLE);        // B's cursor
    expect(port.x.enumInfoX(ea, r)).toBe(OK);                                       // visible in the table
    expect(port.res(1)).toBe(B.slot);
    expect(port.next(ea, d, port.K.ENUM_K_DEST, port.K.IO_BATCH_MAX + 1).s).toBe(INVALID_PARAMETER);
    const all = port.next(ea, d, 0, port.K.IO_BATCH_MAX);
    const fe = A.createDestEnum({});
    const f = A.getEnumDests({ enumHandle: fe });
    expect([all.s, all.handles, all.done]).toEqual([OK, f.items.map((i) => i.handle), true]);
    expect(all.handles.length).toBeGreaterThan(3);
    A.releaseDests(f.items);
    A.deleteEnumHandle(fe);
    expect(port.next(ea, d, port.K.ENUM_K_DEST, 0)).toMatchObject({ s: OK, handles: [], done: true });
    const zero = port.next(ea, n, port.K.ENUM_K_NEXTHOP, 0);
    expect([zero.handles, zero.done]).toEqual([[], false]);                         // 0 items, more to come
    expect(port.x.enumDeleteX(ea, r)).toBe(INVALID_HANDLE);                         // not A's
    expect(port.x.enumDeleteX(eb, r)).toBe(OK);
    expect(port.x.enumDeleteX(eb, r)).toBe(INVALID_HANDLE);                         // stale
    const live = port.live();
    port.createRoutes(eb, {});
    port.createDests(eb, {});
    expect(port.live()).toBe(live + 2);
    B.deregister();
    expect(port.live()).toBe(live);
    expect(port.x.enumDeleteAllX(ea)).toBe(OK);
    expect(port.res(0)).toBe(2);
    expect(port.live()).toBe(0);
    expect(port.next(ea, d, 0, 1).s).toBe(INVALID_HANDLE);
    w.rtm.close();
  });

  it('a list cursor over a deleted list is done at once; a route cursor over a vanished destination ends', () => {
    const w = world(9, 4);
    const { A, port } = w;
    const ea = A.handle as number;
    const nA = w.hopsOf.get(A)![0];
    const list = A.createRouteList() as RouteListHandle;
    const hs = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((dest) => A.addRouteToDest({ dest, neighbour: nA }).handle!);
    A.insertInRouteList({ routeList: list, routes: hs });
    const [, l] = port.createList(ea, list as number);
    const first = port.next(ea, l, port.K.ENUM_K_LIST, 2);
    expect([first.handles, first.done]).toEqual([hs.slice(0, 2), false]);
    A.deleteRouteList(list);
    expect(port.next(ea, l, port.K.ENUM_K_LIST, 0)).toMatchObject({ s: OK, handles: [], done: true });
    const info = A.getExactMatchDestination({ dest: '10.2.0.0/16' })!;
    const [, r] = port.createRoutes(ea, { dest: info.handle });
    A.releaseDestInfo(info);
    A.deleteRouteToDest(hs[1]);
    expect(port.next(ea, r, port.K.ENUM_K_ROUTE, 5)).toMatchObject({ s: OK, handles: [], done: true });
    w.rtm.close();
  });
});
