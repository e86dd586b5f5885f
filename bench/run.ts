// The benchmark suite (tinybench) on real tables: the tier-1 IPv4 (~900k) and IPv6 (~160k) prefix lists
// from ../shared/data, or the bundled default table when that folder is absent. For each family:
// build time, bytes per prefix, single and batch lookup rates for random addresses and for addresses
// inside announced prefixes, and delete rate — each with its ratio to the naive reference model
// (test/reference/trie-model.ts) measured in the same run on the same data. Uses the release core.
// Then the simulator hot paths of issue 9 (bench/hot.ts) and lookups across cores of issue 11 (bench/pool.ts),
// each its own section. Writes bench/RESULTS.md (with the command and the dataset's prefix-length
// histogram) and prints it.
import { Bench } from 'tinybench';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { loadCoreSync, createCoreSync, type Core } from '../src/port/core.js';
import { CoreTable } from '../src/coretable.js';
import { Rtm } from '../src/rtm.js';
import { VirtualClock } from '../src/clock.js';
import { PROTO_IP_BGP } from '../src/win32/constants.js';
import { Family, formatPrefix } from '../src/address.js';
import { RefTrie } from '../test/reference/trie-model.js';
import { Row, benchManyTables, benchChurn, benchNextHops } from './scale.js';
import { readPrefixFile } from '../test/helpers/prefixfile.js';
import type { PrefixSet } from '../test/helpers/random.js';
import { AddressStream } from '../src/cli/workload.js';
import { anchorFamily, attachAnchor, cCells, C_HEADER, C_RULE, type Workload } from './anchor.js';
import { benchPool } from './pool.js';
import { hotProcess } from './hot.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.includes(`${'/dist/'}`) ? resolve(here, '../..') : resolve(here, '..');
const SHARED = process.env.RTM_SHARED_DATA ?? resolve(ROOT, '../shared/data');
const QUICK = process.argv.includes('--quick');
/** Markers of the fuzz section of RESULTS.md (kept by hand, carried over by each run). */
const FUZZ_BEGIN = '<!-- issue 12 fuzz: begin', FUZZ_END = '<!-- issue 12 fuzz: end -->';
/** Markers of the bulk-build A/B section of RESULTS.md (issue 13; kept by hand, carried over by each run). */
const BULK_BEGIN = '<!-- issue 13 bulk build: begin', BULK_END = '<!-- issue 13 bulk build: end -->';
const OUT = process.argv.includes('--no-write') ? undefined : resolve(ROOT, 'bench/RESULTS.md');

const rows: Row[] = [];
const anchorNotes: string[] = [];

/** Mean ms per iteration of fn, measured by tinybench (≥ 1000 ms per task unless --quick). */
async function timeIt(name: string, fn: () => void, opts: { iterations?: number } = {}): Promise<number> {
  const bench = new Bench({ time: QUICK ? 200 : 1000, iterations: opts.iterations ?? 3, warmup: true, warmupIterations: 1 });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0].result as { state: string; period?: number; error?: unknown };
  if (r.state !== 'completed' || r.period === undefined) throw new Error(`${name}: ${String(r.error ?? r.state)}`);
  return r.period;
}

/** CPU time of the process, ms. */
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

/** A fresh instance of one family (release core, or `core`) with one BGP entity and its one next hop. */
function freshTable(family: Family, core?: Core) {
  const af = family === 4 ? 'ipv4' : 'ipv6';
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: [af], core });
  const e = rtm.registerEntity({ addressFamily: af, protocolId: PROTO_IP_BGP, instanceId: 0 });
  const nh = e.addNextHop({ address: family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle!;
  return { rtm, table: rtm[af], e, nh };
}

/** The median of `v` (sorts it). */
const medianOf = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1];

/** Addresses of the workload conventions: uniform random (seed 1) or inside the set's prefixes (seed 2). */
function addresses(set: PrefixSet, n: number, inside: boolean): Uint32Array {
  return new AddressStream(set.family, inside ? set : undefined).take(n);
}

