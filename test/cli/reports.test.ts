// Issue 10 item 7, `rtm` as a child process (node bin/rtm.js on dist/): a file with nothing loadable
// (MRT BGP4MP updates, empty, all malformed) says so and exits 1, with `unsupported` counted in the text
// summary and --json; --skip-bad lists the first skipped records with line numbers (text, --json, and
// on stderr for lookup/diff/bench); netmask syntax is read as a length or rejected; corrupt gzip names
// its offset; with --json every error is also a JSON document on stdout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataFile, missingData } from '../helpers/data.js';
import { runRtm, type Run, requireBuiltCli } from '../helpers/cli.js';


const rtm = (args: readonly string[], input = ''): Promise<Run> => runRtm(args, input);

let dir: string;
const tmp = (name: string) => join(dir, name);
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'rtm-cli-reports-'));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const be = (v: number, n: number) => Array.from({ length: n }, (_, i) => Math.floor(v / 256 ** (n - 1 - i)) % 256);
/** One MRT record: header (timestamp, type, subtype, length) and body. */
const record = (type: number, subtype: number, body: number[]) => [...be(1279829700, 4), ...be(type, 2), ...be(subtype, 2), ...be(body.length, 4), ...body];
/** BGP4MP (16) / BGP4MP_ET (17) records: well-formed MRT records of kinds rtm does not read. */
const updates = (n: number) => Array.from({ length: n }, (_, i) => record(i % 3 === 2 ? 17 : 16, i % 2 === 0 ? 4 : 1,
  Array.from({ length: 20 + i }, (_, k) => k & 255))).flat();
/** A TABLE_DUMP_V2 PEER_INDEX_TABLE with one IPv4 peer and one RIB_IPV4_UNICAST record of 10.0.0.0/8. */
const rib = () => [
  ...record(13, 1, [192, 0, 2, 100, 0, 0, 0, 1, 2, 192, 0, 2, 1, 192, 0, 2, 1, ...be(65001, 4)]),
  ...record(13, 2, [0, 0, 0, 0, 8, 10, 0, 1, 0, 0, ...be(1401000000, 4), 0, 4, 0x40, 1, 1, 0]),
];

describe('a file with nothing loadable says so and exits 1', () => {
  it('an MRT file of BGP4MP updates: text and --json name the unsupported records by kind', async () => {
    const f = tmp('updates.mrt');
    writeFileSync(f, Buffer.from(updates(7)));
    for (const args of [['load', f], ['lookup', '-t', f, '10.1.1.1'], ['bench', '-q', f], ['diff', f, f]]) {
      const r = await rtm(args);
      expect([r.code, r.stdout], args.join(' ')).toEqual([1, '']);
      expect(r.stderr).toBe(`rtm: ${f}: nothing loadable: 7 records of kinds rtm does not read (MRT BGP4MP/4: 3, ` +
        'MRT BGP4MP/1: 2, MRT BGP4MP_ET/4: 1, MRT BGP4MP_ET/1: 1); rtm reads MRT TABLE_DUMP_V2 RIB files, not BGP4MP update traces\n');
    }
    const j = await rtm(['load', '--json', f]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({ command: 'load', error: {
      message: expect.stringContaining('nothing loadable'), status: 1, file: f, format: 'mrt', records: 0,
      unsupported: 7, unsupportedKinds: { 'MRT BGP4MP/4': 3, 'MRT BGP4MP/1': 2, 'MRT BGP4MP_ET/4': 1, 'MRT BGP4MP_ET/1': 1 },
      skipped: 0, skippedRecords: [] } });
  });

  const RIS = 'mrt/ris.rrc05.updates.20100722.2015.gz';
  const ris = dataFile(RIS);
  (ris ? it : it.skip)(`the real RIS update trace${ris ? '' : ` (${missingData(RIS)})`}`, async () => {
    const r = await rtm(['load', '--json', ris!]);
    expect(r.code).toBe(1);
    const e = JSON.parse(r.stdout).error;
    expect(e.unsupported).toBeGreaterThan(1000);
    expect(Object.keys(e.unsupportedKinds).every((k) => k.startsWith('MRT BGP4MP'))).toBe(true);
    expect(r.stderr).toMatch(/nothing loadable: [\d,]+ records of kinds rtm does not read \(MRT BGP4MP/);
  });

  it('a table that also holds unsupported records loads, and counts them in the summary and --json', async () => {
    const f = tmp('mixed.mrt');
    writeFileSync(f, Buffer.from([...rib(), ...updates(3)]));
    const t = await rtm(['load', f]);
    expect([t.code, t.stderr]).toEqual([0, '']);
    expect(t.stdout).toMatch(/\n {2}unsupported +3 records of kinds not read \(MRT BGP4MP\/4: 1, MRT BGP4MP\/1: 1, MRT BGP4MP_ET\/4: 1\)\n/);
    const j = await rtm(['load', '--json', f]);
    expect(JSON.parse(j.stdout).tables[0]).toMatchObject({ records: { total: 1 }, unsupported: 3,
      unsupportedKinds: { 'MRT BGP4MP/4': 1, 'MRT BGP4MP/1': 1, 'MRT BGP4MP_ET/4': 1 } });
    const plain = tmp('plain.txt');
    writeFileSync(plain, '10.0.0.0/8\n');
    expect(JSON.parse((await rtm(['load', '--json', plain])).stdout).tables[0]).toMatchObject({ unsupported: 0, unsupportedKinds: {} });
  });

  it('an empty file, a file of comments, and a file whose every line is malformed (--skip-bad)', async () => {
    writeFileSync(tmp('empty.txt'), '');
    writeFileSync(tmp('comments.txt'), '# nothing\n\n');
    writeFileSync(tmp('allbad.txt'), 'x\n10.0.0.0/33\n');
    let r = await rtm(['load', tmp('empty.txt')]);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${tmp('empty.txt')}: nothing loadable: no route records (the input is empty)\n`]);
    r = await rtm(['lookup', '-t', tmp('comments.txt'), '1.1.1.1']);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${tmp('comments.txt')}: nothing loadable: no route records (only blank lines, comments or headers)\n`]);
    r = await rtm(['load', '--skip-bad', tmp('allbad.txt')]);
    expect([r.code, r.stderr]).toEqual([1, `rtm: ${tmp('allbad.txt')}: nothing loadable: all 2 records were malformed and skipped ` +
      "(first: line 1: malformed prefix 'x')\n"]);
    r = await rtm(['load', '-', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ file: '<stdin>', records: 0, status: 1 });
  });
});

