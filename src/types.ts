// Public types of the idiomatic layer (`rtm-wasm`): branded handles, info objects, option objects and
// the two interfaces every implementation provides — RtmLike (one RTM instance) and EntityLike (one
// registration, with one method per RTMv2 function that takes the registration handle). The reference
// model (test/reference/model.ts) and the WASM facade both implement them, and the conformance tests are
// written against them only. Types only (plus re-exported constant values); nothing here allocates.
//
// Conventions (where API.md is silent):
//  1. Names: RtmFoo(RtmRegHandle, …) → entity.foo(…) (RtmDeregisterEntity → deregister()).
//  2. In-parameters: one flattened options object; a function whose only in-parameter besides the
//     registration handle is one handle or one array of handles takes it positionally.
//  3. Out-parameters: a single one is returned directly; several come back as one object.
//  4. Misses: get*/find* calls whose C status is ERROR_NOT_FOUND return `undefined`; enumerations and
//     change pulls return `{ items, done }` where `done` means the C call returned ERROR_NO_MORE_ITEMS
//     (the final batch may carry items with done = true, D-40). Every other non-zero status throws
//     RtmError (`code` = Win32 name, `status` = number).
//  5. Handles are non-zero numbers, branded per kind; NULL is `undefined` in results and may be given
//     as `undefined`, `null` or 0 in options. Every handle a call returns (alone or inside an info
//     object) carries one reference for the calling entity, released with the matching release*.
//  6. Defaults for omitted option fields: numbers 0 and PVOIDs null (ZeroMemory), except
//     `timeToLive` = INFINITE, a route's `views` = RTM_VIEW_MASK_UCAST, a query/enumeration/notification
//     `views` (TargetViews) = RTM_VIEW_MASK_ALL (every supported view), `protocolId` =
//     RTM_BEST_PROTOCOL, `count` = profile.maxHandlesInEnum, `returnHandle` = true, lock `exclusive` =
//     false and `lock` = true, `mark` = true.

import type { Clock } from './clock.js';
import type { NetAddressLike } from './address.js';
import type {
  RTM_CHANGE_NOTIFICATION, RTM_ENTITY_DEREGISTERED, RTM_ENTITY_REGISTERED, RTM_ROUTE_EXPIRED,
  RTM_ROUTE_STATE_CREATED, RTM_ROUTE_STATE_DELETED, RTM_ROUTE_STATE_DELETING,
  RTM_NEXTHOP_STATE_CREATED, RTM_NEXTHOP_STATE_DELETED,
} from './constants.js';

export type { Clock } from './clock.js';
export type { NetAddressLike } from './address.js';

// ── Handles ─────────────────────────────────────────────────────────────────────────────────────────

declare const HANDLE_KIND: unique symbol;

/** The seven RTMv2 handle kinds. */
export type HandleKind = 'entity' | 'dest' | 'route' | 'nextHop' | 'enum' | 'routeList' | 'notify';

/**
 * A handle: an opaque non-zero number (never 0; a freed handle is never valid again), branded per kind
 * at compile time only. A handle of the wrong kind, unknown, or whose object has been freed gives
 * `ERROR_INVALID_HANDLE`.
 */
export type Handle<K extends HandleKind = HandleKind> = number & {
  /** The kind, at compile time only (no such property exists). */
  readonly [HANDLE_KIND]: K;
};
/** RTM_ENTITY_HANDLE; an entity's registration handle is its entity handle. */
export type EntityHandle = Handle<'entity'>;
/** RTM_DEST_HANDLE. */
export type DestHandle = Handle<'dest'>;
/** RTM_ROUTE_HANDLE. */
export type RouteHandle = Handle<'route'>;
/** RTM_NEXTHOP_HANDLE. */
export type NextHopHandle = Handle<'nextHop'>;
/** RTM_ENUM_HANDLE (destination, route, next-hop and route-list enumerations). */
export type EnumHandle = Handle<'enum'>;
/** RTM_ROUTE_LIST_HANDLE. */
export type RouteListHandle = Handle<'routeList'>;
/** RTM_NOTIFY_HANDLE. */
export type NotifyHandle = Handle<'notify'>;
/** The handles RtmReferenceHandles accepts. */
export type ReferenceableHandle = EntityHandle | DestHandle | RouteHandle | NextHopHandle;
/** A NULL-able handle in options: `undefined`, `null` and 0 all mean NULL. */
export type Nullable<H> = H | null | undefined | 0;

// ── Small value types ───────────────────────────────────────────────────────────────────────────────

/** Address family names of the idiomatic layer; `AF_INET` (2) / `AF_INET6` (23) are accepted too. */
export type AddressFamilyName = 'ipv4' | 'ipv6';

/**
 * A prefix or address: text (`'10.1.0.0/16'`, `'2001:db8::/32'`; a bare address is a full-length
 * prefix) or an RTM_NET_ADDRESS-like object `{ AddressFamily, NumBits, AddrBits }`. Host bits beyond
 * the length are cleared. Malformed text, an out-of-range length or a family other than the entity's:
 * `ERROR_INVALID_PARAMETER`.
 */
export type PrefixInput = string | NetAddressLike;

/** RTM_EVENT_TYPE. */
export type RtmEventType =
  | typeof RTM_ENTITY_REGISTERED | typeof RTM_ENTITY_DEREGISTERED
  | typeof RTM_ROUTE_EXPIRED | typeof RTM_CHANGE_NOTIFICATION;

/** RTM_ROUTE_STATE_*: CREATED (live), DELETING (held down, D-37), DELETED (gone, still referenced). */
export type RouteState = typeof RTM_ROUTE_STATE_CREATED | typeof RTM_ROUTE_STATE_DELETING | typeof RTM_ROUTE_STATE_DELETED;

/** RTM_NEXTHOP_STATE_*. */
export type NextHopState = typeof RTM_NEXTHOP_STATE_CREATED | typeof RTM_NEXTHOP_STATE_DELETED;

