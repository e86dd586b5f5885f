// Record readers and I/O-area access of the facade: the only code above src/port/core.ts, src/coretable.ts and
// the Table fast paths that reads or writes linear memory. Record words are read by slab slot through
// recordPtr (one Wasm call, then one typed-array read; views are re-fetched from Core on every access, so
// memory growth never leaves a stale view). The I/O area is written before a call (prefix keys, handle
// arrays) and read straight after it (result registers, IO_OUT slots). Field offsets are the layout
// constants of src/layout.ts plus the few read here by name (DEST_TABLE, DESTX_LOCK, …).
// The one-crossing records (assembly/records.ts REC_*: f64 words at IO_OUT) are read here too, into the
// facade's RouteInfo / DestInfo shapes. Allocates only what it returns (copied slot arrays, key words,
// text, record objects), and keeps the IPv4 prefix text of destinations seen more than once (destPrefix).
import type { Core } from './core.js';
import {
  type Family, AF_INET, AF_INET6, parsePrefixInto, netAddressInto, formatPrefix, type NetAddressLike,
} from '../address.js';
import type {
  DestHandle, DestInfo, DestViewInfo, EntityHandle, NextHopHandle, RouteHandle, RouteState,
} from '../types.js';

/** Word index of record `slot` of slab `slab` in core.u32() (0 when the slot is out of range). */
function base(core: Core, slab: number, slot: number): number {
  return core.x.recordPtr(slab, slot) >>> 2;
}

// ── record words ──────────────────────────────────────────────────────────────────────────────────────

/** Word `field` (a ROUTE_* offset) of route slot r. */
export function routeWord(core: Core, r: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_ROUTE, r) + field];
}
/** Route slot r's owner entity slot (the core's routeOwner: a route has no owner word, layout ROUTE_NH). */
export function routeOwnerSlot(core: Core, r: number): number {
  return core.x.routeOwnerOf(r) >>> 0;
}
/** Route slot r's state (RTM_ROUTE_STATE_*: layout ROUTE_STATE, two bits of the views word). */
export function routeStateOf(core: Core, r: number): number {
  const k = core.k;
  return (routeWord(core, r, k.ROUTE_STATE) >>> k.ROUTE_STATE_SHIFT) & k.ROUTE_STATE_MASK;
}
/** Route slot r's Flags | Flags1 << ROUTE_FLAGS1_SHIFT (layout ROUTEX_FLAGS: an extra word, 0 without one). */
export function routeFlagsOf(core: Core, r: number): number {
  return core.x.routeFlagsOf(r) >>> 0;
}
/**
 * Route slot r's preference (layout ROUTE_PM): the word's first packed form read here, its second form and
 * an escaped pair (ROUTE_PM_B, ROUTE_PM_X) by the core, whose routes.ts pmPack is the encoding's one home.
 * `w`: r's word ROUTE_PM when the caller has read it (else it is read here: a recordPtr call).
 */
export function routePrefOf(core: Core, r: number, w = routeWord(core, r, core.k.ROUTE_PM)): number {
  const k = core.k;
  return (w & (k.ROUTE_PM_X | k.ROUTE_PM_B)) === 0 ? w >>> k.ROUTE_PM_PREF_SHIFT : core.x.routePrefOf(r) >>> 0;
}
/** Route slot r's metric (layout ROUTE_PM, as routePrefOf; `w`: its word ROUTE_PM when the caller has read it). */
export function routeMetricOf(core: Core, r: number, w = routeWord(core, r, core.k.ROUTE_PM)): number {
  const k = core.k;
  return (w & (k.ROUTE_PM_X | k.ROUTE_PM_B)) === 0 ? w & k.ROUTE_PM_METRIC_MASK : core.x.routeMetricOf(r) >>> 0;
}
/** Word `field` (a NEXTHOP_* offset) of next-hop slot h. */
export function nextHopWord(core: Core, h: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_NEXTHOP, h) + field];
}
/** Word `field` (a DEST_* offset) of destination slot d. */
export function destWord(core: Core, d: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_DEST, d) + field];
}
/** Word `field` (an ENTITY_* offset) of entity slot e. */
export function entityWord(core: Core, e: number, field: number): number {
  return core.u32()[base(core, core.k.SLAB_ENTITY, e) + field];
}

