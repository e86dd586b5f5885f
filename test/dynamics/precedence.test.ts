// updateAndUnlockRoute reports a route list that is not the caller's as ERROR_INVALID_HANDLE before it looks
// at the lock (spec D-05: handles first), on the model and on WASM alike.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import { ERROR_NOT_SUPPORTED, NO_ERROR, RTM_ROUTE_EXPIRED } from '../../src/win32/constants.js';
import { IMPLEMENTATIONS } from '../helpers/impls.js';
import { setup } from '../reference/fixture.js';

function code(f: () => unknown): string | undefined {
  try { f(); } catch (e) { if (e instanceof RtmError) return e.code; throw e; }
  return undefined;
}

describe.each(IMPLEMENTATIONS)('$name: updateAndUnlockRoute error precedence', (impl) => {
  it('an unlocked route with another entity\'s list is ERROR_INVALID_HANDLE, not ERROR_NOT_LOCKED', () => {
    const { A, B, nA, P } = setup(impl);
    const route = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA] }).handle!;
    const listOfB = B.createRouteList();
    expect(code(() => A.updateAndUnlockRoute({ route, routeList: listOfB }))).toBe('ERROR_INVALID_HANDLE');
    expect(code(() => A.updateAndUnlockRoute({ route }))).toBe('ERROR_NOT_LOCKED');
    const listOfA = A.createRouteList();
    expect(code(() => A.updateAndUnlockRoute({ route, routeList: listOfA }))).toBe('ERROR_NOT_LOCKED');
  });
});

describe.each(IMPLEMENTATIONS)('$name: updateAndUnlockRoute without edits', (impl) => {
  it('restarts the TTL and moves the route even if one of its next hops was deleted meanwhile', () => {
    const { clock, pa, A, nA, P } = setup(impl);
    pa.respond = (type) => (type === RTM_ROUTE_EXPIRED ? ERROR_NOT_SUPPORTED : NO_ERROR);   // "RTM, delete it"
    const nA2 = A.addNextHop({ address: '10.0.0.9', interfaceIndex: 1 }).handle!;
    const route = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA, nA2], timeToLive: 1000 }).handle!;
    A.deleteNextHop(nA2);                                   // the route keeps using it (D-59)
    const list = A.createRouteList();
    A.lockRoute({ route, exclusive: true });
    clock.advance(900);
    expect(A.updateAndUnlockRoute({ route, timeToLive: 1000, routeList: list })).toBe(0);
    clock.advance(900);                                     // t = 1800: the first TTL would have fired at 1000
    expect(A.isBestRoute(route)).not.toBe(0);
    const en = A.createRouteListEnum(list);
    const got = A.getListEnumRoutes({ enumHandle: en });
    expect(got.items).toEqual([route]);
    A.releaseRoutes(got.items);
    A.deleteEnumHandle(en);
    clock.advance(200);                                     // t = 2000: past the restarted TTL (1900)
    expect(A.isBestRoute(route)).toBe(0);
    expect(A.getExactMatchDestination({ dest: P, views: 0 })).toBeUndefined();
  });
});
