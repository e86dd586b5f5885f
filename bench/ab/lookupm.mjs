// A/B of IPv4 lookups in the multicast view (view 1) in one process: two built trees (ROOT_A, ROOT_B with
// `npm run build` done), separate cores, the full tier-1 IPv4 table (bench/ab/fulltable.mjs) with every
// destination live in both views, so that a tree with a view-1 forwarding structure (assembly/fib.ts
// TABLE_FIBM) builds it; the two run.ts workloads (uniform random, inside announced prefixes): batch
// (CoreTable.lookupBatch, view 1) and single (CoreTable.lookup4, view 1) lookups, passes alternated A/B,
// CPU time, medians and the paired median ratio; every answer of B checked against A's (and view 0's).
// usage: node --expose-gc bench/ab/lookupm.mjs ROOT_A ROOT_B [rounds] [addresses] [single addresses]
import { fullTable } from './fulltable.mjs';
const [A, B, ROUNDS = '7', M = '1000000', S = '200000'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M), ns = Number(S);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const setup = async (ROOT) => {
  const s = await fullTable(ROOT, 4, n);
  for (let i = 0; i < s.set.count; i++) if (s.destIds[i] >= 0) s.table.setDestState(s.destIds[i], 0x203);
  return s;
};
const a = await setup(A), b = await setup(B);
for (const [name, s] of [['A', a], ['B', b]]) {
  const x = s.table.core.x;
  console.log(`${name}: view-1 structure ${x.tableHasFib4 ? (x.tableHasFib4(s.table.t, 1) === 1 ? 'built' : 'absent') : 'absent (no tableHasFib4)'}` +
    `, ${(x.fibMemoryBytes() / s.set.count).toFixed(1)} B/prefix for all IPv4 structures (${s.set.count} prefixes)`);
}
const names = ['uniform random', 'inside announced prefixes'];
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const report = (what, ta, tb, diff) => {
  const ma = med(ta), mb = med(tb);
  console.log(`${what}: A ${ma.toFixed(1)} ns/lookup, B ${mb.toFixed(1)} ns/lookup, B/A ${(mb / ma).toFixed(3)}` +
    ` (paired median ${med(ta.map((x, k) => tb[k] / x)).toFixed(3)}); ${diff} answers differ`);
};
for (let w = 0; w < 2; w++) {
  const outA = new Int32Array(n), outB = new Int32Array(n), out0 = new Int32Array(n);
  const ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, out, acc] of r & 1 ? [[b, outB, tb], [a, outA, ta]] : [[a, outA, ta], [b, outB, tb]]) {
      globalThis.gc?.();
      const t0 = cpu();
      s.table.lookupBatch(s.work[w], out, 1);
      s.table.lookupBatch(s.work[w], out, 1);
      acc.push((cpu() - t0) * 1e6 / (2 * n));
    }
  }
  b.table.lookupBatch(b.work[w], out0, 0);
  let diff = 0;
  for (let i = 0; i < n; i++) if (outA[i] !== outB[i] || outB[i] !== out0[i]) diff++;
  report(`batch view 1, ${names[w]}`, ta, tb, diff);
  const sa = [], sb = [];
  const resA = new Int32Array(ns), resB = new Int32Array(ns);
  for (let r = 0; r < rounds; r++) {
    for (const [s, res, acc] of r & 1 ? [[b, resB, sb], [a, resA, sa]] : [[a, resA, sa], [b, resB, sb]]) {
      const addrs = s.work[w], t = s.table;
      const t0 = cpu();
      for (let i = 0; i < ns; i++) res[i] = t.lookup4(addrs[i], 1);
      acc.push((cpu() - t0) * 1e6 / ns);
    }
  }
  diff = 0;
  for (let i = 0; i < ns; i++) if (resA[i] !== resB[i]) diff++;
  report(`single lookup4 view 1, ${names[w]}`, sa, sb, diff);
}
