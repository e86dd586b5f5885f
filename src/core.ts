// The core instance: compiles the WASM module once per process, instantiates it with
// @assemblyscript/loader (one instance hosts every table of the process), and is the sole owner of
// typed-array views over linear memory. u32()/i32()/f64() rebuild their view when memory has grown
// (one comparison per access). A trap (assertion or runtime error) poisons the core: every later
// call throws RtmInternalError. Which build is loaded: RTM_WASM=debug|release (default release).
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { RtmInternalError, check } from './errors.js';

/** The raw exports of the core (numbers in, numbers out). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  ioBase(): number;
  tableCreate(family: number, views: number): number;
  tableFree(t: number): number;
  tableStat(t: number, word: number): number;
  destEnsureX(t: number, len: number): number;
  destFindX(t: number, len: number, qual: number): number;
  destRemoveX(t: number, d: number): number;
  destSetStateX(t: number, d: number, state: number): number;
  destHandle(t: number, d: number): number;
  destFromHandle(t: number, h: number): number;
  destKeyX(t: number, d: number): number;
  lpm(t: number, len: number, qual: number): number;
  lessSpecific(t: number, d: number, qual: number): number;
  walk(t: number, klen: number, inclusive: number, qual: number, rlen: number, max: number): number;
  lookup4(t: number, addr: number, view: number): number;
  lookupBatch(t: number, n: number, view: number): number;
  checkInvariants(t: number): number;
  slabMemoryBytes(): number;
  fibMemoryBytes(): number;
  tableHasFib(t: number): number;
  fibThreshold(n: number): void;
  keyHasHostBits(len: number): number;
  insertBatch(t: number, n: number, state: number): number;
  tableSetMaxHops(t: number, n: number): number;
  entityRegister(t: number, proto: number, instance: number): number;
  destInfoX(t: number, d: number, proto: number, views: number): number;
  lookup6(t: number, view: number): number;
  [name: string]: unknown;
}

export type CoreBuild = 'debug' | 'release';

/** Which build to load: `RTM_WASM` in the environment (tests set debug), else release. */
export function defaultBuild(): CoreBuild {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.RTM_WASM === 'debug' ? 'debug' : 'release';
}

/** A constant exported by the core as a Wasm global. */
function constOf(x: Record<string, unknown>, name: string): number {
  const g = x[name];
  if (g instanceof WebAssembly.Global) return g.value as number;
  if (typeof g === 'number') return g;
  throw new RtmInternalError(`core export ${name} missing`);
}

export class Core {
  readonly x: CoreExports;
  readonly build: CoreBuild;
  /** Word index of the I/O area within u32() (ioBase / 4). */
  readonly io: number;
  readonly IO_RES: number;
  readonly IO_IN: number;
  readonly IO_OUT: number;
  readonly IO_BATCH_MAX: number;
  readonly NIL: number;
  private poisoned: RtmInternalError | undefined;
  private buf: ArrayBuffer;
  private u32v: Uint32Array;
  private i32v: Int32Array;
  private f64v: Float64Array;

  constructor(exports: CoreExports, build: CoreBuild) {
    this.x = exports;
    this.build = build;
    const raw = exports as unknown as Record<string, unknown>;
    this.IO_RES = constOf(raw, 'IO_RES');
    this.IO_IN = constOf(raw, 'IO_IN');
    this.IO_OUT = constOf(raw, 'IO_OUT');
    this.IO_BATCH_MAX = constOf(raw, 'IO_BATCH_MAX');
    this.NIL = constOf(raw, 'NIL') >>> 0;
    this.io = exports.ioBase() >>> 2;
    this.buf = exports.memory.buffer;
    this.u32v = new Uint32Array(this.buf);
    this.i32v = new Int32Array(this.buf);
    this.f64v = new Float64Array(this.buf);
  }

  /** Constant exported by the core (layout, status). */
  constant(name: string): number {
    return constOf(this.x as unknown as Record<string, unknown>, name) >>> 0;
  }

  private refresh(): void {
    this.buf = this.x.memory.buffer;
    this.u32v = new Uint32Array(this.buf);
    this.i32v = new Int32Array(this.buf);
    this.f64v = new Float64Array(this.buf);
  }
  /** u32 view of all linear memory (valid until the next core call that may grow memory). */
  u32(): Uint32Array { if (this.buf !== this.x.memory.buffer) this.refresh(); return this.u32v; }
  /** i32 view of all linear memory. */
  i32(): Int32Array { if (this.buf !== this.x.memory.buffer) this.refresh(); return this.i32v; }
  /** f64 view of all linear memory. */
  f64(): Float64Array { if (this.buf !== this.x.memory.buffer) this.refresh(); return this.f64v; }

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
  assertUsable(): void { if (this.poisoned) throw this.poisoned; }

  /** Runs f; a WebAssembly trap becomes RtmInternalError and poisons the core. */
  guard<T>(f: () => T): T {
    if (this.poisoned) throw this.poisoned;
    try {
      return f();
    } catch (e) {
      if (e instanceof RtmInternalError) { this.poisoned = e; throw e; }
      if (e instanceof WebAssembly.RuntimeError) {
        this.poisoned = new RtmInternalError((e as Error).message, { cause: e });
        throw this.poisoned;
      }
      throw e;
    }
  }

  /** Marks the core unusable (after a trap detected by a caller). */
  poison(e: RtmInternalError): void { this.poisoned ??= e; }
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
        const err = new RtmInternalError(`core assertion failed: ${str(msgPtr)} at ${str(filePtr)}:${line}:${col}`);
        getCore()?.poison(err);
        throw err;
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
  // src/core.ts → ../build ; dist/src/core.js → ../../build
  const here = new URL('.', import.meta.url);
  const up = here.pathname.includes('/dist/src/') ? '../../' : '../';
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

/** The loader demangles exports into varargs wrappers; hot paths call the originals. */
function rawExports(exports: Record<string, unknown>): CoreExports {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exports)) {
    const original = typeof v === 'function' ? (v as unknown as { original?: unknown }).original : undefined;
    out[k] = typeof original === 'function' ? original : v;
  }
  return out as CoreExports;
}

/** Drops the cached cores (tests that need a fresh instance). */
export function resetCoreCache(): void {
  coreCache = {};
  moduleCache = {};
}
