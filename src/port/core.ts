// The port: the only code that holds the core. It compiles the Wasm module once per process, instantiates
// it with @assemblyscript/loader (one instance hosts every table of the process) and exposes
//  - x: every export, typed and guarded (generated: exports.ts) — a trap or abort inside any call
//    becomes RtmInternalError and poisons the core: every later call throws that same error;
//  - lookup4Hot: lookup4 for Table.lookupId, guarded against a trap inside but with no poison test per
//    call — a trapped core refuses it in the core (api.ts lookupStop, run by the guard when it poisons);
//  - k: every exported constant, read once (constants.ts);
//  - u32()/i32()/f64(): views over linear memory, rebuilt when memory has grown (one comparison per
//    access), and res(i), the result registers.
// Which build is loaded: RTM_WASM=debug|release (default release). Where it comes from: the `wasm` option
// (URL, Response, bytes, Module), an inlined copy (rtm-wasm/inline), else the .wasm beside the package
// (read through the Node host, fetched elsewhere). Imports no `node:` module. Allocates only at load time.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { RtmError, RtmInternalError, check } from '../errors.js';
import { hostOrUndefined } from '../host.js';
import { bindExports, type CoreExports, type GuardState } from './exports.js';
import { readConstants, type CoreConstants, type ConstantName } from './constants.js';

import type { CoreBuild, WasmSource } from './source.js';

export type { CoreExports, CoreConstants, CoreBuild, WasmSource };

/** Which build to load: `RTM_WASM` in the environment (tests set debug), else release. */
export function defaultBuild(): CoreBuild {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.RTM_WASM === 'debug' ? 'debug' : 'release';
}

