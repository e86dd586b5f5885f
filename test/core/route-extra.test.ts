// The route extra record (issue 13: the route record is 12 words; list links, insertion number, timer
// position and a neighbour that is not the route's one next hop live out of line, allocated on first use
// and freed when back at their defaults). Each transition — into a list and out, between lists, a time-to-live armed / cleared / fired, a route that
// is deleted while in a list with a timer and kept by a reference (the zombie list), table teardown —
// is checked three ways: the public picture against the reference model (test/reference/model.ts), the
// debug core's invariants (extra records linked back, none idle, counted; zombie links), and the core's
// count of extra records in use. A seeded stream then mixes these with live route and list
// enumerations read in small batches (the enumeration mark is a bit of the views word now).
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import {
  ERROR_NOT_SUPPORTED, INFINITE, NO_ERROR, RTM_ROUTE_EXPIRED, RTM_ROUTE_STATE_DELETED, RTM_VIEW_MASK_ANY as ANY,
  RTM_VIEW_MASK_UCAST as UCAST, RTM_VIEW_MASK_MCAST as MCAST,
} from '../../src/win32/constants.js';
import type { EntityLike, EnumHandle, NextHopHandle, RouteHandle, RouteListHandle, RtmLike } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { mulberry32 } from '../helpers/random.js';
import { setup, type World } from '../reference/fixture.js';

const MODEL = IMPLEMENTATIONS.find((i) => i.name === 'model')!;
const WASM = IMPLEMENTATIONS.find((i) => i.name === 'wasm')!;

/** Extra records in use in the (shared) debug core. */
function extras(rtm: RtmLike): number { return (rtm as unknown as Rtm).core.x.routeExtraCount() as number; }
function invariants(rtm: RtmLike): void { expect((rtm as unknown as Rtm).ipv4.core.checkInvariants()).toBe(0); }

/** The routes of a list enumeration, drained in batches of `count`. */
function listRoutes(e: EntityLike, l: RouteListHandle, count = 2): RouteHandle[] {
  const en = e.createRouteListEnum(l);
  const out: RouteHandle[] = [];
  for (;;) {
    const b = e.getListEnumRoutes({ enumHandle: en, count });
    out.push(...b.items);
    e.releaseRoutes(b.items);
    if (b.done) break;
  }
  e.deleteEnumHandle(en);
  return out;
}

function worlds(): [World, World] {
  const m = setup(MODEL), w = setup(WASM);
  for (const x of [m, w]) for (const p of [x.pa, x.pb]) p.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
  return [m, w];
}

