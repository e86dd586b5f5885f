// The exported functions of the trie layer: each validates its arguments once (table slot, lengths,
// handles, view ids) and returns a status; results go to the I/O area's result registers. Bad input
// never traps and never changes a table. Past validation, callees use unchecked helpers.
import { NIL, SLAB_TABLE, SLAB_DEST, TABLE_FAMILY, TABLE_ROOT, TABLE_VIEWS, TABLE_DESTS, GEN_ALIVE,
  TABLE_ENTITIES, TABLE_ZNEXTHOPS, TABLE_MAXHOPS, ENTITY_NEXT, TABLE_NOTIFY_USED, TABLE_LIVE,
  TABLE_NOTIFY, DEST_S_HELD, SLAB_LIST, LIST_TABLE, TABLE_FIB, TABLE_FIBM, TABLE_FIB6, TABLE_MDESTS,
  KIND_DEST, NO_RANGE, VIEWS_SUPPORTED_MAX, DEST_STATE, DEST_NODE, VIEW_COUNT, SLAB_KINDS, TABLES_MAX } from './layout';
import { slabInit, slabReserve, slabAlloc, slabFree, slabBytes, slabHasFree } from './slab';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND,
  ERROR_NOT_SUPPORTED } from './status';
import { IO_IN, IO_OUT, IO_BATCH_MAX, IO_BASE, ioPtr, setRes } from './io';
import { tablePtr, tableGet, tableSet, tableValid, tableMaxLen } from './tables';
import { trieCreateRoot, trieLpm, trieLpm4, trieWalk, nodeDest, nodeReserve, nodeLongs, nodeSlabOf } from './trie';
import { destTable, destEnsure, destFind, destRemove, destValid, destSetState, destGet, destKey, destLen, destCreated } from './dests';
import { handleOf, handleSlot, kindSlab } from './handles';
import { slabIsAlive, slabHigh, slabLive, slabStride } from './slab';
import { blockBytes, refBlockBytes, xiBlockBytes } from './blocks';
import { nhIndexBytes } from './nhindex';
import { listGet, listDestroy } from './lists';
import { checkInvariants as check } from './debug';
import { hasHostBits } from './addr';
import { purgeRoutes } from './rtmapi';
import { notifyDestroy } from './notify';
import { timerFreeAll } from './timers';
import { fibLookup, fibBatch, fibBytes, fibSetMinDests, fibSetFailAfter, fibLastKey, fibLastPtr, fibLastKeyOf, fibLastSet, fibLastClear } from './fib';
import { fib6Free, fib6Lookup, fib6Batch, fib6Bytes, fib6SetMinDests, fib6SetFailAfter, fib6TableBytes } from './fib6';
import { routeFree, holdEnd as holdEndRun } from './routes';
import { entityGet, entityFree, nhDeleteAll, nhFreeDeleted } from './entities';
import { refForgetAll } from './refs';
import { enumFreeAll } from './enums';
import { tableTeardown } from './teardown';
import { XI_DEST, XI_ROUTE, XI_QUEUED, xiReserve } from './xindex';

slabInit();

const ZERO_KEY: usize = memory.data(16, 16);

/** Byte address of the I/O area. */
export function ioBase(): usize { return IO_BASE; }

/** The table slots an instance may use (layout TABLES_MAX; lower only through the test hook tablesCapSet). */
let tablesMax: u32 = TABLES_MAX;

/** Test hook: new table slots stop at `cap` (1..TABLES_MAX; TABLES_MAX restores the real cap); false if out of range. */
export function tablesCapSet(cap: u32): bool {
  if (cap < 1 || cap > TABLES_MAX) return false;
  tablesMax = cap;
  return true;
}

