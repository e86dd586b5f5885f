// Where the single-call LINX replay's time goes, in ONE built tree (ROOT: `npm run build` done): the update
// calls through the facade against the same core calls made directly (keys written from the parsed trace,
// one next hop at IO_HOPS, no option or result objects), the harness's own share, and the getChangedDests +
// releaseChangedDests drain against notifyGetChangedR + refDropManyX over the same records. Passes of each
// variant alternate over one table (they make the same changes), CPU time, medians and paired ratios.
// usage: node --expose-gc bench/ab/replay-parts.mjs ROOT [rounds] [small]   ("small": no tier-1 table under the
// trace, so that the trace's own destinations and routes stay in cache: what the cache misses cost)
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [ROOT, ROUNDS = '21', SMALL] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
const { coreDrain, linxTrace, peerHops } = await import('./linxcore.mjs');
const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
const { keys, lens, ann, nhs } = await linxTrace(ROOT), E = lens.length;
const K = Uint32Array.from(keys, (k, i) => (lens[i] === 0 ? 0 : (k & (0xffffffff << (32 - lens[i]))) >>> 0));
const prefixes = [], pidx = new Int32Array(E), index = new Map(), w4 = new Uint32Array(4);
for (let i = 0; i < E; i++) { w4[0] = K[i]; const p = formatPrefix(4, w4, 0, lens[i]); prefixes.push(p); let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'] });
const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
const nh0 = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
if (SMALL !== 'small') rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh0), preferences: new Uint32Array(set.count).fill(20) });
const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
const nh = watcher.registerForChangeNotification({ views: 1, notifyFlags: 2 });
const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 });
const hops = peerHops(peer, formatPrefix, ann, nhs);
const handles = new Array(index.size).fill(undefined);
const count = watcher.profile.maxHandlesInEnum;
const pc = peer.cx, core = pc.core, x = pc.x, L = pc.L;

// drains: through the facade, or the core calls over the same records (handle, route, owner, hold route)
function drainFacade() { for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count }); watcher.releaseChangedDests({ notifyHandle: nh, dests: items }); if (done) break; } }
const drainCore = coreDrain(watcher, nh);
function addFacade(i, h, known) {
  const r = peer.addRouteToDest({ dest: prefixes[i], neighbour: h, nextHops: [h], preference: 10, changeFlags: 1, returnHandle: !known });
  return r.handle;
}
function addCore(i, h, known) {
  const u = core.u32(), b = core.io + core.IO_IN;
  u[b] = K[i]; u[b + 1] = 0; u[b + 2] = 0; u[b + 3] = 0;
  core.f64()[(core.io + L.IO_HOPS) / 2] = h;
  if (x.routeAddR(pc.handle, lens[i], 0, h, 1, 10, 0, 1, 0, 0, 1, L.ESI_IN_NULL, -1, 0, known ? 0 : 1, 0) !== 0) throw new Error('routeAddR');
  return core.f64()[(core.io + core.IO_OUT) / 2 + L.REC_ADD_ROUTE];
}
function delFacade(h) { peer.deleteRouteToDest(h); }
function delCore(h) { if (x.routeDeleteR(pc.handle, h, 0) !== 0) throw new Error('routeDeleteR'); }
/** One replay pass: update part and drain part, ns per update and per drained destination. */
function pass(add, del, drain) {
  let tDrain = 0;
  const c0 = cpu();
  for (let i = 0; i < E; i++) {
    const p = pidx[i];
    if (ann[i]) { const h = hops[i], known = handles[p] !== undefined; const r = add(i, h, known); if (!known) handles[p] = r; }
    else if (handles[p] !== undefined) { del(handles[p]); handles[p] = undefined; }
    if ((i + 1) % 1000 === 0 || i === E - 1) {
      const t0 = cpu(); drain(); tDrain += cpu() - t0;
    }
  }
  const all = cpu() - c0;
  return { upd: 1e6 * (all - tDrain) / E, drain: 1e6 * tDrain / E };
}
// the harness alone: the option object and next-hop array addFacade makes, nothing called
let sink = 0;
function harness() { const c0 = cpu(); for (let i = 0; i < E; i++) if (ann[i]) { const h = hops[i]; const o = { dest: prefixes[i], neighbour: h, nextHops: [h], preference: 10, changeFlags: 1, returnHandle: i > 0 }; sink += o.nextHops.length; } return { upd: 1e6 * (cpu() - c0) / E, drain: 0 }; }
const V = {
  facade: () => pass(addFacade, delFacade, drainFacade),
  coreUpdates: () => pass(addCore, delCore, drainFacade),
  coreDrain: () => pass(addFacade, delFacade, drainCore),
  harness,
};
const names = Object.keys(V), res = Object.fromEntries(names.map((k) => [k, []]));
for (let r = 0; r < 2; r++) for (const k of names) V[k]();
for (let r = 0; r < Number(ROUNDS); r++) for (const k of (r & 1 ? [...names].reverse() : names)) res[k].push(V[k]());
const med = (xs) => { const v = [...xs].sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`${E} updates, ${ROUNDS} rounds; ns per update (drain: drain time / updates)`);
for (const k of names) console.log(`${k.padEnd(12)} update ${med(res[k].map((o) => o.upd)).toFixed(0).padStart(5)}   drain ${med(res[k].map((o) => o.drain)).toFixed(0).padStart(5)}`);
const pr = (k, part) => med(res.facade.map((o, i) => res[k][i][part] / o[part])).toFixed(3);
console.log(`paired ratios: core updates / facade updates ${pr('coreUpdates', 'upd')}, core drain / facade drain ${pr('coreDrain', 'drain')}`);
