// The `rtm` command line run as a child process (node bin/rtm.js, on the build in dist/) on generated
// tables: help for every command, usage errors and exit statuses, bad files (malformed line, truncated
// MRT, corrupt gzip, missing file), an `ip route` dump, lookups checked against the naive reference
// model (test/reference/trie-model.ts) for seeded addresses, diff against the changes made, bench
// --quick, the --json shapes; the progress bar (in process) and scripts/check-readme.sh's extraction.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, formatPrefix, type Family } from '../../src/address.js';
import { Progress, DELAY_MS } from '../../src/cli/progress.js';
import { RefTrie } from '../reference/trie-model.js';
import { dataFile, missingData, PROJECT_ROOT } from '../helpers/data.js';
import { runRtm, type Run, requireBuiltCli } from '../helpers/cli.js';
import { mulberry32, probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';

const CHECK_README = resolve(PROJECT_ROOT, 'scripts/check-readme.sh');

/** Runs `node bin/rtm.js …` with `input` on stdin. */
const rtm = (args: readonly string[], input = '', env: Record<string, string> = {}): Promise<Run> => runRtm(args, input, env);

/** Runs and parses --json output, expecting exit status 0. */
async function rtmJson<T = Record<string, any>>(args: readonly string[], input = ''): Promise<T> {
  const r = await rtm([...args, '--json'], input);
  expect(r.stderr, `rtm ${args.join(' ')}`).toBe('');
  expect(r.code, `rtm ${args.join(' ')}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

let dir: string;
const tmp = (name: string) => join(dir, name);

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'rtm-cli-'));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Distinct prefixes of a seeded set, as text, in set order. */
function distinct(set: PrefixSet): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < set.count; i++) seen.add(formatPrefix(set.family, set.keys, 4 * i, set.lens[i]));
  return [...seen];
}

function refOf(set: PrefixSet): RefTrie {
  const ref = new RefTrie(set.family);
  for (let i = 0; i < set.count; i++) ref.insert(set.keys, 4 * i, set.lens[i]);
  return ref;
}

/** Seeded probe addresses of a set as text, with the reference answer (prefix or null). */
function probeAnswers(set: PrefixSet, ref: RefTrie, seed: number, n: number): { address: string; prefix: string | null }[] {
  const words = set.family === 4 ? 1 : 4;
  const keys = probes(seed, set, n);
  const out: { address: string; prefix: string | null }[] = [];
  const k = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    k.fill(0);
    for (let w = 0; w < words; w++) k[w] = keys[i * words + w];
    const address = set.family === 4 ? formatIPv4(k[0]) : formatIPv6(k, 0);
    out.push({ address, prefix: ref.lpm(k, 0, set.family === 4 ? 32 : 128, 0)?.prefix ?? null });
  }
  return out;
}

/** A minimal MRT TABLE_DUMP_V2 file: PEER_INDEX_TABLE (IPv4 peers, 4-byte AS) and RIB records (subtype 2
 * unicast, 3 multicast) whose entries carry ORIGIN, AS_PATH (one AS_SEQUENCE), NEXT_HOP = the peer, MED. */
function mrt(peers: { address: string; asn: number }[], ribs: [number, string, { peer: number; path: number[]; med?: number }[]][]): Buffer {
  const be = (v: number, n: number) => Array.from({ length: n }, (_, i) => Math.floor(v / 256 ** (n - 1 - i)) % 256);
  const ip = (a: string) => a.split('.').map(Number);
  const record = (subtype: number, body: number[]) => [...be(1401487200, 4), ...be(13, 2), ...be(subtype, 2), ...be(body.length, 4), ...body];
  const out: number[] = record(1, [...ip('192.0.2.100'), 0, 0, ...be(peers.length, 2),
    ...peers.flatMap((p) => [2, ...ip(p.address), ...ip(p.address), ...be(p.asn, 4)])]);
  ribs.forEach(([subtype, prefix, entries], seq) => {
    const [addr, len] = prefix.split('/');
    const body = [...be(seq, 4), Number(len), ...ip(addr).slice(0, (Number(len) + 7) >> 3), ...be(entries.length, 2)];
    for (const e of entries) {
      const attrs = [0x40, 1, 1, 0, 0x40, 2, 2 + 4 * e.path.length, 2, e.path.length, ...e.path.flatMap((a) => be(a, 4)),
        0x40, 3, 4, ...ip(peers[e.peer].address), ...(e.med === undefined ? [] : [0x80, 4, 4, ...be(e.med, 4)])];
      body.push(...be(e.peer, 2), ...be(1401000000, 4), ...be(attrs.length, 2), ...attrs);
    }
    out.push(...record(subtype, body));
  });
  return Buffer.from(out);
}

describe.concurrent('help and usage', () => {
  const commands = ['load', 'lookup', 'bench', 'diff', 'demo'];

  it('rtm --help lists every command and the exit statuses', async () => {
    const r = await rtm(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rtm <command>/);
    for (const c of commands) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const s of ['0 ', '1 ', '2 ', '3 ', '130']) expect(r.stdout).toMatch(new RegExp(`^  ${s}`, 'm'));
  });

  it.each(commands)('rtm %s --help prints its usage and options', async (c) => {
    const r = await rtm([c, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: rtm ${c} `));
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('-h, --help');
    const h = await rtm(['help', c]);
    expect(h.stdout).toBe(r.stdout);
  });

  it('without a command prints the usage on stderr and exits with 2', async () => {
    const r = await rtm([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: rtm <command>/);
  });

  it('rtm --version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await rtm(['--version']);
    expect([r.code, r.stdout]).toEqual([0, `rtm-wasm ${pkg.version}\n`]);
  });

  it.each([
    [['frob'], "rtm: unknown command 'frob'"],
    [['load', '--bogus'], "rtm: load: Unknown option '--bogus'"],
    [['load', '--format', 'xml'], "rtm: load: --format must be auto, prefixes, iproute or mrt, not 'xml'"],
    [['load', '--family', '5'], "rtm: load: --family must be 4 or 6, not '5'"],
    [['lookup', '1.2.3'], "rtm: lookup: '1.2.3' is not an IPv4 or IPv6 address or prefix"],
    [['lookup', '--view', 'anycast', '1.2.3.4'], "rtm: lookup: --view must be unicast or multicast, not 'anycast'"],
    [['lookup', '--table', '-'], "rtm: lookup: give the addresses as arguments when the table is read from stdin ('--table -')"],
    [['diff', 'a'], 'rtm: diff: expected 2 tables (A and B), got 1'],
    [['diff', '--limit', 'x', 'a', 'b'], "rtm: diff: --limit must be a non-negative integer or 'all', not 'x'"],
    [['bench', '-'], 'rtm: bench: FILE must be a file, not stdin (it is read twice)'],
    [['bench', 'a', 'b'], "rtm: bench: unexpected argument 'b' (at most 1 FILE)"],
    [['bench', '-n', '0'], 'rtm: bench: --addresses must be in 1..67108864, not 0'],
    [['demo', 'x'], "rtm: demo: unexpected argument 'x' (demo takes no arguments)"],
    [['help', 'frob'], "rtm: help: unknown command 'frob'"],
  ])('rtm %j is a usage error (exit 2)', async (args, message) => {
    const r = await rtm(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toMatch(/rtm: see 'rtm ([a-z]+ )?--help'/);
  });
});

