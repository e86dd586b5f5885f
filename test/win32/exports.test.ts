// The exports of rtm-wasm/win32 (src/win32/index.ts): every name of the coverage index
// (test/win32/coverage.ts) with the right kind, every RTMv2/RTMv1 function with its C parameter count,
// the constants of spec §3 with their values (written here by hand from the spec), and the extras
// API.md §4 adds.
import { describe, expect, it } from 'vitest';
import * as W from '../../src/win32/index.js';
import {
  API_EXTRAS, PORT_HELPERS, ROUTPROT_MACROS, RTMV1_FUNCTIONS, RTMV1_FUNCTION_MACROS, RTMV1_MACROS, RTMV1_STRUCTS, RTMV2_FUNCTIONS,
  RTMV2_MACROS, RTMV2_SIZE_CONSTANTS, RTMV2_STRUCTS,
} from './coverage.js';

const exported = W as unknown as Record<string, unknown>;

/** C parameter counts (spec §6.4, §8, §9.4). */
const ARITY: Record<string, number> = {
  RtmRegisterEntity: 6, RtmDeregisterEntity: 1, RtmGetRegisteredEntities: 4, RtmReleaseEntities: 3, RtmGetEntityInfo: 3,
  RtmReleaseEntityInfo: 2, RtmLockDestination: 4, RtmGetOpaqueInformationPointer: 3, RtmGetEntityMethods: 4, RtmInvokeMethod: 5,
  RtmBlockMethods: 4, RtmGetDestInfo: 5, RtmGetRouteInfo: 4, RtmGetNextHopInfo: 3, RtmReleaseDestInfo: 2, RtmReleaseRouteInfo: 2,
  RtmReleaseNextHopInfo: 2, RtmAddRouteToDest: 9, RtmDeleteRouteToDest: 3, RtmHoldDestination: 4, RtmGetRoutePointer: 3,
  RtmLockRoute: 5, RtmUpdateAndUnlockRoute: 7, RtmGetExactMatchDestination: 5, RtmGetMostSpecificDestination: 5,
  RtmGetLessSpecificDestination: 5, RtmGetExactMatchRoute: 7, RtmIsBestRoute: 3, RtmAddNextHop: 4, RtmFindNextHop: 4,
  RtmDeleteNextHop: 3, RtmGetNextHopPointer: 3, RtmLockNextHop: 5, RtmCreateDestEnum: 6, RtmGetEnumDests: 4, RtmReleaseDests: 3,
  RtmCreateRouteEnum: 9, RtmGetEnumRoutes: 4, RtmReleaseRoutes: 3, RtmCreateNextHopEnum: 4, RtmGetEnumNextHops: 4,
  RtmReleaseNextHops: 3, RtmDeleteEnumHandle: 2, RtmRegisterForChangeNotification: 5, RtmGetChangedDests: 4,
  RtmReleaseChangedDests: 4, RtmIgnoreChangedDests: 4, RtmGetChangeStatus: 4, RtmMarkDestForChangeNotification: 4,
  RtmIsMarkedForChangeNotification: 4, RtmDeregisterFromChangeNotification: 2, RtmCreateRouteList: 2, RtmInsertInRouteList: 4,
  RtmCreateRouteListEnum: 3, RtmGetListEnumRoutes: 4, RtmDeleteRouteList: 2, RtmReferenceHandles: 3,
  RtmConvertNetAddressToIpv6AddressAndLength: 4, RtmConvertIpv6AddressAndLengthToNetAddress: 4,
  RtmRegisterClient: 4, RtmDeregisterClient: 1, RtmDequeueRouteChangeMessage: 4, RtmAddRoute: 6, RtmDeleteRoute: 4,
  RtmBlockDeleteRoutes: 3, RtmIsRoute: 3, RtmGetNetworkCount: 1, RtmGetRouteAge: 1, RtmCreateEnumerationHandle: 3,
  RtmEnumerateGetNextRoute: 2, RtmCloseEnumerationHandle: 1, RtmGetFirstRoute: 3, RtmGetNextRoute: 3, RtmLookupIPDestination: 2,
  RtmGetSpecificRoute: 2,
};

