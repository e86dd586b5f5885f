// The constants of `rtm-wasm/win32`: every constant of rtmv2.h, rtm.h and routprot.h lives once in
// src/constants.ts (the idiomatic layer exports the same names) and is re-exported here under the same
// names and values. Nothing here is Win32-only: the root package exports the RTMv1 names and the x64
// structure-size macros too, so they stay in the shared file. Allocates nothing.

export * from '../constants.js';
