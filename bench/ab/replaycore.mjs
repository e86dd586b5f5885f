// A/B of the LINX single-call replay through the core calls alone (routeAddR / routeDeleteR with the keys
// written from the parsed trace, as replay-parts.mjs coreUpdates; the drain as notifyGetChangedR +
// refDropManyX, as its coreDrain): the core's share of bench/hot.ts's single row without the facade's
// JavaScript, whose noise hides core-only changes. Two built trees, separate cores, passes alternated,
// CPU time, medians and paired per-round ratios.
// usage: node --expose-gc bench/ab/replaycore.mjs ROOT_A ROOT_B [rounds]
const [A, B, ROUNDS = '20'] = process.argv.slice(2);
const { linxCore } = await import('./linxcore.mjs');
const sa = await linxCore(A), sb = await linxCore(B);
for (let i = 0; i < 2; i++) { sa.single(); sb.single(); }
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(sb.single()); ra.push(sa.single()); } else { ra.push(sa.single()); rb.push(sb.single()); } }
const med = (xs, k) => { const v = xs.map((x) => x[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
for (const k of Object.keys(ra[0])) console.log(`${k}: A median ${med(ra, k).toFixed(0)} | B median ${med(rb, k).toFixed(0)} ns per update`);
const paired = (k) => { const v = ra.map((a, i) => rb[i][k] / a[k]).sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`paired B/A medians: ${Object.keys(ra[0]).map((k) => `${k} ${paired(k).toFixed(3)}`).join(', ')}`);
