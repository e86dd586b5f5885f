// Issue 10 item 7 at the reader level: IPv4 netmask syntax in prefix lists is read as a length or
// rejected with the line named (never misread as a next hop), and corrupt gzip data names the byte
// offset where the decompressed stream breaks. Inputs are in memory.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatPrefix } from '../../src/address.js';
import { TableFormatError, readAll, type RouteBatch } from '../../src/readers/index.js';
import { maskLength } from '../../src/readers/prefixlist.js';

function rows(b: RouteBatch): string[] {
  const out: string[] = [];
  for (let i = 0; i < b.count; i++) {
    const nh = b.hasNextHop[i] ? ` via ${formatPrefix(b.family, b.nextHops, i * 4, 32).replace(/\/\d+$/, '')}` : '';
    out.push(`${formatPrefix(b.family, b.keys, i * 4, b.lens[i])}${nh} m=${b.metrics[i]}`);
  }
  return out;
}

async function read(text: string, skipBad = false) {
  const { v4, info } = await readAll(Buffer.from(text), { format: 'prefixes', skipBad });
  return { rows: rows(v4), info };
}

async function failure(text: string): Promise<TableFormatError> {
  const err = await readAll(Buffer.from(text), { format: 'prefixes' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TableFormatError);
  return err as TableFormatError;
}

describe('prefix lists: IPv4 netmask syntax', () => {
  it('maskLength: every contiguous netmask, and non-contiguous ones rejected', () => {
    for (let len = 0; len <= 32; len++) {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      expect(maskLength(mask)).toBe(len);
      if (len > 0 && len < 31) expect(maskLength((mask ^ (1 << (32 - len + 1))) >>> 0)).toBe(-1); // a hole
    }
    expect(maskLength(0xff00ff00)).toBe(-1);
    expect(maskLength(0x00ffffff)).toBe(-1);
  });

  it('address netmask [next-hop [metric]] and address/netmask are prefixes', async () => {
    const { rows: r } = await read([
      '10.0.0.0 255.0.0.0',
      '11.0.0.0 255.255.0.0 192.0.2.1 5',
      '12.0.0.0/255.255.255.0',
      '12.1.0.0/255.255.0.0 192.0.2.2',
      '0.0.0.0 0.0.0.0',
      '14.1.0.7 255.255.255.255 - 9',
      '13.1.2.3 13.1.2.1', // not a netmask: a next hop, as before
      '15.0.0.0/8 192.0.2.3',
    ].join('\n'));
    expect(r).toEqual([
      '10.0.0.0/8 m=0', '11.0.0.0/16 via 192.0.2.1 m=5', '12.0.0.0/24 m=0', '12.1.0.0/16 via 192.0.2.2 m=0',
      '0.0.0.0/0 m=0', '14.1.0.7/32 m=9', '13.1.2.3/32 via 13.1.2.1 m=0', '15.0.0.0/8 via 192.0.2.3 m=0',
    ]);
  });

  it('agrees with address/length for every length on random addresses', async () => {
    let seed = 7;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
    const withMask: string[] = [], withLen: string[] = [];
    for (let len = 0; len <= 32; len++) {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const addr = (rnd() & mask) >>> 0;
      const dq = (v: number) => [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
      withMask.push(`${dq(addr)} ${dq(mask)}`, `${dq(addr)}/${dq(mask)}`);
      withLen.push(`${dq(addr)}/${len}`, `${dq(addr)}/${len}`);
    }
    expect((await read(withMask.join('\n'))).rows).toEqual((await read(withLen.join('\n'))).rows);
  });

  it('rejects what it cannot read unambiguously, naming the line', async () => {
    let e = await failure('10.0.0.0/8\n10.0.0.1 255.0.0.0\n');
    expect([e.line, e.code]).toEqual([2, 'ERROR_INVALID_DATA']);
    expect(e.reason).toMatch(/'10\.0\.0\.1' has bits outside netmask '255\.0\.0\.0' \(\/8\)/);
    e = await failure('1.2.3.4 0.0.0.0\n');
    expect(e.line).toBe(1);
    expect(e.reason).toMatch(/bits outside netmask '0\.0\.0\.0'/);
    e = await failure('# x\n10.0.0.0 255.0.255.0\n');
    expect(e.line).toBe(2);
    expect(e.reason).toMatch(/'255\.0\.255\.0' after a bare address is neither a contiguous netmask nor a unicast next hop/);
    e = await failure('10.0.0.0/255.0.255.0\n');
    expect(e.reason).toBe("malformed prefix '10.0.0.0/255.0.255.0' (not a contiguous netmask)");
    e = await failure('10.0.0.0/255.0.0\n');
    expect(e.reason).toMatch(/^malformed prefix/);
  });

  it('with skipBad the rejected lines are listed with their line numbers', async () => {
    const { rows: r, info } = await read('10.0.0.0 255.0.0.0\n10.0.0.1 255.0.0.0\n11.0.0.0/8\n1.2.3.4 0.0.0.0\n', true);
    expect(r).toEqual(['10.0.0.0/8 m=0', '11.0.0.0/8 m=0']);
    expect(info.skipped).toBe(2);
    expect(info.skippedErrors.map((e) => e.line)).toEqual([2, 4]);
  });
});

describe('corrupt gzip data names its offset', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => `10.${i >> 8 & 255}.${i & 255}.0/24\n`).join('');
  const gz = gzipSync(text);

  it('a truncated file: the offset is where the decompressed stream breaks', async () => {
    const err = await readAll(gz.subarray(0, gz.length >> 1), { name: 'cut.gz' }).catch((e: unknown) => e) as TableFormatError;
    expect(err).toBeInstanceOf(TableFormatError);
    expect(err.offset).toBeGreaterThan(0);
    expect(err.offset).toBeLessThanOrEqual(text.length);
    expect(err.message).toMatch(new RegExp(`cut\\.gz, offset ${err.offset}: corrupt gzip data \\(.+; \\d+ compressed bytes read\\)`));
  });

  it('garbled bytes: every error names a line or an offset, a gzip error its offset', async () => {
    for (const at of [12, 20, 100, gz.length >> 2, gz.length >> 1, gz.length - 6]) {
      const bad = Buffer.from(gz);
      bad[at] ^= 0xff;
      const err = await readAll(bad, { name: 'bad.gz' }).catch((e: unknown) => e) as TableFormatError;
      expect(err, `byte ${at}`).toBeInstanceOf(TableFormatError);
      expect(err.line !== undefined || err.offset !== undefined, `byte ${at}: ${err.message}`).toBe(true);
      if (/corrupt gzip/.test(err.reason)) expect(err.message).toMatch(/bad\.gz, offset \d+: corrupt gzip data/);
    }
  });
});
