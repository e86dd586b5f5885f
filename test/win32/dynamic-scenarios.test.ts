// Spec §13 scenarios 9–21, 24–26, 28–30 through the Win32 layer: expiry, hold-down, change
// notification, enumerations, route lists, opaque pointers, methods, deregistration clean-up, locks and
// in-place updates through the live RTM_ROUTE_INFO pointer. Each block runs on the implementations that
// have the parts of the dynamics layer it needs (implsWith): the model, and the WASM facade as it grows
// them.
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import {
  addRoute, addRouteOk, bestIn, destInfo, destOf, drain, enumDests, enumRoutes, exactDest, nextHop,
  implsWith, register, routeOf, setup, text,
} from './helpers.js';

const { RTM_ROUTE_CHANGE_NEW: NEW, RTM_ROUTE_CHANGE_BEST: BEST } = W;
const UCAST = W.RTM_VIEW_MASK_UCAST, ANY = W.RTM_VIEW_MASK_ANY;
/** Bytes of an RTM_ENTITY_METHOD_OUTPUT record before its data (RtmInvokeMethod's byte accounting). */
const HEADER = 12;

/** RtmRegisterForChangeNotification; asserts NO_ERROR. */
function notify(h: number, views: number, flags: number, context: unknown = null): number {
  const n = W.ref<number>(null);
  expect(W.RtmRegisterForChangeNotification(h, views, flags, context, n)).toBe(W.NO_ERROR);
  return n.value!;
}

function hold(h: number, dest: number, views: number, ms: number): void {
  expect(W.RtmHoldDestination(h, dest, views, ms)).toBe(W.NO_ERROR);
}

function del(h: number, route: number): number {
  const f = W.ref(-1);
  expect(W.RtmDeleteRouteToDest(h, route, f)).toBe(W.NO_ERROR);
  return f.value;
}

function listOf(h: number, list: number): number[] {
  const en = W.ref<number>(null);
  expect(W.RtmCreateRouteListEnum(h, list, en)).toBe(W.NO_ERROR);
  const n = W.ref(100), hs: number[] = [];
  expect(W.RtmGetListEnumRoutes(h, en.value, n, hs)).toBe(W.NO_ERROR);
  expect(W.RtmReleaseRoutes(h, hs.length, hs)).toBe(W.NO_ERROR);
  expect(W.RtmDeleteEnumHandle(h, en.value)).toBe(W.NO_ERROR);
  return hs;
}

describe.each(implsWith('ttl', 'notify', 'locks'))('$name: time-to-live (scenarios 9–11)', (impl) => {
  it('9. on expiry the owner is called once with (route, live RTM_ROUTE_INFO); ERROR_NOT_SUPPORTED deletes; B hears about it', () => {
    const { clock, rtm, pa, pb, A, B, nA, P } = setup(impl);
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_BEST, 'X');
    pa.respond = (type) => (type === W.RTM_ROUTE_EXPIRED ? W.ERROR_NOT_SUPPORTED : W.NO_ERROR);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 7, ttl: 1000 }).handle;
    rtm.runPending();
    expect(drain(B, nb)).toEqual([P]);
    pb.events.length = 0;
    clock.advance(999);
    expect(pa.events).toEqual([]);
    expect(bestIn(A, h)).toBe(UCAST);
    clock.advance(1);
    expect(pa.events.length).toBe(1);
    const ev = pa.events[0];
    expect([ev.h, ev.type, ev.c1]).toEqual([A, W.RTM_ROUTE_EXPIRED, h]);
    expect(ev.c2).toBeInstanceOf(W.LiveRouteInfo);
    expect(ev.c2).toMatchObject({ DestHandle: expect.any(Number), RouteOwner: A, Neighbour: nA, PrefInfo: { Metric: 7 }, BelongsToViews: UCAST, NextHopsList: { NumNextHops: 1 } });
    expect([...(ev.c2 as W.RTM_ROUTE_INFO).NextHopsList.NextHops]).toEqual([nA]);
    expect(exactDest(A, P, ANY).status).toBe(W.ERROR_NOT_FOUND);
    expect(routeOf(A, h).State).toBe(W.RTM_ROUTE_STATE_DELETED);
    expect(W.RtmReleaseRoutes(A, 1, [h])).toBe(W.NO_ERROR);
    expect(W.RtmReleaseRoutes(A, 1, [h])).toBe(W.ERROR_INVALID_HANDLE);
    expect(pb.events.map((e) => [e.h, e.type, e.c1, e.c2])).toEqual([[B, W.RTM_CHANGE_NOTIFICATION, nb, 'X']]);
    expect(drain(B, nb)).toEqual([P]);
    clock.advance(10_000);
    expect(pa.events.length).toBe(1);
  });

  it('10. the owner handles expiry in place (the sample pattern): lock, Context2.PrefInfo.Metric = 16, update with INFINITE, release', () => {
    const { clock, rtm, pa, A, nA, P } = setup(impl);
    const flags = W.ref(-1);
    const statuses: number[] = [];
    pa.respond = (type, c1, c2) => {
      if (type !== W.RTM_ROUTE_EXPIRED) return W.NO_ERROR;
      const RouteHandle = c1 as number, RoutePointer = c2 as W.RTM_ROUTE_INFO;
      const viaLock = W.ref<W.RTM_ROUTE_INFO | null>(null);
      statuses.push(W.RtmLockRoute(A, RouteHandle, W.TRUE, W.TRUE, viaLock));
      expect(viaLock.value).toBe(RoutePointer);                          // one owner view per route
      RoutePointer.PrefInfo.Metric = 16;
      statuses.push(W.RtmUpdateAndUnlockRoute(A, RouteHandle, W.INFINITE, null, 0, null, flags));
      statuses.push(W.RtmReleaseRoutes(A, 1, [RouteHandle]));
      return W.NO_ERROR;
    };
    const h = addRouteOk(A, P, { neighbour: nA, metric: 2, ttl: 500 }).handle;
    clock.advance(500);
    expect(statuses).toEqual([W.NO_ERROR, W.NO_ERROR, W.NO_ERROR]);
    expect(flags.value).toBe(BEST);
    const ptr = W.ref<W.RTM_ROUTE_INFO | null>(null);
    expect(W.RtmGetRoutePointer(A, h, ptr)).toBe(W.NO_ERROR);
    expect(ptr.value).toBe(pa.events[0].c2);
    expect(routeOf(A, h).PrefInfo.Metric).toBe(16);
    clock.advance(1_000_000);
    expect(rtm.runPending()).toBe(0);
    expect(pa.events.length).toBe(1);
    expect(bestIn(A, h)).toBe(UCAST);
  });

  it('11. refreshing a route unchanged restarts its TTL and fires nothing', () => {
    const { clock, rtm, pa, A, B, nA, P } = setup(impl);
    const all = notify(B, UCAST, W.RTM_CHANGE_TYPE_ALL);
    pa.respond = (type) => (type === W.RTM_ROUTE_EXPIRED ? W.ERROR_NOT_SUPPORTED : W.NO_ERROR);
    const add = () => addRoute(A, P, { neighbour: nA, metric: 3, ttl: 1000, wantHandle: false });
    add();
    rtm.runPending();
    expect(drain(B, all)).toEqual([P]);
    const before = exactDest(A, P).info.LastChanged;
    clock.advance(800);
    expect(add().changeFlags).toBe(0);
    const st = W.ref<W.BOOL>(-1);
    expect(W.RtmGetChangeStatus(B, all, destOf(B, P), st)).toBe(W.NO_ERROR);
    expect(st.value).toBe(W.FALSE);
    expect(exactDest(A, P).info.LastChanged).toBe(before);
    clock.advance(200);
    expect(pa.events).toEqual([]);
    clock.advance(799);
    expect(pa.events).toEqual([]);
    clock.advance(1);
    expect(pa.events.map((e) => e.type)).toEqual([W.RTM_ROUTE_EXPIRED]);
    expect(exactDest(A, P, ANY).status).toBe(W.ERROR_NOT_FOUND);
  });
});

