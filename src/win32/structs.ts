// The C structures of rtmv2.h and rtm.h as classes with the C field names; `new` gives the zeroed value
// that ZeroMemory gives in C (numbers 0, handles 0 = NULL, PVOID null, FILETIME 0n, byte arrays of the
// C size filled with 0, variable-length arrays empty). Also the handle and scalar type aliases, the
// callback types, and Ref<T>, the stand-in for a C out-parameter. Handles are numbers; 0 and null both
// mean NULL (API.md §4). Constructing a struct allocates it and its nested structs; nothing else allocates.

// ── Handles and scalar typedefs (spec §2.1, §2.3) ────────────────────────────────────────────────
/** A Win32 HANDLE: a non-zero number; 0 (or null where a parameter allows it) is NULL. */
export type HANDLE = number;
/** RTM_ENTITY_HANDLE: an entity (a registration handle is its entity handle). */
export type RTM_ENTITY_HANDLE = number;
/** RTM_DEST_HANDLE: a destination. */
export type RTM_DEST_HANDLE = number;
/** RTM_ROUTE_HANDLE: a route. */
export type RTM_ROUTE_HANDLE = number;
/** RTM_NEXTHOP_HANDLE: a next hop. */
export type RTM_NEXTHOP_HANDLE = number;
/** RTM_ENUM_HANDLE: an enumeration. */
export type RTM_ENUM_HANDLE = number;
/** RTM_ROUTE_LIST_HANDLE: a route list. */
export type RTM_ROUTE_LIST_HANDLE = number;
/** RTM_NOTIFY_HANDLE: a change-notification registration. */
export type RTM_NOTIFY_HANDLE = number;
/** A C `PVOID` the RTM stores and returns untouched: any JS value; null is NULL. */
export type PVOID = unknown;
/** 100-ns intervals since 1601-01-01 UTC. */
export type FILETIME = bigint;
/** View id (`INT`): RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST, … */
export type RTM_VIEW_ID = number;
/** Set of views as a mask (`DWORD`): bit v is view id v. */
export type RTM_VIEW_SET = number;
/** Method bits (`DWORD`): bit i is exported method i. */
export type RTM_ENTITY_METHOD_TYPE = number;
/** RTM_ROUTE_CHANGE_* bits (`DWORD`). */
export type RTM_ROUTE_CHANGE_FLAGS = number;
/** RTM_NEXTHOP_CHANGE_* bits (`DWORD`). */
export type RTM_NEXTHOP_CHANGE_FLAGS = number;
/** RTM_MATCH_* bits (`DWORD`). */
export type RTM_MATCH_FLAGS = number;
/** RTM_ENUM_* bits (`DWORD`). */
export type RTM_ENUM_FLAGS = number;
/** RTM_CHANGE_TYPE_* and RTM_NOTIFY_ONLY_MARKED_DESTS bits (`DWORD`). */
export type RTM_NOTIFY_FLAGS = number;
/** RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED, RTM_ROUTE_EXPIRED, RTM_CHANGE_NOTIFICATION. */
export type RTM_EVENT_TYPE = number;

// ── Out-parameters ───────────────────────────────────────────────────────────────────────────────
/** A C out- or in/out-parameter: the function reads and writes `value`. */
export type Ref<T> = {
  /** What the function reads and writes. */
  value: T;
};

/**
 * Makes a Ref holding `initial`. `ref<RTM_ROUTE_HANDLE>(null)` gives a `Ref<number | null>`: a handle
 * ref holding NULL, which means "give me a handle" (API.md §4).
 */
export function ref<T>(initial: T): Ref<T>;
export function ref<T>(initial: null): Ref<T | null>;
export function ref<T>(initial: T): Ref<T> {
  return { value: initial };
}

// ── RTMv2 structures (spec §5) ───────────────────────────────────────────────────────────────────
/** A prefix: family, length in bits, address bytes in network order (IPv4 in bytes 0..3). */
export class RTM_NET_ADDRESS {
  /** AF_INET (2) or AF_INET6 (23). */
  AddressFamily = 0;
  /** The prefix length in bits. */
  NumBits = 0;
  /** The address bytes, network order (RTM_MAX_ADDRESS_SIZE = 16). */
  AddrBits = new Uint8Array(16);
}

