// The constants of rtmv2.h, rtm.h and routprot.h that the spec names (§2.2, §3, §4, §9.2, §10), once,
// under their exact C names and values, plus the protocol-id and structure-size macros as functions.
// The idiomatic layer (`rtm-wasm`) exports them all and imports them from here; `rtm-wasm/win32`
// re-exports this file unchanged. Each is a plain `export const` number; values that are unsigned in C
// stay unsigned (0xFFFFFFFF is 4294967295, never -1). Status codes come from the STATUS table of
// errors.ts and AF_INET/AF_INET6 from address.ts, so each number is written down once. Allocates nothing.

import { RtmError, STATUS, fmt } from './errors.js';

export { AF_INET, AF_INET6 } from './address.js';

// ── §2.2 Constants from other Windows headers ──────────────────────────────────────────────────────
/** Constants from other Windows headers (spec §2.2). */
export const NO_ERROR = STATUS.NO_ERROR;                                  // 0
/** Constants from other Windows headers (spec §2.2). */
export const ERROR_SUCCESS = STATUS.NO_ERROR;                             // 0
/** `TimeToLive` / `HoldTime` meaning "never" (winbase.h). */
export const INFINITE = 0xffffffff;
/** Constants from other Windows headers (spec §2.2). */
export const TRUE = 1;
/** Constants from other Windows headers (spec §2.2). */
export const FALSE = 0;

// ── §3.1 Limits and address size ───────────────────────────────────────────────────────────────────
/** Bytes in `RTM_NET_ADDRESS.AddrBits`. */
export const RTM_MAX_ADDRESS_SIZE = 16;
/** Limits and address size (spec §3.1). */
export const RTM_MAX_VIEWS = 32;
/** Bits in a view mask. */
export const RTM_VIEW_MASK_SIZE = 0x20;
/** Change types defined: ALL, BEST, FORWARDING. (There is no `RTM_NUM_OF_CHANGE_TYPES`.) */
export const RTM_NUM_CHANGE_TYPES = 3;
/** Address size the RTM_IPV6_* macros pass to the IPv6 helpers (SDK header only). */
export const IPV6_ADDRESS_LEN_IN_BYTES = 16;

// ── §3.2 Views: the mask bit of view id v is 1 << v ────────────────────────────────────────────────
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_ID_UCAST = 0;
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_ID_MCAST = 1;
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_MASK_NONE = 0x00000000;
/** Same value as NONE: in a query's TargetViews it means "any view, no per-view data". */
export const RTM_VIEW_MASK_ANY = 0x00000000;
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_MASK_UCAST = 0x00000001;
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_MASK_MCAST = 0x00000002;
/** Views: the mask bit of view id v is 1 << v (spec §3.2). */
export const RTM_VIEW_MASK_ALL = 0xffffffff;

// ── §3.3 Route change flags (RTM_ROUTE_CHANGE_FLAGS) ──────────────────────────────────────────────
/** Route change flags (RTM_ROUTE_CHANGE_FLAGS) (spec §3.3). */
export const RTM_ROUTE_CHANGE_FIRST = 0x00000001;
/** Route change flags (RTM_ROUTE_CHANGE_FLAGS) (spec §3.3). */
export const RTM_ROUTE_CHANGE_NEW = 0x00000002;
/** Route change flags (RTM_ROUTE_CHANGE_FLAGS) (spec §3.3). */
export const RTM_ROUTE_CHANGE_BEST = 0x00010000;

// ── §3.4 Next-hop change flags (RTM_NEXTHOP_CHANGE_FLAGS) ─────────────────────────────────────────
/** Next-hop change flags (RTM_NEXTHOP_CHANGE_FLAGS) (spec §3.4). */
export const RTM_NEXTHOP_CHANGE_NEW = 0x01;

// ── §3.5 Match flags (RTM_MATCH_FLAGS) and protocol selectors ─────────────────────────────────────
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_NONE = 0x00000000;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_OWNER = 0x00000001;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_NEIGHBOUR = 0x00000002;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_PREF = 0x00000004;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_NEXTHOP = 0x00000008;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_INTERFACE = 0x00000010;
/** Match flags (RTM_MATCH_FLAGS) and protocol selectors (spec §3.5). */
export const RTM_MATCH_FULL = 0x0000ffff;
/** Protocol selector `(ULONG)0`: the best route of any protocol. */
export const RTM_BEST_PROTOCOL = 0;
/** Protocol selector `(ULONG)~0`: the best route of the caller's own protocol. */
export const RTM_THIS_PROTOCOL = 0xffffffff;

