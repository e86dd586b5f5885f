// The public types that say which core to load and where it comes from (CreateOptions.build / .wasm,
// the Win32 layer's initialize options). Types only: nothing runs or allocates. Kept apart from
// port/core.ts so that a consumer's type check reaches no declaration of the core itself.

/** Which build of the core: 'release' (the default) or 'debug' (asserts on; not in the package). */
export type CoreBuild = 'debug' | 'release';

/**
 * `WebAssembly.Module` where the program's libraries declare it (lib "DOM", or Node types that do), else
 * `never`: a Node project compiled without the DOM library can still name WasmSource.
 */
export type WasmModule = typeof globalThis extends {
  /** The WebAssembly namespace, where the program's libraries declare it. */
  WebAssembly: {
    /** Its Module class. */
    Module: {
      /** What `new WebAssembly.Module(bytes)` makes. */
      prototype: infer M;
    };
  };
} ? M : never;

/**
 * Where the core comes from (`Rtm.create({ wasm })`): a URL (string or URL; in Node a string may also be a
 * file path), a `Response`, the bytes of the .wasm, or the compiled `WebAssembly.Module`.
 */
export type WasmSource = string | URL | Response | ArrayBuffer | ArrayBufferView | WasmModule;
