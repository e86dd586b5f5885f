// web/glass.ts (the looking glass's questions, no DOM) in Node on generated tables of both families:
// every answer — best route per view, the destination's routes, the less-specific chain, the direct
// more-specific children and their count — against a naive scan of the same prefix list; route edits,
// the change notifications they cause, and rejected input that leaves the table as it was. ~10 s.
import { describe, expect, it } from 'vitest';
import { Rtm, RtmError } from 'rtm-wasm';
import { loadTable } from 'rtm-wasm/load';
import { LookingGlass, MAX_CHILDREN, type Change } from '../../web/glass.js';
import { formatPrefix } from '../../src/address.js';
import { mulberry32, probes, randomPrefixes, type PrefixSet } from '../helpers/random.js';
import { naive } from './naive.js';

/** The set without duplicate prefixes, and as prefix-list text. */
function distinct(set: PrefixSet): { set: PrefixSet; lines: string[] } {
  const seen = new Map<string, number>();
  for (let i = 0; i < set.count; i++) {
    const p = formatPrefix(set.family, set.keys, 4 * i, set.lens[i]);
    if (!seen.has(p)) seen.set(p, i);
  }
  const idx = [...seen.values()];
  const keys = new Uint32Array(4 * idx.length), lens = new Uint8Array(idx.length);
  idx.forEach((i, j) => { keys.set(set.keys.subarray(4 * i, 4 * i + 4), 4 * j); lens[j] = set.lens[i]; });
  return { set: { family: set.family, keys, lens, count: idx.length }, lines: [...seen.keys()] };
}

async function setup(seed: number) {
  const v4 = distinct(randomPrefixes(seed, 4, 3000)), v6 = distinct(randomPrefixes(seed + 1, 6, 2000));
  const rtm = await Rtm.create();
  const summary = await loadTable(rtm, new TextEncoder().encode([...v4.lines, ...v6.lines].join('\n') + '\n'));
  const glass = new LookingGlass(rtm, summary);
  const changes: Change[] = [];
  glass.onChanges = (cs) => changes.push(...cs);
  return { rtm, glass, changes, v4: v4.set, v6: v6.set };
}

const settle = () => new Promise((ok) => setTimeout(ok, 0));                 // notifications come in a microtask

describe('LookingGlass.query against a naive scan', () => {
  it('addresses and prefixes of both families', async () => {
    const { rtm, glass, v4, v6 } = await setup(7);
    try {
      let checked = 0, withChildren = 0;
      for (const set of [v4, v6]) {
        const rnd = mulberry32(set.family);
        const addrs = probes(11, set, 150);
        const queries: string[] = [];
        for (let i = 0; i < 150; i++) {
          queries.push(set.family === 4 ? formatPrefix(4, addrs, i, 32).replace('/32', '')
            : formatPrefix(6, addrs.subarray(4 * i, 4 * i + 4), 0, 128).replace('/128', ''));
        }
        for (let i = 0; i < 150; i++) {
          const j = rnd() % set.count;                                       // a prefix of the table, or a neighbour length
          const len = Math.max(0, Math.min(set.family === 4 ? 32 : 128, set.lens[j] - (i % 3 === 0 ? 1 + (rnd() % 4) : i % 3 === 1 ? 4 + (rnd() % 12) : 0)));
          const k = new Uint32Array(set.keys.subarray(4 * j, 4 * j + 4));
          queries.push(formatPrefix(set.family, maskTo(k, len), 0, len));
        }
        for (const q of queries) {
          const a = glass.query(q);
          const isAddr = !q.includes('/');
          const want = naive(set, isAddr ? `${q}/${set.family === 4 ? 32 : 128}` : q);
          const exact = !isAddr && want.covering[0] === a.prefix;
          const top = isAddr || exact ? want.covering[0] : undefined;
          expect(a.family, q).toBe(set.family);
          expect(a.best.map((b) => b.view)).toEqual(['unicast', 'multicast']);
          expect(a.best[0].prefix, q).toBe(top);
          expect(a.best[1].prefix, q).toBeUndefined();
          if (top) {
            expect(a.best[0].route).toMatchObject({ owner: 'static (protocol 10006, instance 0)', protocolId: 10006, preference: 0,
              metric: 0, views: ['unicast'], bestIn: ['unicast'], nextHops: [] });
            expect(a.dest).toEqual({ prefix: top, exact: !isAddr || top === a.prefix, routes: [a.best[0].route] });
          } else {
            expect(a.dest, q).toBeUndefined();
          }
          expect(a.lessSpecific, q).toEqual(top ? want.covering.slice(1) : want.covering);
          expect(a.childCount, q).toBe(want.children.length);
          expect(a.children, q).toEqual(want.children.slice(0, MAX_CHILDREN));
          expect(a.moreSpecifics, q).toBe(want.moreSpecifics);
          expect(a.moreSpecificsCapped).toBe(false);
          checked++;
          if (want.children.length > 1) withChildren++;
        }
      }
      expect(checked).toBe(600);
      expect(withChildren).toBeGreaterThan(20);
      const wholeV4 = glass.query('0.0.0.0/0');                              // everything is more specific
      expect(wholeV4.moreSpecifics).toBe(v4.count - (naive(v4, '0.0.0.0/0').covering.length));
    } finally {
      rtm.close();
    }
  });
});

