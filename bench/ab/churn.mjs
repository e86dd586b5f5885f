// What the destinations that the LINX trace removes and makes again cost the single-call replay, in ONE
// built tree (ROOT: `npm run build` done): two table worlds in one process, both bench/ab/linxcore.mjs's
// replay over the tier-1 table (core calls; the drain by `core` calls or through the `facade`), one of them
// with a fourth entity holding a preference-30 route on every prefix the trace names (linxCore's `keep`),
// so that its withdrawals never remove a destination (spec D-24) and its announcements never make one.
// Passes alternate (N K, then K N), CPU time, medians and the median of the paired ratios K/N. Which world
// is made first moves the ratio (session 15: update part 0.71–0.76 with N first, 0.81 with K first), so run
// both orders (`kn` makes K first).
// usage: node --expose-gc bench/ab/churn.mjs ROOT [rounds] [core|facade] [nk|kn]
import { linxCore } from './linxcore.mjs';
const [ROOT, ROUNDS = '15', DRAIN = 'core', ORDER = 'nk'] = process.argv.slice(2);
const first = await linxCore(ROOT, 'full', DRAIN, ORDER === 'kn'), second = await linxCore(ROOT, 'full', DRAIN, ORDER !== 'kn');
const [n, k] = ORDER === 'kn' ? [second, first] : [first, second];
for (let i = 0; i < 3; i++) { n.single(); k.single(); }   // warm-up
const rn = [], rk = [];
for (let r = 0; r < Number(ROUNDS); r++) {
  if (r & 1) { rk.push(k.single()); rn.push(n.single()); } else { rn.push(n.single()); rk.push(k.single()); }
}
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
console.log(`${n.updates} updates, ${ROUNDS} rounds, ${DRAIN} drain, full table (${n.routes} routes), ${ORDER === 'kn' ? 'keep world made first' : 'normal world made first'}`);
for (const part of ['all', 'upd', 'drain']) {
  console.log(`${part.padEnd(5)} ns per update: normal ${med(rn.map((o) => o[part])).toFixed(0)} | keep ${med(rk.map((o) => o[part])).toFixed(0)} | paired keep/normal ${med(rk.map((o, i) => o[part] / rn[i][part])).toFixed(3)}`);
}
