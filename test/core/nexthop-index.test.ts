// Next hops by index (issue 13): 100,000 next hops of one entity through Entity.addNextHop on the debug
// core, with deletes and re-adds (of next hops still waiting to be ordered, and of ordered ones); the
// core's invariants (the hash against the ordered tree and the pending list, counts) hold
// throughout; find and enumerations agree with the reference model on the next hops of one /14 (the model
// is linear per call, so it holds that subset only) and the whole enumeration is in (address, interface)
// order. Running out of memory for the index is ERROR_NOT_ENOUGH_MEMORY and changes nothing.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import { RTM_ENUM_NEXT as NEXT, RTM_ENUM_RANGE as RANGE, RTM_NEXTHOP_CHANGE_NEW } from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, RtmLike } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';

interface Id { addr: number; len: number; ifIndex: number; text: string; name: string }

const dotted = (a: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
function id(addr: number, len: number, ifIndex: number): Id {
  const a = len === 0 ? 0 : (addr & (0xffffffff << (32 - len))) >>> 0;
  const text = len === 32 ? dotted(a) : `${dotted(a)}/${len}`;
  return { addr: a, len, ifIndex, text, name: `${text}%${ifIndex}` };
}
/** (address in canonical prefix order, then interface), as spec §8.8.8 orders next hops. */
function order(x: Id, y: Id): number {
  const m = Math.min(x.len, y.len);
  const mask = m === 0 ? 0 : (0xffffffff << (32 - m)) >>> 0;
  const a = (x.addr & mask) >>> 0, b = (y.addr & mask) >>> 0;
  if (a !== b) return a < b ? -1 : 1;
  return x.len - y.len || x.ifIndex - y.ifIndex;
}

function names(e: EntityLike, hs: readonly NextHopHandle[]): string[] {
  return hs.map((h) => { const i = e.getNextHopInfo(h); e.releaseNextHopInfo(i); return `${i.address}%${i.interfaceIndex}`; });
}
function drain(e: EntityLike, o: Parameters<EntityLike['createNextHopEnum']>[0], count: number, limit = Infinity): string[] {
  const en = e.createNextHopEnum(o);
  const out: string[] = [];
  for (;;) {
    const { items, done } = e.getEnumNextHops({ enumHandle: en, count });
    out.push(...names(e, items));
    e.releaseNextHops(items);
    if (done || out.length >= limit) break;
  }
  e.deleteEnumHandle(en);
  return out;
}

const SUBSET = { addr: 0x0a400000, len: 14, text: '10.64.0.0/14' };
const inSubset = (x: Id): boolean => x.len >= SUBSET.len && (x.addr >>> (32 - SUBSET.len)) === (SUBSET.addr >>> (32 - SUBSET.len));

describe('next hops by index', () => {
  it('100,000 next hops of one entity: find, enumerations and invariants agree with the model', () => {
    const BATCH = 4000;
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', maxHandlesInEnum: BATCH });
    const model = createModel({ families: ['ipv4'], maxHandlesInEnum: BATCH }) as unknown as RtmLike;
    const ident = { addressFamily: 'ipv4' as const, protocolId: 8, instanceId: 0 };
    const W = rtm.registerEntity(ident) as unknown as EntityLike, M = model.registerEntity(ident);
    const table = rtm.ipv4.core;
    const x = rtm.core.x as unknown as Record<string, () => number>;
    const bytes0 = x.nhIndexBytes();
    const rnd = mulberry32(13);
    const live = new Map<string, Id>();
    const draw = (): Id => {
      // mostly full addresses in 10/8, a few shorter "addresses" (prefixes) and shared addresses
      const len = rnd() % 50 === 0 ? 24 + (rnd() % 8) : 32;
      return id((0x0a000000 | (rnd() & 0xffffff)) >>> 0, len, 1 + (rnd() % 4));
    };
    const bad: string[] = [];   // mismatches of the hot loops, asserted once per phase
    const add = (n: Id): void => {
      const r = W.addNextHop({ address: n.text, interfaceIndex: n.ifIndex, returnHandle: false });
      if (r.changeFlags !== (live.has(n.name) ? 0 : RTM_NEXTHOP_CHANGE_NEW)) bad.push(`add ${n.name}: changeFlags ${r.changeFlags}`);
      if (inSubset(n) && M.addNextHop({ address: n.text, interfaceIndex: n.ifIndex, returnHandle: false }).changeFlags !== r.changeFlags) {
        bad.push(`add ${n.name}: model disagrees`);
      }
      live.set(n.name, n);
    };
    const del = (n: Id): void => {
      W.deleteNextHop({ address: n.text, interfaceIndex: n.ifIndex });
      if (inSubset(n)) M.deleteNextHop({ address: n.text, interfaceIndex: n.ifIndex });
      live.delete(n.name);
    };
    const compare = (tag: string): void => {
      expect(bad, `${tag}: addNextHop answers`).toEqual([]);
      expect(table.checkInvariants(), `${tag}: core invariants (next-hop index included)`).toBe(0);
      expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS')), `${tag}: next hops`).toBe(live.size);
      const range = { enumFlags: RANGE, address: SUBSET.text };
      const want = drain(M, range, 997);
      expect(want.length, `${tag}: subset size`).toBeGreaterThan(500);
      expect(drain(W, range, 997), `${tag}: RANGE ${SUBSET.text}`).toEqual(want);
      expect(drain(W, range, BATCH), `${tag}: RANGE ${SUBSET.text}, large batches`).toEqual(want);
      const from = want[Math.floor(want.length / 2)].split('%')[0];
      expect(drain(W, { enumFlags: NEXT, address: from }, 100, 300).slice(0, 200), `${tag}: NEXT ${from}`)
        .toEqual(drain(M, { enumFlags: NEXT, address: from }, 100, 300).slice(0, 200));
      // find: present and absent identities, against the model in the subset
      const present = [...live.values()];
      for (let i = 0; i < 1500; i++) {
        const n = i % 2 === 0 ? present[rnd() % present.length] : draw();
        const f = W.findNextHop({ address: n.text, interfaceIndex: n.ifIndex });
        if ((f !== undefined) !== live.has(n.name)) bad.push(`find ${n.name}: ${f !== undefined}`);
        if (f) W.releaseNextHops([f.handle]);
        if (inSubset(n)) {
          const g = M.findNextHop({ address: n.text, interfaceIndex: n.ifIndex });
          if ((g !== undefined) !== (f !== undefined)) bad.push(`find ${n.name}: model ${g !== undefined}`);
          if (g) M.releaseNextHops([g.handle]);
        }
      }
      expect(bad, `${tag}: findNextHop answers`).toEqual([]);
    };

    while (live.size < 100_000) add(draw());
    compare('100,000 added');
    const all = [...live.values()];
    for (let i = 0; i < 30_000; i++) { const n = all[rnd() % all.length]; if (live.has(n.name)) del(n); }
    compare('after deletes');
    // re-adds wait unordered until the next enumeration; some of them go again before it
    const again: Id[] = [];
    for (let i = 0; i < 10_000; i++) { const n = i % 2 === 0 ? all[rnd() % all.length] : draw(); if (!live.has(n.name)) again.push(n); add(n); }
    for (let i = 0; i < again.length; i += 5) if (live.has(again[i].name)) del(again[i]);
    compare('after re-adds');
    // the whole enumeration: every live next hop once, in (address, interface) order
    expect(drain(W, undefined, BATCH)).toEqual([...live.values()].sort(order).map((n) => n.name));
    for (let i = 0; i < 1000; i++) add(draw());             // deregistration meets ordered and unordered ones
    expect(table.checkInvariants()).toBe(0);

    // deregistration deletes them all and gives the index memory back to the free lists
    W.deregister();
    expect(table.checkInvariants()).toBe(0);
    expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS'))).toBe(0);
    expect(x.nhIndexBytes()).toBe(bytes0);
    rtm.close();
  });

  it('no memory for the index: ERROR_NOT_ENOUGH_MEMORY, nothing changed, later calls work', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const table = rtm.ipv4.core;
    const x = rtm.core.x as unknown as { nhIndexAllocBudget(n: number): void };
    const expectNoMemory = (address: string): void => {
      let err: unknown;
      try { e.addNextHop({ address, interfaceIndex: 1 }); } catch (caught) { err = caught; }
      expect(err).toBeInstanceOf(RtmError);
      expect((err as RtmError).code).toBe('ERROR_NOT_ENOUGH_MEMORY');
    };
    const hops = (): string[] => names(e as unknown as EntityLike, (() => {
      const en = e.createNextHopEnum();
      const { items } = e.getEnumNextHops({ enumHandle: en });
      e.deleteEnumHandle(en);
      return items;
    })());
    try {
      // (session 10) the first next hop needs no block (it is its entity's tree root); the second needs
      // one, which takes both in
      x.nhIndexAllocBudget(0);
      e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1, returnHandle: false });
      expect(table.checkInvariants()).toBe(0);
      const first = hops();
      expect(first.length).toBe(1);
      expectNoMemory('192.0.2.2');
      expect(e.findNextHop({ address: '192.0.2.2', interfaceIndex: 1 })).toBeUndefined();
      const one = e.findNextHop({ address: '192.0.2.1', interfaceIndex: 1 })!;
      e.releaseNextHops([one.handle!]);
      expect(hops()).toEqual(first);
      expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS'))).toBe(1);
      expect(table.checkInvariants()).toBe(0);
      x.nhIndexAllocBudget(-1);
      // the fifth needs a larger one (6 buckets, load ≤ 3/4)
      for (let i = 2; i <= 4; i++) e.addNextHop({ address: `192.0.2.${i}`, interfaceIndex: 1, returnHandle: false });
      const before = hops();
      x.nhIndexAllocBudget(0);
      expectNoMemory('192.0.2.9');
      expect(e.findNextHop({ address: '192.0.2.9', interfaceIndex: 1 })).toBeUndefined();
      // an existing next hop is still found and updated without memory
      expect(e.addNextHop({ address: '192.0.2.3', interfaceIndex: 1, flags: 1, returnHandle: false }).changeFlags).toBe(0);
      expect(hops()).toEqual(before);
      expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS'))).toBe(4);
      expect(table.checkInvariants()).toBe(0);
      x.nhIndexAllocBudget(-1);
      for (let i = 5; i <= 40; i++) e.addNextHop({ address: `192.0.2.${i}`, interfaceIndex: 1, returnHandle: false });
      expect(hops().length).toBe(40);
      expect(table.checkInvariants()).toBe(0);
    } finally {
      x.nhIndexAllocBudget(-1);
      rtm.close();
    }
  });
});
