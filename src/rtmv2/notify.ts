// Change notification (spec §7.8, §8.9): registrations, their queues and marks live in the core
// (assembly/notify.ts), which also answers who owns a registration and its views (notifyInfo). This file
// keeps only what is JavaScript by nature — each registration's NotifyContext and the changed-destination
// records handed out and not yet released (RtmReleaseChangedDests, not RtmReleaseDests, gives them back,
// D-60) — and turns the core's signal list into one scheduled RTM_CHANGE_NOTIFICATION callback per
// registration. Allocates one record object per pulled destination.
import { RtmError, STATUS, check, fmt } from '../errors.js';
import {
  RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST, RTM_CHANGE_TYPE_FORWARDING, RTM_NOTIFY_ONLY_MARKED_DESTS,
} from '../constants.js';
import { type DestInfoFields, readDestRecords, readOutSlots, readResult } from '../port/records.js';
import type { DestHandle, DestInfo, DestViewInfo, EnumBatch, NotifyHandle, NotifyOptions } from '../types.js';
import type { Ctx, Instance } from './context.js';
import { entityBySlot } from './registry.js';
import { anyViewsArg, arrayArg, countArg, live, opts } from './args.js';
import { Dropper } from './refs.js';

const TYPES = RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING;
type DestOptions = { notifyHandle: NotifyHandle; dest: DestHandle; mark?: boolean };
const DEST_KEYS: readonly (keyof DestOptions)[] = ['notifyHandle', 'dest', 'mark'];
type ListOptions = { notifyHandle: NotifyHandle; dests: readonly unknown[]; count?: number };
const LIST_KEYS: readonly (keyof ListOptions)[] = ['notifyHandle', 'dests', 'count'];

/** What JavaScript keeps per registration (the rest is read from the core). */
interface Registration {
  readonly context: unknown;
}

/** The registrations of each instance, by notify handle. */
const perInstance = new WeakMap<Instance, Map<number, Registration>>();

/**
 * The changed-destination records of one instance handed out and not yet released, in the order they
 * were handed out (a released record leaves a hole): the D-60 check of RtmReleaseDestInfo /
 * RtmReleaseDests, a deregistration's clean-up and the release of a copy walk it. Membership and the
 * registration live in the record itself (ChangeRecord's private fields), so handing a record out and
 * taking it back costs no hashing of the object. Records released in the order they were handed out (a
 * drain) only move `head` past the holes before it, and the list starts again empty once nothing is
 * pending; holes after `head` are compacted once they are the majority, and so is a long run of them
 * before it.
 */
class PendingList {
  items: (ChangeRecord | undefined)[] = [];
  /** Every entry before items[head] is a hole. */
  head = 0;
  /** Holes at or after head. */
  holes = 0;
}

/**
 * A DestInfo that getChangedDests hands out: the fields of port/records.ts's readDestRecord (one fixed
 * shape, set once by the constructor: declared, not initialised), plus private fields naming the pending
 * list and registration it belongs to and its place in the list (enlist; a copy of the record, made by
 * the caller, has none of them).
 */
