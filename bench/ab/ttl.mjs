// A/B of the paths that use a route's timer position and list links (issue 13: they live in the route's
// extra record, allocated on first use), in one process: two built trees (ROOT_A, ROOT_B: checkouts with
// `npm run build` done), separate module graphs and private release cores, passes alternated, CPU time,
// medians. Per pass, one fresh instance (VirtualClock) and N routes of one entity (no callback: expiries
// delete): add with a time-to-live (arms), update with another (re-arms), into a route list and out again,
// then the clock passes every deadline (expiries delete). ns per route for each phase.
// usage: node --expose-gc bench/ab/ttl.mjs ROOT_A ROOT_B [rounds] [N]
const [A, B, ROUNDS = '7', N_ = '65536'] = process.argv.slice(2);
const N = Number(N_);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const dests = []; for (let i = 0; i < N; i++) dests.push(`${10 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.0/24`);
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  const core = createCoreSync('release');
  return function pass() {
    globalThis.gc?.();
    const clock = new VirtualClock();
    const rtm = Rtm.createSync({ families: ['ipv4'], clock, build: 'release', core });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
    const hs = new Array(N);
    const t0 = cpu();
    for (let i = 0; i < N; i++) hs[i] = e.addRouteToDest({ dest: dests[i], neighbour: nh, timeToLive: 10_000 + (i % 977) }).handle;
    const t1 = cpu();
    for (let i = 0; i < N; i++) e.addRouteToDest({ dest: dests[i], neighbour: nh, timeToLive: 20_000 + (i % 613), returnHandle: false });
    const t2 = cpu();
    const l = e.createRouteList();
    for (let i = 0; i < N; i += 256) e.insertInRouteList({ routeList: l, routes: hs.slice(i, i + 256) });
    const t3 = cpu();
    for (let i = 0; i < N; i += 256) e.insertInRouteList({ routeList: null, routes: hs.slice(i, i + 256) });
    const t4 = cpu();
    e.releaseRoutes(hs);
    const t5 = cpu();
    clock.advance(30_000);
    rtm.runPending();
    const t6 = cpu();
    if (rtm.ipv4.core.routes !== undefined && rtm.ipv4.core.routes !== 0) throw new Error('routes left');
    rtm.close();
    const ns = (a, b) => ((b - a) * 1e6) / N;
    return { add: ns(t0, t1), rearm: ns(t1, t2), listIn: ns(t2, t3), listOut: ns(t3, t4), expire: ns(t5, t6) };
  };
}
const pa = await setup(A), pb = await setup(B);
pa(); pb();   // warm-up
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(pb()); ra.push(pa()); } else { ra.push(pa()); rb.push(pb()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
for (const k of Object.keys(ra[0])) {
  console.log(`${k}: A median ${med(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} ns/route cpu  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(2)})`);
}
