// Process-wide state of the Win32 layer: the RTM instances by RtmInstanceId, the registration handles
// the layer gave out (RTMv2 entities and RTMv1 clients), GetLastError/SetLastError, and the one place
// that turns exceptions of the idiomatic layer into status numbers (statusOf).
//
// Instances: `rtmInstance(id)` creates instance `id` on first use — with the options given earlier to
// `configureInstance(id, options)`, else the defaults — through the instance factory. The factory is
// `Rtm.createSync` unless a test chose another one with `setInstanceFactory` (an internal testing hook,
// deliberately not re-exported by `rtm-wasm/win32`). Handles: the layer keeps the entity handles of the
// idiomatic layer as they are (registration handle = entity handle), so every instance the factory
// makes must give handles that are unique across instances (the WASM core does: one core, one handle
// space). Nothing here allocates per call except instance creation.

import { loadCore, loadCoreSync } from '../port/core.js';
import type { WasmSource } from '../port/source.js';
import { RtmError, RtmInternalError, fmt } from '../errors.js';
import { Rtm } from '../rtm.js';
import type { EntityLike, RtmLike, RtmOptions } from '../types.js';
import { ERROR_BUSY, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, NO_ERROR } from './constants.js';

/** Makes the RTM instance `instanceId` (testing hook: see setInstanceFactory). */
export type InstanceFactory = (instanceId: number, options: RtmOptions) => RtmLike;

const defaultFactory: InstanceFactory = (instanceId, options) =>
  Rtm.createSync({ ...options, instanceId }) as unknown as RtmLike;

let factory: InstanceFactory = defaultFactory;
const instances = new Map<number, RtmLike>();
const configured = new Map<number, RtmOptions>();
const resetHooks: (() => void)[] = [];

// ── Loading ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * Loads and compiles the WASM core (browsers and Node). Call once per process before the first
 * registration; later calls return at once. In Node, registration also loads the core synchronously
 * on first use, so this is optional there. `wasm`: where the core comes from, as Rtm.create's option.
 */
export async function initialize(options: { wasm?: WasmSource } = {}): Promise<void> {
  await loadCore(undefined, wasmOption(options, 'initialize'));
}

/** The `wasm` option, read once; options that are not an object (or cannot be read) → ERROR_INVALID_PARAMETER. */
function wasmOption(options: unknown, op: string): WasmSource | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, `options must be an object, got ${fmt(options)}`);
  try {
    return (options as { wasm?: WasmSource }).wasm;
  } catch (err) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'options.wasm could not be read', { cause: err });
  }
}

/** initialize(), synchronously (Node, workers; `wasm` as bytes or a WebAssembly.Module). Idempotent. */
export function initializeSync(options: { wasm?: WasmSource } = {}): void {
  loadCoreSync(undefined, wasmOption(options, 'initializeSync'));
}

// ── Instances ────────────────────────────────────────────────────────────────────────────────────────

function isInstanceId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 0xffff;
}

/**
 * The RTM instance `id` (RtmInstanceId, 0..65535), created on first use with the options given to
 * configureInstance (or the defaults of API.md §1). Use it to reach the instance's `clock` and
 * `runPending()`. Not a C function: a bad id throws RtmError('ERROR_INVALID_PARAMETER'); a factory
 * failure throws what the factory threw.
 */
export function rtmInstance(id = 0): Rtm {
  if (!isInstanceId(id)) throw new RtmError('ERROR_INVALID_PARAMETER', 'rtmInstance', `bad instance id ${fmt(id)}`);
  let rtm = instances.get(id);
  if (rtm === undefined) {
    rtm = factory(id, { ...configured.get(id), instanceId: id });
    instances.set(id, rtm);
  }
  return rtm as unknown as Rtm;
}

/** The instance `id` if it exists (no creation). */
export function existingInstance(id: number): RtmLike | undefined {
  return instances.get(id);
}

/**
 * Sets the options (API.md §1: clock, maxNextHopsInRoute, maxHandlesInEnum, views, …) instance `id`
 * is created with. Returns NO_ERROR; ERROR_BUSY if the instance already exists (options cannot change
 * after first use); ERROR_INVALID_PARAMETER for a bad id or a non-object. The options themselves are
 * validated when the instance is created (RtmRegisterEntity then returns the status).
 */
export function configureInstance(id: number, options: RtmOptions): number {
  if (!isInstanceId(id) || options === null || typeof options !== 'object') return ERROR_INVALID_PARAMETER;
  if (instances.has(id)) return ERROR_BUSY;
  configured.set(id, { ...options });
  return NO_ERROR;
}

/**
 * Testing hook (internal; not exported by `rtm-wasm/win32`): the function that creates instances from
 * now on — e.g. the reference model, or `Rtm.createSync({ ...options, build: 'debug' })`. Without an
 * argument, restores the default (`Rtm.createSync`). Existing instances are kept; call resetInstances()
 * to start over.
 */
