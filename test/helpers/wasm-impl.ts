// The WASM-backed implementation for the conformance scenarios: Rtm on the debug core. Its entities
// implement the core-semantics part of EntityLike (CoreEntityLike); scenarios that need the dynamics
// layer (notification, TTL, hold-down, lists, enumerations, locks, opaque pointers, methods) run on the
// implementations whose `dynamics` is true.
import { Rtm } from '../../src/rtm.js';
import type { RtmLike, RtmOptions } from '../../src/types.js';

export function createWasm(options: RtmOptions = {}): RtmLike {
  return Rtm.createSync({ ...options, build: 'debug' }) as unknown as RtmLike;
}
