// Every constant of the Win32 layer against a table written by hand from RTMv2-SPEC §2.2, §3, §4, §9.2
// and §10 (not imported from src/), both ways: each expected name is exported with its value, and each
// number the module exports is in the table. Also unsigned-ness, the protocol-id and size macros, and
// the zeroed defaults of every structure.
import { describe, expect, it } from 'vitest';
import { STATUS } from '../../src/errors.js';
import * as C from '../../src/win32/constants.js';
import * as W from '../../src/win32/index.js';
import { ROUTPROT_MACROS, RTMV1_MACROS, RTMV1_STRUCTS, RTMV2_MACROS, RTMV2_SIZE_CONSTANTS, RTMV2_STRUCTS, PORT_HELPERS } from './coverage.js';

const EXPECTED: Record<string, number> = {
  // §2.2
  NO_ERROR: 0, ERROR_SUCCESS: 0, INFINITE: 4294967295, AF_INET: 2, AF_INET6: 23, TRUE: 1, FALSE: 0,
  // §3.1
  RTM_MAX_ADDRESS_SIZE: 16, RTM_MAX_VIEWS: 32, RTM_VIEW_MASK_SIZE: 32, RTM_NUM_CHANGE_TYPES: 3,
  IPV6_ADDRESS_LEN_IN_BYTES: 16,
  // §3.2
  RTM_VIEW_ID_UCAST: 0, RTM_VIEW_ID_MCAST: 1, RTM_VIEW_MASK_NONE: 0, RTM_VIEW_MASK_ANY: 0,
  RTM_VIEW_MASK_UCAST: 1, RTM_VIEW_MASK_MCAST: 2, RTM_VIEW_MASK_ALL: 4294967295,
  // §3.3, §3.4
  RTM_ROUTE_CHANGE_FIRST: 1, RTM_ROUTE_CHANGE_NEW: 2, RTM_ROUTE_CHANGE_BEST: 65536,
  RTM_NEXTHOP_CHANGE_NEW: 1,
  // §3.5
  RTM_MATCH_NONE: 0, RTM_MATCH_OWNER: 1, RTM_MATCH_NEIGHBOUR: 2, RTM_MATCH_PREF: 4, RTM_MATCH_NEXTHOP: 8,
  RTM_MATCH_INTERFACE: 16, RTM_MATCH_FULL: 65535, RTM_BEST_PROTOCOL: 0, RTM_THIS_PROTOCOL: 4294967295,
  // §3.6
  RTM_ENUM_START: 0, RTM_ENUM_NEXT: 1, RTM_ENUM_RANGE: 2, RTM_ENUM_ALL_DESTS: 0, RTM_ENUM_OWN_DESTS: 16777216,
  RTM_ENUM_ALL_ROUTES: 0, RTM_ENUM_OWN_ROUTES: 65536,
  // §3.7
  RTM_CHANGE_TYPE_ALL: 1, RTM_CHANGE_TYPE_BEST: 2, RTM_CHANGE_TYPE_FORWARDING: 4,
  RTM_NOTIFY_ONLY_MARKED_DESTS: 65536,
  // §3.8
  RTM_ROUTE_STATE_CREATED: 0, RTM_ROUTE_STATE_DELETING: 1, RTM_ROUTE_STATE_DELETED: 2,
  // §3.9
  RTM_ROUTE_FLAGS_MARTIAN: 0x0001, RTM_ROUTE_FLAGS_BLACKHOLE: 0x0002, RTM_ROUTE_FLAGS_DISCARD: 0x0004,
  RTM_ROUTE_FLAGS_INACTIVE: 0x0008, RTM_ROUTE_FLAGS_LOCAL: 0x0010, RTM_ROUTE_FLAGS_REMOTE: 0x0020,
  RTM_ROUTE_FLAGS_MYSELF: 0x0040, RTM_ROUTE_FLAGS_LOOPBACK: 0x0080, RTM_ROUTE_FLAGS_MCAST: 0x0100,
  RTM_ROUTE_FLAGS_LOCAL_MCAST: 0x0200, RTM_ROUTE_FLAGS_LIMITED_BC: 0x0400, RTM_ROUTE_FLAGS_ZEROS_NETBC: 0x1000,
  RTM_ROUTE_FLAGS_ZEROS_SUBNETBC: 0x2000, RTM_ROUTE_FLAGS_ONES_NETBC: 0x4000,
  RTM_ROUTE_FLAGS_ONES_SUBNETBC: 0x8000,
  RTM_ROUTE_FLAGS_FORWARDING: 0x000f, RTM_ROUTE_FLAGS_ANY_UNICAST: 0x0070, RTM_ROUTE_FLAGS_ANY_MCAST: 0x0300,
  RTM_ROUTE_FLAGS_NET_BCAST: 0x5000, RTM_ROUTE_FLAGS_SUBNET_BCAST: 0xa000, RTM_ROUTE_FLAGS_ANY_BCAST: 0xf400,
  // §3.10, §3.11
  RTM_NEXTHOP_STATE_CREATED: 0, RTM_NEXTHOP_STATE_DELETED: 1, RTM_NEXTHOP_FLAGS_REMOTE: 1,
  RTM_NEXTHOP_FLAGS_DOWN: 2,
  RTM_DEST_FLAG_NATURAL_NET: 1, RTM_DEST_FLAG_FWD_ENGIN_ADD: 2, RTM_DEST_FLAG_DONT_FORWARD: 4,
  // §3.12
  RTM_ENTITY_REGISTERED: 0, RTM_ENTITY_DEREGISTERED: 1, RTM_ROUTE_EXPIRED: 2, RTM_CHANGE_NOTIFICATION: 3,
  METHOD_TYPE_ALL_METHODS: 4294967295,
  METHOD_RIP2_NEIGHBOUR_ADDR: 1, METHOD_RIP2_OUTBOUND_INTF: 2, METHOD_RIP2_ROUTE_TAG: 4,
  METHOD_RIP2_ROUTE_TIMESTAMP: 8,
  METHOD_OSPF_ROUTE_TYPE: 1, METHOD_OSPF_ROUTE_METRIC: 2, METHOD_OSPF_LSDB_TYPE: 4, METHOD_OSPF_ROUTE_TAG: 8,
  METHOD_OSPF_ROUTE_AREA: 16, METHOD_OSPF_FWD_ADDRESS: 32,
  METHOD_BGP4_AS_PATH: 1, METHOD_BGP4_PEER_ID: 2, METHOD_BGP4_PA_ORIGIN: 4, METHOD_BGP4_NEXTHOP_ATTR: 8,
  RTM_RESUME_METHODS: 0, RTM_BLOCK_METHODS: 1, DEST_TYPE: 4, ROUTE_TYPE: 5, NEXTHOP_TYPE: 6,
  // §3.13
  PROTO_IP_OTHER: 1, PROTO_IP_LOCAL: 2, PROTO_IP_NETMGMT: 3, PROTO_IP_ICMP: 4, PROTO_IP_EGP: 5,
  PROTO_IP_GGP: 6, PROTO_IP_HELLO: 7, PROTO_IP_RIP: 8, PROTO_IP_IS_IS: 9, PROTO_IP_ES_IS: 10,
  PROTO_IP_CISCO: 11, PROTO_IP_BBN: 12, PROTO_IP_OSPF: 13, PROTO_IP_BGP: 14,
  PROTO_IP_MSDP: 9, PROTO_IP_IGMP: 10, PROTO_IP_BGMP: 11,
  PROTO_IP_VRRP: 112, PROTO_IPV6_DHCP: 999, PROTO_IP_BOOTP: 9999, IPRTRMGR_PID: 10000,
  PROTO_IP_NT_AUTOSTATIC: 10002, PROTO_IP_DNS_PROXY: 10003, PROTO_IP_DHCP_ALLOCATOR: 10004, PROTO_IP_NAT: 10005,
  PROTO_IP_NT_STATIC: 10006, PROTO_IP_NT_STATIC_NON_DOD: 10007, PROTO_IP_DIFFSERV: 10008, PROTO_IP_MGM: 10009,
  PROTO_IP_ALG: 10010, PROTO_IP_H323: 10011, PROTO_IP_FTP: 10012, PROTO_IP_DTP: 10013,
  PROTO_TYPE_UCAST: 0, PROTO_TYPE_MCAST: 1, PROTO_TYPE_MS0: 2, PROTO_TYPE_MS1: 3,
  PROTO_VENDOR_MS0: 0, PROTO_VENDOR_MS1: 311, PROTO_VENDOR_MS2: 16383,
  MS_IP_BOOTP: 9999, MS_IP_RIP: 8, MS_IP_OSPF: 13,
  MS_IP_BGP: 0x0137000e,
  MS_IP_IGMP: 0x4137000a, MS_IP_BGMP: 0x4137000b, MS_IP_MSDP: 0x41370009,
  MS_IP_DNS_PROXY: 0x81372713, MS_IP_DHCP_ALLOCATOR: 0x81372714, MS_IP_NAT: 0x81372715,
  MS_IP_DIFFSERV: 0x81372718, MS_IP_MGM: 0x81372719, MS_IP_VRRP: 0x81370070, MS_IP_DTP: 0x8137271d,
  MS_IP_H323: 0x8137271b, MS_IP_FTP: 0x8137271c, MS_IP_ALG: 0x8137271a,
  IPX_PROTOCOL_BASE: 0x0001ffff, IPX_PROTOCOL_RIP: 0x00020000, IPX_PROTOCOL_SAP: 0x00020001,
  IPX_PROTOCOL_NLSP: 0x00020002,
  // §4
  ERROR_FILE_NOT_FOUND: 2, ERROR_ACCESS_DENIED: 5, ERROR_INVALID_HANDLE: 6, ERROR_NOT_ENOUGH_MEMORY: 8,
  ERROR_INVALID_DATA: 13, ERROR_NOT_SUPPORTED: 50, ERROR_INVALID_PARAMETER: 87, ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_NOT_LOCKED: 158, ERROR_BUSY: 170, ERROR_ALREADY_EXISTS: 183, ERROR_MORE_DATA: 234,
  ERROR_NO_MORE_ITEMS: 259, ERROR_NOT_FOUND: 1168, ERROR_NO_SYSTEM_RESOURCES: 1450, ERROR_BAD_CONFIGURATION: 1610,
  // §9.2
  RTM_PROTOCOL_FAMILY_IPX: 0, RTM_PROTOCOL_FAMILY_IP: 1, RTM_PROTOCOL_SINGLE_ROUTE: 1,
  RTM_CURRENT_BEST_ROUTE: 1, RTM_PREVIOUS_BEST_ROUTE: 2,
  RTM_NO_CHANGE: 0, RTM_ROUTE_ADDED: 1, RTM_ROUTE_DELETED: 2, RTM_ROUTE_CHANGED: 3,
  RTM_ONLY_THIS_NETWORK: 1, RTM_ONLY_THIS_INTERFACE: 2, RTM_ONLY_THIS_PROTOCOL: 4, RTM_ONLY_BEST_ROUTES: 8,
  IPX_GLOBAL_CLIENT_WAN_ROUTE: 1, IP_VALID_ROUTE: 1,
  ERROR_MORE_MESSAGES: 234, ERROR_CLIENT_ALREADY_EXISTS: 183, ERROR_NO_MESSAGES: 259,
  ERROR_NO_MORE_ROUTES: 259, ERROR_NO_ROUTES: 259, ERROR_NO_SUCH_ROUTE: 259,
  // §10 (x64)
  RTM_BASIC_DEST_INFO_SIZE: 48, RTM_DEST_VIEW_INFO_SIZE: 40, RTM_BASIC_ROUTE_INFO_SIZE: 48,
};

