// `rtm bench [FILE]`: the benchmark suite on a loaded table. Rows: the load (loadTable: read, parse,
// insert) and, per family, single (CoreTable.lookup4/lookup6, one call per address) and batch
// (Table.lookupBatch) longest-prefix match for uniform random addresses (mulberry32 seed 1) and for
// addresses inside announced prefixes (seed 2) — each with ns/op, M ops/s and its speedup over the
// naive baseline (NaiveLpm: a Map per prefix length) measured in the same run on the same addresses.
// Full runs also compute the workload-convention checksums over 2^24 IPv4 addresses. Memory: the table,
// its records in JS arrays (readAll) and the baseline's Maps.
import { basename } from 'node:path';
import { Rtm } from '../rtm.js';
import { readAll, type RouteBatch } from '../readers/index.js';
import { COMMON_OPTIONS_HELP, TABLE_OPTIONS, TABLE_OPTIONS_HELP, UsageError, countOption, tableOptions } from './args.js';
import type { Command, Context } from './command.js';
import { CliError, EXIT_OK, columns, fixed, histogramJson, int, jsonText, pct, sig3 } from './output.js';
import { displayName, loadInto, type LoadedTable } from './tables.js';
import { AddressStream, NaiveLpm, measure, type PrefixList } from './workload.js';
import { CHUNK, breathe } from './interrupt.js';

/** `rtm bench --json`. */
export interface BenchJson {
  command: 'bench';
  table: { file: string; default: boolean; format: string; records: { ipv4: number; ipv6: number } };
  quick: boolean;
  /** The WebAssembly build measured ('release' unless RTM_WASM=debug). */
  core: 'release' | 'debug';
  environment: { node: string; platform: string; arch: string };
  /** Prefix-length histograms of the data set (records per length). */
  histogram: { ipv4: Record<string, number>; ipv6: Record<string, number> };
  results: BenchRowJson[];
  /** Full runs with IPv4 prefixes: the workload-convention checksums (sum of next hops (i % 256) + 1). */
  checksum?: ChecksumJson;
}

export interface BenchRowJson {
  family: 'ipv4' | 'ipv6' | 'both';
  task: 'load' | 'lookup';
  /** Lookups: 'single' (one call per address) or 'batch' (lookupBatch). */
  mode?: 'single' | 'batch';
  /** Lookups: 'random' (uniform, seed 1) or 'in-prefix' (inside announced prefixes, seed 2). */
  workload?: 'random' | 'in-prefix';
  /** Operations per timed run (addresses, or records for the load). */
  operations: number;
  /** Lookups: the baseline runs on the first this many of the same addresses (it is slow). */
  baselineOperations?: number;
  runs: number;
  nsPerOp: number;
  mopsPerSecond: number;
  baseline: { name: string; nsPerOp: number; mopsPerSecond: number };
  /** Baseline ns/op ÷ rtm ns/op: above 1, rtm is that many times faster. */
  speedup: number;
  /** Lookups: share of addresses that matched (rtm and the baseline must agree, else the command fails). */
  hitRate?: number;
}

export interface ChecksumJson {
  addresses: number;
  random: number;
  inPrefix: number;
  /** The published values for the tier-1 IPv4 table (../shared/data/README.md), when this is that table. */
  expected?: { random: number; inPrefix: number };
  ok?: boolean;
}

/** Published checksums over the first 2^24 addresses for the tier-1 IPv4 table (901,899 prefixes). */
export const TIER1_IPV4_RECORDS = 901_899;
export const TIER1_CHECKSUMS = { random: 1_505_482_987, inPrefix: 2_155_969_819 };
const CHECKSUM_ADDRESSES = 1 << 24;

const NAIVE = 'Map per prefix length';

function row(family: BenchRowJson['family'], task: BenchRowJson['task'], operations: number, runs: number, ms: number,
  baselineMs: number, extra: Partial<BenchRowJson> = {}): BenchRowJson {
  const ns = (ms * 1e6) / operations, bns = (baselineMs * 1e6) / operations;
  return {
    family, task, ...extra, operations, runs,
    nsPerOp: round3(ns), mopsPerSecond: round3(1e3 / ns),
    baseline: { name: NAIVE, nsPerOp: round3(bns), mopsPerSecond: round3(1e3 / bns) },
    speedup: round3(bns / ns),
  };
}

const round3 = (n: number): number => (Number.isFinite(n) ? Number(n.toPrecision(4)) : 0);

