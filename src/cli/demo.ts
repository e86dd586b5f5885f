// `rtm demo` (what `npm start` runs): loads the bundled table (IPv4 and IPv6) through the library, prints
// its summary, looks up a handful of well-known addresses with their best routes, and measures batch
// lookups of uniform random IPv4 addresses against the naive baseline. Finishes in a few seconds: the
// baseline is built from the loaded table's destinations (no second read of the file).
import type { Table } from '../rtm.js';
import { COMMON_OPTIONS_HELP } from './args.js';
import type { Command, Context } from './command.js';
import { EXIT_OK, bytes, columns, fixed, int, jsonText, pct, sig3 } from './output.js';
import { displayName, loadInto, memoryOf } from './tables.js';
import { lookupOne, lookupText, type LookupResultJson } from './lookup.js';
import { AddressStream, NaiveLpm, measure, type PrefixList } from './workload.js';
import { CHUNK } from './interrupt.js';

/** The addresses the demo looks up: public resolvers, and two that no Internet table holds. */
export const DEMO_ADDRESSES = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '208.67.222.222', '192.168.1.1',
  '2001:4860:4860::8888', '2606:4700:4700::1111', '2620:fe::fe', '::1'];
const THROUGHPUT_ADDRESSES = 250_000;
/** The baseline is slow: it runs on the first this many of the same addresses. */
const BASELINE_ADDRESSES = 25_000;

/** `rtm demo --json`. */
export interface DemoJson {
  command: 'demo';
  table: { file: string; format: string; records: { ipv4: number; ipv6: number }; destinations: { ipv4: number; ipv6: number };
    routes: { ipv4: number; ipv6: number }; ms: number; recordsPerSecond: number; linearBytes: number; linearBytesPerRoute: number };
  lookups: LookupResultJson[];
  throughput: { addresses: number; workload: 'random'; core: string; lookupsPerSecond: number; nsPerLookup: number; hitRate: number;
    baseline: { name: string; addresses: number; lookupsPerSecond: number; nsPerLookup: number }; speedup: number };
}

/** The IPv4 destinations of a table as a prefix list (canonical order; the baseline needs no file order). */
function destinations(table: Table): PrefixList {
  const ids = table.core.all(1);
  const keys = new Uint32Array(4 * ids.length), lens = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) lens[i] = table.core.destKeyInto(ids[i], keys, 4 * i);
  return { family: table.family, keys, lens, count: ids.length };
}

