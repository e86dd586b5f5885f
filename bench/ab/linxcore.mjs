// The LINX single-call replay through the core calls alone, for bench/ab/replaycore.mjs (paired CPU time)
// and bench/ab/replaycg.mjs (callgrind instruction counts): the tier-1 table loaded by one entity (preference
// 20), a second entity replays the trace (preference 10, CHANGE_FIRST, so each new route moves the best route)
// through routeAddR with the keys written from the parsed trace and routeDeleteR by handle, a third entity's
// BEST registration drained every 1,000 updates by notifyGetChangedR + refDropManyX (the core calls under
// getChangedDests / releaseChangedDests, without the facade's JavaScript).
import { tableWorld } from './drainworld.mjs';

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

/** The IPv4 updates of the LINX trace, file order, read with tree ROOT's reader: first key words, lengths, announce flags, next-hop addresses. */
export async function linxTrace(ROOT) {
  const { openUpdates } = await import(ROOT + '/dist/src/readers/index.js');
  const keys = [], lens = [], ann = [], nhs = [];
  for await (const b of await openUpdates(DATA + 'linx-update-ipv4.20141217.txt.gz')) {
    if (b.family !== 4) continue;
    for (let i = 0; i < b.count; i++) { keys.push(b.keys[4 * i]); lens.push(b.lens[i]); ann.push(b.announce[i]); nhs.push(b.hasNextHop[i] ? b.nextHops[4 * i] : 0); }
  }
  return { keys, lens, ann, nhs };
}

/** The peer's next-hop handle for every announcement (one next hop per address, made on first use; 0 for withdrawals). */
export function peerHops(peer, formatPrefix, ann, nhs) {
  const byAddr = new Map(), hops = new Float64Array(ann.length), w4 = new Uint32Array(4);
  for (let i = 0; i < ann.length; i++) {
    if (!ann[i]) continue;
    let h = byAddr.get(nhs[i]);
    if (h === undefined) {
      w4[0] = nhs[i];
      h = peer.addNextHop({ address: formatPrefix(4, w4, 0, 32).split('/')[0], interfaceIndex: 1 + byAddr.size }).handle;
      byAddr.set(nhs[i], h);
    }
    hops[i] = h;
  }
  return hops;
}

/**
 * One built tree's replay. table: `full` the tier-1 table (as bench/hot.ts), `trace` only the tier-1 routes
 * whose prefix the trace names (the same changes on the trace's destinations, a table too small for the
 * forwarding structure). single() runs one pass and returns CPU ns per update: all, updates, drain. drain:
 * `core` (coreDrain) or `facade` (getChangedDests + releaseChangedDests, as bench/hot.ts drains). keep: a
 * fourth entity holds a route (preference 30) on every prefix the trace names, so that no withdrawal
 * removes a destination and no announcement makes one (bench/ab/churn.mjs: what that churn costs).
 */
