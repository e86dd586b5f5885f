// The C structures of rtmv2.h and rtm.h as classes with the C field names; `new` gives the zeroed value
// that ZeroMemory gives in C (numbers 0, handles 0 = NULL, PVOID null, FILETIME 0n, byte arrays of the
// C size filled with 0, variable-length arrays empty). Also the handle and scalar type aliases, the
// callback types, and Ref<T>, the stand-in for a C out-parameter. Handles are numbers; 0 and null both
// mean NULL (API.md §4). Constructing a struct allocates it and its nested structs; nothing else allocates.

// ── Handles and scalar typedefs (spec §2.1, §2.3) ────────────────────────────────────────────────
/** A Win32 HANDLE: a non-zero number; 0 (or null where a parameter allows it) is NULL. */
export type HANDLE = number;
export type RTM_ENTITY_HANDLE = number;
export type RTM_DEST_HANDLE = number;
export type RTM_ROUTE_HANDLE = number;
export type RTM_NEXTHOP_HANDLE = number;
export type RTM_ENUM_HANDLE = number;
export type RTM_ROUTE_LIST_HANDLE = number;
export type RTM_NOTIFY_HANDLE = number;
/** A C `PVOID` the RTM stores and returns untouched: any JS value; null is NULL. */
export type PVOID = unknown;
/** 100-ns intervals since 1601-01-01 UTC. */
export type FILETIME = bigint;
/** View id (`INT`): RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST, … */
export type RTM_VIEW_ID = number;
/** Set of views as a mask (`DWORD`): bit v is view id v. */
export type RTM_VIEW_SET = number;
export type RTM_ENTITY_METHOD_TYPE = number;
export type RTM_ROUTE_CHANGE_FLAGS = number;
export type RTM_NEXTHOP_CHANGE_FLAGS = number;
export type RTM_MATCH_FLAGS = number;
export type RTM_ENUM_FLAGS = number;
export type RTM_NOTIFY_FLAGS = number;
/** RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED, RTM_ROUTE_EXPIRED, RTM_CHANGE_NOTIFICATION. */
export type RTM_EVENT_TYPE = number;

// ── Out-parameters ───────────────────────────────────────────────────────────────────────────────
/** A C out- or in/out-parameter: the function reads and writes `value`. */
export type Ref<T> = { value: T };

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
  AddressFamily = 0;
  NumBits = 0;
  AddrBits = new Uint8Array(16);
}

/** Route comparison data: lower Preference wins; Metric breaks ties. (C order: Metric first.) */
export class RTM_PREF_INFO {
  Metric = 0;
  Preference = 0;
}

/** Equal-cost next hops of a route: the first NumNextHops entries of NextHops count. */
export class RTM_NEXTHOP_LIST {
  NumNextHops = 0;
  NextHops: RTM_NEXTHOP_HANDLE[] = [];
}

/** One `RTM_DEST_INFO.ViewInfo[]` entry (an unnamed struct in C). */
export class RTM_DEST_VIEW_INFO {
  ViewId: RTM_VIEW_ID = 0;
  NumRoutes = 0;
  Route: RTM_ROUTE_HANDLE = 0;
  Owner: RTM_ENTITY_HANDLE = 0;
  DestFlags = 0;
  HoldRoute: RTM_ROUTE_HANDLE = 0;
}

/** A destination as the RTM reports it, with one ViewInfo entry per requested view. */
export class RTM_DEST_INFO {
  DestHandle: RTM_DEST_HANDLE = 0;
  DestAddress = new RTM_NET_ADDRESS();
  LastChanged: FILETIME = 0n;
  BelongsToViews: RTM_VIEW_SET = 0;
  NumberOfViews = 0;
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
  DestHandle: RTM_DEST_HANDLE = 0;
  RouteOwner: RTM_ENTITY_HANDLE = 0;
  Neighbour: RTM_NEXTHOP_HANDLE = 0;
  State = 0;
  Flags1 = 0;
  Flags = 0;
  PrefInfo = new RTM_PREF_INFO();
  BelongsToViews: RTM_VIEW_SET = 0;
  EntitySpecificInfo: PVOID = null;
  NextHopsList = new RTM_NEXTHOP_LIST();
}

/** A next hop; (NextHopAddress, InterfaceIndex) identify it within its owner's next hops. */
export class RTM_NEXTHOP_INFO {
  NextHopAddress = new RTM_NET_ADDRESS();
  NextHopOwner: RTM_ENTITY_HANDLE = 0;
  InterfaceIndex = 0;
  State = 0;
  Flags = 0;
  EntitySpecificInfo: PVOID = null;
  RemoteNextHop: RTM_DEST_HANDLE = 0;
}