function histogram(set: PrefixSet): string {
  const h = new Map<number, number>();
  for (let i = 0; i < set.count; i++) h.set(set.lens[i], (h.get(set.lens[i]) ?? 0) + 1);
  return [...h.entries()].sort((a, b) => a[0] - b[0]).map(([l, c]) => `/${l}:${c}`).join(' ');
}

async function benchFamily(family: Family, set: PrefixSet, source: string): Promise<string> {
  const fam = family === 4 ? 'IPv4' : 'IPv6';
  const core = loadCoreSync('release');
  const N = set.count;
  const destIds = new Int32Array(N);
  const LIVE_UCAST = 0x201;

  // build
  const buildCore = await timeIt(`${fam} build core`, () => {
    const t = new CoreTable(core, family);
    t.insertBatch(set.keys, set.lens, N, destIds, LIVE_UCAST);
    t.free();
  });
  const buildRef = await timeIt(`${fam} build ref`, () => {
    const r = new RefTrie(family);
    for (let i = 0; i < N; i++) r.insert(set.keys, i * 4, set.lens[i]).state = LIVE_UCAST;
  }, { iterations: 1 });
  rows.push({ family: fam, task: `build (${N} prefixes, batch insert)`, unit: 'ns/prefix', core: buildCore * 1e6 / N, ref: buildRef * 1e6 / N,
    note: `${(buildCore).toFixed(0)} ms per full table` });
  // the same prefixes as routes through the RTMv2 batch path (addRoutesBatch into an empty table: the bulk
  // build of assembly/bulk.ts), each load in a fresh instance (the first of a process included), only the
  // call timed; median of QUICK ? 2 : 5. The reference column is the same trie-model build as above.
  const routeBatch = { count: N, keys: set.keys, lens: set.lens, nextHops: new Float64Array(N), preferences: new Uint32Array(N).fill(20) };
  const loads: number[] = [];
  for (let k = 0; k < (QUICK ? 2 : 5); k++) {
    const { rtm, e, nh } = freshTable(family);
    routeBatch.nextHops.fill(nh);
    const t0 = performance.now();
    e.addRoutesBatch(routeBatch);
    loads.push(performance.now() - t0);
    rtm.close();
  }
  const loadRtm = medianOf(loads);
  rows.push({ family: fam, task: `build (${N} routes, addRoutesBatch into an empty table: bulk path)`, unit: 'ns/prefix',
    core: loadRtm * 1e6 / N, ref: buildRef * 1e6 / N, note: `${loadRtm.toFixed(0)} ms per full table (median of ${loads.length} fresh instances)` });
  // the same table one addRouteToDest per route, the prefix as text (parsed per call, issue 13: "from text"),
  // into an empty table of a fresh instance each time; CPU time of the calls (the text made beforehand);
  // median of QUICK ? 1 : 3 (the first instance of a process, with the JIT's first compiles, included).
  // A full collection before each timed load: process CPU time counts V8's helper threads, which would
  // otherwise be collecting the texts just made and the instance closed before (not this load's garbage)
  const texts = Array.from({ length: N }, (_, i) => formatPrefix(family, set.keys, 4 * i, set.lens[i]));
  const singles: number[] = [];
  for (let k = 0; k < (QUICK ? 1 : 3); k++) {
    const { rtm, table, e, nh } = freshTable(family);
    const o = { dest: '', nextHops: [nh], preference: 20, returnHandle: false as const };
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = cpuMs();
    for (let i = 0; i < N; i++) { o.dest = texts[i]; e.addRouteToDest(o); }
    singles.push(cpuMs() - t0);
    if (table.destCount !== N) throw new Error(`addRouteToDest from text: ${table.destCount} destinations for ${N} prefixes`);
    rtm.close();
  }
  const single = medianOf([...singles]);
  rows.push({ family: fam, task: `build (${N} routes, one addRouteToDest each, prefix as text, into an empty table)`, unit: 'ns/prefix',
    core: single * 1e6 / N, ref: buildRef * 1e6 / N,
    note: `${single.toFixed(0)} ms CPU per full table (median of ${singles.length} fresh instances: ${singles.map((v) => v.toFixed(0)).join(' / ')}); text parsing included` });

  // the table under test and the reference, built once
  const longsBefore = core.x.trieLongNodes(), keysBefore = core.x.trieKeyRecords();
  const branchesOf = (x: Core['x']): number => (family === 4 ? x.trieBranchNodes() : x.trieBranchNodes6());
  const branchesBefore = branchesOf(core.x);
  const table = new CoreTable(core, family);
  table.insertBatch(set.keys, set.lens, N, destIds, LIVE_UCAST);
  const nodes = table.nodeCount, dests = table.destCount, longs = core.x.trieLongNodes() - longsBefore;
  const leaves6 = core.x.trieKeyRecords() - keysBefore, branchNodes = branchesOf(core.x) - branchesBefore;
  // the unicast forwarding structure (tables from 16,384 destinations) counts too: for IPv4 the process's
  // (this is the only IPv4 table), for IPv6 this table's nodes in use (fib6.ts)
  const fibBytes = family === 4 ? core.x.fibMemoryBytes() : core.x.fib6TableBytesX(table.t, 0);
  // IPv4 branch nodes are NODE4B_WORDS long, the other IPv4 nodes NODE4_WORDS; IPv6 nodes of more than
  // NODE6_SHORT_MAX bits are NODE6L_WORDS long (layout.ts), branch nodes of at most NODE6B_MAX bits
  // NODE6B_WORDS, the others NODE6_WORDS; an IPv6 leaf has a key record of KEY6_WORDS instead of a node
  const nodeBytes = (k: Core['k'], n: number, long: number, leaves: number, branches: number): number =>
    family === 4 ? (n - branches) * k.NODE4_WORDS * 4 + branches * k.NODE4B_WORDS * 4
      : (n - long - branches) * k.NODE6_WORDS * 4 + branches * k.NODE6B_WORDS * 4 + long * k.NODE6L_WORDS * 4 + leaves * k.KEY6_WORDS * 4;
  const usedBytes = nodeBytes(core.k, nodes, longs, leaves6, branchNodes) + dests * core.k.DEST_WORDS * 4 + fibBytes;
  const heapBefore = (globalThis.gc?.(), process.memoryUsage().heapUsed);
  const ref = new RefTrie(family);
  for (let i = 0; i < N; i++) ref.insert(set.keys, i * 4, set.lens[i]).state = LIVE_UCAST;
  const heapAfter = (globalThis.gc?.(), process.memoryUsage().heapUsed);
  rows.push({ family: fam, task: 'memory (trie nodes + destination records + forwarding structure)', unit: 'bytes/prefix', core: usedBytes / dests,
    ref: (heapAfter - heapBefore) / ref.size(),
    note: `${nodes} nodes (${(nodes / dests).toFixed(2)}/prefix${family === 4 ? `, ${branchNodes} of them branches of ${core.k.NODE4B_WORDS * 4} B` : ''}${family === 6 ? `, ${branchNodes} of them branches of ${core.k.NODE6B_WORDS * 4} B, ${longs} longer than /${core.k.NODE6_SHORT_MAX}; ${leaves6} leaves with a key record` : ''}); forwarding structure ${(fibBytes / dests).toFixed(1)} B/prefix; linear memory of the process ${(core.memoryBytes / 2 ** 20).toFixed(0)} MiB; ref = JS heap growth${globalThis.gc ? '' : ' (no --expose-gc: rough)'}` });
  // bytes per route with the routes (issue 13's memory row: one owner, one next hop, addRoutesBatch), by
  // record, in a private core: the core's own accounting (memoryInUseBytes) before and after the load
  {
    const pc = createCoreSync('release'), x = pc.x, k = pc.k;
    freshTable(family, pc).rtm.close();   // the slabs' first chunks
    const fibMem = (): number => (family === 4 ? x.fibMemoryBytes() : x.fib6MemoryBytes());
    const before = x.memoryInUseBytes(), fib0 = fibMem();
    const { rtm, table, e, nh } = freshTable(family, pc);
    e.addRoutesBatch({ ...routeBatch, nextHops: new Float64Array(N).fill(nh) });
    const used = x.memoryInUseBytes() - before, u = pc.u32(), tb = x.recordPtr(0, table.core.t) >>> 2;
    const nodes = u[tb + k.TABLE_NODES], dests = u[tb + k.TABLE_DESTS], routes = u[tb + k.TABLE_ROUTES];
    const part: [string, number][] = [['trie nodes', nodeBytes(k, nodes, x.trieLongNodes(), x.trieKeyRecords(), branchesOf(x))], ['destinations', dests * k.DEST_WORDS * 4],
      ['routes', routes * k.ROUTE_WORDS * 4], ['forwarding structure', fibMem() - fib0]];
    part.push(['the rest (extra records, blocks, indexes)', used - part.reduce((s, [, v]) => s + v, 0)]);
    rtm.close();
    rows.push({ family: fam, task: `memory with the routes (${routes} routes: one owner, one next hop; trie, destinations, routes, forwarding structure)`,
      unit: 'bytes/route', core: used / routes, ref: (heapAfter - heapBefore) / ref.size(),
      note: part.map(([n, v]) => `${n} ${(v / routes).toFixed(1)}`).join(' + ') + ` (the core's accounting before/after the load; ` +
        `${(nodes / routes).toFixed(2)} nodes/route); baseline: the naive trie model's JS heap per prefix (no route objects)` });
  }

  const M = QUICK ? 100_000 : 1_000_000;
  const words = family === 4 ? 1 : 4;
  const out = new Int32Array(M);
  const k = new Uint32Array(4);
  const workloads: Workload[] = [];
  for (const inside of [false, true]) {
    const addrs = addresses(set, M, inside);
    const what = inside ? 'inside announced prefixes' : 'uniform random';
    let hits = 0;
    const single = await timeIt(`${fam} single ${what}`, () => {
      hits = 0;
      if (family === 4) for (let i = 0; i < M; i++) { if (table.lookup4(addrs[i]) >= 0) hits++; }
      else for (let i = 0; i < M; i++) { if (table.lookup6(addrs, i * 4) >= 0) hits++; }
    });
    const batch = await timeIt(`${fam} batch ${what}`, () => { table.lookupBatch(addrs, out, 0); });
    workloads.push({ name: what, addrs, rtmOut: out.slice() });
    const refT = await timeIt(`${fam} ref ${what}`, () => {
      for (let i = 0; i < M; i++) { for (let w = 0; w < words; w++) k[w] = addrs[i * words + w]; ref.lpm(k, 0, family === 4 ? 32 : 128, 1); }
    }, { iterations: 1 });
    rows.push({ family: fam, task: `single lookup, ${what}`, unit: 'ns/lookup', core: single * 1e6 / M, ref: refT * 1e6 / M, note: `${(100 * hits / M).toFixed(1)} % hit` });
    rows.push({ family: fam, task: `batch lookup (lookupBatch), ${what}`, unit: 'ns/lookup', core: batch * 1e6 / M, ref: refT * 1e6 / M,
      note: `${(M / batch / 1e3).toFixed(1)} M lookups/s` });
  }

  // the C anchor on the same prefixes and addresses, its answers checked against the table's
  const anchor = anchorFamily(ROOT, family, set, destIds, workloads, {
    build: () => { const t = new CoreTable(core, family); t.insertBatch(set.keys, set.lens, N, new Int32Array(N), LIVE_UCAST); t.free(); },
    lookup: (a, o) => { table.lookupBatch(a, o, 0); },
  }, QUICK);
  attachAnchor(rows, fam, anchor);
  anchorNotes.push(...anchor.notes);

  // delete every destination (one call each)
  const order = Int32Array.from(destIds);
  const delCore = await timeIt(`${fam} delete core`, () => {
    const t = new CoreTable(core, family);
    t.insertBatch(set.keys, set.lens, N, order, LIVE_UCAST);
    const start = performance.now();
    for (let i = 0; i < N; i++) core.x.destRemoveX(t.t, order[i]);
    delMs = performance.now() - start;
    t.free();
  }, { iterations: 2 });
  void delCore;
  const refDel = performance.now();
  for (const d of ref.ordered(0)) ref.remove(d);
  const refDelMs = performance.now() - refDel;
  rows.push({ family: fam, task: 'delete (every destination, one call each)', unit: 'ns/delete', core: delMs * 1e6 / N, ref: refDelMs * 1e6 / N });
  table.free();
  return `- ${fam}: ${N} prefixes from \`${source}\`; lengths ${histogram(set)}`;
}
let delMs = 0;