// ── §3.6 Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group ──────────────
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_START = 0x00000000;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_NEXT = 0x00000001;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_RANGE = 0x00000002;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_ALL_DESTS = 0x00000000;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_OWN_DESTS = 0x01000000;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_ALL_ROUTES = 0x00000000;
/** Enumeration flags (RTM_ENUM_FLAGS): a range group OR-ed with an owner group (spec §3.6). */
export const RTM_ENUM_OWN_ROUTES = 0x00010000;

// ── §3.7 Notification flags (RTM_NOTIFY_FLAGS): change types | dests ──────────────────────────────
/** Notification flags (RTM_NOTIFY_FLAGS): change types | dests (spec §3.7). */
export const RTM_CHANGE_TYPE_ALL = 0x0001;
/** Notification flags (RTM_NOTIFY_FLAGS): change types | dests (spec §3.7). */
export const RTM_CHANGE_TYPE_BEST = 0x0002;
/** Notification flags (RTM_NOTIFY_FLAGS): change types | dests (spec §3.7). */
export const RTM_CHANGE_TYPE_FORWARDING = 0x0004;
/** Notification flags (RTM_NOTIFY_FLAGS): change types | dests (spec §3.7). */
export const RTM_NOTIFY_ONLY_MARKED_DESTS = 0x00010000;

// ── §3.8 Route states (RTM_ROUTE_INFO.State) ──────────────────────────────────────────────────────
/** Route states (RTM_ROUTE_INFO.State) (spec §3.8). */
export const RTM_ROUTE_STATE_CREATED = 0;
/** Route states (RTM_ROUTE_INFO.State) (spec §3.8). */
export const RTM_ROUTE_STATE_DELETING = 1;
/** Route states (RTM_ROUTE_INFO.State) (spec §3.8). */
export const RTM_ROUTE_STATE_DELETED = 2;

// ── §3.9 Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused ────────────────────────
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_MARTIAN = 0x0001;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_BLACKHOLE = 0x0002;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_DISCARD = 0x0004;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_INACTIVE = 0x0008;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_LOCAL = 0x0010;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_REMOTE = 0x0020;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_MYSELF = 0x0040;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_LOOPBACK = 0x0080;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_MCAST = 0x0100;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_LOCAL_MCAST = 0x0200;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_LIMITED_BC = 0x0400;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_ZEROS_NETBC = 0x1000;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_ZEROS_SUBNETBC = 0x2000;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_ONES_NETBC = 0x4000;
/** Route flags (RTM_ROUTE_INFO.Flags, USHORT); bit 0x0800 is unused (spec §3.9). */
export const RTM_ROUTE_FLAGS_ONES_SUBNETBC = 0x8000;
// Group macros. The header spells SUBNET_BCAST and ANY_BCAST with an undefined symbol
// (RTM_ROUTE_FLAGS_ONES_SUBNET_BC); these are the intended values (D-02).
/** MARTIAN | BLACKHOLE | DISCARD | INACTIVE */
export const RTM_ROUTE_FLAGS_FORWARDING = 0x000f;
/** LOCAL | REMOTE | MYSELF */
export const RTM_ROUTE_FLAGS_ANY_UNICAST = 0x0070;
/** MCAST | LOCAL_MCAST */
export const RTM_ROUTE_FLAGS_ANY_MCAST = 0x0300;
/** ONES_NETBC | ZEROS_NETBC */
export const RTM_ROUTE_FLAGS_NET_BCAST = 0x5000;
/** ONES_SUBNETBC | ZEROS_SUBNETBC (D-02) */
export const RTM_ROUTE_FLAGS_SUBNET_BCAST = 0xa000;
/** LIMITED_BC | ONES_NETBC | ONES_SUBNETBC | ZEROS_NETBC | ZEROS_SUBNETBC (D-02) */
export const RTM_ROUTE_FLAGS_ANY_BCAST = 0xf400;

