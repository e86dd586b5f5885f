// MRT (RFC 6396) reader. scanMrt() frames records across chunk boundaries; MrtParser reads TABLE_DUMP_V2
// PEER_INDEX_TABLE and RIB_IPV4/IPV6_UNICAST/MULTICAST (+ RFC 8050 ADDPATH, subtypes 8–11) and TABLE_DUMP
// v1, one RouteBatch record per RIB entry; other types/subtypes are skipped by length and counted. Memory:
// one reassembly buffer the size of the largest record that spans a chunk (≤ MRT_MAX_RECORD_BYTES); skipped
// records are never buffered. Allocates only strings for peers. Preference derivation: see ribPreference().

import { formatIPv4, formatIPv6, maskWords, type Family } from '../address.js';
import type { RouteBatch, RouteSink } from './batch.js';
import type { ReadContext } from './context.js';
import type { ByteSource } from './source.js';

/** A peer of the PEER_INDEX_TABLE (TABLE_DUMP v1: peers numbered in first-seen order, bgpId '0.0.0.0'). */
export interface MrtPeer {
  /** Position in the PEER_INDEX_TABLE. */
  index: number;
  /** Peer BGP ID, dotted. */
  bgpId: string;
  /** Peer IP address, as text. */
  address: string;
  /** Peer AS number. */
  asn: number;
}

export const MRT_HEADER_BYTES = 12;
/** Largest record body read (bigger ones are malformed); records that are skipped may be any size. */
export const MRT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** RFC 6396 §4 type codes by name. */
const MRT_TYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'START', 2: 'DIE', 3: 'I_AM_DEAD', 4: 'PEER_DOWN', 5: 'BGP', 6: 'RIP', 7: 'IDRP', 8: 'RIPNG',
  9: 'BGP4PLUS', 10: 'BGP4PLUS_01', 11: 'OSPFv2', 12: 'TABLE_DUMP', 13: 'TABLE_DUMP_V2', 16: 'BGP4MP',
  17: 'BGP4MP_ET', 32: 'ISIS', 33: 'ISIS_ET', 48: 'OSPFv3', 49: 'OSPFv3_ET',
};
const TABLE_DUMP = 12;
const TABLE_DUMP_V2 = 13;
const TD2_PEER_INDEX_TABLE = 1;
/** TABLE_DUMP_V2 subtypes 1–12 by name (RFC 6396 §4.3, RFC 8050 §4). */
const TD2_SUBTYPE_NAMES = ['', 'PEER_INDEX_TABLE', 'RIB_IPV4_UNICAST', 'RIB_IPV4_MULTICAST', 'RIB_IPV6_UNICAST',
  'RIB_IPV6_MULTICAST', 'RIB_GENERIC', 'GEO_PEER_TABLE', 'RIB_IPV4_UNICAST_ADDPATH', 'RIB_IPV4_MULTICAST_ADDPATH',
  'RIB_IPV6_UNICAST_ADDPATH', 'RIB_IPV6_MULTICAST_ADDPATH', 'RIB_GENERIC_ADDPATH'];

// BGP path attribute type codes (RFC 4271 §5, RFC 4760)
const ATTR_F_EXTENDED = 0x10;
const ATTR_AS_PATH = 2;
const ATTR_NEXT_HOP = 3;
const ATTR_MED = 4;
const ATTR_LOCAL_PREF = 5;
const ATTR_MP_REACH_NLRI = 14;
const AS_SET = 1;
const AS_SEQUENCE = 2;
const AS_CONFED_SEQUENCE = 3;
const AS_CONFED_SET = 4;
/** LOCAL_PREF assumed when the attribute is absent (the common router default). */
export const DEFAULT_LOCAL_PREF = 100;

const MRT_PARSE = 0;
const MRT_UNSUPPORTED = 1;
const MRT_UNKNOWN = 2;

export function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

