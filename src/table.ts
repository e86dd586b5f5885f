// Table: the fast paths of one family's table (API.md §3 "Fast paths", §6 "Hot paths"; not in RTMv2).
// lookupId and bestRouteInto are the per-packet calls of simulators: one Wasm crossing each, only the
// checks that cannot be skipped safely (argument types, a closed instance), no allocation per call —
// the core functions are cached here once, results are read straight from the I/O area. IPv4 lookupId
// tests neither a closed instance nor a trapped core per call: the core refuses the call then (a closed
// instance's tables are retired to NIL, a trapped core stops its lookups), and only a refusal asks why.
// lookup() and destPrefix() allocate their results. Works over a narrow context (the core, the family's
// CoreTable, a usable() check); it imports neither rtm.ts nor entity.ts.
import type { Core } from './port/core.js';
import { routeMetricOf, routePrefOf } from './port/records.js';
import type { CoreTable } from './coretable.js';
import { RtmError, RtmInternalError, check, fmt } from './errors.js';
import { type Family, formatIPv4, formatIPv6, formatPrefix, parsePrefixInto } from './address.js';
import type { Layout } from './layout.js';
import type { EntityHandle, RouteHandle } from './types.js';
import { Publisher, type FibSnapshot } from './fib/publisher.js';

/** The best route of a destination as `lookup` reports it. */
export interface RouteSummary {
  /** The route (no reference taken). */
  readonly handle: RouteHandle;
  /** Its owner entity (no reference taken). */
  readonly owner: EntityHandle;
  /** The owner's EntityProtocolId. */
  readonly protocolId: number;
  /** PrefInfo.Preference. */
  readonly preference: number;
  /** PrefInfo.Metric. */
  readonly metric: number;
  /** Next-hop addresses ('10.0.0.1', or 'addr/len' for a prefix next hop). */
  readonly nextHops: readonly string[];
  /** The route's EntitySpecificInfo (the value its owner gave addRouteToDest / updates), null when none. */
  readonly entitySpecificInfo: unknown;
}

/**
 * A destination with a live route in the view and its best route there: what lookup() returns and what
 * supernets() / subnets() yield.
 */
export interface PrefixMatch {
  /** The destination's id (see lookupId). */
  readonly destId: number;
  /** The destination's prefix ('10.0.0.0/8'). */
  readonly prefix: string;
  /** Its best route in the view. */
  readonly route: RouteSummary;
}

/** @internal What a Table needs of its instance (the Rtm itself: no object or closure per table). */
export interface TableContext {
  readonly core: Core;
  readonly layout: Layout;
  /** Throws ERROR_INVALID_HANDLE once the instance is closed, RtmInternalError once the core trapped. */
  usable(op: string): void;
  /** EntitySpecificInfo of routes by slot (the instance's side array); absent or undefined = none. */
  readonly routeEsiIfAny?: readonly unknown[];
}

// Indices of the record bestRouteInto writes (the core's layout.ts "Best-route record"; the contract test
// compares them with the core's constants). Handles carry no reference.
/** Route handle of the best route. */
export const BEST_ROUTE = 0;
/** Owner entity handle. */
export const BEST_OWNER = 1;
/** Protocol id of the owner. */
export const BEST_PROTOCOL = 2;
/** Preference of the route. */
export const BEST_PREFERENCE = 3;
/** Metric of the route. */
export const BEST_METRIC = 4;
/** Route flags (RTM_ROUTE_FLAGS_*, 16 bits). */
export const BEST_FLAGS = 5;
/** Number of next hops of the route. */
export const BEST_NEXTHOP_COUNT = 6;
/** Handle of the first next hop (0 when the route has none). */
export const BEST_NEXTHOP = 7;
/** Neighbour (next-hop handle) the route was learnt from (0 = none). */
export const BEST_NEIGHBOUR = 8;
/** Interface index of the first next hop (0 when none). */
export const BEST_INTERFACE = 9;
/** BelongsToViews of the route. */
export const BEST_VIEWS = 10;
/** IPv4 address of the first next hop as a host-order number (0 for IPv6 or no next hop). */
export const BEST_NEXTHOP_IPV4 = 11;
/** Length an `out` array of bestRouteInto needs. */
export const BEST_FIELDS = 12;

const NOT_FOUND = 1168;

