// Scale benchmarks through the public RTMv2 layer (DESIGN "Scale targets"): many small tables in one
// process, and route churn that moves the best route with a BEST notification registration queueing
// every change. The baseline is the naive reference model of the tests (test/reference/model.ts) doing
// the same calls in the same run.
import { Rtm } from '../src/rtm.js';
import { createCoreSync } from '../src/port/core.js';
import { VirtualClock } from '../src/clock.js';
import { RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_UCAST } from '../src/win32/constants.js';
import type { EntityLike, NotifyHandle, RouteHandle, RtmLike, RtmOptions } from '../src/types.js';
import { createModel } from '../test/reference/model.js';
import { mulberry32 } from '../src/cli/workload.js';

export interface Row { family: string; task: string; unit: string; core: number; ref: number; note?: string }

type Factory = (o: RtmOptions) => RtmLike;
const wasm: Factory = (o) => Rtm.createSync({ ...o, build: 'release' }) as unknown as RtmLike;
const model: Factory = (o) => createModel(o) as unknown as RtmLike;

function heapUsed(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** `n` distinct /24 prefixes of 10.0.0.0/8 .. 223.0.0.0/8, from a seeded stream. */
function prefixes24(seed: number, n: number): string[] {
  const rnd = mulberry32(seed);
  const seen = new Set<number>();
  const out: string[] = [];
  while (out.length < n) {
    const v = (10 + (rnd() % 214)) * 65536 + (rnd() & 0xffff);
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(`${v >>> 16}.${(v >>> 8) & 255}.${v & 255}.0/24`);
  }
  return out;
}

/**
 * Builds `tables` instances of `routes` routes each; returns ms, the JS heap growth and the growth of
 * `linearBytes` (the core's bytes in use; 0 for the model).
 */
function buildMany(make: Factory, tables: number, routes: number, linearBytes: () => number): { ms: number; bytes: number; heap: number; linear: number; keep: RtmLike[] } {
  const names = prefixes24(7, routes);
  const heap0 = heapUsed(), lin0 = linearBytes();
  const t0 = performance.now();
  const keep: RtmLike[] = [];
  for (let i = 0; i < tables; i++) {
    const rtm = make({ families: ['ipv4'], clock: new VirtualClock() });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: `192.0.2.${1 + (i % 250)}`, interfaceIndex: 1 }).handle!;
    for (const dest of names) e.addRouteToDest({ dest, neighbour: nh, nextHops: [nh], metric: 1, returnHandle: false });
    keep.push(rtm);
  }
  const ms = performance.now() - t0;
  const linear = linearBytes() - lin0, heap = heapUsed() - heap0;
  return { ms, bytes: linear + heap, heap, linear, keep };
}

/**
 * What the first touch of a fresh 4 KiB page of linear memory costs on this host, in µs (wall time, as the
 * many-tables build is timed): a fresh 64 MiB WebAssembly.Memory written once per page, median of three. A
 * build into memory not touched before pays it for every page its records fill (session 23: ~10 µs on the
 * 2-core VMs, about a third of the many-tables build; a second pass over 131 MiB already touched took 1–2 ms).
 */
function pageTouchMicros(): number {
  const PAGES = 16384, WASM_PAGES = PAGES / 16;
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const u = new Uint32Array(new WebAssembly.Memory({ initial: WASM_PAGES }).buffer);
    const t0 = performance.now();
    for (let i = 0; i < u.length; i += 1024) u[i] = i;
    times.push((performance.now() - t0) * 1e3 / PAGES);
  }
  return times.sort((a, b) => a - b)[1];
}

/**
 * 10,000 tables of 100 routes each (DESIGN: "in well under 1 GB"). Memory = the core's bytes in use
 * (memoryInUseBytes: live records, blocks, indexes — its own accounting, so what earlier tasks freed
 * does not hide the growth) + JS heap growth, both read before and after the build. The tables live in
 * a private core (created here), so the note can also give its linear memory as the OS sees it (whole
 * pages, geometric growth) and the result does not depend on what ran before in the shared core.
 */
