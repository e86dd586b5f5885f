// Differential test of the dynamics layer: the WASM facade and the reference model are driven with the
// same seeded stream of operations — route adds / updates / deletes, next-hop adds / deletes, destination
// locks, in-place updates through owner views, opaque slot writes, hold-downs and elapsing time (when the
// build has hold-down) — interleaved with destination, route
// and next-hop enumerations that are created with random options and read in random batch sizes while the
// table changes between batches (live cursors, D-45). Every result (batches, infos, change flags, error
// codes) is compared; every 100 operations the whole table is compared through dests()/routes(). Handles
// differ between implementations, so each side maps its handles to names in order of first appearance.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_ENUM_NEXT, RTM_ENUM_OWN_DESTS, RTM_ENUM_OWN_ROUTES, RTM_ENUM_RANGE,
  RTM_MATCH_INTERFACE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_NEXTHOP, RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_THIS_PROTOCOL,
  RTM_VIEW_MASK_ALL,
} from '../../src/win32/constants.js';
import type {
  DestHandle, DestInfo, EntityHandle, EntityLike, EnumHandle, NextHopHandle, RouteHandle, RouteInfo, RtmLike,
} from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';

type Family = 'ipv4' | 'ipv6';
type EnumKind = 'dest' | 'route' | 'nextHop';

interface Side {
  readonly rtm: RtmLike;
  readonly ents: EntityLike[];
  /** Route handles by stream index (each carried one reference of its owner when added). */
  readonly routes: (RouteHandle | undefined)[];
  readonly nextHops: (NextHopHandle | undefined)[];
  readonly enums: (EnumHandle | undefined)[];
  /** Handle → name, in order of first appearance. */
  readonly names: Map<number, string>;
}

/** A small nested prefix pool, so that routes compete and ranges have sub-trees. */
function prefixPool(rnd: () => number, family: Family, n: number): string[] {
  const out = new Set<string>();
  const v4 = (w: number, len: number): string => {
    const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const x = (w & m) >>> 0;
    return `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}/${len}`;
  };
  const v6 = (g: number[], len: number): string => {
    const h = g.map((x, i) => { const keep = len - 16 * i; return keep <= 0 ? 0 : keep < 16 ? x & ((0xffff << (16 - keep)) & 0xffff) : x; });
    return `${h.map((x) => x.toString(16)).join(':')}/${len}`;
  };
  while (out.size < n) {
    if (family === 'ipv4') {
      const w = ((rnd() % 3 === 0 ? 11 : 10) << 24 | (rnd() & 0x0303ff00)) >>> 0;
      out.add(v4(w, [0, 8, 12, 14, 16, 16, 20, 22, 24, 24, 24, 32][rnd() % 12]));
    } else {
      const g = [0x2001, rnd() % 3 === 0 ? 0x0db9 : 0x0db8, rnd() & 0x0303, rnd() & 0x0101, 0, 0, 0, rnd() & 0xff];
      out.add(v6(g, [0, 16, 32, 36, 40, 44, 48, 48, 48, 56, 64, 128][rnd() % 12]));
    }
  }
  return [...out];
}

function attempt<T>(f: () => T): T | string {
  try { return f(); } catch (e) { if (e instanceof RtmError) return `!${e.code}`; throw e; }
}

function name(s: Side, kind: string, h: number | undefined): string | undefined {
  if (h === undefined) return undefined;
  let n = s.names.get(h);
  if (n === undefined) { n = `${kind}${s.names.size}`; s.names.set(h, n); }
  return n;
}

function destView(s: Side, d: DestInfo): unknown {
  return {
    handle: name(s, 'd', d.handle), prefix: d.prefix, address: d.address, lastChanged: d.lastChanged, views: d.views,
    viewInfo: d.viewInfo.map((v) => ({ ...v, route: name(s, 'r', v.route), owner: name(s, 'e', v.owner), holdRoute: name(s, 'r', v.holdRoute) })),
  };
}

function routeView(s: Side, r: RouteInfo): unknown {
  return {
    ...r, dest: name(s, 'd', r.dest), owner: name(s, 'e', r.owner), neighbour: name(s, 'n', r.neighbour),
    nextHops: r.nextHops.map((n) => name(s, 'n', n)),
  };
}

const SEEDS: [number, Family][] = [[1, 'ipv4'], [2, 'ipv4'], [3, 'ipv6'], [4, 'ipv4'], [5, 'ipv6']];

