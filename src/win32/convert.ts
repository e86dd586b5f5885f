// Conversions between the C structures of the Win32 layer and the objects of the idiomatic layer:
// filling RTM_DEST_INFO / RTM_ROUTE_INFO / RTM_NEXTHOP_INFO / RTM_ENTITY_INFO in place from info
// objects, re-deriving info objects from structures (to release what a structure holds), prefixes ↔
// RTM_NET_ADDRESS, instance-clock milliseconds ↔ FILETIME, and the live "pointer" objects a C client
// gets from RtmGetRoutePointer / RtmLockRoute / RtmGetNextHopPointer / RtmLockNextHop / RtmFindNextHop
// and as Context2 of RTM_ROUTE_EXPIRED: RTM_ROUTE_INFO- and RTM_NEXTHOP_INFO-shaped objects whose
// fields read and write the owner view of the idiomatic layer (spec §7.10, D-42). Allocates the
// objects it returns.

import {
  AF_INET, AF_INET6, formatPrefix, netAddressInto, parsePrefixInto, parsedFamily, wordsToAddrBits, type NetAddressLike,
} from '../address.js';
import { RealClock, isDrivableClock, type Clock } from '../clock.js';
import type {
  DestHandle, DestInfo, DestViewInfo, EntityHandle, EntityInfo, NextHopHandle, NextHopInfo, NextHopOwnerView,
  NextHopState, RouteHandle, RouteInfo, RouteOwnerView, RouteState,
} from '../types.js';
import { handleIn, isObject } from './args.js';
import {
  RTM_DEST_INFO, RTM_DEST_VIEW_INFO, RTM_ENTITY_INFO, RTM_NET_ADDRESS, RTM_NEXTHOP_INFO, RTM_ROUTE_INFO,
  type RTM_NEXTHOP_HANDLE,
} from './structs.js';

// ── Time ─────────────────────────────────────────────────────────────────────────────────────────────

/** FILETIME (100-ns ticks since 1601-01-01) of 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** Wall-clock ms at the origin of a clock: performance.timeOrigin for the real clock, 0 otherwise (virtual time starts in 1970). */
function originMs(clock: Clock): number {
  return !isDrivableClock(clock) && clock instanceof RealClock ? clock.originMs : 0;
}

/** FILETIME of a time in ms on `clock`. */
export function filetimeOf(clock: Clock, ms: number): bigint {
  return FILETIME_UNIX_EPOCH + BigInt(Math.round((originMs(clock) + ms) * 10_000));
}

/** Milliseconds on `clock` of a FILETIME (inverse of filetimeOf). */
export function msOfFiletime(clock: Clock, ft: bigint): number {
  return Number(ft - FILETIME_UNIX_EPOCH) / 10_000 - originMs(clock);
}

// ── Handles ──────────────────────────────────────────────────────────────────────────────────────────

/** Handle for a C field: undefined → 0 (NULL). */
export function handleOut(h: number | undefined | null): number {
  return h ?? 0;
}

// ── Addresses ────────────────────────────────────────────────────────────────────────────────────────

const scratch = new Uint32Array(4);

/** Writes a prefix ('10.1.0.0/16', '2001:db8::/32', or a bare address = full length) into `out`. */
export function prefixToNetAddress(prefix: string, out: RTM_NET_ADDRESS = new RTM_NET_ADDRESS()): RTM_NET_ADDRESS {
  const len = parsePrefixInto(prefix, 0, scratch, 0);
  if (len < 0) throw new TypeError(`rtm: not a prefix: ${prefix}`);
  const fam = parsedFamily.value;
  if (!(out.AddrBits instanceof Uint8Array) || out.AddrBits.length < 16) out.AddrBits = new Uint8Array(16);
  wordsToAddrBits(fam, scratch, 0, out.AddrBits);
  out.AddressFamily = fam === 4 ? AF_INET : AF_INET6;
  out.NumBits = len;
  return out;
}

/** The struct in `slot` of `owner` if it is one (reused in place), else a new one put there. */
function netAddressIn(owner: { DestAddress?: unknown; NextHopAddress?: unknown }, key: 'DestAddress' | 'NextHopAddress'): RTM_NET_ADDRESS {
  const cur = owner[key];
  if (isObject(cur)) return cur as unknown as RTM_NET_ADDRESS;
  const na = new RTM_NET_ADDRESS();
  owner[key] = na;
  return na;
}

// ── Filling structures from info objects ────────────────────────────────────────────────────────────

