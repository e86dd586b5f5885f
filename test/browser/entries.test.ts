// The portable entries import no `node:` module (API.md §6): esbuild bundles each for the browser with no
// configuration, and the bundle's inputs hold no Node module and no file of src/node/. The inline entry
// carries the core; the main entry reaches it only through a lazy import (the fallback). Also runs the
// inline entry's createSync without a host. Bundles in memory (esbuild, ~1 s).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { swapHost } from '../../src/host.js';
import { resetCoreCache } from '../../src/port/core.js';

const ENTRIES = ['src/index.ts', 'src/win32/index.ts', 'src/load-entry.ts', 'src/inline.ts'];

describe('portable entries', () => {
  for (const entry of ENTRIES) {
    it(`${entry} bundles for the browser without node: modules`, async () => {
      const r = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false,
        metafile: true, logLevel: 'silent' });
      expect(r.errors).toEqual([]);
      const inputs = Object.keys(r.metafile.inputs);
      expect(inputs.filter((p) => p.startsWith('node:') || p.includes('src/node/'))).toEqual([]);
      const js = r.outputFiles[0].text;
      expect(js).not.toMatch(/from\s*["']node:/);
      expect(js).not.toMatch(/import\(\s*["']node:/);
    });
  }

  it('the main entry splits the inlined core off when the bundler splits (lazy fallback only)', async () => {
    const r = await build({ entryPoints: ['src/index.ts'], bundle: true, splitting: true, outdir: '/tmp/rtm-split',
      platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    const main = r.outputFiles.find((f) => f.path.endsWith('/index.js'))!;
    expect(main.text).not.toContain('wasmBase64 =');
    expect(main.text).toContain('new URL("../../build/release.wasm", import.meta.url)');
    expect(r.outputFiles.some((f) => f.text.includes('wasmBase64 ='))).toBe(true);
  });

  it('rtm-wasm/inline: createSync without a Node host, from the inlined bytes', async () => {
    const saved = swapHost(undefined);
    try {
      resetCoreCache();
      const { Rtm } = await import('../../src/inline.js');
      const rtm = Rtm.createSync({ build: 'release' });
      expect(rtm.core.build).toBe('release');
      const e = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 10006, instanceId: 1 });
      const { handle: nh } = e.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 });
      e.addRouteToDest({ dest: '2001:db8::/32', neighbour: nh, nextHops: [nh!] });
      expect(rtm.ipv6.lookup('2001:db8::77')?.prefix).toBe('2001:db8::/32');
      rtm.close();
    } finally {
      swapHost(saved);
    }
  });
});