/** The destination slot of route slot r (the core's routeDest: a route has no destination word, layout ROUTE_NEXT). */
export function routeDestSlot(core: Core, r: number): number {
  return core.x.routeDestOf(r) >>> 0;
}
/** The table slot of route slot r (through its owner, as the core's routeTableByOwner: no walk to the chain's end). */
export function routeTable(core: Core, r: number): number {
  return entityTable(core, routeOwnerSlot(core, r));
}
/** The table slot of entity slot e. */
export function entityTable(core: Core, e: number): number {
  return entityWord(core, e, core.k.ENTITY_TABLE);
}
/**
 * Destination d's lock word: its lock record (assembly/locks.ts) while any entity holds a lock, else
 * LOCK_NONE. It is a word of the destination's extra record (layout DESTX_LOCK; none = LOCK_NONE).
 */
export function destLockWord(core: Core, d: number): number {
  return core.x.destXGet(d, core.k.DESTX_LOCK) >>> 0;   // (u32; the default, none, is NIL: LOCK_NONE)
}
/**
 * Route slot r's neighbour (a next-hop slot) or NIL: word ROUTE_NH when the views word says so
 * (ROUTE_NBHOP_BIT), else a word of its extra record (ROUTEX_NEIGHBOUR; none = NIL).
 */
export function routeNeighbourSlot(core: Core, r: number): number {
  const L = core.k, b = base(core, L.SLAB_ROUTE, r), u = core.u32();
  if ((u[b + L.ROUTE_VIEWS] & L.ROUTE_NBHOP_BIT) !== 0) return u[b + L.ROUTE_NH];
  return core.x.routeXWord(r, L.ROUTEX_NEIGHBOUR) >>> 0;   // (u32)
}
/** True if slot `slot` of slab `slab` is in range and allocated. */
export function recordAlive(core: Core, slab: number, slot: number): boolean {
  const p = core.x.recordPtr(slab, slot);
  return p !== 0 && (core.u32()[p >>> 2] & core.k.GEN_ALIVE) !== 0;
}

/** The next-hop slots of route slot r, in order. Allocates the array. */
export function routeHopSlots(core: Core, r: number): number[] {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_ROUTE, r);
  const n = (u[b + L.ROUTE_NHCOUNT] >>> L.ROUTE_NHCOUNT_SHIFT) & L.ROUTE_NHCOUNT_MASK, out: number[] = [];
  for (let i = 0; i < n; i++) out.push(n === 1 ? u[b + L.ROUTE_NH] : u[(u[b + L.ROUTE_NH] >>> 2) + i]);
  return out;
}

/** Copies the address words of next-hop slot h into out[off..off+3]; returns its length. */
export function nextHopKeyInto(core: Core, h: number, out: Uint32Array, off = 0): number {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_NEXTHOP, h);
  for (let w = 0; w < 4; w++) out[off + w] = u[b + L.NEXTHOP_ADDR + w];
  return u[b + L.NEXTHOP_LEN] & L.NEXTHOP_LEN_MASK;
}