describe('route extra records: allocation and free transitions', () => {
  it('a list moves a route into one and out; a second list keeps it; the public picture is the model\'s', () => {
    const [m, w] = worlds();
    const base = extras(w.rtm);
    const run = (x: World) => {
      const r1 = x.A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: x.nA }).handle!;
      const r2 = x.A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: x.nA }).handle!;
      const l1 = x.A.createRouteList(), l2 = x.A.createRouteList();
      return { r1, r2, l1, l2 };
    };
    const hm = run(m), hw = run(w);
    expect(extras(w.rtm)).toBe(base);                        // plain routes have none
    let l2Alive = true;
    const step = (f: (x: World, h: typeof hm) => void, want: number) => {
      f(m, hm); f(w, hw);
      expect(extras(w.rtm)).toBe(base + want);
      invariants(w.rtm);
      const names = (x: World, h: typeof hm, l: RouteListHandle) => listRoutes(x.A, l, 1).map((r) => (r === h.r1 ? 'r1' : r === h.r2 ? 'r2' : '?'));
      expect(names(w, hw, hw.l1)).toEqual(names(m, hm, hm.l1));
      if (l2Alive) expect(names(w, hw, hw.l2)).toEqual(names(m, hm, hm.l2));
    };
    step((x, h) => x.A.insertInRouteList({ routeList: h.l1, routes: [h.r1] }), 1);
    step((x, h) => x.A.insertInRouteList({ routeList: h.l1, routes: [h.r2, h.r1] }), 2);   // r1 moves to the tail
    step((x, h) => x.A.insertInRouteList({ routeList: h.l2, routes: [h.r1] }), 2);         // to another list
    step((x, h) => x.A.insertInRouteList({ routeList: null, routes: [h.r2] }), 1);         // out of every list
    step((x, h) => { x.A.deleteRouteList(h.l2); l2Alive = x === m; }, 0);                 // its routes leave it
    step((x, h) => x.A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: x.nA, routeList: h.l1, returnHandle: false }), 1);
    step((x, h) => x.A.deleteRouteToDest(h.r1), 0);          // a deleted route leaves its list
    w.rtm.close();
    expect(extras(w.rtm)).toBe(base);
  });

  it('a time-to-live: armed, re-armed, cleared with INFINITE, fired; with a list the record stays until both go', () => {
    const [m, w] = worlds();
    const base = extras(w.rtm);
    const both = (f: (x: World) => void, want: number) => {
      f(m); f(w);
      expect(extras(w.rtm)).toBe(base + want);
      invariants(w.rtm);
      expect(w.pa.events.map((e) => e.type)).toEqual(m.pa.events.map((e) => e.type));
      const infoOf = (x: World) => [...x.A.routes({ views: ANY })].map((r) => { const i = x.A.getRouteInfo(r); x.A.releaseRouteInfo(i); return `${i.prefix}:${i.metric}`; });
      expect(infoOf(w)).toEqual(infoOf(m));
    };
    const lists: Record<string, RouteListHandle> = {};
    both((x) => { x.A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: x.nA, timeToLive: 1000, returnHandle: false }); }, 1);
    both((x) => { x.A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: x.nA, timeToLive: 2000, metric: 3, returnHandle: false }); }, 1);
    both((x) => { x.A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: x.nA, timeToLive: INFINITE, returnHandle: false }); }, 0);
    both((x) => {
      lists[x === m ? 'm' : 'w'] = x.A.createRouteList();
      x.A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: x.nA, timeToLive: 500, routeList: lists[x === m ? 'm' : 'w'], returnHandle: false });
    }, 1);
    both((x) => { x.A.insertInRouteList({ routeList: null, routes: [...x.A.routes({ views: ANY })] }); }, 1);   // the timer keeps it
    both((x) => { x.A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: x.nA, timeToLive: 700, returnHandle: false }); }, 2);
    both((x) => { x.clock.advance(600); x.rtm.runPending(); }, 1);   // 10.2 expired and was deleted
    both((x) => { x.clock.advance(200); x.rtm.runPending(); }, 0);   // 10.3 too
    w.rtm.close();
    expect(extras(w.rtm)).toBe(base);
  });

  it('a route deleted while in a list with a timer and kept by references: no extra record; the zombie list holds it', () => {
    const [m, w] = worlds();
    const base = extras(w.rtm);
    const run = (x: World) => {
      const l = x.A.createRouteList();
      const hs: RouteHandle[] = [];
      for (let i = 0; i < 4; i++) hs.push(x.A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: x.nA, timeToLive: 5000, routeList: l }).handle!);
      return { l, hs };
    };
    const hm = run(m), hw = run(w);
    expect(extras(w.rtm)).toBe(base + 4);
    // delete the second, third and first, each kept by a second reference (the delete consumes one)
    for (const i of [1, 2, 0]) {
      for (const [x, h] of [[m, hm], [w, hw]] as const) { x.A.referenceHandles([h.hs[i]]); x.A.deleteRouteToDest(h.hs[i]); }
      invariants(w.rtm);
    }
    expect(extras(w.rtm)).toBe(base + 1);
    const state = (x: World, h: RouteHandle) => { const i = x.A.getRouteInfo(h); x.A.releaseRouteInfo(i); return [i.state, i.prefix]; };
    for (let i = 0; i < 4; i++) expect(state(w, hw.hs[i])).toEqual(state(m, hm.hs[i]));
    expect(state(w, hw.hs[2])[0]).toBe(RTM_ROUTE_STATE_DELETED);
    expect(listRoutes(w.A, hw.l, 1).map((r) => hw.hs.indexOf(r))).toEqual([3]);
    expect(listRoutes(m.A, hm.l, 1).map((r) => hm.hs.indexOf(r))).toEqual([3]);
    // released out of order: the zombie list unlinks from its middle, its head and its tail
    for (const i of [2, 0]) { m.A.releaseRoutes([hm.hs[i]]); w.A.releaseRoutes([hw.hs[i]]); invariants(w.rtm); }
    // the timer of the live one fires; the last zombie goes at close
    for (const x of [m, w]) { x.clock.advance(5000); x.rtm.runPending(); }
    invariants(w.rtm);
    expect(extras(w.rtm)).toBe(base);
    expect(w.pa.events.map((e) => e.type)).toEqual(m.pa.events.map((e) => e.type));
    w.rtm.close();
    expect(extras(w.rtm)).toBe(base);
  });

  it('the neighbour: in the next-hop word when it is the one next hop or the route has none, else in the extra record', () => {
    const [m, w] = worlds();
    const base = extras(w.rtm);
    const n2 = new Map<World, NextHopHandle>();
    for (const x of [m, w]) n2.set(x, x.A.addNextHop({ address: '10.0.0.3', interfaceIndex: 3 }).handle!);
    const hs = new Map<World, RouteHandle[]>([[m, []], [w, []]]);
    // what getRouteInfo says of route i, next hops named (the model's and the core's handles differ)
    const picture = (x: World, i: number) => {
      const info = x.A.getRouteInfo(hs.get(x)![i]);
      x.A.releaseRouteInfo(info);
      const nm = (h: NextHopHandle | undefined) => (h === undefined ? '-' : h === x.nA ? 'nA' : h === n2.get(x) ? 'n2' : '?');
      return [info.state, info.prefix, nm(info.neighbour), info.nextHops.map(nm).join(',')];
    };
    const step = (f: (x: World, n2x: NextHopHandle, h: RouteHandle[]) => void, want: number) => {
      for (const x of [m, w]) f(x, n2.get(x)!, hs.get(x)!);
      expect(extras(w.rtm)).toBe(base + want);
      invariants(w.rtm);
      for (let i = 0; i < hs.get(w)!.length; i++) expect(picture(w, i)).toEqual(picture(m, i));
    };
    const add = (x: World, dest: string, nextHops: NextHopHandle[], h: RouteHandle[]) =>
      h.push(x.A.addRouteToDest({ dest, neighbour: x.nA, nextHops }).handle!);
    step((x, _, h) => add(x, '10.1.0.0/16', [x.nA], h), 0);          // the one next hop
    step((x, _, h) => add(x, '10.2.0.0/16', [], h), 0);              // no next hop
    step((x, n, h) => add(x, '10.3.0.0/16', [n], h), 1);             // another next hop
    step((x, n, h) => add(x, '10.4.0.0/16', [x.nA, n], h), 2);       // two next hops
    step((x, n, h) => { x.A.addRouteToDest({ dest: '10.1.0.0/16', route: h[0], neighbour: x.nA, nextHops: [n] }); }, 3);
    step((x, _, h) => { x.A.addRouteToDest({ dest: '10.3.0.0/16', route: h[2], neighbour: x.nA, nextHops: [x.nA] }); }, 2);
    step((x, n, h) => { x.A.addRouteToDest({ dest: '10.4.0.0/16', route: h[3], nextHops: [x.nA, n] }); }, 1);   // no neighbour
    step((x, _, h) => { x.A.addRouteToDest({ dest: '10.2.0.0/16', route: h[1], neighbour: x.nA, nextHops: [] }); }, 1);   // unchanged
    // deleted while referenced: the zombie keeps its neighbour (and its record) until the last release
    step((x, _, h) => { x.A.referenceHandles([h[0]]); x.A.deleteRouteToDest(h[0]); }, 1);
    step((x, _, h) => { x.A.referenceHandles([h[1]]); x.A.deleteRouteToDest(h[1]); }, 1);
    expect(picture(w, 0)[0]).toBe(RTM_ROUTE_STATE_DELETED);
    for (const x of [m, w]) x.A.releaseRoutes([hs.get(x)![0]]);
    expect(extras(w.rtm)).toBe(base);
    invariants(w.rtm);
    w.rtm.close();
    expect(extras(w.rtm)).toBe(base);
  });

  it('teardown frees the extra records of routes in lists and with timers (and parked timers of locked destinations)', () => {
    const w = setup(WASM);
    const base = extras(w.rtm);
    const l = w.A.createRouteList();
    for (let i = 0; i < 40; i++) {
      w.A.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: w.nA, timeToLive: i % 3 === 0 ? undefined : 1000 + i,
        routeList: i % 2 === 0 ? l : undefined, returnHandle: false });
    }
    const d = w.A.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    w.A.lockDestination({ dest: d.handle, exclusive: true });
    w.A.releaseDestInfo(d);
    w.clock.advance(2000);   // the locked destination's expiry waits (parked)
    w.rtm.runPending();
    expect(extras(w.rtm)).toBeGreaterThan(base);
    invariants(w.rtm);
    w.rtm.close();
    expect(extras(w.rtm)).toBe(base);
  });
});