describe('bad input files (exit 1, the message names the file and where)', () => {
  it('a malformed line: file and line number', async () => {
    const f = tmp('bad.txt');
    writeFileSync(f, '10.0.0.0/8\n192.168.0.0/16\n10.0.0.0/33\n1.2.3.0/24\n');
    for (const args of [['load', f], ['lookup', '--table', f, '10.1.2.3'], ['diff', f, f]]) {
      const r = await rtm(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`rtm: ${f}, line 3: malformed prefix '10.0.0.0/33'\n`);
    }
  });

  it('--skip-bad loads the rest and reports the skipped count', async () => {
    const f = tmp('bad2.txt');
    writeFileSync(f, '10.0.0.0/8\nnonsense\n10.0.0.0/33\n1.2.3.0/24\n');
    const doc = await rtmJson(['load', '--skip-bad', f]);
    expect(doc.tables[0]).toMatchObject({ skipped: 2, records: { ipv4: 2, ipv6: 0, total: 2 }, destinations: { total: 2 } });
    const text = await rtm(['load', '--skip-bad', f]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/skipped\s+2 malformed records/);
  });

  it('a missing file and a directory', async () => {
    let r = await rtm(['load', tmp('nope.txt')]);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${tmp('nope.txt')}: no such file (ERROR_FILE_NOT_FOUND)\n`]);
    r = await rtm(['lookup', '--table', tmp('nope.txt'), '1.1.1.1']);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${tmp('nope.txt')}: no such file (ERROR_FILE_NOT_FOUND)\n`]);
    r = await rtm(['load', dir]);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${dir}: is a directory (ERROR_INVALID_PARAMETER)\n`]);
  });

  it('a corrupt gzip file: the offset where the decompressed stream breaks', async () => {
    const f = tmp('cut.txt.gz');
    const gz = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24\n`).join('')));
    writeFileSync(f, gz.subarray(0, gz.length >> 1));
    const r = await rtm(['load', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^rtm: ${f.replace(/[.]/g, '\\.')}, offset \\d+: corrupt gzip data \\(.+\\)\\n$`));
  });

  const JINX = 'mrt/routeviews.route-views.jinx.ribs.1401487200.gz';
  const jinx = dataFile(JINX);
  (jinx ? it : it.skip)(`a truncated MRT file: file and byte offset${jinx ? '' : ` (${missingData(JINX)})`}`, async () => {
    const mrt = gunzipSync(readFileSync(jinx!));
    const f = tmp('cut.mrt');
    writeFileSync(f, mrt.subarray(0, 200_000));
    const r = await rtm(['load', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^rtm: ${f.replace(/[.]/g, '\\.')}, offset \\d+: truncated record.*\\n$`));
    const offset = Number(/offset (\d+)/.exec(r.stderr)![1]);
    expect(offset).toBeGreaterThan(150_000);
    expect(offset).toBeLessThan(200_000);
  });
});

