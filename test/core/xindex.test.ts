// The extra index (issue 13, assembly/xindex.ts): a destination or a route names its extra record through
// a core-wide hash map (record slot → extra slot) and a bit of its own record, not through a word of its
// own. The debug core's invariants check the map after every step here: each extra record found from its
// home without crossing an empty entry, one entry per record, the record's bit and the map agreeing. The
// differential tests (route-extra, fib-multicast, the fuzz campaign) compare the public picture with the
// reference model; here the map itself is driven hard:
// - thousands of routes entering, moving between and leaving route lists in random order, with timers
//   armed and cleared (the route map doubles, collides and shifts entries back on deletion), against a
//   plain picture of which route is in which list;
// - thousands of held destinations (their hold words live in the extra record), each released again;
// - closing the instance gives the maps' memory back (memoryInUseBytes as before it was made).
import { describe, expect, it } from 'vitest';
import { createCoreSync } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
import type { RouteHandle, RouteListHandle } from '../../src/types.js';
import { INFINITE, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_UCAST as UCAST } from '../../src/win32/constants.js';
import { mulberry32 } from '../helpers/random.js';

function world() {
  const core = createCoreSync('debug');
  const base = core.x.memoryInUseBytes() as number;
  const clock = new VirtualClock();
  const rtm = Rtm.createSync({ core, families: ['ipv4'], build: 'debug', clock });
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 }) as Entity;
  const nh = A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  const check = () => expect(core.x.checkInvariants(rtm.ipv4.core.t)).toBe(0);
  return { core, base, clock, rtm, A, nh, check };
}

const prefix = (i: number) => `10.${i >> 8}.${i & 255}.0/24`;

describe('the extra index', () => {
  it('routes in and out of lists and timers in random order: every extra record found, the lists as driven', () => {
    const { core, base, rtm, A, nh, check } = world();
    const N = 3000;
    const routes: RouteHandle[] = [];
    for (let i = 0; i < N; i++) routes.push(A.addRouteToDest({ dest: prefix(i), neighbour: nh }).handle!);
    const lists: RouteListHandle[] = [A.createRouteList(), A.createRouteList()];
    const inList = new Array<number>(N).fill(-1), timed = new Array<boolean>(N).fill(false);
    const rnd = mulberry32(1313);
    const expected = () => inList.reduce((n, l, i) => n + (l >= 0 || timed[i] ? 1 : 0), 0);
    let peak = 0;
    for (let step = 0; step < 12_000; step++) {
      const i = (rnd() % N), op = (rnd() % 6);
      if (op < 2) { A.insertInRouteList({ routeList: lists[op], routes: [routes[i]] }); inList[i] = op; }
      else if (op === 2) { A.insertInRouteList({ routeList: null, routes: [routes[i]] }); inList[i] = -1; }
      else if (op === 3) { A.addRouteToDest({ dest: prefix(i), neighbour: nh, timeToLive: 60_000, returnHandle: false }); timed[i] = true; }
      else if (op === 4) { A.addRouteToDest({ dest: prefix(i), neighbour: nh, timeToLive: INFINITE, returnHandle: false }); timed[i] = false; }
      else {
        // a batch into one list: one reservation for all of them
        const batch = Array.from({ length: 40 }, () => (rnd() % N));
        const l = (rnd() % 2);
        A.insertInRouteList({ routeList: lists[l], routes: batch.map((j) => routes[j]) });
        for (const j of batch) inList[j] = l;
      }
      peak = Math.max(peak, expected());
      expect(core.x.routeExtraCount()).toBe(expected());
      if (step % 500 === 0) check();
    }
    check();
    expect(peak).toBeGreaterThan(2000);   // the map held thousands (it doubled from 8 entries)
    // each list holds exactly the routes driven into it, in some order
    for (let l = 0; l < 2; l++) {
      const en = A.createRouteListEnum(lists[l]);
      const got: RouteHandle[] = [];
      for (;;) {
        const b = A.getListEnumRoutes({ enumHandle: en, count: 100 });
        got.push(...b.items);
        A.releaseRoutes(b.items);
        if (b.done) break;
      }
      A.deleteEnumHandle(en);
      const want = routes.filter((_, i) => inList[i] === l);
      expect(got.slice().sort((a, b) => a - b)).toEqual(want.slice().sort((a, b) => a - b));
    }
    // every route out of every list and timer: no extra record, no entry
    for (let i = 0; i < N; i += 2000) A.insertInRouteList({ routeList: null, routes: routes.slice(i, i + 2000) });
    for (let i = 0; i < N; i++) if (timed[i]) A.addRouteToDest({ dest: prefix(i), neighbour: nh, timeToLive: INFINITE, returnHandle: false });
    expect(core.x.routeExtraCount()).toBe(0);
    check();
    rtm.close();
    expect(core.x.memoryInUseBytes()).toBe(base);
  });

  it('held destinations: thousands of destination extra records, each gone when its hold ends', () => {
    const { core, base, clock, rtm, A, nh, check } = world();
    const N = 2500;
    const routes: RouteHandle[] = [];
    for (let i = 0; i < N; i++) routes.push(A.addRouteToDest({ dest: prefix(i), neighbour: nh }).handle!);
    // hold-down armed on every other destination, in a scattered order
    const rnd = mulberry32(77);
    const held = new Set<number>();
    while (held.size < N / 2) held.add((rnd() % N));
    for (const i of held) {
      const d = A.getExactMatchDestination({ dest: prefix(i) })!;
      A.releaseDestInfo(d);
      A.holdDestination({ dest: d.handle, holdTime: 1_000 + i });
    }
    expect(core.x.destExtraCount()).toBe(held.size);
    check();
    // deleting a held destination's route holds it down: its hold route is an extra word
    for (const i of held) A.deleteRouteToDest(routes[i]);
    rtm.runPending();
    check();
    for (const i of held) {
      const d = A.getExactMatchDestination({ dest: prefix(i), views: ANY })!;   // held: in no view
      const u = A.getDestInfo({ dest: d.handle, views: UCAST });
      A.releaseDestInfo(d);
      A.releaseDestInfo(u);
      expect([u.views, u.viewInfo[0].holdRoute === routes[i]]).toEqual([0, true]);
    }
    // the holds end one by one, in time order
    for (let t = 0; t <= N + 1_000; t += 250) {
      clock.advance(250);
      rtm.runPending();
      if (t % 1000 === 0) check();
    }
    check();
    for (const i of held) expect(A.getExactMatchDestination({ dest: prefix(i), views: ANY })).toBeUndefined();
    expect(core.x.destExtraCount()).toBe(0);
    rtm.close();
    expect(core.x.memoryInUseBytes()).toBe(base);
  });
});
