// Next hops through the public layer (issue 13: one core call per find, the owner view made on first
// read, options read without a copy, a one-handle release without the general path, sorted rebuilds of
// the ordered tree, in-order walks that keep their path): random add / find / release / delete /
// enumerate sequences against the reference model — next hops that differ only in interface index
// (up to 40 on one address, so that the rebuild's equal-address runs take both of its sorts), prefixes
// as addresses, duplicates, handles kept and released, enumerations interleaved with changes between
// their batches — and bad input, which is an RtmError with the RTMv2 name that leaves the table as it was.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import { RTM_ENUM_NEXT as NEXT, RTM_ENUM_RANGE as RANGE } from '../../src/win32/constants.js';
import type { EntityLike, NextHopHandle, RtmLike } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { mulberry32 } from '../helpers/random.js';

/** 'ok', or the code of the RtmError thrown (anything else fails the test). */
function codeOf(f: () => unknown): string {
  try { f(); return 'ok'; } catch (err) {
    if (!(err instanceof RtmError)) throw err;
    return err.code;
  }
}

interface Id { text: string; ifIndex: number; name: string }
const id = (text: string, ifIndex: number): Id => ({ text, ifIndex, name: `${text}%${ifIndex}` });

function nameOf(e: EntityLike, h: NextHopHandle): string {
  const i = e.getNextHopInfo(h);
  e.releaseNextHopInfo(i);
  return `${i.address}%${i.interfaceIndex}`;
}

/** An open enumeration: its handle and what it gave so far. */
interface Walk { en: number; got: string[]; done: boolean }
function openWalk(e: EntityLike, o: Parameters<EntityLike['createNextHopEnum']>[0]): Walk {
  return { en: e.createNextHopEnum(o), got: [], done: false };
}
function step(e: EntityLike, w: Walk, count: number): void {
  const { items, done } = e.getEnumNextHops({ enumHandle: w.en, count });
  w.got.push(...items.map((h) => nameOf(e, h)));
  e.releaseNextHops(items);
  w.done = done;
  if (done) e.deleteEnumHandle(w.en);
}
function drain(e: EntityLike, o: Parameters<EntityLike['createNextHopEnum']>[0], count: number): string[] {
  const w = openWalk(e, o);
  while (!w.done) step(e, w, count);
  return w.got;
}

function pair(family: 'ipv4' | 'ipv6', maxHandlesInEnum = 500): { rtm: Rtm; W: EntityLike; M: EntityLike } {
  const rtm = Rtm.createSync({ families: [family], build: 'debug', maxHandlesInEnum });
  const model = createModel({ families: [family], maxHandlesInEnum }) as unknown as RtmLike;
  const ident = { addressFamily: family, protocolId: 8, instanceId: 0 };
  return { rtm, W: rtm.registerEntity(ident) as unknown as EntityLike, M: model.registerEntity(ident) };
}

