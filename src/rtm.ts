// Rtm: one RTM instance (RtmInstanceId) with one core table per address family, its live entities, its
// scheduler (src/scheduler.ts) and its fast-path tables. It implements the Instance interface through
// which the capability modules (src/rtmv2/) reach the instance. The core instance is shared by every Rtm
// of the process (one compiled module, one instance, thousands of tables); an Rtm costs a table record
// and a root node per listed family (option `families`; another family's table is made only if asked
// for), and few JS objects (issue 13): itself and its core-table wrappers. On a drivable clock the
// instance is the clock's listener; its scheduler, EntitySpecificInfo side arrays and fast paths live in
// one extras object made on first need (a callback queued, a timer due, a value kept, rtm.ipv4); an only
// entity is kept without a registry. ~260 B of JS heap for an instance with one entity on its own
// VirtualClock (bench/ab/heapinst.mjs; 480 B before session 10); its options object is shared with the
// previous instance of equal options.
import { Core, loadCore, loadCoreSync } from './port/core.js';
import type { CoreBuild, WasmSource } from './port/source.js';
import { CoreTable } from './coretable.js';
import { RtmError, check, fmt } from './errors.js';
import { Family, formatPrefix, isIPv4Mapped, parseIPv4, parsePrefixInto, parsedFamily } from './address.js';
import { Clock, type ClockListener, RealClock, isDrivableClock } from './clock.js';
import { layoutOf, Layout } from './layout.js';
import type { RtmOptions, EntityIdentity, RegisterOptions, EntityHandle, RouteHandle, BestRouteListener, AddressFamilyName } from './types.js';
import { Entity } from './entity.js';
import { Scheduler, afterChangeOf, afterChangeWithOf, nextDueOf } from './scheduler.js';
import { nextHopAddress, recordAlive } from './port/records.js';
import { Table, type PrefixMatch, type RouteSummary, routeSummaryOf } from './table.js';
import type { Ctx, Entities, Instance, InstanceOptions } from './rtmv2/context.js';
import { register, markGone } from './rtmv2/entities.js';
import { liveEntities } from './rtmv2/registry.js';
import { arrayArg, unreadable } from './rtmv2/args.js';
import { INFINITE } from './constants.js';

export { RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED } from './constants.js';
export { Table };
export type { RouteSummary, PrefixMatch, CoreBuild, WasmSource };

/** Options of Rtm.create / Rtm.createSync: the instance's (RtmOptions) and where its core comes from. */
export interface CreateOptions extends RtmOptions {
  /** 'release' (default; RTM_WASM=debug in the environment selects 'debug') or 'debug' (asserts on). */
  build?: CoreBuild;
  /**
   * The core's .wasm (API.md §6): a URL or string (Node: also a file path), a Response, bytes or a
   * WebAssembly.Module. Used only while no core is loaded yet (one core serves every instance). Default:
   * the file beside the package, found by bundlers (Vite) and static hosting, else an inlined copy.
   * createSync takes bytes or a module only.
   */
  wasm?: WasmSource;
}

/** Words of an address parsed to tell its family (Rtm.lookup / supernets / subnets). */
const familyScratch = new Uint32Array(4);

/** A best-route watch (Rtm.watchBestRoutes): its instance and listener (kept here, not in every instance). */
interface BestWatch {
  readonly rtm: Rtm;
  readonly listener: BestRouteListener;
  /** The log is being taken (a listener's own change does not start another drain). */
  draining: boolean;
}

/** The watch of the instance whose best-route changes a core logs (Rtm.watchBestRoutes; the core has one log). */
const watchers = new WeakMap<Core, BestWatch>();

/** Rtm idState: the instance id's bits, and the closed bit above them. */
const ID_MASK = 0xffff, CLOSED = 0x10000;

/**
 * What only some instances use, in one object made on first need (issue 13: an instance of one entity
 * and a few routes on a VirtualClock never makes it): the EntitySpecificInfo side arrays (by the first
 * value kept), the scheduler (the first callback queued, timer due or watch; a real clock's at creation)
 * and the tables' fast paths (rtm.ipv4 / rtm.ipv6, on first access).
 */
