// Registration and entity information (spec §7.15–7.16, §8.1): registering an entity (validation, its
// opaque slot, the core record, its Ctx, RTM_ENTITY_REGISTERED to the others), deregistration (the
// clean-up of §7.16: the JS-side state of every module first, then the core deletes routes, next hops and
// registrations, locks and route lists, then references are given back and RTM_ENTITY_DEREGISTERED goes
// out), and the entity queries. The entity records live in the core; the registry of live entities by slot is the instance's.
// Allocates the Ctx at registration and the returned records.
import { RtmError, check, fmt } from '../errors.js';
import { AF_INET, AF_INET6, type Family } from '../address.js';
import { readResult } from '../port/records.js';
import type {
  AddressFamilyName, EntityHandle, EntityIdentity, EntityInfo, EntityMethod, EventCallback, RegisteredEntity, RegisterOptions, RegnProfile,
} from '../types.js';
import type { Core, CoreExports } from '../port/core.js';
import type { CoreTable } from '../coretable.js';
import { type Layout, handleSlotOf } from '../layout.js';
import { RTM_ENTITY_DEREGISTERED, RTM_ENTITY_REGISTERED } from '../constants.js';
import type { Ctx, Instance } from './context.js';
import { addLive, liveEntities, removeLive } from './registry.js';
import { arrayArg, live, unreadable } from './args.js';
import { releaseHandles, take } from './refs.js';
import { handleOf } from './routes.js';
import { releaseAllOf } from './holders.js';
import { dropStagedRoutes } from './locks.js';
import { dropStagedNextHops } from './nexthops.js';
import { deleteEnumsOf } from './enums.js';
import { clearSlotsOf, markSlot, reserveSlot } from './opaque.js';
import { rememberMethods } from './methods.js';
import { forgetAll as forgetRegistrations, registrationsOf } from './notify.js';

/** The methods of an entity that exported none (one frozen array for all). */
const NO_METHODS: readonly EntityMethod[] = Object.freeze([]);

/** EntityCtx.bits: the state booleans and FAMILY6 (its table is the IPv6 one). */
const REGISTERED = 1, CLEANED = 2, BLOCKED = 4, FAMILY6 = 8;

/**
 * What an entity registered with: its identity, the profile it was granted and its options. Frozen, and
 * shared by consecutive registrations of the same identity and profile without a callback, methods or an
 * opaque slot (issue 13: many small instances, each with the same entity).
 */
type Registration = Pick<Ctx, 'protocolId' | 'instanceId' | 'profile' | 'onEvent' | 'methods' | 'opaqueSlot'>;

/** The last Registration made without options (the next equal one shares it). */
let lastPlain: Registration | undefined;

function registrationOf(protocolId: number, instanceId: number, profile: RegnProfile, onEvent: EventCallback | undefined,
  methods: readonly EntityMethod[], opaqueSlot: number): Registration {
  const plain = onEvent === undefined && methods === NO_METHODS && opaqueSlot < 0, l = lastPlain;
  if (plain && l !== undefined && l.protocolId === protocolId && l.instanceId === instanceId && l.profile === profile) return l;
  const r: Registration = Object.freeze({ protocolId, instanceId, profile, onEvent, methods, opaqueSlot });
  if (plain) lastPlain = r;
  return r;
}

/** EntityInfo objects made so far (entityInfo), beside their entities: most entities never have one asked for. */
const infos = new WeakMap<Ctx, EntityInfo>();

/**
 * The Ctx of a registered entity: five fields (issue 13: many small tables, each with an entity or two).
 * The port shortcuts (core, x, L, t) are read through the instance and the table; the table is the
 * instance's table of its family (a listed family's, made with the instance, never replaced); the state
 * booleans and the family share one small integer; its identity and what it registered with are a
 * shared frozen Registration; its EntityInfo lives beside it (entityInfo). The handle (53 bits: a heap number) stays a
 * field: rebuilt from slot and generation on each read it cost the hottest calls a number allocation each
 * (addRouteToDest updating a route: ~4 % more instructions, callgrind).
 */
class EntityCtx implements Ctx {
  readonly inst: Instance;
  /** Entity slot in the core: the slot field of its handle. */
  readonly slot: number;
  /** REGISTERED | CLEANED | BLOCKED | FAMILY6. */
  private bits: number;
  private readonly reg: Registration;
  readonly handle: EntityHandle;

