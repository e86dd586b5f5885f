// Every public method of the idiomatic layer (Rtm, Entity, Table) called with hostile values in every
// argument position and in every option: null, undefined, numbers out of range, strings, BigInt,
// symbols, functions, frozen objects, arrays, objects whose getters throw and hostile Proxies. Each call
// either succeeds or throws an RtmError (never a TypeError, RangeError or a hang); a call that throws
// leaves the instance exactly as it was (test/robust/world.ts picture(): tables, references, cursors,
// locks, queued callbacks). The base call of each row is valid, so a row checks one argument at a time.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import {
  RTM_BLOCK_METHODS, RTM_CHANGE_TYPE_BEST, RTM_ENUM_RANGE, RTM_MATCH_NEXTHOP, RTM_MATCH_OWNER, RTM_VIEW_MASK_ANY,
  RTM_VIEW_MASK_UCAST, ROUTE_TYPE,
} from '../../src/win32/constants.js';
import { BEST_FIELDS } from '../../src/table.js';
import { P, Q, picture, quickPicture, rtmErrorOf, world, type World } from './world.js';

const boom = (): never => { throw new Error('hostile getter'); };
/** A Proxy every read of which throws. */
const trap = (): object => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
/** A revoked Proxy (even Array.isArray throws on it). */
const revoked = (): object => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };

/** The hostile values put in each position (fresh per call: some are mutable). */
function hostile(): [string, unknown][] {
  return [
    ['null', null], ['undefined', undefined], ['0', 0], ['-1', -1], ['1.5', 1.5], ['NaN', NaN], ['2**32', 2 ** 32],
    ['Infinity', Infinity], ['"abc"', 'abc'], ['""', ''], ['1n', 1n], ['7n', 7n], ['symbol', Symbol('s')], ['true', true],
    ['{}', {}], ['[]', []], ['[1,2,3]', [1, 2, 3]], ['frozen {}', Object.freeze({})], ['frozen [1]', Object.freeze([1])],
    ['null-proto', Object.create(null)], ['toString throws', { toString: boom, valueOf: boom }], ['function', () => 1],
    ['trap proxy', trap()], ['revoked proxy', revoked()], ['sparse array', new Array(5)], ['Uint32Array', new Uint32Array(2)],
  ];
}

type Target = 'A' | 'rtm' | 'ipv4' | 'ipv6';
interface Row { readonly name: string; readonly target: Target; readonly args: (w: World) => unknown[]; readonly before?: (w: World) => void }
const row = (name: string, args: (w: World) => unknown[], target: Target = 'A', before?: (w: World) => void): Row => ({ name, target, args, before });

