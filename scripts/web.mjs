#!/usr/bin/env node
// web: builds the looking-glass page (web/) and serves it on localhost. buildWeb() bundles web/main.ts
// with esbuild (the `rtm-wasm` imports resolve as a user's would: to the package beside the page, or to
// this package itself) and copies index.html, the package's release.wasm and its bundled table beside
// the bundle; serveDir() is a small static file server (127.0.0.1 only, GET/HEAD, Content-Length so the
// page can show progress). Plain Node plus esbuild (a devDependency).
// Usage: node scripts/web.mjs [--port N] [--out DIR] [--build-only]     (npm run web; default port 8080)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The bundled table the page loads: the one `npm start` loads (defaultTablePath()). */
export const TABLE_IN_PACKAGE = 'data/default/tier1-prefixes.txt.gz';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.png': 'image/png', '.css': 'text/css' };

/**
 * Builds the page from `webDir` (default web/) into `outDir` (emptied first): main.js (+ chunks),
 * index.html, release.wasm and table.txt.gz. Returns the package folder the build used.
 */
export async function buildWeb({ webDir = join(ROOT, 'web'), outDir = join(ROOT, 'build', 'web') } = {}) {
  const { build } = await import('esbuild');
  // the package as the page's folder resolves it (node_modules beside it, or this package by name)
  const pkgJson = createRequire(join(webDir, 'x.js')).resolve('rtm-wasm/package.json');
  const pkgDir = dirname(pkgJson);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const r = await build({ entryPoints: [join(webDir, 'main.ts')], bundle: true, format: 'esm', splitting: true,
    platform: 'browser', target: 'es2022', outdir: outDir, sourcemap: true, minify: true, logLevel: 'silent', absWorkingDir: webDir });
  if (r.errors.length) throw new Error(r.errors.map((e) => e.text).join('\n'));
  copyFileSync(join(webDir, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(pkgDir, 'dist', 'build', 'release.wasm'), join(outDir, 'release.wasm'));
  copyFileSync(join(pkgDir, TABLE_IN_PACKAGE), join(outDir, 'table.txt.gz'));
  return pkgDir;
}

/** Serves the files under `root` on 127.0.0.1:`port` (0 = any free port); resolves to { url, server }. */
export async function serveDir(root, { port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
    let pathname;
    try { pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    const path = resolve(base, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (path !== base && !path.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    stat(path).then(async (s) => {
      if (!s.isFile()) throw new Error('not a file');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': body.length,
        'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    }).catch(() => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'));
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  const a = server.address();
  return { url: `http://${host}:${typeof a === 'object' && a ? a.port : port}/`, server };
}

async function cli(argv) {
  let port = 8080, outDir = join(ROOT, 'build', 'web'), buildOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = Number(argv[++i]);
    else if (a === '--out') outDir = resolve(argv[++i]);
    else if (a === '--build-only') buildOnly = true;
    else throw new Error(`unknown argument '${a}' (usage: node scripts/web.mjs [--port N] [--out DIR] [--build-only])`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number`);
  await buildWeb({ outDir });
  console.log(`web: built the looking glass into ${outDir}`);
  if (buildOnly) return;
  const { url } = await serveDir(outDir, { port });
  console.log(`web: serving the looking glass at ${url} (localhost only; Ctrl-C stops)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).catch((e) => { console.error(`web: ${e?.message ?? e}`); process.exit(1); });
}
