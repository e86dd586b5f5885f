// Change notification in the facade (spec §7.8, §8.9): registrations, queues and marks live in the core
// (assembly/notify.ts); this file keeps what is JavaScript by nature — each registration's NotifyContext
// and owner object, the changed-destination records handed out (so that RtmReleaseChangedDests, and not
// RtmReleaseDests, gives them back, D-60) — and turns the core's signal list into one scheduled
// RTM_CHANGE_NOTIFICATION callback per registration. Allocates one record object per pulled destination.
import { RtmError, RtmInternalError, check } from './errors.js';
import type { Entity } from './entity.js';
import type { DestHandle, DestInfo, EnumBatch, NotifyHandle, NotifyOptions } from './types.js';

export const RTM_CHANGE_NOTIFICATION = 3;
const TYPES = 0x7, ONLY_MARKED = 0x10000;

/** What the facade keeps per registration. */
interface Registration {
  readonly owner: Entity;
  readonly handle: NotifyHandle;
  readonly slot: number;
  readonly views: number;
  readonly context: unknown;
  /** Changed-destination records handed out and not yet released. */
  readonly records: Set<DestInfo>;
}

/** The notification state of one Rtm instance. */
export class NotifyLayer {
  private readonly byHandle = new Map<number, Registration>();
  private readonly bySlot = new Map<number, Registration>();
  /** Records of every registration (releaseDests refuses them). */
  readonly pendingRecords = new WeakSet<DestInfo>();

