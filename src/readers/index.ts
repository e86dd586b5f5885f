// Public surface of the table readers (the library's loaders, also used by the `rtm` CLI): values, then
// types. No logic here. Start with openTable() (streaming RouteBatch batches), readAll() (one batch per
// family, allocates), openUpdates() (BGP update traces) and defaultTablePath() (the bundled table).

export { openTable, readAll, openUpdates, TableReader, UpdateReader, DEFAULT_BATCH_SIZE } from './table.js';
export { defaultTablePath, DEFAULT_TABLE_FILE } from './default.js';
export { TableFormatError } from './errors.js';
export { newRouteBatch, VIEW_UNICAST, VIEW_MULTICAST } from './batch.js';
export { ribPreference, DEFAULT_LOCAL_PREF, MRT_MAX_RECORD_BYTES } from './mrt.js';
export { MAX_LINE_CHARS } from './text.js';

export type { TableFormat, TableOptions, TableInfo, TableContents } from './table.js';
export type { RouteBatch } from './batch.js';
export type { UpdateBatch } from './updates.js';
export type { MrtPeer } from './mrt.js';
export type { TableInput } from './source.js';
export type { ProgressFn } from './context.js';