class ChangeRecord implements DestInfoFields {
  declare handle: DestHandle;
  declare prefix: string;
  declare address: DestInfo['address'];
  declare lastChanged: number;
  declare views: number;
  declare viewInfo: DestViewInfo[];
  #list: PendingList | undefined;
  #reg: Registration | undefined;
  #idx: number;
  /** A new record, put at the end of pending list `to.list` as a record of registration `to.reg`. */
  constructor(handle: DestHandle, prefix: string, address: DestInfo['address'], lastChanged: number, views: number,
    viewInfo: DestViewInfo[], to: Enlist) {
    this.handle = handle;
    this.prefix = prefix;
    this.address = address;
    this.lastChanged = lastChanged;
    this.views = views;
    this.viewInfo = viewInfo;
    const list = to.list;
    this.#list = list;
    this.#reg = to.reg;
    this.#idx = list.items.length;
    list.items.push(this);
  }
  /** The registration whose pending record x is in list `list`, or undefined (not a pending record of it). */
  static regOf(x: unknown, list: PendingList): Registration | undefined {
    return typeof x === 'object' && x !== null && #list in x && x.#list === list ? x.#reg : undefined;
  }
  /** regOf for a value known to be a ChangeRecord (it passed regOf before): no brand check. */
  static regOfRecord(x: ChangeRecord, list: PendingList): Registration | undefined {
    return x.#list === list ? x.#reg : undefined;
  }
  /** Takes pending record x out of its list (it is a plain, released record from now on). */
  static unlist(x: ChangeRecord): void {
    const list = x.#list!, items = list.items;
    items[x.#idx] = undefined;
    x.#list = undefined;
    x.#reg = undefined;
    if (x.#idx === list.head) {
      // the first pending record: head moves past it and the holes after it
      let h = list.head + 1;
      while (h < items.length && items[h] === undefined) { h++; list.holes--; }
      list.head = h;
    } else {
      list.holes++;
    }
    const live = items.length - list.head - list.holes;
    if (live === 0) {
      items.length = 0;
      list.head = 0;
      list.holes = 0;
    } else if ((list.holes > 64 && 2 * list.holes > items.length - list.head) || (list.head > 4096 && list.head > 3 * live)) {
      let n = 0;
      for (let i = list.head; i < items.length; i++) {
        const y = items[i];
        if (y !== undefined) { y.#idx = n; items[n++] = y; }
      }
      items.length = n;
      list.head = 0;
      list.holes = 0;
    }
  }
}

/** Where getChangedDests puts the records it makes (ChangeRecord's last constructor argument). */
interface Enlist {
  readonly list: PendingList;
  readonly reg: Registration;
}

const pendingOf = new WeakMap<Instance, PendingList>();

function regsOf(inst: Instance): Map<number, Registration> {
  let m = perInstance.get(inst);
  if (!m) { m = new Map(); perInstance.set(inst, m); }
  return m;
}

function pending(inst: Instance): PendingList {
  let m = pendingOf.get(inst);
  if (!m) { m = new PendingList(); pendingOf.set(inst, m); }
  return m;
}

/** True if `info` is a record RtmGetChangedDests handed out and RtmReleaseChangedDests has not taken back. */
export function isChangeRecord(cx: Ctx, info: unknown): boolean {
  return ChangeRecord.regOf(info, pending(cx.inst)) !== undefined;
}

/** The core's answer for a live registration handle: owner entity slot, table slot, views; undefined if dead. */
function coreInfo(cx: Ctx, h: number): { owner: number; t: number; views: number } | undefined {
  if (cx.x.notifyInfo(h) !== 0) return undefined;
  return { owner: readResult(cx.core, 0), t: readResult(cx.core, 1), views: readResult(cx.core, 2) };
}

/** RtmRegisterForChangeNotification. */
export function register(cx: Ctx, options: NotifyOptions): NotifyHandle {
  const op = 'registerForChangeNotification';
  live(cx, op);
  const s = cx.inst.schedulerIfAny;   // (no scheduler: no callback is running)
  if (s !== undefined && s.inChangeCallback > 0) throw new RtmError('ERROR_BUSY', op, 'inside a change-notification callback');
  if (!options || typeof options !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
  const o = opts<NotifyOptions>(options, ['notifyFlags', 'views', 'context'], op);
  const flags = o.notifyFlags;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || (flags & TYPES) === 0 || (flags & ~(TYPES | RTM_NOTIFY_ONLY_MARKED_DESTS)) !== 0) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `notifyFlags ${fmt(flags)}`);
  }
  const views = anyViewsArg(cx, o.views, op);
  const max = cx.inst.options.maxNotifyRegistrations ?? 32;
  const regs = regsOf(cx.inst);
  let inTable = 0;
  for (const h of regs.keys()) if (coreInfo(cx, h)?.t === cx.t) inTable++;
  if (inTable >= max) throw new RtmError('ERROR_NO_SYSTEM_RESOURCES', op, `at most ${max} registrations per table`);
  check(cx.x.notifyRegister(cx.handle, views, flags), op);
  const handle = cx.x.handleOfX(cx.L.KIND_NOTIFY, readResult(cx.core, 0)) as NotifyHandle;
  regs.set(handle, { context: o.context ?? null });
  return handle;
}

/** The caller's registration behind a handle, and its views. @throws ERROR_INVALID_HANDLE */
function reg(cx: Ctx, h: unknown, op: string): { r: Registration; h: NotifyHandle; views: number } {
  const r = typeof h === 'number' ? regsOf(cx.inst).get(h) : undefined;
  const info = r ? coreInfo(cx, h as number) : undefined;
  if (!r || !info || info.owner !== cx.slot || info.t !== cx.t) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a notification registration of this entity');
  }
  return { r, h: h as NotifyHandle, views: info.views };
}