/** The address of next-hop slot h: '10.0.0.1' for a full-length address, else 'addr/len'. Allocates the text. */
export function nextHopAddress(core: Core, family: Family, h: number): string {
  const L = core.k, u = core.u32(), b = base(core, L.SLAB_NEXTHOP, h);
  const len = u[b + L.NEXTHOP_LEN] & L.NEXTHOP_LEN_MASK;
  const text = formatPrefix(family, u, b + L.NEXTHOP_ADDR, len);
  return len === (family === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
}

// ── the I/O area ──────────────────────────────────────────────────────────────────────────────────────

/** Result register i of the last call. */
export function readResult(core: Core, i: number): number {
  return core.res(i);
}

/** Word i of IO_OUT. */
export function readOutWord(core: Core, i: number): number {
  return core.u32()[core.io + core.IO_OUT + i];
}

/** The first n words of IO_OUT (slots a call just listed), copied into a plain array. */
export function readOutSlots(core: Core, n: number): number[] {
  const u = core.u32(), b = core.io + core.IO_OUT, out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = u[b + i];
  return out;
}

/** The first n handles (f64) at IO_OUT_HANDLES, where listing calls put the handles of the slots at IO_OUT. */
export function readOutHandles(core: Core, n: number): number[] {
  const f = core.f64(), b = (core.io + core.k.IO_OUT_HANDLES) / 2, out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = f[b + i];
  return out;
}

/** The handle (f64) at IO_OUT_HANDLES: the one a single-handle call just wrote (nexthopFindRefX, nexthopTakeX). */
export function readOutHandle(core: Core): number {
  return core.f64()[(core.io + core.k.IO_OUT_HANDLES) / 2];
}

/**
 * Writes a prefix (text or RTM_NET_ADDRESS) of `family` into the key words at IO_IN + off; returns its
 * length, or -1 when it is malformed or of another family.
 */
export function writePrefix(core: Core, family: Family, p: unknown, off = 0): number {
  if (typeof p === 'string') return parsePrefixInto(p, family, core.u32(), core.io + core.IO_IN + off);
  if (p && typeof p === 'object') return netAddressInto(p as NetAddressLike, family, core.u32(), core.io + core.IO_IN + off);
  return -1;
}

/** writePrefix for prefix text (the hot paths' form, small enough to inline): its length, or -1. */
export function writePrefixText(core: Core, family: Family, p: string): number {
  return parsePrefixInto(p, family, core.u32(), core.io + core.IO_IN);
}

/** Writes handles as f64 at IO_HOPS (next hops of a route, routes of a list insert). */
export function writeHandles(core: Core, hs: readonly number[]): void {
  const f = core.f64(), b = (core.io + core.k.IO_HOPS) / 2;
  for (let i = 0; i < hs.length; i++) f[b + i] = hs[i];
}

/** Writes one or two next-hop handles (n = 1 or 2) as f64 at IO_HOPS: writeHandles without an array. */
export function writeHopPair(core: Core, n: number, h0: number, h1: number): void {
  const f = core.f64(), b = (core.io + core.k.IO_HOPS) / 2;
  f[b] = h0;
  if (n === 2) f[b + 1] = h1;
}

/** A handle as the reference calls read it at IO_IN: a number as is, undefined / null as 0 (NULL), else NaN. */
function inHandle(h: unknown): number { return typeof h === 'number' ? h : h == null ? 0 : NaN; }

/** Writes hs[from..from+n) as f64 at IO_IN (refDropManyX / refTakeManyX input); non-numbers become NaN. */
export function writeInHandles(core: Core, hs: readonly unknown[], from: number, n: number): void {
  const f = core.f64(), b = (core.io + core.IO_IN) / 2;
  for (let i = 0; i < n; i++) f[b + i] = inHandle(hs[from + i]);
}

/**
 * Handles written one at a time as f64 at IO_IN (each as writeInHandles writes it), for a caller that
 * gathers them from records itself; `n` written so far. reset() after the core call that read them.
 */
export class InHandleWriter {
  n = 0;
  private f: Float64Array;
  /** f64 index of IO_IN (an int32: IO_IN and the I/O area's base are even word indexes). */
  private readonly at: number;
  constructor(private readonly core: Core) {
    this.at = (core.io + core.IO_IN) >> 1;
    this.f = core.f64();
  }
  put(h: unknown): void {
    // (inHandle, written out: this is the drain's per-handle step)
    this.f[this.at + this.n++] = typeof h === 'number' ? h : h == null ? 0 : NaN;
  }
  /** Starts again at IO_IN (and re-reads the memory view: the core call may have grown memory). */
  reset(): void {
    this.n = 0;
    this.f = this.core.f64();
  }
}

// ── one-crossing records (REC_* f64 words at IO_OUT) ───────────────────────────────────────────────

/** f64 word w of IO_OUT (a REC_* field of the record a call just wrote). */
export function readOutF64(core: Core, w: number): number {
  return core.f64()[(core.io + core.IO_OUT) / 2 + w];
}

/** What routeAddR left: its REC_ADD_* record and its RES_SIGNALS register (readAddRecord fills one in place). */
export interface AddRecord {
  slot: number; changeFlags: number; ref: number; route: number; esiCheck: number; signals: number;
}

/**
 * Reads routeAddR's REC_ADD_* words and RES_SIGNALS into `into` (the caller's own object, reused: nothing
 * allocates) through one view of memory each: one call instead of a readOutF64 per word (the hot caller's
 * inlining budget runs out before such small calls).
 */
export function readAddRecord(core: Core, into: AddRecord): void {
  const k = core.k, f = core.f64(), b = (core.io + core.IO_OUT) / 2;
  into.slot = f[b + k.REC_ADD_ROUTE_SLOT];
  into.changeFlags = f[b + k.REC_ADD_CHANGE];
  into.ref = f[b + k.REC_ADD_REF];
  into.route = f[b + k.REC_ADD_ROUTE];
  into.esiCheck = f[b + k.REC_ADD_ESI_CHECK];
  into.signals = core.u32()[core.io + core.IO_RES + k.RES_SIGNALS];
}

/** routeDeleteR's result registers: change flags (RES1), RES_SIGNALS and RES_TIMERS (readDeleteResult fills one in place). */
export interface DeleteResult { flags: number; signals: number; timers: number }

/** Reads routeDeleteR's result registers into `into` through one view of memory. */
export function readDeleteResult(core: Core, into: DeleteResult): void {
  const u = core.u32(), b = core.io + core.IO_RES;
  into.flags = u[b + 1];
  into.signals = u[b + core.k.RES_SIGNALS];
  into.timers = u[b + core.k.RES_TIMERS];
}

/** The route record routeInfoR wrote (REC_ROUTE_*), as RouteInfo; `esi` maps the REC_ROUTE_SLOT to its EntitySpecificInfo. */
export function readRouteRecord(core: Core, family: Family, esi: readonly unknown[]): { slot: number; info: {
  dest: DestHandle; owner: EntityHandle; neighbour: NextHopHandle | undefined; state: RouteState; flags1: number;
  flags: number; metric: number; preference: number; views: number; entitySpecificInfo: unknown;
  nextHops: NextHopHandle[]; prefix: string; }; } {
  const k = core.k, f = core.f64(), b = (core.io + core.IO_OUT) / 2;
  const n = f[b + k.REC_ROUTE_NHOPS], nb = f[b + k.REC_ROUTE_NEIGHBOUR], slot = f[b + k.REC_ROUTE_SLOT];
  const nextHops = new Array<NextHopHandle>(n);
  for (let i = 0; i < n; i++) nextHops[i] = f[b + k.REC_ROUTE_HOPS + i] as NextHopHandle;
  return {
    slot,
    info: {
      dest: f[b + k.REC_ROUTE_DEST] as DestHandle,
      owner: f[b + k.REC_ROUTE_OWNER] as EntityHandle,
      neighbour: nb === 0 ? undefined : nb as NextHopHandle,
      state: f[b + k.REC_ROUTE_STATE] as RouteState,
      flags1: f[b + k.REC_ROUTE_FLAGS1],
      flags: f[b + k.REC_ROUTE_FLAGS],
      metric: f[b + k.REC_ROUTE_METRIC],
      preference: f[b + k.REC_ROUTE_PREF],
      views: f[b + k.REC_ROUTE_VIEWS],
      entitySpecificInfo: f[b + k.REC_ROUTE_ESI] === k.ROUTE_ESI_NULL ? null : esi[slot] ?? null,
      nextHops,
      prefix: formatPrefix(family, core.u32(), 2 * (b + k.REC_ROUTE_KEY), f[b + k.REC_ROUTE_LEN]),
    },
  };
}

// IPv4 prefix text of destination records by table (the same text as formatPrefix): the first two
// octets with their dots, then, when the last octet is 0 (every prefix of /24 or shorter), the third
// octet, '0' and '/len' as one ready string (one concatenation), else the third octet with its dot, the
// fourth and '/len'. Both tables are filled on first use: at most 65,536 and 16,384 short strings.
const OCT = Array.from({ length: 256 }, (_, i) => String(i));
const OCT_DOT = OCT.map((o) => o + '.');
const SLASH_LEN = Array.from({ length: 129 }, (_, i) => '/' + i);
const HIGH_DOTS: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);
const TAIL_ZERO: (string | undefined)[] = new Array<string | undefined>(256 * 64).fill(undefined);

