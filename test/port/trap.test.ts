// A core trap, forced with the debug build's debugTrap export, seen through every layer: the port (each
// call of `core.x` passes one guard), the idiomatic layer (Rtm, Entity, Table) and the Win32 layer
// (RTMv2 and RTMv1 functions). Each time the error is RtmInternalError — never a status, never a bare
// WebAssembly.RuntimeError — and the instance is unusable afterwards: every later call throws the same
// error. Each test poisons a private core (createCoreSync), never the process-wide one.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoreSync, loadCoreSync, type Core } from '../../src/port/core.js';
import { RtmError, RtmInternalError } from '../../src/errors.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { DestHandle } from '../../src/types.js';
import * as W from '../../src/win32/index.js';
import { resetInstances, rtmInstance, setInstanceFactory } from '../../src/win32/instances.js';
import { addRouteOk, net, nextHop, register, routeInfo } from '../win32/helpers.js';

const ERROR_NOT_SUPPORTED = 50, ERROR_INVALID_PARAMETER = 87;

/** What `f` threw (fails the test when it returned). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/** Asserts that `f` throws exactly `err` (the error of the first trap). */
function throwsSame(f: () => unknown, err: unknown, what: string): void {
  expect(thrown(f), what).toBe(err);
}

describe('the port: one guard on every core call', () => {
  it('a trap (unreachable) becomes RtmInternalError and poisons the core', () => {
    const core = createCoreSync('debug');
    const err = thrown(() => core.x.debugTrap(core.k.DEBUG_TRAP_NOW));
    expect(err).toBeInstanceOf(RtmInternalError);
    expect((err as Error).cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(core.poisoned).toBe(err);
    throwsSame(() => core.x.ioBase(), err, 'ioBase');
    throwsSame(() => core.x.tableCreate(4, 1), err, 'tableCreate');
    throwsSame(() => core.x.debugTrap(core.k.DEBUG_TRAP_OFF), err, 'debugTrap(OFF)');
    throwsSame(() => core.assertUsable(), err, 'assertUsable');
  });

  it('a failing assertion (env.abort) becomes RtmInternalError and poisons the core', () => {
    const core = createCoreSync('debug');
    const err = thrown(() => core.x.debugTrap(core.k.DEBUG_TRAP_ASSERT));
    expect(err).toBeInstanceOf(RtmInternalError);
    expect((err as Error).message).toMatch(/core assertion failed: debugTrap at .*debug\.ts/);
    throwsSame(() => core.x.slabMemoryBytes(), err, 'slabMemoryBytes');
  });

  it('other cores stay usable', () => {
    const bad = createCoreSync('debug'), good = createCoreSync('debug');
    expect(() => bad.x.debugTrap(bad.k.DEBUG_TRAP_NOW)).toThrow(RtmInternalError);
    expect(good.x.tableCreate(4, 1)).toBe(0);
    expect(loadCoreSync('debug').poisoned).toBeUndefined();
  });

  it('debugTrap rejects an unknown kind with a status (debug)', () => {
    const core = createCoreSync('debug');
    expect(core.x.debugTrap(99)).toBe(ERROR_INVALID_PARAMETER);
    expect(core.poisoned).toBeUndefined();
  });

  it('the release build never traps there: ERROR_NOT_SUPPORTED for every kind', () => {
    const core = createCoreSync('release');
    for (const kind of [core.k.DEBUG_TRAP_OFF, core.k.DEBUG_TRAP_NOW, core.k.DEBUG_TRAP_ASSERT, core.k.DEBUG_TRAP_NEXT,
      core.k.DEBUG_TRAP_ASSERT_NEXT]) {
      expect(core.x.debugTrap(kind), `kind ${kind}`).toBe(ERROR_NOT_SUPPORTED);
    }
    expect(core.poisoned).toBeUndefined();
    expect(core.x.tableCreate(4, 1)).toBe(0);
  });
});

/** An instance on a private debug core: entity A with next hop nA and a route to 10.1.0.0/16. */
function world() {
  const core = createCoreSync('debug');
  const rtm = Rtm.createSync({ core, clock: new VirtualClock() });
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
  const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
  A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA });
  const dest = A.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
  A.releaseDestInfo(dest);
  rtm.runPending();
  return { core, rtm, A, nA, dest: dest.handle as DestHandle };
}