export function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/**
 * RTMv2 preference (lower wins) of a BGP route: higher LOCAL_PREF first, then the shorter AS path.
 * Derivation: 0xFFFF − LOCAL_PREF turns "higher wins" into "lower wins" in the high 16 bits; the AS-path
 * length (RFC 4271 §9.1.2.2) breaks ties in the low 16 bits; both clamp to 16 bits.
 */
export function ribPreference(localPref: number, asPathLen: number): number {
  return (((0xffff - Math.min(localPref, 0xffff)) << 16) | Math.min(asPathLen, 0xffff)) >>> 0;
}

/** True when b starts with a plausible MRT common header (a known type ≥ 11, small subtype, sane length). */
export function looksLikeMrt(b: Uint8Array): boolean {
  if (b.length < MRT_HEADER_BYTES) return false;
  const type = u16(b, 4);
  return type >= 11 && type in MRT_TYPE_NAMES && u16(b, 6) < 64 && u32(b, 8) <= MRT_MAX_RECORD_BYTES;
}

export class MrtParser {
  readonly peers: MrtPeer[] = [];
  /** RIB records read (prefixes; each may hold several entries). */
  prefixes = 0;
  private peerTableSeen = false;
  private readonly v1Peers = new Map<number | string, number>();
  private readonly kinds = new Map<number, string>();
  private readonly key = new Uint32Array(4);
  // attributes of the entry being read
  private med = 0;
  private localPref = DEFAULT_LOCAL_PREF;
  private pathLen = 0;
  private nextHop4 = 0;
  private hasNextHop4 = false;
  private readonly mpNextHop = new Uint32Array(4);
  private mpFamily: 0 | Family = 0;

  constructor(private readonly sink: RouteSink, private readonly ctx: ReadContext) {}

  /** MRT_PARSE, MRT_UNSUPPORTED (skip and count) or MRT_UNKNOWN (malformed) for a record header. */
  classify(type: number, subtype: number, bodyBytes: number): number {
    let action: number;
    if (type === TABLE_DUMP_V2) action = (subtype >= 1 && subtype <= 5) || (subtype >= 8 && subtype <= 11) ? MRT_PARSE : MRT_UNSUPPORTED;
    else if (type === TABLE_DUMP) action = subtype === 1 || subtype === 2 ? MRT_PARSE : MRT_UNSUPPORTED;
    else return type in MRT_TYPE_NAMES ? MRT_UNSUPPORTED : MRT_UNKNOWN;
    return action === MRT_PARSE && bodyBytes > MRT_MAX_RECORD_BYTES ? MRT_UNKNOWN : action;
  }

  /** Why a record classified MRT_UNKNOWN is malformed. */
  unknownReason(type: number, bodyBytes: number): string {
    return type in MRT_TYPE_NAMES
      ? `record body of ${bodyBytes} bytes exceeds the ${MRT_MAX_RECORD_BYTES}-byte limit`
      : `unknown MRT type ${type}`;
  }

  /** A stable name for a type/subtype, e.g. 'MRT BGP4MP/4' or 'MRT TABLE_DUMP_V2/RIB_GENERIC'. */
  kindName(type: number, subtype: number): string {
    const id = type * 65536 + subtype;
    let name = this.kinds.get(id);
    if (name === undefined) {
      const sub = type === TABLE_DUMP_V2 && subtype < TD2_SUBTYPE_NAMES.length ? TD2_SUBTYPE_NAMES[subtype] : String(subtype);
      name = `MRT ${MRT_TYPE_NAMES[type] ?? type}/${sub}`;
      this.kinds.set(id, name);
    }
    return name;
  }

