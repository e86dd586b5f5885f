// The address macros of rtmv2.h (RTM_IPV4_*, RTM_CHECK_NTH_BIT, RTM_IPV6_*), the two IPv6 helper
// functions behind the IPv6 macros (D-13), the RTMv1 route macros of rtm.h, and the host-order port
// helpers of spec §6.3. Parsing reuses src/address.ts.
// Byte order: the C macros copy a network-order ULONG; this port takes and returns IPv4 numbers in host
// order, read as written (0x0a000001 is 10.0.0.1, stored as AddrBits 0a 00 00 01), or dotted text.
// Bad input: a macro with a result (the SET macros, RTM_IPV4_LEN_FROM_MASK, the IPv6 helpers) reports it
// there: false (IPv4) or ERROR_INVALID_PARAMETER (IPv6), writing nothing. The others (the GET macros, the
// route macros, the port helpers) throw RtmError(ERROR_INVALID_PARAMETER) before writing anything; no
// argument — a getter or setter that throws, a revoked proxy, a BigInt — ever escapes as another error.
// Every output is probed (its own value written back) before the first write, so a call is all or
// nothing. The macros allocate nothing (IPv6 text parsing uses a shared scratch array).

import { parseIPv4, parseIPv6Into } from '../address.js';
import { RtmError, RtmInternalError, fmt } from '../errors.js';
import { invalidParameter, isObject, outRef } from './args.js';
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

/** Runs `body`; an argument that cannot be read or written there (a throwing getter, a revoked proxy) is `bad`. */
function attempt<T>(body: () => T, bad: T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof RtmInternalError || err instanceof RtmError) throw err;
    return bad;
  }
}

/** True if `r` is a Ref that takes its own value back (outRef's probe, answered instead of thrown). */
function writableRef(r: unknown): boolean {
  try {
    outRef(r as Ref<unknown>, 'probe', 'Ref');
    return true;
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;
    return false;
  }
}

/** An RTM_NET_ADDRESS the macro may read: an object whose AddrBits holds at least RTM_MAX_ADDRESS_SIZE bytes. */
function isNetAddress(na: unknown): na is RTM_NET_ADDRESS {
  return attempt(() => isObject(na) && isObject(na.AddrBits) && (na.AddrBits as unknown as ArrayLike<number>).length >= RTM_MAX_ADDRESS_SIZE, false);
}

/** An RTM_NET_ADDRESS the macro may write: readable as above, and each field takes its own value back. */
function isOutNetAddress(na: unknown): na is RTM_NET_ADDRESS {
  return isNetAddress(na) && attempt(() => {
    if (Object.isFrozen(na) || Object.isFrozen(na.AddrBits)) return false;
    na.AddressFamily = na.AddressFamily;
    na.NumBits = na.NumBits;
    const b = na.AddrBits;
    for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) b[i] = b[i];
    return true;
  }, false);
}

/** The NumBits and the first four address bytes (host order) of an IPv4 RTM_NET_ADDRESS argument, or RtmError. */
function readIpv4Arg(na: unknown, op: string): { addr: number; len: number } {
  const got = isNetAddress(na) ? attempt(() => {
    const len = na.NumBits;
    return typeof len === 'number' ? { addr: readIpv4(na), len } : undefined;
  }, undefined) : undefined;
  return got ?? invalidParameter(op, 'NetAddress must be an RTM_NET_ADDRESS');
}

/** A number argument of a helper (NaN included: the helpers define it), or RtmError (a BigInt, a string or an object is never coerced). */
function numberArg(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number') invalidParameter(op, `${name} must be a number, got ${fmt(x)}`);
  return x;
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
  const n = Math.floor(numberArg(len, 'ipv4MaskFromLen', 'len'));
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
  const m = numberArg(mask, 'ipv4LenFromMask', 'mask') >>> 0;
  return m === 0 ? 0 : 1 + Math.clz32(m & -m);
}

