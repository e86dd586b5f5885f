// The scheduler of one RTM instance (spec §1.8, §1.9, §7.6, §7.7, §11.6; API.md §2). Events are never
// delivered inside the call that caused them: they queue here and run from a microtask (real clock),
// runPending(), or a VirtualClock advance. Deadlines live in the core's heaps (one per table); due ones
// are taken in time order and handed to src/rtmv2/timers.ts, each followed by the callbacks it caused.
// Expiries and hold ends of a locked destination wait in the core (spec §7.10 rule 4): the heaps never
// report them until the last lock goes. With the real clock one unref'd setTimeout covers the earliest
// deadline; a full memory there (ERROR_NOT_ENOUGH_MEMORY, the entry stays armed) is retried RETRY_MS
// later, never thrown. Allocates one object per queued callback, nothing per armed timer.
// Issue 13 (many small tables): an instance on a drivable clock makes its Scheduler object only when it
// first has something to deliver or run (a callback queued, a timer due, a best-route watch, a callback
// counter to raise); until then the instance itself is the clock's listener and the stateless services
// (syncNow, afterChange, armTimers) are the functions below, which read the core and make nothing. With a
// real clock the instance makes its scheduler at once (the timer state must exist before any deadline).
import { RtmError, RtmInternalError, STATUS, check } from './errors.js';
import { isDrivableClock } from './clock.js';
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

/**
 * With a drivable clock the instance itself is the clock's listener (Rtm nextDue / runDue, which call
 * nextDueOf / runDueOf below): the scheduler object need not exist for the clock to ask about deadlines.
 */
export class Scheduler implements SchedulerPort {
  inRegistrationCallback = 0;
  inChangeCallback = 0;
  inExpiryCallback = 0;
  private readonly inst: Instance;
  /** Queued callbacks (undefined until the first). */
  private queue: PendingEvent[] | undefined = undefined;
  /** The real clock's timer state; undefined with a drivable clock. */
  private readonly rt: RealTimer | undefined;

  constructor(inst: Instance) {
    this.inst = inst;
    this.rt = isDrivableClock(inst.clock) ? undefined : new RealTimer();
  }

  /** The queued callbacks (tests and tools read their number; an empty frozen array before the first). */
  get pending(): readonly PendingEvent[] { return this.queue ?? NO_PENDING; }

  /** Callbacks are queued (the clock's listener reports work due now). */
  get hasQueued(): boolean { const p = this.queue; return p !== undefined && p.length > 0; }

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
  afterChange(): void { afterChangeOf(this.inst); }

  /**
   * afterChange for a call that already read the core's pending-signal count (RES_SIGNALS of routeAddR /
   * routeDeleteR): the same, without reading the exported global (a runtime call).
   */
  afterChangeWith(signals: number): void { afterChangeWithOf(this.inst, signals); }

  /** The current time for LastChanged and deadlines, pushed to the core before mutating calls. */
  syncNow(): void { this.inst.core.setNow(this.inst.clock.now()); }

  /** Delivers everything due now, synchronously; returns how many callbacks ran. */
  runPending(): number { return this.runDueAt(this.inst.clock.now()); }

  /** Runs every timer entry due at `now` in order, each followed by the callbacks it caused. */
  runDueAt(now: number): number {
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
    let due = timerDue(this.inst);
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

  /** The instance closed: nothing more is delivered (the instance detaches itself from a drivable clock). */
  close(): void {
    if (this.queue !== undefined) this.queue.length = 0;
    const rt = this.rt;
    if (rt !== undefined) {
      if (rt.timer !== undefined) clearTimeout(rt.timer);
      rt.timer = undefined;
      rt.timerAt = Infinity;
    }
  }
}

/** Earliest time with timer work in the instance's tables (the core leaves out entries of locked destinations). */
export function timerDue(inst: Instance): number {
  let due = Infinity;
  const x = inst.core.x;
  for (let i = 0; i < 2; i++) {
    const t = i === 0 ? inst.coreTable0 : inst.coreTable1;
    if (t === undefined) break;
    due = Math.min(due, x.timerNext(t.t));
  }
  return due;
}

/** ClockListener nextDue of an instance: the earliest time with work (now while callbacks are queued); Infinity once closed. */
export function nextDueOf(inst: Instance): number {
  if (inst.isClosed) return Infinity;
  const s = inst.schedulerIfAny;
  return s !== undefined && s.hasQueued ? inst.clock.now() : timerDue(inst);
}

/** afterChange without a scheduler object: signals are drained (queueing makes it), the watch told. */
export function afterChangeOf(inst: Instance): void {
  afterChangeWithOf(inst, inst.core.x.signalCount.value as number);
}

/** afterChange given the pending-signal count (RES_SIGNALS), making no scheduler unless something is queued. */
export function afterChangeWithOf(inst: Instance, signals: number): void {
  if (signals > 0) drainSignals(inst);
  const s = inst.schedulerIfAny;
  if (s !== undefined && s.bestWatch !== undefined) s.bestWatch();
}