  constructor(inst: Instance, family: Family, handle: EntityHandle, reg: Registration) {
    this.inst = inst;
    this.slot = handleSlotOf(handle);
    this.bits = REGISTERED | (family === 6 ? FAMILY6 : 0);
    this.reg = reg;
    this.handle = handle;
  }

  get core(): Core { return this.inst.core; }
  get x(): CoreExports { return this.inst.core.x; }
  get L(): Layout { return this.inst.layout; }
  /** The table of its family. */
  get table(): CoreTable {
    const inst = this.inst, t0 = inst.coreTable0!;
    return t0.family === this.family ? t0 : inst.coreTable1!;
  }
  get t(): number { return this.table.t; }
  /** The family of its table. */
  get family(): Family { return (this.bits & FAMILY6) !== 0 ? 6 : 4; }
  get protocolId(): number { return this.reg.protocolId; }
  get instanceId(): number { return this.reg.instanceId; }
  get profile(): RegnProfile { return this.reg.profile; }
  get onEvent(): EventCallback | undefined { return this.reg.onEvent; }
  get methods(): readonly EntityMethod[] { return this.reg.methods; }
  get opaqueSlot(): number { return this.reg.opaqueSlot; }
  get registered(): boolean { return (this.bits & REGISTERED) !== 0; }
  set registered(v: boolean) { this.bits = v ? this.bits | REGISTERED : this.bits & ~REGISTERED; }
  get cleaned(): boolean { return (this.bits & CLEANED) !== 0; }
  set cleaned(v: boolean) { this.bits = v ? this.bits | CLEANED : this.bits & ~CLEANED; }
  get blocked(): boolean { return (this.bits & BLOCKED) !== 0; }
  set blocked(v: boolean) { this.bits = v ? this.bits | BLOCKED : this.bits & ~BLOCKED; }
}

/** An EntityInfo value. */
export function entityInfoOf(rtmInstanceId: number, family: Family, protocolId: number, instanceId: number): EntityInfo {
  return Object.freeze({
    rtmInstanceId, addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId, instanceId,
    entityId: BigInt(protocolId >>> 0) | (BigInt(instanceId >>> 0) << 32n),
  } as EntityInfo);
}

/** The entity's own EntityInfo (made on first use, then the same object). */
export function entityInfo(cx: Ctx): EntityInfo {
  let info = infos.get(cx);
  if (info === undefined) infos.set(cx, info = entityInfoOf(cx.inst.instanceId, cx.family, cx.protocolId, cx.instanceId));
  return info;
}

function busy(inst: Instance, op: string): void {
  const s = inst.schedulerIfAny;   // (no scheduler: no callback is running)
  if (s !== undefined && s.inRegistrationCallback > 0) throw new RtmError('ERROR_BUSY', op, 'inside a registration-event callback');
}

/** Tells every other entity of the family that has a callback (RTM_ENTITY_REGISTERED / _DEREGISTERED). */
function announce(cx: Ctx, type: typeof RTM_ENTITY_REGISTERED | typeof RTM_ENTITY_DEREGISTERED): void {
  for (const other of liveEntities(cx.inst)) {
    if (other !== cx && other.family === cx.family && other.onEvent) {
      cx.inst.scheduler.enqueue({ to: other, type, c1: cx.handle, c2: entityInfo(cx) });
    }
  }
}

/** The frozen RTM_REGN_PROFILE values made so far, by their options (shared by every entity granted the same). */
const profiles = new Map<number, RegnProfile>();

/** The RTM_REGN_PROFILE of an instance's options (maxHops 1..256, views 1..3): one frozen object per distinct value. */
function profileOf(maxHops: number, maxEnum: number, views: number): RegnProfile {
  const key = (maxEnum * 512 + maxHops) * 4 + views;
  let p = profiles.get(key);
  if (p === undefined) {
    p = Object.freeze({ maxNextHopsInRoute: maxHops, maxHandlesInEnum: maxEnum, viewsSupported: views, numberOfViews: (views & 1) + ((views >> 1) & 1) });
    profiles.set(key, p);
  }
  return p;
}

/** RegisterOptions left out (undefined or null). */
const NO_OPTIONS: RegisterOptions = Object.freeze({});