/** Fills an RTM_DEST_INFO in place; ViewInfo keeps its entry objects and gets length NumberOfViews. */
export function fillDestInfo(out: RTM_DEST_INFO, info: DestInfo, clock: Clock): RTM_DEST_INFO {
  out.DestHandle = info.handle;
  prefixToNetAddress(info.prefix, netAddressIn(out, 'DestAddress'));
  out.LastChanged = filetimeOf(clock, info.lastChanged);
  out.BelongsToViews = info.views;
  out.NumberOfViews = info.viewInfo.length;
  if (!Array.isArray(out.ViewInfo)) out.ViewInfo = [];
  const vi = out.ViewInfo;
  for (let i = 0; i < info.viewInfo.length; i++) {
    const src = info.viewInfo[i];
    const dst = isObject(vi[i]) ? vi[i] : (vi[i] = new RTM_DEST_VIEW_INFO());
    dst.ViewId = src.viewId;
    dst.NumRoutes = src.numRoutes;
    dst.Route = handleOut(src.route);
    dst.Owner = handleOut(src.owner);
    dst.DestFlags = src.destFlags;
    dst.HoldRoute = handleOut(src.holdRoute);
  }
  vi.length = info.viewInfo.length;
  return out;
}

/** Fills an RTM_ROUTE_INFO in place (PrefInfo and NextHopsList objects are reused). */
export function fillRouteInfo(out: RTM_ROUTE_INFO, info: RouteInfo): RTM_ROUTE_INFO {
  out.DestHandle = info.dest;
  out.RouteOwner = info.owner;
  out.Neighbour = handleOut(info.neighbour);
  out.State = info.state;
  out.Flags1 = info.flags1;
  out.Flags = info.flags;
  if (!isObject(out.PrefInfo)) out.PrefInfo = { Metric: 0, Preference: 0 };
  out.PrefInfo.Metric = info.metric;
  out.PrefInfo.Preference = info.preference;
  out.BelongsToViews = info.views;
  out.EntitySpecificInfo = info.entitySpecificInfo;
  if (!isObject(out.NextHopsList)) out.NextHopsList = { NumNextHops: 0, NextHops: [] };
  out.NextHopsList.NumNextHops = info.nextHops.length;
  fillHandles(out.NextHopsList, info.nextHops);
  return out;
}

function fillHandles(list: { NextHops: RTM_NEXTHOP_HANDLE[] }, hs: readonly number[]): void {
  if (!Array.isArray(list.NextHops)) list.NextHops = [];
  const a = list.NextHops;
  for (let i = 0; i < hs.length; i++) a[i] = hs[i];
  a.length = hs.length;
}

/** Fills an RTM_NEXTHOP_INFO in place. */
export function fillNextHopInfo(out: RTM_NEXTHOP_INFO, info: NextHopInfo): RTM_NEXTHOP_INFO {
  prefixToNetAddress(info.address, netAddressIn(out, 'NextHopAddress'));
  out.NextHopOwner = info.owner;
  out.InterfaceIndex = info.interfaceIndex;
  out.State = info.state;
  out.Flags = info.flags;
  out.EntitySpecificInfo = info.entitySpecificInfo;
  out.RemoteNextHop = handleOut(info.remoteNextHop);
  return out;
}

/** Fills an RTM_ENTITY_INFO in place. */
export function fillEntityInfo(out: RTM_ENTITY_INFO, info: EntityInfo): RTM_ENTITY_INFO {
  out.RtmInstanceId = info.rtmInstanceId;
  out.AddressFamily = info.addressFamily === 'ipv4' ? AF_INET : AF_INET6;
  if (!isObject(out.EntityId)) out.EntityId = new RTM_ENTITY_INFO().EntityId;
  out.EntityId.EntityProtocolId = info.protocolId;
  out.EntityId.EntityInstanceId = info.instanceId;
  return out;
}

/** A new RTM_ENTITY_INFO (callback contexts). */
export function entityInfoStruct(info: EntityInfo): RTM_ENTITY_INFO {
  return fillEntityInfo(new RTM_ENTITY_INFO(), info);
}

// ── Info objects from structures (release of structures the layer did not fill) ───────────────────

const num = (x: unknown): number => (typeof x === 'number' ? x : 0);

