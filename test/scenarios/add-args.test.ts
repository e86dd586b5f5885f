// addRouteToDest / deleteRouteToDest argument forms against the reference model: the facade parses prefix
// text straight into the I/O area and checks handles and u32 options inline (their error messages built
// out of line), so every form of each argument (text, RTM_NET_ADDRESS, NULL written as undefined / null /
// 0 / -0, defaults given as undefined, bad values of every kind) must give the model's result or error code,
// leave the instance as the model leaves it, and take no reference when rejected. Also: records reused
// after a delete come back zeroed (the slab zeroes with stores), and instances sharing a VirtualClock
// expire their routes in order with one of them closed (the scheduler is itself the clock's listener).
import { describe, expect, it } from 'vitest';
import { AF_INET, RTM_VIEW_MASK_UCAST as UCAST } from '../../src/win32/constants.js';
import { RtmError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock.js';
import type { EntityLike, RouteHandle, RtmLike } from '../../src/types.js';
import { IMPLEMENTATIONS, type Implementation } from '../helpers/impls.js';
import { setup } from '../reference/fixture.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

/** What a call gave: its value (handles replaced by their kind) or its error code. */
function outcome(fn: () => unknown): unknown {
  try {
    const v = fn();
    if (v && typeof v === 'object' && 'changeFlags' in v) {
      const r = v as { handle?: unknown; changeFlags: number };
      return { handle: r.handle === undefined ? 'none' : typeof r.handle, changeFlags: r.changeFlags };
    }
    return { value: v };
  } catch (err) {
    if (!(err instanceof RtmError)) throw err;
    return { code: err.code };
  }
}

/** A snapshot with handles (which differ between implementations) replaced by their presence. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normal);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = HANDLE_KEYS.has(k) ? (x === undefined || x === null ? x : 'handle')
      : k === 'nextHops' && Array.isArray(x) ? x.length : normal(x);
  }
  return out;
}
const HANDLE_KEYS = new Set(['handle', 'owner', 'route', 'holdRoute', 'dest', 'neighbour', 'remoteNextHop']);

const P = '192.168.1.0/24';
const bytes = (a: number, b: number, c: number, d: number) => Uint8Array.from([a, b, c, d, ...new Array(12).fill(0)]);

/** The argument forms, each an addRouteToDest option object built from the world's next hops. */
function forms(nA: number, nB: number, rA: RouteHandle): [string, Record<string, unknown>][] {
  return [
    ['text', { dest: '10.20.0.0/16', neighbour: nA, nextHops: [nA], metric: 3 }],
    ['text with host bits', { dest: '10.20.1.7/16', neighbour: nA, nextHops: [nA], metric: 4 }],
    ['bare address', { dest: '10.20.0.1', neighbour: nA, nextHops: [nA] }],
    ['net address', { dest: { AddressFamily: AF_INET, NumBits: 24, AddrBits: bytes(10, 30, 0, 0) }, neighbour: nA, nextHops: [nA] }],
    ['net address, bad length', { dest: { AddressFamily: AF_INET, NumBits: 33, AddrBits: bytes(10, 30, 0, 0) }, neighbour: nA }],
    ['bad text', { dest: '10.20.0.0/33', neighbour: nA }],
    ['IPv6 text in an IPv4 table', { dest: '2001:db8::/32', neighbour: nA }],
    ['number as prefix', { dest: 167772160, neighbour: nA }],
    ['no prefix', { neighbour: nA }],
    ['NULL neighbour as null', { dest: '10.40.0.0/16', neighbour: null, nextHops: [nA] }],
    ['NULL neighbour as 0', { dest: '10.41.0.0/16', neighbour: 0, nextHops: [nA] }],
    ['NULL neighbour as -0', { dest: '10.42.0.0/16', neighbour: -0, nextHops: [nA] }],
    ['NULL route as -0 and null list', { dest: '10.43.0.0/16', route: -0, routeList: null, neighbour: nA }],
    ['defaults given as undefined', { dest: '10.44.0.0/16', neighbour: nA, preference: undefined, metric: undefined, views: undefined, flags: undefined, flags1: undefined, changeFlags: undefined, timeToLive: undefined }],
    ['neighbour not a handle', { dest: '10.45.0.0/16', neighbour: 'x' }],
    ['route not a handle', { dest: '10.45.0.0/16', route: {}, neighbour: nA }],
    ['list not a handle', { dest: '10.45.0.0/16', routeList: true, neighbour: nA }],
    ['next hop not a handle', { dest: '10.45.0.0/16', neighbour: nA, nextHops: ['x'] }],
    ['second next hop not a handle', { dest: '10.45.0.0/16', neighbour: nA, nextHops: [nA, null] }],
    ['next hops not an array', { dest: '10.45.0.0/16', neighbour: nA, nextHops: nA }],
    ['another owner\'s next hop', { dest: '10.45.0.0/16', neighbour: nA, nextHops: [nB] }],
    ['stale handle and bad metric (D-05)', { dest: '10.45.0.0/16', neighbour: nA + 2 ** 30, metric: -1 }],
    ['bad metric', { dest: '10.45.0.0/16', neighbour: nA, metric: -1 }],
    ['fractional preference', { dest: '10.45.0.0/16', neighbour: nA, preference: 1.5 }],
    ['flags too large', { dest: '10.45.0.0/16', neighbour: nA, flags: 0x10000 }],
    ['flags1 too large', { dest: '10.45.0.0/16', neighbour: nA, flags1: 0x100 }],
    ['views as text', { dest: '10.45.0.0/16', neighbour: nA, views: '1' }],
    ['bad prefix and bad handle (D-05)', { dest: 'nope', neighbour: 'x' }],
    ['update by route handle', { dest: P, route: rA, neighbour: nA, nextHops: [nA], metric: 9 }],
    ['update by route handle, other prefix', { dest: '10.20.0.0/16', route: rA, neighbour: nA }],
    ['two next hops', { dest: '10.46.0.0/16', neighbour: nA, nextHops: [nA, nA] }],
    ['no next hops', { dest: '10.47.0.0/16', neighbour: nA, nextHops: [] }],
  ];
}

function run(impl: Implementation): { outcomes: unknown[]; snapshots: unknown[] } {
  const w = setup(impl);
  const { A, B, nA, nB } = w;
  const rA = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5, views: UCAST }).handle!;
  const probes = [P, '10.20.0.0/16', '10.20.0.1/32', '10.30.0.0/24', '10.40.0.0/16', '10.41.0.0/16', '10.42.0.0/16',
    '10.43.0.0/16', '10.44.0.0/16', '10.45.0.0/16', '10.46.0.0/16', '10.47.0.0/16'];
  const outcomes: unknown[] = [], snapshots: unknown[] = [];
  const snap = () => publicSnapshot({ entities: [A, B], probes, routes: [rA], nextHops: [nA, nB] });
  for (const [name, o] of forms(nA, nB, rA)) {
    const before = snap();
    const res = outcome(() => A.addRouteToDest(o as never));
    outcomes.push([name, res]);
    const after = snap();
    if ((res as { code?: string }).code !== undefined) expect(after, `${impl.name}: ${name} changed the instance`).toEqual(before);
    snapshots.push(normal(after));
  }
  // deleteRouteToDest: NULL forms and non-handles, then the route itself, then its stale handle
  for (const h of [undefined, null, 0, -0, 'x', {}, rA, rA]) outcomes.push(['delete', outcome(() => A.deleteRouteToDest(h as never))]);
  snapshots.push(normal(snap()));
  return { outcomes, snapshots };
}

