// The oldest Node that package.json `engines` claims (20.0.0, before process.getBuiltinModule): the packed
// package's README quick starts, Rtm.createSync and W.initializeSync, loading the bundled table by path,
// and the `rtm` CLI, run by that Node (test/node-min: the npm registry's `node` package, installed by
// .ci/run, which exports its path as RTM_NODE_MIN). Skips with a message when it is not installed, except
// in CI, where it must be. ~10 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/data.js';
import { QUICK_START_LINES, installPacked, writeQuickStarts } from '../helpers/packed.js';

// RTM_NODE_MIN: where .ci/run installed it (the README check's fresh clone reuses that one)
const NODE_MIN = process.env.RTM_NODE_MIN ?? join(PROJECT_ROOT, 'test/node-min/node_modules/node/bin/node');
const present = existsSync(NODE_MIN);
const engines = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

if (!present) {
  const msg = `test/node/minimum: ${NODE_MIN} not installed (npm ci --prefix test/node-min): skipped`;
  if (process.env.CI) throw new Error(`${msg} — CI must install it (.ci/run)`);
  console.warn(msg);
}

describe.skipIf(!present)(`the oldest Node engines claims (${engines})`, () => {
  let dir = '';
  const run = (file: string, args: string[] = []) =>
    spawnSync(NODE_MIN, [file, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, RTM_WASM: '' }, timeout: 120_000 });

  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  beforeAll(() => {
    dir = installPacked('node-min');
    writeQuickStarts(dir);
    for (const name of ['qs-idiomatic', 'qs-win32']) {
      const ts = readFileSync(join(dir, `${name}.ts`), 'utf8');
      writeFileSync(join(dir, `${name}.mjs`), transformSync(ts, { loader: 'ts', format: 'esm' }).code);
    }
  });

  it('is the version engines names', () => {
    expect(execFileSync(NODE_MIN, ['--version'], { encoding: 'utf8' }).trim()).toBe('v20.0.0');
    expect(engines).toBe('>=20');
  });

  it('runs both README quick starts from the packed package', () => {
    const a = run('qs-idiomatic.mjs'), b = run('qs-win32.mjs');
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([...a.stdout.trim().split('\n'), ...b.stdout.trim().split('\n')]).toEqual(QUICK_START_LINES);
  });

  it('createSync, initializeSync and a table loaded by path (no process.getBuiltinModule)', () => {
    writeFileSync(join(dir, 'sync.mjs'), `
      import { Rtm, VirtualClock } from 'rtm-wasm';
      import * as W from 'rtm-wasm/win32';
      import { loadTable, defaultTablePath } from 'rtm-wasm/load';
      const rtm = Rtm.createSync({ clock: new VirtualClock() });
      W.initializeSync();
      const s = await loadTable(rtm, defaultTablePath());
      console.log(typeof process.getBuiltinModule, JSON.stringify(s.records), rtm.ipv4.lookup('8.8.8.8')?.prefix);
    `);
    const r = run('sync.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('undefined {"ipv4":901899,"ipv6":160147} 8.8.8.0/24');
  });

  it('runs the rtm CLI', () => {
    const r = run(join(dir, 'node_modules/rtm-wasm/bin/rtm.js'), ['lookup', '--json', '8.8.8.8', '2001:4860:4860::8888']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: { address: string; match: { prefix: string } | null }[] };
    expect(doc.results.map((x) => [x.address, x.match?.prefix])).toEqual([['8.8.8.8', '8.8.8.0/24'], ['2001:4860:4860::8888', '2001:4860::/32']]);
  });
});
