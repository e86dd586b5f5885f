// Argument checks of the idiomatic layer, written once (src/types.ts conventions 4–6): option objects and
// arrays read once into plain copies (so a getter runs once, before anything changes, and one that throws
// is ERROR_INVALID_PARAMETER), integers, NULL-able handles, views, protocol ids, counts, prefixes (written
// into the I/O area) and handles resolved to slots of the caller's table. Each throws RtmError with the
// RTMv2 status: a bad value is ERROR_INVALID_PARAMETER, an unsupported view ERROR_NOT_SUPPORTED, a handle
// that does not resolve ERROR_INVALID_HANDLE; messages name values through fmt(), which never throws.
// Allocates the option copies and error objects only.
import { RtmError, RtmInternalError, fmt } from '../errors.js';
import { RTM_THIS_PROTOCOL, RTM_VIEW_MASK_ALL } from '../constants.js';
import { handleKind } from '../layout.js';
import { readResult, routeTable, entityTable, nextHopWord, writePrefix } from '../port/records.js';
import type { Ctx } from './context.js';

export const U32_MAX = 0xffffffff;

// ── reading input once ────────────────────────────────────────────────────────────────────────────────

/** An exception raised while reading caller input → ERROR_INVALID_PARAMETER (a core trap stays itself). */
export function unreadable(err: unknown, op: string, what: string): never {
  if (err instanceof RtmInternalError || err instanceof RtmError) throw err;
  throw new RtmError('ERROR_INVALID_PARAMETER', op, `${what} could not be read`, { cause: err });
}

/**
 * Reads the properties `keys` of an options object once into a plain object, before the call acts on
 * any of them: a getter runs once, here, and one that throws (or a hostile Proxy) is
 * ERROR_INVALID_PARAMETER, with nothing changed. `undefined` (and `null` when `optional`) reads as {};
 * anything else that is not an object is ERROR_INVALID_PARAMETER.
 */
export function opts<T extends object>(o: unknown, keys: readonly (keyof T)[], op: string, optional = false): Partial<T> {
  const out: Record<string | symbol, unknown> = {};
  if (o === undefined || (o === null && optional)) return out as Partial<T>;
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `options must be an object, got ${fmt(o)}`);
  }
  let k: string | symbol = '';
  try {
    for (const key of keys) {
      k = key as string | symbol;
      const v = (o as Record<string | symbol, unknown>)[k];
      if (v !== undefined) out[k] = v;
    }
  } catch (err) {
    unreadable(err, op, `option ${String(k)}`);
  }
  return out as Partial<T>;
}

/**
 * A plain copy of an array argument (elements read once, here): `undefined` → `dflt` when given; a
 * non-array, an element that cannot be read or more than `max` elements → ERROR_INVALID_PARAMETER.
 */
export function arrayArg<T = unknown>(a: unknown, name: string, op: string, max = 0x7fffffff, dflt?: readonly T[]): T[] {
  if (a === undefined && dflt !== undefined) return [...dflt];
  let n = 0;
  try {
    if (!Array.isArray(a)) throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be an array, got ${fmt(a)}`);
    n = a.length;
    if (n > max) throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name}: at most ${max} entries, got ${n}`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = a[i] as T;
    return out;
  } catch (err) {
    return unreadable(err, op, name);
  }
}

// The checks below run on every call of the hot paths: each is a few bytecodes, and the message of its
// error is built in a separate function that runs only when it throws, so that an optimising compiler
// inlines every check of a call (its inlining budget counts bytecode, and a message template is large).

/** A u32 value: anything but an integer in 0..max → ERROR_INVALID_PARAMETER. */
export function u32(v: unknown, name: string, op: string, max = U32_MAX): number {
  // (v >>> 0) === v: an integer in 0..2^32-1 (NaN, ±Infinity, fractions and negatives fail; -0 passes as 0)
  if (typeof v !== 'number' || (v >>> 0) !== v || v > max) notU32(v, name, op, max);
  return v as number;
}

/** u32's error (out of line). */
function notU32(v: unknown, name: string, op: string, max: number): never {
  throw new RtmError('ERROR_INVALID_PARAMETER', op, `${name} must be an integer in 0..${max}, got ${fmt(v)}`);
}

/** A u32 option: `undefined` → `dflt`, else as u32(). */
export function u32Arg(v: unknown, dflt: number, name: string, op: string, max = U32_MAX): number {
  return v === undefined ? dflt : u32(v, name, op, max);
}

/** NULL in a handle option: undefined, null or 0. */
export function isNull(h: unknown): h is null | undefined | 0 {
  return h === undefined || h === null || h === 0;
}

/** A NULL-able handle option → number (0 = NULL); a non-number is ERROR_INVALID_HANDLE. */
export function nullable(v: unknown, op: string): number {
  // a number (0 = NULL) is itself; undefined / null are NULL (isNull)
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v === undefined || v === null) return 0;
  return notHandle(v, op);
}

/** nullable's error (out of line). */
function notHandle(v: unknown, op: string): never {
  throw new RtmError('ERROR_INVALID_HANDLE', op, `not a handle: ${fmt(v)}`);
}

/** The caller is still registered and the instance usable (the first check of every entity call). */
export function live(cx: Ctx, op: string): void {
  if (!cx.registered) deregistered(op);
  cx.inst.usable(op);
}

