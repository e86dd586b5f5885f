// Spec §13 scenarios 25, 26, 29, 30: opaque pointers (§7.11), entity methods (§7.12), locks (§7.10,
// D-20, D-21) and in-place route updates through the owner view (D-41, D-42).
import { describe, expect, it } from 'vitest';
import {
  METHOD_TYPE_ALL_METHODS, RTM_BLOCK_METHODS, RTM_CHANGE_TYPE_BEST, RTM_NEXTHOP_FLAGS_REMOTE, RTM_RESUME_METHODS,
  RTM_ROUTE_CHANGE_BEST as BEST, RTM_VIEW_MASK_ANY as ANY, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import type { EntityHandle, EntityLike, EntityMethod, NotifyHandle } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, setup, destOf } from '../reference/fixture.js';

function drain(e: EntityLike, notifyHandle: NotifyHandle): string[] {
  const { items } = e.getChangedDests({ notifyHandle });
  e.releaseChangedDests({ notifyHandle, dests: items });
  return items.map((d) => d.prefix);
}

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: opaque pointers', (impl) => {
  it('25. only a reserving entity has a slot; a non-NULL slot keeps the destination present until cleared', () => {
    const { A, B, nA, P } = setup(impl, {}, { a: { reserveOpaquePointer: true } });
    const h = A.addRouteToDest({ dest: P, neighbour: nA }).handle!;
    const d = destOf(A, P);
    expect(B.getOpaqueInformationPointer(d)).toBeUndefined();
    A.lockDestination({ dest: d, exclusive: true });
    const slot = A.getOpaqueInformationPointer(d)!;
    expect(slot.value).toBeNull();                                     // slots start NULL
    const mine = { lsa: 42 };
    slot.value = mine;
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expect(A.getOpaqueInformationPointer(d)).toBe(slot);               // the address of the slot, not a copy
    A.deleteRouteToDest(h);
    const still = A.getExactMatchDestination({ dest: P, views: ANY })!;
    expect(still.handle).toBe(d);
    expect(still.viewInfo).toEqual([]);
    A.releaseDestInfo(still);
    expect(A.getExactMatchDestination({ dest: P, views: UCAST })).toBeUndefined();
    expect(A.getOpaqueInformationPointer(d)!.value).toBe(mine);
    slot.value = null;
    expect(A.getExactMatchDestination({ dest: P, views: ANY })).toBeUndefined();
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: entity methods', (impl) => {
  it('26. methods by bit; synchronous invocation with (caller, callee); blocking; deregistered callee', () => {
    const calls: string[] = [];
    const m0: EntityMethod = (caller, callee, input) => { calls.push(`m0 ${caller} ${callee} ${input.methodType}`); };
    const m1: EntityMethod = (caller, callee, input, output) => {
      calls.push(`m1 ${caller} ${callee} ${input.methodType} [${[...input.inputData].join()}]`);
      output.outputData[0] = 0xab;
      output.outputData[1] = input.inputData[0];
      output.outputSize = 2;
      output.methodStatus = 7;
    };
    const { rtm, A, B } = setup(impl, {}, { a: { exportMethods: [m0, m1] } });
    expect(B.getEntityMethods(A.handle)).toEqual([0x1, 0x2]);
    expect(B.getEntityMethods(B.handle)).toEqual([]);
    const out = B.invokeMethod({ entity: A.handle, methodType: 0x2, inputData: new Uint8Array([5]) });
    expect(calls).toEqual([`m1 ${B.handle} ${A.handle} 2 [5]`]);             // synchronous, index 1 only, once
    expect(out.length).toBe(1);
    expect(out[0].methodType).toBe(0x2);
    expect(out[0].methodStatus).toBe(7);
    expect([...out[0].outputData]).toEqual([0xab, 5]);
    calls.length = 0;
    const all = B.invokeMethod({ entity: A.handle, methodType: METHOD_TYPE_ALL_METHODS });
    expect(all.map((o) => [o.methodType, o.methodStatus])).toEqual([[0x1, 0], [0x2, 7]]);
    expect(calls.map((c) => c.slice(0, 2))).toEqual(['m0', 'm1']);
    A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS });
    A.blockMethods({ blockingFlag: RTM_BLOCK_METHODS });
    expectCode(() => B.invokeMethod({ entity: A.handle, methodType: 0x1 }), 'ERROR_BUSY');
    A.blockMethods({ blockingFlag: RTM_RESUME_METHODS });                    // not counted: one resume undoes all
    expect(B.invokeMethod({ entity: A.handle, methodType: 0x1 }).length).toBe(1);
    expectCode(() => A.blockMethods({ blockingFlag: 2 }), 'ERROR_INVALID_PARAMETER');
    const keep = B.getRegisteredEntities();
    A.deregister();
    rtm.runPending();
    expectCode(() => B.invokeMethod({ entity: A.handle, methodType: 0x1 }), 'ERROR_INVALID_HANDLE');
    B.releaseEntities(keep.map((x) => x.handle));
    expectCode(() => B.invokeMethod({ entity: 12345678 as EntityHandle, methodType: 0x1 }), 'ERROR_INVALID_HANDLE');
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: locks and in-place updates', (impl) => {
  it('29. an exclusive lock makes other entities\' changes ERROR_BUSY; reads proceed; unlocking twice is ERROR_NOT_LOCKED', () => {
    const { A, B, nA, nB, P } = setup(impl);
    A.addRouteToDest({ dest: P, neighbour: nA, returnHandle: false });
    const d = destOf(A, P);
    A.lockDestination({ dest: d, exclusive: true });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');
    expectCode(() => B.lockDestination({ dest: d, exclusive: false }), 'ERROR_BUSY');
    expectCode(() => B.holdDestination({ dest: d, views: UCAST, holdTime: 10 }), 'ERROR_BUSY');
    const read = B.getDestInfo({ dest: d, views: UCAST });                    // reads always proceed
    expect(read.viewInfo[0].numRoutes).toBe(1);
    B.releaseDestInfo(read);
    A.addRouteToDest({ dest: P, neighbour: nA, metric: 4, returnHandle: false });   // the holder itself proceeds
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    const b = B.addRouteToDest({ dest: P, neighbour: nB });
    expect(b.changeFlags & 0x2).toBe(0x2);
    expectCode(() => A.lockDestination({ dest: d, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    // Shared locks coexist; an exclusive request against them is refused; modes must match on unlock.
    A.lockDestination({ dest: d });
    B.lockDestination({ dest: d });
    expectCode(() => A.lockDestination({ dest: d, exclusive: true }), 'ERROR_BUSY');
    expectCode(() => B.deleteRouteToDest(b.handle!), 'ERROR_BUSY');
    expectCode(() => B.lockDestination({ dest: d, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    B.lockDestination({ dest: d, lock: false });
    A.lockDestination({ dest: d, lock: false });
    B.deleteRouteToDest(b.handle!);
    // Exclusive locks are recursive for their holder.
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: d, exclusive: true });
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');
    A.lockDestination({ dest: d, exclusive: true, lock: false });
    B.addRouteToDest({ dest: P, neighbour: nB, returnHandle: false });
  });

  it('29b. route locks: owners get the owner view, non-owners only a shared lock; next-hop locks', () => {
    const { A, B, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 1 }).handle!;
    expectCode(() => B.lockRoute({ route: h, exclusive: true }), 'ERROR_ACCESS_DENIED');
    expect(B.lockRoute({ route: h, exclusive: false })).toBeUndefined();
    expect(A.lockRoute({ route: h, exclusive: false })).toBe(A.getRoutePointer(h));
    B.lockRoute({ route: h, exclusive: false, lock: false });
    A.lockRoute({ route: h, exclusive: false, lock: false });
    // Next hops: the owner edits Flags under its exclusive lock; identity edits are reverted.
    expectCode(() => B.lockNextHop({ nextHop: nA, exclusive: true }), 'ERROR_ACCESS_DENIED');
    expect(B.lockNextHop({ nextHop: nA })).toBeUndefined();
    expectCode(() => A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1, flags: 1 }), 'ERROR_BUSY');
    B.lockNextHop({ nextHop: nA, lock: false });
    const nv = A.lockNextHop({ nextHop: nA, exclusive: true })!;
    expect(nv).toBe(A.getNextHopPointer(nA));
    nv.flags = RTM_NEXTHOP_FLAGS_REMOTE;
    const seen = B.getNextHopInfo(nA);
    expect(seen.flags).toBe(0);                                                // others see the committed state
    B.releaseNextHopInfo(seen);
    A.lockNextHop({ nextHop: nA, exclusive: true, lock: false });
    const after = B.getNextHopInfo(nA);
    expect(after.flags).toBe(RTM_NEXTHOP_FLAGS_REMOTE);
    B.releaseNextHopInfo(after);
    A.lockNextHop({ nextHop: nA, exclusive: true });
    nv.interfaceIndex = 99;
    expectCode(() => A.lockNextHop({ nextHop: nA, exclusive: true, lock: false }), 'ERROR_INVALID_PARAMETER');
    expect(nv.interfaceIndex).toBe(1);
    expectCode(() => A.lockNextHop({ nextHop: nA, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');
    expectCode(() => B.getNextHopPointer(nA), 'ERROR_ACCESS_DENIED');
  });

  it('30. in-place update: edit metric and next hops under the lock, commit with updateAndUnlockRoute', () => {
    const { rtm, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
    const nA2 = A.addNextHop({ address: '10.0.0.5', interfaceIndex: 1 }).handle!;
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], metric: 10, views: UCAST }).handle!;
    rtm.runPending();
    drain(B, nb);
    const view = A.lockRoute({ route: h, exclusive: true })!;
    expect(view).toMatchObject({ handle: h, metric: 10, nextHops: [nA], neighbour: nA });
    view.metric = 3;
    A.referenceHandles([nA2]);                                                  // the documented bookkeeping (D-41)
    view.nextHops = [nA2];
    view.neighbour = nA2;
    A.releaseNextHops([nA]);
    expect(view.metric).toBe(3);                                                // the owner sees its staged edits
    const other = B.getRouteInfo(h);
    expect(other).toMatchObject({ metric: 10, nextHops: [nA], neighbour: nA }); // others see the committed state
    B.releaseRouteInfo(other);
    expect(drain(B, nb)).toEqual([]);
    expect(A.updateAndUnlockRoute({ route: h, timeToLive: 0xffffffff })).toBe(BEST);
    rtm.runPending();
    expect(drain(B, nb)).toEqual([P]);
    const now = B.getRouteInfo(h);
    expect(now).toMatchObject({ metric: 3, nextHops: [nA2], neighbour: nA2 });
    B.releaseRouteInfo(now);
    expectCode(() => A.updateAndUnlockRoute({ route: h }), 'ERROR_NOT_LOCKED');
    // nA is unused and unreferenced once deleted: it is freed.
    A.deleteNextHop({ address: '10.0.0.1', interfaceIndex: 1 });
    expectCode(() => A.getNextHopInfo(nA), 'ERROR_INVALID_HANDLE');
  });

  it('30b. invalid staged edits fail the commit and keep the route locked; writes outside the lock are not applied', () => {
    const { A, B, nA, nB, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], metric: 10 }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.nextHops = [nB];                                                       // B's next hop
    expectCode(() => A.updateAndUnlockRoute({ route: h }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');   // still locked
    view.nextHops = [nA];
    view.metric = 11;
    expect(A.updateAndUnlockRoute({ route: h })).toBe(BEST);
    try { view.metric = 99; } catch { /* an implementation may throw in debug builds */ }
    const info = A.getRouteInfo(h);
    expect(info.metric).toBe(11);
    A.releaseRouteInfo(info);
    expectCode(() => B.updateAndUnlockRoute({ route: h }), 'ERROR_ACCESS_DENIED');
  });

  it('30c. a plain exclusive unlock also commits staged edits (D-42)', () => {
    const { A, nA, P } = setup(impl);
    const h = A.addRouteToDest({ dest: P, neighbour: nA, metric: 10 }).handle!;
    const view = A.lockRoute({ route: h, exclusive: true })!;
    view.metric = 12;
    A.lockRoute({ route: h, exclusive: true, lock: false });
    const info = A.getRouteInfo(h);
    expect(info.metric).toBe(12);
    A.releaseRouteInfo(info);
  });
});
