// MRT (RFC 6396) records built byte by byte here: PEER_INDEX_TABLE, RIB entries (IPv4/IPv6, multicast,
// ADDPATH), TABLE_DUMP v1, attributes (extended length, MP_REACH_NLRI in both forms, AS_SET), skipped
// types, malformed and truncated records (offsets, rollback under skipBad) and chunk splits at every offset.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPrefix, parseIPv4, parseIPv6Into } from '../../src/address.js';
import { TableFormatError, openTable, readAll, ribPreference, type RouteBatch, type TableOptions } from '../../src/readers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rtm-mrt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ── byte builders ──────────────────────────────────────────────────────────────────────────────────────
const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array => {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const be16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const v4 = (s: string): number[] => be32(parseIPv4(s));
const v6 = (s: string): number[] => {
  const w = new Uint32Array(4);
  if (!parseIPv6Into(s, w)) throw new Error(s);
  return [...w].flatMap(be32);
};
/** A record: common header (timestamp, type, subtype, length) + body. */
const record = (type: number, subtype: number, body: Uint8Array, lengthDelta = 0): Uint8Array =>
  bytes(be32(1401487200), be16(type), be16(subtype), be32(body.length + lengthDelta), body);

interface Peer { bgpId: string; address: string; asn: number; as2?: boolean }
const peerIndexTable = (peers: Peer[]): Uint8Array => record(13, 1, bytes(v4('196.223.14.80'), be16(4), [118, 105, 101, 119],
  be16(peers.length), ...peers.map((p) => {
    const isV6 = p.address.includes(':');
    return bytes([(isV6 ? 1 : 0) | (p.as2 ? 0 : 2)], v4(p.bgpId), isV6 ? v6(p.address) : v4(p.address), p.as2 ? be16(p.asn) : be32(p.asn));
  })));

/** A path attribute; `extended` sets the extended-length flag (0x10) and a 2-byte length. */
const attr = (type: number, value: number[] | Uint8Array, extended = false): Uint8Array =>
  extended ? bytes([0x50, type], be16(value.length), value) : bytes([0x40, type, value.length], value);
const origin = attr(1, [0]);
/** AS_PATH from segments [type, asns]: type 2 AS_SEQUENCE, 1 AS_SET. */
const asPath = (segments: [number, number[]][], asnBytes = 4, extended = false): Uint8Array =>
  attr(2, bytes(...segments.map(([t, asns]) => bytes([t, asns.length], ...asns.map((a) => (asnBytes === 4 ? be32(a) : be16(a)))))), extended);
const nextHop = (a: string): Uint8Array => attr(3, v4(a));
const med = (m: number): Uint8Array => attr(4, be32(m));
const localPref = (p: number): Uint8Array => attr(5, be32(p));
/** MP_REACH_NLRI as collectors write it: AFI 2, SAFI 1, next-hop length, next hop(s), reserved, NLRI. */
const mpReachFull = (nhs: string[], nlri: number[]): Uint8Array => {
  const nh = nhs.flatMap(v6);
  return attr(14, bytes(be16(2), [1, nh.length], nh, [0], nlri));
};
/** MP_REACH_NLRI in RFC 6396 §4.3.4's abbreviated form: next-hop length, next hop. */
const mpReachShort = (nhs: string[]): Uint8Array => {
  const nh = nhs.flatMap(v6);
  return attr(14, bytes([nh.length], nh));
};
const prefixBytes = (prefix: string): number[] => {
  const [addr, lenText] = prefix.split('/');
  const len = Number(lenText);
  return [len, ...(addr.includes(':') ? v6(addr) : v4(addr)).slice(0, (len + 7) >> 3)];
};
interface Entry { peer: number; attrs: Uint8Array[]; pathId?: number }
/** A TABLE_DUMP_V2 RIB record (subtype 2–5, or 8–11 with path ids). */
const rib = (subtype: number, seq: number, prefix: string, entries: Entry[]): Uint8Array =>
  record(13, subtype, bytes(be32(seq), prefixBytes(prefix), be16(entries.length), ...entries.map((e) => {
    const a = bytes(...e.attrs);
    return bytes(be16(e.peer), be32(1401000000), subtype >= 8 ? be32(e.pathId ?? 0) : [], be16(a.length), a);
  })));

// ── reading helpers ────────────────────────────────────────────────────────────────────────────────────
function rows(b: RouteBatch): string[] {
  const out: string[] = [];
  for (let i = 0; i < b.count; i++) {
    const nh = b.hasNextHop[i] ? ` nh=${formatPrefix(b.family, b.nextHops, i * 4, 0).slice(0, -2)}` : '';
    out.push(`${formatPrefix(b.family, b.keys, i * 4, b.lens[i])} peer=${b.sources[i]}${nh} med=${b.metrics[i]} pref=${b.preferences[i].toString(16)} view=${b.views[i]} if=${b.ifIndex[i]}`);
  }
  return out;
}
async function read(input: Parameters<typeof readAll>[0], options: TableOptions = {}) {
  const { v4: b4, v6: b6, info } = await readAll(input, options);
  return { v4: rows(b4), v6: rows(b6), info };
}
const pref = (lp: number, pathLen: number): string => ribPreference(lp, pathLen).toString(16);

const PEERS: Peer[] = [
  { bgpId: '196.223.14.55', address: '196.223.14.55', asn: 30844 },
  { bgpId: '10.0.0.2', address: '2001:db8::2', asn: 4200000001 },
  { bgpId: '10.0.0.3', address: '192.0.2.3', asn: 64512, as2: true },
];
const RIB_V4 = rib(2, 0, '1.0.0.0/24', [
  { peer: 0, attrs: [origin, asPath([[2, [30844, 15169]]]), nextHop('196.223.14.55')] },
  { peer: 2, attrs: [origin, asPath([[2, [64512, 174]], [1, [1, 2, 3]]]), nextHop('192.0.2.3'), med(50), localPref(200)] },
]);
const RIB_V6 = rib(4, 1, '2001:4200::/32', [
  { peer: 1, attrs: [origin, asPath([[2, [6968, 36937, 2018]]]), mpReachFull(['2001:db8::2', 'fe80::2'], prefixBytes('2001:4200::/32'))] },
  { peer: 0, attrs: [origin, asPath([[2, [37105, 2018]]], 4, true), mpReachShort(['2001:db8::9'])] },
]);
const BGP4MP = record(16, 4, new Uint8Array(40));
const SAMPLE = bytes(peerIndexTable(PEERS), RIB_V4, BGP4MP, RIB_V6,
  rib(3, 2, '224.0.0.0/4', [{ peer: 0, attrs: [asPath([[2, [30844]]]), nextHop('196.223.14.55')] }]),
  rib(2, 3, '0.0.0.0/0', [{ peer: 0, attrs: [asPath([]), nextHop('196.223.14.55')] }]),
  record(13, 6, new Uint8Array(10)));

describe('openTable (MRT)', () => {
  it('reads PEER_INDEX_TABLE peers and one record per RIB entry', async () => {
    const { v4: r4, v6: r6, info } = await read(SAMPLE);
    expect(info.format).toBe('mrt');
    expect(info.peers).toEqual([
      { index: 0, bgpId: '196.223.14.55', address: '196.223.14.55', asn: 30844 },
      { index: 1, bgpId: '10.0.0.2', address: '2001:db8::2', asn: 4200000001 },
      { index: 2, bgpId: '10.0.0.3', address: '192.0.2.3', asn: 64512 },
    ]);
    expect(r4).toEqual([
      `1.0.0.0/24 peer=0 nh=196.223.14.55 med=0 pref=${pref(100, 2)} view=1 if=0`,
      `1.0.0.0/24 peer=2 nh=192.0.2.3 med=50 pref=${pref(200, 3)} view=1 if=0`, // AS_SET counts 1
      `224.0.0.0/4 peer=0 nh=196.223.14.55 med=0 pref=${pref(100, 1)} view=2 if=0`,
      `0.0.0.0/0 peer=0 nh=196.223.14.55 med=0 pref=${pref(100, 0)} view=1 if=0`,
    ]);
    expect(r6).toEqual([
      `2001:4200::/32 peer=1 nh=2001:db8::2 med=0 pref=${pref(100, 3)} view=1 if=0`, // full MP_REACH form, global next hop
      `2001:4200::/32 peer=0 nh=2001:db8::9 med=0 pref=${pref(100, 2)} view=1 if=0`, // abbreviated form, extended length
    ]);
    expect([info.records, info.prefixes, info.skipped, info.unsupported]).toEqual([6, 4, 0, 2]);
    expect([...info.unsupportedKinds]).toEqual([['MRT BGP4MP/4', 1], ['MRT TABLE_DUMP_V2/RIB_GENERIC', 1]]);
  });

  it('computes preference from LOCAL_PREF then AS path length', () => {
    expect(ribPreference(100, 2)).toBe(((0xffff - 100) << 16 | 2) >>> 0);
    expect(ribPreference(200, 9)).toBeLessThan(ribPreference(100, 1));
    expect(ribPreference(100, 1)).toBeLessThan(ribPreference(100, 2));
    expect(ribPreference(0x1_0000_0000 - 1, 0x12345)).toBe(0xffff);
    expect(ribPreference(0, 0)).toBe(0xffff0000);
  });

  it('reads ADDPATH subtypes and masks host bits of the prefix', async () => {
    const input = bytes(peerIndexTable(PEERS),
      rib(8, 0, '10.1.0.0/16', [{ peer: 0, pathId: 7, attrs: [nextHop('192.0.2.1')] }, { peer: 1, pathId: 8, attrs: [nextHop('192.0.2.2')] }]),
      rib(11, 1, '2001:db8::/33', [{ peer: 1, pathId: 1, attrs: [mpReachShort(['2001:db8::1'])] }]));
    // '10.1.0.0/16' carries 2 prefix bytes; a stray host bit in the last byte of a /15 must be cleared
    const odd = rib(2, 2, '10.3.0.0/15', [{ peer: 0, attrs: [] }]);
    const { v4: r4, v6: r6 } = await read(bytes(input, odd));
    expect(r4).toEqual([
      `10.1.0.0/16 peer=0 nh=192.0.2.1 med=0 pref=${pref(100, 0)} view=1 if=0`,
      `10.1.0.0/16 peer=1 nh=192.0.2.2 med=0 pref=${pref(100, 0)} view=1 if=0`,
      `10.2.0.0/15 peer=0 med=0 pref=${pref(100, 0)} view=1 if=0`,
    ]);
    expect(r6).toEqual([`2001:db8::/33 peer=1 nh=2001:db8::1 med=0 pref=${pref(100, 0)} view=2 if=0`]);
  });

  it('reads TABLE_DUMP v1 records with 2-byte AS paths and numbers their peers', async () => {
    const v1 = (afi: number, prefix: string, peer: string, asn: number, attrs: Uint8Array[]): Uint8Array => {
      const [addr, len] = prefix.split('/');
      const a = bytes(...attrs);
      const ip = (s: string) => (afi === 1 ? v4(s) : v6(s));
      return record(12, afi, bytes(be16(0), be16(1), ip(addr), [Number(len), 1], be32(0), ip(peer), be16(asn), be16(a.length), a));
    };
    const input = bytes(
      v1(1, '193.0.0.0/21', '193.203.0.1', 1200, [asPath([[2, [1200, 3333]]], 2), nextHop('193.203.0.1')]),
      v1(1, '193.0.8.0/21', '193.203.0.2', 1201, [asPath([[2, [1201]]], 2), nextHop('193.203.0.2'), localPref(300)]),
      v1(1, '193.0.16.0/21', '193.203.0.1', 1200, [asPath([[2, [1200, 3333, 4444]]], 2), nextHop('193.203.0.1')]),
      v1(2, '2001:7f8::/32', '2001:7f8::1', 1200, [asPath([[2, [1200]]], 2), mpReachShort(['2001:7f8::1'])]));
    const { v4: r4, v6: r6, info } = await read(input);
    expect(r4).toEqual([
      `193.0.0.0/21 peer=0 nh=193.203.0.1 med=0 pref=${pref(100, 2)} view=1 if=0`,
      `193.0.8.0/21 peer=1 nh=193.203.0.2 med=0 pref=${pref(300, 1)} view=1 if=0`,
      `193.0.16.0/21 peer=0 nh=193.203.0.1 med=0 pref=${pref(100, 3)} view=1 if=0`,
    ]);
    expect(r6).toEqual([`2001:7f8::/32 peer=2 nh=2001:7f8::1 med=0 pref=${pref(100, 1)} view=1 if=0`]);
    expect(info.peers.map((p) => `${p.index} ${p.address} AS${p.asn}`)).toEqual(['0 193.203.0.1 AS1200', '1 193.203.0.2 AS1201', '2 2001:7f8::1 AS1200']);
  });

  it('names the byte offset of a truncated final record', async () => {
    const cut = bytes(SAMPLE, RIB_V4.subarray(0, RIB_V4.length - 5));
    const err = await readAll(cut, { name: 'rib.mrt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TableFormatError);
    expect(err).toMatchObject({
      code: 'ERROR_INVALID_DATA', file: 'rib.mrt', offset: SAMPLE.length, line: undefined,
      reason: `truncated record: ${RIB_V4.length - 12} body bytes declared, ${RIB_V4.length - 17} present`,
    });
    expect((err as Error).message).toContain(`rib.mrt, offset ${SAMPLE.length}: truncated record`);
    const header = await readAll(bytes(SAMPLE, RIB_V4.subarray(0, 7))).catch((e: TableFormatError) => e);
    expect(header).toMatchObject({ offset: SAMPLE.length, reason: 'truncated record header (7 of 12 bytes)' });
    const skipped = await read(cut, { skipBad: true });
    expect([skipped.info.records, skipped.info.skipped]).toEqual([6, 1]);
    // a truncated record of a skipped type is malformed too
    const cutSkip = await read(bytes(SAMPLE, BGP4MP.subarray(0, 30)), { skipBad: true, readBytes: 16 });
    expect([cutSkip.info.skipped, cutSkip.info.skippedErrors[0].offset]).toEqual([1, SAMPLE.length]);
  });

  it('names the record offset of a bad attribute and rolls back the whole record under skipBad', async () => {
    const bad = rib(2, 5, '5.0.0.0/8', [
      { peer: 0, attrs: [nextHop('192.0.2.1')] },
      { peer: 0, attrs: [nextHop('192.0.2.2')] },
      { peer: 0, attrs: [nextHop('192.0.2.3')] },
      { peer: 0, attrs: [attr(4, [1, 2, 3])] }, // MED of 3 bytes
    ]);
    const head = bytes(peerIndexTable(PEERS), RIB_V4);
    const input = bytes(head, bad, RIB_V6);
    const err = await readAll(input).catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ offset: head.length, reason: 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: entry 3: MULTI_EXIT_DISC of 3 bytes' });
    for (const batchSize of [1, 2, 3, 4096]) {
      const got = await read(input, { skipBad: true, batchSize });
      expect(got.v4.map((r) => r.split(' ')[0]), `batchSize ${batchSize}`).toEqual(['1.0.0.0/24', '1.0.0.0/24']);
      expect(got.v6).toHaveLength(2);
      expect([got.info.records, got.info.prefixes, got.info.skipped]).toEqual([4, 2, 1]);
    }
  });

  it.each([
    ['an unknown peer index', rib(2, 0, '1.0.0.0/24', [{ peer: 3, attrs: [] }]), 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: entry 0: peer index 3 is not in the PEER_INDEX_TABLE (3 peers)'],
    ['a prefix length over 32', record(13, 2, bytes(be32(0), [33, 1, 2, 3, 4, 5], be16(0))), 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: prefix length 33 exceeds 32'],
    ['an attribute overrunning its entry', rib(2, 0, '1.0.0.0/24', [{ peer: 0, attrs: [bytes([0x40, 2, 9], [2, 1])] }]), 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: entry 0: attribute 2 (9 bytes) overruns the attributes'],
    ['an AS_PATH segment overrun', rib(2, 0, '1.0.0.0/24', [{ peer: 0, attrs: [attr(2, [2, 3, 0, 0, 0, 1])] }]), 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: entry 0: AS_PATH segment overruns the attribute'],
    ['trailing bytes', record(13, 2, bytes(be32(0), [8, 1], be16(0), [9])), 'TABLE_DUMP_V2/RIB_IPV4_UNICAST: 1 bytes after the last entry'],
    ['a bad MP_REACH next hop length', rib(4, 0, '2001:db8::/32', [{ peer: 0, attrs: [attr(14, bytes(be16(2), [1, 5], [1, 2, 3, 4, 5], [0]))] }]), 'TABLE_DUMP_V2/RIB_IPV6_UNICAST: entry 0: MP_REACH_NLRI next hop of 5 bytes'],
    ['a short PEER_INDEX_TABLE', record(13, 1, new Uint8Array(5)), 'TABLE_DUMP_V2/PEER_INDEX_TABLE: shorter than its 8 fixed bytes'],
    ['an unknown MRT type', record(99, 1, new Uint8Array(3)), 'unknown MRT type 99'],
  ])('names the offset and reason of %s', async (_what, rec, reason) => {
    const head = peerIndexTable(PEERS);
    const input = bytes(head, rec, RIB_V4);
    await expect(readAll(input, { format: 'mrt' })).rejects.toMatchObject({ offset: head.length, reason });
    const got = await read(input, { format: 'mrt', skipBad: true });
    expect([got.info.skipped, got.info.records]).toEqual([1, 2]);
  });

  it('reads the same records when the input is split at every byte offset', async () => {
    const whole = await read(SAMPLE);
    for (let k = 1; k < SAMPLE.length; k++) {
      const split = await read([SAMPLE.subarray(0, k), SAMPLE.subarray(k)]);
      expect([split.v4, split.v6], `split at ${k}`).toEqual([whole.v4, whole.v6]);
      expect(split.info.unsupported, `split at ${k}`).toBe(2);
    }
    for (const readBytes of [1, 2, 3, 5, 7, 13]) {
      const small = await read(SAMPLE, { readBytes });
      expect([small.v4, small.v6, small.info.peers.length], `readBytes ${readBytes}`).toEqual([whole.v4, whole.v6, 3]);
    }
  });

  it('reads a gzip MRT file', async () => {
    const path = join(dir, 'rib.gz');
    writeFileSync(path, gzipSync(SAMPLE));
    const reader = await openTable(path);
    expect(reader.format).toBe('mrt');
    let n = 0;
    for await (const b of reader) n += b.count;
    expect([n, reader.peers.length, reader.bytesRead]).toEqual([6, 3, reader.totalBytes]);
  });
});
