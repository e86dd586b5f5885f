// Lookups across cores (issue 11, API.md §6): LookupPool with 2 workers against 1 worker on batches of
// 2^23 addresses (uniform random and in-prefix, the workload conventions of ../shared/data) over the
// tier-1 IPv4 table, measured in the same process in alternated rounds (median), beside FibReader and
// Table.lookupBatch on the main thread; the cost of Table.publish after each step of the LINX update
// trace (1, 10, 100, 1,000 updates per publish), per publish and per update; the first (full) publish;
// snapshot bytes per prefix for IPv4 (18-6-8 copy) and IPv6 (copy of the fib6 structure's pages); the
// same publish figures for the tier-1 IPv6 table under a seeded churn of its own prefixes (flaps: there
// is no IPv6 update trace), and FibReader IPv6 lookups beside Table.lookupBatch in alternated rounds.
// Run alone: `npm run build && node --expose-gc dist/bench/pool.js` (`--quick`, `--runs N`, `--no-write`;
// `--ipv6`: only the IPv6 part, whose rows and checks replace those of the section, the rest kept).
// Writes its section of bench/RESULTS.md (between its markers); `npm run bench` runs it too.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Rtm } from '../src/rtm.js';
import { VirtualClock } from '../src/clock.js';
import { openUpdates } from '../src/readers/index.js';
import { AddressStream } from '../src/cli/workload.js';
import { FibReader } from '../src/fib/reader.js';
import { LookupPool } from '../src/pool/pool.js';
import { readPrefixFile } from '../test/helpers/prefixfile.js';
import type { PrefixSet } from '../test/helpers/random.js';
import type { Entity } from '../src/entity.js';
import { Flaps } from '../test/pool/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.includes('/dist/') ? resolve(here, '../..') : resolve(here, '..');
const SHARED = process.env.RTM_SHARED_DATA ?? resolve(ROOT, '../shared/data');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY6 = argv.includes('--ipv6');
const RUNS = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : (QUICK ? 3 : 7);
const RESULTS = resolve(ROOT, 'bench/RESULTS.md');
export const POOL_BEGIN = '<!-- issue 11 lookups across cores: begin (written by bench/pool.ts) -->';
export const POOL_END = '<!-- issue 11 lookups across cores: end -->';
const BATCH = QUICK ? 1 << 21 : 1 << 23;

function dataPath(name: string, fallback: string): { file: string; label: string; filter: boolean } {
  const file = resolve(SHARED, name);
  if (existsSync(file)) return { file, label: `../shared/data/${name}`, filter: false };
  console.error(`bench/pool: ${file} not found; using ${fallback}`);
  return { file: resolve(ROOT, fallback), label: fallback, filter: true };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** An Rtm (release core) whose BGP entity holds one unicast route per prefix (`noFib6`: IPv6 without the structure). */
function load(set: PrefixSet, noFib6 = false): { rtm: Rtm; e: Entity; nh: number } {
  const rtm = Rtm.createSync({ clock: new VirtualClock() });
  if (noFib6) rtm.core.x.fib6Threshold(2 ** 31);
  const fam = set.family === 4 ? 'ipv4' : 'ipv6';
  const e = rtm.registerEntity({ addressFamily: fam, protocolId: 14, instanceId: 1 });
  const nh = e.addNextHop({ address: set.family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle! as number;
  const hops = new Float64Array(set.count).fill(nh), views = new Uint8Array(set.count).fill(1);
  for (let i = 0; i < set.count; i += 100_000) {
    const m = Math.min(100_000, set.count - i);
    e.addRoutesBatch({ count: m, keys: set.keys.subarray(i * 4), lens: set.lens.subarray(i), nextHops: hops.subarray(i), views: views.subarray(i) });
  }
  return { rtm, e, nh };
}

/** CPU and run-queue wait ns of every thread of this process (Linux: schedstat of each /proc/self/task entry; empty elsewhere). */
function threadTimes(): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const f = readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ');
      m.set(tid, [Number(f[0]), Number(f[1])]);
    }
  } catch { /* not Linux */ }
  return m;
}