/** Every later call of the idiomatic layer throws the first trap's error. */
function unusable(w: ReturnType<typeof world>, err: unknown): void {
  const { rtm, A, nA, dest } = w;
  throwsSame(() => A.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nA }), err, 'addRouteToDest');
  throwsSame(() => A.getDestInfo({ dest }), err, 'getDestInfo');
  throwsSame(() => A.getExactMatchDestination({ dest: '10.1.0.0/16' }), err, 'getExactMatchDestination');
  throwsSame(() => A.addNextHop({ address: '10.0.0.2', interfaceIndex: 2 }), err, 'addNextHop');
  throwsSame(() => A.deregister(), err, 'deregister');
  throwsSame(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 1 }), err, 'registerEntity');
  throwsSame(() => rtm.ipv4.lookup('10.1.2.3'), err, 'lookup (text)');
  throwsSame(() => rtm.ipv4.lookup(0x0a010203), err, 'lookup (number)');
  throwsSame(() => rtm.ipv4.lookupBatch(new Uint32Array([0x0a010203]), new Int32Array(1)), err, 'lookupBatch');
  throwsSame(() => rtm.runPending(), err, 'runPending');
  rtm.close();                                               // closing still works: the JS side is dropped
  expect(thrown(() => rtm.runPending())).toBeInstanceOf(RtmError);
}

describe('the idiomatic layer (Rtm, Entity, Table)', () => {
  it('a trap inside addRouteToDest throws RtmInternalError; the instance is unusable afterwards', () => {
    const w = world();
    expect(w.core.x.debugTrap(w.core.k.DEBUG_TRAP_NEXT)).toBe(0);
    const err = thrown(() => w.A.addRouteToDest({ dest: '10.2.0.0/16', neighbour: w.nA }));
    expect(err).toBeInstanceOf(RtmInternalError);
    expect((err as Error).cause).toBeInstanceOf(WebAssembly.RuntimeError);
    unusable(w, err);
  });

  it('a failing assertion inside getDestInfo (a read) throws RtmInternalError; the instance is unusable afterwards', () => {
    const w = world();
    w.core.x.debugTrap(w.core.k.DEBUG_TRAP_ASSERT_NEXT);
    const err = thrown(() => w.A.getDestInfo({ dest: w.dest }));
    expect(err).toBeInstanceOf(RtmInternalError);
    expect((err as Error).message).toContain('debugTrap (armed)');
    unusable(w, err);
  });

  it('a trap inside the lookup fast path throws RtmInternalError', () => {
    const w = world();
    w.core.x.debugTrap(w.core.k.DEBUG_TRAP_NEXT);
    const err = thrown(() => w.rtm.ipv4.lookup('10.1.2.3'));    // the best route's record is read after the LPM
    expect(err).toBeInstanceOf(RtmInternalError);
    unusable(w, err);
  });
});

describe('the real-clock scheduler', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('a timer due after a trap does not throw from its callback; the next call reports the trap', () => {
    vi.useFakeTimers();
    const core = createCoreSync('debug');
    const rtm = Rtm.createSync({ core });                      // real clock: one setTimeout for the earliest TTL
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8 }, { onEvent: () => 0 });
    const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, timeToLive: 50 });
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const err = thrown(() => core.x.debugTrap(core.k.DEBUG_TRAP_NOW));
    expect(() => vi.advanceTimersByTime(1_000)).not.toThrow();
    throwsSame(() => rtm.runPending(), err, 'runPending');
  });

  it('callbacks queued before a trap are not delivered from a microtask (nothing throws there)', async () => {
    const core = createCoreSync('debug');
    const rtm = Rtm.createSync({ core });                      // real clock: callbacks run from a microtask
    const seen: number[] = [];
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8 }, { onEvent: (type) => { seen.push(type); return 0; } });
    A.registerForChangeNotification({ views: 1, notifyFlags: 0x1 });
    await Promise.resolve();
    const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA });  // queues RTM_CHANGE_NOTIFICATION
    const err = thrown(() => core.x.debugTrap(core.k.DEBUG_TRAP_NOW));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
    throwsSame(() => rtm.runPending(), err, 'runPending');
  });
});

