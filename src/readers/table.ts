// openTable()/readAll()/openUpdates(): open an input, pick its format (gzip by magic, then MRT by its
// header, then `ip route` or prefix list by the first lines' tokens) and stream RouteBatch (or UpdateBatch)
// batches with constant memory. Batches are reused: one is valid until the next is requested. Batches
// are per family, so IPv4 and IPv6 records of a mixed file interleave by batch, not by line. Statistics
// (records, skipped, peers, interfaces, bytesRead) fill in while reading. readAll() is the allocating twin.

import { RtmError } from '../errors.js';
import type { Family } from '../address.js';
import { RouteCollector, RouteSink, type RouteBatch } from './batch.js';
import { ReadContext, type ProgressFn } from './context.js';
import { TableFormatError } from './errors.js';
import { IpRouteParser, looksLikeIpRoute } from './iproute.js';
import { MrtParser, looksLikeMrt, scanMrt, type MrtPeer } from './mrt.js';
import { PrefixListParser } from './prefixlist.js';
import { latin1, openSource, type ByteSource, type TableInput } from './source.js';
import { isWord, scanText, skipSpace, tokenEnd, type LineHandler } from './text.js';
import { UpdateParser, UpdateSink, type UpdateBatch } from './updates.js';

/** Table formats: plain prefix list, iproute2 `ip route` output, MRT (RFC 6396) RIB dump. */
export type TableFormat = 'prefixes' | 'iproute' | 'mrt';

/** Options of the table readers (openTable, readAll, readTable, loadTable). */
export interface TableOptions {
  /** 'auto' (default): gzip by magic 1f 8b, then the format by the first bytes/lines. */
  format?: 'auto' | TableFormat;
  /** Count malformed records in `skipped` and go on, instead of throwing TableFormatError. */
  skipBad?: boolean;
  /** Records per batch (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Called as input is consumed with raw (compressed) bytes read and the file size (undefined if unknown). */
  onProgress?: ProgressFn;
  /** `ip route`: family of a `default` route when its line does not tell (e.g. 6 for `ip -6 route` output). */
  family?: Family;
  /** Name for messages instead of the path ('<bytes>', '<stdin>', '<stream>' by default). */
  name?: string;
  /** Raw read size in bytes (also how a Uint8Array input is sliced); default 256 KiB. */
  readBytes?: number;
}

/** Records per batch unless `batchSize` says otherwise. */
export const DEFAULT_BATCH_SIZE = 4096;
/** Bytes and lines looked at to tell the format. */
const SNIFF_BYTES = 4096;
const SNIFF_LINES = 64;

/** What a reader learned so far; complete once iteration ends. */
export interface TableInfo {
  /** What is read: the path, or the `name` option ('<bytes>', '<stdin>', '<stream>' by default). */
  readonly file: string;
  /** The format detected (or given). */
  readonly format: TableFormat;
  /** MRT peers (PEER_INDEX_TABLE order; RouteBatch.sources indexes this). */
  readonly peers: readonly MrtPeer[];
  /** `ip route` interface names: interfaces[ifIndex]; interfaces[0] is '' (none). */
  readonly interfaces: readonly string[];
  /** Records emitted. */
  readonly records: number;
  /** Prefixes read: MRT RIB records, `ip route` routes (a multipath route counts once), prefix-list lines. */
  readonly prefixes: number;
  /** Malformed records skipped (skipBad). */
  readonly skipped: number;
  /** The first 16 of those, as errors. */
  readonly skippedErrors: readonly TableFormatError[];
  /** Well-formed records of kinds not read (MRT BGP4MP, `ip route` local/broadcast, …), in total and by kind. */
  readonly unsupported: number;
  /** The same, by kind. */
  readonly unsupportedKinds: ReadonlyMap<string, number>;
  /** Raw (compressed) bytes read so far. */
  readonly bytesRead: number;
  /** Input size in bytes (undefined for pipes and iterables). */
  readonly totalBytes: number | undefined;
}

abstract class StreamReader<B> implements AsyncIterable<B> {
  private started = false;

  constructor(protected readonly src: ByteSource, protected readonly ctx: ReadContext) {}

  /** What is read: the path, or the `name` option ('<bytes>', '<stdin>', '<stream>' by default). */
  get file(): string { return this.src.name; }
  /** Raw (compressed) bytes read so far. */
  get bytesRead(): number { return this.src.bytesRead; }
  /** Input size in bytes (undefined for pipes and iterables). */
  get totalBytes(): number | undefined { return this.src.totalBytes; }
  /** Malformed records skipped (skipBad). */
  get skipped(): number { return this.ctx.skipped; }
  /** The first 16 of those, as errors. */
  get skippedErrors(): readonly TableFormatError[] { return this.ctx.skippedErrors; }

