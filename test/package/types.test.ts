// The packed package's types as a consumer sees them (API.md §6: every public type of a public signature
// is exported by name): a strict TypeScript file importing loadTable/readTable and their types from
// rtm-wasm/load, and Rtm.create's options from rtm-wasm, type-checks under NodeNext (with @types/node)
// and under bundler resolution (DOM, no Node types; every shipped .d.ts it reaches checked). Issue 10
// item 5: the README's two quick starts as written (test/helpers/packed.ts) pass `tsc --strict` in both,
// and a Node project without the DOM library (node16, lib ES2022, types node) type-checks all three
// entries with every shipped .d.ts checked: no DOM or WebAssembly type leaks, internals are stripped, and
// returnHandle decides whether a handle may be undefined. tsc from this repository; ~30 s.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/data.js';
import { installPacked, writeQuickStarts } from '../helpers/packed.js';

const CONSUMER = `
import { Rtm, type CreateOptions, type WasmSource } from 'rtm-wasm';
import {
  loadTable, readTable, openTable, defaultTablePath, TableFormatError,
  type TableInput, type LoadSummary, type LoadedEntity, type LoadOptions, type MrtPeer, type Family,
  type TableFormat, type TableOptions, type TableInfo, type TableContents, type RouteBatch, type ProgressFn,
} from 'rtm-wasm/load';

export async function run(input: TableInput, wasm?: WasmSource): Promise<string> {
  const options: CreateOptions = { wasm, maxHandlesInEnum: 10 };
  const rtm = await Rtm.create(options);
  const progress: ProgressFn = (read: number, total: number | undefined) => { void read; void total; };
  const opts: LoadOptions & TableOptions = { skipBad: true, onProgress: progress };
  const s: LoadSummary = await loadTable(rtm, input, opts);
  const first: LoadedEntity | undefined = s.entities[0];
  const peer: MrtPeer | undefined = first?.peer;
  const fam: Family = first?.family ?? 4;
  const fmt: TableFormat = s.format;
  const t: TableContents = await readTable(new Uint8Array(0));
  const b: RouteBatch = t.v4;
  const info: TableInfo = t.info;
  const r = await openTable(input);
  await r.close();
  try { defaultTablePath(); } catch (e) { if (e instanceof TableFormatError) return e.reason; }
  return [peer?.asn, fam, fmt, b.count, info.records].join(' ');
}
`;

/**
 * A Node project without the DOM library: the three entries, what internals must not show, and the
 * returnHandle overloads (a handle is typed as present exactly when one is always returned).
 */
const NODE_CONSUMER = `
import { readFileSync } from 'node:fs';
import { Rtm, Entity, Table, VirtualClock, RtmError, PROTO_IP_RIP, type WasmSource, type NextHopHandle, type RouteHandle } from 'rtm-wasm';
import * as W from 'rtm-wasm/win32';
import { loadTable, type LoadSummary } from 'rtm-wasm/load';

const wasm: WasmSource = readFileSync('core.wasm');
const rtm: Rtm = Rtm.createSync({ clock: new VirtualClock(), wasm });
const rip: Entity = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: PROTO_IP_RIP, instanceId: 1 });
const nh: NextHopHandle = rip.addNextHop({ address: '10.0.0.1', interfaceIndex: 3 }).handle;
const same: NextHopHandle = rip.addNextHop({ address: '10.0.0.1', interfaceIndex: 3, nextHop: nh, returnHandle: false }).handle;
// @ts-expect-error returnHandle: false returns no handle
const none: NextHopHandle = rip.addNextHop({ address: '10.0.0.2', returnHandle: false }).handle;
const maybe: NextHopHandle | undefined = rip.addNextHop({ address: '10.0.0.2', returnHandle: Math.random() > 0.5 }).handle;
const route: RouteHandle = rip.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh, nextHops: [nh, same] }).handle;
// @ts-expect-error returnHandle: false returns no handle
const noRoute: RouteHandle = rip.addRouteToDest({ dest: '10.2.0.0/16', returnHandle: false }).handle;
const found: RouteHandle | undefined = rip.getExactMatchRoute({ dest: '10.1.0.0/16' })?.handle;
const t: Table = rtm.table(4);
// @ts-expect-error internal: stripped from the .d.ts
rtm.core;
// @ts-expect-error internal: stripped from the .d.ts
rtm.afterChange();
// @ts-expect-error internal: stripped from the .d.ts
rtm.scheduler;
// @ts-expect-error internal: stripped from the .d.ts
rip.cx;
// @ts-expect-error internal: stripped from the .d.ts
t.core;
// @ts-expect-error internal: the core option of tests
Rtm.createSync({ core: undefined });
W.initializeSync({ wasm });
const Status: number = W.RtmDeregisterEntity(0 as W.RTM_ENTITY_HANDLE);
export async function load(): Promise<LoadSummary | RtmError> {
  try { return await loadTable(rtm, 'table.txt'); } catch (e) { return e as RtmError; }
}
export const values = [maybe, none, noRoute, route, found, Status];
`;

function tsc(dir: string, compilerOptions: Record<string, unknown>, files = ['consumer.ts']): { status: number | null; out: string } {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', ...compilerOptions },
    files,
  }));
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('the packed types', () => {
  let dir = '';
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  beforeAll(() => {
    dir = installPacked('types');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    writeFileSync(join(dir, 'node-consumer.ts'), NODE_CONSUMER);
    writeQuickStarts(dir);
    cpSync(join(PROJECT_ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'node_modules/undici-types'), join(dir, 'node_modules/undici-types'), { recursive: true });
  });

  it('NodeNext with @types/node', () => {
    // the package's own .d.ts are checked in full below; here only what the consumer names (fast)
    const r = tsc(dir, { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'], skipLibCheck: true });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('bundler resolution, DOM, no Node types (with the README quick starts as written)', () => {
    const r = tsc(dir, { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] },
      ['consumer.ts', 'qs-idiomatic.ts', 'qs-win32.ts']);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('a Node project without DOM (node16, lib ES2022, types node): rtm-wasm, /win32, /load and the quick starts, every .d.ts checked', () => {
    const r = tsc(dir, { module: 'Node16', moduleResolution: 'Node16', lib: ['ES2022'], types: ['node'] },
      ['node-consumer.ts', 'qs-idiomatic.ts', 'qs-win32.ts']);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });
});