export function benchManyTables(quick: boolean): Row[] {
  const TABLES = quick ? 1_000 : 10_000, ROUTES = 100;
  const core = createCoreSync('release');
  const private_: Factory = (o) => Rtm.createSync({ ...o, build: 'release', core } as Parameters<typeof Rtm.createSync>[0]) as unknown as RtmLike;
  const size0 = core.memoryBytes;
  const w = buildMany(private_, TABLES, ROUTES, () => core.x.memoryInUseBytes());
  const size1 = core.memoryBytes;
  for (const r of w.keep) r.close();
  const touch = pageTouchMicros(), touchedPages = w.linear / 4096;
  const m = buildMany(model, TABLES, ROUTES, () => 0);
  for (const r of m.keep) r.close();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const per = (b: number) => (b / (TABLES * ROUTES)).toFixed(1);
  return [
    { family: 'IPv4', task: `${TABLES} tables × ${ROUTES} routes: build (one Rtm, entity, next hop, ${ROUTES} addRouteToDest each)`,
      unit: 'µs/route', core: w.ms * 1e3 / (TABLES * ROUTES), ref: m.ms * 1e3 / (TABLES * ROUTES),
      note: `${(w.ms / 1e3).toFixed(2)} s for all ${TABLES} tables, of which ~${(touchedPages * touch / 1e6).toFixed(2)} s ` +
        `first touches of the ~${Math.round(touchedPages)} fresh 4 KiB pages the records fill (${touch.toFixed(1)} µs a page on this ` +
        `host: a fresh 64 MiB WebAssembly.Memory written once per page, median of 3)` },
    { family: 'IPv4', task: `${TABLES} tables × ${ROUTES} routes: memory (core bytes in use + JS heap growth)`,
      unit: 'bytes/route', core: w.bytes / (TABLES * ROUTES), ref: m.bytes / (TABLES * ROUTES),
      note: `${mib(w.bytes)} in all: ${per(w.linear)} B/route in use in linear memory (the core's accounting, ` +
        `before/after) + ${per(w.heap)} B/route JS heap; the private core's linear memory grew ${mib(size1 - size0)} ` +
        `(pages, geometric growth); baseline ${mib(m.bytes)}` },
  ];
}

/**
 * Route churn on one table: two entities hold a route on each of `dests` destinations; entity A moves its
 * metric across B's on every update, so each update moves the best route, is classified and queued to a
 * BEST registration. The queue is drained after every pass (getChangedDests / releaseChangedDests), timed
 * apart from the updates.
 */
function churn(make: Factory, dests: number, passes: number): { updateMs: number; drainMs: number; updates: number; queued: number } {
  const rtm = make({ families: ['ipv4'], clock: new VirtualClock() });
  const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
  const B = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
  const nA = A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
  const nB = B.addNextHop({ address: '192.0.2.2', interfaceIndex: 2 }).handle!;
  const names = prefixes24(11, dests);
  const handles: RouteHandle[] = [];
  for (const dest of names) {
    handles.push(A.addRouteToDest({ dest, neighbour: nA, nextHops: [nA], metric: 5 }).handle!);
    B.addRouteToDest({ dest, neighbour: nB, nextHops: [nB], metric: 10, returnHandle: false });
  }
  const watcher: EntityLike = B;
  const nh: NotifyHandle = watcher.registerForChangeNotification({ views: RTM_VIEW_MASK_UCAST, notifyFlags: RTM_CHANGE_TYPE_BEST });
  drain(watcher, nh);
  let queued = 0, updateMs = 0, drainMs = 0;
  for (let p = 0; p < passes; p++) {
    const metric = p % 2 === 0 ? 15 : 5;       // A loses, then wins back, the best route everywhere
    const t0 = performance.now();
    for (let i = 0; i < dests; i++) A.addRouteToDest({ dest: names[i], route: handles[i], metric });
    const t1 = performance.now();
    queued += drain(watcher, nh);
    drainMs += performance.now() - t1;
    updateMs += t1 - t0;
  }
  rtm.close();
  return { updateMs, drainMs, updates: dests * passes, queued };
}

function drain(e: EntityLike, nh: NotifyHandle): number {
  let n = 0;
  for (;;) {
    const { items, done } = e.getChangedDests({ notifyHandle: nh, count: e.profile.maxHandlesInEnum });
    n += items.length;
    e.releaseChangedDests({ notifyHandle: nh, dests: items });
    if (done) return n;
  }
}

/**
 * A full collection before a timed section (the runner has --expose-gc): the garbage of the task before
 * (10,000 closed instances) is otherwise collected by V8's helper threads during the next task, and the
 * process CPU time the next-hop rows read counts their work (3–7 µs instead of 0.3–1 µs per call, session 9).
 */
function settle(): void { (globalThis as { gc?: () => void }).gc?.(); }

export function benchChurn(quick: boolean): Row[] {
  settle();
  // the model scans the table on every call, so both run on the same modest table; the core makes more passes
  const DESTS = 2_000, PASSES = quick ? 10 : 50;
  churn(wasm, 1_000, 2);                                          // warm-up (JIT, core instance)
  const w = churn(wasm, DESTS, PASSES);
  const m = churn(model, DESTS, 2);
  if (w.queued !== w.updates) throw new Error(`churn: ${w.queued} changes queued for ${w.updates} best-route moves`);
  return [
    { family: 'IPv4', task: `route churn: update by handle that moves the best route, classified and queued to a BEST registration (${DESTS} destinations)`,
      unit: 'µs/update', core: w.updateMs * 1e3 / w.updates, ref: m.updateMs * 1e3 / m.updates,
      note: `${(w.updates / w.updateMs / 1e3).toFixed(2)} M updates/s` },
    { family: 'IPv4', task: 'route churn: pulling the changes (getChangedDests + releaseChangedDests, 100 per call)',
      unit: 'µs/dest', core: w.drainMs * 1e3 / w.queued, ref: m.drainMs * 1e3 / m.queued,
      note: `${(w.queued / w.drainMs / 1e3).toFixed(2)} M destinations/s` },
  ];
}

