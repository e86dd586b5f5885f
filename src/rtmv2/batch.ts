// Batch paths of an entity (API.md §6; not in RTMv2): addRoutesBatch (bulk RtmAddRouteToDest),
// applyUpdates (a stream of add/update/delete records with the single calls' semantics) and
// getChangedDestIds (RtmGetChangedDests + RtmReleaseChangedDests as destIds). Both batches are atomic:
// records go to the core's I/O area in chunks, every chunk is validated (and memory for the whole batch
// reserved) before the first is applied, so a rejected batch leaves the table exactly as it was. Costs
// one crossing per chunk (two when the batch spans several); allocates nothing per record, and per call
// only the result object of addRoutesBatch — except its bulk build (an entity without routes, a table no
// larger than the batch: assembly/bulk.ts): one pass for a batch in prefix order; any other is sorted (per
// call the sort's arrays, bulksort.ts) and goes in one pass in that order, or, while registrations or the
// best-change log watch the table, adds a trie pass in prefix order and a node slot per record.
// Functions over a narrow context; this file imports neither entity.ts nor rtm.ts.
import type { Core } from '../port/core.js';
import { RtmError, RtmInternalError, check, fmt } from '../errors.js';
import { opts } from './args.js';
import type { ChangedDestIdsOptions, RouteLoadBatch, RouteLoadResult, RouteUpdates } from '../types.js';
import { fillLoad, fillLoadByOrder, fillUpdates, clearOutEsi, copyOutU32, copyOutI32, fillPrefixes, copyOutByOrder, fillOutU32 } from '../port/batchio.js';
import { prefixOrder } from './bulksort.js';

/** What the batch paths need of their entity. */
export interface BatchContext {
  readonly core: Core;
  /** The entity's registration handle. */
  readonly handle: number;
  /** EntitySpecificInfo of route slots (the instance's side array). */
  readonly routeEsi: unknown[];
  /** RtmOptions.defaultPreferences of the entity's protocol (what a preference of 0 becomes), if any. */
  defaultPreference(): unknown;
  /** Throws ERROR_INVALID_HANDLE once the entity deregistered or the instance closed. */
  live(op: string): void;
  /** Pushes the clock to the core (LastChanged). */
  syncNow(): void;
  /** Schedules the change-notification callbacks the core signalled and re-arms the real-clock timer (a delete may start a hold-down). */
  afterChange(): void;
}

function bad(op: string, detail: string): RtmError { return new RtmError('ERROR_INVALID_PARAMETER', op, detail); }

function countOf(v: unknown, op: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw bad(op, `count must be a non-negative integer, got ${fmt(v)}`);
  return v;
}

// array kinds an argument may have (checked without allocating)
const U32 = 0, U8_U32 = 1, F64 = 2, U16_U32 = 3, U8 = 4;
const KIND_NAMES = ['a Uint32Array', 'a Uint8Array or Uint32Array', 'a Float64Array', 'a Uint16Array or Uint32Array', 'a Uint8Array'];

/** `v` is an array of `kind` with at least `min` elements; undefined passes when `optional`. */
function arrayArg(v: unknown, name: string, min: number, op: string, optional: boolean, kind: number): void {
  if (v === undefined && optional) return;
  // ArrayBuffer.isView first: `instanceof` on a hostile Proxy runs its traps
  const ok = !ArrayBuffer.isView(v) ? false : kind === U32 ? v instanceof Uint32Array
    : kind === U8_U32 ? v instanceof Uint8Array || v instanceof Uint32Array
      : kind === F64 ? v instanceof Float64Array
        : kind === U16_U32 ? v instanceof Uint16Array || v instanceof Uint32Array
          : v instanceof Uint8Array;
  if (!ok) throw bad(op, `${name} must be ${KIND_NAMES[kind]}`);
  if ((v as ArrayLike<number>).length < min) throw bad(op, `${name} is shorter than count`);
}

/** The default preference of the entity's protocol as a u32, or 0 (addRouteToDest's rule). */
function defaultPref(ctx: BatchContext, op: string): number {
  const d = ctx.defaultPreference();
  if (d === undefined) return 0;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 0xffffffff) throw bad(op, `defaultPreferences = ${fmt(d)}`);
  return d;
}

