// A/B of the fixed per-call costs (issues 9 / 13) in one process: two built trees (ROOT_A, ROOT_B), separate
// module graphs and cores, passes alternated, CPU time, medians.
//   many: N tables × 100 routes (one Rtm, entity, next hop, 100 addRouteToDest each, as bench/scale.ts), each
//         pass in a fresh private core: µs/route (CPU) and bytes/route (core memoryInUseBytes + JS heap growth)
//   upd / adddel: the fixed cost of one call on a warm 100-route table: addRouteToDest updating a route, or
//         addRouteToDest of a new route then deleteRouteToDest (ns per call, CPU)
//   text: the 901,899 prefixes of tier1-ipv4 as text, addRouteToDest into one fresh table (µs/call, CPU)
// usage: node --expose-gc bench/ab/many.mjs ROOT_A ROOT_B [many|text|upd|adddel] [rounds] [N]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, MODE = 'many', ROUNDS = '5', N_ = '10000'] = process.argv.slice(2);
const N = Number(N_), R = 100;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const heap = () => { globalThis.gc(); return process.memoryUsage().heapUsed; };
const { gunzipSync } = await import('node:zlib');
const { readFileSync } = await import('node:fs');
const tier1 = MODE === 'text' ? gunzipSync(readFileSync(DATA + 'tier1-ipv4.txt.gz')).toString().split(/\r?\n/).filter((l) => l.length > 0) : [];
// the 100 prefixes of bench/scale.ts (prefixes24(7, 100): seeded mulberry32)
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (t ^ (t >>> 14)) >>> 0; }; }
const names = []; { const rnd = mulberry32(7), seen = new Set(); while (names.length < R) { const v = (10 + (rnd() % 214)) * 65536 + (rnd() & 0xffff); if (seen.has(v)) continue; seen.add(v); names.push(`${v >>> 16}.${(v >>> 8) & 255}.${v & 255}.0/24`); } }
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  function many() {
    const core = createCoreSync('release');
    const h0 = heap(), l0 = core.x.memoryInUseBytes(), keep = [];
    const c0 = cpu();
    for (let i = 0; i < N; i++) {
      const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core });
      const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
      const nh = e.addNextHop({ address: `192.0.2.${1 + (i % 250)}`, interfaceIndex: 1 }).handle;
      for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
      keep.push(rtm);
    }
    const ms = cpu() - c0;
    const lin = core.x.memoryInUseBytes() - l0, hp = heap() - h0;
    for (const r of keep) r.close();
    return { us: 1e3 * ms / (N * R), linB: lin / (N * R), heapB: hp / (N * R), B: (lin + hp) / (N * R) };
  }
  function text() {
    const core = createCoreSync('release');
    const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
    const hops = [nh];
    const c0 = cpu();
    for (let i = 0; i < tier1.length; i++) e.addRouteToDest({ dest: tier1[i], neighbour: nh, nextHops: hops, preference: 20, returnHandle: false });
    const ms = cpu() - c0;
    rtm.close();
    return { ms, us: 1e3 * ms / tier1.length };
  }
  const warm = (() => {
    const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
    for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
    return { e, nh };
  })();
  const extra = []; for (let i = 0; i < R; i++) extra.push(`172.${16 + (i & 15)}.${i}.0/24`);
  function upd() {
    const { e, nh } = warm, K = 5000, c0 = cpu();
    for (let k = 0; k < K; k++) for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1 + (k & 1), returnHandle: false });
    return { ns: 1e6 * (cpu() - c0) / (K * R) };
  }
  function adddel() {
    const { e, nh } = warm, K = 2500, hs = new Array(R); let ta = 0, td = 0;
    for (let k = 0; k < K; k++) {
      const c0 = cpu();
      for (let i = 0; i < R; i++) hs[i] = e.addRouteToDest({ dest: extra[i], neighbour: nh, nextHops: [nh], metric: 1 }).handle;
      const c1 = cpu();
      for (let i = 0; i < R; i++) e.deleteRouteToDest(hs[i]);
      ta += c1 - c0; td += cpu() - c1;
    }
    return { addNs: 1e6 * ta / (K * R), delNs: 1e6 * td / (K * R) };
  }
  return { many, text, upd, adddel };
}
const sa = await setup(A), sb = await setup(B);
const fn = MODE;
sa[fn](); sb[fn]();   // warm-up
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(sb[fn]()); ra.push(sa[fn]()); } else { ra.push(sa[fn]()); rb.push(sb[fn]()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
const min = (xs, k) => Math.min(...xs.map((x) => x[k]));
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(2)} min ${min(ra, k).toFixed(2)} | B median ${med(rb, k).toFixed(2)} min ${min(rb, k).toFixed(2)}  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(3)})`);