// ── Callbacks ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The entity's event callback (RTM_EVENT_CALLBACK without the leading registration handle; the Win32
 * layer adds it back). Never called from inside the API call that caused the event; delivered by the
 * scheduler (a microtask with the real clock; `runPending()` / `VirtualClock.advance()` otherwise).
 *
 * | type | context1 | context2 | return |
 * |---|---|---|---|
 * | RTM_ENTITY_REGISTERED | EntityHandle of the new entity (no reference) | its EntityInfo | ignored |
 * | RTM_ENTITY_DEREGISTERED | EntityHandle of the leaving entity (no reference) | its EntityInfo | ignored |
 * | RTM_ROUTE_EXPIRED | RouteHandle (one reference for the owner) | the route's RouteOwnerView | ERROR_NOT_SUPPORTED (50) = "RTM, delete it"; anything else = handled (release the handle) |
 * | RTM_CHANGE_NOTIFICATION | NotifyHandle | the registration's `context` | ignored |
 *
 * Returning nothing counts as NO_ERROR.
 */
export type EventCallback = (
  type: RtmEventType,
  context1: EntityHandle | RouteHandle | NotifyHandle,
  context2: unknown,
) => number | void;

/** The input every invoked method receives (RTM_ENTITY_METHOD_INPUT). */
export interface MethodInput {
  /** The method bits the caller asked for (the whole mask). */
  readonly methodType: number;
  /** The caller's input bytes (InputData; empty when none was given). */
  readonly inputData: Uint8Array;
}

/** The output record of one invoked method (RTM_ENTITY_METHOD_OUTPUT): the method fills it. */
export interface MethodOutput {
  /** The single bit of this method. */
  readonly methodType: number;
  /** Preset to NO_ERROR. */
  methodStatus: number;
  /** Preset to a zeroed buffer of the caller's `outputCapacity`; the method may write or replace it. */
  outputData: Uint8Array;
  /** In: capacity in bytes; out: bytes the method used (clamped to `outputData.length`). */
  outputSize: number;
}

/** An exported method (RTM_ENTITY_EXPORT_METHOD): entry i of `exportMethods` answers bit `1 << i`. */
export type EntityMethod = (caller: EntityHandle, callee: EntityHandle, input: MethodInput, output: MethodOutput) => void;

/** What RtmInvokeMethod returns for one invoked method. */
export interface MethodResult {
  /** The single bit of the method that ran. */
  readonly methodType: number;
  /** The status the method reported (NO_ERROR unless it set another). */
  readonly methodStatus: number;
  /** The bytes the method reported (`outputData` cut to `outputSize`). */
  readonly outputData: Uint8Array;
}

// ── Instance ────────────────────────────────────────────────────────────────────────────────────────

/** Options of `Rtm.create()` / `createSync()` (API.md §1) and of the reference model. */
export interface RtmOptions {
  /** The RtmInstanceId this instance answers to (default 0). */
  instanceId?: number;
  /** Time source (default: real time). A VirtualClock makes time advance only when told. */
  clock?: Clock;
  /** RTM_REGN_PROFILE.MaxNextHopsInRoute (default 8). */
  maxNextHopsInRoute?: number;
  /** RTM_REGN_PROFILE.MaxHandlesInEnum (default 100). */
  maxHandlesInEnum?: number;
  /** Views supported, as a mask (default RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST). */
  views?: number;
  /** Opaque pointer slots per destination (default 5, D-09; at most 512: a destination counts its non-NULL slots in a few bits). */
  opaqueSlots?: number;
  /** Notification registrations per table (default 32, D-09). */
  maxNotifyRegistrations?: number;
  /** Default preference per EntityProtocolId, applied when a route gives Preference 0 (B7, D-19). */
  defaultPreferences?: Readonly<Record<number, number>>;
  /**
   * Address families with a table (default both); registering for another: ERROR_FILE_NOT_FOUND. An
   * unlisted family costs nothing: its (empty) table is made only if its fast paths are asked for
   * (`rtm.ipv4` / `rtm.ipv6`, `rtm.lookup` of such an address).
   */
  families?: readonly AddressFamilyName[];
  /**
   * Caps the core's linear memory at this many bytes (rounded down to 64 KiB pages; 0 = no cap; omitted =
   * leave the cap as it is). Every allocation that would grow memory beyond it fails with
   * ERROR_NOT_ENOUGH_MEMORY, the table unchanged. One core hosts every table of the process, so the cap is
   * the core's, shared by every Rtm: the last value set wins. It is set before the instance's own tables
   * are made (so a new instance can give a full core room); a creation that fails puts the old cap back.
   */
  maxMemoryBytes?: number;
}

/** Identity given to registerEntity (RTM_ENTITY_INFO minus the instance, which is the Rtm's). */
export interface EntityIdentity {
  /** 'ipv4' / 'ipv6', or AF_INET (2) / AF_INET6 (23). */
  addressFamily: AddressFamilyName | number;
  /** EntityProtocolId (u32), e.g. PROTO_IP_OSPF. */
  protocolId: number;
  /** EntityInstanceId (u32, default 0). */
  instanceId?: number;
}

/** Options of registerEntity (the rest of RtmRegisterEntity's parameters). */
export interface RegisterOptions {
  /** The event callback (RTM_EVENT_CALLBACK); none = events are not delivered (changes can be polled). */
  onEvent?: EventCallback;
  /** Reserve one opaque pointer slot in every destination (ReserveOpaquePointer). */
  reserveOpaquePointer?: boolean;
  /** Up to 32 exported methods; entry i answers method bit `1 << i`. */
  exportMethods?: readonly EntityMethod[];
}

/** RTM_REGN_PROFILE. */
export interface RegnProfile {
  /** MaxNextHopsInRoute: most next hops one route may have. */
  readonly maxNextHopsInRoute: number;
  /** MaxHandlesInEnum: most handles one enumeration call returns (the default `count`). */
  readonly maxHandlesInEnum: number;
  /** ViewsSupported: the mask of the views the instance supports. */
  readonly viewsSupported: number;
  /** NumberOfViews: how many views that mask has. */
  readonly numberOfViews: number;
}