const table = Object.entries(EXPECTED);
const exported = W as unknown as Record<string, unknown>;

describe('constants', () => {
  it.each(table)('%s = %d', (name, value) => {
    expect(exported[name], name).toBe(value);
  });

  it('exports no number that is missing from the spec table', () => {
    const extra = Object.entries(C)
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => k)
      .filter((k) => !(k in EXPECTED));
    expect(extra).toEqual([]);
  });

  it('keeps every value an unsigned 32-bit integer (0xFFFFFFFF is never -1)', () => {
    for (const [name] of table) {
      const v = exported[name] as number;
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, name).toBe(true);
    }
    expect(W.INFINITE).toBe(0xffffffff);
    expect(W.RTM_VIEW_MASK_ALL).not.toBe(-1);
    expect(W.RTM_THIS_PROTOCOL).not.toBe(-1);
    expect(W.METHOD_TYPE_ALL_METHODS).not.toBe(-1);
  });

  it('does not export names the headers lack (RTM_NUM_OF_CHANGE_TYPES, ONES_SUBNET_BC, the sample PROTO_VENDOR_ID)', () => {
    for (const name of ['RTM_NUM_OF_CHANGE_TYPES', 'RTM_ROUTE_FLAGS_ONES_SUBNET_BC', 'PROTO_VENDOR_ID']) {
      expect(name in exported, name).toBe(false);
    }
  });

  it('agrees with the STATUS table of src/errors.ts', () => {
    for (const [name, value] of Object.entries(STATUS)) expect(exported[name], name).toBe(value);
  });

  it('builds the route-flag groups from their members (D-02 for the broadcast groups)', () => {
    expect(W.RTM_ROUTE_FLAGS_FORWARDING).toBe(W.RTM_ROUTE_FLAGS_MARTIAN | W.RTM_ROUTE_FLAGS_BLACKHOLE
      | W.RTM_ROUTE_FLAGS_DISCARD | W.RTM_ROUTE_FLAGS_INACTIVE);
    expect(W.RTM_ROUTE_FLAGS_ANY_UNICAST).toBe(W.RTM_ROUTE_FLAGS_LOCAL | W.RTM_ROUTE_FLAGS_REMOTE | W.RTM_ROUTE_FLAGS_MYSELF);
    expect(W.RTM_ROUTE_FLAGS_ANY_MCAST).toBe(W.RTM_ROUTE_FLAGS_MCAST | W.RTM_ROUTE_FLAGS_LOCAL_MCAST);
    expect(W.RTM_ROUTE_FLAGS_NET_BCAST).toBe(W.RTM_ROUTE_FLAGS_ONES_NETBC | W.RTM_ROUTE_FLAGS_ZEROS_NETBC);
    expect(W.RTM_ROUTE_FLAGS_SUBNET_BCAST).toBe(W.RTM_ROUTE_FLAGS_ONES_SUBNETBC | W.RTM_ROUTE_FLAGS_ZEROS_SUBNETBC);
    expect(W.RTM_ROUTE_FLAGS_ANY_BCAST).toBe(W.RTM_ROUTE_FLAGS_LIMITED_BC | W.RTM_ROUTE_FLAGS_NET_BCAST
      | W.RTM_ROUTE_FLAGS_SUBNET_BCAST);
    expect(W.RTM_VIEW_MASK_UCAST).toBe(1 << W.RTM_VIEW_ID_UCAST);
    expect(W.RTM_VIEW_MASK_MCAST).toBe(1 << W.RTM_VIEW_ID_MCAST);
  });
});

