// The constants table: every constant the core exports (layout word offsets, kinds, flag bits, I/O
// area indexes — the names listed in the generated exports.ts), read from its Wasm global once per core
// into one frozen object, `core.k`. Nothing above the port looks a constant up by string. Costs one
// pass over the globals when a core is created; allocates that one object (and its build copy).
import { RtmInternalError } from '../errors.js';
import { CONSTANT_NAMES, type CoreConstants, type ConstantName } from './exports.js';

export type { CoreConstants, ConstantName };
export { CONSTANT_NAMES };

/** Reads every constant of the generated list from the raw exports (u32 values). */
export function readConstants(raw: Record<string, unknown>): CoreConstants {
  const k = {} as Record<ConstantName, number>;
  for (const name of CONSTANT_NAMES) {
    const g = raw[name];
    if (g instanceof WebAssembly.Global) k[name] = (g.value as number) >>> 0;
    else if (typeof g === 'number') k[name] = g >>> 0;
    else throw new RtmInternalError(`core constant ${name} missing (rebuild the core, or run npm run gen:port)`);
  }
  // a copy by spread: built one property at a time, ~200 properties put an object in dictionary mode (a
  // hash lookup on every `core.k.NAME` load of the hot paths); the spread copy has fast properties
  return Object.freeze({ ...k });
}
