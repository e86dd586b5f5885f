// The code a LookupPool worker runs, and its source text. A worker is started from text (no separate
// file to resolve, so bundlers and static hosting need nothing): the snapshot layout as a literal, the
// reader class from defineReader's own source (src/fib/reader.ts) and serveLookups below, after a
// two-line prelude that adapts worker_threads (Node) or a Web Worker (browsers) to one port.
// Messages: attach {op, snap, buffer} · batch {op, call, snap, keys, kOff, out, oOff, from, to} →
// {call, hits} or {call, error: {message, code}} · crash (test hook: an uncaught error).
import { defineReader } from '../fib/reader.js';
import { SNAPSHOT_LAYOUT } from '../fib/layout.js';

/** A message channel to the pool, the same in Node and browsers. */
export interface WorkerPort {
  post(message: unknown): void;
  on(handler: (message: WorkerRequest) => void): void;
}

export type WorkerRequest =
  | { op: 'attach'; snap: number; buffer: SharedArrayBuffer }
  | { op: 'detach'; snap: number }
  | { op: 'batch'; call: number; snap: number; keys: SharedArrayBuffer; kOff: number; kLen: number;
      out: SharedArrayBuffer; oOff: number; oLen: number; from: number; to: number }
  | { op: 'crash' };

/** Answers the pool's messages with readers of its snapshots. Self-contained (it runs from its source). */
export function serveLookups(Reader: ReturnType<typeof defineReader>, port: WorkerPort): void {
  const readers = new Map<number, InstanceType<typeof Reader>>();
  port.on((m) => {
    if (m.op === 'crash') throw new Error('lookup worker: crash requested');   // uncaught: the worker dies
    if (m.op === 'detach') { readers.delete(m.snap); return; }
    if (m.op === 'attach') {
      try { readers.set(m.snap, new Reader(m.buffer)); }
      catch { readers.delete(m.snap); }         // the pool validated it; a batch on it reports the error
      return;
    }
    try {
      const r = readers.get(m.snap);
      if (r === undefined) {
        const e = new Error('rtm: lookupBatch: ERROR_INVALID_PARAMETER (no such snapshot in this worker)') as Error & { code: string };
        e.code = 'ERROR_INVALID_PARAMETER';
        throw e;
      }
      const keys = new Uint32Array(m.keys, m.kOff, m.kLen), out = new Int32Array(m.out, m.oOff, m.oLen);
      port.post({ call: m.call, hits: r.lookupRange(keys, out, m.from, m.to) });
    } catch (e) {
      const err = e as { message?: string; code?: string };
      port.post({ call: m.call, error: { message: String(err?.message ?? e), code: err?.code } });
    }
  });
  port.post({ ready: true });
}

/** Source text of a worker for Node's worker_threads (`eval: true`) or a Web Worker (a Blob URL). */
export function workerSource(env: 'node' | 'web'): string {
  const prelude = env === 'node'
    ? "const { parentPort } = require('node:worker_threads');\n" +
      'const port = { post: (m) => parentPort.postMessage(m), on: (f) => parentPort.on(\'message\', f) };\n'
    : 'const port = { post: (m) => self.postMessage(m), on: (f) => { self.onmessage = (e) => f(e.data); } };\n';
  return `'use strict';\n${prelude}` +
    'const fail = (code, op, detail) => { const e = new Error(`rtm: ${op}: ${code} (${detail})`); e.code = code; throw e; };\n' +
    `const Reader = (${String(defineReader)})(${JSON.stringify(SNAPSHOT_LAYOUT)}, fail);\n` +
    `(${String(serveLookups)})(Reader, port);\n`;
}
