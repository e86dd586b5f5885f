// `rtm load [FILE…]`: loads each table into its own Rtm through the bulk path and reports records and
// live destinations/routes per family, skipped records, routes per entity, the prefix-length
// histograms, memory and the load rate. The previous table is closed before the next is loaded, so the
// core's slabs are reused; linear memory is the process's high-water mark.
import { COMMON_OPTIONS_HELP, TABLE_OPTIONS, TABLE_OPTIONS_HELP, UsageError, tableOptions } from './args.js';
import type { Command, Context } from './command.js';
import { EXIT_OK, bytes, columns, fixed, histogramJson, histogramText, int, jsonText, sig3 } from './output.js';
import { displayName, loadInto, memoryOf, ownerJson, protocolName, skippedJson, skippedWhere, unsupportedJson, unsupportedText,
  type LoadedTable, type OwnerJson, type SkippedJson } from './tables.js';

/** `rtm load --json`: one entry per FILE, in argument order. */
export interface LoadJson {
  command: 'load';
  tables: TableLoadJson[];
}

export interface FamilyCounts { ipv4: number; ipv6: number; total: number }

export interface TableLoadJson {
  /** The path read ('-' = stdin); the absolute path of the bundled table when no FILE was given. */
  file: string;
  default: boolean;
  format: 'prefixes' | 'iproute' | 'mrt';
  /** Raw (compressed) bytes read. */
  bytesRead: number;
  /** Route records read (offered to the table). */
  records: FamilyCounts;
  /** Malformed records skipped (--skip-bad); 0 otherwise. */
  skipped: number;
  /** The first skipped records (up to 16): line (text) or byte offset (MRT), and why. */
  skippedRecords: SkippedJson[];
  /** Well-formed records of kinds rtm does not read (MRT BGP4MP, `ip route` local/broadcast, …), and by kind. */
  unsupported: number;
  unsupportedKinds: Record<string, number>;
  /** Live destinations and routes in the table after loading. */
  destinations: FamilyCounts;
  routes: FamilyCounts;
  /** MRT: peers that own routes; 0 for text formats. */
  peers: number;
  /** Entities that own routes (text formats: 'static' per family; MRT: one per peer and family). */
  entities: (OwnerJson & { family: 'ipv4' | 'ipv6'; records: number })[];
  /** Records per prefix length (only non-zero lengths), per family. */
  histogram: { ipv4: Record<string, number>; ipv6: Record<string, number> };
  /** Linear memory of the core (shared by the process) and bytes held by its slabs, also per live route. */
  memory: { linearBytes: number; slabBytes: number; linearBytesPerRoute: number; slabBytesPerRoute: number };
  /** Wall time of loadTable (read, parse, insert) and the rate. */
  ms: number;
  recordsPerSecond: number;
}

const counts = (v4: number, v6: number): FamilyCounts => ({ ipv4: v4, ipv6: v6, total: v4 + v6 });

