// A naive, obviously-correct RTMv2 model behind RtmLike/EntityLike: the oracle for the conformance
// scenarios and the differential tests. Plain objects and arrays, linear scans, every view's best route
// recomputed from scratch on each change, change classification by comparing full before/after
// snapshots of a destination, and garbage collection by a full sweep before and after every public
// call. Events are never delivered inside the causing call: a FIFO of pending callbacks plus route
// and hold-down deadlines, run by runPending() or by a VirtualClock (each expiry/hold end followed by
// its callbacks). watchBestRoutes (for the RTMv1 layer) lists the IPv4 prefixes whose unicast BEST fired
// and tells them after the public call or timer step. Spec references (§x, D-nn) are to
// shared/spec/RTMv2-SPEC.md. Allocates freely.

import { RtmError, type StatusName } from '../../src/errors.js';
import { AF_INET, AF_INET6, type Family, type NetAddressLike } from '../../src/address.js';
import { type Clock, type ClockListener, RealClock, isDrivableClock } from '../../src/clock.js';
import * as K from '../../src/win32/constants.js';
import type {
  AddNextHopOptions, BestRouteListener, AddNextHopResult, AddRouteOptions, AddRouteResult, AddressFamilyName, DestEnumOptions,
  DestHandle, DestInfo, DestQueryOptions, DestViewInfo, EntityHandle, EntityIdentity, EntityInfo, EntityLike,
  EntityMethod, EnumBatch, EnumGetOptions, EnumHandle, EventCallback, ExactMatchRouteOptions,
  ExactMatchRouteResult, FindNextHopResult, Handle, HandleKind, IterateOptions, MethodResult, NextHopEnumOptions,
  NextHopHandle, NextHopIdentity, NextHopInfo, NextHopOwnerView, NextHopState, NotifyDestOptions, NotifyHandle,
  NotifyOptions, OpaqueSlot, ReferenceableHandle, RegisterOptions, RegisteredEntity, RegnProfile, RouteCriteria,
  RouteEnumOptions, RouteHandle, RouteInfo, RouteListHandle, RouteOwnerView, RouteState, RtmEventType, RtmLike,
  RtmOptions,
} from '../../src/types.js';
import { type Key, compareKeys, covers, formatAddress, formatKey, keyEquals, parseKey } from './prefix.js';

// ── Records ─────────────────────────────────────────────────────────────────────────────────────────

type Refs = Map<Ent, number>;

class Lock {
  excl: Ent | null = null;
  exclCount = 0;
  readonly shared = new Map<Ent, number>();
  isFree(): boolean { return this.excl === null && this.shared.size === 0; }
  heldByOther(e: Ent): boolean {
    if (this.excl !== null && this.excl !== e) return true;
    for (const k of this.shared.keys()) if (k !== e) return true;
    return false;
  }
  dropAll(e: Ent): void {
    if (this.excl === e) { this.excl = null; this.exclCount = 0; }
    this.shared.delete(e);
  }
}

interface Table {
  readonly family: Family;
  readonly entities: Ent[];          // registered, in registration order
  readonly dests: Dest[];            // present destinations
  readonly notifies: Notify[];       // registrations, in creation order
  readonly slotOwners: (Ent | null)[];
}

interface Base {
  readonly handle: number;
  readonly table: Table;
  readonly refs: Refs;               // client references per entity (D-33)
}

interface Ent extends Base {
  readonly kind: 'entity';
  readonly protocolId: number;
  readonly instanceId: number;
  readonly onEvent: EventCallback | undefined;
  readonly methods: readonly EntityMethod[];
  readonly info: EntityInfo;
  blocked: boolean;
  slot: number;                      // opaque slot index or -1
  registered: boolean;
  deregistering: boolean;
  readonly nextHops: NH[];
  readonly lists: List[];
  readonly enums: Enum[];
}

interface Dest extends Base {
  readonly kind: 'dest';
  readonly key: Key;
  readonly prefix: string;
  routes: Route[];                   // live routes, kept in B6 order
  readonly best: (Route | undefined)[];   // per view id: current best (the incumbent of B4)
  readonly held: Map<number, Route>; // view id → held route
  holdViews: number;
  holdTime: number;
  holdEndsAt: number | undefined;
  lastChanged: number;
  readonly slots: Map<number, OpaqueSlot>;
  readonly lock: Lock;
  removed: boolean;
}

interface RouteStage {
  neighbour?: unknown; flags1?: unknown; flags?: unknown; metric?: unknown; preference?: unknown;
  views?: unknown; entitySpecificInfo?: unknown; nextHops?: unknown;
}

interface Route extends Base {
  readonly kind: 'route';
  readonly seq: number;
  readonly dest: Dest;
  readonly owner: Ent;
  state: RouteState;
  neighbour: NH | null;
  flags1: number;
  flags: number;
  pref: number;
  metric: number;
  views: number;
  esi: unknown;
  nextHops: NH[];
  expiresAt: number | undefined;
  list: List | null;
  staged: RouteStage | null;
  view: RouteView | undefined;
}

interface NHStage { address?: unknown; interfaceIndex?: unknown; flags?: unknown; entitySpecificInfo?: unknown; remoteNextHop?: unknown }

interface NH extends Base {
  readonly kind: 'nextHop';
  readonly owner: Ent;
  readonly key: Key;
  readonly address: string;
  readonly interfaceIndex: number;
  state: NextHopState;
  flags: number;
  esi: unknown;
  remote: Dest | null;
  readonly lock: Lock;
  staged: NHStage | null;
  view: NextHopView | undefined;
}

interface List extends Base {
  readonly kind: 'routeList';
  readonly owner: Ent;
  readonly routes: Route[];
  dead: boolean;
}

interface EnumBase extends Base {
  readonly kind: 'enum';
  readonly owner: Ent;
}
interface DestEnum extends EnumBase {
  readonly sub: 'dest'; readonly views: number; readonly own: boolean; readonly range: number;
  readonly start: Key | undefined; readonly protocolId: number; last: Key | undefined;
}
interface RouteEnum extends EnumBase {
  readonly sub: 'route'; readonly dest: Dest | null; readonly views: number; readonly own: boolean;
  readonly range: number; readonly start: Key | undefined; readonly matchFlags: number;
  readonly criteria: RouteCriteria | undefined; readonly interfaceIndex: number;
  last: { key: Key; pref: number; metric: number; seq: number } | undefined;
  readonly returned: Set<Route>;
}
interface NHEnum extends EnumBase {
  readonly sub: 'nextHop'; readonly range: number; readonly start: Key | undefined;
  last: { key: Key; interfaceIndex: number } | undefined;
}
interface ListEnum extends EnumBase {
  readonly sub: 'list'; readonly list: List; readonly returned: Set<Route>;
}
type Enum = DestEnum | RouteEnum | NHEnum | ListEnum;

interface Notify extends Base {
  readonly kind: 'notify';
  readonly owner: Ent;
  readonly views: number;            // normalised TargetViews; 0 = all views, no per-view data
  readonly flags: number;
  readonly context: unknown;
  readonly marked: Set<Dest>;
  readonly queue: Dest[];
  readonly records: DestInfo[];      // changed-dest records not yet released (D-60)
  callbackScheduled: boolean;
  dead: boolean;
}

type Obj = Ent | Dest | Route | NH | List | Enum | Notify;

interface PendingEvent {
  readonly to: Ent;
  readonly type: RtmEventType;
  readonly c1: EntityHandle | RouteHandle | NotifyHandle;
  readonly c2: unknown;
  readonly notify?: Notify;
}

/** Everything a change comparison needs about one route. */
interface RouteSnap {
  readonly r: Route; readonly neighbour: NH | null; readonly flags1: number; readonly flags: number;
  readonly pref: number; readonly metric: number; readonly views: number; readonly esi: unknown;
  readonly nextHops: readonly NH[];
}
interface DestSnap {
  readonly live: readonly RouteSnap[];
  readonly best: readonly (Route | undefined)[];
  readonly held: readonly (Route | undefined)[];
}

/** Validated owner-writable route fields. */
interface Fields {
  readonly neighbour: NH | null; readonly nextHops: NH[]; readonly metric: number; readonly preference: number;
  readonly views: number; readonly flags: number; readonly flags1: number; readonly esi: unknown;
}

/** A plain, comparable picture of the model (differential tests, debugging). */
export interface ModelSnapshot {
  readonly now: number;
  readonly tables: Record<AddressFamilyName, {
    readonly entities: { handle: number; protocolId: number; instanceId: number }[];
    readonly destCount: number;
    readonly routeCount: number;
    readonly dests: {
      prefix: string; handle: number; views: number; lastChanged: number;
      best: Record<number, number>; held: Record<number, number>;
      routes: { handle: number; owner: number; neighbour: number; preference: number; metric: number; views: number;
        flags: number; flags1: number; nextHops: number[]; expiresAt: number | null; list: number }[];
    }[];
    readonly queues: { notifyHandle: number; owner: number; views: number; flags: number; queued: string[]; marked: string[] }[];
  }>;
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

const U32_MAX = 0xffffffff;
const HOLD_CAP_MS = 0x7fffffff;
const ROUTE_FLAGS_MASK = 0xffff;
const MATCH_NEEDS_CRITERIA = K.RTM_MATCH_OWNER | K.RTM_MATCH_NEIGHBOUR | K.RTM_MATCH_PREF | K.RTM_MATCH_NEXTHOP;
const CHANGE_TYPES = K.RTM_CHANGE_TYPE_ALL | K.RTM_CHANGE_TYPE_BEST | K.RTM_CHANGE_TYPE_FORWARDING;

function fail(code: StatusName, op: string, detail?: string): never {
  throw new RtmError(code, op, detail);
}

function isNull(h: unknown): h is null | undefined | 0 {
  return h === undefined || h === null || h === 0;
}

function isU32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= U32_MAX;
}

function u32(x: unknown, dflt: number, op: string, what: string, max = U32_MAX): number {
  if (x === undefined) return dflt;
  if (!isU32(x) || x > max) fail('ERROR_INVALID_PARAMETER', op, `${what}: ${String(x)}`);
  return x;
}

/** True if any opaque slot of the destination holds a value. */
function slotSet(d: { readonly slots: Map<unknown, { value: unknown }> }): boolean {
  for (const x of d.slots.values()) if (x.value !== null && x.value !== undefined) return true;
  return false;
}

function totalRefs(o: Base): number {
  let n = 0;
  for (const c of o.refs.values()) n += c;
  return n;
}

function addRef(o: Base, e: Ent): void {
  o.refs.set(e, (o.refs.get(e) ?? 0) + 1);
}

function dropRef(o: Base, e: Ent): boolean {
  const c = o.refs.get(e) ?? 0;
  if (c <= 0) return false;
  if (c === 1) o.refs.delete(e); else o.refs.set(e, c - 1);
  return true;
}

function routeOrder(a: Route, b: Route): number {
  if (a.pref !== b.pref) return a.pref - b.pref;
  if (a.metric !== b.metric) return a.metric - b.metric;
  return a.seq - b.seq;
}

function sameSeq<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function familyOf(af: unknown): Family | 0 | -1 {
  if (af === 'ipv4' || af === AF_INET) return 4;
  if (af === 'ipv6' || af === AF_INET6) return 6;
  if (typeof af === 'string' || typeof af === 'number') return 0;   // well-formed but no such table
  return -1;
}

function familyName(f: Family): AddressFamilyName {
  return f === 4 ? 'ipv4' : 'ipv6';
}

// ── Owner views (D-42) ──────────────────────────────────────────────────────────────────────────────

class RouteView implements RouteOwnerView {
  constructor(private readonly m: RtmModel, private readonly r: Route) {}
  private get(k: keyof RouteStage, committed: unknown): unknown {
    const s = this.r.staged;
    return s !== null && k in s ? s[k] : committed;
  }
  private put(k: keyof RouteStage, v: unknown): void {
    if (!this.m.canWriteRoute(this.r)) return;                 // writes outside the owner's exclusive lock are ignored
    (this.r.staged ??= {})[k] = v;
  }
  get handle(): RouteHandle { return this.r.handle as RouteHandle; }
  get dest(): DestHandle { return this.r.dest.handle as DestHandle; }
  get owner(): EntityHandle { return this.r.owner.handle as EntityHandle; }
  get state(): RouteState { return this.r.state; }
  get prefix(): string { return this.r.dest.prefix; }
  get neighbour(): NextHopHandle | undefined {
    const v = this.get('neighbour', this.r.neighbour?.handle);
    return isNull(v) ? undefined : v as NextHopHandle;
  }
  set neighbour(v: NextHopHandle | undefined) { this.put('neighbour', v); }
  get flags1(): number { return this.get('flags1', this.r.flags1) as number; }
  set flags1(v: number) { this.put('flags1', v); }
  get flags(): number { return this.get('flags', this.r.flags) as number; }
  set flags(v: number) { this.put('flags', v); }
  get metric(): number { return this.get('metric', this.r.metric) as number; }
  set metric(v: number) { this.put('metric', v); }
  get preference(): number { return this.get('preference', this.r.pref) as number; }
  set preference(v: number) { this.put('preference', v); }
  get views(): number { return this.get('views', this.r.views) as number; }
  set views(v: number) { this.put('views', v); }
  get entitySpecificInfo(): unknown { return this.get('entitySpecificInfo', this.r.esi); }
  set entitySpecificInfo(v: unknown) { this.put('entitySpecificInfo', v); }
  get nextHops(): readonly NextHopHandle[] {
    const v = this.get('nextHops', undefined);
    return Object.freeze(Array.isArray(v) ? [...v] as NextHopHandle[] : this.r.nextHops.map((n) => n.handle as NextHopHandle));
  }
  set nextHops(v: readonly NextHopHandle[]) { this.put('nextHops', Array.isArray(v) ? [...v] : v); }
}