const prefixList = (b: RouteBatch): PrefixList => ({ family: b.family, keys: b.keys, lens: b.lens, count: b.count });

/**
 * Sums of next hops over the convention's first 2^24 IPv4 addresses: prefix i of the file has next hop
 * (i % 256) + 1; an address adds the next hop of its longest match (0 for none).
 */
export async function checksums(rtm: Rtm, v4: PrefixList, addresses = CHECKSUM_ADDRESSES, onStep?: (done: number) => void): Promise<{ random: number; inPrefix: number } | undefined> {
  const table = rtm.ipv4;
  const destIds = new Int32Array(v4.count);
  // every record's prefix is in the table already: this finds (never creates) its destination
  const created = table.core.insertBatch(v4.keys, v4.lens, v4.count, destIds, 0);
  if (created !== 0) return undefined;
  let maxId = 0;
  for (let i = 0; i < v4.count; i++) maxId = Math.max(maxId, destIds[i]);
  const nextHop = new Uint16Array(maxId + 1);
  for (let i = 0; i < v4.count; i++) if (nextHop[destIds[i]] === 0) nextHop[destIds[i]] = (i % 256) + 1;
  const STEP = 1 << 18;
  const keys = new Uint32Array(STEP), out = new Int32Array(STEP);
  const sums: number[] = [];
  for (const inside of [undefined, v4]) {
    const gen = new AddressStream(4, inside);
    let sum = 0;
    for (let done = 0; done < addresses; done += CHUNK) {
      const n = Math.min(CHUNK, addresses - done);
      gen.fill(keys, n);
      table.lookupBatch(n === CHUNK ? keys : keys.subarray(0, n), out, 0);
      for (let i = 0; i < n; i++) { const d = out[i]; if (d >= 0) sum += nextHop[d]; }
      onStep?.(done + n + (inside ? addresses : 0));
      await breathe();
    }
    sums.push(sum);
  }
  return { random: sums[0], inPrefix: sums[1] };
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmark loading and lookups against a naive baseline',
  options: { ...TABLE_OPTIONS, quick: { type: 'boolean', short: 'q' }, addresses: { type: 'string', short: 'n' } },
  positionals: { min: 0, max: 1, what: 'FILE' },
  help: `Usage: rtm bench [options] [FILE]

Runs the benchmark suite on a table (default: the bundled default table): the load rate, then per
family single and batch longest-prefix match for uniform random addresses (mulberry32 seed 1) and
for addresses inside announced prefixes (seed 2 picks a prefix in file order, then fills its host
bits), as in ../shared/data/README.md "Workload conventions". Every figure (ns/op, M ops/s) comes
with its speedup over a naive baseline measured in the same run on the same addresses (the first
200,000 of them): a JS Map per prefix length, probed from the longest length down. Times are
medians of repeated runs after a warm-up; the load is timed once. A full run also computes the
convention's checksums over the first 2^24 IPv4 addresses and compares them with the published
values for the tier-1 table (a mismatch fails the command). FILE must be a file (not stdin): it is
read twice.

Options:
  -q, --quick       100,000 addresses per task (baseline: 20,000), short timings, no checksums
  -n, --addresses N addresses per lookup task (default 1,000,000; --quick 100,000); the baseline
                    runs on the first 200,000 of them (--quick: 20,000)
${TABLE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}

--json prints {"command":"bench","table","quick","core","environment","histogram",
"results":[{family,task,mode,workload,operations,baselineOperations,runs,nsPerOp,mopsPerSecond,
baseline:{name,nsPerOp,mopsPerSecond},speedup,hitRate}],
"checksum"?:{addresses,random,inPrefix,expected?,ok?}}.
`,
  async run(ctx: Context): Promise<number> {
    const args = tableOptions('bench', ctx.values);
    const quick = ctx.values.quick === true;
    const file = ctx.positionals[0];
    if (file === '-') throw new UsageError('bench', 'FILE must be a file, not stdin (it is read twice)');
    const minMs = quick ? 100 : 1000, minRuns = quick ? 2 : 3;
    const addresses = countOption('bench', ctx.values, 'addresses', quick ? 100_000 : 1_000_000);
    if (addresses < 1 || addresses > 1 << 26) throw new UsageError('bench', `--addresses must be in 1..${1 << 26}, not ${addresses}`);
    const baseAddresses = Math.min(addresses, quick ? 20_000 : 200_000);

    const t = await loadInto(file, args, ctx.progress, ctx.stderr);
    try {
      const rows: BenchRowJson[] = [];
      const families = ([4, 6] as const).filter((f) => (f === 4 ? t.summary.records.ipv4 : t.summary.records.ipv6) > 0);
      const steps = 2 + families.length * 6 + (quick ? 0 : 1);
      let step = 0;
      const next = (label: string) => ctx.progress.step(`bench: ${label}`, step++, steps);

      // 1. the load (timed once by loadTable) against reading the records and building the baseline
      next('reading the records for the workloads');
      const t0 = performance.now();
      const all = await readAll(t.file, { format: args.format, skipBad: args.skipBad, family: args.family });
      const readMs = performance.now() - t0;
      next('building the baseline');
      const naive = new Map<4 | 6, NaiveLpm>();
      const t1 = performance.now();
      for (const f of families) naive.set(f, await new NaiveLpm(f).addAllAsync(prefixList(f === 4 ? all.v4 : all.v6)));
      const naiveLoadMs = readMs + performance.now() - t1;
      const records = t.summary.records.ipv4 + t.summary.records.ipv6;
      if (records > 0) rows.push(row('both', 'load', records, 1, t.summary.ms, naiveLoadMs));

      // 2. lookups
      for (const f of families) {
        const fam = f === 4 ? 'IPv4' : 'IPv6';
        const list = prefixList(f === 4 ? all.v4 : all.v6);
        const table = f === 4 ? t.rtm.ipv4 : t.rtm.ipv6;
        const base = naive.get(f)!;
        const out = new Int32Array(addresses), baseOut = new Int32Array(baseAddresses);
        for (const workload of ['random', 'in-prefix'] as const) {
          const keys = await new AddressStream(f, workload === 'random' ? undefined : list).takeAsync(addresses);
          const what = `${fam} ${workload === 'random' ? 'uniform random' : 'in-prefix'} addresses`;
          const w = f === 4 ? 1 : 4;
          next(`${what}, single lookups`);
          const core = table.core;
          // every task runs in chunks of CHUNK addresses; measure() pauses between them so Ctrl-C is handled
          const single = await measure(f === 4
            ? (from, to) => { let h = 0; for (let i = from; i < to; i++) if (core.lookup4(keys[i]) >= 0) h++; return h; }
            : (from, to) => { let h = 0; for (let i = from; i < to; i++) if (core.lookup6(keys, 4 * i) >= 0) h++; return h; },
          { minMs, minRuns, total: addresses, chunk: CHUNK });
          const singleHits = single.result;
          next(`${what}, batch lookups`);
          const batch = await measure((from, to) => table.lookupBatch(keys.subarray(w * from, w * to), out.subarray(from, to), 0),
            { minMs, minRuns, total: addresses, chunk: CHUNK });
          const batchHits = batch.result;
          // the baseline is slow: it runs on the first baseAddresses of the same addresses
          next(`${what}, naive baseline`);
          const b = await measure((from, to) => base.lookupMany(keys.subarray(w * from, w * to), to - from, baseOut.subarray(from, to)),
            { minMs, minRuns: 2, warmup: false, total: baseAddresses, chunk: CHUNK >> 2 });
          const baseHits = b.result;
          let coreHitsOfBase = 0;
          for (let i = 0; i < baseAddresses; i++) if (out[i] >= 0) coreHitsOfBase++;
          if (singleHits !== batchHits || coreHitsOfBase !== baseHits) {
            throw new CliError(`bench: ${what}: rtm found ${batchHits} (batch) / ${singleHits} (single) matches, ` +
              `${coreHitsOfBase} in the first ${baseAddresses}, where the baseline found ${baseHits}`);
          }
          const hitRate = Math.round((1e4 * batchHits) / addresses) / 1e4;
          const fam6 = f === 4 ? 'ipv4' as const : 'ipv6' as const;
          const baseMs = (b.msPerRun * addresses) / baseAddresses;
          rows.push(row(fam6, 'lookup', addresses, single.runs, single.msPerRun, baseMs, { mode: 'single', workload, hitRate, baselineOperations: baseAddresses }));
          rows.push(row(fam6, 'lookup', addresses, batch.runs, batch.msPerRun, baseMs, { mode: 'batch', workload, hitRate, baselineOperations: baseAddresses }));
        }
      }

      // 3. checksums (full runs, IPv4)
      let checksum: ChecksumJson | undefined;
      if (!quick && all.v4.count > 0) {
        next('checksums over 2^24 IPv4 addresses');
        const sums = await checksums(t.rtm, prefixList(all.v4), CHECKSUM_ADDRESSES,
          (done) => ctx.progress.step('bench: checksums, millions of addresses', Math.round(done / 2 ** 20), (2 * CHECKSUM_ADDRESSES) / 2 ** 20));
        if (sums) {
          checksum = { addresses: CHECKSUM_ADDRESSES, ...sums };
          if (all.v4.count === TIER1_IPV4_RECORDS && t.summary.format === 'prefixes') {
            checksum.expected = { ...TIER1_CHECKSUMS };
            checksum.ok = sums.random === TIER1_CHECKSUMS.random && sums.inPrefix === TIER1_CHECKSUMS.inPrefix;
          }
        }
      }
      ctx.progress.end();

      const doc: BenchJson = {
        command: 'bench',
        table: { file: t.file, default: t.isDefault, format: t.summary.format, records: { ...t.summary.records } },
        quick, core: t.rtm.core.build,
        environment: { node: process.version, platform: process.platform, arch: process.arch },
        histogram: { ipv4: histogramJson(t.summary.histogram.ipv4), ipv6: histogramJson(t.summary.histogram.ipv6) },
        results: rows,
      };
      if (checksum) doc.checksum = checksum;
      ctx.stdout.write(ctx.json ? jsonText(doc) : benchText(t, doc));
      if (checksum?.ok === false) {
        throw new CliError(`bench: checksum mismatch: random ${checksum.random} (expected ${checksum.expected!.random}), ` +
          `in-prefix ${checksum.inPrefix} (expected ${checksum.expected!.inPrefix})`);
      }
      return EXIT_OK;
    } finally {
      ctx.progress.end();
      t.rtm.close();
    }
  },
};