const ROWS: Row[] = [
  // registration and entity information
  row('getRegisteredEntities', () => []),
  row('releaseEntities', (w) => [[w.B.handle]]),
  row('getEntityInfo', (w) => [w.B.handle]),
  row('releaseEntityInfo', (w) => [w.A.info]),
  // locks, opaque pointers, methods
  row('lockDestination', (w) => [{ dest: w.dP, exclusive: true, lock: true }]),
  row('getOpaqueInformationPointer', (w) => [w.dP]),
  row('getEntityMethods', (w) => [w.A.handle]),
  row('invokeMethod', (w) => [{ entity: w.A.handle, methodType: 1, inputData: new Uint8Array(2), outputCapacity: 4 }]),
  row('blockMethods', (w) => [{ blockingFlag: RTM_BLOCK_METHODS, targetHandle: w.rA, targetType: ROUTE_TYPE }]),
  // information
  row('getDestInfo', (w) => [{ dest: w.dP, views: RTM_VIEW_MASK_ANY, protocolId: 0 }]),
  row('getRouteInfo', (w) => [w.rA]),
  row('getNextHopInfo', (w) => [w.nA]),
  row('releaseDestInfo', (w) => [{ handle: w.dP, viewInfo: [] }]),
  row('releaseRouteInfo', (w) => [{ dest: w.dP, owner: w.A.handle, neighbour: w.nA, nextHops: [w.nA] }]),
  row('releaseNextHopInfo', (w) => [{ owner: w.A.handle, remoteNextHop: undefined }]),
  // routes
  row('addRouteToDest', (w) => [{
    dest: '10.7.0.0/16', route: undefined, neighbour: w.nA, nextHops: [w.nA], preference: 3, metric: 4, views: RTM_VIEW_MASK_UCAST,
    flags: 0, flags1: 0, changeFlags: 0, timeToLive: 1000, routeList: w.lA, entitySpecificInfo: 'x', returnHandle: true,
  }]),
  row('addRouteToDest', (w) => [{ dest: { AddressFamily: 2, NumBits: 16, AddrBits: new Uint8Array([10, 8, 0, 0]) }, nextHops: [w.nA] }]),
  row('addRouteToDest', (w) => [{ dest: P, route: w.rA, metric: 9 }]),
  row('deleteRouteToDest', (w) => [w.rA]),
  row('holdDestination', (w) => [{ dest: w.dP, views: RTM_VIEW_MASK_UCAST, holdTime: 100 }]),
  row('getRoutePointer', (w) => [w.rA]),
  row('lockRoute', (w) => [{ route: w.rA, exclusive: true, lock: true }]),
  row('updateAndUnlockRoute', (w) => [{ route: w.rA, timeToLive: 10, routeList: w.lA }], 'A', (w) => { w.A.lockRoute({ route: w.rA, exclusive: true }); }),
  row('ownerViewOfRoute', (w) => [w.rA]),
  // queries
  row('getExactMatchDestination', () => [{ dest: P, views: RTM_VIEW_MASK_ANY, protocolId: 0 }]),
  row('getMostSpecificDestination', () => [{ dest: '10.0.0.1/32', views: RTM_VIEW_MASK_UCAST, protocolId: 0 }]),
  row('getLessSpecificDestination', (w) => [{ dest: w.dQ, views: RTM_VIEW_MASK_UCAST, protocolId: 0 }]),
  row('getExactMatchRoute', (w) => [{
    dest: P, views: RTM_VIEW_MASK_ANY, matchFlags: RTM_MATCH_OWNER | RTM_MATCH_NEXTHOP,
    criteria: { owner: w.A.handle, neighbour: w.nA, preference: 10, metric: 5, nextHops: [w.nA] }, interfaceIndex: 1, returnHandle: true,
  }]),
  row('isBestRoute', (w) => [w.rA]),
  // next hops
  row('addNextHop', (w) => [{
    address: '10.0.0.9', interfaceIndex: 4, flags: 1, nextHop: undefined, remoteNextHop: w.dP, entitySpecificInfo: 1, returnHandle: true,
  }]),
  row('addNextHop', (w) => [{ nextHop: w.nA, address: '10.0.0.1', interfaceIndex: 1, flags: 2 }]),
  row('findNextHop', () => [{ address: '10.0.0.1', interfaceIndex: 1 }]),
  row('deleteNextHop', (w) => [w.nA]),
  row('deleteNextHop', () => [{ address: '10.0.0.1', interfaceIndex: 1 }]),
  row('getNextHopPointer', (w) => [w.nA]),
  row('lockNextHop', (w) => [{ nextHop: w.nA, exclusive: true, lock: true }]),
  // enumerations
  row('createDestEnum', () => [{ views: RTM_VIEW_MASK_ANY, enumFlags: RTM_ENUM_RANGE, startDest: '10.0.0.0/8', protocolId: 0 }]),
  row('getEnumDests', (w) => [{ enumHandle: w.eA, count: 2 }]),
  row('releaseDests', () => [[]]),
  row('createRouteEnum', (w) => [{
    dest: w.dP, views: RTM_VIEW_MASK_ANY, enumFlags: 0, startDest: undefined, matchFlags: RTM_MATCH_OWNER,
    criteria: { owner: w.A.handle, nextHops: [] }, interfaceIndex: 0,
  }]),
  row('createRouteEnum', () => [{ enumFlags: RTM_ENUM_RANGE, startDest: '10.0.0.0/8' }]),
  row('getEnumRoutes', (w) => [{ enumHandle: w.eR, count: 2 }]),
  row('releaseRoutes', (w) => [[w.rDead]]),
  row('createNextHopEnum', () => [{ enumFlags: RTM_ENUM_RANGE, address: '10.0.0.0/8' }]),
  row('getEnumNextHops', (w) => [{ enumHandle: w.eN, count: 2 }]),
  row('releaseNextHops', () => [[]]),
  row('deleteEnumHandle', (w) => [w.eA]),
  row('dests', () => [{ views: RTM_VIEW_MASK_ANY, enumFlags: RTM_ENUM_RANGE, startDest: '10.0.0.0/8', batch: 2 }]),
  row('routes', (w) => [{ dest: w.dP, views: RTM_VIEW_MASK_ANY, matchFlags: 0, batch: 2 }]),
  // change notification
  row('registerForChangeNotification', () => [{ notifyFlags: RTM_CHANGE_TYPE_BEST, views: RTM_VIEW_MASK_UCAST, context: 'c' }]),
  row('getChangedDests', (w) => [{ notifyHandle: w.nfA, count: 1 }]),
  row('releaseChangedDests', (w) => [{ notifyHandle: w.nfA, dests: [] }]),
  row('ignoreChangedDests', (w) => [{ notifyHandle: w.nfA, dests: [w.dP] }]),
  row('getChangeStatus', (w) => [{ notifyHandle: w.nfA, dest: w.dP }]),
  row('markDestForChangeNotification', (w) => [{ notifyHandle: w.nfA, dest: w.dP, mark: true }]),
  row('isMarkedForChangeNotification', (w) => [{ notifyHandle: w.nfA, dest: w.dP }]),
  row('deregisterFromChangeNotification', (w) => [w.nfA]),
  // route lists
  row('createRouteList', () => []),
  row('insertInRouteList', (w) => [{ routeList: w.lA, routes: [w.rA2] }]),
  row('createRouteListEnum', (w) => [w.lA]),
  row('getListEnumRoutes', (w) => [{ enumHandle: w.eL, count: 1 }]),
  row('deleteRouteList', (w) => [w.lA]),
  // handles
  row('referenceHandles', (w) => [[w.rA, w.dP]]),
  row('refCount', (w) => [w.rA]),
  // batches and hot paths
  row('addRoutesBatch', (w) => [{
    count: 1, keys: new Uint32Array([0x0a090000, 0, 0, 0]), lens: new Uint8Array([16]), nextHops: new Float64Array([w.nA]),
    preferences: new Uint32Array(1), metrics: new Uint32Array(1), views: new Uint8Array([1]), flags: new Uint16Array(1),
  }]),
  row('applyUpdates', (w) => [{
    count: 1, keys: new Uint32Array([0x0a090000, 0, 0, 0]), lens: new Uint8Array([16]), kinds: new Uint8Array(1),
    nextHops: new Float64Array([w.nA]), preferences: new Uint32Array(1), metrics: new Uint32Array(1), views: new Uint8Array([1]),
    changeFlags: new Uint32Array(1),
  }]),
  row('getChangedDestIds', (w) => [{ notifyHandle: w.nfA, out: new Int32Array(4) }]),
  // the instance
  row('registerEntity', () => [{ addressFamily: 'ipv4', protocolId: 99, instanceId: 1 }, { onEvent: () => undefined, reserveOpaquePointer: true, exportMethods: [] }], 'rtm'),
  row('table', () => [4], 'rtm'),
  row('runPending', () => [], 'rtm'),
  row('bestRouteSummary', (w) => [w.rtm.ipv4, w.rtm.ipv4.lookupId(0x0a000001), 0], 'rtm'),
  row('nextHopAddress', () => [4, 0], 'rtm'),
  // fast paths
  row('lookup', () => ['10.0.0.1', 0], 'ipv4'),
  row('lookup', () => [0x0a000001, 1], 'ipv4'),
  row('lookup', () => ['2001:db8::1', 0], 'ipv6'),
  row('lookupId', () => [0x0a000001, 0], 'ipv4'),
  row('lookupId', () => [new Uint32Array([0x20010db8, 0, 0, 1]), 0, 0], 'ipv6'),
  row('bestRouteInto', (w) => [w.rtm.ipv4.lookupId(0x0a000001), 0, new Float64Array(BEST_FIELDS)], 'ipv4'),
  row('lookupBatch', () => [new Uint32Array([0x0a000001, 0x0b000001]), new Int32Array(2), 0], 'ipv4'),
  row('lookupBatch', () => [new Uint32Array([0x20010db8, 0, 0, 1]), new Int32Array(1), 0], 'ipv6'),
  row('destPrefix', (w) => [w.rtm.ipv4.lookupId(0x0a000001)], 'ipv4'),
  row('bestRouteSummary', (w) => [w.rtm.ipv4.lookupId(0x0a000001), 0], 'ipv4'),
];

