// The `rtm` command line (node bin/rtm.js, a child process) on real tables: the bundled default table
// (counts, lookups of seeded workload-convention addresses checked against the naive reference model,
// the demo that `npm start` runs) and the MRT samples of ../shared/data/mrt (skipped with a message
// when absent; counts from its README). The 1M-prefix default table is loaded by three processes only,
// on the release core (what `npm start` and users run; the debug core's asserts run on the MRT files and
// on the generated tables of cli.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, type Family } from '../../src/address.js';
import { defaultTablePath, readAll, type RouteBatch } from '../../src/readers/index.js';
import { AddressStream } from '../../src/cli/workload.js';
import { RefTrie } from '../reference/trie-model.js';
import { dataFile, missingData } from '../helpers/data.js';
import { runRtm, type Run, requireBuiltCli } from '../helpers/cli.js';


/** Runs `node bin/rtm.js …`; `release` runs it on the release core (as `npm start` does) instead of debug. */
const rtm = (args: readonly string[], input = '', release = false): Promise<Run> => runRtm(args, input, release ? { RTM_WASM: 'release' } : {});

async function rtmJson(args: readonly string[], input = '', release = false): Promise<Record<string, any>> {
  const r = await rtm([...args, '--json'], input, release);
  expect(r.stderr, `rtm ${args.join(' ')}`).toBe('');
  expect(r.code, `rtm ${args.join(' ')}`).toBe(0);
  return JSON.parse(r.stdout) as Record<string, any>;
}

beforeAll(() => {
  requireBuiltCli();
});

/** it() over a shared data file, or a skipped test that says the file is missing. */
function withData(name: string, title: string, fn: (path: string) => Promise<void>): void {
  const path = dataFile(name);
  if (path === undefined) it.skip(`${title} (${missingData(name)})`, () => {});
  else it(title, () => fn(path));
}

function refOf(b: RouteBatch): RefTrie {
  const ref = new RefTrie(b.family);
  for (let i = 0; i < b.count; i++) ref.insert(b.keys, 4 * i, b.lens[i]);
  return ref;
}

describe('the bundled default table', () => {
  it('rtm load: 901,899 IPv4 + 160,147 IPv6 prefixes, histogram, entities, memory, rate', async () => {
    const doc = await rtmJson(['load'], '', true);
    expect(doc.command).toBe('load');
    const t = doc.tables[0];
    expect(t).toMatchObject({
      file: defaultTablePath(), default: true, format: 'prefixes', bytesRead: 2_902_469, skipped: 0, peers: 0,
      records: { ipv4: 901_899, ipv6: 160_147, total: 1_062_046 },
      destinations: { ipv4: 901_899, ipv6: 160_147, total: 1_062_046 },
      routes: { ipv4: 901_899, ipv6: 160_147, total: 1_062_046 },
    });
    expect(t.entities.map((e: any) => [e.name, e.family, e.records])).toEqual([['static', 'ipv4', 901_899], ['static', 'ipv6', 160_147]]);
    expect(t.histogram.ipv4).toMatchObject({ 8: 16, 16: 13_490, 22: 108_623, 23: 96_510, 24: 537_698, 32: 886 });
    expect(t.histogram.ipv6).toMatchObject({ 32: 22_548, 44: 14_365, 48: 75_488, 64: 184, 128: 6 });
    expect(Object.values(t.histogram.ipv4).reduce((s: number, n) => s + (n as number), 0)).toBe(901_899);
    expect(t.memory.linearBytes).toBeGreaterThan(1_062_046 * 16);
    expect(t.memory.linearBytesPerRoute).toBeCloseTo(t.memory.linearBytes / 1_062_046, 0);
    expect(t.recordsPerSecond).toBeCloseTo((1_062_046 * 1000) / t.ms, -3);
  });

  it('rtm lookup: 400 workload-convention addresses agree with the naive reference model', async () => {
    const { v4, v6 } = await readAll(defaultTablePath());
    const cases: { address: string; prefix: string | null }[] = [];
    const k = new Uint32Array(4);
    const add = (family: Family, ref: RefTrie, stream: AddressStream, n: number) => {
      const words = stream.take(n);
      for (let i = 0; i < n; i++) {
        k.fill(0);
        if (family === 4) k[0] = words[i]; else k.set(words.subarray(4 * i, 4 * i + 4));
        cases.push({ address: family === 4 ? formatIPv4(k[0]) : formatIPv6(k, 0),
          prefix: ref.lpm(k, 0, family === 4 ? 32 : 128, 0)?.prefix ?? null });
      }
    };
    const ref4 = refOf(v4), ref6 = refOf(v6);
    add(4, ref4, new AddressStream(4), 150);
    add(4, ref4, new AddressStream(4, { family: 4, keys: v4.keys, lens: v4.lens, count: v4.count }), 150);
    add(6, ref6, new AddressStream(6, { family: 6, keys: v6.keys, lens: v6.lens, count: v6.count }), 100);
    const doc = await rtmJson(['lookup'], cases.map((c) => c.address).join('\n'), true);
    expect(doc.table).toMatchObject({ default: true, destinations: { ipv4: 901_899, ipv6: 160_147 } });
    cases.forEach((c, i) => expect(doc.results[i].match?.prefix ?? null, `probe ${i}: ${c.address}`).toBe(c.prefix));
    expect(doc.unmatched).toBe(cases.filter((c) => c.prefix === null).length);
    expect(doc.unmatched).toBeGreaterThan(10); // uniform random IPv4: about 29 % miss
    expect(doc.results[200].match.route).toEqual({ owner: { name: 'static', protocol: 'NT_STATIC', protocolId: 10006, instanceId: 0 },
      preference: 0, metric: 0, nextHops: [] });
  });

  it('rtm demo (npm start): summary, well-known lookups and a throughput figure with its ratio', async () => {
    const r = await rtm(['demo'], '', true);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Loaded tier1-prefixes\.txt\.gz \(bundled default table\): 1,062,046 prefixes in [\d.]+ s/m);
    expect(out).toMatch(/^ {2}IPv4\s+901,899 destinations\s+901,899 routes$/m);
    expect(out).toMatch(/^ {2}IPv6\s+160,147 destinations\s+160,147 routes$/m);
    expect(out).toMatch(/^ {2}8\.8\.8\.8\s+8\.8\.8\.0\/24\s+static\s+NT_STATIC\s+0\s+0\s+-$/m);
    expect(out).toMatch(/^ {2}1\.1\.1\.1\s+1\.1\.1\.0\/24\s/m);
    expect(out).toMatch(/^ {2}2001:4860:4860::8888\s+2001:4860::\/32\s/m);
    expect(out).toMatch(/^ {2}192\.168\.1\.1\s+\(no match\)$/m);
    expect(out).toMatch(/^Throughput: batch lookups of 250,000 uniform random IPv4 addresses \(release core, 7\d\.\d % hit\):$/m);
    expect(out).toMatch(/^ {2}rtm \(Table\.lookupBatch\)\s+[\d.,]+ M lookups\/s/m);
    expect(out).toMatch(/^ {2}rtm is [\d.,]+x the naive baseline$/m);
  });
});

