// The stateful fuzz harness of issue 12: one seeded stream of random RTMv2 calls, valid and invalid, over
// both families and both layers, run on the WASM facade and on the reference model side by side; results,
// error codes and callbacks must agree, and a rejected call (or ERROR_NOT_ENOUGH_MEMORY under `cap`) must
// leave the WASM instance's picture unchanged. Hostile values, throwing getters, forged and foreign handles
// and bad Win32 calls go to the WASM side only and must be rejected; callbacks call back into the API. Each
// campaign has a core of its own; deterministic per seed; throws FuzzFailure naming seed and operation.
// Imports no test framework (the CLI, test/fuzz/cli.ts, runs it from dist/). Allocates freely.
import { isDeepStrictEqual, inspect } from 'node:util';
import { Rtm } from '../../src/rtm.js';
import { createCoreSync } from '../../src/port/core.js';
import { RtmError, RtmInternalError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock.js';
import * as W from '../../src/win32/index.js';
import { addRegistration, resetInstances, rtmInstance, setInstanceFactory } from '../../src/win32/instances.js';
import {
  PROTO_IP_BGP, PROTO_IP_OSPF, PROTO_IP_RIP, RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST,
  RTM_ENUM_NEXT, RTM_ENUM_RANGE, RTM_MATCH_NEIGHBOUR, RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_ROUTE_CHANGE_FIRST,
  RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_EXPIRED, RTM_VIEW_MASK_ANY, ERROR_NOT_SUPPORTED, RTM_NOTIFY_ONLY_MARKED_DESTS,
} from '../../src/win32/constants.js';
import type {
  DestHandle, DestInfo, EntityLike, EnumHandle, NextHopHandle, NotifyHandle, RouteHandle, RouteInfo, RouteListHandle, RtmLike,
} from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../../src/cli/workload.js';

export interface FuzzOptions {
  readonly ops: number;
  readonly seed: number;
  /** Cap the core's memory near its current size (allocations fail now and then). */
  readonly cap?: boolean;
  /**
   * Give every table its forwarding structures from its first destination (the core's thresholds at 1), so
   * that lookups go through them and the debug invariants check them against the trie after every change.
   */
  readonly fib?: boolean;
  /**
   * Take every table's first eight registration indexes with registrations that never queue (marked
   * destinations only, none marked), so that the campaign's registrations get indexes 8 and up, whose
   * queued bits the core keeps in the table's extra index (assembly/notify.ts queuedSet), not inline.
   */
  readonly high?: boolean;
  /** Full comparison every so many operations (default 1000). */
  readonly checkEvery?: number;
}

export interface FuzzResult {
  readonly seed: number;
  readonly ops: number;
  /** Calls both sides rejected (with the same code). */
  readonly rejected: number;
  /** Hostile calls (WASM only), all rejected without a change. */
  readonly hostile: number;
  /** Calls the WASM side answered ERROR_NOT_ENOUGH_MEMORY (capped runs). */
  readonly outOfMemory: number;
  /** Callbacks delivered (each side). */
  readonly callbacks: number;
  readonly fullChecks: number;
}

export class FuzzFailure extends Error {
  constructor(readonly seed: number, readonly op: number, what: string) {
    super(`fuzz seed ${seed}, op ${op}: ${what}`);
    this.name = 'FuzzFailure';
  }
}


type Fam = 4 | 6;

interface Side {
  readonly name: 'model' | 'wasm';
  readonly rtm: RtmLike;
  readonly clock: VirtualClock;
  /** Entities: 0, 1 IPv4; 2, 3 IPv6. */
  readonly ents: EntityLike[];
  readonly routes: (RouteHandle | undefined)[];
  /** Route handles the side holds one reference on. */
  readonly routeSet: Set<number>;
  /** Route handles the last full comparison listed. */
  readonly listed: Set<number>;
  readonly nextHops: (NextHopHandle | undefined)[];
  readonly enums: (EnumHandle | undefined)[];
  readonly lists: (RouteListHandle | undefined)[];
  readonly notifies: (NotifyHandle | undefined)[];
  readonly names: Map<number, string>;
  /** Callbacks as they were delivered, named. */
  readonly events: unknown[];
}

const FAMILY_OF: Fam[] = [4, 4, 6, 6];
const PROTOS = [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_RIP, PROTO_IP_BGP];

function name(s: Side, kind: string, h: number | undefined | null): string | undefined {
  if (h === undefined || h === null || h === 0) return undefined;
  let n = s.names.get(h);
  if (n === undefined) { n = `${kind}${s.names.size}`; s.names.set(h, n); }
  return n;
}

/** A destination record, handles named; inside callbacks (whose order across registrations may differ) by prefix. */
function destView(s: Side, d: DestInfo, inCallback = false): unknown {
  return {
    handle: inCallback ? `dest ${d.prefix}` : name(s, 'd', d.handle), prefix: d.prefix, lastChanged: d.lastChanged, views: d.views,
    viewInfo: d.viewInfo.map((v) => ({ ...v, route: name(s, 'r', v.route), owner: name(s, 'e', v.owner), holdRoute: name(s, 'r', v.holdRoute) })),
  };
}

function routeView(s: Side, r: RouteInfo): unknown {
  return {
    ...r, dest: name(s, 'd', r.dest), owner: name(s, 'e', r.owner), neighbour: name(s, 'n', r.neighbour),
    nextHops: r.nextHops.map((n) => name(s, 'n', n)),
  };
}

/** Prefix pools per family: nested, so that routes compete and lookups have covering prefixes. */
function pool(rnd: () => number, fam: Fam, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    if (fam === 4) {
      const len = [0, 8, 12, 16, 16, 20, 24, 24, 24, 32][rnd() % 10];
      const w = ((10 << 24) | (rnd() & 0x0303ff00)) >>> 0;
      const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const x = (w & m) >>> 0;
      out.add(`${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}/${len}`);
    } else {
      const len = [0, 16, 32, 40, 48, 48, 56, 64, 128][rnd() % 9];
      const g = [0x2001, 0x0db8, rnd() & 0x0303, rnd() & 0x0101, 0, 0, 0, rnd() & 0xff];
      const h = g.map((x, i) => { const keep = len - 16 * i; return keep <= 0 ? 0 : keep < 16 ? x & ((0xffff << (16 - keep)) & 0xffff) : x; });
      out.add(`${h.map((x) => x.toString(16)).join(':')}/${len}`);
    }
  }
  return [...out];
}