class RtmExtras {
  routeEsi: unknown[] | undefined = undefined;
  nextHopEsi: unknown[] | undefined = undefined;
  sched: Scheduler | undefined = undefined;
  table4: Table | undefined = undefined;
  table6: Table | undefined = undefined;
}

/** Rtm.usable's error once the instance is closed (out of line). */
function closedError(op: string): never {
  throw new RtmError('ERROR_INVALID_HANDLE', op, 'instance closed');
}

/** A drivable clock that attaches a listener without making a closure (VirtualClock). */
interface AttachingClock {
  attach(listener: ClockListener): void;
  detach(listener: ClockListener): void;
}

/** The detaching closures of instances on a drivable clock without attach()/detach() (subscribe() alone). */
const unsubscribers = new WeakMap<Rtm, () => void>();

/** The creation options with the facade's internal core option (private cores of tests and tools). */
type CheckedOptions = CreateOptions & { /** @internal */ core?: Core };

/** The `families` values of up to two entries as interned frozen arrays (an instance keeps one of these, not a copy). */
const F_NONE: readonly AddressFamilyName[] = Object.freeze([]);
const F_ONE: Readonly<Record<AddressFamilyName, readonly AddressFamilyName[]>> = { ipv4: Object.freeze(['ipv4']), ipv6: Object.freeze(['ipv6']) };
const F_TWO: Readonly<Record<AddressFamilyName, Readonly<Record<AddressFamilyName, readonly AddressFamilyName[]>>>> = {
  ipv4: { ipv4: Object.freeze(['ipv4', 'ipv4']), ipv6: Object.freeze(['ipv4', 'ipv6']) },
  ipv6: { ipv4: Object.freeze(['ipv6', 'ipv4']), ipv6: Object.freeze(['ipv6', 'ipv6']) },
};

/** The interned frozen array of checked family names `f` (each 'ipv4' or 'ipv6'), or a frozen copy if longer. */
function internFamilies(f: AddressFamilyName[]): readonly AddressFamilyName[] {
  return f.length === 0 ? F_NONE : f.length === 1 ? F_ONE[f[0]] : f.length === 2 ? F_TWO[f[0]][f[1]] : Object.freeze(f);
}

/**
 * The caller's options read once, each property in a fixed order into one literal of fixed shape (a
 * getter runs once, here; one that throws, or a hostile Proxy, is ERROR_INVALID_PARAMETER).
 */
function readOptions(o: object, op: string): CheckedOptions {
  const r = o as Record<string, unknown>;
  let k = 'instanceId';
  try {
    const instanceId = r.instanceId; k = 'clock';
    const clock = r.clock; k = 'maxNextHopsInRoute';
    const maxNextHopsInRoute = r.maxNextHopsInRoute; k = 'maxHandlesInEnum';
    const maxHandlesInEnum = r.maxHandlesInEnum; k = 'views';
    const views = r.views; k = 'opaqueSlots';
    const opaqueSlots = r.opaqueSlots; k = 'maxNotifyRegistrations';
    const maxNotifyRegistrations = r.maxNotifyRegistrations; k = 'defaultPreferences';
    const defaultPreferences = r.defaultPreferences; k = 'families';
    const families = r.families; k = 'maxMemoryBytes';
    const maxMemoryBytes = r.maxMemoryBytes; k = 'build';
    const build = r.build; k = 'wasm';
    const wasm = r.wasm; k = 'core';
    const core = r.core;
    return {
      instanceId, clock, maxNextHopsInRoute, maxHandlesInEnum, views, opaqueSlots, maxNotifyRegistrations, defaultPreferences,
      families, maxMemoryBytes, build, wasm, core,
    } as CheckedOptions;
  } catch (err) {
    return unreadable(err, op, `option ${k}`);
  }
}

/**
 * The creation options read once into a plain object and checked before anything is made: any value of
 * the wrong shape is ERROR_INVALID_PARAMETER (a clock without now(), families that are not 'ipv4' /
 * 'ipv6', a default preference that is not a u32, an unknown build), so that a created instance never
 * fails later because of its options.
 */
