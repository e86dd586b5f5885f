// Helpers of the tests of what lives in a route's extra record (test/rtm/route-flags.test.ts,
// route-prefmetric.test.ts): the core's count of extra records, the debug invariants of every table, a
// batch of /24 prefixes in 10.0.0.0/8 larger than a chunk, and its routes by record index.
import { expect } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
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

/**
 * A debug IPv4 instance with entity A and its next hop nh, and the columns of a batch of n = LOAD_MAX + 500
 * records (more than a chunk: addRoutesBatch takes its bulk path) on 10.(i >> 8).(i & 255).0/24, each
 * through nh; `base` is the extra records in use before.
 */
export function batchWorld(): { rtm: Rtm; base: number; A: Entity; nh: number; n: number; keys: Uint32Array; lens: Uint8Array; hops: Float64Array } {
  const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
  const base = extras(rtm);
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
  const nh = A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  const n = rtm.core.k.LOAD_MAX + 500;
  const keys = new Uint32Array(4 * n), lens = new Uint8Array(n).fill(24), hops = new Float64Array(n).fill(nh);
  for (let i = 0; i < n; i++) keys[4 * i] = (0x0a000000 + (i << 8)) >>> 0;
  return { rtm, base, A, nh, n, keys, lens, hops };
}
