// Instruction counts of the many-tables build (bench/scale.ts) or the warm-table update under callgrind, where
// the machine is too noisy for times: one tree per process; run it with two sizes and take the difference
// (startup, compilation and warm-up cancel), e.g. for N in 200 400:
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p node --expose-gc bench/ab/manycg.mjs ROOT many N
// and (Ir(400) - Ir(200)) / (200 × 100) instructions per route. `upd`: N × 100 updates of a warm 100-route table;
// `steps0` / `steps1` / `steps2`: N tables made up to createSync / registerEntity / addNextHop (per table).
// --single-threaded --no-liftoff make the counts repeatable (no background compilation, no Wasm tier-up).
// usage: node --expose-gc bench/ab/manycg.mjs ROOT [many|upd|steps0|steps1|steps2] N
const [ROOT, MODE = 'many', N_ = '200'] = process.argv.slice(2);
const N = Number(N_), R = 100;
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (t ^ (t >>> 14)) >>> 0; }; }
const names = []; { const rnd = mulberry32(7), seen = new Set(); while (names.length < R) { const v = (10 + (rnd() % 214)) * 65536 + (rnd() & 0xffff); if (seen.has(v)) continue; seen.add(v); names.push(`${v >>> 16}.${(v >>> 8) & 255}.${v & 255}.0/24`); } }
const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
const core = createCoreSync('release');
// steps: 0 create only, 1 + registerEntity, 2 + addNextHop, 3 + the routes (the bench)
function many(n, steps = 3) {
  const keep = [];
  for (let i = 0; i < n; i++) {
    const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core });
    keep.push(rtm);
    if (steps < 1) continue;
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    if (steps < 2) continue;
    const nh = e.addNextHop({ address: `192.0.2.${1 + (i % 250)}`, interfaceIndex: 1 }).handle;
    if (steps < 3) continue;
    for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
  }
  return keep;
}
if (MODE === 'many') {
  for (const r of many(300)) r.close();   // warm-up: the same in every run
  many(N);
} else if (MODE.startsWith('steps')) {   // steps0 / steps1 / steps2: the first steps of a table only (per table)
  const k = Number(MODE.slice(5));
  for (const r of many(3000, k)) r.close();
  many(N, k);
} else {
  const rtm = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core });
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
  const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  const upd = (k) => { for (let j = 0; j < k; j++) for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1 + (j & 1), returnHandle: false }); };
  upd(300);
  upd(N);
}
