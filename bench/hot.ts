// The simulator hot paths of issue 9 (API.md §6), on the full tier-1 IPv4 table (../shared/data; the
// bundled table when absent) and the real LINX 2014 update trace, release core, tinybench, ratios
// measured in the same run:
//  - Table.lookupId calls/s (uniform random and in-prefix addresses) and its ratio to lookupBatch, with
//    the allocating lookup(u32) for comparison; IPv6 lookupId on the tier-1 IPv6 table;
//  - the LINX trace replayed over the full table (a second BGP entity with a better preference) through
//    addRouteToDest (RTM_ROUTE_CHANGE_FIRST) / deleteRouteToDest (by handle, prefix → handle map) with a
//    BEST registration drained by getChangedDests + releaseChangedDests every 1,000 updates, and through
//    applyUpdates (1,000 records per call) drained by getChangedDestIds: updates/s end to end;
//  - draining a queue of 100,000 changed destinations: getChangedDestIds destinations/s and
//    getChangedDests (+ releaseChangedDests, DestInfo records) µs per destination.
// Runs the whole set RUNS times (default 3, `--runs N`), each run in a process of its own (`--one-process`:
// all in this one), and reports each run and the median: the host switches between two speeds ~1.8× apart
// and a process mostly keeps one speed for its lifetime (RESULTS.md "session 11"), so runs in one process
// mostly sample that speed once, runs in fresh processes once each. Run alone:
// `npm run build && node --expose-gc dist/bench/hot.js` (`--quick`: shorter tasks; `--no-write`: print
// only; `--wall`: wall-clock instead of CPU time). Writes its section of bench/RESULTS.md (between the hot-path markers,
// carrying over the hand-kept A/B block inside it); `npm run bench` runs it too, in a process of its own
// (hotProcess, from bench/run.ts), printing this section.
import { Bench } from 'tinybench';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Rtm } from '../src/rtm.js';
import { VirtualClock } from '../src/clock.js';
import { type Family, formatPrefix, parsePrefixInto } from '../src/address.js';
import { openUpdates } from '../src/readers/index.js';
import { AddressStream } from '../src/cli/workload.js';
import { readPrefixFile } from '../test/helpers/prefixfile.js';
import type { PrefixSet } from '../test/helpers/random.js';
import type { Entity } from '../src/entity.js';
import type { Table } from '../src/table.js';
import type { DestInfo, NextHopHandle, NotifyHandle, RouteHandle, RouteUpdates } from '../src/types.js';
import { PROTO_IP_BGP, PROTO_IP_OSPF, RTM_CHANGE_TYPE_BEST, RTM_ROUTE_CHANGE_FIRST, RTM_VIEW_MASK_UCAST } from '../src/win32/constants.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.includes('/dist/') ? resolve(here, '../..') : resolve(here, '..');
const SHARED = process.env.RTM_SHARED_DATA ?? resolve(ROOT, '../shared/data');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const RUNS = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 3;
const ONE_PROCESS = argv.includes('--one-process');
/** `--child R`: this process makes run R alone and prints its RunResult as JSON (benchHot, through hotProcess). */
const CHILD_RUN = argv.includes('--child') ? Number(argv[argv.indexOf('--child') + 1]) : 0;
const RESULTS = resolve(ROOT, 'bench/RESULTS.md');
/** Wall-clock time (`--wall`) or, by default, the process's CPU time: on a shared 2-core machine the CPU
 * time of a single-threaded task is what other processes disturb least (they still share the caches). */
const WALL = argv.includes('--wall');
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
export const HOT_BEGIN = '<!-- issue 9 hot paths: begin (written by bench/hot.ts) -->';
export const HOT_END = '<!-- issue 9 hot paths: end -->';
/** Markers of the A/B block inside the section (before / after figures of a change, kept by hand; each run carries it over). */
const AB_BEGIN = '<!-- issue 9 hot paths A/B: begin', AB_END = '<!-- issue 9 hot paths A/B: end -->';

/** The A/B block of the hot-path section in RESULTS.md as it is now, or '' (kept across runs). */
function abBlock(): string {
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const a = text.indexOf(AB_BEGIN), b = text.indexOf(AB_END);
  return a >= 0 && b > a ? text.slice(a, b + AB_END.length) : '';
}

