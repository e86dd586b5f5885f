// The API reference (issue 10 item 5): `npm run docs` builds it with TypeDoc from typedoc.json (entries
// rtm-wasm, rtm-wasm/win32, rtm-wasm/load; internals excluded) and that configuration treats every
// warning as an error: a broken {@link}, a public signature naming a type the reference leaves out, an
// undocumented export. Here the same run writes into a temporary folder and must print no warning.
// Reads the sources (not dist: tsconfig.docs.json, src/ only); ~30-100 s (one TypeScript program).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/data.js';

describe('npm run docs (TypeDoc)', () => {
  const out = mkdtempSync(join(tmpdir(), 'rtm-docs-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('builds the API reference with warnings as errors, and prints none', { timeout: 600_000 }, () => {
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'typedoc.json'), 'utf8')) as Record<string, unknown>;
    expect(config.treatWarningsAsErrors).toBe(true);
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.docs).toBe('typedoc');
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } });
    const log = r.stdout + r.stderr;
    expect(log).not.toMatch(/\[(warning|error)\]/);
    expect(r.status, log).toBe(0);
    for (const page of ['index.html', 'modules/rtm-wasm.html', 'modules/rtm-wasm_win32.html', 'modules/rtm-wasm_load.html', 'classes/rtm-wasm.Rtm.html', 'classes/rtm-wasm.Entity.html']) {
      expect(existsSync(join(out, page)), page).toBe(true);
    }
  });
});
