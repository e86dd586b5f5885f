// Locks, owner views, opaque pointers and entity methods of the dynamics layer (spec §7.10–7.12, §8.2,
// §8.3, §8.5.4–8.5.6, §8.7.4–8.7.5; scenarios 25, 26, 29, 30; D-04, D-17, D-20–22, D-24, D-41–43): lock
// modes and ERROR_BUSY for other entities' changes, staged owner-view edits and their commit, next-hop
// locks, opaque slots pinning destinations, method invocation and blocking, the clean-up at
// deregistration, and every error path (clear RtmError, instance unchanged). Each test runs on the
// reference model and on the WASM facade (debug core) with the same calls.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import {
  DEST_TYPE, METHOD_TYPE_ALL_METHODS, NEXTHOP_TYPE, RTM_BLOCK_METHODS, RTM_NEXTHOP_FLAGS_REMOTE, RTM_RESUME_METHODS,
  ROUTE_TYPE, RTM_ROUTE_CHANGE_BEST as BEST, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_MCAST as MCAST,
  RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type {
  DestHandle, EntityHandle, EntityLike, EntityMethod, Handle, NextHopHandle, RouteHandle,
} from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, party, setup, destOf } from '../reference/fixture.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

const IMPLS = DYNAMIC_IMPLEMENTATIONS;

function routeInfo(e: EntityLike, h: RouteHandle): Record<string, unknown> {
  const i = e.getRouteInfo(h);
  e.releaseRouteInfo(i);
  return { metric: i.metric, preference: i.preference, views: i.views, flags: i.flags, flags1: i.flags1, neighbour: i.neighbour,
    nextHops: i.nextHops, entitySpecificInfo: i.entitySpecificInfo };
}

/** Deregisters with the dynamics clean-up (Entity.dynamicsCleanup, which deregister() calls once wired). */
function deregister(e: EntityLike): void {
  (e as { dynamicsCleanup?: () => void }).dynamicsCleanup?.();
  e.deregister();
}

