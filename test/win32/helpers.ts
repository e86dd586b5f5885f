// Helpers for the Win32-layer tests: the implementations the scenarios run on (through the internal
// instance-factory hook), the §13 world built with RtmRegisterEntity/RtmAddNextHop (entities A = RIP and
// B = OSPF with recording callbacks, next hops nA 10.0.0.1 if 1 and nB 10.0.0.2 if 2, P =
// 192.168.1.0/24), and small wrappers that call the C functions and assert NO_ERROR.
import { expect } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import type { RtmLike, RtmOptions } from '../../src/types.js';
import * as W from '../../src/win32/index.js';
import { netAddressText, prefixToNetAddress } from '../../src/win32/convert.js';
import { resetInstances, setInstanceFactory } from '../../src/win32/instances.js';
import { IMPLEMENTATIONS, implementationsWith, type Feature, type Implementation } from '../helpers/impls.js';
import { RtmModel } from '../reference/model.js';

/** The implementations of the conformance scenarios (test/helpers/impls.ts), with their features. */
export type Impl = Implementation;

export const MODEL: Impl = IMPLEMENTATIONS.find((i) => i.name === 'model')!;
/** Every implementation: the core-semantics scenarios (1–8, 22, 23, 27) run on all of them. */
export const CORE_IMPLS: readonly Impl[] = IMPLEMENTATIONS;
/** The implementations that have all these parts of the dynamics layer (the model; WASM as it grows them). */
export function implsWith(...features: Feature[]): readonly Impl[] {
  return implementationsWith(...features);
}

export interface Env {
  readonly clock: VirtualClock;
  /** Instances the factory created, by RtmInstanceId. */
  readonly instances: Map<number, RtmLike>;
}

/** Forgets all Win32-layer state and makes `impl` the instance factory, every instance on one VirtualClock. */
export function useImpl(impl: Impl, options: RtmOptions = {}): Env {
  // The instances of the previous test are forgotten, not closed (they run on their own VirtualClock, so
  // nothing of theirs fires again): closing a debug-core table after one of its entities that owned a next
  // hop has deregistered trips a core assertion today, which would poison the shared core.
  resetInstances({ close: false });
  const clock = new VirtualClock();
  const instances = new Map<number, RtmLike>();
  setInstanceFactory((id, o) => {
    const rtm = impl.create({ clock, ...options, ...o });
    // The model numbers handles per instance from 1; the Win32 layer needs them unique across
    // instances (the WASM core's are), so each model instance gets its own range.
    if (rtm instanceof RtmModel) (rtm as unknown as { nextHandle: number }).nextHandle = 1 + id * 1_000_000;
    instances.set(id, rtm);
    return rtm;
  });
  return { clock, instances };
}

/** The model behind instance `id` (for snapshot()). */
export function modelOf(env: Env, id = 0): RtmModel {
  return env.instances.get(id) as RtmModel;
}

export interface Ev {
  readonly h: number;
  readonly type: number;
  readonly c1: unknown;
  readonly c2: unknown;
}

/** A registered entity with its recorded callback invocations. */
export interface Party {
  readonly h: number;
  readonly events: Ev[];
  readonly profile: W.RTM_REGN_PROFILE;
  /** The callback's answer (default NO_ERROR). */
  respond: (type: number, c1: unknown, c2: unknown) => number;
}

export interface RegisterOptions {
  instanceId?: number;
  family?: number;
  reserve?: boolean;
  methods?: W.RTM_ENTITY_EXPORT_METHOD[];
  callback?: boolean;
}

/** RtmRegisterEntity with a recording callback; asserts NO_ERROR. */
export function register(protocolId: number, entityInstanceId = 1, o: RegisterOptions = {}): Party {
  const info = new W.RTM_ENTITY_INFO();
  info.RtmInstanceId = o.instanceId ?? 0;
  info.AddressFamily = o.family ?? W.AF_INET;
  info.EntityId.EntityProtocolId = protocolId;
  info.EntityId.EntityInstanceId = entityInstanceId;
  let methods: W.RTM_ENTITY_EXPORT_METHODS | null = null;
  if (o.methods) {
    methods = new W.RTM_ENTITY_EXPORT_METHODS();
    methods.NumMethods = o.methods.length;
    methods.Methods = o.methods;
  }
  const events: Ev[] = [];
  const p: { h: number; events: Ev[]; profile: W.RTM_REGN_PROFILE; respond: Party['respond'] } = {
    h: 0, events, profile: new W.RTM_REGN_PROFILE(), respond: () => W.NO_ERROR,
  };
  const cb: W.RTM_EVENT_CALLBACK = (h, type, c1, c2) => {
    events.push({ h, type, c1, c2 });
    return p.respond(type, c1, c2);
  };
  const handle = W.ref<W.RTM_ENTITY_HANDLE>(null);
  expect(W.RtmRegisterEntity(info, methods, o.callback === false ? null : cb, o.reserve ? W.TRUE : W.FALSE, p.profile, handle)).toBe(W.NO_ERROR);
  p.h = handle.value!;
  return p;
}

