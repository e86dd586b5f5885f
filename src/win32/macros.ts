// The address macros of rtmv2.h (RTM_IPV4_*, RTM_CHECK_NTH_BIT, RTM_IPV6_*), the two IPv6 helper
// functions behind the IPv6 macros (D-13), the RTMv1 route macros of rtm.h, and the host-order port
// helpers of spec §6.3. Parsing reuses src/address.ts.
// Byte order: the C macros copy a network-order ULONG; this port takes and returns IPv4 numbers in host
// order, read as written (0x0a000001 is 10.0.0.1, stored as AddrBits 0a 00 00 01), or dotted text.
// Bad input: a C macro cannot fail, so these never throw. They write nothing and return false (IPv4)
// or ERROR_INVALID_PARAMETER (IPv6). Only the ipv4* port helpers throw. The macros allocate nothing
// (IPv6 text parsing uses a shared scratch array).

import { parseIPv4, parseIPv6Into } from '../address.js';
import {
  AF_INET, AF_INET6, ERROR_INVALID_PARAMETER, IP_VALID_ROUTE, IPV6_ADDRESS_LEN_IN_BYTES, NO_ERROR,
  RTM_MAX_ADDRESS_SIZE,
} from './constants.js';
import { RTM_NET_ADDRESS, type IP_SPECIFIC_DATA, type IPX_SPECIFIC_DATA, type Ref, type RTM_IP_ROUTE } from './structs.js';

/** An IPv4 macro argument: a number read as written (host order) or dotted-quad text. */
export type Ipv4Input = number | string;
/** An IPv6 macro argument: colon text or 16 address bytes, most significant first. */
export type Ipv6Input = string | ArrayLike<number>;

// ── Argument checks ──────────────────────────────────────────────────────────────────────────────
/**
 * Host-order u32 of an IPv4 argument, or -1. Numbers must be integers in [-2^31, 2^32): negative ones are
 * the int32 results of JS bit operations (0xffffff00 | 0 is -256) and are read as their unsigned value.
 */
function ipv4Value(a: Ipv4Input): number {
  if (typeof a === 'string') return parseIPv4(a);
  if (typeof a === 'number' && Number.isInteger(a) && a >= -0x80000000 && a <= 0xffffffff) return a >>> 0;
  return -1;
}

/** A C DWORD/USHORT argument: an integer in [0, max], else -1. */
function unsignedValue(n: number, max: number): number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max ? n : -1;
}

function isNetAddress(na: RTM_NET_ADDRESS | null | undefined): na is RTM_NET_ADDRESS {
  return na != null && na.AddrBits != null && na.AddrBits.length >= RTM_MAX_ADDRESS_SIZE;
}

function writeIpv4(na: RTM_NET_ADDRESS, addr: number): void {
  const b = na.AddrBits; // bytes 4..15 untouched, as in C
  b[0] = addr >>> 24; b[1] = (addr >>> 16) & 255; b[2] = (addr >>> 8) & 255; b[3] = addr & 255;
}

