// Lock holders (spec §7.10 rules 1–3, 6; D-20, D-21): the core keeps who holds each destination and
// next-hop lock (assembly/locks.ts: one exclusive holder with a recursion count, or shared holders with
// counts), answers ERROR_BUSY to other entities' changes and parks expiries and hold ends of a locked
// destination (assembly/timers.ts). This file makes one core call per lock operation and re-arms the
// real-clock timer when a destination's last lock goes (its parked deadlines are due again). Allocates
// nothing.
import { RtmError, STATUS } from '../errors.js';
import { readResult } from '../port/records.js';
import type { Ctx } from './context.js';

/** Which records a lock holds. */
export type LockKind = 'dest' | 'nextHop';

const kindOf = (cx: Ctx, kind: LockKind): number => (kind === 'dest' ? cx.L.LOCK_K_DEST : cx.L.LOCK_K_NEXTHOP);

/** Takes the lock on record handle `h` (rule 2). @throws ERROR_BUSY, ERROR_NOT_ENOUGH_MEMORY (nothing changed) */
export function acquire(cx: Ctx, kind: LockKind, h: number, exclusive: boolean, op: string): void {
  const s = cx.x.lockX(cx.handle, kindOf(cx, kind), h, exclusive ? 1 : 0);
  if (s === 0) return;
  const why = s === STATUS.ERROR_BUSY ? (exclusive ? 'held by another entity' : 'held exclusively by another entity') : undefined;
  throw new RtmError(s, op, why);
}

/** Gives back one hold of the lock on record handle `h` in that mode (rule 3). @throws ERROR_NOT_LOCKED */
export function release(cx: Ctx, kind: LockKind, h: number, exclusive: boolean, op: string): void {
  const s = cx.x.unlockX(cx.handle, kindOf(cx, kind), h, exclusive ? 1 : 0);
  if (s !== 0) {
    throw new RtmError(s, op, s === STATUS.ERROR_NOT_LOCKED ? `not held ${exclusive ? 'exclusively' : 'shared'} by the caller` : undefined);
  }
  if (kind === 'dest' && readResult(cx.core, 1) === 1) cx.inst.armTimers();
}

/** True if the caller holds the lock on record handle `h` exclusively. */
export function holdsExclusive(cx: Ctx, kind: LockKind, h: number): boolean {
  if (cx.inst.isClosed || !cx.registered) return false;
  return cx.x.lockHeldX(cx.handle, kindOf(cx, kind), h) === 0 && readResult(cx.core, 0) > 0;
}

/** Deregistration (rule 6): releases every lock the caller takes part in. */
export function releaseAllOf(cx: Ctx): void {
  if (cx.inst.isClosed || cx.x.lockDropAllX(cx.handle) !== 0) return;
  if (readResult(cx.core, 0) > 0) cx.inst.armTimers();
}
