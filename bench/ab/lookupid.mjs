// A/B of Table.lookupId (IPv4, the facade's per-packet call with its argument and instance checks, as
// bench/hot.ts measures it; lookup1.mjs measures the core call alone) in one process: two built trees
// (ROOT_A, ROOT_B with `npm run build` done), separate module graphs and cores, an Rtm in each holding the
// full tier-1 IPv4 table (addRoutesBatch, one BGP entity), the same address arrays for both (uniform random,
// inside announced prefixes: A's AddressStream), passes alternated A/B, CPU time, medians and the paired
// median ratio; each tree's answers checked against its lookupBatch, and B's against A's. Each tree's pass
// loop is a function of its own (new Function: no type feedback shared between the two trees' Table
// classes) with an int32 sum (no overflow deopt), warmed before the rounds. Also lookupBatch in the same
// rounds, for hot.ts's lookupId ÷ lookupBatch ratio.
// usage: node --expose-gc bench/ab/lookupid.mjs ROOT_A ROOT_B [rounds] [addresses]
const [A, B, ROUNDS = '9', M = '2000000'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M);
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

async function tree(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
  const rtm = Rtm.createSync({ build: 'release', families: ['ipv4'] });
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh),
    preferences: new Uint32Array(set.count).fill(20) });
  // int32 sum: no overflow deopt in the loop
  const pass = new Function('t', 'addrs', 'n', 'let s = 0; for (let i = 0; i < n; i++) s = (s + t.lookupId(addrs[i])) | 0; return s;');
  return { ROOT, set, rtm, t: rtm.ipv4, pass };
}

const a = await tree(A), b = await tree(B);
const { AddressStream } = await import(A + '/dist/src/cli/workload.js');
const work = [new AddressStream(4).take(n), new AddressStream(4, a.set).take(n)];
const names = ['uniform random', 'inside announced prefixes'];
let sink = 0;
for (let w = 0; w < 2; w++) {
  const outA = new Int32Array(n), outB = new Int32Array(n);
  a.t.lookupBatch(work[w], outA, 0); b.t.lookupBatch(work[w], outB, 0);
  // each tree's lookupId against its own batch; B's answers against A's when the trees (and so cores) differ
  let diff = 0;
  for (let i = 0; i < n; i++) {
    if (a.t.lookupId(work[w][i]) !== outA[i] || b.t.lookupId(work[w][i]) !== outB[i] || (A !== B && outA[i] !== outB[i])) diff++;
  }
  for (const s of [a, b]) sink ^= s.pass(s.t, work[w], n);   // warm
  const ta = [], tb = [], ba = [], bb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, acc, bacc, out] of r & 1 ? [[b, tb, bb, outB], [a, ta, ba, outA]] : [[a, ta, ba, outA], [b, tb, bb, outB]]) {
      globalThis.gc?.();
      let t0 = cpu();
      sink ^= s.pass(s.t, work[w], n);
      acc.push((cpu() - t0) * 1e6 / n);
      t0 = cpu();
      s.t.lookupBatch(work[w], out, 0);
      bacc.push((cpu() - t0) * 1e6 / n);
    }
  }
  const ma = med(ta), mb = med(tb), pr = med(ta.map((x, k) => tb[k] / x));
  console.log(`IPv4 lookupId, ${names[w]}: A ${ma.toFixed(1)} ns/call (${(1e3 / ma).toFixed(1)} M/s), B ${mb.toFixed(1)} ns/call` +
    ` (${(1e3 / mb).toFixed(1)} M/s), B/A ${(mb / ma).toFixed(2)} (paired median ${pr.toFixed(2)}; B/A per round ${ta.map((x, k) => (tb[k] / x).toFixed(2)).join(' ')})`);
  console.log(`  lookupBatch same rounds: A ${med(ba).toFixed(1)} ns, B ${med(bb).toFixed(1)} ns; lookupId ÷ lookupBatch A ${(med(ba) / ma).toFixed(3)}, B ${(med(bb) / mb).toFixed(3)}`);
  if (diff !== 0) console.log(`  ${diff} answers differ`);
}
void sink;