describe('PROTOCOL_ID', () => {
  const composed: [string, number, number, number][] = [
    ['MS_IP_BOOTP', 0, 0x0000, 9999], ['MS_IP_RIP', 0, 0x0000, 8], ['MS_IP_OSPF', 0, 0x0000, 13],
    ['MS_IP_BGP', 0, 0x0137, 14],
    ['MS_IP_IGMP', 1, 0x0137, 10], ['MS_IP_BGMP', 1, 0x0137, 11], ['MS_IP_MSDP', 1, 0x0137, 9],
    ['MS_IP_DNS_PROXY', 2, 0x0137, 10003], ['MS_IP_DHCP_ALLOCATOR', 2, 0x0137, 10004], ['MS_IP_NAT', 2, 0x0137, 10005],
    ['MS_IP_DIFFSERV', 2, 0x0137, 10008], ['MS_IP_MGM', 2, 0x0137, 10009], ['MS_IP_VRRP', 2, 0x0137, 112],
    ['MS_IP_DTP', 2, 0x0137, 10013], ['MS_IP_H323', 2, 0x0137, 10011], ['MS_IP_FTP', 2, 0x0137, 10012],
    ['MS_IP_ALG', 2, 0x0137, 10010],
  ];
  it.each(composed)('%s = PROTOCOL_ID(%i, %i, %i) and splits back', (name, type, vendor, proto) => {
    const id = W.PROTOCOL_ID(type, vendor, proto);
    expect(id).toBe(EXPECTED[name]);
    expect(W.TYPE_FROM_PROTO_ID(id)).toBe(type);
    expect(W.VENDOR_FROM_PROTO_ID(id)).toBe(vendor);
    expect(W.PROTO_FROM_PROTO_ID(id)).toBe(proto);
  });

  it('masks each field and stays unsigned', () => {
    // the samples pass a vendor of 0xFFFF, which the 14-bit field truncates to 0x3FFF
    expect(W.PROTOCOL_ID(W.PROTO_TYPE_UCAST, 0xffff, W.PROTO_IP_RIP)).toBe(0x3fff0008);
    expect(W.PROTOCOL_ID(7, 0, 0x12345)).toBe(0xc0002345);
    expect(W.PROTOCOL_ID(W.PROTO_TYPE_MS1, W.PROTO_VENDOR_MS2, 0xffff)).toBe(0xffffffff);
    expect(W.TYPE_FROM_PROTO_ID(0xffffffff)).toBe(3);
    expect(W.VENDOR_FROM_PROTO_ID(0xffffffff)).toBe(0x3fff);
    expect(W.PROTO_FROM_PROTO_ID(0xffffffff)).toBe(0xffff);
  });
});

