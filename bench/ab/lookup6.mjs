// A/B of IPv6 batch lookups through the forwarding structure (assembly/fib6.ts) on the tier-1 IPv6 table,
// in one process: two built trees (ROOT_A, ROOT_B with `npm run build` done), separate module graphs and
// release cores, the table built by insertBatch in each (the structure is built at the threshold), the run.ts
// workloads (uniform random, inside announced prefixes), passes alternated A/B, CPU time, medians and paired
// median ratio; every answer of B checked against A's; the structure's bytes per prefix of each.
// usage: node --expose-gc bench/ab/lookup6.mjs ROOT_A ROOT_B [rounds] [addresses]
import { fullTable } from './fulltable.mjs';
const [A, B, ROUNDS = '11', M = '1000000'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const a = await fullTable(A, 6, n), b = await fullTable(B, 6, n);
for (const [name, s] of [['A', a], ['B', b]]) {
  const x = s.table.core.x;
  const bytes = x && x.fib6TableBytesX ? x.fib6TableBytesX(s.table.t, 0) : NaN;
  console.log(`${name}: fib6 structure ${x?.tableHasFib6?.(s.table.t, 0) === 1 ? 'built' : 'absent'}, ` +
    `${(bytes / s.set.count).toFixed(1)} B/prefix (${s.set.count} prefixes)`);
}
const names = ['uniform random', 'inside announced prefixes'];
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
for (let w = 0; w < 2; w++) {
  const outA = new Int32Array(n), outB = new Int32Array(n);
  const ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, out, acc] of r & 1 ? [[b, outB, tb], [a, outA, ta]] : [[a, outA, ta], [b, outB, tb]]) {
      globalThis.gc?.();
      const t0 = cpu();
      s.table.lookupBatch(s.work[w], out, 0);
      s.table.lookupBatch(s.work[w], out, 0);
      acc.push((cpu() - t0) * 1e6 / (2 * n));
    }
  }
  let diff = 0;
  for (let i = 0; i < n; i++) if (outA[i] !== outB[i]) diff++;
  const ma = med(ta), mb = med(tb);
  console.log(`IPv6 ${names[w]}: A ${ma.toFixed(1)} ns/lookup (${(1e3 / ma).toFixed(1)} M/s), B ${mb.toFixed(1)} ns/lookup ` +
    `(${(1e3 / mb).toFixed(1)} M/s), B/A ${(mb / ma).toFixed(2)} (paired median ${med(ta.map((x, k) => tb[k] / x)).toFixed(2)}); ${diff} answers differ`);
}
