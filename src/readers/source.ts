// Byte streaming for the readers. Opens a path ('-' = stdin), a Uint8Array/Buffer or an (async) iterable of
// chunks; detects gzip by its magic (1f 8b) and inflates with zlib while streaming; hands out decompressed
// chunks one at a time, with push-back for format sniffing. Memory is bounded by the read size
// (READ_CHUNK_BYTES) and zlib's output chunk (INFLATE_CHUNK_BYTES); no input is ever held whole.
// bytesRead counts raw (compressed) bytes, to set against totalBytes (the file size) for progress.

import { createReadStream, fstatSync, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { RtmError } from '../errors.js';
import { TableFormatError, openError } from './errors.js';

/** What a reader reads: a file path ('-' = stdin), bytes, or chunks (e.g. a Node Readable). */
export type TableInput = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export const READ_CHUNK_BYTES = 256 * 1024;
export const INFLATE_CHUNK_BYTES = 64 * 1024;

/** The decompressed byte stream of one input. Not reusable; close() releases the file. */
export class ByteSource {
  /** Raw (compressed) bytes consumed so far. */
  bytesRead = 0;
  /** True when the input is gzip. */
  gzip = false;
  private it: AsyncIterator<Uint8Array> | undefined;
  private readonly back: Uint8Array[] = [];
  private done = false;
  private readonly streams: { destroy(): void }[] = [];

  constructor(readonly op: string, readonly name: string, readonly totalBytes: number | undefined) {}

  /** The next non-empty decompressed chunk, or undefined at the end. */
  async next(): Promise<Uint8Array | undefined> {
    if (this.back.length > 0) return this.back.pop();
    while (!this.done && this.it !== undefined) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await this.it.next();
      } catch (err) {
        throw this.streamError(err);
      }
      if (r.done) break;
      if (r.value.length > 0) return r.value;
    }
    this.done = true;
    return undefined;
  }

  /** Pushes a chunk back; next() returns it first (last pushed, first returned). */
  unshift(chunk: Uint8Array): void {
    this.back.push(chunk);
  }

  /** Stops reading and releases file handles and zlib state. Idempotent. */
  async close(): Promise<void> {
    this.done = true;
    this.back.length = 0;
    for (const s of this.streams) s.destroy();
    this.streams.length = 0;
    const it = this.it;
    this.it = undefined;
    if (it?.return !== undefined) {
      try { await it.return(); } catch { /* already failed; nothing to release */ }
    }
  }

  /** @internal Wires the raw chunk iterator, peeking at the first two bytes for the gzip magic. */
  async attach(raw: AsyncIterator<Uint8Array>, own: { destroy(): void } | undefined): Promise<void> {
    if (own !== undefined) this.streams.push(own);
    let head: Uint8Array = new Uint8Array(0);
    let ended = false;
    while (head.length < 2) {
      let r: IteratorResult<Uint8Array>;
      try { r = await raw.next(); } catch (err) { throw this.streamError(err); }
      if (r.done) { ended = true; break; }
      this.bytesRead += r.value.length;
      head = head.length === 0 ? r.value : concat(head, r.value);
    }
    const self = this;
    async function* rest(): AsyncGenerator<Uint8Array> {
      if (head.length > 0) yield head;
      if (ended) return;
      let finished = false;
      try {
        for (;;) {
          const r = await raw.next();
          if (r.done) { finished = true; return; }
          self.bytesRead += r.value.length;
          yield r.value;
        }
      } finally {
        if (!finished) await raw.return?.();
      }
    }
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      this.gzip = true;
      const gunzip: Gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
      const feed = Readable.from(rest(), { objectMode: false });
      this.streams.push(gunzip, feed);
      pipeline(feed, gunzip, () => { /* errors surface through the gunzip iterator */ });
      this.it = gunzip[Symbol.asyncIterator]();
    } else {
      this.it = rest();
    }
  }

  private streamError(err: unknown): unknown {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      return new TableFormatError(this.op, this.name, `corrupt gzip data (${(err as Error).message})`, {}, { cause: err });
    }
    return openError(err, this.op, this.name);
  }
}

/**
 * Opens `input` for streaming. `name` overrides the name used in messages ('<stdin>'/'<bytes>'/'<stream>'
 * by default for non-path inputs). `readBytes` sets the raw read size (and how bytes inputs are sliced).
 * @throws RtmError ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER (a directory).
 */
export async function openSource(input: TableInput, op: string, name?: string,
  readBytes = READ_CHUNK_BYTES): Promise<ByteSource> {
  if (typeof input === 'string') {
    if (input === '-') {
      let size: number | undefined;
      try {
        const st = fstatSync(0);
        if (st.isFile()) size = st.size;
      } catch { /* no stdin descriptor: size unknown */ }
      const src = new ByteSource(op, name ?? '<stdin>', size);
      await src.attach(process.stdin[Symbol.asyncIterator](), undefined);
      return src;
    }
    let size: number;
    try {
      const st = await stat(input);
      if (st.isDirectory()) throw new RtmError('ERROR_INVALID_PARAMETER', op, `${input}: is a directory`);
      size = st.size;
    } catch (err) {
      throw openError(err, op, input);
    }
    const src = new ByteSource(op, name ?? input, size);
    const stream: ReadStream = createReadStream(input, { highWaterMark: readBytes });
    await src.attach(stream[Symbol.asyncIterator](), stream);
    return src;
  }
  if (input instanceof Uint8Array) {
    const src = new ByteSource(op, name ?? '<bytes>', input.length);
    await src.attach(slices(input, readBytes), undefined);
    return src;
  }
  if (input !== null && typeof input === 'object' && (Symbol.asyncIterator in input || Symbol.iterator in input)) {
    const src = new ByteSource(op, name ?? '<stream>', undefined);
    const it = Symbol.asyncIterator in input
      ? (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : toAsync((input as Iterable<Uint8Array>)[Symbol.iterator]());
    await src.attach(checked(it, op, src.name), undefined);
    return src;
  }
  throw new RtmError('ERROR_INVALID_PARAMETER', op, 'input must be a path, a Uint8Array or an iterable of Uint8Array');
}

async function* slices(bytes: Uint8Array, sliceBytes: number): AsyncGenerator<Uint8Array> {
  for (let p = 0; p < bytes.length; p += sliceBytes) yield bytes.subarray(p, Math.min(bytes.length, p + sliceBytes));
}

async function* toAsync(it: Iterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (;;) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Rejects chunks that are not bytes (a string chunk from a text-mode stream, say). */
function checked(it: AsyncIterator<unknown>, op: string, name: string): AsyncIterator<Uint8Array> {
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      const r = await it.next();
      if (!r.done && !(r.value instanceof Uint8Array)) {
        throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name}: chunks must be Uint8Array, got ${typeof r.value}`);
      }
      return r as IteratorResult<Uint8Array>;
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The bytes as a one-byte-per-char string (ASCII/Latin-1); no UTF-8 decoding cost. */
export function latin1(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
}
