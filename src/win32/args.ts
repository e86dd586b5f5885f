// Argument checks of the Win32 layer, written once for the RTMv2 functions (functions.ts) and the RTMv1
// functions (v1.ts). Each reads one C argument, throws RtmError(ERROR_INVALID_PARAMETER) naming the
// operation and the parameter when its JS shape is wrong, and returns it as the idiomatic layer takes
// it; ranges and handles stay the idiomatic layer's to judge. Out-parameters are probed when checked
// (a Ref gets its current value written back, an array must be extensible with a writable length), so
// a call refuses an output it could not write before the operation runs — never after the table
// changed. Nothing here allocates except firstN's copy of the entries it returns.

import { RtmError, RtmInternalError } from '../errors.js';
import type { Ref } from './structs.js';

/** Thrown (and mapped to a status) for an argument the layer rejects itself. */
export function invalidParameter(op: string, detail: string): never {
  throw new RtmError('ERROR_INVALID_PARAMETER', op, detail);
}

/** A non-null object (a struct or Ref argument). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object';
}

/** NULL handle (null, undefined, 0) → undefined; any other value passes through for the idiomatic layer to resolve. */
export function handleIn<H>(h: unknown): H | undefined {
  return h === null || h === undefined || h === 0 ? undefined : h as H;
}

/** A required structure. */
export function struct<T>(x: T | null | undefined, op: string, name: string): T {
  if (!isObject(x)) invalidParameter(op, `${name} is required`);
  return x;
}

/** A structure that may be NULL (undefined then). */
export function optStruct<T>(x: T | null | undefined, op: string, name: string): T | undefined {
  return x === null || x === undefined ? undefined : struct(x, op, name);
}

/** A structure the call fills: required and not frozen. */
export function outStruct<T>(x: T | null | undefined, op: string, name: string): T {
  const s = struct(x, op, name);
  if (Object.isFrozen(s)) invalidParameter(op, `${name} is read-only`);
  return s;
}

/** A structure the call fills that may be NULL ("not wanted": undefined then). */
export function optOutStruct<T>(x: T | null | undefined, op: string, name: string): T | undefined {
  return x === null || x === undefined ? undefined : outStruct(x, op, name);
}

/** An out or in/out Ref: required, and written back with its own value so that a Ref that cannot take one fails now. */
export function outRef<T>(x: Ref<T> | null | undefined, op: string, name: string): Ref<T> {
  let ok: boolean;
  try {
    ok = isObject(x) && 'value' in x;
    if (ok) x!.value = x!.value;
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;
    ok = false;
  }
  if (!ok) invalidParameter(op, `${name} must be a writable Ref`);
  return x!;
}

/** An out Ref that may be NULL ("not wanted": undefined then). */
export function optRef<T>(x: Ref<T> | null | undefined, op: string, name: string): Ref<T> | undefined {
  return x === null || x === undefined ? undefined : outRef(x, op, name);
}

/** A DWORD/ULONG/UINT argument of the RTMv2 functions: any number (ranges are the idiomatic layer's to check). */
export function dword(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number') invalidParameter(op, `${name} must be a number`);
  return x;
}

/** A DWORD of the RTMv1 functions: an integer in −2^31..2^32−1, taken as unsigned. */
export function u32(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < -0x80000000 || x > 0xffffffff) invalidParameter(op, `${name} must be a DWORD`);
  return x >>> 0;
}

/** A C BOOL argument: a boolean, or a number (non-zero = TRUE). */
export function bool(x: unknown, op: string, name: string): boolean {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number' && !Number.isNaN(x)) return x !== 0;
  return invalidParameter(op, `${name} must be a BOOL`);
}

/** A count: an integer in 0..2^32−1. */
export function count(x: unknown, op: string, name: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) invalidParameter(op, `${name} must be a count`);
  return x;
}

function isArrayLike(a: unknown): a is ArrayLike<unknown> {
  return Array.isArray(a) || ArrayBuffer.isView(a);
}

/** The first `n` entries of an input array (which must have that many); NULL is allowed for n = 0. */
export function firstN<T>(a: ArrayLike<T> | null | undefined, n: unknown, op: string, name: string): T[] {
  const k = count(n, op, 'count');
  if (k === 0 && (a === null || a === undefined)) return [];
  if (!isArrayLike(a) || a.length < k) invalidParameter(op, `${name} must be an array of at least ${k} entries`);
  return Array.prototype.slice.call(a, 0, k) as T[];
}

/** An array the call fills in place: a real array, extensible, with a writable length. */
export function outArray<T>(a: T[] | null | undefined, op: string, name: string): T[] {
  if (!Array.isArray(a) || !Object.isExtensible(a)) invalidParameter(op, `${name} must be a writable array`);
  try {
    a.length = a.length;
  } catch (err) {
    if (err instanceof RtmInternalError) throw err;
    invalidParameter(op, `${name} must be a writable array`);
  }
  return a;
}

/** An out array that may be NULL (undefined then). */
export function optOutArray<T>(a: T[] | null | undefined, op: string, name: string): T[] | undefined {
  return a === null || a === undefined ? undefined : outArray(a, op, name);
}

/** Writes `items` into `a` in place and sets its length. */
export function fillArray<T>(a: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) a[i] = items[i];
  a.length = items.length;
}

/** Fills `a[0..items.length)` in place, reusing the structures already there (`make` for missing ones), and sets its length. */
export function fillStructs<S, I>(a: S[], items: readonly I[], make: () => S, fill: (s: S, item: I) => void): void {
  for (let i = 0; i < items.length; i++) fill(isObject(a[i]) ? a[i] : (a[i] = make()), items[i]);
  a.length = items.length;
}
