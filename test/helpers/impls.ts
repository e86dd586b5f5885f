// The implementations every conformance scenario runs against. Each entry creates one RTM instance
// behind RtmLike: the reference model (complete) and the WASM facade. `features` says which parts of
// the dynamics layer an implementation has; a scenario block that needs some loops over
// implementationsWith(...those features), the core-semantics blocks over IMPLEMENTATIONS.
import type { RtmLike, RtmOptions } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { createWasm } from './wasm-impl.js';

/** Parts of the dynamics layer (issue 4). */
export type Feature = 'notify' | 'ttl' | 'hold' | 'enums' | 'lists' | 'locks' | 'opaque' | 'methods';
const ALL: readonly Feature[] = ['notify', 'ttl', 'hold', 'enums', 'lists', 'locks', 'opaque', 'methods'];

export interface Implementation {
  readonly name: string;
  readonly features: ReadonlySet<Feature>;
  /** True when every feature of the dynamics layer is there. */
  readonly dynamics: boolean;
  create(options?: RtmOptions): RtmLike;
}

function impl(name: string, features: readonly Feature[], create: (o?: RtmOptions) => RtmLike): Implementation {
  return { name, features: new Set(features), dynamics: ALL.every((f) => features.includes(f)), create };
}

export const IMPLEMENTATIONS: Implementation[] = [
  impl('model', ALL, (options) => createModel(options)),
  impl('wasm', ['notify', 'ttl', 'hold', 'enums', 'lists', 'locks', 'opaque', 'methods'], (options) => createWasm(options)),
];

/** Implementations with the whole dynamics layer. */
export const DYNAMIC_IMPLEMENTATIONS: Implementation[] = IMPLEMENTATIONS.filter((i) => i.dynamics);

/** Implementations that have all the given features. */
export function implementationsWith(...features: Feature[]): Implementation[] {
  return IMPLEMENTATIONS.filter((i) => features.every((f) => i.features.has(f)));
}
