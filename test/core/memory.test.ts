// A full memory never kills the core (issue 12, items 2 and 6). Each test builds an Rtm on a private core
// (a full or poisoned one never touches the process's shared core), caps linear memory a few pages above
// its current size (memorySetCap; the Rtm option maxMemoryBytes) and fills what is left with ballast
// routes in the IPv6 table — hop arrays of 256 next hops (1 KiB) down to 4 (16 bytes), so no block of any
// size is left — then drives one allocation path of the IPv4 table to ERROR_NOT_ENOUGH_MEMORY: an update to 8
// next hops, arming a TTL (timer heap), queueing a change notification, deleting the last route of a
// held-down destination, a hold-down end, an expiry on the real clock (retried later, never thrown),
// deregistration (before the JS-side clean-up), a batch load, a batch of updates whose deletes start
// hold timers. Each time the public picture of
// the instance (test/reference/public-snapshot.ts, with enumerations, queues and marks) is exactly as
// before, checkInvariants passes on both tables, and after some ballast is deleted the same call
// succeeds. Also: freed blocks merge back (random churn, then the same ballast fits again), handles
// never alias after the last generation of a slot (debug-only hook slabSetGenX), and the cap option.
import { describe, expect, it } from 'vitest';
import { createCoreSync, Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import { RealClock, VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
import type { NextHopHandle, NotifyHandle, RouteHandle, RtmOptions } from '../../src/types.js';
import {
  ERROR_NOT_SUPPORTED, INFINITE, NO_ERROR, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_NOTIFY_ONLY_MARKED_DESTS, RTM_ROUTE_CHANGE_NEW,
  RTM_ROUTE_EXPIRED, RTM_ROUTE_STATE_DELETED, RTM_VIEW_MASK_ANY,
} from '../../src/win32/constants.js';
import { publicSnapshot } from '../reference/public-snapshot.js';
import { expectCode } from '../reference/fixture.js';

type Fn = (...a: number[]) => number;

/** An Rtm on a given core (the constructor is private to the facade; tests build one on a private core). */
function rtmOn(core: Core, options: RtmOptions): Rtm {
  return new (Rtm as unknown as new (c: Core, o: RtmOptions) => Rtm)(core, options);
}

/** The RtmError code `fn` throws, or undefined when it returns. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof RtmError) return e.code;
    throw e;
  }
}

const BALLAST_HOPS = 256;

class World {
  readonly core = createCoreSync('debug');
  readonly x = this.core.x as unknown as Record<string, Fn>;
  readonly clock = new VirtualClock();
  readonly rtm: Rtm;
  readonly A: Entity;
  readonly B: Entity;
  /** The ballast entity, in the IPv6 table (so its changes reach no IPv4 registration). */
  readonly W: Entity;
  readonly nA: NextHopHandle[] = [];
  readonly nB: NextHopHandle;
  readonly nW: NextHopHandle[] = [];
  readonly ballast: RouteHandle[] = [];
  /** Events of A's callback; A answers `respondA`. */
  readonly eventsA: number[] = [];
  /** The first route this core ever made (deleted): generation 1 of its slot. */
  readonly firstRoute: RouteHandle;
  respondA: number = NO_ERROR;
  private ballastSeq = 0;
  /** The cap fill() sets, the same on every call (0 until the first). */
  private capBytes = 0;

  /** `realClock`: the instance runs on real time (its scheduler arms setTimeout) instead of `clock`. */
  constructor(realClock?: RealClock) {
    this.rtm = rtmOn(this.core, { clock: realClock ?? this.clock, maxNextHopsInRoute: BALLAST_HOPS });
    this.A = this.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 },
      { onEvent: (type) => { this.eventsA.push(type); return this.respondA; } }) as Entity;
    this.B = this.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 1 }) as Entity;
    this.W = this.rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 99, instanceId: 1 }) as Entity;
    for (let i = 1; i <= 8; i++) this.nA.push(this.A.addNextHop({ address: `10.0.0.${i}`, interfaceIndex: 1 }).handle!);
    this.nB = this.B.addNextHop({ address: '10.0.1.1', interfaceIndex: 2 }).handle!;
    for (let i = 0; i < BALLAST_HOPS; i++) this.nW.push(this.W.addNextHop({ address: `2001:db8:9::${i.toString(16)}`, interfaceIndex: 3 }).handle!);
    // every slab gets its first chunk now: routes and destinations (a route list: the lists and the route
    // extra records), a registration, a snapshot (cursors)
    // (the snapshot enumerates routes with the core's cursors: a destination with two routes makes the
    // route cursor keep its returned set in the cursor slabs, so those get their first chunks too)
    this.firstRoute = this.A.addRouteToDest({ dest: '192.0.2.0/24', neighbour: this.nA[0] }).handle!;
    const second = this.B.addRouteToDest({ dest: '192.0.2.0/24', neighbour: this.nB }).handle!;
    // W's reference table (refs.ts) grown to hold every ballast handle: an emptied table keeps its size, so
    // that the fill below is bounded by the blocks, not by that table (since issue 13's 44-byte records
    // the memory before the cap has room for more ballast than its first sizes hold)
    // (after the first route: its slot is the first of the slab, generation 1)
    const spare: RouteHandle[] = [];
    for (let i = 0; i < 4096; i++) spare.push(this.W.addRouteToDest({ dest: `2001:db8:8000:${i.toString(16)}::/64`, nextHops: [this.nW[0]] }).handle!);
    for (const h of spare) this.W.deleteRouteToDest(h);
    const list = this.W.createRouteList();
    this.W.deleteRouteToDest(this.W.addRouteToDest({ dest: '2001:db8:ffff::/48', neighbour: this.nW[0], routeList: list }).handle!);
    this.W.deleteRouteList(list);
    const n = this.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    this.B.deregisterFromChangeNotification(n);
    this.snapshot();
    this.B.deleteRouteToDest(second);
    this.A.deleteRouteToDest(this.firstRoute);   // last: its slot is the next one reused
    this.rtm.runPending();
    this.eventsA.length = 0;
  }

  /**
   * Caps memory at its size on the first call and FILL_ROOM_PAGES more, then adds ballast routes (64 per
   * destination) until no block is left: hop arrays of 256 next hops (1 KiB) until one fails, then 128,
   * … 4 (16 bytes, the smallest block), so that every block size is used up. Returns how many were added. The ballast routes have no
   * neighbour: one that is not a route's one next hop lives in its extra record, and their extra records
   * would fill the IPv6 table's extra index (assembly/xindex.ts) before the blocks ran out.
   */
  fill(): number {
    // (the room is explicit: the spare pages that geometric growth happened to leave vary with every
    // record size, and were none at all once routes became 36 bytes)
    // (one cap for the World: a later fill finds the same memory, and only what was given back since)
    const first = this.capBytes === 0;
    if (first) this.capBytes = this.core.memoryBytes + FILL_ROOM_PAGES * 65536;
    expect(this.x.memorySetCap(this.capBytes)).toBe(0);
    let added = 0;
    for (let hops = BALLAST_HOPS; hops >= 4; hops >>= 1) {
      for (;;) {
        const i = this.ballastSeq++;
        const code = codeOf(() => {
          const h = this.W.addRouteToDest({
            dest: `2001:db8:${(i >> 6).toString(16)}::/48`, nextHops: this.nW.slice(0, hops), changeFlags: RTM_ROUTE_CHANGE_NEW,
          }).handle!;
          this.ballast.push(h);
        });
        if (code === 'ERROR_NOT_ENOUGH_MEMORY') break;
        expect(code).toBeUndefined();
        added++;
      }
    }
    if (first) expect(added, 'the ballast took the room').toBeGreaterThan(FILL_ROOM_PAGES * 32);
    expect(this.ballast.length).toBeLessThan(16_000);   // the route slab's first chunk holds them: blocks ran out
    return added;
  }

  /** Deletes the n oldest ballast routes (their 1 KiB hop arrays go back to the free lists). */
  unfill(n: number): void {
    for (let i = 0; i < n; i++) this.W.deleteRouteToDest(this.ballast.shift()!);
    this.rtm.runPending();
  }

  snapshot(extra: { notifies?: [Entity, NotifyHandle][]; routes?: RouteHandle[]; probes?: string[] } = {}): unknown {
    const pic = publicSnapshot({
      entities: [this.A, this.B], probes: extra.probes ?? [], routes: extra.routes ?? [], nextHops: this.nA,
      dynamics: true, notifies: extra.notifies ?? [],
    });
    return { pic, blocks: this.x.blockMemoryBytes(), memory: this.core.memoryBytes };
  }

  invariants(): void {
    expect(this.x.checkInvariants(this.rtm.ipv4.core.t)).toBe(0);
    expect(this.x.checkInvariants(this.rtm.ipv6.core.t)).toBe(0);
  }

  /** Asserts that `fn` fails with ERROR_NOT_ENOUGH_MEMORY and the instance looks exactly as before. */
  rejects(fn: () => unknown, extra: Parameters<World['snapshot']>[0] = {}): void {
    const before = this.snapshot(extra);
    expectCode(fn, 'ERROR_NOT_ENOUGH_MEMORY');
    this.invariants();
    expect(this.snapshot(extra)).toEqual(before);
  }
}