describe.each(IMPLS)('$name: destination and route locks', (impl) => {
  it('29. an exclusive lock makes other entities\' changes ERROR_BUSY; reads proceed; modes, recursion, NOT_LOCKED', () => {
    const { rtm, A, B, nA, nB, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const d = destOf(A, P);
    A.lockDestination({ dest: d, exclusive: true });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');
    expectCode(() => B.lockDestination({ dest: d, exclusive: false }), 'ERROR_BUSY');
    expectCode(() => B.lockDestination({ dest: d, exclusive: true }), 'ERROR_BUSY');
    const read = B.getDestInfo({ dest: d, views: UCAST });                    // reads always proceed
    expect(read.viewInfo[0].numRoutes).toBe(1);
    B.releaseDestInfo(read);
    expect([...B.dests()].map((x) => x.prefix)).toEqual([P]);
    A.addRouteToDest({ dest: P, neighbour: nA, metric: 4, returnHandle: false });   // the holder itself proceeds
    expectCode(() => A.lockDestination({ dest: d, exclusive: false, lock: false }), 'ERROR_NOT_LOCKED');   // wrong mode
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    const b = B.addRouteToDest({ dest: P, neighbour: nB });
    expect(b.changeFlags & 0x2).toBe(0x2);
    expectCode(() => A.lockDestination({ dest: d, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    // Shared locks coexist; an exclusive request against them is refused; others' changes are refused.
    A.lockDestination({ dest: d });
    B.lockDestination({ dest: d });
    const { entity: C } = party(rtm, 99);
    expectCode(() => A.lockDestination({ dest: d, exclusive: true }), 'ERROR_BUSY');
    expectCode(() => B.deleteRouteToDest(b.handle!), 'ERROR_BUSY');
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA, metric: 5 }), 'ERROR_BUSY');
    expectCode(() => C.addRouteToDest({ dest: P, neighbour: null }), 'ERROR_BUSY');
    expectCode(() => B.lockDestination({ dest: d, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    B.lockDestination({ dest: d, lock: false });
    expectCode(() => B.lockDestination({ dest: d, lock: false }), 'ERROR_NOT_LOCKED');
    expectCode(() => B.deleteRouteToDest(b.handle!), 'ERROR_BUSY');        // A still holds it shared
    A.addRouteToDest({ dest: P, neighbour: nA, metric: 6, returnHandle: false });   // … and may change it
    A.lockDestination({ dest: d, lock: false });
    B.deleteRouteToDest(b.handle!);
    // Exclusive locks are recursive for their holder; a holder may also add a shared lock.
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: d });
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');   // the shared lock remains
    A.lockDestination({ dest: d, lock: false });
    B.addRouteToDest({ dest: P, neighbour: nB, returnHandle: false });
    // Any entity may lock a destination (D-21), also one it has no route in.
    C.lockDestination({ dest: d, exclusive: true });
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA }), 'ERROR_BUSY');
    C.lockDestination({ dest: d, exclusive: true, lock: false });
  });

  it('route locks lock the route\'s destination; owners get their one owner view, non-owners a shared lock only', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 1 }).handle!;
    const q = A.addRouteToDest({ dest: P, neighbour: null, metric: 2 }).handle!;
    expectCode(() => B.lockRoute({ route: h, exclusive: true }), 'ERROR_ACCESS_DENIED');
    expect(B.lockRoute({ route: h, exclusive: false })).toBeUndefined();
    expectCode(() => A.lockRoute({ route: h, exclusive: true }), 'ERROR_BUSY');
    const view = A.lockRoute({ route: h, exclusive: false })!;
    expect(view).toBe(A.getRoutePointer(h));
    expect(view).toMatchObject({ handle: h, owner: A.handle, dest: destOf(A, P), prefix: P, metric: 1, state: 0 });
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA, metric: 3 }), 'ERROR_BUSY');
    B.lockRoute({ route: q, exclusive: false, lock: false });                   // q shares h's destination lock
    A.lockRoute({ route: h, exclusive: false, lock: false });
    const vq = A.lockRoute({ route: q, exclusive: true })!;
    expect(vq).toBe(A.getRoutePointer(q));
    expectCode(() => B.lockDestination({ dest: destOf(B, P) }), 'ERROR_BUSY');
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');
    A.lockDestination({ dest: destOf(A, P), exclusive: true, lock: false });    // the same lock
    B.addRouteToDest({ dest: P, neighbour: nB, returnHandle: false });
    // a deleted route cannot be locked, but a lock taken before the deletion can be released
    A.lockRoute({ route: q, exclusive: true });
    A.referenceHandles([q]);
    A.deleteRouteToDest(q);
    expectCode(() => A.lockRoute({ route: q, exclusive: true }), 'ERROR_INVALID_HANDLE');
    A.lockRoute({ route: q, exclusive: true, lock: false });
    A.releaseRoutes([q]);
    expectCode(() => A.lockRoute({ route: q }), 'ERROR_INVALID_HANDLE');
  });

  it('30. in-place update: staged edits are private to the owner and committed by updateAndUnlockRoute', () => {
    const { A, B, nA, P } = setup(impl);
    const nA2 = A.addNextHop({ address: '10.0.0.5', interfaceIndex: 1 }).handle!;
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], metric: 10, views: UCAST }).handle!;
    const view = A.getRoutePointer(h);
    view.metric = 1;                                                            // not locked: ignored
    expect(view.metric).toBe(10);
    expect(A.lockRoute({ route: h, exclusive: true })).toBe(view);
    view.metric = 3;
    view.preference = 7;
    view.views = UCAST | MCAST;
    view.flags = 0x20;
    view.flags1 = 2;
    view.entitySpecificInfo = { mine: true };
    A.referenceHandles([nA2]);                                                  // the documented bookkeeping (D-41)
    view.nextHops = [nA2];
    view.neighbour = nA2;
    A.releaseNextHops([nA]);
    expect(view).toMatchObject({ metric: 3, preference: 7, views: 3, flags: 0x20, flags1: 2, nextHops: [nA2], neighbour: nA2 });
    expect(Object.isFrozen(view.nextHops)).toBe(true);
    expect(routeInfo(B, h)).toMatchObject({ metric: 10, preference: 0, views: UCAST, nextHops: [nA], neighbour: nA });
    expect(A.updateAndUnlockRoute({ route: h, timeToLive: 0xffffffff })).toBe(BEST);
    expect(routeInfo(B, h)).toEqual({ metric: 3, preference: 7, views: 3, flags: 0x20, flags1: 2, neighbour: nA2, nextHops: [nA2], entitySpecificInfo: { mine: true } });
    expect(view.metric).toBe(3);
    expectCode(() => A.updateAndUnlockRoute({ route: h }), 'ERROR_NOT_LOCKED');
    // nA is unused and unreferenced once deleted: it is freed.
    A.deleteNextHop({ address: '10.0.0.1', interfaceIndex: 1 });
    expectCode(() => A.getNextHopInfo(nA), 'ERROR_INVALID_HANDLE');
    // no edits: updateAndUnlockRoute changes nothing and reports no BEST change
    A.lockRoute({ route: h, exclusive: true });
    expect(A.updateAndUnlockRoute({ route: h })).toBe(0);
    expect(routeInfo(A, h)).toMatchObject({ metric: 3, nextHops: [nA2] });
  });

  it('30b. invalid staged edits: updateAndUnlockRoute fails and keeps the lock; a plain unlock reverts them and releases it', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], metric: 10 }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.nextHops = [nB];                                                       // B's next hop
    expectCode(() => A.updateAndUnlockRoute({ route: h }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');   // still locked
    expect(view.nextHops).toEqual([nB]);                                        // still staged
    view.nextHops = [nA];
    view.metric = 11;
    expect(A.updateAndUnlockRoute({ route: h })).toBe(BEST);
    try { view.metric = 99; } catch { /* an implementation may throw in debug builds */ }
    expect(routeInfo(A, h).metric).toBe(11);
    expectCode(() => B.updateAndUnlockRoute({ route: h }), 'ERROR_ACCESS_DENIED');
    for (const bad of [
      (v: typeof view) => { v.metric = -1; }, (v: typeof view) => { v.flags = 0x10000; }, (v: typeof view) => { v.flags1 = 256; },
      (v: typeof view) => { v.neighbour = nB; }, (v: typeof view) => { v.nextHops = Array(9).fill(nA); },
      (v: typeof view) => { v.preference = 1.5; }, (v: typeof view) => { v.nextHops = [98765431 as NextHopHandle]; },
    ]) {
      A.lockRoute({ route: h, exclusive: true });
      bad(view);
      view.views = MCAST;
      expectCode(() => A.lockRoute({ route: h, exclusive: true, lock: false }), 'ERROR_INVALID_PARAMETER');
      expect(view.views).toBe(UCAST);                                          // reverted
      expect(routeInfo(A, h)).toMatchObject({ metric: 11, views: UCAST, nextHops: [nA] });
      B.addRouteToDest({ dest: P, neighbour: nB, metric: 50, returnHandle: false });   // the lock is released
    }
  });

  it('30c. plain exclusive unlocks commit staged edits (D-42): a route unlock at once, a destination unlock when fully released', () => {
    const { A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 10 }).handle!;
    const g = A.addRouteToDest({ dest: P, neighbour: null, metric: 20 }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.metric = 12;
    A.lockRoute({ route: h, exclusive: true, lock: false });
    expect(routeInfo(B, h).metric).toBe(12);
    const d = destOf(A, P);
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: d, exclusive: true });
    const vg = A.getRoutePointer(g);
    vg.metric = 1;                                                               // writable under the destination lock
    view.entitySpecificInfo = 'x';
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expect(routeInfo(B, g).metric).toBe(20);                                   // still held exclusively
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expect(routeInfo(B, g).metric).toBe(1);
    expect(routeInfo(B, h).entitySpecificInfo).toBe('x');
    expect(A.isBestRoute(g)).toBe(UCAST);
    // a shared unlock commits nothing; a route unlock commits that route even while the lock is still held
    A.lockRoute({ route: g, exclusive: true });
    A.lockRoute({ route: g, exclusive: true });
    vg.metric = 2;
    A.lockRoute({ route: g, exclusive: true, lock: false });
    expect(routeInfo(B, g).metric).toBe(2);
    A.lockDestination({ dest: d });
    vg.metric = 3;
    A.lockDestination({ dest: d, lock: false });
    expect(routeInfo(B, g).metric).toBe(2);
    A.lockRoute({ route: g, exclusive: true, lock: false });
    expect(routeInfo(B, g).metric).toBe(3);
  });

  it('updateAndUnlockRoute moves the route to a list; a bad list fails and keeps the lock (needs route lists)', () => {
    const { A, B, nA, nB, P } = setup(impl);
    if (typeof (A as Partial<EntityLike>).createRouteList !== 'function') return;   // route lists not in this build yet
    const L = A.createRouteList(), LB = B.createRouteList();
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.metric = 4;
    expectCode(() => A.updateAndUnlockRoute({ route: h, routeList: LB }), 'ERROR_INVALID_HANDLE');   // B's list
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');                   // still locked
    expect(view.metric).toBe(4);                                                                      // still staged
    expect(A.updateAndUnlockRoute({ route: h, routeList: L })).toBe(BEST);                          // metric of the best route (D-39)
    const en = A.createRouteListEnum(L);
    const got = A.getListEnumRoutes({ enumHandle: en });
    expect(got.items).toEqual([h]);
    A.releaseRoutes(got.items);
    A.deleteEnumHandle(en);
    expect(routeInfo(B, h).metric).toBe(4);
  });

  it('an expiry that hits a locked destination waits until the lock is released (§7.10 rule 4)', () => {
    const { rtm, clock, pa, A, B, nA, P } = setup(impl);
    pa.respond = () => 50;
    A.addRouteToDest({ dest: P, neighbour: nA, timeToLive: 100, returnHandle: false });
    const d = destOf(A, P);
    B.lockDestination({ dest: d });                                             // a shared lock of another entity is enough
    clock.advance(500);
    expect(pa.events).toEqual([]);
    B.lockDestination({ dest: d, lock: false });
    rtm.runPending();
    expect(pa.events.map((ev) => ev.type)).toEqual([2]);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });

  it('a plain unlock commits without touching the TTL (§7.10)', () => {
    const { clock, pa, A, P } = setup(impl);
    pa.respond = () => 50;                                                      // ERROR_NOT_SUPPORTED: delete it
    const h = A.addRouteToDest({ dest: P, timeToLive: 1000 }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.metric = 5;
    A.lockRoute({ route: h, exclusive: true, lock: false });
    clock.advance(999);
    expect(routeInfo(A, h)).toMatchObject({ metric: 5 });
    clock.advance(1);
    expect(pa.events.map((ev) => ev.type)).toEqual([2]);                        // RTM_ROUTE_EXPIRED
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });

  it('next-hop locks: owner view and staged Flags/EntitySpecificInfo/RemoteNextHop; identity edits reverted; BUSY for the owner\'s changes', () => {
    const { A, B, nA, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const d = destOf(A, P);
    expectCode(() => B.lockNextHop({ nextHop: nA, exclusive: true }), 'ERROR_ACCESS_DENIED');
    expect(B.lockNextHop({ nextHop: nA })).toBeUndefined();
    expectCode(() => A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1, flags: 1 }), 'ERROR_BUSY');
    expectCode(() => A.deleteNextHop(nA), 'ERROR_BUSY');
    expectCode(() => A.lockNextHop({ nextHop: nA, exclusive: true }), 'ERROR_BUSY');
    B.lockNextHop({ nextHop: nA, lock: false });
    expectCode(() => B.lockNextHop({ nextHop: nA, lock: false }), 'ERROR_NOT_LOCKED');
    const nv = A.lockNextHop({ nextHop: nA, exclusive: true })!;
    expect(A.lockNextHop({ nextHop: nA })).toBe(nv);                            // one view per next hop
    A.lockNextHop({ nextHop: nA, lock: false });
    expect(nv).toMatchObject({ handle: nA, owner: A.handle, state: 0, address: '10.0.0.1', interfaceIndex: 1, flags: 0 });
    A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1, flags: 0 });         // the holder itself proceeds
    nv.flags = RTM_NEXTHOP_FLAGS_REMOTE;
    nv.entitySpecificInfo = { nh: 1 };
    nv.remoteNextHop = d;
    expect(nv.flags).toBe(RTM_NEXTHOP_FLAGS_REMOTE);
    const seen = B.getNextHopInfo(nA);
    expect([seen.flags, seen.entitySpecificInfo, seen.remoteNextHop]).toEqual([0, null, undefined]);   // committed state
    B.releaseNextHopInfo(seen);
    A.lockNextHop({ nextHop: nA, exclusive: true, lock: false });
    const after = B.getNextHopInfo(nA);
    expect([after.flags, after.entitySpecificInfo, after.remoteNextHop]).toEqual([RTM_NEXTHOP_FLAGS_REMOTE, { nh: 1 }, d]);
    B.releaseNextHopInfo(after);
    nv.flags = 0;                                                               // not locked: ignored
    expect(nv.flags).toBe(RTM_NEXTHOP_FLAGS_REMOTE);
    for (const edit of [(v: typeof nv) => { v.interfaceIndex = 99; }, (v: typeof nv) => { v.address = '10.0.0.7'; },
      (v: typeof nv) => { v.flags = 0x10000; }, (v: typeof nv) => { v.remoteNextHop = 98765432 as DestHandle; }]) {
      A.lockNextHop({ nextHop: nA, exclusive: true });
      nv.entitySpecificInfo = 'lost';
      edit(nv);
      expectCode(() => A.lockNextHop({ nextHop: nA, exclusive: true, lock: false }), 'ERROR_INVALID_PARAMETER');
      expect([nv.interfaceIndex, nv.address, nv.flags, nv.entitySpecificInfo]).toEqual([1, '10.0.0.1', RTM_NEXTHOP_FLAGS_REMOTE, { nh: 1 }]);
      expectCode(() => A.lockNextHop({ nextHop: nA, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    }
    A.lockNextHop({ nextHop: nA, exclusive: true });
    nv.address = '10.0.0.1/32';                                                 // the same identity, written differently
    nv.remoteNextHop = undefined;
    A.lockNextHop({ nextHop: nA, exclusive: true, lock: false });
    expect(nv.remoteNextHop).toBeUndefined();
    expectCode(() => B.getNextHopPointer(nA), 'ERROR_ACCESS_DENIED');
    A.referenceHandles([nA]);
    A.deleteNextHop(nA);
    expectCode(() => A.lockNextHop({ nextHop: nA }), 'ERROR_NOT_FOUND');
    expectCode(() => B.lockNextHop({ nextHop: nA, exclusive: true }), 'ERROR_ACCESS_DENIED');
    A.releaseNextHops([nA]);
  });
});