// The identity and the options read once, in a fixed order, into literals of fixed shape (as args.ts
// opts() does, without its keyed stores): a getter runs once, one that throws is ERROR_INVALID_PARAMETER.
function readIdentity(o: EntityIdentity, op: string): EntityIdentity {
  let k = 'addressFamily';
  try {
    const addressFamily = o.addressFamily; k = 'protocolId';
    const protocolId = o.protocolId; k = 'instanceId';
    const instanceId = o.instanceId;
    return { addressFamily, protocolId, instanceId };
  } catch (err) {
    return unreadable(err, op, `option ${k}`);
  }
}

function readRegisterOptions(o: unknown, op: string): RegisterOptions {
  if (typeof o !== 'object' && typeof o !== 'function') {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `options must be an object, got ${fmt(o)}`);
  }
  const r = o as RegisterOptions;
  let k = 'onEvent';
  try {
    const onEvent = r.onEvent; k = 'reserveOpaquePointer';
    const reserveOpaquePointer = r.reserveOpaquePointer; k = 'exportMethods';
    const exportMethods = r.exportMethods;
    return { onEvent, reserveOpaquePointer, exportMethods };
  } catch (err) {
    return unreadable(err, op, `option ${k}`);
  }
}

/** An EntityProtocolId / EntityInstanceId: a u32. @throws RtmError ERROR_INVALID_PARAMETER */
function idArg(name: string, v: unknown, op: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} = ${fmt(v)}`);
}

/**
 * RtmRegisterEntity: registers an entity in the table of its family and schedules RTM_ENTITY_REGISTERED
 * to the other entities of that table that have callbacks.
 * @throws RtmError ERROR_INVALID_PARAMETER, ERROR_FILE_NOT_FOUND, ERROR_ALREADY_EXISTS,
 *   ERROR_NO_SYSTEM_RESOURCES, ERROR_BUSY, ERROR_INVALID_HANDLE
 */
export function register(inst: Instance, ident: EntityIdentity, regOptions: RegisterOptions | undefined): Ctx {
  const op = 'registerEntity';
  inst.usable(op);
  busy(inst, op);
  if (!ident || typeof ident !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no identity');
  const identity = readIdentity(ident, op);
  const options = regOptions === undefined || regOptions === null ? NO_OPTIONS : readRegisterOptions(regOptions, op);
  const fam = identity.addressFamily;
  let family: Family;
  if (fam === 'ipv4' || fam === AF_INET) family = 4;
  else if (fam === 'ipv6' || fam === AF_INET6) family = 6;
  else if ((typeof fam === 'number' && Number.isInteger(fam) && fam >= 0 && fam <= 0xffff) || typeof fam === 'string') {
    throw new RtmError('ERROR_FILE_NOT_FOUND', op, `no table for address family ${fmt(fam)}`);
  } else throw new RtmError('ERROR_INVALID_PARAMETER', op, `bad address family ${fmt(fam)}`);
  const names = inst.options.families as readonly AddressFamilyName[] | undefined, name = family === 4 ? 'ipv4' : 'ipv6';
  if (names !== undefined) {
    let listed = false;
    for (let i = 0; i < names.length; i++) if (names[i] === name) listed = true;   // (includes() of a frozen array is slow)
    if (!listed) throw new RtmError('ERROR_FILE_NOT_FOUND', op, `no table for ${name}`);
  }
  const proto = identity.protocolId as number, instance = identity.instanceId === undefined ? 0 : identity.instanceId;   // null is not a number (README "API at a glance" 5)
  idArg('protocolId', proto, op);
  idArg('instanceId', instance, op);
  const methods = options.exportMethods === undefined ? NO_METHODS
    : Object.freeze(arrayArg<EntityMethod>(options.exportMethods, 'exportMethods', op, 0x7fffffff));
  if (methods.length > 32 || methods.some((m) => typeof m !== 'function')) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'at most 32 exported methods, each a function');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'onEvent must be a function');
  }
  let table = inst.coreTable0!;
  if (table.family !== family) table = inst.coreTable1!;   // a listed family's table is made with the instance
  // opaque slot (first come, first served; D-43): checked before the core registers anything
  const opaqueSlot = options.reserveOpaquePointer ? reserveSlot(inst, family, op) : -1;
  const core = inst.core, x = core.x;
  check(x.entityRegister(table.t, proto >>> 0, instance >>> 0), op);
  const slot = readResult(core, 0);
  const handle = x.handleOfX(inst.layout.KIND_ENTITY, slot) as EntityHandle;
  markSlot(inst, family, opaqueSlot, true);
  const profile = profileOf(inst.options.maxNextHopsInRoute, inst.options.maxHandlesInEnum, inst.options.views);
  const cx: Ctx = new EntityCtx(inst, family, handle, registrationOf(proto >>> 0, instance >>> 0, profile, options.onEvent, methods, opaqueSlot));
  addLive(inst, slot, cx);
  announce(cx, RTM_ENTITY_REGISTERED);
  return cx;
}

/**
 * Releases what the entity holds in the JS-side modules (spec §7.16 step 3): its enumerations, its locks
 * (staged edits dropped), its opaque slot values (destinations unpinned) and its blocking; remembers its
 * methods. Idempotent; deregister() runs it while the entity's routes still exist.
 */
export function cleanup(cx: Ctx): void {
  if (cx.cleaned) return;
  cx.cleaned = true;
  rememberMethods(cx);
  deleteEnumsOf(cx);
  releaseAllOf(cx);
  dropStagedRoutes(cx);
  dropStagedNextHops(cx);
  clearSlotsOf(cx);
  cx.blocked = false;
}

/**
 * RtmDeregisterEntity: deletes the entity's routes and next hops, drops its references (§7.16). The core
 * reserves what its part needs before the JS-side clean-up, so a full memory changes nothing.
 * @throws RtmError ERROR_INVALID_HANDLE, ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY
 */
export function deregister(cx: Ctx): void {
  const op = 'deregister';
  live(cx, op);
  const inst = cx.inst;
  busy(inst, op);
  check(cx.x.entityDeregisterReserve(cx.handle), op);   // before anything changes (reserved: it cannot fail later)
  inst.syncNow();
  cleanup(cx);
  const regs = registrationsOf(cx);
  check(cx.x.entityDeregister(cx.handle), op);
  forgetRegistrations(cx, regs);
  inst.afterChange();
  inst.armTimers();   // its deleted routes may start hold-downs (real clock)
  cx.registered = false;
  removeLive(inst, cx.slot);
  markSlot(inst, cx.family, cx.opaqueSlot, false);
  // queued callbacks to it are dropped (spec §7.16 step 1)
  inst.schedulerIfAny?.cancel((ev) => ev.to === cx);
  announce(cx, RTM_ENTITY_DEREGISTERED);
}

/** The instance closed: the entity is gone with it (no core calls: the tables are freed). */
export function markGone(cx: Ctx): void {
  cx.registered = false;
}

/** RtmGetRegisteredEntities: every entity of this table, in registration order; handles referenced. */
export function getRegisteredEntities(cx: Ctx): RegisteredEntity[] {
  const op = 'getRegisteredEntities';
  live(cx, op);
  busy(cx.inst, op);
  const slots = cx.core.slotPages(op, (after) => cx.x.entityList(cx.t, after));
  return slots.map((s) => {
    const h = handleOf(cx, cx.L.KIND_ENTITY, s) as EntityHandle;
    take(cx, h);
    return { handle: h, info: getEntityInfo(cx, h) };
  });
}

/** RtmReleaseEntities. */
export function releaseEntities(cx: Ctx, entities: readonly EntityHandle[]): void {
  releaseHandles(cx, entities, 'releaseEntities', cx.L.KIND_ENTITY);
}

/** RtmGetEntityInfo: identity of any entity of this table (also deregistered but referenced). */
export function getEntityInfo(cx: Ctx, entity: EntityHandle): EntityInfo {
  const op = 'getEntityInfo';
  live(cx, op);
  if (typeof entity !== 'number' || cx.x.entityInfo(entity) !== 0 || readResult(cx.core, 1) !== cx.t) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad entity handle');
  }
  return entityInfoOf(cx.inst.instanceId, cx.family, readResult(cx.core, 2), readResult(cx.core, 3));
}

/** RtmReleaseEntityInfo: there are no handles inside; validates the registration only. */
export function releaseEntityInfo(cx: Ctx, _info: EntityInfo): void {
  live(cx, 'releaseEntityInfo');
}
