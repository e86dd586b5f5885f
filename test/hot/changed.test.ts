// Entity.getChangedDestIds (API.md §6) against the reference model's getChangedDests + releaseChangedDests:
// both sides receive the same seeded stream of route adds / updates (with TTLs) / deletes, hold-downs,
// clock advances and marks, with four registrations of different views and change types (one restricted
// to marked destinations). The WASM side pulls mostly as destIds, sometimes as records that it keeps
// pending for a few operations; the model always pulls records. Every pull compares which destinations
// came back, in order; every operation compares the callbacks delivered (signalling and re-arming). Also:
// queues longer than one core call, callbacks that drain with ids, and bad arguments.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { handleSlotOf } from '../../src/layout.js';
import { formatPrefix } from '../../src/address.js';
import { BEST_FIELDS } from '../../src/table.js';
import {
  ERROR_NOT_SUPPORTED, NO_ERROR, PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST,
  RTM_CHANGE_TYPE_FORWARDING, RTM_NOTIFY_ONLY_MARKED_DESTS, RTM_ROUTE_EXPIRED, RTM_CHANGE_NOTIFICATION,
} from '../../src/win32/constants.js';
import type { DestInfo, EntityLike, NextHopHandle, NotifyHandle, RtmLike } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { createModel } from '../reference/model.js';
import { mulberry32, randomPrefixes } from '../helpers/random.js';
import { expectCode } from '../reference/fixture.js';

interface Side {
  clock: VirtualClock;
  rtm: RtmLike;
  entities: EntityLike[];
  nextHops: NextHopHandle[][];
  notifies: NotifyHandle[];
  events: string[];
  /** Records pulled with getChangedDests and not yet released: [registration, records, ops left]. */
  pending: [number, DestInfo[], number][];
}

function attempt<T>(f: () => T): T | string {
  try { return f(); } catch (e) { if (e instanceof RtmError) return `!${e.code}`; throw e; }
}

const PREFIXES = Array.from({ length: 60 }, (_, i) => (i < 6 ? `10.${i}.0.0/16` : `10.${i % 6}.${i}.0/24`));
const REGS: [number, number, number][] = [
  [0, 1, RTM_CHANGE_TYPE_BEST], [1, 0, RTM_CHANGE_TYPE_ALL], [2, 2, RTM_CHANGE_TYPE_FORWARDING],
  [1, 1, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS],
];

function makeSide(create: (o: { clock: VirtualClock }) => RtmLike): Side {
  const clock = new VirtualClock();
  const side: Side = { clock, rtm: create({ clock }), entities: [], nextHops: [], notifies: [], events: [], pending: [] };
  [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP].forEach((protocolId, ei) => {
    side.entities.push(side.rtm.registerEntity({ addressFamily: 'ipv4', protocolId, instanceId: 1 }, {
      onEvent: (type, c1) => {
        const ni = side.notifies.indexOf(c1 as NotifyHandle);
        side.events.push(`${ei}:${type}${type === RTM_CHANGE_NOTIFICATION ? `:n${ni}` : ''}`);
        return type === RTM_ROUTE_EXPIRED && ei < 2 ? ERROR_NOT_SUPPORTED : NO_ERROR;
      },
    }));
  });
  side.entities.forEach((e, ei) => {
    side.nextHops.push([1, 2].map((k) => e.addNextHop({ address: `192.0.2.${10 * ei + k}`, interfaceIndex: k }).handle!));
  });
  for (const [owner, views, notifyFlags] of REGS) side.notifies.push(side.entities[owner].registerForChangeNotification({ views, notifyFlags }));
  side.rtm.runPending();
  side.events.length = 0;
  return side;
}

