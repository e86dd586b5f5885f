// rtm-wasm/win32: the line-by-line port target for code written against rtmv2.h / rtm.h (API.md §4).
// For now it re-exports the data half: constants, structures and address macros. The Rtm* functions
// are added beside them (TODO(#5)).

export * from './constants.js';
export * from './structs.js';
export * from './macros.js';