/** Fast paths of one family's table (not in RTMv2): lookups that allocate nothing unless noted. */
export class Table {
  /** @internal The trie-level table in the core. */
  readonly core: CoreTable;
  /** The address family of the table: 4 or 6. */
  readonly family: Family;
  private readonly ctx: TableContext;
  /** The table slot in the core; NIL once the instance closed (retire), a table the core refuses. */
  private t: number;
  /**
   * The core's exports, looked up once (a trap inside becomes RtmInternalError, in the port): the guarded
   * ones, and lookup4 without the per-call poison test (Core.lookup4Hot: a trapped core refuses it).
   */
  private readonly x4: Core['lookup4Hot'];
  private readonly x6: Core['x']['lookup6'];
  private readonly xBest: Core['x']['bestRouteX'];
  /** Word index of IO_IN in core.u32(); f64 index of IO_OUT in core.f64(). */
  private readonly inWord: number;
  private readonly outF64: number;
  /** The writer of this table's forwarding snapshot (made by the first publish). */
  private publisher: Publisher | undefined;

  /** @internal (an Rtm makes its tables; `table`: the family's trie-level table in the core) */
  constructor(ctx: TableContext, table: CoreTable) {
    this.ctx = ctx;
    this.core = table;
    this.family = table.family;
    this.t = table.t;
    const c = ctx.core;
    this.x4 = c.lookup4Hot;
    this.x6 = c.x.lookup6;
    this.xBest = c.x.bestRouteX;
    this.inWord = c.io + c.IO_IN;
    this.outF64 = (c.io + c.IO_OUT) / 2;
  }