describe.each(implsWith('hold', 'enums'))('$name: hold-down (scenarios 12–15)', (impl) => {
  it('12. deleting the last route of an armed view holds it: HoldRoute, DELETING; gone after HoldTime', () => {
    const { clock, A, nA, P } = setup(impl);
    const h = addRouteOk(A, P, { neighbour: nA }).handle;
    const d = destOf(A, P);
    hold(A, d, UCAST, 30_000);
    expect(W.RtmReferenceHandles(A, 1, [h])).toBe(W.NO_ERROR);
    expect(del(A, h)).toBe(BEST);
    expect(destInfo(A, d, UCAST).ViewInfo).toEqual([{ ViewId: 0, NumRoutes: 0, Route: 0, Owner: 0, DestFlags: 0, HoldRoute: h }]);
    expect(routeOf(A, h).State).toBe(W.RTM_ROUTE_STATE_DELETING);
    expect(W.RtmDeleteRouteToDest(A, h, W.ref(0))).toBe(W.ERROR_NOT_FOUND);
    clock.advance(29_999);
    expect(destInfo(A, d, UCAST).ViewInfo[0].HoldRoute).toBe(h);
    clock.advance(1);
    expect(destInfo(A, d, UCAST).ViewInfo[0].HoldRoute).toBe(0);
    expect(routeOf(A, h).State).toBe(W.RTM_ROUTE_STATE_DELETED);
    expect(W.RtmReleaseRoutes(A, 1, [h])).toBe(W.NO_ERROR);
    expect(enumDests(A, ANY, W.RTM_ENUM_START, null).prefixes).toEqual([]);
  });

  it('13. a newcomer becomes the route while the old one stays HoldRoute until the timer ends', () => {
    const { clock, A, B, nA, nB, P } = setup(impl);
    addRouteOk(A, P, { neighbour: nA, wantHandle: false });
    const d = destOf(A, P);
    const held = destInfo(A, d, UCAST).ViewInfo[0].Route;
    hold(A, d, UCAST, 1000);
    del(A, held);
    clock.advance(400);
    const b = addRouteOk(B, P, { neighbour: nB }).handle;
    expect(destInfo(B, d, UCAST).ViewInfo[0]).toMatchObject({ NumRoutes: 1, Route: b, Owner: B, HoldRoute: held });
    expect(bestIn(B, b)).toBe(UCAST);
    clock.advance(600);
    expect(destInfo(B, d, UCAST).ViewInfo[0]).toMatchObject({ Route: b, HoldRoute: 0 });
  });

  it('14. no hold-down without arming, nor when the deleted route is not the last one', () => {
    const { A, B, nA, nB, P } = setup(impl);
    del(A, addRouteOk(A, P, { neighbour: nA }).handle);
    expect(exactDest(A, P, ANY).status).toBe(W.ERROR_NOT_FOUND);
    const a2 = addRouteOk(A, P, { neighbour: nA }).handle;
    const b = addRouteOk(B, P, { neighbour: nB }).handle;
    const d = destOf(A, P);
    hold(A, d, UCAST, 1000);
    del(A, a2);
    expect(destInfo(A, d, UCAST).ViewInfo[0]).toMatchObject({ NumRoutes: 1, Route: b, HoldRoute: 0 });
  });

  it('15. held routes are visible only to ANY enumerations; a dest with only held routes only to ANY dest enumerations', () => {
    const { A, nA, P } = setup(impl);
    const r = addRouteOk(A, P, { neighbour: nA }).handle;
    addRouteOk(A, '10.0.0.0/8', { neighbour: nA, wantHandle: false });
    const d = destOf(A, P);
    hold(A, d, UCAST, 1000);
    expect(W.RtmReferenceHandles(A, 1, [r])).toBe(W.NO_ERROR);
    del(A, r);
    expect(enumRoutes(A, { dest: d, views: UCAST })).toEqual([]);
    expect(enumRoutes(A, { dest: d, views: ANY })).toEqual([r]);
    expect(enumDests(A, UCAST, W.RTM_ENUM_START, null).prefixes).toEqual(['10.0.0.0/8']);
    const any = enumDests(A, ANY, W.RTM_ENUM_START, null);
    expect(any.prefixes).toEqual(['10.0.0.0/8', P]);
    expect(any.infos[1].NumberOfViews).toBe(0);
    expect(W.RtmReleaseRoutes(A, 1, [r])).toBe(W.NO_ERROR);
  });
});

