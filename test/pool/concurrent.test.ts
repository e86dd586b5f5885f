// Publishing while workers read (API.md §6: "a lookup answers from one version, old or new"): the writer
// replays the LINX IPv4 update trace (../shared/data; a seeded update stream when absent) in steps,
// publishing after each, while a LookupPool keeps answering batches of probe addresses; every answer of
// a batch must be the writer's answer at one of the versions published between the batch's start and
// its end. The same for an IPv6 table whose ranges are rebuilt at each publish, and for the tier-1 IPv6
// table (a seeded one above the threshold when ../shared/data is absent), whose forwarding structure is
// copied by changed blocks: flaps of its own prefixes and rounds of random updates between publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupPool } from '../../src/pool/pool.js';
import { openUpdates } from '../../src/readers/index.js';
import type { FibSnapshot } from '../../src/fib/publisher.js';
import { mulberry32, probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';
import { dataFile, missingData } from '../helpers/data.js';
import { readPrefixFile } from '../helpers/prefixfile.js';
import { loaded, updateRound, tableAnswers, Flaps, type Loaded } from './helpers.js';

let pool: LookupPool;
beforeAll(async () => { pool = await LookupPool.create({ workers: 2 }); });
afterAll(async () => { await pool.close(); });

interface Trace { keys: Uint32Array; lens: Uint8Array; announce: Uint8Array; count: number }

async function linxTrace(path: string): Promise<Trace> {
  const keys: number[] = [], lens: number[] = [], announce: number[] = [];
  for await (const b of await openUpdates(path)) {
    for (let i = 0; i < b.count; i++) {
      for (let w = 0; w < 4; w++) keys.push(b.keys[i * 4 + w]);
      lens.push(b.lens[i]); announce.push(b.announce[i]);
    }
  }
  return { keys: Uint32Array.from(keys), lens: Uint8Array.from(lens), announce: Uint8Array.from(announce), count: lens.length };
}

/** `step` trace events as one applyUpdates call (announce = add/update, withdraw = delete). */
function applyTrace(l: Loaded, tr: Trace, from: number, to: number): void {
  const n = to - from;
  const kinds = new Uint8Array(n);
  for (let i = 0; i < n; i++) kinds[i] = tr.announce[from + i] ? 0 : 1;
  l.e.applyUpdates({ count: n, keys: tr.keys.subarray(from * 4, to * 4), lens: tr.lens.subarray(from, to), kinds,
    nextHops: new Float64Array(n).fill(l.nh) });
}

/** Probes: half inside the trace's prefixes (their answers change), half from the base table. */
function probeSet(set: PrefixSet, tr: Trace | undefined, n: number): Uint32Array {
  const base = probes(21, set, n);
  if (tr === undefined) return base;
  const inTrace = probes(22, { family: set.family, keys: tr.keys, lens: tr.lens, count: tr.count }, n);
  const words = set.family === 4 ? 1 : 4, out = new Uint32Array(n * words);
  for (let i = 0; i < n; i++) out.set((i & 1 ? inTrace : base).subarray(i * words, i * words + words), i * words);
  return out;
}

/**
 * Runs the writer (`steps` calls of `step`, each followed by a publish) against continuous pool batches
 * of the probes repeated `repeat` times; checks every answer. Returns [batches, batches spanning ≥ 2 versions].
 */
async function race(l: Loaded, snap: FibSnapshot, publish: () => void, step: (i: number) => boolean,
  probesWords: Uint32Array, repeat: number): Promise<[number, number]> {
  const words = l.set.family === 4 ? 1 : 4, P = probesWords.length / words;
  const keys = new Uint32Array(new SharedArrayBuffer(P * repeat * words * 4));
  for (let r = 0; r < repeat; r++) keys.set(probesWords, r * P * words);
  const out = new Int32Array(new SharedArrayBuffer(P * repeat * 4));
  const expected = new Map<number, Int32Array>([[snap.version, tableAnswers(l, probesWords)]]);
  let more = true, stepNo = 0, batches = 0, spanning = 0;
  while (more) {
    const v0 = snap.version;
    const call = pool.lookupBatch(keys, out);          // the workers start now
    for (let k = 0; k < 3 && more; k++) {               // the writer goes on meanwhile
      more = step(stepNo++);
      publish();
      expected.set(snap.version, tableAnswers(l, probesWords));
    }
    await call;
    const v1 = snap.version;
    batches++;
    if (v1 > v0) spanning++;
    for (let i = 0; i < out.length; i++) {
      const j = i % P, a = out[i];
      let ok = false;
      for (let v = v0; v <= v1 && !ok; v++) ok = expected.get(v)![j] === a;
      if (!ok) {
        const seen = [];
        for (let v = v0; v <= v1; v++) seen.push(`v${v}: ${expected.get(v)![j]}`);
        expect.fail(`batch ${batches}, answer ${i} (probe ${j}) = ${a}, not the writer's answer at any version ${v0}..${v1} (${seen.join(', ')})`);
      }
    }
  }
  return [batches, spanning];
}

describe('publish while a pool reads', () => {
  it('IPv4: every answer is the writer\'s at a version the reader could have seen (LINX trace)', async () => {
    const path = dataFile('linx-update-ipv4.20141217.txt.gz');
    if (path === undefined) console.log(missingData('linx-update-ipv4.20141217.txt.gz') + '; replaying a seeded update stream');
    const tr = path === undefined ? undefined : await linxTrace(path);
    const set = randomPrefixes(31, 4, 30_000);
    const l = loaded(set, 31);
    expect(l.rtm.core.x.tableHasFib(l.rtm.ipv4.core.t)).toBe(1);
    const snap = l.rtm.ipv4.publish();
    pool.attach(snap);
    const STEP = 200, steps = tr === undefined ? 60 : Math.ceil(tr.count / STEP);
    const step = (i: number): boolean => {
      if (tr === undefined) updateRound(l, 1000 + i, STEP);
      else applyTrace(l, tr, i * STEP, Math.min(tr.count, (i + 1) * STEP));
      return i + 1 < steps;
    };
    const [batches, spanning] = await race(l, snap, () => l.rtm.ipv4.publish(), step, probeSet(set, tr, 4096), 48);
    expect(snap.version).toBe(steps + 1);
    expect(spanning).toBe(batches);
    expect(l.rtm.ipv4.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });

  it('IPv6: the same with ranges rebuilt at each publish', async () => {
    const set = randomPrefixes(41, 6, 5_000);
    const l = loaded(set, 41);
    const snap = l.rtm.ipv6.publish();
    pool.attach(snap);
    const rnd = mulberry32(5);
    const steps = 30;
    const step = (i: number): boolean => { updateRound(l, 2000 + i, 50 + (rnd() % 100)); return i + 1 < steps; };
    const [batches, spanning] = await race(l, snap, () => l.rtm.ipv6.publish(), step, probeSet(set, undefined, 2048), 16);
    expect(spanning).toBe(batches);
    l.rtm.close();
  });

  it('IPv6 with the forwarding structure: the same with changed blocks copied at each publish', async () => {
    const file = dataFile('tier1-ipv6.txt.gz');
    if (file === undefined) console.log(missingData('tier1-ipv6.txt.gz') + '; using 20,000 seeded IPv6 prefixes');
    const set = file === undefined ? randomPrefixes(51, 6, 20_000) : await readPrefixFile(file, 6);
    const l = loaded(set, 51);
    expect(l.rtm.core.x.tableHasFib6(l.rtm.ipv6.core.t, 0)).toBe(1);
    const snap = l.rtm.ipv6.publish();
    pool.attach(snap);
    const flaps = new Flaps(l, 52), rnd = mulberry32(53);
    const steps = 45, modes = new Map<string, number>();
    const step = (i: number): boolean => {
      if (i % 5 === 4) updateRound(l, 3000 + i, 100);
      else flaps.round(1 + (rnd() % 200));
      return i + 1 < steps;
    };
    const publish = (): void => {
      l.rtm.ipv6.publish();
      modes.set(snap.lastPublish.mode, (modes.get(snap.lastPublish.mode) ?? 0) + 1);
    };
    const [batches, spanning] = await race(l, snap, publish, step, probeSet(set, undefined, 4096), 48);
    expect(snap.version).toBe(steps + 1);
    expect(spanning).toBe(batches);
    expect(modes.get('blocks') ?? 0, `publish modes ${JSON.stringify([...modes])}`).toBeGreaterThan(steps / 2);
    expect(l.rtm.ipv6.core.checkInvariants()).toBe(0);
    l.rtm.close();
  });
});