  /**
   * Most specific destination with a live route in `view` covering an address (text, or for IPv4 a
   * host-order number) → `{ destId, prefix, route }`, or undefined. Allocates the result.
   * @throws RtmError ERROR_INVALID_PARAMETER (malformed address), ERROR_INVALID_HANDLE (closed instance)
   */
  lookup(address: string | number, view = 0): PrefixMatch | undefined {
    this.ctx.usable('lookup');
    if (view !== 0 && view !== 1) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `view must be 0 or 1, got ${fmt(view)}`);
    let destId: number;
    if (typeof address === 'number') {
      if (this.family !== 4 || !Number.isInteger(address) || address < 0 || address > 0xffffffff) {
        throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `bad address ${fmt(address)}`);
      }
      destId = this.core.lookup4(address, view);
    } else {
      if (typeof address !== 'string') throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `bad address ${fmt(address)}`);
      const c = this.ctx.core;
      const len = parsePrefixInto(address, this.family, c.u32(), c.io + c.IO_IN);
      if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `bad address ${fmt(address)}`);
      const d = this.core.lpm(address, 1 << view);
      destId = d === undefined ? -1 : d;
    }
    if (destId < 0) return undefined;
    return { destId, prefix: this.destPrefix(destId), route: this.bestRouteSummary(destId, view)! };
  }

  /**
   * The destinations with a live route in `view` that cover `prefix` (text: '10.1.0.0/16'; a bare
   * address is full length; host bits are cleared), the prefix itself included, most specific first —
   * `lookup(prefix)` and then each less specific one — each with its best route in the view. Found with
   * the core's longest-prefix and less-specific matches (RtmGetMostSpecificDestination /
   * RtmGetLessSpecificDestination with the view as target); at most 33 (IPv4) / 129 (IPv6) results,
   * read when called. Allocates the results.
   * @throws RtmError ERROR_INVALID_PARAMETER (not a prefix of this family, view not 0 or 1),
   *   ERROR_INVALID_HANDLE (closed instance)
   */
  supernets(prefix: string, view = 0): IterableIterator<PrefixMatch> {
    const op = 'supernets';
    this.ctx.usable(op);
    this.prefixArg(prefix, view, op);
    const qual = 1 << view;
    const out: PrefixMatch[] = [];
    for (let d = this.core.lpm(prefix, qual); d !== undefined; d = this.core.lessSpecific(d, qual)) out.push(this.match(d, view));
    return out[Symbol.iterator]();
  }

  /**
   * The destinations with a live route in `view` that `prefix` covers (text: '10.0.0.0/8'; a bare
   * address is full length; host bits are cleared), the prefix itself included, in canonical order
   * (spec §6.2: by address, a shorter prefix before the longer ones it covers), each with its best route
   * in the view — what an RTM_ENUM_RANGE destination enumeration from `prefix` returns. Lazy: the core's
   * ordered walk is read a page at a time as the iterator advances, each page resumed after the last
   * prefix returned, so the table may change meanwhile (a destination added behind the position is not
   * returned). Allocates the results and one array per page.
   * @throws RtmError ERROR_INVALID_PARAMETER (not a prefix of this family, view not 0 or 1),
   *   ERROR_INVALID_HANDLE (closed instance; also from next() once the instance is closed)
   */
  subnets(prefix: string, view = 0): IterableIterator<PrefixMatch> {
    const op = 'subnets';
    this.ctx.usable(op);
    this.prefixArg(prefix, view, op);
    return this.subnetPages(prefix, view);
  }

  private *subnetPages(range: string, view: number): Generator<PrefixMatch, undefined, undefined> {
    const qual = 1 << view, max = this.ctx.core.IO_BATCH_MAX;
    let page: PrefixMatch[];
    let after: string | undefined;
    do {
      this.ctx.usable('subnets');
      const ids = this.core.walk(after ?? range, { qual, range, inclusive: after === undefined });
      page = ids.map((d) => this.match(d, view));
      yield* page;
      if (page.length > 0) after = page[page.length - 1].prefix;
    } while (page.length === max);
    return undefined;
  }

  /** A prefix of this table's family and a view (0 or 1). @throws ERROR_INVALID_PARAMETER */
  private prefixArg(prefix: unknown, view: unknown, op: string): void {
    if (view !== 0 && view !== 1) throw new RtmError('ERROR_INVALID_PARAMETER', op, `view must be 0 or 1, got ${fmt(view)}`);
    const c = this.ctx.core;
    if (typeof prefix !== 'string' || parsePrefixInto(prefix, this.family, c.u32(), c.io + c.IO_IN) < 0) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op, `bad IPv${this.family} prefix ${fmt(prefix)}`);
    }
  }

  /** The PrefixMatch of a live destination in a view. */
  private match(destId: number, view: number): PrefixMatch {
    return { destId, prefix: this.core.destPrefix(destId), route: this.bestRouteSummary(destId, view)! };
  }

  /**
   * The destId of the most specific destination with a live route in `view` (API.md §6): IPv4 takes
   * one host-order u32 address; IPv6 four u32 words at `words[offset..offset+3]`, most significant
   * first. -1 when none. One Wasm call; allocates nothing. A view that has a forwarding structure answers
   * from it (view 0 of a large table of either family; view 1 once the table has many multicast routes),
   * any other from the trie.
   * @throws RtmError ERROR_INVALID_PARAMETER (an address that is not a u32 / not four words of a
   *   Uint32Array, a view other than 0 or 1), ERROR_INVALID_HANDLE (closed instance)
   */
  lookupId(address: number, view?: number): number;
  lookupId(words: Uint32Array, offset?: number, view?: number): number;
  lookupId(a: number | Uint32Array, b = 0, v = 0): number {
    if (this.family === 4) {
      if (typeof a !== 'number' || (a >>> 0) !== a || (b !== 0 && b !== 1)) return this.badLookup(a, b, 0);
      // no usable() per call: a closed instance (t NIL) or a trapped core is refused by the core (< -1)
      const r = this.x4(this.t, a, b);
      return r >= -1 ? r : this.refused();
    }
    this.ctx.usable('lookupId');
    if (!(ArrayBuffer.isView(a) && a instanceof Uint32Array) || typeof b !== 'number' || (b >>> 0) !== b || b + 4 > a.length || (v !== 0 && v !== 1)) {
      return this.badLookup(a, b, v);
    }
    const u = this.ctx.core.u32(), w = this.inWord;
    u[w] = a[b]; u[w + 1] = a[b + 1]; u[w + 2] = a[b + 2]; u[w + 3] = a[b + 3];
    return this.x6(this.t, v);
  }

  private badLookup(a: unknown, b: unknown, v: unknown): never {
    this.ctx.usable('lookupId');   // a closed instance or a trapped core first, as for every call
    const what = this.family === 4
      ? `lookupId(address, view) needs a u32 address and view 0 or 1, got ${fmt(a)}, ${fmt(b)}`
      : `lookupId(words, offset, view) needs a Uint32Array with four words at offset and view 0 or 1, got offset ${fmt(b)}, view ${fmt(v)}`;
    throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupId', what);
  }

  /** The core refused an IPv4 lookupId: the instance is closed or the core trapped (usable() throws which). */
  private refused(): never {
    this.ctx.usable('lookupId');
    throw new RtmInternalError(`lookupId: the core refused the live IPv4 table ${this.t}`);
  }

  /**
   * @internal The instance closed (Rtm.close): later IPv4 lookupIds pass NIL, which the core refuses, so
   * that a table slot the core gives to another instance is never read through this Table.
   */
  retire(): void { this.t = this.ctx.core.NIL; }

  /**
   * Writes the best route of destination `destId` in `view` into `out` as numbers (API.md §6; the
   * indices are the BEST_* constants: route, owner and next-hop handles without references, protocol
   * id, preference, metric, flags, next-hop count, interface, views, IPv4 next hop). False when `destId`
   * is not a live destination or has no live route in the view. One Wasm call; allocates nothing.
   * @throws RtmError ERROR_INVALID_PARAMETER (destId not an integer, view not 0 or 1, `out` not a
   *   Float64Array of at least BEST_FIELDS), ERROR_INVALID_HANDLE (closed instance)
   */
  bestRouteInto(destId: number, view: number, out: Float64Array): boolean {
    this.ctx.usable('bestRouteInto');
    if (typeof destId !== 'number' || !Number.isInteger(destId) || (view !== 0 && view !== 1) ||
      !(ArrayBuffer.isView(out) && out instanceof Float64Array) || out.length < BEST_FIELDS) {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'bestRouteInto',
        `needs an integer destId, view 0 or 1 and a Float64Array of at least ${BEST_FIELDS}`);
    }
    if (destId < 0 || destId > 0xffffffff) return false;
    const s = this.xBest(this.t, destId, view);
    if (s !== 0) {
      if (s === NOT_FOUND) return false;
      check(s, 'bestRouteInto');
    }
    const f = this.ctx.core.f64(), o = this.outF64;
    for (let i = 0; i < BEST_FIELDS; i++) out[i] = f[o + i];
    return true;
  }

  /**
   * Batch longest-prefix match (API.md §3): IPv4 one host-order u32 per address, IPv6 four u32 words
   * per address (MS first); writes each address's destId or -1 into `out`; returns the hits.
   */
  lookupBatch(keys: Uint32Array, out: Int32Array, view = 0): number {
    this.ctx.usable('lookupBatch');
    if (!(ArrayBuffer.isView(keys) && keys instanceof Uint32Array) || !(ArrayBuffer.isView(out) && out instanceof Int32Array) || (view !== 0 && view !== 1)) {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupBatch', 'needs a Uint32Array of keys, an Int32Array out and view 0 or 1');
    }
    return this.core.lookupBatch(keys, out, view);
  }

  /**
   * Publishes the unicast forwarding structure (view 0, destIds only) into a SharedArrayBuffer that
   * FibReader / LookupPool answer lookups from in any thread (API.md §6 "Lookups across cores"). The
   * first call makes the snapshot; later calls update the same snapshot in place (changed parts copied,
   * the version flipped with Atomics) and return it again. Readers answer each lookup from one version,
   * old or new; this call never waits for them. Allocates the snapshot and its growth.
   * @throws RtmError ERROR_INVALID_HANDLE (closed instance), ERROR_NOT_ENOUGH_MEMORY (snapshot limit)
   */
  publish(): FibSnapshot {
    this.ctx.usable('publish');
    if (this.publisher === undefined) this.publisher = new Publisher(this.ctx.core, this.t, this.family);
    return this.publisher.publish();
  }

  /** The prefix of a destination id ('10.0.0.0/8'). Allocates the string. */
  destPrefix(destId: number): string {
    this.ctx.usable('destPrefix');
    destIdArg(destId, 0, 'destPrefix');
    return this.core.destPrefix(destId);
  }

  /**
   * The best route of destination `destId` in `view` as a RouteSummary (allocates), or undefined. One
   * crossing: the core writes the summary record (REC_SUM_*, next-hop keys included) at IO_OUT.
   */
  bestRouteSummary(destId: number, view: number): RouteSummary | undefined {
    destIdArg(destId, view, 'bestRouteSummary');
    const c = this.ctx.core, L = this.ctx.layout;
    check(c.x.bestSummaryR(this.t, destId, view), 'lookup');
    const f = c.f64(), at = (c.io + c.IO_OUT) / 2;
    const route = f[at + L.REC_SUM_ROUTE];
    if (route === 0) return undefined;
    const n = f[at + L.REC_SUM_NHOPS], v4 = this.family === 4, u = c.u32();
    const nextHops: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = at + L.REC_SUM_HOPS + i * L.REC_SUM_HOP_WORDS, len = f[w + 2];
      // a full-length address prints without its length ('10.0.0.1'), a prefix next hop as 'addr/len'
      if (len === (v4 ? 32 : 128)) nextHops.push(v4 ? formatIPv4(u[2 * w] >>> 0) : formatIPv6(u, 2 * w));
      else nextHops.push(formatPrefix(this.family, u, 2 * w, len));
    }
    return {
      handle: route as RouteHandle, owner: f[at + L.REC_SUM_OWNER] as EntityHandle, protocolId: f[at + L.REC_SUM_PROTOCOL],
      preference: f[at + L.REC_SUM_PREF], metric: f[at + L.REC_SUM_METRIC], nextHops,
      entitySpecificInfo: this.ctx.routeEsiIfAny?.[f[at + L.REC_SUM_SLOT]] ?? null,
    };
  }

  /**
   * Live destinations: those with at least one live route (in any view). A destination whose only route
   * is held down (spec §7.7) is not counted, nor one kept present only by a mark, an opaque pointer or a
   * reference (§7.4); RTMv2 enumerations with RTM_VIEW_MASK_ANY still return a held-only destination.
   */
  get destCount(): number { return this.core.stat(this.ctx.layout.TABLE_LIVE); }
  /** Live routes. */
  get routeCount(): number { return this.core.stat(this.ctx.layout.TABLE_ROUTES); }
  /** Bytes of linear memory the core holds (shared by every instance of the process). */
  get memoryBytes(): number { return this.ctx.core.memoryBytes; }
}