  /** Reads the whole record b[start, end) found at stream `offset`; a malformed one goes to ctx.bad(). */
  record(b: Uint8Array, start: number, end: number, offset: number): void {
    const type = u16(b, start + 4), subtype = u16(b, start + 6), p = start + MRT_HEADER_BYTES;
    let reason: string | undefined;
    if (type === TABLE_DUMP_V2) {
      reason = subtype === TD2_PEER_INDEX_TABLE ? this.peerIndexTable(b, p, end) : this.rib(b, p, end, subtype);
    } else reason = this.tableDumpV1(b, p, end, subtype);
    if (reason !== undefined) this.ctx.bad(`${this.kindName(type, subtype).slice(4)}: ${reason}`, undefined, offset);
  }

  private peerIndexTable(b: Uint8Array, p: number, end: number): string | undefined {
    if (end - p < 8) return 'shorter than its 8 fixed bytes';
    p += 6 + u16(b, p + 4); // collector BGP ID, view name length, view name
    if (p + 2 > end) return 'view name overruns the record';
    const n = u16(b, p);
    p += 2;
    const peers: MrtPeer[] = [];
    for (let i = 0; i < n; i++) {
      const flags = p < end ? b[p] : 0, isV6 = (flags & 1) !== 0, isAs4 = (flags & 2) !== 0;
      const entryBytes = 5 + (isV6 ? 16 : 4) + (isAs4 ? 4 : 2);
      if (p + entryBytes > end) return `peer ${i} of ${n} overruns the record`;
      const address = isV6 ? this.v6Text(b, p + 5) : formatIPv4(u32(b, p + 5));
      const asAt = p + 5 + (isV6 ? 16 : 4);
      peers.push({ index: i, bgpId: formatIPv4(u32(b, p + 1)), address, asn: isAs4 ? u32(b, asAt) : u16(b, asAt) });
      p += entryBytes;
    }
    if (p !== end) return `${end - p} bytes after the last peer`;
    this.peers.length = 0;
    this.peers.push(...peers);
    this.peerTableSeen = true;
    return undefined;
  }

  private rib(b: Uint8Array, p: number, end: number, subtype: number): string | undefined {
    const family: Family = subtype === 2 || subtype === 3 || subtype === 8 || subtype === 9 ? 4 : 6;
    const view = subtype === 3 || subtype === 5 || subtype === 9 || subtype === 11 ? 2 : 1;
    const fixedEntryBytes = subtype >= 8 ? 12 : 8; // peer index, originated time, [path id], attribute length
    if (p + 5 > end) return 'shorter than its fixed fields';
    const len = b[p + 4], maxLen = family === 4 ? 32 : 128;
    if (len > maxLen) return `prefix length ${len} exceeds ${maxLen}`;
    p += 5;
    const prefixBytes = (len + 7) >> 3;
    if (p + prefixBytes + 2 > end) return 'prefix overruns the record';
    this.readPrefix(b, p, prefixBytes, len);
    p += prefixBytes;
    const n = u16(b, p);
    p += 2;
    this.sink.mark(family);
    for (let e = 0; e < n; e++) {
      if (p + fixedEntryBytes > end) return this.fail(`entry ${e} of ${n} overruns the record`);
      const peer = u16(b, p), attrBytes = u16(b, p + fixedEntryBytes - 2);
      p += fixedEntryBytes;
      if (p + attrBytes > end) return this.fail(`entry ${e}: ${attrBytes} attribute bytes overrun the record`);
      if (this.peerTableSeen && peer >= this.peers.length) {
        return this.fail(`entry ${e}: peer index ${peer} is not in the PEER_INDEX_TABLE (${this.peers.length} peers)`);
      }
      const reason = this.attributes(b, p, p + attrBytes, 4);
      if (reason !== undefined) return this.fail(`entry ${e}: ${reason}`);
      p += attrBytes;
      this.emit(family, len, peer, view);
    }
    if (p !== end) return this.fail(`${end - p} bytes after the last entry`);
    this.prefixes++;
    return undefined;
  }

  private fail(reason: string): string {
    this.sink.rollback();
    return reason;
  }