/** A DestInfo carrying the handles of an RTM_DEST_INFO (for the release functions). */
export function destInfoOfStruct(s: RTM_DEST_INFO): DestInfo {
  const n = Math.max(0, Math.min(num(s.NumberOfViews), Array.isArray(s.ViewInfo) ? s.ViewInfo.length : 0));
  const viewInfo: DestViewInfo[] = [];
  for (let i = 0; i < n; i++) {
    const v = s.ViewInfo[i];
    if (!isObject(v)) continue;
    viewInfo.push({
      viewId: num(v.ViewId), numRoutes: num(v.NumRoutes), route: handleIn<RouteHandle>(v.Route), owner: handleIn<EntityHandle>(v.Owner),
      destFlags: num(v.DestFlags), holdRoute: handleIn<RouteHandle>(v.HoldRoute),
    });
  }
  return {
    handle: s.DestHandle as DestHandle, prefix: '', address: { addressFamily: 0, numBits: 0 }, lastChanged: 0,
    views: num(s.BelongsToViews), viewInfo,
  };
}

/** A RouteInfo carrying the handles of an RTM_ROUTE_INFO. */
export function routeInfoOfStruct(s: RTM_ROUTE_INFO): RouteInfo {
  const list = isObject(s.NextHopsList) ? s.NextHopsList : { NumNextHops: 0, NextHops: [] };
  const hops = Array.isArray(list.NextHops) ? list.NextHops.slice(0, Math.max(0, num(list.NumNextHops))) : [];
  return {
    dest: s.DestHandle as DestHandle, owner: s.RouteOwner as EntityHandle, neighbour: handleIn<NextHopHandle>(s.Neighbour),
    state: num(s.State) as RouteState, flags1: num(s.Flags1), flags: num(s.Flags),
    metric: num(s.PrefInfo?.Metric), preference: num(s.PrefInfo?.Preference), views: num(s.BelongsToViews),
    entitySpecificInfo: s.EntitySpecificInfo, nextHops: hops as NextHopHandle[], prefix: '',
  };
}

/** A NextHopInfo carrying the handles of an RTM_NEXTHOP_INFO. */
export function nextHopInfoOfStruct(s: RTM_NEXTHOP_INFO): NextHopInfo {
  return {
    address: '', interfaceIndex: num(s.InterfaceIndex), owner: s.NextHopOwner as EntityHandle, state: num(s.State) as NextHopState,
    flags: num(s.Flags), entitySpecificInfo: s.EntitySpecificInfo, remoteNextHop: handleIn<DestHandle>(s.RemoteNextHop),
  };
}

/** An EntityInfo of an RTM_ENTITY_INFO. */
export function entityInfoOfStruct(s: RTM_ENTITY_INFO): EntityInfo {
  const p = num(s.EntityId?.EntityProtocolId) >>> 0, i = num(s.EntityId?.EntityInstanceId) >>> 0;
  return {
    rtmInstanceId: num(s.RtmInstanceId), addressFamily: s.AddressFamily === AF_INET6 ? 'ipv6' : 'ipv4',
    protocolId: p, instanceId: i, entityId: BigInt(p) | (BigInt(i) << 32n),
  };
}

// ── Side maps: the info object behind each structure the layer filled ──────────────────────────────
// A release function gives back exactly the references the structure was filled with, even if the
// caller edited the structure in between (the update procedure of seed 001 edits RTM_ROUTE_INFO before
// releasing it). A structure the layer did not fill (or already released) is re-derived from its fields.

export const destInfos = new WeakMap<object, DestInfo>();
export const routeInfos = new WeakMap<object, RouteInfo>();
export const nextHopInfos = new WeakMap<object, NextHopInfo>();

// ── Live pointers (owner views in C shape) ──────────────────────────────────────────────────────────

/** The PrefInfo of a live route: reads and writes the owner view. */
class LivePrefInfo {
  constructor(private readonly v: RouteOwnerView) {}
  get Metric(): number { return this.v.metric; }
  set Metric(x: number) { this.v.metric = x; }
  get Preference(): number { return this.v.preference; }
  set Preference(x: number) { this.v.preference = x; }
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The NextHopsList of a live route. `NextHops` is a real array (behind a write-through proxy): writing
 * an element or `NumNextHops` stages `NextHops[0..NumNextHops)` in the owner view at once, as a C
 * client's writes through the pointer would. A write the view refuses (no exclusive lock) is dropped
 * and the array shows the view again.
 */
class LiveNextHopsList {
  private readonly arr: number[] = [];
  private num = 0;
  private synced: readonly number[] = [];
  private readonly proxy: number[];

  constructor(private readonly v: RouteOwnerView) {
    this.pull();
    const self = this;
    this.proxy = new Proxy(this.arr, {
      get(t, k) {
        self.sync();
        return Reflect.get(t, k);
      },
      set(t, k, value) {
        self.sync();
        Reflect.set(t, k, value);
        if (k === 'length' || (typeof k === 'string' && /^\d+$/.test(k))) self.push();
        return true;
      },
    });
  }

