// The looking-glass page (web/, issue 10) in Chromium: built by scripts/web.mjs from the packed tarball
// (its `rtm-wasm` imports resolve to node_modules/rtm-wasm of the tarball), served by the script's own
// static server, driven by playwright-core. Checks the progress bar and load line, a typed address and a
// typed prefix against a naive reading of the same prefix list (every prefix scanned: best = longest
// covering, less-specific chain, more-specifics and direct children), the histogram, and route edits
// with the change notifications they cause. Skips when Chromium is absent, except in CI. ~30 s.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, chromiumPresent } from '../helpers/browser.js';
import { PROJECT_ROOT } from '../helpers/data.js';
import { PAD } from '../../web/chart.js';
import { installPacked } from '../helpers/packed.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import type { PrefixSet } from '../helpers/random.js';
import { naive } from '../web/naive.js';
// @ts-expect-error: a plain .mjs script without declarations
import { buildWeb, serveDir, TABLE_IN_PACKAGE } from '../../scripts/web.mjs';

const present = chromiumPresent('test/browser/looking-glass');
const TABLE = join(PROJECT_ROOT, TABLE_IN_PACKAGE as string);

describe('the looking-glass sources', () => {
  it('type-check (esbuild does not): npm run typecheck:web', () => {
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(PROJECT_ROOT, 'web/tsconfig.json')],
      { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: 'pipe' });
  });
});

