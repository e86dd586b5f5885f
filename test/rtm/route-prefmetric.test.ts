// Preference and metric in one route word (issue 13, session 31: the route record is 6 words, 24 bytes).
// Word ROUTE_PM holds both in one of two packed forms — a preference below 2^10 with a metric below 2^20,
// or a preference of at least 0xf0000000 whose low 16 bits are below 2^5 (the readers' BGP preferences)
// with a metric below 2^13; any other pair sets ROUTE_PM_X and lives in the route's extra record (ROUTEX_PREF /
// ROUTEX_METRIC), made for it and freed when a packed pair comes back and nothing else is in the record.
// Checked here, each against the reference model: the route order and best routes of a destination whose
// routes mix the three (packed words are compared as words, any other pair by its values), updates that
// move a route between them at every boundary, RTM_MATCH_PREF, a DELETED route kept by a reference (it keeps its pair until it is
// freed), addRoutesBatch on its bulk and chunked paths and applyUpdates; the count of extra records in use
// and the debug core's invariants after each step.
import { describe, expect, it } from 'vitest';
import type { Rtm } from '../../src/rtm.js';
import { RTM_MATCH_PREF, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_STATE_DELETED } from '../../src/win32/constants.js';
import type { EntityLike, RouteHandle } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { setup, type World } from '../reference/fixture.js';
import { batchWorld, extras, invariants, routesByIndex } from '../helpers/extrarecords.js';

const MODEL = IMPLEMENTATIONS.find((i) => i.name === 'model')!;
const WASM = IMPLEMENTATIONS.find((i) => i.name === 'wasm')!;

/** Preference, metric and state of a route, read through getRouteInfo (the reference given back). */
function pm(e: EntityLike, r: RouteHandle): [number, number, number] {
  const info = e.getRouteInfo(r);
  e.releaseRouteInfo(info);
  return [info.preference, info.metric, info.state];
}
/** True if the pair needs the extra record (layout ROUTE_PM: it has neither packed form). */
const big = (p: number, m: number): boolean =>
  !((p < 0x400 && m < 0x100000) || (p >= 0xf0000000 && (p & 0xffff) < 0x20 && m < 0x2000));
/** The (owner is A, preference, metric) of every route of the world's table in enumeration order (route order per destination), and each view-0 best route's pair. */
function order(x: World): unknown {
  const rows: unknown[] = [];
  // (the iterators release a batch's references when they move on)
  for (const r of x.A.routes({ views: 0 })) {
    const info = x.A.getRouteInfo(r);
    rows.push([info.owner === x.A.handle ? 'A' : 'B', info.preference, info.metric]);
    x.A.releaseRouteInfo(info);
  }
  const best: unknown[] = [];
  for (const d of x.A.dests({ views: 1 })) {
    const v = d.viewInfo[0];
    if (v?.route) best.push([d.prefix, ...pm(x.A, v.route).slice(0, 2)]);
  }
  return { rows, best };
}

