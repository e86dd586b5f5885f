// The core's export surface: functions from api.ts and the layout/status constants (as Wasm globals)
// that src/layout.ts reads once. No logic here.
export {
  ioBase, tableCreate, tableFree, tableStat, destEnsureX, destFindX, destRemoveX, destSetStateX, destHandle,
  destFromHandle, destKeyX, lpm, lessSpecific, walk, lookup4, lookupBatch, checkInvariants, slabMemoryBytes, fibMemoryBytes, tableHasFib, fibThreshold,
  keyHasHostBits, insertBatch, lookup6,
} from './api';
export { fib6MemoryBytes, fib6TableBytesX, fib6Threshold, fib6FailAfter, tableHasFib6 } from './api';
export { tableHasFib4, tableMulticastDests, fibFailAfter, extraIndexReserveX } from './api';
export { memoryInUseBytes } from './api';
export { lookupStop, tablesCapSet } from './api';
export {
  setNow, tableSetMaxHops, entityRegister, entityDeregister, entityInfo, entityList, entityRefX, nexthopAdd,
  nexthopDelete, nexthopRefX, nexthopFromHandle, nexthopList, routeAdd, routeDeleteX, routeRefsX,
  routeFromHandle, destRefsX, destRoutes, viewsCheck, IO_HOPS, MAX_HOPS_LIMIT, routeTouch, recordPtr, destPinX, nexthopListFrom, timerNext, timerHeadX, timerPop, listCreateX, listInsertX, listDeleteX, listWalkX, holdDestinationX, holdEnd, destUnkeepX, routeRearm,
} from './rtmapi';
export { handleOfX } from './api';
export { nhIndexAllocBudget, nhIndexBytes } from './nhindex';
export { nexthopFindRefX, nexthopTakeX } from './nexthopapi';
export { memorySetCap, memoryCap, blockMemoryBytes, slabSetGenX } from './memory';
export { entityDeregisterReserve } from './rtmapi';
export { lockX, unlockX, lockHeldX, lockDropAllX, lockStat } from './locks';
export { listCount } from './lists';
export { LOCK_K_DEST, LOCK_K_NEXTHOP } from './layout';
export { bestSummaryR } from './records';
export {
  REC_SUM_ROUTE, REC_SUM_OWNER, REC_SUM_PROTOCOL, REC_SUM_PREF, REC_SUM_METRIC, REC_SUM_SLOT, REC_SUM_NHOPS, REC_SUM_HOPS,
  REC_SUM_HOP_WORDS,
} from './layout';
export {
  debugTrap, DEBUG_TRAP_OFF, DEBUG_TRAP_NOW, DEBUG_TRAP_ASSERT, DEBUG_TRAP_NEXT, DEBUG_TRAP_ASSERT_NEXT,
} from './debug';
export { routeLoad, LOAD_WORDS, LOAD_MAX } from './load';
export { bulkCheck, bulkBegin, bulkTrie, bulkApply, bulkSorted, bulkEnd, bulkBuilds, bulkOnePass } from './bulk';
export {
  snapWatchX, snapDirtyX, snapFibX, snapRangesBeginX, snapRangesNextX,
} from './snapshot';
export { snapFib6X } from './snapshot';
export { fib6PagesX } from './fib6';
export { SNAP_SEG_WORDS, SNAP_SEG_DEST, SNAP_SEG_MAX, SNAP_BLOCK_SHIFT } from './layout';
export { bestRouteX, changedIdsX, updatesCheck, updatesApply, routeEsiMark } from './hot';
export {
  UPD_WORDS, UPD_LENKIND, UPD_PREF, UPD_METRIC, UPD_VIEWS, UPD_NEXTHOP, UPD_ADD, UPD_DELETE, UPD_MAX, CHANGED_IDS_MAX,
  BEST_ROUTE, BEST_OWNER, BEST_PROTOCOL, BEST_PREFERENCE, BEST_METRIC, BEST_FLAGS, BEST_NEXTHOP_COUNT, BEST_NEXTHOP,
  BEST_NEIGHBOUR, BEST_INTERFACE, BEST_VIEWS, BEST_NEXTHOP_IPV4, BEST_FIELDS, BESTLOG_WORDS, BESTLOG_MAX,
} from './layout';
export {
  notifyRegister, notifyDeregister, notifyGetChanged, notifyIgnoreX, notifyStatus, notifyMarkX, notifyDrain,
  notifySignalDone, notifyInfo, bestWatchX, bestLogTakeX,
} from './notifyapi';
export { signalCount } from './notify';
export { destExtraCount, destXGet } from './dests';
export { trieLongNodes, trieKeyRecords, trieBranchNodes, trieBranchNodes6 } from './trie';
export { routeExtraCount, routeXWord, routeOwnerOf, routeDestOf, routeFlagsOf, routePrefOf, routeMetricOf, refsCapSet } from './routes';
export {
  routeAddR, routeDeleteR, routeInfoR, destInfoR, destInfoAtR, notifyGetChangedR, refTakeX, refDropX, refCountX,
  refDropManyX, refTakeManyX, refStat, refLimitX, REF_MANY_MAX, REC_CHANGED_MAX,
} from './records';
export { RES_SIGNALS, RES_TIMERS } from './records';
export {
  enumCreateDestsX, enumCreateRoutesX, enumCreateNextHopsX, enumCreateListX, enumNextX, enumDeleteX, enumDeleteAllX,
  enumInfoX, enumStat, routeFindX, CRIT_HOPS_MAX,
} from './enums';
export { IO_BATCH_MAX, IO_RES, IO_IN, IO_OUT, IO_WORDS, IO_OUT_HANDLES } from './io';
export {
  NIL, NODE4_WORDS, NODE4B_WORDS, NODE6_WORDS, NODE6B_WORDS, NODE6L_WORDS, NODE6_SHORT_MAX, NODE6B_MAX, KEY6_WORDS, KEY6_INLINE_MAX, DEST_WORDS, ROUTE_WORDS, NEXTHOP_WORDS, TABLE_WORDS, DEST_STATE, DEST_S_VIEWS, DEST_S_HELD,
  DEST_S_LIVE, DEST_S_POPULATED, QUAL_POPULATED, NO_RANGE, VIEW_COUNT, TABLE_NODES, TABLE_DESTS,
  TABLE_POPULATED, TABLE_LIVE, TABLE_ROUTES, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_ENTITY, GEN_MASK, GEN_ALIVE,
  DEST_TABLE, DEST_TABLE_MASK, DEST_NODE, DEST_S_B0X, ROUTE_B0_BIT, DEST_KEEPS, DEST_KEEPS_MASK, DEST_REFS_SHIFT, DEST_REFS_MAX, DEST_CHANGED, SLAB_DESTX, DESTX_WORDS,
  DESTX_HELD, DESTX_BEST1, DEST_PINS_SHIFT, DEST_PINS_BITS, OPAQUE_SLOTS_MAX, DESTX_MARKED,
  ROUTE_GEN, ROUTE_NEXT, ROUTE_END, ROUTE_NBHOP_BIT, SLAB_ROUTEX, ROUTEX_NEIGHBOUR, ROUTE_PM, ROUTE_PM_X, ROUTE_PM_B, ROUTE_PM_PREF_SHIFT, ROUTE_PM_METRIC_MASK, ROUTE_VIEWS, ROUTE_STATE, ROUTE_STATE_MASK, ROUTEX_FLAGS,
  ROUTE_NHCOUNT, ROUTE_NHCOUNT_SHIFT, ROUTE_NHCOUNT_MASK, ROUTE_VIEWS_MASK, ROUTE_NH, ROUTE_REFS_SHIFT, ROUTE_REFS_MAX, ROUTE_SEQ, ROUTE_STATE_SHIFT, ROUTE_FLAGS1_SHIFT,
  NEXTHOP_OWNER, NEXTHOP_ADDR, NEXTHOP_LEN, NEXTHOP_LEN_MASK, NEXTHOP_IFINDEX, NEXTHOP_FLAGS, NEXTHOP_REMOTE, NEXTHOP_IREFS,
  NEXTHOP_REFS, NEXTHOP_STATE_SHIFT, ENTITY_WORDS, ENTITY_PROTO, ENTITY_INSTANCE, ENTITY_TABLE,
  TABLE_NEXTHOPS, TABLE_VIEWS, TABLE_MAXHOPS, SLAB_DEST, SLAB_ROUTE, SLAB_NEXTHOP, SLAB_ENTITY,
  DESTX_LOCK, LOCK_NONE, LOCK_MULTI, NEXTHOP_LOCK, KIND_ENUM, KIND_LIST, KIND_NOTIFY,
  ROUTE_ESI_NULL, ROUTE_ESI_SET, ROUTE_ESI_UNKNOWN, ESI_IN_NULL, ESI_IN_SET, ESI_IN_CHANGED, ESI_IN_SAME,
  REC_ADD_ROUTE, REC_ADD_CHANGE, REC_ADD_ROUTE_SLOT, REC_ADD_REF, REC_ADD_ESI_CHECK, REC_ADD_WORDS,
  REC_ROUTE_DEST, REC_ROUTE_OWNER, REC_ROUTE_NEIGHBOUR, REC_ROUTE_STATE, REC_ROUTE_FLAGS1, REC_ROUTE_FLAGS,
  REC_ROUTE_METRIC, REC_ROUTE_PREF, REC_ROUTE_VIEWS, REC_ROUTE_SLOT, REC_ROUTE_ESI, REC_ROUTE_DEST_SLOT,
  REC_ROUTE_KEY, REC_ROUTE_LEN, REC_ROUTE_NHOPS, REC_ROUTE_HOPS, REC_ROUTE_WORDS,
  REC_DEST_HANDLE, REC_DEST_SLOT, REC_DEST_KEY, REC_DEST_LEN, REC_DEST_CHANGED, REC_DEST_VIEWS, REC_DEST_NVIEWS,
  REC_DEST_VIEW, REC_DVIEW_ID, REC_DVIEW_ROUTES, REC_DVIEW_ROUTE, REC_DVIEW_OWNER, REC_DVIEW_FLAGS, REC_DVIEW_HOLD,
  REC_DVIEW_WORDS, REC_DEST_WORDS, ENTITY_FLAGS, ENTITY_REFS_SHIFT, ENTITY_REFS,
  ENUM_K_DEST, ENUM_K_ROUTE, ENUM_K_NEXTHOP, ENUM_K_LIST, ENUM_F_OWN, ENUM_F_RANGE, ENUM_F_ONE_DEST, ENUM_F_HAS_LAST,
} from './layout';
