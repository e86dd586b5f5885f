// The C anchors of the benchmark (bench/anchor/: DIR-24-8 for IPv4, Patricia for IPv6) answer like the
// reference trie model (test/reference/trie-model.ts) on generated tables: random prefixes with
// duplicates and nested chains, addresses uniform, inside prefixes, and at the first and last address of
// every prefix. Answers are prefix indexes, the lowest among duplicates. Skipped when no C compiler.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAnchor, runAnchor, slotToIndex, disagreements } from '../../bench/anchor.js';
import { RefTrie, type RefDest } from '../reference/trie-model.js';
import { randomPrefixes, probes, type PrefixSet } from '../helpers/random.js';
import type { Family } from '../../src/address.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = mkdtempSync(join(tmpdir(), 'rtm-anchor-test-'));
const built = buildAnchor(ROOT, OUT);
if (!built.exe) console.warn(`test/bench/anchor: skipped — ${built.skipped}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Probe addresses: uniform and inside (helpers' probes), then the first and last address of every prefix. */
function addresses(set: PrefixSet, n: number): Uint32Array {
  const words = set.family === 4 ? 1 : 4;
  const mixed = probes(5, set, n);
  const out = new Uint32Array(mixed.length + 2 * set.count * words);
  out.set(mixed);
  let o = mixed.length;
  for (const last of [false, true]) {
    for (let i = 0; i < set.count; i++) {
      for (let w = 0; w < words; w++) {
        const keep = set.lens[i] - 32 * w;
        const m = keep >= 32 ? 0xffffffff : keep <= 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
        out[o++] = last ? (set.keys[i * 4 + w] | ~m) >>> 0 : set.keys[i * 4 + w];
      }
    }
  }
  return out;
}

function check(family: Family, set: PrefixSet, smallPages = false): void {
  const ref = new RefTrie(family);
  const first = new Map<RefDest, number>();
  for (let i = 0; i < set.count; i++) {
    const d = ref.insert(set.keys, i * 4, set.lens[i]);
    if (!first.has(d)) first.set(d, i);
  }
  const addrs = addresses(set, 20_000);
  const { json, answers } = runAnchor(built.exe!, family, set, [addrs], 0.01, smallPages);
  if (smallPages) expect(json.huge_pages, 'ANCHOR_SMALL_PAGES: the table is not advised onto huge pages').toBe(0);
  expect(json.structure).toBe(family === 4 ? 'DIR-24-8' : 'Patricia');
  expect([json.prefixes, json.unique]).toEqual([set.count, ref.size()]);
  const words = family === 4 ? 1 : 4, n = addrs.length / words;
  const want = new Int32Array(n);
  const k = new Uint32Array(4);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let w = 0; w < 4; w++) k[w] = w < words ? addrs[i * words + w] : 0;
    const d = ref.lpm(k, 0, family === 4 ? 32 : 128, 0);
    want[i] = d ? first.get(d)! : -1;
    if (d) hits++;
  }
  // compared with the benchmark's helper, here with "slots" that are the prefix indexes themselves
  const ids = Int32Array.from({ length: set.count }, (_, i) => i);
  const d = disagreements(answers[0], want, slotToIndex(ids, set.count), n);
  expect(d, `${family === 4 ? 'IPv4' : 'IPv6'}: answers differing from the reference model`).toEqual({ count: 0, first: [] });
  expect(json.workloads[0].hits).toBe(hits);
  expect(json.workloads[0].keys).toBe(n);
}

describe.skipIf(!built.exe)('C anchor', () => {
  it('DIR-24-8 answers like the reference trie model (IPv4)', () => {
    const set = randomPrefixes(41, 4, 6000);
    // a default route and prefixes around a /24 boundary, in both orders of insertion
    const extra: [number, number][] = [[0, 0], [0xc0000200, 24], [0xc0000280, 25], [0xc0000281, 32], [0xc00002ff, 32],
      [0xc0000300, 25], [0xffffffff, 32], [0xc0000200, 24]];
    const keys = new Uint32Array((set.count + extra.length) * 4), lens = new Uint8Array(set.count + extra.length);
    keys.set(set.keys.subarray(0, set.count * 4));
    lens.set(set.lens.subarray(0, set.count));
    extra.forEach(([a, l], i) => { keys[(set.count + i) * 4] = a; lens[set.count + i] = l; });
    check(4, { family: 4, keys, lens, count: set.count + extra.length });
    // the same on 4 KiB pages (the run the benchmark pairs with the huge-page one)
    check(4, { family: 4, keys, lens, count: set.count + extra.length }, true);
  });

  it('Patricia answers like the reference trie model (IPv6)', () => {
    check(6, randomPrefixes(43, 6, 6000));
  });

  it('an empty table answers no match', () => {
    for (const family of [4, 6] as const) {
      const addrs = new Uint32Array(family === 4 ? [1, 0xffffffff] : [0x20010db8, 0, 0, 1]);
      const { json, answers } = runAnchor(built.exe!, family, { keys: new Uint32Array(0), lens: new Uint8Array(0), count: 0 }, [addrs], 0.001);
      expect(json.unique).toBe(0);
      expect([...answers[0]]).toEqual(family === 4 ? [-1, -1] : [-1]);
    }
  });
});
