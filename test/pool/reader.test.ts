// Table.publish and FibReader (API.md §6 "Lookups across cores"): a reader answers exactly as
// Table.lookupBatch (view 0) at the version published — on seeded random tables of both families (IPv4
// with and without the core's forwarding structure), after rounds of updates published incrementally
// into the same buffer, and on the real tier-1 IPv4 table (or the bundled default table). A snapshot
// keeps answering its last version while the table changes unpublished. Bad buffers and arguments are
// RtmError ERROR_INVALID_PARAMETER.
import { describe, expect, it } from 'vitest';
import { FibReader } from '../../src/fib/reader.js';
import { RtmError } from '../../src/errors.js';
import type { Family } from '../../src/address.js';
import { probes, randomPrefixes } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData, PROJECT_ROOT } from '../helpers/data.js';
import { loaded, updateRound, tableAnswers, firstDiff, expectAgrees } from './helpers.js';

describe.each([4, 6] as Family[])('FibReader (IPv%i)', (family) => {
  const cases = family === 4 ? [[1, true], [2, false]] as const : [[1, false], [2, false]] as const;
  it.each(cases)('agrees with Table.lookupBatch before and after published updates (seed %i, structure %s)', (seed, fib) => {
    const set = randomPrefixes(seed, family, family === 4 ? (fib ? 20_000 : 12_000) : 6_000);   // below 16,384: no structure
    const l = loaded(set, seed, fib);
    const table = family === 4 ? l.rtm.ipv4 : l.rtm.ipv6;
    if (family === 4) expect(l.rtm.core.x.tableHasFib(table.core.t)).toBe(fib ? 1 : 0);
    const snap = table.publish();
    expect(snap.family).toBe(family);
    expect(snap.version).toBe(1);
    const reader = FibReader.attach(snap.buffer);
    expect(reader.family).toBe(family);
    const keys = probes(seed, set, 30_003);   // not a multiple of 4: the reader's tail path too
    expectAgrees(l, reader, keys, `seed ${seed} v1`);
    let blockPublishes = 0;
    for (let round = 1; round <= 6; round++) {
      updateRound(l, seed * 100 + round, round === 3 ? 3_000 : 300);
      const before = tableAnswers(l, keys);
      const again = table.publish();
      expect(again, 'the same snapshot object').toBe(snap);
      expect(again.buffer).toBe(snap.buffer);
      expect(snap.version).toBe(round + 1);
      // IPv4 with a structure copies changed blocks (a full copy fills both generations after the first
      // publish and after a dirty list overflowed); IPv6 and small IPv4 tables rebuild their ranges
      const modes = family === 4 && fib ? ['full', 'blocks'] : ['ranges'];
      expect(modes, `round ${round}: ${snap.lastPublish.mode}`).toContain(snap.lastPublish.mode);
      if (snap.lastPublish.mode === 'blocks') blockPublishes++;
      expectAgrees(l, reader, keys, `seed ${seed} round ${round}`);
      // unpublished changes are not seen: the reader keeps the published version
      updateRound(l, seed * 100 + round + 50, 200);
      const got = new Int32Array(before.length);
      reader.lookupBatch(keys, got);
      const d = firstDiff(got, before);
      if (d >= 0) expect(got[d], `seed ${seed} round ${round}: probe ${d} after unpublished updates`).toBe(before[d]);
    }
    if (family === 4 && fib) expect(blockPublishes, 'incremental publishes').toBeGreaterThanOrEqual(3);
    // a reader attached later sees the latest version
    expectAgrees(l, FibReader.attach(table.publish().buffer), keys, `seed ${seed} late reader`);
    expect(table.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });
});

describe('FibReader on a real table', () => {
  it('agrees with Table.lookupBatch on the tier-1 IPv4 table (or the bundled default table) across published updates', async (ctx) => {
    const file = dataFile('tier1-ipv4.txt.gz');
    if (file === undefined) console.log(missingData('tier1-ipv4.txt.gz') + '; using data/default');
    const set = await readPrefixFile(file ?? `${PROJECT_ROOT}/data/default/tier1-prefixes.txt.gz`, 4, file === undefined);
    const l = loaded(set, 1);
    expect(l.rtm.core.x.tableHasFib(l.rtm.ipv4.core.t), 'a real table has the forwarding structure').toBe(1);
    const snap = l.rtm.ipv4.publish();
    const reader = FibReader.attach(snap.buffer);
    const keys = probes(3, set, 200_000);
    expectAgrees(l, reader, keys, 'tier-1 v1');
    for (let round = 1; round <= 4; round++) {
      updateRound(l, 700 + round, round === 1 ? 2_000 : 500);
      l.rtm.ipv4.publish();
      if (round > 2) expect(snap.lastPublish.mode, `round ${round}`).toBe('blocks');
      expectAgrees(l, reader, keys, `tier-1 round ${round}`);
    }
    // bytes per prefix of the snapshot: two generations of the 18-6-8 copy
    const perPrefix = snap.buffer.byteLength / set.count;
    expect(perPrefix).toBeLessThan(200);
    void ctx;
    l.rtm.close();
  });
});

describe('Table.publish across structure changes', () => {
  it('follows an IPv4 table whose forwarding structure is built and freed between publishes', () => {
    const set = randomPrefixes(8, 4, 3_000);
    const l = loaded(set, 8);
    const x = l.rtm.core.x, t = l.rtm.ipv4.core.t;
    const snap = l.rtm.ipv4.publish();
    const reader = FibReader.attach(snap.buffer);
    const keys = probes(8, set, 20_000);
    expect(snap.lastPublish.mode).toBe('ranges');
    expectAgrees(l, reader, keys, 'no structure');
    try {
      x.fibThreshold(l.rtm.ipv4.core.destCount + 100);   // the next 100 destinations build the structure
      const fresh = randomPrefixes(81, 4, 300);
      l.e.addRoutesBatch({ count: 300, keys: fresh.keys, lens: fresh.lens, nextHops: new Float64Array(300).fill(l.nh),
        views: new Uint8Array(300).fill(1) });
      expect(x.tableHasFib(t)).toBe(1);
      l.rtm.ipv4.publish();
      expect(snap.lastPublish.mode).toBe('full');
      expectAgrees(l, reader, keys, 'structure built');
      updateRound(l, 82, 200);
      l.rtm.ipv4.publish();
      expectAgrees(l, reader, keys, 'structure built, second generation');
      updateRound(l, 83, 200);
      l.rtm.ipv4.publish();
      expect(snap.lastPublish.mode).toBe('blocks');
      expectAgrees(l, reader, keys, 'structure kept in step');
      // withdraw most routes: below a quarter of the threshold the structure is freed
      const n = set.count;
      l.e.applyUpdates({ count: n, keys: set.keys, lens: set.lens, kinds: new Uint8Array(n).fill(1) });
      expect(x.tableHasFib(t)).toBe(0);
      l.rtm.ipv4.publish();
      expect(snap.lastPublish.mode).toBe('ranges');
      expectAgrees(l, reader, keys, 'structure freed');
    } finally {
      x.fibThreshold(0);
    }
    expect(l.rtm.ipv4.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });

  it('publishes more IPv4 tables than the core tracks (full copies beyond SNAP_WATCH_MAX), each correct', () => {
    const tables = Array.from({ length: 34 }, (_, i) => loaded(randomPrefixes(200 + i, 4, 300), 200 + i, true));
    const readers = tables.map((l) => FibReader.attach(l.rtm.ipv4.publish().buffer));
    for (let round = 0; round < 2; round++) {
      tables.forEach((l, i) => {
        updateRound(l, 300 + i * 10 + round, 50);
        l.rtm.ipv4.publish();
        expectAgrees(l, readers[i], probes(i, l.set, 3_000), `table ${i} round ${round}`);
      });
    }
    for (const l of tables) l.rtm.close();
  });
});

describe('FibReader errors', () => {
  it('rejects a buffer that is not a snapshot with ERROR_INVALID_PARAMETER', () => {
    for (const b of [new SharedArrayBuffer(256), new ArrayBuffer(256), undefined, 7]) {
      try { FibReader.attach(b as SharedArrayBuffer); expect.unreachable(); }
      catch (e) { expect(e).toBeInstanceOf(RtmError); expect((e as RtmError).code).toBe('ERROR_INVALID_PARAMETER'); }
    }
  });

  it('rejects bad lookup arguments with ERROR_INVALID_PARAMETER', () => {
    const l4 = loaded(randomPrefixes(5, 4, 100), 5);
    const r4 = FibReader.attach(l4.rtm.ipv4.publish().buffer);
    const l6 = loaded(randomPrefixes(5, 6, 100), 5);
    const r6 = FibReader.attach(l6.rtm.ipv6.publish().buffer);
    const bad: (() => unknown)[] = [
      () => r4.lookupId(-1), () => r4.lookupId(2 ** 32), () => r4.lookupId('10.0.0.1' as unknown as number),
      () => r6.lookupId(new Uint32Array(3)), () => r6.lookupId(new Uint32Array(4), 1), () => r6.lookupId(5),
      () => r4.lookupBatch(new Uint32Array(4), new Int32Array(3)), () => r4.lookupBatch([1] as unknown as Uint32Array, new Int32Array(1)),
    ];
    for (const f of bad) {
      try { f(); expect.unreachable(); }
      catch (e) { expect(e).toBeInstanceOf(RtmError); expect((e as RtmError).code).toBe('ERROR_INVALID_PARAMETER'); }
    }
    l4.rtm.close(); l6.rtm.close();
  });
});