/**
 * The busiest threads between two threadTimes() (the pool's workers during a batch): their CPU ms and the ms
 * they waited for a CPU, busiest first; the main thread (its tid is the pid) is left out.
 */
function busiest(a: Map<string, [number, number]>, b: Map<string, [number, number]>, n: number): { cpu: number; wait: number }[] {
  const d: { cpu: number; wait: number }[] = [];
  for (const [tid, [c1, w1]] of b) {
    if (tid === String(process.pid)) continue;
    const [c0, w0] = a.get(tid) ?? [0, 0];
    d.push({ cpu: (c1 - c0) / 1e6, wait: (w1 - w0) / 1e6 });
  }
  return d.sort((x, y) => y.cpu - x.cpu).slice(0, n);
}

function sharedCopy(a: Uint32Array): Uint32Array {
  const c = new Uint32Array(new SharedArrayBuffer(a.byteLength));
  c.set(a);
  return c;
}

interface Trace { count: number; keys: Uint32Array; lens: Uint8Array; announce: Uint8Array }
async function readTrace(file: string): Promise<Trace> {
  const keys: number[] = [], lens: number[] = [], ann: number[] = [];
  for await (const b of await openUpdates(file)) {
    if (b.family !== 4) continue;
    for (let i = 0; i < b.count; i++) {
      for (let w = 0; w < 4; w++) keys.push(b.keys[4 * i + w]);
      lens.push(b.lens[i]); ann.push(b.announce[i]);
    }
  }
  return { count: lens.length, keys: Uint32Array.from(keys), lens: Uint8Array.from(lens), announce: Uint8Array.from(ann) };
}

