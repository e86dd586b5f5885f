// Entity methods (spec §7.12, §8.3, D-04, D-17, D-22): method i of an entity answers bit 1 << i;
// RtmInvokeMethod calls the selected methods synchronously in ascending bit order with (caller, callee,
// input, output record) and collects the records; a blocked callee gives ERROR_BUSY, a deregistered or
// unknown one ERROR_INVALID_HANDLE. Blocking is entity-wide and not counted. The methods of entities
// that deregistered while still referenced are remembered for RtmGetEntityMethods. Allocates results.
import { RtmError } from '../errors.js';
import { handleKind } from '../layout.js';
import type { Entity } from '../entity.js';
import type { EntityHandle, Handle, MethodInput, MethodResult, Nullable } from '../types.js';
import { K, isNull, u32Arg } from './args.js';
import { isEnumHandle } from './enums.js';
import { resolves } from '../rtmv2/args.js';

const BLOCK_METHODS = 1, RESUME_METHODS = 0;
const DEST_TYPE = 4, ROUTE_TYPE = 5, NEXTHOP_TYPE = 6;
const DEFAULT_OUTPUT_CAPACITY = 1024;

/** Method counts of deregistered entities, by handle (forgotten once the handle no longer resolves). */
const goneMethods = new Map<number, number>();

/** Called at deregistration: the entity's methods stay listable while its handle is referenced. */
export function rememberMethods(e: Entity): void {
  goneMethods.set(e.handle, e.methods.length);
  if (goneMethods.size > 64) {
    for (const h of goneMethods.keys()) if (e.x.entityInfo(h) !== 0) goneMethods.delete(h);
  }
}

/** The entity a handle names in the caller's table: the live Entity, or its method count if deregistered. */
function resolveEntity(e: Entity, h: unknown, op: string): { callee: Entity | undefined; methods: number } {
  if (typeof h !== 'number' || handleKind(h) !== e.L.KIND_ENTITY || e.x.entityInfo(h) !== 0 || e.res(1) !== e.table.core.t) {
    throw new RtmError('ERROR_INVALID_HANDLE', op, 'not an entity of this table');
  }
  const callee = e.rtm.entities.get(e.res(0));
  if (callee && callee.handle === h && callee.isRegistered) return { callee, methods: callee.methods.length };
  return { callee: undefined, methods: goneMethods.get(h) ?? 0 };
}

/** RtmGetEntityMethods: the method bits of `entity`, in index order. */
export function getEntityMethods(e: Entity, entity: EntityHandle): number[] {
  const { methods } = resolveEntity(e, entity, 'getEntityMethods');
  return Array.from({ length: methods }, (_, i) => (1 << i) >>> 0);
}

/** RtmInvokeMethod. `blocked` tells whether an entity's methods are blocked. */
export function invokeMethod(e: Entity, o: { entity: EntityHandle; methodType: number; inputData?: Uint8Array; outputCapacity?: number },
  blocked: (callee: Entity) => boolean): MethodResult[] {
  const op = 'invokeMethod';
  const { callee } = resolveEntity(e, o?.entity, op);
  if (!callee) throw new RtmError('ERROR_INVALID_HANDLE', op, 'callee deregistered');
  if (o.methodType === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no methodType');
  const methodType = u32Arg(o.methodType, 0, 'methodType', op);
  const cap = u32Arg(o.outputCapacity, DEFAULT_OUTPUT_CAPACITY, 'outputCapacity', op);
  const inputData = o.inputData ?? new Uint8Array(0);
  if (!(inputData instanceof Uint8Array)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'inputData must be a Uint8Array');
  if (blocked(callee)) throw new RtmError('ERROR_BUSY', op, 'the callee\'s methods are blocked');
  const input: MethodInput = Object.freeze({ methodType, inputData });
  const out: MethodResult[] = [];
  const methods = callee.methods;
  for (let i = 0; i < methods.length && i < 32; i++) {
    if (((methodType >>> i) & 1) === 0) continue;
    const rec = { methodType: (1 << i) >>> 0, methodStatus: 0, outputData: new Uint8Array(cap), outputSize: cap };
    methods[i](e.handle, callee.handle, input, rec);
    const data = rec.outputData instanceof Uint8Array ? rec.outputData : new Uint8Array(0);
    const size = Math.max(0, Math.min(Number.isInteger(rec.outputSize) ? rec.outputSize : 0, data.length));
    out.push(Object.freeze({ methodType: rec.methodType, methodStatus: rec.methodStatus, outputData: data.subarray(0, size) }));
  }
  return out;
}

/** True if `h` resolves to an object of this table of kind `kind` (a KIND_* value; 0 = any kind). */
function targetResolves(e: Entity, h: number, kind: number): boolean {
  const L = e.L, k = handleKind(h);
  if (kind !== 0 && k !== kind) return false;
  if (k === L.KIND_DEST || k === L.KIND_ROUTE || k === L.KIND_NEXTHOP || k === L.KIND_ENTITY) return resolves(e.cx, h, k);
  const c = K(e);
  if (k === c.KIND_ENUM) return isEnumHandle(e, h);
  // route lists and notification registrations belong to other modules: accepted by kind
  return k === c.KIND_LIST || k === c.KIND_NOTIFY;
}

/**
 * RtmBlockMethods: validates a non-NULL target against its type (D-04), then blocks or resumes all the
 * caller's methods. Returns the new blocked state.
 */
export function blockMethods(e: Entity, o: { blockingFlag: number; targetHandle?: Nullable<Handle>; targetType?: number }): boolean {
  const op = 'blockMethods';
  const L = e.L;
  const kinds: Record<number, number> = { [DEST_TYPE]: L.KIND_DEST, [ROUTE_TYPE]: L.KIND_ROUTE, [NEXTHOP_TYPE]: L.KIND_NEXTHOP };
  if (!isNull(o?.targetHandle)) {
    const kind = kinds[o.targetType ?? -1] ?? 0;
    if (typeof o.targetHandle !== 'number' || !targetResolves(e, o.targetHandle, kind)) {
      throw new RtmError('ERROR_INVALID_HANDLE', op, 'target handle does not match its type');
    }
  }
  if (o?.blockingFlag !== BLOCK_METHODS && o?.blockingFlag !== RESUME_METHODS) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, `blockingFlag ${String(o?.blockingFlag)}`);
  }
  const tt = o.targetType ?? 0;
  if (tt !== 0 && kinds[tt] === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', op, `targetType ${String(tt)}`);
  return o.blockingFlag === BLOCK_METHODS;
}
