// The port: the only code that holds the core. It compiles the Wasm module once per process, instantiates
// it with @assemblyscript/loader (one instance hosts every table of the process) and exposes
//  - x: every export, typed and guarded (generated: exports.ts) — a trap or abort inside any call
//    becomes RtmInternalError and poisons the core: every later call throws that same error;
//  - k: every exported constant, read once (constants.ts);
//  - u32()/i32()/f64(): views over linear memory, rebuilt when memory has grown (one comparison per
//    access), and res(i), the result registers.
// Which build is loaded: RTM_WASM=debug|release (default release). Allocates only at load time.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { RtmInternalError, check } from '../errors.js';
import { bindExports, type CoreExports, type GuardState } from './exports.js';
import { readConstants, type CoreConstants, type ConstantName } from './constants.js';

export type { CoreExports, CoreConstants };

export type CoreBuild = 'debug' | 'release';

/** Which build to load: `RTM_WASM` in the environment (tests set debug), else release. */
export function defaultBuild(): CoreBuild {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.RTM_WASM === 'debug' ? 'debug' : 'release';
}

/** The one guard of a core: remembers the first trap and hands the same error to every later call. */
class Guard implements GuardState {
  poisoned: RtmInternalError | undefined = undefined;
  trap(e: unknown): RtmInternalError {
    if (this.poisoned === undefined) {
      this.poisoned = e instanceof RtmInternalError ? e
        : new RtmInternalError(`core trap: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return this.poisoned;
  }
}

export class Core {
  /** Every export, typed; each function call passes the guard. */
  readonly x: CoreExports;
  /** Every exported constant (frozen). */
  readonly k: CoreConstants;
  readonly build: CoreBuild;
  /** Word index of the I/O area within u32() (ioBase / 4). */
  readonly io: number;
  readonly IO_RES: number;
  readonly IO_IN: number;
  readonly IO_OUT: number;
  readonly IO_BATCH_MAX: number;
  readonly NIL: number;
  private readonly guardState = new Guard();
  private buf: ArrayBuffer;
  private u32v: Uint32Array;
  private i32v: Int32Array;
  private f64v: Float64Array;

  /** `raw`: the instance's exports, functions unwrapped from the loader (rawExports). */
  constructor(raw: Record<string, unknown>, build: CoreBuild) {
    this.x = bindExports(raw, this.guardState);
    this.k = readConstants(raw);
    this.build = build;
    this.IO_RES = this.k.IO_RES;
    this.IO_IN = this.k.IO_IN;
    this.IO_OUT = this.k.IO_OUT;
    this.IO_BATCH_MAX = this.k.IO_BATCH_MAX;
    this.NIL = this.k.NIL;
    this.io = this.x.ioBase() >>> 2;
    this.buf = this.x.memory.buffer;
    this.u32v = new Uint32Array(this.buf);
    this.i32v = new Int32Array(this.buf);
    this.f64v = new Float64Array(this.buf);
  }

  private refresh(): void {
    this.buf = this.x.memory.buffer;
    this.u32v = new Uint32Array(this.buf);
    this.i32v = new Int32Array(this.buf);
    this.f64v = new Float64Array(this.buf);
  }
  // memory.grow detaches the old buffer of a (non-shared) memory, and every view over a detached buffer
  // has length 0: one length test per access, instead of the memory.buffer accessor (a runtime call).
  /** u32 view of all linear memory (valid until the next core call that may grow memory). */
  u32(): Uint32Array { if (this.u32v.length === 0) this.refresh(); return this.u32v; }
  /** i32 view of all linear memory. */
  i32(): Int32Array { if (this.i32v.length === 0) this.refresh(); return this.i32v; }
  /** f64 view of all linear memory. */
  f64(): Float64Array { if (this.f64v.length === 0) this.refresh(); return this.f64v; }

  /** The last time pushed to the core (its clock is one value for every instance sharing the core). */
  private nowSent = NaN;
  /** Pushes the current time (ms) to the core; no call when it already holds that value. */
  setNow(ms: number): void {
    if (ms === this.nowSent) return;
    this.x.setNow(ms);
    this.nowSent = ms;
  }

  /** A constant by name (tests and tools; src/ reads the typed table `k`). */
  constant(name: ConstantName): number {
    const v = this.k[name] as number | undefined;
    if (v === undefined) throw new RtmInternalError(`core constant ${name} missing`);
    return v;
  }

  /** Result register i of the last call. */
  res(i: number): number { return this.u32()[this.io + this.IO_RES + i]; }

  /**
   * Every slot of a paged core listing (pages of at most IO_BATCH_MAX in IO_OUT): calls `page(after)`
   * with NIL, then with the last slot of the previous page, while RES1 says more follow. A bad status
   * throws the RtmError of `op`.
   */
  slotPages(op: string, page: (after: number) => number): number[] {
    const all: number[] = [];
    let after = this.NIL;
    for (;;) {
      check(page(after), op);
      const n = this.res(0), more = this.res(1), u = this.u32(), base = this.io + this.IO_OUT;
      for (let i = 0; i < n; i++) all.push(u[base + i]);
      if (more === 0 || n === 0) return all;
      after = all[all.length - 1];
    }
  }

  /** Bytes of linear memory the core holds. */
  get memoryBytes(): number { return this.x.memory.buffer.byteLength; }

  /** Throws if a previous call trapped. */
  assertUsable(): void { const p = this.guardState.poisoned; if (p) throw p; }

  /** The error of the trap that made this core unusable, or undefined. */
  get poisoned(): RtmInternalError | undefined { return this.guardState.poisoned; }

  /**
   * Runs f. Kept for existing callers only: every call through `x` passes the guard already.
   * @deprecated call `x` directly.
   */
  guard<T>(f: () => T): T { return f(); }
}

let moduleCache: Partial<Record<CoreBuild, WebAssembly.Module>> = {};
let coreCache: Partial<Record<CoreBuild, Core>> = {};

function imports(getCore: () => Core | undefined) {
  return {
    env: {
      abort(msgPtr: number, filePtr: number, line: number, col: number) {
        const mem = getCore()?.x.memory;
        const str = (p: number) => {
          if (!mem || p === 0) return '';
          const len = new Uint32Array(mem.buffer)[(p - 4) >>> 2] >>> 1;
          return String.fromCharCode(...new Uint16Array(mem.buffer, p, Math.min(len, 512)));
        };
        // thrown through the export that was called: its guard poisons the core with this error
        throw new RtmInternalError(`core assertion failed: ${str(msgPtr)} at ${str(filePtr)}:${line}:${col}`);
      },
      trace() { /* debug traces are ignored */ },
      seed() { return 0x2545f491; },
    },
  };
}

async function wasmBytes(build: CoreBuild): Promise<Uint8Array<ArrayBuffer>> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(await wasmPath(build));
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

async function wasmPath(build: CoreBuild): Promise<string> {
  const { fileURLToPath } = await import('node:url');
  return fileURLToPath(wasmUrl(build));
}

/** URL of build/<build>.wasm, found by walking up from this file to the package root. */
export function wasmUrl(build: CoreBuild): URL {
  // src/port/core.ts → ../../build ; dist/src/port/core.js → ../../../build
  const here = new URL('.', import.meta.url);
  const up = here.pathname.includes('/dist/src/') ? '../../../' : '../../';
  return new URL(`${up}build/${build}.wasm`, here);
}

/** The process-wide core (created on first use), asynchronously: works in browsers and Node. */
export async function loadCore(build: CoreBuild = defaultBuild()): Promise<Core> {
  const cached = coreCache[build];
  if (cached) return cached;
  let mod = moduleCache[build];
  if (!mod) {
    const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
    mod = isNode ? await WebAssembly.compile(await wasmBytes(build))
      : await WebAssembly.compileStreaming(fetch(wasmUrl(build)));
    moduleCache[build] = mod;
  }
  if (coreCache[build]) return coreCache[build]!;
  let core: Core | undefined;
  const { exports } = await instantiate(mod, imports(() => core));
  core = new Core(rawExports(exports), build);
  coreCache[build] = core;
  return core;
}

/** The process-wide core, synchronously (Node and workers). */
export function loadCoreSync(build: CoreBuild = defaultBuild()): Core {
  const cached = coreCache[build];
  if (cached) return cached;
  const core = createCoreSync(build);
  coreCache[build] = core;
  return core;
}

/**
 * A private core instance with its own linear memory, not the process-wide one (tests that need a core
 * in its initial state). Node only.
 */
export function createCoreSync(build: CoreBuild = defaultBuild()): Core {
  let mod = moduleCache[build];
  if (!mod) {
    const req = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule;
    if (!req) throw new RtmInternalError('synchronous loading needs Node (use Rtm.create in browsers)');
    const fs = req('node:fs') as typeof import('node:fs');
    const url = req('node:url') as typeof import('node:url');
    mod = new WebAssembly.Module(fs.readFileSync(url.fileURLToPath(wasmUrl(build))));
    moduleCache[build] = mod;
  }
  let core: Core | undefined;
  const { exports } = instantiateSync(mod, imports(() => core));
  core = new Core(rawExports(exports), build);
  return core;
}

/** The loader demangles exports into varargs wrappers; the guard wraps the originals (direct calls). */
function rawExports(exports: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exports)) {
    const original = typeof v === 'function' ? (v as unknown as { original?: unknown }).original : undefined;
    out[k] = typeof original === 'function' ? original : v;
  }
  return out;
}

/** Drops the cached cores (tests that need a fresh instance). */
export function resetCoreCache(): void {
  coreCache = {};
  moduleCache = {};
}
