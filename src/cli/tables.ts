// Tables for the `rtm` commands: loads a file (or the bundled default table) into a fresh Rtm through
// loadTable() with the progress bar, and describes what was loaded: owners of routes by entity handle,
// routes and owners as JSON, memory. One Rtm per table; the WASM core (and so linear memory) is shared
// by every Rtm of the process. Allocates per table, nothing per lookup except the returned objects.
import { basename } from 'node:path';
import { Rtm, type RouteSummary } from '../rtm.js';
import { loadTable, PROTO_IP_BGP, PROTO_IP_NT_STATIC, type LoadedEntity, type LoadSummary } from '../load.js';
import { defaultTablePath, type TableFormat } from '../readers/index.js';
import type { Family } from '../address.js';
import type { Progress } from './progress.js';
import { CliError, int, type Writer } from './output.js';

/** How a command reads its tables (from --format, --skip-bad, --family). */
export interface TableArgs {
  format: 'auto' | TableFormat;
  skipBad: boolean;
  family?: Family;
}

/** A table loaded into its own Rtm. */
export interface LoadedTable {
  readonly rtm: Rtm;
  readonly summary: LoadSummary;
  /** The path read ('-' for stdin; the absolute path of the bundled table). */
  readonly file: string;
  /** True when no file was given and the bundled default table was loaded. */
  readonly isDefault: boolean;
  /** Entities that own routes, by entity handle. */
  readonly owners: ReadonlyMap<number, LoadedEntity>;
}

/** A route's owner in JSON output. */
export interface OwnerJson {
  /** The entity as loadTable named it: 'static', or 'peer <index> <address> AS<asn>' for an MRT peer. */
  name: string;
  /** 'BGP' (MRT peers), 'NT_STATIC' (text formats), else 'PROTO_<id>'. */
  protocol: string;
  protocolId: number;
  instanceId: number;
  /** MRT only: the peer of the PEER_INDEX_TABLE. */
  peer?: { index: number; address: string; asn: number; bgpId: string };
}

/** A best route in JSON output. */
export interface RouteJson {
  owner: OwnerJson;
  /** RTM preference (lower wins): 0 for text formats; from LOCAL_PREF and AS-path length for MRT. */
  preference: number;
  /** Metric (MED, `ip route` metric); 0 when absent. */
  metric: number;
  /** Next-hop addresses, in route order; empty for a prefix list. */
  nextHops: string[];
}

/**
 * Loads `file` (undefined = the bundled default table) into a new Rtm. A table that yields no route
 * record (empty, every record malformed under --skip-bad, or only records of kinds not read, such as an
 * MRT file of BGP4MP updates) is an error. With `warn`, skipped records are reported on it.
 * @throws RtmError, TableFormatError, CliError (nothing loadable; its details name the counts)
 */
export async function loadInto(file: string | undefined, args: TableArgs, progress: Progress, warn?: Writer): Promise<LoadedTable> {
  const isDefault = file === undefined;
  const path = file ?? defaultTablePath();
  const rtm = Rtm.createSync();
  progress.begin(`loading ${path === '-' ? 'stdin' : basename(path)}`);
  try {
    const summary = await loadTable(rtm, path, {
      format: args.format, skipBad: args.skipBad, family: args.family,
      onProgress: (n, total) => progress.update(n, total),
    });
    if (summary.records.ipv4 + summary.records.ipv6 === 0) throw nothingLoadable(path, summary);
    const owners = new Map<number, LoadedEntity>();
    for (const e of summary.entities) owners.set(e.entity.handle as number, e);
    progress.end();
    if (warn !== undefined && summary.skipped > 0) warn.write(skippedWarning(path, summary));
    return { rtm, summary, file: path, isDefault, owners };
  } catch (err) {
    rtm.close();
    throw err;
  } finally {
    progress.end();
  }
}

/** How a table is named in text output. */
export function displayName(t: { file: string; isDefault: boolean }): string {
  if (t.file === '-') return '<stdin>';
  return t.isDefault ? `${basename(t.file)} (bundled default table)` : t.file;
}

/** The protocol name of an id ('BGP', 'NT_STATIC', else 'PROTO_<id>'). */
export function protocolName(protocolId: number): string {
  if (protocolId === PROTO_IP_BGP) return 'BGP';
  if (protocolId === PROTO_IP_NT_STATIC) return 'NT_STATIC';
  return `PROTO_${protocolId}`;
}

/** JSON of an entity. */
export function ownerJson(e: LoadedEntity): OwnerJson {
  const o: OwnerJson = { name: e.name, protocol: protocolName(e.protocolId), protocolId: e.protocolId, instanceId: e.instanceId };
  if (e.peer) o.peer = { index: e.peer.index, address: e.peer.address, asn: e.peer.asn, bgpId: e.peer.bgpId };
  return o;
}