/** Pages of room fill() leaves above the memory in use, for its ballast to take. */
const FILL_ROOM_PAGES = 16;

const prefix = (i: number) => `192.168.${i}.0/24`;

describe('a full memory is ERROR_NOT_ENOUGH_MEMORY, the table as before, the core usable', () => {
  it('updating a route to 8 next hops (the hop array)', () => {
    const w = new World();
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 64; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], nextHops: [w.nA[0]] }).handle!);
    expect(w.fill()).toBeGreaterThan(0);
    const i = 7;
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], nextHops: w.nA }), { routes });
    const info = w.A.getRouteInfo(routes[i]);
    w.A.releaseRouteInfo(info);
    expect(info.nextHops).toEqual([w.nA[0]]);
    // also a new route of 8 next hops is refused before anything exists
    w.rejects(() => w.A.addRouteToDest({ dest: '192.169.0.0/16', neighbour: w.nA[0], nextHops: w.nA }), { probes: ['192.169.0.0/16'] });
    w.unfill(4);
    expect(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], nextHops: w.nA }).changeFlags & RTM_ROUTE_CHANGE_NEW).toBe(0);
    const after = w.A.getRouteInfo(routes[i]);
    w.A.releaseRouteInfo(after);
    expect(after.nextHops).toEqual(w.nA);
    w.invariants();
  });

  it('arming a time-to-live (the timer heap, first block and doubling)', () => {
    const w = new World();
    w.fill();
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], timeToLive: 1000 }), { probes: [prefix(0)] });
    // a route without TTL needs no timer entry
    const plain = w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0] }).handle!;
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], timeToLive: 1000 }), { routes: [plain] });
    w.unfill(2);
    // 64 entries fill the first heap block; the 65th needs a larger one
    const timed: RouteHandle[] = [];
    for (let i = 1; i <= 64; i++) timed.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], timeToLive: 1000 }).handle!);
    w.fill();
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(65), neighbour: w.nA[0], timeToLive: 1000 }), { probes: [prefix(65)], routes: timed });
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], timeToLive: 1000 }), { routes: [plain, ...timed] });
    // re-arming a route that has an entry takes nothing
    w.A.addRouteToDest({ dest: prefix(1), neighbour: w.nA[0], timeToLive: 2000 });
    w.unfill(4);
    w.A.addRouteToDest({ dest: prefix(65), neighbour: w.nA[0], timeToLive: 1000 });
    w.invariants();
    // the timers work: at 1000 ms every route but prefix(1) expires (A answers ERROR_NOT_SUPPORTED)
    w.respondA = ERROR_NOT_SUPPORTED;
    w.clock.advance(1000);
    expect(w.eventsA.filter((t) => t === RTM_ROUTE_EXPIRED).length).toBe(64);
    expect(w.A.getExactMatchDestination({ dest: prefix(2), views: RTM_VIEW_MASK_ANY })).toBeUndefined();
    expect(w.A.isBestRoute(timed[0])).toBe(1);
    w.invariants();
  });

  it('queueing a change notification (queue growth), by an add, an update and a delete', () => {
    const w = new World();
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 18; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 1 }).handle!);
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    for (let i = 0; i < 18; i++) {
      const d = w.A.getExactMatchDestination({ dest: prefix(i) })!;
      w.A.releaseDestInfo(d);
      w.B.markDestForChangeNotification({ notifyHandle: n, dest: d.handle });
    }
    // 16 queued destinations fill the queue's first block (ballast destinations are not marked)
    for (let i = 0; i < 16; i++) w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 2 });
    w.fill();
    const scope = { notifies: [[w.B, n]] as [Entity, NotifyHandle][], routes };
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(16), neighbour: w.nA[0], metric: 2 }), scope);
    w.rejects(() => w.A.deleteRouteToDest(routes[17]), scope);
    w.rejects(() => w.B.addRouteToDest({ dest: prefix(17), neighbour: w.nB }), scope);
    // a change of a destination already queued queues nothing
    w.A.addRouteToDest({ dest: prefix(3), neighbour: w.nA[0], metric: 3 });
    w.unfill(2);
    w.A.addRouteToDest({ dest: prefix(16), neighbour: w.nA[0], metric: 2 });
    w.A.deleteRouteToDest(routes[17]);
    w.rtm.runPending();
    const got = w.B.getChangedDests({ notifyHandle: n, count: 100 });
    expect(got.items.map((d) => d.prefix)).toEqual([...Array(18).keys()].map(prefix));
    w.B.releaseChangedDests({ notifyHandle: n, dests: got.items });
    w.invariants();
  });

  it('deleting the last route of a held-down destination (the hold timer), then its hold end', () => {
    const w = new World();
    const routes: RouteHandle[] = [];
    for (let i = 0; i <= 16; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 1 }).handle!);
    const r = routes[0];
    const d = w.A.getExactMatchDestination({ dest: prefix(0) })!;
    w.A.releaseDestInfo(d);
    w.A.holdDestination({ dest: d.handle, holdTime: 1000 });
    // B hears of marked destinations only (ballast destinations are not marked)
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    for (let i = 0; i <= 16; i++) {
      const di = w.A.getExactMatchDestination({ dest: prefix(i) })!;
      w.A.releaseDestInfo(di);
      w.B.markDestForChangeNotification({ notifyHandle: n, dest: di.handle });
    }
    const scope = { routes, probes: [prefix(0)], notifies: [[w.B, n]] as [Entity, NotifyHandle][] };
    w.fill();
    w.rejects(() => w.A.deleteRouteToDest(r), scope);
    expect(w.A.isBestRoute(r)).toBe(1);
    w.unfill(2);
    w.A.deleteRouteToDest(r);
    const held = w.A.getDestInfo({ dest: d.handle });
    w.A.releaseDestInfo(held);
    expect(held.viewInfo[0].holdRoute).toBe(r);
    const first = w.B.getChangedDests({ notifyHandle: n, count: 100 });
    expect(first.items.map((x) => x.prefix)).toEqual([prefix(0)]);
    w.B.releaseChangedDests({ notifyHandle: n, dests: first.items });
    // 16 queued destinations fill B's queue block; the hold end must queue one more
    for (let i = 1; i <= 16; i++) w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 2 });
    w.fill();
    const before = w.snapshot(scope);
    expectCode(() => w.clock.advance(1000), 'ERROR_NOT_ENOUGH_MEMORY');   // the scheduler keeps the entry
    w.invariants();
    expect(w.snapshot(scope)).toEqual(before);
    w.unfill(2);
    w.rtm.runPending();
    expectCode(() => w.A.getRouteInfo(r), 'ERROR_INVALID_HANDLE');   // destroyed (A's reference went with the delete)
    const ended = w.A.getDestInfo({ dest: d.handle });
    w.A.releaseDestInfo(ended);
    expect(ended.viewInfo[0].holdRoute).toBeUndefined();
    expect(w.B.getChangeStatus({ notifyHandle: n, dest: d.handle })).toBe(true);
    w.invariants();
  });

  it('with the real clock, an expiry refused by a full memory stays armed and is retried later, never thrown (issue 12 e)', async () => {
    const w = new World(new RealClock());
    const routes: RouteHandle[] = [];
    // prefix(0) expires 100 ms from now (the setup below takes far less; nothing runs the scheduler meanwhile)
    for (let i = 0; i <= 16; i++) {
      routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 1, timeToLive: i === 0 ? 100 : INFINITE }).handle!);
    }
    // B hears of marked destinations only (ballast destinations are not marked)
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    for (let i = 0; i <= 16; i++) {
      const di = w.A.getExactMatchDestination({ dest: prefix(i) })!;
      w.A.releaseDestInfo(di);
      w.B.markDestForChangeNotification({ notifyHandle: n, dest: di.handle });
    }
    // 16 queued destinations fill B's queue block; the expiry of prefix(0) must queue one more
    for (let i = 1; i <= 16; i++) w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], metric: 2 });
    w.respondA = ERROR_NOT_SUPPORTED;
    w.fill();
    expect(w.eventsA).toEqual([]);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(250);                       // due, tried (and refused) at least once: nothing thrown, nothing changed
    expect(w.eventsA).toEqual([]);
    expect(w.A.isBestRoute(routes[0])).toBe(1);
    w.invariants();
    for (let i = 0; i < 2; i++) w.W.deleteRouteToDest(w.ballast.shift()!);   // memory again, no scheduler run
    await sleep(300);                       // the timer's retry runs it
    expect(w.eventsA).toEqual([RTM_ROUTE_EXPIRED]);
    const got = w.B.getChangedDests({ notifyHandle: n, count: 100 });
    expect(got.items.map((x) => x.prefix)).toContain(prefix(0));
    w.B.releaseChangedDests({ notifyHandle: n, dests: got.items });
    const info = w.A.getRouteInfo(routes[0]);          // A's own reference keeps the deleted route readable
    w.A.releaseRouteInfo(info);
    expect(info.state).toBe(RTM_ROUTE_STATE_DELETED);
    w.invariants();
    w.rtm.close();
  });

  it('deregistering an entity (every queue entry, timer and node reserved first)', () => {
    const w = new World();
    for (let i = 0; i < 40; i++) w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], returnHandle: false });
    const d = w.A.getExactMatchDestination({ dest: prefix(5) })!;
    w.A.releaseDestInfo(d);
    w.A.holdDestination({ dest: d.handle, holdTime: 1000 });
    w.fill();
    // registered at full memory: the registration record fits, its queue has no block yet
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const probes = [...Array(40).keys()].map(prefix);
    expect(w.x.entityDeregisterReserve(w.A.handle)).toBe(8);
    w.rejects(() => w.A.deregister(), { probes, notifies: [[w.B, n]] });
    expect(w.A.isRegistered).toBe(true);
    w.unfill(2);
    expect(w.x.entityDeregisterReserve(w.A.handle)).toBe(0);
    w.A.deregister();
    w.rtm.runPending();
    const after = w.B.getChangedDests({ notifyHandle: n, count: 100 });
    expect(after.items.map((x) => x.prefix).sort()).toEqual(probes.slice().sort());
    w.B.releaseChangedDests({ notifyHandle: n, dests: after.items });
    // the held destination is still there (its held route), and its hold ends on time
    const heldDest = w.B.getDestInfo({ dest: d.handle });
    w.B.releaseDestInfo(heldDest);
    expect(heldDest.viewInfo[0].holdRoute).toBeDefined();
    w.clock.advance(1000);
    const ended = w.B.getDestInfo({ dest: d.handle });
    w.B.releaseDestInfo(ended);
    expect(ended.viewInfo[0].holdRoute).toBeUndefined();
    expect(w.B.getExactMatchDestination({ dest: prefix(5), views: RTM_VIEW_MASK_ANY })).toBeUndefined();
    w.invariants();
  });

  it('a deregistration refused at full memory keeps the entity\'s enumerations, locks and opaque values (issue 12 f)', () => {
    const w = new World();
    const C = w.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 200, instanceId: 1 }, { reserveOpaquePointer: true }) as Entity;
    const nC = C.addNextHop({ address: '10.0.2.1', interfaceIndex: 4 }).handle!;
    for (let i = 0; i < 40; i++) C.addRouteToDest({ dest: prefix(i), neighbour: nC, returnHandle: false });
    const info = C.getExactMatchDestination({ dest: prefix(3) })!;
    C.releaseDestInfo(info);
    const d = info.handle;
    C.lockDestination({ dest: d, exclusive: true });
    C.getOpaqueInformationPointer(d)!.value = 'kept';
    const en = C.createDestEnum({ views: RTM_VIEW_MASK_ANY });
    const first = C.getEnumDests({ enumHandle: en, count: 2 });
    C.releaseDests(first.items);
    w.rtm.runPending();
    w.fill();
    // registered at full memory: its queue has no block yet, and C's deregistration would queue 40 destinations
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const probes = [...Array(40).keys()].map(prefix);
    expect(w.x.entityDeregisterReserve(C.handle)).toBe(8);
    w.rejects(() => C.deregister(), { probes, notifies: [[w.B, n]] });
    expect(C.isRegistered).toBe(true);
    // nothing of C's JS-side state was cleaned up: the lock, the opaque value and the enumeration remain
    expectCode(() => w.B.addRouteToDest({ dest: prefix(3), neighbour: w.nB }), 'ERROR_BUSY');
    expect(C.getOpaqueInformationPointer(d)!.value).toBe('kept');
    const next = C.getEnumDests({ enumHandle: en, count: 2 });
    expect(first.items.map((x) => x.prefix)).toEqual([prefix(0), prefix(1)]);
    expect(next.items.map((x) => x.prefix)).toEqual([prefix(2), prefix(3)]);   // the cursor went on where it was
    C.releaseDests(next.items);
    w.unfill(2);
    C.deregister();
    w.rtm.runPending();
    expect(C.isRegistered).toBe(false);
    w.B.addRouteToDest({ dest: prefix(3), neighbour: w.nB });   // the lock went with C
    w.invariants();
  });

  it('the first destination extra record (hold-down, marks, locks: issue 13 lean records) is refused before any change', () => {
    const w = new World();
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 4; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0] }).handle!);
    const d = w.A.getExactMatchDestination({ dest: prefix(0) })!;
    w.A.releaseDestInfo(d);
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    expect(w.x.destExtraCount()).toBe(0);   // plain routes and a registration need no extra record
    w.fill();
    const scope = { routes, probes: [prefix(0)], notifies: [[w.B, n]] as [Entity, NotifyHandle][] };
    // the extra slab has no chunk yet: arming hold-down and marking need one
    w.rejects(() => w.A.holdDestination({ dest: d.handle, holdTime: 1000 }), scope);
    w.rejects(() => w.B.markDestForChangeNotification({ notifyHandle: n, dest: d.handle }), scope);
    expect(w.B.isMarkedForChangeNotification({ notifyHandle: n, dest: d.handle })).toBe(false);
    w.rejects(() => w.B.lockDestination({ dest: d.handle, exclusive: true }), scope);   // the lock word is extra too
    expectCode(() => w.B.lockDestination({ dest: d.handle, exclusive: true, lock: false }), 'ERROR_NOT_LOCKED');   // none taken
    expect(w.x.destExtraCount()).toBe(0);
    // a slab chunk needs fresh pages (freed blocks do not make them): lift the cap
    expect(w.x.memorySetCap(0)).toBe(0);
    w.A.holdDestination({ dest: d.handle, holdTime: 1000 });
    w.B.markDestForChangeNotification({ notifyHandle: n, dest: d.handle });
    w.B.lockDestination({ dest: d.handle, exclusive: true });
    expect(w.x.destExtraCount()).toBe(1);   // one record holds them all
    w.invariants();
    w.B.lockDestination({ dest: d.handle, exclusive: true, lock: false });
    w.A.deleteRouteToDest(routes[0]);
    const held = w.A.getDestInfo({ dest: d.handle });
    w.A.releaseDestInfo(held);
    expect(held.viewInfo[0].holdRoute).toBe(routes[0]);
    w.invariants();
  });

  it('a route joining the multicast view (its best route there is an extra word: issue 13) is refused before any change', () => {
    const w = new World();
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 4; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0] }).handle!);
    expect(w.x.destExtraCount()).toBe(0);   // unicast routes (the default views) need no extra record
    w.fill();
    const scope = { routes, probes: [prefix(0), prefix(1), prefix(9), '10.100.0.0/16', '10.101.0.0/16', '10.102.0.0/16'] };
    // the extra slab has no chunk yet: every path that puts a route into view 1 needs one
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], views: 3 }), scope);   // an update's views
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(1), neighbour: w.nA[1], views: 2 }), scope);   // a second route
    w.rejects(() => w.A.addRouteToDest({ dest: prefix(9), neighbour: w.nA[0], views: 2 }), scope);   // a new destination
    const load = (views: number) => ({
      count: 1, keys: Uint32Array.of(0x0a640000, 0, 0, 0), lens: Uint8Array.of(16), nextHops: Float64Array.of(w.nA[0]), views: Uint8Array.of(views),
    });
    w.rejects(() => w.A.addRoutesBatch(load(2)), scope);
    const upd = { count: 1, keys: Uint32Array.of(0x0a650000, 0, 0, 0), lens: Uint8Array.of(16), kinds: Uint8Array.of(0), nextHops: Float64Array.of(w.nA[0]), views: Uint8Array.of(3) };
    w.rejects(() => w.A.applyUpdates(upd), scope);
    // across chunks (the check pass counts the view-1 adds of every chunk): UPD_MAX + 1 unicast updates of
    // A's routes, then one add into view 1 in the second chunk
    const MAX = w.core.k.UPD_MAX, n = MAX + 1;
    const big = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n), nextHops: new Float64Array(n), views: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      big.keys[4 * i] = i === n - 1 ? 0x0a660000 : ((192 << 24) | (168 << 16) | ((i % 4) << 8)) >>> 0;
      big.lens[i] = i === n - 1 ? 16 : 24;
      big.nextHops[i] = w.nA[0];
      big.views[i] = i === n - 1 ? 2 : 1;
    }
    w.rejects(() => w.A.applyUpdates(big), scope);
    // unicast changes take no extra record: they still go through at the full memory
    w.A.addRouteToDest({ dest: prefix(2), neighbour: w.nA[0], metric: 5 });
    expect(w.x.destExtraCount()).toBe(0);
    // a slab chunk needs fresh pages (freed blocks do not make them): lift the cap
    expect(w.x.memorySetCap(0)).toBe(0);
    w.A.applyUpdates(big);   // (first: it updates A's routes at prefix(0..3) to the unicast view alone)
    w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], views: 3 });
    const m9 = w.A.addRouteToDest({ dest: prefix(9), neighbour: w.nA[0], views: 2 }).handle!;
    w.A.addRoutesBatch(load(2));
    expect(w.x.destExtraCount()).toBe(4);   // one per destination with a route in view 1
    w.invariants();
    const d0 = w.A.getExactMatchDestination({ dest: prefix(0), views: 3 })!;
    w.A.releaseDestInfo(d0);
    expect(d0.viewInfo.map((v) => v.route)).toEqual([routes[0], routes[0]]);
    // the record goes when the destination's last route leaves view 1
    w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0], views: 1 });
    w.A.deleteRouteToDest(m9);
    expect(w.x.destExtraCount()).toBe(2);
    w.invariants();
  });

  it('an IPv6 prefix longer than /64 (its nodes are 32-byte records of their own slab: issue 13) is refused before any change', () => {
    const w = new World();
    const W = w.W, t6 = w.rtm.ipv6.core, x = w.x;
    const long = '2001:db8:aaaa:0:1::/80', longs = () => x.trieLongNodes();
    W.addRouteToDest({ dest: '2001:db8:aaaa::/48', neighbour: w.nW[0] });
    expect(longs()).toBe(0);   // nothing longer than /64 yet: the long-node slab has no chunk
    w.fill();
    // the IPv6 table's picture: counts, W's routes, and the exact matches of the prefixes involved
    const probes = ['2001:db8:aaaa::/48', '2001:db8:aaaa::/64', long, '2001:db8:bbbb::1/128'];
    const pic6 = () => ({
      dests: t6.destCount, nodes: t6.nodeCount, longs: longs(), routes: [...W.routes()].length,
      exact: probes.map((dest) => { const d = W.getExactMatchDestination({ dest }); if (d) W.releaseDestInfo(d); return d?.prefix; }),
    });
    const rejects6 = (fn: () => unknown) => {
      const before = pic6();
      w.rejects(fn);
      expect(pic6()).toEqual(before);
    };
    rejects6(() => W.addRouteToDest({ dest: long, neighbour: w.nW[0] }));
    const key80 = [0x20010db8, 0xaaaa0000, 0x00010000, 0];
    rejects6(() => W.addRoutesBatch({ count: 1, keys: Uint32Array.from(key80), lens: Uint8Array.of(80), nextHops: Float64Array.of(w.nW[0]) }));
    rejects6(() => W.applyUpdates({
      count: 1, keys: Uint32Array.from(key80), lens: Uint8Array.of(80), kinds: Uint8Array.of(0), nextHops: Float64Array.of(w.nW[0]),
    }));
    // across chunks (the check pass counts the long nodes of every chunk): UPD_MAX updates of W's /48 route,
    // then one /128 add in the second chunk
    const MAX = w.core.k.UPD_MAX, n = MAX + 1;
    const big = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n), nextHops: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      big.keys.set(i === n - 1 ? [0x20010db8, 0xbbbb0000, 0, 1] : [0x20010db8, 0xaaaa0000, 0, 0], 4 * i);
      big.lens[i] = i === n - 1 ? 128 : 48;
      big.nextHops[i] = w.nW[0];
    }
    rejects6(() => W.applyUpdates(big));
    // a /64 is a short node: it still goes in at the full memory
    W.addRouteToDest({ dest: '2001:db8:aaaa::/64', neighbour: w.nW[0] });
    expect(longs()).toBe(0);
    // a slab chunk needs fresh pages (freed blocks do not make them): lift the cap
    expect(x.memorySetCap(0)).toBe(0);
    W.applyUpdates(big);
    const r80 = W.addRouteToDest({ dest: long, neighbour: w.nW[0] }).handle!;
    expect(longs()).toBe(2);   // the /80 and the /128, each a long node (their branch points are short)
    expect(pic6().exact).toEqual(['2001:db8:aaaa::/48', '2001:db8:aaaa::/64', long, '2001:db8:bbbb::1/128']);
    w.invariants();
    W.deleteRouteToDest(r80);
    w.rtm.runPending();
    expect(longs()).toBe(1);
    w.invariants();
  });

  it('destination extra records come with hold-down and marks and go when those do (issue 13)', () => {
    const w = new World();
    const C = w.rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 201, instanceId: 1 }, { reserveOpaquePointer: true }) as Entity;
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 8; i++) routes.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0] }).handle!);
    const dest = (i: number) => { const di = w.A.getExactMatchDestination({ dest: prefix(i) })!; w.A.releaseDestInfo(di); return di.handle; };
    expect(w.x.destExtraCount()).toBe(0);
    // marks: one record per marked destination, freed at the unmark and with the registration
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    for (let i = 0; i < 4; i++) w.B.markDestForChangeNotification({ notifyHandle: n, dest: dest(i) });
    w.B.markDestForChangeNotification({ notifyHandle: n, dest: dest(0) });   // marked already: no second record
    expect(w.x.destExtraCount()).toBe(4);
    w.B.markDestForChangeNotification({ notifyHandle: n, dest: dest(1), mark: false });
    w.B.markDestForChangeNotification({ notifyHandle: n, dest: dest(5), mark: false });   // not marked: nothing
    expect(w.x.destExtraCount()).toBe(3);
    w.invariants();
    w.B.deregisterFromChangeNotification(n);
    expect(w.x.destExtraCount()).toBe(0);
    // opaque values pin inline (their setter cannot fail): no extra record
    const slot = C.getOpaqueInformationPointer(dest(2))!;
    slot.value = 'x';
    expect(w.x.destExtraCount()).toBe(0);
    slot.value = null;
    // a lock's record lives in the extra record (layout DESTX_LOCK), which goes with the last hold
    C.lockDestination({ dest: dest(3), exclusive: true });
    C.lockDestination({ dest: dest(3), exclusive: false });
    expect(w.x.destExtraCount()).toBe(1);
    w.invariants();
    C.lockDestination({ dest: dest(3), exclusive: true, lock: false });
    expect(w.x.destExtraCount()).toBe(1);
    C.lockDestination({ dest: dest(3), exclusive: false, lock: false });
    expect(w.x.destExtraCount()).toBe(0);
    // hold-down stays armed: the record stays with the destination, and goes with it
    w.A.holdDestination({ dest: dest(4), holdTime: 1000 });
    expect(w.x.destExtraCount()).toBe(1);
    w.A.deleteRouteToDest(routes[4]);
    w.invariants();
    w.clock.advance(1000);
    w.rtm.runPending();
    expect(w.A.getExactMatchDestination({ dest: prefix(4) })).toBeUndefined();
    expect(w.x.destExtraCount()).toBe(0);
    w.invariants();
  });

  it('applyUpdates reserves the hold timers its deletes may start (issue 12 g)', () => {
    const w = new World();
    // 64 timed routes fill the timer heap's first block; the hold timer of prefix(0) needs a larger one
    for (let i = 1; i <= 64; i++) w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], timeToLive: 60_000, returnHandle: false });
    const r0 = w.A.addRouteToDest({ dest: prefix(0), neighbour: w.nA[0] }).handle!;
    const d = w.A.getExactMatchDestination({ dest: prefix(0) })!;
    w.A.releaseDestInfo(d);
    w.A.holdDestination({ dest: d.handle, holdTime: 1000 });
    const del = (p: number) => ({
      count: 1, keys: Uint32Array.of(((192 << 24) | (168 << 16) | (p << 8)) >>> 0, 0, 0, 0), lens: Uint8Array.of(24), kinds: Uint8Array.of(1),
    });
    w.fill();
    w.rejects(() => w.A.applyUpdates(del(0)), { routes: [r0], probes: [prefix(0)] });
    expect(w.A.isBestRoute(r0)).toBe(1);
    // a batch across chunks (the check pass) reserves them too: UPD_MAX + 1 records, the delete in the second chunk
    const MAX = w.core.k.UPD_MAX, n = MAX + 1;
    const big = { count: n, keys: new Uint32Array(4 * n), lens: new Uint8Array(n), kinds: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      big.keys[4 * i] = ((192 << 24) | (168 << 16) | ((i === n - 1 ? 0 : 1 + (i % 64)) << 8)) >>> 0;
      big.lens[i] = 24;
      big.kinds[i] = 1;                                  // deletes of routes A has (the first ones) or not any more
    }
    w.rejects(() => w.A.applyUpdates(big), { routes: [r0], probes: [prefix(0), prefix(1)] });
    w.unfill(2);
    w.A.applyUpdates(del(0));
    const held = w.A.getDestInfo({ dest: d.handle });
    w.A.releaseDestInfo(held);
    expect(held.viewInfo[0].holdRoute).toBe(r0);
    w.clock.advance(1000);                              // the hold timer was armed: the hold ends on time
    const ended = w.A.getDestInfo({ dest: d.handle });
    w.A.releaseDestInfo(ended);
    expect(ended.viewInfo[0].holdRoute).toBeUndefined();
    w.invariants();
  });

  it('a batch load (addRoutesBatch) queues changes for every record or for none', () => {
    const w = new World();
    w.fill();
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const probes = ['10.100.0.0/16', '10.101.0.0/16'];
    const batch = {
      count: 2, keys: new Uint32Array([0x0a640000, 0, 0, 0, 0x0a650000, 0, 0, 0]), lens: new Uint8Array([16, 16]),
      nextHops: new Float64Array([w.nA[0], w.nA[0]]),
    };
    w.rejects(() => w.A.addRoutesBatch(batch), { probes, notifies: [[w.B, n]] });
    w.unfill(2);
    expect(w.A.addRoutesBatch(batch)).toEqual({ routesCreated: 2, destsCreated: 2 });
    const got = w.B.getChangedDests({ notifyHandle: n, count: 100 });
    expect(got.items.map((x) => x.prefix)).toEqual(probes);
    w.B.releaseChangedDests({ notifyHandle: n, dests: got.items });
    w.invariants();
  });

  it('freed blocks merge with their buddies: after random churn the same memory holds the same ballast', () => {
    const w = new World();
    // the fill below is meant to be bounded by the blocks (32-byte hop arrays). Each of its routes holds a
    // handle, a reference: the holder's reference table (refs.ts) would have to grow at full memory, and a
    // getRouteInfo right after (11 references) would find memory full for its references instead. The
    // table grown before the cap (route handles taken and given back: an emptied table keeps its size)
    // keeps the fill's bound where this test puts it
    const spare: RouteHandle[] = [];
    for (let i = 0; i < 1 << 14; i++) spare.push(w.A.addRouteToDest({ dest: `172.${16 + (i >> 12)}.${(i >> 4) & 255}.${(i & 15) << 4}/28`, neighbour: w.nA[0] }).handle!);
    for (const h of spare) w.A.deleteRouteToDest(h);
    w.rtm.runPending();
    const first = w.fill();
    expect(first).toBeGreaterThan(64);
    w.unfill(w.ballast.length);
    expect(w.x.blockMemoryBytes()).toBe(0);
    // hop arrays of 2..8 next hops (16 and 32 bytes) added, changed and deleted at random, memory full at times
    let seed = 12345;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const live = new Map<number, { h: RouteHandle; hops: NextHopHandle[] }>();
    const dest = (i: number) => `10.${16 + (i >> 8)}.${i & 255}.0/24`;
    // fill with arrays of 8 (32 bytes), then churn over those destinations
    let n = 0;
    for (; ; n++) {
      const hops = w.nA.slice(0, 8);
      const code = codeOf(() => live.set(n, { h: w.A.addRouteToDest({ dest: dest(n), neighbour: w.nA[0], nextHops: hops }).handle!, hops }));
      if (code !== undefined) { expect(code).toBe('ERROR_NOT_ENOUGH_MEMORY'); break; }
    }
    expect(n).toBeGreaterThan(1000);
    let full = 0;
    for (let step = 0; step < 6000; step++) {
      const i = rnd(2 * n);
      const cur = live.get(i);
      if (cur && rnd(8) === 0) {
        w.A.deleteRouteToDest(cur.h);
        live.delete(i);
      } else {
        const hops = w.nA.slice(0, 2 + rnd(7));
        const code = codeOf(() => {
          const res = w.A.addRouteToDest({ dest: dest(i), neighbour: w.nA[0], nextHops: hops, returnHandle: !cur });
          live.set(i, { h: cur ? cur.h : res.handle!, hops });
        });
        if (code !== undefined) { expect(code).toBe('ERROR_NOT_ENOUGH_MEMORY'); full++; }
      }
      // the hop arrays hold what was written (no block handed out twice)
      const j = [...live.keys()][rnd(Math.max(1, live.size))];
      if (j !== undefined) {
        const info = w.A.getRouteInfo(live.get(j)!.h);
        w.A.releaseRouteInfo(info);
        expect(info.nextHops).toEqual(live.get(j)!.hops);
      }
    }
    expect(full).toBeGreaterThan(0);
    w.invariants();
    for (const { h } of live.values()) w.A.deleteRouteToDest(h);
    expect(w.x.blockMemoryBytes()).toBe(0);
    // every block merged back: the ballast fits exactly as before
    expect(w.fill()).toBe(first);
  });

  it('route list insertions whose extra records need the extra index to grow', () => {
    const w = new World();
    // 5,000 routes made before the cap. The route extra slab has its first chunk (16K records, the
    // constructor's list), so at full memory only the extra index (assembly/xindex.ts) needs memory when
    // they enter a list: past 2,048 entries it doubles to 64 KiB, whole pages, which a full memory cannot give
    const routes: RouteHandle[] = [];
    for (let i = 0; i < 5000; i++) routes.push(w.A.addRouteToDest({ dest: `10.${16 + (i >> 8)}.${i & 255}.0/24`, neighbour: w.nA[0] }).handle!);
    const l = w.A.createRouteList();
    w.fill();
    let inserted = 0;
    for (; inserted < routes.length; inserted += 256) {
      const chunk = routes.slice(inserted, inserted + 256);
      const code = codeOf(() => w.A.insertInRouteList({ routeList: l, routes: chunk }));
      if (code !== undefined) { expect(code).toBe('ERROR_NOT_ENOUGH_MEMORY'); break; }
    }
    expect(inserted).toBeGreaterThanOrEqual(2048 - 256);
    expect(inserted).toBeLessThan(routes.length);
    const next = routes.slice(inserted, inserted + 256);
    w.rejects(() => w.A.insertInRouteList({ routeList: l, routes: next }), { routes: next });
    expect(w.x.routeExtraCount()).toBe(inserted);
    // memory again: the same call goes through, and the rest
    expect(w.x.memorySetCap(0)).toBe(0);
    for (let i = inserted; i < routes.length; i += 256) w.A.insertInRouteList({ routeList: l, routes: routes.slice(i, i + 256) });
    expect(w.x.routeExtraCount()).toBe(routes.length);
    w.invariants();
    w.rtm.close();
  });

  it('marks at full memory: the extra index holds more than half its entries rather than refuse, never all', () => {
    const w = new World();
    const N = 4200;
    for (let i = 0; i < N; i++) w.A.addRouteToDest({ dest: `10.${16 + (i >> 8)}.${i & 255}.0/24`, neighbour: w.nA[0], returnHandle: false });
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
    const dests = [...Array(N).keys()].map((i) => {
      const d = w.A.getExactMatchDestination({ dest: `10.${16 + (i >> 8)}.${i & 255}.0/24` })!;
      w.A.releaseDestInfo(d);
      return d.handle;
    });
    const mark = (i: number) => w.B.markDestForChangeNotification({ notifyHandle: n, dest: dests[i] });
    // 2,047 marks before the cap: the IPv4 table's destination map (assembly/xindex.ts) has 4,096 entries
    // (32 KiB), at most half of them used; the destination extra slab has its first chunk
    for (let i = 0; i < 2047; i++) mark(i);
    w.fill();
    // past half, the map cannot double at full memory (64 KiB: a page); the marks still go in while an
    // entry stays empty, then are refused with nothing changed
    let i = 2047;
    for (; i < N; i++) {
      const code = codeOf(() => mark(i));
      if (code !== undefined) { expect(code).toBe('ERROR_NOT_ENOUGH_MEMORY'); break; }
    }
    expect(i).toBe(4095);
    w.invariants();
    w.rejects(() => mark(i), { notifies: [[w.B, n]] });
    expect(w.x.destExtraCount()).toBe(4095);
    // memory again: the map doubles at the next mark
    expect(w.x.memorySetCap(0)).toBe(0);
    mark(i);
    expect(w.x.destExtraCount()).toBe(4096);
    w.invariants();
    w.rtm.close();
  });

  it('hop arrays, timer heaps and queues go back to the blocks when their records go', () => {
    const w = new World();
    const base = w.x.blockMemoryBytes();
    const n = w.B.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const rs: RouteHandle[] = [];
    for (let i = 0; i < 100; i++) rs.push(w.A.addRouteToDest({ dest: prefix(i), neighbour: w.nA[0], nextHops: w.nA.slice(0, 1 + (i % 8)), timeToLive: 5000 }).handle!);
    expect(w.x.blockMemoryBytes()).toBeGreaterThan(base);
    for (const r of rs) w.A.deleteRouteToDest(r);
    w.B.deregisterFromChangeNotification(n);
    w.rtm.runPending();
    // the timer heap keeps its block while the table lives
    expect(w.x.blockMemoryBytes()).toBe(base + 128 * 16);
    w.rtm.close();
    expect(w.x.blockMemoryBytes()).toBe(base);
  });
});

