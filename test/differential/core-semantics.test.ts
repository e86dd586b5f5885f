// Differential test of the core semantics (issue 3): the WASM facade and the naive reference model are
// driven with the same seeded stream of register / add-next-hop / add / update (by neighbour, by handle,
// NEW, FIRST) / delete / deregister operations from several entities over a few thousand prefixes of both
// families. After every operation the results (change flags, error codes) are compared, together with the
// destination the operation touched (best route per view, route counts, flags) and random exact /
// most-specific / less-specific queries; every 250 operations the whole table is compared. Handles differ
// between implementations, so routes, next hops and entities are compared by their index in the stream.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import type { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, PROTO_IP_NT_STATIC, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGE_NEW,
  RTM_THIS_PROTOCOL, RTM_BEST_PROTOCOL,
} from '../../src/win32/constants.js';
import type { DestInfo, EntityLike, NextHopHandle, RouteHandle, RtmLike } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { createWasm } from '../helpers/wasm-impl.js';
import { mulberry32 } from '../helpers/random.js';

type Family = 'ipv4' | 'ipv6';
const PROTOS = [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP, PROTO_IP_NT_STATIC];

/** A nested prefix pool: chains under a few roots plus scattered prefixes, both families. */
function prefixPool(rnd: () => number, family: Family, n: number): string[] {
  const out = new Set<string>(family === 'ipv4' ? ['0.0.0.0/0', '10.0.0.0/8'] : ['::/0', '2001:db8::/32']);
  while (out.size < n) {
    if (family === 'ipv4') {
      const a = rnd() % 4 === 0 ? 10 : 1 + (rnd() % 223);
      const len = [8, 12, 16, 20, 22, 23, 24, 24, 24, 25, 28, 32][rnd() % 12];
      const v = ((a << 24) | (rnd() & 0xffffff)) >>> 0;
      const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const w = (v & m) >>> 0;
      out.add(`${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}/${len}`);
    } else {
      const len = [16, 29, 32, 36, 40, 44, 48, 48, 48, 56, 64, 128][rnd() % 12];
      const g = [0x2001, 0x0db8, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff];
      if (rnd() % 3 === 0) g[1] = rnd() & 0xffff;
      for (let i = 0; i < 8; i++) {
        const keep = len - 16 * i;
        if (keep <= 0) g[i] = 0; else if (keep < 16) g[i] &= (0xffff << (16 - keep)) & 0xffff;
      }
      out.add(`${g.map((x) => x.toString(16)).join(':')}/${len}`);
    }
  }
  return [...out];
}