// The IPv4 text of destination records by destination slot modulo 2^16, a direct-mapped memo of destPrefix
// shared by every core: entry i holds the key word and length last read for slot i, and the text made
// from them once the same key word and length came a second time (until then ''). It is used only for
// that same key word and length, so an entry left by another destination of the slot (a freed slot's
// next occupant, another core's) is a miss, never a wrong text. A destination seen again (a route that
// flaps) makes no string: a hit costs three loads and three comparisons. A text is kept only from the
// second sighting on, so a drain that sees each destination once (a full-table change) keeps none alive
// (they die young, as without the memo). Holds at most 2^16 texts; length 255 marks an empty entry.
const TEXT_MASK = 0xffff;
const textKey = new Uint32Array(TEXT_MASK + 1);
const textLen = new Uint8Array(TEXT_MASK + 1).fill(255);
const textOf: string[] = new Array<string>(TEXT_MASK + 1).fill('');

/** The prefix text of the destination record at f64 index b of IO_OUT (f = core.f64(), u = core.u32()). */
function destPrefix(core: Core, family: Family, f: Float64Array, u: Uint32Array, b: number, len: number): string {
  const w = 2 * (b + core.k.REC_DEST_KEY);
  if (family !== 4 || len > 32) return formatPrefix(family, u, w, len);
  const v = u[w], i = f[b + core.k.REC_DEST_SLOT] & TEXT_MASK;
  const again = textKey[i] === v && textLen[i] === len;
  if (again && textOf[i] !== '') return textOf[i];
  const hi = v >>> 16, c = (v >>> 8) & 255;
  const head = HIGH_DOTS[hi] ?? (HIGH_DOTS[hi] = OCT_DOT[hi >>> 8] + OCT_DOT[hi & 255]);
  let text: string;
  if ((v & 255) !== 0) text = head + OCT_DOT[c] + OCT[v & 255] + SLASH_LEN[len];
  else {
    const t = (c << 6) | len;
    text = head + (TAIL_ZERO[t] ?? (TAIL_ZERO[t] = OCT_DOT[c] + '0' + SLASH_LEN[len]));
  }
  if (again) textOf[i] = text;
  else { textKey[i] = v; textLen[i] = len; textOf[i] = ''; }
  return text;
}