  /** TABLE_DUMP (v1, RFC 6396 §4.2): one entry per record, 2-byte ASNs; subtype is the AFI. */
  private tableDumpV1(b: Uint8Array, p: number, end: number, subtype: number): string | undefined {
    const family: Family = subtype === 1 ? 4 : 6, addrBytes = family === 4 ? 4 : 16, maxLen = family === 4 ? 32 : 128;
    const fixedBytes = 2 + 2 + addrBytes + 1 + 1 + 4 + addrBytes + 2 + 2;
    if (p + fixedBytes > end) return 'shorter than its fixed fields';
    const len = b[p + 4 + addrBytes];
    if (len > maxLen) return `prefix length ${len} exceeds ${maxLen}`;
    this.readPrefix(b, p + 4, addrBytes, len);
    const peerAt = p + 4 + addrBytes + 6, asn = u16(b, peerAt + addrBytes), attrBytes = u16(b, peerAt + addrBytes + 2);
    const q = p + fixedBytes;
    if (q + attrBytes !== end) return `attribute length ${attrBytes} disagrees with the record length`;
    const reason = this.attributes(b, q, end, 2);
    if (reason !== undefined) return reason;
    this.emit(family, len, this.v1Peer(b, peerAt, family, asn), 1);
    this.prefixes++;
    return undefined;
  }

  private v1Peer(b: Uint8Array, p: number, family: Family, asn: number): number {
    const id: number | string = family === 4 ? u32(b, p) * 65536 + asn : `${this.v6Text(b, p)}|${asn}`;
    let idx = this.v1Peers.get(id);
    if (idx === undefined) {
      idx = this.peers.length;
      const address = family === 4 ? formatIPv4(u32(b, p)) : this.v6Text(b, p);
      this.peers.push({ index: idx, bgpId: '0.0.0.0', address, asn });
      this.v1Peers.set(id, idx);
    }
    return idx;
  }

  /** Reads path attributes in b[p, end) into med/localPref/pathLen/next hops; `asnBytes` is 4 (TD2) or 2 (v1). */
  private attributes(b: Uint8Array, p: number, end: number, asnBytes: number): string | undefined {
    this.med = 0;
    this.localPref = DEFAULT_LOCAL_PREF;
    this.pathLen = 0;
    this.hasNextHop4 = false;
    this.mpFamily = 0;
    while (p < end) {
      if (p + 3 > end) return 'attribute header overruns the attributes';
      const flags = b[p], type = b[p + 1];
      let len: number, q: number;
      if ((flags & ATTR_F_EXTENDED) !== 0) {
        if (p + 4 > end) return 'attribute header overruns the attributes';
        len = u16(b, p + 2);
        q = p + 4;
      } else {
        len = b[p + 2];
        q = p + 3;
      }
      if (q + len > end) return `attribute ${type} (${len} bytes) overruns the attributes`;
      switch (type) {
        case ATTR_AS_PATH: {
          const reason = this.asPath(b, q, q + len, asnBytes);
          if (reason !== undefined) return reason;
          break;
        }
        case ATTR_NEXT_HOP:
          if (len !== 4) return `NEXT_HOP of ${len} bytes`;
          this.nextHop4 = u32(b, q);
          this.hasNextHop4 = true;
          break;
        case ATTR_MED:
          if (len !== 4) return `MULTI_EXIT_DISC of ${len} bytes`;
          this.med = u32(b, q);
          break;
        case ATTR_LOCAL_PREF:
          if (len !== 4) return `LOCAL_PREF of ${len} bytes`;
          this.localPref = u32(b, q);
          break;
        case ATTR_MP_REACH_NLRI: {
          const reason = this.mpReach(b, q, len);
          if (reason !== undefined) return reason;
          break;
        }
      }
      p = q + len;
    }
    return undefined;
  }

