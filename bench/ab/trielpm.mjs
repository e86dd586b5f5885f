// A/B of the trie walk alone (trie.ts trieLpm4 for IPv4, trieLpm for IPv6: what lookups of a table without a
// forwarding structure cost, and the walk every exact or covering find takes) in one process: two built trees
// (ROOT_A, ROOT_B with `npm run build` done), separate module graphs and private release cores whose
// forwarding-structure thresholds are set out of reach (fibThreshold, fib6Threshold), so that every lookup
// walks the trie. Two tables per tree: the full tier-1 table of the family (a walk of cache misses) and a
// small one of SMALL prefixes sampled from it (its nodes stay in cache), each with the run.ts workloads
// (uniform random, inside announced prefixes); per-call lookup4 / lookup6 and lookupBatch, passes alternated
// A/B, CPU time, medians and the paired median ratio. B's answers checked against A's.
// usage: node --expose-gc bench/ab/trielpm.mjs ROOT_A ROOT_B [rounds] [addresses] [SMALL] [4|6]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, ROUNDS = '7', M = '1000000', SMALL = '10000', FAM = '4'] = process.argv.slice(2);
const rounds = Number(ROUNDS), n = Number(M), small = Number(SMALL), F = Number(FAM), words = F === 4 ? 1 : 4;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

async function tree(ROOT) {
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  const { CoreTable } = await import(ROOT + '/dist/src/coretable.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const { AddressStream } = await import(ROOT + '/dist/src/cli/workload.js');
  const set = await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true);
  const core = createCoreSync('release');
  core.x.fibThreshold(0x7fffffff);
  core.x.fib6Threshold(0x7fffffff);
  const full = new CoreTable(core, F);
  full.insertBatch(set.keys, set.lens, set.count, new Int32Array(set.count), 0x201);
  // every (count / small)-th prefix: a spread sample, in prefix order
  const step = Math.max(1, Math.floor(set.count / small)), m = Math.floor(set.count / step);
  const keys = new Uint32Array(m * 4), lens = new Uint8Array(m);
  for (let i = 0; i < m; i++) { keys.set(set.keys.subarray(i * step * 4, i * step * 4 + 4), i * 4); lens[i] = set.lens[i * step]; }
  const little = new CoreTable(core, F);
  little.insertBatch(keys, lens, m, new Int32Array(m), 0x201);
  for (const t of [full, little]) {
    if (F === 4 ? core.x.tableHasFib(t.t) : core.x.tableHasFib6(t.t, 0)) throw new Error('a forwarding structure was built');
  }
  const work = [false, true].map((inside) => new AddressStream(F, inside ? set : undefined).take(n));
  return { core, tables: [full, little], work };
}

const a = await tree(A), b = await tree(B);
const names = ['uniform random', 'inside announced prefixes'];
const tnames = [`full table (${a.tables[0].destCount} prefixes)`, `small table (${a.tables[1].destCount} prefixes)`];
const one = (t, addrs, i) => (F === 4 ? t.lookup4(addrs[i]) : t.lookup6(addrs, i * 4));
let sink = 0;
for (let ti = 0; ti < 2; ti++) {
  for (let w = 0; w < 2; w++) {
    let diff = 0;
    for (let i = 0; i < n; i++) if (one(a.tables[ti], a.work[w], i) !== one(b.tables[ti], b.work[w], i)) diff++;
    const ta = [], tb = [], ba = [], bb = [];
    for (let r = 0; r < rounds; r++) {
      for (const [s, acc, accB] of r & 1 ? [[b, tb, bb], [a, ta, ba]] : [[a, ta, ba], [b, tb, bb]]) {
        globalThis.gc?.();
        const addrs = s.work[w], t = s.tables[ti];
        let t0 = cpu();
        for (let i = 0; i < n; i++) sink += one(t, addrs, i);
        acc.push((cpu() - t0) * 1e6 / n);
        const c = s.core, batch = c.IO_BATCH_MAX;
        t0 = cpu();
        for (let off = 0; off + batch <= n; off += batch) {
          c.u32().set(addrs.subarray(off * words, (off + batch) * words), c.io + c.IO_IN);
          c.x.lookupBatch(t.t, batch, 0);
        }
        accB.push((cpu() - t0) * 1e6 / (Math.floor(n / batch) * batch));
      }
    }
    for (const [what, xa, xb] of [[`lookup${F} per call`, ta, tb], ['lookupBatch', ba, bb]]) {
      const ma = med(xa), mb = med(xb);
      console.log(`IPv${F} trie only, ${tnames[ti]}, ${what}, ${names[w]}: A ${ma.toFixed(1)} ns, B ${mb.toFixed(1)} ns, ` +
        `B/A ${(mb / ma).toFixed(2)} (paired median ${med(xa.map((x, k) => xb[k] / x)).toFixed(2)})`);
    }
    if (diff !== 0) console.log(`  ${diff} answers differ`);
  }
}
void sink;
