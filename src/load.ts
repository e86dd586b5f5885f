// loadTable: streams a routing table file (prefix list, `ip route` dump, MRT TABLE_DUMP_V2 RIB; plain or
// gzip) into an Rtm through the bulk path (Entity.addRoutesBatch). Entities: an MRT file gets one BGP
// entity per peer of its PEER_INDEX_TABLE and family (protocol PROTO_IP_BGP, instance = peer index), so
// best-route selection runs across peers on the readers' preference (LOCAL_PREF, then AS-path length)
// and MED; text formats get one entity per family (PROTO_IP_NT_STATIC, instance 0). A record's next hop
// becomes that entity's next hop (address, interface index), the route's neighbour and only next hop.
// Memory: constant in the file size (batches are reused); one JS Map entry per distinct next hop.
import { Rtm } from './rtm.js';
import { Entity } from './entity.js';
import { openTable, readAll, TableOptions, TableInput, TableFormat, RouteBatch, TableContents } from './readers/index.js';
import type { MrtPeer, TableFormatError } from './readers/index.js';
import { Family, formatPrefix } from './address.js';
import type { NextHopHandle } from './types.js';

/** PROTO_IP_BGP (routprot.h): the protocol of the entities made for MRT peers. */
export const PROTO_IP_BGP = 14;
/** PROTO_IP_NT_STATIC (routprot.h): the protocol of the entity made for a text table. */
export const PROTO_IP_NT_STATIC = 10006;

/** An entity loadTable registered, and what it loaded. */
export interface LoadedEntity {
  /** The registered entity. */
  readonly entity: Entity;
  /** Its family: 4 or 6. */
  readonly family: Family;
  /** 'static' for text formats; 'peer <index> <address> AS<asn>' for MRT peers. */
  readonly name: string;
  /** PROTO_IP_BGP for an MRT peer, else PROTO_IP_NT_STATIC. */
  readonly protocolId: number;
  /** The peer index for an MRT peer, else 0. */
  readonly instanceId: number;
  /** Route records this entity loaded (updates of a route count again). */
  records: number;
  /** The MRT peer it stands for (MRT input only). */
  readonly peer?: MrtPeer;
}

/** What loadTable did. */
export interface LoadSummary {
  /** What was read (a path, '-', or a name for other inputs). */
  readonly file: string;
  /** The format detected. */
  readonly format: TableFormat;
  /** Records read (routes offered), per family. */
  readonly records: {
    /** IPv4 records loaded. */
    ipv4: number;
    /** IPv6 records loaded. */
    ipv6: number;
  };
  /** Records skipped (skipBad). */
  readonly skipped: number;
  /** The first of the skipped records (up to 16), as errors naming their line or byte offset. */
  readonly skippedErrors: readonly TableFormatError[];
  /** Well-formed records of kinds not read (MRT BGP4MP, `ip route` local/broadcast, …), in total. */
  readonly unsupported: number;
  /** The same records by kind. */
  readonly unsupportedKinds: ReadonlyMap<string, number>;
  /** Routes created. */
  readonly routesCreated: number;
  /** Destinations created. */
  readonly destsCreated: number;
  /** The entities made, one per peer and family (text formats: one per family). */
  readonly entities: readonly LoadedEntity[];
  /** Records per prefix length, per family (index = length). */
  readonly histogram: {
    /** IPv4 records by prefix length (index 0..32). */
    ipv4: number[];
    /** IPv6 records by prefix length (index 0..128). */
    ipv6: number[];
  };
  /** Bytes of input read. */
  readonly bytesRead: number;
  /** Wall-clock time of the load, in ms. */
  readonly ms: number;
}

/** Options of loadTable: those of the readers (TableOptions). */
export type LoadOptions = TableOptions;

/**
 * Reads a whole table (any TableInput) into one batch per family, without an Rtm: the records, their
 * prefixes and attributes, and the reader's statistics. Allocates the whole table (stream with
 * openTable() for large inputs).
 * @throws as openTable(): RtmError (ERROR_FILE_NOT_FOUND, …), TableFormatError (ERROR_INVALID_DATA)
 */
export function readTable(input: TableInput, options: TableOptions = {}): Promise<TableContents> {
  return readAll(input, options);
}

