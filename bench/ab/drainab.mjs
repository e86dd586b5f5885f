// Paired A/B of the LINX single-call replay's drain alone (bench/hot.ts single row: getChangedDests +
// releaseChangedDests of the watcher's BEST registration every 1,000 updates) in one process: two built
// trees, each with its own table world and replay (linxcore.mjs linxCore: the trace's updates made by the
// core calls), only the drains compared (their CPU time per update, as linxCore's single() reports it).
// Passes of A and B alternate (A B, then B A); medians and the median of the paired ratios B/A. `core`
// drains through linxcore.mjs coreDrain (notifyGetChangedR + refDropManyX) instead of the facade calls.
// usage: node --expose-gc bench/ab/drainab.mjs ROOT_A ROOT_B [rounds] [facade|core] [full|trace]
import { linxCore } from './linxcore.mjs';
const [A, B, ROUNDS = '15', MODE = 'facade', TABLE = 'full'] = process.argv.slice(2);
const a = await linxCore(A, TABLE, MODE), b = await linxCore(B, TABLE, MODE);
for (let w = 0; w < 2; w++) { a.single(); b.single(); }
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) {
  if (r & 1) { rb.push(b.single().drain); ra.push(a.single().drain); } else { ra.push(a.single().drain); rb.push(b.single().drain); }
}
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`${a.updates} updates, ${ROUNDS} rounds, ${MODE} drain, ${TABLE} table (${a.routes} routes)`);
console.log(`drain ns per update: A ${med(ra).toFixed(1)} | B ${med(rb).toFixed(1)} | paired B/A ${med(ra.map((x, i) => rb[i] / x)).toFixed(3)}`);