describe('MRT samples (../shared/data/mrt)', () => {
  const JINX = 'mrt/routeviews.route-views.jinx.ribs.1401487200.gz';
  const RV6 = 'mrt/routeviews.route-views6.rib.20151101.0600.first6871records.gz';

  withData(JINX, 'jinx: 14 peers, 503,590 entries on 497,407 prefixes', async (path) => {
    const doc = await rtmJson(['load', path]);
    const t = doc.tables[0];
    expect(t).toMatchObject({ format: 'mrt', peers: 14, skipped: 0,
      records: { ipv4: 503_417, ipv6: 173, total: 503_590 }, destinations: { ipv4: 497_323, ipv6: 84, total: 497_407 } });
    expect(t.histogram.ipv4['0']).toBe(1);
    expect(t.histogram.ipv6['0']).toBe(1);
    const full = t.entities.find((e: any) => e.peer?.index === 5);
    expect(full).toMatchObject({ name: 'peer 5 196.223.14.55 AS30844', protocol: 'BGP', protocolId: 14, instanceId: 5,
      family: 'ipv4', records: 497_321, peer: { address: '196.223.14.55', asn: 30844 } });
    expect(t.entities.reduce((s: number, e: any) => s + e.records, 0)).toBe(503_590);
  });

  withData(JINX, 'jinx: best routes of the README spot checks', async (path) => {
    const doc = await rtmJson(['lookup', '--table', path, '1.0.0.1', '8.8.8.8', '2001:4200::1', '10.1.2.3']);
    const [one, google, v6, dflt] = doc.results;
    expect(one.match).toMatchObject({ prefix: '1.0.0.0/24',
      route: { owner: { name: 'peer 5 196.223.14.55 AS30844', protocol: 'BGP' }, nextHops: ['196.223.14.55'] } });
    expect(google.match).toMatchObject({ prefix: '8.8.8.0/24', route: { owner: { peer: { asn: 30844 } } } });
    // two entries: AS paths '6968 36937 2018' and '37105 2018'; the shorter path wins
    expect(v6.match).toMatchObject({ prefix: '2001:4200::/32', route: { owner: { peer: { asn: 37105 } } } });
    expect(dflt.match.prefix).toBe('0.0.0.0/0');
  });

  withData(RV6, 'route-views6 (first 6,871 records): 6,870 IPv6 prefixes, 149,578 entries from 27 peers', async (path) => {
    const doc = await rtmJson(['load', path]);
    expect(doc.tables[0]).toMatchObject({ format: 'mrt', peers: 27,
      records: { ipv4: 0, ipv6: 149_578 }, destinations: { ipv4: 0, ipv6: 6_870 } });
    expect(doc.tables[0].entities).toHaveLength(27);
    expect(doc.tables[0].histogram.ipv4).toEqual({});
  });
});
