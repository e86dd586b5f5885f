// Differential test of the dynamics layer (issue 4): the WASM facade and the reference model receive the
// same seeded stream of route adds / updates (with time-to-live) / deletes, hold-downs, clock advances,
// marks and pulls of changed destinations, with several notification registrations of different views and
// change types (one restricted to marked destinations). After every operation the callbacks each side
// delivered (entity, type, route) and the touched destination (best and held routes per view) are
// compared; every pull compares exactly which destinations the registration's queue returned, in order.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import type { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import {
  ERROR_NOT_SUPPORTED, NO_ERROR, PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST,
  RTM_CHANGE_TYPE_FORWARDING, RTM_NOTIFY_ONLY_MARKED_DESTS, RTM_ROUTE_EXPIRED, RTM_CHANGE_NOTIFICATION,
} from '../../src/win32/constants.js';
import type { DestInfo, EntityLike, NextHopHandle, NotifyHandle, RouteHandle, RtmLike, RtmOptions } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { createWasm } from '../helpers/wasm-impl.js';
import { mulberry32 } from '../helpers/random.js';

interface Side {
  clock: VirtualClock;
  rtm: RtmLike;
  entities: EntityLike[];
  nextHops: NextHopHandle[][];
  routes: RouteHandle[];
  notifies: NotifyHandle[];
  events: string[];
}

function attempt<T>(f: () => T): T | string {
  try { return f(); } catch (e) { if (e instanceof RtmError) return `!${e.code}`; throw e; }
}

const PREFIXES = Array.from({ length: 60 }, (_, i) => (i < 6 ? `10.${i}.0.0/16` : `10.${i % 6}.${i}.0/24`));