/** JSON of a best route; an owner loadTable did not register is described by its protocol only. */
export function routeJson(t: LoadedTable, r: RouteSummary): RouteJson {
  const e = t.owners.get(r.owner as number);
  const owner: OwnerJson = e ? ownerJson(e)
    : { name: `entity ${String(r.owner)}`, protocol: protocolName(r.protocolId), protocolId: r.protocolId, instanceId: -1 };
  return { owner, preference: r.preference, metric: r.metric, nextHops: [...r.nextHops] };
}

/** One-line text of a best route: 'static (NT_STATIC) pref 0 metric 0 via 10.0.0.1'. */
export function routeText(r: RouteJson): string {
  const hops = r.nextHops.length === 0 ? 'no next hop' : `via ${r.nextHops.join(', ')}`;
  return `${r.owner.name} (${r.owner.protocol}) pref ${r.preference} metric ${r.metric} ${hops}`;
}

/** Linear memory of the (shared) core and bytes held by its slabs, overall and per live route. */
export function memoryOf(t: LoadedTable): { linearBytes: number; slabBytes: number; routes: number;
  linearBytesPerRoute: number; slabBytesPerRoute: number } {
  const routes = t.rtm.ipv4.routeCount + t.rtm.ipv6.routeCount;
  const linearBytes = t.rtm.ipv4.memoryBytes;
  const slabBytes = t.rtm.core.x.slabMemoryBytes();
  const per = (n: number) => (routes === 0 ? 0 : n / routes);
  return { linearBytes, slabBytes, routes, linearBytesPerRoute: per(linearBytes), slabBytesPerRoute: per(slabBytes) };
}

/** Skipped malformed records in JSON output: where (line, or byte offset for MRT) and why. */
export interface SkippedJson {
  line?: number;
  offset?: number;
  reason: string;
}

/** The first skipped records (up to 16) of a load, as JSON. */
export function skippedJson(summary: LoadSummary): SkippedJson[] {
  return summary.skippedErrors.map((e) => (e.line !== undefined ? { line: e.line, reason: e.reason }
    : e.offset !== undefined ? { offset: e.offset, reason: e.reason } : { reason: e.reason }));
}

/** 'line 3' / 'offset 1234' of a skipped record. */
export function skippedWhere(s: SkippedJson): string {
  return s.line !== undefined ? `line ${s.line}` : s.offset !== undefined ? `offset ${s.offset}` : 'record';
}

/** Records of kinds not read, by kind, as JSON ({ 'MRT BGP4MP/4': 1234 }). */
export function unsupportedJson(summary: LoadSummary): Record<string, number> {
  return Object.fromEntries([...summary.unsupportedKinds].sort((a, b) => b[1] - a[1]));
}

/** 'MRT BGP4MP/4: 1,234, MRT BGP4MP/1: 5' */
export function unsupportedText(summary: LoadSummary): string {
  return Object.entries(unsupportedJson(summary)).map(([k, n]) => `${k}: ${int(n)}`).join(', ');
}

/** The stderr note of commands other than load about skipped records: the count and the first few. */
export function skippedWarning(file: string, summary: LoadSummary): string {
  const list = skippedJson(summary);
  const name = file === '-' ? '<stdin>' : file;
  let out = `rtm: ${name}: skipped ${int(summary.skipped)} malformed record${summary.skipped === 1 ? '' : 's'}` +
    `${summary.skipped > list.length ? `; the first ${list.length}` : ''}:\n`;
  for (const s of list) out += `rtm:   ${skippedWhere(s)}: ${s.reason}\n`;
  return out;
}

/** The error for a table with no route record, with the counts for --json. */
function nothingLoadable(file: string, summary: LoadSummary): CliError {
  const name = file === '-' ? '<stdin>' : file;
  let why: string;
  if (summary.unsupported > 0) {
    why = `${int(summary.unsupported)} record${summary.unsupported === 1 ? '' : 's'} of kinds rtm does not read (${unsupportedText(summary)})`;
    if (summary.format === 'mrt') why += '; rtm reads MRT TABLE_DUMP_V2 RIB files, not BGP4MP update traces';
    if (summary.skipped > 0) why += `, and ${int(summary.skipped)} malformed records skipped`;
  } else if (summary.skipped > 0) {
    const first = skippedJson(summary)[0];
    why = `all ${int(summary.skipped)} records were malformed and skipped (first: ${skippedWhere(first)}: ${first.reason})`;
  } else {
    why = `no route records (${summary.bytesRead === 0 ? 'the input is empty' : 'only blank lines, comments or headers'})`;
  }
  return new CliError(`${name}: nothing loadable: ${why}`, {
    file: name, format: summary.format, records: 0, unsupported: summary.unsupported, unsupportedKinds: unsupportedJson(summary),
    skipped: summary.skipped, skippedRecords: skippedJson(summary),
  });
}