/** Route comparison data: lower Preference wins; Metric breaks ties. (C order: Metric first.) */
export class RTM_PREF_INFO {
  /** Breaks ties between routes of equal Preference (lower wins). */
  Metric = 0;
  /** Lower wins. */
  Preference = 0;
}

/** Equal-cost next hops of a route: the first NumNextHops entries of NextHops count. */
export class RTM_NEXTHOP_LIST {
  /** How many entries of NextHops count. */
  NumNextHops = 0;
  /** The next-hop handles. */
  NextHops: RTM_NEXTHOP_HANDLE[] = [];
}

/** One `RTM_DEST_INFO.ViewInfo[]` entry (an unnamed struct in C). */
export class RTM_DEST_VIEW_INFO {
  /** The view. */
  ViewId: RTM_VIEW_ID = 0;
  /** Live routes of the destination in the view. */
  NumRoutes = 0;
  /** The best route in the view (0 = none). */
  Route: RTM_ROUTE_HANDLE = 0;
  /** The owner of Route. */
  Owner: RTM_ENTITY_HANDLE = 0;
  /** The Flags of Route. */
  DestFlags = 0;
  /** The route held down in the view (0 = none). */
  HoldRoute: RTM_ROUTE_HANDLE = 0;
}

/** A destination as the RTM reports it, with one ViewInfo entry per requested view. */
export class RTM_DEST_INFO {
  /** The destination. */
  DestHandle: RTM_DEST_HANDLE = 0;
  /** Its prefix. */
  DestAddress = new RTM_NET_ADDRESS();
  /** LastChanged: when a route of the destination last changed (the instance's clock; spec §7.4). */
  LastChanged: FILETIME = 0n;
  /** Views with at least one live route. */
  BelongsToViews: RTM_VIEW_SET = 0;
  /** Entries of ViewInfo the RTM filled. */
  NumberOfViews = 0;
  /** One entry per requested view. */
  ViewInfo: RTM_DEST_VIEW_INFO[];
  /**
   * Zeroed, with `numViews` zeroed ViewInfo entries pre-allocated, like a buffer of
   * RTM_SIZE_OF_DEST_INFO(numViews) bytes; NumberOfViews stays 0 until the RTM fills it.
   */
  constructor(numViews = 0) {
    this.ViewInfo = [];
    for (let i = 0; i < numViews; i++) this.ViewInfo.push(new RTM_DEST_VIEW_INFO());
  }
}

/** A route. DestHandle, RouteOwner and State are the RTM's; the owner writes the rest. */
export class RTM_ROUTE_INFO {
  /** The destination of the route (set by the RTM). */
  DestHandle: RTM_DEST_HANDLE = 0;
  /** The owner (set by the RTM). */
  RouteOwner: RTM_ENTITY_HANDLE = 0;
  /** The next hop the route was learnt from (0 = none). */
  Neighbour: RTM_NEXTHOP_HANDLE = 0;
  /** RTM_ROUTE_STATE_* (set by the RTM). */
  State = 0;
  /** RTM_ROUTE_FLAGS1_* (8 bits). */
  Flags1 = 0;
  /** RTM_ROUTE_FLAGS_* (16 bits). */
  Flags = 0;
  /** Preference and metric. */
  PrefInfo = new RTM_PREF_INFO();
  /** The views the route is in. */
  BelongsToViews: RTM_VIEW_SET = 0;
  /** The owner's value (null = NULL). */
  EntitySpecificInfo: PVOID = null;
  /** The next hops of the route. */
  NextHopsList = new RTM_NEXTHOP_LIST();
}

/** A next hop; (NextHopAddress, InterfaceIndex) identify it within its owner's next hops. */
export class RTM_NEXTHOP_INFO {
  /** Its address (a full-length prefix, or a prefix for a remote next hop). */
  NextHopAddress = new RTM_NET_ADDRESS();
  /** The owner (set by the RTM). */
  NextHopOwner: RTM_ENTITY_HANDLE = 0;
  /** The interface (0 for a remote next hop). */
  InterfaceIndex = 0;
  /** RTM_NEXTHOP_STATE_* (set by the RTM). */
  State = 0;
  /** RTM_NEXTHOP_FLAGS_* (16 bits). */
  Flags = 0;
  /** The owner's value (null = NULL). */
  EntitySpecificInfo: PVOID = null;
  /** The destination cached for a remote next hop (0 = none). */
  RemoteNextHop: RTM_DEST_HANDLE = 0;
}