describe('getChangedDestIds against the reference model', () => {
  it.each([1, 2, 3])('returns what getChangedDests would, in order, with the same callbacks (seed %i)', (seed) => {
    const rnd = mulberry32(seed * 104729);
    const OPS = 1200;
    const [model, wasm] = [makeSide((o) => createModel(o)), makeSide((o) => Rtm.createSync({ ...o, build: 'debug' }) as unknown as RtmLike)];
    const sides = [model, wasm];
    const w = wasm.rtm as unknown as Rtm;
    // destId → prefix of the destination that holds that slot (refreshed around every operation: a
    // queued destination was present right before or right after the operation that queued it)
    const slotPrefix = new Map<number, string>();
    const refresh = () => {
      const e = wasm.entities[0];
      for (const p of PREFIXES) {
        const d = e.getExactMatchDestination({ dest: p, views: 0 });
        if (d) { slotPrefix.set(handleSlotOf(d.handle), p); e.releaseDestInfo(d); }
      }
    };
    const regOwner = REGS.map((r) => r[0]);
    const bestOut = new Float64Array(BEST_FIELDS);
    let idPulls = 0, idsSeen = 0, goneSeen = 0;
    refresh();
    for (let op = 0; op < OPS; op++) {
      const tag = `seed ${seed}, op ${op}`;
      const r = rnd() % 100;
      if (r < 40) {
        const ei = rnd() % 3, prefix = PREFIXES[rnd() % PREFIXES.length], hop = rnd() % 2;
        const ttl = rnd() % 5 < 2 ? 1 + (rnd() % 4000) : undefined;
        const o = { dest: prefix, preference: 10 * (rnd() % 3), metric: rnd() % 4, views: [1, 1, 2, 3][rnd() % 4],
          flags: [0, 0, 0x8][rnd() % 3], timeToLive: ttl, returnHandle: false, changeFlags: 1 };
        const got = sides.map((s) => attempt(() => s.entities[ei].addRouteToDest({ ...o, neighbour: s.nextHops[ei][hop], nextHops: [s.nextHops[ei][hop]] }).changeFlags));
        expect(got[1], `${tag}: addRouteToDest ${prefix}`).toBe(got[0]);
      } else if (r < 55) {
        const ei = rnd() % 3, prefix = PREFIXES[rnd() % PREFIXES.length];
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[ei];
          const m = e.getExactMatchRoute({ dest: prefix, matchFlags: 1, criteria: { owner: e.handle }, views: 0 });
          if (!m) return 'none';
          e.releaseRouteInfo(m.info);
          return e.deleteRouteToDest(m.handle!);
        }));
        expect(got[1], `${tag}: delete ${prefix}`).toBe(got[0]);
      } else if (r < 60) {
        const prefix = PREFIXES[rnd() % PREFIXES.length];
        const views = [1, 2, 3][rnd() % 3], holdTime = 1 + (rnd() % 3000);
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[0];
          const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
          if (!d) return 'absent';
          e.releaseDestInfo(d);
          e.holdDestination({ dest: d.handle, views, holdTime });
          return 'held';
        }));
        expect(got[1], `${tag}: holdDestination ${prefix}`).toBe(got[0]);
      } else if (r < 72) {
        const ms = rnd() % 1500;
        sides.forEach((s) => s.clock.advance(ms));
      } else if (r < 94) {
        // pull: ids on the WASM side (records 1 time in 4), records on the model
        const ni = rnd() % REGS.length, count = 1 + (rnd() % 8), asIds = rnd() % 4 !== 0;
        const e = (s: Side) => s.entities[regOwner[ni]];
        const mb = e(model).getChangedDests({ notifyHandle: model.notifies[ni], count });
        const want = mb.items.map((i) => i.prefix);
        if (asIds) {
          const out = new Int32Array(count).fill(-7);
          const n = (e(wasm) as unknown as Entity).getChangedDestIds({ notifyHandle: wasm.notifies[ni], out });
          const got = Array.from(out.subarray(0, n), (id) => slotPrefix.get(id) ?? `?${id}`);
          expect(got, `${tag}: getChangedDestIds registration ${ni} out ${count}`).toEqual(want);
          expect(out[n] ?? -7, `${tag}: nothing written past n`).toBe(-7);
          if (n < count) expect(mb.done, `${tag}: fewer than asked means empty`).toBe(true);
          if (!mb.done) expect(n).toBe(count);
          for (let i = 0; i < n; i++) {
            // a destination that left the table is reported; its id no longer resolves
            const mi = model.entities[0].getExactMatchDestination({ dest: want[i], views: 0 });
            if (mi) model.entities[0].releaseDestInfo(mi);
            else { goneSeen++; expect(w.ipv4.bestRouteInto(out[i], 0, bestOut), `${tag}: gone ${want[i]}`).toBe(false); }
          }
          idPulls++; idsSeen += n;
          e(model).releaseChangedDests({ notifyHandle: model.notifies[ni], dests: mb.items });
        } else {
          const wb = e(wasm).getChangedDests({ notifyHandle: wasm.notifies[ni], count });
          expect(wb.items.map((i) => i.prefix), `${tag}: getChangedDests registration ${ni}`).toEqual(want);
          expect(wb.done).toBe(mb.done);
          // keep both sides' records pending for a few operations
          const left = rnd() % 4;
          model.pending.push([ni, mb.items, left]);
          wasm.pending.push([ni, wb.items, left]);
        }
      } else {
        const prefix = PREFIXES[rnd() % PREFIXES.length], mark = rnd() % 3 !== 0;
        const got = sides.map((s) => attempt(() => {
          const e = s.entities[1];
          const d = e.getExactMatchDestination({ dest: prefix, views: 0 });
          if (!d) return 'absent';
          e.releaseDestInfo(d);
          e.markDestForChangeNotification({ notifyHandle: s.notifies[3], dest: d.handle, mark });
          return e.isMarkedForChangeNotification({ notifyHandle: s.notifies[3], dest: d.handle });
        }));
        expect(got[1], `${tag}: mark ${prefix}`).toBe(got[0]);
      }
      for (const s of sides) {
        for (const p of s.pending) if (p[2]-- === 0) s.entities[regOwner[p[0]]].releaseChangedDests({ notifyHandle: s.notifies[p[0]], dests: p[1] });
        s.pending = s.pending.filter((p) => p[2] >= 0);
      }
      sides.forEach((s) => s.rtm.runPending());
      expect(wasm.events, `${tag}: callbacks delivered`).toEqual(model.events);
      sides.forEach((s) => { s.events.length = 0; });
      refresh();
      if (op % 100 === 99) {
        expect(w.ipv4.core.checkInvariants(), `${tag}: invariants`).toBe(0);
        const present = (side: Side) => PREFIXES.filter((p) => {
          const d = side.entities[0].getExactMatchDestination({ dest: p, views: 0 });
          if (d) side.entities[0].releaseDestInfo(d);
          return d !== undefined;
        });
        expect(present(wasm), `${tag}: destinations present`).toEqual(present(model));
      }
    }
    // release what is pending, let every timer run out, then every queue must agree (pulled as ids)
    for (const s of sides) for (const p of s.pending) s.entities[regOwner[p[0]]].releaseChangedDests({ notifyHandle: s.notifies[p[0]], dests: p[1] });
    sides.forEach((s) => s.clock.advance(10_000));
    refresh();
    expect(wasm.events).toEqual(model.events);
    for (let ni = 0; ni < REGS.length; ni++) {
      const mb = model.entities[regOwner[ni]].getChangedDests({ notifyHandle: model.notifies[ni], count: 100 });
      model.entities[regOwner[ni]].releaseChangedDests({ notifyHandle: model.notifies[ni], dests: mb.items });
      const out = new Int32Array(200);
      const n = (wasm.entities[regOwner[ni]] as unknown as Entity).getChangedDestIds({ notifyHandle: wasm.notifies[ni], out });
      expect(Array.from(out.subarray(0, n), (id) => slotPrefix.get(id)), `seed ${seed}: final queue ${ni}`).toEqual(mb.items.map((i) => i.prefix));
    }
    expect(w.ipv4.core.checkInvariants()).toBe(0);
    expect(idPulls).toBeGreaterThan(100);
    expect(idsSeen).toBeGreaterThan(100);
    expect(goneSeen).toBeGreaterThan(0);
    w.close();
  });
});

