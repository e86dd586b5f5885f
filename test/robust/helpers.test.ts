// Robustness of the plain helper functions both entries export (issue 12): the C macros and port helpers of
// rtm-wasm/win32, the protocol-id and size macros, and the address parsers/formatters of rtm-wasm. Each is
// called with a valid argument list, then with each argument replaced by each hostile value: it returns, or
// it throws an RtmError — never a TypeError or the caller's own exception — and a call that throws writes
// none of its outputs.
import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import * as W from '../../src/win32/index.js';
import * as M from '../../src/index.js';

const boom = (): never => { throw new Error('hostile getter'); };
const trap = (): object => new Proxy({}, { get: boom, set: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, defineProperty: boom });
const revoked = (): object => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };
/** A Ref whose setter throws, and one frozen. */
const badRef = (): object => ({ get value() { return 0; }, set value(_: unknown) { throw new Error('hostile setter'); } });

function hostile(): [string, unknown][] {
  return [
    ['null', null], ['undefined', undefined], ['-1', -1], ['1.5', 1.5], ['NaN', NaN], ['2**32', 2 ** 32], ['Infinity', Infinity],
    ['"abc"', 'abc'], ['1n', 1n], ['symbol', Symbol('s')], ['true', true], ['{}', {}], ['[]', []], ['frozen {}', Object.freeze({})],
    ['null-proto', Object.create(null)], ['toString throws', { toString: boom, valueOf: boom }], ['function', () => 1],
    ['trap proxy', trap()], ['revoked proxy', revoked()], ['sparse array', new Array(5)], ['Uint32Array', new Uint32Array(2)],
    ['throwing Ref', badRef()], ['frozen Ref', Object.freeze({ value: 0 })], ['frozen net address', Object.freeze(W.ipv4NetAddress('10.0.0.0', 8))],
    ['net address with frozen bytes', Object.assign(new W.RTM_NET_ADDRESS(), { AddrBits: Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]) })],
    ['frozen route', Object.freeze(Object.assign(new W.RTM_IP_ROUTE(), { RR_FamilySpecificData: Object.freeze(new W.IP_SPECIFIC_DATA()) }))],
  ];
}

const na4 = (): W.RTM_NET_ADDRESS => W.ipv4NetAddress('10.1.0.0', 16);
const na6 = (): W.RTM_NET_ADDRESS => { const na = new W.RTM_NET_ADDRESS(); W.RTM_IPV6_SET_ADDR_AND_LEN(na, '2001:db8::', 32); return na; };
const route = (): W.RTM_IP_ROUTE => new W.RTM_IP_ROUTE();