/** Mean ms per iteration of fn (tinybench, ≥ 1000 ms per task unless --quick); hooks run untimed. */
async function timeIt(name: string, fn: () => void, hooks: { beforeEach?: () => void } = {}, iterations = 3): Promise<number> {
  const bench = new Bench({ time: QUICK ? 250 : 1000, iterations, warmup: true, warmupIterations: 1, ...(WALL ? {} : { now: cpuMs }) });
  bench.add(name, fn, hooks);
  await bench.run();
  const r = bench.tasks[0].result as { state: string; period?: number; error?: unknown };
  if (r.state !== 'completed' || r.period === undefined) throw new Error(`${name}: ${String(r.error ?? r.state)}`);
  return r.period;
}

function dataPath(name: string, fallback: string): { file: string; label: string } {
  const file = resolve(SHARED, name);
  if (existsSync(file)) return { file, label: `../shared/data/${name}` };
  console.error(`bench/hot: ${file} not found; using ${fallback}`);
  return { file: resolve(ROOT, fallback), label: fallback };
}

/** The LINX trace as arrays, file order: key words, lengths, announce flags, next-hop addresses. */
interface Trace { count: number; keys: Uint32Array; lens: Uint8Array; announce: Uint8Array; nextHop: Uint32Array; prefixes: string[]; prefixIndex: Int32Array; distinctPrefixes: number }

async function readTrace(file: string): Promise<Trace> {
  const keys: number[] = [], lens: number[] = [], ann: number[] = [], nh: number[] = [];
  for await (const b of await openUpdates(file)) {
    if (b.family !== 4) continue;
    for (let i = 0; i < b.count; i++) {
      for (let w = 0; w < 4; w++) keys.push(b.keys[4 * i + w]);
      lens.push(b.lens[i]); ann.push(b.announce[i]); nh.push(b.hasNextHop[i] ? b.nextHops[4 * i] : 0);
    }
  }
  const count = lens.length;
  const t: Trace = { count, keys: Uint32Array.from(keys), lens: Uint8Array.from(lens), announce: Uint8Array.from(ann),
    nextHop: Uint32Array.from(nh), prefixes: [], prefixIndex: new Int32Array(count), distinctPrefixes: 0 };
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const p = formatPrefix(4, t.keys, 4 * i, t.lens[i]);
    t.prefixes.push(p);
    let k = index.get(p);
    if (k === undefined) { k = index.size; index.set(p, k); }
    t.prefixIndex[i] = k;
  }
  t.distinctPrefixes = index.size;
  return t;
}

/** A release-core instance holding the full table: entity `rib` (BGP 0, preference 20), a BEST watcher. */
function loadedTable(set: PrefixSet) {
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'] });
  const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 0 });
  const nh = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  const t0 = performance.now();
  rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh),
    preferences: new Uint32Array(set.count).fill(20) });
  const loadMs = performance.now() - t0;
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 0 });
  const notify = watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
  const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 1 });
  return { rtm, rib, watcher, notify, peer, loadMs };
}

/** The peer's next-hop handle for every event (0 for withdrawals). */
function peerHops(peer: Entity, trace: Trace): Float64Array {
  const byAddr = new Map<number, number>(), out = new Float64Array(trace.count);
  const w = new Uint32Array(4);
  for (let i = 0; i < trace.count; i++) {
    if (!trace.announce[i]) continue;
    const a = trace.nextHop[i];
    let h = byAddr.get(a);
    if (h === undefined) {
      w[0] = a;
      h = peer.addNextHop({ address: formatPrefix(4, w, 0, 32).split('/')[0], interfaceIndex: 1 + byAddr.size }).handle as number;
      byAddr.set(a, h);
    }
    out[i] = h;
  }
  return out;
}

function drainRecords(e: Entity, nh: NotifyHandle): number {
  let n = 0;
  const count = e.profile.maxHandlesInEnum;
  for (;;) {
    const { items, done } = e.getChangedDests({ notifyHandle: nh, count });
    n += items.length;
    e.releaseChangedDests({ notifyHandle: nh, dests: items as DestInfo[] });
    if (done) return n;
  }
}

function drainIds(e: Entity, nh: NotifyHandle, out: Int32Array): number {
  let n = 0;
  for (;;) {
    const k = e.getChangedDestIds({ notifyHandle: nh, out });
    n += k;
    if (k < out.length) return n;
  }
}

/**
 * One lookupId per address (the simulator's loop), summed as int32. One module function for every task
 * and run, so that each measures the same optimized code: a loop written inline in each task's closure
 * summed past int32 (an overflow deopt) and ended in a `sink +=` TurboFan had no feedback for when it
 * compiled the loop on stack, so it deoptimized at the end of every sample and some tasks ran partly
 * unoptimized (boxing each address ≥ 2^31, ~100 scavenges per task) — one cause of the up to 40 % between
 * runs of session 9.
 */
