// The DestInfo records of getChangedDests (port/records.ts readDestRecords: prefix text from cached octet
// strings, viewInfo arrays of exactly their length) against the reference model and against getDestInfo:
// prefixes over the whole IPv4 octet range (each first-two-octet value seen several times, edge values
// 0 and 255, lengths 0..32, IPv6 beside them), registrations of one view, the other view and both, routes
// in one or both views. Each record must carry the model's own enumerable keys and values (handles
// compared through what they name), and equal the getDestInfo record of the same destination.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { formatPrefix } from '../../src/address.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST,
} from '../../src/win32/constants.js';
import type { DestInfo, EntityLike, NextHopHandle, NotifyHandle, RtmLike } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';

const BOTH = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
const REG_VIEWS = [RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, BOTH];

/** IPv4 prefixes (text, host bits cleared): edge values, then random ones reusing a few first-two-octet values. */
function v4Prefixes(seed: number, n: number): string[] {
  const rnd = mulberry32(seed);
  const out = new Set<string>(['0.0.0.0/0', '255.255.255.255/32', '255.255.0.0/16', '0.255.0.0/16', '128.0.0.0/1', '1.2.3.4/32', '10.0.0.0/8']);
  const highs = Array.from({ length: 40 }, () => rnd() >>> 16);
  while (out.size < n) {
    const hi = rnd() % 3 === 0 ? rnd() >>> 16 : highs[rnd() % highs.length];
    const len = rnd() % 33, mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    out.add(formatPrefix(4, [(((hi << 16) | (rnd() & 0xffff)) & mask) >>> 0, 0, 0, 0], 0, len));
  }
  return [...out];
}

interface Side { rtm: RtmLike; v4: EntityLike[]; v6: EntityLike[]; hops4: NextHopHandle[]; hops6: NextHopHandle[]; notify4: NotifyHandle[]; notify6: NotifyHandle[] }

function makeSide(rtm: RtmLike): Side {
  const side: Side = { rtm, v4: [], v6: [], hops4: [], hops6: [], notify4: [], notify6: [] };
  for (const [family, list] of [['ipv4', side.v4], ['ipv6', side.v6]] as const) {
    for (const protocolId of [PROTO_IP_BGP, PROTO_IP_RIP, PROTO_IP_OSPF]) list.push(rtm.registerEntity({ addressFamily: family, protocolId, instanceId: 0 }));
  }
  side.v4.slice(0, 2).forEach((e, i) => side.hops4.push(e.addNextHop({ address: `192.0.2.${i + 1}`, interfaceIndex: i + 1 }).handle!));
  side.v6.slice(0, 2).forEach((e, i) => side.hops6.push(e.addNextHop({ address: `2001:db8::${i + 1}`, interfaceIndex: i + 1 }).handle!));
  for (const views of REG_VIEWS) {
    side.notify4.push(side.v4[2].registerForChangeNotification({ views, notifyFlags: RTM_CHANGE_TYPE_ALL }));
    side.notify6.push(side.v6[2].registerForChangeNotification({ views, notifyFlags: RTM_CHANGE_TYPE_ALL }));
  }
  return side;
}

/** A record with its handles replaced by what they name (the same on both sides): owner index, route owner / preference. */
function norm(owners: EntityLike[], watcher: EntityLike, d: DestInfo): unknown {
  const ownerOf = (h: number | undefined) => (h === undefined ? undefined : owners.findIndex((e) => e.handle === h));
  const routeOf = (h: number | undefined) => {
    if (h === undefined) return undefined;
    const r = watcher.getRouteInfo(h);
    const named = `${ownerOf(r.owner)}/${r.preference}`;
    watcher.releaseRouteInfo(r);
    return named;
  };
  return {
    keys: Object.keys(d), prefix: d.prefix, address: d.address, views: d.views, lastChanged: d.lastChanged,
    viewInfo: d.viewInfo.map((v) => ({ keys: Object.keys(v), viewId: v.viewId, numRoutes: v.numRoutes, destFlags: v.destFlags,
      route: routeOf(v.route), owner: ownerOf(v.owner), holdRoute: routeOf(v.holdRoute) })),
  };
}

