// Exports of change notification (spec §8.9): registration, pulling changed destinations, ignore,
// status, marks, and the signal list the facade drains to schedule RTM_CHANGE_NOTIFICATION callbacks.
// Validation order as in rtmapi.ts (D-05); a registration belongs to its creator (another entity's
// notify handle is ERROR_INVALID_HANDLE).
import { NIL, KIND_ENTITY, KIND_NOTIFY, KIND_DEST, ENTITY_TABLE, NOTIFY_OWNER, NOTIFY_TABLE, NOTIFY_VIEWS,
  NOTIFY_FLAGS, NOTIFY_SIGNALLED, CHANGE_TYPE_ALL, CHANGE_TYPE_BEST, CHANGE_TYPE_FORWARDING, NOTIFY_ONLY_MARKED,
  SLAB_NOTIFY, DESTX_MARKED, NOTIFY_INDEX, BESTLOG_WORDS } from './layout';
import { NO_ERROR, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, ERROR_NO_SYSTEM_RESOURCES,
  ERROR_NOT_ENOUGH_MEMORY } from './status';
import { IO_OUT, IO_BATCH_MAX, ioPtr, setRes } from './io';
import { slabReserve, slabIsAlive } from './slab';
import { handleSlot } from './handles';
import { entityGet, entityActive } from './entities';
import { destTable, destGet, destXGet, destXEnsure, destXTidy } from './dests';
import { notifyCreate, notifyDestroy, notifyPull, notifyPending, notifyIgnore, notifyMark, notifyDrainSignals,
  notifyGet, notifySet, bestLogWatch, bestLogTake, bestLogLen, bestLogTakeLost, queuedHas } from './notify';
import { tableValid } from './tables';

const TYPES: u32 = CHANGE_TYPE_ALL | CHANGE_TYPE_BEST | CHANGE_TYPE_FORWARDING;

/** The active entity a registration handle names, or NIL. */
export function entityOf(h: f64): u32 {
  let e = handleSlot(h, KIND_ENTITY);
  return e != NIL && entityActive(e) ? e : NIL;
}
/** The registration a notify handle names if entity e owns it, else NIL. */
export function notifyOf(e: u32, h: f64): u32 {
  let n = handleSlot(h, KIND_NOTIFY);
  return n != NIL && notifyGet(n, NOTIFY_OWNER) == e ? n : NIL;
}
/** The destination a handle names in registration n's table, else NIL. */
function destOf(n: u32, h: f64): u32 {
  let d = handleSlot(h, KIND_DEST);
  return d != NIL && destTable(d) == notifyGet(n, NOTIFY_TABLE) ? d : NIL;
}

/** RtmRegisterForChangeNotification (views already checked by the facade). RES0 = registration slot. */
export function notifyRegister(eh: f64, views: u32, flags: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  if ((flags & TYPES) == 0 || (flags & ~(TYPES | NOTIFY_ONLY_MARKED)) != 0) return ERROR_INVALID_PARAMETER;
  if (!slabReserve(SLAB_NOTIFY, 1)) return ERROR_NOT_ENOUGH_MEMORY;
  let n = notifyCreate(entityGet(e, ENTITY_TABLE), e, views, flags);
  if (n == NIL) return ERROR_NO_SYSTEM_RESOURCES;
  setRes(0, n);
  return NO_ERROR;
}

/** RtmDeregisterFromChangeNotification. */
export function notifyDeregister(eh: f64, nh: f64): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let n = notifyOf(e, nh);
  if (n == NIL) return ERROR_INVALID_HANDLE;
  notifyDestroy(n);
  return NO_ERROR;
}

/**
 * RtmGetChangedDests: pops up to max destinations → IO_OUT slots (each still pinned: the facade takes
 * its references, then unpins with destPinX). RES0 = count, RES1 = 1 if the queue is empty now.
 */
