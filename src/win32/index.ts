// rtm-wasm/win32: the line-by-line port target for code written against rtmv2.h / rtm.h (API.md §4):
// constants, structures and address macros (the data half), the RTMv2 functions under their C names
// and parameter order (functions.ts), the RTMv1 client API (v1.ts), and the process-wide pieces —
// initialize/initializeSync, rtmInstance/configureInstance, GetLastError/SetLastError (instances.ts).
// Every function returns a status number and never throws for an API-level error.

/**
 * The Win32 layer: the functions of rtmv2.h (and the RTMv1 functions of rtm.h) under their C names and
 * parameter order, returning status numbers, with out-parameters as `Ref<T>`, structs as classes with the C
 * field names, and every constant and macro.
 *
 * @module rtm-wasm/win32
 */

export * from './constants.js';
export * from './structs.js';
export * from './macros.js';
export * from './functions.js';
export {
  ChangeEvent, RtmRegisterClient, RtmDeregisterClient, RtmDequeueRouteChangeMessage, RtmAddRoute, RtmDeleteRoute,
  RtmBlockDeleteRoutes, RtmIsRoute, RtmGetNetworkCount, RtmGetRouteAge, RtmCreateEnumerationHandle,
  RtmEnumerateGetNextRoute, RtmCloseEnumerationHandle, RtmGetFirstRoute, RtmGetNextRoute, RtmGetSpecificRoute,
  RtmLookupIPDestination,
} from './v1.js';
export type { ChangeEventLike } from './v1.js';
export { initialize, initializeSync, rtmInstance, configureInstance, GetLastError, SetLastError } from './instances.js';
export { LiveRouteInfo, LiveNextHopInfo } from './convert.js';
