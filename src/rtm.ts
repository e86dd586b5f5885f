// Rtm: one RTM instance (RtmInstanceId) with one core table per address family, its registry of live
// entities, its scheduler (src/scheduler.ts) and its fast-path tables. It implements the Instance
// interface through which the capability modules (src/rtmv2/) reach the instance. The core instance is
// shared by every Rtm of the process (one compiled module, one instance, thousands of tables); an Rtm
// costs two table records and two root nodes.
import { Core, loadCore, loadCoreSync, CoreBuild } from './port/core.js';
import { CoreTable } from './coretable.js';
import { RtmError, check } from './errors.js';
import { Family, formatPrefix, parseIPv4 } from './address.js';
import { Clock, RealClock, isDrivableClock } from './clock.js';
import { layoutOf, Layout } from './layout.js';
import type { RtmOptions, EntityIdentity, RegisterOptions, EntityHandle, RouteHandle, BestRouteListener } from './types.js';
import { Entity } from './entity.js';
import { Scheduler } from './scheduler.js';
import { nextHopAddress } from './port/records.js';
import { Table, type RouteSummary, routeSummaryOf } from './table.js';
import type { Ctx, Instance, InstanceOptions } from './rtmv2/context.js';
import { register, markGone } from './rtmv2/entities.js';
import { INFINITE } from './constants.js';

export { RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED } from './constants.js';
export { Table };
export type { RouteSummary };

/** The instance whose best-route changes a core logs (Rtm.watchBestRoutes; the core has one log). */
const watchers = new WeakMap<Core, Rtm>();

/** One RTM instance (API.md §1). */
export class Rtm implements Instance {
  readonly core: Core;
  readonly layout: Layout;
  readonly clock: Clock;
  readonly instanceId: number;
  readonly ipv4: Table;
  readonly ipv6: Table;
  readonly options: InstanceOptions;
  /** Live entities by core slot. */
  readonly entities = new Map<number, Ctx>();
  /** JS values kept beside core records: EntitySpecificInfo of routes / next hops, by slot. */
  readonly routeEsi: unknown[] = [];
  readonly nextHopEsi: unknown[] = [];
  readonly coreTables: readonly CoreTable[];
  /** Pending callbacks, the clock, deadlines. */
  readonly scheduler: Scheduler;
  private closed = false;

