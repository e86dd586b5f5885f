// Bytes per route of a table loaded from an MRT RIB dump (the preferences the table readers give BGP routes:
// (0xffff − LOCAL_PREF) << 16 | AS-path length, and the MED as the metric), in two built trees (ROOT_A,
// ROOT_B: checkouts with `npm run build` done), each in a private release core: the core's memory in use
// before and after one addRoutesBatch per reader batch (one entity, one next hop; a prefix that several peers
// announce is one route, updated), and the route extra records that took. For layout changes that pack route
// fields (issue 13): real BGP pairs must not take extra records.
// usage: node --expose-gc bench/ab/mrtmem.mjs ROOT_A ROOT_B [FILE under ../shared/data/mrt]
const DATA = new URL('../../../shared/data/mrt/', import.meta.url).pathname;
const [A, B, FILE = 'routeviews.route-views.jinx.ribs.1401487200.gz'] = process.argv.slice(2);
async function load(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  const { openTable } = await import(ROOT + '/dist/src/readers/index.js');
  const core = createCoreSync('release');
  const byFamily = new Map();
  const m0 = core.x.memoryInUseBytes(), x0 = core.x.routeExtraCount();
  let records = 0;
  for await (const b of await openTable(DATA + FILE)) {
    let w = byFamily.get(b.family);
    if (w === undefined) {
      const rtm = Rtm.createSync({ families: [b.family === 4 ? 'ipv4' : 'ipv6'], clock: new VirtualClock(), build: 'release', core });
      const e = rtm.registerEntity({ addressFamily: b.family === 4 ? 'ipv4' : 'ipv6', protocolId: 14, instanceId: 0 });
      const nh = e.addNextHop({ address: b.family === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle;
      w = { rtm, e, nh, routes: 0 };
      byFamily.set(b.family, w);
    }
    const r = w.e.addRoutesBatch({ count: b.count, keys: b.keys, lens: b.lens, nextHops: new Float64Array(b.count).fill(w.nh), preferences: b.preferences, metrics: b.metrics });
    w.routes += r.routesCreated;
    records += b.count;
  }
  const routes = [...byFamily.values()].reduce((s, w) => s + w.routes, 0);
  return { records, routes, bytesPerRoute: (core.x.memoryInUseBytes() - m0) / routes, extraRecords: core.x.routeExtraCount() - x0 };
}
for (const [name, root] of [['A', A], ['B', B]]) {
  const r = await load(root);
  console.log(`${name} ${FILE}: ${r.records} records, ${r.routes} routes, ${r.bytesPerRoute.toFixed(1)} B/route in use, ${r.extraRecords} route extra records`);
}
