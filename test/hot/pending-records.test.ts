// The bookkeeping of changed-destination records handed out by getChangedDests and not yet released
// (src/rtmv2/notify.ts keeps them in an ordered list with the membership inside each record, not in a Map
// keyed by the object): release in any order (enough to compact the list), copies released by handle
// (the first pending record of the registration for that destination), records that are no longer
// pending, the D-60 check of releaseDestInfo / releaseDests, two instances, and deregistration.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import { PROTO_IP_BGP, PROTO_IP_OSPF, RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_UCAST } from '../../src/win32/constants.js';
import type { DestInfo, NotifyHandle } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';

function code(f: () => unknown): string | undefined {
  try { f(); return undefined; } catch (e) { if (e instanceof RtmError) return e.code; throw e; }
}

function setup() {
  const rtm = Rtm.createSync({ clock: new VirtualClock(), families: ['ipv4'] });
  const bgp = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 0 }) as Entity;
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 0 }) as Entity;
  const nh = bgp.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  const reg = watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
  const nh2 = bgp.addNextHop({ address: '192.0.2.2', interfaceIndex: 2 }).handle!;
  const add = (p: string, preference = 10, hop = nh) =>
    bgp.addRouteToDest({ dest: p, neighbour: hop, nextHops: [hop], preference, returnHandle: true }).handle!;
  return { rtm, bgp, watcher, nh, nh2, reg, add };
}

function pull(watcher: Entity, reg: NotifyHandle): DestInfo[] {
  const out: DestInfo[] = [];
  for (;;) {
    const { items, done } = watcher.getChangedDests({ notifyHandle: reg, count: 100 });
    out.push(...items);
    if (done) return out;
  }
}