/** Runs the section RUNS rounds; returns its markdown. */
export async function benchPool(runs = RUNS, only6 = false): Promise<string> {
  const v4 = dataPath('tier1-ipv4.txt.gz', 'data/default/tier1-prefixes.txt.gz');
  const v6 = dataPath('tier1-ipv6.txt.gz', 'data/default/tier1-prefixes.txt.gz');
  const tr = dataPath('linx-update-ipv4.20141217.txt.gz', '');
  const set = await readPrefixFile(v4.file, 4, v4.filter), set6 = await readPrefixFile(v6.file, 6, v6.filter);
  const trace = existsSync(tr.file) && !only6 ? await readTrace(tr.file) : undefined;
  console.error(`bench/pool: ${set.count} IPv4 prefixes, ${set6.count} IPv6 prefixes, ${trace?.count ?? 0} LINX updates`);
  const load0 = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  const rows: string[] = [];
  const checks: string[] = [];

  const ratios: number[] = [], cpuRatios: number[] = [];
  let t0 = performance.now();
  if (!only6) {
    // ── IPv4: publish, snapshot size, lookups on 1 and 2 workers ──────────────────────────────────────
    const a = load(set);
    t0 = performance.now();
    const snap = a.rtm.ipv4.publish();
    const firstMs = performance.now() - t0;
    t0 = performance.now();
    a.rtm.ipv4.publish();
    const secondMs = performance.now() - t0;
    const fibBytes = a.rtm.core.x.fibMemoryBytes();
    rows.push(`| IPv4 first publish (full copy of the 18-6-8 structure) | ms | **${fmt(firstMs)}** | — | the second publish fills the other generation: ${fmt(secondMs)} ms |`);
    rows.push(`| IPv4 snapshot bytes per prefix | B | **${fmt(snap.buffer.byteLength / set.count)}** | — | ${(snap.buffer.byteLength / 2 ** 20).toFixed(1)} MiB for ${set.count} prefixes (two generations); the core's own structure: ${fmt(fibBytes / set.count)} B/prefix |`);

    const pool1 = await LookupPool.create({ workers: 1 });
    const pool2 = await LookupPool.create({ workers: 2 });
    pool1.attach(snap); pool2.attach(snap);
    const reader = FibReader.attach(snap.buffer);
    const out = new Int32Array(new SharedArrayBuffer(BATCH * 4));
    const check = new Int32Array(BATCH);
    for (const [name, inside] of [['uniform', false], ['in-prefix', true]] as const) {
      const keys = sharedCopy(new AddressStream(4, inside ? set : undefined).take(BATCH));
      // answers agree with the table before anything is timed
      a.rtm.ipv4.lookupBatch(keys, check, 0);
      await pool2.lookupBatch(keys, out);
      let same = true;
      for (let i = 0; i < BATCH; i++) if (out[i] !== check[i]) { same = false; break; }
      checks.push(`${name}: pool answers equal Table.lookupBatch on all ${BATCH} addresses: ${same}`);
      await pool1.lookupBatch(keys, out);                 // warm both
      const t1: number[] = [], t2: number[] = [], tr1: number[] = [], tt: number[] = [];
      const cpu1: number[] = [], cpu2: number[] = [], wait2: number[] = [];
      for (let r = 0; r < runs; r++) {
        const order = r % 2 === 0 ? [pool1, pool2] : [pool2, pool1];
        for (const p of order) {
          const before = threadTimes();
          const s = performance.now();
          await p.lookupBatch(keys, out);
          (p === pool1 ? t1 : t2).push(performance.now() - s);
          const w = busiest(before, threadTimes(), p.workers);
          if (w.length === p.workers) {
            if (p === pool1) cpu1.push(w[0].cpu);
            else { cpu2.push(w[0].cpu); wait2.push(Math.max(w[0].wait, w[1].wait)); }
          }
        }
        let s = performance.now();
        reader.lookupBatch(keys, out);
        tr1.push(performance.now() - s);
        s = performance.now();
        a.rtm.ipv4.lookupBatch(keys, check, 0);
        tt.push(performance.now() - s);
      }
      const m1 = median(t1), m2 = median(t2), ratio = m1 / m2;
      ratios.push(ratio);
      const mps = (ms: number) => BATCH / ms / 1000;
      rows.push(`| IPv4 LookupPool, 1 worker, ${name} | M lookups/s | **${fmt(mps(m1))}** | ${t1.map((x) => fmt(mps(x))).join(' / ')} | ${BATCH} addresses per batch |`);
      rows.push(`| IPv4 LookupPool, 2 workers, ${name} | M lookups/s | **${fmt(mps(m2))}** | ${t2.map((x) => fmt(mps(x))).join(' / ')} | **${fmt(ratio)}×** one worker (medians; per round: ${t1.map((x, i) => fmt(x / t2[i])).join(' / ')}) |`);
      if (cpu1.length > 0 && cpu2.length > 0) {
        const c1 = median(cpu1), c2 = median(cpu2);
        cpuRatios.push(c1 / c2);
        rows.push(`| IPv4 2 workers vs 1 on CPU time, ${name} | × | **${fmt(c1 / c2)}** | ${cpu1.map((x, i) => fmt(x / (cpu2[i] ?? NaN))).join(' / ')} | the batch's CPU ms on 1 worker ÷ the busier of 2 workers' (${fmt(c1)} / ${fmt(c2)} ms): the speed-up with a free core per worker; the 2 workers waited ${fmt(median(wait2))} ms (median) for a CPU per batch |`);
      }
      rows.push(`| IPv4 FibReader on the main thread, ${name} | M lookups/s | **${fmt(mps(median(tr1)))}** | ${tr1.map((x) => fmt(mps(x))).join(' / ')} | the reader alone, no worker |`);
      rows.push(`| IPv4 Table.lookupBatch (the core, main thread), ${name} | M lookups/s | **${fmt(mps(median(tt)))}** | ${tt.map((x) => fmt(mps(x))).join(' / ')} | for comparison |`);
    }
    await pool1.close(); await pool2.close();

    // ── publish cost along the LINX trace (a second entity, preference 10, replays it) ────────────────
    if (trace !== undefined) {
      const bgp = a.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 2 });
      const nh = bgp.addNextHop({ address: '192.0.2.2', interfaceIndex: 2 }).handle! as number;
      for (const step of [1, 10, 100, 1000]) {
        const pubMs: number[] = [];
        let updates = 0, changed = 0, blocks = 0, fulls = 0;
        const limit = step === 1 ? 2000 : trace.count;
        for (let i = 0; i < limit; i += step) {
          const n = Math.min(step, limit - i);
          const kinds = new Uint8Array(n), flags = new Uint32Array(n);
          for (let k = 0; k < n; k++) kinds[k] = trace.announce[i + k] ? 0 : 1;
          bgp.applyUpdates({ count: n, keys: trace.keys.subarray(i * 4, (i + n) * 4), lens: trace.lens.subarray(i, i + n), kinds,
            nextHops: new Float64Array(n).fill(nh), preferences: new Uint32Array(n).fill(10), changeFlags: flags });
          updates += n;
          for (let k = 0; k < n; k++) if (flags[k] !== 0) changed++;
          const s = performance.now();
          a.rtm.ipv4.publish();
          pubMs.push(performance.now() - s);
          if (snap.lastPublish.mode === 'blocks') blocks += snap.lastPublish.units; else fulls++;
        }
        const total = pubMs.reduce((x, y) => x + y, 0);
        rows.push(`| IPv4 publish every ${step} LINX update${step > 1 ? 's' : ''} | µs per publish | **${fmt(median(pubMs) * 1000)}** | — | ${pubMs.length} publishes over ${updates} updates (${changed} changed a route): ${fmt(total * 1000 / updates)} µs per update, mean ${fmt(blocks / Math.max(1, pubMs.length - fulls))} blocks copied per publish, ${fulls} full copies |`);
      }
      // the snapshot still answers as the table
      const keys = sharedCopy(new AddressStream(4, set).take(1 << 20));
      const got = new Int32Array(1 << 20), want = new Int32Array(1 << 20);
      reader.lookupBatch(keys, got); a.rtm.ipv4.lookupBatch(keys, want, 0);
      checks.push(`after the trace replay the reader equals Table.lookupBatch on 2^20 in-prefix addresses: ${got.every((x, i) => x === want[i])}`);
    }
    a.rtm.close();
  }

  // ── IPv6: the fib6 structure's pages, then changed blocks ────────────────────────────────────────
  const b = load(set6);
  const has6 = b.rtm.core.x.tableHasFib6(b.rtm.ipv6.core.t, 0) === 1;
  t0 = performance.now();
  const snap6 = b.rtm.ipv6.publish();
  const first6 = performance.now() - t0, firstMode = snap6.lastPublish.mode, firstBytes = snap6.lastPublish.bytes;
  t0 = performance.now();
  b.rtm.ipv6.publish();
  const second6 = performance.now() - t0;
  const fib6Bytes = b.rtm.core.x.fib6TableBytesX(b.rtm.ipv6.core.t, 0);
  rows.push(`| IPv6 first publish (${firstMode === 'full' ? 'full copy of the fib6 structure\'s pages' : firstMode}) | ms | **${fmt(first6)}** | — | ${(firstBytes / 2 ** 20).toFixed(1)} MiB copied; the second publish fills the other generation: ${fmt(second6)} ms${has6 ? '' : ' (no fib6 structure: ranges)'} |`);
  rows.push(`| IPv6 snapshot bytes per prefix | B | **${fmt(snap6.buffer.byteLength / set6.count)}** | — | ${(snap6.buffer.byteLength / 2 ** 20).toFixed(1)} MiB for ${set6.count} prefixes (two generations, each a page table and the pages with room to grow); the core's own structure: ${fmt(fib6Bytes / set6.count)} B/prefix |`);
  {
    // deterministic churn of the table's own prefixes (withdrawals and re-announcements): there is no IPv6 trace
    const flaps = new Flaps({ rtm: b.rtm, e: b.e, nh: b.nh, set: set6 }, 6);
    const TOTAL = QUICK ? 5000 : 20_000;
    for (const step of [1, 10, 100, 1000]) {
      const pubMs: number[] = [];
      let updates = 0, blocks = 0, fulls = 0;
      const limit = step === 1 ? 2000 : TOTAL;
      for (let i = 0; i < limit; i += step) {
        const n = Math.min(step, limit - i);
        flaps.round(n);
        updates += n;
        const s = performance.now();
        b.rtm.ipv6.publish();
        pubMs.push(performance.now() - s);
        if (snap6.lastPublish.mode === 'blocks') blocks += snap6.lastPublish.units; else fulls++;
      }
      const total = pubMs.reduce((x, y) => x + y, 0);
      rows.push(`| IPv6 publish every ${step} update${step > 1 ? 's' : ''} (flaps of tier-1 prefixes) | µs per publish | **${fmt(median(pubMs) * 1000)}** | — | ${pubMs.length} publishes over ${updates} updates (each changes a destination): ${fmt(total * 1000 / updates)} µs per update, mean ${fmt(blocks / Math.max(1, pubMs.length - fulls))} blocks (1 KiB) copied per publish, ${fulls} full copies |`);
    }
  }
  {
    const N6 = QUICK ? 1 << 19 : 1 << 21;
    const mps = (ms: number) => N6 / ms / 1000;
    const r6 = FibReader.attach(snap6.buffer), got = new Int32Array(N6), want = new Int32Array(N6);
    // the same table without the core's structure, published as ranges (the way before the fib6 copy)
    const c = load(set6, true);
    const rR = FibReader.attach(c.rtm.ipv6.publish().buffer), gotR = new Int32Array(N6);
    const rangesMode = c.rtm.ipv6.publish().lastPublish.mode;
    for (const [name, inside] of [['uniform', false], ['in-prefix', true]] as const) {
      const keys6 = sharedCopy(new AddressStream(6, inside ? set6 : undefined).take(N6));
      r6.lookupBatch(keys6, got); b.rtm.ipv6.lookupBatch(keys6, want, 0);           // warm; equal?
      checks.push(`IPv6 reader (after the churn) equals Table.lookupBatch on 2^${Math.log2(N6)} ${name} addresses: ${got.every((x, i) => x === want[i])}`);
      const wantR = new Int32Array(N6);
      rR.lookupBatch(keys6, gotR); c.rtm.ipv6.lookupBatch(keys6, wantR, 0);
      checks.push(`IPv6 ranges reader equals its table's Table.lookupBatch on the ${name} addresses: ${gotR.every((x, i) => x === wantR[i])}`);
      const tR: number[] = [], tT: number[] = [], tG: number[] = [];
      for (let r = 0; r < runs; r++) {
        const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
        for (const k of order) {
          const s = performance.now();
          if (k === 0) r6.lookupBatch(keys6, got); else if (k === 1) b.rtm.ipv6.lookupBatch(keys6, want, 0); else rR.lookupBatch(keys6, gotR);
          (k === 0 ? tR : k === 1 ? tT : tG).push(performance.now() - s);
        }
      }
      rows.push(`| IPv6 FibReader on the main thread, ${name} | M lookups/s | **${fmt(mps(median(tR)))}** | ${tR.map((x) => fmt(mps(x))).join(' / ')} | ${snap6.buffer === r6.buffer && has6 ? 'walks the fib6 copy' : 'ranges'}; **${fmt(median(tT) / median(tR))}×** Table.lookupBatch (medians), ${N6} addresses per batch |`);
      rows.push(`| IPv6 Table.lookupBatch (the core, main thread), ${name} | M lookups/s | **${fmt(mps(median(tT)))}** | ${tT.map((x) => fmt(mps(x))).join(' / ')} | alternated with the rows beside it |`);
      rows.push(`| IPv6 FibReader over ranges (the same table without the structure), ${name} | M lookups/s | **${fmt(mps(median(tG)))}** | ${tG.map((x) => fmt(mps(x))).join(' / ')} | the way IPv6 was published before (${rangesMode}); the fib6 copy answers **${fmt(median(tG) / median(tR))}×** as fast |`);
    }
    c.rtm.close();
  }
  b.rtm.close();

  const worst = Math.min(...ratios);
  const date = new Date().toISOString().slice(0, 10);
  return [
    POOL_BEGIN,
    '## Issue 11: lookups across cores (LookupPool, FibReader, Table.publish)',
    '',
    `Command: \`npm run build && node --expose-gc dist/bench/pool.js\` (also part of \`npm run bench\`; release core${QUICK ? ', QUICK' : ''}).`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${date}. ${runs} alternated rounds in one process; the table gives the median and each round.`,
    `Data: ${v4.label} (${set.count} prefixes), ${v6.label} (${set6.count}), ${trace ? `${tr.label} (${trace.count} updates)` : 'no update trace'}.`,
    `Addresses: ${BATCH} per batch (2^${Math.log2(BATCH)}), uniform random (seed 1) or inside the table's prefixes (seed 2), keys and results in SharedArrayBuffers.`,
    '',
    '| task | unit | median | rounds | note |',
    '|---|---|---:|---:|---|',
    ...rows,
    '',
    `Target of issue 11: 2 workers ≥ 1.8× one worker on 2^23-address batches: ${worst >= 1.8 ? 'met' : 'not met'} (${ratios.map(fmt).join('× uniform, ')}× in-prefix, medians of the same run).`,
    ...(cpuRatios.length > 0 ? [`On CPU time (what the workers would take with a free core each): ${cpuRatios.map(fmt).join('× uniform, ')}× in-prefix.`] : []),
    `Load average of the machine (2 cores, shared with other sessions) at the start / end: ${load0} / ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
    ...checks.map((c) => `- check: ${c}`),
    POOL_END,
  ].join('\n');
}

/**
 * RESULTS.md with the IPv6 rows, IPv6 checks and the IPv6 note of the section replaced by those of
 * `section` (a `--ipv6` run), the rest of the section kept; the whole section when there is none yet.
 */
export function withPoolIpv6(text: string, section: string, note: string): string {
  const s = text.indexOf(POOL_BEGIN), e = text.indexOf(POOL_END);
  if (s < 0 || e < s) return withPoolSection(text, section);
  const fresh = section.split('\n');
  const ours = (l: string) => l.startsWith('| IPv6 ') || l.startsWith('- check: IPv6') || l.startsWith('IPv6 rows: ');
  const old = text.slice(s, e).split('\n');
  let at = old.findIndex((l) => l.startsWith('| IPv6 '));
  if (at < 0) at = old.reduce((k, l, i) => (l.startsWith('|') ? i + 1 : k), old.length);
  const before = old.slice(0, at).filter((l) => !ours(l)), after = old.slice(at).filter((l) => !ours(l));
  const checkAt = after.findIndex((l) => l.startsWith('- check: '));
  const tail = checkAt < 0 ? [...after, note] : [...after.slice(0, checkAt), note, ...after.slice(checkAt)];
  while (tail.length > 0 && tail[tail.length - 1] === '') tail.pop();
  const lines = [...before, ...fresh.filter((l) => l.startsWith('| IPv6 ')), ...tail, ...fresh.filter((l) => l.startsWith('- check: IPv6'))];
  return text.slice(0, s) + lines.join('\n') + '\n' + text.slice(e);
}

/** RESULTS.md with this section replaced (or appended). */
export function withPoolSection(text: string, section: string): string {
  const s = text.indexOf(POOL_BEGIN), e = text.indexOf(POOL_END);
  if (s >= 0 && e > s) return text.slice(0, s) + section + text.slice(e + POOL_END.length);
  return `${text.replace(/\n*$/, '\n\n')}${section}\n`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const load0 = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  benchPool(RUNS, ONLY6).then((section) => {
    console.log(section);
    if (!argv.includes('--no-write')) {
      const old = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
      const note = `IPv6 rows: \`node --expose-gc dist/bench/pool.js --ipv6\` (the IPv6 part alone${QUICK ? ', QUICK' : ''}), ${new Date().toISOString().slice(0, 10)}, ${RUNS} alternated rounds; load average at the start / end: ${load0} / ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`;
      writeFileSync(RESULTS, ONLY6 ? withPoolIpv6(old, section, note) : withPoolSection(old, section));
      console.error(`bench/pool: wrote its section of ${RESULTS}`);
    }
  }).catch((e) => { console.error(e); process.exit(1); });
}
