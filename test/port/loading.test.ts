// Where the core comes from (API.md §6, Rtm.create({ wasm })): a URL (http, file, a path), a Response,
// bytes, a WebAssembly.Module; a failed fetch names the URL; a server with the wrong MIME type still works
// (arrayBuffer() instantiation); no Node host (the browser path) falls back to the inlined core; createSync
// without a way to load says so. Each case starts from an empty core cache.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RtmError, RtmInternalError } from '../../src/errors.js';
import { swapHost } from '../../src/host.js';
import { loadCore, resetCoreCache, wasmUrl } from '../../src/port/core.js';
import { Rtm } from '../../src/rtm.js';
import * as W from '../../src/win32/index.js';

const releaseUrl = wasmUrl('release');
const release = readFileSync(fileURLToPath(releaseUrl));

let server: Server;
let base = '';
const served: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/core.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(release);
    else if (req.url === '/octet.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(release);
    else if (req.url === '/untyped.wasm') res.writeHead(200).end(release);
    else if (req.url === '/page.wasm') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>app</p>');
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

let savedHost: ReturnType<typeof swapHost> | 'none' = 'none';
function noHost(): void { const prev = swapHost(undefined); if (savedHost === 'none') savedHost = prev; }
afterEach(() => {
  if (savedHost !== 'none') { swapHost(savedHost); savedHost = 'none'; }
  resetCoreCache();
});

/** An instance works: a route in, a lookup out. */
function works(rtm: Rtm): void {
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 10006, instanceId: 1 });
  const { handle: nh } = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 });
  e.addRouteToDest({ dest: '10.0.0.0/8', neighbour: nh, nextHops: [nh!] });
  expect(rtm.ipv4.lookup('10.1.2.3')?.prefix).toBe('10.0.0.0/8');
  rtm.close();
}

describe('Rtm.create({ wasm })', () => {
  it('takes bytes (Uint8Array, ArrayBuffer) and a WebAssembly.Module, async and sync', async () => {
    works(await Rtm.create({ wasm: new Uint8Array(release), build: 'release' }));
    resetCoreCache();
    works(await Rtm.create({ wasm: release.buffer.slice(release.byteOffset, release.byteOffset + release.length) }));
    resetCoreCache();
    const mod = new WebAssembly.Module(release);
    works(await Rtm.create({ wasm: mod }));
    resetCoreCache();
    works(Rtm.createSync({ wasm: mod }));
    resetCoreCache();
    works(Rtm.createSync({ wasm: new Uint8Array(release) }));
  });

  it('takes an http URL (string or URL) served as application/wasm (streaming compilation)', async () => {
    works(await Rtm.create({ wasm: `${base}/core.wasm` }));
    resetCoreCache();
    works(await Rtm.create({ wasm: new URL('/core.wasm', base) }));
  });

  it('falls back to arrayBuffer() when the server sends another MIME type or none', async () => {
    works(await Rtm.create({ wasm: `${base}/octet.wasm` }));
    resetCoreCache();
    works(await Rtm.create({ wasm: await fetch(`${base}/untyped.wasm`) }));
  });

  it('takes a file URL and a file path in Node', async () => {
    works(await Rtm.create({ wasm: releaseUrl }));
    resetCoreCache();
    works(await Rtm.create({ wasm: fileURLToPath(releaseUrl) }));
  });

  it('names the URL when the fetch fails, and can be retried', async () => {
    const err = await Rtm.create({ wasm: `${base}/missing.wasm` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmError);
    expect(err).toMatchObject({ code: 'ERROR_FILE_NOT_FOUND' });
    expect((err as Error).message).toContain(`${base}/missing.wasm`);
    expect((err as Error).message).toContain('HTTP 404');
    const refused = await Rtm.create({ wasm: 'http://127.0.0.1:1/core.wasm' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERROR_FILE_NOT_FOUND' });
    expect((refused as Error).message).toContain('http://127.0.0.1:1/core.wasm');
    const html = await Rtm.create({ wasm: `${base}/page.wasm` }).catch((e: unknown) => e);
    expect(html).toMatchObject({ code: 'ERROR_INVALID_DATA' });
    expect((html as Error).message).toContain(`${base}/page.wasm: not a WebAssembly module (served as text/html)`);
    const missingFile = await Rtm.create({ wasm: '/nonexistent/rtm.wasm' }).catch((e: unknown) => e);
    expect(missingFile).toMatchObject({ code: 'ERROR_FILE_NOT_FOUND' });
    expect((missingFile as Error).message).toContain('/nonexistent/rtm.wasm');
    works(await Rtm.create({ wasm: `${base}/core.wasm` }));     // the failures left nothing behind
  });

  it('rejects a wasm option of another type, and URLs in createSync', async () => {
    const err = await Rtm.create({ wasm: 42 as never }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    expect(() => Rtm.createSync({ wasm: `${base}/core.wasm` })).toThrow(/await Rtm.create/);
  });

  it('shares one core: concurrent creates compile once, later wasm options are not fetched', async () => {
    served.length = 0;
    const [a, b] = await Promise.all([Rtm.create({ wasm: `${base}/core.wasm` }), Rtm.create({ wasm: `${base}/core.wasm` })]);
    expect(a.core).toBe(b.core);
    const c = await Rtm.create({ wasm: `${base}/missing.wasm` });
    expect(c.core).toBe(a.core);
    expect(Rtm.createSync().core).toBe(a.core);      // the same build: the loaded core, synchronously
    expect(served).toEqual(['/core.wasm']);
    for (const r of [a, b, c]) r.close();
  });

  it('Win32: initialize({ wasm }) loads the core the layer then uses', async () => {
    served.length = 0;
    await W.initialize({ wasm: `${base}/core.wasm` });
    expect(served).toEqual(['/core.wasm']);
    expect(W.rtmInstance(7).core).toBe(await loadCore());
  });
});

describe('without a Node host (the browser path)', () => {
  it('the default core falls back to the inlined copy when the file cannot be fetched', async () => {
    noHost();
    const rtm = await Rtm.create({ build: 'release' });   // file: URLs cannot be fetched in Node: inline
    expect(rtm.core.build).toBe('release');
    works(rtm);
  });

  it('an explicit URL does not fall back: its failure is reported', async () => {
    noHost();
    const err = await Rtm.create({ wasm: `${base}/missing.wasm`, build: 'release' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`${base}/missing.wasm`);
    works(await Rtm.create({ wasm: `${base}/core.wasm` }));
  });

  it('createSync says how to load when it cannot read files', () => {
    noHost();
    expect(() => Rtm.createSync({ build: 'release' })).toThrow(RtmInternalError);
    expect(() => Rtm.createSync({ build: 'release' })).toThrow(/await Rtm.create\(\) once/);
  });

  it('createSync works once a core was loaded asynchronously', async () => {
    noHost();
    const first = await Rtm.create({ wasm: `${base}/core.wasm`, build: 'release' });
    works(Rtm.createSync({ build: 'release' }));
    first.close();
  });
});
