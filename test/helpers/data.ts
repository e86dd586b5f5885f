// Locates the real routing tables in ../shared/data (beside the project root). Tests and benchmarks that
// need them call dataFile(); when the folder or file is absent it returns undefined and the caller skips
// with the message from missingData().
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA = process.env.RTM_SHARED_DATA ?? resolve(PROJECT_ROOT, '../shared/data');

/** Absolute path of a file under ../shared/data (e.g. 'tier1-ipv4.txt.gz', 'mrt/…'), or undefined. */
export function dataFile(name: string): string | undefined {
  const p = resolve(SHARED_DATA, name);
  return existsSync(p) ? p : undefined;
}

/** The skip message for a missing data file. */
export function missingData(name: string): string {
  return `skipped: ${name} not found under ${SHARED_DATA} (real tables live in ../shared/data)`;
}
