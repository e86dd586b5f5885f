// JS heap per Rtm instance (issue 13) of the many-tables build (bench/scale.ts benchManyTables: one Rtm, entity,
// next hop, 100 addRouteToDest with returnHandle false, a VirtualClock each), in one process per tree:
//   heap: heapUsed growth over N instances kept alive, after a warm-up pass (bytes per instance; median of rounds)
//   snap: a heap snapshot before and after N instances; the new objects grouped by type and constructor name
//         (bytes per instance), and the objects whose hidden class (map) is new (their maps are per instance)
// usage: node --expose-gc bench/ab/heapinst.mjs ROOT [heap|snap] [N] [rounds]
import v8 from 'node:v8';
import { readFileSync, unlinkSync } from 'node:fs';
const [ROOT, MODE = 'heap', N_ = MODE === 'snap' ? '2000' : '10000', ROUNDS = '5'] = process.argv.slice(2);
const N = Number(N_);
const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
const names = []; for (let i = 0; i < 100; i++) names.push(`10.${i >> 4}.${(i * 16) & 255}.0/24`);
const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
function build(core, n) {
  const keep = [];
  for (let i = 0; i < n; i++) {
    const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: `192.0.2.${1 + (i % 250)}`, interfaceIndex: 1 }).handle;
    for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
    keep.push(rtm);
  }
  return keep;
}
const core = createCoreSync('release');
for (const r of build(core, 2000)) r.close();   // warm-up
if (MODE === 'heap') {
  const per = [];
  for (let r = 0; r < Number(ROUNDS); r++) {
    const h0 = heap(); let keep = build(core, N); const h1 = heap();
    per.push((h1 - h0) / N - 8);   // less the slot of the keep array
    for (const x of keep) x.close();
    keep = undefined;   // (else the closed instances of this round are still alive at the next h0)
  }
  per.sort((a, b) => a - b);
  console.log(`${ROOT}: JS heap per instance: median ${per[per.length >> 1].toFixed(1)} B (min ${per[0].toFixed(1)}, max ${per[per.length - 1].toFixed(1)}), ${(per[per.length >> 1] / 100).toFixed(2)} B/route`);
} else {
  const snap = () => { globalThis.gc(); const f = v8.writeHeapSnapshot(`/tmp/heapinst-${process.pid}-${Math.random().toString(36).slice(2)}.heapsnapshot`); const j = JSON.parse(readFileSync(f, 'utf8')); unlinkSync(f); return j; };
  const parse = (j) => {
    const m = j.snapshot.meta, nf = m.node_fields.length, ef = m.edge_fields.length, types = m.node_types[0], etypes = m.edge_types[0];
    const iT = m.node_fields.indexOf('type'), iN = m.node_fields.indexOf('name'), iI = m.node_fields.indexOf('id'), iS = m.node_fields.indexOf('self_size'), iE = m.node_fields.indexOf('edge_count');
    const eT = m.edge_fields.indexOf('type'), eN = m.edge_fields.indexOf('name_or_index'), eTo = m.edge_fields.indexOf('to_node');
    const nodes = []; let e = 0;
    for (let i = 0; i < j.nodes.length; i += nf) {
      const ec = j.nodes[i + iE], edges = [];
      for (let k = 0; k < ec; k++, e += ef) {
        const et = etypes[j.edges[e + eT]];
        edges.push({ type: et, name: et === 'element' || et === 'hidden' ? j.edges[e + eN] : j.strings[j.edges[e + eN]], to: j.edges[e + eTo] / nf });
      }
      nodes.push({ type: types[j.nodes[i + iT]], name: j.strings[j.nodes[i + iN]], id: j.nodes[i + iI], size: j.nodes[i + iS], edges });
    }
    return nodes;
  };
  const before = new Set(parse(snap()).map((n) => n.id));
  const keep = build(core, N);
  const nodes = parse(snap());
  const fresh = nodes.filter((n) => !before.has(n.id));
  // arrays, elements and other internals are named by what holds them (first retainer: owner.edge)
  const owner = new Map();
  nodes.forEach((n, i) => { for (const ed of n.edges) if (ed.type !== 'weak' && !owner.has(ed.to)) owner.set(ed.to, `${n.name.slice(0, 30)}.${ed.name}`); });
  const idx = new Map(); nodes.forEach((n, i) => idx.set(n, i));
  const groups = new Map();
  for (const n of fresh) { const k = n.type === 'object' && n.name !== 'Object' && n.name !== 'Array' ? `${n.type} ${n.name.slice(0, 60)}` : `${n.type} ${n.name.slice(0, 40)} <- ${owner.get(idx.get(n))}`; const g = groups.get(k) ?? { n: 0, b: 0 }; g.n++; g.b += n.size; groups.set(k, g); }
  let total = 0;
  const rows = [...groups].sort((a, b) => b[1].b - a[1].b);
  for (const [, g] of rows) total += g.b;
  console.log(`${ROOT}: ${fresh.length} new objects, ${(total / N).toFixed(1)} B per instance (snapshot self sizes; keep array included)`);
  for (const [k, g] of rows.filter(([, g]) => g.b / N >= 2)) console.log(`  ${(g.b / N).toFixed(1).padStart(7)} B  ${(g.n / N).toFixed(2).padStart(6)}/inst  ${k}`);
  // objects whose map is new: who owns the per-instance hidden classes
  const freshIdx = new Set(); nodes.forEach((n, i) => { if (!before.has(n.id)) freshIdx.add(i); });
  const owners = new Map();
  nodes.forEach((n, i) => {
    if (n.type === 'hidden' || n.type === 'code') return;
    for (const ed of n.edges) if (ed.name === 'map' && freshIdx.has(ed.to) && nodes[ed.to].name === 'system / Map') {
      const k = `${n.type} ${n.name.slice(0, 60)}`; owners.set(k, (owners.get(k) ?? 0) + 1);
    }
  });
  console.log('objects with a new map (per instance):');
  for (const [k, c] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${(c / N).toFixed(2).padStart(6)}  ${k}`);
  console.log(`maps: ${(fresh.filter((n) => n.name === 'system / Map').reduce((a, n) => a + n.size, 0) / N).toFixed(1)} B per instance`);
  void keep;
}
