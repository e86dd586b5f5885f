// Inputs and their failures: paths, bytes, chunk iterables, gzip detection, progress, format sniffing,
// file-system errors, corrupt gzip, binary garbage (never hangs), options, and the bundled default table.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import { TableFormatError, defaultTablePath, openTable, openUpdates, readAll } from '../../src/readers/index.js';
import { PROJECT_ROOT } from '../helpers/data.js';

const dir = mkdtempSync(join(tmpdir(), 'rtm-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tempFile(content: string | Uint8Array): string {
  const p = join(dir, `s${fileNo++}`);
  writeFileSync(p, content);
  return p;
}

/** Deterministic pseudo-random bytes (mulberry32). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}

const LIST = '10.0.0.0/8\n2001:db8::/32\n192.168.0.0/16 192.0.2.1 5\n';

describe('openTable', () => {
  it('reads a path, bytes, a chunk array, an async iterable and a Node stream alike', async () => {
    const expected = await readAll(Buffer.from(LIST));
    const inputs = [
      tempFile(LIST),
      new TextEncoder().encode(LIST),
      [Buffer.from(LIST.slice(0, 7)), Buffer.from(LIST.slice(7))],
      (async function* () { yield Buffer.from(LIST); })(),
      Readable.from([Buffer.from(LIST)]),
    ];
    for (const input of inputs) {
      const got = await readAll(input);
      expect([...got.v4.keys, ...got.v6.keys]).toEqual([...expected.v4.keys, ...expected.v6.keys]);
      expect(got.info.records).toBe(3);
    }
  });

  it('detects gzip by its magic bytes, not by the file name', async () => {
    const reader = await openTable(tempFile(gzipSync(LIST)));
    let n = 0;
    for await (const b of reader) n += b.count;
    expect(n).toBe(3);
  });

  it('reports progress up to the file size', async () => {
    const big = Array.from({ length: 20000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`).join('\n');
    const gz = gzipSync(big);
    const path = tempFile(gz);
    const calls: [number, number | undefined][] = [];
    const reader = await openTable(path, { onProgress: (read, total) => calls.push([read, total]), readBytes: 4096 });
    expect(reader.totalBytes).toBe(gz.length);
    for await (const _ of reader) { /* drain */ }
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.at(-1)).toEqual([gz.length, gz.length]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
    expect(reader.records).toBe(20000);
  });

  it('throws ERROR_FILE_NOT_FOUND for a missing file', async () => {
    const path = join(dir, 'missing.txt');
    const err = await openTable(path).catch((e: RtmError) => e);
    expect(err).toBeInstanceOf(RtmError);
    expect(err).toMatchObject({ code: 'ERROR_FILE_NOT_FOUND', status: 2 });
    expect((err as Error).message).toContain(path);
  });

  it('throws ERROR_INVALID_PARAMETER for a directory or a bad option', async () => {
    await expect(openTable(dir)).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await expect(openTable(Buffer.from(LIST), { batchSize: 0 })).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await expect(openTable(Buffer.from(LIST), { batchSize: 1.5 })).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await expect(openTable(Buffer.from(LIST), { format: 'csv' as 'mrt' })).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await expect(openTable(42 as unknown as Uint8Array)).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
  });

  it('names the file of corrupt gzip data', async () => {
    const gz = gzipSync(LIST.repeat(100));
    const cut = tempFile(gz.subarray(0, gz.length - 20));
    const err = await readAll(cut).catch((e: TableFormatError) => e);
    expect(err).toBeInstanceOf(TableFormatError);
    expect(err).toMatchObject({ file: cut, code: 'ERROR_INVALID_DATA' });
    expect((err as TableFormatError).reason).toMatch(/^corrupt gzip data/);
    const garbled = Buffer.from(gz);
    garbled[20] ^= 0xff;
    garbled[21] ^= 0xff;
    await expect(readAll(garbled)).rejects.toBeInstanceOf(TableFormatError);
  });

  it('rejects binary data that is not MRT at offset 0', async () => {
    const bytes = Buffer.concat([Buffer.from('10.0.0.0/8\n'), Buffer.from([0, 1, 2, 3])]);
    const err = await openTable(bytes).catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ file: '<bytes>', offset: 11, line: undefined, reason: 'binary data that is not an MRT file (byte 0x00)' });
  });

  it('never hangs on garbage, whatever the format and policy', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const bytes = noise(20000 + seed * 997, seed);
      for (const format of ['prefixes', 'iproute', 'mrt'] as const) {
        for (const skipBad of [false, true]) {
          const reader = await openTable(bytes, { format, skipBad, readBytes: 1000 + seed });
          try {
            for await (const _ of reader) { /* drain */ }
            expect(skipBad, `seed ${seed} ${format}: garbage read without error`).toBe(true);
            expect(reader.skipped + reader.unsupported, `seed ${seed} ${format}`).toBeGreaterThan(0);
          } catch (e) {
            expect(e, `seed ${seed} ${format} skipBad=${skipBad}`).toBeInstanceOf(TableFormatError);
          }
        }
      }
    }
  });

  it('tells an update trace apart and points to openUpdates', async () => {
    const err = await openTable(Buffer.from('# trace\n1418774413 a 202.70.88.0/21 195.66.226.74\n')).catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ line: 2 });
    expect((err as TableFormatError).reason).toContain('openUpdates()');
  });

  it('sniffs ip route output and honours an explicit format', async () => {
    expect((await openTable(Buffer.from('10.0.0.0/8 dev eth0 scope link\n'))).format).toBe('iproute');
    expect((await openTable(Buffer.from('default via 192.0.2.1 dev eth0\n'))).format).toBe('iproute');
    expect((await openTable(Buffer.from('10.0.0.0/8\n'), { format: 'iproute' })).format).toBe('iproute');
  });

  it('can be iterated once, and leaving the loop early closes the input', async () => {
    const reader = await openTable(tempFile(LIST.repeat(5000)), { batchSize: 2 });
    for await (const b of reader) { expect(b.count).toBe(2); break; }
    await expect(reader.batches().next()).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
  });
});