describe('an ip route dump', () => {
  const dump = [
    'default via 192.0.2.1 dev eth0 proto static metric 100',
    '10.0.0.0/8 via 192.0.2.254 dev eth1 proto bird metric 20',
    '10.1.0.0/16 dev eth2 proto kernel scope link src 10.1.0.1',
    '172.16.0.0/12 proto static metric 50',
    '\tnexthop via 192.0.2.10 dev eth0 weight 1',
    '\tnexthop via 192.0.2.11 dev eth1 weight 1',
    'blackhole 203.0.113.0/24',
    'local 192.0.2.5 dev eth0 table local proto kernel scope host src 192.0.2.5',
    '2001:db8::/32 via fe80::1 dev eth0 proto static metric 1024',
  ];
  // and 2,000 generated routes with next hops and metrics
  const set = randomPrefixes(11, 4, 2000);
  const gen = distinct(set).filter((p) => !p.endsWith('/0'));
  const rnd = mulberry32(12);
  const lines = [...dump, ...gen.map((p) => `${p} via 198.51.100.${1 + (rnd() % 200)} dev eth${rnd() % 4} metric ${rnd() % 1000}`)];

  it('loads: records, routes per entity, histogram', async () => {
    const f = tmp('ip-route.txt');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const doc = await rtmJson(['load', f]);
    const t = doc.tables[0];
    // 1 default + 10/8 + 10.1/16 + 2 × 172.16/12 + blackhole + generated (the local route is not read)
    expect(t).toMatchObject({ format: 'iproute', skipped: 0, peers: 0,
      records: { ipv4: 6 + gen.length, ipv6: 1 }, destinations: { ipv4: 5 + gen.length, ipv6: 1 } });
    expect(t.entities).toEqual([
      { name: 'static', protocol: 'NT_STATIC', protocolId: 10006, instanceId: 0, family: 'ipv4', records: 6 + gen.length },
      { name: 'static', protocol: 'NT_STATIC', protocolId: 10006, instanceId: 0, family: 'ipv6', records: 1 },
    ]);
    expect(t.histogram.ipv4['0']).toBe(1);
    expect(t.histogram.ipv6).toEqual({ 32: 1 });
  });

  it('answers lookups with the best route and its next hops', async () => {
    const f = tmp('ip-route.txt');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const doc = await rtmJson(['lookup', '--table', f, '10.1.2.3', '10.200.0.1', '172.20.0.1', '203.0.113.9', '2001:db8::5', '2001:db9::1']);
    const byAddr = Object.fromEntries(doc.results.map((r: any) => [r.address, r]));
    expect(byAddr['10.1.2.3'].match).toMatchObject({ prefix: '10.1.0.0/16', route: { metric: 0, nextHops: [] } });
    const ten = byAddr['10.200.0.1'].match;
    expect(ten.prefix === '10.0.0.0/8' || gen.includes(ten.prefix)).toBe(true);
    const multi = byAddr['172.20.0.1'].match;
    if (multi.prefix === '172.16.0.0/12') {
      expect(multi.route.metric).toBe(50);
      expect(['192.0.2.10', '192.0.2.11']).toContain(multi.route.nextHops[0]);
    }
    expect(byAddr['2001:db8::5'].match).toMatchObject({ prefix: '2001:db8::/32',
      route: { owner: { name: 'static', protocol: 'NT_STATIC' }, preference: 0, metric: 1024, nextHops: ['fe80::1'] } });
    expect(byAddr['2001:db9::1']).toEqual({ address: '2001:db9::1', family: 'ipv6', match: null });
    expect(doc).toMatchObject({ matched: 5, unmatched: 1, invalid: 0, view: 'unicast' });
  });
});