describe.each(implsWith('notify'))('$name: change notification (scenarios 16–19)', (impl) => {
  it('16. one callback per burst, never inside the call; the queue holds P once with its latest state', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl);
    const X = { tag: 'X' };
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_BEST, X);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 5 }).handle;
    expect(pb.events).toEqual([]);
    expect(rtm.runPending()).toBe(1);
    expect(pb.events.length).toBe(1);
    expect(pb.events[0]).toEqual({ h: B, type: W.RTM_CHANGE_NOTIFICATION, c1: nb, c2: X });
    expect(pb.events[0].c2).toBe(X);
    expect(addRoute(A, P, { route: h, neighbour: nA, metric: 6 }).changeFlags).toBe(BEST);
    expect(addRoute(A, P, { route: h, neighbour: nA, metric: 7 }).changeFlags).toBe(BEST);
    expect(rtm.runPending()).toBe(0);
    const n = W.ref(100), infos: W.RTM_DEST_INFO[] = [];
    expect(W.RtmGetChangedDests(B, nb, n, infos)).toBe(W.ERROR_NO_MORE_ITEMS);
    expect(n.value).toBe(1);
    expect(text(infos[0].DestAddress)).toBe(P);
    expect(infos[0].ViewInfo).toEqual([{ ViewId: 0, NumRoutes: 1, Route: h, Owner: A, DestFlags: 0, HoldRoute: 0 }]);
    expect(routeOf(B, infos[0].ViewInfo[0].Route).PrefInfo.Metric).toBe(7);
    // Changed-dest records go back through RtmReleaseChangedDests, not RtmReleaseDests (D-60).
    expect(W.RtmReleaseDests(B, 1, infos)).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmReleaseChangedDests(B, nb, 1, infos)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseChangedDests(B, nb, 1, infos)).toBe(W.ERROR_INVALID_HANDLE);
    const again = W.ref(100), none: W.RTM_DEST_INFO[] = [new W.RTM_DEST_INFO()];
    expect(W.RtmGetChangedDests(B, nb, again, none)).toBe(W.ERROR_NO_MORE_ITEMS);
    expect([again.value, none.length]).toEqual([0, 0]);
  });

  it('17. change types: BEST vs FORWARDING for flag changes, ALL only for EntitySpecificInfo', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const rAll = notify(B, UCAST, W.RTM_CHANGE_TYPE_ALL);
    const rBest = notify(B, UCAST, W.RTM_CHANGE_TYPE_BEST);
    const rFwd = notify(B, UCAST, W.RTM_CHANGE_TYPE_FORWARDING);
    const fired = () => {
      rtm.runPending();
      return ([[rAll, 'ALL'], [rBest, 'BEST'], [rFwd, 'FWD']] as const).filter(([r]) => drain(B, r).length > 0).map(([, n]) => n).join('|');
    };
    const base = { neighbour: nA, pref: 10, metric: 1 };
    const a = addRouteOk(A, P, { ...base, flags: W.RTM_ROUTE_FLAGS_LOCAL }).handle;
    expect(fired()).toBe('ALL|BEST|FWD');
    addRouteOk(A, P, { ...base, route: a, flags: W.RTM_ROUTE_FLAGS_LOCAL | W.RTM_ROUTE_FLAGS_REMOTE });
    expect(fired()).toBe('ALL|BEST');
    addRouteOk(A, P, { ...base, route: a, flags: 0 });
    fired();
    addRouteOk(A, P, { ...base, route: a, flags: W.RTM_ROUTE_FLAGS_INACTIVE });
    expect(fired()).toBe('ALL|BEST|FWD');
    const esi = { x: 1 };
    expect(addRouteOk(A, P, { ...base, route: a, flags: W.RTM_ROUTE_FLAGS_INACTIVE, esi }).changeFlags).toBe(0);
    expect(fired()).toBe('ALL');
    addRouteOk(A, P, { ...base, route: a, flags: W.RTM_ROUTE_FLAGS_INACTIVE, esi });
    expect(fired()).toBe('');
  });

  it('18. a marked-only registration queues nothing until the destination is marked; unmarking stops it', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl);
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_ALL | W.RTM_NOTIFY_ONLY_MARKED_DESTS);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 1 }).handle;
    rtm.runPending();
    expect(pb.events).toEqual([]);
    const d = destOf(B, P);
    const marked = W.ref<W.BOOL>(-1);
    expect(W.RtmIsMarkedForChangeNotification(B, nb, d, marked)).toBe(W.NO_ERROR);
    expect(marked.value).toBe(W.FALSE);
    expect(W.RtmMarkDestForChangeNotification(B, nb, d, W.TRUE)).toBe(W.NO_ERROR);
    expect(W.RtmMarkDestForChangeNotification(B, nb, d, true)).toBe(W.NO_ERROR);
    expect(W.RtmIsMarkedForChangeNotification(B, nb, d, marked)).toBe(W.NO_ERROR);
    expect(marked.value).toBe(W.TRUE);
    addRouteOk(A, P, { route: h, neighbour: nA, metric: 2 });
    rtm.runPending();
    expect(pb.events.map((e) => e.type)).toEqual([W.RTM_CHANGE_NOTIFICATION]);
    expect(drain(B, nb)).toEqual([P]);
    addRouteOk(A, '10.1.0.0/16', { neighbour: nA, wantHandle: false });
    expect(drain(B, nb)).toEqual([]);
    expect(W.RtmMarkDestForChangeNotification(B, nb, d, W.FALSE)).toBe(W.NO_ERROR);
    addRouteOk(A, P, { route: h, neighbour: nA, metric: 3 });
    expect(drain(B, nb)).toEqual([]);
  });

  it('19. change status and ignore: a pending change can be dropped; a new change queues it again', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_ALL);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 1 }).handle;
    const d = destOf(B, P);
    const st = W.ref<W.BOOL>(-1);
    expect(W.RtmGetChangeStatus(B, nb, d, st)).toBe(W.NO_ERROR);
    expect(st.value).toBe(W.TRUE);
    expect(W.RtmIgnoreChangedDests(B, nb, 1, [d])).toBe(W.NO_ERROR);
    expect(W.RtmGetChangeStatus(B, nb, d, st)).toBe(W.NO_ERROR);
    expect(st.value).toBe(W.FALSE);
    expect(drain(B, nb)).toEqual([]);
    addRouteOk(A, P, { route: h, neighbour: nA, metric: 2 });
    rtm.runPending();
    expect(drain(B, nb)).toEqual([P]);
    expect(W.RtmDeregisterFromChangeNotification(B, nb)).toBe(W.NO_ERROR);
    expect(W.RtmGetChangeStatus(B, nb, d, st)).toBe(W.ERROR_INVALID_HANDLE);
  });
});