describe('next hops through the public layer, against the model', () => {
  it('IPv4: add, find, release, delete and enumerations interleaved with changes', () => {
    const { rtm, W, M } = pair('ipv4');
    const table = rtm.ipv4.core;
    const rnd = mulberry32(41);
    const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
    // 8 addresses with up to 40 interfaces each, random hosts, and prefixes used as addresses
    const shared = Array.from({ length: 8 }, (_, i) => `10.0.0.${i * 3}`);
    const draw = (): Id => {
      const r = rnd() % 10;
      if (r < 3) return id(pick(shared), rnd() % 40);
      if (r < 4) return id(`10.${rnd() & 3}.${rnd() & 255}.0/${24 + (rnd() % 8)}`, rnd() % 3);
      return id(`10.${rnd() & 3}.${rnd() & 255}.${rnd() & 255}`, rnd() % 3);
    };
    const live = new Set<string>();
    // the handles each side holds (by the wasm handle: a name deleted and added again is another next
    // hop), with the references held on each
    const held = new Map<NextHopHandle, { name: string; w: NextHopHandle; m: NextHopHandle; n: number }>();
    const hold = (name: string, w: NextHopHandle, m: NextHopHandle): void => {
      const x = held.get(w);
      if (x) { expect(x.m, name).toBe(m); x.n++; } else held.set(w, { name, w, m, n: 1 });
    };
    const bad: string[] = [];
    const both = (tag: string, fw: () => unknown, fm: () => unknown): void => {
      const a = codeOf(fw), b = codeOf(fm);
      if (a !== b) bad.push(`${tag}: wasm ${a}, model ${b}`);
    };
    const ops = {
      add(): void {
        const n = draw(), ret = rnd() % 2 === 0, flags = rnd() & 3;
        const a = W.addNextHop({ address: n.text, interfaceIndex: n.ifIndex, flags, returnHandle: ret });
        const b = M.addNextHop({ address: n.text, interfaceIndex: n.ifIndex, flags, returnHandle: ret });
        if (a.changeFlags !== b.changeFlags) bad.push(`add ${n.name}: changeFlags ${a.changeFlags} / ${b.changeFlags}`);
        if ((a.handle === undefined) !== (b.handle === undefined)) bad.push(`add ${n.name}: handle returned`);
        if (a.handle !== undefined) hold(n.name, a.handle, b.handle!);
        live.add(n.name);
      },
      find(): void {
        const n = rnd() % 3 === 0 ? draw() : (() => { const xs = [...live]; const s = xs.length ? pick(xs) : '10.9.9.9%1'; const [t, i] = s.split('%'); return id(t, Number(i)); })();
        const f = W.findNextHop({ address: n.text, interfaceIndex: n.ifIndex });
        const g = M.findNextHop({ address: n.text, interfaceIndex: n.ifIndex });
        if ((f === undefined) !== (g === undefined) || (f !== undefined) !== live.has(n.name)) bad.push(`find ${n.name}: ${f !== undefined} / ${g !== undefined}`);
        if (!f || !g) return;
        if (nameOf(W, f.handle) !== nameOf(M, g.handle)) bad.push(`find ${n.name}: another next hop`);
        if (rnd() % 4 === 0) hold(n.name, f.handle, g.handle);
        else { W.releaseNextHops([f.handle]); M.releaseNextHops([g.handle]); }
      },
      release(): void {
        if (held.size === 0) return;
        const x = pick([...held.values()]), name = x.name;
        both(`release ${name}`, () => W.releaseNextHops([x.w]), () => M.releaseNextHops([x.m]));
        if (--x.n === 0) {
          held.delete(x.w);
          // over-release: ERROR_INVALID_HANDLE on both, nothing changed
          both(`over-release ${name}`, () => W.releaseNextHops([x.w]), () => M.releaseNextHops([x.m]));
        }
      },
      deleteById(): void {
        const n = rnd() % 4 === 0 ? draw() : (() => { const xs = [...live]; if (!xs.length) return draw(); const [t, i] = pick(xs).split('%'); return id(t, Number(i)); })();
        both(`delete ${n.name}`, () => W.deleteNextHop({ address: n.text, interfaceIndex: n.ifIndex }), () => M.deleteNextHop({ address: n.text, interfaceIndex: n.ifIndex }));
        live.delete(n.name);
      },
      deleteByHandle(): void {
        if (held.size === 0) return;
        const x = pick([...held.values()]), name = x.name;
        const a = codeOf(() => W.deleteNextHop(x.w)), b = codeOf(() => M.deleteNextHop(x.m));
        if (a !== b) bad.push(`delete by handle ${name}: ${a} / ${b}`);
        if (a === 'ok') {
          live.delete(name);
          if (--x.n === 0) held.delete(x.w);
        }
      },
    };
    const compare = (tag: string): void => {
      expect(bad, tag).toEqual([]);
      expect(table.checkInvariants(), `${tag}: invariants`).toBe(0);
      expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS')), `${tag}: next hops`).toBe(live.size);
      const all = drain(M, undefined, 500);
      expect(all.length, tag).toBe(live.size);
      expect(drain(W, undefined, 500), `${tag}: whole enumeration`).toEqual(all);
      expect(drain(W, { enumFlags: RANGE, address: '10.0.0.0/24' }, 17), `${tag}: RANGE`).toEqual(drain(M, { enumFlags: RANGE, address: '10.0.0.0/24' }, 17));
      expect(drain(W, { enumFlags: NEXT, address: '10.1.128.0' }, 29), `${tag}: NEXT`).toEqual(drain(M, { enumFlags: NEXT, address: '10.1.128.0' }, 29));
      for (const x of held.values()) expect(W.refCount(x.w), `${tag}: references on ${x.name}`).toBe(x.n);
    };
    const run = (n: number, weights: [keyof typeof ops, number][]): void => {
      const total = weights.reduce((s, [, w]) => s + w, 0);
      for (let i = 0; i < n; i++) {
        let r = rnd() % total;
        for (const [op, w] of weights) { if (r < w) { ops[op](); break; } r -= w; }
      }
    };
    // a burst of adds: the first enumeration sorts and builds the tree in one pass
    run(1000, [['add', 1]]);
    compare('1,000 adds');
    // small changes between enumerations: pending next hops go in one by one
    for (let round = 0; round < 5; round++) {
      run(40, [['add', 4], ['find', 4], ['release', 2], ['deleteById', 2], ['deleteByHandle', 1]]);
      compare(`round ${round}`);
    }
    // another burst (now above 1/16 of the tree): a rebuild with next hops already in the tree
    run(250, [['add', 6], ['deleteById', 1], ['find', 2]]);
    compare('second burst');
    // enumerations whose batches are interleaved with adds and deletes (the walk's kept path goes stale)
    const opts = [undefined, { enumFlags: RANGE, address: '10.0.0.0/16' }, { enumFlags: NEXT, address: '10.2.0.0' }];
    for (const o of opts) {
      const ww = openWalk(W, o), wm = openWalk(M, o);
      while (!ww.done || !wm.done) {
        const count = 1 + (rnd() % 120);
        step(W, ww, count); step(M, wm, count);
        expect(ww.done, 'done').toBe(wm.done);
        run(rnd() % 8, [['add', 3], ['deleteById', 2], ['find', 1]]);
      }
      expect(ww.got, `interleaved ${JSON.stringify(o)}`).toEqual(wm.got);
      compare(`after interleaved ${JSON.stringify(o)}`);
    }
    for (const x of held.values()) for (let i = 0; i < x.n; i++) { W.releaseNextHops([x.w]); M.releaseNextHops([x.m]); }
    W.deregister();
    expect(table.checkInvariants()).toBe(0);
    expect(table.stat(rtm.core.constant('TABLE_NEXTHOPS'))).toBe(0);
    rtm.close();
  });

  it('IPv6: next hops sharing their first 32 bits (the rebuild sorts long equal runs) and many interfaces', () => {
    const { rtm, W, M } = pair('ipv6');
    const table = rtm.ipv6.core;
    const rnd = mulberry32(5);
    const live = new Set<string>();
    const add = (text: string, ifIndex: number): void => {
      const a = W.addNextHop({ address: text, interfaceIndex: ifIndex, returnHandle: false });
      const b = M.addNextHop({ address: text, interfaceIndex: ifIndex, returnHandle: false });
      expect(a.changeFlags, `${text}%${ifIndex}`).toBe(b.changeFlags);
      live.add(`${text}%${ifIndex}`);
    };
    const check = (tag: string): void => {
      expect(table.checkInvariants(), tag).toBe(0);
      const want = drain(M, undefined, 500);
      expect(want.length, tag).toBe(live.size);
      expect(drain(W, undefined, 97), tag).toEqual(want);
      expect(drain(W, { enumFlags: RANGE, address: '2001:db8:0:1::/64' }, 11), tag).toEqual(drain(M, { enumFlags: RANGE, address: '2001:db8:0:1::/64' }, 11));
    };
    for (let i = 0; i < 600; i++) {
      const r = rnd() % 8;
      const text = r < 6 ? `2001:db8:0:${rnd() % 3}::${(rnd() % 4096).toString(16)}` : r < 7 ? `2001:db8:${(rnd() % 16).toString(16)}::/48` : `fe80::${(rnd() % 64).toString(16)}`;
      add(text, r === 7 ? rnd() % 30 : rnd() % 2);
    }
    check('600 adds (one rebuild)');
    for (let i = 0; i < 30; i++) add(`2001:db8:0:1::${(i * 7).toString(16)}`, 3);
    check('30 more (one by one)');
    for (const name of [...live].slice(0, 200)) {
      const [text, ifIndex] = name.split('%');
      W.deleteNextHop({ address: text, interfaceIndex: Number(ifIndex) });
      M.deleteNextHop({ address: text, interfaceIndex: Number(ifIndex) });
      live.delete(name);
    }
    check('200 deleted');
    rtm.close();
  });
});

