// The single calls addRouteToDest / deleteRouteToDest tell the scheduler what they signalled before they
// return (spec §7.8: the callback follows the call that caused the change, never inside it): an update
// that changes only a route's EntitySpecificInfo — the case where the facade compares the values itself
// and touches the route in a second core call — signals in that same call, by handle and by identity
// (CHANGE_FIRST), and so does a deletion; one callback per burst, as scenario 16 states.
import { describe, expect, it } from 'vitest';
import { RTM_CHANGE_TYPE_ALL as ALL, RTM_ROUTE_CHANGE_FIRST as FIRST, RTM_VIEW_MASK_UCAST as UCAST } from '../../src/constants.js';
import { implementationsWith } from '../helpers/impls.js';
import { setup, drainChanged } from '../reference/fixture.js';

describe.each(implementationsWith('notify'))('$name: the single calls signal in the call that changed', (impl) => {
  it('an EntitySpecificInfo-only update, by handle and by identity, and a deletion', () => {
    const { rtm, pb, A, B, nA, P } = setup(impl);
    const nb = B.registerForChangeNotification({ views: UCAST, notifyFlags: ALL });
    const base = { dest: P, neighbour: nA, nextHops: [nA], metric: 5, views: UCAST } as const;
    const h = A.addRouteToDest({ ...base, entitySpecificInfo: { v: 1 } }).handle!;
    expect(rtm.runPending()).toBe(1);
    expect(drainChanged(B, nb).length).toBe(1);
    // by handle: only the EntitySpecificInfo is new
    A.addRouteToDest({ ...base, route: h, entitySpecificInfo: { v: 2 } });
    expect(rtm.runPending()).toBe(1);
    expect(pb.events.length).toBe(2);
    expect(drainChanged(B, nb).length).toBe(1);
    // by identity (CHANGE_FIRST finds the same route), no handle returned
    A.addRouteToDest({ ...base, changeFlags: FIRST, returnHandle: false, entitySpecificInfo: { v: 3 } });
    expect(rtm.runPending()).toBe(1);
    expect(pb.events.length).toBe(3);
    expect(drainChanged(B, nb).length).toBe(1);
    // the same value again: no change, no signal
    const same = { v: 4 };
    A.addRouteToDest({ ...base, route: h, entitySpecificInfo: same });
    expect(rtm.runPending()).toBe(1);
    expect(drainChanged(B, nb).length).toBe(1);
    A.addRouteToDest({ ...base, route: h, entitySpecificInfo: same });
    expect(rtm.runPending()).toBe(0);
    expect(drainChanged(B, nb).length).toBe(0);
    // a deletion signals in its call too
    A.deleteRouteToDest(h);
    expect(rtm.runPending()).toBe(1);
    expect(drainChanged(B, nb).length).toBe(1);
    expect(pb.events.length).toBe(5);
  });
});
