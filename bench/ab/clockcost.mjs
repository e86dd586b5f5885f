// What the default clock (RealClock: performance.now() per call) costs a build from text: 901,899 addRouteToDest
// (tier1-ipv4, prefix as text, returnHandle false) into a fresh Rtm with the default clock and into one with a
// VirtualClock (whose time stands still: no clock read, no time to give the core), alternated, CPU time, medians.
// usage: node --expose-gc bench/ab/clockcost.mjs ROOT [rounds]
const [ROOT, N = '7'] = process.argv.slice(2);
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
const set = await readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
const texts = []; for (let i = 0; i < set.count; i++) texts.push(formatPrefix(4, set.keys, 4 * i, set.lens[i]));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
function build(virtual) {
  const rtm = Rtm.createSync({ build: 'release', families: ['ipv4'], ...(virtual ? { clock: new VirtualClock() } : {}) });
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  const o = { dest: '', nextHops: [nh], preference: 20, returnHandle: false };
  globalThis.gc();
  const t0 = cpu();
  for (let i = 0; i < texts.length; i++) { o.dest = texts[i]; e.addRouteToDest(o); }
  const ms = cpu() - t0;
  rtm.close();
  return ms;
}
build(true); build(false);
const a = [], b = [];
for (let r = 0; r < Number(N); r++) { if (r & 1) { b.push(build(true)); a.push(build(false)); } else { a.push(build(false)); b.push(build(true)); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`real ${a.map((x) => x.toFixed(0)).join(' ')} | virtual ${b.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`median real ${med(a).toFixed(0)}, virtual ${med(b).toFixed(0)}, paired ${med(a.map((x, i) => b[i] / x)).toFixed(3)}`);
