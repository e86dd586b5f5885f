// The host: what the portable code needs from Node (files, stdin, zlib) and cannot import itself, since
// the main entry imports no `node:` module at load. src/node/host.ts installs it (the package's `node`
// export condition and the CLI import that file); without it, Node ≥ 20.16 is reached lazily through
// process.getBuiltinModule on first use. Browsers have no host: hostOrUndefined() is undefined there.
// Holds one object; allocates nothing per call.

import { makeHost, type Host } from './makehost.js';

export type { Host, HostFile } from './makehost.js';

let installed: Host | undefined;
let probed = false;

/** Installs the Node host (src/node/host.ts does, once). */
export function installHost(host: Host): void {
  installed = host;
  probed = true;
}

/** @internal Tests: replaces the host (undefined = none, as in browsers); returns the previous one. */
export function swapHost(host: Host | undefined): Host | undefined {
  const previous = hostOrUndefined();
  installed = host;
  probed = true;
  return previous;
}

/** The Node host, or undefined (browsers; Node < 20.16 when nothing installed one). */
export function hostOrUndefined(): Host | undefined {
  if (probed) return installed;
  probed = true;
  const load = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  if (typeof load === 'function') installed = makeHost((name) => load(name) as never);
  return installed;
}