/** RTM_ENTITY_INFO (holds no handles). */
export interface EntityInfo {
  /** RtmInstanceId. */
  readonly rtmInstanceId: number;
  /** The family of the entity's table: 'ipv4' or 'ipv6'. */
  readonly addressFamily: AddressFamilyName;
  /** EntityProtocolId. */
  readonly protocolId: number;
  /** EntityInstanceId. */
  readonly instanceId: number;
  /** RTM_ENTITY_ID.EntityId = protocolId | instanceId << 32. */
  readonly entityId: bigint;
}

/** One entry of getRegisteredEntities(). */
export interface RegisteredEntity {
  /** Referenced: give it back with releaseEntities(). */
  readonly handle: EntityHandle;
  /** The entity's identity. */
  readonly info: EntityInfo;
}

/** One RTM instance (RtmInstanceId): one table per address family. */
export interface RtmLike {
  /** The instance's time source. */
  readonly clock: Clock;
  /** RtmInstanceId. */
  readonly instanceId: number;
  /**
   * Registers an entity (RtmRegisterEntity) and schedules RTM_ENTITY_REGISTERED to the other entities
   * of the same table.
   * @throws RtmError ERROR_INVALID_PARAMETER (malformed identity, more than 32 methods),
   *   ERROR_FILE_NOT_FOUND (family without a table), ERROR_ALREADY_EXISTS (same EntityId in this table),
   *   ERROR_NO_SYSTEM_RESOURCES (no opaque slot free), ERROR_BUSY (inside a registration-event
   *   callback), ERROR_INVALID_HANDLE (instance closed)
   */
  registerEntity(identity: EntityIdentity, options?: RegisterOptions): EntityLike;
  /**
   * Delivers everything due now — expiries and hold-down ends whose time has come (each followed by its
   * callbacks), then pending callbacks — synchronously; returns how many callbacks ran.
   */
  runPending(): number;
  /** Frees the instance; later calls on it or its entities throw ERROR_INVALID_HANDLE. */
  close(): void;
  /**
   * @internal For the RTMv1 layer (spec §9.5): calls `listener(prefix)` after every operation, once per
   * change of the best route (a change that fired BEST) in the unicast view of the IPv4 table, in order,
   * whatever caused it; `listener(undefined)` when changes were not all logged. Returns the stop function.
   */
  watchBestRoutes?(listener: BestRouteListener): () => void;
}

/** Rtm.watchBestRoutes: the IPv4 prefix whose unicast best route changed, or undefined (rescan everything). */
export type BestRouteListener = (prefix: string | undefined) => void;

// ── Routes ──────────────────────────────────────────────────────────────────────────────────────────

/** The owner-writable part of a route (RTM_ROUTE_INFO's read/write members). */
export interface RouteFields {
  /** Next hop (of the caller) the route was learnt from; NULL for link-state protocols. */
  neighbour?: Nullable<NextHopHandle>;
  /** Equal-cost next hops, all the caller's live next hops, at most profile.maxNextHopsInRoute. */
  nextHops?: readonly NextHopHandle[];
  /** PrefInfo.Metric (u32, lower wins among equal preferences). */
  metric?: number;
  /** PrefInfo.Preference (u32, lower wins; see RtmOptions.defaultPreferences for 0). */
  preference?: number;
  /** BelongsToViews (default RTM_VIEW_MASK_UCAST); bits of unsupported views are dropped. */
  views?: number;
  /** RTM_ROUTE_FLAGS_* (u16). */
  flags?: number;
  /** RTMv1 compatibility flags (u8). */
  flags1?: number;
  /** Owner-private value, stored and returned untouched. */
  entitySpecificInfo?: unknown;
}

/**
 * RtmAddRouteToDest. Each call describes the whole route, as RTM_ROUTE_INFO does: omitted fields take
 * their defaults, they are not merged with the route's current values.
 */
export interface AddRouteOptions extends RouteFields {
  /** DestAddress. Required also when updating by handle (it must equal the route's prefix). */
  dest: PrefixInput;
  /** Update this route (C: pointer to a non-NULL handle); the search of §7.2 is skipped. */
  route?: Nullable<RouteHandle>;
  /** TimeToLive in ms (default INFINITE = never expires; 0 = at the next scheduler run). */
  timeToLive?: number;
  /** Move the route to the tail of this list of the caller's (NULL: leave list membership alone). */
  routeList?: Nullable<RouteListHandle>;
  /** Input change flags: RTM_ROUTE_CHANGE_NEW (always create) and/or RTM_ROUTE_CHANGE_FIRST. */
  changeFlags?: number;
  /**
   * true (default, C "pointer to NULL"): return a referenced handle to the added/updated route;
   * false (C "NULL pointer"): return no handle and take no reference. Ignored with `route`.
   */
  returnHandle?: boolean;
}

/** Result of addRouteToDest. */
export interface AddRouteResult {
  /**
   * The route: referenced when the call found/created it and `returnHandle` was not false; the given
   * `route` (no new reference) when updating by handle; undefined with `returnHandle: false`.
   */
  readonly handle: RouteHandle | undefined;
  /** RTM_ROUTE_CHANGE_NEW if created, | RTM_ROUTE_CHANGE_BEST if BEST fired in some view (§7.8.4). */
  readonly changeFlags: number;
}

/** RTM_ROUTE_INFO as a copy of the committed state. Handles inside are referenced (releaseRouteInfo). */
export interface RouteInfo {
  /** The destination of the route. Referenced. */
  readonly dest: DestHandle;
  /** The entity that added the route. Referenced. */
  readonly owner: EntityHandle;
  /** Neighbour: the next hop the route was learnt from, or undefined. Referenced. */
  readonly neighbour: NextHopHandle | undefined;
  /** RTM_ROUTE_STATE_*: created (live), deleting (held down) or deleted. */
  readonly state: RouteState;
  /** Flags1 (RTM_ROUTE_FLAGS1_*, 8 bits). */
  readonly flags1: number;
  /** Flags (RTM_ROUTE_FLAGS_*, 16 bits). */
  readonly flags: number;
  /** PrefInfo.Metric. */
  readonly metric: number;
  /** PrefInfo.Preference (lower wins). */
  readonly preference: number;
  /** BelongsToViews. */
  readonly views: number;
  /** EntitySpecificInfo: the owner's value, as given (null = NULL). */
  readonly entitySpecificInfo: unknown;
  /** NextHopsList: the next hops of the route. Referenced. */
  readonly nextHops: readonly NextHopHandle[];
  /** The destination prefix as text (`'10.1.0.0/16'`); not a handle, nothing to release. */
  readonly prefix: string;
}

