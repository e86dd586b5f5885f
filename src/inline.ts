// Public exports of `rtm-wasm/inline`: the main entry's API with the release core inlined (base64 in
// build/release-inline.js, written by scripts/wasm-dist.mjs at build), so no .wasm file has to be found
// or served; Rtm.createSync works wherever synchronous compilation does. Costs ~110 KB of script.

import { wasmBase64 } from '../build/release-inline.js';
import { decodeBase64, useInlinedWasm } from './port/core.js';

useInlinedWasm(() => decodeBase64(wasmBase64));

export * from './index.js';
