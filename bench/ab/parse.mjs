// A/B of parsePrefixInto over the LINX 2014 trace's IPv4 prefix texts (flat strings, as a caller's own
// text usually is), two built trees in one process, passes alternated, wall time, medians of paired ratios.
// usage: node bench/ab/parse.mjs ROOT_A ROOT_B [rounds]
const [A, B, ROUNDS = '41'] = process.argv.slice(2);
const pa = (await import(A + '/dist/src/address.js')).parsePrefixInto;
const pb = (await import(B + '/dist/src/address.js')).parsePrefixInto;
const { formatPrefix } = await import(A + '/dist/src/address.js');
const { linxTrace } = await import('./linxcore.mjs');
const { keys, lens } = await linxTrace(A), ps = [], w4 = new Uint32Array(4);
for (let i = 0; i < lens.length; i++) { const l = lens[i]; w4[0] = l === 0 ? 0 : (keys[i] & (0xffffffff << (32 - l))) >>> 0; ps.push(formatPrefix(4, w4, 0, l)); }
const flat = JSON.parse(JSON.stringify(ps));
const oa = new Uint32Array(8), ob = new Uint32Array(8);
for (const p of flat) if (pa(p, 4, oa, 4) !== pb(p, 4, ob, 4) || oa[4] !== ob[4]) throw new Error('differ: ' + p);
let sink = 0;
function run(f, out) { const t = process.hrtime.bigint(); for (let k = 0; k < 10; k++) for (let i = 0; i < flat.length; i++) sink += f(flat[i], 4, out, 4); return Number(process.hrtime.bigint() - t) / (10 * flat.length); }
const ra = [], rb = [];
for (let r = 0; r < 5; r++) { run(pa, oa); run(pb, ob); }
for (let r = 0; r < Number(ROUNDS); r++) { if (r & 1) { rb.push(run(pb, ob)); ra.push(run(pa, oa)); } else { ra.push(run(pa, oa)); rb.push(run(pb, ob)); } }
const med = (xs) => { const v = [...xs].sort((p, q) => p - q); return v[v.length >> 1]; };
console.log(`ns per parse: A ${med(ra).toFixed(1)} B ${med(rb).toFixed(1)}; paired B/A ${med(rb.map((b, i) => b / ra[i])).toFixed(3)}`);
