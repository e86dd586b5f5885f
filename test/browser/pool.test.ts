// Lookups across cores in a real browser (issue 11): a page built with esbuild from the packed tarball,
// served cross-origin isolated (COOP/COEP headers, so SharedArrayBuffer exists), fills an IPv4 and an IPv6
// table past the forwarding-structure threshold, publishes both, and answers seeded batches three ways —
// Table.lookupBatch, FibReader.attach(buffer) on the page and a LookupPool of two Web Workers — before and
// after a round of route changes and a second publish (which must copy blocks, not the whole structure).
// The page reports mismatch counts; the test wants none. Same skip rule as the other browser tests. ~20 s.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, chromiumPresent, serveStatic } from '../helpers/browser.js';
import { installPacked } from '../helpers/packed.js';

const present = chromiumPresent('test/browser/pool');

/** The page: everything it checked goes to window.__rtm as 'name value' lines. */
const MAIN = `
import { Rtm, FibReader, LookupPool } from 'rtm-wasm';
const out: string[] = [];
try {
  out.push(\`isolated \${globalThis.crossOriginIsolated}\`);
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const rtm = await Rtm.create();
  const N = 20000, KEYS = 1 << 16;
  const fams = [4, 6] as const;
  const ents = { 4: rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8 }),
    6: rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8 }) };
  const hops = { 4: [1, 2, 3].map((i) => ents[4].addNextHop({ address: \`192.0.2.\${i}\`, interfaceIndex: i }).handle!),
    6: [1, 2, 3].map((i) => ents[6].addNextHop({ address: \`2001:db8::\${i}\`, interfaceIndex: i }).handle!) };
  const prefixes: Record<number, string[]> = { 4: [], 6: [] };
  const words: Record<number, number[]> = { 4: [], 6: [] };   // IPv4: the address; IPv6: the first two words
  const handles: Record<number, number[]> = { 4: [], 6: [] };
  const seen = new Set<string>();
  const mask = (bits: number) => (bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : ~(0xffffffff >>> bits)) >>> 0;
  const hex = (w: number) => \`\${(w >>> 16).toString(16)}:\${(w & 0xffff).toString(16)}\`;
  for (const f of fams) {
    while (prefixes[f].length < N) {
      let text: string, w0: number, w1 = 0;
      if (f === 4) {
        const len = 16 + (rnd() % 9);
        w0 = (rnd() & mask(len)) >>> 0;
        text = \`\${w0 >>> 24}.\${(w0 >>> 16) & 255}.\${(w0 >>> 8) & 255}.\${w0 & 255}/\${len}\`;
      } else {
        const len = 32 + (rnd() % 33);
        w0 = (0x20000000 | (rnd() & 0x0fffffff)) >>> 0;
        w1 = (rnd() & mask(len - 32)) >>> 0;
        text = \`\${hex(w0)}:\${hex(w1)}::/\${len}\`;
      }
      if (seen.has(text)) continue;
      seen.add(text);
      const nh = hops[f][rnd() % 3];
      const r = ents[f].addRouteToDest({ dest: text, neighbour: nh, nextHops: [nh], metric: 1 });
      prefixes[f].push(text);
      words[f].push(w0, w1);
      handles[f].push(r.handle!);
    }
  }
  // seeded keys: half uniform, half inside the tables' prefixes (a random prefix, random host bits)
  const keys: Record<number, Uint32Array> = {
    4: new Uint32Array(new SharedArrayBuffer(4 * KEYS)), 6: new Uint32Array(new SharedArrayBuffer(16 * KEYS)) };
  for (let i = 0; i < KEYS; i++) {
    const p = 2 * (rnd() % N);
    keys[4][i] = i % 2 ? rnd() : (words[4][p] | (rnd() & 0xff)) >>> 0;
    for (let w = 0; w < 4; w++) keys[6][4 * i + w] = rnd();
    if (i % 2 === 0) { keys[6][4 * i] = words[6][p]; keys[6][4 * i + 1] = words[6][p + 1]; }
  }
  const pool = await LookupPool.create({ workers: 2 });
  out.push(\`workers \${pool.workers}\`);
  const snaps = { 4: rtm.ipv4.publish(), 6: rtm.ipv6.publish() };
  const readers = { 4: FibReader.attach(snaps[4].buffer), 6: FibReader.attach(snaps[6].buffer) };
  async function check(round: string): Promise<void> {
    for (const f of fams) {
      const table = f === 4 ? rtm.ipv4 : rtm.ipv6;
      const want = new Int32Array(KEYS), viaReader = new Int32Array(KEYS), viaPool = new Int32Array(new SharedArrayBuffer(4 * KEYS));
      const hits = table.lookupBatch(keys[f], want, 0);
      readers[f].lookupBatch(keys[f], viaReader);
      pool.attach(snaps[f]);
      const poolHits = await pool.lookupBatch(keys[f], viaPool);
      let badReader = 0, badPool = 0;
      for (let i = 0; i < KEYS; i++) { if (viaReader[i] !== want[i]) badReader++; if (viaPool[i] !== want[i]) badPool++; }
      out.push(\`\${round} ipv\${f} mode \${snaps[f].lastPublish.mode} hits \${hits > KEYS / 4} poolHits \${poolHits === hits} reader \${badReader} pool \${badPool}\`);
    }
  }
  await check('first');
  // a round of changes: delete a tenth of the routes, re-add half of those with another next hop
  for (const f of fams) {
    for (let i = 0; i < N; i += 10) ents[f].deleteRouteToDest(handles[f][i]);
    for (let i = 0; i < N; i += 20) {
      const nh = hops[f][(i / 20) % 3];
      ents[f].addRouteToDest({ dest: prefixes[f][i], neighbour: nh, nextHops: [nh], metric: 2 });
    }
    (f === 4 ? rtm.ipv4 : rtm.ipv6).publish();
  }
  // a generation catches up on the two intervals since it was written: the round above may make the next
  // publish a full copy (new structure pages); two small changes later the copy is incremental
  for (const f of fams) {
    for (const i of [1, 3]) {
      ents[f].deleteRouteToDest(handles[f][i]);
      (f === 4 ? rtm.ipv4 : rtm.ipv6).publish();
    }
  }
  await check('changed');
  await pool.close();
  rtm.close();
} catch (e) {
  out.push(\`error \${(e as Error)?.stack ?? e}\`);
}
(globalThis as { __rtm?: string[] }).__rtm = out;
`;

