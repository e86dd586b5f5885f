// A/B of the per-call IPv4 lookup (CoreTable.lookup4: one Wasm call per address, what Table.lookupId
// costs without its argument checks) in one process: two built trees (ROOT_A, ROOT_B with `npm run
// build` done), the full tier-1 table in each (fulltable.mjs), the run.ts workloads (uniform random,
// inside announced prefixes), passes alternated A/B, CPU time, medians and the paired median ratio; then
// the same with one 4096-address batch of lookupBatch repeated (its lines stay in cache: the compute and
// TLB part of a batch lookup without its cache misses). B's answers checked against A's.
// usage: node --expose-gc bench/ab/lookup1.mjs ROOT_A ROOT_B [rounds] [addresses]
import { fullTable } from './fulltable.mjs';
const [A, B, ROUNDS = '7', M = '1000000'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const a = await fullTable(A, 4, n), b = await fullTable(B, 4, n);
const names = ['uniform random', 'inside announced prefixes'];
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const report = (what, w, ta, tb, unit) => {
  const ma = med(ta), mb = med(tb);
  console.log(`IPv4 ${what}, ${names[w]}: A ${ma.toFixed(1)} ${unit}, B ${mb.toFixed(1)} ${unit}, B/A ${(mb / ma).toFixed(2)}` +
    ` (paired median ${med(ta.map((x, k) => tb[k] / x)).toFixed(2)})`);
};
let sink = 0;
for (let w = 0; w < 2; w++) {
  let diff = 0;
  for (let i = 0; i < n; i++) if (a.table.lookup4(a.work[w][i]) !== b.table.lookup4(b.work[w][i])) diff++;
  const ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, acc] of r & 1 ? [[b, tb], [a, ta]] : [[a, ta], [b, tb]]) {
      globalThis.gc?.();
      const addrs = s.work[w], t = s.table;
      const t0 = cpu();
      for (let i = 0; i < n; i++) sink += t.lookup4(addrs[i]);
      acc.push((cpu() - t0) * 1e6 / n);
    }
  }
  report('lookup4 per call', w, ta, tb, 'ns/call');
  if (diff !== 0) console.log(`  ${diff} answers differ`);
}
for (let w = 0; w < 2; w++) {
  const ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, acc] of r & 1 ? [[b, tb], [a, ta]] : [[a, ta], [b, tb]]) {
      const c = s.table.core, batch = Math.min(c.IO_BATCH_MAX, n), reps = 500;
      c.u32().set(s.work[w].subarray(0, batch), c.io + c.IO_IN);
      const t0 = cpu();
      for (let k = 0; k < reps; k++) c.x.lookupBatch(s.table.t, batch, 0);
      acc.push((cpu() - t0) * 1e6 / (reps * batch));
    }
  }
  report('lookupBatch, one cache-resident batch repeated', w, ta, tb, 'ns/lookup');
}
void sink;