describe('RTM_SIZE_OF_DEST_INFO / RTM_SIZE_OF_ROUTE_INFO', () => {
  it('gives the x64 sizes: 48 + 40n and (as the header defines it) 48 + 8n', () => {
    expect([0, 1, 2, 32].map(W.RTM_SIZE_OF_DEST_INFO)).toEqual([48, 88, 128, 1328]);
    expect([0, 1, 8].map(W.RTM_SIZE_OF_ROUTE_INFO)).toEqual([48, 56, 112]);
  });
});

describe('exports', () => {
  it.each([...RTMV2_MACROS, ...ROUTPROT_MACROS, ...RTMV1_MACROS, ...PORT_HELPERS])('exports the function %s', (name) => {
    expect(typeof exported[name]).toBe('function');
  });
  it.each([...RTMV2_STRUCTS, ...RTMV1_STRUCTS])('exports the struct class %s', (name) => {
    expect(typeof exported[name]).toBe('function');
    expect(typeof new (exported[name] as new () => object)()).toBe('object');
  });
  it.each([...RTMV2_SIZE_CONSTANTS])('exports the size constant %s', (name) => {
    expect(typeof exported[name]).toBe('number');
  });
});

describe('structs', () => {
  const zero16 = new Uint8Array(16);
  it('RTM_NET_ADDRESS is zeroed with a 16-byte AddrBits', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(na.AddressFamily).toBe(0);
    expect(na.NumBits).toBe(0);
    expect(na.AddrBits).toBeInstanceOf(Uint8Array);
    expect(na.AddrBits).toEqual(zero16);
    expect(new W.RTM_NET_ADDRESS().AddrBits).not.toBe(na.AddrBits);
  });

  it('RTM_ROUTE_INFO is zeroed', () => {
    const ri = new W.RTM_ROUTE_INFO();
    expect(ri).toMatchObject({
      DestHandle: 0, RouteOwner: 0, Neighbour: 0, State: 0, Flags1: 0, Flags: 0,
      PrefInfo: { Metric: 0, Preference: 0 }, BelongsToViews: 0, EntitySpecificInfo: null,
      NextHopsList: { NumNextHops: 0, NextHops: [] },
    });
    expect(ri.PrefInfo).toBeInstanceOf(W.RTM_PREF_INFO);
    expect(ri.NextHopsList).toBeInstanceOf(W.RTM_NEXTHOP_LIST);
    expect(Object.keys(ri)).toEqual(['DestHandle', 'RouteOwner', 'Neighbour', 'State', 'Flags1', 'Flags',
      'PrefInfo', 'BelongsToViews', 'EntitySpecificInfo', 'NextHopsList']);
  });

  it('RTM_NEXTHOP_INFO is zeroed', () => {
    const nh = new W.RTM_NEXTHOP_INFO();
    expect(nh).toMatchObject({ NextHopOwner: 0, InterfaceIndex: 0, State: 0, Flags: 0, EntitySpecificInfo: null, RemoteNextHop: 0 });
    expect(nh.NextHopAddress).toBeInstanceOf(W.RTM_NET_ADDRESS);
    expect(nh.NextHopAddress.AddrBits).toEqual(zero16);
    expect(Object.keys(nh)).toEqual(['NextHopAddress', 'NextHopOwner', 'InterfaceIndex', 'State', 'Flags',
      'EntitySpecificInfo', 'RemoteNextHop']);
  });

  it('RTM_DEST_INFO is zeroed, and pre-sizes ViewInfo when given a view count', () => {
    const di = new W.RTM_DEST_INFO();
    expect(di).toMatchObject({ DestHandle: 0, LastChanged: 0n, BelongsToViews: 0, NumberOfViews: 0, ViewInfo: [] });
    expect(di.DestAddress).toBeInstanceOf(W.RTM_NET_ADDRESS);
    const d2 = new W.RTM_DEST_INFO(2);
    expect(d2.NumberOfViews).toBe(0);
    expect(d2.ViewInfo).toHaveLength(2);
    for (const v of d2.ViewInfo) {
      expect(v).toBeInstanceOf(W.RTM_DEST_VIEW_INFO);
      expect({ ...v }).toEqual({ ViewId: 0, NumRoutes: 0, Route: 0, Owner: 0, DestFlags: 0, HoldRoute: 0 });
    }
    expect(d2.ViewInfo[0]).not.toBe(d2.ViewInfo[1]);
  });

  it('the entity, profile and method structures are zeroed', () => {
    const id = new W.RTM_ENTITY_ID();
    expect({ ...id }).toEqual({ EntityProtocolId: 0, EntityInstanceId: 0 });
    expect(id.EntityId).toBe(0n);
    const ei = new W.RTM_ENTITY_INFO();
    expect(ei).toMatchObject({ RtmInstanceId: 0, AddressFamily: 0 });
    expect(ei.EntityId).toBeInstanceOf(W.RTM_ENTITY_ID);
    expect({ ...new W.RTM_REGN_PROFILE() }).toEqual({ MaxNextHopsInRoute: 0, MaxHandlesInEnum: 0, ViewsSupported: 0, NumberOfViews: 0 });
    const input = new W.RTM_ENTITY_METHOD_INPUT();
    expect(input).toMatchObject({ MethodType: 0, InputSize: 0 });
    expect(input.InputData).toEqual(new Uint8Array(0));
    expect(new W.RTM_ENTITY_METHOD_INPUT(8).InputData).toEqual(new Uint8Array(8));
    const output = new W.RTM_ENTITY_METHOD_OUTPUT(4);
    expect(output).toMatchObject({ MethodType: 0, MethodStatus: 0, OutputSize: 0 });
    expect(output.OutputData).toEqual(new Uint8Array(4));
    expect({ ...new W.RTM_ENTITY_EXPORT_METHODS() }).toEqual({ NumMethods: 0, Methods: [] });
  });

  it('the RTMv1 route structures are zeroed with every FSD_ field', () => {
    const r = new W.RTM_IP_ROUTE();
    expect(r.RR_TimeStamp).toBe(0n);
    expect(r).toMatchObject({ RR_RoutingProtocol: 0, RR_InterfaceID: 0,
      RR_Network: { N_NetNumber: 0, N_NetMask: 0 }, RR_NextHopAddress: { N_NetNumber: 0, N_NetMask: 0 } });
    expect(r.RR_ProtocolSpecificData.PSD_Data).toEqual(new Uint32Array(4));
    expect({ ...r.RR_FamilySpecificData }).toEqual({
      FSD_Type: 0, FSD_Policy: 0, FSD_NextHopAS: 0, FSD_Priority: 0, FSD_Metric: 0, FSD_Metric1: 0,
      FSD_Metric2: 0, FSD_Metric3: 0, FSD_Metric4: 0, FSD_Metric5: 0, FSD_Flags: 0 });
    expect(r.RR_NextHopAddress).toBeInstanceOf(W.IP_NEXT_HOP_ADDRESS);
    const x = new W.RTM_IPX_ROUTE();
    expect(x.RR_TimeStamp).toBe(0n);
    expect({ ...x.RR_Network }).toEqual({ N_NetNumber: 0 });
    expect(x.RR_NextHopAddress.NHA_Mac).toEqual(new Uint8Array(6));
    expect({ ...x.RR_FamilySpecificData }).toEqual({ FSD_Flags: 0, FSD_TickCount: 0, FSD_HopCount: 0 });
  });
});
