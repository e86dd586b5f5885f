// The spec's function coverage index (RTMv2-SPEC §14) as data, one name per entry (grouped rows
// expanded), for the test that checks `rtm-wasm/win32` exports each. Also the macro, struct and
// helper names the layer promises (spec §3.13, §6, §9.2, §9.3; API.md §4). Plain string arrays; no
// imports, so a test can compare them with the module's exports without either side defining the other.

/** Every RTMv2 function of rtmv2.h (§14 rows; the two IPv6 helpers are functions of rtmv2.h too). */
export const RTMV2_FUNCTIONS = [
  // 8.1 Registration and entity information
  'RtmRegisterEntity', 'RtmDeregisterEntity', 'RtmGetRegisteredEntities', 'RtmReleaseEntities',
  'RtmGetEntityInfo', 'RtmReleaseEntityInfo',
  // 8.2 Destination locking and opaque pointers
  'RtmLockDestination', 'RtmGetOpaqueInformationPointer',
  // 8.3 Entity methods
  'RtmGetEntityMethods', 'RtmInvokeMethod', 'RtmBlockMethods',
  // 8.4 Information retrieval and release
  'RtmGetDestInfo', 'RtmGetRouteInfo', 'RtmGetNextHopInfo',
  'RtmReleaseDestInfo', 'RtmReleaseRouteInfo', 'RtmReleaseNextHopInfo',
  // 8.5 Adding, updating and deleting routes
  'RtmAddRouteToDest', 'RtmDeleteRouteToDest', 'RtmHoldDestination', 'RtmGetRoutePointer',
  'RtmLockRoute', 'RtmUpdateAndUnlockRoute',
  // 8.6 Table queries
  'RtmGetExactMatchDestination', 'RtmGetMostSpecificDestination', 'RtmGetLessSpecificDestination',
  'RtmGetExactMatchRoute', 'RtmIsBestRoute',
  // 8.7 Next hops
  'RtmAddNextHop', 'RtmFindNextHop', 'RtmDeleteNextHop', 'RtmGetNextHopPointer', 'RtmLockNextHop',
  // 8.8 Enumerations
  'RtmCreateDestEnum', 'RtmGetEnumDests', 'RtmReleaseDests',
  'RtmCreateRouteEnum', 'RtmGetEnumRoutes', 'RtmReleaseRoutes',
  'RtmCreateNextHopEnum', 'RtmGetEnumNextHops', 'RtmReleaseNextHops',
  'RtmDeleteEnumHandle',
  // 8.9 Change notification
  'RtmRegisterForChangeNotification', 'RtmGetChangedDests', 'RtmReleaseChangedDests',
  'RtmIgnoreChangedDests', 'RtmGetChangeStatus',
  'RtmMarkDestForChangeNotification', 'RtmIsMarkedForChangeNotification',
  'RtmDeregisterFromChangeNotification',
  // 8.10 Route lists
  'RtmCreateRouteList', 'RtmInsertInRouteList', 'RtmCreateRouteListEnum', 'RtmGetListEnumRoutes',
  'RtmDeleteRouteList',
  // 8.11 Handle management
  'RtmReferenceHandles',
  // 8.12 IPv6 address helpers (undocumented; D-13)
  'RtmConvertNetAddressToIpv6AddressAndLength', 'RtmConvertIpv6AddressAndLengthToNetAddress',
] as const;

/** Every RTMv1 function of rtm.h (§9.4, §14). */
export const RTMV1_FUNCTIONS = [
  'RtmRegisterClient', 'RtmDeregisterClient', 'RtmDequeueRouteChangeMessage',
  'RtmAddRoute', 'RtmDeleteRoute', 'RtmBlockDeleteRoutes',
  'RtmIsRoute', 'RtmGetNetworkCount', 'RtmGetRouteAge',
  'RtmCreateEnumerationHandle', 'RtmEnumerateGetNextRoute', 'RtmCloseEnumerationHandle',
  'RtmGetFirstRoute', 'RtmGetNextRoute',
  'RtmLookupIPDestination',
] as const;