/** The argument lists of a row: the base call, then one position or one option replaced at a time. */
function variants(base: unknown[]): [string, unknown[]][] {
  const out: [string, unknown[]][] = [['base', base]];
  const extra = [...base, undefined];   // one position past the end too
  for (let i = 0; i < extra.length; i++) {
    for (const [label, v] of hostile()) {
      const args = extra.slice(0, Math.max(base.length, i + 1));
      args[i] = v;
      out.push([`arg ${i} = ${label}`, args]);
    }
    const o = base[i];
    if (o === null || typeof o !== 'object' || Array.isArray(o) || ArrayBuffer.isView(o)) continue;
    for (const k of Object.keys(o)) {
      for (const [label, v] of hostile()) out.push([`arg ${i}.${k} = ${label}`, withArg(base, i, { ...o, [k]: v })]);
      const getter = { ...o };
      Object.defineProperty(getter, k, { get: boom, enumerable: true });
      out.push([`arg ${i}.${k} getter throws`, withArg(base, i, getter)]);
      const inner = (o as Record<string, unknown>)[k];
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !ArrayBuffer.isView(inner)) {
        for (const ik of Object.keys(inner)) {
          for (const [label, v] of hostile()) out.push([`arg ${i}.${k}.${ik} = ${label}`, withArg(base, i, { ...o, [k]: { ...inner, [ik]: v } })]);
        }
      }
      if (Array.isArray(inner)) {
        for (const [label, v] of hostile()) out.push([`arg ${i}.${k}[0] = ${label}`, withArg(base, i, { ...o, [k]: [v, ...inner.slice(1)] })]);
      }
    }
  }
  return out;
}