describe.each(implsWith('enums'))('$name: enumerations (scenarios 20–21)', (impl) => {
  it('20. canonical prefix order; RANGE covers a sub-tree; NEXT starts at a prefix; batches are capped', () => {
    const { pa, A, nA } = setup(impl);
    for (const p of ['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/16', '11.0.0.0/8', '0.0.0.0/0']) addRouteOk(A, p, { neighbour: nA, wantHandle: false });
    expect(enumDests(A, UCAST, W.RTM_ENUM_START, null).prefixes).toEqual(['0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '11.0.0.0/8']);
    expect(enumDests(A, UCAST, W.RTM_ENUM_RANGE, '10.0.0.0/8').prefixes).toEqual(['10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16']);
    expect(enumDests(A, UCAST, W.RTM_ENUM_NEXT, '10.1.0.0/16').prefixes).toEqual(['10.1.0.0/16', '11.0.0.0/8']);
    expect(enumDests(A, UCAST, W.RTM_ENUM_START, null, 0, 2).prefixes.length).toBe(5);
    const en = W.ref<number>(null);
    expect(W.RtmCreateDestEnum(A, UCAST, W.RTM_ENUM_START, null, 0, en)).toBe(W.NO_ERROR);
    const tooMany = W.ref(pa.profile.MaxHandlesInEnum + 1);
    expect(W.RtmGetEnumDests(A, en.value, tooMany, [])).toBe(W.ERROR_INVALID_PARAMETER);
    const two = W.ref(2), infos: W.RTM_DEST_INFO[] = [];
    expect(W.RtmGetEnumDests(A, en.value, two, infos)).toBe(W.NO_ERROR);
    expect(infos.map((d) => text(d.DestAddress))).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(W.RtmReleaseDests(A, 2, infos)).toBe(W.NO_ERROR);
    const three = W.ref(3);
    expect(W.RtmGetEnumDests(A, en.value, three, infos)).toBe(W.ERROR_NO_MORE_ITEMS);
    expect(infos.map((d) => text(d.DestAddress))).toEqual(['10.0.0.0/16', '10.1.0.0/16', '11.0.0.0/8']);
    expect(W.RtmReleaseDests(A, 3, infos)).toBe(W.NO_ERROR);
    expect(W.RtmDeleteEnumHandle(A, en.value)).toBe(W.NO_ERROR);
    expect(W.RtmGetEnumDests(A, en.value, W.ref(1), [])).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmCreateDestEnum(A, UCAST, W.RTM_ENUM_RANGE, null, 0, en)).toBe(W.ERROR_INVALID_PARAMETER);
  });

  it('20b. route and next-hop enumerations', () => {
    const { A, B, nA, nB } = setup(impl);
    const r1 = addRouteOk(A, '10.2.0.0/16', { neighbour: nA, pref: 20 }).handle;
    const r2 = addRouteOk(B, '10.2.0.0/16', { neighbour: nB, pref: 10, metric: 5 }).handle;
    const r4 = addRouteOk(A, '10.1.0.0/16', { neighbour: nA, pref: 99 }).handle;
    expect(enumRoutes(A, { views: UCAST })).toEqual([r4, r2, r1]);
    const crit = new W.RTM_ROUTE_INFO();
    crit.RouteOwner = B;
    expect(enumRoutes(A, { match: W.RTM_MATCH_OWNER, criteria: crit })).toEqual([r2]);
    expect(enumRoutes(A, { match: W.RTM_MATCH_INTERFACE, ifIndex: 2 })).toEqual([r2]);
    expect(W.RtmCreateRouteEnum(A, null, ANY, 0, null, W.RTM_MATCH_OWNER, null, 0, W.ref(null))).toBe(W.ERROR_INVALID_PARAMETER);
    nextHop(A, '10.0.0.9', 1);
    nextHop(A, '10.0.0.3', 5);
    const en = W.ref<number>(null);
    expect(W.RtmCreateNextHopEnum(A, W.RTM_ENUM_START, null, en)).toBe(W.NO_ERROR);
    const n = W.ref(10), hs: number[] = [];
    expect(W.RtmGetEnumNextHops(A, en.value, n, hs)).toBe(W.ERROR_NO_MORE_ITEMS);
    const shown = hs.map((h) => {
      const ni = new W.RTM_NEXTHOP_INFO();
      expect(W.RtmGetNextHopInfo(A, h, ni)).toBe(W.NO_ERROR);
      expect(W.RtmReleaseNextHopInfo(A, ni)).toBe(W.NO_ERROR);
      return `${text(ni.NextHopAddress)}%${ni.InterfaceIndex}`;
    });
    expect(shown).toEqual(['10.0.0.1/32%1', '10.0.0.3/32%5', '10.0.0.9/32%1']);
    expect(W.RtmReleaseNextHops(A, hs.length, hs)).toBe(W.NO_ERROR);
    expect(W.RtmDeleteEnumHandle(A, en.value)).toBe(W.NO_ERROR);
  });

  it('21. OWN_DESTS: destinations whose best route is the caller\'s; OWN_ROUTES: all the caller\'s routes', () => {
    const { A, B, nA, nB } = setup(impl);
    const a1 = addRouteOk(A, '10.1.0.0/16', { neighbour: nA, pref: 10 }).handle;
    const a2 = addRouteOk(A, '10.2.0.0/16', { neighbour: nA, pref: 30 }).handle;
    addRouteOk(B, '10.2.0.0/16', { neighbour: nB, pref: 20, wantHandle: false });
    addRouteOk(B, '10.3.0.0/16', { neighbour: nB, pref: 20, wantHandle: false });
    expect(enumDests(A, UCAST, W.RTM_ENUM_OWN_DESTS, null).prefixes).toEqual(['10.1.0.0/16']);
    expect(enumDests(B, UCAST, W.RTM_ENUM_OWN_DESTS, null).prefixes).toEqual(['10.2.0.0/16', '10.3.0.0/16']);
    expect(enumRoutes(A, { views: UCAST, flags: W.RTM_ENUM_OWN_ROUTES })).toEqual([a1, a2]);
  });
});

describe.each(implsWith('lists'))('$name: route lists (scenario 24)', (impl) => {
  it('24. enumerate L1 while moving each batch to L2; NULL removes; deleting routes and lists', () => {
    const { A, nA } = setup(impl);
    const L1 = W.ref<number>(null), L2 = W.ref<number>(null);
    expect(W.RtmCreateRouteList(A, L1)).toBe(W.NO_ERROR);
    expect(W.RtmCreateRouteList(A, L2)).toBe(W.NO_ERROR);
    const r = [1, 2, 3].map((i) => addRouteOk(A, `10.${i}.0.0/16`, { neighbour: nA, list: L1.value! }).handle);
    const e1 = W.ref<number>(null);
    expect(W.RtmCreateRouteListEnum(A, L1.value, e1)).toBe(W.NO_ERROR);
    const moved: number[] = [];
    for (;;) {
      const n = W.ref(2), hs: number[] = [];
      expect(W.RtmGetListEnumRoutes(A, e1.value, n, hs)).toBe(W.NO_ERROR);
      moved.push(...hs);
      expect(W.RtmInsertInRouteList(A, L2.value, n.value, hs)).toBe(W.NO_ERROR);
      expect(W.RtmReleaseRoutes(A, n.value, hs)).toBe(W.NO_ERROR);
      if (n.value < 2) break;
    }
    expect(W.RtmDeleteEnumHandle(A, e1.value)).toBe(W.NO_ERROR);
    expect(moved).toEqual(r);
    expect(listOf(A, L1.value!)).toEqual([]);
    expect(listOf(A, L2.value!)).toEqual(r);
    expect(W.RtmInsertInRouteList(A, null, 1, [r[0]])).toBe(W.NO_ERROR);
    expect(listOf(A, L2.value!)).toEqual([r[1], r[2]]);
    del(A, r[1]);
    expect(listOf(A, L2.value!)).toEqual([r[2]]);
    expect(W.RtmDeleteRouteList(A, L2.value)).toBe(W.NO_ERROR);
    expect(W.RtmCreateRouteListEnum(A, L2.value, W.ref(null))).toBe(W.ERROR_INVALID_HANDLE);
    expect(bestIn(A, r[2])).toBe(UCAST);
  });

});

describe.each(implsWith('opaque', 'locks'))('$name: opaque pointers (scenario 25)', (impl) => {
  it('25. only a reserving entity has a slot; a non-NULL slot keeps the destination present until cleared', () => {
    const { A, B, nA, P } = setup(impl, {}, { a: { reserve: true } });
    const h = addRouteOk(A, P, { neighbour: nA }).handle;
    const d = destOf(A, P);
    const ptrB = W.ref<{ value: unknown } | null>(null);
    expect(W.RtmGetOpaqueInformationPointer(B, d, ptrB)).toBe(W.ERROR_NOT_FOUND);
    expect(ptrB.value).toBeNull();
    expect(W.RtmLockDestination(A, d, W.TRUE, W.TRUE)).toBe(W.NO_ERROR);
    const ptr = W.ref<{ value: unknown } | null>(null);
    expect(W.RtmGetOpaqueInformationPointer(A, d, ptr)).toBe(W.NO_ERROR);
    expect(ptr.value!.value).toBeNull();
    const mine = { lsa: 42 };
    ptr.value!.value = mine;
    expect(W.RtmLockDestination(A, d, W.TRUE, W.FALSE)).toBe(W.NO_ERROR);
    del(A, h);
    const still = exactDest(A, P, ANY);
    expect(still.status).toBe(W.NO_ERROR);
    expect(still.info.DestHandle).toBe(d);
    expect(exactDest(A, P, UCAST).status).toBe(W.ERROR_NOT_FOUND);
    const again = W.ref<{ value: unknown } | null>(null);
    expect(W.RtmGetOpaqueInformationPointer(A, d, again)).toBe(W.NO_ERROR);
    expect(again.value).toBe(ptr.value);
    expect(again.value!.value).toBe(mine);
    ptr.value!.value = null;
    expect(exactDest(A, P, ANY).status).toBe(W.ERROR_NOT_FOUND);
  });

});

describe.each(implsWith('methods'))('$name: entity methods (scenario 26)', (impl) => {
  it('26. methods by bit; synchronous invocation with (caller, callee); count query; blocking; deregistered callee', () => {
    const calls: string[] = [];
    const m0: W.RTM_ENTITY_EXPORT_METHOD = (caller, callee, input, output) => {
      calls.push(`m0 ${caller} ${callee} ${input.MethodType}`);
      output.OutputSize = 0;                                            // untouched, it would report the whole room as used
    };
    const m1: W.RTM_ENTITY_EXPORT_METHOD = (caller, callee, input, output) => {
      calls.push(`m1 ${caller} ${callee} ${input.MethodType} ${input.InputSize} [${[...input.InputData].join()}]`);
      output.OutputData[0] = 0xab;
      output.OutputData[1] = input.InputData[0];
      output.OutputSize = 2;
      output.MethodStatus = 7;
    };
    const { rtm, A, B } = setup(impl, {}, { a: { methods: [m0, m1] } });
    const num = W.ref(0);
    expect(W.RtmGetEntityMethods(B, A, num, null)).toBe(W.NO_ERROR);
    expect(num.value).toBe(2);
    const one = W.ref(1), tokens: number[] = [];
    expect(W.RtmGetEntityMethods(B, A, one, tokens)).toBe(W.ERROR_INSUFFICIENT_BUFFER);
    expect([one.value, tokens.length]).toEqual([1, 1]);
    const all = W.ref(5);
    expect(W.RtmGetEntityMethods(B, A, all, tokens)).toBe(W.NO_ERROR);
    expect([all.value, tokens]).toEqual([2, [0x1, 0x2]]);
    const input = new W.RTM_ENTITY_METHOD_INPUT(4);
    input.MethodType = 0x2;
    input.InputSize = 1;
    input.InputData[0] = 5;
    const size = W.ref(100), out: W.RTM_ENTITY_METHOD_OUTPUT[] = [];
    expect(W.RtmInvokeMethod(B, A, input, size, out)).toBe(W.NO_ERROR);
    expect(calls).toEqual([`m1 ${B} ${A} 2 1 [5]`]);
    expect(out.length).toBe(1);
    expect(out[0]).toMatchObject({ MethodType: 0x2, MethodStatus: 7, OutputSize: 2 });
    expect([...out[0].OutputData]).toEqual([0xab, 5]);
    expect(size.value).toBe(HEADER + 2);
    calls.length = 0;
    input.MethodType = W.METHOD_TYPE_ALL_METHODS;
    const big = W.ref(100);
    expect(W.RtmInvokeMethod(B, A, input, big, out)).toBe(W.NO_ERROR);
    expect(out.map((o) => [o.MethodType, o.MethodStatus, o.OutputSize])).toEqual([[0x1, 0, 0], [0x2, 7, 2]]);
    expect(big.value).toBe(2 * HEADER + 2);
    expect(calls.map((c) => c.slice(0, 2))).toEqual(['m0', 'm1']);
    // Room for one record header only: the second record is dropped.
    const tight = W.ref(HEADER + 1);
    expect(W.RtmInvokeMethod(B, A, input, tight, out)).toBe(W.NO_ERROR);
    expect(out.length).toBe(1);
    expect(W.RtmInvokeMethod(B, A, input, W.ref(11), out)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmBlockMethods(A, null, 0, W.RTM_BLOCK_METHODS)).toBe(W.NO_ERROR);
    expect(W.RtmInvokeMethod(B, A, input, W.ref(100), out)).toBe(W.ERROR_BUSY);
    expect(W.RtmBlockMethods(A, null, 0, W.RTM_RESUME_METHODS)).toBe(W.NO_ERROR);
    expect(W.RtmBlockMethods(A, null, 0, 2)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmDeregisterEntity(A)).toBe(W.NO_ERROR);
    rtm.runPending();
    expect(W.RtmInvokeMethod(B, A, input, W.ref(100), out)).toBe(W.ERROR_INVALID_HANDLE);
    // An exception thrown by a method reaches the caller unchanged.
    const thrower = register(W.PROTO_IP_BGP, 3, { methods: [() => { throw new RangeError('method failed'); }] });
    input.MethodType = 1;
    expect(() => W.RtmInvokeMethod(B, thrower.h, input, W.ref(100), out)).toThrow('method failed');
  });
});

describe.each(implsWith('lists', 'notify', 'enums', 'locks'))('$name: deregistration clean-up (scenario 28)', (impl) => {
  it('28. deregistration deletes what A left behind, notifies B, frees the lock, and invalidates A', () => {
    const { rtm, pa, pb, A, B, nA, nB, P } = setup(impl);
    const Q = '10.5.0.0/16';
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_BEST, 'ctx-B');
    addRouteOk(A, P, { neighbour: nA, pref: 10, wantHandle: false });
    addRouteOk(A, Q, { neighbour: nA, pref: 10, wantHandle: false });
    const bq = addRouteOk(B, Q, { neighbour: nB, pref: 20 }).handle;
    const L = W.ref<number>(null);
    expect(W.RtmCreateRouteList(A, L)).toBe(W.NO_ERROR);
    addRouteOk(A, '10.6.0.0/16', { neighbour: nA, list: L.value!, wantHandle: false });
    notify(A, UCAST, W.RTM_CHANGE_TYPE_BEST);
    expect(W.RtmCreateDestEnum(A, UCAST, 0, null, 0, W.ref(null))).toBe(W.NO_ERROR);
    const d = destOf(B, P);
    expect(W.RtmReferenceHandles(B, 1, [d])).toBe(W.NO_ERROR);
    expect(W.RtmLockDestination(A, d, W.TRUE, W.TRUE)).toBe(W.NO_ERROR);
    rtm.runPending();
    drain(B, nb);
    pa.events.length = 0;
    pb.events.length = 0;
    expect(addRoute(B, P, { neighbour: nB }).status).toBe(W.ERROR_BUSY);
    expect(W.RtmDeregisterEntity(A)).toBe(W.NO_ERROR);
    expect(pb.events).toEqual([]);
    expect(rtm.runPending()).toBe(2);
    expect(pb.events.map((e) => [e.type, e.c1])).toEqual([[W.RTM_CHANGE_NOTIFICATION, nb], [W.RTM_ENTITY_DEREGISTERED, A]]);
    expect(pa.events).toEqual([]);
    expect(drain(B, nb).sort()).toEqual(['10.6.0.0/16', P, Q].sort());
    expect(destInfo(B, destOf(B, Q), UCAST).ViewInfo[0]).toMatchObject({ NumRoutes: 1, Route: bq, Owner: B });
    expect(addRoute(B, P, { neighbour: nB, wantHandle: false }).status).toBe(W.NO_ERROR);
    expect(W.RtmLockDestination(B, d, W.TRUE, W.TRUE)).toBe(W.NO_ERROR);
    expect(W.RtmLockDestination(B, d, W.TRUE, W.FALSE)).toBe(W.NO_ERROR);
    expect(W.RtmReleaseDests(B, 1, [Object.assign(new W.RTM_DEST_INFO(), { DestHandle: d })])).toBe(W.NO_ERROR);
    expect(addRoute(A, P, { neighbour: nA }).status).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmGetRegisteredEntities(A, W.ref(0), null, null)).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.RtmDeregisterEntity(A)).toBe(W.ERROR_INVALID_HANDLE);
  });

});

