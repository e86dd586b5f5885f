// deleteRouteToDest with the real clock (issue 9): the facade re-arms its timer after a deletion only when
// the core reports that the table's timer heap was or is non-empty (RES_TIMERS of routeDeleteR). A hold-down
// the deletion starts, and expiries left in the heap, still fire on time; a table without timers skips the
// re-arm. Fake timers (no sleeping); the same expectations hold for the reference model and the wasm
// implementation. The core's RES_TIMERS word itself is checked on the wasm core.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_NOT_SUPPORTED, NO_ERROR, PROTO_IP_RIP, RTM_ROUTE_EXPIRED } from '../../src/win32/constants.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { RouteHandle } from '../../src/types.js';
import { DYNAMIC_IMPLEMENTATIONS } from '../helpers/impls.js';
import { party } from '../reference/fixture.js';
import { xOf, K } from '../helpers/corerecords.js';

afterEach(() => { vi.useRealTimers(); });

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date', 'queueMicrotask'] } as const;

describe.each(DYNAMIC_IMPLEMENTATIONS)('$name: deleteRouteToDest with the real clock', (impl) => {
  it('a hold-down started by the deletion ends on time', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] });
    const rtm = impl.create();
    const a = party(rtm, PROTO_IP_RIP);
    const nh = a.entity.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    // a table without any timer first: deletions there skip the re-arm
    const r0 = a.entity.addRouteToDest({ dest: '10.9.0.0/16', neighbour: nh }).handle!;
    a.entity.deleteRouteToDest(r0);
    expect(a.entity.getExactMatchDestination({ dest: '10.9.0.0/16' })).toBeUndefined();
    const r = a.entity.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh }).handle!;
    const d = a.entity.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    a.entity.holdDestination({ dest: d.handle!, holdTime: 500 });
    a.entity.releaseDestInfo(d);   // no reference keeps the destination once the hold is over
    a.entity.deleteRouteToDest(r);
    await vi.advanceTimersByTimeAsync(499);
    const held = a.entity.getExactMatchDestination({ dest: '10.1.0.0/16', views: 0 });
    expect(held, 'held until 500 ms').toBeDefined();
    a.entity.releaseDestInfo(held!);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.entity.getExactMatchDestination({ dest: '10.1.0.0/16', views: 0 }), 'hold over at 500 ms').toBeUndefined();
    rtm.close();
  });

  it('an expiry left in the heap fires on time after a deletion removed the earlier one', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] });
    const rtm = impl.create();
    const a = party(rtm, PROTO_IP_RIP);
    a.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
    const nh = a.entity.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const early = a.entity.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, timeToLive: 1000 }).handle! as RouteHandle;
    a.entity.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nh, timeToLive: 3000, returnHandle: false });
    await vi.advanceTimersByTimeAsync(500);
    a.entity.deleteRouteToDest(early);
    await vi.advanceTimersByTimeAsync(2499);
    expect(a.events.filter((e) => e.type === RTM_ROUTE_EXPIRED)).toEqual([]);
    expect(a.entity.getExactMatchDestination({ dest: '10.2.0.0/16' })).toBeDefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(a.events.map((e) => e.type)).toEqual([RTM_ROUTE_EXPIRED]);
    expect(a.entity.getExactMatchDestination({ dest: '10.2.0.0/16' })).toBeUndefined();
    rtm.close();
  });
});

describe('routeDeleteR RES_TIMERS', () => {
  it('is 1 exactly when the table held a timer entry before or after the deletion', () => {
    const clock = new VirtualClock();
    const rtm = Rtm.createSync({ clock, families: ['ipv4'] });
    const core = rtm.core, x = xOf(core);
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const del = (h: RouteHandle): number => {
      rtm.syncNow();
      expect(x.routeDeleteR(e.handle, h, clock.now())).toBe(0);
      const v = core.res(K(core, 'RES_TIMERS'));
      rtm.afterChange();
      return v;
    };
    // no timers at all
    expect(del(e.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh }).handle!)).toBe(0);
    // the route's own expiry: in the heap before, cleared by the deletion
    expect(del(e.addRouteToDest({ dest: '10.2.0.0/16', neighbour: nh, timeToLive: 1000 }).handle!)).toBe(1);
    // a hold-down the deletion starts: empty before, an entry after
    const r = e.addRouteToDest({ dest: '10.3.0.0/16', neighbour: nh }).handle!;
    e.holdDestination({ dest: e.getExactMatchDestination({ dest: '10.3.0.0/16' })!.handle!, holdTime: 100 });
    expect(del(r)).toBe(1);
    // the hold over, the heap is empty again: 0
    clock.advance(100);
    expect(del(e.addRouteToDest({ dest: '10.4.0.0/16', neighbour: nh }).handle!)).toBe(0);
    rtm.close();
  });
});
