// The bundled default table (data/default/tier1-prefixes.txt.gz: a public full BGP table, 1,062,046
// prefixes; see data/default/PROVENANCE.md), located relative to this module so that it resolves from
// src/readers/ (vitest) and from dist/src/readers/ (compiled) alike. Node only (through the host,
// src/host.ts): browsers fetch the file themselves and pass the Response. Allocates a few URLs; call once.

import { RtmError } from '../errors.js';
import { hostOrUndefined } from '../host.js';

/** Path of the default table inside the package. */
export const DEFAULT_TABLE_FILE = 'data/default/tier1-prefixes.txt.gz';

/**
 * Absolute path of the bundled default table: the first directory above this module that holds
 * data/default/tier1-prefixes.txt.gz. Node only.
 * @throws RtmError ERROR_FILE_NOT_FOUND when the package was installed without data/default;
 *   ERROR_NOT_SUPPORTED without Node (browsers: fetch the file and pass the Response to loadTable).
 */
export function defaultTablePath(): string {
  const host = hostOrUndefined();
  if (host === undefined) {
    throw new RtmError('ERROR_NOT_SUPPORTED', 'defaultTablePath', 'file paths need Node (browsers: fetch the table and pass the Response)');
  }
  // import.meta.url through a variable: bundlers rewrite `new URL('literal', import.meta.url)` as an asset
  const here = import.meta.url;
  let firstPackageDir: URL | undefined;
  for (let dir = new URL('./', here); ; dir = new URL('../', dir)) {
    const candidate = new URL(DEFAULT_TABLE_FILE, dir);
    if (host.exists(candidate)) return host.fileURLToPath(candidate);
    if (firstPackageDir === undefined && host.exists(new URL('package.json', dir))) firstPackageDir = dir;
    if (new URL('../', dir).href === dir.href) break;
  }
  throw new RtmError('ERROR_FILE_NOT_FOUND', 'defaultTablePath',
    `${host.fileURLToPath(new URL(DEFAULT_TABLE_FILE, firstPackageDir ?? new URL('./', here)))}: no such file`);
}