// The small integer fields of destination records (view id, route count, route flags, view mask, prefix
// length: each below 2^25, the most route slots, far below 2^31) are read as int32 (`| 0`, exact for
// them): a field holding an int32 is a small integer in the object, where a float read from the f64 words
// would be a heap number of 16 bytes of its own per field and record. The same numbers either way.

/** The viewInfo entry at f64 index v of IO_OUT (REC_DVIEW_*): the one place such objects are made (one shape). */
function destViewEntry(k: Core['k'], f: Float64Array, v: number): DestViewInfo {
  const route = f[v + k.REC_DVIEW_ROUTE], owner = f[v + k.REC_DVIEW_OWNER], hold = f[v + k.REC_DVIEW_HOLD];
  return {
    viewId: f[v + k.REC_DVIEW_ID] | 0, numRoutes: f[v + k.REC_DVIEW_ROUTES] | 0,
    route: route === 0 ? undefined : route as RouteHandle,
    owner: owner === 0 ? undefined : owner as EntityHandle,
    destFlags: f[v + k.REC_DVIEW_FLAGS] | 0,
    holdRoute: hold === 0 ? undefined : hold as RouteHandle,
  };
}

/**
 * The viewInfo entries of the destination record at f64 index b of IO_OUT (REC_DEST_VIEW onwards), in an
 * array of exactly their number (one or two views: an array literal, no growth).
 */
