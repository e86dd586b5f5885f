// Route lists in the facade (spec §7.13, §8.10): the lists live in the core (assembly/lists.ts); this
// file validates arguments, writes route-handle batches into the I/O area and keeps route-list
// enumeration cursors (registered with the enumeration registry of src/dynamics/enums.ts, so that
// deleteEnumHandle and deregistration treat every kind of enumeration alike). A cursor is the insertion
// number of the last route it returned (D-45). Allocates the returned arrays.
import { RtmError, check } from './errors.js';
import type { Entity } from './entity.js';
import type { EnumBatch, EnumGetOptions, EnumHandle, RouteHandle, RouteListHandle } from './types.js';
import { registerEnum, enumCursor } from './dynamics/enums.js';

interface ListCursor { readonly kind: 'list'; readonly list: RouteListHandle; after: number; close?(): void }

/** Largest batch of route handles one core call takes (the f64 area after the key words). */
const INSERT_CHUNK = 2048;

export function createRouteList(e: Entity): RouteListHandle {
  check(e.call('createRouteList', () => e.x.listCreateX(e.handle)), 'createRouteList');
  const h = e.handleOf(e.L.KIND_LIST, e.res(0)) as RouteListHandle;
  e.routeLists.add(h);
  return h;
}

export function insertInRouteList(e: Entity, o: { routeList: unknown; routes: readonly RouteHandle[] }): void {
  const op = 'insertInRouteList';
  if (!o || typeof o !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
  const list = o.routeList === undefined || o.routeList === null || o.routeList === 0 ? 0 : o.routeList;
  if (typeof list !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  if (!Array.isArray(o.routes)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'routes must be an array');
  if (o.routes.some((r) => typeof r !== 'number')) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route handle');
  if (o.routes.length > INSERT_CHUNK) throw new RtmError('ERROR_INVALID_PARAMETER', op, `at most ${INSERT_CHUNK} routes per call`);
  const c = e.rtm.core, f = c.f64(), base = (c.io + e.L.IO_HOPS) / 2;
  o.routes.forEach((r, i) => { f[base + i] = r; });
  check(e.call(op, () => e.x.listInsertX(e.handle, list, o.routes.length)), op);
}

export function deleteRouteList(e: Entity, h: RouteListHandle): void {
  const op = 'deleteRouteList';
  if (typeof h !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  check(e.call(op, () => e.x.listDeleteX(e.handle, h)), op);
  e.routeLists.delete(h);
}

/** Deregistration: destroys every list of the entity (its routes stay). */
export function deleteRouteListsOf(e: Entity): void {
  for (const h of e.routeLists) e.x.listDeleteX(e.handle, h);
  e.routeLists.clear();
}

export function createRouteListEnum(e: Entity, h: RouteListHandle): EnumHandle {
  const op = 'createRouteListEnum';
  if (typeof h !== 'number' || e.x.listWalkX(e.handle, h, 0, 0) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  const cursor: ListCursor = { kind: 'list', list: h, after: 0 };
  return registerEnum(e, cursor);
}

/** RtmGetListEnumRoutes: always NO_ERROR; `done` when fewer than `count` came back (spec §8.10.4). */
export function getListEnumRoutes(e: Entity, o: EnumGetOptions): EnumBatch<RouteHandle> {
  const op = 'getListEnumRoutes';
  const cursor = enumCursor<ListCursor>(e, o?.enumHandle, 'list', op);
  const count = o.count ?? e.profile.maxHandlesInEnum;
  if (!Number.isInteger(count) || count < 0 || count > e.profile.maxHandlesInEnum) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `count ${count} above MaxHandlesInEnum`);
  }
  const s = e.x.listWalkX(e.handle, cursor.list, cursor.after, count);
  if (s === 6) return { items: [], done: true };         // the list was deleted: no more routes
  check(s, op);
  const n = e.res(0);
  cursor.after = e.res(1);
  const c = e.rtm.core;
  const slots = Array.from(c.u32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + n));
  const items = slots.map((r) => {
    const h = e.handleOf(e.L.KIND_ROUTE, r) as RouteHandle;
    e.take(h);
    return h;
  });
  return { items, done: n < count };
}