  /** The batches, read as iteration asks for them (a reader is iterated once). */
  [Symbol.asyncIterator](): AsyncGenerator<B> {
    return this.batches();
  }

  /**
   * The batches, in input order per family; each is valid until the next is requested (arrays are reused).
   * Iterate once. Leaving the loop early closes the input.
   * @throws TableFormatError (ERROR_INVALID_DATA) on malformed input unless skipBad; RtmError for I/O errors.
   */
  async *batches(): AsyncGenerator<B> {
    if (this.started) throw new RtmError('ERROR_INVALID_PARAMETER', this.ctx.op, `${this.file}: already read`);
    this.started = true;
    try {
      yield* this.scan();
    } finally {
      await this.src.close();
    }
  }

  /** Releases the input without reading it (iteration does this by itself). */
  close(): Promise<void> {
    return this.src.close();
  }

  protected abstract scan(): AsyncGenerator<B>;
}

/** A table being read: iterate it for RouteBatch batches; the TableInfo fields fill in meanwhile. */
export class TableReader extends StreamReader<RouteBatch> implements TableInfo {
  private readonly sink: RouteSink;
  private readonly mrt: MrtParser | undefined;
  private readonly iproute: IpRouteParser | undefined;
  private readonly lines: LineHandler | undefined;

  /**
   * @internal use openTable().
   * @param format The format detected (or given).
   */
  constructor(src: ByteSource, ctx: ReadContext, readonly format: TableFormat, batchSize: number, family?: Family) {
    super(src, ctx);
    this.sink = new RouteSink(batchSize);
    if (format === 'mrt') this.mrt = new MrtParser(this.sink, ctx);
    else if (format === 'iproute') this.lines = this.iproute = new IpRouteParser(this.sink, ctx, family);
    else this.lines = new PrefixListParser(this.sink);
  }

  get peers(): readonly MrtPeer[] { return this.mrt?.peers ?? []; }
  get interfaces(): readonly string[] { return this.iproute?.interfaces ?? ['']; }
  get records(): number { return this.sink.records; }
  get prefixes(): number { return this.mrt?.prefixes ?? this.iproute?.routes ?? this.sink.records; }
  get unsupported(): number { return this.ctx.unsupported; }
  /** Well-formed records of kinds not read, by kind. */
  get unsupportedKinds(): ReadonlyMap<string, number> { return this.ctx.unsupportedKinds; }

  protected scan(): AsyncGenerator<RouteBatch> {
    return this.mrt !== undefined
      ? scanMrt(this.src, this.mrt, this.sink, this.ctx)
      : scanText(this.src, this.lines as LineHandler, this.sink, this.ctx);
  }
}

/** An update trace being read: iterate it for UpdateBatch batches (file order). */
export class UpdateReader extends StreamReader<UpdateBatch> {
  private readonly sink: UpdateSink;

  /** @internal use openUpdates(). */
  constructor(src: ByteSource, ctx: ReadContext, batchSize: number) {
    super(src, ctx);
    this.sink = new UpdateSink(batchSize);
  }

  /** Events emitted. */
  get records(): number { return this.sink.records; }

  protected scan(): AsyncGenerator<UpdateBatch> {
    return scanText(this.src, new UpdateParser(this.sink), this.sink, this.ctx);
  }
}

/**
 * Opens a routing table (path, '-' for stdin, bytes, or chunks) and tells its format; nothing is parsed
 * until the reader is iterated.
 * @throws RtmError ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER (bad option, a
 *   directory); TableFormatError (ERROR_INVALID_DATA) for binary data that is not MRT, or an update trace.
 */
export async function openTable(input: TableInput, options: TableOptions = {}): Promise<TableReader> {
  const op = 'openTable';
  const batchSize = checkOptions(op, options);
  const format = options.format ?? 'auto';
  if (format !== 'auto' && format !== 'prefixes' && format !== 'iproute' && format !== 'mrt') {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `unknown format '${String(format)}'`);
  }
  const src = await openSource(input, op, options.name, options.readBytes);
  try {
    const ctx = new ReadContext(op, src, options.skipBad === true, options.onProgress);
    let chosen: TableFormat;
    if (format === 'auto') {
      const sniffed = await sniff(src, op);
      if (sniffed.format === 'updates') {
        throw new TableFormatError(op, src.name,
          "an update trace ('time a|w prefix next-hop'), not a table: read it with openUpdates()", { line: sniffed.line });
      }
      chosen = sniffed.format;
    } else chosen = format;
    return new TableReader(src, ctx, chosen, batchSize, options.family);
  } catch (err) {
    await src.close();
    throw err;
  }
}