describe('lookup agrees with the naive reference model', () => {
  const v4 = randomPrefixes(21, 4, 6000), v6 = randomPrefixes(22, 6, 3000);
  const text = [...distinct(v4), ...distinct(v6)].join('\n');

  it.each([4, 6] as Family[])('IPv%i: 300 seeded addresses on stdin (half inside prefixes)', async (family) => {
    const f = tmp(`ref${family}.txt.gz`);
    writeFileSync(f, gzipSync(Buffer.from(`${text}\n`)));
    const set = family === 4 ? v4 : v6;
    const answers = probeAnswers(set, refOf(set), 100 + family, 300);
    const doc = await rtmJson(['lookup', '--table', f], `# seeded probes\n${answers.map((a) => a.address).join('\n')}\n`);
    expect(doc.results).toHaveLength(300);
    answers.forEach((a, i) => {
      const r = doc.results[i];
      expect(r.address, `probe ${i}`).toBe(a.address);
      expect(r.match?.prefix ?? null, `seed ${100 + family}, probe ${i}: ${a.address}`).toBe(a.prefix);
    });
    expect(doc.matched + doc.unmatched).toBe(300);
    expect(doc.matched).toBe(answers.filter((a) => a.prefix !== null).length);
    expect(doc.matched).toBeGreaterThan(150);
  });

  it('text output: one row per address, unmatched ones marked', async () => {
    const f = tmp('small.txt');
    writeFileSync(f, '10.0.0.0/8\n10.1.0.0/16\n2001:db8::/32\n');
    const r = await rtm(['lookup', '--table', f, '10.1.2.3', '11.0.0.1', '2001:db8::1', '10.1.0.0/24']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe(`${f}, unicast view: 3 matched, 1 unmatched`);
    expect(rows[1]).toMatch(/^address\s+prefix\s+owner\s+protocol\s+pref\s+metric\s+next hops$/);
    expect(rows[2]).toMatch(/^10\.1\.2\.3\s+10\.1\.0\.0\/16\s+static\s+NT_STATIC\s+0\s+0\s+-$/);
    expect(rows[3]).toMatch(/^11\.0\.0\.1\s+\(no match\)$/);
    expect(rows[4]).toMatch(/^2001:db8::1\s+2001:db8::\/32\s+static/);
    expect(rows[5]).toMatch(/^10\.1\.0\.0\/24\s+10\.1\.0\.0\/16\s/);
  });

  it('an IPv4-mapped IPv6 address is asked of the IPv4 table, as Rtm.lookup does', async () => {
    const f = tmp('mapped.txt');
    writeFileSync(f, '10.0.0.0/8\n10.1.0.0/16\n::/0\n');
    const doc = await rtmJson(['lookup', '--table', f, '::ffff:10.1.2.3', '::ffff:a00:1', '::ffff:11.0.0.1', '::ffff:10.1.0.0/112', '2001:db8::1']);
    const got = doc.results.map((r: any) => [r.address, r.family, r.match?.prefix ?? null]);
    expect(got).toEqual([
      ['::ffff:10.1.2.3', 'ipv4', '10.1.0.0/16'], ['::ffff:a00:1', 'ipv4', '10.0.0.0/8'], ['::ffff:11.0.0.1', 'ipv4', null],
      ['::ffff:10.1.0.0/112', 'ipv4', '10.1.0.0/16'], ['2001:db8::1', 'ipv6', '::/0'],
    ]);
  });

  it('a malformed stdin line is reported with its line number; the others are answered; exit 1', async () => {
    const f = tmp('small.txt');
    writeFileSync(f, '10.0.0.0/8\n');
    const r = await rtm(['lookup', '--table', f, '--json'], '10.0.0.1\n\nnot-an-address\n11.0.0.1 trailing words\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("rtm: <stdin>, line 3: 'not-an-address' is not an IPv4 or IPv6 address or prefix\n");
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: any) => [x.address, x.match?.prefix ?? null, x.error ?? null])).toEqual([
      ['10.0.0.1', '10.0.0.0/8', null], ['not-an-address', null, 'not an IPv4 or IPv6 address or prefix'], ['11.0.0.1', null, null]]);
    expect(doc.results[1].line).toBe(3);
    expect(doc).toMatchObject({ matched: 1, unmatched: 1, invalid: 1 });
  });

  it('the multicast view holds no routes of a prefix list', async () => {
    const f = tmp('small.txt');
    writeFileSync(f, '10.0.0.0/8\n');
    const doc = await rtmJson(['lookup', '--table', f, '--view', 'multicast', '10.0.0.1']);
    expect(doc).toMatchObject({ view: 'multicast', matched: 0, unmatched: 1 });
  });
});