/** The one guard of a core: remembers the first trap and hands the same error to every later call. */
class Guard implements GuardState {
  poisoned: RtmInternalError | undefined = undefined;
  /** The core's raw lookupStop (set by Core): run once, when the core is poisoned (see Core.lookup4Hot). */
  stop: (() => void) | undefined = undefined;
  trap(e: unknown): RtmInternalError {
    if (this.poisoned === undefined) {
      this.poisoned = e instanceof RtmInternalError ? e
        : new RtmInternalError(`core trap: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      // two global stores in the core (api.ts lookupStop): nothing there can trap, whatever state the trap left
      this.stop?.();
    }
    return this.poisoned;
  }
}

export class Core {
  /** Every export, typed; each function call passes the guard. */
  readonly x: CoreExports;
  /** Every exported constant (frozen). */
  readonly k: CoreConstants;
  /**
   * The core's lookup4 for Table.lookupId, the per-packet call: a trap inside poisons the core as through
   * `x`, but there is no poison test before the call — once poisoned, the core refuses every lookup4
   * itself (the guard runs api.ts lookupStop: LOOKUP_REFUSED, which the caller turns into the poison).
   * The test costs more than its few instructions: every instruction between two lookups' cache misses
   * is one the CPU cannot spend overlapping them (bench/RESULTS.md, session 10).
   */
  readonly lookup4Hot: (t: number, addr: number, view: number) => number;
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
    this.x = bindExports(raw, this.guardState);   // (checks that lookup4 and lookupStop exist)
    const g = this.guardState, lookup4 = raw.lookup4 as (t: number, addr: number, view: number) => number;
    g.stop = raw.lookupStop as () => void;
    this.lookup4Hot = (t, addr, view) => { try { return lookup4(t, addr, view); } catch (e) { throw g.trap(e); } };
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
  /** Notes that a call which carries the time (routeAddR, routeDeleteR: their `now`) gave the core `ms`. */
  sentNow(ms: number): void { this.nowSent = ms; }

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
let pending: Partial<Record<CoreBuild, Promise<Core>>> = {};
/** The release core's bytes, when an entry inlined them (rtm-wasm/inline). */
let inlined: (() => Uint8Array<ArrayBuffer>) | undefined;

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

/**
 * URL of the core's .wasm: build/<build>.wasm beside src/, dist/build/<build>.wasm beside dist/src/
 * (npm run build copies it there), so one relative path serves both trees. The release URL is written as
 * `new URL('literal', import.meta.url)`, the form bundlers (Vite) and static hosting resolve; other builds
 * go through a variable so that bundlers leave them alone.
 */
export function wasmUrl(build: CoreBuild): URL {
  if (build === 'release') return new URL('../../build/release.wasm', import.meta.url);
  const here = import.meta.url;
  return new URL(`../../build/${build}.wasm`, here);
}

/** @internal rtm-wasm/inline: the release core from these bytes, with no file to find. */
export function useInlinedWasm(bytes: () => Uint8Array<ArrayBuffer>): void {
  inlined = bytes;
}

/** Base64 to bytes (the inlined core). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function loadError(where: string, reason: string, cause?: unknown): RtmError {
  return new RtmError('ERROR_FILE_NOT_FOUND', 'create', `cannot load the core from ${where}: ${reason}`, { cause });
}

function bytesOf(src: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  return src instanceof ArrayBuffer ? new Uint8Array(src)
    : new Uint8Array(src.buffer as ArrayBuffer, src.byteOffset, src.byteLength);
}

async function compileBytes(bytes: Uint8Array<ArrayBuffer>, where: string, servedAs?: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    const as = servedAs ? ` (served as ${servedAs})` : '';
    throw new RtmError('ERROR_INVALID_DATA', 'create', `${where}: not a WebAssembly module${as}: ${(err as Error).message}`, { cause: err });
  }
}

/** A fetched .wasm: streaming compilation when served as application/wasm, else from arrayBuffer(). */
async function compileResponse(res: Response, where: string): Promise<WebAssembly.Module> {
  if (!res.ok) throw loadError(where, `HTTP ${res.status} ${res.statusText}`.trimEnd());
  const type = res.headers.get('content-type') ?? '';
  if (/^application\/wasm\b/i.test(type) && typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(res);
    } catch (err) {
      throw new RtmError('ERROR_INVALID_DATA', 'create', `${where}: not a WebAssembly module: ${(err as Error).message}`, { cause: err });
    }
  }
  // a server that does not say application/wasm (compileStreaming would refuse it): compile the bytes
  let bytes: ArrayBuffer;
  try {
    bytes = await res.arrayBuffer();
  } catch (err) {
    throw loadError(where, (err as Error).message, err);
  }
  return compileBytes(new Uint8Array(bytes), where, type || 'no Content-Type');
}

async function compileUrl(url: URL): Promise<WebAssembly.Module> {
  const host = hostOrUndefined();
  if (host !== undefined && url.protocol === 'file:') {
    let bytes: Uint8Array;
    try {
      bytes = await host.readFile(url);
    } catch (err) {
      throw loadError(host.fileURLToPath(url), (err as Error).message, err);
    }
    return compileBytes(bytesOf(bytes), host.fileURLToPath(url));
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw loadError(url.href, `fetch failed (${(err as Error).message})`, err);
  }
  return compileResponse(res, url.href);
}

/** A string is an absolute URL, else (Node) a file path, else a URL relative to the page. */
function urlOf(text: string): URL {
  try {
    return new URL(text);
  } catch { /* not absolute */ }
  const host = hostOrUndefined();
  if (host !== undefined) return host.pathToFileURL(text);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(text, base);
  } catch (err) {
    throw new RtmError('ERROR_INVALID_PARAMETER', 'create', `wasm: '${text}' is not a URL`, { cause: err });
  }
}

function isResponse(x: unknown): x is Response {
  return typeof Response === 'function' && x instanceof Response;
}

async function compileSource(wasm: WasmSource): Promise<WebAssembly.Module> {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return compileBytes(bytesOf(wasm), '<bytes>');
  if (isResponse(wasm)) return compileResponse(wasm, wasm.url !== '' ? wasm.url : '<response>');
  if (typeof wasm === 'string') return compileUrl(urlOf(wasm));
  if (wasm instanceof URL) return compileUrl(wasm);
  throw new RtmError('ERROR_INVALID_PARAMETER', 'create',
    'wasm must be a URL, a Response, bytes (ArrayBuffer, Uint8Array) or a WebAssembly.Module');
}

/**
 * The module of the default core: the inlined bytes (rtm-wasm/inline), else the file beside the package
 * (Node: read; elsewhere: fetched), else, when that fetch fails (a bundler that did not ship the file,
 * e.g. esbuild), the inlined copy loaded on demand. The error names the URL tried.
 */
async function compileDefault(build: CoreBuild): Promise<WebAssembly.Module> {
  if (inlined !== undefined && build === 'release') return WebAssembly.compile(inlined());
  if (build !== 'release' || hostOrUndefined() !== undefined) return compileUrl(wasmUrl(build));
  try {
    return await compileUrl(wasmUrl(build));        // throws too where import.meta.url is gone (iife bundles)
  } catch (err) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = decodeBase64((await import('../../build/release-inline.js')).wasmBase64);
    } catch {
      throw err;
    }
    return WebAssembly.compile(bytes);
  }
}

/**
 * The process-wide core (created on first use), asynchronously: works in browsers and Node. `wasm` says
 * where the core comes from; it is used only while no core of this build is loaded yet (one core serves
 * every instance). A failed load can be retried.
 * @throws RtmError ERROR_FILE_NOT_FOUND (naming the URL or path), ERROR_INVALID_DATA (not a module),
 *   ERROR_INVALID_PARAMETER (a `wasm` of another type)
 */
export async function loadCore(build: CoreBuild = defaultBuild(), wasm?: WasmSource): Promise<Core> {
  const cached = coreCache[build];
  if (cached) return cached;
  let p = pending[build];
  if (p === undefined) {
    p = (async () => {
      const mod = moduleCache[build] ?? (wasm !== undefined ? await compileSource(wasm) : await compileDefault(build));
      moduleCache[build] ??= mod;
      if (coreCache[build]) return coreCache[build]!;          // a synchronous load finished meanwhile
      let core: Core | undefined;
      const { exports } = await instantiate(mod, imports(() => core));
      core = new Core(rawExports(exports), build);
      coreCache[build] = core;
      return core;
    })();
    pending[build] = p;
    const mine = p;
    p.then(() => { delete pending[build]; }, () => { if (pending[build] === mine) delete pending[build]; });
  }
  return p;
}

/** The process-wide core, synchronously (Node, workers, or after an awaited load). */
export function loadCoreSync(build: CoreBuild = defaultBuild(), wasm?: WasmSource): Core {
  const cached = coreCache[build];
  if (cached) return cached;
  const core = createCoreSync(build, wasm);
  coreCache[build] = core;
  return core;
}

function moduleSync(build: CoreBuild, wasm: WasmSource | undefined): WebAssembly.Module {
  const cached = moduleCache[build];
  if (cached) return cached;
  let mod: WebAssembly.Module;
  if (wasm instanceof WebAssembly.Module) mod = wasm;
  else if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) mod = new WebAssembly.Module(bytesOf(wasm));
  else if (wasm !== undefined) {
    throw new RtmError('ERROR_INVALID_PARAMETER', 'createSync',
      'synchronous loading takes wasm as bytes or a WebAssembly.Module (for a URL or a Response: await Rtm.create)');
  } else if (inlined !== undefined && build === 'release') mod = new WebAssembly.Module(inlined());
  else {
    const host = hostOrUndefined();
    if (host === undefined) {
      throw new RtmInternalError('synchronous loading needs Node, the wasm option (bytes or a WebAssembly.Module), '
        + 'rtm-wasm/inline, or a core loaded before (await Rtm.create() once)');
    }
    const url = wasmUrl(build);
    let bytes: Uint8Array;
    try {
      bytes = host.readFileSync(url);
    } catch (err) {
      throw loadError(host.fileURLToPath(url), (err as Error).message, err);
    }
    mod = new WebAssembly.Module(bytesOf(bytes));
  }
  moduleCache[build] = mod;
  return mod;
}

/**
 * A private core instance with its own linear memory, not the process-wide one (tests that need a core
 * in its initial state). Node, workers, or with `wasm` given as bytes or a module.
 */
export function createCoreSync(build: CoreBuild = defaultBuild(), wasm?: WasmSource): Core {
  const mod = moduleSync(build, wasm);
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
  pending = {};
}