/** Creates a table for family 4 or 6 with the given supported views. RES0 = table slot. */
export function tableCreate(family: u32, views: u32): i32 {
  if (family != 4 && family != 6) return ERROR_INVALID_PARAMETER;
  if (views == 0 || (views & ~VIEWS_SUPPORTED_MAX) != 0) return ERROR_NOT_SUPPORTED;
  // a destination's table word holds its table's slot in DEST_TABLE_MASK (layout TABLES_MAX): a new slot
  // (none free) must stay below it
  if (!slabHasFree(SLAB_TABLE) && slabHigh(SLAB_TABLE) >= tablesMax) return ERROR_NOT_ENOUGH_MEMORY;
  if (!slabReserve(SLAB_TABLE, 1) || !slabReserve(nodeSlabOf(family), 1)) return ERROR_NOT_ENOUGH_MEMORY;
  let t = slabAlloc(SLAB_TABLE);
  tableSet(t, TABLE_FAMILY, family);
  tableSet(t, TABLE_VIEWS, views);
  tableSet(t, TABLE_ROOT, NIL);
  tableSet(t, TABLE_ENTITIES, NIL);
  tableSet(t, TABLE_ZNEXTHOPS, NIL);
  tableSet(t, TABLE_MAXHOPS, 8);
  tableSet(t, TABLE_NOTIFY, NIL);
  tableSet(t, TABLE_ROOT, trieCreateRoot(t, ZERO_KEY));
  setRes(0, t);
  return NO_ERROR;
}

/** Frees a table and everything in it (teardown.ts: every record once, no per-route deletion). */
export function tableFree(t: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  tableTeardown(t);
  return NO_ERROR;
}

/** A counter word of a table record (layout TABLE_*), or 0 for a bad table. */
export function tableStat(t: u32, word: u32): u32 {
  if (!tableValid(t) || (word >= 16 && word != TABLE_LIVE)) return 0;
  return tableGet(t, word);
}

function lenOk(t: u32, len: u32): bool { return len <= tableMaxLen(t); }

/** Finds or creates destination (IO_IN key, len). RES0 = dest slot, RES1 = 1 if created. */
export function destEnsureX(t: u32, len: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (!lenOk(t, len)) return ERROR_INVALID_PARAMETER;
  let d = destEnsure(t, ioPtr(IO_IN), len);
  if (d == NIL) return ERROR_NOT_ENOUGH_MEMORY;
  setRes(0, d); setRes(1, destCreated);
  return NO_ERROR;
}

/** Exact match of (IO_IN key, len) among destinations that qualify. RES0 = dest slot. */
export function destFindX(t: u32, len: u32, qual: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (!lenOk(t, len)) return ERROR_INVALID_PARAMETER;
  let d = destFind(t, ioPtr(IO_IN), len);
  if (d == NIL || !(qual == 0 || (destGet(d, DEST_STATE) & qual) != 0)) return ERROR_NOT_FOUND;
  setRes(0, d);
  return NO_ERROR;
}

/** Removes destination d of table t from the trie (trie-level; the route layer decides when). */
export function destRemoveX(t: u32, d: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (!destValid(t, d)) return ERROR_INVALID_HANDLE;
  destRemove(d);
  return NO_ERROR;
}

/** Test hook: sets a destination's state bits (views with live routes, LIVE, HELD). */
export function destSetStateX(t: u32, d: u32, state: u32): i32 {
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  destSetState(d, state);
  return NO_ERROR;
}

/** The handle of live destination d of table t, or 0. */
export function destHandle(t: u32, d: u32): f64 {
  return tableValid(t) && destValid(t, d) ? handleOf(KIND_DEST, d) : 0;
}

/** The handle of slot `idx` of a handle kind (KIND_*), from its current generation; 0 if not alive. */
export function handleOfX(kind: u32, idx: u32): f64 {
  let slab = kindSlab(kind);
  if (slab == NIL || !slabIsAlive(slab, idx)) return 0;
  return handleOf(kind, idx);
}

/** Resolves a destination handle of table t. RES0 = dest slot. */
export function destFromHandle(t: u32, h: f64): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  let d = handleSlot(h, KIND_DEST);
  if (d == NIL || destTable(d) != t) return ERROR_INVALID_HANDLE;
  setRes(0, d);
  return NO_ERROR;
}

/** Writes destination d's key to IO_OUT[0..3]; RES0 = length. */
export function destKeyX(t: u32, d: u32): i32 {
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  memory.copy(ioPtr(IO_OUT), destKey(d), 16);
  setRes(0, destLen(d));
  return NO_ERROR;
}

