// The scheduler's time-driven half (spec §1.8, §7.6, §7.7, §11.6): deadlines live in the core's heaps
// (assembly/timers.ts, one per table); this driver pops the due ones in time order and runs each —
// RTM_ROUTE_EXPIRED to the owner (deleting the route when the callback answers ERROR_NOT_SUPPORTED or
// there is no callback), or a hold-down end — each followed by the callbacks it caused. Expiries that hit
// a locked destination wait until the lock is gone. With the real clock one unref'd setTimeout covers
// the earliest deadline of the instance; a VirtualClock drives it through ClockListener. No JS object
// exists per armed timer: only per expiry being delivered.
import { RtmInternalError, check } from './errors.js';
import type { Rtm } from './rtm.js';
import type { Entity } from './entity.js';
import type { RouteHandle } from './types.js';

export const RTM_ROUTE_EXPIRED = 2;
const ERROR_NOT_SUPPORTED = 50;
const NO_MORE_ITEMS = 259;

interface Deferred { t: number; r: number; deadline: number }

export class TimerDriver {
  private readonly rtm: Rtm;
  private readonly deferred: Deferred[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  constructor(rtm: Rtm) { this.rtm = rtm; }

  private tables(): number[] { return [this.rtm.ipv4.core.t, this.rtm.ipv6.core.t]; }

  /** Earliest time with timer work (deferred expiries whose lock is gone count as due now). */
  nextDue(): number {
    const x = this.rtm.core.x;
    let due = Infinity;
    for (const t of this.tables()) due = Math.min(due, x.timerNext(t));
    if (this.deferred.some((d) => !this.locked(d))) due = Math.min(due, this.rtm.clock.now());
    return due;
  }

  private locked(d: Deferred): boolean {
    const c = this.rtm.core, L = this.rtm.layout;
    const p = c.x.recordPtr(L.SLAB_ROUTE, d.r);
    if (p === 0) return false;
    const dest = c.u32()[(p >>> 2) + L.ROUTE_DEST];
    const dp = c.x.recordPtr(L.SLAB_DEST, dest);
    return c.u32()[(dp >>> 2) + L.DEST_LOCK] !== L.LOCK_NONE;
  }

  /** Runs every timer entry due at `now` in order, each followed by the callbacks it caused. */
  runDue(now: number, deliver: () => number): number {
    const x = this.rtm.core.x;
    let ran = deliver();
    // expiries that waited for a lock
    for (let i = 0; i < this.deferred.length;) {
      const d = this.deferred[i];
      if (this.locked(d)) { i++; continue; }
      this.deferred.splice(i, 1);
      ran += this.expire(d.t, d.r, d.deadline);
      ran += deliver();
    }
    for (;;) {
      let best = -1, at = Infinity;
      for (const t of this.tables()) { const n = x.timerNext(t); if (n < at) { at = n; best = t; } }
      if (best < 0 || at > now) break;
      const s = x.timerPop(best, now);
      if (s === NO_MORE_ITEMS) break;
      check(s, 'scheduler');
      const slot = this.rtm.core.res(0), hold = this.rtm.core.res(1) === 1;
      if (hold) ran += this.holdEnd(best, slot);
      else ran += this.expire(best, slot, at);
      ran += deliver();
    }
    this.arm();
    return ran;
  }

  /** A route's TTL ran out (spec §7.6 T2/T3). Returns the callbacks run. */
  private expire(t: number, r: number, deadline: number): number {
    const c = this.rtm.core, L = this.rtm.layout;
    const x = c.x;
    const p = x.recordPtr(L.SLAB_ROUTE, r);
    const u = c.u32();
    if (p === 0 || (u[p >>> 2] & L.GEN_ALIVE) === 0 || (u[(p >>> 2) + L.ROUTE_FLAGS] >>> L.ROUTE_STATE_SHIFT) !== 0) return 0;
    const d: Deferred = { t, r, deadline };
    if (this.locked(d)) { this.deferred.push(d); return 0; }
    const owner = this.rtm.entities.get(u[(p >>> 2) + L.ROUTE_OWNER]);
    if (!owner) return 0;
    const h = x.handleOfX(L.KIND_ROUTE, r) as RouteHandle;
    if (!owner.onEvent) { this.deleteExpired(owner, h, false); return 0; }
    owner.take(h);                                     // the reference handed to the owner (§7.9)
    const view = owner.ownerViewOfRoute(h);
    let ret: number | void;
    this.rtm.inExpiryCallback++;
    try {
      ret = owner.onEvent(RTM_ROUTE_EXPIRED, h, view);
    } finally {
      this.rtm.inExpiryCallback--;
    }
    if (ret === ERROR_NOT_SUPPORTED && owner.isRegistered) this.deleteExpired(owner, h, true);
    return 1;
  }

  private deleteExpired(owner: Entity, h: RouteHandle, consume: boolean): void {
    try {
      const r = owner.isBestRoute(h);              // throws if the handle died meanwhile
      void r;
      owner.deleteRouteToDest(h);                  // consumes the owner's reference when it holds one
    } catch (err) {
      if (err instanceof RtmInternalError) throw err;
      if (consume) owner.releaseRoutesQuietly([h]);
    }
  }

  /** A destination's hold-down timer ran out (spec §7.7 H5). */
  private holdEnd(t: number, d: number): number {
    const x = this.rtm.core.x;
    this.rtm.syncNow();
    check(x.holdEnd(t, d), 'hold-down');
    const any = this.rtm.anyEntity(t);
    if (any) this.rtm.afterChange(any);
    return 0;
  }

  /** With the real clock: one unref'd timer for the earliest deadline of the instance. */
  arm(): void {
    if (this.rtm.isClosed || this.rtm.drivenByClock) return;
    const due = this.nextDue();
    if (due === this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = due;
    if (due === Infinity) return;
    const delay = Math.max(0, Math.min(due - this.rtm.clock.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      if (!this.rtm.isClosed && !this.rtm.core.poisoned) this.rtm.runPending();   // a trapped core: the next call reports it
    }, delay);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the real-clock timer (close). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}