/** Spec §3 (and the §2.2 values it relies on), by hand. */
const SECTION_3: Record<string, number> = {
  NO_ERROR: 0, INFINITE: 0xffffffff, AF_INET: 2, AF_INET6: 23, TRUE: 1, FALSE: 0,
  RTM_MAX_ADDRESS_SIZE: 16, RTM_MAX_VIEWS: 32, RTM_VIEW_MASK_SIZE: 0x20, RTM_NUM_CHANGE_TYPES: 3, IPV6_ADDRESS_LEN_IN_BYTES: 16,
  RTM_VIEW_ID_UCAST: 0, RTM_VIEW_ID_MCAST: 1, RTM_VIEW_MASK_NONE: 0, RTM_VIEW_MASK_ANY: 0, RTM_VIEW_MASK_UCAST: 1,
  RTM_VIEW_MASK_MCAST: 2, RTM_VIEW_MASK_ALL: 0xffffffff,
  RTM_ROUTE_CHANGE_FIRST: 1, RTM_ROUTE_CHANGE_NEW: 2, RTM_ROUTE_CHANGE_BEST: 0x10000, RTM_NEXTHOP_CHANGE_NEW: 1,
  RTM_MATCH_NONE: 0, RTM_MATCH_OWNER: 1, RTM_MATCH_NEIGHBOUR: 2, RTM_MATCH_PREF: 4, RTM_MATCH_NEXTHOP: 8, RTM_MATCH_INTERFACE: 0x10,
  RTM_MATCH_FULL: 0xffff, RTM_BEST_PROTOCOL: 0, RTM_THIS_PROTOCOL: 0xffffffff,
  RTM_ENUM_START: 0, RTM_ENUM_NEXT: 1, RTM_ENUM_RANGE: 2, RTM_ENUM_ALL_DESTS: 0, RTM_ENUM_OWN_DESTS: 0x1000000,
  RTM_ENUM_ALL_ROUTES: 0, RTM_ENUM_OWN_ROUTES: 0x10000,
  RTM_CHANGE_TYPE_ALL: 1, RTM_CHANGE_TYPE_BEST: 2, RTM_CHANGE_TYPE_FORWARDING: 4, RTM_NOTIFY_ONLY_MARKED_DESTS: 0x10000,
  RTM_ROUTE_STATE_CREATED: 0, RTM_ROUTE_STATE_DELETING: 1, RTM_ROUTE_STATE_DELETED: 2,
  RTM_ROUTE_FLAGS_MARTIAN: 0x1, RTM_ROUTE_FLAGS_BLACKHOLE: 0x2, RTM_ROUTE_FLAGS_DISCARD: 0x4, RTM_ROUTE_FLAGS_INACTIVE: 0x8,
  RTM_ROUTE_FLAGS_LOCAL: 0x10, RTM_ROUTE_FLAGS_REMOTE: 0x20, RTM_ROUTE_FLAGS_MYSELF: 0x40, RTM_ROUTE_FLAGS_LOOPBACK: 0x80,
  RTM_ROUTE_FLAGS_MCAST: 0x100, RTM_ROUTE_FLAGS_LOCAL_MCAST: 0x200, RTM_ROUTE_FLAGS_LIMITED_BC: 0x400,
  RTM_ROUTE_FLAGS_ZEROS_NETBC: 0x1000, RTM_ROUTE_FLAGS_ZEROS_SUBNETBC: 0x2000, RTM_ROUTE_FLAGS_ONES_NETBC: 0x4000,
  RTM_ROUTE_FLAGS_ONES_SUBNETBC: 0x8000, RTM_ROUTE_FLAGS_FORWARDING: 0xf, RTM_ROUTE_FLAGS_ANY_UNICAST: 0x70,
  RTM_ROUTE_FLAGS_ANY_MCAST: 0x300, RTM_ROUTE_FLAGS_NET_BCAST: 0x5000, RTM_ROUTE_FLAGS_SUBNET_BCAST: 0xa000,
  RTM_ROUTE_FLAGS_ANY_BCAST: 0xf400,
  RTM_NEXTHOP_STATE_CREATED: 0, RTM_NEXTHOP_STATE_DELETED: 1, RTM_NEXTHOP_FLAGS_REMOTE: 1, RTM_NEXTHOP_FLAGS_DOWN: 2,
  RTM_DEST_FLAG_NATURAL_NET: 1, RTM_DEST_FLAG_FWD_ENGIN_ADD: 2, RTM_DEST_FLAG_DONT_FORWARD: 4,
  RTM_ENTITY_REGISTERED: 0, RTM_ENTITY_DEREGISTERED: 1, RTM_ROUTE_EXPIRED: 2, RTM_CHANGE_NOTIFICATION: 3,
  METHOD_TYPE_ALL_METHODS: 0xffffffff, METHOD_RIP2_NEIGHBOUR_ADDR: 1, METHOD_RIP2_OUTBOUND_INTF: 2, METHOD_RIP2_ROUTE_TAG: 4,
  METHOD_RIP2_ROUTE_TIMESTAMP: 8, METHOD_OSPF_ROUTE_TYPE: 1, METHOD_OSPF_ROUTE_METRIC: 2, METHOD_OSPF_LSDB_TYPE: 4,
  METHOD_OSPF_ROUTE_TAG: 8, METHOD_OSPF_ROUTE_AREA: 0x10, METHOD_OSPF_FWD_ADDRESS: 0x20, METHOD_BGP4_AS_PATH: 1,
  METHOD_BGP4_PEER_ID: 2, METHOD_BGP4_PA_ORIGIN: 4, METHOD_BGP4_NEXTHOP_ATTR: 8,
  RTM_RESUME_METHODS: 0, RTM_BLOCK_METHODS: 1, DEST_TYPE: 4, ROUTE_TYPE: 5, NEXTHOP_TYPE: 6,
  PROTO_IP_OTHER: 1, PROTO_IP_LOCAL: 2, PROTO_IP_NETMGMT: 3, PROTO_IP_ICMP: 4, PROTO_IP_EGP: 5, PROTO_IP_GGP: 6,
  PROTO_IP_HELLO: 7, PROTO_IP_RIP: 8, PROTO_IP_IS_IS: 9, PROTO_IP_ES_IS: 10, PROTO_IP_CISCO: 11, PROTO_IP_BBN: 12,
  PROTO_IP_OSPF: 13, PROTO_IP_BGP: 14, PROTO_IP_MSDP: 9, PROTO_IP_IGMP: 10, PROTO_IP_BGMP: 11,
  PROTO_IP_VRRP: 112, PROTO_IPV6_DHCP: 999, PROTO_IP_BOOTP: 9999, IPRTRMGR_PID: 10000, PROTO_IP_NT_AUTOSTATIC: 10002,
  PROTO_IP_DNS_PROXY: 10003, PROTO_IP_DHCP_ALLOCATOR: 10004, PROTO_IP_NAT: 10005, PROTO_IP_NT_STATIC: 10006,
  PROTO_IP_NT_STATIC_NON_DOD: 10007, PROTO_IP_DIFFSERV: 10008, PROTO_IP_MGM: 10009, PROTO_IP_ALG: 10010, PROTO_IP_H323: 10011,
  PROTO_IP_FTP: 10012, PROTO_IP_DTP: 10013,
  PROTO_TYPE_UCAST: 0, PROTO_TYPE_MCAST: 1, PROTO_TYPE_MS0: 2, PROTO_TYPE_MS1: 3,
  PROTO_VENDOR_MS0: 0, PROTO_VENDOR_MS1: 0x137, PROTO_VENDOR_MS2: 0x3fff,
  MS_IP_RIP: 8, MS_IP_OSPF: 13, MS_IP_BOOTP: 9999, MS_IP_BGP: 0x0137000e, MS_IP_IGMP: 0x4137000a,
  IPX_PROTOCOL_BASE: 0x1ffff, IPX_PROTOCOL_RIP: 0x20000, IPX_PROTOCOL_SAP: 0x20001, IPX_PROTOCOL_NLSP: 0x20002,
};