/** The error of a failed chunk call; `at` = index of the chunk's first record. */
function chunkError(core: Core, s: number, op: string, at: number): RtmError {
  const indexed = s === 6 || s === 87 || s === 170;   // ERROR_INVALID_HANDLE / _PARAMETER / ERROR_BUSY carry RES2
  return new RtmError(s, op, indexed ? `record ${at + core.res(2)}; nothing applied` : 'nothing applied');
}

/**
 * After a chunk call: where it stopped (RES5; m when it applied everything). It stops before a record
 * whose route has an EntitySpecificInfo the core does not know (last written by the legacy routeAdd):
 * the facade tells it from its side array (routeEsiMark), and the caller calls again from there.
 */
function tellEsi(ctx: BatchContext, m: number): number {
  const c = ctx.core, stop = c.res(5);
  if (stop < m) {
    const r = c.res(6);
    check(c.x.routeEsiMark(r, ctx.routeEsi[r] != null ? 1 : 0), 'routeEsiMark');
  }
  return stop;
}

/** A chunk that failed in the apply pass after the whole batch passed the check pass: a core bug. */
function afterCheck(op: string, s: number, i0: number): RtmInternalError {
  return new RtmInternalError(`${op}: chunk at record ${i0} failed with status ${s} after every chunk was validated`);
}

/** A batch column: its name, the values it has per record, whether it may be left out, its array kind. */
type Column = readonly [name: string, per: number, optional: boolean, kind: number];
const LOAD_COLUMNS: readonly Column[] = [
  ['keys', 4, false, U32], ['lens', 1, false, U8_U32], ['nextHops', 1, true, F64], ['preferences', 1, true, U32],
  ['metrics', 1, true, U32], ['views', 1, true, U8_U32], ['flags', 1, true, U16_U32],
];
const UPDATE_COLUMNS: readonly Column[] = [
  ['keys', 4, false, U32], ['lens', 1, false, U8_U32], ['kinds', 1, false, U8], ['nextHops', 1, true, F64],
  ['preferences', 1, true, U32], ['metrics', 1, true, U32], ['views', 1, true, U8_U32], ['changeFlags', 1, true, U32],
];

/** Reads a batch once (count and columns) and checks every column against the count; returns the copy. */
function readBatch<T extends { count: number }>(batch: unknown, columns: readonly Column[], op: string): T {
  if (!batch || typeof batch !== 'object') throw bad(op, 'no batch');
  const b = opts<T>(batch as T, ['count', ...columns.map((col) => col[0])] as (keyof T)[], op) as T;
  const n = countOf(b.count, op);
  for (const [name, per, optional, kind] of columns) arrayArg((b as Record<string, unknown>)[name], name, per * n, op, optional, kind);
  return b;
}

/** The core calls of one batch kind, over chunks of at most `max` records starting at record `i0`. */
interface ChunkCalls {
  readonly max: number;
  /** Writes records [i0, i0 + m) into the I/O area. */
  fill(i0: number, m: number): void;
  /** Validates the chunk in the I/O area (`reserveFor` > 0 on the first: memory for the whole batch); a status. */
  check(m: number, reserveFor: number): number;
  /** Applies the chunk from record `from`; a status. */
  apply(m: number, from: number): number;
  /** After a chunk is applied: its results out. */
  done(i0: number, m: number): void;
  /** After every chunk of a multi-chunk batch passed the check: applies the whole batch another way and answers true, or false. */
  bulk?(n: number): boolean;
}

/**
 * Runs a batch of `n` records atomically: when it spans several chunks, every chunk is validated first
 * (nothing changes if one is rejected); then each chunk is applied, the EntitySpecificInfo of reused
 * route slots told on the way (tellEsi), and the change callbacks scheduled.
 */
function runChunks(ctx: BatchContext, op: string, n: number, k: ChunkCalls): void {
  const c = ctx.core, MAX = k.max;
  ctx.syncNow();
  if (n > MAX) {
    for (let i0 = 0; i0 < n; i0 += MAX) {
      const m = Math.min(MAX, n - i0);
      k.fill(i0, m);
      const s = k.check(m, i0 === 0 ? n : 0);
      if (s !== 0) throw chunkError(c, s, op, i0);
    }
    if (k.bulk && k.bulk(n)) { ctx.afterChange(); return; }
  }
  for (let i0 = 0; i0 < n; i0 += MAX) {
    const m = Math.min(MAX, n - i0);
    k.fill(i0, m);
    for (let from = 0; ;) {
      const s = k.apply(m, from);
      if (s !== 0) throw i0 === 0 && from === 0 ? chunkError(c, s, op, i0) : afterCheck(op, s, i0 + from);
      if ((from = tellEsi(ctx, m)) === m) break;
    }
    k.done(i0, m);
    ctx.afterChange();
  }
}