/** A destId (a u32) and a view (0 or 1) of the fast paths. @throws ERROR_INVALID_PARAMETER */
function destIdArg(destId: unknown, view: unknown, op: string): void {
  if (typeof destId !== 'number' || !Number.isInteger(destId) || destId < 0 || destId > 0xffffffff || (view !== 0 && view !== 1)) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `needs a u32 destId and view 0 or 1, got ${fmt(destId)}, ${fmt(view)}`);
  }
}

/** @internal Reads route slot r into a RouteSummary (no references taken); `esi` is the instance's routeEsi. Allocates. */
export function routeSummaryOf(c: Core, L: Layout, family: Family, r: number, esi?: readonly unknown[]): RouteSummary {
  const rp = c.x.recordPtr;
  const base = rp(L.SLAB_ROUTE, r) >>> 2;
  const u = c.u32();
  const owner = c.x.routeOwnerOf(r);
  const n = (u[base + L.ROUTE_NHCOUNT] >>> L.ROUTE_NHCOUNT_SHIFT) & L.ROUTE_NHCOUNT_MASK;
  const hops: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = n === 1 ? u[base + L.ROUTE_NH] : u[(u[base + L.ROUTE_NH] >>> 2) + i];
    hops.push(nextHopAddressOf(c, L, family, h));
  }
  const eBase = rp(L.SLAB_ENTITY, owner) >>> 2;
  const hx = c.x.handleOfX;
  return {
    handle: hx(L.KIND_ROUTE, r) as RouteHandle,
    owner: hx(L.KIND_ENTITY, owner) as EntityHandle,
    protocolId: c.u32()[eBase + L.ENTITY_PROTO],
    preference: routePrefOf(c, r, u[base + L.ROUTE_PM]),
    metric: routeMetricOf(c, r, u[base + L.ROUTE_PM]),
    nextHops: hops,
    entitySpecificInfo: esi?.[r] ?? null,
  };
}

/** @internal The address of next-hop slot h ('10.0.0.1' for a full-length address, else 'addr/len'). */
export function nextHopAddressOf(c: Core, L: Layout, family: Family, h: number): string {
  const base = c.x.recordPtr(L.SLAB_NEXTHOP, h) >>> 2;
  const u = c.u32();
  const len = u[base + L.NEXTHOP_LEN] & L.NEXTHOP_LEN_MASK;
  const text = formatPrefix(family, u, base + L.NEXTHOP_ADDR, len);
  return len === (family === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
}