/**
 * The route's owner view (spec §7.10, D-42): the one live object RtmLockRoute, RtmGetRoutePointer and
 * the RTM_ROUTE_EXPIRED callback give the owner. Reading shows the committed state plus the owner's
 * staged edits. Writing is accepted only while the owner holds the exclusive lock of the route (its
 * destination); writes at other times are ignored (an implementation may throw in debug builds).
 * Staged edits take effect at updateAndUnlockRoute() (or a plain exclusive unlock). `nextHops` is a
 * frozen array: assign a new array to change it. No references are taken or implied.
 */
export interface RouteOwnerView {
  /** The route. */
  readonly handle: RouteHandle;
  /** The destination of the route. */
  readonly dest: DestHandle;
  /** The owner (the entity this view belongs to). */
  readonly owner: EntityHandle;
  /** RTM_ROUTE_STATE_* of the committed route. */
  readonly state: RouteState;
  /** The destination prefix as text ('10.1.0.0/16'). */
  readonly prefix: string;
  /** Neighbour: the next hop the route was learnt from, or undefined. */
  neighbour: NextHopHandle | undefined;
  /** Flags1 (RTM_ROUTE_FLAGS1_*, 8 bits). */
  flags1: number;
  /** Flags (RTM_ROUTE_FLAGS_*, 16 bits). */
  flags: number;
  /** PrefInfo.Metric. */
  metric: number;
  /** PrefInfo.Preference (lower wins). */
  preference: number;
  /** BelongsToViews. */
  views: number;
  /** EntitySpecificInfo: the owner's value (null = NULL). */
  entitySpecificInfo: unknown;
  /** NextHopsList (a frozen array: assign a new one to change it). */
  nextHops: readonly NextHopHandle[];
}

/** Criteria for RTM_MATCH_* tests (the fields of RTM_ROUTE_INFO that matching reads). */
export interface RouteCriteria {
  /** Owner to match (RTM_MATCH_OWNER). */
  owner?: Nullable<EntityHandle>;
  /** Neighbour to match (RTM_MATCH_NEIGHBOUR). */
  neighbour?: Nullable<NextHopHandle>;
  /** Preference to match (RTM_MATCH_PREF, with `metric`). */
  preference?: number;
  /** Metric to match (RTM_MATCH_PREF, with `preference`). */
  metric?: number;
  /** Next hops to match (RTM_MATCH_NEXTHOP: every one of them is in the route's list, D-15). */
  nextHops?: readonly NextHopHandle[];
}

/** RtmGetExactMatchRoute. */
export interface ExactMatchRouteOptions {
  /** The destination (DestAddress). */
  dest: PrefixInput;
  /** RTM_MATCH_* (default RTM_MATCH_NONE). */
  matchFlags?: number;
  /** Required when matchFlags has OWNER, NEIGHBOUR, PREF or NEXTHOP (else ERROR_INVALID_PARAMETER). */
  criteria?: RouteCriteria;
  /** Used with RTM_MATCH_INTERFACE. */
  interfaceIndex?: number;
  /** TargetViews (default RTM_VIEW_MASK_ALL; 0 = any live route). */
  views?: number;
  /** Also return a referenced route handle (default true). */
  returnHandle?: boolean;
}

/** Result of getExactMatchRoute. */
export interface ExactMatchRouteResult {
  /** Referenced (releaseRoutes), unless returnHandle was false. */
  readonly handle: RouteHandle | undefined;
  /** Handles inside are referenced (releaseRouteInfo). */
  readonly info: RouteInfo;
}

// ── Destinations ────────────────────────────────────────────────────────────────────────────────────

/** One ViewInfo entry of RTM_DEST_INFO. */
export interface DestViewInfo {
  /** The view id (RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST). */
  readonly viewId: number;
  /** Live routes of the destination in this view, all protocols, held routes excluded (D-07). */
  readonly numRoutes: number;
  /** Best route of the view among those the protocol selector allows (§7.15). Referenced. */
  readonly route: RouteHandle | undefined;
  /** Owner of `route`. Referenced. */
  readonly owner: EntityHandle | undefined;
  /** `flags` of `route`, or 0. */
  readonly destFlags: number;
  /** Route held down in this view (§7.7). Referenced. */
  readonly holdRoute: RouteHandle | undefined;
}

/** RTM_DEST_INFO. Handles inside are referenced (releaseDestInfo / releaseDests / releaseChangedDests). */
export interface DestInfo {
  /** The destination. Referenced. */
  readonly handle: DestHandle;
  /** `'10.1.0.0/16'` (host bits cleared; always with the length). */
  readonly prefix: string;
  /** DestAddress without the bits: AF_INET / AF_INET6 and NumBits. */
  readonly address: {
    /** AF_INET (2) or AF_INET6 (23). */
    readonly addressFamily: number;
    /** NumBits: the prefix length. */
    readonly numBits: number;
  };
  /** LastChanged, in ms on the instance's clock (§7.4, D-28). */
  readonly lastChanged: number;
  /** BelongsToViews: views with at least one live route. */
  readonly views: number;
  /** One entry per requested supported view, ascending view id; empty when TargetViews was 0. */
  readonly viewInfo: readonly DestViewInfo[];
}

/** Selector and views of destination queries. */
export interface DestQueryOptions {
  /** RTM_BEST_PROTOCOL (default), RTM_THIS_PROTOCOL or an EntityProtocolId (§7.15). */
  protocolId?: number;
  /** TargetViews (default RTM_VIEW_MASK_ALL; 0 = any view, no per-view data). */
  views?: number;
}

