// The package as a user gets it: `npm pack` of this tree (dist must be built: `npm test` builds first),
// unpacked into <dir>/node_modules/rtm-wasm with its dependencies copied from this repository's
// node_modules (no registry at test time). Also the README's two quick starts as TypeScript modules,
// each followed by a line that reports what it did. Costs one `npm pack` (~1 s) per call.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './data.js';

/** A temporary folder holding node_modules/rtm-wasm from the packed tarball. */
export function installPacked(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rtm-${prefix}-`));
  for (const f of ['dist/src/index.js', 'dist/src/node/index.js', 'dist/build/release.wasm', 'dist/build/release-inline.js']) {
    if (!existsSync(join(PROJECT_ROOT, f))) throw new Error(`${f} missing: run 'npm run build' first`);
  }
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  const tarball = join(dir, out.trim().split('\n').at(-1)!);
  const pkgDir = join(dir, 'node_modules', 'rtm-wasm');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    cpSync(join(PROJECT_ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), { recursive: true });
  }
  return dir;
}

/**
 * The first ```ts block after the README heading `heading`, as written. Throws when it is missing, so a
 * renamed heading fails the tests instead of skipping them.
 */
export function readmeBlock(heading: string): string {
  const text = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading '## ${heading}'`);
  const m = /\n```ts\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (!m) throw new Error(`README.md: no \`\`\`ts block after '## ${heading}'`);
  return m[1];
}

/** Expected report lines of the quick starts (see writeQuickStarts). */
export const QUICK_START_LINES = ['192.168.1.0/24 true', 'idiomatic done', 'win32 0 true'];

/**
 * Writes qs-idiomatic.ts and qs-win32.ts into `dir`: each README quick start as written, then one line
 * that reports its outcome (console.log). The idiomatic one logs '192.168.1.0/24 true' itself.
 */
export function writeQuickStarts(dir: string): void {
  writeFileSync(join(dir, 'qs-idiomatic.ts'), `${readmeBlock('Quick start (idiomatic layer)')}\n`
    + "console.log('idiomatic done');\nexport {};\n");
  writeFileSync(join(dir, 'qs-win32.ts'), `${readmeBlock('Quick start (Win32 layer)')}\n`
    + "console.log('win32', Status, NextHopHandle.value !== null);\nexport {};\n");
}
