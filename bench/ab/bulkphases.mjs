// A/B of addRoutesBatch's bulk build into an empty table by phase, in one process: two built trees
// (ROOT_A, ROOT_B: checkouts with `npm run build` done), each a private release core whose batch exports
// are wrapped to record CPU time at their entry and exit; A and B passes alternated, medians. Phases: the
// check pass (validate: fills + bulkCheck (routeLoadCheck on trees before it); validateCore: the core calls alone), the sort
// and trie pass (sortTrie: bulkBegin's return to the first bulkApply; trieCore: bulkTrie; 0 for a batch in
// prefix order, built in one pass), the apply pass (apply: to bulkEnd; applyCore: bulkApply or bulkSorted),
// bulkEnd (end: the IPv6 structure's one-pass build). Data: ../shared/data tier1 tables (N=k: the first k;
// SHUFFLE=1: in a fixed random order, so that the sort and two-pass path is taken).
// usage: node --expose-gc bench/ab/bulkphases.mjs ROOT_A ROOT_B [4|6] [rounds]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, FS = '4', ROUNDS = '7'] = process.argv.slice(2);
const F = Number(FS);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/core.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const all = await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true);
  const N = Number(process.env.N ?? all.count);
  const set = { count: N, keys: all.keys.slice(0, 4 * N), lens: all.lens.slice(0, N) };
  if (process.env.SHUFFLE) {
    let x = 12345;
    const rnd = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      for (let w = 0; w < 4; w++) { const t = set.keys[4 * i + w]; set.keys[4 * i + w] = set.keys[4 * j + w]; set.keys[4 * j + w] = t; }
      const t = set.lens[i]; set.lens[i] = set.lens[j]; set.lens[j] = t;
    }
  }
  const core = createCoreSync('release');
  const fam = F === 4 ? 'ipv4' : 'ipv6';
  const hops = new Float64Array(N), prefs = new Uint32Array(N).fill(20);
  let ev = [];
  for (const name of Object.keys(core.x)) {
    const f = core.x[name];
    if (typeof f !== 'function' || !/^(routeLoadCheck|bulk)/.test(name)) continue;
    core.x[name] = (...a) => { const s = cpu(); const r = f(...a); ev.push([name, s, cpu()]); return r; };
  }
  return function pass() {
    globalThis.gc?.();
    const rtm = Rtm.createSync({ build: 'release', core, families: [fam] });
    const e = rtm.registerEntity({ addressFamily: fam, protocolId: 14, instanceId: 0 });
    hops.fill(e.addNextHop({ address: F === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle);
    ev = [];
    const t0 = cpu();
    e.addRoutesBatch({ count: N, keys: set.keys, lens: set.lens, nextHops: hops, preferences: prefs });
    const t1 = cpu();
    rtm.close();
    const sum = (n) => ev.filter((x) => x[0] === n).reduce((s, x) => s + x[2] - x[1], 0);
    const first = (n) => ev.find((x) => x[0] === n);
    if (!first('bulkBegin')) throw new Error(`${ROOT}: the bulk path was not taken`);
    const r = { total: t1 - t0, validate: first('bulkBegin')[1] - t0, validateCore: sum('routeLoadCheck') + sum('bulkCheck') };
    const ap = first('bulkSorted') ? 'bulkSorted' : 'bulkApply';
    r.sortTrie = ap === 'bulkSorted' ? 0 : first('bulkApply')[1] - first('bulkBegin')[2];
    r.trieCore = sum('bulkTrie');
    r.apply = first('bulkEnd')[1] - first(ap)[1];
    r.applyCore = sum(ap);
    r.end = sum('bulkEnd');
    return r;
  };
}
const pa = await setup(A), pb = await setup(B);
pa(); pb();   // warm-up
const ra = [], rb = [];
for (let i = 0; i < Number(ROUNDS); i++) { if (i & 1) { rb.push(pb()); ra.push(pa()); } else { ra.push(pa()); rb.push(pb()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((a, b) => a - b); return v[v.length >> 1]; };
console.log(`IPv${F} addRoutesBatch bulk build by phase, medians of ${ROUNDS}, ms cpu (A | B | B/A):`);
for (const k of Object.keys(ra[0])) {
  const a = med(ra, k), b = med(rb, k);
  console.log(`  ${k.padEnd(12)} ${a.toFixed(1).padStart(7)} | ${b.toFixed(1).padStart(7)} | ${a > 0 ? (b / a).toFixed(2) : '-'}`);
}
