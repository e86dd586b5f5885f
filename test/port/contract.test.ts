// The port's contract with the built cores (debug and release): the generated lists of
// src/port/exports.ts name exactly the functions and globals each wasm exports, every constant reads
// into the frozen table core.k (which src/layout.ts's layoutOf hands out), the guarded object `x` holds
// exactly the listed functions, and the committed generated file is fresh (gen-port --check).
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCoreSync, wasmUrl, type CoreBuild } from '../../src/port/core.js';
import { CONSTANT_NAMES, FUNCTION_NAMES, GLOBAL_NAMES } from '../../src/port/exports.js';
import { layoutOf } from '../../src/layout.js';

const BUILDS: CoreBuild[] = ['debug', 'release'];

function wasmExports(build: CoreBuild): WebAssembly.ModuleExportDescriptor[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(fileURLToPath(wasmUrl(build)))));
}

describe.each(BUILDS)('the %s core', (build) => {
  const ex = wasmExports(build);
  const names = (kind: string) => ex.filter((e) => e.kind === kind).map((e) => e.name).sort();

  it('exports exactly the functions of the generated list (no missing, no extra)', () => {
    expect(names('function')).toEqual([...FUNCTION_NAMES].sort());
  });

  it('exports every constant and mutable global of the generated lists, and no other global', () => {
    expect(names('global')).toEqual([...CONSTANT_NAMES, ...GLOBAL_NAMES].sort());
    expect(names('memory')).toEqual(['memory']);
    expect(ex.length).toBe(FUNCTION_NAMES.length + CONSTANT_NAMES.length + GLOBAL_NAMES.length + 1);
  });

  it('reads every constant once into a frozen table (u32 values of the Wasm globals)', () => {
    const core = createCoreSync(build);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(fileURLToPath(wasmUrl(build)))), {
      env: { abort() { throw new Error('abort'); }, trace() {}, seed() { return 1; } },
    });
    expect(Object.isFrozen(core.k)).toBe(true);
    expect(Object.keys(core.k).sort()).toEqual([...CONSTANT_NAMES].sort());
    for (const n of CONSTANT_NAMES) {
      expect(core.k[n], n).toBe(((inst.exports[n] as WebAssembly.Global).value as number) >>> 0);
    }
    expect(layoutOf(core)).toBe(core.k);
    expect(core.constant('ROUTE_NEXT')).toBe(core.k.ROUTE_NEXT);
    expect([core.IO_RES, core.IO_IN, core.IO_OUT, core.IO_BATCH_MAX, core.NIL])
      .toEqual([core.k.IO_RES, core.k.IO_IN, core.k.IO_OUT, core.k.IO_BATCH_MAX, core.k.NIL]);
  });

  it('guards exactly the listed functions; memory and the mutable globals pass through', () => {
    const core = createCoreSync(build);
    const keys = Object.keys(core.x);
    expect(keys.filter((k) => typeof (core.x as unknown as Record<string, unknown>)[k] === 'function').sort())
      .toEqual([...FUNCTION_NAMES].sort());
    expect(core.x.memory).toBeInstanceOf(WebAssembly.Memory);
    for (const g of GLOBAL_NAMES) expect(core.x[g]).toBeInstanceOf(WebAssembly.Global);
    expect(keys.length).toBe(FUNCTION_NAMES.length + GLOBAL_NAMES.length + 1);
  });
});

describe('src/port/exports.ts', () => {
  const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
  const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('is what scripts/gen-port.mjs generates from assembly/ (not stale)', () => {
    const r = run(repo('scripts/gen-port.mjs'), '--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('goes stale when an exported signature changes; gen-port rewrites it; a non-number parameter is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-port-'));
    try {
      for (const p of ['scripts/gen-port.mjs', 'assembly', 'src/port/exports.ts']) cpSync(repo(p), join(dir, p), { recursive: true });
      const script = join(dir, 'scripts/gen-port.mjs'), api = join(dir, 'assembly/api.ts');
      const src = readFileSync(api, 'utf8');
      expect(src).toContain('export function fibThreshold(n: u32): void');
      writeFileSync(api, src.replace('export function fibThreshold(n: u32): void', 'export function fibThreshold(n: u32, minDests: u32): void'));
      let r = run(script, '--check');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('run `npm run gen:port`');
      r = run(script);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, 'src/port/exports.ts'), 'utf8')).toContain('fibThreshold(n: number, minDests: number): void');
      expect(run(script, '--check').status).toBe(0);
      writeFileSync(api, src.replace('export function fibThreshold(n: u32): void', 'export function fibThreshold(n: i64): void'));
      r = run(script);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('fibThreshold(n: i64): exports take only numbers');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