describe('diff', () => {
  // A: 3,000 IPv4 + 1,000 IPv6 routes; B: 50+20 withdrawn, 40+10 added, 30+5 metrics and 20+5 next hops changed
  const build = (family: Family, seed: number, n: number) => {
    const all = distinct(randomPrefixes(seed, family, n + 200)).filter((p) => !p.endsWith('/0'));
    const base = all.slice(0, n), extra = all.slice(n);
    const via = (i: number) => (family === 4 ? `192.0.2.${1 + (i % 250)}` : `2001:db8:ffff::${(1 + (i % 250)).toString(16)}`);
    return { base, extra, via };
  };
  const plan = { 4: { n: 3000, withdraw: 50, add: 40, metric: 30, hop: 20 }, 6: { n: 1000, withdraw: 20, add: 10, metric: 5, hop: 5 } };
  const expected: Record<string, { added: string[]; withdrawn: string[]; metric: string[]; hop: string[] }> = {};
  const linesA: string[] = [], linesB: string[] = [];
  for (const family of [4, 6] as Family[]) {
    const p = plan[family];
    const { base, extra, via } = build(family, 30 + family, p.n);
    const e = { added: extra.slice(0, p.add), withdrawn: base.slice(0, p.withdraw),
      metric: base.slice(p.withdraw, p.withdraw + p.metric), hop: base.slice(p.withdraw + p.metric, p.withdraw + p.metric + p.hop) };
    expected[family] = e;
    base.forEach((q, i) => {
      linesA.push(`${q} via ${via(i)} dev eth0 metric 10`);
      if (i < p.withdraw) return;
      const metric = e.metric.includes(q) ? 20 : 10;
      linesB.push(`${q} via ${via(e.hop.includes(q) ? i + 1 : i)} dev eth0 metric ${metric}`);
    });
    e.added.forEach((q, i) => linesB.push(`${q} via ${via(i)} dev eth0 metric 10`));
  }

  it('counts and lists what changed, per family, as BEST notifications would', async () => {
    const a = tmp('a.route'), b = tmp('b.route');
    writeFileSync(a, `${linesA.join('\n')}\n`);
    writeFileSync(b, `${linesB.reverse().join('\n')}\n`);
    const doc = await rtmJson(['diff', a, b, '--limit', 'all']);
    expect(Object.keys(doc)).toEqual(['command', 'a', 'b', 'view', 'limit', 'families', 'total']);
    expect(doc).toMatchObject({ command: 'diff', view: 'unicast', limit: null, a: { file: a, format: 'iproute' }, b: { file: b } });
    for (const family of [4, 6] as Family[]) {
      const d = doc.families[`ipv${family}`], e = expected[family], p = plan[family];
      expect(d).toMatchObject({ destinationsA: p.n, destinationsB: p.n - p.withdraw + p.add, added: p.add, withdrawn: p.withdraw,
        changed: p.metric + p.hop, unchanged: p.n - p.withdraw - p.metric - p.hop,
        changedFields: { owner: 0, preference: 0, metric: p.metric, nextHops: p.hop } });
      expect(d.listings.added.map((x: any) => x.prefix).sort()).toEqual([...e.added].sort());
      expect(d.listings.withdrawn.map((x: any) => x.prefix).sort()).toEqual([...e.withdrawn].sort());
      const changed = d.listings.changed;
      expect(changed.filter((x: any) => x.fields.join() === 'metric').map((x: any) => x.prefix).sort()).toEqual([...e.metric].sort());
      expect(changed.filter((x: any) => x.fields.join() === 'nextHops').map((x: any) => x.prefix).sort()).toEqual([...e.hop].sort());
      const m = changed.find((x: any) => x.fields[0] === 'metric');
      expect([m.before.metric, m.after.metric]).toEqual([10, 20]);
    }
    const t = doc.total;
    expect(t.changes).toBe(t.added + t.withdrawn + t.changed);
    expect(t).toMatchObject({ added: 50, withdrawn: 70, changed: 60 });
  });

  it('text output and --limit', async () => {
    const a = tmp('a.route'), b = tmp('b.route');
    writeFileSync(a, `${linesA.join('\n')}\n`);
    writeFileSync(b, `${linesB.join('\n')}\n`);
    const r = await rtm(['diff', a, b, '-n', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+added\s+40\s+10$/m);
    expect(r.stdout).toMatch(/^\s+withdrawn\s+50\s+20$/m);
    expect(r.stdout).toMatch(/^\s+best route changed\s+50\s+10$/m);
    expect(r.stdout).toContain('180 destinations would be reported to an RTM_CHANGE_TYPE_BEST registration');
    expect(r.stdout).toContain('IPv4 added (first 2 of 40):');
    expect(r.stdout.match(/^ {2}\+ /gm)).toHaveLength(4);
    expect(r.stdout).toMatch(/^ {2}~ {2}\S+ +metric 10 → 20$/m);
    const none = await rtmJson(['diff', a, a, '--limit', '0']);
    expect(none.total).toMatchObject({ added: 0, withdrawn: 0, changed: 0, changes: 0, unchanged: 4000 });
  });

  it('matches owners by identity, not handle: static routes of a prefix list and an ip route dump', async () => {
    const a = tmp('own-a.txt'), b = tmp('own-b.route');
    writeFileSync(a, '10.0.0.0/8\n');
    writeFileSync(b, '10.0.0.0/8 via 192.0.2.1 dev eth0\n');
    const doc = await rtmJson(['diff', a, b]);
    expect(doc.families.ipv4.listings.changed).toEqual([{ prefix: '10.0.0.0/8', fields: ['nextHops'],
      before: expect.objectContaining({ nextHops: [] }), after: expect.objectContaining({ nextHops: ['192.0.2.1'] }) }]);
  });

  it('MRT: a best route from another peer is an owner change; MRT peers are matched by address and AS', async () => {
    const p0 = { address: '192.0.2.1', asn: 100 }, p1 = { address: '192.0.2.2', asn: 200 };
    const a = tmp('a.mrt'), b = tmp('b.mrt.gz');
    writeFileSync(a, mrt([p0, p1], [
      [2, '10.0.0.0/8', [{ peer: 0, path: [100, 1] }, { peer: 1, path: [200, 3, 1] }]],
      [2, '10.1.0.0/16', [{ peer: 0, path: [100], med: 5 }]],
      [3, '224.0.0.0/4', [{ peer: 0, path: [100] }]],
    ]));
    // B lists the peers the other way round: peer indexes differ, identities do not
    writeFileSync(b, gzipSync(mrt([p1, p0], [
      [2, '10.0.0.0/8', [{ peer: 1, path: [100, 5, 6, 1] }, { peer: 0, path: [200, 1] }]],
      [2, '10.1.0.0/16', [{ peer: 1, path: [100], med: 7 }]],
      [3, '224.0.0.0/4', [{ peer: 1, path: [100] }]],
    ])));
    const doc = await rtmJson(['diff', a, b]);
    const changed = doc.families.ipv4.listings.changed;
    expect(changed.map((c: any) => [c.prefix, c.fields])).toEqual([['10.0.0.0/8', ['owner', 'nextHops']], ['10.1.0.0/16', ['metric']]]);
    expect(changed[0].before.owner).toEqual({ name: 'peer 0 192.0.2.1 AS100', protocol: 'BGP', protocolId: 14, instanceId: 0,
      peer: { index: 0, address: '192.0.2.1', asn: 100, bgpId: '192.0.2.1' } });
    expect(changed[0].after.owner.name).toBe('peer 0 192.0.2.2 AS200'); // B's peer table lists it first
    expect(changed[0].after.nextHops).toEqual(['192.0.2.2']);
    expect([changed[1].before.metric, changed[1].after.metric]).toEqual([5, 7]);
    expect(doc.total).toMatchObject({ added: 0, withdrawn: 0, changed: 2, unchanged: 0 });
    const mcast = await rtmJson(['diff', a, b, '--view', 'multicast']);
    expect(mcast).toMatchObject({ view: 'multicast', total: { changed: 0, unchanged: 1 } });
    // the multicast RIB record is only in the multicast view
    const look = await rtmJson(['lookup', '--table', a, '--view', 'multicast', '224.1.2.3', '10.0.0.1']);
    expect(look.results.map((r: any) => r.match?.prefix ?? null)).toEqual(['224.0.0.0/4', null]);
    const uni = await rtmJson(['lookup', '--table', a, '224.1.2.3', '10.0.0.1']);
    expect(uni.results.map((r: any) => r.match?.prefix ?? null)).toEqual([null, '10.0.0.0/8']);
    const load = await rtmJson(['load', a]);
    expect(load.tables[0]).toMatchObject({ format: 'mrt', peers: 2, records: { ipv4: 4 }, destinations: { ipv4: 3 } });
  });
});

describe('bench --quick', () => {
  it('reports load and lookup rates with their speedups over the naive baseline (--json shape)', async () => {
    const f = tmp('bench.txt');
    writeFileSync(f, `${[...distinct(randomPrefixes(41, 4, 5000)), ...distinct(randomPrefixes(42, 6, 2000))].join('\n')}\n`);
    const doc = await rtmJson(['bench', '--quick', '--addresses', '10000', f]);
    expect(Object.keys(doc)).toEqual(['command', 'table', 'quick', 'core', 'environment', 'histogram', 'results']);
    expect(doc).toMatchObject({ command: 'bench', quick: true, table: { file: f, format: 'prefixes' } });
    expect(doc.results).toHaveLength(9);
    expect(doc.results[0]).toMatchObject({ family: 'both', task: 'load', runs: 1 });
    const lookups = doc.results.slice(1);
    expect(lookups.map((r: any) => `${r.family} ${r.workload} ${r.mode}`)).toEqual([
      'ipv4 random single', 'ipv4 random batch', 'ipv4 in-prefix single', 'ipv4 in-prefix batch',
      'ipv6 random single', 'ipv6 random batch', 'ipv6 in-prefix single', 'ipv6 in-prefix batch']);
    for (const r of doc.results) {
      expect(Object.keys(r).sort()).toEqual(r.task === 'load'
        ? ['baseline', 'family', 'mopsPerSecond', 'nsPerOp', 'operations', 'runs', 'speedup', 'task']
        : ['baseline', 'baselineOperations', 'family', 'hitRate', 'mode', 'mopsPerSecond', 'nsPerOp', 'operations', 'runs', 'speedup', 'task', 'workload']);
      expect(r.nsPerOp).toBeGreaterThan(0);
      expect(Math.abs(r.speedup / (r.baseline.nsPerOp / r.nsPerOp) - 1)).toBeLessThan(0.01);
      expect(r.baseline.name).toBe('Map per prefix length');
    }
    for (const r of lookups) expect(r).toMatchObject({ operations: 10_000, baselineOperations: 10_000 });
    expect(lookups.filter((r: any) => r.workload === 'in-prefix').every((r: any) => r.hitRate === 1)).toBe(true);
  });

  it('text output: the table of tasks with ns/op, M ops/s, baseline and speedup', async () => {
    const f = tmp('bench6.txt');
    writeFileSync(f, `${distinct(randomPrefixes(43, 6, 2000)).join('\n')}\n`);
    const text = await rtm(['bench', '-q', '-n', '10000', f]);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(/^rtm bench: \S+bench6\.txt, (release|debug) core, quick run, Node v\d+/);
    expect(text.stdout).toMatch(/^ {2}IPv6 [\d,]+ records; lengths \/\d+:\d+/m);
    expect(text.stdout).toMatch(/^ {2}task\s+rtm ns\/op\s+M ops\/s\s+baseline ns\/op\s+M ops\/s\s+speedup\s+note$/m);
    expect(text.stdout).toMatch(/^ {2}load bench6\.txt \(read, parse, insert\)\s.*\d+x\s+[\d,]+ records, [\d,]+ ms$/m);
    expect(text.stdout).toMatch(/^ {2}IPv6 batch lookup, inside prefixes\s.*\d+x\s+10,000 addresses, 100\.0 % hit, \d+ runs$/m);
    expect(text.stdout).not.toContain('IPv4');
  });
});

describe('output channels', () => {
  it('prints nothing on stderr when it is not a terminal (no progress bar)', async () => {
    const f = tmp('quiet.txt');
    writeFileSync(f, '10.0.0.0/8\n');
    const r = await rtm(['load', f]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('routes per entity (records loaded):');
  });

  it('reads a table from stdin', async () => {
    const doc = await rtmJson(['load', '-'], '10.0.0.0/8\n2001:db8::/32\n');
    expect(doc.tables[0]).toMatchObject({ file: '-', records: { ipv4: 1, ipv6: 1 } });
  });

  it('loads several files, each into its own instance', async () => {
    const a = tmp('m1.txt'), b = tmp('m2.txt');
    writeFileSync(a, '10.0.0.0/8\n10.1.0.0/16\n');
    writeFileSync(b, '10.0.0.0/8\n');
    const doc = await rtmJson(['load', a, b]);
    expect(doc.tables.map((t: any) => [t.file, t.destinations.total, t.routes.total])).toEqual([[a, 2, 2], [b, 1, 1]]);
    expect(Object.keys(doc.tables[0])).toEqual(['file', 'default', 'format', 'bytesRead', 'records', 'skipped', 'skippedRecords',
      'unsupported', 'unsupportedKinds', 'destinations', 'routes', 'peers', 'entities', 'histogram', 'memory', 'ms', 'recordsPerSecond']);
    expect(Object.keys(doc.tables[0].memory)).toEqual(['linearBytes', 'slabBytes', 'linearBytesPerRoute', 'slabBytesPerRoute']);
  });
});

describe('progress bar', () => {
  const stream = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, isTTY, columns: 80, write: (s: string) => { out.push(s); return true; } };
  };

  it('draws nothing before a second has passed, then redraws at most every 100 ms and clears at the end', () => {
    let now = 0;
    const s = stream(true);
    const p = new Progress(s, true, () => now);
    p.begin('loading x.gz', 2_000_000);
    p.update(500_000);
    now = DELAY_MS - 1;
    p.update(600_000);
    expect(s.out).toEqual([]);
    now = DELAY_MS + 1;
    p.update(1_000_000);
    expect(s.out).toHaveLength(1);
    expect(s.out[0]).toBe('\rrtm: loading x.gz [##########..........] 50% 1.0/2.0 MB 1.0s\x1b[K');
    now += 50;
    p.update(1_100_000);
    expect(s.out).toHaveLength(1);
    now += 60;
    p.update(1_200_000);
    expect(s.out).toHaveLength(2);
    p.step('bench: a very long label that does not fit into eighty columns at all, not even nearly, no', 3, 7);
    expect(s.out[2].length).toBe(1 + 79 + 3);
    expect(s.out[2]).toMatch(/… \[#{9}\.{11}\] 3\/7 1\.1s\x1b\[K$/);
    p.end();
    expect(s.out[3]).toBe('\r\x1b[K');
  });

  it('is off when stderr is not a terminal or --no-progress is given', () => {
    expect(Progress.forStream(stream(false), false).enabled).toBe(false);
    expect(Progress.forStream(stream(true), true).enabled).toBe(false);
    expect(Progress.forStream(stream(true), false).enabled).toBe(true);
    let now = 0;
    const s = stream(false);
    const p = new Progress(s, false, () => now);
    now = 5000;
    p.begin('x', 10);
    p.update(5);
    p.end();
    expect(s.out).toEqual([]);
  });
});

describe('scripts/check-readme.sh', () => {
  const check = (file: string) => spawnSync('bash', [CHECK_README, '--print', file], { encoding: 'utf8' });

  it('extracts the two commands from fenced code blocks, in file order', () => {
    const f = tmp('README-ok.md');
    writeFileSync(f, ['# rtm-wasm', '', 'Inline `npm ci && npm start` does not count.', '', '```sh', '$ npm ci && npm test  ', '```', '',
      '~~~~', 'npm ci && npm start', '```', '~~~~', ''].join('\r\n'));
    const r = check(f);
    expect(r.stderr).toBe('');
    expect([r.status, r.stdout]).toEqual([0, 'npm ci && npm test\nnpm ci && npm start\n']);
  });

  it('fails clearly when a line is missing or outside a code block', () => {
    const f = tmp('README-bad.md');
    writeFileSync(f, '# x\nnpm ci && npm start\n\n```\nnpm ci && npm test\n```\n');
    let r = check(f);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`check-readme: ${f} has no line 'npm ci && npm start' inside a fenced code block (\`\`\` ... \`\`\`)\n`);
    writeFileSync(f, '# x\n```\nnpm ci && npm start\n````\nnpm ci && npm test\n');
    r = check(f);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("has no line 'npm ci && npm test'");
    r = check(tmp('README-none.md'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not found');
  });
});
