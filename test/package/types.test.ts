// The packed package's types as a consumer sees them (API.md §6: every public type of a public signature
// is exported by name): a strict TypeScript file importing loadTable/readTable and their types from
// rtm-wasm/load, and Rtm.create's options from rtm-wasm, type-checks under NodeNext (with @types/node)
// and under bundler resolution (DOM, no Node types; every shipped .d.ts it reaches checked). tsc from this
// repository; ~20 s.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/data.js';
import { installPacked } from '../helpers/packed.js';

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

function tsc(dir: string, compilerOptions: Record<string, unknown>): { status: number | null; out: string } {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', ...compilerOptions },
    files: ['consumer.ts'],
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
    cpSync(join(PROJECT_ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'node_modules/undici-types'), join(dir, 'node_modules/undici-types'), { recursive: true });
  });

  it('NodeNext with @types/node', () => {
    // the package's own .d.ts are checked in full below; here only what the consumer names (fast)
    const r = tsc(dir, { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'], skipLibCheck: true });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('bundler resolution, DOM, no Node types', () => {
    const r = tsc(dir, { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });
});