describe('getChangedDests records', () => {
  it.each([1, 2])('match the reference model and getDestInfo, over the IPv4 octet range (seed %i)', (seed) => {
    const sides = [makeSide(createModel({ clock: new VirtualClock() }) as unknown as RtmLike),
      makeSide(Rtm.createSync({ clock: new VirtualClock(), maxHandlesInEnum: 37 }) as unknown as RtmLike)];
    const p4 = v4Prefixes(seed, 600);
    const p6 = ['::/0', '2001:db8::/32', '2001:db8:ffff:1::/64', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'];
    const rnd = mulberry32(seed * 7919);
    const plan = p4.map((p) => ({ p, owner: rnd() % 2, views: 1 + (rnd() % 3), second: rnd() % 4 === 0 }));
    for (const s of sides) {
      for (const { p, owner, views, second } of plan) {
        s.v4[owner].addRouteToDest({ dest: p, nextHops: [s.hops4[owner]], preference: 10 + owner, views });
        if (second) s.v4[1 - owner].addRouteToDest({ dest: p, nextHops: [s.hops4[1 - owner]], preference: 30, views: BOTH });
      }
      p6.forEach((p, i) => s.v6[i % 2].addRouteToDest({ dest: p, nextHops: [s.hops6[i % 2]], preference: 5, views: 1 + (i % 3) }));
    }
    for (const [fam, key] of [['v4', 'notify4'], ['v6', 'notify6']] as const) {
      for (let ri = 0; ri < REG_VIEWS.length; ri++) {
        const got = sides.map((s) => {
          const watcher = s[fam][2], out: unknown[] = [];
          for (;;) {
            const b = watcher.getChangedDests({ notifyHandle: s[key][ri], count: 37 });
            for (const d of b.items) {
              out.push(norm(s[fam], watcher, d));
              const full = watcher.getDestInfo({ dest: d.handle, views: REG_VIEWS[ri] });
              expect(d).toEqual(full);
              expect(Object.keys(d)).toEqual(Object.keys(full));
              watcher.releaseDestInfo(full);
            }
            watcher.releaseChangedDests({ notifyHandle: s[key][ri], dests: b.items });
            if (b.done) break;
          }
          return out;
        });
        expect(got[1], `${fam} registration of views ${REG_VIEWS[ri]}`).toEqual(got[0]);
        // the registration of both views sees every destination; the others, those with a route in their view
        if (REG_VIEWS[ri] === BOTH) expect((got[1] as unknown[]).length).toBe(fam === 'v4' ? p4.length : p6.length);
        else expect((got[1] as unknown[]).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('getChangedDests prefix text', () => {
  // readDestRecords keeps the text it made per destination slot (port/records.ts destPrefix): a slot that
  // a freed destination leaves to another prefix — the same key at another length, another key at the
  // same length — must get its own text, in the changed records and in getDestInfo alike
  it('is the prefix of the destination when slots are reused by other prefixes', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock() });
    const owner = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_BGP, instanceId: 0 });
    const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_OSPF, instanceId: 0 });
    const hop = owner.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const nh = watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const drain = (): DestInfo[] => {
      const all: DestInfo[] = [];
      for (;;) {
        const b = watcher.getChangedDests({ notifyHandle: nh, count: 50 });
        for (const d of b.items) {
          all.push({ ...d });
          const full = watcher.getDestInfo({ dest: d.handle });
          expect(full.prefix).toBe(d.prefix);
          watcher.releaseDestInfo(full);
        }
        watcher.releaseChangedDests({ notifyHandle: nh, dests: b.items });
        if (b.done) return all;
      }
    };
    const slot = (h: number) => h % 2 ** 25;
    const rounds = [
      Array.from({ length: 200 }, (_, i) => `10.${i}.0.0/16`),
      Array.from({ length: 200 }, (_, i) => `10.${i}.0.0/17`),   // same key words, other length
      Array.from({ length: 200 }, (_, i) => `10.${i}.128.0/17`),   // other key, same length
      Array.from({ length: 200 }, (_, i) => `10.${i}.0.0/16`),   // the first prefixes again, in new destinations
    ];
    const slotsSeen = new Set<number>();
    let reused = 0;
    for (const prefixes of rounds) {
      // each destination's text made four times (records and getDestInfo, when added and when deleted): kept
      // from the second time on
      const routes = prefixes.map((p) => owner.addRouteToDest({ dest: p, nextHops: [hop], preference: 10, returnHandle: true }).handle!);
      let got = drain();
      expect(got.map((d) => d.prefix).sort()).toEqual([...prefixes].sort());
      for (const d of got) { if (slotsSeen.has(slot(d.handle))) reused++; slotsSeen.add(slot(d.handle)); }
      // deleted last to first: the free slots are taken again first to last, each by the next round's
      // prefix of the same index
      [...routes].reverse().forEach((r) => owner.deleteRouteToDest(r));
      got = drain();
      expect(got.map((d) => d.prefix).sort()).toEqual([...prefixes].sort());
    }
    expect(reused).toBeGreaterThan(0);   // the rounds did reuse slots
  });
});
