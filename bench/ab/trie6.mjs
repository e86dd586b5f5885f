// A/B of the IPv6 trie walk alone (trie.ts trieLpm: what lookups of an IPv6 table without a forwarding
// structure cost, and the walk every exact or covering find of an IPv6 prefix takes) in one process: two
// built trees (ROOT_A, ROOT_B with `npm run build` done), separate module graphs and private release cores
// whose IPv6 forwarding-structure threshold is set out of reach (fib6Threshold), so that every lookup walks
// the trie. The full tier-1 IPv6 table, the run.ts workloads (uniform random, inside announced prefixes);
// lookupBatch by IO_BATCH_MAX addresses, passes alternated A/B, CPU time, medians and the paired median
// ratio. B's answers checked against A's.
// usage: node --expose-gc bench/ab/trie6.mjs ROOT_A ROOT_B [rounds] [addresses]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, ROUNDS = '9', M = '1000000'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

async function tree(ROOT) {
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  const { CoreTable } = await import(ROOT + '/dist/src/coretable.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const { AddressStream } = await import(ROOT + '/dist/src/cli/workload.js');
  const set = await readPrefixFile(DATA + 'tier1-ipv6.txt.gz', 6, true);
  const core = createCoreSync('release');
  core.x.fib6Threshold(0x7fffffff);
  const t = new CoreTable(core, 6);
  t.insertBatch(set.keys, set.lens, set.count, new Int32Array(set.count), 0x201);
  if (core.x.tableHasFib6(t.t, 0)) throw new Error('a forwarding structure was built');
  const work = [false, true].map((inside) => new AddressStream(6, inside ? set : undefined).take(n));
  return { core, t, work };
}

const a = await tree(A), b = await tree(B);
const names = ['uniform random', 'inside announced prefixes'];
const batchOf = (s, addrs, out) => {
  const c = s.core, batch = c.IO_BATCH_MAX;
  let done = 0;
  for (let off = 0; off + batch <= n; off += batch) {
    c.u32().set(addrs.subarray(off * 4, (off + batch) * 4), c.io + c.IO_IN);
    c.x.lookupBatch(s.t.t, batch, 0);
    if (out) out.set(c.i32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + batch), off);
    done += batch;
  }
  return done;
};
for (let w = 0; w < 2; w++) {
  const oa = new Int32Array(n), ob = new Int32Array(n);
  batchOf(a, a.work[w], oa); batchOf(b, b.work[w], ob);
  let diff = 0;
  for (let i = 0; i < n; i++) if (oa[i] !== ob[i]) diff++;
  const xa = [], xb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [s, acc] of r & 1 ? [[b, xb], [a, xa]] : [[a, xa], [b, xb]]) {
      globalThis.gc?.();
      const t0 = cpu();
      const done = batchOf(s, s.work[w]);
      acc.push((cpu() - t0) * 1e6 / done);
    }
  }
  const ma = med(xa), mb = med(xb);
  console.log(`IPv6 trie only, full table (${a.t.destCount} prefixes), lookupBatch, ${names[w]}: A ${ma.toFixed(1)} ns, B ${mb.toFixed(1)} ns, ` +
    `B/A ${(mb / ma).toFixed(2)} (paired median ${med(xa.map((x, k) => xb[k] / x)).toFixed(2)})${diff ? `; ${diff} answers differ` : ''}`);
}
