// A/B of the batch longest-prefix match (CoreTable.lookupBatch, as bench/run.ts measures it) in one process:
// two built trees (ROOT_A, ROOT_B with `npm run build` done), separate module graphs and cores, the full
// tier-1 table built by insertBatch in each, the run.ts workloads (uniform random, inside announced prefixes),
// passes alternated A/B, CPU time, medians and the paired median ratio; every answer of B checked against
// A's; also each tree's forwarding structure (IPv4 assembly/fib.ts, IPv6 assembly/fib6.ts) and its bytes
// per prefix (IPv4: the table's own bytes where the core exports fibTableBytesX, else all IPv4 structures').
// usage: node --expose-gc bench/ab/lookup.mjs ROOT_A ROOT_B [4|6] [rounds] [addresses]
import { fullTable } from './fulltable.mjs';
const [A, B, FAM = '4', ROUNDS = '9', M = '1000000'] = process.argv.slice(2);
const family = Number(FAM), rounds = Number(ROUNDS), n = Number(M);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const setup = (ROOT) => fullTable(ROOT, family, n);
const a = await setup(A), b = await setup(B);
if (family === 4) {
  for (const [name, s] of [['A', a], ['B', b]]) {
    const x = s.table.core.x;
    const bytes = x.fibTableBytesX ? x.fibTableBytesX(s.table.t) : x.fibMemoryBytes();
    console.log(`${name}: fib structure ${x.tableHasFib(s.table.t) === 1 ? 'built' : 'absent'}, ` +
      `${(bytes / s.set.count).toFixed(1)} B/prefix (${s.set.count} prefixes)`);
  }
}
if (family === 6) {
  for (const [name, s] of [['A', a], ['B', b]]) {
    const x = s.table.core.x;
    console.log(`${name}: fib6 structure ${x.tableHasFib6(s.table.t, 0) === 1 ? 'built' : 'absent'}, ` +
      `${(x.fib6TableBytesX(s.table.t, 0) / s.set.count).toFixed(1)} B/prefix (${s.set.count} prefixes)`);
  }
}
const names = ['uniform random', 'inside announced prefixes'];
const words = family === 4 ? 1 : 4;
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
  console.log(`IPv${family} ${names[w]}: A ${ma.toFixed(1)} ns/lookup, B ${mb.toFixed(1)} ns/lookup, B/A ${(mb / ma).toFixed(2)}` +
    ` (paired median ${med(ta.map((x, k) => tb[k] / x)).toFixed(2)}); ${diff} answers differ`);
}