describe('handles never alias (issue 12 item 6)', () => {
  it('a slot at the last generation is retired: a stale handle stays ERROR_INVALID_HANDLE and never names a new route', () => {
    const w = new World();
    const KIND_ROUTE = w.core.constant('KIND_ROUTE'), GEN_MASK = w.core.constant('GEN_MASK');
    const SLOT = 2 ** 25;
    // the first route ever made in this core (deleted): generation 1 of its slot
    const h0 = w.firstRoute;
    const slot = h0 % SLOT;
    expect(Math.floor(h0 / SLOT) % 2 ** 24).toBe(1);
    expectCode(() => w.A.getRouteInfo(h0), 'ERROR_INVALID_HANDLE');
    // the hook refuses a live slot and bad generations
    const live = w.A.addRouteToDest({ dest: prefix(9), neighbour: w.nA[0] }).handle!;   // takes the free slot
    expect(live % SLOT).toBe(slot);
    expect(w.x.slabSetGenX(KIND_ROUTE, slot, GEN_MASK)).toBe(87);
    w.A.deleteRouteToDest(live);
    expect(w.x.slabSetGenX(KIND_ROUTE, slot, 0)).toBe(87);
    expect(w.x.slabSetGenX(KIND_ROUTE, slot, GEN_MASK + 1)).toBe(87);
    expect(w.x.slabSetGenX(0, slot, 5)).toBe(87);
    // the slot's next use is its last generation
    expect(w.x.slabSetGenX(KIND_ROUTE, slot, GEN_MASK)).toBe(0);
    const hLast = w.A.addRouteToDest({ dest: prefix(1), neighbour: w.nA[0] }).handle!;
    expect(hLast % SLOT).toBe(slot);
    expect(Math.floor(hLast / SLOT) % 2 ** 24).toBe(GEN_MASK);
    w.A.deleteRouteToDest(hLast);
    // another entity's new routes: none may get the slot back (generation 1 again would be h0)
    const made: RouteHandle[] = [];
    for (let i = 0; i < 8; i++) made.push(w.B.addRouteToDest({ dest: prefix(2 + i), neighbour: w.nB }).handle!);
    for (const h of made) {
      expect(h).not.toBe(h0);
      expect(h % SLOT).not.toBe(slot);
    }
    for (const e of [w.A, w.B]) {
      expectCode(() => e.getRouteInfo(h0), 'ERROR_INVALID_HANDLE');
      expectCode(() => e.getRouteInfo(hLast), 'ERROR_INVALID_HANDLE');
    }
    expect(w.x.slabSetGenX(KIND_ROUTE, slot, 5)).toBe(87);   // retired: neither live nor free
    w.invariants();
  });
});

