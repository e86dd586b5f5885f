// The C anchor against two built trees in one process (bench/anchor.ts's pairing, with A and B): in each
// round the C anchor runs its batches (its own process, CPU time), then A's and B's CoreTable.lookupBatch
// for as long (this thread's CPU time); ratio to C = C time ÷ rtm-wasm time per round, medians. Workloads
// as bench/run.ts (1M addresses: uniform random, inside announced prefixes); B's answers checked against C's.
// usage: node --expose-gc bench/ab/anchor.mjs ROOT_A ROOT_B [4|6] [rounds] [seconds]
import { fullTable } from './fulltable.mjs';
const [A, B, FAM = '4', ROUNDS = '5', SECONDS = '0.4'] = process.argv.slice(2);
const family = Number(FAM), rounds = Number(ROUNDS), seconds = Number(SECONDS);
const { buildAnchor, runAnchor, slotToIndex, disagreements } = await import(B + '/dist/bench/anchor.js');
const { threadCpuMs } = await import(B + '/dist/bench/cpu.js');
const side = (ROOT) => fullTable(ROOT, family, 1_000_000);
const a = await side(A), b = await side(B);
const exe = buildAnchor(B).exe;
if (!exe) throw new Error('no C anchor');
const n = 1_000_000;
function perRun(s, w, out) {
  globalThis.gc?.();
  const w0 = performance.now(), c0 = threadCpuMs();
  let runs = 0;
  do { s.table.lookupBatch(s.work[w], out, 0); runs++; } while (performance.now() - w0 < seconds * 1e3);
  return (threadCpuMs() - c0) * 1e6 / runs / n;
}
const names = ['uniform random', 'inside announced prefixes'];
const c = [[], []], ra = [[], []], rb = [[], []];
let answers;
for (let r = 0; r < rounds; r++) {
  const run = runAnchor(exe, family, b.set, b.work, seconds);
  if (r === 0) answers = run.answers;
  for (let w = 0; w < 2; w++) {
    c[w].push(run.json.workloads[w].cpu_ns_per_lookup);
    const out = new Int32Array(n);
    const [first, second] = r & 1 ? [[b, rb], [a, ra]] : [[a, ra], [b, rb]];
    first[1][w].push(perRun(first[0], w, out));
    second[1][w].push(perRun(second[0], w, out));
  }
}
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const slotIdx = slotToIndex(b.destIds, b.set.count);
for (let w = 0; w < 2; w++) {
  const out = new Int32Array(n);
  b.table.lookupBatch(b.work[w], out, 0);
  const d = disagreements(answers[w], out, slotIdx, n);
  console.log(`IPv${family} ${names[w]}: CPU ns/lookup C ${med(c[w]).toFixed(1)}, A ${med(ra[w]).toFixed(1)}, B ${med(rb[w]).toFixed(1)}; ` +
    `ratio to C (paired medians) A ${med(c[w].map((x, k) => x / ra[w][k])).toFixed(2)}×, B ${med(c[w].map((x, k) => x / rb[w][k])).toFixed(2)}×; ` +
    `B vs C: ${d.count} disagreements`);
}
