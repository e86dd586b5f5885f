// `rtm-wasm/inline` in Node (package.json `node` condition): the inlined-core entry plus the Node host.
import './host.js';

export * from '../inline.js';