/**
 * Next hops by index: µs per addNextHop creating a next hop in an entity that already holds 100,000,
 * and per findNextHop (+ releaseNextHops) of a present one. The baseline is the same calls on an entity
 * of 1,000 next hops in the same table (the model is linear per call and cannot be filled to 100,000 in
 * a benchmark run): a ratio near 1 means the cost does not grow with the entity. Chunks of 1,000 calls
 * alternate between the two entities (the small one drops each chunk again, untimed); CPU time; the
 * median chunk counts. Every call's address text is a string made for its chunk, for the finds as for
 * the adds: a find given the string its next hop was added with reads one of 100,000 strings held since
 * (~0.25 µs of cache misses in the caller at that size, against none for the 1,000), which is the
 * bench's memory, not the table's (bench/ab/nexthop.mjs ops: findHeldUs).
 */
export function benchNextHops(quick: boolean): Row[] {
  settle();
  const SIZE = 100_000, SMALL = 1_000, CHUNKS = quick ? 5 : 15;
  const rtm = Rtm.createSync({ families: ['ipv4'], build: 'release' });
  const big = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
  const small = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
  const rnd = mulberry32(17);
  const seen = new Set<number>();
  const text = (a: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  const freshWord = (): number => {
    for (;;) {
      const a = (0x0a000000 | (rnd() & 0xffffff)) >>> 0;
      if (seen.has(a)) continue;
      seen.add(a);
      return a;
    }
  };
  const fresh = (): string => text(freshWord());
  // the present next hops are kept as address words; their text is made again for each probe chunk
  const fill = (e: typeof big, n: number): number[] => Array.from({ length: n }, () => {
    const a = freshWord();
    e.addNextHop({ address: text(a), interfaceIndex: 1, returnHandle: false });
    return a;
  });
  const present = new Map([[big, fill(big, SIZE)], [small, fill(small, SMALL)]]);
  // process CPU time (getrusage: µs resolution); the thread's schedstat advances only at scheduler ticks,
  // too coarse for chunks of a few ms
  const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system; };
  // the first enumeration puts the 100,000 in (address, interface) order; a second one just walks them
  // (CPU time: wall time on a loaded machine moved by 2× between runs). The enumeration code is warmed on
  // the small entity first, so that the first figure is the ordering, not the JIT's first compile
  const enumerateMs = (e: typeof big): number => {
    const t0 = cpuUs(), en = e.createNextHopEnum();
    for (;;) { const { items, done } = e.getEnumNextHops({ enumHandle: en }); e.releaseNextHops(items); if (done) break; }
    e.deleteEnumHandle(en);
    return (cpuUs() - t0) / 1000;
  };
  for (let i = 0; i < 20; i++) enumerateMs(small);
  const firstEnum = enumerateMs(big), laterEnum = enumerateMs(big);
  const add = new Map([[big, [] as number[]], [small, [] as number[]]]), find = new Map([[big, [] as number[]], [small, [] as number[]]]);
  for (let c = -1; c < CHUNKS; c++) {                           // chunk -1 warms up (JIT)
    for (const e of [big, small]) {
      const names = Array.from({ length: 1000 }, fresh);
      const have = present.get(e)!;
      const probe = Array.from({ length: 1000 }, () => text(have[rnd() % have.length]));
      const t0 = cpuUs();
      for (const address of names) e.addNextHop({ address, interfaceIndex: 1, returnHandle: false });
      const t1 = cpuUs();
      for (const address of probe) { const f = e.findNextHop({ address, interfaceIndex: 1 }); if (f) e.releaseNextHops([f.handle]); }
      const t2 = cpuUs();
      if (c >= 0) { add.get(e)!.push((t1 - t0) / 1000); find.get(e)!.push((t2 - t1) / 1000); }
      if (e === small) for (const address of names) e.deleteNextHop({ address, interfaceIndex: 1 });
    }
  }
  rtm.close();
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return [
    { family: 'IPv4', task: `addNextHop creating a next hop in an entity with ${SIZE} next hops (baseline: with ${SMALL})`, unit: 'µs/call',
      core: median(add.get(big)!), ref: median(add.get(small)!),
      note: `public layer (address text parsed per call); CPU time; ratio ≈ 1 = flat. New next hops are ordered at the next enumeration: ` +
        `the first after the ${SIZE} adds took ${firstEnum.toFixed(0)} ms, the next ${laterEnum.toFixed(0)} ms (CPU)` },
    { family: 'IPv4', task: `findNextHop + releaseNextHops of a present next hop, ${SIZE} next hops (baseline: ${SMALL})`, unit: 'µs/call',
      core: median(find.get(big)!), ref: median(find.get(small)!),
      note: 'public layer; CPU time; ratio ≈ 1 = flat. Address text made per chunk, as for the adds (until session 9 the finds ' +
        `read the ${SIZE} strings held since the fill: +0.3-0.5 µs of the bench's own cache misses)` },
  ];
}
