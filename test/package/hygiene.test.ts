// What the tarball carries (issue 10 item 6): LICENSE and the bundled data's licence note, repository /
// homepage / bugs, the release core only (no debug wasm, no .wat), every source map with its sources,
// and the two package linters clean: publint, and @arethetypeswrong/cli with the esm-only profile.
// Packs with npm (dist must be built: `npm test` builds first). ~15 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { publint } from 'publint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/data.js';

interface PackEntry { path: string }
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: PROJECT_ROOT, encoding: 'utf8' })) as
  { files: PackEntry[] }[];
const files = new Set(packed[0].files.map((f) => f.path));
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('the tarball', () => {
  it('has the MIT LICENSE and the bundled table with its licence note', () => {
    expect(pkg.license).toBe('MIT');
    for (const f of ['LICENSE', 'README.md', 'data/default/LICENSE', 'data/default/PROVENANCE.md', 'data/default/tier1-prefixes.txt.gz']) {
      expect(files.has(f), f).toBe(true);
    }
    expect(readFileSync(join(PROJECT_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(readFileSync(join(PROJECT_ROOT, 'LICENSE'), 'utf8')).toContain('data/default/LICENSE');
    expect(readFileSync(join(PROJECT_ROOT, 'data/default/LICENSE'), 'utf8')).toContain('gaissmai/bart');
  });

  it('names repository, homepage and bugs', () => {
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\//) });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs).toMatchObject({ url: expect.stringMatching(/^https:\/\//) });
  });

  it('carries the release core and its inlined copy, no debug build', () => {
    expect([...files].filter((f) => /\.(wasm|wat)$/.test(f))).toEqual(['dist/build/release.wasm']);
    expect(files.has('dist/build/release-inline.js')).toBe(true);
    expect([...files].some((f) => f.includes('debug'))).toBe(false);
  });

  it('has no orphan source map: each map beside its .js, each source it names shipped', () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const m of maps) {
      expect(files.has(m.slice(0, -4)), `${m} without its .js`).toBe(true);
      const map = JSON.parse(readFileSync(join(PROJECT_ROOT, m), 'utf8')) as { sources: string[] };
      for (const s of map.sources) expect(files.has(normalize(join(dirname(m), s))), `${m} → ${s}`).toBe(true);
    }
    for (const js of [...files].filter((f) => f.endsWith('.js') && f.startsWith('dist/'))) {
      const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(PROJECT_ROOT, js), 'utf8'));
      if (ref) expect(files.has(normalize(join(dirname(js), ref[1]))), `${js} → ${ref[1]}`).toBe(true);
    }
  });

  it('publint finds nothing', async () => {
    const { messages } = await publint({ pkgDir: PROJECT_ROOT, pack: 'npm', level: 'suggestion' });
    expect(messages).toEqual([]);
  });

  it('@arethetypeswrong/cli (esm-only profile) finds nothing', () => {
    const r = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'json'],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const { analysis } = JSON.parse(r.stdout) as { analysis: { problems: { kind: string; resolutionKind?: string }[] } };
    // the esm-only profile ignores CommonJS consumers (node10, node16 from CJS): nothing else may show up
    expect(analysis.problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')).toEqual([]);
  });
});
