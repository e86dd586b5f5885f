// The standard world of the conformance scenarios (spec §13): one instance on a VirtualClock, entities A
// (PROTO_IP_RIP) and B (PROTO_IP_OSPF) with recording event callbacks, next hops nA (10.0.0.1, if 1) of A
// and nB (10.0.0.2, if 2) of B, prefix P = 192.168.1.0/24. Also expectCode() for RtmError assertions.
// Written only against RtmLike/EntityLike so that every implementation runs the same scenarios.
import { expect } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { NO_ERROR, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';
import type {
  DestEnumOptions, DestHandle, EnumHandle, EntityHandle, EntityLike, EventCallback, NextHopHandle, NotifyHandle, RegisterOptions, RouteHandle, RtmEventType,
  RtmLike, RtmOptions,
} from '../../src/types.js';
import type { Implementation } from '../helpers/impls.js';

/** One event callback invocation. */
export interface Ev {
  readonly type: RtmEventType;
  readonly c1: EntityHandle | RouteHandle | NotifyHandle;
  readonly c2: unknown;
}

/** An entity plus the events its callback received; `respond` decides the callback's return value. */
export interface Party {
  readonly entity: EntityLike;
  readonly events: Ev[];
  respond: (type: RtmEventType, c1: Ev['c1'], c2: unknown) => number | void;
}

/** Registers an entity whose callback records every event and answers through `respond` (default NO_ERROR). */
export function party(rtm: RtmLike, protocolId: number, instanceId = 1, options: Omit<RegisterOptions, 'onEvent'> = {},
  family: 'ipv4' | 'ipv6' = 'ipv4'): Party {
  const events: Ev[] = [];
  const p: { entity?: EntityLike; events: Ev[]; respond: Party['respond'] } = { events, respond: () => NO_ERROR };
  const onEvent: EventCallback = (type, c1, c2) => {
    events.push({ type, c1, c2 });
    return p.respond(type, c1, c2);
  };
  p.entity = rtm.registerEntity({ addressFamily: family, protocolId, instanceId }, { ...options, onEvent });
  return p as Party;
}

export interface World {
  readonly clock: VirtualClock;
  readonly rtm: RtmLike;
  readonly pa: Party;
  readonly pb: Party;
  readonly A: EntityLike;
  readonly B: EntityLike;
  readonly nA: NextHopHandle;
  readonly nB: NextHopHandle;
  readonly P: string;
}

/** Builds the §13 world; registration events are delivered and forgotten before it returns. */
export function setup(impl: Implementation, options: RtmOptions = {},
  reg: { a?: Omit<RegisterOptions, 'onEvent'>; b?: Omit<RegisterOptions, 'onEvent'> } = {}): World {
  const clock = new VirtualClock();
  const rtm = impl.create({ ...options, clock });
  const pa = party(rtm, PROTO_IP_RIP, 1, reg.a);
  const pb = party(rtm, PROTO_IP_OSPF, 1, reg.b);
  const nA = pa.entity.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
  const nB = pb.entity.addNextHop({ address: '10.0.0.2', interfaceIndex: 2 }).handle!;
  rtm.runPending();
  pa.events.length = 0;
  pb.events.length = 0;
  return { clock, rtm, pa, pb, A: pa.entity, B: pb.entity, nA, nB, P: '192.168.1.0/24' };
}

/** Asserts that `fn` throws an RtmError with `code` (and the matching status number). */
export function expectCode(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected RtmError ${code}`).toBeInstanceOf(RtmError);
  expect((thrown as RtmError).code).toBe(code);
}

/** The prefixes a destination enumeration returns, drained in batches of `count`; references released. */
export function destPrefixes(e: EntityLike, o: DestEnumOptions, count?: number): string[] {
  const en = e.createDestEnum(o);
  const out: string[] = [];
  for (;;) {
    const { items, done } = e.getEnumDests({ enumHandle: en, count });
    out.push(...items.map((d) => d.prefix));
    e.releaseDests(items);
    if (done) break;
  }
  e.deleteEnumHandle(en);
  return out;
}

/** The destination handle of a prefix (the info is released, so the handle carries no reference). */
export function destOf(e: EntityLike, dest: string): DestHandle {
  const info = e.getExactMatchDestination({ dest, views: RTM_VIEW_MASK_ANY })!;
  e.releaseDestInfo(info);
  return info.handle;
}

/** Pulls and releases everything queued in a registration, in batches; returns the prefixes. */
export function drainChanged(e: EntityLike, notifyHandle: NotifyHandle): string[] {
  const out: string[] = [];
  for (;;) {
    const { items, done } = e.getChangedDests({ notifyHandle });
    out.push(...items.map((d) => d.prefix));
    e.releaseChangedDests({ notifyHandle, dests: items });
    if (done) return out;
  }
}

/** Every route handle an enumeration still returns (batches of `count`); references released. */
export function drainRoutes(e: EntityLike, en: EnumHandle, count?: number): RouteHandle[] {
  const out: RouteHandle[] = [];
  for (;;) {
    const { items, done } = e.getEnumRoutes({ enumHandle: en, count });
    out.push(...items);
    e.releaseRoutes(items);
    if (done) return out;
  }
}
