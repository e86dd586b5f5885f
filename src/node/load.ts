// `rtm-wasm/load` in Node (package.json `node` condition): the loaders plus the Node host (paths, stdin,
// Node streams, zlib). No logic here.
import './host.js';

export * from '../load-entry.js';
