// A/B of the getChangedDests + releaseChangedDests drain of bench/hot.ts (a queue of 100,000 changed
// destinations) in one process: two built trees as in replay.mjs, passes alternated, CPU time, medians.
// Also the wall-clock split between the getChangedDests and the releaseChangedDests calls.
// usage: node --expose-gc bench/ab/drain.mjs ROOT_A ROOT_B [rounds]
import { drainWorld, tier1 } from './drainworld.mjs';
const [A, B, ROUNDS = '7'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const set = await tier1(A);
async function setup(ROOT) {
  const { watcher, nh, D, flip } = await drainWorld(ROOT, set);
  const count = watcher.profile.maxHandlesInEnum;
  // one pass: CPU ns per destination of the whole drain, and (wall clock, for the split only) of the get and release calls
  return () => {
    flip();
    const t0 = cpu();
    let n = 0, tg = 0, tr = 0;
    for (;;) {
      const w0 = performance.now();
      const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count });
      const w1 = performance.now();
      n += items.length;
      watcher.releaseChangedDests({ notifyHandle: nh, dests: items });
      tr += performance.now() - w1; tg += w1 - w0;
      if (done) break;
    }
    if (n !== D) throw new Error('n ' + n);
    return { all: 1e6 * (cpu() - t0) / D, get: 1e6 * tg / D, release: 1e6 * tr / D };
  };
}
const a = await setup(A), b = await setup(B);
a(); b(); a(); b();
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(b()); ra.push(a()); } else { ra.push(a()); rb.push(b()); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const col = (rs, k) => rs.map((r) => r[k]);
const all = (rs) => col(rs, 'all');
console.log(`drain ns/dest: A median ${med(all(ra)).toFixed(0)} min ${Math.min(...all(ra)).toFixed(0)} | B median ${med(all(rb)).toFixed(0)} min ${Math.min(...all(rb)).toFixed(0)} (B/A ${(med(all(rb)) / med(all(ra))).toFixed(2)})`);
for (const k of ['get', 'release']) console.log(`  ${k} (wall) ns/dest: A median ${med(col(ra, k)).toFixed(0)} | B median ${med(col(rb, k)).toFixed(0)} (B/A ${(med(col(rb, k)) / med(col(ra, k))).toFixed(2)})`);