/** The JSON of a loaded table. */
export function loadJson(t: LoadedTable): TableLoadJson {
  const s = t.summary, m = memoryOf(t);
  const peers = new Set(s.entities.filter((e) => e.peer !== undefined).map((e) => e.peer!.index));
  const total = s.records.ipv4 + s.records.ipv6;
  return {
    file: t.file, default: t.isDefault, format: s.format, bytesRead: s.bytesRead,
    records: counts(s.records.ipv4, s.records.ipv6), skipped: s.skipped, skippedRecords: skippedJson(s),
    unsupported: s.unsupported, unsupportedKinds: unsupportedJson(s),
    destinations: counts(t.rtm.ipv4.destCount, t.rtm.ipv6.destCount),
    routes: counts(t.rtm.ipv4.routeCount, t.rtm.ipv6.routeCount),
    peers: peers.size,
    entities: s.entities.map((e) => ({ ...ownerJson(e), family: e.family === 4 ? 'ipv4' as const : 'ipv6' as const, records: e.records })),
    histogram: { ipv4: histogramJson(s.histogram.ipv4), ipv6: histogramJson(s.histogram.ipv6) },
    memory: { linearBytes: m.linearBytes, slabBytes: m.slabBytes, linearBytesPerRoute: round1(m.linearBytesPerRoute),
      slabBytesPerRoute: round1(m.slabBytesPerRoute) },
    ms: round1(s.ms), recordsPerSecond: Math.round(s.ms > 0 ? (total * 1000) / s.ms : 0),
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The text report of a loaded table. */
export function loadText(t: LoadedTable, j: TableLoadJson, showSkipped: boolean): string {
  const fam = (c: FamilyCounts) => `${int(c.total)}  (IPv4 ${int(c.ipv4)}, IPv6 ${int(c.ipv6)})`;
  const rows: string[][] = [
    ['format', `${j.format}, ${bytes(j.bytesRead)} read`],
    ['records', fam(j.records)],
  ];
  if (showSkipped || j.skipped > 0) {
    rows.push(['skipped', `${int(j.skipped)} malformed records${j.skipped > j.skippedRecords.length ? `; the first ${j.skippedRecords.length}:` : j.skipped > 0 ? ':' : ''}`]);
    for (const r of j.skippedRecords) rows.push(['', `  ${skippedWhere(r)}: ${r.reason}`]);
  }
  if (j.unsupported > 0) rows.push(['unsupported', `${int(j.unsupported)} records of kinds not read (${unsupportedText(t.summary)})`]);
  rows.push(['destinations', fam(j.destinations)], ['routes', fam(j.routes)]);
  if (j.peers > 0) rows.push(['MRT peers', `${j.peers} with routes`]);
  rows.push(['memory', `${bytes(j.memory.linearBytes)} linear memory (${fixed(j.memory.linearBytesPerRoute, 1)} B/route); ` +
    `slabs ${bytes(j.memory.slabBytes)} (${fixed(j.memory.slabBytesPerRoute, 1)} B/route)`]);
  rows.push(['load time', `${int(j.ms)} ms, ${sig3(j.recordsPerSecond)} records/s`]);
  let out = `${displayName(t)}\n${columns(rows)}`;
  out += `\nroutes per entity (records loaded):\n`;
  out += j.entities.length === 0 ? '  none\n' : columns(j.entities.map((e) => [
    e.name, `${protocolName(e.protocolId)} ${e.protocolId}/${e.instanceId}`, e.family === 'ipv4' ? 'IPv4' : 'IPv6', int(e.records),
  ]), [false, false, false, true]);
  for (const f of ['ipv4', 'ipv6'] as const) {
    if (j.records[f] === 0) continue;
    out += `\n${histogramText(`prefix lengths, ${f === 'ipv4' ? 'IPv4' : 'IPv6'}`, t.summary.histogram[f])}`;
  }
  return out;
}

export const loadCommand: Command = {
  name: 'load',
  summary: 'load tables; report counts, prefix lengths, entities, memory and load rate',
  options: { ...TABLE_OPTIONS },
  positionals: { min: 0, max: Infinity, what: 'FILE' },
  help: `Usage: rtm load [options] [FILE...]

Loads each FILE into its own RTM instance through the bulk path (loadTable) and reports, per file:
records read and live destinations and routes per family, routes per entity (one entity per family
for text formats, one BGP entity per MRT peer and family), the prefix-length histogram, memory
(linear memory of the WebAssembly core and bytes held by its slabs, per route) and the load rate.
FILE is a prefix list, an 'ip route' dump or an MRT TABLE_DUMP_V2 RIB, plain or gzip; '-' is stdin.
Without FILE the bundled default table is loaded (1,062,046 prefixes, IPv4 + IPv6).

Options:
${TABLE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}

--json prints {"command":"load","tables":[{file, default, format, bytesRead, records, skipped,
skippedRecords, unsupported, unsupportedKinds, destinations, routes, peers, entities, histogram,
memory, ms, recordsPerSecond}]}; counts are {ipv4, ipv6, total}, histograms {"<length>": records},
skippedRecords the first 16 skipped records as {line or offset, reason}, unsupportedKinds
{"<kind>": records} (records of kinds not read, e.g. MRT BGP4MP updates).
A FILE that yields no route record (empty, all malformed, or only kinds not read) is an error
(status 1) naming what it held.
`,
  async run(ctx: Context): Promise<number> {
    const args = tableOptions('load', ctx.values);
    const files: (string | undefined)[] = ctx.positionals.length === 0 ? [undefined] : [...ctx.positionals];
    if (files.filter((f) => f === '-').length > 1) throw new UsageError('load', "stdin ('-') can be read only once");
    const tables: TableLoadJson[] = [];
    const texts: string[] = [];
    for (const f of files) {
      const t = await loadInto(f, args, ctx.progress);
      try {
        const j = loadJson(t);
        tables.push(j);
        if (!ctx.json) texts.push(loadText(t, j, args.skipBad));
      } finally {
        t.rtm.close();
      }
    }
    ctx.stdout.write(ctx.json ? jsonText({ command: 'load', tables } satisfies LoadJson) : texts.join('\n'));
    return EXIT_OK;
  },
};
