// Route lists (spec §7.13, §8.10): the lists and their enumeration cursors live in the core
// (assembly/lists.ts, enums.ts: a cursor resumes after the insertion number it returned last, D-45); this
// file validates arguments, writes route-handle batches into the I/O area and takes the references of
// the routes an enumeration returns. The core destroys an entity's lists at its deregistration
// (entityDeregister). Allocates the returned arrays.
import { RtmError, check } from '../errors.js';
import { readOutHandles, readResult, writeHandles } from '../port/records.js';
import type { EnumBatch, EnumGetOptions, EnumHandle, RouteHandle, RouteListHandle } from '../types.js';
import type { Ctx } from './context.js';
import { arrayArg, isNull, live, opts } from './args.js';
import { handleOf } from './routes.js';
import { getHandles } from './enums.js';

/** Largest batch of route handles one core call takes (the f64 area after the key words). */
const INSERT_CHUNK = 2048;

/** RtmCreateRouteList. */
export function createRouteList(cx: Ctx): RouteListHandle {
  const op = 'createRouteList';
  live(cx, op);
  check(cx.x.listCreateX(cx.handle), op);
  return handleOf(cx, cx.L.KIND_LIST, readResult(cx.core, 0)) as RouteListHandle;
}

/** RtmInsertInRouteList: all-or-nothing; NULL list = out of any list. */
export function insertInRouteList(cx: Ctx, options: { routeList: unknown; routes: readonly RouteHandle[] }): void {
  const op = 'insertInRouteList';
  live(cx, op);
  if (!options || typeof options !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
  const o = opts<{ routeList: unknown; routes: readonly RouteHandle[] }>(options, ['routeList', 'routes'], op);
  const list = isNull(o.routeList) ? 0 : o.routeList;
  if (typeof list !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  const routes = arrayArg<number>(o.routes, 'routes', op);
  if (routes.some((r) => typeof r !== 'number')) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a route handle');
  if (routes.length > INSERT_CHUNK) throw new RtmError('ERROR_INVALID_PARAMETER', op, `at most ${INSERT_CHUNK} routes per call`);
  writeHandles(cx.core, routes);
  check(cx.x.listInsertX(cx.handle, list, routes.length), op);
}

/** RtmDeleteRouteList: empties and destroys the list (its routes stay). */
export function deleteRouteList(cx: Ctx, h: RouteListHandle): void {
  const op = 'deleteRouteList';
  live(cx, op);
  if (typeof h !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  check(cx.x.listDeleteX(cx.handle, h), op);
}

/** RtmCreateRouteListEnum. */
export function createRouteListEnum(cx: Ctx, h: RouteListHandle): EnumHandle {
  const op = 'createRouteListEnum';
  live(cx, op);
  if (typeof h !== 'number' || cx.x.enumCreateListX(cx.handle, h) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route list handle');
  }
  return readOutHandles(cx.core, 1)[0] as EnumHandle;
}

/** RtmGetListEnumRoutes: always NO_ERROR; `done` when fewer than `count` came back (spec §8.10.4). */
export function getListEnumRoutes(cx: Ctx, o: EnumGetOptions): EnumBatch<RouteHandle> {
  return getHandles<RouteHandle>(cx, o, cx.L.ENUM_K_LIST, 'getListEnumRoutes');
}
