// A/B of addRoutesBatch's bulk build into an empty table and of Rtm.close() of that full table, in one
// process: two built trees (ROOT_A, ROOT_B: checkouts with `npm run build` done), separate module graphs
// and each a private release core; fresh instances, A and B passes alternated, CPU time, medians. Also
// checks that memoryInUseBytes after close equals its value before the instance was made. Data from the
// project's ../shared/data (tier1 IPv4 / IPv6 tables).
// usage: node --expose-gc bench/ab/bulk.mjs ROOT_A ROOT_B [4|6|both] [rounds]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, FAMS = 'both', ROUNDS = '7'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
async function setup(ROOT, F) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/core.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true);
  const core = createCoreSync('release');
  const fam = F === 4 ? 'ipv4' : 'ipv6';
  const hops = new Float64Array(set.count), prefs = new Uint32Array(set.count).fill(20);
  // the core's one-time structures (reference directory) exist before the first measured pass
  { const r = Rtm.createSync({ build: 'release', core, families: [fam] });
    r.registerEntity({ addressFamily: fam, protocolId: 1, instanceId: 0 }).addNextHop({ address: F === 4 ? '192.0.2.9' : '2001:db8::9', interfaceIndex: 1 });
    r.close(); }
  function pass() {
    globalThis.gc?.();
    const before = core.x.memoryInUseBytes();
    const rtm = Rtm.createSync({ build: 'release', core, families: [fam] });
    const e = rtm.registerEntity({ addressFamily: fam, protocolId: 14, instanceId: 0 });
    const nh = e.addNextHop({ address: F === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle;
    hops.fill(nh);
    const t0 = cpu();
    const r = e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: hops, preferences: prefs });
    const t1 = cpu();
    rtm.close();
    const t2 = cpu();
    const after = core.x.memoryInUseBytes();
    if (after !== before) throw new Error(`${ROOT}: memoryInUseBytes ${before} before, ${after} after close`);
    if (r.destsCreated === 0) throw new Error('nothing loaded');
    return { build: t1 - t0, close: t2 - t1 };
  }
  return { pass, count: set.count };
}
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
const min = (xs, k) => Math.min(...xs.map((x) => x[k]));
for (const F of FAMS === 'both' ? [4, 6] : [Number(FAMS)]) {
  const sa = await setup(A, F), sb = await setup(B, F);
  sa.pass(); sb.pass();   // warm-up
  const ra = [], rb = [];
  for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(sb.pass()); ra.push(sa.pass()); } else { ra.push(sa.pass()); rb.push(sb.pass()); } }
  for (const k of ['build', 'close']) console.log(`IPv${F} ${sa.count} routes ${k}: A median ${med(ra, k).toFixed(0)} min ${min(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} min ${min(rb, k).toFixed(0)} ms cpu  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(2)})`);
  console.log(`IPv${F}: memoryInUseBytes after close equals before (A and B, every pass)`);
}