function randomAddress(rnd: () => number, family: Family, pool: string[]): string {
  const p = pool[rnd() % pool.length];
  if (family === 'ipv4') {
    const [a, len] = p.split('/');
    const parts = a.split('.').map(Number);
    const v = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
    const m = +len === 0 ? 0 : (0xffffffff << (32 - +len)) >>> 0;
    const x = ((v & m) | (rnd() & ~m)) >>> 0;
    return `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
  }
  return p.split('/')[0];
}

interface Side { rtm: RtmLike; entities: (EntityLike | undefined)[]; routes: (RouteHandle | undefined)[]; nextHops: (NextHopHandle | undefined)[] }

/** Runs f on a side, returning its value or the RtmError code. */
function attempt<T>(f: () => T): T | string {
  try { return f(); } catch (e) { if (e instanceof RtmError) return `!${e.code}`; throw e; }
}

describe('core semantics: WASM facade against the reference model', () => {
  it.each([1, 2, 3])('agrees on a random operation stream (seed %i)', (seed) => {
    const rnd = mulberry32(seed);
    const OPS = 3000;
    const pools: Record<Family, string[]> = { ipv4: prefixPool(rnd, 'ipv4', 1500), ipv6: prefixPool(rnd, 'ipv6', 1000) };
    const sides: Side[] = [createModel, createWasm].map((create) => ({
      rtm: create({ clock: new VirtualClock() }), entities: [], routes: [], nextHops: [],
    }));
    // the WASM IPv4 table builds its unicast forwarding structure at its first destination, so every
    // operation below also keeps it in step; the debug invariants compare it with the trie
    const wasmV4 = (sides[1].rtm as unknown as Rtm).ipv4.core;
    wasmV4.core.x.fibThreshold(1);
    // the IPv6 table likewise builds both of its structures (fib6.ts: unicast and multicast view) at once
    const wasmV6 = (sides[1].rtm as unknown as Rtm).ipv6.core;
    wasmV6.core.x.fib6Threshold(1);
    const entFamily: Family[] = [], entProto: number[] = [];
    const routeOwner: number[] = [], routePrefix: string[] = [];
    const nhOwner: number[] = [];

    /** A side's destination info with handles replaced by stream indexes. */
    const norm = (s: Side, info: DestInfo | undefined) => {
      if (!info) return undefined;
      const routeIdx = (h: RouteHandle | undefined) => (h === undefined ? -1 : s.routes.indexOf(h));
      const entIdx = (h: unknown) => (h === undefined ? -1 : s.entities.findIndex((e) => e?.handle === h));
      return {
        prefix: info.prefix, views: info.views,
        viewInfo: info.viewInfo.map((v) => ({ viewId: v.viewId, numRoutes: v.numRoutes, route: routeIdx(v.route), owner: entIdx(v.owner), destFlags: v.destFlags })),
      };
    };
    const query = (s: Side, e: EntityLike, kind: number, target: string, views: number, protocolId: number) => attempt(() => {
      let info: DestInfo | undefined;
      if (kind === 0) info = e.getExactMatchDestination({ dest: target, views, protocolId });
      else if (kind === 1) info = e.getMostSpecificDestination({ dest: target, views, protocolId });
      else {
        const d = e.getExactMatchDestination({ dest: target, views: 0 });
        if (!d) return 'absent';
        e.releaseDestInfo(d);
        info = e.getLessSpecificDestination({ dest: d.handle, views, protocolId });
      }
      const out = norm(s, info);
      if (info) e.releaseDestInfo(info);
      return out;
    });
    const liveEntities = () => sides[0].entities.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);

    for (let op = 0; op < OPS; op++) {
      const tag = `seed ${seed}, op ${op}`;
      const r = rnd() % 100;
      const live = liveEntities();
      let touched: { family: Family; prefix: string; observer: number } | undefined;
      if (live.length < 2 || r < 3) {
        // register (sometimes a duplicate identity)
        const family: Family = rnd() % 3 === 0 ? 'ipv6' : 'ipv4';
        const proto = PROTOS[rnd() % PROTOS.length], inst = rnd() % 3;
        const got = sides.map((s) => attempt(() => s.rtm.registerEntity({ addressFamily: family, protocolId: proto, instanceId: inst })));
        expect(typeof got[0] === 'string' ? got[0] : 'ok', `${tag}: register`).toBe(typeof got[1] === 'string' ? got[1] : 'ok');
        if (typeof got[0] !== 'string') {
          sides.forEach((s, i) => s.entities.push(got[i] as EntityLike));
          entFamily.push(family); entProto.push(proto);
        }
      } else if (r < 15) {
        // next hop (find-or-create; a small address pool so finds happen)
        const ei = live[rnd() % live.length];
        const family = entFamily[ei];
        const address = family === 'ipv4' ? `192.0.2.${1 + (rnd() % 6)}` : `2001:db8:ffff::${1 + (rnd() % 6)}`;
        const interfaceIndex = 1 + (rnd() % 2);
        const got = sides.map((s) => attempt(() => s.entities[ei]!.addNextHop({ address, interfaceIndex })));
        expect(got.map((g) => (typeof g === 'string' ? g : g.changeFlags)), `${tag}: addNextHop`).toEqual(
          [got[0], got[0]].map((g) => (typeof g === 'string' ? g : g.changeFlags)));
        if (typeof got[0] !== 'string') {
          sides.forEach((s, i) => s.nextHops.push((got[i] as { handle: NextHopHandle }).handle));
          nhOwner.push(ei);
        }
      } else if (r < 70) {
        // add or update a route
        const ei = live[rnd() % live.length];
        const family = entFamily[ei];
        const byHandle = rnd() % 5 === 0;
        const mine = routeOwner.map((o, i) => (o === ei ? i : -1)).filter((i) => i >= 0);
        const ri = byHandle && mine.length > 0 ? mine[rnd() % mine.length] : -1;
        // most adds go to a hot set of prefixes so that routes compete (ties, incumbents, NEW/FIRST)
        const hot = rnd() % 5 !== 0;
        const prefix = ri >= 0 ? routePrefix[ri] : pools[family][rnd() % (hot ? 40 : pools[family].length)];
        const hops = nhOwner.map((o, i) => (o === ei ? i : -1)).filter((i) => i >= 0);
        // mostly own next hops; sometimes a foreign one (ERROR_INVALID_PARAMETER)
        const foreign = rnd() % 40 === 0 && sides[0].nextHops.length > 0;
        const pick = () => (foreign ? rnd() % sides[0].nextHops.length : hops.length ? hops[rnd() % hops.length] : -1);
        const nb = rnd() % 4 === 0 ? -1 : pick();
        const nextHops = [...new Set([pick(), pick()].filter((x) => x >= 0))].slice(0, 1 + (rnd() % 2));
        const preference = 10 * (rnd() % 4), metric = rnd() % 5;
        const views = [1, 1, 1, 2, 3, 0][rnd() % 6];
        const flags = [0, 0, 0x10, 0x8, 0x30][rnd() % 5];
        const changeFlags = [0, 0, 0, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_CHANGE_FIRST][rnd() % 5];
        const got = sides.map((s) => attempt(() => s.entities[ei]!.addRouteToDest({
          dest: prefix, route: ri >= 0 ? s.routes[ri] : undefined, neighbour: nb >= 0 ? s.nextHops[nb] : undefined,
          nextHops: nextHops.map((i) => s.nextHops[i]!), preference, metric, views, flags, changeFlags,
        })));
        const flagsOf = (g: unknown) => (typeof g === 'string' ? g : (g as { changeFlags: number }).changeFlags);
        expect(flagsOf(got[1]), `${tag}: addRouteToDest ${prefix} (route ${ri}, flags ${changeFlags})`).toBe(flagsOf(got[0]));
        if (typeof got[0] !== 'string' && ri < 0) {
          const hm = (got[0] as { handle: RouteHandle }).handle, hw = (got[1] as { handle: RouteHandle }).handle;
          const known = sides[0].routes.indexOf(hm);
          expect(sides[1].routes.indexOf(hw), `${tag}: same route identified`).toBe(known);
          if (known < 0) {
            sides[0].routes.push(hm); sides[1].routes.push(hw);
            routeOwner.push(ei); routePrefix.push(prefix);
          } else {
            sides.forEach((s, i) => s.entities[ei]!.releaseRoutes([(got[i] as { handle: RouteHandle }).handle]));
          }
        }
        touched = { family, prefix, observer: ei };
      } else if (r < 85) {
        // delete a route (any owner: ERROR_ACCESS_DENIED / ERROR_NOT_FOUND paths included)
        if (sides[0].routes.length === 0) continue;
        const ri = rnd() % sides[0].routes.length;
        const ei = rnd() % 2 === 0 && sides[0].entities[routeOwner[ri]] ? routeOwner[ri] : live[rnd() % live.length];
        const got = sides.map((s) => attempt(() => s.entities[ei]!.deleteRouteToDest(s.routes[ri]!)));
        expect(got[1], `${tag}: deleteRouteToDest route ${ri} by entity ${ei}`).toBe(got[0]);
        touched = { family: entFamily[routeOwner[ri]], prefix: routePrefix[ri], observer: live[0] };
      } else if (r < 87 && live.length > 3) {
        // deregister
        const ei = live[rnd() % live.length];
        sides.forEach((s) => { s.entities[ei]!.deregister(); s.entities[ei] = undefined; });
        sides.forEach((s) => s.rtm.runPending());
      } else {
        // queries: exact / most specific / less specific, random views and protocol selector
        const ei = live[rnd() % live.length];
        const family = entFamily[ei];
        const kind = rnd() % 3;
        const target = kind === 1 && rnd() % 2 === 0 ? randomAddress(rnd, family, pools[family]) : pools[family][rnd() % pools[family].length];
        const views = [0, 1, 2, 3, 0xffffffff][rnd() % 5];
        const protocolId = [RTM_BEST_PROTOCOL, RTM_BEST_PROTOCOL, RTM_THIS_PROTOCOL, PROTOS[rnd() % PROTOS.length]][rnd() % 4];
        const got = sides.map((s) => query(s, s.entities[ei]!, kind, target, views, protocolId));
        expect(got[1], `${tag}: query ${kind} ${target} views ${views} proto ${protocolId}`).toEqual(got[0]);
      }
      if (touched && sides[0].entities[touched.observer]) {
        const got = sides.map((s) => query(s, s.entities[touched!.observer]!, 0, touched!.prefix, 0xffffffff, 0));
        expect(got[1], `${tag}: destination ${touched.prefix} after the operation`).toEqual(got[0]);
      }
      if (op % 250 === 249) {
        expect(wasmV4.checkInvariants(), `${tag}: core invariants (forwarding structure included)`).toBe(0);
        expect(wasmV4.core.x.tableHasFib(wasmV4.t), `${tag}: forwarding structure in use`).toBe(1);
        expect(wasmV6.checkInvariants(), `${tag}: IPv6 core invariants (forwarding structures included)`).toBe(0);
        expect(wasmV6.core.x.tableHasFib6(wasmV6.t, 0), `${tag}: IPv6 forwarding structure in use`).toBe(1);
        // whole-table comparison through one observer per family
        for (const family of ['ipv4', 'ipv6'] as Family[]) {
          const ei = liveEntities().find((i) => entFamily[i] === family);
          if (ei === undefined) continue;
          for (const p of pools[family]) {
            const got = sides.map((s) => query(s, s.entities[ei]!, 0, p, 0xffffffff, 0));
            expect(got[1], `${tag}: full compare ${p}`).toEqual(got[0]);
          }
        }
      }
    }
    // route counts: every live route of the stream is live on both sides
    const states = sides.map((s) => s.routes.map((h, ri) => attempt(() => {
      const obs = s.entities.find((e, i) => e !== undefined && entFamily[i] === entFamily[routeOwner[ri]]);
      if (!obs) return 'no observer';
      const i = obs.getRouteInfo(h!);
      obs.releaseRouteInfo(i);
      return `${i.state}/${i.preference}/${i.metric}/${i.views}/${i.flags}`;
    })));
    expect(states[1]).toEqual(states[0]);
    const wasm = sides[1].rtm as unknown as { ipv4: { routeCount: number }; ipv6: { routeCount: number } };
    const liveCount = states[0].filter((x) => typeof x === 'string' && x.startsWith('0/')).length;
    expect(wasm.ipv4.routeCount + wasm.ipv6.routeCount).toBe(liveCount);
  });
});