function readIpv4(na: RTM_NET_ADDRESS): number {
  const b = na.AddrBits;
  return (((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255)) >>> 0;
}

// ── Port helpers (spec §6.3), host order ─────────────────────────────────────────────────────────
/** Host-order mask of a prefix length: 24 → 0xffffff00. Lengths ≤ 0 give 0, lengths ≥ 32 give 0xffffffff. */
export function ipv4MaskFromLen(len: number): number {
  const n = Math.floor(len);
  if (!(n > 0)) return 0;
  if (n >= 32) return 0xffffffff;
  return (0xffffffff << (32 - n)) >>> 0;
}

/**
 * Prefix length of a host-order mask, by the header's algorithm: 0xffffff00 → 24, 0 → 0. The header
 * shifts the mask left until it is zero, counting shifts; that count is 32 − ctz(mask), so a
 * non-contiguous mask gives the position of its lowest set bit (0xff00ff00 → 24), unvalidated.
 * Derivation of the trick: m & -m isolates the lowest set bit 2^k, clz32 of it is 31 − k, and
 * 32 − ctz = 32 − k = 1 + clz32(m & -m).
 */
export function ipv4LenFromMask(mask: number): number {
  const m = mask >>> 0;
  return m === 0 ? 0 : 1 + Math.clz32(m & -m);
}

/**
 * A new RTM_NET_ADDRESS for `addr`/`len` (AF_INET). Host bits are kept, as RTM_IPV4_MAKE_NET_ADDRESS
 * keeps them; the RTM clears them when it stores a destination. Allocates.
 * @throws TypeError for a malformed address; RangeError for a length outside 0..32
 */
export function ipv4NetAddress(addr: Ipv4Input, len: number): RTM_NET_ADDRESS {
  const a = ipv4Value(addr);
  if (a < 0) throw new TypeError(`rtm: ipv4NetAddress: not an IPv4 address: ${String(addr)}`);
  if (unsignedValue(len, 32) < 0) throw new RangeError(`rtm: ipv4NetAddress: length ${len} is not in 0..32`);
  const na = new RTM_NET_ADDRESS();
  na.AddressFamily = AF_INET;
  na.NumBits = len;
  writeIpv4(na, a);
  return na;
}

/** Host-order address and length of an IPv4 RTM_NET_ADDRESS (family not checked). Allocates the result. */
export function ipv4FromNetAddress(na: RTM_NET_ADDRESS): {
  /** The IPv4 address, host order. */
  addr: number;
  /** NumBits. */
  len: number;
} {
  return { addr: readIpv4(na), len: na.NumBits };
}

// ── IPv4 macros (rtmv2.h) ────────────────────────────────────────────────────────────────────────
/** `RTM_IPV4_MAKE_NET_ADDRESS(NetAddress, Addr, Len)`: the same as RTM_IPV4_SET_ADDR_AND_LEN. */
export function RTM_IPV4_MAKE_NET_ADDRESS(NetAddress: RTM_NET_ADDRESS, Addr: Ipv4Input, Len: number): boolean {
  return RTM_IPV4_SET_ADDR_AND_LEN(NetAddress, Addr, Len);
}

/**
 * `RTM_IPV4_SET_ADDR_AND_LEN(NetAddress, Addr, Len)`: AddressFamily = AF_INET, NumBits = Len,
 * AddrBits[0..3] = Addr; bytes 4..15 are left as they are. Like the macro it does not check Len against
 * 32 (the RTM functions do). Returns false, writing nothing, if Addr is malformed or Len is not a USHORT.
 */
export function RTM_IPV4_SET_ADDR_AND_LEN(NetAddress: RTM_NET_ADDRESS, Addr: Ipv4Input, Len: number): boolean {
  const a = ipv4Value(Addr);
  if (a < 0 || unsignedValue(Len, 0xffff) < 0 || !isNetAddress(NetAddress)) return false;
  NetAddress.AddressFamily = AF_INET;
  NetAddress.NumBits = Len;
  writeIpv4(NetAddress, a);
  return true;
}

/** `RTM_IPV4_GET_ADDR_AND_LEN(Addr, Len, NetAddress)`: Len = NumBits, Addr = AddrBits[0..3] in host order. */
export function RTM_IPV4_GET_ADDR_AND_LEN(Addr: Ref<number>, Len: Ref<number>, NetAddress: RTM_NET_ADDRESS): void {
  Len.value = NetAddress.NumBits;
  Addr.value = readIpv4(NetAddress);
}

/**
 * `RTM_IPV4_SET_ADDR_AND_MASK(NetAddress, Addr, Mask)`: AddressFamily = AF_INET, AddrBits[0..3] = Addr,
 * NumBits = RTM_IPV4_LEN_FROM_MASK(Mask). Mask is host order or dotted text. Returns false, writing
 * nothing, if Addr or Mask is malformed.
 */
export function RTM_IPV4_SET_ADDR_AND_MASK(NetAddress: RTM_NET_ADDRESS, Addr: Ipv4Input, Mask: Ipv4Input): boolean {
  const a = ipv4Value(Addr), m = ipv4Value(Mask);
  if (a < 0 || m < 0 || !isNetAddress(NetAddress)) return false;
  NetAddress.AddressFamily = AF_INET;
  writeIpv4(NetAddress, a);
  NetAddress.NumBits = ipv4LenFromMask(m);
  return true;
}

/** `RTM_IPV4_GET_ADDR_AND_MASK(Addr, Mask, NetAddress)`: host-order address and RTM_IPV4_MASK_FROM_LEN(NumBits). */
export function RTM_IPV4_GET_ADDR_AND_MASK(Addr: Ref<number>, Mask: Ref<number>, NetAddress: RTM_NET_ADDRESS): void {
  Addr.value = readIpv4(NetAddress);
  Mask.value = ipv4MaskFromLen(NetAddress.NumBits);
}

/**
 * `RTM_IPV4_MASK_FROM_LEN(Len)`: the mask of a prefix length, in host order (C returns network order).
 * 0 → 0, 24 → 0xffffff00, 32 → 0xffffffff; beyond 32 (undefined in C) → 0xffffffff.
 */
export function RTM_IPV4_MASK_FROM_LEN(Len: number): number {
  return ipv4MaskFromLen(Len);
}

/**
 * `RTM_IPV4_LEN_FROM_MASK(Len, Mask)`: Len = prefix length of Mask (host order or dotted text), by the
 * header's algorithm, so a non-contiguous mask gives 32 − ctz(Mask). Returns false, leaving Len, if Mask
 * is malformed.
 */
export function RTM_IPV4_LEN_FROM_MASK(Len: Ref<number>, Mask: Ipv4Input): boolean {
  const m = ipv4Value(Mask);
  if (m < 0) return false;
  Len.value = ipv4LenFromMask(m);
  return true;
}

/**
 * `RTM_CHECK_NTH_BIT(Value, N, Len)`, the step RTM_IPV4_LEN_FROM_MASK is built from: if bit N (0..31) of
 * Value is set, Len += N and Value <<= N (32-bit, unsigned).
 */
export function RTM_CHECK_NTH_BIT(Value: Ref<number>, N: number, Len: Ref<number>): void {
  if ((Value.value & (1 << N)) !== 0) {
    Len.value += N;
    Value.value = (Value.value << N) >>> 0;
  }
}

// ── IPv6 helpers (rtmv2.h, SDK only; behaviour D-13) ─────────────────────────────────────────────
const scratchWords = new Uint32Array(4);

/**
 * `RtmConvertIpv6AddressAndLengthToNetAddress(pNetAddress, Address, dwLength, dwAddressSize)`: NumBits =
 * dwLength, AddrBits = the first dwAddressSize bytes of Address then zeros. AddressFamily is not written
 * (RTM_IPV6_SET_ADDR_AND_LEN writes it). Address is colon text or a byte array.
 * @returns NO_ERROR; ERROR_INVALID_PARAMETER, writing nothing, if dwAddressSize > RTM_MAX_ADDRESS_SIZE,
 *   dwLength > 8 × dwAddressSize, or Address is malformed or shorter than dwAddressSize
 */
export function RtmConvertIpv6AddressAndLengthToNetAddress(
  pNetAddress: RTM_NET_ADDRESS, Address: Ipv6Input, dwLength: number, dwAddressSize: number,
): number {
  const size = unsignedValue(dwAddressSize, RTM_MAX_ADDRESS_SIZE);
  if (size < 0 || unsignedValue(dwLength, 8 * size) < 0 || !isNetAddress(pNetAddress)) return ERROR_INVALID_PARAMETER;
  const out = pNetAddress.AddrBits;
  if (typeof Address === 'string') {
    if (!parseIPv6Into(Address, scratchWords, 0)) return ERROR_INVALID_PARAMETER;
    pNetAddress.NumBits = dwLength;
    for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) {
      out[i] = i < size ? (scratchWords[i >> 2] >>> (24 - 8 * (i & 3))) & 255 : 0;
    }
    return NO_ERROR;
  }
  if (Address == null || !(Address.length >= size)) return ERROR_INVALID_PARAMETER;
  for (let i = 0; i < size; i++) if (unsignedValue(Address[i], 255) < 0) return ERROR_INVALID_PARAMETER;
  pNetAddress.NumBits = dwLength;
  for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) out[i] = i < size ? Address[i] : 0;
  return NO_ERROR;
}