  /** Reloads from the view. */
  private pull(): void {
    const cur = this.v.nextHops;
    this.arr.length = 0;
    for (const h of cur) this.arr.push(h);
    this.num = cur.length;
    this.synced = [...cur];
  }

  /** Reloads if the view changed by another path (a commit, RtmAddRouteToDest by handle, …). */
  private sync(): void {
    if (!sameList(this.v.nextHops, this.synced)) this.pull();
  }

  /** Stages the first NumNextHops entries in the view. */
  private push(): void {
    const want = this.arr.slice(0, this.num).map((h) => (typeof h === 'number' ? h : 0));
    this.v.nextHops = want as NextHopHandle[];
    const got = this.v.nextHops;
    if (!sameList(got, want)) this.pull();                       // refused: show the view again
    else this.synced = [...got];
  }

  get NumNextHops(): number {
    this.sync();
    return this.num;
  }
  set NumNextHops(n: number) {
    this.sync();
    const k = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
    while (this.arr.length < k) this.arr.push(0);
    this.num = k;
    this.push();
  }
  get NextHops(): RTM_NEXTHOP_HANDLE[] {
    return this.proxy;
  }
  set NextHops(a: RTM_NEXTHOP_HANDLE[]) {
    this.sync();
    const src = Array.isArray(a) ? [...a] : [];
    this.arr.length = 0;
    for (const h of src) this.arr.push(h);
    this.push();
  }
}

/**
 * A route's owner view in RTM_ROUTE_INFO shape (the C `PRTM_ROUTE_INFO` of RtmGetRoutePointer,
 * RtmLockRoute and RTM_ROUTE_EXPIRED). Reads show the committed state plus the owner's staged edits;
 * writes are staged by the owner view (accepted only under the owner's exclusive lock) and take effect
 * at RtmUpdateAndUnlockRoute or an exclusive unlock. DestHandle, RouteOwner and State are read-only
 * (writes are ignored). One object per owner view.
 */
export class LiveRouteInfo {
  private readonly pref: LivePrefInfo;
  private readonly hops: LiveNextHopsList;
  /** @param view The owner view it reads and writes. */
  constructor(readonly view: RouteOwnerView) {
    this.pref = new LivePrefInfo(view);
    this.hops = new LiveNextHopsList(view);
  }
  /** DestHandle: the destination of the route. */
  get DestHandle(): number { return this.view.dest; }
  /** Ignored: DestHandle is the RTM's. */
  set DestHandle(_x: number) { /* read-only */ }
  /** RouteOwner: the owner. */
  get RouteOwner(): number { return this.view.owner; }
  /** Ignored: RouteOwner is the RTM's. */
  set RouteOwner(_x: number) { /* read-only */ }
  /** Neighbour: the next hop the route was learnt from (0 = none). */
  get Neighbour(): number { return handleOut(this.view.neighbour); }
  /** Writes Neighbour through the owner view. */
  set Neighbour(h: number) { this.view.neighbour = handleIn<NextHopHandle>(h); }
  /** State: RTM_*_STATE_*. */
  get State(): number { return this.view.state; }
  /** Ignored: State is the RTM's. */
  set State(_x: number) { /* read-only */ }
  /** Flags1: RTM_ROUTE_FLAGS1_*. */
  get Flags1(): number { return this.view.flags1; }
  /** Writes Flags1 through the owner view. */
  set Flags1(x: number) { this.view.flags1 = x; }
  /** Flags: the flags. */
  get Flags(): number { return this.view.flags; }
  /** Writes Flags through the owner view. */
  set Flags(x: number) { this.view.flags = x; }
  /** PrefInfo: preference and metric. */
  get PrefInfo(): {
    /** PrefInfo.Metric. */
    Metric: number;
    /** PrefInfo.Preference. */
    Preference: number;
  } { return this.pref; }
  /** Writes PrefInfo through the owner view. */
  set PrefInfo(p: { Metric: number; Preference: number }) { this.pref.Metric = p.Metric; this.pref.Preference = p.Preference; }
  /** BelongsToViews: the views of the route. */
  get BelongsToViews(): number { return this.view.views; }
  /** Writes BelongsToViews through the owner view. */
  set BelongsToViews(x: number) { this.view.views = x; }
  /** EntitySpecificInfo: the owner's value (null = NULL). */
  get EntitySpecificInfo(): unknown { return this.view.entitySpecificInfo; }
  /** Writes EntitySpecificInfo through the owner view. */
  set EntitySpecificInfo(x: unknown) { this.view.entitySpecificInfo = x; }
  /** NextHopsList: the next hops of the route. */
  get NextHopsList(): {
    /** How many next hops. */
    NumNextHops: number;
    /** The next-hop handles. */
    NextHops: RTM_NEXTHOP_HANDLE[];
  } { return this.hops; }
  /** Writes NextHopsList through the owner view. */
  set NextHopsList(l: { NumNextHops: number; NextHops: RTM_NEXTHOP_HANDLE[] }) {
    const n = l.NumNextHops;
    this.hops.NextHops = Array.isArray(l.NextHops) ? l.NextHops.slice(0, n) : [];
    this.hops.NumNextHops = n;
  }
}

/**
 * A next hop's owner view in RTM_NEXTHOP_INFO shape (RtmGetNextHopPointer, RtmLockNextHop,
 * RtmFindNextHop). Flags, EntitySpecificInfo and RemoteNextHop are writable under the owner's exclusive
 * next-hop lock; NextHopAddress (a fresh RTM_NET_ADDRESS on each read; assign a whole struct to change
 * it) and InterfaceIndex are identity — the unlock reverts edits of them (ERROR_INVALID_PARAMETER).
 */
export class LiveNextHopInfo {
  /** @param view The owner view it reads and writes. */
  constructor(readonly view: NextHopOwnerView) {}
  /** NextHopAddress: the address of the next hop. */
  get NextHopAddress(): RTM_NET_ADDRESS { return prefixToNetAddress(this.view.address); }
  /** Writes NextHopAddress through the owner view. */
  set NextHopAddress(na: RTM_NET_ADDRESS) { this.view.address = netAddressText(na, true); }
  /** NextHopOwner: the owner. */
  get NextHopOwner(): number { return this.view.owner; }
  /** Ignored: NextHopOwner is the RTM's. */
  set NextHopOwner(_x: number) { /* read-only */ }
  /** InterfaceIndex: the interface. */
  get InterfaceIndex(): number { return this.view.interfaceIndex; }
  /** Writes InterfaceIndex through the owner view. */
  set InterfaceIndex(x: number) { this.view.interfaceIndex = x; }
  /** State: RTM_*_STATE_*. */
  get State(): number { return this.view.state; }
  /** Ignored: State is the RTM's. */
  set State(_x: number) { /* read-only */ }
  /** Flags: the flags. */
  get Flags(): number { return this.view.flags; }
  /** Writes Flags through the owner view. */
  set Flags(x: number) { this.view.flags = x; }
  /** EntitySpecificInfo: the owner's value (null = NULL). */
  get EntitySpecificInfo(): unknown { return this.view.entitySpecificInfo; }
  /** Writes EntitySpecificInfo through the owner view. */
  set EntitySpecificInfo(x: unknown) { this.view.entitySpecificInfo = x; }
  /** RemoteNextHop: the destination cached for a remote next hop (0 = none). */
  get RemoteNextHop(): number { return handleOut(this.view.remoteNextHop); }
  /** Writes RemoteNextHop through the owner view. */
  set RemoteNextHop(h: number) { this.view.remoteNextHop = handleIn<DestHandle>(h); }
}

const liveRoutes = new WeakMap<RouteOwnerView, LiveRouteInfo>();
const liveNextHops = new WeakMap<NextHopOwnerView, LiveNextHopInfo>();

/** The one LiveRouteInfo of an owner view. */
export function liveRoute(view: RouteOwnerView): LiveRouteInfo {
  let l = liveRoutes.get(view);
  if (l === undefined) { l = new LiveRouteInfo(view); liveRoutes.set(view, l); }
  return l;
}

/** The one LiveNextHopInfo of an owner view. */
export function liveNextHop(view: NextHopOwnerView): LiveNextHopInfo {
  let l = liveNextHops.get(view);
  if (l === undefined) { l = new LiveNextHopInfo(view); liveNextHops.set(view, l); }
  return l;
}

/**
 * Text of an RTM_NET_ADDRESS as the idiomatic layer writes addresses: 'a.b.c.d/len', or the bare
 * address when `bare` and the length is the family's full length (next-hop addresses); '' if malformed.
 * Host bits are cleared.
 */
export function netAddressText(na: unknown, bare = false): string {
  if (!isObject(na)) return '';
  const len = netAddressInto(na as unknown as NetAddressLike, 0, scratch, 0);
  if (len < 0) return '';
  const fam = parsedFamily.value;
  const text = formatPrefix(fam, scratch, 0, len);
  return bare && len === (fam === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
}
