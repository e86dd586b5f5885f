// `rtm-wasm/win32` in Node (package.json `node` condition): the Win32 layer plus the Node host. No logic here.
import './host.js';

export * from '../win32/index.js';