function withArg(base: unknown[], i: number, v: unknown): unknown[] {
  const a = [...base];
  a[i] = v;
  return a;
}

function targetOf(w: World, t: Target): Record<string, (...a: unknown[]) => unknown> {
  const o = t === 'A' ? w.A : t === 'rtm' ? w.rtm : t === 'ipv4' ? w.rtm.ipv4 : w.rtm.ipv6;
  return o as unknown as Record<string, (...a: unknown[]) => unknown>;
}

/** Drains an iterator a call returned (at most 10,000 items: more is a hang). */
function drain(v: unknown): void {
  if (v === null || typeof v !== 'object' || typeof (v as Iterator<unknown>).next !== 'function') return;
  const it = v as Iterator<unknown>;
  for (let i = 0; i < 10_000; i++) if (it.next().done) return;
  it.return?.();
  throw new Error('the iterator did not end (a hang)');
}

describe('robustness: hostile arguments to every public method', () => {
  it('the picture of an untouched world is stable', () => {
    const w = world();
    expect(picture(w)).toEqual(picture(w));
  });

  it.each(ROWS.map((r, i) => [`${r.target}.${r.name} #${i}`, r] as const))('%s: RtmError or success; a rejection changes nothing', (_, r) => {
    const newWorld = (): World => { const x = world(); r.before?.(x); return x; };
    let w = newWorld();
    let before = picture(w);
    let ran = 0;
    for (const [label, args] of variants(r.args(w))) {
      const fresh = r.args(w);   // handles of the current world
      const call = args.map((a, i) => (label === 'base' ? fresh[i] : a));
      const tag = `${r.target}.${r.name}(${label})`;
      const code = rtmErrorOf(() => drain(targetOf(w, r.target)[r.name](...call)), tag);
      ran++;
      if (code === 'ok') {
        w.rtm.close();
        w = newWorld();
        before = picture(w);
        continue;
      }
      if (label === 'base') throw new Error(`${tag}: the base call failed with ${code}`);
      expect(picture(w), `${tag} threw ${code} and changed the instance`).toEqual(before);
    }
    w.rtm.close();
    expect(ran).toBeGreaterThan(1);
  });
});

