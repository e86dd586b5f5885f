// Public exports of `rtm-wasm`: values first, then types.

/**
 * The idiomatic layer: `Rtm` instances, `Entity` registrations with the RTMv2 functions as methods, the
 * fast paths of `Table`, lookups across threads (`FibReader`, `LookupPool`), clocks, address helpers, every
 * RTMv2 constant and the table readers.
 *
 * @module rtm-wasm
 */
export { Rtm, Table } from './rtm.js';
export type { RouteSummary, PrefixMatch, CreateOptions, WasmSource, CoreBuild } from './rtm.js';
export type { WasmModule } from './port/source.js';
export {
  BEST_ROUTE, BEST_OWNER, BEST_PROTOCOL, BEST_PREFERENCE, BEST_METRIC, BEST_FLAGS, BEST_NEXTHOP_COUNT, BEST_NEXTHOP,
  BEST_NEIGHBOUR, BEST_INTERFACE, BEST_VIEWS, BEST_NEXTHOP_IPV4, BEST_FIELDS,
} from './table.js';
export { Entity } from './entity.js';
export type { CoreEntityLike } from './entity.js';
export { RtmError, RtmInternalError, STATUS, statusName } from './errors.js';
export { FibReader } from './fib/reader.js';
export { LookupPool, LookupPoolError } from './pool/pool.js';
export { VirtualClock, RealClock } from './clock.js';
export { parsePrefixInto, parseIPv4, parseIPv6Into, formatPrefix, formatIPv4, formatIPv6, maskWords } from './address-api.js';
export { AF_INET, AF_INET6 } from './address.js';
export * from './constants.js';
export { ipv4NetAddress, ipv4FromNetAddress, ipv4MaskFromLen, ipv4LenFromMask } from './win32/macros.js';
export { openTable, readAll, openUpdates, defaultTablePath, TableFormatError } from './readers/index.js';
export type { Clock, DrivableClock, ClockListener } from './clock.js';
export type { FibSnapshot, PublishInfo } from './fib/publisher.js';
export type { LookupPoolOptions } from './pool/pool.js';
export type * from './types.js';
export type { RouteBatch, TableReader, TableOptions } from './readers/index.js';