class NextHopView implements NextHopOwnerView {
  constructor(private readonly m: RtmModel, private readonly n: NH) {}
  private get(k: keyof NHStage, committed: unknown): unknown {
    const s = this.n.staged;
    return s !== null && k in s ? s[k] : committed;
  }
  private put(k: keyof NHStage, v: unknown): void {
    if (!this.m.canWriteNextHop(this.n)) return;
    (this.n.staged ??= {})[k] = v;
  }
  get handle(): NextHopHandle { return this.n.handle as NextHopHandle; }
  get owner(): EntityHandle { return this.n.owner.handle as EntityHandle; }
  get state(): NextHopState { return this.n.state; }
  get address(): string { return this.get('address', this.n.address) as string; }
  set address(v: string) { this.put('address', v); }
  get interfaceIndex(): number { return this.get('interfaceIndex', this.n.interfaceIndex) as number; }
  set interfaceIndex(v: number) { this.put('interfaceIndex', v); }
  get flags(): number { return this.get('flags', this.n.flags) as number; }
  set flags(v: number) { this.put('flags', v); }
  get entitySpecificInfo(): unknown { return this.get('entitySpecificInfo', this.n.esi); }
  set entitySpecificInfo(v: unknown) { this.put('entitySpecificInfo', v); }
  get remoteNextHop(): DestHandle | undefined {
    const v = this.get('remoteNextHop', this.n.remote?.handle);
    return isNull(v) ? undefined : v as DestHandle;
  }
  set remoteNextHop(v: DestHandle | undefined) { this.put('remoteNextHop', v); }
}

// ── The model ───────────────────────────────────────────────────────────────────────────────────────

/** The naive reference RTM instance. */
export class RtmModel implements RtmLike, ClockListener {
  readonly clock: Clock;
  readonly instanceId: number;
  readonly maxNextHopsInRoute: number;
  readonly maxHandlesInEnum: number;
  readonly viewsSupported: number;
  readonly viewIds: readonly number[];
  readonly opaqueSlots: number;
  readonly maxNotifyRegistrations: number;
  readonly defaultPreferences: Readonly<Record<number, number>>;
  private readonly tables = new Map<Family, Table>();
  private readonly objects = new Map<number, Obj>();
  private readonly pending: PendingEvent[] = [];
  private readonly changedRecords = new Map<DestInfo, Notify>();
  private nextHandle = 1;
  private nextSeq = 1;
  private closed = false;
  private running = false;
  private inCallback: RtmEventType | -1 = -1;
  private readonly unsubscribe: (() => void) | undefined;
  private microtaskQueued = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = Infinity;
  /** watchBestRoutes: the listener and the IPv4 prefixes whose unicast BEST fired, not yet told. */
  private bestListener: BestRouteListener | undefined;
  private readonly bestLog: string[] = [];
  private tellingBest = false;

  constructor(options: RtmOptions = {}) {
    const op = 'create';
    this.instanceId = u32(options.instanceId, 0, op, 'instanceId', 0xffff);
    this.clock = options.clock ?? new RealClock();
    this.maxNextHopsInRoute = u32(options.maxNextHopsInRoute, 8, op, 'maxNextHopsInRoute');
    this.maxHandlesInEnum = u32(options.maxHandlesInEnum, 100, op, 'maxHandlesInEnum');
    this.viewsSupported = u32(options.views, K.RTM_VIEW_MASK_UCAST | K.RTM_VIEW_MASK_MCAST, op, 'views');
    this.viewIds = [...Array(32).keys()].filter((v) => (this.viewsSupported >>> v) & 1);
    // at most 512 slots (API: RtmOptions.opaqueSlots; the core counts a destination's pins in 10 bits)
    this.opaqueSlots = u32(options.opaqueSlots, 5, op, 'opaqueSlots', 512);
    this.maxNotifyRegistrations = u32(options.maxNotifyRegistrations, 32, op, 'maxNotifyRegistrations');
    this.defaultPreferences = { ...(options.defaultPreferences ?? {}) };
    for (const f of options.families ?? ['ipv4', 'ipv6']) {
      const fam = familyOf(f);
      if (fam !== 4 && fam !== 6) fail('ERROR_INVALID_PARAMETER', op, `family ${String(f)}`);
      this.tables.set(fam, { family: fam, entities: [], dests: [], notifies: [], slotOwners: Array(this.opaqueSlots).fill(null) });
    }
    this.unsubscribe = isDrivableClock(this.clock) ? this.clock.subscribe(this) : undefined;
  }

  // ── RtmLike ───────────────────────────────────────────────────────────────────────────────────────

  registerEntity(identity: EntityIdentity, options: RegisterOptions = {}): EntityLike {
    const op = 'registerEntity';
    if (this.closed) fail('ERROR_INVALID_HANDLE', op, 'instance closed');
    this.collect();
    try {
      if (this.inCallback === K.RTM_ENTITY_REGISTERED || this.inCallback === K.RTM_ENTITY_DEREGISTERED) fail('ERROR_BUSY', op);
      if (identity === null || typeof identity !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'identity');
      const protocolId = u32(identity.protocolId, -1, op, 'protocolId');
      if (protocolId < 0) fail('ERROR_INVALID_PARAMETER', op, 'protocolId');
      const instanceId = u32(identity.instanceId, 0, op, 'instanceId');
      const methods = options.exportMethods ?? [];
      if (!Array.isArray(methods) || methods.length > 32 || methods.some((f) => typeof f !== 'function')) {
        fail('ERROR_INVALID_PARAMETER', op, 'exportMethods');
      }
      if (options.onEvent !== undefined && typeof options.onEvent !== 'function') fail('ERROR_INVALID_PARAMETER', op, 'onEvent');
      const fam = familyOf(identity.addressFamily);
      if (fam === -1) fail('ERROR_INVALID_PARAMETER', op, 'addressFamily');
      const table = fam === 0 ? undefined : this.tables.get(fam);
      if (table === undefined) fail('ERROR_FILE_NOT_FOUND', op, `no table for ${String(identity.addressFamily)}`);
      if (table.entities.some((e) => e.protocolId === protocolId && e.instanceId === instanceId)) fail('ERROR_ALREADY_EXISTS', op);
      let slot = -1;
      if (options.reserveOpaquePointer) {
        slot = table.slotOwners.indexOf(null);
        if (slot < 0) fail('ERROR_NO_SYSTEM_RESOURCES', op, 'no opaque pointer slot free');
      }
      const info: EntityInfo = Object.freeze({
        rtmInstanceId: this.instanceId, addressFamily: familyName(table.family), protocolId, instanceId,
        entityId: BigInt(protocolId) | (BigInt(instanceId) << 32n),
      });
      const e: Ent = {
        kind: 'entity', handle: this.nextHandle++, table, refs: new Map(), protocolId, instanceId,
        onEvent: options.onEvent, methods: [...methods], info, blocked: false, slot, registered: true,
        deregistering: false, nextHops: [], lists: [], enums: [],
      };
      if (slot >= 0) table.slotOwners[slot] = e;
      for (const other of table.entities) {
        if (other.onEvent) this.pending.push({ to: other, type: K.RTM_ENTITY_REGISTERED, c1: e.handle as EntityHandle, c2: info });
      }
      table.entities.push(e);
      this.objects.set(e.handle, e);
      return new ModelEntity(this, e);
    } finally {
      this.collect();
      this.kick();
    }
  }

  runPending(): number {
    if (this.closed) fail('ERROR_INVALID_HANDLE', 'runPending', 'instance closed');
    return this.runDue(this.clock.now());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.unsubscribe?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  // ── ClockListener / scheduler ─────────────────────────────────────────────────────────────────────

  nextDue(): number {
    if (this.closed) return Infinity;
    if (this.pending.length > 0) return this.clock.now();
    return this.nextTimer()?.due ?? Infinity;
  }

  runDue(nowMs: number): number {
    if (this.closed || this.running) return 0;
    this.running = true;
    let count = 0;
    try {
      this.collect();
      for (;;) {
        count += this.deliverPending();
        const t = this.nextTimer();
        if (t === undefined || t.due > nowMs) break;
        if (t.route) count += this.fireExpiry(t.route);
        else if (t.dest) this.endHold(t.dest);
        this.collect();
        this.tellBest();
      }
      count += this.deliverPending();
    } finally {
      this.running = false;
      this.collect();
    }
    this.kick();
    return count;
  }

  /** The earliest deadline not deferred by a lock (§7.10 rule 4): expiries before hold ends at equal times. */
  private nextTimer(): { due: number; route?: Route; dest?: Dest } | undefined {
    let best: { due: number; kind: number; order: number; route?: Route; dest?: Dest } | undefined;
    for (const table of this.tables.values()) {
      for (const d of table.dests) {
        if (!d.lock.isFree()) continue;
        for (const r of d.routes) {
          if (r.expiresAt === undefined) continue;
          const c = { due: r.expiresAt, kind: 0, order: r.seq, route: r };
          if (!best || c.due < best.due || (c.due === best.due && (c.kind < best.kind || (c.kind === best.kind && c.order < best.order)))) best = c;
        }
        if (d.holdEndsAt !== undefined) {
          const c = { due: d.holdEndsAt, kind: 1, order: d.handle, dest: d };
          if (!best || c.due < best.due || (c.due === best.due && (c.kind < best.kind || (c.kind === best.kind && c.order < best.order)))) best = c;
        }
      }
    }
    return best;
  }

  private deliverPending(): number {
    let count = 0;
    while (this.pending.length > 0) {
      const ev = this.pending.shift()!;
      if (!ev.to.registered || ev.to.deregistering) continue;
      if (ev.notify) {
        if (ev.notify.dead) continue;
        ev.notify.callbackScheduled = false;
      }
      this.invoke(ev.to, ev.type, ev.c1, ev.c2);
      count++;
    }
    return count;
  }

  private invoke(to: Ent, type: RtmEventType, c1: EntityHandle | RouteHandle | NotifyHandle, c2: unknown): number {
    const saved = this.inCallback;
    this.inCallback = type;
    try {
      const r = to.onEvent!(type, c1, c2);
      return typeof r === 'number' ? r : K.NO_ERROR;
    } finally {
      this.inCallback = saved;
    }
  }

  /** §7.6 T2/T3: tell the owner; delete if it answers ERROR_NOT_SUPPORTED or has no callback (D-38). */
  private fireExpiry(r: Route): number {
    r.expiresAt = undefined;
    const owner = r.owner;
    let remove = true;
    let count = 0;
    if (owner.onEvent && owner.registered && !owner.deregistering) {
      addRef(r, owner);
      const ret = this.invoke(owner, K.RTM_ROUTE_EXPIRED, r.handle as RouteHandle, this.routeView(r));
      count = 1;
      remove = ret === K.ERROR_NOT_SUPPORTED;
      if (remove) dropRef(r, owner);                        // the reference passed in Context1 is consumed
    }
    if (remove && r.state === K.RTM_ROUTE_STATE_CREATED) this.deleteRouteInternal(r);
    return count;
  }

  /** §7.7 H5: destroy every held route, report ALL+BEST in the views that had one (D-27). */
  private endHold(d: Dest): void {
    const before = this.snapDest(d);
    for (const r of d.held.values()) r.state = K.RTM_ROUTE_STATE_DELETED;
    d.held.clear();
    d.holdEndsAt = undefined;
    this.finishChange(d, before);
  }

  /** Real-clock driving: pending callbacks in a microtask, deadlines through one unref'd timer. */
  private kick(): void {
    if (this.closed || this.unsubscribe !== undefined) return;
    if (this.pending.length > 0 && !this.microtaskQueued) {
      this.microtaskQueued = true;
      queueMicrotask(() => { this.microtaskQueued = false; this.runDue(this.clock.now()); });
    }
    const due = this.nextTimer()?.due ?? Infinity;
    if (due !== this.timerDue) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = due;
      if (due !== Infinity) {
        const t = setTimeout(() => { this.timer = undefined; this.timerDue = Infinity; this.runDue(this.clock.now()); },
          Math.max(0, Math.min(due - this.clock.now(), HOLD_CAP_MS)));
        (t as { unref?: () => void }).unref?.();
        this.timer = t;
      }
    }
  }

  // ── Call wrapper, handles, collection ─────────────────────────────────────────────────────────────

  /** Runs one entity API call: validity of instance and registration, collection before and after. */
  api<T>(e: Ent, op: string, fn: () => T): T {
    if (this.closed) fail('ERROR_INVALID_HANDLE', op, 'instance closed');
    if (!e.registered || e.deregistering) fail('ERROR_INVALID_HANDLE', op, 'registration handle');
    this.collect();
    try {
      return fn();
    } finally {
      this.collect();
      this.kick();
      this.tellBest();
    }
  }

  /** RtmLike.watchBestRoutes (for the RTMv1 layer): the listener hears each logged prefix, in order, after the operation. */
  watchBestRoutes(listener: BestRouteListener): () => void {
    if (this.closed) fail('ERROR_INVALID_HANDLE', 'watchBestRoutes', 'instance closed');
    if (this.bestListener) fail('ERROR_BUSY', 'watchBestRoutes', 'already watched');
    this.bestListener = listener;
    return () => { if (this.bestListener === listener) { this.bestListener = undefined; this.bestLog.length = 0; } };
  }

  private tellBest(): void {
    if (this.tellingBest) return;
    this.tellingBest = true;
    try {
      while (this.bestLog.length > 0 && this.bestListener) this.bestListener(this.bestLog.shift()!);
    } finally {
      this.tellingBest = false;
    }
  }