describe.each(IMPLS)('$name: opaque pointers', (impl) => {
  it('25. a reserving entity\'s slot keeps its destination present until cleared; others have none', () => {
    const { A, B, nA, P } = setup(impl, {}, { a: { reserveOpaquePointer: true } });
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    expect(B.getOpaqueInformationPointer(d)).toBeUndefined();
    A.lockDestination({ dest: d, exclusive: true });
    const slot = A.getOpaqueInformationPointer(d)!;
    expect(slot.value).toBeNull();
    const mine = { lsa: 42 };
    slot.value = mine;
    slot.value = mine;                                                          // pinned once
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expect(A.getOpaqueInformationPointer(d)).toBe(slot);
    A.deleteRouteToDest(h);
    const still = A.getExactMatchDestination({ dest: P, views: ANY })!;
    expect([still.handle, still.viewInfo]).toEqual([d, []]);
    A.releaseDestInfo(still);
    expect(A.getExactMatchDestination({ dest: P, views: UCAST })).toBeUndefined();
    expect([...A.dests({ views: ANY })]).toEqual([]);                          // present, not populated
    const again = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;         // the same destination object
    expect(destOf(A, P)).toBe(d);
    A.deleteRouteToDest(again);
    slot.value = undefined;                                                     // NULL too
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
    expectCode(() => A.getOpaqueInformationPointer(d), 'ERROR_INVALID_HANDLE');
  });

  it('slots are per entity; a referenced destination keeps its slot; deregistration clears the slot', () => {
    const w = setup(impl, {}, { a: { reserveOpaquePointer: true }, b: { reserveOpaquePointer: true } });
    const { A, B, nA, P } = w;
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    const sa = A.getOpaqueInformationPointer(d)!, sb = B.getOpaqueInformationPointer(d)!;
    expect(sa).not.toBe(sb);
    sa.value = 'a';
    expect(sb.value).toBeNull();
    B.referenceHandles([d]);
    sb.value = 'b';
    A.deleteRouteToDest(h);
    sa.value = null;
    expect(destOf(B, P)).toBe(d);                                               // B's slot and reference keep it
    sb.value = null;
    expect(B.getOpaqueInformationPointer(d)).toBe(sb);                          // still referenced by B
    B.releaseDestInfo({ handle: d, viewInfo: [] } as never);
    expect(B.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
    // deregistration clears the slot values (D-43)
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const d2 = destOf(B, P);
    const s2 = B.getOpaqueInformationPointer(d2)!;
    s2.value = 7;
    const r2 = A.getExactMatchRoute({ dest: P })!;
    A.releaseRouteInfo(r2.info);
    A.deleteRouteToDest(r2.handle!);
    expect(destOf(A, P)).toBe(d2);
    deregister(B);
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });
});

describe.each(IMPLS)('$name: entity methods', (impl) => {
  it('26. methods by bit, invoked synchronously in ascending order with (caller, callee); blocking is not counted', () => {
    const calls: string[] = [];
    const m0: EntityMethod = (caller, callee, input) => { calls.push(`m0 ${caller} ${callee} ${input.methodType}`); };
    const m1: EntityMethod = (caller, callee, input, output) => {
      calls.push(`m1 ${caller} ${callee} ${input.methodType} [${[...input.inputData].join()}]`);
      expect(Object.isFrozen(input)).toBe(true);
      expect([output.methodType, output.methodStatus, output.outputSize, output.outputData.length]).toEqual([2, 0, 16, 16]);
      output.outputData[0] = 0xab;
      output.outputData[1] = input.inputData[0];
      output.outputSize = 2;
      output.methodStatus = 7;
    };
    const m2: EntityMethod = (_c, _e, _i, output) => { output.outputData = new Uint8Array([1, 2, 3]); output.outputSize = 99; };
    const { rtm, A, B } = setup(impl, {}, { a: { exportMethods: [m0, m1, m2] } });
    expect(B.getEntityMethods(A.handle)).toEqual([0x1, 0x2, 0x4]);
    expect(B.getEntityMethods(B.handle)).toEqual([]);
    const out = B.invokeMethod({ entity: A.handle, methodType: 0x2, inputData: new Uint8Array([5]), outputCapacity: 16 });
    expect(calls).toEqual([`m1 ${B.handle} ${A.handle} 2 [5]`]);
    expect(out.map((o) => [o.methodType, o.methodStatus, [...o.outputData]])).toEqual([[2, 7, [0xab, 5]]]);
    calls.length = 0;
    const all = B.invokeMethod({ entity: A.handle, methodType: METHOD_TYPE_ALL_METHODS, outputCapacity: 16 });
    expect(all.map((o) => [o.methodType, o.methodStatus, o.outputData.length])).toEqual([[1, 0, 16], [2, 7, 2], [4, 0, 3]]);
    expect(calls.map((c) => c.slice(0, 2))).toEqual(['m0', 'm1']);
    expect(B.invokeMethod({ entity: A.handle, methodType: 0x8 | 0x100 })).toEqual([]);   // bits without a method
    expect(A.invokeMethod({ entity: A.handle, methodType: 0x1 }).length).toBe(1);         // an entity may call itself
    A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS });
    A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS });
    expectCode(() => B.invokeMethod({ entity: A.handle, methodType: 0x1 }), 'ERROR_BUSY');
    expectCode(() => B.invokeMethod({ entity: A.handle, methodType: -1 }), 'ERROR_INVALID_PARAMETER');   // arguments first
    expect(B.getEntityMethods(A.handle)).toEqual([0x1, 0x2, 0x4]);
    A.blockMethods({ blockingFlag: RTM_RESUME_METHODS });
    expect(B.invokeMethod({ entity: A.handle, methodType: 0x1 }).length).toBe(1);
    const keep = B.getRegisteredEntities();
    deregister(A);
    rtm.runPending();
    expectCode(() => B.invokeMethod({ entity: A.handle, methodType: 0x1 }), 'ERROR_INVALID_HANDLE');
    expect(B.getEntityMethods(A.handle)).toEqual([0x1, 0x2, 0x4]);             // still referenced: still described
    B.releaseEntities(keep.map((x) => x.handle));
    expectCode(() => B.getEntityMethods(A.handle), 'ERROR_INVALID_HANDLE');
    expectCode(() => B.invokeMethod({ entity: 12345678 as EntityHandle, methodType: 0x1 }), 'ERROR_INVALID_HANDLE');
  });

  it('blockMethods validates a target against its type (D-04) and then blocks entity-wide', () => {
    const { rtm, A, B, nA, P } = setup(impl, {}, { a: { exportMethods: [() => undefined] } });
    const r = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    const v6 = party(rtm, 77, 1, {}, 'ipv6').entity;
    const n6 = v6.addNextHop({ address: 'fe80::1', interfaceIndex: 1 }).handle!;
    const targets: [Handle | null, number | undefined, string | undefined][] = [
      [d, DEST_TYPE, undefined], [r, ROUTE_TYPE, undefined], [nA, NEXTHOP_TYPE, undefined], [d, undefined, undefined],
      [r, DEST_TYPE, 'ERROR_INVALID_HANDLE'], [d, NEXTHOP_TYPE, 'ERROR_INVALID_HANDLE'], [n6, NEXTHOP_TYPE, 'ERROR_INVALID_HANDLE'],
      [98765433 as Handle, DEST_TYPE, 'ERROR_INVALID_HANDLE'], [null, 9, 'ERROR_INVALID_PARAMETER'], [d, 9, 'ERROR_INVALID_PARAMETER'],
      [B.handle, undefined, undefined],
    ];
    for (const [targetHandle, targetType, code] of targets) {
      const call = (): void => A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS, targetHandle, targetType });
      if (code) {
        expectCode(call, code);
        expect(B.invokeMethod({ entity: A.handle, methodType: 1 }).length).toBe(1);
      } else {
        call();
        expectCode(() => B.invokeMethod({ entity: A.handle, methodType: 1 }), 'ERROR_BUSY');
        A.blockMethods({ blockingFlag: RTM_RESUME_METHODS, targetHandle, targetType });
      }
    }
    expectCode(() => A.blockMethods({ blockingFlag: 2 }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => A.blockMethods({ blockingFlag: 2, targetHandle: 987654321 as Handle, targetType: DEST_TYPE }), 'ERROR_INVALID_HANDLE');
  });
});