describe.skipIf(!present)('the looking-glass page in Chromium', () => {
  let dir = '', url = '';
  let server: Server | undefined;
  let browser: Browser;
  let page: Page;
  let v4: PrefixSet, v6: PrefixSet;
  const errors: string[] = [];

  const progress: number[] = [];
  beforeAll(async () => {
    dir = installPacked('web');
    mkdirSync(join(dir, 'web'));
    cpSync(join(PROJECT_ROOT, 'web'), join(dir, 'web'), { recursive: true });
    const pkgDir = await buildWeb({ webDir: join(dir, 'web'), outDir: join(dir, 'out') });
    expect(pkgDir).toBe(join(dir, 'node_modules', 'rtm-wasm'));
    const s = await serveDir(join(dir, 'out'));
    server = s.server;
    url = s.url;
    v4 = await readPrefixFile(TABLE, 4, true);
    v6 = await readPrefixFile(TABLE, 6, true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    // the progress bar's values while the table loads
    await page.exposeFunction('__progress', (v: number) => progress.push(v));
    await page.addInitScript(() => {
      new MutationObserver(() => {
        const p = document.getElementById('progress') as HTMLProgressElement | null;
        if (p) (globalThis as unknown as { __progress(v: number): void }).__progress(p.value);
      }).observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    await page.goto(url);
    await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 90_000 });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = (sel: string) => page.locator(sel).innerText();
  const chipsOf = (sel: string) => page.locator(`${sel} a[data-prefix]`).evaluateAll((as) => as.map((a) => (a as HTMLElement).dataset.prefix!));
  async function ask(q: string): Promise<void> {
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
    await page.waitForSelector(`#answer[data-query="${q}"]`);
  }

  it('loads the bundled table with a progress bar', async () => {
    expect(await page.getAttribute('body', 'data-state'), `${await text('#load-text')} ${errors.join('; ')}`).toBe('ready');
    expect(await text('#load-text')).toMatch(/^Loaded 1,062,046 prefixes in [\d.]+ s: IPv4 901,899 destinations, IPv6 160,147 destinations/);
    expect(await page.locator('#progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(1);
    expect(progress.some((v) => v > 0 && v < 1)).toBe(true);              // the bar moved while loading
    expect(errors).toEqual([]);
  });

  it('an address: the best route per view, the routes, the less-specific chain', async () => {
    await ask('8.8.8.8');
    const want = naive(v4, '8.8.8.8/32');
    expect(await text('#best-unicast')).toContain(want.covering[0]);
    expect(await text('#best-unicast')).toContain('static (protocol 10006, instance 0), preference 0, metric 0');
    expect(await text('#best-multicast')).toContain('no route');
    expect(await page.locator('#routes tr').count()).toBe(2);               // header + the one route
    expect(await chipsOf('#less')).toEqual(want.covering.slice(1));
    expect(await chipsOf('#children')).toEqual([]);
    // IPv6 too (a resolver's address)
    await ask('2001:4860:4860::8888');
    const want6 = naive(v6, '2001:4860:4860::8888/128');
    expect(await chipsOf('#best-unicast')).toEqual([want6.covering[0]]);
    expect(await chipsOf('#less')).toEqual(want6.covering.slice(1));
  });

  it('a prefix: its destination, its chain, its more-specific children', async () => {
    for (const [set, q] of [[v4, '8.0.0.0/9'], [v4, '1.0.0.0/8'], [v6, '2001:4860::/32']] as const) {
      await ask(q);
      const want = naive(set, q);
      const exact = want.covering[0] === q;
      if (exact) expect(await text('#best-unicast')).toContain(q);
      else expect(await text('#best-unicast')).toContain('no route');
      expect(await chipsOf('#less')).toEqual(exact ? want.covering.slice(1) : want.covering);
      expect(want.children.length).toBeGreaterThan(0);
      expect(await chipsOf('#children')).toEqual(want.children.slice(0, 256));
      expect(want.children.length).toBeGreaterThan(1);
      expect(await text('#answer')).toContain(`${want.children.length.toLocaleString('en-US')} direct children of ${q}`);
      expect(await text('#answer')).toContain(`${want.moreSpecifics.toLocaleString('en-US')} destinations in all`);
    }
    await ask('not-an-address');
    expect(await text('#answer')).toContain('ERROR_INVALID_PARAMETER');
  });

  it('draws the prefix-length histogram', async () => {
    const painted = await page.locator('#chart').evaluate((c) => {
      const cv = c as HTMLCanvasElement, d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0x1c && d[i + 1] === 0x7e && d[i + 2] === 0xd6) blue++;
      return blue;
    });
    expect(painted).toBeGreaterThan(500);
    expect(await text('#chart-caption')).toBe('IPv4: 901,899 prefixes; point at a bar for its count');
    // point at the /24 bar: its count is the list's
    const box = (await page.locator('#chart').boundingBox())!;
    const n24 = Array.from(v4.lens.subarray(0, v4.count)).filter((l) => l === 24).length;
    await page.locator('#chart').hover({ position: { x: PAD.left + ((24.5 / 33) * (box.width - PAD.left - PAD.right)), y: box.height / 2 } });
    expect(await text('#chart-caption')).toContain(`IPv4 /24: ${n24.toLocaleString('en-US')} prefixes`);
    await page.check('input[name=fam][value="6"]');
    expect(await text('#chart-caption')).toBe('IPv6: 160,147 prefixes; point at a bar for its count');
  });

  it('adding and withdrawing routes shows the change notifications and moves the answer', async () => {
    await ask('8.8.8.8');
    const chain = naive(v4, '8.8.8.8/32').covering;
    await page.fill('#e-prefix', '8.8.8.0/25');
    await page.fill('#e-nexthop', '192.0.2.1');
    await page.fill('#e-metric', '7');
    await page.click('#add');
    await page.waitForSelector('#changes li[data-prefix="8.8.8.0/25"]');
    expect(await text('#edit-result')).toMatch(/^added 8\.8\.8\.0\/25/);
    expect(await text('#changes li[data-prefix="8.8.8.0/25"]')).toContain('unicast: looking-glass (protocol 3, instance 1), preference 0, metric 7, via 192.0.2.1');
    await page.waitForFunction(() => document.getElementById('best-unicast')?.textContent?.includes('8.8.8.0/25'));
    expect(await chipsOf('#less')).toEqual(chain);                           // the /24 is now less specific
    if (process.env.RTM_WEB_SCREENSHOT) {                                    // the README's picture (docs/looking-glass.png)
      await ask(chain[0]);
      await page.check('input[name=fam][value="4"]');
      await page.setViewportSize({ width: 1100, height: 600 });
      await page.screenshot({ path: process.env.RTM_WEB_SCREENSHOT, fullPage: true });
      await ask('8.8.8.8');
    }

    await page.click('#withdraw');
    await page.waitForFunction(() => document.querySelectorAll('#changes li[data-prefix="8.8.8.0/25"]').length === 2);
    expect(await text('#changes li[data-prefix="8.8.8.0/25"] >> nth=0')).toContain('unicast: no route');
    await page.waitForFunction((p) => document.getElementById('best-unicast')?.textContent?.includes(p), chain[0]);

    // withdrawing a route of the loaded table: its destination goes, the next less specific answers
    await page.fill('#e-prefix', chain[0]);
    await page.click('#withdraw');
    expect(await text('#edit-result')).toContain(`withdrew the route of static (protocol 10006, instance 0) to ${chain[0]}`);
    await page.waitForSelector(`#changes li[data-prefix="${chain[0]}"]`);
    await page.waitForFunction((p) => document.getElementById('best-unicast')?.textContent?.includes(p), chain[1]);
    await page.click('#withdraw');
    expect(await text('#edit-result')).toContain(`no route to ${chain[0]}`);
    expect(errors).toEqual([]);
  });
});