export const demoCommand: Command = {
  name: 'demo',
  summary: "short tour on the bundled table (what 'npm start' runs)",
  options: {},
  positionals: { min: 0, max: 0, what: 'arguments' },
  help: `Usage: rtm demo [options]

Loads the bundled default table (IPv4 and IPv6) through the library, prints its summary, looks up a
few well-known addresses with their best routes:
  ${DEMO_ADDRESSES.slice(0, 5).join(', ')},
  ${DEMO_ADDRESSES.slice(5).join(', ')},
and measures batch lookups of ${int(THROUGHPUT_ADDRESSES)} uniform random IPv4 addresses (mulberry32 seed 1)
against a naive baseline (a JS Map per prefix length, on the first ${int(BASELINE_ADDRESSES)} of them).
Takes a few seconds. 'npm start' runs it.

Options:
${COMMON_OPTIONS_HELP}

--json prints {"command":"demo","table","lookups":[as in 'rtm lookup --json' results],"throughput":
{addresses,workload,core,lookupsPerSecond,nsPerLookup,hitRate,baseline:{name,addresses,
lookupsPerSecond,nsPerLookup},speedup}}.
`,
  async run(ctx: Context): Promise<number> {
    const t = await loadInto(undefined, { format: 'auto', skipBad: false }, ctx.progress);
    try {
      const s = t.summary, m = memoryOf(t);
      const lookups = DEMO_ADDRESSES.map((a) => lookupOne(t, a, 0));

      ctx.progress.step('demo: measuring batch lookups', 0, 2);
      const keys = await new AddressStream(4).takeAsync(THROUGHPUT_ADDRESSES);
      const out = new Int32Array(THROUGHPUT_ADDRESSES);
      const core = await measure((from, to) => t.rtm.ipv4.lookupBatch(keys.subarray(from, to), out.subarray(from, to), 0),
        { minMs: 200, minRuns: 3, maxRuns: 20, total: THROUGHPUT_ADDRESSES, chunk: CHUNK });
      const hits = core.result;
      ctx.progress.step('demo: measuring the naive baseline', 1, 2);
      const naive = await new NaiveLpm(4).addAllAsync(destinations(t.rtm.ipv4));
      const baseOut = new Int32Array(BASELINE_ADDRESSES);
      const base = await measure((from, to) => naive.lookupMany(keys.subarray(from, to), to - from, baseOut.subarray(from, to)),
        { minMs: 200, minRuns: 3, maxRuns: 10, total: BASELINE_ADDRESSES, chunk: CHUNK >> 2 });
      ctx.progress.end();
      const ns = (core.msPerRun * 1e6) / THROUGHPUT_ADDRESSES, baseNs = (base.msPerRun * 1e6) / BASELINE_ADDRESSES;
      const total = s.records.ipv4 + s.records.ipv6;

      const doc: DemoJson = {
        command: 'demo',
        table: { file: t.file, format: s.format, records: { ...s.records },
          destinations: { ipv4: t.rtm.ipv4.destCount, ipv6: t.rtm.ipv6.destCount },
          routes: { ipv4: t.rtm.ipv4.routeCount, ipv6: t.rtm.ipv6.routeCount },
          ms: Math.round(s.ms), recordsPerSecond: Math.round((total * 1000) / s.ms),
          linearBytes: m.linearBytes, linearBytesPerRoute: Math.round(m.linearBytesPerRoute * 10) / 10 },
        lookups,
        throughput: { addresses: THROUGHPUT_ADDRESSES, workload: 'random', core: t.rtm.core.build,
          lookupsPerSecond: Math.round(1e9 / ns), nsPerLookup: Math.round(ns * 10) / 10, hitRate: hits / THROUGHPUT_ADDRESSES,
          baseline: { name: 'Map per prefix length', addresses: BASELINE_ADDRESSES, lookupsPerSecond: Math.round(1e9 / baseNs), nsPerLookup: Math.round(baseNs * 10) / 10 },
          speedup: Math.round((baseNs / ns) * 100) / 100 },
      };
      if (ctx.json) {
        ctx.stdout.write(jsonText(doc));
        return EXIT_OK;
      }
      const tp = doc.throughput;
      let text = `rtm demo: a Routing Table Manager with Windows RTMv2 semantics on a WebAssembly core\n\n`;
      text += `Loaded ${displayName(t)}: ${int(total)} prefixes in ${fixed(s.ms / 1000, 2)} s ` +
        `(${sig3(doc.table.recordsPerSecond)} prefixes/s)\n`;
      text += columns([
        ['IPv4', `${int(doc.table.destinations.ipv4)} destinations`, `${int(doc.table.routes.ipv4)} routes`],
        ['IPv6', `${int(doc.table.destinations.ipv6)} destinations`, `${int(doc.table.routes.ipv6)} routes`],
        ['memory', `${bytes(m.linearBytes)} linear memory`, `${fixed(m.linearBytesPerRoute, 1)} B/route`],
      ], [false, true, true]);
      text += `\nLookups (most specific destination with a live unicast route, and its best route):\n`;
      text += lookupText(lookups).replace(/^(?=.)/gm, '  ');
      text += `\nThroughput: batch lookups of ${int(tp.addresses)} uniform random IPv4 addresses (${tp.core} core, ` +
        `${pct(hits, tp.addresses)} hit):\n`;
      text += columns([
        ['rtm (Table.lookupBatch)', `${sig3(tp.lookupsPerSecond / 1e6)} M lookups/s`, `${sig3(tp.nsPerLookup)} ns/lookup`],
        ['naive baseline (JS Map per prefix length)', `${sig3(tp.baseline.lookupsPerSecond / 1e6)} M lookups/s`,
          `${sig3(tp.baseline.nsPerLookup)} ns/lookup`],
      ], [false, true, true]);
      text += `  rtm is ${fixed(tp.speedup, 1)}x the naive baseline\n`;
      text += `\nMore: rtm load FILE, rtm lookup ADDR..., rtm bench, rtm diff A B (rtm --help)\n`;
      ctx.stdout.write(text);
      return EXIT_OK;
    } finally {
      ctx.progress.end();
      t.rtm.close();
    }
  },
};