/**
 * Entity identity. In C a union of the two ULONGs with a ULONGLONG `EntityId`; here `EntityId` is a
 * bigint view of the pair: EntityProtocolId | EntityInstanceId << 32 (little-endian layout).
 */
export class RTM_ENTITY_ID {
  /** The protocol (PROTO_IP_*). */
  EntityProtocolId = 0;
  /** The instance of the protocol. */
  EntityInstanceId = 0;
  /** EntityProtocolId | EntityInstanceId << 32, as the C union's ULONGLONG. */
  get EntityId(): bigint {
    return BigInt(this.EntityProtocolId >>> 0) | (BigInt(this.EntityInstanceId >>> 0) << 32n);
  }
  /** Sets both halves from the low 64 bits of `value`. */
  set EntityId(value: bigint) {
    const v = BigInt.asUintN(64, value);
    this.EntityProtocolId = Number(v & 0xffffffffn);
    this.EntityInstanceId = Number(v >> 32n);
  }
}

/** What identifies a registration: RTM instance, address family, entity id. */
export class RTM_ENTITY_INFO {
  /** The RTM instance. */
  RtmInstanceId = 0;
  /** AF_INET or AF_INET6. */
  AddressFamily = 0;
  /** Protocol and instance. */
  EntityId = new RTM_ENTITY_ID();
}

/** Limits of a registration, filled by RtmRegisterEntity. */
export class RTM_REGN_PROFILE {
  /** Most next hops one route may have. */
  MaxNextHopsInRoute = 0;
  /** Most handles one enumeration call returns. */
  MaxHandlesInEnum = 0;
  /** The views the instance supports. */
  ViewsSupported: RTM_VIEW_SET = 0;
  /** How many views that is. */
  NumberOfViews = 0;
}

/** Input of RtmInvokeMethod: the method bits to call and the bytes they all receive. */
export class RTM_ENTITY_METHOD_INPUT {
  /** The method bits to invoke. */
  MethodType: RTM_ENTITY_METHOD_TYPE = 0;
  /** Bytes of InputData that count. */
  InputSize = 0;
  /** The input bytes. */
  InputData: Uint8Array;
  /** Zeroed, with an InputData buffer of `dataBytes` bytes; InputSize stays 0 for the caller to set. */
  constructor(dataBytes = 0) {
    this.InputData = new Uint8Array(dataBytes);
  }
}

/** One method's output record from RtmInvokeMethod. */
export class RTM_ENTITY_METHOD_OUTPUT {
  /** The single bit of the method. */
  MethodType: RTM_ENTITY_METHOD_TYPE = 0;
  /** The status the method reported. */
  MethodStatus = 0;
  /** In: capacity of OutputData; out: bytes used. */
  OutputSize = 0;
  /** The output bytes. */
  OutputData: Uint8Array;
  /** Zeroed, with an OutputData buffer of `dataBytes` bytes; OutputSize stays 0 for the caller to set. */
  constructor(dataBytes = 0) {
    this.OutputData = new Uint8Array(dataBytes);
  }
}

// ── Callback types (spec §5.13, §8.13) ───────────────────────────────────────────────────────────
/** The entity's event callback; the answer matters only for RTM_ROUTE_EXPIRED. */
export type RTM_EVENT_CALLBACK = (
  RtmRegHandle: RTM_ENTITY_HANDLE,
  EventType: RTM_EVENT_TYPE,
  Context1: PVOID,
  Context2: PVOID,
) => number;

/** An exported method; it reports its status in Output.MethodStatus. */
export type RTM_ENTITY_EXPORT_METHOD = (
  CallerHandle: RTM_ENTITY_HANDLE,
  CalleeHandle: RTM_ENTITY_HANDLE,
  Input: RTM_ENTITY_METHOD_INPUT,
  Output: RTM_ENTITY_METHOD_OUTPUT,
) => void;

/** The methods an entity exports at registration; Methods[i] answers method bit 1 << i. */
export class RTM_ENTITY_EXPORT_METHODS {
  /** How many entries of Methods count (at most 32). */
  NumMethods = 0;
  /** The methods; Methods[i] answers bit 1 << i. */
  Methods: RTM_ENTITY_EXPORT_METHOD[] = [];
}

