// Time sources for the RTM scheduler (API.md §2, spec §11.6). A Clock only answers now() in ms. A
// DrivableClock (VirtualClock) also drives the instances attached to it: advance()/set() step time to
// each due deadline in order and let the listener that owns it run its work (expiries, hold-downs,
// callbacks) before moving on, so simulations are deterministic. Implementation-neutral: the reference
// model and the WASM facade both attach through ClockListener; any number of listeners may share one
// clock. Nothing here allocates per call except subscribe() (its detaching closure); attach() / detach()
// are the same without the closure (an Rtm's scheduler uses them: one listener per instance, issue 13).

/** A monotonic time source in milliseconds. */
export interface Clock {
  /** Current time in ms (monotonic; a VirtualClock starts at 0). */
  now(): number;
}

/**
 * What a scheduler (one RTM instance) tells a DrivableClock. `nextDue()` is the earliest time (ms) at
 * which it has work — a value ≤ now() means "work is due now" (e.g. undelivered callbacks), `Infinity`
 * means none. `runDue(nowMs)` does every piece of work due at or before `nowMs`, in time order, each
 * followed by the callbacks it caused, and returns how many callbacks ran.
 */
export interface ClockListener {
  /** The earliest time (ms) at which the scheduler has work; Infinity for none. */
  nextDue(): number;
  /** Does the work due at or before `nowMs`; returns how many callbacks ran. */
  runDue(nowMs: number): number;
}

/** A clock that drives its listeners itself (time moves only when told). */
export interface DrivableClock extends Clock {
  /** Attaches a listener; returns the function that detaches it. */
  subscribe(listener: ClockListener): () => void;
}

/** True if `clock` drives its listeners (a VirtualClock or compatible). */
export function isDrivableClock(clock: Clock): clock is DrivableClock {
  return typeof (clock as Partial<DrivableClock>).subscribe === 'function';
}

/** What RealClock needs of the global `performance`. */
interface PerformanceLike { now(): number; timeOrigin?: number }

/**
 * Real time: `performance.now()` when available (monotonic), otherwise `Date.now()`. The `performance`
 * object is the one that existed when the clock was made: reading the global on every call costs more
 * than the call itself (in Node it is a lazy getter; ~100 ns per addRouteToDest, a sixth of a build from
 * text: bench/ab/textbuild.mjs, session 20). Code that fakes `performance` (fake timers) does so before it makes
 * the Rtm, or passes a clock of its own.
 */
export class RealClock implements Clock {
  private readonly perf: PerformanceLike | undefined;
  /** Wall-clock ms (Unix epoch) at this clock's 0: `performance.timeOrigin`, or 0 when now() is Date.now(). */
  readonly originMs: number;

  constructor() {
    const p = (globalThis as { performance?: Partial<PerformanceLike> }).performance;
    this.perf = p !== undefined && p !== null && typeof p.now === 'function' ? p as PerformanceLike : undefined;
    this.originMs = this.perf !== undefined && typeof this.perf.timeOrigin === 'number' ? this.perf.timeOrigin : 0;
  }

  now(): number {
    const p = this.perf;
    return p !== undefined ? p.now() : Date.now();
  }
}

/**
 * The VirtualClocks moving time now (advance()/set() running), innermost last: a clock is not re-entrant,
 * and a flag in each would be a field of every clock (issue 13: often one clock per small instance).
 */
const moving: VirtualClock[] = [];

/** Upper bound on scheduler steps in one advance(): a callback that re-arms zero-length work forever is a bug. */
const MAX_STEPS = 1_000_000;

/**
 * Simulated time for tests and simulators: `now()` starts at 0 (or `startMs`) and moves only through
 * `advance(ms)` / `set(ms)`. Moving time steps to each due deadline of the attached listeners in time
 * order (ties: listeners in attachment order) and lets that listener run its due work, each expiry or
 * hold-down followed by its callbacks, before the call returns. Not re-entrant: calling advance()/set()
 * from inside a callback throws.
 */
export class VirtualClock implements DrivableClock {
  private t: number;
  /**
   * Attached listeners in attachment order: the only one itself (no array for the common clock of one
   * instance, issue 13), an array once there were two, undefined before the first.
   */
  private listeners: ClockListener | ClockListener[] | undefined = undefined;

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs) || startMs < 0) throw new RangeError(`VirtualClock: bad start time ${startMs}`);
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  subscribe(listener: ClockListener): () => void {
    this.attach(listener);
    return () => this.detach(listener);
  }

  /** Attaches a listener (as subscribe(), without making the closure that detaches it). */
  attach(listener: ClockListener): void {
    const l = this.listeners;
    if (l === undefined) this.listeners = listener;
    else if (!Array.isArray(l)) this.listeners = [l, listener];
    else if (l.length === 0) this.listeners = listener;
    else l.push(listener);
  }

  /** Detaches a listener attached by attach() or subscribe(); nothing if it is not attached. */
  detach(listener: ClockListener): void {
    const l = this.listeners;
    if (l === undefined) return;
    if (!Array.isArray(l)) { if (l === listener) this.listeners = undefined; return; }
    const i = l.indexOf(listener);
    if (i >= 0) l.splice(i, 1);
  }

  /** Moves time forward by `ms` (≥ 0), running everything that falls due on the way. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`VirtualClock.advance: bad duration ${ms}`);
    this.moveTo(this.t + ms);
  }

  /** Moves time forward to `ms` (must not be earlier than now()), running everything due on the way. */
  set(ms: number): void {
    if (!Number.isFinite(ms) || ms < this.t) throw new RangeError(`VirtualClock.set: ${ms} is before now (${this.t})`);
    this.moveTo(ms);
  }

  private moveTo(target: number): void {
    if (moving.includes(this)) throw new Error('VirtualClock: advance()/set() called from inside a callback');
    moving.push(this);
    try {
      for (let step = 0; ; step++) {
        if (step >= MAX_STEPS) throw new Error('VirtualClock: scheduler did not settle');
        let best: ClockListener | undefined;
        let due = Infinity;
        const ls = this.listeners;
        if (ls !== undefined && !Array.isArray(ls)) {
          due = ls.nextDue();
          if (due < Infinity) best = ls;
        } else if (ls !== undefined) {
          for (const l of ls.slice()) {
            const d = l.nextDue();
            if (d < due) { due = d; best = l; }
          }
        }
        if (best === undefined || due > target) break;
        if (due > this.t) this.t = due;
        best.runDue(this.t);
      }
      this.t = target;
    } finally {
      moving.splice(moving.lastIndexOf(this), 1);
    }
  }
}
