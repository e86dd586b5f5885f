// LookupPool: batch lookups from a forwarding snapshot split across worker threads (API.md §6 "Lookups
// across cores"): worker_threads in Node, Web Workers elsewhere, both started from the same source text
// (worker.ts). A batch is cut into one contiguous slice per worker; keys and results are read and written
// in place when they live in SharedArrayBuffers, else copied once into pooled shared staging buffers.
// A worker that dies fails the calls it was serving with LookupPoolError and is replaced (the pool stays
// usable); close() ends every worker. Allocates per call: one promise per worker, and staging growth.
import { RtmError } from '../errors.js';
import { FibReader } from '../fib/reader.js';
import type { FibSnapshot } from '../fib/publisher.js';
import { workerSource, type WorkerRequest } from './worker.js';

/** A worker of the pool failed (crashed or exited) while serving a call. */
export class LookupPoolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`rtm: LookupPool: ${message}`, options);
    this.name = 'LookupPoolError';
  }
}

/** Options of LookupPool.create. */
export interface LookupPoolOptions {
  /** Worker threads (default: the machine's available parallelism, at least 1). */
  workers?: number;
}

/** One thread, Node or browser, behind the same three calls. */
interface Thread {
  post(m: WorkerRequest): void;
  terminate(): Promise<unknown> | void;
  /** Node: keep the process alive while calls are in flight (an idle pool does not). */
  hold(on: boolean): void;
}
type Spawn = (onMessage: (m: Reply) => void, onFail: (why: Error) => void) => Thread;
type Reply = { ready: true } | { call: number; hits: number } | { call: number; error: { message: string; code?: string } };

interface Pending { resolve(hits: number): void; reject(e: Error): void }
interface Slot { thread: Thread; ready: Promise<void>; pending: Map<number, Pending>; dead: boolean }

/** Batches below this many addresses are answered on the calling thread (a round trip costs more). */
const INLINE_MAX = 2048;

async function spawner(): Promise<Spawn> {
  const g = globalThis as { Worker?: new (url: string) => WebWorkerLike; Blob?: typeof Blob; URL?: typeof URL };
  if (typeof g.Worker === 'function' && typeof g.Blob === 'function') {
    const url = URL.createObjectURL(new Blob([workerSource('web')], { type: 'text/javascript' }));
    return (onMessage, onFail) => {
      const w = new g.Worker!(url);
      w.onmessage = (e) => onMessage(e.data as Reply);
      w.onerror = (e) => { e.preventDefault?.(); onFail(new Error(e.message ?? 'worker error')); };
      return { post: (m) => w.postMessage(m), terminate: () => w.terminate(), hold: () => undefined };
    };
  }
  // a specifier bundlers do not resolve: browser bundles never reach this line and must not pull it in
  const workerThreads = ['node', 'worker_threads'].join(':');
  const { Worker } = (await import(/* @vite-ignore */ workerThreads)) as typeof import('node:worker_threads');
  const src = workerSource('node');
  return (onMessage, onFail) => {
    const w = new Worker(src, { eval: true });
    w.unref();
    w.on('message', onMessage);
    w.on('error', onFail);
    w.on('exit', (code) => onFail(new Error(`worker exited with code ${code}`)));
    return { post: (m) => w.postMessage(m), terminate: () => w.terminate(), hold: (on) => { if (on) w.ref(); else w.unref(); } };
  };
}
interface WebWorkerLike {
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string; preventDefault?: () => void }) => void) | null;
  postMessage(m: unknown): void;
  terminate(): void;
}

async function defaultWorkers(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === 'number') return Math.max(1, nav.hardwareConcurrency);
  try { const os = (await import(/* @vite-ignore */ ['node', 'os'].join(':'))) as typeof import('node:os'); return Math.max(1, os.availableParallelism?.() ?? os.cpus().length); }
  catch { return 2; }
}

/** Batch lookups across worker threads (API.md §6 "Lookups across cores"). */
export class LookupPool {
  private readonly spawn: Spawn;
  private readonly slots: Slot[] = [];
  private snapId = 0;
  private reader: FibReader | undefined;
  private calls = 0;
  private closed = false;
  private staging: { keys: SharedArrayBuffer; out: SharedArrayBuffer }[] = [];