describe('--skip-bad lists the first skipped records with their line numbers', () => {
  const lines = ['10.0.0.0/8', 'nonsense', '10.0.0.0/33', '1.2.3.0/24', '10.0.0.1 255.0.0.0', ...Array.from({ length: 20 }, (_, i) => `bad${i}`), '2.0.0.0/8'];

  it('load: text and --json (the first 16, with line and reason)', async () => {
    const f = tmp('skips.txt');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const t = await rtm(['load', '--skip-bad', f]);
    expect([t.code, t.stderr]).toEqual([0, '']);
    expect(t.stdout).toContain('  skipped       23 malformed records; the first 16:\n' +
      "                  line 2: malformed prefix 'nonsense'\n" +
      "                  line 3: malformed prefix '10.0.0.0/33'\n" +
      "                  line 5: address '10.0.0.1' has bits outside netmask '255.0.0.0' (/8);");
    expect(t.stdout).toContain("line 18: malformed prefix 'bad12'\n  destinations");
    const j = await rtm(['load', '--skip-bad', '--json', f]);
    const table = JSON.parse(j.stdout).tables[0];
    expect(table.skipped).toBe(23);
    expect(table.skippedRecords).toHaveLength(16);
    expect(table.skippedRecords.slice(0, 2)).toEqual([{ line: 2, reason: "malformed prefix 'nonsense'" },
      { line: 3, reason: "malformed prefix '10.0.0.0/33'" }]);
    expect(table.skippedRecords.map((s: { line: number }) => s.line)).toEqual([2, 3, 5, ...Array.from({ length: 13 }, (_, i) => 6 + i)]);
  });

  it('a few skipped records: all listed; lookup and diff list them on stderr', async () => {
    const f = tmp('fewskips.txt');
    writeFileSync(f, '10.0.0.0/8\nnonsense\n11.0.0.0/8\n');
    const t = await rtm(['load', '--skip-bad', f]);
    expect(t.stdout).toContain("  skipped       1 malformed records:\n                  line 2: malformed prefix 'nonsense'\n");
    const l = await rtm(['lookup', '--skip-bad', '-t', f, '10.1.1.1']);
    expect(l.code).toBe(0);
    expect(l.stderr).toBe(`rtm: ${f}: skipped 1 malformed record:\nrtm:   line 2: malformed prefix 'nonsense'\n`);
    const d = await rtm(['diff', '--skip-bad', f, f]);
    expect(d.code).toBe(0);
    expect(d.stderr).toBe(`rtm: ${f}: skipped 1 malformed record:\nrtm:   line 2: malformed prefix 'nonsense'\n`.repeat(2));
  });

  it('MRT: a skipped record is named by its byte offset', async () => {
    const f = tmp('badmrt.mrt');
    // a RIB record of an unknown peer index (a malformed record) between two good ones
    const body = (prefixByte: number, peer: number) => [0, 0, 0, 0, 8, prefixByte, 0, 1, ...be(peer, 2), ...be(1401000000, 4), 0, 4, 0x40, 1, 1, 0];
    const head = record(13, 1, [192, 0, 2, 100, 0, 0, 0, 1, 2, 192, 0, 2, 1, 192, 0, 2, 1, ...be(65001, 4)]);
    const good = record(13, 2, body(10, 0)), bad = record(13, 2, body(11, 9));
    writeFileSync(f, Buffer.from([...head, ...good, ...bad, ...record(13, 2, body(12, 0))]));
    const j = await rtm(['load', '--skip-bad', '--json', f]);
    const table = JSON.parse(j.stdout).tables[0];
    expect(table.skipped).toBe(1);
    expect(table.skippedRecords).toEqual([{ offset: head.length + good.length, reason: expect.any(String) }]);
    const t = await rtm(['load', '--skip-bad', f]);
    expect(t.stdout).toContain(`  offset ${head.length + good.length}: `);
  });
});