describe('defaultTablePath', () => {
  it('finds the bundled table inside the package, unchanged from upstream', () => {
    const path = defaultTablePath();
    expect(path).toBe(join(PROJECT_ROOT, 'data', 'default', 'tier1-prefixes.txt.gz'));
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(sha).toBe('1cf289e7bb7c1a0f48a11da40854667e99fd4d2de7287b2d46721394bfec0f42');
  });
});

describe('openUpdates', () => {
  it('reads announce and withdraw events in file order across families', async () => {
    const text = [
      '1418774413 w 202.70.88.0/21 0.0.0.0',
      '1418774413 a 202.70.88.0/21 195.66.226.74',
      '1418774414.5 a 2001:db8::/32 2001:7f8:4::1',
      '1418774415 w 2001:db8::/32',
      '1418774416 a 10.0.0.0/8 192.0.2.1',
    ].join('\n');
    const reader = await openUpdates(Buffer.from(text));
    const events: string[] = [];
    for await (const b of reader) {
      for (let i = 0; i < b.count; i++) {
        events.push(`v${b.family} ${b.timesSec[i]} ${b.announce[i] ? 'a' : 'w'} ${b.keys[i * 4].toString(16)}/${b.lens[i]} nh=${b.hasNextHop[i] ? b.nextHops[i * 4].toString(16) : '-'}`);
      }
    }
    expect(events).toEqual([
      'v4 1418774413 w ca465800/21 nh=-',
      'v4 1418774413 a ca465800/21 nh=c342e24a',
      'v6 1418774414.5 a 20010db8/32 nh=200107f8',
      'v6 1418774415 w 20010db8/32 nh=-',
      'v4 1418774416 a a000000/8 nh=c0000201',
    ]);
    expect(reader.records).toBe(5);
  });

  it('names the line of a malformed event', async () => {
    const err = await (async () => {
      for await (const _ of await openUpdates(Buffer.from('1 a 10.0.0.0/8 1.2.3.4\n2 x 10.0.0.0/8\n'))) { /* drain */ }
    })().catch((e: TableFormatError) => e);
    expect(err).toMatchObject({ line: 2, reason: "expected 'a' or 'w', found 'x'", file: '<bytes>' });
  });
});
