// Route flags without a flags word (issue 13, session 30: the route record is 7 words, 28 bytes). A route's
// RTM_ROUTE_INFO Flags and Flags1 live in its extra record (layout ROUTEX_FLAGS), made for the first
// non-zero value and freed when that value and every other extra word are back at their defaults; its state
// is two bits of the views word. Checked here: every path that sets flags (addRouteToDest creating and
// updating, addRoutesBatch on its bulk and its incremental path, applyUpdates, which sets them to 0), the
// record's life beside a neighbour and a timer that share it, a DELETED route kept by a reference (it keeps
// its flags until it is freed), the change flags an update of flags alone reports (against the reference
// model), the count of extra records in use and the debug core's invariants after each step.
import { describe, expect, it } from 'vitest';
import {
  ERROR_NOT_SUPPORTED, NO_ERROR, RTM_ROUTE_EXPIRED, RTM_ROUTE_STATE_CREATED, RTM_ROUTE_STATE_DELETED,
} from '../../src/win32/constants.js';
import type { EntityLike, RouteHandle } from '../../src/types.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { setup, type World } from '../reference/fixture.js';
import { batchWorld, extras, invariants, routesByIndex } from '../helpers/extrarecords.js';

const MODEL = IMPLEMENTATIONS.find((i) => i.name === 'model')!;
const WASM = IMPLEMENTATIONS.find((i) => i.name === 'wasm')!;

/** Flags, Flags1 and State of a route, read through getRouteInfo (the reference given back). */
function fields(e: EntityLike, r: RouteHandle): [number, number, number] {
  const info = e.getRouteInfo(r);
  e.releaseRouteInfo(info);
  return [info.flags, info.flags1, info.state];
}

