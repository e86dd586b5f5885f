// Chromium for the browser tests: where it is (RTM_CHROMIUM, default Debian's /usr/bin/chromium), the
// launch arguments the machine notes ask for (headless, no sandbox as root, nothing beyond localhost),
// and the skip rule — a missing browser skips the suite with a message, except in CI, where .ci/run
// installs it and its absence fails. Also the static server the pages are loaded from. Shared by
// test/browser/*.test.ts; no browser download (playwright-core).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

export const CHROMIUM = process.env.RTM_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * True when Chromium is installed. When it is not: throws in CI (`CI` set), else warns with `suite`'s
 * name and returns false (the caller skips with describe.skipIf).
 */
export function chromiumPresent(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `${suite}: ${CHROMIUM} not installed (apt-get install chromium): browser tests skipped`;
  if (process.env.CI) throw new Error(`${msg} — CI must install it (.ci/run)`);
  console.warn(msg);
  return false;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.json': 'application/json' };

/**
 * A static file server on localhost for `root` (a folder's index.html for its path); `wasmType` overrides
 * the .wasm MIME type, `headers` go on every file served (e.g. COOP/COEP for a cross-origin isolated page).
 */
export async function serveStatic(root: string, options: { wasmType?: string; headers?: Record<string, string> } = {}):
  Promise<{ url: string; server: Server }> {
  const wasmType = options.wasmType ?? 'application/wasm';
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const path = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!path.startsWith(root)) { res.writeHead(403).end(); return; }
    readFile(path).then((body) => {
      const ext = extname(path);
      res.writeHead(200, { ...options.headers, 'content-type': ext === '.wasm' ? wasmType : TYPES[ext] ?? 'application/octet-stream' })
        .end(body);
    }, () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`, server };
}
