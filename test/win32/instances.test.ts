// The process-wide pieces of the Win32 layer: initialize/initializeSync, rtmInstance/configureInstance,
// the instance-factory testing hook, and how exceptions of the idiomatic layer become statuses
// (RtmError → its status; other errors → ERROR_INVALID_PARAMETER; RtmInternalError and exceptions of
// client callbacks propagate; a function the instance lacks → ERROR_NOT_SUPPORTED).
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { RtmError, RtmInternalError } from '../../src/errors.js';
import { Rtm } from '../../src/rtm.js';
import type { EntityLike, RtmLike } from '../../src/types.js';
import * as W from '../../src/win32/index.js';
import { entityOf, resetInstances, setInstanceFactory } from '../../src/win32/instances.js';
import { createModel } from '../reference/model.js';
import { MODEL, addRouteOk, nextHop, register, useImpl } from './helpers.js';

afterEach(() => {
  setInstanceFactory();
  resetInstances({ close: false });
});

/** A model instance whose entities lack some methods and/or throw from one. */
function crippled(missing: string[], throwing?: { method: string; error: Error }): (id: number) => RtmLike {
  return () => {
    const m = createModel({ clock: new VirtualClock() });
    const register = m.registerEntity.bind(m);
    m.registerEntity = (identity, options) => {
      const e = register(identity, options);
      return new Proxy(e, {
        get(t, k, r) {
          if (typeof k === 'string' && missing.includes(k)) return undefined;
          if (throwing && k === throwing.method) return () => { throw throwing.error; };
          const v = Reflect.get(t, k, r);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      }) as EntityLike;
    };
    return m;
  };
}

describe('instances', () => {
  it('initialize() and initializeSync() load the core once and can be called again', async () => {
    await W.initialize();
    await W.initialize();
    W.initializeSync();
    W.initializeSync();
  });

  it('the default factory makes WASM instances; callbacks arrive in a microtask with the real clock', async () => {
    setInstanceFactory();
    resetInstances({ close: false });
    const a = register(W.PROTO_IP_RIP, 1);
    expect(W.rtmInstance(0)).toBeInstanceOf(Rtm);
    expect(W.rtmInstance(0).instanceId).toBe(0);
    expect(entityOf(a.h)?.handle).toBe(a.h);
    const b = register(W.PROTO_IP_OSPF, 1);
    expect(a.events).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(a.events.map((e) => [e.h, e.type, e.c1])).toEqual([[a.h, W.RTM_ENTITY_REGISTERED, b.h]]);
    expect(a.events[0].c2).toBeInstanceOf(W.RTM_ENTITY_INFO);
  });

  it('rtmInstance() creates on first use with the configured options; configureInstance() afterwards is ERROR_BUSY', () => {
    useImpl(MODEL);
    const clock = new VirtualClock(5);
    expect(W.configureInstance(3, { clock, maxHandlesInEnum: 7 })).toBe(W.NO_ERROR);
    expect(W.configureInstance(-1, {})).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.configureInstance(0x10000, {})).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.configureInstance(3, null as never)).toBe(W.ERROR_INVALID_PARAMETER);
    const r3 = W.rtmInstance(3);
    expect(W.rtmInstance(3)).toBe(r3);
    expect(r3.clock).toBe(clock);
    expect(r3.instanceId).toBe(3);
    expect(W.configureInstance(3, {})).toBe(W.ERROR_BUSY);
    const e = register(W.PROTO_IP_RIP, 1, { instanceId: 3 });
    expect(e.profile.MaxHandlesInEnum).toBe(7);
    expect(() => W.rtmInstance(-1)).toThrow(RtmError);
    expect(() => W.rtmInstance(1.5)).toThrow(RtmError);
  });

  it('options the instance refuses make RtmRegisterEntity fail with their status', () => {
    useImpl(MODEL);
    expect(W.configureInstance(0, { maxHandlesInEnum: -1 })).toBe(W.NO_ERROR);
    const info = new W.RTM_ENTITY_INFO();
    info.AddressFamily = W.AF_INET;
    expect(W.RtmRegisterEntity(info, null, null, W.FALSE, new W.RTM_REGN_PROFILE(), W.ref(null))).toBe(W.ERROR_INVALID_PARAMETER);
  });

  it('a function the instance does not implement is ERROR_NOT_SUPPORTED', () => {
    resetInstances();
    setInstanceFactory(crippled(['createRouteList', 'holdDestination']));
    const a = register(W.PROTO_IP_RIP, 1);
    expect(W.RtmCreateRouteList(a.h, W.ref(null))).toBe(W.ERROR_NOT_SUPPORTED);
    expect(W.RtmHoldDestination(a.h, 1, W.RTM_VIEW_MASK_UCAST, 10)).toBe(W.ERROR_NOT_SUPPORTED);
    expect(W.RtmAddNextHop(a.h, new W.RTM_NEXTHOP_INFO(), null, W.ref(0))).toBe(W.ERROR_INVALID_PARAMETER);   // AF 0: a real status
  });

  it('RtmError → its status; a TypeError → ERROR_INVALID_PARAMETER; RtmInternalError propagates', () => {
    resetInstances();
    setInstanceFactory(crippled([], { method: 'isBestRoute', error: new RtmError('ERROR_NOT_LOCKED', 'x') }));
    let a = register(W.PROTO_IP_RIP, 1);
    expect(W.RtmIsBestRoute(a.h, 1, W.ref(0))).toBe(W.ERROR_NOT_LOCKED);
    resetInstances();
    setInstanceFactory(crippled([], { method: 'isBestRoute', error: new TypeError('oops') }));
    a = register(W.PROTO_IP_RIP, 1);
    expect(W.RtmIsBestRoute(a.h, 1, W.ref(0))).toBe(W.ERROR_INVALID_PARAMETER);
    resetInstances();
    setInstanceFactory(crippled([], { method: 'isBestRoute', error: new RtmInternalError('core trapped') }));
    a = register(W.PROTO_IP_RIP, 1);
    expect(() => W.RtmIsBestRoute(a.h, 1, W.ref(0))).toThrow(RtmInternalError);
  });

  it('resetInstances() forgets registrations: old handles are ERROR_INVALID_HANDLE', () => {
    useImpl(MODEL);
    const a = register(W.PROTO_IP_RIP, 1);
    const nA = nextHop(a.h, '10.0.0.1', 1);
    addRouteOk(a.h, '10.1.0.0/16', { neighbour: nA, wantHandle: false });
    useImpl(MODEL);
    expect(W.RtmDeregisterEntity(a.h)).toBe(W.ERROR_INVALID_HANDLE);
    expect(W.GetLastError()).toBe(W.NO_ERROR);
  });
});
