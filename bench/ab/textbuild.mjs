// A/B of 901,899 addRouteToDest calls from prefix text into an empty table (bench/run.ts's "one addRouteToDest
// each, prefix as text" row): two built trees (ROOT_A, ROOT_B), a fresh Rtm per pass, passes alternated, CPU time.
// usage: node --expose-gc bench/ab/textbuild.mjs ROOT_A ROOT_B [rounds] [4|6] [handle|nohandle]  (family: IPv4 by
// default, IPv6 = the 160,147-prefix tier-1 table; each route's handle returned, with its reference, by default;
// nohandle: returnHandle false, as bench/run.ts's row)
const [A, B, ROUNDS = '7', FAM = '4', HANDLE = 'handle'] = process.argv.slice(2);
const RETURN = HANDLE !== 'nohandle';
const F = FAM === '6' ? 6 : 4;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
async function setup(ROOT) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { formatPrefix } = await import(ROOT + '/dist/src/address.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const set = await readPrefixFile(DATA + `tier1-ipv${F}.txt.gz`, F, true);
  const texts = []; for (let i = 0; i < set.count; i++) texts.push(formatPrefix(F, set.keys, 4 * i, set.lens[i]));
  return () => {
    const rtm = Rtm.createSync({ build: 'release', families: [`ipv${F}`] });
    const e = rtm.registerEntity({ addressFamily: `ipv${F}`, protocolId: 14, instanceId: 0 });
    const nh = e.addNextHop({ address: F === 6 ? '2001:db8::1' : '192.0.2.1', interfaceIndex: 1 }).handle;
    const hops = [nh];
    const t0 = cpu();
    const o = { dest: '', nextHops: hops, preference: 20, returnHandle: RETURN };
    for (let i = 0; i < texts.length; i++) { o.dest = texts[i]; e.addRouteToDest(o); }
    const ms = cpu() - t0;
    rtm.close();
    return ms;
  };
}
const a = await setup(A), b = await setup(B);
a(); b();
const ra = [], rb = [];
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(b()); ra.push(a()); } else { ra.push(a()); rb.push(b()); } }
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`A ${ra.map((x) => x.toFixed(0)).join(' ')} | B ${rb.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`median A ${med(ra).toFixed(0)} ms, B ${med(rb).toFixed(0)} ms, paired B/A ${med(ra.map((x, i) => rb[i] / x)).toFixed(3)}`);
