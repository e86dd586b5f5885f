// Test-side readers of the one-crossing records (assembly/layout.ts REC_*) and of record reference counts:
// they turn a record written at IO_OUT into the facade's RouteInfo / DestInfo shapes, so core-level tests
// compare the exports field by field with what Entity returns. Constants are read from the core's
// globals by name (the facade's port will own typed readers; these are the tests' own).
import type { Core } from '../../src/core.js';
import { formatPrefix, AF_INET, AF_INET6, type Family } from '../../src/address.js';

/** Numbers-only view of the exports the tests call. */
export type X = Record<string, (...a: number[]) => number>;
export const xOf = (core: Core): X => core.x as unknown as X;

const constants = new WeakMap<Core, Map<string, number>>();
/** A constant exported by the core (cached per core). */
export function K(core: Core, name: string): number {
  let m = constants.get(core);
  if (!m) constants.set(core, (m = new Map()));
  let v = m.get(name);
  if (v === undefined) m.set(name, (v = core.constant(name)));
  return v;
}

/** f64 index of f64 word `w` of IO_OUT. */
export function outF64(core: Core, w: number): number { return (core.io + core.IO_OUT) / 2 + w; }

/** Writes handles as f64 at IO_IN (refDropManyX / refTakeManyX input); returns the count. */
export function handlesIn(core: Core, hs: readonly number[]): number {
  const f = core.f64(), base = (core.io + core.IO_IN) / 2;
  hs.forEach((h, i) => { f[base + i] = h; });
  return hs.length;
}

export interface RouteRecord {
  dest: number; owner: number; neighbour: number | undefined; state: number; flags1: number; flags: number;
  metric: number; preference: number; views: number; nextHops: number[]; prefix: string;
  slot: number; esi: number; destSlot: number;
}

/** Reads a routeInfoR record (REC_ROUTE_*) at IO_OUT. */
export function readRouteRecord(core: Core, family: Family): RouteRecord {
  const f = core.f64(), u = core.u32();
  const at = (name: string) => f[outF64(core, K(core, name))];
  const n = at('REC_ROUTE_NHOPS');
  const hops: number[] = [];
  for (let i = 0; i < n; i++) hops.push(f[outF64(core, K(core, 'REC_ROUTE_HOPS') + i)]);
  const nb = at('REC_ROUTE_NEIGHBOUR');
  return {
    dest: at('REC_ROUTE_DEST'), owner: at('REC_ROUTE_OWNER'), neighbour: nb === 0 ? undefined : nb,
    state: at('REC_ROUTE_STATE'), flags1: at('REC_ROUTE_FLAGS1'), flags: at('REC_ROUTE_FLAGS'),
    metric: at('REC_ROUTE_METRIC'), preference: at('REC_ROUTE_PREF'), views: at('REC_ROUTE_VIEWS'), nextHops: hops,
    prefix: formatPrefix(family, u, 2 * outF64(core, K(core, 'REC_ROUTE_KEY')), at('REC_ROUTE_LEN')),
    slot: at('REC_ROUTE_SLOT'), esi: at('REC_ROUTE_ESI'), destSlot: at('REC_ROUTE_DEST_SLOT'),
  };
}

export interface DestRecord {
  handle: number; slot: number; prefix: string; address: { addressFamily: number; numBits: number };
  lastChanged: number; views: number;
  viewInfo: { viewId: number; numRoutes: number; route: number | undefined; owner: number | undefined; destFlags: number; holdRoute: number | undefined }[];
}

/** Reads destination record i (REC_DEST_*, REC_DEST_WORDS apart) at IO_OUT. */
export function readDestRecord(core: Core, family: Family, i = 0): DestRecord {
  const f = core.f64(), u = core.u32();
  const base = i * K(core, 'REC_DEST_WORDS');
  const at = (w: number) => f[outF64(core, base + w)];
  const c = (name: string) => K(core, name);
  const len = at(c('REC_DEST_LEN'));
  const k = at(c('REC_DEST_NVIEWS'));
  const opt = (h: number) => (h === 0 ? undefined : h);
  const viewInfo: DestRecord['viewInfo'] = [];
  for (let j = 0; j < k; j++) {
    const v = c('REC_DEST_VIEW') + j * c('REC_DVIEW_WORDS');
    viewInfo.push({
      viewId: at(v + c('REC_DVIEW_ID')), numRoutes: at(v + c('REC_DVIEW_ROUTES')), route: opt(at(v + c('REC_DVIEW_ROUTE'))),
      owner: opt(at(v + c('REC_DVIEW_OWNER'))), destFlags: at(v + c('REC_DVIEW_FLAGS')), holdRoute: opt(at(v + c('REC_DVIEW_HOLD'))),
    });
  }
  return {
    handle: at(c('REC_DEST_HANDLE')), slot: at(c('REC_DEST_SLOT')),
    prefix: formatPrefix(family, u, 2 * outF64(core, base + c('REC_DEST_KEY')), len),
    address: { addressFamily: family === 4 ? AF_INET : AF_INET6, numBits: len },
    lastChanged: at(c('REC_DEST_CHANGED')), views: at(c('REC_DEST_VIEWS')), viewInfo,
  };
}

/** The handles a destination record references (handle, then per view route, owner, hold route). */
export function destRecordHandles(d: { handle: number; viewInfo: readonly { route?: number; owner?: number; holdRoute?: number }[] }): number[] {
  const hs = [d.handle];
  for (const v of d.viewInfo) for (const h of [v.route, v.owner, v.holdRoute]) if (h) hs.push(h);
  return hs;
}

/** The handles a route record references (dest, owner, neighbour, next hops). */
export function routeRecordHandles(r: { dest: number; owner: number; neighbour?: number; nextHops: readonly number[] }): number[] {
  return [r.dest, r.owner, ...(r.neighbour ? [r.neighbour] : []), ...r.nextHops];
}

const TWO25 = 2 ** 25, TWO49 = 2 ** 49;
/** The client reference count a record keeps itself (all holders, core and facade), by handle. */
export function recordRefs(core: Core, h: number): number {
  const kind = Math.floor(h / TWO49), slot = h % TWO25;
  const u = core.u32();
  const rp = (slab: number) => (xOf(core).recordPtr(slab, slot) >>> 2);
  // a destination's and a route's counts are saturating fields of a record word: the core gives the exact
  // count (destRefsX, routeRefsX)
  if (kind === K(core, 'KIND_DEST') || kind === K(core, 'KIND_ROUTE')) {
    const x = xOf(core), s = kind === K(core, 'KIND_DEST') ? x.destRefsX(h) : x.routeRefsX(h);
    if (s !== 0) throw new Error(`the core refused the count of ${h}`);
    return core.res(0);
  }
  if (kind === K(core, 'KIND_NEXTHOP')) return u[rp(K(core, 'SLAB_NEXTHOP')) + K(core, 'NEXTHOP_REFS')];
  if (kind === K(core, 'KIND_ENTITY')) return u[rp(K(core, 'SLAB_ENTITY')) + K(core, 'ENTITY_FLAGS')] >>> K(core, 'ENTITY_REFS_SHIFT');
  throw new Error(`not a referenceable handle ${h}`);
}

/** References entity eh holds on h in the core's table (refCountX). */
export function coreRefCount(core: Core, eh: number, h: number): number {
  const s = xOf(core).refCountX(eh, h);
  if (s !== 0) throw new Error(`refCountX status ${s}`);
  return core.res(0);
}