describe('addRouteToDest / deleteRouteToDest argument forms agree with the model', () => {
  const [model, ...others] = IMPLEMENTATIONS;
  const want = run(model);
  for (const impl of others) {
    it(`${impl.name}: results, error codes and instance state as the model`, () => {
      const got = run(impl);
      expect(got.outcomes).toEqual(want.outcomes);
      expect(got.snapshots).toEqual(want.snapshots);
    });
  }
});

/** A route's public fields after add / delete / add again on the slots the first one freed. */
function reused(impl: Implementation): unknown[] {
  const w = setup(impl);
  const { A, nA } = w;
  const out: unknown[] = [];
  for (let round = 0; round < 3; round++) {
    const hs: RouteHandle[] = [];
    for (let i = 0; i < 40; i++) {
      const o = round === 0
        ? { dest: `10.${i}.0.0/16`, neighbour: nA, nextHops: [nA], preference: 7 + i, metric: 9, flags: 0xffff, flags1: 0xff, entitySpecificInfo: { i } }
        : { dest: `10.${i}.${round}.0/24`, neighbour: nA };
      hs.push(A.addRouteToDest(o).handle!);
    }
    for (const h of hs) {
      const info = A.getRouteInfo(h);
      out.push({ flags: info.flags, flags1: info.flags1, preference: info.preference, metric: info.metric,
        state: info.state, nextHops: info.nextHops.length, esi: info.entitySpecificInfo ?? null, views: info.views });
      A.releaseRouteInfo(info);
    }
    for (const h of hs) A.deleteRouteToDest(h);
  }
  return out;
}

describe('records reused after a delete start zeroed', () => {
  const [model, ...others] = IMPLEMENTATIONS;
  const want = reused(model);
  for (const impl of others) {
    it(`${impl.name}: route fields of reused slots as the model`, () => expect(reused(impl)).toEqual(want));
  }
});

/** Two instances on one VirtualClock, routes with TTLs; the first instance closes half-way. */
function sharedClock(impl: Implementation): unknown[] {
  const clock = new VirtualClock();
  const log: unknown[] = [];
  const make = (tag: string): { rtm: RtmLike; e: EntityLike } => {
    const rtm = impl.create({ clock });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1,
      onEvent: (type: number, c1: unknown) => { log.push([tag, clock.now(), type, typeof c1]); } });
    return { rtm, e };
  };
  const x = make('x'), y = make('y');
  for (const [k, { e }] of [x, y].entries()) {
    const nh = e.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    for (let i = 0; i < 4; i++) e.addRouteToDest({ dest: `10.${i}.0.0/16`, neighbour: nh, timeToLive: 100 * (i + 1) + k, returnHandle: false });
  }
  const present = (e: EntityLike) => [0, 1, 2, 3].map((i) => e.getExactMatchDestination({ dest: `10.${i}.0.0/16` }) !== undefined);
  clock.advance(150);
  log.push(['x', present(x.e)], ['y', present(y.e)]);
  x.rtm.close();
  clock.advance(500);
  log.push(['y', present(y.e)]);
  y.rtm.close();
  clock.advance(100);
  return log;
}

describe('instances sharing a VirtualClock', () => {
  const [model, ...others] = IMPLEMENTATIONS;
  const want = sharedClock(model);
  for (const impl of others) {
    it(`${impl.name}: expiries and callbacks as the model, also after one instance closed`, () => expect(sharedClock(impl)).toEqual(want));
  }
});