/** The slot behind RtmGetOpaqueInformationPointer: read and write `value` (null = NULL). */
export interface OpaqueSlot {
  /** The caller's value in this destination (null = NULL). */
  value: unknown;
}

// ── Next hops ───────────────────────────────────────────────────────────────────────────────────────

/** Identity of a next hop in its owner's list. */
export interface NextHopIdentity {
  /** NextHopAddress (a bare address is a full-length prefix). */
  address: PrefixInput;
  /** InterfaceIndex (0 for a remote next hop). */
  interfaceIndex?: number;
}

/** RtmAddNextHop. */
export interface AddNextHopOptions extends NextHopIdentity {
  /** RTM_NEXTHOP_FLAGS_* (u16). */
  flags?: number;
  /** EntitySpecificInfo: any value of the owner's (default null = NULL). */
  entitySpecificInfo?: unknown;
  /** RemoteNextHop: cached destination covering a remote next hop. */
  remoteNextHop?: Nullable<DestHandle>;
  /** Update this next hop (C: pointer to a non-NULL handle); its identity must match `address`/`interfaceIndex`. */
  nextHop?: Nullable<NextHopHandle>;
  /** Return a referenced handle (default true); false = C "NULL pointer". Ignored with `nextHop`. */
  returnHandle?: boolean;
}

/** Result of addNextHop. */
export interface AddNextHopResult {
  /** The next hop: referenced unless `returnHandle` was false; the given `nextHop` when updating by handle. */
  readonly handle: NextHopHandle | undefined;
  /** RTM_NEXTHOP_CHANGE_NEW if created, 0 if an existing next hop was updated. */
  readonly changeFlags: number;
}

/** RTM_NEXTHOP_INFO. `owner` and `remoteNextHop` are referenced (releaseNextHopInfo). */
export interface NextHopInfo {
  /** `'10.0.0.1'` for a full-length address, `'10.0.0.0/24'` otherwise. */
  readonly address: string;
  /** InterfaceIndex (0 for a remote next hop). */
  readonly interfaceIndex: number;
  /** The entity that added the next hop. Referenced. */
  readonly owner: EntityHandle;
  /** RTM_NEXTHOP_STATE_*: created or deleted. */
  readonly state: NextHopState;
  /** RTM_NEXTHOP_FLAGS_* (16 bits). */
  readonly flags: number;
  /** EntitySpecificInfo: the owner's value (null = NULL). */
  readonly entitySpecificInfo: unknown;
  /** RemoteNextHop: the destination cached for a remote next hop, or undefined. Referenced. */
  readonly remoteNextHop: DestHandle | undefined;
}

/**
 * The next hop's owner view (D-42), from lockNextHop / getNextHopPointer / findNextHop. Writable only
 * while the owner holds the exclusive next-hop lock; the unlock commits `flags`, `entitySpecificInfo`,
 * `remoteNextHop`. Identity edits (`address`, `interfaceIndex`) are reverted by the unlock, which then
 * throws ERROR_INVALID_PARAMETER.
 */
export interface NextHopOwnerView {
  /** The next hop. */
  readonly handle: NextHopHandle;
  /** The owner (the entity this view belongs to). */
  readonly owner: EntityHandle;
  /** RTM_NEXTHOP_STATE_*. */
  readonly state: NextHopState;
  /** NextHopAddress: '10.0.0.1' for a full-length address, else 'addr/len'. */
  address: string;
  /** InterfaceIndex. */
  interfaceIndex: number;
  /** RTM_NEXTHOP_FLAGS_* (16 bits). */
  flags: number;
  /** EntitySpecificInfo: the owner's value (null = NULL). */
  entitySpecificInfo: unknown;
  /** RemoteNextHop, or undefined. */
  remoteNextHop: DestHandle | undefined;
}

/** Result of findNextHop. */
export interface FindNextHopResult {
  /** Referenced (releaseNextHops). */
  readonly handle: NextHopHandle;
  /**
   * Owner view, valid while the handle is held: an accessor that makes (or takes from the entity's cache)
   * the view on its first read, so a find that only wants the handle makes no view.
   */
  readonly pointer: NextHopOwnerView;
}

// ── Enumerations ────────────────────────────────────────────────────────────────────────────────────

/** A batch from an enumeration or a changed-destination pull. */
export interface EnumBatch<T> {
  /** What this call returned (handles inside are referenced). */
  readonly items: readonly T[];
  /** The C call returned ERROR_NO_MORE_ITEMS (exhausted after this batch); for list enumerations: fewer than requested. */
  readonly done: boolean;
}

/** RtmCreateDestEnum. */
export interface DestEnumOptions extends DestQueryOptions {
  /** One range flag (RTM_ENUM_START/NEXT/RANGE) | RTM_ENUM_ALL_DESTS / RTM_ENUM_OWN_DESTS. */
  enumFlags?: number;
  /** NetAddress: start (NEXT) or range (RANGE) prefix; ignored with START. */
  startDest?: PrefixInput;
}

/** RtmCreateRouteEnum. */
export interface RouteEnumOptions {
  /** Only this destination (range flags and startDest are then ignored). */
  dest?: Nullable<DestHandle>;
  /** TargetViews (default RTM_VIEW_MASK_ALL; 0 = every live and held route). */
  views?: number;
  /** One range flag | RTM_ENUM_ALL_ROUTES / RTM_ENUM_OWN_ROUTES. */
  enumFlags?: number;
  /** Where an RTM_ENUM_RANGE enumeration starts (its prefix bounds the range). */
  startDest?: PrefixInput;
  /** RTM_MATCH_* tests the routes must pass (default RTM_MATCH_NONE). */
  matchFlags?: number;
  /** The values `matchFlags` compares with. */
  criteria?: RouteCriteria;
  /** Used with RTM_MATCH_INTERFACE. */
  interfaceIndex?: number;
}

/** RtmCreateNextHopEnum (the caller's own next hops, D-46). */
export interface NextHopEnumOptions {
  /** RTM_ENUM_START (default; every next hop) or RTM_ENUM_RANGE (those within `address`), RTM_ENUM_NEXT allowed. */
  enumFlags?: number;
  /** The range of RTM_ENUM_RANGE. */
  address?: PrefixInput;
}

