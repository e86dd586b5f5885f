// Rtm: one RTM instance (RtmInstanceId) with one core table per address family, its entity registry,
// its scheduler and its fast-path tables. Events are never delivered inside the call that caused them
// (spec §1.9): they queue here and run from a microtask (real clock), runPending(), or a VirtualClock
// advance. The core instance is shared by every Rtm of the process (one compiled module, one
// instance, thousands of tables); an Rtm costs two table records and two root nodes.
import { Core, loadCore, loadCoreSync, CoreBuild } from './port/core.js';
import { CoreTable } from './coretable.js';
import { RtmError, check } from './errors.js';
import { Family, AF_INET, AF_INET6, formatPrefix, parseIPv4, parsePrefixInto } from './address.js';
import { Clock, RealClock, isDrivableClock, ClockListener } from './clock.js';
import { layoutOf, Layout } from './layout.js';
import type {
  RtmOptions, EntityIdentity, RegisterOptions, EventCallback, RtmEventType, EntityHandle, RouteHandle,
  NotifyHandle, AddressFamilyName,
} from './types.js';
import { Entity } from './entity.js';
import { NotifyLayer, RTM_CHANGE_NOTIFICATION } from './notify.js';
import { TimerDriver } from './timers.js';

export const RTM_ENTITY_REGISTERED = 0, RTM_ENTITY_DEREGISTERED = 1;
const INFINITE = 0xffffffff;

/** A queued callback. */
interface PendingEvent {
  entity: Entity;
  type: RtmEventType;
  c1: EntityHandle | RouteHandle | NotifyHandle;
  c2: unknown;
  /** Runs right before the callback (e.g. re-arms a registration's signal). */
  before?: () => void;
}

/** The best route of a destination as the fast paths report it. */
export interface RouteSummary {
  readonly handle: RouteHandle;
  readonly owner: EntityHandle;
  readonly protocolId: number;
  readonly preference: number;
  readonly metric: number;
  /** Next-hop addresses ('10.0.0.1', or 'addr/len' for a prefix next hop). */
  readonly nextHops: readonly string[];
}

/** Fast paths of one family's table (not in RTMv2): lookups that allocate nothing unless noted. */
export class Table {
  /** The trie-level table in the core. */
  readonly core: CoreTable;
  readonly family: Family;
  private readonly rtm: Rtm;
  constructor(rtm: Rtm, core: CoreTable) { this.rtm = rtm; this.core = core; this.family = core.family; }

  /**
   * Most specific destination with a live route in `view` covering an address (text, or for IPv4 a
   * host-order number) → `{ destId, prefix, route }`, or undefined. Allocates the result.
   */
  lookup(address: string | number, view = 0): { destId: number; prefix: string; route: RouteSummary } | undefined {
    this.rtm.usable('lookup');
    let destId: number;
    if (typeof address === 'number') {
      if (this.family !== 4 || !Number.isInteger(address) || address < 0 || address > 0xffffffff) {
        throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `bad address ${address}`);
      }
      destId = this.core.lookup4(address, view);
    } else {
      const c = this.rtm.core;
      const len = parsePrefixInto(address, this.family, c.u32(), c.io + c.IO_IN);
      if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookup', `bad address '${address}'`);
      const d = this.core.lpm(address, 1 << view);
      destId = d === undefined ? -1 : d;
    }
    if (destId < 0) return undefined;
    return { destId, prefix: this.destPrefix(destId), route: this.rtm.bestRouteSummary(this, destId, view)! };
  }

  /**
   * Batch longest-prefix match (API.md §3): IPv4 one host-order u32 per address, IPv6 four u32 words
   * per address (MS first); writes each address's destId or -1 into `out`; returns the hits.
   */
  lookupBatch(keys: Uint32Array, out: Int32Array, view = 0): number {
    this.rtm.usable('lookupBatch');
    return this.core.lookupBatch(keys, out, view);
  }

  /** The prefix of a destination id ('10.0.0.0/8'). Allocates the string. */
  destPrefix(destId: number): string { this.rtm.usable('destPrefix'); return this.core.destPrefix(destId); }

  /** Destinations with a live route. */
  get destCount(): number { return this.core.stat(this.rtm.layout.TABLE_POPULATED); }
  /** Live routes. */
  get routeCount(): number { return this.core.stat(this.rtm.layout.TABLE_ROUTES); }
  /** Bytes of linear memory the core holds (shared by every instance of the process). */
  get memoryBytes(): number { return this.rtm.core.memoryBytes; }
}

