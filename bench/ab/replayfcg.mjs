// Instruction counts of the LINX single-call replay through the facade (addRouteToDest with the prefix as
// text, CHANGE_FIRST, one next hop / deleteRouteToDest by handle; getChangedDests + releaseChangedDests every
// 1,000 updates: bench/hot.ts's single row, as replay.mjs single) under callgrind, where timing is too noisy
// for changes of a few per cent in the facade's JavaScript. As replaycg.mjs: one tree per process, two pass
// counts, the difference (startup, load and compilation cancel), e.g.
//   for P in 2 6; do valgrind --tool=callgrind --callgrind-out-file=/tmp/fcg.P$P node --single-threaded \
//     --no-liftoff --predictable --expose-gc bench/ab/replayfcg.mjs ROOT $P; done
// and (Ir(6) - Ir(2)) / (4 × 23,446) instructions per update. The table under the trace is the tier-1 routes
// whose prefix the trace names (replaycg.mjs `trace`: a quick load). Repeated runs of one tree agree to a few
// instructions per update, with an occasional outlier (GC timing) of ~150: repeat a surprising result.
// usage: node --expose-gc bench/ab/replayfcg.mjs ROOT PASSES
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
import { linxTrace, peerHops } from './linxcore.mjs';
import { tableWorld } from './drainworld.mjs';
const [ROOT, PASSES = '1'] = process.argv.slice(2);
const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
const { keys, lens, ann, nhs } = await linxTrace(ROOT), E = lens.length;
// the prefix texts as bench/hot.ts makes them (formatPrefix: template-literal strings)
const prefixes = [], pidx = new Int32Array(E), index = new Map(), k4 = new Uint32Array(4);
for (let i = 0; i < E; i++) { k4[0] = keys[i]; const p = formatPrefix(4, k4, 0, lens[i]); prefixes.push(p); let k = index.get(p); if (k === undefined) { k = index.size; index.set(p, k); } pidx[i] = k; }
let set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
{
  const ks = [], ls = [], w = new Uint32Array(4);
  for (let i = 0; i < set.count; i++) {
    const l = set.lens[i];
    w[0] = l === 0 ? 0 : (set.keys[4 * i] & (0xffffffff << (32 - l))) >>> 0;
    if (index.has(formatPrefix(4, w, 0, l))) { ks.push(set.keys[4 * i], 0, 0, 0); ls.push(l); }
  }
  set = { count: ls.length, keys: Uint32Array.from(ks), lens: Uint8Array.from(ls) };
}
const { watcher, nh, peer } = await tableWorld(ROOT, set);
const hops = peerHops(peer, formatPrefix, ann, nhs);
const handles = new Array(index.size).fill(undefined);
const count = watcher.profile.maxHandlesInEnum;
function drain() { for (;;) { const { items, done } = watcher.getChangedDests({ notifyHandle: nh, count }); watcher.releaseChangedDests({ notifyHandle: nh, dests: items }); if (done) break; } }
function pass() {
  for (let i = 0; i < E; i++) {
    const p = pidx[i];
    if (ann[i]) {
      const h = hops[i], known = handles[p] !== undefined;
      const r = peer.addRouteToDest({ dest: prefixes[i], neighbour: h, nextHops: [h], preference: 10, changeFlags: 1, returnHandle: !known });
      if (!known) handles[p] = r.handle;
    } else if (handles[p] !== undefined) { peer.deleteRouteToDest(handles[p]); handles[p] = undefined; }
    if ((i + 1) % 1000 === 0) drain();
  }
  drain();
}
for (let w = 0; w < 4; w++) pass();   // warm-up (every tier settled): the same in every run
globalThis.gc?.();
for (let p = 0; p < Number(PASSES); p++) pass();
console.log(`table ${set.count} routes, ${E} updates × ${PASSES} passes`);