/**
 * Bulk RtmAddRouteToDest (spec §7.2 identity: destination + owner + neighbour; the record's next hop is
 * both the neighbour and the only next hop): no handles returned, no references taken, routes never
 * expire and have a NULL EntitySpecificInfo. Atomic: a rejected batch changes nothing.
 * @throws RtmError ERROR_INVALID_PARAMETER (arrays, a length, a foreign or deleted next hop; names the
 *   record), ERROR_INVALID_HANDLE (a bad next-hop handle), ERROR_BUSY (a destination locked by another
 *   entity), ERROR_NOT_ENOUGH_MEMORY
 */
export function addRoutesBatch(ctx: BatchContext, batch: RouteLoadBatch): RouteLoadResult {
  const op = 'addRoutesBatch';
  ctx.live(op);
  const b = readBatch<RouteLoadBatch>(batch, LOAD_COLUMNS, op);
  const c = ctx.core, x = c.x, h = ctx.handle, S = c.k.LOAD_MAX;
  let routesCreated = 0, destsCreated = 0;
  runChunks(ctx, op, b.count, {
    max: S,
    fill: (i0, m) => fillLoad(c, b, i0, m, S),
    check: (m, reserveFor) => x.bulkCheck(h, m, reserveFor),
    apply: (m, from) => {
      const s = x.routeLoad(h, m, from);
      if (s === 0) { routesCreated += c.res(0); destsCreated += c.res(1); }
      return s;
    },
    done: (_i0, m) => clearOutEsi(c, ctx.routeEsi, 0, m),
    bulk: (n) => {
      const r = bulkLoad(ctx, b, n);
      if (r) { routesCreated += r[0]; destsCreated += r[1]; }
      return r !== undefined;
    },
  });
  return { routesCreated, destsCreated };
}

/**
 * The bulk build of a validated, reserved addRoutesBatch (assembly/bulk.ts): when the core takes it (an
 * entity without routes, a table no larger than the batch), a batch the check pass found in prefix order
 * goes in once (bulkSorted); so does any other batch, sorted (stably), when nothing in the table records
 * the order of changes (no registration, no best-change log: bulkBegin's RES3); otherwise its prefixes go
 * in once in that order (the sort), then the records in batch order with their nodes. [routes created,
 * destinations created], or undefined when the core answers that the chunked path applies.
 */
function bulkLoad(ctx: BatchContext, b: RouteLoadBatch, n: number): [number, number] | undefined {
  const op = 'addRoutesBatch', c = ctx.core, x = c.x, h = ctx.handle;
  const s0 = x.bulkBegin(h, n);
  if (s0 !== 0) throw chunkError(c, s0, op, 0);
  if (c.res(0) !== 1) return undefined;
  const MAX = c.k.LOAD_MAX, words = c.res(1), inOrder = c.res(2) === 1, anyOrder = c.res(3) === 1;
  let routes = 0, dests = 0;
  if (inOrder || anyOrder) {
    const ord = inOrder ? undefined : prefixOrder(b.keys, b.lens, n, words);
    for (let i0 = 0; i0 < n; i0 += MAX) {
      const m = Math.min(MAX, n - i0);
      if (ord) fillLoadByOrder(c, b, ord, i0, m, MAX); else fillLoad(c, b, i0, m, MAX);
      const s = x.bulkSorted(h, m);
      if (s !== 0) throw afterCheck(op, s, i0);
      routes += c.res(0); dests += c.res(1);
      clearOutEsi(c, ctx.routeEsi, 0, m);
    }
  } else {
    const ord = prefixOrder(b.keys, b.lens, n, words);
    const nodes = new Uint32Array(n), T = c.IO_BATCH_MAX;
    for (let j0 = 0; j0 < n; j0 += T) {
      const m = Math.min(T, n - j0);
      fillPrefixes(c, b.keys, b.lens, ord, j0, m);
      const s = x.bulkTrie(m);
      if (s !== 0) throw afterCheck(op, s, j0);
      copyOutByOrder(c, ord, j0, m, nodes);
    }
    for (let i0 = 0; i0 < n; i0 += MAX) {
      const m = Math.min(MAX, n - i0);
      fillLoad(c, b, i0, m, MAX);
      fillOutU32(c, nodes, i0, m);
      const s = x.bulkApply(h, m);
      if (s !== 0) throw afterCheck(op, s, i0);
      routes += c.res(0); dests += c.res(1);
      clearOutEsi(c, ctx.routeEsi, 0, m);
    }
  }
  check(x.bulkEnd(), op);
  return [routes, dests];
}

