// Helpers of the tests of what lives in a route's extra record (test/rtm/route-flags.test.ts,
// route-prefmetric.test.ts): the core's count of extra records, the debug invariants of every table, and the
// routes of a batch of /24 prefixes in 10.0.0.0/8 by their record index.
import { expect } from 'vitest';
import type { Rtm } from '../../src/rtm.js';
import type { EntityLike, RouteHandle, RtmLike } from '../../src/types.js';

/** Route extra records in use in the (shared) debug core. */
export function extras(rtm: RtmLike): number { return (rtm as unknown as Rtm).core.x.routeExtraCount() as number; }

/** Expects the debug core's invariants to hold in every table of `rtm`. */
export function invariants(rtm: RtmLike, what: string): void {
  for (const t of (rtm as unknown as Rtm).coreTables) expect(t.checkInvariants(), `${what}: invariants`).toBe(0);
}

/**
 * Entity A's routes on destinations 10.(i >> 8).(i & 255).0/24 by i — the prefixes of a batch whose record
 * i has key 0x0a000000 + (i << 8) — with `n` of them expected.
 */
export function routesByIndex(A: EntityLike, n: number): Map<number, RouteHandle> {
  const byIndex = new Map<number, RouteHandle>();
  for (const r of A.routes({})) {
    const info = A.getRouteInfo(r);
    const d = A.getDestInfo({ dest: info.dest });
    const o = d.prefix.split('.').map((t) => parseInt(t, 10));
    byIndex.set(((o[1] << 8) | o[2]) >>> 0, r);
    A.releaseDestInfo(d);
    A.releaseRouteInfo(info);
  }
  expect(byIndex.size).toBe(n);
  return byIndex;
}