describe('dynamics: WASM facade against the reference model', () => {
  it.each(SEEDS)('agrees on enumerations, locks, owner views and opaque slots (seed %i, %s)', (seed, family) => {
    const rnd = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
    const chance = (p: number): boolean => rnd() / 4294967296 < p;
    const OPS = 1500;
    const pool = prefixPool(rnd, family, 48);
    const sides: Side[] = [
      createModel({ clock: new VirtualClock(), maxHandlesInEnum: 6 }),
      Rtm.createSync({ clock: new VirtualClock(), maxHandlesInEnum: 6, build: 'debug' }) as unknown as RtmLike,
    ].map((rtm) => ({ rtm, ents: [], routes: [], nextHops: [], enums: [], names: new Map() }));
    const nhOwner: number[] = [], nhAddr: string[] = [], nhIf: number[] = [];
    const routeOwner: number[] = [], routeGone = new Set<number>(), nhGone = new Set<number>(), enumGone = new Set<number>();
    /** An index of `n`, mostly among those not in `gone` (the others exercise the error paths). */
    const pickIndex = (n: number, gone: Set<number>): number => {
      const alive = Array.from({ length: n }, (_, i) => i).filter((i) => !gone.has(i));
      return alive.length > 0 && chance(0.9) ? pick(alive) : rnd() % n;
    };
    const enumKind: EnumKind[] = [], enumOwner: number[] = [];
    const held: { e: number; prefix: string; exclusive: boolean }[] = [];
    let op = 0;
    const label = (what: string): string => `seed ${seed}, op ${op}: ${what}`;
    /** Runs f on both sides and asserts the (normalised) results agree; returns the model's. */
    const both = <T>(what: string, f: (s: Side) => T): T | string => {
      const [a, b] = sides.map((s) => attempt(() => f(s)));
      expect(b, label(what)).toEqual(a);
      return a;
    };

    // entities: A (RIP, opaque slot), B (OSPF), C (BGP)
    for (const [i, proto] of [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP].entries()) {
      both('register', (s) => {
        const e = s.rtm.registerEntity({ addressFamily: family, protocolId: proto }, { reserveOpaquePointer: i === 0 });
        s.ents.push(e);
        return name(s, 'e', e.handle);
      });
    }
    const addr = (i: number): string => (family === 'ipv4' ? `192.168.${i >> 3}.${(i & 7) + 1}` : `fe80::${(i + 1).toString(16)}`);
    const addNextHop = (e: number): void => {
      const a = addr(rnd() % 24), ifIndex = 1 + (rnd() % 3);
      both(`addNextHop ${e} ${a}%${ifIndex}`, (s) => {
        const r = s.ents[e].addNextHop({ address: a, interfaceIndex: ifIndex });
        s.nextHops.push(r.handle);
        return [name(s, 'n', r.handle), r.changeFlags];
      });
      nhOwner.push(e);
      nhAddr.push(a);
      nhIf.push(ifIndex);
    };
    for (let e = 0; e < 3; e++) for (let k = 0; k < 3; k++) addNextHop(e);
    const hasHold = sides.every((s) => typeof (s.ents[0] as Partial<EntityLike>).holdDestination === 'function');
    const nhOf = (e: number): number | undefined => {
      const mine = nhOwner.map((o, i) => (o === e && !nhGone.has(i) ? i : -1)).filter((i) => i >= 0);
      return mine.length ? pick(mine) : undefined;
    };
    const destHandle = (s: Side, prefix: string): DestHandle | undefined => {
      const d = s.ents[1].getExactMatchDestination({ dest: prefix, views: 0 });
      if (!d) return undefined;
      s.ents[1].releaseDestInfo(d);
      return d.handle;
    };
    const randomViews = (): number | undefined => pick([undefined, 0, 1, 2, 3, RTM_VIEW_MASK_ALL]);

    const compareAll = (): void => {
      both('all destinations', (s) => [...s.ents[1].dests({ views: 0, batch: 1 + (op % 6) })].map((d) => {
        const full = s.ents[1].getDestInfo({ dest: d.handle });
        s.ents[1].releaseDestInfo(full);
        return [destView(s, d), destView(s, full)];
      }));
      both('all routes', (s) => [...s.ents[2].routes({ views: 0, batch: 1 + (op % 5) })].map((r) => {
        const info = s.ents[2].getRouteInfo(r);
        s.ents[2].releaseRouteInfo(info);
        return [name(s, 'r', r), routeView(s, info)];
      }));
      both('next hops', (s) => s.ents.map((e) => {
        const en = e.createNextHopEnum();
        const out: unknown[] = [];
        for (;;) {
          const { items, done } = e.getEnumNextHops({ enumHandle: en });
          out.push(...items.map((n) => name(s, 'n', n)));
          e.releaseNextHops(items);
          if (done) break;
        }
        e.deleteEnumHandle(en);
        return out;
      }));
    };

    for (op = 0; op < OPS; op++) {
      const x = rnd() % 100;
      const e = rnd() % 3;
      if (x < 22) {
        // add or update a route
        const prefix = pick(pool);
        const nh = chance(0.8) ? nhOf(e) : undefined;
        const o = {
          dest: prefix, preference: 10 * (rnd() % 3), metric: rnd() % 3, views: 1 + (rnd() % 3), flags: chance(0.2) ? 0x10 : 0,
          changeFlags: chance(0.15) ? 2 : 0, entitySpecificInfo: chance(0.2) ? `esi${rnd() % 3}` : undefined,
        };
        const r = both(`add ${e} ${prefix}`, (s) => {
          const hop = nh === undefined ? undefined : s.nextHops[nh];
          const res = s.ents[e].addRouteToDest({ ...o, neighbour: hop, nextHops: hop ? [hop] : [] });
          // keep one reference per route, so that a deletion frees it (a deleted route that is still
          // referenced keeps its destination present in the WASM core but not in the model: not this test's subject)
          if (s.routes.includes(res.handle)) s.ents[e].releaseRoutes([res.handle!]);
          s.routes.push(res.handle);
          return [name(s, 'r', res.handle), res.changeFlags];
        });
        if (typeof r === 'string') for (const s of sides) s.routes.push(undefined);
        routeOwner.push(e);
      } else if (x < 32 && routeOwner.length > 0) {
        // delete a route through its owner (it may be gone already)
        const i = pickIndex(routeOwner.length, routeGone);
        if (typeof both(`delete route ${i}`, (s) => s.ents[routeOwner[i]].deleteRouteToDest(s.routes[i]!)) === 'number') routeGone.add(i);
      } else if (x < 35) {
        addNextHop(e);
      } else if (x < 37 && nhOwner.length > 0) {
        const i = pickIndex(nhOwner.length, nhGone);
        both(`delete next hop ${i}`, (s) => s.ents[nhOwner[i]].deleteNextHop({ address: nhAddr[i], interfaceIndex: nhIf[i] }));
        for (let k = 0; k < nhOwner.length; k++) if (nhOwner[k] === nhOwner[i] && nhAddr[k] === nhAddr[i] && nhIf[k] === nhIf[i]) nhGone.add(k);
      } else if (x < 45) {
        // create an enumeration
        const kind = pick<EnumKind>(['dest', 'route', 'route', 'nextHop']);
        const range = pick([0, 0, RTM_ENUM_NEXT, RTM_ENUM_RANGE]);
        const start = chance(0.7) ? pick(pool) : undefined;
        const views = randomViews();
        const own = chance(0.3), protocolId = pick([undefined, 0, RTM_THIS_PROTOCOL, PROTO_IP_OSPF]);
        const mf = pick([0, 0, 0, RTM_MATCH_OWNER, RTM_MATCH_NEIGHBOUR, RTM_MATCH_PREF, RTM_MATCH_NEXTHOP, RTM_MATCH_INTERFACE]);
        const nh = nhOf(rnd() % 3), byDest = chance(0.2), critOwner = rnd() % 3, critPref = 10 * (rnd() % 3);
        const critMetric = rnd() % 3, ifIndex = 1 + (rnd() % 3);
        const r = both(`create ${kind} enum`, (s) => {
          const ent = s.ents[e];
          let h: EnumHandle;
          if (kind === 'dest') {
            h = ent.createDestEnum({ views, enumFlags: range | (own ? RTM_ENUM_OWN_DESTS : 0), startDest: start, protocolId });
          } else if (kind === 'route') {
            const hop = nh === undefined ? undefined : s.nextHops[nh];
            const dest = byDest && start ? destHandle(s, start) : undefined;
            h = ent.createRouteEnum({
              dest, views, enumFlags: range | (own ? RTM_ENUM_OWN_ROUTES : 0), startDest: start, matchFlags: mf,
              criteria: { owner: s.ents[critOwner].handle as EntityHandle, neighbour: hop, preference: critPref, metric: critMetric, nextHops: hop ? [hop] : [] },
              interfaceIndex: ifIndex,
            });
          } else {
            h = ent.createNextHopEnum({ enumFlags: range, address: start });
          }
          s.enums.push(h);
          return true;
        });
        if (typeof r === 'string') for (const s of sides) s.enums.push(undefined);
        enumKind.push(kind);
        enumOwner.push(e);
      } else if (x < 70 && enumKind.length > 0) {
        // next batch of an enumeration (table changes between batches exercise the live cursors)
        const i = pickIndex(enumKind.length, enumGone);
        const count = pick([undefined, 0, 1, 1, 2, 3, 5, 6, 7]);
        const o = enumOwner[i];
        both(`get ${enumKind[i]} enum ${i} count ${count}`, (s) => {
          const ent = s.ents[o], enumHandle = s.enums[i]!;
          if (enumKind[i] === 'dest') {
            const b = ent.getEnumDests({ enumHandle, count });
            ent.releaseDests(b.items);
            return { done: b.done, items: b.items.map((d) => destView(s, d)) };
          }
          if (enumKind[i] === 'route') {
            const b = ent.getEnumRoutes({ enumHandle, count });
            ent.releaseRoutes(b.items);
            return { done: b.done, items: b.items.map((r) => name(s, 'r', r)) };
          }
          const b = ent.getEnumNextHops({ enumHandle, count });
          ent.releaseNextHops(b.items);
          return { done: b.done, items: b.items.map((n) => name(s, 'n', n)) };
        });
      } else if (x < 74 && enumKind.length > 0) {
        const i = pickIndex(enumKind.length, enumGone);
        both(`delete enum ${i}`, (s) => s.ents[enumOwner[i]].deleteEnumHandle(s.enums[i]!));
        enumGone.add(i);
      } else if (x < 79) {
        // lock a destination (at most two locks held at a time)
        if (held.length >= 2) continue;
        const prefix = pick(pool), exclusive = chance(0.5);
        const r = both(`lock ${e} ${prefix} ${exclusive}`, (s) => {
          const d = destHandle(s, prefix);
          if (!d) return 'absent';
          s.ents[e].lockDestination({ dest: d, exclusive });
          return 'locked';
        });
        if (r === 'locked') held.push({ e, prefix, exclusive });
      } else if (x < 86 && held.length > 0) {
        const k = rnd() % held.length;
        const l = held.splice(k, 1)[0];
        both(`unlock ${l.e} ${l.prefix}`, (s) => {
          const d = destHandle(s, l.prefix);
          return d ? s.ents[l.e].lockDestination({ dest: d, exclusive: l.exclusive, lock: false }) : 'absent';
        });
      } else if (x < 93 && routeOwner.length > 0) {
        // in-place update through the owner view
        const i = pickIndex(routeOwner.length, routeGone), o = routeOwner[i];
        const metric = rnd() % 4, pref = 10 * (rnd() % 3), commit = chance(0.7), setPref = chance(0.5);
        both(`in-place update of route ${i}`, (s) => {
          const ent = s.ents[o], h = s.routes[i]!;
          const v = ent.lockRoute({ route: h, exclusive: true })!;
          v.metric = metric;
          if (setPref) v.preference = pref;
          const seen = [v.metric, v.preference, v.views, v.neighbour === undefined];
          const flags = commit ? ent.updateAndUnlockRoute({ route: h }) : ent.lockRoute({ route: h, exclusive: true, lock: false });
          return [seen, flags];
        });
      } else if (x < 97) {
        // an opaque slot value of A (pins the destination while non-NULL)
        const prefix = pick(pool), value = chance(0.5) ? `v${op}` : null;
        both(`opaque ${prefix}`, (s) => {
          const d = destHandle(s, prefix);
          if (!d) return 'absent';
          const slot = s.ents[0].getOpaqueInformationPointer(d)!;
          const old = slot.value;
          slot.value = value;
          return old;
        });
      } else if (x < 98 && hasHold) {
        // arm a hold-down (held routes show up in ANY enumerations only), or let time pass
        const prefix = pick(pool), views = 1 + (rnd() % 3), holdTime = 1 + (rnd() % 50);
        both(`hold ${prefix}`, (s) => {
          const d = destHandle(s, prefix);
          return d ? s.ents[e].holdDestination({ dest: d, views, holdTime }) : 'absent';
        });
      } else if (x < 99 && hasHold) {
        const ms = rnd() % 30;
        for (const s of sides) (s.rtm.clock as VirtualClock).advance(ms);
        both('runPending', (s) => s.rtm.runPending());
      } else {
        both('exact match ANY', (s) => pool.map((p) => destHandle(s, p) !== undefined));
      }
      if (op % 100 === 99) compareAll();
    }
    compareAll();
  });
});
