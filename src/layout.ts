// Record layouts and handle arithmetic read from the core once per core instance (the core's Wasm
// globals are the single source), and typed readers for records in linear memory. A handle is
// kind · 2^49 + generation · 2^25 + slot (assembly/handles.ts); the facade decodes kinds and slots with
// plain arithmetic and asks the core to validate.
import { Core } from './core.js';

const NAMES = [
  'NIL', 'GEN_MASK', 'GEN_ALIVE', 'KIND_ENTITY', 'KIND_DEST', 'KIND_ROUTE', 'KIND_NEXTHOP', 'KIND_ENUM', 'KIND_LIST',
  'KIND_NOTIFY', 'LOCK_NONE', 'LOCK_MULTI',
  'SLAB_DEST', 'SLAB_ROUTE', 'SLAB_NEXTHOP', 'SLAB_ENTITY',
  'DEST_WORDS', 'DEST_CHANGED', 'DEST_STATE', 'DEST_S_VIEWS', 'DEST_S_POPULATED', 'QUAL_POPULATED',
  'ROUTE_WORDS', 'ROUTE_DEST', 'ROUTE_OWNER', 'ROUTE_NEIGHBOUR', 'ROUTE_PREF', 'ROUTE_METRIC', 'ROUTE_VIEWS',
  'ROUTE_FLAGS', 'ROUTE_NHCOUNT', 'ROUTE_NH', 'ROUTE_STATE_SHIFT', 'ROUTE_FLAGS1_SHIFT',
  'NEXTHOP_WORDS', 'NEXTHOP_OWNER', 'NEXTHOP_ADDR', 'NEXTHOP_LEN', 'NEXTHOP_IFINDEX', 'NEXTHOP_FLAGS',
  'NEXTHOP_REMOTE', 'NEXTHOP_STATE_SHIFT', 'ENTITY_WORDS', 'ENTITY_PROTO', 'ENTITY_INSTANCE',
  'TABLE_ROUTES', 'TABLE_DESTS', 'TABLE_POPULATED', 'TABLE_NEXTHOPS', 'IO_HOPS', 'VIEW_COUNT',
] as const;
export type LayoutName = typeof NAMES[number];
export type Layout = Record<LayoutName, number>;

const cache = new WeakMap<Core, Layout>();

/** The layout constants of a core. */
export function layoutOf(core: Core): Layout {
  let l = cache.get(core);
  if (!l) {
    l = {} as Layout;
    for (const n of NAMES) l[n] = core.constant(n);
    cache.set(core, l);
  }
  return l;
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
  return (core.x.recordPtr as (k: number, s: number) => number)(kind, slot) >>> 2;
}

/**
 * Internal marker on addRouteToDest options: keep the route's current TTL timer instead of setting one
 * (the commit of a plain unlock, spec §7.10, leaves TTL and list membership alone).
 */
export const KEEP_TIMER: unique symbol = Symbol.for('rtm-wasm.keepTimer');
