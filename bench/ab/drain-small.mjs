// A/B of small drains, as between the LINX replay's updates (about 420 changed destinations per 1,000
// updates, the same destinations coming back): the tier-1 table of drainworld.mjs's tableWorld, eight groups
// of 420 of its prefixes, each group flipped in turn by the peer's applyUpdates (announce at preference 10,
// then withdraw; untimed) and drained after each flip by getChangedDests + releaseChangedDests (timed), so
// that a destination is drained again after 16 drains of others. With POLLUTE=MB in the environment, that
// many MB of other memory are written before each drain (untimed), as the replay's updates push the
// drain's data out of the caches between its drains. ROOT_B#core drains B through notifyGetChangedR +
// refDropManyX alone (linxcore.mjs coreDrain): the floor under the facade. Two built trees, passes
// alternated, CPU ns per destination, medians and the median of the per-pair ratios.
// usage: [POLLUTE=4] node --expose-gc bench/ab/drain-small.mjs ROOT_A ROOT_B[#core] [rounds] [drains per pass]
import { tableWorld, tier1 } from './drainworld.mjs';
import { coreDrain } from './linxcore.mjs';
const [A, B, ROUNDS = '15', REPS = '200'] = process.argv.slice(2);
const D = 420, REP = Number(REPS), junk = new Float64Array((Number(process.env.POLLUTE) || 0) << 17);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const set = await tier1(A);
async function setup(ROOT0) {
  const CORE = ROOT0.endsWith('#core'), ROOT = ROOT0.replace('#core', '');
  const { watcher, nh, peer } = await tableWorld(ROOT, set);
  const cd = coreDrain(watcher, nh), count = watcher.profile.maxHandlesInEnum;
  const groups = [];
  for (let g = 0; g < 8; g++) {
    const ub = { count: D, keys: new Uint32Array(4 * D), lens: new Uint8Array(D), kinds: new Uint8Array(D), preferences: new Uint32Array(D).fill(10) };
    for (let i = 0; i < D; i++) { const j = (Math.imul(i * 8 + g, 2654435761) >>> 0) % set.count; ub.keys.set(set.keys.subarray(4 * j, 4 * j + 4), 4 * i); ub.lens[i] = set.lens[j]; }
    groups.push(ub);
  }
  let announced = false, gi = 0;
  return () => {
    let t = 0, n = 0;
    for (let r = 0; r < REP; r++) {
      const ub = groups[gi]; ub.kinds.fill(announced ? 1 : 0); peer.applyUpdates(ub);
      if (announced) gi = (gi + 1) & 7;
      announced = !announced;
      for (let j = 0; j < junk.length; j += 8) junk[j]++;
      const t0 = cpu();
      if (CORE) { cd(); n += D; t += cpu() - t0; continue; }   // (D: the few duplicate prefixes of a group aside)
      for (;;) {
        const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count });
        n += items.length;
        watcher.releaseChangedDests({ notifyHandle: nh, dests: items });
        if (done) break;
      }
      t += cpu() - t0;
    }
    return 1e6 * t / n;
  };
}
const a = await setup(A), b = await setup(B);
a(); b(); a(); b();
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(b()); ra.push(a()); } else { ra.push(a()); rb.push(b()); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`small drain ns/dest${junk.length ? ` (${process.env.POLLUTE} MB written before each drain)` : ''}: A median ${med(ra).toFixed(0)} | B median ${med(rb).toFixed(0)} | paired B/A median ${med(ra.map((x, i) => rb[i] / x)).toFixed(3)}`);
