// A core trap inside each hot path (API.md §6), forced with the debug build's debugTrap on a private
// core: lookupId / bestRouteInto / applyUpdates / addRoutesBatch / getChangedDestIds report it as
// RtmInternalError (never a status or a bare WebAssembly.RuntimeError), and afterwards every hot path
// throws that same error.
import { describe, expect, it } from 'vitest';
import { createCoreSync } from '../../src/port/core.js';
import { RtmInternalError } from '../../src/errors.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { BEST_FIELDS } from '../../src/table.js';
import { RTM_CHANGE_TYPE_ALL } from '../../src/win32/constants.js';

function thrown(f: () => unknown): unknown {
  try { f(); } catch (err) { return err; }
  throw new Error('expected a throw');
}

function world() {
  const core = createCoreSync('debug');
  const rtm = Rtm.createSync({ core, clock: new VirtualClock() });
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
  const nA = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
  const notifyHandle = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
  A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nA, returnHandle: false });
  const id = rtm.ipv4.lookupId(0x0a010203);
  const one = { count: 1, keys: new Uint32Array([0x0a020000, 0, 0, 0]), lens: new Uint8Array([16]), kinds: new Uint8Array([0]) };
  const calls: [string, () => unknown][] = [
    ['lookupId', () => rtm.ipv4.lookupId(0x0a010203)],
    ['lookupId (IPv6)', () => rtm.ipv6.lookupId(new Uint32Array(4))],
    ['bestRouteInto', () => rtm.ipv4.bestRouteInto(id, 0, new Float64Array(BEST_FIELDS))],
    ['applyUpdates', () => A.applyUpdates(one)],
    ['addRoutesBatch', () => A.addRoutesBatch(one)],
    ['getChangedDestIds', () => A.getChangedDestIds({ notifyHandle, out: new Int32Array(8) })],
  ];
  return { core, rtm, calls };
}

describe('a core trap inside a hot path', () => {
  it.each(['bestRouteInto', 'applyUpdates', 'getChangedDestIds'])('%s: RtmInternalError, then every hot path throws it', (name) => {
    const w = world();
    expect(w.core.x.debugTrap(w.core.k.DEBUG_TRAP_NEXT)).toBe(0);
    const err = thrown(w.calls.find(([n]) => n === name)![1]);
    expect(err).toBeInstanceOf(RtmInternalError);
    expect((err as Error).cause).toBeInstanceOf(WebAssembly.RuntimeError);
    for (const [n, f] of w.calls) expect(thrown(f), n).toBe(err);
    w.rtm.close();
  });

  it('lookupId tests no poison per call: the trap stops the core\'s lookups, the repeat path too', () => {
    // the IPv4 forwarding structure made at once (threshold 1), and lookupId's repeat path primed on it
    const core = createCoreSync('debug');
    core.x.fibThreshold(1);
    const rtm = Rtm.createSync({ core, clock: new VirtualClock() });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
    A.addRouteToDest({ dest: '10.1.0.0/16', nextHops: [A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!], returnHandle: false });
    expect(core.x.tableHasFib4(rtm.ipv4.core.t, 0)).toBe(1);
    const id = rtm.ipv4.lookupId(0x0a010203);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(rtm.ipv4.lookupId(0x0a010204)).toBe(id);
    const err = thrown(() => core.x.debugTrap(core.k.DEBUG_TRAP_NOW));
    expect(err).toBeInstanceOf(RtmInternalError);
    for (const addr of [0x0a010203, 0x0b000001]) for (const view of [0, 1]) expect(thrown(() => rtm.ipv4.lookupId(addr, view))).toBe(err);
    expect(thrown(() => rtm.ipv4.lookupId(-1))).toBe(err);   // the trapped core before a bad argument, as before
    // closed after the trap: closed comes first, as for every call
    rtm.close();
    expect((thrown(() => rtm.ipv4.lookupId(0x0a010203)) as { code?: string }).code).toBe('ERROR_INVALID_HANDLE');
  });

  it('a trap elsewhere makes the hot paths throw it too', () => {
    const w = world();
    const err = thrown(() => w.core.x.debugTrap(w.core.k.DEBUG_TRAP_NOW));
    expect(err).toBeInstanceOf(RtmInternalError);
    for (const [n, f] of w.calls) expect(thrown(f), n).toBe(err);
  });
});
