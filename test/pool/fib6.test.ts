// Table.publish of IPv6 tables with the core's forwarding structure (assembly/fib6.ts): the first publish
// of each generation copies the structure's pages, later ones only the 1 KiB blocks the core marked dirty
// (PublishInfo mode 'blocks', far fewer bytes than a full copy); FibReader walks the copy and answers
// exactly as Table.lookupBatch (view 0) at the version published — on the real tier-1 IPv6 table
// (../shared/data; skipped when absent) and on seeded tables, across update rounds, across the structure
// being built and freed between publishes (ranges again), and when the core's structure is dropped.
import { describe, expect, it } from 'vitest';
import { FibReader } from '../../src/fib/reader.js';
import type { FibSnapshot } from '../../src/fib/publisher.js';
import { probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { dataFile, missingData } from '../helpers/data.js';
import { loaded, updateRound, tableAnswers, firstDiff, expectAgrees, Flaps, type Loaded } from './helpers.js';

/** Probes of every prefix of the set (an address inside each, random host bits) and random ones. */
function allPrefixProbes(set: PrefixSet, seed: number): Uint32Array {
  const inside = probes(seed, set, set.count * 2);
  return inside;
}

/**
 * Publishes after rounds of `sizes[i]` flaps of the set's own prefixes (after the second publish, which
 * fills generation 0 whole); checks answers, the copy mode and that bytes copied stay far below a full copy.
 */
function rounds(l: Loaded, snap: FibSnapshot, reader: FibReader, keys: Uint32Array, seed: number, sizes: number[], tag: string): void {
  const t = l.rtm.ipv6, flaps = new Flaps(l, seed);
  flaps.round(50);
  t.publish();
  expect(snap.lastPublish.mode, `${tag}: second publish`).toBe('full');
  const full = snap.lastPublish.bytes;
  expectAgrees(l, reader, keys, `${tag} second publish`);
  let prev = 50;
  sizes.forEach((n, i) => {
    flaps.round(n);
    const v = snap.version;
    t.publish();
    expect(snap.version).toBe(v + 1);
    expect(snap.lastPublish.mode, `${tag}: round ${i} (${n} updates)`).toBe('blocks');
    // blocks marked in the last two intervals (prev + n updates): a few per update, far below a full copy
    const bytes = snap.lastPublish.bytes;
    console.log(`${tag}: ${n} flaps: ${bytes} bytes copied (${snap.lastPublish.units} blocks), full copy ${full}`);
    expect(bytes, `${tag}: round ${i}: bytes copied`).toBeLessThanOrEqual((prev + n) * 8 * 1024);
    if (prev + n <= 200) expect(bytes, `${tag}: round ${i}: bytes copied vs a full copy (${full})`).toBeLessThan(full / 10);
    prev = n;
    expectAgrees(l, reader, keys, `${tag} round ${i}`);
  });
}

describe('IPv6 publish of the forwarding structure', () => {
  it('the real tier-1 IPv6 table: the reader equals Table.lookupBatch before and after published updates', async (ctx) => {
    const file = dataFile('tier1-ipv6.txt.gz');
    if (file === undefined) { console.log(missingData('tier1-ipv6.txt.gz')); ctx.skip(); return; }
    const set = await readPrefixFile(file, 6);
    const l = loaded(set, 6);
    const x = l.rtm.core.x, t = l.rtm.ipv6;
    expect(x.tableHasFib6(t.core.t, 0), 'a real IPv6 table has the forwarding structure').toBe(1);
    const snap = t.publish();
    expect(snap.lastPublish.mode).toBe('full');
    const reader = FibReader.attach(snap.buffer);
    const keys = probes(6, set, 200_001);
    expectAgrees(l, reader, keys, 'tier-1 IPv6 v1');
    rounds(l, snap, reader, keys, 60, [1, 1, 10, 100, 1_000, 10], 'tier-1 IPv6');
    // random new prefixes, withdrawals and view changes (short covering prefixes among them repaint much)
    for (let i = 0; i < 3; i++) {
      updateRound(l, 90 + i, 300);
      t.publish();
      expect(['blocks', 'full']).toContain(snap.lastPublish.mode);
      expectAgrees(l, reader, keys, `tier-1 IPv6 random round ${i}`);
    }
    expect(snap.buffer.byteLength / set.count, 'snapshot bytes per prefix').toBeLessThan(120);
    expect(t.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });

  it('a seeded table above the threshold: every prefix probed, across rounds of updates', () => {
    const set = randomPrefixes(61, 6, 20_000);
    const l = loaded(set, 61);
    expect(l.rtm.core.x.tableHasFib6(l.rtm.ipv6.core.t, 0)).toBe(1);
    const snap = l.rtm.ipv6.publish();
    const reader = FibReader.attach(snap.buffer);
    const keys = allPrefixProbes(set, 62);
    expectAgrees(l, reader, keys, 'seed 61 v1');
    rounds(l, snap, reader, keys, 63, [5, 300, 2_000, 20], 'seed 61');
    for (let i = 0; i < 3; i++) {
      updateRound(l, 65 + i, [20, 2_000, 200][i]);
      l.rtm.ipv6.publish();
      expectAgrees(l, reader, keys, `seed 61 random round ${i}`);
    }
    // unpublished changes are not seen
    const before = tableAnswers(l, keys);
    updateRound(l, 64, 500);
    const got = new Int32Array(before.length);
    reader.lookupBatch(keys, got);
    const d = firstDiff(got, before);
    if (d >= 0) expect(got[d], `probe ${d} after unpublished updates`).toBe(before[d]);
    expectAgrees(l, FibReader.attach(l.rtm.ipv6.publish().buffer), keys, 'late reader');
    expect(l.rtm.ipv6.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });

  it('follows the structure being built and freed between publishes (ranges, full, blocks, ranges)', () => {
    const set = randomPrefixes(71, 6, 3_000);
    const l = loaded(set, 71);
    const x = l.rtm.core.x, t = l.rtm.ipv6;
    const snap = t.publish();
    const reader = FibReader.attach(snap.buffer);
    const keys = allPrefixProbes(set, 72);
    expect(snap.lastPublish.mode).toBe('ranges');
    expectAgrees(l, reader, keys, 'no structure');
    try {
      x.fib6Threshold(t.core.destCount + 100);   // the next 100 destinations build the structure
      const fresh = randomPrefixes(73, 6, 300);
      l.e.addRoutesBatch({ count: 300, keys: fresh.keys, lens: fresh.lens, nextHops: new Float64Array(300).fill(l.nh),
        views: new Uint8Array(300).fill(1) });
      expect(x.tableHasFib6(t.core.t, 0)).toBe(1);
      t.publish();
      expect(snap.lastPublish.mode).toBe('full');
      expectAgrees(l, reader, keys, 'structure built');
      updateRound(l, 74, 200);
      t.publish();
      expectAgrees(l, reader, keys, 'structure built, second generation');
      updateRound(l, 75, 200);
      t.publish();
      expect(snap.lastPublish.mode).toBe('blocks');
      expectAgrees(l, reader, keys, 'structure kept in step');
      // freed and built again at once (same level-1 block): both generations are copied whole again
      const n = set.count;
      l.e.applyUpdates({ count: n, keys: set.keys, lens: set.lens, kinds: new Uint8Array(n).fill(1) });
      expect(x.tableHasFib6(t.core.t, 0)).toBe(0);
      t.publish();
      expect(snap.lastPublish.mode).toBe('ranges');
      expectAgrees(l, reader, keys, 'structure freed');
      x.fib6Threshold(t.core.destCount + 10);
      l.e.addRoutesBatch({ count: n, keys: set.keys, lens: set.lens, nextHops: new Float64Array(n).fill(l.nh),
        views: new Uint8Array(n).fill(1) });
      expect(x.tableHasFib6(t.core.t, 0)).toBe(1);
      t.publish();
      expect(snap.lastPublish.mode).toBe('full');
      expectAgrees(l, reader, keys, 'structure built again');
      updateRound(l, 76, 100);
      t.publish();
      expect(snap.lastPublish.mode).toBe('full');
      updateRound(l, 77, 100);
      t.publish();
      expect(snap.lastPublish.mode).toBe('blocks');
      expectAgrees(l, reader, keys, 'built again, kept in step');
    } finally {
      x.fib6Threshold(0);
    }
    expect(t.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });

  it('falls back to ranges when the core drops its structure for lack of memory', () => {
    const set = randomPrefixes(81, 6, 17_000);
    const l = loaded(set, 81);
    const x = l.rtm.core.x, t = l.rtm.ipv6;
    expect(x.tableHasFib6(t.core.t, 0)).toBe(1);
    const snap = t.publish();
    const reader = FibReader.attach(snap.buffer);
    const keys = allPrefixProbes(set, 82);
    t.publish();
    updateRound(l, 83, 100);
    t.publish();
    expect(snap.lastPublish.mode).toBe('blocks');
    try {
      x.fib6FailAfter(3);                        // the third node allocation fails: the structure is dropped
      updateRound(l, 84, 2_000);
    } finally {
      x.fib6FailAfter(0);
    }
    expect(x.tableHasFib6(t.core.t, 0)).toBe(0);
    t.publish();
    expect(snap.lastPublish.mode).toBe('ranges');
    expectAgrees(l, reader, keys, 'structure dropped');
    expect(t.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });
});