// ── §3.10 Next-hop state and flags ───────────────────────────────────────────────────────────────
/** Next-hop state and flags (spec §3.10). */
export const RTM_NEXTHOP_STATE_CREATED = 0;
/** Next-hop state and flags (spec §3.10). */
export const RTM_NEXTHOP_STATE_DELETED = 1;
/** Next-hop state and flags (spec §3.10). */
export const RTM_NEXTHOP_FLAGS_REMOTE = 0x0001;
/** Next-hop state and flags (spec §3.10). */
export const RTM_NEXTHOP_FLAGS_DOWN = 0x0002;

// ── §3.11 Destination flags (declared, never set by the RTM: D-03) ───────────────────────────────
/** Destination flags (declared, never set by the RTM: D-03) (spec §3.11). */
export const RTM_DEST_FLAG_NATURAL_NET = 0x01;
/** Destination flags (declared, never set by the RTM: D-03) (spec §3.11). */
export const RTM_DEST_FLAG_FWD_ENGIN_ADD = 0x02;
/** Destination flags (declared, never set by the RTM: D-03) (spec §3.11). */
export const RTM_DEST_FLAG_DONT_FORWARD = 0x04;

// ── §3.12 Events (RTM_EVENT_TYPE, a C enum), methods, blocking ───────────────────────────────────
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const RTM_ENTITY_REGISTERED = 0;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const RTM_ENTITY_DEREGISTERED = 1;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const RTM_ROUTE_EXPIRED = 2;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const RTM_CHANGE_NOTIFICATION = 3;

// Method bits overlap across protocols on purpose: a bit means something only for its callee.
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_TYPE_ALL_METHODS = 0xffffffff;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_RIP2_NEIGHBOUR_ADDR = 0x00000001;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_RIP2_OUTBOUND_INTF = 0x00000002;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_RIP2_ROUTE_TAG = 0x00000004;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_RIP2_ROUTE_TIMESTAMP = 0x00000008;
// The OSPF group is in mingw-w64 and older SDKs only; exported anyway (spec §3.12).
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_ROUTE_TYPE = 0x00000001;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_ROUTE_METRIC = 0x00000002;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_LSDB_TYPE = 0x00000004;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_ROUTE_TAG = 0x00000008;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_ROUTE_AREA = 0x00000010;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_OSPF_FWD_ADDRESS = 0x00000020;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_BGP4_AS_PATH = 0x00000001;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_BGP4_PEER_ID = 0x00000002;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_BGP4_PA_ORIGIN = 0x00000004;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const METHOD_BGP4_NEXTHOP_ATTR = 0x00000008;

/** RtmBlockMethods BlockingFlag. */
export const RTM_RESUME_METHODS = 0;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const RTM_BLOCK_METHODS = 1;

// RtmBlockMethods TargetType: named by the docs, absent from public headers; values chosen by D-04
// (0 = no specific target).
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const DEST_TYPE = 4;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const ROUTE_TYPE = 5;
/** Events (RTM_EVENT_TYPE, a C enum), methods, blocking (spec §3.12). */
export const NEXTHOP_TYPE = 6;

// ── §3.13 Protocol identifiers (routprot.h) ──────────────────────────────────────────────────────
// Unicast, MIB-II aligned.
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_OTHER = 1;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_LOCAL = 2;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_NETMGMT = 3;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_ICMP = 4;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_EGP = 5;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_GGP = 6;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_HELLO = 7;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_RIP = 8;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_IS_IS = 9;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_ES_IS = 10;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_CISCO = 11;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_BBN = 12;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_OSPF = 13;
/** Protocol identifiers (routprot.h); unicast, MIB-II aligned (spec §3.13). */
export const PROTO_IP_BGP = 14;
// Multicast (numerically overlap the unicast ids).
/** Protocol identifiers (routprot.h); multicast (numerically overlap the unicast ids) (spec §3.13). */
export const PROTO_IP_MSDP = 9;
/** Protocol identifiers (routprot.h); multicast (numerically overlap the unicast ids) (spec §3.13). */
export const PROTO_IP_IGMP = 10;
/** Protocol identifiers (routprot.h); multicast (numerically overlap the unicast ids) (spec §3.13). */
export const PROTO_IP_BGMP = 11;
// Windows-specific.
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_VRRP = 112;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IPV6_DHCP = 999;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_BOOTP = 9999;
/** The router manager's own id. */
export const IPRTRMGR_PID = 10000;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_NT_AUTOSTATIC = 10002;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_DNS_PROXY = 10003;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_DHCP_ALLOCATOR = 10004;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_NAT = 10005;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_NT_STATIC = 10006;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_NT_STATIC_NON_DOD = 10007;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_DIFFSERV = 10008;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_MGM = 10009;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_ALG = 10010;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_H323 = 10011;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_FTP = 10012;
/** Protocol identifiers (routprot.h); Windows-specific (spec §3.13). */
export const PROTO_IP_DTP = 10013;

