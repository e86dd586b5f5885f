// The changed-destination drain under churn, against a naive model of the watcher's references (a Map
// handle → count) and of its pending records (an ordered list): seeded random route changes in two views,
// getChangedDests batches of random size on two registrations, releaseChangedDests of random mixes
// (records in any order, copies, records released before, records of the other registration, handles
// given back separately beforehand, batches of more handles than one refDropManyX call takes), then
// deregistration with records left. Every step checks every count, and which calls fail.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST } from '../../src/win32/constants.js';
import type { DestInfo, NotifyHandle, RouteHandle } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function code(f: () => unknown): string | undefined {
  try { f(); return undefined; } catch (e) { if (e instanceof RtmError) return e.code; throw e; }
}

/** The handles a record holds references on, in the order the release gives them back. */
function handlesOf(d: DestInfo): number[] {
  const hs: number[] = [d.handle];
  for (const v of d.viewInfo) for (const h of [v.route, v.owner, v.holdRoute]) if (h !== undefined) hs.push(h);
  return hs;
}

describe.each([1, 2, 3])('changed-destination drain churn (seed %i)', (seed) => {
  it('references and pending records follow the model through every step', () => {
    const rand = rng(seed), pick = (n: number) => Math.floor(rand() * n);
    const rtm = Rtm.createSync({ clock: new VirtualClock(), families: ['ipv4'], maxHandlesInEnum: 4000 });
    const bgp = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 0 }) as Entity;
    const rip = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 0 }) as Entity;
    const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 0 }) as Entity;
    const stranger = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 1 }) as Entity;
    const owners = [bgp, rip];
    const hops = owners.map((e, i) => e.addNextHop({ address: `192.0.2.${i + 1}`, interfaceIndex: i + 1 }).handle!);
    const BOTH = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
    const reg = watcher.registerForChangeNotification({ views: BOTH, notifyFlags: RTM_CHANGE_TYPE_BEST });
    const reg2 = watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
    const strangerReg = stranger.registerForChangeNotification({ views: BOTH, notifyFlags: RTM_CHANGE_TYPE_BEST });

    const held = new Map<number, number>();             // the watcher's references, by handle
    const pending = new Map<NotifyHandle, DestInfo[]>([[reg, []], [reg2, []]]);   // in hand-out order
    const routes = new Map<string, RouteHandle>();      // `${owner}/${prefix}` → route (its owner's reference)
    const P = 2600;
    const prefix = (i: number) => `10.${i >> 8}.${i & 255}.0/24`;

    const change = (n: number) => {
      for (let k = 0; k < n; k++) {
        const o = pick(2), p = prefix(pick(P)), key = `${o}/${p}`, r = routes.get(key);
        if (r !== undefined && rand() < 0.4) { owners[o].deleteRouteToDest(r); routes.delete(key); continue; }
        const views = 1 + pick(3);
        const h = owners[o].addRouteToDest({ dest: p, neighbour: hops[o], nextHops: [hops[o]], preference: 1 + pick(5), views, returnHandle: r === undefined }).handle;
        if (r === undefined) routes.set(key, h!);
      }
    };
    const pull = (h: NotifyHandle, count: number) => {
      const { items } = watcher.getChangedDests({ notifyHandle: h, count });
      expect(items.length).toBeLessThanOrEqual(count);
      for (const d of items) {
        expect(d.viewInfo.length).toBe(h === reg ? 2 : 1);
        for (const x of handlesOf(d)) held.set(x, (held.get(x) ?? 0) + 1);
        pending.get(h)!.push(d);
      }
      return items;
    };
    /** The model of releaseChangedDests(h, given): the records it finds, the references it gives back, whether it fails. */
    const modelRelease = (h: NotifyHandle, given: readonly DestInfo[]): boolean => {
      const list = pending.get(h)!;
      let bad = 0, notHeld = 0;
      for (const g of given) {
        let at = list.indexOf(g);
        if (at < 0) at = list.findIndex((x) => x.handle === g.handle);   // a copy (or a record not pending): by handle
        if (at < 0) { bad++; continue; }
        const [rec] = list.splice(at, 1);
        for (const x of handlesOf(rec)) {
          const c = held.get(x) ?? 0;
          if (c === 0) notHeld++; else held.set(x, c - 1);
        }
      }
      return bad > 0 || notHeld > 0;
    };
    const stats = { failed: 0, separately: 0 };
    const release = (h: NotifyHandle, given: readonly DestInfo[]) => {
      const fails = modelRelease(h, given);
      if (fails) stats.failed++;
      expect(code(() => watcher.releaseChangedDests({ notifyHandle: h, dests: given }))).toBe(fails ? 'ERROR_INVALID_HANDLE' : undefined);
    };
    const verify = () => {
      for (const [x, c] of held) {
        expect(watcher.refCount(x)).toBe(c);
        if (c === 0) held.delete(x);
      }
    };
    const shuffle = <T>(a: T[]): T[] => {
      for (let i = a.length - 1; i > 0; i--) { const j = pick(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
      return a;
    };

    // a first load: more pending records than one refDropManyX call takes handles (7 each), released at once
    change(3000);
    while (pull(reg, 4000).length > 0);
    expect(pending.get(reg)!.length).toBeGreaterThan(1200);
    verify();
    release(reg, shuffle([...pending.get(reg)!]));
    verify();
    expect(pending.get(reg)!.length).toBe(0);

    const released: DestInfo[] = [];
    for (let step = 0; step < 40; step++) {
      change(1 + pick(400));
      pull(reg, 1 + pick(rand() < 0.2 ? 4000 : 150));
      if (rand() < 0.4) pull(reg2, 1 + pick(100));
      if (step % 5 === 4) verify();
      const mine = pending.get(reg)!;
      const given: DestInfo[] = [];
      for (const d of mine) if (rand() < 0.5) given.push(d);
      const extra = pick(4);
      for (let k = 0; k < extra && mine.length > 0; k++) given.push({ ...mine[pick(mine.length)] });   // copies
      if (released.length > 0 && rand() < 0.3) given.push(released[pick(released.length)]);          // released before
      const others = pending.get(reg2)!;
      if (others.length > 0 && rand() < 0.3) given.push(others[pick(others.length)]);              // of reg2
      if (rand() < 0.2 && given.length > 0) {
        // a handle of a record given back separately beforehand: the record's release then finds it not held
        const x = mine.includes(given[0]) ? given[0].viewInfo[0].route : undefined;
        if (x !== undefined && (held.get(x) ?? 0) > 0) {
          watcher.releaseRoutes([x as RouteHandle]);
          held.set(x, held.get(x)! - 1);
          stats.separately++;
        }
      }
      shuffle(given);
      released.push(...given.filter((d) => mine.includes(d)));
      release(reg, given);
      if (others.length > 0 && rand() < 0.5) release(reg2, others.filter(() => rand() < 0.5));
      // another entity's registration is not the watcher's: nothing is released
      if (mine.length > 0 && rand() < 0.2) {
        expect(code(() => watcher.releaseChangedDests({ notifyHandle: strangerReg, dests: [mine[0]] }))).toBe('ERROR_INVALID_HANDLE');
      }
    }
    verify();
    expect(stats.failed).toBeGreaterThan(5);
    expect(stats.separately).toBeGreaterThan(0);
    // deregistration gives back what reg still has pending; reg2's records are untouched
    const left = pending.get(reg)!;
    expect(left.length).toBeGreaterThan(0);
    for (const rec of left) for (const x of handlesOf(rec)) { const c = held.get(x) ?? 0; if (c > 0) held.set(x, c - 1); }
    pending.set(reg, []);
    watcher.deregisterFromChangeNotification(reg);
    verify();
    release(reg2, [...pending.get(reg2)!]);
    verify();
    expect([...held.values()].every((c) => c === 0)).toBe(true);
    rtm.close();
  });
});