describe('robustness: Rtm creation', () => {
  const bad: [string, unknown][] = [
    ['null', null], ['a number', 5], ['a string', 'x'], ['clock {}', { clock: {} }], ['clock.now not a function', { clock: { now: 5 } }],
    ['families {}', { families: {} }], ['families ["ipx"]', { families: ['ipx'] }], ['families "ipv4"', { families: 'ipv4' }],
    ['opaqueSlots -1', { opaqueSlots: -1 }], ['opaqueSlots 1.5', { opaqueSlots: 1.5 }], ['opaqueSlots 513', { opaqueSlots: 513 }], ['maxNotifyRegistrations "x"', { maxNotifyRegistrations: 'x' }],
    ['defaultPreferences 5', { defaultPreferences: 5 }], ['defaultPreferences { 1: -1 }', { defaultPreferences: { 1: -1 } }],
    ['instanceId 1n', { instanceId: 1n }], ['views symbol', { views: Symbol('v') }], ['maxMemoryBytes "1"', { maxMemoryBytes: '1' }],
    ['getter throws', { get clock() { return boom(); } }], ['trap proxy', trap()], ['build "fast"', { build: 'fast' }],
    ['maxHandlesInEnum 0', { maxHandlesInEnum: 0 }], ['maxNextHopsInRoute NaN', { maxNextHopsInRoute: NaN }],
  ];
  it.each(bad)('Rtm.createSync(%s) is an RtmError', (label, o) => {
    const code = rtmErrorOf(() => Rtm.createSync(o as never), `createSync(${label})`);
    expect(code).not.toBe('ok');
  });
  it('good options still work, and a closed instance answers ERROR_INVALID_HANDLE', () => {
    const rtm = Rtm.createSync({ clock: new VirtualClock(), families: ['ipv4'], defaultPreferences: { 1: 5 }, build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 1 });
    expect(rtmErrorOf(() => rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 1 }), 'ipv6')).toBe('ERROR_FILE_NOT_FOUND');
    rtm.close();
    expect(rtmErrorOf(() => A.addRouteToDest({ dest: P }), 'closed')).toBe('ERROR_INVALID_HANDLE');
    expect(rtmErrorOf(() => rtm.ipv4.lookup('10.0.0.1'), 'closed')).toBe('ERROR_INVALID_HANDLE');
  });
});