describe.each(IMPLS)('$name: deregistration', (impl) => {
  it('releases the entity\'s locks, enumerations, opaque values and blocking (§7.16)', () => {
    const { rtm, A, B, nA, nB, P } = setup(impl, {}, { a: { reserveOpaquePointer: true, exportMethods: [() => undefined] } });
    B.addRouteToDest({ dest: P, neighbour: nB, returnHandle: false });
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, returnHandle: false });
    const d = destOf(B, P);
    const q = destOf(B, '10.1.0.0/16');
    B.referenceHandles([q]);
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: q });
    B.lockNextHop({ nextHop: nB });
    A.getOpaqueInformationPointer(d)!.value = 'pinned';
    A.createDestEnum();
    A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB, metric: 1 }), 'ERROR_BUSY');
    deregister(A);
    rtm.runPending();
    B.addRouteToDest({ dest: P, neighbour: nB, metric: 1, returnHandle: false });
    B.lockDestination({ dest: d, exclusive: true });
    B.lockDestination({ dest: q, exclusive: true });
    B.lockDestination({ dest: q, exclusive: true, lock: false });
    B.lockDestination({ dest: d, exclusive: true, lock: false });
    B.lockNextHop({ nextHop: nB, lock: false });
    const routes = [...B.routes()];
    expect(routes.length).toBe(1);
    B.referenceHandles(routes);
    B.deleteRouteToDest(routes[0]);
    expect(B.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();   // A's slot value is gone
  });
});