/**
 * A new RTM_NET_ADDRESS for `addr`/`len` (AF_INET). Host bits are kept, as RTM_IPV4_MAKE_NET_ADDRESS
 * keeps them; the RTM clears them when it stores a destination. Allocates.
 * @throws RtmError ERROR_INVALID_PARAMETER for a malformed address or a length outside 0..32
 */
export function ipv4NetAddress(addr: Ipv4Input, len: number): RTM_NET_ADDRESS {
  const a = ipv4Value(addr);
  if (a < 0) invalidParameter('ipv4NetAddress', `not an IPv4 address: ${fmt(addr)}`);
  if (unsignedValue(len, 32) < 0) invalidParameter('ipv4NetAddress', `length ${fmt(len)} is not in 0..32`);
  const na = new RTM_NET_ADDRESS();
  na.AddressFamily = AF_INET;
  na.NumBits = len;
  writeIpv4(na, a);
  return na;
}

/**
 * Host-order address and length of an IPv4 RTM_NET_ADDRESS (family not checked). Allocates the result.
 * @throws RtmError ERROR_INVALID_PARAMETER if `na` is not an RTM_NET_ADDRESS
 */
export function ipv4FromNetAddress(na: RTM_NET_ADDRESS): {
  /** The IPv4 address, host order. */
  addr: number;
  /** NumBits. */
  len: number;
} {
  return readIpv4Arg(na, 'ipv4FromNetAddress');
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
  if (a < 0 || unsignedValue(Len, 0xffff) < 0 || !isOutNetAddress(NetAddress)) return false;
  NetAddress.AddressFamily = AF_INET;
  NetAddress.NumBits = Len;
  writeIpv4(NetAddress, a);
  return true;
}

/**
 * `RTM_IPV4_GET_ADDR_AND_LEN(Addr, Len, NetAddress)`: Len = NumBits, Addr = AddrBits[0..3] in host order.
 * @throws RtmError ERROR_INVALID_PARAMETER, writing nothing, if an argument is not a Ref / RTM_NET_ADDRESS
 */
export function RTM_IPV4_GET_ADDR_AND_LEN(Addr: Ref<number>, Len: Ref<number>, NetAddress: RTM_NET_ADDRESS): void {
  const op = 'RTM_IPV4_GET_ADDR_AND_LEN';
  const { addr, len } = readIpv4Arg(NetAddress, op);
  const a = outRef(Addr, op, 'Addr'), l = outRef(Len, op, 'Len');
  l.value = len;
  a.value = addr;
}

/**
 * `RTM_IPV4_SET_ADDR_AND_MASK(NetAddress, Addr, Mask)`: AddressFamily = AF_INET, AddrBits[0..3] = Addr,
 * NumBits = RTM_IPV4_LEN_FROM_MASK(Mask). Mask is host order or dotted text. Returns false, writing
 * nothing, if Addr or Mask is malformed.
 */
export function RTM_IPV4_SET_ADDR_AND_MASK(NetAddress: RTM_NET_ADDRESS, Addr: Ipv4Input, Mask: Ipv4Input): boolean {
  const a = ipv4Value(Addr), m = ipv4Value(Mask);
  if (a < 0 || m < 0 || !isOutNetAddress(NetAddress)) return false;
  NetAddress.AddressFamily = AF_INET;
  writeIpv4(NetAddress, a);
  NetAddress.NumBits = ipv4LenFromMask(m);
  return true;
}

/**
 * `RTM_IPV4_GET_ADDR_AND_MASK(Addr, Mask, NetAddress)`: host-order address and RTM_IPV4_MASK_FROM_LEN(NumBits).
 * @throws RtmError ERROR_INVALID_PARAMETER, writing nothing, if an argument is not a Ref / RTM_NET_ADDRESS
 */
export function RTM_IPV4_GET_ADDR_AND_MASK(Addr: Ref<number>, Mask: Ref<number>, NetAddress: RTM_NET_ADDRESS): void {
  const op = 'RTM_IPV4_GET_ADDR_AND_MASK';
  const { addr, len } = readIpv4Arg(NetAddress, op);
  const a = outRef(Addr, op, 'Addr'), m = outRef(Mask, op, 'Mask');
  a.value = addr;
  m.value = ipv4MaskFromLen(len);
}

