// The C anchors of the benchmark: our own DIR-24-8 (IPv4) and Patricia trie (IPv6) in bench/anchor/*.c.
// buildAnchor compiles them with gcc (or $CC) into build/anchor/ when a compiler is present; anchorFamily
// writes the benchmark's prefixes and address workloads to binary files in a temporary folder, runs the
// anchor on them (build time, bytes per prefix, batch lookups/s as JSON) and checks its per-address
// answers against rtm-wasm's from the same run (same prefix matched, compared by the lowest input index
// among duplicate prefixes). A disagreement is printed loudly, written into the report, and fails the
// run. Timing alternates rounds of the anchor and of rtm-wasm and compares CPU time (the anchor's
// process, rtm-wasm's main thread: robust on a loaded machine). attachAnchor puts the C figures beside the matching rows: the report's "C anchor" and "ratio
// to C" columns (C time ÷ rtm-wasm time, i.e. rtm-wasm throughput ÷ C throughput; higher is better for us).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Family } from '../src/address.js';
import type { Row } from './scale.js';
import { threadCpuMs } from './cpu.js';

/** Prefixes in input order: 4 key words each (MS first, host bits clear) and lengths. */
export interface PrefixInput { readonly keys: Uint32Array; readonly lens: ArrayLike<number>; readonly count: number }

export interface AnchorBuild {
  /** The anchor program, when it was built. */
  readonly exe?: string;
  /** Why there is no anchor (no compiler, compile error). */
  readonly skipped?: string;
  /** Compiler and flags, for the report. */
  readonly compiler?: string;
}

const SOURCES = ['main.c', 'dir24_8.c', 'patricia.c'];
const FLAGS = ['-O2', '-std=c11'];

/** Compiles bench/anchor/*.c into outDir/anchor with $CC or gcc; `skipped` says why when it cannot. */
export function buildAnchor(root: string, outDir = resolve(root, 'build/anchor')): AnchorBuild {
  const cc = process.env.CC ?? 'gcc';
  const version = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { skipped: `no C compiler (${cc} not found): the C anchor is skipped` };
  const src = resolve(root, 'bench/anchor');
  if (!existsSync(join(src, 'main.c'))) return { skipped: `C anchor sources not found in ${src}` };
  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, 'anchor');
  const r = spawnSync(cc, [...FLAGS, '-o', exe, ...SOURCES.map((f) => join(src, f))], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { skipped: `C anchor did not compile: ${(r.stderr || String(r.error)).trim().slice(0, 500)}` };
  return { exe, compiler: `${version.stdout.split('\n')[0].trim()} ${FLAGS.join(' ')}` };
}

/** prefixes.bin: u32 count, then count × (4 key words, u32 length), little-endian. */
export function writePrefixes(file: string, set: PrefixInput): void {
  const u = new Uint32Array(1 + set.count * 5);
  u[0] = set.count;
  for (let i = 0; i < set.count; i++) {
    for (let w = 0; w < 4; w++) u[1 + i * 5 + w] = set.keys[i * 4 + w];
    u[1 + i * 5 + 4] = set.lens[i];
  }
  writeFileSync(file, new Uint8Array(u.buffer));
}

/** keys.bin: u32 count, u32 words per address (1 for IPv4, 4 for IPv6), then the words. */
export function writeKeys(file: string, family: Family, addrs: Uint32Array): void {
  const words = family === 4 ? 1 : 4;
  const u = new Uint32Array(2 + addrs.length);
  u[0] = addrs.length / words;
  u[1] = words;
  u.set(addrs, 2);
  writeFileSync(file, new Uint8Array(u.buffer));
}

/** What the report says of the anchor's pages: advised onto huge pages, and how much the kernel granted. */
function hugeNote(j: AnchorJson): string {
  if (!j.huge_pages) return '';
  const granted = j.huge_kb < 0 ? 'granted amount unknown' : `${(j.huge_kb / 1024).toFixed(0)} MiB of the process on them after the build`;
  return ` (table advised onto transparent huge pages: ${granted})`;
}