describe.each(IMPLS)('$name: lock, pointer, opaque and method errors', (impl) => {
  it('each error path throws a clear RtmError and leaves the instance unchanged', () => {
    const w = setup(impl, {}, { a: { reserveOpaquePointer: true } });
    const { rtm, A, B, nA, nB, P } = w;
    const rA = A.addRouteToDest({ dest: P, neighbour: nA, metric: 5 }).handle!;
    const rB = B.addRouteToDest({ dest: P, neighbour: nB, metric: 7 }).handle!;
    const rL = B.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nB }).handle!;
    const rAL = A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nA, preference: 9 }).handle!;
    const dP = destOf(A, P), dL = destOf(A, '10.3.0.0/16');
    const rDead = A.addRouteToDest({ dest: P, neighbour: null, changeFlags: 2 }).handle!;
    A.referenceHandles([rDead]);
    A.deleteRouteToDest(rDead);
    const gone = A.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nA }).handle!;
    const dStale = destOf(A, '10.9.0.0/16');
    A.deleteRouteToDest(gone);
    const nADead = A.addNextHop({ address: '10.0.0.8', interfaceIndex: 1 }).handle!;
    A.referenceHandles([nADead]);
    A.deleteNextHop(nADead);
    B.lockDestination({ dest: dL, exclusive: true });
    A.getOpaqueInformationPointer(dP)!.value = 'v';
    const C = party(rtm, 55).entity;
    const cHandle = C.handle;
    A.referenceHandles([cHandle]);
    deregister(C);
    rtm.runPending();
    const snap = (): unknown => publicSnapshot({
      entities: [A, B], probes: [P, '10.3.0.0/16', '10.9.0.0/16'], routes: [rA, rB, rL, rAL, rDead, gone], nextHops: [nA, nB, nADead], dynamics: true,
    });
    const before = snap();
    const cases: [string, string, () => unknown][] = [
      ['lockDestination: not a destination handle', 'ERROR_INVALID_HANDLE', () => A.lockDestination({ dest: rA as unknown as DestHandle })],
      ['lockDestination: freed destination', 'ERROR_INVALID_HANDLE', () => A.lockDestination({ dest: dStale })],
      ['lockDestination: unlock without lock', 'ERROR_NOT_LOCKED', () => A.lockDestination({ dest: dP, exclusive: true, lock: false })],
      ['lockDestination: shared unlock of an exclusive lock', 'ERROR_NOT_LOCKED', () => B.lockDestination({ dest: dL, lock: false })],
      ['lockDestination: held exclusively by another entity', 'ERROR_BUSY', () => A.lockDestination({ dest: dL, exclusive: false })],
      ['addRouteToDest: destination locked by another entity', 'ERROR_BUSY', () => A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nA })],
      ['deleteRouteToDest: destination locked by another entity', 'ERROR_BUSY', () => A.deleteRouteToDest(rAL)],
      ['lockRoute: exclusive by a non-owner', 'ERROR_ACCESS_DENIED', () => A.lockRoute({ route: rB, exclusive: true })],
      ['lockRoute: deleted route', 'ERROR_INVALID_HANDLE', () => A.lockRoute({ route: rDead, exclusive: true })],
      ['lockRoute: freed route', 'ERROR_INVALID_HANDLE', () => A.lockRoute({ route: gone })],
      ['lockRoute: destination held exclusively by another entity', 'ERROR_BUSY', () => A.lockRoute({ route: rAL, exclusive: false })],
      ['lockRoute: unlock without lock', 'ERROR_NOT_LOCKED', () => A.lockRoute({ route: rA, exclusive: true, lock: false })],
      ['updateAndUnlockRoute: not locked', 'ERROR_NOT_LOCKED', () => A.updateAndUnlockRoute({ route: rA })],
      ['updateAndUnlockRoute: another entity\'s route', 'ERROR_ACCESS_DENIED', () => A.updateAndUnlockRoute({ route: rB })],
      ['updateAndUnlockRoute: deleted route', 'ERROR_INVALID_HANDLE', () => A.updateAndUnlockRoute({ route: rDead })],
      ['updateAndUnlockRoute: bad TTL', 'ERROR_INVALID_PARAMETER', () => A.updateAndUnlockRoute({ route: rA, timeToLive: -5 })],
      ['updateAndUnlockRoute: not a route handle', 'ERROR_INVALID_HANDLE', () => A.updateAndUnlockRoute({ route: dP as unknown as RouteHandle })],
      ['getRoutePointer: another entity\'s route', 'ERROR_ACCESS_DENIED', () => A.getRoutePointer(rB)],
      ['getRoutePointer: freed route', 'ERROR_INVALID_HANDLE', () => A.getRoutePointer(gone)],
      ['lockNextHop: exclusive by a non-owner', 'ERROR_ACCESS_DENIED', () => B.lockNextHop({ nextHop: nA, exclusive: true })],
      ['lockNextHop: deleted next hop', 'ERROR_NOT_FOUND', () => A.lockNextHop({ nextHop: nADead })],
      ['lockNextHop: not a next-hop handle', 'ERROR_INVALID_HANDLE', () => A.lockNextHop({ nextHop: rA as unknown as NextHopHandle })],
      ['lockNextHop: unlock without lock', 'ERROR_NOT_LOCKED', () => A.lockNextHop({ nextHop: nA, lock: false })],
      ['getNextHopPointer: another entity\'s', 'ERROR_ACCESS_DENIED', () => A.getNextHopPointer(nB)],
      ['getOpaqueInformationPointer: freed destination', 'ERROR_INVALID_HANDLE', () => A.getOpaqueInformationPointer(dStale)],
      ['getOpaqueInformationPointer: a route handle', 'ERROR_INVALID_HANDLE', () => A.getOpaqueInformationPointer(rA as unknown as DestHandle)],
      ['getEntityMethods: not an entity', 'ERROR_INVALID_HANDLE', () => A.getEntityMethods(dP as unknown as EntityHandle)],
      ['invokeMethod: deregistered entity', 'ERROR_INVALID_HANDLE', () => A.invokeMethod({ entity: cHandle, methodType: 1 })],
      ['invokeMethod: not an entity handle', 'ERROR_INVALID_HANDLE', () => A.invokeMethod({ entity: dP as unknown as EntityHandle, methodType: 1 })],
      ['invokeMethod: no methodType', 'ERROR_INVALID_PARAMETER', () => A.invokeMethod({ entity: B.handle } as never)],
      ['invokeMethod: inputData not bytes', 'ERROR_INVALID_PARAMETER', () => A.invokeMethod({ entity: B.handle, methodType: 1, inputData: [1] as never })],
      ['invokeMethod: outputCapacity not a u32', 'ERROR_INVALID_PARAMETER', () => A.invokeMethod({ entity: B.handle, methodType: 1, outputCapacity: -1 })],
      ['blockMethods: bad flag', 'ERROR_INVALID_PARAMETER', () => A.blockMethods({ blockingFlag: 5 })],
      ['blockMethods: target of the wrong kind', 'ERROR_INVALID_HANDLE', () => A.blockMethods({ blockingFlag: 1, targetHandle: rA, targetType: DEST_TYPE })],
      ['blockMethods: unknown target type', 'ERROR_INVALID_PARAMETER', () => A.blockMethods({ blockingFlag: 1, targetType: 3 })],
    ];
    for (const [what, code, fn] of cases) {
      let thrown: unknown;
      try { fn(); } catch (err) { thrown = err; }
      expect(thrown, what).toBeInstanceOf(RtmError);
      expect((thrown as RtmError).code, what).toBe(code);
      expect((thrown as RtmError).message, what).toMatch(/^rtm: \w+: ERROR_/);
      expect(snap(), what).toEqual(before);
      expect(rtm.runPending(), what).toBe(0);
    }
    B.lockDestination({ dest: dL, exclusive: true, lock: false });
    deregister(A);
    for (const fn of [() => A.lockDestination({ dest: dP }), () => A.getOpaqueInformationPointer(dP), () => A.getRoutePointer(rA),
      () => A.lockRoute({ route: rA }), () => A.updateAndUnlockRoute({ route: rA }), () => A.lockNextHop({ nextHop: nA }),
      () => A.getEntityMethods(B.handle), () => A.invokeMethod({ entity: B.handle, methodType: 1 }), () => A.blockMethods({ blockingFlag: 0 })]) {
      expectCode(fn, 'ERROR_INVALID_HANDLE');
    }
  });
});
