// A/B of the LINX replays of bench/hot.ts in one process: two built trees (ROOT_A, ROOT_B: checkouts with
// `npm run build` done), separate module graphs and cores, passes alternated, CPU time, medians. Data from
// the project's ../shared/data. The last line gives the median of the paired per-round ratios.
// usage: node --expose-gc bench/ab/replay.mjs ROOT_A ROOT_B [single|apply] [rounds]
import { linxTrace, peerHops } from './linxcore.mjs';
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, MODE = 'single', ROUNDS = '8'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
  const { keys, lens, ann, nhs } = await linxTrace(ROOT);
  const E = lens.length, K = new Uint32Array(4 * E), L = Uint8Array.from(lens);   // IPv4: key words 1..3 are 0
  for (let i = 0; i < E; i++) K[4 * i] = keys[i];
  const prefixes = [], pidx = new Int32Array(E), index = new Map();
  for (let i = 0; i < E; i++) { const p = formatPrefix(4, K, 4*i, lens[i]); prefixes.push(p); let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'] });
  const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh0 = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  const t0 = cpu();
  rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh0), preferences: new Uint32Array(set.count).fill(20) });
  const loadMs = cpu() - t0;
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
  const nh = watcher.registerForChangeNotification({ views: 1, notifyFlags: 2 });
  const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 });
  const hops = peerHops(peer, formatPrefix, ann, nhs);
  const handles = new Array(index.size).fill(undefined);
  const count = watcher.profile.maxHandlesInEnum;
  let tDrain = 0, drained = 0;
  function drain() { const t0 = cpu(); for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count }); drained += items.length; watcher.releaseChangedDests({ notifyHandle: nh, dests: items }); if (done) break; } tDrain += cpu() - t0; }
  function single() {
    tDrain = 0; drained = 0;
    const c0 = cpu();
    for (let i = 0; i < E; i++) {
      const p = pidx[i];
      if (ann[i]) { const h = hops[i], known = handles[p] !== undefined;
        const r = peer.addRouteToDest({ dest: prefixes[i], neighbour: h, nextHops: [h], preference: 10, changeFlags: 1, returnHandle: !known });
        if (!known) handles[p] = r.handle;
      } else if (handles[p] !== undefined) { peer.deleteRouteToDest(handles[p]); handles[p] = undefined; }
      if ((i + 1) % 1000 === 0) drain();
    }
    drain();
    const all = cpu() - c0;
    return { all: 1e6 * all / E, upd: 1e6 * (all - tDrain) / E, drain: 1e6 * tDrain / drained };
  }
  const kinds = Uint8Array.from(ann, (a) => (a ? 0 : 1)), prefs = new Uint32Array(E).fill(10), flags = new Uint32Array(E);
  const chunks = [];
  for (let i0 = 0; i0 < E; i0 += 1000) { const i1 = Math.min(E, i0 + 1000);
    chunks.push({ count: i1 - i0, keys: K.subarray(4 * i0, 4 * i1), lens: L.subarray(i0, i1), kinds: kinds.subarray(i0, i1), nextHops: hops.subarray(i0, i1), preferences: prefs.subarray(i0, i1), changeFlags: flags.subarray(i0, i1) }); }
  const ids = new Int32Array(4096);
  function apply() {
    const c0 = cpu();
    for (const c of chunks) { peer.applyUpdates(c); for (;;) { const k = watcher.getChangedDestIds({ notifyHandle: nh, out: ids }); if (k < ids.length) break; } }
    return { all: 1e6 * (cpu() - c0) / E };
  }
  return { single, apply, loadMs };
}
const sa = await setup(A), sb = await setup(B);
console.log(`load cpu ms: A ${sa.loadMs.toFixed(0)} B ${sb.loadMs.toFixed(0)}`);
const fn = MODE === 'apply' ? 'apply' : 'single';
for (let i = 0; i < 2; i++) { sa[fn](); sb[fn](); }   // warm-up (first passes differ)
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(sb[fn]()); ra.push(sa[fn]()); } else { ra.push(sa[fn]()); rb.push(sb[fn]()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
const min = (xs, k) => Math.min(...xs.map((x) => x[k]));
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(0)} min ${min(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} min ${min(rb, k).toFixed(0)} ns  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(2)})`);
// the median of the per-round ratios (each B pass against the A pass next to it: load drifts cancel)
const paired = (k) => { const v = ra.map((a, i) => rb[i][k] / a[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`paired B/A medians: ${Object.keys(ra[0]).map((k) => `${k} ${paired(k).toFixed(3)}`).join(', ')}`);