/** An RTM_NET_ADDRESS of a prefix text ('10.1.0.0/16', bare = full length). */
export function net(prefix: string): W.RTM_NET_ADDRESS {
  return prefixToNetAddress(prefix);
}

/** The prefix text of an RTM_NET_ADDRESS. */
export function text(na: W.RTM_NET_ADDRESS): string {
  return netAddressText(na);
}

/** RtmAddNextHop (handle wanted); asserts NO_ERROR. */
export function nextHop(h: number, address: string, interfaceIndex: number): number {
  const info = new W.RTM_NEXTHOP_INFO();
  W.RTM_IPV4_MAKE_NET_ADDRESS(info.NextHopAddress, address, 32);
  info.InterfaceIndex = interfaceIndex;
  const out = W.ref<W.RTM_NEXTHOP_HANDLE>(null), flags = W.ref(0);
  expect(W.RtmAddNextHop(h, info, out, flags)).toBe(W.NO_ERROR);
  return out.value!;
}

export interface RouteSpec {
  neighbour?: number;
  nextHops?: number[];
  pref?: number;
  metric?: number;
  views?: number;
  flags?: number;
  esi?: unknown;
}

/** An RTM_ROUTE_INFO with the given fields (views default UCAST, next hops default [neighbour]). */
export function routeInfo(s: RouteSpec): W.RTM_ROUTE_INFO {
  const ri = new W.RTM_ROUTE_INFO();
  ri.Neighbour = s.neighbour ?? 0;
  const hops = s.nextHops ?? (s.neighbour ? [s.neighbour] : []);
  ri.NextHopsList.NumNextHops = hops.length;
  ri.NextHopsList.NextHops = [...hops];
  ri.PrefInfo.Preference = s.pref ?? 0;
  ri.PrefInfo.Metric = s.metric ?? 0;
  ri.BelongsToViews = s.views ?? W.RTM_VIEW_MASK_UCAST;
  ri.Flags = s.flags ?? 0;
  ri.EntitySpecificInfo = s.esi ?? null;
  return ri;
}

export interface AddResult {
  readonly status: number;
  readonly handle: number | null;
  readonly changeFlags: number;
}

/** RtmAddRouteToDest; `route` updates by handle, `wantHandle: false` passes a NULL handle pointer. */
export function addRoute(h: number, prefix: string, s: RouteSpec & { route?: number; changeFlags?: number; ttl?: number; list?: number; wantHandle?: boolean } = {}): AddResult {
  const handle = s.wantHandle === false ? null : W.ref<W.RTM_ROUTE_HANDLE | null>(s.route ?? null);
  const flags = W.ref(s.changeFlags ?? 0);
  const status = W.RtmAddRouteToDest(h, handle, net(prefix), routeInfo(s), s.ttl ?? W.INFINITE, s.list ?? null, 0, null, flags);
  return { status, handle: handle?.value ?? null, changeFlags: flags.value };
}

/** addRoute asserting NO_ERROR; returns the handle. */
export function addRouteOk(h: number, prefix: string, s: Parameters<typeof addRoute>[2] = {}): { handle: number; changeFlags: number } {
  const r = addRoute(h, prefix, s);
  expect(r.status).toBe(W.NO_ERROR);
  return { handle: r.handle ?? 0, changeFlags: r.changeFlags };
}

/** RtmGetExactMatchDestination into a fresh struct, released at once (the returned copy holds no references). */
export function exactDest(h: number, prefix: string, views: number = W.RTM_VIEW_MASK_UCAST | W.RTM_VIEW_MASK_MCAST, protocolId = 0): { status: number; info: W.RTM_DEST_INFO } {
  const info = new W.RTM_DEST_INFO(2);
  const status = W.RtmGetExactMatchDestination(h, net(prefix), protocolId, views, info);
  if (status === W.NO_ERROR) expect(W.RtmReleaseDestInfo(h, info)).toBe(W.NO_ERROR);
  return { status, info };
}

/** The destination handle of a prefix (present in any view; no reference kept). */
export function destOf(h: number, prefix: string): number {
  const { status, info } = exactDest(h, prefix, W.RTM_VIEW_MASK_ANY);
  expect(status).toBe(W.NO_ERROR);
  return info.DestHandle;
}

/** RtmGetDestInfo, released at once. */
export function destInfo(h: number, dest: number, views: number, protocolId = 0): W.RTM_DEST_INFO {
  const info = new W.RTM_DEST_INFO();
  expect(W.RtmGetDestInfo(h, dest, protocolId, views, info)).toBe(W.NO_ERROR);
  expect(W.RtmReleaseDestInfo(h, info)).toBe(W.NO_ERROR);
  return info;
}