/**
 * RtmGetChangedDests: current state of up to `count` queued destinations, records for releaseChangedDests.
 * One notifyGetChangedR call per REC_CHANGED_MAX destinations (it checks the registration, pops, writes
 * the records and takes the references); the JS registration is looked up only for its record set.
 */
export function getChanged(cx: Ctx, options: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> {
  const op = 'getChangedDests';
  live(cx, op);
  const o = opts<ListOptions>(options, LIST_KEYS, op);
  const h = o.notifyHandle;
  const r = typeof h === 'number' ? regsOf(cx.inst).get(h) : undefined;
  let count: number;
  try {
    if (!r) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a notification registration of this entity');
    count = countArg(cx, o.count, op);
  } catch (e) {
    reg(cx, h, op);   // spec D-05: a handle that is not the caller's registration is reported first
    throw e;
  }
  // the first call's records fill an array made at their number (most drains need one call: count ≤
  // REC_CHANGED_MAX), later calls' records are appended
  let items: ChangeRecord[] | undefined;
  const to: Enlist = { list: pending(cx.inst), reg: r! };
  let done = false, got = 0;
  do {   // count 0 still asks once: `done` says whether the queue is empty
    const s = cx.x.notifyGetChangedR(cx.handle, h!, count - got);
    if (s === STATUS.ERROR_INVALID_HANDLE) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a notification registration of this entity');
    check(s, op);
    const n = readResult(cx.core, 0);
    done = readResult(cx.core, 1) === 1;
    items ??= new Array<ChangeRecord>(n);
    readDestRecords(cx.core, cx.family, n, ChangeRecord, items, got, to);   // each record enlisted as it is made
    got += n;
  } while (!done && got < count);
  return { items, done };
}

/** RtmReleaseChangedDests: records of this registration (or copies naming the same destination). */
export function releaseChanged(cx: Ctx, options: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void {
  const op = 'releaseChangedDests';
  live(cx, op);
  const o = opts<ListOptions>(options, LIST_KEYS, op);
  const { r } = reg(cx, o.notifyHandle, op);
  // every record, and the handle a copy names, read before the first is released (a pending record of r
  // is the library's own object: nothing of it is read until its references are given back)
  // own[i] (in arrayArg's copy of the array): the i-th value given when it was a pending record of r here
  // (the one brand check per value), else undefined; copied[i]: the handle of a copy
  const own = arrayArg<unknown>(o.dests, 'dests', op) as (ChangeRecord | undefined)[];
  const recs = pending(cx.inst);
  let copied: unknown[] | undefined;
  for (let i = 0; i < own.length; i++) {
    const d: unknown = own[i];
    if (ChangeRecord.regOf(d, recs) === r) continue;
    own[i] = undefined;
    if (d !== null && typeof d === 'object') (copied ??= new Array(own.length))[i] = opts<DestInfo>(d, ['handle'], op).handle;
  }
  let bad = 0;
  const drops = new Dropper(cx, op);
  for (let i = 0; i < own.length; i++) {
    const handle = copied?.[i];
    // still pending (a getter of a copy read above, or the same record given twice, may have released it)
    let rec = own[i];
    if (rec !== undefined && ChangeRecord.regOfRecord(rec, recs) !== r) rec = undefined;
    // a copy of a record names the same destination: the first pending record of r for it
    if (!rec && handle !== undefined) {
      for (const x of recs.items) if (x !== undefined && ChangeRecord.regOf(x, recs) === r && x.handle === handle) { rec = x; break; }
    }
    if (!rec) { bad++; continue; }
    ChangeRecord.unlist(rec);
    drops.destInfo(rec);
  }
  // the references of every record found, given back in one refDropManyX per REF_MANY_MAX handles
  const notHeld = drops.flush();
  if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} record(s) not pending for this registration`);
  if (notHeld > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${notHeld} handle(s) of the records not held`);
}