  private constructor(spawn: Spawn, workers: number) {
    this.spawn = spawn;
    for (let i = 0; i < workers; i++) this.slots.push(this.start());
  }

  /**
   * Starts `workers` threads (worker_threads in Node, Web Workers in browsers) and resolves when all
   * are ready. Allocates the threads.
   * @throws RtmError ERROR_INVALID_PARAMETER (workers not a positive integer)
   */
  static async create(options: LookupPoolOptions = {}): Promise<LookupPool> {
    const n = options.workers ?? await defaultWorkers();
    if (!Number.isInteger(n) || n < 1 || n > 1024) {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'LookupPool.create', `workers must be an integer 1..1024, got ${String(n)}`);
    }
    const pool = new LookupPool(await spawner(), n);
    await Promise.all(pool.slots.map((s) => s.ready));
    return pool;
  }

  /** Worker threads. */
  get workers(): number { return this.slots.length; }

  private start(): Slot {
    let ready!: () => void, failed!: (e: Error) => void;
    const slot: Slot = {
      thread: undefined as unknown as Thread,
      ready: new Promise<void>((res, rej) => { ready = res; failed = rej; }),
      pending: new Map(), dead: false,
    };
    slot.ready.catch(() => undefined);
    slot.thread = this.spawn((m) => {
      if ('ready' in m) { ready(); return; }
      const p = slot.pending.get(m.call);
      if (p === undefined) return;
      slot.pending.delete(m.call);
      if (slot.pending.size === 0) slot.thread.hold(false);
      if ('error' in m) {
        const code = m.error.code;
        p.reject(code !== undefined && code.startsWith('ERROR_')
          ? new RtmError(code as 'ERROR_INVALID_PARAMETER', 'lookupBatch', m.error.message)
          : new LookupPoolError(m.error.message));
      } else p.resolve(m.hits);
    }, (why) => this.fail(slot, why, failed));
    if (this.reader !== undefined) slot.thread.post({ op: 'attach', snap: this.snapId, buffer: this.reader.buffer });
    return slot;
  }

  /** A worker died: its calls fail, and a new worker takes its place (unless the pool is closed). */
  private fail(slot: Slot, why: Error, failedStart: (e: Error) => void): void {
    if (slot.dead) return;
    slot.dead = true;
    failedStart(new LookupPoolError(`a worker failed to start: ${why.message}`, { cause: why }));
    for (const p of slot.pending.values()) p.reject(new LookupPoolError(`a worker failed: ${why.message}`, { cause: why }));
    slot.pending.clear();
    void slot.thread.terminate();
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.start();
  }

  /**
   * Answers later batches from `snapshot` (a FibSnapshot, or its buffer); later publishes of its table
   * are seen without attaching again. Replaces the snapshot attached before.
   * @throws RtmError ERROR_INVALID_PARAMETER (not a snapshot), ERROR_INVALID_HANDLE (pool closed)
   */
  attach(snapshot: FibSnapshot | SharedArrayBuffer): void {
    if (this.closed) throw new RtmError('ERROR_INVALID_HANDLE', 'LookupPool.attach', 'the pool is closed');
    const buffer = isShared(snapshot) ? snapshot : (snapshot as FibSnapshot | undefined)?.buffer;
    const reader = FibReader.attach(buffer as SharedArrayBuffer);
    for (const s of this.slots) s.thread.post({ op: 'detach', snap: this.snapId });
    this.snapId++;
    this.reader = reader;
    for (const s of this.slots) s.thread.post({ op: 'attach', snap: this.snapId, buffer: reader.buffer });
  }

  /**
   * Longest-prefix match of every address in `keys` (IPv4 one u32 each, IPv6 four words, MS first)
   * against the attached snapshot: writes destIds (or -1) to `out` and resolves to the hits — the
   * contract of Table.lookupBatch (view 0). Keys and out in SharedArrayBuffers are used in place.
   * @throws RtmError ERROR_INVALID_PARAMETER (argument types, out too short, no snapshot attached),
   *   ERROR_INVALID_HANDLE (pool closed); LookupPoolError when a worker fails during the call
   */
  async lookupBatch(keys: Uint32Array, out: Int32Array): Promise<number> {
    if (this.closed) throw new RtmError('ERROR_INVALID_HANDLE', 'lookupBatch', 'the pool is closed');
    const reader = this.reader;
    if (reader === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupBatch', 'no snapshot attached');
    if (!(keys instanceof Uint32Array) || !(out instanceof Int32Array)) {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupBatch', 'needs a Uint32Array of keys and an Int32Array out');
    }
    const words = reader.family === 4 ? 1 : 4;
    const n = Math.floor(keys.length / words);
    if (out.length < n) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupBatch', 'out is shorter than the number of keys');
    if (n <= INLINE_MAX) return reader.lookupRange(keys, out, 0, n);
    const sharedKeys = isShared(keys.buffer), sharedOut = isShared(out.buffer);
    const st = sharedKeys && sharedOut ? undefined : this.takeStaging(sharedKeys ? 0 : n * words * 4, sharedOut ? 0 : n * 4);
    const kBuf = sharedKeys ? keys.buffer as SharedArrayBuffer : st!.keys;
    const oBuf = sharedOut ? out.buffer as SharedArrayBuffer : st!.out;
    const kOff = sharedKeys ? keys.byteOffset : 0, oOff = sharedOut ? out.byteOffset : 0;
    if (!sharedKeys) new Uint32Array(kBuf, 0, n * words).set(keys.subarray(0, n * words));
    const parts: Promise<number>[] = [];
    const w = this.slots.length, per = Math.ceil(n / w);
    for (let i = 0; i < w; i++) {
      const from = i * per, to = Math.min(n, from + per);
      if (from >= to) break;
      parts.push(this.send(this.slots[i], {
        op: 'batch', call: 0, snap: this.snapId, keys: kBuf, kOff, kLen: n * words, out: oBuf, oOff, oLen: n, from, to,
      }));
    }
    const settled = await Promise.allSettled(parts);
    try {
      let hits = 0;
      for (const s of settled) {
        if (s.status === 'rejected') throw s.reason;
        hits += s.value;
      }
      if (!sharedOut) out.set(new Int32Array(oBuf, 0, n));
      return hits;
    } finally {
      if (st !== undefined) this.staging.push(st);
    }
  }

  private send(slot: Slot, m: Extract<WorkerRequest, { op: 'batch' }>): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (slot.dead) { reject(new LookupPoolError('a worker failed')); return; }
      m.call = ++this.calls;
      if (slot.pending.size === 0) slot.thread.hold(true);
      slot.pending.set(m.call, { resolve, reject });
      slot.thread.post(m);
    });
  }

  /** Shared staging buffers of at least the given bytes (pooled; one set per call in flight). */
  private takeStaging(keyBytes: number, outBytes: number): { keys: SharedArrayBuffer; out: SharedArrayBuffer } {
    let st = this.staging.pop();
    if (st === undefined || st.keys.byteLength < keyBytes || st.out.byteLength < outBytes) {
      st = { keys: new SharedArrayBuffer(Math.max(keyBytes, st?.keys.byteLength ?? 0, 4)),
        out: new SharedArrayBuffer(Math.max(outBytes, st?.out.byteLength ?? 0, 4)) };
    }
    return st;
  }

  /** Test hook: makes worker i throw an uncaught error (its calls in flight fail, it is replaced). */
  crashWorkerForTest(i: number): void { this.slots[i]?.thread.post({ op: 'crash' }); }

  /** Ends every worker; calls in flight fail with ERROR_INVALID_HANDLE, later calls throw it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ends: (Promise<unknown> | void)[] = [];
    for (const s of this.slots) {
      s.dead = true;
      for (const p of s.pending.values()) p.reject(new RtmError('ERROR_INVALID_HANDLE', 'lookupBatch', 'the pool was closed'));
      s.pending.clear();
      ends.push(s.thread.terminate());
    }
    this.staging = [];
    await Promise.all(ends);
  }
}

/** True for a SharedArrayBuffer (false where the global does not exist: pages that are not cross-origin isolated). */
function isShared(b: unknown): b is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
}
