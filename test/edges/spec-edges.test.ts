// Spec deviations of issue 12 item 8, each run on the reference model and on the WASM facade (debug
// core) with the same calls: a hold-down end waits for another entity's destination lock (§7.10 rule 4,
// D-20); ending a notification registration or an entity clears its marks (§8.9.8, §7.16, D-24, D-48);
// destCount counts live destinations only (API.md).
import { describe, expect, it } from 'vitest';
import {
  NO_ERROR, RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_NOTIFY_ONLY_MARKED_DESTS,
  RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { DestHandle, EntityLike, RtmLike } from '../../src/types.js';
import { Rtm } from '../../src/rtm.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { destOf, drainChanged, setup } from '../reference/fixture.js';

const IMPLS = DYNAMIC_IMPLEMENTATIONS;

/** The handle of P's destination if it is present (the reference the query takes is given back). */
function present(e: EntityLike, P: string): DestHandle | undefined {
  const info = e.getExactMatchDestination({ dest: P, views: ANY });
  if (info) e.releaseDestInfo(info);
  return info?.handle;
}

/** The core's structural checks (marks counted per registration among them), on the WASM facade. */
function invariants(rtm: RtmLike): void {
  if (!(rtm instanceof Rtm)) return;
  expect(rtm.core.x.checkInvariants(rtm.ipv4.core.t)).toBe(0);
}

function heldRoute(e: EntityLike, dest: DestHandle) {
  const info = e.getDestInfo({ dest, views: UCAST });
  e.releaseDestInfo(info);
  return info.viewInfo[0].holdRoute;
}

describe.each(IMPLS)('$name: a hold-down end waits for another entity\'s lock (§7.10 rule 4, D-20)', (impl) => {
  it('the held route stays while B holds the lock; the hold ends at the first run after the release', () => {
    const { rtm, clock, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], views: UCAST }).handle!;
    const d = destOf(A, P);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 100 });
    A.deleteRouteToDest(h);
    rtm.runPending();
    expect(heldRoute(A, d)).toBe(h);
    drainChanged(B, nb);
    B.lockDestination({ dest: d });                                   // a shared lock of another entity
    clock.advance(500);
    expect(heldRoute(A, d)).toBe(h);                                  // the hold end waits
    expect(drainChanged(B, nb)).toEqual([]);
    clock.advance(500);
    expect(heldRoute(A, d)).toBe(h);
    B.lockDestination({ dest: d, lock: false });
    expect(heldRoute(A, d)).toBe(h);                                  // nothing happens inside the API call
    rtm.runPending();
    expect(drainChanged(B, nb)).toEqual([P]);
    expect(present(A, P)).toBeUndefined();
  });

  it('a deferred hold end also ends a hold that started under the lock; nothing fires later', () => {
    const { rtm, clock, A, B, nA, P } = setup(impl);
    const h1 = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    const d = destOf(A, P);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 100 });
    A.deleteRouteToDest(h1);
    A.lockDestination({ dest: d, exclusive: true });                 // the holder itself may change the destination
    clock.advance(150);                                               // the hold end is due, deferred by A's lock
    const h2 = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.deleteRouteToDest(h2);                                          // the held route is replaced
    expect(heldRoute(A, d)).toBe(h2);
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    rtm.runPending();
    expect(present(A, P)).toBeUndefined();
    clock.advance(1000);
    const n = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    clock.advance(1000);
    expect(drainChanged(B, n)).toEqual([]);
  });
});

describe.each(IMPLS)('$name: ending a registration clears its marks and pins (§8.9.8, §7.16, D-24, D-48)', (impl) => {
  it('deregisterFromChangeNotification: the marked destination leaves; a registration reusing the index has no mark', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    const n1 = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    B.markDestForChangeNotification({ notifyHandle: n1, dest: d });
    A.deleteRouteToDest(h);
    rtm.runPending();
    drainChanged(B, n1);
    expect(present(A, P)).toBe(d);   // the mark keeps it present
    B.deregisterFromChangeNotification(n1);
    expect(present(A, P)).toBeUndefined();
    // a marked destination that has routes stays; the next registration (same index) has no mark on it
    A.addRouteToDest({ dest: P, neighbour: nA });
    const d2 = destOf(A, P);
    const n2 = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    B.markDestForChangeNotification({ notifyHandle: n2, dest: d2 });
    B.deregisterFromChangeNotification(n2);
    const n3 = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    expect(B.isMarkedForChangeNotification({ notifyHandle: n3, dest: d2 })).toBe(false);
    A.addRouteToDest({ dest: P, neighbour: nA, metric: 9 });
    rtm.runPending();
    expect(drainChanged(B, n3)).toEqual([]);                           // n3 takes marked destinations only
    expect(B.isMarkedForChangeNotification({ notifyHandle: n3, dest: d2 })).toBe(false);
    invariants(rtm);
  });

  it('entity deregistration: the marks of its registrations go with it', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    const n1 = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    B.markDestForChangeNotification({ notifyHandle: n1, dest: d });
    A.deleteRouteToDest(h);
    rtm.runPending();
    drainChanged(B, n1);
    expect(present(A, P)).toBe(d);
    B.deregister();
    rtm.runPending();
    expect(present(A, P)).toBeUndefined();
    A.addRouteToDest({ dest: P, neighbour: nA });
    const d2 = destOf(A, P);
    const n2 = A.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    expect(A.isMarkedForChangeNotification({ notifyHandle: n2, dest: d2 })).toBe(false);
    invariants(rtm);
  });
});

describe('destCount counts live destinations (API.md §3, README)', () => {
  it('a destination whose only route is held, or that a mark keeps present, is not counted', () => {
    const { rtm, clock, A, B, nA, P } = setup(DYNAMIC_IMPLEMENTATIONS.find((i) => i.name === 'wasm')!);
    const t = (rtm as Rtm).ipv4;
    expect([t.destCount, t.routeCount]).toEqual([0, 0]);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST }).handle!;
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, views: 0, returnHandle: false });   // in no view: still live
    const d = destOf(A, P);
    expect([t.destCount, t.routeCount]).toEqual([2, 2]);
    A.holdDestination({ dest: d, views: UCAST, holdTime: 100 });
    A.deleteRouteToDest(h);
    expect(heldRoute(A, d)).toBe(h);
    expect([t.destCount, t.routeCount]).toEqual([1, 1]);
    expect((rtm as Rtm).ipv4.core.populatedCount).toBe(2);               // the core's populated count includes it
    const n = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    B.markDestForChangeNotification({ notifyHandle: n, dest: d });
    clock.advance(100);                                                  // the hold ends; the mark keeps it present
    expect(present(A, P)).toBe(d);
    expect([t.destCount, t.routeCount]).toEqual([1, 1]);
    A.addRouteToDest({ dest: P, neighbour: nA, views: UCAST });
    expect([t.destCount, t.routeCount]).toEqual([2, 2]);
    invariants(rtm);
  });
});