export function setInstanceFactory(f?: InstanceFactory): void {
  factory = f ?? defaultFactory;
}

/**
 * Testing hook (internal): closes every instance (unless `close` is false: then they are only
 * forgotten) and forgets all layer state — instances, configured options, registration handles, RTMv1
 * clients and enumerations, the last error. The factory stays.
 */
export function resetInstances(options: { close?: boolean } = {}): void {
  if (options.close !== false) {
    for (const rtm of instances.values()) rtm.close();
  }
  instances.clear();
  configured.clear();
  for (const hook of resetHooks) hook();
  lastError = NO_ERROR;
}

/** Lets a module of the layer forget its state on resetInstances(). */
export function onReset(hook: () => void): void {
  resetHooks.push(hook);
}

// ── Registrations ────────────────────────────────────────────────────────────────────────────────────

/** What a registration handle of the layer stands for. */
export interface Registration {
  readonly entity: EntityLike;
  readonly instanceId: number;
  /** 'v2' = RtmRegisterEntity; 'v1' = the entity behind an RTMv1 client (RtmRegisterClient). */
  readonly api: 'v1' | 'v2';
}

const registrations = new Map<number, Registration>();
onReset(() => registrations.clear());

/** Records a registration handle; false if the number is already taken by another live registration. */
export function addRegistration(handle: number, reg: Registration): boolean {
  const old = registrations.get(handle);
  if (old !== undefined && old.entity !== reg.entity) return false;
  registrations.set(handle, reg);
  return true;
}

export function removeRegistration(handle: number): void {
  registrations.delete(handle);
}

/** The registration behind a handle of kind `api`, or undefined. */
export function registrationOf(handle: unknown, api: 'v1' | 'v2'): Registration | undefined {
  if (typeof handle !== 'number') return undefined;
  const reg = registrations.get(handle);
  return reg !== undefined && reg.api === api ? reg : undefined;
}

/** Every registration of an instance, in registration order. */
export function registrationsOf(instanceId: number): Registration[] {
  return [...registrations.values()].filter((r) => r.instanceId === instanceId);
}

/** Testing hook (internal): the idiomatic entity behind a registration handle (RTMv2 or RTMv1). */
export function entityOf(handle: number): EntityLike | undefined {
  return registrations.get(handle)?.entity;
}

// ── GetLastError / SetLastError ──────────────────────────────────────────────────────────────────────

let lastError: number = NO_ERROR;

/**
 * The last error an RTMv1 function that returns a HANDLE, BOOL or ULONG recorded (RtmRegisterClient,
 * RtmIsRoute, RtmGetNetworkCount, RtmGetRouteAge, RtmCreateEnumerationHandle, RtmLookupIPDestination
 * set it on every call, NO_ERROR on success). One value per process (JS has one thread).
 */
export function GetLastError(): number {
  return lastError;
}

/** Sets the value GetLastError returns. */
export function SetLastError(dwErrCode: number): void {
  lastError = typeof dwErrCode === 'number' ? dwErrCode >>> 0 : ERROR_INVALID_PARAMETER;
}

// ── Exceptions → statuses ────────────────────────────────────────────────────────────────────────────

/** Errors thrown by user callbacks (exported methods) that must reach the caller unchanged. */
const userErrors = new WeakSet<object>();

/** Marks an error thrown by user code so that statusOf rethrows it instead of mapping it. */
export function markUserError(err: unknown): unknown {
  if (err !== null && (typeof err === 'object' || typeof err === 'function')) userErrors.add(err as object);
  return err;
}

/**
 * The status of a failed call: an RtmError gives its status; a user callback's error and
 * RtmInternalError propagate; anything else (a TypeError from a wrong argument type, …) is
 * ERROR_INVALID_PARAMETER.
 */
export function statusOf(err: unknown): number {
  if (err instanceof RtmError) return err.status;
  if (err instanceof RtmInternalError) throw err;
  if (err !== null && typeof err === 'object' && userErrors.has(err)) throw err;
  return ERROR_INVALID_PARAMETER;
}

/** Runs `f`, mapping exceptions to statuses with statusOf. */
export function guard(f: () => number): number {
  try {
    return f();
  } catch (err) {
    return statusOf(err);
  }
}

/**
 * Throws RtmError(ERROR_NOT_SUPPORTED) if the instance behind `e` does not implement `method` (an
 * implementation that provides only part of EntityLike, e.g. the WASM facade while its dynamics layer
 * is being written). Win32 callers see ERROR_NOT_SUPPORTED.
 */
export function need(e: EntityLike, method: keyof EntityLike): void {
  if (typeof (e as unknown as Record<string, unknown>)[method] !== 'function') {
    throw new RtmError(ERROR_NOT_SUPPORTED, String(method), 'not implemented by this RTM instance');
  }
}