/** A valid argument list for every helper; the test checks that the table names every exported helper. */
const VALID: Record<string, () => unknown[]> = {
  ClearRouteFlags: () => [route()], ClearRouteValid: () => [route()], SetRouteValid: () => [route()],
  IsRouteValid: () => [route()], IsRouteLoopback: () => [route()], IsRouteNonUnicast: () => [route()],
  PROTOCOL_ID: () => [1, 0x137, 8], TYPE_FROM_PROTO_ID: () => [0x40000008], VENDOR_FROM_PROTO_ID: () => [0x01370008], PROTO_FROM_PROTO_ID: () => [8],
  RTM_CHECK_NTH_BIT: () => [W.ref(0xffff0000), 16, W.ref(0)],
  RTM_IPV4_GET_ADDR_AND_LEN: () => [W.ref(0), W.ref(0), na4()], RTM_IPV4_GET_ADDR_AND_MASK: () => [W.ref(0), W.ref(0), na4()],
  RTM_IPV4_LEN_FROM_MASK: () => [W.ref(0), 0xffff0000], RTM_IPV4_MASK_FROM_LEN: () => [16],
  RTM_IPV4_MAKE_NET_ADDRESS: () => [new W.RTM_NET_ADDRESS(), '10.0.0.0', 8], RTM_IPV4_SET_ADDR_AND_LEN: () => [new W.RTM_NET_ADDRESS(), 0x0a000000, 8],
  RTM_IPV4_SET_ADDR_AND_MASK: () => [new W.RTM_NET_ADDRESS(), '10.0.0.0', '255.0.0.0'],
  RTM_IPV6_GET_ADDR_AND_LEN: () => [new Uint8Array(16), W.ref(0), na6()],
  RTM_IPV6_MAKE_NET_ADDRESS: () => [new W.RTM_NET_ADDRESS(), '2001:db8::', 32], RTM_IPV6_SET_ADDR_AND_LEN: () => [new W.RTM_NET_ADDRESS(), [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 32],
  RtmConvertIpv6AddressAndLengthToNetAddress: () => [new W.RTM_NET_ADDRESS(), '2001:db8::', 32, 16],
  RtmConvertNetAddressToIpv6AddressAndLength: () => [na6(), new Uint8Array(16), W.ref(0), 16],
  RTM_SIZE_OF_DEST_INFO: () => [2], RTM_SIZE_OF_ROUTE_INFO: () => [3],
  ipv4FromNetAddress: () => [na4()], ipv4LenFromMask: () => [0xffffff00], ipv4MaskFromLen: () => [24], ipv4NetAddress: () => ['10.0.0.0', 8],
  ref: () => [0],
  formatIPv4: () => [0x0a000001], formatIPv6: () => [new Uint32Array([0x20010db8, 0, 0, 1])], formatPrefix: () => [4, new Uint32Array([0x0a000000]), 0, 8],
  maskWords: () => [new Uint32Array(4), 0, 24], parseIPv4: () => ['10.0.0.1'], parseIPv6Into: () => ['2001:db8::1', new Uint32Array(4)],
  parsePrefixInto: () => ['10.0.0.0/8', 0, new Uint32Array(4)], statusName: () => [87],
};
/** Helpers this test leaves to others: I/O (test/readers), the instance set-up of the Win32 layer (test/robust/hostile). */
const ELSEWHERE = new Set(['initialize', 'openTable', 'openUpdates', 'readAll', 'defaultTablePath']);
const API = /^(Rtm[A-Z]|rtmInstance$|configureInstance$|GetLastError$|SetLastError$|initializeSync$)/;
const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

function helpers(): [string, (...a: unknown[]) => unknown][] {
  const out = new Map<string, (...a: unknown[]) => unknown>();
  for (const mod of [W, M] as Record<string, unknown>[]) {
    for (const [name, f] of Object.entries(mod)) {
      if (typeof f !== 'function' || isClass(f) || ELSEWHERE.has(name)) continue;
      if (API.test(name) && !/^RtmConvert/.test(name)) continue;
      out.set(name, f as (...a: unknown[]) => unknown);
    }
  }
  return [...out];
}

/** What a call can write: its argument objects, deeply (Refs, structs, arrays). */
function snapshot(args: unknown[]): unknown {
  return args.map((a) => {
    try {
      return a !== null && typeof a === 'object' && !(a instanceof Uint32Array && a.length === 2) ? structuredClone(a) : a;
    } catch {
      return 'unreadable';
    }
  });
}

describe('robustness: the exported helper functions with hostile arguments', () => {
  it('has a valid argument list for every exported helper', () => {
    expect(helpers().map(([n]) => n).filter((n) => !(n in VALID))).toEqual([]);
  });

  it('returns or throws an RtmError, and writes nothing when it throws', () => {
    const failures: string[] = [];
    let calls = 0;
    for (const [name, f] of helpers()) {
      const make = VALID[name];
      expect(() => f(...make()), `${name} with valid arguments`).not.toThrow();
      for (let i = 0; i < Math.max(make().length, 1); i++) {
        for (const [label, v] of hostile()) {
          const args = make();
          args[i] = v;
          const before = snapshot(args);
          calls++;
          try {
            f(...args);
          } catch (err) {
            if (!(err instanceof M.RtmError)) failures.push(`${name}(arg ${i} = ${label}) threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
            else if (err.code !== 'ERROR_INVALID_PARAMETER') failures.push(`${name}(arg ${i} = ${label}) threw ${err.code}`);
            else if (!isDeepStrictEqual(snapshot(args), before)) failures.push(`${name}(arg ${i} = ${label}) threw after writing an output`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(1000);
  });

  it('keeps the C results for valid arguments', () => {
    expect(W.PROTOCOL_ID(W.PROTO_TYPE_UCAST, W.PROTO_VENDOR_MS0, W.PROTO_IP_RIP)).toBe(W.PROTO_IP_RIP);
    expect(W.RTM_SIZE_OF_ROUTE_INFO(2)).toBe(W.RTM_SIZE_OF_ROUTE_INFO(0) + 16);
    const addr = W.ref(0), len = W.ref(0);
    W.RTM_IPV4_GET_ADDR_AND_LEN(addr, len, na4());
    expect([addr.value, len.value]).toEqual([0x0a010000, 16]);
    const r = route();
    W.SetRouteValid(r);
    expect(W.IsRouteValid(r)).toBe(true);
    W.ClearRouteValid(r);
    expect(W.IsRouteValid(r)).toBe(false);
    const v = W.ref(0xffff0000), n = W.ref(0);
    W.RTM_CHECK_NTH_BIT(v, 16, n);
    expect([v.value, n.value]).toEqual([0, 16]);
  });

  it('names the macro and the argument in the error', () => {
    expect(() => W.RTM_IPV4_GET_ADDR_AND_LEN(W.ref(0), W.ref(0), null as never)).toThrow(/RTM_IPV4_GET_ADDR_AND_LEN.*NetAddress/);
    expect(() => W.PROTOCOL_ID(1n as never, 0, 0)).toThrow(/PROTOCOL_ID.*Type.*1n/);
    expect(() => W.IsRouteValid(undefined as never)).toThrow(/IsRouteValid.*FSD_Flags/);
  });
});

describe('a macro with a result reports bad input there', () => {
  it('RTM_IPV4_LEN_FROM_MASK returns false, writing nothing, for a Len it cannot write', () => {
    const frozen = Object.freeze({ value: 3 });
    expect(W.RTM_IPV4_LEN_FROM_MASK(frozen as never, 0xffffff00)).toBe(false);
    expect(W.RTM_IPV4_LEN_FROM_MASK(null as never, 0xffffff00)).toBe(false);
    expect(frozen.value).toBe(3);
    const len = W.ref(0);
    expect(W.RTM_IPV4_LEN_FROM_MASK(len, 0xffffff00)).toBe(true);
    expect(len.value).toBe(24);
  });
});