describe('robustness: iterator batch sizes (issue 12 item 1)', () => {
  it.each([0, -1, 1.5, NaN, 2 ** 32, '2', 1n])('batch %s: dests() and routes() throw ERROR_INVALID_PARAMETER at once', (batch) => {
    const w = world();
    const before = picture(w);
    expect(rtmErrorOf(() => w.A.dests({ batch } as never), 'dests')).toBe('ERROR_INVALID_PARAMETER');
    expect(rtmErrorOf(() => w.A.routes({ batch } as never), 'routes')).toBe('ERROR_INVALID_PARAMETER');
    expect(rtmErrorOf(() => [...w.A.dests({ batch } as never)], 'dests spread')).toBe('ERROR_INVALID_PARAMETER');
    expect(picture(w)).toEqual(before);
    w.rtm.close();
  });
  it('batch 1 and batch above maxHandlesInEnum are rejected or work, never hang', () => {
    const w = world();
    expect([...w.A.dests({ batch: 1, views: RTM_VIEW_MASK_ANY })].map((d) => d.prefix)).toContain(Q);
    expect(rtmErrorOf(() => w.A.dests({ batch: w.A.profile.maxHandlesInEnum + 1 }), 'too big')).toBe('ERROR_INVALID_PARAMETER');
    w.rtm.close();
  });
});

describe('robustness: every Win32 function with hostile arguments', () => {
  // RTMv2 functions get a live registration handle in position 0 (so the other arguments are reached),
  // and hostile values everywhere else; the rest get hostile values in every position. A status function
  // returns a number; the others (macros, RTMv1 functions returning a HANDLE/BOOL/ULONG, helpers) return
  // a value or throw an RtmError — never a TypeError. The instance is unchanged after every call that
  // failed.
  it('returns a status or throws an RtmError, and a failed call changes nothing', async () => {
    const W = await import('../../src/win32/index.js');
    const { addRegistration, resetInstances, rtmInstance, setInstanceFactory } = await import('../../src/win32/instances.js');
    const w = world();
    resetInstances({ close: false });
    setInstanceFactory(() => w.rtm as never);
    rtmInstance(0);
    setInstanceFactory();
    addRegistration(w.A.handle, { entity: w.A as never, instanceId: 0, api: 'v2' });
    let before = quickPicture(w), calls = 0;
    const failures = new Set<string>();
    const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
    for (const [fname, f] of Object.entries(W)) {
      // the API functions (the C macros and port helpers: test/robust/helpers.test.ts)
      if (!/^(Rtm[A-Z]|rtmInstance$|configureInstance$|GetLastError$|SetLastError$|initializeSync$)/.test(fname)) continue;
      if (typeof f !== 'function' || isClass(f) || fname === 'RtmDeregisterEntity' || fname === 'RtmDeregisterClient') continue;
      const arity = Math.max(f.length, 1);
      for (let i = 0; i < arity; i++) {
        for (const [label, v] of hostile()) {
          const args: unknown[] = Array.from({ length: arity }, () => null);
          if (fname.startsWith('Rtm') && i > 0) args[0] = w.A.handle;
          args[i] = v;
          let out: unknown;
          try {
            out = (f as (...a: unknown[]) => unknown)(...args);
          } catch (err) {
            if ((err as Error)?.name !== 'RtmError') failures.add(`${fname}(arg ${i} = ${label}) threw ${String((err as Error)?.message ?? err)}`);
          }
          calls++;
          const status = typeof out === 'number' && /^Rtm/.test(fname) && !/^Rtm(IsRoute|GetNetworkCount|GetRouteAge|LookupIPDestination)$/.test(fname) ? out : undefined;
          if (status === 0) { before = quickPicture(w); continue; }     // a call that succeeded may change the table
          const after = quickPicture(w);
          if (!isDeepStrictEqual(after, before)) { failures.add(`${fname}(arg ${i} = ${label}) returned ${String(out)} and changed the instance`); before = after; }
        }
      }
    }
    expect([...failures]).toEqual([]);
    expect(picture(w)).toEqual(picture(w));
    expect(calls).toBeGreaterThan(1000);
    resetInstances({ close: false });
    w.rtm.close();
  });
});
