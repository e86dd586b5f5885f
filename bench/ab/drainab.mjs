// Paired A/B of the LINX single-call replay's drain alone (bench/hot.ts single row: getChangedDests +
// releaseChangedDests of the watcher's BEST registration every 1,000 updates) in one process: two built
// trees, each with its own tier-1 table world (drainworld.mjs tableWorld), the trace's updates made by the
// core calls (linxcore.mjs's loop, not timed), only the drains timed (CPU time). Passes of A and B alternate
// (A B, then B A); medians and the median of the paired ratios B/A. `core` times linxcore.mjs coreDrain
// (notifyGetChangedR + refDropManyX) instead of the facade calls.
// usage: node --expose-gc bench/ab/drainab.mjs ROOT_A ROOT_B [rounds] [facade|core] [full|trace]
import { linxTrace, peerHops, coreDrain } from './linxcore.mjs';
import { tableWorld } from './drainworld.mjs';
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, ROUNDS = '15', MODE = 'facade', TABLE = 'full'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const { readPrefixFile } = await import(A + '/dist/test/helpers/prefixfile.js');
const { formatPrefix } = await import(A + '/dist/src/address.js');
const { keys, lens, ann, nhs } = await linxTrace(A), E = lens.length;
const masked = (k, l) => (l === 0 ? 0 : (k & (0xffffffff << (32 - l))) >>> 0);
const K = Uint32Array.from(keys, (k, i) => masked(k, lens[i]));
const pidx = new Int32Array(E), index = new Map();
for (let i = 0; i < E; i++) { const p = K[i] + '/' + lens[i]; let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
let set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
if (TABLE !== 'full') {
  const ks = [], ls = [];
  for (let i = 0; i < set.count; i++) {
    const l = set.lens[i];
    if (index.has(masked(set.keys[4 * i], l) + '/' + l)) { ks.push(set.keys[4 * i], 0, 0, 0); ls.push(l); }
  }
  set = { count: ls.length, keys: Uint32Array.from(ks), lens: Uint8Array.from(ls) };
}
async function setup(ROOT) {
  const { watcher, nh, peer } = await tableWorld(ROOT, set);
  const hops = peerHops(peer, formatPrefix, ann, nhs);
  const handles = new Float64Array(index.size);
  const pc = peer.cx, core = pc.core, x = pc.x, L = pc.L;
  const count = watcher.profile.maxHandlesInEnum;
  const facade = function facadeDrain() { let n = 0; for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count }); n += items.length; watcher.releaseChangedDests({ notifyHandle: nh, dests: items }); if (done) return n; } };
  const drain = MODE === 'core' ? coreDrain(watcher, nh) : facade;
  return function pass() {
    let t = 0, dests = 0;
    for (let i = 0; i < E; i++) {
      const p = pidx[i];
      if (ann[i]) {
        const h = hops[i], known = handles[p] !== 0;
        const u = core.u32(), b = core.io + core.IO_IN;
        u[b] = K[i]; u[b + 1] = 0; u[b + 2] = 0; u[b + 3] = 0;
        core.f64()[(core.io + L.IO_HOPS) / 2] = h;
        if (x.routeAddR(pc.handle, lens[i], 0, h, 1, 10, 0, 1, 0, 0, 1, L.ESI_IN_NULL, -1, 0, known ? 0 : 1) !== 0) throw new Error('routeAddR');
        if (!known) handles[p] = core.f64()[(core.io + core.IO_OUT) / 2 + L.REC_ADD_ROUTE];
      } else if (handles[p] !== 0) { if (x.routeDeleteR(pc.handle, handles[p]) !== 0) throw new Error('routeDeleteR'); handles[p] = 0; }
      if ((i + 1) % 1000 === 0 || i === E - 1) { const t0 = cpu(); dests += drain() ?? 0; t += cpu() - t0; }
    }
    return { ns: 1e6 * t / E, dests };
  };
}
const a = await setup(A), b = await setup(B);
for (let w = 0; w < 2; w++) { a(); b(); }
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(b()); ra.push(a()); } else { ra.push(a()); rb.push(b()); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const ns = (rs) => rs.map((r) => r.ns);
console.log(`${E} updates, ${ra[0].dests} destinations drained per pass, ${ROUNDS} rounds, ${MODE} drain, ${TABLE} table`);
console.log(`drain ns per update: A ${med(ns(ra)).toFixed(1)} | B ${med(ns(rb)).toFixed(1)} | paired B/A ${med(ra.map((x, i) => rb[i].ns / x.ns)).toFixed(3)}`);