function lookupIdPass(t: Table, addrs: Uint32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + t.lookupId(addrs[i])) | 0;
  return s;
}

interface RunResult {
  rows: [string, string, number, string][];  // task, unit, value, note
  checks: string[];
  /** Prefixes of the IPv4 and IPv6 tables, updates of the trace: what the run was given. */
  counts: [number, number, number];
}

async function oneRun(set: PrefixSet, set6: PrefixSet, trace: Trace, run: number): Promise<RunResult> {
  const rows: RunResult['rows'] = [], checks: string[] = [];
  const M = QUICK ? 200_000 : 2_000_000;

  // ── lookups ─────────────────────────────────────────────────────────────────────────────────────────
  {
    const w = loadedTable(set);
    rows.push([`full table load (addRoutesBatch, ${set.count.toLocaleString('en')} routes; atomic: validate pass + apply pass; the run's first table, so in a run with a process of its own into linear memory not touched before)`,
      'ms', w.loadMs, '']);
    const t = w.rtm.ipv4, out = new Int32Array(M);
    for (const inside of [false, true]) {
      const what = inside ? 'in-prefix' : 'uniform random';
      const addrs = new AddressStream(4, inside ? set : undefined).take(M);
      let sink = 0;
      const idMs = await timeIt(`lookupId ${what}`, () => { sink ^= lookupIdPass(t, addrs, M); });
      const batchMs = await timeIt(`lookupBatch ${what}`, () => { t.lookupBatch(addrs, out, 0); });
      const L = M / 20;
      const oldMs = await timeIt(`lookup(u32) ${what}`, () => { for (let i = 0; i < L; i++) t.lookup(addrs[i]); }, {}, 2);
      // same answers
      t.lookupBatch(addrs, out, 0);
      for (let i = 0; i < M; i += 997) if (t.lookupId(addrs[i]) !== out[i]) throw new Error(`lookupId disagrees with lookupBatch at ${i}`);
      const idRate = M / idMs / 1e3, batchRate = M / batchMs / 1e3, oldRate = L / oldMs / 1e3;
      rows.push([`IPv4 lookupId, ${what} addresses`, 'M calls/s', idRate, `${(1e6 * idMs / M).toFixed(1)} ns/call`]);
      rows.push([`IPv4 lookupBatch, ${what} addresses (same run)`, 'M lookups/s', batchRate, `${(1e6 * batchMs / M).toFixed(1)} ns/lookup`]);
      rows.push([`IPv4 lookupId ÷ lookupBatch, ${what}`, 'ratio', idRate / batchRate, 'target ≥ 0.15×, ≥ 25 M calls/s']);
      rows.push([`IPv4 lookup(u32) (allocates a result), ${what}`, 'M calls/s', oldRate, `${(idRate / oldRate).toFixed(0)}× slower than lookupId`]);
      void sink;
    }

    // ── draining 100,000 changed destinations ─────────────────────────────────────────────────────────
    const D = QUICK ? 20_000 : 100_000;
    const step = Math.floor(set.count / D);
    const ub: RouteUpdates = {
      count: D, keys: new Uint32Array(4 * D), lens: new Uint8Array(D), kinds: new Uint8Array(D),
      preferences: new Uint32Array(D).fill(10),
    };
    for (let i = 0; i < D; i++) { ub.keys.set(set.keys.subarray(4 * i * step, 4 * i * step + 4), 4 * i); ub.lens[i] = set.lens[i * step]; }
    let announced = false;
    // each iteration: the peer announces (or withdraws) a better route on D destinations (untimed), then the drain
    const flip = () => { ub.kinds.fill(announced ? 1 : 0); announced = !announced; (w.peer as Entity).applyUpdates(ub); };
    const ids = new Int32Array(4096);
    let pulledIds = 0, pulledRecs = 0;
    const idsMs = await timeIt('getChangedDestIds', () => { pulledIds = drainIds(w.watcher, w.notify, ids); }, { beforeEach: flip });
    const recMs = await timeIt('getChangedDests', () => { pulledRecs = drainRecords(w.watcher, w.notify); }, { beforeEach: flip });
    if (pulledIds !== D || pulledRecs !== D) throw new Error(`drain: ${pulledIds} / ${pulledRecs} destinations for ${D} changes`);
    rows.push([`getChangedDestIds (out of 4,096), queue of ${D.toLocaleString('en')} changed destinations`, 'M dests/s', D / idsMs / 1e3,
      `${(1e6 * idsMs / D).toFixed(0)} ns/dest; target ≥ 3 M/s`]);
    rows.push([`getChangedDests + releaseChangedDests (${w.watcher.profile.maxHandlesInEnum} per call), same queue`, 'µs/dest', 1e3 * recMs / D,
      `${(D / recMs / 1e3).toFixed(2)} M dests/s; target ≤ 1 µs; getChangedDestIds is ${(recMs / idsMs).toFixed(1)}× faster`]);
    w.rtm.close();
  }

  // ── IPv6 lookupId ───────────────────────────────────────────────────────────────────────────────────
  {
    const rtm = Rtm.createSync({ build: 'release', families: ['ipv6'] });
    const e = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: PROTO_IP_BGP, instanceId: 0 });
    e.addRoutesBatch({ count: set6.count, keys: set6.keys, lens: set6.lens });
    const N = M / 4, addrs = new AddressStream(6, set6).take(N), out = new Int32Array(N), t = rtm.ipv6;
    const idMs = await timeIt('IPv6 lookupId', () => { for (let i = 0; i < N; i++) t.lookupId(addrs, 4 * i); });
    const batchMs = await timeIt('IPv6 lookupBatch', () => { t.lookupBatch(addrs, out, 0); });
    rows.push(['IPv6 lookupId, in-prefix addresses (the IPv6 forwarding structure)', 'M calls/s', N / idMs / 1e3, `${(N / idMs / 1e3 / (N / batchMs / 1e3)).toFixed(2)}× lookupBatch (${(N / batchMs / 1e3).toFixed(2)} M/s)`]);
    rtm.close();
  }

  // ── the LINX trace over the full table ──────────────────────────────────────────────────────────────
  const E = trace.count, DRAIN_EVERY = 1_000;
  let drainedSingle = 0, drainedBatch = 0, routesSingle = 0, routesBatch = 0;
  {
    const w = loadedTable(set);
    const hops = peerHops(w.peer, trace);
    const handles: (RouteHandle | undefined)[] = new Array(trace.distinctPrefixes).fill(undefined);
    const peer = w.peer, watcher = w.watcher, nh = w.notify;
    let drained = 0;
    const pass = () => {
      drained = 0;
      for (let i = 0; i < E; i++) {
        const p = trace.prefixIndex[i];
        if (trace.announce[i]) {
          const h = hops[i] as NextHopHandle, known = handles[p] !== undefined;
          const r = peer.addRouteToDest({ dest: trace.prefixes[i], neighbour: h, nextHops: [h], preference: 10,
            changeFlags: RTM_ROUTE_CHANGE_FIRST, returnHandle: !known });
          if (!known) handles[p] = r.handle;
        } else if (handles[p] !== undefined) {
          peer.deleteRouteToDest(handles[p]!);
          handles[p] = undefined;
        }
        if ((i + 1) % DRAIN_EVERY === 0) drained += drainRecords(watcher, nh);
      }
      drained += drainRecords(watcher, nh);
    };
    const ms = await timeIt('LINX replay: addRouteToDest / deleteRouteToDest', pass);
    drainedSingle = drained;
    routesSingle = w.rtm.ipv4.routeCount;
    rows.push([`LINX trace (${E.toLocaleString('en')} updates on ${trace.distinctPrefixes.toLocaleString('en')} prefixes) over the full table: addRouteToDest (CHANGE_FIRST) / deleteRouteToDest by handle, BEST registration drained by getChangedDests every 1,000`,
      'M updates/s', E / ms / 1e3, `end to end (updates + drain), ${(1e6 * ms / E).toFixed(0)} ns/update; ${drained} changed destinations per pass; target ≥ 2 M/s`]);
    w.rtm.close();
  }
  {
    const w = loadedTable(set);
    const hops = peerHops(w.peer, trace);
    const peer = w.peer as Entity, watcher = w.watcher as Entity, nh = w.notify;
    const kinds = Uint8Array.from(trace.announce, (a) => (a ? 0 : 1));
    const prefs = new Uint32Array(E).fill(10), flags = new Uint32Array(E);
    const chunks: RouteUpdates[] = [];
    for (let i0 = 0; i0 < E; i0 += DRAIN_EVERY) {
      const i1 = Math.min(E, i0 + DRAIN_EVERY);
      chunks.push({ count: i1 - i0, keys: trace.keys.subarray(4 * i0, 4 * i1), lens: trace.lens.subarray(i0, i1), kinds: kinds.subarray(i0, i1),
        nextHops: hops.subarray(i0, i1), preferences: prefs.subarray(i0, i1), changeFlags: flags.subarray(i0, i1) });
    }
    const ids = new Int32Array(4096);
    let drained = 0;
    const pass = () => {
      drained = 0;
      for (const c of chunks) { peer.applyUpdates(c); drained += drainIds(watcher, nh, ids); }
    };
    const ms = await timeIt('LINX replay: applyUpdates', pass);
    drainedBatch = drained;
    routesBatch = w.rtm.ipv4.routeCount;
    rows.push(['same trace: applyUpdates (1,000 records per call), drained by getChangedDestIds after each call', 'M updates/s', E / ms / 1e3,
      `end to end, ${(1e6 * ms / E).toFixed(0)} ns/update; ${drained} changed destinations per pass; target ≥ 3 M/s`]);
    w.rtm.close();
  }
  // both replays leave the same table and queue the same number of changes per pass
  checks.push(`run ${run}: per pass ${drainedSingle} / ${drainedBatch} changed destinations (single calls / applyUpdates), ${routesSingle} / ${routesBatch} routes after`);
  if (drainedSingle !== drainedBatch || routesSingle !== routesBatch) throw new Error(`replays disagree: ${checks[checks.length - 1]}`);
  return { rows, checks, counts: [set.count, set6.count, trace.count] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The files of the tables (IPv4, IPv6) and of the LINX trace, with their labels. */
function dataFiles() {
  const v4 = dataPath('tier1-ipv4.txt.gz', 'data/default/tier1-prefixes.txt.gz');
  const v6 = dataPath('tier1-ipv6.txt.gz', 'data/default/tier1-prefixes.txt.gz');
  const tr = dataPath('linx-update-ipv4.20141217.txt.gz', '');
  if (!existsSync(tr.file)) throw new Error(`bench/hot: the LINX trace is needed (${tr.file})`);
  return { v4, v6, tr };
}

/** Reads the files of dataFiles(): the tables and the trace a run is given. */
async function loadData(f: ReturnType<typeof dataFiles>) {
  const set = await readPrefixFile(f.v4.file, 4, true), set6 = await readPrefixFile(f.v6.file, 6, true), trace = await readTrace(f.tr.file);
  console.error(`bench/hot: ${set.count} IPv4 prefixes, ${set6.count} IPv6 prefixes, ${trace.count} LINX updates`);
  return { set, set6, trace };
}

/** Runs the hot-path benchmarks RUNS times; returns the markdown section. */
export async function benchHot(runs = RUNS): Promise<string> {
  const { v4, v6, tr } = dataFiles();
  // the data is read here only when the runs are made here (each child run reads its own)
  const data = ONE_PROCESS ? await loadData({ v4, v6, tr }) : undefined;
  const results: RunResult[] = [];
  const load0 = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  for (let r = 1; r <= runs; r++) {
    console.error(`bench/hot: run ${r} of ${runs}${data ? '' : ' (a process of its own)'}`);
    if (data) {
      results.push(await oneRun(data.set, data.set6, data.trace, r));
      globalThis.gc?.();
    } else {
      results.push(JSON.parse(hotProcess(['--child', String(r)])) as RunResult);
    }
  }
  const [n4, n6, nTrace] = results[0].counts;
  const rows = results[0].rows.map((row, i) => {
    const vals = results.map((x) => x.rows[i][2]);
    return `| ${row[0]} | ${row[1]} | **${fmt(median(vals))}** | ${vals.map(fmt).join(' / ')} | ${results[results.length - 1].rows[i][3]} |`;
  });
  // the issue's targets, judged on the medians
  const med = (prefix: string) => {
    const i = results[0].rows.findIndex((r) => r[0].startsWith(prefix));
    return median(results.map((x) => x.rows[i][2]));
  };
  const met = (ok: boolean) => (ok ? 'met' : 'not met');
  const rr = med('IPv4 lookupId ÷ lookupBatch, uniform'), ri = med('IPv4 lookupId ÷ lookupBatch, in-prefix');
  const idr = med('IPv4 lookupId, uniform'), idi = med('IPv4 lookupId, in-prefix'), br = med('IPv4 lookupBatch, uniform');
  const single = med('LINX trace'), batch = med('same trace: applyUpdates'), ids = med('getChangedDestIds'), recs = med('getChangedDests');
  const targets = [
    `- lookupId ≥ 0.15× lookupBatch: ${met(rr >= 0.15 && ri >= 0.15)} (${fmt(rr)}× random, ${fmt(ri)}× in-prefix); ≥ 25 M calls/s: ${met(Math.min(idr, idi) >= 25)} (${fmt(idr)} / ${fmt(idi)} M/s; lookupBatch itself runs at ${fmt(br)} M/s here)`,
    `- LINX replay through addRouteToDest / deleteRouteToDest ≥ 2 M updates/s end to end: ${met(single >= 2)} (${fmt(single)} M/s)`,
    `- applyUpdates on the same trace ≥ 3 M updates/s: ${met(batch >= 3)} (${fmt(batch)} M/s, ${fmt(batch / single)}× the single calls in the same run)`,
    `- getChangedDestIds ≥ 3 M destinations/s: ${met(ids >= 3)} (${fmt(ids)} M/s); getChangedDests ≤ 1 µs per destination: ${met(recs <= 1)} (${fmt(recs)} µs)`,
  ];
  const date = new Date().toISOString().slice(0, 10);
  const ab = abBlock();
  return [
    HOT_BEGIN,
    '## Issue 9: simulator hot paths (API.md §6)',
    '',
    `Command: \`npm run build && node --expose-gc dist/bench/hot.js\` (also part of \`npm run bench\`; release core, tinybench, ${QUICK ? 'QUICK' : '≥ 1000 ms per task'}, ${WALL ? 'wall-clock time' : 'CPU time of the process (\`--wall\` for wall-clock time)'}).`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${date}. ${runs} runs, ${ONE_PROCESS ? 'in one process' : 'each in a process of its own (the host\'s speed is mostly a process\'s for its lifetime)'}; the table gives the median and each run.`,
    `Data: ${v4.label} (${n4} prefixes), ${v6.label} (${n6}), ${tr.label} (${nTrace} updates, file order).`,
    'Replays: the table is loaded by one BGP entity (preference 20); a second BGP entity replays the trace with preference 10, so',
    'each announcement of a new route moves the best route; a third entity holds the RTM_CHANGE_TYPE_BEST registration (unicast).',
    'Each pass replays the whole trace from the state the previous one left (passes after the first are identical).',
    'Ratios are between figures of the same run.',
    '',
    '| task | unit | median | runs | note (last run) |',
    '|---|---|---:|---:|---|',
    ...rows,
    '',
    'Targets of issue 9 (medians):',
    ...targets,
    '',
    `Load average of the machine (2 cores, shared) at the start / end: ${load0} / ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
    ...results.flatMap((r) => r.checks.map((c) => `- check: ${c}`)),
    ...(ab ? ['', ab] : []),
    HOT_END,
  ].join('\n');
}

/** RESULTS.md with its hot-path section replaced (or appended). */
export function withHotSection(text: string, section: string): string {
  const a = text.indexOf(HOT_BEGIN), b = text.indexOf(HOT_END);
  if (a >= 0 && b > a) return text.slice(0, a) + section + text.slice(b + HOT_END.length);
  return `${text.replace(/\n*$/, '\n\n')}${section}\n`;
}

/**
 * This file in a fresh process (node --expose-gc) with `args` and this process's `--quick` / `--wall`: what it
 * printed on stdout (its progress goes to stderr). benchHot's runs (`--child r`: that run's RunResult as JSON)
 * and bench/run.ts (`--no-write`: the section) start it so.
 */
export function hotProcess(args: string[]): string {
  const flags = argv.filter((a) => a === '--quick' || a === '--wall');
  const res = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args, ...flags],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`bench/hot.js ${args.join(' ')}: ${res.error?.message ?? `exit ${res.status ?? res.signal}`}`);
  return res.stdout;
}

/** A run in a process of its own (`--child r`, benchHot): reads the data and makes run `r`. */
async function childRun(r: number): Promise<RunResult> {
  const { set, set6, trace } = await loadData(dataFiles());
  return oneRun(set, set6, trace, r);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain && CHILD_RUN > 0) {
  childRun(CHILD_RUN).then((res) => { process.stdout.write(JSON.stringify(res)); }).catch((e) => { console.error(e); process.exit(1); });
} else if (isMain) {
  benchHot().then((section) => {
    console.log(section);
    if (!argv.includes('--no-write')) {
      const old = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
      writeFileSync(RESULTS, withHotSection(old, section));
      console.error(`bench/hot: wrote its section of ${RESULTS}`);
    }
  }).catch((e) => { console.error(e); process.exit(1); });
}
