// Prefix lists: columns, comments, malformed lines (exact error fields), skipBad, batch boundaries and
// chunk boundaries at every byte offset. Inputs are generated into os.tmpdir() or kept in memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPrefix } from '../../src/address.js';
import { RtmError } from '../../src/errors.js';
import { MAX_LINE_CHARS, TableFormatError, openTable, readAll, type RouteBatch } from '../../src/readers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rtm-prefixlist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tempFile(content: string | Uint8Array, ext = '.txt'): string {
  const p = join(dir, `t${fileNo++}${ext}`);
  writeFileSync(p, content);
  return p;
}

/** Records of a batch as readable rows. */
function rows(b: RouteBatch): string[] {
  const out: string[] = [];
  for (let i = 0; i < b.count; i++) {
    const nh = b.hasNextHop[i] ? ` via ${formatPrefix(b.family, b.nextHops, i * 4, b.family === 4 ? 32 : 128).replace(/\/\d+$/, '')}` : '';
    out.push(`${formatPrefix(b.family, b.keys, i * 4, b.lens[i])}${nh} m=${b.metrics[i]} p=${b.preferences[i]} s=${b.sources[i]} if=${b.ifIndex[i]} v=${b.views[i]}`);
  }
  return out;
}

async function allRows(input: Parameters<typeof readAll>[0], options: Parameters<typeof readAll>[1] = {}) {
  const { v4, v6, info } = await readAll(input, options);
  return { v4: rows(v4), v6: rows(v6), info };
}

const SAMPLE = [
  '# a comment',
  '10.0.0.0/8',
  '',
  '   192.168.1.0/24   192.0.2.1\t20 65001  ',
  '2001:db8::/32 2001:7f8:4::1a0b:1',
  '10.1.2.3/16 - 7 # host bits set, no next hop, metric 7',
  '192.0.2.1',
  '\t# indented comment',
  '::/0 :: 4294967295',
].join('\n') + '\n';

