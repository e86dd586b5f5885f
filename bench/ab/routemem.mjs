// Bytes per route of a full table, broken down by record (issue 13), for two built trees (ROOT_A, ROOT_B:
// checkouts with `npm run build` done): the tier1 table of a family loaded with addRoutesBatch into a fresh
// table of a private release core (one route per prefix, one next hop), then the core's own accounting
// (memoryInUseBytes before/after) and per record kind: trie nodes, destination records, route records,
// their extra records, the forwarding structure (IPv4: fib.ts; IPv6: fib6.ts) and the rest (blocks, next-hop
// index, reference directory). Optionally some routes first get a route list (LIST=n: every n-th route
// joins one list) to show the extra records' cost. Memory only: no timing.
// usage: node --expose-gc bench/ab/routemem.mjs ROOT_A ROOT_B [4|6|both] [LIST=0]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, FAMS = '4', LIST = '0'] = process.argv.slice(2);
async function measure(ROOT, F) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/core.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true);
  const core = createCoreSync('release');
  const fam = F === 4 ? 'ipv4' : 'ipv6';
  { const r = Rtm.createSync({ build: 'release', core, families: [fam] }); r.close(); }
  const x = core.x, k = core.k;
  const before = x.memoryInUseBytes(), fibBefore = F === 4 ? x.fibMemoryBytes() : x.fib6MemoryBytes();
  const rtm = Rtm.createSync({ build: 'release', core, families: [fam] });
  const e = rtm.registerEntity({ addressFamily: fam, protocolId: 14, instanceId: 0 });
  const nh = e.addNextHop({ address: F === 4 ? '192.0.2.1' : '2001:db8::1', interfaceIndex: 1 }).handle;
  const hops = new Float64Array(set.count).fill(nh), prefs = new Uint32Array(set.count).fill(20);
  e.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: hops, preferences: prefs });
  const every = Number(LIST);
  if (every > 0) {
    const l = e.createRouteList();
    const rs = [];
    for (const r of e.routes({ views: 0 })) rs.push(r);   // the iterator keeps no reference
    const pick = rs.filter((_, i) => i % every === 0);
    for (let i = 0; i < pick.length; i += 1000) e.insertInRouteList({ routeList: l, routes: pick.slice(i, i + 1000) });

  }
  const used = x.memoryInUseBytes() - before;
  const tbl = rtm[fam].core.t, u = core.u32(), tb = x.recordPtr(0, tbl) >>> 2;
  const nodes = u[tb + k.TABLE_NODES], dests = u[tb + k.TABLE_DESTS], routes = u[tb + k.TABLE_ROUTES];
  const fib = (F === 4 ? x.fibMemoryBytes() : x.fib6MemoryBytes()) - fibBefore;
  const rx = typeof x.routeExtraCount === 'function' ? x.routeExtraCount() : 0;
  const part = {
    // IPv6 nodes longer than /64 are NODE6L_WORDS long since session 18 (x.trieLongNodes counts them), and an
    // IPv6 leaf has a key record (x.trieKeyRecords) instead of a node
    // IPv4 branch nodes are NODE4B_WORDS long since session 32 (x.trieBranchNodes counts them)
    trie: F === 4 && typeof x.trieBranchNodes === 'function' ? (nodes - x.trieBranchNodes()) * k.NODE4_WORDS * 4 + x.trieBranchNodes() * k.NODE4B_WORDS * 4
      : F === 4 || typeof x.trieLongNodes !== 'function' ? nodes * (k.NODE_WORDS ?? (F === 4 ? k.NODE4_WORDS : k.NODE6_WORDS)) * 4
      // IPv6 branch nodes of at most /57 are NODE6B_WORDS long since session 33 (x.trieBranchNodes6 counts them)
      : (nodes - x.trieLongNodes() - (x.trieBranchNodes6?.() ?? 0)) * k.NODE6_WORDS * 4 + (x.trieBranchNodes6?.() ?? 0) * (k.NODE6B_WORDS ?? 0) * 4 +
        x.trieLongNodes() * k.NODE6L_WORDS * 4 +
        (typeof x.trieKeyRecords === 'function' ? x.trieKeyRecords() * k.KEY6_WORDS * 4 : 0), dest: dests * k.DEST_WORDS * 4 + x.destExtraCount() * k.DESTX_WORDS * 4,
    route: routes * k.ROUTE_WORDS * 4, routeExtra: rx * 4 * (k.ROUTEX_NEIGHBOUR === undefined ? 6 : k.ROUTEX_NEIGHBOUR + 1), fib,
  };
  part.rest = used - Object.values(part).reduce((s, v) => s + v, 0);
  rtm.close();
  return { routes, used, part, rx };
}
for (const F of FAMS === 'both' ? [4, 6] : [Number(FAMS)]) {
  for (const [tag, ROOT] of [['A', A], ['B', B]]) {
    const m = await measure(ROOT, F);
    const per = (v) => (v / m.routes).toFixed(1);
    console.log(`IPv${F} ${tag} ${m.routes} routes: ${per(m.used)} B/route in use = ` +
      Object.entries(m.part).map(([n, v]) => `${n} ${per(v)}`).join(' + ') + (m.rx ? ` (${m.rx} route extra records)` : ''));
  }
}
