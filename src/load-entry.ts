// Public exports of `rtm-wasm/load` (API.md §6): loadTable (a table into an Rtm), readTable (a table into
// batches, no Rtm), the streaming readers, and every type their signatures use. Portable: in browsers the
// inputs are bytes, Blob, Response, ReadableStream and chunk iterables; paths and stdin need Node (the
// package's `node` condition loads src/node/load.ts, which adds the host). No logic here.

/**
 * Table loading: `loadTable` (a prefix list, an `ip route` dump or an MRT RIB, plain or gzip, into an
 * `Rtm`), `readTable` (the same into route batches, without an `Rtm`), and the streaming readers.
 *
 * @module rtm-wasm/load
 */

export { loadTable, readTable, PROTO_IP_BGP, PROTO_IP_NT_STATIC } from './load.js';
export {
  openTable, readAll, openUpdates, TableReader, UpdateReader, DEFAULT_BATCH_SIZE, defaultTablePath, DEFAULT_TABLE_FILE,
  TableFormatError, newRouteBatch, VIEW_UNICAST, VIEW_MULTICAST, ribPreference, DEFAULT_LOCAL_PREF, MRT_MAX_RECORD_BYTES,
  MAX_LINE_CHARS,
} from './readers/index.js';

export type { LoadSummary, LoadedEntity, LoadOptions } from './load.js';
export type {
  TableInput, TableFormat, TableOptions, TableInfo, TableContents, RouteBatch, UpdateBatch, MrtPeer, ProgressFn,
} from './readers/index.js';
export type { Family } from './address.js';
export type { Rtm } from './rtm.js';
export type { Entity } from './entity.js';
export type { RtmError } from './errors.js';