/**
 * `RtmConvertNetAddressToIpv6AddressAndLength(pNetAddress, pAddress, pLength, dwAddressSize)`: copies
 * the first dwAddressSize bytes of AddrBits into pAddress (a 16-byte IN6_ADDR buffer, zero-filled
 * after them) and NumBits into pLength. The family is not checked.
 * @returns NO_ERROR; ERROR_INVALID_PARAMETER, writing nothing, if dwAddressSize > RTM_MAX_ADDRESS_SIZE or
 *   a pointer is missing (pAddress shorter than 16 bytes counts as missing)
 */
export function RtmConvertNetAddressToIpv6AddressAndLength(
  pNetAddress: RTM_NET_ADDRESS, pAddress: Uint8Array, pLength: Ref<number>, dwAddressSize: number,
): number {
  const size = unsignedValue(dwAddressSize, RTM_MAX_ADDRESS_SIZE);
  if (size < 0 || !isNetAddress(pNetAddress) || pLength == null || pAddress == null || !(pAddress.length >= 16)) {
    return ERROR_INVALID_PARAMETER;
  }
  const b = pNetAddress.AddrBits;
  for (let i = 0; i < 16; i++) pAddress[i] = i < size ? b[i] : 0;
  pLength.value = pNetAddress.NumBits;
  return NO_ERROR;
}