/** One RTM instance (API.md §1). */
export class Rtm {
  readonly core: Core;
  readonly layout: Layout;
  readonly clock: Clock;
  readonly instanceId: number;
  readonly ipv4: Table;
  readonly ipv6: Table;
  readonly options: Required<Pick<RtmOptions, 'maxNextHopsInRoute' | 'maxHandlesInEnum' | 'views' | 'opaqueSlots'>> & RtmOptions;
  /** Live entities by slot. */
  readonly entities = new Map<number, Entity>();
  /** JS values kept beside core records: EntitySpecificInfo of routes / next hops, by slot. */
  readonly routeEsi: unknown[] = [];
  readonly nextHopEsi: unknown[] = [];
  private closed = false;
  private readonly pending: PendingEvent[] = [];
  private flushScheduled = false;
  private unsubscribe: (() => void) | undefined;
  /** Non-zero while registration-event callbacks run (RtmRegisterEntity etc. → ERROR_BUSY). */
  inRegistrationCallback = 0;
  /** Non-zero while RTM_CHANGE_NOTIFICATION callbacks run (RtmRegisterForChangeNotification → ERROR_BUSY). */
  inChangeCallback = 0;
  /** Change-notification state kept in JS (contexts, records). */
  readonly notify = new NotifyLayer();
  private signalGlobal: WebAssembly.Global | undefined;
  /** Non-zero while RTM_ROUTE_EXPIRED callbacks run. */
  inExpiryCallback = 0;
  /** Route expiries and hold-down ends (deadlines live in the core). */
  readonly timers: TimerDriver;
  private readonly opaqueUsed: boolean[][] = [[], []];

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
    this.options = { ...options, maxNextHopsInRoute: maxHops, maxHandlesInEnum: maxEnum, views, opaqueSlots: options.opaqueSlots ?? 5 };
    const v4 = new CoreTable(core, 4, views), v6 = new CoreTable(core, 6, views);
    for (const t of [v4, v6]) check(core.x.tableSetMaxHops(t.t, maxHops), 'create');
    this.ipv4 = new Table(this, v4);
    this.ipv6 = new Table(this, v6);
    this.timers = new TimerDriver(this);
    if (isDrivableClock(this.clock)) {
      const listener: ClockListener = {
        nextDue: () => (this.closed ? Infinity : this.pending.length > 0 ? this.clock.now() : this.timers.nextDue()),
        runDue: (now) => (this.closed ? 0 : this.timers.runDue(now, () => this.deliver())),
      };
      this.unsubscribe = this.clock.subscribe(listener);
    }
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
  /** Some registered entity (for core calls on behalf of the RTM itself), or undefined. */
  anyEntity(_t?: number): Entity | undefined { for (const e of this.entities.values()) return e; return undefined; }

  /** The table of a family. */
  table(family: Family): Table { return family === 4 ? this.ipv4 : this.ipv6; }

