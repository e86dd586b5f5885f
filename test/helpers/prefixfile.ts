// Reads a gzip'd prefix list (one prefix per line, as in ../shared/data/tier1-*.txt.gz) into a
// PrefixSet for tests; file order is kept (the workload conventions number prefixes by it).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { Family, parsePrefixInto } from '../../src/address.js';
import type { PrefixSet } from './random.js';

/** With `filter`, lines of the other family are skipped (for files holding both families). */
export async function readPrefixFile(file: string, family: Family, filter = false): Promise<PrefixSet> {
  let keys = new Uint32Array(4 * 1024 * 1024), lens = new Uint8Array(1024 * 1024), count = 0;
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    if (filter && text.includes(':') !== (family === 6)) continue;
    if (count === lens.length) {
      const k2 = new Uint32Array(keys.length * 2); k2.set(keys); keys = k2;
      const l2 = new Uint8Array(lens.length * 2); l2.set(lens); lens = l2;
    }
    const len = parsePrefixInto(text.split(/\s+/)[0], family, keys, count * 4);
    if (len < 0) throw new Error(`${file}: bad prefix ${text}`);
    lens[count++] = len;
  }
  return { family, keys, lens, count };
}