describe.each(implsWith('locks'))('$name: locks (scenario 29)', (impl) => {
  it('29. an exclusive lock makes other entities\' changes ERROR_BUSY; reads proceed; unlocking twice is ERROR_NOT_LOCKED', () => {
    const { A, B, nA, nB, P } = setup(impl);
    addRouteOk(A, P, { neighbour: nA, wantHandle: false });
    const d = destOf(A, P);
    expect(W.RtmLockDestination(A, d, W.TRUE, W.TRUE)).toBe(W.NO_ERROR);
    expect(addRoute(B, P, { neighbour: nB }).status).toBe(W.ERROR_BUSY);
    expect(W.RtmLockDestination(B, d, W.FALSE, W.TRUE)).toBe(W.ERROR_BUSY);
    expect(W.RtmHoldDestination(B, d, UCAST, 10)).toBe(W.ERROR_BUSY);
    expect(destInfo(B, d, UCAST).ViewInfo[0].NumRoutes).toBe(1);
    expect(W.RtmLockDestination(A, d, W.TRUE, W.FALSE)).toBe(W.NO_ERROR);
    expect(addRoute(B, P, { neighbour: nB }).changeFlags & NEW).toBe(NEW);
    expect(W.RtmLockDestination(A, d, W.TRUE, W.FALSE)).toBe(W.ERROR_NOT_LOCKED);
  });

  it('29b. route and next-hop locks: owners get the live pointer, non-owners a shared lock and NULL', () => {
    const { A, B, nA, P } = setup(impl);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 1 }).handle;
    expect(W.RtmLockRoute(B, h, W.TRUE, W.TRUE, null)).toBe(W.ERROR_ACCESS_DENIED);
    const none = W.ref<W.RTM_ROUTE_INFO | null>(null);
    expect(W.RtmLockRoute(B, h, W.FALSE, W.TRUE, none)).toBe(W.NO_ERROR);
    expect(none.value).toBeNull();
    expect(W.RtmLockRoute(B, h, W.FALSE, W.FALSE, null)).toBe(W.NO_ERROR);
    // Next hop: Flags edited under the exclusive lock, committed by the unlock; identity edits are reverted.
    const ptr = W.ref<W.RTM_NEXTHOP_INFO | null>(null);
    expect(W.RtmLockNextHop(A, nA, W.TRUE, W.TRUE, ptr)).toBe(W.NO_ERROR);
    expect(ptr.value).toBeInstanceOf(W.LiveNextHopInfo);
    expect(text(ptr.value!.NextHopAddress)).toBe('10.0.0.1/32');
    ptr.value!.Flags = W.RTM_NEXTHOP_FLAGS_REMOTE;
    const seen = new W.RTM_NEXTHOP_INFO();
    expect(W.RtmGetNextHopInfo(B, nA, seen)).toBe(W.NO_ERROR);
    expect(seen.Flags).toBe(0);
    expect(W.RtmReleaseNextHopInfo(B, seen)).toBe(W.NO_ERROR);
    expect(W.RtmLockNextHop(A, nA, W.TRUE, W.FALSE, null)).toBe(W.NO_ERROR);
    expect(W.RtmGetNextHopInfo(B, nA, seen)).toBe(W.NO_ERROR);
    expect(seen.Flags).toBe(W.RTM_NEXTHOP_FLAGS_REMOTE);
    expect(W.RtmReleaseNextHopInfo(B, seen)).toBe(W.NO_ERROR);
    expect(W.RtmLockNextHop(A, nA, W.TRUE, W.TRUE, ptr)).toBe(W.NO_ERROR);
    ptr.value!.InterfaceIndex = 99;
    expect(W.RtmLockNextHop(A, nA, W.TRUE, W.FALSE, null)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(ptr.value!.InterfaceIndex).toBe(1);
    const p2 = W.ref<W.RTM_NEXTHOP_INFO | null>(null);
    expect(W.RtmGetNextHopPointer(A, nA, p2)).toBe(W.NO_ERROR);
    expect(p2.value).toBe(ptr.value);
    expect(W.RtmGetNextHopPointer(B, nA, p2)).toBe(W.ERROR_ACCESS_DENIED);
    // RtmFindNextHop's pointer is the same live object.
    const ni = new W.RTM_NEXTHOP_INFO();
    W.RTM_IPV4_MAKE_NET_ADDRESS(ni.NextHopAddress, '10.0.0.1', 32);
    ni.InterfaceIndex = 1;
    const fh = W.ref<number>(null), fp = W.ref<W.RTM_NEXTHOP_INFO | null>(null);
    expect(W.RtmFindNextHop(A, ni, fh, fp)).toBe(W.NO_ERROR);
    expect(fp.value).toBe(ptr.value);
    expect(W.RtmReleaseNextHops(A, 1, [fh.value])).toBe(W.NO_ERROR);
  });

});

