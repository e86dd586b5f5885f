// The scheduler of one RTM instance (spec §1.8, §1.9, §7.6, §7.7, §11.6; API.md §2). Events are never
// delivered inside the call that caused them: they queue here and run from a microtask (real clock),
// runPending(), or a VirtualClock advance. Deadlines live in the core's heaps (one per table); due ones
// are taken in time order and handed to src/rtmv2/timers.ts, each followed by the callbacks it caused.
// Expiries and hold ends of a locked destination wait in the core (spec §7.10 rule 4): the heaps never
// report them until the last lock goes. With the real clock one unref'd setTimeout covers the earliest
// deadline; a full memory there (ERROR_NOT_ENOUGH_MEMORY, the entry stays armed) is retried RETRY_MS
// later, never thrown. Allocates one object per queued callback, nothing per armed timer; an instance on
// a drivable clock costs the scheduler object alone (its queue is made by the first callback, the timer
// state only for a real clock, and a VirtualClock attaches it without a closure).
import { RtmError, RtmInternalError, STATUS, check } from './errors.js';
import { type ClockListener, isDrivableClock } from './clock.js';
import { readResult } from './port/records.js';
import { RTM_CHANGE_NOTIFICATION, RTM_ENTITY_DEREGISTERED, RTM_ENTITY_REGISTERED } from './constants.js';
import type { Instance, PendingEvent, Scheduler as SchedulerPort } from './rtmv2/context.js';
import { drainSignals } from './rtmv2/notify.js';
import { expireRoute, holdEnd } from './rtmv2/timers.js';

/** With the real clock: how long (ms) the timer waits before it retries work a full memory refused. */
export const RETRY_MS = 100;


const NO_PENDING: readonly PendingEvent[] = Object.freeze([]);

/** With a real clock: the timer's state (an instance on a drivable clock has none). */
class RealTimer {
  /** A microtask will deliver the queued callbacks. */
  flushScheduled = false;
  /** No timer fires before this time (a full memory refused the last run). */
  retryAt = -Infinity;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  timerAt = Infinity;
}

/** The detaching closures of schedulers on a drivable clock without attach()/detach() (subscribe() alone). */
const unsubscribers = new WeakMap<Scheduler, () => void>();

/** A drivable clock that attaches a listener without making a closure (VirtualClock). */
interface AttachingClock {
  attach(listener: ClockListener): void;
  detach(listener: ClockListener): void;
}

/**
 * With a drivable clock (VirtualClock) the scheduler is itself the clock's listener (nextDue / runDue): no
 * closures per instance.
 */
export class Scheduler implements SchedulerPort, ClockListener {
  inRegistrationCallback = 0;
  inChangeCallback = 0;
  inExpiryCallback = 0;
  private readonly inst: Instance;
  /** Queued callbacks (undefined until the first). */
  private queue: PendingEvent[] | undefined = undefined;
  /** The real clock's timer state; undefined with a drivable clock. */
  private readonly rt: RealTimer | undefined;

  /**
   * With a drivable clock, close() detaches through the clock's detach() (VirtualClock) or, for a clock
   * with subscribe() alone, through the closure it returned (kept in `unsubscribers`, not in a field of
   * every scheduler: issue 13).
   */
  constructor(inst: Instance) {
    this.inst = inst;
    const clock = inst.clock;
    if (!isDrivableClock(clock)) this.rt = new RealTimer();
    else {
      this.rt = undefined;
      const a = clock as unknown as Partial<AttachingClock>;
      if (typeof a.attach === 'function' && typeof a.detach === 'function') a.attach(this);
      else unsubscribers.set(this, clock.subscribe(this));
    }
  }

  /** The queued callbacks (tests and tools read their number; an empty frozen array before the first). */
  get pending(): readonly PendingEvent[] { return this.queue ?? NO_PENDING; }

  /** ClockListener: the earliest time with work (now while callbacks are queued); Infinity once closed. */
  nextDue(): number {
    const inst = this.inst;
    const p = this.queue;
    return inst.isClosed ? Infinity : p !== undefined && p.length > 0 ? inst.clock.now() : this.timerDue();
  }

  /** ClockListener: runs what is due at `now` (nothing once closed); returns how many callbacks ran. */
  runDue(now: number): number {
    return this.inst.isClosed ? 0 : this.runDueAt(now);
  }

  /** Queues a callback; with the real clock a microtask delivers it. */
  enqueue(ev: PendingEvent): void {
    if (this.queue === undefined) this.queue = [ev];
    else this.queue.push(ev);
    const rt = this.rt;
    if (rt !== undefined && !rt.flushScheduled) {
      rt.flushScheduled = true;
      queueMicrotask(() => { rt.flushScheduled = false; if (!this.inst.isClosed && !this.inst.core.poisoned) this.deliver(); });
    }
  }

  /** Drops queued callbacks that match (e.g. of a registration that ended). */
  cancel(match: (ev: PendingEvent) => boolean): void {
    const p = this.queue;
    if (p !== undefined) for (let i = p.length - 1; i >= 0; i--) if (match(p[i])) p.splice(i, 1);
  }

  /** Delivers queued callbacks in order; returns how many ran. */
  private deliver(): number {
    let n = 0;
    const p = this.queue;
    if (p === undefined) return 0;
    while (p.length > 0 && !this.inst.isClosed) {
      const ev = p.shift()!;
      const to = ev.to;
      if (!to.registered || !to.onEvent) continue;
      ev.before?.();
      const reg = ev.type === RTM_ENTITY_REGISTERED || ev.type === RTM_ENTITY_DEREGISTERED;
      const chg = ev.type === RTM_CHANGE_NOTIFICATION;
      if (reg) this.inRegistrationCallback++;
      if (chg) this.inChangeCallback++;
      try {
        to.onEvent(ev.type, ev.c1 as never, ev.c2);
      } finally {
        if (reg) this.inRegistrationCallback--;
        if (chg) this.inChangeCallback--;
      }
      n++;
    }
    return n;
  }

