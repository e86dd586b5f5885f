// Instruction counts of the LINX single-call replay through the core calls alone (the same calls as
// replaycore.mjs: routeAddR / routeDeleteR by handle, the drain as notifyGetChangedR + refDropManyX every
// 1,000 updates) under callgrind, where the machine is too noisy for small changes: one tree per process; run
// it with two pass counts and take the difference (startup, the table's load and compilation cancel), e.g.
//   for P in 2 12; do valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.P$P node --single-threaded \
//     --no-liftoff --predictable --expose-gc bench/ab/replaycg.mjs ROOT $P [full|trace]; done
// and (Ir(12) - Ir(2)) / (10 × 23,446) instructions per update (--predictable and the gc() before the passes
// make the counts repeat to ±1 per update; without them GC and compilation threads move them by ±50). The
// table under the trace: `full` the tier-1 table (as bench/hot.ts; with the forwarding structure, which
// answers most finds), `trace` (default) only the tier-1 routes whose prefix the trace names (the same
// changes on the trace's destinations, a table too small for the forwarding structure, a quicker load).
// The first 4 passes are a warm-up, the same in every run. The JS is the harness's own (bench/ab/linxcore.mjs,
// shared with replaycore.mjs, whose drain reads the CPU clock twice: ~2 instructions per update), the same in A
// and B.
// With `facade` as the fourth argument the drains go through getChangedDests + releaseChangedDests (the
// updates still through the core calls): the facade drain's own instructions, without the facade updates'.
// usage: node --expose-gc bench/ab/replaycg.mjs ROOT PASSES [trace|full] [core|facade]
const [ROOT, PASSES = '1', TABLE = 'trace', DRAIN = 'core'] = process.argv.slice(2);
const { linxCore } = await import('./linxcore.mjs');
const { single, routes, updates } = await linxCore(ROOT, TABLE, DRAIN);
for (let w = 0; w < 4; w++) single();   // warm-up (every tier settled): the same in every run
globalThis.gc?.();   // with --expose-gc: the garbage of the load is not collected during the passes
for (let p = 0; p < Number(PASSES); p++) single();
console.log(`table ${routes} routes, ${updates} updates × ${PASSES} passes`);