describe.each(implsWith('locks', 'notify'))('$name: in-place updates (scenario 30)', (impl) => {
  it('30. in-place update through the pointer: Metric and NextHops[0] edited under the lock, committed by RtmUpdateAndUnlockRoute', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const nb = notify(B, UCAST, W.RTM_CHANGE_TYPE_BEST);
    const nA2 = nextHop(A, '10.0.0.5', 1);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 10 }).handle;
    rtm.runPending();
    drain(B, nb);
    const ptr = W.ref<W.RTM_ROUTE_INFO | null>(null);
    expect(W.RtmLockRoute(A, h, W.TRUE, W.TRUE, ptr)).toBe(W.NO_ERROR);
    const RoutePointer = ptr.value!;
    expect(RoutePointer).toMatchObject({ PrefInfo: { Metric: 10 }, Neighbour: nA, NextHopsList: { NumNextHops: 1 } });
    RoutePointer.PrefInfo.Metric = 3;
    expect(W.RtmReferenceHandles(A, 1, [nA2])).toBe(W.NO_ERROR);       // the documented bookkeeping
    RoutePointer.NextHopsList.NextHops[0] = nA2;
    RoutePointer.Neighbour = nA2;
    expect(W.RtmReleaseNextHops(A, 1, [nA])).toBe(W.NO_ERROR);
    expect(RoutePointer.PrefInfo.Metric).toBe(3);                       // the owner sees its staged edits
    expect([...RoutePointer.NextHopsList.NextHops]).toEqual([nA2]);
    expect(routeOf(B, h)).toMatchObject({ PrefInfo: { Metric: 10 }, Neighbour: nA });   // others: committed state
    expect(drain(B, nb)).toEqual([]);
    const flags = W.ref(-1);
    expect(W.RtmUpdateAndUnlockRoute(A, h, W.INFINITE, null, 0, null, flags)).toBe(W.NO_ERROR);
    expect(flags.value).toBe(BEST);
    rtm.runPending();
    expect(drain(B, nb)).toEqual([P]);
    const now = routeOf(B, h);
    expect(now).toMatchObject({ PrefInfo: { Metric: 3 }, Neighbour: nA2 });
    expect(now.NextHopsList.NextHops).toEqual([nA2]);
    expect(W.RtmUpdateAndUnlockRoute(A, h, W.INFINITE, null, 0, null, flags)).toBe(W.ERROR_NOT_LOCKED);
    // nA is unused: deleting it frees it once unreferenced.
    const info = new W.RTM_NEXTHOP_INFO();
    W.RTM_IPV4_MAKE_NET_ADDRESS(info.NextHopAddress, '10.0.0.1', 32);
    info.InterfaceIndex = 1;
    expect(W.RtmDeleteNextHop(A, null, info)).toBe(W.NO_ERROR);
    expect(W.RtmGetNextHopInfo(A, nA, new W.RTM_NEXTHOP_INFO())).toBe(W.ERROR_INVALID_HANDLE);
  });

  it('30b. adding a next hop through NumNextHops++ and NextHops[n]; writes outside the lock are not applied', () => {
    const { A, nA, P } = setup(impl);
    const nA2 = nextHop(A, '10.0.0.5', 1);
    const h = addRouteOk(A, P, { neighbour: nA, metric: 10 }).handle;
    const ptr = W.ref<W.RTM_ROUTE_INFO | null>(null);
    expect(W.RtmLockRoute(A, h, W.TRUE, W.TRUE, ptr)).toBe(W.NO_ERROR);
    const p = ptr.value!;
    p.NextHopsList.NextHops[p.NextHopsList.NumNextHops++] = nA2;
    expect(p.NextHopsList.NumNextHops).toBe(2);
    expect(W.RtmLockRoute(A, h, W.TRUE, W.FALSE, null)).toBe(W.NO_ERROR);   // a plain exclusive unlock commits (D-42)
    expect(routeOf(A, h).NextHopsList.NextHops).toEqual([nA, nA2]);
    p.PrefInfo.Metric = 99;                                                   // not locked: ignored
    p.NextHopsList.NumNextHops = 1;
    expect(routeOf(A, h).PrefInfo.Metric).toBe(10);
    expect(p.PrefInfo.Metric).toBe(10);
    expect(p.NextHopsList.NumNextHops).toBe(2);
    // A later update by another path shows through the same pointer.
    addRouteOk(A, P, { route: h, neighbour: nA, nextHops: [nA2], metric: 4 });
    expect([p.PrefInfo.Metric, p.NextHopsList.NumNextHops, [...p.NextHopsList.NextHops]]).toEqual([4, 1, [nA2]]);
    // Invalid staged edits fail the commit and keep the route locked.
    expect(W.RtmLockRoute(A, h, W.TRUE, W.TRUE, null)).toBe(W.NO_ERROR);
    p.NextHopsList.NextHops[0] = 424242;
    expect(W.RtmUpdateAndUnlockRoute(A, h, W.INFINITE, null, 0, null, W.ref(0))).not.toBe(W.NO_ERROR);
    p.NextHopsList.NextHops[0] = nA;
    expect(W.RtmUpdateAndUnlockRoute(A, h, W.INFINITE, null, 0, null, W.ref(0))).toBe(W.NO_ERROR);
    expect(routeOf(A, h).NextHopsList.NextHops).toEqual([nA]);
  });
});