describe('dynamics: WASM facade against the reference model', () => {
  // pad: registrations made first (owner 2, every change type, all views), so that the four below take
  // indexes pad.. — with 8, indexes 8..11, whose queued bits the core keeps apart from the first eight's
  // (layout DEST_QUEUED_INLINE, xindex.ts XI_QUEUED); the padding ones are pulled like the others
  it.each([[1, 0], [2, 0], [3, 0], [4, 8], [5, 9]])('agrees on TTL, hold-down and notification streams (seed %i, %i registrations first)', (seed, pad) => {
    const rnd = mulberry32(seed * 7919);
    const OPS = 1500;
    // entities 0 and 1 let the RTM delete expired routes, entity 2 keeps them (answers NO_ERROR)
    const protos = [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP];
    const sides: Side[] = [createModel, createWasm].map((create: (o?: RtmOptions) => RtmLike) => {
      const clock = new VirtualClock();
      const side: Side = { clock, rtm: create({ clock }), entities: [], nextHops: [], routes: [], notifies: [], events: [] };
      // the WASM IPv4 table keeps a unicast forwarding structure from its first destination (see below)
      if (create === createWasm) (side.rtm as unknown as Rtm).core.x.fibThreshold(1);
      protos.forEach((protocolId, ei) => {
        side.entities.push(side.rtm.registerEntity({ addressFamily: 'ipv4', protocolId, instanceId: 1 }, {
          onEvent: (type, c1) => {
            const ri = side.routes.indexOf(c1 as RouteHandle);
            const ni = side.notifies.indexOf(c1 as NotifyHandle);
            side.events.push(`${ei}:${type}:${type === RTM_ROUTE_EXPIRED ? `r${ri}` : type === RTM_CHANGE_NOTIFICATION ? `n${ni}` : ''}`);
            return type === RTM_ROUTE_EXPIRED && ei < 2 ? ERROR_NOT_SUPPORTED : NO_ERROR;
          },
        }));
      });
      side.entities.forEach((e, ei) => {
        side.nextHops.push([1, 2].map((k) => e.addNextHop({ address: `192.0.2.${10 * ei + k}`, interfaceIndex: k }).handle!));
      });
      // registrations: (owner, views, flags)
      const regs: [number, number, number][] = [
        ...Array.from({ length: pad }, (_, i): [number, number, number] => [2, 0, [RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST][i % 2]]),
        [0, 1, RTM_CHANGE_TYPE_BEST], [1, 0, RTM_CHANGE_TYPE_ALL], [2, 2, RTM_CHANGE_TYPE_FORWARDING],
        [1, 1, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS],
      ];
      for (const [owner, views, notifyFlags] of regs) side.notifies.push(side.entities[owner].registerForChangeNotification({ views, notifyFlags }));
      side.rtm.runPending();
      side.events.length = 0;
      return side;
    });
    const regOwner = [...Array.from({ length: pad }, () => 2), 0, 1, 2, 1];
    const marked = pad + 3;   // the registration restricted to marked destinations
    const routeOwner: number[] = [];

    const norm = (s: Side, info: DestInfo | undefined) => info && {
      prefix: info.prefix, views: info.views,
      viewInfo: info.viewInfo.map((v) => ({
        viewId: v.viewId, numRoutes: v.numRoutes, route: v.route === undefined ? -1 : s.routes.indexOf(v.route),
        hold: v.holdRoute === undefined ? -1 : s.routes.indexOf(v.holdRoute), destFlags: v.destFlags,
      })),
    };
    const probe = (s: Side, prefix: string) => attempt(() => {
      const e = s.entities[0];
      const info = e.getExactMatchDestination({ dest: prefix, views: 0 });
      if (!info) return undefined;
      e.releaseDestInfo(info);
      const full = e.getDestInfo({ dest: info.handle, views: 3 });
      const out = norm(s, full);
      e.releaseDestInfo(full);
      return out;
    });

    for (let op = 0; op < OPS; op++) {
      const tag = `seed ${seed}, op ${op}`;
      const r = rnd() % 100;
      let touched: string | undefined;
      if (r < 40) {
        // add or update, sometimes with a TTL
        const ei = rnd() % 3;
        const prefix = PREFIXES[rnd() % PREFIXES.length];
        const hop = rnd() % 2;
        const ttl = rnd() % 5 < 2 ? 1 + (rnd() % 4000) : undefined;
        const o = {
          dest: prefix, neighbour: sides[0].nextHops[ei][hop], preference: 10 * (rnd() % 3), metric: rnd() % 4,
          views: [1, 1, 2, 3][rnd() % 4], flags: [0, 0, 0x8][rnd() % 3], timeToLive: ttl,
        };
        const got = sides.map((s) => attempt(() => s.entities[ei].addRouteToDest({
          ...o, neighbour: s.nextHops[ei][hop], nextHops: [s.nextHops[ei][hop]],
        })));
        const flagsOf = (g: unknown) => (typeof g === 'string' ? g : (g as { changeFlags: number }).changeFlags);
        expect(flagsOf(got[1]), `${tag}: addRouteToDest ${prefix} ttl ${ttl}`).toBe(flagsOf(got[0]));
        if (typeof got[0] !== 'string') {
          const hs = got.map((g) => (g as { handle: RouteHandle }).handle);
          const known = sides[0].routes.indexOf(hs[0]);
          expect(sides[1].routes.indexOf(hs[1]), `${tag}: same route`).toBe(known);
          if (known < 0) { sides.forEach((s, i) => s.routes.push(hs[i])); routeOwner.push(ei); }
          else sides.forEach((s, i) => s.entities[ei].releaseRoutes([hs[i]]));
        }
        touched = prefix;
      } else if (r < 55) {
        // delete (the owner's own handle; deleted / expired / held ones give ERROR_NOT_FOUND)
        if (sides[0].routes.length === 0) continue;
        const ri = rnd() % sides[0].routes.length;
        const got = sides.map((s) => attempt(() => s.entities[routeOwner[ri]].deleteRouteToDest(s.routes[ri])));
        expect(got[1], `${tag}: deleteRouteToDest route ${ri}`).toBe(got[0]);
        if (typeof got[0] !== 'string') sides.forEach((s) => { s.routes[ri] = -1 as unknown as RouteHandle; });
      } else if (r < 62) {
        // arm hold-down on a destination that exists
        const prefix = PREFIXES[rnd() % PREFIXES.length];
        const views = [1, 2, 3][rnd() % 3], holdTime = 1 + (rnd() % 3000);
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[0];
          const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
          if (!d) return 'absent';
          e.releaseDestInfo(d);
          e.holdDestination({ dest: d.handle, views, holdTime });
          return 'held';
        }));
        expect(got[1], `${tag}: holdDestination ${prefix}`).toBe(got[0]);
        touched = prefix;
      } else if (r < 80) {
        // time passes: expiries and hold-down ends fire, each followed by its callbacks
        const ms = rnd() % 1500;
        sides.forEach((s) => s.clock.advance(ms));
      } else if (r < 93) {
        // pull a registration's queue
        const ni = rnd() % sides[0].notifies.length;
        const count = 1 + (rnd() % 5);
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[regOwner[ni]];
          const b = e.getChangedDests({ notifyHandle: s.notifies[ni], count });
          const out = { done: b.done, items: b.items.map((i) => norm(s, i)) };
          e.releaseChangedDests({ notifyHandle: s.notifies[ni], dests: b.items });
          return out;
        }));
        expect(got[1], `${tag}: getChangedDests registration ${ni} count ${count}`).toEqual(got[0]);
      } else {
        // mark / unmark a destination for the marked-only registration
        const prefix = PREFIXES[rnd() % PREFIXES.length];
        const mark = rnd() % 3 !== 0;
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[1];
          const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
          if (!d) return 'absent';
          e.releaseDestInfo(d);
          e.markDestForChangeNotification({ notifyHandle: s.notifies[marked], dest: d.handle, mark });
          return e.isMarkedForChangeNotification({ notifyHandle: s.notifies[marked], dest: d.handle });
        }));
        expect(got[1], `${tag}: mark ${prefix} ${mark}`).toBe(got[0]);
      }
      sides.forEach((s) => s.rtm.runPending());
      expect(sides[1].events, `${tag}: callbacks delivered`).toEqual(sides[0].events);
      sides.forEach((s) => { s.events.length = 0; });
      if (touched) expect(probe(sides[1], touched), `${tag}: destination ${touched}`).toEqual(probe(sides[0], touched));
      if (op % 100 === 99) {
        const v4 = (sides[1].rtm as unknown as Rtm).ipv4.core;
        expect(v4.checkInvariants(), `${tag}: core invariants (forwarding structure included)`).toBe(0);
        expect(v4.core.x.tableHasFib(v4.t), `${tag}: forwarding structure in use`).toBe(1);
        for (const p of PREFIXES) { const a = probe(sides[1], p), b = probe(sides[0], p); expect(a, `${tag}: full compare ${p}`).toEqual(b); }
      }
    }
    // drain: let every timer run out, then every queue must agree
    sides.forEach((s) => s.clock.advance(10_000));
    expect(sides[1].events).toEqual(sides[0].events);
    for (let ni = 0; ni < sides[0].notifies.length; ni++) {
      const got = sides.map((s) => {
        const e = s.entities[regOwner[ni]];
        const b = e.getChangedDests({ notifyHandle: s.notifies[ni], count: 100 });
        const out = b.items.map((i) => i.prefix);
        e.releaseChangedDests({ notifyHandle: s.notifies[ni], dests: b.items });
        return out;
      });
      expect(got[1], `seed ${seed}: final queue of registration ${ni}`).toEqual(got[0]);
    }
  });
});
