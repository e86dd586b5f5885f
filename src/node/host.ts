// Installs the Node host (src/host.ts) from static imports of Node's modules, so that Node 20.0 to 20.15
// (no process.getBuiltinModule) can load the core synchronously and read files. Imported for its effect
// by the Node entries (package.json `node` condition) and the CLI; never by portable code.

import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as stream from 'node:stream';
import * as url from 'node:url';
import * as zlib from 'node:zlib';
import { installHost } from '../host.js';
import { makeHost, type NodeModules } from '../makehost.js';

const modules: Record<string, unknown> = {
  'node:fs': fs, 'node:fs/promises': fsPromises, 'node:stream': stream, 'node:url': url, 'node:zlib': zlib,
};
installHost(makeHost(((name: string) => modules[name]) as NodeModules));
