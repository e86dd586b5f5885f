// Spec §13 scenarios 16–19: change notification (§7.8): signalling, coalescing, change types, marked
// destinations, change status and ignore; plus the D-29..D-32, D-40, D-60 details.
import { describe, expect, it } from 'vitest';
import {
  RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL as ALL, RTM_CHANGE_TYPE_BEST as BESTT, RTM_CHANGE_TYPE_FORWARDING as FWD,
  RTM_NOTIFY_ONLY_MARKED_DESTS as MARKED, RTM_ROUTE_CHANGE_BEST as BEST, RTM_ROUTE_FLAGS_INACTIVE, RTM_ROUTE_FLAGS_LOCAL,
  RTM_ROUTE_FLAGS_REMOTE, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { NotifyHandle } from '../../src/types.js';
import { implementationsWith } from '../helpers/impls.js';
import { expectCode, setup, destOf, drainChanged } from '../reference/fixture.js';

describe.each(implementationsWith('notify'))('$name: change notification', (impl) => {
  it('16. one callback per burst, never inside the call; the queue holds P once with its latest state', () => {
    const { rtm, pa, pb, A, B, nA, P } = setup(impl);
    const X = { tag: 'context X' };
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT, context: X });
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 5, views: UCAST }).handle!;
    expect(pb.events).toEqual([]);
    expect(rtm.runPending()).toBe(1);
    expect(pb.events).toEqual([{ type: RTM_CHANGE_NOTIFICATION, c1: nb, c2: X }]);
    expect(pb.events[0].c2).toBe(X);
    expect(A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 6, views: UCAST }).changeFlags).toBe(BEST);
    expect(A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 7, views: UCAST }).changeFlags).toBe(BEST);
    expect(rtm.runPending()).toBe(0);                              // P was still queued: no new signal
    expect(pb.events.length).toBe(1);
    const got = B.getChangedDests({ notifyHandle: nb });
    expect(got.done).toBe(true);                                   // ERROR_NO_MORE_ITEMS with the final batch (D-40)
    expect(got.items.length).toBe(1);
    expect(got.items[0]).toMatchObject({ prefix: P, views: UCAST });
    expect(got.items[0].viewInfo).toEqual([{ viewId: 0, numRoutes: 1, route: h, owner: A.handle, destFlags: 0, holdRoute: undefined }]);
    const info = B.getRouteInfo(got.items[0].viewInfo[0].route!);
    expect(info.metric).toBe(7);
    B.releaseRouteInfo(info);
    B.releaseChangedDests({ notifyHandle: nb, dests: got.items });
    expect(B.getChangedDests({ notifyHandle: nb })).toEqual({ items: [], done: true });
    // After the signal was delivered, a newly queued change signals again.
    A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 8, views: UCAST });
    expect(rtm.runPending()).toBe(1);
    expect(pb.events.length).toBe(2);
    // The changer's own registrations are told too (D-29); A's callback sees its own notify handle.
    const na = A.registerForChangeNotification({ views: UCAST, notifyFlags: ALL, context: 'own' });
    A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 9, views: UCAST });
    rtm.runPending();
    expect(pa.events).toEqual([{ type: RTM_CHANGE_NOTIFICATION, c1: na, c2: 'own' }]);
  });

  it('17. change types: BEST vs FORWARDING for flag changes, ALL only for EntitySpecificInfo and non-best metric changes', () => {
    const { rtm, A, B, nA, nB, P } = setup(impl);
    const rAll = B.registerForChangeNotification({ views: UCAST, notifyFlags: ALL });
    const rBest = B.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT });
    const rFwd = B.registerForChangeNotification({ views: UCAST, notifyFlags: FWD });
    const base = { dest: P, neighbour: nA, preference: 10, metric: 1, views: UCAST } as const;
    const esi = { x: 1 };                                          // compared by identity
    const a = A.addRouteToDest({ ...base, flags: RTM_ROUTE_FLAGS_LOCAL }).handle!;
    const b = B.addRouteToDest({ dest: P, neighbour: nB, preference: 20, metric: 1, views: UCAST }).handle!;
    const fired = (): string => {
      rtm.runPending();
      const out = [[rAll, 'ALL'], [rBest, 'BEST'], [rFwd, 'FWD']].filter(([r]) => drainChanged(B, r as NotifyHandle).length > 0).map(([, n]) => n);
      return out.join('|');
    };
    expect(fired()).toBe('ALL|BEST|FWD');
    // 0x0010 → 0x0030: a non-forwarding flag of the best route.
    expect(A.addRouteToDest({ ...base, route: a, flags: RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_REMOTE }).changeFlags).toBe(BEST);
    expect(fired()).toBe('ALL|BEST');
    // 0x0000 → 0x0008 (INACTIVE is a forwarding flag); INACTIVE does not exclude the route (D-16).
    A.addRouteToDest({ ...base, route: a, flags: 0 });
    fired();
    expect(A.addRouteToDest({ ...base, route: a, flags: RTM_ROUTE_FLAGS_INACTIVE }).changeFlags).toBe(BEST);
    expect(fired()).toBe('ALL|BEST|FWD');
    expect(A.isBestRoute(a)).toBe(UCAST);
    // EntitySpecificInfo of the best route.
    expect(A.addRouteToDest({ ...base, route: a, flags: RTM_ROUTE_FLAGS_INACTIVE, entitySpecificInfo: esi }).changeFlags).toBe(0);
    expect(fired()).toBe('ALL');
    // Metric of the non-best route, still not best.
    expect(B.addRouteToDest({ dest: P, route: b, neighbour: nB, preference: 20, metric: 5, views: UCAST }).changeFlags).toBe(0);
    expect(fired()).toBe('ALL');
    // Metric of the best route (D-39: the whole PrefInfo counts).
    expect(A.addRouteToDest({ ...base, route: a, metric: 2, flags: RTM_ROUTE_FLAGS_INACTIVE, entitySpecificInfo: esi }).changeFlags).toBe(BEST);
    expect(fired()).toBe('ALL|BEST|FWD');
    // The non-best route becomes best.
    expect(B.addRouteToDest({ dest: P, route: b, neighbour: nB, preference: 5, metric: 5, views: UCAST }).changeFlags).toBe(BEST);
    expect(fired()).toBe('ALL|BEST|FWD');
    // A route in no view fires nothing.
    A.addRouteToDest({ dest: P, neighbour: null, views: 0 });
    expect(fired()).toBe('');
    // A refresh fires nothing.
    A.addRouteToDest({ ...base, route: a, metric: 2, flags: RTM_ROUTE_FLAGS_INACTIVE, entitySpecificInfo: esi });
    expect(fired()).toBe('');
  });

  it('17b. registrations filter by view; TargetViews 0 means all views and infos without per-view data (D-30)', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const mc = B.registerForChangeNotification({ views: MCAST, notifyFlags: ALL });
    const any = B.registerForChangeNotification({ views: ANY, notifyFlags: ALL });
    A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST });
    rtm.runPending();
    expect(drainChanged(B, mc)).toEqual([]);
    const got = B.getChangedDests({ notifyHandle: any });
    expect(got.items.map((d) => [d.prefix, d.viewInfo.length])).toEqual([[P, 0]]);
    B.releaseChangedDests({ notifyHandle: any, dests: got.items });
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, views: MCAST });
    expect(drainChanged(B, mc)).toEqual(['10.1.0.0/16']);
  });

  it('18. a marked-only registration queues nothing until the destination is marked; unmarking stops it', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: ALL | MARKED });
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 1 }).handle!;
    rtm.runPending();
    expect(pb.events).toEqual([]);
    const d = destOf(B, P);
    expect(B.getChangeStatus({ notifyHandle: nb, dest: d })).toBe(false);
    expect(B.isMarkedForChangeNotification({ notifyHandle: nb, dest: d })).toBe(false);
    B.markDestForChangeNotification({ notifyHandle: nb, dest: d, mark: true });
    B.markDestForChangeNotification({ notifyHandle: nb, dest: d });        // idempotent
    expect(B.isMarkedForChangeNotification({ notifyHandle: nb, dest: d })).toBe(true);
    A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 2 });
    rtm.runPending();
    expect(pb.events.map((e) => e.type)).toEqual([RTM_CHANGE_NOTIFICATION]);
    expect(drainChanged(B, nb)).toEqual([P]);
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA });          // not marked: not queued
    expect(drainChanged(B, nb)).toEqual([]);
    B.markDestForChangeNotification({ notifyHandle: nb, dest: d, mark: false });
    expect(B.isMarkedForChangeNotification({ notifyHandle: nb, dest: d })).toBe(false);
    A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 3 });
    expect(drainChanged(B, nb)).toEqual([]);
  });

  it('18b. a mark keeps the destination present after its last route is gone (D-24)', () => {
    const { A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT | MARKED });
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(B, P);
    B.markDestForChangeNotification({ notifyHandle: nb, dest: d });
    A.deleteRouteToDest(h);
    expect(drainChanged(B, nb)).toEqual([P]);
    const again = B.getExactMatchDestination({ dest: P, views: ANY })!;
    expect(again.handle).toBe(d);
    B.releaseDestInfo(again);
    // A route added later lands on the same destination and is reported.
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    expect(drainChanged(B, nb)).toEqual([P]);
    expect(destOf(B, P)).toBe(d);
  });

  it('19. change status and ignore: a pending change can be dropped; a new change queues it again', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: ALL });
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 1 }).handle!;
    const d = destOf(B, P);
    expect(B.getChangeStatus({ notifyHandle: nb, dest: d })).toBe(true);
    B.ignoreChangedDests({ notifyHandle: nb, dests: [d] });
    expect(B.getChangeStatus({ notifyHandle: nb, dest: d })).toBe(false);
    expect(B.getChangedDests({ notifyHandle: nb })).toEqual({ items: [], done: true });
    B.ignoreChangedDests({ notifyHandle: nb, dests: [d] });               // nothing pending: skipped
    A.addRouteToDest({ dest: P, route: h, neighbour: nA, metric: 2 });
    expect(B.getChangeStatus({ notifyHandle: nb, dest: d })).toBe(true);
    rtm.runPending();
    expect(drainChanged(B, nb)).toEqual([P]);
    expect(B.getChangeStatus({ notifyHandle: nb, dest: d })).toBe(false);
  });

  it('queues are FIFO, each destination once; batches stop at count; the last batch carries done (D-40)', () => {
    const { A, B, nA } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: ALL });
    for (const p of ['10.3.0.0/16', '10.1.0.0/16', '10.2.0.0/16']) A.addRouteToDest({ dest: p, neighbour: nA, returnHandle: false });
    A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nA, metric: 9, returnHandle: false });   // already queued: keeps its place
    const first = B.getChangedDests({ notifyHandle: nb, count: 2 });
    expect(first.items.map((d) => d.prefix)).toEqual(['10.3.0.0/16', '10.1.0.0/16']);
    expect(first.done).toBe(false);
    const second = B.getChangedDests({ notifyHandle: nb, count: 2 });
    expect(second.items.map((d) => d.prefix)).toEqual(['10.2.0.0/16']);
    expect(second.done).toBe(true);
    // Changed-dest records must go back through releaseChangedDests (D-60).
    expectCode(() => B.releaseDests(first.items), 'ERROR_INVALID_HANDLE');
    B.releaseChangedDests({ notifyHandle: nb, dests: [...first.items, ...second.items] });
    expectCode(() => B.releaseChangedDests({ notifyHandle: nb, dests: second.items }), 'ERROR_INVALID_HANDLE');
    expectCode(() => B.getChangedDests({ notifyHandle: nb, count: B.profile.maxHandlesInEnum + 1 }), 'ERROR_INVALID_PARAMETER');
  });

  it('an entity without a callback can poll; notify handles are private; deregistering a registration invalidates it', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const quiet = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 99 });
    const nq = quiet.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT });
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    rtm.runPending();
    expectCode(() => B.getChangedDests({ notifyHandle: nq }), 'ERROR_INVALID_HANDLE');
    const got = quiet.getChangedDests({ notifyHandle: nq });
    expect(got.items.map((d) => d.prefix)).toEqual([P]);
    quiet.deregisterFromChangeNotification(nq);                      // releases the unreleased records
    expectCode(() => quiet.getChangedDests({ notifyHandle: nq }), 'ERROR_INVALID_HANDLE');
    expectCode(() => quiet.deregisterFromChangeNotification(nq), 'ERROR_INVALID_HANDLE');
  });

  it('registrations are refused inside a change-notification callback and when the cap is reached', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl, { maxNotifyRegistrations: 3 });
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT });
    let code = '';
    pb.respond = () => { try { B.registerForChangeNotification({ notifyFlags: ALL }); code = 'NO_ERROR'; } catch (e) { code = (e as { code: string }).code; } };
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    rtm.runPending();
    expect(code).toBe('ERROR_BUSY');
    A.registerForChangeNotification({ notifyFlags: ALL });
    B.registerForChangeNotification({ notifyFlags: ALL });
    expectCode(() => A.registerForChangeNotification({ notifyFlags: ALL }), 'ERROR_NO_SYSTEM_RESOURCES');
    B.deregisterFromChangeNotification(nb);
    A.registerForChangeNotification({ notifyFlags: ALL });
  });

  it('a deregistered registration\'s pending signal is cancelled', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: BESTT });
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    B.deregisterFromChangeNotification(nb);
    expect(rtm.runPending()).toBe(0);
    expect(pb.events).toEqual([]);
  });
});
