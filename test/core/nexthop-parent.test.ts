// Deleting next hops that are in the ordered tree (issue 13): each tree node keeps its parent (the upper
// bits of its NEXTHOP_LEN word), so a delete unlinks it without a seek from the root. On the debug core,
// against the reference model: ordered and unordered next hops (one-by-one and bulk ordering), IPv4 and
// IPv6, shared addresses on several interfaces, deleted by identity and by handle, re-added, with the
// core's invariants (parent links included) checked after every step and every enumeration equal to the
// model's. The invariant check sees a parent link that is wrong, and the address length stays readable.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';
import type { EntityLike, NextHopHandle, RtmLike } from '../../src/types.js';

type Fam = 'ipv4' | 'ipv6';

function all(e: EntityLike, count: number): string[] {
  const en = e.createNextHopEnum();
  const out: string[] = [];
  for (;;) {
    const { items, done } = e.getEnumNextHops({ enumHandle: en, count });
    for (const h of items) { const i = e.getNextHopInfo(h); e.releaseNextHopInfo(i); out.push(`${i.address}%${i.interfaceIndex}`); }
    e.releaseNextHops(items);
    if (done) break;
  }
  e.deleteEnumHandle(en);
  return out;
}

function address(fam: Fam, rnd: () => number): string {
  const o = rnd() % 64;
  if (fam === 'ipv4') return rnd() % 20 === 0 ? `10.${o}.${rnd() % 4}.0/24` : `10.${o}.${rnd() % 4}.${rnd() % 32}`;
  return rnd() % 20 === 0 ? `2001:db8:${o.toString(16)}::/48` : `2001:db8:${o.toString(16)}::${(rnd() % 128).toString(16)}`;
}

describe('ordered next hops: delete through the parent link', () => {
  for (const fam of ['ipv4', 'ipv6'] as const) {
    it(`${fam}: deletes and re-adds of ordered next hops agree with the model, invariants hold`, () => {
      const rtm = Rtm.createSync({ families: [fam], build: 'debug', maxHandlesInEnum: 500 });
      const model = createModel({ families: [fam], maxHandlesInEnum: 500 }) as unknown as RtmLike;
      const ident = { addressFamily: fam, protocolId: 8, instanceId: 0 };
      const W = rtm.registerEntity(ident) as unknown as EntityLike, M = model.registerEntity(ident);
      const table = fam === 'ipv4' ? rtm.ipv4.core : rtm.ipv6.core;
      const rnd = mulberry32(fam === 'ipv4' ? 31 : 37);
      const live = new Map<string, { address: string; interfaceIndex: number }>();
      const held = new Map<string, [NextHopHandle, NextHopHandle]>();   // handle of W, of M
      const add = (): void => {
        const o = { address: address(fam, rnd), interfaceIndex: 1 + (rnd() % 3) };
        const r = W.addNextHop({ ...o, returnHandle: false }), s = M.addNextHop({ ...o, returnHandle: false });
        expect(r.changeFlags).toBe(s.changeFlags);
        live.set(`${o.address}%${o.interfaceIndex}`, o);
      };
      const step = (tag: string): void => {
        expect(table.checkInvariants(), `${tag}: invariants`).toBe(0);
        expect(all(W, 97), `${tag}: enumeration`).toEqual(all(M, 97));
      };
      for (let i = 0; i < 1500; i++) add();
      step('added (bulk ordering)');
      for (let round = 0; round < 4; round++) {
        const keys = [...live.keys()];
        // by identity: ordered ones (and, after the adds below, unordered ones)
        for (let i = 0; i < 120; i++) {
          const k = keys[rnd() % keys.length];
          const o = live.get(k);
          if (!o) continue;
          W.deleteNextHop(o);
          M.deleteNextHop(o);
          live.delete(k);
        }
        expect(table.checkInvariants(), `round ${round}: invariants after deletes by identity`).toBe(0);
        // by handle: find (a reference each), then delete by that handle
        for (let i = 0; i < 40; i++) {
          const k = [...live.keys()][rnd() % live.size];
          const o = live.get(k)!;
          const f = W.findNextHop(o), g = M.findNextHop(o);
          expect(f !== undefined && g !== undefined).toBe(true);
          held.set(k, [f!.handle, g!.handle]);
        }
        for (const [k, [h, g]] of held) { W.deleteNextHop(h); M.deleteNextHop(g); live.delete(k); }
        held.clear();
        expect(table.checkInvariants(), `round ${round}: invariants after deletes by handle`).toBe(0);
        // a few new ones (ordered one by one at the next enumeration) or many (bulk)
        const n = round % 2 === 0 ? 20 : 200;
        for (let i = 0; i < n; i++) add();
        step(`round ${round}`);
      }
      // deleting every one of them, ordered, in random order
      const rest = [...live.values()];
      for (let i = rest.length - 1; i > 0; i--) { const j = rnd() % (i + 1); [rest[i], rest[j]] = [rest[j], rest[i]]; }
      for (let i = 0; i < rest.length; i++) {
        W.deleteNextHop(rest[i]);
        M.deleteNextHop(rest[i]);
        if (i % 250 === 0) expect(table.checkInvariants(), `emptying: ${i}`).toBe(0);
      }
      step('emptied');
      expect(all(W, 10)).toEqual([]);
      rtm.close();
    });
  }

  it('a wrong parent link is an invariant failure; the address length reads through it', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 }) as unknown as EntityLike;
    for (let i = 0; i < 200; i++) e.addNextHop({ address: `10.0.${i}.1`, interfaceIndex: 1, returnHandle: false });
    e.addNextHop({ address: '10.9.0.0/16', interfaceIndex: 2, returnHandle: false });
    expect(all(e, 100)).toHaveLength(201);   // ordered now
    const table = rtm.ipv4.core;
    expect(table.checkInvariants()).toBe(0);
    const f = e.findNextHop({ address: '10.0.77.1', interfaceIndex: 1 })!;
    const c = rtm.core, L = c.k;
    const slot = f.handle % 2 ** 25;
    const at = (c.x.recordPtr(L.SLAB_NEXTHOP, slot) >>> 2) + L.NEXTHOP_LEN;
    const u = c.u32(), word = u[at];
    expect(word & L.NEXTHOP_LEN_MASK).toBe(32);
    const p = e.findNextHop({ address: '10.9.0.0/16', interfaceIndex: 2 })!;
    expect(e.getNextHopInfo(p.handle).address).toBe('10.9.0.0/16');
    // the parent field now names a next hop that is not its parent
    const other = p.handle % 2 ** 25;
    u[at] = ((word & L.NEXTHOP_LEN_MASK) | ((word >>> 8 === other ? other + 1 : other) << 8)) >>> 0;
    expect(table.checkInvariants()).not.toBe(0);
    u[at] = word;
    expect(table.checkInvariants()).toBe(0);
    e.releaseNextHops([f.handle, p.handle]);
    // an unknown parent (as for a parent slot beyond 24 bits): the delete seeks from the root instead
    u[at] = ((word & L.NEXTHOP_LEN_MASK) | (0xffffff << 8)) >>> 0;   // layout NEXTHOP_PARENT_UNKNOWN << NEXTHOP_PARENT_SHIFT
    e.deleteNextHop({ address: '10.0.77.1', interfaceIndex: 1 });
    expect(table.checkInvariants()).toBe(0);
    const left = all(e, 100);
    expect(left).toHaveLength(200);
    expect(left).not.toContain('10.0.77.1%1');
    rtm.close();
  });
});