describe('route flags in the extra record', () => {
  it('addRouteToDest: made for the first non-zero Flags or Flags1, kept beside a neighbour and a timer, freed at zero; change flags as the model\'s', () => {
    const worlds = [MODEL, WASM].map((impl) => setup(impl));
    for (const x of worlds) for (const p of [x.pa, x.pb]) p.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);
    const w = worlds[1];
    const base = extras(w.rtm);
    // each step: the options of an update of A's route (the first creates it), the extra records expected after it
    const steps: { what: string; o: Record<string, unknown>; extra: number }[] = [
      { what: 'created without flags', o: {}, extra: 0 },
      { what: 'Flags set', o: { flags: 0x0005 }, extra: 1 },
      { what: 'Flags changed', o: { flags: 0x8000 }, extra: 1 },
      { what: 'Flags1 too', o: { flags: 0x8000, flags1: 0x7f }, extra: 1 },
      { what: 'Flags1 alone', o: { flags1: 0x7f }, extra: 1 },
      { what: 'the same again', o: { flags1: 0x7f }, extra: 1 },
      { what: 'none', o: {}, extra: 0 },
      { what: 'a neighbour that is not the next hop', o: { otherNeighbour: true }, extra: 1 },
      { what: 'and Flags', o: { otherNeighbour: true, flags: 2 }, extra: 1 },
      { what: 'Flags gone, the neighbour stays', o: { otherNeighbour: true }, extra: 1 },
      { what: 'Flags and a timer', o: { flags: 0x10, timeToLive: 50 }, extra: 1 },
      { what: 'the timer kept, Flags gone', o: { timeToLive: 50 }, extra: 1 },
      { what: 'no timer', o: { flags: 0x10, timeToLive: 0xffffffff }, extra: 1 },
      { what: 'nothing', o: {}, extra: 0 },
    ];
    const routes = worlds.map(() => undefined as RouteHandle | undefined);
    // a second next hop of A's, so that the neighbour need not be the one next hop (then an extra word of its own)
    const second = worlds.map((x) => x.A.addNextHop({ address: '10.0.0.3', interfaceIndex: 3 }).handle!);
    for (const s of steps) {
      const got = worlds.map((x, i) => {
        const nA2 = second[i];
        const { otherNeighbour, ...o } = s.o;
        const res = x.A.addRouteToDest({
          dest: '10.1.0.0/16', nextHops: [x.nA], neighbour: otherNeighbour ? nA2 : x.nA, metric: 1, ...o,
          ...(routes[i] === undefined ? {} : { route: routes[i] }),
        });
        routes[i] ??= res.handle;
        return [res.changeFlags, fields(x.A, routes[i]!)];
      });
      expect(got[1], s.what).toEqual(got[0]);
      const o = s.o as { flags?: number; flags1?: number };
      expect(got[1][1], `${s.what}: Flags, Flags1, State`).toEqual([o.flags ?? 0, o.flags1 ?? 0, RTM_ROUTE_STATE_CREATED]);
      expect(extras(w.rtm) - base, `${s.what}: extra records`).toBe(s.extra);
      invariants(w.rtm, s.what);
    }
    for (const x of worlds) x.rtm.close();
  });

  it('a DELETED route kept by a reference keeps its flags until it is freed', () => {
    const w: World = setup(WASM);
    const base = extras(w.rtm);
    const r = w.A.addRouteToDest({ dest: '10.2.0.0/16', nextHops: [w.nA], neighbour: w.nA, flags: 0x0101, flags1: 9 }).handle!;
    w.A.referenceHandles([r]);   // a second reference: the deletion consumes one
    w.A.deleteRouteToDest(r);
    expect(fields(w.A, r)).toEqual([0x0101, 9, RTM_ROUTE_STATE_DELETED]);
    expect(extras(w.rtm) - base).toBe(1);
    invariants(w.rtm, 'zombie with flags');
    w.A.releaseRoutes([r]);
    expect(extras(w.rtm) - base, 'freed with the route').toBe(0);
    invariants(w.rtm, 'freed');
    w.rtm.close();
  });

  it('addRoutesBatch sets flags on its bulk and incremental paths; applyUpdates sets them to 0', () => {
    const { rtm, base, A, n, keys, lens, hops } = batchWorld();   // more than a chunk: the bulk build takes it
    const flags = new Uint16Array(n);
    for (let i = 0; i < n; i++) flags[i] = i % 7 === 0 ? 0x0100 | (i & 0xff) : 0;
    A.addRoutesBatch({ count: n, keys, lens, nextHops: hops, flags });
    expect(extras(rtm) - base, 'bulk build').toBe(flags.filter((f) => f !== 0).length);
    invariants(rtm, 'bulk build');
    // the first 300 again with other flags (some set, some cleared): the chunked path, updating routes
    const m = 300;
    for (let i = 0; i < m; i++) flags[i] = i % 5 === 0 ? 0x8000 | i : 0;
    A.addRoutesBatch({ count: m, keys: keys.subarray(0, 4 * m), lens: lens.subarray(0, m), nextHops: hops.subarray(0, m), flags: flags.subarray(0, m) });
    expect(extras(rtm) - base, 'chunked path').toBe(flags.filter((f) => f !== 0).length);
    invariants(rtm, 'chunked path');
    const byIndex = routesByIndex(A, n);
    for (let i = 0; i < n; i++) if (fields(A, byIndex.get(i)!)[0] !== flags[i]) expect(fields(A, byIndex.get(i)!)[0], `record ${i}`).toBe(flags[i]);
    // applyUpdates is RtmAddRouteToDest with Flags 0: the extra records go
    A.applyUpdates({ count: n, keys, lens, kinds: new Uint8Array(n), nextHops: hops });
    for (let i = 0; i < n; i++) if (fields(A, byIndex.get(i)!)[0] !== 0) expect(fields(A, byIndex.get(i)!)[0], `record ${i} after applyUpdates`).toBe(0);
    expect(extras(rtm) - base).toBe(0);
    invariants(rtm, 'after applyUpdates');
    rtm.close();
  });
});
