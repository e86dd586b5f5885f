// Entity methods (spec §7.12, §8.3, D-04, D-17, D-22): method i of an entity answers bit 1 << i;
// RtmInvokeMethod calls the selected methods synchronously in ascending bit order with (caller, callee,
// input, output record) and collects the records; a blocked callee gives ERROR_BUSY, a deregistered or
// unknown one ERROR_INVALID_HANDLE. Blocking is entity-wide and not counted (Ctx.blocked). The methods
// are JavaScript functions; those of entities that deregistered while still referenced are remembered
// for RtmGetEntityMethods. Allocates results.
import { RtmError, fmt } from '../errors.js';
import { DEST_TYPE, NEXTHOP_TYPE, ROUTE_TYPE, RTM_BLOCK_METHODS, RTM_RESUME_METHODS } from '../constants.js';
import { handleKind } from '../layout.js';
import { readResult } from '../port/records.js';
import type { EntityHandle, Handle, MethodInput, MethodResult, Nullable } from '../types.js';
import type { Ctx } from './context.js';
import { entityBySlot } from './registry.js';
import { isNull, live, opts, resolves, u32Arg } from './args.js';
import { isEnumHandle } from './enums.js';

const DEFAULT_OUTPUT_CAPACITY = 1024;

/** Method counts of deregistered entities, by handle (forgotten once the handle no longer resolves). */
const goneMethods = new Map<number, number>();

/** Called at deregistration: the entity's methods stay listable while its handle is referenced. */
export function rememberMethods(cx: Ctx): void {
  goneMethods.set(cx.handle, cx.methods.length);
  if (goneMethods.size > 64) {
    for (const h of goneMethods.keys()) if (cx.x.entityInfo(h) !== 0) goneMethods.delete(h);
  }
}

/** The entity a handle names in the caller's table: the live one, or its method count if deregistered. */
function resolveEntity(cx: Ctx, h: unknown, op: string): { callee: Ctx | undefined; methods: number } {
  if (typeof h !== 'number' || handleKind(h) !== cx.L.KIND_ENTITY || cx.x.entityInfo(h) !== 0 || readResult(cx.core, 1) !== cx.t) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an entity of this table');
  }
  const callee = entityBySlot(cx.inst, readResult(cx.core, 0));
  if (callee && callee.handle === h && callee.registered && !cx.inst.isClosed) return { callee, methods: callee.methods.length };
  return { callee: undefined, methods: goneMethods.get(h) ?? 0 };
}

/** RtmGetEntityMethods: the method bits of `entity`, in index order. */
export function getEntityMethods(cx: Ctx, entity: EntityHandle): number[] {
  const op = 'getEntityMethods';
  live(cx, op);
  const { methods } = resolveEntity(cx, entity, op);
  return Array.from({ length: methods }, (_, i) => (1 << i) >>> 0);
}

type InvokeOptions = { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number };
type BlockOptions = { blockingFlag: number; targetHandle?: Nullable<Handle>; targetType?: number };

/** RtmInvokeMethod. */
export function invokeMethod(cx: Ctx, options: InvokeOptions): MethodResult[] {
  const op = 'invokeMethod';
  live(cx, op);
  const o = opts<InvokeOptions>(options, ['entity', 'methodType', 'inputData', 'outputCapacity'], op);
  const { callee } = resolveEntity(cx, o.entity, op);
  if (!callee) throw new RtmError('ERROR_INVALID_HANDLE', op, 'callee deregistered');
  if (o.methodType === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no methodType');
  const methodType = u32Arg(o.methodType, 0, 'methodType', op);
  const cap = u32Arg(o.outputCapacity, DEFAULT_OUTPUT_CAPACITY, 'outputCapacity', op);
  const inputData = o.inputData ?? new Uint8Array(0);
  if (!ArrayBuffer.isView(inputData) || !(inputData instanceof Uint8Array)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'inputData must be a Uint8Array');
  if (callee.blocked) throw new RtmError('ERROR_BUSY', op, 'the callee\'s methods are blocked');
  const input: MethodInput = Object.freeze({ methodType, inputData });
  const out: MethodResult[] = [];
  const methods = callee.methods;
  for (let i = 0; i < methods.length && i < 32; i++) {
    if (((methodType >>> i) & 1) === 0) continue;
    const rec = { methodType: (1 << i) >>> 0, methodStatus: 0, outputData: new Uint8Array(cap), outputSize: cap };
    methods[i](cx.handle, callee.handle, input, rec);
    const data = rec.outputData instanceof Uint8Array ? rec.outputData : new Uint8Array(0);
    const size = Math.max(0, Math.min(Number.isInteger(rec.outputSize) ? rec.outputSize : 0, data.length));
    out.push(Object.freeze({ methodType: rec.methodType, methodStatus: rec.methodStatus, outputData: data.subarray(0, size) }));
  }
  return out;
}

/** True if `h` resolves to an object of the caller's table of kind `kind` (a KIND_* value; 0 = any kind). */
function targetResolves(cx: Ctx, h: number, kind: number): boolean {
  const L = cx.L, k = handleKind(h);
  if (kind !== 0 && k !== kind) return false;
  if (k === L.KIND_ENUM) return isEnumHandle(cx, h);
  // route lists and notification registrations belong to other modules: accepted by kind
  if (k === L.KIND_LIST || k === L.KIND_NOTIFY) return true;
  return resolves(cx, h, k);
}

/**
 * RtmBlockMethods: validates a non-NULL target against its type (D-04), then blocks or resumes all the
 * caller's methods.
 */
export function blockMethods(cx: Ctx, options: BlockOptions): void {
  const op = 'blockMethods';
  live(cx, op);
  const o = opts<BlockOptions>(options, ['blockingFlag', 'targetHandle', 'targetType'], op);
  const L = cx.L;
  const kinds: Record<number, number> = { [DEST_TYPE]: L.KIND_DEST, [ROUTE_TYPE]: L.KIND_ROUTE, [NEXTHOP_TYPE]: L.KIND_NEXTHOP };
  if (!isNull(o.targetHandle)) {
    const kind = typeof o.targetType === 'number' ? kinds[o.targetType] ?? 0 : 0;
    if (typeof o.targetHandle !== 'number' || !targetResolves(cx, o.targetHandle, kind)) {
      throw new RtmError('ERROR_INVALID_HANDLE', op, 'target handle does not match its type');
    }
  }
  if (o.blockingFlag !== RTM_BLOCK_METHODS && o.blockingFlag !== RTM_RESUME_METHODS) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `blockingFlag ${fmt(o.blockingFlag)}`);
  }
  const tt = o.targetType ?? 0;
  if (tt !== 0 && (typeof tt !== 'number' || kinds[tt] === undefined)) throw new RtmError('ERROR_INVALID_PARAMETER', op, `targetType ${fmt(tt)}`);
  cx.blocked = o.blockingFlag === RTM_BLOCK_METHODS;
}