// Protocol-id composition: type in bits 31..30, vendor in bits 29..16, protocol in bits 15..0.
/** Protocol-id type (bits 31..30 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_TYPE_UCAST = 0;
/** Protocol-id type (bits 31..30 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_TYPE_MCAST = 1;
/** Protocol-id type (bits 31..30 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_TYPE_MS0 = 2;
/** Protocol-id type (bits 31..30 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_TYPE_MS1 = 3;
/** Protocol-id vendor (bits 29..16 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_VENDOR_MS0 = 0x0000;
/** Protocol-id vendor (bits 29..16 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_VENDOR_MS1 = 0x0137;
/** Protocol-id vendor (bits 29..16 of a protocol id; PROTOCOL_ID) (spec §3.13). */
export const PROTO_VENDOR_MS2 = 0x3fff;

/**
 * A number argument of the C macros below: truncated to 32 bits as C would, but never coerced from another
 * type (a BigInt, a string, an object) — that is RtmError ERROR_INVALID_PARAMETER naming the macro.
 */
function macroNumber(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number') throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be a number, got ${fmt(x)}`);
  return x;
}
/** A count argument of the size macros: an integer in 0..2^32−1, else RtmError ERROR_INVALID_PARAMETER. */
function macroCount(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be a count, got ${fmt(x)}`);
  }
  return x;
}

/** routprot.h `PROTOCOL_ID(Type, VendorId, ProtocolId)`: the three fields packed into an unsigned u32. */
export function PROTOCOL_ID(Type: number, VendorId: number, ProtocolId: number): number {
  const t = macroNumber(Type, 'PROTOCOL_ID', 'Type'), v = macroNumber(VendorId, 'PROTOCOL_ID', 'VendorId');
  const p = macroNumber(ProtocolId, 'PROTOCOL_ID', 'ProtocolId');
  return (((t & 0x03) << 30) | ((v & 0x3fff) << 16) | (p & 0xffff)) >>> 0;
}
/** routprot.h `TYPE_FROM_PROTO_ID(X)`: bits 31..30 (PROTO_TYPE_*). */
export function TYPE_FROM_PROTO_ID(X: number): number {
  return (macroNumber(X, 'TYPE_FROM_PROTO_ID', 'X') >>> 30) & 0x03;
}
/** routprot.h `VENDOR_FROM_PROTO_ID(X)`: bits 29..16 (PROTO_VENDOR_*). */
export function VENDOR_FROM_PROTO_ID(X: number): number {
  return (macroNumber(X, 'VENDOR_FROM_PROTO_ID', 'X') >>> 16) & 0x3fff;
}
/** routprot.h `PROTO_FROM_PROTO_ID(X)`: bits 15..0 (PROTO_IP_*). */
export function PROTO_FROM_PROTO_ID(X: number): number {
  return macroNumber(X, 'PROTO_FROM_PROTO_ID', 'X') & 0xffff;
}

// Pre-composed ids. PROTOCOL_ID(UCAST, MS0, p) == p, so MS_IP_RIP == PROTO_IP_RIP.
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_BOOTP = 0x0000270f;          // PROTOCOL_ID(UCAST, MS0, PROTO_IP_BOOTP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_RIP = 0x00000008;            // PROTOCOL_ID(UCAST, MS0, PROTO_IP_RIP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_OSPF = 0x0000000d;           // PROTOCOL_ID(UCAST, MS0, PROTO_IP_OSPF)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_BGP = 0x0137000e;            // PROTOCOL_ID(UCAST, MS1, PROTO_IP_BGP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_IGMP = 0x4137000a;           // PROTOCOL_ID(MCAST, MS1, PROTO_IP_IGMP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_BGMP = 0x4137000b;           // PROTOCOL_ID(MCAST, MS1, PROTO_IP_BGMP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_MSDP = 0x41370009;           // PROTOCOL_ID(MCAST, MS1, PROTO_IP_MSDP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_DNS_PROXY = 0x81372713;      // PROTOCOL_ID(MS0, MS1, PROTO_IP_DNS_PROXY)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_DHCP_ALLOCATOR = 0x81372714; // PROTOCOL_ID(MS0, MS1, PROTO_IP_DHCP_ALLOCATOR)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_NAT = 0x81372715;            // PROTOCOL_ID(MS0, MS1, PROTO_IP_NAT)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_DIFFSERV = 0x81372718;       // PROTOCOL_ID(MS0, MS1, PROTO_IP_DIFFSERV)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_MGM = 0x81372719;            // PROTOCOL_ID(MS0, MS1, PROTO_IP_MGM)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_VRRP = 0x81370070;           // PROTOCOL_ID(MS0, MS1, PROTO_IP_VRRP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_DTP = 0x8137271d;            // PROTOCOL_ID(MS0, MS1, PROTO_IP_DTP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_H323 = 0x8137271b;           // PROTOCOL_ID(MS0, MS1, PROTO_IP_H323)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_FTP = 0x8137271c;            // PROTOCOL_ID(MS0, MS1, PROTO_IP_FTP)
/** Protocol identifiers (routprot.h); pre-composed ids (spec §3.13). */
export const MS_IP_ALG = 0x8137271a;            // PROTOCOL_ID(MS0, MS1, PROTO_IP_ALG)

// IPX.
/** Protocol identifiers (routprot.h); IPX (spec §3.13). */
export const IPX_PROTOCOL_BASE = 0x0001ffff;
/** Protocol identifiers (routprot.h); IPX (spec §3.13). */
export const IPX_PROTOCOL_RIP = 0x00020000;
/** Protocol identifiers (routprot.h); IPX (spec §3.13). */
export const IPX_PROTOCOL_SAP = 0x00020001;
/** Protocol identifiers (routprot.h); IPX (spec §3.13). */
export const IPX_PROTOCOL_NLSP = 0x00020002;

// ── §4 Error codes (winerror.h values; names as the RTMv2 docs use them) ─────────────────────────
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_FILE_NOT_FOUND = STATUS.ERROR_FILE_NOT_FOUND;           // 2
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_ACCESS_DENIED = STATUS.ERROR_ACCESS_DENIED;             // 5
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_INVALID_HANDLE = STATUS.ERROR_INVALID_HANDLE;           // 6
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_NOT_ENOUGH_MEMORY = STATUS.ERROR_NOT_ENOUGH_MEMORY;     // 8
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_INVALID_DATA = STATUS.ERROR_INVALID_DATA;               // 13
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_NOT_SUPPORTED = STATUS.ERROR_NOT_SUPPORTED;             // 50
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_INVALID_PARAMETER = STATUS.ERROR_INVALID_PARAMETER;     // 87
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_INSUFFICIENT_BUFFER = STATUS.ERROR_INSUFFICIENT_BUFFER; // 122
/** Chosen by the spec (D-20): unlocking what the caller has not locked. */
export const ERROR_NOT_LOCKED = STATUS.ERROR_NOT_LOCKED;                   // 158
/** Chosen by the spec (D-20, D-22): an operation that would block in Windows. */
export const ERROR_BUSY = STATUS.ERROR_BUSY;                               // 170
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_ALREADY_EXISTS = STATUS.ERROR_ALREADY_EXISTS;           // 183
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_MORE_DATA = STATUS.ERROR_MORE_DATA;                     // 234
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_NO_MORE_ITEMS = STATUS.ERROR_NO_MORE_ITEMS;             // 259
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_NOT_FOUND = STATUS.ERROR_NOT_FOUND;                     // 1168
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_NO_SYSTEM_RESOURCES = STATUS.ERROR_NO_SYSTEM_RESOURCES; // 1450
/** Error codes (winerror.h values; names as the RTMv2 docs use them) (spec §4). */
export const ERROR_BAD_CONFIGURATION = STATUS.ERROR_BAD_CONFIGURATION;     // 1610

// ── §9.2 RTMv1 (rtm.h) ───────────────────────────────────────────────────────────────────────────
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_PROTOCOL_FAMILY_IPX = 0;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_PROTOCOL_FAMILY_IP = 1;
/** RtmRegisterClient flag: at most one route per network for this protocol. */
export const RTM_PROTOCOL_SINGLE_ROUTE = 0x00000001;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_CURRENT_BEST_ROUTE = 0x00000001;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_PREVIOUS_BEST_ROUTE = 0x00000002;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_NO_CHANGE = 0;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ROUTE_ADDED = 1;   // RTM_CURRENT_BEST_ROUTE
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ROUTE_DELETED = 2; // RTM_PREVIOUS_BEST_ROUTE
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ROUTE_CHANGED = 3; // RTM_CURRENT_BEST_ROUTE | RTM_PREVIOUS_BEST_ROUTE
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ONLY_THIS_NETWORK = 0x00000001;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ONLY_THIS_INTERFACE = 0x00000002;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ONLY_THIS_PROTOCOL = 0x00000004;
/** RTMv1 (rtm.h) (spec §9.2). */
export const RTM_ONLY_BEST_ROUTES = 0x00000008;
/** RTMv1 (rtm.h) (spec §9.2). */
export const IPX_GLOBAL_CLIENT_WAN_ROUTE = 0x00000001;
/** RTMv1 (rtm.h) (spec §9.2). */
export const IP_VALID_ROUTE = 0x00000001;
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_MORE_MESSAGES = ERROR_MORE_DATA;              // 234
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_CLIENT_ALREADY_EXISTS = ERROR_ALREADY_EXISTS; // 183
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_NO_MESSAGES = ERROR_NO_MORE_ITEMS;            // 259
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_NO_MORE_ROUTES = ERROR_NO_MORE_ITEMS;         // 259
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_NO_ROUTES = ERROR_NO_MORE_ITEMS;              // 259
/** RTMv1 (rtm.h) (spec §9.2). */
export const ERROR_NO_SUCH_ROUTE = ERROR_NO_MORE_ITEMS;          // 259

// ── §10 Structure-size macros, x64 layout (only meaningful to an emulated C ABI) ─────────────────
/** Offset of `RTM_DEST_INFO.ViewInfo` (x64). */
export const RTM_BASIC_DEST_INFO_SIZE = 48;
/** Size of one `RTM_DEST_INFO.ViewInfo` entry (x64). */
export const RTM_DEST_VIEW_INFO_SIZE = 40;
/** Offset of `RTM_ROUTE_INFO.NextHopsList.NumNextHops` (x64), as the header defines it. */
export const RTM_BASIC_ROUTE_INFO_SIZE = 48;

/** `RTM_SIZE_OF_DEST_INFO(NumViews)`: bytes of an x64 RTM_DEST_INFO with `NumViews` view entries. */
export function RTM_SIZE_OF_DEST_INFO(NumViews: number): number {
  return RTM_BASIC_DEST_INFO_SIZE + macroCount(NumViews, 'RTM_SIZE_OF_DEST_INFO', 'NumViews') * RTM_DEST_VIEW_INFO_SIZE;
}

/**
 * `RTM_SIZE_OF_ROUTE_INFO(NumHops)` exactly as the header defines it: BASIC + NumHops × 8 (x64). This
 * undercounts the real structure by 8 bytes (it forgets NumNextHops and its padding; spec §10.3, D-67).
 */
export function RTM_SIZE_OF_ROUTE_INFO(NumHops: number): number {
  return RTM_BASIC_ROUTE_INFO_SIZE + macroCount(NumHops, 'RTM_SIZE_OF_ROUTE_INFO', 'NumHops') * 8;
}