describe('next hops: ordering without memory for the sort', () => {
  it('a flush that cannot get scratch memory inserts one by one: the same order', () => {
    const { rtm, W, M } = pair('ipv4');
    const x = rtm.core.x as unknown as { nhIndexAllocBudget(n: number): void };
    const rnd = mulberry32(9);
    try {
      for (let i = 0; i < 700; i++) {
        const text = `172.16.${rnd() & 15}.${rnd() & 255}`, ifIndex = rnd() % 20;
        W.addNextHop({ address: text, interfaceIndex: ifIndex, returnHandle: false });
        M.addNextHop({ address: text, interfaceIndex: ifIndex, returnHandle: false });
      }
      x.nhIndexAllocBudget(0);
      expect(drain(W, undefined, 300)).toEqual(drain(M, undefined, 300));
      expect(rtm.ipv4.core.checkInvariants()).toBe(0);
    } finally {
      x.nhIndexAllocBudget(-1);
      rtm.close();
    }
  });
});

describe('next hops: bad input, and what findNextHop returns', () => {
  /** Everything a rejected call must leave as it was: the next hops in order and the references held. */
  function picture(e: EntityLike, rtm: Rtm, held: readonly NextHopHandle[]): unknown {
    return {
      order: drain(e, undefined, 50),
      refs: held.map((h) => e.refCount(h)),
      count: rtm.ipv4.core.stat(rtm.core.constant('TABLE_NEXTHOPS')),
    };
  }
  const boom = (): never => { throw new Error('hostile getter'); };

  it('bad input → RtmError with the RTMv2 name (as the model says), the table unchanged', () => {
    const { rtm, W, M } = pair('ipv4');
    const other = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: 0 }) as unknown as EntityLike;
    const hw: NextHopHandle[] = [], hm: NextHopHandle[] = [];
    for (let i = 0; i < 20; i++) {
      hw.push(W.addNextHop({ address: `192.0.2.${i}`, interfaceIndex: i % 3 }).handle!);
      hm.push(M.addNextHop({ address: `192.0.2.${i}`, interfaceIndex: i % 3 }).handle!);
    }
    const foreign = other.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const getter = (k: string, base: Record<string, unknown>): object => {
      const o = { ...base };
      Object.defineProperty(o, k, { get: boom, enumerable: true });
      return o;
    };
    const trap = new Proxy({}, { get: boom });
    const cases: [string, string, (e: EntityLike, h: NextHopHandle[]) => unknown][] = [
      ['find: options null', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop(null as never)],
      ['find: options 5', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop(5 as never)],
      ['find: no address', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop({} as never)],
      ['find: malformed address', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop({ address: '192.0.2.300', interfaceIndex: 1 })],
      ['find: IPv6 address', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop({ address: '2001:db8::1', interfaceIndex: 1 })],
      ['find: interface -1', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop({ address: '192.0.2.1', interfaceIndex: -1 })],
      ['find: interface 1.5', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop({ address: '192.0.2.1', interfaceIndex: 1.5 })],
      ['find: address getter throws', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop(getter('address', { interfaceIndex: 1 }) as never)],
      ['find: interface getter throws', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop(getter('interfaceIndex', { address: '192.0.2.1' }) as never)],
      ['find: hostile proxy', 'ERROR_INVALID_PARAMETER', (e) => e.findNextHop(trap as never)],
      ['add: flags 0x10000', 'ERROR_INVALID_PARAMETER', (e) => e.addNextHop({ address: '192.0.2.77', interfaceIndex: 1, flags: 0x10000 })],
      ['add: interface "1"', 'ERROR_INVALID_PARAMETER', (e) => e.addNextHop({ address: '192.0.2.77', interfaceIndex: '1' as never })],
      ['add: malformed address', 'ERROR_INVALID_PARAMETER', (e) => e.addNextHop({ address: 'x', interfaceIndex: 1 })],
      ['add: flags getter throws', 'ERROR_INVALID_PARAMETER', (e) => e.addNextHop(getter('flags', { address: '192.0.2.77', interfaceIndex: 1 }) as never)],
      ['add: returnHandle getter throws', 'ERROR_INVALID_PARAMETER', (e) => e.addNextHop(getter('returnHandle', { address: '192.0.2.77' }) as never)],
      ['add: nextHop not a handle', 'ERROR_INVALID_HANDLE', (e) => e.addNextHop({ nextHop: 'x' as never, address: '192.0.2.1', interfaceIndex: 1 })],
      ['add: update by handle, identity differs', 'ERROR_INVALID_PARAMETER', (e, h) => e.addNextHop({ nextHop: h[1], address: '192.0.2.1', interfaceIndex: 2 })],
      ['delete: absent', 'ERROR_NOT_FOUND', (e) => e.deleteNextHop({ address: '192.0.2.1', interfaceIndex: 9 })],
      ['delete: interface getter throws', 'ERROR_INVALID_PARAMETER', (e) => e.deleteNextHop(getter('interfaceIndex', { address: '192.0.2.1' }) as never)],
      ['delete: malformed address', 'ERROR_INVALID_PARAMETER', (e) => e.deleteNextHop({ address: '192.0.2', interfaceIndex: 1 })],
      ['delete: "x"', 'ERROR_INVALID_PARAMETER', (e) => e.deleteNextHop('x' as never)],
      ['release: not held', 'ERROR_INVALID_HANDLE', (e, h) => { e.releaseNextHops([h[3]]); e.releaseNextHops([h[3]]); }],
      ['release: not an array', 'ERROR_INVALID_PARAMETER', (e, h) => e.releaseNextHops(h[4] as never)],
      ['release: a string', 'ERROR_INVALID_HANDLE', (e) => e.releaseNextHops(['x' as never])],
      ['release: an entity handle', 'ERROR_INVALID_HANDLE', (e) => e.releaseNextHops([e.handle as never])],
      ['release: getter throws', 'ERROR_INVALID_PARAMETER', (e) => { const a = [0]; Object.defineProperty(a, 0, { get: boom }); e.releaseNextHops(a as never); }],
    ];
    for (const [tag, code, f] of cases) {
      // the model agrees on the code (it is no reference for throwing getters and proxies)
      if (!/getter|proxy/.test(tag)) expect(codeOf(() => f(M, hm)), `${tag} (model)`).toBe(code);
      const before = picture(W, rtm, hw);
      expect(codeOf(() => f(W, hw)), tag).toBe(code);
      if (tag === 'release: not held') {
        // the first release was valid: exactly one reference fewer, nothing else
        hw.splice(3, 1); hm.splice(3, 1);
        continue;
      }
      expect(picture(W, rtm, hw), `${tag}: unchanged`).toEqual(before);
      expect(rtm.ipv4.core.checkInvariants(), tag).toBe(0);
    }
    // a next hop of another entity: found in its owner's list only
    expect(W.findNextHop({ address: '192.0.2.1', interfaceIndex: 1 })!.handle).not.toBe(foreign);
    expect(codeOf(() => W.deleteNextHop(foreign))).toBe('ERROR_ACCESS_DENIED');
    // one release of two handles, one of them not held: the valid one released, then ERROR_INVALID_HANDLE
    const r = W.refCount(hw[5]);
    expect(codeOf(() => W.releaseNextHops([hw[5], foreign]))).toBe('ERROR_INVALID_HANDLE');
    expect(W.refCount(hw[5])).toBe(r - 1);
    rtm.close();
  });

  it('findNextHop: a referenced handle; pointer is the owner view (the same object as getNextHopPointer and the lock)', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug' });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const h = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 4, flags: 2 }).handle!;
    const f = e.findNextHop({ address: '192.0.2.1', interfaceIndex: 4 })!;
    expect(f.handle).toBe(h);
    expect(e.refCount(h)).toBe(2);
    expect('pointer' in f).toBe(true);
    const { handle, pointer } = f;
    expect(handle).toBe(h);
    expect(pointer).toBe(f.pointer);
    expect(pointer).toBe(e.getNextHopPointer(h));
    expect(pointer).toMatchObject({ address: '192.0.2.1', interfaceIndex: 4, flags: 2 });
    // a second find gives the same view; the lock's view is it too, and edits staged through it commit
    const g = e.findNextHop({ address: '192.0.2.1', interfaceIndex: 4 })!;
    expect(e.lockNextHop({ nextHop: h, exclusive: true })).toBe(pointer);
    g.pointer.flags = 5;
    e.lockNextHop({ nextHop: h, exclusive: true, lock: false });
    const info = e.getNextHopInfo(h);
    expect(info.flags).toBe(5);
    e.releaseNextHopInfo(info);
    e.releaseNextHops([f.handle, g.handle]);
    expect(e.refCount(h)).toBe(1);
    // a view read after the next hop is gone says so
    const k = e.findNextHop({ address: '192.0.2.1', interfaceIndex: 4 })!;
    e.deleteNextHop(h);
    e.releaseNextHops([k.handle]);
    expect(codeOf(() => k.pointer.flags)).toBe('ERROR_INVALID_HANDLE');
    rtm.close();
  });
});
