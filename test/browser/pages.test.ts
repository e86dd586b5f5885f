// The packed package in a real browser (issue 10): Debian's Chromium driven by playwright-core opens pages
// built from the `npm pack` tarball with esbuild and with Vite (build and dev server), an unbundled page
// on plain static hosting (an import map), and an rtm-wasm/inline page. Each page runs both README quick
// starts as written and loads the bundled 1.06M-prefix table from a fetch Response; the test checks what
// they printed and how the .wasm was found. No bundler configuration beyond entry and output folder.
// Skips with a message when /usr/bin/chromium is absent, except in CI (.ci/run installs it). ~40 s.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild, transformSync } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { build as viteBuild, createServer as viteServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, chromiumPresent, serveStatic } from '../helpers/browser.js';
import { PROJECT_ROOT } from '../helpers/data.js';
import { QUICK_START_LINES, installPacked, writeQuickStarts } from '../helpers/packed.js';

const present = chromiumPresent('test/browser/pages');

const TABLE = join(PROJECT_ROOT, 'data/default/tier1-prefixes.txt.gz');
const TABLE_LINE = 'table 901899 160147 8.8.8.0/24';

/** The page's script: both quick starts, then the table through loadTable(fetch(...)); results in window.__rtm. */
const MAIN = `
const out: string[] = [];
const log = console.log;
console.log = (...a: unknown[]) => { out.push(a.map(String).join(' ')); log(...a); };
try {
  await import('./qs-idiomatic.ts');
  await import('./qs-win32.ts');
  const { Rtm } = await import('rtm-wasm');
  const { loadTable } = await import('rtm-wasm/load');
  const rtm = await Rtm.create();
  const s = await loadTable(rtm, await fetch(new URL('table.txt.gz', document.baseURI)));
  out.push(\`table \${s.records.ipv4} \${s.records.ipv6} \${rtm.ipv4.lookup('8.8.8.8')?.prefix}\`);
} catch (e) {
  out.push(\`error \${(e as Error)?.stack ?? e}\`);
}
(globalThis as { __rtm?: string[] }).__rtm = out;
`;

/** rtm-wasm/inline: no .wasm file at all; createSync on the page's main thread. */
const MAIN_INLINE = `
const out: string[] = [];
try {
  const { Rtm } = await import('rtm-wasm/inline');
  const { loadTable } = await import('rtm-wasm/load');
  const rtm = Rtm.createSync();
  const s = await loadTable(rtm, await fetch(new URL('table.txt.gz', document.baseURI)));
  out.push(\`table \${s.records.ipv4} \${s.records.ipv6} \${rtm.ipv4.lookup('8.8.8.8')?.prefix}\`);
} catch (e) {
  out.push(\`error \${(e as Error)?.stack ?? e}\`);
}
(globalThis as { __rtm?: string[] }).__rtm = out;
`;

