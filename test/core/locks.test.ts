// Lock records, route lists and parked timer entries in the core (issue 9 item 3: assembly/locks.ts,
// lists.ts, timers.ts), driven directly on a private debug core — no facade, so no JS mirror can answer
// for them: lock modes, recursion, ERROR_BUSY / ERROR_NOT_LOCKED, the holder summary other entities'
// changes are refused by, records and cells counted by lockStat, a lock going with its next hop or its
// destination,
// deregistration dropping the entity's locks and destroying its lists, expiries of a locked destination
// parked until the last lock goes (in deadline order, a re-arm replacing the deadline), and a seeded
// random stream of lock calls against a naive model. checkInvariants (lock records, parked entries) runs
// after every step.
import { describe, expect, it } from 'vitest';
import { createCoreSync, type Core } from '../../src/core.js';
import { mulberry32 } from '../helpers/random.js';
import { xOf, K, type X } from '../helpers/corerecords.js';

const OK = 0, INVALID_HANDLE = 6, NOT_LOCKED = 158, BUSY = 170, NO_MORE_ITEMS = 259;

class Bench {
  readonly core: Core = createCoreSync('debug');
  readonly x: X = xOf(this.core);
  readonly t4: number;
  constructor() {
    this.ok(this.x.tableCreate(4, 3), 'tableCreate');
    this.t4 = this.core.res(0);
    this.ok(this.x.tableSetMaxHops(this.t4, 8), 'tableSetMaxHops');
  }
  k(name: string): number { return K(this.core, name); }
  ok(s: number, what: string): void { if (s !== OK) throw new Error(`${what}: status ${s}`); }
  key(addr: number): void {
    const u = this.core.u32(), b = this.core.io + this.core.IO_IN;
    u[b] = addr >>> 0; u[b + 1] = 0; u[b + 2] = 0; u[b + 3] = 0;
  }
  register(proto: number, inst = 1): number {
    this.ok(this.x.entityRegister(this.t4, proto, inst), 'entityRegister');
    return this.x.handleOfX(this.k('KIND_ENTITY'), this.core.res(0));
  }
  dest(addr: number, len: number): number {
    this.key(addr);
    this.ok(this.x.destEnsureX(this.t4, len), 'destEnsureX');
    return this.x.destHandle(this.t4, this.core.res(0));
  }
  destSlot(dh: number): number { this.ok(this.x.destFromHandle(this.t4, dh), 'destFromHandle'); return this.core.res(0); }
  nextHop(eh: number, addr: number): number {
    this.key(addr);
    this.ok(this.x.nexthopAdd(eh, 32, 1, 0, 0, 0), 'nexthopAdd');
    return this.x.handleOfX(this.k('KIND_NEXTHOP'), this.core.res(0));
  }
  /** A route of eh to addr/len via nh; deadline in ms (-1 = none). Returns [status, route handle]. */
  route(eh: number, addr: number, len: number, nh: number, deadline = -1): [number, number] {
    this.key(addr);
    const f = this.core.f64();
    f[(this.core.io + this.k('IO_HOPS')) / 2] = nh;
    const s = this.x.routeAdd(eh, len, 0, nh, 1, 0, 0, 1, 0, 0, 0x2, 0, deadline, 0);
    return [s, s === OK ? this.x.handleOfX(this.k('KIND_ROUTE'), this.core.res(0)) : 0];
  }
  lock(eh: number, dh: number, excl: boolean, kind = this.k('LOCK_K_DEST')): number { return this.x.lockX(eh, kind, dh, excl ? 1 : 0); }
  unlock(eh: number, dh: number, excl: boolean, kind = this.k('LOCK_K_DEST')): number { return this.x.unlockX(eh, kind, dh, excl ? 1 : 0); }
  held(eh: number, dh: number, kind = this.k('LOCK_K_DEST')): [number, number, number] {
    this.ok(this.x.lockHeldX(eh, kind, dh), 'lockHeldX');
    return [this.core.res(0), this.core.res(1), this.core.res(2)];
  }
  stat(): [number, number, number] { return [this.x.lockStat(0), this.x.lockStat(1), this.x.lockStat(2)]; }
  inv(): void { expect(this.x.checkInvariants(this.t4)).toBe(0); }
  slot(h: number): number { return h % 2 ** 25; }
  /** Pops every timer entry due at `now`: the route slots, in order. */
  popDue(now: number): number[] {
    const out: number[] = [];
    for (;;) {
      const s = this.x.timerPop(this.t4, now);
      if (s === NO_MORE_ITEMS) return out;
      this.ok(s, 'timerPop');
      out.push(this.core.res(0));
    }
  }
}