/**
 * applyUpdates (API.md §6): per record, in order, what one RtmAddRouteToDest with
 * RTM_ROUTE_CHANGE_FIRST (kind 0; the next hop as neighbour and only next hop, flags 0, TTL INFINITE,
 * NULL EntitySpecificInfo, no handle, no reference) or one RtmDeleteRouteToDest of the caller's first
 * route on the destination (kind 1; nothing when it has none) would do, with change classification and
 * queueing. `changeFlags` (optional) receives each record's change flags. Atomic. Returns `count`.
 * @throws RtmError ERROR_INVALID_PARAMETER (arrays, a length or kind, a foreign or deleted next hop;
 *   names the record), ERROR_INVALID_HANDLE (a bad next-hop handle), ERROR_BUSY (a destination locked by
 *   another entity), ERROR_NOT_ENOUGH_MEMORY
 */
export function applyUpdates(ctx: BatchContext, batch: RouteUpdates): number {
  const op = 'applyUpdates';
  ctx.live(op);
  const b = readBatch<RouteUpdates>(batch, UPDATE_COLUMNS, op);
  const c = ctx.core, x = c.x, h = ctx.handle, MAX = c.k.UPD_MAX;
  const def = defaultPref(ctx, op), out = b.changeFlags;
  runChunks(ctx, op, b.count, {
    max: MAX,
    fill: (i0, m) => fillUpdates(c, b, i0, m, MAX, def),
    check: (m, reserveFor) => x.updatesCheck(h, m, reserveFor),
    apply: (m, from) => x.updatesApply(h, m, from),
    done: (i0, m) => {
      if (out) copyOutU32(c, 0, out, i0, m);
      clearOutEsi(c, ctx.routeEsi, MAX, m);
    },
  });
  return b.count;
}

/**
 * RtmGetChangedDests + RtmReleaseChangedDests without records (API.md §6): pulls up to `out.length`
 * destinations queued in the caller's registration `notifyHandle` into `out` as destIds and releases
 * them in the same call (spec §8.9 queue semantics; a destination that has meanwhile left the table is
 * reported too, and its id no longer resolves). Returns how many were written: fewer than
 * `out.length` means the queue is empty now. One core call per 16,384 destinations; allocates nothing.
 * @throws RtmError ERROR_INVALID_HANDLE (not a registration of this entity), ERROR_INVALID_PARAMETER
 *   (`out` not an Int32Array)
 */
export function getChangedDestIds(ctx: BatchContext, options: ChangedDestIdsOptions): number {
  const op = 'getChangedDestIds';
  ctx.live(op);
  if (!options || typeof options !== 'object') throw bad(op, 'needs { notifyHandle, out: Int32Array }');
  const o = opts<ChangedDestIdsOptions>(options, ['notifyHandle', 'out'], op);
  if (!ArrayBuffer.isView(o.out) || !(o.out instanceof Int32Array)) throw bad(op, 'needs { notifyHandle, out: Int32Array }');
  const nh = o.notifyHandle, out: Int32Array = o.out;
  if (typeof nh !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a notification handle');
  const c = ctx.core, pull = c.x.changedIdsX, h = ctx.handle;
  const MAX = c.k.CHANGED_IDS_MAX;
  let total = 0;
  for (;;) {
    const want = Math.min(MAX, out.length - total);
    const s = pull(h, nh, want);
    if (s !== 0) check(s, op);
    const k = c.res(0);
    copyOutI32(c, 0, out, total, k);
    total += k;
    if (k < want || c.res(1) === 1 || total === out.length) return total;
  }
}