const html = (script: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><script type="module" src="${script}"></script></body></html>\n`;

describe.skipIf(!present)('the packed package in Chromium', () => {
  let dir = '';
  let browser: Browser;
  const servers: { close(): unknown }[] = [];

  beforeAll(async () => {
    dir = installPacked('browser');
    writeQuickStarts(dir);
    writeFileSync(join(dir, 'main.ts'), MAIN);
    writeFileSync(join(dir, 'main-inline.ts'), MAIN_INLINE);
    mkdirSync(join(dir, 'public'));
    copyFileSync(TABLE, join(dir, 'public', 'table.txt.gz'));        // Vite serves and copies public/
    copyFileSync(TABLE, join(dir, 'table.txt.gz'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `url`, waits for window.__rtm; returns its lines and the responses (status, path). */
  async function open(url: string): Promise<{ lines: string[]; responses: string[] }> {
    const page = await browser.newPage();
    const responses: string[] = [], errors: string[] = [];
    page.on('response', (r) => responses.push(`${r.status()} ${new URL(r.url()).pathname}`));
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(url);
      await page.waitForFunction(() => (globalThis as { __rtm?: unknown }).__rtm !== undefined, null, { timeout: 45_000 })
        .catch((e: unknown) => { throw new Error(`${url}: ${String(e)}; page errors: ${errors.join('; ')}; responses: ${responses.join(', ')}`); });
      const lines = await page.evaluate(() => (globalThis as unknown as { __rtm: string[] }).__rtm);
      return { lines, responses };
    } finally {
      await page.close();
    }
  }

  const EXPECTED = [...QUICK_START_LINES, TABLE_LINE];

  it('esbuild (bundle, format esm): the .wasm beside the bundle is missing, the inlined copy takes over', async () => {
    const out = join(dir, 'esb');
    const r = await esbuild({ entryPoints: [join(dir, 'main.ts')], bundle: true, format: 'esm', outdir: out, logLevel: 'silent' });
    expect(r.errors).toEqual([]);
    writeFileSync(join(out, 'index.html'), html('./main.js'));
    copyFileSync(TABLE, join(out, 'table.txt.gz'));
    const s = await serveStatic(out);
    servers.push(s.server);
    const { lines, responses } = await open(s.url);
    expect(lines).toEqual(EXPECTED);
    expect(responses).toContain('404 /build/release.wasm');
  });

  it('Vite build, served with the wrong MIME type for .wasm (arrayBuffer() instantiation)', async () => {
    const outDir = join(dir, 'vite-dist');
    writeFileSync(join(dir, 'index.html'), html('./main.ts'));
    await viteBuild({ root: dir, configFile: false, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const s = await serveStatic(outDir, { wasmType: 'application/octet-stream' });
    servers.push(s.server);
    const { lines, responses } = await open(s.url);
    expect(lines).toEqual(EXPECTED);
    expect(responses.filter((x) => x.endsWith('.wasm'))).toEqual([expect.stringMatching(/^200 \/assets\/release-[\w-]+\.wasm$/)]);
    expect(responses.some((x) => x.includes('release-inline'))).toBe(false);     // the fallback chunk stays unloaded
  });

  it('Vite dev server', async () => {
    writeFileSync(join(dir, 'index.html'), html('./main.ts'));
    const server = await viteServer({ root: dir, configFile: false, logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: false }, cacheDir: join(dir, '.vite-cache') });
    servers.push(server);
    await server.listen();
    const { lines, responses } = await open(server.resolvedUrls!.local[0]);
    expect(lines).toEqual(EXPECTED);
    expect(responses).toContain('200 /node_modules/rtm-wasm/dist/build/release.wasm');
  });

  it('plain static hosting, no bundler (an import map to node_modules)', async () => {
    const js = (name: string) => transformSync(readFileSync(join(dir, `${name}.ts`), 'utf8'), { loader: 'ts', format: 'esm' }).code;
    for (const name of ['qs-idiomatic', 'qs-win32']) writeFileSync(join(dir, `${name}.js`), js(name));
    writeFileSync(join(dir, 'main.js'), js('main').replaceAll(".ts'", ".js'").replaceAll('.ts"', '.js"'));
    const map = { imports: {
      'rtm-wasm': '/node_modules/rtm-wasm/dist/src/index.js',
      'rtm-wasm/win32': '/node_modules/rtm-wasm/dist/src/win32/index.js',
      'rtm-wasm/load': '/node_modules/rtm-wasm/dist/src/load-entry.js',
      '@assemblyscript/loader': '/node_modules/@assemblyscript/loader/index.js',
    } };
    writeFileSync(join(dir, 'static.html'), html('./main.js', `<script type="importmap">${JSON.stringify(map)}</script>`));
    const s = await serveStatic(dir);
    servers.push(s.server);
    const { lines, responses } = await open(`${s.url}static.html`);
    expect(lines).toEqual(EXPECTED);
    expect(responses).toContain('200 /node_modules/rtm-wasm/dist/build/release.wasm');
    expect(responses.some((x) => x.includes('release-inline'))).toBe(false);
  });

  it('rtm-wasm/inline (esbuild): no .wasm request, Rtm.createSync on the main thread', async () => {
    const out = join(dir, 'esb-inline');
    await esbuild({ entryPoints: [join(dir, 'main-inline.ts')], bundle: true, format: 'esm', outdir: out, logLevel: 'silent' });
    writeFileSync(join(out, 'index.html'), html('./main-inline.js'));
    copyFileSync(TABLE, join(out, 'table.txt.gz'));
    const s = await serveStatic(out);
    servers.push(s.server);
    const { lines, responses } = await open(s.url);
    expect(lines).toEqual([TABLE_LINE]);
    expect(responses.some((x) => x.endsWith('.wasm'))).toBe(false);
  });
});