function readDestViews(core: Core, f: Float64Array, b: number): DestViewInfo[] {
  const k = core.k, nv = f[b + k.REC_DEST_NVIEWS], v = b + k.REC_DEST_VIEW;
  if (nv === 1) return [destViewEntry(k, f, v)];
  if (nv === 2) return [destViewEntry(k, f, v), destViewEntry(k, f, v + k.REC_DVIEW_WORDS)];
  const viewInfo: DestViewInfo[] = [];
  for (let j = 0; j < nv; j++) viewInfo.push(destViewEntry(k, f, v + j * k.REC_DVIEW_WORDS));
  return viewInfo;
}

/** Destination record i (REC_DEST_*, REC_DEST_WORDS apart) that destInfoR / destInfoAtR / notifyGetChangedR wrote, as DestInfo. */
export function readDestRecord(core: Core, family: Family, i = 0): DestInfo {
  const k = core.k, f = core.f64(), b = (core.io + core.IO_OUT) / 2 + i * k.REC_DEST_WORDS;
  const len = f[b + k.REC_DEST_LEN] | 0;
  return {
    handle: f[b + k.REC_DEST_HANDLE] as DestHandle,
    prefix: destPrefix(core, family, f, core.u32(), b, len),
    address: { addressFamily: family === 4 ? AF_INET : AF_INET6, numBits: len },
    lastChanged: f[b + k.REC_DEST_CHANGED],
    views: f[b + k.REC_DEST_VIEWS] | 0,
    viewInfo: readDestViews(core, f, b),
  };
}

/**
 * A class of destination records: its constructor takes the DestInfo fields in readDestRecord's order,
 * then the `extra` argument readDestRecords was given.
 */
export type DestRecordClass<T extends DestInfo, X> = new (handle: DestHandle, prefix: string, address: DestInfo['address'],
  lastChanged: number, views: number, viewInfo: DestViewInfo[], extra: X) => T;

/**
 * Destination records 0..n-1 (as readDestRecord reads them), each built by `Rec` (with `extra`), stored
 * at out[at..at+n) (`at` ≤ out.length: into room the caller made, or appended).
 */
export function readDestRecords<T extends DestInfo, X>(core: Core, family: Family, n: number, Rec: DestRecordClass<T, X>, out: T[],
  at: number, extra: X): void {
  const k = core.k, f = core.f64(), u = core.u32(), af = family === 4 ? AF_INET : AF_INET6;
  for (let i = 0, b = (core.io + core.IO_OUT) / 2; i < n; i++, b += k.REC_DEST_WORDS) {
    const len = f[b + k.REC_DEST_LEN] | 0;
    out[at + i] = new Rec(f[b + k.REC_DEST_HANDLE] as DestHandle, destPrefix(core, family, f, u, b, len), { addressFamily: af, numBits: len },
      f[b + k.REC_DEST_CHANGED], f[b + k.REC_DEST_VIEWS] | 0, readDestViews(core, f, b), extra);
  }
}

/** The DestInfo fields, writable (a class of destination records declares them in this order). */
export type DestInfoFields = { -readonly [K in keyof DestInfo]: DestInfo[K] };