describe('the memory cap option', () => {
  it('validates maxMemoryBytes, sets the cap of the core (the last value wins) and 0 removes it', () => {
    const core = createCoreSync('debug');
    const x = core.x as unknown as Record<string, Fn>;
    const clock = new VirtualClock();
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53 + 2, '1', null, {}]) {
      expectCode(() => rtmOn(core, { clock, maxMemoryBytes: bad as never }), 'ERROR_INVALID_PARAMETER');
      expect(x.memoryCap()).toBe(0);
    }
    expect(x.memorySetCap(-1)).toBe(87);
    expect(x.memorySetCap(0.5)).toBe(87);
    const warm = rtmOn(core, { clock });                        // every slab's first chunk
    const we = warm.registerEntity({ addressFamily: 'ipv6', protocolId: 5 });
    we.deleteRouteToDest(we.addRouteToDest({ dest: '2001:db8::/32', neighbour: we.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle! }).handle!);
    warm.close();
    const cap = core.memoryBytes + 65536 * 3 + 100;
    const r1 = rtmOn(core, { clock, maxMemoryBytes: cap });
    expect(x.memoryCap()).toBe(Math.floor(cap / 65536) * 65536);
    const r2 = rtmOn(core, { clock });                          // omitted: the cap stays
    expect(x.memoryCap()).toBe(Math.floor(cap / 65536) * 65536);
    // the cap holds for every instance of the core: fill it through r2
    const e = r2.registerEntity({ addressFamily: 'ipv6', protocolId: 5 });
    const nh = e.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
    let i = 0;
    for (; i < 1_000_000; i++) {
      const code = codeOf(() => e.addRouteToDest({ dest: `2001:db8:${((i >> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::/64`, neighbour: nh, returnHandle: false }));
      if (code !== undefined) { expect(code).toBe('ERROR_NOT_ENOUGH_MEMORY'); break; }
    }
    expect(core.memoryBytes).toBeLessThanOrEqual(x.memoryCap());
    rtmOn(core, { clock, maxMemoryBytes: 0 });
    expect(x.memoryCap()).toBe(0);
    e.addRouteToDest({ dest: `2001:db8:${((i >> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::/64`, neighbour: nh, returnHandle: false });
    expect(x.checkInvariants(r2.ipv6.core.t)).toBe(0);
    r1.close();
    r2.close();
  });

  it('Rtm.createSync({ maxMemoryBytes }) caps the shared core', () => {
    const rtm = Rtm.createSync({ maxMemoryBytes: 2 ** 40 });
    const x = rtm.core.x as unknown as Record<string, Fn>;
    expect(x.memoryCap()).toBe(0);                              // beyond 4 GiB: no cap
    const r2 = Rtm.createSync({ maxMemoryBytes: rtm.core.memoryBytes });
    expect(x.memoryCap()).toBe(rtm.core.memoryBytes);
    Rtm.createSync({ maxMemoryBytes: 0 }).close();
    expect(x.memoryCap()).toBe(0);
    r2.close();
    rtm.close();
  });
});