const boom = (): never => { throw new Error('hostile getter'); };
const trapProxy = (): object => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
/** Hostile values that are plain objects (a valid, empty options object). */
const PLAIN_HOSTILE = new WeakSet<object>();
/** Values no argument of the API accepts where a number, a handle, a prefix or an options object is expected. */
function neverValid(rnd: () => number): unknown {
  const r = Proxy.revocable({}, {});
  r.revoke();
  const plain = { toString: boom, valueOf: boom };
  PLAIN_HOSTILE.add(plain);
  const all = [Symbol('x'), 7n, NaN, 1.5, -1, 2 ** 32 + 0.5, 'not-a-prefix', trapProxy(), r.proxy, plain];
  return all[rnd() % all.length];
}

/** Where two results first differ, compactly. */
function difference(a: unknown, b: unknown, path = ''): string {
  const show = (v: unknown): string => inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 8 });
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k], y = (b as Record<string, unknown>)[k];
      if (!isDeepStrictEqual(x, y)) return difference(x, y, `${path}[${k}]`);
    }
  }
  return `at ${path || 'top'}: model ${show(a)} ≠ wasm ${show(b)}`;
}

/** Runs one seeded fuzz campaign; throws FuzzFailure at the first disagreement. */
export function fuzz(options: FuzzOptions): FuzzResult {
  const { ops, seed } = options;
  const checkEvery = options.checkEvery ?? 1000;
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
  const chance = (p: number): boolean => rnd() / 4294967296 < p;
  let op = 0;
  const fail = (what: string): never => { throw new FuzzFailure(seed, op, what); };
  const stats = { rejected: 0, hostile: 0, outOfMemory: 0, fullChecks: 0 };

  // a core of the campaign's own (its memory starts small, so a cap bites; nothing else shares it)
  const ownCore = createCoreSync('debug');
  if (options.fib) { ownCore.x.fibThreshold(1); ownCore.x.fib6Threshold(1); }
  // a third instance whose handles are "foreign" to the fuzzed one
  const foreign = Rtm.createSync({ core: ownCore });
  const fe = foreign.registerEntity({ addressFamily: 'ipv4', protocolId: 1 });
  const fnh = fe.addNextHop({ address: '10.0.0.1' }).handle!;
  const foreignHandles = [fe.handle, fnh, fe.addRouteToDest({ dest: '10.0.0.0/8', nextHops: [fnh] }).handle!];

  const made = [createModel({ clock: new VirtualClock(), maxHandlesInEnum: 5 }), null] as (RtmLike | null)[];
  const wasmRtm = Rtm.createSync({ clock: new VirtualClock(), maxHandlesInEnum: 5, core: ownCore });
  made[1] = wasmRtm as unknown as RtmLike;
  const sides: Side[] = made.map((rtm, i) => ({
    name: i === 0 ? 'model' : 'wasm', rtm: rtm!, clock: rtm!.clock as VirtualClock, ents: [], routes: [], routeSet: new Set(), listed: new Set(), nextHops: [], enums: [], lists: [],
    notifies: [], names: new Map(), events: [],
  }));
  const [model, wasm] = sides;
  // the Win32 layer's instance 0 is the fuzzed WASM instance
  resetInstances({ close: false });
  setInstanceFactory(() => wasmRtm as unknown as RtmLike);
  rtmInstance(0);
  setInstanceFactory();
  const core = wasmRtm.core;
  const oldCap = core.x.memoryCap();

  /** The WASM picture a rejected call must leave unchanged (`hs`: handles whose references are compared). */
  const picture = (hs: readonly unknown[]): unknown => {
    const x = core.x, L = wasmRtm.layout as unknown as { TABLE_HEAP: number };
    const words = [wasmRtm.ipv4, wasmRtm.ipv6].map((t) => Array.from({ length: L.TABLE_HEAP }, (_, i) => t.core.stat(i)));
    const refs = wasm.ents.map((e) => hs.map((h) => (typeof h === 'number' ? (e as unknown as { refCount(h: number): number }).refCount(h) : 0)));
    const pending = (wasmRtm.scheduler as unknown as { pending: unknown[] }).pending.length;
    return { words, refs, refStat: x.refStat(0), cursors: x.enumStat(0), chunks: x.enumStat(1), pending, events: wasm.events.length };
  };
  const handlesOf = (s: Side): number[] => ([
    ...s.ents.map((e) => e.handle), ...s.routes, ...s.nextHops,
  ] as (number | undefined)[]).filter((h): h is number => typeof h === 'number').slice(-64);

  /** `f` on the WASM side, then (unless it ran out of memory) on the model; results must agree. */
  const both = <T>(what: string, f: (s: Side) => T, partial = false): T | string => {
    const hs = handlesOf(wasm);
    const before = picture(hs);
    const b = attempt(() => f(wasm));
    if (b === '!ERROR_NOT_ENOUGH_MEMORY') {
      stats.outOfMemory++;
      if (!isDeepStrictEqual(picture(hs), before)) fail(`${what}: ERROR_NOT_ENOUGH_MEMORY changed the instance`);
      return b;
    }
    const a = attempt(() => f(model));
    if (!isDeepStrictEqual(a, b)) {
      if (process.env.FUZZ_VERBOSE) console.error(inspect({ model: a, wasm: b }, { depth: 3, breakLength: 160, maxArrayLength: 200 }));
      fail(`${what}: ${difference(a, b)}`);
    }
    if (typeof b === 'string' && b.startsWith('!')) {
      stats.rejected++;
      if (!partial && !isDeepStrictEqual(picture(hs), before)) fail(`${what}: rejected with ${b} but changed the instance`);
    }
    return b;
  };
  const attempt = <T>(f: () => T): T | string => {
    try { return f(); } catch (err) {
      if (err instanceof RtmError) return `!${err.code}`;
      if (err instanceof FuzzFailure) throw err;
      return fail(`threw ${err instanceof RtmInternalError ? 'RtmInternalError' : (err as Error)?.name}: ${String((err as Error)?.stack ?? err)}`);
    }
  };
  /** A hostile call on the WASM side: an RtmError, nothing changed. */
  const hostile = (what: string, f: (s: Side) => unknown): void => {
    stats.hostile++;
    const hs = handlesOf(wasm);
    const before = picture(hs);
    const r = attempt(() => f(wasm));
    if (typeof r !== 'string' || !r.startsWith('!')) fail(`${what}: a hostile call succeeded (${inspect(r)})`);
    if (!isDeepStrictEqual(picture(hs), before)) fail(`${what}: a hostile call (${r as string}) changed the instance`);
  };

  // entities, with callbacks that call back into the API
  for (let i = 0; i < 4; i++) {
    both(`register ${i}`, (s) => {
      const e = s.rtm.registerEntity({ addressFamily: FAMILY_OF[i] === 4 ? 'ipv4' : 'ipv6', protocolId: PROTOS[i], instanceId: i }, {
        reserveOpaquePointer: i % 2 === 0,
        onEvent: (type, c1) => {
          const entry: unknown[] = [i, type, name(s, type === RTM_CHANGE_NOTIFICATION ? 'nf' : type === RTM_ROUTE_EXPIRED ? 'r' : 'e', c1 as number)];
          s.events.push(entry);
          if (type === RTM_CHANGE_NOTIFICATION) {
            // re-entrant: pull and release the changes from inside the callback
            const got = attempt(() => {
              const b = s.ents[i].getChangedDests({ notifyHandle: c1 as NotifyHandle, count: 5 });
              s.ents[i].releaseChangedDests({ notifyHandle: c1 as NotifyHandle, dests: b.items });
              return b.items.map((d) => destView(s, d, true));
            });
            entry.push(got);
          }
          if (type === RTM_ROUTE_EXPIRED) {
            // every other expiry the owner lets the RTM delete the route; otherwise it keeps it
            return (s.events.length & 1) === 0 ? ERROR_NOT_SUPPORTED : undefined;
          }
          return undefined;
        },
      });
      s.ents.push(e);
      if (s === wasm) addRegistration(e.handle, { entity: e, instanceId: 0, api: 'v2' });
      return name(s, 'e', e.handle);
    });
  }
  const pools: Record<Fam, string[]> = { 4: pool(rnd, 4, options.cap ? 300 : 24), 6: pool(rnd, 6, options.cap ? 300 : 24) };
  const nhOwner: number[] = [], nhAddr: string[] = [], nhIf: number[] = [];
  const routeOwner: number[] = [], enumOwner: number[] = [], enumKind: string[] = [], listOwner: number[] = [], notifyOwner: number[] = [];
  const addrOf = (e: number, k: number): string => (FAMILY_OF[e] === 4 ? `10.${e}.0.${k + 1}` : `2001:db8::${e}:${k + 1}`);
  const nhOf = (e: number): number | undefined => {
    const mine = nhOwner.map((o, i) => (o === e ? i : -1)).filter((i) => i >= 0);
    return mine.length ? pick(mine) : undefined;
  };
  /** A stream index, mostly among the latest 200 (older entries are mostly gone). */
  const recent = (n: number): number => (chance(0.9) ? Math.max(0, n - 1 - (rnd() % 200)) : rnd() % n);
  const liveEnums = new Set<number>();
  const ofOwner = (owners: number[], e: number): number | undefined => {
    const mine = owners.map((o, i) => (o === e ? i : -1)).filter((i) => i >= 0);
    return mine.length ? pick(mine) : undefined;
  };
  const destOf = (s: Side, e: number, prefix: string): number | undefined => {
    const d = s.ents[e].getExactMatchDestination({ dest: prefix, views: RTM_VIEW_MASK_ANY });
    if (!d) return undefined;
    s.ents[e].releaseDestInfo(d);
    return d.handle;
  };

  const compareAll = (): void => {
    stats.fullChecks++;
    if (process.env.FUZZ_COUNTS) console.error(op, JSON.stringify((model.rtm as unknown as { debugCounts(): unknown }).debugCounts()));
    for (const e of [0, 2]) {
      both(`all destinations of ${FAMILY_OF[e]}`, (s) => [...s.ents[e].dests({ views: RTM_VIEW_MASK_ANY, batch: 1 + (op % 5) })].map((d) => destView(s, d)));
      both(`all routes of ${FAMILY_OF[e]}`, (s) => [...s.ents[e].routes({ views: RTM_VIEW_MASK_ANY })].map((r) => {
        const info = s.ents[e].getRouteInfo(r);
        s.ents[e].releaseRouteInfo(info);
        s.listed.add(r);
        return [name(s, 'r', r), routeView(s, info)];
      }));
    }
    // give back the references on routes that are gone (expired, deleted through Win32, replaced), so the
    // tables stay the size of the prefix pools: those the enumerations no longer list
    both('sweep deleted routes', (s) => {
      const swept: number[] = [];
      s.routes.forEach((h, i) => {
        if (h === undefined || s.listed.has(h)) return;
        const ent = s.ents[routeOwner[i]];
        let info: RouteInfo;
        try {
          info = ent.getRouteInfo(h);
        } catch (err) {
          // deleted by its owner (which consumed the stream's reference): the handle is stale now
          if (!(err instanceof RtmError) || err.code !== 'ERROR_INVALID_HANDLE') throw err;
          s.routes[i] = undefined;
          swept.push(-i);
          return;
        }
        ent.releaseRouteInfo(info);
        if (info.state !== 0) { ent.releaseRoutes([h]); s.routes[i] = undefined; swept.push(i); }
      });
      s.listed.clear();
      return swept;
    });
    const inv = (model.rtm as unknown as { checkInvariants(): string[] }).checkInvariants();
    if (inv.length > 0) fail(`model invariants: ${inv.join('; ')}`);
    for (const t of [wasmRtm.ipv4, wasmRtm.ipv6]) if (t.core.checkInvariants() !== 0) fail(`core invariants of IPv${t.family}: ${t.core.checkInvariants()}`);
    if (model.events.length !== wasm.events.length) fail(`callbacks: model ${model.events.length} ≠ wasm ${wasm.events.length}`);
  };

  if (options.high) {
    for (const e of [0, 2]) for (let k = 0; k < 8; k++) {
      both(`padding registration ${e}.${k}`, (s) => { s.ents[e].registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS }); return k; });
    }
  }
  for (let e = 0; e < 4; e++) for (let k = 0; k < 2; k++) {
    both(`addNextHop ${e}`, (s) => { const r = s.ents[e].addNextHop({ address: addrOf(e, k), interfaceIndex: k + 1 }); s.nextHops.push(r.handle); return name(s, 'n', r.handle); });
    nhOwner.push(e); nhAddr.push(addrOf(e, k)); nhIf.push(k + 1);
  }
  if (options.cap) {
    // Every slab kind the campaign uses gets its first chunk before the cap: the cap is meant to make
    // growth fail now and then, not to refuse a whole feature for the run. The destination extra records
    // (hold-down, marks; a 7-page first chunk) are the one kind the setup above does not touch, so the
    // foreign instance (same core) marks a destination once; the chunk stays when the record goes.
    const fd = fe.getExactMatchDestination({ dest: '10.0.0.0/8' })!;
    const fn = fe.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_BEST });
    fe.markDestForChangeNotification({ notifyHandle: fn, dest: fd.handle });
    fe.markDestForChangeNotification({ notifyHandle: fn, dest: fd.handle, mark: false });
    fe.deregisterFromChangeNotification(fn);
    fe.releaseDestInfo(fd);
    if (core.x.destExtraCount() !== 0) fail('the warm-up left an extra record behind');
    // The fuzzed tables' extra indexes (assembly/xindex.ts) are sized for the campaign before the cap too:
    // growing after it, they would take the pages the reference tables' growth finds there, and refuse a
    // getChangedDests inside a callback, where the model has no memory to run out of
    for (const t of [wasmRtm.ipv4, wasmRtm.ipv6]) {
      if (core.x.extraIndexReserveX(t.core.t, 1024, 4096, options.high ? 1024 : 0) !== 0) fail('the warm-up could not size an extra index');
    }
    if (options.fib) {
      // and so are the fuzzed tables' forwarding structures (a table's first destination makes them, and
      // at threshold 1 they stay): a destination made and removed in the core only, which leaves no trace
      for (const t of [wasmRtm.ipv4, wasmRtm.ipv6]) {
        t.core.removeDest(t.core.ensureDest(t.family === 4 ? '10.255.0.0/16' : '2001:db8:ffff::/48').destId);
      }
      if (core.x.tableHasFib(wasmRtm.ipv4.core.t) !== 1 || core.x.tableHasFib6(wasmRtm.ipv6.core.t, 0) !== 1) {
        fail('the warm-up could not make the forwarding structures');
      }
    }
    // (with forwarding structures, their pages took what growth had left over — it is geometric — so the cap
    // is a MiB above: without it most such runs could barely add a route)
    core.x.memorySetCap(core.memoryBytes + (options.fib ? 1 << 20 : 0));
  }

  try {
    for (op = 0; op < ops; op++) {
      const e = rnd() % 4, fam = FAMILY_OF[e], x = rnd() % 100;
      if (x < 20) {
        const prefix = pick(pools[fam]), nh = chance(0.85) ? nhOf(e) : undefined;
        const o = {
          // a pair without a packed form lives in the route's extra record (layout ROUTE_PM): 10 % of the
          // preferences and metrics are large — the second packed form's and values beyond both forms —,
          // from small sets so that they still tie
          dest: prefix, preference: chance(0.1) ? pick([0x400, 0xff9b0005, 0xff9b0020, 0xffffffff]) : 10 * (rnd() % 3),
          metric: chance(0.1) ? pick([0x2000, 0x100000, 0xfffffffe]) : rnd() % 3, views: 1 + (rnd() % 3),
          changeFlags: chance(0.05) ? RTM_ROUTE_CHANGE_NEW : pick([0, 0, 0, RTM_ROUTE_CHANGE_FIRST]),
          timeToLive: chance(0.1) ? 1 + (rnd() % 50) : undefined, entitySpecificInfo: chance(0.2) ? `esi${rnd() % 3}` : undefined,
          // route flags live in the route's extra record (made for the first non-zero value, freed at zero)
          flags: chance(0.15) ? pick([0, 1, 4, 0x10, 0x100, 0x8000]) : undefined, flags1: chance(0.1) ? rnd() % 256 : undefined,
        };
        const r = both(`add ${e} ${prefix}`, (s) => {
          const hop = nh === undefined ? undefined : s.nextHops[nh];
          const res = s.ents[e].addRouteToDest({ ...o, neighbour: hop, nextHops: hop ? [hop] : [] });
          // one reference per live route: an update returns a handle the caller already holds
          const known = s.routeSet.has(res.handle!);
          if (known) s.ents[e].releaseRoutes([res.handle!]);
          s.routeSet.add(res.handle!);
          s.routes.push(known ? undefined : res.handle);
          return [name(s, 'r', res.handle), res.changeFlags];
        });
        if (typeof r === 'string') for (const s of sides) s.routes.push(undefined);
        routeOwner.push(e);
      } else if (x < 30 && routeOwner.length > 0) {
        const i = recent(routeOwner.length);
        if (sides.every((s) => s.routes[i] !== undefined)) {
          both(`delete route ${i}`, (s) => s.ents[routeOwner[i]].deleteRouteToDest(s.routes[i]!));
        }
      } else if (x < 32) {
        const k = rnd() % 4, a = addrOf(e, k);
        both(`addNextHop ${e} ${a}`, (s) => { const r = s.ents[e].addNextHop({ address: a, interfaceIndex: k + 1 }); s.nextHops.push(r.handle); return [name(s, 'n', r.handle), r.changeFlags]; });
        nhOwner.push(e); nhAddr.push(a); nhIf.push(k + 1);
      } else if (x < 33 && nhOwner.length > 0) {
        const i = rnd() % nhOwner.length;
        both(`deleteNextHop ${i}`, (s) => s.ents[nhOwner[i]].deleteNextHop({ address: nhAddr[i], interfaceIndex: nhIf[i] }));
      } else if (x < 37 && routeOwner.length > 0) {
        const i = recent(routeOwner.length), reader = pick([0, 1, 2, 3].filter((k) => FAMILY_OF[k] === FAMILY_OF[routeOwner[i]]));
        if (sides.every((s) => s.routes[i] !== undefined)) {
          both(`getRouteInfo ${i}`, (s) => {
            const info = s.ents[reader].getRouteInfo(s.routes[i]!);
            s.ents[reader].releaseRouteInfo(info);
            return routeView(s, info);
          });
        }
      } else if (x < 42) {
        const prefix = pick(pools[fam]), exact = chance(0.5), views = pick([0, 1, 2, 3, undefined]);
        both(`query ${exact ? 'exact' : 'lpm'} ${prefix}`, (s) => {
          const d = exact ? s.ents[e].getExactMatchDestination({ dest: prefix, views }) : s.ents[e].getMostSpecificDestination({ dest: prefix, views });
          if (!d) return undefined;
          s.ents[e].releaseDestInfo(d);
          return destView(s, d);
        });
      } else if (x < 45 && liveEnums.size < 16) {
        const range = pick([0, RTM_ENUM_NEXT, RTM_ENUM_RANGE]), start = pick(pools[fam]), route = chance(0.6);
        const mf = pick([0, 0, RTM_MATCH_OWNER, RTM_MATCH_PREF, RTM_MATCH_NEIGHBOUR]), crit = rnd() % 4;
        const views = pick([0, 1, 3]), critHop = nhOf(e) ?? 0;
        const r = both(`create ${route ? 'route' : 'dest'} enum`, (s) => {
          const h = route
            ? s.ents[e].createRouteEnum({ views, enumFlags: range, startDest: start, matchFlags: mf,
              criteria: { owner: s.ents[crit].handle, preference: 10, neighbour: s.nextHops[critHop] } })
            : s.ents[e].createDestEnum({ views: 0, enumFlags: range, startDest: start });
          s.enums.push(h);
          return true;
        });
        if (typeof r === 'string') for (const s of sides) s.enums.push(undefined);
        if (typeof r !== 'string') liveEnums.add(enumOwner.length);
        enumOwner.push(e); enumKind.push(route ? 'route' : 'dest');
      } else if (x < 50) {
        const i = ofOwner(enumOwner, e), count = pick([undefined, 0, 1, 2, 5]);
        if (i !== undefined && sides.every((s) => s.enums[i] !== undefined)) {
          both(`get enum ${i}`, (s) => {
            const en = s.enums[i]!;
            if (enumKind[i] === 'dest') {
              const b = s.ents[e].getEnumDests({ enumHandle: en, count });
              s.ents[e].releaseDests(b.items);
              return [b.done, b.items.map((d) => destView(s, d))];
            }
            const b = s.ents[e].getEnumRoutes({ enumHandle: en, count });
            s.ents[e].releaseRoutes(b.items);
            return [b.done, b.items.map((h) => name(s, 'r', h))];
          });
          if (chance(0.4)) { both(`delete enum ${i}`, (s) => s.ents[e].deleteEnumHandle(s.enums[i]!)); liveEnums.delete(i); }
        }
      } else if (x < 52) {
        const flags = pick([RTM_CHANGE_TYPE_ALL, RTM_CHANGE_TYPE_BEST]), views = pick([1, 2, 3]);
        // one registration per entity at a time: the old one ends first
        const mine = notifyOwner.map((o, k) => (o === e ? k : -1)).filter((k) => k >= 0 && sides.every((s) => s.notifies[k] !== undefined));
        if (mine.length >= 1) {
          both(`deregister notification ${mine[0]}`, (s) => { s.ents[e].deregisterFromChangeNotification(s.notifies[mine[0]]!); s.notifies[mine[0]] = undefined; });
        }
        const r = both(`register notification ${e}`, (s) => { const h = s.ents[e].registerForChangeNotification({ notifyFlags: flags, views, context: e }); s.notifies.push(h); return name(s, 'nf', h); });
        if (typeof r === 'string') for (const s of sides) s.notifies.push(undefined);
        notifyOwner.push(e);
      } else if (x < 55) {
        const i = ofOwner(notifyOwner, e);
        const count = pick([1, 2, 5]);
        if (i !== undefined && sides.every((s) => s.notifies[i] !== undefined)) {
          both(`getChangedDests ${i}`, (s) => {
            const b = s.ents[e].getChangedDests({ notifyHandle: s.notifies[i]!, count });
            s.ents[e].releaseChangedDests({ notifyHandle: s.notifies[i]!, dests: b.items });
            return [b.done, b.items.map((d) => destView(s, d))];
          });
        }
      } else if (x < 57) {
        // a destination lock held across one other entity's add (ERROR_BUSY), then released
        const prefix = pick(pools[fam]), other = e ^ 1;
        both(`lock ${prefix}`, (s) => {
          const d = destOf(s, e, prefix);
          if (d === undefined) return undefined;
          s.ents[e].lockDestination({ dest: d as DestHandle, exclusive: true });
          const r = attempt(() => s.ents[other].addRouteToDest({ dest: prefix, nextHops: [] }).changeFlags);
          s.ents[e].lockDestination({ dest: d as DestHandle, exclusive: true, lock: false });
          return r;
        });
      } else if (x < 59 && routeOwner.length > 0) {
        const i = recent(routeOwner.length);
        if (sides.every((s) => s.routes[i] !== undefined)) {
          both(`reference and release route ${i}`, (s) => {
            const ent = s.ents[e];
            ent.referenceHandles([s.routes[i]!]);
            ent.releaseRoutes([s.routes[i]!]);
            return true;
          });
        }
      } else if (x < 60) {
        // three calls, each compared on its own: each is all-or-nothing, and an ERROR_NOT_ENOUGH_MEMORY on
        // the WASM side skips only that call on the model (insertInRouteList can run out of memory: a
        // route's list links live in its extra record, made on its first insertion)
        let at = -1;
        const r = both(`route list ${e}`, (s) => {
          const l = s.ents[e].createRouteList();
          at = s.lists.length;
          s.lists.push(l);
          return name(s, 'l', l);
        });
        if (typeof r === 'string' && !r.startsWith('!')) {
          // at most 6 lists per entity: the oldest goes
          both(`route list ${e}: the oldest goes`, (s) => {
            const own = s.lists.filter((l, k) => l !== undefined && k !== at && listOwner[k] === e);
            if (own.length >= 6) { s.ents[e].deleteRouteList(own[0]!); s.lists[s.lists.indexOf(own[0])] = undefined; }
            return own.length;
          });
          both(`route list ${e}: insert`, (s) => {
            const from = Math.max(0, s.routes.length - 40);
            const mine = s.routes.slice(from).filter((h, k) => h !== undefined && routeOwner[from + k] === e).slice(-3);
            s.ents[e].insertInRouteList({ routeList: s.lists[at]!, routes: mine as RouteHandle[] });
            return true;
          });
        }
        if (typeof r === 'string') for (const s of sides) s.lists.push(undefined);
        listOwner.push(e);
      } else if (x < 63) {
        const ms = pick([1, 5, 20, 60]);
        // the callbacks of the step as a multiset: the order in which one change reaches several
        // registrations is not specified (the core goes by registration slot, the model by creation)
        both(`advance ${ms}`, (s) => {
          const n = s.events.length;
          s.clock.advance(ms);
          s.rtm.runPending();
          return s.events.slice(n).map((ev) => inspect(ev, { depth: 8, breakLength: Infinity })).sort();
        });
      } else if (x < 66 && routeOwner.length > 0) {
        // the Win32 layer on the WASM side, the idiomatic call on the model: RtmGetRouteInfo / RtmDeleteRouteToDest
        const i = recent(routeOwner.length), del = chance(0.3), owner = routeOwner[i];
        if (sides.every((s) => s.routes[i] !== undefined)) {
          both(`win32 ${del ? 'RtmDeleteRouteToDest' : 'RtmGetRouteInfo'} ${i}`, (s) => {
            const ent = s.ents[owner], h = s.routes[i]!;
            if (s === model) {
              if (del) return ent.deleteRouteToDest(h);
              const info = ent.getRouteInfo(h);
              ent.releaseRouteInfo(info);
              return info.metric;
            }
            if (del) {
              const flags = W.ref<number>(0);
              const st = W.RtmDeleteRouteToDest(ent.handle, h, flags);
              if (st !== 0) throw new RtmError(st, 'RtmDeleteRouteToDest');
              return flags.value;
            }
            const ri = new W.RTM_ROUTE_INFO();
            const st = W.RtmGetRouteInfo(ent.handle, h, ri, null);
            if (st !== 0) throw new RtmError(st, 'RtmGetRouteInfo');
            const st2 = W.RtmReleaseRouteInfo(ent.handle, ri);
            if (st2 !== 0) throw new RtmError(st2, 'RtmReleaseRouteInfo');
            return ri.PrefInfo.Metric;
          });
        }
      } else if (x < 90) {
        hostileOp(e);
      } else if (x < 96) {
        forgedOp(e);
      } else {
        // read-only queries of every kind through the Table fast paths (WASM) against getMostSpecificDestination
        const prefix = pick(pools[fam]), addr = prefix.slice(0, prefix.indexOf('/'));
        both(`lookup ${addr}`, (s) => {
          if (s === wasm) {
            const t = wasmRtm.table(fam), r = t.lookup(addr, 0);
            return r?.prefix;
          }
          const d = s.ents[e].getMostSpecificDestination({ dest: addr, views: 1 });
          if (d) s.ents[e].releaseDestInfo(d);
          return d?.prefix;
        });
      }
      if ((op + 1) % checkEvery === 0) compareAll();
    }
    compareAll();
  } finally {
    if (options.cap) core.x.memorySetCap(oldCap);
  }
  // everything the run took is given back: odd seeds close the WASM instance with everything still in it
  // (the table teardown, assembly/teardown.ts, whose debug build asserts that no record of a freed table is
  // left), even seeds deregister its entities first (every route deleted one by one, with its callbacks)
  for (const s of sides) if (s === model || seed % 2 === 0) for (const ent of s.ents) ent.deregister();
  wasmRtm.close();
  // the instance sharing the core is untouched by the teardown
  if (foreign.ipv4.core.checkInvariants() !== 0) fail(`foreign instance's invariants after the close: ${foreign.ipv4.core.checkInvariants()}`);
  const kept = fe.getMostSpecificDestination({ dest: '10.1.2.3' });
  if (!kept || kept.prefix !== '10.0.0.0/8') fail(`foreign instance's route after the close: ${kept?.prefix}`);
  else fe.releaseDestInfo(kept);
  foreign.close();
  resetInstances({ close: false });
  if (core.x.refStat(0) !== 0 || core.x.enumStat(0) !== 0 || core.x.enumStat(1) !== 0) {
    fail(`after the run: ${core.x.refStat(0)} references, ${core.x.enumStat(0)} cursors and ${core.x.enumStat(1)} cursor chunks left`);
  }
  if (process.env.FUZZ_COUNTS) {
    const byType = new Map<unknown, number>();
    for (const ev of wasm.events) { const k = (ev as unknown[])[1]; byType.set(k, (byType.get(k) ?? 0) + 1); }
    console.error('callbacks by type', [...byType]);
  }
  return { seed, ops, ...stats, callbacks: wasm.events.length };

  /** A call with one value no argument accepts, or an option whose getter throws (WASM only). */
  function hostileOp(e: number): void {
    const s = wasm, ent = s.ents[e], prefix = pick(pools[FAMILY_OF[e]]), bad = neverValid(rnd);
    const hop = s.nextHops[nhOf(e) ?? 0];
    const templates: [string, Record<string, unknown>, (o: Record<string, unknown>) => unknown][] = [
      ['addRouteToDest', { dest: prefix, neighbour: hop, nextHops: [hop], preference: 1, metric: 1, views: 1, timeToLive: 100 }, (o) => ent.addRouteToDest(o as never)],
      ['addNextHop', { address: addrOf(e, 7), interfaceIndex: 9, flags: 0 }, (o) => ent.addNextHop(o as never)],
      ['registerForChangeNotification', { notifyFlags: RTM_CHANGE_TYPE_ALL, views: 1 }, (o) => ent.registerForChangeNotification(o as never)],
      ['createDestEnum', { views: 1, enumFlags: RTM_ENUM_RANGE, startDest: prefix }, (o) => ent.createDestEnum(o as never)],
      ['createRouteEnum', { views: 1, enumFlags: RTM_ENUM_RANGE, startDest: prefix, matchFlags: RTM_MATCH_OWNER, criteria: { owner: ent.handle } }, (o) => ent.createRouteEnum(o as never)],
      ['getExactMatchDestination', { dest: prefix, views: 1 }, (o) => ent.getExactMatchDestination(o as never)],
      ['getMostSpecificDestination', { dest: prefix, views: 1 }, (o) => ent.getMostSpecificDestination(o as never)],
      ['findNextHop', { address: addrOf(e, 0), interfaceIndex: 1 }, (o) => ent.findNextHop(o as never)],
      ['dests', { views: 1, batch: 2 }, (o) => [...ent.dests(o as never)]],
      ['routes', { views: 1, batch: 2 }, (o) => [...ent.routes(o as never)]],
      ['getExactMatchRoute', { dest: prefix, views: 1, matchFlags: RTM_MATCH_OWNER, criteria: { owner: ent.handle } }, (o) => ent.getExactMatchRoute(o as never)],
    ];
    const [method, base, call] = pick(templates);
    const keys = Object.keys(base), k = pick(keys), o = { ...base };
    // (a plain object is a valid criteria object: its getter throws instead)
    if (chance(0.3) || (k === 'criteria' && PLAIN_HOSTILE.has(bad as object))) Object.defineProperty(o, k, { get: boom, enumerable: true });
    else o[k] = bad;
    hostile(`hostile ${method}.${k}`, () => call(o));
    // a whole options argument no call accepts (a plain object with a throwing toString is a valid empty one)
    if (chance(0.2) && !PLAIN_HOSTILE.has(bad as object)) {
      hostile(`hostile ${method}(options)`, () => call(bad as never));
    }
    // the same through the Win32 layer: a status, never an exception, nothing changed
    if (chance(0.3)) {
      hostile('hostile RtmAddRouteToDest', () => {
        const st = W.RtmAddRouteToDest(ent.handle, W.ref<number>(bad as number), bad as never, W.ref<number>(0) as never, 0, null, 0, null, W.ref(0));
        if (typeof st !== 'number') throw new Error('not a status');
        if (st !== 0) throw new RtmError(st, 'RtmAddRouteToDest');
        return st;
      });
    }
  }

  /** Forged (random) and foreign handles where handles are expected (WASM only): ERROR_INVALID_HANDLE, nothing changed. */
  function forgedOp(e: number): void {
    const ent = wasm.ents[e];
    const forged = chance(0.5) ? pick(foreignHandles) : Math.floor(rnd() * 2 ** 21 + rnd() % 1000) || 12345;
    const calls: [string, () => unknown][] = [
      ['getRouteInfo', () => ent.getRouteInfo(forged as RouteHandle)],
      ['deleteRouteToDest', () => ent.deleteRouteToDest(forged as RouteHandle)],
      ['getDestInfo', () => ent.getDestInfo({ dest: forged as never })],
      ['addRouteToDest', () => ent.addRouteToDest({ dest: pick(pools[FAMILY_OF[e]]), nextHops: [forged as NextHopHandle] })],
      ['releaseRoutes', () => ent.releaseRoutes([forged as RouteHandle])],
      ['getNextHopInfo', () => ent.getNextHopInfo(forged as NextHopHandle)],
      ['lockDestination', () => ent.lockDestination({ dest: forged as never, exclusive: true })],
      ['getEnumDests', () => ent.getEnumDests({ enumHandle: forged as EnumHandle })],
      ['getChangedDests', () => ent.getChangedDests({ notifyHandle: forged as NotifyHandle })],
      ['win32 RtmGetRouteInfo', () => { const st = W.RtmGetRouteInfo(ent.handle, forged, new W.RTM_ROUTE_INFO(), null); if (st !== 0) throw new RtmError(st, 'w'); }],
    ];
    const [what, call] = pick(calls);
    hostile(`forged ${what} ${forged}`, call);
  }
}