describe('openTable', () => {
  it('reads a prefix list with next hop, metric and AS number columns', async () => {
    const { v4, v6, info } = await allRows(tempFile(SAMPLE));
    expect(info.format).toBe('prefixes');
    expect(v4).toEqual([
      '10.0.0.0/8 m=0 p=0 s=-1 if=0 v=1',
      '192.168.1.0/24 via 192.0.2.1 m=20 p=0 s=-1 if=0 v=1',
      '10.1.0.0/16 m=7 p=0 s=-1 if=0 v=1',
      '192.0.2.1/32 m=0 p=0 s=-1 if=0 v=1',
    ]);
    expect(v6).toEqual([
      '2001:db8::/32 via 2001:7f8:4::1a0b:1 m=0 p=0 s=-1 if=0 v=1',
      '::/0 via :: m=4294967295 p=0 s=-1 if=0 v=1',
    ]);
    expect(info.records).toBe(6);
    expect(info.prefixes).toBe(6);
    expect(info.skipped).toBe(0);
    expect(info.peers).toEqual([]);
  });

  it('writes keys most significant word first with IPv4 in word 0', async () => {
    const { v4, v6 } = await readAll(Buffer.from('10.1.2.0/24\n2001:db8:1:2::/64\n'));
    expect([...v4.keys]).toEqual([0x0a010200, 0, 0, 0]);
    expect([...v6.keys]).toEqual([0x20010db8, 0x00010002, 0, 0]);
    expect([...v4.lens, ...v6.lens]).toEqual([24, 64]);
  });

  it('reads CRLF line ends and a last line without a line break', async () => {
    const { v4 } = await allRows(Buffer.from('10.0.0.0/8\r\n172.16.0.0/12 10.0.0.1\r\n192.168.0.0/16'));
    expect(v4).toEqual([
      '10.0.0.0/8 m=0 p=0 s=-1 if=0 v=1',
      '172.16.0.0/12 via 10.0.0.1 m=0 p=0 s=-1 if=0 v=1',
      '192.168.0.0/16 m=0 p=0 s=-1 if=0 v=1',
    ]);
  });

  it('reads the same records from a gzip file', async () => {
    const plain = await allRows(tempFile(SAMPLE));
    const path = tempFile(gzipSync(SAMPLE), '.txt.gz');
    const reader = await openTable(path);
    const gz = await allRows(path);
    expect(gz.v4).toEqual(plain.v4);
    expect(gz.v6).toEqual(plain.v6);
    expect(gz.info.bytesRead).toBe(gz.info.totalBytes);
    expect(gz.info.totalBytes).toBe(gzipSync(SAMPLE).length);
    await reader.close();
  });

  it('names the file and line of a malformed prefix', async () => {
    const path = tempFile('10.0.0.0/8\n# fine\n10.0.0.0/33\n10.2.0.0/16\n');
    const err = await readAll(path).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TableFormatError);
    expect(err).toBeInstanceOf(RtmError);
    const e = err as TableFormatError;
    expect(e.code).toBe('ERROR_INVALID_DATA');
    expect(e.status).toBe(13);
    expect(e.file).toBe(path);
    expect(e.line).toBe(3);
    expect(e.offset).toBeUndefined();
    expect(e.reason).toBe("malformed prefix '10.0.0.0/33'");
    expect(e.message).toBe(`rtm: openTable: ERROR_INVALID_DATA (${path}, line 3: malformed prefix '10.0.0.0/33')`);
  });

  it.each([
    ['10.0.0.0/8 2001:db8::1', "next hop '2001:db8::1' is not an IPv4 address"],
    ['10.0.0.0/8 10.0.0.256', "malformed next hop '10.0.0.256'"],
    ['10.0.0.0/8 10.0.0.1 twenty', "malformed metric 'twenty'"],
    ['10.0.0.0/8 10.0.0.1 4294967296', "malformed metric '4294967296'"],
    ['10.0.0.0/8 10.0.0.1 20 AS65001', "malformed AS number 'AS65001'"],
    ['10.0.0.0/8 10.0.0.1 20 65001 extra', "unexpected 5th column 'extra'"],
    ['10.0.0.0/', "malformed prefix '10.0.0.0/'"],
    ['2001:db8::/129', "malformed prefix '2001:db8::/129'"],
    ['010.0.0.0/8', "malformed prefix '010.0.0.0/8'"],
  ])('reports %j as %j', async (line, reason) => {
    const err = await readAll(Buffer.from(`1.0.0.0/24\n${line}\n`)).catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ file: '<bytes>', line: 2, reason });
  });

  it('counts malformed lines with skipBad and keeps reading', async () => {
    const text = '10.0.0.0/8\nbogus\n10.1.0.0/16 x\n\n10.2.0.0/16\n300.0.0.0/8\n';
    const { v4, info } = await allRows(Buffer.from(text), { skipBad: true, name: 'list.txt' });
    expect(v4).toEqual(['10.0.0.0/8 m=0 p=0 s=-1 if=0 v=1', '10.2.0.0/16 m=0 p=0 s=-1 if=0 v=1']);
    expect(info.skipped).toBe(3);
    expect(info.skippedErrors.map((e) => [e.file, e.line, e.reason])).toEqual([
      ['list.txt', 2, "malformed prefix 'bogus'"],
      ['list.txt', 3, "malformed next hop 'x'"],
      ['list.txt', 6, "malformed prefix '300.0.0.0/8'"],
    ]);
  });

  it('yields batches of batchSize records per family and reuses them', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) lines.push(`10.${i}.0.0/16`);
    for (let i = 0; i < 4; i++) lines.push(`2001:db8:${i + 1}::/48`);
    const reader = await openTable(Buffer.from(lines.join('\n')), { batchSize: 3 });
    const seen: string[] = [];
    const objects = new Set<RouteBatch>();
    const all: string[] = [];
    for await (const b of reader) {
      seen.push(`v${b.family}:${b.count}`);
      objects.add(b);
      all.push(...rows(b).map((r) => r.split(' ')[0]));
    }
    expect(seen).toEqual(['v4:3', 'v4:3', 'v4:3', 'v6:3', 'v4:1', 'v6:1']);
    expect(objects.size).toBeLessThan(seen.length); // reused between yields
    expect(all.filter((p) => !p.includes(':'))).toEqual(lines.slice(0, 10));
    expect(all.filter((p) => p.includes(':'))).toEqual(lines.slice(10));
    expect(reader.records).toBe(14);
  });

  it('reads the same records when the input is split at every byte offset', async () => {
    const bytes = Buffer.from(SAMPLE.replace(/\n/g, '\r\n'));
    const whole = await allRows(bytes);
    expect(whole.v4.length + whole.v6.length).toBe(6);
    for (let k = 1; k < bytes.length; k++) {
      const split = await allRows([bytes.subarray(0, k), bytes.subarray(k)]);
      expect(split.v4, `split at ${k}`).toEqual(whole.v4);
      expect(split.v6, `split at ${k}`).toEqual(whole.v6);
    }
    const ones = await allRows(bytes, { readBytes: 1 });
    expect([ones.v4, ones.v6]).toEqual([whole.v4, whole.v6]);
    const gz = gzipSync(bytes);
    for (let k = 1; k < gz.length; k += 3) {
      const split = await allRows([gz.subarray(0, k), gz.subarray(k)]);
      expect([split.v4, split.v6], `gzip split at ${k}`).toEqual([whole.v4, whole.v6]);
    }
  });

  it('reports a line longer than MAX_LINE_CHARS and skips it with skipBad', async () => {
    const long = '1'.repeat(MAX_LINE_CHARS + 10);
    const text = `10.0.0.0/8\n${long}\n10.1.0.0/16\n`;
    const err = await readAll(Buffer.from(text), { readBytes: 65536 }).catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ line: 2, reason: `line longer than ${MAX_LINE_CHARS} characters` });
    const { v4, info } = await allRows(Buffer.from(text), { skipBad: true, readBytes: 65536 });
    expect(v4.map((r) => r.split(' ')[0])).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(info.skipped).toBe(1);
    expect(info.skippedErrors[0].line).toBe(2);
  });

  it('reads an empty input as an empty prefix list', async () => {
    const { v4, v6, info } = await allRows(new Uint8Array(0));
    expect([v4, v6, info.format, info.records]).toEqual([[], [], 'prefixes', 0]);
  });
});