  /**
   * RtmRegisterEntity: registers an entity in the table of its family and schedules
   * RTM_ENTITY_REGISTERED to the other entities of that table that have callbacks.
   * @throws RtmError ERROR_INVALID_PARAMETER, ERROR_FILE_NOT_FOUND, ERROR_ALREADY_EXISTS,
   *   ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY, ERROR_INVALID_HANDLE
   */
  registerEntity(identity: EntityIdentity, options: RegisterOptions = {}): Entity {
    this.usable('registerEntity');
    if (this.inRegistrationCallback > 0) throw new RtmError('ERROR_BUSY', 'registerEntity', 'inside a registration-event callback');
    if (!identity || typeof identity !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', 'registerEntity', 'no identity');
    const fam = identity.addressFamily;
    let family: Family;
    if (fam === 'ipv4' || fam === AF_INET) family = 4;
    else if (fam === 'ipv6' || fam === AF_INET6) family = 6;
    else if ((typeof fam === 'number' && Number.isInteger(fam) && fam >= 0 && fam <= 0xffff) || typeof fam === 'string') {
      throw new RtmError('ERROR_FILE_NOT_FOUND', 'registerEntity', `no table for address family ${String(fam)}`);
    } else throw new RtmError('ERROR_INVALID_PARAMETER', 'registerEntity', `bad address family ${String(fam)}`);
    const names = (this.options.families ?? ['ipv4', 'ipv6']) as readonly AddressFamilyName[];
    if (!names.includes(family === 4 ? 'ipv4' : 'ipv6')) throw new RtmError('ERROR_FILE_NOT_FOUND', 'registerEntity', `no table for ${family === 4 ? 'ipv4' : 'ipv6'}`);
    const proto = identity.protocolId, inst = identity.instanceId ?? 0;
    for (const [n, v] of [['protocolId', proto], ['instanceId', inst]] as [string, number][]) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RtmError('ERROR_INVALID_PARAMETER', 'registerEntity', `${n} = ${v}`);
    }
    const methods = options.exportMethods ?? [];
    if (!Array.isArray(methods) || methods.length > 32 || methods.some((m) => typeof m !== 'function')) {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'registerEntity', 'at most 32 exported methods, each a function');
    }
    if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
      throw new RtmError('ERROR_INVALID_PARAMETER', 'registerEntity', 'onEvent must be a function');
    }
    const table = this.table(family);
    // opaque slot (first come, first served; D-43): checked before the core registers anything
    let slot = -1;
    const used = this.opaqueUsed[family === 4 ? 0 : 1];
    if (options.reserveOpaquePointer) {
      for (let i = 0; i < this.options.opaqueSlots; i++) if (!used[i]) { slot = i; break; }
      if (slot < 0) throw new RtmError('ERROR_NO_SYSTEM_RESOURCES', 'registerEntity', 'no opaque pointer slot free');
    }
    const c = this.core;
    check(c.x.entityRegister(table.core.t, proto >>> 0, inst >>> 0), 'registerEntity');
    const slotE = c.res(0);
    const handle = c.x.handleOfX(this.layout.KIND_ENTITY, slotE) as EntityHandle;
    if (slot >= 0) used[slot] = true;
    const entity = new Entity(this, table, handle, slotE, proto >>> 0, inst >>> 0, options.onEvent, methods, slot);
    this.entities.set(slotE, entity);
    for (const other of this.entities.values()) {
      if (other !== entity && other.family === family && other.onEvent) {
        this.enqueue({ entity: other, type: RTM_ENTITY_REGISTERED, c1: handle, c2: entity.info });
      }
    }
    return entity;
  }

  /** Called by Entity.deregister after the core clean-up: frees the opaque slot, tells the others. */
  entityGone(entity: Entity): void {
    this.entities.delete(entity.slot);
    if (entity.opaqueSlot >= 0) this.opaqueUsed[entity.family === 4 ? 0 : 1][entity.opaqueSlot] = false;
    // queued callbacks to it are dropped (spec §7.16 step 1)
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i].entity === entity) this.pending.splice(i, 1);
    for (const other of this.entities.values()) {
      if (other.family === entity.family && other.onEvent) {
        this.enqueue({ entity: other, type: RTM_ENTITY_DEREGISTERED, c1: entity.handle, c2: entity.info });
      }
    }
  }

  /** Queues a callback; with the real clock a microtask delivers it. */
  enqueue(ev: PendingEvent): void {
    this.pending.push(ev);
    if (!isDrivableClock(this.clock) && !this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => { this.flushScheduled = false; if (!this.closed && !this.core.poisoned) this.deliver(); });
    }
  }

  /** Delivers queued callbacks in order; returns how many ran. */
  private deliver(): number {
    let n = 0;
    while (this.pending.length > 0 && !this.closed) {
      const ev = this.pending.shift()!;
      if (!ev.entity.isRegistered || !ev.entity.onEvent) continue;
      ev.before?.();
      const reg = ev.type === RTM_ENTITY_REGISTERED || ev.type === RTM_ENTITY_DEREGISTERED;
      const chg = ev.type === RTM_CHANGE_NOTIFICATION;
      if (reg) this.inRegistrationCallback++;
      if (chg) this.inChangeCallback++;
      try {
        (ev.entity.onEvent as EventCallback)(ev.type, ev.c1, ev.c2);
      } finally {
        if (reg) this.inRegistrationCallback--;
        if (chg) this.inChangeCallback--;
      }
      n++;
    }
    return n;
  }

  /** Drops queued callbacks that match (e.g. of a registration that ended). */
  cancelEvents(match: (ev: PendingEvent) => boolean): void {
    for (let i = this.pending.length - 1; i >= 0; i--) if (match(this.pending[i])) this.pending.splice(i, 1);
  }

  /** After a change in the core: schedules the change-notification callbacks it signalled. */
  afterChange(e: Entity): void {
    this.signalGlobal ??= this.core.x.signalCount;
    if ((this.signalGlobal.value as number) > 0) this.notify.drainSignals(e);
  }

  /** Delivers everything due now, synchronously; returns how many callbacks ran (API.md §2). */
  runPending(): number {
    this.usable('runPending');
    return this.timers.runDue(this.clock.now(), () => this.deliver());
  }

  /** Frees the instance (its core tables too, unless the core trapped); later calls throw ERROR_INVALID_HANDLE. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.timers.stop();
    this.unsubscribe?.();
    for (const e of this.entities.values()) e.markGone();
    this.entities.clear();
    if (this.core.poisoned) return;                   // a trapped core frees nothing more
    this.ipv4.core.free();
    this.ipv6.core.free();
  }

  /** The current time for LastChanged, pushed to the core before mutating calls. */
  syncNow(): void { this.core.x.setNow(this.clock.now()); }

  /** The best route of destination `destId` of `table` in `view`, as the fast paths report it. */
  bestRouteSummary(table: Table, destId: number, view: number): RouteSummary | undefined {
    const c = this.core, L = this.layout;
    check(c.x.destInfoX(table.core.t, destId, 0, 1 << view), 'lookup');
    const u = c.u32();
    const r = u[c.io + c.IO_OUT + 2];
    if (r === c.NIL) return undefined;
    return this.routeSummary(table, r, L);
  }

  /** Reads a route record into a RouteSummary (no references taken). */
  routeSummary(table: Table, r: number, L: Layout = this.layout): RouteSummary {
    const c = this.core;
    const rp = c.x.recordPtr;
    const base = rp(L.SLAB_ROUTE, r) >>> 2;
    const u = c.u32();
    const owner = u[base + L.ROUTE_OWNER];
    const n = u[base + L.ROUTE_NHCOUNT];
    const hops: string[] = [];
    for (let i = 0; i < n; i++) {
      const h = n === 1 ? u[base + L.ROUTE_NH] : u[(u[base + L.ROUTE_NH] >>> 2) + i];
      hops.push(this.nextHopAddress(table.family, h));
    }
    const eBase = rp(L.SLAB_ENTITY, owner) >>> 2;
    const hx = c.x.handleOfX;
    return {
      handle: hx(L.KIND_ROUTE, r) as RouteHandle,
      owner: hx(L.KIND_ENTITY, owner) as EntityHandle,
      protocolId: c.u32()[eBase + L.ENTITY_PROTO],
      preference: u[base + L.ROUTE_PREF],
      metric: u[base + L.ROUTE_METRIC],
      nextHops: hops,
    };
  }

  /** The address of next-hop slot h ('10.0.0.1' for a full-length address, else 'addr/len'). */
  nextHopAddress(family: Family, h: number): string {
    const c = this.core, L = this.layout;
    const base = c.x.recordPtr(L.SLAB_NEXTHOP, h) >>> 2;
    const u = c.u32();
    const len = u[base + L.NEXTHOP_LEN];
    const text = formatPrefix(family, u, base + L.NEXTHOP_ADDR, len);
    return len === (family === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
  }
}

export { INFINITE, parseIPv4 };