/**
 * `RTM_IPV4_MASK_FROM_LEN(Len)`: the mask of a prefix length, in host order (C returns network order).
 * 0 → 0, 24 → 0xffffff00, 32 → 0xffffffff; beyond 32 (undefined in C) → 0xffffffff.
 */
export function RTM_IPV4_MASK_FROM_LEN(Len: number): number {
  return ipv4MaskFromLen(numberArg(Len, 'RTM_IPV4_MASK_FROM_LEN', 'Len'));
}

/**
 * `RTM_IPV4_LEN_FROM_MASK(Len, Mask)`: Len = prefix length of Mask (host order or dotted text), by the
 * header's algorithm, so a non-contiguous mask gives 32 − ctz(Mask). Returns false, leaving Len, if Mask
 * or Len is malformed.
 */
export function RTM_IPV4_LEN_FROM_MASK(Len: Ref<number>, Mask: Ipv4Input): boolean {
  const m = ipv4Value(Mask);
  if (m < 0 || !writableRef(Len)) return false;
  Len.value = ipv4LenFromMask(m);
  return true;
}

/**
 * `RTM_CHECK_NTH_BIT(Value, N, Len)`, the step RTM_IPV4_LEN_FROM_MASK is built from: if bit N (0..31) of
 * Value is set, Len += N and Value <<= N (32-bit, unsigned).
 * @throws RtmError ERROR_INVALID_PARAMETER, writing nothing, if Value or Len is not a Ref of a number or N is not 0..31
 */
export function RTM_CHECK_NTH_BIT(Value: Ref<number>, N: number, Len: Ref<number>): void {
  const op = 'RTM_CHECK_NTH_BIT';
  const v = outRef(Value, op, 'Value'), l = outRef(Len, op, 'Len');
  const value = numberArg(v.value, op, 'Value.value'), len = numberArg(l.value, op, 'Len.value');
  if (unsignedValue(N, 31) < 0) invalidParameter(op, `N must be 0..31, got ${fmt(N)}`);
  if ((value & (1 << N)) !== 0) {
    l.value = len + N;
    v.value = (value << N) >>> 0;
  }
}

// ── IPv6 helpers (rtmv2.h, SDK only; behaviour D-13) ─────────────────────────────────────────────
const scratchWords = new Uint32Array(4);
const scratchBytes = new Uint8Array(RTM_MAX_ADDRESS_SIZE);

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
  if (size < 0 || unsignedValue(dwLength, 8 * size) < 0 || !isOutNetAddress(pNetAddress)) return ERROR_INVALID_PARAMETER;
  const bytes = scratchBytes;
  if (typeof Address === 'string') {
    if (!parseIPv6Into(Address, scratchWords, 0)) return ERROR_INVALID_PARAMETER;
    for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) bytes[i] = i < size ? (scratchWords[i >> 2] >>> (24 - 8 * (i & 3))) & 255 : 0;
  } else {
    const read = attempt(() => {
      if (!isObject(Address) || !(Address.length >= size)) return false;
      for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) {
        const v = i < size ? Address[i] : 0;
        if (unsignedValue(v, 255) < 0) return false;
        bytes[i] = v;
      }
      return true;
    }, false);
    if (!read) return ERROR_INVALID_PARAMETER;
  }
  pNetAddress.NumBits = dwLength;
  const out = pNetAddress.AddrBits;
  for (let i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) out[i] = bytes[i];
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
  if (size < 0 || !isNetAddress(pNetAddress) || !(ArrayBuffer.isView(pAddress) && pAddress instanceof Uint8Array) || pAddress.length < 16) {
    return ERROR_INVALID_PARAMETER;
  }
  const len = attempt(() => {
    const b = pNetAddress.AddrBits;
    for (let i = 0; i < 16; i++) scratchBytes[i] = i < size ? b[i] & 255 : 0;
    outRef(pLength, 'RtmConvertNetAddressToIpv6AddressAndLength', 'pLength');
    return pNetAddress.NumBits;
  }, undefined);
  if (len === undefined) return ERROR_INVALID_PARAMETER;
  pAddress.set(scratchBytes.subarray(0, 16));
  pLength.value = len;
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
  if (status === NO_ERROR) NetAddress.AddressFamily = AF_INET6; // probed writable by the call
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
/** `pRoute.<struct>.<field>` as a number, or RtmError naming the macro. */
function routeField(pRoute: unknown, struct: string, field: string, op: string): number {
  const v = attempt(() => {
    const s = isObject(pRoute) ? pRoute[struct] : undefined;
    return isObject(s) ? s[field] : undefined;
  }, undefined);
  if (typeof v !== 'number') invalidParameter(op, `pRoute.${struct}.${field} must be a number`);
  return v;
}