  /** The instance's best-route watch (Rtm.watchBestRoutes), run after every change. */
  bestWatch: (() => void) | undefined;

  /** After a change in the core: schedules the change-notification callbacks it signalled; tells the best-route watch. */
  afterChange(): void {
    if ((this.inst.core.x.signalCount.value as number) > 0) drainSignals(this.inst);
    if (this.bestWatch !== undefined) this.bestWatch();
  }

  /**
   * afterChange for a call that already read the core's pending-signal count (RES_SIGNALS of routeAddR /
   * routeDeleteR): the same, without reading the exported global (a runtime call).
   */
  afterChangeWith(signals: number): void {
    if (signals > 0) drainSignals(this.inst);
    if (this.bestWatch !== undefined) this.bestWatch();
  }

  /** The current time for LastChanged and deadlines, pushed to the core before mutating calls. */
  syncNow(): void { this.inst.core.setNow(this.inst.clock.now()); }

  /** Delivers everything due now, synchronously; returns how many callbacks ran. */
  runPending(): number { return this.runDueAt(this.inst.clock.now()); }

  /** Earliest time with timer work (the core leaves out entries of locked destinations). */
  private timerDue(): number {
    let due = Infinity;
    const x = this.inst.core.x;
    for (let i = 0; i < 2; i++) {
      const t = i === 0 ? this.inst.coreTable0 : this.inst.coreTable1;
      if (t === undefined) break;
      due = Math.min(due, x.timerNext(t.t));
    }
    return due;
  }

  /** Runs every timer entry due at `now` in order, each followed by the callbacks it caused. */
  private runDueAt(now: number): number {
    let ran = this.deliver();
    const x = this.inst.core.x;
    for (;;) {
      let best = -1, at = Infinity;
      for (let i = 0; i < 2; i++) {
        const t = i === 0 ? this.inst.coreTable0 : this.inst.coreTable1;
        if (t === undefined) break;
        const n = x.timerNext(t.t);
        if (n < at || (n === at && best >= 0 && this.headFirst(t.t, best))) { at = n; best = t.t; }
      }
      if (best < 0 || at > now) break;
      check(x.timerHeadX(best), 'scheduler');
      if (readResult(this.inst.core, 0) === 1) {
        // a hold end: the core clears its entry when it ends (a full memory leaves it armed and goes up)
        holdEnd(this.inst, best, readResult(this.inst.core, 2));
      } else {
        const s = x.timerPop(best, now);
        if (s === STATUS.ERROR_NO_MORE_ITEMS) break;
        check(s, 'scheduler');
        ran += expireRoute(this.inst, readResult(this.inst.core, 0));
      }
      ran += this.deliver();
    }
    this.armTimers();
    return ran;
  }

  /**
   * At equal deadlines in two tables: true if table a's earliest entry comes first — a route expiry
   * before a hold end, two expiries in creation order (rule T4; the core's ROUTE_SEQ is one counter for
   * every table). Two hold ends keep the tables' order.
   */
  private headFirst(a: number, b: number): boolean {
    const c = this.inst.core, x = c.x;
    if (x.timerHeadX(a) !== 0) return false;
    const kindA = readResult(c, 0), orderA = readResult(c, 1);
    if (x.timerHeadX(b) !== 0) return true;
    const kindB = readResult(c, 0), orderB = readResult(c, 1);
    return kindA !== kindB ? kindA < kindB : kindA === 0 && orderA < orderB;
  }

  /** With the real clock: one unref'd timer for the earliest deadline of the instance. */
  armTimers(): void {
    const rt = this.rt;
    if (this.inst.isClosed || rt === undefined) return;
    let due = this.timerDue();
    if (due !== Infinity && due < rt.retryAt) due = rt.retryAt;
    if (due === rt.timerAt) return;
    if (rt.timer !== undefined) clearTimeout(rt.timer);
    rt.timer = undefined;
    rt.timerAt = due;
    if (due === Infinity) return;
    const delay = Math.max(0, Math.min(due - this.inst.clock.now(), 2 ** 31 - 1));
    rt.timer = setTimeout(() => {
      rt.timer = undefined;
      rt.timerAt = Infinity;
      if (this.inst.isClosed || this.inst.core.poisoned) return;   // a trapped core: the next call reports it
      rt.retryAt = -Infinity;
      try {
        this.runPending();
      } catch (e) {
        if (e instanceof RtmInternalError) return;                 // the core is poisoned: the next call reports it
        if (!(e instanceof RtmError) || e.status !== STATUS.ERROR_NOT_ENOUGH_MEMORY) throw e;   // a callback's own error
        // the refused entry stays armed: try again a little later
        rt.retryAt = this.inst.clock.now() + RETRY_MS;
        this.armTimers();
      }
    }, delay);
    (rt.timer as { unref?: () => void }).unref?.();
  }

  /** The instance closed: nothing more is delivered. */
  close(): void {
    if (this.queue !== undefined) this.queue.length = 0;
    const rt = this.rt;
    if (rt !== undefined) {
      if (rt.timer !== undefined) clearTimeout(rt.timer);
      rt.timer = undefined;
      rt.timerAt = Infinity;
    }
    if (rt !== undefined) return;
    const u = unsubscribers.get(this);
    if (u !== undefined) { unsubscribers.delete(this); u(); }
    else (this.inst.clock as unknown as AttachingClock).detach(this);
  }
}
