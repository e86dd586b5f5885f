// The address macros and helpers of the Win32 layer: conformance scenario 31 (RTMv2-SPEC §13), the
// header's RTM_IPV4_LEN_FROM_MASK algorithm (checked against a literal transcription of it), host-order
// IPv4 numbers, bad input (no throw, nothing written), the IPv6 helpers with the D-13 errors, the RTMv1
// route macros, Ref, and the RTM_ENTITY_ID bigint view.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as W from '../../src/win32/index.js';

/** RTM_IPV4_LEN_FROM_MASK as the header spells it, on a host-order mask: the test oracle. */
function headerLenFromMask(mask: number): number {
  let t = mask >>> 0, len = 0;
  for (const n of [16, 8, 4]) if (t & (1 << n)) { len += n; t = (t << n) >>> 0; }
  while (t !== 0) { len += 1; t = (t << 1) >>> 0; }
  return len;
}

/** Seeded xorshift32, for reproducible random masks. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function bytes(na: W.RTM_NET_ADDRESS): number[] {
  return Array.from(na.AddrBits);
}

describe('scenario 31: address helpers', () => {
  it('ipv4LenFromMask(0xFFFFFF00) = 24', () => {
    expect(W.ipv4LenFromMask(0xffffff00)).toBe(24);
  });

  it('ipv4MaskFromLen(0) = 0 and ipv4MaskFromLen(32) = 0xFFFFFFFF', () => {
    expect(W.ipv4MaskFromLen(0)).toBe(0);
    expect(W.ipv4MaskFromLen(32)).toBe(0xffffffff);
    expect(W.RTM_IPV4_MASK_FROM_LEN(0)).toBe(0);
    expect(W.RTM_IPV4_MASK_FROM_LEN(32)).toBe(0xffffffff);
  });

  it('RTM_IPV4_SET_ADDR_AND_LEN then RTM_IPV4_GET_ADDR_AND_LEN round-trips', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV4_SET_ADDR_AND_LEN(na, 0x0a0a0a0a, 24)).toBe(true);
    const addr = W.ref(0), len = W.ref(0);
    W.RTM_IPV4_GET_ADDR_AND_LEN(addr, len, na);
    expect(addr.value).toBe(0x0a0a0a0a);
    expect(len.value).toBe(24);
  });

  it('maps every length 0..32 to its mask and back', () => {
    for (let n = 0; n <= 32; n++) {
      const m = W.ipv4MaskFromLen(n);
      expect(m, `len ${n}`).toBe(n === 0 ? 0 : Number((0xffffffffn << BigInt(32 - n)) & 0xffffffffn));
      expect(W.ipv4LenFromMask(m), `len ${n}`).toBe(n);
      const len = W.ref(-1);
      expect(W.RTM_IPV4_LEN_FROM_MASK(len, m)).toBe(true);
      expect(len.value, `len ${n}`).toBe(n);
    }
  });
});

describe('RTM_IPV4_LEN_FROM_MASK', () => {
  it('gives 0xFFF00000 → 12, 0xFFFFFFFF → 32, 0 → 0, and takes dotted text', () => {
    const len = W.ref(-1);
    W.RTM_IPV4_LEN_FROM_MASK(len, 0xfff00000); expect(len.value).toBe(12);
    W.RTM_IPV4_LEN_FROM_MASK(len, 0xffffffff); expect(len.value).toBe(32);
    W.RTM_IPV4_LEN_FROM_MASK(len, 0); expect(len.value).toBe(0);
    W.RTM_IPV4_LEN_FROM_MASK(len, '255.255.255.0'); expect(len.value).toBe(24);
    W.RTM_IPV4_LEN_FROM_MASK(len, '255.255.255.255'); expect(len.value).toBe(32); // D-12: not 24
  });

  it('reads a non-contiguous mask as 32 − ctz, unvalidated, as the header does', () => {
    const cases: [number, number][] = [[0xff00ff00, 24], [0x00000100, 24], [0x80000001, 32], [0x0f000000, 8],
      [0x80000000, 1], [0x00010000, 16], [0xfffffffe, 31], [0x00000001, 32], [0x00ff0000, 16]];
    for (const [mask, want] of cases) {
      expect(W.ipv4LenFromMask(mask), mask.toString(16)).toBe(want);
      expect(headerLenFromMask(mask), mask.toString(16)).toBe(want);
    }
  });

  it('agrees with the header algorithm on 100k seeded masks, contiguous or not', () => {
    const rnd = xorshift(31);
    for (let i = 0; i < 100_000; i++) {
      const mask = i % 2 ? rnd() : (rnd() << (rnd() & 31)) >>> 0; // half with trailing zeros
      const len = W.ref(0);
      W.RTM_IPV4_LEN_FROM_MASK(len, mask);
      if (len.value !== headerLenFromMask(mask)) expect(len.value, `seed 31, i ${i}, mask ${mask.toString(16)}`).toBe(headerLenFromMask(mask));
    }
  });

  it('accepts the int32 result of JS bit operations (0xFFFFFF00 | 0 is -256)', () => {
    const len = W.ref(0);
    expect(W.RTM_IPV4_LEN_FROM_MASK(len, 0xffffff00 | 0)).toBe(true);
    expect(len.value).toBe(24);
  });

  it('leaves Len and returns false for a malformed mask', () => {
    const len = W.ref(7);
    for (const bad of ['255.255.255', '255.255.255.0/24', 'x', 2 ** 32, -(2 ** 31) - 1, 1.5, Number.NaN]) {
      expect(W.RTM_IPV4_LEN_FROM_MASK(len, bad), String(bad)).toBe(false);
      expect(len.value).toBe(7);
    }
  });
});

describe('RTM_CHECK_NTH_BIT', () => {
  it('adds N to Len and shifts Value left by N when bit N is set, else does nothing', () => {
    const value = W.ref(0xffffff00), len = W.ref(0);
    W.RTM_CHECK_NTH_BIT(value, 16, len);
    expect([value.value, len.value]).toEqual([0xff000000, 16]);
    W.RTM_CHECK_NTH_BIT(value, 8, len);
    expect([value.value, len.value]).toEqual([0xff000000, 16]);
    const v2 = W.ref(0x80000000), l2 = W.ref(3);
    W.RTM_CHECK_NTH_BIT(v2, 31, l2);
    expect([v2.value, l2.value]).toEqual([0, 34]);
  });
});

describe('RTM_IPV4_MASK_FROM_LEN', () => {
  it('returns host-order masks (24 → 0xFFFFFF00, D-12: not 255.255.255.255)', () => {
    expect(W.RTM_IPV4_MASK_FROM_LEN(24)).toBe(0xffffff00);
    expect(W.RTM_IPV4_MASK_FROM_LEN(12)).toBe(0xfff00000);
    expect(W.RTM_IPV4_MASK_FROM_LEN(1)).toBe(0x80000000);
  });
  it('clamps lengths C leaves undefined', () => {
    expect(W.ipv4MaskFromLen(33)).toBe(0xffffffff);
    expect(W.ipv4MaskFromLen(-1)).toBe(0);
    expect(W.ipv4MaskFromLen(Number.NaN)).toBe(0);
  });
});

describe('IPv4 macros', () => {
  it('read a number as written: 0x0a000001 is 10.0.0.1, stored as AddrBits 0a 00 00 01', () => {
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_MAKE_NET_ADDRESS(na, 0x0a000001, 32);
    expect(na.AddressFamily).toBe(W.AF_INET);
    expect(na.NumBits).toBe(32);
    expect(bytes(na)).toEqual([10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('take dotted text and give the same bytes', () => {
    const a = new W.RTM_NET_ADDRESS(), b = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_MAKE_NET_ADDRESS(a, '192.168.1.0', 24);
    W.RTM_IPV4_MAKE_NET_ADDRESS(b, 0xc0a80100, 24);
    expect(a).toEqual(b);
    expect(bytes(a).slice(0, 4)).toEqual([192, 168, 1, 0]);
  });

  it('GET returns host order, unsigned, for addresses with the top bit set', () => {
    const na = new W.RTM_NET_ADDRESS(), addr = W.ref(0), len = W.ref(0);
    W.RTM_IPV4_SET_ADDR_AND_LEN(na, '255.255.255.254', 31);
    W.RTM_IPV4_GET_ADDR_AND_LEN(addr, len, na);
    expect(addr.value).toBe(0xfffffffe);
    expect(len.value).toBe(31);
  });

  it('keep host bits and leave bytes 4..15 as they are, like the C macros', () => {
    const na = new W.RTM_NET_ADDRESS();
    na.AddrBits.fill(0xee);
    W.RTM_IPV4_SET_ADDR_AND_LEN(na, '10.10.10.10', 24);
    expect(bytes(na)).toEqual([10, 10, 10, 10, ...new Array(12).fill(0xee)]);
  });

  it('SET_ADDR_AND_MASK then GET_ADDR_AND_MASK round-trips', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV4_SET_ADDR_AND_MASK(na, '10.1.0.0', '255.255.0.0')).toBe(true);
    expect(na).toMatchObject({ AddressFamily: W.AF_INET, NumBits: 16 });
    const addr = W.ref(0), mask = W.ref(0);
    W.RTM_IPV4_GET_ADDR_AND_MASK(addr, mask, na);
    expect([addr.value, mask.value]).toEqual([0x0a010000, 0xffff0000]);
    W.RTM_IPV4_SET_ADDR_AND_MASK(na, 0x0a000000, 0xfff00000);
    expect(na.NumBits).toBe(12);
  });

  it('write nothing and return false for malformed input', () => {
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV4_MAKE_NET_ADDRESS(na, '10.0.0.1', 32);
    const before = structuredClone(na);
    const badAddrs: W.Ipv4Input[] = ['10.0.0', '10.0.0.256', '10.0.0.1/8', '::1', '', 2 ** 32, -(2 ** 31) - 1, 0.5];
    for (const bad of badAddrs) {
      expect(W.RTM_IPV4_SET_ADDR_AND_LEN(na, bad, 8), String(bad)).toBe(false);
      expect(W.RTM_IPV4_MAKE_NET_ADDRESS(na, bad, 8), String(bad)).toBe(false);
      expect(W.RTM_IPV4_SET_ADDR_AND_MASK(na, bad, 0xff000000), String(bad)).toBe(false);
      expect(W.RTM_IPV4_SET_ADDR_AND_MASK(na, '10.0.0.0', bad), String(bad)).toBe(false);
    }
    for (const badLen of [-1, 1.5, 0x10000, Number.NaN]) {
      expect(W.RTM_IPV4_SET_ADDR_AND_LEN(na, '10.0.0.0', badLen), String(badLen)).toBe(false);
    }
    expect(na).toEqual(before);
  });

  it('store a length above 32 unchecked, as the C macro does (the RTM functions reject it)', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV4_SET_ADDR_AND_LEN(na, '10.0.0.0', 40)).toBe(true);
    expect(na.NumBits).toBe(40);
  });
});

describe('ipv4NetAddress / ipv4FromNetAddress', () => {
  it('build and read an AF_INET address in host order', () => {
    const na = W.ipv4NetAddress(0x0a0a0a0a, 24);
    expect(na).toBeInstanceOf(W.RTM_NET_ADDRESS);
    expect(na).toMatchObject({ AddressFamily: W.AF_INET, NumBits: 24 });
    expect(bytes(na).slice(0, 4)).toEqual([10, 10, 10, 10]);
    expect(W.ipv4FromNetAddress(na)).toEqual({ addr: 0x0a0a0a0a, len: 24 });
    expect(W.ipv4FromNetAddress(W.ipv4NetAddress('224.0.0.5', 32))).toEqual({ addr: 0xe0000005, len: 32 });
  });
  it('throw RtmError for a malformed address or a length outside 0..32', () => {
    // RtmError ERROR_INVALID_PARAMETER since issue 12 (they threw TypeError / RangeError before)
    expect(() => W.ipv4NetAddress('10.0.0', 8)).toThrow(expect.objectContaining({ name: 'RtmError', code: 'ERROR_INVALID_PARAMETER' }));
    expect(() => W.ipv4NetAddress(0, 33)).toThrow(expect.objectContaining({ name: 'RtmError', code: 'ERROR_INVALID_PARAMETER' }));
    expect(() => W.ipv4NetAddress(0, -1)).toThrow(expect.objectContaining({ name: 'RtmError', code: 'ERROR_INVALID_PARAMETER' }));
  });
});

describe('IPv6 helpers (D-13)', () => {
  const db8 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

  it('RTM_IPV6_SET_ADDR_AND_LEN sets AF_INET6, NumBits and all 16 bytes from text', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV6_SET_ADDR_AND_LEN(na, '2001:db8::1', 64)).toBe(W.NO_ERROR);
    expect(na).toMatchObject({ AddressFamily: W.AF_INET6, NumBits: 64 });
    expect(bytes(na)).toEqual(db8);
  });

  it('RTM_IPV6_MAKE_NET_ADDRESS takes a byte array and GET round-trips it', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV6_MAKE_NET_ADDRESS(na, Uint8Array.from(db8), 128)).toBe(W.NO_ERROR);
    const addr = new Uint8Array(16), len = W.ref(0);
    expect(W.RTM_IPV6_GET_ADDR_AND_LEN(addr, len, na)).toBe(W.NO_ERROR);
    expect(Array.from(addr)).toEqual(db8);
    expect(len.value).toBe(128);
  });

  it('RtmConvertIpv6AddressAndLengthToNetAddress copies dwAddressSize bytes, zeroes the rest, leaves the family', () => {
    const na = new W.RTM_NET_ADDRESS();
    na.AddressFamily = 99;
    na.AddrBits.fill(0xee);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, db8, 32, 4)).toBe(W.NO_ERROR);
    expect(na.AddressFamily).toBe(99);
    expect(na.NumBits).toBe(32);
    expect(bytes(na)).toEqual([0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)]);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, 'ff02::5', 0, 0)).toBe(W.NO_ERROR);
    expect(bytes(na)).toEqual(new Array(16).fill(0));
  });

  it('RtmConvertIpv6AddressAndLengthToNetAddress: address size > 16 or length > 8 × size → ERROR_INVALID_PARAMETER, nothing written', () => {
    const na = new W.RTM_NET_ADDRESS();
    const before = structuredClone(na);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, db8, 64, 17)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, db8, 129, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, db8, 33, 4)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, db8, -1, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, 'not:an:address', 64, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, '2001:db8::/32', 32, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, [1, 2, 3], 8, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertIpv6AddressAndLengthToNetAddress(na, [256, ...db8.slice(1)], 8, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(na).toEqual(before);
  });

  it('RTM_IPV6_SET_ADDR_AND_LEN with a bad length writes nothing, not even the family', () => {
    const na = new W.RTM_NET_ADDRESS();
    expect(W.RTM_IPV6_SET_ADDR_AND_LEN(na, '2001:db8::', 129)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RTM_IPV6_SET_ADDR_AND_LEN(na, '2001:db8:::', 32)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(na).toEqual(new W.RTM_NET_ADDRESS());
  });

  it('RtmConvertNetAddressToIpv6AddressAndLength copies dwAddressSize bytes and zero-fills to 16; size > 16 fails', () => {
    const na = new W.RTM_NET_ADDRESS();
    W.RTM_IPV6_SET_ADDR_AND_LEN(na, '2001:db8::1', 48);
    const addr = new Uint8Array(16).fill(0xee), len = W.ref(0);
    expect(W.RtmConvertNetAddressToIpv6AddressAndLength(na, addr, len, 2)).toBe(W.NO_ERROR);
    expect(Array.from(addr)).toEqual([0x20, 0x01, ...new Array(14).fill(0)]);
    expect(len.value).toBe(48);
    const untouched = new Uint8Array(16).fill(7), len2 = W.ref(5);
    expect(W.RtmConvertNetAddressToIpv6AddressAndLength(na, untouched, len2, 17)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(W.RtmConvertNetAddressToIpv6AddressAndLength(na, new Uint8Array(8), len2, 16)).toBe(W.ERROR_INVALID_PARAMETER);
    expect(Array.from(untouched)).toEqual(new Array(16).fill(7));
    expect(len2.value).toBe(5);
  });

  it('RtmConvertNetAddressToIpv6AddressAndLength does not check the family (an IPv4 address reads out)', () => {
    const na = W.ipv4NetAddress('10.1.2.3', 32);
    const addr = new Uint8Array(16), len = W.ref(0);
    expect(W.RTM_IPV6_GET_ADDR_AND_LEN(addr, len, na)).toBe(W.NO_ERROR);
    expect(Array.from(addr.subarray(0, 4))).toEqual([10, 1, 2, 3]);
    expect(len.value).toBe(32);
  });
});

describe('RTMv1 route macros', () => {
  it('set, test and clear IP_VALID_ROUTE, and clear all flags', () => {
    const r = new W.RTM_IP_ROUTE();
    expect(W.IsRouteValid(r)).toBe(false);
    r.RR_FamilySpecificData.FSD_Flags = 0x80000000;
    W.SetRouteValid(r);
    expect(W.IsRouteValid(r)).toBe(true);
    expect(r.RR_FamilySpecificData.FSD_Flags).toBe(0x80000001);
    W.ClearRouteValid(r);
    expect(W.IsRouteValid(r)).toBe(false);
    expect(r.RR_FamilySpecificData.FSD_Flags).toBe(0x80000000);
    W.ClearRouteFlags(r);
    expect(r.RR_FamilySpecificData.FSD_Flags).toBe(0);
    const x = new W.RTM_IPX_ROUTE();
    x.RR_FamilySpecificData.FSD_Flags = W.IPX_GLOBAL_CLIENT_WAN_ROUTE;
    W.ClearRouteFlags(x);
    expect(x.RR_FamilySpecificData.FSD_Flags).toBe(0);
  });

  it('classify non-unicast (first octet ≥ 224) and loopback networks, host order', () => {
    const r = new W.RTM_IP_ROUTE();
    r.RR_Network.N_NetNumber = 0xe0000000; // 224.0.0.0
    expect(W.IsRouteNonUnicast(r)).toBe(true);
    r.RR_Network.N_NetNumber = 0xdf000000; // 223.0.0.0
    expect(W.IsRouteNonUnicast(r)).toBe(false);
    expect(W.IsRouteLoopback(r)).toBe(false);
    r.RR_Network.N_NetNumber = 0x7f000000; // 127.0.0.0
    expect(W.IsRouteLoopback(r)).toBe(true);
    r.RR_Network.N_NetNumber = 0x0a000000;
    r.RR_NextHopAddress.N_NetNumber = 0x7f000001; // 127.0.0.1
    expect(W.IsRouteLoopback(r)).toBe(true);
  });
});

describe('ref', () => {
  it('holds a value, and a NULL handle ref is typed number | null', () => {
    const flags = W.ref(0);
    expectTypeOf(flags).toEqualTypeOf<W.Ref<number>>();
    const handle = W.ref<W.RTM_ROUTE_HANDLE>(null);
    expectTypeOf(handle).toEqualTypeOf<W.Ref<number | null>>();
    expect(handle).toEqual({ value: null });
    handle.value = 5;
    expect(handle.value).toBe(5);
  });
});

describe('RTM_ENTITY_ID.EntityId', () => {
  it('is EntityProtocolId | EntityInstanceId << 32 as a bigint', () => {
    const id = new W.RTM_ENTITY_ID();
    id.EntityProtocolId = W.PROTO_IP_RIP;
    id.EntityInstanceId = W.PROTOCOL_ID(W.PROTO_TYPE_UCAST, 0xffff, W.PROTO_IP_RIP);
    expect(id.EntityId).toBe(0x3fff0008_00000008n);
    id.EntityInstanceId = 0xffffffff;
    id.EntityProtocolId = 0xffffffff;
    expect(id.EntityId).toBe(0xffffffff_ffffffffn);
  });

  it('sets both halves from a bigint, keeping the low 64 bits', () => {
    const id = new W.RTM_ENTITY_ID();
    id.EntityId = 0x00000001_0000000dn;
    expect([id.EntityProtocolId, id.EntityInstanceId]).toEqual([13, 1]);
    id.EntityId = (1n << 64n) | 0x80000000_00000002n;
    expect([id.EntityProtocolId, id.EntityInstanceId]).toEqual([2, 0x80000000]);
    id.EntityId = -1n;
    expect([id.EntityProtocolId, id.EntityInstanceId]).toEqual([0xffffffff, 0xffffffff]);
    const info = new W.RTM_ENTITY_INFO();
    info.EntityId.EntityId = 42n;
    expect(info.EntityId.EntityProtocolId).toBe(42);
  });
});
