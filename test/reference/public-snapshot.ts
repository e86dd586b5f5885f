// A full picture of an RTM instance taken only through the public EntityLike API, for "a failing call
// leaves the table unchanged" checks. The core part uses only core-semantics calls: exact-match probes
// (ANY) with per-view info, the info of known route and next-hop handles (or the error they give), and
// the registered entities. With `dynamics`, it adds every destination and route an ANY enumeration
// sees (held routes included), each entity's next hops, route lists, notification status and marks, and
// opaque slot values. Every reference it takes is released before it returns.
import { RtmError } from '../../src/errors.js';
import { RTM_VIEW_MASK_ALL, RTM_VIEW_MASK_ANY } from '../../src/win32/constants.js';
import type { DestHandle, EntityLike, NextHopHandle, NotifyHandle, RouteHandle, RouteListHandle } from '../../src/types.js';

export interface SnapshotScope {
  /** Entities to look through; the first is the observer for table-wide reads. */
  readonly entities: readonly EntityLike[];
  /** Prefixes to probe with an ANY exact match. */
  readonly probes: readonly string[];
  /** Route handles to read (whatever their state). */
  readonly routes?: readonly RouteHandle[];
  /** Next-hop handles to read (whatever their state). */
  readonly nextHops?: readonly NextHopHandle[];
  /** Also use the dynamics layer (enumerations, lists, notification, opaque pointers). */
  readonly dynamics?: boolean;
  /** Notification registrations to inspect (owner, handle); dynamics only. */
  readonly notifies?: readonly (readonly [EntityLike, NotifyHandle])[];
  /** Route lists to inspect (owner, handle); dynamics only. */
  readonly lists?: readonly (readonly [EntityLike, RouteListHandle])[];
}

/** The value of `fn()`, or the RtmError code it throws. */
function attempt<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RtmError) return err.code;
    throw err;
  }
}

export function publicSnapshot(scope: SnapshotScope): unknown {
  const obs = scope.entities[0];
  const probes = scope.probes.map((p) => {
    const d = obs.getExactMatchDestination({ dest: p, views: RTM_VIEW_MASK_ANY });
    if (!d) return undefined;
    obs.releaseDestInfo(d);
    const full = obs.getDestInfo({ dest: d.handle, views: RTM_VIEW_MASK_ALL });
    obs.releaseDestInfo(full);
    return { handle: d.handle, prefix: d.prefix, address: d.address, lastChanged: d.lastChanged, views: d.views, viewInfo: full.viewInfo };
  });
  const routes = (scope.routes ?? []).map((r) => attempt(() => {
    const info = obs.getRouteInfo(r);
    obs.releaseRouteInfo(info);
    return info;
  }));
  const nextHops = (scope.nextHops ?? []).map((n) => attempt(() => {
    const info = obs.getNextHopInfo(n);
    obs.releaseNextHopInfo(info);
    return info;
  }));
  const registered = obs.getRegisteredEntities();
  obs.releaseEntities(registered.map((x) => x.handle));
  return { probes, routes, nextHops, registered, ...(scope.dynamics ? dynamicPart(scope) : {}) };
}

function dynamicPart(scope: SnapshotScope): Record<string, unknown> {
  const obs = scope.entities[0];
  const dests: unknown[] = [];
  const destHandles: DestHandle[] = [];
  for (const d of obs.dests({ views: RTM_VIEW_MASK_ANY })) {
    const full = obs.getDestInfo({ dest: d.handle, views: RTM_VIEW_MASK_ALL });
    obs.releaseDestInfo(full);
    destHandles.push(d.handle);
    dests.push({ handle: d.handle, prefix: d.prefix, address: d.address, lastChanged: d.lastChanged, views: d.views, viewInfo: full.viewInfo });
  }
  const routes: unknown[] = [];
  for (const r of obs.routes({ views: RTM_VIEW_MASK_ANY })) {
    const info = obs.getRouteInfo(r);
    obs.releaseRouteInfo(info);
    routes.push({ handle: r, ...info });
  }
  const nextHops = scope.entities.map((e) => {
    const out: unknown[] = [];
    const en = e.createNextHopEnum();
    for (;;) {
      const { items, done } = e.getEnumNextHops({ enumHandle: en });
      for (const n of items) {
        const info = e.getNextHopInfo(n);
        e.releaseNextHopInfo(info);
        out.push({ handle: n, ...info });
      }
      e.releaseNextHops(items);
      if (done) break;
    }
    e.deleteEnumHandle(en);
    return out;
  });
  const lists = (scope.lists ?? []).map(([e, l]) => {
    const en = e.createRouteListEnum(l);
    const got = e.getListEnumRoutes({ enumHandle: en, count: e.profile.maxHandlesInEnum });
    e.releaseRoutes(got.items);
    e.deleteEnumHandle(en);
    return got.items;
  });
  const notifies = (scope.notifies ?? []).map(([e, n]) => destHandles.map((dest) => ({
    dest, pending: e.getChangeStatus({ notifyHandle: n, dest }), marked: e.isMarkedForChangeNotification({ notifyHandle: n, dest }),
  })));
  const opaque = scope.entities.map((e) => destHandles.map((dest) => e.getOpaqueInformationPointer(dest)?.value));
  return { dests, enumRoutes: routes, enumNextHops: nextHops, lists, notifies, opaque };
}