describe('netmask syntax', () => {
  it('10.0.0.0 255.0.0.0 is 10.0.0.0/8, not 10.0.0.0/32 via 255.0.0.0', async () => {
    const f = tmp('masks.txt');
    writeFileSync(f, '10.0.0.0 255.0.0.0\n11.0.0.0/255.255.0.0 192.0.2.1\n');
    const r = await rtm(['lookup', '--json', '-t', f, '10.200.1.1', '11.0.9.9']);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { match: { prefix: string; route: { nextHops: string[] } } }) => [x.match.prefix, x.match.route.nextHops]))
      .toEqual([['10.0.0.0/8', []], ['11.0.0.0/16', ['192.0.2.1']]]);
  });

  it('an address with bits outside its netmask is rejected with the line', async () => {
    const f = tmp('badmask.txt');
    writeFileSync(f, '10.0.0.0/8\n10.0.0.1 255.0.0.0\n');
    const r = await rtm(['load', f]);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(new RegExp(`^rtm: ${f.replace(/[.]/g, '\\.')}, line 2: address '10\\.0\\.0\\.1' has bits outside netmask '255\\.0\\.0\\.0'`));
  });
});

describe('--json errors are a JSON document on stdout', () => {
  it('data errors carry the file and line or offset; the stderr line stays', async () => {
    const f = tmp('bad.txt');
    writeFileSync(f, '10.0.0.0/8\n10.0.0.0/33\n');
    const r = await rtm(['load', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`rtm: ${f}, line 2: malformed prefix '10.0.0.0/33'\n`);
    expect(JSON.parse(r.stdout)).toEqual({ command: 'load', error: { message: `${f}, line 2: malformed prefix '10.0.0.0/33'`,
      status: 1, code: 'ERROR_INVALID_DATA', file: f, line: 2, reason: "malformed prefix '10.0.0.0/33'" } });
    const gz = tmp('cut.txt.gz');
    const full = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24\n`).join('')));
    writeFileSync(gz, full.subarray(0, full.length >> 1));
    const g = await rtm(['lookup', '--json', '-t', gz, '1.1.1.1']);
    expect(g.code).toBe(1);
    const e = JSON.parse(g.stdout).error;
    expect(e).toMatchObject({ status: 1, code: 'ERROR_INVALID_DATA', file: gz, offset: expect.any(Number) });
    expect(e.reason).toMatch(/^corrupt gzip data \(.+; \d+ compressed bytes read\)$/);
    expect(g.stderr).toBe(`rtm: ${gz}, offset ${e.offset}: ${e.reason}\n`);
  });

  it('a missing file, a usage error and an unknown command', async () => {
    let r = await rtm(['load', '--json', tmp('nope.txt')]);
    expect(JSON.parse(r.stdout)).toEqual({ command: 'load', error: { message: `${tmp('nope.txt')}: no such file (ERROR_FILE_NOT_FOUND)`,
      status: 1, code: 'ERROR_FILE_NOT_FOUND' } });
    r = await rtm(['bench', '--json', '-n', 'x']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ command: 'bench', error: { message: "bench: --addresses must be a non-negative integer, not 'x'", status: 2 } });
    r = await rtm(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ command: '', error: { message: "unknown command 'frobnicate'", status: 2 } });
    // without --json, stdout stays empty
    r = await rtm(['load', tmp('nope.txt')]);
    expect([r.code, r.stdout]).toEqual([1, '']);
  });
});
