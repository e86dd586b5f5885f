// Record layouts (the port's constants table, read once per core from the core's Wasm globals) and
// handle arithmetic, and typed readers for records in linear memory. A handle is
// kind · 2^49 + generation · 2^25 + slot (assembly/handles.ts); the facade decodes kinds and slots with
// plain arithmetic and asks the core to validate.
import type { Core } from './port/core.js';
import type { CoreConstants, ConstantName } from './port/constants.js';

export type LayoutName = ConstantName;
/** The core's constants (the port's table, src/port/constants.ts). */
export type Layout = CoreConstants;

/** The layout constants of a core: its constants table, `core.k`. */
export function layoutOf(core: Core): Layout {
  return core.k;
}

const TWO25 = 2 ** 25, TWO49 = 2 ** 49;

/** The kind field of a handle number (0 for anything that is not a well-formed handle). */
export function handleKind(h: unknown): number {
  return typeof h === 'number' && Number.isSafeInteger(h) && h > 0 ? Math.floor(h / TWO49) : 0;
}

/** The slot field of a handle number. */
export function handleSlotOf(h: number): number {
  return h % TWO25;
}

/** Word index of record `slot` of slab `kind` in core.u32() (re-read after any call that may allocate). */
export function recordWord(core: Core, kind: number, slot: number): number {
  return core.x.recordPtr(kind, slot) >>> 2;
}

/**
 * Internal marker on addRouteToDest options: keep the route's current TTL timer instead of setting one
 * (the commit of a plain unlock, spec §7.10, leaves TTL and list membership alone).
 */
export const KEEP_TIMER: unique symbol = Symbol.for('rtm-wasm.keepTimer');