/** What makes a page cross-origin isolated (SharedArrayBuffer available). */
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

describe.skipIf(!present)('FibReader and LookupPool in Chromium (cross-origin isolated page)', () => {
  let dir = '';
  let browser: Browser;
  let server: Server | undefined;

  beforeAll(async () => {
    dir = installPacked('pool');
    writeFileSync(join(dir, 'main.ts'), MAIN);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the reader and two Web Workers answer as Table.lookupBatch, before and after changes and publish', async () => {
    const outDir = join(dir, 'esb');
    mkdirSync(outDir);
    const r = await esbuild({ entryPoints: [join(dir, 'main.ts')], bundle: true, format: 'esm', outdir: outDir, logLevel: 'silent' });
    expect(r.errors).toEqual([]);
    writeFileSync(join(outDir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module" src="./main.js"></script></body></html>\n');
    const s = await serveStatic(outDir, { headers: ISOLATED });
    server = s.server;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(s.url);
      await page.waitForFunction(() => (globalThis as { __rtm?: unknown }).__rtm !== undefined, null, { timeout: 90_000 })
        .catch((e: unknown) => { throw new Error(`${String(e)}; page errors: ${errors.join('; ')}`); });
      const lines = await page.evaluate(() => (globalThis as unknown as { __rtm: string[] }).__rtm);
      expect(lines).toEqual([
        'isolated true', 'workers 2',
        'first ipv4 mode full hits true poolHits true reader 0 pool 0',
        'first ipv6 mode full hits true poolHits true reader 0 pool 0',
        'changed ipv4 mode blocks hits true poolHits true reader 0 pool 0',
        'changed ipv6 mode blocks hits true poolHits true reader 0 pool 0',
      ]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