/** The records of a table, all IPv4 in one batch and all IPv6 in another. */
export interface TableContents {
  /** Every IPv4 record. */
  v4: RouteBatch;
  /** Every IPv6 record. */
  v6: RouteBatch;
  /** The finished reader, for its statistics (format, peers, interfaces, skipped, …). */
  info: TableInfo;
}

/**
 * Reads a whole table into one batch per family. Allocates the whole table (for tests and small files;
 * stream with openTable() otherwise).
 * @throws as openTable() and TableReader.batches().
 */
export async function readAll(input: TableInput, options: TableOptions = {}): Promise<TableContents> {
  const reader = await openTable(input, options);
  const v4 = new RouteCollector(4), v6 = new RouteCollector(6);
  for await (const b of reader) (b.family === 4 ? v4 : v6).append(b);
  return { v4: v4.result(), v6: v6.result(), info: reader };
}

/**
 * Opens a BGP update trace (`unixtime a|w prefix [next-hop]` per line, plain or gzip).
 * @throws as openTable().
 */
export async function openUpdates(input: TableInput,
  options: Omit<TableOptions, 'format' | 'family'> = {}): Promise<UpdateReader> {
  const op = 'openUpdates';
  const batchSize = checkOptions(op, options);
  const src = await openSource(input, op, options.name, options.readBytes);
  return new UpdateReader(src, new ReadContext(op, src, options.skipBad === true, options.onProgress), batchSize);
}

function checkOptions(op: string, options: TableOptions): number {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 24) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `batchSize must be an integer in 1..${1 << 24}, got ${batchSize}`);
  }
  const readBytes = options.readBytes;
  if (readBytes !== undefined && (!Number.isInteger(readBytes) || readBytes < 1)) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `readBytes must be a positive integer, got ${readBytes}`);
  }
  if (options.family !== undefined && options.family !== 4 && options.family !== 6) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `family must be 4 or 6, got ${String(options.family)}`);
  }
  return batchSize;
}

/**
 * Tells the format from the first SNIFF_BYTES decompressed bytes (pushed back for the parser): an MRT
 * header; else binary data is an error; else the first SNIFF_LINES lines decide: an `ip route` token makes
 * it iproute, `time a|w …` an update trace, otherwise a prefix list (also for empty input).
 */
async function sniff(src: ByteSource, op: string): Promise<{ format: TableFormat | 'updates'; line?: number }> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  while (n < SNIFF_BYTES) {
    const c = await src.next();
    if (c === undefined) break;
    chunks.push(c);
    n += c.length;
  }
  for (let i = chunks.length - 1; i >= 0; i--) src.unshift(chunks[i]);
  if (n === 0) return { format: 'prefixes' };
  let head = chunks[0];
  if (head.length < Math.min(n, SNIFF_BYTES)) {
    head = new Uint8Array(Math.min(n, SNIFF_BYTES));
    let at = 0;
    for (const c of chunks) {
      const take = Math.min(c.length, head.length - at);
      head.set(c.subarray(0, take), at);
      at += take;
      if (at === head.length) break;
    }
  } else head = head.subarray(0, Math.min(head.length, SNIFF_BYTES));
  if (looksLikeMrt(head)) return { format: 'mrt' };
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b < 32 && (b < 9 || b > 13)) {
      throw new TableFormatError(op, src.name, `binary data that is not an MRT file (byte 0x${b.toString(16).padStart(2, '0')})`, { offset: i });
    }
  }
  const text = latin1(head);
  let pos = 0;
  for (let lineNo = 1; lineNo <= SNIFF_LINES && pos < text.length; lineNo++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) {
      if (n > head.length && pos > 0) break; // a cut-off last line says nothing reliable
      nl = text.length;
    }
    if (looksLikeIpRoute(text, pos, nl)) return { format: 'iproute' };
    if (looksLikeUpdate(text, pos, nl)) return { format: 'updates', line: lineNo };
    pos = nl + 1;
  }
  return { format: 'prefixes' };
}

/** `digits[.digits] a|w …` */
function looksLikeUpdate(s: string, start: number, end: number): boolean {
  const p = skipSpace(s, start, end), q = tokenEnd(s, p, end);
  if (p === q) return false;
  for (let i = p; i < q; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return false;
  }
  const r = skipSpace(s, q, end), t = tokenEnd(s, r, end);
  return isWord(s, r, t, 'a') || isWord(s, r, t, 'w');
}
