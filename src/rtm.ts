// Rtm: one RTM instance (RtmInstanceId) with one core table per address family, its registry of live
// entities, its scheduler (src/scheduler.ts) and its fast-path tables. It implements the Instance
// interface through which the capability modules (src/rtmv2/) reach the instance. The core instance is
// shared by every Rtm of the process (one compiled module, one instance, thousands of tables); an Rtm
// costs two table records and two root nodes.
import { Core, loadCore, loadCoreSync, CoreBuild } from './port/core.js';
import { CoreTable } from './coretable.js';
import { RtmError, check, fmt } from './errors.js';
import { Family, parseIPv4 } from './address.js';
import { Clock, RealClock, isDrivableClock } from './clock.js';
import { layoutOf, Layout } from './layout.js';
import type { RtmOptions, EntityIdentity, RegisterOptions, EntityHandle, RouteHandle, AddressFamilyName } from './types.js';
import { Entity } from './entity.js';
import { Scheduler } from './scheduler.js';
import { nextHopAddress, recordAlive } from './port/records.js';
import { Table, type RouteSummary, routeSummaryOf } from './table.js';
import type { Ctx, Instance, InstanceOptions } from './rtmv2/context.js';
import { register, markGone } from './rtmv2/entities.js';
import { arrayArg, opts } from './rtmv2/args.js';
import { INFINITE } from './constants.js';

export { RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED } from './constants.js';
export { Table };
export type { RouteSummary };

type CreateOptions = RtmOptions & { build?: CoreBuild; /** @internal */ core?: Core };
const OPTION_KEYS: readonly (keyof CreateOptions)[] = [
  'instanceId', 'clock', 'maxNextHopsInRoute', 'maxHandlesInEnum', 'views', 'opaqueSlots', 'maxNotifyRegistrations',
  'defaultPreferences', 'families', 'maxMemoryBytes', 'build', 'core',
];

/**
 * The creation options read once into a plain object and checked before anything is made: any value of
 * the wrong shape is ERROR_INVALID_PARAMETER (a clock without now(), families that are not 'ipv4' /
 * 'ipv6', a default preference that is not a u32, an unknown build), so that a created instance never
 * fails later because of its options.
 */
function createOptions(options: unknown): CreateOptions {
  const op = 'create';
  if (options === null || (options !== undefined && typeof options !== 'object')) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `options must be an object, got ${fmt(options)}`);
  }
  const o = opts<CreateOptions>(options, OPTION_KEYS, op);
  const bad = (what: string, v: unknown): never => { throw new RtmError('ERROR_INVALID_PARAMETER', op, `${what} = ${fmt(v)}`); };
  if (o.clock !== undefined) {
    let now: unknown;
    try { now = (o.clock as unknown as Record<string, unknown>)?.now; } catch { bad('clock', o.clock); }
    if (o.clock === null || typeof o.clock !== 'object' || typeof now !== 'function') bad('clock', o.clock);
  }
  if (o.families !== undefined) {
    const fams = arrayArg<unknown>(o.families, 'families', op);
    if (fams.some((f) => f !== 'ipv4' && f !== 'ipv6')) bad('families', o.families);
    o.families = Object.freeze(fams as AddressFamilyName[]);
  }
  for (const k of ['opaqueSlots', 'maxNotifyRegistrations'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)) bad(k, v);
  }
  if (o.defaultPreferences !== undefined) {
    const d = o.defaultPreferences;
    if (d === null || typeof d !== 'object') bad('defaultPreferences', d);
    const copy: Record<number, number> = {};
    try {
      for (const [k, v] of Object.entries(d)) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) bad(`defaultPreferences[${k}]`, v);
        copy[k as unknown as number] = v;
      }
    } catch (err) {
      if (err instanceof RtmError) throw err;
      bad('defaultPreferences', d);
    }
    o.defaultPreferences = Object.freeze(copy);
  }
  if (o.build !== undefined && o.build !== 'debug' && o.build !== 'release') bad('build', o.build);
  return o;
}

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
        throw new RtmError(name === 'views' ? 'ERROR_NOT_SUPPORTED' : 'ERROR_INVALID_PARAMETER', 'create', `${name} = ${fmt(v)}`);
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
    const { core: _core, ...o } = createOptions(options);
    return new Rtm(await loadCore(o.build), o);
  }

  /**
   * Creates an instance synchronously (Node and workers). `core` (internal, tests): a core of its own,
   * e.g. createCoreSync(), instead of the process-wide one.
   */
  static createSync(options: CreateOptions = {}): Rtm {
    const { core, ...rest } = createOptions(options);
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
  table(family: Family): Table {
    if (family !== 4 && family !== 6) throw new RtmError('ERROR_INVALID_PARAMETER', 'table', `family must be 4 or 6, got ${fmt(family)}`);
    return family === 4 ? this.ipv4 : this.ipv6;
  }

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

  /** Frees the instance (its core tables too, unless the core trapped); later calls throw ERROR_INVALID_HANDLE. */
  close(): void {
    if (this.closed) return;
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
    this.ownTable(table, 'bestRouteSummary');
    return table.bestRouteSummary(destId, view);
  }

  /** Reads a route record into a RouteSummary (no references taken). */
  routeSummary(table: Table, r: number, L: Layout = this.layout): RouteSummary {
    this.ownTable(table, 'routeSummary');
    this.liveSlot(this.layout.SLAB_ROUTE, r, 'routeSummary');
    return routeSummaryOf(this.core, L, table.family, r);
  }

  /** The address of next-hop slot h ('10.0.0.1' for a full-length address, else 'addr/len'). */
  nextHopAddress(family: Family, h: number): string {
    this.table(family);
    this.liveSlot(this.layout.SLAB_NEXTHOP, h, 'nextHopAddress');
    return nextHopAddress(this.core, family, h);
  }

  /** `t` is one of this instance's tables. @throws ERROR_INVALID_PARAMETER */
  private ownTable(t: unknown, op: string): void {
    this.usable(op);
    if (t !== this.ipv4 && t !== this.ipv6) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not a table of this instance');
  }

  /** `slot` is an allocated record of `slab`. @throws ERROR_INVALID_PARAMETER */
  private liveSlot(slab: number, slot: unknown, op: string): void {
    this.usable(op);
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot > 0xffffffff || !recordAlive(this.core, slab, slot)) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op, `not a live record slot: ${fmt(slot)}`);
    }
  }
}

export { INFINITE, parseIPv4 };