/** Longest-prefix match of (IO_IN key, ≤ len bits) among qualifying destinations. RES0 = dest. */
export function lpm(t: u32, len: u32, qual: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (!lenOk(t, len)) return ERROR_INVALID_PARAMETER;
  let d = trieLpm(t, ioPtr(IO_IN), len, qual);
  if (d == NIL) return ERROR_NOT_FOUND;
  setRes(0, d);
  return NO_ERROR;
}

/** The next shorter qualifying destination covering destination d. RES0 = dest. */
export function lessSpecific(t: u32, d: u32, qual: u32): i32 {
  if (!tableValid(t) || !destValid(t, d)) return ERROR_INVALID_HANDLE;
  let len = destLen(d);
  if (len == 0) return ERROR_NOT_FOUND;
  let r = trieLpm(t, destKey(d), len - 1, qual);
  if (r == NIL) return ERROR_NOT_FOUND;
  setRes(0, r);
  return NO_ERROR;
}

/**
 * Ordered walk: up to `max` qualifying destinations from (IO_IN[0..3], klen) on (inclusive or after),
 * restricted to those covered by (IO_IN[4..7], rlen) unless rlen == NO_RANGE. Dest slots go to IO_OUT;
 * RES0 = count.
 */
export function walk(t: u32, klen: u32, inclusive: u32, qual: u32, rlen: u32, max: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (!lenOk(t, klen) || (rlen != NO_RANGE && !lenOk(t, rlen)) || max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let n = trieWalk(t, ioPtr(IO_IN), klen, inclusive != 0, qual, ioPtr(IO_IN + 4), rlen, max, ioPtr(IO_OUT));
  setRes(0, n);
  return NO_ERROR;
}

/**
 * lookup4's answer when it cannot answer: `t` is not a live IPv4 table, `view` is not a view, or lookups
 * were stopped (Table.lookupId takes any answer below -1 as this one).
 */
const LOOKUP_REFUSED: i32 = -2;
/** Set by lookupStop: every later lookup4 is refused. */
let lookupStopped = false;

/**
 * Makes every later lookup4 answer LOOKUP_REFUSED without reading memory. The port calls it once the
 * core trapped (src/port/core.ts Guard), so that Table.lookupId, which calls lookup4 without the guard's
 * per-call poison test, is refused by the core instead. Touches two globals and nothing else.
 */
export function lookupStop(): void {
  lookupStopped = true;
  fibLastClear();   // the repeat path below would otherwise still answer
}

/**
 * Most specific destination with a live route in `view` for one IPv4 address; -1 if none; LOOKUP_REFUSED
 * for a table that is not a live IPv4 table, a bad view, or after lookupStop. The per-packet call
 * (Table.lookupId): a repeat for the table and view of the last call that used a forwarding structure
 * goes straight to it (fib.ts fibLastKey); otherwise the table is checked and read.
 */
export function lookup4(t: u32, addr: u32, view: u32): i32 {
  // (FIB_LAST_NONE is the key of view 0xffffffff: the view check keeps such a call off the cleared pointer)
  if (fibLastKeyOf(t, view) == fibLastKey && view < VIEW_COUNT) return <i32>fibLookup(fibLastPtr, addr);
  if (lookupStopped || t >= slabHigh(SLAB_TABLE) || view >= VIEW_COUNT) return LOOKUP_REFUSED;
  let p = tablePtr(t);
  if ((load<u32>(p) & GEN_ALIVE) == 0 || load<u32>(p + (<usize>TABLE_FAMILY << 2)) != 4) return LOOKUP_REFUSED;   // tableValid, family
  let fib = <usize>load<u32>(p + (<usize>(view == 0 ? TABLE_FIB : TABLE_FIBM) << 2));   // view < VIEW_COUNT = 2
  if (fib == 0) return <i32>trieLpm4(load<u32>(p + (<usize>TABLE_ROOT << 2)), addr, 1 << view);
  fibLastSet(t, view, fib);
  return <i32>fibLookup(fib, addr);
}

/** Most specific destination with a live route in `view` for the IPv6 address at IO_IN; -1 if none. */
export function lookup6(t: u32, view: u32): i32 {
  if (!tableValid(t) || view >= VIEW_COUNT || tableGet(t, TABLE_FAMILY) != 6) return -1;
  let fib6 = <usize>tableGet(t, TABLE_FIB6 + view);   // view < VIEW_COUNT = 2: TABLE_FIB6 or TABLE_FIB6M
  if (fib6 != 0) return <i32>fib6Lookup(fib6, ioPtr(IO_IN));
  return <i32>trieLpm(t, ioPtr(IO_IN), 128, 1 << view);
}

/**
 * Batch longest-prefix match: n addresses at IO_IN (IPv4: 1 word each; IPv6: 4 words each, MS first)
 * → n dest slots (or -1) at IO_OUT. Qualifying = has a live route in `view`. RES0 = hits.
 */
export function lookupBatch(t: u32, n: u32, view: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (n > IO_BATCH_MAX || view >= VIEW_COUNT) return ERROR_INVALID_PARAMETER;
  let qual: u32 = 1 << view;
  let hits: u32 = 0;
  let inp = ioPtr(IO_IN), out = ioPtr(IO_OUT);
  let fib = <usize>tableGet(t, view == 0 ? TABLE_FIB : TABLE_FIBM);   // IPv4: the structure of the view (fib.ts)
  let fib6 = <usize>tableGet(t, TABLE_FIB6 + view);   // IPv6: the structure of the view (fib6.ts), if any
  if (fib6 != 0) {
    hits = fib6Batch(fib6, inp, out, n);
  } else if (fib != 0) {
    hits = fibBatch(fib, inp, out, n);
  } else if (tableGet(t, TABLE_FAMILY) == 4) {
    let root = tableGet(t, TABLE_ROOT);
    for (let i: u32 = 0; i < n; i++) {
      let d = trieLpm4(root, load<u32>(inp + (<usize>i << 2)), qual);
      store<u32>(out + (<usize>i << 2), d);
      if (d != NIL) hits++;
    }
  } else {
    for (let i: u32 = 0; i < n; i++) {
      let d = trieLpm(t, inp + (<usize>i << 4), 128, qual);
      store<u32>(out + (<usize>i << 2), d);
      if (d != NIL) hits++;
    }
  }
  setRes(0, hits);
  return NO_ERROR;
}

/** Structural check of a table (debug/test): 0 or an INV_* code; ERROR_INVALID_HANDLE as negative. */
export function checkInvariants(t: u32): i32 {
  if (!tableValid(t)) return -ERROR_INVALID_HANDLE;
  return check(t);
}

/** Bytes of linear memory held by all slabs (capacity). */
export function slabMemoryBytes(): f64 { return slabBytes(); }

/**
 * Bytes of linear memory in use by the core's own accounting: live slab records (count × stride), blocks
 * (blocks.ts), next-hop hash blocks, the reference directory and the forwarding structures. Unlike the
 * memory's size it counts neither free slots, spare pages nor free blocks, so the difference between two
 * readings is what was built in between, whatever was freed before (bench/scale.ts, the many-tables row).
 */
export function memoryInUseBytes(): f64 {
  let total: f64 = 0;
  for (let k: u32 = 0; k < SLAB_KINDS; k++) total += <f64>slabLive(k) * <f64>slabStride(k) * 4;
  return total + blockBytes() + refBlockBytes() + xiBlockBytes() + nhIndexBytes() + fibBytes() + fib6Bytes();
}

/** Bytes held by the unicast forwarding structures of large IPv4 tables (fib.ts). */
export function fibMemoryBytes(): f64 { return fibBytes(); }

/** Test hook: IPv4 tables build their forwarding structure at `n` destinations from now on (0 = default). */
export function fibThreshold(n: u32): void { fibSetMinDests(n); }

/** Test hook: the n-th IPv4 forwarding chunk allocation from now fails (0 = off); the structure is dropped. */
export function fibFailAfter(n: u32): void { fibSetFailAfter(n); }

/** Bytes held by the unicast forwarding structures of large IPv6 tables (fib6.ts). */
export function fib6MemoryBytes(): f64 { return fib6Bytes(); }

/** Bytes of table t's IPv6 forwarding structure of `view` (level 1, arena header page, nodes in use); 0 = none. */
export function fib6TableBytesX(t: u32, view: u32): f64 { return tableValid(t) && view < VIEW_COUNT ? fib6TableBytes(t, view) : 0; }

/** Test hook: IPv6 tables build their forwarding structure at `n` destinations from now on (0 = default). */
export function fib6Threshold(n: u32): void { fib6SetMinDests(n); }

/** Test hook: the n-th IPv6 forwarding node allocation from now fails (0 = off); the structure is dropped. */
export function fib6FailAfter(n: u32): void { fib6SetFailAfter(n); }

/** 1 if table t has an IPv6 forwarding structure (fib6.ts) for `view` (0 unicast, 1 multicast), else 0. */
export function tableHasFib6(t: u32, view: u32): u32 {
  return tableValid(t) && view < VIEW_COUNT && tableGet(t, TABLE_FIB6 + view) != 0 ? 1 : 0;
}

/** 1 if IPv4 table t has a unicast forwarding structure (fib.ts), else 0: tableHasFib4(t, 0). */
export function tableHasFib(t: u32): u32 { return tableHasFib4(t, 0); }

/** 1 if table t has an IPv4 forwarding structure (fib.ts) for `view` (0 unicast, 1 multicast), else 0. */
export function tableHasFib4(t: u32, view: u32): u32 {
  return tableValid(t) && view < VIEW_COUNT && tableGet(t, view == 0 ? TABLE_FIB : TABLE_FIBM) != 0 ? 1 : 0;
}

/**
 * Test hook (the capped fuzz campaigns' warm-up, test/fuzz/harness.ts): makes room in table t's extra index
 * (xindex.ts) for `dests` destination and `routes` route extra records and `queued` destinations queued in
 * registrations of index 8 and up (XI_QUEUED), as their reservations would, so that the index needs no
 * memory after a cap. NO_ERROR, ERROR_INVALID_HANDLE or ERROR_NOT_ENOUGH_MEMORY.
 */
export function extraIndexReserveX(t: u32, dests: u32, routes: u32, queued: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  return xiReserve(t, XI_DEST, dests) && xiReserve(t, XI_ROUTE, routes) && xiReserve(t, XI_QUEUED, queued)
    ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

/** Destinations of table t qualifying in view 1 (a live route there, in the trie; TABLE_MDESTS); 0 if t is invalid. */
export function tableMulticastDests(t: u32): u32 { return tableValid(t) ? tableGet(t, TABLE_MDESTS) : 0; }

/** True if (IO_IN key, len) has bits set beyond len (the facade reports or clears them). */
export function keyHasHostBits(len: u32): u32 { return hasHostBits(ioPtr(IO_IN), len) ? 1 : 0; }


/**
 * Trie-level bulk insert: n keys at IO_IN (4 words each) with their lengths at IO_OUT (1 word each)
 * become destinations (created if absent); their dest slots overwrite IO_OUT. New destinations get
 * state `state` (0 leaves it: routes set it in the RTMv2 layer). All-or-nothing: lengths are checked
 * and memory reserved before anything is inserted. RES0 = destinations created.
 */
export function insertBatch(t: u32, n: u32, state: u32): i32 {
  if (!tableValid(t)) return ERROR_INVALID_HANDLE;
  if (n > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  let inp = ioPtr(IO_IN), out = ioPtr(IO_OUT);
  let maxLen = tableMaxLen(t);
  let longs: u32 = 0;   // long nodes the insertions may make (trie.ts nodeLongs)
  for (let i: u32 = 0; i < n; i++) {
    let len = load<u32>(out + (<usize>i << 2));
    if (len > maxLen) return ERROR_INVALID_PARAMETER;
    longs += nodeLongs(t, len, 2);
  }
  if (!nodeReserve(t, 2 * n, longs) || !slabReserve(SLAB_DEST, n)) return ERROR_NOT_ENOUGH_MEMORY;
  let created: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let d = destEnsure(t, inp + (<usize>i << 4), load<u32>(out + (<usize>i << 2)));
    assert(d != NIL); // reserved above
    if (destCreated) { created++; if (state != 0) destSetState(d, state); }
    store<u32>(out + (<usize>i << 2), d);
  }
  setRes(0, created);
  return NO_ERROR;
}