/** `RTM_IPV6_MAKE_NET_ADDRESS(NetAddress, Addr, Len)`: the same as RTM_IPV6_SET_ADDR_AND_LEN. */
export function RTM_IPV6_MAKE_NET_ADDRESS(NetAddress: RTM_NET_ADDRESS, Addr: Ipv6Input, Len: number): number {
  return RTM_IPV6_SET_ADDR_AND_LEN(NetAddress, Addr, Len);
}

/**
 * `RTM_IPV6_SET_ADDR_AND_LEN(NetAddress, Addr, Len)`: AddressFamily = AF_INET6, then
 * RtmConvertIpv6AddressAndLengthToNetAddress(NetAddress, Addr, Len, IPV6_ADDRESS_LEN_IN_BYTES).
 * Unlike C, a failing call leaves AddressFamily unwritten too.
 * @returns NO_ERROR, or ERROR_INVALID_PARAMETER (Len > 128, malformed Addr)
 */
export function RTM_IPV6_SET_ADDR_AND_LEN(NetAddress: RTM_NET_ADDRESS, Addr: Ipv6Input, Len: number): number {
  const status = RtmConvertIpv6AddressAndLengthToNetAddress(NetAddress, Addr, Len, IPV6_ADDRESS_LEN_IN_BYTES);
  if (status === NO_ERROR) NetAddress.AddressFamily = AF_INET6;
  return status;
}

/**
 * `RTM_IPV6_GET_ADDR_AND_LEN(Addr, Len, NetAddress)`: RtmConvertNetAddressToIpv6AddressAndLength(NetAddress,
 * Addr, Len, IPV6_ADDRESS_LEN_IN_BYTES); Addr is a 16-byte buffer filled in place.
 */
export function RTM_IPV6_GET_ADDR_AND_LEN(Addr: Uint8Array, Len: Ref<number>, NetAddress: RTM_NET_ADDRESS): number {
  return RtmConvertNetAddressToIpv6AddressAndLength(NetAddress, Addr, Len, IPV6_ADDRESS_LEN_IN_BYTES);
}

// ── RTMv1 route macros (rtm.h, spec §9.2); RR_Network and RR_NextHopAddress are host order ───────
/** `ClearRouteFlags(pRoute)`: FSD_Flags = 0. */
export function ClearRouteFlags(pRoute: { RR_FamilySpecificData: IP_SPECIFIC_DATA | IPX_SPECIFIC_DATA }): void {
  pRoute.RR_FamilySpecificData.FSD_Flags = 0;
}

/** `IsRouteValid(pRoute)`: IP_VALID_ROUTE is set in FSD_Flags. */
export function IsRouteValid(pRoute: RTM_IP_ROUTE): boolean {
  return (pRoute.RR_FamilySpecificData.FSD_Flags & IP_VALID_ROUTE) !== 0;
}

/** `SetRouteValid(pRoute)`: sets IP_VALID_ROUTE in FSD_Flags. */
export function SetRouteValid(pRoute: RTM_IP_ROUTE): void {
  pRoute.RR_FamilySpecificData.FSD_Flags = (pRoute.RR_FamilySpecificData.FSD_Flags | IP_VALID_ROUTE) >>> 0;
}

/** `ClearRouteValid(pRoute)`: clears IP_VALID_ROUTE in FSD_Flags. */
export function ClearRouteValid(pRoute: RTM_IP_ROUTE): void {
  pRoute.RR_FamilySpecificData.FSD_Flags = (pRoute.RR_FamilySpecificData.FSD_Flags & ~IP_VALID_ROUTE) >>> 0;
}

/** `IsRouteNonUnicast(pRoute)`: the network's first octet is ≥ 224 (class D and E). */
export function IsRouteNonUnicast(pRoute: RTM_IP_ROUTE): boolean {
  return pRoute.RR_Network.N_NetNumber >>> 24 >= 224;
}

/** `IsRouteLoopback(pRoute)`: the network's first octet is 127, or the next hop is 127.0.0.1. */
export function IsRouteLoopback(pRoute: RTM_IP_ROUTE): boolean {
  return pRoute.RR_Network.N_NetNumber >>> 24 === 127 || pRoute.RR_NextHopAddress.N_NetNumber >>> 0 === 0x7f000001;
}