/** live's error (out of line). */
function deregistered(op: string): never {
  throw new RtmError('ERROR_INVALID_HANDLE', op, 'entity deregistered');
}

/** Target views: undefined or RTM_VIEW_MASK_ALL → all supported; unsupported bits → ERROR_NOT_SUPPORTED. */
export function viewsArg(cx: Ctx, v: unknown, op: string): number {
  const supported = cx.profile.viewsSupported;
  if (v === undefined) return supported;
  u32(v, 'views', op);
  if (v === RTM_VIEW_MASK_ALL) return supported;
  if (((v as number) & ~supported) !== 0) throw new RtmError('ERROR_NOT_SUPPORTED', op, `views 0x${(v as number).toString(16)}`);
  return v as number;
}

/** Target views of a query, enumeration or registration, where 0 means any view. */
export function anyViewsArg(cx: Ctx, v: unknown, op: string): number {
  return v === 0 ? 0 : viewsArg(cx, v, op);
}

/** A protocol id filter: default 0 (RTM_BEST_PROTOCOL); RTM_THIS_PROTOCOL → the caller's. */
export function protoArg(cx: Ctx, p: unknown, op: string): number {
  const v = u32Arg(p, 0, 'protocolId', op);
  return v === RTM_THIS_PROTOCOL ? cx.protocolId : v;
}

/** A Get call's count: default and maximum profile.maxHandlesInEnum (above it: ERROR_INVALID_PARAMETER). */
export function countArg(cx: Ctx, c: unknown, op: string): number {
  const max = cx.profile.maxHandlesInEnum;
  return u32Arg(c, max, 'count', op, max);
}

/** Qualifier of a destination query: 0 = any present, else views with a live route (or populated). */
export function qual(cx: Ctx, views: number, populated: boolean): number {
  return views === 0 ? (populated ? cx.L.QUAL_POPULATED : 0) : views;
}

// ── prefixes ──────────────────────────────────────────────────────────────────────────────────────────

/** Writes a prefix (text or RTM_NET_ADDRESS) into the I/O area's key words (+ off); returns its length. */
export function prefixIn(cx: Ctx, p: unknown, op: string, off = 0): number {
  let len = -1;
  try {
    len = writePrefix(cx.core, cx.family, p, off);
  } catch (err) {
    unreadable(err, op, 'prefix');
  }
  if (len < 0) badPrefix(cx, p, op);
  return len;
}

/** prefixIn's error (out of line). */
function badPrefix(cx: Ctx, p: unknown, op: string): never {
  throw new RtmError('ERROR_INVALID_PARAMETER', op, `bad ${cx.family === 4 ? 'IPv4' : 'IPv6'} prefix ${fmt(p)}`);
}

// ── handles of the caller's table ─────────────────────────────────────────────────────────────────────

/** A destination handle of the caller's table → its slot. @throws ERROR_INVALID_HANDLE */
export function destArg(cx: Ctx, h: unknown, op: string): number {
  if (typeof h !== 'number' || cx.x.destFromHandle(cx.t, h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad destination handle');
  return readResult(cx.core, 0);
}

/** A route handle of the caller's table (any state) → its slot. @throws ERROR_INVALID_HANDLE */
export function routeArg(cx: Ctx, h: unknown, op: string): number {
  if (typeof h !== 'number' || cx.x.routeFromHandle(h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad route handle');
  const r = readResult(cx.core, 0);
  if (routeTable(cx.core, r) !== cx.t) throw new RtmError('ERROR_INVALID_HANDLE', op, 'route of another table');
  return r;
}

/** A next-hop handle of the caller's table (any owner) → its slot. @throws ERROR_INVALID_HANDLE */
export function nextHopArg(cx: Ctx, h: unknown, op: string): number {
  if (typeof h !== 'number' || cx.x.nexthopFromHandle(h) !== 0) throw new RtmError('ERROR_INVALID_HANDLE', op, 'bad next-hop handle');
  const s = readResult(cx.core, 0);
  if (entityTable(cx.core, nextHopWord(cx.core, s, cx.L.NEXTHOP_OWNER)) !== cx.t) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'next hop of another table');
  }
  return s;
}

/**
 * True if `h` is a live destination, route, next-hop or entity handle of the caller's table (of kind
 * `kind`, a KIND_* value, when non-zero). Other kinds: false.
 */
export function resolves(cx: Ctx, h: unknown, kind = 0): boolean {
  const L = cx.L, x = cx.x, t = cx.t, k = handleKind(h);
  if (typeof h !== 'number' || (kind !== 0 && k !== kind)) return false;
  if (k === L.KIND_DEST) return x.destFromHandle(t, h) === 0;
  if (k === L.KIND_ROUTE) return x.routeFromHandle(h) === 0 && routeTable(cx.core, readResult(cx.core, 0)) === t;
  if (k === L.KIND_NEXTHOP) {
    return x.nexthopFromHandle(h) === 0 && entityTable(cx.core, nextHopWord(cx.core, readResult(cx.core, 0), L.NEXTHOP_OWNER)) === t;
  }
  if (k === L.KIND_ENTITY) return x.entityInfo(h) === 0 && readResult(cx.core, 1) === t;
  return false;
}