  /** AS path length per RFC 4271 §9.1.2.2: each ASN of an AS_SEQUENCE, 1 per AS_SET, 0 for confederation segments. */
  private asPath(b: Uint8Array, p: number, end: number, asnBytes: number): string | undefined {
    let n = 0;
    while (p < end) {
      if (p + 2 > end) return 'AS_PATH segment header overruns the attribute';
      const segType = b[p], count = b[p + 1];
      p += 2 + count * asnBytes;
      if (p > end) return 'AS_PATH segment overruns the attribute';
      if (segType === AS_SEQUENCE) n += count;
      else if (segType === AS_SET) n += 1;
      else if (segType !== AS_CONFED_SEQUENCE && segType !== AS_CONFED_SET) return `AS_PATH segment type ${segType}`;
    }
    this.pathLen = n;
    return undefined;
  }

  /**
   * MP_REACH_NLRI next hop, in either form: RFC 6396 §4.3.4's abbreviated one (next-hop length, next hop;
   * recognised by its first byte = attribute length − 1) or the full RFC 4760 one that collectors write
   * (AFI, SAFI, next-hop length, next hop, reserved, NLRI). 32-byte next hops are global + link-local: the
   * global one is kept.
   */
  private mpReach(b: Uint8Array, p: number, len: number): string | undefined {
    let nhAt: number, nhBytes: number;
    if (len >= 1 && b[p] === len - 1) {
      nhBytes = b[p];
      nhAt = p + 1;
    } else {
      if (len < 5) return `MP_REACH_NLRI of ${len} bytes`;
      nhBytes = b[p + 3];
      nhAt = p + 4;
      if (4 + nhBytes > len) return `MP_REACH_NLRI next hop of ${nhBytes} bytes overruns the attribute`;
    }
    const nh = this.mpNextHop;
    if (nhBytes === 16 || nhBytes === 32) {
      nh[0] = u32(b, nhAt); nh[1] = u32(b, nhAt + 4); nh[2] = u32(b, nhAt + 8); nh[3] = u32(b, nhAt + 12);
      this.mpFamily = 6;
    } else if (nhBytes === 4) {
      nh[0] = u32(b, nhAt); nh[1] = 0; nh[2] = 0; nh[3] = 0;
      this.mpFamily = 4;
    } else if (nhBytes !== 0) return `MP_REACH_NLRI next hop of ${nhBytes} bytes`;
    return undefined;
  }

  private readPrefix(b: Uint8Array, p: number, prefixBytes: number, len: number): void {
    const k = this.key;
    k[0] = 0; k[1] = 0; k[2] = 0; k[3] = 0;
    for (let i = 0; i < prefixBytes; i++) k[i >> 2] |= b[p + i] << (24 - ((i & 3) << 3));
    maskWords(k, 0, len);
  }

  private emit(family: Family, len: number, source: number, view: number): void {
    const bt = this.sink.batch(family), i = bt.count, o = i << 2, k = this.key, nh = bt.nextHops;
    bt.keys[o] = k[0]; bt.keys[o + 1] = k[1]; bt.keys[o + 2] = k[2]; bt.keys[o + 3] = k[3];
    bt.lens[i] = len;
    if (family === 4 && this.hasNextHop4) {
      nh[o] = this.nextHop4; nh[o + 1] = 0; nh[o + 2] = 0; nh[o + 3] = 0;
      bt.hasNextHop[i] = 1;
    } else if (this.mpFamily === family) {
      const m = this.mpNextHop;
      nh[o] = m[0]; nh[o + 1] = m[1]; nh[o + 2] = m[2]; nh[o + 3] = m[3];
      bt.hasNextHop[i] = 1;
    } else {
      nh[o] = 0; nh[o + 1] = 0; nh[o + 2] = 0; nh[o + 3] = 0;
      bt.hasNextHop[i] = 0;
    }
    bt.metrics[i] = this.med;
    bt.preferences[i] = ribPreference(this.localPref, this.pathLen);
    bt.sources[i] = source;
    bt.ifIndex[i] = 0;
    bt.views[i] = view;
    this.sink.commit(bt);
  }

