// A/B of the cold release: all 100,000 changed destinations of bench/hot.ts's drain queue pulled first
// (getChangedDests, records kept), 32 MB of other memory written (as an application doing other work
// would, so that the records' core data has left the caches), then released in one releaseChangedDests
// call. Two built trees as in drain.mjs, passes alternated, CPU ns per destination of the release only,
// medians and the median of the per-pair ratios.
// usage: node --expose-gc bench/ab/drain-cold.mjs ROOT_A ROOT_B [rounds]
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const [A, B, ROUNDS = '9'] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const { readPrefixFile } = await import(A + '/dist/test/helpers/prefixfile.js');
const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'], maxHandlesInEnum: 100000 });
  const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh0 = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh0), preferences: new Uint32Array(set.count).fill(20) });
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
  const nh = watcher.registerForChangeNotification({ views: 1, notifyFlags: 2 });
  const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 });
  const D = 100000, step = Math.floor(set.count / D);
  const ub = { count: D, keys: new Uint32Array(4 * D), lens: new Uint8Array(D), kinds: new Uint8Array(D), preferences: new Uint32Array(D).fill(10) };
  for (let i = 0; i < D; i++) { ub.keys.set(set.keys.subarray(4 * i * step, 4 * i * step + 4), 4 * i); ub.lens[i] = set.lens[i * step]; }
  let announced = false;
  const flip = () => { ub.kinds.fill(announced ? 1 : 0); announced = !announced; peer.applyUpdates(ub); };
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
