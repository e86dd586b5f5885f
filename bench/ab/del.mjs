// A/B of bench/run.ts's "delete (every destination, one call each)" row in one process: two built trees
// (ROOT_A, ROOT_B: checkouts with `npm run build` done), each a private release core; per round and side a
// CoreTable of the tier-1 IPv4 table (insertBatch, live in the unicast view), then destRemoveX of every
// destination in input order; A and B alternated, CPU time, medians (the bench row is one wall-clock sample).
// Data from the project's ../shared/data.
// usage: node --expose-gc bench/ab/del.mjs ROOT_A ROOT_B [rounds] [4|6]  (family: IPv4 by default)
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, R = '4', FAM = '4'] = process.argv.slice(2);
const F = FAM === '6' ? 6 : 4;
const sides = [];
for (const root of [A, B]) {
  const { createCoreSync } = await import(root + '/dist/src/core.js');
  const { CoreTable } = await import(root + '/dist/src/coretable.js');
  const { readPrefixFile } = await import(root + '/dist/test/helpers/prefixfile.js');
  const core = createCoreSync('release');
  sides.push({ root, core, CoreTable, set: await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true) });
}
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const res = [[], []], ins = [[], []];
for (let r = 0; r < +R; r++) for (let s = 0; s < 2; s++) {
  const { core, CoreTable, set } = sides[s];
  const N = set.count, order = new Int32Array(N);
  const t = new CoreTable(core, F);
  let t0 = cpu();
  t.insertBatch(set.keys, set.lens, N, order, core.k.DEST_S_LIVE | 1);
  ins[s].push(cpu() - t0);
  t0 = cpu();
  for (let i = 0; i < N; i++) core.x.destRemoveX(t.t, order[i]);
  res[s].push((cpu() - t0) * 1e6 / N);
  t.free();
}
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log('insertBatch ms A', med(ins[0]).toFixed(0), 'B', med(ins[1]).toFixed(0));
console.log('delete ns A', med(res[0]).toFixed(0), 'B', med(res[1]).toFixed(0), 'B/A', (med(res[1]) / med(res[0])).toFixed(2), JSON.stringify(res.map(x => x.map(v => v.toFixed(0)))));
