// A/B of the LINX single-call replay through the core calls alone (routeAddR / routeDeleteR with the keys
// written from the parsed trace, as replay-parts.mjs coreUpdates; the drain as notifyGetChangedR +
// refDropManyX, as its coreDrain): the core's share of bench/hot.ts's single row without the facade's
// JavaScript, whose noise hides core-only changes. Two built trees, separate cores, passes alternated,
// CPU time, medians and paired per-round ratios.
// usage: node --expose-gc bench/ab/replaycore.mjs ROOT_A ROOT_B [rounds]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, ROUNDS = '20'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
  const { openUpdates } = await import(ROOT + '/dist/src/readers/index.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
  const keys = [], lens = [], ann = [], nhs = [];
  for await (const b of await openUpdates(DATA + 'linx-update-ipv4.20141217.txt.gz')) {
    if (b.family !== 4) continue;
    for (let i = 0; i < b.count; i++) { keys.push(b.keys[4 * i]); lens.push(b.lens[i]); ann.push(b.announce[i]); nhs.push(b.hasNextHop[i] ? b.nextHops[4 * i] : 0); }
  }
  const E = lens.length;
  const K = Uint32Array.from(keys, (k, i) => (lens[i] === 0 ? 0 : (k & (0xffffffff << (32 - lens[i]))) >>> 0));
  const pidx = new Int32Array(E), index = new Map();
  for (let i = 0; i < E; i++) { const p = K[i] + '/' + lens[i]; let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'] });
  const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh0 = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh0), preferences: new Uint32Array(set.count).fill(20) });
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
  const nh = watcher.registerForChangeNotification({ views: 1, notifyFlags: 2 });
  const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 });
  const byAddr = new Map(), hops = new Float64Array(E), w4 = new Uint32Array(4);
  for (let i = 0; i < E; i++) { if (!ann[i]) continue; let h = byAddr.get(nhs[i]); if (h === undefined) { w4[0] = nhs[i]; h = peer.addNextHop({ address: formatPrefix(4, w4, 0, 32).split('/')[0], interfaceIndex: 1 + byAddr.size }).handle; byAddr.set(nhs[i], h); } hops[i] = h; }
  const handles = new Float64Array(index.size);
  const count = watcher.profile.maxHandlesInEnum;
  const pc = peer.cx, wc = watcher.cx, core = pc.core, x = pc.x, L = pc.L;
  const hs = [];
  let tDrain = 0;
  function drain() {
    const t0 = cpu();
    for (;;) {
      let got = 0, done = false;
      hs.length = 0;
      while (got < count && !done) {
        if (x.notifyGetChangedR(wc.handle, nh, count - got) !== 0) throw new Error('notifyGetChangedR');
        const n = core.res(0), f = core.f64(), b0 = (core.io + core.IO_OUT) / 2;
        done = core.res(1) === 1; got += n;
        for (let i = 0; i < n; i++) {
          const b = b0 + i * L.REC_DEST_WORDS, nv = f[b + L.REC_DEST_NVIEWS];
          hs.push(f[b + L.REC_DEST_HANDLE]);
          for (let v = 0; v < nv; v++) { const o = b + L.REC_DEST_VIEW + v * L.REC_DVIEW_WORDS; hs.push(f[o + L.REC_DVIEW_ROUTE], f[o + L.REC_DVIEW_OWNER], f[o + L.REC_DVIEW_HOLD]); }
        }
      }
      for (let from = 0; from < hs.length; from += L.REF_MANY_MAX) {
        const m = Math.min(L.REF_MANY_MAX, hs.length - from), f = core.f64(), bi = (core.io + core.IO_IN) / 2;
        for (let i = 0; i < m; i++) f[bi + i] = hs[from + i];
        if (x.refDropManyX(wc.handle, m, 0) !== 0) throw new Error('refDropManyX');
      }
      if (done) break;
    }
    tDrain += cpu() - t0;
  }
  function single() {
    tDrain = 0;
    const c0 = cpu();
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
      if ((i + 1) % 1000 === 0) drain();
    }
    drain();
    const all = cpu() - c0;
    return { all: 1e6 * all / E, upd: 1e6 * (all - tDrain) / E, drain: 1e6 * tDrain / E };
  }
  return { single };
}
const sa = await setup(A), sb = await setup(B);
for (let i = 0; i < 2; i++) { sa.single(); sb.single(); }
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(sb.single()); ra.push(sa.single()); } else { ra.push(sa.single()); rb.push(sb.single()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} ns per update`);
const paired = (k) => { const v = ra.map((a, i) => rb[i][k] / a[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`paired B/A medians: ${Object.keys(ra[0]).map((k) => `${k} ${paired(k).toFixed(3)}`).join(', ')}`);