describe('getChangedDestIds', () => {
  function world() {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), build: 'debug' });
    const calls: number[] = [];
    let inCallback: ((nh: NotifyHandle) => void) | undefined;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 }, {
      onEvent: (type, c1) => { if (type === RTM_CHANGE_NOTIFICATION) { calls.push(c1 as number); inCallback?.(c1 as NotifyHandle); } return NO_ERROR; },
    });
    const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 1 });
    const nh = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
    rtm.runPending();
    return { rtm, A, B, nh, calls, setCallback: (f: (nh: NotifyHandle) => void) => { inCallback = f; } };
  }

  it('pulls queues longer than one core call, in queue order, and empties them', () => {
    const { rtm, A, B, nh } = world();
    const set = randomPrefixes(3, 4, 21_000);
    B.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens });
    const queued = rtm.ipv4.destCount;
    expect(queued).toBeGreaterThan(16_384);
    // the queue order is the order the batch first touched each destination
    const order: number[] = [], seen = new Set<number>();
    for (let i = 0; i < set.count; i++) {
      const id = rtm.ipv4.core.findDest(formatPrefix(4, set.keys, 4 * i, set.lens[i]))!;
      if (!seen.has(id)) { seen.add(id); order.push(id); }
    }
    const out = new Int32Array(queued + 10);
    expect(A.getChangedDestIds({ notifyHandle: nh, out })).toBe(queued);
    expect(Array.from(out.subarray(0, queued))).toEqual(order);
    expect(A.getChangedDestIds({ notifyHandle: nh, out })).toBe(0);
    // in slices: full slices, then a short one; a zero-length out validates and pulls nothing
    B.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, metrics: new Uint32Array(set.count).fill(3) });
    expect(A.getChangedDestIds({ notifyHandle: nh, out: new Int32Array(0) })).toBe(0);
    const slice = new Int32Array(7_000), got: number[] = [];
    for (;;) {
      const n = A.getChangedDestIds({ notifyHandle: nh, out: slice });
      got.push(...slice.subarray(0, n));
      if (n < slice.length) break;
      expect(n).toBe(7_000);
    }
    expect(got).toEqual(order);
    expect(A.getChangeStatus({ notifyHandle: nh, dest: B.getExactMatchDestination({ dest: rtm.ipv4.destPrefix(order[0]) })!.handle })).toBe(false);
    rtm.close();
  });

  it('drains inside the change callback; the callback is armed again by the next change', () => {
    const { rtm, A, B, nh, calls, setCallback } = world();
    const out = new Int32Array(4), drained: string[] = [];
    setCallback((h) => {
      for (;;) {
        const n = A.getChangedDestIds({ notifyHandle: h, out });
        for (let i = 0; i < n; i++) drained.push(rtm.ipv4.destPrefix(out[i]));
        if (n < out.length) break;
      }
    });
    for (let i = 0; i < 10; i++) B.addRouteToDest({ dest: `10.0.${i}.0/24`, returnHandle: false });
    expect(calls).toEqual([]);                        // never inside the causing call
    expect(rtm.runPending()).toBe(1);
    expect(drained).toEqual(Array.from({ length: 10 }, (_, i) => `10.0.${i}.0/24`));
    expect(calls).toEqual([nh]);
    B.addRouteToDest({ dest: '10.0.3.0/24', metric: 5, returnHandle: false });
    expect(rtm.runPending()).toBe(1);
    expect(drained.slice(10)).toEqual(['10.0.3.0/24']);
    expect(calls).toEqual([nh, nh]);
    // pulled before the callback ran: the callback still comes (as with getChangedDests), finds nothing
    B.addRouteToDest({ dest: '10.0.4.0/24', metric: 5, returnHandle: false });
    expect(A.getChangedDestIds({ notifyHandle: nh, out })).toBe(1);
    expect(rtm.runPending()).toBe(1);
    expect(drained.length).toBe(11);
    rtm.close();
  });

  it('coexists with records of getChangedDests that are still pending', () => {
    const { rtm, A, B, nh } = world();
    const r = B.addRouteToDest({ dest: '10.7.0.0/16' }).handle!;
    const batch = A.getChangedDests({ notifyHandle: nh });
    expect(batch.items.map((i) => i.prefix)).toEqual(['10.7.0.0/16']);
    B.deleteRouteToDest(r);                            // requeued while its record is pending
    const out = new Int32Array(4);
    expect(A.getChangedDestIds({ notifyHandle: nh, out })).toBe(1);
    const id = out[0];
    expect(rtm.ipv4.destPrefix(id)).toBe('10.7.0.0/16');   // the pending record still keeps it
    A.releaseChangedDests({ notifyHandle: nh, dests: batch.items });
    expect(rtm.ipv4.bestRouteInto(id, 0, new Float64Array(BEST_FIELDS))).toBe(false);
    expectCode(() => rtm.ipv4.destPrefix(id), 'ERROR_INVALID_HANDLE');
    expect(rtm.ipv4.destCount).toBe(0);
    expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    rtm.close();
  });

  it('rejects bad arguments with RtmError', () => {
    const { rtm, A, B, nh } = world();
    const out = new Int32Array(4);
    const a = A as unknown as { getChangedDestIds(o: unknown): number };
    expectCode(() => a.getChangedDestIds(undefined), 'ERROR_INVALID_PARAMETER');
    expectCode(() => a.getChangedDestIds({ notifyHandle: nh }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => a.getChangedDestIds({ notifyHandle: nh, out: [0, 0] }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => a.getChangedDestIds({ notifyHandle: nh, out: new Uint32Array(2) }), 'ERROR_INVALID_PARAMETER');
    expectCode(() => a.getChangedDestIds({ notifyHandle: String(nh), out }), 'ERROR_INVALID_HANDLE');
    expectCode(() => a.getChangedDestIds({ notifyHandle: { valueOf: () => nh }, out }), 'ERROR_INVALID_HANDLE');
    expectCode(() => a.getChangedDestIds({ notifyHandle: nh + 1, out }), 'ERROR_INVALID_HANDLE');
    const other = B.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING });
    expectCode(() => A.getChangedDestIds({ notifyHandle: other, out }), 'ERROR_INVALID_HANDLE');
    expect(B.getChangedDestIds({ notifyHandle: other, out })).toBe(0);
    A.deregisterFromChangeNotification(nh);
    expectCode(() => A.getChangedDestIds({ notifyHandle: nh, out }), 'ERROR_INVALID_HANDLE');
    B.deregister();
    expectCode(() => B.getChangedDestIds({ notifyHandle: other, out }), 'ERROR_INVALID_HANDLE');
    rtm.close();
    expectCode(() => A.getChangedDestIds({ notifyHandle: nh, out }), 'ERROR_INVALID_HANDLE');
  });
});