  private constructor(core: Core, options: RtmOptions) {
    this.core = core;
    this.layout = layoutOf(core);
    this.clock = options.clock ?? new RealClock();
    this.instanceId = options.instanceId ?? 0;
    const views = options.views ?? 0x3;
    const maxHops = options.maxNextHopsInRoute ?? 8;
    const maxEnum = options.maxHandlesInEnum ?? 100;
    for (const [name, v, lo, hi] of [['instanceId', this.instanceId, 0, 0xffff], ['maxNextHopsInRoute', maxHops, 1, 256],
      ['maxHandlesInEnum', maxEnum, 1, 0x7fffffff], ['views', views, 1, 3]] as [string, number, number, number][]) {
      if (!Number.isInteger(v) || v < lo || v > hi) {
        throw new RtmError(name === 'views' ? 'ERROR_NOT_SUPPORTED' : 'ERROR_INVALID_PARAMETER', 'create', `${name} = ${v}`);
      }
    }
    const cap = options.maxMemoryBytes;
    if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 0)) throw new RtmError('ERROR_INVALID_PARAMETER', 'create', 'maxMemoryBytes must be a non-negative integer');
    this.options = { ...options, maxNextHopsInRoute: maxHops, maxHandlesInEnum: maxEnum, views, opaqueSlots: options.opaqueSlots ?? 5 };
    // the core's memory cap, before the tables (so that a full core can be given room); a failed creation restores it
    const oldCap = core.x.memoryCap();
    if (cap !== undefined) check(core.x.memorySetCap(cap), 'create');
    let v4: CoreTable | undefined, v6: CoreTable;
    try {
      v4 = new CoreTable(core, 4, views);
      v6 = new CoreTable(core, 6, views);
    } catch (e) {
      v4?.free();
      core.x.memorySetCap(oldCap);
      throw e;
    }
    for (const t of [v4, v6]) check(core.x.tableSetMaxHops(t.t, maxHops), 'create');
    this.coreTables = [v4, v6];
    const usable = (op: string) => this.usable(op);
    this.ipv4 = new Table({ core, table: v4, layout: this.layout, usable });
    this.ipv6 = new Table({ core, table: v6, layout: this.layout, usable });
    this.scheduler = new Scheduler(this);
  }

  /** Creates an instance (browsers and Node). */
  static async create(options: RtmOptions & { build?: CoreBuild } = {}): Promise<Rtm> {
    return new Rtm(await loadCore(options.build), options);
  }

  /**
   * Creates an instance synchronously (Node and workers). `core` (internal, tests): a core of its own,
   * e.g. createCoreSync(), instead of the process-wide one.
   */
  static createSync(options: RtmOptions & { build?: CoreBuild; /** @internal */ core?: Core } = {}): Rtm {
    const { core, ...rest } = options;
    return new Rtm(core ?? loadCoreSync(rest.build), rest);
  }

  /** Throws ERROR_INVALID_HANDLE once closed (and RtmInternalError once the core trapped). */
  usable(op: string): void {
    if (this.closed) throw new RtmError('ERROR_INVALID_HANDLE', op, 'instance closed');
    this.core.assertUsable();
  }

  get isClosed(): boolean { return this.closed; }
  /** True when a VirtualClock (or another drivable clock) drives the scheduler. */
  get drivenByClock(): boolean { return isDrivableClock(this.clock); }

  /** The table of a family. */
  table(family: Family): Table { return family === 4 ? this.ipv4 : this.ipv6; }

  /**
   * RtmRegisterEntity: registers an entity in the table of its family and schedules
   * RTM_ENTITY_REGISTERED to the other entities of that table that have callbacks.
   * @throws RtmError ERROR_INVALID_PARAMETER, ERROR_FILE_NOT_FOUND, ERROR_ALREADY_EXISTS,
   *   ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY, ERROR_INVALID_HANDLE
   */
  registerEntity(identity: EntityIdentity, options: RegisterOptions = {}): Entity {
    return new Entity(register(this, identity, options));
  }

  /** Delivers everything due now, synchronously; returns how many callbacks ran (API.md §2). */
  runPending(): number {
    this.usable('runPending');
    return this.scheduler.runPending();
  }

  /**
   * @internal For the RTMv1 layer (spec §9.5): after every operation, calls `listener(prefix)` once per
   * change that fired BEST in the unicast view of the IPv4 table, in order of occurrence, whoever caused
   * it (an entity's call, an expiry, a hold-down end, a deregistration, a batch); `listener(undefined)`
   * when more changes happened in one operation than the core logs (then every network may have
   * changed). One watcher per core at a time (ERROR_BUSY otherwise). Returns the function that stops it.
   * The listener may read the table; it must not change it.
   */
  watchBestRoutes(listener: BestRouteListener): () => void {
    const op = 'watchBestRoutes';
    this.usable(op);
    const other = watchers.get(this.core);
    if (other !== undefined && other !== this) throw new RtmError('ERROR_BUSY', op, 'another instance of this core is watched');
    if (this.bestListener !== undefined) throw new RtmError('ERROR_BUSY', op, 'already watched');
    check(this.core.x.bestWatchX(this.ipv4.core.t), op);
    watchers.set(this.core, this);
    this.bestListener = listener;
    this.scheduler.bestWatch = () => this.drainBest();
    return () => { if (this.bestListener === listener) this.unwatch(); };
  }

  private bestListener: BestRouteListener | undefined;
  private draining = false;

  private unwatch(): void {
    this.bestListener = undefined;
    this.scheduler.bestWatch = undefined;
    if (watchers.get(this.core) === this) watchers.delete(this.core);
    if (!this.core.poisoned) this.core.x.bestWatchX(this.layout.NIL);
  }

  /** Takes the core's best-change log and tells the listener, in order. */
  private drainBest(): void {
    if (this.draining || this.bestListener === undefined) return;
    this.draining = true;
    try {
      const c = this.core, x = c.x, W = c.k.BESTLOG_WORDS, max = Math.floor((c.IO_BATCH_MAX * 4) / W);
      const prefixes: string[] = [];
      let lost = false;
      for (;;) {
        check(x.bestLogTakeX(max), 'watchBestRoutes');
        const n = c.res(0), more = c.res(1) === 1;
        if (c.res(2) !== 0) lost = true;
        const u = c.u32(), base = c.io + c.IO_OUT;
        for (let i = 0; i < n; i++) prefixes.push(formatPrefix(4, u, base + i * W, u[base + i * W + 4]));
        if (!more) break;
      }
      const listener = this.bestListener;
      if (lost) listener(undefined);
      else for (const p of prefixes) listener(p);
    } finally {
      this.draining = false;
    }
  }

  /** Frees the instance (its core tables too, unless the core trapped); later calls throw ERROR_INVALID_HANDLE. */
  close(): void {
    if (this.closed) return;
    if (this.bestListener !== undefined) this.unwatch();
    this.closed = true;
    this.scheduler.close();
    for (const cx of this.entities.values()) markGone(cx);
    this.entities.clear();
    if (this.core.poisoned) return;                   // a trapped core frees nothing more
    this.ipv4.core.free();
    this.ipv6.core.free();
  }

  /** The current time for LastChanged, pushed to the core before mutating calls. */
  syncNow(): void { this.scheduler.syncNow(); }
  /** After a change in the core: schedules the change-notification callbacks it signalled. */
  afterChange(_e?: unknown): void { this.scheduler.afterChange(); }

  /** The best route of destination `destId` of `table` in `view`, as the fast paths report it. */
  bestRouteSummary(table: Table, destId: number, view: number): RouteSummary | undefined {
    return table.bestRouteSummary(destId, view);
  }

  /** Reads a route record into a RouteSummary (no references taken). */
  routeSummary(table: Table, r: number, L: Layout = this.layout): RouteSummary { return routeSummaryOf(this.core, L, table.family, r); }

  /** The address of next-hop slot h ('10.0.0.1' for a full-length address, else 'addr/len'). */
  nextHopAddress(family: Family, h: number): string { return nextHopAddress(this.core, family, h); }
}

export { INFINITE, parseIPv4 };
