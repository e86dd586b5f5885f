// Lock holders (spec §7.10 rules 1–3, 6; D-20, D-21): per table, who holds each destination and next-hop
// lock — one exclusive holder with a recursion count, or shared holders with counts. The core keeps only
// a summary word per record (destSetLock / nexthopSetLock: one entity slot, LOCK_MULTI or LOCK_NONE),
// which it uses to answer ERROR_BUSY to other entities' changes and to hold expiries back; this file
// writes that word after every change. A lock object exists only while held. Allocates one Lock per
// locked record.
import { RtmError, check } from '../errors.js';
import type { CoreTable } from '../coretable.js';
import { readResult } from '../port/records.js';
import type { Ctx } from './context.js';

/** Which records a lock table holds. */
export type LockKind = 'dest' | 'nextHop';

/** One lock (rule 1): an exclusive holder with a recursion count, or shared holders with counts. */
class Lock {
  excl: Ctx | null = null;
  exclCount = 0;
  readonly shared = new Map<Ctx, number>();
  isFree(): boolean { return this.excl === null && this.shared.size === 0; }
  heldBy(cx: Ctx): boolean { return this.excl === cx || this.shared.has(cx); }
  heldByOther(cx: Ctx): boolean {
    if (this.excl !== null && this.excl !== cx) return true;
    for (const k of this.shared.keys()) if (k !== cx) return true;
    return false;
  }
  /** The core's summary word: one entity slot, LOCK_MULTI or LOCK_NONE. */
  holderWord(none: number, multi: number): number {
    let one: Ctx | null = this.excl;
    for (const s of this.shared.keys()) {
      if (one === null) one = s;
      else if (one !== s) return multi;
    }
    return one === null ? none : one.slot;
  }
  dropAll(cx: Ctx): void {
    if (this.excl === cx) { this.excl = null; this.exclCount = 0; }
    this.shared.delete(cx);
  }
}

/** The lock tables of one core table, by destination / next-hop handle. */
interface Tables { readonly dest: Map<number, Lock>; readonly nextHop: Map<number, Lock> }
const perTable = new WeakMap<CoreTable, Tables>();

function tables(cx: Ctx): Tables {
  let s = perTable.get(cx.table);
  if (!s) { s = { dest: new Map(), nextHop: new Map() }; perTable.set(cx.table, s); }
  return s;
}

/**
 * Writes the holders of record `h` into the core and forgets a free lock. A destination that became
 * free may have expiries waiting for it (rule 4): the scheduler is re-armed.
 */
function settle(cx: Ctx, kind: LockKind, h: number, l: Lock): void {
  const L = cx.L, word = l.holderWord(L.LOCK_NONE, L.LOCK_MULTI), map = tables(cx)[kind];
  if (kind === 'dest') {
    if (!cx.inst.isClosed && cx.x.destFromHandle(cx.t, h) === 0) check(cx.x.destSetLock(cx.t, readResult(cx.core, 0), word), 'destSetLock');
    if (l.isFree() && map.delete(h)) cx.inst.scheduler.armTimers();
  } else {
    if (l.isFree()) map.delete(h);
    if (!cx.inst.isClosed && cx.x.nexthopFromHandle(h) === 0) check(cx.x.nexthopSetLock(h, word), 'nexthopSetLock');
  }
}

/** Takes the lock on record `h` (rule 2). @throws ERROR_BUSY */
export function acquire(cx: Ctx, kind: LockKind, h: number, exclusive: boolean, op: string): void {
  const map = tables(cx)[kind];
  let l = map.get(h);
  if (!l) { l = new Lock(); map.set(h, l); }
  try {
    if (exclusive) {
      if (l.heldByOther(cx)) throw new RtmError('ERROR_BUSY', op, 'held by another entity');
      l.excl = cx;
      l.exclCount++;
    } else {
      if (l.excl !== null && l.excl !== cx) throw new RtmError('ERROR_BUSY', op, 'held exclusively by another entity');
      l.shared.set(cx, (l.shared.get(cx) ?? 0) + 1);
    }
  } finally {
    settle(cx, kind, h, l);
  }
}

/** Gives back one hold of the lock on record `h` in that mode (rule 3). @throws ERROR_NOT_LOCKED */
export function release(cx: Ctx, kind: LockKind, h: number, exclusive: boolean, op: string): void {
  const l = tables(cx)[kind].get(h);
  if (!l) throw new RtmError('ERROR_NOT_LOCKED', op, 'not locked');
  if (exclusive) {
    if (l.excl !== cx) throw new RtmError('ERROR_NOT_LOCKED', op, 'not held exclusively by the caller');
    if (--l.exclCount === 0) l.excl = null;
  } else {
    const c = l.shared.get(cx) ?? 0;
    if (c === 0) throw new RtmError('ERROR_NOT_LOCKED', op, 'not held shared by the caller');
    if (c === 1) l.shared.delete(cx); else l.shared.set(cx, c - 1);
  }
  settle(cx, kind, h, l);
}

/** True if the caller holds the lock on record `h` exclusively. */
export function holdsExclusive(cx: Ctx, kind: LockKind, h: number): boolean {
  return tables(cx)[kind].get(h)?.excl === cx;
}

/** Deregistration (rule 6): releases every lock the caller takes part in. */
export function releaseAllOf(cx: Ctx): void {
  const t = tables(cx);
  for (const kind of ['dest', 'nextHop'] as const) {
    for (const [h, l] of [...t[kind]]) {
      if (!l.heldBy(cx)) continue;
      l.dropAll(cx);
      settle(cx, kind, h, l);
    }
  }
}
