// Spec §13 scenarios 27–28: registration events (§7.17, §8.1) and deregistration clean-up (§7.16, D-48).
import { describe, expect, it } from 'vitest';
import {
  PROTO_IP_BGP, PROTO_IP_RIP, RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_BEST, RTM_ENTITY_DEREGISTERED,
  RTM_ENTITY_REGISTERED, RTM_NEXTHOP_STATE_DELETED, RTM_VIEW_MASK_MCAST as MCAST, RTM_VIEW_MASK_UCAST as UCAST,
} from '../../src/win32/constants.js';
import { DYNAMIC_IMPLEMENTATIONS, IMPLEMENTATIONS } from '../helpers/impls.js';
import { expectCode, party, setup } from '../reference/fixture.js';

describe.each(IMPLEMENTATIONS)('$name: registration', (impl) => {
  it('27. registering C tells A and B (not C), later, from the scheduler; C lists A, B, C; a duplicate id is refused', () => {
    const { rtm, pa, pb, A, B } = setup(impl);
    const pc = party(rtm, PROTO_IP_BGP, 7);
    const C = pc.entity;
    expect(pa.events).toEqual([]);                               // never inside the causing call
    expect(rtm.runPending()).toBe(2);
    expect(pa.events).toEqual([{ type: RTM_ENTITY_REGISTERED, c1: C.handle, c2: C.info }]);
    expect(pb.events).toEqual([{ type: RTM_ENTITY_REGISTERED, c1: C.handle, c2: C.info }]);
    expect(pc.events).toEqual([]);                               // no replay of earlier registrations (D-49)
    expect(C.info).toEqual({ rtmInstanceId: 0, addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 7, entityId: (7n << 32n) | BigInt(PROTO_IP_BGP) });
    const list = C.getRegisteredEntities();
    expect(list).toEqual([
      { handle: A.handle, info: A.info }, { handle: B.handle, info: B.info }, { handle: C.handle, info: C.info },
    ]);
    C.releaseEntities(list.map((x) => x.handle));
    expectCode(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 }), 'ERROR_ALREADY_EXISTS');
    expect(rtm.runPending()).toBe(0);
    // The same id in the other family's table is a different entity, and ipv4 entities are not told.
    const six = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: PROTO_IP_RIP, instanceId: 1 });
    expect(rtm.runPending()).toBe(0);
    expect(six.info.addressFamily).toBe('ipv6');
    expect(A.getRegisteredEntities().length).toBe(3);
  });

  it('27b. profile, unknown families, and calls that are refused inside registration-event callbacks', () => {
    const { rtm, pa, A } = setup(impl);
    expect(A.profile).toEqual({ maxNextHopsInRoute: 8, maxHandlesInEnum: 100, viewsSupported: UCAST | MCAST, numberOfViews: 2 });
    expectCode(() => rtm.registerEntity({ addressFamily: 'ipx' as never, protocolId: 1 }), 'ERROR_FILE_NOT_FOUND');
    expectCode(() => rtm.registerEntity({ addressFamily: 6, protocolId: 1 }), 'ERROR_FILE_NOT_FOUND');
    const codes: string[] = [];
    pa.respond = (type) => {
      if (type !== RTM_ENTITY_REGISTERED) return;
      for (const f of [() => A.getRegisteredEntities(), () => A.deregister(), () => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 99 })]) {
        try { f(); codes.push('NO_ERROR'); } catch (err) { codes.push((err as { code: string }).code); }
      }
    };
    party(rtm, PROTO_IP_BGP);
    rtm.runPending();
    expect(codes).toEqual(['ERROR_BUSY', 'ERROR_BUSY', 'ERROR_BUSY']);
    // Outside the callback the same calls work.
    A.releaseEntities(A.getRegisteredEntities().map((x) => x.handle));
  });

  it('27c. a configured profile is reported as configured', () => {
    const { A } = setup(impl, { maxNextHopsInRoute: 3, maxHandlesInEnum: 7, views: UCAST });
    expect(A.profile).toEqual({ maxNextHopsInRoute: 3, maxHandlesInEnum: 7, viewsSupported: UCAST, numberOfViews: 1 });
  });

  it('28 (core). deregistration deletes A\'s routes and next hops, tells B later, and invalidates A', () => {
    const { rtm, pa, pb, A, B, nA, nB, P } = setup(impl);
    const Q = '10.5.0.0/16';
    A.addRouteToDest({ dest: P, neighbour: nA, preference: 10, returnHandle: false });
    A.addRouteToDest({ dest: Q, neighbour: nA, preference: 10, returnHandle: false });
    const bq = B.addRouteToDest({ dest: Q, neighbour: nB, preference: 20 }).handle!;
    const known = B.getRegisteredEntities();
    rtm.runPending();
    A.deregister();
    expect(pb.events).toEqual([]);
    expect(rtm.runPending()).toBe(1);
    expect(pb.events).toEqual([{ type: RTM_ENTITY_DEREGISTERED, c1: A.handle, c2: A.info }]);
    expect(pa.events).toEqual([]);
    expect(B.getExactMatchDestination({ dest: P })).toBeUndefined();
    const q = B.getExactMatchDestination({ dest: Q })!;
    expect(q.viewInfo[0]).toMatchObject({ numRoutes: 1, route: bq, owner: B.handle });
    B.releaseDestInfo(q);
    expect(B.isBestRoute(bq)).toBe(UCAST);
    expectCode(() => B.getNextHopInfo(nA), 'ERROR_INVALID_HANDLE');
    expect(B.getEntityInfo(A.handle)).toEqual(A.info);             // B still references A's handle
    B.releaseEntities(known.map((x) => x.handle));
    expectCode(() => B.getEntityInfo(A.handle), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA }), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.findNextHop({ address: '10.0.0.1', interfaceIndex: 1 }), 'ERROR_INVALID_HANDLE');
    expect(B.getRegisteredEntities().map((x) => x.handle)).toEqual([B.handle]);
  });

  it('28b. deregistration also frees the opaque slot for the next registrant (D-43)', () => {
    const { rtm } = setup(impl, { opaqueSlots: 1 });
    const first = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 50 }, { reserveOpaquePointer: true });
    expectCode(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 51 }, { reserveOpaquePointer: true }), 'ERROR_NO_SYSTEM_RESOURCES');
    first.deregister();
    const second = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 51 }, { reserveOpaquePointer: true });
    expect(second.handle).toBeGreaterThan(0);
  });

  it('close() invalidates the instance and its entities', () => {
    const { rtm, A, nA, P } = setup(impl);
    rtm.close();
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA }), 'ERROR_INVALID_HANDLE');
    expectCode(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 77 }), 'ERROR_INVALID_HANDLE');
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: registration (dynamics)', (impl) => {
  it('28. deregistration (full) deletes what A left behind, notifies B, frees the lock, and invalidates A', () => {
    const { rtm, pa, pb, A, B, nA, nB, P } = setup(impl);
    const Q = '10.5.0.0/16';
    const notify = B.registerForChangeNotification({ views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST, context: 'ctx-B' });
    A.addRouteToDest({ dest: P, neighbour: nA, preference: 10, views: UCAST, returnHandle: false });
    A.addRouteToDest({ dest: Q, neighbour: nA, preference: 10, views: UCAST, returnHandle: false });
    const bq = B.addRouteToDest({ dest: Q, neighbour: nB, preference: 20, views: UCAST }).handle!;
    const list = A.createRouteList();
    A.addRouteToDest({ dest: '10.6.0.0/16', neighbour: nA, routeList: list, returnHandle: false });
    A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_BEST });
    A.createDestEnum();
    const pInfo = B.getExactMatchDestination({ dest: P, views: UCAST })!;
    A.lockDestination({ dest: pInfo.handle, exclusive: true });
    const known = B.getRegisteredEntities();                       // B keeps a reference on A's entity handle
    rtm.runPending();
    const changes = B.getChangedDests({ notifyHandle: notify });
    B.releaseChangedDests({ notifyHandle: notify, dests: changes.items });
    pa.events.length = 0;
    pb.events.length = 0;
    expectCode(() => B.addRouteToDest({ dest: P, neighbour: nB }), 'ERROR_BUSY');

    A.deregister();
    expect(pb.events).toEqual([]);
    expect(rtm.runPending()).toBe(2);
    expect(pb.events).toEqual([
      { type: RTM_CHANGE_NOTIFICATION, c1: notify, c2: 'ctx-B' },
      { type: RTM_ENTITY_DEREGISTERED, c1: A.handle, c2: A.info },
    ]);
    expect(pa.events).toEqual([]);
    const after = B.getChangedDests({ notifyHandle: notify });
    expect(after.done).toBe(true);
    expect(after.items.map((d) => d.prefix).sort()).toEqual(['10.6.0.0/16', Q, P].sort());
    const byPrefix = Object.fromEntries(after.items.map((d) => [d.prefix, d.viewInfo[0]]));
    expect(byPrefix[P]).toMatchObject({ numRoutes: 0, route: undefined });
    expect(byPrefix[Q]).toMatchObject({ numRoutes: 1, route: bq, owner: B.handle });
    expect(byPrefix['10.6.0.0/16']).toMatchObject({ numRoutes: 0, route: undefined });
    B.releaseChangedDests({ notifyHandle: notify, dests: after.items });
    // The lock is free, A's routes and next hops are gone, its entity handle lives while B holds it.
    B.addRouteToDest({ dest: P, neighbour: nB, returnHandle: false });
    B.lockDestination({ dest: pInfo.handle, exclusive: true });
    B.lockDestination({ dest: pInfo.handle, exclusive: true, lock: false });
    expect(B.getExactMatchDestination({ dest: '10.6.0.0/16' })).toBeUndefined();
    expect(B.getEntityInfo(A.handle)).toEqual(A.info);
    B.releaseEntities(known.map((x) => x.handle));
    expect(B.getEntityInfo(A.handle)).toEqual(A.info);            // pInfo.viewInfo[0].owner still references A
    const nh = B.getNextHopInfo(nA);                              // A's deleted route in pInfo still uses nA (§7.5)
    expect(nh.state).toBe(RTM_NEXTHOP_STATE_DELETED);
    B.releaseNextHopInfo(nh);
    B.releaseDestInfo(pInfo);
    expectCode(() => B.getEntityInfo(A.handle), 'ERROR_INVALID_HANDLE');
    expectCode(() => B.getNextHopInfo(nA), 'ERROR_INVALID_HANDLE');
    // Every call through A's registration handle now fails.
    expectCode(() => A.addRouteToDest({ dest: P, neighbour: nA }), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.getRegisteredEntities(), 'ERROR_INVALID_HANDLE');
    expectCode(() => A.deregister(), 'ERROR_INVALID_HANDLE');
    expect(B.getRegisteredEntities().map((x) => x.handle)).toEqual([B.handle]);
    // The identity can register again: a new entity with a new handle.
    const again = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
    expect(again.handle).not.toBe(A.handle);
  });

});
