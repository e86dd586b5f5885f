// A private debug core for tests that measure what an instance holds (memoryInUseBytes before / after) or
// free it, isolated from the instances of other tests: `make` creates an Rtm on it with a VirtualClock.
import { createCoreSync, type Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { RtmOptions } from '../../src/types.js';

/** An Rtm on `core` (debug build, a fresh VirtualClock unless `o` gives a clock). */
export const make = (core: Core, o: RtmOptions = {}): Rtm =>
  Rtm.createSync({ clock: new VirtualClock(), build: 'debug', ...o, core } as Parameters<typeof Rtm.createSync>[0]);

/**
 * A private core past its one-time structures: the reference tables' first page (blocks.ts POOL_REFS, taken
 * by the first reference any table takes, kept for the core's life) exists, nothing else is in use.
 */
export function privateCore(): Core {
  const core = createCoreSync('debug');
  const rtm = make(core);
  rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 1, instanceId: 0 }).addNextHop({ address: '192.0.2.9', interfaceIndex: 1 });
  rtm.close();
  return core;
}