describe('preference and metric in one route word', () => {
  it('route order and best routes mix packed and out-of-line pairs as the model does; updates move routes between the forms', () => {
    const worlds = [MODEL, WASM].map((impl) => setup(impl));
    const w = worlds[1];
    const base = extras(w.rtm);
    const dest = '10.1.0.0/16';
    // B's routes on the same destination, at fixed pairs of both forms; A's route moves around them
    const bPairs: [number, number][] = [[5, 0x100000], [5, 0xfffff], [6, 0], [0x800, 0], [0x3ff, 0xfffff], [0xffffffff, 0xffffffff],
      [0xff9b0005, 0], [0xff9b0005, 0x2000], [0xf0000000, 0x1fff], [0xefff0000, 0], [0xffff, 0]];
    const bRoutes = worlds.map((x) => bPairs.map(([preference, metric]) =>
      x.B.addRouteToDest({ dest, nextHops: [x.nB], preference, metric, changeFlags: RTM_ROUTE_CHANGE_NEW }).handle!));
    expect(extras(w.rtm) - base, 'B\'s routes').toBe(bPairs.filter(([p, m]) => big(p, m)).length);
    const steps: [number, number][] = [
      [0, 0], [5, 0x100000], [5, 0xfffff], [5, 0x100001], [4, 0xffffffff], [0x3ff, 0], [0x400, 0], [0x801, 7],
      [6, 0], [0xffffffff, 0xffffffff], [0xfffffffe, 0], [1, 1], [5, 0xfffff], [0, 0x100000], [0, 0],
      // the second packed form and its edges: (0xffff − LOCAL_PREF) << 16 | AS-path length, MED below 2^13
      [0xff9b0005, 0], [0xff9b0005, 0x1fff], [0xff9b0005, 0x2000], [0xff9b001f, 0x1fff], [0xff9b0020, 0], [0xff9b0004, 1],
      [0xf0000000, 0], [0xefffffff, 0], [0xefff0000, 0], [0xffff001f, 0x1fff], [0xffff0000, 0], [0xffffffe0, 0],
      [0xff9b0005, 0], [0x3ff, 0xfffff], [0xff9b0005, 0],
    ];
    const aRoute = worlds.map(() => undefined as RouteHandle | undefined);
    for (const [preference, metric] of steps) {
      const what = `A at (${preference.toString(16)}, ${metric.toString(16)})`;
      const got = worlds.map((x, i) => {
        const res = x.A.addRouteToDest({ dest, nextHops: [x.nA], preference, metric, ...(aRoute[i] === undefined ? {} : { route: aRoute[i] }) });
        aRoute[i] ??= res.handle;
        return [res.changeFlags, pm(x.A, aRoute[i]!), order(x)];
      });
      expect(got[1], what).toEqual(got[0]);
      expect((got[1][1] as number[]).slice(0, 2), `${what}: read back`).toEqual([preference, metric]);
      expect(extras(w.rtm) - base, `${what}: extra records`).toBe(bPairs.filter(([p, m]) => big(p, m)).length + (big(preference, metric) ? 1 : 0));
      invariants(w.rtm, what);
      // RTM_MATCH_PREF finds A's route by its pair, and no other of A's
      const matched = worlds.map((x) => [...x.A.routes({ views: 0, matchFlags: RTM_MATCH_PREF, criteria: { preference, metric } })].length);
      expect(matched[1], `${what}: RTM_MATCH_PREF`).toBe(matched[0]);
    }
    // B's routes go: their records with them
    for (const [i, x] of worlds.entries()) for (const r of bRoutes[i]) x.B.deleteRouteToDest(r);
    expect(extras(w.rtm) - base, 'B\'s routes gone').toBe(0);
    invariants(w.rtm, 'B gone');
    for (const x of worlds) x.rtm.close();
  });

  it('a DELETED route kept by a reference keeps its pair until it is freed; lookup and bestRouteInto read every form', () => {
    const w: World = setup(WASM);
    const base = extras(w.rtm);
    const r = w.A.addRouteToDest({ dest: '10.2.0.0/16', nextHops: [w.nA], preference: 0x12345, metric: 0xabcdef01 }).handle!;
    const t = (w.rtm as unknown as Rtm).ipv4, out = new Float64Array(16);
    expect(t.bestRouteInto(t.lookupId(0x0a020304), 0, out)).toBe(true);
    expect([...out].slice(0, 16)).toContain(0x12345);
    expect([...out].slice(0, 16)).toContain(0xabcdef01);
    expect(t.lookup(0x0a020304)?.route).toMatchObject({ preference: 0x12345, metric: 0xabcdef01 });
    w.A.referenceHandles([r]);   // a second reference: the deletion consumes one
    w.A.deleteRouteToDest(r);
    expect(pm(w.A, r)).toEqual([0x12345, 0xabcdef01, RTM_ROUTE_STATE_DELETED]);
    expect(extras(w.rtm) - base).toBe(1);
    invariants(w.rtm, 'zombie with a large pair');
    w.A.releaseRoutes([r]);
    expect(extras(w.rtm) - base, 'freed with the route').toBe(0);
    invariants(w.rtm, 'freed');
    // the core's records (lookup's summary, bestRouteInto) and the facade's own readers (port records.ts:
    // the first packed form read in JavaScript, the second and escaped pairs asked of the core) agree
    const rtm = w.rtm as unknown as Rtm;
    const forms: [number, number, number][] = [[0xff9b0005, 0x1ffe, 0x0a030000], [0x3fe, 0xffffe, 0x0a040000], [0x12345, 6, 0x0a050000]];
    for (const [preference, metric, at] of forms) {
      const h = w.A.addRouteToDest({ dest: `10.${(at >>> 16) & 255}.0.0/16`, nextHops: [w.nA], preference, metric }).handle!;
      expect(t.lookup(at + 1)?.route, `lookup of (${preference}, ${metric})`).toMatchObject({ preference, metric });
      expect(t.bestRouteInto(t.lookupId(at + 1), 0, out)).toBe(true);
      expect([...out]).toEqual(expect.arrayContaining([preference, metric]));
      expect(rtm.routeSummary(t, h % 2 ** 25), 'routeSummaryOf').toMatchObject({ preference, metric });
      const view = w.A.getRoutePointer(h);
      expect([view.preference, view.metric], 'RouteOwnerView').toEqual([preference, metric]);
    }
    invariants(w.rtm, 'every form');
    w.rtm.close();
  });

  it('addRoutesBatch on its bulk and chunked paths and applyUpdates write both forms; records made and freed', () => {
    const { rtm, base, A, n, keys, lens, hops } = batchWorld();   // more than a chunk: the bulk build takes it
    const prefs = new Uint32Array(n), metrics = new Uint32Array(n);
    const pairOf = (i: number, round: number): [number, number] => {
      switch ((i + round) % 8) {
        case 0: return [0x800 + i, 0];
        case 1: return [3, 0x100000 + i];
        case 2: return [0x3ff, 0xfffff];
        case 3: return [(0xffffff00 + i) >>> 0, i];
        case 4: return [(0xff9b0000 + (i & 0x1f)) >>> 0, i & 0x1fff];   // the second packed form
        case 5: return [(0xff9b0020 + (i & 0xff)) >>> 0, 0];              // just beyond it
        default: return [1 + (i & 0x3fe), i & 0xffff];
      }
    };
    const fill = (round: number, m: number): number => {
      let k = 0;
      for (let i = 0; i < m; i++) { [prefs[i], metrics[i]] = pairOf(i, round); if (big(prefs[i], metrics[i])) k++; }
      return k;
    };
    let want = fill(0, n);
    A.addRoutesBatch({ count: n, keys, lens, nextHops: hops, preferences: prefs, metrics });
    expect(extras(rtm) - base, 'bulk build').toBe(want);
    invariants(rtm, 'bulk build');
    const byIndex = routesByIndex(A, n);
    const check = (round: number, m: number, what: string): void => {
      for (let i = 0; i < n; i++) {
        const [p, q] = pairOf(i, i < m ? round : 0);
        const [gp, gm] = pm(A, byIndex.get(i)!);
        if (gp !== p || gm !== q) expect([gp, gm], `${what}: record ${i}`).toEqual([p, q]);
      }
    };
    check(0, n, 'bulk build');
    // the first 300 again with other pairs: the chunked path, moving routes between the forms
    const m = 300;
    want += fill(1, m) - [...Array(m).keys()].filter((i) => big(...pairOf(i, 0))).length;
    A.addRoutesBatch({ count: m, keys: keys.subarray(0, 4 * m), lens: lens.subarray(0, m), nextHops: hops.subarray(0, m),
      preferences: prefs.subarray(0, m), metrics: metrics.subarray(0, m) });
    expect(extras(rtm) - base, 'chunked path').toBe(want);
    check(1, m, 'chunked path');
    invariants(rtm, 'chunked path');
    // applyUpdates with the pairs of round 2 for every record (large ones need records it reserves), then small ones
    fill(2, n);
    A.applyUpdates({ count: n, keys, lens, kinds: new Uint8Array(n), nextHops: hops, preferences: prefs, metrics });
    check(2, n, 'applyUpdates');
    expect(extras(rtm) - base, 'applyUpdates').toBe([...Array(n).keys()].filter((i) => big(...pairOf(i, 2))).length);
    invariants(rtm, 'applyUpdates');
    prefs.fill(7); metrics.fill(9);
    A.applyUpdates({ count: n, keys, lens, kinds: new Uint8Array(n), nextHops: hops, preferences: prefs, metrics });
    for (let i = 0; i < n; i += 97) expect(pm(A, byIndex.get(i)!).slice(0, 2)).toEqual([7, 9]);
    expect(extras(rtm) - base, 'small pairs again').toBe(0);
    invariants(rtm, 'small pairs again');
    rtm.close();
  });
});
