// The scheduler contract of API.md §2: callbacks never inside the causing call; with the real clock they
// arrive in a microtask and TTLs fire from a timer; a VirtualClock drives any number of instances in time
// order; runPending() reports how many callbacks ran.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealClock, VirtualClock } from '../../src/clock.js';
import {
  ERROR_NOT_SUPPORTED, NO_ERROR, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_ENTITY_REGISTERED, RTM_ROUTE_EXPIRED,
} from '../../src/win32/constants.js';
import { DYNAMIC_IMPLEMENTATIONS, IMPLEMENTATIONS } from '../helpers/impls.js';
import { party } from '../reference/fixture.js';

afterEach(() => { vi.useRealTimers(); });

describe.each(IMPLEMENTATIONS)('$name: scheduler', (impl) => {
  it('with the real clock, callbacks arrive in a microtask after the call', async () => {
    const rtm = impl.create({ clock: new RealClock() });
    const a = party(rtm, PROTO_IP_RIP);
    party(rtm, PROTO_IP_OSPF);
    expect(a.events).toEqual([]);
    await Promise.resolve();
    await Promise.resolve();
    expect(a.events.map((e) => e.type)).toEqual([RTM_ENTITY_REGISTERED]);
    rtm.close();
  });

  it('VirtualClock refuses to go back or to be driven from inside a callback', () => {
    const clock = new VirtualClock();
    const rtm = impl.create({ clock });
    const a = party(rtm, PROTO_IP_RIP);
    party(rtm, PROTO_IP_OSPF);
    let inner = '';
    a.respond = () => { try { clock.advance(1); } catch (e) { inner = (e as Error).constructor.name; } };
    clock.advance(10);
    expect(inner).toBe('Error');
    expect(clock.now()).toBe(10);
    expect(() => clock.set(5)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: scheduler (timers)', (impl) => {
  it('with the real clock, a TTL fires from a timer (fake timers, no sleeping)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date', 'queueMicrotask'] });
    const rtm = impl.create();
    const a = party(rtm, PROTO_IP_RIP);
    a.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
    const nh = a.entity.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    a.entity.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, timeToLive: 1000, returnHandle: false });
    await vi.advanceTimersByTimeAsync(999);
    expect(a.events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.events.map((e) => e.type)).toEqual([RTM_ROUTE_EXPIRED]);
    expect(a.entity.getExactMatchDestination({ dest: '10.1.0.0/16' })).toBeUndefined();
    rtm.close();
  });

  it('one VirtualClock drives several instances in time order', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const make = (name: string, ttl: number) => {
      const rtm = impl.create({ clock });
      const p = party(rtm, PROTO_IP_RIP);
      p.respond = (type) => { if (type === RTM_ROUTE_EXPIRED) log.push(`${name}@${clock.now()}`); return ERROR_NOT_SUPPORTED; };
      const nh = p.entity.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
      p.entity.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, timeToLive: ttl, returnHandle: false });
      return rtm;
    };
    const r1 = make('one', 300);
    const r2 = make('two', 100);
    const r3 = make('three', 200);
    clock.set(250);
    expect(log).toEqual(['two@100', 'three@200']);
    clock.advance(50);
    expect(log).toEqual(['two@100', 'three@200', 'one@300']);
    expect(clock.now()).toBe(300);
    for (const r of [r1, r2, r3]) expect(r.runPending()).toBe(0);
  });
});

describe('RealClock', () => {
  it('reads performance.now() (monotonic) with performance.timeOrigin as its origin', () => {
    const clock = new RealClock();
    expect(clock.originMs).toBe(performance.timeOrigin);
    const a = clock.now(), p = performance.now(), b = clock.now();
    expect(a).toBeLessThanOrEqual(p);
    expect(p).toBeLessThanOrEqual(b);
  });

  it('keeps the performance object of its making: fake timers installed before follow, after do not', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const faked = new RealClock();
    const t0 = faked.now();
    vi.advanceTimersByTime(5_000);
    expect(faked.now() - t0).toBe(5_000);
    vi.useRealTimers();
    const real = new RealClock();
    vi.useFakeTimers({ toFake: ['performance'] });
    const r0 = real.now();
    vi.advanceTimersByTime(5_000);
    expect(real.now() - r0).toBeLessThan(5_000);
  });

  it('uses Date.now() without a performance object', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'performance')!;
    Object.defineProperty(globalThis, 'performance', { value: undefined, configurable: true, writable: true });
    try {
      const clock = new RealClock();
      expect(clock.originMs).toBe(0);
      const a = Date.now(), t = clock.now(), b = Date.now();
      expect(t).toBeGreaterThanOrEqual(a);
      expect(t).toBeLessThanOrEqual(b);
    } finally {
      Object.defineProperty(globalThis, 'performance', saved);
    }
  });
});