function createOptions(options: unknown): CheckedOptions {
  const op = 'create';
  if (options === null || (options !== undefined && typeof options !== 'object')) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `options must be an object, got ${fmt(options)}`);
  }
  const o: CheckedOptions = options === undefined ? {} : readOptions(options, op);
  const bad = (what: string, v: unknown): never => { throw new RtmError('ERROR_INVALID_PARAMETER', op, `${what} = ${fmt(v)}`); };
  if (o.clock !== undefined) {
    let now: unknown;
    try { now = (o.clock as unknown as Record<string, unknown>)?.now; } catch { bad('clock', o.clock); }
    if (o.clock === null || typeof o.clock !== 'object' || typeof now !== 'function') bad('clock', o.clock);
  }
  if (o.families !== undefined) {
    const fams = arrayArg<unknown>(o.families, 'families', op);
    for (let i = 0; i < fams.length; i++) if (fams[i] !== 'ipv4' && fams[i] !== 'ipv6') bad('families', o.families);
    o.families = internFamilies(fams as AddressFamilyName[]);
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

/** `name` is in the frozen `families` (a loop: includes() of a frozen array takes a slow path). */
function listed(families: readonly AddressFamilyName[], name: AddressFamilyName): boolean {
  for (let i = 0; i < families.length; i++) if (families[i] === name) return true;
  return false;
}

/**
 * A creation option in lo..hi. @throws RtmError ERROR_INVALID_PARAMETER (not an integer, null included;
 * out of range), ERROR_NOT_SUPPORTED (views: an integer outside 1..3)
 */
function limit(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v)) throw new RtmError('ERROR_INVALID_PARAMETER', 'create', `${name} = ${fmt(v)}`);
  if (v < lo || v > hi) {
    throw new RtmError(name === 'views' ? 'ERROR_NOT_SUPPORTED' : 'ERROR_INVALID_PARAMETER', 'create', `${name} = ${fmt(v)}`);
  }
}

/** A numeric creation option: its default when left out (undefined; null is not a number). */
function given(v: number | undefined, dflt: number): number { return v === undefined ? dflt : v; }

/** The next-hop limit of a table the core makes (assembly/api.ts tableCreate sets TABLE_MAXHOPS to it). */
const CORE_MAX_HOPS = 8;

/** The options object made last (instanceOptions): the next instance of equal options shares it. */
let lastOptions: InstanceOptions | undefined;

/**
 * The options an instance keeps (defaults applied; the clock and instanceId are the instance's own
 * fields): the previous instance's object when every value is the same (identical families array, as
 * createOptions interns them; no defaultPreferences), else a new one. Shared objects are frozen.
 */
function instanceOptions(maxHops: number, maxEnum: number, views: number, o: RtmOptions): InstanceOptions {
  const opaqueSlots = o.opaqueSlots ?? 5, l = lastOptions;
  if (l !== undefined && o.defaultPreferences === undefined && l.maxNextHopsInRoute === maxHops && l.maxHandlesInEnum === maxEnum &&
    l.views === views && l.opaqueSlots === opaqueSlots && l.maxNotifyRegistrations === o.maxNotifyRegistrations &&
    l.families === o.families && l.maxMemoryBytes === o.maxMemoryBytes) return l;
  // one literal of fixed shape (a spread of the caller's options costs more than the rest of the constructor)
  const made: InstanceOptions = Object.freeze({
    maxNextHopsInRoute: maxHops, maxHandlesInEnum: maxEnum, views, opaqueSlots, maxNotifyRegistrations: o.maxNotifyRegistrations,
    defaultPreferences: o.defaultPreferences, families: o.families, maxMemoryBytes: o.maxMemoryBytes,
  });
  if (o.defaultPreferences === undefined) lastOptions = made;
  return made;
}

/** One RTM instance (API.md §1). */
export class Rtm {
  /** @internal The core (port) this instance's tables live in. */
  readonly core: Core;
  /** The clock of the scheduler: expiries, hold-downs and LastChanged read it (option `clock`). */
  readonly clock: Clock;
  /** The instance id (low 16 bits) and, above them (CLOSED), whether close() was called: one field (issue 13). */
  private idState: number;
  /** @internal The creation options with their defaults applied. */
  readonly options: InstanceOptions;
  /** @internal Live entities: the only one, a registry once there were two (rtmv2/entities.ts liveEntities). */
  liveEntities: Ctx | Entities | undefined = undefined;
  /**
   * @internal The core tables made so far (coreTables) in two fields, not an array (issue 13): the first
   * (undefined: none) and the second (undefined: none or one).
   */
  coreTable0: CoreTable | undefined = undefined;
  /** @internal */
  coreTable1: CoreTable | undefined = undefined;
  /** ESI side arrays, the scheduler, fast paths: made on first need (RtmExtras). */
  private more: RtmExtras | undefined = undefined;

