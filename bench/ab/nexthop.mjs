// A/B of next hops by index (issue 13) in one process: two built trees (ROOT_A, ROOT_B), separate module
// graphs and cores, passes alternated, CPU time, medians.
//   ops: an entity holding N next hops (IPv4, random 10.x.y.z as text, as bench/scale.ts); per pass K
//        addNextHop creating fresh ones (returnHandle false), K findNextHop + releaseNextHops of present
//        ones, K deleteNextHop by identity of the fresh ones (so the entity is back at N): µs per call.
//        Every call's address text is a string made for the pass (as a caller parsing or building its
//        addresses would have), so that N does not also set where the bench's own strings are; findHeldUs
//        is the find + release with the strings the next hops were added with, N of them held since (at
//        N = 100,000 reading such a string's characters costs ~0.25 µs of cache misses in the caller)
//   enum: a fresh Rtm per pass, N addNextHop, then the first enumeration (createNextHopEnum,
//        getEnumNextHops + releaseNextHops until done) and a second one: ms (CPU) each
//   core: the ops entity, K find + release of present ones through the core exports alone (address
//        word written at IO_IN, nexthopFindRefX + refDropX; no text parsing, no result object): µs per pair
//   delord: the ops entity, enumerated (untimed: every next hop ordered), then deleteNextHop by identity
//        of K distinct present ones (out of the ordered tree; strings made for the pass) and their
//        addNextHop again: µs per call
//   coredel: delord through the core exports alone (address word at IO_IN, nexthopDelete; the re-adds
//        through the public layer, untimed): µs per delete
// usage: node bench/ab/nexthop.mjs ROOT_A ROOT_B [ops|core|enum|delord|coredel] [rounds] [N] [K]
const [A, B, MODE = 'ops', ROUNDS = '15', N_ = '100000', K_ = '5000'] = process.argv.slice(2);
const N = Number(N_), K = Number(K_);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (t ^ (t >>> 14)) >>> 0; }; }
const text = (a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
// one address stream for both trees: the same next hops, in the same order, on each side
const rnd = mulberry32(17), seen = new Set();
const fresh = () => { for (;;) { const a = (0x0a000000 | (rnd() & 0xffffff)) >>> 0; if (seen.has(a)) continue; seen.add(a); return text(a); } };
const present = Array.from({ length: N }, fresh);
// address text made anew (not the string the next hop was added with; a template literal's result)
const retext = (t) => { const [a, b, c, d] = t.split('.'); return `${a}.${b}.${c}.${d}`; };
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const open = () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'release' });
    return { rtm, e: rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 }) };
  };
  const enumerate = (e) => {
    const en = e.createNextHopEnum();
    let n = 0;
    for (;;) { const { items, done } = e.getEnumNextHops({ enumHandle: en }); n += items.length; e.releaseNextHops(items); if (done) break; }
    e.deleteEnumHandle(en);
    return n;
  };
  let big;
  const bigEntity = () => {
    if (!big) { big = open(); for (const address of present) big.e.addNextHop({ address, interfaceIndex: 1, returnHandle: false }); enumerate(big.e); }
    return big.e;
  };
  function ops(names, probe, held) {
    const e = bigEntity();
    const c0 = cpu();
    for (let i = 0; i < K; i++) e.addNextHop({ address: names[i], interfaceIndex: 1, returnHandle: false });
    const c1 = cpu();
    for (let i = 0; i < K; i++) { const f = e.findNextHop({ address: probe[i], interfaceIndex: 1 }); if (f) e.releaseNextHops([f.handle]); else throw new Error('not found'); }
    const c2 = cpu();
    for (let i = 0; i < K; i++) e.deleteNextHop({ address: names[i], interfaceIndex: 1 });
    const c3 = cpu();
    for (let i = 0; i < K; i++) { const f = e.findNextHop({ address: held[i], interfaceIndex: 1 }); if (f) e.releaseNextHops([f.handle]); else throw new Error('not found'); }
    const c4 = cpu();
    return { addUs: 1e3 * (c1 - c0) / K, findUs: 1e3 * (c2 - c1) / K, delUs: 1e3 * (c3 - c2) / K, findHeldUs: 1e3 * (c4 - c3) / K };
  }
  function delord(names, probe) {
    const e = bigEntity();
    enumerate(e);
    const some = [...new Set(probe)];
    const c0 = cpu();
    for (const address of some) e.deleteNextHop({ address, interfaceIndex: 1 });
    const c1 = cpu();
    for (const address of some) e.addNextHop({ address, interfaceIndex: 1, returnHandle: false });
    const c2 = cpu();
    return { delOrderedUs: 1e3 * (c1 - c0) / some.length, readdUs: 1e3 * (c2 - c1) / some.length };
  }
  function coredel(names, probe) {
    const e = bigEntity(), cx = e.cx, x = cx.x, c = cx.core, eh = cx.handle;
    enumerate(e);
    const some = [...new Set(probe)];
    const words = some.map((t) => t.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0);
    const u = c.u32(), io = c.io + c.IO_IN;
    const c0 = cpu();
    for (let i = 0; i < words.length; i++) {
      u[io] = words[i];
      if (x.nexthopDelete(eh, 0, 32, 1) !== 0) throw new Error('core delete failed');
    }
    const c1 = cpu();
    for (const address of some) e.addNextHop({ address, interfaceIndex: 1, returnHandle: false });
    return { delOrderedUs: 1e3 * (c1 - c0) / some.length };
  }
  function core(names, probe) {
    const e = bigEntity(), cx = e.cx, x = cx.x, c = cx.core, eh = cx.handle;
    const words = probe.map((t) => t.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0);
    const u = c.u32(), io = c.io + c.IO_IN, f = c.f64(), out = (c.io + c.k.IO_OUT_HANDLES) / 2;
    const c0 = cpu();
    for (let i = 0; i < K; i++) {
      u[io] = words[i];
      if (x.nexthopFindRefX(eh, 32, 1) !== 0 || x.refDropX(eh, f[out]) !== 0) throw new Error('core find + release failed');
    }
    const c1 = cpu();
    return { findReleaseUs: 1e3 * (c1 - c0) / K };
  }
  function enumMode() {
    const { rtm, e } = open();
    for (const address of present) e.addNextHop({ address, interfaceIndex: 1, returnHandle: false });
    const c0 = cpu();
    const n1 = enumerate(e);
    const c1 = cpu();
    const n2 = enumerate(e);
    const c2 = cpu();
    if (n1 !== N || n2 !== N) throw new Error(`enumerated ${n1}, ${n2} of ${N}`);
    rtm.close();
    return { firstMs: c1 - c0, secondMs: c2 - c1 };
  }
  return { ops, core, enum: enumMode, delord, coredel };
}
const sa = await setup(A), sb = await setup(B);
// per pass: K fresh addresses; K present ones as new strings; K other present ones as the strings they were added with
const args = () => MODE !== 'enum' ? [Array.from({ length: K }, fresh), Array.from({ length: K }, () => retext(present[rnd() % N])),
  Array.from({ length: K }, () => present[rnd() % N])] : [];
{ const w = args(); sa[MODE](...w); sb[MODE](...w); }   // warm-up
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) {
  const w = args();
  if (r & 1) { rb.push(sb[MODE](...w)); ra.push(sa[MODE](...w)); } else { ra.push(sa[MODE](...w)); rb.push(sb[MODE](...w)); }
}
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
const min = (xs, k) => Math.min(...xs.map((x) => x[k]));
console.log(`${MODE} N=${N}${MODE !== 'enum' ? ` K=${K}` : ''} rounds=${ROUNDS}`);
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(3)} min ${min(ra, k).toFixed(3)} | B median ${med(rb, k).toFixed(3)} min ${min(rb, k).toFixed(3)}  (B/A median ${(med(rb, k) / med(ra, k)).toFixed(3)})`);