/** RtmIgnoreChangedDests: validates every handle, then drops pending changes. */
export function ignore(cx: Ctx, options: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void {
  const op = 'ignoreChangedDests';
  live(cx, op);
  const o = opts<ListOptions>(options, LIST_KEYS, op);
  const { h } = reg(cx, o.notifyHandle, op);
  const dests = arrayArg<unknown>(o.dests, 'dests', op);
  for (const d of dests) if (typeof d !== 'number' || cx.x.notifyStatus(cx.handle, h, d) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
  }
  for (const d of dests as number[]) check(cx.x.notifyIgnoreX(cx.handle, h, d), op);
}

/** RtmGetChangeStatus (queued) or RtmIsMarkedForChangeNotification (marked). */
export function status(cx: Ctx, options: { notifyHandle: NotifyHandle; dest: DestHandle }, marked: boolean): boolean {
  const op = marked ? 'isMarkedForChangeNotification' : 'getChangeStatus';
  live(cx, op);
  const o = opts<DestOptions>(options, DEST_KEYS, op);
  const { h } = reg(cx, o.notifyHandle, op);
  if (typeof o.dest !== 'number' || cx.x.notifyStatus(cx.handle, h, o.dest) !== 0) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
  }
  return readResult(cx.core, marked ? 1 : 0) === 1;
}

/** RtmMarkDestForChangeNotification. */
export function mark(cx: Ctx, options: { notifyHandle: NotifyHandle; dest: DestHandle; mark?: boolean }): void {
  const op = 'markDestForChangeNotification';
  live(cx, op);
  const o = opts<DestOptions>(options, DEST_KEYS, op);
  const { h } = reg(cx, o.notifyHandle, op);
  if (typeof o.dest !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
  check(cx.x.notifyMarkX(cx.handle, h, o.dest, o.mark === false ? 0 : 1), op);
}

/** RtmDeregisterFromChangeNotification: releases leftover records, cancels a scheduled callback. */
export function deregister(cx: Ctx, notifyHandle: NotifyHandle): void {
  const op = 'deregisterFromChangeNotification';
  live(cx, op);
  const { r, h } = reg(cx, notifyHandle, op);
  check(cx.x.notifyDeregister(cx.handle, h), op);
  forget(cx, h, r);
}

/** The JS side of a registration that ended in the core: its records are released, its callback cancelled. */
function forget(cx: Ctx, h: number, r: Registration): void {
  const recs = pending(cx.inst), drops = new Dropper(cx, 'releaseChangedDests');
  for (const rec of [...recs.items]) {
    if (rec === undefined || ChangeRecord.regOf(rec, recs) !== r) continue;
    ChangeRecord.unlist(rec);
    drops.destInfo(rec);
  }
  drops.flush();   // handles given back meanwhile are not held: nothing to do
  regsOf(cx.inst).delete(h);
  cx.inst.schedulerIfAny?.cancel((ev) => ev.c1 === h);
}

/** The caller's registrations (read before its deregistration, which destroys them in the core). */
export function registrationsOf(cx: Ctx): number[] {
  const out: number[] = [];
  for (const h of regsOf(cx.inst).keys()) {
    const info = coreInfo(cx, h);
    if (info && info.owner === cx.slot && info.t === cx.t) out.push(h);
  }
  return out;
}

/** After the caller's deregistration: forgets the registrations registrationsOf() listed. */
export function forgetAll(cx: Ctx, handles: readonly number[]): void {
  const regs = regsOf(cx.inst);
  for (const h of handles) {
    const r = regs.get(h);
    if (r) forget(cx, h, r);
  }
}

/** Turns the core's signal list into scheduled callbacks (called after every change). */
export function drainSignals(inst: Instance): void {
  const core = inst.core, x = core.x, regs = regsOf(inst), KIND_NOTIFY = inst.layout.KIND_NOTIFY;
  for (;;) {
    check(x.notifyDrain(core.IO_BATCH_MAX), 'notify');
    const n = readResult(core, 0);
    if (n === 0) return;
    for (const s of readOutSlots(core, n)) {
      const h = x.handleOfX(KIND_NOTIFY, s);
      const r = h === 0 ? undefined : regs.get(h);
      if (!r || x.notifyInfo(h) !== 0) continue;
      const owner = entityBySlot(inst, readResult(core, 0));
      if (!owner) continue;
      inst.scheduler.enqueue({
        to: owner, type: RTM_CHANGE_NOTIFICATION, c1: h, c2: r.context,
        before: () => { x.notifySignalDone(s); },
      });
    }
  }
}
