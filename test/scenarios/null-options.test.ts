// `null` given for a numeric option, against the reference model. The rule (README "Options"): only
// handle options take `null` as NULL (API.md: `null` and `0` both mean NULL); a numeric option is either
// left out (`undefined`: its default) or a number, and `null` there is ERROR_INVALID_PARAMETER, the
// instance unchanged and no reference taken — as every other non-number. Every numeric option of the
// calls below is given `null` in turn, alone, with everything else valid; the facade must give the
// model's result or error code and leave the instance as the model leaves it.
import { describe, expect, it } from 'vitest';
import { RtmError } from '../../src/errors.js';
import { RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_UCAST as UCAST } from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, RouteHandle } from '../../src/types.js';
import { IMPLEMENTATIONS, type Implementation } from '../helpers/impls.js';
import { setup } from '../reference/fixture.js';
import { publicSnapshot } from '../reference/public-snapshot.js';

/** What a call gave: 'ok' or its error code (values differ in handles between implementations). */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (!(err instanceof RtmError)) throw err;
    return err.code;
  }
}

type Call = (A: EntityLike, nA: NextHopHandle, rA: RouteHandle, o: Record<string, unknown>) => unknown;

/** [call, its valid options, the numeric options to null one at a time]. */
const CALLS: [string, Call, Record<string, unknown>, string[]][] = [
  ['addRouteToDest', (A, nA, _r, o) => A.addRouteToDest({ neighbour: nA, nextHops: [nA], ...o } as never),
    { dest: '10.9.0.0/16', preference: 5, metric: 1, views: UCAST, flags: 0, flags1: 0, changeFlags: 0, timeToLive: 1000 },
    ['preference', 'metric', 'views', 'flags', 'flags1', 'changeFlags', 'timeToLive']],
  ['addNextHop', (A, _n, _r, o) => A.addNextHop(o as never), { address: '10.0.0.9', interfaceIndex: 3, flags: 0 },
    ['interfaceIndex', 'flags']],
  ['findNextHop', (A, _n, _r, o) => { const r = A.findNextHop(o as never); if (r) A.releaseNextHops([r.handle]); return r; },
    { address: '10.0.0.1', interfaceIndex: 1 }, ['interfaceIndex']],
  ['getExactMatchRoute', (A, _n, _r, o) => A.getExactMatchRoute(o as never),
    { dest: '192.168.1.0/24', matchFlags: 0, views: UCAST }, ['matchFlags', 'views']],
  ['getMostSpecificDestination', (A, _n, _r, o) => A.getMostSpecificDestination(o as never),
    { dest: '192.168.1.7/32', protocolId: 0, views: UCAST }, ['protocolId', 'views']],
  ['createDestEnum', (A, _n, _r, o) => A.deleteEnumHandle(A.createDestEnum(o as never)),
    { views: UCAST, enumFlags: 0, protocolId: 0 }, ['views', 'enumFlags', 'protocolId']],
  ['createRouteEnum', (A, _n, _r, o) => A.deleteEnumHandle(A.createRouteEnum(o as never)),
    { views: UCAST, enumFlags: 0, matchFlags: 0 }, ['views', 'enumFlags', 'matchFlags']],
  ['registerForChangeNotification', (A, _n, _r, o) => A.deregisterFromChangeNotification(A.registerForChangeNotification(o as never)),
    { views: UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST }, ['views', 'notifyFlags']],
];

function run(impl: Implementation): string[] {
  const w = setup(impl);
  const { A, B, nA, nB, P } = w;
  const rA = A.addRouteToDest({ dest: P, neighbour: nA, nextHops: [nA], preference: 100, metric: 5 }).handle!;
  const probes = [P, '10.9.0.0/16'];
  const snap = () => publicSnapshot({ entities: [A, B], probes, routes: [rA], nextHops: [nA, nB] });
  const out: string[] = [];
  for (const [name, call, valid, numeric] of CALLS) {
    for (const k of numeric) {
      const before = snap();
      const got = outcome(() => call(A, nA, rA, { ...valid, [k]: null }));
      out.push(`${name} ${k}: null → ${got}`);
      if (got !== 'ok') expect(snap(), `${impl.name}: ${name} with ${k}: null changed the instance`).toEqual(before);
    }
    out.push(`${name} valid → ${outcome(() => call(A, nA, rA, valid))}`);
  }
  // registration: identity numbers
  for (const [k, identity] of [['protocolId', { protocolId: null, instanceId: 7 }], ['instanceId', { protocolId: 13, instanceId: null }]] as const) {
    out.push(`registerEntity ${k}: null → ${outcome(() => w.rtm.registerEntity({ addressFamily: 'ipv4', ...identity } as never))}`);
  }
  // the instance's own numbers
  for (const k of ['instanceId', 'maxNextHopsInRoute', 'maxHandlesInEnum', 'views', 'opaqueSlots', 'maxNotifyRegistrations']) {
    out.push(`create ${k}: null → ${outcome(() => impl.create({ [k]: null } as never).close())}`);
  }
  return out;
}

describe('null in a numeric option is ERROR_INVALID_PARAMETER, as in the model', () => {
  const [model, ...others] = IMPLEMENTATIONS;
  const want = run(model);
  it('model: every null numeric option is rejected, every valid call passes', () => {
    for (const line of want) {
      if (line.includes(': null')) expect(line).toMatch(/ERROR_INVALID_PARAMETER$/);
      else expect(line).toMatch(/ok$/);
    }
  });
  for (const impl of others) {
    it(`${impl.name}: the model's outcome for each, instance unchanged when rejected`, () => expect(run(impl)).toEqual(want));
  }
});