/** What the anchor prints. */
export interface AnchorJson {
  family: number; structure: string; compiler: string; prefixes: number; unique: number;
  build_ms: number; build_min_ms: number; build_cpu_ms: number; build_runs: number; bytes: number; bytes_per_prefix: number;
  huge_pages: number;
  /** kB of the anchor process on transparent huge pages after its build (-1: unknown). */
  huge_kb: number;
  workloads: { keys: number; passes: number; ns_per_lookup: number; best_ns_per_lookup: number; cpu_ns_per_lookup: number;
    lookups_per_s: number; hits: number }[];
}

/**
 * Runs the anchor on a prefix list and address workloads (written to a temporary folder, removed after);
 * returns its JSON and each workload's answers (prefix index or -1 per address). `smallPages`: the IPv4
 * table is advised off transparent huge pages (ANCHOR_SMALL_PAGES), i.e. on the 4 KiB pages that the
 * Wasm linear memory of rtm-wasm gets here.
 */
export function runAnchor(exe: string, family: Family, set: PrefixInput, workloads: readonly Uint32Array[], seconds: number,
  smallPages = false): { json: AnchorJson; answers: Int32Array[] } {
  const dir = mkdtempSync(join(tmpdir(), 'rtm-anchor-'));
  try {
    const pf = join(dir, 'prefixes.bin');
    writePrefixes(pf, set);
    const args = [String(family), pf, String(seconds)];
    workloads.forEach((addrs, i) => {
      writeKeys(join(dir, `keys${i}.bin`), family, addrs);
      args.push(join(dir, `keys${i}.bin`), join(dir, `answers${i}.bin`));
    });
    const env = smallPages ? { ...process.env, ANCHOR_SMALL_PAGES: '1' } : process.env;
    const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (r.error || r.status !== 0) throw new Error(`C anchor failed: ${(r.stderr || String(r.error)).trim()}`);
    const json = JSON.parse(r.stdout) as AnchorJson;
    const answers = workloads.map((_, i) => {
      const b = readFileSync(join(dir, `answers${i}.bin`));
      return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    });
    return { json, answers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lowest input index of each destination slot (slot → index; -1 = none). */
export function slotToIndex(destIds: Int32Array, count: number): Int32Array {
  let max = 0;
  for (let i = 0; i < count; i++) if (destIds[i] > max) max = destIds[i];
  const m = new Int32Array(max + 1).fill(-1);
  for (let i = 0; i < count; i++) if (destIds[i] >= 0 && m[destIds[i]] === -1) m[destIds[i]] = i;
  return m;
}

/** Addresses where the anchor (prefix index) and rtm-wasm (destination slot) matched different prefixes. */
export function disagreements(c: Int32Array, rtm: Int32Array, slotIdx: Int32Array, n: number): { count: number; first: number[] } {
  let count = 0;
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    const mine = rtm[i] < 0 ? -1 : rtm[i] < slotIdx.length ? slotIdx[rtm[i]] : -2;
    if (mine !== c[i]) { count++; if (first.length < 5) first.push(i); }
  }
  return { count, first };
}

/** One workload of the benchmark: its name (as in the row's task), addresses and rtm-wasm's answers. */
export interface Workload { readonly name: string; readonly addrs: Uint32Array; readonly rtmOut: Int32Array }

/** rtm-wasm's side of the paired measurement: a full build of the same prefixes, and a batch lookup. */
export interface RtmSide {
  build(): void;
  lookup(addrs: Uint32Array, out: Int32Array): void;
}

export interface AnchorResult {
  readonly skipped?: string;
  readonly json?: AnchorJson;
  /** Medians over the rounds: C's CPU ms per build and CPU ns per lookup (per workload). */
  readonly cBuildCpuMs?: number;
  readonly cLookupCpuNs?: number[];
  /** Medians over the rounds of C CPU time ÷ rtm-wasm CPU time (build; each workload's lookups). */
  readonly buildRatio?: number;
  readonly lookupRatio?: number[];
  /** IPv4: the same for the anchor's table on 4 KiB pages (the pages Wasm memory gets): CPU ns and ratio. */
  readonly cLookupCpuNsSmall?: number[];
  readonly lookupRatioSmall?: number[];
  /** Lines for the report (what ran, paired figures, disagreements). */
  readonly notes: string[];
  readonly agree: boolean;
  readonly workloads: readonly string[];
}

let built: AnchorBuild | undefined;

/** Runs fn at least once and for about `seconds` of wall time; CPU ms of this thread per run. */
function cpuPerRun(fn: () => void, seconds: number): number {
  (globalThis as { gc?: () => void }).gc?.();   // bench runs with --expose-gc: no collection due meanwhile
  const w0 = performance.now(), c0 = threadCpuMs();
  let runs = 0;
  do { fn(); runs++; } while (performance.now() - w0 < seconds * 1e3);
  return (threadCpuMs() - c0) / runs;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];

/**
 * Runs the family's C anchor on the benchmark's prefixes and workloads and checks its answers against
 * rtm-wasm's (destIds: the destination slot of each prefix in rtm-wasm's table). Timing is paired: in
 * each round the anchor runs (its builds, then each workload's batches), then rtm-wasm does the same
 * (one build, then each workload's batches for as long); both sides count CPU time, so other processes
 * on a loaded machine disturb the ratio far less than wall time. Ratios are medians over the rounds.
 */
export function anchorFamily(root: string, family: Family, set: PrefixInput, destIds: Int32Array, workloads: readonly Workload[],
  rtm: RtmSide, quick: boolean): AnchorResult {
  const fam = family === 4 ? 'IPv4' : 'IPv6';
  built ??= buildAnchor(root);
  if (!built.exe) {
    console.error(`bench: ${built.skipped}`);
    return { skipped: built.skipped, notes: [`- C anchor (${fam}): ${built.skipped}`], agree: true, workloads: [] };
  }
  const rounds = quick ? 3 : 5, seconds = quick ? 0.2 : 0.4;
  const words = family === 4 ? 1 : 4;
  const cBuild: number[] = [], rBuild: number[] = [];
  const cLook: number[][] = workloads.map(() => []), rLook: number[][] = workloads.map(() => []);
  // IPv4: a second anchor run per round with its table on 4 KiB pages (DIR-24-8 as deployed sits on huge
  // pages; Wasm linear memory gets none here, so the report gives the ratio both ways)
  const small = family === 4;
  const cSmall: number[][] = workloads.map(() => []);
  let json: AnchorJson | undefined, answers: Int32Array[] = [];
  for (let round = 0; round < rounds; round++) {
    console.error(`bench: ${fam} C anchor, round ${round + 1} of ${rounds}`);
    const run = runAnchor(built.exe, family, set, workloads.map((w) => w.addrs), seconds);
    if (round === 0) { json = run.json; answers = run.answers; }
    cBuild.push(run.json.build_cpu_ms);
    run.json.workloads.forEach((w, i) => cLook[i].push(w.cpu_ns_per_lookup));
    if (small) {
      const s4k = runAnchor(built.exe, family, set, workloads.map((w) => w.addrs), seconds, true);
      if (s4k.json.huge_pages) throw new Error('C anchor: ANCHOR_SMALL_PAGES run reports huge pages');
      s4k.json.workloads.forEach((w, i) => cSmall[i].push(w.cpu_ns_per_lookup));
    }
    rBuild.push(cpuPerRun(() => rtm.build(), 0));
    workloads.forEach((w, i) => {
      const out = new Int32Array(w.addrs.length / words);
      rLook[i].push(cpuPerRun(() => rtm.lookup(w.addrs, out), seconds) * 1e6 / out.length);
    });
  }
  const j = json!;
  const slotIdx = slotToIndex(destIds, set.count);
  const buildRatio = median(cBuild.map((c, k) => c / rBuild[k]));
  const lookupRatio = workloads.map((_, i) => median(cLook[i].map((c, k) => c / rLook[i][k])));
  const cLookupCpuNs = cLook.map(median);
  const lookupRatioSmall = small ? workloads.map((_, i) => median(cSmall[i].map((c, k) => c / rLook[i][k]))) : undefined;
  const cLookupCpuNsSmall = small ? cSmall.map(median) : undefined;
  const notes = [`- C anchor (${fam}): ${j.structure}${hugeNote(j)} (bench/anchor/, ${built.compiler}); ` +
    `${j.bytes_per_prefix.toFixed(1)} B/prefix over ${j.unique} distinct prefixes; ${rounds} rounds alternating with rtm-wasm, CPU time; ` +
    `build ${median(cBuild).toFixed(1)} ms (rtm-wasm ${median(rBuild).toFixed(1)} ms)`];
  let agree = true;
  workloads.forEach((w, i) => {
    const n = w.addrs.length / words;
    const d = disagreements(answers[i], w.rtmOut, slotIdx, n);
    if (d.count > 0) {
      agree = false;
      const msg = `C ANCHOR DISAGREES (${fam}, ${w.name}): ${d.count} of ${n} addresses matched a different prefix (first at address indexes ${d.first.join(', ')})`;
      console.error(`\n!!!!! bench: ${msg} !!!!!\n`);
      notes.push(`- **${msg}**`);
      process.exitCode = 1;
    } else {
      notes.push(`  - ${w.name}: all ${n} answers agree with rtm-wasm (same prefix matched); CPU ns/lookup C ${cLookupCpuNs[i].toFixed(1)} ` +
        `(${(1e3 / cLookupCpuNs[i]).toFixed(1)} M/s), rtm-wasm ${median(rLook[i]).toFixed(1)} (${(1e3 / median(rLook[i])).toFixed(1)} M/s)` +
        (small ? `; C with its table on 4 KiB pages (as Wasm memory here) ${cLookupCpuNsSmall![i].toFixed(1)} ns, ratio to it ` +
          `${lookupRatioSmall![i].toFixed(2)}× (the table's ratio is to C on huge pages)` : ''));
    }
  });
  return { json: j, cBuildCpuMs: median(cBuild), cLookupCpuNs, buildRatio, lookupRatio, cLookupCpuNsSmall, lookupRatioSmall, notes, agree,
    workloads: workloads.map((w) => w.name) };
}

/** A report row with the C anchor's figure (in the row's unit) and the ratio to C. */
export type AnchorRow = Row & { c?: number; cRatio?: number };

/**
 * Puts the anchor's figures beside the family's rows: build (CPU ns/prefix), memory (bytes/prefix) and
 * each workload's batch lookup (CPU ns/lookup), with the paired ratios. Rows it cannot find get none;
 * the notes say so.
 */
export function attachAnchor(rows: AnchorRow[], fam: string, r: AnchorResult): void {
  const j = r.json;
  if (!j) return;
  const mine: AnchorRow[] = rows.filter((x) => x.family === fam);
  const put = (pick: (x: Row) => boolean, value: number, ratio: number | undefined, what: string): void => {
    const row = mine.find(pick);
    if (row) { row.c = value; row.cRatio = ratio ?? value / row.core; } else r.notes.push(`  - (no ${fam} row for ${what}: the C figure is ${value.toFixed(2)})`);
  };
  put((x) => x.task.startsWith('build'), r.cBuildCpuMs! * 1e6 / j.prefixes, r.buildRatio, 'build');
  put((x) => x.task.startsWith('memory'), j.bytes_per_prefix, undefined, 'memory');
  r.workloads.forEach((name, i) => put((x) => x.task.startsWith('batch lookup') && x.task.includes(name), r.cLookupCpuNs![i], r.lookupRatio![i],
    `batch lookup, ${name}`));
}

/** Header cells of the two C columns. */
export const C_HEADER = ' C anchor | ratio to C |';
export const C_RULE = '---:|---:|';
/** The row's C cells: the anchor's figure and C ÷ rtm-wasm (for lookups: rtm-wasm throughput ÷ C throughput). */
export function cCells(r: AnchorRow): string {
  return r.c === undefined ? ' — | — |' : ` ${r.c.toFixed(1)} | ${(r.cRatio ?? r.c / r.core).toFixed(2)}× |`;
}
