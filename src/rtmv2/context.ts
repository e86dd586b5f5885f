// The narrow context of the capability modules (src/rtmv2/*): what one entity's RTMv2 calls may touch —
// the core (port), its table, its own slot and handle, its JS-valued state — and the few services of the
// instance they need (options, the clock, EntitySpecificInfo side arrays, entities by slot, the
// scheduler). Rtm implements Instance, and each Entity carries one Ctx; the modules see only these
// interfaces, so no file of src/rtmv2/ imports entity.ts or rtm.ts. Types only: nothing runs or allocates.
import type { Core, CoreExports } from '../port/core.js';
import type { CoreTable } from '../coretable.js';
import type { Layout } from '../layout.js';
import type { Clock } from '../clock.js';
import type { Family } from '../address.js';
import type {
  EntityHandle, EntityInfo, EntityMethod, EventCallback, RegnProfile, RtmEventType, RtmOptions,
} from '../types.js';

/** Instance options with their defaults applied. */
export type InstanceOptions =
  Required<Pick<RtmOptions, 'maxNextHopsInRoute' | 'maxHandlesInEnum' | 'views' | 'opaqueSlots'>> & RtmOptions;

/** A queued callback to one entity. */
export interface PendingEvent {
  readonly to: Ctx;
  readonly type: RtmEventType;
  readonly c1: number;
  readonly c2: unknown;
  /** Runs right before the callback (e.g. re-arms a registration's signal). */
  readonly before?: () => void;
}

/** The scheduler as the modules use it (src/scheduler.ts implements it). */
export interface Scheduler {
  /** Non-zero while registration-event callbacks run (RtmRegisterEntity etc. → ERROR_BUSY). */
  inRegistrationCallback: number;
  /** Non-zero while RTM_CHANGE_NOTIFICATION callbacks run (RtmRegisterForChangeNotification → ERROR_BUSY). */
  inChangeCallback: number;
  /** Non-zero while RTM_ROUTE_EXPIRED callbacks run. */
  inExpiryCallback: number;
  /** Pushes the clock's time to the core (LastChanged, deadlines) before a mutating call. */
  syncNow(): void;
  /** After a change in the core: schedules the change-notification callbacks it signalled. */
  afterChange(): void;
  /** afterChange given the pending-signal count a call left in RES_SIGNALS. */
  afterChangeWith(signals: number): void;
  /** Re-arms the real-clock timer after deadlines or locks changed. */
  armTimers(): void;
  /** Queues a callback (never delivered inside the call that caused it, spec §1.9). */
  enqueue(ev: PendingEvent): void;
  /** Drops queued callbacks that match. */
  cancel(match: (ev: PendingEvent) => boolean): void;
  /** Callbacks are queued. */
  readonly hasQueued: boolean;
  /** The instance's best-route watch (Rtm.watchBestRoutes), run after every change. */
  bestWatch: (() => void) | undefined;
}

/** An instance's live entities by core slot, in registration order, once it had two (src/rtmv2/registry.ts EntityRegistry). */
export interface Entities {
  readonly size: number;
  get(slot: number): Ctx | undefined;
  set(slot: number, cx: Ctx): void;
  delete(slot: number): boolean;
  values(): IterableIterator<Ctx>;
  clear(): void;
}

/** What the modules need from the RTM instance (Rtm implements it). */
export interface Instance {
  readonly core: Core;
  readonly layout: Layout;
  readonly clock: Clock;
  readonly instanceId: number;
  readonly options: InstanceOptions;
  readonly isClosed: boolean;
  /** Throws ERROR_INVALID_HANDLE once closed (and RtmInternalError once the core trapped). */
  usable(op: string): void;
  /**
   * JS values kept beside core records: EntitySpecificInfo of routes / next hops, by slot. Reading these
   * makes the array (use them to store); readers take the *IfAny forms (undefined: none stored yet).
   */
  readonly routeEsi: unknown[];
  readonly nextHopEsi: unknown[];
  readonly routeEsiIfAny: readonly unknown[] | undefined;
  readonly nextHopEsiIfAny: readonly unknown[] | undefined;
  /**
   * Live (registered) entities by core slot, in registration order: the only one itself (no registry
   * object for an instance that never had two, issue 13), a registry once there were two, undefined for
   * none. Read and changed through src/rtmv2/entities.ts (entityBySlot, liveEntities, …).
   */
  liveEntities: Ctx | Entities | undefined;
  /**
   * The core tables of the instance (IPv4, IPv6), in the order made: the first (undefined: none) and the
   * second (undefined: none or one).
   */
  readonly coreTable0: CoreTable | undefined;
  readonly coreTable1: CoreTable | undefined;
  /**
   * The scheduler: queued callbacks, callback counters, the real-clock timer. Reading this makes it on an
   * instance of a drivable clock (issue 13: most never need one); the calls every change makes go through
   * the instance's own syncNow / afterChange / afterChangeWith / armTimers, which make none.
   */
  readonly scheduler: Scheduler;
  /** The scheduler if made (undefined: nothing was ever queued, no callback ran). */
  readonly schedulerIfAny: Scheduler | undefined;
  /** Pushes the clock's time to the core (LastChanged, deadlines) before a mutating call. */
  syncNow(): void;
  /** After a change in the core: schedules the change-notification callbacks it signalled. */
  afterChange(): void;
  /** afterChange given the pending-signal count a call left in RES_SIGNALS. */
  afterChangeWith(signals: number): void;
  /** Re-arms the real-clock timer after deadlines or locks changed (nothing with a drivable clock). */
  armTimers(): void;
}

/**
 * One registered entity as the modules see it: identity, port shortcuts and the per-entity state that is
 * JavaScript by nature (callbacks, methods, blocking); references, locks and route lists are the
 * core's. Module-private state (owner views, opaque slots, …) is kept by each module, keyed by the Ctx.
 */
export interface Ctx {
  readonly inst: Instance;
  readonly core: Core;
  readonly x: CoreExports;
  readonly L: Layout;
  /** The table of the entity's family, and its core slot. */
  readonly table: CoreTable;
  readonly t: number;
  readonly family: Family;
  readonly handle: EntityHandle;
  /** Entity slot in the core. */
  readonly slot: number;
  readonly protocolId: number;
  readonly instanceId: number;
  readonly profile: RegnProfile;
  readonly onEvent: EventCallback | undefined;
  readonly methods: readonly EntityMethod[];
  /** Opaque pointer slot index, or -1. */
  readonly opaqueSlot: number;
  /** False once deregistered (or the instance closed). */
  registered: boolean;
  /** True once the deregistration clean-up of the JS state ran. */
  cleaned: boolean;
  /** RtmBlockMethods state (not counted, D-22). */
  blocked: boolean;
}