export async function linxCore(ROOT, table = 'full', drainBy = 'core', keep = false) {
  const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const { keys, lens, ann, nhs } = await linxTrace(ROOT), E = lens.length;
  const masked = (k, l) => (l === 0 ? 0 : (k & (0xffffffff << (32 - l))) >>> 0);
  const K = Uint32Array.from(keys, (k, i) => masked(k, lens[i]));
  const pidx = new Int32Array(E), index = new Map();
  for (let i = 0; i < E; i++) { const p = K[i] + '/' + lens[i]; let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
  let set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
  if (table !== 'full') {
    const ks = [], ls = [];
    for (let i = 0; i < set.count; i++) {
      const l = set.lens[i];
      if (index.has(masked(set.keys[4 * i], l) + '/' + l)) { ks.push(set.keys[4 * i], set.keys[4 * i + 1], set.keys[4 * i + 2], set.keys[4 * i + 3]); ls.push(l); }
    }
    set = { count: ls.length, keys: Uint32Array.from(ks), lens: Uint8Array.from(ls) };
  }
  const { rtm, watcher, nh, peer } = await tableWorld(ROOT, set);
  if (keep) {
    const keeper = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 7 });
    const h = keeper.addNextHop({ address: '192.0.2.9', interfaceIndex: 1 }).handle, n = index.size;
    const ks = new Uint32Array(4 * n), ls = new Uint8Array(n);
    for (const [p, j] of index) { const [a, l] = p.split('/'); ks[4 * j] = Number(a); ls[j] = Number(l); }
    keeper.addRoutesBatch({ count: n, keys: ks, lens: ls, nextHops: new Float64Array(n).fill(h), preferences: new Uint32Array(n).fill(30) });
  }
  const hops = peerHops(peer, formatPrefix, ann, nhs);
  const handles = new Float64Array(index.size);
  const pc = peer.cx, core = pc.core, x = pc.x, L = pc.L;
  const count = watcher.profile.maxHandlesInEnum;
  const drainCore = drainBy === 'facade'
    ? () => { for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count }); watcher.releaseChangedDests({ notifyHandle: nh, dests: items }); if (done) break; } }
    : coreDrain(watcher, nh);
  let tDrain = 0;
  function drain() {
    const t0 = cpu();
    drainCore();
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
        if (x.routeAddR(pc.handle, lens[i], 0, h, 1, 10, 0, 1, 0, 0, 1, L.ESI_IN_NULL, -1, 0, known ? 0 : 1, 0) !== 0) throw new Error('routeAddR');
        if (!known) handles[p] = core.f64()[(core.io + core.IO_OUT) / 2 + L.REC_ADD_ROUTE];
      } else if (handles[p] !== 0) { if (x.routeDeleteR(pc.handle, handles[p], 0) !== 0) throw new Error('routeDeleteR'); handles[p] = 0; }
      if ((i + 1) % 1000 === 0) drain();
    }
    drain();
    const all = cpu() - c0;
    return { all: 1e6 * all / E, upd: 1e6 * (all - tDrain) / E, drain: 1e6 * tDrain / E };
  }
  return { single, routes: set.count, updates: E };
}

/**
 * The drain of the watcher's registration nh through the core calls alone: notifyGetChangedR for up to the
 * profile's maxHandlesInEnum destinations, then the records' references (destination; per view route, owner,
 * hold route) given back by refDropManyX, until the queue is empty. No JS garbage per call.
 */
export function coreDrain(watcher, nh) {
  const wc = watcher.cx, core = wc.core, x = wc.x, L = wc.L, count = watcher.profile.maxHandlesInEnum;
  const hs = new Float64Array(1 << 16);   // preallocated: no JS garbage per drain (GC would not cancel)
  return function drain() {
    for (;;) {
      let got = 0, done = false, k = 0;
      while (got < count && !done) {
        if (x.notifyGetChangedR(wc.handle, nh, count - got) !== 0) throw new Error('notifyGetChangedR');
        const n = core.res(0), f = core.f64(), b0 = (core.io + core.IO_OUT) / 2;
        done = core.res(1) === 1; got += n;
        for (let i = 0; i < n; i++) {
          const b = b0 + i * L.REC_DEST_WORDS, nv = f[b + L.REC_DEST_NVIEWS];
          hs[k++] = f[b + L.REC_DEST_HANDLE];
          for (let v = 0; v < nv; v++) { const o = b + L.REC_DEST_VIEW + v * L.REC_DVIEW_WORDS; hs[k++] = f[o + L.REC_DVIEW_ROUTE]; hs[k++] = f[o + L.REC_DVIEW_OWNER]; hs[k++] = f[o + L.REC_DVIEW_HOLD]; }
        }
      }
      for (let from = 0; from < k; from += L.REF_MANY_MAX) {
        const m = Math.min(L.REF_MANY_MAX, k - from), f = core.f64(), bi = (core.io + core.IO_IN) / 2;
        for (let i = 0; i < m; i++) f[bi + i] = hs[from + i];
        if (x.refDropManyX(wc.handle, m, 0) !== 0) throw new Error('refDropManyX');
      }
      if (done) break;
    }
  };
}