/** The text report. */
function benchText(t: LoadedTable, doc: BenchJson): string {
  let out = `rtm bench: ${displayName(t)}, ${doc.core} core, ${doc.quick ? 'quick' : 'full'} run, Node ${doc.environment.node}\n`;
  for (const f of ['ipv4', 'ipv6'] as const) {
    const n = doc.table.records[f];
    if (n === 0) continue;
    const h = Object.entries(doc.histogram[f]).map(([l, c]) => `/${l}:${c}`).join(' ');
    out += `  ${f === 'ipv4' ? 'IPv4' : 'IPv6'} ${int(n)} records; lengths ${h}\n`;
  }
  out += `  baseline: ${NAIVE} (JS), same addresses, same run; speedup = baseline time / rtm time\n\n`;
  const rows: string[][] = [['task', 'rtm ns/op', 'M ops/s', 'baseline ns/op', 'M ops/s', 'speedup', 'note']];
  for (const r of doc.results) {
    const name = r.task === 'load'
      ? `load ${basename(t.file)} (read, parse, insert)`
      : `${r.family === 'ipv4' ? 'IPv4' : 'IPv6'} ${r.mode} lookup, ${r.workload === 'random' ? 'uniform random' : 'inside prefixes'}`;
    const note = r.task === 'load' ? `${int(r.operations)} records, ${int((r.nsPerOp * r.operations) / 1e6)} ms`
      : `${int(r.operations)} addresses, ${pct(r.hitRate ?? 0, 1)} hit, ${r.runs} runs`;
    rows.push([name, sig3(r.nsPerOp), sig3(r.mopsPerSecond), sig3(r.baseline.nsPerOp), sig3(r.baseline.mopsPerSecond),
      `${fixed(r.speedup, r.speedup >= 10 ? 1 : 2)}x`, note]);
  }
  out += columns(rows, [false, true, true, true, true, true, false]);
  if (doc.checksum) {
    const c = doc.checksum;
    out += `\nchecksums over the first ${int(c.addresses)} IPv4 addresses (next hop of prefix i = (i % 256) + 1):\n` +
      `  random ${int(c.random)}, in-prefix ${int(c.inPrefix)}` +
      (c.expected ? (c.ok ? '  (match the published values)' : `  (MISMATCH: expected ${int(c.expected.random)}, ${int(c.expected.inPrefix)})`) : '') + '\n';
  }
  if (doc.core === 'debug') out += '\nnote: the debug core was measured (RTM_WASM=debug); unset it for release figures\n';
  return out;
}