/**
 * Loads a table into `rtm`: a path (Node; '-' for stdin), bytes, a Blob, a Response, a ReadableStream or
 * chunks; plain or gzip. @throws RtmError (ERROR_INVALID_DATA with file and line/offset, ERROR_FILE_NOT_FOUND, …) */
export async function loadTable(rtm: Rtm, input: TableInput, options: LoadOptions = {}): Promise<LoadSummary> {
  const t0 = performance.now();
  const reader = await openTable(input, options);
  const entities = new Map<string, LoadedEntity>();
  const nextHops = new Map<Entity, Map<string, number>>();
  const histogram = { ipv4: new Array<number>(33).fill(0), ipv6: new Array<number>(129).fill(0) };
  const records = { ipv4: 0, ipv6: 0 };
  let routesCreated = 0, destsCreated = 0;
  let handles = new Float64Array(0);

  const entityFor = (family: Family, source: number): LoadedEntity => {
    const key = `${family}:${source}`;
    let le = entities.get(key);
    if (!le) {
      const peer = source >= 0 ? reader.peers[source] : undefined;
      const protocolId = source >= 0 ? PROTO_IP_BGP : PROTO_IP_NT_STATIC;
      const instanceId = source >= 0 ? source : 0;
      const entity = rtm.registerEntity({ addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId, instanceId });
      le = { entity, family, protocolId, instanceId, records: 0, peer,
        name: peer ? `peer ${peer.index} ${peer.address} AS${peer.asn}` : source >= 0 ? `peer ${source}` : 'static' };
      entities.set(key, le);
      nextHops.set(entity, new Map());
    }
    return le;
  };

  const nextHopOf = (le: LoadedEntity, b: RouteBatch, i: number): number => {
    if (!b.hasNextHop[i]) return 0;
    const m = nextHops.get(le.entity)!;
    const k = b.family === 4 ? `${b.nextHops[4 * i]}/${b.ifIndex[i]}`
      : `${b.nextHops[4 * i]}.${b.nextHops[4 * i + 1]}.${b.nextHops[4 * i + 2]}.${b.nextHops[4 * i + 3]}/${b.ifIndex[i]}`;
    let h = m.get(k);
    if (h === undefined) {
      const address = formatPrefix(b.family, b.nextHops, 4 * i, b.family === 4 ? 32 : 128);
      h = le.entity.addNextHop({ address, interfaceIndex: b.ifIndex[i], returnHandle: true }).handle as NextHopHandle as number;
      m.set(k, h);
    }
    return h;
  };

  for await (const b of reader) {
    if (b.count === 0) continue;
    if (handles.length < b.count) handles = new Float64Array(b.count);
    const hist = b.family === 4 ? histogram.ipv4 : histogram.ipv6;
    for (let i = 0; i < b.count; i++) hist[b.lens[i]]++;
    if (b.family === 4) records.ipv4 += b.count; else records.ipv6 += b.count;
    // runs of records from one source go to that source's entity in one batch
    let start = 0;
    while (start < b.count) {
      const src = b.sources[start];
      let end = start + 1;
      while (end < b.count && b.sources[end] === src) end++;
      const le = entityFor(b.family, src);
      for (let i = start; i < end; i++) handles[i - start] = nextHopOf(le, b, i);
      const r = le.entity.addRoutesBatch({
        count: end - start, keys: b.keys.subarray(4 * start, 4 * end), lens: b.lens.subarray(start, end),
        nextHops: handles, preferences: b.preferences.subarray(start, end), metrics: b.metrics.subarray(start, end),
        views: b.views.subarray(start, end),
      });
      le.records += end - start;
      routesCreated += r.routesCreated;
      destsCreated += r.destsCreated;
      start = end;
    }
  }
  return {
    file: typeof input === 'string' ? input : reader.file, format: reader.format, records, skipped: reader.skipped,
    skippedErrors: [...reader.skippedErrors], unsupported: reader.unsupported, unsupportedKinds: new Map(reader.unsupportedKinds),
    routesCreated, destsCreated, entities: [...entities.values()], histogram, bytesRead: reader.bytesRead,
    ms: performance.now() - t0,
  };
}