  private constructor(core: Core, options: RtmOptions) {
    this.core = core;
    this.clock = options.clock ?? new RealClock();
    const instanceId = given(options.instanceId, 0);
    const views = given(options.views, 0x3);
    const maxHops = given(options.maxNextHopsInRoute, 8);
    const maxEnum = given(options.maxHandlesInEnum, 100);
    limit('instanceId', instanceId, 0, 0xffff);
    this.idState = instanceId;
    limit('maxNextHopsInRoute', maxHops, 1, 256);
    limit('maxHandlesInEnum', maxEnum, 1, 0x7fffffff);
    limit('views', views, 1, 3);
    // a destination counts its pins (one per non-NULL opaque slot) in a few bits of a word (layout OPAQUE_SLOTS_MAX)
    limit('opaqueSlots', given(options.opaqueSlots, 5), 0, core.k.OPAQUE_SLOTS_MAX);
    const cap = options.maxMemoryBytes;
    if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 0)) throw new RtmError('ERROR_INVALID_PARAMETER', 'create', 'maxMemoryBytes must be a non-negative integer');
    this.options = instanceOptions(maxHops, maxEnum, views, options);
    // the core's memory cap, before the tables (so that a full core can be given room); a failed creation restores it
    const oldCap = cap === undefined ? 0 : core.x.memoryCap();
    if (cap !== undefined) check(core.x.memorySetCap(cap), 'create');
    // only the listed families get a core table now: one of another family costs nothing until asked for
    const fams = options.families;
    try {
      if (fams === undefined || listed(fams, 'ipv4')) this.makeTable(4, false);
      if (fams === undefined || listed(fams, 'ipv6')) this.makeTable(6, false);
    } catch (e) {
      this.coreTable0?.free();
      this.coreTable1?.free();
      if (cap !== undefined) core.x.memorySetCap(oldCap);
      throw e;
    }
    // a drivable clock asks the instance itself about deadlines (its scheduler is made on first need)
    const clock = this.clock;
    if (!isDrivableClock(clock)) this.extras.sched = new Scheduler(this);
    else {
      const a = clock as unknown as Partial<AttachingClock>;
      if (typeof a.attach === 'function' && typeof a.detach === 'function') a.attach(this);
      else unsubscribers.set(this, clock.subscribe(this));
    }
  }

  /** The RtmInstanceId this instance answers to (option `instanceId`, default 0). */
  get instanceId(): number { return this.idState & ID_MASK; }

  /** @internal The scheduler (made on first use: reading this makes it). */
  get scheduler(): Scheduler { const m = this.extras; return m.sched ??= new Scheduler(this); }
  /** @internal The scheduler if made. */
  get schedulerIfAny(): Scheduler | undefined { const m = this.more; return m === undefined ? undefined : m.sched; }
  /** The extras object, made now if need be. */
  private get extras(): RtmExtras { return this.more ??= new RtmExtras(); }

  /** @internal ClockListener (drivable clock): the earliest time with work; Infinity once closed. */
  nextDue(): number { return nextDueOf(this); }
  /** @internal ClockListener (drivable clock): runs what is due at `now` (nothing once closed); returns how many callbacks ran. */
  runDue(now: number): number { return this.isClosed ? 0 : this.scheduler.runDueAt(now); }

  /**
   * @internal The core tables made so far: those of the listed families (option `families`), in family
   * order, then a table of an unlisted family once something asked for it (rtm.ipv4 / rtm.ipv6). A new
   * array each time (tests and tools; the facade reads coreTable0 / coreTable1).
   */
  get coreTables(): readonly CoreTable[] {
    const a = this.coreTable0, b = this.coreTable1;
    return a === undefined ? [] : b === undefined ? [a] : [a, b];
  }

  /** @internal The core's record layout (its constants table). */
  get layout(): Layout { return layoutOf(this.core); }
  /** @internal EntitySpecificInfo of routes by slot; undefined until the first is stored (routeEsi makes it). */
  get routeEsiIfAny(): unknown[] | undefined { const m = this.more; return m === undefined ? undefined : m.routeEsi; }
  /** @internal EntitySpecificInfo of next hops by slot; undefined until the first is stored (nextHopEsi makes it). */
  get nextHopEsiIfAny(): unknown[] | undefined { const m = this.more; return m === undefined ? undefined : m.nextHopEsi; }
  /** @internal EntitySpecificInfo of routes by slot, for writing (made on first use; readers take routeEsiIfAny). */
  get routeEsi(): unknown[] { const m = this.extras; return m.routeEsi ??= []; }
  /** @internal EntitySpecificInfo of next hops by slot, for writing (made on first use; readers take nextHopEsiIfAny). */
  get nextHopEsi(): unknown[] { const m = this.extras; return m.nextHopEsi ??= []; }

  /** Fast paths of the IPv4 table (of an instance without 'ipv4' in `families`, its table is made on first access). */
  get ipv4(): Table { const m = this.more; return (m === undefined ? undefined : m.table4) ?? this.fastPaths(4); }
  /** Fast paths of the IPv6 table (of an instance without 'ipv6' in `families`, its table is made on first access). */
  get ipv6(): Table { const m = this.more; return (m === undefined ? undefined : m.table6) ?? this.fastPaths(6); }

  /**
   * The fast paths of a family's table, made on first access: over the core table made with the instance
   * (a listed family), else over one made now (makeTable).
   */
  private fastPaths(family: Family): Table {
    let ct: CoreTable | undefined;
    if (this.coreTable0 !== undefined && this.coreTable0.family === family) ct = this.coreTable0;
    if (this.coreTable1 !== undefined && this.coreTable1.family === family) ct = this.coreTable1;
    const table = new Table(this, ct ?? this.makeTable(family, true));
    if (family === 4) this.extras.table4 = table; else this.extras.table6 = table;
    return table;
  }

  /**
   * Makes the core table of a family. Asked for later (`lazy`: a family not listed) on a closed instance
   * or a trapped core, the table stays unmade: its fast paths throw as those of a closed instance
   * (ERROR_INVALID_HANDLE) or a trapped core (RtmInternalError) do.
   * @throws RtmError ERROR_NOT_ENOUGH_MEMORY (the core table could not be made)
   */
  private makeTable(family: Family, lazy: boolean): CoreTable {
    const core = this.core;
    if (lazy && (this.isClosed || core.poisoned)) return CoreTable.unmade(core, family);
    const ct = new CoreTable(core, family, this.options.views);
    const hops = this.options.maxNextHopsInRoute;
    // the core makes a table with TABLE_MAXHOPS = CORE_MAX_HOPS: only another limit costs a call
    if (hops !== CORE_MAX_HOPS) {
      const s = core.x.tableSetMaxHops(ct.t, hops);
      if (s !== 0) { ct.free(); check(s, 'create'); }
    }
    if (this.coreTable0 === undefined) this.coreTable0 = ct; else this.coreTable1 = ct;
    return ct;
  }

  /**
   * Creates an instance (browsers and Node).
   * @throws RtmError ERROR_FILE_NOT_FOUND (the core could not be fetched or read: the message names the URL
   *   or path), ERROR_INVALID_DATA (not a WebAssembly module), ERROR_INVALID_PARAMETER (bad options)
   */
  static async create(options: CreateOptions = {}): Promise<Rtm> {
    const o = createOptions(options);
    return new Rtm(await loadCore(o.build, o.wasm), o);
  }

  /**
   * Creates an instance synchronously: Node, workers, `wasm` given as bytes or a module, rtm-wasm/inline,
   * or once a core was loaded (await Rtm.create()). `core` (internal, tests): a core of its own, e.g.
   * createCoreSync(), instead of the process-wide one.
   */
  static createSync(options?: CreateOptions): Rtm;
  /** @internal `core`: a core of its own (tests, tools) */
  static createSync(options: CheckedOptions): Rtm;
  static createSync(options: CheckedOptions = {}): Rtm {
    const o = createOptions(options);
    return new Rtm(o.core ?? loadCoreSync(o.build, o.wasm), o);
  }

  /** @internal Throws ERROR_INVALID_HANDLE once closed (and RtmInternalError once the core trapped). */
  usable(op: string): void {
    // the throw out of line: inlined into the hottest calls, a smaller body leaves their inlining budget to others
    if (this.idState > ID_MASK) closedError(op);
    this.core.assertUsable();
  }

  /** True once close() was called. */
  get isClosed(): boolean { return this.idState > ID_MASK; }
  /** True when a VirtualClock (or another drivable clock) drives the scheduler. */
  get drivenByClock(): boolean { return isDrivableClock(this.clock); }

  /**
   * The fast paths of a family's table: `ipv4` for 4, `ipv6` for 6.
   * @throws RtmError ERROR_INVALID_PARAMETER (another family)
   */
  table(family: Family): Table {
    if (family !== 4 && family !== 6) throw new RtmError('ERROR_INVALID_PARAMETER', 'table', `family must be 4 or 6, got ${fmt(family)}`);
    return family === 4 ? this.ipv4 : this.ipv6;
  }

  /**
   * Longest-prefix match in the table of the address's family: `Table.lookup` of `rtm.ipv4` for an IPv4
   * address (text, or a host-order number), of `rtm.ipv6` for IPv6 text. An IPv4-mapped IPv6 address
   * (`::ffff:10.1.2.3`, also `::ffff:a01:203`) or prefix of length 96 or more inside ::ffff:0:0/96 is
   * looked up in the IPv4 table as the IPv4 address or prefix it maps (`::ffff:10.0.0.0/104` is
   * 10.0.0.0/8); `rtm.ipv6.lookup` keeps it an IPv6 address. Returns the most specific destination with
   * a live route in `view` and its best route, or undefined. Allocates the result.
   * @throws RtmError ERROR_INVALID_PARAMETER (not an address or prefix, view not 0 or 1),
   *   ERROR_INVALID_HANDLE (closed instance)
   */
  lookup(address: string | number, view = 0): PrefixMatch | undefined {
    const [table, key] = this.byFamily(address, 'lookup');
    return table.lookup(key, view);
  }

  /**
   * `Table.supernets` in the table of the prefix's family (IPv4-mapped IPv6 as in lookup()): the
   * destinations with a live route in `view` covering `prefix`, itself included, most specific first.
   * @throws RtmError ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE
   */
  supernets(prefix: string, view = 0): IterableIterator<PrefixMatch> {
    const [table, key] = this.byFamily(prefix, 'supernets');
    return table.supernets(key as string, view);
  }

  /**
   * `Table.subnets` in the table of the prefix's family (IPv4-mapped IPv6 as in lookup()): the
   * destinations with a live route in `view` that `prefix` covers, itself included, in canonical order.
   * @throws RtmError ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE
   */
  subnets(prefix: string, view = 0): IterableIterator<PrefixMatch> {
    const [table, key] = this.byFamily(prefix, 'subnets');
    return table.subnets(key as string, view);
  }

  /** The table an address or prefix belongs to, and the key to give it (IPv4-mapped IPv6 → IPv4 text). */
  private byFamily(address: unknown, op: string): [Table, string | number] {
    this.usable(op);
    if (typeof address === 'number') return [this.ipv4, address]; // Table.lookup checks it is a u32
    const w = familyScratch;
    const len = typeof address === 'string' ? parsePrefixInto(address, 0, w, 0) : -1;
    if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, `not an IPv4 or IPv6 address or prefix: ${fmt(address)}`);
    if (parsedFamily.value === 4) return [this.ipv4, address as string];
    if (isIPv4Mapped(w, 0, len)) return [this.ipv4, formatPrefix(4, w, 3, len - 96)];
    return [this.ipv6, address as string];
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
    if (other !== undefined && other.rtm !== this) throw new RtmError('ERROR_BUSY', op, 'another instance of this core is watched');
    if (other !== undefined) throw new RtmError('ERROR_BUSY', op, 'already watched');
    check(this.core.x.bestWatchX(this.ipv4.core.t), op);
    const w: BestWatch = { rtm: this, listener, draining: false };
    watchers.set(this.core, w);
    this.scheduler.bestWatch = () => this.drainBest(w);
    return () => { const cur = watchers.get(this.core); if (cur !== undefined && cur.rtm === this && cur.listener === listener) this.unwatch(); };
  }

  /** This instance's best-route watch, if it has one. */
  private get watch(): BestWatch | undefined {
    const w = watchers.get(this.core);
    return w !== undefined && w.rtm === this ? w : undefined;
  }

  private unwatch(): void {
    const sched = this.schedulerIfAny;
    if (sched !== undefined) sched.bestWatch = undefined;
    if (this.watch !== undefined) watchers.delete(this.core);
    if (!this.core.poisoned) this.core.x.bestWatchX(this.layout.NIL);
  }

  /** Takes the core's best-change log and tells the listener of watch `w`, in order. */
  private drainBest(w: BestWatch): void {
    if (w.draining || this.watch !== w) return;
    w.draining = true;
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
      const listener = w.listener;
      if (lost) listener(undefined);
      else for (const p of prefixes) listener(p);
    } finally {
      w.draining = false;
    }
  }

  /** Frees the instance (its core tables too, unless the core trapped); later calls throw ERROR_INVALID_HANDLE. */
  close(): void {
    if (this.isClosed) return;
    if (this.watch !== undefined) this.unwatch();
    this.idState |= CLOSED;
    // the tables' lookupId tests no closed flag per call: it passes NIL from now on, which the core refuses
    const m = this.more;
    if (m !== undefined) { m.table4?.retire(); m.table6?.retire(); }
    this.schedulerIfAny?.close();
    const clock = this.clock;
    if (isDrivableClock(clock)) {
      const u = unsubscribers.get(this);
      if (u !== undefined) { unsubscribers.delete(this); u(); }
      else (clock as unknown as AttachingClock).detach(this);
    }
    for (const cx of liveEntities(this)) markGone(cx);
    this.liveEntities = undefined;
    if (this.core.poisoned) return;                   // a trapped core frees nothing more
    this.coreTable0?.free();
    this.coreTable1?.free();
  }

  /** @internal The current time for LastChanged, pushed to the core before mutating calls. */
  syncNow(): void { this.core.setNow(this.clock.now()); }
  /** @internal After a change in the core: schedules the change-notification callbacks it signalled. */
  afterChange(_e?: unknown): void { afterChangeOf(this); }
  /**
   * @internal afterChange given the pending-signal count a call left in RES_SIGNALS. Small enough to be
   * inlined into the hottest calls (addRouteToDest): the work is out of line, and there is none without
   * a signal or an extras object (no scheduler, so no best-route watch).
   */
  afterChangeWith(signals: number): void { if (signals > 0 || this.more !== undefined) afterChangeWithOf(this, signals); }
  /** @internal Re-arms the real-clock timer (the scheduler of a real clock exists from creation; a drivable clock has none). */
  armTimers(): void { this.schedulerIfAny?.armTimers(); }

  /** @internal The best route of destination `destId` of `table` in `view`, as the fast paths report it. */
  bestRouteSummary(table: Table, destId: number, view: number): RouteSummary | undefined {
    this.ownTable(table, 'bestRouteSummary');
    return table.bestRouteSummary(destId, view);
  }

  /** @internal Reads a route record into a RouteSummary (no references taken). */
  routeSummary(table: Table, r: number, L: Layout = this.layout): RouteSummary {
    this.ownTable(table, 'routeSummary');
    this.liveSlot(this.layout.SLAB_ROUTE, r, 'routeSummary');
    return routeSummaryOf(this.core, L, table.family, r, this.routeEsiIfAny);
  }

  /** @internal The address of next-hop slot h ('10.0.0.1' for a full-length address, else 'addr/len'). */
  nextHopAddress(family: Family, h: number): string {
    this.table(family);
    this.liveSlot(this.layout.SLAB_NEXTHOP, h, 'nextHopAddress');
    return nextHopAddress(this.core, family, h);
  }

  /** `t` is one of this instance's tables. @throws ERROR_INVALID_PARAMETER */
  private ownTable(t: unknown, op: string): void {
    this.usable(op);
    const m = this.more;
    if (t === undefined || m === undefined || (t !== m.table4 && t !== m.table6)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'not a table of this instance');
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