/** Function-like macros of rtmv2.h (§6.3, §6.4, §10), exported as functions. */
export const RTMV2_MACROS = [
  'RTM_IPV4_MAKE_NET_ADDRESS', 'RTM_IPV4_SET_ADDR_AND_LEN', 'RTM_IPV4_GET_ADDR_AND_LEN',
  'RTM_IPV4_SET_ADDR_AND_MASK', 'RTM_IPV4_GET_ADDR_AND_MASK',
  'RTM_IPV4_MASK_FROM_LEN', 'RTM_IPV4_LEN_FROM_MASK', 'RTM_CHECK_NTH_BIT',
  'RTM_IPV6_MAKE_NET_ADDRESS', 'RTM_IPV6_SET_ADDR_AND_LEN', 'RTM_IPV6_GET_ADDR_AND_LEN',
  'RTM_SIZE_OF_DEST_INFO', 'RTM_SIZE_OF_ROUTE_INFO',
] as const;

/** Object-like size macros of rtmv2.h (§10), exported as numbers (x64 values). */
export const RTMV2_SIZE_CONSTANTS = [
  'RTM_BASIC_DEST_INFO_SIZE', 'RTM_DEST_VIEW_INFO_SIZE', 'RTM_BASIC_ROUTE_INFO_SIZE',
] as const;

/** Protocol-id macros of routprot.h (§3.13), exported as functions. */
export const ROUTPROT_MACROS = [
  'PROTOCOL_ID', 'TYPE_FROM_PROTO_ID', 'VENDOR_FROM_PROTO_ID', 'PROTO_FROM_PROTO_ID',
] as const;

/** Route macros of rtm.h that touch only the route structure (§9.2). */
export const RTMV1_MACROS = [
  'ClearRouteFlags', 'IsRouteValid', 'SetRouteValid', 'ClearRouteValid', 'IsRouteNonUnicast', 'IsRouteLoopback',
] as const;

/** rtm.h macros that call RTMv1 functions; they arrive with those functions (issue 5). */
export const RTMV1_FUNCTION_MACROS = ['RtmGetSpecificRoute'] as const;

/** Host-order IPv4 helpers of the port (§6.3). */
export const PORT_HELPERS = ['ipv4NetAddress', 'ipv4FromNetAddress', 'ipv4MaskFromLen', 'ipv4LenFromMask'] as const;

/** RTMv2 structures (§5), exported as classes. RTM_DEST_VIEW_INFO is the unnamed ViewInfo[] entry. */
export const RTMV2_STRUCTS = [
  'RTM_NET_ADDRESS', 'RTM_PREF_INFO', 'RTM_NEXTHOP_LIST', 'RTM_DEST_INFO', 'RTM_DEST_VIEW_INFO',
  'RTM_ROUTE_INFO', 'RTM_NEXTHOP_INFO', 'RTM_ENTITY_ID', 'RTM_ENTITY_INFO', 'RTM_REGN_PROFILE',
  'RTM_ENTITY_METHOD_INPUT', 'RTM_ENTITY_METHOD_OUTPUT', 'RTM_ENTITY_EXPORT_METHODS',
] as const;

/** RTMv1 structures (§9.3), exported as classes. */
export const RTMV1_STRUCTS = [
  'IP_NETWORK', 'IP_NEXT_HOP_ADDRESS', 'IPX_NETWORK', 'IPX_NEXT_HOP_ADDRESS',
  'IP_SPECIFIC_DATA', 'IPX_SPECIFIC_DATA', 'PROTOCOL_SPECIFIC_DATA', 'RTM_IP_ROUTE', 'RTM_IPX_ROUTE',
] as const;

/** Run-time names API.md §4 adds to the Win32 layer. */
export const API_EXTRAS = [
  'ref', 'initialize', 'initializeSync', 'rtmInstance', 'configureInstance', 'ChangeEvent',
] as const;