describe('lock records in the core', () => {
  it('modes, recursion, the holder summary, ERROR_BUSY for others, ERROR_NOT_LOCKED, records and cells freed', () => {
    const b = new Bench();
    const A = b.register(1), B = b.register(2), C = b.register(3);
    const nA = b.nextHop(A, 0x0a000001), nB = b.nextHop(B, 0x0a000002);
    const [, rA] = b.route(A, 0x0b000000, 8, nA);
    const d = b.dest(0x0b000000, 8), ds = b.slot(d);
    const base = b.stat();
    expect(b.held(A, d)).toEqual([0, 0, b.k('LOCK_NONE')]);
    expect(b.unlock(A, d, false)).toBe(NOT_LOCKED);
    // exclusive, twice (recursion): one record, no cell; B's change and B's locks are refused
    expect(b.lock(A, d, true)).toBe(OK);
    expect(b.lock(A, d, true)).toBe(OK);
    expect(b.stat()).toEqual([base[0] + 1, base[1], 0]);
    expect(b.held(A, d)).toEqual([2, 0, b.slot(A)]);
    expect(b.held(B, d)).toEqual([0, 0, b.slot(A)]);
    b.inv();
    expect(b.route(B, 0x0b000000, 8, nB)[0]).toBe(BUSY);
    expect(b.lock(B, d, false)).toBe(BUSY);
    expect(b.lock(B, d, true)).toBe(BUSY);
    expect(b.route(A, 0x0b000000, 8, nA)[0]).toBe(OK);            // the holder itself proceeds
    // the holder may add a shared hold beside its exclusive one; B still may not
    expect(b.lock(A, d, false)).toBe(OK);
    expect(b.held(A, d)).toEqual([2, 1, b.slot(A)]);
    expect(b.stat()).toEqual([base[0] + 1, base[1] + 1, 0]);
    b.inv();
    expect(b.unlock(A, d, true)).toBe(OK);
    expect([b.core.res(0), b.core.res(1)]).toEqual([1, 0]);
    expect(b.unlock(A, d, true)).toBe(OK);
    expect([b.core.res(0), b.core.res(1)]).toEqual([0, 0]);        // still held shared
    expect(b.unlock(A, d, true)).toBe(NOT_LOCKED);
    // shared by A, B, C: LOCK_MULTI; an exclusive request by any of them is refused
    expect(b.lock(B, d, false)).toBe(OK);
    expect(b.lock(C, d, false)).toBe(OK);
    expect(b.lock(C, d, false)).toBe(OK);
    expect(b.held(C, d)).toEqual([0, 2, b.k('LOCK_MULTI')]);
    expect(b.stat()).toEqual([base[0] + 1, base[1] + 3, 0]);
    expect(b.lock(A, d, true)).toBe(BUSY);
    expect(b.route(A, 0x0b000000, 8, nA)[0]).toBe(BUSY);          // locked by others
    b.inv();
    expect(b.unlock(A, d, false)).toBe(OK);
    expect(b.unlock(B, d, false)).toBe(OK);
    expect(b.held(A, d)).toEqual([0, 0, b.slot(C)]);
    expect(b.route(C, 0x0b000000, 8, b.nextHop(C, 0x0a000003))[0]).toBe(OK);
    expect(b.unlock(C, d, false)).toBe(OK);
    expect(b.core.res(1)).toBe(0);
    expect(b.unlock(C, d, false)).toBe(OK);
    expect(b.core.res(1)).toBe(1);                                 // the lock is free: record and cells gone
    expect(b.stat()).toEqual(base);
    expect(b.held(A, d)).toEqual([0, 0, b.k('LOCK_NONE')]);
    expect(b.x.lockDropAllX(A)).toBe(OK);
    b.inv();
    expect(rA).toBeGreaterThan(0);
    // bad handles and kinds
    expect(b.lock(A, nA, true)).toBe(INVALID_HANDLE);              // a next hop named as a destination
    expect(b.lock(A, d, true, 7)).toBe(87);
    expect(b.lock(0, d, true)).toBe(INVALID_HANDLE);
    expect(ds).toBeGreaterThanOrEqual(0);
  });

  it('a next-hop lock goes with its next hop; deregistration drops every lock of the entity and destroys its lists', () => {
    const b = new Bench();
    const A = b.register(1), B = b.register(2);
    const nA = b.nextHop(A, 0x0a000001), nB = b.nextHop(B, 0x0a000002);
    const NH = b.k('LOCK_K_NEXTHOP');
    const base = b.stat(), lists = b.x.listCount();
    // A holds its next hop shared, B a reference on it; A deletes it; the lock lives until the record goes
    expect(b.x.refTakeX(B, nA)).toBe(OK);
    expect(b.lock(A, nA, false, NH)).toBe(OK);
    expect(b.lock(B, nA, false, NH)).toBe(OK);
    expect(b.x.nexthopDelete(A, nA, 0, 0)).toBe(BUSY);              // B holds it too
    expect(b.unlock(B, nA, false, NH)).toBe(OK);
    expect(b.x.nexthopDelete(A, nA, 0, 0)).toBe(OK);
    expect(b.stat()).toEqual([base[0] + 1, base[1] + 1, 0]);
    b.inv();
    expect(b.x.refDropX(B, nA)).toBe(OK);                          // the record is freed, its lock with it
    expect(b.stat()).toEqual(base);
    b.inv();
    // A: locks on four destinations (one shared with B), a next-hop lock, two lists
    const ds = [0x0b000000, 0x0c000000, 0x0d000000, 0x0e000000].map((a) => b.dest(a, 8));
    for (const d of ds) expect(b.lock(A, d, d === ds[0] ? false : true)).toBe(OK);
    expect(b.lock(B, ds[0], false)).toBe(OK);
    const nA2 = b.nextHop(A, 0x0a000009);
    expect(b.lock(A, nA2, true, NH)).toBe(OK);
    expect(b.lock(A, nB, false, NH)).toBe(OK);
    for (let i = 0; i < 2; i++) expect(b.x.listCreateX(A)).toBe(OK);
    expect(b.x.listCreateX(B)).toBe(OK);
    expect(b.x.listCount()).toBe(lists + 3);
    expect(b.stat()[0]).toBe(base[0] + 6);
    b.inv();
    expect(b.x.entityDeregisterReserve(A)).toBe(OK);
    expect(b.x.entityDeregister(A)).toBe(OK);
    expect(b.x.listCount()).toBe(lists + 1);                       // B's list stays
    expect(b.stat()).toEqual([base[0] + 1, base[1] + 1, 0]);       // only B's shared lock on ds[0]
    expect(b.held(B, ds[0])).toEqual([0, 1, b.slot(B)]);
    b.inv();
    expect(b.x.lockDropAllX(B)).toBe(OK);
    expect(b.core.res(0)).toBe(1);
    expect(b.stat()).toEqual(base);
    b.inv();
  });

  it('a locked destination\'s expiries are parked until the last lock goes, then run in deadline order', () => {
    const b = new Bench();
    const A = b.register(1), B = b.register(2);
    const nA = b.nextHop(A, 0x0a000001);
    // r1 (deadline 30) and r2 (deadline 10) on P, r3 (deadline 20) on Q; r2 was created after r1
    const [, r1] = b.route(A, 0x0b000000, 8, nA, 30);
    const [, r2] = b.route(A, 0x0b000000, 16, nA, 10);
    const [, r3] = b.route(A, 0x0c000000, 8, nA, 20);
    const [, r4] = b.route(A, 0x0b000000, 8, b.nextHop(A, 0x0a000002), 10);   // P again: two entries of P
    const P = b.dest(0x0b000000, 8);
    expect(b.lock(B, P, false)).toBe(OK);
    expect(b.x.timerNext(b.t4)).toBe(10);                          // r2 (P/16 is another destination)
    expect(b.popDue(10)).toEqual([b.slot(r2)]);                    // r4 (P, 10) is parked, not due
    expect(b.stat()[2]).toBe(1);
    b.inv();
    expect(b.x.timerNext(b.t4)).toBe(20);
    expect(b.popDue(40)).toEqual([b.slot(r3)]);                    // r1 (P, 30) parked too
    expect(b.stat()[2]).toBe(2);
    expect(b.x.timerNext(b.t4)).toBe(Infinity);
    b.inv();
    // a re-arm while parked replaces the deadline and keeps it parked
    const rearm = b.x.routeRearm(A, r1, 50, 0);
    expect(rearm).toBe(OK);
    expect(b.stat()[2]).toBe(2);
    b.inv();
    // A second lock then the release of the first: still locked, still parked
    expect(b.lock(A, P, false)).toBe(OK);
    expect(b.unlock(B, P, false)).toBe(OK);
    expect(b.x.timerNext(b.t4)).toBe(Infinity);
    expect(b.unlock(A, P, false)).toBe(OK);                        // the last lock: both entries take their deadlines back
    expect(b.core.res(1)).toBe(1);
    expect(b.stat()[2]).toBe(0);
    b.inv();
    expect(b.x.timerNext(b.t4)).toBe(10);
    expect(b.popDue(40)).toEqual([b.slot(r4)]);                    // r1 waits for its new deadline
    expect(b.popDue(50)).toEqual([b.slot(r1)]);
    // a parked entry whose route is deleted leaves the count
    const [, r5] = b.route(A, 0x0d000000, 8, nA, 60);
    const R = b.dest(0x0d000000, 8);
    expect(b.lock(A, R, true)).toBe(OK);
    expect(b.popDue(70)).toEqual([]);
    expect(b.stat()[2]).toBe(1);
    expect(b.x.routeDeleteX(A, r5)).toBe(OK);
    expect(b.stat()).toEqual([0, 0, 0]);                           // R left the table: its lock record went with it
    expect(b.unlock(A, R, true)).toBe(INVALID_HANDLE);
    b.inv();
  });

  it('a random stream of lock calls agrees with a naive model; invariants hold throughout', () => {
    const b = new Bench();
    const next = mulberry32(9), rnd = (): number => next() / 4294967296;
    const ents = [1, 2, 3, 4].map((p) => b.register(p));
    const nhs = ents.map((e, i) => b.nextHop(e, 0x0a000000 + i));
    for (let i = 0; i < 6; i++) b.route(ents[i % 4], 0x0b000000 + (i << 16), 16, nhs[i % 4], 5 + i);
    const dests = Array.from({ length: 6 }, (_, i) => b.dest(0x0b000000 + (i << 16), 16));
    type M = { excl: number; exclCount: number; shared: Map<number, number> };
    const model = new Map<string, M>();
    const get = (k: string): M => { let m = model.get(k); if (!m) { m = { excl: -1, exclCount: 0, shared: new Map() }; model.set(k, m); } return m; };
    const free = (m: M) => m.excl < 0 && m.shared.size === 0;
    let now = 0;
    for (let step = 0; step < 3000; step++) {
      const ei = Math.floor(rnd() * 4), e = ents[ei];
      const nh = rnd() < 0.25;
      const target = nh ? nhs[Math.floor(rnd() * 4)] : dests[Math.floor(rnd() * dests.length)];
      const kind = nh ? b.k('LOCK_K_NEXTHOP') : b.k('LOCK_K_DEST');
      const key = `${kind}:${target}`, m = get(key), excl = rnd() < 0.4;
      if (rnd() < 0.55) {
        const othersShared = [...m.shared.keys()].some((x) => x !== ei);
        const want = (m.excl >= 0 && m.excl !== ei) || (excl && othersShared) ? BUSY : OK;
        expect(b.lock(e, target, excl, kind), `lock ${step}`).toBe(want);
        if (want === OK) {
          if (excl) { m.excl = ei; m.exclCount++; } else m.shared.set(ei, (m.shared.get(ei) ?? 0) + 1);
        }
      } else {
        const has = excl ? m.excl === ei : m.shared.has(ei);
        expect(b.unlock(e, target, excl, kind), `unlock ${step}`).toBe(has ? OK : NOT_LOCKED);
        if (has && excl) { if (--m.exclCount === 0) m.excl = -1; }
        if (has && !excl) { const c = m.shared.get(ei)!; if (c === 1) m.shared.delete(ei); else m.shared.set(ei, c - 1); }
      }
      if (rnd() < 0.1) { now += 1; b.popDue(now); }
      if (step % 50 === 0) {
        b.inv();
        const records = [...model.values()].filter((x) => !free(x));
        expect(b.x.lockStat(0)).toBe(records.length);
        expect(b.x.lockStat(1)).toBe(records.reduce((s, x) => s + x.shared.size, 0));
        for (const [k, x] of model) {
          const [kk, t] = k.split(':').map(Number);
          for (let i = 0; i < 4; i++) {
            expect(b.held(ents[i], t, kk)).toEqual([
              x.excl === i ? x.exclCount : 0, x.shared.get(i) ?? 0,
              free(x) ? b.k('LOCK_NONE') : new Set([...(x.excl >= 0 ? [x.excl] : []), ...x.shared.keys()]).size > 1 ? b.k('LOCK_MULTI') : b.slot(ents[x.excl >= 0 ? x.excl : [...x.shared.keys()][0]]),
            ]);
          }
        }
      }
    }
    for (const e of ents) expect(b.x.lockDropAllX(e)).toBe(OK);
    expect(b.stat()).toEqual([0, 0, 0]);
    b.inv();
  });
});