/** The in-parameters of every Get-from-enumeration call. */
export interface EnumGetOptions {
  /** The enumeration to continue. */
  enumHandle: EnumHandle;
  /** At most this many (default and maximum: profile.maxHandlesInEnum; more: ERROR_INVALID_PARAMETER). */
  count?: number;
}

// ── Change notification ─────────────────────────────────────────────────────────────────────────────

/** RtmRegisterForChangeNotification. */
export interface NotifyOptions {
  /** TargetViews (default RTM_VIEW_MASK_ALL; 0 = all views, infos without per-view data, D-30). */
  views?: number;
  /** RTM_CHANGE_TYPE_* | optional RTM_NOTIFY_ONLY_MARKED_DESTS (at least one change type). */
  notifyFlags: number;
  /** NotifyContext: handed back as context2 of RTM_CHANGE_NOTIFICATION. */
  context?: unknown;
}

/** A registration and one destination. */
export interface NotifyDestOptions {
  /** The change-notification registration. */
  notifyHandle: NotifyHandle;
  /** The destination. */
  dest: DestHandle;
}

// ── Iterators ───────────────────────────────────────────────────────────────────────────────────────

/** dests()/routes() conveniences: the enumeration options plus the batch size. */
export interface IterateOptions {
  /** Batch size (default profile.maxHandlesInEnum). */
  batch?: number;
}

// ── Batches and hot paths (API.md §6; not in RTMv2) ───────────────────────────────────────────────────

/**
 * Entity.addRoutesBatch: record i is the prefix (keys[4i..4i+3], lens[i]) with next hop nextHops[i] (a
 * next-hop handle of the entity, both neighbour and only next hop; 0 = none), preference, metric, views
 * (default RTM_VIEW_MASK_UCAST) and flags. Missing optional arrays mean 0 (views: unicast).
 */
export interface RouteLoadBatch {
  /** Number of records. */
  count: number;
  /** Prefix words, four per record (`keys[4i..4i+3]`), most significant first. */
  keys: Uint32Array;
  /** Prefix length of each record. */
  lens: Uint8Array | Uint32Array;
  /** Next-hop handle of each record (the caller's; neighbour and only next hop; 0 = none). */
  nextHops?: Float64Array;
  /** Preference of each record (default 0). */
  preferences?: Uint32Array;
  /** Metric of each record (default 0). */
  metrics?: Uint32Array;
  /** BelongsToViews of each record (default RTM_VIEW_MASK_UCAST). */
  views?: Uint8Array | Uint32Array;
  /** Route flags of each record (default 0). */
  flags?: Uint16Array | Uint32Array;
}

/** Entity.addRoutesBatch result. */
export interface RouteLoadResult {
  /** Routes the batch created. */
  routesCreated: number;
  /** Destinations the batch created. */
  destsCreated: number;
}

/**
 * Entity.applyUpdates: record i is an update of the prefix (keys[4i..4i+3], lens[i]): kinds[i] 0 =
 * add/update the caller's route there (RtmAddRouteToDest with RTM_ROUTE_CHANGE_FIRST: next hop
 * nextHops[i] as neighbour and only next hop, 0 = none; preference, metric, views default 0, 0,
 * RTM_VIEW_MASK_UCAST), 1 = delete the caller's route there (nothing if it has none).
 */
export interface RouteUpdates {
  /** Number of records. */
  count: number;
  /** Prefix words, four per record (`keys[4i..4i+3]`), most significant first. */
  keys: Uint32Array;
  /** Prefix length of each record. */
  lens: Uint8Array | Uint32Array;
  /** 0: add or update the caller's first route on the destination; 1: delete it. */
  kinds: Uint8Array;
  /** Next-hop handle of each record (the caller's; neighbour and only next hop; 0 = none). */
  nextHops?: Float64Array;
  /** Preference of each record (default 0: the `defaultPreferences` of the protocol). */
  preferences?: Uint32Array;
  /** Metric of each record (default 0). */
  metrics?: Uint32Array;
  /** BelongsToViews of each record (default RTM_VIEW_MASK_UCAST). */
  views?: Uint8Array | Uint32Array;
  /** Out: the change flags of each record (RTM_ROUTE_CHANGE_NEW / _BEST; 0 for a delete that found nothing). */
  changeFlags?: Uint32Array;
}

/** Entity.getChangedDestIds. */
export interface ChangedDestIdsOptions {
  /** The change-notification registration to pull from. */
  notifyHandle: NotifyHandle;
  /** Receives the destIds; its length is how many to pull at most. */
  out: Int32Array;
}

// ── The entity ──────────────────────────────────────────────────────────────────────────────────────

/**
 * One registration (RTM_ENTITY_HANDLE) and every RTMv2 function that takes it. All methods throw
 * RtmError('ERROR_INVALID_HANDLE') once the entity has deregistered or the instance is closed.
 * Unless a method says otherwise, other errors follow spec D-05 precedence: other handles
 * (ERROR_INVALID_HANDLE) → arguments (ERROR_INVALID_PARAMETER / ERROR_NOT_SUPPORTED) → ownership
 * (ERROR_ACCESS_DENIED) → lookup (ERROR_NOT_FOUND) → resources/locks (ERROR_BUSY). A call that throws
 * leaves the table unchanged and takes no references.
 */
export interface EntityLike {
  /** The registration handle (= this entity's handle). */
  readonly handle: EntityHandle;
  /** RTM_REGN_PROFILE returned at registration. */
  readonly profile: RegnProfile;
  /** This entity's RTM_ENTITY_INFO. */
  readonly info: EntityInfo;