/** RtmGetRouteInfo, released at once. */
export function routeOf(h: number, route: number): W.RTM_ROUTE_INFO & { prefix: string } {
  const info = new W.RTM_ROUTE_INFO(), addr = new W.RTM_NET_ADDRESS();
  expect(W.RtmGetRouteInfo(h, route, info, addr)).toBe(W.NO_ERROR);
  expect(W.RtmReleaseRouteInfo(h, info)).toBe(W.NO_ERROR);
  return Object.assign(info, { prefix: text(addr) });
}

/** RtmIsBestRoute. */
export function bestIn(h: number, route: number): number {
  const v = W.ref(0);
  expect(W.RtmIsBestRoute(h, route, v)).toBe(W.NO_ERROR);
  return v.value;
}

/** Pulls and releases everything queued in a notification registration; returns the prefixes. */
export function drain(h: number, notify: number): string[] {
  const out: string[] = [];
  for (;;) {
    const n = W.ref(100), infos: W.RTM_DEST_INFO[] = [];
    const status = W.RtmGetChangedDests(h, notify, n, infos);
    expect([W.NO_ERROR, W.ERROR_NO_MORE_ITEMS]).toContain(status);
    out.push(...infos.map((d) => text(d.DestAddress)));
    if (infos.length > 0) expect(W.RtmReleaseChangedDests(h, notify, infos.length, infos)).toBe(W.NO_ERROR);
    if (status === W.ERROR_NO_MORE_ITEMS) return out;
  }
}

/** Drains a destination enumeration; returns the infos (released). */
export function enumDests(h: number, views: number, flags: number, start: string | null, protocolId = 0, batch = 100): { prefixes: string[]; infos: W.RTM_DEST_INFO[] } {
  const en = W.ref<W.RTM_ENUM_HANDLE>(null);
  expect(W.RtmCreateDestEnum(h, views, flags, start === null ? null : net(start), protocolId, en)).toBe(W.NO_ERROR);
  const all: W.RTM_DEST_INFO[] = [];
  for (;;) {
    const n = W.ref(batch), infos: W.RTM_DEST_INFO[] = [];
    const status = W.RtmGetEnumDests(h, en.value, n, infos);
    expect([W.NO_ERROR, W.ERROR_NO_MORE_ITEMS]).toContain(status);
    expect(infos.length).toBe(n.value);
    all.push(...infos);
    if (infos.length > 0) expect(W.RtmReleaseDests(h, infos.length, infos)).toBe(W.NO_ERROR);
    if (status === W.ERROR_NO_MORE_ITEMS) break;
  }
  expect(W.RtmDeleteEnumHandle(h, en.value)).toBe(W.NO_ERROR);
  return { prefixes: all.map((d) => text(d.DestAddress)), infos: all };
}

/** Drains a route enumeration; returns the route handles (released). */
export function enumRoutes(h: number, o: { dest?: number; views?: number; flags?: number; start?: string; match?: number; criteria?: W.RTM_ROUTE_INFO; ifIndex?: number } = {}): number[] {
  const en = W.ref<W.RTM_ENUM_HANDLE>(null);
  expect(W.RtmCreateRouteEnum(h, o.dest ?? null, o.views ?? W.RTM_VIEW_MASK_ANY, o.flags ?? 0, o.start ? net(o.start) : null,
    o.match ?? W.RTM_MATCH_NONE, o.criteria ?? null, o.ifIndex ?? 0, en)).toBe(W.NO_ERROR);
  const all: number[] = [];
  for (;;) {
    const n = W.ref(100), hs: number[] = [];
    const status = W.RtmGetEnumRoutes(h, en.value, n, hs);
    expect([W.NO_ERROR, W.ERROR_NO_MORE_ITEMS]).toContain(status);
    all.push(...hs);
    if (hs.length > 0) expect(W.RtmReleaseRoutes(h, hs.length, hs)).toBe(W.NO_ERROR);
    if (status === W.ERROR_NO_MORE_ITEMS) break;
  }
  expect(W.RtmDeleteEnumHandle(h, en.value)).toBe(W.NO_ERROR);
  return all;
}

export interface World extends Env {
  readonly rtm: RtmLike;
  readonly pa: Party;
  readonly pb: Party;
  readonly A: number;
  readonly B: number;
  readonly nA: number;
  readonly nB: number;
  readonly P: string;
}

/** The §13 world on `impl`; registration events are delivered and forgotten before it returns. */
export function setup(impl: Impl, options: RtmOptions = {}, reg: { a?: RegisterOptions; b?: RegisterOptions } = {}): World {
  const env = useImpl(impl, options);
  const pa = register(W.PROTO_IP_RIP, 1, reg.a);
  const pb = register(W.PROTO_IP_OSPF, 1, reg.b);
  const nA = nextHop(pa.h, '10.0.0.1', 1);
  const nB = nextHop(pb.h, '10.0.0.2', 2);
  const rtm = env.instances.get(0)!;
  rtm.runPending();
  pa.events.length = 0;
  pb.events.length = 0;
  return { ...env, rtm, pa, pb, A: pa.h, B: pb.h, nA, nB, P: '192.168.1.0/24' };
}