export function notifyGetChanged(eh: f64, nh: f64, max: u32): i32 {
  let e = entityOf(eh);
  if (e == NIL) return ERROR_INVALID_HANDLE;
  let n = notifyOf(e, nh);
  if (n == NIL) return ERROR_INVALID_HANDLE;
  if (max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  setRes(0, notifyPull(n, max, ioPtr(IO_OUT)));
  setRes(1, notifyPending(n) ? 0 : 1);
  return NO_ERROR;
}

// registration and destination of the last resolve() (valid when it returned true)
let rn: u32 = NIL, rd: u32 = NIL;
/** Resolves (registration handle, notify handle of that entity, destination of its table). */
function resolve(eh: f64, nh: f64, dh: f64): bool {
  let e = entityOf(eh);
  if (e == NIL) return false;
  rn = notifyOf(e, nh);
  if (rn == NIL) return false;
  rd = destOf(rn, dh);
  return rd != NIL;
}

/** RtmIgnoreChangedDests for one destination handle. */
export function notifyIgnoreX(eh: f64, nh: f64, dh: f64): i32 {
  if (!resolve(eh, nh, dh)) return ERROR_INVALID_HANDLE;
  notifyIgnore(rn, rd);
  return NO_ERROR;
}

/** RtmGetChangeStatus (RES0 = 1 if queued) / RtmIsMarkedForChangeNotification (RES1 = 1 if marked). */
export function notifyStatus(eh: f64, nh: f64, dh: f64): i32 {
  if (!resolve(eh, nh, dh)) return ERROR_INVALID_HANDLE;
  let n = rn, d = rd;
  let bit: u32 = 1 << notifyGet(n, NOTIFY_INDEX);
  setRes(0, queuedHas(destTable(d), d, notifyGet(n, NOTIFY_INDEX)) ? 1 : 0);
  setRes(1, (destXGet(d, DESTX_MARKED) & bit) != 0 ? 1 : 0);
  return NO_ERROR;
}

/** RtmMarkDestForChangeNotification. */
export function notifyMarkX(eh: f64, nh: f64, dh: f64, mark: u32): i32 {
  if (!resolve(eh, nh, dh)) return ERROR_INVALID_HANDLE;
  if (mark != 0 && !destXEnsure(rd)) return ERROR_NOT_ENOUGH_MEMORY;   // marks live in the extra record
  notifyMark(rn, rd, mark != 0);
  destXTidy(rd);
  return NO_ERROR;
}

/** Registrations whose callback became due → IO_OUT slots; RES0 = count. */
export function notifyDrain(max: u32): i32 {
  if (max > IO_BATCH_MAX) return ERROR_INVALID_PARAMETER;
  setRes(0, notifyDrainSignals(ioPtr(IO_OUT), max));
  return NO_ERROR;
}

/** Called when the callback of registration slot n is delivered: later queueing signals again. */
export function notifySignalDone(n: u32): i32 {
  if (!slabIsAlive(SLAB_NOTIFY, n)) return ERROR_INVALID_HANDLE;
  notifySet(n, NOTIFY_SIGNALLED, 0);
  return NO_ERROR;
}

/** Registration info: RES0 owner entity slot, RES1 table, RES2 views, RES3 flags. */
export function notifyInfo(nh: f64): i32 {
  let n = handleSlot(nh, KIND_NOTIFY);
  if (n == NIL) return ERROR_INVALID_HANDLE;
  setRes(0, notifyGet(n, NOTIFY_OWNER)); setRes(1, notifyGet(n, NOTIFY_TABLE));
  setRes(2, notifyGet(n, NOTIFY_VIEWS)); setRes(3, notifyGet(n, NOTIFY_FLAGS));
  return NO_ERROR;
}

/**
 * Starts (t = a table) or stops (t = NIL) the best-change log (notify.ts): every later change that fires
 * BEST in view 0 of table t logs its prefix, in order, until the facade takes them (bestLogTakeX).
 */
export function bestWatchX(t: u32): i32 {
  if (t != NIL && !tableValid(t)) return ERROR_INVALID_HANDLE;
  bestLogWatch(t);
  return NO_ERROR;
}

/**
 * Takes up to max logged changes, oldest first → IO_OUT (BESTLOG_WORDS each: key words, length). RES0 =
 * count, RES1 = 1 if more remain, RES2 = entries lost since the last take (the log was full; then reset).
 */
export function bestLogTakeX(max: u32): i32 {
  if (max * BESTLOG_WORDS > IO_BATCH_MAX * 4) return ERROR_INVALID_PARAMETER;
  setRes(0, bestLogTake(ioPtr(IO_OUT), max));
  setRes(1, bestLogLen > 0 ? 1 : 0);
  setRes(2, bestLogTakeLost());
  return NO_ERROR;
}
