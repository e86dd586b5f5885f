// A/B of what one small table costs, step by step (issue 13), in one process: two built trees (ROOT_A,
// ROOT_B), separate module graphs and private cores, passes alternated, CPU time, medians. N instances are
// made phase by phase (all creates, then all registrations, ...), so each step's time and bytes per table
// are measured apart: Rtm.createSync, registerEntity, addNextHop (the first next hop), the first
// addRouteToDest, the next 99, close. Bytes: the core's memoryInUseBytes (linear) and the JS heap after a GC.
// Phase order touches every table once per phase (colder caches than bench/scale.ts's loop, which does
// one table at a time): compare A with B, not with the many.mjs figures.
// usage: node --expose-gc bench/ab/manysteps.mjs ROOT_A ROOT_B [rounds] [N]
const [A, B, ROUNDS = '5', N_ = '10000'] = process.argv.slice(2);
const N = Number(N_), R = 100;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const heap = () => { globalThis.gc(); return process.memoryUsage().heapUsed; };
// the 100 prefixes of bench/scale.ts (prefixes24(7, 100): seeded mulberry32)
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (t ^ (t >>> 14)) >>> 0; }; }
const names = []; { const rnd = mulberry32(7), seen = new Set(); while (names.length < R) { const v = (10 + (rnd() % 214)) * 65536 + (rnd() & 0xffff); if (seen.has(v)) continue; seen.add(v); names.push(`${v >>> 16}.${(v >>> 8) & 255}.${v & 255}.0/24`); } }
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const { createCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  return function pass() {
    const core = createCoreSync('release'), x = core.x, out = {};
    let h = heap(), l = x.memoryInUseBytes();
    const step = (name, f) => {
      const c0 = cpu();
      f();
      const us = 1e3 * (cpu() - c0) / N, h2 = heap(), l2 = x.memoryInUseBytes();
      out[name + ' us'] = us; out[name + ' linB'] = (l2 - l) / N; out[name + ' heapB'] = (h2 - h) / N;
      h = heap(); l = x.memoryInUseBytes();
    };
    const rtms = new Array(N), ents = new Array(N), nhs = new Array(N);
    step('create', () => { for (let i = 0; i < N; i++) rtms[i] = Rtm.createSync({ families: ['ipv4'], clock: new VirtualClock(), build: 'release', core }); });
    step('entity', () => { for (let i = 0; i < N; i++) ents[i] = rtms[i].registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 }); });
    step('nexthop', () => { for (let i = 0; i < N; i++) nhs[i] = ents[i].addNextHop({ address: `192.0.2.${1 + (i % 250)}`, interfaceIndex: 1 }).handle; });
    step('route1', () => { for (let i = 0; i < N; i++) { const nh = nhs[i]; ents[i].addRouteToDest({ dest: names[0], neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false }); } });
    step('routes99', () => { for (let i = 0; i < N; i++) { const e = ents[i], nh = nhs[i]; for (let j = 1; j < R; j++) e.addRouteToDest({ dest: names[j], neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false }); } });
    step('close', () => { for (let i = 0; i < N; i++) rtms[i].close(); });
    return out;
  };
}
const pa = await setup(A), pb = await setup(B);
pa(); pb();   // warm-up
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(pb()); ra.push(pa()); } else { ra.push(pa()); rb.push(pb()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`per table, medians of ${ROUNDS} (N = ${N})`);
for (const k of Object.keys(ra[0])) console.log(`${k.padEnd(16)} A ${med(ra, k).toFixed(2).padStart(9)} | B ${med(rb, k).toFixed(2).padStart(9)}`);
