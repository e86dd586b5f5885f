// The portable reader path (no Node host, as in browsers): Blob, Response, ReadableStream, ArrayBuffer,
// gzip through DecompressionStream, its errors, and paths refused with a clear message. Each case is
// checked against the Node path (host installed) on the same bytes.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import { swapHost } from '../../src/host.js';
import { TableFormatError, openTable, readAll } from '../../src/readers/index.js';
import { readTable, loadTable } from '../../src/load.js';
import { Rtm } from '../../src/rtm.js';

const LIST = Array.from({ length: 3000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24 192.0.2.${1 + (i % 7)} ${i % 5}`)
  .concat(['2001:db8::/32', '2001:db8:1::/48 2001:db8::1 3']).join('\n') + '\n';
const bytes = new TextEncoder().encode(LIST);
const gz = new Uint8Array(gzipSync(bytes));

function streamOf(b: Uint8Array, piece = 1000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) { if (at >= b.length) c.close(); else { c.enqueue(b.slice(at, at + piece)); at += piece; } },
  });
}

let saved: ReturnType<typeof swapHost> | 'none' = 'none';
function noHost(): void { const prev = swapHost(undefined); if (saved === 'none') saved = prev; }
afterEach(() => { if (saved !== 'none') { swapHost(saved); saved = 'none'; } });

async function keysOf(input: Parameters<typeof readAll>[0]) {
  const r = await readAll(input);
  return { v4: [...r.v4.keys], v6: [...r.v6.keys], pref: [...r.v4.preferences], n: r.info.records };
}

describe('readers without a Node host (browser path)', () => {
  it('read bytes, ArrayBuffer, Blob, Response, ReadableStream, plain and gzip, as the Node path does', async () => {
    const expected = await keysOf(bytes);
    expect(expected.n).toBe(3002);
    noHost();
    for (const data of [bytes, gz]) {
      const inputs = [data, data.slice().buffer, new Blob([data]), new Response(data), streamOf(data),
        new Response(streamOf(data))];
      for (const input of inputs) expect(await keysOf(input)).toEqual(expected);
    }
  });

  it('inflates gzip with DecompressionStream and counts compressed bytes for progress', async () => {
    noHost();
    const seen: number[] = [];
    const reader = await openTable(new Blob([gz]), { onProgress: (read) => seen.push(read), readBytes: 512 });
    expect(reader.totalBytes).toBe(gz.length);
    let n = 0;
    for await (const b of reader) n += b.count;
    expect(n).toBe(3002);
    expect(seen.at(-1)).toBe(gz.length);
  });

  it('reports corrupt and truncated gzip as TableFormatError (ERROR_INVALID_DATA)', async () => {
    noHost();
    const corrupt = gz.slice();
    for (let i = 20; i < 60; i++) corrupt[i] ^= 0x5a;
    for (const bad of [corrupt, gz.subarray(0, gz.length >> 1)]) {
      const err = await readAll(new Blob([bad])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TableFormatError);
      expect(err).toMatchObject({ code: 'ERROR_INVALID_DATA' });
      expect(String((err as Error).message)).toContain('gzip');
    }
  });

  it('passes a source stream error through, not as corrupt gzip', async () => {
    noHost();
    const boom = new Error('network gone');
    let sent = false;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) { if (!sent) { sent = true; c.enqueue(gz.subarray(0, 100)); } else c.error(boom); },
    });
    const err = await readAll(failing).catch((e: unknown) => e);
    expect(err).toBe(boom);
  });

  it('refuses paths with a message that says what to pass instead', async () => {
    noHost();
    const err = await openTable('/tmp/table.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmError);
    expect(err).toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    expect((err as Error).message).toMatch(/Node.*Response/);
  });

  it('names a Response that is not ok by its status', async () => {
    noHost();
    const err = await openTable(new Response('nope', { status: 404, statusText: 'Not Found' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERROR_FILE_NOT_FOUND' });
    expect((err as Error).message).toContain('HTTP 404');
  });

  it('decodes text without Buffer (TextDecoder) to the same records', async () => {
    const expected = await keysOf(bytes);
    noHost();
    const saveBuffer = (globalThis as { Buffer?: unknown }).Buffer;
    expect(saveBuffer).toBeDefined();
    // latin1() picked its decoder at load; a fresh module instance without Buffer takes TextDecoder
    const { vi } = await import('vitest');
    vi.resetModules();
    (globalThis as { Buffer?: unknown }).Buffer = undefined;
    let mod: typeof import('../../src/readers/source.js');
    try {
      mod = await import('../../src/readers/source.js');
    } finally {
      (globalThis as { Buffer?: unknown }).Buffer = saveBuffer;
    }
    const text = mod.latin1(new Uint8Array([0x31, 0x30, 0x2e, 0x80, 0xff, 0x0a]));
    expect(text.length).toBe(6);
    expect(text.slice(0, 3)).toBe('10.');
    expect(await keysOf(new Blob([bytes]))).toEqual(expected);
  });

  it('readTable and loadTable take a Response', async () => {
    const rtm = await Rtm.create();                  // the core from the host; the reading without it
    noHost();
    const t = await readTable(new Response(gz));
    expect(t.v4.count + t.v6.count).toBe(3002);
    try {
      const s = await loadTable(rtm, new Response(new Blob([gz]).stream()));
      expect(s.records).toEqual({ ipv4: 3000, ipv6: 2 });
      expect(s.file).toBe('<response>');
      expect(rtm.ipv4.lookup('10.3.7.9')?.prefix).toBe('10.3.7.0/24');
    } finally {
      rtm.close();
    }
  });
});
