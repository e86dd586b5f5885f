// A/B of bench/scale.ts's next-hop rows as `npm run bench` runs them (issue 13): each pass runs, in a fresh
// process per tree, benchManyTables and benchChurn first (the heap and core state the rows meet in
// bench/run.ts), then benchNextHops; A and B alternate. Prints each pass's rows and the medians. Each
// tree measures with its own bench/scale.ts, so a change of the bench itself shows here too.
// usage: node bench/ab/nexthop-scale.mjs ROOT_A ROOT_B [passes]
import { execFileSync } from 'node:child_process';
const [A, B, PASSES = '2'] = process.argv.slice(2);
const child = `const m = await import(process.argv[1] + '/dist/bench/scale.js');
m.benchManyTables(false); m.benchChurn(false);
console.log(JSON.stringify(m.benchNextHops(false).map((r) => [r.core, r.ref])));`;
const run = (root) => JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child, root], { encoding: 'utf8' }).trim().split('\n').pop());
const rows = ['addNextHop (create)', 'findNextHop + releaseNextHops'];
const got = { A: [], B: [] };
for (let p = 0; p < Number(PASSES); p++) {
  for (const side of p & 1 ? ['B', 'A'] : ['A', 'B']) {
    const r = run(side === 'A' ? A : B);
    got[side].push(r);
    console.log(`pass ${p} ${side}: ` + rows.map((n, i) => `${n} ${r[i][0].toFixed(3)} µs at 100,000 / ${r[i][1].toFixed(3)} at 1,000`).join('; '));
  }
}
const med = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
rows.forEach((n, i) => {
  const a = med(got.A.map((r) => r[i][0])), b = med(got.B.map((r) => r[i][0]));
  const a1 = med(got.A.map((r) => r[i][1])), b1 = med(got.B.map((r) => r[i][1]));
  console.log(`${n}: 100,000 A ${a.toFixed(3)} B ${b.toFixed(3)} (B/A ${(b / a).toFixed(3)}); 1,000 A ${a1.toFixed(3)} B ${b1.toFixed(3)}; ratio 1,000/100,000 A ${(a1 / a).toFixed(2)} B ${(b1 / b).toFixed(2)}`);
});