  private v6Text(b: Uint8Array, p: number): string {
    return formatIPv6([u32(b, p), u32(b, p + 4), u32(b, p + 8), u32(b, p + 12)]);
  }
}

/** Streams MRT records from `src` into `parser`, yielding the batches `sink` fills. */
export async function* scanMrt(src: ByteSource, parser: MrtParser, sink: RouteSink,
  ctx: ReadContext): AsyncGenerator<RouteBatch> {
  let own = new Uint8Array(0); // reassembly buffer for records that span chunks
  let buf: Uint8Array = own;
  let lo = 0, hi = 0;
  let pos = 0; // stream offset of buf[lo]
  let skipBytes = 0; // bytes still to come of a record skipped by length
  let skipOffset = 0, skipBodyBytes = 0;
  let skipKind: string | undefined; // unsupported kind being skipped; undefined when it was malformed (counted)
  for (;;) {
    const chunk = await src.next();
    if (chunk === undefined) break;
    let c0 = 0;
    if (skipBytes > 0) {
      c0 = Math.min(skipBytes, chunk.length);
      skipBytes -= c0;
      pos += c0;
      if (skipBytes === 0 && skipKind !== undefined) ctx.unsupportedRecord(skipKind);
    }
    if (lo < hi) {
      const left = hi - lo, need = left + chunk.length - c0;
      if (own.length < need) {
        const grown = new Uint8Array(Math.max(need, own.length * 2, 1 << 16));
        grown.set(buf.subarray(lo, hi));
        own = grown;
      } else if (buf !== own) own.set(buf.subarray(lo, hi));
      else if (lo > 0) own.copyWithin(0, lo, hi);
      own.set(c0 === 0 ? chunk : chunk.subarray(c0), left);
      buf = own; lo = 0; hi = need;
    } else {
      buf = chunk; lo = c0; hi = chunk.length;
    }
    while (hi - lo >= MRT_HEADER_BYTES) {
      const type = u16(buf, lo + 4), subtype = u16(buf, lo + 6), bodyBytes = u32(buf, lo + 8);
      const total = MRT_HEADER_BYTES + bodyBytes;
      const action = parser.classify(type, subtype, bodyBytes);
      if (action !== MRT_PARSE) {
        let kind: string | undefined;
        if (action === MRT_UNKNOWN) ctx.bad(parser.unknownReason(type, bodyBytes), undefined, pos); // throws unless skipBad
        else kind = parser.kindName(type, subtype);
        if (hi - lo >= total) {
          lo += total; pos += total;
          if (kind !== undefined) ctx.unsupportedRecord(kind);
        } else {
          skipBytes = total - (hi - lo);
          skipOffset = pos; skipBodyBytes = bodyBytes; skipKind = kind;
          pos += hi - lo; lo = hi;
        }
        continue;
      }
      if (hi - lo < total) break;
      parser.record(buf, lo, lo + total, pos);
      lo += total; pos += total;
      if (sink.ready.length > 0) {
        for (const b of sink.ready) yield b;
        sink.recycle();
      }
    }
    ctx.progress();
  }
  if (skipBytes > 0) {
    if (skipKind !== undefined) {
      ctx.bad(truncated(skipBodyBytes, skipBodyBytes - skipBytes), undefined, skipOffset);
    }
  } else if (lo < hi) {
    ctx.bad(hi - lo < MRT_HEADER_BYTES ? `truncated record header (${hi - lo} of ${MRT_HEADER_BYTES} bytes)`
      : truncated(u32(buf, lo + 8), hi - lo - MRT_HEADER_BYTES), undefined, pos);
  }
  sink.flush();
  for (const b of sink.ready) yield b;
  sink.recycle();
  ctx.progress(true);
}

function truncated(bodyBytes: number, presentBytes: number): string {
  return `truncated record: ${bodyBytes} body bytes declared, ${presentBytes} present`;
}