/** One side of the seeded stream: handles by stream index, names by handle. */
interface Side { x: World; routes: (RouteHandle | undefined)[]; held: [RouteHandle, number][]; lists: RouteListHandle[]; ren?: EnumHandle; len?: EnumHandle;
  names: Map<number, string> }

describe('route extra records: a seeded stream against the model', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}`, () => {
      const [m, w] = worlds();
      const base = extras(w.rtm);
      const sides: Side[] = [m, w].map((x) => ({ x, routes: [], held: [], lists: [], names: new Map() }));
      const rnd = mulberry32(seed);
      const pick = (n: number) => Math.floor((rnd() / 4294967296) * n);
      const dests = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.2.0.0/16'];
      const code = (f: () => unknown): string => { try { f(); return 'ok'; } catch (e) { if (e instanceof RtmError) return e.code; throw e; } };
      const name = (s: Side, h: RouteHandle) => s.names.get(h as number) ?? '?';
      for (let step = 0; step < 400; step++) {
        const op = pick(10);
        const a = pick(1 << 16), b = pick(1 << 16), c = pick(1 << 16);
        const out: unknown[] = [];
        for (const s of sides) {
          const x = s.x, E = a % 2 === 0 ? x.A : x.B, nb = a % 2 === 0 ? x.nA : x.nB;
          let got: unknown;
          if (op <= 2) {
            // add or update: random preference, a time-to-live (none, some, INFINITE), a list of the owner
            const ttl = [undefined, 200 + (b % 800), INFINITE][b % 3];
            const own = s.lists.filter((_, i) => i % 2 === a % 2);
            const list = c % 3 === 0 && own.length > 0 ? own[c % own.length] : undefined;
            got = code(() => {
              const r = E.addRouteToDest({ dest: dests[b % dests.length], neighbour: nb, preference: 1 + (c % 3), metric: c % 2,
                timeToLive: ttl, routeList: list, views: [UCAST, UCAST | MCAST, MCAST][c % 3] });
              s.routes.push(r.handle!); s.held.push([r.handle!, a % 2]);
              if (!s.names.has(r.handle as number)) s.names.set(r.handle as number, `r${s.names.size}`);
            });
          } else if (op === 3) {
            if (s.lists.length < 4) { const l = (s.lists.length % 2 === 0 ? x.A : x.B).createRouteList(); s.lists.push(l); }
            got = s.lists.length;
          } else if (op === 4 && s.routes.length > 0) {
            // routes of one owner into one of its lists, or out of every list
            const i = s.lists.length > 0 ? b % s.lists.length : -1;
            const owner = i < 0 ? E : i % 2 === 0 ? x.A : x.B;
            const rs = [s.routes[b % s.routes.length], s.routes[c % s.routes.length]].filter((r) => r !== undefined) as RouteHandle[];
            got = code(() => owner.insertInRouteList({ routeList: i < 0 || c % 4 === 0 ? null : s.lists[i], routes: rs }));
          } else if (op === 5 && s.routes.length > 0) {
            // delete (the caller's reference goes with it); half of the time a second reference keeps the route
            const r = s.routes[b % s.routes.length]!;
            const keep = c % 2 === 0 ? code(() => { E.referenceHandles([r]); s.held.push([r, a % 2]); }) : 'no';
            got = [keep, code(() => E.deleteRouteToDest(r))];
          } else if (op === 6 && s.held.length > 0) {
            // release one reference an add returned (its caller's), after reading the route's state
            const [r, owner] = s.held.splice(b % s.held.length, 1)[0];
            const O = owner === 0 ? x.A : x.B;
            let info: unknown[] = [];
            const c1 = code(() => { const inf = O.getRouteInfo(r); O.releaseRouteInfo(inf); info = [inf.state, inf.prefix, inf.preference]; });
            got = [c1, info, code(() => O.releaseRoutes([r]))];
          } else if (op === 7) {
            x.clock.advance(b % 400);
            x.rtm.runPending();
            got = x.pa.events.length + x.pb.events.length;
          } else if (op === 8) {
            // the live route cursor: created with random views, read in batches of 1..3
            if (s.ren === undefined || c % 7 === 0) {
              if (s.ren !== undefined) x.A.deleteEnumHandle(s.ren);
              s.ren = x.A.createRouteEnum({ views: [ANY, UCAST, MCAST][b % 3] });
            }
            const batch = x.A.getEnumRoutes({ enumHandle: s.ren, count: 1 + (a % 3) });
            x.A.releaseRoutes(batch.items);
            got = [batch.items.map((h) => name(s, h)), batch.done];
            if (batch.done) { x.A.deleteEnumHandle(s.ren); s.ren = undefined; }
          } else if (op === 9 && s.lists.length > 0) {
            const i = b % s.lists.length;
            const owner = i % 2 === 0 ? x.A : x.B;
            const en = owner.createRouteListEnum(s.lists[i]);
            const seen: string[] = [];
            for (;;) {
              const batch = owner.getListEnumRoutes({ enumHandle: en, count: 1 + (a % 2) });
              seen.push(...batch.items.map((h) => name(s, h)));
              owner.releaseRoutes(batch.items);
              if (batch.done) break;
            }
            owner.deleteEnumHandle(en);
            got = seen;
          }
          out.push(got);
        }
        expect(out[1], `seed ${seed} step ${step} op ${op}`).toEqual(out[0]);
        invariants(w.rtm);
        expect(w.pa.events.map((e) => e.type)).toEqual(m.pa.events.map((e) => e.type));
      }
      for (const s of sides) if (s.ren !== undefined) s.x.A.deleteEnumHandle(s.ren);
      expect(extras(w.rtm)).toBeGreaterThanOrEqual(base);
      w.rtm.close();
      expect(extras(w.rtm)).toBe(base);
    });
  }
});
