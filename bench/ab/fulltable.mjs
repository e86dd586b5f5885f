// The A/B lookup scripts' common set-up (lookup.mjs, anchor.mjs): in a built tree (ROOT, `npm run build`
// done), the full tier-1 table of one family in a private release core (CoreTable.insertBatch, every
// destination live in the unicast view) and two address workloads of n addresses made by the tree's own
// AddressStream: uniform random, then inside announced prefixes. Data from the project's ../shared/data.
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

export async function fullTable(ROOT, family, n) {
  const { loadCoreSync } = await import(ROOT + '/dist/src/port/core.js');
  const { CoreTable } = await import(ROOT + '/dist/src/coretable.js');
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  const { AddressStream } = await import(ROOT + '/dist/src/cli/workload.js');
  const set = await readPrefixFile(DATA + (family === 4 ? 'tier1-ipv4.txt.gz' : 'tier1-ipv6.txt.gz'), family, true);
  const table = new CoreTable(loadCoreSync('release'), family);
  const destIds = new Int32Array(set.count);
  table.insertBatch(set.keys, set.lens, set.count, destIds, 0x201);
  const work = [false, true].map((inside) => new AddressStream(family, inside ? set : undefined).take(n));
  return { set, table, destIds, work };
}