  /** RtmRegisterForChangeNotification. */
  register(e: Entity, o: NotifyOptions): NotifyHandle {
    const op = 'registerForChangeNotification';
    if (!o || typeof o !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
    const flags = o.notifyFlags;
    if (typeof flags !== 'number' || !Number.isInteger(flags) || (flags & TYPES) === 0 || (flags & ~(TYPES | ONLY_MARKED)) !== 0) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op, `notifyFlags 0x${Number(flags).toString(16)}`);
    }
    const views = o.views === 0 ? 0 : e.viewsArg(o.views, op);
    const max = e.rtm.options.maxNotifyRegistrations ?? 32;
    let mine = 0;
    for (const r of this.byHandle.values()) if (r.owner.family === e.family) mine++;
    if (mine >= max) throw new RtmError('ERROR_NO_SYSTEM_RESOURCES', op, `at most ${max} registrations per table`);
    check(e.call(op, () => e.x.notifyRegister(e.handle, views, flags)), op);
    const slot = e.res(0);
    const handle = e.handleOf(e.L.KIND_NOTIFY, slot) as NotifyHandle;
    const reg: Registration = { owner: e, handle, slot, views, context: o.context ?? null, records: new Set() };
    this.byHandle.set(handle, reg);
    this.bySlot.set(slot, reg);
    return handle;
  }

  private reg(e: Entity, h: unknown, op: string): Registration {
    const r = typeof h === 'number' ? this.byHandle.get(h) : undefined;
    if (!r || r.owner !== e) throw new RtmError('ERROR_INVALID_HANDLE', op, 'not a notification registration of this entity');
    return r;
  }

  /** RtmGetChangedDests: current state of up to `count` queued destinations, records for releaseChangedDests. */
  getChanged(e: Entity, o: { notifyHandle: NotifyHandle; count?: number }): EnumBatch<DestInfo> {
    const op = 'getChangedDests';
    const r = this.reg(e, o?.notifyHandle, op);
    const count = o.count ?? e.profile.maxHandlesInEnum;
    if (!Number.isInteger(count) || count < 0 || count > e.profile.maxHandlesInEnum) {
      throw new RtmError('ERROR_INVALID_PARAMETER', op, `count ${count} above MaxHandlesInEnum`);
    }
    check(e.x.notifyGetChanged(e.handle, r.handle, count), op);
    const n = e.res(0), done = e.res(1) === 1;
    const c = e.rtm.core;
    const slots = Array.from(c.u32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + n));
    const items: DestInfo[] = [];
    for (const d of slots) {
      const info = e.destInfoOf(d, { views: r.views === 0 ? 0 : r.views, protocolId: 0 }, op);
      e.x.destUnkeepX(e.table.core.t, d);    // the queue's keep; the record's references hold it now
      r.records.add(info);
      this.pendingRecords.add(info);
      items.push(info);
    }
    return { items, done };
  }

  /** RtmReleaseChangedDests: records of this registration (or copies naming the same destination). */
  releaseChanged(e: Entity, o: { notifyHandle: NotifyHandle; dests: readonly DestInfo[] }): void {
    const op = 'releaseChangedDests';
    const r = this.reg(e, o?.notifyHandle, op);
    if (!Array.isArray(o.dests)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'dests must be an array');
    let bad = 0;
    for (const d of o.dests) {
      let rec: DestInfo | undefined = r.records.has(d) ? d : undefined;
      if (!rec) for (const x of r.records) if (x.handle === d?.handle) { rec = x; break; }
      if (!rec) { bad++; continue; }
      r.records.delete(rec);
      this.pendingRecords.delete(rec);
      try { e.releaseRecord(rec); } catch (err) { if (err instanceof RtmInternalError) throw err; bad++; }
    }
    if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} record(s) not pending for this registration`);
  }

  /** RtmIgnoreChangedDests: validates every handle, then drops pending changes. */
  ignore(e: Entity, o: { notifyHandle: NotifyHandle; dests: readonly DestHandle[] }): void {
    const op = 'ignoreChangedDests';
    const r = this.reg(e, o?.notifyHandle, op);
    if (!Array.isArray(o.dests)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'dests must be an array');
    for (const d of o.dests) if (typeof d !== 'number' || e.x.notifyStatus(e.handle, r.handle, d) !== 0) {
      throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
    }
    for (const d of o.dests) check(e.x.notifyIgnoreX(e.handle, r.handle, d), op);
  }

  /** RtmGetChangeStatus (queued) or RtmIsMarkedForChangeNotification (marked). */
  status(e: Entity, o: { notifyHandle: NotifyHandle; dest: DestHandle }, marked: boolean): boolean {
    const op = marked ? 'isMarkedForChangeNotification' : 'getChangeStatus';
    const r = this.reg(e, o?.notifyHandle, op);
    if (typeof o.dest !== 'number' || e.x.notifyStatus(e.handle, r.handle, o.dest) !== 0) {
      throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
    }
    return e.res(marked ? 1 : 0) === 1;
  }

  /** RtmMarkDestForChangeNotification. */
  mark(e: Entity, o: { notifyHandle: NotifyHandle; dest: DestHandle; mark?: boolean }): void {
    const op = 'markDestForChangeNotification';
    const r = this.reg(e, o?.notifyHandle, op);
    if (typeof o.dest !== 'number') throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
    check(e.x.notifyMarkX(e.handle, r.handle, o.dest, o.mark === false ? 0 : 1), op);
  }

  /** RtmDeregisterFromChangeNotification: releases leftover records, cancels a scheduled callback. */
  deregister(e: Entity, h: NotifyHandle): void {
    const op = 'deregisterFromChangeNotification';
    const r = this.reg(e, h, op);
    check(e.x.notifyDeregister(e.handle, r.handle), op);
    this.forget(r);
  }

  private forget(r: Registration): void {
    for (const rec of r.records) { this.pendingRecords.delete(rec); try { r.owner.releaseRecord(rec); } catch (err) { if (err instanceof RtmInternalError) throw err; } }
    r.records.clear();
    this.byHandle.delete(r.handle);
    this.bySlot.delete(r.slot);
    r.owner.rtm.cancelEvents((ev) => ev.c1 === r.handle);
  }

  /** The core destroyed every registration of an entity at deregistration: forget them here too. */
  entityGone(e: Entity): void {
    for (const r of [...this.byHandle.values()]) if (r.owner === e) this.forget(r);
  }

  /** Turns the core's signal list into scheduled callbacks (called after every change). */
  drainSignals(e: Entity): void {
    const c = e.rtm.core;
    for (;;) {
      check(e.x.notifyDrain(c.IO_BATCH_MAX), 'notify');
      const n = e.res(0);
      if (n === 0) return;
      const slots = Array.from(c.u32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + n));
      for (const s of slots) {
        const r = this.bySlot.get(s);
        if (!r) continue;
        e.rtm.enqueue({
          entity: r.owner, type: RTM_CHANGE_NOTIFICATION, c1: r.handle, c2: r.context,
          before: () => { e.x.notifySignalDone(s); },
        });
      }
    }
  }
}