/**
 * Entity identity. In C a union of the two ULONGs with a ULONGLONG `EntityId`; here `EntityId` is a
 * bigint view of the pair: EntityProtocolId | EntityInstanceId << 32 (little-endian layout).
 */
export class RTM_ENTITY_ID {
  EntityProtocolId = 0;
  EntityInstanceId = 0;
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
  RtmInstanceId = 0;
  AddressFamily = 0;
  EntityId = new RTM_ENTITY_ID();
}

/** Limits of a registration, filled by RtmRegisterEntity. */
export class RTM_REGN_PROFILE {
  MaxNextHopsInRoute = 0;
  MaxHandlesInEnum = 0;
  ViewsSupported: RTM_VIEW_SET = 0;
  NumberOfViews = 0;
}

/** Input of RtmInvokeMethod: the method bits to call and the bytes they all receive. */
export class RTM_ENTITY_METHOD_INPUT {
  MethodType: RTM_ENTITY_METHOD_TYPE = 0;
  InputSize = 0;
  InputData: Uint8Array;
  /** Zeroed, with an InputData buffer of `dataBytes` bytes; InputSize stays 0 for the caller to set. */
  constructor(dataBytes = 0) {
    this.InputData = new Uint8Array(dataBytes);
  }
}

/** One method's output record from RtmInvokeMethod. */
export class RTM_ENTITY_METHOD_OUTPUT {
  MethodType: RTM_ENTITY_METHOD_TYPE = 0;
  MethodStatus = 0;
  OutputSize = 0;
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
  NumMethods = 0;
  Methods: RTM_ENTITY_EXPORT_METHOD[] = [];
}

// ── RTMv1 structures (rtm.h, spec §9.3) ──────────────────────────────────────────────────────────
// IPv4 numbers in these structures are host order, as everywhere in this port: 10.1.0.0 is 0x0a010000
// (C keeps network order; see the RTMv1 macros in macros.ts).

/** An IP network: number and mask. */
export class IP_NETWORK {
  N_NetNumber = 0;
  N_NetMask = 0;
}
/** An IP next hop: the same type as IP_NETWORK in rtm.h. */
export const IP_NEXT_HOP_ADDRESS = IP_NETWORK;
export type IP_NEXT_HOP_ADDRESS = IP_NETWORK;

export class IPX_NETWORK {
  N_NetNumber = 0;
}

export class IPX_NEXT_HOP_ADDRESS {
  NHA_Mac = new Uint8Array(6);
}

/** Family-specific data of an IP route; the RTM compares FSD_Priority, then FSD_Metric. */
export class IP_SPECIFIC_DATA {
  FSD_Type = 0;
  FSD_Policy = 0;
  FSD_NextHopAS = 0;
  FSD_Priority = 0;
  FSD_Metric = 0;
  FSD_Metric1 = 0;
  FSD_Metric2 = 0;
  FSD_Metric3 = 0;
  FSD_Metric4 = 0;
  FSD_Metric5 = 0;
  FSD_Flags = 0;
}

export class IPX_SPECIFIC_DATA {
  FSD_Flags = 0;
  FSD_TickCount = 0;
  FSD_HopCount = 0;
}

/** Data private to the routing protocol; never triggers a notification. */
export class PROTOCOL_SPECIFIC_DATA {
  PSD_Data = new Uint32Array(4);
}

/** An RTMv1 IP route. RR_TimeStamp is set by the RTM on add and update. */
export class RTM_IP_ROUTE {
  RR_TimeStamp: FILETIME = 0n;
  RR_RoutingProtocol = 0;
  RR_InterfaceID = 0;
  RR_ProtocolSpecificData = new PROTOCOL_SPECIFIC_DATA();
  RR_Network = new IP_NETWORK();
  RR_NextHopAddress = new IP_NETWORK();
  RR_FamilySpecificData = new IP_SPECIFIC_DATA();
}

/** An RTMv1 IPX route: the same header as RTM_IP_ROUTE with the IPX network, next hop and data. */
export class RTM_IPX_ROUTE {
  RR_TimeStamp: FILETIME = 0n;
  RR_RoutingProtocol = 0;
  RR_InterfaceID = 0;
  RR_ProtocolSpecificData = new PROTOCOL_SPECIFIC_DATA();
  RR_Network = new IPX_NETWORK();
  RR_NextHopAddress = new IPX_NEXT_HOP_ADDRESS();
  RR_FamilySpecificData = new IPX_SPECIFIC_DATA();
}