  // Registration and entity information (§8.1)
  /** RtmDeregisterEntity: clean-up of §7.16, then the handle is invalid. @throws ERROR_BUSY inside a registration-event callback */
  deregister(): void;
  /** RtmGetRegisteredEntities: every entity of this table incl. the caller, in registration order; handles referenced. @throws ERROR_BUSY inside a registration-event callback */
  getRegisteredEntities(): RegisteredEntity[];
  /** RtmReleaseEntities: one reference per handle; all valid ones are released, then ERROR_INVALID_HANDLE if any was invalid. */
  releaseEntities(entities: readonly EntityHandle[]): void;
  /** RtmGetEntityInfo (works for a deregistered entity still referenced). @throws ERROR_INVALID_HANDLE */
  getEntityInfo(entity: EntityHandle): EntityInfo;
  /** RtmReleaseEntityInfo: nothing to release (no handles inside); validates the registration only. */
  releaseEntityInfo(info: EntityInfo): void;

  // Locks and opaque pointers (§8.2, §8.5)
  /** RtmLockDestination. @throws ERROR_INVALID_HANDLE, ERROR_BUSY (conflicting holder), ERROR_NOT_LOCKED (unlock not held in that mode) */
  lockDestination(options: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void;
  /** RtmGetOpaqueInformationPointer: the caller's slot in the destination, or undefined if it reserved none. @throws ERROR_INVALID_HANDLE */
  getOpaqueInformationPointer(dest: DestHandle): OpaqueSlot | undefined;

  // Methods (§8.3)
  /** RtmGetEntityMethods: the method bit of every exported method, in index order (no reference taken). @throws ERROR_INVALID_HANDLE */
  getEntityMethods(entity: EntityHandle): number[];
  /**
   * RtmInvokeMethod: calls, synchronously and in ascending bit order, each method of `entity` selected
   * by `methodType` (METHOD_TYPE_ALL_METHODS = all).
   * @throws ERROR_INVALID_HANDLE (unknown or deregistered callee), ERROR_BUSY (callee's methods blocked)
   */
  invokeMethod(options: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): MethodResult[];
  /** RtmBlockMethods: RTM_BLOCK_METHODS / RTM_RESUME_METHODS for all the caller's methods (not counted). @throws ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE (target mismatch) */
  blockMethods(options: { blockingFlag: number; targetHandle?: Nullable<Handle>; targetType?: number }): void;

  // Information retrieval and release (§8.4)
  /** RtmGetDestInfo (also for a destination that is no longer populated). @throws ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED */
  getDestInfo(options: { dest: DestHandle } & DestQueryOptions): DestInfo;
  /** RtmGetRouteInfo (any route; also deleted routes still referenced). @throws ERROR_INVALID_HANDLE */
  getRouteInfo(route: RouteHandle): RouteInfo;
  /** RtmGetNextHopInfo (any next hop). @throws ERROR_INVALID_HANDLE */
  getNextHopInfo(nextHop: NextHopHandle): NextHopInfo;
  /** RtmReleaseDestInfo. @throws ERROR_INVALID_HANDLE (after releasing the valid handles) */
  releaseDestInfo(info: DestInfo): void;
  /** RtmReleaseRouteInfo. @throws ERROR_INVALID_HANDLE (after releasing the valid handles) */
  releaseRouteInfo(info: RouteInfo): void;
  /** RtmReleaseNextHopInfo. @throws ERROR_INVALID_HANDLE (after releasing the valid handles) */
  releaseNextHopInfo(info: NextHopInfo): void;

  // Adding, updating, deleting routes (§8.5)
  /**
   * RtmAddRouteToDest: add, or update per §7.2 (by handle; NEW; FIRST; same neighbour).
   * @throws ERROR_INVALID_HANDLE (unresolvable route/next hop/list handle, dead route), ERROR_INVALID_PARAMETER
   *   (address, too many next hops, foreign or deleted next hop, prefix ≠ route's), ERROR_ACCESS_DENIED
   *   (route of another entity), ERROR_BUSY (destination locked by another entity)
   */
  addRouteToDest(options: AddRouteOptions): AddRouteResult;
  /**
   * RtmDeleteRouteToDest: consumes one of the caller's references on `route` (if it has any); returns
   * the change flags (RTM_ROUTE_CHANGE_BEST or 0).
   * @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_FOUND (already deleted or held), ERROR_BUSY
   */
  deleteRouteToDest(route: RouteHandle): number;
  /** RtmHoldDestination (§7.7). @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER (holdTime 0), ERROR_NOT_SUPPORTED, ERROR_BUSY */
  holdDestination(options: { dest: DestHandle; views?: number; holdTime: number }): void;
  /** RtmGetRoutePointer: the owner view. @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  getRoutePointer(route: RouteHandle): RouteOwnerView;
  /**
   * RtmLockRoute (locks the route's destination): returns the owner view when the owner locks, else
   * undefined. An exclusive unlock by the owner commits staged edits.
   * @throws ERROR_INVALID_HANDLE (also a deleted/held route), ERROR_ACCESS_DENIED (exclusive by a non-owner),
   *   ERROR_BUSY, ERROR_NOT_LOCKED, ERROR_INVALID_PARAMETER (unlock: invalid staged edits, reverted)
   */
  lockRoute(options: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined;
  /**
   * RtmUpdateAndUnlockRoute: commits the staged edits, restarts the TTL, optionally moves the route to a
   * list, releases the exclusive lock; returns the change flags. On error the route stays locked.
   * @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_NOT_LOCKED
   */
  updateAndUnlockRoute(options: { route: RouteHandle; timeToLive?: number; routeList?: Nullable<RouteListHandle> }): number;

  // Table queries (§8.6)
  /** RtmGetExactMatchDestination; undefined if not found. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  getExactMatchDestination(options: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined;
  /** RtmGetMostSpecificDestination (longest prefix covering `dest`); undefined if none. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  getMostSpecificDestination(options: { dest: PrefixInput } & DestQueryOptions): DestInfo | undefined;
  /** RtmGetLessSpecificDestination (next shorter covering prefix); undefined if none. @throws ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED */
  getLessSpecificDestination(options: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined;
  /** RtmGetExactMatchRoute; undefined if no route matches. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, ERROR_INVALID_HANDLE */
  getExactMatchRoute(options: ExactMatchRouteOptions): ExactMatchRouteResult | undefined;
  /** RtmIsBestRoute: the views in which the route is the best route (0 if none). @throws ERROR_INVALID_HANDLE */
  isBestRoute(route: RouteHandle): number;

  // Next hops (§8.7)
  /** RtmAddNextHop: create or update in the caller's list. @throws ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_BUSY */
  addNextHop(options: AddNextHopOptions): AddNextHopResult;
  /** RtmFindNextHop in the caller's list; undefined if not found. @throws ERROR_INVALID_PARAMETER */
  findNextHop(options: NextHopIdentity): FindNextHopResult | undefined;
  /**
   * RtmDeleteNextHop by handle (consumes one of the caller's references, if any) or by identity.
   * @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_NOT_FOUND, ERROR_BUSY
   */
  deleteNextHop(target: NextHopHandle | NextHopIdentity): void;
  /** RtmGetNextHopPointer: the owner view. @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  getNextHopPointer(nextHop: NextHopHandle): NextHopOwnerView;
  /**
   * RtmLockNextHop: returns the owner view when the owner locks, else undefined.
   * @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_FOUND (deleted), ERROR_BUSY, ERROR_NOT_LOCKED,
   *   ERROR_INVALID_PARAMETER (unlock with identity edits, reverted)
   */
  lockNextHop(options: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined;

  // Enumerations (§8.8)
  /** RtmCreateDestEnum. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createDestEnum(options?: DestEnumOptions): EnumHandle;
  /** RtmGetEnumDests: next batch; infos referenced (releaseDests). @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumDests(options: EnumGetOptions): EnumBatch<DestInfo>;
  /** RtmReleaseDests (not for changed-destination records). @throws ERROR_INVALID_HANDLE (after releasing the valid ones) */
  releaseDests(infos: readonly DestInfo[]): void;
  /** RtmCreateRouteEnum. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED */
  createRouteEnum(options?: RouteEnumOptions): EnumHandle;
  /** RtmGetEnumRoutes: next batch of referenced route handles. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumRoutes(options: EnumGetOptions): EnumBatch<RouteHandle>;
  /** RtmReleaseRoutes. @throws ERROR_INVALID_HANDLE (after releasing the valid ones) */
  releaseRoutes(routes: readonly RouteHandle[]): void;
  /** RtmCreateNextHopEnum over the caller's next hops. @throws ERROR_INVALID_PARAMETER */
  createNextHopEnum(options?: NextHopEnumOptions): EnumHandle;
  /** RtmGetEnumNextHops. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getEnumNextHops(options: EnumGetOptions): EnumBatch<NextHopHandle>;
  /** RtmReleaseNextHops. @throws ERROR_INVALID_HANDLE (after releasing the valid ones) */
  releaseNextHops(nextHops: readonly NextHopHandle[]): void;
  /** RtmDeleteEnumHandle (any kind of enumeration of the caller's). @throws ERROR_INVALID_HANDLE */
  deleteEnumHandle(enumHandle: EnumHandle): void;

  // Change notification (§8.9)
  /** RtmRegisterForChangeNotification. @throws ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY */
  registerForChangeNotification(options: NotifyOptions): NotifyHandle;
  /** RtmGetChangedDests: pulls up to `count` queued destinations (current state; records for releaseChangedDests). @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getChangedDests(options: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo>;
  /** RtmReleaseChangedDests. @throws ERROR_INVALID_HANDLE */
  releaseChangedDests(options: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void;
  /** RtmIgnoreChangedDests: drops pending changes of these destinations (no references involved). @throws ERROR_INVALID_HANDLE */
  ignoreChangedDests(options: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void;
  /** RtmGetChangeStatus: true while a change of `dest` is queued. @throws ERROR_INVALID_HANDLE */
  getChangeStatus(options: NotifyDestOptions): boolean;
  /** RtmMarkDestForChangeNotification (`mark` default true). @throws ERROR_INVALID_HANDLE */
  markDestForChangeNotification(options: NotifyDestOptions & { mark?: boolean }): void;
  /** RtmIsMarkedForChangeNotification. @throws ERROR_INVALID_HANDLE */
  isMarkedForChangeNotification(options: NotifyDestOptions): boolean;
  /** RtmDeregisterFromChangeNotification (releases unreleased change records). @throws ERROR_INVALID_HANDLE */
  deregisterFromChangeNotification(notifyHandle: NotifyHandle): void;

  // Route lists (§8.10)
  /** RtmCreateRouteList. */
  createRouteList(): RouteListHandle;
  /** RtmInsertInRouteList: moves the routes to the tail of the list (NULL: out of any list); all-or-nothing. @throws ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED */
  insertInRouteList(options: { routeList: Nullable<RouteListHandle>; routes: readonly RouteHandle[] }): void;
  /** RtmCreateRouteListEnum. @throws ERROR_INVALID_HANDLE */
  createRouteListEnum(routeList: RouteListHandle): EnumHandle;
  /** RtmGetListEnumRoutes: `done` when fewer than `count` came back. @throws ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER */
  getListEnumRoutes(options: EnumGetOptions): EnumBatch<RouteHandle>;
  /** RtmDeleteRouteList: empties and destroys the list (routes stay). @throws ERROR_INVALID_HANDLE */
  deleteRouteList(routeList: RouteListHandle): void;

  // Handles (§8.11)
  /** RtmReferenceHandles: +1 on each dest/route/next-hop/entity handle; all-or-nothing. @throws ERROR_INVALID_HANDLE */
  referenceHandles(handles: readonly ReferenceableHandle[]): void;

  // Iterators (not in RTMv2)
  /**
   * Iterates destinations through a destination enumeration (created, drained, deleted when the loop
   * ends or breaks). Each batch's references are held while its items are being visited and released
   * when the iterator moves on; call referenceHandles() to keep a handle.
   */
  dests(options?: DestEnumOptions & IterateOptions): IterableIterator<DestInfo>;
  /** Iterates route handles through a route enumeration, with the same reference rule as dests(). */
  routes(options?: RouteEnumOptions & IterateOptions): IterableIterator<RouteHandle>;
}
