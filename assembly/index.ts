// The core's export surface: functions from api.ts and the layout/status constants (as Wasm globals)
// that src/layout.ts reads once. No logic here.
export {
  ioBase, tableCreate, tableFree, tableStat, destEnsureX, destFindX, destRemoveX, destSetStateX, destHandle,
  destFromHandle, destKeyX, lpm, lessSpecific, walk, lookup4, lookupBatch, checkInvariants, slabMemoryBytes, fibMemoryBytes, tableHasFib, fibThreshold,
  keyHasHostBits, insertBatch, lookup6,
} from './api';
export {
  setNow, tableSetMaxHops, entityRegister, entityDeregister, entityInfo, entityList, entityRefX, nexthopAdd,
  nexthopFind, nexthopDelete, nexthopRefX, nexthopFromHandle, nexthopList, routeAdd, routeDeleteX, routeRefX,
  routeFromHandle, destRefX, destInfoX, destRoutes, viewsCheck, IO_HOPS, MAX_HOPS_LIMIT, routeTouch, recordPtr, destSetLock, nexthopSetLock, destPinX, nexthopListFrom, timerNext, timerPop, timerRearm, listCreateX, listInsertX, listDeleteX, listWalkX, holdDestinationX, holdEnd, destUnkeepX, routeRearm,
} from './rtmapi';
export { handleOfX } from './api';
export { nhIndexAllocBudget, nhIndexBytes } from './nhindex';
export { routeLoad, LOAD_WORDS, LOAD_MAX } from './load';
export {
  notifyRegister, notifyDeregister, notifyGetChanged, notifyIgnoreX, notifyStatus, notifyMarkX, notifyDrain,
  notifySignalDone, notifyInfo,
} from './notifyapi';
export { signalCount } from './notify';
export { IO_BATCH_MAX, IO_RES, IO_IN, IO_OUT, IO_WORDS } from './io';
export {
  NIL, NODE_WORDS, DEST_WORDS, ROUTE_WORDS, NEXTHOP_WORDS, TABLE_WORDS, DEST_STATE, DEST_S_VIEWS, DEST_S_HELD,
  DEST_S_LIVE, DEST_S_POPULATED, QUAL_POPULATED, NO_RANGE, VIEW_COUNT, TABLE_NODES, TABLE_DESTS,
  TABLE_POPULATED, TABLE_ROUTES, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY, GEN_MASK, GEN_ALIVE,
  DEST_TABLE, DEST_NODE, DEST_NLIVE, DEST_BEST, DEST_HELD, DEST_REFS, DEST_PINS, DEST_CHANGED,
  ROUTE_GEN, ROUTE_DEST, ROUTE_OWNER, ROUTE_NEIGHBOUR, ROUTE_PREF, ROUTE_METRIC, ROUTE_VIEWS, ROUTE_FLAGS,
  ROUTE_NHCOUNT, ROUTE_NH, ROUTE_REFS, ROUTE_SEQ, ROUTE_LIST, ROUTE_STATE_SHIFT, ROUTE_FLAGS1_SHIFT,
  NEXTHOP_OWNER, NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_IFINDEX, NEXTHOP_FLAGS, NEXTHOP_REMOTE, NEXTHOP_IREFS,
  NEXTHOP_REFS, NEXTHOP_STATE_SHIFT, ENTITY_WORDS, ENTITY_PROTO, ENTITY_INSTANCE, ENTITY_TABLE,
  TABLE_NEXTHOPS, TABLE_VIEWS, TABLE_MAXHOPS, SLAB_DEST, SLAB_ROUTE, SLAB_NEXTHOP, SLAB_ENTITY,
  DEST_LOCK, LOCK_NONE, LOCK_MULTI, NEXTHOP_LOCK, KIND_ENUM, KIND_LIST, KIND_NOTIFY,
} from './layout';