  /** Resolves a handle of `kind` in `e`'s table, or throws ERROR_INVALID_HANDLE. */
  private resolve<T extends Obj>(h: unknown, kind: HandleKind, e: Ent, op: string, what: string): T {
    const o = typeof h === 'number' ? this.objects.get(h) : undefined;
    if (o === undefined || o.kind !== kind || o.table !== e.table) fail('ERROR_INVALID_HANDLE', op, what);
    return o as T;
  }

  private lookup(h: unknown, kind: HandleKind, e: Ent): Obj | undefined {
    const o = typeof h === 'number' ? this.objects.get(h) : undefined;
    return o !== undefined && o.kind === kind && o.table === e.table ? o : undefined;
  }

  /**
   * Removes from the table what is no longer present, and frees what nothing keeps alive (D-24, D-32, D-33):
   * - a deleted route without client references is freed;
   * - a deleted next hop without client references that no surviving route uses is freed;
   * - a destination is *present* (in the table, findable by prefix) while it has a live or held route, a
   *   non-NULL opaque slot, a mark, or a client reference; once not present it leaves the table for good
   *   (a later route for the prefix creates a new destination). Its *object* (handle) stays valid while a
   *   client references it, a registration has it queued (D-32), or a surviving route or next hop points
   *   at it — so a referenced deleted route never reports a dead destination handle;
   * - a deregistered entity is freed when nothing references it or owns a surviving route/next hop.
   * One pass in this order reaches the fixpoint (each step only depends on the ones before it).
   */
  private collect(): void {
    // one walk of the object map sorts the objects by kind; the steps below then run in the order above
    const routes: Route[] = [], nextHops: NH[] = [], dests: Dest[] = [], ents: Ent[] = [];
    for (const o of this.objects.values()) {
      switch (o.kind) {
        case 'route': routes.push(o); break;
        case 'nextHop': nextHops.push(o); break;
        case 'dest': dests.push(o); break;
        case 'entity': ents.push(o); break;
      }
    }
    const usedNH = new Set<NH>();
    const usedDest = new Set<Dest>();
    const usedEnt = new Set<Ent>();
    for (const r of routes) {
      if (r.state === K.RTM_ROUTE_STATE_DELETED && totalRefs(r) === 0) { this.objects.delete(r.handle); continue; }
      if (r.neighbour) usedNH.add(r.neighbour);
      for (const n of r.nextHops) usedNH.add(n);
      usedDest.add(r.dest);
      usedEnt.add(r.owner);
    }
    for (const o of nextHops) {
      if (o.state === K.RTM_NEXTHOP_STATE_DELETED && totalRefs(o) === 0 && !usedNH.has(o)) {
        this.objects.delete(o.handle);
        o.owner.nextHops.splice(o.owner.nextHops.indexOf(o), 1);
      } else {
        if (o.remote) usedDest.add(o.remote);
        usedEnt.add(o.owner);
      }
    }
    for (const table of this.tables.values()) {
      const marked = new Set<Dest>();
      for (const n of table.notifies) { for (const d of n.marked) marked.add(d); for (const d of n.queue) usedDest.add(d); }
      // present destinations stay, in order (compacted in place); the others leave the table for good
      const list = table.dests as Dest[];
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const d = list[i];
        const present = d.routes.length > 0 || d.held.size > 0 || marked.has(d) || totalRefs(d) > 0 || slotSet(d);
        if (present) { list[kept++] = d; continue; }
        d.removed = true;
        for (const x of d.slots.values()) x.value = null;
        d.slots.clear();
      }
      list.length = kept;
    }
    for (const o of dests) {
      if (o.removed && totalRefs(o) === 0 && !usedDest.has(o)) {
        this.objects.delete(o.handle);
        for (const n of o.table.notifies) n.marked.delete(o);
      }
    }
    for (const o of ents) {
      if (!o.registered && totalRefs(o) === 0 && !usedEnt.has(o)) this.objects.delete(o.handle);
    }
  }

  // ── Destinations, best routes, change classification ──────────────────────────────────────────────

  private findDest(table: Table, key: Key): Dest | undefined {
    return table.dests.find((d) => keyEquals(d.key, key));
  }

  private newDest(table: Table, key: Key): Dest {
    const d: Dest = {
      kind: 'dest', handle: this.nextHandle++, table, refs: new Map(), key, prefix: formatKey(key), routes: [],
      best: [], held: new Map(), holdViews: 0, holdTime: 0, holdEndsAt: undefined, lastChanged: this.clock.now(),
      slots: new Map(), lock: new Lock(), removed: false,
    };
    table.dests.push(d);
    this.objects.set(d.handle, d);
    return d;
  }

  private isPopulated(d: Dest): boolean {
    return d.routes.length > 0 || d.held.size > 0;
  }

  /** BelongsToViews of a destination: views with at least one live route (held routes don't count). */
  private destViews(d: Dest): number {
    let v = 0;
    for (const r of d.routes) v |= r.views;
    return (v & this.viewsSupported) >>> 0;
  }

  /** B1–B6: per view, the first candidate in (Preference, Metric, seq) order, unless the incumbent ties. */
  private recomputeBest(d: Dest): void {
    d.routes.sort(routeOrder);
    for (const v of this.viewIds) d.best[v] = this.pickBest(d.routes.filter((r) => (r.views >>> v) & 1), d.best[v]);
  }

  private pickBest(sorted: readonly Route[], incumbent: Route | undefined): Route | undefined {
    if (sorted.length === 0) return undefined;
    const lead = sorted[0];
    if (incumbent && incumbent.pref === lead.pref && incumbent.metric === lead.metric && sorted.includes(incumbent)) return incumbent;
    return lead;
  }

  /** §7.15: the route reported for view v under a protocol selector. */
  private selectRoute(d: Dest, v: number, protocolId: number, caller: Ent): Route | undefined {
    if (protocolId === K.RTM_BEST_PROTOCOL) return d.best[v];
    const p = protocolId === K.RTM_THIS_PROTOCOL ? caller.protocolId : protocolId;
    const cands = d.routes.filter((r) => ((r.views >>> v) & 1) && r.owner.protocolId === p);
    return this.pickBest(cands, d.best[v]);
  }

  private snapDest(d: Dest): DestSnap {
    return {
      live: d.routes.map((r) => ({
        r, neighbour: r.neighbour, flags1: r.flags1, flags: r.flags, pref: r.pref, metric: r.metric, views: r.views,
        esi: r.esi, nextHops: [...r.nextHops],
      })),
      best: this.viewIds.map((v) => d.best[v]),
      held: this.viewIds.map((v) => d.held.get(v)),
    };
  }

  /** After a mutation of `d` (best already recomputed): classify per view (§7.8.2), queue (§7.8.3), LastChanged. Returns "BEST fired". */
  private finishChange(d: Dest, before: DestSnap): boolean {
    this.recomputeBest(d);
    const after = this.snapDest(d);
    const same = (a: RouteSnap, b: RouteSnap): boolean => a.neighbour === b.neighbour && a.flags1 === b.flags1
      && a.flags === b.flags && a.pref === b.pref && a.metric === b.metric && a.views === b.views
      && Object.is(a.esi, b.esi) && sameSeq(a.nextHops, b.nextHops);
    const fired: { all: boolean; best: boolean; fwd: boolean }[] = [];
    let anyBest = false;
    this.viewIds.forEach((v, i) => {
      const inV = (s: RouteSnap): boolean => ((s.views >>> v) & 1) === 1;
      const b = before.live.filter(inV);
      const a = after.live.filter(inV);
      const heldChanged = before.held[i] !== after.held[i];
      let all = heldChanged || b.length !== a.length;
      for (const sb of b) {
        const sa = a.find((x) => x.r === sb.r);
        if (!sa || !same(sa, sb)) all = true;
      }
      for (const sa of a) if (!b.some((x) => x.r === sa.r)) all = true;
      const bb = before.best[i];
      const ba = after.best[i];
      let best = heldChanged;
      let fwd = false;
      if (bb !== ba) { best = true; fwd = true; } else if (bb !== undefined) {
        const sb = before.live.find((x) => x.r === bb)!;
        const sa = after.live.find((x) => x.r === ba)!;
        const core = sb.pref !== sa.pref || sb.metric !== sa.metric || !sameSeq(sb.nextHops, sa.nextHops);
        if (core || sb.flags !== sa.flags) best = true;
        if (core || ((sb.flags ^ sa.flags) & K.RTM_ROUTE_FLAGS_FORWARDING) !== 0) fwd = true;
      }
      fired.push({ all, best, fwd });
      if (best) anyBest = true;
    });
    // LastChanged (D-28): any field of any live route, the set of live routes, or a held route changed.
    let changed = before.live.length !== after.live.length || before.held.some((h, i) => h !== after.held[i]);
    for (const sb of before.live) {
      const sa = after.live.find((x) => x.r === sb.r);
      if (!sa || !same(sa, sb)) changed = true;
    }
    if (changed) d.lastChanged = this.clock.now();
    this.queueChange(d, fired);
    const ucast = this.viewIds.indexOf(0);
    if (this.bestListener && d.table.family === 4 && ucast >= 0 && fired[ucast].best) this.bestLog.push(d.prefix);
    return anyBest;
  }

  private queueChange(d: Dest, fired: readonly { all: boolean; best: boolean; fwd: boolean }[]): void {
    for (const n of d.table.notifies) {
      const views = n.views === 0 ? this.viewsSupported : n.views;
      const hit = this.viewIds.some((v, i) => ((views >>> v) & 1) && (
        ((n.flags & K.RTM_CHANGE_TYPE_ALL) && fired[i].all)
        || ((n.flags & K.RTM_CHANGE_TYPE_BEST) && fired[i].best)
        || ((n.flags & K.RTM_CHANGE_TYPE_FORWARDING) && fired[i].fwd)));
      if (!hit) continue;
      if ((n.flags & K.RTM_NOTIFY_ONLY_MARKED_DESTS) && !n.marked.has(d)) continue;
      if (n.queue.includes(d)) continue;
      n.queue.push(d);
      if (!n.callbackScheduled && n.owner.onEvent) {
        n.callbackScheduled = true;
        this.pending.push({ to: n.owner, type: K.RTM_CHANGE_NOTIFICATION, c1: n.handle as NotifyHandle, c2: n.context, notify: n });
      }
    }
  }

  /** Deletes a live route exactly as RtmDeleteRouteToDest does (hold-down §7.7 H2, lists, timer). Returns "BEST fired". */
  private deleteRouteInternal(r: Route): boolean {
    const d = r.dest;
    const before = this.snapDest(d);
    d.routes.splice(d.routes.indexOf(r), 1);
    r.expiresAt = undefined;
    r.staged = null;
    this.removeFromList(r);
    let held = false;
    for (const v of this.viewIds) {
      if (!((r.views >>> v) & 1) || !((d.holdViews >>> v) & 1)) continue;
      if (d.routes.some((x) => (x.views >>> v) & 1)) continue;
      const old = d.held.get(v);
      d.held.set(v, r);
      held = true;
      if (old && old !== r && ![...d.held.values()].includes(old)) old.state = K.RTM_ROUTE_STATE_DELETED;
    }
    r.state = held ? K.RTM_ROUTE_STATE_DELETING : K.RTM_ROUTE_STATE_DELETED;
    if (held && d.holdEndsAt === undefined) d.holdEndsAt = this.clock.now() + d.holdTime;
    return this.finishChange(d, before);
  }

  private removeFromList(r: Route): void {
    if (r.list) { r.list.routes.splice(r.list.routes.indexOf(r), 1); r.list = null; }
  }

  private moveToList(r: Route, l: List): void {
    this.removeFromList(r);
    l.routes.push(r);
    r.list = l;
  }

  /** Normalises a TargetViews argument: ALL → every supported view; other unsupported bits → ERROR_NOT_SUPPORTED. */
  private targetViews(v: unknown, op: string): number {
    const views = u32(v, K.RTM_VIEW_MASK_ALL, op, 'views');
    if (views === K.RTM_VIEW_MASK_ALL) return this.viewsSupported;
    if ((views & ~this.viewsSupported) !== 0) fail('ERROR_NOT_SUPPORTED', op, `views 0x${views.toString(16)}`);
    return views;
  }

  private key(input: unknown, e: Ent, op: string, what = 'address'): Key {
    const k = parseKey(input, e.table.family);
    if (k === undefined) fail('ERROR_INVALID_PARAMETER', op, what);
    return k;
  }

  private count(c: unknown, op: string): number {
    return u32(c, this.maxHandlesInEnum, op, 'count', this.maxHandlesInEnum);
  }

  // ── Info objects (each handle inside takes a reference for the caller) ────────────────────────────

  private destInfo(caller: Ent, d: Dest, protocolId: number, views: number): DestInfo {
    const viewInfo: DestViewInfo[] = [];
    for (const v of this.viewIds) {
      if (!((views >>> v) & 1)) continue;
      const route = this.selectRoute(d, v, protocolId, caller);
      const hold = d.held.get(v);
      if (route) { addRef(route, caller); addRef(route.owner, caller); }
      if (hold) addRef(hold, caller);
      viewInfo.push(Object.freeze({
        viewId: v, numRoutes: d.routes.filter((r) => (r.views >>> v) & 1).length,
        route: route?.handle as RouteHandle | undefined, owner: route?.owner.handle as EntityHandle | undefined,
        destFlags: route?.flags ?? 0, holdRoute: hold?.handle as RouteHandle | undefined,
      }));
    }
    addRef(d, caller);
    return Object.freeze({
      handle: d.handle as DestHandle, prefix: d.prefix,
      address: Object.freeze({ addressFamily: d.table.family === 4 ? AF_INET : AF_INET6, numBits: d.key.len }),
      lastChanged: d.lastChanged, views: this.destViews(d), viewInfo: Object.freeze(viewInfo),
    });
  }

  private routeInfo(caller: Ent, r: Route): RouteInfo {
    addRef(r.dest, caller);
    addRef(r.owner, caller);
    if (r.neighbour) addRef(r.neighbour, caller);
    for (const n of r.nextHops) addRef(n, caller);
    return Object.freeze({
      dest: r.dest.handle as DestHandle, owner: r.owner.handle as EntityHandle,
      neighbour: r.neighbour?.handle as NextHopHandle | undefined, state: r.state, flags1: r.flags1, flags: r.flags,
      metric: r.metric, preference: r.pref, views: r.views, entitySpecificInfo: r.esi,
      nextHops: Object.freeze(r.nextHops.map((n) => n.handle as NextHopHandle)), prefix: r.dest.prefix,
    });
  }

  private nextHopInfo(caller: Ent, n: NH): NextHopInfo {
    addRef(n.owner, caller);
    if (n.remote) addRef(n.remote, caller);
    return Object.freeze({
      address: n.address, interfaceIndex: n.interfaceIndex, owner: n.owner.handle as EntityHandle, state: n.state,
      flags: n.flags, entitySpecificInfo: n.esi, remoteNextHop: n.remote?.handle as DestHandle | undefined,
    });
  }

  /** Releases one reference per (handle, kind); every valid one is released; then ERROR_INVALID_HANDLE if any was not. */
  private releaseMany(e: Ent, items: readonly [unknown, HandleKind][], op: string): void {
    let bad = 0;
    for (const [h, kind] of items) {
      const o = this.lookup(h, kind, e);
      if (o === undefined || !dropRef(o, e)) bad++;
    }
    if (bad > 0) fail('ERROR_INVALID_HANDLE', op, `${bad} invalid handle(s)`);
  }

  private destInfoHandles(info: DestInfo): [unknown, HandleKind][] {
    const out: [unknown, HandleKind][] = [[info?.handle, 'dest']];
    for (const vi of info?.viewInfo ?? []) {
      if (!isNull(vi.route)) out.push([vi.route, 'route']);
      if (!isNull(vi.owner)) out.push([vi.owner, 'entity']);
      if (!isNull(vi.holdRoute)) out.push([vi.holdRoute, 'route']);
    }
    return out;
  }

  /** True if `info` is a changed-dest record not yet released (those need releaseChangedDests, D-60). */
  private isPendingRecord(info: DestInfo): boolean {
    const n = this.changedRecords.get(info);
    return n !== undefined && !n.dead && n.records.includes(info);
  }

  routeView(r: Route): RouteView {
    return (r.view ??= new RouteView(this, r));
  }

  nextHopView(n: NH): NextHopView {
    return (n.view ??= new NextHopView(this, n));
  }

  canWriteRoute(r: Route): boolean {
    return !this.closed && r.state === K.RTM_ROUTE_STATE_CREATED && r.dest.lock.excl === r.owner;
  }

  canWriteNextHop(n: NH): boolean {
    return !this.closed && n.lock.excl === n.owner;
  }

  // ── Entity API (called through ModelEntity, inside api()) ─────────────────────────────────────────

  deregister(e: Ent): void {
    const op = 'deregister';
    if (this.inCallback === K.RTM_ENTITY_REGISTERED || this.inCallback === K.RTM_ENTITY_DEREGISTERED) fail('ERROR_BUSY', op);
    const table = e.table;
    // 1. deregistering: method calls to it fail, queued callbacks to it are dropped.
    e.deregistering = true;
    // 2. delete its live routes (normal semantics: hold-down, notifications), in creation order.
    const mine = table.dests.flatMap((d) => d.routes.filter((r) => r.owner === e)).sort((a, b) => a.seq - b.seq);
    for (const r of mine) if (r.state === K.RTM_ROUTE_STATE_CREATED) this.deleteRouteInternal(r);
    // 3. next hops, lists, enumerations, notification registrations, locks, references, opaque slot.
    for (const n of e.nextHops) { n.state = K.RTM_NEXTHOP_STATE_DELETED; n.staged = null; }
    for (const l of [...e.lists]) this.destroyList(l);
    for (const en of [...e.enums]) this.destroyEnum(en);
    for (const n of [...table.notifies]) if (n.owner === e) this.destroyNotify(n);
    for (const o of this.objects.values()) {
      if (o.kind === 'dest' || o.kind === 'nextHop') o.lock.dropAll(e);
      if ('refs' in o) o.refs.delete(e);
    }
    if (e.slot >= 0) {
      for (const d of table.dests) {
        const s = d.slots.get(e.slot);
        if (s) { s.value = null; d.slots.delete(e.slot); }
      }
      table.slotOwners[e.slot] = null;
      e.slot = -1;
    }
    // 4. leave the entity table, tell the others.
    table.entities.splice(table.entities.indexOf(e), 1);
    e.registered = false;
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i].to === e) this.pending.splice(i, 1);
    for (const other of table.entities) {
      if (other.onEvent) this.pending.push({ to: other, type: K.RTM_ENTITY_DEREGISTERED, c1: e.handle as EntityHandle, c2: e.info });
    }
    // 5. the handle is invalid for calls from now on (registered = false); the object lives while referenced.
  }

  getRegisteredEntities(e: Ent): RegisteredEntity[] {
    if (this.inCallback === K.RTM_ENTITY_REGISTERED || this.inCallback === K.RTM_ENTITY_DEREGISTERED) {
      fail('ERROR_BUSY', 'getRegisteredEntities');
    }
    return e.table.entities.map((x) => { addRef(x, e); return Object.freeze({ handle: x.handle as EntityHandle, info: x.info }); });
  }

  releaseEntities(e: Ent, hs: readonly EntityHandle[]): void {
    this.releaseMany(e, this.arr(hs, 'releaseEntities').map((h) => [h, 'entity']), 'releaseEntities');
  }

  getEntityInfo(e: Ent, h: EntityHandle): EntityInfo {
    return this.resolve<Ent>(h, 'entity', e, 'getEntityInfo', 'entity').info;
  }

  lockDestination(e: Ent, o: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void {
    const op = 'lockDestination';
    const d = this.resolve<Dest>(o?.dest, 'dest', e, op, 'dest');
    const exclusive = !!o.exclusive;
    if (o.lock ?? true) this.acquire(d.lock, e, exclusive, op);
    else this.releaseDestLock(d, e, exclusive, op, undefined);
  }

  private acquire(l: Lock, e: Ent, exclusive: boolean, op: string): void {
    if (exclusive) {
      if (l.heldByOther(e)) fail('ERROR_BUSY', op);
      l.excl = e;
      l.exclCount++;
    } else {
      if (l.excl !== null && l.excl !== e) fail('ERROR_BUSY', op);
      l.shared.set(e, (l.shared.get(e) ?? 0) + 1);
    }
  }

  private release(l: Lock, e: Ent, exclusive: boolean, op: string): void {
    if (exclusive) {
      if (l.excl !== e) fail('ERROR_NOT_LOCKED', op);
      if (--l.exclCount === 0) l.excl = null;
    } else {
      const c = l.shared.get(e) ?? 0;
      if (c === 0) fail('ERROR_NOT_LOCKED', op);
      if (c === 1) l.shared.delete(e); else l.shared.set(e, c - 1);
    }
  }

  /**
   * Releases a destination (route) lock. Exclusive releases commit staged owner-view edits (D-42): those
   * of `route` at once (plain RtmLockRoute unlock: invalid edits are reverted, the lock is released
   * anyway, then ERROR_INVALID_PARAMETER), and, once the caller no longer holds the exclusive lock, those
   * of its other routes on the destination (invalid leftovers are dropped silently).
   */
  private releaseDestLock(d: Dest, e: Ent, exclusive: boolean, op: string, route: Route | undefined): void {
    this.release(d.lock, e, exclusive, op);
    if (!exclusive) return;
    let bad = false;
    if (route !== undefined && route.owner === e && route.staged !== null) {
      bad = !this.commitStaged(route, op, false).ok;
    }
    if (d.lock.excl !== e) {
      for (const r of [...d.routes]) if (r.owner === e && r.staged !== null) this.commitStaged(r, op, false);
    }
    if (bad) fail('ERROR_INVALID_PARAMETER', op, 'staged route edits (reverted)');
  }

  /**
   * Validates and applies a route's staged edits plus `extra` (TTL/list for RtmUpdateAndUnlockRoute), then
   * classifies the change. Invalid edits: nothing is applied; they are dropped unless `keepOnError`.
   */
  private commitStaged(r: Route, op: string, keepOnError: boolean, extra?: () => void): { ok: boolean; best: boolean } {
    const s = r.staged;
    let v: Fields | undefined;
    if (s !== null) {
      try {
        v = this.validateFields(r.owner, {
          neighbour: 'neighbour' in s ? s.neighbour : r.neighbour?.handle,
          nextHops: 'nextHops' in s ? s.nextHops : r.nextHops.map((n) => n.handle),
          metric: 'metric' in s ? s.metric : r.metric,
          preference: 'preference' in s ? s.preference : r.pref,
          views: 'views' in s ? s.views : r.views,
          flags: 'flags' in s ? s.flags : r.flags,
          flags1: 'flags1' in s ? s.flags1 : r.flags1,
          entitySpecificInfo: 'entitySpecificInfo' in s ? s.entitySpecificInfo : r.esi,
        }, op);
      } catch (err) {
        if (!(err instanceof RtmError)) throw err;
        if (!keepOnError) r.staged = null;
        return { ok: false, best: false };
      }
    }
    const before = this.snapDest(r.dest);
    if (v) this.applyFields(r, v);
    r.staged = null;
    extra?.();
    return { ok: true, best: this.finishChange(r.dest, before) };
  }

  getOpaqueInformationPointer(e: Ent, h: DestHandle): OpaqueSlot | undefined {
    const d = this.resolve<Dest>(h, 'dest', e, 'getOpaqueInformationPointer', 'dest');
    if (e.slot < 0) return undefined;
    let s = d.slots.get(e.slot);
    if (!s) { s = { value: null }; d.slots.set(e.slot, s); }
    return s;
  }

  getEntityMethods(e: Ent, h: EntityHandle): number[] {
    const x = this.resolve<Ent>(h, 'entity', e, 'getEntityMethods', 'entity');
    return x.methods.map((_, i) => (1 << i) >>> 0);
  }

  invokeMethod(e: Ent, o: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): MethodResult[] {
    const op = 'invokeMethod';
    const x = this.resolve<Ent>(o?.entity, 'entity', e, op, 'entity');
    if (!x.registered || x.deregistering) fail('ERROR_INVALID_HANDLE', op, 'callee deregistered');
    const methodType = u32(o.methodType, -1, op, 'methodType');
    if (methodType < 0) fail('ERROR_INVALID_PARAMETER', op, 'methodType');
    const cap = u32(o.outputCapacity, 1024, op, 'outputCapacity');
    const inputData = o.inputData ?? new Uint8Array(0);
    if (!(inputData instanceof Uint8Array)) fail('ERROR_INVALID_PARAMETER', op, 'inputData');
    if (x.blocked) fail('ERROR_BUSY', op, 'methods blocked');
    const out: MethodResult[] = [];
    const input = Object.freeze({ methodType, inputData });
    for (let i = 0; i < x.methods.length; i++) {
      if (!((methodType >>> i) & 1)) continue;
      const rec = { methodType: (1 << i) >>> 0, methodStatus: K.NO_ERROR as number, outputData: new Uint8Array(cap), outputSize: cap };
      x.methods[i](e.handle as EntityHandle, x.handle as EntityHandle, input, rec);
      const size = Math.max(0, Math.min(Number.isInteger(rec.outputSize) ? rec.outputSize : 0, rec.outputData.length));
      out.push(Object.freeze({ methodType: rec.methodType, methodStatus: rec.methodStatus, outputData: rec.outputData.subarray(0, size) }));
    }
    return out;
  }

  blockMethods(e: Ent, o: { blockingFlag: number; targetHandle?: unknown; targetType?: number }): void {
    const op = 'blockMethods';
    const kinds: Record<number, HandleKind> = { [K.DEST_TYPE]: 'dest', [K.ROUTE_TYPE]: 'route', [K.NEXTHOP_TYPE]: 'nextHop' };
    if (!isNull(o?.targetHandle)) {
      const kind = kinds[o.targetType ?? -1];
      const t = typeof o.targetHandle === 'number' ? this.objects.get(o.targetHandle) : undefined;
      if (t === undefined || t.table !== e.table || (kind !== undefined && t.kind !== kind)) fail('ERROR_INVALID_HANDLE', op, 'target');
    }
    if (o?.blockingFlag !== K.RTM_BLOCK_METHODS && o?.blockingFlag !== K.RTM_RESUME_METHODS) fail('ERROR_INVALID_PARAMETER', op, 'blockingFlag');
    const tt = o.targetType ?? 0;
    if (tt !== 0 && kinds[tt] === undefined) fail('ERROR_INVALID_PARAMETER', op, 'targetType');
    e.blocked = o.blockingFlag === K.RTM_BLOCK_METHODS;
  }

  getDestInfo(e: Ent, o: { dest: DestHandle } & DestQueryOptions): DestInfo {
    const op = 'getDestInfo';
    const d = this.resolve<Dest>(o?.dest, 'dest', e, op, 'dest');
    const protocolId = u32(o.protocolId, K.RTM_BEST_PROTOCOL, op, 'protocolId');
    const views = this.targetViews(o.views, op);
    return this.destInfo(e, d, protocolId, views);
  }

  getRouteInfo(e: Ent, h: RouteHandle): RouteInfo {
    return this.routeInfo(e, this.resolve<Route>(h, 'route', e, 'getRouteInfo', 'route'));
  }

  getNextHopInfo(e: Ent, h: NextHopHandle): NextHopInfo {
    return this.nextHopInfo(e, this.resolve<NH>(h, 'nextHop', e, 'getNextHopInfo', 'nextHop'));
  }

  releaseDestInfo(e: Ent, info: DestInfo): void {
    const op = 'releaseDestInfo';
    if (info === null || typeof info !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'info');
    if (this.isPendingRecord(info)) fail('ERROR_INVALID_HANDLE', op, 'changed-dest record: use releaseChangedDests');
    this.releaseMany(e, this.destInfoHandles(info), op);
  }

  releaseRouteInfo(e: Ent, info: RouteInfo): void {
    const op = 'releaseRouteInfo';
    if (info === null || typeof info !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'info');
    const items: [unknown, HandleKind][] = [[info.dest, 'dest'], [info.owner, 'entity']];
    if (!isNull(info.neighbour)) items.push([info.neighbour, 'nextHop']);
    for (const n of info.nextHops ?? []) items.push([n, 'nextHop']);
    this.releaseMany(e, items, op);
  }

  releaseNextHopInfo(e: Ent, info: NextHopInfo): void {
    const op = 'releaseNextHopInfo';
    if (info === null || typeof info !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'info');
    const items: [unknown, HandleKind][] = [[info.owner, 'entity']];
    if (!isNull(info.remoteNextHop)) items.push([info.remoteNextHop, 'dest']);
    this.releaseMany(e, items, op);
  }

  /** Validates the owner-writable route fields (§8.5.1 step 1, D-55): unresolvable handles first, then values. */
  private validateFields(e: Ent, o: Record<string, unknown>, op: string): Fields {
    const nhIn = o.nextHops ?? [];
    if (!Array.isArray(nhIn)) fail('ERROR_INVALID_PARAMETER', op, 'nextHops');
    const neighbour = isNull(o.neighbour) ? null : this.resolve<NH>(o.neighbour, 'nextHop', e, op, 'neighbour');
    const nextHops = (nhIn as unknown[]).map((h) => this.resolve<NH>(h, 'nextHop', e, op, 'next hop'));
    if (nextHops.length > this.maxNextHopsInRoute) fail('ERROR_INVALID_PARAMETER', op, 'too many next hops');
    for (const n of neighbour ? [neighbour, ...nextHops] : nextHops) {
      if (n.owner !== e || n.state !== K.RTM_NEXTHOP_STATE_CREATED) fail('ERROR_INVALID_PARAMETER', op, 'foreign or deleted next hop');
    }
    const metric = u32(o.metric, 0, op, 'metric');
    let preference = u32(o.preference, 0, op, 'preference');
    if (preference === 0 && this.defaultPreferences[e.protocolId] !== undefined) {
      preference = u32(this.defaultPreferences[e.protocolId], 0, op, 'default preference');
    }
    const views = (u32(o.views, K.RTM_VIEW_MASK_UCAST, op, 'views') & this.viewsSupported) >>> 0;
    const flags = u32(o.flags, 0, op, 'flags', ROUTE_FLAGS_MASK);
    const flags1 = u32(o.flags1, 0, op, 'flags1', 0xff);
    return { neighbour, nextHops, metric, preference, views, flags, flags1, esi: o.entitySpecificInfo ?? null };
  }

  private applyFields(r: Route, v: Fields): void {
    r.neighbour = v.neighbour; r.nextHops = v.nextHops; r.metric = v.metric; r.pref = v.preference;
    r.views = v.views; r.flags = v.flags; r.flags1 = v.flags1; r.esi = v.esi;
  }

  addRouteToDest(e: Ent, o: AddRouteOptions): AddRouteResult {
    const op = 'addRouteToDest';
    if (o === null || typeof o !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'options');
    // (2) handles
    const given = isNull(o.route) ? null : this.resolve<Route>(o.route, 'route', e, op, 'route');
    if (given && given.state !== K.RTM_ROUTE_STATE_CREATED) fail('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
    if (!isNull(o.neighbour)) this.resolve<NH>(o.neighbour, 'nextHop', e, op, 'neighbour');
    if (Array.isArray(o.nextHops)) for (const h of o.nextHops) this.resolve<NH>(h, 'nextHop', e, op, 'next hop');
    const list = isNull(o.routeList) ? null : this.resolveList(o.routeList, e, op);
    // (3) arguments
    const key = this.key(o.dest, e, op, 'dest');
    const f = this.validateFields(e, o as unknown as Record<string, unknown>, op);
    const ttl = u32(o.timeToLive, K.INFINITE, op, 'timeToLive');
    const inFlags = u32(o.changeFlags, 0, op, 'changeFlags');
    // (4) ownership, then the prefix of a route given by handle (§8.5.1 step 2)
    if (given && given.owner !== e) fail('ERROR_ACCESS_DENIED', op, 'route of another entity');
    if (given && !keyEquals(given.dest.key, key)) fail('ERROR_INVALID_PARAMETER', op, 'dest differs from the route\'s');
    // (6) a destination locked by another entity
    let d = given ? given.dest : this.findDest(e.table, key);
    if (d && d.lock.heldByOther(e)) fail('ERROR_BUSY', op, 'destination locked');
    // — no failure past this point —
    d ??= this.newDest(e.table, key);
    let r: Route | null = given;
    if (!r) {
      const mine = d.routes.filter((x) => x.owner === e);      // d.routes is in B6 order
      if (inFlags & K.RTM_ROUTE_CHANGE_NEW) r = null;
      else if (inFlags & K.RTM_ROUTE_CHANGE_FIRST) r = mine[0] ?? null;
      else r = mine.find((x) => x.neighbour === f.neighbour) ?? null;
    }
    const before = this.snapDest(d);
    let created = false;
    if (!r) {
      r = {
        kind: 'route', handle: this.nextHandle++, table: e.table, refs: new Map(), seq: this.nextSeq++, dest: d, owner: e,
        state: K.RTM_ROUTE_STATE_CREATED, neighbour: null, flags1: 0, flags: 0, pref: 0, metric: 0, views: 0, esi: null,
        nextHops: [], expiresAt: undefined, list: null, staged: null, view: undefined,
      };
      this.objects.set(r.handle, r);
      d.routes.push(r);
      created = true;
    }
    this.applyFields(r, f);
    r.expiresAt = ttl === K.INFINITE ? undefined : this.clock.now() + ttl;
    if (list) this.moveToList(r, list);
    const best = this.finishChange(d, before);
    let handle: RouteHandle | undefined;
    if (given) handle = given.handle as RouteHandle;
    else if (o.returnHandle !== false) { addRef(r, e); handle = r.handle as RouteHandle; }
    return { handle, changeFlags: (created ? K.RTM_ROUTE_CHANGE_NEW : 0) | (best ? K.RTM_ROUTE_CHANGE_BEST : 0) };
  }

  private resolveList(h: unknown, e: Ent, op: string): List {
    const l = this.resolve<List>(h, 'routeList', e, op, 'route list');
    if (l.owner !== e) fail('ERROR_INVALID_HANDLE', op, 'route list of another entity');
    return l;
  }

  deleteRouteToDest(e: Ent, h: RouteHandle): number {
    const op = 'deleteRouteToDest';
    const r = this.resolve<Route>(h, 'route', e, op, 'route');
    if (r.owner !== e) fail('ERROR_ACCESS_DENIED', op);
    if (r.state !== K.RTM_ROUTE_STATE_CREATED) fail('ERROR_NOT_FOUND', op, 'route already deleted or held');
    if (r.dest.lock.heldByOther(e)) fail('ERROR_BUSY', op, 'destination locked');
    const best = this.deleteRouteInternal(r);
    dropRef(r, e);                                             // consumes the caller's reference, if it has one
    return best ? K.RTM_ROUTE_CHANGE_BEST : 0;
  }

  holdDestination(e: Ent, o: { dest: DestHandle; views?: number; holdTime: number }): void {
    const op = 'holdDestination';
    const d = this.resolve<Dest>(o?.dest, 'dest', e, op, 'dest');
    const views = this.targetViews(o.views, op);
    const holdTime = u32(o.holdTime, 0, op, 'holdTime');
    if (holdTime === 0) fail('ERROR_INVALID_PARAMETER', op, 'holdTime 0');
    if (d.lock.heldByOther(e)) fail('ERROR_BUSY', op, 'destination locked');
    if (views === 0) return;
    d.holdViews = (d.holdViews | views) >>> 0;
    d.holdTime = Math.max(d.holdTime, Math.min(holdTime, HOLD_CAP_MS));
  }

  getRoutePointer(e: Ent, h: RouteHandle): RouteOwnerView {
    const r = this.resolve<Route>(h, 'route', e, 'getRoutePointer', 'route');
    if (r.owner !== e) fail('ERROR_ACCESS_DENIED', 'getRoutePointer');
    return this.routeView(r);
  }

  lockRoute(e: Ent, o: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined {
    const op = 'lockRoute';
    const r = this.resolve<Route>(o?.route, 'route', e, op, 'route');
    const lock = o.lock ?? true;
    const exclusive = !!o.exclusive;
    if (lock && r.state !== K.RTM_ROUTE_STATE_CREATED) fail('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
    if (exclusive && r.owner !== e) fail('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
    if (lock) {
      this.acquire(r.dest.lock, e, exclusive, op);
      return r.owner === e ? this.routeView(r) : undefined;
    }
    this.releaseDestLock(r.dest, e, exclusive, op, r);
    return undefined;
  }

  updateAndUnlockRoute(e: Ent, o: { route: RouteHandle; timeToLive?: number; routeList?: unknown }): number {
    const op = 'updateAndUnlockRoute';
    const r = this.resolve<Route>(o?.route, 'route', e, op, 'route');
    if (r.state !== K.RTM_ROUTE_STATE_CREATED) fail('ERROR_INVALID_HANDLE', op, 'route is deleted or held');
    const list = isNull(o.routeList) ? null : this.resolveList(o.routeList, e, op);
    const ttl = u32(o.timeToLive, K.INFINITE, op, 'timeToLive');
    if (r.owner !== e) fail('ERROR_ACCESS_DENIED', op);
    if (r.dest.lock.excl !== e) fail('ERROR_NOT_LOCKED', op);
    const { ok, best } = this.commitStaged(r, op, true, () => {
      r.expiresAt = ttl === K.INFINITE ? undefined : this.clock.now() + ttl;
      if (list) this.moveToList(r, list);
    });
    if (!ok) fail('ERROR_INVALID_PARAMETER', op, 'staged route edits');   // edits stay staged, the route stays locked
    this.releaseDestLock(r.dest, e, true, op, r);
    return best ? K.RTM_ROUTE_CHANGE_BEST : 0;
  }

  getExactMatchDestination(e: Ent, o: { dest: unknown } & DestQueryOptions): DestInfo | undefined {
    const op = 'getExactMatchDestination';
    const key = this.key(o?.dest, e, op, 'dest');
    const protocolId = u32(o.protocolId, K.RTM_BEST_PROTOCOL, op, 'protocolId');
    const views = this.targetViews(o.views, op);
    const d = this.findDest(e.table, key);
    if (!d || (views !== 0 && (this.destViews(d) & views) === 0)) return undefined;
    return this.destInfo(e, d, protocolId, views);
  }

  /** D-25: most/less-specific candidates are populated; with views ≠ 0 they must belong to one of them. */
  private qualifies(d: Dest, views: number): boolean {
    return views === 0 ? this.isPopulated(d) : (this.destViews(d) & views) !== 0;
  }

  getMostSpecificDestination(e: Ent, o: { dest: unknown } & DestQueryOptions): DestInfo | undefined {
    const op = 'getMostSpecificDestination';
    const key = this.key(o?.dest, e, op, 'dest');
    const protocolId = u32(o.protocolId, K.RTM_BEST_PROTOCOL, op, 'protocolId');
    const views = this.targetViews(o.views, op);
    let found: Dest | undefined;
    for (const d of e.table.dests) {
      if (covers(d.key, key) && this.qualifies(d, views) && (!found || d.key.len > found.key.len)) found = d;
    }
    return found ? this.destInfo(e, found, protocolId, views) : undefined;
  }

  getLessSpecificDestination(e: Ent, o: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined {
    const op = 'getLessSpecificDestination';
    const start = this.resolve<Dest>(o?.dest, 'dest', e, op, 'dest');
    const protocolId = u32(o.protocolId, K.RTM_BEST_PROTOCOL, op, 'protocolId');
    const views = this.targetViews(o.views, op);
    let found: Dest | undefined;
    for (const d of e.table.dests) {
      if (d.key.len < start.key.len && covers(d.key, start.key) && this.qualifies(d, views) && (!found || d.key.len > found.key.len)) found = d;
    }
    return found ? this.destInfo(e, found, protocolId, views) : undefined;
  }

  private checkCriteria(matchFlags: number, criteria: RouteCriteria | undefined, op: string): void {
    if ((matchFlags & MATCH_NEEDS_CRITERIA) !== 0 && (criteria === undefined || criteria === null || typeof criteria !== 'object')) {
      fail('ERROR_INVALID_PARAMETER', op, 'criteria required by matchFlags');
    }
  }

  /** §8.8.4 matching (D-14, D-15). */
  private matches(r: Route, mf: number, c: RouteCriteria | undefined, ifIndex: number): boolean {
    const h = (x: unknown): number => (isNull(x) ? 0 : x as number);
    if ((mf & K.RTM_MATCH_OWNER) && r.owner.handle !== h(c!.owner)) return false;
    if ((mf & K.RTM_MATCH_NEIGHBOUR) && (r.neighbour?.handle ?? 0) !== h(c!.neighbour)) return false;
    if ((mf & K.RTM_MATCH_PREF) && (r.pref !== (c!.preference ?? 0) || r.metric !== (c!.metric ?? 0))) return false;
    if ((mf & K.RTM_MATCH_NEXTHOP) && !(c!.nextHops ?? []).every((n) => r.nextHops.some((x) => x.handle === n))) return false;
    if ((mf & K.RTM_MATCH_INTERFACE) && !r.nextHops.some((n) => n.interfaceIndex === ifIndex)) return false;
    return true;
  }

  getExactMatchRoute(e: Ent, o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined {
    const op = 'getExactMatchRoute';
    const key = this.key(o?.dest, e, op, 'dest');
    const mf = u32(o.matchFlags, K.RTM_MATCH_NONE, op, 'matchFlags');
    this.checkCriteria(mf, o.criteria, op);
    const ifIndex = u32(o.interfaceIndex, 0, op, 'interfaceIndex');
    const views = this.targetViews(o.views, op);
    const d = this.findDest(e.table, key);
    if (!d) return undefined;
    const r = d.routes.find((x) => (views === 0 || (x.views & views) !== 0) && this.matches(x, mf, o.criteria, ifIndex));
    if (!r) return undefined;
    const info = this.routeInfo(e, r);
    let handle: RouteHandle | undefined;
    if (o.returnHandle !== false) { addRef(r, e); handle = r.handle as RouteHandle; }
    return { handle, info };
  }

  isBestRoute(e: Ent, h: RouteHandle): number {
    const r = this.resolve<Route>(h, 'route', e, 'isBestRoute', 'route');
    let mask = 0;
    for (const v of this.viewIds) if (r.dest.best[v] === r) mask |= 1 << v;
    return mask >>> 0;
  }

  addNextHop(e: Ent, o: AddNextHopOptions): AddNextHopResult {
    const op = 'addNextHop';
    if (o === null || typeof o !== 'object') fail('ERROR_INVALID_PARAMETER', op, 'options');
    const given = isNull(o.nextHop) ? null : this.resolve<NH>(o.nextHop, 'nextHop', e, op, 'nextHop');
    if (given && given.state !== K.RTM_NEXTHOP_STATE_CREATED) fail('ERROR_INVALID_HANDLE', op, 'next hop deleted');
    const remote = isNull(o.remoteNextHop) ? null : this.resolve<Dest>(o.remoteNextHop, 'dest', e, op, 'remoteNextHop');
    const key = this.key(o.address, e, op, 'address');
    const ifIndex = u32(o.interfaceIndex, 0, op, 'interfaceIndex');
    const flags = u32(o.flags, 0, op, 'flags', 0xffff);
    if (given && (!keyEquals(given.key, key) || given.interfaceIndex !== ifIndex)) fail('ERROR_INVALID_PARAMETER', op, 'identity differs');
    if (given && given.owner !== e) fail('ERROR_ACCESS_DENIED', op);
    const target = given ?? e.nextHops.find((n) => n.state === K.RTM_NEXTHOP_STATE_CREATED && keyEquals(n.key, key) && n.interfaceIndex === ifIndex);
    if (target && target.lock.heldByOther(e)) fail('ERROR_BUSY', op, 'next hop locked');
    let n = target;
    if (n) {
      n.flags = flags; n.esi = o.entitySpecificInfo ?? null; n.remote = remote;
    } else {
      n = {
        kind: 'nextHop', handle: this.nextHandle++, table: e.table, refs: new Map(), owner: e, key, address: formatAddress(key),
        interfaceIndex: ifIndex, state: K.RTM_NEXTHOP_STATE_CREATED, flags, esi: o.entitySpecificInfo ?? null, remote,
        lock: new Lock(), staged: null, view: undefined,
      };
      e.nextHops.push(n);
      this.objects.set(n.handle, n);
    }
    let handle: NextHopHandle | undefined;
    if (given) handle = given.handle as NextHopHandle;
    else if (o.returnHandle !== false) { addRef(n, e); handle = n.handle as NextHopHandle; }
    return { handle, changeFlags: target ? 0 : K.RTM_NEXTHOP_CHANGE_NEW };
  }

  findNextHop(e: Ent, o: NextHopIdentity): FindNextHopResult | undefined {
    const op = 'findNextHop';
    const key = this.key(o?.address, e, op, 'address');
    const ifIndex = u32(o.interfaceIndex, 0, op, 'interfaceIndex');
    const n = e.nextHops.find((x) => x.state === K.RTM_NEXTHOP_STATE_CREATED && keyEquals(x.key, key) && x.interfaceIndex === ifIndex);
    if (!n) return undefined;
    addRef(n, e);
    return { handle: n.handle as NextHopHandle, pointer: this.nextHopView(n) };
  }

  deleteNextHop(e: Ent, target: NextHopHandle | NextHopIdentity): void {
    const op = 'deleteNextHop';
    let n: NH | undefined;
    let byHandle = false;
    if (typeof target === 'number' && target !== 0) {
      n = this.resolve<NH>(target, 'nextHop', e, op, 'nextHop');
      byHandle = true;
    } else if (target !== null && typeof target === 'object') {
      const key = this.key(target.address, e, op, 'address');
      const ifIndex = u32(target.interfaceIndex, 0, op, 'interfaceIndex');
      n = e.nextHops.find((x) => x.state === K.RTM_NEXTHOP_STATE_CREATED && keyEquals(x.key, key) && x.interfaceIndex === ifIndex);
      if (!n) fail('ERROR_NOT_FOUND', op);
    } else fail('ERROR_INVALID_PARAMETER', op, 'neither handle nor identity');
    if (n.owner !== e) fail('ERROR_ACCESS_DENIED', op);
    if (n.state !== K.RTM_NEXTHOP_STATE_CREATED) fail('ERROR_NOT_FOUND', op, 'next hop already deleted');
    if (n.lock.heldByOther(e)) fail('ERROR_BUSY', op, 'next hop locked');
    n.state = K.RTM_NEXTHOP_STATE_DELETED;
    n.staged = null;
    if (byHandle) dropRef(n, e);
  }

  getNextHopPointer(e: Ent, h: NextHopHandle): NextHopOwnerView {
    const n = this.resolve<NH>(h, 'nextHop', e, 'getNextHopPointer', 'nextHop');
    if (n.owner !== e) fail('ERROR_ACCESS_DENIED', 'getNextHopPointer');
    return this.nextHopView(n);
  }

  lockNextHop(e: Ent, o: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined {
    const op = 'lockNextHop';
    const n = this.resolve<NH>(o?.nextHop, 'nextHop', e, op, 'nextHop');
    const lock = o.lock ?? true;
    const exclusive = !!o.exclusive;
    if (exclusive && n.owner !== e) fail('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
    if (lock && n.state !== K.RTM_NEXTHOP_STATE_CREATED) fail('ERROR_NOT_FOUND', op, 'next hop deleted');
    if (lock) {
      this.acquire(n.lock, e, exclusive, op);
      return n.owner === e ? this.nextHopView(n) : undefined;
    }
    this.release(n.lock, e, exclusive, op);
    if (!exclusive || n.staged === null || n.owner !== e) return undefined;
    const s = n.staged;
    n.staged = null;
    const addr = 'address' in s ? s.address : n.address;
    const ifIndex = 'interfaceIndex' in s ? s.interfaceIndex : n.interfaceIndex;
    const addrKey = typeof addr === 'string' ? parseKey(addr, e.table.family) : undefined;
    if (addrKey === undefined || !keyEquals(addrKey, n.key) || ifIndex !== n.interfaceIndex) {
      fail('ERROR_INVALID_PARAMETER', op, 'next-hop identity edited (reverted)');
    }
    const flags = 'flags' in s ? s.flags : n.flags;
    const remoteH = 'remoteNextHop' in s ? s.remoteNextHop : n.remote?.handle;
    const remote = isNull(remoteH) ? null : this.lookup(remoteH, 'dest', e) as Dest | undefined;
    if (!isU32(flags) || flags > 0xffff || remote === undefined) fail('ERROR_INVALID_PARAMETER', op, 'next-hop edits (reverted)');
    n.flags = flags;
    n.remote = remote;
    if ('entitySpecificInfo' in s) n.esi = s.entitySpecificInfo;
    return undefined;
  }

  // ── Enumerations ──────────────────────────────────────────────────────────────────────────────────

  private enumFlags(v: unknown, ownBit: number, op: string): { range: number; own: boolean } {
    const flags = u32(v, 0, op, 'enumFlags');
    if ((flags & ~(K.RTM_ENUM_NEXT | K.RTM_ENUM_RANGE | ownBit)) !== 0) fail('ERROR_INVALID_PARAMETER', op, 'unknown enumFlags');
    const range = flags & (K.RTM_ENUM_NEXT | K.RTM_ENUM_RANGE);
    if (range === (K.RTM_ENUM_NEXT | K.RTM_ENUM_RANGE)) fail('ERROR_INVALID_PARAMETER', op, 'several range flags');
    return { range, own: ownBit !== 0 && (flags & ownBit) !== 0 };
  }

  private inRange(range: number, start: Key | undefined, k: Key): boolean {
    if (range === K.RTM_ENUM_NEXT) return compareKeys(k, start!) >= 0;
    if (range === K.RTM_ENUM_RANGE) return covers(start!, k);
    return true;
  }

  private newEnum<T extends Enum>(e: Ent, fields: Omit<T, 'kind' | 'handle' | 'table' | 'refs' | 'owner'>): EnumHandle {
    const en = { kind: 'enum', handle: this.nextHandle++, table: e.table, refs: new Map(), owner: e, ...fields } as unknown as T;
    e.enums.push(en);
    this.objects.set(en.handle, en);
    return en.handle as EnumHandle;
  }

  private resolveEnum<S extends Enum['sub']>(h: unknown, sub: S | undefined, e: Ent, op: string): Extract<Enum, { sub: S }> {
    const en = this.resolve<Enum>(h, 'enum', e, op, 'enum');
    if (en.owner !== e || (sub !== undefined && en.sub !== sub)) fail('ERROR_INVALID_HANDLE', op, 'enumeration of another kind or entity');
    return en as Extract<Enum, { sub: S }>;
  }

  private destroyEnum(en: Enum): void {
    en.owner.enums.splice(en.owner.enums.indexOf(en), 1);
    this.objects.delete(en.handle);
  }

  createDestEnum(e: Ent, o: DestEnumOptions = {}): EnumHandle {
    const op = 'createDestEnum';
    const views = this.targetViews(o.views, op);
    const { range, own } = this.enumFlags(o.enumFlags, K.RTM_ENUM_OWN_DESTS, op);
    const start = range === K.RTM_ENUM_START ? undefined : this.key(o.startDest, e, op, 'startDest');
    const protocolId = u32(o.protocolId, K.RTM_BEST_PROTOCOL, op, 'protocolId');
    return this.newEnum<DestEnum>(e, { sub: 'dest', views, own, range, start, protocolId, last: undefined });
  }

  private destQualifies(en: DestEnum, d: Dest): boolean {
    if (!this.isPopulated(d) || !this.inRange(en.range, en.start, d.key)) return false;
    if (en.views !== 0 && (this.destViews(d) & en.views) === 0) return false;
    if (en.own) {
      const views = en.views === 0 ? this.viewsSupported : en.views;
      if (!this.viewIds.some((v) => ((views >>> v) & 1) && d.best[v]?.owner === en.owner)) return false;
    }
    return true;
  }

  getEnumDests(e: Ent, o: EnumGetOptions): EnumBatch<DestInfo> {
    const op = 'getEnumDests';
    const en = this.resolveEnum(o?.enumHandle, 'dest', e, op);
    const count = this.count(o.count, op);
    const rest = e.table.dests.filter((d) => this.destQualifies(en, d) && (en.last === undefined || compareKeys(d.key, en.last) > 0))
      .sort((a, b) => compareKeys(a.key, b.key));
    const items = rest.slice(0, count);
    if (items.length > 0) en.last = items[items.length - 1].key;
    return { items: items.map((d) => this.destInfo(e, d, en.protocolId, en.views)), done: rest.length <= count };
  }

  releaseDests(e: Ent, infos: readonly DestInfo[]): void {
    const op = 'releaseDests';
    const items: [unknown, HandleKind][] = [];
    let pendingRecords = 0;
    for (const info of this.arr(infos, op)) {
      if (info !== null && typeof info === 'object' && this.isPendingRecord(info)) { pendingRecords++; continue; }
      items.push(...this.destInfoHandles(info));
    }
    try {
      this.releaseMany(e, items, op);
    } finally {
      if (pendingRecords > 0) fail('ERROR_INVALID_HANDLE', op, 'changed-dest records: use releaseChangedDests');
    }
  }

  createRouteEnum(e: Ent, o: RouteEnumOptions = {}): EnumHandle {
    const op = 'createRouteEnum';
    const dest = isNull(o.dest) ? null : this.resolve<Dest>(o.dest, 'dest', e, op, 'dest');
    const views = this.targetViews(o.views, op);
    const { range, own } = this.enumFlags(o.enumFlags, K.RTM_ENUM_OWN_ROUTES, op);
    const start = dest || range === K.RTM_ENUM_START ? undefined : this.key(o.startDest, e, op, 'startDest');
    const matchFlags = u32(o.matchFlags, K.RTM_MATCH_NONE, op, 'matchFlags');
    this.checkCriteria(matchFlags, o.criteria, op);
    const interfaceIndex = u32(o.interfaceIndex, 0, op, 'interfaceIndex');
    const criteria = o.criteria ? { ...o.criteria, nextHops: o.criteria.nextHops ? [...o.criteria.nextHops] : undefined } : undefined;
    return this.newEnum<RouteEnum>(e, {
      sub: 'route', dest, views, own, range: dest ? K.RTM_ENUM_START : range, start, matchFlags, criteria, interfaceIndex,
      last: undefined, returned: new Set(),
    });
  }

  /** Routes of a destination a route enumeration sees: live routes in the views, or with ANY also held routes, in B6 order. */
  private enumRoutesOf(d: Dest, views: number): Route[] {
    if (views !== 0) return d.routes.filter((r) => (r.views & views) !== 0);
    const held = [...new Set(d.held.values())];
    return [...d.routes, ...held].sort(routeOrder);
  }

  getEnumRoutes(e: Ent, o: EnumGetOptions): EnumBatch<RouteHandle> {
    const op = 'getEnumRoutes';
    const en = this.resolveEnum(o?.enumHandle, 'route', e, op);
    const count = this.count(o.count, op);
    const dests = en.dest ? (en.dest.removed ? [] : [en.dest])
      : e.table.dests.filter((d) => this.inRange(en.range, en.start, d.key)).sort((a, b) => compareKeys(a.key, b.key));
    const after = (d: Dest, r: Route): boolean => {
      if (en.last === undefined) return true;
      const c = compareKeys(d.key, en.last.key);
      if (c !== 0) return c > 0;
      return routeOrder(r, { pref: en.last.pref, metric: en.last.metric, seq: en.last.seq } as Route) > 0;
    };
    const rest: Route[] = [];
    for (const d of dests) {
      for (const r of this.enumRoutesOf(d, en.views)) {
        if (en.own && r.owner !== e) continue;
        if (!this.matches(r, en.matchFlags, en.criteria, en.interfaceIndex)) continue;
        if (en.returned.has(r) || !after(d, r)) continue;
        rest.push(r);
      }
    }
    const items = rest.slice(0, count);
    for (const r of items) { en.returned.add(r); addRef(r, e); }
    if (items.length > 0) {
      const l = items[items.length - 1];
      en.last = { key: l.dest.key, pref: l.pref, metric: l.metric, seq: l.seq };
    }
    return { items: items.map((r) => r.handle as RouteHandle), done: rest.length <= count };
  }

  releaseRoutes(e: Ent, hs: readonly RouteHandle[]): void {
    this.releaseMany(e, this.arr(hs, 'releaseRoutes').map((h) => [h, 'route']), 'releaseRoutes');
  }

  createNextHopEnum(e: Ent, o: NextHopEnumOptions = {}): EnumHandle {
    const op = 'createNextHopEnum';
    const { range } = this.enumFlags(o.enumFlags, 0, op);
    const start = range === K.RTM_ENUM_START ? undefined : this.key(o.address, e, op, 'address');
    return this.newEnum<NHEnum>(e, { sub: 'nextHop', range, start, last: undefined });
  }

  getEnumNextHops(e: Ent, o: EnumGetOptions): EnumBatch<NextHopHandle> {
    const op = 'getEnumNextHops';
    const en = this.resolveEnum(o?.enumHandle, 'nextHop', e, op);
    const count = this.count(o.count, op);
    const order = (a: { key: Key; interfaceIndex: number }, b: { key: Key; interfaceIndex: number }): number =>
      compareKeys(a.key, b.key) || a.interfaceIndex - b.interfaceIndex;
    const rest = e.nextHops.filter((n) => n.state === K.RTM_NEXTHOP_STATE_CREATED && this.inRange(en.range, en.start, n.key)
      && (en.last === undefined || order(n, en.last) > 0)).sort(order);
    const items = rest.slice(0, count);
    for (const n of items) addRef(n, e);
    if (items.length > 0) en.last = { key: items[items.length - 1].key, interfaceIndex: items[items.length - 1].interfaceIndex };
    return { items: items.map((n) => n.handle as NextHopHandle), done: rest.length <= count };
  }

  releaseNextHops(e: Ent, hs: readonly NextHopHandle[]): void {
    this.releaseMany(e, this.arr(hs, 'releaseNextHops').map((h) => [h, 'nextHop']), 'releaseNextHops');
  }

  deleteEnumHandle(e: Ent, h: EnumHandle): void {
    this.destroyEnum(this.resolveEnum(h, undefined, e, 'deleteEnumHandle'));
  }

  // ── Change notification ───────────────────────────────────────────────────────────────────────────

  registerForChangeNotification(e: Ent, o: NotifyOptions): NotifyHandle {
    const op = 'registerForChangeNotification';
    if (this.inCallback === K.RTM_CHANGE_NOTIFICATION) fail('ERROR_BUSY', op);
    const flags = u32(o?.notifyFlags, 0, op, 'notifyFlags');
    if ((flags & CHANGE_TYPES) === 0 || (flags & ~(CHANGE_TYPES | K.RTM_NOTIFY_ONLY_MARKED_DESTS)) !== 0) {
      fail('ERROR_INVALID_PARAMETER', op, 'notifyFlags');
    }
    const views = this.targetViews(o.views, op);
    if (e.table.notifies.length >= this.maxNotifyRegistrations) fail('ERROR_NO_SYSTEM_RESOURCES', op);
    const n: Notify = {
      kind: 'notify', handle: this.nextHandle++, table: e.table, refs: new Map(), owner: e, views, flags, context: o.context,
      marked: new Set(), queue: [], records: [], callbackScheduled: false, dead: false,
    };
    e.table.notifies.push(n);
    this.objects.set(n.handle, n);
    return n.handle as NotifyHandle;
  }

  private resolveNotify(h: unknown, e: Ent, op: string): Notify {
    const n = this.resolve<Notify>(h, 'notify', e, op, 'notify');
    if (n.owner !== e) fail('ERROR_INVALID_HANDLE', op, 'registration of another entity');
    return n;
  }

  private destroyNotify(n: Notify): void {
    for (const rec of n.records) {
      for (const [h, kind] of this.destInfoHandles(rec)) {
        const o = this.lookup(h, kind, n.owner);
        if (o) dropRef(o, n.owner);
      }
      this.changedRecords.delete(rec);
    }
    n.records.length = 0;
    n.queue.length = 0;
    n.marked.clear();
    n.dead = true;
    n.table.notifies.splice(n.table.notifies.indexOf(n), 1);
    this.objects.delete(n.handle);
  }

  getChangedDests(e: Ent, o: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> {
    const op = 'getChangedDests';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    const count = this.count(o.count, op);
    const items = n.queue.splice(0, count).map((d) => {
      const info = this.destInfo(e, d, K.RTM_BEST_PROTOCOL, n.views);
      n.records.push(info);
      this.changedRecords.set(info, n);
      return info;
    });
    return { items, done: n.queue.length === 0 };
  }

  releaseChangedDests(e: Ent, o: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void {
    const op = 'releaseChangedDests';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    let bad = 0;
    for (const info of this.arr(o.dests, op)) {
      let i = n.records.indexOf(info);
      if (i < 0) i = n.records.findIndex((rec) => rec.handle === info?.handle);
      if (i < 0) { bad++; continue; }
      const rec = n.records.splice(i, 1)[0];
      this.changedRecords.delete(rec);
      for (const [h, kind] of this.destInfoHandles(rec)) {
        const x = this.lookup(h, kind, e);
        if (x === undefined || !dropRef(x, e)) bad++;
      }
    }
    if (bad > 0) fail('ERROR_INVALID_HANDLE', op, `${bad} invalid record(s)`);
  }

  ignoreChangedDests(e: Ent, o: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void {
    const op = 'ignoreChangedDests';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    const ds = this.arr(o.dests, op).map((h) => this.resolve<Dest>(h, 'dest', e, op, 'dest'));
    for (const d of ds) { const i = n.queue.indexOf(d); if (i >= 0) n.queue.splice(i, 1); }
  }

  getChangeStatus(e: Ent, o: NotifyDestOptions): boolean {
    const op = 'getChangeStatus';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    return n.queue.includes(this.resolve<Dest>(o.dest, 'dest', e, op, 'dest'));
  }

  markDestForChangeNotification(e: Ent, o: NotifyDestOptions & { mark?: boolean }): void {
    const op = 'markDestForChangeNotification';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    const d = this.resolve<Dest>(o.dest, 'dest', e, op, 'dest');
    if (o.mark ?? true) n.marked.add(d); else n.marked.delete(d);
  }

  isMarkedForChangeNotification(e: Ent, o: NotifyDestOptions): boolean {
    const op = 'isMarkedForChangeNotification';
    const n = this.resolveNotify(o?.notifyHandle, e, op);
    return n.marked.has(this.resolve<Dest>(o.dest, 'dest', e, op, 'dest'));
  }

  deregisterFromChangeNotification(e: Ent, h: NotifyHandle): void {
    this.destroyNotify(this.resolveNotify(h, e, 'deregisterFromChangeNotification'));
  }

  // ── Route lists ───────────────────────────────────────────────────────────────────────────────────

  createRouteList(e: Ent): RouteListHandle {
    const l: List = { kind: 'routeList', handle: this.nextHandle++, table: e.table, refs: new Map(), owner: e, routes: [], dead: false };
    e.lists.push(l);
    this.objects.set(l.handle, l);
    return l.handle as RouteListHandle;
  }

  insertInRouteList(e: Ent, o: { routeList: unknown; routes: readonly RouteHandle[] }): void {
    const op = 'insertInRouteList';
    const list = isNull(o?.routeList) ? null : this.resolveList(o.routeList, e, op);
    const routes = this.arr(o.routes, op).map((h) => this.resolve<Route>(h, 'route', e, op, 'route'));
    if (routes.some((r) => r.state !== K.RTM_ROUTE_STATE_CREATED)) fail('ERROR_INVALID_HANDLE', op, 'route deleted or held');
    if (routes.some((r) => r.owner !== e)) fail('ERROR_ACCESS_DENIED', op, 'route of another entity');
    for (const r of routes) { if (list) this.moveToList(r, list); else this.removeFromList(r); }
  }

  createRouteListEnum(e: Ent, h: RouteListHandle): EnumHandle {
    const list = this.resolveList(h, e, 'createRouteListEnum');
    return this.newEnum<ListEnum>(e, { sub: 'list', list, returned: new Set() });
  }

  getListEnumRoutes(e: Ent, o: EnumGetOptions): EnumBatch<RouteHandle> {
    const op = 'getListEnumRoutes';
    const en = this.resolveEnum(o?.enumHandle, 'list', e, op);
    const count = this.count(o.count, op);
    const items = en.list.dead ? [] : en.list.routes.filter((r) => !en.returned.has(r)).slice(0, count);
    for (const r of items) { en.returned.add(r); addRef(r, e); }
    return { items: items.map((r) => r.handle as RouteHandle), done: items.length < count };
  }

  private destroyList(l: List): void {
    for (const r of l.routes) r.list = null;
    l.routes.length = 0;
    l.dead = true;
    l.owner.lists.splice(l.owner.lists.indexOf(l), 1);
    this.objects.delete(l.handle);
  }

  deleteRouteList(e: Ent, h: RouteListHandle): void {
    this.destroyList(this.resolveList(h, e, 'deleteRouteList'));
  }

  referenceHandles(e: Ent, hs: readonly ReferenceableHandle[]): void {
    const op = 'referenceHandles';
    const objs = this.arr(hs, op).map((h) => {
      const o = typeof h === 'number' ? this.objects.get(h) : undefined;
      if (o === undefined || o.table !== e.table || !(o.kind === 'dest' || o.kind === 'route' || o.kind === 'nextHop' || o.kind === 'entity')) {
        fail('ERROR_INVALID_HANDLE', op);
      }
      return o;
    });
    for (const o of objs) addRef(o, e);
  }

  private arr<T>(a: readonly T[] | undefined, op: string): readonly T[] {
    if (!Array.isArray(a)) fail('ERROR_INVALID_PARAMETER', op, 'array expected');
    return a;
  }

  // ── Debug accessors (not part of RtmLike) ─────────────────────────────────────────────────────────

  /** Kind of a live handle, or undefined. */
  debugKind(h: number): HandleKind | undefined {
    return this.objects.get(h)?.kind;
  }

  /** Client references on a handle, per holding entity handle. */
  debugRefs(h: number): Record<number, number> {
    const o = this.objects.get(h);
    const out: Record<number, number> = {};
    if (o) for (const [e, c] of o.refs) out[e.handle] = c;
    return out;
  }

  /** Number of live objects per kind (leak checks). */
  debugCounts(): Record<HandleKind, number> {
    const out: Record<HandleKind, number> = { entity: 0, dest: 0, route: 0, nextHop: 0, enum: 0, routeList: 0, notify: 0 };
    for (const o of this.objects.values()) out[o.kind]++;
    return out;
  }

  /** A plain, deterministic picture of the tables: best route per view per prefix, routes, queues. */
  snapshot(): ModelSnapshot {
    const tables = {} as Record<AddressFamilyName, ModelSnapshot['tables'][AddressFamilyName]>;
    for (const [fam, t] of this.tables) {
      const dests = [...t.dests].sort((a, b) => compareKeys(a.key, b.key)).map((d) => ({
        prefix: d.prefix, handle: d.handle, views: this.destViews(d), lastChanged: d.lastChanged,
        best: Object.fromEntries(this.viewIds.map((v) => [v, d.best[v]?.handle ?? 0])),
        held: Object.fromEntries([...d.held].map(([v, r]) => [v, r.handle])),
        routes: d.routes.map((r) => ({
          handle: r.handle, owner: r.owner.handle, neighbour: r.neighbour?.handle ?? 0, preference: r.pref, metric: r.metric,
          views: r.views, flags: r.flags, flags1: r.flags1, nextHops: r.nextHops.map((n) => n.handle),
          expiresAt: r.expiresAt ?? null, list: r.list?.handle ?? 0,
        })),
      }));
      tables[familyName(fam)] = {
        entities: t.entities.map((e) => ({ handle: e.handle, protocolId: e.protocolId, instanceId: e.instanceId })),
        destCount: t.dests.length,
        routeCount: t.dests.reduce((s, d) => s + d.routes.length, 0),
        dests,
        queues: t.notifies.map((n) => ({
          notifyHandle: n.handle, owner: n.owner.handle, views: n.views, flags: n.flags,
          queued: n.queue.map((d) => d.prefix), marked: [...n.marked].map((d) => d.prefix).sort(),
        })),
      };
    }
    return { now: this.clock.now(), tables };
  }

  /** Internal consistency; returns the list of violations (empty = fine). */
  checkInvariants(): string[] {
    const bad: string[] = [];
    for (const t of this.tables.values()) {
      for (const d of t.dests) {
        for (let i = 1; i < d.routes.length; i++) if (routeOrder(d.routes[i - 1], d.routes[i]) > 0) bad.push(`${d.prefix}: routes out of order`);
        for (const r of d.routes) if (r.state !== K.RTM_ROUTE_STATE_CREATED) bad.push(`${d.prefix}: dead route ${r.handle} in live list`);
        for (const v of this.viewIds) {
          const b = d.best[v];
          const cands = d.routes.filter((r) => (r.views >>> v) & 1);
          if (b ? !cands.includes(b) : cands.length > 0) bad.push(`${d.prefix}: best of view ${v} wrong`);
          if (b && cands.some((r) => r.pref < b.pref || (r.pref === b.pref && r.metric < b.metric))) bad.push(`${d.prefix}: best of view ${v} not minimal`);
        }
        for (const r of d.held.values()) if (r.state !== K.RTM_ROUTE_STATE_DELETING) bad.push(`${d.prefix}: held route not DELETING`);
        if ((d.held.size > 0) !== (d.holdEndsAt !== undefined)) bad.push(`${d.prefix}: hold timer mismatch`);
      }
    }
    return bad;
  }
}

// ── The entity facade ───────────────────────────────────────────────────────────────────────────────

class ModelEntity implements EntityLike {
  readonly handle: EntityHandle;
  readonly profile: RegnProfile;
  readonly info: EntityInfo;

  constructor(private readonly m: RtmModel, private readonly e: Ent) {
    this.handle = e.handle as EntityHandle;
    this.info = e.info;
    this.profile = Object.freeze({
      maxNextHopsInRoute: m.maxNextHopsInRoute, maxHandlesInEnum: m.maxHandlesInEnum,
      viewsSupported: m.viewsSupported, numberOfViews: m.viewIds.length,
    });
  }

  private call<T>(op: string, fn: (m: RtmModel, e: Ent) => T): T {
    return this.m.api(this.e, op, () => fn(this.m, this.e));
  }

  deregister(): void { this.call('deregister', (m, e) => m.deregister(e)); }
  getRegisteredEntities(): RegisteredEntity[] { return this.call('getRegisteredEntities', (m, e) => m.getRegisteredEntities(e)); }
  releaseEntities(entities: readonly EntityHandle[]): void { this.call('releaseEntities', (m, e) => m.releaseEntities(e, entities)); }
  getEntityInfo(entity: EntityHandle): EntityInfo { return this.call('getEntityInfo', (m, e) => m.getEntityInfo(e, entity)); }
  releaseEntityInfo(_info: EntityInfo): void { this.call('releaseEntityInfo', () => undefined); }
  lockDestination(o: { dest: DestHandle; exclusive?: boolean; lock?: boolean }): void { this.call('lockDestination', (m, e) => m.lockDestination(e, o)); }
  getOpaqueInformationPointer(dest: DestHandle): OpaqueSlot | undefined {
    return this.call('getOpaqueInformationPointer', (m, e) => m.getOpaqueInformationPointer(e, dest));
  }
  getEntityMethods(entity: EntityHandle): number[] { return this.call('getEntityMethods', (m, e) => m.getEntityMethods(e, entity)); }
  invokeMethod(o: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number }): MethodResult[] {
    return this.call('invokeMethod', (m, e) => m.invokeMethod(e, o));
  }
  blockMethods(o: { blockingFlag: number; targetHandle?: Handle | null | 0; targetType?: number }): void {
    this.call('blockMethods', (m, e) => m.blockMethods(e, o));
  }
  getDestInfo(o: { dest: DestHandle } & DestQueryOptions): DestInfo { return this.call('getDestInfo', (m, e) => m.getDestInfo(e, o)); }
  getRouteInfo(route: RouteHandle): RouteInfo { return this.call('getRouteInfo', (m, e) => m.getRouteInfo(e, route)); }
  getNextHopInfo(nextHop: NextHopHandle): NextHopInfo { return this.call('getNextHopInfo', (m, e) => m.getNextHopInfo(e, nextHop)); }
  releaseDestInfo(info: DestInfo): void { this.call('releaseDestInfo', (m, e) => m.releaseDestInfo(e, info)); }
  releaseRouteInfo(info: RouteInfo): void { this.call('releaseRouteInfo', (m, e) => m.releaseRouteInfo(e, info)); }
  releaseNextHopInfo(info: NextHopInfo): void { this.call('releaseNextHopInfo', (m, e) => m.releaseNextHopInfo(e, info)); }
  addRouteToDest(o: AddRouteOptions): AddRouteResult { return this.call('addRouteToDest', (m, e) => m.addRouteToDest(e, o)); }
  deleteRouteToDest(route: RouteHandle): number { return this.call('deleteRouteToDest', (m, e) => m.deleteRouteToDest(e, route)); }
  holdDestination(o: { dest: DestHandle; views?: number; holdTime: number }): void { this.call('holdDestination', (m, e) => m.holdDestination(e, o)); }
  getRoutePointer(route: RouteHandle): RouteOwnerView { return this.call('getRoutePointer', (m, e) => m.getRoutePointer(e, route)); }
  lockRoute(o: { route: RouteHandle; exclusive?: boolean; lock?: boolean }): RouteOwnerView | undefined {
    return this.call('lockRoute', (m, e) => m.lockRoute(e, o));
  }
  updateAndUnlockRoute(o: { route: RouteHandle; timeToLive?: number; routeList?: RouteListHandle | null | 0 }): number {
    return this.call('updateAndUnlockRoute', (m, e) => m.updateAndUnlockRoute(e, o));
  }
  getExactMatchDestination(o: { dest: string | NetAddressLike } & DestQueryOptions): DestInfo | undefined {
    return this.call('getExactMatchDestination', (m, e) => m.getExactMatchDestination(e, o));
  }
  getMostSpecificDestination(o: { dest: string | NetAddressLike } & DestQueryOptions): DestInfo | undefined {
    return this.call('getMostSpecificDestination', (m, e) => m.getMostSpecificDestination(e, o));
  }
  getLessSpecificDestination(o: { dest: DestHandle } & DestQueryOptions): DestInfo | undefined {
    return this.call('getLessSpecificDestination', (m, e) => m.getLessSpecificDestination(e, o));
  }
  getExactMatchRoute(o: ExactMatchRouteOptions): ExactMatchRouteResult | undefined {
    return this.call('getExactMatchRoute', (m, e) => m.getExactMatchRoute(e, o));
  }
  isBestRoute(route: RouteHandle): number { return this.call('isBestRoute', (m, e) => m.isBestRoute(e, route)); }
  addNextHop(o: AddNextHopOptions): AddNextHopResult { return this.call('addNextHop', (m, e) => m.addNextHop(e, o)); }
  findNextHop(o: NextHopIdentity): FindNextHopResult | undefined { return this.call('findNextHop', (m, e) => m.findNextHop(e, o)); }
  deleteNextHop(target: NextHopHandle | NextHopIdentity): void { this.call('deleteNextHop', (m, e) => m.deleteNextHop(e, target)); }
  getNextHopPointer(nextHop: NextHopHandle): NextHopOwnerView { return this.call('getNextHopPointer', (m, e) => m.getNextHopPointer(e, nextHop)); }
  lockNextHop(o: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined {
    return this.call('lockNextHop', (m, e) => m.lockNextHop(e, o));
  }
  createDestEnum(o?: DestEnumOptions): EnumHandle { return this.call('createDestEnum', (m, e) => m.createDestEnum(e, o)); }
  getEnumDests(o: EnumGetOptions): EnumBatch<DestInfo> { return this.call('getEnumDests', (m, e) => m.getEnumDests(e, o)); }
  releaseDests(infos: readonly DestInfo[]): void { this.call('releaseDests', (m, e) => m.releaseDests(e, infos)); }
  createRouteEnum(o?: RouteEnumOptions): EnumHandle { return this.call('createRouteEnum', (m, e) => m.createRouteEnum(e, o)); }
  getEnumRoutes(o: EnumGetOptions): EnumBatch<RouteHandle> { return this.call('getEnumRoutes', (m, e) => m.getEnumRoutes(e, o)); }
  releaseRoutes(routes: readonly RouteHandle[]): void { this.call('releaseRoutes', (m, e) => m.releaseRoutes(e, routes)); }
  createNextHopEnum(o?: NextHopEnumOptions): EnumHandle { return this.call('createNextHopEnum', (m, e) => m.createNextHopEnum(e, o)); }
  getEnumNextHops(o: EnumGetOptions): EnumBatch<NextHopHandle> { return this.call('getEnumNextHops', (m, e) => m.getEnumNextHops(e, o)); }
  releaseNextHops(nextHops: readonly NextHopHandle[]): void { this.call('releaseNextHops', (m, e) => m.releaseNextHops(e, nextHops)); }
  deleteEnumHandle(enumHandle: EnumHandle): void { this.call('deleteEnumHandle', (m, e) => m.deleteEnumHandle(e, enumHandle)); }
  registerForChangeNotification(o: NotifyOptions): NotifyHandle {
    return this.call('registerForChangeNotification', (m, e) => m.registerForChangeNotification(e, o));
  }
  getChangedDests(o: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> {
    return this.call('getChangedDests', (m, e) => m.getChangedDests(e, o));
  }
  releaseChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void {
    this.call('releaseChangedDests', (m, e) => m.releaseChangedDests(e, o));
  }
  ignoreChangedDests(o: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void {
    this.call('ignoreChangedDests', (m, e) => m.ignoreChangedDests(e, o));
  }
  getChangeStatus(o: NotifyDestOptions): boolean { return this.call('getChangeStatus', (m, e) => m.getChangeStatus(e, o)); }
  markDestForChangeNotification(o: NotifyDestOptions & { mark?: boolean }): void {
    this.call('markDestForChangeNotification', (m, e) => m.markDestForChangeNotification(e, o));
  }
  isMarkedForChangeNotification(o: NotifyDestOptions): boolean {
    return this.call('isMarkedForChangeNotification', (m, e) => m.isMarkedForChangeNotification(e, o));
  }
  deregisterFromChangeNotification(notifyHandle: NotifyHandle): void {
    this.call('deregisterFromChangeNotification', (m, e) => m.deregisterFromChangeNotification(e, notifyHandle));
  }
  createRouteList(): RouteListHandle { return this.call('createRouteList', (m, e) => m.createRouteList(e)); }
  insertInRouteList(o: { routeList: RouteListHandle | null | undefined | 0; routes: readonly RouteHandle[] }): void {
    this.call('insertInRouteList', (m, e) => m.insertInRouteList(e, o));
  }
  createRouteListEnum(routeList: RouteListHandle): EnumHandle { return this.call('createRouteListEnum', (m, e) => m.createRouteListEnum(e, routeList)); }
  getListEnumRoutes(o: EnumGetOptions): EnumBatch<RouteHandle> { return this.call('getListEnumRoutes', (m, e) => m.getListEnumRoutes(e, o)); }
  deleteRouteList(routeList: RouteListHandle): void { this.call('deleteRouteList', (m, e) => m.deleteRouteList(e, routeList)); }
  referenceHandles(handles: readonly ReferenceableHandle[]): void { this.call('referenceHandles', (m, e) => m.referenceHandles(e, handles)); }

  *dests(o: DestEnumOptions & IterateOptions = {}): IterableIterator<DestInfo> {
    const { batch, ...rest } = o;
    const h = this.createDestEnum(rest);
    let current: readonly DestInfo[] = [];
    try {
      for (;;) {
        const { items, done } = this.getEnumDests({ enumHandle: h, count: batch ?? this.profile.maxHandlesInEnum });
        current = items;
        yield* items;
        this.quiet(() => this.releaseDests(current));
        current = [];
        if (done) break;
      }
    } finally {
      if (current.length > 0) this.quiet(() => this.releaseDests(current));
      this.quiet(() => this.deleteEnumHandle(h));
    }
  }

  *routes(o: RouteEnumOptions & IterateOptions = {}): IterableIterator<RouteHandle> {
    const { batch, ...rest } = o;
    const h = this.createRouteEnum(rest);
    let current: readonly RouteHandle[] = [];
    try {
      for (;;) {
        const { items, done } = this.getEnumRoutes({ enumHandle: h, count: batch ?? this.profile.maxHandlesInEnum });
        current = items;
        yield* items;
        this.quiet(() => this.releaseRoutes(current));
        current = [];
        if (done) break;
      }
    } finally {
      if (current.length > 0) this.quiet(() => this.releaseRoutes(current));
      this.quiet(() => this.deleteEnumHandle(h));
    }
  }

  /** Runs a clean-up call, ignoring ERROR_INVALID_HANDLE (the loop body may have released or deleted things). */
  private quiet(fn: () => void): void {
    try { fn(); } catch (err) { if (!(err instanceof RtmError) || err.code !== 'ERROR_INVALID_HANDLE') throw err; }
  }
}

/** Creates a reference-model RTM instance. */
export function createModel(options?: RtmOptions): RtmModel {
  return new RtmModel(options);
}
