// The implementations every conformance scenario runs against. Each entry creates one RTM instance
// behind RtmLike: the reference model (complete) and the WASM facade. `dynamics` says whether the
// implementation has the dynamics layer (change notification, TTL, hold-down, enumerations, route lists,
// locks, pointers, opaque slots, methods); scenarios that need it loop over DYNAMIC_IMPLEMENTATIONS,
// the core-semantics scenarios over IMPLEMENTATIONS.
import type { RtmLike, RtmOptions } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { createWasm } from './wasm-impl.js';

export interface Implementation {
  readonly name: string;
  readonly dynamics: boolean;
  create(options?: RtmOptions): RtmLike;
}

export const IMPLEMENTATIONS: Implementation[] = [
  { name: 'model', dynamics: true, create: (options) => createModel(options) },
  { name: 'wasm', dynamics: false, create: (options) => createWasm(options) },
];

export const DYNAMIC_IMPLEMENTATIONS: Implementation[] = IMPLEMENTATIONS.filter((i) => i.dynamics);
