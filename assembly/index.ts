// The core's export surface: functions from api.ts and the layout/status constants (as Wasm globals)
// that src/layout.ts reads once. No logic here.
export {
  ioBase, tableCreate, tableFree, tableStat, destEnsureX, destFindX, destRemoveX, destSetStateX, destHandle,
  destFromHandle, destKeyX, lpm, lessSpecific, walk, lookup4, lookupBatch, checkInvariants, slabMemoryBytes,
  keyHasHostBits,
} from './api';
export { IO_BATCH_MAX, IO_RES, IO_IN, IO_OUT, IO_WORDS } from './io';
export {
  NIL, NODE_WORDS, DEST_WORDS, ROUTE_WORDS, NEXTHOP_WORDS, TABLE_WORDS, DEST_STATE, DEST_S_VIEWS, DEST_S_HELD,
  DEST_S_LIVE, DEST_S_POPULATED, QUAL_POPULATED, NO_RANGE, VIEW_COUNT, TABLE_NODES, TABLE_DESTS,
  TABLE_POPULATED, TABLE_ROUTES, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY,
} from './layout';
