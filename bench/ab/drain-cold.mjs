// A/B of the cold release: all 100,000 changed destinations of bench/hot.ts's drain queue pulled first
// (getChangedDests, records kept), 32 MB of other memory written (as an application doing other work
// would, so that the records' core data has left the caches), then released in one releaseChangedDests
// call. Two built trees as in drain.mjs, passes alternated, CPU ns per destination of the release only,
// medians and the median of the per-pair ratios.
// usage: node --expose-gc bench/ab/drain-cold.mjs ROOT_A ROOT_B [rounds]
import { drainWorld, tier1 } from './drainworld.mjs';
const [A, B, ROUNDS = '9'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const set = await tier1(A);
async function setup(ROOT) {
  const { watcher, nh, D, flip } = await drainWorld(ROOT, set, { maxHandlesInEnum: 100000 });
  return () => {
    flip();
    const all = [];
    for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count: 100000 }); for (const x of items) all.push(x); if (done) break; }
    const junk = new Float64Array(4e6); for (let i = 0; i < junk.length; i += 8) junk[i] = i;
    const t0 = cpu();
    watcher.releaseChangedDests({ notifyHandle: nh, dests: all });
    return 1e6 * (cpu() - t0) / all.length;
  };
}
const a = await setup(A), b = await setup(B);
a(); b();
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(b()); ra.push(a()); } else { ra.push(a()); rb.push(b()); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`cold release ns/dest: A median ${med(ra).toFixed(0)} | B median ${med(rb).toFixed(0)} (B/A ${(med(rb) / med(ra)).toFixed(2)}); paired ${med(ra.map((x, i) => rb[i] / x)).toFixed(3)}`);