describe('the Win32 layer', () => {
  let core: Core;
  beforeEach(() => {
    resetInstances({ close: false });
    const clock = new VirtualClock();
    setInstanceFactory((id, o) => {
      core = createCoreSync('debug');
      return Rtm.createSync({ ...o, instanceId: id, clock, core }) as never;
    });
  });
  afterEach(() => {
    resetInstances();                                         // closes the poisoned instance: must not throw
    setInstanceFactory();
  });

  it('RtmAddRouteToDest throws RtmInternalError (not a status); later calls throw it too', () => {
    const a = register(W.PROTO_IP_RIP, 1);
    const nh = nextHop(a.h, '10.0.0.1', 1);
    addRouteOk(a.h, '10.1.0.0/16', { neighbour: nh });
    expect(rtmInstance(0).core).toBe(core);
    core.x.debugTrap(core.k.DEBUG_TRAP_NEXT);
    const route = W.ref<W.RTM_ROUTE_HANDLE | null>(null), flags = W.ref(0);
    const err = thrown(() => W.RtmAddRouteToDest(a.h, route, net('10.2.0.0/16'), routeInfo({ neighbour: nh }), W.INFINITE, null, 0, null, flags));
    expect(err).toBeInstanceOf(RtmInternalError);
    throwsSame(() => W.RtmAddRouteToDest(a.h, route, net('10.2.0.0/16'), routeInfo({ neighbour: nh }), W.INFINITE, null, 0, null, flags), err, 'RtmAddRouteToDest again');
    throwsSame(() => W.RtmGetExactMatchDestination(a.h, net('10.1.0.0/16'), 0, W.RTM_VIEW_MASK_UCAST, new W.RTM_DEST_INFO()), err, 'RtmGetExactMatchDestination');
    throwsSame(() => W.RtmDeleteNextHop(a.h, nh, null), err, 'RtmDeleteNextHop');
    throwsSame(() => W.RtmDeregisterEntity(a.h), err, 'RtmDeregisterEntity');
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    info.EntityId.EntityProtocolId = W.PROTO_IP_OSPF;
    info.EntityId.EntityInstanceId = 1;
    throwsSame(() => W.RtmRegisterEntity(info, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null)), err, 'RtmRegisterEntity');
  });

  it('RtmGetDestInfo (a read) throws RtmInternalError on a failing core assertion', () => {
    const a = register(W.PROTO_IP_RIP, 1);
    const nh = nextHop(a.h, '10.0.0.1', 1);
    addRouteOk(a.h, '10.1.0.0/16', { neighbour: nh });
    const d = new W.RTM_DEST_INFO();
    expect(W.RtmGetExactMatchDestination(a.h, net('10.1.0.0/16'), 0, W.RTM_VIEW_MASK_UCAST, d)).toBe(W.NO_ERROR);
    core.x.debugTrap(core.k.DEBUG_TRAP_ASSERT_NEXT);
    const err = thrown(() => W.RtmGetDestInfo(a.h, d.DestHandle, 0, W.RTM_VIEW_MASK_UCAST, new W.RTM_DEST_INFO()));
    expect(err).toBeInstanceOf(RtmInternalError);
    throwsSame(() => W.RtmReleaseDestInfo(a.h, d), err, 'RtmReleaseDestInfo');
  });

  it('RTMv1: RtmAddRoute and RtmLookupIPDestination throw RtmInternalError', () => {
    const h = W.RtmRegisterClient(W.RTM_PROTOCOL_FAMILY_IP, W.PROTO_IP_RIP, new W.ChangeEvent(), 0)!;
    expect(h).not.toBeNull();
    const r = new W.RTM_IP_ROUTE();
    r.RR_Network.N_NetNumber = 0x0a010000;
    r.RR_Network.N_NetMask = 0xffff0000;
    r.RR_NextHopAddress.N_NetNumber = 0x0a000001;
    r.RR_NextHopAddress.N_NetMask = 0xffffffff;
    r.RR_InterfaceID = 1;
    expect(W.RtmAddRoute(h, r, W.INFINITE, W.ref(0), null, null)).toBe(W.NO_ERROR);
    core.x.debugTrap(core.k.DEBUG_TRAP_NEXT);
    const r2 = Object.assign(new W.RTM_IP_ROUTE(), r);
    r2.RR_Network = Object.assign(new W.RTM_IP_ROUTE().RR_Network, { N_NetNumber: 0x0a020000, N_NetMask: 0xffff0000 });
    const err = thrown(() => W.RtmAddRoute(h, r2, W.INFINITE, W.ref(0), null, null));
    expect(err).toBeInstanceOf(RtmInternalError);
    throwsSame(() => W.RtmLookupIPDestination(0x0a010203, new W.RTM_IP_ROUTE()), err, 'RtmLookupIPDestination');
    throwsSame(() => W.RtmDeregisterClient(h), err, 'RtmDeregisterClient');
  });
});
