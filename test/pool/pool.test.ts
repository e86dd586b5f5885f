// LookupPool (API.md §6 "Lookups across cores"): worker_threads answer a batch split across them exactly
// as Table.lookupBatch (view 0) does, for both families, with keys and results in ordinary or shared
// buffers, and see later publishes without attaching again; bad arguments are RtmError; a worker that
// crashes fails the call in flight with LookupPoolError and the pool stays usable; close() ends the
// workers and later calls throw ERROR_INVALID_HANDLE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { LookupPool, LookupPoolError } from '../../src/pool/pool.js';
import { workerSource } from '../../src/pool/worker.js';
import { RtmError } from '../../src/errors.js';
import type { Family } from '../../src/address.js';
import { probes, randomPrefixes } from '../helpers/random.js';
import { loaded, updateRound, tableAnswers, firstDiff } from './helpers.js';

let pool: LookupPool;
beforeAll(async () => { pool = await LookupPool.create({ workers: 2 }); });
afterAll(async () => { await pool.close(); });

function shared<T extends Uint32Array | Int32Array>(a: T): T {
  const C = a.constructor as new (b: SharedArrayBuffer, off: number, n: number) => T;
  const c = new C(new SharedArrayBuffer(a.length * 4 + 64), 64, a.length);   // a byte offset on purpose
  c.set(a as never);
  return c;
}

async function expectPoolAgrees(keys: Uint32Array, want: Int32Array, tag: string): Promise<void> {
  for (const sharedBuffers of [false, true]) {
    const k = sharedBuffers ? shared(keys) : keys;
    const out = sharedBuffers ? shared(new Int32Array(want.length)) : new Int32Array(want.length);
    const hits = await pool.lookupBatch(k, out);
    const d = firstDiff(out, want);
    if (d >= 0) expect(out[d], `${tag} (shared ${sharedBuffers}): probe ${d}`).toBe(want[d]);
    expect(hits).toBe(want.filter((x) => x >= 0).length);
  }
}

describe.each([4, 6] as Family[])('LookupPool (IPv%i)', (family) => {
  it('agrees with Table.lookupBatch, before and after a publish', async () => {
    const set = randomPrefixes(11, family, family === 4 ? 20_000 : 5_000);
    const l = loaded(set, 11, family === 4);
    const table = family === 4 ? l.rtm.ipv4 : l.rtm.ipv6;
    const snap = table.publish();
    pool.attach(snap);
    const keys = probes(12, set, 50_000);
    await expectPoolAgrees(keys, tableAnswers(l, keys), 'v1');
    updateRound(l, 13, 500);
    table.publish();
    await expectPoolAgrees(keys, tableAnswers(l, keys), 'v2');
    // a small batch is answered on the calling thread, with the same answers
    const few = keys.subarray(0, family === 4 ? 100 : 400);
    await expectPoolAgrees(few, tableAnswers(l, few), 'small batch');
    l.rtm.close();
  });
});

describe('the Web Worker source', () => {
  it('answers as the table when run with a Web Worker\'s `self` (emulated over worker_threads)', async () => {
    const set = randomPrefixes(15, 4, 20_000);
    const l = loaded(set, 15, true);
    const snap = l.rtm.ipv4.publish();
    const fakeSelf = "const { parentPort: __p } = require('node:worker_threads');\n" +
      'const self = { postMessage: (m) => __p.postMessage(m), set onmessage(f) { __p.on(\'message\', (d) => f({ data: d })); } };\n';
    const w = new Worker(fakeSelf + workerSource('web'), { eval: true });
    const replies: unknown[] = [];
    const next = () => new Promise<unknown>((res) => w.once('message', res));
    expect(await next()).toEqual({ ready: true });
    const keys = new Uint32Array(new SharedArrayBuffer(4 * 10_000)), out = new Int32Array(new SharedArrayBuffer(4 * 10_000));
    keys.set(probes(16, set, 10_000));
    w.postMessage({ op: 'attach', snap: 1, buffer: snap.buffer });
    w.postMessage({ op: 'batch', call: 7, snap: 1, keys: keys.buffer, kOff: 0, kLen: 10_000, out: out.buffer, oOff: 0, oLen: 10_000, from: 0, to: 10_000 });
    replies.push(await next());
    const want = tableAnswers(l, keys);
    expect(replies[0]).toEqual({ call: 7, hits: want.filter((x) => x >= 0).length });
    expect(firstDiff(out, want)).toBe(-1);
    w.postMessage({ op: 'batch', call: 8, snap: 2, keys: keys.buffer, kOff: 0, kLen: 10_000, out: out.buffer, oOff: 0, oLen: 10_000, from: 0, to: 10 });
    expect(await next()).toMatchObject({ call: 8, error: { code: 'ERROR_INVALID_PARAMETER' } });
    await w.terminate();
    l.rtm.close();
  });
});

describe('LookupPool errors', () => {
  it('rejects bad arguments with RtmError ERROR_INVALID_PARAMETER', async () => {
    const p = await LookupPool.create({ workers: 1 });
    await expect(p.lookupBatch(new Uint32Array(4), new Int32Array(4))).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    const l = loaded(randomPrefixes(3, 4, 200), 3);
    p.attach(l.rtm.ipv4.publish());
    await expect(p.lookupBatch(new Uint32Array(10), new Int32Array(9))).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await expect(p.lookupBatch([1, 2] as unknown as Uint32Array, new Int32Array(2))).rejects.toBeInstanceOf(RtmError);
    expect(() => p.attach(new SharedArrayBuffer(64))).toThrow(RtmError);
    await expect(LookupPool.create({ workers: 0 })).rejects.toMatchObject({ code: 'ERROR_INVALID_PARAMETER' });
    await p.close();
    l.rtm.close();
  });

  it('fails the call in flight when a worker crashes, then keeps working', async () => {
    const p = await LookupPool.create({ workers: 2 });
    const set = randomPrefixes(4, 4, 3_000);
    const l = loaded(set, 4);
    p.attach(l.rtm.ipv4.publish());
    const keys = probes(5, set, 1 << 20), out = new Int32Array(1 << 20);
    p.crashWorkerForTest(1);
    const call = p.lookupBatch(keys, out);
    await expect(call).rejects.toBeInstanceOf(LookupPoolError);
    // the replacement worker answers
    const want = tableAnswers(l, keys);
    const hits = await p.lookupBatch(keys, out);
    expect(firstDiff(out, want)).toBe(-1);
    expect(hits).toBe(want.filter((x) => x >= 0).length);
    await p.close();
    l.rtm.close();
  });

  it('close() ends the workers; later calls throw ERROR_INVALID_HANDLE', async () => {
    const p = await LookupPool.create({ workers: 2 });
    const set = randomPrefixes(6, 4, 1_000);
    const l = loaded(set, 6);
    p.attach(l.rtm.ipv4.publish());
    const keys = probes(7, set, 1 << 20);
    const inFlight = expect(p.lookupBatch(keys, new Int32Array(1 << 20))).rejects.toMatchObject({ code: 'ERROR_INVALID_HANDLE' });
    await p.close();
    await inFlight;
    await expect(p.lookupBatch(keys, new Int32Array(1 << 20))).rejects.toMatchObject({ code: 'ERROR_INVALID_HANDLE' });
    expect(() => p.attach(l.rtm.ipv4.publish())).toThrow(RtmError);
    await p.close();   // twice is fine
    l.rtm.close();
  });
});