async function main(): Promise<void> {
  const sets: [Family, string][] = [[4, 'tier1-ipv4.txt.gz'], [6, 'tier1-ipv6.txt.gz']];
  const datasets: string[] = [];
  for (const [family, name] of sets) {
    let file = resolve(SHARED, name);
    if (!existsSync(file)) {
      console.error(`bench: ${file} not found; using the bundled default table`);
      file = resolve(ROOT, 'data/default/tier1-prefixes.txt.gz');
    }
    const set = await readPrefixFile(file, family, true);
    console.error(`bench: ${name}: ${set.count} prefixes`);
    datasets.push(await benchFamily(family, set, file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : `../shared/data/${name}`));
  }
  console.error('bench: many small tables');
  rows.push(...benchManyTables(QUICK));
  console.error('bench: route churn');
  rows.push(...benchChurn(QUICK));
  console.error('bench: next hops by index');
  rows.push(...benchNextHops(QUICK));
  console.error('bench: hot paths (bench/hot.ts, a process of its own)');
  // bench/hot.ts runs in a process of its own (hotProcess; its section, which it prints): a fresh heap and core,
  // as when it is run alone. After the sections above in one process (the reference models' heaps — the
  // 10,000-table one reaches ~2 GB —, their cores), its LINX replay ran 10–25 % slower than in a fresh process
  // with the same code (session 13: 2.40 → 2.10 M updates/s after the scale sections, applyUpdates 6.70 → 6.05;
  // session 12: 2.04 and 1.86 in `npm run bench` against 2.38 alone), which measured the bench's own leftovers,
  // not the library.
  const hot = hotProcess(['--no-write']).trim();
  console.error('bench: lookups across cores (bench/pool.ts)');
  const pool = await benchPool();
  const lines = [
    '# Benchmark results',
    '',
    `Command: \`npm run bench\` (release core, tinybench, ≥ 1000 ms per task; ${QUICK ? 'QUICK run' : 'full run'}).`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    'Baseline: the naive reference model of the tests (`test/reference/trie-model.ts`: a JS `Map` per prefix',
    'length, longest match by probing lengths from longest to shortest), measured in the same run on the same',
    'data. **Ratio = baseline time ÷ core time** (higher is better for the core).',
    'The last rows go through the public RTMv2 layer (`Rtm`, `Entity`); their baseline is the naive RTMv2',
    'reference model of the tests (`test/reference/model.ts`) making the same calls.',
    '',
    'Datasets:',
    ...datasets,
    '',
    'C anchors (same prefixes, same addresses, same run; **ratio to C = C time ÷ core time**, for lookups the',
    'core\'s throughput ÷ C\'s; CPU time of both sides in alternated rounds, median; the C column is CPU time too):',
    ...anchorNotes,
    '',
    `| family | task | unit | core | baseline | ratio |${C_HEADER} note |`,
    `|---|---|---|---:|---:|---:|${C_RULE}---|`,
    ...rows.map((r) => `| ${r.family} | ${r.task} | ${r.unit} | ${r.core.toFixed(1)} | ${r.ref.toFixed(1)} | ${(r.ref / r.core).toFixed(2)}× |${cCells(r)} ${r.note ?? ''} |`),
    '',
    hot,
    '',
    pool,
    '',
  ];
  // sections written by hand (the bulk-build A/B of issue 13, the fuzz campaigns of issue 12) are carried
  // over from the file as it is
  if (OUT && existsSync(OUT)) {
    const old = readFileSync(OUT, 'utf8');
    for (const [B, E] of [[BULK_BEGIN, BULK_END], [FUZZ_BEGIN, FUZZ_END]]) {
      const begin = old.indexOf(B), end = old.indexOf(E);
      if (begin >= 0 && end > begin) lines.push(old.slice(begin, end + E.length), '');
    }
  }
  const text = lines.join('\n');
  console.log(text);
  if (OUT) { mkdirSync(dirname(OUT), { recursive: true }); writeFileSync(OUT, text); console.error(`bench: wrote ${OUT}`); }
}

main().catch((e) => { console.error(e); process.exit(1); });