/** Writes FSD_Flags of `pRoute` (read first by routeField, so the structure is there); a refused write is RtmError. */
function setFlags(pRoute: { RR_FamilySpecificData: { FSD_Flags: number } }, flags: number, op: string): void {
  const done = attempt(() => {
    const fsd = pRoute.RR_FamilySpecificData;
    if (Object.isFrozen(fsd)) return false;
    fsd.FSD_Flags = flags;
    return true;
  }, false);
  if (!done) invalidParameter(op, 'pRoute.RR_FamilySpecificData.FSD_Flags is not writable');
}

/** `ClearRouteFlags(pRoute)`: FSD_Flags = 0. */
export function ClearRouteFlags(pRoute: { RR_FamilySpecificData: IP_SPECIFIC_DATA | IPX_SPECIFIC_DATA }): void {
  routeField(pRoute, 'RR_FamilySpecificData', 'FSD_Flags', 'ClearRouteFlags');
  setFlags(pRoute, 0, 'ClearRouteFlags');
}

/** `IsRouteValid(pRoute)`: IP_VALID_ROUTE is set in FSD_Flags. */
export function IsRouteValid(pRoute: RTM_IP_ROUTE): boolean {
  return (routeField(pRoute, 'RR_FamilySpecificData', 'FSD_Flags', 'IsRouteValid') & IP_VALID_ROUTE) !== 0;
}

/** `SetRouteValid(pRoute)`: sets IP_VALID_ROUTE in FSD_Flags. */
export function SetRouteValid(pRoute: RTM_IP_ROUTE): void {
  const flags = routeField(pRoute, 'RR_FamilySpecificData', 'FSD_Flags', 'SetRouteValid');
  setFlags(pRoute, (flags | IP_VALID_ROUTE) >>> 0, 'SetRouteValid');
}

/** `ClearRouteValid(pRoute)`: clears IP_VALID_ROUTE in FSD_Flags. */
export function ClearRouteValid(pRoute: RTM_IP_ROUTE): void {
  const flags = routeField(pRoute, 'RR_FamilySpecificData', 'FSD_Flags', 'ClearRouteValid');
  setFlags(pRoute, (flags & ~IP_VALID_ROUTE) >>> 0, 'ClearRouteValid');
}

/** `IsRouteNonUnicast(pRoute)`: the network's first octet is ≥ 224 (class D and E). */
export function IsRouteNonUnicast(pRoute: RTM_IP_ROUTE): boolean {
  return routeField(pRoute, 'RR_Network', 'N_NetNumber', 'IsRouteNonUnicast') >>> 24 >= 224;
}

/** `IsRouteLoopback(pRoute)`: the network's first octet is 127, or the next hop is 127.0.0.1. */
export function IsRouteLoopback(pRoute: RTM_IP_ROUTE): boolean {
  const net = routeField(pRoute, 'RR_Network', 'N_NetNumber', 'IsRouteLoopback');
  const hop = routeField(pRoute, 'RR_NextHopAddress', 'N_NetNumber', 'IsRouteLoopback');
  return net >>> 24 === 127 || hop >>> 0 === 0x7f000001;
}