describe('pending changed-destination records', () => {
  it('are released in any order, by copy, once only; the references go back exactly', () => {
    const { rtm, watcher, reg, add } = setup();
    const routes = Array.from({ length: 300 }, (_, i) => add(`10.${i >> 8}.${i & 255}.0/24`));
    const recs = pull(watcher, reg);
    expect(recs.length).toBe(300);
    for (const r of recs) expect(watcher.refCount(r.handle)).toBe(1);
    // the odd ones first, one call each (many holes in the list), then every fourth even one by a copy
    for (let i = 1; i < 300; i += 2) watcher.releaseChangedDests({ notifyHandle: reg, dests: [recs[i]] });
    for (let i = 1; i < 300; i += 2) expect(watcher.refCount(recs[i].handle)).toBe(0);
    const copies = recs.filter((_, i) => i % 4 === 0).map((r) => ({ ...r }));
    watcher.releaseChangedDests({ notifyHandle: reg, dests: copies });
    for (let i = 0; i < 300; i += 2) expect(watcher.refCount(recs[i].handle)).toBe(i % 4 === 0 ? 0 : 1);
    // released records (and copies of them) are not pending any more
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [recs[0]] }))).toBe('ERROR_INVALID_HANDLE');
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [copies[1]] }))).toBe('ERROR_INVALID_HANDLE');
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [recs[2], recs[2]] }))).toBe('ERROR_INVALID_HANDLE');
    expect(watcher.refCount(recs[2].handle)).toBe(0);
    // D-60: a pending record is not a DestInfo of getDestInfo; a released one is no longer a record
    expect(code(() => watcher.releaseDestInfo(recs[6]))).toBe('ERROR_INVALID_HANDLE');
    expect(code(() => watcher.releaseDests([recs[6]]))).toBe('ERROR_INVALID_HANDLE');
    expect(watcher.refCount(recs[6].handle)).toBe(1);
    const rest = recs.filter((_, i) => i % 4 === 2 && i !== 2);
    watcher.releaseChangedDests({ notifyHandle: reg, dests: rest });
    for (const r of recs) expect(watcher.refCount(r.handle)).toBe(0);
    expect(routes.length).toBe(300);
    rtm.close();
  });

  it('a copy releases the first pending record of the registration for its destination', () => {
    const { rtm, watcher, reg, add, nh2 } = setup();
    const r1 = add('10.9.0.0/16', 20);
    const [first] = pull(watcher, reg);
    const r2 = add('10.9.0.0/16', 5, nh2);   // a better route (other neighbour): a second record for the same destination
    const [second] = pull(watcher, reg);
    expect(first.handle).toBe(second.handle);
    const best1 = first.viewInfo[0].route!, best2 = second.viewInfo[0].route!;
    expect(best1).toBe(r1);
    expect(best2).toBe(r2);
    expect(watcher.refCount(best1)).toBe(1);
    watcher.releaseChangedDests({ notifyHandle: reg, dests: [{ ...second }] });
    expect(watcher.refCount(best1)).toBe(0);                   // the first record went back
    expect(watcher.refCount(best2)).toBe(1);
    // the released first record is now a copy too: it names the destination, whose pending record is the second
    watcher.releaseChangedDests({ notifyHandle: reg, dests: [first] });
    expect(watcher.refCount(best2)).toBe(0);
    expect(watcher.refCount(second.handle)).toBe(0);
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [second] }))).toBe('ERROR_INVALID_HANDLE');
    rtm.close();
  });

  it('a copy is read before anything is released: a record its getter released meanwhile is not pending any more', () => {
    const { rtm, watcher, reg, add } = setup();
    for (let i = 0; i < 4; i++) add(`10.7.${i}.0/24`);
    const [a, b, c, d] = pull(watcher, reg);
    // the getter gives back c (later in the list) and b (earlier in the list) in calls of its own
    let reads = 0;
    const copyA = { ...a, get handle() { reads++; watcher.releaseChangedDests({ notifyHandle: reg, dests: [c, b] }); return a.handle; } };
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [b, copyA, c, d] }))).toBe('ERROR_INVALID_HANDLE');
    expect(reads).toBe(1);
    // a (by its copy) and d went back in the call, b and c in the getter's call: each once
    for (const r of [a, b, c, d]) expect(watcher.refCount(r.handle)).toBe(0);
    for (const r of [a, b, c, d]) expect(watcher.refCount(r.viewInfo[0].route!)).toBe(0);
    for (const r of [a, b, c, d]) expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [r] }))).toBe('ERROR_INVALID_HANDLE');
    rtm.close();
  });

  it('released in the order handed out, past a long run of released ones: copies still find the first pending record', () => {
    const { rtm, watcher, reg, add, nh2 } = setup();
    const N = 5000;
    for (let i = 0; i < N; i++) add(`10.${20 + (i >> 8)}.${i & 255}.0/24`);
    const first = pull(watcher, reg);
    // a second record for the first destination (a better route of another neighbour), handed out last
    const better = add('10.20.0.0/24', 5, nh2);
    const [again] = pull(watcher, reg);
    expect(again.handle).toBe(first[0].handle);
    expect(again.viewInfo[0].route).toBe(better);
    // every record but the first two, in the order handed out, in calls of 300 (the list's head moves past
    // thousands of released records while the first two stay pending)
    for (let i = 2; i < N; i += 300) watcher.releaseChangedDests({ notifyHandle: reg, dests: first.slice(i, i + 300) });
    for (let i = 2; i < N; i += 997) expect(watcher.refCount(first[i].handle)).toBe(0);
    const r0 = first[0].viewInfo[0].route!;
    expect(watcher.refCount(r0)).toBe(1);
    // a copy names the first destination: the first record handed out for it goes back, not `again`
    watcher.releaseChangedDests({ notifyHandle: reg, dests: [{ ...again }] });
    expect(watcher.refCount(r0)).toBe(0);
    expect(watcher.refCount(better)).toBe(1);
    // the released first record is a copy now: it names the destination, whose pending record is `again`
    watcher.releaseChangedDests({ notifyHandle: reg, dests: [first[1], first[0]] });
    expect(watcher.refCount(better)).toBe(0);
    expect(code(() => watcher.releaseChangedDests({ notifyHandle: reg, dests: [again] }))).toBe('ERROR_INVALID_HANDLE');
    expect(watcher.refCount(first[1].handle)).toBe(0);
    // the list is empty: new records are pending as usual
    add('10.250.0.0/16');
    const [late] = pull(watcher, reg);
    expect(watcher.refCount(late.handle)).toBe(1);
    expect(code(() => watcher.releaseDestInfo(late))).toBe('ERROR_INVALID_HANDLE');
    watcher.releaseChangedDests({ notifyHandle: reg, dests: [late] });
    expect(watcher.refCount(late.handle)).toBe(0);
    rtm.close();
  });

  it('belong to their instance and registration; deregistration gives back the pending ones', () => {
    const a = setup(), b = setup();
    for (let i = 0; i < 5; i++) { a.add(`10.1.${i}.0/24`); b.add(`10.1.${i}.0/24`); }
    const ra = pull(a.watcher, a.reg), rb = pull(b.watcher, b.reg);
    // another instance's record is not pending here (nor a DestInfo record of this instance's D-60 check)
    expect(code(() => a.watcher.releaseChangedDests({ notifyHandle: a.reg, dests: [rb[0]] }))).toBe('ERROR_INVALID_HANDLE');
    const reg2 = a.watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
    expect(code(() => a.watcher.releaseChangedDests({ notifyHandle: reg2, dests: [ra[0]] }))).toBe('ERROR_INVALID_HANDLE');
    a.watcher.releaseChangedDests({ notifyHandle: a.reg, dests: [ra[0]] });
    a.watcher.deregisterFromChangeNotification(a.reg);
    for (const r of ra) expect(a.watcher.refCount(r.handle)).toBe(0);
    for (const r of rb) expect(b.watcher.refCount(r.handle)).toBe(1);
    b.watcher.releaseChangedDests({ notifyHandle: b.reg, dests: rb });
    a.rtm.close(); b.rtm.close();
  });
});
