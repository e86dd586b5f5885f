// Byte streaming for the readers, portable: bytes, ArrayBuffer, Blob, Response, ReadableStream<Uint8Array>,
// (async) iterables of chunks, and in Node (through the host, src/host.ts) paths and '-' for stdin. Detects
// gzip by its magic (1f 8b) and inflates while streaming: zlib in Node, DecompressionStream elsewhere.
// Hands out decompressed chunks one at a time, with push-back for format sniffing. Memory is bounded by the
// read size (READ_CHUNK_BYTES) and the inflater's output chunk; no input is ever held whole. bytesRead
// counts raw (compressed) bytes, to set against totalBytes (the input size) for progress.

import { RtmError } from '../errors.js';
import { hostOrUndefined } from '../host.js';
import { TableFormatError, openError } from './errors.js';

/**
 * What a reader reads: a file path ('-' = stdin; Node only), bytes, a `Blob`, a `Response` (e.g. from
 * `fetch`), a `ReadableStream<Uint8Array>`, or chunks (an (async) iterable, e.g. a Node Readable).
 */
export type TableInput = string | Uint8Array | ArrayBuffer | Blob | Response | ReadableStream<Uint8Array>
  | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export const READ_CHUNK_BYTES = 256 * 1024;
export const INFLATE_CHUNK_BYTES = 64 * 1024;

/** The decompressed byte stream of one input. Not reusable; close() releases the file. */
export class ByteSource {
  /** Raw (compressed) bytes consumed so far. */
  bytesRead = 0;
  /** True when the input is gzip. */
  gzip = false;
  /** Decompressed bytes handed out so far (pushed-back chunks count once): where a corrupt gzip stream breaks. */
  outBytes = 0;
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
      if (r.value.length > 0) {
        this.outBytes += r.value.length;
        return r.value;
      }
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
      const host = hostOrUndefined();
      if (host !== undefined) {
        const z = host.gunzip(rest(), INFLATE_CHUNK_BYTES);
        this.streams.push(...z.release);
        this.it = z.chunks;
      } else {
        this.webGzip = true;
        this.it = webGunzip(rest(), this);
      }
    } else {
      this.it = rest();
    }
  }

  /** @internal The error a raw chunk source threw (told apart from inflater errors). */
  sourceError: unknown = undefined;
  private webGzip = false;

  private streamError(err: unknown): unknown {
    const code = (err as { code?: unknown } | null)?.code;
    // zlib's errors carry Z_* codes; DecompressionStream's are TypeErrors that the source did not throw
    const inflater = this.webGzip && err !== this.sourceError && !(err instanceof RtmError);
    if ((typeof code === 'string' && code.startsWith('Z_')) || inflater) {
      return new TableFormatError(this.op, this.name, `corrupt gzip data (${(err as Error).message}; ` +
        `${this.bytesRead} compressed bytes read)`, { offset: this.outBytes }, { cause: err });
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
    const host = hostOrUndefined();
    if (host === undefined) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op,
        `${input}: file paths need Node; pass bytes, a Blob, a Response or a ReadableStream`);
    }
    let file;
    try {
      file = await host.openFile(input, readBytes, op);
    } catch (err) {
      throw openError(err, op, input === '-' ? '<stdin>' : input);
    }
    const src = new ByteSource(op, name ?? (input === '-' ? '<stdin>' : input), file.size);
    await src.attach(file.chunks, file.release);
    return src;
  }
  if (input instanceof ArrayBuffer) input = new Uint8Array(input);
  if (input instanceof Uint8Array) {
    const src = new ByteSource(op, name ?? '<bytes>', input.length);
    await src.attach(slices(input, readBytes), undefined);
    return src;
  }
  if (isResponse(input)) {
    const where = input.url !== '' ? input.url : '<response>';
    if (!input.ok) {
      throw new RtmError('ERROR_FILE_NOT_FOUND', op, `${where}: HTTP ${input.status} ${input.statusText}`.trimEnd());
    }
    const length = input.headers.get('content-length');
    // with a Content-Encoding, Content-Length counts the encoded bytes, not what the body yields
    const size = length !== null && input.headers.get('content-encoding') === null ? Number(length) : undefined;
    const src = new ByteSource(op, name ?? where, Number.isFinite(size) ? size : undefined);
    if (input.body === null) await src.attach(slices(new Uint8Array(0), 1), undefined);
    else await src.attach(checked(streamChunks(input.body), op, src.name, src), undefined);
    return src;
  }
  if (isBlob(input)) {
    const src = new ByteSource(op, name ?? '<blob>', input.size);
    await src.attach(checked(streamChunks(input.stream()), op, src.name, src), undefined);
    return src;
  }
  if (isReadableStream(input)) {
    const src = new ByteSource(op, name ?? '<stream>', undefined);
    await src.attach(checked(streamChunks(input), op, src.name, src), undefined);
    return src;
  }
  if (input !== null && typeof input === 'object' && (Symbol.asyncIterator in input || Symbol.iterator in input)) {
    const src = new ByteSource(op, name ?? '<stream>', undefined);
    const it = Symbol.asyncIterator in input
      ? (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : toAsync((input as Iterable<Uint8Array>)[Symbol.iterator]());
    await src.attach(checked(it, op, src.name, src), undefined);
    return src;
  }
  throw new RtmError('ERROR_INVALID_PARAMETER', op,
    'input must be a path, bytes, a Blob, a Response, a ReadableStream or an iterable of Uint8Array');
}

function isResponse(x: unknown): x is Response {
  return typeof Response === 'function' && x instanceof Response;
}
function isBlob(x: unknown): x is Blob {
  return typeof Blob === 'function' && x instanceof Blob;
}
function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof ReadableStream === 'function' && x instanceof ReadableStream;
}

/** A ReadableStream's chunks through its reader (not every browser makes streams async-iterable). */
function streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      const r = await reader.read();
      if (r.done) { reader.releaseLock(); return { done: true, value: undefined }; }
      return { done: false, value: r.value };
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      await reader.cancel().catch(() => { /* already errored */ });
      return { done: true, value: undefined };
    },
  };
}

/** Inflates gzip with the platform's DecompressionStream (no host). A source error is remembered on `src`. */
function webGunzip(raw: AsyncGenerator<Uint8Array>, src: ByteSource): AsyncIterator<Uint8Array> {
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await raw.next();
      } catch (err) {
        src.sourceError = err;
        throw err;
      }
      if (r.done) controller.close(); else controller.enqueue(r.value);
    },
    async cancel() { await raw.return(undefined); },
  });
  return streamChunks(input.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>));
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

/** Rejects chunks that are not bytes (a string chunk from a text-mode stream, say); remembers source errors. */
function checked(it: AsyncIterator<unknown>, op: string, name: string, src: ByteSource): AsyncIterator<Uint8Array> {
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      let r: IteratorResult<unknown>;
      try {
        r = await it.next();
      } catch (err) {
        src.sourceError = err;
        throw err;
      }
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

interface BufferLike { from(b: ArrayBufferLike, offset: number, length: number): { toString(enc: 'latin1'): string } }
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;
const latin1Decoder = NodeBuffer === undefined ? new TextDecoder('latin1') : undefined;

/**
 * The bytes as a one-char-per-byte string (ASCII as is; no UTF-8 decoding cost): Node's Buffer, else
 * TextDecoder('latin1') (windows-1252: one UTF-16 unit per byte too, so offsets hold).
 */
export function latin1(chunk: Uint8Array): string {
  if (NodeBuffer !== undefined) return NodeBuffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  return latin1Decoder!.decode(chunk);
}
