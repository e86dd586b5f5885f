// makehost: the Node host built from Node's own modules, handed in by the caller (src/node/host.ts passes
// its static imports, src/host.ts passes process.getBuiltinModule). Only type imports of `node:` modules
// here, so portable code can import this file. Streams files in `readBytes` chunks, inflates gzip with
// zlib (output chunks of `chunkBytes`); allocates the stream objects per opened input, nothing per chunk.
// Also defines Host, the interface the portable code sees (src/host.ts re-exports it).

import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as Stream from 'node:stream';
import type * as Url from 'node:url';
import type * as Zlib from 'node:zlib';
import { RtmError } from './errors.js';

/** A file opened for streaming reads. */
export interface HostFile {
  /** Size in bytes (undefined for pipes and ttys). */
  readonly size: number | undefined;
  readonly chunks: AsyncIterator<Uint8Array>;
  /** Releases the descriptor (undefined when nothing needs releasing, e.g. stdin). */
  readonly release: { destroy(): void } | undefined;
}

/** Node capabilities, as the portable code uses them. Errors are Node's (with `code`). */
export interface Host {
  /** Opens a path ('-' = stdin) for reading in `readBytes` chunks. @throws a Node error; RtmError for a directory */
  openFile(path: string, readBytes: number, op: string): Promise<HostFile>;
  /** Inflates a gzip stream with zlib (errors carry Z_* codes); every stream in `release` must be destroyed. */
  gunzip(raw: AsyncIterable<Uint8Array>, chunkBytes: number): { chunks: AsyncIterator<Uint8Array>; release: { destroy(): void }[] };
  /** Whole file, synchronously (the core's .wasm for createSync). */
  readFileSync(url: URL): Uint8Array;
  /** Whole file. */
  readFile(url: URL): Promise<Uint8Array>;
  /** The file: URL of a path (relative paths against the working directory). */
  pathToFileURL(path: string): URL;
  /** The path of a file: URL. */
  fileURLToPath(url: URL): string;
  /** Whether a file exists (the bundled table's lookup). */
  exists(url: URL): boolean;
}

/** Node's modules by name, as process.getBuiltinModule returns them. */
export interface NodeModules {
  (name: 'node:fs'): typeof Fs;
  (name: 'node:fs/promises'): typeof FsPromises;
  (name: 'node:stream'): typeof Stream;
  (name: 'node:url'): typeof Url;
  (name: 'node:zlib'): typeof Zlib;
}

/** The host over Node's modules (loaded on first use of each). */
export function makeHost(load: NodeModules): Host {
  return {
    async openFile(path: string, readBytes: number, op: string): Promise<HostFile> {
      const fs = load('node:fs');
      if (path === '-') {
        let size: number | undefined;
        try {
          const st = fs.fstatSync(0);
          if (st.isFile()) size = st.size;
        } catch { /* no stdin descriptor: size unknown */ }
        return { size, chunks: process.stdin[Symbol.asyncIterator](), release: undefined };
      }
      const st = await load('node:fs/promises').stat(path);
      if (st.isDirectory()) throw new RtmError('ERROR_INVALID_PARAMETER', op, `${path}: is a directory`);
      const stream = fs.createReadStream(path, { highWaterMark: readBytes });
      return { size: st.size, chunks: stream[Symbol.asyncIterator](), release: stream };
    },
    gunzip(raw: AsyncIterable<Uint8Array>, chunkBytes: number) {
      const { Readable, pipeline } = load('node:stream');
      const gunzip = load('node:zlib').createGunzip({ chunkSize: chunkBytes });
      const feed = Readable.from(raw, { objectMode: false });
      pipeline(feed, gunzip, () => { /* errors surface through the gunzip iterator */ });
      return { chunks: gunzip[Symbol.asyncIterator](), release: [gunzip, feed] };
    },
    readFileSync(url: URL): Uint8Array {
      return load('node:fs').readFileSync(url);
    },
    async readFile(url: URL): Promise<Uint8Array> {
      return load('node:fs/promises').readFile(url);
    },
    pathToFileURL(path: string): URL {
      return load('node:url').pathToFileURL(path);
    },
    fileURLToPath(url: URL): string {
      return load('node:url').fileURLToPath(url);
    },
    exists(url: URL): boolean {
      return load('node:fs').existsSync(url);
    },
  };
}
