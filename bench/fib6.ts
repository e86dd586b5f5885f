// IPv6 forwarding structure (assembly/fib6.ts) on the tier-1 IPv6 table, issue 13: batch lookups with the
// structure and with the trie alone (threshold hook set out of reach), uniform random and inside announced
// prefixes, each beside the C anchor (bench/anchor/patricia.c) in the same run (CPU time, paired rounds,
// answers checked); build time, structure bytes per prefix, and the cost of keeping it in step (remove and
// add back 20,000 destinations). Run: `npm run build && node --expose-gc dist/bench/fib6.js [--quick]`.
// Prints a Markdown table; writes nothing.
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreSync } from '../src/port/core.js';
import { CoreTable } from '../src/coretable.js';
import { readPrefixFile } from '../test/helpers/prefixfile.js';
import { AddressStream } from '../src/cli/workload.js';
import { anchorFamily, type Workload } from './anchor.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.includes('/dist/') ? resolve(here, '../..') : resolve(here, '..');
const SHARED = process.env.RTM_SHARED_DATA ?? resolve(ROOT, '../shared/data');
const QUICK = process.argv.includes('--quick');
const LIVE_UCAST = 0x201;

async function main(): Promise<void> {
  const file = resolve(SHARED, 'tier1-ipv6.txt.gz');
  if (!existsSync(file)) { console.error(`bench fib6: ${file} not found`); return; }
  const set = await readPrefixFile(file, 6, true);
  const N = set.count;
  const core = loadCoreSync('release');
  const lines: string[] = [`IPv6 tier-1 table: ${N} prefixes (${QUICK ? 'quick' : 'full'} run)`, ''];
  const M = QUICK ? 200_000 : 1_000_000;
  const streams = [false, true].map((inside) => new AddressStream(6, inside ? set : undefined).take(M));
  lines.push('| structure | build ms | structure B/prefix | random M/s | inside M/s | C random M/s | C inside M/s | ratio random | ratio inside | in-step µs/change |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const withFib of [true, false]) {
    core.x.fib6Threshold(withFib ? 0 : 0x7fffffff);
    const destIds = new Int32Array(N);
    const t0 = performance.now();
    const table = new CoreTable(core, 6);
    table.insertBatch(set.keys, set.lens, N, destIds, LIVE_UCAST);
    const buildMs = performance.now() - t0;
    const has = core.x.tableHasFib6(table.t, 0) === 1;
    const bytes = core.x.fib6TableBytesX(table.t, 0) as number;
    const out = new Int32Array(M);
    const workloads: Workload[] = streams.map((addrs, i) => {
      table.lookupBatch(addrs, out, 0);
      return { name: i === 0 ? 'uniform random' : 'inside announced prefixes', addrs, rtmOut: out.slice() };
    });
    const rate: number[] = streams.map((addrs) => {
      let best = Infinity;
      for (let r = 0; r < (QUICK ? 3 : 7); r++) {
        const s = performance.now();
        table.lookupBatch(addrs, out, 0);
        best = Math.min(best, performance.now() - s);
      }
      return M / best / 1e3;
    });
    const anchor = anchorFamily(ROOT, 6, set, destIds, workloads, {
      build: () => { const t = new CoreTable(core, 6); t.insertBatch(set.keys, set.lens, N, new Int32Array(N), LIVE_UCAST); t.free(); },
      lookup: (a, o) => { table.lookupBatch(a, o, 0); },
    }, QUICK);
    if (!anchor.agree) console.error('bench fib6: the C anchor disagrees!', anchor.notes.join('\n'));
    const cNs = anchor.cLookupCpuNs ?? [NaN, NaN];
    const ratio = anchor.lookupRatio ?? [NaN, NaN];
    // keeping it in step: remove 20,000 destinations and add them back (state set), one call each
    const K = 20_000;
    const s = performance.now();
    for (let i = 0; i < K; i++) core.x.destRemoveX(table.t, destIds[i * 7 % N]);
    const again = new Int32Array(1);
    for (let i = 0; i < K; i++) {
      const j = i * 7 % N;
      table.insertBatch(set.keys.subarray(j * 4, j * 4 + 4), set.lens.subarray(j, j + 1), 1, again, LIVE_UCAST);
    }
    const stepUs = (performance.now() - s) * 1e3 / (2 * K);
    lines.push(`| ${has ? 'fib6 (16-8-…, run-compressed)' : 'trie only'} | ${buildMs.toFixed(0)} | ${has ? (bytes / N).toFixed(1) : '—'} | ` +
      `${rate[0].toFixed(1)} | ${rate[1].toFixed(1)} | ${(1e3 / cNs[0]).toFixed(1)} | ${(1e3 / cNs[1]).toFixed(1)} | ` +
      `${ratio[0].toFixed(2)}× | ${ratio[1].toFixed(2)}× | ${stepUs.toFixed(2)} |`);
    if (withFib) lines.push(...anchor.notes.map((n) => `<!-- ${n} -->`));
    table.free();
  }
  core.x.fib6Threshold(0);
  console.log(lines.join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