function maskTo(k: Uint32Array, len: number): Uint32Array {
  for (let w = 0; w < 4; w++) {
    const keep = len - 32 * w;
    k[w] = keep >= 32 ? k[w] : keep <= 0 ? 0 : (k[w] & ((0xffffffff << (32 - keep)) >>> 0)) >>> 0;
  }
  return k;
}

describe('LookingGlass route edits and change notifications', () => {
  it('add, update, withdraw (the page first, then the loaded table), each change reported', async () => {
    const { rtm, glass, changes, v4 } = await setup(8);
    try {
      // a prefix not in the table, unicast and multicast
      let p = '';
      for (let i = 0; ; i++) { p = `198.18.${i}.0/24`; if (!glass.query(p).dest) break; }
      const before = { dests: rtm.ipv4.destCount, routes: rtm.ipv4.routeCount };
      const add = glass.addRoute({ prefix: p, nextHop: '192.0.2.1', preference: 5, metric: 3, views: 3 });
      expect(add).toMatchObject({ family: 4, prefix: p, action: 'added', owner: 'looking-glass (protocol 3, instance 1)' });
      expect(rtm.ipv4.destCount).toBe(before.dests + 1);
      await settle();
      const page = { owner: 'looking-glass (protocol 3, instance 1)', protocolId: 3, preference: 5, metric: 3,
        views: ['unicast', 'multicast'], bestIn: ['unicast', 'multicast'], nextHops: ['192.0.2.1'] };
      expect(changes.map((c) => [c.prefix, c.best.map((b) => b.route)])).toEqual([[p, [page, page]]]);
      const a = glass.query(p);
      expect(a.best.map((b) => b.prefix)).toEqual([p, p]);
      expect(a.dest?.routes).toEqual([page]);

      // the same prefix again: the page's one route is updated (RTM_ROUTE_CHANGE_FIRST)
      expect(glass.addRoute({ prefix: p, nextHop: '192.0.2.1', preference: 5, metric: 4, views: 1 }).action).toBe('updated');
      await settle();
      expect(changes.length).toBe(2);
      expect(changes[1].best[1].route).toBeUndefined();
      expect(glass.query(p).dest?.routes.length).toBe(1);

      // a loaded prefix: the page's route joins it (not best: the loaded route has metric 0)
      const loaded = formatPrefix(4, v4.keys, 0, v4.lens[0]);
      glass.addRoute({ prefix: loaded, nextHop: '', preference: 0, metric: 9, views: 1 });
      const two = glass.query(loaded).dest!.routes;
      expect(two.map((r) => [r.owner.split(' ')[0], r.bestIn])).toEqual([['static', ['unicast']], ['looking-glass', []]]);
      await settle();
      expect(changes.length).toBe(3);

      // withdraw: the page's route, then the table's, then nothing
      expect(glass.withdrawRoute(loaded)).toMatchObject({ action: 'withdrawn', owner: 'looking-glass (protocol 3, instance 1)' });
      expect(glass.withdrawRoute(loaded)).toMatchObject({ action: 'withdrawn', owner: 'static (protocol 10006, instance 0)' });
      expect(glass.withdrawRoute(loaded)).toBeUndefined();
      expect(glass.query(loaded).dest?.prefix).not.toBe(loaded);
      await settle();
      expect(changes.slice(3).map((c) => c.prefix)).toEqual([loaded]);        // both withdrawals: one queued destination
      expect(changes[3].best.every((b) => b.route === undefined)).toBe(true);
      expect(glass.withdrawRoute(p)?.action).toBe('withdrawn');
      expect(rtm.ipv4.destCount).toBe(before.dests - 1);
      expect(rtm.ipv4.routeCount).toBe(before.routes - 1);
    } finally {
      rtm.close();
    }
  });

  it('rejects bad input with ERROR_INVALID_PARAMETER and changes nothing', async () => {
    const { rtm, glass, changes } = await setup(9);
    try {
      const before = [rtm.ipv4.destCount, rtm.ipv4.routeCount, rtm.ipv6.destCount, rtm.ipv6.routeCount];
      const bad: (() => unknown)[] = [
        () => glass.query('not-an-address'), () => glass.query('10.0.0.0/33'), () => glass.query(''),
        () => glass.addRoute({ prefix: '10.0.0.0/40', nextHop: '', preference: 0, metric: 0, views: 1 }),
        () => glass.addRoute({ prefix: '10.9.0.0/16', nextHop: '2001:db8::1', preference: 0, metric: 0, views: 1 }),
        () => glass.addRoute({ prefix: '10.9.0.0/16', nextHop: '', preference: -1, metric: 0, views: 1 }),
        () => glass.withdrawRoute('nope'),
      ];
      for (const f of bad) {
        let err: unknown;
        try { f(); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(RtmError);
        expect((err as RtmError).code).toBe('ERROR_INVALID_PARAMETER');
      }
      await settle();
      expect([rtm.ipv4.destCount, rtm.ipv4.routeCount, rtm.ipv6.destCount, rtm.ipv6.routeCount]).toEqual(before);
      expect(changes).toEqual([]);
    } finally {
      rtm.close();
    }
  });
});
