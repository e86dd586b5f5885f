// TTL at scale (issue 4): 100k routes with time-to-live live in the core's deadline heap, not in JS.
// Loading them must not grow the JS heap per route (no JS object or timer per route), and advancing a
// VirtualClock past every deadline must expire each route exactly once, in deadline order, with the
// owner's callback answering ERROR_NOT_SUPPORTED so that the RTM deletes it.
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { ERROR_NOT_SUPPORTED, NO_ERROR, PROTO_IP_RIP, RTM_ROUTE_EXPIRED } from '../../src/win32/constants.js';
import { mulberry32 } from '../helpers/random.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc(); gc();
  return process.memoryUsage().heapUsed;
}

describe('time-to-live at scale', () => {
  it('100k routes expire exactly once each, in deadline order, with no JS object per armed route', () => {
    const N = 100_000;
    const clock = new VirtualClock();
    const rtm = Rtm.createSync({ clock, build: 'release' });
    const expired = new Uint8Array(1 << 21);               // by route slot (slots are dense)
    let count = 0, last = 0, outOfOrder = 0;
    const deadlineOf = new Float64Array(N);
    const rip = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 }, {
      onEvent: (type, c1) => {
        if (type !== RTM_ROUTE_EXPIRED) return NO_ERROR;
        const slot = (c1 as number) % 2 ** 25;
        expired[slot]++;
        count++;
        if (clock.now() < last) outOfOrder++;
        last = clock.now();
        return ERROR_NOT_SUPPORTED;
      },
    });
    const { handle: nh } = rip.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 });
    const rnd = mulberry32(42);
    // warm up the paths once so that compiled code and caches are not counted as growth
    rip.addRouteToDest({ dest: '198.51.100.0/24', neighbour: nh, nextHops: [nh!], timeToLive: 1, returnHandle: false });
    clock.advance(1);
    count = 0;
    expired.fill(0);                                        // the warm-up route's slot is reused
    const before = heapUsed();
    for (let i = 0; i < N; i++) {
      const ttl = 1 + (rnd() % 100_000);
      deadlineOf[i] = clock.now() + ttl;
      const a = 0x0a000000 + i * 256;
      rip.addRouteToDest({
        dest: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.0/24`, neighbour: nh, nextHops: [nh!],
        timeToLive: ttl, returnHandle: false,
      });
    }
    const after = heapUsed();
    expect(rtm.ipv4.routeCount).toBe(N);
    // a JS object or timer per route would cost ≥ 100 bytes each (≥ 10 MB); allow 2 MB of noise
    expect(after - before, `JS heap growth for ${N} routes with TTLs`).toBeLessThan(2 * 1024 * 1024);
    clock.advance(99_999);
    const expectedSoFar = Array.from(deadlineOf).filter((d) => d <= clock.now()).length;
    expect(count).toBe(expectedSoFar);
    clock.advance(10);
    expect(count).toBe(N);
    expect(outOfOrder).toBe(0);
    expect(rtm.ipv4.routeCount).toBe(0);
    let twice = 0;
    for (let s = 0; s < expired.length; s++) if (expired[s] > 1) twice++;
    expect(twice).toBe(0);
    clock.advance(1_000_000);
    expect(count).toBe(N);                                  // nothing expires again
    rtm.close();
  });
});
