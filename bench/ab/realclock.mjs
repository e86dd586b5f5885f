// A/B of addRouteToDest / deleteRouteToDest on an instance driven by the real clock (RealClock, the
// default), in one process: two built trees (ROOT_A, ROOT_B), separate module graphs and cores, passes
// alternated, CPU time, medians. The other harnesses use a VirtualClock, which hides what the real clock
// costs per call (its now(), the core's setNow, re-arming the timer after a deletion).
//   upd: addRouteToDest updating a route of a warm 100-route table; add / del: a new route, then its deletion
// usage: node bench/ab/realclock.mjs ROOT_A ROOT_B [rounds]
const [A, B, ROUNDS = '7'] = process.argv.slice(2);
const R = 100;
const names = []; for (let i = 0; i < R; i++) names.push(`10.${i}.${i}.0/24`);
const extra = []; for (let i = 0; i < R; i++) extra.push(`172.${16 + (i & 15)}.${i}.0/24`);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
async function setup(root) {
  const { Rtm } = await import(root + '/dist/src/rtm.js');
  const { RealClock } = await import(root + '/dist/src/clock.js');
  const rtm = Rtm.createSync({ families: ['ipv4'], clock: new RealClock(), build: 'release' });
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
  const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
  const hs = new Array(R);
  return () => {
    const c0 = cpu();
    for (let k = 0; k < 2000; k++) for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1 + (k & 1), returnHandle: false });
    const upd = 1e6 * (cpu() - c0) / (2000 * R);
    let ta = 0, td = 0;
    for (let k = 0; k < 1000; k++) {
      const c1 = cpu();
      for (let i = 0; i < R; i++) hs[i] = e.addRouteToDest({ dest: extra[i], neighbour: nh, nextHops: [nh], metric: 1 }).handle;
      const c2 = cpu();
      for (let i = 0; i < R; i++) e.deleteRouteToDest(hs[i]);
      td += cpu() - c2; ta += c2 - c1;
    }
    return { upd, add: 1e6 * ta / (1000 * R), del: 1e6 * td / (1000 * R) };
  };
}
const fa = await setup(A), fb = await setup(B);
fa(); fb();   // warm-up
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(fb()); ra.push(fa()); } else { ra.push(fa()); rb.push(fb()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
const min = (xs, k) => Math.min(...xs.map((x) => x[k]));
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(0)} min ${min(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} min ${min(rb, k).toFixed(0)} ns  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(3)})`);
