// The bundled default table (data/default/tier1-prefixes.txt.gz: a public full BGP table, 1,062,046
// prefixes; see data/default/PROVENANCE.md), located relative to this module so that it resolves from
// src/readers/ (vitest) and from dist/src/readers/ (compiled) alike. Touches the file system, allocates
// a few path strings; call it once.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RtmError } from '../errors.js';

/** Path of the default table inside the package. */
export const DEFAULT_TABLE_FILE = join('data', 'default', 'tier1-prefixes.txt.gz');

/**
 * Absolute path of the bundled default table: the first directory above this module that holds
 * data/default/tier1-prefixes.txt.gz.
 * @throws RtmError ERROR_FILE_NOT_FOUND when the package was installed without data/default.
 */
export function defaultTablePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let firstPackageDir: string | undefined;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, DEFAULT_TABLE_FILE);
    if (existsSync(candidate)) return candidate;
    if (firstPackageDir === undefined && existsSync(join(dir, 'package.json'))) firstPackageDir = dir;
    if (dirname(dir) === dir) break;
  }
  throw new RtmError('ERROR_FILE_NOT_FOUND', 'defaultTablePath',
    `${join(firstPackageDir ?? here, DEFAULT_TABLE_FILE)}: no such file`);
}
