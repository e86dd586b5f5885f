// routeAddR's result record (layout.ts REC_ADD_*, issue 9): only the five words the facade reads are
// written. The route handle (REC_ADD_ROUTE) is there exactly when the facade reads it — a reference was
// taken for the caller (REC_ADD_REF = 1) or the facade must compare EntitySpecificInfo itself
// (REC_ADD_ESI_CHECK = 1) — and is 0 otherwise; the change flags and the route slot are always there.
// Each case is checked against what Entity.addRouteToDest returns for the same call on a twin instance
// (change flags, whether a handle is returned) and the handle against the instance's own exact-match route.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import type { Entity } from '../../src/entity.js';
import { VirtualClock } from '../../src/clock.js';
import { handleSlotOf } from '../../src/layout.js';
import { writePrefix } from '../../src/port/records.js';
import type { NextHopHandle, RouteHandle } from '../../src/types.js';
import { xOf, K, outF64 } from '../helpers/corerecords.js';

interface Side { rtm: Rtm; e: Entity; nh: NextHopHandle }

function side(): Side {
  const rtm = Rtm.createSync({ clock: new VirtualClock(), families: ['ipv4'] });
  const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
  const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  return { rtm, e, nh };
}

/** One routeAddR call (no EntitySpecificInfo follow-up): the status and the five record words. */
function addR(s: Side, dest: string, o: { metric: number; esi: 'null' | 'set'; wantRef: boolean; route?: RouteHandle }) {
  const core = s.rtm.core, x = xOf(core);
  const len = writePrefix(core, 4, dest);
  core.f64()[(core.io + K(core, 'IO_HOPS')) / 2] = s.nh;
  s.rtm.syncNow();
  const st = x.routeAddR(s.e.handle, len, o.route ?? 0, s.nh, 1, 0, o.metric, 1, 0, 0, 0,
    K(core, o.esi === 'null' ? 'ESI_IN_NULL' : 'ESI_IN_SET'), -1, 0, o.wantRef ? 1 : 0);
  const at = (name: string) => core.f64()[outF64(core, K(core, name))];
  const rec = {
    route: at('REC_ADD_ROUTE'), change: at('REC_ADD_CHANGE'), slot: at('REC_ADD_ROUTE_SLOT'), ref: at('REC_ADD_REF'),
    esiCheck: at('REC_ADD_ESI_CHECK'),
  };
  s.rtm.afterChange();
  return { st, rec };
}

describe('routeAddR result record', () => {
  it('has five words', () => {
    const { rtm } = side();
    expect(K(rtm.core, 'REC_ADD_WORDS')).toBe(5);
    const names = ['REC_ADD_ROUTE', 'REC_ADD_CHANGE', 'REC_ADD_ROUTE_SLOT', 'REC_ADD_REF', 'REC_ADD_ESI_CHECK'];
    expect(names.map((n) => K(rtm.core, n)).sort()).toEqual([0, 1, 2, 3, 4]);
    rtm.close();
  });

  it('writes the route handle exactly when a reference is taken or the facade must compare EntitySpecificInfo', () => {
    const a = side(), b = side();
    const dests = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/16'];
    for (const [i, dest] of dests.entries()) {
      const wantRef = i % 2 === 0;
      // create: the core's record against the facade's result
      const got = addR(a, dest, { metric: 1, esi: 'null', wantRef });
      const want = b.e.addRouteToDest({ dest, neighbour: b.nh, nextHops: [b.nh], metric: 1, returnHandle: wantRef });
      expect(got.st).toBe(0);
      expect(got.rec.change).toBe(want.changeFlags);
      expect(got.rec.ref).toBe(wantRef ? 1 : 0);
      expect(got.rec.esiCheck).toBe(0);
      if (wantRef) {
        expect(typeof want.handle).toBe('number');
        // (the twins share the process-wide core: handles differ; the record's names a's route)
        expect(got.rec.route).toBe(a.e.getExactMatchRoute({ dest })!.handle);
        expect(handleSlotOf(got.rec.route)).toBe(got.rec.slot);
      } else {
        expect(want.handle).toBeUndefined();
        expect(got.rec.route).toBe(0);
      }
      // update of the same route (found by neighbour): no reference asked, no EntitySpecificInfo → no handle
      const upd = addR(a, dest, { metric: 2, esi: 'null', wantRef: false });
      const wupd = b.e.addRouteToDest({ dest, neighbour: b.nh, nextHops: [b.nh], metric: 2, returnHandle: false });
      expect(upd.st).toBe(0);
      expect(upd.rec).toEqual({ route: 0, change: wupd.changeFlags, slot: got.rec.slot, ref: 0, esiCheck: 0 });
    }
    // a route last written by routeAddR with EntitySpecificInfo set, set again: the core cannot tell → check, with the handle
    const dest = '172.16.0.0/12';
    const first = addR(a, dest, { metric: 1, esi: 'set', wantRef: false });
    expect(first.rec).toMatchObject({ route: 0, ref: 0, esiCheck: 0 });
    const again = addR(a, dest, { metric: 1, esi: 'set', wantRef: false });
    expect(again.rec.esiCheck).toBe(1);
    expect(again.rec.ref).toBe(0);
    expect(again.rec.slot).toBe(first.rec.slot);
    expect(handleSlotOf(again.rec.route)).toBe(again.rec.slot);
    // the handle is the live route's: the facade's getExactMatchRoute on the same instance names it too
    const found = a.e.getExactMatchRoute({ dest })!;
    expect(found.handle).toBe(again.rec.route);
    // a route named by handle: no reference is taken, the handle is not written (the facade has it)
    const named = addR(a, dest, { metric: 3, esi: 'null', wantRef: true, route: found.handle });
    expect(named.st).toBe(0);
    expect(named.rec).toMatchObject({ route: 0, ref: 0, esiCheck: 0, slot: first.rec.slot });
    a.rtm.close(); b.rtm.close();
  });
});
