// A/B of the per-route calls on one destination with many routes (issue 13: a route has no destination
// word, so reading its destination walks to its chain's end) in one process: two built trees (ROOT_A,
// ROOT_B), separate module graphs and instances, rounds alternated (which tree goes first swaps every
// round), CPU time, medians. One IPv4 destination gets N routes of N entities (metric i for entity i, so
// the chain is in entity order); every route is read by getRouteInfo (+ releaseRouteInfo) and updated by
// handle (a flags change: no re-sort), ~40,000 calls of each per round; µs per call.
// usage: node bench/ab/longchain.mjs ROOT_A ROOT_B [N=1000] [rounds=6]
const [A, B, N_ = '1000', ROUNDS = '6'] = process.argv.slice(2);
const N = Number(N_), REPS = Math.max(20, Math.round(40000 / N));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

async function setup(root) {
  const { Rtm } = await import(root + '/dist/src/rtm.js');
  const { VirtualClock } = await import(root + '/dist/src/clock.js');
  const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock() });
  const ents = [], routes = [];
  for (let i = 0; i < N; i++) {
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: i + 1 });
    const nh = e.addNextHop({ address: `10.${(i >> 8) & 255}.${i & 255}.1`, interfaceIndex: 1 }).handle;
    routes.push(e.addRouteToDest({ dest: '10.200.0.0/16', nextHops: [nh], metric: i }).handle);
    ents.push([e, nh]);
  }
  return { ents, routes };
}

/** One round on one tree: [getRouteInfo µs, update µs]. */
function round({ ents, routes }, rep0) {
  let t = cpu();
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < N; i++) { const info = ents[i][0].getRouteInfo(routes[i]); ents[i][0].releaseRouteInfo(info); }
  }
  const info = (cpu() - t) * 1e3 / (REPS * N);
  t = cpu();
  for (let rep = 0; rep < REPS; rep++) {
    const flags = (rep0 + rep) & 1;
    for (let i = 0; i < N; i++) ents[i][0].addRouteToDest({ dest: '10.200.0.0/16', route: routes[i], nextHops: [ents[i][1]], metric: i, flags });
  }
  return [info, (cpu() - t) * 1e3 / (REPS * N)];
}

const sets = [await setup(A), await setup(B)];
const res = [[[], []], [[], []]];
for (let r = 0; r < Number(ROUNDS); r++) {
  for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const [info, upd] = round(sets[k], r * REPS);
    res[k][0].push(info);
    res[k][1].push(upd);
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [j, what] of [[0, 'getRouteInfo'], [1, 'update by handle']]) {
  const a = med(res[0][j]), b = med(res[1][j]);
  console.log(`N=${N} ${what} µs: A ${a.toFixed(2)} B ${b.toFixed(2)} (B/A ${(b / a).toFixed(2)})`);
}