describe('rtm-wasm/win32 exports', () => {
  it.each([...RTMV2_FUNCTIONS, ...RTMV1_FUNCTIONS, ...RTMV1_FUNCTION_MACROS])('%s is a function with the C parameter count', (name) => {
    expect(typeof exported[name]).toBe('function');
    expect((exported[name] as (...a: unknown[]) => unknown).length).toBe(ARITY[name]);
  });

  it.each([...RTMV2_MACROS, ...ROUTPROT_MACROS, ...RTMV1_MACROS, ...PORT_HELPERS])('macro/helper %s is a function', (name) => {
    expect(typeof exported[name]).toBe('function');
  });

  it.each([...RTMV2_STRUCTS, ...RTMV1_STRUCTS])('struct %s is a class', (name) => {
    expect(typeof exported[name]).toBe('function');
    expect(typeof new (exported[name] as new () => object)()).toBe('object');
  });

  it.each([...RTMV2_SIZE_CONSTANTS])('size constant %s is a number', (name) => {
    expect(typeof exported[name]).toBe('number');
  });

  it.each(Object.entries(SECTION_3))('spec §3: %s = %d', (name, value) => {
    expect(exported[name]).toBe(value);
  });

  it.each(API_EXTRAS)('API.md §4 extra %s', (name) => {
    expect(typeof exported[name]).toBe('function');
  });

  it('ref() makes out-parameters; ChangeEvent signals; GetLastError/SetLastError round-trip', () => {
    const r = W.ref<W.RTM_ROUTE_HANDLE>(null);
    expect(r).toEqual({ value: null });
    const ev = new W.ChangeEvent();
    expect(ev.isSet).toBe(false);
    ev.set();
    expect(ev.isSet).toBe(true);
    ev.reset();
    expect(ev.isSet).toBe(false);
    let fired = 0;
    new W.ChangeEvent(() => fired++).set();
    expect(fired).toBe(1);
    W.SetLastError(W.ERROR_NO_ROUTES);
    expect(W.GetLastError()).toBe(259);
    W.SetLastError(W.NO_ERROR);
    expect(W.GetLastError()).toBe(0);
  });

  it('has no testing hooks on the public surface', () => {
    for (const name of ['setInstanceFactory', 'resetInstances', 'entityOf']) expect(exported[name]).toBeUndefined();
  });
});
