// Regression test for a finding of the fuzz harness (test/fuzz/harness.ts, seed 3): route expiries that
// fall due at the same instant in the IPv4 and the IPv6 table of one instance must run in creation order
// (spec §7.6 rule T4), whatever the table — the scheduler took the IPv4 table's first. Both
// implementations, with a VirtualClock; the callbacks are recorded in delivery order.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { PROTO_IP_OSPF, PROTO_IP_RIP, RTM_ROUTE_EXPIRED } from '../../src/win32/constants.js';
import type { EntityLike } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';

describe.each(IMPLEMENTATIONS.map((i) => [i.name, i] as const))('%s: expiries at the same instant in two tables', (_n, impl) => {
  it.each([['IPv6 first', ['ipv6', 'ipv4', 'ipv6']], ['IPv4 first', ['ipv4', 'ipv6', 'ipv4']]] as const)(
    '%s: creation order across the tables', (_l, order) => {
      const clock = new VirtualClock();
      const rtm = impl.create({ clock });
      const seen: string[] = [];
      const ents: Record<string, EntityLike> = {};
      for (const fam of ['ipv4', 'ipv6'] as const) {
        ents[fam] = rtm.registerEntity({ addressFamily: fam, protocolId: fam === 'ipv4' ? PROTO_IP_RIP : PROTO_IP_OSPF }, {
          onEvent: (type, c1) => { if (type === RTM_ROUTE_EXPIRED) seen.push(`${fam} ${String(names.get(c1 as number))}`); return undefined; },
        });
      }
      const names = new Map<number, string>();
      order.forEach((fam, i) => {
        const dest = fam === 'ipv4' ? `10.${i}.0.0/16` : `2001:db8:${i}::/48`;
        const h = ents[fam].addRouteToDest({ dest, timeToLive: 10 }).handle!;
        names.set(h, `#${i}`);
      });
      clock.advance(10);
      rtm.runPending();
      expect(seen).toEqual(order.map((fam, i) => `${fam} #${i}`));
      rtm.close();
    });
});