// ── RTMv1 structures (rtm.h, spec §9.3) ──────────────────────────────────────────────────────────
// IPv4 numbers in these structures are host order, as everywhere in this port: 10.1.0.0 is 0x0a010000
// (C keeps network order; see the RTMv1 macros in macros.ts).

/** An IP network: number and mask. */
export class IP_NETWORK {
  /** The network number, host order. */
  N_NetNumber = 0;
  /** The mask, host order (0xffffff00 for /24). */
  N_NetMask = 0;
}
/** An IP next hop: the same type as IP_NETWORK in rtm.h. */
export const IP_NEXT_HOP_ADDRESS = IP_NETWORK;
export type IP_NEXT_HOP_ADDRESS = IP_NETWORK;

/** An IPX network (RTMv1; IPX routes are refused with ERROR_INVALID_PARAMETER). */
export class IPX_NETWORK {
  /** The IPX network number. */
  N_NetNumber = 0;
}

/** An IPX next hop: a MAC address (RTMv1). */
export class IPX_NEXT_HOP_ADDRESS {
  /** The 6-byte MAC address. */
  NHA_Mac = new Uint8Array(6);
}

/** Family-specific data of an IP route; the RTM compares FSD_Priority, then FSD_Metric. */
export class IP_SPECIFIC_DATA {
  /** Route type. */
  FSD_Type = 0;
  /** Policy. */
  FSD_Policy = 0;
  /** AS of the next hop. */
  FSD_NextHopAS = 0;
  /** Priority: compared first (lower wins). */
  FSD_Priority = 0;
  /** Metric: compared after FSD_Priority (lower wins). */
  FSD_Metric = 0;
  /** Protocol metric 1 (stored, not compared). */
  FSD_Metric1 = 0;
  /** Protocol metric 2 (stored, not compared). */
  FSD_Metric2 = 0;
  /** Protocol metric 3 (stored, not compared). */
  FSD_Metric3 = 0;
  /** Protocol metric 4 (stored, not compared). */
  FSD_Metric4 = 0;
  /** Protocol metric 5 (stored, not compared). */
  FSD_Metric5 = 0;
  /** Flags. */
  FSD_Flags = 0;
}

/** Family-specific data of an IPX route (RTMv1). */
export class IPX_SPECIFIC_DATA {
  /** Flags. */
  FSD_Flags = 0;
  /** Ticks to the network. */
  FSD_TickCount = 0;
  /** Hops to the network. */
  FSD_HopCount = 0;
}

/** Data private to the routing protocol; never triggers a notification. */
export class PROTOCOL_SPECIFIC_DATA {
  /** Four DWORDs of the protocol. */
  PSD_Data = new Uint32Array(4);
}

/** An RTMv1 IP route. RR_TimeStamp is set by the RTM on add and update. */
export class RTM_IP_ROUTE {
  /** Set by the RTM on add and update. */
  RR_TimeStamp: FILETIME = 0n;
  /** The protocol of the client (PROTO_IP_*). */
  RR_RoutingProtocol = 0;
  /** The interface. */
  RR_InterfaceID = 0;
  /** Data private to the protocol. */
  RR_ProtocolSpecificData = new PROTOCOL_SPECIFIC_DATA();
  /** The destination network. */
  RR_Network = new IP_NETWORK();
  /** The next hop. */
  RR_NextHopAddress = new IP_NETWORK();
  /** Priority, metrics and flags. */
  RR_FamilySpecificData = new IP_SPECIFIC_DATA();
}

/** An RTMv1 IPX route: the same header as RTM_IP_ROUTE with the IPX network, next hop and data. */
export class RTM_IPX_ROUTE {
  /** Set by the RTM on add and update. */
  RR_TimeStamp: FILETIME = 0n;
  /** The protocol of the client. */
  RR_RoutingProtocol = 0;
  /** The interface. */
  RR_InterfaceID = 0;
  /** Data private to the protocol. */
  RR_ProtocolSpecificData = new PROTOCOL_SPECIFIC_DATA();
  /** The destination network. */
  RR_Network = new IPX_NETWORK();
  /** The next hop. */
  RR_NextHopAddress = new IPX_NEXT_HOP_ADDRESS();
  /** Ticks, hops and flags. */
  RR_FamilySpecificData = new IPX_SPECIFIC_DATA();
}
