// `rtm-wasm` in Node (package.json `node` condition): the main entry plus the Node host (files, stdin,
// zlib, synchronous loading on every Node ≥ 20.0). No logic here.
import './host.js';

export * from '../index.js';
